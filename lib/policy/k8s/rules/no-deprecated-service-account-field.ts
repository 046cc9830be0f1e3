import { k8sRule, WARNING } from '../define';
import { podOfDoc, POD_KINDS } from '../pod';

/** SS-K8S-060 — RULES K8S-IDN-04. */
export const noDeprecatedServiceAccountField = k8sRule({
  id: 'SS-K8S-060',
  catalog: ['K8S-IDN-04'],
  severity: WARNING,
  message: 'Pod uses the deprecated serviceAccount field',
  fix: 'use serviceAccountName instead of serviceAccount',
  kinds: POD_KINDS,
  check: (doc) => {
    const pod = podOfDoc(doc)!;
    return pod.spec.serviceAccount !== undefined ? [{ jsonPath: `${pod.path}.serviceAccount` }] : [];
  },
});
