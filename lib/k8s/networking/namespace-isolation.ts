// Internal: the NetworkPolicy parts that isolate a namespace, shared by ClusterResources, TeamNamespace and the
// workloads' own policies. Not re-exported by the barrel. (The signatures say `any` so that no shipped declaration
// names kubernetes-types, a devDependency; the bodies are checked against it.)
import type * as networkingv1 from 'kubernetes-types/networking/v1';

/** Egress to the cluster DNS (kube-dns in kube-system) on 53 UDP and TCP (a `NetworkPolicyEgressRule`). */
export function dnsEgressRule(): any {
  return {
    to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
    ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
  } satisfies networkingv1.NetworkPolicyEgressRule;
}

/** Every pod of the namespace: no ingress, no egress, unless another policy allows it (a `NetworkPolicySpec`). */
export function defaultDenySpec(): any {
  return { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } satisfies networkingv1.NetworkPolicySpec;
}

/** Every pod of the namespace may resolve names (a `NetworkPolicySpec`). */
export function allowDnsSpec(): any {
  return { podSelector: {}, policyTypes: ['Egress'], egress: [dnsEgressRule()] } satisfies networkingv1.NetworkPolicySpec;
}
