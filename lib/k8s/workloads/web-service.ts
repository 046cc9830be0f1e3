import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import type * as appsv1 from 'kubernetes-types/apps/v1';
import type * as autoscalingv2 from 'kubernetes-types/autoscaling/v2';
import type * as corev1 from 'kubernetes-types/core/v1';
import { checkObjectList, checkServiceName, renderProbes } from './checks';
import { ContainerPort } from './env';
import { checkWebServerImage } from './known-images';
import { Probe } from './probe';
import { Replicas } from './replicas';
import { IWorkload, Workload, WorkloadProps } from './workload';
import { fail, formatValidationMessage, show } from '../../core/errors';
import { Names } from '../../core/names';
import { EnvironmentProfile, Profiles } from '../../core/profile';
import { Validators } from '../../core/validators';
import { TrafficChecks } from '../networking/hostnames';
import type { NetworkPeerConfig } from '../networking/network-peer';
import { _chartOf } from '../synth-steps';

/**
 * Properties of a WebService.
 */
export interface WebServiceProps extends WorkloadProps {
  /**
   * The port the application listens on (1024-65535: no privileged ports, no added capabilities).
   * @default 8080
   */
  readonly port?: number;
  /**
   * The name of the application port (IANA service name).
   * @default "http"
   */
  readonly portName?: string;
  /**
   * The port the Service exposes inside the cluster.
   * @default 80
   */
  readonly servicePort?: number;
  /**
   * More named container ports (for example `metrics`), exposed on the Service too.
   * @default - none
   */
  readonly extraPorts?: ContainerPort[];
  /**
   * Replica count or autoscaling range.
   * @default - from the profile: production autoscales 3-10, staging 2-4, development runs 1 fixed replica
   */
  readonly replicas?: Replicas;
  /**
   * Readiness probe: is the pod ready for traffic?
   * @default Probe.http('/readyz')
   */
  readonly readiness?: Probe;
  /**
   * Liveness probe: should the container be restarted? Must differ from the readiness probe.
   * @default Probe.http('/livez')
   */
  readonly liveness?: Probe;
  /**
   * Startup probe for slow starters (liveness and readiness wait until it passes).
   * @default - no startup probe
   */
  readonly startup?: Probe;
  /**
   * Seconds the container waits in a preStop hook before SIGTERM, so endpoints and load balancers stop
   * sending traffic first. 0 disables the hook. The hook runs `sleep`, which the image must provide (distroless
   * images have none: the hook then fails and the pod gets SIGTERM at once; set 0 there and let the application wait
   * before it stops accepting connections). The kubelet's own sleep action (Kubernetes 1.30+) is not used: the output
   * stays valid for every Kubernetes version shipshape supports.
   * @default 5
   */
  readonly preStopDelaySeconds?: number;
  /**
   * Seconds Kubernetes waits after SIGTERM before killing the pod: a whole number that must exceed `preStopDelaySeconds`.
   * @default 30
   */
  readonly terminationGracePeriodSeconds?: number;
  /**
   * Create a PodDisruptionBudget (maxUnavailable 1).
   * @default - true in production and staging, false in development
   */
  readonly disruptionBudget?: boolean;
  /**
   * Spread pods across zones (topology spread) and hosts (anti-affinity).
   * @default - true in production and staging, false in development
   */
  readonly spread?: boolean;
}

/**
 * A web service as seen by other constructs (ingress, routes, meshes).
 */
export interface IWebService extends IWorkload {
  /** The Service's port. */
  readonly servicePort: number;
  /** The application's container port. */
  readonly port: number;
  /** The application port's name. */
  readonly portName: string;
}

/**
 * A Kubernetes Service that exists outside this app (another team's, a legacy deployment, one a Helm chart
 * installs), as `WebService.fromServiceAttributes` imports it so that routes can reach it.
 */
export interface WebServiceAttributes {
  /**
   * The Service's name (`metadata.name`): a DNS-1035 label, as the API server requires of Service names (1-63
   * characters of a-z, 0-9 and '-', starting with a letter and ending with a letter or digit).
   */
  readonly name: string;
  /**
   * The Service's namespace. An `HttpIngress` or `HttpRoute` routes only to Services of its own namespace, so it
   * refuses a backend in another one.
   * @default - the chart's namespace (as for workloads)
   */
  readonly namespace?: string;
  /**
   * The Service port to route to (`spec.ports[].port` of the Service): a whole number from 1 to 65535. Nothing in the
   * app can check it, since the Service is not in the output: a port the Service does not expose answers 503.
   */
  readonly servicePort: number;
  /**
   * The port the Service's pods listen on behind `servicePort` (its `targetPort`): a whole number from 1 to 65535.
   * Used for NetworkPolicy rules towards the pods (`allowTo`).
   * @default - the same number as `servicePort`
   */
  readonly port?: number;
  /**
   * The name of the Service port (IANA service name: 1-15 characters of a-z, 0-9 and '-', with at least one letter).
   * @default "http"
   */
  readonly portName?: string;
  /**
   * Labels that select the Service's pods, for NetworkPolicy rules towards them (`allowTo`). Leave them out when
   * unknown: a rule towards the import then admits every pod of its namespace on `port`.
   * @default - none: every pod of the namespace
   */
  readonly selectorLabels?: { [key: string]: string };
}

/** A DNS-1035 label: what the API server requires of a Service name. */
const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/**
 * A Service imported with `WebService.fromServiceAttributes`: a construct (it has a path, for messages and for the
 * routes that remember their backends by it) that writes no Kubernetes object and has no `allowFrom`, so a route
 * writes no NetworkPolicy rule on its pods.
 */
class ImportedWebService extends Construct implements IWebService {
  public readonly name: string;
  public readonly namespace: string;
  public readonly servicePort: number;
  public readonly port: number;
  public readonly portName: string;
  public readonly selectorLabels: { [key: string]: string };

  constructor(scope: Construct, id: string, attrs: WebServiceAttributes) {
    super(scope, id);
    TrafficChecks.markImported(this);
    const a: Partial<WebServiceAttributes> = attrs ?? {};
    const name = a.name;
    if (typeof name !== 'string' || name.length === 0 || name.length > 63 || !DNS_1035_LABEL.test(name)) {
      const suggestion = (typeof name === 'string' ? Names.kebab(name) : '').replace(/[^a-z0-9-]/g, '-').replace(/^[^a-z]+/, '').replace(/-+/g, '-').slice(0, 63).replace(/-+$/, '');
      fail(this, 'name', name, "must be a DNS-1035 label, as Service names are: 1-63 characters of a-z, 0-9 and '-', starting with a letter and ending with a letter or digit",
        `give the name of the existing Service, for example ${JSON.stringify(suggestion || 'legacy-api')}`);
    }
    this.name = name;
    const ns = a.namespace ?? _chartOf(this).namespace;
    if (!ns) {
      fail(this, 'namespace', ns, 'is not set on the import nor on its chart, and an HttpIngress or HttpRoute routes only to Services of its own namespace',
        "set `namespace` to the namespace the Service runs in, or on the Chart (new Chart(app, 'shop', { namespace: 'shop' }))");
    }
    this.namespace = Names.dnsLabel(this, 'namespace', ns, 63);
    this.servicePort = ImportedWebService.checkPort(this, 'servicePort', a.servicePort, 'give the port the Service exposes (spec.ports[].port), for example 80');
    this.port = a.port === undefined ? this.servicePort
      : ImportedWebService.checkPort(this, 'port', a.port, `give the port the pods listen on (the Service's targetPort), or omit it when it is ${this.servicePort} too`);
    this.portName = Names.portName(this, 'portName', a.portName ?? 'http');
    this.selectorLabels = { ...Validators.labels(this, 'selectorLabels', a.selectorLabels ?? {}) };
    this.node.addValidation({ validate: () => this.sameAsAppService() });
  }

  /** The port the pods listen on behind the Service port. */
  public get containerPorts(): number[] {
    return [this.port];
  }

  /**
   * The Service's pods as a network peer: those with `selectorLabels` (every pod of the namespace without them), on
   * `port`. As a peer with ports it serves `allowTo`; `allowFrom` refuses it: admit callers from the imported pods
   * with `NetworkPeer.pods(namespace, labels)`.
   */
  public toNetworkPeer(): NetworkPeerConfig {
    return {
      description: `imported Service ${this.namespace}/${this.name}`,
      namespace: this.namespace,
      ...(Object.keys(this.selectorLabels).length ? { podLabels: { ...this.selectorLabels } } satisfies Partial<NetworkPeerConfig> : {}),
      ports: [this.port],
    };
  }

  /**
   * Refuses an import of a Service the app writes itself (a workload's, or a cdk8s `ApiObject` of kind Service, with
   * the same name and namespace): its ports would be taken on trust, and an `HttpIngress` routing to it suppresses
   * SS-K8S-054 on its Ingress, so a port the Service lacks would go unnoticed. Checked at synth, when the whole app
   * is built (the Service may come after the import).
   */
  private sameAsAppService(): string[] {
    const written = this.node.root.node.findAll().find((c): c is ApiObject => ApiObject.isApiObject(c)
      && c.kind === 'Service' && c.apiGroup === 'core' && c.name === this.name && c.metadata.namespace === this.namespace);
    if (written === undefined) return [];
    const owner = written.node.scope;
    const workload = owner !== undefined && Workload.isWorkload(owner) && (owner as any).service === written ? owner : undefined;
    const why = `is a Service this app writes (${written.node.path}, namespace ${this.namespace}): an import, meant for a Service managed outside the app, `
      + 'takes its ports on trust and makes an HttpIngress suppress rule SS-K8S-054 (backends in the output) for it, so a port the Service lacks would go unnoticed';
    const fix = workload !== undefined
      ? `route to the ${workload.constructor.name} itself (backend: ${workload.node.id}), not to an import of it`
      : 'route to the workload that writes that Service instead of importing it, or pass an IWebService of your own for it (rule SS-K8S-054 then checks its Service and port in the output)';
    return [formatValidationMessage({ path: this.node.path, prop: 'name', value: show(this.name), allowed: why, fix })];
  }

  private static checkPort(scope: Construct, prop: string, port: unknown, fix: string): number {
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
      fail(scope, prop, port, 'must be a whole number from 1 to 65535 (a TCP port)', fix);
    }
    return port;
  }
}

/**
 * A stateless HTTP service, production-grade by default: Deployment, Service, ServiceAccount (no token),
 * PodDisruptionBudget, HorizontalPodAutoscaler (when autoscaled) and a NetworkPolicy, with the hardened pod
 * the rules of docs/rules.md expect (security context, resources, images, probes, availability, network, identity).
 *
 * @example
 * new k8s.WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.4.2' });
 */
export class WebService extends Workload implements IWebService {
  /**
   * A Kubernetes Service that exists outside this app (another team's, a legacy deployment, one a Helm chart
   * installs), for `HttpIngress` paths and `HttpRoute` backends to route to. The result is a construct that writes no
   * Kubernetes object; it is checked here (the name must be a DNS-1035 label, the ports whole numbers from 1 to 65535,
   * the namespace set, here or on the chart).
   *
   * What the app cannot do for an imported Service, its owner must:
   * - NetworkPolicy: a route admits the ingress controller (or the gateway) on the pods of each in-app WebService it
   *   routes to, but writes nothing for an imported Service. If the Service's pods sit behind a NetworkPolicy (a
   *   default-deny namespace), their owner must admit the ingress controller or gateway on `port` themselves, or the
   *   route answers 502/504.
   * - The Service and its port: the policy rules that check an Ingress's and an HTTPRoute's backends against the
   *   output (SS-K8S-054, SS-K8S-102) cannot see this Service, so an `HttpIngress` or `HttpRoute` that routes to it
   *   suppresses its rule on its Ingress or HTTPRoute object, with a reason naming the imported Services (the
   *   annotation `suppress.shipshape.io/SS-K8S-054` or `suppress.shipshape.io/SS-K8S-102`, which `shipshape check` of
   *   the YAML reads too). Since that suppression covers the whole object, such an ingress or route may route besides
   *   only to shipshape workloads of this app (whose Services and ports it checks itself) and other imports;
   *   `servicePort` must be right, as nothing checks it.
   *
   * @param scope the parent construct (its chart gives the default namespace)
   * @param id the construct id
   * @param attrs the Service's name, namespace and ports
   *
   * @example
   * const legacy = k8s.WebService.fromServiceAttributes(chart, 'legacy', { name: 'legacy', servicePort: 8080 });
   * new k8s.HttpIngress(chart, 'web', {
   *   rules: [{ host: 'shop.example.com', paths: [{ backend: api }, { path: '/old', backend: legacy }] }],
   *   tls: k8s.IngressTls.secret('shop-tls'),
   * });
   */
  public static fromServiceAttributes(scope: Construct, id: string, attrs: WebServiceAttributes): IWebService {
    return new ImportedWebService(scope, id, attrs);
  }

  public readonly port: number;
  public readonly portName: string;
  public readonly servicePort: number;
  /** The Deployment. */
  public readonly deployment: ApiObject;
  /** The Service (ClusterIP). */
  public readonly service: ApiObject;
  /**
   * The PodDisruptionBudget.
   * @default - undefined when no PDB is created (development)
   */
  public readonly pdb?: ApiObject;
  /**
   * The HorizontalPodAutoscaler.
   * @default - undefined when the replica count is fixed
   */
  public readonly hpa?: ApiObject;
  /** The replica settings in force (after profile defaults). */
  public readonly replicas: Replicas;

  private readonly extraPorts: ContainerPort[];
  private readonly preStop: number;
  private readonly grace: number;

  constructor(scope: Construct, id: string, props: WebServiceProps) {
    super(scope, id, props, 'web');
    const defaults = Profiles.availability(this.profile);
    checkServiceName(this, this.name, props.name !== undefined, id, 63);

    this.port = WebService.checkPort(this, 'port', props.port ?? 8080);
    this.portName = Names.portName(this, 'portName', props.portName ?? 'http');
    this.servicePort = props.servicePort ?? 80;
    if (!Number.isInteger(this.servicePort) || this.servicePort < 1 || this.servicePort > 65535) {
      fail(this, 'servicePort', this.servicePort, 'must be a whole number from 1 to 65535', 'use 80 or the port your callers expect');
    }
    this.extraPorts = checkObjectList(this, 'extraPorts', props.extraPorts, "{ name: 'metrics', port: 9090 }").map((ep, i) => ({
      name: Names.portName(this, `extraPorts[${i}].name`, ep.name),
      port: WebService.checkPort(this, `extraPorts[${i}].port`, ep.port),
    }));
    const seenNumbers = new Map<number, string>([[this.port, 'port']]);
    const seenNames = new Map<string, string>([[this.portName, 'portName']]);
    this.extraPorts.forEach((ep, i) => {
      if (seenNumbers.has(ep.port)) {
        fail(this, `extraPorts[${i}].port`, ep.port, `clashes with ${seenNumbers.get(ep.port)}, which uses the same number`, 'give every port its own number');
      }
      // the Service exposes each extra port on its own number, beside servicePort: the API server refuses a Service
      // listing one port number twice
      if (ep.port === this.servicePort) {
        fail(this, `extraPorts[${i}].port`, ep.port, `is also servicePort, the Service's main port, and the Service exposes extra ports on their own numbers, so it would list ${ep.port} twice (the API server refuses that)`,
          `give the extra port another number, or set servicePort to another (the Service's main port; the pods listen on port ${this.port})`);
      }
      if (seenNames.has(ep.name)) {
        fail(this, `extraPorts[${i}].name`, ep.name, `clashes with ${seenNames.get(ep.name)}, which uses the same name`, 'give every port its own name');
      }
      seenNumbers.set(ep.port, `extraPorts[${i}]`);
      seenNames.set(ep.name, `extraPorts[${i}]`);
    });

    this.replicas = WebService.resolveReplicas(this, props.replicas, this.profile);
    if (this.replicas.autoscaled) this._checkCpuTarget('replicas.targetCpuUtilization', this.replicas.targetCpuUtilization!);
    this.preStop = props.preStopDelaySeconds ?? 5;
    this.grace = props.terminationGracePeriodSeconds ?? 30;
    if (!Number.isInteger(this.preStop) || this.preStop < 0) {
      fail(this, 'preStopDelaySeconds', this.preStop, 'must be a whole number of seconds, 0 or more', 'use for example 5');
    }
    // a fraction (or NaN, Infinity) that is not too small is only not whole: "raise it" would be the wrong advice
    if (!Number.isInteger(this.grace) && !(this.grace <= this.preStop)) {
      const whole = [Math.floor(this.grace), Math.ceil(this.grace)].filter(s => Number.isFinite(s) && s > this.preStop);
      fail(this, 'terminationGracePeriodSeconds', this.grace, 'must be a whole number of seconds',
        whole.length ? `use ${whole.join(' or ')}` : `use for example ${Math.max(30, this.preStop + 10)}`);
    }
    if (!Number.isInteger(this.grace) || this.grace <= this.preStop) {
      fail(this, 'terminationGracePeriodSeconds', this.grace, `must be a whole number larger than preStopDelaySeconds (${this.preStop}), or the pod is killed while draining`,
        `raise it to at least ${this.preStop + 10}`);
    }
    const spread = props.spread ?? defaults.spread;
    // Render the pod once now so bad input (probes, env, mounts, ids, resources) fails at construction, not at synth.
    this._renderPodTemplate({ terminationGracePeriodSeconds: this.grace, spread });
    checkWebServerImage(this, this.image, props.image, props.security);

    this.deployment = new ApiObject(this, 'Deployment', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: this._metadata({
        annotations: {
          // An HPA owns the count, so `replicas` is omitted (SS-K8S-038); Polaris, which wants `replicas` even on an HPA
          // target, is told why with its exemption annotation (SS-K8S-037 skips HPA targets itself).
          ...(this.replicas.autoscaled ? { 'polaris.fairwinds.com/deploymentMissingReplicas-exempt': 'true' } : {}),
          // The development profile's choices (one replica, no PDB, no spread) are told to the availability rules.
          ...(this.profile === EnvironmentProfile.DEVELOPMENT ? { 'shipshape.io/profile': 'development' } : {}),
        },
      }),
      spec: Lazy.any({
        produce: () => ({
          replicas: this.replicas.autoscaled ? undefined : this.replicas.min,
          revisionHistoryLimit: 5,
          selector: { matchLabels: { ...this.selectorLabels } },
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
          template: this._renderPodTemplate({
            terminationGracePeriodSeconds: this.grace,
            spread,
          }),
        } satisfies appsv1.DeploymentSpec),
      }),
    } satisfies appsv1.Deployment);

    this.service = new ApiObject(this, 'Service', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: this._metadata(),
      spec: {
        type: 'ClusterIP',
        selector: { ...this.selectorLabels },
        ports: [
          { name: this.portName, port: this.servicePort, targetPort: this.portName, protocol: 'TCP' },
          ...this.extraPorts.map(ep => ({ name: ep.name, port: ep.port, targetPort: ep.name, protocol: 'TCP' } satisfies corev1.ServicePort)),
        ],
      },
    } satisfies corev1.Service);

    const pdb = props.disruptionBudget ?? defaults.disruptionBudget;
    if (pdb) {
      this.pdb = this._createDisruptionBudget();
    }

    if (this.replicas.autoscaled) {
      this.hpa = new ApiObject(this, 'HorizontalPodAutoscaler', {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: this._metadata({ annotations: this.profile === EnvironmentProfile.DEVELOPMENT ? { 'shipshape.io/profile': 'development' } : undefined }),
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: this.name },
          minReplicas: this.replicas.min,
          maxReplicas: this.replicas.max!,
          metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: this.replicas.targetCpuUtilization } } }],
        },
      } satisfies autoscalingv2.HorizontalPodAutoscaler);
    }

    if (this.profile === EnvironmentProfile.DEVELOPMENT) {
      this.node.addMetadata('shipshape:info', `development profile: ${this.replicas.min} replica(s)${pdb ? '' : ', no PodDisruptionBudget'}${this.hpa ? '' : ', no autoscaler'}: not for production traffic`);
    }
  }

  public get containerPorts(): number[] {
    return [this.port, ...this.extraPorts.map(p => p.port)];
  }

  /** @internal */
  protected _mainPorts(): ContainerPort[] {
    return [{ name: this.portName, port: this.port }, ...this.extraPorts];
  }

  /** @internal */
  protected _mainContainerExtras(): any {
    return {
      ...this.renderProbes(),
      lifecycle: this.preStop > 0 ? { preStop: { exec: { command: ['sleep', String(this.preStop)] } } } : undefined,
    } satisfies Partial<corev1.Container>;
  }

  /**
   * The path of the readiness probe when it is an HTTP GET on the application port (the default `/readyz`), else
   * undefined: a load balancer that sends traffic to the pods checks their health there.
   * @internal
   */
  public _readinessHttpPath(): string | undefined {
    const readiness = (this._props as WebServiceProps).readiness ?? Probe.http('/readyz');
    if (readiness.kind !== 'http' || (readiness.options.port !== undefined && readiness.options.port !== this.port)) return undefined;
    return readiness.path;
  }

  private renderProbes(): Partial<corev1.Container> {
    return renderProbes(this, this._props as WebServiceProps, this.port, this.portName, this.containerPorts);
  }


  private static checkPort(scope: Construct, prop: string, port: number): number {
    if (!Number.isInteger(port) || port < 1024 || port > 65535) {
      fail(scope, prop, port, 'must be a whole number from 1024 to 65535: lower ports need root or added capabilities (rule SS-K8S-021)',
        'listen on a port such as 8080 (the Service can still expose port 80)');
    }
    return port;
  }

  private static resolveReplicas(scope: Construct, given: Replicas | undefined, profile: EnvironmentProfile): Replicas {
    const d = Profiles.availability(profile);
    const development = profile === EnvironmentProfile.DEVELOPMENT;
    if (given !== undefined && (given === null || typeof given !== 'object' || typeof given.autoscaled !== 'boolean')) {
      fail(scope, 'replicas', given, 'must be a Replicas', typeof given === 'number'
        ? `use Replicas.fixed(${given}) for a fixed count, or Replicas.autoscale({ min, max })` : 'use Replicas.fixed(n) or Replicas.autoscale({ min, max })');
    }
    const r = given ?? (d.autoscale ? Replicas.autoscale() : Replicas.fixed(d.minReplicas));
    if (!r.autoscaled) {
      const n = r.min!;
      if (!Number.isInteger(n) || n < 1) {
        fail(scope, 'replicas', n, 'must be a whole number of at least 1',
          development ? 'use Replicas.fixed(1) (the development profile\'s default) or more' : 'use Replicas.fixed(2) or more (outside development, fewer than 2 is a policy warning)');
      }
      return r;
    }
    const min = r.min ?? d.minReplicas;
    const max = r.max ?? Math.max(d.maxReplicas, min + 1);
    const target = r.targetCpuUtilization ?? 70;
    if (!Number.isInteger(min) || min < 1) {
      fail(scope, 'replicas.min', min, 'must be a whole number of at least 1',
        development ? 'use 1 (the development profile\'s default) or more' : 'use 2 or more so one pod can fail (rule SS-K8S-045)');
    }
    // a max that is no count (2.5, NaN, Infinity, -1) is refused as such, before it is compared with min
    if (typeof max !== 'number' || !Number.isInteger(max) || max < 1) {
      const whole = [Math.floor(max), Math.ceil(max)].filter(n => Number.isFinite(n) && n > min);
      fail(scope, 'replicas.max', max, 'must be a whole number of at least 1',
        whole.length ? `use ${whole.join(' or ')}` : `use a count above replicas.min (${min}), for example ${Math.max(d.maxReplicas, min + 1)}`);
    }
    if (min > max) {
      fail(scope, 'replicas.min', min, `must be <= replicas.max (${max})`, 'lower min or raise max');
    }
    if (min === max) {
      fail(scope, 'replicas.max', max, `must be more than replicas.min (${min}) for the autoscaler to have room (rule SS-K8S-045)`, 'raise max, or use Replicas.fixed(n) for a fixed count');
    }
    return Replicas.autoscale({ min, max, targetCpuUtilization: target });
  }
}
