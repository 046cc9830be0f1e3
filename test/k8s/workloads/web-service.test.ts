import { App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { EnvironmentProfile } from '../../../lib/core';
import { App as ShipshapeApp, EnvValue, NetworkPeer, Probe, Replicas, WebService, WebServiceProps, Worker } from '../../../lib/k8s';
import { Policy } from '../../../lib/policy';
import { expectError } from '../../util/k8s';
import { expectValid, tempDir } from '../../util/schema';

const IMAGE = 'ghcr.io/acme/api:1.4.2';

function chart(namespace: string | null = 'shop'): Chart {
  return new Chart(Testing.app(), 'shop', { namespace: namespace ?? undefined });
}

function build(props: Partial<WebServiceProps> = {}, id = 'api'): { objs: any[]; ws: WebService; chart: Chart } {
  const c = chart();
  const ws = new WebService(c, id, { image: IMAGE, ...props });
  return { objs: c.toJson(), ws, chart: c };
}

const kind = (objs: any[], k: string) => objs.find(o => o.kind === k);
const pod = (objs: any[]) => kind(objs, 'Deployment').spec.template.spec;
const main = (objs: any[]) => pod(objs).containers[0];

describe('WebService defaults', () => {
  const { objs } = build();

  test('creates ServiceAccount, NetworkPolicy, Deployment, Service, PDB and HPA in the chart namespace with stable names', () => {
    expect(objs.map(o => o.kind).sort()).toEqual(['Deployment', 'HorizontalPodAutoscaler', 'NetworkPolicy', 'PodDisruptionBudget', 'Service', 'ServiceAccount']);
    for (const o of objs) {
      expect(o.metadata.name).toBe('api');
      expect(o.metadata.namespace).toBe('shop');
    }
  });

  test('every object carries the recommended labels', () => {
    for (const o of objs) {
      expect(o.metadata.labels).toEqual({
        'app.kubernetes.io/name': 'api',
        'app.kubernetes.io/instance': 'api',
        'app.kubernetes.io/version': '1.4.2',
        'app.kubernetes.io/component': 'web',
        'app.kubernetes.io/managed-by': 'shipshape',
      });
    }
  });

  test('output validates strictly against Kubernetes 1.27 and 1.36', () => {
    expectValid(objs);
  });

  test('ServiceAccount does not automount a token, and neither does the pod', () => {
    expect(kind(objs, 'ServiceAccount').automountServiceAccountToken).toBe(false);
    expect(pod(objs).automountServiceAccountToken).toBe(false);
    expect(pod(objs).serviceAccountName).toBe('api');
  });

  test('pod securityContext: non-root 10001, fsGroup, seccomp RuntimeDefault', () => {
    expect(pod(objs).securityContext).toEqual({
      runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, fsGroupChangePolicy: 'OnRootMismatch', seccompProfile: { type: 'RuntimeDefault' },
    });
  });

  test('container securityContext: no escalation, not privileged, read-only root, drop ALL, seccomp', () => {
    expect(main(objs).securityContext).toEqual({
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
  });

  test('a writable emptyDir is mounted at /tmp', () => {
    expect(main(objs).volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    expect(pod(objs).volumes).toEqual([{ name: 'tmp', emptyDir: { sizeLimit: '128Mi' } }]);
  });

  test('a writable path holds no more than the container\'s ephemeral storage limit, when that is below 128Mi', () => {
    const volumesWith = (limit: string) => {
      const c = chart();
      new WebService(c, 'api', { image: IMAGE, resources: { ephemeralStorage: '32Mi', ephemeralStorageLimit: limit } });
      return pod(c.toJson()).volumes;
    };
    expect(volumesWith('64Mi')).toEqual([{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }]);
    expect(volumesWith('2Gi')).toEqual([{ name: 'tmp', emptyDir: { sizeLimit: '128Mi' } }]);
  });

  test('requests cpu, memory and ephemeral-storage; limits memory (= request), ephemeral-storage and cpu', () => {
    expect(main(objs).resources).toEqual({
      requests: { 'cpu': '250m', 'memory': '256Mi', 'ephemeral-storage': '256Mi' },
      limits: { 'cpu': '1', 'memory': '256Mi', 'ephemeral-storage': '1Gi' },
    });
  });

  test('unset CPU and ephemeral-storage limits follow a request above their defaults (1 CPU, 1Gi)', () => {
    const { objs: big } = build({ resources: { cpu: '2', ephemeralStorage: '2Gi' } });
    expect(main(big).resources.limits).toEqual({ 'cpu': '2', 'memory': '256Mi', 'ephemeral-storage': '2Gi' });
    const { objs: small } = build({ resources: { cpu: '500m', ephemeralStorage: '512Mi' } });
    expect(main(small).resources.limits).toEqual({ 'cpu': '1', 'memory': '256Mi', 'ephemeral-storage': '1Gi' });
  });

  test('named container port 8080, no hostPort', () => {
    expect(main(objs).ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
  });

  test('readiness on /readyz and liveness on /livez, on the named port; no startup probe', () => {
    expect(main(objs).readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(main(objs).livenessProbe.httpGet).toEqual({ path: '/livez', port: 'http' });
    expect(main(objs).startupProbe).toBeUndefined();
  });

  test('image pull policy Always', () => {
    expect(main(objs).imagePullPolicy).toBe('Always');
    expect(main(objs).image).toBe(IMAGE);
  });

  test('zero-downtime rollout: maxUnavailable 0, maxSurge 25%, preStop sleep 5 < grace 30', () => {
    const spec = kind(objs, 'Deployment').spec;
    expect(spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } });
    expect(main(objs).lifecycle).toEqual({ preStop: { exec: { command: ['sleep', '5'] } } });
    expect(pod(objs).terminationGracePeriodSeconds).toBe(30);
  });

  test('production autoscales 3-10 on CPU 70%, and the Deployment omits replicas', () => {
    const hpa = kind(objs, 'HorizontalPodAutoscaler').spec;
    expect(hpa.minReplicas).toBe(3);
    expect(hpa.maxReplicas).toBe(10);
    expect(hpa.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' });
    expect(hpa.metrics[0].resource.target.averageUtilization).toBe(70);
    const dep = kind(objs, 'Deployment');
    expect(dep.spec.replicas).toBeUndefined();
    expect(dep.metadata.annotations['polaris.fairwinds.com/deploymentMissingReplicas-exempt']).toBe('true');
  });

  test('PDB: maxUnavailable 1, AlwaysAllow, selecting the pods', () => {
    expect(kind(objs, 'PodDisruptionBudget').spec).toEqual({
      maxUnavailable: 1,
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
      selector: { matchLabels: { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api' } },
    });
  });

  test('spread across zones and hosts', () => {
    expect(pod(objs).topologySpreadConstraints[0]).toMatchObject({ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway' });
    expect(pod(objs).affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey).toBe('kubernetes.io/hostname');
  });

  test('Service: ClusterIP port 80 to the named port, selecting the pods', () => {
    expect(kind(objs, 'Service').spec).toEqual({
      type: 'ClusterIP',
      selector: { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api' },
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
    });
  });

  test('selectors match the pod template labels', () => {
    const dep = kind(objs, 'Deployment');
    for (const [k, v] of Object.entries(dep.spec.selector.matchLabels)) {
      expect(dep.spec.template.metadata.labels[k]).toBe(v);
    }
  });

  test('NetworkPolicy: selects the pods, Ingress and Egress, no callers, DNS egress only', () => {
    const np = kind(objs, 'NetworkPolicy').spec;
    expect(np.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api' } });
    expect(np.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(np.ingress).toEqual([]);
    expect(np.egress).toEqual([{
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
      ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
    }]);
  });

  test('service links off', () => {
    expect(pod(objs).enableServiceLinks).toBe(false);
  });

  test('name defaults to the construct id in kebab case', () => {
    expect(build({}, 'OrdersApi').ws.name).toBe('orders-api');
  });

  test('escape hatches expose every object', () => {
    const { ws } = build();
    expect(ws.deployment.kind).toBe('Deployment');
    expect(ws.service.kind).toBe('Service');
    expect(ws.pdb!.kind).toBe('PodDisruptionBudget');
    expect(ws.hpa!.kind).toBe('HorizontalPodAutoscaler');
    expect(ws.networkPolicy.kind).toBe('NetworkPolicy');
    expect(ws.serviceAccount.kind).toBe('ServiceAccount');
  });
});

describe('WebService profiles and overrides', () => {
  test('development: 1 fixed replica, no PDB, no HPA, no spread, and says so', () => {
    const { objs, ws } = build({ profile: EnvironmentProfile.DEVELOPMENT });
    expect(objs.map(o => o.kind).sort()).toEqual(['Deployment', 'NetworkPolicy', 'Service', 'ServiceAccount']);
    const dep = kind(objs, 'Deployment');
    expect(dep.spec.replicas).toBe(1);
    expect(dep.metadata.annotations).toEqual({ 'shipshape.io/profile': 'development' });
    expect(dep.spec.template.spec.topologySpreadConstraints).toBeUndefined();
    expect(ws.node.metadata.find(m => m.type === 'shipshape:info')?.data).toMatch(/development profile: 1 replica\(s\), no PodDisruptionBudget, no autoscaler/);
    expectValid(objs);
  });

  test('staging autoscales 2-4', () => {
    const hpa = kind(build({ profile: EnvironmentProfile.STAGING }).objs, 'HorizontalPodAutoscaler').spec;
    expect([hpa.minReplicas, hpa.maxReplicas]).toEqual([2, 4]);
  });

  test('fixed replicas: replicas set, no HPA, no exemption annotation', () => {
    const { objs } = build({ replicas: Replicas.fixed(4) });
    const dep = kind(objs, 'Deployment');
    expect(dep.spec.replicas).toBe(4);
    expect(dep.metadata.annotations).toBeUndefined();
    expect(kind(objs, 'HorizontalPodAutoscaler')).toBeUndefined();
  });

  test('custom autoscale range and target', () => {
    const hpa = kind(build({ replicas: Replicas.autoscale({ min: 2, max: 5, targetCpuUtilization: 60 }) }).objs, 'HorizontalPodAutoscaler').spec;
    expect([hpa.minReplicas, hpa.maxReplicas, hpa.metrics[0].resource.target.averageUtilization]).toEqual([2, 5, 60]);
  });

  test('cpu limit can be removed', () => {
    const r = main(build({ resources: { cpuLimit: 'none' } }).objs).resources;
    expect(r.limits.cpu).toBeUndefined();
    expect(r.limits.memory).toBe('256Mi');
  });

  test('custom probes: tcp readiness, exec liveness, http startup', () => {
    const c = main(build({ readiness: Probe.tcp(), liveness: Probe.exec(['/bin/check']), startup: Probe.http('/startz', { failureThreshold: 60 }) }).objs);
    expect(c.readinessProbe.tcpSocket).toEqual({ port: 'http' });
    expect(c.livenessProbe.exec).toEqual({ command: ['/bin/check'] });
    expect(c.startupProbe).toMatchObject({ httpGet: { path: '/startz', port: 'http' }, failureThreshold: 60 });
  });

  test('env from literals, ConfigMaps and Secret keys; secrets mounted as files', () => {
    const c = main(build({
      env: { LOG_LEVEL: EnvValue.fromValue('info'), REGION: EnvValue.fromConfigMapKey('settings', 'region'), DB_PASSWORD: EnvValue.fromSecretKey('db', 'password') },
      envFromConfigMaps: ['common'],
      secretMounts: [{ secretName: 'db', mountPath: '/var/run/secrets/db' }],
    }).objs);
    expect(c.env).toEqual([
      { name: 'LOG_LEVEL', value: 'info' },
      { name: 'REGION', valueFrom: { configMapKeyRef: { name: 'settings', key: 'region' } } },
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
    ]);
    expect(c.envFrom).toEqual([{ configMapRef: { name: 'common' } }]);
    expect(c.volumeMounts).toContainEqual({ name: 'secret-0', mountPath: '/var/run/secrets/db', readOnly: true });
  });

  test('env from cdk8s-plus ConfigMap and Secret constructs', () => {
    const c = chart();
    const settings = new kplus.ConfigMap(c, 'settings', { metadata: { name: 'settings' }, data: { region: 'eu-west-1' } });
    const db = kplus.Secret.fromSecretName(c, 'db', 'db-credentials');
    new WebService(c, 'api', { image: IMAGE, env: { REGION: EnvValue.fromConfigMap(settings, 'region'), DB_USER: EnvValue.fromSecret(db, 'user') } });
    const env = c.toJson().find(o => o.kind === 'Deployment').spec.template.spec.containers[0].env;
    expect(env).toEqual([
      { name: 'REGION', valueFrom: { configMapKeyRef: { name: 'settings', key: 'region' } } },
      { name: 'DB_USER', valueFrom: { secretKeyRef: { name: 'db-credentials', key: 'user' } } },
    ]);
  });

  test('a cdk8s-plus ConfigMap or Secret of another namespace is refused: the pod reads those of its own namespace only', () => {
    const app = Testing.app();
    const shared = new Chart(app, 'shared', { namespace: 'shared' });
    const creds = new kplus.Secret(shared, 'creds', { metadata: { name: 'creds' }, stringData: { url: 'postgres://db/shop' } });
    const settings = new kplus.ConfigMap(shared, 'settings', { metadata: { name: 'settings' }, data: { LOG_LEVEL: 'info' } });
    const shop = new Chart(app, 'shop', { namespace: 'shop' });
    expectError(() => new WebService(shop, 'api', { image: IMAGE, env: { DB_URL: EnvValue.fromSecret(creds, 'url') } }),
      'shop/api: env.DB_URL.secretName ("creds") is the Secret creds of namespace shared, while the workload runs in namespace shop: a pod reads the Secrets of its own '
      + 'namespace only, so it would never start (CreateContainerConfigError); create the Secret in a chart of namespace shop, or run the workload in namespace shared');
    expectError(() => new Worker(shop, 'worker', { image: IMAGE, env: { LOG_LEVEL: EnvValue.fromConfigMap(settings, 'LOG_LEVEL') } }),
      'shop/worker: env.LOG_LEVEL.configMapName ("settings") is the ConfigMap settings of namespace shared, while the workload runs in namespace shop');
    // one of the workload's namespace, and an imported one (a name only), are fine
    const own = new kplus.ConfigMap(shop, 'own', { metadata: { name: 'own' }, data: { LOG_LEVEL: 'info' } });
    const imported = kplus.Secret.fromSecretName(shared, 'db', 'db-credentials');
    expect(() => new WebService(shop, 'web', { image: IMAGE, env: { LOG_LEVEL: EnvValue.fromConfigMap(own, 'LOG_LEVEL'), DB_USER: EnvValue.fromSecret(imported, 'user') } })).not.toThrow();
  });

  test('allowFrom another WebService opens ingress here and egress there', () => {
    const c = chart();
    const api = new WebService(c, 'api', { image: IMAGE });
    const web = new WebService(c, 'web', { image: IMAGE, port: 3000 });
    api.allowFrom(web);
    const objs = c.toJson();
    const np = (name: string) => objs.find(o => o.kind === 'NetworkPolicy' && o.metadata.name === name).spec;
    expect(np('api').ingress).toEqual([{ from: [{ podSelector: { matchLabels: web.selectorLabels } }], ports: [{ port: 8080, protocol: 'TCP' }] }]);
    expect(np('web').egress[1]).toEqual({ to: [{ podSelector: { matchLabels: api.selectorLabels } }], ports: [{ port: 8080, protocol: 'TCP' }] });
  });

  test.each([
    ['allowFrom', (api: WebService) => api.allowFrom(api)],
    ['allowTo', (api: WebService) => api.allowTo(api)],
  ])('%s itself lets its replicas call each other: ingress from and egress to its own pods', (_name, connect) => {
    const c = chart();
    const api = new WebService(c, 'api', { image: IMAGE });
    connect(api);
    const np = c.toJson().find(o => o.kind === 'NetworkPolicy' && o.metadata.name === 'api').spec;
    const own = { podSelector: { matchLabels: api.selectorLabels } };
    expect(np.ingress).toContainEqual({ from: [own], ports: [{ port: 8080, protocol: 'TCP' }] });
    expect(np.egress).toContainEqual({ to: [own], ports: [{ port: 8080, protocol: 'TCP' }] });
  });

  test('allowFrom a namespace and allowTo a CIDR', () => {
    const c = chart();
    const api = new WebService(c, 'api', { image: IMAGE });
    api.allowFrom(NetworkPeer.namespace('monitoring'));
    api.allowTo(NetworkPeer.cidr('10.20.0.0/16', { ports: [5432] }));
    const np = c.toJson().find(o => o.kind === 'NetworkPolicy').spec;
    expect(np.ingress[0].from).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }]);
    expect(np.egress[1]).toEqual({ to: [{ ipBlock: { cidr: '10.20.0.0/16' } }], ports: [{ port: 5432, protocol: 'TCP' }] });
  });

  test('namespace can be set on the workload when the chart has none', () => {
    const c = chart(null);
    new WebService(c, 'api', { image: IMAGE, namespace: 'payments' });
    expect(c.toJson().every(o => o.metadata.namespace === 'payments')).toBe(true);
  });
});

describe('WebService validation errors', () => {
  const make = (props: Partial<WebServiceProps>, c: Chart = chart()) => () => new WebService(c, 'api', { image: IMAGE, ...props });

  test('invalid name', () => {
    expectError(make({ name: 'Orders_API' }), 'shop/api: name ("Orders_API") must be an RFC 1123 DNS label: 1-63 characters of a-z, 0-9 and \'-\', starting and ending with a letter or digit; use a name such as "orders-api"');
  });
  test('missing namespace', () => {
    expectError(make({}, chart(null)), /shop\/api: namespace \(undefined\) is not set on the workload nor on its chart.*set `namespace` on the Chart/);
  });
  test('privileged port', () => {
    expectError(make({ port: 80 }), 'shop/api: port (80) must be a whole number from 1024 to 65535: lower ports need root or added capabilities (rule SS-K8S-021); listen on a port such as 8080 (the Service can still expose port 80)');
  });
  test('port above 65535', () => {
    expectError(make({ port: 70000 }), /port \(70000\) must be a whole number from 1024 to 65535/);
  });
  test('port number clash', () => {
    expectError(make({ extraPorts: [{ name: 'metrics', port: 8080 }] }), 'shop/api: extraPorts[0].port (8080) clashes with port, which uses the same number; give every port its own number');
  });
  test('an extra port on the number of servicePort (the Service would list it twice, which the API server refuses)', () => {
    expectError(make({ servicePort: 9090, extraPorts: [{ name: 'metrics', port: 9090 }] }), 'shop/api: extraPorts[0].port (9090) is also servicePort, the Service\'s main port, '
      + 'and the Service exposes extra ports on their own numbers, so it would list 9090 twice (the API server refuses that); '
      + 'give the extra port another number, or set servicePort to another (the Service\'s main port; the pods listen on port 8080)');
    expectError(make({ extraPorts: [{ name: 'admin', port: 80 }] }), /extraPorts\[0\]\.port \(80\) must be a whole number from 1024/);
  });
  test('port name clash', () => {
    expectError(make({ extraPorts: [{ name: 'http', port: 9090 }] }), 'shop/api: extraPorts[0].name ("http") clashes with portName, which uses the same name; give every port its own name');
  });
  test('invalid port name', () => {
    expectError(make({ portName: 'http-port-for-the-api' }), /portName \("http-port-for-the-api"\) must be an IANA service name/);
  });
  test('min > max replicas', () => {
    expectError(make({ replicas: Replicas.autoscale({ min: 5, max: 3 }) }), 'shop/api: replicas.min (5) must be <= replicas.max (3); lower min or raise max');
  });
  test('min == max replicas', () => {
    expectError(make({ replicas: Replicas.autoscale({ min: 3, max: 3 }) }), /replicas.max \(3\) must be more than replicas.min \(3\)/);
  });
  test('zero fixed replicas', () => {
    expectError(make({ replicas: Replicas.fixed(0) }), /replicas \(0\) must be a whole number of at least 1/);
  });
  test('an envFromConfigMaps name that is no DNS subdomain', () => {
    expectError(make({ envFromConfigMaps: ['app-settings', 'Bad Name'] }), 'shop/api: envFromConfigMaps[1] ("Bad Name") must be an RFC 1123 DNS subdomain: 1-253 characters of a-z, 0-9, \'-\' and \'.\', each dot-separated part starting and ending with a letter or digit; use a name such as "bad-name"');
  });
  test('a CPU target above 100 is accepted as far as the limit lets utilization go (limit 1, request 250m: 400)', () => {
    expect(make({ replicas: Replicas.autoscale({ targetCpuUtilization: 150 }) })).not.toThrow();
    expect(make({ replicas: Replicas.autoscale({ targetCpuUtilization: 400 }) })).not.toThrow();
    expectError(make({ replicas: Replicas.autoscale({ targetCpuUtilization: 120 }), resources: { cpu: '1' } }),
      'shop/api: replicas.targetCpuUtilization (120) is never reached: utilization is a percentage of the CPU request (1), and the CPU limit (1) keeps it at 100 or below, so the autoscaler would never add a replica; use at most 100 (for example 70), or raise resources.cpuLimit');
    expect(make({ replicas: Replicas.autoscale({ targetCpuUtilization: 300 }), resources: { cpuLimit: 'none' } })).not.toThrow();
  });
  test('cpu request above limit', () => {
    expectError(make({ resources: { cpu: '2', cpuLimit: '1' } }), 'shop/api: resources.cpu ("2") must be <= resources.cpuLimit (1); lower the request or raise the limit');
  });
  test('memory request above limit', () => {
    expectError(make({ resources: { memory: '1Gi', memoryLimit: '512Mi' } }), /resources.memory \("1Gi"\) must be <= resources.memoryLimit \(512Mi\)/);
  });
  test('ephemeral-storage request above limit', () => {
    expectError(make({ resources: { ephemeralStorage: '2Gi', ephemeralStorageLimit: '1Gi' } }), /resources.ephemeralStorage \("2Gi"\) must be <= resources.ephemeralStorageLimit \(1Gi\)/);
  });
  test('unparseable quantity', () => {
    expectError(make({ resources: { memory: '12XB' } }), 'shop/api: resources.memory ("12XB") is not a byte quantity: use a non-negative number with a suffix such as Mi or Gi ("512Mi", "1Gi"); write it like "512Mi" (binary suffixes Ki, Mi, Gi, Ti; decimal k, M, G, T)');
  });
  test('negative cpu', () => {
    expectError(make({ resources: { cpu: '-1' } }), /resources.cpu \("-1"\) is not a CPU quantity/);
  });
  test('latest image', () => {
    expectError(make({ image: 'nginx:latest' }), 'shop/api: image ("nginx:latest") uses the mutable "latest" tag, which makes roll-outs unrepeatable (rule SS-K8S-029); pin a version tag (and ideally a digest), or, for a throw-away environment, set allowLatestImage: true and accept rule SS-K8S-029 with a reason: policy.Policy.suppress(<this construct>, \'SS-K8S-029\', \'<why>\')');
  });
  test('tag-less image', () => {
    expectError(make({ image: 'nginx' }), /image \("nginx"\) has no tag and no digest/);
  });
  test('allowLatestImage: the construct accepts latest; the policy still refuses it until SS-K8S-029 is suppressed with a reason, as the error says', () => {
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const latestApp = (suppress: boolean) => {
        const app = new ShipshapeApp({ outdir: tempDir() });
        const api = new WebService(new Chart(app, 'shop', { namespace: 'shop' }), 'api', { image: 'ghcr.io/acme/preview:latest', allowLatestImage: true, profile: EnvironmentProfile.DEVELOPMENT });
        if (suppress) Policy.suppress(api, 'SS-K8S-029', 'a throw-away preview environment follows the latest build');
        return app;
      };
      expect(() => latestApp(false).synth()).toThrow(/ERROR SS-K8S-029/);
      expect(() => latestApp(true).synth()).not.toThrow();
    } finally {
      stderr.mockRestore();
    }
  });
  test('probe path without a leading slash', () => {
    expectError(make({ readiness: Probe.http('readyz') }), 'shop/api: readiness.path ("readyz") must start with \'/\'; write it as "/readyz"');
  });
  test('identical readiness and liveness probes', () => {
    expectError(make({ readiness: Probe.http('/healthz'), liveness: Probe.http('/healthz') }), /liveness \("http 8080 \/healthz"\) is the same check as the readiness probe.*rule SS-K8S-035/);
  });
  test('probe on an undeclared port', () => {
    expectError(make({ readiness: Probe.tcp({ port: 9999 }) }), /readiness.port \(9999\) is not a port the container declares \(8080\)/);
  });
  test('grace period not above the preStop delay', () => {
    expectError(make({ preStopDelaySeconds: 30, terminationGracePeriodSeconds: 30 }), 'shop/api: terminationGracePeriodSeconds (30) must be a whole number larger than preStopDelaySeconds (30), or the pod is killed while draining; raise it to at least 40');
  });
  test('plaintext secret in env', () => {
    expectError(make({ env: { DB_PASSWORD: EnvValue.fromValue('hunter2') } }), /env.DB_PASSWORD \("<redacted>"\) looks like a plaintext secret.*secretMounts/);
  });
  test('root user id', () => {
    expectError(make({ security: { runAsUser: 0 } }), 'shop/api: security.runAsUser (0) must be a positive whole number (0 is root); use 10001 or more, or the id the image\'s files belong to');
    expectError(make({ security: { runAsGroup: 1.5 } }), 'shop/api: security.runAsGroup (1.5) must be a positive whole number (0 is root)');
  });
  test('colliding mounts', () => {
    expectError(make({ secretMounts: [{ secretName: 'a', mountPath: '/tmp' }] }), 'shop/api: secretMounts[0].mountPath ("/tmp") is already mounted by security.writablePaths[0] (a default writable path); mount the volume elsewhere, or set security.writablePaths without that path');
    // a trailing slash names the same directory (the API compares the strings, the runtime mounts one over the other)
    expectError(make({ security: { writablePaths: ['/tmp', '/tmp/'] } }),
      'shop/api: security.writablePaths[1] ("/tmp/") is already mounted by security.writablePaths[0], as "/tmp": the same directory; give each volume its own mount path');
    expectError(make({ configMapMounts: [{ configMapName: 'settings', mountPath: '/etc/app' }], secretMounts: [{ secretName: 'a', mountPath: '/etc/app/' }] }),
      /^shop\/api: (secretMounts\[0\]|configMapMounts\[0\])\.mountPath \("\/etc\/app\/?"\) is already mounted by (configMapMounts|secretMounts)\[0\]\.mountPath, as "\/etc\/app\/?": the same directory; give each volume its own mount path$/);
    // the same path written with a ".." segment is refused as such, not mounted over the writable /tmp
    expectError(make({ secretMounts: [{ secretName: 'a', mountPath: '/etc/../tmp' }] }), 'shop/api: secretMounts[0].mountPath ("/etc/../tmp") has a "." or ".." segment or an empty one ("//"): paths are checked as written, so a path must be the one it means; write it as "/tmp"');
    expectError(make({ security: { writablePaths: ['/var/./cache'] } }), 'shop/api: security.writablePaths[0] ("/var/./cache") has a "." or ".." segment');
  });
  test('allowFrom on a port the service does not listen on', () => {
    const c = chart();
    const api = new WebService(c, 'api', { image: IMAGE });
    expectError(() => api.allowFrom(NetworkPeer.namespace('x'), [9999]), /allowFrom.ports \(9999\) is not a port this workload listens on \(8080\)/);
  });
  test('allowFrom or allowTo naming the Service port is told the container port it forwards to', () => {
    const c = chart();
    const api = new WebService(c, 'api', { image: IMAGE });
    const worker = new Worker(c, 'worker', { image: IMAGE });
    expectError(() => worker.allowTo(api, [80]), 'shop/worker: allowTo.ports (80) is the port of shop/api\'s Service, which forwards it to container port 8080: '
      + 'a NetworkPolicy matches the port the pods listen on; name 8080, or omit ports to allow all of them');
    expectError(() => api.allowFrom(NetworkPeer.namespace('x'), [80]), /allowFrom\.ports \(80\) is the port of this workload's Service, which forwards it to container port 8080/);
  });
});

test('a WebService works in a plain cdk8s App', () => {
  const app = new App({ outdir: tempDir() });
  const c = new Chart(app, 'plain', { namespace: 'plain' });
  new WebService(c, 'api', { image: IMAGE });
  expect(() => app.synthYaml()).not.toThrow();
});
