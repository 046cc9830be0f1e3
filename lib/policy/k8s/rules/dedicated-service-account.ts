import { k8sRule, NONE, WARNING } from '../define';
import { podOfDoc, POD_KINDS } from '../pod';

/** SS-K8S-058 — docs/rules.md#ss-k8s-058. */
export const dedicatedServiceAccount = k8sRule({
  id: 'SS-K8S-058',
  title: 'Dedicated ServiceAccount in the output',
  catalog: ['K8S-IDN-02'],
  severity: WARNING,
  message: 'Pod does not use its own ServiceAccount emitted alongside',
  fix: 'set serviceAccountName to a ServiceAccount (not default) emitted in the same namespace',
  rationale: 'Pods sharing the namespace\'s default ServiceAccount share every right granted to it; a dedicated one, emitted alongside, scopes rights (and IAM roles) to one workload. The deprecated serviceAccount alias is read too.',
  sources: ['CIS EKS 4.1.5, 5.2.1', 'EKS Best Practices: use dedicated service accounts for each application'],
  differences: [
    {
      peer: 'kube-linter',
      checks: ['non-existent-service-account'],
      direction: 'stricter',
      reason: 'kube-linter\'s default check passes a pod that uses the default ServiceAccount; shipshape asks for a dedicated one (kube-linter\'s opt-in default-service-account).',
    },
    {
      peer: 'kube-linter',
      checks: ['default-service-account'],
      direction: 'stricter',
      reason: 'Besides refusing the default ServiceAccount, shipshape needs the named one in the same output (kube-linter\'s non-existent-service-account).',
    },
  ],
  kinds: POD_KINDS,
  check: (doc, index) => {
    const pod = podOfDoc(doc)!;
    // serviceAccount is the deprecated alias of serviceAccountName (SS-K8S-060 reports its use); the API takes
    // serviceAccountName when both are set
    const field = typeof pod.spec.serviceAccountName === 'string' && pod.spec.serviceAccountName !== '' ? 'serviceAccountName'
      : typeof pod.spec.serviceAccount === 'string' && pod.spec.serviceAccount !== '' ? 'serviceAccount' : undefined;
    const n: string | undefined = field && pod.spec[field];
    if (n === undefined || n === 'default') {
      return [{ jsonPath: `${pod.path}.serviceAccountName`, message: 'Pod runs as the default ServiceAccount' }];
    }
    if (!index.find('ServiceAccount', n, doc.namespace)) {
      return [{ jsonPath: `${pod.path}.${field}`, message: `ServiceAccount ${n} is not in the output` }];
    }
    return NONE;
  },
});
