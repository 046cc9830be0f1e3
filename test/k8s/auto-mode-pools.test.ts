import { Chart } from 'cdk8s';
import { cluster, karpenterPool } from './platform/fixtures';
import { ClusterProfile } from '../../lib/core';
import { App, Placement, Worker } from '../../lib/k8s';
import { NodePool } from '../../lib/k8s/karpenter';
import { tempDir } from '../util/schema';

// On EKS Auto Mode the node pools are Auto Mode's built-in NodePools and the cluster's own: workloads are checked
// against them as against managed node groups and Karpenter pools.

const IMAGE = 'ghcr.io/acme/worker:1.2.0';

function autoMode(extra: Partial<ClusterProfile> = {}): ClusterProfile {
  return cluster({ nodePools: [], autoMode: true, ...extra });
}

function synth(profile: ClusterProfile, build: (chart: Chart) => void): { error?: string; stderr: string } {
  const app = new App({ outdir: tempDir(), cluster: profile });
  build(new Chart(app, 'shop', { namespace: 'shop' }));
  let stderr = '';
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((t: any) => {
    stderr += String(t);
    return true;
  });
  try {
    app.synthYaml();
    return { stderr };
  } catch (e: any) {
    return { error: e.message, stderr };
  } finally {
    spy.mockRestore();
  }
}

describe('EKS Auto Mode node pools', () => {
  test('the built-in general-purpose pool takes an ordinary workload: no problem, no note', () => {
    const r = synth(autoMode(), c => new Worker(c, 'w', { image: IMAGE }));
    expect(r.error).toBeUndefined();
    expect(r.stderr).not.toContain('stay Pending');
  });

  test('with only the system pool (tainted CriticalAddonsOnly), a workload that does not tolerate it is refused', () => {
    const r = synth(autoMode({ autoModeBuiltInPools: ['system'] }), c => new Worker(c, 'w', { image: IMAGE }));
    expect(r.error).toContain('cannot be scheduled on any node pool of cluster shop-prod: pool system:');
    expect(r.error).toContain('CriticalAddonsOnly');
  });

  test('a workload only an Auto Mode pool of the cluster takes counts against its limits', () => {
    const pool = karpenterPool('batch', { nodeClassGroup: 'eks.amazonaws.com', nodeClassKind: 'NodeClass', cpuLimit: 4, taints: [{ key: 'batch', value: 'true', effect: 'NoSchedule' }] });
    const r = synth(autoMode({ autoModeNodePools: [pool] }), c => {
      new NodePool(c, 'batch-pool', { pool });
      new Worker(c, 'w', { image: IMAGE, resources: { cpu: '8' }, placement: Placement.onKarpenterPool(pool) });
    });
    expect(r.error).toMatch(/exceed the pool's limits \(spec\.limits cpu 4/);
  });

  test('a workload only an Auto Mode pool takes, in an output without that NodePool, is noted; with it, not', () => {
    const pool = karpenterPool('batch', { nodeClassGroup: 'eks.amazonaws.com', nodeClassKind: 'NodeClass', taints: [{ key: 'batch', value: 'true', effect: 'NoSchedule' }] });
    const without = synth(autoMode({ autoModeNodePools: [pool] }), c => new Worker(c, 'w', { image: IMAGE, placement: Placement.onKarpenterPool(pool) }));
    expect(without.error).toBeUndefined();
    expect(without.stderr).toContain('shipshape note: cluster shop-prod: Deployment shop/w can run only on the Auto Mode pool batch, and the output has no NodePool batch: '
      + 'unless it is applied from elsewhere, EKS Auto Mode launches no node for them and the pods stay Pending; write each pool\'s NodePool in the app');
    const withPool = synth(autoMode({ autoModeNodePools: [pool] }), c => {
      new NodePool(c, 'batch-pool', { pool });
      new Worker(c, 'w', { image: IMAGE, placement: Placement.onKarpenterPool(pool) });
    });
    expect(withPool.error).toBeUndefined();
    expect(withPool.stderr).not.toContain('stay Pending');
  });
});
