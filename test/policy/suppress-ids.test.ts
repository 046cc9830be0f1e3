import { Chart } from 'cdk8s';
import { App, WebService } from '../../lib/k8s';
import { IRulePack, KubernetesPack, Policy, PolicyEngine, RuleResult, Severity } from '../../lib/policy';
import { expectError } from '../util/k8s';

// Policy.suppress of a rule id: its shape is checked at once, its existence in the packs that run at synth.

function shop(): { app: App; api: WebService } {
  const app = new App({ outdir: '/nonexistent-shipshape-test' });
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  const api = new WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.4.2' });
  return { app, api };
}

/** A pack with one rule of a team's own: every Deployment needs a `team` label. */
const acme: IRulePack = {
  name: 'acme',
  rules: [{
    id: 'ACME-001',
    severity: Severity.ERROR,
    message: 'Deployment has no team label',
    fix: 'add metadata.labels.team',
    kinds: ['Deployment'],
    evaluate: doc => (doc.manifest.metadata?.labels?.team ? RuleResult.compliant() : RuleResult.violation('metadata.labels.team')),
  }],
};

describe('Policy.suppress: the rule id', () => {
  test('an id that is not shaped like one is refused at once', () => {
    const { api } = shop();
    expectError(() => Policy.suppress(api, 'SS K8S 012', 'the reason is long enough'),
      "shop/api: ruleId (\"SS K8S 012\") is not a rule id: a letter, then at most 62 letters, digits, '-', '_' and '.', ending with a letter or digit; pass the id shown in the policy report, for example SS-K8S-012");
    expectError(() => Policy.suppress(api, '012', 'the reason is long enough'), /^shop\/api: ruleId \("012"\) is not a rule id/);
    expectError(() => Policy.suppress(api, 'SS-K8S-012-', 'the reason is long enough'), /^shop\/api: ruleId \("SS-K8S-012-"\) is not a rule id/);
  });

  test('an id that no pack has fails the synth, naming the id, the closest known id and the construct path', () => {
    const { app, api } = shop();
    Policy.suppress(api, 'SS-K8S-12', 'the reason is long enough');
    expect(() => app.synthYaml()).toThrow(
      /ERROR SS-POLICY-004: suppression of SS-K8S-12 at shop\/api names a rule that none of the packs that run has \(kubernetes\); did you mean SS-K8S-012\?/);
  });

  test('a lower-case id is not silently accepted either', () => {
    const { app, api } = shop();
    Policy.suppress(api, 'ss-k8s-028', 'priority classes come with the platform later');
    expect(() => app.synthYaml()).toThrow(/suppression of ss-k8s-028 at shop\/api names a rule that none of the packs that run has \(kubernetes\); did you mean SS-K8S-028\?/);
  });

  test('an id of a pack that does not run gets no far-fetched suggestion, only the missing pack', () => {
    const { app, api } = shop();
    Policy.suppress(api, 'ACME-IMG-001', 'the image comes from the vendor registry');
    expect(() => app.synthYaml()).toThrow(
      /ERROR SS-POLICY-004: suppression of ACME-IMG-001 at shop\/api names a rule that none of the packs that run has \(kubernetes\)\s+fix: add the pack that defines ACME-IMG-001 to the policy packs, or write the id as the policy report shows it/);
  });

  test('a shipshape id that no rule has is not sent to look for a pack (SS- ids are shipshape\'s own)', () => {
    const { app, api } = shop();
    Policy.suppress(api, 'SS-K8S-410', 'the port is closed at the load balancer');
    expect(() => app.synthYaml()).toThrow(
      /suppression of SS-K8S-410 at shop\/api names a rule that none of the packs that run has \(kubernetes\)\s+fix: no rule of shipshape has the id SS-K8S-410: write the id as the policy report shows it, or remove the suppression/);
  });

  test('a known id that matches nothing stays a warning', () => {
    const { app, api } = shop();
    Policy.suppress(api, 'SS-K8S-011', 'no hostPath here, kept for the migration');
    expect(app.synthYaml()).toContain('kind: Deployment');
  });

  test('the rules of a custom pack stay suppressible', () => {
    const { app, api } = shop();
    Policy.configure(app, { packs: [new KubernetesPack(), acme] });
    expect(() => app.synthYaml()).toThrow(/ACME-001/);
    Policy.suppress(api, 'ACME-001', 'the team label comes from the namespace');
    expect(app.synthYaml()).toContain('kind: Deployment');
  });

  test('the engine reports an unknown id as SS-POLICY-004 with the closest known id', () => {
    const report = new PolicyEngine({ packs: [acme] }).check([], { suppressions: [{ ruleId: 'ACME-01', reason: 'the reason is long enough', path: 'shop/api' }] });
    expect(report.errors.map(f => `${f.ruleId} ${f.path}: ${f.message}; ${f.fix}`)).toEqual([
      'SS-POLICY-004 shop/api: suppression of ACME-01 at shop/api names a rule that none of the packs that run has (acme); did you mean ACME-001?; '
      + 'write the id as the policy report shows it (ACME-001?), or add the pack that defines ACME-01 to the policy packs',
    ]);
  });

  test('an engine finding other than SS-POLICY-009 cannot be suppressed: each means something was not checked', () => {
    expectError(() => Policy.suppress(shop().api, 'SS-POLICY-002', 'the acme rule is known to be broken'),
      'shop/api: ruleId ("SS-POLICY-002") is a finding of the policy engine, which cannot be suppressed: it reports a rule that could not check a document, '
      + 'which would otherwise pass unchecked; fix the document, or the rule (a rule of your own pack), or leave the rule out of its pack');
    expectError(() => Policy.suppress(shop().api, 'ss-policy-008', 'the value comes later'),
      'shop/api: ruleId ("ss-policy-008") is a finding of the policy engine, which cannot be suppressed: it reports a placeholder the cluster would get instead of the value; pass a literal');
    for (const id of ['SS-POLICY-001', 'SS-POLICY-003', 'SS-POLICY-004', 'SS-POLICY-005', 'SS-POLICY-006', 'SS-POLICY-007']) {
      expectError(() => Policy.suppress(shop().api, id, 'a reason long enough'), `shop/api: ruleId ("${id}") is a finding of the policy engine, which cannot be suppressed`);
    }
    // the Pod Security refusal may be, where the cluster exempts the pods
    expect(() => Policy.suppress(shop().api, 'SS-POLICY-009', 'the cluster exempts this namespace from Pod Security')).not.toThrow();
  });

  test('so is an annotation naming one: an SS-POLICY-003 error at the annotation', () => {
    const { app, api } = shop();
    api.serviceAccount.metadata.addAnnotation('suppress.shipshape.io/SS-POLICY-002', 'the acme rule is known to be broken');
    expect(() => app.synthYaml()).toThrow('ERROR SS-POLICY-003 at metadata.annotations["suppress.shipshape.io/SS-POLICY-002"]: annotation suppress.shipshape.io/SS-POLICY-002 '
      + 'names a finding of the policy engine, which cannot be suppressed: it reports a rule that could not check a document, which would otherwise pass unchecked');
  });

  test('PolicyEngine.check refuses a suppression of an engine finding, as Policy.suppress does', () => {
    expect(() => new PolicyEngine({ packs: [acme] }).check([], { suppressions: [{ ruleId: 'SS-POLICY-001', reason: 'the reason is long enough', path: '' }] }))
      .toThrow('policy: suppressions[0] names SS-POLICY-001, a finding of the policy engine, which cannot be suppressed: it reports a suppression that silences nothing: remove that suppression instead');
    expect(() => new PolicyEngine({ packs: [acme] }).check([], { suppressions: [{ ruleId: 'ss-policy-002', reason: 'the rule is known to crash here', path: 'x' }] }))
      .toThrow('policy: suppressions[0] names ss-policy-002, a finding of the policy engine, which cannot be suppressed: it reports a rule that could not check a document');
    // the Pod Security refusal may be, where the cluster exempts the pods
    expect(() => new PolicyEngine({ packs: [acme] }).check([], { suppressions: [{ ruleId: 'SS-POLICY-009', reason: 'the cluster exempts this namespace', path: 'x' }] })).not.toThrow();
  });

  test.each([
    ['an empty reason', { ruleId: 'ACME-001', reason: '', path: 'x' }, 'policy: suppressions[0] (ACME-001) has the reason string ""; a reason must be at least 10 characters: say why the rule does not apply there, so a reviewer can judge it'],
    ['a blank reason', { ruleId: 'ACME-001', reason: '          ', path: 'x' }, 'policy: suppressions[0] (ACME-001) has the reason string "          "; a reason must be at least 10 characters'],
    ['no rule id', { reason: 'the reason is long enough', path: 'x' }, 'policy: suppressions[0] has the ruleId undefined, which is not a rule id'],
    ['no path', { ruleId: 'ACME-001', reason: 'the reason is long enough' }, 'policy: suppressions[0] (ACME-001) has the path undefined, not a string; give the path of the documents it covers (\'\' for all of them)'],
  ])('PolicyEngine.check refuses a suppression with %s, as Policy.suppress does', (_what, s, message) => {
    expect(() => new PolicyEngine({ packs: [acme] }).check([], { suppressions: [s as any] })).toThrow(message);
  });
});

describe('Policy.suppress with the pack that defines the rule', () => {
  // a construct library that ships the acme pack suppresses one of its rules in its own construct
  function withLibrarySuppression(): { app: App; api: WebService } {
    const s = shop();
    Policy.suppress(s.api, 'ACME-001', 'the team label comes from the namespace', { pack: 'acme' });
    return s;
  }

  test('when the pack does not run, the suppression is left alone: the synth passes, with no finding about it', () => {
    const { app } = withLibrarySuppression();
    const yaml = app.synthYaml();
    expect(yaml).toContain('kind: Deployment');
    // nothing to carry: no object gets the annotation of a rule that did not run
    expect(yaml).not.toContain('suppress.shipshape.io/ACME-001');
    const report = new PolicyEngine({ packs: [new KubernetesPack()] }).check([], { suppressions: Policy.suppressionsOf(app) });
    expect(report.findings.filter(f => f.ruleId.startsWith('SS-POLICY-'))).toEqual([]);
  });

  test('when the pack runs, it silences the rule as any suppression does', () => {
    const { app } = withLibrarySuppression();
    Policy.configure(app, { packs: [new KubernetesPack(), acme] });
    const yaml = app.synthYaml();
    expect(yaml).toContain('suppress.shipshape.io/ACME-001: the team label comes from the namespace');
  });

  test('when the pack runs and the suppression silences nothing, it is stale as any other', () => {
    const report = new PolicyEngine({ packs: [acme] }).check([], {
      suppressions: [{ ruleId: 'ACME-001', reason: 'the reason is long enough', path: 'shop/api', pack: 'acme' }],
    });
    expect(report.warnings.map(f => `${f.ruleId}: ${f.message}`)).toEqual(['SS-POLICY-001: suppression of ACME-001 matches no finding (reason: the reason is long enough)']);
  });

  test('when the pack runs but has no such rule, the id is still a typo', () => {
    const report = new PolicyEngine({ packs: [acme] }).check([], {
      suppressions: [{ ruleId: 'ACME-01', reason: 'the reason is long enough', path: 'shop/api', pack: 'acme' }],
    });
    expect(report.errors.map(f => f.message)).toEqual([
      'suppression of ACME-01 at shop/api names the pack acme, which has no rule ACME-01, so it silences nothing; did you mean ACME-001?',
    ]);
  });

  test('without the pack, a rule of a pack that does not run still fails the synth', () => {
    const { app, api } = shop();
    Policy.suppress(api, 'ACME-001', 'the team label comes from the namespace');
    expect(() => app.synthYaml()).toThrow(/SS-POLICY-004: suppression of ACME-001 at shop\/api names a rule that none of the packs that run has \(kubernetes\)/);
  });

  test('a blank pack name is refused at once', () => {
    const { api } = shop();
    expectError(() => Policy.suppress(api, 'ACME-001', 'the team label comes from the namespace', { pack: ' ' }),
      'shop/api: options.pack (" ") must name a rule pack (its IRulePack.name), for example acme; pass the name of the pack that defines the rule, or leave pack unset');
  });
});
