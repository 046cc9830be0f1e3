import { Violation } from '../../rule';
import { ERROR, k8sRule } from '../define';
import { isPlatformRole, ROLE_KINDS, roleRules } from '../rbac';

const VERBS = ['bind', 'escalate', 'impersonate'];

/** SS-K8S-082 — docs/rules.md#ss-k8s-082. */
export const rbacNoEscalationVerbs = k8sRule({
  id: 'SS-K8S-082',
  title: 'No bind, escalate or impersonate',
  catalog: ['K8S-RBAC-06'],
  severity: ERROR,
  message: 'Role grants bind, escalate or impersonate',
  fix: 'remove the bind, escalate and impersonate verbs',
  rationale: 'These verbs let the holder grant itself rights it does not have, or act as another user. The platform\'s own roles (system:, eks: and gce: names, and the default ClusterRoles) are not reported.',
  sources: ['Trivy KSV-0043, KSV-0050', 'CIS EKS 4.1.8'],
  kinds: ROLE_KINDS,
  check: (doc) => {
    if (isPlatformRole(doc)) return undefined; // the platform's own roles (system:, eks:, gce:, the default ClusterRoles)
    const out: Violation[] = [];
    for (const r of roleRules(doc.manifest)) {
      const v = r.verbs.filter(x => VERBS.includes(x));
      if (v.length > 0) out.push({ jsonPath: `${r.path}.verbs`, message: `Role grants ${v.join(', ')}` });
    }
    return out;
  },
});
