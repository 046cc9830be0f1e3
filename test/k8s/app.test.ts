import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App as StockApp, AppProps as StockAppProps, Chart, JsonPatch, Lazy, ResolutionContext, YamlOutputType } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { EnvironmentProfile, k8s, policy, testing } from '../../lib';
import { cluster as clusterProfile } from './platform/fixtures';
import { ManifestRenderer } from '../../lib/k8s/render';
import { stderrOf, stderrOfSynth } from '../util/k8s';
import { expectValid, parseYamlDocuments, parseYamlFiles, tempDir } from '../util/schema';

const dirs: string[] = [];
function outdir(): string {
  const d = tempDir('shipshape-app-test-');
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function configMap(scope: Construct, id: string, name: string, data: Record<string, string> = {}): ApiObject {
  return new ApiObject(scope, id, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data } as any);
}

/**
 * A tree with nested charts, a chart-to-chart dependency through construct dependencies, ApiObject
 * dependencies inside a chart and a construct-group dependency. The same tree is built in both apps.
 */
function buildTree(app: StockApp): void {
  const base = new Chart(app, 'base', { namespace: 'platform' });
  const settings = configMap(base, 'settings', 'settings', { mode: 'yes', at: '12:30' });

  const web = new Chart(app, 'web', { namespace: 'shop' });
  const first = configMap(web, 'first', 'first');
  const second = configMap(web, 'second', 'second');
  first.addDependency(second); // second must come before first
  const groupA = new Construct(web, 'group-a');
  configMap(groupA, 'a1', 'a1');
  configMap(groupA, 'a2', 'a2');
  const groupB = new Construct(web, 'group-b');
  configMap(groupB, 'b1', 'b1');
  groupA.node.addDependency(groupB); // b1 before a1 and a2
  first.addDependency(settings); // web depends on base (a chart dependency)

  const nested = new Chart(web, 'nested', { namespace: 'shop' });
  configMap(nested, 'inner', 'inner', { text: 'line one\nline two\n' });

  const lonely = new Chart(app, 'lonely');
  configMap(lonely, 'alone', 'alone');
}

function stockApp(props: StockAppProps): StockApp {
  const app = new StockApp(props);
  buildTree(app);
  return app;
}

function shipshapeApp(props: k8s.AppProps): k8s.App {
  const app = new k8s.App(props);
  buildTree(app);
  return app;
}

/** Every file under a folder, relative, sorted (shipshape's own .shipshape/ state folder aside). */
function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory() && e.name === '.shipshape' && d === dir) continue;
      if (e.isDirectory()) walk(p);
      else out.push(path.relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

const names = (docs: any[]) => docs.map(d => d.metadata.name);

describe('output order', () => {
  test('chart dependencies order the charts; ApiObject and construct dependencies order objects in a chart', () => {
    const docs = parseYamlDocuments(shipshapeApp({ policy: false }).synthYaml());
    const order = names(docs);
    // base (a dependency of web) before web; nested (a child chart, a dependency of its parent) before web
    expect(order.indexOf('settings')).toBeLessThan(order.indexOf('first'));
    expect(order.indexOf('inner')).toBeLessThan(order.indexOf('first'));
    // ApiObject dependency: second before first
    expect(order.indexOf('second')).toBeLessThan(order.indexOf('first'));
    // construct dependency: group-b's objects before group-a's
    expect(order.indexOf('b1')).toBeLessThan(order.indexOf('a1'));
    expect(order.indexOf('b1')).toBeLessThan(order.indexOf('a2'));
    expect(order).toEqual(parseYamlDocuments(stockApp({}).synthYaml()).map(d => d.metadata.name));
  });

  test('synthYaml gives the same objects in the same order as the stock App', () => {
    expect(parseYamlDocuments(shipshapeApp({ policy: false }).synthYaml())).toEqual(parseYamlDocuments(stockApp({}).synthYaml()));
  });

  test('a dependency cycle is refused', () => {
    const app = new k8s.App({ outdir: outdir(), policy: false });
    const chart = new Chart(app, 'c');
    const a = configMap(chart, 'a', 'a');
    const b = configMap(chart, 'b', 'b');
    a.addDependency(b);
    b.addDependency(a);
    expect(() => app.synth()).toThrow(/Dependency cycle/);
  });
});

describe.each([
  ['FILE_PER_CHART', YamlOutputType.FILE_PER_CHART],
  ['FILE_PER_APP', YamlOutputType.FILE_PER_APP],
  ['FILE_PER_RESOURCE', YamlOutputType.FILE_PER_RESOURCE],
  ['FOLDER_PER_CHART_FILE_PER_RESOURCE', YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE],
])('yamlOutputType %s', (_name, yamlOutputType) => {
  test('writes the same files as the stock App, with the same objects in the same order', () => {
    const stockDir = outdir();
    const ourDir = outdir();
    stockApp({ outdir: stockDir, yamlOutputType, recordConstructMetadata: true }).synth();
    shipshapeApp({ outdir: ourDir, yamlOutputType, recordConstructMetadata: true, policy: false }).synth();
    const stockFiles = files(stockDir);
    expect(stockFiles.length).toBeGreaterThan(0);
    // the per-resource types name the files of what pods need first 0001-<Kind>.<name> (ChartFiles.first), the rest as the stock App
    const perResource = yamlOutputType === YamlOutputType.FILE_PER_RESOURCE || yamlOutputType === YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE;
    const ours = files(ourDir);
    if (perResource) expect(ours.filter(f => /(^|\/)ConfigMap\./.test(f))).toEqual([]);
    const asStock = (f: string) => f.replace(/(^|\/)0001-(?=ConfigMap\.)/, '$1');
    const byName = (a: { file: string }, b: { file: string }) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
    expect(ours.map(asStock).sort()).toEqual([...stockFiles].sort());
    expect(parseYamlFiles(ourDir).map(e => ({ ...e, file: asStock(e.file) })).sort(byName)).toEqual(parseYamlFiles(stockDir).sort(byName));
    expect(JSON.parse(fs.readFileSync(path.join(ourDir, 'construct-metadata.json'), 'utf-8')))
      .toEqual(JSON.parse(fs.readFileSync(path.join(stockDir, 'construct-metadata.json'), 'utf-8')));
  });
});

test('file names without chart dependencies have no index prefix, as in the stock App', () => {
  const build = (app: StockApp) => {
    configMap(new Chart(app, 'one'), 'x', 'x');
    configMap(new Chart(app, 'two'), 'y', 'y');
  };
  const stockDir = outdir();
  const ourDir = outdir();
  const stock = new StockApp({ outdir: stockDir });
  build(stock);
  stock.synth();
  const ours = new k8s.App({ outdir: ourDir, policy: false });
  build(ours);
  ours.synth();
  expect(files(ourDir)).toEqual(['one.k8s.yaml', 'two.k8s.yaml']);
  expect(files(stockDir)).toEqual(files(ourDir));
});

test('charts with numeric ids come out in the order the stock App gives them', () => {
  const build = (app: StockApp) => {
    for (const id of ['b', '10', 'a', '2', '007']) configMap(new Chart(app, id), 'x', `cm-${id}`);
    configMap(app.node.findChild('a') as Chart, 'dep', 'cm-a-dep').addDependency(app.node.findChild('10').node.findChild('x'));
  };
  const stockDir = outdir();
  const ourDir = outdir();
  const stock = new StockApp({ outdir: stockDir });
  build(stock);
  const ours = new k8s.App({ outdir: ourDir, policy: false });
  build(ours);
  const order = names(parseYamlDocuments(ours.synthYaml()));
  expect(order).toEqual(names(parseYamlDocuments(stock.synthYaml())));
  // index-like ids first (as cdk8s' Object.values gives them; '007' is not index-like); chart 10 comes with its dependant a
  expect(order).toEqual(['cm-2', 'cm-b', 'cm-10', 'cm-a', 'cm-a-dep', 'cm-007']);
  stock.synth();
  ours.synth();
  expect(files(ourDir)).toEqual(files(stockDir));
  expect(parseYamlFiles(ourDir)).toEqual(parseYamlFiles(stockDir));
});

test('an output file extension and an empty app behave as in the stock App', () => {
  const stockDir = outdir();
  const ourDir = outdir();
  new StockApp({ outdir: stockDir, yamlOutputType: YamlOutputType.FILE_PER_APP }).synth();
  new k8s.App({ outdir: ourDir, yamlOutputType: YamlOutputType.FILE_PER_APP, policy: false }).synth();
  expect(files(ourDir)).toEqual(files(stockDir));

  const a = outdir();
  const app = new k8s.App({ outdir: a, outputFileExtension: '.yml', policy: false });
  configMap(new Chart(app, 'c'), 'x', 'x');
  app.synth();
  expect(files(a)).toEqual(['c.yml']);
});

describe('a construct outside any chart', () => {
  // cdk8s says "cannot find a parent chart (directly or indirectly)", with neither the construct nor the fix
  test('is refused naming the construct and how to put it in a chart', () => {
    const app = new k8s.App({ outdir: outdir() });
    expect(() => new k8s.WebService(app, 'api', { image: 'ghcr.io/acme/api:1.4.2' })).toThrow(
      'api: scope ("<root>") is in no cdk8s Chart: every Kubernetes object belongs to a chart, which names its file and default namespace; '
      + 'create it in a chart: new Chart(app, \'shop\', { namespace: \'shop\' }), then new WebService(chart, \'api\', ...)');
    const group = new Construct(app, 'payments');
    expect(() => new k8s.HttpIngress(group, 'web', { plainHttp: true })).toThrow(/^payments\/web: scope \("payments"\) is in no cdk8s Chart/);
  });
});

describe('validation', () => {
  function counted(app: StockApp): { calls: number } {
    const counter = { calls: 0 };
    for (const chart of app.node.findAll().filter(c => Chart.isChart(c))) {
      chart.node.addValidation({ validate: () => { counter.calls++; return []; } });
    }
    return counter;
  }

  test('node validations run exactly once per synth (the stock App runs them once per chart again)', () => {
    const ours = shipshapeApp({ outdir: outdir(), policy: false });
    const oursCount = counted(ours);
    ours.synth();
    const charts = ours.node.findAll().filter(c => Chart.isChart(c)).length;
    expect(charts).toBe(4);
    expect(oursCount.calls).toBe(charts); // one validation per chart node, each run once

    const stock = stockApp({ outdir: outdir() });
    const stockCount = counted(stock);
    stock.synth();
    expect(stockCount.calls).toBeGreaterThan(charts * 2); // app-wide pass again for every chart

    const yamlApp = shipshapeApp({ policy: false });
    const yamlCount = counted(yamlApp);
    yamlApp.synthYaml();
    expect(yamlCount.calls).toBe(charts);
  });

  test('a failing validation fails the synth with the stock message and writes no file', () => {
    const dir = path.join(outdir(), 'out');
    const app = shipshapeApp({ outdir: dir, policy: false });
    app.node.findChild('web').node.addValidation({ validate: () => ['web is not ready'] });
    expect(() => app.synth()).toThrow('Validation failed with the following errors:\n  [web] web is not ready');
    expect(fs.existsSync(dir) ? files(dir) : []).toEqual([]);
  });

  test('a validation message that starts with its construct path is listed once, without the [path] prefix', () => {
    const app = shipshapeApp({ outdir: path.join(outdir(), 'out'), policy: false });
    const web = app.node.findChild('web');
    web.node.addValidation({ validate: () => ['web: rules ([]) must hold at least one rule'] });
    web.node.addValidation({ validate: () => ['web2: another construct named'] });
    expect(() => app.synth()).toThrow('Validation failed with the following errors:\n  web: rules ([]) must hold at least one rule\n  [web] web2: another construct named');
  });
});

describe('policy', () => {
  /** A pack with one rule that records what it sees and fails objects named "bad". */
  function recordingPack(seen: Array<{ name: string; path: string }>): policy.IRulePack {
    return {
      name: 'test-pack',
      rules: [{
        id: 'TEST-001',
        severity: policy.Severity.ERROR,
        message: 'objects named bad are refused',
        fix: 'rename the object',
        evaluate: (doc: policy.PolicyDocument) => {
          seen.push({ name: doc.manifest.metadata.name, path: doc.path });
          return doc.manifest.metadata.name === 'bad'
            ? policy.RuleResult.violation('metadata.name', 'bad name')
            : policy.RuleResult.compliant();
        },
      }],
    };
  }

  test('the policy sees every object once, with its construct path, before files are written', () => {
    const dir = outdir();
    const app = shipshapeApp({ outdir: dir });
    const seen: Array<{ name: string; path: string }> = [];
    policy.Policy.configure(app, { packs: [recordingPack(seen)], writeReports: false });
    app.synth();
    expect(seen.map(s => s.name).sort()).toEqual(['a1', 'a2', 'alone', 'b1', 'first', 'inner', 'second', 'settings']);
    expect(seen.find(s => s.name === 'a1')!.path).toEqual('web/group-a/a1');
    expect(seen.find(s => s.name === 'inner')!.path).toEqual('web/nested/inner');
    expect(files(dir)).toEqual(['0000-web-nested-c8d7ac44.k8s.yaml', '0001-base.k8s.yaml', '0002-web.k8s.yaml', '0003-lonely.k8s.yaml']);
  });

  test('policy: false skips the policy', () => {
    const app = shipshapeApp({ outdir: outdir(), policy: false });
    const seen: Array<{ name: string; path: string }> = [];
    policy.Policy.configure(app, { packs: [recordingPack(seen)], writeReports: false });
    configMap(app.node.findChild('lonely') as Chart, 'bad', 'bad');
    expect(app.policy).toBe(false);
    app.synth();
    expect(seen).toEqual([]);
  });

  test('the policy is on by default', () => {
    expect(new k8s.App().policy).toBe(true);
  });

  test('a policy error fails the synth and writes no manifest', () => {
    const dir = outdir();
    const app = shipshapeApp({ outdir: dir });
    policy.Policy.configure(app, { packs: [recordingPack([])], writeReports: false });
    configMap(app.node.findChild('lonely') as Chart, 'bad', 'bad');
    expect(() => app.synth()).toThrow(/TEST-001/);
    expect(files(dir).filter(f => f.endsWith('.yaml'))).toEqual([]);
  });

  test('a policy error fails synthYaml too', () => {
    const app = shipshapeApp({});
    policy.Policy.configure(app, { packs: [recordingPack([])], writeReports: false });
    configMap(app.node.findChild('lonely') as Chart, 'bad', 'bad');
    expect(() => app.synthYaml()).toThrow(/TEST-001/);
  });

  test('the default Kubernetes pack refuses a raw Deployment that breaks its rules, and no file is written', () => {
    const dir = outdir();
    const app = new k8s.App({ outdir: dir });
    new ApiObject(new Chart(app, 'raw', { namespace: 'shop' }), 'dep', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:latest' }] } },
      },
    } as any);
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(() => app.synth()).toThrow();
    } finally {
      err.mockRestore();
    }
    expect(files(dir).filter(f => f.endsWith('.yaml'))).toEqual([]);
  });

  test('a WebService in a k8s.App synthesizes with the default policy, and its YAML is schema-valid', () => {
    const dir = outdir();
    const app = new k8s.App({ outdir: dir });
    new k8s.WebService(new Chart(app, 'shop', { namespace: 'shop' }), 'api', { image: 'ghcr.io/acme/api:1.0.0' });
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      app.synth();
    } finally {
      err.mockRestore();
    }
    const parsed = parseYamlFiles(dir);
    expect(parsed.map(f => f.file)).toEqual(['shop.k8s.yaml']);
    const docs = parsed[0].docs;
    expect(docs.map(d => d.kind)).toEqual(expect.arrayContaining(['Deployment', 'Service']));
    expectValid(docs);
  });
});

test('output is deterministic: two synths of the same program write the same bytes', () => {
  const a = outdir();
  const b = outdir();
  shipshapeApp({ outdir: a, policy: false }).synth();
  shipshapeApp({ outdir: b, policy: false }).synth();
  const read = (d: string) => files(d).map(f => [f, fs.readFileSync(path.join(d, f), 'utf-8')]);
  expect(read(a)).toEqual(read(b));
});

test('the written YAML quotes YAML 1.1 hazards and keeps multi-line strings as block scalars', () => {
  const dir = outdir();
  shipshapeApp({ outdir: dir, policy: false }).synth();
  const base = fs.readFileSync(path.join(dir, '0001-base.k8s.yaml'), 'utf-8');
  expect(base).toContain("  at: '12:30'\n");
  expect(base).toContain("  mode: 'yes'\n");
  const nested = '0000-web-nested-c8d7ac44.k8s.yaml';
  expect(fs.readFileSync(path.join(dir, nested), 'utf-8')).toContain('  text: |\n    line one\n    line two\n');
});

describe('notes for the person running the synth', () => {
  test('synth prints shipshape:info metadata once, e.g. what the development profile leaves out', () => {
    const notesDir = tempDir('shipshape-notes-');
    const app = new k8s.App({ outdir: notesDir, policy: false });
    new k8s.WebService(new Chart(app, 'dev', { namespace: 'dev' }), 'api', { image: 'ghcr.io/acme/api:1.0.0', profile: EnvironmentProfile.DEVELOPMENT })
      .allowFrom(k8s.NetworkPeer.namespace('web'));
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      app.synth();
      const printed = spy.mock.calls.map(c => String(c[0])).join('');
      expect(printed).toBe('shipshape note: dev/api: development profile: 1 replica(s), no PodDisruptionBudget, no autoscaler: not for production traffic\n');
    } finally {
      spy.mockRestore();
      fs.rmSync(notesDir, { recursive: true, force: true });
    }
  });
});

describe('web services nobody may call', () => {
  function printedBy(build: (app: k8s.App) => void, props: Partial<k8s.AppProps> = {}): string {
    const app = new k8s.App({ outdir: tempDir('shipshape-uncalled-'), policy: false, ...props });
    build(app);
    return stderrOfSynth(app);
  }

  test('a web service without allowFrom is named once: its Service reaches nothing', () => {
    const printed = printedBy(app => {
      const chart = new Chart(app, 'shop', { namespace: 'shop' });
      const api = new k8s.WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.0.0' });
      new k8s.WebService(chart, 'web', { image: 'ghcr.io/acme/web:1.0.0' }).allowTo(api);
    });
    expect(printed).toBe('shipshape note: shop/web admits no caller: its NetworkPolicy allows no ingress, so its Service reaches nothing where NetworkPolicies are enforced; '
      + 'declare the callers with allowFrom(caller) (an HttpIngress or HttpRoute admits its controller or gateway on its backends by itself)\n');
  });

  test('synthYaml() says it too (a test of the YAML sees what synth() prints)', () => {
    const app = new k8s.App({ outdir: tempDir('shipshape-uncalled-yaml-'), policy: false });
    new k8s.WebService(new Chart(app, 'shop', { namespace: 'shop' }), 'api', { image: 'ghcr.io/acme/api:1.0.0' });
    expect(stderrOf(() => app.synthYaml())).toContain('shipshape note: shop/api admits no caller');
  });

  test('Template.notes holds it as synth prints it, for a template of the app or of one chart', () => {
    const app = new k8s.App({ outdir: tempDir('shipshape-uncalled-template-'), policy: false });
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    new k8s.WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.0.0' });
    const note = 'shipshape note: shop/api admits no caller: its NetworkPolicy allows no ingress, so its Service reaches nothing where NetworkPolicies are enforced; '
      + 'declare the callers with allowFrom(caller) (an HttpIngress or HttpRoute admits its controller or gateway on its backends by itself)';
    expect(testing.Template.fromApp(app, { policy: false }).notes).toEqual([note]);
    expect(testing.Template.fromChart(chart, { policy: false }).notes).toEqual([note]);
    expect(stderrOfSynth(app)).toBe(`${note}\n`);
  });

  test('many are counted after the first five; a worker (no Service) and a service with callers are not named', () => {
    const printed = printedBy(app => {
      const chart = new Chart(app, 'shop', { namespace: 'shop' });
      for (let i = 0; i < 7; i++) new k8s.WebService(chart, `s${i}`, { image: 'ghcr.io/acme/api:1.0.0' });
      new k8s.Worker(chart, 'worker', { image: 'ghcr.io/acme/worker:1.0.0' });
      new k8s.HttpIngress(chart, 'ing', { rules: [{ host: 'shop.example.com', paths: [{ backend: new k8s.WebService(chart, 'front', { image: 'ghcr.io/acme/front:1.0.0' }) }] }], tls: k8s.IngressTls.secret('shop-tls') });
    });
    expect(printed).toMatch(/^shipshape note: shop\/s0, shop\/s1, shop\/s2, shop\/s3, shop\/s4 and 2 more admit no caller: each one's NetworkPolicy allows no ingress, so their Services reach nothing /);
    expect(printed).not.toContain('front');
  });
});

describe('a cluster that does not enforce NetworkPolicies', () => {
  test('one note says the output\'s NetworkPolicies isolate nothing there; the uncalled note is left out', () => {
    const dir = tempDir('shipshape-unenforced-');
    const app = new k8s.App({ outdir: dir, policy: false, cluster: clusterProfile({ networkPolicyEnforced: false }) });
    new k8s.WebService(new Chart(app, 'shop', { namespace: 'shop' }), 'api', { image: 'ghcr.io/acme/api:1.0.0' });
    try {
      const printed = stderrOf(() => app.synth()).split(/(?<=\n)/).filter(t => t.includes('NetworkPolic'));
      const written = parseYamlFiles(dir).flatMap(f => f.docs).filter((d: any) => d.kind === 'NetworkPolicy').length;
      expect(written).toBeGreaterThan(1);
      expect(printed).toEqual(['shipshape note: cluster shop-prod does not enforce NetworkPolicies (its profile: networkPolicyEnforced false; EKS Auto Mode until its network '
        + `policy controller is switched on): the ${written} NetworkPolicies of this output, default deny included, isolate nothing there and every pod may reach every other; `
        + 'switch enforcement on in the cluster (EKS Auto Mode: the amazon-vpc-cni ConfigMap and a NodeClass network policy, as the EKS user guide describes) before relying on them\n']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('manifests are rendered as ApiObject.toJson() renders them', () => {
  /** Every ApiObject of the app: the renderer's manifest and toJson()'s, as JSON text (key order included). */
  function both(app: StockApp): Array<{ path: string; ours: string; stock: string }> {
    const renderer = new ManifestRenderer(app);
    return app.node.findAll().filter(c => ApiObject.isApiObject(c)).map(c => {
      const obj = c as ApiObject;
      return { path: obj.node.path, ours: JSON.stringify(renderer.render(obj)), stock: JSON.stringify(obj.toJson()) };
    });
  }

  /** A class instance a cdk8s resolver turns into a value (as the generated IntOrString classes are). */
  class IntOrString {
    constructor(public readonly value: number | string) {}
  }

  test('plain JSON, Lazy values, nulls, empty values, metadata fields and JSON patches', () => {
    const app = new k8s.App({ policy: false });
    const chart = new Chart(app, 'c', { namespace: 'ns', labels: { team: 'a' } });
    const calls: string[] = [];
    const obj = new ApiObject(chart, 'o', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cm', labels: { z: '1', a: '2' }, annotations: {}, finalizers: [], generateName: 'x-', extra: { empty: {}, none: null } } as any,
      zeta: { b: null, a: undefined, c: [null, 1, [], {}, { k: undefined }], d: {}, e: [] },
      data: Lazy.any({ produce: () => { calls.push('data'); return { z: 'last', A: 'upper', a: Lazy.any({ produce: () => Lazy.any({ produce: () => 'nested' }) }) }; } }),
      alpha: Lazy.any({ produce: () => { calls.push('alpha'); return undefined; } }),
      num: 0,
      flag: false,
      text: '',
      strange: { 'key with spaces': 'x', 'ünicode': 'é' },
    } as any);
    obj.metadata.addAnnotation('b', '2');
    obj.metadata.addAnnotation('a', '1');
    obj.metadata.addOwnerReference({ apiVersion: 'v1', kind: 'X', name: 'owner', uid: 'u' });
    obj.addJsonPatch(JsonPatch.add('/data/patched', 'yes'), JsonPatch.remove('/zeta/d'));
    new ApiObject(chart, 'bare', { apiVersion: 'v1', kind: 'Namespace' });
    const rendered = both(app);
    for (const r of rendered) expect(r.ours).toEqual(r.stock);
    expect(rendered[0].ours).toContain('"c":[null,1,[],{},{}]');
    // Lazy values are produced in the order cdk8s produces them (insertion order, not sorted order)
    expect(calls).toEqual(['data', 'alpha', 'data', 'alpha']);
  });

  test('keys are not sorted when CDK8S_DISABLE_SORT is set, as toJson() does', () => {
    const before = process.env.CDK8S_DISABLE_SORT;
    process.env.CDK8S_DISABLE_SORT = '1';
    try {
      const app = new k8s.App({ policy: false });
      new ApiObject(new Chart(app, 'c'), 'o', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { z: '1', a: '2' } } as any);
      const [r] = both(app);
      expect(r.ours).toEqual(r.stock);
      expect(r.ours.indexOf('"z"')).toBeLessThan(r.ours.indexOf('"a"'));
    } finally {
      if (before === undefined) delete process.env.CDK8S_DISABLE_SORT; else process.env.CDK8S_DISABLE_SORT = before;
    }
  });

  test('values only cdk8s resolvers handle (union classes, implicit tokens) and custom resolvers give toJson()\'s result', () => {
    for (const resolvers of [undefined, [{ resolve: (ctx: ResolutionContext) => { if (ctx.value === 'swap-me') ctx.replaceValue('swapped'); } }]]) {
      const app = new k8s.App({ policy: false, resolvers });
      const chart = new Chart(app, 'c');
      new ApiObject(chart, 'union', { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80, targetPort: new IntOrString('http') }] } } as any);
      new ApiObject(chart, 'token', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 't' }, data: { v: { resolve: () => 'resolved' } } } as any);
      new ApiObject(chart, 'custom', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'u' }, data: { v: 'swap-me' } } as any);
      const rendered = both(app);
      for (const r of rendered) expect(r.ours).toEqual(r.stock);
      expect(rendered.find(r => r.path === 'c/union')!.ours).toContain('"targetPort":{"value":"http"}');
      expect(rendered.find(r => r.path === 'c/token')!.ours).toContain('"v":"resolved"');
      expect(rendered.find(r => r.path === 'c/custom')!.ours).toContain(resolvers ? '"v":"swapped"' : '"v":"swap-me"');
    }
  });

  test('every object of the shipshape constructs and of cdk8s-plus', () => {
    const app = new k8s.App({ policy: false });
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    const api = new k8s.WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.0.0' });
    new k8s.Worker(chart, 'jobs', { image: 'ghcr.io/acme/jobs:1.0.0' });
    api.allowFrom(k8s.NetworkPeer.namespace('other'));
    new kplus.ConfigMap(chart, 'plus', { data: { a: 'b' } });
    const rendered = both(app);
    expect(rendered.length).toBeGreaterThan(8);
    for (const r of rendered) expect(r.ours).toEqual(r.stock);
  });

  test('an object that fails to render fails with cdk8s\' message, naming its construct path', () => {
    const app = new k8s.App({ outdir: outdir(), policy: false });
    new ApiObject(new Chart(app, 'c'), 'broken', { apiVersion: 'v1', kind: 'ConfigMap', data: Lazy.any({ produce: () => { throw new Error('no data yet'); } }) } as any);
    expect(() => app.synth()).toThrow(/Failed serializing construct at path 'c\/broken' .*no data yet/);
    expect(() => app.synthYaml()).toThrow(/Failed serializing construct at path 'c\/broken'/);
  });
});

describe('children tables', () => {
  test('construct ids behave as in a stock tree: lookups, duplicates (also of Object.prototype names), order', () => {
    const ours = new k8s.App({ policy: false });
    const stock = new StockApp();
    for (const app of [ours, stock]) {
      const chart = new Chart(app, 'svc-1');
      new Construct(chart, 'b');
      new Construct(chart, '2');
      new Construct(chart, 'a');
      expect(chart.node.children.map(c => c.node.id)).toEqual(['2', 'b', 'a']);
      expect(chart.node.tryFindChild('a')?.node.path).toBe('svc-1/a');
      expect(chart.node.tryRemoveChild('b')).toBe(true);
      expect(chart.node.children.map(c => c.node.id)).toEqual(['2', 'a']);
      expect(() => new Construct(chart, 'a')).toThrow("There is already a Construct with name 'a' in Chart [svc-1]");
      expect(() => new Construct(chart, 'constructor')).toThrow("There is already a Construct with name 'constructor' in Chart [svc-1]");
    }
  });

  test('past the number of shapes V8 shares (1,600 charts with distinct child ids) the tree still works: the same objects as with one id', () => {
    const build = (distinct: boolean) => {
      const app = new k8s.App({ policy: false });
      for (let i = 0; i < 1600; i++) {
        const name = `svc-${i}`;
        const chart = new Chart(app, name);
        configMap(new Construct(chart, distinct ? name : 'service'), 'cm', name, { i: String(i) });
      }
      return parseYamlDocuments(app.synthYaml());
    };
    expect(build(true)).toEqual(build(false));
  });

  test('a stock App\'s tree is left as constructs builds it', () => {
    new k8s.App({ policy: false });
    const stock = new StockApp();
    const chart = new Chart(stock, 'c');
    new Construct(chart, 'x');
    expect(Object.getPrototypeOf((chart.node as any)._children)).toBe(Object.prototype);
  });
});

describe('files are written chart by chart into the staging folder', () => {
  test.each([
    ['FILE_PER_APP', YamlOutputType.FILE_PER_APP],
    ['FILE_PER_RESOURCE', YamlOutputType.FILE_PER_RESOURCE],
    ['FOLDER_PER_CHART_FILE_PER_RESOURCE', YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE],
  ])('a suppression made in code is in the written file (%s): files are written again after the policy', (_name, yamlOutputType) => {
    const dir = outdir();
    const app = new k8s.App({ outdir: dir, yamlOutputType });
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    const api = new k8s.WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.0.0' });
    api.deployment.addJsonPatch(JsonPatch.add('/spec/template/spec/hostNetwork', true));
    policy.Policy.suppress(api.deployment, 'SS-K8S-010', 'the api answers on the node network for the load test');
    policy.Policy.configure(app, { writeReports: false });
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      app.synth();
    } finally {
      err.mockRestore();
    }
    const docs = parseYamlFiles(dir).flatMap(f => f.docs);
    const deployment = docs.find(d => d.kind === 'Deployment');
    expect(deployment.metadata.annotations['suppress.shipshape.io/SS-K8S-010']).toBe('the api answers on the node network for the load test');
  });

  test('a chart that fails to render after others were staged leaves the previous output as it was, and no staging folder', () => {
    const dir = outdir();
    const first = new k8s.App({ outdir: dir, policy: false });
    configMap(new Chart(first, 'a'), 'x', 'x');
    first.synth();
    const before = fs.readFileSync(path.join(dir, 'a.k8s.yaml'), 'utf-8');

    k8s.App._forgetOutdirs(); // a later run of the program
    const second = new k8s.App({ outdir: dir, policy: false });
    configMap(new Chart(second, 'a'), 'x', 'x', { changed: 'yes' });
    new ApiObject(new Chart(second, 'z'), 'broken', { apiVersion: 'v1', kind: 'ConfigMap', data: Lazy.any({ produce: () => { throw new Error('boom'); } }) } as any);
    expect(() => second.synth()).toThrow(/boom/);
    expect(fs.readFileSync(path.join(dir, 'a.k8s.yaml'), 'utf-8')).toEqual(before);
    expect(fs.readdirSync(path.join(dir, '.shipshape')).filter(f => f.startsWith('staging-'))).toEqual([]);

    // a first synth that fails creates nothing
    const fresh = path.join(outdir(), 'never');
    const third = new k8s.App({ outdir: fresh, policy: false });
    configMap(new Chart(third, 'a'), 'x', 'x');
    new ApiObject(new Chart(third, 'z'), 'broken', { apiVersion: 'v1', kind: 'ConfigMap', data: Lazy.any({ produce: () => { throw new Error('boom'); } }) } as any);
    expect(() => third.synth()).toThrow(/boom/);
    expect(fs.existsSync(fresh)).toBe(false);
  });
});

describe('a JSON patch that does not apply', () => {
  const patched = (app: StockApp) => {
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    const api = new k8s.WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.4.2' });
    api.deployment.addJsonPatch(JsonPatch.add('/metadata/annotations/team', 'payments'), JsonPatch.replace('/spec/template/spec/containerz/0/image', 'x'));
    return chart;
  };
  const WHY = 'shop/api/Deployment: JSON patch 2 of 2 (replace /spec/template/spec/containerz/0/image), added with addJsonPatch, does not apply: '
    + '/spec/template/spec/containerz does not exist (/spec/template/spec has keys ';

  test('synth names the patch, the part of its path the object lacks and what is there', () => {
    const app = new k8s.App({ outdir: tempDir('shipshape-patch-') });
    patched(app);
    expect(() => app.synth()).toThrow(WHY);
    expect(() => app.synth()).toThrow(/has keys affinity, automountServiceAccountToken, containers, .*; write the path as the object has it/);
  });

  test('testing.Template fails the same way', () => {
    expect(() => testing.Template.fromChart(patched(new StockApp()))).toThrow(WHY);
  });

  test('patches that apply are applied, in order', () => {
    const app = new k8s.App({ outdir: tempDir('shipshape-patch-') });
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    const api = new k8s.WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.4.2' });
    api.deployment.addJsonPatch(JsonPatch.add('/spec/template/spec/dnsPolicy', 'ClusterFirst'), JsonPatch.replace('/spec/template/spec/dnsPolicy', 'Default'));
    expect(chart.toJson().find((o: any) => o.kind === 'Deployment').spec.template.spec.dnsPolicy).toBe('Default');
  });
});

describe('outputFileExtension', () => {
  test.each(['.json', '', 'yaml', '.k8s.txt'])('%j is refused: the files hold YAML, and kubectl apply -f reads only .yaml, .yml and .json files', (ext) => {
    expect(() => new k8s.App({ outputFileExtension: ext, policy: false })).toThrow(
      `<app>: outputFileExtension (${JSON.stringify(ext)}) must end in .yaml or .yml: the files hold YAML, and kubectl apply -f and shipshape check of the folder read only .yaml, .yml and .json files `
      + '(a .json file as JSON); use ".k8s.yaml" (the default) or ".yaml"');
  });

  test.each(['.k8s.yaml', '.yaml', '.yml', '.shop.k8s.yml'])('%j is accepted', (ext) => {
    expect(new k8s.App({ outputFileExtension: ext, policy: false }).outputFileExtension).toBe(ext);
  });
});
