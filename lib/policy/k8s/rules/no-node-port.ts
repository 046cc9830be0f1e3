import { k8sRule, NONE, WARNING } from '../define';
import { o } from '../pod';

/** SS-K8S-051 — docs/rules.md#ss-k8s-051. */
export const noNodePort = k8sRule({
  id: 'SS-K8S-051',
  title: 'No NodePort Services',
  catalog: ['K8S-NET-04'],
  severity: WARNING,
  message: 'Service is of type NodePort',
  fix: 'use a ClusterIP Service behind an Ingress or Gateway (or a LoadBalancer)',
  rationale: 'A NodePort opens the port on every node, outside the load balancer and NetworkPolicy.',
  kinds: ['Service'],
  check: (doc) => (o(doc.manifest.spec).type === 'NodePort' ? [{ jsonPath: 'spec.type' }] : NONE),
});
