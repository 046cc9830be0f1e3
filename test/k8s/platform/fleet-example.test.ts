/**
 * The fleet example (examples/fleet), synthesized the way `npm run synth` and `cdk8s synth` run it, checked against
 * what the fleet promises: two teams, two environments, three clusters; namespaces with guard rails in every cluster;
 * Argo CD objects that validate against their CRDs and point at folders that exist; pinned add-ons; one diagram per
 * cluster whose arrows are exactly what its NetworkPolicies allow. (test/examples.test.ts runs the generic checks
 * on it too: strict schemas, policy, whole output and `shipshape check` parity per cluster folder.)
 */
import * as fs from 'fs';
import * as path from 'path';
import { connectionsFromDiagram, connectionsFromPolicies, outdir, readDocs } from './fixtures';
import { discoverExamples, synthExample } from '../../../scripts/synth-examples';
import { expectValid, SHARED_SCHEMAS } from '../../util/schema';

const example = discoverExamples().find(e => e.name === 'fleet')!;
const CLUSTERS = ['prod-eu', 'prod-us', 'staging-eu'];
const TEAMS = ['payments', 'shop'];

let dir = '';
let argo: any[] = [];

beforeAll(() => {
  // laid out as the repository is: a Git work tree whose dist/fleet (gitOps.path) is the output, as in `npm run synth`
  const root = outdir();
  fs.mkdirSync(path.join(root, '.git'));
  dir = path.join(root, 'dist', 'fleet');
  const r = synthExample(example, dir);
  if (r.status !== 0) throw new Error(`examples/fleet: synth exited ${r.status}\n${r.stderr}`);
  argo = readDocs(path.join(dir, 'argocd')).map(d => d.doc);
}, 120_000);

test('one folder per cluster and one for Argo CD; two teams in two environments', () => {
  expect(fs.readdirSync(dir).filter(f => !f.startsWith('.')).sort()).toEqual(['argocd', ...CLUSTERS]);
  const envs = new Set(argo.filter(d => d.kind === 'Application').map(d => d.metadata.labels['shipshape.io/environment']));
  expect([...envs].sort()).toEqual(['production', 'staging']);
  for (const c of CLUSTERS) expect(fs.readdirSync(path.join(dir, c)).filter(f => !f.startsWith('.')).sort()).toEqual(['payments', 'platform', 'shop', 'topology.md']);
});

test('every cluster has each team\'s namespace with its guard rails', () => {
  for (const c of CLUSTERS) {
    const platform = readDocs(path.join(dir, c, 'platform')).map(d => d.doc);
    for (const team of TEAMS) {
      const ns = platform.find(d => d.kind === 'Namespace' && d.metadata.name === team);
      expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
      expect(ns.metadata.labels['pod-security.kubernetes.io/enforce-version']).toBe('v1.33');
      const inNs = platform.filter(d => d.metadata.namespace === team).map(d => d.kind).sort();
      expect(inNs).toEqual(['LimitRange', 'NetworkPolicy', 'NetworkPolicy', 'ResourceQuota', 'Role', 'RoleBinding']);
    }
  }
});

test('the Argo CD objects validate against the Argo CD CRDs', () => {
  expect(argo.filter(d => d.kind === 'AppProject').map(d => d.metadata.name).sort()).toEqual(['acme-add-ons', 'acme-payments', 'acme-platform', 'acme-shop']);
  if (SHARED_SCHEMAS) expectValid(argo); // else custom resources are not validated in this clone (global-setup says so)
});

test('every folder Application points at a folder of the output that exists and holds YAML', () => {
  const folderApps = argo.filter(d => d.kind === 'Application' && d.spec.source.path !== undefined);
  expect(folderApps).toHaveLength(CLUSTERS.length * (TEAMS.length + 1));
  for (const a of folderApps) {
    expect(a.spec.source.path).toMatch(/^dist\/fleet\//);
    const folder = path.join(dir, a.spec.source.path.slice('dist/fleet/'.length));
    expect(fs.readdirSync(folder).some(f => f.endsWith('.yaml'))).toBe(true);
    expect(a.spec.source.directory.recurse).toBe(false);
  }
});

test('add-ons are pinned to exact versions, and Karpenter comes from the cluster that has it', () => {
  const addOns = argo.filter(d => d.kind === 'Application' && d.spec.source.chart !== undefined);
  for (const a of addOns) expect(a.spec.source.targetRevision).toMatch(/^v?\d+\.\d+\.\d+$/);
  const versions = new Map<string, Set<string>>();
  for (const a of addOns) versions.set(a.spec.source.chart, new Set([...(versions.get(a.spec.source.chart) ?? []), a.spec.source.targetRevision]));
  expect([...versions.keys()].sort()).toEqual(['aws-load-balancer-controller', 'cert-manager', 'external-dns', 'karpenter', 'metrics-server']);
  for (const [, v] of versions) expect(v.size).toBe(1); // one version across the fleet
  expect(addOns.filter(a => a.spec.source.chart === 'karpenter').map(a => a.metadata.name)).toEqual(['prod-us-karpenter']);
  expect(fs.existsSync(path.join(dir, 'prod-us', 'platform', 'NodePool.burst.k8s.yaml'))).toBe(true);
});

test('one diagram per cluster, whose arrows match its NetworkPolicies', () => {
  for (const c of CLUSTERS) {
    const md = fs.readFileSync(path.join(dir, c, 'topology.md'), 'utf-8');
    const fromPolicies = connectionsFromPolicies(readDocs(path.join(dir, c)).map(d => d.doc));
    expect(fromPolicies).toEqual(expect.arrayContaining([
      'Deployment shop/storefront | Deployment shop/cart | TCP 8080',
      'Deployment shop/cart | Deployment payments/payments-api | TCP 8080',
      'Deployment payments/payments-api | StatefulSet payments/ledger | TCP 5432',
    ]));
    expect(connectionsFromDiagram(md)).toEqual(fromPolicies);
  }
});

describe('the folders the README says to apply by hand (kubectl apply -f <folder>/)', () => {
  /** The Argo CD folder, and each cluster's platform folder and team folders. */
  const folders = () => ['argocd', ...CLUSTERS.flatMap(c => ['platform', ...TEAMS].map(f => `${c}/${f}`))];
  /** The objects of one folder, as `kubectl apply -f <folder>/` reads them (not recursive: `.shipshape/` is not read). */
  const objectsOf = (folder: string) => readDocs(path.join(dir, folder)).filter(d => !d.file.includes('/') && !d.file.includes(path.sep));

  /**
   * The objects of `folder` in a file that kubectl applies before the file holding their Namespace: it reads a
   * folder's files in the order of their names, compared byte by byte (as JavaScript compares ASCII strings), and
   * the API server refuses an object whose namespace does not exist yet.
   */
  function beforeTheirNamespace(folder: string): string[] {
    const docs = objectsOf(folder);
    const nsFiles = new Map<string, string[]>();
    for (const d of docs) if (d.doc.kind === 'Namespace') nsFiles.set(d.doc.metadata.name, [...(nsFiles.get(d.doc.metadata.name) ?? []), d.file]);
    const out: string[] = [];
    for (const d of docs) {
      for (const ns of nsFiles.get(d.doc.metadata?.namespace) ?? []) if (!(ns < d.file)) out.push(`${folder}/${d.file} (namespace ${d.doc.metadata.namespace}) does not sort after ${folder}/${ns}`);
    }
    return out;
  }

  test('the Argo CD folder and each team folder hold no Namespace after the objects in it; a team folder\'s namespace is made by the platform folder, applied first', () => {
    for (const f of folders().filter(x => !x.endsWith('/platform'))) expect(beforeTheirNamespace(f)).toEqual([]);
    for (const c of CLUSTERS) {
      const made = new Set(objectsOf(`${c}/platform`).filter(d => d.doc.kind === 'Namespace').map(d => d.doc.metadata.name));
      for (const t of TEAMS) {
        const used = new Set(objectsOf(`${c}/${t}`).map(d => d.doc.metadata.namespace).filter(ns => ns !== undefined));
        expect([...used].filter(ns => !made.has(ns))).toEqual([]);
      }
    }
  });

  test('a platform folder\'s Namespaces are the only objects with a Pod Security label, and make every namespace its objects are in', () => {
    for (const c of CLUSTERS) {
      const docs = objectsOf(`${c}/platform`);
      // kubectl apply -f <folder>/ -l pod-security.kubernetes.io/enforce selects exactly the Namespaces
      const selected = docs.filter(d => d.doc.metadata.labels?.['pod-security.kubernetes.io/enforce'] !== undefined);
      expect(selected.map(d => d.file)).toEqual(docs.filter(d => d.doc.kind === 'Namespace').map(d => d.file));
      const made = new Set(selected.map(d => d.doc.metadata.name));
      const namespaced = docs.filter(d => d.doc.metadata.namespace !== undefined);
      expect(namespaced.length).toBeGreaterThan(0);
      for (const d of namespaced) expect(made.has(d.doc.metadata.namespace)).toBe(true);
    }
  });

  // kubectl applies a folder's files in name order: the fleet names Namespace files 0000-Namespace.<name>.k8s.yaml
  test('in every such folder, each file holding a Namespace sorts before every file holding an object in that namespace', () => {
    for (const f of folders()) expect(beforeTheirNamespace(f)).toEqual([]);
  });
});
