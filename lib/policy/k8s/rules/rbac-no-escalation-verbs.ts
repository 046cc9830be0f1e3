import { Violation } from '../../rule';
import { ERROR, k8sRule } from '../define';
import { escalationVerbs, grantsTokenRequest, isPlatformRole, ROLE_KINDS, roleRules } from '../rbac';

/**
 * SS-K8S-082 — docs/rules.md#ss-k8s-082. A rule is judged by what it grants, as SS-K8S-079, 080, 081 and 084 are: a `*` in
 * its verbs, resources or apiGroups counts when it covers escalate or bind on roles and clusterroles, or impersonate on
 * users, groups and serviceaccounts.
 */
export const rbacNoEscalationVerbs = k8sRule({
  id: 'SS-K8S-082',
  title: 'No bind, escalate or impersonate',
  catalog: ['K8S-RBAC-06'],
  severity: ERROR,
  message: 'Role grants bind, escalate or impersonate',
  fix: 'remove the bind, escalate and impersonate verbs, create on serviceaccounts/token, and the * that grants them on roles, clusterroles, users, groups or serviceaccounts',
  rationale: 'These verbs let the holder grant itself rights it does not have, or act as another user. They count where they apply: '
    + 'escalate and bind on roles and clusterroles, impersonate on users, groups and serviceaccounts, and a * in verbs, resources '
    + 'or apiGroups grants them there. create on serviceaccounts/token mints a token of any ServiceAccount in scope, which is the same as impersonating it. '
    + 'The platform\'s own roles (system:, eks: and gce: names, and the default ClusterRoles) are not reported.',
  sources: ['Trivy KSV-0043, KSV-0050', 'CIS EKS 4.1.8'],
  kinds: ROLE_KINDS,
  check: (doc) => {
    if (isPlatformRole(doc)) return undefined; // the platform's own roles (system:, eks:, gce:, the default ClusterRoles)
    const out: Violation[] = [];
    for (const r of roleRules(doc.manifest)) {
      const v = escalationVerbs(r);
      if (v.length > 0) {
        const wildcard = v.some(x => !r.verbs.includes(x));
        out.push({ jsonPath: `${r.path}.verbs`, message: `Role grants ${v.join(', ')}${wildcard ? ' through * in verbs' : ''}` });
      } else if (grantsTokenRequest(r)) {
        // (a rule that also grants impersonate is reported once, above)
        out.push({ jsonPath: `${r.path}.resources`, message: 'Role can create tokens of ServiceAccounts (create on serviceaccounts/token): it acts as any ServiceAccount in its scope' });
      }
    }
    return out;
  },
});
