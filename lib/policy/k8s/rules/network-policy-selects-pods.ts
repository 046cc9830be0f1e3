import { k8sRule, NONE, WARNING } from '../define';
import { o } from '../pod';
import { K8sIndex, selectorIsEmpty } from '../selectors';

/** The label cert-manager puts on the ACME HTTP-01 solver pods it creates during a challenge. */
const ACME_SOLVER_LABEL = 'acme.cert-manager.io/http01-solver';
/** The label of the proxy pods a Gateway API implementation (Istio, NGINX Gateway Fabric) deploys for a Gateway. */
const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';

/** SS-K8S-049 — docs/rules.md#ss-k8s-049. */
export const networkPolicySelectsPods = k8sRule({
  id: 'SS-K8S-049',
  title: 'NetworkPolicy selects pods',
  catalog: ['K8S-NET-02'],
  severity: WARNING,
  message: 'NetworkPolicy selects no pod in the output',
  fix: 'fix spec.podSelector so it matches the labels of a workload in the same namespace',
  rationale: 'A policy whose selector matches no pod protects nothing, usually after a label change. A policy for the pods '
    + 'cert-manager creates during an ACME HTTP-01 challenge (label acme.cert-manager.io/http01-solver) is not reported: '
    + 'those pods never appear in an output, and a namespace with a default-deny policy needs it. Nor is one for the proxy pods '
    + 'of a Gateway of the output (label gateway.networking.k8s.io/gateway-name set to its name), which its implementation deploys.',
  sources: ['Trivy KSV-0038'],
  differences: [
    {
      peer: 'kube-linter',
      checks: ['dangling-networkpolicypeer-podselector'],
      direction: 'laxer',
      reason: 'shipshape checks the policy\'s own podSelector, not the pod selectors of its peers, which may select pods of other outputs.',
    },
  ],
  kinds: ['NetworkPolicy'],
  check: (doc, index) => {
    const sel = o(o(doc.manifest.spec).podSelector);
    if (selectorIsEmpty(sel)) return NONE; // a namespace-wide policy (default deny) is meaningful on its own
    if (Object.prototype.hasOwnProperty.call(o(sel.matchLabels), ACME_SOLVER_LABEL)) return NONE; // pods made at run time
    // the proxy pods of a Gateway of the output, which its implementation deploys beside it
    const gateway = o(sel.matchLabels)[GATEWAY_NAME_LABEL];
    if (typeof gateway === 'string' && index.find('Gateway', gateway, doc.namespace) !== undefined) return NONE;
    return K8sIndex.of(index).selectsSomePod(doc) ? NONE : [{ jsonPath: 'spec.podSelector' }];
  },
});
