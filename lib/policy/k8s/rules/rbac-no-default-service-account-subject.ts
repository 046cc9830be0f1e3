import { Violation } from '../../rule';
import { k8sRule, WARNING } from '../define';
import { arr, o } from '../pod';
import { BINDING_KINDS } from '../rbac';

/** SS-K8S-083 — docs/rules.md#ss-k8s-083. */
export const rbacNoDefaultServiceAccountSubject = k8sRule({
  id: 'SS-K8S-083',
  title: 'No rights for the default ServiceAccount',
  catalog: ['K8S-RBAC-07'],
  severity: WARNING,
  message: 'Binding grants rights to the default ServiceAccount',
  fix: 'bind a dedicated ServiceAccount instead of default',
  rationale: 'Rights bound to the default ServiceAccount go to every pod of the namespace that names no account.',
  kinds: BINDING_KINDS,
  check: (doc) => {
    const out: Violation[] = [];
    arr(doc.manifest.subjects).forEach((s0, i) => {
      const s = o(s0);
      if (s.kind === 'ServiceAccount' && s.name === 'default') out.push({ jsonPath: `subjects[${i}].name` });
    });
    return out;
  },
});
