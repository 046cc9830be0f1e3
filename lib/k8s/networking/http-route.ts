import { ApiObject, Duration, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import type * as metav1 from 'kubernetes-types/meta/v1';
import { TrafficChecks } from './hostnames';
import { INetworkPeer, NetworkPeer } from './network-peer';
import { settleMeshing } from './peer-config';
import { fail } from '../../core/errors';
import { Names } from '../../core/names';
import { _chartOf } from '../synth-steps';
import type { IWebService } from '../workloads/web-service';

/** The rule that checks an HTTPRoute's backends against the output (suppressed for imported Services). */
const BACKENDS_EXIST_RULE = 'SS-K8S-102';

/** A Gateway API HTTPRoute match (gateway.networking.k8s.io/v1 `spec.rules[].matches[]`), the fields shipshape writes. */
interface HttpRouteMatchManifest {
  path?: { type?: string; value?: string };
  headers?: Array<{ type?: string; name: string; value: string }>;
  method?: string;
}

/** A Gateway API HTTPRoute rule (`spec.rules[]`), the fields shipshape writes. */
interface HttpRouteRuleManifest {
  matches?: HttpRouteMatchManifest[];
  backendRefs?: Array<{ group?: string; kind?: string; name: string; namespace?: string; port?: number; weight?: number }>;
  timeouts?: { request?: string; backendRequest?: string };
}

/** A Gateway API HTTPRoute (gateway.networking.k8s.io/v1; a custom resource), the fields shipshape writes. */
interface HttpRouteManifest {
  apiVersion: 'gateway.networking.k8s.io/v1';
  kind: 'HTTPRoute';
  metadata?: metav1.ObjectMeta;
  spec: {
    parentRefs?: Array<{ group?: string; kind?: string; name: string; namespace?: string; sectionName?: string; port?: number }>;
    hostnames?: string[];
    rules?: HttpRouteRuleManifest[];
  };
}

/**
 * The Gateway a route attaches to.
 */
export interface GatewayReference {
  /** The Gateway's name. */
  readonly name: string;
  /**
   * The Gateway's namespace.
   * @default - the route's namespace
   */
  readonly namespace?: string;
  /**
   * The listener to attach to: the Gateway's HTTPS listener. Required unless the route sets `plainHttp: true`,
   * because a route without it attaches to every listener, plain-HTTP ones included.
   * @default - none, which is an error unless `plainHttp: true` (then every listener that accepts the route)
   */
  readonly sectionName?: string;
}

/**
 * How an HTTPRoute path is matched.
 */
export enum HttpRoutePathType {
  /** Matches the path and everything below it, by path segment. */
  PATH_PREFIX = 'PathPrefix',
  /** Matches the exact path only. */
  EXACT = 'Exact',
  /** A regular expression (implementation-specific dialect). */
  REGULAR_EXPRESSION = 'RegularExpression',
}

/**
 * HTTP methods for route matches.
 */
export enum HttpMethod {
  /** GET */
  GET = 'GET',
  /** HEAD */
  HEAD = 'HEAD',
  /** POST */
  POST = 'POST',
  /** PUT */
  PUT = 'PUT',
  /** DELETE */
  DELETE = 'DELETE',
  /** OPTIONS */
  OPTIONS = 'OPTIONS',
  /** PATCH */
  PATCH = 'PATCH',
}

/**
 * A request match: path, headers and method (all must match).
 */
export interface HttpRouteMatch {
  /**
   * The path.
   * @default "/"
   */
  readonly path?: string;
  /**
   * How the path is matched.
   * @default HttpRoutePathType.PATH_PREFIX
   */
  readonly pathType?: HttpRoutePathType;
  /**
   * Headers that must have exactly these values.
   * @default - no header match
   */
  readonly headers?: { [name: string]: string };
  /**
   * The HTTP method.
   * @default - any method
   */
  readonly method?: HttpMethod;
}

/**
 * A weighted backend of a rule.
 */
export interface HttpRouteBackend {
  /**
   * The WebService (in the route's namespace: a backend in another namespace would need a ReferenceGrant there,
   * which the route does not write, so it is refused). Its NetworkPolicy admits the gateway on the routed port.
   *
   * A Service managed outside this app is routed to by importing it with `WebService.fromServiceAttributes`: the
   * route then writes no NetworkPolicy rule for it (its owner admits the gateway's pods), and suppresses rule
   * SS-K8S-102, which cannot see the Service in the output, on its HTTPRoute object with a reason naming the imported
   * Services (annotation `suppress.shipshape.io/SS-K8S-102`). That suppression covers the whole HTTPRoute, so a route
   * with an imported backend may route besides only to shipshape workloads of this app, whose Services and ports it
   * checks itself; another backend (a hand-written `IWebService`) is refused there: route it in a route of its own.
   */
  readonly service: IWebService;
  /**
   * Relative weight (0-1000000): for a canary, for example 90 and 10.
   * @default 1
   */
  readonly weight?: number;
  /**
   * The Service port (checked against the ports the WebService's Service exposes; for an imported Service, its
   * `servicePort`).
   * @default - the backend's service port
   */
  readonly port?: number;
}

/**
 * One rule: matches, backends and timeouts.
 */
export interface HttpRouteRule {
  /**
   * The requests this rule takes (any of them).
   * @default - every request (path prefix "/")
   */
  readonly matches?: HttpRouteMatch[];
  /** The backends, with weights. */
  readonly backends: HttpRouteBackend[];
  /**
   * Timeout of the whole request as the client sees it (retries included). Written as a Gateway API duration
   * (`30h`, `1m40s500ms`): whole milliseconds up to 99999h59m59s999ms. `Duration.seconds(0)` turns the timeout off
   * (a gateway that cannot turn it off uses its longest).
   * @default - the gateway's default (often none)
   */
  readonly timeout?: Duration;
  /**
   * Timeout of each request to a backend; at most `timeout` (unless `timeout` is zero, which turns that off).
   * Written as a Gateway API duration, like `timeout`; `Duration.seconds(0)` turns it off.
   * @default - the gateway's default
   */
  readonly backendTimeout?: Duration;
}

/**
 * Properties of an HttpRoute.
 */
export interface HttpRouteProps {
  /**
   * The HTTPRoute name.
   * @default - the construct id in kebab case
   */
  readonly name?: string;
  /**
   * The namespace (the backends must be in it).
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * The parent Gateway. TLS is the Gateway listener's job: attach to an HTTPS listener with `sectionName`. The
   * listener must admit routes from the route's namespace: its `allowedRoutes.namespaces` defaults to `Same` (the
   * Gateway's namespace only), so a Gateway in another namespace needs `from: All` or a `Selector` matching it.
   * Rule SS-K8S-093 checks the listener, its hostname and what it admits when the Gateway is in the output.
   */
  readonly gateway: GatewayReference;
  /**
   * Hostnames the route serves.
   * @default - every hostname of the Gateway listener
   */
  readonly hostnames?: string[];
  /**
   * The rules (more can be added with `addRule`).
   * @default - none
   */
  readonly rules?: HttpRouteRule[];
  /**
   * Allow the route to attach without naming a (TLS) listener: an explicit opt-out of HTTPS (rule SS-K8S-055 in docs/rules.md).
   * @default false
   */
  readonly plainHttp?: boolean;
  /**
   * The gateway's data-plane pods, admitted to each backend by its NetworkPolicy (and by the mesh's authorization
   * when the backend is meshed: see `gatewayMeshed`); not to an imported Service, whose pods their owner manages.
   *
   * The default follows the label the Gateway API recommends for gateways deployed per Gateway (GEP-1762; Istio
   * uses it) in the Gateway's namespace. Implementations that run their proxies elsewhere or label them otherwise
   * (Envoy Gateway: in its own namespace, labelled `gateway.envoyproxy.io/owning-gateway-name`) need this peer set,
   * or the NetworkPolicy drops the gateway's traffic.
   * @default - pods labelled `gateway.networking.k8s.io/gateway-name: <gateway>` in the gateway's namespace
   */
  readonly gatewayPeer?: INetworkPeer;
  /**
   * The gateway's data-plane pods run a proxy of the service mesh the backends are enrolled in (an Istio gateway
   * injected into the mesh, a gateway with linkerd.io/inject), so they call with mutual TLS and a mesh identity.
   * When false, as for `NetworkPeer.ingressController` without `meshed`, a meshed backend accepts plaintext from the
   * gateway on the port it routes to: Istio gets a port-level PERMISSIVE mode and an authorization rule for callers
   * without a mesh identity on that port; Linkerd's `Server` there admits in-cluster clients without an identity
   * (`accessPolicy: cluster-unauthenticated`). On that port the NetworkPolicy, which admits only the gateway's pods,
   * then decides who gets in (on a cluster whose profile says NetworkPolicies are not enforced, that opening is
   * refused); set true (and mesh the gateway) to keep identity-based authorization there.
   *
   * Applies to the default gateway peer and to a `gatewayPeer` that does not state its meshing; a peer declared with
   * `NetworkPeer.pods(ns, labels, { meshed })` or `NetworkPeer.ingressController` keeps its own declaration (a
   * contradicting value is refused). Only matters for meshed backends.
   * @default false
   */
  readonly gatewayMeshed?: boolean;
}

/**
 * A Gateway API v1 `HTTPRoute`: hostnames, matches on path, headers and method, weighted backends for
 * canaries and timeouts, routed to WebServices (also ones imported with `WebService.fromServiceAttributes`), with the
 * NetworkPolicy rule that lets the gateway reach them.
 * A meshed backend admits the gateway as a caller outside the mesh (plaintext on the routed port) unless
 * `gatewayMeshed` is set.
 */
export class HttpRoute extends Construct {
  /** The route name. */
  public readonly name: string;
  /** The namespace. */
  public readonly namespace: string;
  /** The HTTPRoute object. */
  public readonly route: ApiObject;
  /** The peer admitted to each backend. */
  public readonly gatewayPeer: INetworkPeer;

  private readonly rules: HttpRouteRuleManifest[] = [];
  /** The namespace of the parent Gateway (given, or the route's). */
  private readonly gatewayNamespace: string;
  private readonly matchKeys = new Map<string, number>();
  private readonly admitted = new Set<string>();
  /** Every backend routed so far: imported with WebService.fromServiceAttributes, or checked by nothing but SS-K8S-102. */
  private readonly routed: Array<{ backend: IWebService; imported: boolean; unchecked: boolean }> = [];

  constructor(scope: Construct, id: string, props: HttpRouteProps) {
    super(scope, id);
    this.name = Names.dnsLabel(this, 'name', props.name ?? Names.kebab(id), 63);
    const ns = props.namespace ?? _chartOf(this).namespace;
    if (!ns) {
      fail(this, 'namespace', ns, 'is not set on the route nor on its chart, so it would land in "default" (rule SS-K8S-065)', 'set `namespace` on the Chart or on the route');
    }
    this.namespace = Names.dnsLabel(this, 'namespace', ns, 63);
    Names.dnsSubdomain(this, 'gateway.name', props.gateway?.name ?? '');
    const gwNamespace = Names.dnsLabel(this, 'gateway.namespace', props.gateway.namespace ?? this.namespace, 63);
    this.gatewayNamespace = gwNamespace;
    if (props.gateway.sectionName !== undefined) Names.dnsSubdomain(this, 'gateway.sectionName', props.gateway.sectionName);
    if (props.gateway.sectionName === undefined && !props.plainHttp) {
      fail(this, 'gateway.sectionName', undefined, 'is required: without it the route attaches to every listener of the Gateway, plain-HTTP ones included (rule SS-K8S-055)',
        "name the Gateway's HTTPS listener (gateway: { name, sectionName: 'https' }), or opt out explicitly with plainHttp: true");
    }
    const hostnames = (props.hostnames ?? []).map((h, i) => TrafficChecks.hostname(this, `hostnames[${i}]`, h));
    const dupHost = hostnames.find((h, i) => hostnames.indexOf(h) !== i);
    if (dupHost) fail(this, 'hostnames', dupHost, 'appears twice', 'list each hostname once');
    if (hostnames.length > 16) fail(this, 'hostnames', hostnames.length, 'must hold at most 16 hostnames (Gateway API limit)', 'split the route');
    if (props.gatewayPeer?.toNetworkPeer().ports?.length) {
      fail(this, 'gatewayPeer', props.gatewayPeer.toNetworkPeer().description, 'is declared with ports, but the route admits the Gateway on each backend\'s own port',
        'declare the gateway peer without ports');
    }
    this.gatewayPeer = props.gatewayPeer
      ? settleMeshing(this, 'gatewayPeer', props.gatewayPeer, 'gatewayMeshed', props.gatewayMeshed)
      : NetworkPeer.pods(gwNamespace, { 'gateway.networking.k8s.io/gateway-name': props.gateway.name }, { meshed: props.gatewayMeshed ?? false });

    const parentRef: NonNullable<HttpRouteManifest['spec']['parentRefs']>[number] = { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: props.gateway.name };
    if (props.gateway.namespace) parentRef.namespace = gwNamespace;
    if (props.gateway.sectionName) parentRef.sectionName = props.gateway.sectionName;

    this.route = new ApiObject(this, 'HTTPRoute', {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: {
        name: this.name,
        namespace: this.namespace,
        labels: { 'app.kubernetes.io/name': this.name, 'app.kubernetes.io/instance': this.name, 'app.kubernetes.io/managed-by': 'shipshape' },
      },
      spec: Lazy.any({
        produce: () => ({
          parentRefs: [parentRef],
          ...(hostnames.length ? { hostnames } satisfies HttpRouteManifest['spec'] : {}),
          rules: this.rules,
        } satisfies HttpRouteManifest['spec']),
      }),
    } satisfies HttpRouteManifest);
    (props.rules ?? []).forEach((r, i) => this.add(`rules[${i}]`, r));
    this.node.addValidation({ validate: () => this.rules.length ? [] : [`${this.node.path}: rules ([]) must hold at least one rule; add rules or call addRule`] });
  }

  /**
   * Adds a rule.
   */
  public addRule(rule: HttpRouteRule): void {
    this.add(`rules[${this.rules.length}]`, rule);
  }

  private add(prop: string, rule: HttpRouteRule): void {
    if (this.rules.length >= 16) fail(this, prop, this.rules.length + 1, 'exceeds the 16 rules an HTTPRoute may hold (Gateway API limit)', 'split the routes over several HttpRoutes');
    const given = rule.matches && rule.matches.length ? rule.matches : [{}];
    if (given.length > 64) {
      fail(this, `${prop}.matches`, `${given.length} matches`, 'must hold at most 64 matches (HTTPRoute CRD maxItems: the API server refuses the route)', 'split the matches over several rules with the same backends');
    }
    const before = this.rules.reduce((n, r) => n + (r.matches?.length ?? 0), 0);
    if (before + given.length >= 128) {
      fail(this, `${prop}.matches`, `${given.length} matches`, `would bring the route to ${before + given.length} matches across its rules; the HTTPRoute CRD allows fewer than 128 in all (the API server refuses the route)`,
        'split the rules over several HttpRoutes (same gateway and hostnames)');
    }
    const matches = given.map((m, j) => this.match(`${prop}.matches[${j}]`, m));
    const keys = matches.map(m => HttpRoute.matchKey(m));
    keys.forEach((key, j) => {
      const prev = this.matchKeys.get(key) ?? (keys.indexOf(key) < j ? -1 : undefined);
      if (prev !== undefined) {
        const where = prev === -1 ? `matches[${keys.indexOf(key)}] of the same rule` : `a match of rules[${prev}]`;
        const why = "(a PathPrefix match ignores a trailing '/', header names are case-insensitive): the same requests would be routed twice";
        const fix = 'remove one of the matches or make them differ (path, headers or method)';
        // the value shown is the match as written; a rule without matches matches every path
        if (rule.matches === undefined || rule.matches.length === 0) {
          fail(this, `${prop}.matches`, rule.matches, `${rule.matches === undefined ? 'is unset' : 'is empty'}, so the rule matches every path (PathPrefix "/"), which duplicates ${where} ${why}`,
            'give the rule matches of its own (path, headers or method), or remove one of the two rules');
        }
        fail(this, `${prop}.matches[${j}]`, rule.matches[j], `duplicates ${where} ${why}`, fix);
      }
    });
    keys.forEach(k => this.matchKeys.set(k, this.rules.length));
    if (!rule.backends || rule.backends.length === 0) fail(this, `${prop}.backends`, rule.backends, 'must hold at least one backend', 'add { service: api }');
    if (rule.backends.length > 16) fail(this, `${prop}.backends`, rule.backends.length, 'must hold at most 16 backends (Gateway API limit)', 'remove backends');
    let total = 0;
    const backendRefs = rule.backends.map((declared, j) => {
      const bp = `${prop}.backends[${j}]`;
      // a construct wrapping a WebService (returning its toNetworkPeer()) is that WebService here
      const b = { ...declared, service: TrafficChecks.backendWorkload(declared.service) };
      const { servicePort, targetPort } = TrafficChecks.backend(this, bp, b.service, this.namespace, b.port, this.gatewayNamespace, 'service');
      const weight = b.weight ?? 1;
      if (!Number.isInteger(weight) || weight < 0 || weight > 1000000) {
        fail(this, `${bp}.weight`, weight, 'must be a whole number from 0 to 1000000', 'use relative weights such as 90 and 10');
      }
      total += weight;
      const imported = TrafficChecks.isImported(b.service);
      const unchecked = !imported && !TrafficChecks.inApp(this, b.service, servicePort);
      TrafficChecks.checkImportMix(this, `${bp}.service`, b.service, imported, unchecked, this.routed,
        { rule: BACKENDS_EXIST_RULE, noun: 'route', object: 'HTTPRoute', construct: 'HttpRoute' });
      this.routed.push({ backend: b.service, imported, unchecked });
      if (imported) {
        // SS-K8S-102 cannot see an imported Service in the output: suppressed on the HTTPRoute, with a reason naming every import
        const names = [...new Set(this.routed.filter(r => r.imported).map(r => r.backend.name))];
        this.route.metadata.addAnnotation(`suppress.shipshape.io/${BACKENDS_EXIST_RULE}`, TrafficChecks.importedBackendsReason(names, this.namespace));
      }
      const key = `${b.service.node.path}|${targetPort}`;
      // an imported Service's pods are their owner's: no NetworkPolicy rule for them (see WebService.fromServiceAttributes)
      if (!imported && !this.admitted.has(key)) {
        this.admitted.add(key);
        const svc = b.service as any;
        if (typeof svc.allowFrom === 'function') svc.allowFrom(this.gatewayPeer, [targetPort]);
      }
      return { group: '', kind: 'Service', name: b.service.name, port: servicePort, weight } satisfies NonNullable<HttpRouteRuleManifest['backendRefs']>[number];
    });
    if (total === 0) fail(this, `${prop}.backends`, rule.backends.map(b => b.weight ?? 1), 'have weights summing to 0, so every request would fail', 'give at least one backend a positive weight');
    const timeouts: NonNullable<HttpRouteRuleManifest['timeouts']> = {};
    const request = rule.timeout ? gatewayDuration(this, `${prop}.timeout`, rule.timeout) : undefined;
    const backendRequest = rule.backendTimeout ? gatewayDuration(this, `${prop}.backendTimeout`, rule.backendTimeout) : undefined;
    if (request) timeouts.request = request.text;
    if (backendRequest) timeouts.backendRequest = backendRequest.text;
    // a zero request timeout turns it off, so any backend timeout fits under it (the CRD's own rule says the same)
    if (request && backendRequest && request.ms !== 0 && backendRequest.ms > request.ms) {
      fail(this, `${prop}.backendTimeout`, backendRequest.text, `must be at most timeout (${request.text})`, 'lower backendTimeout or raise timeout');
    }
    this.rules.push({ matches, backendRefs, ...(Object.keys(timeouts).length ? { timeouts } satisfies HttpRouteRuleManifest : {}) });
  }

  /** What a match is compared by: a PathPrefix path without its trailing '/', header names in lower case and sorted. */
  private static matchKey(m: HttpRouteMatchManifest): string {
    const type = m.path?.type ?? HttpRoutePathType.PATH_PREFIX;
    const value = m.path?.value ?? '/';
    return JSON.stringify({
      type,
      value: type === HttpRoutePathType.PATH_PREFIX ? TrafficChecks.prefixKey(value) : value,
      headers: (m.headers ?? []).map(h => [h.name.toLowerCase(), h.type, h.value]).sort(),
      method: m.method,
    });
  }

  private match(prop: string, m: HttpRouteMatch): HttpRouteMatchManifest {
    const path = m.path ?? '/';
    const type = m.pathType ?? HttpRoutePathType.PATH_PREFIX;
    if (type !== HttpRoutePathType.REGULAR_EXPRESSION && !path.startsWith('/')) {
      fail(this, `${prop}.path`, path, "must start with '/'", `write it as ${JSON.stringify('/' + path)}`);
    }
    if (type === HttpRoutePathType.REGULAR_EXPRESSION) {
      if (path.length > 1024) fail(this, `${prop}.path`, path, `is ${path.length} characters long, more than the 1024 the HTTPRoute CRD allows`, 'shorten the regular expression');
      const problem = regexProblem(path);
      if (problem) fail(this, `${prop}.path`, path, `is not a valid regular expression: ${problem}`, 'fix the expression (gateways such as Envoy use RE2 syntax: no lookaround, no backreference)');
    } else {
      TrafficChecks.routePath(this, `${prop}.path`, path, type);
    }
    const out: HttpRouteMatchManifest = { path: { type, value: path } };
    const headers = Object.entries(m.headers ?? {});
    if (headers.length > 16) {
      fail(this, `${prop}.headers`, `${headers.length} headers`, 'must hold at most 16 headers (HTTPRoute CRD maxItems)', 'match on fewer headers');
    }
    const seen = new Map<string, string>();
    for (const [name, value] of headers) {
      if (!/^[A-Za-z0-9!#$%&'*+\-.^_`|~]{1,256}$/.test(name)) {
        fail(this, `${prop}.headers`, name, 'is not a valid HTTP header name', 'use letters, digits and "-"');
      }
      const first = seen.get(name.toLowerCase());
      if (first !== undefined) {
        fail(this, `${prop}.headers`, name, `names the header ${JSON.stringify(first)} again: header names are case-insensitive, and the Gateway API uses only the first of two equivalent names`,
          `keep one of ${JSON.stringify(first)} and ${JSON.stringify(name)}`);
      }
      seen.set(name.toLowerCase(), name);
      if (typeof value !== 'string' || value.length > 4096 || !/^[!-~]+([\t ]?[!-~]+)*$/.test(value)) {
        fail(this, `${prop}.headers[${JSON.stringify(name)}]`, value,
          'must be 1 to 4096 visible ASCII characters, with single spaces or tabs between words and none at either end (HTTPRoute CRD pattern)', 'trim the value and remove control and non-ASCII characters');
      }
    }
    if (headers.length) out.headers = headers.map(([name, value]) => ({ type: 'Exact', name, value }));
    if (m.method) out.method = m.method;
    return out;
  }

  /**
   * Renders a Gateway API duration in its canonical form (see `gatewayDuration`), or refuses one the format cannot hold.
   * @internal
   */
  public static _duration(scope: Construct, prop: string, d: Duration): string {
    return gatewayDuration(scope, prop, d).text;
  }
}

/** The units of a Gateway API duration, largest first, in milliseconds. */
const GATEWAY_DURATION_UNITS: Array<[string, number]> = [['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1]];

/** The longest duration the canonical Gateway API form holds: each unit at most once, at most five digits (hours). */
const MAX_GATEWAY_DURATION_MS = 99_999 * 3_600_000 + 3_599_999;

/** A whole number of milliseconds in the canonical form: `0s`, else each non-zero unit once, largest first. */
function formatGatewayDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let text = '';
  for (const [unit, size] of GATEWAY_DURATION_UNITS) {
    const n = Math.floor(rest / size);
    if (n > 0) text += `${n}${unit}`;
    rest -= n * size;
  }
  return text;
}

/**
 * A cdk8s Duration as a Gateway API duration (GEP-2257: matches `^([0-9]{1,5}(h|m|s|ms)){1,4}$`, the pattern of the
 * HTTPRoute CRD's timeouts, and reads as Go's time.ParseDuration does), in the canonical form GEP-2257 describes:
 * `0s` for zero (which turns a Gateway API timeout off), else each non-zero unit once, largest first (`30h`,
 * `1m40s500ms`). Refuses what the format cannot hold: a fraction of a millisecond, or more than 99999h59m59s999ms.
 * Returns the text and the milliseconds.
 */
function gatewayDuration(scope: Construct, prop: string, d: Duration): { text: string; ms: number } {
  const raw = d.toMilliseconds({ integral: false });
  if (!Number.isFinite(raw)) fail(scope, prop, `${raw}ms`, 'must be a finite duration', 'use for example Duration.seconds(10)');
  // a product such as Duration.seconds(1.001) (1000.9999999999999 ms) stands for the whole number next to it
  // (but never rounds a positive duration down to zero, which would turn the timeout off)
  const near = Math.round(raw);
  const ms = near !== 0 && Math.abs(raw - near) < 1e-6 ? near : raw;
  if (!Number.isInteger(ms)) {
    fail(scope, prop, `${raw}ms`,
      'is not a whole number of milliseconds: a Gateway API duration (GEP-2257) counts whole hours, minutes, seconds and milliseconds, nothing shorter',
      `round it to whole milliseconds, for example Duration.millis(${Math.max(1, Math.round(raw))})`);
  }
  if (ms > MAX_GATEWAY_DURATION_MS) {
    fail(scope, prop, formatGatewayDuration(ms), 'is longer than 99999h59m59s999ms, the longest Gateway API duration (GEP-2257: at most five digits per unit)',
      'use a shorter timeout, or Duration.seconds(0), which turns the timeout off');
  }
  return { text: formatGatewayDuration(ms), ms };
}

/**
 * Whether `source` is a regular expression a gateway can compile (cheap checks, RE2 as Envoy uses it): the
 * syntax must parse, and lookarounds and backreferences (which RE2 lacks) are refused. Returns what is wrong.
 */
function regexProblem(source: string): string | undefined {
  if (source.length === 0) return 'it is empty';
  // RE2 features JavaScript spells differently: (?P<name>...) groups and (?flags) / (?flags:...) groups
  let js = source.replace(/\(\?P</g, '(?<');
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      if (!inClass && /[1-9]/.test(next)) return `\\${next} is a backreference, which RE2 does not support`;
      if (!inClass && next === 'k' && source[i + 2] === '<') return '\\k<...> is a backreference, which RE2 does not support';
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      if (source[i + 1] === '^') i++;
      if (source[i + 1] === ']') i++; // a leading ']' is a literal
      continue;
    }
    if (c === '(' && source[i + 1] === '?') {
      const rest = source.slice(i + 2);
      if (/^<?[=!]/.test(rest)) return `${JSON.stringify(source.slice(i, i + (rest.startsWith('<') ? 4 : 3)))} is a lookaround, which RE2 does not support`;
    }
  }
  js = js.replace(/\(\?[imsU]+\)/g, '').replace(/\(\?[imsU]*(-[imsU]+)?:/g, '(?:');
  try {
    new RegExp(js);
  } catch (e: any) {
    return String(e?.message ?? e).replace(/^Invalid regular expression: /, '');
  }
  return undefined;
}
