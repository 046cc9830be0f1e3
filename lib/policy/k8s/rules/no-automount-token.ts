import { k8sRule, WARNING } from '../define';
import { o, podOfDoc, POD_KINDS } from '../pod';

/** SS-K8S-057 — RULES K8S-IDN-01. */
export const noAutomountToken = k8sRule({
  id: 'SS-K8S-057',
  catalog: ['K8S-IDN-01'],
  severity: WARNING,
  message: 'Pod mounts a service account token without asking for it',
  fix: 'set automountServiceAccountToken: false on the pod (suppress with a reason when it calls the Kubernetes API)',
  kinds: POD_KINDS,
  check: (doc, index) => {
    const pod = podOfDoc(doc)!;
    if (pod.spec.automountServiceAccountToken === false) return [];
    if (pod.spec.automountServiceAccountToken === undefined && typeof pod.spec.serviceAccountName === 'string') {
      const sa = index.find('ServiceAccount', pod.spec.serviceAccountName, doc.namespace);
      if (sa && o(sa.manifest).automountServiceAccountToken === false) return [];
    }
    return [{ jsonPath: `${pod.path}.automountServiceAccountToken` }];
  },
});
