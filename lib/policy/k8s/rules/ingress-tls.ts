import { k8sRule, NONE, WARNING } from '../define';
import { arr, o } from '../pod';

/** SS-K8S-055 — docs/rules.md#ss-k8s-055. */
export const ingressTls = k8sRule({
  id: 'SS-K8S-055',
  title: 'Ingress TLS',
  catalog: ['K8S-NET-08'],
  severity: WARNING,
  message: 'Ingress has no TLS',
  fix: 'add spec.tls with the hosts and a certificate secret (or terminate TLS at the load balancer and record why)',
  rationale: 'Without TLS the traffic between clients and the ingress is readable and changeable on the way.',
  sources: ['CIS EKS 5.4.5', 'EKS Best Practices: use encryption with AWS load balancers'],
  kinds: ['Ingress'],
  check: (doc) => (arr(o(doc.manifest.spec).tls).length > 0 ? NONE : [{ jsonPath: 'spec.tls' }]),
});
