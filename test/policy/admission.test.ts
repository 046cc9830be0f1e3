import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart } from 'cdk8s';
import * as yaml from 'js-yaml';
import { removeTempDirsAfterAll, run, tmpDir } from './cli-helpers';
import { find, goodManifests, NS, pod } from './fixtures/good';
import { App } from '../../lib/k8s/app';
import { KubernetesPack, Policy, PolicyEngine } from '../../lib/policy';
import { k8sDocument } from '../../lib/policy/runner';

removeTempDirsAfterAll();

const web = (ms: any[]) => find(ms, 'Deployment', 'web');
const c0 = (ms: any[]) => pod(web(ms)).containers[0];
const enforce = (ms: any[], level: string) => { find(ms, 'Namespace', NS).metadata.labels['pod-security.kubernetes.io/enforce'] = level; };
const suppress = (m: any, id: string) => { m.metadata.annotations = { ...m.metadata.annotations, [`suppress.shipshape.io/${id}`]: 'the image needs it, reviewed by security' }; };

/** The output with `mutate` applied, checked by the whole Kubernetes pack: `<rule> <kind>/<name> <severity> <suppressed?>: <message>` per finding. */
function check(mutate: (ms: any[]) => void): string[] {
  const ms = goodManifests();
  mutate(ms);
  const suppressions = ms.flatMap((m, i) => Object.entries(m.metadata.annotations ?? {})
    .filter(([k]) => k.startsWith('suppress.shipshape.io/'))
    .map(([k, v]) => ({ ruleId: k.slice('suppress.shipshape.io/'.length), reason: String(v), path: `app/${m.kind}-${i}` })));
  const docs = ms.map((m, i) => k8sDocument(m, `app/${m.kind}-${i}`));
  const report = new PolicyEngine({ packs: [new KubernetesPack()] }).check(docs, { suppressions });
  return report.findings.map(f => `${f.ruleId} ${f.kind}/${f.name} ${f.severity}${f.suppression ? ' suppressed' : ''}: ${f.message}`);
}

const refusal = (id: string, level: string) => `SS-POLICY-009 Deployment/web error: ${id} is suppressed here, but namespace ${NS} enforces Pod Security "${level}", `
  + 'which refuses these pods: the suppression silences shipshape, not the API server';

describe('SS-POLICY-009: a suppressed finding Pod Security admission refuses anyway', () => {
  test('a restricted rule suppressed in a restricted namespace is an error beside the suppressed finding, once per object', () => {
    const found = check(ms => {
      // two containers break the rule: one refusal for the object
      delete pod(web(ms)).securityContext.runAsNonRoot;
      delete c0(ms).securityContext.runAsNonRoot;
      pod(web(ms)).containers.push({ ...c0(ms), name: 'second', ports: [] });
      suppress(web(ms), 'SS-K8S-004');
    });
    expect(found.filter(f => /^SS-(K8S-004|POLICY)/.test(f))).toEqual([
      'SS-K8S-004 Deployment/web error suppressed: Container may run as root',
      refusal('SS-K8S-004', 'restricted').replace(' is suppressed here,', ' is suppressed here, on 2 findings of this object (spec.template.spec.containers[0].securityContext.runAsNonRoot and 1 more),'),
      'SS-K8S-004 Deployment/web error suppressed: Container may run as root',
    ]);
  });

  test('a baseline namespace refuses what a baseline check refuses, not what only restricted does', () => {
    expect(check(ms => {
      enforce(ms, 'baseline');
      c0(ms).securityContext.privileged = true;
      delete c0(ms).securityContext.allowPrivilegeEscalation;
      suppress(web(ms), 'SS-K8S-001');
      suppress(web(ms), 'SS-K8S-002');
    }).filter(f => f.startsWith('SS-POLICY-009'))).toEqual([refusal('SS-K8S-001', 'baseline')]);
  });

  test('no refusal in a privileged or unlabelled namespace, a namespace the output does not hold, or for what Pod Security accepts of a stricter rule', () => {
    const privileged = (ms: any[]) => { c0(ms).securityContext.privileged = true; suppress(web(ms), 'SS-K8S-001'); };
    expect(check(ms => { enforce(ms, 'privileged'); privileged(ms); }).filter(f => f.startsWith('SS-POLICY-009'))).toEqual([]);
    expect(check(ms => { delete find(ms, 'Namespace', NS).metadata.labels['pod-security.kubernetes.io/enforce']; privileged(ms); }).filter(f => f.startsWith('SS-POLICY-009'))).toEqual([]);
    expect(check(ms => { ms.splice(ms.indexOf(find(ms, 'Namespace', NS)), 1); privileged(ms); }).filter(f => f.startsWith('SS-POLICY-009'))).toEqual([]);
    // SS-K8S-008 refuses NET_BIND_SERVICE, which restricted Pod Security accepts
    expect(check(ms => { c0(ms).securityContext.capabilities.add = ['NET_BIND_SERVICE']; suppress(web(ms), 'SS-K8S-008'); })
      .filter(f => f.startsWith('SS-POLICY-009'))).toEqual([]);
  });

  test('procMount Unmasked (SS-K8S-014) is refused by baseline already', () => {
    expect(check(ms => { enforce(ms, 'baseline'); c0(ms).securityContext.procMount = 'Unmasked'; suppress(web(ms), 'SS-K8S-014'); })
      .filter(f => f.startsWith('SS-POLICY-009'))).toEqual([refusal('SS-K8S-014', 'baseline')]);
  });

  test('a pod in a user namespace (hostUsers: false) may run as root: Pod Security accepts it from 1.35, so no refusal', () => {
    const root = (ms: any[]) => { delete pod(web(ms)).securityContext.runAsNonRoot; delete c0(ms).securityContext.runAsNonRoot; suppress(web(ms), 'SS-K8S-004'); };
    expect(check(ms => { root(ms); pod(web(ms)).hostUsers = false; }).filter(f => f.startsWith('SS-POLICY-009'))).toEqual([]);
    expect(check(root).filter(f => f.startsWith('SS-POLICY-009'))).toEqual([refusal('SS-K8S-004', 'restricted')]);
  });

  test('an enforce label Pod Security does not know (the levels are lower case) counts as restricted, as Pod Security reads it', () => {
    expect(check(ms => { enforce(ms, 'Baseline'); c0(ms).securityContext.privileged = true; suppress(web(ms), 'SS-K8S-001'); })
      .filter(f => f.startsWith('SS-POLICY-009'))).toEqual([
      `SS-POLICY-009 Deployment/web error: SS-K8S-001 is suppressed here, but namespace ${NS} enforces Pod Security "Baseline" (no level: Pod Security reads it as "restricted"), `
        + 'which refuses these pods: the suppression silences shipshape, not the API server',
    ]);
  });

  test('rules stricter than Pod Security count by the value they report: capabilities, seccomp profile, host port', () => {
    const refused = (level: string, mutate: (ms: any[]) => void, id: string) =>
      check(ms => { enforce(ms, level); mutate(ms); suppress(web(ms), id); }).filter(f => f.startsWith('SS-POLICY-009'));
    const add = (caps: string[]) => (ms: any[]) => { c0(ms).securityContext.capabilities.add = caps; };
    expect(refused('baseline', add(['SYS_ADMIN']), 'SS-K8S-008')).toEqual([refusal('SS-K8S-008', 'baseline')]);
    expect(refused('baseline', add(['CHOWN']), 'SS-K8S-008')).toEqual([]);
    expect(refused('restricted', add(['CHOWN']), 'SS-K8S-008')).toEqual([refusal('SS-K8S-008', 'restricted')]);
    expect(refused('restricted', add(['NET_BIND_SERVICE']), 'SS-K8S-008')).toEqual([]);
    const seccomp = (type: string) => (ms: any[]) => { pod(web(ms)).securityContext.seccompProfile = { type, ...(type === 'Localhost' ? { localhostProfile: 'p.json' } : {}) }; };
    expect(refused('baseline', seccomp('Unconfined'), 'SS-K8S-009')).toEqual([refusal('SS-K8S-009', 'baseline')]);
    expect(refused('restricted', seccomp('Localhost'), 'SS-K8S-009')).toEqual([]);
    const hostPort = (port: number) => (ms: any[]) => { c0(ms).ports[0].hostPort = port; };
    expect(refused('baseline', hostPort(8080), 'SS-K8S-012')).toEqual([refusal('SS-K8S-012', 'baseline')]);
    expect(refused('restricted', hostPort(0), 'SS-K8S-012')).toEqual([]);
  });

  test('a suppression of SS-POLICY-009 itself (the cluster exempts the pods) silences it', () => {
    const found = check(ms => { c0(ms).securityContext.privileged = true; suppress(web(ms), 'SS-K8S-001'); suppress(web(ms), 'SS-POLICY-009'); });
    expect(found.filter(f => f.startsWith('SS-POLICY-009'))).toEqual([`${refusal('SS-K8S-001', 'restricted').replace(' error:', ' error suppressed:')}`]);
  });
});

describe('SS-POLICY-009 names the levels that let the pods run, and how many findings it stands for', () => {
  /** The SS-POLICY-009 findings of the output with `mutate` applied, as `<jsonPath>: <message> | fix: <fix>`. */
  function refusals(mutate: (ms: any[]) => void): string[] {
    const ms = goodManifests();
    mutate(ms);
    const docs = ms.map((m, i) => k8sDocument(m, `app/${m.kind}-${i}`));
    const suppressions = [...ms.entries()].flatMap(([i, m]) => Object.entries(m.metadata.annotations ?? {})
      .filter(([k]) => k.startsWith('suppress.shipshape.io/'))
      .map(([k, v]) => ({ ruleId: k.slice('suppress.shipshape.io/'.length), reason: String(v), path: `app/${m.kind}-${i}` })));
    return new PolicyEngine({ packs: [new KubernetesPack()] }).check(docs, { suppressions }).findings
      .filter(f => f.ruleId === 'SS-POLICY-009').map(f => `${f.jsonPath}: ${f.message} | fix: ${f.fix}`);
  }
  const hostPaths = (ms: any[], n: number) => {
    for (let i = 0; i < n; i++) pod(web(ms)).volumes.push({ name: `host${i}`, hostPath: { path: `/var/log/h${i}` } });
    suppress(web(ms), 'SS-K8S-011');
  };
  const PRIVILEGED_ONLY = 'label allows them (privileged only: baseline refuses';
  const BASELINE_OR_PRIVILEGED = 'label allows them (baseline or privileged;';

  test('a suppressed hostPath (SS-K8S-011) in a baseline namespace: one refusal for three volumes, saying so, whose fix names privileged only', () => {
    const found = refusals(ms => { enforce(ms, 'baseline'); hostPaths(ms, 3); });
    expect(found).toHaveLength(1);
    const [where, fix] = found[0].split(' | fix: ');
    expect(where).toBe('spec.template.spec.volumes[1].hostPath: SS-K8S-011 is suppressed here, on 3 findings of this object (spec.template.spec.volumes[1].hostPath and 2 more), '
      + `but namespace ${NS} enforces Pod Security "baseline", which refuses these pods: the suppression silences shipshape, not the API server`);
    expect(fix).toContain(`${PRIVILEGED_ONLY} SS-K8S-011's findings as well as restricted does;`);
    expect(fix).not.toContain('baseline or privileged');
  });

  test('one suppressed hostPath: no count in the message', () => {
    expect(refusals(ms => { enforce(ms, 'baseline'); hostPaths(ms, 1); }).map(f => f.split(' | fix: ')[0])).toEqual([
      `spec.template.spec.volumes[1].hostPath: SS-K8S-011 is suppressed here, but namespace ${NS} enforces Pod Security "baseline", which refuses these pods: `
        + 'the suppression silences shipshape, not the API server',
    ]);
  });

  test('what only restricted refuses (SS-K8S-004) can run in a baseline or privileged namespace', () => {
    const found = refusals(ms => { delete pod(web(ms)).securityContext.runAsNonRoot; delete c0(ms).securityContext.runAsNonRoot; suppress(web(ms), 'SS-K8S-004'); });
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(BASELINE_OR_PRIVILEGED);
    expect(found[0]).not.toContain('privileged only');
  });

  test('findings of one rule refused at different levels: the fix follows the lowest level refusing one (SYS_ADMIN beside CHOWN)', () => {
    const caps = (ms: any[]) => {
      c0(ms).securityContext.capabilities.add = ['CHOWN'];
      pod(web(ms)).containers.push({ ...c0(ms), name: 'second', ports: [], securityContext: { ...c0(ms).securityContext, capabilities: { drop: ['ALL'], add: ['SYS_ADMIN'] } } });
      suppress(web(ms), 'SS-K8S-008');
    };
    const found = refusals(caps);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain('SS-K8S-008 is suppressed here, on 2 findings of this object (spec.template.spec.containers[0].securityContext.capabilities.add and 1 more)');
    expect(found[0]).toContain(PRIVILEGED_ONLY);
    // CHOWN alone: baseline lets it run
    expect(refusals(ms => { c0(ms).securityContext.capabilities.add = ['CHOWN']; suppress(web(ms), 'SS-K8S-008'); })[0]).toContain(BASELINE_OR_PRIVILEGED);
  });
});

describe('SS-POLICY-009 at synth and in shipshape check', () => {
  beforeEach(() => { jest.spyOn(process.stderr, 'write').mockImplementation(() => true); });
  afterEach(() => jest.restoreAllMocks());

  test('Policy.suppress of a Pod Security rule in a restricted namespace fails the synth', () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-admission-')) });
    const chart = new Chart(app, 'shop');
    const ms = goodManifests();
    c0(ms).securityContext.privileged = true;
    for (const m of ms) new ApiObject(chart, `${m.kind}-${m.metadata.name}`, m);
    Policy.suppress(chart.node.findChild('Deployment-web'), 'SS-K8S-001', 'the agent needs the host devices');
    expect(() => app.synth()).toThrow(`ERROR SS-POLICY-009 at spec.template.spec.containers[0].securityContext.privileged: SS-K8S-001 is suppressed here, but namespace ${NS} `
      + 'enforces Pod Security "restricted", which refuses these pods');
    fs.rmSync(app.outdir, { recursive: true, force: true });
  });

  test('shipshape check reports it for a suppression annotation, and exits 1', async () => {
    const ms = goodManifests();
    c0(ms).securityContext.privileged = true;
    suppress(web(ms), 'SS-K8S-001');
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'app.yaml'), ms.map(m => yaml.dump(m)).join('---\n'));
    const r = await run(['check', dir, '--format', 'json']);
    expect(r.code).toBe(1);
    const found = JSON.parse(r.out).findings.filter((f: any) => f.ruleId === 'SS-POLICY-009' || f.ruleId === 'SS-K8S-001');
    expect(found.map((f: any) => `${f.ruleId} ${f.severity} ${f.suppressed ? 'suppressed' : 'open'} ${f.jsonPath}`)).toEqual([
      'SS-K8S-001 error suppressed spec.template.spec.containers[0].securityContext.privileged',
      'SS-POLICY-009 error open spec.template.spec.containers[0].securityContext.privileged',
    ]);
  });

  test('shipshape check: one refusal for three suppressed hostPath volumes in a baseline namespace, its count in the message and privileged only in the fix', async () => {
    const ms = goodManifests();
    enforce(ms, 'baseline');
    for (let i = 0; i < 3; i++) pod(web(ms)).volumes.push({ name: `host${i}`, hostPath: { path: `/var/log/h${i}` } });
    suppress(web(ms), 'SS-K8S-011');
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'app.yaml'), ms.map(m => yaml.dump(m)).join('---\n'));
    const r = await run(['check', dir]);
    expect(r.code).toBe(1);
    const lines = r.out.split('\n');
    const at = lines.findIndex(l => l.includes('ERROR SS-POLICY-009'));
    expect(lines.filter(l => l.includes('ERROR SS-POLICY-009'))).toHaveLength(1);
    expect(lines[at].trim()).toBe('ERROR SS-POLICY-009 at spec.template.spec.volumes[1].hostPath: SS-K8S-011 is suppressed here, on 3 findings of this object '
      + `(spec.template.spec.volumes[1].hostPath and 2 more), but namespace ${NS} enforces Pod Security "baseline", which refuses these pods: `
      + 'the suppression silences shipshape, not the API server');
    expect(lines[at + 1]).toContain('label allows them (privileged only: baseline refuses SS-K8S-011\'s findings as well as restricted does;');
    expect(lines[at + 1]).not.toContain('baseline or privileged');
  });
});
