import type * as corev1 from 'kubernetes-types/core/v1';
import { SidecarContainers } from './builder';
import { ISidecar, SidecarBinding, SidecarOptions } from './sidecar';
import { Names } from '../../core/names';
import { INetworkPeer } from '../networking/network-peer';
import { Probe } from '../workloads/probe';
import type { IWorkload } from '../workloads/workload';

/**
 * Properties of a LogShipper.
 */
export interface LogShipperProps extends SidecarOptions {
  /**
   * The shipper's image (Fluent Bit by default; any shipper that tails files works).
   * @default "cr.fluentbit.io/fluent/fluent-bit:3.1.9"
   */
  readonly image?: string;
  /**
   * The directory the app writes its log files to. An emptyDir is mounted there in the app (read-write)
   * and in the shipper (read-only).
   * @default "/var/log/app"
   */
  readonly logDirectory?: string;
  /**
   * A ConfigMap holding the shipper's configuration, mounted read-only at `configMountPath`.
   * @default - no configuration is mounted (the image's built-in configuration is used)
   */
  readonly configMapName?: string;
  /**
   * Where the configuration ConfigMap is mounted.
   * @default "/fluent-bit/etc"
   */
  readonly configMountPath?: string;
  /**
   * Size limit of the shared log volume.
   * @default "256Mi"
   */
  readonly logVolumeSize?: string;
  /**
   * The shipper's HTTP monitoring port (Fluent Bit's `HTTP_Server`), used by its probes.
   * @default 2020
   */
  readonly monitoringPort?: number;
  /**
   * Readiness probe of the shipper.
   * @default Probe.http('/api/v1/uptime') on the monitoring port
   */
  readonly readiness?: Probe;
  /**
   * Liveness probe of the shipper (must differ from readiness).
   * @default Probe.http('/api/v1/health') on the monitoring port
   */
  readonly liveness?: Probe;
  /**
   * Where the logs go: the egress rule the shipper needs (for example `NetworkPeer.cidr(...)` or the
   * log aggregator's pods).
   * @default - no egress rule: add one with the workload's `allowTo`
   */
  readonly destination?: INetworkPeer;
  /**
   * Ports of the destination.
   * @default - every port of the destination
   */
  readonly destinationPorts?: number[];
}

/**
 * A log shipper (for example Fluent Bit) that reads the log files the app writes to a shared emptyDir.
 *
 * @example
 * api.addSidecar(new k8s.LogShipper({ configMapName: 'fluent-bit-config' }));
 */
export class LogShipper implements ISidecar {
  public readonly name: string;
  /** The shared log directory. */
  public readonly logDirectory: string;
  private readonly props: LogShipperProps;

  constructor(props: LogShipperProps = {}) {
    this.props = props;
    this.name = props.name ?? 'log-shipper';
    this.logDirectory = props.logDirectory ?? '/var/log/app';
  }

  public bind(workload: IWorkload): SidecarBinding {
    const p = this.props;
    const prop = `sidecars.${this.name}`;
    SidecarContainers.name(workload, `${prop}.name`, this.name);
    SidecarContainers.path(workload, `${prop}.logDirectory`, this.logDirectory);
    const port = SidecarContainers.port(workload, `${prop}.monitoringPort`, p.monitoringPort ?? 2020);
    const logVolume = `${this.name}-logs`.slice(0, 63);
    const tmp = SidecarContainers.tmp(this.name);
    const mounts: corev1.VolumeMount[] = [{ name: logVolume, mountPath: this.logDirectory, readOnly: true }, tmp.mount];
    const volumes: corev1.Volume[] = [{ name: logVolume, emptyDir: { sizeLimit: p.logVolumeSize ?? '256Mi' } }, tmp.volume];
    if (p.configMapName) {
      Names.dnsSubdomain(workload, `${prop}.configMapName`, p.configMapName);
      const cfg = `${this.name}-config`.slice(0, 63);
      mounts.push({ name: cfg, mountPath: SidecarContainers.path(workload, `${prop}.configMountPath`, p.configMountPath ?? '/fluent-bit/etc'), readOnly: true });
      volumes.push({ name: cfg, configMap: { name: p.configMapName } });
    }
    const container = SidecarContainers.build(workload, {
      name: this.name,
      image: p.image ?? 'cr.fluentbit.io/fluent/fluent-bit:3.1.9',
      ports: [{ name: 'log-http', port }],
      readiness: p.readiness ?? Probe.http('/api/v1/uptime'),
      liveness: p.liveness ?? Probe.http('/api/v1/health'),
      mounts,
      options: p,
      prop,
    });
    return {
      containers: [container],
      volumes,
      appVolumeMounts: [{ name: logVolume, mountPath: this.logDirectory } satisfies corev1.VolumeMount],
      egress: p.destination ? [{ peer: p.destination, ports: [...(p.destinationPorts ?? p.destination.toNetworkPeer().ports ?? [])] }] : [],
    };
  }
}
