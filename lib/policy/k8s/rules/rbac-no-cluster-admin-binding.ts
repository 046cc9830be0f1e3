import { ERROR, k8sRule, NONE } from '../define';
import { adminGrant, BINDING_KINDS, boundRole, builtinRole, isPlatformBinding, roleRules } from '../rbac';

/**
 * SS-K8S-078 — docs/rules.md#ss-k8s-078. Administrator rights are recognised by what the bound role grants, not only by the
 * name cluster-admin: every verb on every resource, or escalate, bind or impersonate. The platform's own bindings
 * (`system:` names, the ClusterRoleBinding cluster-admin, with platform subjects only) are not reported.
 */
export const rbacNoClusterAdminBinding = k8sRule({
  id: 'SS-K8S-078',
  title: 'No binding to cluster-admin or an equivalent',
  catalog: ['K8S-RBAC-02'],
  severity: ERROR,
  message: 'Binding grants cluster-admin or an equivalent role',
  fix: 'bind a Role with only the permissions needed',
  rationale: 'A binding to cluster-admin, or to a role that grants every verb on every resource or escalate, bind or impersonate, gives its subjects the whole cluster. The platform\'s own bindings (system:, eks: and gce: names, and the ClusterRoleBinding cluster-admin) are not reported when their subjects are the platform\'s too (system: users and groups other than those holding everyone, kube-system ServiceAccounts): a binding of such a name that hands the role to an application, a team or everyone is.',
  sources: ['Trivy KSV-0111', 'CIS EKS 4.1.1'],
  differences: [
    {
      peer: 'polaris',
      checks: ['rolebindingClusterAdminRole', 'rolebindingClusterAdminClusterRole', 'clusterrolebindingClusterAdmin'],
      direction: 'stricter',
      reason: 'Polaris splits the check by binding and role kind and passes each shape in the checks of the others; shipshape reports every binding to an administrator role in one rule. '
        + 'Polaris also passes a role with every verb on every resource of the core API group only; shipshape counts it as administrator rights, since it includes impersonate on users and groups, and so acting as any of them.'
        + ' Polaris also passes every binding whose name starts with system: or gce:, whatever its subjects; shipshape passes such a binding only when its subjects are the platform\'s own (system: users and groups other than those holding everyone, kube-system ServiceAccounts): a program can name a binding anything, and one named system:x that hands the role to an application, a person or everyone grants no less.',
    },
  ],
  kinds: BINDING_KINDS,
  check: (doc, index) => {
    if (isPlatformBinding(doc)) return undefined;
    const role = boundRole(index, doc);
    if (!role) return undefined;
    if (role.kind === 'ClusterRole' && role.name === 'cluster-admin') return [{ jsonPath: 'roleRef.name', message: 'Binding grants cluster-admin' }];
    if (!role.doc) {
      // a default ClusterRole that can give itself any right (escalate)
      return builtinRole(role, doc.namespace)?.admin ? [{ jsonPath: 'roleRef.name', message: `Binding grants the built-in ${role.kind} ${role.name}, which allows escalate: administrator rights` }] : NONE;
    }
    for (const r of roleRules(role.doc.manifest)) {
      const why = adminGrant(r);
      if (why) return [{ jsonPath: 'roleRef.name', message: `Binding grants ${role.kind} ${role.name}, whose ${r.path} allows ${why}: administrator rights` }];
    }
    return NONE;
  },
});
