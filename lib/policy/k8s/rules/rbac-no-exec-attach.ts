import { ERROR, k8sRule, NONE } from '../define';
import { arr } from '../pod';
import { BINDING_KINDS, boundRole, builtinRole, execGrant, grantsExec, isPlatformBinding, isPlatformName, isPlatformRole, isPlatformSubject, ROLE_KINDS, roleRules } from '../rbac';

/**
 * SS-K8S-079 — docs/rules.md#ss-k8s-079. Roles are judged on their rules, except the platform's own (`system:`, `eks:` and `gce:`
 * roles, and the default ClusterRoles); bindings are judged on the role they grant — including a `system:` or default role —
 * and a binding to a role missing from the output is reported, since nothing shows what it grants.
 */
export const rbacNoExecAttach = k8sRule({
  id: 'SS-K8S-079',
  title: 'No exec or attach rights',
  catalog: ['K8S-RBAC-03'],
  severity: ERROR,
  message: 'Role or binding allows exec or attach into pods',
  fix: 'remove get and create on pods/exec, pods/attach and nodes/proxy (and the * that grants them) from the role, or bind a role without them',
  rationale: 'pods/exec and pods/attach give a shell in any pod of the scope, with its mounted secrets and tokens; nodes/proxy reaches the kubelet\'s API, which execs into any pod of the node. Roles are judged on their rules except the platform\'s own (system:, eks: and gce: names, the default ClusterRoles admin, edit and cluster-admin, and the bootstrap Role kube-system/extension-apiserver-authentication-reader); bindings on the role they grant (a binding with a platform name counts as the platform\'s only when its subjects are the platform\'s: system: users and groups other than those holding everyone, and kube-system ServiceAccounts), and a binding to a role missing from the output is reported, since nothing shows what it grants: so is one that hands a system: role of the cluster\'s own components (system:node, system:controller:...) to a subject that is not one of them, while the default system: roles add-ons bind (system:auth-delegator, system:kube-dns, system:persistent-volume-provisioner and the like) are judged on what they are known to allow. A ServiceAccount named as the user of its token (User system:serviceaccount:<namespace>:<name>) is that ServiceAccount.',
  sources: ['Trivy KSV-0053, KSV-0054'],
  differences: [
    {
      peer: 'polaris',
      checks: ['rolebindingRolePodExecAttach', 'rolebindingClusterRolePodExecAttach', 'clusterrolebindingPodExecAttach'],
      direction: 'stricter',
      reason: 'Polaris splits the check by binding and role kind and passes each shape in the checks of the others; shipshape reports every binding that grants exec in one rule.'
        + ' Polaris also passes every binding whose name starts with system: or gce:, whatever its subjects; shipshape passes such a binding only when its subjects are the platform\'s own (system: users and groups other than those holding everyone, kube-system ServiceAccounts): a program can name a binding anything, and one named system:x that hands the role to an application, a person or everyone grants no less.',
    },
  ],
  kinds: [...ROLE_KINDS, ...BINDING_KINDS],
  check: (doc, index) => {
    if (doc.kind === 'Role' || doc.kind === 'ClusterRole') {
      if (isPlatformRole(doc)) return undefined;
      return roleRules(doc.manifest).filter(grantsExec).map(r => ({ jsonPath: r.path, message: `Role allows ${execGrant(r)}` }));
    }
    if (isPlatformBinding(doc)) return undefined;
    const role = boundRole(index, doc);
    if (!role) return undefined;
    if (role.doc) {
      const r = roleRules(role.doc.manifest).find(grantsExec);
      return r !== undefined ? [{ jsonPath: 'roleRef.name', message: `Binding grants ${role.kind} ${role.name}, which allows ${execGrant(r)}` }] : NONE;
    }
    const builtin = builtinRole(role, doc.namespace);
    if (builtin) return builtin.exec ? [{ jsonPath: 'roleRef.name', message: `Binding grants the built-in ${role.kind} ${role.name}, which allows exec or attach into pods` }] : NONE;
    if (isPlatformName(role.name)) {
      // a role of the cluster's own components: the platform's business while the subjects are the platform's too
      const other = arr(doc.manifest.subjects).findIndex(s => !isPlatformSubject(s));
      if (other < 0) return undefined;
      return [{
        jsonPath: 'roleRef.name',
        message: `Binding grants ${role.kind} ${role.name}, a role of the cluster's own components, to subjects[${other}], which is not one of them: `
          + 'nothing in the output shows what it allows (exec into pods, Secrets, tokens of other ServiceAccounts)',
      }];
    }
    return [{
      jsonPath: 'roleRef.name',
      message: `Binding grants ${role.kind} ${role.name}, which is not in the output: nothing shows it does not allow exec into pods `
        + '(check the binding in one run with the files that define the role, or suppress here with a reason naming where the role is defined)',
    }];
  },
});
