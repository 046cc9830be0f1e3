import { NetworkConnection } from '../networking/network-peer';
import type { IWorkload } from '../workloads/workload';

/**
 * What a sidecar adds to a pod. Containers, volumes and mounts are Kubernetes JSON objects (as in a manifest), already hardened.
 */
export interface SidecarBinding {
  /**
   * Long-running containers beside the app. On Kubernetes 1.29+ targets they become native sidecars
   * (init containers with `restartPolicy: Always`, started before the app and stopped after it);
   * on older targets they are regular containers, which a Job or ScheduledJob refuses (they would keep its pod
   * running after the app exits, so the job would never complete).
   * @default - none
   */
  readonly containers?: { [key: string]: any }[];
  /**
   * Run-to-completion init containers, in the order they must run.
   * @default - none
   */
  readonly initContainers?: { [key: string]: any }[];
  /**
   * Pod volumes the containers use.
   * @default - none
   */
  readonly volumes?: { [key: string]: any }[];
  /**
   * Volume mounts added to the app (main) container, for example a shared log directory.
   * @default - none
   */
  readonly appVolumeMounts?: { [key: string]: any }[];
  /**
   * Callers allowed to reach the sidecar's ports (added to the workload's NetworkPolicy).
   * @default - none
   */
  readonly ingress?: NetworkConnection[];
  /**
   * Destinations the sidecar connects to (added to the workload's NetworkPolicy).
   * @default - none
   */
  readonly egress?: NetworkConnection[];
}

/**
 * A container pattern that any shipshape workload accepts with `addSidecar(...)`:
 * log shipper, metrics adapter, ambassador proxy, init tasks.
 */
export interface ISidecar {
  /** The sidecar's name (its container name, or the prefix of its init containers' names). */
  readonly name: string;
  /**
   * Validates the sidecar against `workload` and returns what it adds to the pod. Called once, by `addSidecar`.
   */
  bind(workload: IWorkload): SidecarBinding;
}

/**
 * Resource requests and limits of a sidecar container (memory limit = request unless set).
 */
export interface SidecarResources {
  /**
   * CPU request. A number without a unit counts cores: more than 64 cores written that way (`"500"`) is refused as
   * a missing `m`; write millicores (`"96000m"`) for a container that really needs more.
   * @default "50m"
   */
  readonly cpu?: string;
  /**
   * CPU limit. Like `cpu`, more than 64 cores is refused unless written in millicores.
   * @default "200m"
   */
  readonly cpuLimit?: string;
  /**
   * Memory request, also the memory limit unless `memoryLimit` is set.
   * @default "64Mi"
   */
  readonly memory?: string;
  /**
   * Memory limit, at least the request.
   * @default - equal to `memory`
   */
  readonly memoryLimit?: string;
  /**
   * Ephemeral-storage request.
   * @default "64Mi"
   */
  readonly ephemeralStorage?: string;
  /**
   * Ephemeral-storage limit.
   * @default "256Mi"
   */
  readonly ephemeralStorageLimit?: string;
}

/**
 * Options every sidecar accepts.
 */
export interface SidecarOptions {
  /**
   * The container name (an RFC 1123 label, unique in the pod).
   * @default - the sidecar kind's name, for example "log-shipper"
   */
  readonly name?: string;
  /**
   * Resource requests and limits.
   * @default - cpu 50m (limit 200m), memory 64Mi (limit 64Mi), ephemeral-storage 64Mi (limit 256Mi)
   */
  readonly resources?: SidecarResources;
  /**
   * The user id the container runs as (10001 or more, rule SS-K8S-005 in docs/rules.md).
   * @default 10001
   */
  readonly runAsUser?: number;
  /**
   * The group id the container runs as (10001 or more).
   * @default 10001
   */
  readonly runAsGroup?: number;
}
