/**
 * KubernetesTarget against the cluster the app is for: a target newer than the cluster's Kubernetes is refused at
 * synth, before anything is written; an older one is allowed, and what shipshape writes for it runs on the cluster.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { cluster, errorOf, IMAGE, outdir, quietly } from './platform/fixtures';
import { Errors } from '../../lib/core';
import { App, ClusterContext, Job, KubernetesTarget, KubernetesVersion, NetworkPeer, WebService } from '../../lib/k8s';
import { LogShipper } from '../../lib/k8s/sidecars';
import { Template } from '../../lib/testing';
import { policyErrors } from '../util/k8s';
import { expectValid, parseYamlDocuments } from '../util/schema';

const HEAD = 'a Kubernetes target is newer than the cluster it is for';
const WHY = (target: string, runs: string, by = 'App({ cluster })') => `is newer than Kubernetes ${runs}, which cluster shop-prod runs (its profile's kubernetesVersion, given to ${by}): `
  + `its API server drops or refuses what only ${target} knows (a native sidecar's restartPolicy: Always before 1.29, and the pod hangs in Init), so the output would not run as written`;

function appFor(kubernetesVersion: string): { app: App; chart: Chart; dir: string } {
  const dir = outdir();
  const app = new App({ outdir: dir, cluster: cluster({ kubernetesVersion }) });
  return { app, chart: new Chart(app, 'shop', { namespace: 'shop' }), dir };
}

describe('a target newer than the cluster is refused at synth', () => {
  test('a chart targeting 1.35 on a 1.33 cluster: synth fails naming the chart, both versions and the fix; nothing is written', () => {
    const { app, chart, dir } = appFor('1.33');
    KubernetesTarget.set(chart, KubernetesVersion.V1_35);
    new WebService(chart, 'api', { image: IMAGE });
    const message = `${HEAD} (1 problem); nothing was written:\n  shop: KubernetesTarget ("1.35") ${WHY('1.35', '1.33')}; `
      + 'remove the KubernetesTarget.set call on shop (it then takes its parent\'s target), or set 1.33 or older (KubernetesTarget.set(chart, KubernetesVersion.V1_33)); '
      + 'if the cluster already runs 1.35, update kubernetesVersion in its profile (aws.EksCluster version) instead';
    expect(quietly(() => errorOf(() => app.synth()))).toBe(message);
    expect(fs.readdirSync(dir)).toEqual([]);
    // synthYaml and testing.Template take the same step
    expect(quietly(() => errorOf(() => app.synthYaml()))).toBe(message);
    expect(errorOf(() => Template.fromApp(app))).toBe(message);
  });

  test('the error is a shipshape validation error', () => {
    const { app, chart } = appFor('1.33');
    KubernetesTarget.set(chart, KubernetesVersion.V1_34);
    let caught: unknown;
    try {
      quietly(() => app.synthYaml());
    } catch (e) {
      caught = e;
    }
    expect(Errors.isValidationError(caught)).toBe(true);
  });

  test('the user\'s report: a hand-written 1.28 profile, a chart targeting 1.30 with a LogShipper (a native sidecar 1.28 would drop) is refused', () => {
    const { app, chart } = appFor('1.28');
    KubernetesTarget.set(chart, KubernetesVersion.V1_30);
    new WebService(chart, 'web', { image: IMAGE }).addSidecar(new LogShipper({ destination: NetworkPeer.namespace('logging', { ports: [24224] }) }));
    expect(quietly(() => errorOf(() => app.synthYaml()))).toBe(`${HEAD} (1 problem); nothing was written:\n  shop: KubernetesTarget ("1.30") ${WHY('1.30', '1.28')}; `
      + 'remove the KubernetesTarget.set call on shop (it then takes its parent\'s target), or set 1.28 or older (KubernetesTarget.set(chart, KubernetesVersion.V1_28)); '
      + 'if the cluster already runs 1.30, update kubernetesVersion in its profile (aws.EksCluster version) instead');
  });

  test('set on the app itself (over the cluster\'s version), and on a construct inside a chart: each is named', () => {
    const { app, chart } = appFor('1.31');
    KubernetesTarget.set(app, KubernetesVersion.V1_32);
    const group = new Construct(chart, 'batch');
    KubernetesTarget.set(group, KubernetesVersion.of('1.33'));
    expect(quietly(() => errorOf(() => app.synthYaml()))).toBe(`${HEAD} (2 problems); nothing was written:\n`
      + `  <app>: KubernetesTarget ("1.32") ${WHY('1.32', '1.31')}; remove the KubernetesTarget.set call on app (the app then targets the cluster's 1.31), `
      + 'or set 1.31 or older (KubernetesTarget.set(app, KubernetesVersion.V1_31)); if the cluster already runs 1.32, update kubernetesVersion in its profile (aws.EksCluster version) instead\n'
      + `  shop/batch: KubernetesTarget ("1.33") ${WHY('1.33', '1.31')}; remove the KubernetesTarget.set call on shop/batch (it then takes its parent's target), `
      + 'or set 1.31 or older (KubernetesTarget.set(chart, KubernetesVersion.V1_31)); if the cluster already runs 1.33, update kubernetesVersion in its profile (aws.EksCluster version) instead');
  });

  test('a cluster set on a chart with ClusterContext (the app has none) is held to the same check, and the message says where the cluster came from', () => {
    const app = new App({ outdir: outdir() });
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    ClusterContext.set(chart, cluster({ kubernetesVersion: '1.29' }));
    KubernetesTarget.set(chart, KubernetesVersion.V1_30);
    expect(quietly(() => errorOf(() => app.synthYaml()))).toContain(`shop: KubernetesTarget ("1.30") ${WHY('1.30', '1.29', 'ClusterContext.set')}; `);
  });

  test('a previous output stays as it was when a later synth is refused', () => {
    const { app, chart, dir } = appFor('1.33');
    new WebService(chart, 'api', { image: IMAGE });
    quietly(() => app.synth());
    const files = fs.readdirSync(dir).sort();
    const before = fs.readFileSync(path.join(dir, files.find(f => f.endsWith('.yaml'))!), 'utf-8');
    App._forgetOutdirs();
    const again = new App({ outdir: dir, cluster: cluster({ kubernetesVersion: '1.33' }) });
    const next = new Chart(again, 'shop', { namespace: 'shop' });
    KubernetesTarget.set(next, KubernetesVersion.V1_36);
    new WebService(next, 'api', { image: IMAGE });
    expect(quietly(() => errorOf(() => again.synth()))).toContain('shop: KubernetesTarget ("1.36")');
    expect(fs.readdirSync(dir).sort()).toEqual(files);
    expect(fs.readFileSync(path.join(dir, files.find(f => f.endsWith('.yaml'))!), 'utf-8')).toBe(before);
  });
});

describe('the cluster\'s version, or an older target, is allowed', () => {
  test('the app targets the cluster\'s version; the same version set again is fine', () => {
    const { app, chart } = appFor('1.33');
    expect(KubernetesTarget.of(chart).toString()).toBe('1.33');
    KubernetesTarget.set(chart, KubernetesVersion.V1_33);
    expect(() => quietly(() => app.synthYaml())).not.toThrow();
  });

  test('without a known cluster, any target is allowed (the check needs the cluster\'s version)', () => {
    const app = new App({ outdir: outdir() });
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    KubernetesTarget.set(chart, KubernetesVersion.V1_36);
    new WebService(chart, 'api', { image: IMAGE });
    expect(() => quietly(() => app.synthYaml())).not.toThrow();
  });

  test('a 1.28 target on a 1.33 cluster: sidecars are regular containers, the namespace enforces the cluster\'s Pod Security version, '
    + 'and the output is valid for 1.27 and the current release with no policy error', () => {
    const { app, chart } = appFor('1.33');
    KubernetesTarget.set(chart, KubernetesVersion.V1_28);
    new WebService(chart, 'web', { image: IMAGE }).addSidecar(new LogShipper({ destination: NetworkPeer.namespace('logging', { ports: [24224] }) }));
    const docs = parseYamlDocuments(quietly(() => app.synthYaml()));
    const pod = docs.find(d => d.kind === 'Deployment' && d.metadata.name === 'web').spec.template.spec;
    expect(pod.containers.map((c: any) => c.name)).toEqual(['app', 'log-shipper']);
    expect(pod.initContainers).toBeUndefined();
    const ns = docs.find(d => d.kind === 'Namespace' && d.metadata.name === 'shop');
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce-version']).toBe('v1.33');
    expectValid(docs);
    expect(policyErrors(docs)).toEqual([]);
  });

  test('what an older target cannot express safely is refused, not written: a long-running sidecar on a Job below 1.29', () => {
    const { app, chart } = appFor('1.33');
    KubernetesTarget.set(chart, KubernetesVersion.V1_28);
    new Job(chart, 'migrate', { image: IMAGE }).addSidecar(new LogShipper({ destination: NetworkPeer.namespace('logging', { ports: [24224] }) }));
    expect(quietly(() => errorOf(() => app.synthYaml()))).toContain('shop/migrate: sidecars.log-shipper ("log-shipper") is a long-running container, which on the Kubernetes 1.28 target');
  });
});
