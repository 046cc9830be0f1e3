import { k8sRule, WARNING } from '../define';
import { podOfDoc, POD_KINDS } from '../pod';

/** SS-K8S-058 — RULES K8S-IDN-02. */
export const dedicatedServiceAccount = k8sRule({
  id: 'SS-K8S-058',
  catalog: ['K8S-IDN-02'],
  severity: WARNING,
  message: 'Pod does not use its own ServiceAccount emitted alongside',
  fix: 'set serviceAccountName to a ServiceAccount (not default) emitted in the same namespace',
  kinds: POD_KINDS,
  check: (doc, index) => {
    const pod = podOfDoc(doc)!;
    const n = pod.spec.serviceAccountName;
    if (typeof n !== 'string' || n === '' || n === 'default') {
      return [{ jsonPath: `${pod.path}.serviceAccountName`, message: 'Pod runs as the default ServiceAccount' }];
    }
    if (!index.find('ServiceAccount', n, doc.namespace)) {
      return [{ jsonPath: `${pod.path}.serviceAccountName`, message: `ServiceAccount ${n} is not in the output` }];
    }
    return [];
  },
});
