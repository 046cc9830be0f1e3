import { ApiObject, Chart } from 'cdk8s';
import { k8s, testing } from '../../lib';
import { KubernetesPack, PolicyEngine, RuleStatus, Severity } from '../../lib/policy';
import { DocumentIndex } from '../../lib/policy/document-index';
import { k8sDocument } from '../../lib/policy/runner';

// SS-K8S-086 and SS-K8S-087: references a pod waits on forever when nothing creates what they name (a ConfigMap or
// one of its keys, a PriorityClass). The fixtures here are written for these tests.

const pack = new KubernetesPack();
const CM = 'SS-K8S-086';
const PC = 'SS-K8S-087';
const C0 = 'spec.template.spec.containers[0]';
const P = 'spec.template.spec';
const IMAGE = 'ghcr.io/acme/migrate:2.0.1';

/** The findings of rule `id` on `ms`, as `<kind>/<name> <jsonPath>: <message>`. */
function hits(id: string, ms: any[]): string[] {
  const rule = pack.rules.find(r => r.id === id)!;
  const report = new PolicyEngine({ packs: [{ name: 'one', rules: [rule] }] }).check(ms.map((m, i) => k8sDocument(m, `c/${m.kind}-${i}`)));
  return report.findings.filter(f => f.ruleId === id).map(f => `${f.kind}/${f.name} ${f.jsonPath}: ${f.message}`);
}

/** What rule `id` says of each pod-bearing document of `ms` (compliant, non-compliant, not applicable). */
function statuses(id: string, ms: any[]): RuleStatus[] {
  const rule = pack.rules.find(r => r.id === id)!;
  const docs = ms.map((m, i) => k8sDocument(m, `c/${m.kind}-${i}`));
  const index = new DocumentIndex(docs);
  return docs.filter(d => rule.kinds!.includes(d.kind)).map(d => rule.evaluate(d, index).status);
}

/** A Job in namespace `shop` whose pod spec is `spec` (its one container gets `container`). */
function job(name: string, spec: any = {}, container: any = {}, namespace = 'shop'): any {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'app', image: IMAGE, ...container }], ...spec } } },
  };
}

function configMap(name: string, data?: any, extra: any = {}, namespace = 'shop'): any {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, ...extra }, ...(data === undefined ? {} : { data }) };
}

const priorityClass = (name: string, extra: any = {}) => ({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name, ...extra }, value: 100000 });

const ENV_WAIT = 'until it exists, the container stays in CreateContainerConfigError';
const VOLUME_WAIT = 'until it exists, the pod stays in ContainerCreating (the volume cannot be mounted)';

describe('SS-K8S-086 a key a pod reads from a Secret of the output', () => {
  const secret = (name: string, extra: any = {}) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'shop' }, ...extra });
  const fromSecret = (name: string, key: string, more: any = {}) => ({ env: [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name, key, ...more } } }] });

  test('a key the Secret in the output lacks is reported (env and volume items)', () => {
    const s = secret('db', { stringData: { username: 'app' }, data: { host: 'ZGI=' } });
    expect(hits(CM, [s, job('migrate', {}, fromSecret('db', 'password'))]))
      .toEqual([`Job/migrate ${C0}.env[0].valueFrom.secretKeyRef.key: Secret db has no key password: until it has, the container stays in CreateContainerConfigError`]);
    const volume = { volumes: [{ name: 'creds', secret: { secretName: 'db', items: [{ key: 'host', path: 'host' }, { key: 'tls.crt', path: 'tls.crt' }] } }] };
    expect(hits(CM, [s, job('migrate', volume)]))
      .toEqual([`Job/migrate ${P}.volumes[0].secret.items[1].key: Secret db has no key tls.crt: until it has, the pod stays in ContainerCreating (the volume cannot be mounted)`]);
  });

  test('a Secret not in the output, one with no data, a token Secret, an optional reference and a key it has are not reported', () => {
    expect(hits(CM, [job('migrate', {}, fromSecret('db', 'password'))])).toEqual([]);
    expect(hits(CM, [secret('db'), job('migrate', {}, fromSecret('db', 'password'))])).toEqual([]);
    expect(hits(CM, [secret('db', { type: 'kubernetes.io/service-account-token', data: { 'ca.crt': 'eA==' } }), job('migrate', {}, fromSecret('db', 'token'))])).toEqual([]);
    expect(hits(CM, [secret('db', { data: { host: 'ZGI=' } }), job('migrate', {}, fromSecret('db', 'password', { optional: true }))])).toEqual([]);
    expect(hits(CM, [secret('db', { data: { password: 'eA==' } }), job('migrate', {}, fromSecret('db', 'password'))])).toEqual([]);
  });

  test('a Secret an ExternalSecret of the output writes into (Merge, or owning it) is not reported: its keys come from the store', () => {
    const es = (name: string, target?: any) => ({ apiVersion: 'external-secrets.io/v1beta1', kind: 'ExternalSecret', metadata: { name, namespace: 'shop' }, spec: { ...(target ? { target } : {}), data: [] } });
    const s = secret('db', { stringData: { username: 'app' } });
    expect(hits(CM, [s, es('db-extra', { name: 'db', creationPolicy: 'Merge' }), job('migrate', {}, fromSecret('db', 'password'))])).toEqual([]);
    expect(hits(CM, [s, es('db'), job('migrate', {}, fromSecret('db', 'password'))])).toEqual([]);
    // one that writes another Secret changes nothing
    expect(hits(CM, [s, es('other'), job('migrate', {}, fromSecret('db', 'password'))])).toHaveLength(1);
  });
  test('a Secret the output holds only in another namespace is reported wherever the pod reads it (the pod reads its own namespace only)', () => {
    const elsewhere = secret('db', { stringData: { password: 'x' } });
    const platform = { ...elsewhere, metadata: { name: 'db', namespace: 'platform' } };
    const volumes = [{ name: 'creds', secret: { secretName: 'db' } }, { name: 'p', projected: { sources: [{ secret: { name: 'db' } }] } }];
    const where = 'Secret db is not in namespace shop, but a Secret of that name is in namespace platform, which the pod cannot read: until one exists in shop, ';
    expect(hits(CM, [platform, job('migrate', { volumes }, { envFrom: [{ secretRef: { name: 'db' } }], ...fromSecret('db', 'password') })])).toEqual([
      `Job/migrate ${C0}.envFrom[0].secretRef.name: ${where}the container stays in CreateContainerConfigError`,
      `Job/migrate ${C0}.env[0].valueFrom.secretKeyRef.name: ${where}the container stays in CreateContainerConfigError`,
      `Job/migrate ${P}.volumes[0].secret.secretName: ${where}the pod stays in ContainerCreating (the volume cannot be mounted)`,
      `Job/migrate ${P}.volumes[1].projected.sources[0].secret.name: ${where}the pod stays in ContainerCreating (the volume cannot be mounted)`,
    ]);
    // in the pod's namespace as well: the one there is read
    expect(hits(CM, [platform, elsewhere, job('migrate', { volumes }, fromSecret('db', 'password'))])).toEqual([]);
    // optional references start without it
    expect(hits(CM, [platform, job('migrate', {}, { envFrom: [{ secretRef: { name: 'db', optional: true } }] })])).toEqual([]);
  });
});

describe('SS-K8S-086 a ConfigMap a pod needs is not in the output', () => {
  test('the rule is a warning with the catalog message and fix', () => {
    const rule = pack.rules.find(r => r.id === CM)!;
    expect(rule.severity).toBe(Severity.WARNING);
    expect(rule.message).toBe('Pod needs a ConfigMap, or a key of a ConfigMap or Secret, that is not in the output (or a Secret the output holds in another namespace)');
  });

  test('envFrom configMapRef (the reported Job: CreateContainerConfigError forever)', () => {
    expect(hits(CM, [job('migrate', {}, { envFrom: [{ configMapRef: { name: 'migrate-config' } }] })]))
      .toEqual([`Job/migrate ${C0}.envFrom[0].configMapRef.name: ConfigMap migrate-config is not in the output (namespace shop): ${ENV_WAIT}`]);
  });

  test('env valueFrom configMapKeyRef, in an init container too', () => {
    const ref = { name: 'LEVEL', valueFrom: { configMapKeyRef: { name: 'settings', key: 'level' } } };
    expect(hits(CM, [job('migrate', { initContainers: [{ name: 'init', image: IMAGE, env: [ref] }] }, { env: [{ name: 'A', value: 'x' }, ref] })])).toEqual([
      `Job/migrate ${C0}.env[1].valueFrom.configMapKeyRef.name: ConfigMap settings is not in the output (namespace shop): ${ENV_WAIT}`,
      `Job/migrate ${P}.initContainers[0].env[0].valueFrom.configMapKeyRef.name: ConfigMap settings is not in the output (namespace shop): ${ENV_WAIT}`,
    ]);
  });

  test('a configMap volume and a projected volume source: the pod cannot mount them', () => {
    const volumes = [
      { name: 'tmp', emptyDir: {} },
      { name: 'conf', configMap: { name: 'app-conf' } },
      { name: 'bundle', projected: { sources: [{ secret: { name: 'tls' } }, { configMap: { name: 'ca-bundle', items: [{ key: 'ca.crt', path: 'ca.crt' }] } }] } },
    ];
    expect(hits(CM, [job('migrate', { volumes })])).toEqual([
      `Job/migrate ${P}.volumes[1].configMap.name: ConfigMap app-conf is not in the output (namespace shop): ${VOLUME_WAIT}`,
      `Job/migrate ${P}.volumes[2].projected.sources[1].configMap.name: ConfigMap ca-bundle is not in the output (namespace shop): ${VOLUME_WAIT}`,
    ]);
  });

  test('a CronJob, a Deployment and a bare Pod, at their own pod paths', () => {
    const env = { envFrom: [{ configMapRef: { name: 'ghost' } }] };
    const cron = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'nightly', namespace: 'shop' },
      spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'app', image: IMAGE, ...env }] } } } } },
    };
    const deploy = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: IMAGE, ...env }] } } },
    };
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'debug' }, spec: { containers: [{ name: 'app', image: IMAGE, ...env }] } };
    expect(hits(CM, [cron, deploy, pod])).toEqual([
      `CronJob/nightly spec.jobTemplate.spec.template.spec.containers[0].envFrom[0].configMapRef.name: ConfigMap ghost is not in the output (namespace shop): ${ENV_WAIT}`,
      `Deployment/web ${C0}.envFrom[0].configMapRef.name: ConfigMap ghost is not in the output (namespace shop): ${ENV_WAIT}`,
      `Pod/debug spec.containers[0].envFrom[0].configMapRef.name: ConfigMap ghost is not in the output: ${ENV_WAIT}`,
    ]);
  });

  test('a ConfigMap of that name in another namespace does not count, and the finding says where it is', () => {
    expect(hits(CM, [configMap('migrate-config', { a: '1' }, {}, 'billing'), job('migrate', {}, { envFrom: [{ configMapRef: { name: 'migrate-config' } }] })]))
      .toEqual([`Job/migrate ${C0}.envFrom[0].configMapRef.name: ConfigMap migrate-config is not in the output (namespace shop; a ConfigMap of that name is in namespace billing, `
        + `which the pod cannot read): ${ENV_WAIT}`]);
  });

  test('a key the ConfigMap in the output does not hold (env and volume items)', () => {
    const settings = configMap('settings', { level: 'info' }, {});
    const env = { env: [{ name: 'MODE', valueFrom: { configMapKeyRef: { name: 'settings', key: 'mode' } } }] };
    const volumes = [{ name: 'conf', configMap: { name: 'settings', items: [{ key: 'level', path: 'level' }, { key: 'app.yaml', path: 'app.yaml' }] } }];
    expect(hits(CM, [settings, job('migrate', { volumes }, env)])).toEqual([
      `Job/migrate ${C0}.env[0].valueFrom.configMapKeyRef.key: ConfigMap settings has no key mode: until it has, the container stays in CreateContainerConfigError`,
      `Job/migrate ${P}.volumes[0].configMap.items[1].key: ConfigMap settings has no key app.yaml: until it has, the pod stays in ContainerCreating (the volume cannot be mounted)`,
    ]);
  });

  test('a key the ConfigMap holds in binaryData is missing for an environment variable (the kubelet reads env from data), not for a volume', () => {
    const settings = { ...configMap('settings', { level: 'info' }), binaryData: { LICENSE_KEY: 'aGVsbG8=' } };
    const env = { env: [{ name: 'LICENSE', valueFrom: { configMapKeyRef: { name: 'settings', key: 'LICENSE_KEY' } } }] };
    expect(hits(CM, [settings, job('migrate', {}, env)])).toEqual([`Job/migrate ${C0}.env[0].valueFrom.configMapKeyRef.key: ConfigMap settings holds LICENSE_KEY in binaryData, `
      + 'which the kubelet never reads into environment variables: until the key is in data, the container stays in CreateContainerConfigError']);
  });

  test('compliant: the ConfigMap is in the output in the pod\'s namespace, with the keys (data or binaryData)', () => {
    const settings = { ...configMap('settings', { level: 'info' }), binaryData: { 'logo.png': 'iVBORw0KGgo=' } };
    const env = { envFrom: [{ configMapRef: { name: 'settings' } }], env: [{ name: 'L', valueFrom: { configMapKeyRef: { name: 'settings', key: 'level' } } }] };
    const volumes = [{ name: 'conf', configMap: { name: 'settings', items: [{ key: 'logo.png', path: 'logo.png' }] } }];
    const ms = [settings, job('migrate', { volumes }, env)];
    expect(hits(CM, ms)).toEqual([]);
    expect(statuses(CM, ms)).toEqual([RuleStatus.COMPLIANT]);
  });

  test('compliant: a pod that names no ConfigMap (and the rule did look at it)', () => {
    expect(statuses(CM, [job('migrate')])).toEqual([RuleStatus.COMPLIANT]);
  });

  test('references marked optional: true are not needed to start', () => {
    const env = {
      envFrom: [{ configMapRef: { name: 'a', optional: true } }],
      env: [{ name: 'B', valueFrom: { configMapKeyRef: { name: 'b', key: 'k', optional: true } } }],
    };
    const volumes = [
      { name: 'c', configMap: { name: 'c', optional: true } },
      { name: 'd', projected: { sources: [{ configMap: { name: 'd', optional: true } }] } },
    ];
    expect(hits(CM, [job('migrate', { volumes }, env)])).toEqual([]);
    // optional: false is the default, said explicitly
    expect(hits(CM, [job('migrate', {}, { envFrom: [{ configMapRef: { name: 'a', optional: false } }] })]))
      .toEqual([`Job/migrate ${C0}.envFrom[0].configMapRef.name: ConfigMap a is not in the output (namespace shop): ${ENV_WAIT}`]);
  });

  test('the ConfigMaps the platform creates in every namespace (kube-root-ca.crt, and OpenShift\'s and Istio\'s CA bundles) are not reported', () => {
    // the projected volume Kubernetes itself writes for a service account token names kube-root-ca.crt
    const volumes = [
      { name: 'token', projected: { sources: [{ serviceAccountToken: { path: 'token' } }, { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } }] } },
      { name: 'ocp', configMap: { name: 'openshift-service-ca.crt' } },
      { name: 'istio', configMap: { name: 'istio-ca-root-cert' } },
    ];
    expect(hits(CM, [job('migrate', { volumes })])).toEqual([]);
  });

  test('the keys of a ConfigMap a controller fills are not checked: an empty one, or one marked for OpenShift\'s CA bundle injection', () => {
    const env = { env: [{ name: 'CA', valueFrom: { configMapKeyRef: { name: 'ca', key: 'service-ca.crt' } } }] };
    expect(hits(CM, [configMap('ca'), job('migrate', {}, env)])).toEqual([]);
    expect(hits(CM, [configMap('ca', { keep: 'x' }, { annotations: { 'service.beta.openshift.io/inject-cabundle': 'true' } }), job('migrate', {}, env)])).toEqual([]);
    expect(hits(CM, [configMap('ca', { keep: 'x' }, { labels: { 'config.openshift.io/inject-trusted-cabundle': 'true' } }), job('migrate', {}, env)])).toEqual([]);
    // without the mark, the missing key is reported
    expect(hits(CM, [configMap('ca', { keep: 'x' }), job('migrate', {}, env)])).toHaveLength(1);
  });

  test('Secrets missing from the output are not reported: they are often created out of band on purpose', () => {
    const env = {
      envFrom: [{ secretRef: { name: 'db' } }],
      env: [{ name: 'P', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }],
    };
    const volumes = [{ name: 'tls', secret: { secretName: 'tls' } }, { name: 'p', projected: { sources: [{ secret: { name: 'tls' } }] } }];
    expect(hits(CM, [job('migrate', { volumes }, env)])).toEqual([]);
  });
});

describe('SS-K8S-087 a PriorityClass a pod names is neither built in nor in the output', () => {
  const WAIT = 'until it exists, the API server refuses the pods';

  test('the rule is a warning with the catalog message', () => {
    const rule = pack.rules.find(r => r.id === PC)!;
    expect(rule.severity).toBe(Severity.WARNING);
    expect(rule.message).toBe('Pod names a PriorityClass that is neither built in nor in the output');
  });

  test('the reported Job: priorityClassName batch-high, which nothing creates', () => {
    expect(hits(PC, [job('migrate', { priorityClassName: 'batch-high' })]))
      .toEqual([`Job/migrate ${P}.priorityClassName: PriorityClass batch-high is not in the output, nor built in (system-cluster-critical, system-node-critical): ${WAIT}`]);
  });

  test('a CronJob and a bare Pod, at their own pod paths', () => {
    const cron = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'nightly', namespace: 'shop' },
      spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: { spec: { priorityClassName: 'low', restartPolicy: 'Never', containers: [{ name: 'app', image: IMAGE }] } } } } },
    };
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'debug', namespace: 'shop' }, spec: { priorityClassName: 'low', containers: [{ name: 'app', image: IMAGE }] } };
    expect(hits(PC, [cron, pod])).toEqual([
      `CronJob/nightly spec.jobTemplate.spec.template.spec.priorityClassName: PriorityClass low is not in the output, nor built in (system-cluster-critical, system-node-critical): ${WAIT}`,
      `Pod/debug spec.priorityClassName: PriorityClass low is not in the output, nor built in (system-cluster-critical, system-node-critical): ${WAIT}`,
    ]);
  });

  test('compliant: a built-in class, a class in the output (cluster-scoped: a namespace written on it is ignored), no class', () => {
    const ms = [
      job('a', { priorityClassName: 'system-cluster-critical' }),
      job('b', { priorityClassName: 'system-node-critical' }),
      priorityClass('batch-high'),
      job('c', { priorityClassName: 'batch-high' }, {}, 'billing'),
      priorityClass('batch-low', { namespace: 'shop' }),
      job('d', { priorityClassName: 'batch-low' }),
      job('e'),
    ];
    expect(hits(PC, ms)).toEqual([]);
    expect(statuses(PC, ms)).toEqual(Array(5).fill(RuleStatus.COMPLIANT));
  });

  test('the name must match exactly', () => {
    expect(hits(PC, [priorityClass('batch-high'), job('migrate', { priorityClassName: 'Batch-High' })])).toHaveLength(1);
  });
});

describe('on a shipshape app', () => {
  function app(): { app: k8s.App; chart: Chart } {
    const a = new k8s.App();
    return { app: a, chart: new Chart(a, 'shop', { namespace: 'shop' }) };
  }
  const found = (t: testing.Template, ...ids: string[]) => t.findings.filter(f => ids.includes(f.ruleId)).map(f => `${f.ruleId} ${f.severity} ${f.path} ${f.jsonPath}: ${f.message}`);

  test('the reported Job (envFromConfigMaps, priorityClassName, nothing creating either) gets both warnings; synth does not fail', () => {
    const { app: a, chart } = app();
    new k8s.Job(chart, 'migrate', { image: IMAGE, envFromConfigMaps: ['migrate-config'], priorityClassName: 'batch-high' });
    const t = testing.Template.fromApp(a);
    expect(found(t, CM, PC)).toEqual([
      `${CM} warning shop/migrate/Job ${C0}.envFrom[0].configMapRef.name: ConfigMap migrate-config is not in the output (namespace shop): ${ENV_WAIT}`,
      `${PC} warning shop/migrate/Job ${P}.priorityClassName: PriorityClass batch-high is not in the output, nor built in (system-cluster-critical, system-node-critical): `
        + 'until it exists, the API server refuses the pods',
    ]);
    expect(t.report!.hasErrors).toBe(false);
  });

  test('with the ConfigMap and the PriorityClass in the app, nothing is reported', () => {
    const { app: a, chart } = app();
    new k8s.Job(chart, 'migrate', {
      image: IMAGE,
      envFromConfigMaps: ['migrate-config'],
      priorityClassName: 'batch-high',
      configMapMounts: [{ configMapName: 'migrate-config', mountPath: '/etc/migrate' }],
    });
    new ApiObject(chart, 'config', configMap('migrate-config', { MODE: 'up' }));
    new ApiObject(chart, 'priority', priorityClass('batch-high'));
    expect(found(testing.Template.fromApp(a), CM, PC)).toEqual([]);
  });

  test('a LogShipper with its own configuration writes the ConfigMap it mounts: nothing reported', () => {
    const { app: a, chart } = app();
    new k8s.WebService(chart, 'api', { image: IMAGE }).addSidecar(new k8s.sidecars.LogShipper());
    const t = testing.Template.fromApp(a);
    expect(t.manifests.filter(m => m.kind === 'ConfigMap').map(m => m.metadata.name)).toEqual(['api-log-shipper']);
    expect(found(t, CM)).toEqual([]);
  });

  test('a LogShipper given configMapName mounts a ConfigMap the user creates: warned about until the app holds it', () => {
    const { app: a, chart } = app();
    new k8s.WebService(chart, 'api', { image: IMAGE }).addSidecar(new k8s.sidecars.LogShipper({ configMapName: 'api-fluent-bit' }));
    const t = testing.Template.fromApp(a);
    expect(found(t, CM)).toEqual([
      `${CM} warning shop/api/Deployment ${P}.volumes[3].configMap.name: ConfigMap api-fluent-bit is not in the output (namespace shop): ${VOLUME_WAIT}`,
    ]);
    const { app: b, chart: c2 } = app();
    new k8s.WebService(c2, 'api', { image: IMAGE }).addSidecar(new k8s.sidecars.LogShipper({ configMapName: 'api-fluent-bit' }));
    new ApiObject(c2, 'fluent-bit', configMap('api-fluent-bit', { 'fluent-bit.conf': '[SERVICE]\n    HTTP_Server On\n' }));
    expect(found(testing.Template.fromApp(b), CM)).toEqual([]);
  });
});
