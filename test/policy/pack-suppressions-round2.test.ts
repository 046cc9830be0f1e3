import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App as CdkApp, Chart } from 'cdk8s';
import { removeTempDirsAfterAll, run, tmpDir, writeTree } from './cli-helpers';
import { App, WebService } from '../../lib/k8s';
import { IRule, IRulePack, KubernetesPack, Policy, PolicyEngine, RuleResult, Severity, TerraformPack } from '../../lib/policy';
import { nearRuleId } from '../../lib/policy/internal';
import { Match, Template } from '../../lib/testing';
import { expectError, quietly } from '../util/k8s';

// A team's own pack ("acme", rules ACME-001 … ACME-003) on top of shipshape: suppressions that name its rules wrongly
// (a typo of the id, the wrong pack), pack names, and what Template assertions suggest.

removeTempDirsAfterAll();

/** A rule of the acme pack: every object of `kinds` needs a `team` label. */
function teamRule(id: string, kinds: string[]): IRule {
  return {
    id,
    severity: Severity.ERROR,
    message: 'object has no team label',
    fix: 'add metadata.labels.team',
    kinds,
    evaluate: doc => (doc.manifest.metadata?.labels?.team ? RuleResult.compliant() : RuleResult.violation('metadata.labels')),
  };
}
const acme = (): IRulePack => ({ name: 'acme', rules: [teamRule('ACME-001', ['Deployment']), teamRule('ACME-002', ['Service']), teamRule('ACME-003', ['CronJob'])] });

/** An app running the Kubernetes pack and acme (unless `packs` says otherwise), with a WebService shop/api. */
function shop(packs: IRulePack[] = [new KubernetesPack(), acme()]): { app: App; chart: Chart; api: WebService } {
  const app = new App({ outdir: '/nonexistent-shipshape-test' });
  Policy.configure(app, { packs });
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  const api = new WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.4.2' });
  return { app, chart, api };
}

/** The SS-POLICY-004 findings of a template, as `<path>: <message> | fix: <fix>`. */
function wrongIds(t: Template): string[] {
  return t.report!.findings.filter(f => f.ruleId === 'SS-POLICY-004').map(f => `${f.path}: ${f.message} | fix: ${f.fix}`);
}

/** Whether the ACME-001 finding on the Deployment is silenced, and the annotations written onto the Deployment. */
function acme001(t: Template): { suppressed: boolean; annotations: string[] } {
  const f = t.report!.findings.find(x => x.ruleId === 'ACME-001');
  const deployment = t.findResources('Deployment')[0];
  return {
    suppressed: f?.suppression !== undefined,
    annotations: Object.keys(deployment.metadata.annotations ?? {}).filter(k => k.startsWith('suppress.shipshape.io/')),
  };
}

describe('shipshape check --pack: suppression annotations of the pack that runs', () => {
  const PACK = `
const rule = id => ({ id, severity: 'error', message: 'object has no team label', fix: 'add metadata.labels.team', kinds: ['Deployment'],
  evaluate: () => ({ status: 'compliant', violations: [] }) });
module.exports = { acme: { name: 'acme', rules: [rule('ACME-001'), rule('ACME-002'), rule('ACME-003')] } };
`;
  const CONFIG_MAP = (annotations: string[]) => 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: shop\n'
    + '  labels: {app.kubernetes.io/name: shop}\n  annotations:\n' + annotations.map(a => `    ${a}\n`).join('') + 'data: {level: info}\n';
  const TYPOS = CONFIG_MAP(['suppress.shipshape.io/ACME-01: "the team label comes from the namespace"', 'suppress.shipshape.io/acme-003: "the team label comes from the namespace"']);

  test('a typo of one of its ids (a slip, or another case) is the SS-POLICY-004 error synth reports, not left alone', async () => {
    const dir = writeTree(tmpDir(), { 'acme-pack.js': PACK, 'vendor/typo.yaml': TYPOS });
    const file = path.join(dir, 'vendor', 'typo.yaml');
    const r = await run(['check', file, '--pack', path.join(dir, 'acme-pack.js'), '--format', 'json']);
    expect(r.code).toBe(1);
    const at = `${file.split(path.sep).join('/')}#0`;
    expect(JSON.parse(r.out).findings.filter((f: any) => f.ruleId === 'SS-POLICY-004').map((f: any) => `${f.severity} ${f.message}`)).toEqual([
      `error suppression of ACME-01 at ${at} names a rule that none of the packs that run has (kubernetes, acme); did you mean ACME-001?`,
      `error suppression of acme-003 at ${at} names a rule that none of the packs that run has (kubernetes, acme); did you mean ACME-003?`,
    ]);
    expect(r.err).not.toContain('left alone');
  });

  test('synth reports the same error for the same annotation', () => {
    const app = new CdkApp();
    const chart = new Chart(app, 'shop');
    new ApiObject(chart, 'settings', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop', annotations: { 'suppress.shipshape.io/ACME-01': 'the team label comes from the namespace' } } });
    Policy.attach(app, { packs: [new KubernetesPack(), acme()], writeReports: false });
    expect(() => app.synthYaml()).toThrow('ERROR SS-POLICY-004 at metadata.annotations["suppress.shipshape.io/ACME-01"]: '
      + 'suppression of ACME-01 at shop/settings names a rule that none of the packs that run has (kubernetes, acme); did you mean ACME-001?\n');
  });

  test('an id with the prefix of its rules (ACME-999) is an unknown id of that pack, with no far-fetched suggestion', async () => {
    const dir = writeTree(tmpDir(), { 'acme-pack.js': PACK, 'a.yaml': CONFIG_MAP(['suppress.shipshape.io/ACME-999: "the team label comes from the namespace"']) });
    const r = await run(['check', path.join(dir, 'a.yaml'), '--pack', path.join(dir, 'acme-pack.js'), '--format', 'json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out).findings.filter((f: any) => f.ruleId === 'SS-POLICY-004').map((f: any) => f.message)).toEqual([
      `suppression of ACME-999 at ${path.join(dir, 'a.yaml').split(path.sep).join('/')}#0 names a rule that none of the packs that run has (kubernetes, acme)`,
    ]);
    expect(r.err).not.toContain('left alone');
  });

  test('an id of a pack that does not run is still left alone, and the note names only it, and the packs that ran', async () => {
    const dir = writeTree(tmpDir(), {
      'acme-pack.js': PACK,
      'a.yaml': CONFIG_MAP(['suppress.shipshape.io/ACME-01: "the team label comes from the namespace"', 'suppress.shipshape.io/BILLING-007: "cost centre comes from the namespace"']),
    });
    const r = await run(['check', path.join(dir, 'a.yaml'), '--pack', path.join(dir, 'acme-pack.js')]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('shipshape: suppression annotations of rules this command does not run were left alone: BILLING-007 '
      + '(this command ran the packs kubernetes, acme; add --pack <module> for the pack that defines them)\n');
  });

  test('without --pack, the annotations of the acme rules are left alone, as before', async () => {
    const dir = writeTree(tmpDir(), { 'typo.yaml': TYPOS });
    const r = await run(['check', path.join(dir, 'typo.yaml')]);
    expect(r.code).toBe(0);
    expect(r.err).toContain('shipshape: suppression annotations of rules this command does not run were left alone: ACME-01, acme-003 '
      + '(rules of your own packs run at synth; shipshape check runs the Kubernetes pack, and yours with --pack <module>)\n');
  });

  test('a pack of a name the engine refuses is a usage error (exit 2) with the engine\'s message', async () => {
    const dir = writeTree(tmpDir(), { 'engine.js': PACK.replace("name: 'acme'", "name: 'engine'"), 'a.yaml': CONFIG_MAP([]) });
    const r = await run(['check', path.join(dir, 'a.yaml'), '--pack', path.join(dir, 'engine.js')]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('shipshape: policy: a pack (rules ACME-001, ACME-002, ACME-003) has the name "engine", which shipshape uses itself: '
      + 'the pack of the findings shipshape\'s engine makes itself (SS-POLICY-...) in reports and SARIF tags; give your pack a name of its own, for example "acme-engine"\n');
  });
});

describe('Policy.suppress with { pack }: the pack named decides', () => {
  test('a pack that does not run: the suppression silences nothing and is written onto no object, even when the rule runs in another pack', () => {
    const { chart, api } = shop();
    Policy.suppress(api, 'ACME-001', 'the team label comes from the namespace', { pack: 'acm' });
    const t = Template.fromChart(chart);
    expect(acme001(t)).toEqual({ suppressed: false, annotations: [] });
    // ACME-001 is the running acme pack's: the pack name is a slip, which the synth says rather than failing on ACME-001 alone
    expect(wrongIds(t)).toEqual([
      'shop/api: suppression of ACME-001 at shop/api names the pack acm, which does not run (kubernetes, acme), so it silences nothing; ACME-001 is a rule of the pack acme'
      + ' | fix: name the pack that defines the rule (pack: \'acme\'), or leave pack unset',
    ]);
  });

  test('a pack that runs but has no such rule is an error, naming the pack that has it', () => {
    const { chart, api } = shop();
    Policy.suppress(api, 'ACME-001', 'the team label comes from the namespace', { pack: 'kubernetes' });
    const t = Template.fromChart(chart);
    expect(acme001(t)).toEqual({ suppressed: false, annotations: [] });
    expect(wrongIds(t)).toEqual([
      'shop/api: suppression of ACME-001 at shop/api names the pack kubernetes, which has no rule ACME-001, so it silences nothing; ACME-001 is a rule of the pack acme'
      + ' | fix: name the pack that defines the rule (pack: \'acme\'), or leave pack unset',
    ]);
  });

  test('a pack that runs: a slip of one of its ids is an error; another id it lacks is a rule it leaves out (a filtered pack), left alone', () => {
    const report = new PolicyEngine({ packs: [new KubernetesPack(), acme()] }).check([], {
      suppressions: [
        { ruleId: 'SS-K8S-01', reason: 'the reason is long enough', path: 'shop/a', pack: 'kubernetes' },
        // a slip of a rule of another pack: not this pack's, so not its typo either
        { ruleId: 'ACME-01', reason: 'the reason is long enough', path: 'shop/b', pack: 'kubernetes' },
        // ACME-003 of a pack its user filtered: another number is another rule, not a slip of ACME-001
        { ruleId: 'ACME-003', reason: 'the reason is long enough', path: 'shop/c', pack: 'acme' },
        { ruleId: 'ACME-777', reason: 'the reason is long enough', path: 'shop/d', pack: 'acme' },
      ],
    });
    expect(report.errors.map(f => `${f.ruleId} ${f.message} | fix: ${f.fix}`)).toEqual([
      'SS-POLICY-004 suppression of SS-K8S-01 at shop/a names the pack kubernetes, which has no rule SS-K8S-01, so it silences nothing; did you mean SS-K8S-001?'
      + ' | fix: write the id as the policy report shows it (SS-K8S-001?)',
    ]);
  });

  test('a pack that does not run is left alone whatever the id: a library\'s pack its user does not run may have ids like those of one that runs', () => {
    const { app, chart, api } = shop();
    Policy.suppress(api, 'ACME-01', 'the team label comes from the namespace', { pack: 'acme-pack' });
    Policy.suppress(api, 'ACME-101', 'the team label comes from the namespace', { pack: 'acme-data' });
    expect(wrongIds(Template.fromChart(chart))).toEqual([]);
    // (the fixture's objects fail acme's own rules; no finding is about the suppressions)
    let message = '';
    try {
      quietly(() => app.synthYaml());
    } catch (e: any) {
      message = e.message;
    }
    expect(message).toContain('ERROR ACME-001');
    expect(message).not.toContain('SS-POLICY-004');
  });

  test('a pack that does not run, with an id no pack that runs claims: left alone, no finding, nothing written', () => {
    const { chart, api } = shop();
    Policy.suppress(api, 'BILLING-007', 'cost centre comes from the namespace', { pack: 'billing' });
    const t = Template.fromChart(chart);
    expect(t.report!.findings.filter(f => f.ruleId.startsWith('SS-POLICY-'))).toEqual([]);
    expect(t.findResources('Deployment')[0].metadata.annotations?.['suppress.shipshape.io/BILLING-007']).toBeUndefined();
  });

  test('the pack that runs and has the rule: it silences the rule, and is written onto the object', () => {
    const { chart, api } = shop();
    Policy.suppress(api, 'ACME-001', 'the team label comes from the namespace', { pack: 'acme' });
    const t = Template.fromChart(chart);
    expect(acme001(t)).toEqual({ suppressed: true, annotations: ['suppress.shipshape.io/ACME-001'] });
    expect(wrongIds(t)).toEqual([]);
  });

  test('a pack name of another shape is refused at once: no pack of that name can run', () => {
    const { api } = shop();
    expectError(() => Policy.suppress(api, 'ACME-001', 'the team label comes from the namespace', { pack: 'Acme' }),
      'shop/api: options.pack ("Acme") is not a pack name: a lower-case letter, then at most 62 lower-case letters, digits and \'-\', ending with a letter or digit, '
      + 'so no pack of that name can run; pass the name of the pack that defines the rule as its IRulePack.name reads, for example acme, or leave pack unset');
  });
});

describe('pack names', () => {
  const rules = [teamRule('ACME-001', ['Deployment'])];
  const configure = (packs: IRulePack[]) => () => Policy.configure(new App({ outdir: '/nonexistent-shipshape-test' }), { packs });

  test('a blank name is refused', () => {
    expect(configure([new KubernetesPack(), { name: '', rules }])).toThrow(new Error(
      'policy: a pack (rules ACME-001) has the name "", which is no name (reports, SARIF tags, the output record and Policy.suppress(..., { pack }) name the pack by it); '
      + 'give the pack a name of its own, for example acme: a lower-case letter, then at most 62 lower-case letters, digits and \'-\', ending with a letter or digit'));
    expect(configure([{ name: '  ', rules: [] }])).toThrow(/^policy: a pack \(no rule\) has the name "  ", which is no name/);
    expect(configure([{ name: undefined as any, rules }])).toThrow(/^policy: a pack \(rules ACME-001\) has the name undefined, which is no name/);
  });

  test('a name that is not lower-case letters, digits and - is refused, with a name that is', () => {
    expect(configure([{ name: 'Acme_Platform', rules }])).toThrow(new Error(
      'policy: a pack (rules ACME-001) has the name "Acme_Platform", which is not a pack name: a lower-case letter, then at most 62 lower-case letters, digits and \'-\', '
      + 'ending with a letter or digit (reports, SARIF tags, the output record and Policy.suppress(..., { pack }) name the pack by it); '
      + 'name it as you would an npm package, for example "acme-platform"'));
    expect(configure([{ name: 'acme-', rules }])).toThrow(/has the name "acme-", which is not a pack name: .* for example "acme"$/);
    expect(configure([{ name: 'a'.repeat(64), rules }])).toThrow(/which is not a pack name/);
    expect(configure([new KubernetesPack(), { name: 'acme-platform2', rules }])).not.toThrow();
  });

  test('a name shipshape uses itself is refused (engine, report fields, SARIF tags, its own packs\' names)', () => {
    expect(configure([new KubernetesPack(), { name: 'engine', rules: [] }])).toThrow(new Error(
      'policy: a pack (no rule) has the name "engine", which shipshape uses itself: the pack of the findings shipshape\'s engine makes itself (SS-POLICY-...) in reports and SARIF tags; '
      + 'give your pack a name of its own, for example "acme-engine"'));
    expect(configure([{ name: 'security', rules }])).toThrow(
      'which shipshape uses itself: a SARIF tag of shipshape\'s security rules (code scanning ranks rules with that tag as security alerts)');
    expect(configure([{ name: 'unknown', rules }])).toThrow('which shipshape uses itself: the pack reports give a rule they know nothing of');
    expect(configure([{ name: 'kubernetes', rules }])).toThrow(new Error(
      'policy: a pack (rules ACME-001) has the name "kubernetes", which shipshape uses itself: the name of shipshape\'s Kubernetes pack (KubernetesPack); '
      + 'give your pack a name of its own, for example "acme-kubernetes"'));
    expect(configure([new KubernetesPack(), { name: 'terraform', rules: [] }])).toThrow('which shipshape uses itself: the name of shipshape\'s Terraform pack (TerraformPack)');
    // shipshape's own packs keep their names
    expect(() => new PolicyEngine({ packs: [new KubernetesPack({ exclude: ['SS-K8S-001'] }), new TerraformPack()] })).not.toThrow();
  });

  test('Policy.configure refuses them where they are given, so no synth records them in output.json (otherPacks)', () => {
    const dir = tmpDir();
    const app = new App({ outdir: path.join(dir, 'dist') });
    expect(() => Policy.configure(app, { packs: [new KubernetesPack(), { name: '', rules }, { name: 'engine', rules: [] }] })).toThrow(/has the name "", which is no name/);
    // the app runs the default packs: its record names no other pack
    new WebService(new Chart(app, 'shop', { namespace: 'shop' }), 'api', { image: 'ghcr.io/acme/api:1.4.2' });
    app.synth();
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'dist', '.shipshape', 'output.json'), 'utf-8')).otherPacks).toBeUndefined();
  });
});

describe('Template: the id hasFinding suggests', () => {
  test('an id of a pack that did not run gets no suggestion from another prefix', () => {
    const { chart } = shop([new KubernetesPack()]);
    expectError(() => Template.fromChart(chart).hasFinding('ACME-001'),
      'Template: hasFinding.ruleId ("ACME-001") is not a rule of the packs that ran (kubernetes); '
      + 'write the id as the policy report shows it, or configure the pack that defines it (Policy.configure)');
  });

  test('a slip of an id of a pack that ran gets one', () => {
    const { chart } = shop();
    expectError(() => Template.fromChart(chart).hasFinding('acme-01'),
      'Template: hasFinding.ruleId ("acme-01") is not a rule of the packs that ran (kubernetes, acme); did you mean ACME-001? '
      + 'Write the id as the policy report shows it, or configure the pack that defines it (Policy.configure)');
  });
});

describe('Template: an arrayWith failure inside a pattern', () => {
  test('reads as one difference, with the closest element\'s differences in parentheses (no ":;")', () => {
    const { chart } = shop([new KubernetesPack()]);
    const t = Template.fromChart(chart);
    let message = '';
    try {
      t.hasResourceProperties('Deployment', { spec: { template: { spec: { containers: Match.arrayWith([{ name: 'db' }]) } } } });
    } catch (e: any) {
      message = e.message;
    }
    expect(message).toBe('Template: hasResourceProperties ("Deployment") expected a Deployment object matching the pattern; none of the 1 does; '
      + 'the closest is Deployment shop/api (shop/api/Deployment): spec.template.spec.containers: no element matches pattern element [0] {"name":"db"}; '
      + 'the closest is [0] (name: expected "db", got "app")');
  });
});

describe('slips of rule ids', () => {
  test('a slip keeps the number and misspells the prefix or its case; another number is another rule', () => {
    const known = ['ACME-001', 'ACME-002', 'ACME-003', 'SS-K8S-009', 'SS-K8S-010'];
    expect(['ACME-01', 'AMCE-001', 'acme-003', 'SS-K8S-10', 'ACME-004', 'SS-K8S-999', 'ACME-0031'].map(id => nearRuleId(id, known)))
      .toEqual(['ACME-001', 'ACME-001', 'ACME-003', 'SS-K8S-010', undefined, undefined, undefined]);
    // ids without a number: a few characters off
    expect(nearRuleId('no-latest-tg', ['no-latest-tag', 'no-root'])).toBe('no-latest-tag');
  });

  test('Policy.suppress refuses a pack name shipshape keeps for itself (no pack may have it)', () => {
    const { api } = shop();
    expectError(() => Policy.suppress(api, 'ACME-001', 'the reason is long enough', { pack: 'security' }),
      /^shop\/api: options\.pack \("security"\) is a name shipshape uses itself \(.*\), which no pack may have, so the suppression could never apply/);
  });
});

describe('suppression annotations of rules of packs an app does not run, at synth as in shipshape check', () => {
  const withAnnotations = (packs: IRulePack[], annotations: Record<string, string>) => {
    const { chart } = shop(packs);
    new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', annotations }, data: { a: 'b' } });
    return wrongIds(Template.fromChart(chart));
  };

  test('an id no pack that runs claims is left alone (the output of an app that runs the pack, included in one that does not)', () => {
    expect(withAnnotations([new KubernetesPack()], { 'suppress.shipshape.io/ACME-002': 'the team label comes from the namespace' })).toEqual([]);
  });

  test('a slip of an id of a pack that runs, or of a shipshape rule, is still an error', () => {
    expect(withAnnotations([new KubernetesPack(), acme()], {
      'suppress.shipshape.io/ACME-01': 'the team label comes from the namespace',
      'suppress.shipshape.io/SS-K8S-10': 'the team label comes from the namespace',
    })).toEqual([
      expect.stringContaining('suppression of ACME-01 at shop/cm names a rule that none of the packs that run has (kubernetes, acme); did you mean ACME-001?'),
      expect.stringContaining('suppression of SS-K8S-10 at shop/cm names a rule that none of the packs that run has (kubernetes, acme); did you mean SS-K8S-010?'),
    ]);
  });
});
