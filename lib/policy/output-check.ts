// Internal: the app-wide output pass (whole-output integrity). Not re-exported by the barrel.
//
// Runs once per synth over every rendered object, after every chart is built and before anything is
// written, and refuses output that `kubectl apply -f dist/` or Argo CD would silently mangle:
// - two objects with the same group/kind/namespace/name (apply keeps the last one written);
// - two Ingresses (or HTTPRoutes on one Gateway) routing the same host and path (a Prefix path with and without
//   its trailing '/' is the same path; a route without sectionName attaches to every listener of its Gateway; an
//   Ingress without a class is in the cluster's default class, when the cluster's profile or the output says which
//   class that is, else synth warns of each other class that routes its host and path);
// - two cert-manager Certificates (or Ingresses with cert-manager's ingress-shim) writing one TLS Secret for
//   different hosts;
// - two Ingresses of one ALB IngressGroup setting a load-balancer-wide annotation (scheme, SSL policy, ...) to
//   different values: the AWS Load Balancer Controller then reconciles none of the group;
// - two objects written to the same file;
// - an unresolved token (cdktf, AWS CDK) anywhere in a manifest: Terraform values are only known at apply;
// - two pods that take one host port on the same node where one of them is a DaemonSet's (the scheduler leaves the
//   second Pending on every node), and a host port the node's own kubelet or kube-proxy listens on.
import { CLUSTER_SCOPED_KINDS } from './cluster-scoped';
import type { ClusterProfile } from '../core/cluster-profile';
import { TEMPLATE_KINDS } from './k8s/pod';
import { SHIPSHAPE_ERROR } from '../core/error-guards';
import { hasNumberTokenText, isNumberToken, isTokenString } from '../core/tokens';

/** One rendered object and the construct path that wrote it. */
export interface OutputObject {
  readonly manifest: any;
  readonly path: string;
}

/**
 * Kinds that are not namespaced (their metadata.namespace, if any, is ignored by the API server).
 * Custom resources outside this list are assumed namespaced unless they carry no namespace.
 */
const CLUSTER_SCOPED = CLUSTER_SCOPED_KINDS;

/** The API group of an apiVersion (`apps/v1` -> `apps`, `v1` -> core). */
export function groupOf(apiVersion: unknown): string {
  if (typeof apiVersion !== 'string') return '';
  const i = apiVersion.indexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

/** `Deployment shop/api`, `Namespace shop`, `ServiceAccount api` (no namespace). */
export function describeObject(manifest: any): string {
  const kind = String(manifest?.kind ?? '<no kind>');
  const name = manifest?.metadata?.name;
  const ns = manifest?.metadata?.namespace;
  const n = typeof name === 'string' ? name : '<no name>';
  return CLUSTER_SCOPED.has(kind) || typeof ns !== 'string' ? `${kind} ${n}` : `${kind} ${ns}/${n}`;
}

function identityOf(manifest: any): string | undefined {
  const meta = manifest?.metadata;
  if (!meta || typeof meta.name !== 'string') return undefined; // generateName objects never collide
  const kind = String(manifest.kind ?? '');
  const ns = CLUSTER_SCOPED.has(kind) ? '' : (typeof meta.namespace === 'string' ? meta.namespace : '');
  return `${groupOf(manifest.apiVersion)}\u0000${kind}\u0000${ns}\u0000${meta.name}`;
}

/**
 * The whole-output check fed one object at a time (k8s.App renders, checks and writes chart by chart): it keeps
 * only the identity of each object (its construct path under a kind/namespace/name key), the host ports its pods take
 * (see `HostPortIndex`), and the routing objects (Ingresses, HTTPRoutes) and cert-manager Certificates, not the manifests. `problems()` gives what `outputProblems` gives for the same objects.
 */
export class OutputChecker {
  private readonly cluster?: ClusterProfile;
  private readonly found: string[] = [];
  /** identity key -> construct path of the first object with it */
  private readonly seen = new Map<string, string>();
  private readonly routes: OutputObject[] = [];
  private readonly hostPorts = new HostPortIndex();

  /**
   * @param cluster the profile of the cluster the output is for, if known: an Ingress without a class belongs to
   * its default ingress class
   */
  constructor(cluster?: ClusterProfile) {
    this.cluster = cluster;
  }

  /** Checks one object (identity, tokens and host ports now; routes when `problems()` is called). */
  public add(o: OutputObject): void {
    const m = o.manifest;
    if (m === undefined || m === null) return;
    const id = identityOf(m);
    if (id !== undefined) {
      const first = this.seen.get(id);
      if (first !== undefined) {
        this.found.push(`${o.path}: metadata.name (${JSON.stringify(m.metadata.name)}) must be unique per kind and namespace, `
          + `but ${first} also writes ${describeObject(m)} (kubectl apply and Argo CD would keep only one of them); `
          + 'give one of them another name (the `name` prop of a shipshape construct, or metadata.name of a plain ApiObject)');
      } else {
        this.seen.set(id, o.path);
      }
    }
    if (hasToken(m, 0)) tokenProblems(o, this.found);
    for (const p of this.hostPorts.add(o)) this.found.push(`${p.path}: ${p.field} (${p.value}) ${p.allowed}; ${p.fix}`);
    if (typeof m === 'object' && (m.kind === 'Ingress' || m.kind === 'HTTPRoute' || m.kind === 'IngressClass' || m.kind === 'Gateway'
      || (m.kind === 'Certificate' && groupOf(m.apiVersion) === 'cert-manager.io'))) this.routes.push(o);
  }

  /** The construct path of the object of the output with the identity (group, kind, namespace, name) of `manifest`, or undefined. */
  public holderOf(manifest: any): string | undefined {
    const id = identityOf(manifest);
    return id === undefined ? undefined : this.seen.get(id);
  }

  /**
   * What may be wrong but cannot be known from the output alone, one message each (synth prints them, with
   * `shipshape warning: `): the possible route conflicts of an Ingress without a class (`possibleRouteConflicts`).
   */
  public warnings(): string[] {
    return possibleRouteConflicts(this.routes, this.cluster);
  }

  /** Every problem found so far, route conflicts included, in the order `outputProblems` lists them. */
  public problems(): string[] {
    const out = [...this.found];
    routeProblems(this.routes, out, this.cluster);
    tlsSecretProblems(this.routes, out);
    albGroupProblems(this.routes, out);
    return out;
  }
}

/**
 * The route conflicts (one host and path routed twice) and TLS Secret conflicts (one Secret written for two host sets)
 * of `objects`, then the possible route conflicts of an Ingress without a class (`possibleRouteConflicts`), one
 * message each in the shape `<path>: <field> (<value>) <what is wrong>; <fix>` (for `shipshape check`, which knows
 * no cluster profile).
 */
export function trafficProblems(objects: readonly OutputObject[]): string[] {
  const routing = objects.filter(o => o.manifest !== null && typeof o.manifest === 'object' && ['Ingress', 'HTTPRoute', 'Certificate', 'IngressClass'].includes(o.manifest.kind));
  const out: string[] = [];
  routeProblems(routing, out, undefined);
  tlsSecretProblems(routing, out);
  albGroupProblems(routing, out);
  out.push(...possibleRouteConflicts(routing, undefined));
  return out;
}

/**
 * Every problem of the output as a whole, one message each, in the shape
 * `<construct path>: <field> (<value>) <what is wrong>; <fix>`.
 * @param cluster the profile of the cluster the output is for, if known (see `OutputChecker`)
 */
export function outputProblems(objects: readonly OutputObject[], cluster?: ClusterProfile): string[] {
  const checker = new OutputChecker(cluster);
  for (const o of objects) checker.add(o);
  return checker.problems();
}

/**
 * Throws one error listing every problem of the output (an `Errors.isValidationError` error), or returns.
 * @param what what was being synthesized, for the first line (`app`, `chart shop`)
 */
export function assertOutput(objects: readonly OutputObject[], what = 'app'): void {
  const problems = outputProblems(objects);
  if (problems.length === 0) return;
  throwProblems(problems, `the ${what}'s output is inconsistent as a whole`);
}

/** Throws a shipshape validation error listing `problems` under `heading`; nothing is written. */
export function throwProblems(problems: string[], heading: string): never {
  // one platform change (a pool tainted) can break every workload: the first ones say what is wrong, the rest is counted
  const shown = problems.length > MAX_SHOWN_PROBLEMS ? problems.slice(0, SHOWN_WHEN_MANY) : problems;
  const more = problems.length - shown.length;
  const e = new Error(`${heading} (${problems.length} problem${problems.length === 1 ? '' : 's'}); nothing was written:\n  ${shown.join('\n  ')}`
    + (more > 0 ? `\n  ... and ${more} more (the error's problems property lists them all; fix what the ones above say and synth again)` : ''));
  Object.defineProperty(e, SHIPSHAPE_ERROR, { value: true });
  Object.defineProperty(e, 'problems', { value: [...problems], enumerable: false });
  throw e;
}

/** Above this many problems, the error shows the first SHOWN_WHEN_MANY and counts the rest. */
const MAX_SHOWN_PROBLEMS = 50;
const SHOWN_WHEN_MANY = 20;

// ---------------------------------------------------------------------------------------------------------
// Unresolved tokens

/**
 * Whether anything in `v` is an unresolved token: the same tests as `tokenProblems`, without building field
 * names (nearly every manifest has none, and then this walk is all the token check costs).
 */
function hasToken(v: any, depth: number): boolean {
  if (depth > 200) return false;
  if (typeof v === 'string') return isTokenString(v) || hasNumberTokenText(v);
  if (typeof v === 'number') return v < -1e280 && isNumberToken(v);
  if (v === null || typeof v !== 'object') return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (hasToken(v[i], depth + 1)) return true;
    return false;
  }
  for (const k of Object.keys(v)) {
    if (isTokenString(k) || hasToken(v[k], depth + 1)) return true;
  }
  return false;
}

function tokenKind(s: string): string {
  return s.includes('TfToken[') ? 'Terraform (cdktf)' : 'CDK';
}

/** What to do about an unresolved token in a Kubernetes manifest. */
export const TOKEN_FIX = 'Kubernetes YAML is written at synth, Terraform values exist only after apply: pass a literal known at synth '
  + '(for an IAM role ARN, give the cluster its account id, or use EKS Pod Identity, which needs no annotation), '
  + 'or read the value from the Terraform outputs after apply and pass it in';

/** An unresolved token found in a manifest: where, what, and which framework made it. */
export interface TokenField {
  /** The JSON path of the value (or of the key, for a token used as a key); '' for the document itself. */
  readonly field: string;
  /** The value as quoted in messages (shortened past 80 characters). */
  readonly value: string;
  /** 'a key', or '' for a value. */
  readonly key: boolean;
  /** "an unresolved Terraform (cdktf) token", "an unresolved CDK token", "an unresolved number token". */
  readonly what: string;
}

/** Every unresolved cdktf / AWS CDK token in `manifest` (strings, keys and number tokens), in document order. */
export function tokenFields(manifest: any): TokenField[] {
  const out: TokenField[] = [];
  if (!hasToken(manifest, 0)) return out;
  const visit = (v: any, field: string, depth: number) => {
    if (depth > 200) return;
    if (typeof v === 'string') {
      const what = isTokenString(v) ? `an unresolved ${tokenKind(v)} token`
        : hasNumberTokenText(v) ? 'an unresolved number token written as text (a cdktf or CDK number turned into a string)' : undefined;
      if (what !== undefined) out.push({ field, value: JSON.stringify(v.length > 80 ? v.slice(0, 77) + '...' : v), key: false, what });
      return;
    }
    if (typeof v === 'number') {
      if (isNumberToken(v)) out.push({ field, value: String(v), key: false, what: 'an unresolved number token' });
      return;
    }
    if (v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) visit(v[i], `${field}[${i}]`, depth + 1);
      return;
    }
    for (const k of Object.keys(v)) {
      const sub = /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? (field ? `${field}.${k}` : k) : `${field}[${JSON.stringify(k)}]`;
      if (isTokenString(k)) out.push({ field: sub, value: JSON.stringify(k.length > 80 ? k.slice(0, 77) + '...' : k), key: true, what: `an unresolved ${tokenKind(k)} token` });
      visit(v[k], sub, depth + 1);
    }
  };
  visit(manifest, '', 0);
  return out;
}

function tokenProblems(o: OutputObject, out: string[]): void {
  const where = describeObject(o.manifest);
  for (const t of tokenFields(o.manifest)) {
    out.push(`${o.path}: ${t.field || '<document>'} (${t.key ? 'a key' : t.value}) of ${where} is ${t.what}; ${TOKEN_FIX}`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Host ports: one pod per node and host port

/**
 * Ports the node's own processes listen on, on every address of every node (TCP): a hostNetwork container that
 * binds one either fails (the port is taken) or, started first, keeps the kubelet or kube-proxy from binding it;
 * a hostPort of that number forwards the node's port to the pod, away from them.
 */
const NODE_PORTS = new Map<number, string>([
  [10248, "the kubelet's health endpoint"],
  [10249, "kube-proxy's metrics endpoint"],
  [10250, 'the kubelet API (logs, exec, metrics)'],
  [10256, "kube-proxy's health check"],
]);

/**
 * A problem found by `HostPortIndex`, in the parts of shipshape's message shape
 * (`<path>: <field> (<value>) <allowed>; <fix>`), so `shipshape check` can render it as a finding.
 */
export interface HostPortProblem {
  /** The construct path (or file#index) of the object. */
  readonly path: string;
  /** The JSON path of the port entry in the object. */
  readonly field: string;
  readonly value: string;
  readonly allowed: string;
  readonly fix: string;
}

/** Where a pod may run, as the scheduler reads its node selector and required node affinity: any one of the terms, each a key -> allowed values. */
type NodeTerms = Array<Map<string, Set<string>>>;

interface HostPortClaim {
  readonly path: string;
  readonly where: string;
  readonly field: string;
  readonly container: string;
  /** '' for every address of the node. */
  readonly hostIP: string;
  readonly hostNetwork: boolean;
  readonly daemon: boolean;
  readonly nodes: NodeTerms;
}

/** The pod spec of a pod-bearing object and its JSON path, or undefined. */
function podSpecOf(m: any): { spec: any; path: string } | undefined {
  const kind = m.kind;
  let spec: any;
  let path: string;
  if (kind === 'Pod') {
    spec = m.spec;
    path = 'spec';
  } else if (kind === 'CronJob') {
    spec = m.spec?.jobTemplate?.spec?.template?.spec;
    path = 'spec.jobTemplate.spec.template.spec';
  } else if (TEMPLATE_KINDS.includes(kind)) {
    spec = m.spec?.template?.spec;
    path = 'spec.template.spec';
  } else {
    return undefined;
  }
  return spec !== null && typeof spec === 'object' ? { spec, path } : undefined;
}

/** The node selector and the `In` requirements of the required node affinity (other operators are read as "any node"). */
function nodeTermsOf(spec: any): NodeTerms {
  const base = new Map<string, Set<string>>();
  const sel = spec.nodeSelector;
  if (sel !== null && typeof sel === 'object') {
    for (const k of Object.keys(sel)) if (typeof sel[k] === 'string') base.set(k, new Set([sel[k]]));
  }
  const terms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!Array.isArray(terms) || terms.length === 0) return [base];
  return terms.map((t: any) => {
    const term = new Map(base);
    for (const e of Array.isArray(t?.matchExpressions) ? t.matchExpressions : []) {
      if (e?.operator !== 'In' || typeof e.key !== 'string' || !Array.isArray(e.values)) continue;
      const values = new Set<string>(e.values.filter((v: unknown) => typeof v === 'string'));
      const before = term.get(e.key);
      term.set(e.key, before ? new Set([...values].filter(v => before.has(v))) : values);
    }
    return term;
  });
}

/** True when no node can match both: every pair of terms requires different values of one label. */
function disjoint(a: NodeTerms, b: NodeTerms): boolean {
  return a.every(ta => b.every(tb => [...ta.keys()].some(k => {
    const vb = tb.get(k);
    return vb !== undefined && ![...ta.get(k)!].some(v => vb.has(v));
  })));
}

/**
 * The host ports of every pod, object by object: a hostNetwork pod takes each of its container ports on the node
 * (the API server sets hostPort = containerPort), any pod takes its explicit hostPorts; containers and native sidecars
 * (init containers with `restartPolicy: Always`) count, run-to-completion init containers do not.
 * Claims are kept by protocol and port, and a new claim is compared with those of its own protocol and port alone.
 */
export class HostPortIndex {
  private readonly claims = new Map<string, { daemons: HostPortClaim[]; others: HostPortClaim[] }>();

  /** Records the host ports of one object; returns its problems (a node's own port, a clash with an earlier object). */
  public add(o: OutputObject): HostPortProblem[] {
    const m = o.manifest;
    if (m === null || typeof m !== 'object') return [];
    const pod = podSpecOf(m);
    if (!pod) return [];
    const spec = pod.spec;
    const hostNetwork = spec.hostNetwork === true;
    const out: HostPortProblem[] = [];
    let nodes: NodeTerms | undefined;
    for (const list of ['containers', 'initContainers']) {
      const containers = spec[list];
      if (!Array.isArray(containers)) continue;
      for (let i = 0; i < containers.length; i++) {
        const c = containers[i];
        if (c === null || typeof c !== 'object' || !Array.isArray(c.ports)) continue;
        if (list === 'initContainers' && c.restartPolicy !== 'Always') continue;
        for (let j = 0; j < c.ports.length; j++) {
          const p = c.ports[j];
          if (p === null || typeof p !== 'object') continue;
          const port = hostNetwork ? p.containerPort : (typeof p.hostPort === 'number' && p.hostPort > 0 ? p.hostPort : undefined);
          if (typeof port !== 'number' || !Number.isInteger(port)) continue;
          nodes ??= nodeTermsOf(spec);
          const protocol = typeof p.protocol === 'string' ? p.protocol : 'TCP';
          const claim: HostPortClaim = {
            path: o.path,
            where: describeObject(m),
            field: `${pod.path}.${list}[${i}].ports[${j}]`,
            container: typeof c.name === 'string' ? c.name : `${list}[${i}]`,
            hostIP: !hostNetwork && typeof p.hostIP === 'string' && p.hostIP !== '0.0.0.0' && p.hostIP !== '::' ? p.hostIP : '',
            hostNetwork,
            daemon: m.kind === 'DaemonSet',
            nodes,
          };
          this.claim(claim, protocol, port, out);
        }
      }
    }
    return out;
  }

  private claim(c: HostPortClaim, protocol: string, port: number, out: HostPortProblem[]): void {
    const value = `${port}/${protocol}, container ${JSON.stringify(c.container)}`;
    const how = (x: HostPortClaim) => (x.hostNetwork ? 'hostNetwork' : 'hostPort');
    const nodePort = protocol === 'TCP' ? NODE_PORTS.get(port) : undefined;
    if (nodePort !== undefined) {
      out.push({
        path: c.path,
        field: c.field,
        value,
        allowed: `is a port every node already listens on, for ${nodePort} (${c.hostNetwork ? 'the pod uses hostNetwork, so each container port is a port of the node' : 'hostPort'}): `
          + (c.hostNetwork ? 'the container fails to bind it, or, started first, keeps the node\'s own process from binding it'
            : 'the node would forward its own port to the pod instead of its own process'),
        fix: 'listen on another port (the kubelet and kube-proxy use 10248, 10249, 10250 and 10256)',
      });
    }
    // a clash needs a DaemonSet on one side: a new DaemonSet is compared with every earlier pod of the port, any other
    // pod with the earlier DaemonSets only (two Deployments with one hostPort spread over different nodes)
    const key = `${protocol}/${port}`;
    let claims = this.claims.get(key);
    if (!claims) {
      claims = { daemons: [], others: [] };
      this.claims.set(key, claims);
    }
    const clashes = (e: HostPortClaim) => e.path !== c.path && (e.hostIP === '' || c.hostIP === '' || e.hostIP === c.hostIP) && !disjoint(e.nodes, c.nodes);
    const first = claims.daemons.find(clashes) ?? (c.daemon ? claims.others.find(clashes) : undefined);
    (c.daemon ? claims.daemons : claims.others).push(c);
    if (!first) return;
    const which = first.daemon && c.daemon ? 'both are DaemonSets, which run a pod on every node they select'
      : `${(first.daemon ? first : c).where} is a DaemonSet, which runs a pod on every node it selects`;
    out.push({
      path: c.path,
      field: c.field,
      value,
      allowed: `takes host port ${port}/${protocol} on its node, and so does ${first.path} (${first.where}, ${first.field}, container ${JSON.stringify(first.container)}) `
        + `(${c.hostNetwork && first.hostNetwork ? 'both pods use hostNetwork, so each container port is a port of the node'
          : c.hostNetwork || first.hostNetwork ? `${how(c)} here, ${how(first)} there` : 'both set hostPort'}); `
        + `${which}, and a node gives a host port to one pod only: the scheduler leaves the second pod Pending on every node the two share`,
      fix: 'give one of them another port (for a LogShipper sidecar its monitoringPort, for a MetricsAdapter its port), '
        + 'or keep their pods on different nodes (nodeSelector)',
    });
  }
}

// ---------------------------------------------------------------------------------------------------------
// Routes: one host + path, one backend

interface RouteClaim {
  /** What makes two claims the same requests (class or gateway, host, path type, path as matched). */
  readonly key: string;
  /** The Gateway listener (sectionName; '' for every listener); '' for an Ingress. */
  readonly section: string;
  /** The Gateway listeners the claim attaches to, by name; undefined for every listener (and for an Ingress). */
  readonly listeners?: readonly string[];
  /** How a route attaches by port (`by port 443`), for messages; undefined otherwise. */
  readonly byPort?: string;
  /** The path as written. */
  readonly value: string;
  readonly path: string;
  readonly where: string;
  readonly field: string;
  readonly describe: string;
  /** An Ingress: its class as named (undefined when it names none), the key without the class, and host, path and type for messages. */
  readonly ingress?: { readonly named: string | undefined; readonly requests: string; readonly head: string };
}

/** The path a Prefix / PathPrefix match is compared by: both ignore a trailing '/' (`/api` and `/api/` are one prefix). */
function prefixKey(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') || '/' : path;
}

/**
 * The class an Ingress without one belongs to: the default class of the cluster's profile, else the IngressClass of
 * the output marked default (`ingressclass.kubernetes.io/is-default-class`). `known` is false
 * when neither says anything of the cluster's classes (no default in the output, no profile or one listing no ingress
 * class): the default class may then be any class.
 */
interface DefaultIngressClass {
  readonly name?: string;
  /** What the default is, for messages (`the default class of cluster prod`). */
  readonly source?: string;
  readonly known: boolean;
}

function defaultIngressClassOf(objects: readonly OutputObject[], cluster: ClusterProfile | undefined): DefaultIngressClass {
  const classes = cluster?.ingressClasses ?? [];
  const dflt = classes.find(c => c.isDefault);
  if (dflt) return { name: dflt.name, source: `the default class of cluster ${cluster!.clusterName}`, known: true };
  const marked = objects.find(o => o.manifest?.kind === 'IngressClass' && typeof o.manifest.metadata?.name === 'string'
    && o.manifest.metadata.annotations?.['ingressclass.kubernetes.io/is-default-class'] === 'true');
  if (marked) return { name: marked.manifest.metadata.name, source: 'the default IngressClass of the output', known: true };
  // a profile listing classes, none of them default: an Ingress without a class is served by none (clusterProblems says so)
  return { known: classes.length > 0 };
}

/** The claims of an Ingress's paths: one per host and path, in the class it names or the default class. */
function ingressClaims(o: OutputObject, dflt: DefaultIngressClass): RouteClaim[] {
  const m = o.manifest;
  const spec = m.spec ?? {};
  const named = spec.ingressClassName ?? m.metadata?.annotations?.['kubernetes.io/ingress.class'];
  const cls = named ?? dflt.name ?? '<default class>';
  const clsText = named === undefined && dflt.name !== undefined
    ? `ingress class ${JSON.stringify(cls)} (no ingressClassName: ${dflt.source})` : `ingress class ${JSON.stringify(cls)}`;
  const rules = Array.isArray(spec.rules) ? spec.rules : [];
  const out: RouteClaim[] = [];
  rules.forEach((r: any, i: number) => {
    const host = typeof r?.host === 'string' ? r.host : '*';
    const paths = Array.isArray(r?.http?.paths) ? r.http.paths : [];
    paths.forEach((p: any, j: number) => {
      const pth = typeof p?.path === 'string' ? p.path : '/';
      const type = typeof p?.pathType === 'string' ? p.pathType : 'ImplementationSpecific';
      const requests = `${host}\u0000${type}\u0000${type === 'Prefix' ? prefixKey(pth) : pth}`;
      const head = `host ${JSON.stringify(host)}, path ${JSON.stringify(pth)} (${type})`;
      out.push({
        key: `ingress\u0000${cls}\u0000${requests}`,
        section: '',
        value: pth,
        path: o.path,
        where: describeObject(m),
        field: `spec.rules[${i}].http.paths[${j}]`,
        describe: `${head}, ${clsText}`,
        ingress: { named, requests, head },
      });
    });
  });
  return out;
}

function routeProblems(objects: readonly OutputObject[], out: string[], cluster: ClusterProfile | undefined): void {
  const dflt = defaultIngressClassOf(objects, cluster);
  /** namespace/name -> listeners, of the Gateways of the output */
  const gateways = new Map<string, Array<{ name: string; port: unknown }>>();
  for (const o of objects) {
    const m = o.manifest;
    if (m?.kind !== 'Gateway' || groupOf(m.apiVersion) !== 'gateway.networking.k8s.io' || typeof m.metadata?.name !== 'string') continue;
    const listeners = (Array.isArray(m.spec?.listeners) ? m.spec.listeners : []).filter((l: any) => typeof l?.name === 'string').map((l: any) => ({ name: l.name, port: l.port }));
    gateways.set(`${m.metadata.namespace ?? ''}/${m.metadata.name}`, listeners);
  }
  const claims = new Map<string, RouteClaim[]>();
  const claim = (c: RouteClaim) => {
    const list = claims.get(c.key);
    if (!list) {
      claims.set(c.key, [c]);
      return;
    }
    // two routes meet on a listener both attach to (one attaching to every listener meets all of them)
    const overlap = (f: RouteClaim) => f.listeners === undefined || c.listeners === undefined || f.listeners.some(l => c.listeners!.includes(l));
    const first = list.find(f => !(f.where === c.where && f.field === c.field) && overlap(f));
    list.push(c);
    if (!first) return;
    const why: string[] = [];
    if (first.value !== c.value) why.push(`as path ${JSON.stringify(first.value)}: a prefix match ignores a trailing '/'`);
    const everyListener = first.listeners === undefined || c.listeners === undefined;
    if (first.section !== c.section && everyListener && (first.listeners !== undefined || c.listeners !== undefined)) {
      const [all, one] = first.listeners === undefined ? [first, c] : [c, first];
      why.push(`on listener ${JSON.stringify(one.listeners![0])}: ${all.where} names no sectionName nor port, so it attaches to every listener of the Gateway, ${JSON.stringify(one.listeners![0])} included`);
    } else if (first.section !== c.section && !everyListener) {
      const shared = first.listeners!.find(l => c.listeners!.includes(l))!;
      const how = (x: RouteClaim) => (x.byPort !== undefined ? `${x.where} attaches ${x.byPort}` : `${x.where} names sectionName ${JSON.stringify(x.section)}`);
      why.push(`on listener ${JSON.stringify(shared)}: ${how(first)} and ${how(c)}, which both reach it`);
    }
    // one of two Ingresses names no class: it is in the other's class as the cluster's default
    const classless = [first, c].find(x => x.ingress !== undefined && x.ingress.named === undefined);
    const oneClassless = classless !== undefined && (first.ingress?.named !== undefined || c.ingress?.named !== undefined);
    if (oneClassless && classless === first) why.push(`in class ${JSON.stringify(dflt.name)}: ${first.where} names no ingressClassName, and ${JSON.stringify(dflt.name)} is ${dflt.source}`);
    out.push(`${c.path}: ${c.field} (${c.describe}) is also routed by ${first.path} (${first.where}, ${first.field})${why.length ? ` ${why.join('; ')}` : ''}; `
      + 'a controller sends the traffic to only one of them: give each route its own host or path, or merge them into one'
      + (first.section !== c.section && everyListener ? ', or attach each to a listener of its own with sectionName' : '')
      + (oneClassless ? `, or set ingressClassName on ${classless.where} if another class than ${JSON.stringify(dflt.name)} should serve it` : ''));
  };
  for (const o of objects) {
    const m = o.manifest;
    if (!m || typeof m !== 'object') continue;
    if (m.kind === 'Ingress') {
      ingressClaims(o, dflt).forEach(claim);
    } else if (m.kind === 'HTTPRoute' && groupOf(m.apiVersion) === 'gateway.networking.k8s.io') {
      const spec = m.spec ?? {};
      const ns = m.metadata?.namespace ?? '';
      const parents = (Array.isArray(spec.parentRefs) ? spec.parentRefs : []).map((p: any) => {
        const gateway = `${p?.namespace ?? ns}/${p?.name}`;
        const section = typeof p?.sectionName === 'string' ? p.sectionName : '';
        if (section !== '') return { gateway, section, listeners: [section] };
        if (typeof p?.port !== 'number') return { gateway, section, listeners: undefined };
        // by port: the listeners of the Gateway on that port, when the output has the Gateway
        const known = gateways.get(gateway);
        return { gateway, section: `port ${p.port}`, listeners: known !== undefined ? known.filter(l => l.port === p.port).map(l => l.name) : [`\u0000port ${p.port}`], byPort: `by port ${p.port}` };
      });
      const hosts: string[] = Array.isArray(spec.hostnames) && spec.hostnames.length ? spec.hostnames : ['*'];
      const rules = Array.isArray(spec.rules) ? spec.rules : [];
      rules.forEach((r: any, i: number) => {
        const matches = Array.isArray(r?.matches) && r.matches.length ? r.matches : [{}];
        matches.forEach((mt: any, j: number) => {
          // header, query and method matches are part of what a match selects: two matches conflict when all agree
          const extra = matchConditions(mt);
          const type = mt?.path?.type ?? 'PathPrefix';
          const value = mt?.path?.value ?? '/';
          for (const parent of parents) {
            for (const host of hosts) {
              claim({
                key: `route\u0000${parent.gateway}\u0000${host}\u0000${type}\u0000${type === 'PathPrefix' ? prefixKey(value) : value}\u0000${extra.key}`,
                section: parent.section,
                listeners: parent.listeners,
                byPort: parent.byPort,
                value,
                path: o.path,
                where: describeObject(m),
                field: `spec.rules[${i}].matches[${j}]`,
                describe: `host ${JSON.stringify(host)}, path ${JSON.stringify(value)} (${type})${extra.text}, gateway ${parent.gateway}${parent.byPort !== undefined ? ` ${parent.byPort}` : parent.section ? `/${parent.section}` : ''}`,
              });
            }
          }
        });
      });
    }
  }
}

/**
 * The header, query parameter and method conditions of an HTTPRoute match, as a key two matches selecting the same
 * requests share (header names compared in lower case, as HTTP does; query parameter names as written) and as text
 * for messages (empty for a plain path match).
 */
function matchConditions(mt: any): { key: string; text: string } {
  const list = (v: unknown, lower: boolean): string[] => (Array.isArray(v) ? v : [])
    .map((h: any) => `${lower && typeof h?.name === 'string' ? h.name.toLowerCase() : h?.name}${h?.type === 'RegularExpression' ? '~' : '='}${h?.value}`).sort();
  const headers = list(mt?.headers, true);
  const query = list(mt?.queryParams, false);
  const method = typeof mt?.method === 'string' ? mt.method : '';
  const parts = [...(method ? [`method ${method}`] : []), ...headers.map(h => `header ${h}`), ...query.map(q => `query ${q}`)];
  return { key: `${method}\u0000${headers.join('\u0001')}\u0000${query.join('\u0001')}`, text: parts.length ? `, ${parts.join(', ')}` : '' };
}

/**
 * The annotations of the AWS Load Balancer Controller that configure the load balancer of an IngressGroup as a whole
 * (its "exclusive" ones): set on one Ingress of the group, or to the same value on all of them. With the prop of
 * `HttpIngress` that writes each, for the fix.
 */
const ALB_GROUP_ANNOTATIONS = new Map<string, string | undefined>([
  ['scheme', 'aws.scheme'], ['ssl-policy', 'aws.sslPolicy'], ['ssl-redirect', 'aws.sslRedirect'], ['load-balancer-name', undefined],
  ['ip-address-type', undefined], ['subnets', undefined], ['security-groups', undefined], ['manage-backend-security-group-rules', undefined],
  ['customer-owned-ipv4-pool', undefined], ['load-balancer-attributes', undefined], ['inbound-cidrs', undefined], ['wafv2-acl-arn', undefined],
  ['waf-acl-id', undefined], ['shield-advanced-protection', undefined], ['security-group-prefix-lists', undefined], ['mutual-authentication', undefined],
]);
const ALB_PREFIX = 'alb.ingress.kubernetes.io/';

/**
 * Two Ingresses of one explicit ALB IngressGroup (`alb.ingress.kubernetes.io/group.name`, a name of the cluster,
 * whatever the namespace) that set one of the group-wide annotations to different values: the controller cannot
 * build the group's load balancer, and reconciles none of its Ingresses.
 */
function albGroupProblems(objects: readonly OutputObject[], out: string[]): void {
  /** group -> annotation -> the first Ingress setting it */
  const groups = new Map<string, Map<string, { value: string; path: string; where: string }>>();
  for (const o of objects) {
    const m = o.manifest;
    if (!m || typeof m !== 'object' || m.kind !== 'Ingress') continue;
    const annotations = m.metadata?.annotations;
    const group = annotations?.[`${ALB_PREFIX}group.name`];
    if (typeof group !== 'string' || group === '') continue;
    let seen = groups.get(group);
    if (seen === undefined) {
      seen = new Map();
      groups.set(group, seen);
    }
    for (const [name, prop] of ALB_GROUP_ANNOTATIONS) {
      const value = annotations[ALB_PREFIX + name];
      if (typeof value !== 'string') continue;
      const first = seen.get(name);
      if (first === undefined) {
        seen.set(name, { value, path: o.path, where: describeObject(m) });
        continue;
      }
      if (first.value === value) continue;
      out.push(`${o.path}: metadata.annotations["${ALB_PREFIX}${name}"] (${JSON.stringify(value)}) differs from ${JSON.stringify(first.value)} on ${first.path} (${first.where}), `
        + `in the same ALB IngressGroup ${JSON.stringify(group)}: the AWS Load Balancer Controller takes this setting of the group's load balancer from one Ingress, `
        + 'or the same value on all of them, and reconciles none of the group otherwise; '
        + `give both the same value${prop !== undefined ? ` (${prop} of an HttpIngress)` : ''}, set it on one Ingress of the group only, or put them in different groups`);
    }
  }
}

/**
 * The route conflicts an Ingress without a class may have, when nothing says which class is the cluster's default
 * (no IngressClass of the output marked default, no cluster profile listing ingress classes): the cluster's default
 * class serves it, so it conflicts with any Ingress routing the same host and path in the class that turns out to be
 * the default. One message per such Ingress path and other class, in the shape `<path>: <field> (<value>) <what may be
 * wrong>; <fix>`; a warning, not an error (synth prints it). Two Ingresses without a class that route one host and
 * path conflict for certain: `routeProblems` reports them.
 */
export function possibleRouteConflicts(objects: readonly OutputObject[], cluster: ClusterProfile | undefined): string[] {
  const dflt = defaultIngressClassOf(objects, cluster);
  if (dflt.known) return [];
  const classless: RouteClaim[] = [];
  /** host/type/path -> class -> the first claim of that class */
  const named = new Map<string, Map<string, RouteClaim>>();
  for (const o of objects) {
    if (!o.manifest || typeof o.manifest !== 'object' || o.manifest.kind !== 'Ingress') continue;
    for (const c of ingressClaims(o, dflt)) {
      const cls = c.ingress!.named;
      if (cls === undefined) {
        classless.push(c);
        continue;
      }
      const byClass = named.get(c.ingress!.requests) ?? new Map<string, RouteClaim>();
      if (!byClass.has(cls)) byClass.set(cls, c);
      named.set(c.ingress!.requests, byClass);
    }
  }
  const out: string[] = [];
  for (const c of classless) {
    for (const [cls, other] of named.get(c.ingress!.requests) ?? []) {
      const asPath = other.value !== c.value ? ` as path ${JSON.stringify(other.value)} (a prefix match ignores a trailing '/')` : '';
      out.push(`${c.path}: ${c.field} (${c.ingress!.head}, no ingressClassName) may also be routed by ${other.path} (${other.where}, ${other.field}, ingress class ${JSON.stringify(cls)})`
        + `${asPath}: the cluster's default IngressClass serves ${c.where}, which names no class, and no cluster profile, nor an IngressClass marked default among these `
        + `objects, says which class that is; if it is ${JSON.stringify(cls)}, a controller sends the traffic to only one of them; set ingressClassName on ${c.where} (cdk8s-plus: className) `
        + `to the class meant to serve it, and if that is ${JSON.stringify(cls)}, give the two routes their own host or path, or merge them; or give the app its cluster's `
        + 'profile (App({ cluster })), whose ingress classes say which one is the default');
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// TLS Secrets: one Secret, one set of hosts

/** Ingress annotations that make cert-manager's ingress-shim issue a Certificate into each `spec.tls[].secretName`. */
function usesIngressShim(m: any): boolean {
  const a = m?.metadata?.annotations ?? {};
  return typeof a['cert-manager.io/cluster-issuer'] === 'string' || typeof a['cert-manager.io/issuer'] === 'string' || a['kubernetes.io/tls-acme'] === 'true';
}

interface SecretWriter {
  readonly key: string;
  readonly secretName: string;
  readonly hosts: string[];
  readonly path: string;
  readonly where: string;
  readonly field: string;
}

function tlsSecretProblems(objects: readonly OutputObject[], out: string[]): void {
  const writers: SecretWriter[] = [];
  const hostSet = (v: unknown[]): string[] => [...new Set(v.filter((h): h is string => typeof h === 'string'))].sort();
  for (const o of objects) {
    const m = o.manifest;
    if (!m || typeof m !== 'object') continue;
    const ns = typeof m.metadata?.namespace === 'string' ? m.metadata.namespace : '';
    if (m.kind === 'Certificate' && groupOf(m.apiVersion) === 'cert-manager.io') {
      const spec = m.spec ?? {};
      if (typeof spec.secretName !== 'string') continue;
      const hosts = hostSet([...(Array.isArray(spec.dnsNames) ? spec.dnsNames : []), ...(typeof spec.commonName === 'string' ? [spec.commonName] : [])]);
      writers.push({ key: `${ns}\u0000${spec.secretName}`, secretName: spec.secretName, hosts, path: o.path, where: describeObject(m), field: 'spec.secretName' });
    } else if (m.kind === 'Ingress' && usesIngressShim(m)) {
      const tls = Array.isArray(m.spec?.tls) ? m.spec.tls : [];
      tls.forEach((t: any, i: number) => {
        if (typeof t?.secretName !== 'string') return;
        const hosts = hostSet(Array.isArray(t.hosts) ? t.hosts : []);
        writers.push({ key: `${ns}\u0000${t.secretName}`, secretName: t.secretName, hosts, path: o.path, where: describeObject(m), field: `spec.tls[${i}].secretName` });
      });
    }
  }
  const byKey = new Map<string, SecretWriter[]>();
  for (const w of writers) {
    const list = byKey.get(w.key) ?? [];
    const first = list.find(f => f.path !== w.path && f.hosts.join(',') !== w.hosts.join(','));
    list.push(w);
    byKey.set(w.key, list);
    if (!first) continue;
    const ns = w.key.slice(0, w.key.indexOf('\u0000'));
    const secret = ns ? `${ns}/${w.secretName}` : w.secretName;
    const hosts = (x: SecretWriter) => x.hosts.join(', ') || 'no host';
    const how = (x: SecretWriter) => (x.field === 'spec.secretName' ? x.where : `${x.where}, through cert-manager's ingress-shim`);
    out.push(`${w.path}: ${w.field} (${JSON.stringify(w.secretName)}) asks cert-manager for a certificate of ${hosts(w)} in Secret ${secret}, `
      + `but ${first.path} (${how(first)}, ${first.field}) asks for one of ${hosts(first)} in the same Secret: cert-manager keeps one certificate per Secret, `
      + 'so the two overwrite each other in turn and a host is served a certificate without its name; '
      + 'give each its own secretName, or list the same hosts in both');
  }
}
