import { Violation } from '../../rule';
import { k8sRule, WARNING } from '../define';
import { arr, o } from '../pod';
import { selectorIsEmpty } from '../selectors';

function allowsDns(policy: any, proto: string): boolean {
  return arr(o(policy.spec).egress).some(e => arr(o(e).ports).some(p => {
    const q = o(p);
    return (q.port === 53 || q.port === 'dns' || q.port === 'dns-tcp') && (q.protocol ?? 'TCP') === proto;
  }));
}

/** SS-K8S-074 — docs/rules.md#ss-k8s-074. */
export const namespaceDefaultDeny = k8sRule({
  id: 'SS-K8S-074',
  title: 'Namespace default deny with DNS',
  catalog: ['K8S-NS-02'],
  severity: WARNING,
  message: 'Namespace has no default-deny NetworkPolicy with a DNS allowance',
  fix: 'add a NetworkPolicy with podSelector {} and policyTypes [Ingress, Egress], and an egress rule to kube-dns on 53 UDP and TCP',
  rationale: 'A default-deny policy makes every allowed flow explicit; without the DNS allowance every pod loses name resolution.',
  sources: ['CIS EKS 4.3.2', 'EKS Best Practices: create a default deny policy, allow DNS queries'],
  kinds: ['Namespace'],
  check: (doc, index) => {
    if (doc.name === undefined) return undefined;
    const pols = index.inNamespace('NetworkPolicy', doc.name).map(p => o(p.manifest));
    const out: Violation[] = [];
    const deny = pols.some(p => {
      const spec = o(p.spec);
      const types = arr(spec.policyTypes);
      return selectorIsEmpty(o(spec.podSelector)) && types.includes('Ingress') && types.includes('Egress');
    });
    if (!deny) out.push({ jsonPath: 'metadata.name', message: `Namespace ${doc.name} has no default-deny NetworkPolicy (podSelector {}, Ingress and Egress)` });
    if (!(pols.some(p => allowsDns(p, 'UDP')) && pols.some(p => allowsDns(p, 'TCP')))) {
      out.push({ jsonPath: 'metadata.name', message: `Namespace ${doc.name} has no NetworkPolicy allowing DNS egress on 53 UDP and TCP` });
    }
    return out;
  },
});
