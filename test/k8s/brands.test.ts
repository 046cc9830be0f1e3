import * as cdk8s from 'cdk8s';
import * as constructs from 'constructs';
import { one, validationErrors } from './networking/traffic-util';

type Shipshape = typeof import('../../lib');

/**
 * A fresh copy of the shipshape library, as when an app and a team's construct library each bring their own
 * (npm installs shipshape twice but cdk8s and constructs, its peer dependencies, once).
 */
function copyOfShipshape(): Shipshape {
  let lib: Shipshape | undefined;
  jest.isolateModules(() => {
    jest.doMock('cdk8s', () => cdk8s);
    jest.doMock('constructs', () => constructs);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    lib = require('../../lib');
  });
  return lib!;
}

const a = copyOfShipshape();
const b = copyOfShipshape();
const chart = () => new cdk8s.Chart(cdk8s.Testing.app(), 'shop', { namespace: 'shop' });
const ingressFrom = (objs: any[], name: string) => one(objs, 'NetworkPolicy', name).spec.ingress.map((r: any) => r.from[0]);
const egressTo = (objs: any[], name: string) => one(objs, 'NetworkPolicy', name).spec.egress.slice(1).map((r: any) => r.to[0]);
const pods = (name: string) => ({ podSelector: { matchLabels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': name } } });

describe('two copies of shipshape in one app', () => {
  test('the copies are distinct: instanceof does not see across them, the brand guard does', () => {
    const c = chart();
    const web = new a.k8s.WebService(c, 'web', { image: 'ghcr.io/acme/web:2.0.1' });
    expect(a.k8s.WebService).not.toBe(b.k8s.WebService);
    expect(web instanceof b.k8s.Workload).toBe(false);
    expect(b.k8s.Workload.isWorkload(web)).toBe(true);
    expect(b.k8s.Workload.isWorkload({})).toBe(false);
    expect(b.k8s.Workload.isWorkload(null)).toBe(false);
  });

  test('allowFrom between workloads of the two copies writes both sides of the NetworkPolicy', () => {
    const c = chart();
    const web = new a.k8s.WebService(c, 'web', { image: 'ghcr.io/acme/web:2.0.1' });
    const api = new b.k8s.WebService(c, 'api', { image: 'ghcr.io/acme/api:1.4.2' });
    api.allowFrom(web);
    const objs = c.toJson();
    expect(ingressFrom(objs, 'api')).toEqual([pods('web')]);
    expect(egressTo(objs, 'web')).toEqual([pods('api')]);
  });

  test('allowTo across copies writes both sides too', () => {
    const c = chart();
    const web = new a.k8s.WebService(c, 'web', { image: 'ghcr.io/acme/web:2.0.1' });
    const api = new b.k8s.WebService(c, 'api', { image: 'ghcr.io/acme/api:1.4.2' });
    web.allowTo(api);
    const objs = c.toJson();
    expect(ingressFrom(objs, 'api')).toEqual([pods('web')]);
    expect(egressTo(objs, 'web')).toEqual([pods('api')]);
  });

  test('a worker of one copy refuses inbound connections declared by the other', () => {
    const c = chart();
    const web = new a.k8s.WebService(c, 'web', { image: 'ghcr.io/acme/web:2.0.1' });
    const worker = new b.k8s.Worker(c, 'worker', { image: 'ghcr.io/acme/worker:1.0.0' });
    expect(() => web.allowTo(worker)).toThrow(/shop\/web: allowTo \("shop\/worker"\) is a Worker, which accepts no inbound connections/);
  });

  test('a mesh of one copy authorizes a workload of the other by its identity', () => {
    const c = chart();
    const mesh = new a.k8s.mesh.IstioMesh(c, 'mesh');
    const web = new b.k8s.WebService(c, 'web', { image: 'ghcr.io/acme/web:2.0.1' });
    const api = new a.k8s.WebService(c, 'api', { image: 'ghcr.io/acme/api:1.4.2' });
    api.allowFrom(web);
    mesh.enrol(api);
    mesh.enrol(web as any);
    expect(validationErrors(c)).toEqual([]);
    expect(one(c.toJson(), 'AuthorizationPolicy', 'api').spec.rules).toEqual([
      { from: [{ source: { principals: ['cluster.local/ns/shop/sa/web'] } }], to: [{ operation: { ports: ['8080'] } }] },
    ]);
  });

  test('a matcher of one copy is a matcher for the other (testing submodule), Match.absent included', () => {
    expect(b.testing.Matcher.isMatcher(a.testing.Match.anyValue())).toBe(true);
    expect(b.testing.Matcher.isMatcher({ name: 'absent', test: () => undefined })).toBe(false);
    expect(b.testing.Match.objectLike({ spec: { replicas: a.testing.Match.absent() } }).test({ spec: { replicas: 3 } }).hasFailed()).toBe(true);
    expect(b.testing.Match.objectLike({ spec: { replicas: a.testing.Match.absent() } }).test({ spec: {} }).hasFailed()).toBe(false);
  });

  test('HostAccess, Schedule and KubernetesVersion of one copy are accepted by the other', () => {
    const c = chart();
    a.k8s.KubernetesTarget.set(c, a.k8s.KubernetesVersion.V1_30);
    expect(b.k8s.KubernetesTarget.of(c).minor).toBe(30);
    const job = new b.k8s.ScheduledJob(c, 'report', { image: 'ghcr.io/acme/report:3.1.0', schedule: a.k8s.Schedule.cron('0 6 * * *') });
    expect(job.schedule).toBe('0 6 * * *');
    const agent = new b.k8s.NodeAgent(c, 'agent', {
      image: 'quay.io/prometheus/node-exporter:v1.8.2',
      ports: [{ name: 'metrics', port: 9100 }],
      hostAccess: [a.k8s.HostAccess.hostPid('counts the processes of the node')],
    });
    expect(one(c.toJson(), 'DaemonSet', 'agent').spec.template.spec.hostPID).toBe(true);
    expect(agent.hostAccess).toHaveLength(1);
  });
});

describe('cdk8s App recognised without instanceof', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { isCdk8sApp } = require('../../lib/policy/internal');

  test('an App of this cdk8s, a k8s.App, an App of another copy of cdk8s; not a Chart nor a plain object', () => {
    let other: typeof cdk8s | undefined;
    jest.isolateModules(() => {
      other = jest.requireActual<typeof cdk8s>('cdk8s');
    });
    expect(other!.App).not.toBe(cdk8s.App);
    const app = cdk8s.Testing.app();
    expect(isCdk8sApp(app)).toBe(true);
    expect(isCdk8sApp(new a.k8s.App({ outdir: '/nonexistent-shipshape-test' }))).toBe(true);
    expect(isCdk8sApp(new other!.App({ outdir: '/nonexistent-shipshape-test' }))).toBe(true);
    expect(isCdk8sApp(new cdk8s.Chart(app, 'c'))).toBe(false);
    expect(isCdk8sApp({ synth: () => undefined, outdir: '/x' })).toBe(false);
    expect(isCdk8sApp(null)).toBe(false);
  });

  test('Policy.attach accepts an App of another copy of cdk8s', () => {
    let other: typeof cdk8s | undefined;
    jest.isolateModules(() => {
      other = jest.requireActual<typeof cdk8s>('cdk8s');
    });
    const app = new other!.App({ outdir: '/nonexistent-shipshape-test' });
    expect(() => a.policy.Policy.attach(app as any, { writeReports: false })).not.toThrow();
    expect(() => a.policy.Policy.attach({ node: app.node } as any)).toThrow(/must be a cdk8s App or Chart/);
  });
});
