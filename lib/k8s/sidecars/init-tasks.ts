import { ApiObject } from 'cdk8s';
import type * as corev1 from 'kubernetes-types/core/v1';
import { SidecarContainers } from './builder';
import { ISidecar, SidecarBinding, SidecarResources } from './sidecar';
import { fail } from '../../core/errors';
import { INetworkPeer } from '../networking/network-peer';
import type { IWorkload } from '../workloads/workload';

/**
 * Options every init task accepts.
 */
export interface InitTaskOptions {
  /**
   * Resource requests and limits of the task's container.
   *
   * A task that runs a command (`InitTask.run`, `InitTask.renderConfig`) in a shipshape workload gets the app
   * container's requests and limits: a migration run with the app's image needs about what the app needs, and the
   * default sidecar size (64Mi of memory) is too little for most. This costs the pod no room: init
   * tasks run before the app, and the scheduler reserves the larger of an init container's requests and the app
   * containers' sum. Set this to size a task of its own (a small config renderer, for example): it is then the task's
   * whole size, and what it leaves out takes the sidecar defaults below, not the app's values.
   * @default - `waitFor`: cpu 50m (limit 200m), memory 64Mi (limit 64Mi), ephemeral-storage 64Mi (limit 256Mi);
   * `run` and `renderConfig`: the app container's resources (the same small defaults in a workload that is not a
   * shipshape workload)
   */
  readonly resources?: SidecarResources;
  /**
   * The user id the task runs as (10001 or more).
   * @default 10001
   */
  readonly runAsUser?: number;
  /**
   * The group id the task runs as (10001 or more).
   * @default 10001
   */
  readonly runAsGroup?: number;
}

/**
 * Options of a wait-for-dependency task.
 */
export interface WaitForOptions extends InitTaskOptions {
  /** The host to wait for, for example `orders.shop.svc.cluster.local`. */
  readonly host: string;
  /** The TCP port to wait for. */
  readonly port: number;
  /**
   * The dependency as a network peer, so the NetworkPolicy lets the check through: the workload gets an egress rule
   * to the peer on `port`. When the peer is a shipshape workload, the connection is declared on both sides, as the
   * workload's `allowTo(peer)` does (the peer's NetworkPolicy admits the workload too), and on the container port
   * the connection reaches, which is what a NetworkPolicy matches: a port of one of the peer's Services (which
   * `host` names, when it names one) is translated to the container port it targets, a container port (the host
   * being a pod or a headless Service) is kept, and any other port is refused.
   * @default - no egress rule is added (declare one with the workload's `allowTo`; synth prints a note when no egress
   * rule of the workload allows `port`, since the pods would never start)
   */
  readonly peer?: INetworkPeer;
  /**
   * An image with `sh`, `nc` (with `-z`), `date` and `sleep`.
   * @default "busybox:1.36.1"
   */
  readonly image?: string;
  /**
   * Seconds between attempts.
   * @default 2
   */
  readonly intervalSeconds?: number;
  /**
   * Seconds after which the task gives up: it prints which host and port it waited for and exits with an error.
   * The pod then shows the failure (`Init:Error`, then `Init:CrashLoopBackOff` while the kubelet restarts the task
   * with a growing delay) instead of waiting in `Init` without a sign; in a Job, whose pods are not restarted, the
   * attempt fails and counts against the Job's retries.
   * @default 600
   */
  readonly timeoutSeconds?: number;
}

/**
 * Options of a task that runs a command (migrations, config rendering).
 */
export interface RunTaskOptions extends InitTaskOptions {
  /** The task's image. */
  readonly image: string;
  /**
   * The entrypoint.
   * @default - the image's entrypoint
   */
  readonly command?: string[];
  /**
   * The arguments.
   * @default - the image's command
   */
  readonly args?: string[];
  /**
   * Environment variables (literal, non-secret values only).
   * @default - none
   */
  readonly env?: { [key: string]: string };
  /**
   * Give the task the app container's configuration: its `env` and `envFromConfigMaps`, and its `secretMounts` and
   * `configMapMounts` at the same paths, read-only. A migration run with the app's image usually needs them (the
   * database address and credentials). The task's own `env` wins over an app variable of the same name. Only in a
   * shipshape workload.
   * @default false
   */
  readonly shareAppConfig?: boolean;
}

/**
 * Options of a task that renders configuration files for the app.
 */
export interface RenderConfigOptions extends RunTaskOptions {
  /**
   * The directory the task writes to. An emptyDir is mounted there in the task (read-write) and in the
   * app (read-only).
   */
  readonly outputPath: string;
}

/**
 * One init task: wait for a dependency, run a migration, render configuration.
 */
export class InitTask {
  /**
   * Waits until `host:port` accepts TCP connections.
   *
   * Not in a pod enrolled in a service mesh (refused at synth): the pod's connections go to its mesh proxy, which
   * accepts them itself, so the wait would end at once. There, wait with `InitTask.run` and a command that speaks the
   * dependency's protocol (for example `until pg_isready -h db -p 5432; do sleep 2; done`).
   */
  public static waitFor(name: string, options: WaitForOptions): InitTask {
    return new InitTask(name, 'wait', options);
  }

  /**
   * Runs a command to completion, for example a database migration. Set `shareAppConfig` for the app's env, secrets
   * and ConfigMaps (a migration needs the database credentials the app has).
   *
   * It runs in every pod the workload starts: each replica, and again on every restart and rollout, so replicas
   * starting together run it at the same time. A migration there must be safe to run concurrently (most migration
   * tools take a lock in the database); one that is not belongs in a `Job`, run once per release (an Argo CD Sync hook).
   */
  public static run(name: string, options: RunTaskOptions): InitTask {
    return new InitTask(name, 'run', options);
  }

  /**
   * Renders configuration files into a directory the app then reads.
   */
  public static renderConfig(name: string, options: RenderConfigOptions): InitTask {
    return new InitTask(name, 'render', options);
  }

  /** The task's container name. */
  public readonly name: string;
  /** `wait`, `run` or `render`. */
  public readonly kind: string;
  private readonly options: any;

  private constructor(name: string, kind: string, options: any) {
    this.name = name;
    this.kind = kind;
    this.options = options;
  }

  /** @internal */
  public _render(workload: IWorkload, prop: string, out: { containers: any[]; volumes: any[]; appMounts: any[]; egress: any[] }): void {
    const o = this.options;
    SidecarContainers.name(workload, `${prop}.name`, this.name);
    const tmp = SidecarContainers.tmp(this.name);
    const mounts: corev1.VolumeMount[] = [tmp.mount];
    out.volumes.push(tmp.volume);
    let image: string;
    let command: string[] | undefined;
    let args: string[] | undefined;
    if (this.kind === 'wait') {
      const w = o as WaitForOptions;
      if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(w.host ?? '')) {
        fail(workload, `${prop}.host`, w.host, 'must be a DNS name or an IP address', 'use for example "orders.shop.svc.cluster.local"');
      }
      if (!Number.isInteger(w.port) || w.port < 1 || w.port > 65535) {
        fail(workload, `${prop}.port`, w.port, 'must be a whole number from 1 to 65535', 'use the port the dependency listens on');
      }
      const interval = w.intervalSeconds ?? 2;
      if (!Number.isInteger(interval) || interval < 1) {
        fail(workload, `${prop}.intervalSeconds`, interval, 'must be a whole number of at least 1', 'use for example 2');
      }
      const timeout = w.timeoutSeconds ?? 600;
      if (!Number.isInteger(timeout) || timeout < 1) {
        fail(workload, `${prop}.timeoutSeconds`, timeout, 'must be a whole number of at least 1', 'use for example 600 (ten minutes)');
      }
      image = w.image ?? 'busybox:1.36.1';
      const target = `${w.host}:${w.port}`;
      command = ['sh', '-c', `deadline=$(($(date +%s)+${timeout})); until nc -z -w 2 ${w.host} ${w.port}; do `
        + `if [ "$(date +%s)" -ge "$deadline" ]; then echo "gave up waiting for ${target} after ${timeout} s" >&2; exit 1; fi; `
        + `echo waiting for ${target}; sleep ${interval}; done`];
      if (w.peer) out.egress.push({ peer: w.peer, ports: [isWorkload(w.peer) ? targetPort(workload, `${prop}.port`, w.peer as unknown as IWorkload, w.host, w.port) : w.port] });
      else (workload as any)._waitWithoutPeer?.(this.name, w.host, w.port, () => namedWorkload(workload, w.host));
    } else {
      const r = o as RunTaskOptions;
      image = r.image;
      command = r.command;
      args = r.args;
      if (r.shareAppConfig === true) {
        if (typeof (workload as any)._shareAppConfigWith !== 'function') {
          fail(workload, `${prop}.shareAppConfig`, true, 'needs a shipshape workload (WebService, Worker, StatefulService, Job, ScheduledJob), whose app container it copies',
            'leave shareAppConfig unset, and give the task what it needs through env');
        }
        (workload as any)._shareAppConfigWith(this.name);
      }
      if (this.kind === 'render') {
        const path = SidecarContainers.path(workload, `${prop}.outputPath`, (o as RenderConfigOptions).outputPath, `/etc/${workload.name}`);
        const vol = `${this.name}-out`.slice(0, 63);
        out.volumes.push({ name: vol, emptyDir: { sizeLimit: '16Mi' } } satisfies corev1.Volume);
        mounts.push({ name: vol, mountPath: path });
        out.appMounts.push(SidecarContainers.appMount({ name: vol, mountPath: path, readOnly: true } satisfies corev1.VolumeMount, `${prop}.outputPath`));
      }
    }
    // a task running the app's work (a migration) is sized like the app unless told otherwise (see InitTaskOptions.resources)
    const appSized = this.kind !== 'wait' && o.resources === undefined && typeof (workload as any)._mainContainerResources === 'function'
      ? (workload as any)._mainContainerResources() : undefined;
    out.containers.push(SidecarContainers.build(workload, {
      name: this.name,
      image,
      command,
      args,
      env: this.kind === 'wait' ? undefined : (o as RunTaskOptions).env,
      mounts,
      resources: appSized,
      options: o,
      prop,
      // a task has no mounts of its own: it reads the app's Secrets through shareAppConfig
      secretFix: 'store it in a Secret the app reads (its env with EnvValue.fromSecretKey, or its secretMounts) and set the task\'s shareAppConfig: true, so the task gets it as the app does',
    }));
  }
}

/** True when `x` is a shipshape workload (as `Workload.isWorkload`, also one made by another copy of the library). */
function isWorkload(x: any): boolean {
  return x !== null && typeof x === 'object' && x[Symbol.for('shipshape.Workload')] === true;
}

/**
 * The shipshape workload of the app whose Service `host` names, with the advice a synth note about a blocked wait gives:
 * the workload as the task's `peer`, or `allowTo` it (an address range would be a guess). `host` is `<service>`
 * (in the waiting workload's namespace), `<service>.<namespace>[.svc[.<cluster domain>]]`, or a pod of a headless
 * Service, `<pod>.<service>.<namespace>.svc[...]`. Looked up at synth, when every workload of the app exists.
 */
function namedWorkload(from: IWorkload, host: string): { peer: INetworkPeer; advice: string } | undefined {
  const labels = host.split('.');
  const wanted: Array<[string, string]> = [];
  if (labels.length === 1) wanted.push([labels[0], from.namespace]);
  else if (labels.length === 2 || labels[2] === 'svc') wanted.push([labels[0], labels[1]]);
  if (labels.length >= 4 && labels[3] === 'svc') wanted.push([labels[1], labels[2]]);
  for (const c of from.node.root.node.findAll()) {
    if (!isWorkload(c)) continue;
    const peer = c as unknown as IWorkload;
    const service = peer.node.children.find(x => ApiObject.isApiObject(x) && x.kind === 'Service' && x.apiVersion === 'v1'
      && wanted.some(([name, ns]) => name === x.name && ns === peer.namespace)) as ApiObject | undefined;
    if (service === undefined) continue;
    // the construct's id, as the variable that holds it is most often called
    const ref = /^[A-Za-z_$][\w$]*$/.test(peer.node.id) ? peer.node.id : peer.node.id.replace(/[^A-Za-z0-9]+(.)?/g, (_m, ch: string | undefined) => (ch ?? '').toUpperCase()) || 'peer';
    return {
      peer,
      advice: `${JSON.stringify(host)} names the Service ${peer.namespace}/${service.name} of ${peer.constructor.name} ${peer.node.path}: `
        + `give the task its \`peer\` (peer: ${ref}), or declare the connection with allowTo (allowTo(${ref}))`,
    };
  }
  return undefined;
}

/** A port of one of a workload's Services and the container port it sends connections to. */
interface ServicePortTarget {
  readonly service: string;
  readonly headless: boolean;
  readonly port: number;
  readonly target: number | undefined;
}

/** The ports of every Service a shipshape workload made, with the container ports they target. */
function servicePortsOf(peer: IWorkload): ServicePortTarget[] {
  const named = new Map<string, number>(((peer as any)._mainPorts?.() ?? []).map((p: { name: string; port: number }) => [p.name, p.port]));
  const out: ServicePortTarget[] = [];
  for (const child of peer.node.children) {
    if (!ApiObject.isApiObject(child) || child.kind !== 'Service' || child.apiVersion !== 'v1') continue;
    const svc = child.toJson() as corev1.Service;
    for (const sp of svc.spec?.ports ?? []) {
      const t = sp.targetPort ?? sp.port;
      out.push({ service: svc.metadata?.name ?? '', headless: svc.spec?.clusterIP === 'None', port: sp.port, target: typeof t === 'number' ? t : named.get(t) });
    }
  }
  return out;
}

/**
 * The container port a wait for `host:port` reaches on `peer`, a shipshape workload: a NetworkPolicy matches the
 * pod's port, after a Service has translated its own port to its target port.
 */
function targetPort(workload: IWorkload, prop: string, peer: IWorkload, host: string, port: number): number {
  const own = peer.containerPorts;
  const services = servicePortsOf(peer);
  const shown = (list: ServicePortTarget[]) => list.map(s => (s.target === s.port ? `${s.port}` : `${s.port} (to container port ${s.target})`)).join(', ');
  const labels = host.split('.');
  // `name`, `name.namespace`, `name.namespace.svc...`: a Service of the peer, unless it is headless (pod IPs, no translation)
  const named = services.filter(s => s.service === labels[0] && (labels.length === 1 || labels[1] === peer.namespace));
  if (named.length && !named[0].headless) {
    const hit = named.find(s => s.port === port);
    if (hit?.target !== undefined) return hit.target;
    fail(workload, prop, port, `is not a port of Service ${peer.namespace}/${labels[0]}, which ${JSON.stringify(host)} names and which exposes ${shown(named)}: the wait would never connect`,
      `use port ${named[0].port}, the Service's port (its NetworkPolicy rule is written for the container port it targets)`);
  }
  if (own.includes(port)) return port;
  const hit = services.find(s => !s.headless && s.port === port && s.target !== undefined);
  if (hit && named.length === 0) return hit.target!;
  const clusterIp = services.filter(s => !s.headless);
  fail(workload, prop, port, `is neither a port of ${peer.node.path}'s Service${clusterIp.length ? ` (${shown(clusterIp)})` : 's (none)'} nor one of its container ports (${own.join(', ') || 'none'}), `
    + 'so the wait would never connect and a NetworkPolicy rule for it would never match',
  `wait on a Service port through the Service's name${clusterIp.length ? ` (${clusterIp[0].service}.${peer.namespace}.svc.cluster.local:${clusterIp[0].port})` : ''}, or on a container port through a pod or headless Service name`);
}

/**
 * Properties of InitTasks.
 */
export interface InitTasksProps {
  /** The tasks, in the order they run (each must succeed before the next starts). */
  readonly tasks: InitTask[];
  /**
   * A name for the group (used in error messages).
   * @default "init"
   */
  readonly name?: string;
}

/**
 * Ordered init containers: wait for dependencies, run migrations, render configuration.
 * They run before the app starts (and, on Kubernetes 1.29+, after native sidecars such as an ambassador proxy
 * have started, so a migration can use the proxy).
 */
export class InitTasks implements ISidecar {
  public readonly name: string;
  /** The tasks, in order. */
  public readonly tasks: InitTask[];

  constructor(props: InitTasksProps) {
    this.name = props.name ?? 'init';
    this.tasks = [...props.tasks];
  }

  public bind(workload: IWorkload): SidecarBinding {
    if (this.tasks.length === 0) {
      fail(workload, `sidecars.${this.name}.tasks`, [], 'must hold at least one task', 'add InitTask.waitFor(...), InitTask.run(...) or InitTask.renderConfig(...)');
    }
    const out = { containers: [] as any[], volumes: [] as any[], appMounts: [] as any[], egress: [] as any[] };
    this.tasks.forEach((t, i) => t._render(workload, `sidecars.${this.name}.tasks[${i}]`, out));
    return { initContainers: out.containers, volumes: out.volumes, appVolumeMounts: out.appMounts, egress: out.egress };
  }
}
