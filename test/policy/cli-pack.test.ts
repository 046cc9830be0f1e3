import * as fs from 'fs';
import * as path from 'path';
import { Chart } from 'cdk8s';
import { removeTempDirsAfterAll, run, tmpDir, writeTree } from './cli-helpers';
import { App, WebService } from '../../lib/k8s';
import { KubernetesPack, Policy, PolicyEngine } from '../../lib/policy';
import { quietly } from '../util/k8s';

// `shipshape check --pack <module>`: a team's own rule packs run beside the Kubernetes pack, as synth runs them with
// Policy.configure, so CI holds YAML shipshape did not write to the company's rules too.

removeTempDirsAfterAll();

/** A CommonJS module exporting a pack: every Deployment needs a `team` label (the rule is written without shipshape). */
const ACME = `
const teamLabel = {
  id: 'ACME-001', severity: 'error', message: 'Deployment has no team label', fix: 'add metadata.labels.team', kinds: ['Deployment'],
  rationale: 'On-call finds the owning team by this label.',
  evaluate: doc => (doc.manifest.metadata && doc.manifest.metadata.labels && doc.manifest.metadata.labels.team
    ? { status: 'compliant', violations: [] } : { status: 'non-compliant', violations: [{ jsonPath: 'metadata.labels' }] }),
};
module.exports = { acme: { name: 'acme', rules: [teamLabel] } };
`;
const DEPLOYMENT = (labels: string, annotations = '') => `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop, labels: {${labels}}${annotations}}
spec: {selector: {matchLabels: {app: api}}, template: {metadata: {labels: {app: api}}, spec: {containers: [{name: app, image: ghcr.io/acme/api:1.0.0}]}}}
`;

describe('--pack', () => {
  test('runs the packs a module exports: their findings, and suppressions of their rules by annotation', async () => {
    const dir = writeTree(tmpDir(), { 'acme-pack.js': ACME, 'out/a.yaml': DEPLOYMENT('app: api') });
    const r = await run(['check', path.join(dir, 'out'), '--pack', path.join(dir, 'acme-pack.js'), '--format', 'json']);
    const report = JSON.parse(r.out);
    expect(report.findings.filter((f: any) => f.ruleId === 'ACME-001').map((f: any) => `${f.kind}/${f.name} ${f.jsonPath}`)).toEqual(['Deployment/api metadata.labels']);
    expect(report.rules.find((x: any) => x.id === 'ACME-001')).toMatchObject({ pack: 'acme', rationale: 'On-call finds the owning team by this label.' });
    expect(r.code).toBe(1);

    const suppressed = writeTree(tmpDir(), { 'a.yaml': DEPLOYMENT('app: api', ', annotations: {suppress.shipshape.io/ACME-001: "owned by the platform team until the hand-over"}') });
    const s = await run(['check', suppressed, '--pack', path.join(dir, 'acme-pack.js'), '--format', 'json']);
    const acme = JSON.parse(s.out).findings.filter((f: any) => f.ruleId === 'ACME-001');
    expect(acme).toHaveLength(1);
    expect(JSON.stringify(acme[0])).toContain('owned by the platform team until the hand-over');
    expect(s.err).not.toContain('were left alone');
  });

  test('a path relative to the working directory is found without ./', async () => {
    const dir = writeTree(tmpDir(), { 'packs/acme.js': ACME, 'a.yaml': DEPLOYMENT('app: api') });
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const r = await run(['check', 'a.yaml', '--pack', 'packs/acme.js', '--format', 'json']);
      expect(JSON.parse(r.out).findings.some((f: any) => f.ruleId === 'ACME-001')).toBe(true);
    } finally {
      process.chdir(cwd);
    }
  });

  test('a module that cannot be loaded, or exports no pack, is a usage error (exit 2)', async () => {
    const dir = writeTree(tmpDir(), { 'none.js': 'module.exports = { answer: 42 };', 'a.yaml': DEPLOYMENT('app: api') });
    const missing = await run(['check', dir, '--pack', path.join(dir, 'missing.js')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/^shipshape: --pack .*missing\.js could not be loaded: Cannot find module/);
    const none = await run(['check', dir, '--pack', path.join(dir, 'none.js')]);
    expect(none.code).toBe(2);
    expect(none.err).toContain('exports no rule pack: export an object with a name and a list of rules (an IRulePack)');
  });

  test('a ...Pack class whose constructor needs arguments is skipped, with a note, and the module\'s other pack classes run', async () => {
    const CLASSES = ACME.replace("module.exports = { acme: { name: 'acme', rules: [teamLabel] } };",
      "class AcmePack { constructor(props = {}) { this.name = 'acme'; this.rules = [teamLabel]; } }\n"
      + "class TenantPack { constructor(props) { this.name = 'tenant-' + props.tenant; this.rules = []; } }\nmodule.exports = { AcmePack, TenantPack };");
    const dir = writeTree(tmpDir(), { 'acme-lib.js': CLASSES, 'a.yaml': DEPLOYMENT('app: api') });
    const r = await run(['check', dir, '--pack', path.join(dir, 'acme-lib.js'), '--format', 'json']);
    expect(JSON.parse(r.out).findings.filter((f: any) => f.ruleId === 'ACME-001').map((f: any) => `${f.kind}/${f.name}`)).toEqual(['Deployment/api']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/shipshape note: --pack \S+acme-lib\.js: new TenantPack\(\) failed: Cannot read properties of undefined \(reading 'tenant'\); that class is skipped/);
    // a module whose only pack class needs arguments exports no pack this run can make: a usage error naming the failure
    const only = writeTree(tmpDir(), { 'tenant.js': "class TenantPack { constructor(props) { this.name = 'tenant-' + props.tenant; this.rules = []; } }\nmodule.exports = { TenantPack };", 'a.yaml': DEPLOYMENT('app: api') });
    const none = await run(['check', only, '--pack', path.join(only, 'tenant.js')]);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/exports no rule pack that can be made without arguments \(new TenantPack\(\) failed: Cannot read properties of undefined \(reading 'tenant'\)\): export an object/);
  });

  test('an export that throws when read (a lazy export whose optional dependencies are missing) is passed over, not a crash', async () => {
    const LAZY = ACME.replace("module.exports = { acme: { name: 'acme', rules: [teamLabel] } };",
      "Object.defineProperty(exports, 'aws', { enumerable: true, get() { throw new Error('the aws submodule needs the optional peer dependencies'); } });\n"
      + "exports.acme = { name: 'acme', rules: [teamLabel] };");
    const dir = writeTree(tmpDir(), { 'lazy.js': LAZY, 'a.yaml': DEPLOYMENT('app: api') });
    const r = await run(['check', dir, '--pack', path.join(dir, 'lazy.js'), '--format', 'json']);
    expect(JSON.parse(r.out).findings.filter((f: any) => f.ruleId === 'ACME-001')).toHaveLength(1);
    expect(r.err).not.toContain('optional peer dependencies');
  });

  test('a class named ...Pack with a constructor of no argument (how a jsii library exports its pack) is made and run', async () => {
    const CLASS = ACME.replace("module.exports = { acme: { name: 'acme', rules: [teamLabel] } };",
      "class AcmePack { constructor() { this.name = 'acme'; this.rules = [teamLabel]; } }\nclass AcmeWebApp { constructor(scope, id) { throw new Error('not a pack'); } }\nmodule.exports = { AcmePack, AcmeWebApp };");
    const dir = writeTree(tmpDir(), { 'acme-lib.js': CLASS, 'a.yaml': DEPLOYMENT('app: api') });
    const r = await run(['check', dir, '--pack', path.join(dir, 'acme-lib.js'), '--format', 'json']);
    expect(JSON.parse(r.out).findings.filter((f: any) => f.ruleId === 'ACME-001').map((f: any) => `${f.kind}/${f.name}`)).toEqual(['Deployment/api']);
    expect(r.code).toBe(1);
    // a class of another name, or one whose constructor takes arguments, is not a pack
    const other = writeTree(tmpDir(), { 'lib.js': 'class Helper { constructor() { this.name = "x"; this.rules = []; } }\nmodule.exports = { Helper };', 'a.yaml': DEPLOYMENT('app: api') });
    const none = await run(['check', other, '--pack', path.join(other, 'lib.js')]);
    expect(none.code).toBe(2);
    expect(none.err).toContain('or a class named ...Pack whose constructor can be called with no argument');
  });

  test('a ...Pack class whose constructor takes one optional props object (constructor(props?: AcmePackProps), Function.length 1) is made too', async () => {
    const CLASS = ACME.replace("module.exports = { acme: { name: 'acme', rules: [teamLabel] } };",
      "class StrictPack { constructor(props) { this.name = 'acme'; this.rules = (props && props.off) ? [] : [teamLabel]; } }\nmodule.exports = { StrictPack };");
    const dir = writeTree(tmpDir(), { 'strict.js': CLASS, 'a.yaml': DEPLOYMENT('app: api') });
    const r = await run(['check', dir, '--pack', path.join(dir, 'strict.js'), '--format', 'json']);
    expect(JSON.parse(r.out).findings.filter((f: any) => f.ruleId === 'ACME-001').map((f: any) => `${f.kind}/${f.name}`)).toEqual(['Deployment/api']);
  });

  test('a pack the engine refuses is a usage error with the engine\'s message', async () => {
    const dir = writeTree(tmpDir(), { 'bad.js': "module.exports = { name: 'bad', rules: [{ id: 'SS-ACME-1', severity: 'error', message: 'm', fix: 'f', evaluate: () => ({ status: 'compliant' }) }] };", 'a.yaml': DEPLOYMENT('app: api') });
    const r = await run(['check', dir, '--pack', path.join(dir, 'bad.js')]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('shipshape: policy: rule SS-ACME-1 (pack bad) has an id starting with SS-');
  });
});

describe('packs synth ran that the command does not', () => {
  test('an output folder whose synth also ran a pack of the user\'s own says so on stderr, unless --pack gives a pack of that name', async () => {
    const dir = tmpDir();
    writeTree(dir, { 'acme-pack.js': ACME });
    // the pack as synth runs it: the same module, configured on the app
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const acme = require(path.join(dir, 'acme-pack.js')).acme;
    const outdir = path.join(dir, 'dist');
    const app = new App({ outdir });
    Policy.configure(app, { packs: [new KubernetesPack(), acme] });
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    const api = new WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.4.2', labels: { team: 'shop' } });
    expect(api).toBeDefined();
    quietly(() => app.synth());
    expect(JSON.parse(fs.readFileSync(path.join(outdir, '.shipshape', 'output.json'), 'utf-8')).otherPacks).toEqual(['acme']);
    const without = await run(['check', outdir]);
    expect(without.err).toContain('shipshape: synth of ');
    expect(without.err).toContain('also ran the rule pack "acme", which this command does not: its rules are not checked here; add --pack <the module that exports it>');
    const withPack = await run(['check', outdir, '--pack', path.join(dir, 'acme-pack.js')]);
    expect(withPack.err).not.toContain('also ran the rule pack');
    expect(without.err).not.toContain('did not run shipshape\'s Kubernetes pack');
  });

  test('an output folder whose synth ran its own pack only says that the Kubernetes pack this command runs was not run there', async () => {
    const dir = tmpDir();
    writeTree(dir, { 'acme-pack.js': ACME });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const acme = require(path.join(dir, 'acme-pack.js')).acme;
    const outdir = path.join(dir, 'dist');
    const app = new App({ outdir });
    Policy.configure(app, { packs: [acme] });
    new WebService(new Chart(app, 'shop', { namespace: 'shop' }), 'api', { image: 'ghcr.io/acme/api:1.4.2', labels: { team: 'shop' } });
    quietly(() => app.synth());
    const r = await run(['check', outdir, '--pack', path.join(dir, 'acme-pack.js')]);
    expect(r.err).toContain('shipshape: synth of ');
    expect(r.err).toContain(' did not run shipshape\'s Kubernetes pack (its Policy.configure packs leave it out), which this command runs: '
      + 'its findings here are not ones synth reported, nor are the suppressions synth would have written for them\n');
  });
});

describe('a suppression of a Kubernetes pack rule while that pack does not run', () => {
  test('the fix names the pack to add', () => {
    const report = new PolicyEngine({ packs: [{ name: 'acme', rules: [] }] }).check([], {
      suppressions: [{ ruleId: 'SS-K8S-010', reason: 'the node agent needs the host network', path: 'mon/agent' }],
    });
    expect(report.errors.map(f => f.fix)).toEqual(["add new KubernetesPack() to the policy packs (SS-K8S-010 is a rule of shipshape's Kubernetes pack), or remove the suppression"]);
  });

  test('a slip of a shipshape id is asked about, without telling to add a pack that defines the slip', () => {
    const report = new PolicyEngine({ packs: [new KubernetesPack()] }).check([], {
      suppressions: [{ ruleId: 'SS-K8S-10', reason: 'the node agent needs the host network', path: 'mon/agent' }],
    });
    expect(report.errors.map(f => f.fix)).toEqual(['write the id as the policy report shows it (SS-K8S-010?)']);
  });
});
