import { IConstruct } from 'constructs';
import type * as corev1 from 'kubernetes-types/core/v1';
import { fail } from '../../core/errors';

/** Where each workload declares a port besides its main one, for the fix of a probe on an undeclared port. */
const PORT_PROPS: { [construct: string]: string } = {
  WebService: ' (extraPorts)',
  Worker: ' (healthPort)',
  NodeAgent: ' (ports)',
  StatefulService: ' (extraPorts)',
};

/** The `PORT_PROPS` hint for a workload construct, also one of a subclass (a team's own construct). */
function portsHint(scope: unknown): string {
  for (let p = scope === null || typeof scope !== 'object' ? null : Object.getPrototypeOf(scope); p; p = Object.getPrototypeOf(p)) {
    const hint = PORT_PROPS[p.constructor?.name];
    if (hint !== undefined) return hint;
  }
  return '';
}

/**
 * Timing options shared by every probe kind.
 */
export interface ProbeOptions {
  /**
   * The container port the probe targets (HTTP and TCP probes).
   * @default - the workload's main container port
   */
  readonly port?: number;
  /**
   * Seconds after the container starts before the first probe.
   * @default 0 (use a startup probe for slow starters instead of a long delay)
   */
  readonly initialDelaySeconds?: number;
  /**
   * Seconds between probes.
   * @default 10
   */
  readonly periodSeconds?: number;
  /**
   * Seconds after which a probe times out.
   * @default 2
   */
  readonly timeoutSeconds?: number;
  /**
   * Consecutive failures before the probe counts as failed.
   * @default 3 (30 for startup probes, allowing about 5 minutes to start)
   */
  readonly failureThreshold?: number;
}

/**
 * Options of a gRPC probe.
 */
export interface GrpcProbeOptions extends ProbeOptions {
  /**
   * The service name the probe asks the gRPC Health Checking Protocol about (`grpc.health.v1.Health/Check`). Give
   * readiness and liveness different services (for example `readiness` and `liveness`) when the server reports them
   * apart: the same service on the same port is the same check (rule SS-K8S-035).
   * @default - the server's overall health (the empty service name)
   */
  readonly service?: string;
}

/**
 * A readiness, liveness or startup probe: HTTP GET, gRPC health check, TCP socket or a command.
 */
export class Probe {
  /**
   * An HTTP GET probe on `path` (must start with `/`), on the named main port unless `options.port` says otherwise.
   */
  public static http(path: string, options?: ProbeOptions): Probe {
    return new Probe('http', path, undefined, options ?? {});
  }

  /**
   * A gRPC health check (the gRPC Health Checking Protocol, `grpc.health.v1.Health/Check`) on the main port (or
   * `options.port`), for a server that speaks gRPC only and answers no HTTP GET. The kubelet sends it itself
   * (Kubernetes 1.27+, shipshape's lowest target): no probe binary in the image. The port is written as a number,
   * as the Kubernetes API requires for gRPC probes. Istio rewrites such probes through its agent; Linkerd authorizes
   * the kubelet's HTTP probes only, so a LinkerdMesh refuses gRPC probes on a port only meshed callers may reach.
   */
  public static grpc(options?: GrpcProbeOptions): Probe {
    return new Probe('grpc', undefined, undefined, options ?? {});
  }

  /**
   * A TCP connect probe on the main port (or `options.port`). Under Linkerd it checks nothing: the pod's Linkerd proxy
   * accepts every TCP connection to the pod's ports itself, so the probe passes even when the app is hung or not
   * listening (a LinkerdMesh notes such probes at synth); there, probe with a command (`Probe.exec(['pg_isready'])`
   * for PostgreSQL), HTTP or gRPC instead. Istio rewrites the probe through its agent, which connects to the app.
   */
  public static tcp(options?: ProbeOptions): Probe {
    return new Probe('tcp', undefined, undefined, options ?? {});
  }

  /**
   * A probe that runs `command` in the container; exit status 0 is healthy.
   */
  public static exec(command: string[], options?: ProbeOptions): Probe {
    return new Probe('exec', undefined, command, options ?? {});
  }

  /** `http`, `grpc`, `tcp` or `exec`. */
  public readonly kind: string;
  /** The HTTP path, for HTTP probes. */
  public readonly path?: string;
  /** The command, for exec probes. */
  public readonly command?: string[];
  /** The timing options. */
  public readonly options: ProbeOptions;

  private constructor(kind: string, path: string | undefined, command: string[] | undefined, options: ProbeOptions) {
    this.kind = kind;
    this.path = path;
    this.command = command;
    this.options = options;
  }

  /**
   * Validates the probe and renders it as a Kubernetes Probe object.
   * A probe on the main port is rendered against the port's name (so the port is declared, rule SS-K8S-036).
   * @internal
   */
  public _render(scope: IConstruct, prop: string, mainPort: number | undefined, mainPortName: string | undefined,
    declaredPorts: number[], isStartup: boolean): any {
    const o = this.options;
    for (const [k, v] of Object.entries({ initialDelaySeconds: o.initialDelaySeconds, periodSeconds: o.periodSeconds, timeoutSeconds: o.timeoutSeconds, failureThreshold: o.failureThreshold })) {
      if (v !== undefined && (!Number.isInteger(v) || v < (k === 'initialDelaySeconds' ? 0 : 1))) {
        fail(scope, `${prop}.${k}`, v, `must be a whole number of at least ${k === 'initialDelaySeconds' ? 0 : 1}`, `set ${k} to a positive whole number`);
      }
    }
    const timing: corev1.Probe = {
      initialDelaySeconds: o.initialDelaySeconds,
      periodSeconds: o.periodSeconds ?? 10,
      timeoutSeconds: o.timeoutSeconds ?? 2,
      failureThreshold: o.failureThreshold ?? (isStartup ? 30 : 3),
    };
    if (timing.initialDelaySeconds === undefined) delete timing.initialDelaySeconds;
    let port!: number | string; // set below for HTTP and TCP probes, the only ones that use it
    if (this.kind !== 'exec') {
      const p = o.port ?? mainPort;
      if (p === undefined) {
        fail(scope, `${prop}.port`, p, 'is required: this workload has no main port to probe', 'pass { port } in the probe options or use Probe.exec(...)');
      }
      if (!declaredPorts.includes(p)) {
        fail(scope, `${prop}.port`, p, `is not a port the container declares (${declaredPorts.join(', ') || 'none'}) (rule SS-K8S-036)`,
          prop.startsWith('sidecars.')
            // a sidecar's ports are its own: the workload's props declare the app container's
            ? 'probe a port the sidecar declares, or declare its health port on the sidecar (AmbassadorProxy healthPort)'
            : `probe a declared container port, or declare the port first${portsHint(scope)}`);
      }
      port = p === mainPort && mainPortName ? mainPortName : p;
    }
    switch (this.kind) {
      case 'http':
        if (!this.path || !this.path.startsWith('/')) {
          fail(scope, `${prop}.path`, this.path, "must start with '/'", `write it as ${JSON.stringify('/' + (this.path ?? '').replace(/^\/*/, ''))}`);
        }
        return { httpGet: { path: this.path, port }, ...timing } satisfies corev1.Probe;
      case 'grpc': {
        const service = (o as GrpcProbeOptions).service;
        if (service !== undefined && typeof service !== 'string') {
          fail(scope, `${prop}.service`, service, 'must be a string (a service name of the gRPC health protocol)', 'give the service name, or leave service out for the server\'s overall health');
        }
        // the API takes a port number only for gRPC probes (no port name)
        const grpc: corev1.GRPCAction = { port: o.port ?? mainPort!, ...(service !== undefined && service !== '' ? { service } : {}) };
        return { grpc, ...timing } satisfies corev1.Probe;
      }
      case 'tcp':
        return { tcpSocket: { port }, ...timing } satisfies corev1.Probe;
      default:
        if (!this.command || this.command.length === 0) {
          fail(scope, `${prop}.command`, this.command, 'must be a non-empty command', 'pass the command and its arguments, for example ["/bin/healthcheck"]');
        }
        return { exec: { command: [...this.command] }, ...timing } satisfies corev1.Probe;
    }
  }

  /**
   * A key identifying what the probe checks (for the readiness/liveness distinctness check).
   * @internal
   */
  public _identity(mainPort: number | undefined): string {
    switch (this.kind) {
      case 'http': return `http ${this.options.port ?? mainPort} ${this.path}`;
      case 'grpc': return `grpc ${this.options.port ?? mainPort} ${JSON.stringify((this.options as GrpcProbeOptions).service ?? '')}`;
      case 'tcp': return `tcp ${this.options.port ?? mainPort}`;
      default: return `exec ${JSON.stringify(this.command)}`;
    }
  }
}
