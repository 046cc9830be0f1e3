import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, Chart } from 'cdk8s';
import * as YAML from 'yaml';
import { cluster, errorOf, IMAGE, outdir, quietly } from './fixtures';
import { App, ConcurrencyPolicy, HostAccess, HttpIngress, IngressTls, KubernetesTarget, KubernetesVersion, NetworkPeer, NodeAgent, Replicas, Schedule, ScheduledJob, Probe, StatefulService, WebService, Worker, WorkerScaling } from '../../../lib/k8s';
import { IstioMesh, LinkerdMesh } from '../../../lib/k8s/mesh';
import { TeamNamespace, TeamNamespaceProps, TeamPermissions } from '../../../lib/k8s/platform';
import { KubernetesPack, PolicyEngine } from '../../../lib/policy';
import { expectError } from '../../util/k8s';
import { expectValid } from '../../util/schema';

function setup(props: Partial<TeamNamespaceProps> = {}, withCluster = true) {
  const app = new App(withCluster ? { cluster: cluster() } : {});
  const platform = new Chart(app, 'platform');
  const team = new TeamNamespace(platform, 'shop', { team: 'shop', group: 'team-shop', ...props });
  const chart = new Chart(app, 'shop', { namespace: team.namespace });
  return { app, platform, team, chart };
}

function objects(app: App): any[] {
  return quietly(() => {
    const text = app.synthYaml();
    return YAML.parseAllDocuments(text).map((d: any) => d.toJS()).filter(Boolean);
  });
}

function find(docs: any[], kind: string, name?: string): any {
  const d = docs.find(x => x.kind === kind && (name === undefined || x.metadata.name === name));
  if (!d) throw new Error(`no ${kind} ${name ?? ''}`);
  return d;
}

describe('TeamNamespace defaults', () => {
  test('the Namespace enforces, warns and audits restricted, pinned to the cluster version, and carries the team label', () => {
    const docs = objects(setup().app);
    const ns = find(docs, 'Namespace', 'shop');
    expect(ns.metadata.labels).toEqual(expect.objectContaining({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'v1.33',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/warn-version': 'v1.33',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/audit-version': 'v1.33',
      'shipshape.io/team': 'shop',
    }));
    expect(ns.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-1');
  });

  test('without a known cluster the Pod Security version is "latest" and a note says how to pin it', () => {
    const { app, team } = setup({}, false);
    const ns = find(objects(app), 'Namespace', 'shop');
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce-version']).toBe('latest');
    expect(team.node.metadata.map(m => m.data)).toEqual([expect.stringContaining('give k8s.App its cluster, or set the Kubernetes target (KubernetesTarget.set), to pin them')]);
  });

  test('a team namespace whose Ingress sends ALB traffic to pod ips takes the controller\'s readiness gate; one without does not', () => {
    const { app, team, chart } = setup();
    const api = new WebService(chart, 'api', { image: IMAGE });
    new HttpIngress(chart, 'www', { rules: [{ host: 'shop.example.com', paths: [{ backend: api }] }], tls: IngressTls.acm('arn:aws:acm:eu-west-1:123456789012:certificate/abc') });
    expect(find(objects(app), 'Namespace', team.namespace).metadata.labels['elbv2.k8s.aws/pod-readiness-gate-inject']).toBe('enabled');
    const other = setup();
    new WebService(other.chart, 'api', { image: IMAGE });
    expect(find(objects(other.app), 'Namespace', other.team.namespace).metadata.labels['elbv2.k8s.aws/pod-readiness-gate-inject']).toBeUndefined();
  });

  test('without a cluster, the Kubernetes target set for the app pins the Pod Security version', () => {
    const app = new App();
    KubernetesTarget.set(app, KubernetesVersion.V1_30);
    const team = new TeamNamespace(new Chart(app, 'platform'), 'shop', { team: 'shop', group: 'team-shop' });
    const labels = find(objects(app), 'Namespace', 'shop').metadata.labels;
    expect([labels['pod-security.kubernetes.io/enforce-version'], labels['pod-security.kubernetes.io/warn-version']]).toEqual(['v1.30', 'v1.30']);
    expect(team.node.metadata).toEqual([]);
  });

  test('a cluster version written v1.30 or 1.30.2 is refused with the minor version meant; 1.30 gives Pod Security labels v1.30', () => {
    for (const kubernetesVersion of ['v1.30', '1.30.2']) {
      expect(() => new App({ cluster: { ...cluster(), kubernetesVersion } })).toThrow(`<app>: cluster.kubernetesVersion ("${kubernetesVersion}") must be a Kubernetes minor version`);
    }
    const app = new App({ cluster: { ...cluster(), kubernetesVersion: '1.30' } });
    new TeamNamespace(new Chart(app, 'platform'), 'shop', { team: 'shop', group: 'team-shop' });
    const all = objects(app).filter(o => o.kind === 'Namespace');
    for (const ns of all) expect(ns.metadata.labels['pod-security.kubernetes.io/enforce-version']).toBe('v1.30');
  });

  test('the namespace defaults to the team name and can be named', () => {
    expect(setup().team.namespace).toBe('shop');
    expect(setup({ namespace: 'shop-prod' }).team.namespace).toBe('shop-prod');
  });

  test('ResourceQuota: requests, limits, pods, claims, storage, no load balancer, no node port', () => {
    const q = find(objects(setup().app), 'ResourceQuota');
    expect(q.metadata).toEqual(expect.objectContaining({ name: 'shop-quota', namespace: 'shop' }));
    expect(q.spec.hard).toEqual({
      'requests.cpu': '8',
      'requests.memory': '16Gi',
      'limits.cpu': '32',
      'limits.memory': '16Gi',
      'pods': '100',
      'persistentvolumeclaims': '20',
      'requests.storage': '500Gi',
      'services.loadbalancers': '0',
      'services.nodeports': '0',
    });
  });

  test('ResourceQuota values can be set', () => {
    const q = find(objects(setup({ quota: { requestsCpu: '20', pods: 40, loadBalancers: 1 } }).app), 'ResourceQuota');
    expect(q.spec.hard).toEqual(expect.objectContaining({ 'requests.cpu': '20', 'pods': '40', 'services.loadbalancers': '1' }));
  });

  test('LimitRange: container defaults, maximum and minimum', () => {
    const l = find(objects(setup().app), 'LimitRange');
    expect(l.spec.limits).toEqual([{
      type: 'Container',
      default: { cpu: '1', memory: '256Mi' },
      defaultRequest: { cpu: '100m', memory: '256Mi' },
      max: { cpu: '4', memory: '8Gi' },
      min: { cpu: '10m', memory: '16Mi' },
    }]);
  });

  test('default deny in both directions, and DNS egress to kube-dns on 53 UDP and TCP', () => {
    const docs = objects(setup().app);
    expect(find(docs, 'NetworkPolicy', 'shop-default-deny').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(find(docs, 'NetworkPolicy', 'shop-allow-dns').spec).toEqual({
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
      }],
    });
  });

  test('RBAC: the group is bound to a namespace-scoped Role; nothing cluster-wide by default', () => {
    const docs = objects(setup().app);
    const binding = find(docs, 'RoleBinding');
    expect(binding.metadata.namespace).toBe('shop');
    expect(binding.subjects).toEqual([{ kind: 'Group', name: 'team-shop', apiGroup: 'rbac.authorization.k8s.io' }]);
    expect(binding.roleRef).toEqual({ kind: 'Role', name: 'shop-operate', apiGroup: 'rbac.authorization.k8s.io' });
    expect(find(docs, 'Role', 'shop-operate').metadata.namespace).toBe('shop');
    expect(docs.filter(d => d.kind === 'ClusterRoleBinding' || d.kind === 'ClusterRole')).toEqual([]);
  });

  test('clusterView binds the group to view cluster-wide, and to nothing wider', () => {
    const crb = find(objects(setup({ clusterView: true }).app), 'ClusterRoleBinding');
    expect(crb.metadata.name).toBe('team-shop-view');
    expect(crb.roleRef).toEqual({ kind: 'ClusterRole', name: 'view', apiGroup: 'rbac.authorization.k8s.io' });
  });

  test.each([TeamPermissions.VIEW, TeamPermissions.OPERATE, TeamPermissions.EDIT])('permissions %s: no Secrets, exec, attach, wildcard, RBAC or guard-rail writes', (level) => {
    const role = find(objects(setup({ permissions: level }).app), 'Role');
    const granted = (resource: string, verb: string) => role.rules.some((r: any) => r.resources.includes(resource) && r.verbs.includes(verb));
    for (const r of role.rules) {
      expect(r.apiGroups).not.toContain('*');
      expect(r.resources).not.toContain('*');
      expect(r.verbs).not.toContain('*');
      expect(r.resources).not.toEqual(expect.arrayContaining(['secrets']));
      expect(r.resources).not.toEqual(expect.arrayContaining(['pods/exec']));
      expect(r.resources).not.toEqual(expect.arrayContaining(['pods/attach']));
      expect(r.apiGroups).not.toContain('rbac.authorization.k8s.io');
    }
    for (const rail of ['resourcequotas', 'limitranges', 'networkpolicies']) expect(granted(rail, 'update') || granted(rail, 'delete') || granted(rail, 'create')).toBe(false);
    expect(granted('pods', 'create')).toBe(false);
    expect(granted('pods', 'get')).toBe(true);
    expect(granted('pods', 'delete')).toBe(level !== TeamPermissions.VIEW);
    expect(granted('deployments/scale', 'update')).toBe(level !== TeamPermissions.VIEW);
    expect(granted('deployments', 'create')).toBe(level === TeamPermissions.EDIT);
  });

  test('the objects are schema-valid and pass the namespace rules of the policy pack without a finding', () => {
    const docs = objects(setup({ clusterView: true }).app);
    expectValid(docs);
    const report = new PolicyEngine({ packs: [new KubernetesPack()] })
      .check(docs.map((m, i) => ({ kind: m.kind, manifest: m, path: `doc#${i}`, name: m.metadata?.name, namespace: m.metadata?.namespace })));
    expect(report.findings.map(f => `${f.ruleId} ${f.kind}/${f.name}: ${f.message}`)).toEqual([]);
  });

  test('accessEntry: the principal mapped into the group, scoped to the namespace, for the AWS side', () => {
    const { team } = setup({ access: { principalArn: 'arn:aws:iam::123456789012:role/team-shop' } });
    expect(team.accessEntry).toEqual({
      cluster: 'shop-prod',
      clusterName: 'shop-prod',
      team: 'shop',
      principalArn: 'arn:aws:iam::123456789012:role/team-shop',
      kubernetesGroups: ['team-shop'],
      namespaces: ['shop'],
    });
    expect(setup({ access: { principalArn: 'arn:aws:iam::123456789012:role/team-shop', accessPolicy: 'AmazonEKSViewPolicy' } }).team.accessEntry?.accessPolicy).toBe('AmazonEKSViewPolicy');
    expect(setup().team.accessEntry).toBeUndefined();
  });

  test('brand check', () => {
    expect(TeamNamespace.isTeamNamespace(setup().team)).toBe(true);
    expect(TeamNamespace.isTeamNamespace({})).toBe(false);
  });
});

/** The (kind, name) of every document of the folder's YAML files, in the order kubectl apply -f reads them (files by name). */
function applyOrder(dir: string): string[] {
  return fs.readdirSync(dir).filter(f => f.endsWith('.yaml')).sort()
    .flatMap(f => YAML.parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf-8')).map((d: any) => d.toJS()).filter(Boolean).map((d: any) => `${f}: ${d.kind}/${d.metadata.name}`));
}

describe('the team namespace comes before what runs in it (kubectl apply -f reads files by name)', () => {
  /** The index of the first entry naming `what`. */
  const at = (order: string[], what: string) => order.findIndex(e => e.endsWith(what));

  test('a team chart created before the chart holding its TeamNamespace depends on that chart, with a cluster', () => {
    const dir = outdir();
    const app = new App({ cluster: cluster(), outdir: dir });
    const shop = new Chart(app, 'shop', { namespace: 'shop' });
    const platform = new Chart(app, 'platform');
    new TeamNamespace(platform, 'shop', { team: 'shop', group: 'team-shop' });
    new WebService(shop, 'web', { image: IMAGE });
    quietly(() => app.synth());
    const order = applyOrder(dir);
    expect(order.filter(e => e.includes('Namespace/shop'))).toEqual(['0001-platform.k8s.yaml: Namespace/shop']);
    expect(at(order, 'Deployment/web')).toBeGreaterThan(at(order, 'Namespace/shop'));
    expect(fs.readdirSync(dir).filter(f => f.endsWith('.yaml')).sort()).toEqual(['0000-cluster-resources.k8s.yaml', '0001-platform.k8s.yaml', '0002-shop.k8s.yaml']);
  });

  test('without a cluster too: the files are then numbered, the Namespace\'s chart first', () => {
    const dir = outdir();
    const app = new App({ outdir: dir });
    const shop = new Chart(app, 'shop', { namespace: 'shop' });
    const platform = new Chart(app, 'zz-platform');
    new TeamNamespace(platform, 'shop', { team: 'shop', group: 'team-shop' });
    new WebService(shop, 'web', { image: IMAGE });
    quietly(() => app.synth());
    expect(fs.readdirSync(dir).filter(f => f.endsWith('.yaml')).sort()).toEqual(['0000-zz-platform.k8s.yaml', '0001-shop.k8s.yaml']);
    const order = applyOrder(dir);
    expect(at(order, 'Deployment/web')).toBeGreaterThan(at(order, 'Namespace/shop'));
  });

  test('in one chart, the Namespace comes before the objects created before it; a Namespace of the program\'s own too', () => {
    const app = new App({ cluster: cluster() });
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    new WebService(chart, 'web', { image: IMAGE });
    new TeamNamespace(chart, 'team', { team: 'shop', group: 'team-shop' });
    const kinds = objects(app).filter(d => d.metadata.namespace === 'shop' || d.kind === 'Namespace').map(d => `${d.kind}/${d.metadata.name}`);
    expect(kinds[0]).toBe('Namespace/shop');

    const own = new App();
    const c = new Chart(own, 'c');
    new ApiObject(c, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'tools' }, data: { a: 'b' } });
    new ApiObject(c, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'tools' } });
    expect(objects(own).map(d => d.kind)).toEqual(['Namespace', 'ConfigMap']);
  });

  test('an order the program fixed the other way (the Namespace\'s chart depending on the team chart) is kept, not a cycle', () => {
    const dir = outdir();
    const app = new App({ outdir: dir });
    const shop = new Chart(app, 'shop', { namespace: 'shop' });
    const platform = new Chart(app, 'platform');
    new TeamNamespace(platform, 'shop', { team: 'shop', group: 'team-shop' });
    new WebService(shop, 'web', { image: IMAGE });
    platform.addDependency(shop);
    quietly(() => app.synth());
    expect(fs.readdirSync(dir).filter(f => f.endsWith('.yaml')).sort()).toEqual(['0000-shop.k8s.yaml', '0001-platform.k8s.yaml']);
  });
});

describe('TeamNamespace validation', () => {
  test('a TeamNamespace outside any chart is refused with its construct path and the fix', () => {
    const app = new App();
    expectError(() => new TeamNamespace(app, 'shop', { team: 'shop', group: 'team-shop' }),
      'shop: scope ("<root>") is in no cdk8s Chart: every Kubernetes object belongs to a chart, which names its file and default namespace; '
      + "create it in a chart: new Chart(app, 'shop', { namespace: 'shop' }), then new TeamNamespace(chart, 'shop', ...)");
  });

  test('a system group is refused', () => {
    expectError(() => setup({ group: 'system:authenticated' }), /platform\/shop: group \("system:authenticated"\) must not be a Kubernetes or EKS system group/);
  });

  test('a second TeamNamespace of the same namespace in one app is refused once, naming the first', () => {
    const { platform } = setup();
    expectError(() => new TeamNamespace(platform, 'shop-again', { team: 'shop', group: 'team-shop' }),
      'platform/shop-again: namespace ("shop") is also the namespace of TeamNamespace platform/shop (team shop): it and this TeamNamespace (team shop) would both '
      + 'write Namespace shop and its guard rails; declare namespace shop once: give one of them a namespace of its own (namespace), or drop one');
    // another app (another cluster) may have the same team
    expect(() => setup()).not.toThrow();
  });

  test('a shared namespace is refused', () => {
    expectError(() => setup({ namespace: 'kube-system' }), 'platform/shop: namespace ("kube-system") is a namespace every cluster has and shares; a team gets a namespace of its own; '
      + 'set namespace to one of its own, for example "shop"');
    // a team named after one: the example is not the refused name again
    expectError(() => setup({ team: 'default' }), 'platform/shop: namespace ("default") is a namespace every cluster has and shares; a team gets a namespace of its own; '
      + 'name the team otherwise, or set namespace to one of its own, for example "team-default"');
  });

  test('a namespace with the prefix kube- is refused: Kubernetes keeps it for its system namespaces', () => {
    expectError(() => setup({ namespace: 'kube-shop' }), 'platform/shop: namespace ("kube-shop") starts with "kube-", which Kubernetes keeps for its own system namespaces '
      + '(tools and policies treat such namespaces as the cluster\'s); set namespace to a name without the prefix, for example "shop"');
    expectError(() => setup({ team: 'kube-team' }), 'platform/shop: namespace ("kube-team") starts with "kube-"');
  });

  test('an access principal that is not an IAM ARN is refused', () => {
    expectError(() => setup({ access: { principalArn: 'team-shop' } }), /platform\/shop: access.principalArn \("team-shop"\) must be an IAM role or user ARN/);
  });

  test('a cluster-admin access policy is refused', () => {
    expectError(() => setup({ access: { principalArn: 'arn:aws:iam::123456789012:role/x', accessPolicy: 'AmazonEKSClusterAdminPolicy' } }),
      /access.accessPolicy \("AmazonEKSClusterAdminPolicy"\) must be a namespace-scoped EKS access policy .* never cluster-admin/);
  });

  test('an edit or admin access policy is refused: EKS would grant it on top of the team\'s RBAC', () => {
    expectError(() => setup({ access: { principalArn: 'arn:aws:iam::123456789012:role/x', accessPolicy: 'AmazonEKSAdminPolicy' } }),
      'platform/shop: access.accessPolicy ("AmazonEKSAdminPolicy") grants more than the team\'s permissions allow: EKS adds it to RBAC, and it reads the namespace\'s Secrets '
      + 'and changes its NetworkPolicies (the default deny) and its RBAC, which no TeamPermissions grants; give the team more with permissions (TeamPermissions.EDIT), '
      + 'and leave accessPolicy out or use AmazonEKSViewPolicy');
    expectError(() => setup({ access: { principalArn: 'arn:aws:iam::123456789012:role/x', accessPolicy: 'AmazonEKSEditPolicy' } }), /access.accessPolicy \("AmazonEKSEditPolicy"\) grants more than/);
    expect(() => setup({ access: { principalArn: 'arn:aws:iam::123456789012:role/x', accessPolicy: 'AmazonEKSViewPolicy' } })).not.toThrow();
  });

  test('an access entry needs the cluster', () => {
    const { team } = setup({ access: { principalArn: 'arn:aws:iam::123456789012:role/x' } }, false);
    expectError(() => team.accessEntry, /platform\/shop: access \("arn:aws:iam::123456789012:role\/x"\) needs the cluster the access entry is for/);
  });

  test('limit defaults outside min and max are refused', () => {
    expectError(() => setup({ limits: { defaultCpuLimit: '8' } }), /platform\/shop: limits.defaultCpuLimit \("8"\) must be <= limits.maxCpu \(4, its default\)/);
    // the default side is named as such: the user wrote only maxCpu
    expectError(() => setup({ limits: { maxCpu: '500m' } }), /platform\/shop: limits.defaultCpuLimit \("1"\) is its default, and must be <= limits.maxCpu \(500m\)/);
    expectError(() => setup({ limits: { defaultMemoryRequest: '1Gi' } }), /limits.defaultMemoryRequest \("1Gi"\) must be <= limits.defaultMemoryLimit \(256Mi, its default\)/);
  });

  test('a negative pod count is refused', () => {
    expectError(() => setup({ quota: { pods: -1 } }), /platform\/shop: quota.pods \(-1\) must be a whole number, 0 or more/);
  });
});

describe('workloads must fit the team namespace', () => {
  test('requests at the autoscaler maximum plus roll-out surge beyond the quota are refused with the numbers', () => {
    const { app, chart } = setup({ quota: { requestsCpu: '2' } });
    new WebService(chart, 'api', { image: IMAGE, replicas: Replicas.autoscale({ min: 3, max: 8 }) });
    const msg = errorOf(() => objects(app));
    expect(msg).toContain('platform/shop: quota.requestsCpu ("2") of namespace shop is less than its workloads need at their most pods '
      + '(2500m: Deployment shop/api 10 pod(s) (8 replicas at the autoscaler\'s maximum + 2 roll-out surge) x 250m)');
    expect(msg).toContain('raise quota.requestsCpu to at least 2500m');
  });

  test('a KEDA-scaled worker counts at its ScaledObject maximum (KEDA makes the HPA in the cluster)', () => {
    const { app, chart } = setup({ quota: { requestsCpu: '4', limitsCpu: '16' } });
    new Worker(chart, 'mailer', { image: IMAGE, resources: { cpu: '1' }, scaling: WorkerScaling.keda({ min: 3, max: 50, triggers: [{ type: 'cron', metadata: { timezone: 'UTC', start: '0 8 * * *', end: '0 18 * * *', desiredReplicas: '3' } }] }) });
    const msg = errorOf(() => objects(app));
    expect(msg).toContain('quota.requestsCpu ("4") of namespace shop is less than its workloads need at their most pods (63: Deployment shop/mailer 63 pod(s) '
      + '(50 replicas at the autoscaler\'s maximum + 13 roll-out surge) x 1)');
  });

  test('a node agent with host access is refused in a team namespace (it enforces restricted: no pod would be created)', () => {
    const { app, chart } = setup();
    new NodeAgent(chart, 'agent', { image: IMAGE, ports: [{ name: 'http', port: 8080 }], hostAccess: [HostAccess.hostPid('sees the node processes for its metrics')] });
    expect(errorOf(() => objects(app))).toContain('shop/agent: the workload needs Pod Security privileged (node agent agent: sees the node processes for its metrics), '
      + 'but team namespace shop enforces restricted, so the API server would create none of its pods; run it in a namespace of its own outside the team');
  });

  test('a scheduled job that allows overlapping runs counts every run its deadline lets overlap', () => {
    const { app, chart } = setup({ quota: { requestsCpu: '3', limitsCpu: '16' } });
    new ScheduledJob(chart, 'sync', { image: IMAGE, schedule: Schedule.cron('*/15 * * * *'), concurrencyPolicy: ConcurrencyPolicy.ALLOW, activeDeadlineSeconds: 3600, resources: { cpu: '1' } });
    expect(errorOf(() => objects(app))).toContain('quota.requestsCpu ("3") of namespace shop is less than its workloads need at their most pods (4: CronJob shop/sync 4 pod(s) '
      + '(4 runs at once x 1 pod(s) (concurrencyPolicy Allow: a run every 15 min, each up to 3600 s)) x 1');
    const forbid = setup({ quota: { requestsCpu: '3', limitsCpu: '16' } });
    new ScheduledJob(forbid.chart, 'sync', { image: IMAGE, schedule: Schedule.cron('*/15 * * * *'), activeDeadlineSeconds: 3600, resources: { cpu: '1' } });
    expect(objects(forbid.app).some(d => d.kind === 'CronJob')).toBe(true);
  });

  test.each([['Istio', 'istio-proxy'], ['Linkerd', 'linkerd-proxy']] as const)(
    'the %s proxy its mesh injects counts: a proxy limit above the LimitRange maximum is refused, and the quota sums it', (mesh, container) => {
      const { app, chart } = setup({ limits: { maxCpu: '500m', defaultCpuLimit: '500m' } });
      const m = mesh === 'Istio' ? new IstioMesh(chart, 'mesh') : new LinkerdMesh(chart, 'mesh');
      const api = new WebService(chart, 'api', { image: IMAGE, resources: { cpu: '250m', cpuLimit: '500m' } });
      api.allowFrom(NetworkPeer.ingressController('ingress-nginx', { 'app.kubernetes.io/name': 'ingress-nginx' }, { meshed: true }));
      m.enrol(api);
      expect(errorOf(() => objects(app))).toContain(`shop/api/Deployment: spec.template.metadata.annotations (the ${container} container its mesh injects): limits.cpu (1) `
        + `of the ${container} container of Deployment shop/api is above the namespace's LimitRange maximum per container (cpu 500m), so the API server would refuse the pod; `
        + 'lower the proxy\'s cpu limit to 500m or less, or raise limits.maxCpu of platform/shop (the proxy\'s resources are MeshEnrolOptions.proxyResources)');

      const q = setup({ quota: { requestsCpu: '4', limitsCpu: '13' } });
      const m2 = mesh === 'Istio' ? new IstioMesh(q.chart, 'mesh') : new LinkerdMesh(q.chart, 'mesh');
      const api2 = new WebService(q.chart, 'api', { image: IMAGE });
      api2.allowFrom(NetworkPeer.ingressController('ingress-nginx', { 'app.kubernetes.io/name': 'ingress-nginx' }, { meshed: true }));
      m2.enrol(api2);
      // 13 pods (10 at the autoscaler's maximum + 3 surge) x (250m + the proxy's 100m)
      expect(errorOf(() => objects(q.app))).toContain('quota.requestsCpu ("4") of namespace shop is less than its workloads need at their most pods (4550m: Deployment shop/api 13 pod(s) '
        + '(10 replicas at the autoscaler\'s maximum + 3 roll-out surge) x 350m)');
    });

  test('the same workloads fit a quota large enough', () => {
    const { app, chart } = setup({ quota: { requestsCpu: '2500m' } });
    new WebService(chart, 'api', { image: IMAGE, replicas: Replicas.autoscale({ min: 3, max: 8 }) });
    expect(objects(app).some(d => d.kind === 'Deployment')).toBe(true);
  });

  test('the sum over workloads counts: limits.cpu and pods', () => {
    const { app, chart } = setup({ quota: { limitsCpu: '7', pods: 12 } });
    new WebService(chart, 'api', { image: IMAGE, replicas: Replicas.fixed(4) });
    new Worker(chart, 'jobs', { image: IMAGE, scaling: WorkerScaling.fixed(3) });
    const msg = errorOf(() => objects(app));
    expect(msg).toContain('quota.limitsCpu ("7") of namespace shop is less than its workloads need at their most pods '
      + '(9: Deployment shop/api 5 pod(s) (4 replica(s) + 1 roll-out surge) x 1; Deployment shop/jobs 4 pod(s) (3 replica(s) + 1 roll-out surge) x 1)');
    expect(msg).not.toContain('quota.pods');
  });

  test('a container above the LimitRange maximum is refused with the numbers', () => {
    const { app, chart } = setup({ limits: { maxCpu: '2' }, quota: { requestsCpu: '100', limitsCpu: '100' } });
    new WebService(chart, 'api', { image: IMAGE, resources: { cpu: '1', cpuLimit: '3' } });
    const msg = errorOf(() => objects(app));
    expect(msg).toContain('shop/api/Deployment: spec.template.spec.containers[0].resources.limits.cpu (3) of container "app" of Deployment shop/api '
      + 'is above the namespace\'s LimitRange maximum per container (cpu 2), so the API server would refuse the pod; lower the container\'s cpu limit to 2 or less, or raise limits.maxCpu of platform/shop');
  });

  test('a container without a cpu limit takes the namespace default, which must cover its request', () => {
    const { app, chart } = setup({ limits: { defaultCpuLimit: '500m' }, quota: { requestsCpu: '100', limitsCpu: '100' } });
    new WebService(chart, 'api', { image: IMAGE, resources: { cpu: '750m', cpuLimit: 'none' } });
    expect(errorOf(() => objects(app))).toContain('resources.requests.cpu (750m) of container "app" of Deployment shop/api is above the container\'s cpu limit (500m, the namespace default)');
  });

  test('cpuLimit: none is refused in a team namespace: the quota caps limits.cpu, so the LimitRange default would apply', () => {
    const { app, chart } = setup({ quota: { requestsCpu: '100', limitsCpu: '100' } });
    new WebService(chart, 'api', { image: IMAGE, resources: { cpu: '250m', cpuLimit: 'none' } });
    expect(errorOf(() => objects(app))).toContain('shop/api: resources.cpuLimit ("none") cannot hold in namespace shop: its ResourceQuota caps limits.cpu, '
      + 'so its LimitRange gives each container without a CPU limit the default (1), which may throttle it; set the CPU limit the workload needs (it counts against quota.limitsCpu), or raise limits.defaultCpuLimit of platform/shop');
  });

  test('volume claims of a StatefulService count against claims and storage', () => {
    const { app, chart } = setup({ quota: { requestsStorage: '50Gi' } });
    new StatefulService(chart, 'db', { readiness: Probe.http('/readyz'), liveness: Probe.http('/livez'), image: IMAGE, port: 5432, replicas: 3, volumes: [{ name: 'data', size: '20Gi', mountPath: '/data' }] });
    expect(errorOf(() => objects(app))).toContain('quota.requestsStorage ("50Gi") of namespace shop is less than its workloads need at their most pods (60Gi: StatefulSet shop/db 3 x 20Gi (claim template data))');
  });

  test('objects of other namespaces do not count', () => {
    const { app, chart } = setup({ quota: { requestsCpu: '1' } });
    const other = new Chart(app, 'other', { namespace: 'other' });
    new WebService(other, 'big', { image: IMAGE, replicas: Replicas.fixed(8) });
    new WebService(chart, 'small', { image: IMAGE, replicas: Replicas.fixed(3) });
    expect(objects(app).filter(d => d.kind === 'Deployment').length).toBe(2);
  });

  test('a LoadBalancer Service beyond the quota is refused', () => {
    const { app, chart } = setup();
    new ApiObject(chart, 'lb', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'lb' }, spec: { type: 'LoadBalancer', ports: [{ port: 443 }], selector: { app: 'x' } } });
    expect(errorOf(() => objects(app))).toContain('platform/shop: quota.loadBalancers (0) of namespace shop is less than its Services of type LoadBalancer (1)');
  });

  test('workloads declared with peers still render their NetworkPolicy in the team namespace', () => {
    const { app, chart } = setup();
    const api = new WebService(chart, 'api', { image: IMAGE });
    api.allowFrom(NetworkPeer.namespace('shop'));
    expect(find(objects(app), 'NetworkPolicy', 'api').metadata.namespace).toBe('shop');
  });
});
