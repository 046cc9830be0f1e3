import { Construct, IConstruct } from 'constructs';
import type * as corev1 from 'kubernetes-types/core/v1';
import { SidecarOptions, SidecarResources } from './sidecar';
import { fail } from '../../core/errors';
import { ImageRef } from '../../core/image';
import { Names } from '../../core/names';
import { MemoryQuantity } from '../../core/quantity';
import { Validators } from '../../core/validators';
import { parseContainerCpu } from '../workloads/checks';
import { Probe } from '../workloads/probe';
import type { IWorkload } from '../workloads/workload';

/** @internal */
export interface ContainerSpec {
  readonly name: string;
  readonly image: string;
  readonly command?: string[];
  readonly args?: string[];
  readonly env?: { [key: string]: string };
  /** The ports; `nameProp` is the prop that names a port (for errors), unset for a name the sidecar fixes itself. */
  readonly ports?: Array<{ name: string; port: number; nameProp?: string }>;
  readonly readiness?: Probe;
  readonly liveness?: Probe;
  readonly mounts?: any[];
  /** Resources already validated (they then replace `options.resources` and the sidecar defaults). */
  readonly resources?: any;
  readonly options: SidecarOptions;
  readonly prop: string;
  /** The fix for a plaintext secret in `env`, when the container has a better route than its own mounts. */
  readonly secretFix?: string;
}

/**
 * Builds hardened sidecar containers (security context, resources, images and probes: rules SS-K8S-001 … SS-K8S-036 in docs/rules.md). Not exported from the barrel.
 * @internal
 */
export class SidecarContainers {
  /**
   * The prop that named a port of a container `build` made (`sidecars.<name>.portName`), for the workload's errors;
   * undefined for a name the sidecar fixes itself, or a container made otherwise.
   */
  public static portNameProp(container: object, portName: string): string | undefined {
    return PORT_NAME_PROPS.get(container)?.get(portName);
  }

  /**
   * Marks ports of a container `build` made as the pod's own (the app connects over localhost, the kubelet probes
   * them): no other pod may be admitted to them (`allowFrom` refuses them), and they count for port clashes whether
   * the container declares them or not (a proxy listening for the app on localhost need not declare its port).
   */
  public static podOnly<T extends object>(container: T, ports: number[]): T {
    POD_ONLY_PORTS.set(container, [...ports]);
    return container;
  }

  /** The ports `podOnly` marked on a container (none for a container of a sidecar of your own). */
  public static podOnlyPorts(container: object): number[] {
    return POD_ONLY_PORTS.get(container) ?? [];
  }

  /** Marks an app volume mount a sidecar adds with the prop that sets its path (`sidecars.logs.logDirectory`), for errors. */
  public static appMount<T extends object>(mount: T, prop: string): T {
    MOUNT_PROPS.set(mount, prop);
    return mount;
  }

  /** The prop `appMount` marked an app volume mount with; undefined for one of a sidecar of your own. */
  public static mountProp(mount: object): string | undefined {
    return MOUNT_PROPS.get(mount);
  }

  /** Validates a sidecar/container name. */
  public static name(scope: IConstruct, prop: string, value: string): string {
    return Names.dnsLabel(scope, prop, value, 63);
  }

  /** Validates a port number (1024-65535, no privileged ports). */
  public static port(scope: IConstruct, prop: string, port: number): number {
    if (!Number.isInteger(port) || port < 1024 || port > 65535) {
      fail(scope, prop, port, 'must be a whole number from 1024 to 65535: lower ports need root or added capabilities (rule SS-K8S-021)', 'use a port such as 9102');
    }
    return port;
  }

  /**
   * Fails because a sidecar port is already used in the pod. `prop` is the sidecar's prop that sets the port
   * (`sidecars.<name>.monitoringPort`), which the fix names; `owner` says who listens on it, `taken` every port of
   * the pod (for a free port to suggest).
   */
  public static clash(scope: IConstruct, prop: string, port: number, owner?: string, taken: readonly number[] = [port]): never {
    const setting = prop.slice(prop.lastIndexOf('.') + 1);
    let free = port + 1;
    while (free <= 65535 && taken.includes(free)) free++;
    return fail(scope, prop, port, `is already a port of the pod${owner ? `, where ${owner} listens on it` : ''} (containers share one network namespace)`,
      `set ${setting} to a port no other container listens on${free <= 65535 ? `, for example ${free}` : ''}`);
  }

  /**
   * Fails (`clash`) when `port`, set by the sidecar's `prop`, is already a port of the pod: the app container's, or
   * a sidecar's added before. Checked in `bind`, before the sidecar creates anything, so the error names the prop the
   * user sets. A port of a sidecar of the same name is left to the workload, which refuses the name itself.
   */
  public static freePort(workload: IWorkload, prop: string, sidecarName: string, port: number): number {
    const w = workload as IWorkload & { _podPorts?: () => Array<{ port: number; prop: string }> };
    const ports = typeof w._podPorts === 'function' ? w._podPorts() : workload.containerPorts.map(p => ({ port: p, prop: 'port' }));
    const hit = ports.find(p => p.port === port);
    if (hit === undefined) return port;
    const sidecar = /^sidecars\.(.+)\.[^.]+$/.exec(hit.prop)?.[1];
    if (sidecar === sidecarName) return port;
    return SidecarContainers.clash(workload, prop, port, sidecar !== undefined ? `sidecar ${sidecar}` : 'the app container', ports.map(p => p.port));
  }

  /**
   * Validates an absolute path. `example` is the path a missing one's error suggests.
   */
  public static path(scope: IConstruct, prop: string, value: string, example: string): string {
    return Validators._absolutePath(scope, prop, value, example);
  }

  /** A hardened container (validated). `scope` is the workload. */
  public static build(scope: IConstruct, spec: ContainerSpec): any {
    const o = spec.options;
    const uid = SidecarContainers.id(scope, `${spec.prop}.runAsUser`, o.runAsUser ?? 10001);
    const gid = SidecarContainers.id(scope, `${spec.prop}.runAsGroup`, o.runAsGroup ?? 10001);
    const image = ImageRef.parse(spec.image, {}, scope, `${spec.prop}.image`);
    const ports = spec.ports ?? [];
    const declared = ports.map(p => p.port);
    const main = ports[0];
    const env = Object.entries(spec.env ?? {}).map(([name, value]) => {
      const secret = Validators.plaintextSecret(name, value);
      if (secret) {
        fail(scope, `${spec.prop}.env.${name}`, '<redacted>', `looks like a plaintext secret (${secret}), which anyone who can read the manifest could read (rule SS-K8S-062)`,
          spec.secretFix ?? 'store it in a Secret and have the container read it from a mounted file');
      }
      return { name, value } satisfies corev1.EnvVar;
    });
    const c: corev1.Container = {
      name: spec.name,
      image: image.toString(),
      imagePullPolicy: 'Always',
      command: spec.command ? [...spec.command] : undefined,
      args: spec.args ? [...spec.args] : undefined,
      ports: ports.length ? ports.map(p => ({ name: p.name, containerPort: p.port, protocol: 'TCP' } satisfies corev1.ContainerPort)) : undefined,
      env: env.length ? env : undefined,
      resources: spec.resources ?? SidecarContainers.resources(scope, `${spec.prop}.resources`, o.resources ?? {}),
      readinessProbe: spec.readiness?._render(scope, `${spec.prop}.readiness`, main?.port, main?.name, declared, false),
      livenessProbe: spec.liveness?._render(scope, `${spec.prop}.liveness`, main?.port, main?.name, declared, false),
      securityContext: {
        allowPrivilegeEscalation: false,
        privileged: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        runAsUser: uid,
        runAsGroup: gid,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      },
      volumeMounts: spec.mounts && spec.mounts.length ? spec.mounts : undefined,
    };
    for (const k of Object.keys(c) as Array<Exclude<keyof corev1.Container, 'name'>>) if (c[k] === undefined) delete c[k];
    const named = ports.filter(p => p.nameProp !== undefined);
    if (named.length > 0) PORT_NAME_PROPS.set(c, new Map(named.map(p => [p.name, p.nameProp!])));
    return c;
  }

  /** Validated resources. */
  public static resources(scope: IConstruct, prop: string, r: SidecarResources): any {
    // the texts as written (or the defaults), quoted in the comparison errors: the parsed quantities print normalized
    const text = {
      cpu: r.cpu ?? '50m',
      cpuLimit: r.cpuLimit ?? '200m',
      memory: r.memory ?? '64Mi',
      ephemeralStorage: r.ephemeralStorage ?? '64Mi',
      ephemeralStorageLimit: r.ephemeralStorageLimit ?? '256Mi',
    };
    const cpu = parseContainerCpu(scope, `${prop}.cpu`, text.cpu);
    const cpuLimit = parseContainerCpu(scope, `${prop}.cpuLimit`, text.cpuLimit);
    const mem = MemoryQuantity.parse(text.memory, scope, `${prop}.memory`);
    const memLimit = r.memoryLimit ? MemoryQuantity.parse(r.memoryLimit, scope, `${prop}.memoryLimit`) : mem;
    const eph = MemoryQuantity.parse(text.ephemeralStorage, scope, `${prop}.ephemeralStorage`);
    const ephLimit = MemoryQuantity.parse(text.ephemeralStorageLimit, scope, `${prop}.ephemeralStorageLimit`);
    if (cpu.compare(cpuLimit) > 0) fail(scope, `${prop}.cpu`, text.cpu, `must be <= ${prop}.cpuLimit (${text.cpuLimit})`, 'lower the request or raise the limit');
    if (mem.compare(memLimit) > 0) fail(scope, `${prop}.memory`, text.memory, `must be <= ${prop}.memoryLimit (${r.memoryLimit})`, 'lower the request or raise the limit');
    if (eph.compare(ephLimit) > 0) {
      fail(scope, `${prop}.ephemeralStorage`, text.ephemeralStorage, `must be <= ${prop}.ephemeralStorageLimit (${text.ephemeralStorageLimit})`, 'lower the request or raise the limit');
    }
    return {
      requests: { 'cpu': cpu.toString(), 'memory': mem.toString(), 'ephemeral-storage': eph.toString() },
      limits: { 'cpu': cpuLimit.toString(), 'memory': memLimit.toString(), 'ephemeral-storage': ephLimit.toString() },
    } satisfies corev1.ResourceRequirements;
  }

  /** A writable /tmp for a sidecar: the volume and its mount. */
  public static tmp(containerName: string): { volume: any; mount: any } {
    const name = `${containerName}-tmp`.slice(0, 63);
    return { volume: { name, emptyDir: { sizeLimit: '64Mi' } } satisfies corev1.Volume, mount: { name, mountPath: '/tmp' } satisfies corev1.VolumeMount };
  }

  /** The construct scope for objects a sidecar creates next to the workload. */
  public static scope(workload: IWorkload): Construct {
    return workload as unknown as Construct;
  }

  private static id(scope: IConstruct, prop: string, v: number): number {
    if (!Number.isInteger(v) || v < 10001) {
      fail(scope, prop, v, 'must be a whole number of at least 10001: 0 is root and low ids can collide with host users (rule SS-K8S-005)', 'use 10001 or more');
    }
    return v;
  }

  private constructor() {}
}

/** See `SidecarContainers.portNameProp`. */
const PORT_NAME_PROPS = new WeakMap<object, Map<string, string>>();
/** See `SidecarContainers.podOnly`. */
const POD_ONLY_PORTS = new WeakMap<object, number[]>();
/** See `SidecarContainers.appMount`. */
const MOUNT_PROPS = new WeakMap<object, string>();
