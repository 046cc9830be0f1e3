import { ApiObject, Duration, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import type * as metav1 from 'kubernetes-types/meta/v1';
import { CircuitBreakerOptions, IMesh, Mesh, MeshEnrolOptions } from './mesh';
import { fail, formatValidationMessage, show, warn } from '../../core/errors';
import { Names } from '../../core/names';
import { NetworkPeer } from '../networking/network-peer';
import { Workload } from '../workloads/workload';

/** On the root of the construct tree (the app): the IstioMeshes in it and their trust domains, across library copies. */
const TRUST_DOMAINS = Symbol.for('shipshape.k8s.IstioTrustDomains');

// Istio's custom resources (security.istio.io/v1, networking.istio.io/v1): not among the built-in Kubernetes types,
// so the fields shipshape writes are declared here, after the CRD schemas.

/** PeerAuthentication `spec`. */
interface IstioPeerAuthenticationSpec {
  selector?: metav1.LabelSelector;
  mtls?: { mode?: string };
  portLevelMtls?: { [port: string]: { mode?: string } };
}

/** An AuthorizationPolicy rule. */
interface IstioAuthorizationRule {
  from?: Array<{ source?: { principals?: string[]; notPrincipals?: string[]; namespaces?: string[]; ipBlocks?: string[] } }>;
  to?: Array<{ operation?: { ports?: string[] } }>;
}

/** AuthorizationPolicy `spec`. */
interface IstioAuthorizationPolicySpec {
  selector?: metav1.LabelSelector;
  action?: string;
  rules?: IstioAuthorizationRule[];
}

/** DestinationRule `spec`. */
interface IstioDestinationRuleSpec {
  host: string;
  trafficPolicy?: {
    tls?: { mode?: string };
    connectionPool?: {
      tcp?: { maxConnections?: number; connectTimeout?: string };
      http?: { http1MaxPendingRequests?: number; maxRetries?: number };
    };
    outlierDetection?: { consecutive5xxErrors?: number; interval?: string; baseEjectionTime?: string; maxEjectionPercent?: number };
  };
}

/** A VirtualService HTTP route. */
interface IstioHttpRoute {
  name?: string;
  match?: Array<{ method?: { regex?: string }; port?: number }>;
  route?: Array<{ destination: { host: string; port?: { number?: number } } }>;
  timeout?: string;
  retries?: { attempts?: number; perTryTimeout?: string; retryOn?: string };
}

/** An Istio object: the group/version, the kind and its spec. */
interface IstioObject<V extends string, K extends string, S> {
  apiVersion: V;
  kind: K;
  metadata?: metav1.ObjectMeta;
  spec: S;
}

/**
 * How Istio learns which pods get a proxy.
 */
export enum IstioInjection {
  /** The pod label `sidecar.istio.io/inject: "true"` on each enrolled workload. */
  POD_LABEL = 'pod-label',
  /**
   * The namespace label `istio-injection: enabled` (`IstioMesh.namespaceLabels`): every pod of a labelled namespace
   * gets a proxy, enrolled or not. At synth, each Namespace object of the app in which a workload is enrolled (a
   * `TeamNamespace`'s, or the one `App({ cluster })` writes) gets the label; one that sets it to another value
   * (`disabled`) is an error. A namespace the app does not write must be labelled on the cluster before the
   * workloads are deployed: the synth prints a note naming it, since its pods would otherwise run without a proxy.
   *
   * The label brings a proxy to every pod of the namespace, so at synth the pods of each shipshape workload there that
   * is not enrolled in Istio (a Job or ScheduledJob, whose pod would never complete with an ordinary proxy container
   * beside it; a workload enrolled in Linkerd, which would get two proxies) get the pod label
   * `sidecar.istio.io/inject: "false"`, Istio's opt-out (the label, which Istio prefers to the deprecated annotation of
   * the same name: with it the injection webhook is not even called). A workload whose pod metadata sets
   * `sidecar.istio.io/inject` itself (label or annotation) is left as it is. Pods the app writes otherwise (plain
   * `ApiObject`s, imported charts) and pods of other apps in the namespace are not seen: opt them out yourself. So are
   * cert-manager's HTTP-01 solver pods, made from the issuer's pod template: synth warns about a labelled namespace
   * with an `HttpIngress` that solves HTTP-01 there.
   */
  NAMESPACE_LABEL = 'namespace-label',
}

/**
 * Properties of an IstioMesh.
 */
export interface IstioMeshProps {
  /**
   * How proxies are injected.
   * @default IstioInjection.POD_LABEL
   */
  readonly injection?: IstioInjection;
  /**
   * The namespace of istiod.
   * @default "istio-system"
   */
  readonly controlPlaneNamespace?: string;
  /**
   * The mesh trust domain (SPIFFE principals are `<trustDomain>/ns/<namespace>/sa/<service account>`). A cluster has
   * one: every IstioMesh of an app (one per chart) must name the same.
   * @default "cluster.local"
   */
  readonly trustDomain?: string;
  /**
   * Start the app only after the proxy is ready, so its first outbound calls do not fail.
   * @default true
   */
  readonly holdApplicationUntilProxyStarts?: boolean;
  /**
   * The cluster DNS domain, for service hostnames.
   * @default "cluster.local"
   */
  readonly clusterDomain?: string;
}

/**
 * Istio: sidecar injection with proxy resources, STRICT mTLS (PeerAuthentication), an AuthorizationPolicy
 * derived from the workload's `allowFrom(...)` callers (by identity and port only, which holds for TCP as for
 * HTTP), and for web services a DestinationRule (ISTIO_MUTUAL, connection pool, outlier detection) and a
 * VirtualService (timeout, retries on idempotent methods) whose routes apply to the service port only
 * (`match.port`): the Service's other ports (`extraPorts`) keep Istio's default route to themselves.
 *
 * A StatefulService (a database, a broker) is not taken to speak HTTP: it gets a DestinationRule with ISTIO_MUTUAL
 * and a TCP connection limit only, and no VirtualService (no HTTP retries or timeouts). The ports of its Services
 * (client and headless) get `appProtocol: tcp`, so Istio proxies them as plain TCP instead of sniffing the protocol,
 * which would stall protocols where the server speaks first (MySQL). The kubelet's HTTP probes are unaffected: they
 * go through the Istio agent (`rewriteAppHTTPProbers`).
 *
 * A Job or ScheduledJob can be enrolled only when the target is Kubernetes 1.29 or later (`KubernetesTarget`; below
 * that, `enrol` throws): its pods
 * get `sidecar.istio.io/nativeSidecar: "true"`, so the proxy runs as a native sidecar and stops once the job's
 * container has exited (an ordinary proxy container would keep the job from ever completing).
 *
 * Callers outside the mesh: an ingress controller declared without `meshed: true`
 * (`NetworkPeer.ingressController(ns, labels)`), pods or a namespace declared with `meshed: false`
 * (`NetworkPeer.pods(ns, labels, { meshed: false })`), a `MetricsAdapter`'s Prometheus scraper unless
 * `scraperMeshed`, and an `HttpRoute`'s gateway unless `gatewayMeshed` call in plaintext, which STRICT mTLS would
 * refuse. The ports they reach get a port-level PERMISSIVE mode, and the AuthorizationPolicy admits callers without
 * a mesh identity (`notPrincipals: ["*"]`) on those ports only, besides the caller's namespace should it be meshed
 * after all. A plaintext caller has no principal or namespace to match, so on those ports the NetworkPolicy (which
 * admits only the caller's pods) is what keeps other pods out; declare the caller meshed (and mesh it) to keep
 * identity-based authorization there. Pods and namespaces that do not say are taken to be meshed: their calls
 * need a mesh identity. Shipshape workloads calling an enrolled workload must be enrolled in
 * the same mesh, and IP-range callers are refused: both fail the synth with a message.
 *
 * The AuthorizationPolicy knows a caller by its mesh identity, a ServiceAccount: a shipshape workload passed to
 * `allowFrom` is admitted by its own. Pods named by labels (`NetworkPeer.pods(ns, labels)`) have no ServiceAccount
 * shipshape knows, so the mesh admits every meshed workload of their namespace on those ports, and only the
 * NetworkPolicy narrows it to the labelled pods; pass the workload itself to keep identity-based authorization.
 *
 * Init tasks (`InitTasks`) run before an ordinary proxy container, while the pod's outbound traffic is already
 * redirected to it. Where native sidecars exist (target 1.29+), a pod with init containers gets
 * `sidecar.istio.io/nativeSidecar: "true"`: the proxy starts before them and their connections carry mutual TLS. A task that
 * waits for a dependency (`InitTask.waitFor`) is refused at synth: on older targets it would wait until its timeout, again and again, and from
 * 1.29 the proxy accepts its TCP connection itself, so it would not wait (use `InitTask.run` with a command that speaks
 * the dependency's protocol, such as `pg_isready`); on older targets other tasks must not use the network either. Bypassing the proxy (`traffic.sidecar.istio.io/excludeOutboundPorts`)
 * is not used: it would apply to the app container's calls to that port too.
 *
 * Every IstioMesh of an app (one per chart) must name the same `trustDomain`: a cluster has one.
 *
 * A workload joins one mesh: enrolling one already enrolled in a LinkerdMesh (or another IstioMesh) is refused, and
 * so is, at synth, an enrolled workload whose pods ask Linkerd for its proxy too (the pod annotation
 * `linkerd.io/inject: enabled`, or that annotation on the app's Namespace object of its namespace while the pods do
 * not opt out with `linkerd.io/inject: disabled`): the two proxies would fight over the pod's traffic. An enrolled
 * workload whose pods opt out of Istio (the pod label or annotation `sidecar.istio.io/inject: "false"`, or another
 * value Istio does not inject on) is refused at synth too: it would run without the proxy that enforces its mutual TLS
 * and authorization. With `IstioInjection.NAMESPACE_LABEL`, the workloads of a labelled namespace that are not
 * enrolled get Istio's opt-out (see there); the enrolled ones never do.
 *
 * Runs under the restricted Pod Security profile only with the Istio CNI plugin (no privileged istio-init
 * container); the injected proxy runs as a non-root user (1337).
 */
export class IstioMesh extends Construct implements IMesh {
  public readonly meshName = 'istio';
  /** The injection mode. */
  public readonly injection: IstioInjection;
  /**
   * Labels the platform puts on a Namespace to enable injection there (with `IstioInjection.NAMESPACE_LABEL`, the
   * mesh writes them on the app's Namespace objects of enrolled workloads).
   */
  public readonly namespaceLabels: { [key: string]: string };
  private readonly props: IstioMeshProps;
  private readonly trustDomain: string;
  private readonly enrolled = new Set<Workload>();
  /** The namespaces a note was recorded for (validation may run more than once). */
  private readonly noted = new Set<string>();
  /** Namespaces whose cert-manager HTTP-01 solver pods were warned about (see noteAcmeSolvers). */
  private readonly notedSolvers = new Set<string>();

  constructor(scope: Construct, id: string, props: IstioMeshProps = {}) {
    super(scope, id);
    this.props = props;
    this.injection = props.injection ?? IstioInjection.POD_LABEL;
    this.namespaceLabels = { 'istio-injection': 'enabled' };
    this.trustDomain = Names.dnsSubdomain(this, 'trustDomain', props.trustDomain ?? 'cluster.local');
    Names.dnsLabel(this, 'controlPlaneNamespace', props.controlPlaneNamespace ?? 'istio-system');
    Names.dnsSubdomain(this, 'clusterDomain', props.clusterDomain ?? 'cluster.local');
    Mesh._register(this);
    IstioMesh.checkTrustDomain(this, this.trustDomain, props.trustDomain !== undefined);
    // at synth, once for the mesh: no enrolled workload's pods opt out of Istio or ask Linkerd for a proxy too
    Mesh._guardEnrolled(this, this.enrolled);
    if (this.injection === IstioInjection.NAMESPACE_LABEL) this.node.addValidation({ validate: () => this.labelNamespaces() });
  }

  /**
   * One trust domain per app: the app's charts go to one cluster, whose Istio has one trust domain, so principals
   * written with another would match no workload and their AuthorizationPolicies would refuse every caller.
   */
  private static checkTrustDomain(mesh: IstioMesh, trustDomain: string, given: boolean): void {
    const root = mesh.node.root as any;
    const known: Array<{ path: string; trustDomain: string; given: boolean }> = root[TRUST_DOMAINS] ?? [];
    const other = known.find(k => k.trustDomain !== trustDomain);
    if (other) {
      const shown = (d: string, g: boolean) => `"${d}"${g ? '' : ', the default'}`;
      fail(mesh, 'trustDomain', trustDomain, `differs from the trust domain of ${other.path} (${shown(other.trustDomain, other.given)}), another IstioMesh of this app, `
        + 'whose charts go to one cluster, and a cluster\'s Istio has one trust domain: the principals written with the other one (<trustDomain>/ns/<namespace>/sa/<account>) '
        + 'would match no workload, so their AuthorizationPolicies would refuse every caller',
      `give every IstioMesh of the app the cluster's trust domain (meshConfig.trustDomain of its Istio, "cluster.local" unless installed otherwise): set trustDomain on ${given ? other.path : mesh.node.path} too, `
        + `or remove it from ${given ? mesh.node.path : other.path}; or put the charts of another cluster in an app of their own`);
    }
    known.push({ path: mesh.node.path, trustDomain, given });
    Object.defineProperty(root, TRUST_DOMAINS, { value: known, configurable: true });
  }

  /**
   * Namespace-label injection: labels the app's Namespace objects where workloads are enrolled, refuses one labelled
   * otherwise, notes each namespace the app does not write (to be labelled on the cluster), and opts the pods of the
   * workloads there that are not enrolled in Istio out of injection.
   */
  private labelNamespaces(): string[] {
    const errors: string[] = [];
    const byNamespace = new Map<string, string[]>();
    for (const w of this.enrolled) byNamespace.set(w.namespace, [...byNamespace.get(w.namespace) ?? [], w.node.path]);
    this.optOutOthers(new Set(byNamespace.keys()));
    this.noteAcmeSolvers(new Set(byNamespace.keys()));
    const namespaces = Mesh._namespaceObjects(this.node.root);
    for (const [ns, paths] of [...byNamespace].sort(([a], [b]) => a.localeCompare(b))) {
      const objs = namespaces.get(ns) ?? [];
      if (objs.length === 0) {
        if (!this.noted.has(ns)) {
          this.noted.add(ns);
          this.node.addMetadata('shipshape:info', `IstioInjection.NAMESPACE_LABEL: namespace ${ns} (of ${paths.join(', ')}) is not written by this app, so nothing here labels it: `
            + `label it on the cluster before deploying (kubectl label namespace ${ns} istio-injection=enabled), or let the app write it (App({ cluster }), or a TeamNamespace), `
            + 'or use IstioInjection.POD_LABEL; unlabelled, its pods run without an Istio proxy and their callers\' mutual TLS to them fails');
        }
        continue;
      }
      for (const o of objs) {
        for (const [k, v] of Object.entries(this.namespaceLabels)) {
          const current = o.metadata.getLabel(k);
          if (current === undefined) {
            o.metadata.addLabel(k, v);
          } else if (current !== v) {
            errors.push(formatValidationMessage({
              path: this.node.path,
              prop: 'injection',
              value: show(this.injection),
              allowed: `needs the label ${k}: "${v}" on namespace ${ns}, whose Namespace ${o.node.path} sets it to ${show(current)}: the pods of ${paths.join(', ')} would get no Istio proxy, `
                + 'while their STRICT PeerAuthentication and their callers\' DestinationRules (ISTIO_MUTUAL) expect one',
              fix: `remove that label from ${o.node.path} (the mesh then sets ${k}: "${v}"), or use IstioInjection.POD_LABEL, or enrol no workload of namespace ${ns}`,
            }));
          }
        }
      }
    }
    return errors;
  }

  /**
   * cert-manager's HTTP-01 solver pods (made during a challenge in the ingress's namespace, from the issuer's pod
   * template, which this app does not write) get a proxy too in a labelled namespace: under the namespace's default
   * deny it reaches no istiod, and the challenge fails. Warned once per namespace with an HttpIngress solver policy.
   */
  private noteAcmeSolvers(namespaces: Set<string>): void {
    for (const c of this.node.root.node.findAll()) {
      if (!ApiObject.isApiObject(c)) continue;
      const obj = c as ApiObject;
      const ns = obj.metadata.namespace;
      if (obj.kind !== 'NetworkPolicy' || ns === undefined || !namespaces.has(ns) || this.notedSolvers.has(ns)) continue;
      if (obj.toJson().spec?.podSelector?.matchLabels?.['acme.cert-manager.io/http01-solver'] !== 'true') continue;
      this.notedSolvers.add(ns);
      warn(this, `IstioInjection.NAMESPACE_LABEL labels namespace ${ns}, where cert-manager creates the HTTP-01 solver pods of ${obj.node.scope?.node.path ?? obj.name}: `
        + 'they would get an Istio proxy, which reaches no istiod there (its pods may call only what their NetworkPolicies allow) and takes their traffic, so the challenge fails; '
        + 'opt them out in the issuer\'s HTTP-01 solver (spec.acme.solvers[].http01.ingress.podTemplate.metadata.labels: sidecar.istio.io/inject: "false"), '
        + 'or solve DNS-01 (http01Solver: false), or use IstioInjection.POD_LABEL');
    }
  }

  /**
   * The namespace label gives a proxy to every pod of the namespace: each shipshape workload of `namespaces` not
   * enrolled in Istio gets the pod label `sidecar.istio.io/inject: "false"` (a Job's pod would otherwise never
   * complete, a Linkerd-enrolled pod would get two proxies), unless its pod metadata decides for itself.
   */
  private optOutOthers(namespaces: Set<string>): void {
    for (const c of this.node.root.node.findAll()) {
      if (!Workload.isWorkload(c)) continue;
      const w = c as Workload;
      if (!namespaces.has(w.namespace) || Mesh._enrolmentOf(w) === this.meshName) continue;
      const { labels, annotations } = Mesh._podMetadata(w);
      if (labels['sidecar.istio.io/inject'] !== undefined || annotations['sidecar.istio.io/inject'] !== undefined) continue;
      w.addPodLabel('sidecar.istio.io/inject', 'false');
    }
  }

  public enrol(workload: Workload, options: MeshEnrolOptions = {}): void {
    if (this.enrolled.has(workload)) fail(this, 'enrol', workload.node.path, 'is already enrolled in this mesh', 'enrol each workload once');
    Mesh._refuseSecondEnrolment(this, workload);
    const job = Mesh._checkJobEnrolment(this, 'Istio', workload);
    Mesh._refuseProxyPorts(this, workload);
    const speaksHttp = Mesh._speaksHttp(workload);
    const web = workload as any;
    const service = typeof web.servicePort === 'number';
    const proxy = Mesh._proxyResources(workload, options.proxyResources);
    const traffic = Mesh._traffic(workload, options);
    const cb = IstioMesh.circuitBreaker(workload, options.circuitBreaker ?? {});
    if (service && !speaksHttp) IstioMesh.refuseHttpOptions(workload, options);
    if (!service) Mesh._refuseServiceOptions(workload, options, true);
    this.enrolled.add(workload);
    Mesh._markEnrolled(workload, this);

    if (this.injection === IstioInjection.POD_LABEL) {
      // an opt-out label set before enrolment is kept, so that synth refuses it rather than this silently overriding it
      if (!Mesh._optsOut(this.meshName, Mesh._podMetadata(workload).labels['sidecar.istio.io/inject'])) workload.addPodLabel('sidecar.istio.io/inject', 'true');
    } else {
      Mesh._markOptOutNamespace(this, this.meshName, workload.namespace);
    }
    workload.addPodAnnotation('sidecar.istio.io/proxyCPU', proxy.cpu);
    workload.addPodAnnotation('sidecar.istio.io/proxyCPULimit', proxy.cpuLimit);
    workload.addPodAnnotation('sidecar.istio.io/proxyMemory', proxy.memory);
    workload.addPodAnnotation('sidecar.istio.io/proxyMemoryLimit', proxy.memoryLimit);
    // kubelet probes go through the agent (port 15020), so they keep working under STRICT mTLS.
    workload.addPodAnnotation('sidecar.istio.io/rewriteAppHTTPProbers', 'true');
    if (this.props.holdApplicationUntilProxyStarts ?? true) {
      workload.addPodAnnotation('proxy.istio.io/config', '{"holdApplicationUntilProxyStarts":true}');
    }
    // a job's proxy must stop when the job's container exits: a native sidecar (checked above: target 1.29+)
    if (job) workload.addPodAnnotation('sidecar.istio.io/nativeSidecar', 'true');
    // The proxy fetches configuration and certificates from istiod (xDS and CA on 15012).
    workload.allowTo(NetworkPeer.pods(this.props.controlPlaneNamespace ?? 'istio-system', { app: 'istiod' }, { ports: [15012] }));

    const scope = new Construct(workload, 'Istio');
    const meta = (name: string): metav1.ObjectMeta => ({ name, namespace: workload.namespace, labels: { ...workload.labels } });
    const selector: metav1.LabelSelector = { matchLabels: { ...workload.selectorLabels } };

    new ApiObject(scope, 'PeerAuthentication', {
      apiVersion: 'security.istio.io/v1',
      kind: 'PeerAuthentication',
      metadata: meta(workload.name),
      spec: Lazy.any({ produce: () => IstioMesh.peerAuthentication(workload, selector) }),
    } satisfies IstioObject<'security.istio.io/v1', 'PeerAuthentication', unknown>);

    new ApiObject(scope, 'AuthorizationPolicy', {
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: meta(workload.name),
      spec: Lazy.any({ produce: () => ({ selector, action: 'ALLOW', rules: this.rules(workload) } satisfies IstioAuthorizationPolicySpec) }),
    } satisfies IstioObject<'security.istio.io/v1', 'AuthorizationPolicy', unknown>);
    workload.node.addValidation({
      validate: () => [
        ...Mesh._meshedCallers(workload, 'Istio', this.meshName, workload.ingressConnections),
        ...Mesh._contradictingCallers(workload, 'Istio', this.meshName),
        ...Mesh._unenforcedPlaintext(workload, 'Istio'),
      ],
    });
    // init tasks run before an ordinary proxy container: native sidecar where the target has them, else a wait is refused
    Mesh._guardInitContainers(this, 'Istio', workload, { 'sidecar.istio.io/nativeSidecar': 'true' });

    if (!service) return;
    // Istio takes a port's protocol from the Service port's appProtocol (or name prefix), else sniffs the first bytes
    // the client sends, which stalls protocols where the server speaks first (MySQL): declare opaque TCP outright.
    if (!speaksHttp) (workload as any)._setAppProtocol?.('tcp');
    const host = `${workload.name}.${workload.namespace}.svc.${this.props.clusterDomain ?? 'cluster.local'}`;
    // the Service's host name in this mesh, for an ingress in front of it (HttpIngress's upstream-vhost check)
    Object.defineProperty(workload, Symbol.for('shipshape.k8s.MeshServiceHost'), { value: host, configurable: true });
    const tcp = { maxConnections: cb.maxConnections, connectTimeout: '5s' } satisfies NonNullable<NonNullable<IstioDestinationRuleSpec['trafficPolicy']>['connectionPool']>['tcp'];
    new ApiObject(scope, 'DestinationRule', {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: meta(workload.name),
      spec: {
        host,
        // opaque TCP (a database's own protocol): no HTTP pool settings, and no outlier detection, which counts HTTP 5xx
        trafficPolicy: speaksHttp ? {
          tls: { mode: 'ISTIO_MUTUAL' },
          connectionPool: {
            tcp,
            http: { http1MaxPendingRequests: cb.maxPendingRequests, maxRetries: Math.max(traffic.attempts, 1) * 10 },
          },
          outlierDetection: {
            consecutive5xxErrors: cb.consecutive5xxErrors,
            interval: Mesh._duration(cb.intervalMs),
            baseEjectionTime: Mesh._duration(cb.baseEjectionMs),
            maxEjectionPercent: cb.maxEjectionPercent,
          },
        } : { tls: { mode: 'ISTIO_MUTUAL' }, connectionPool: { tcp } },
      },
    } satisfies IstioObject<'networking.istio.io/v1', 'DestinationRule', IstioDestinationRuleSpec>);
    if (!speaksHttp) return;
    const route: IstioHttpRoute['route'] = [{ destination: { host, port: { number: web.servicePort } } }];
    // Without match.port a route applies to every port of the host: calls to an extra port (metrics on 9090) would
    // be sent to the service port. Scoped, the other ports keep Istio's default route to themselves.
    const port = web.servicePort as number;
    // zero: no timeout (Istio's default for a route without one)
    const timeout = traffic.timeoutMs > 0 ? Mesh._duration(traffic.timeoutMs) : undefined;
    const retryOn = 'connect-failure,refused-stream,unavailable,cancelled,5xx';
    const retries = traffic.attempts > 0
      ? { attempts: traffic.attempts, perTryTimeout: Mesh._duration(traffic.perTryMs), retryOn }
      : { attempts: 0 };
    const timed = timeout === undefined ? {} : { timeout };
    const http: IstioHttpRoute[] = traffic.nonIdempotent || traffic.attempts === 0
      ? [{ name: 'default', match: [{ port }], route, ...timed, retries }]
      : [
        { name: 'idempotent', match: [{ method: { regex: `^(${Mesh._IDEMPOTENT_METHODS.join('|')})$` }, port }], route, ...timed, retries },
        // Non-idempotent methods (POST, PATCH...) are never retried: a retry could apply them twice.
        { name: 'default', match: [{ port }], route, ...timed, retries: { attempts: 0 } },
      ];
    new ApiObject(scope, 'VirtualService', {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: meta(workload.name),
      spec: { hosts: [host], http },
    } satisfies IstioObject<'networking.istio.io/v1', 'VirtualService', { hosts?: string[]; http?: IstioHttpRoute[] }>);
  }

  /** STRICT mTLS, PERMISSIVE on the ports a plaintext caller reaches. */
  private static peerAuthentication(workload: Workload, selector: metav1.LabelSelector): IstioPeerAuthenticationSpec {
    const plaintext = Mesh._plaintextPorts(workload);
    const portLevelMtls: NonNullable<IstioPeerAuthenticationSpec['portLevelMtls']> = {};
    for (const p of plaintext) portLevelMtls[String(p)] = { mode: 'PERMISSIVE' };
    return { selector, mtls: { mode: 'STRICT' }, ...(plaintext.length ? { portLevelMtls } satisfies IstioPeerAuthenticationSpec : {}) };
  }

  /**
   * The ALLOW rules of `workload`'s AuthorizationPolicy, one or two per declared caller, each identical rule once (in
   * the order of its first occurrence): two callers may render the same rule (an HttpIngress and an HttpRoute both
   * admitting plaintext requests on the service port, the same caller declared twice).
   */
  private rules(workload: Workload): IstioAuthorizationRule[] {
    const seen = new Set<string>();
    return this.callerRules(workload).filter(r => {
      const key = JSON.stringify(r);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }

  private callerRules(workload: Workload): IstioAuthorizationRule[] {
    const own = workload.containerPorts;
    return workload.ingressConnections.flatMap(c => {
      const cfg = c.peer.toNetworkPeer();
      const ports = c.ports.length ? c.ports : own;
      const to = ports.length ? { to: [{ operation: { ports: ports.map(String) } }] } satisfies IstioAuthorizationRule : {};
      if (Workload.isWorkload(c.peer)) {
        const peer = c.peer as Workload;
        const sa = (peer as any).serviceAccountName ?? peer.name;
        return [{ from: [{ source: { principals: [`${this.trustDomain}/ns/${peer.namespace}/sa/${sa}`] } }], ...to }];
      }
      if (cfg.cidr) return [{ from: [{ source: { ipBlocks: [cfg.cidr] } }], ...to }];
      const rules: IstioAuthorizationRule[] = [{ from: [{ source: { namespaces: [cfg.namespace ?? workload.namespace] } }], ...to }];
      // a plaintext caller carries no principal: admit requests without one, on its ports only (PERMISSIVE there)
      if (cfg.plaintext) rules.push({ from: [{ source: { notPrincipals: ['*'] } }], ...to });
      return rules;
    });
  }

  /**
   * A workload with a Service that is not known to speak HTTP (a StatefulService) is meshed as opaque TCP: the HTTP
   * settings would have no effect, so asking for them is an error rather than silently dropped.
   */
  private static refuseHttpOptions(workload: Workload, o: MeshEnrolOptions): void {
    Mesh._refuseHttpOptions(workload, o);
    for (const k of ['maxPendingRequests', 'consecutive5xxErrors', 'interval', 'baseEjectionTime', 'maxEjectionPercent'] as const) {
      const v = o.circuitBreaker?.[k];
      if (v === undefined) continue;
      fail(workload, `circuitBreaker.${k}`, typeof v === 'number' ? v : `${v.toMilliseconds()}ms`,
        `applies to HTTP services only, and a ${workload.constructor.name} is meshed as opaque TCP (no HTTP requests to queue or responses to eject on)`,
        'remove it (circuitBreaker.maxConnections still limits the TCP connections), or model an HTTP service as a WebService');
    }
  }

  private static circuitBreaker(scope: Construct, o: CircuitBreakerOptions) {
    const whole = (prop: string, v: number, min: number, max: number) => {
      if (!Number.isInteger(v) || v < min || v > max) fail(scope, `circuitBreaker.${prop}`, v, `must be a whole number from ${min} to ${max}`, `use a value from ${min} to ${max}`);
      return v;
    };
    const ms = (prop: string, d: Duration) => {
      const v = d.toMilliseconds();
      if (!Number.isInteger(v) || v < 1) fail(scope, `circuitBreaker.${prop}`, `${v}ms`, 'must be at least 1 ms', 'use for example Duration.seconds(10)');
      return v;
    };
    return {
      maxConnections: whole('maxConnections', o.maxConnections ?? 100, 1, 1000000),
      maxPendingRequests: whole('maxPendingRequests', o.maxPendingRequests ?? 100, 1, 1000000),
      consecutive5xxErrors: whole('consecutive5xxErrors', o.consecutive5xxErrors ?? 5, 1, 1000),
      intervalMs: ms('interval', o.interval ?? Duration.seconds(10)),
      baseEjectionMs: ms('baseEjectionTime', o.baseEjectionTime ?? Duration.seconds(30)),
      maxEjectionPercent: whole('maxEjectionPercent', o.maxEjectionPercent ?? 50, 1, 100),
    };
  }
}
