import { ApiObject, Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { fail, formatValidationMessage, show, ValidationErrorDetails } from '../../core/errors';
import { RecommendedLabels } from '../../core/labels';
import { MemoryQuantity } from '../../core/quantity';
import { ClusterContext } from '../cluster-context';
import { INetworkPeer, NetworkConnection } from '../networking/network-peer';
import { validationIndex } from '../synth-steps';
import { KubernetesTarget, KubernetesVersion } from '../target';
import { parseContainerCpu } from '../workloads/checks';
import { Workload } from '../workloads/workload';

const MESH = Symbol.for('shipshape.k8s.Mesh');
/** On an enrolled workload: the name of the mesh it is enrolled in (`istio`, `linkerd`), across library copies. */
const ENROLMENT = Symbol.for('shipshape.k8s.MeshEnrolment');
/** On an enrolled workload: the construct path of the mesh it is enrolled in, across library copies. */
const ENROLMENT_PATH = Symbol.for('shipshape.k8s.MeshEnrolmentPath');
/**
 * On the root of the construct tree (the app): by mesh name, the namespaces a mesh labels for injection itself and
 * whose pods outside it get that mesh's opt-out (IstioInjection.NAMESPACE_LABEL), across library copies.
 */
const OPTED_OUT_NAMESPACES = Symbol.for('shipshape.k8s.MeshOptedOutNamespaces');
/** The proxy of each mesh, by mesh name. */
const PROXY_NAMES: { [meshName: string]: string } = { istio: 'Istio', linkerd: 'Linkerd' };

/**
 * The ports each mesh's proxy listens on inside every pod it joins (the pod shares one network namespace, so an app
 * port among them fails to bind, or the proxy does). Istio's sidecar: admin 15000, outbound 15001, debug 15004,
 * inbound 15006, HBONE 15008, merged metrics 15020, health 15021, DNS 15053, Envoy metrics 15090. Linkerd's proxy:
 * outbound 4140, inbound 4143, control 4190, admin 4191.
 */
const PROXY_PORTS: { [meshName: string]: readonly number[] } = {
  istio: [15000, 15001, 15004, 15006, 15008, 15020, 15021, 15053, 15090],
  linkerd: [4140, 4143, 4190, 4191],
};

/** Values of `sidecar.istio.io/inject` that ask Istio to inject (its injector's reading). */
const ISTIO_INJECT_ON = ['true', 'yes', 'y', 'on'];
/** Values of `linkerd.io/inject` that ask Linkerd to inject. */
const LINKERD_INJECT_ON = ['enabled', 'ingress'];

/**
 * Resources of the injected mesh proxy.
 */
export interface ProxyResources {
  /**
   * CPU request of the proxy.
   * @default "100m"
   */
  readonly cpu?: string;
  /**
   * CPU limit of the proxy.
   * @default "1"
   */
  readonly cpuLimit?: string;
  /**
   * Memory request of the proxy (also its limit unless `memoryLimit` is set).
   * @default "128Mi"
   */
  readonly memory?: string;
  /**
   * Memory limit of the proxy.
   * @default - equal to `memory`
   */
  readonly memoryLimit?: string;
}

/**
 * Retries made by the calling proxies, of requests whose method is idempotent (GET, HEAD, OPTIONS, PUT, DELETE) unless
 * `retryNonIdempotent` is set. Every gRPC call is an HTTP POST: a gRPC service's calls are retried only with
 * `retryNonIdempotent` (safe when its methods may run twice).
 */
export interface MeshRetryOptions {
  /**
   * Retries after the first attempt; 0 turns retries off.
   * @default 2
   */
  readonly attempts?: number;
  /**
   * Timeout of each attempt.
   * @default Duration.seconds(2)
   */
  readonly perTryTimeout?: Duration;
  /**
   * Retry non-idempotent methods (POST, PATCH) too, gRPC calls included (all of them POST). Only safe when the
   * service deduplicates requests.
   * @default false (only GET, HEAD, OPTIONS, PUT and DELETE are retried: no gRPC call)
   */
  readonly retryNonIdempotent?: boolean;
}

/**
 * Connection-pool limits and outlier detection (Istio DestinationRule; Linkerd has no equivalent knobs).
 */
export interface CircuitBreakerOptions {
  /**
   * Most TCP connections to the service, per calling proxy.
   * @default 100
   */
  readonly maxConnections?: number;
  /**
   * Most requests waiting for a connection.
   * @default 100
   */
  readonly maxPendingRequests?: number;
  /**
   * Consecutive 5xx responses that eject a pod from the load-balancing pool.
   * @default 5
   */
  readonly consecutive5xxErrors?: number;
  /**
   * How often ejection is evaluated.
   * @default Duration.seconds(10)
   */
  readonly interval?: Duration;
  /**
   * How long an ejected pod stays out (multiplied by the number of ejections).
   * @default Duration.seconds(30)
   */
  readonly baseEjectionTime?: Duration;
  /**
   * Most of the pool that may be ejected, in percent.
   * @default 50
   */
  readonly maxEjectionPercent?: number;
}

/**
 * How a workload joins the mesh.
 *
 * Only a WebService is taken to speak HTTP: it alone gets HTTP routes, retries and timeouts. Every other workload
 * (a StatefulService such as a database, a Worker, a job) is meshed as opaque TCP: mutual TLS and authorization,
 * no HTTP handling, so a protocol of its own (PostgreSQL, Redis, Kafka...) passes through the proxy untouched.
 * A StatefulService's ports are declared as TCP to the mesh, so no proxy waits to detect the protocol (a wait that
 * stalls protocols where the server speaks first, such as MySQL): with Istio, `appProtocol: tcp` on its Service
 * ports; with Linkerd, the `config.linkerd.io/opaque-ports` pod annotation and an opaque `Server` (see each mesh for
 * the one exception, a port the kubelet probes over HTTP under Linkerd).
 */
export interface MeshEnrolOptions {
  /**
   * Proxy resources.
   * @default - cpu 100m (limit 1), memory 128Mi (limit 128Mi)
   */
  readonly proxyResources?: ProxyResources;
  /**
   * Timeout of a whole request to the service, retries included (HTTP: WebService only; refused for a
   * StatefulService, which is meshed as opaque TCP, and for a workload without a Service, such as a Worker or a Job).
   * `Duration.seconds(0)` turns it off, for long-lived requests (gRPC streams, server-sent events, long polling),
   * which a timeout would cut; the routes then carry no timeout, as `HttpRouteRule.timeout` zero does.
   * @default Duration.seconds(15)
   */
  readonly timeout?: Duration;
  /**
   * Retries (HTTP: WebService only; refused for a StatefulService, which is meshed as opaque TCP, and for a workload
   * without a Service).
   * @default - 2 attempts, 2 s each, idempotent methods only
   */
  readonly retries?: MeshRetryOptions;
  /**
   * Circuit breaking (Istio only; ignored by Linkerd, which balances on latency instead). For a StatefulService
   * (opaque TCP) only `maxConnections` applies; the HTTP settings (pending requests, outlier detection) are refused.
   * Refused by Istio for a workload without a Service.
   * @default - 100 connections, 100 pending requests, eject after 5 consecutive 5xx for 30 s, at most 50 %
   */
  readonly circuitBreaker?: CircuitBreakerOptions;
}

/**
 * A service mesh that workloads can join: the proxy is injected, traffic is mutually authenticated,
 * and who may call whom comes from the same `allowFrom(...)` declarations that produce the NetworkPolicy.
 * One mesh per chart or app.
 */
export interface IMesh extends IConstruct {
  /** `istio` or `linkerd`. */
  readonly meshName: string;
  /**
   * Enrols a workload: proxy injection, mTLS, authorization from its declared callers, and (for web services)
   * retries and timeouts. Other workloads are meshed as opaque TCP. A Job or ScheduledJob needs a target of
   * Kubernetes 1.29 or later (`KubernetesTarget`), where the proxy runs as a native sidecar that stops with the job.
   * A pod with init containers gets its proxy as a native sidecar from 1.29, started before them; an init task that
   * waits for a dependency (`InitTask.waitFor`) is refused at synth (below 1.29 it could never finish; from 1.29 the
   * proxy accepts its TCP connection itself, so it would not wait): wait with a command that speaks the dependency's
   * protocol (`InitTask.run`) instead. Callers
   * that select the same pods but contradict each other on `meshed` are refused at synth.
   *
   * A workload joins one mesh: enrolling it in a second one (an IstioMesh and a LinkerdMesh, or two meshes of one
   * kind in different charts) is refused at once. So is, at synth, an enrolled workload whose pods ask the other mesh
   * for its proxy: pod metadata of its own (Linkerd's `linkerd.io/inject: enabled` annotation on an Istio-enrolled
   * workload; Istio's `sidecar.istio.io/inject: "true"` label or annotation, or an `istio.io/rev` label, on a
   * Linkerd-enrolled one), or a Namespace object of the app that turns the other mesh's injection on for the whole
   * namespace (`linkerd.io/inject: enabled`; `istio-injection: enabled` or `istio.io/rev`) while the pods do not opt
   * out of it. Two proxies in one pod would both redirect its traffic.
   *
   * Its pods must not opt out of this mesh either: an enrolled workload whose pod metadata turns this mesh's injection
   * off (Istio's `sidecar.istio.io/inject: "false"` label or annotation, or any value Istio does not inject on;
   * Linkerd's `linkerd.io/inject: disabled` annotation, or any value but `enabled` and `ingress`) is refused at synth,
   * wherever the value was set (props, `addPodLabel`/`addPodAnnotation`, before or after enrolment): its pods would run
   * without the proxy that enforces the mutual TLS and authorization written for them. To keep a workload out of the
   * mesh, do not enrol it.
   */
  enrol(workload: Workload, options?: MeshEnrolOptions): void;
}

/**
 * The mesh chosen for a chart or an app.
 */
export class Mesh {
  /** The HTTP methods retried by default. @internal */
  public static readonly _IDEMPOTENT_METHODS: string[] = ['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE'];

  /**
   * The mesh registered on `scope` or its nearest parent that has one.
   * @default - undefined when no mesh is registered
   */
  public static of(scope: IConstruct): IMesh | undefined {
    for (const c of [...scope.node.scopes].reverse()) {
      const m = (c as any)[MESH];
      if (m) return m;
    }
    return undefined;
  }

  /** Registers `mesh` on its parent (the chart or app); a second mesh there or above is an error. @internal */
  public static _register(mesh: IMesh): void {
    const parent = mesh.node.scope!;
    const existing = Mesh.of(parent);
    if (existing) {
      fail(mesh, 'mesh', mesh.meshName, `cannot join ${existing.node.path}, which already uses ${existing.meshName}: one mesh per chart or app`,
        'create one mesh per chart (or one for the app) and enrol every workload in it');
    }
    (parent as any)[MESH] = mesh;
  }

  /** Validated proxy resources. @internal */
  public static _proxyResources(scope: IConstruct, r: ProxyResources = {}): { cpu: string; cpuLimit: string; memory: string; memoryLimit: string } {
    // the texts as written (or the defaults), quoted in the comparison errors: the parsed quantities print normalized
    const cpuText = r.cpu ?? '100m';
    const cpuLimitText = r.cpuLimit ?? '1';
    const memText = r.memory ?? '128Mi';
    const cpu = parseContainerCpu(scope, 'proxyResources.cpu', cpuText);
    const cpuLimit = parseContainerCpu(scope, 'proxyResources.cpuLimit', cpuLimitText);
    const mem = MemoryQuantity.parse(memText, scope, 'proxyResources.memory');
    const memLimit = r.memoryLimit ? MemoryQuantity.parse(r.memoryLimit, scope, 'proxyResources.memoryLimit') : mem;
    if (cpu.compare(cpuLimit) > 0) fail(scope, 'proxyResources.cpu', cpuText, `must be <= proxyResources.cpuLimit (${cpuLimitText})`, 'lower the request or raise the limit');
    if (mem.compare(memLimit) > 0) fail(scope, 'proxyResources.memory', memText, `must be <= proxyResources.memoryLimit (${r.memoryLimit})`, 'lower the request or raise the limit');
    return { cpu: cpu.toString(), cpuLimit: cpuLimit.toString(), memory: mem.toString(), memoryLimit: memLimit.toString() };
  }

  /** Validated retries and timeout. @internal */
  public static _traffic(scope: IConstruct, o: MeshEnrolOptions): { timeoutMs: number; attempts: number; perTryMs: number; nonIdempotent: boolean } {
    const timeoutMs = (o.timeout ?? Duration.seconds(15)).toMilliseconds();
    const attempts = o.retries?.attempts ?? 2;
    const perTryMs = (o.retries?.perTryTimeout ?? Duration.seconds(2)).toMilliseconds();
    if (!Number.isInteger(timeoutMs) || timeoutMs < 0) {
      fail(scope, 'timeout', `${timeoutMs}ms`, 'must be whole milliseconds, or zero for no timeout', 'use for example Duration.seconds(15), or Duration.seconds(0) for long-lived streams');
    }
    if (!Number.isInteger(attempts) || attempts < 0 || attempts > 10) fail(scope, 'retries.attempts', attempts, 'must be a whole number from 0 to 10', 'use 2, or 0 to turn retries off');
    if (!Number.isInteger(perTryMs) || perTryMs < 1) fail(scope, 'retries.perTryTimeout', `${perTryMs}ms`, 'must be at least 1 ms', 'use for example Duration.seconds(2)');
    if (attempts > 0 && timeoutMs > 0 && perTryMs > timeoutMs) {
      fail(scope, 'retries.perTryTimeout', `${perTryMs}ms`, `must be at most timeout (${timeoutMs}ms), or no retry could ever happen`, 'lower perTryTimeout or raise timeout');
    }
    return { timeoutMs, attempts, perTryMs, nonIdempotent: o.retries?.retryNonIdempotent ?? false };
  }

  /** A duration as `<n>s` or `<n>ms`. @internal */
  public static _duration(ms: number): string {
    return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
  }

  /** Records that `workload` is enrolled in `mesh`. @internal */
  public static _markEnrolled(workload: Workload, mesh: IMesh): void {
    Object.defineProperty(workload, ENROLMENT, { value: mesh.meshName, configurable: true });
    Object.defineProperty(workload, ENROLMENT_PATH, { value: mesh.node.path, configurable: true });
  }

  /**
   * Refuses enrolling `workload` in `mesh` when another mesh (of this or another library copy) enrolled it already:
   * a pod runs one mesh proxy. Two proxies (Istio's and Linkerd's) would each redirect the pod's traffic through
   * itself; two meshes of one kind would write two sets of policies for the same pods.
   * @internal
   */
  public static _refuseSecondEnrolment(mesh: IMesh, workload: Workload): void {
    const other = Mesh._enrolmentOf(workload);
    if (other === undefined) return;
    const path = workload.node.path;
    const otherPath = (workload as any)[ENROLMENT_PATH] as string | undefined;
    const otherShown = otherPath ? `${otherPath} (${Mesh._proxyName(other)})` : `another ${Mesh._proxyName(other)} mesh`;
    const why = other === mesh.meshName
      ? `a workload joins one mesh, and two ${Mesh._proxyName(other)} meshes would write two sets of policies (PeerAuthentication, AuthorizationPolicy, Server...) for the same pods`
      : `a pod runs one mesh proxy, and with both the ${Mesh._proxyName(other)} and the ${Mesh._proxyName(mesh.meshName)} proxy injected each would redirect the pod's traffic `
        + 'through itself (iptables rules), so they would fight over every connection and neither mesh\'s mutual TLS and authorization would hold';
    fail(mesh, 'enrol', path, `is already enrolled in ${otherShown}: ${why}`,
      `enrol ${path} in one mesh only: remove its enrol call on ${mesh.node.path}${otherPath ? ` or on ${otherPath}` : ''}`);
  }

  /**
   * Records that the mesh named `meshName` labels `namespace` for injection and writes its opt-out on the pods there
   * of every workload not enrolled in it, at synth. @internal
   */
  public static _markOptOutNamespace(scope: IConstruct, meshName: string, namespace: string): void {
    const root = scope.node.root as any;
    const known: { [meshName: string]: string[] } = root[OPTED_OUT_NAMESPACES] ?? {};
    if (!(known[meshName] ?? []).includes(namespace)) known[meshName] = [...known[meshName] ?? [], namespace];
    Object.defineProperty(root, OPTED_OUT_NAMESPACES, { value: known, configurable: true });
  }

  /** `Istio` or `Linkerd` for a mesh name. */
  private static _proxyName(meshName: string): string {
    return PROXY_NAMES[meshName] ?? meshName;
  }

  /**
   * The pod template labels and annotations `workload` declares (props and `addPodLabel`/`addPodAnnotation`), also
   * for a workload of another library copy.
   * @internal
   */
  public static _podMetadata(workload: Workload): { labels: { [key: string]: string }; annotations: { [key: string]: string } } {
    const w = workload as any;
    return {
      labels: { ...(w._podLabels ?? {}) },
      annotations: { ...(w._props?.podAnnotations ?? {}), ...(w._podAnnotations ?? {}) },
    };
  }

  /**
   * At synth, refuses each workload enrolled in `mesh` (`enrolled`, read when validating) whose pods would not run
   * that mesh's proxy alone:
   * - its own pod metadata opts it out of `mesh`'s injection (`_ownMeshOptOut`): Istio's `sidecar.istio.io/inject`
   *   label or annotation, Linkerd's `linkerd.io/inject` annotation, set to a value on which that mesh does not inject
   *   (`"false"`, `disabled`);
   * - or it would get the other mesh's proxy too (`_otherMeshInjection`): its own pod metadata asks the other mesh to
   *   inject (Linkerd's `linkerd.io/inject: enabled`; Istio's `sidecar.istio.io/inject: "true"` or `istio.io/rev`), or
   *   a Namespace object of the app turns the other mesh's injection on for its namespace and its pods do not opt out.
   *
   * One validation on the mesh, which finds the app's Namespace objects once (`_namespaceObjects`) and then checks
   * every workload it enrolled: synth stays linear in the number of enrolled workloads, and nothing found is kept for
   * a later synth. Checked at synth, after every pod label and annotation was added.
   * @internal
   */
  public static _guardEnrolled(mesh: IMesh, enrolled: ReadonlySet<Workload>): void {
    mesh.node.addValidation({
      validate: () => {
        if (enrolled.size === 0) return [];
        const namespaces = Mesh._namespaceObjects(mesh.node.root);
        return [...enrolled].flatMap(w => [...Mesh._ownMeshOptOut(mesh, w), ...Mesh._otherMeshInjection(mesh, w, namespaces),
          ...Mesh._proxyPortClashes(mesh, w).map(formatValidationMessage)]);
      },
    });
  }

  /**
   * The ports of enrolled `workload`'s pod (the app's and its sidecars') that `mesh`'s proxy listens on itself: at
   * enrolment they are refused at once (`Mesh._refuseProxyPorts`), a sidecar added later at synth.
   * @internal
   */
  public static _proxyPortClashes(mesh: IMesh, workload: Workload): ValidationErrorDetails[] {
    const reserved = PROXY_PORTS[mesh.meshName];
    if (reserved === undefined || typeof (workload as any)._podPorts !== 'function') return [];
    const proxy = Mesh._proxyName(mesh.meshName);
    return workload._podPorts().filter(p => reserved.includes(p.port)).map(p => ({
      path: workload.node.path,
      prop: p.prop,
      value: String(p.port),
      allowed: `is a port the ${proxy} proxy listens on in every pod it joins (${reserved.join(', ')}), and ${workload.node.path} is enrolled in `
        + `${mesh.node.path}: the app and the proxy cannot both bind it`,
      fix: `pick a port outside ${proxy}'s (${reserved.join(', ')})`,
    }));
  }

  /** Throws for the first port of `workload`'s pod that `mesh`'s proxy listens on (see `_proxyPortClashes`). @internal */
  public static _refuseProxyPorts(mesh: IMesh, workload: Workload): void {
    const clash = Mesh._proxyPortClashes(mesh, workload)[0];
    if (clash !== undefined) fail(workload, clash.prop, Number(clash.value), clash.allowed, clash.fix);
  }

  /**
   * True when `value` of the injection key of the mesh named `meshName` (`sidecar.istio.io/inject`,
   * `linkerd.io/inject`) opts a pod out of that mesh: a value that mesh does not inject on. An empty value is no
   * decision of the pod's own (the namespace decides) and not an opt-out.
   * @internal
   */
  public static _optsOut(meshName: string, value: string | undefined): boolean {
    if (value === undefined || value === '') return false;
    if (meshName === 'istio') return !ISTIO_INJECT_ON.includes(value.toLowerCase());
    if (meshName === 'linkerd') return !LINKERD_INJECT_ON.includes(value);
    return false;
  }

  /**
   * The pod metadata of enrolled `workload` that opts its pods out of `mesh`'s own injection, as validation messages:
   * the program asked for mesh enrolment (mutual TLS, authorization written for the workload's proxy) and for no proxy.
   */
  private static _ownMeshOptOut(mesh: IMesh, workload: Workload): string[] {
    const path = workload.node.path;
    const { labels, annotations } = Mesh._podMetadata(workload);
    const errors: string[] = [];
    const push = (prop: string, value: string, allowed: string, fix: string) => errors.push(formatValidationMessage({ path, prop, value: show(value), allowed, fix }));
    const fix = (what: string) => `remove that ${what} (the enrolment injects the proxy by itself), or, to keep ${path} out of the mesh, do not enrol it (remove its enrol call on ${mesh.node.path})`;
    if (mesh.meshName === 'istio') {
      const key = 'sidecar.istio.io/inject';
      const optOut = `opts its pods out of Istio's injection (Istio injects on "true", "yes", "y" or "on" only), though ${path} is enrolled in ${mesh.node.path} (Istio): `
        + 'its pods would run without the Istio proxy, which is what enforces its STRICT PeerAuthentication and its AuthorizationPolicy, so they would protect nothing, '
        + 'its own calls would carry no mesh identity and be refused by meshed services, and for a service its DestinationRule (ISTIO_MUTUAL) makes meshed callers '
        + 'send Istio\'s mutual TLS, which the app cannot answer';
      const label = labels[key];
      if (Mesh._optsOut('istio', label)) push(`podLabels["${key}"]`, label, optOut, fix('label'));
      const annotation = annotations[key];
      if (Mesh._optsOut('istio', annotation)) {
        // Istio reads the label first: with one that injects (the mesh's own under IstioInjection.POD_LABEL), the annotation is ignored
        const allowed = label === undefined || Mesh._optsOut('istio', label) ? optOut
          : `asks Istio not to inject its proxy, which contradicts the enrolment of ${path} in ${mesh.node.path} (Istio): Istio reads the pod label ${key}: ${show(label)} `
            + 'first, so the pods get the proxy anyway and the annotation is ignored';
        push(`podAnnotations["${key}"]`, annotation, allowed, fix('annotation'));
      }
    } else if (mesh.meshName === 'linkerd') {
      const key = 'linkerd.io/inject';
      const annotation = annotations[key];
      if (Mesh._optsOut('linkerd', annotation)) {
        push(`podAnnotations["${key}"]`, annotation, `opts its pods out of Linkerd's injection (Linkerd injects on "enabled" or "ingress" only), though ${path} is enrolled in `
          + `${mesh.node.path} (Linkerd): its pods would run without the Linkerd proxy, which is what enforces its Server and AuthorizationPolicy, so they would protect `
          + 'nothing (every caller the NetworkPolicy lets through would get in, without mutual TLS), and its own calls would carry no mesh identity and be refused by '
          + 'the Servers of meshed services', fix('annotation'));
      }
    }
    return errors;
  }

  /** The other-mesh injection check of `_guardEnrolled`, given the app's Namespace objects by name. */
  private static _otherMeshInjection(mesh: IMesh, workload: Workload, namespaceObjects: Map<string, ApiObject[]>): string[] {
    const path = workload.node.path;
    const own = Mesh._proxyName(mesh.meshName);
    const otherName = mesh.meshName === 'istio' ? 'linkerd' : mesh.meshName === 'linkerd' ? 'istio' : undefined;
    if (!otherName) return [];
    const other = Mesh._proxyName(otherName);
    const { labels, annotations } = Mesh._podMetadata(workload);
    const both = `${path} is enrolled in ${mesh.node.path} (${own}): its pods would run both the ${own} and the ${other} proxy, each redirecting the pod's traffic `
      + 'through itself (iptables rules), so they would fight over every connection and neither mesh\'s mutual TLS and authorization would hold';
    const instead = `or enrol ${path} in ${otherName === 'istio' ? 'an IstioMesh' : 'a LinkerdMesh'} instead of ${mesh.node.path}`;
    const optOut = otherName === 'istio'
      ? { key: 'sidecar.istio.io/inject', value: 'false', how: 'addPodLabel(\'sidecar.istio.io/inject\', \'false\')' }
      : { key: 'linkerd.io/inject', value: 'disabled', how: 'addPodAnnotation(\'linkerd.io/inject\', \'disabled\')' };
    const errors: string[] = [];
    const push = (prop: string, value: string, allowed: string, fix: string) => errors.push(formatValidationMessage({ path, prop, value: show(value), allowed, fix }));
    // the pod's own decision (Istio prefers the label to the deprecated annotation)
    let podDecision: string | undefined;
    if (otherName === 'istio') {
      const inLabel = labels['sidecar.istio.io/inject'] !== undefined;
      podDecision = labels['sidecar.istio.io/inject'] ?? annotations['sidecar.istio.io/inject'];
      if (podDecision !== undefined && ISTIO_INJECT_ON.includes(podDecision.toLowerCase())) {
        const prop = inLabel ? 'podLabels["sidecar.istio.io/inject"]' : 'podAnnotations["sidecar.istio.io/inject"]';
        push(prop, podDecision, `asks Istio to inject its proxy, and ${both}`, `remove it (or set it to "false"), ${instead}`);
        return errors;
      }
      if (podDecision === undefined && labels['istio.io/rev'] !== undefined) {
        push('podLabels["istio.io/rev"]', labels['istio.io/rev'], `asks the Istio revision it names to inject its proxy, and ${both}`, `remove the label, ${instead}`);
        return errors;
      }
    } else {
      podDecision = annotations['linkerd.io/inject'];
      if (podDecision !== undefined && LINKERD_INJECT_ON.includes(podDecision)) {
        push('podAnnotations["linkerd.io/inject"]', podDecision, `asks Linkerd to inject its proxy, and ${both}`, `remove it (or set it to "disabled"), ${instead}`);
        return errors;
      }
    }
    if (podDecision !== undefined) return errors;
    // a mesh that labels this namespace itself opts the pods outside it out, at synth (see _markOptOutNamespace)
    if (((workload.node.root as any)[OPTED_OUT_NAMESPACES]?.[otherName] ?? []).includes(workload.namespace)) return errors;
    // no decision of the pod's own: the Namespace objects of the app decide
    const namespaces = namespaceObjects.get(workload.namespace) ?? [];
    for (const ns of namespaces) {
      const meta = ns.toJson()?.metadata ?? {};
      const nsLabels: { [k: string]: string } = meta.labels ?? {};
      const nsAnnotations: { [k: string]: string } = meta.annotations ?? {};
      let marker: string | undefined;
      if (otherName === 'istio') {
        if (nsLabels['istio-injection'] === 'enabled') marker = `label istio-injection: ${show('enabled')}`;
        else if (nsLabels['istio-injection'] === undefined && nsLabels['istio.io/rev'] !== undefined) marker = `label istio.io/rev: ${show(nsLabels['istio.io/rev'])}`;
      } else if (LINKERD_INJECT_ON.includes(nsAnnotations['linkerd.io/inject'])) {
        marker = `annotation linkerd.io/inject: ${show(nsAnnotations['linkerd.io/inject'])}`;
      }
      if (!marker) continue;
      push('namespace', workload.namespace, `is written by the Namespace ${ns.node.path}, whose ${marker} makes ${other} inject its proxy into every pod there, and ${both}`,
        `opt the pods out of ${other} (${optOut.how} on ${path}, which writes ${optOut.key}: ${show(optOut.value)}), or remove that ${marker.split(' ')[0]} from ${ns.node.path}, ${instead}`);
    }
    return errors;
  }

  /**
   * The app's Namespace objects (of the tree of `root`) by `metadata.name`. Within synth's validation pass (`k8s.App`,
   * `testing.Template`, a fleet) they are found once for the whole pass, from the constructs it validates; elsewhere
   * (a stock cdk8s `App`) by one walk of the tree per call. Each mesh calls it once per validation, never once per
   * workload, and nothing is kept past the pass: a later synth sees the tree as it is then.
   * @internal
   */
  public static _namespaceObjects(root: IConstruct): Map<string, ApiObject[]> {
    return validationIndex('mesh.namespaceObjects', namespacesByName) ?? namespacesByName(root.node.findAll());
  }

  /** The name of the mesh `workload` is enrolled in, or undefined. @internal */
  public static _enrolmentOf(workload: any): string | undefined {
    const m = workload?.[ENROLMENT];
    return typeof m === 'string' ? m : undefined;
  }

  /**
   * True when `workload` is known to speak HTTP, so HTTP routes, retries and timeouts apply: a WebService (told by
   * its component label, which every copy of the library sets the same way). Anything else is opaque TCP.
   * @internal
   */
  public static _speaksHttp(workload: Workload): boolean {
    return workload.labels[RecommendedLabels.COMPONENT] === 'web' && typeof (workload as any).servicePort === 'number';
  }

  /**
   * Refuses the enrolment options that shape the traffic to a workload's Service (`timeout`, `retries` and, for Istio,
   * `circuitBreaker`) on a workload that has none (a Worker, a Job): they would be dropped without a word.
   * @internal
   */
  public static _refuseServiceOptions(workload: Workload, o: MeshEnrolOptions, circuitBreaker: boolean): void {
    const why = `shapes the requests to a workload's Service, and a ${workload.constructor.name} has no Service (nothing calls it), so it would change nothing`;
    const fix = 'remove it: a caller\'s requests are timed, retried and broken by the enrolment of the service it calls';
    Mesh.refuseTimeoutAndRetries(workload, o, why, fix);
    if (circuitBreaker && o.circuitBreaker !== undefined) fail(workload, 'circuitBreaker', Object.keys(o.circuitBreaker).join(', '), why, fix);
  }

  /**
   * Refuses `timeout` and `retries` for a workload meshed as opaque TCP (with a Service, not known to speak HTTP):
   * they would have no effect, so asking for them is an error rather than silently dropped.
   * @internal
   */
  public static _refuseHttpOptions(workload: Workload, o: MeshEnrolOptions): void {
    const why = `applies to HTTP services only, and a ${workload.constructor.name} is meshed as opaque TCP (its own protocol: no HTTP requests to time or retry)`;
    const fix = 'remove it (a client library of the protocol has its own timeouts and retries), or model an HTTP service as a WebService';
    Mesh.refuseTimeoutAndRetries(workload, o, why, fix);
  }

  /** Fails on `timeout`, then on `retries`, when set (durations shown in milliseconds), with `why` and `fix`. */
  private static refuseTimeoutAndRetries(workload: Workload, o: MeshEnrolOptions, why: string, fix: string): void {
    if (o.timeout !== undefined) fail(workload, 'timeout', `${o.timeout.toMilliseconds()}ms`, why, fix);
    if (o.retries !== undefined) {
      const r = o.retries;
      fail(workload, 'retries', { ...r, ...(r.perTryTimeout ? { perTryTimeout: `${r.perTryTimeout.toMilliseconds()}ms` } : {}) }, why, fix);
    }
  }

  /**
   * The ports of `workload` the kubelet probes over HTTP (`httpGet` readiness, liveness or startup probes of the main
   * container), sorted. Such a port serves HTTP at least to the kubelet, whatever else it speaks.
   * @internal
   */
  public static _httpProbePorts(workload: Workload): number[] {
    const w = workload as any;
    const probes = typeof w._mainContainerExtras === 'function' ? w._mainContainerExtras() ?? {} : {};
    const named = new Map<string, number>((typeof w._mainPorts === 'function' ? w._mainPorts() as Array<{ name: string; port: number }> : []).map(p => [p.name, p.port]));
    const out = new Set<number>();
    for (const probe of [probes.readinessProbe, probes.livenessProbe, probes.startupProbe]) {
      const port = probe?.httpGet?.port;
      const n = typeof port === 'number' ? port : named.get(port);
      if (n !== undefined) out.add(n);
    }
    return [...out].sort((a, b) => a - b);
  }

  /**
   * How to get a Kubernetes 1.29+ target for `workload`: set the target, or, when the app is for a cluster older than
   * that (whose version caps the target), upgrade the cluster first.
   * @internal
   */
  public static _raiseTarget(workload: Workload): string {
    const cluster = ClusterContext.of(workload);
    // (the App checked the profile's version already)
    const version = cluster === undefined ? undefined : KubernetesVersion.of(cluster.kubernetesVersion);
    if (cluster !== undefined && version !== undefined && !version.isAtLeast(KubernetesVersion.V1_29)) {
      return `upgrade cluster ${cluster.clusterName} (Kubernetes ${version}, which caps the target) to 1.29 or later, then raise the target `
        + '(KubernetesTarget.set(chart, KubernetesVersion.V1_29))';
    }
    return 'raise the target to 1.29 or later (KubernetesTarget.set(chart, KubernetesVersion.V1_29))';
  }

  /**
   * Refuses enrolling a job where its proxy could not stop with it, and returns whether `workload` is a job (whose
   * proxy the mesh must then inject as a native sidecar). An ordinary proxy container keeps running after the
   * job's container exits, so the pod never completes; native sidecars (init containers with `restartPolicy:
   * Always`, on by default from Kubernetes 1.29) are stopped once the job's containers have ended.
   * @internal
   */
  public static _checkJobEnrolment(mesh: IMesh, proxy: string, workload: Workload): boolean {
    const kind = workload._runsToCompletion();
    if (!kind) return false;
    const target = KubernetesTarget.of(workload);
    if (!target.supportsNativeSidecars) {
      fail(mesh, 'enrol', workload.node.path, `is a ${kind}, and the Kubernetes target is ${target}: there the ${proxy} proxy is an ordinary container that `
        + "keeps running after the job's container exits, so the pod never completes and every run lasts until activeDeadlineSeconds and fails",
      `${Mesh._raiseTarget(workload)}, where the proxy runs as a native sidecar that stops with the job; `
        + `or leave ${workload.node.path} out of the mesh, and then also the services it calls (their mesh refuses callers without a mesh identity), or remove those connections`);
    }
    return true;
  }

  /**
   * The callers a meshed workload would refuse although they were declared, as synth errors: an IP range (its
   * traffic carries no mesh identity), and a shipshape workload not enrolled in the same mesh (its calls are
   * plaintext). `guarded` says which of the workload's ports demand a mesh identity (all when undefined).
   * Callers declared as plaintext (`NetworkPeerConfig.plaintext`: `NetworkPeer.ingressController` without `meshed`,
   * `NetworkPeer.pods`/`namespace` with `meshed: false`, a MetricsAdapter's scraper unless `scraperMeshed`, an
   * HttpRoute's gateway unless `gatewayMeshed`) are let in on their ports by the mesh itself and are not errors.
   * Pods and namespaces that do not state their meshing are taken to be meshed: nothing here can tell otherwise.
   * The messages do not start with the workload's path: synth prefixes it.
   * @internal
   */
  public static _meshedCallers(workload: Workload, mesh: string, meshName: string, connections: NetworkConnection[], guarded?: number[]): string[] {
    const errors: string[] = [];
    const own = workload.containerPorts;
    const path = workload.node.path;
    for (const c of connections) {
      const ports = c.ports.length ? c.ports : own;
      if (guarded && !ports.some(p => guarded.includes(p))) continue;
      const cfg = c.peer.toNetworkPeer();
      if (cfg.cidr) {
        const by = Mesh._declaredBy(workload, c.peer);
        if (by) {
          const alb = Mesh._isAlb(by);
          const via = alb ? 'its AWS Application Load Balancer' : 'its controller';
          errors.push(`${by.constructor.name} ${by.node.path} routes to this workload on port ${ports.join(', ')} through ${via}, which it admits by IP range `
            + `(${cfg.cidr}${alb ? ', the VPC: the ALB sends each request straight to a pod IP' : ''}) and which runs no ${mesh} proxy, `
            + `so its connections carry no mesh identity and ${meshName === 'istio' ? "Istio's STRICT mutual TLS" : `the ${mesh} Server on that port (meshed callers only)`} `
            + `refuses every one of them: the ingress could never reach ${path}; `
            + `put a meshed proxy in between (point the ${alb ? 'ALB' : 'ingress'} at a meshed ingress controller or gateway and route to ${path} from there, `
            + 'with an HttpIngress whose controller is NetworkPeer.ingressController(namespace, labels, { meshed: true }) or an HttpRoute on a meshed Gateway), '
            + `or leave ${path} out of the mesh`);
        } else {
          errors.push(`allowFrom (${cfg.description}) is an IP range, whose traffic carries no mesh identity and is refused by ${mesh}'s mutual TLS; `
            + 'route it through a meshed ingress or gateway and allow that instead');
        }
        continue;
      }
      if (!Workload.isWorkload(c.peer) && cfg.namespace === undefined && cfg.namespaceLabels !== undefined) {
        // the NetworkPolicy selects the namespaces by their labels; the mesh's authorization names namespaces (Istio's
        // sources, Linkerd's identity references), so it would admit another set of callers than the policy
        errors.push(`allowFrom (${cfg.description}) selects its namespaces by labels, which ${mesh}'s authorization cannot express (it names namespaces), `
          + 'so the mesh would refuse the callers the NetworkPolicy admits; name each namespace instead (NetworkPeer.namespace(name) or NetworkPeer.pods(namespace, labels), one per namespace)');
        continue;
      }
      if (cfg.plaintext && !Workload.isWorkload(c.peer) && ports.length === 0) {
        errors.push(`allowFrom (${cfg.description}) calls without ${mesh}'s mutual TLS, and the workload declares no port to accept plaintext on; `
          + 'declare the port the caller reaches, or declare the caller meshed ({ meshed: true } on NetworkPeer.ingressController, NetworkPeer.pods or NetworkPeer.namespace)');
        continue;
      }
      if (Workload.isWorkload(c.peer) && c.peer !== workload) {
        const caller = c.peer as Workload;
        const enrolled = Mesh._enrolmentOf(caller);
        if (enrolled !== meshName) {
          const where = enrolled ? `is enrolled in ${enrolled}, not ${meshName}` : 'is not enrolled in the mesh';
          const kind = caller._runsToCompletion();
          const target = KubernetesTarget.of(caller);
          // a job can be meshed only where its proxy is a native sidecar (see _checkJobEnrolment)
          const fix = kind && !target.supportsNativeSidecars
            ? `${caller.node.path} is a ${kind} and cannot be enrolled while the Kubernetes target is ${target} (its proxy would keep every run from finishing): `
              + `${Mesh._raiseTarget(caller)} and enrol it, leave ${path} out of the mesh, or remove the connection`
            : `enrol ${caller.node.path} in the same mesh (mesh.enrol(...)), or remove the connection`;
          errors.push(`allowFrom (${cfg.description}) ${where}, so its calls carry no ${mesh} identity and ${path}'s ${mesh} policy refuses them; ${fix}`);
        }
      }
    }
    return errors;
  }

  /**
   * The construct that declared `peer` as a caller of `workload` on its behalf: an HttpIngress (its `controller`) or
   * an HttpRoute (its `gatewayPeer`), found by the very peer object it admitted (also one of another library copy).
   */
  private static _declaredBy(workload: Workload, peer: INetworkPeer): IConstruct | undefined {
    return workload.node.root.node.findAll().find(c => c !== workload && ((c as any).controller === peer || (c as any).gatewayPeer === peer));
  }

  /** True when `ingress` is served by the AWS Load Balancer Controller (its Ingress carries the ALB annotations). */
  private static _isAlb(ingress: IConstruct): boolean {
    const annotations = (ingress as any).ingress?.metadata?.toJson?.()?.annotations ?? {};
    return Object.keys(annotations).some(k => k.startsWith('alb.ingress.kubernetes.io/'));
  }

  /**
   * Callers of `workload` that contradict each other: the same pods (same namespace and labels) declared in the mesh
   * by one declaration (`meshed: true`) and outside it by another (an `HttpIngress`'s default controller, `meshed:
   * false`). The unmeshed one would make the mesh admit those pods without a mesh identity, weakening the policy the
   * meshed one asked for, so the contradiction is an error (messages without the workload's path: synth prefixes it).
   * @internal
   */
  public static _contradictingCallers(workload: Workload, mesh: string, meshName: string): string[] {
    const seen = new Map<string, NetworkConnection>();
    const errors: string[] = [];
    const reported = new Set<string>();
    for (const c of workload.ingressConnections) {
      if (Workload.isWorkload(c.peer)) continue;
      const cfg = c.peer.toNetworkPeer();
      if (cfg.cidr !== undefined || cfg.plaintext === undefined) continue;
      const pods = { namespace: cfg.namespace ?? (cfg.podLabels ? workload.namespace : undefined), namespaceLabels: cfg.namespaceLabels, podLabels: cfg.podLabels };
      const key = Mesh._canonical(pods);
      const other = seen.get(key);
      if (!other) {
        seen.set(key, c);
        continue;
      }
      const ocfg = other.peer.toNetworkPeer();
      if (ocfg.plaintext === cfg.plaintext || reported.has(key)) continue;
      reported.add(key);
      const [meshed, unmeshed] = cfg.plaintext ? [other, c] : [c, other];
      const name = (x: NetworkConnection) => {
        const by = Mesh._declaredBy(workload, x.peer);
        const prop = by && (by as any).gatewayPeer === x.peer ? 'gatewayPeer' : 'controller';
        return by ? `the ${prop} of ${by.constructor.name} ${by.node.path} (${x.peer.toNetworkPeer().description})` : `allowFrom (${x.peer.toNetworkPeer().description})`;
      };
      const ports = (unmeshed.ports.length ? unmeshed.ports : workload.containerPorts).join(', ');
      const weakened = meshName === 'istio'
        ? `Istio's STRICT mutual TLS would turn PERMISSIVE on port ${ports} and admit callers without a mesh identity there`
        : `the ${mesh} Server on port ${ports} would admit any in-cluster client without a mesh identity (accessPolicy cluster-unauthenticated)`;
      const describe = [pods.podLabels ? `pods ${show(pods.podLabels)}` : 'every pod', pods.namespace ? `in ${pods.namespace}` : `in namespaces ${show(pods.namespaceLabels ?? {})}`].join(' ');
      const unmeshedBy = Mesh._declaredBy(workload, unmeshed.peer);
      errors.push(`${name(meshed)} contradicts ${name(unmeshed)}: both are ${describe}, declared in the mesh by the first and outside it by the second, `
        + `so ${weakened}, though the pods were declared meshed; declare them the same way everywhere: if they run ${mesh === 'Istio' ? 'an' : 'a'} ${mesh} proxy, `
        + (unmeshedBy
          ? `give ${unmeshedBy.node.path} that peer declared meshed (${(unmeshedBy as any).gatewayPeer === unmeshed.peer ? 'gatewayMeshed: true' : 'controller: NetworkPeer.ingressController(namespace, labels, { meshed: true })'})`
          : 'declare the second { meshed: true } too')
        + ', else drop { meshed: true } from the first');
    }
    return errors;
  }

  /**
   * Wraps a render method of `workload` (`_renderNetworkPolicySpec`, `_renderPodTemplate`) so that `post` adjusts
   * what it returns, each time it renders: the mesh's changes then follow everything declared until synth (callers,
   * sidecars added after enrolment). Wrappers stack in the order they are added.
   * @internal
   */
  public static _postRender(workload: Workload, method: '_renderNetworkPolicySpec' | '_renderPodTemplate', post: (rendered: any) => any): void {
    const w = workload as any;
    const inner = w[method];
    if (typeof inner !== 'function') throw new Error(`shipshape internal error: ${workload.node.path} has no ${method} to adjust`);
    Object.defineProperty(w, method, { value: function (this: any, ...args: any[]) { return post(inner.apply(this, args)); }, configurable: true, writable: true });
  }

  /**
   * App init containers (InitTasks) of an enrolled pod run before the proxy when the proxy is an ordinary container,
   * while the pod's outbound traffic is already redirected to it (by the mesh's CNI plugin, or by its own first init
   * container): their connections go nowhere. Where native sidecars exist (target 1.29+), the pod template of a pod
   * with init containers gets `nativeAnnotations`, so the proxy is injected as a native sidecar that starts before
   * them and their connections are proxied with mutual TLS like the app's. A task that waits for a dependency
   * (`InitTask.waitFor`) is refused at synth on every target: below 1.29 it could never finish, and from 1.29 the
   * proxy accepts its TCP connection itself, so it would end at once whether the dependency is up or not. Bypassing the proxy for its port
   * (Istio `traffic.sidecar.istio.io/excludeOutboundPorts`, Linkerd `config.linkerd.io/skip-outbound-ports`) is not
   * offered: it applies to the app container too, whose calls to that port would then leave without mutual TLS
   * and be refused by a meshed callee.
   * @internal
   */
  public static _guardInitContainers(mesh: IMesh, proxy: string, workload: Workload, nativeAnnotations: { [key: string]: string }): void {
    Mesh._postRender(workload, '_renderPodTemplate', (t: any) => {
      if (!t?.spec?.initContainers?.length || !KubernetesTarget.of(workload).supportsNativeSidecars) return t;
      t.metadata = { ...t.metadata, annotations: { ...t.metadata?.annotations ?? {}, ...nativeAnnotations } };
      return t;
    });
    workload.node.addValidation({
      validate: () => {
        const target = KubernetesTarget.of(workload);
        const errors: string[] = [];
        for (const s of workload.sidecars) {
          const tasks = (s as any).tasks;
          if (!Array.isArray(tasks)) continue;
          tasks.forEach((t: any, i: number) => {
            if (t?.kind !== 'wait') return;
            const o = t.options ?? {};
            // what works through the proxy (a native sidecar, started before the init containers)
            const protocolWait = 'wait with a command that speaks the dependency\'s protocol, which fails through the proxy while the dependency is down, for example '
              + `InitTask.run('${t.name}', { image: 'postgres:16.4', command: ['sh', '-c', 'until pg_isready -h ${o.host} -p ${o.port}; do sleep 2; done'] }) `
              + `or, for an HTTP dependency, until wget -q -O /dev/null http://${o.host}:${o.port}/<its health path>, with ${workload.node.path}.allowTo(<the dependency>) `
              + 'for the NetworkPolicy;';
            if (target.supportsNativeSidecars) {
              // the proxy, started first, takes the task's connection itself: a TCP connect tells nothing about the dependency
              errors.push(formatValidationMessage({
                path: workload.node.path,
                prop: `sidecars.${s.name}.tasks[${i}]`,
                value: show(t.name),
                allowed: `waits for ${o.host}:${o.port} by opening a TCP connection, and ${workload.node.path} is enrolled in ${mesh.node.path} (${proxy}): the pod's `
                  + `outbound connections go to its ${proxy} proxy, which accepts each one itself before it reaches ${o.host}, so the wait ends at once whether `
                  + `${o.host} is up or not`,
                fix: `${protocolWait} or remove the task and let the app retry its dependency`,
              }));
              return;
            }
            errors.push(formatValidationMessage({
              path: workload.node.path,
              prop: `sidecars.${s.name}.tasks[${i}]`,
              value: show(t.name),
              allowed: `waits for ${o.host}:${o.port} from an init container, and ${workload.node.path} is enrolled in ${mesh.node.path} (${proxy}) with the Kubernetes target ${target}: `
                + `there the ${proxy} proxy is an ordinary container that starts only after every init container has finished, while the pod's outbound traffic is already `
                + `redirected to it (by the ${proxy} CNI plugin or init container), so the task's connections go nowhere, it waits until its timeout, fails and is retried, and the pod never starts; `
                + `bypassing the proxy for port ${o.port} (${mesh.meshName === 'istio' ? 'traffic.sidecar.istio.io/excludeOutboundPorts' : 'config.linkerd.io/skip-outbound-ports'}) `
                + 'would apply to the app container too, whose calls to that port would then carry no mutual TLS and be refused by a meshed callee',
              fix: 'if the cluster runs Kubernetes 1.29 or newer, set that target (KubernetesTarget.set(chart, KubernetesVersion.V1_29), or kubernetesVersion in the cluster profile '
                + `given to App({ cluster })): the ${proxy} proxy is then injected as a native sidecar that starts before the init containers and proxies their connections, `
                + `which accepts a plain TCP connection itself, so there ${protocolWait} otherwise remove the task and let the app retry its dependency (the app container starts `
                + 'only once the proxy is ready)',
            }));
          });
        }
        return errors;
      },
    });
  }

  /** A value as JSON with sorted keys and no undefined fields, to compare peers that are not the same object. */
  private static _canonical(value: unknown): string {
    return JSON.stringify(value, (_k, v) => (v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.keys(v).sort().filter(k => v[k] !== undefined).map(k => [k, v[k]])) : v));
  }

  /**
   * The ports of `workload` each plaintext caller (`NetworkPeerConfig.plaintext`) reaches, sorted.
   * @internal
   */
  public static _plaintextPorts(workload: Workload): number[] {
    const own = workload.containerPorts;
    const out = new Set<number>();
    for (const c of workload.ingressConnections) {
      if (!c.peer.toNetworkPeer().plaintext || Workload.isWorkload(c.peer)) continue;
      for (const p of c.ports.length ? c.ports : own) out.add(p);
    }
    return [...out].sort((a, b) => a - b);
  }

  /**
   * The error when `workload` accepts callers without a mesh identity (plaintext, `_plaintextPorts`) on a cluster whose
   * profile says NetworkPolicies are not enforced: the NetworkPolicy that limits those ports to the declared callers
   * would do nothing, and any pod of the cluster could call them without mutual TLS. Empty otherwise.
   * @internal
   */
  public static _unenforcedPlaintext(workload: Workload, mesh: string): string[] {
    if (ClusterContext.of(workload)?.networkPolicyEnforced !== false) return [];
    const ports = Mesh._plaintextPorts(workload);
    if (ports.length === 0) return [];
    const callers = [...new Set(workload.ingressConnections
      .filter(c => !Workload.isWorkload(c.peer) && c.peer.toNetworkPeer().plaintext)
      .map(c => c.peer.toNetworkPeer().description))];
    return [`port${ports.length === 1 ? '' : 's'} ${ports.join(', ')} accept${ports.length === 1 ? 's' : ''} callers without ${mesh === 'Istio' ? 'an' : 'a'} ${mesh} mesh identity `
      + `(${callers.join('; ')}), and only the NetworkPolicy limits that to them, but the cluster's profile says NetworkPolicies `
      + `are not enforced (networkPolicyEnforced: false): any pod of the cluster could call ${ports.length === 1 ? 'that port' : 'those ports'} without mutual TLS; `
      + 'run those callers in the mesh and declare them so (gatewayMeshed: true on the route, NetworkPeer.ingressController(namespace, labels, { meshed: true })), '
      + 'or enforce NetworkPolicies on the cluster (the VPC CNI network policy agent) and set networkPolicyEnforced: true'];
  }

  private constructor() {}
}

/** The Namespace objects among `constructs`, by `metadata.name`, in tree order. */
function namespacesByName(constructs: IConstruct[]): Map<string, ApiObject[]> {
  const out = new Map<string, ApiObject[]>();
  for (const c of constructs) {
    if (!ApiObject.isApiObject(c) || (c as ApiObject).kind !== 'Namespace') continue;
    const ns = c as ApiObject;
    const name = ns.metadata.name;
    if (name === undefined) continue;
    const list = out.get(name);
    if (list) list.push(ns); else out.set(name, [ns]);
  }
  return out;
}
