import { IConstruct } from 'constructs';

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
   * Labels selecting the peer namespaces (used when `namespace` is not set).
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
   * The ports the peer listens on (used for egress rules to it).
   * @default - all ports
   */
  readonly ports?: number[];
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
   * The ports the peer listens on (for egress to it).
   * @default - all ports
   */
  readonly ports?: number[];
}

/**
 * Network peers that are not shipshape workloads (a shipshape workload is itself an `INetworkPeer`).
 */
export class NetworkPeer implements INetworkPeer {
  /**
   * Every pod in namespace `name`.
   */
  public static namespace(name: string, options?: NetworkPeerOptions): NetworkPeer {
    return new NetworkPeer({ description: `namespace ${name}`, namespace: name, ports: options?.ports });
  }

  /**
   * Pods with `labels` in namespace `namespace`.
   */
  public static pods(namespace: string, labels: { [key: string]: string }, options?: NetworkPeerOptions): NetworkPeer {
    return new NetworkPeer({ description: `pods ${JSON.stringify(labels)} in ${namespace}`, namespace, podLabels: { ...labels }, ports: options?.ports });
  }

  /**
   * An ingress controller's pods, for example `NetworkPeer.ingressController('ingress-nginx', { 'app.kubernetes.io/name': 'ingress-nginx' })`.
   */
  public static ingressController(namespace: string, podLabels: { [key: string]: string }): NetworkPeer {
    return new NetworkPeer({ description: `ingress controller in ${namespace}`, namespace, podLabels: { ...podLabels } });
  }

  /**
   * An IP range, for example a database subnet or a partner's egress range.
   */
  public static cidr(cidr: string, options?: NetworkPeerOptions): NetworkPeer {
    return new NetworkPeer({ description: `CIDR ${cidr}`, cidr, ports: options?.ports });
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

/** @internal */
export function isConstruct(x: any): x is IConstruct {
  return x && typeof x === 'object' && x.node !== undefined && typeof x.node.path === 'string';
}

/**
 * Renders a peer as a NetworkPolicyPeer relative to `ownNamespace`.
 * @internal
 */
export function renderPeer(cfg: NetworkPeerConfig, ownNamespace: string): any {
  if (cfg.cidr) {
    return { ipBlock: { cidr: cfg.cidr, ...(cfg.except && cfg.except.length ? { except: [...cfg.except] } : {}) } };
  }
  const peer: any = {};
  if (cfg.podLabels) peer.podSelector = { matchLabels: { ...cfg.podLabels } };
  if (cfg.namespace !== undefined) {
    if (cfg.namespace !== ownNamespace || !cfg.podLabels) {
      peer.namespaceSelector = { matchLabels: { 'kubernetes.io/metadata.name': cfg.namespace } };
    }
  } else if (cfg.namespaceLabels) {
    peer.namespaceSelector = { matchLabels: { ...cfg.namespaceLabels } };
  }
  return peer;
}
