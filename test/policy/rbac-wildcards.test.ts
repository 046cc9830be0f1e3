import { KubernetesPack, PolicyEngine } from '../../lib/policy';
import { k8sDocument } from '../../lib/policy/runner';

// SS-K8S-082 judges a role rule by what it grants, as the other role rules do: a * in verbs, resources or apiGroups
// grants escalate and bind where it covers roles and clusterroles, and impersonate where it covers users, groups and
// serviceaccounts.
const pack = new KubernetesPack();
const RBAC = 'rbac.authorization.k8s.io';

/** The findings of rule `id` on `ms`, as `<kind>/<name> <jsonPath>: <message>`. */
function hits(id: string, ms: any[]): string[] {
  const rule = pack.rules.find(r => r.id === id)!;
  const report = new PolicyEngine({ packs: [{ name: 'one', rules: [rule] }] }).check(ms.map((m, i) => k8sDocument(m, `c/${m.kind}-${i}`)));
  return report.findings.filter(f => f.ruleId === id).map(f => `${f.kind}/${f.name} ${f.jsonPath}: ${f.message}`);
}

function role(kind: 'Role' | 'ClusterRole', name: string, rules: any[]): any {
  return { apiVersion: `${RBAC}/v1`, kind, metadata: { name, ...(kind === 'Role' ? { namespace: 'shop' } : {}) }, rules };
}

function binding(roleName: string): any {
  return {
    apiVersion: `${RBAC}/v1`,
    kind: 'RoleBinding',
    metadata: { name: 'ops', namespace: 'shop' },
    roleRef: { apiGroup: RBAC, kind: 'Role', name: roleName },
    subjects: [{ kind: 'User', name: 'jane', apiGroup: RBAC }],
  };
}

describe('SS-K8S-082 counts a * that grants bind, escalate or impersonate', () => {
  test('a Role with * verbs on roles grants escalate and bind', () => {
    const escalator = role('Role', 'escalator', [{ apiGroups: [RBAC], resources: ['roles'], verbs: ['*'] }]);
    expect(hits('SS-K8S-082', [escalator])).toEqual(['Role/escalator rules[0].verbs: Role grants escalate, bind through * in verbs']);
    // the wildcard rule still gets its own finding
    expect(hits('SS-K8S-077', [escalator])).toEqual(['Role/escalator rules[0].verbs: Role rule has * in verbs']);
  });

  test('a ClusterRole with * apiGroups, resources and verbs grants all three', () => {
    expect(hits('SS-K8S-082', [role('ClusterRole', 'god', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }])]))
      .toEqual(['ClusterRole/god rules[0].verbs: Role grants escalate, bind, impersonate through * in verbs']);
  });

  test('* verbs on users, groups or serviceaccounts grant impersonate', () => {
    expect(hits('SS-K8S-082', [role('ClusterRole', 'sudo', [{ apiGroups: [''], resources: ['serviceaccounts'], verbs: ['*'] }])]))
      .toEqual(['ClusterRole/sudo rules[0].verbs: Role grants impersonate through * in verbs']);
  });

  test('a named verb on * resources or * apiGroups counts where the * covers what it acts on', () => {
    expect(hits('SS-K8S-082', [role('ClusterRole', 'binder', [{ apiGroups: ['*'], resources: ['clusterroles'], verbs: ['get', 'bind'] }])]))
      .toEqual(['ClusterRole/binder rules[0].verbs: Role grants bind']);
    expect(hits('SS-K8S-082', [role('ClusterRole', 'sudo', [{ apiGroups: [''], resources: ['*'], verbs: ['impersonate'] }])]))
      .toEqual(['ClusterRole/sudo rules[0].verbs: Role grants impersonate']);
  });

  test('named verbs keep the order the rule lists them in', () => {
    expect(hits('SS-K8S-082', [role('Role', 'rbac', [{ apiGroups: [RBAC], resources: ['roles'], verbs: ['bind', 'escalate'] }])]))
      .toEqual(['Role/rbac rules[0].verbs: Role grants bind, escalate']);
  });

  test('* verbs on resources that escalate, bind and impersonate do not apply to are not reported', () => {
    expect(hits('SS-K8S-082', [role('Role', 'config', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['*'] }])])).toEqual([]);
    // roles and clusterroles live in rbac.authorization.k8s.io, users and groups in the core group
    expect(hits('SS-K8S-082', [role('ClusterRole', 'odd', [
      { apiGroups: [''], resources: ['roles', 'clusterroles'], verbs: ['*'] },
      { apiGroups: [RBAC], resources: ['users', 'groups'], verbs: ['*'] },
      { apiGroups: [RBAC], resources: ['rolebindings'], verbs: ['*'] },
    ])])).toEqual([]);
    // a named verb where the API server never checks it grants nothing either
    expect(hits('SS-K8S-082', [role('Role', 'noop', [{ apiGroups: [RBAC], resources: ['rolebindings'], verbs: ['bind'] }])])).toEqual([]);
  });

  test('SS-K8S-078 treats a binding to a role with * verbs on roles as administrator rights', () => {
    expect(hits('SS-K8S-078', [role('Role', 'escalator', [{ apiGroups: [RBAC], resources: ['roles'], verbs: ['*'] }]), binding('escalator')]))
      .toEqual(['RoleBinding/ops roleRef.name: Binding grants Role escalator, whose rules[0] allows escalate, bind: administrator rights']);
    expect(hits('SS-K8S-078', [role('Role', 'config', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['*'] }]), binding('config')])).toEqual([]);
    // every verb on every core resource includes impersonate on users and groups: acting as any of them
    expect(hits('SS-K8S-078', [role('Role', 'core', [{ apiGroups: [''], resources: ['*'], verbs: ['*'] }]), binding('core')]))
      .toEqual(['RoleBinding/ops roleRef.name: Binding grants Role core, whose rules[0] allows impersonate: administrator rights']);
  });
});

describe('a * before a subresource (*/exec) grants that subresource of every resource, as the API server matches it', () => {
  test('exec and attach, nodes proxy: SS-K8S-079 on the role and on a binding to it', () => {
    expect(hits('SS-K8S-079', [role('Role', 'star-exec', [{ apiGroups: [''], resources: ['*/exec', '*/attach'], verbs: ['get', 'create'] }]), binding('star-exec')]))
      .toEqual(['Role/star-exec rules[0]: Role allows exec or attach into pods', 'RoleBinding/ops roleRef.name: Binding grants Role star-exec, which allows exec or attach into pods']);
    expect(hits('SS-K8S-079', [role('ClusterRole', 'np', [{ apiGroups: [''], resources: ['*/proxy'], verbs: ['get'] }])]))
      .toEqual(['ClusterRole/np rules[0]: Role allows nodes/proxy, the kubelet\'s API: exec into any pod of a node']);
  });

  test('token requests (SS-K8S-082) and certificate approval (SS-K8S-084)', () => {
    expect(hits('SS-K8S-082', [role('Role', 'star-token', [{ apiGroups: [''], resources: ['*/token'], verbs: ['create'] }])]))
      .toEqual(['Role/star-token rules[0].resources: Role can create tokens of ServiceAccounts (create on serviceaccounts/token): it acts as any ServiceAccount in its scope']);
    expect(hits('SS-K8S-084', [role('ClusterRole', 'star-approval', [{ apiGroups: ['certificates.k8s.io'], resources: ['*/approval'], verbs: ['update'] }])]))
      .toEqual(['ClusterRole/star-approval rules[0]: Role can change admission webhooks or policies, or approve certificate requests']);
  });

  test('SS-K8S-077 reports the entry as a wildcard; pods/* and */ alone grant nothing more and are not subresource wildcards', () => {
    expect(hits('SS-K8S-077', [role('Role', 'star-exec', [{ apiGroups: [''], resources: ['pods', '*/exec'], verbs: ['get'] }])]))
      .toEqual(['Role/star-exec rules[0].resources: Role rule has */exec in resources: the exec subresource of every resource']);
    const pods = [role('Role', 'pods-star', [{ apiGroups: [''], resources: ['pods/*', '*/'], verbs: ['get', 'create'] }])];
    expect(hits('SS-K8S-077', pods)).toEqual([]);
    expect(hits('SS-K8S-079', pods)).toEqual([]);
  });

  test('SS-K8S-077 reports * in a ClusterRole\'s nonResourceURLs; listed URLs and a prefix such as /healthz/* pass', () => {
    expect(hits('SS-K8S-077', [role('ClusterRole', 'all-urls', [{ nonResourceURLs: ['*'], verbs: ['get'] }])]))
      .toEqual(['ClusterRole/all-urls rules[0].nonResourceURLs: Role rule has * in nonResourceURLs: every URL the API server serves outside its resources (/metrics, /debug/pprof, /logs)']);
    expect(hits('SS-K8S-077', [role('ClusterRole', 'metrics', [{ nonResourceURLs: ['/metrics', '/healthz/*'], verbs: ['get'] }])])).toEqual([]);
  });

  test('a subresource wildcard in another API group is not the core group\'s pods/exec', () => {
    expect(hits('SS-K8S-079', [role('Role', 'apps-exec', [{ apiGroups: ['apps'], resources: ['*/exec'], verbs: ['create'] }])])).toEqual([]);
  });
});
