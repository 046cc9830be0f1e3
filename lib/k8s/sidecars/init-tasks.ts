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
   * @default - cpu 50m (limit 200m), memory 64Mi (limit 64Mi), ephemeral-storage 64Mi (limit 256Mi)
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
   * The dependency as a network peer, so the NetworkPolicy lets the check through.
   * @default - no egress rule is added (declare one with the workload's `allowTo`)
   */
  readonly peer?: INetworkPeer;
  /**
   * An image with `sh`, `nc` and `sleep`.
   * @default "busybox:1.36.1"
   */
  readonly image?: string;
  /**
   * Seconds between attempts.
   * @default 2
   */
  readonly intervalSeconds?: number;
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
   */
  public static waitFor(name: string, options: WaitForOptions): InitTask {
    return new InitTask(name, 'wait', options);
  }

  /**
   * Runs a command to completion, for example a database migration.
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
      image = w.image ?? 'busybox:1.36.1';
      command = ['sh', '-c', `until nc -z -w 2 ${w.host} ${w.port}; do echo waiting for ${w.host}:${w.port}; sleep ${interval}; done`];
      if (w.peer) out.egress.push({ peer: w.peer, ports: [w.port] });
    } else {
      const r = o as RunTaskOptions;
      image = r.image;
      command = r.command;
      args = r.args;
      if (this.kind === 'render') {
        const path = SidecarContainers.path(workload, `${prop}.outputPath`, (o as RenderConfigOptions).outputPath);
        const vol = `${this.name}-out`.slice(0, 63);
        out.volumes.push({ name: vol, emptyDir: { sizeLimit: '16Mi' } } satisfies corev1.Volume);
        mounts.push({ name: vol, mountPath: path });
        out.appMounts.push({ name: vol, mountPath: path, readOnly: true } satisfies corev1.VolumeMount);
      }
    }
    out.containers.push(SidecarContainers.build(workload, {
      name: this.name,
      image,
      command,
      args,
      env: this.kind === 'wait' ? undefined : (o as RunTaskOptions).env,
      mounts,
      options: o,
      prop,
    }));
  }
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
