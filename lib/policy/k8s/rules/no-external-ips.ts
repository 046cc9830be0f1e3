import { ERROR, k8sRule, NONE } from '../define';
import { o } from '../pod';

/** SS-K8S-052 — docs/rules.md#ss-k8s-052. */
export const noExternalIps = k8sRule({
  id: 'SS-K8S-052',
  title: 'No external IPs',
  catalog: ['K8S-NET-05'],
  severity: ERROR,
  message: 'Service sets externalIPs',
  fix: 'remove spec.externalIPs; expose the Service through a load balancer or an Ingress',
  rationale: 'spec.externalIPs lets a Service claim any address cluster-wide, the vector of CVE-2020-8554. An empty list claims nothing and is not reported.',
  sources: ['Trivy KSV-0108'],
  kinds: ['Service'],
  // an empty list (cdk8s-plus writes `externalIPs: []` on every Service) claims nothing
  check: (doc) => {
    const ips = o(doc.manifest.spec).externalIPs;
    return ips !== undefined && ips !== null && !(Array.isArray(ips) && ips.length === 0) ? [{ jsonPath: 'spec.externalIPs' }] : NONE;
  },
});
