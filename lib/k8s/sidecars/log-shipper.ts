import { ApiObject } from 'cdk8s';
import type * as corev1 from 'kubernetes-types/core/v1';
import { SidecarContainers } from './builder';
import { ISidecar, SidecarBinding, SidecarOptions } from './sidecar';
import { fail } from '../../core/errors';
import { Names } from '../../core/names';
import { INetworkPeer } from '../networking/network-peer';
import { Probe } from '../workloads/probe';
import type { IWorkload } from '../workloads/workload';

/**
 * Properties of a LogShipper.
 */
export interface LogShipperProps extends SidecarOptions {
  /**
   * The shipper's image (Fluent Bit by default; any shipper that tails files works, given its own configuration
   * with `configMapName` and `configMountPath`, and probes that match it).
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
   * An existing ConfigMap holding the shipper's configuration, mounted read-only at `configMountPath`.
   *
   * Your configuration must serve what the probes ask for: with the default probes, Fluent Bit's HTTP server on
   * the monitoring port on the pod IP (`HTTP_Server On`, `HTTP_Listen 0.0.0.0`, `HTTP_Port` = `monitoringPort`)
   * and its health check (`Health_Check On`, which `/api/v1/health` needs); otherwise the shipper never becomes
   * ready, or is restarted, and with native sidecars (Kubernetes 1.29+) its readiness holds back the whole pod.
   * For another shipper, give `readiness` and `liveness` probes that match it.
   * @default - a ConfigMap written next to the workload, named `<workload>-<sidecar name>` (for example
   * `api-log-shipper`): Fluent Bit's HTTP server and health check on the monitoring port, a `tail` input on every
   * file in `logDirectory`, and a `stdout` output (JSON lines) that the node's log collector picks up with the
   * container's other output. Its construct id under the workload is `<sidecar name>-ConfigMap`.
   */
  readonly configMapName?: string;
  /**
   * Where the configuration ConfigMap is mounted (a directory: the mount hides what the image has there).
   * The official Fluent Bit image reads `/fluent-bit/etc/fluent-bit.conf`; the generated ConfigMap holds that key.
   * @default "/fluent-bit/etc"
   */
  readonly configMountPath?: string;
  /**
   * Size limit of the shared log volume.
   * @default "256Mi"
   */
  readonly logVolumeSize?: string;
  /**
   * The shipper's HTTP monitoring port (Fluent Bit's `HTTP_Server`), used by its probes. It is declared on the
   * shipper container (named `log-http`; `log-http-2` and so on for a second and later shipper in the pod) only: it
   * is not on the workload's Service, and the NetworkPolicy admits no caller to it (the kubelet's probes come from the
   * node, which NetworkPolicy does not filter). Each shipper of a pod needs its own.
   * @default 2020
   */
  readonly monitoringPort?: number;
  /**
   * Readiness probe of the shipper.
   * @default Probe.http('/api/v1/uptime') on the monitoring port
   */
  readonly readiness?: Probe;
  /**
   * Liveness probe of the shipper; one equal to the readiness probe is a policy warning (SS-K8S-035): a liveness probe should check
   * that the process is stuck, not that it is not ready yet.
   * @default Probe.http('/api/v1/health') on the monitoring port
   */
  readonly liveness?: Probe;
  /**
   * Where the logs go: the egress rule the shipper needs (for example `NetworkPeer.cidr(...)` or the
   * log aggregator's pods). Only a configuration of your own (`configMapName`) sends logs there: the generated
   * one writes them to stdout.
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
 * Without `configMapName` it ships with a configuration of its own (a ConfigMap next to the workload): every file
 * the app writes in `logDirectory` is tailed and written to the shipper's stdout, where the node's log collector
 * picks it up. To forward elsewhere, give your own configuration (see `configMapName` for what it must turn on).
 *
 * One shipper per workload serves every file of its log directory: a second one in the same pod needs a `name`,
 * a `logDirectory` and a `monitoringPort` of its own.
 *
 * @example
 * // the generated configuration: the app's log files go to the shipper's stdout
 * api.addSidecar(new k8s.sidecars.LogShipper());
 * // on another workload, your own Fluent Bit configuration (HTTP server and health check on port 2020), forwarding
 * // to an aggregator
 * worker.addSidecar(new k8s.sidecars.LogShipper({
 *   name: 'forwarder',
 *   configMapName: 'fluent-bit-config',
 *   destination: k8s.NetworkPeer.pods('logging', { 'app.kubernetes.io/name': 'fluentd' }, { ports: [24224] }),
 * }));
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
    SidecarContainers.path(workload, `${prop}.logDirectory`, this.logDirectory, '/var/log/app');
    const port = SidecarContainers.port(workload, `${prop}.monitoringPort`, p.monitoringPort ?? 2020);
    // checked here, before the ConfigMap is written, so the error names monitoringPort (the workload only knows "a port")
    SidecarContainers.freePort(workload, `${prop}.monitoringPort`, this.name, port);
    const logVolume = `${this.name}-logs`.slice(0, 63);
    const tmp = SidecarContainers.tmp(this.name);
    const mounts: corev1.VolumeMount[] = [{ name: logVolume, mountPath: this.logDirectory, readOnly: true }, tmp.mount];
    const volumes: corev1.Volume[] = [{ name: logVolume, emptyDir: { sizeLimit: p.logVolumeSize ?? '256Mi' } }, tmp.volume];
    const cfg = `${this.name}-config`.slice(0, 63);
    const configMountPath = SidecarContainers.path(workload, `${prop}.configMountPath`, p.configMountPath ?? '/fluent-bit/etc', '/fluent-bit/etc');
    if (configMountPath.replace(/\/+$/, '') === this.logDirectory.replace(/\/+$/, '')) {
      fail(workload, `${prop}.configMountPath`, configMountPath, `is also the logDirectory (${this.logDirectory}): a container cannot mount two volumes at one path`,
        'mount the configuration and the logs at different paths');
    }
    // without a ConfigMap of the user's, one of ours (written below, once the container is valid)
    const own = p.configMapName === undefined;
    const configMapName = Names.dnsSubdomain(workload, `${prop}.configMapName`, p.configMapName ?? `${workload.name}-${this.name}`);
    mounts.push({ name: cfg, mountPath: configMountPath, readOnly: true });
    volumes.push({ name: cfg, configMap: { name: configMapName } });
    const container = SidecarContainers.build(workload, {
      name: this.name,
      image: p.image ?? 'cr.fluentbit.io/fluent/fluent-bit:3.1.9',
      ports: [{ name: this.portName(workload), port }],
      readiness: p.readiness ?? Probe.http('/api/v1/uptime'),
      liveness: p.liveness ?? Probe.http('/api/v1/health'),
      mounts,
      options: p,
      prop,
    });
    const id = `${this.name}-ConfigMap`;
    // a second sidecar of this name is refused by the workload right after bind, with a clearer message than a construct id clash
    if (own && !workload.node.tryFindChild(id)) {
      const labels = (workload as { labels?: { [key: string]: string } }).labels ?? workload.selectorLabels;
      new ApiObject(SidecarContainers.scope(workload), id, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: configMapName, namespace: workload.namespace, labels: { ...labels } },
        data: { 'fluent-bit.conf': LogShipper.fluentBitConfig(this.logDirectory, port) },
      } satisfies corev1.ConfigMap);
    }
    return {
      containers: [container],
      volumes,
      appVolumeMounts: [SidecarContainers.appMount({ name: logVolume, mountPath: this.logDirectory } satisfies corev1.VolumeMount, `${prop}.logDirectory`)],
      egress: p.destination ? [{ peer: p.destination, ports: [...(p.destinationPorts ?? p.destination.toNetworkPeer().ports ?? [])] }] : [],
    };
  }

  /**
   * The name of the monitoring port: `log-http`, and `log-http-2` and so on for the second and later shippers of one
   * pod (port names are unique in a pod, and LogShipperProps has no prop to set it).
   */
  private portName(workload: IWorkload): string {
    const added = (workload as { sidecars?: unknown }).sidecars;
    const before = Array.isArray(added) ? added.filter(s => s instanceof LogShipper && s !== this).length : 0;
    return before === 0 ? 'log-http' : `log-http-${before + 1}`;
  }

  /**
   * A minimal Fluent Bit configuration (classic format): the HTTP server and health check the default probes ask
   * for, listening on the pod IP where the kubelet probes; every file in `logDirectory` tailed from its start (the
   * read offsets kept in the shipper's /tmp, so a restarted shipper resumes where it was); stdout as JSON lines.
   * The official image starts `fluent-bit -c /fluent-bit/etc/fluent-bit.conf`, hence the key.
   */
  private static fluentBitConfig(logDirectory: string, port: number): string {
    const dir = logDirectory.replace(/\/+$/, '');
    return [
      '[SERVICE]',
      '    Flush            1',
      '    Log_Level        info',
      '    HTTP_Server      On',
      '    HTTP_Listen      0.0.0.0',
      `    HTTP_Port        ${port}`,
      '    Health_Check     On',
      '',
      '[INPUT]',
      '    Name             tail',
      `    Path             ${dir}/*`,
      '    Tag              app.*',
      '    DB               /tmp/fluent-bit-tail.db',
      '    Read_from_Head   On',
      '    Refresh_Interval 5',
      '    Skip_Long_Lines  On',
      '',
      '[OUTPUT]',
      '    Name             stdout',
      '    Match            *',
      '    Format           json_lines',
      '',
    ].join('\n');
  }
}
