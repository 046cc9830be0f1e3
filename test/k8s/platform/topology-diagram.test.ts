import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App as Cdk8sApp, Chart } from 'cdk8s';
import { cluster, connectionsFromDiagram, connectionsFromPolicies, IMAGE, outdir, quietly, readDocs, workloadNodes } from './fixtures';
import { App, HttpIngress, IngressTls, NetworkPeer, WebService, Worker } from '../../../lib/k8s';
import { TopologyDiagram } from '../../../lib/k8s/platform';
import { Policy } from '../../../lib/policy';
import { expectError, stderrOf } from '../../util/k8s';

function shop(dir: string, withDiagram = true) {
  const app = new App({ cluster: cluster(), outdir: dir });
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  const web = new WebService(chart, 'web', { image: IMAGE, port: 3000 });
  const api = new WebService(chart, 'api', { image: IMAGE });
  const worker = new Worker(chart, 'worker', { image: IMAGE });
  api.allowFrom(web);
  worker.allowTo(api, [8080]);
  worker.allowTo(NetworkPeer.cidr('10.99.0.0/16', { ports: [5432] }));
  api.allowFrom(NetworkPeer.namespace('monitoring'), [8080]);
  new HttpIngress(chart, 'shop', { rules: [{ host: 'shop.example.com', paths: [{ backend: web }] }], tls: IngressTls.acmByHost() });
  const diagram = withDiagram ? new TopologyDiagram(app) : undefined;
  return { app, chart, diagram };
}

describe('TopologyDiagram', () => {
  test('writes topology.md next to the YAML, recorded in the output folder like the manifests', () => {
    const dir = outdir();
    quietly(() => shop(dir).app.synth());
    expect(fs.existsSync(path.join(dir, 'topology.md'))).toBe(true);
    const record = JSON.parse(fs.readFileSync(path.join(dir, '.shipshape', 'output.json'), 'utf-8'));
    expect(record.files).toContain('topology.md');
  });

  test('its arrows are exactly the connections the written NetworkPolicies allow', () => {
    const dir = outdir();
    quietly(() => shop(dir).app.synth());
    const md = fs.readFileSync(path.join(dir, 'topology.md'), 'utf-8');
    const fromPolicies = connectionsFromPolicies(readDocs(dir).map(d => d.doc));
    expect(fromPolicies.length).toBeGreaterThan(5);
    expect(connectionsFromDiagram(md)).toEqual(fromPolicies);
  });

  test('declared calls, ingress and egress appear as arrows with their ports', () => {
    const dir = outdir();
    quietly(() => shop(dir).app.synth());
    const edges = connectionsFromDiagram(fs.readFileSync(path.join(dir, 'topology.md'), 'utf-8'));
    expect(edges).toEqual(expect.arrayContaining([
      'Deployment shop/web | Deployment shop/api | TCP 8080', // a declared call
      'Deployment shop/worker | Deployment shop/api | TCP 8080',
      'CIDR 10.40.0.0/16 | Deployment shop/web | TCP 3000', // ingress through the cluster's ALB
      'namespace monitoring | Deployment shop/api | TCP 8080',
      'Deployment shop/worker | CIDR 10.99.0.0/16 | TCP 5432', // egress
      'Deployment shop/api | pods k8s-app=kube-dns in kube-system | TCP 53, UDP 53',
    ]));
  });

  test('pods a policy names that no workload of the output runs are drawn in their namespace\'s box', () => {
    const dir = outdir();
    quietly(() => shop(dir).app.synth());
    const md = fs.readFileSync(path.join(dir, 'topology.md'), 'utf-8');
    const boxes = new Map<string, string[]>();
    let box: string[] | undefined;
    for (const line of md.split('\n')) {
      const open = /^ {2}subgraph \w+\["namespace (.+)"\]$/.exec(line);
      if (open) boxes.set(open[1], box = []);
      else if (line === '  end') box = undefined;
      else if (box) box.push(line.trim().replace(/^\w+[[(]+"(.*)"[\])]+$/, '$1'));
    }
    expect(boxes.get('kube-system')).toEqual(['pods k8s-app=kube-dns in kube-system']);
    expect(boxes.get('shop')).toEqual(expect.arrayContaining(['Deployment shop/web', 'Deployment shop/api']));
    // a whole namespace or a CIDR stays outside every box
    expect([...boxes.values()].flat().filter(n => n.startsWith('namespace ') || n.startsWith('CIDR '))).toEqual([]);
    expect(md).toMatch(/^ {2}\w+\(\["namespace monitoring"\]\)$/m);
  });

  test('every workload is a node, also one without a policy', () => {
    const dir = outdir();
    const { app, chart } = shop(dir);
    new ApiObject(chart, 'raw', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'raw' },
      spec: { selector: { matchLabels: { app: 'raw' } }, template: { metadata: { labels: { app: 'raw' } }, spec: { containers: [] } } },
    });
    const md = quietly(() => new TopologyDiagram(app, { path: 'other.md' }).produce());
    expect(workloadNodes(md)).toEqual(['Deployment shop/api', 'Deployment shop/raw', 'Deployment shop/web', 'Deployment shop/worker']);
  });

  test('a NetworkPolicy written by hand is drawn too (the picture reads the policies, not only shipshape declarations)', () => {
    const dir = outdir();
    const { app, chart, diagram } = shop(dir);
    new ApiObject(chart, 'extra', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'extra' },
      spec: { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'web' } }, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 443, protocol: 'TCP' }] }] },
    });
    expect(app).toBeDefined();
    expect(diagram!.edges()).toEqual(expect.arrayContaining([
      { from: 'Deployment shop/web', to: 'CIDR 0.0.0.0/0', ports: 'TCP 443', allowedBy: ['egress of NetworkPolicy shop/extra'] },
    ]));
  });

  test('a call allowed by both sides is one arrow naming both policies', () => {
    const { diagram } = shop(outdir());
    const edge = diagram!.edges().find(e => e.from === 'Deployment shop/web' && e.to === 'Deployment shop/api');
    expect(edge).toEqual({ from: 'Deployment shop/web', to: 'Deployment shop/api', ports: 'TCP 8080', allowedBy: ['egress of NetworkPolicy shop/web', 'ingress of NetworkPolicy shop/api'] });
  });

  test('namespace-wide policies are listed under the picture, not drawn', () => {
    const dir = outdir();
    const { app, chart, diagram } = shop(dir);
    new ApiObject(chart, 'deny', { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny' }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } });
    expect(app).toBeDefined();
    const md = diagram!.produce();
    expect(md).toContain('- NetworkPolicy shop/deny, every pod of shop: ingress: nothing allowed; egress: nothing allowed');
    expect(connectionsFromDiagram(md).some(e => e.includes('shop/deny'))).toBe(false);
  });

  test('the heading names the cluster by default, or the given title', () => {
    expect(shop(outdir()).diagram!.produce()).toMatch(/^# Network topology of cluster shop-prod\n/);
    const app = new App();
    expect(new TopologyDiagram(app, { title: 'staging' }).produce()).toMatch(/^# Network topology of staging\n/);
    expect(new TopologyDiagram(new App(), {}).produce()).toMatch(/^# Network topology of the app\n[\s\S]*No workload NetworkPolicy allows a connection\./);
  });

  test('the output is deterministic', () => {
    expect(shop(outdir()).diagram!.produce()).toEqual(shop(outdir()).diagram!.produce());
  });

  test('a later synth without the diagram removes the file it wrote', () => {
    const dir = outdir();
    quietly(() => shop(dir).app.synth());
    App._forgetOutdirs(); // a later run of the program
    quietly(() => shop(dir, false).app.synth());
    expect(fs.existsSync(path.join(dir, 'topology.md'))).toBe(false);
  });

  test('a plain cdk8s App is refused (it has no output folder of its own to write into)', () => {
    expectError(() => new TopologyDiagram(new Cdk8sApp() as any), /TopologyDiagram: app \(""\) must be a shipshape k8s.App/);
  });

  test('brand check', () => {
    expect(TopologyDiagram.isTopologyDiagram(shop(outdir()).diagram)).toBe(true);
    expect(TopologyDiagram.isTopologyDiagram({ path: 'x', produce: () => '' })).toBe(false);
  });
});

describe('App.addOutputFile', () => {
  test.each(['', '../outside.md', '/abs.md', '.shipshape/report.md', 'a//b.md', './x.md'])('refuses the path %j', (p) => {
    expectError(() => new App().addOutputFile({ path: p, produce: () => '' }), /addOutputFile.path .* must be a relative path inside the output folder, with \/ separators, outside .shipshape\//);
  });

  test('a file in a sub-folder is written there', () => {
    const dir = outdir();
    const app = new App({ outdir: dir });
    app.addOutputFile({ path: 'reports/summary.md', produce: () => 'hello\n' });
    quietly(() => app.synth());
    expect(fs.readFileSync(path.join(dir, 'reports', 'summary.md'), 'utf-8')).toBe('hello\n');
  });

  test('a file that collides with a manifest is refused before anything is written', () => {
    const dir = outdir();
    const app = new App({ outdir: dir });
    new ApiObject(new Chart(app, 'shop', { namespace: 'shop' }), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } });
    app.addOutputFile({ path: 'shop.k8s.yaml', produce: () => 'x' });
    expect(() => quietly(() => app.synth())).toThrow(/output file \("shop.k8s.yaml"\) is also written by/);
    expect(fs.existsSync(path.join(dir, 'shop.k8s.yaml'))).toBe(false);
  });
});

describe('TopologyDiagram: connections one side blocks', () => {
  test('a workload the namespace\'s default deny isolates, calling a shipshape service that admits it, is a blocked connection; shipshape to shipshape is not', () => {
    const dir = outdir();
    const { app, chart, diagram } = shop(dir);
    // a hand-written workload with no NetworkPolicy of its own: the namespace's default-deny isolates its egress
    new ApiObject(chart, 'frontend', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'frontend' },
      spec: { selector: { matchLabels: { app: 'frontend' } }, template: { metadata: { labels: { app: 'frontend' } }, spec: { containers: [{ name: 'c', image: IMAGE }] } } },
    });
    const api = chart.node.findChild('api') as WebService;
    api.allowFrom(NetworkPeer.pods('shop', { app: 'frontend' }), [8080]);
    // (the namespaces' default-deny is written at synth; the hand-written Deployment would fail the pack)
    Policy.configure(app, { packs: [] });
    const stderr = stderrOf(() => app.synth());
    expect(stderr).toContain('shipshape note: topology.md: a connection one side allows is blocked by the other side\'s NetworkPolicies: '
      + 'Deployment shop/frontend -> Deployment shop/api (TCP 8080): the egress of Deployment shop/frontend: its NetworkPolicies allow no such call; '
      + 'declare each call on both sides');
    const edges = diagram!.edges();
    const frontend = edges.find(e => e.from === 'Deployment shop/frontend' && e.to === 'Deployment shop/api')!;
    expect(frontend.blockedBy).toBe('the egress of Deployment shop/frontend: its NetworkPolicies allow no such call');
    const web = edges.find(e => e.from === 'Deployment shop/web' && e.to === 'Deployment shop/api')!;
    expect(web.blockedBy).toBeUndefined();
    const md = fs.readFileSync(path.join(dir, 'topology.md'), 'utf-8');
    expect(md).toMatch(/-\.->\|"blocked: TCP 8080"\|/);
    expect(md).toContain('**blocked** by the egress of Deployment shop/frontend: its NetworkPolicies allow no such call');
  });
});
