import { ERROR, k8sRule } from '../define';
import { ROLE_KINDS, ruleGrants } from '../rbac';

/** SS-K8S-079 — RULES K8S-RBAC-03. */
export const rbacNoExecAttach = k8sRule({
  id: 'SS-K8S-079',
  catalog: ['K8S-RBAC-03'],
  severity: ERROR,
  message: 'Role allows exec or attach into pods',
  fix: 'remove get/create on pods/exec and pods/attach',
  kinds: ROLE_KINDS,
  check: (doc) => ruleGrants(doc.manifest, ['pods/exec', 'pods/attach'], ['get', 'create'], () => 'Role allows exec or attach into pods'),
});
