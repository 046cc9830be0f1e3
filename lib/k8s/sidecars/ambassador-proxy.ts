import { SidecarContainers } from './builder';
import { ISidecar, SidecarBinding, SidecarOptions } from './sidecar';
import { fail } from '../../core/errors';
import { Names } from '../../core/names';
import { INetworkPeer } from '../networking/network-peer';
import { Probe } from '../workloads/probe';
import type { IWorkload } from '../workloads/workload';

/**
 * Properties of an AmbassadorProxy.
 */
export interface AmbassadorProxyProps extends SidecarOptions {
  /**
   * The proxy image, for example `gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.14.0` or a PgBouncer/Envoy image.
   */
  readonly image: string;
  /**
   * The proxy's arguments (upstream address, listen address).
   * @default - the image's command
   */
  readonly args?: string[];
  /**
   * Environment variables (literal, non-secret values only).
   * @default - none
   */
  readonly env?: { [key: string]: string };
  /**
   * The port the proxy listens on; the app connects to `localhost:<listenPort>`.
   */
  readonly listenPort: number;
  /**
   * The name of the listen port.
   * @default "proxy"
   */
  readonly portName?: string;
  /**
   * What the proxy connects to (egress rule), for example `NetworkPeer.cidr('10.0.32.0/20', { ports: [5432] })`.
   */
  readonly upstream: INetworkPeer;
  /**
   * The upstream's ports.
   * @default - the ports of `upstream`, or every port
   */
  readonly upstreamPorts?: number[];
  /**
   * Readiness probe. The kubelet probes the pod IP, not localhost: the proxy must listen on all addresses (0.0.0.0,
   * for example cloud-sql-proxy's `--address=0.0.0.0`) for the default TCP probe to pass; the NetworkPolicy still
   * admits no other pod to the listen port. A proxy left on 127.0.0.1 (the usual default of local proxies) never
   * becomes ready there, and a native sidecar's readiness counts for the pod: the pod would stay out of its Service.
   * In a Linkerd mesh the TCP probe checks nothing (the pod's Linkerd proxy answers the connect itself, noted at
   * synth): give the proxy an HTTP health probe or a command there.
   * @default Probe.tcp() on the listen port
   */
  readonly readiness?: Probe;
  /**
   * Liveness probe (one equal to the readiness probe is a policy warning, SS-K8S-035; the same pod-IP caveat as `readiness` applies).
   * @default - no liveness probe (a TCP check would equal the readiness probe)
   */
  readonly liveness?: Probe;
  /**
   * A port the proxy serves its health checks on besides its listen port (cloud-sql-proxy's `--http-port`, with
   * `/readiness` and `/liveness`), declared on the proxy's container (named `healthPortName`) so its probes may use it
   * (`Probe.http('/readiness', { port })`). The NetworkPolicy admits no other pod to it; the kubelet probes it. The
   * listen port is then the app's alone (the proxy may listen on 127.0.0.1) and is not declared on the container.
   * @default - none: the probes use the listen port
   */
  readonly healthPort?: number;
  /**
   * The name of the health port (`healthPort`): unique in the pod, at most 15 lowercase letters, digits and "-".
   * @default "proxy-health"
   */
  readonly healthPortName?: string;
}

/**
 * An ambassador: a local proxy the app talks to on localhost (for example a database proxy that handles TLS
 * and IAM authentication), with the egress rule to its upstream.
 *
 * Its readiness probe connects to the listen port on the pod IP, so the proxy listens on all addresses (see
 * `readiness`); the app still reaches it on localhost.
 *
 * @example
 * // cloud-sql-proxy v2 listens on 127.0.0.1 unless told otherwise: --address=0.0.0.0 lets the kubelet probe it
 * api.addSidecar(new k8s.sidecars.AmbassadorProxy({
 *   image: 'gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.14.0',
 *   args: ['--address=0.0.0.0', '--port=5432', 'acme:europe-west1:ledger'],
 *   listenPort: 5432,
 *   upstream: k8s.NetworkPeer.cidr('10.0.32.0/20', { ports: [3307] }),
 * }));
 * // the proxy also fetches its certificates from the Cloud SQL Admin API
 * api.allowTo(k8s.NetworkPeer.cidr('0.0.0.0/0', { ports: [443] }));
 */
export class AmbassadorProxy implements ISidecar {
  public readonly name: string;
  /** The port the app connects to on localhost. */
  public readonly listenPort: number;
  private readonly props: AmbassadorProxyProps;

  constructor(props: AmbassadorProxyProps) {
    this.props = props;
    this.name = props.name ?? 'ambassador';
    this.listenPort = props.listenPort;
  }

  public bind(workload: IWorkload): SidecarBinding {
    const p = this.props;
    const prop = `sidecars.${this.name}`;
    SidecarContainers.name(workload, `${prop}.name`, this.name);
    const port = SidecarContainers.port(workload, `${prop}.listenPort`, p.listenPort);
    SidecarContainers.freePort(workload, `${prop}.listenPort`, this.name, port);
    const health = p.healthPort === undefined ? undefined : SidecarContainers.port(workload, `${prop}.healthPort`, p.healthPort);
    if (health !== undefined) {
      if (health === port) fail(workload, `${prop}.healthPort`, health, 'is the listen port', 'leave healthPort out to probe the listen port, or give the port the health checks are served on');
      SidecarContainers.freePort(workload, `${prop}.healthPort`, this.name, health);
    }
    if (health === undefined && p.healthPortName !== undefined) {
      fail(workload, `${prop}.healthPortName`, p.healthPortName, 'names a health port, but healthPort is not set', 'set healthPort to the port the proxy serves its health checks on, or leave healthPortName out');
    }
    const listenName = Names.portName(workload, `${prop}.portName`, p.portName ?? 'proxy');
    const tmp = SidecarContainers.tmp(this.name);
    const container = SidecarContainers.build(workload, {
      name: this.name,
      image: p.image,
      args: p.args,
      env: p.env,
      // with a health port, the listen port is the app's over localhost only: not declared (no other pod reaches it, and
      // a declared port that nothing probes reads as one that takes calls); it still counts for port clashes
      ports: health === undefined ? [{ name: listenName, port, nameProp: `${prop}.portName` }]
        : [{ name: Names.portName(workload, `${prop}.healthPortName`, p.healthPortName ?? 'proxy-health'), port: health, nameProp: `${prop}.healthPortName` }],
      readiness: p.readiness ?? Probe.tcp(),
      liveness: p.liveness,
      mounts: [tmp.mount],
      options: p,
      prop,
    });
    SidecarContainers.podOnly(container, health === undefined ? [port] : [port, health]);
    return {
      containers: [container],
      volumes: [tmp.volume],
      egress: [{ peer: p.upstream, ports: [...(p.upstreamPorts ?? p.upstream.toNetworkPeer().ports ?? [])] }],
    };
  }
}
