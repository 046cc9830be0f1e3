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
