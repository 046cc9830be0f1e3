import { k8sRule, WARNING } from '../define';
import { ROLE_KINDS, ruleGrants } from '../rbac';

/** SS-K8S-081 — RULES K8S-RBAC-05. */
export const rbacNoPodCreate = k8sRule({
  id: 'SS-K8S-081',
  catalog: ['K8S-RBAC-05'],
  severity: WARNING,
  message: 'Role can create pods',
  fix: 'remove create on pods (creating pods can escalate to any ServiceAccount in the namespace)',
  kinds: ROLE_KINDS,
  check: (doc) => ruleGrants(doc.manifest, ['pods'], ['create'], () => 'Role can create pods'),
});
