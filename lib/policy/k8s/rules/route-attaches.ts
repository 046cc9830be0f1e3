import { DocumentIndex } from '../../document-index';
import { PolicyDocument, Violation } from '../../rule';
import { ERROR, k8sRule, NONE } from '../define';
import {
  apiGroup, GATEWAY_GROUP, gatewayInOutput, gatewayLabel, hostnamesIntersect, listenerLabel, listenerRefusal, NamespaceLabels, refersToGateway,
} from '../gateway';
import { arr, isObj, o } from '../pod';

/** The labels of the Namespace `ns` in the output, with the name label the API server puts on every namespace; undefined when it is not there. */
function namespaceLabelsIn(index: DocumentIndex): NamespaceLabels {
  return ns => {
    const doc = index.find('Namespace', ns);
    if (doc === undefined) return undefined;
    const labels: { [k: string]: string } = {};
    const given = o(o(doc.manifest.metadata).labels);
    for (const k of Object.keys(given)) labels[k] = String(given[k]);
    labels['kubernetes.io/metadata.name'] = ns;
    return labels;
  };
}

/** `"a", "b"` */
function quoted(list: readonly unknown[]): string {
  return list.map(x => JSON.stringify(x)).join(', ');
}

/** The hostname a listener matches requests by: HTTP and HTTPS listeners only (others ignore the field here); undefined = every hostname. */
function listenerHostname(listener: any): string | undefined {
  if (listener.protocol !== 'HTTP' && listener.protocol !== 'HTTPS') return undefined;
  return typeof listener.hostname === 'string' && listener.hostname !== '' ? listener.hostname : undefined;
}

/**
 * The finding for parentRef `i` of an HTTPRoute, which refers to `gateway` (in the output, in `gatewayNs`), or
 * undefined when the Gateway accepts the route there (or may).
 */
function attachment(ref: any, i: number, route: PolicyDocument, gateway: PolicyDocument, gatewayNs: string, index: DocumentIndex): Violation | undefined {
  const listeners = arr(o(gateway.manifest.spec).listeners).map(l => o(l));
  if (listeners.length === 0) return undefined; // the Gateway CRD requires a listener: that Gateway is refused, not this route
  const at = `spec.parentRefs[${i}]`;
  const where = gatewayLabel(gatewayNs, ref.name);
  const section = typeof ref.sectionName === 'string' && ref.sectionName !== '' ? ref.sectionName : undefined;
  let candidates = listeners;
  if (section !== undefined) {
    candidates = listeners.filter(l => l.name === section);
    if (candidates.length === 0) {
      return {
        jsonPath: `${at}.sectionName`,
        message: `HTTPRoute parentRefs[${i}] names listener ${JSON.stringify(section)} of ${where}, which has no listener of that name `
          + `(its listeners: ${quoted(listeners.map(l => l.name ?? null))}); the Gateway does not accept the route (NoMatchingParent)`,
      };
    }
  }
  if (ref.port !== undefined) {
    const onPort = candidates.filter(l => l.port === ref.port);
    if (onPort.length === 0) {
      return {
        jsonPath: `${at}.port`,
        message: section !== undefined
          ? `HTTPRoute parentRefs[${i}] names listener ${JSON.stringify(section)} and port ${ref.port} of ${where}, whose listener ${JSON.stringify(section)} `
            + `listens on port ${candidates.map(l => l.port).join(', ')}; the Gateway does not accept the route (NoMatchingParent)`
          : `HTTPRoute parentRefs[${i}] attaches by port ${ref.port} to ${where}, which has no listener on that port `
            + `(its listeners: ${candidates.map(l => `${JSON.stringify(l.name ?? null)} on ${l.port}`).join(', ')}); the Gateway does not accept the route (NoMatchingParent)`,
      };
    }
    candidates = onPort;
  }
  const routeNs = route.namespace === undefined || route.namespace === '' ? undefined : route.namespace;
  const namespaceLabels = namespaceLabelsIn(index);
  const refusals = candidates.map(l => listenerRefusal(l, gatewayNs, routeNs, namespaceLabels));
  const admitting = candidates.filter((_, j) => refusals[j] === undefined);
  if (admitting.length === 0) {
    return {
      jsonPath: at,
      message: `${where} does not accept HTTPRoute parentRefs[${i}] (NotAllowedByListeners): ${refusals.join('; ')}`,
    };
  }
  const hostnames = arr(o(route.manifest.spec).hostnames).filter((h): h is string => typeof h === 'string' && h !== '');
  if (hostnames.length === 0) return undefined;
  const listenerHosts = admitting.map(listenerHostname);
  if (listenerHosts.some(h => h === undefined)) return undefined; // a listener of every hostname
  if (listenerHosts.some(lh => hostnames.some(h => hostnamesIntersect(h, lh!)))) return undefined;
  const which = admitting.map((l, j) => `${listenerLabel(l)}: ${JSON.stringify(listenerHosts[j])}`).join(', ');
  return {
    jsonPath: at,
    message: `${where} does not accept HTTPRoute parentRefs[${i}] (NoMatchingListenerHostname): no hostname of the route (${quoted(hostnames)}) `
      + `matches the hostname of a listener that admits it (${which})`,
  };
}

/** SS-K8S-093 — docs/rules.md#ss-k8s-093. */
export const routeAttaches = k8sRule({
  id: 'SS-K8S-093',
  title: 'HTTPRoute is accepted by its Gateway',
  catalog: ['K8S-NET-07'],
  severity: ERROR,
  message: 'HTTPRoute is not accepted by its Gateway in the output: no listener takes it',
  fix: 'make each parentRef name a listener of the Gateway that takes the route: a sectionName (and port) the Gateway has; a listener whose '
    + 'allowedRoutes.kinds lists HTTPRoute (or is unset on an HTTP or HTTPS listener) and whose allowedRoutes.namespaces admits the route\'s '
    + 'namespace (from: All, or Selector with labels the route\'s Namespace carries, or the route in the Gateway\'s namespace for from: Same, the default); '
    + 'and a route hostname that matches the listener\'s hostname (or no hostname on either). Otherwise change the Gateway\'s listener',
  rationale: 'The API server stores an HTTPRoute whatever its parentRefs say; it is the Gateway\'s controller that decides whether a listener '
    + 'takes it, and a route no listener takes gets Accepted=False in its status and no traffic: "it applied but nothing answers". When the '
    + 'parent Gateway is in the same output, the rule decides as the Gateway API specifies, for each parentRef to it: the sectionName must '
    + 'name a listener and the port must be one a listener (the named one, if any) listens on (NoMatchingParent); at least one of those '
    + 'listeners must admit the route, by allowedRoutes.kinds (when unset, by its protocol: TLS, TCP and UDP listeners take no HTTPRoute) '
    + 'and allowedRoutes.namespaces (from: Same, the default, admits only the Gateway\'s own namespace; from: Selector is evaluated '
    + 'against the labels of the route\'s Namespace, with the kubernetes.io/metadata.name label every namespace has, when that Namespace is in '
    + 'the output, and admits the route otherwise) (NotAllowedByListeners); and when the route and every listener that admits it set '
    + 'hostnames, one must intersect, a leading "*." on either side matching one or more labels (NoMatchingListenerHostname). A parentRef '
    + 'to a Gateway that is not in the output is left alone: its listeners are not known (SS-K8S-055 still reports a route that names none '
    + 'of them). A route without a namespace is taken to be admitted by the namespace conditions, since kubectl puts it in a namespace the '
    + 'output does not say. Routes of other kinds (GRPCRoute, TLSRoute) are not looked at.',
  sources: ['Gateway API v1: HTTPRoute spec.parentRefs (sectionName, port) and spec.hostnames; Gateway listeners allowedRoutes and hostname; '
    + 'route conditions NoMatchingParent, NotAllowedByListeners, NoMatchingListenerHostname'],
  kinds: ['HTTPRoute'],
  check: (doc, index) => {
    if (apiGroup(doc.manifest.apiVersion) !== GATEWAY_GROUP) return undefined;
    const refs = arr(o(doc.manifest.spec).parentRefs);
    const routeNs = doc.namespace ?? '';
    let applies = false;
    let out: Violation[] | undefined;
    for (let i = 0; i < refs.length; i++) {
      const ref = refs[i];
      if (!isObj(ref) || !refersToGateway(ref) || typeof ref.name !== 'string') continue;
      const gatewayNs = typeof ref.namespace === 'string' ? ref.namespace : routeNs;
      const gateway = gatewayInOutput(index, ref.name, gatewayNs);
      if (gateway === undefined) continue; // a Gateway of another output: its listeners are not known
      applies = true;
      const v = attachment(ref, i, doc, gateway, gatewayNs, index);
      if (v !== undefined) (out ??= []).push(v);
    }
    return !applies ? undefined : out ?? NONE;
  },
});
