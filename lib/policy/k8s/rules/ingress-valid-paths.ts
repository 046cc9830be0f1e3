import { Violation } from '../../rule';
import { ERROR, k8sRule, NONE } from '../define';
import { arr, o } from '../pod';

const PATH_TYPES = ['Exact', 'Prefix', 'ImplementationSpecific'];
/** What an Exact or Prefix path may not contain, and how it may not end (the API server's list). */
const BAD_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const BAD_ENDINGS = ['/..', '/.'];

/** SS-K8S-095 — docs/rules.md#ss-k8s-095. */
export const ingressValidPaths = k8sRule({
  id: 'SS-K8S-095',
  title: 'Ingress paths the API server accepts',
  catalog: ['K8S-NET-07'],
  severity: ERROR,
  message: 'Ingress path is refused by the API server',
  fix: 'give every HTTP rule at least one path, every path a pathType (Prefix, Exact or ImplementationSpecific) and a path starting with / '
    + '(for Prefix and Exact, without a double slash, a "." or ".." segment or an encoded slash, %2F)',
  rationale: 'networking.k8s.io/v1 requires a pathType on every HTTP path, one of Exact, Prefix and ImplementationSpecific, and an Exact '
    + 'or Prefix path that is absolute and holds no double slash, no "." or ".." segment and no encoded slash (%2F), an ImplementationSpecific path that is '
    + 'empty or absolute, and at least one path in an HTTP rule: the API server refuses any other Ingress, so none of its routes exists. v1beta1 Ingresses '
    + '(no longer served) had no such rule and are not checked. SS-K8S-054 checks the backends.',
  kinds: ['Ingress'],
  check: doc => {
    if (String(doc.manifest.apiVersion).endsWith('v1beta1')) return undefined;
    let out: Violation[] | undefined;
    const bad = (jsonPath: string, message: string) => { (out ??= []).push({ jsonPath, message: `${message}: the API server refuses the Ingress` }); };
    arr(o(doc.manifest.spec).rules).forEach((r, i) => {
      const http = o(r).http;
      if (http !== undefined && http !== null && Array.isArray(http.paths) && http.paths.length === 0) bad(`spec.rules[${i}].http.paths`, 'Ingress rule has an http section without paths');
      arr(o(http).paths).forEach((p0, j) => {
        const p = o(p0);
        const at = `spec.rules[${i}].http.paths[${j}]`;
        const type = p.pathType;
        const path = p.path;
        const shown = JSON.stringify(path);
        if (type === undefined) {
          bad(`${at}.pathType`, 'Ingress path has no pathType, which networking.k8s.io/v1 requires');
        } else if (!PATH_TYPES.includes(type)) {
          bad(`${at}.pathType`, `Ingress pathType ${JSON.stringify(type)} is not one of ${PATH_TYPES.join(', ')}`);
        } else if (type !== 'ImplementationSpecific') {
          if (path === undefined || path === null) {
            bad(`${at}.path`, `Ingress path of pathType ${type} is missing (it must start with /)`);
          } else if (typeof path !== 'string' || !path.startsWith('/')) {
            bad(`${at}.path`, `Ingress path ${shown} of pathType ${type} does not start with /`);
          } else {
            const seq = BAD_SEQUENCES.find(x => path.includes(x));
            const end = BAD_ENDINGS.find(x => path.endsWith(x));
            if (seq !== undefined) bad(`${at}.path`, `Ingress path ${shown} of pathType ${type} contains ${seq}`);
            else if (end !== undefined) bad(`${at}.path`, `Ingress path ${shown} of pathType ${type} ends with ${end}`);
          }
        } else if (path !== undefined && path !== null && path !== '' && (typeof path !== 'string' || !path.startsWith('/'))) {
          bad(`${at}.path`, `Ingress path ${shown} does not start with /, which even an ImplementationSpecific path must when it is set`);
        }
      });
    });
    return out ?? NONE;
  },
});
