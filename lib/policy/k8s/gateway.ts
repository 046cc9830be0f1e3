// Internal: Gateway API helpers shared by the rules on HTTPRoutes (SS-K8S-055, SS-K8S-093). Not re-exported by the barrel.
import { DocumentIndex } from '../document-index';
import { PolicyDocument } from '../rule';
import { arr, isObj, o } from './pod';
import { selectorMatches } from './selectors';

/** The Gateway API group. */
export const GATEWAY_GROUP = 'gateway.networking.k8s.io';

/** The API group of an apiVersion (`gateway.networking.k8s.io/v1` -> `gateway.networking.k8s.io`, `v1` -> core). */
export function apiGroup(apiVersion: unknown): string {
  if (typeof apiVersion !== 'string') return '';
  const i = apiVersion.indexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

/** True when a route's parentRef refers to a Gateway: group gateway.networking.k8s.io (the default) and kind Gateway (the default). */
export function refersToGateway(ref: any): boolean {
  return (ref.group ?? GATEWAY_GROUP) === GATEWAY_GROUP && (ref.kind ?? 'Gateway') === 'Gateway';
}

/** The Gateway `name` of namespace `ns` ('' = none) when the output holds it as a gateway.networking.k8s.io object, else undefined. */
export function gatewayInOutput(index: DocumentIndex, name: string, ns: string): PolicyDocument | undefined {
  const gateway = index.find('Gateway', name, ns === '' ? undefined : ns);
  return gateway !== undefined && apiGroup(gateway.manifest?.apiVersion) === GATEWAY_GROUP ? gateway : undefined;
}

/** How a message names a Gateway: `Gateway <ns>/<name>`, or `Gateway <name>` without a namespace. */
export function gatewayLabel(ns: string, name: string): string {
  return `Gateway ${ns === '' ? '' : `${ns}/`}${name}`;
}

/** The route kinds a listener of a core protocol takes when its allowedRoutes.kinds is unset: HTTP and HTTPS take HTTPRoutes. */
const PROTOCOL_ROUTE_KIND: { readonly [protocol: string]: string } = { TLS: 'TLSRoute', TCP: 'TCPRoute', UDP: 'UDPRoute' };

/** How a message names a listener. */
export function listenerLabel(listener: any): string {
  return `listener ${JSON.stringify(listener.name ?? null)}`;
}

/** How a message names an allowedRoutes.kinds entry: its kind, with its group when that is not the Gateway API's. */
function kindLabel(k: any): string {
  const group = k.group ?? GATEWAY_GROUP;
  return group === GATEWAY_GROUP ? String(k.kind) : `${k.kind} (group ${JSON.stringify(group)})`;
}

/**
 * The labels of a Namespace the output holds (with `kubernetes.io/metadata.name`, which the API server sets on every
 * namespace), or undefined when the output does not hold it.
 */
export type NamespaceLabels = (ns: string) => { [k: string]: string } | undefined;

/**
 * Why a listener of a Gateway in namespace `gatewayNs` does not admit an HTTPRoute of namespace `routeNs`, or
 * undefined when it does (or may): allowedRoutes.kinds, or when that is unset the kind the listener's protocol takes
 * (TLS, TCP and UDP listeners take no HTTPRoute); allowedRoutes.namespaces.from Same (the default) or All; a
 * namespace selector admits the route unless `namespaceLabels` gives the labels of its namespace, which it must
 * select. `routeNs` undefined: the route's namespace is not known, and every namespace condition admits it.
 */
export function listenerRefusal(listener: any, gatewayNs: string, routeNs: string | undefined, namespaceLabels?: NamespaceLabels): string | undefined {
  const allowed = o(listener.allowedRoutes);
  const kinds = arr(allowed.kinds);
  if (kinds.length > 0 && !kinds.some(k => o(k).kind === 'HTTPRoute' && (o(k).group === undefined || o(k).group === GATEWAY_GROUP))) {
    return `${listenerLabel(listener)} admits only ${kinds.map(k => kindLabel(o(k))).join(', ')} (allowedRoutes.kinds), not HTTPRoute`;
  }
  const protocolKind = kinds.length === 0 && typeof listener.protocol === 'string' ? PROTOCOL_ROUTE_KIND[listener.protocol] : undefined;
  if (protocolKind !== undefined) {
    return `${listenerLabel(listener)} has protocol ${listener.protocol}, which takes ${protocolKind}s, not HTTPRoutes (it sets no allowedRoutes.kinds)`;
  }
  if (routeNs === undefined) return undefined;
  const namespaces = o(allowed.namespaces);
  const from = namespaces.from ?? 'Same';
  if (from === 'Same') {
    if (routeNs === gatewayNs) return undefined;
    const dflt = namespaces.from === undefined ? ', the default' : '';
    return `${listenerLabel(listener)} admits only routes of its own namespace ${JSON.stringify(gatewayNs)} (allowedRoutes.namespaces.from: Same${dflt}), `
      + `and the route is in ${JSON.stringify(routeNs)}`;
  }
  if (from !== 'Selector' || namespaceLabels === undefined || !isObj(namespaces.selector)) return undefined;
  const labels = namespaceLabels(routeNs);
  if (labels === undefined || selectorMatches(namespaces.selector, labels)) return undefined;
  return `${listenerLabel(listener)} admits only routes of the namespaces its allowedRoutes.namespaces.selector ${JSON.stringify(namespaces.selector)} selects, `
    + `and Namespace ${JSON.stringify(routeNs)}, the route's, does not match it with the labels it has in the output`;
}

/**
 * Whether a listener of a Gateway admits an HTTPRoute of `routeNs` (allowedRoutes: kinds, or the kinds of its
 * protocol when unset; namespaces from Same, the default, or All; a namespace selector is taken to admit it).
 */
export function admits(listener: any, gatewayNs: string, routeNs: string): boolean {
  return listenerRefusal(listener, gatewayNs, routeNs) === undefined;
}

/**
 * Whether two hostnames of the Gateway API intersect (a route's and a listener's): equal, or a wildcard `*.<suffix>`
 * on either side that the other one falls under (`*.example.com` matches `a.example.com` and `a.b.example.com`, not
 * `example.com`; two wildcards intersect when one suffix ends the other). Case is ignored.
 */
export function hostnamesIntersect(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x === y) return true;
  const wx = x.startsWith('*.');
  const wy = y.startsWith('*.');
  if (wx && wy) return x.slice(1).endsWith(y.slice(1)) || y.slice(1).endsWith(x.slice(1));
  if (wx) return y.endsWith(x.slice(1));
  if (wy) return x.endsWith(y.slice(1));
  return false;
}
