// TopologyDiagram: a connection one side names by namespace (NetworkPeer.namespace) or by pod labels is judged on
// the workloads of the output it covers, the way a connection between two workloads is.
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, Chart } from 'cdk8s';
import { outdir } from './fixtures';
import { App, NetworkPeer, WebService, Worker } from '../../../lib/k8s';
import { TopologyDiagram } from '../../../lib/k8s/platform';
import { stderrOf } from '../../util/k8s';

const API = { 'app.kubernetes.io/name': 'api' };
const WEB = { 'app.kubernetes.io/name': 'web' };

/** Two teams: api in payments (container port 8080 named http, Service port 80), web in orders. */
function teams() {
  const dir = outdir();
  const app = new App({ outdir: dir });
  const payments = new Chart(app, 'payments', { namespace: 'payments' });
  const orders = new Chart(app, 'orders', { namespace: 'orders' });
  const api = new WebService(payments, 'api', { image: 'ghcr.io/acme/api:1.2.0' });
  const web = new WebService(orders, 'web', { image: 'ghcr.io/acme/web:3.1.0' });
  return { dir, app, payments, orders, api, web };
}

/** Synthesizes the app; returns the topology note on stderr (undefined without one) and the rows of topology.md's table. */
function synth(app: App, dir: string): { note: string | undefined; rows: string[]; md: string } {
  new TopologyDiagram(app);
  const stderr = stderrOf(() => app.synth());
  const md = fs.readFileSync(path.join(dir, 'topology.md'), 'utf-8');
  const table = md.slice(md.indexOf('## Connections'), md.indexOf('## Namespace-wide policies'));
  return {
    note: stderr.split('\n').find(l => l.startsWith('shipshape note: topology.md:')),
    rows: table.split('\n').filter(l => l.startsWith('| ') && l !== '| from | to | ports | allowed by |' && l !== '| --- | --- | --- | --- |'),
    md,
  };
}

const HINT = 'declare each call on both sides (caller.allowTo(callee) and callee.allowFrom(caller), or a NetworkPeer naming the other side), '
  + 'on the callee pods\' container port (a NetworkPolicy matches it, not the Service port)';

const DNS_ROWS = [
  '| Deployment orders/web | pods k8s-app=kube-dns in kube-system | TCP 53, UDP 53 | egress of NetworkPolicy orders/web |',
  '| Deployment payments/api | pods k8s-app=kube-dns in kube-system | TCP 53, UDP 53 | egress of NetworkPolicy payments/api |',
];

describe('TopologyDiagram: namespace-wide peers are judged on the workloads they cover', () => {
  test('egress to a namespace on the Service port, and ingress from the caller\'s namespace on the container port: blocked both ways, with a note', () => {
    const { dir, app, api, web } = teams();
    web.allowTo(NetworkPeer.namespace('payments', { ports: [80] })); // the Service port by mistake
    api.allowFrom(NetworkPeer.namespace('orders'));
    const { note, rows, md } = synth(app, dir);
    expect(note).toBe('shipshape note: topology.md: 2 connections one side allows are blocked by the other side\'s NetworkPolicies: '
      + 'Deployment orders/web -> namespace payments (TCP 80): the ingress of Deployment payments/api: its NetworkPolicies admit no such call; '
      + 'namespace orders -> Deployment payments/api (TCP 8080): the egress of Deployment orders/web: its NetworkPolicies allow no such call; '
      + HINT);
    expect(rows).toEqual([
      '| Deployment orders/web | namespace payments | TCP 80 | egress of NetworkPolicy orders/web; **blocked** by the ingress of Deployment payments/api: its NetworkPolicies admit no such call |',
      DNS_ROWS[0],
      DNS_ROWS[1],
      '| namespace orders | Deployment payments/api | TCP 8080 | ingress of NetworkPolicy payments/api; **blocked** by the egress of Deployment orders/web: its NetworkPolicies allow no such call |',
    ]);
    expect(md).toContain('  n0 -.->|"blocked: TCP 80"| n3\n'); // Deployment orders/web -> namespace payments
    expect(md).toContain('  n2 -.->|"blocked: TCP 8080"| n1\n'); // namespace orders -> Deployment payments/api
    expect(md).not.toMatch(/-->\|"TCP 80"\||-->\|"TCP 8080"\|/);
  });

  test('the corrected program (the container port 8080) draws both rows allowed and prints no note', () => {
    const { dir, app, api, web } = teams();
    web.allowTo(NetworkPeer.namespace('payments', { ports: [8080] }));
    api.allowFrom(NetworkPeer.namespace('orders'));
    const { note, rows, md } = synth(app, dir);
    expect(note).toBeUndefined();
    expect(rows).toEqual([
      '| Deployment orders/web | namespace payments | TCP 8080 | egress of NetworkPolicy orders/web |',
      DNS_ROWS[0],
      DNS_ROWS[1],
      '| namespace orders | Deployment payments/api | TCP 8080 | ingress of NetworkPolicy payments/api |',
    ]);
    expect(md).toContain('  n0 -->|"TCP 8080"| n3\n');
    expect(md).toContain('  n2 -->|"TCP 8080"| n1\n');
    expect(md).not.toMatch(/blocked:|\*\*blocked\*\*/);
    // the file's header says what is judged
    expect(md).toContain('The other side is judged where it is a workload in this folder, or a\n'
      + 'namespace or pods a rule names whose workloads are in this folder (blocked when none of them allows the call).');
  });

  test('egress on all ports to a namespace (or to pods) whose workload admits the caller\'s namespace: allowed; a namespace with no workload here is drawn as before', () => {
    const { dir, app, orders, api, web } = teams();
    web.allowTo(NetworkPeer.namespace('payments'));
    web.allowTo(NetworkPeer.namespace('analytics', { ports: [9000] })); // no workload of the output in analytics
    api.allowFrom(NetworkPeer.namespace('orders'));
    // all ports to api's pods: 8080 among them, which api admits from the namespace orders
    new Worker(orders, 'worker', { image: 'ghcr.io/acme/worker:1.0.0' }).allowTo(NetworkPeer.pods('payments', API));
    const { note, rows, md } = synth(app, dir);
    expect(note).toBeUndefined();
    expect(rows).toEqual([
      '| Deployment orders/web | namespace analytics | TCP 9000 | egress of NetworkPolicy orders/web |',
      '| Deployment orders/web | namespace payments | any port | egress of NetworkPolicy orders/web |',
      DNS_ROWS[0],
      '| Deployment orders/worker | Deployment payments/api | any port | egress of NetworkPolicy orders/worker |',
      '| Deployment orders/worker | pods k8s-app=kube-dns in kube-system | TCP 53, UDP 53 | egress of NetworkPolicy orders/worker |',
      DNS_ROWS[1],
      '| namespace orders | Deployment payments/api | TCP 8080 | ingress of NetworkPolicy payments/api |',
    ]);
    expect(md).not.toMatch(/blocked:|\*\*blocked\*\*/);
    expect(md).toContain('blocked when none of them allows the call');
  });

  test('pods(...) on one side and namespace(...) on the other: allowed when the namespace rule covers the workload on its port', () => {
    const { dir, app, api, web } = teams();
    // web -> api: web names api's pods, api admits web's whole namespace
    web.allowTo(NetworkPeer.pods('payments', API, { ports: [8080] }));
    api.allowFrom(NetworkPeer.namespace('orders'));
    // api -> web: api names web's namespace, web admits api's pods
    api.allowTo(NetworkPeer.namespace('orders', { ports: [8080] }));
    web.allowFrom(NetworkPeer.pods('payments', API));
    const { note, rows } = synth(app, dir);
    expect(note).toBeUndefined();
    expect(rows).toEqual([
      '| Deployment orders/web | Deployment payments/api | TCP 8080 | egress of NetworkPolicy orders/web |',
      DNS_ROWS[0],
      '| Deployment payments/api | Deployment orders/web | TCP 8080 | ingress of NetworkPolicy orders/web |',
      '| Deployment payments/api | namespace orders | TCP 8080 | egress of NetworkPolicy payments/api |',
      DNS_ROWS[1],
      '| namespace orders | Deployment payments/api | TCP 8080 | ingress of NetworkPolicy payments/api |',
    ]);
  });

  test('pods(...) on one side on the Service port and namespace(...) on the other: blocked both ways', () => {
    const { dir, app, api, web } = teams();
    web.allowTo(NetworkPeer.pods('payments', API, { ports: [80] }));
    api.allowFrom(NetworkPeer.namespace('orders'));
    const { note, rows } = synth(app, dir);
    expect(note).toBe('shipshape note: topology.md: 2 connections one side allows are blocked by the other side\'s NetworkPolicies: '
      + 'Deployment orders/web -> Deployment payments/api (TCP 80): the ingress of Deployment payments/api: its NetworkPolicies admit no such call; '
      + 'namespace orders -> Deployment payments/api (TCP 8080): the egress of Deployment orders/web: its NetworkPolicies allow no such call; '
      + HINT);
    expect(rows).toEqual([
      '| Deployment orders/web | Deployment payments/api | TCP 80 | egress of NetworkPolicy orders/web; **blocked** by the ingress of Deployment payments/api: its NetworkPolicies admit no such call |',
      DNS_ROWS[0],
      DNS_ROWS[1],
      '| namespace orders | Deployment payments/api | TCP 8080 | ingress of NetworkPolicy payments/api; **blocked** by the egress of Deployment orders/web: its NetworkPolicies allow no such call |',
    ]);
  });

  test('a named port of a hand-written policy is resolved on the receiving pods\' containers', () => {
    const run = (webPort: number) => {
      const { app, payments, web } = teams();
      web.allowTo(NetworkPeer.namespace('payments', { ports: [webPort] }));
      new ApiObject(payments, 'from-orders', {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'from-orders' },
        spec: {
          podSelector: { matchLabels: API },
          policyTypes: ['Ingress'],
          ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'orders' } } }], ports: [{ port: 'http', protocol: 'TCP' }] }],
        },
      });
      return new TopologyDiagram(app).edges().filter(e => e.from.includes('orders') && !e.to.includes('kube-dns'));
    };
    expect(run(8080)).toEqual([
      { from: 'Deployment orders/web', to: 'namespace payments', ports: 'TCP 8080', allowedBy: ['egress of NetworkPolicy orders/web'] },
      { from: 'namespace orders', to: 'Deployment payments/api', ports: 'TCP http', allowedBy: ['ingress of NetworkPolicy payments/from-orders'] },
    ]);
    expect(run(80)).toEqual([
      {
        from: 'Deployment orders/web',
        to: 'namespace payments',
        ports: 'TCP 80',
        allowedBy: ['egress of NetworkPolicy orders/web'],
        blockedBy: 'the ingress of Deployment payments/api: its NetworkPolicies admit no such call',
      },
      {
        from: 'namespace orders',
        to: 'Deployment payments/api',
        ports: 'TCP http',
        allowedBy: ['ingress of NetworkPolicy payments/from-orders'],
        blockedBy: 'the egress of Deployment orders/web: its NetworkPolicies allow no such call',
      },
    ]);
  });

  test('a namespace with several workloads: allowed when one of them admits the call, blocked (naming them all) when none does', () => {
    const run = (port: number) => {
      const { app, payments, api, web } = teams();
      const ledger = new WebService(payments, 'ledger', { image: 'ghcr.io/acme/ledger:2.0.0', port: 9090 });
      web.allowTo(NetworkPeer.namespace('payments', { ports: [port] }));
      api.allowFrom(NetworkPeer.namespace('orders'));
      ledger.allowFrom(NetworkPeer.pods('orders', WEB));
      return new TopologyDiagram(app).edges().find(e => e.to === 'namespace payments');
    };
    expect(run(9090)?.blockedBy).toBeUndefined();
    expect(run(8080)?.blockedBy).toBeUndefined();
    expect(run(80)?.blockedBy).toBe('the ingress of Deployment payments/api, Deployment payments/ledger: their NetworkPolicies admit no such call');
  });
});
