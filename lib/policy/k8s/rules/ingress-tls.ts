import { k8sRule, WARNING } from '../define';
import { arr, o } from '../pod';

/** SS-K8S-055 — RULES K8S-NET-08. */
export const ingressTls = k8sRule({
  id: 'SS-K8S-055',
  catalog: ['K8S-NET-08'],
  severity: WARNING,
  message: 'Ingress has no TLS',
  fix: 'add spec.tls with the hosts and a certificate secret (or terminate TLS at the load balancer and record why)',
  kinds: ['Ingress'],
  check: (doc) => (arr(o(doc.manifest.spec).tls).length > 0 ? [] : [{ jsonPath: 'spec.tls' }]),
});
