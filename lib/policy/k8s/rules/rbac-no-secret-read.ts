import { k8sRule, WARNING } from '../define';
import { ROLE_KINDS, ruleGrants } from '../rbac';

/** SS-K8S-080 — RULES K8S-RBAC-04. */
export const rbacNoSecretRead = k8sRule({
  id: 'SS-K8S-080',
  catalog: ['K8S-RBAC-04'],
  severity: WARNING,
  message: 'Role can read Secrets',
  fix: 'remove get/list/watch on secrets; mount the one Secret the workload needs',
  kinds: ROLE_KINDS,
  check: (doc) => ruleGrants(doc.manifest, ['secrets'], ['get', 'list', 'watch'], () => 'Role can read Secrets'),
});
