import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { expectError, one, testChart, validationErrors } from './traffic-util';
import { HttpIngress, HttpRoute, IngressTls, IWebService, Job, NetworkPeer, NetworkPeerConfig, Probe, StatefulService, WebService, Worker } from '../../../lib/k8s';
import { IstioMesh } from '../../../lib/k8s/mesh';
import { InitTask, InitTasks, LogShipper } from '../../../lib/k8s/sidecars';

// How allowFrom / allowTo (and an init task's wait) turn into NetworkPolicy rules on both sides of a connection.

const IMAGE = 'ghcr.io/acme/api:1.4.2';
const DB_IMAGE = 'ghcr.io/acme/db:16.4';
const tcp = (...ports: number[]) => ports.map(port => ({ port, protocol: 'TCP' }));
const policy = (chart: Chart, name: string) => one(chart.toJson(), 'NetworkPolicy', name).spec;
const podsOf = (name: string) => ({ podSelector: { matchLabels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': name } } });
/** The ingress rules from pods of workload `from` (same namespace). */
const isPodsOf = (peers: any[], name: string) => peers.length === 1 && !peers[0].namespaceSelector && peers[0].podSelector?.matchLabels?.['app.kubernetes.io/name'] === name;
const ingressFrom = (chart: Chart, name: string, from: string) => policy(chart, name).ingress.filter((r: any) => isPodsOf(r.from, from));
/** The egress rules to pods of workload `to` (same namespace). */
const egressTo = (chart: Chart, name: string, to: string) => policy(chart, name).egress.filter((r: any) => isPodsOf(r.to, to));

/** A replicated database with a client port 5432 and a replication port 5433 for its replicas only. */
function withDb() {
  const chart = testChart();
  const db = new StatefulService(chart, 'db', { readiness: Probe.http('/readyz'), liveness: Probe.http('/livez'), image: DB_IMAGE, port: 5432, peerPorts: [{ name: 'repl', port: 5433 }] });
  return { chart, db };
}

describe('StatefulService peerPorts are for its replicas only', () => {
  test('allowFrom(job) without ports opens the client port only, on both sides', () => {
    const { chart, db } = withDb();
    new Job(chart, 'job', { image: IMAGE });
    db.allowFrom(chart.node.findChild('job') as Job);
    expect(ingressFrom(chart, 'db', 'job')).toEqual([{ from: [podsOf('job')], ports: tcp(5432) }]);
    expect(egressTo(chart, 'job', 'db')).toEqual([{ to: [podsOf('db')], ports: tcp(5432) }]);
  });

  test('allowTo(db) without ports opens the client port only, on both sides', () => {
    const { chart, db } = withDb();
    const worker = new Worker(chart, 'worker', { image: IMAGE });
    worker.allowTo(db);
    expect(ingressFrom(chart, 'db', 'worker')).toEqual([{ from: [podsOf('worker')], ports: tcp(5432) }]);
    expect(egressTo(chart, 'worker', 'db')).toEqual([{ to: [podsOf('db')], ports: tcp(5432) }]);
  });

  test('a peer that is not a workload gets the client port only', () => {
    const { chart, db } = withDb();
    db.allowFrom(NetworkPeer.namespace('api'));
    expect(policy(chart, 'db').ingress.filter((r: any) => r.from[0].namespaceSelector)).toEqual([
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'api' } } }], ports: tcp(5432) },
    ]);
  });

  test('the replicas still reach each other on every port', () => {
    const { chart } = withDb();
    expect(ingressFrom(chart, 'db', 'db')).toEqual([{ from: [podsOf('db')], ports: tcp(5432, 5433) }]);
    expect(egressTo(chart, 'db', 'db')).toEqual([{ to: [podsOf('db')], ports: tcp(5432, 5433) }]);
  });

  test('the workload as a network peer offers its client port only', () => {
    const { db } = withDb();
    expect(db.toNetworkPeer().ports).toEqual([5432]);
  });

  test('allowFrom naming a peer port for another workload is refused', () => {
    const { chart, db } = withDb();
    const job = new Job(chart, 'job', { image: IMAGE });
    expectError(() => db.allowFrom(job, [5433]),
      'shop/db: allowFrom.ports (5433) is one of this workload\'s peerPorts (5433), which only its own replicas may reach; name a client port (5432), or omit ports to allow all of them');
  });

  test('allowTo naming a peer port of the callee is refused', () => {
    const { chart, db } = withDb();
    const job = new Job(chart, 'job', { image: IMAGE });
    expectError(() => job.allowTo(db, [5433]),
      'shop/job: allowTo.ports (5433) is one of shop/db\'s peerPorts (5433), which only its own replicas may reach; name a client port (5432), or omit ports to allow all of them');
  });
});

describe('NetworkPeer ports are TCP ports', () => {
  test('a port above 65535 is refused', () => {
    expectError(() => NetworkPeer.pods('x', { a: 'b' }, { ports: [70000] }),
      'NetworkPeer.pods: ports[0] (70000) must be a whole number from 1 to 65535 (a TCP port); use the port the peer listens on');
  });

  test('port 0 is refused', () => {
    expectError(() => NetworkPeer.namespace('x', { ports: [0] }),
      'NetworkPeer.namespace: ports[0] (0) must be a whole number from 1 to 65535 (a TCP port); use the port the peer listens on');
  });

  test('a fractional port is refused', () => {
    expectError(() => NetworkPeer.cidr('10.0.0.0/8', { ports: [443, 80.5] }),
      'NetworkPeer.cidr: ports[1] (80.5) must be a whole number from 1 to 65535 (a TCP port); use the port the peer listens on');
  });

  test('an empty port list is refused', () => {
    expectError(() => NetworkPeer.pods('x', { a: 'b' }, { ports: [] }),
      'NetworkPeer.pods: ports ([]) is empty, which a NetworkPolicy reads as every port; omit ports to allow every port of the peer');
  });

  test('a peer of another kind with an out-of-range port is refused by allowTo', () => {
    const chart = testChart();
    const api = new WebService(chart, 'api', { image: IMAGE });
    expectError(() => api.allowTo({ toNetworkPeer: () => ({ description: 'custom', namespace: 'x', ports: [70000] }) }),
      'shop/api: allowTo.ports[0] (70000) must be a whole number from 1 to 65535 (a TCP port); use the port the peer listens on');
  });

  test('allowTo a peer on a port out of range is refused', () => {
    const chart = testChart();
    const api = new WebService(chart, 'api', { image: IMAGE });
    expectError(() => api.allowTo(NetworkPeer.cidr('10.0.0.0/8'), [65536]),
      'shop/api: allowTo.ports[0] (65536) must be a whole number from 1 to 65535 (a TCP port); use the port the peer listens on');
  });
});

describe('allowTo a workload checks the ports against the callee', () => {
  test('a port the callee does not listen on is refused', () => {
    const { chart, db } = withDb();
    const job = new Job(chart, 'job', { image: IMAGE });
    expectError(() => job.allowTo(db, [1234]),
      'shop/job: allowTo.ports (1234) is not a port shop/db listens on (5432, 5433); name one of its container ports, or omit ports to allow all of them');
  });

  test('a port the callee listens on opens both sides on that port', () => {
    const chart = testChart();
    const api = new WebService(chart, 'api', { image: IMAGE, extraPorts: [{ name: 'admin', port: 9000 }] });
    const job = new Job(chart, 'job', { image: IMAGE });
    job.allowTo(api, [9000]);
    expect(ingressFrom(chart, 'api', 'job')).toEqual([{ from: [podsOf('job')], ports: tcp(9000) }]);
    expect(egressTo(chart, 'job', 'api')).toEqual([{ to: [podsOf('api')], ports: tcp(9000) }]);
  });
});

describe('an empty ports list is refused', () => {
  test('allowFrom(workload, [])', () => {
    const chart = testChart();
    const api = new WebService(chart, 'api', { image: IMAGE });
    const job = new Job(chart, 'job', { image: IMAGE });
    expectError(() => api.allowFrom(job, []),
      'shop/api: allowFrom.ports ([]) is empty, which would allow all of this workload\'s ports on one side of the connection and every port on the other; omit ports to allow all of this workload\'s ports, or name them (8080)');
  });

  test('allowTo(workload, [])', () => {
    const { chart, db } = withDb();
    const job = new Job(chart, 'job', { image: IMAGE });
    expectError(() => job.allowTo(db, []),
      'shop/job: allowTo.ports ([]) is empty, which would allow all of shop/db\'s ports on one side of the connection and every port on the other; omit ports to allow all of shop/db\'s ports that its callers may reach, or name them (5432)');
  });

  test('allowTo(peer, [])', () => {
    const chart = testChart();
    const api = new WebService(chart, 'api', { image: IMAGE });
    expectError(() => api.allowTo(NetworkPeer.cidr('10.0.0.0/8'), []),
      'shop/api: allowTo.ports ([]) is empty, which a NetworkPolicy reads as every port; omit ports to allow all of the peer\'s ports');
  });
});

describe('allowFrom refuses a peer declared with ports', () => {
  test('NetworkPeer.namespace with ports', () => {
    const { chart, db } = withDb();
    expectError(() => db.allowFrom(NetworkPeer.namespace('monitoring', { ports: [9090] })),
      'shop/db: allowFrom ("namespace monitoring") is declared with ports (9090), which say where the peer listens and only apply to connections to it (allowTo): '
      + 'allowFrom would ignore them and admit the peer on all of this workload\'s ports; declare the peer without ports and pass the ports of this workload it may reach '
      + 'as allowFrom\'s ports argument (allowFrom(peer, [5432])), or omit that argument to allow all of them');
    expect(policy(chart, 'db').ingress).toHaveLength(1);
  });

  test('the same peer without ports, and the ports as allowFrom\'s argument, is accepted', () => {
    const chart = testChart();
    const api = new WebService(chart, 'api', { image: IMAGE, extraPorts: [{ name: 'metrics', port: 9090 }] });
    api.allowFrom(NetworkPeer.namespace('monitoring'), [9090]);
    expect(policy(chart, 'api').ingress).toEqual([{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: tcp(9090) }]);
  });
});

describe('the same connection declared twice is written once', () => {
  test('allowFrom twice', () => {
    const chart = testChart();
    const api = new WebService(chart, 'api', { image: IMAGE });
    const job = new Job(chart, 'job', { image: IMAGE });
    api.allowFrom(job);
    api.allowFrom(job);
    expect(ingressFrom(chart, 'api', 'job')).toEqual([{ from: [podsOf('job')], ports: tcp(8080) }]);
    expect(egressTo(chart, 'job', 'api')).toEqual([{ to: [podsOf('api')], ports: tcp(8080) }]);
    expect(api.ingressConnections).toHaveLength(1);
    expect(job.egressConnections).toHaveLength(1);
  });

  test('allowFrom on one side and allowTo on the other', () => {
    const chart = testChart();
    const api = new WebService(chart, 'api', { image: IMAGE });
    const job = new Job(chart, 'job', { image: IMAGE });
    api.allowFrom(job);
    job.allowTo(api);
    expect(ingressFrom(chart, 'api', 'job')).toEqual([{ from: [podsOf('job')], ports: tcp(8080) }]);
    expect(egressTo(chart, 'job', 'api')).toEqual([{ to: [podsOf('api')], ports: tcp(8080) }]);
  });

  test('naming every port is the same declaration as naming none', () => {
    const chart = testChart();
    const api = new WebService(chart, 'api', { image: IMAGE });
    const job = new Job(chart, 'job', { image: IMAGE });
    api.allowFrom(job, [8080]);
    job.allowTo(api);
    expect(api.ingressConnections).toHaveLength(1);
    expect(job.egressConnections).toHaveLength(1);
  });

  test('two equal peers that are not workloads', () => {
    const chart = testChart();
    const api = new WebService(chart, 'api', { image: IMAGE });
    api.allowFrom(NetworkPeer.namespace('web'));
    api.allowFrom(NetworkPeer.namespace('web'));
    api.allowTo(NetworkPeer.cidr('10.0.0.0/8', { ports: [443] }));
    api.allowTo(NetworkPeer.cidr('10.0.0.0/8'), [443]);
    expect(policy(chart, 'api').ingress).toHaveLength(1);
    expect(policy(chart, 'api').egress.filter((r: any) => r.to?.[0]?.ipBlock?.cidr === '10.0.0.0/8')).toEqual([{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }], ports: tcp(443) }]);
  });

  test('different ports stay two rules', () => {
    const chart = testChart();
    const api = new WebService(chart, 'api', { image: IMAGE, extraPorts: [{ name: 'admin', port: 9000 }] });
    const job = new Job(chart, 'job', { image: IMAGE });
    api.allowFrom(job, [8080]);
    api.allowFrom(job, [9000]);
    expect(ingressFrom(chart, 'api', 'job').map((r: any) => r.ports)).toEqual([tcp(8080), tcp(9000)]);
  });

  test('the mesh authorization rules are written once too', () => {
    const chart = testChart();
    const mesh = new IstioMesh(chart, 'mesh');
    const api = new WebService(chart, 'api', { image: IMAGE });
    const web = new WebService(chart, 'web', { image: IMAGE });
    mesh.enrol(api);
    mesh.enrol(web);
    api.allowFrom(web);
    web.allowTo(api);
    expect(one(chart.toJson(), 'AuthorizationPolicy', 'api').spec.rules).toEqual([
      { from: [{ source: { principals: ['cluster.local/ns/shop/sa/web'] } }], to: [{ operation: { ports: ['8080'] } }] },
    ]);
    expect(validationErrors(chart)).toEqual([]);
  });
});

describe('InitTask.waitFor a shipshape workload', () => {
  function setup() {
    const chart = testChart();
    const b = new WebService(chart, 'b', { image: IMAGE, port: 8080, servicePort: 80 });
    const a = new WebService(chart, 'a', { image: IMAGE });
    return { chart, a, b };
  }
  const waitFor = (host: string, port: number, peer: any) => new InitTasks({ tasks: [InitTask.waitFor('wait-for-b', { host, port, peer })] });

  test('a Service port opens both sides on the container port it targets', () => {
    const { chart, a, b } = setup();
    a.addSidecar(waitFor('b.shop.svc.cluster.local', 80, b));
    expect(egressTo(chart, 'a', 'b')).toEqual([{ to: [podsOf('b')], ports: tcp(8080) }]);
    expect(ingressFrom(chart, 'b', 'a')).toEqual([{ from: [podsOf('a')], ports: tcp(8080) }]);
    // the wait itself still connects through the Service
    const init = one(chart.toJson(), 'Deployment', 'a').spec.template.spec.initContainers[0];
    expect(init.command[2]).toContain('nc -z -w 2 b.shop.svc.cluster.local 80');
  });

  test('a container port, through a name that is not the Service\'s, is kept', () => {
    const { chart, a, b } = setup();
    a.addSidecar(waitFor('10.0.0.12', 8080, b));
    expect(egressTo(chart, 'a', 'b')).toEqual([{ to: [podsOf('b')], ports: tcp(8080) }]);
    expect(ingressFrom(chart, 'b', 'a')).toEqual([{ from: [podsOf('a')], ports: tcp(8080) }]);
  });

  test('a container port through the Service\'s name is refused', () => {
    const { a, b } = setup();
    expectError(() => a.addSidecar(waitFor('b.shop.svc.cluster.local', 8080, b)),
      'shop/a: sidecars.init.tasks[0].port (8080) is not a port of Service shop/b, which "b.shop.svc.cluster.local" names and which exposes 80 (to container port 8080): '
      + 'the wait would never connect; use port 80, the Service\'s port (its NetworkPolicy rule is written for the container port it targets)');
  });

  test('a port that is neither a Service port nor a container port is refused', () => {
    const { a, b } = setup();
    expectError(() => a.addSidecar(waitFor('10.0.0.12', 5432, b)),
      'shop/a: sidecars.init.tasks[0].port (5432) is neither a port of shop/b\'s Service (80 (to container port 8080)) nor one of its container ports (8080), '
      + 'so the wait would never connect and a NetworkPolicy rule for it would never match; '
      + 'wait on a Service port through the Service\'s name (b.shop.svc.cluster.local:80), or on a container port through a pod or headless Service name');
  });

  test('a replica of a StatefulService through the headless Service, on its client port', () => {
    const { chart, db } = withDb();
    const a = new WebService(chart, 'a', { image: IMAGE });
    a.addSidecar(waitFor('db-0.db-headless.shop.svc.cluster.local', 5432, db));
    expect(egressTo(chart, 'a', 'db')).toEqual([{ to: [podsOf('db')], ports: tcp(5432) }]);
    expect(ingressFrom(chart, 'db', 'a')).toEqual([{ from: [podsOf('a')], ports: tcp(5432) }]);
  });

  test('a StatefulService\'s peer port is refused for a client', () => {
    const { chart, db } = withDb();
    const a = new WebService(chart, 'a', { image: IMAGE });
    expectError(() => a.addSidecar(waitFor('db-0.db-headless.shop.svc.cluster.local', 5433, db)),
      'shop/a: sidecars.init.egress.ports (5433) is one of shop/db\'s peerPorts (5433), which only its own replicas may reach; name a client port (5432), or omit ports to allow all of them');
    expect(a.sidecars).toEqual([]);
    expect(db.ingressConnections.filter(c => c.peer === a)).toEqual([]);
  });

  test('a workload that accepts no inbound connections is refused', () => {
    const { a } = setup();
    const w = new Worker(a.node.scope!, 'w', { image: IMAGE });
    expectError(() => a.addSidecar(waitFor('w.shop.svc.cluster.local', 8080, w)),
      /^shop\/a: sidecars\.init\.egress \("shop\/w"\) is a Worker, which accepts no inbound connections/);
  });

  test('waitFor plus allowTo of the same connection is written once', () => {
    const { chart, a, b } = setup();
    a.allowTo(b);
    a.addSidecar(waitFor('b.shop.svc.cluster.local', 80, b));
    expect(egressTo(chart, 'a', 'b')).toHaveLength(1);
    expect(ingressFrom(chart, 'b', 'a')).toHaveLength(1);
  });
});

describe('a sidecar\'s destination that is a shipshape workload', () => {
  test('is admitted on the destination\'s side too, on its client ports', () => {
    const { chart, db } = withDb();
    const a = new WebService(chart, 'a', { image: IMAGE });
    a.addSidecar(new LogShipper({ destination: db }));
    expect(egressTo(chart, 'a', 'db')).toEqual([{ to: [podsOf('db')], ports: tcp(5432) }]);
    expect(ingressFrom(chart, 'db', 'a')).toEqual([{ from: [podsOf('a')], ports: tcp(5432) }]);
  });
});

describe('NetworkPeer label selectors select something', () => {
  // an empty matchLabels in a NetworkPolicy peer is every pod of the namespace (cdk8s-plus gives {} for a CronJob)
  test('NetworkPeer.pods with no label is refused', () => {
    expectError(() => NetworkPeer.pods('shop', {}),
      'NetworkPeer.pods: labels ({}) is empty, which a NetworkPolicy reads as every pod of the namespace; name at least one label the peer\'s pods carry, or use NetworkPeer.namespace("shop") to allow every pod of the namespace on purpose');
  });

  test('NetworkPeer.ingressController with no label is refused', () => {
    expectError(() => NetworkPeer.ingressController('ingress-nginx', {}),
      'NetworkPeer.ingressController: podLabels ({}) is empty, which a NetworkPolicy reads as every pod of the namespace; name the labels of the controller\'s pods (kubectl get pods -n ingress-nginx --show-labels), for example { \'app.kubernetes.io/name\': \'ingress-nginx\' }');
  });
});

/** A team's construct that composes a WebService and stands for it as a peer, as a construct library writes one. */
class AcmeApi extends Construct implements IWebService {
  public readonly web: WebService;
  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.web = new WebService(this, 'web', { image: IMAGE, name: id });
  }
  get name() { return this.web.name; }
  get namespace() { return this.web.namespace; }
  get selectorLabels() { return this.web.selectorLabels; }
  get containerPorts() { return this.web.containerPorts; }
  get servicePort() { return this.web.servicePort; }
  get port() { return this.web.port; }
  get portName() { return this.web.portName; }
  public toNetworkPeer(): NetworkPeerConfig {
    return this.web.toNetworkPeer();
  }
}

describe('a construct that passes on a workload\'s toNetworkPeer() is that workload as a peer', () => {
  test('allowFrom(wrapper) opens both sides, as allowFrom(workload) does', () => {
    const chart = testChart();
    const a = new AcmeApi(chart, 'a');
    const b = new WebService(chart, 'b', { image: IMAGE });
    b.allowFrom(a);
    expect(ingressFrom(chart, 'b', 'a')).toEqual([{ from: [podsOf('a')], ports: tcp(8080) }]);
    expect(egressTo(chart, 'a', 'b')).toEqual([{ to: [podsOf('b')], ports: tcp(8080) }]);
  });

  test('allowTo(wrapper) opens both sides, as allowTo(workload) does', () => {
    const chart = testChart();
    const a = new AcmeApi(chart, 'a');
    const b = new WebService(chart, 'b', { image: IMAGE });
    b.allowTo(a);
    expect(egressTo(chart, 'b', 'a')).toEqual([{ to: [podsOf('a')], ports: tcp(8080) }]);
    expect(ingressFrom(chart, 'a', 'b')).toEqual([{ from: [podsOf('b')], ports: tcp(8080) }]);
  });

  test('a config copied to change it stands for a peer of its own (ports say where it listens: refused by allowFrom)', () => {
    const chart = testChart();
    const a = new AcmeApi(chart, 'a');
    const changed = { toNetworkPeer: () => ({ ...a.toNetworkPeer(), description: 'changed' }) };
    const b = new WebService(chart, 'b', { image: IMAGE });
    expectError(() => b.allowFrom(changed), /allowFrom \("changed"\) is declared with ports \(8080\)/);
  });
});

describe('a construct wrapping a WebService (the documented wrapper pattern) as an ingress or route backend', () => {
  /** Implements IWebService around a WebService and returns its toNetworkPeer() unchanged, as examples/team-construct-library says. */
  class Storefront extends Construct implements IWebService {
    public readonly web: WebService;
    constructor(scope: Construct, id: string) {
      super(scope, id);
      this.web = new WebService(this, 'web', { name: id, image: IMAGE });
    }
    public get name() { return this.web.name; }
    public get namespace() { return this.web.namespace; }
    public get selectorLabels() { return this.web.selectorLabels; }
    public get containerPorts() { return this.web.containerPorts; }
    public get port() { return this.web.port; }
    public get portName() { return this.web.portName; }
    public get servicePort() { return this.web.servicePort; }
    public toNetworkPeer(): NetworkPeerConfig { return this.web.toNetworkPeer(); }
  }
  const NGINX = { 'app.kubernetes.io/name': 'ingress-nginx' };

  test('HttpIngress: the wrapped workload\'s NetworkPolicy admits the controller, as for the WebService itself', () => {
    const admitted = (wrap: boolean) => {
      const chart = testChart();
      const s = new Storefront(chart, 'shop');
      new HttpIngress(chart, 'www', {
        rules: [{ host: 'shop.example.com', paths: [{ backend: wrap ? s : s.web }] }],
        tls: IngressTls.secret('shop-tls'),
        controller: NetworkPeer.ingressController('ingress-nginx', NGINX),
      });
      expect(validationErrors(chart)).toEqual([]);
      return policy(chart, 'shop').ingress;
    };
    expect(admitted(true)).toEqual(admitted(false));
    expect(admitted(true)).toEqual([expect.objectContaining({ ports: tcp(8080) })]);
  });

  test('HttpRoute: the wrapped workload\'s NetworkPolicy admits the gateway, as for the WebService itself', () => {
    const admitted = (wrap: boolean) => {
      const chart = testChart();
      const s = new Storefront(chart, 'shop');
      new HttpRoute(chart, 'route', { gateway: { name: 'public', namespace: 'gateways', sectionName: 'https' }, hostnames: ['shop.example.com'], rules: [{ backends: [{ service: wrap ? s : s.web }] }] });
      expect(validationErrors(chart)).toEqual([]);
      return policy(chart, 'shop').ingress;
    };
    expect(admitted(true)).toEqual(admitted(false));
    expect(admitted(true)).toEqual([expect.objectContaining({ ports: tcp(8080) })]);
  });
});
