import { k8sPodRule, WARNING } from '../define';
import { POD_KINDS } from '../pod';

/** SS-K8S-060 — docs/rules.md#ss-k8s-060. */
export const noDeprecatedServiceAccountField = k8sPodRule({
  id: 'SS-K8S-060',
  title: 'No deprecated serviceAccount field',
  catalog: ['K8S-IDN-04'],
  severity: WARNING,
  message: 'Pod uses the deprecated serviceAccount field',
  fix: 'use serviceAccountName instead of serviceAccount',
  rationale: 'serviceAccount is a deprecated alias of serviceAccountName; tools that read only the new field see the wrong account.',
  kinds: POD_KINDS,
  podCheck: (pod) => {
    return pod.spec.serviceAccount !== undefined ? [{ jsonPath: `${pod.path}.serviceAccount` }] : [];
  },
});
