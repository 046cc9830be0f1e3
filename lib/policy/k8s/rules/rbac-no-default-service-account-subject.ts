import { Violation } from '../../rule';
import { k8sRule, WARNING } from '../define';
import { arr } from '../pod';
import { BINDING_KINDS, serviceAccountSubject } from '../rbac';

/** SS-K8S-083 — docs/rules.md#ss-k8s-083. */
export const rbacNoDefaultServiceAccountSubject = k8sRule({
  id: 'SS-K8S-083',
  title: 'No rights for the default ServiceAccount',
  catalog: ['K8S-RBAC-07'],
  severity: WARNING,
  message: 'Binding grants rights to the default ServiceAccount',
  fix: 'bind a dedicated ServiceAccount instead of default',
  rationale: 'Rights bound to the default ServiceAccount go to every pod of the namespace that names no account. The subject counts also when written as the user name of its token (User system:serviceaccount:<namespace>:default).',
  kinds: BINDING_KINDS,
  check: (doc) => {
    const out: Violation[] = [];
    arr(doc.manifest.subjects).forEach((s, i) => {
      // also as the user name of its token (User system:serviceaccount:<namespace>:default)
      if (serviceAccountSubject(s)?.name === 'default') out.push({ jsonPath: `subjects[${i}].name` });
    });
    return out;
  },
});
