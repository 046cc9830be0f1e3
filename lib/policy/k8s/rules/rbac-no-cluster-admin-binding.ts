import { ERROR, k8sRule } from '../define';
import { o } from '../pod';
import { BINDING_KINDS } from '../rbac';

/** SS-K8S-078 — RULES K8S-RBAC-02. */
export const rbacNoClusterAdminBinding = k8sRule({
  id: 'SS-K8S-078',
  catalog: ['K8S-RBAC-02'],
  severity: ERROR,
  message: 'Binding grants cluster-admin',
  fix: 'bind a Role with only the permissions needed',
  kinds: BINDING_KINDS,
  check: (doc) => (o(doc.manifest.roleRef).name === 'cluster-admin' ? [{ jsonPath: 'roleRef.name' }] : []),
});
