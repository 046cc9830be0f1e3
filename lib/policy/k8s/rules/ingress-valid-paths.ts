import { Violation } from '../../rule';
import { ERROR, k8sRule, NONE } from '../define';
import { arr, o } from '../pod';

const PATH_TYPES = ['Exact', 'Prefix', 'ImplementationSpecific'];

/** SS-K8S-095 — docs/rules.md#ss-k8s-095. */
export const ingressValidPaths = k8sRule({
  id: 'SS-K8S-095',
  title: 'Ingress paths the API server accepts',
  catalog: ['K8S-NET-07'],
  severity: ERROR,
  message: 'Ingress path is refused by the API server',
  fix: 'give every path a pathType (Prefix, Exact or ImplementationSpecific) and, for Prefix and Exact, a path starting with /',
  rationale: 'networking.k8s.io/v1 requires a pathType on every HTTP path, one of Exact, Prefix and ImplementationSpecific, and an Exact '
    + 'or Prefix path that is absolute: the API server refuses any other Ingress, so none of its routes exists. v1beta1 Ingresses '
    + '(no longer served) had no such rule and are not checked. SS-K8S-054 checks the backends.',
  kinds: ['Ingress'],
  check: doc => {
    if (String(doc.manifest.apiVersion).endsWith('v1beta1')) return undefined;
    let out: Violation[] | undefined;
    arr(o(doc.manifest.spec).rules).forEach((r, i) => arr(o(o(r).http).paths).forEach((p0, j) => {
      const p = o(p0);
      const at = `spec.rules[${i}].http.paths[${j}]`;
      const type = p.pathType;
      if (type === undefined) {
        (out ??= []).push({ jsonPath: `${at}.pathType`, message: 'Ingress path has no pathType, which networking.k8s.io/v1 requires: the API server refuses the Ingress' });
      } else if (!PATH_TYPES.includes(type)) {
        (out ??= []).push({ jsonPath: `${at}.pathType`, message: `Ingress pathType ${JSON.stringify(type)} is not one of ${PATH_TYPES.join(', ')}: the API server refuses the Ingress` });
      } else if (type !== 'ImplementationSpecific' && (typeof p.path !== 'string' || !p.path.startsWith('/'))) {
        (out ??= []).push({ jsonPath: `${at}.path`, message: `Ingress path ${JSON.stringify(p.path ?? null)} of pathType ${type} does not start with /: the API server refuses the Ingress` });
      }
    }));
    return out ?? NONE;
  },
});
