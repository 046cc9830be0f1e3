import { checkPeerConfig, checkPeerPorts } from './peer-config';
import { at, fail } from '../../core/errors';
import { Validators } from '../../core/validators';

/**
 * What a network peer is, as plain data: pods (by labels) in a namespace, a whole namespace, or a CIDR.
 */
export interface NetworkPeerConfig {
  /**
   * A human description, used in messages (for example `WebService shop/api`).
   */
  readonly description: string;
  /**
   * The peer pods' namespace.
   * @default - the namespace of the workload the rule belongs to (when `podLabels` is set), or any namespace matching `namespaceLabels`
   */
  readonly namespace?: string;
  /**
   * Labels selecting the peer pods.
   * @default - every pod of the selected namespace(s)
   */
  readonly podLabels?: { [key: string]: string };
  /**
   * Labels selecting the peer namespaces (used when `namespace` is not set). A workload enrolled in a mesh refuses such
   * a caller at synth: the mesh's authorization names namespaces, so it could not admit the same callers.
   * @default - no namespace selector
   */
  readonly namespaceLabels?: { [key: string]: string };
  /**
   * An IP range (for peers outside the cluster). Excludes every other field.
   * @default - not an IP range
   */
  readonly cidr?: string;
  /**
   * IP ranges inside `cidr` to exclude.
   * @default - none
   */
  readonly except?: string[];
  /**
   * The ports the peer listens on (used for egress rules to it). `allowFrom` refuses a peer with ports.
   * @default - all ports
   */
  readonly ports?: number[];
  /**
   * The peer calls without the service mesh's mutual TLS (its pods have no mesh proxy). A meshed workload then
   * accepts plaintext from it on the ports it reaches (see `IngressControllerOptions.meshed`). `false` states that
   * the peer is meshed.
   * @default - not stated: a peer in a namespace or a pod selector is taken to be in the mesh, except where the
   * construct that declares it says otherwise (a `MetricsAdapter`'s scraper, an `HttpRoute`'s gateway)
   */
  readonly plaintext?: boolean;
}

/**
 * Something network rules can name as a source or destination: another workload, a namespace,
 * an ingress controller or an IP range.
 */
export interface INetworkPeer {
  /**
   * The peer as plain data.
   */
  toNetworkPeer(): NetworkPeerConfig;
}

/**
 * Options for a peer outside shipshape's own workloads.
 */
export interface NetworkPeerOptions {
  /**
   * The ports the peer listens on, for connections to it (`allowTo`, a sidecar's destination): at least one, each a
   * whole number from 1 to 65535. `allowFrom` refuses a peer with ports: the ports of the workload a caller may
   * reach are `allowFrom`'s own `ports` argument.
   * @default - all ports
   */
  readonly ports?: number[];
}

/**
 * Options for a peer made of pods: a namespace, or pods selected by labels.
 */
export interface PodPeerOptions extends NetworkPeerOptions {
  /**
   * The peer's pods run a proxy of the service mesh the workloads they call are enrolled in, so they call with
   * mutual TLS and a mesh identity, by which a meshed workload admits them (Istio: the peer's namespace; Linkerd:
   * a `Namespace` identity). Set `false` for callers outside the mesh (a Prometheus or a gateway without a mesh
   * proxy): a meshed workload then accepts plaintext from them on the ports they reach, as for an unmeshed
   * `NetworkPeer.ingressController` (see `IngressControllerOptions.meshed`). Only matters for callers of a meshed
   * workload.
   * @default true - taken to be in the mesh: a meshed workload refuses the peer's calls if its pods have no mesh proxy
   */
  readonly meshed?: boolean;
}

/**
 * Options for an IP-range peer.
 */
export interface CidrPeerOptions extends NetworkPeerOptions {
  /**
   * Ranges inside the CIDR to leave out, each strictly inside it and of the same IP family.
   * @default - none
   */
  readonly except?: string[];
}

/**
 * Options for an ingress controller peer.
 */
export interface IngressControllerOptions {
  /**
   * The controller's pods run a proxy of the service mesh its backends are enrolled in, so they call with
   * mutual TLS and a mesh identity. When false, a meshed backend accepts plaintext from the controller on the
   * ports it reaches: Istio gets a port-level PERMISSIVE PeerAuthentication and an authorization rule for
   * callers without a mesh identity on those ports; Linkerd's `Server` on such a port admits in-cluster clients
   * without an identity (`accessPolicy: cluster-unauthenticated`). On those ports the NetworkPolicy, not the mesh
   * identity, then decides who gets in (see `IstioMesh` and `LinkerdMesh`), which is why a cluster whose profile
   * says NetworkPolicies are not enforced refuses that opening.
   * @default false
   */
  readonly meshed?: boolean;
}

/**
 * Network peers that are not shipshape workloads (a shipshape workload is itself an `INetworkPeer`).
 */
export class NetworkPeer implements INetworkPeer {
  /**
   * Every pod in namespace `name`. As a caller of a meshed workload, its pods are taken to be in the mesh unless
   * `meshed: false` (see `PodPeerOptions.meshed`).
   */
  public static namespace(name: string, options?: PodPeerOptions): NetworkPeer {
    Validators.namespaceName(at('NetworkPeer.namespace'), 'name', name);
    NetworkPeer.checkPorts('NetworkPeer.namespace', options?.ports);
    const meshing = NetworkPeer.meshing(options?.meshed);
    return new NetworkPeer({ description: `${meshing.prefix}namespace ${name}`, namespace: name, ports: options?.ports ? [...options.ports] : undefined, ...meshing.config });
  }

  /**
   * Pods with `labels` in namespace `namespace`. As a caller of a meshed workload, they are taken to be in the mesh
   * unless `meshed: false` (see `PodPeerOptions.meshed`).
   */
  public static pods(namespace: string, labels: { [key: string]: string }, options?: PodPeerOptions): NetworkPeer {
    Validators.namespaceName(at('NetworkPeer.pods'), 'namespace', namespace);
    Validators.labels(at('NetworkPeer.pods'), 'labels', labels);
    NetworkPeer.checkSelects('NetworkPeer.pods', 'labels', labels,
      `name at least one label the peer's pods carry, or use NetworkPeer.namespace(${JSON.stringify(namespace)}) to allow every pod of the namespace on purpose`);
    NetworkPeer.checkPorts('NetworkPeer.pods', options?.ports);
    const meshing = NetworkPeer.meshing(options?.meshed);
    return new NetworkPeer({
      description: `${meshing.prefix}pods ${JSON.stringify(labels)} in ${namespace}`, namespace, podLabels: { ...labels }, ports: options?.ports ? [...options.ports] : undefined, ...meshing.config,
    });
  }

  /**
   * An ingress controller's pods, for example `NetworkPeer.ingressController('ingress-nginx', { 'app.kubernetes.io/name': 'ingress-nginx' })`.
   * Unless `meshed` is set, the controller is taken to call without mesh mutual TLS (see `IngressControllerOptions`).
   */
  public static ingressController(namespace: string, podLabels: { [key: string]: string }, options?: IngressControllerOptions): NetworkPeer {
    Validators.namespaceName(at('NetworkPeer.ingressController'), 'namespace', namespace);
    Validators.labels(at('NetworkPeer.ingressController'), 'podLabels', podLabels);
    NetworkPeer.checkSelects('NetworkPeer.ingressController', 'podLabels', podLabels,
      `name the labels of the controller's pods (kubectl get pods -n ${namespace} --show-labels), for example { 'app.kubernetes.io/name': 'ingress-nginx' }`);
    const meshed = options?.meshed ?? false;
    return new NetworkPeer({
      description: `${meshed ? 'meshed ' : ''}ingress controller in ${namespace}`,
      namespace,
      podLabels: { ...podLabels },
      plaintext: !meshed,
    });
  }

  /**
   * An IP range, for example a database subnet or a partner's egress range.
   */
  public static cidr(cidr: string, options?: CidrPeerOptions): NetworkPeer {
    const config: NetworkPeerConfig = {
      description: `CIDR ${cidr}`,
      cidr,
      ...(options?.except?.length ? { except: [...options.except] } : {}),
      ports: options?.ports ? [...options.ports] : undefined,
    };
    checkPeerConfig(at('NetworkPeer.cidr'), '', config);
    return new NetworkPeer(config);
  }

  /** Refuses an empty port list and ports outside 1-65535 (they would reach the NetworkPolicy as they are). */
  /**
   * Refuses an empty label map: a NetworkPolicy reads an empty podSelector as every pod of the namespace, so the
   * peer would silently open the workload to all of them (cdk8s-plus gives `{}` as the `matchLabels` of a CronJob,
   * for example).
   */
  private static checkSelects(method: string, prop: string, labels: { [key: string]: string }, fix: string): void {
    if (labels !== null && typeof labels === 'object' && Object.keys(labels).length === 0) {
      fail(at(method), prop, labels, 'is empty, which a NetworkPolicy reads as every pod of the namespace', fix);
    }
  }

  private static checkPorts(factory: string, ports: number[] | undefined): void {
    if (ports !== undefined) checkPeerPorts(at(factory), 'ports', ports, 'omit ports to allow every port of the peer');
  }

  /** The `plaintext` field and description prefix for a pod peer's `meshed` option (unset: not stated). */
  private static meshing(meshed: boolean | undefined): { prefix: string; config: Pick<NetworkPeerConfig, 'plaintext'> } {
    if (meshed === undefined) return { prefix: '', config: {} };
    return { prefix: meshed ? '' : 'unmeshed ', config: { plaintext: !meshed } };
  }

  private readonly config: NetworkPeerConfig;

  private constructor(config: NetworkPeerConfig) {
    this.config = config;
  }

  public toNetworkPeer(): NetworkPeerConfig {
    return this.config;
  }
}

/**
 * A declared connection: a peer and the ports it applies to.
 */
export interface NetworkConnection {
  /** The peer. */
  readonly peer: INetworkPeer;
  /**
   * The ports: for ingress, this workload's ports the peer may reach; for egress, the peer's ports.
   * Empty means every port (egress) or every declared port (ingress).
   */
  readonly ports: number[];
}
