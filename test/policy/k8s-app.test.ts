import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart } from 'cdk8s';
import { inDirectory } from './fixtures/cwd';
import { find, goodManifests, NS, pod } from './fixtures/good';
import { App } from '../../lib/k8s/app';
import { Policy } from '../../lib/policy';

let stderr: string;
beforeEach(() => {
  stderr = '';
  jest.spyOn(process.stderr, 'write').mockImplementation((s: any) => { stderr += String(s); return true; });
});
afterEach(() => jest.restoreAllMocks());

function app(mutate?: (ms: any[]) => void) {
  const a = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-k8sapp-')) });
  const chart = new Chart(a, 'shop');
  const ms = goodManifests();
  mutate?.(ms);
  for (const m of ms) new ApiObject(chart, `${m.kind}-${m.metadata.name}`, m);
  return { app: a, chart };
}

const privileged = (ms: any[]) => { pod(find(ms, 'Deployment', 'web')).containers[0].securityContext.privileged = true; };
const noTls = (ms: any[]) => { delete find(ms, 'Ingress', 'web').spec.tls; };

test('k8s.App fails the synth on an error finding and writes no manifest, only the reports', () => {
  const { app: a } = app(privileged);
  expect(() => a.synth()).toThrow(/ERROR SS-K8S-001/);
  // nothing but shipshape's own state folder, which holds the reports of the failed run
  expect(fs.readdirSync(a.outdir).sort()).toEqual(['.shipshape']);
  expect(fs.readdirSync(path.join(a.outdir, '.shipshape')).sort()).toEqual(['policy-report.failed.json', 'policy-report.failed.sarif']);
});

test('a failed k8s.App synth lists each finding once: errors in the error, the others on stderr', () => {
  const { app: onlyErrors } = app(privileged);
  expect(() => onlyErrors.synth()).toThrow('shop/Deployment-web (Deployment web)');
  expect(stderr).toBe('');
  const { app: both } = app(ms => { privileged(ms); noTls(ms); });
  expect(() => both.synth()).toThrow(/ERROR SS-K8S-001/);
  expect(stderr.startsWith('shipshape policy: 1 warning, 0 suppressed, besides the 1 error that fails the synth\n')).toBe(true);
  expect(stderr).toContain('WARNING SS-K8S-055');
  expect(stderr).not.toContain('SS-K8S-001');
});

test('k8s.App honours Policy.suppress on a construct', () => {
  // in a namespace that lets a privileged pod run (a restricted one refuses it whatever the suppression: SS-POLICY-009)
  const { app: a, chart } = app(ms => { privileged(ms); find(ms, 'Namespace', NS).metadata.labels['pod-security.kubernetes.io/enforce'] = 'privileged'; });
  Policy.suppress(chart.node.findChild('Deployment-web'), 'SS-K8S-001', 'hardware agent needs device access');
  a.synth();
  expect(fs.existsSync(path.join(a.outdir, 'shop.k8s.yaml'))).toBe(true);
  expect(stderr).toContain('reason: hardware agent needs device access');
});

test('k8s.App prints warnings once even when the policy is also attached', () => {
  const { app: a } = app(noTls);
  Policy.attach(a);
  a.synth();
  expect(stderr.match(/SS-K8S-055/g)).toHaveLength(1);
});

test('the reports written at synth give every finding its output file (SARIF code scanning refuses a result without one)', () => {
  const { app: a, chart } = app(noTls);
  // a suppression of a construct with no finding (stale) and one of the whole app (stale): located too
  Policy.suppress(chart.node.findChild('Deployment-web'), 'SS-K8S-001', 'hardware agent needs device access');
  Policy.suppress(a, 'SS-K8S-002', 'nothing here escalates privileges at all');
  inDirectory(a.outdir, () => a.synth());
  const sarif = JSON.parse(fs.readFileSync(path.join(a.outdir, '.shipshape', 'policy-report.sarif'), 'utf-8'));
  const results = sarif.runs[0].results;
  expect(results.map((r: any) => `${r.ruleId} ${r.locations[0].physicalLocation?.artifactLocation.uri}`).sort()).toEqual([
    'SS-K8S-055 shop.k8s.yaml',
    'SS-POLICY-001 shop.k8s.yaml',
    'SS-POLICY-001 shop.k8s.yaml',
  ]);
  // the construct path stays, as the logical location; the summary on stderr names construct paths
  expect(results.find((r: any) => r.ruleId === 'SS-K8S-055').locations[0].logicalLocations[0].fullyQualifiedName).toBe('shop/Ingress-web');
  expect(stderr).toContain('shop/Ingress-web (Ingress web)');
  const json = JSON.parse(fs.readFileSync(path.join(a.outdir, '.shipshape', 'policy-report.json'), 'utf-8'));
  // synth ran in the output folder: the files are named relative to it (the working directory)
  expect(json.findings.map((f: any) => f.file)).toEqual(['shop.k8s.yaml', 'shop.k8s.yaml', 'shop.k8s.yaml']);
});

test('k8s.App says on stderr when an object holds a pod template in a kind the pack does not know (its pods are not checked)', () => {
  const { app: a, chart } = app();
  new ApiObject(chart, 'rollout', {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'canary', namespace: NS },
    spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:latest' }] } } },
  });
  a.synth();
  expect(stderr).toContain(`shipshape policy: a document holds a pod template in a kind the Kubernetes pack does not know (Rollout (argoproj.io/v1alpha1): ${NS}/canary): `);
  expect(stderr).toContain('or with a rule pack of your own (Policy.configure(app, { packs }))');
});

test('k8s.App says nothing of pod templates when every pod is in a kind the pack reads', () => {
  app().app.synth();
  expect(stderr).not.toContain('pod template');
});
