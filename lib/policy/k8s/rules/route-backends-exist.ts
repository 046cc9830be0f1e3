import { Violation } from '../../rule';
import { ERROR, k8sRule, NONE } from '../define';
import { apiGroup, GATEWAY_GROUP } from '../gateway';
import { arr, isObj, o } from '../pod';

/** True when a backendRef names a Service (group "" or "core", kind Service or unset). */
function refersToService(ref: any): boolean {
  const group = ref.group ?? '';
  return (group === '' || group === 'core') && (ref.kind ?? 'Service') === 'Service';
}

/** SS-K8S-102 — docs/rules.md#ss-k8s-102. */
export const routeBackendsExist = k8sRule({
  id: 'SS-K8S-102',
  title: 'HTTPRoute backends exist',
  catalog: ['K8S-NET-07'],
  severity: ERROR,
  message: 'HTTPRoute backend is not a Service port in the output',
  fix: 'point each backendRef at a Service of the output by name, with a port that Service has (spec.ports[].port, not the targetPort); '
    + 'a backend in another namespace needs its namespace set and a ReferenceGrant there',
  rationale: 'A backendRef that names a Service the route\'s namespace does not have, or a port the Service does not have, leaves the route '
    + 'with ResolvedRefs=False (BackendNotFound): the Gateway answers the requests it would send there with 500. The API server refuses a '
    + 'Service backendRef without a port. A backend in another namespace is checked when that Service is in the output (its port); one '
    + 'that is not may be in another output, and is left alone, as is the ReferenceGrant a cross-namespace backend needs; the port of an '
    + 'ExternalName Service, which lists none, is not checked. Backends of other '
    + 'kinds (an implementation\'s own) and routes of other kinds (GRPCRoute, TLSRoute) are not looked at.',
  sources: ['Gateway API v1: HTTPRoute spec.rules[].backendRefs (BackendObjectReference: port required for a Service); route condition ResolvedRefs, reason BackendNotFound'],
  kinds: ['HTTPRoute'],
  check: (doc, index) => {
    if (apiGroup(doc.manifest.apiVersion) !== GATEWAY_GROUP) return undefined;
    const routeNs = doc.namespace;
    const rules = arr(o(doc.manifest.spec).rules);
    let out: Violation[] | undefined;
    const bad = (jsonPath: string, message: string) => { (out ??= []).push({ jsonPath, message }); };
    for (let i = 0; i < rules.length; i++) {
      const refs = arr(o(rules[i]).backendRefs);
      for (let j = 0; j < refs.length; j++) {
        const ref = refs[j];
        const at = `spec.rules[${i}].backendRefs[${j}]`;
        if (!isObj(ref) || !refersToService(ref) || typeof ref.name !== 'string') continue;
        if (ref.port === undefined) {
          bad(`${at}.port`, `HTTPRoute backend Service ${ref.name} has no port, which the API server refuses for a Service: give the Service port to send to`);
          continue;
        }
        const ns = typeof ref.namespace === 'string' && ref.namespace !== '' ? ref.namespace : routeNs;
        const elsewhere = ns !== routeNs;
        const target = index.find('Service', ref.name, ns);
        if (target === undefined) {
          if (!elsewhere) bad(`${at}.name`, `HTTPRoute backend Service ${JSON.stringify(ref.name)} is not in the output${ns !== undefined ? ` (namespace ${ns})` : ''}`);
          continue;
        }
        // an ExternalName Service has no ports: the implementation sends to the port the route names
        if (o(target.manifest.spec).type === 'ExternalName') continue;
        const ports = arr(o(target.manifest.spec).ports).map(o);
        if (!ports.some(p => p.port === ref.port)) {
          const have = ports.map(p => p.port).filter(p => typeof p === 'number');
          const byTarget = ports.find(p => p.targetPort === ref.port && typeof p.port === 'number');
          bad(`${at}.port`, `Service ${ref.name} has no port ${JSON.stringify(ref.port)}${have.length > 0 ? ` (its ports: ${have.join(', ')})` : ''}`
            + `${byTarget !== undefined ? `; ${ref.port} is the targetPort of its port ${byTarget.port}, and a route sends to the Service port` : ''}`);
        }
      }
    }
    return out ?? NONE;
  },
});
