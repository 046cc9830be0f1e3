import { k8sRule, WARNING } from '../define';
import { o } from '../pod';

const KEYS = ['requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory'];

/** SS-K8S-075 — docs/rules.md#ss-k8s-075. */
export const resourceQuotaComplete = k8sRule({
  id: 'SS-K8S-075',
  title: 'ResourceQuota complete',
  catalog: ['K8S-NS-03'],
  severity: WARNING,
  message: 'ResourceQuota does not cap CPU and memory requests and limits',
  fix: 'set spec.hard requests.cpu, requests.memory, limits.cpu and limits.memory',
  rationale: 'A quota that leaves CPU or memory requests or limits open does not cap what the namespace can take from the cluster.',
  sources: ['Trivy KSV-0040', 'EKS Best Practices: configure resource quotas for namespaces'],
  kinds: ['ResourceQuota'],
  check: (doc) => {
    const hard = o(o(doc.manifest.spec).hard);
    return KEYS.filter(k => hard[k] === undefined).map(k => ({ jsonPath: `spec.hard["${k}"]` }));
  },
});
