import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fileURLToPath } from 'url';
import { ApiObject, App, Chart, YamlOutputType } from 'cdk8s';
import { Construct } from 'constructs';
import { inDirectory } from './fixtures/cwd';
import { find, goodManifests, NS, pod } from './fixtures/good';
import { Errors } from '../../lib/core';
import {
  DocumentIndex, IRule, KubernetesPack, Policy, PolicyDocument, PolicyEngine, PolicyReport, RuleResult, RuleStatus, Severity,
} from '../../lib/policy';
import { _runPolicy } from '../../lib/policy/run';

function outdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-policy-'));
}

/** An app with one chart holding the compliant output as raw ApiObjects (ids = kind-name). */
function goodApp(mutate?: (ms: any[]) => void) {
  const app = new App({ outdir: outdir() });
  const chart = new Chart(app, 'shop');
  const ms = goodManifests();
  mutate?.(ms);
  for (const m of ms) new ApiObject(chart, `${m.kind}-${m.metadata.name}`, m);
  return { app, chart };
}

const breakWebPrivileged = (ms: any[]) => { pod(find(ms, 'Deployment', 'web')).containers[0].securityContext.privileged = true; };
/** A privileged pod in a namespace that lets it run (a restricted one would refuse it, suppressed or not: SS-POLICY-009). */
const privilegedAgent = (ms: any[]) => {
  breakWebPrivileged(ms);
  find(ms, 'Namespace', NS).metadata.labels['pod-security.kubernetes.io/enforce'] = 'privileged';
};

let stderr: string;
beforeEach(() => {
  stderr = '';
  jest.spyOn(process.stderr, 'write').mockImplementation((s: any) => { stderr += String(s); return true; });
});
afterEach(() => jest.restoreAllMocks());

describe('Policy.suppress', () => {
  test('a reason shorter than 10 characters fails with a clear message', () => {
    const { chart } = goodApp();
    const web = chart.node.findChild('Deployment-web');
    let err: any;
    try { Policy.suppress(web, 'SS-K8S-001', 'because'); } catch (e) { err = e; }
    expect(Errors.isValidationError(err)).toBe(true);
    expect(err.message).toBe('shop/Deployment-web: reason ("because") must be at least 10 characters; say why the rule does not apply here, so a reviewer can judge it');
  });

  test('a blank reason is said to be blank, not too short', () => {
    const { chart } = goodApp();
    const web = chart.node.findChild('Deployment-web');
    expect(() => Policy.suppress(web, 'SS-K8S-001', '            ')).toThrow(
      'shop/Deployment-web: reason ("            ") is blank (only white space); say why the rule does not apply here, so a reviewer can judge it');
    expect(() => Policy.suppress(web, 'SS-K8S-001', '')).toThrow('shop/Deployment-web: reason ("") is empty; say why');
  });

  test('the same rule suppressed twice on one construct is refused at the second call, naming the first', () => {
    const { app, chart } = goodApp();
    const web = chart.node.findChild('Deployment-web');
    Policy.suppress(web, 'SS-K8S-035', 'the probes are one endpoint by design');
    let err: any;
    try { Policy.suppress(web, ' SS-K8S-035 ', 'a second reason, added later'); } catch (e) { err = e; }
    expect(Errors.isValidationError(err)).toBe(true);
    expect(err.message).toBe('shop/Deployment-web: ruleId ("SS-K8S-035") is already suppressed at shop/Deployment-web with reason "the probes are one endpoint by design"; '
      + 'keep one: remove this Policy.suppress call, or the earlier one (a second suppression of a rule on one construct silences nothing)');
    // another rule, another construct, or another pack is no duplicate
    Policy.suppress(web, 'SS-K8S-036', 'the probes are one endpoint by design');
    Policy.suppress(chart, 'SS-K8S-035', 'the whole chart shares one health endpoint');
    Policy.suppress(web, 'SS-K8S-035', 'a rule of that name in the acme pack', { pack: 'acme' });
    expect(Policy.suppressionsOf(app).map(x => `${x.path} ${x.ruleId}${x.pack ? ` ${x.pack}` : ''}`)).toEqual([
      'shop/Deployment-web SS-K8S-035', 'shop/Deployment-web SS-K8S-036', 'shop SS-K8S-035', 'shop/Deployment-web SS-K8S-035 acme',
    ]);
  });

  test('a reason over several lines is shown on one line in the summary (the reports keep it as written)', () => {
    const { app, chart } = goodApp(privilegedAgent);
    Policy.attach(app);
    Policy.suppress(chart.node.findChild('Deployment-web'), 'SS-K8S-001', `node debugger needs host access:
      it attaches to the kubelet's
      processes`);
    Policy.suppress(chart, 'SS-K8S-010', 'left over\n   from the old chart');
    app.synth();
    expect(stderr).toContain('\n    reason: node debugger needs host access: it attaches to the kubelet\'s processes\n');
    expect(stderr).toContain('WARNING SS-POLICY-001: suppression of SS-K8S-010 matches no finding (reason: left over from the old chart)\n');
    const json = JSON.parse(fs.readFileSync(path.join(app.outdir, '.shipshape', 'policy-report.json'), 'utf-8'));
    expect(json.findings.find((f: any) => f.suppressed).suppressed.reason).toContain('access:\n      it attaches');
  });

  test('an empty rule id fails', () => {
    const { chart } = goodApp();
    expect(() => Policy.suppress(chart, ' ', 'a good enough reason')).toThrow('shop: ruleId (" ") must name a rule, for example SS-K8S-012; pass the id shown in the policy report');
  });

  test('is recorded with the construct path', () => {
    const { app, chart } = goodApp();
    Policy.suppress(chart, 'SS-K8S-001', 'debug agent needs it');
    expect(Policy.suppressionsOf(app)).toEqual([{ ruleId: 'SS-K8S-001', reason: 'debug agent needs it', path: 'shop' }]);
  });
});

describe('Policy.attach on a plain cdk8s App', () => {
  test('a compliant app synthesizes, prints nothing and writes empty reports', () => {
    const { app } = goodApp();
    Policy.attach(app);
    app.synth();
    expect(fs.existsSync(path.join(app.outdir, 'shop.k8s.yaml'))).toBe(true);
    const json = JSON.parse(fs.readFileSync(path.join(app.outdir, '.shipshape', 'policy-report.json'), 'utf-8'));
    expect(json.summary).toEqual({ errors: 0, warnings: 0, suppressed: 0 });
    expect(json.findings).toEqual([]);
    expect(stderr).toBe('');
  });

  test('an error fails the synth before any manifest is written; its reports are the .failed ones', () => {
    const { app } = goodApp(breakWebPrivileged);
    Policy.attach(app);
    expect(() => app.synth()).toThrow(/SS-K8S-001 at spec\.template\.spec\.containers\[0\]\.securityContext\.privileged: Container runs privileged/);
    expect(fs.readdirSync(app.outdir).filter(f => f.endsWith('.yaml'))).toEqual([]);
    expect(fs.readdirSync(path.join(app.outdir, '.shipshape')).sort()).toEqual(['policy-report.failed.json', 'policy-report.failed.sarif']);
    const json = JSON.parse(fs.readFileSync(path.join(app.outdir, '.shipshape', 'policy-report.failed.json'), 'utf-8'));
    expect(json.findings[0]).toMatchObject({ ruleId: 'SS-K8S-001', path: 'shop/Deployment-web', kind: 'Deployment', name: 'web', severity: 'error' });
    // the error lists the finding and says where the reports went; stderr does not print it a second time
    expect(() => app.synth()).toThrow('shop/Deployment-web (Deployment web)');
    const rel = (f: string) => path.relative(process.cwd(), path.join(app.outdir, '.shipshape', f));
    expect(() => app.synth()).toThrow(`\nreports of this failed run: ${rel('policy-report.failed.json')}, ${rel('policy-report.failed.sarif')}`);
    expect(stderr).toBe('');
  });

  test('a failed synth prints its other findings on stderr, and its errors only in the error', () => {
    const { app } = goodApp(ms => { breakWebPrivileged(ms); delete find(ms, 'Ingress', 'web').spec.tls; });
    Policy.attach(app);
    let message = '';
    try { app.synth(); } catch (e: any) { message = e.message; }
    expect(message).toContain('ERROR SS-K8S-001');
    expect(message).not.toContain('SS-K8S-055');
    expect(stderr.startsWith('shipshape policy: 1 warning, 0 suppressed, besides the 1 error that fails the synth\n')).toBe(true);
    expect(stderr).toContain('WARNING SS-K8S-055');
    expect(stderr).not.toContain('SS-K8S-001');
  });

  test('after a failed synth the previous reports stay with the previous manifests; the next good synth removes the failed reports', () => {
    const dir = outdir();
    const appIn = (mutate?: (ms: any[]) => void) => {
      const app = new App({ outdir: dir });
      const chart = new Chart(app, 'shop');
      const ms = goodManifests();
      mutate?.(ms);
      for (const m of ms) new ApiObject(chart, `${m.kind}-${m.metadata.name}`, m);
      Policy.attach(app);
      return app;
    };
    const state = path.join(dir, '.shipshape');
    const read = (f: string) => fs.readFileSync(path.join(state, f), 'utf-8');
    appIn().synth();
    const manifests = fs.readFileSync(path.join(dir, 'shop.k8s.yaml'), 'utf-8');
    const goodJson = read('policy-report.json');
    const goodSarif = read('policy-report.sarif');

    expect(() => appIn(breakWebPrivileged).synth()).toThrow(/SS-K8S-001/);
    expect(fs.readFileSync(path.join(dir, 'shop.k8s.yaml'), 'utf-8')).toBe(manifests);
    expect(read('policy-report.json')).toBe(goodJson);
    expect(read('policy-report.sarif')).toBe(goodSarif);
    expect(JSON.parse(read('policy-report.failed.json')).summary.errors).toBe(1);
    expect(JSON.parse(read('policy-report.failed.sarif')).runs[0].results[0].ruleId).toBe('SS-K8S-001');

    appIn().synth();
    expect(fs.readdirSync(state).sort()).toEqual(['policy-report.json', 'policy-report.sarif']);
  });

  test('a synth that fails on another validation writes its policy reports as the .failed ones too (no manifest matches them)', () => {
    const { app, chart } = goodApp();
    chart.node.addValidation({ validate: () => ['another check says no'] });
    Policy.attach(app);
    expect(() => app.synth()).toThrow(/another check says no/);
    expect(fs.readdirSync(path.join(app.outdir, '.shipshape')).sort()).toEqual(['policy-report.failed.json', 'policy-report.failed.sarif']);
  });

  test('outside synth() (synthYaml) a check with an error writes the .failed reports, one without writes the reports', () => {
    const bad = goodApp(breakWebPrivileged).app;
    Policy.attach(bad);
    expect(() => bad.synthYaml()).toThrow(/SS-K8S-001/);
    expect(fs.readdirSync(path.join(bad.outdir, '.shipshape')).sort()).toEqual(['policy-report.failed.json', 'policy-report.failed.sarif']);
    const good = goodApp().app;
    Policy.attach(good);
    good.synthYaml();
    expect(fs.readdirSync(path.join(good.outdir, '.shipshape')).sort()).toEqual(['policy-report.json', 'policy-report.sarif']);
  });

  test('a suppression on the object lets the synth pass and shows in the summary and reports', () => {
    const { app, chart } = goodApp(privilegedAgent);
    Policy.attach(app);
    Policy.suppress(chart.node.findChild('Deployment-web'), 'SS-K8S-001', 'node debugger needs host access');
    app.synth();
    expect(stderr).toContain('SUPPRESSED SS-K8S-001');
    expect(stderr).toContain('reason: node debugger needs host access');
    const json = JSON.parse(fs.readFileSync(path.join(app.outdir, '.shipshape', 'policy-report.json'), 'utf-8'));
    // the warning: the namespace no longer enforces restricted Pod Security (what lets the privileged pod run)
    expect(json.summary).toEqual({ errors: 0, warnings: 1, suppressed: 1 });
    expect(json.findings.filter((f: any) => !f.suppressed).map((f: any) => f.ruleId)).toEqual(['SS-K8S-073']);
    expect(json.findings.find((f: any) => f.suppressed).suppressed).toEqual({ reason: 'node debugger needs host access', scope: 'shop/Deployment-web' });
    const sarif = JSON.parse(fs.readFileSync(path.join(app.outdir, '.shipshape', 'policy-report.sarif'), 'utf-8'));
    expect(sarif.runs[0].results.find((r: any) => r.ruleId === 'SS-K8S-001').suppressions).toEqual([{ kind: 'inSource', justification: 'node debugger needs host access' }]);
  });

  test('a suppression on a parent construct covers the objects under it, not siblings with the same prefix', () => {
    const app = new App({ outdir: outdir() });
    const chart = new Chart(app, 'shop');
    const ms = goodManifests();
    privilegedAgent(ms);
    const group = new Construct(chart, 'web');
    const sibling = new Construct(chart, 'web2');
    for (const m of ms) new ApiObject(m.metadata.name === 'web' ? group : sibling, `${m.kind}-${m.metadata.name}`, m);
    Policy.suppress(sibling, 'SS-K8S-001', 'does not cover shop/web objects');
    Policy.attach(app);
    expect(() => app.synth()).toThrow(/SS-K8S-001/);
    Policy.suppress(group, 'SS-K8S-001', 'covers every object under shop/web');
    app.synth();
  });

  test('a stale suppression is reported as a warning', () => {
    const { app, chart } = goodApp();
    Policy.suppress(chart, 'SS-K8S-010', 'left over from the old chart');
    Policy.attach(app);
    app.synth();
    expect(stderr).toContain('WARNING SS-POLICY-001: suppression of SS-K8S-010 matches no finding (reason: left over from the old chart)');
  });

  test('warnings print once per synth and do not fail it', () => {
    const { app } = goodApp(ms => { delete find(ms, 'Ingress', 'web').spec.tls; });
    Policy.attach(app);
    app.synth();
    expect(stderr.match(/SS-K8S-055/g)).toHaveLength(1);
    expect(stderr.startsWith('shipshape policy: 0 errors, 1 warning, 0 suppressed')).toBe(true);
  });

  test('reports are byte-identical across synths', () => {
    const a = goodApp(breakWebPrivileged);
    const b = goodApp(breakWebPrivileged);
    for (const x of [a, b]) {
      Policy.attach(x.app);
      expect(() => x.app.synth()).toThrow();
    }
    for (const f of ['policy-report.failed.json', 'policy-report.failed.sarif']) {
      expect(fs.readFileSync(path.join(a.app.outdir, '.shipshape', f))).toEqual(fs.readFileSync(path.join(b.app.outdir, '.shipshape', f)));
    }
  });

  /** The SARIF results of a synth run from inside the output folder (URIs are relative to the working directory). */
  function synthFromOutdir(app: App): any[] {
    inDirectory(app.outdir, () => app.synth());
    return JSON.parse(fs.readFileSync(path.join(app.outdir, '.shipshape', 'policy-report.sarif'), 'utf-8')).runs[0].results;
  }
  const uriOf = (r: any) => r.locations[0].physicalLocation?.artifactLocation.uri;
  const noTls = (ms: any[]) => { delete find(ms, 'Ingress', 'web').spec.tls; };

  test.each([
    ['FILE_PER_CHART', YamlOutputType.FILE_PER_CHART, 'shop.k8s.yaml'],
    ['FILE_PER_APP', YamlOutputType.FILE_PER_APP, 'app.k8s.yaml'],
    ['FILE_PER_RESOURCE', YamlOutputType.FILE_PER_RESOURCE, 'Ingress.web.k8s.yaml'],
    ['FOLDER_PER_CHART_FILE_PER_RESOURCE', YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE, 'shop/Ingress.web.k8s.yaml'],
  ])('the reports give each finding the file cdk8s wrote its object to (%s)', (_name, type, file) => {
    const app = new App({ outdir: outdir(), yamlOutputType: type });
    const chart = new Chart(app, 'shop');
    const ms = goodManifests();
    noTls(ms);
    for (const m of ms) new ApiObject(chart, `${m.kind}-${m.metadata.name}`, m);
    Policy.attach(app);
    const results = synthFromOutdir(app);
    expect(results.map((r: any) => `${r.ruleId} ${uriOf(r)}`)).toEqual([`SS-K8S-055 ${file}`]);
    const text = fs.readFileSync(path.join(app.outdir, file), 'utf-8');
    expect(text).toContain('kind: Ingress');
    expect(text).toContain('name: web');
  });

  test('with charts that depend on charts, the reports name the indexed files cdk8s writes', () => {
    const app = new App({ outdir: outdir() });
    const base = new Chart(app, 'base');
    new ApiObject(base, 'settings', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop' }, data: { level: 'info' } });
    const chart = new Chart(app, 'shop');
    chart.addDependency(base);
    const ms = goodManifests();
    noTls(ms);
    for (const m of ms) new ApiObject(chart, `${m.kind}-${m.metadata.name}`, m);
    // a stale suppression of the whole app takes the first file
    Policy.suppress(app, 'SS-K8S-002', 'nothing here escalates privileges at all');
    Policy.attach(app);
    const results = synthFromOutdir(app);
    // (findings in construct path order: base/... before shop/...)
    expect(results.map((r: any) => `${r.ruleId} ${uriOf(r)}`)).toEqual(['SS-POLICY-001 0000-base.k8s.yaml', 'SS-K8S-055 0001-shop.k8s.yaml']);
    expect(fs.readFileSync(path.join(app.outdir, '0001-shop.k8s.yaml'), 'utf-8')).toContain('kind: Ingress');
    expect(fs.existsSync(path.join(app.outdir, '0000-base.k8s.yaml'))).toBe(true);
  });

  test('a synth that fails writes no manifest, and its reports name no file', () => {
    const { app } = goodApp(breakWebPrivileged);
    Policy.attach(app);
    expect(() => synthFromOutdir(app)).toThrow(/SS-K8S-001/);
    const sarif = JSON.parse(fs.readFileSync(path.join(app.outdir, '.shipshape', 'policy-report.failed.sarif'), 'utf-8'));
    expect(sarif.runs[0].results.map(uriOf)).toEqual([undefined]);
    expect(sarif.runs[0].results[0].locations[0].logicalLocations[0].fullyQualifiedName).toBe('shop/Deployment-web');
  });

  test('a report that cannot be written fails the synth with the file system error, in synth() and synthYaml()', () => {
    const blocker = path.join(outdir(), 'not-a-folder');
    fs.writeFileSync(blocker, 'x');
    const { app } = goodApp(ms => { delete find(ms, 'Ingress', 'web').spec.tls; });
    Policy.attach(app, { reportDir: blocker });
    expect(() => app.synth()).toThrow(/EEXIST|ENOTDIR/);
    expect(() => app.synthYaml()).toThrow(/Validation failed[\s\S]*(EEXIST|ENOTDIR)/);
  });

  test('writeReports: false writes no report', () => {
    const { app } = goodApp();
    Policy.attach(app, { writeReports: false });
    app.synth();
    expect(fs.existsSync(path.join(app.outdir, '.shipshape', 'policy-report.json'))).toBe(false);
  });
});

describe('Policy.attach on one Chart', () => {
  test('checks only that chart and names its reports after it', () => {
    const app = new App({ outdir: outdir() });
    const checked = new Chart(app, 'checked');
    const other = new Chart(app, 'other');
    const ms = goodManifests();
    for (const m of ms) new ApiObject(checked, `${m.kind}-${m.metadata.name}`, m);
    new ApiObject(other, 'bad', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'x', namespace: 'shop' }, spec: { externalIPs: ['1.2.3.4'] } });
    Policy.attach(checked);
    app.synth();
    const json = JSON.parse(fs.readFileSync(path.join(app.outdir, '.shipshape', 'checked.policy-report.json'), 'utf-8'));
    expect(json.findings).toEqual([]);
    Policy.attach(other);
    expect(() => app.synth()).toThrow(/SS-K8S-052/);
    expect(fs.readdirSync(path.join(app.outdir, '.shipshape')).sort()).toEqual([
      'checked.policy-report.failed.json', 'checked.policy-report.failed.sarif', 'checked.policy-report.json', 'checked.policy-report.sarif',
      'other.policy-report.failed.json', 'other.policy-report.failed.sarif',
    ]);
  });

  test('a chart-level attach names the chart file in its reports', () => {
    const app = new App({ outdir: outdir() });
    new ApiObject(new Chart(app, 'first'), 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    const checked = new Chart(app, 'checked');
    const ms = goodManifests();
    delete find(ms, 'Ingress', 'web').spec.tls;
    for (const m of ms) new ApiObject(checked, `${m.kind}-${m.metadata.name}`, m);
    Policy.suppress(checked, 'SS-K8S-002', 'nothing here escalates privileges at all');
    Policy.attach(checked);
    app.synth();
    const sarif = JSON.parse(fs.readFileSync(path.join(app.outdir, '.shipshape', 'checked.policy-report.sarif'), 'utf-8'));
    // the output folder is outside the repository: an absolute file: URI, no uriBaseId (a relative ../ URI is refused
    // by code scanning)
    const locations = sarif.runs[0].results.map((r: any) => r.locations[0].physicalLocation.artifactLocation);
    expect(locations.map((l: any) => l.uriBaseId)).toEqual([undefined, undefined]);
    expect(sarif.runs[0].results.map((r: any) => [r.ruleId, fileURLToPath(r.locations[0].physicalLocation.artifactLocation.uri)])).toEqual([
      ['SS-POLICY-001', path.join(app.outdir, 'checked.k8s.yaml')],
      ['SS-K8S-055', path.join(app.outdir, 'checked.k8s.yaml')],
    ]);
  });

  test('refuses a scope that is neither an App nor a Chart', () => {
    const { chart } = goodApp();
    expect(() => Policy.attach(new Construct(chart, 'plain'))).toThrow('shop/plain: scope ("shop/plain") must be a cdk8s App or Chart; attach the policy to your App or to a Chart');
  });
});

describe('_runPolicy (the k8s.App hook)', () => {
  const objects = (ms: any[]) => ms.map(m => ({ manifest: m, path: `shop/${m.kind}-${m.metadata.name}`, chart: 'shop' }));

  test('throws the error summary and writes the reports into outdir', () => {
    const app = new App({ outdir: outdir() });
    const ms = goodManifests();
    breakWebPrivileged(ms);
    const dir = outdir();
    expect(() => _runPolicy(app, objects(ms), dir)).toThrow(/^shipshape policy: 1 error, 0 warnings, 0 suppressed\n\nshop\/Deployment-web \(Deployment web\)\n {2}ERROR SS-K8S-001/);
    expect(fs.existsSync(path.join(dir, 'policy-report.json'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'policy-report.sarif'))).toBe(true);
  });

  test('passes a compliant output silently', () => {
    const app = new App({ outdir: outdir() });
    _runPolicy(app, objects(goodManifests()));
    expect(stderr).toBe('');
  });

  test('uses the packs set with Policy.configure', () => {
    const app = new App({ outdir: outdir() });
    const ms = goodManifests();
    breakWebPrivileged(ms);
    Policy.configure(app, { packs: [new KubernetesPack({ exclude: ['SS-K8S-001'] })] });
    _runPolicy(app, objects(ms));
  });
});

describe('engine', () => {
  class NoTeamLabel implements IRule {
    public readonly id = 'ACME-001';
    public readonly severity = Severity.ERROR;
    public readonly message = 'Object has no team label';
    public readonly fix = 'add metadata.labels.team';
    public readonly kinds = ['Deployment'];
    public evaluate(doc: PolicyDocument, _index: DocumentIndex): RuleResult {
      return doc.manifest.metadata?.labels?.team ? RuleResult.compliant() : RuleResult.violation('metadata.labels.team');
    }
  }

  const docOf = (m: any, p: string): PolicyDocument => ({ kind: m.kind, name: m.metadata.name, namespace: m.metadata.namespace, manifest: m, path: p });

  test('users can write their own rules and packs', () => {
    const report = new PolicyEngine({ packs: [{ name: 'acme', rules: [new NoTeamLabel()] }] })
      .check(goodManifests().map((m, i) => docOf(m, `d${i}`)));
    expect(report.errors.map(f => `${f.ruleId} ${f.name} ${f.jsonPath}`)).toEqual(['ACME-001 web metadata.labels.team', 'ACME-001 api metadata.labels.team']);
    expect(report.toSarif().runs[0].tool.driver.rules).toEqual([expect.objectContaining({ id: 'ACME-001', properties: expect.objectContaining({ pack: 'acme' }) })]);
  });

  test('a rule that throws becomes an error finding, not a crash', () => {
    const boom: IRule = {
      id: 'BOOM',
      severity: Severity.WARNING,
      message: 'never',
      fix: 'never',
      evaluate: () => { throw new Error('cannot read x'); },
    };
    const report = new PolicyEngine({ packs: [{ name: 'b', rules: [boom] }] }).check([docOf(goodManifests()[0], 'ns')]);
    expect(report.errors.map(f => `${f.ruleId}: ${f.message}`)).toEqual(['SS-POLICY-002: rule BOOM could not check this document: cannot read x']);
  });

  test('a custom rule in SARIF: no catalog link (the catalog lists shipshape\'s rules only), tagged with its pack', () => {
    const report = new PolicyEngine({ packs: [new KubernetesPack(), { name: 'acme', rules: [new NoTeamLabel()] }] })
      .check(goodManifests().map((m, i) => docOf(m, `d${i}`)));
    const rules = report.toSarif().runs[0].tool.driver.rules;
    const acme = rules.find((r: any) => r.id === 'ACME-001');
    expect(acme.helpUri).toBeUndefined();
    expect(acme.properties.tags).toEqual(['shipshape', 'acme']);
  });

  test('a rule id that could not be suppressed is refused when the engine is made', () => {
    const bad: IRule = { id: 'ACME 001', severity: Severity.WARNING, message: 'm', fix: 'f', evaluate: () => RuleResult.compliant() };
    expect(() => new PolicyEngine({ packs: [{ name: 'acme', rules: [bad] }] })).toThrow(
      'policy: rule id "ACME 001" (pack acme) is not a rule id: a letter, then at most 62 letters, digits, \'-\', \'_\' and \'.\', ending with a letter or digit '
      + '(it names the suppression annotation suppress.shipshape.io/<id>)');
  });

  test.each([
    ['an SS- id on a rule of another pack', { id: 'SS-ACME-1' }, 'policy: rule SS-ACME-1 (pack acme) has an id starting with SS-, which shipshape\'s own rules use (their suppressions and reports would mix); give your rules a prefix of your own, for example ACME-001'],
    ['a severity that is neither error nor warning', { severity: 'ERROR' }, 'policy: rule ACME-001 (pack acme) has the severity "ERROR"; use Severity.ERROR ("error") or Severity.WARNING ("warning")'],
    ['an empty message', { message: ' ' }, 'policy: rule ACME-001 (pack acme) has no message; say what a finding means, in one sentence'],
    ['an empty fix', { fix: '' }, 'policy: rule ACME-001 (pack acme) has no fix; say how to comply, in one sentence'],
    ['an empty kinds list', { kinds: [] }, 'policy: rule ACME-001 (pack acme) has kinds [], so it never runs; list the kinds it checks, or leave kinds unset to check every kind'],
    ['a kind in lower case', { kinds: ['Service', 'deployment'] }, 'policy: rule ACME-001 (pack acme) lists the kind "deployment", which matches no document (kinds are compared as the manifests write them, case included); did you mean "Deployment"?'],
    ['a kind in the plural', { kinds: ['NetworkPolicies'] }, 'policy: rule ACME-001 (pack acme) lists the kind "NetworkPolicies", which matches no document (kinds are compared as the manifests write them, case included); did you mean "NetworkPolicy"?'],
    ['a kind with its apiVersion', { kinds: ['apps/v1/StatefulSet'] }, 'policy: rule ACME-001 (pack acme) lists the kind "apps/v1/StatefulSet", which matches no document (kinds are compared as the manifests write them, case included); did you mean "StatefulSet"?'],
    ['a kind that is no string', { kinds: [42] }, 'policy: rule ACME-001 (pack acme) lists the kind number 42, which no document has; list kinds as the manifests name them (\'Deployment\')'],
  ])('a rule with %s is refused when the engine is made', (_what, change, message) => {
    const rule: IRule = { id: 'ACME-001', severity: Severity.WARNING, message: 'Object has no team label', fix: 'add metadata.labels.team', evaluate: () => RuleResult.compliant(), ...change as any };
    expect(() => new PolicyEngine({ packs: [{ name: 'acme', rules: [rule] }] })).toThrow(message);
  });

  test('RuleResult.nonCompliant with an empty list is compliant, as documented (collect the violations, then return them)', () => {
    expect(RuleResult.nonCompliant([]).status).toBe(RuleStatus.COMPLIANT);
    const rule: IRule = { id: 'ACME-002', severity: Severity.ERROR, message: 'Something is wrong', fix: 'fix it', evaluate: () => RuleResult.nonCompliant([]) };
    const report = new PolicyEngine({ packs: [{ name: 'acme', rules: [rule] }] }).check([docOf({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'shop' } }, 'app/c')]);
    expect(report.findings).toEqual([]);
  });

  test('a pack listed twice is refused as such', () => {
    expect(() => new PolicyEngine({ packs: [new KubernetesPack(), new KubernetesPack()] }))
      .toThrow('policy: the packs list two packs named kubernetes; list each pack once, and give a pack of yours a name of its own');
    const acme = { name: 'acme', rules: [] };
    expect(() => new PolicyEngine({ packs: [acme, new KubernetesPack(), acme] }))
      .toThrow('policy: the packs list two packs named acme (the same pack twice); list each pack once, and give a pack of yours a name of its own');
  });

  test('kinds of custom resources and built-in kinds as the manifests write them are accepted', () => {
    const rule: IRule = { id: 'ACME-001', severity: Severity.WARNING, message: 'm', fix: 'f', kinds: ['Widget', 'Endpoints', 'Ingress', 'ClusterRole', 'Rollout'], evaluate: () => RuleResult.compliant() };
    expect(() => new PolicyEngine({ packs: [{ name: 'acme', rules: [rule] }] })).not.toThrow();
  });

  test('rule ids that differ only in case are refused', () => {
    const rule = (id: string) => ({ id, severity: Severity.ERROR, message: 'm', fix: 'f', evaluate: () => RuleResult.compliant() });
    expect(() => new PolicyEngine({ packs: [{ name: 'acme', rules: [rule('ACME-001'), rule('acme-001')] }] }))
      .toThrow('policy: rule ids ACME-001 and acme-001 (pack acme) differ only in case; suppressions and reports could not tell them apart: give the rules ids that differ in more than case');
  });

  test('duplicate rule ids are refused, naming both packs', () => {
    const rule = (id: string) => ({ id, severity: Severity.ERROR, message: 'm', fix: 'f', evaluate: () => RuleResult.compliant() });
    expect(() => new PolicyEngine({ packs: [{ name: 'acme', rules: [rule('ACME-001')] }, { name: 'billing', rules: [rule('ACME-001')] }] }))
      .toThrow('policy: rule id ACME-001 appears twice (in packs acme and billing); every rule needs a unique id');
    expect(() => new PolicyEngine({ packs: [{ name: 'acme', rules: [rule('ACME-001'), rule('ACME-001')] }] }))
      .toThrow('policy: rule id ACME-001 appears twice (twice in pack acme); every rule needs a unique id');
  });

  test('a rule of another pack with an SS- id is refused as one, whatever the order of the packs', () => {
    const own = { name: 'acme', rules: [{ id: 'SS-K8S-001', severity: Severity.ERROR, message: 'm', fix: 'f', evaluate: () => RuleResult.compliant() }] };
    for (const packs of [[own, new KubernetesPack()], [new KubernetesPack(), own]]) {
      expect(() => new PolicyEngine({ packs })).toThrow(/^policy: rule SS-K8S-001 \(pack acme\) has an id starting with SS-/);
    }
  });

  test('a rule whose evaluate returns an unknown status (a typo in plain JavaScript) is reported, not taken as compliant', () => {
    const pack = { name: 'acme', rules: [{ id: 'ACME-001', severity: Severity.ERROR, message: 'm', fix: 'f', kinds: ['Deployment'], evaluate: () => ({ status: 'noncompliant', violations: [{ jsonPath: 'a' }] }) as any }] };
    const docs = goodManifests().map((m, i): PolicyDocument => ({ kind: m.kind, name: m.metadata.name, namespace: m.metadata.namespace, manifest: m, path: `app/${i}` }));
    const report = new PolicyEngine({ packs: [pack] }).check(docs);
    expect(report.errors.map(f => f.message)).toContain('rule ACME-001 could not check this document: evaluate returned the status "noncompliant", not a RuleResult: '
      + 'return RuleResult.compliant(), RuleResult.notApplicable(), RuleResult.violation(jsonPath) or RuleResult.nonCompliant(violations)');
  });

  test('a rule whose evaluate returns no RuleResult is reported as SS-POLICY-002 saying what to return', () => {
    const pack = { name: 'acme', rules: [{ id: 'ACME-001', severity: Severity.ERROR, message: 'm', fix: 'f', kinds: ['Deployment'], evaluate: () => undefined as any }] };
    const report = new PolicyEngine({ packs: [pack] }).check(goodManifests().map((m, i) => docOf(m, `app/${i}`)));
    expect(report.errors.map(f => `${f.ruleId} ${f.message}`)).toContain('SS-POLICY-002 rule ACME-001 could not check this document: evaluate returned undefined, not a RuleResult: '
      + 'return RuleResult.compliant(), RuleResult.notApplicable(), RuleResult.violation(jsonPath) or RuleResult.nonCompliant(violations)');
  });

  describe('a rule whose result is malformed (plain JavaScript) is reported as SS-POLICY-002 saying what is wrong, never a crash or a wrong finding', () => {
    const reportOf = (evaluate: () => any) => new PolicyEngine({ packs: [{ name: 'acme', rules: [{ id: 'ACME-001', severity: Severity.ERROR, message: 'm', fix: 'f', kinds: ['Deployment'], evaluate }] }] })
      .check(goodManifests().map((m, i) => docOf(m, `app/${i}`)));
    const messages = (evaluate: () => any) => reportOf(evaluate).errors.map(f => `${f.ruleId} ${f.message}`);
    test.each([
      ['a null violation', () => ({ status: 'non-compliant', violations: [null] }), 'evaluate returned violations[0] null, not a violation: give each violation { jsonPath: \'spec.replicas\', message?: \'...\' }'],
      ['violations that are a string', () => ({ status: 'non-compliant', violations: 'spec' }),
        'evaluate returned non-compliant with violations string "spec", not an array: return RuleResult.nonCompliant([{ jsonPath, message }]) or RuleResult.violation(jsonPath)'],
      ['a violation without jsonPath', () => RuleResult.nonCompliant([{ message: 'x' } as any]),
        'evaluate returned violations[0] with jsonPath undefined, not a string: give the place as a dotted JSON path (\'spec.replicas\'; \'\' for the document itself)'],
      ['a message that is no string', () => RuleResult.nonCompliant([{ jsonPath: 'spec', message: { a: 1 } } as any]),
        'evaluate returned violations[0] with message an object, not a string: give a message as a string, or leave it unset for the rule\'s message'],
      ['a Promise (an async evaluate)', () => Promise.resolve(RuleResult.compliant()),
        'evaluate returned a Promise (evaluate must be synchronous: synth does not wait), not a RuleResult: return RuleResult.compliant()'],
    ])('%s', (_what, evaluate, expected) => {
      const found = messages(evaluate);
      expect(found.length).toBeGreaterThan(0);
      for (const m of found) expect(m).toContain(`SS-POLICY-002 rule ACME-001 could not check this document: ${expected}`);
    });
  });

  test('a rule without evaluate, and a pack that is none, are refused when the engine is made', () => {
    expect(() => new PolicyEngine({ packs: [{ name: 'acme', rules: [{ id: 'ACME-001', severity: Severity.ERROR, message: 'm', fix: 'f' } as any] }] }))
      .toThrow('policy: rule ACME-001 (pack acme) has no evaluate function (it has undefined); give it evaluate(document, index), returning RuleResult.compliant(), ');
    expect(() => new PolicyEngine({ packs: [new KubernetesPack(), null as any] }))
      .toThrow('policy: packs[1] is null, not a rule pack; list packs such as new KubernetesPack() or an object { name, rules } of your own (a wrong import gives undefined)');
    expect(() => new PolicyEngine({ packs: [{ name: 'acme', rules: 'x' as any }] }))
      .toThrow('policy: packs[0] (acme) has rules string "x", not an array of rules; give the pack rules: [...]');
  });

  test('the pack name suggested for a refused one is not one shipshape keeps for itself', () => {
    const rule = { id: 'ACME-001', severity: Severity.ERROR, message: 'm', fix: 'f', evaluate: () => RuleResult.compliant() };
    expect(() => new PolicyEngine({ packs: [{ name: 'Kubernetes', rules: [rule] }] })).toThrow(/name it as you would an npm package, for example "acme-kubernetes"$/);
    expect(() => new PolicyEngine({ packs: [{ name: 'Billing Rules', rules: [rule] }] })).toThrow(/for example "billing-rules"$/);
  });

  test('the most specific suppression wins', () => {
    const ms = goodManifests();
    breakWebPrivileged(ms);
    const report = new PolicyEngine({ packs: [new KubernetesPack()] }).check(ms.map((m, i) => docOf(m, `app/${i}`)), {
      suppressions: [
        { ruleId: 'SS-K8S-001', reason: 'whole app reason', path: '' },
        { ruleId: 'SS-K8S-001', reason: 'specific reason here', path: `app/${ms.indexOf(find(ms, 'Deployment', 'web'))}` },
      ],
    });
    expect(report.suppressed.map(f => f.suppression!.reason)).toEqual(['specific reason here']);
    expect(report.warnings.map(f => f.ruleId)).toEqual(['SS-POLICY-001']);
  });

  test('report file names are exposed', () => {
    expect(PolicyReport.JSON_FILE_NAME).toBe('policy-report.json');
    expect(PolicyReport.SARIF_FILE_NAME).toBe('policy-report.sarif');
  });
});

describe('summary', () => {
  const many = (n: number) => {
    const ms: any[] = [];
    for (let i = 0; i < n; i++) {
      ms.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: `s${i}`, namespace: 'shop' }, spec: { type: 'NodePort', ports: [{ port: 80 }] } });
    }
    const rule = new KubernetesPack().rules.find(r => r.id === 'SS-K8S-051')!;
    return new PolicyEngine({ packs: [{ name: 'k', rules: [rule] }] })
      .check(ms.map((m, i) => ({ kind: m.kind, name: m.metadata.name, namespace: 'shop', manifest: m, path: `app/s${i}` })));
  };

  test('lists every finding up to 50', () => {
    const s = many(50).summary();
    expect(s.match(/WARNING SS-K8S-051/g)).toHaveLength(50);
    expect(s).toContain('app/s49 (Service s49)');
  });

  test('condenses by rule above 50 findings, keeping counts, fix and first places', () => {
    const s = many(51).summary();
    expect(s).toBe([
      'shipshape policy: 0 errors, 51 warnings, 0 suppressed',
      '(51 findings, condensed by rule; every finding is in policy-report.json and policy-report.sarif)',
      '',
      '  WARNING SS-K8S-051 x51: Service is of type NodePort',
      '    fix: use a ClusterIP Service behind an Ingress or Gateway (or a LoadBalancer)',
      '    in: app/s0 at spec.type; app/s1 at spec.type; app/s2 at spec.type; and 48 more',
      '',
    ].join('\n'));
  });
});

describe('Policy.configure', () => {
  test('a scope that is not the App is refused: one configuration checks every object of the app', () => {
    const app = new App({ outdir: outdir() });
    const chart = new Chart(app, 'legacy');
    expect(() => Policy.configure(chart, { packs: [new KubernetesPack({ exclude: ['SS-K8S-007'] })] }))
      .toThrow(/legacy: scope \("legacy"\) is not the App: Policy.configure sets the packs of the whole app/);
    expect(() => Policy.configure(app, { packs: [new KubernetesPack()] })).not.toThrow();
  });

  test('a second call for the same app is refused: it would silently drop the first one\'s packs', () => {
    const app = new App({ outdir: outdir() });
    Policy.configure(app, { packs: [new KubernetesPack(), { name: 'acme', rules: [] }] });
    expect(() => Policy.configure(app, { packs: [new KubernetesPack({ exclude: ['SS-K8S-032'] })] }))
      .toThrow('<root>: options ("packs kubernetes, acme") are already configured: Policy.configure was called for this app before, and a second call would replace them; '
        + 'configure the app once, with every pack and option (a library that configures the app can take the app\'s extra packs as an argument)');
    expect(Policy._packsFor(app).map(p => p.name)).toEqual(['kubernetes', 'acme']);
  });
});

describe('a custom rule\'s rationale and documentation link', () => {
  test('reach the JSON report and SARIF (fullDescription, helpUri), as shipshape\'s own rules\' do', () => {
    const rule: IRule = {
      id: 'ACME-001',
      severity: Severity.ERROR,
      message: 'Deployment has no team label',
      fix: 'add metadata.labels.team',
      kinds: ['Deployment'],
      rationale: 'On-call finds the owning team by this label.',
      helpUri: 'https://wiki.acme.example/k8s/ACME-001',
      evaluate: d => (d.manifest.metadata?.labels?.team ? RuleResult.compliant() : RuleResult.violation('metadata.labels')),
    };
    const docs = goodManifests().map((m, i): PolicyDocument => ({ kind: m.kind, name: m.metadata.name, namespace: m.metadata.namespace, manifest: m, path: `app/${i}` }));
    const report = new PolicyEngine({ packs: [{ name: 'acme', rules: [rule] }] }).check(docs);
    expect(report.toJson().rules).toContainEqual({
      id: 'ACME-001',
      severity: 'error',
      message: 'Deployment has no team label',
      fix: 'add metadata.labels.team',
      pack: 'acme',
      rationale: 'On-call finds the owning team by this label.',
      helpUri: 'https://wiki.acme.example/k8s/ACME-001',
    });
    const sarif = report.toSarif().runs[0].tool.driver.rules.find((r: any) => r.id === 'ACME-001');
    expect(sarif.fullDescription).toEqual({ text: 'On-call finds the owning team by this label.' });
    expect(sarif.helpUri).toBe('https://wiki.acme.example/k8s/ACME-001');
  });
});

describe('Policy.configure refuses a bad pack at once', () => {
  const ID_SHAPE = 'a letter, then at most 62 letters, digits, \'-\', \'_\' and \'.\', ending with a letter or digit';
  const cases: Array<[string, Partial<IRule>, string]> = [
    ['an SS- id', { id: 'SS-ACME-1' }, 'policy: rule SS-ACME-1 (pack acme) has an id starting with SS-, which shipshape\'s own rules use (their suppressions and reports would mix); give your rules a prefix of your own, for example ACME-001'],
    ['an id that starts with a digit', { id: '1abc' }, `policy: rule id "1abc" (pack acme) is not a rule id: ${ID_SHAPE} (it names the suppression annotation suppress.shipshape.io/<id>)`],
    ['an empty kinds list', { kinds: [] }, 'policy: rule ACME-001 (pack acme) has kinds [], so it never runs; list the kinds it checks, or leave kinds unset to check every kind'],
    ['an empty message', { message: '' }, 'policy: rule ACME-001 (pack acme) has no message; say what a finding means, in one sentence'],
    ['an empty rationale', { rationale: ' ' }, 'policy: rule ACME-001 (pack acme) has an empty rationale; say why the rule matters, or leave rationale unset'],
    ['a helpUri that is no https URL', { helpUri: 'wiki/ACME-001' }, 'policy: rule ACME-001 (pack acme) has the helpUri "wiki/ACME-001", which is not an https:// URL (code-scanning services link it); give the full URL of the rule\'s documentation, or leave helpUri unset'],
  ];
  const packsWith = (change: Partial<IRule>) => {
    const rule: IRule = { id: 'ACME-001', severity: Severity.ERROR, message: 'Object has no team label', fix: 'add metadata.labels.team', kinds: ['Deployment'], evaluate: () => RuleResult.compliant(), ...change };
    return [new KubernetesPack(), { name: 'acme', rules: [rule] }];
  };

  test.each(cases)('a rule with %s: Policy.configure throws, and the app keeps its packs', (_what, change, message) => {
    const app = new App({ outdir: outdir() });
    expect(() => Policy.configure(app, { packs: packsWith(change) })).toThrow(new Error(message));
    expect(Policy._packsFor(app).map(p => p.name)).toEqual(['kubernetes']);
  });

  test.each(cases)('a rule with %s: Policy.attach throws too', (_what, change, message) => {
    const app = new App({ outdir: outdir() });
    expect(() => Policy.attach(app, { packs: packsWith(change) })).toThrow(new Error(message));
  });
});
