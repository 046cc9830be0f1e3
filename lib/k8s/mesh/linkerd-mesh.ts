import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import type * as metav1 from 'kubernetes-types/meta/v1';
import { IMesh, Mesh, MeshEnrolOptions } from './mesh';
import { fail, warn } from '../../core/errors';
import { Names } from '../../core/names';
import { INetworkPeer, NetworkPeer } from '../networking/network-peer';
import { renderPeer } from '../networking/peer-config';
import { Workload } from '../workloads/workload';

/** On a workload enrolled in Linkerd: its opaque ports (`config.linkerd.io/opaque-ports`), across library copies. */
/** The proxy's inbound port: a meshed client sends opaque traffic there, whatever the port it connects to. */
const PROXY_INBOUND_PORT = 4143;

// Linkerd's custom resources (policy.linkerd.io): not among the built-in Kubernetes types, so the fields shipshape
// writes are declared here, after the CRD schemas.

/** A reference to another object (`targetRef`, `requiredAuthenticationRefs[]`, `identityRefs[]`, `parentRefs[]`). */
interface LinkerdRef {
  group?: string;
  kind: string;
  name: string;
  namespace?: string;
  port?: number;
}

/** A Linkerd HTTPRoute rule (policy.linkerd.io/v1beta3 `spec.rules[]`). */
interface LinkerdHttpRouteRule {
  matches?: Array<{ path?: { type?: string; value?: string }; method?: string }>;
  timeouts?: { request?: string };
}

/** MeshTLSAuthentication `spec`. */
interface LinkerdMeshTlsAuthenticationSpec {
  identityRefs?: LinkerdRef[];
}

/** A Linkerd object: the group/version, the kind and its spec. */
interface LinkerdObject<V extends string, K extends string, S> {
  apiVersion: V;
  kind: K;
  metadata?: metav1.ObjectMeta;
  spec: S;
}

/**
 * The protocol Linkerd expects on a workload's port.
 */
export enum LinkerdProtocol {
  /** Detect the protocol (a short delay on the first bytes of each connection). */
  UNKNOWN = 'unknown',
  /** HTTP/1.1. */
  HTTP_1 = 'HTTP/1',
  /** HTTP/2 (h2c). */
  HTTP_2 = 'HTTP/2',
  /** gRPC. */
  GRPC = 'gRPC',
}

/**
 * Properties of a LinkerdMesh.
 */
export interface LinkerdMeshProps {
  /**
   * The namespace of the Linkerd control plane.
   * @default "linkerd"
   */
  readonly controlPlaneNamespace?: string;
  /**
   * The protocol of every web service's port (their `Server` objects). Other workloads' Servers are always opaque TCP.
   * @default - by each web service's port name (`portName`): LinkerdProtocol.GRPC for `grpc` or `grpc-*` (not `grpc-web`),
   * LinkerdProtocol.HTTP_2 for `http2`, `h2c` or their `-*` forms, else LinkerdProtocol.HTTP_1; LinkerdProtocol.UNKNOWN
   * (detection) for a gRPC or HTTP/2 port the kubelet probes over HTTP (its probes are HTTP/1.1, which a gRPC or HTTP/2
   * Server refuses). Set to GRPC or HTTP_2, it is kept, with a warning for each web service the kubelet probes over HTTP.
   */
  readonly protocol?: LinkerdProtocol;
}

/**
 * Linkerd: the injection annotation with proxy resources, a `Server` on the service port with an
 * `AuthorizationPolicy` and `MeshTLSAuthentication` derived from the workload's `allowFrom(...)` callers, and
 * for web services `HTTPRoute`s (policy.linkerd.io/v1beta3) attached to the Service carrying timeouts and
 * retries (idempotent methods only unless told).
 *
 * A StatefulService (a database, a broker) is not taken to speak HTTP: its `Server` has `proxyProtocol: opaque`
 * (plain TCP with mutual TLS, no protocol detection, which would stall protocols where the server speaks first),
 * its peer ports are opaque too (the pod annotation `config.linkerd.io/opaque-ports`), and it gets no HTTPRoute.
 * Only a port its own probes reach over HTTP (`Probe.http`, the StatefulService default) is left to protocol
 * detection (`unknown`) instead, since Linkerd authorizes the kubelet's probes by their HTTP path. Its Service ports
 * get no `appProtocol`: Linkerd reads opaqueness from the pod annotation, for meshed clients going through the
 * Service too, and `appProtocol: tcp` (what Istio reads) means nothing to it (recent Linkerd versions read their own
 * value, `linkerd.io/opaque`, which the annotation makes unnecessary here).
 *
 * Probes: Linkerd's default policy authorizes the kubelet's HTTP probes (by their paths) only, so a gRPC probe
 * (`Probe.grpc`) on the port of a Server that admits meshed callers only, a WebService's or a StatefulService's, is
 * refused at synth: it would be refused and the pods never become ready. A TCP probe (`Probe.tcp`) of an enrolled
 * workload of any kind is noted at synth (on stderr, not an error): the pod's proxy accepts every TCP connection to
 * the pod's ports itself, so the probe passes even when the app is hung; probe with a command (`Probe.exec`), HTTP
 * or gRPC instead.
 *
 * A Job or ScheduledJob can be enrolled only when the target is Kubernetes 1.29 or later (`KubernetesTarget`; below
 * that, `enrol` throws): its pods
 * get `config.beta.linkerd.io/proxy-enable-native-sidecar: "true"` (and the `config.alpha.linkerd.io/` spelling read
 * by Linkerd 2.15 to 2.17), so the proxy runs as a native sidecar and stops once the job's container has exited.
 *
 * A meshed client does not connect to the server's port itself but to the server proxy's inbound port (4143),
 * naming the port in a transport header: for opaque ports (Linkerd's default opaque ports 3306, 5432, 6379, 11211,
 * ... included) and, from Linkerd 2.18 on (its default `proxy.outboundTransportMode: transport-header`), for every
 * port of a meshed server. So an enrolled workload's NetworkPolicy admits its meshed callers (enrolled workloads,
 * pods not declared `meshed: false`) on 4143 besides the ports they call, and lets it out to 4143 of its meshed
 * destinations (enrolled workloads, pods not declared `meshed: false`, its own replicas). Through 4143 a meshed
 * caller can reach any of the pod's ports at the network level: the Server and its authorization still decide who
 * gets in.
 *
 * Init tasks (`InitTasks`) run before an ordinary proxy container, while the pod's outbound traffic is already
 * redirected to it. Where native sidecars exist (target 1.29+), a pod with init containers gets the native-sidecar
 * annotations: the proxy starts before them and their connections carry mutual TLS. A task that
 * waits for a dependency (`InitTask.waitFor`) is refused at synth: on older targets it would wait until its timeout, again and again, and from
 * 1.29 the proxy accepts its TCP connection itself, so it would not wait (use `InitTask.run` with a command that speaks
 * the dependency's protocol, such as `pg_isready`); on older targets other tasks must not use the network either. Bypassing the proxy (`config.linkerd.io/skip-outbound-ports`) is not used: it would apply to the
 * app container's calls to that port too.
 *
 * Runs under the restricted Pod Security profile only with the linkerd-cni plugin; the injected proxy runs
 * as a non-root user (2102) and the app waits for it (`proxy-await`).
 *
 * Injection is by pod annotation only (`linkerd.io/inject: enabled` on each enrolled workload's pods): the mesh
 * writes no namespace annotation, so the workloads it does not enrol (a Job, say) get no proxy from it. A workload
 * joins one mesh: enrolling one already enrolled in an IstioMesh (or another LinkerdMesh) is refused, and so is, at
 * synth, an enrolled workload whose pods ask Istio for its proxy too (the pod label or annotation
 * `sidecar.istio.io/inject: "true"`, the pod label `istio.io/rev`, or an Istio injection label on the app's Namespace
 * object of its namespace while the pods do not opt out with `sidecar.istio.io/inject: "false"`): the two proxies
 * would fight over the pod's traffic. A namespace that an IstioMesh with `IstioInjection.NAMESPACE_LABEL` labels
 * itself is not refused: that mesh opts the pods of this one out. An enrolled workload whose pods opt out of Linkerd
 * (the pod annotation `linkerd.io/inject: disabled`, or any value but `enabled` and `ingress`) is refused at synth
 * too: it would run without the proxy that enforces its Server and authorization.
 *
 * Callers outside the mesh: an ingress controller declared without `meshed: true`
 * (`NetworkPeer.ingressController(ns, labels)`), pods or a namespace declared with `meshed: false`, and an
 * `HttpRoute`'s gateway unless `gatewayMeshed` call without a mesh identity, which the `MeshTLSAuthentication`
 * cannot match. When one reaches the `Server`'s port, the Server's default access policy becomes
 * `cluster-unauthenticated` instead of `deny`: any client inside the cluster networks, meshed or not, is then
 * admitted on that port, and the NetworkPolicy (which admits only the declared callers' pods) is what keeps
 * other pods out. Declare the caller meshed (and mesh it) to keep identity-based authorization. Pods and
 * namespaces that do not say are taken to be meshed. Ports other than the Server's (a `MetricsAdapter`'s metrics
 * port, `extraPorts`) get no Server: the cluster's default inbound policy applies there (`all-unauthenticated`
 * unless the cluster was installed otherwise), so an unmeshed Prometheus can scrape them by default.
 * Shipshape workloads calling the Server's port must be enrolled in the same mesh, and IP-range callers are
 * refused: both fail the synth with a message.
 */
export class LinkerdMesh extends Construct implements IMesh {
  public readonly meshName = 'linkerd';
  private readonly props: LinkerdMeshProps;
  private readonly enrolled = new Set<Workload>();
  /** The enrolled workloads whose TCP probes have been noted (validation may run more than once). */
  private readonly notedTcpProbes = new Set<Workload>();

  constructor(scope: Construct, id: string, props: LinkerdMeshProps = {}) {
    super(scope, id);
    this.props = props;
    Names.dnsLabel(this, 'controlPlaneNamespace', props.controlPlaneNamespace ?? 'linkerd');
    Mesh._register(this);
    // at synth, once for the mesh: no enrolled workload's pods opt out of Linkerd or ask Istio for a proxy too
    Mesh._guardEnrolled(this, this.enrolled);
    this.node.addValidation({
      validate: () => [...this.enrolled].flatMap(w => {
        this.noteTcpProbes(w);
        return LinkerdMesh.deniedGrpcProbes(w);
      }),
    });
  }

  /**
   * The main container's probes of `workload` (readiness, liveness, startup), rendered, by their container field;
   * none for a workload without any.
   */
  private static probesOf(workload: Workload): { [field: string]: any } {
    const w = workload as any;
    const extras = typeof w._mainContainerExtras === 'function' ? w._mainContainerExtras() ?? {} : {};
    const out: { [field: string]: any } = {};
    for (const k of ['readinessProbe', 'livenessProbe', 'startupProbe']) if (extras[k]) out[k] = extras[k];
    return out;
  }

  /**
   * Notes (once per synth, on stderr) an enrolled workload's TCP probes: the pod's Linkerd proxy accepts every
   * inbound TCP connection itself, whether the app behind it listens or not, so a TCP probe always passes.
   */
  private noteTcpProbes(workload: Workload): void {
    if (this.notedTcpProbes.has(workload)) return;
    const w = workload as any;
    // the sidecars' own TCP probes (an AmbassadorProxy's default readiness) are just as blind
    const sidecarTcp: string[] = [];
    for (const s of (w._sidecars ?? []) as Array<{ binding: { containers?: any[]; initContainers?: any[] } }>) {
      for (const c of Workload._bindingContainers(s.binding)) {
        for (const kind of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
          if (c?.[kind]?.tcpSocket !== undefined) sidecarTcp.push(`${kind} of sidecar container ${c.name}`);
        }
      }
    }
    if (sidecarTcp.length > 0) {
      this.notedTcpProbes.add(workload);
      workload.node.addMetadata('shipshape:info', `${sidecarTcp.join(', ')} (TCP) check${sidecarTcp.length === 1 ? 's' : ''} nothing under Linkerd: the pod's Linkerd proxy `
        + 'answers the kubelet\'s connect itself, so the probe always passes, even when the sidecar is down; give the sidecar a probe it answers itself '
        + '(its readiness or liveness option: Probe.http on a health endpoint, or Probe.exec)');
    }
    const probes = LinkerdMesh.probesOf(workload);
    const tcp = Object.keys(probes).filter(k => probes[k].tcpSocket !== undefined);
    if (tcp.length === 0) return;
    this.notedTcpProbes.add(workload);
    const named = new Map<string, number>((typeof w._mainPorts === 'function' ? w._mainPorts() as Array<{ name: string; port: number }> : []).map(p => [p.name, p.port]));
    const ports = [...new Set(tcp.map(k => probes[k].tcpSocket.port).map(p => (typeof p === 'number' ? p : named.get(p) ?? p)))];
    // a gRPC probe on the Server's port is refused (deniedGrpcProbes) unless plaintext callers open it: not suggested there
    const server = typeof w.servicePort === 'number' && ports.includes(w.port) && !Mesh._plaintextPorts(workload).includes(w.port);
    const one = tcp.length === 1;
    workload.node.addMetadata('shipshape:info', `${tcp.join(', ')} (TCP, port${ports.length === 1 ? '' : 's'} ${ports.join(', ')}) `
      + `check${one ? 's' : ''} nothing under Linkerd: the pod's Linkerd proxy answers the kubelet's connect itself (it accepts every TCP connection `
      + `to the pod's ports, whether the app is up, hung or not listening), so ${one ? 'it always passes' : 'they always pass'}; probe something the app itself answers `
      + 'instead: a command in the container (Probe.exec, for example Probe.exec([\'pg_isready\']) for PostgreSQL)'
      + (server ? ` or HTTP (Probe.http); not gRPC on port ${w.port}, whose Linkerd Server admits meshed callers only and refuses the kubelet's gRPC probes`
        : ', HTTP (Probe.http) or gRPC (Probe.grpc)'));
  }

  /**
   * The error when an enrolled workload's kubelet gRPC probes reach its Server (a WebService's or a StatefulService's,
   * whatever the Server's protocol: HTTP, detected or opaque) while the Server denies unauthenticated clients:
   * Linkerd's default policy authorizes the kubelet's HTTP probes (by their paths) only, so the probes fail and the
   * pods never become ready. Empty unless such a probe is there. A workload without a Server (a Worker) is left to
   * the cluster's default inbound policy.
   */
  private static deniedGrpcProbes(workload: Workload): string[] {
    const web = workload as any;
    if (typeof web.servicePort !== 'number' || typeof web.port !== 'number') return [];
    const probes = LinkerdMesh.probesOf(workload);
    const grpc = Object.keys(probes).filter(k => probes[k].grpc?.port === web.port);
    if (grpc.length === 0 || Mesh._plaintextPorts(workload).includes(web.port)) return [];
    return [`${workload.node.path}: ${grpc.join(', ')} (gRPC, port ${web.port}) reach the Linkerd Server of ${workload.node.path}, which admits meshed callers only: `
      + 'Linkerd\'s default policy authorizes the kubelet\'s HTTP probes (by their paths) only, so the gRPC probes are refused and the pods never become ready; '
      + 'probe an HTTP health endpoint (Probe.http), or run the check in the container (Probe.exec, for example grpc_health_probe)'];
  }

  public enrol(workload: Workload, options: MeshEnrolOptions = {}): void {
    if (this.enrolled.has(workload)) fail(this, 'enrol', workload.node.path, 'is already enrolled in this mesh', 'enrol each workload once');
    Mesh._refuseSecondEnrolment(this, workload);
    const job = Mesh._checkJobEnrolment(this, 'Linkerd', workload);
    Mesh._refuseProxyPorts(this, workload);
    const http = Mesh._speaksHttp(workload);
    const web = workload as any;
    const service = typeof web.servicePort === 'number';
    const proxy = Mesh._proxyResources(workload, options.proxyResources);
    const traffic = Mesh._traffic(workload, options);
    if (service && !http) Mesh._refuseHttpOptions(workload, options);
    if (!service) Mesh._refuseServiceOptions(workload, options, false);
    this.enrolled.add(workload);
    Mesh._markEnrolled(workload, this);

    // an opt-out set before enrolment is kept, so that synth refuses it rather than this silently overriding it
    if (!Mesh._optsOut(this.meshName, Mesh._podMetadata(workload).annotations['linkerd.io/inject'])) workload.addPodAnnotation('linkerd.io/inject', 'enabled');
    workload.addPodAnnotation('config.linkerd.io/proxy-cpu-request', proxy.cpu);
    workload.addPodAnnotation('config.linkerd.io/proxy-cpu-limit', proxy.cpuLimit);
    workload.addPodAnnotation('config.linkerd.io/proxy-memory-request', proxy.memory);
    workload.addPodAnnotation('config.linkerd.io/proxy-memory-limit', proxy.memoryLimit);
    // The app container starts only once the proxy is ready.
    workload.addPodAnnotation('config.linkerd.io/proxy-await', 'enabled');
    if (job) {
      // a job's proxy must stop when the job's container exits: a native sidecar (checked above: target 1.29+).
      // Linkerd 2.15-2.17 read the alpha spelling; later versions the beta one (the alpha one deprecated).
      workload.addPodAnnotation('config.alpha.linkerd.io/proxy-enable-native-sidecar', 'true');
      workload.addPodAnnotation('config.beta.linkerd.io/proxy-enable-native-sidecar', 'true');
    }
    // identity (8080), destination (8086) and policy (8090) controllers.
    workload.allowTo(NetworkPeer.namespace(this.props.controlPlaneNamespace ?? 'linkerd', { ports: [8080, 8086, 8090] }));
    // the Server (identity-based authorization) covers the service's port only; other ports keep the cluster default
    const serverPorts = service ? [web.port as number] : [];
    workload.node.addValidation({
      validate: () => [
        ...Mesh._meshedCallers(workload, 'Linkerd', this.meshName, workload.ingressConnections, serverPorts),
        ...Mesh._contradictingCallers(workload, 'Linkerd', this.meshName),
        ...Mesh._unenforcedPlaintext(workload, 'Linkerd'),
      ],
    });
    // init tasks run before an ordinary proxy container: native sidecar where the target has them, else a wait is refused
    Mesh._guardInitContainers(this, 'Linkerd', workload, {
      'config.alpha.linkerd.io/proxy-enable-native-sidecar': 'true',
      'config.beta.linkerd.io/proxy-enable-native-sidecar': 'true',
    });
    // a meshed client connects to the server proxy's inbound port (4143): let this pod out to it, and its meshed callers in
    const controlPlane = NetworkPeer.namespace(this.props.controlPlaneNamespace ?? 'linkerd');
    Mesh._postRender(workload, '_renderNetworkPolicySpec', spec => LinkerdMesh.egressToInboundPort(workload, spec, controlPlane));
    Mesh._postRender(workload, '_renderNetworkPolicySpec', spec => LinkerdMesh.ingressToInboundPort(workload, spec));
    if (!service) return;
    // Opaque TCP on every port, also those the Server does not cover (a StatefulService's peer ports); the annotation
    // replaces the cluster's default opaque ports for the pod, so it lists the Server's port too. A port the kubelet
    // probes over HTTP is left to protocol detection instead: Linkerd admits probes by their HTTP route, which an
    // opaque port never shows, so the probes would be refused and the pod never become ready.
    const probed = http ? [] : Mesh._httpProbePorts(workload);
    const opaque = http ? [] : workload.containerPorts.filter(p => !probed.includes(p));
    if (opaque.length) {
      workload.addPodAnnotation('config.linkerd.io/opaque-ports', opaque.join(','));
    }
    const scope = new Construct(workload, 'Linkerd');
    const meta = (name: string, annotations?: { [k: string]: string }): metav1.ObjectMeta => ({
      name, namespace: workload.namespace, labels: { ...workload.labels }, ...(annotations ? { annotations } satisfies metav1.ObjectMeta : {}),
    });

    new ApiObject(scope, 'Server', {
      apiVersion: 'policy.linkerd.io/v1beta3',
      kind: 'Server',
      metadata: meta(workload.name),
      spec: {
        podSelector: { matchLabels: { ...workload.selectorLabels } },
        port: web.portName,
        // a protocol of its own (PostgreSQL, Redis...) is proxied as opaque TCP: HTTP handling would break every connection
        proxyProtocol: http ? this.httpProtocol(workload) : probed.includes(web.port) ? LinkerdProtocol.UNKNOWN : 'opaque',
        // a caller outside the mesh reaching this port has no identity to authorize: admit in-cluster plaintext
        accessPolicy: Lazy.any({ produce: () => (Mesh._plaintextPorts(workload).includes(web.port) ? 'cluster-unauthenticated' : 'deny') }),
      },
    } satisfies LinkerdObject<'policy.linkerd.io/v1beta3', 'Server', {
      podSelector?: metav1.LabelSelector; port: number | string; proxyProtocol?: string; accessPolicy?: string;
    }>);
    new ApiObject(scope, 'MeshTLSAuthentication', {
      apiVersion: 'policy.linkerd.io/v1alpha1',
      kind: 'MeshTLSAuthentication',
      metadata: meta(workload.name),
      spec: Lazy.any({ produce: () => this.authentication(workload) }),
    } satisfies LinkerdObject<'policy.linkerd.io/v1alpha1', 'MeshTLSAuthentication', unknown>);
    new ApiObject(scope, 'AuthorizationPolicy', {
      apiVersion: 'policy.linkerd.io/v1alpha1',
      kind: 'AuthorizationPolicy',
      metadata: meta(workload.name),
      spec: {
        targetRef: { group: 'policy.linkerd.io', kind: 'Server', name: workload.name },
        requiredAuthenticationRefs: [{ group: 'policy.linkerd.io', kind: 'MeshTLSAuthentication', name: workload.name }],
      },
    } satisfies LinkerdObject<'policy.linkerd.io/v1alpha1', 'AuthorizationPolicy', { targetRef: LinkerdRef; requiredAuthenticationRefs: LinkerdRef[] }>);
    // HTTP routes (timeouts, retries) for HTTP services only
    if (!http) return;

    const parentRefs: LinkerdRef[] = [{ group: 'core', kind: 'Service', name: workload.name, port: web.servicePort }];
    // zero: no timeout (a route without timeouts has none)
    const timeouts = traffic.timeoutMs > 0 ? { timeouts: { request: Mesh._duration(traffic.timeoutMs) } } : {};
    const retryAnnotations = traffic.attempts > 0 ? {
      'retry.linkerd.io/http': '5xx',
      'retry.linkerd.io/limit': String(traffic.attempts),
      'retry.linkerd.io/timeout': Mesh._duration(traffic.perTryMs),
    } : undefined;
    const catchAll = { path: { type: 'PathPrefix', value: '/' } } satisfies NonNullable<LinkerdHttpRouteRule['matches']>[number];
    if (retryAnnotations && !traffic.nonIdempotent) {
      new ApiObject(scope, 'RetryRoute', {
        apiVersion: 'policy.linkerd.io/v1beta3',
        kind: 'HTTPRoute',
        metadata: meta(`${workload.name}-idempotent`.slice(0, 63), retryAnnotations),
        spec: {
          parentRefs,
          rules: [{ matches: Mesh._IDEMPOTENT_METHODS.map(method => ({ ...catchAll, method } satisfies NonNullable<LinkerdHttpRouteRule['matches']>[number])), ...timeouts }],
        },
      } satisfies LinkerdObject<'policy.linkerd.io/v1beta3', 'HTTPRoute', { parentRefs?: LinkerdRef[]; rules?: LinkerdHttpRouteRule[] }>);
    }
    new ApiObject(scope, 'HTTPRoute', {
      apiVersion: 'policy.linkerd.io/v1beta3',
      kind: 'HTTPRoute',
      metadata: meta(workload.name, traffic.nonIdempotent ? retryAnnotations : undefined),
      spec: { parentRefs, rules: [{ matches: [catchAll], ...timeouts }] },
    } satisfies LinkerdObject<'policy.linkerd.io/v1beta3', 'HTTPRoute', { parentRefs?: LinkerdRef[]; rules?: LinkerdHttpRouteRule[] }>);
  }

  /**
   * The protocol a web service's port name announces, by the convention Istio and Kubernetes' appProtocol follow:
   * gRPC for `grpc` or `grpc-*` (but `grpc-web`, HTTP/1.1 on the wire), HTTP/2 for `http2`, `h2c` or `http2-*`/`h2c-*`,
   * else HTTP/1.
   */
  /**
   * The protocol of a web service's Server: the mesh's, or its port name's; a gRPC or HTTP/2 Server (no protocol
   * detection) takes no HTTP/1.1 connection, which is what the kubelet's HTTP probes are, so a port it probes over
   * HTTP is detected instead (or kept with a warning, when the mesh's protocol says gRPC or HTTP/2).
   */
  private httpProtocol(workload: Workload): LinkerdProtocol {
    const web = workload as any;
    const declared = this.props.protocol ?? LinkerdMesh.protocolOfPortName(web.portName);
    if ((declared !== LinkerdProtocol.GRPC && declared !== LinkerdProtocol.HTTP_2) || !Mesh._httpProbePorts(workload).includes(web.port)) return declared;
    if (this.props.protocol === undefined) return LinkerdProtocol.UNKNOWN;
    // the mesh's own choice is kept, with a warning: a Linkerd version may admit HTTP/1.1 probes on such a Server
    warn(this, `protocol ${declared} makes the Linkerd Server of ${workload.node.path} (port ${web.port}) ${declared} only, without protocol detection, but the kubelet probes that port `
      + 'over HTTP/1.1 (Probe.http, the default probes), which such a Server refuses (linkerd/linkerd2#10775): the probes would fail and the pods never become ready; '
      + 'leave protocol unset (a gRPC or HTTP/2 port the kubelet probes over HTTP is then detected), or probe the service another way (Probe.exec, for example grpc_health_probe)');
    return declared;
  }

  private static protocolOfPortName(name: unknown): LinkerdProtocol {
    if (typeof name !== 'string') return LinkerdProtocol.HTTP_1;
    // gRPC-Web (grpc-web, from browsers) is HTTP/1.1 on the wire
    if (/^grpc-web(-|$)/i.test(name)) return LinkerdProtocol.HTTP_1;
    if (/^grpc(-|$)/i.test(name)) return LinkerdProtocol.GRPC;
    if (/^(http2|h2c)(-|$)/i.test(name)) return LinkerdProtocol.HTTP_2;
    return LinkerdProtocol.HTTP_1;
  }

  /** True when `peer` calls with Linkerd's mutual TLS: a workload enrolled in Linkerd, or pods not declared plaintext. */
  private static meshedCaller(peer: INetworkPeer): boolean {
    if (Workload.isWorkload(peer)) return Mesh._enrolmentOf(peer) === 'linkerd';
    const cfg = peer.toNetworkPeer();
    return cfg.cidr === undefined && !cfg.plaintext;
  }

  /** Adds the proxy's inbound port (4143) to `rule` (a rule without ports admits every port already). */
  private static withInboundPort<R extends { ports?: Array<{ port?: number | string; protocol?: string }> }>(rule: R): R {
    const ports = rule.ports;
    if (ports === undefined || ports.length === 0 || ports.some(p => p.port === PROXY_INBOUND_PORT)) return rule;
    return { ...rule, ports: [...ports, { port: PROXY_INBOUND_PORT, protocol: 'TCP' }] };
  }

  /** A rendered NetworkPolicy peer as JSON with sorted keys, to find the declaration a rule was rendered from. */
  private static peerKey(peer: unknown): string {
    return JSON.stringify(peer, (_k, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).sort().map(k => [k, v[k]])) : v));
  }

  /**
   * A meshed Linkerd client does not connect to the server's port itself: it connects to the server proxy's inbound
   * port (4143) and names the port in a transport header. Linkerd does so for opaque ports (its default opaque ports
   * 3306, 5432, 6379, 11211, ... included) and, from 2.18 on (the default `proxy.outboundTransportMode:
   * transport-header`), for every port of a meshed server. So each NetworkPolicy ingress rule that admits a meshed
   * caller admits it to 4143 too: every rule but those whose peers are all plaintext callers (declared outside the
   * mesh, CIDRs), which still connect to the port.
   */
  private static ingressToInboundPort(workload: Workload, spec: any): any {
    const plaintext = new Set(workload.ingressConnections.filter(c => !LinkerdMesh.meshedCaller(c.peer))
      .map(c => LinkerdMesh.peerKey(renderPeer(c.peer.toNetworkPeer(), workload.namespace))));
    const meshed = (f: any) => f?.ipBlock === undefined && !plaintext.has(LinkerdMesh.peerKey(f));
    const rules: any[] = spec?.ingress ?? [];
    return { ...spec, ingress: rules.map(r => ((r.from ?? []).some(meshed) ? LinkerdMesh.withInboundPort(r) : r)) };
  }

  /**
   * The caller's side of `ingressToInboundPort`: each egress rule to a meshed destination (a workload enrolled in
   * Linkerd, pods not declared outside the mesh, the workload's own replicas) lets the proxy out to 4143 too.
   */
  private static egressToInboundPort(workload: Workload, spec: any, controlPlane: INetworkPeer): any {
    const meshed = new Set<string>([LinkerdMesh.peerKey({ podSelector: { matchLabels: { ...workload.selectorLabels } } })]);
    for (const c of workload.egressConnections) {
      if (LinkerdMesh.meshedCaller(c.peer)) meshed.add(LinkerdMesh.peerKey(renderPeer(c.peer.toNetworkPeer(), workload.namespace)));
    }
    // the proxy reaches the control plane's controllers on their own ports
    meshed.delete(LinkerdMesh.peerKey(renderPeer(controlPlane.toNetworkPeer(), workload.namespace)));
    const rules: any[] = spec?.egress ?? [];
    return { ...spec, egress: rules.map(r => ((r.to ?? []).some((t: unknown) => meshed.has(LinkerdMesh.peerKey(t))) ? LinkerdMesh.withInboundPort(r) : r)) };
  }

  private authentication(workload: Workload): LinkerdMeshTlsAuthenticationSpec {
    const refs: LinkerdRef[] = [];
    const seen = new Set<string>();
    const own = [(workload as any).port as number];
    for (const c of workload.ingressConnections) {
      if (c.ports.length && !c.ports.some(p => own.includes(p))) continue;
      const cfg = c.peer.toNetworkPeer();
      if (cfg.cidr) continue;
      const peer = c.peer as Workload;
      const ref = Workload.isWorkload(c.peer)
        ? { kind: 'ServiceAccount', name: (peer as any).serviceAccountName ?? peer.name, namespace: peer.namespace } satisfies LinkerdRef
        : { kind: 'Namespace', name: cfg.namespace ?? workload.namespace } satisfies LinkerdRef;
      const key = JSON.stringify(ref);
      if (!seen.has(key)) {
        seen.add(key);
        refs.push(ref);
      }
    }
    // No caller declared: only the workload's own identity is authenticated, so no one else gets in.
    if (refs.length === 0) refs.push({ kind: 'ServiceAccount', name: (workload as any).serviceAccountName ?? workload.name, namespace: workload.namespace });
    return { identityRefs: refs };
  }
}
