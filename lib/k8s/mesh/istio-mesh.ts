import { ApiObject, Duration, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import type * as metav1 from 'kubernetes-types/meta/v1';
import { CircuitBreakerOptions, IMesh, Mesh, MeshEnrolOptions } from './mesh';
import { fail } from '../../core/errors';
import { Names } from '../../core/names';
import { NetworkPeer } from '../networking/network-peer';
import { Workload } from '../workloads/workload';

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
  match?: Array<{ method?: { regex?: string } }>;
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
  /** The namespace label `istio-injection: enabled` (set `IstioMesh.namespaceLabels` on the Namespace). */
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
   * The mesh trust domain (SPIFFE principals are `<trustDomain>/ns/<namespace>/sa/<service account>`).
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
 * derived from the workload's `allowFrom(...)` callers, and for web services a DestinationRule (ISTIO_MUTUAL,
 * connection pool, outlier detection) and a VirtualService (timeout, retries on idempotent methods).
 *
 * Callers outside the mesh: an ingress controller declared without `meshed: true`
 * (`NetworkPeer.ingressController(ns, labels)`) calls in plaintext, which STRICT mTLS would refuse. The ports it
 * reaches get a port-level PERMISSIVE mode, and the AuthorizationPolicy admits callers without a mesh identity
 * (`notPrincipals: ["*"]`) on those ports only, besides the controller's namespace should it be meshed after all.
 * A plaintext caller has no principal or namespace to match, so on those ports the NetworkPolicy (which admits
 * only the controller's pods) is what keeps other pods out; declare the controller `meshed: true` (and mesh it)
 * to keep identity-based authorization there. Shipshape workloads calling an enrolled workload must be enrolled in
 * the same mesh, and IP-range callers are refused: both fail the synth with a message.
 *
 * Runs under the restricted Pod Security profile only with the Istio CNI plugin (no privileged istio-init
 * container); the injected proxy runs as a non-root user (1337).
 */
export class IstioMesh extends Construct implements IMesh {
  public readonly meshName = 'istio';
  /** The injection mode. */
  public readonly injection: IstioInjection;
  /** Labels the platform puts on a Namespace to enable injection there. */
  public readonly namespaceLabels: { [key: string]: string };
  private readonly props: IstioMeshProps;
  private readonly trustDomain: string;
  private readonly enrolled = new Set<Workload>();

  constructor(scope: Construct, id: string, props: IstioMeshProps = {}) {
    super(scope, id);
    this.props = props;
    this.injection = props.injection ?? IstioInjection.POD_LABEL;
    this.namespaceLabels = { 'istio-injection': 'enabled' };
    this.trustDomain = Names.dnsSubdomain(this, 'trustDomain', props.trustDomain ?? 'cluster.local');
    Names.dnsLabel(this, 'controlPlaneNamespace', props.controlPlaneNamespace ?? 'istio-system');
    Names.dnsSubdomain(this, 'clusterDomain', props.clusterDomain ?? 'cluster.local');
    Mesh._register(this);
  }

  public enrol(workload: Workload, options: MeshEnrolOptions = {}): void {
    if (this.enrolled.has(workload)) fail(this, 'enrol', workload.node.path, 'is already enrolled in this mesh', 'enrol each workload once');
    this.enrolled.add(workload);
    Mesh._markEnrolled(workload, this.meshName);
    const proxy = Mesh._proxyResources(workload, options.proxyResources);
    const traffic = Mesh._traffic(workload, options);
    const cb = IstioMesh.circuitBreaker(workload, options.circuitBreaker ?? {});

    if (this.injection === IstioInjection.POD_LABEL) workload.addPodLabel('sidecar.istio.io/inject', 'true');
    workload.addPodAnnotation('sidecar.istio.io/proxyCPU', proxy.cpu);
    workload.addPodAnnotation('sidecar.istio.io/proxyCPULimit', proxy.cpuLimit);
    workload.addPodAnnotation('sidecar.istio.io/proxyMemory', proxy.memory);
    workload.addPodAnnotation('sidecar.istio.io/proxyMemoryLimit', proxy.memoryLimit);
    // kubelet probes go through the agent (port 15020), so they keep working under STRICT mTLS.
    workload.addPodAnnotation('sidecar.istio.io/rewriteAppHTTPProbers', 'true');
    if (this.props.holdApplicationUntilProxyStarts ?? true) {
      workload.addPodAnnotation('proxy.istio.io/config', '{"holdApplicationUntilProxyStarts":true}');
    }
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
    workload.node.addValidation({ validate: () => Mesh._meshedCallers(workload, 'Istio', this.meshName, workload.ingressConnections) });

    const web = workload as any;
    if (typeof web.servicePort !== 'number') return;
    const host = `${workload.name}.${workload.namespace}.svc.${this.props.clusterDomain ?? 'cluster.local'}`;
    new ApiObject(scope, 'DestinationRule', {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: meta(workload.name),
      spec: {
        host,
        trafficPolicy: {
          tls: { mode: 'ISTIO_MUTUAL' },
          connectionPool: {
            tcp: { maxConnections: cb.maxConnections, connectTimeout: '5s' },
            http: { http1MaxPendingRequests: cb.maxPendingRequests, maxRetries: Math.max(traffic.attempts, 1) * 10 },
          },
          outlierDetection: {
            consecutive5xxErrors: cb.consecutive5xxErrors,
            interval: Mesh._duration(cb.intervalMs),
            baseEjectionTime: Mesh._duration(cb.baseEjectionMs),
            maxEjectionPercent: cb.maxEjectionPercent,
          },
        },
      },
    } satisfies IstioObject<'networking.istio.io/v1', 'DestinationRule', IstioDestinationRuleSpec>);
    const route: IstioHttpRoute['route'] = [{ destination: { host, port: { number: web.servicePort } } }];
    const timeout = Mesh._duration(traffic.timeoutMs);
    const retryOn = 'connect-failure,refused-stream,unavailable,cancelled,5xx';
    const retries = traffic.attempts > 0
      ? { attempts: traffic.attempts, perTryTimeout: Mesh._duration(traffic.perTryMs), retryOn }
      : { attempts: 0 };
    const http: IstioHttpRoute[] = traffic.nonIdempotent || traffic.attempts === 0
      ? [{ name: 'default', route, timeout, retries }]
      : [
        { name: 'idempotent', match: [{ method: { regex: `^(${Mesh._IDEMPOTENT_METHODS.join('|')})$` } }], route, timeout, retries },
        // Non-idempotent methods (POST, PATCH...) are never retried: a retry could apply them twice.
        { name: 'default', route, timeout, retries: { attempts: 0 } },
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

  private rules(workload: Workload): IstioAuthorizationRule[] {
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
