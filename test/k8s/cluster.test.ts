/**
 * The Kubernetes side of platform wiring: an app that knows its cluster (`App({ cluster })`) places pods on pools,
 * checks that they fit and schedule, creates the classes and namespaces they rely on, and binds AWS identities.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart, JsonPatch, YamlOutputType } from 'cdk8s';
import * as YAML from 'yaml';
import { karpenterPool, karpenterProfile } from './platform/fixtures';
import { ClusterProfile, EnvironmentProfile, Errors, InstanceTypes, NodePoolProfile, WorkloadIdentityProfile } from '../../lib/core';
import {
  App, ClusterContext, ClusterResources, HostAccess, HttpIngress, IngressTls, karpenter as karpenterLib, KubernetesTarget, KubernetesVersion, NetworkPeer, NodeAgent, Placement,
  PodSecurityLevel, Replicas, Schedule, ScheduledJob, Probe, StatefulService, VolumeAccessMode, WebService, Worker, WorkerScaling,
} from '../../lib/k8s';
import { KubernetesPack, Policy } from '../../lib/policy';
import { Template } from '../../lib/testing';
import { policyErrors, quietly, stderrOf, validationMessageOf } from '../util/k8s';
import { expectValid } from '../util/schema';

const IMAGE = 'ghcr.io/acme/api:1.4.2';

function pool(name: string, extra: Partial<NodePoolProfile> = {}): NodePoolProfile {
  return {
    name,
    labels: { 'shipshape.dev/node-pool': name },
    taints: [],
    capacityType: 'ON_DEMAND',
    instanceTypes: ['m7i.large'],
    architecture: 'amd64',
    zones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
    minSize: 3,
    maxSize: 6,
    ...extra,
  };
}

const general = pool('general', { instanceTypes: ['m7i.xlarge'] });
const system = pool('system', { taints: [{ key: 'CriticalAddonsOnly', value: 'true', effect: 'NoSchedule' }] });
const spot = pool('batch-spot', { capacityType: 'SPOT', instanceTypes: ['m7i.2xlarge', 'm6i.2xlarge'], taints: [{ key: 'shipshape.dev/spot', value: 'true', effect: 'NoSchedule' }] });
const graviton = pool('graviton', { instanceTypes: ['m7g.large'], architecture: 'arm64', taints: [{ key: 'shipshape.dev/arm64', effect: 'NoSchedule' }] });

function cluster(extra: Partial<ClusterProfile> = {}): ClusterProfile {
  return {
    clusterName: 'shop-prod',
    kubernetesVersion: '1.33',
    environment: EnvironmentProfile.PRODUCTION,
    region: 'eu-west-1',
    account: '123456789012',
    zones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
    nodePools: [general, system, spot, graviton],
    storageClasses: [{
      name: 'gp3',
      provisioner: 'ebs.csi.aws.com',
      isDefault: true,
      parameters: { type: 'gp3', encrypted: 'true' },
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
      reclaimPolicy: 'Delete',
    }],
    ingressClasses: [{ name: 'alb', controller: 'ingress.k8s.aws/alb', isDefault: true }],
    vpcCidr: '10.40.0.0/16',
    networkPolicyEnforced: true,
    oidcIssuerOutput: 'oidc_issuer',
    workloadIdentities: [],
    ...extra,
  };
}

const podIdentity: WorkloadIdentityProfile = { namespace: 'shop', serviceAccount: 'orders', roleName: 'shop-prod-orders', mechanism: 'pod-identity', serviceAccountAnnotations: {} };

const dirs: string[] = [];
afterAll(() => dirs.forEach(d => fs.rmSync(d, { recursive: true, force: true })));
function outdir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-cluster-'));
  dirs.push(d);
  return d;
}

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e: any) {
    return e.message;
  }
  throw new Error('expected an error');
}

function appWith(profile: ClusterProfile = cluster()): { app: App; chart: Chart } {
  const app = new App({ outdir: outdir(), cluster: profile });
  return { app, chart: new Chart(app, 'shop', { namespace: 'shop' }) };
}

function objects(app: App): any[] {
  return YAML.parseAllDocuments(quietly(() => app.synthYaml())).map(d => d.toJS()).filter(Boolean);
}

const podOf = (objs: any[], kind: string, name: string) => objs.find(o => o.kind === kind && o.metadata.name === name).spec.template.spec;

describe('placement', () => {
  test('onPool: a node selector on the pool\'s labels and exactly the tolerations its taints need', () => {
    const { app, chart } = appWith();
    new Worker(chart, 'reindex', { image: IMAGE, placement: Placement.onPool(system) });
    const pod = podOf(objects(app), 'Deployment', 'reindex');
    expect(pod.nodeSelector).toEqual({ 'shipshape.dev/node-pool': 'system' });
    expect(pod.tolerations).toEqual([{ key: 'CriticalAddonsOnly', operator: 'Equal', value: 'true', effect: 'NoSchedule' }]);
  });

  test('onPools: required node affinity with one term per pool, tolerations for every pool\'s taints', () => {
    const { app, chart } = appWith();
    new Worker(chart, 'batch', { image: IMAGE, placement: Placement.onPools([spot, general]) });
    const pod = podOf(objects(app), 'Deployment', 'batch');
    expect(pod.nodeSelector).toBeUndefined();
    expect(pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([
      { matchExpressions: [{ key: 'shipshape.dev/node-pool', operator: 'In', values: ['batch-spot'] }] },
      { matchExpressions: [{ key: 'shipshape.dev/node-pool', operator: 'In', values: ['general'] }] },
    ]);
    expect(pod.tolerations).toEqual([{ key: 'shipshape.dev/spot', operator: 'Equal', value: 'true', effect: 'NoSchedule' }]);
    // the spread's pod anti-affinity is kept beside the node affinity
    expect(pod.affinity.podAntiAffinity).toBeDefined();
  });

  test('a pool profile without labels is refused: no selector could name its nodes', () => {
    const bare: NodePoolProfile = { ...graviton, name: 'arm', labels: {} };
    expect(() => Placement.onPool(bare)).toThrow('Placement: pool arm: labels ({}) is empty, so no node selector can name the pool\'s nodes: the pods would run on any node '
      + '(of any architecture), or, beside other pools, on none of this pool\'s; give the pool\'s profile the labels its nodes carry, for example '
      + '{ \'eks.amazonaws.com/nodegroup\': \'arm\' } (EKS puts it on the nodes of a managed node group)');
    expect(() => Placement.onPools([general, bare])).toThrow(/^Placement: pool arm: labels \(\{\}\) is empty/);
  });

  test('a taint without a value is tolerated with operator Exists', () => {
    const rendered = Placement.onPool(graviton)._render(new Chart(new App(), 'x'));
    expect(rendered.tolerations).toEqual([{ key: 'shipshape.dev/arm64', operator: 'Exists', effect: 'NoSchedule' }]);
  });

  test('by default a workload gets no selector and no toleration, and schedules on the untainted general pool', () => {
    const { app, chart } = appWith();
    new WebService(chart, 'api', { image: IMAGE });
    const pod = podOf(objects(app), 'Deployment', 'api');
    expect(pod.nodeSelector).toBeUndefined();
    expect(pod.tolerations).toBeUndefined();
  });

  test('node agents tolerate every pool by default', () => {
    const { app, chart } = appWith();
    new NodeAgent(chart, 'agent', { image: IMAGE, ports: [{ name: 'metrics', port: 9100 }] });
    expect(podOf(objects(app), 'DaemonSet', 'agent').tolerations).toEqual([{ operator: 'Exists' }]);
  });

  test('a cluster whose pools are all tainted refuses a workload that says nothing, naming each pool and its taint', () => {
    const { app, chart } = appWith(cluster({ nodePools: [system, spot] }));
    new WebService(chart, 'api', { image: IMAGE });
    const msg = errorOf(() => quietly(() => app.synth()));
    expect(msg).toContain('shop/api/Deployment: spec.template.spec of Deployment shop/api cannot be scheduled on any node pool of cluster shop-prod: '
      + 'pool system: taint CriticalAddonsOnly=true:NoSchedule not tolerated; pool batch-spot: taint shipshape.dev/spot=true:NoSchedule not tolerated; '
      + 'give the workload a placement on a pool that can take it (Placement.onPool(pool), or Placement.onKarpenterPool(pool) for a Karpenter pool); or a pool without taints');
    // the fix follows the reasons: nothing about instance sizes when only taints are in the way
    expect(msg).not.toContain('larger instance types');
  });

  test('one image architecture adds a kubernetes.io/arch selector; a placement on pools of another architecture is refused', () => {
    const { app, chart } = appWith();
    new WebService(chart, 'api', { image: IMAGE, imageArchitectures: ['arm64'], placement: Placement.onPool(graviton) });
    new WebService(chart, 'web', { image: IMAGE, imageArchitectures: ['amd64'] });
    const objs = objects(app);
    expect(podOf(objs, 'Deployment', 'web').nodeSelector).toEqual({ 'kubernetes.io/arch': 'amd64' });
    expect(podOf(objs, 'Deployment', 'api').nodeSelector).toEqual({ 'shipshape.dev/node-pool': 'graviton' });
    const other = appWith();
    expect(errorOf(() => new WebService(other.chart, 'x86', { image: IMAGE, imageArchitectures: ['amd64'], placement: Placement.onPool(graviton) })))
      .toBe('shop/x86: placement ("graviton (arm64)") targets only nodes whose CPU architecture the image does not support (imageArchitectures: amd64); '
        + 'its pods would fail with "exec format error"; place the workload on a pool of a supported architecture, or build the image for the pool\'s architecture (a multi-arch image) and list it in imageArchitectures');
  });

  test('Placement.onPools refuses an empty list', () => {
    expect(() => Placement.onPools([])).toThrow('Placement: pools ([]) must name at least one node pool; pass the pools, or use Placement.untaintedNodes()');
  });
});

describe('capacity', () => {
  test('allocatable follows the EKS AMI reservations', () => {
    const a = InstanceTypes.allocatable('m7i.large')!;
    expect(a).toMatchObject({ vcpus: 2, memoryMiB: 8192, cpuMillis: 1930, maxPods: 29, architecture: 'amd64' });
    expect(a.allocatableMemoryMiB).toBe(Math.floor(8192 * 0.946) - (255 + 11 * 29) - 100);
    expect(InstanceTypes.allocatable('m7g.xlarge')!.architecture).toBe('arm64');
    expect(InstanceTypes.allocatable('x9z.large')).toBeUndefined();
  });

  test('a pod whose requests fit no instance type of any pool is refused with the numbers', () => {
    const { app, chart } = appWith(cluster({ nodePools: [general] }));
    new WebService(chart, 'api', { image: IMAGE, resources: { memory: '32Gi', cpu: '2', cpuLimit: '2' }, replicas: Replicas.fixed(3) });
    const msg = errorOf(() => quietly(() => app.synth()));
    expect(msg).toContain('pool general: requests cpu 2000m, memory 32768Mi do not fit its largest instance type m7i.xlarge (allocatable cpu 3920m, memory 14506Mi)');
    expect(msg).toContain('; give the workload a placement on a pool that can take it (Placement.onPool(pool), or Placement.onKarpenterPool(pool) for a Karpenter pool); lower its requests, or add a pool with larger instance types');
  });

  test('what the DaemonSets of the output take on each node counts: a pod that fits a node alone but not beside them is refused, naming them', () => {
    const build = (cpu: string) => {
      const { app, chart } = appWith(cluster({ nodePools: [general] }));
      new NodeAgent(chart, 'agent', { image: IMAGE, ports: [{ name: 'metrics', port: 9100 }], resources: { cpu: '500m', memory: '512Mi' } });
      new WebService(chart, 'api', { image: IMAGE, resources: { cpu, memory: '1Gi' }, replicas: Replicas.fixed(3) });
      return app;
    };
    expect(errorOf(() => quietly(() => build('3800m').synth()))).toContain('pool general: requests cpu 3800m, memory 1024Mi do not fit its largest instance type m7i.xlarge '
      + '(allocatable cpu 3920m, memory 14506Mi, of which the DaemonSets running on each node (DaemonSet shop/agent) take cpu 500m, memory 512Mi)');
    // beside them it fits
    expect(() => quietly(() => build('3400m').synth())).not.toThrow();
  });

  test('a hand-written pool architecture that is no kubernetes.io/arch value, or not that of its instance types, is refused naming the prop', () => {
    expect(errorOf(() => appWith(cluster({ nodePools: [pool('graviton', { instanceTypes: ['m7g.xlarge'], architecture: 'amd64' })] })))).toBe(
      '<app>: cluster.nodePools[0].architecture ("amd64") (pool graviton) is not the architecture of its instance type m7g.xlarge (arm64): its nodes carry '
      + 'kubernetes.io/arch=arm64, so pods placed by "amd64" would stay Pending; write "arm64", or list instance types of amd64');
    expect(errorOf(() => appWith(cluster({ nodePools: [pool('general', { architecture: 'x86_64' })] })))).toBe(
      '<app>: cluster.nodePools[0].architecture ("x86_64") (pool general) must be amd64 or arm64, the kubernetes.io/arch label of its nodes; write "amd64"');
    expect(() => appWith(cluster({ nodePools: [pool('graviton', { instanceTypes: ['m7g.xlarge'], architecture: 'arm64' })] }))).not.toThrow();
  });

  test('a managed pool launches its first instance type: a pod fitting only a later, larger type is refused, told to list that one first', () => {
    const build = (instanceTypes: string[]) => {
      const { app, chart } = appWith(cluster({ nodePools: [pool('general', { instanceTypes })] }));
      new WebService(chart, 'api', { image: IMAGE, resources: { cpu: '3', memory: '2Gi' }, replicas: Replicas.fixed(3) });
      return app;
    };
    const msg = errorOf(() => quietly(() => build(['m7i.large', 'm7i.2xlarge']).synth()));
    expect(msg).toContain('pool general: requests cpu 3000m, memory 2048Mi do not fit m7i.large, the first of its instance types, which the node group launches '
      + 'and the cluster-autoscaler sizes its nodes by (allocatable cpu 1930m, memory ');
    expect(msg).toContain('list the pool\'s largest instance type first (or only types of one size), or lower its requests');
    expect(() => quietly(() => build(['m7i.2xlarge', 'm7i.large']).synth())).not.toThrow();
  });

  test('the flex families are in the table: a pod too large for m7i-flex.large is refused', () => {
    expect(InstanceTypes.allocatable('m7i-flex.large')).toMatchObject({ vcpus: 2, memoryMiB: 8192, maxPods: 29, architecture: 'amd64' });
    expect(InstanceTypes.allocatable('m7i-flex.metal')).toBeUndefined();
    const { app, chart } = appWith(cluster({ nodePools: [pool('flex', { instanceTypes: ['m7i-flex.large'] })] }));
    new WebService(chart, 'api', { image: IMAGE, resources: { memory: '64Gi' }, replicas: Replicas.fixed(3) });
    expect(errorOf(() => quietly(() => app.synth()))).toContain('pool flex: requests cpu 250m, memory 65536Mi do not fit its largest instance type m7i-flex.large');
  });

  test('the GPU families g4dn and g5 are in the table (CPU, memory, pods): a pod too large for g5.xlarge is refused', () => {
    expect(InstanceTypes.allocatable('g5.xlarge')).toMatchObject({ vcpus: 4, memoryMiB: 16384, maxPods: 58, architecture: 'amd64' });
    expect(InstanceTypes.allocatable('g4dn.2xlarge')).toMatchObject({ vcpus: 8, memoryMiB: 32768, maxPods: 29 });
    expect(InstanceTypes.allocatable('g5.48xlarge')).toMatchObject({ vcpus: 192, memoryMiB: 786432, maxPods: 345 });
    expect(InstanceTypes.allocatable('g5.large')).toBeUndefined();
    expect(InstanceTypes.allocatable('g5g.xlarge')).toBeUndefined();
    const { app, chart } = appWith(cluster({ nodePools: [pool('gpu', { instanceTypes: ['g5.xlarge'] })] }));
    new WebService(chart, 'api', { image: IMAGE, resources: { memory: '24Gi' }, replicas: Replicas.fixed(3) });
    expect(errorOf(() => quietly(() => app.synth()))).toContain('pool gpu: requests cpu 250m, memory 24576Mi do not fit its largest instance type g5.xlarge');
  });

  test('a pod requesting GPUs runs only on a pool with enough NVIDIA GPUs per node (resources.gpus)', () => {
    expect([InstanceTypes._nvidiaGpuCount('g5.xlarge'), InstanceTypes._nvidiaGpuCount('g5.12xlarge'), InstanceTypes._nvidiaGpuCount('g5.48xlarge'),
      InstanceTypes._nvidiaGpuCount('g4dn.12xlarge'), InstanceTypes._nvidiaGpuCount('p5.48xlarge'), InstanceTypes._nvidiaGpuCount('g6.xlarge'),
      InstanceTypes._nvidiaGpuCount('m7i.large')]).toEqual([1, 4, 8, 4, 8, undefined, undefined]);
    const gpuTaint = { key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' as const };
    // no GPU pool at all: refused, naming each pool's instances
    const none = appWith(cluster({ nodePools: [general] }));
    const w = new Worker(none.chart, 'infer', { image: IMAGE, resources: { gpus: 1 } });
    expect(w.deployment.toJson().spec.template.spec.containers[0].resources).toMatchObject({ requests: { 'nvidia.com/gpu': '1' }, limits: { 'nvidia.com/gpu': '1' } });
    expect(errorOf(() => quietly(() => none.app.synth()))).toContain('shop/infer/Deployment: spec.template.spec of Deployment shop/infer cannot be scheduled on any node pool of cluster shop-prod: '
      + 'pool general: needs 1 NVIDIA GPU (nvidia.com/gpu), and its instance types m7i.xlarge have none; give the workload a placement on a pool that can take it '
      + '(Placement.onPool(pool), or Placement.onKarpenterPool(pool) for a Karpenter pool); add a pool of NVIDIA GPU instances with enough GPUs per node');
    // a GPU pool of one GPU per node, and a pod asking for two; a Karpenter pool of c, m and r instances has none either
    const gpu = pool('gpu', { instanceTypes: ['g5.xlarge', 'g5.2xlarge'], taints: [gpuTaint] });
    const small = appWith(cluster({ nodePools: [general, gpu], karpenter: karpenterProfile('shop-prod', [karpenterPool('general', { instanceCategories: ['c', 'm', 'r'] })]) }));
    new Worker(small.chart, 'train', { image: IMAGE, resources: { gpus: 2 }, placement: Placement.onPool(gpu) });
    expect(errorOf(() => quietly(() => small.app.synth()))).toContain('pool gpu: needs 2 NVIDIA GPUs (nvidia.com/gpu) on one node, and the largest node of its instance types g5.xlarge, g5.2xlarge has 1');
    // placed on the GPU pool with enough GPUs: synthesizes; so does a pool of types whose GPUs the table does not count
    const fits = appWith(cluster({ nodePools: [general, pool('gpu4', { instanceTypes: ['g5.12xlarge'], taints: [gpuTaint] }), pool('g6', { instanceTypes: ['g6.xlarge'], taints: [gpuTaint] })] }));
    new Worker(fits.chart, 'train', { image: IMAGE, resources: { gpus: 4 }, placement: Placement.onPool(pool('gpu4', { instanceTypes: ['g5.12xlarge'], taints: [gpuTaint] })) });
    new Worker(fits.chart, 'infer', { image: IMAGE, resources: { gpus: 1 }, placement: Placement.onPool(pool('g6', { instanceTypes: ['g6.xlarge'], taints: [gpuTaint] })) });
    expect(() => quietly(() => fits.app.synth())).not.toThrow();
  });

  test('GPU pods beyond what the GPU pools hold: the fewest replicas are refused, an HPA maximum beyond it is noted', () => {
    const gpuTaint = { key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' as const };
    const gpu = pool('gpu', { instanceTypes: ['g5.xlarge'], minSize: 0, maxSize: 4, taints: [gpuTaint] });
    const fixed = appWith(cluster({ nodePools: [general, gpu] }));
    new WebService(fixed.chart, 'train', { image: IMAGE, resources: { gpus: 1 }, replicas: Replicas.fixed(5), placement: Placement.onPool(gpu) });
    expect(errorOf(() => quietly(() => fixed.app.synth()))).toContain('shop/train/Deployment: spec.replicas (5) of Deployment shop/train need 1 NVIDIA GPU (nvidia.com/gpu) each, '
      + 'but the node pools that can take its pods hold 4 such pods at most (gpu: 4 nodes of 1 GPU): 1 would stay Pending; raise the pools\' maxSize, '
      + 'use instance types with more GPUs, or run fewer replicas');
    // two GPUs a pod on one-GPU nodes is refused per pod already; an autoscaled one within the pool runs, with a note past it
    const scaled = appWith(cluster({ nodePools: [general, gpu] }));
    new WebService(scaled.chart, 'infer', { image: IMAGE, resources: { gpus: 1 }, replicas: Replicas.autoscale({ min: 3, max: 12 }), placement: Placement.onPool(gpu) });
    expect(stderrOf(() => scaled.app.synth())).toContain('shipshape note: cluster shop-prod: Deployment shop/infer may scale to 12 replicas (the maxReplicas of its HorizontalPodAutoscaler) '
      + 'of 1 NVIDIA GPU each, but the node pools that can take its pods hold 4 such pods at most (gpu: 4 nodes of 1 GPU): replicas past 4 stay Pending; '
      + 'raise the pools\' maxSize, or lower maxReplicas\n');
    const within = appWith(cluster({ nodePools: [general, gpu] }));
    new WebService(within.chart, 'infer', { image: IMAGE, resources: { gpus: 1 }, replicas: Replicas.autoscale({ min: 3, max: 4 }), placement: Placement.onPool(gpu) });
    expect(stderrOf(() => within.app.synth())).not.toContain('NVIDIA GPU');
  });

  test('a KEDA-scaled GPU worker: its minReplicaCount is refused past the GPU pools, its maxReplicaCount noted, as an HPA\'s bounds are', () => {
    const gpuTaint = { key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' as const };
    const gpu = pool('gpu', { instanceTypes: ['g5.xlarge'], minSize: 0, maxSize: 2, taints: [gpuTaint] });
    const triggers = [{ type: 'prometheus', metadata: { serverAddress: 'http://prometheus.monitoring:9090', query: 'sum(queue_depth)', threshold: '10' } }];
    const low = appWith(cluster({ nodePools: [general, gpu] }));
    new Worker(low.chart, 'infer', { image: IMAGE, resources: { gpus: 1 }, placement: Placement.onPool(gpu), scaling: WorkerScaling.keda({ min: 3, max: 20, triggers }) });
    expect(errorOf(() => quietly(() => low.app.synth()))).toContain('shop/infer/Deployment: the minReplicaCount (3) of KEDA ScaledObject infer of Deployment shop/infer need 1 NVIDIA GPU '
      + '(nvidia.com/gpu) each, but the node pools that can take its pods hold 2 such pods at most (gpu: 2 nodes of 1 GPU): 1 would stay Pending');
    const scaled = appWith(cluster({ nodePools: [general, gpu] }));
    new Worker(scaled.chart, 'infer', { image: IMAGE, resources: { gpus: 1 }, placement: Placement.onPool(gpu), scaling: WorkerScaling.keda({ min: 0, max: 20, triggers }) });
    expect(stderrOf(() => scaled.app.synth())).toContain('shipshape note: cluster shop-prod: Deployment shop/infer may scale to 20 replicas (the maxReplicaCount of its KEDA ScaledObject infer) '
      + 'of 1 NVIDIA GPU each, but the node pools that can take its pods hold 2 such pods at most (gpu: 2 nodes of 1 GPU): replicas past 2 stay Pending; '
      + 'raise the pools\' maxSize, or lower maxReplicaCount (the KEDA scaling\'s max)\n');
  });

  test('a KEDA minimum counts against a Karpenter pool\'s limits, and replicas that need a node each against the nodes its limits allow', () => {
    const burst = karpenterPool('burst', { taints: [{ key: 'shipshape.dev/burst', value: 'true', effect: 'NoSchedule' }], instanceTypes: ['c7i.large'], cpuLimit: 4, memoryLimitGiB: 16 });
    const karpenter = karpenterProfile('shop-prod', [burst]);
    const keda = appWith(cluster({ karpenter }));
    new Worker(keda.chart, 'crunch', {
      image: IMAGE,
      placement: Placement.onKarpenterPool(burst),
      resources: { cpu: '1500m', cpuLimit: '1500m', memory: '1Gi' },
      scaling: WorkerScaling.keda({ min: 3, max: 6, triggers: [{ type: 'cron', metadata: { timezone: 'Etc/UTC', start: '0 8 * * *', end: '0 18 * * *', desiredReplicas: '4' } }] }),
    });
    expect(errorOf(() => quietly(() => keda.app.synth()))).toContain('Karpenter pool burst of cluster shop-prod: the workloads only it can take ask for cpu 4500m');
    const spread = appWith(cluster({ karpenter }));
    new StatefulService(spread.chart, 'db', {
      image: IMAGE,
      placement: Placement.onKarpenterPool(burst),
      resources: { cpu: '500m', cpuLimit: '500m', memory: '512Mi' },
      volumes: [{ name: 'data', size: '1Gi', mountPath: '/data' }],
    });
    expect(errorOf(() => quietly(() => spread.app.synth()))).toContain('spec.replicas (3) of StatefulSet shop/db need a node each (a required pod anti-affinity on kubernetes.io/hostname), '
      + 'but the node pools that can take its pods scale to 2 nodes at most (burst: 2 nodes within its limits (spec.limits cpu 4, memory 16Gi), of its smallest instance type that fits the pods): '
      + '1 would stay Pending; raise a pool\'s maxSize (a Karpenter pool\'s maxCpu and maxMemoryGiB: cpuLimit and memoryLimitGiB in its profile), place the workload on more pools, or run fewer replicas');
  });

  test('resources.gpus must be a whole number from 1 to 64', () => {
    for (const gpus of [0, 1.5, -1, 65]) {
      expect(errorOf(() => new Worker(appWith(cluster()).chart, 'infer', { image: IMAGE, resources: { gpus } }))).toBe(
        `shop/infer: resources.gpus (${gpus}) must be a whole number of GPUs from 1 to 64 (a GPU is not shared between containers); use 1, or leave gpus out for a container without a GPU`);
    }
  });

  test('an identity bound to a ServiceAccount the app no longer creates, in a namespace it writes to, is named in a note', () => {
    const orders: WorkloadIdentityProfile = { ...podIdentity, namespace: 'shop', serviceAccount: 'orders', roleName: 'shop-prod-orders' };
    const other: WorkloadIdentityProfile = { ...podIdentity, namespace: 'billing', serviceAccount: 'invoices', roleName: 'shop-prod-invoices' };
    const controller: WorkloadIdentityProfile = { ...podIdentity, namespace: 'kube-system', serviceAccount: 'aws-load-balancer-controller', roleName: 'shop-prod-lbc' };
    const synthStderr = (withWorker: boolean) => {
      const { app, chart } = appWith(cluster({ workloadIdentities: [orders, other, controller] }));
      new WebService(chart, 'api', { image: IMAGE, replicas: Replicas.fixed(3) });
      if (withWorker) new Worker(chart, 'orders', { image: IMAGE, identity: orders });
      return stderrOf(() => app.synth());
    };
    const note = 'shipshape note: cluster shop-prod: workload identity shop-prod-orders is bound to ServiceAccount shop/orders, which this app does not create: '
      + 'its role and grants stay, usable by whoever creates that ServiceAccount; remove the identity (aws.EksCluster.addWorkloadIdentity) if its workload is gone';
    expect(synthStderr(false)).toContain(`${note}\n`);
    const { app, chart } = appWith(cluster({ workloadIdentities: [orders, other, controller] }));
    new WebService(chart, 'api', { image: IMAGE, replicas: Replicas.fixed(3) });
    expect(Template.fromApp(app, { policy: false }).notes).toContain(note);
    // the worker creates it; billing is another program's namespace; kube-system's come with the controllers' releases
    const withWorker = synthStderr(true);
    expect(withWorker).not.toContain('workload identity');
  });

  test('an identity in a namespace the app does not write to, whose name is a slip of one it does, is named with the namespace meant', () => {
    const typo: WorkloadIdentityProfile = { ...podIdentity, namespace: 'shpo', serviceAccount: 'orders', roleName: 'shop-prod-orders' };
    const other: WorkloadIdentityProfile = { ...podIdentity, namespace: 'billing', serviceAccount: 'invoices', roleName: 'shop-prod-invoices' };
    const { app, chart } = appWith(cluster({ workloadIdentities: [typo, other] }));
    new WebService(chart, 'api', { image: IMAGE, replicas: Replicas.fixed(3) });
    const stderr = stderrOf(() => app.synth());
    expect(stderr).toContain('shipshape note: cluster shop-prod: workload identity shop-prod-orders is bound to ServiceAccount shpo/orders, in a namespace this app writes '
      + 'nothing to; did you mean shop? If the identity is for a workload of this app, create it for that namespace (aws.EksCluster.addWorkloadIdentity)\n');
    expect(stderr).not.toContain('shop-prod-invoices');
  });

  test('a pool with instance types the table does not hold is named in a note: pod sizes are not checked there', () => {
    const { app, chart } = appWith(cluster({ nodePools: [general, pool('storage', { instanceTypes: ['i4i.xlarge', 'm7i.large', 'x2idn.16xlarge'] })] }));
    new WebService(chart, 'api', { image: IMAGE, replicas: Replicas.fixed(3) });
    const note = 'shipshape note: cluster shop-prod pool storage: instance types i4i.xlarge, x2idn.16xlarge are not in shipshape\'s table of node sizes, '
      + 'so whether pods fit the pool\'s nodes is not checked';
    // synthYaml() and Template.notes say it as synth() does
    expect(stderrOf(() => app.synthYaml())).toContain(`${note}\n`);
    expect(Template.fromApp(app, { policy: false }).notes).toContain(note);
    const stderr = stderrOf(() => app.synth());
    expect(stderr).toContain(`${note}\n`);
    expect(stderr).not.toContain('pool general');
  });

  test('a pod larger than a Karpenter pool\'s limits is refused on that pool (Karpenter launches no node past spec.limits)', () => {
    const batch = karpenterPool('batch', { taints: [{ key: 'shipshape.dev/batch', value: 'true', effect: 'NoSchedule' }], cpuLimit: 10, memoryLimitGiB: 40 });
    const karpenter = karpenterProfile('shop-prod', [batch]);
    const big = () => {
      const { app, chart } = appWith(cluster({ karpenter }));
      new Worker(chart, 'crunch', { image: IMAGE, placement: Placement.onKarpenterPool(batch), resources: { cpu: '12', cpuLimit: '12', memory: '1Gi' }, scaling: WorkerScaling.fixed(3) });
      return errorOf(() => quietly(() => app.synth()));
    };
    expect(big()).toContain('pool batch: requests cpu 12000m, memory 1024Mi exceed the pool\'s limits (spec.limits cpu 10, memory 40Gi): Karpenter launches no node for them');
    expect(big()).toContain('lower its requests, or raise the Karpenter pool\'s limits (maxCpu and maxMemoryGiB; cpuLimit and memoryLimitGiB in its profile)');
    expect(big()).not.toContain('larger instance types');
    const { app, chart } = appWith(cluster({ karpenter }));
    // 3 pods of 3 cpu fit the 10 cpu of the pool together (3 of 4 would not: see the next test)
    new Worker(chart, 'crunch', { image: IMAGE, placement: Placement.onKarpenterPool(batch), resources: { cpu: '3', cpuLimit: '3', memory: '1Gi' }, scaling: WorkerScaling.fixed(3) });
    expect(() => quietly(() => app.synth())).not.toThrow();
  });

  test('a workload only Karpenter pools can take, with none of their NodePools in the output, is noted (its pods would stay Pending); KarpenterResources in the app silences it', () => {
    const burst = karpenterPool('burst', { taints: [{ key: 'shipshape.dev/burst', value: 'true', effect: 'NoSchedule' }] });
    const karpenter = karpenterProfile('shop-prod', [burst]);
    const withWorker = () => {
      const { app, chart } = appWith(cluster({ karpenter }));
      new Worker(chart, 'crunch', { image: IMAGE, placement: Placement.onKarpenterPool(burst), resources: { cpu: '2', cpuLimit: '2', memory: '1Gi' }, scaling: WorkerScaling.fixed(3) });
      new WebService(chart, 'api', { image: IMAGE });
      return { app, chart };
    };
    const bare = withWorker();
    expect(stderrOf(() => bare.app.synth())).toContain('shipshape note: cluster shop-prod: Deployment shop/crunch can run only on Karpenter pool burst, and the output has no NodePool burst: '
      + 'unless it is applied from elsewhere, Karpenter launches no node for them and the pods stay Pending; add k8s.karpenter.KarpenterResources');
    const full = withWorker();
    new karpenterLib.KarpenterResources(new Chart(full.app, 'karpenter'), 'karpenter', { profile: karpenter });
    const stderr = stderrOf(() => full.app.synth());
    expect(stderr).not.toContain('can run only on Karpenter pool');
  });

  test('the workloads only one Karpenter pool can take count against its limits together, at their fewest pods (an HPA\'s minimum)', () => {
    const burst = karpenterPool('burst', { taints: [{ key: 'shipshape.dev/burst', value: 'true', effect: 'NoSchedule' }] });
    const karpenter = karpenterProfile('shop-prod', [burst]);
    const synth = (cpu: string, scaling: any, replicas?: any) => {
      const { app, chart } = appWith(cluster({ karpenter }));
      new Worker(chart, 'crunch', { image: IMAGE, placement: Placement.onKarpenterPool(burst), resources: { cpu, cpuLimit: cpu, memory: '1Gi' }, scaling });
      if (replicas) new WebService(chart, 'api', { image: IMAGE, placement: Placement.onKarpenterPool(burst), resources: { cpu, cpuLimit: cpu, memory: '1Gi' }, replicas });
      try {
        quietly(() => app.synth());
        return '';
      } catch (e: any) {
        return String(e.message);
      }
    };
    expect(synth('15', WorkerScaling.fixed(6))).toContain('Karpenter pool burst of cluster shop-prod: the workloads only it can take ask for cpu 90000m, memory 6144Mi '
      + 'at their fewest pods (Deployment shop/crunch: 6 × cpu 15000m, memory 1024Mi), above the pool\'s limits (spec.limits cpu 64, memory 256Gi): '
      + 'Karpenter launches no node past them, so some pods would stay Pending; raise the pool\'s limits (maxCpu and maxMemoryGiB; cpuLimit and memoryLimitGiB in its profile), '
      + 'or lower those replicas or requests');
    // two workloads together: 3 × 10 + an HPA minimum of 4 × 10 = 70 cpu
    expect(synth('10', WorkerScaling.fixed(3), Replicas.autoscale({ min: 4, max: 8 }))).toContain('ask for cpu 70000m');
    expect(synth('10', WorkerScaling.fixed(3))).toBe('');
  });

  test('a pod that fits the larger type of a mixed pool is accepted', () => {
    const { app, chart } = appWith(cluster({ nodePools: [general, spot] }));
    new Worker(chart, 'crunch', { image: IMAGE, resources: { memory: '20Gi', cpu: '4', cpuLimit: '4' }, placement: Placement.onPool(spot) });
    expect(() => objects(app)).not.toThrow();
  });
});

describe('identity', () => {
  test('a Pod Identity handle names the ServiceAccount, needs no annotation, and opens egress to the agent and the AWS APIs', () => {
    const { app, chart } = appWith();
    new WebService(chart, 'orders-api', { image: IMAGE, identity: podIdentity });
    const objs = objects(app);
    const sa = objs.find(o => o.kind === 'ServiceAccount');
    expect(sa.metadata.name).toBe('orders');
    expect(sa.metadata.annotations).toBeUndefined();
    expect(podOf(objs, 'Deployment', 'orders-api').serviceAccountName).toBe('orders');
    const egress = objs.find(o => o.kind === 'NetworkPolicy' && o.metadata.name === 'orders-api').spec.egress;
    expect(egress).toContainEqual({ to: [{ ipBlock: { cidr: '169.254.170.23/32' } }], ports: [{ port: 80, protocol: 'TCP' }] });
    expect(egress).toContainEqual({ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 443, protocol: 'TCP' }] });
  });

  test('in a network without internet access, the AWS APIs are HTTPS in the VPC only (their endpoints)', () => {
    const { app, chart } = appWith(cluster({ internetAccess: false }));
    new WebService(chart, 'orders-api', { image: IMAGE, identity: podIdentity });
    const egress = objects(app).find(o => o.kind === 'NetworkPolicy' && o.metadata.name === 'orders-api').spec.egress;
    expect(egress).toContainEqual({ to: [{ ipBlock: { cidr: '10.40.0.0/16' } }], ports: [{ port: 443, protocol: 'TCP' }] });
    expect(egress.filter((r: any) => r.to?.[0]?.ipBlock?.cidr === '0.0.0.0/0')).toEqual([]);
  });

  test('without internet access and without a vpcCidr, the egress stays open and a note says so; a vpcCidr that is no CIDR is refused', () => {
    const { app, chart } = appWith(cluster({ internetAccess: false, vpcCidr: undefined }));
    const w = new WebService(chart, 'orders-api', { image: IMAGE, identity: podIdentity });
    expect(w.node.metadata.map(m => m.data)).toContainEqual(expect.stringContaining('has no internet access but its profile names no vpcCidr'));
    expect(objects(app).find(o => o.kind === 'NetworkPolicy' && o.metadata.name === 'orders-api').spec.egress)
      .toContainEqual({ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 443, protocol: 'TCP' }] });
    const bad = appWith(cluster({ internetAccess: false, vpcCidr: '10.40.0.0' }));
    expect(errorOf(() => new WebService(bad.chart, 'orders-api', { image: IMAGE, identity: podIdentity }))).toMatch(/^shop\/orders-api: ClusterProfile.vpcCidr \("10.40.0.0"\)/);
  });

  test('an IRSA handle writes the literal role ARN annotation', () => {
    const { app, chart } = appWith();
    const irsa = { ...podIdentity, mechanism: 'irsa', serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/shop-prod-orders' } };
    new WebService(chart, 'orders-api', { image: IMAGE, identity: irsa });
    const sa = objects(app).find(o => o.kind === 'ServiceAccount');
    expect(sa.metadata.annotations).toEqual({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/shop-prod-orders' });
  });

  test('a role annotation in serviceAccountAnnotations that differs from the identity\'s is refused; the same one, or other annotations, are kept', () => {
    const other = { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/wrong' };
    const irsa = { ...podIdentity, mechanism: 'irsa', serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/shop-prod-orders' } };
    expect(errorOf(() => new WebService(appWith().chart, 'orders-api', { image: IMAGE, identity: irsa, serviceAccountAnnotations: other }))).toBe(
      'shop/orders-api: serviceAccountAnnotations.eks.amazonaws.com/role-arn ("arn:aws:iam::123456789012:role/wrong") names another role than the workload\'s identity '
      + '(arn:aws:iam::123456789012:role/shop-prod-orders), and would replace its annotation: the pods would assume that role; leave the annotation out: the identity writes what the ServiceAccount needs');
    expect(errorOf(() => new WebService(appWith().chart, 'orders-api', { image: IMAGE, identity: podIdentity, serviceAccountAnnotations: other }))).toBe(
      'shop/orders-api: serviceAccountAnnotations.eks.amazonaws.com/role-arn ("arn:aws:iam::123456789012:role/wrong") would give the pods IRSA credentials beside their EKS Pod Identity '
      + '(shop-prod-orders): the AWS SDKs try IRSA\'s web identity first, so the pods would assume that role; leave the annotation out: the identity writes what the ServiceAccount needs');
    const { app, chart } = appWith();
    new WebService(chart, 'orders-api', { image: IMAGE, identity: irsa, serviceAccountAnnotations: { ...irsa.serviceAccountAnnotations, 'eks.amazonaws.com/token-expiration': '3600' } });
    expect(objects(app).find(o => o.kind === 'ServiceAccount').metadata.annotations).toEqual({
      'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/shop-prod-orders', 'eks.amazonaws.com/token-expiration': '3600',
    });
  });

  test('a hand-written IRSA identity without the role annotation is told to add it (no EksCluster to give an account)', () => {
    const { chart } = appWith();
    const irsa = { ...podIdentity, mechanism: 'irsa', serviceAccountAnnotations: {} };
    expect(() => new WebService(chart, 'orders-api', { image: IMAGE, identity: irsa })).toThrow(
      'shop/orders-api: identity.serviceAccountAnnotations ({}) uses IRSA, whose ServiceAccount needs the role ARN in its eks.amazonaws.com/role-arn annotation, and the identity has none; '
      + "add 'eks.amazonaws.com/role-arn': 'arn:aws:iam::<account>:role/shop-prod-orders' to the identity's serviceAccountAnnotations, or use mechanism 'pod-identity' if the cluster associates the role with EKS Pod Identity");
  });

  test('a hand-written IRSA identity whose annotation names another role, or no role ARN, is refused: the pods would assume that role', () => {
    const irsa = (arn: string) => ({ ...podIdentity, mechanism: 'irsa', serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': arn } });
    const message = (arn: string) => validationMessageOf(() => new WebService(appWith().chart, 'orders-api', { image: IMAGE, identity: irsa(arn) }));
    expect(message('arn:aws:iam::123456789012:role/other-role')).toBe('shop/orders-api: identity.serviceAccountAnnotations.eks.amazonaws.com/role-arn ("arn:aws:iam::123456789012:role/other-role") '
      + "names role other-role, not the identity's role shop-prod-orders: the pods would assume other-role, whose permissions and trust are not the identity's; "
      + "write 'arn:aws:iam::<account>:role/shop-prod-orders', or set the identity's roleName to the role the pods should assume");
    expect(message('shop-prod-orders')).toContain('is not an IAM role ARN (arn:aws:iam::<account>:role/shop-prod-orders)');
    // a role under a path, in another partition: the name is the last segment
    expect(() => new WebService(appWith().chart, 'orders-api', { image: IMAGE, identity: irsa('arn:aws-cn:iam::123456789012:role/teams/shop/shop-prod-orders') })).not.toThrow();
  });

  test('a mechanism other than irsa or pod-identity is refused (the pods would get no AWS credentials), with the spelling meant', () => {
    const message = (mechanism: string) => validationMessageOf(() => new WebService(appWith().chart, 'orders-api', { image: IMAGE, identity: { ...podIdentity, mechanism } }));
    expect(message('pod_identity')).toBe('shop/orders-api: identity.mechanism ("pod_identity") is not a workload identity mechanism: \'irsa\' (the ServiceAccount carries the role ARN) '
      + 'or \'pod-identity\' (an EKS Pod Identity association; the pods reach the agent on 169.254.170.23); anything else gives the pods no AWS credentials; write \'pod-identity\'');
    expect(message('IRSA')).toContain("write 'irsa'");
    expect(message('oidc')).toContain("write 'irsa' or 'pod-identity' (aws.IdentityMechanism.IRSA or aws.IdentityMechanism.POD_IDENTITY)");
  });

  test('IRSA without the account at synth is refused', () => {
    const { chart } = appWith();
    // an identity of shipshape's EksCluster names its cluster
    const irsa = { ...podIdentity, mechanism: 'irsa', serviceAccountAnnotations: {}, clusterName: 'shop-prod' };
    const e = (() => {
      try {
        new WebService(chart, 'orders-api', { image: IMAGE, identity: irsa });
      } catch (x) {
        return x;
      }
      return undefined;
    })();
    expect(Errors.isValidationError(e)).toBe(true);
    expect((e as Error).message).toBe('shop/orders-api: identity ("shop-prod-orders") uses IRSA, whose ServiceAccount annotation needs the role ARN as a literal, but the ARN is only known after apply because the cluster was given no account id; '
      + 'set the cluster\'s account (EksClusterProps.account, or EksClusterAttributes.account for a cluster imported with EksCluster.fromClusterAttributes; the ARN is then written at synth), or create the identity with IdentityMechanism.POD_IDENTITY, which needs no annotation');
  });

  test('an identity of another namespace or ServiceAccount is refused', () => {
    const { chart } = appWith();
    expect(() => new WebService(chart, 'a', { image: IMAGE, namespace: 'billing', identity: podIdentity }))
      .toThrow('shop/a: identity.namespace ("shop") must be the workload\'s namespace (billing): the IAM role trusts exactly ServiceAccount orders of namespace shop');
    expect(() => new WebService(chart, 'b', { image: IMAGE, serviceAccountName: 'other', identity: podIdentity }))
      .toThrow('shop/b: serviceAccountName ("other") must be the identity\'s ServiceAccount (orders): the IAM role trusts only that name');
  });

  test('an identity of another cluster (not among this cluster\'s workload identities) is refused at synth', () => {
    const staging: WorkloadIdentityProfile = { ...podIdentity, roleName: 'shop-staging-orders' };
    const app = new App({ outdir: outdir(), cluster: cluster({ workloadIdentities: [podIdentity] }) });
    new WebService(new Chart(app, 'shop', { namespace: 'shop' }), 'orders-api', { image: IMAGE, identity: staging });
    expect(errorOf(() => quietly(() => app.synth()))).toContain('shop/orders-api: identity ("shop-staging-orders") is not one of the workload identities of cluster shop-prod (shop-prod-orders): '
      + 'its IAM role is bound to another cluster, so the pods would get no AWS credentials here; create the identity on this cluster (aws.EksCluster.addWorkloadIdentity) and pass that handle');
    // this cluster's own identity passes
    const ok = new App({ outdir: outdir(), cluster: cluster({ workloadIdentities: [podIdentity] }) });
    new WebService(new Chart(ok, 'shop', { namespace: 'shop' }), 'orders-api', { image: IMAGE, identity: podIdentity });
    expect(objects(ok).find(o => o.kind === 'ServiceAccount').metadata.name).toBe('orders');
  });

  test('the cluster\'s identity of a role with its ServiceAccount changed is refused naming what differs (not as another cluster\'s)', () => {
    const app = new App({ outdir: outdir(), cluster: cluster({ workloadIdentities: [podIdentity] }) });
    new WebService(new Chart(app, 'shop', { namespace: 'shop' }), 'orders-api', { image: IMAGE, identity: { ...podIdentity, serviceAccount: 'orders-v2' } });
    expect(errorOf(() => quietly(() => app.synth()))).toContain('shop/orders-api: identity ("shop-prod-orders") differs from cluster shop-prod\'s identity of that role in '
      + 'serviceAccount ("orders-v2", the cluster\'s: "orders"): the role trusts only the cluster\'s shop/orders, so the pods would get no AWS credentials; '
      + 'pass the identity as the cluster made it, or create one for this ServiceAccount (aws.EksCluster.addWorkloadIdentity)');
  });

  test('an identity that names another cluster (aws.WorkloadIdentity.profile does) is refused at synth, whatever this cluster\'s list holds', () => {
    const { app, chart } = appWith();
    new WebService(chart, 'orders-api', { image: IMAGE, identity: { ...podIdentity, clusterName: 'shop-staging' } });
    expect(errorOf(() => quietly(() => app.synth()))).toContain('shop/orders-api: identity ("shop-prod-orders") belongs to cluster shop-staging, not shop-prod: its IAM role trusts that cluster only, '
      + 'so the pods would get no AWS credentials here; create the identity on cluster shop-prod (aws.EksCluster.addWorkloadIdentity) and pass that handle');
    const ok = appWith();
    new WebService(ok.chart, 'orders-api', { image: IMAGE, identity: { ...podIdentity, clusterName: 'shop-prod' } });
    expect(objects(ok.app).find(o => o.kind === 'ServiceAccount').metadata.name).toBe('orders');
  });

  test('an Argo CD Application in Argo CD\'s namespace: the app neither creates nor isolates that namespace (Argo CD\'s own); an Argo Rollout\'s namespace it does', () => {
    const app = new App({ outdir: outdir(), cluster: cluster() });
    new WebService(new Chart(app, 'shop', { namespace: 'shop' }), 'web', { image: IMAGE });
    new ApiObject(new Chart(app, 'gitops', { namespace: 'argocd' }), 'shop-app', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'shop' },
      spec: { project: 'default', source: { repoURL: 'https://git.example.com/shop.git', path: 'dist', targetRevision: 'main' }, destination: { server: 'https://kubernetes.default.svc', namespace: 'shop' } },
    });
    new ApiObject(new Chart(app, 'rollouts', { namespace: 'canary' }), 'analysis', {
      apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisTemplate', metadata: { name: 'success-rate' }, spec: { metrics: [{ name: 'ok', provider: { job: { spec: { template: { spec: { containers: [], restartPolicy: 'Never' } } } } } }] },
    });
    const objs = quietly(() => objects(app));
    const namespaces = objs.filter(o => o.kind === 'Namespace').map(o => o.metadata.name).sort();
    expect(namespaces).toEqual(['canary', 'shop']);
    expect(objs.filter(o => o.kind === 'NetworkPolicy' && o.metadata.namespace === 'argocd')).toEqual([]);
  });

  test('a workload running as a ServiceAccount a workload identity of the cluster is bound to, without that identity, is refused at synth', () => {
    const irsa: WorkloadIdentityProfile = { ...podIdentity, mechanism: 'irsa', serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/shop-prod-orders' } };
    const annotations = irsa.serviceAccountAnnotations;
    for (const [identity, why, extra] of [
      [podIdentity, 'their NetworkPolicy keeps them from the Pod Identity agent, and from the AWS APIs', {}],
      [irsa, 'their NetworkPolicy keeps them from the AWS APIs, where the role is assumed with the ServiceAccount\'s token, and the ServiceAccount lacks the role annotation', {}],
      // the annotation written by hand: the NetworkPolicy still keeps the pods from STS
      [irsa, 'their NetworkPolicy keeps them from the AWS APIs, where the role is assumed with the ServiceAccount\'s token', { serviceAccountAnnotations: annotations }],
    ] as const) {
      const app = new App({ outdir: outdir(), cluster: cluster({ workloadIdentities: [identity] }) });
      new Worker(new Chart(app, 'shop', { namespace: 'shop' }), 'orders', { image: IMAGE, ...extra });
      expect(errorOf(() => quietly(() => app.synth()))).toContain('shop/orders: identity is not set, but ServiceAccount shop/orders the pods run as is bound to workload identity shop-prod-orders '
        + `of cluster shop-prod: without it the pods would get no AWS credentials (${why}); pass the identity's handle as identity `
        + '(aws.WorkloadIdentity.profile, or target.identity(...) in a fleet), or bind the identity to another ServiceAccount');
    }
    // another ServiceAccount name, or another namespace: not bound
    const app = new App({ outdir: outdir(), cluster: cluster({ workloadIdentities: [podIdentity] }) });
    new Worker(new Chart(app, 'shop', { namespace: 'shop' }), 'orders', { image: IMAGE, serviceAccountName: 'orders-reader' });
    new Worker(new Chart(app, 'billing', { namespace: 'billing' }), 'orders', { image: IMAGE });
    expect(objects(app).filter(o => o.kind === 'ServiceAccount').map(o => `${o.metadata.namespace}/${o.metadata.name}`).sort()).toEqual(['billing/orders', 'shop/orders-reader']);
  });

  test('a workload whose profile is not production on a production cluster is refused at synth; a stricter profile, or none, is accepted', () => {
    const app = new App({ outdir: outdir(), cluster: cluster() });
    new WebService(new Chart(app, 'shop', { namespace: 'shop' }), 'storefront', { image: IMAGE, profile: EnvironmentProfile.DEVELOPMENT });
    expect(errorOf(() => quietly(() => app.synth()))).toContain('shop/storefront: profile (development) is not the environment of cluster shop-prod (production): '
      + 'the workload would run with the development profile\'s defaults on a production cluster (fewer replicas, no disruption budget or spread); '
      + 'leave profile out (it follows the cluster\'s environment), or pass EnvironmentProfile.PRODUCTION');
    const staging = new App({ outdir: outdir(), cluster: cluster({ environment: EnvironmentProfile.STAGING }) });
    new WebService(new Chart(staging, 'shop', { namespace: 'shop' }), 'storefront', { image: IMAGE, profile: EnvironmentProfile.PRODUCTION });
    new WebService(new Chart(staging, 'admin', { namespace: 'admin' }), 'tools', { image: IMAGE });
    expect(objects(staging).filter(o => o.kind === 'Deployment')).toHaveLength(2);
  });

  test('one identity serves one workload: a second workload given it is refused at construction, naming the first and the fix', () => {
    const { app, chart } = appWith();
    new Worker(chart, 'orders', { image: IMAGE, identity: podIdentity });
    expect(() => new Worker(chart, 'orders-2', { name: 'orders-two', image: IMAGE, identity: podIdentity }))
      .toThrow('shop/orders-2: identity ("orders") is already the ServiceAccount of shop/orders in namespace shop: each workload writes its own ServiceAccount, '
        + 'and two of one name would overwrite each other (the ServiceAccount takes the identity\'s name, so an identity serves one workload); '
        + 'create another identity for this workload (aws.EksCluster.addWorkloadIdentity with a serviceAccount of its own) and grant it what this workload needs');
    // the same identity in another app (another output) is that app's own
    const other = appWith();
    new Worker(other.chart, 'orders', { image: IMAGE, identity: podIdentity });
    expect(objects(app).filter(o => o.kind === 'ServiceAccount').map(o => o.metadata.name)).toEqual(['orders']);
  });

  test('an IRSA role annotation written by hand, without identity: a note at synth unless an egress rule allows HTTPS', () => {
    const role = { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/api' };
    const { chart } = appWith();
    const closed = new WebService(chart, 'api', { image: IMAGE, serviceAccountAnnotations: role });
    const open = new WebService(chart, 'reports', { image: IMAGE, serviceAccountAnnotations: role });
    open.allowTo(NetworkPeer.cidr('10.40.0.0/16'), [443]);
    const notes = (w: WebService) => {
      w.node.validate();
      return w.node.metadata.filter(m => m.type === 'shipshape:info').map(m => m.data as string);
    };
    expect(notes(closed)).toEqual(['serviceAccountAnnotations names an IAM role for IRSA (arn:aws:iam::123456789012:role/api) without identity, and no egress rule of the '
      + 'NetworkPolicy allows HTTPS: where NetworkPolicies are enforced the pods reach neither STS nor the AWS APIs, so they cannot use the role; pass the identity\'s '
      + 'handle as identity (aws.WorkloadIdentity.profile), which writes the annotation and opens that egress, or allowTo the AWS endpoints on port 443']);
    expect(notes(open)).toEqual([]);
  });

  test('a Kubernetes API token (automountServiceAccountToken) without an egress rule for HTTPS: a note at synth naming the fix', () => {
    const { chart } = appWith();
    const closed = new Worker(chart, 'watcher', { image: IMAGE, automountServiceAccountToken: true });
    const open = new Worker(chart, 'operator', { image: IMAGE, automountServiceAccountToken: true });
    open.allowTo(NetworkPeer.cidr('10.40.0.0/16', { ports: [443] }));
    const tokenless = new Worker(chart, 'plain', { image: IMAGE });
    const notes = (w: Worker) => {
      w.node.validate();
      return w.node.metadata.filter(m => m.type === 'shipshape:info').map(m => m.data as string);
    };
    expect(notes(closed)).toEqual([expect.stringMatching(/^automountServiceAccountToken mounts a Kubernetes API token, but no egress rule of the NetworkPolicy allows HTTPS \(443\): where NetworkPolicies are enforced the pods cannot reach the API server, so they cannot use the token; allowTo\(NetworkPeer\.cidr\('[^']+', \{ ports: \[443\] \}\)\)/)]);
    expect(notes(open)).toEqual([]);
    expect(notes(tokenless)).toEqual([]);
  });

  test('an identity whose ServiceAccount an earlier workload took by serviceAccountName: the fix points at that workload', () => {
    const { chart } = appWith();
    new WebService(chart, 'api', { image: IMAGE, serviceAccountName: 'orders' });
    expect(() => new Worker(chart, 'orders', { image: IMAGE, identity: podIdentity }))
      .toThrow('shop/orders: identity ("orders") is already the ServiceAccount of shop/api in namespace shop: each workload writes its own ServiceAccount, '
        + 'and two of one name would overwrite each other (shop/api names it with serviceAccountName, without this identity: it would run with the identity\'s role); '
        + 'give shop/api another serviceAccountName (or leave it out), or create another identity for this workload');
  });

  test('a serviceAccountName another workload writes already is refused at construction', () => {
    const { chart } = appWith();
    new WebService(chart, 'api', { image: IMAGE });
    expect(() => new Worker(chart, 'mailer', { image: IMAGE, serviceAccountName: 'api' }))
      .toThrow('shop/mailer: serviceAccountName ("api") is already the ServiceAccount of shop/api in namespace shop: each workload writes its own ServiceAccount, '
        + 'and two of one name would overwrite each other; pass another serviceAccountName, or leave it out (it defaults to the workload\'s name)');
    // in another namespace it is another ServiceAccount
    new Worker(chart, 'mailer-billing', { image: IMAGE, namespace: 'billing', serviceAccountName: 'api' });
  });

  test('serviceAccountName names the ServiceAccount without an identity', () => {
    const { app, chart } = appWith();
    new WebService(chart, 'api', { image: IMAGE, serviceAccountName: 'shop-api' });
    const objs = objects(app);
    expect(objs.find(o => o.kind === 'ServiceAccount').metadata.name).toBe('shop-api');
    expect(podOf(objs, 'Deployment', 'api').serviceAccountName).toBe('shop-api');
  });
});

describe('storage, ingress classes and namespaces', () => {
  test('two default StorageClasses or two default IngressClasses are refused', () => {
    const gp3 = cluster().storageClasses[0];
    expect(errorOf(() => appWith(cluster({ storageClasses: [gp3, { ...gp3, name: 'io2' }] })))).toBe(
      '<app>: cluster.storageClasses (["gp3","io2"]) marks 2 classes as the default (gp3, io2) of cluster shop-prod: '
      + 'a claim that names no storage class would bind to the newest of them, whichever was created last; set isDefault on one of them only');
    expect(errorOf(() => appWith(cluster({ ingressClasses: [{ name: 'alb', controller: 'ingress.k8s.aws/alb', isDefault: true }, { name: 'nginx', controller: 'k8s.io/ingress-nginx', isDefault: true }] })))).toBe(
      '<app>: cluster.ingressClasses (["alb","nginx"]) marks 2 classes as the default (alb, nginx) of cluster shop-prod: '
      + 'the API server refuses every Ingress that names no class while more than one class is the default; set isDefault on one of them only');
    // one default among several is fine
    expect(() => appWith(cluster({ storageClasses: [gp3, { ...gp3, name: 'io2', isDefault: false }] }))).not.toThrow();
  });

  test('a Namespace of the program\'s own without Pod Security labels, where shipshape workloads run: said once, with what is not added', () => {
    const { app, chart } = appWith();
    new ApiObject(new Chart(app, 'legacy'), 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { team: 'shop' } } });
    new WebService(chart, 'api', { image: IMAGE });
    const note = 'shipshape note: legacy/ns: namespace shop is written by this Namespace of the program\'s own, so shipshape writes no Namespace for it: '
      + 'the Pod Security labels (pod-security.kubernetes.io/enforce) and the default-deny and allow-dns NetworkPolicies shipshape gives the namespaces it writes are not added '
      + '(SS-K8S-073 and SS-K8S-074 report what is missing); label this Namespace and add the policies yourself, or remove it and let shipshape write namespace shop\n';
    let objs: any[] = [];
    const err = stderrOf(() => { objs = YAML.parseAllDocuments(app.synthYaml()).map(d => d.toJS()).filter(Boolean); });
    expect(err.split(note).length - 1).toBe(1);
    expect(objs.filter(o => o.kind === 'Namespace').map(o => o.metadata.name)).toEqual(['shop']);
    expect(objs.filter(o => o.kind === 'NetworkPolicy' && o.metadata.name === 'default-deny')).toEqual([]);
    // a second synth says it once again, not twice
    expect(stderrOf(() => app.synthYaml()).split(note).length - 1).toBe(1);
  });

  test('a Namespace of the program\'s own with its enforce label, or where no shipshape workload runs, gets no note', () => {
    for (const [labels, ns] of [[{ 'pod-security.kubernetes.io/enforce': 'restricted' }, 'shop'], [{}, 'tools']] as const) {
      const { app, chart } = appWith();
      new ApiObject(new Chart(app, 'legacy'), 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels } });
      new WebService(chart, 'api', { image: IMAGE });
      expect(stderrOf(() => app.synthYaml())).not.toContain('Namespace of the program\'s own');
    }
  });

  test('the cluster\'s StorageClasses and IngressClasses are emitted, the default ones marked', () => {
    const { app, chart } = appWith();
    new WebService(chart, 'api', { image: IMAGE });
    const objs = objects(app);
    expect(objs.find(o => o.kind === 'StorageClass')).toEqual({
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: {
        name: 'gp3',
        labels: { 'app.kubernetes.io/part-of': 'shop-prod', 'app.kubernetes.io/managed-by': 'shipshape' },
        annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
      },
      provisioner: 'ebs.csi.aws.com',
      parameters: { type: 'gp3', encrypted: 'true' },
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
    });
    expect(objs.find(o => o.kind === 'IngressClass').spec).toEqual({ controller: 'ingress.k8s.aws/alb' });
  });

  test('an ingress class whose controller pods carry no label is refused (its NetworkPolicies would admit the whole namespace)', () => {
    const ic = { name: 'nginx', controller: 'k8s.io/ingress-nginx', isDefault: true, controllerNamespace: 'ingress-nginx', controllerPodLabels: {} };
    const { app, chart } = appWith(cluster({ ingressClasses: [ic] }));
    new WebService(chart, 'api', { image: IMAGE });
    expect(() => objects(app))
      .toThrow('cluster-resources: cluster.ingressClasses[nginx].controllerPodLabels ({}) is empty: the NetworkPolicy of every Ingress of this class would admit every pod of the controller\'s namespace; name the labels of the controller\'s pods, or leave controllerPodLabels unset for { "app.kubernetes.io/name": <class name> }');
  });

  test('a profile that lists no StorageClass knows none: claims are not checked against it (a fleet cluster given by its version)', () => {
    const { app, chart } = appWith(cluster({ storageClasses: [] }));
    new StatefulService(chart, 'db', { readiness: Probe.http('/readyz'), liveness: Probe.http('/livez'), image: IMAGE, port: 5432, volumes: [{ name: 'data', size: '20Gi', mountPath: '/var/lib/db' }] });
    expect(() => objects(app)).not.toThrow();
  });

  test('an empty storageClasses list means "not known", not "none": a claim naming any class is written as given, one naming none stays without a class', () => {
    const { app, chart } = appWith(cluster({ storageClasses: [] }));
    new StatefulService(chart, 'db', {
      readiness: Probe.http('/readyz'),
      liveness: Probe.http('/livez'),
      image: IMAGE,
      port: 5432,
      volumes: [
        { name: 'data', size: '20Gi', mountPath: '/var/lib/db', storageClassName: 'io2' },
        { name: 'wal', size: '5Gi', mountPath: '/var/lib/wal' },
      ],
    });
    const sts = objects(app).find(o => o.kind === 'StatefulSet');
    expect(sts.spec.volumeClaimTemplates.map((t: any) => t.spec.storageClassName)).toEqual(['io2', undefined]);
  });

  test('stateful workloads name the cluster\'s default class', () => {
    const { app, chart } = appWith();
    new StatefulService(chart, 'db', { readiness: Probe.http('/readyz'), liveness: Probe.http('/livez'), image: IMAGE, port: 5432, volumes: [{ name: 'data', size: '20Gi', mountPath: '/var/lib/db' }] });
    const sts = objects(app).find(o => o.kind === 'StatefulSet');
    expect(sts.spec.volumeClaimTemplates[0].spec.storageClassName).toBe('gp3');
  });

  test('a claim naming a class the cluster lacks is refused', () => {
    const { app, chart } = appWith();
    new StatefulService(chart, 'db', { readiness: Probe.http('/readyz'), liveness: Probe.http('/livez'), image: IMAGE, port: 5432, volumes: [{ name: 'data', size: '20Gi', mountPath: '/var/lib/db', storageClassName: 'io2' }] });
    expect(errorOf(() => quietly(() => app.synth()))).toContain(
      'shop/db/StatefulSet: spec.volumeClaimTemplates[0].spec.storageClassName ("io2") of StatefulSet shop/db is not a StorageClass of cluster shop-prod (gp3) nor of the output; the claim would stay Pending');
  });

  test('a StorageClass of the output for an EBS driver the cluster does not run is refused; the cluster\'s driver, or the in-tree name it serves, is accepted', () => {
    const sc = (chart: Chart, name: string, provisioner: string) => new ApiObject(chart, name, { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name }, provisioner });
    const autoMode = cluster({ storageClasses: [{ ...cluster().storageClasses![0], provisioner: 'ebs.csi.eks.amazonaws.com' }] });
    const app = new App({ outdir: outdir(), cluster: autoMode });
    sc(new Chart(app, 'storage'), 'ebs-sc', 'ebs.csi.aws.com');
    expect(errorOf(() => quietly(() => app.synth()))).toContain('storage/ebs-sc: provisioner ("ebs.csi.aws.com") of StorageClass ebs-sc is not the EBS driver of cluster shop-prod '
      + '(ebs.csi.eks.amazonaws.com): no driver would provision its claims, which would stay Pending; use provisioner "ebs.csi.eks.amazonaws.com", or one of the cluster\'s classes (gp3)');
    const ok = new App({ outdir: outdir(), cluster: cluster() });
    const storage = new Chart(ok, 'storage');
    sc(storage, 'io2', 'ebs.csi.aws.com');
    sc(storage, 'legacy', 'kubernetes.io/aws-ebs');
    sc(storage, 'efs', 'efs.csi.aws.com');
    expect(quietly(() => objects(ok)).filter(o => o.kind === 'StorageClass').map(o => o.metadata.name).sort()).toEqual(['efs', 'gp3', 'io2', 'legacy']);
  });

  test('an Ingress takes the cluster\'s default class; an ALB class makes it an internal ALB reached from the VPC', () => {
    const { app, chart } = appWith();
    const api = new WebService(chart, 'api', { image: IMAGE });
    new HttpIngress(chart, 'www', { rules: [{ host: 'shop.example.com', paths: [{ backend: api }] }], tls: IngressTls.acm('arn:aws:acm:eu-west-1:123456789012:certificate/abc') });
    const objs = objects(app);
    const ing = objs.find(o => o.kind === 'Ingress');
    expect(ing.spec.ingressClassName).toBe('alb');
    expect(ing.metadata.annotations['alb.ingress.kubernetes.io/scheme']).toBe('internal');
    const np = objs.find(o => o.kind === 'NetworkPolicy' && o.metadata.name === 'api');
    expect(np.spec.ingress[0].from).toEqual([{ ipBlock: { cidr: '10.40.0.0/16' } }]);
    // ip targets: the namespace takes the controller's pod readiness gate, so a rollout waits for healthy ALB targets
    expect(objs.find(o => o.kind === 'Namespace' && o.metadata.name === 'shop').metadata.labels['elbv2.k8s.aws/pod-readiness-gate-inject']).toBe('enabled');
  });

  test('a namespace with no ALB ingress takes no readiness gate label', () => {
    const { app, chart } = appWith();
    new WebService(chart, 'api', { image: IMAGE });
    expect(objects(app).find(o => o.kind === 'Namespace' && o.metadata.name === 'shop').metadata.labels['elbv2.k8s.aws/pod-readiness-gate-inject']).toBeUndefined();
  });

  test('an Ingress naming a class the cluster lacks is refused', () => {
    const { app, chart } = appWith();
    const api = new WebService(chart, 'api', { image: IMAGE });
    new HttpIngress(chart, 'www', { rules: [{ host: 'shop.example.com', paths: [{ backend: api }] }], tls: IngressTls.secret('shop-tls'), ingressClassName: 'nginx' });
    expect(errorOf(() => quietly(() => app.synth()))).toContain(
      'shop/www/Ingress: spec.ingressClassName ("nginx") of Ingress shop/www is not an IngressClass of cluster shop-prod (alb) nor of the output; no controller would serve it');
  });

  test('every namespace the app uses is created with Pod Security labels pinned to the cluster version; other charts depend on it', () => {
    const { app, chart } = appWith();
    new WebService(chart, 'api', { image: IMAGE });
    const ops = new Chart(app, 'ops', { namespace: 'observability' });
    const agent = new NodeAgent(ops, 'node-exporter', { image: IMAGE, ports: [{ name: 'metrics', port: 9100 }], hostAccess: [HostAccess.hostNetwork('reads the node network counters')] });
    Policy.suppress(agent, 'SS-K8S-010', 'node-exporter reads the node network counters');
    quietly(() => app.synth());
    const files = fs.readdirSync(app.outdir).filter(f => f.endsWith('.yaml')).sort();
    expect(files).toEqual(['0000-cluster-resources.k8s.yaml', '0001-shop.k8s.yaml', '0002-ops.k8s.yaml']);
    const docs = YAML.parseAllDocuments(fs.readFileSync(path.join(app.outdir, files[0]), 'utf-8')).map(d => d.toJS());
    const shop = docs.find(d => d.kind === 'Namespace' && d.metadata.name === 'shop');
    expect(shop.metadata.labels).toEqual({
      'app.kubernetes.io/managed-by': 'shipshape',
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'v1.33',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/warn-version': 'v1.33',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/audit-version': 'v1.33',
    });
    const obs = docs.find(d => d.kind === 'Namespace' && d.metadata.name === 'observability');
    expect(obs.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(obs.metadata.annotations['shipshape.io/pod-security-reason']).toBe('node agent node-exporter: reads the node network counters');
  });

  test('a node agent that only adds capabilities gets the least strict level that allows them; the namespace takes its agents\' least strict need', () => {
    const levelOf = (agents: Array<Array<ReturnType<typeof HostAccess.capability>>>) => {
      const { app } = appWith();
      const ops = new Chart(app, 'ops', { namespace: 'observability' });
      agents.forEach((hostAccess, i) => {
        const agent = new NodeAgent(ops, `agent-${i}`, { image: IMAGE, ports: [{ name: 'metrics', port: 9100 }], hostAccess });
        for (const id of ['SS-K8S-008', 'SS-K8S-010']) Policy.suppress(agent, id, 'the agent needs this host access, reviewed');
      });
      quietly(() => app.synth());
      const docs = YAML.parseAllDocuments(fs.readFileSync(path.join(app.outdir, '0000-cluster-resources.k8s.yaml'), 'utf-8')).map(d => d.toJS());
      return docs.find(d => d.kind === 'Namespace' && d.metadata.name === 'observability').metadata.labels['pod-security.kubernetes.io/enforce'];
    };
    const cap = (name: string) => HostAccess.capability(name, 'the agent needs this capability');
    expect(levelOf([[cap('NET_BIND_SERVICE')]])).toBe('restricted');
    expect(levelOf([[cap('CHOWN')]])).toBe('baseline');
    expect(levelOf([[cap('SYS_PTRACE')]])).toBe('privileged');
    // a baseline agent first, then one that needs privileged: the namespace must admit both
    expect(levelOf([[cap('CHOWN')], [HostAccess.hostNetwork('reads the node network counters')]])).toBe('privileged');
  });

  /** The findings of the app's last synth (its policy-report.json), as `<rule> <state> <path>`. */
  function findings(app: App): string[] {
    const report = JSON.parse(fs.readFileSync(path.join(app.outdir, '.shipshape', 'policy-report.json'), 'utf-8'));
    return report.findings.map((f: any) => `${f.ruleId} ${f.suppressed ? 'suppressed' : f.severity} ${f.path}`).sort();
  }

  test('every namespace it creates is isolated: default-deny both ways, DNS allowed; the output has no warning', () => {
    const { app, chart } = appWith();
    new WebService(chart, 'api', { image: IMAGE });
    quietly(() => app.synth());
    const docs = YAML.parseAllDocuments(fs.readFileSync(path.join(app.outdir, '0000-cluster-resources.k8s.yaml'), 'utf-8')).map(d => d.toJS());
    const inShop = docs.filter(d => d.metadata.name === 'shop' || d.metadata.namespace === 'shop');
    expect(inShop.map(d => `${d.kind} ${d.metadata.name}`)).toEqual(['Namespace shop', 'NetworkPolicy default-deny', 'NetworkPolicy allow-dns']);
    expect(inShop[1].spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(inShop[2].spec).toEqual({
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
      }],
    });
    expectValid(docs);
    expect(findings(app)).toEqual([]);
  });

  test('defaultDeny: false leaves a namespace open, and SS-K8S-074 says so', () => {
    const { app, chart } = appWith();
    new WebService(chart, 'api', { image: IMAGE });
    const resources = new ClusterResources(app, ClusterResources.ID, { cluster: cluster() });
    resources.addNamespace('shop', { defaultDeny: false });
    quietly(() => app.synth());
    expect(resources.namespacePolicies).toEqual({});
    // the workload's own policy allows DNS, so only the missing default deny is reported
    expect(findings(app)).toEqual(['SS-K8S-074 warning cluster-resources/namespace-shop']);
  });

  test('a namespace a node agent makes privileged carries SS-K8S-073 suppressed with the agent\'s reason', () => {
    const { app } = appWith();
    const ops = new Chart(app, 'ops', { namespace: 'observability' });
    const agent = new NodeAgent(ops, 'node-exporter', { image: IMAGE, ports: [{ name: 'metrics', port: 9100 }], hostAccess: [HostAccess.hostNetwork('reads the node network counters')] });
    Policy.suppress(agent, 'SS-K8S-010', 'node-exporter reads the node network counters');
    quietly(() => app.synth());
    expect(findings(app).filter(f => f.includes('namespace-'))).toEqual(['SS-K8S-073 suppressed cluster-resources/namespace-observability']);
    const ns = YAML.parseAllDocuments(fs.readFileSync(path.join(app.outdir, '0000-cluster-resources.k8s.yaml'), 'utf-8')).map(d => d.toJS())
      .find(d => d.kind === 'Namespace' && d.metadata.name === 'observability');
    expect(ns.metadata.annotations['suppress.shipshape.io/SS-K8S-073'])
      .toBe('the namespace enforces privileged for node agent node-exporter: reads the node network counters');
    // synthesized again: the suppression is not registered twice (a second one would be reported stale)
    quietly(() => app.synth());
    expect(findings(app).filter(f => f.includes('namespace-'))).toEqual(['SS-K8S-073 suppressed cluster-resources/namespace-observability']);
  });

  test('the SS-K8S-073 suppression is left out when that rule does not run (no unknown-rule error)', () => {
    const { app } = appWith();
    Policy.configure(app, { packs: [new KubernetesPack({ exclude: ['SS-K8S-073'] })] });
    const ops = new Chart(app, 'ops', { namespace: 'observability' });
    const agent = new NodeAgent(ops, 'node-exporter', { image: IMAGE, ports: [{ name: 'metrics', port: 9100 }], hostAccess: [HostAccess.hostNetwork('reads the node network counters')] });
    Policy.suppress(agent, 'SS-K8S-010', 'node-exporter reads the node network counters');
    quietly(() => app.synth());
    expect(findings(app).filter(f => f.includes('namespace-'))).toEqual([]);
  });

  test('a Namespace the app defines itself is not created twice', () => {
    const { app, chart } = appWith();
    new ApiObject(chart, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    new WebService(chart, 'api', { image: IMAGE });
    expect(objects(app).filter(o => o.kind === 'Namespace').length).toBe(1);
  });

  test('ClusterResources.addNamespace refuses a weaker level without a reason', () => {
    const r = new ClusterResources(new App(), 'c', { cluster: cluster() });
    expect(() => r.addNamespace('tools', { enforce: PodSecurityLevel.BASELINE }))
      .toThrow('c: namespaces.tools.reason (undefined) is required (at least 10 characters) when the namespace enforces baseline instead of restricted; say which workload needs host access and why');
  });

  test('Velero\'s namespace, where a backup\'s Schedule goes, is neither created nor isolated, nor asked of the cluster', () => {
    const { app, chart } = appWith();
    new StatefulService(chart, 'db', { readiness: Probe.http('/readyz'), liveness: Probe.http('/livez'), image: IMAGE, port: 5432, volumes: [{ name: 'data', size: '20Gi', mountPath: '/var/lib/db' }], backup: { schedule: Schedule.cron('0 2 * * *') } });
    const objs = objects(app);
    expect(objs.find(o => o.kind === 'Schedule').metadata.namespace).toBe('velero');
    expect(objs.filter(o => o.kind === 'Namespace').map(o => o.metadata.name)).toEqual(['shop']);
    expect(objs.filter(o => o.metadata.namespace === 'velero').map(o => o.kind)).toEqual(['Schedule']);
    // without cluster resources too: the cluster check does not ask for the operator's namespace
    const bare = new App({ outdir: outdir(), cluster: cluster(), clusterResources: false });
    const c2 = new Chart(bare, 'shop', { namespace: 'shop' });
    new ApiObject(c2, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    new StatefulService(c2, 'db', { readiness: Probe.http('/readyz'), liveness: Probe.http('/livez'), image: IMAGE, port: 5432, volumes: [{ name: 'data', size: '20Gi', mountPath: '/var/lib/db' }], backup: { schedule: Schedule.cron('0 2 * * *'), veleroNamespace: 'backups' } });
    expect(objects(bare).find(o => o.kind === 'Schedule').metadata.namespace).toBe('backups');
  });

  test('an object in a namespace that exists nowhere is refused when cluster resources are off', () => {
    const app = new App({ outdir: outdir(), cluster: cluster(), clusterResources: false });
    new WebService(new Chart(app, 'shop', { namespace: 'shop' }), 'api', { image: IMAGE });
    expect(errorOf(() => quietly(() => app.synth()))).toContain('metadata.namespace ("shop") of ServiceAccount shop/api does not exist in cluster shop-prod nor in the output');
  });

  test('a namespace a JSON patch sets gets no Namespace: the error says so and how to add it', () => {
    const app = new App({ outdir: outdir(), cluster: cluster() });
    const settings = new ApiObject(new Chart(app, 'shop', { namespace: 'shop' }), 'settings', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { a: '1' } });
    settings.addJsonPatch(JsonPatch.replace('/metadata/namespace', 'brandnew'));
    expect(errorOf(() => quietly(() => app.synth()))).toContain('metadata.namespace ("brandnew") of ConfigMap brandnew/settings does not exist in cluster shop-prod nor in the output; '
      + 'add the Namespace, or use an existing namespace (k8s.App writes a Namespace for each namespace its charts and objects name, when `clusterResources` is on, '
      + 'but not for one a JSON patch sets afterwards: add that one with new k8s.ClusterResources(app, k8s.ClusterResources.ID, { cluster }).addNamespace("brandnew"))');
  });
});

describe('facts flow from the cluster', () => {
  test('the cluster\'s Kubernetes version becomes the app\'s target, and its profile the context', () => {
    const { app, chart } = appWith();
    expect(KubernetesTarget.of(chart).toString()).toBe('1.33');
    expect(ClusterContext.of(chart)?.clusterName).toBe('shop-prod');
    expect(ClusterContext.of(new Chart(new App(), 'x'))).toBeUndefined();
    void app;
  });

  test('a node pool behind the control plane (an upgrade under way) makes its version the target: nothing its kubelets cannot run', () => {
    const upgrading = cluster({ kubernetesVersion: '1.29', nodePools: [general, pool('old', { kubernetesVersion: '1.28' })] });
    const { app, chart } = appWith(upgrading);
    expect(KubernetesTarget.of(chart).toString()).toBe('1.28');
    // Pod Security runs in the API server: its labels keep the control plane's version
    new WebService(chart, 'api', { image: IMAGE });
    expect(objects(app).find(o => o.kind === 'Namespace').metadata.labels['pod-security.kubernetes.io/enforce-version']).toBe('v1.29');
    // a chart asking for the control plane's version is told about the pool
    const other = appWith(upgrading);
    KubernetesTarget.set(other.chart, KubernetesVersion.V1_29);
    new WebService(other.chart, 'api', { image: IMAGE });
    expect(errorOf(() => quietly(() => other.app.synth()))).toContain('shop: KubernetesTarget ("1.29") is newer than Kubernetes 1.28, which the nodes of pool old of cluster shop-prod run');
  });

  test('the cluster\'s own kubernetesVersion is refused naming the app and the prop: out of range, or not a minor version', () => {
    expect(errorOf(() => appWith(cluster({ kubernetesVersion: '1.26' })))).toBe(
      '<app>: cluster.kubernetesVersion ("1.26") must be a Kubernetes version "1.N" with N from 27 to 39; use the minor version the cluster runs, for example "1.33"');
    expect(errorOf(() => appWith(cluster({ kubernetesVersion: '1.30.1' })))).toBe(
      '<app>: cluster.kubernetesVersion ("1.30.1") must be a Kubernetes minor version "1.N" with N from 27 to 39, without a leading v, a patch or a leading zero (a target is a minor version); write "1.30"');
    expect(errorOf(() => appWith(cluster({ kubernetesVersion: 'v1.30' })))).toContain('write "1.30"');
  });

  test('a node pool version newer than the control plane, too far behind it, or unreadable is refused, naming the pool', () => {
    const withPool = (kubernetesVersion: string) => () => appWith(cluster({ kubernetesVersion: '1.31', nodePools: [pool('general', { kubernetesVersion })] }));
    expect(errorOf(withPool('1.32'))).toBe('<app>: cluster.nodePools[0].kubernetesVersion ("1.32") (pool general) is newer than the control plane (1.31): nodes never run ahead of it; use 1.31 or older, or raise the cluster\'s kubernetesVersion');
    expect(errorOf(withPool('1.27'))).toBe('<app>: cluster.nodePools[0].kubernetesVersion ("1.27") (pool general) is more than 3 minor versions behind the control plane (1.31), the kubelet skew Kubernetes supports; raise the pool to 1.28 or newer');
    expect(errorOf(withPool('banana'))).toMatch(/^<app>: cluster.nodePools\[0\].kubernetesVersion \("banana"\) \(pool general\) must be a Kubernetes version/);
  });

  test('workloads take the cluster\'s environment as their profile unless they name one', () => {
    const { app, chart } = appWith(cluster({ environment: EnvironmentProfile.DEVELOPMENT }));
    const dev = new WebService(chart, 'api', { image: IMAGE });
    const prod = new WebService(chart, 'web', { image: IMAGE, profile: EnvironmentProfile.PRODUCTION });
    expect(dev.profile).toBe(EnvironmentProfile.DEVELOPMENT);
    expect(dev.replicas.min).toBe(1);
    expect(prod.profile).toBe(EnvironmentProfile.PRODUCTION);
    void app;
  });

  test('a claim several nodes would mount (ReadWriteMany) on an EBS class is refused: EBS volumes attach to one node', () => {
    const { app, chart } = appWith();
    new StatefulService(chart, 'db', { readiness: Probe.http('/readyz'), liveness: Probe.http('/livez'), image: IMAGE, port: 5432, volumes: [{ name: 'data', size: '20Gi', mountPath: '/var/lib/db', accessMode: VolumeAccessMode.READ_WRITE_MANY }] });
    expect(errorOf(() => quietly(() => app.synth()))).toContain('shop/db/StatefulSet: spec.volumeClaimTemplates[0].spec.accessModes (ReadWriteMany) of StatefulSet shop/db asks for a volume '
      + 'several nodes mount, but StorageClass gp3 of cluster shop-prod provisions ebs.csi.aws.com volumes, which attach to one node: the claim would stay Pending; '
      + 'use ReadWriteOnce (or ReadWriteOncePod), or a class whose volumes many nodes share (Amazon EFS, efs.csi.aws.com)');
    const ok = appWith();
    new StatefulService(ok.chart, 'db', { readiness: Probe.http('/readyz'), liveness: Probe.http('/livez'), image: IMAGE, port: 5432, volumes: [{ name: 'data', size: '20Gi', mountPath: '/var/lib/db', accessMode: VolumeAccessMode.READ_WRITE_ONCE_POD }] });
    expect(() => quietly(() => ok.app.synth())).not.toThrow();
  });

  test('replicas that need a node each (required anti-affinity per host) beyond the pools\' maxSize are refused', () => {
    const { app, chart } = appWith();
    new StatefulService(chart, 'db', { readiness: Probe.http('/readyz'), liveness: Probe.http('/livez'), image: IMAGE, port: 5432, replicas: 7, quorum: true, volumes: [{ name: 'data', size: '20Gi', mountPath: '/var/lib/db' }] });
    expect(errorOf(() => quietly(() => app.synth()))).toContain('shop/db/StatefulSet: spec.replicas (7) of StatefulSet shop/db need a node each (a required pod anti-affinity on '
      + 'kubernetes.io/hostname), but the node pools that can take its pods scale to 6 nodes at most (general: maxSize 6): 1 would stay Pending; '
      + 'raise a pool\'s maxSize, place the workload on more pools, or run fewer replicas');
    const ok = appWith();
    new StatefulService(ok.chart, 'db', { readiness: Probe.http('/readyz'), liveness: Probe.http('/livez'), image: IMAGE, port: 5432, replicas: 5, quorum: true, volumes: [{ name: 'data', size: '20Gi', mountPath: '/var/lib/db' }] });
    expect(() => quietly(() => ok.app.synth())).not.toThrow();
  });

  describe('pools nothing scales (autoscaled: false) hold their desired size', () => {
    const emptyBatch = pool('batch', { minSize: 0, maxSize: 5, autoscaled: false, taints: [{ key: 'shipshape.dev/batch', value: 'true', effect: 'NoSchedule' }] });
    const emptyGpu = pool('gpu', { minSize: 0, maxSize: 2, autoscaled: false, taints: [{ key: 'shipshape.dev/gpu', effect: 'NoSchedule' }] });
    const fixedGeneral = pool('general', { instanceTypes: ['m7i.xlarge'], minSize: 3, maxSize: 9, autoscaled: false });

    test('a workload that fits only a pool of zero nodes is refused, naming the pool, its sizes and the fix', () => {
      const { app, chart } = appWith(cluster({ nodePools: [general, emptyBatch] }));
      new Worker(chart, 'reindex', { image: IMAGE, placement: Placement.onPool(emptyBatch) });
      expect(errorOf(() => quietly(() => app.synth()))).toContain('shop/reindex/Deployment: spec.template.spec of Deployment shop/reindex can run only on node pool batch '
        + 'of cluster shop-prod, which holds no node and which nothing scales (minSize 0, desiredSize 0, maxSize 5): its pods would stay Pending; '
        + 'raise minSize of batch to 1 or more (and desiredSize, when set), or let the cluster-autoscaler scale it '
        + '(aws.EksCluster nodeGroupScaling: NodeGroupScaling.CLUSTER_AUTOSCALER; for a profile written by hand, autoscaled: true once an autoscaler runs)');
    });

    test('several such pools are named together; a scheduled job is refused as a Deployment is', () => {
      const { app, chart } = appWith(cluster({ nodePools: [general, emptyBatch, emptyGpu] }));
      new Worker(chart, 'train', { image: IMAGE, placement: Placement.onPools([emptyBatch, emptyGpu]) });
      const message = errorOf(() => quietly(() => app.synth()));
      expect(message).toContain('shop/train/Deployment: spec.template.spec of Deployment shop/train can run only on node pools batch and gpu of cluster shop-prod, '
        + 'which hold no node and which nothing scales (batch: minSize 0, desiredSize 0, maxSize 5; gpu: minSize 0, desiredSize 0, maxSize 2): its pods would stay Pending; '
        + 'raise minSize of batch and gpu to 1 or more (and desiredSize, when set), or let the cluster-autoscaler scale them');
      const job = appWith(cluster({ nodePools: [general, emptyBatch] }));
      new ScheduledJob(job.chart, 'nightly', { image: IMAGE, schedule: Schedule.cron('0 3 * * *'), placement: Placement.onPool(emptyBatch) });
      expect(errorOf(() => quietly(() => job.app.synth()))).toContain('shop/nightly/CronJob: spec.jobTemplate.spec.template.spec of CronJob shop/nightly can run only on node pool batch');
    });

    test('accepted: a pool that holds a node (desiredSize), one that something scales, or another pool beside the empty one', () => {
      const held = pool('batch', { ...emptyBatch, desiredSize: 1 });
      const scaled = pool('batch', { ...emptyBatch, autoscaled: true });
      const unsaid = pool('batch', { ...emptyBatch, autoscaled: undefined });
      for (const p of [held, scaled, unsaid]) {
        const { app, chart } = appWith(cluster({ nodePools: [general, p] }));
        new Worker(chart, 'reindex', { image: IMAGE, placement: Placement.onPool(p) });
        expect(() => quietly(() => app.synth())).not.toThrow();
      }
      const both = appWith(cluster({ nodePools: [general, emptyBatch] }));
      new Worker(both.chart, 'reindex', { image: IMAGE, placement: Placement.onPools([emptyBatch, general]) });
      expect(() => quietly(() => both.app.synth())).not.toThrow();
    });

    test('a node agent that fits only empty pools runs no pod and misses none: not refused', () => {
      const { app, chart } = appWith(cluster({ nodePools: [general, emptyBatch] }));
      new NodeAgent(chart, 'agent', { image: IMAGE, ports: [{ name: 'metrics', port: 9100 }], placement: Placement.onPool(emptyBatch) });
      expect(() => quietly(() => app.synth())).not.toThrow();
    });

    test('replicas that need a node each count the desired size of a pool nothing scales, not its maxSize', () => {
      const { app, chart } = appWith(cluster({ nodePools: [fixedGeneral, system, spot] }));
      new StatefulService(chart, 'db', { readiness: Probe.http('/readyz'), liveness: Probe.http('/livez'), image: IMAGE, port: 5432, replicas: 5, quorum: true, volumes: [{ name: 'data', size: '20Gi', mountPath: '/var/lib/db' }] });
      expect(errorOf(() => quietly(() => app.synth()))).toContain('shop/db/StatefulSet: spec.replicas (5) of StatefulSet shop/db need a node each (a required pod anti-affinity on '
        + 'kubernetes.io/hostname), but the node pools that can take its pods hold 3 nodes at most (general: 3 nodes, nothing scales it (minSize 3, desiredSize 3, maxSize 9)): '
        + '2 would stay Pending; let the cluster-autoscaler scale general (aws.EksCluster nodeGroupScaling: NodeGroupScaling.CLUSTER_AUTOSCALER; for a profile written by hand, '
        + 'autoscaled: true once an autoscaler runs), raise minSize (or desiredSize) of general, place the workload on more pools, or run fewer replicas');
      for (const p of [pool('general', { ...fixedGeneral, desiredSize: 5 }), pool('general', { ...fixedGeneral, autoscaled: true })]) {
        const ok = appWith(cluster({ nodePools: [p, system, spot] }));
        new StatefulService(ok.chart, 'db', { readiness: Probe.http('/readyz'), liveness: Probe.http('/livez'), image: IMAGE, port: 5432, replicas: 5, quorum: true, volumes: [{ name: 'data', size: '20Gi', mountPath: '/var/lib/db' }] });
        expect(() => quietly(() => ok.app.synth())).not.toThrow();
      }
    });
  });

  test('an ACM certificate of another region or account than the cluster\'s is refused (a load balancer serves only its own)', () => {
    const ingress = (arn: string) => () => {
      const { chart } = appWith();
      const api = new WebService(chart, 'api', { image: IMAGE });
      new HttpIngress(chart, 'www', { rules: [{ host: 'shop.example.com', paths: [{ backend: api }] }], tls: IngressTls.acm(arn) });
    };
    expect(errorOf(ingress('arn:aws:acm:us-east-1:123456789012:certificate/abc'))).toBe('shop/www: tls.certificateArn ("arn:aws:acm:us-east-1:123456789012:certificate/abc") '
      + 'is a certificate of region us-east-1, but cluster shop-prod runs in eu-west-1: a load balancer serves only certificates of its own region; '
      + 'request or import the certificate in ACM in eu-west-1 and use its ARN');
    expect(errorOf(ingress('arn:aws:acm:eu-west-1:210987654321:certificate/abc'))).toContain('is a certificate of account 210987654321, but cluster shop-prod runs in account 123456789012');
    expect(ingress('arn:aws:acm:eu-west-1:123456789012:certificate/abc')).not.toThrow();
  });

  test('in production, fewer replicas than the cluster has zones is refused', () => {
    const { app, chart } = appWith();
    new WebService(chart, 'api', { image: IMAGE, replicas: Replicas.fixed(2) });
    expect(errorOf(() => quietly(() => app.synth()))).toContain(
      'shop/api: replicas (2) must be at least the number of zones of cluster shop-prod (3) in production, so topology spread puts a replica in every zone '
      + 'and a zone outage leaves the rest serving; raise replicas to 3 or more');
  });

  test('the zone message names the prop that set the count: replicas.min, a StatefulService\'s replicas, a Worker\'s scaling.min', () => {
    const cases: Array<[string, (chart: Chart) => void, string]> = [
      ['autoscaled', c => new WebService(c, 'api', { image: IMAGE, replicas: Replicas.autoscale({ min: 2, max: 6 }) }), 'shop/api: replicas.min (2) must be'],
      ['stateful', c => new StatefulService(c, 'db', { readiness: Probe.http('/readyz'), liveness: Probe.http('/livez'), image: IMAGE, port: 5432, replicas: 1, volumes: [{ name: 'data', size: '20Gi', mountPath: '/var/lib/db' }] }), 'shop/db: replicas (1) must be'],
      ['keda', c => new Worker(c, 'mailer', { image: IMAGE, scaling: WorkerScaling.keda({ min: 1, max: 5, triggers: [{ type: 'cron', metadata: { timezone: 'UTC', start: '0 8 * * *', end: '0 18 * * *', desiredReplicas: '3' } }] }) }), 'shop/mailer: scaling.min (1) must be'],
      ['fixed worker', c => new Worker(c, 'mailer', { image: IMAGE, scaling: WorkerScaling.fixed(2) }), 'shop/mailer: scaling (2) must be'],
    ];
    for (const [, make, message] of cases) {
      const { app, chart } = appWith();
      make(chart);
      expect(errorOf(() => quietly(() => app.synth()))).toContain(message);
    }
    // the fix is written as the count is written: a fixed worker's is WorkerScaling.fixed(n), not a prop to raise
    const fixed = appWith();
    new Worker(fixed.chart, 'mailer', { image: IMAGE, scaling: WorkerScaling.fixed(2) });
    expect(errorOf(() => quietly(() => fixed.app.synth()))).toContain('a zone outage leaves the rest serving; use WorkerScaling.fixed(3) or more');
    const keda = appWith();
    new Worker(keda.chart, 'mailer', { image: IMAGE, scaling: WorkerScaling.keda({ min: 1, max: 5, triggers: [{ type: 'cron', metadata: { timezone: 'UTC', start: '0 8 * * *', end: '0 18 * * *', desiredReplicas: '3' } }] }) });
    expect(errorOf(() => quietly(() => keda.app.synth()))).toContain('a zone outage leaves the rest serving; raise scaling.min to 3 or more');
  });

  test('a StatefulService run as one instance on purpose (replicas: 1, spread: false) is accepted in production, with a note', () => {
    const { app, chart } = appWith();
    new StatefulService(chart, 'db', { readiness: Probe.http('/readyz'), liveness: Probe.http('/livez'), image: IMAGE, port: 5432, replicas: 1, spread: false, volumes: [{ name: 'data', size: '20Gi', mountPath: '/var/lib/db' }] });
    const stderr = stderrOf(() => app.synth());
    expect(stderr).toContain('shipshape note: shop/db: one instance on purpose (replicas: 1, spread: false): a node drain, node failure or zone outage stops it');
    expect(stderr).not.toContain('SS-K8S-');
    // spread on (the default), or two replicas without spread: still one replica per zone
    for (const props of [{ replicas: 1 }, { replicas: 2, spread: false }]) {
      const other = appWith();
      new StatefulService(other.chart, 'db', { readiness: Probe.http('/readyz'), liveness: Probe.http('/livez'), image: IMAGE, port: 5432, ...props, volumes: [{ name: 'data', size: '20Gi', mountPath: '/var/lib/db' }] });
      expect(errorOf(() => quietly(() => other.app.synth()))).toContain(
        `shop/db: replicas (${props.replicas}) must be at least the number of zones of cluster shop-prod (3) in production, so topology spread puts a replica in every zone `
        + 'and a zone outage leaves the rest serving; raise replicas to 3 or more; or, for a store that does not replicate itself, run one instance on purpose: replicas: 1 with spread: false');
    }
  });

  test('a quorum store on a cluster of four zones is told one odd count that both rules accept (5), not 4 and then 3', () => {
    const four = cluster({ zones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c', 'eu-west-1d'] });
    const db = (replicas: number) => {
      const { app, chart } = appWith(four);
      new StatefulService(chart, 'db', {
        readiness: Probe.http('/readyz'),
        liveness: Probe.http('/livez'),
        image: IMAGE,
        port: 2379,
        replicas,
        quorum: true,
        volumes: [{ name: 'data', size: '20Gi', mountPath: '/var/lib/db' }],
      });
      return app;
    };
    expect(errorOf(() => quietly(() => db(3).synth()))).toContain('shop/db: replicas (3) must be at least the number of zones of cluster shop-prod (4) in production, '
      + 'so topology spread puts a replica in every zone and a zone outage leaves the rest serving; raise replicas to 5 or more (an odd count: the replicas form a quorum)');
    expect(errorOf(() => db(4))).toBe('shop/db: replicas (4) must be odd for a quorum system: an even count tolerates no more failures than one replica fewer; use 5 replicas');
  });

  test('KEDA scale-to-zero (scaling.min 0) is not held to the zone count', () => {
    const { app, chart } = appWith();
    new Worker(chart, 'mailer', { image: IMAGE, scaling: WorkerScaling.keda({ min: 0, max: 6, triggers: [{ type: 'cron', metadata: { timezone: 'UTC', start: '0 8 * * *', end: '0 18 * * *', desiredReplicas: '3' } }] }) });
    expect(() => quietly(() => app.synth())).not.toThrow();
  });

  test('the whole output is strictly valid and passes the policy without error', () => {
    const { app, chart } = appWith();
    const api = new WebService(chart, 'api', { image: IMAGE, identity: podIdentity });
    api.allowFrom(NetworkPeer.ingressController('kube-system', { 'app.kubernetes.io/name': 'aws-load-balancer-controller' }));
    const www = new HttpIngress(chart, 'www', { rules: [{ host: 'shop.example.com', paths: [{ backend: api }] }], tls: IngressTls.acm('arn:aws:acm:eu-west-1:123456789012:certificate/abc') });
    expect(www.ingressClassName).toBe('alb');
    new StatefulService(chart, 'db', { readiness: Probe.http('/readyz'), liveness: Probe.http('/livez'), image: IMAGE, port: 5432, volumes: [{ name: 'data', size: '20Gi', mountPath: '/var/lib/db' }] });
    new Worker(chart, 'batch', { image: IMAGE, placement: Placement.onPool(spot) });
    const objs = objects(app);
    expectValid(objs);
    expect(policyErrors(objs)).toEqual([]);
  });
});

describe('charts that depend on the cluster-resources chart', () => {
  test('the files come in dependency order, and no object gets a dependency on each object of the other chart (objects x objects at scale)', () => {
    const dir = outdir();
    const app = new App({ cluster: cluster(), outdir: dir });
    for (const ns of ['a', 'b']) new WebService(new Chart(app, ns, { namespace: ns }), 'api', { image: 'ghcr.io/acme/api:1.0.0' });
    quietly(() => app.synth());
    expect(fs.readdirSync(dir).filter(f => f.endsWith('.yaml')).sort()).toEqual(['0000-cluster-resources.k8s.yaml', '0001-a.k8s.yaml', '0002-b.k8s.yaml']);
    const crossChart = app.node.findAll().filter(c => ApiObject.isApiObject(c))
      .flatMap(c => c.node.dependencies.filter(d => Chart.of(d) !== Chart.of(c)).map(d => `${c.node.path} -> ${d.node.path}`));
    expect(crossChart).toEqual([]);
  });
});

describe.each([
  ['FILE_PER_RESOURCE', YamlOutputType.FILE_PER_RESOURCE, ''],
  ['FOLDER_PER_CHART_FILE_PER_RESOURCE', YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE, '0000-cluster-resources/'],
])('per-resource output (%s) of a cluster app with two namespaces', (_name, yamlOutputType, resources) => {
  function synthTwoNamespaces(): { dir: string; written: string[] } {
    const dir = outdir();
    const app = new App({ cluster: cluster(), outdir: dir, yamlOutputType });
    for (const ns of ['shop', 'ops']) new WebService(new Chart(app, ns, { namespace: ns }), 'api', { image: IMAGE });
    quietly(() => app.synth());
    const written: string[] = [];
    const walk = (d: string) => fs.readdirSync(d, { withFileTypes: true }).forEach(e => {
      if (e.name === '.shipshape') return;
      if (e.isDirectory()) walk(path.join(d, e.name)); else if (e.name.endsWith('.yaml')) written.push(path.relative(dir, path.join(d, e.name)));
    });
    walk(dir);
    return { dir, written: written.sort() };
  }

  test('each namespace\'s default-deny and allow-dns policies get a file of their own (named with its namespace)', () => {
    const { dir, written } = synthTwoNamespaces();
    for (const policy of ['default-deny', 'allow-dns']) {
      const files = written.filter(f => f.startsWith(`${resources}0001-NetworkPolicy.${policy}.`));
      expect(files).toHaveLength(2);
      expect(files).toEqual([`${resources}0001-NetworkPolicy.${policy}.ops.k8s.yaml`, `${resources}0001-NetworkPolicy.${policy}.shop.k8s.yaml`]);
      const namespaces = files.map(f => YAML.parse(fs.readFileSync(path.join(dir, f), 'utf-8')).metadata.namespace);
      expect(namespaces).toEqual(['ops', 'shop']);
    }
  });

  test('the Namespace files sort first, so kubectl apply -f of the folder creates them before the objects in them', () => {
    const { written } = synthTwoNamespaces();
    expect(written.filter(f => f.startsWith(`${resources}0000-`)).sort()).toEqual([`${resources}0000-Namespace.ops.k8s.yaml`, `${resources}0000-Namespace.shop.k8s.yaml`]);
    // kubectl reads a folder's files in name order: the Namespaces before every object in them
    const inFolder = written.filter(f => f.startsWith(resources));
    expect(inFolder.slice(0, 2)).toEqual([`${resources}0000-Namespace.ops.k8s.yaml`, `${resources}0000-Namespace.shop.k8s.yaml`]);
  });

  test('what pods use or are governed by from their start comes next (0001-), then the workloads', () => {
    const { written } = synthTwoNamespaces();
    const files = written.map(f => f.slice(f.lastIndexOf('/') + 1));
    const at = (re: RegExp) => files.findIndex(f => re.test(f));
    const lastPrerequisite = Math.max(...['NetworkPolicy', 'ServiceAccount', 'ResourceQuota', 'LimitRange'].map(k => files.map(f => f.startsWith(`0001-${k}.`)).lastIndexOf(true)));
    expect(files.filter(f => /^0001-(NetworkPolicy|ServiceAccount)\./.test(f)).length).toBeGreaterThan(0);
    // in the one-folder layout every prerequisite sorts before every Deployment (each chart's folder in the other one)
    if (resources === '') expect(lastPrerequisite).toBeLessThan(at(/^Deployment\./));
    expect(files.filter(f => /^(NetworkPolicy|ServiceAccount|ResourceQuota|LimitRange|ConfigMap|Secret|Role|RoleBinding)\./.test(f))).toEqual([]);
  });
});
