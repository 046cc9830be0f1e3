import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { fail } from '../../core/errors';
import type { IWebService } from '../workloads/web-service';

const HOST = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Marks a Service imported with `WebService.fromServiceAttributes` (global: also one made by another copy of the library). */
const IMPORTED = Symbol.for('shipshape.ImportedWebService');
/** Marks a shipshape workload (as `Workload.isWorkload`, which this module cannot import: the workloads import it). */
const WORKLOAD = Symbol.for('shipshape.Workload');
/** Set by a workload on the peer config it returns from `toNetworkPeer()` (see Workload). */
const PEER_OF = Symbol.for('shipshape.Workload.peerOf');

/**
 * Hostname and backend checks shared by HttpIngress and HttpRoute. Not exported from the barrel.
 * @internal
 */
export class TrafficChecks {
  /** Validates a DNS hostname (a leading `*.` wildcard is accepted; no IP addresses, no port). */
  public static hostname(scope: IConstruct, prop: string, host: string): string {
    const labels = (host ?? '').replace(/^\*\./, '').split('.');
    if (!host || host.length > 253 || !HOST.test(host) || labels.some(l => l.length > 63) || /^[0-9.]+$/.test(host)) {
      fail(scope, prop, host, "must be a DNS name: lowercase dot-separated labels of a-z, 0-9 and '-' (at most 63 characters each, 253 in all), optionally starting with '*.'; no IP address, port or scheme",
        `use a name such as ${JSON.stringify('shop.example.com')}`);
    }
    return host;
  }

  /**
   * Validates an Ingress path of type Prefix or Exact as the API server does (networking/v1 validation refuses
   * `//`, `/./`, `/../`, `%2f`, `%2F`, and a path ending in `/.` or `/..`).
   */
  public static ingressPath(scope: IConstruct, prop: string, path: string, pathType: string): void {
    const problem = pathProblem(path, false);
    if (problem) fail(scope, prop, path, `${problem[0]} (the API server refuses it in an Ingress path of pathType ${pathType})`, problem[1]);
  }

  /**
   * Validates an HTTPRoute path of type PathPrefix or Exact as the HTTPRoute CRD does (its CEL rules refuse `//`,
   * `/./`, `/../`, `%2f`, `%2F`, `#`, a path ending in `/.` or `/..`, and characters outside RFC 3986's path
   * characters; at most 1024 characters).
   */
  public static routePath(scope: IConstruct, prop: string, path: string, pathType: string): void {
    const problem = pathProblem(path, true);
    if (problem) fail(scope, prop, path, `${problem[0]} (the HTTPRoute CRD refuses it in a ${pathType} match)`, problem[1]);
  }

  /**
   * The path a Prefix (Ingress) or PathPrefix (Gateway API) match is compared by: both ignore a trailing `/`,
   * so `/api` and `/api/` match the same requests.
   */
  public static prefixKey(path: string): string {
    return path.length > 1 ? path.replace(/\/+$/, '') || '/' : path;
  }

  /** Marks `backend` as a Service imported with `WebService.fromServiceAttributes` (managed outside the app). */
  public static markImported(backend: IWebService): void {
    Object.defineProperty(backend, IMPORTED, { value: true });
  }

  /** True when `backend` was made by `WebService.fromServiceAttributes`: a Service managed outside the app. */
  /**
   * The workload a backend stands for: a construct of the user's that implements `IWebService` around a shipshape
   * WebService and returns that WebService's `toNetworkPeer()` (the documented wrapper pattern) stands for it, so
   * routes open the wrapped workload's NetworkPolicy and check its Service as they would for the workload itself.
   * Any other backend is returned as it is.
   */
  public static backendWorkload(backend: IWebService): IWebService {
    const b = backend as any;
    if (b === null || typeof b !== 'object' || b[WORKLOAD] === true || b[IMPORTED] === true || typeof b.toNetworkPeer !== 'function') return backend;
    const of = b.toNetworkPeer()?.[PEER_OF];
    return of !== null && typeof of === 'object' && of[WORKLOAD] === true && typeof of.servicePort === 'number' ? of : backend;
  }

  public static isImported(backend: IWebService): boolean {
    return backend !== null && typeof backend === 'object' && (backend as any)[IMPORTED] === true;
  }

  /**
   * True when `backend` is a shipshape workload of the app `scope` belongs to whose Service, in the app's output,
   * exposes `servicePort` (a port `backend` accepted): its service port, or another of its container ports that is
   * not for its own replicas only (a StatefulService's peer ports are on its headless Service, not on this one).
   */
  public static inApp(scope: IConstruct, backend: IWebService, servicePort: number): boolean {
    const b = backend as any;
    if (b === null || typeof b !== 'object' || b[WORKLOAD] !== true || !ApiObject.isApiObject(b.service) || backend.node.root !== scope.node.root) return false;
    if (servicePort === backend.servicePort) return true;
    const replicaOnly: unknown = typeof b._replicaOnlyPorts === 'function' ? b._replicaOnlyPorts() : [];
    return Array.isArray(replicaOnly) && !replicaOnly.includes(servicePort);
  }

  /**
   * Refuses a backend of an ingress or route (`what`) that routes both to a Service imported with
   * `WebService.fromServiceAttributes` and to a backend nothing but the rule `rule` checks (a hand-written
   * `IWebService`): the suppression of that rule for the import, written on the whole `object`, would also hide a
   * Service or port the other backend lacks. `earlier` are the backends routed so far.
   */
  public static checkImportMix(scope: IConstruct, prop: string, backend: IWebService, imported: boolean, unchecked: boolean,
    earlier: ReadonlyArray<{ backend: IWebService; imported: boolean; unchecked: boolean }>, what: { rule: string; noun: string; object: string; construct: string }): void {
    const rule = `rule ${what.rule} (backends in the output) on its whole ${what.object}`;
    if (imported) {
      const other = earlier.find(r => r.unchecked);
      if (other === undefined) return;
      fail(scope, prop, backend.node.path, `is a Service imported with WebService.fromServiceAttributes, for which the ${what.noun} suppresses ${rule}, `
        + `but it also routes to ${other.backend.node.path} (Service ${other.backend.name}), which is not a shipshape workload of this app: the suppression would also hide `
        + 'a Service or port missing there',
      `route the imported Service in an ${what.construct} of its own, or ${other.backend.name} in another one`);
    }
    if (!unchecked) return;
    const imp = earlier.find(r => r.imported);
    if (imp === undefined) return;
    fail(scope, prop, backend.node.path, `is not a shipshape workload of this app (Service ${backend.name}), and the ${what.noun} also routes to Service ${imp.backend.name}, `
      + `imported with WebService.fromServiceAttributes, for which it suppresses ${rule}: the suppression would also hide a Service or port missing for ${backend.name}`,
    `route ${backend.name} in an ${what.construct} of its own, or import it with WebService.fromServiceAttributes if it is managed outside this app`);
  }

  /** The reason of the suppression an ingress or route writes for its imported backend Services `names` (in `namespace`). */
  public static importedBackendsReason(names: readonly string[], namespace: string): string {
    return names.length === 1
      ? `backend Service ${names[0]} (${namespace}) is imported with WebService.fromServiceAttributes: it is managed outside this app`
      : `backend Services ${names.join(', ')} (${namespace}) are imported with WebService.fromServiceAttributes: they are managed outside this app`;
  }

  /** The ports a WebService's Service exposes. */
  public static servicePorts(backend: IWebService): number[] {
    return [backend.servicePort, ...backend.containerPorts.filter(p => p !== backend.port)];
  }

  /**
   * Validates that `backend` exposes `port` (default: its service port), is in `namespace`, and returns
   * the service port and the container port behind it. `gatewayNamespace` is given for an HTTPRoute (the namespace
   * of its Gateway): a backend in another namespace is refused with the Gateway API's reason, not the Ingress's.
   * `field` is the prop that holds the backend (`backend` on an Ingress path, `service` on an HTTPRoute backend).
   */
  public static backend(scope: IConstruct, prop: string, backend: IWebService, namespace: string, port?: number, gatewayNamespace?: string, field = 'backend'): { servicePort: number; targetPort: number } {
    if (!backend || typeof (backend as any).servicePort !== 'number') {
      fail(scope, `${prop}.${field}`, String(backend), 'must be a WebService (an IWebService construct)', 'pass the WebService construct itself, not its name');
    }
    if (backend.namespace !== namespace && gatewayNamespace !== undefined) {
      // the Gateway API allows a backendRef to another namespace when a ReferenceGrant there admits the route's
      // namespace; HttpRoute writes neither that ReferenceGrant nor a namespace on its backendRefs
      const other = backend.namespace;
      const move = gatewayNamespace === other
        ? `create the route in namespace "${other}", its Gateway's (HttpRoute namespace: "${other}")`
        : `create the route in namespace "${other}" (HttpRoute namespace: "${other}", gateway.namespace: "${gatewayNamespace}"), `
          + `where the Gateway's listener must admit routes from namespace "${other}" (allowedRoutes.namespaces)`;
      fail(scope, `${prop}.${field}`, backend.node.path, `is in namespace "${other}", not "${namespace}": an HTTPRoute reaches a Service of another namespace only `
        + 'when a ReferenceGrant in that namespace allows it, and HttpRoute writes no ReferenceGrant (nor a namespace in its backendRefs), so it routes only to Services of its own namespace',
      `${move}, or create the backend in namespace "${namespace}" (check both namespaces for a typo)`);
    }
    if (backend.namespace !== namespace) {
      fail(scope, `${prop}.${field}`, backend.node.path, `is in namespace "${backend.namespace}", not "${namespace}": routes reach Services of their own namespace only`,
        `create the route in namespace "${backend.namespace}", or the backend in namespace "${namespace}" (check both namespaces for a typo)`);
    }
    const ports = TrafficChecks.servicePorts(backend);
    const p = port ?? backend.servicePort;
    if (!ports.includes(p)) {
      fail(scope, `${prop}.port`, p, `is not a port of Service ${backend.namespace}/${backend.name} (${ports.join(', ')})`, `use ${backend.servicePort} (the service port) or omit port`);
    }
    return { servicePort: p, targetPort: p === backend.servicePort ? backend.port : p };
  }

  private constructor() {}
}

/** RFC 3986 path characters, as the HTTPRoute CRD's pattern for PathPrefix and Exact paths. */
const ROUTE_PATH = /^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|%[0-9a-fA-F]{2})+$/;

/** `path` with `.` and `..` segments resolved and repeated slashes collapsed (what clients send for it). */
function normalizedPath(path: string): string {
  const out: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop(); else out.push(seg);
  }
  const trailing = /\/\.{0,2}$/.test(path) && out.length > 0;
  return '/' + out.join('/') + (trailing ? '/' : '');
}

/** `c` percent-encoded as UTF-8 (`%` as `%25`). */
function percentEncoded(c: string): string {
  try {
    return encodeURIComponent(c);
  } catch {
    return '%EF%BF%BD'; // a lone surrogate: no UTF-8 encoding
  }
}

/** What is wrong with an Ingress (`gateway` false) or HTTPRoute path and how to fix it, or undefined. */
function pathProblem(path: string, gateway: boolean): [string, string] | undefined {
  const normal = `use ${JSON.stringify(normalizedPath(path))} (the path as clients send it, without empty, "." or ".." segments)`;
  for (const seq of ['//', '/./', '/../']) {
    if (path.includes(seq)) return [`must not contain '${seq}'`, normal];
  }
  for (const seq of ['%2f', '%2F']) {
    if (path.includes(seq)) {
      return [`must not contain '${seq}' (an encoded '/')`, `write the slash as '/': ${JSON.stringify(path.split(seq).join('/'))}`];
    }
  }
  if (gateway && path.includes('#')) {
    return ["must not contain '#' (it starts the URL fragment, which clients never send)", `drop the fragment: ${JSON.stringify(path.slice(0, path.indexOf('#')) || '/')}`];
  }
  for (const suffix of ['/..', '/.']) {
    if (path.endsWith(suffix)) return [`must not end with '${suffix}'`, normal];
  }
  if (gateway) {
    if (path.length > 1024) return [`is ${path.length} characters long, more than the 1024 allowed`, 'shorten the path (match a shorter prefix)'];
    if (!ROUTE_PATH.test(path)) {
      const bad = [...path].find((c, i) => !/[-A-Za-z0-9/._~!$&'()*+,;=:@%]/.test(c) || (c === '%' && !/^%[0-9a-fA-F]{2}/.test(path.slice(i))))!;
      return [`contains ${JSON.stringify(bad)}, which is not an RFC 3986 path character (pattern ^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|%[0-9a-fA-F]{2})+$)`,
        `percent-encode it as ${JSON.stringify(percentEncoded(bad))}`];
    }
  }
  return undefined;
}
