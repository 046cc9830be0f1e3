import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { k8s, policy, testing } from '../../lib';
import { cluster as clusterProfile, errorOf, pool, quietly } from '../k8s/platform/fixtures';
import { expectError, stderrOf } from '../util/k8s';

const { Match, Template } = testing;

/** A chart with a WebService (no finding) and, when asked, a privileged Pod (many findings). */
function shop(withBadPod = false): Chart {
  const chart = new Chart(new App(), 'shop', { namespace: 'shop' });
  new k8s.WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.0.0', partOf: 'shop' });
  if (withBadPod) {
    new ApiObject(chart, 'bad', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'bad' },
      spec: { containers: [{ name: 'c', image: 'nginx:1.27', securityContext: { privileged: true } }] },
    });
  }
  return chart;
}

describe('Template.fromChart: objects', () => {
  const template = Template.fromChart(shop());

  test('lists the objects cdk8s writes, in output order', () => {
    expect(template.manifests.map(m => `${m.kind}/${m.metadata.name}`)).toEqual([
      'ServiceAccount/api', 'NetworkPolicy/api', 'Deployment/api', 'Service/api', 'PodDisruptionBudget/api', 'HorizontalPodAutoscaler/api',
    ]);
  });

  test('resourceCountIs passes on the right count and names every object when it fails', () => {
    template.resourceCountIs('Deployment', 1);
    template.resourceCountIs('StatefulSet', 0);
    expectError(() => template.resourceCountIs('Service', 2),
      'Template: resourceCountIs ("Service") expected 2 Service object(s), found 1; the objects are: ServiceAccount shop/api (shop/api/ServiceAccount), ' +
      'NetworkPolicy shop/api (shop/api/NetworkPolicy), Deployment shop/api (shop/api/Deployment), Service shop/api (shop/api/Service), ' +
      'PodDisruptionBudget shop/api (shop/api/PodDisruptionBudget), HorizontalPodAutoscaler shop/api (shop/api/HorizontalPodAutoscaler)');
  });

  test('hasResourceProperties matches part of the manifest, at any depth', () => {
    template.hasResourceProperties('Deployment', {
      metadata: { name: 'api', namespace: 'shop' },
      spec: {
        strategy: { rollingUpdate: { maxUnavailable: 0 } },
        template: { spec: { containers: Match.arrayWith([{ name: 'app', image: 'ghcr.io/acme/api:1.0.0' }]), hostNetwork: Match.absent() } },
      },
    });
  });

  test('hasResourceProperties names the closest object and where it differs', () => {
    expectError(() => template.hasResourceProperties('Deployment', { spec: { strategy: { rollingUpdate: { maxUnavailable: 1 } }, paused: true } }),
      'Template: hasResourceProperties ("Deployment") expected a Deployment object matching the pattern; none of the 1 does; the closest is ' +
      'Deployment shop/api (shop/api/Deployment): spec.strategy.rollingUpdate.maxUnavailable: expected 1, got 0; spec.paused: missing');
    expectError(() => template.hasResourceProperties('CronJob', {}), /expected a CronJob object, found none; the objects are: ServiceAccount shop\/api/);
  });

  test('findResources returns the matching objects; resourcePropertiesCountIs counts them', () => {
    expect(template.findResources('Service').map(m => m.spec.ports[0].port)).toEqual([80]);
    expect(template.findResources('Service', { spec: { type: 'LoadBalancer' } })).toEqual([]);
    template.resourcePropertiesCountIs('NetworkPolicy', { spec: { policyTypes: Match.arrayWith(['Ingress']) } }, 1);
    expectError(() => template.resourcePropertiesCountIs('Deployment', { spec: { replicas: 5 } }, 1),
      /expected 1 Deployment object\(s\) matching the pattern, found 0/);
  });

  test('allResourcesProperties: every object of the kind matches', () => {
    const t = Template.fromChart((() => {
      const chart = shop();
      new k8s.WebService(chart, 'web', { image: 'ghcr.io/acme/web:2.0.0', partOf: 'shop' });
      return chart;
    })());
    t.allResourcesProperties('Deployment', { spec: { template: { spec: { automountServiceAccountToken: false } } } });
    expectError(() => t.allResourcesProperties('Deployment', { metadata: { name: 'api' } }),
      'Template: allResourcesProperties ("Deployment") expected every Deployment object to match the pattern; ' +
      'Deployment shop/web (shop/web/Deployment) does not: metadata.name: expected "api", got "web"');
  });
});

describe('Template: policy findings', () => {
  test('a chart of shipshape constructs has no finding', () => {
    const template = Template.fromChart(shop());
    template.hasNoFindings();
    expect(template.findings).toEqual([]);
    expect(template.report?.rules.length).toBeGreaterThan(50);
  });

  test('findings never throw; hasFinding selects by rule, kind, name and severity', () => {
    const template = Template.fromChart(shop(true));
    template.hasFinding('SS-K8S-001', { kind: 'Pod', name: 'bad', namespace: 'shop', severity: policy.Severity.ERROR });
    template.hasFinding('SS-K8S-001', { path: 'shop/bad' });
    expect(template.findFindings({ ruleId: 'SS-K8S-001' }).map(f => f.message)).toEqual(['Container runs privileged']);
    expect(template.findFindings({ name: 'api' })).toEqual([]);
    template.hasNoFindings({ path: 'shop/api' });
  });

  test('hasFinding says what was found when the finding is not there', () => {
    const template = Template.fromChart(shop(true));
    expectError(() => template.hasFinding('SS-K8S-001', { name: 'api' }),
      /^Template: hasFinding \("name=api ruleId=SS-K8S-001"\) expected a finding, found none; the findings are: SS-K8S-001 \(error\) Pod shop\/bad at shop\/bad: Container runs privileged; /);
    expectError(() => Template.fromChart(shop()).hasFinding('SS-K8S-001'),
      'Template: hasFinding ("ruleId=SS-K8S-001") expected a finding, found none; the policy found nothing');
  });

  test('hasNoFindings lists the findings and how to get rid of them', () => {
    const template = Template.fromChart(shop(true));
    expectError(() => template.hasNoFindings({ ruleId: 'SS-K8S-001' }),
      'Template: hasNoFindings ("ruleId=SS-K8S-001") expected no finding, found 1; fix or suppress (Policy.suppress) each: ' +
      'SS-K8S-001 (error) Pod shop/bad at shop/bad: Container runs privileged');
    expectError(() => template.hasNoFindings(), /expected no finding, found \d+; fix or suppress/);
  });

  test('a suppressed finding is left out unless includeSuppressed', () => {
    const chart = shop(true);
    policy.Policy.suppress(chart.node.findChild('bad'), 'SS-K8S-001', 'the node debugger needs the host, reviewed in SEC-42');
    const template = Template.fromChart(chart);
    template.hasNoFindings({ ruleId: 'SS-K8S-001' });
    const [suppressed] = template.findFindings({ ruleId: 'SS-K8S-001', includeSuppressed: true });
    expect(suppressed.suppression?.reason).toBe('the node debugger needs the host, reviewed in SEC-42');
    // hasFinding on a suppressed finding says why it found none
    expectError(() => template.hasFinding('SS-K8S-001'),
      'Template: hasFinding ("ruleId=SS-K8S-001") expected a finding, found none; the matching findings are suppressed: pass includeSuppressed: true to assert them');
    template.hasFinding('SS-K8S-001', { includeSuppressed: true });
  });

  test('a failed match reads from the value it names (no leading dot)', () => {
    expect(Match.objectLike({ a: 1 }).test({ a: 2 }).failures).toEqual(['a: expected 1, got 2']);
    expect(Match.objectLike({ spec: { replicas: 3 } }).test({ spec: { replicas: 2 } }).failures).toEqual(['spec.replicas: expected 3, got 2']);
  });

  test('policy: false skips the check; findings assertions then say the template has none', () => {
    const template = Template.fromChart(shop(true), { policy: false });
    expect(template.report).toBeUndefined();
    expect(template.findings).toEqual([]);
    expectError(() => template.hasNoFindings(),
      'Template: hasNoFindings ("policy: false") needs the policy findings; make the template with the policy on (the default)');
  });
});

describe('Template.fromApp', () => {
  test('every chart of a shipshape k8s.App, in dependency order, checked together', () => {
    const app = new k8s.App();
    const backend = new Chart(app, 'backend', { namespace: 'shop' });
    const frontend = new Chart(app, 'frontend', { namespace: 'shop' });
    frontend.addDependency(backend);
    new k8s.WebService(frontend, 'web', { image: 'ghcr.io/acme/web:2.0.0', partOf: 'shop' });
    new k8s.WebService(backend, 'api', { image: 'ghcr.io/acme/api:1.0.0', partOf: 'shop' });
    const template = Template.fromApp(app);
    expect(template.findResources('Deployment').map(m => m.metadata.name)).toEqual(['api', 'web']);
    template.resourceCountIs('Service', 2);
    template.hasNoFindings();
  });

  test('the packs configured on the app are the ones that run', () => {
    const app = new App();
    policy.Policy.configure(app, { packs: [] });
    const chart = new Chart(app, 'c');
    new ApiObject(chart, 'p', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x:1' }] } });
    const template = Template.fromApp(app);
    expect(template.report?.rules).toEqual([]);
    template.hasNoFindings();
  });

  test('the packs given to Policy.attach on the chart (or its app) run, and the attached check writes and prints nothing', () => {
    const acme: policy.IRulePack = {
      name: 'acme',
      rules: [{
        id: 'ACME-001',
        severity: policy.Severity.WARNING,
        message: 'Object has no team label',
        fix: 'label it with team',
        rationale: 'Every object names its owning team.',
        evaluate: doc => (doc.manifest.metadata?.labels?.team === undefined ? policy.RuleResult.violation('metadata.labels') : policy.RuleResult.compliant()),
      }],
    };
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-template-'));
    for (const on of ['chart', 'app'] as const) {
      const app = new App({ outdir });
      const chart = new Chart(app, 'c', { namespace: 'shop' });
      policy.Policy.attach(on === 'chart' ? chart : app, { packs: [new policy.KubernetesPack(), acme] });
      new k8s.WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.0.0' });
      let template: testing.Template | undefined;
      const stderr = stderrOf(() => { template = Template.fromChart(chart); });
      expect([on, template!.report!.rules.map(r => r.pack).filter((p, i, a) => a.indexOf(p) === i)]).toEqual([on, ['kubernetes', 'acme']]);
      template!.hasFinding('ACME-001', { kind: 'Deployment', name: 'api' });
      expect(stderr).toBe('');
    }
    expect(fs.existsSync(path.join(outdir, '.shipshape'))).toBe(false);
  });
});

describe('Template: a matcher as the whole pattern', () => {
  test('is used as it is (objectEquals at the root compares the whole object)', () => {
    const chart = new Chart(new App(), 'shop', { namespace: 'shop' });
    new ApiObject(chart, 'sa', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'api', namespace: 'shop' }, automountServiceAccountToken: false });
    const template = Template.fromChart(chart, { policy: false });
    template.hasResourceProperties('ServiceAccount', Match.objectEquals({
      apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'api', namespace: 'shop' }, automountServiceAccountToken: false,
    }));
    expectError(() => template.hasResourceProperties('ServiceAccount', Match.objectEquals({ apiVersion: 'v1', kind: 'ServiceAccount' })),
      /the closest is ServiceAccount shop\/api \(shop\/sa\): metadata: unexpected key/);
  });
});


const CLASH = 'team-b/api/Deployment: metadata.name ("api") must be unique per kind and namespace, but team-a/api/Deployment also writes Deployment shop/api';

/** Two charts that both write the objects of a WebService `api` in namespace shop. */
function clashing(app: App): { a: Chart; b: Chart } {
  const a = new Chart(app, 'team-a', { namespace: 'shop' });
  const b = new Chart(app, 'team-b', { namespace: 'shop' });
  new k8s.WebService(a, 'api', { image: 'ghcr.io/acme/api:1.0.0' });
  new k8s.WebService(b, 'api', { image: 'ghcr.io/acme/api:1.0.0' });
  return { a, b };
}

describe('Template: the whole-output checks of synth', () => {
  test('fromApp throws the error synth throws for two objects of one name', () => {
    const app = new k8s.App();
    clashing(app);
    const message = errorOf(() => Template.fromApp(app));
    expect(message).toMatch(/^the app's output is inconsistent as a whole \(\d+ problems\); nothing was written:\n {2}/);
    expect(message).toContain(CLASH);
    expect(message).toBe(errorOf(() => quietly(() => app.synthYaml())));
    expectError(() => Template.fromApp(app), /must be unique per kind and namespace/);
  });

  test('construct validations run as on synth: a failing one throws the error synth throws', () => {
    const app = new k8s.App();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    new k8s.WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.0.0' }).node.addValidation({ validate: () => ['the api needs a database'] });
    const message = errorOf(() => Template.fromChart(chart));
    expect(message).toBe('Validation failed with the following errors:\n  [shop/api] the api needs a database');
    expect(message).toBe(errorOf(() => quietly(() => app.synthYaml())));
  });

  test('objects come in the order synth writes them: a dependency between constructs puts the objects depended on first', () => {
    const app = new App();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    const group = (id: string) => {
      const c = new Construct(chart, id);
      new ApiObject(c, 'config', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: id } });
      return c;
    };
    const first = group('first');
    first.node.addDependency(group('second'));
    expect(Template.fromChart(chart).manifests.map(m => m.metadata.name)).toEqual(['second', 'first']);
    expect(Template.fromChart(chart).manifests.map(m => m.metadata.name)).toEqual(app.synthYaml().split('---').filter(d => d.trim()).map(d => /name: (\S+)/.exec(d)![1]));
  });

  test('a plain cdk8s App gets the checks that need no cluster', () => {
    const app = new App();
    clashing(app);
    expect(errorOf(() => Template.fromApp(app))).toContain(CLASH);
  });

  test('fromChart checks the whole app: a clash with another chart throws', () => {
    const { a } = clashing(new App());
    expect(errorOf(() => Template.fromChart(a))).toContain(CLASH);
  });

  test('an unresolved cdktf token in a manifest throws, naming the field', () => {
    const chart = new Chart(new App(), 'shop', { namespace: 'shop' });
    const arn = Token.asString({ resolve: () => 'arn:aws:iam::123456789012:role/x' });
    new k8s.WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.0.0', serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': arn } });
    expectError(() => Template.fromChart(chart),
      /shop\/api\/ServiceAccount: metadata\.annotations\["eks\.amazonaws\.com\/role-arn"\] \("\$\{TfToken\[TOKEN\.\d+\]\}"\) of ServiceAccount shop\/api is an unresolved Terraform \(cdktf\) token; /);
  });

  describe('a k8s.App with a cluster', () => {
    // the shared production profile, without an ingress class and with a pool whose labels are its own
    const cluster = clusterProfile({ ingressClasses: [], nodePools: [pool('general', { labels: {} })] });

    test('the ClusterResources chart synth adds is there, and satisfies the namespace of fromChart\'s chart', () => {
      const app = new k8s.App({ cluster });
      const chart = new Chart(app, 'shop', { namespace: 'shop' });
      new k8s.WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.0.0' });
      Template.fromChart(chart).resourceCountIs('Namespace', 0);
      Template.fromApp(app).hasResourceProperties('Namespace', { metadata: { name: 'shop' } });
    });

    test('a claim naming a class the cluster lacks throws the error synth throws', () => {
      const app = new k8s.App({ cluster });
      const chart = new Chart(app, 'shop', { namespace: 'shop' });
      new k8s.StatefulService(chart, 'db', { image: 'ghcr.io/acme/db:1.0.0', port: 5432, readiness: k8s.Probe.exec(['pg_isready']), liveness: k8s.Probe.tcp(), volumes: [{ name: 'data', size: '20Gi', mountPath: '/var/lib/db', storageClassName: 'io2' }] });
      const message = errorOf(() => Template.fromChart(chart));
      expect(message).toContain('shop/db/StatefulSet: spec.volumeClaimTemplates[0].spec.storageClassName ("io2") of StatefulSet shop/db is not a StorageClass of cluster shop-prod (gp3) nor of the output');
      expect(message).toBe(errorOf(() => quietly(() => app.synthYaml())));
    });
  });
});

describe('Template: suppressions made in code', () => {
  test('are written onto the objects as synth writes them', () => {
    // the app's policy is off so that synth gets past the Pod's other findings and writes the object
    const app = new k8s.App({ policy: false });
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    const bad = new ApiObject(chart, 'bad', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'bad' },
      spec: { containers: [{ name: 'c', image: 'nginx:1.27', securityContext: { privileged: true } }] },
    });
    policy.Policy.suppress(bad, 'SS-K8S-001', 'the node debugger needs the host, reviewed in SEC-42');
    const template = Template.fromChart(chart);
    template.hasResourceProperties('Pod', { metadata: { annotations: { 'suppress.shipshape.io/SS-K8S-001': 'the node debugger needs the host, reviewed in SEC-42' } } });
    expect(quietly(() => app.synthYaml())).toContain('suppress.shipshape.io/SS-K8S-001: the node debugger needs the host, reviewed in SEC-42');
  });

  test('are written with the policy off too, as synth with policy: false writes them', () => {
    const chart = shop(true);
    policy.Policy.suppress(chart.node.findChild('bad'), 'SS-K8S-001', 'the node debugger needs the host, reviewed in SEC-42');
    Template.fromChart(chart, { policy: false })
      .hasResourceProperties('Pod', { metadata: { annotations: { 'suppress.shipshape.io/SS-K8S-001': Match.anyValue() } } });
  });

  test('fromChart neither applies nor reports as stale a suppression of another chart', () => {
    const app = new App();
    const a = new Chart(app, 'a', { namespace: 'shop' });
    new k8s.WebService(a, 'api', { image: 'ghcr.io/acme/api:1.0.0' });
    const b = new Chart(app, 'b', { namespace: 'shop' });
    policy.Policy.suppress(new k8s.WebService(b, 'web', { image: 'ghcr.io/acme/web:1.0.0' }), 'SS-K8S-001', 'web is reviewed separately in SEC-43');
    Template.fromChart(a).hasNoFindings({ includeSuppressed: true });
    Template.fromChart(b).hasFinding('SS-POLICY-001', { path: 'b/web' });
    // a finding about a suppression names it as such, not as an object without a name
    expectError(() => Template.fromChart(b).hasNoFindings(), /SS-POLICY-001 \(warning\) a suppression at b\/web: suppression of SS-K8S-001 matches no finding/);
  });
});

describe('Template: a rule id no pack that ran has', () => {
  const template = Template.fromChart(shop(true));

  test('hasFinding names the closest known id', () => {
    // as synth's SS-POLICY-004: a suggestion only for a slip of a known id, and SS-K8S-9999 is three characters off any
    expectError(() => template.hasFinding('SS-K8S-9999'),
      'Template: hasFinding.ruleId ("SS-K8S-9999") is not a rule of the packs that ran (kubernetes); '
      + 'write the id as the policy report shows it, or configure the pack that defines it (Policy.configure)');
    expectError(() => template.hasFinding('SS-K8S-01'),
      'Template: hasFinding.ruleId ("SS-K8S-01") is not a rule of the packs that ran (kubernetes); did you mean SS-K8S-001? '
      + 'Write the id as the policy report shows it, or configure the pack that defines it (Policy.configure)');
  });

  test('hasNoFindings and findFindings refuse it instead of passing', () => {
    expectError(() => template.hasNoFindings({ ruleId: 'SS-K8S-01' }), /^Template: hasNoFindings.ruleId \("SS-K8S-01"\) is not a rule of the packs that ran/);
    expectError(() => template.findFindings({ ruleId: 'SS-K8S-01' }), /^Template: findFindings.ruleId \("SS-K8S-01"\) is not a rule of the packs that ran/);
    template.hasNoFindings({ ruleId: 'SS-POLICY-001' });
  });
});

describe('Template: results and messages', () => {
  test('findResources returns copies: changing one leaves the template as it was', () => {
    const template = Template.fromChart(shop());
    template.findResources('Deployment')[0].spec.replicas = 42;
    template.findResources('Deployment')[0].metadata.labels.extra = 'x';
    expect(template.findResources('Deployment', { spec: { replicas: 42 } })).toEqual([]);
    expect(template.manifests.find(m => m.kind === 'Deployment')!.metadata.labels.extra).toBeUndefined();
  });

  test('an error lists the first 20 objects, then how many more', () => {
    const chart = new Chart(new App(), 'cfg', { namespace: 'shop' });
    for (let i = 0; i < 25; i++) new ApiObject(chart, `cm${i}`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm${i}` } });
    const message = errorOf(() => Template.fromChart(chart, { policy: false }).resourceCountIs('Secret', 1));
    expect(message).toMatch(/the objects are: ConfigMap shop\/cm0 \(cfg\/cm0\), .*ConfigMap shop\/cm19 \(cfg\/cm19\), and 5 more$/);
    expect(message).not.toContain('cm20');
  });

  test('the TSDoc example of Template holds', () => {
    const chart = new Chart(new App(), 'shop', { namespace: 'shop' });
    new k8s.WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.0.0' });
    const template = testing.Template.fromChart(chart);
    template.resourceCountIs('Deployment', 1);
    template.hasResourceProperties('HorizontalPodAutoscaler', { spec: { minReplicas: 3 } });
    template.hasNoFindings();
  });
});

describe('Template: construct warnings', () => {
  const EVEN = 'replicas (2) is even: a quorum system (etcd, ZooKeeper, Raft) should run an odd number; set quorum: false to silence this';
  const db = (chart: Chart, id: string, more: Partial<k8s.StatefulServiceProps> = {}) =>
    new k8s.StatefulService(chart, id, { image: 'ghcr.io/acme/db:1.0.0', port: 5432, readiness: k8s.Probe.exec(['pg_isready']), liveness: k8s.Probe.tcp(), volumes: [{ name: 'data', size: '20Gi', mountPath: '/var/lib/db' }], ...more });

  test('warnings lists what the constructs of the chart warned on construction; hasWarning finds one by path and text', () => {
    const chart = new Chart(new App(), 'shop', { namespace: 'shop' });
    quietly(() => db(chart, 'db', { replicas: 2 }));
    const template = Template.fromChart(chart);
    expect(template.warnings).toEqual([{ path: 'shop/db', message: EVEN }]);
    template.hasWarning('shop', 'is even');
    template.hasWarning('shop/db', 'set quorum: false');
    expect(errorOf(() => template.hasWarning('shop/db', 'is odd'))).toBe(
      `Template: hasWarning ("shop/db") expected a construct warning containing "is odd", found none; the warnings are: shop/db: ${EVEN}`);
    expect(errorOf(() => template.hasWarning('shop/cache', 'is even'))).toContain('found none');
    expect(errorOf(() => template.hasNoWarnings())).toBe(
      `Template: hasNoWarnings (1) expected no construct warning, found 1; change the props each names: shop/db: ${EVEN}`);
  });

  test('a template of one chart holds the warnings of that chart only; one of the app holds all', () => {
    const app = new App();
    const quiet = new Chart(app, 'quiet', { namespace: 'quiet' });
    db(quiet, 'db', { replicas: 3 });
    quietly(() => db(new Chart(app, 'loud', { namespace: 'loud' }), 'db', { replicas: 2 }));
    Template.fromChart(quiet).hasNoWarnings();
    expect(Template.fromChart(quiet).warnings).toEqual([]);
    expect(Template.fromApp(app).warnings.map(w => w.path)).toEqual(['loud/db']);
  });
});
