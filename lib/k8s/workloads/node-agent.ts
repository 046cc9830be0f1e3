import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import type * as appsv1 from 'kubernetes-types/apps/v1';
import type * as corev1 from 'kubernetes-types/core/v1';
import { checkPorts, checkReason, checkWhole, renderProbes } from './checks';
import { ContainerPort } from './env';
import { Probe } from './probe';
import { Workload, WorkloadProps } from './workload';
import { fail } from '../../core/errors';
import { Names } from '../../core/names';
import { Validators } from '../../core/validators';
import { covers } from '../../policy/internal';
import { Policy } from '../../policy/policy';

/** The annotation that records why a NodeAgent has host access. */
const HOST_ACCESS_ANNOTATION = 'shipshape.io/host-access-reason';
const HOST_ACCESS = Symbol.for('shipshape.HostAccess');
/** The policy rules a hostPath volume breaks (no hostPath, and only the volume types Pod Security "restricted" allows). */
const HOST_PATH_RULES = ['SS-K8S-011', 'SS-K8S-013'];

/**
 * What a hostPath must be on the node (checked by the kubelet before mounting).
 */
export enum HostPathType {
  /** An existing directory. */
  DIRECTORY = 'Directory',
  /** A directory, created if missing. */
  DIRECTORY_OR_CREATE = 'DirectoryOrCreate',
  /** An existing file. */
  FILE = 'File',
  /** An existing UNIX socket. */
  SOCKET = 'Socket',
}

/**
 * A node directory or file mounted into a NodeAgent.
 */
export interface HostPathOptions {
  /** The absolute path on the node, for example `/var/log`. */
  readonly path: string;
  /**
   * Where it appears in the container.
   * @default - the same path as on the node
   */
  readonly mountPath?: string;
  /**
   * Mount read-only. A writable host mount lets the container change the node.
   * @default true
   */
  readonly readOnly?: boolean;
  /**
   * What the path must be on the node.
   * @default HostPathType.DIRECTORY
   */
  readonly type?: HostPathType;
  /** Why the agent needs it (at least 10 characters); recorded in the `shipshape.io/host-access-reason` annotation. */
  readonly reason: string;
}

/**
 * One explicit, reasoned piece of host access for a NodeAgent. Each produces a policy finding
 * (hostPath: SS-K8S-011 and SS-K8S-013; hostNetwork and hostPID: SS-K8S-010; capabilities: SS-K8S-008) that the
 * user suppresses with `Policy.suppress(agent, ruleId, reason)`, so nothing privileged ships by accident.
 * Privileged containers are not offered at all.
 */
export class HostAccess {
  /**
   * Mount a node path (read-only by default).
   */
  public static hostPath(options: HostPathOptions): HostAccess {
    return new HostAccess('hostPath', options.reason, options);
  }

  /**
   * Use the node's network namespace (the agent's ports become node ports; NetworkPolicies do not apply).
   * @param reason why the agent needs it (at least 10 characters)
   */
  public static hostNetwork(reason: string): HostAccess {
    return new HostAccess('hostNetwork', reason, undefined);
  }

  /**
   * See the node's processes (the PID namespace of the host).
   * @param reason why the agent needs it (at least 10 characters)
   */
  public static hostPid(reason: string): HostAccess {
    return new HostAccess('hostPID', reason, undefined);
  }

  /**
   * Add one Linux capability (for example `SYS_PTRACE`) to the container, on top of dropping all others.
   * Added capabilities only take effect for a non-root process when the binary carries matching file capabilities.
   * @param name the capability, without the `CAP_` prefix
   * @param reason why the agent needs it (at least 10 characters)
   */
  public static capability(name: string, reason: string): HostAccess {
    return new HostAccess('capability', reason, { name });
  }

  /** True when `x` is a HostAccess, also one made by another copy of the shipshape library. */
  public static isHostAccess(x: any): boolean {
    return x !== null && typeof x === 'object' && x[HOST_ACCESS] === true;
  }

  /** `hostPath`, `hostNetwork`, `hostPID` or `capability`. */
  public readonly kind: string;
  /** Why the access is needed. */
  public readonly reason: string;
  /** @internal */
  public readonly _options: any;

  private constructor(kind: string, reason: string, options: any) {
    Object.defineProperty(this, HOST_ACCESS, { value: true });
    this.kind = kind;
    this.reason = reason;
    this._options = options;
  }
}

/**
 * A toleration: lets the agent run on nodes with a matching taint.
 */
export interface NodeToleration {
  /**
   * The taint key.
   * @default - every key (only with operator Exists)
   */
  readonly key?: string;
  /**
   * The taint value (operator Equal).
   * @default - any value (operator Exists)
   */
  readonly value?: string;
  /**
   * The taint effect: `NoSchedule`, `PreferNoSchedule` or `NoExecute`.
   * @default - every effect
   */
  readonly effect?: string;
}

/**
 * Properties of a NodeAgent.
 */
export interface NodeAgentProps extends WorkloadProps {
  /**
   * Named ports the agent listens on (for example `metrics` 9100). The first one carries the default probes.
   * @default - none (then `readiness` and `liveness` must be given, as exec probes)
   */
  readonly ports?: ContainerPort[];
  /**
   * Readiness probe.
   * @default Probe.http('/readyz') on the first port
   */
  readonly readiness?: Probe;
  /**
   * Liveness probe; must differ from the readiness probe.
   * @default Probe.http('/livez') on the first port
   */
  readonly liveness?: Probe;
  /**
   * Startup probe.
   * @default - no startup probe
   */
  readonly startup?: Probe;
  /**
   * Tolerate every taint, so the agent runs on every node of every pool (dedicated and spot pools included).
   * @default - true, unless `tolerations` or `placement` say where the agent runs
   */
  readonly tolerateAllTaints?: boolean;
  /**
   * Specific taints to tolerate.
   * @default - none
   */
  readonly tolerations?: NodeToleration[];
  /**
   * Only run on nodes with these labels.
   * @default - every node
   */
  readonly nodeSelector?: { [key: string]: string };
  /**
   * Nodes whose agent may be down at once during a roll-out.
   * @default 1
   */
  readonly maxUnavailable?: number;
  /**
   * Seconds the agent gets after SIGTERM (to flush buffers) before it is killed.
   * @default 30
   */
  readonly terminationGracePeriodSeconds?: number;
  /**
   * Host access, each with its reason. See `HostAccess`.
   * @default - none: the agent gets the same hardened pod as any workload
   */
  readonly hostAccess?: HostAccess[];
}

/**
 * A per-node agent (log collector, node exporter, security sensor): a DaemonSet with a rolling update, the hardened
 * pod, its own ServiceAccount and a NetworkPolicy. Host access (host paths, host network, host PID, added
 * capabilities) is only available through explicit `HostAccess` entries that record why, in the
 * `shipshape.io/host-access-reason` annotation, and each produces a policy finding to be suppressed with a reason.
 *
 * @example
 * new k8s.NodeAgent(chart, 'node-exporter', {
 *   image: 'quay.io/prometheus/node-exporter:v1.8.2',
 *   ports: [{ name: 'metrics', port: 9100 }],
 *   readiness: k8s.Probe.http('/'), liveness: k8s.Probe.tcp(),
 *   hostAccess: [k8s.HostAccess.hostPid('reads per-process statistics of the node')],
 * });
 */
export class NodeAgent extends Workload {
  /** The DaemonSet. */
  public readonly daemonSet: ApiObject;
  /** The host access granted, with reasons. */
  public readonly hostAccess: HostAccess[];

  private readonly ports: ContainerPort[];
  private readonly capabilities: string[] = [];

  /**
   * Host access needs the namespace to enforce Pod Security `privileged`.
   * @internal
   */
  public _podSecurityNeed(): { level: string; reason: string } | undefined {
    if (this.hostAccess.length === 0) return undefined;
    return { level: 'privileged', reason: `node agent ${this.name}: ${this.hostAccess.map(h => h.reason).join('; ')}` };
  }

  constructor(scope: Construct, id: string, props: NodeAgentProps) {
    super(scope, id, props, 'node-agent');
    this.ports = checkPorts(this, 'ports', props.ports ?? [], []);
    if (this.ports.length === 0 && (!props.readiness || !props.liveness)) {
      fail(this, 'ports', [], 'are empty, so there is no port for the default probes (a node agent needs readiness and liveness probes, rules SS-K8S-033 and SS-K8S-034)',
        "declare the agent's health port in `ports`, or pass readiness and liveness probes such as Probe.exec(['/bin/agent', 'health'])");
    }
    const grace = checkWhole(this, 'terminationGracePeriodSeconds', props.terminationGracePeriodSeconds ?? 30, 1, 'use for example 30');
    const maxUnavailable = checkWhole(this, 'maxUnavailable', props.maxUnavailable ?? 1, 1, 'use 1 (one node at a time) or more');

    // Host access: validate each entry and build the pod additions.
    this.hostAccess = [...(props.hostAccess ?? [])];
    const podExtra: Pick<corev1.PodSpec, 'hostNetwork' | 'hostPID' | 'dnsPolicy'> = {};
    const volumes: corev1.Volume[] = [];
    const mounts: corev1.VolumeMount[] = [];
    /** The prop each mount's path comes from (for messages). */
    const mountProps: string[] = [];
    const reasons: string[] = [];
    const seen = new Set<string>();
    this.hostAccess.forEach((h, i) => {
      const prop = `hostAccess[${i}]`;
      if (!HostAccess.isHostAccess(h)) fail(this, prop, h, 'must be a HostAccess', "use HostAccess.hostPath({...}), HostAccess.hostNetwork('why') ...");
      const reason = checkReason(this, `${prop}.reason`, h.reason);
      switch (h.kind) {
        case 'hostPath': {
          const o = h._options as HostPathOptions;
          for (const [k, v] of [['path', o.path], ['mountPath', o.mountPath ?? o.path]]) {
            if (typeof v !== 'string' || !v.startsWith('/')) fail(this, `${prop}.${k}`, v, 'must be an absolute path', `write it as ${JSON.stringify('/' + (v ?? ''))}`);
          }
          if (o.path === '/' || /(^|\/)docker\.sock$|containerd\.sock$|crio\.sock$/.test(o.path)) {
            fail(this, `${prop}.path`, o.path, 'would give the agent control of the node (the root filesystem or a container runtime socket, rule SS-K8S-011)',
              'mount only the directories the agent reads, for example /var/log');
          }
          const readOnly = o.readOnly ?? true;
          const name = `host-${volumes.length}`;
          volumes.push({ name, hostPath: { path: o.path, type: o.type ?? HostPathType.DIRECTORY } });
          mounts.push({ name, mountPath: o.mountPath ?? o.path, readOnly });
          mountProps.push(o.mountPath !== undefined ? `${prop}.mountPath` : `${prop}.path`);
          reasons.push(`hostPath ${o.path}${readOnly ? '' : ' (writable)'}: ${reason}`);
          break;
        }
        case 'hostNetwork':
        case 'hostPID': {
          if (seen.has(h.kind)) fail(this, prop, h.kind, 'is granted twice', 'grant it once, with one reason');
          seen.add(h.kind);
          podExtra[h.kind as 'hostNetwork' | 'hostPID'] = true;
          if (h.kind === 'hostNetwork') podExtra.dnsPolicy = 'ClusterFirstWithHostNet';
          reasons.push(`${h.kind}: ${reason}`);
          break;
        }
        default: {
          let cap = String(h._options?.name ?? '').toUpperCase().replace(/^CAP_/, '');
          if (!/^[A-Z][A-Z_]*$/.test(cap) || cap === 'ALL') {
            fail(this, `${prop}.name`, h._options?.name, 'is not a single Linux capability name (ALL is refused)', 'name one capability, for example SYS_PTRACE');
          }
          if (this.capabilities.includes(cap)) fail(this, `${prop}.name`, cap, 'is added twice', 'add each capability once');
          this.capabilities.push(cap);
          reasons.push(`capability ${cap}: ${reason}`);
        }
      }
    });
    if (reasons.length) {
      this.addPodAnnotation(HOST_ACCESS_ANNOTATION, reasons.join('; '));
    }

    const tolerations: corev1.Toleration[] = [];
    // a node agent belongs on every node: tolerate every taint unless told where to run
    if (props.tolerateAllTaints ?? (props.tolerations === undefined && props.placement === undefined)) tolerations.push({ operator: 'Exists' });
    (props.tolerations ?? []).forEach((t, i) => {
      if (t.effect !== undefined) Validators.taintEffect(this, `tolerations[${i}].effect`, t.effect);
      if (t.key === undefined && t.value !== undefined) {
        fail(this, `tolerations[${i}].value`, t.value, 'needs a key', 'set key too, or leave value out to match any value');
      }
      if (t.key !== undefined) Validators.taintKey(this, `tolerations[${i}].key`, t.key);
      if (t.value !== undefined) Names.labelValue(this, `tolerations[${i}].value`, t.value);
      const r: corev1.Toleration = {};
      if (t.key !== undefined) r.key = t.key;
      r.operator = t.value !== undefined ? 'Equal' : 'Exists';
      if (t.value !== undefined) r.value = t.value;
      if (t.effect !== undefined) r.effect = t.effect;
      tolerations.push(r);
    });
    Validators.labels(this, 'nodeSelector', props.nodeSelector ?? {});

    const extraPodSpec: Partial<corev1.PodSpec> = { ...podExtra };
    if (tolerations.length) extraPodSpec.tolerations = tolerations;
    if (props.nodeSelector && Object.keys(props.nodeSelector).length) extraPodSpec.nodeSelector = { ...props.nodeSelector };
    const template = () => this._renderPodTemplate({ terminationGracePeriodSeconds: grace, extraPodSpec, extraVolumes: volumes, extraMounts: mounts, extraMountProps: mountProps });
    this.node.addValidation({ validate: () => this._hostPathRefusals() });
    template();

    this.daemonSet = new ApiObject(this, 'DaemonSet', {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: this._metadata({ annotations: reasons.length ? { [HOST_ACCESS_ANNOTATION]: reasons.join('; ') } : undefined }),
      spec: Lazy.any({
        produce: () => ({
          revisionHistoryLimit: 5,
          selector: { matchLabels: { ...this.selectorLabels } },
          updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable } },
          template: template(),
        } satisfies appsv1.DaemonSetSpec),
      }),
    } satisfies appsv1.DaemonSet);
  }

  public get containerPorts(): number[] {
    return this.ports.map(p => p.port);
  }

  /**
   * At synth under a `k8s.App` that runs the policy: a hostPath the policy would refuse, named with its path
   * and the exact call that accepts it (the refusal of the rules alone names neither).
   * @internal
   */
  private _hostPathRefusals(): string[] {
    const paths = this.hostAccess.map((h, i) => ({ h, i })).filter(x => x.h.kind === 'hostPath');
    if (paths.length === 0 || (this.node.root as any).policy !== true) return [];
    const ds = this.daemonSet.node.path;
    const suppressions = Policy.suppressionsOf(this);
    const running = Policy._packsFor(this).flatMap(p => p.rules.map(r => r.id));
    const open = HOST_PATH_RULES.filter(id => running.includes(id) && !suppressions.some(s => s.ruleId === id && covers(s.path, ds)));
    if (open.length === 0) return [];
    return paths.map(({ h, i }) => {
      const o = h._options as HostPathOptions;
      const reason = JSON.stringify(h.reason);
      const calls = open.map(id => `policy.Policy.suppress(agent, '${id}', ${reason})`).join(' and ');
      return `${this.node.path}: hostAccess[${i}].path (${JSON.stringify(o.path)}) mounts a directory of the node, which the policy refuses (${open.join(', ')}) `
        + `unless it is accepted with a reason; if the agent needs ${o.path}, accept it with ${calls} (agent being the NodeAgent ${this.node.path})`;
    });
  }

  /** @internal */
  protected _mainPorts(): ContainerPort[] {
    return [...this.ports];
  }

  /** @internal */
  protected _mainContainerExtras(): any {
    const p = this._props as NodeAgentProps;
    const first = this.ports[0];
    const extras: Partial<corev1.Container> = renderProbes(this, p, first?.port, first?.name, this.containerPorts);
    if (this.capabilities.length) {
      const sec = p.security ?? {};
      const base = Workload._containerSecurityContext(sec.runAsUser ?? 10001, sec.runAsGroup ?? 10001, sec.readOnlyRootFilesystem ?? true);
      extras.securityContext = { ...base as corev1.SecurityContext, capabilities: { drop: ['ALL'], add: [...this.capabilities] } };
    }
    return extras;
  }
}
