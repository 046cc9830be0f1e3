import { Violation } from '../../rule';
import { ERROR, k8sRule, NONE } from '../define';
import { arr, o } from '../pod';
import { subdomain } from './valid-object-name';

const PATH_TYPES = ['Exact', 'Prefix', 'ImplementationSpecific'];
/** What an Exact or Prefix path may not contain, and how it may not end (the API server's list). */
const BAD_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const BAD_ENDINGS = ['/..', '/.'];
/** A DNS-1123 subdomain, and one whose first label is "*" (what an Ingress host may be). */
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const WILDCARD = /^\*\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Why the API refuses `host` as an Ingress host (rules and tls), or undefined. */
function hostProblem(host: unknown): string | undefined {
  if (typeof host !== 'string') return 'is not a string';
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':')) return /^\d/.test(host) || host.split(':').length > 2 ? 'is an IP address or has a port; it must be a DNS name' : 'has a port; it must be a DNS name without one';
  if (host.length > 253) return 'is longer than 253 characters';
  if (host.includes('*')) return WILDCARD.test(host) ? undefined : 'has a "*" other than as its whole first label (*.example.com)';
  if (!SUBDOMAIN.test(host)) return host !== host.toLowerCase() && SUBDOMAIN.test(host.toLowerCase()) ? `is not in lowercase (write ${host.toLowerCase()})` : 'is not a DNS name (lowercase letters, digits, "-" and ".")';
  return undefined;
}

/** Why the API refuses an Ingress backend's shape, or undefined. */
function backendProblem(b: any): string | undefined {
  if (b === null || typeof b !== 'object') return undefined;
  if (b.service !== undefined && b.resource !== undefined) return 'names both a service and a resource; the API takes one';
  const port = o(o(b.service).port);
  if (b.service !== undefined && port.name !== undefined && port.number !== undefined) return 'gives its service port both a name and a number; the API takes one';
  if (b.service !== undefined && port.name === undefined && port.number === undefined) return 'gives its service no port (name or number), which the API requires';
  return undefined;
}

/** The class annotation of Ingresses older than spec.ingressClassName. */
const CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

/** SS-K8S-095 — docs/rules.md#ss-k8s-095. */
export const ingressValidPaths = k8sRule({
  id: 'SS-K8S-095',
  title: 'Ingress paths, hosts and backends the API server accepts',
  catalog: ['K8S-NET-07'],
  severity: ERROR,
  message: 'Ingress path, host, class, TLS Secret or backend is refused by the API server',
  fix: 'write hosts, the ingressClassName and TLS secretNames as lowercase DNS names (a "*" only as a host\'s first label), backends with one service port (name or number); give every HTTP rule at least one path, every path a pathType (Prefix, Exact or ImplementationSpecific) and a path starting with / '
    + '(for Prefix and Exact, without a double slash, a "." or ".." segment or an encoded slash, %2F)',
  rationale: 'networking.k8s.io/v1 requires a pathType on every HTTP path, one of Exact, Prefix and ImplementationSpecific, and an Exact '
    + 'or Prefix path that is absolute and holds no double slash, no "." or ".." segment and no encoded slash (%2F), an ImplementationSpecific path that is '
    + 'empty or absolute, and at least one path in an HTTP rule. Hosts (of rules and of tls) must be lowercase DNS names, a "*" only as the whole first '
    + 'label, not IP addresses and without a port; an ingressClassName and a TLS secretName are lowercase DNS names (NGINX is refused), and a kubernetes.io/ingress.class annotation beside ingressClassName must say the same; a backend names a service or a resource, not both, and a service port by name or number, not both; '
    + 'an Ingress without rules needs a defaultBackend. The API server refuses any other Ingress, so none of its routes exists. v1beta1 Ingresses '
    + '(no longer served) had no such rule and are not checked. SS-K8S-054 checks the backends.',
  kinds: ['Ingress'],
  check: doc => {
    if (String(doc.manifest.apiVersion).endsWith('v1beta1')) return undefined;
    let out: Violation[] | undefined;
    const bad = (jsonPath: string, message: string) => { (out ??= []).push({ jsonPath, message: `${message}: the API server refuses the Ingress` }); };
    const spec = o(doc.manifest.spec);
    if (!Array.isArray(spec.rules) || spec.rules.length === 0) {
      if (spec.defaultBackend === undefined || spec.defaultBackend === null) bad('spec', 'Ingress has neither rules nor a defaultBackend');
    }
    const cls = spec.ingressClassName;
    if (typeof cls === 'string' && !subdomain(cls)) {
      bad('spec.ingressClassName', `Ingress class name ${JSON.stringify(cls)} is not a lowercase DNS name${cls !== cls.toLowerCase() && subdomain(cls.toLowerCase()) ? ` (did you mean ${cls.toLowerCase()}?)` : ''}`);
    }
    // on create, the API server wants the legacy class annotation to agree with the field when both are set
    const annotated = o(o(doc.manifest.metadata).annotations)[CLASS_ANNOTATION];
    if (typeof cls === 'string' && typeof annotated === 'string' && annotated !== cls) {
      bad(`metadata.annotations["${CLASS_ANNOTATION}"]`, `Ingress annotation ${CLASS_ANNOTATION} ${JSON.stringify(annotated)} differs from ingressClassName ${JSON.stringify(cls)} (remove the annotation)`);
    }
    arr(spec.tls).forEach((t, i) => {
      const secret = o(t).secretName;
      if (typeof secret === 'string' && secret !== '' && !subdomain(secret)) bad(`spec.tls[${i}].secretName`, `Ingress TLS secretName ${JSON.stringify(secret)} is not a Secret name (a lowercase DNS name)`);
    });
    const defaultWhy = backendProblem(spec.defaultBackend);
    if (defaultWhy !== undefined) bad('spec.defaultBackend', `Ingress defaultBackend ${defaultWhy}`);
    arr(spec.tls).forEach((t, i) => arr(o(t).hosts).forEach((h, j) => {
      const why = hostProblem(h);
      if (why !== undefined) bad(`spec.tls[${i}].hosts[${j}]`, `Ingress TLS host ${JSON.stringify(h)} ${why}`);
    }));
    arr(spec.rules).forEach((r, i) => {
      const host = o(r).host;
      if (host !== undefined && host !== null && host !== '') {
        const why = hostProblem(host);
        if (why !== undefined) bad(`spec.rules[${i}].host`, `Ingress host ${JSON.stringify(host)} ${why}`);
      }
      const http = o(r).http;
      if (http !== undefined && http !== null && Array.isArray(http.paths) && http.paths.length === 0) bad(`spec.rules[${i}].http.paths`, 'Ingress rule has an http section without paths');
      arr(o(http).paths).forEach((p0, j) => {
        const p = o(p0);
        const at = `spec.rules[${i}].http.paths[${j}]`;
        const backendWhy = backendProblem(p.backend);
        if (backendWhy !== undefined) bad(`${at}.backend`, `Ingress backend ${backendWhy}`);
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
