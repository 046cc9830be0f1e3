import { k8sRule, NONE, podLocalFact, WARNING } from '../define';
import { arr, isObj, o, podOf, podOfDoc, POD_KINDS } from '../pod';
import { K8sIndex, selectorIsEmpty } from '../selectors';

/**
 * SS-K8S-048 — docs/rules.md#ss-k8s-048 (the Polaris shape: a podSelector on the pod labels, both types, rules in both
 * directions; the selector may use matchExpressions, as SS-K8S-041 and SS-K8S-085 read selectors).
 * Pods that take no calls — no container port, or only ports their own probes use (the kubelet probes from the
 * node, which NetworkPolicy does not filter) — have nothing to admit, so for them an empty ingress list (deny all)
 * is the intended policy and only the egress side must have rules.
 */
const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'];
const HANDLERS = ['httpGet', 'tcpSocket', 'grpc'];

/** Whether the pods listen on a port besides their probes' (pod-local: computed once per distinct pod). */
const takesCalls = podLocalFact((pod): boolean => {
  for (const list of [pod.spec.containers, pod.spec.initContainers]) {
    for (const c0 of arr(list)) {
      const c = o(c0);
      const ports = arr(c.ports);
      if (ports.length === 0) continue;
      const probed: any[] = [];
      for (const p of PROBES) {
        const probe = o(c[p]);
        for (const h of HANDLERS) if (probe[h] !== undefined) probed.push(o(probe[h]).port);
      }
      for (const p0 of ports) {
        const p = o(p0);
        if (!probed.includes(p.containerPort) && !(p.name !== undefined && probed.includes(p.name)) && !probed.includes(String(p.containerPort))) return true;
      }
    }
  }
  return false;
});

export const networkPolicyCoverage = k8sRule({
  id: 'SS-K8S-048',
  title: 'NetworkPolicy covers the pods',
  catalog: ['K8S-NET-01'],
  severity: WARNING,
  message: 'No NetworkPolicy with ingress and egress rules selects these pods by their labels',
  fix: 'add a NetworkPolicy whose podSelector selects the pod labels (matchLabels), policyTypes [Ingress, Egress], and at least one ingress and one egress rule '
    + '(one policy holding both: separate ingress-only and egress-only policies, as cdk8s-plus writes them, do not count)',
  rationale: 'Pods without a NetworkPolicy accept connections from every pod in the cluster and reach everything. The policy must select them by their labels '
    + '(a non-empty podSelector, matchLabels, matchExpressions or both, that selects them: a namespace-wide podSelector {} does not count) and have rules in both directions '
    + '(the shape Polaris checks for, which satisfies the other peers too); pods that take no calls (no port besides their own probes) may deny all ingress. '
    + 'Pods in the node\'s network namespace (hostNetwork: true) are not reported: NetworkPolicy does not apply to them, so no policy can cover them '
    + '(SS-K8S-010 reports hostNetwork itself).',
  sources: ['CIS EKS 4.3.2, 5.4.4', 'EKS Best Practices: create a default deny policy'],
  differences: [
    {
      peer: 'kube-score',
      checks: ['pod-networkpolicy'],
      direction: 'stricter',
      reason: 'kube-score accepts any policy that selects the pods, a deny-all one included; shipshape wants the Polaris shape (matchLabels on the pod labels, both policy types, ingress and egress rules).',
    },
    {
      peer: 'kube-linter',
      checks: ['non-isolated-pod'],
      direction: 'stricter',
      reason: 'kube-linter\'s opt-in check accepts any policy that selects the pods; shipshape wants rules in both directions.',
    },
    {
      peer: 'polaris',
      checks: ['missingNetworkPolicy'],
      direction: 'laxer',
      reason: 'Polaris asks hostNetwork pods for a policy too, and wants the policy\'s podSelector to use matchLabels; NetworkPolicy does not apply to hostNetwork pods '
        + '(SS-K8S-010 reports them), and a podSelector of matchExpressions that selects the pods covers them as well.',
      when: (m: any) => podOf(m)?.spec?.hostNetwork === true || (m?.kind === 'NetworkPolicy' && arr(o(o(m.spec).podSelector).matchExpressions).length > 0),
    },
  ],
  kinds: POD_KINDS,
  check: (doc, index) => {
    const pod = podOfDoc(doc)!;
    // NetworkPolicy does not apply to pods in the node's network namespace: no policy can cover them (SS-K8S-010 reports hostNetwork)
    if (pod.spec.hostNetwork === true) return undefined;
    // the policies whose whole podSelector (matchLabels and matchExpressions) selects the pods
    const pols = K8sIndex.of(index).selectingPod('NetworkPolicy', doc.namespace ?? '', pod);
    if (pols.length === 0) return [{ jsonPath: `${pod.metaPath}.labels`, message: 'No NetworkPolicy selects these pods' }];
    let needsIngressRules: boolean | undefined;
    let emptyIngress = false;
    /** A namespace-wide policy (podSelector {}) with rules in both directions, which does not count. */
    let wide = false;
    for (const p of pols) {
      const spec = o(p.manifest.spec);
      const types = arr(spec.policyTypes);
      if (!(types.includes('Ingress') && types.includes('Egress') && arr(spec.egress).length > 0)) continue;
      if (arr(spec.ingress).length === 0 && (needsIngressRules ??= takesCalls(doc, index))) {
        emptyIngress = true;
        continue;
      }
      const sel = spec.podSelector;
      if (isObj(sel) && !selectorIsEmpty(sel)) return NONE;
      wide = true;
    }
    if (emptyIngress) {
      return [{
        jsonPath: `${pod.metaPath}.labels`,
        message: 'The NetworkPolicy selecting these pods allows no caller, yet the pods listen on a port besides their probes: nothing can reach it. '
        + 'Admit the callers in an ingress rule of that NetworkPolicy (for a shipshape workload, allowFrom(caller, [port]) writes it), or stop listening on the port',
      }];
    }
    if (wide) {
      return [{
        jsonPath: `${pod.metaPath}.labels`,
        message: 'No NetworkPolicy with ingress and egress rules selects these pods by their labels (matchLabels or matchExpressions): '
          + 'only a namespace-wide one (podSelector {}) has rules in both directions',
      }];
    }
    return [{ jsonPath: `${pod.metaPath}.labels` }];
  },
});
