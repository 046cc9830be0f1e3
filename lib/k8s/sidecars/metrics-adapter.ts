import { ApiObject, Duration } from 'cdk8s';
import type * as metav1 from 'kubernetes-types/meta/v1';
import { SidecarContainers } from './builder';
import { ISidecar, SidecarBinding, SidecarOptions } from './sidecar';
import { fail } from '../../core/errors';
import { Names } from '../../core/names';
import { Validators } from '../../core/validators';
import { INetworkPeer, NetworkPeer } from '../networking/network-peer';
import { settleMeshing } from '../networking/peer-config';
import { Probe } from '../workloads/probe';
import type { IWorkload } from '../workloads/workload';

/** A Prometheus Operator PodMonitor (monitoring.coreos.com/v1; a custom resource), the fields shipshape writes. */
interface PodMonitor {
  apiVersion: 'monitoring.coreos.com/v1';
  kind: 'PodMonitor';
  metadata?: metav1.ObjectMeta;
  spec: {
    selector: metav1.LabelSelector;
    podMetricsEndpoints?: Array<{ port?: string; path?: string; interval?: string }>;
  };
}

/**
 * Properties of a MetricsAdapter.
 */
export interface MetricsAdapterProps extends SidecarOptions {
  /**
   * The exporter image, for example `prom/statsd-exporter:v0.28.0`.
   */
  readonly image: string;
  /**
   * Arguments of the exporter (for example where to read the app's metrics).
   * @default - the image's command
   */
  readonly args?: string[];
  /**
   * The port the exporter serves Prometheus metrics on.
   * @default 9102
   */
  readonly port?: number;
  /**
   * The name of the metrics port.
   * @default "metrics"
   */
  readonly portName?: string;
  /**
   * The HTTP path of the metrics.
   * @default "/metrics"
   */
  readonly path?: string;
  /**
   * Readiness probe of the exporter.
   * @default Probe.http(path) on the metrics port
   */
  readonly readiness?: Probe;
  /**
   * Liveness probe of the exporter; one equal to the readiness probe is a policy warning (SS-K8S-035): a liveness probe should check
   * that the process is stuck, not that it is not ready yet.
   * @default Probe.tcp() on the metrics port
   */
  readonly liveness?: Probe;
  /**
   * Emit a prometheus-operator `PodMonitor` that scrapes the exporter, named after the workload (after the workload
   * and the adapter's `name` for an adapter not named `metrics-adapter`, so several adapters of one workload each get
   * one). (A `ServiceMonitor` would need the port on the workload's Service; a PodMonitor scrapes the pods directly.)
   * `scrapeInterval` and `podMonitorLabels` are refused without it.
   * @default false
   */
  readonly podMonitor?: boolean;
  /**
   * Scrape interval of the PodMonitor, in whole seconds.
   * @default Duration.seconds(30)
   */
  readonly scrapeInterval?: Duration;
  /**
   * More labels on the PodMonitor, for a Prometheus that selects its monitors by label: kube-prometheus-stack's
   * Prometheus picks up only PodMonitors labelled `release: <its Helm release>` unless its `podMonitorSelector` is
   * opened (`podMonitorSelectorNilUsesHelmValues: false`), so without that label the exporter is never scraped.
   * @default - the workload's selector labels only
   */
  readonly podMonitorLabels?: { [key: string]: string };
  /**
   * The Prometheus pods allowed to scrape the metrics port (NetworkPolicy ingress rule, and the mesh's
   * authorization when the workload is meshed: see `scraperMeshed`).
   * @default - pods labelled `app.kubernetes.io/name: prometheus` in namespace `monitoring`
   */
  readonly scraper?: INetworkPeer;
  /**
   * The scraper runs a proxy of the service mesh the workload is enrolled in, so it scrapes with mutual TLS and a
   * mesh identity. When false (Prometheus usually runs outside the mesh), a meshed workload accepts plaintext from it
   * on the metrics port only, as from an unmeshed `NetworkPeer.ingressController`: Istio gets a port-level
   * PERMISSIVE mode and an authorization rule for callers without a mesh identity on that port; with Linkerd the
   * metrics port is outside the workload's `Server`, so the cluster's default inbound policy applies there. The
   * NetworkPolicy still admits only the scraper's pods to the metrics port.
   *
   * Applies to the default scraper and to a `scraper` that does not state its meshing; a scraper declared with
   * `NetworkPeer.pods(ns, labels, { meshed })` keeps its own declaration (a contradicting value is refused), and a
   * shipshape workload scrapes as its own enrolment says (the prop is refused then).
   * @default false
   */
  readonly scraperMeshed?: boolean;
}

/**
 * A metrics adapter: an exporter beside the app that translates its metrics into Prometheus format,
 * with an optional prometheus-operator PodMonitor and the NetworkPolicy rule that lets Prometheus scrape it.
 * On a meshed workload, the scraper is taken to be outside the mesh unless `scraperMeshed` is set, so the mesh
 * admits its plaintext scrapes on the metrics port.
 */
export class MetricsAdapter implements ISidecar {
  public readonly name: string;
  private readonly props: MetricsAdapterProps;
  private _podMonitor?: ApiObject;

  constructor(props: MetricsAdapterProps) {
    this.props = props;
    this.name = props.name ?? 'metrics-adapter';
  }

  /**
   * The PodMonitor, once bound with `podMonitor: true` (undefined until bound, or when no PodMonitor is emitted).
   */
  public get podMonitor(): ApiObject | undefined {
    return this._podMonitor;
  }

  public bind(workload: IWorkload): SidecarBinding {
    const p = this.props;
    const prop = `sidecars.${this.name}`;
    SidecarContainers.name(workload, `${prop}.name`, this.name);
    const port = SidecarContainers.port(workload, `${prop}.port`, p.port ?? 9102);
    SidecarContainers.freePort(workload, `${prop}.port`, this.name, port);
    const portName = Names.portName(workload, `${prop}.portName`, p.portName ?? 'metrics');
    const path = p.path ?? '/metrics';
    if (!path.startsWith('/')) fail(workload, `${prop}.path`, path, "must start with '/'", `write it as ${JSON.stringify('/' + path)}`);
    const tmp = SidecarContainers.tmp(this.name);
    const container = SidecarContainers.build(workload, {
      name: this.name,
      image: p.image,
      args: p.args,
      ports: [{ name: portName, port, nameProp: `${prop}.portName` }],
      readiness: p.readiness ?? Probe.http(path),
      liveness: p.liveness ?? Probe.tcp(),
      mounts: [tmp.mount],
      options: p,
      prop,
    });
    const interval = p.scrapeInterval ?? Duration.seconds(30);
    if (!p.podMonitor && (p.podMonitorLabels !== undefined || p.scrapeInterval !== undefined)) {
      const given = p.podMonitorLabels !== undefined ? 'podMonitorLabels' : 'scrapeInterval';
      fail(workload, `${prop}.${given}`, given === 'podMonitorLabels' ? p.podMonitorLabels : p.scrapeInterval?.toHumanString(),
        'applies to the PodMonitor, which only podMonitor: true writes: without it nothing reads it', `set podMonitor: true, or leave ${given} out`);
    }
    if (p.podMonitor) {
      if (this._podMonitor) fail(workload, `${prop}`, this.name, 'is already bound to a workload', 'create one MetricsAdapter per workload');
      let seconds: number;
      try {
        seconds = interval.toSeconds();
      } catch {
        fail(workload, `${prop}.scrapeInterval`, interval.toHumanString(), 'must be a whole number of seconds (Prometheus reads the interval in seconds here)', 'use Duration.seconds(...)');
      }
      const labels = Validators.labels(workload, `${prop}.podMonitorLabels`, p.podMonitorLabels ?? {});
      for (const [k, v] of Object.entries(labels)) {
        // the selector labels are written last: a different value of one would be dropped without a word
        if (k in workload.selectorLabels && workload.selectorLabels[k] !== v) {
          fail(workload, `${prop}.podMonitorLabels["${k}"]`, v, `is one of the workload's selector labels, which the PodMonitor carries as they are (${k}: ${workload.selectorLabels[k]})`,
            'leave it out, or label the PodMonitor under another key');
        }
      }
      // one PodMonitor per adapter: the default adapter's is named after the workload, another one's after both
      const monitorName = this.name === 'metrics-adapter' ? workload.name : `${workload.name}-${this.name}`;
      this._podMonitor = new ApiObject(SidecarContainers.scope(workload), `${this.name}-PodMonitor`, {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PodMonitor',
        metadata: {
          name: monitorName,
          namespace: workload.namespace,
          labels: { ...labels, ...workload.selectorLabels },
        },
        spec: {
          selector: { matchLabels: { ...workload.selectorLabels } },
          podMetricsEndpoints: [{ port: portName, path, interval: `${seconds!}s` }],
        },
      } satisfies PodMonitor);
    }
    const scraper = p.scraper
      ? settleMeshing(workload, `${prop}.scraper`, p.scraper, `${prop}.scraperMeshed`, p.scraperMeshed)
      : NetworkPeer.pods('monitoring', { 'app.kubernetes.io/name': 'prometheus' }, { meshed: p.scraperMeshed ?? false });
    return {
      containers: [container],
      volumes: [tmp.volume],
      ingress: [{ peer: scraper, ports: [port] }],
    };
  }
}
