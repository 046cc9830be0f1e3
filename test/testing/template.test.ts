import { ApiObject, App, Chart } from 'cdk8s';
import { k8s, policy, testing } from '../../lib';
import { expectError } from '../util/k8s';

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
      'Template: findFindings ("policy: false") needs the policy findings; make the template with the policy on (the default)');
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
