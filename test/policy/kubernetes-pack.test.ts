import { find, goodManifests, NS, pod, selector } from './fixtures/good';
import { DocumentIndex, KubernetesPack, PolicyEngine, RuleStatus, Severity } from '../../lib/policy';
import { k8sDocument } from '../../lib/policy/runner';

// trusted registries configured, so SS-K8S-032 runs (it reports nothing without a list)
const pack = new KubernetesPack({ trustedRegistries: ['*.dkr.ecr.*.amazonaws.com'] });
const C0 = 'spec.template.spec.containers[0]';
const P = 'spec.template.spec';

function docs(ms: any[]) {
  return ms.map((m, i) => k8sDocument(m, `app/chart/${m.kind}-${m.metadata?.name ?? i}`));
}

function rule(id: string) {
  const r = pack.rules.find(x => x.id === id);
  if (!r) throw new Error(`no rule ${id}`);
  return r;
}

function checkOne(id: string, ms: any[]) {
  return new PolicyEngine({ packs: [{ name: 'one', rules: [rule(id)] }] }).check(docs(ms));
}

const web = (ms: any[]) => find(ms, 'Deployment', 'web');
const c0 = (ms: any[]) => pod(web(ms)).containers[0];
const role = (ms: any[]) => find(ms, 'Role', 'api');

interface Case {
  /** Breaks the rule in a copy of the good output. */
  readonly breakIt: (ms: any[]) => void;
  /** Kind and name of the object the finding is on. */
  readonly on: [string, string];
  /** Expected JSON path of the finding. */
  readonly at: string;
}

const CASES: { [id: string]: Case } = {
  'SS-K8S-001': { breakIt: ms => { c0(ms).securityContext.privileged = true; }, on: ['Deployment', 'web'], at: `${C0}.securityContext.privileged` },
  'SS-K8S-002': { breakIt: ms => { delete c0(ms).securityContext.allowPrivilegeEscalation; }, on: ['Deployment', 'web'], at: `${C0}.securityContext.allowPrivilegeEscalation` },
  'SS-K8S-003': { breakIt: ms => { c0(ms).securityContext.readOnlyRootFilesystem = false; }, on: ['Deployment', 'web'], at: `${C0}.securityContext.readOnlyRootFilesystem` },
  'SS-K8S-004': { breakIt: ms => { delete pod(web(ms)).securityContext.runAsNonRoot; delete c0(ms).securityContext.runAsNonRoot; }, on: ['Deployment', 'web'], at: `${C0}.securityContext.runAsNonRoot` },
  'SS-K8S-005': { breakIt: ms => { c0(ms).securityContext.runAsUser = 1000; }, on: ['Deployment', 'web'], at: `${C0}.securityContext.runAsUser` },
  'SS-K8S-006': { breakIt: ms => { pod(web(ms)).securityContext.fsGroup = 0; }, on: ['Deployment', 'web'], at: `${P}.securityContext.fsGroup` },
  'SS-K8S-007': { breakIt: ms => { c0(ms).securityContext.capabilities.drop = ['NET_RAW']; }, on: ['Deployment', 'web'], at: `${C0}.securityContext.capabilities.drop` },
  'SS-K8S-008': { breakIt: ms => { c0(ms).securityContext.capabilities.add = ['NET_BIND_SERVICE']; }, on: ['Deployment', 'web'], at: `${C0}.securityContext.capabilities.add` },
  'SS-K8S-009': { breakIt: ms => { pod(web(ms)).securityContext.seccompProfile = { type: 'Localhost', localhostProfile: 'x.json' }; }, on: ['Deployment', 'web'], at: `${P}.securityContext.seccompProfile.type` },
  'SS-K8S-010': { breakIt: ms => { pod(web(ms)).hostNetwork = true; }, on: ['Deployment', 'web'], at: `${P}.hostNetwork` },
  'SS-K8S-011': { breakIt: ms => { pod(web(ms)).volumes.push({ name: 'h', hostPath: { path: '/var' } }); }, on: ['Deployment', 'web'], at: `${P}.volumes[1].hostPath` },
  'SS-K8S-012': { breakIt: ms => { c0(ms).ports[0].hostPort = 0; }, on: ['Deployment', 'web'], at: `${C0}.ports[0].hostPort` },
  'SS-K8S-013': { breakIt: ms => { pod(web(ms)).volumes.push({ name: 'n', nfs: { server: 'nfs', path: '/' } }); }, on: ['Deployment', 'web'], at: `${P}.volumes[1].nfs` },
  'SS-K8S-014': { breakIt: ms => { c0(ms).securityContext.procMount = 'Unmasked'; }, on: ['Deployment', 'web'], at: `${C0}.securityContext.procMount` },
  'SS-K8S-015': { breakIt: ms => { pod(web(ms)).securityContext.sysctls = [{ name: 'kernel.msgmax', value: '1' }]; }, on: ['Deployment', 'web'], at: `${P}.securityContext.sysctls[0].name` },
  'SS-K8S-016': { breakIt: ms => { pod(web(ms)).securityContext.seLinuxOptions = { user: 'system_u' }; }, on: ['Deployment', 'web'], at: `${P}.securityContext.seLinuxOptions.user` },
  'SS-K8S-017': { breakIt: ms => { c0(ms).securityContext.appArmorProfile = { type: 'Unconfined' }; }, on: ['Deployment', 'web'], at: `${C0}.securityContext.appArmorProfile.type` },
  'SS-K8S-018': { breakIt: ms => { c0(ms).securityContext.windowsOptions = { hostProcess: true }; }, on: ['Deployment', 'web'], at: `${C0}.securityContext.windowsOptions.hostProcess` },
  'SS-K8S-019': { breakIt: ms => { c0(ms).livenessProbe.httpGet.host = '10.0.0.1'; }, on: ['Deployment', 'web'], at: `${C0}.livenessProbe.httpGet.host` },
  'SS-K8S-020': { breakIt: ms => { delete pod(web(ms)).securityContext; }, on: ['Deployment', 'web'], at: `${P}.securityContext` },
  'SS-K8S-021': { breakIt: ms => { c0(ms).ports[0].containerPort = 80; }, on: ['Deployment', 'web'], at: `${C0}.ports[0].containerPort` },
  'SS-K8S-022': { breakIt: ms => { c0(ms).ports.push({ name: 'ssh', containerPort: 22 }); }, on: ['Deployment', 'web'], at: `${C0}.ports[1].containerPort` },
  'SS-K8S-023': { breakIt: ms => { delete c0(ms).resources.requests.cpu; }, on: ['Deployment', 'web'], at: `${C0}.resources.requests.cpu` },
  'SS-K8S-024': { breakIt: ms => { c0(ms).resources.requests.memory = '0'; }, on: ['Deployment', 'web'], at: `${C0}.resources.requests.memory` },
  'SS-K8S-025': { breakIt: ms => { delete c0(ms).resources.limits.memory; }, on: ['Deployment', 'web'], at: `${C0}.resources.limits.memory` },
  'SS-K8S-026': { breakIt: ms => { delete c0(ms).resources.limits.cpu; }, on: ['Deployment', 'web'], at: `${C0}.resources.limits.cpu` },
  'SS-K8S-027': { breakIt: ms => { delete c0(ms).resources.requests['ephemeral-storage']; }, on: ['Deployment', 'web'], at: `${C0}.resources.requests["ephemeral-storage"]` },
  'SS-K8S-028': { breakIt: ms => { delete pod(find(ms, 'DaemonSet', 'agent')).priorityClassName; }, on: ['DaemonSet', 'agent'], at: `${P}.priorityClassName` },
  'SS-K8S-029': { breakIt: ms => { c0(ms).image = 'nginx:latest'; }, on: ['Deployment', 'web'], at: `${C0}.image` },
  'SS-K8S-030': { breakIt: ms => { c0(ms).image = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1.2'; }, on: ['Deployment', 'web'], at: `${C0}.image` },
  'SS-K8S-031': { breakIt: ms => { c0(ms).imagePullPolicy = 'IfNotPresent'; }, on: ['Deployment', 'web'], at: `${C0}.imagePullPolicy` },
  'SS-K8S-032': { breakIt: ms => { c0(ms).image = 'docker.io/library/nginx:1.25'; }, on: ['Deployment', 'web'], at: `${C0}.image` },
  'SS-K8S-033': { breakIt: ms => { delete c0(ms).readinessProbe; }, on: ['Deployment', 'web'], at: `${C0}.readinessProbe` },
  'SS-K8S-034': { breakIt: ms => { delete c0(ms).livenessProbe; }, on: ['Deployment', 'web'], at: `${C0}.livenessProbe` },
  'SS-K8S-035': { breakIt: ms => { c0(ms).livenessProbe = { httpGet: { path: '/readyz', port: 'http' } }; }, on: ['Deployment', 'web'], at: `${C0}.livenessProbe` },
  'SS-K8S-036': { breakIt: ms => { c0(ms).readinessProbe.httpGet.port = 'metrics'; }, on: ['Deployment', 'web'], at: `${C0}.readinessProbe.httpGet.port` },
  'SS-K8S-037': { breakIt: ms => { web(ms).spec.replicas = 1; }, on: ['Deployment', 'web'], at: 'spec.replicas' },
  'SS-K8S-038': { breakIt: ms => { find(ms, 'Deployment', 'api').spec.replicas = 2; }, on: ['Deployment', 'api'], at: 'spec.replicas' },
  'SS-K8S-039': { breakIt: ms => { delete pod(web(ms)).affinity; }, on: ['Deployment', 'web'], at: `${P}.affinity.podAntiAffinity` },
  'SS-K8S-040': { breakIt: ms => { pod(web(ms)).topologySpreadConstraints[0].whenUnsatisfiable = 'Sometimes'; }, on: ['Deployment', 'web'], at: `${P}.topologySpreadConstraints[0].whenUnsatisfiable` },
  'SS-K8S-041': { breakIt: ms => { ms.splice(ms.indexOf(find(ms, 'PodDisruptionBudget', 'web')), 1); }, on: ['Deployment', 'web'], at: 'spec.template.metadata.labels' },
  'SS-K8S-042': { breakIt: ms => { find(ms, 'PodDisruptionBudget', 'web').spec.maxUnavailable = '0%'; }, on: ['PodDisruptionBudget', 'web'], at: 'spec.maxUnavailable' },
  'SS-K8S-043': { breakIt: ms => { delete find(ms, 'PodDisruptionBudget', 'web').spec.unhealthyPodEvictionPolicy; }, on: ['PodDisruptionBudget', 'web'], at: 'spec.unhealthyPodEvictionPolicy' },
  'SS-K8S-044': { breakIt: ms => { const s = find(ms, 'PodDisruptionBudget', 'api').spec; delete s.maxUnavailable; s.minAvailable = 3; }, on: ['HorizontalPodAutoscaler', 'api'], at: 'spec.minReplicas' },
  'SS-K8S-045': { breakIt: ms => { find(ms, 'HorizontalPodAutoscaler', 'api').spec.minReplicas = 1; }, on: ['HorizontalPodAutoscaler', 'api'], at: 'spec.minReplicas' },
  'SS-K8S-046': { breakIt: ms => { find(ms, 'HorizontalPodAutoscaler', 'api').spec.scaleTargetRef.name = 'ghost'; }, on: ['HorizontalPodAutoscaler', 'api'], at: 'spec.scaleTargetRef' },
  'SS-K8S-047': { breakIt: ms => { web(ms).spec.strategy = { type: 'Recreate' }; }, on: ['Deployment', 'web'], at: 'spec.strategy.type' },
  'SS-K8S-048': { breakIt: ms => { find(ms, 'NetworkPolicy', 'web').spec.egress = []; }, on: ['Deployment', 'web'], at: 'spec.template.metadata.labels' },
  'SS-K8S-049': { breakIt: ms => { find(ms, 'NetworkPolicy', 'web').spec.podSelector = { matchLabels: selector('ghost') }; }, on: ['NetworkPolicy', 'web'], at: 'spec.podSelector' },
  'SS-K8S-050': { breakIt: ms => { find(ms, 'Service', 'web').spec.selector = selector('ghost'); }, on: ['Service', 'web'], at: 'spec.selector' },
  'SS-K8S-051': { breakIt: ms => { find(ms, 'Service', 'web').spec.type = 'NodePort'; }, on: ['Service', 'web'], at: 'spec.type' },
  'SS-K8S-052': { breakIt: ms => { find(ms, 'Service', 'web').spec.externalIPs = ['203.0.113.7']; }, on: ['Service', 'web'], at: 'spec.externalIPs' },
  'SS-K8S-053': { breakIt: ms => { find(ms, 'Service', 'web').spec.ports[0].targetPort = 'Http_Port'; }, on: ['Service', 'web'], at: 'spec.ports[0].targetPort' },
  'SS-K8S-054': { breakIt: ms => { find(ms, 'Ingress', 'web').spec.rules[0].http.paths[0].backend.service.name = 'ghost'; }, on: ['Ingress', 'web'], at: 'spec.rules[0].http.paths[0].backend.service.name' },
  'SS-K8S-055': { breakIt: ms => { delete find(ms, 'Ingress', 'web').spec.tls; }, on: ['Ingress', 'web'], at: 'spec.tls' },
  'SS-K8S-056': { breakIt: ms => { delete find(ms, 'Service', 'db-headless').spec.clusterIP; }, on: ['StatefulSet', 'db'], at: 'spec.serviceName' },
  'SS-K8S-057': { breakIt: ms => { delete pod(web(ms)).automountServiceAccountToken; delete find(ms, 'ServiceAccount', 'web').automountServiceAccountToken; }, on: ['Deployment', 'web'], at: `${P}.automountServiceAccountToken` },
  'SS-K8S-058': { breakIt: ms => { pod(web(ms)).serviceAccountName = 'ghost'; }, on: ['Deployment', 'web'], at: `${P}.serviceAccountName` },
  'SS-K8S-059': { breakIt: ms => { delete find(ms, 'ServiceAccount', 'default').automountServiceAccountToken; }, on: ['ServiceAccount', 'default'], at: 'automountServiceAccountToken' },
  'SS-K8S-060': { breakIt: ms => { pod(web(ms)).serviceAccount = 'web'; }, on: ['Deployment', 'web'], at: `${P}.serviceAccount` },
  'SS-K8S-061': { breakIt: ms => { c0(ms).env.push({ name: 'DB_PASS', valueFrom: { secretKeyRef: { name: 'db', key: 'pass' } } }); }, on: ['Deployment', 'web'], at: `${C0}.env[1].valueFrom.secretKeyRef` },
  'SS-K8S-062': { breakIt: ms => { c0(ms).env.push({ name: 'DB_PASSWORD', value: 'hunter2' }); }, on: ['Deployment', 'web'], at: `${C0}.env[1].value` },
  'SS-K8S-063': { breakIt: ms => { find(ms, 'ConfigMap', 'web').data['db-password'] = 'hunter2'; }, on: ['ConfigMap', 'web'], at: 'data["db-password"]' },
  'SS-K8S-064': { breakIt: ms => { c0(ms).env.push({ name: 'LOG_LEVEL', value: 'debug' }); }, on: ['Deployment', 'web'], at: `${C0}.env[1].name` },
  'SS-K8S-065': { breakIt: ms => { web(ms).metadata.namespace = 'default'; }, on: ['Deployment', 'web'], at: 'metadata.namespace' },
  'SS-K8S-066': { breakIt: ms => { web(ms).spec.selector.matchLabels['app.kubernetes.io/name'] = 'other'; }, on: ['Deployment', 'web'], at: 'spec.selector' },
  'SS-K8S-067': { breakIt: ms => { web(ms).metadata.labels['app.kubernetes.io/instance'] = 'web-1'; }, on: ['Deployment', 'web'], at: 'metadata.labels["app.kubernetes.io/instance"]' },
  'SS-K8S-068': { breakIt: ms => { web(ms).metadata.labels.team = 'checkout team'; }, on: ['Deployment', 'web'], at: 'metadata.labels["team"]' },
  'SS-K8S-069': { breakIt: ms => { web(ms).apiVersion = 'extensions/v1beta1'; }, on: ['Deployment', 'web'], at: 'apiVersion' },
  'SS-K8S-070': { breakIt: ms => { delete find(ms, 'CronJob', 'report').spec.startingDeadlineSeconds; }, on: ['CronJob', 'report'], at: 'spec.startingDeadlineSeconds' },
  'SS-K8S-071': { breakIt: ms => { pod(find(ms, 'CronJob', 'report')).restartPolicy = 'Always'; }, on: ['CronJob', 'report'], at: 'spec.jobTemplate.spec.template.spec.restartPolicy' },
  'SS-K8S-072': { breakIt: ms => { delete find(ms, 'Job', 'migrate').spec.ttlSecondsAfterFinished; }, on: ['Job', 'migrate'], at: 'spec.ttlSecondsAfterFinished' },
  'SS-K8S-073': { breakIt: ms => { find(ms, 'Namespace', NS).metadata.labels['pod-security.kubernetes.io/warn'] = 'baseline'; }, on: ['Namespace', NS], at: 'metadata.labels["pod-security.kubernetes.io/warn"]' },
  'SS-K8S-074': { breakIt: ms => { ms.splice(ms.indexOf(find(ms, 'NetworkPolicy', 'default-deny')), 1); }, on: ['Namespace', NS], at: 'metadata.name' },
  'SS-K8S-075': { breakIt: ms => { delete find(ms, 'ResourceQuota').spec.hard['limits.cpu']; }, on: ['ResourceQuota', 'quota'], at: 'spec.hard["limits.cpu"]' },
  'SS-K8S-076': { breakIt: ms => { delete find(ms, 'LimitRange').spec.limits[0].defaultRequest; }, on: ['LimitRange', 'limits'], at: 'spec.limits[0].defaultRequest' },
  'SS-K8S-077': { breakIt: ms => { role(ms).rules[0].verbs = ['*']; }, on: ['Role', 'api'], at: 'rules[0].verbs' },
  'SS-K8S-078': { breakIt: ms => { find(ms, 'RoleBinding', 'api').roleRef = { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }; }, on: ['RoleBinding', 'api'], at: 'roleRef.name' },
  'SS-K8S-079': { breakIt: ms => { role(ms).rules.push({ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }); }, on: ['Role', 'api'], at: 'rules[1]' },
  'SS-K8S-080': { breakIt: ms => { role(ms).rules[0].resources = ['secrets']; }, on: ['Role', 'api'], at: 'rules[0]' },
  'SS-K8S-081': { breakIt: ms => { role(ms).rules.push({ apiGroups: [''], resources: ['pods'], verbs: ['create'] }); }, on: ['Role', 'api'], at: 'rules[1]' },
  'SS-K8S-082': { breakIt: ms => { role(ms).rules.push({ apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['escalate'] }); }, on: ['Role', 'api'], at: 'rules[1].verbs' },
  'SS-K8S-083': { breakIt: ms => { find(ms, 'RoleBinding', 'api').subjects[0].name = 'default'; }, on: ['RoleBinding', 'api'], at: 'subjects[0].name' },
  'SS-K8S-084': { breakIt: ms => { role(ms).rules.push({ apiGroups: ['admissionregistration.k8s.io'], resources: ['mutatingwebhookconfigurations'], verbs: ['patch'] }); }, on: ['Role', 'api'], at: 'rules[1]' },
  'SS-K8S-085': { breakIt: ms => { find(ms, 'PodDisruptionBudget', 'web').spec.selector = { matchLabels: selector('ghost') }; }, on: ['PodDisruptionBudget', 'web'], at: 'spec.selector' },
  'SS-K8S-086': { breakIt: ms => { c0(ms).envFrom = [{ configMapRef: { name: 'ghost' } }]; }, on: ['Deployment', 'web'], at: `${C0}.envFrom[0].configMapRef.name` },
  'SS-K8S-087': { breakIt: ms => { pod(web(ms)).priorityClassName = 'ghost'; }, on: ['Deployment', 'web'], at: `${P}.priorityClassName` },
  'SS-K8S-088': { breakIt: ms => { find(ms, 'RoleBinding', 'api').subjects[0] = { kind: 'Group', name: 'system:authenticated', apiGroup: 'rbac.authorization.k8s.io' }; }, on: ['RoleBinding', 'api'], at: 'subjects[0].name' },
  'SS-K8S-089': { breakIt: ms => { find(ms, 'ConfigMap', 'web').metadata.name = 'Web_Config'; }, on: ['ConfigMap', 'Web_Config'], at: 'metadata.name' },
  'SS-K8S-091': { breakIt: ms => { c0(ms).volumeMounts.push({ name: 'cache', mountPath: '/cache' }); }, on: ['Deployment', 'web'], at: `${C0}.volumeMounts[1].name` },
  'SS-K8S-090': { breakIt: ms => { find(ms, 'ConfigMap', 'web').data = { DEBUG: true }; }, on: ['ConfigMap', 'web'], at: 'data["DEBUG"]' },
  'SS-K8S-092': {
    breakIt: ms => {
      ms.push({ apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'api', namespace: NS }, spec: { scaleTargetRef: { name: 'api' }, triggers: [{ type: 'cpu', metricType: 'Utilization', metadata: { value: '70' } }] } });
    },
    on: ['Deployment', 'api'],
    at: 'metadata.name',
  },
  'SS-K8S-093': { breakIt: ms => { find(ms, 'HTTPRoute', 'storefront').spec.parentRefs[0].sectionName = 'http'; }, on: ['HTTPRoute', 'storefront'], at: 'spec.parentRefs[0].sectionName' },
  'SS-K8S-094': { breakIt: ms => { find(ms, 'HorizontalPodAutoscaler', 'api').spec.maxReplicas = 1; }, on: ['HorizontalPodAutoscaler', 'api'], at: 'spec.maxReplicas' },
  'SS-K8S-095': { breakIt: ms => { delete find(ms, 'Ingress', 'web').spec.rules[0].http.paths[0].pathType; }, on: ['Ingress', 'web'], at: 'spec.rules[0].http.paths[0].pathType' },
  'SS-K8S-096': { breakIt: ms => { find(ms, 'CronJob', 'report').spec.schedule = '61 * * * *'; }, on: ['CronJob', 'report'], at: 'spec.schedule' },
  'SS-K8S-097': { breakIt: ms => { c0(ms).resources.requests.memory = '512Mi'; }, on: ['Deployment', 'web'], at: `${C0}.resources.requests.memory` },
  'SS-K8S-098': { breakIt: ms => { web(ms).spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } }; }, on: ['Deployment', 'web'], at: 'spec.strategy.rollingUpdate' },
  'SS-K8S-099': { breakIt: ms => { web(ms).spec.selector.matchExpressions = [{ key: 'tier', operator: 'Exists', values: ['web'] }]; }, on: ['Deployment', 'web'], at: 'spec.selector.matchExpressions[0].values' },
  'SS-K8S-100': { breakIt: ms => { c0(ms).livenessProbe.periodSeconds = '10'; }, on: ['Deployment', 'web'], at: `${C0}.livenessProbe.periodSeconds` },
  'SS-K8S-101': { breakIt: ms => { role(ms).rules.push({ apiGroups: [''], resources: ['configmaps'] }); }, on: ['Role', 'api'], at: 'rules[1].verbs' },
  'SS-K8S-102': { breakIt: ms => { find(ms, 'HTTPRoute', 'storefront').spec.rules[0].backendRefs[0].port = 8080; }, on: ['HTTPRoute', 'storefront'], at: 'spec.rules[0].backendRefs[0].port' },
};

test('every rule of the pack has a case, ids are unique and stable', () => {
  const ids = pack.rules.map(r => r.id);
  expect(new Set(ids).size).toBe(ids.length);
  expect(ids.sort()).toEqual(Object.keys(CASES).sort());
  for (const r of pack.rules) {
    expect(r.id).toMatch(/^SS-K8S-\d{3}$/);
    expect([Severity.ERROR, Severity.WARNING]).toContain(r.severity);
    expect(r.message.length).toBeGreaterThan(10);
    expect(r.fix.length).toBeGreaterThan(10);
  }
});

test('the good output has no finding from the whole pack', () => {
  const report = new PolicyEngine({ packs: [pack] }).check(docs(goodManifests()));
  expect(report.findings.map(f => `${f.ruleId} ${f.kind}/${f.name} ${f.jsonPath}: ${f.message}`)).toEqual([]);
});

describe.each(Object.keys(CASES).sort())('%s', (id) => {
  test('compliant', () => {
    const ms = goodManifests();
    const ds = docs(ms);
    const index = new DocumentIndex(ds);
    const r = rule(id);
    const statuses = ds.filter(d => r.kinds === undefined || r.kinds.includes(d.kind)).map(d => r.evaluate(d, index).status);
    // the rule really looked at something, and found it compliant
    expect(statuses).toContain(RuleStatus.COMPLIANT);
    expect(statuses).not.toContain(RuleStatus.NON_COMPLIANT);
  });

  test('non-compliant', () => {
    const c = CASES[id];
    const ms = goodManifests();
    c.breakIt(ms);
    const report = checkOne(id, ms);
    const hits = report.findings.filter(f => f.ruleId === id);
    expect(hits.map(f => `${f.kind}/${f.name} ${f.jsonPath}`)).toContain(`${c.on[0]}/${c.on[1]} ${c.at}`);
    expect(hits[0].severity).toBe(rule(id).severity);
    expect(hits[0].fix).toBe(rule(id).fix);
  });
});

describe('SS-K8S-055: TLS for Ingresses and HTTPRoutes', () => {
  const messages = (ms: any[]) => checkOne('SS-K8S-055', ms).findings.map(f => `${f.kind}/${f.name} ${f.jsonPath}: ${f.message}`);
  const route = (parentRef: any, rules: any[] = [{ backendRefs: [{ name: 'web', port: 80 }] }]) => ({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'web', namespace: NS },
    spec: { parentRefs: [parentRef], hostnames: ['shop.example.com'], rules },
  });
  const gateway = (listeners: any[], namespace = 'infra') => ({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name: 'public', namespace },
    spec: { gatewayClassName: 'alb', listeners },
  });
  const HTTP = { name: 'http', protocol: 'HTTP', port: 80, allowedRoutes: { namespaces: { from: 'All' } } };
  const HTTPS = { name: 'https', protocol: 'HTTPS', port: 443, allowedRoutes: { namespaces: { from: 'All' } }, tls: { certificateRefs: [{ name: 'shop-tls' }] } };
  const noIngress = () => goodManifests().filter(m => m.kind !== 'Ingress');

  test('an Ingress without TLS keeps its message', () => {
    const ms = goodManifests();
    delete find(ms, 'Ingress', 'web').spec.tls;
    expect(messages(ms)).toEqual(['Ingress/web spec.tls: Ingress has no TLS']);
  });

  test('a route naming no listener of a Gateway outside the output (HttpRoute with plainHttp: true) is reported', () => {
    const ms = [...noIngress(), route({ name: 'public', namespace: 'infra' })];
    expect(messages(ms)).toEqual(['HTTPRoute/web spec.parentRefs[0]: HTTPRoute names no listener (sectionName) of Gateway infra/public, '
      + 'so it attaches to every listener of it, plain-HTTP ones included']);
  });

  test('a route naming the HTTPS listener, or a port, of a Gateway outside the output is not', () => {
    expect(messages([...noIngress(), route({ name: 'public', namespace: 'infra', sectionName: 'https' })])).toEqual([]);
    expect(messages([...noIngress(), route({ name: 'public', namespace: 'infra', port: 443 })])).toEqual([]);
  });

  test('with the Gateway in the output, its listeners decide', () => {
    const gw = gateway([HTTP, HTTPS]);
    expect(messages([...noIngress(), gw, route({ name: 'public', namespace: 'infra' })])).toEqual([
      'HTTPRoute/web spec.parentRefs[0]: HTTPRoute names no listener (sectionName) of Gateway infra/public, so it attaches to its plain-HTTP listener "http" too',
    ]);
    expect(messages([...noIngress(), gw, route({ name: 'public', namespace: 'infra', sectionName: 'http' })])).toEqual([
      'HTTPRoute/web spec.parentRefs[0].sectionName: HTTPRoute attaches to the plain-HTTP listener "http" of Gateway infra/public',
    ]);
    expect(messages([...noIngress(), gw, route({ name: 'public', namespace: 'infra', port: 80 })])).toEqual([
      'HTTPRoute/web spec.parentRefs[0].port: HTTPRoute attaches by port 80 to the plain-HTTP listener "http" of Gateway infra/public',
    ]);
    expect(messages([...noIngress(), gw, route({ name: 'public', namespace: 'infra', sectionName: 'https' })])).toEqual([]);
    // an HTTPS-only Gateway, and a plain-HTTP listener that admits only routes of its own namespace (allowedRoutes' default)
    expect(messages([...noIngress(), gateway([HTTPS]), route({ name: 'public', namespace: 'infra' })])).toEqual([]);
    const sameNs = { name: 'http', protocol: 'HTTP', port: 80 };
    expect(messages([...noIngress(), gateway([sameNs, HTTPS]), route({ name: 'public', namespace: 'infra' })])).toEqual([]);
    expect(messages([...noIngress(), gateway([sameNs, HTTPS], NS), route({ name: 'public' })])).toEqual([
      `HTTPRoute/web spec.parentRefs[0]: HTTPRoute names no listener (sectionName) of Gateway ${NS}/public, so it attaches to its plain-HTTP listener "http" too`,
    ]);
  });

  test('a route that only redirects to https, and a mesh route (parentRef to a Service), are not reported', () => {
    const redirect = [{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }];
    expect(messages([...noIngress(), gateway([HTTP, HTTPS]), route({ name: 'public', namespace: 'infra', sectionName: 'http' }, redirect)])).toEqual([]);
    expect(messages([...noIngress(), route({ group: '', kind: 'Service', name: 'web' })])).toEqual([]);
  });
});

describe('SS-K8S-073: Namespace enforces, audits and warns restricted', () => {
  test('the message names each mode that falls short and its value', () => {
    const ms = goodManifests();
    const labels = find(ms, 'Namespace', NS).metadata.labels;
    delete labels['pod-security.kubernetes.io/enforce'];
    labels['pod-security.kubernetes.io/warn'] = 'baseline';
    expect(checkOne('SS-K8S-073', ms).findings.map(f => `${f.jsonPath}: ${f.message}`)).toEqual([
      'metadata.labels["pod-security.kubernetes.io/enforce"]: Namespace does not enforce the restricted Pod Security level, and does not warn at it: '
        + 'enforce is unset, warn is "baseline"',
    ]);
  });
});

describe('SS-K8S-092: one autoscaler per workload', () => {
  const messages = (ms: any[]) => checkOne('SS-K8S-092', ms).findings.map(f => `${f.kind}/${f.name}: ${f.message}`);
  const hpa = (name: string, target: string) => ({
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name, namespace: NS },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target }, minReplicas: 2, maxReplicas: 5 },
  });

  test('two HPAs on one Deployment are named', () => {
    const ms = goodManifests();
    ms.push(hpa('api-queue', 'api'));
    expect(messages(ms)).toEqual(['Deployment/api: 2 autoscalers scale Deployment api: HorizontalPodAutoscaler api, HorizontalPodAutoscaler api-queue; they would fight over its replica count']);
  });

  test('one HPA held twice (two outputs in one input) is one autoscaler; a second name is a second one', () => {
    const ms = goodManifests();
    ms.push(JSON.parse(JSON.stringify(find(ms, 'HorizontalPodAutoscaler', 'api'))));
    expect(messages(ms)).toEqual([]);
    ms.push(hpa('api-queue', 'api'));
    expect(messages(ms)).toEqual(['Deployment/api: 2 autoscalers scale Deployment api: HorizontalPodAutoscaler api, HorizontalPodAutoscaler api-queue; they would fight over its replica count']);
  });

  test('the HPA a ScaledObject made (owned by it, as in a cluster export) is not a second autoscaler', () => {
    const ms = goodManifests();
    ms.push({ apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'web', namespace: NS }, spec: { scaleTargetRef: { name: 'web' }, triggers: [] } });
    const made = hpa('keda-hpa-web', 'web');
    made.metadata = { ...made.metadata, ownerReferences: [{ apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', name: 'web', uid: 'u-1' }] } as any;
    ms.push(made);
    expect(messages(ms)).toEqual([]);
  });

  test('an HPA and a ScaledObject of another workload, or of a StatefulSet of the same name, are not counted', () => {
    const ms = goodManifests();
    ms.push(hpa('other', 'web'));
    ms.push({ apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'api-sts', namespace: NS }, spec: { scaleTargetRef: { kind: 'StatefulSet', name: 'api' }, triggers: [] } });
    ms.push({ apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'api-elsewhere', namespace: 'other' }, spec: { scaleTargetRef: { name: 'api' }, triggers: [] } });
    expect(messages(ms)).toEqual([]);
  });
});

describe('KubernetesPack options are checked as the command line checks them', () => {
  test('an exclude id in another case is refused, with the id meant', () => {
    expect(() => new KubernetesPack({ exclude: ['ss-k8s-031'] })).toThrow('KubernetesPack: exclude ("ss-k8s-031") is not a rule of the Kubernetes pack (SS-K8S-001 … SS-K8S-102); '
      + 'list the ids as the policy report shows them (did you mean SS-K8S-031?)');
  });

  test('an id far from every rule gets no suggestion', () => {
    expect(() => new KubernetesPack({ exclude: ['ACME-001'] })).toThrow(/^KubernetesPack: exclude \("ACME-001"\) is not a rule of the Kubernetes pack \(SS-K8S-001 … SS-K8S-102\); list the ids as the policy report shows them$/);
  });

  test('an engine finding cannot be left out of a pack; the error says what can be done instead', () => {
    expect(() => new KubernetesPack({ exclude: ['SS-POLICY-001'] })).toThrow('the policy engine\'s own findings (SS-POLICY-*) belong to no pack and cannot be left out; '
      + 'nor suppressed: it reports a suppression that silences nothing: remove that suppression instead');
    expect(() => new KubernetesPack({ exclude: ['SS-POLICY-005'] })).toThrow('cannot be left out; nor suppressed: it reports the input as a whole, and synth refuses the same output '
      + 'as an error: fix the output (shipshape check --exclude leaves the warning out of a run over several clusters\' outputs)');
    expect(() => new KubernetesPack({ exclude: ['SS-POLICY-009'] })).toThrow('cannot be left out; suppress SS-POLICY-009 on the object it is about, with a reason, where the cluster exempts its pods from Pod Security');
  });

  test('an empty trustedRegistries list is no list: SS-K8S-032 reports nothing, as shipshape check reads the recorded options', () => {
    const m = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'w', namespace: 'shop' }, spec: { template: { spec: { containers: [{ name: 'app', image: 'ghcr.io/acme/api:1.0.0' }] } } } };
    const report = (p: KubernetesPack) => new PolicyEngine({ packs: [p] }).check([k8sDocument(m, 'app/w')]).findings.filter(f => f.ruleId === 'SS-K8S-032');
    expect(report(new KubernetesPack({ trustedRegistries: [] }))).toEqual([]);
    expect(report(new KubernetesPack({ trustedRegistries: ['registry.k8s.io'] })).map(f => f.jsonPath)).toEqual(['spec.template.spec.containers[0].image']);
  });

  test('a trusted registry with a path is refused: images are matched by host', () => {
    expect(() => new KubernetesPack({ trustedRegistries: ['ghcr.io/acme'] })).toThrow('KubernetesPack: trustedRegistries ("ghcr.io/acme") is not a registry host pattern '
      + '(images are matched by their registry host only: letters, digits, ".", "-", ":" and "*", no path); use for example ghcr.io, registry.k8s.io or *.dkr.ecr.*.amazonaws.com');
  });

  test('valid options are kept', () => {
    expect(new KubernetesPack({ exclude: ['SS-K8S-031'], trustedRegistries: ['*.dkr.ecr.*.amazonaws.com', 'localhost:5000'] }).rules.map(r => r.id)).not.toContain('SS-K8S-031');
  });
});
