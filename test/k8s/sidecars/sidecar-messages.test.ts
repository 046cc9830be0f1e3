import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart } from 'cdk8s';
import * as ts from 'typescript';
import * as k8s from '../../../lib/k8s';
import { App, NetworkPeer, Probe, StatefulService, WebService, Worker } from '../../../lib/k8s';
import { AmbassadorProxy, InitTask, InitTasks, LogShipper, MetricsAdapter } from '../../../lib/k8s/sidecars';
import { stderrOf, validationMessageOf } from '../../util/k8s';
import { expectValid } from '../../util/schema';
import { one, testChart } from '../networking/traffic-util';

const IMAGE = 'ghcr.io/acme/api:1.4.2';
const ROOT = path.join(__dirname, '..', '..', '..');
/** What plain JavaScript may pass where the types say otherwise. */
const js = (v: unknown): any => v;

const messageOf = validationMessageOf;

const CLASH = 'is already a port of the pod, where %s listens on it (containers share one network namespace)';

describe('a sidecar port the pod already has: the error names the prop that sets it', () => {
  test('a second LogShipper on the default monitoring port names monitoringPort (LogShipperProps has no port), and leaves no trace', () => {
    const chart = testChart();
    const api = new WebService(chart, 'api', { image: IMAGE });
    api.addSidecar(new LogShipper());
    expect(messageOf(() => api.addSidecar(new LogShipper({ name: 'forwarder' }))))
      .toBe(`shop/api: sidecars.forwarder.monitoringPort (2020) ${CLASH.replace('%s', 'sidecar log-shipper')}; set monitoringPort to a port no other container listens on, for example 2021`);
    // refused before the shipper wrote its ConfigMap
    expect(api.node.tryFindChild('forwarder-ConfigMap')).toBeUndefined();
    expect(api.sidecars.map(s => s.name)).toEqual(['log-shipper']);
  });

  test('following the fix, a second shipper with its own name, directory and monitoringPort runs beside the first', () => {
    const chart = testChart();
    const api = new WebService(chart, 'api', { image: IMAGE });
    api.addSidecar(new LogShipper());
    api.addSidecar(new LogShipper({ name: 'forwarder', logDirectory: '/var/log/audit', monitoringPort: 2021 }));
    const objs = chart.toJson();
    const containers = one(objs, 'Deployment').spec.template.spec.containers;
    expect(containers.map((c: any) => [c.name, c.ports?.[0].name, c.ports?.[0].containerPort])).toEqual([
      ['app', 'http', 8080], ['log-shipper', 'log-http', 2020], ['forwarder', 'log-http-2', 2021],
    ]);
    expect(containers[2].readinessProbe.httpGet.port).toBe('log-http-2');
    expectValid(objs);
  });

  test('a second shipper of the same name is refused for its name, not its port', () => {
    const api = new WebService(testChart(), 'api', { image: IMAGE });
    api.addSidecar(new LogShipper());
    expect(messageOf(() => api.addSidecar(new LogShipper())))
      .toBe('shop/api: sidecars.log-shipper.name ("log-shipper") is already the name of a container in this pod; give each sidecar its own name');
  });

  test('an init task named like the app container is named as the sidecar\'s container, not as the sidecar\'s name', () => {
    const api = new WebService(testChart(), 'api', { image: IMAGE });
    expect(messageOf(() => api.addSidecar(new InitTasks({ tasks: [InitTask.run('app', { image: IMAGE, command: ['/bin/migrate'] })] }))))
      .toBe('shop/api: sidecars.init container ("app") is already the name of a container in this pod (the app container); '
        + 'give that container of init (an init task, a sidecar container) another name');
  });

  test('a MetricsAdapter on a shipper\'s port names its own port prop, and the fix skips the ports taken', () => {
    const api = new WebService(testChart(), 'api', { image: IMAGE });
    api.addSidecar(new LogShipper());
    api.addSidecar(new LogShipper({ name: 'forwarder', logDirectory: '/var/log/audit', monitoringPort: 2021 }));
    expect(messageOf(() => api.addSidecar(new MetricsAdapter({ image: 'prom/statsd-exporter:v0.28.0', port: 2020 }))))
      .toBe(`shop/api: sidecars.metrics-adapter.port (2020) ${CLASH.replace('%s', 'sidecar log-shipper')}; set port to a port no other container listens on, for example 2022`);
  });

  test('an AmbassadorProxy on the app\'s port, or a sidecar\'s, names listenPort', () => {
    const api = new WebService(testChart(), 'api', { image: IMAGE });
    const proxy = (listenPort: number) => new AmbassadorProxy({ image: 'gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.14.0', listenPort, upstream: NetworkPeer.cidr('10.0.32.0/20', { ports: [3307] }) });
    expect(messageOf(() => api.addSidecar(proxy(8080))))
      .toBe(`shop/api: sidecars.ambassador.listenPort (8080) ${CLASH.replace('%s', 'the app container')}; set listenPort to a port no other container listens on, for example 8081`);
    api.addSidecar(new MetricsAdapter({ image: 'prom/statsd-exporter:v0.28.0' }));
    expect(messageOf(() => api.addSidecar(proxy(9102))))
      .toBe(`shop/api: sidecars.ambassador.listenPort (9102) ${CLASH.replace('%s', 'sidecar metrics-adapter')}; set listenPort to a port no other container listens on, for example 9103`);
  });
});

describe('the @example of LogShipper (in API.md) runs as written', () => {
  const SOURCE = path.join(ROOT, 'lib', 'k8s', 'sidecars', 'log-shipper.ts');
  const example = () => {
    const text = fs.readFileSync(SOURCE, 'utf-8');
    const at = text.indexOf('export class LogShipper ');
    const doc = text.slice(text.lastIndexOf('/**', at), at);
    const match = /@example\n([\s\S]*?)\*\//.exec(doc);
    if (!match) throw new Error('LogShipper\'s TSDoc has no @example');
    return match[1].split('\n').map(l => l.replace(/^\s*\* ?/, '')).join('\n').trim();
  };

  test('every addSidecar call of the example succeeds, and the output is valid', () => {
    const code = example();
    expect(code).toContain('new k8s.sidecars.LogShipper()');
    expect(code).toContain("name: 'forwarder'");
    const chart = testChart();
    const api = new WebService(chart, 'api', { image: IMAGE });
    const worker = new Worker(chart, 'worker', { image: IMAGE });
    const run = new Function('k8s', 'api', 'worker', ts.transpileModule(code, { compilerOptions: { target: ts.ScriptTarget.ES2020 } }).outputText);
    run(k8s, api, worker);
    expect([api, worker].map(w => w.sidecars.map(s => s.name))).toEqual([['log-shipper'], ['forwarder']]);
    expectValid(chart.toJson());
  });
});

describe('a wait for a workload of the app, declared without a peer: the note names the workload, not an address range', () => {
  const BLOCKED = 'on a cluster that enforces NetworkPolicies the connection is dropped and the pods never start (the task waits until its timeout, fails and is retried); ';
  /** The synth notes of an app with `api` waiting for `host:port`, after `setup` (which may add the database). */
  const notes = (host: string, port: number, setup: (chart: Chart, api: WebService) => void) => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-wait-')) });
    const chart = new Chart(app, 'orders', { namespace: 'orders' });
    const api = new WebService(chart, 'api', { image: IMAGE });
    api.addSidecar(new InitTasks({ tasks: [InitTask.waitFor('wait-db', { host, port })] }));
    setup(chart, api);
    try {
      return stderrOf(() => app.synth()).split('\n').filter(l => l.includes('init task'));
    } finally {
      fs.rmSync(app.outdir, { recursive: true, force: true });
    }
  };
  const db = (chart: Chart) => new StatefulService(chart, 'db', { readiness: Probe.exec(['pg_isready']), liveness: Probe.tcp(), image: 'ghcr.io/acme/postgres:16.4', port: 5432, volumes: [{ name: 'data', size: '10Gi', mountPath: '/var/lib/postgresql/data' }] });

  test('"db", the Service of a StatefulService in the namespace, defined after the waiting workload', () => {
    expect(notes('db', 5432, chart => { db(chart); })).toEqual([
      'shipshape note: orders/api: init task wait-db waits for db:5432, but no egress rule of the NetworkPolicy allows port 5432: ' + BLOCKED
      + '"db" names the Service orders/db of StatefulService orders/db: give the task its `peer` (peer: db), or declare the connection with allowTo (allowTo(db))',
    ]);
  });

  test('the Service\'s full name, and a pod of the headless Service, name the workload too', () => {
    expect(notes('db.orders.svc.cluster.local', 5432, chart => { db(chart); })).toEqual([expect.stringContaining(
      '"db.orders.svc.cluster.local" names the Service orders/db of StatefulService orders/db: give the task its `peer` (peer: db), or declare the connection with allowTo (allowTo(db))')]);
    expect(notes('db-0.db-headless.orders.svc.cluster.local', 5432, chart => { db(chart); })).toEqual([expect.stringContaining(
      '"db-0.db-headless.orders.svc.cluster.local" names the Service orders/db-headless of StatefulService orders/db: give the task its `peer` (peer: db), or declare the connection with allowTo (allowTo(db))')]);
  });

  test('no note once the workload allows the connection with allowTo(db), or the task has its peer', () => {
    expect(notes('db', 5432, (chart, api) => api.allowTo(db(chart)))).toEqual([]);
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-wait-')) });
    try {
      const chart = new Chart(app, 'orders', { namespace: 'orders' });
      const api = new WebService(chart, 'api', { image: IMAGE });
      api.addSidecar(new InitTasks({ tasks: [InitTask.waitFor('wait-db', { host: 'db', port: 5432, peer: db(chart) })] }));
      expect(stderrOf(() => app.synth())).not.toContain('init task');
    } finally {
      fs.rmSync(app.outdir, { recursive: true, force: true });
    }
  });

  test('a host no workload of the app names (another namespace\'s "db", an outside name) keeps the CIDR example', () => {
    const cidr = 'give the task its `peer`, or declare the connection with allowTo (for example allowTo(NetworkPeer.cidr(\'10.0.0.0/16\'), [5432]))';
    expect(notes('db.billing', 5432, chart => { db(chart); })).toEqual([expect.stringContaining(BLOCKED + cidr)]);
    expect(notes('db.example.com', 5432, chart => { db(chart); })).toEqual([expect.stringContaining(BLOCKED + cidr)]);
  });
});

describe('sidecar paths that are missing or empty suggest a path, not "/"', () => {
  test('a renderConfig task without outputPath', () => {
    const api = new WebService(testChart(), 'api', { image: IMAGE });
    expect(messageOf(() => api.addSidecar(new InitTasks({ tasks: [InitTask.renderConfig('render', js({ image: IMAGE }))] }))))
      .toBe('shop/api: sidecars.init.tasks[0].outputPath (undefined) is required; give an absolute path such as "/etc/api"');
  });

  test('an empty logDirectory and configMountPath; a relative one is still made absolute', () => {
    const api = new WebService(testChart(), 'api', { image: IMAGE });
    expect(messageOf(() => api.addSidecar(new LogShipper({ logDirectory: '' }))))
      .toBe('shop/api: sidecars.log-shipper.logDirectory ("") must be an absolute path; give an absolute path such as "/var/log/app"');
    expect(messageOf(() => api.addSidecar(new LogShipper({ configMountPath: '' }))))
      .toBe('shop/api: sidecars.log-shipper.configMountPath ("") must be an absolute path; give an absolute path such as "/fluent-bit/etc"');
    expect(messageOf(() => api.addSidecar(new LogShipper({ logDirectory: 'logs' }))))
      .toBe('shop/api: sidecars.log-shipper.logDirectory ("logs") must be an absolute path; write it as "/logs"');
  });
});
