import { posix } from 'path';
import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import type * as appsv1 from 'kubernetes-types/apps/v1';
import type * as corev1 from 'kubernetes-types/core/v1';
import { checkPorts, checkReason, checkWhole, renderProbes } from './checks';
import { ContainerPort } from './env';
import { Probe } from './probe';
import { Workload, WorkloadProps } from './workload';
import { fail, formatValidationMessage } from '../../core/errors';
import { Names } from '../../core/names';
import { Validators } from '../../core/validators';
import { BASELINE_CAPABILITIES } from '../../policy/admission';
import { covers } from '../../policy/internal';
import { Policy } from '../../policy/policy';

/** The PriorityClass of a NodeAgent's pods unless `priorityClassName` names another: built into every cluster. */
const NODE_AGENT_PRIORITY_CLASS = 'system-node-critical';
/** The annotation that records why a NodeAgent has host access. */
const HOST_ACCESS_ANNOTATION = 'shipshape.io/host-access-reason';
const HOST_ACCESS = Symbol.for('shipshape.HostAccess');
/**
 * The policy rules each kind of host access breaks: a hostPath volume (no hostPath, and only the volume types Pod
 * Security "restricted" allows), a host namespace, an added capability.
 */
const HOST_ACCESS_RULES: { [kind: string]: string[] } = {
  hostPath: ['SS-K8S-011'],
  hostNetwork: ['SS-K8S-010'],
  hostPID: ['SS-K8S-010'],
  capability: ['SS-K8S-008'],
  runAsRoot: ['SS-K8S-004', 'SS-K8S-005'],
};

const RUNTIME = 'whoever connects to a container runtime socket runs containers as root on the node, and a read-only mount still lets the agent connect';
const PODS = 'it holds the Secrets and service account tokens of every pod on the node, and the kubelet\'s credentials';
const CONTAINERS = 'it holds the filesystem of every container on the node';
/**
 * Node paths that hand the node over: what each is, and why. Refused as a hostPath, as is every path under them and
 * every directory that contains them (a read-only mount of /run still reaches /run/containerd/containerd.sock).
 */
const NODE_TAKEOVER: Array<[string, string, string]> = [
  ['/run/containerd', 'containerd\'s directory, with its socket', RUNTIME],
  ['/var/run/containerd', 'containerd\'s directory, with its socket', RUNTIME],
  ['/run/docker.sock', 'the Docker socket', RUNTIME],
  ['/var/run/docker.sock', 'the Docker socket', RUNTIME],
  ['/run/docker', 'Docker\'s directory, with its sockets', RUNTIME],
  ['/var/run/docker', 'Docker\'s directory, with its sockets', RUNTIME],
  ['/run/crio', 'CRI-O\'s directory, with its socket', RUNTIME],
  ['/var/run/crio', 'CRI-O\'s directory, with its socket', RUNTIME],
  ['/run/cri-dockerd.sock', 'cri-dockerd\'s socket', RUNTIME],
  ['/var/run/cri-dockerd.sock', 'cri-dockerd\'s socket', RUNTIME],
  ['/var/lib/kubelet', 'the kubelet\'s directory', PODS],
  ['/etc/kubernetes', 'the node\'s Kubernetes configuration', 'it holds the kubelet\'s credentials'],
  ['/var/lib/containerd', 'containerd\'s storage', CONTAINERS],
  ['/var/lib/docker', 'Docker\'s storage', CONTAINERS],
  ['/var/lib/containers', 'CRI-O\'s storage', CONTAINERS],
];
/** A container runtime socket wherever it is (k3s, custom runtime roots). */
const RUNTIME_SOCKET = /(^|\/)(docker|containerd|crio|cri-dockerd|dockershim)\.sock$/;
/** Node paths mounted read-only only: written, they change the node's kernel settings. */
const READ_ONLY_ROOTS = ['/proc', '/sys'];
/** The hostPath types that create a missing path, root-owned, on the node. */
const CREATING_TYPES = new Set<string>(['DirectoryOrCreate', 'FileOrCreate']);

/**
 * What a hostPath must be on the node (checked by the kubelet before mounting).
 */
export enum HostPathType {
  /** An existing directory. */
  DIRECTORY = 'Directory',
  /**
   * A directory, created if missing. Read-only mounts only: the kubelet creates it owned by root with mode 0755, and
   * the agent (a non-root user) could never write it.
   */
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
  /**
   * The absolute path on the node, for example `/var/log` (a trailing `/` is dropped; `.` and `..` segments and `//`
   * are refused). Refused because they hand the node over, even read-only: `/`, the container runtime sockets and
   * every directory that holds them (`/run`, `/var/run`, `/run/containerd`, `/var/run/docker`, `/run/crio`...),
   * `/var/lib/kubelet` (every pod's Secrets), `/etc/kubernetes` and `/etc`, `/var/lib/containerd`, `/var/lib/docker`,
   * the directories that contain them (`/var`, `/var/lib`), and `/proc/<pid>`; `/proc` and `/sys` are only mounted
   * read-only.
   */
  readonly path: string;
  /**
   * Where it appears in the container.
   * @default - the same path as on the node
   */
  readonly mountPath?: string;
  /**
   * Mount read-only. A writable host mount lets the container change the node.
   *
   * The agent runs as a non-root user (10001 unless `security.runAsUser` says otherwise) and fsGroup does not apply to
   * hostPath volumes, so a writable mount is only writable when the path exists on the node owned by that user
   * (created by the node's bootstrap, for example its user data) and is mounted with `HostPathType.DIRECTORY` or
   * `HostPathType.FILE`; a path the kubelet creates (`HostPathType.DIRECTORY_OR_CREATE`) is root's, and is refused
   * with `readOnly: false`. State that need not outlive the pod belongs in an emptyDir.
   * @default true
   */
  readonly readOnly?: boolean;
  /**
   * What the path must be on the node. `HostPathType.DIRECTORY_OR_CREATE` only with a read-only mount (see `readOnly`).
   * @default HostPathType.DIRECTORY
   */
  readonly type?: HostPathType;
  /** Why the agent needs it (at least 10 characters); recorded in the `shipshape.io/host-access-reason` annotation. */
  readonly reason: string;
}

/**
 * Options of `HostAccess.hostNetwork`.
 */
export interface HostNetworkOptions {
  /**
   * Ports of the agent's sidecars accepted as open on the node's network. On the host network a sidecar's port (a
   * LogShipper's monitoring port, 2020 by default; a MetricsAdapter's, 9102 by default) is a port of the node, on every
   * address, and NetworkPolicies do not apply: anyone who reaches the node reaches it. List a port here only when
   * something else (the node's security group) keeps it private.
   * @default - none: a sidecar with a port is refused at synth on the host network
   */
  readonly exposedSidecarPorts?: number[];
}

/**
 * One explicit, reasoned piece of host access for a NodeAgent. Each is refused by a policy rule
 * (hostPath: SS-K8S-011; hostNetwork and hostPID: SS-K8S-010; capabilities: SS-K8S-008; running as
 * root: SS-K8S-004 and SS-K8S-005) until the user accepts it with `Policy.suppress(agent, ruleId, reason)`, so nothing
 * privileged ships by accident. Under a `k8s.App` that runs the policy, synth refuses an entry not accepted yet before
 * it renders anything: a validation error naming the entry and the exact `Policy.suppress` calls that accept it (no
 * policy report is written for it). Under another App, or in `testing.Template`, it is that rule's finding.
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
   * Use the node's network namespace. The agent's ports become ports of the node, on every address of it: reachable
   * by anything that reaches the node (the whole VPC, unless the node's security group says otherwise), and
   * NetworkPolicies do not apply to a hostNetwork pod, so the agent's NetworkPolicy (and `allowFrom`) restricts
   * nothing. Each port is taken on every node: two hostNetwork DaemonSets with one port (two LogShipper sidecars on
   * 2020 included) cannot both run, and the node's own ports (kubelet 10248 and 10250, kube-proxy 10249 and 10256)
   * cannot be used; `k8s.App` refuses both at synth. Sidecar ports are refused unless listed in
   * `options.exposedSidecarPorts`.
   * @param reason why the agent needs it (at least 10 characters)
   * @param options the sidecar ports accepted as open on the node
   */
  public static hostNetwork(reason: string, options?: HostNetworkOptions): HostAccess {
    return new HostAccess('hostNetwork', reason, options ?? {});
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

  /**
   * Run the agent's container as root (user 0), for an agent that reads node files only root may read: on
   * containerd nodes (EKS among them) the container logs under /var/log/pods are root's with mode 0640, so a log
   * collector running as any other user finds them and cannot open them.
   *
   * Only the agent's own container runs as root: its sidecars and init tasks keep the non-root user, and the container
   * keeps its group (10001 unless `security.runAsGroup` says otherwise) and every other hardening (all capabilities
   * dropped, no privilege escalation, read-only root filesystem, seccomp RuntimeDefault): the owner of a file reads it
   * without any capability. Root needs Pod Security `baseline` in the namespace (restricted refuses it), and the policy
   * reports it (SS-K8S-004, an error, and SS-K8S-005, a warning) until both are accepted with a reason. Refused
   * together with `security.runAsUser`, which it replaces for that container.
   * @param reason why the agent needs root (at least 10 characters)
   */
  public static runAsRoot(reason: string): HostAccess {
    return new HostAccess('runAsRoot', reason, undefined);
  }

  /** True when `x` is a HostAccess, also one made by another copy of the shipshape library. */
  public static isHostAccess(x: any): boolean {
    return x !== null && typeof x === 'object' && x[HOST_ACCESS] === true;
  }

  /** `hostPath`, `hostNetwork`, `hostPID`, `capability` or `runAsRoot`. */
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
 * An absolute node or container path without a trailing '/'; `.` and `..` segments and `//` are refused (the API
 * server refuses `..` in a hostPath, and a path checked as written must be the path mounted).
 */
function checkNodePath(scope: Construct, prop: string, v: unknown): string {
  // before the generic check of an absolute path: a hostPath's has more to say (the API server refuses "..")
  const trimmed = typeof v === 'string' && v.length > 1 ? v.replace(/\/+$/, '') || '/' : v;
  if (typeof trimmed === 'string' && trimmed.startsWith('/') && (trimmed.includes('//') || trimmed.split('/').some(seg => seg === '.' || seg === '..'))) {
    fail(scope, prop, v, 'has a "." or ".." segment or an empty one ("//"): the API server refuses ".." in a hostPath, and the path is checked as written',
      `write the path it means without them (here ${JSON.stringify(posix.normalize(trimmed))})`);
  }
  const given = Validators._absolutePath(scope, prop, v as string, '/var/log');
  return given.length > 1 ? given.replace(/\/+$/, '') || '/' : given;
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
 * Its pods run at priority `system-node-critical` unless `priorityClassName` names another class, so they can preempt
 * workloads on a full node.
 *
 * @example
 * const agent = new k8s.NodeAgent(chart, 'node-exporter', {
 *   image: 'quay.io/prometheus/node-exporter:v1.8.2',
 *   ports: [{ name: 'metrics', port: 9100 }],
 *   readiness: k8s.Probe.http('/'), liveness: k8s.Probe.tcp(),
 *   hostAccess: [k8s.HostAccess.hostPid('reads per-process statistics of the node')],
 * });
 * // host access is a policy finding (hostPID: SS-K8S-010) until it is accepted with a reason
 * policy.Policy.suppress(agent, 'SS-K8S-010', 'node-exporter reads per-process statistics of the node (hostPID)');
 */
export class NodeAgent extends Workload {
  /** The DaemonSet. */
  public readonly daemonSet: ApiObject;
  /** The host access granted, with reasons. */
  public readonly hostAccess: HostAccess[];

  private readonly ports: ContainerPort[];
  private readonly capabilities: string[] = [];
  /** True with `HostAccess.runAsRoot`: the main container runs as user 0 (its group unchanged). */
  private runAsRoot = false;
  /** The hostNetwork entry (its prop) and the sidecar ports it accepts as open on the node. */
  private hostNetwork: { prop: string; exposed: number[] } | undefined;

  /**
   * The Pod Security level the agent's host access needs its namespace to enforce: `privileged` for host namespaces,
   * host paths and capabilities beyond baseline's; `baseline` when it only adds capabilities of the runtime's default
   * set (CHOWN, KILL, ...); none (restricted holds) when it only adds NET_BIND_SERVICE.
   * @internal
   */
  public _podSecurityNeed(): { level: string; reason: string } | undefined {
    if (this.hostAccess.length === 0) return undefined;
    // host namespaces and host paths need privileged; added capabilities the least strict level that allows them
    // (restricted allows NET_BIND_SERVICE, baseline the runtime's default set)
    const levelOf = (h: HostAccess): number => {
      if (h.kind === 'runAsRoot') return 1; // baseline allows root, restricted does not
      if (h.kind !== 'capability') return 2;
      const cap = String(h._options?.name ?? '').toUpperCase().replace(/^CAP_/, '');
      return cap === 'NET_BIND_SERVICE' ? 0 : BASELINE_CAPABILITIES.has(cap) ? 1 : 2;
    };
    const level = Math.max(...this.hostAccess.map(levelOf));
    if (level === 0) return undefined;
    return { level: level === 1 ? 'baseline' : 'privileged', reason: `node agent ${this.name}: ${this.hostAccess.map(h => h.reason).join('; ')}` };
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
    // known before the host paths are checked: root can write a path the kubelet creates
    this.runAsRoot = this.hostAccess.some(h => HostAccess.isHostAccess(h) && h.kind === 'runAsRoot');
    this.hostAccess.forEach((h, i) => {
      const prop = `hostAccess[${i}]`;
      if (!HostAccess.isHostAccess(h)) fail(this, prop, h, 'must be a HostAccess', "use HostAccess.hostPath({...}), HostAccess.hostNetwork('why') ...");
      const reason = checkReason(this, `${prop}.reason`, h.reason);
      switch (h.kind) {
        case 'hostPath': {
          const o = h._options as HostPathOptions;
          const path = this._hostPath(prop, o);
          const mountPath = o.mountPath === undefined ? path : checkNodePath(this, `${prop}.mountPath`, o.mountPath);
          const readOnly = o.readOnly ?? true;
          const type = o.type ?? HostPathType.DIRECTORY;
          if (!Object.values(HostPathType).includes(type)) {
            fail(this, `${prop}.type`, type, `is not a HostPathType (${Object.values(HostPathType).join(', ')})`, 'use HostPathType.DIRECTORY, HostPathType.FILE or HostPathType.SOCKET');
          }
          if (!readOnly) this._writableHostPath(prop, path, type, this.runAsRoot ? 0 : (this._props.security?.runAsUser ?? 10001));
          const name = `host-${volumes.length}`;
          volumes.push({ name, hostPath: { path, type } });
          mounts.push({ name, mountPath, readOnly });
          mountProps.push(o.mountPath !== undefined ? `${prop}.mountPath` : `${prop}.path`);
          reasons.push(`hostPath ${path}${readOnly ? '' : ' (writable)'}: ${reason}`);
          break;
        }
        case 'hostNetwork':
        case 'hostPID': {
          if (seen.has(h.kind)) fail(this, prop, h.kind, 'is granted twice', 'grant it once, with one reason');
          seen.add(h.kind);
          podExtra[h.kind as 'hostNetwork' | 'hostPID'] = true;
          if (h.kind === 'hostNetwork') {
            podExtra.dnsPolicy = 'ClusterFirstWithHostNet';
            const exposed = (h._options as HostNetworkOptions | undefined)?.exposedSidecarPorts ?? [];
            if (!Array.isArray(exposed)) fail(this, `${prop}.exposedSidecarPorts`, exposed, 'must be a list of port numbers', 'list the sidecar ports, for example [2020]');
            exposed.forEach((port, k) => checkWhole(this, `${prop}.exposedSidecarPorts[${k}]`, port, 1, 'list the port numbers of the sidecars', 65535));
            this.hostNetwork = { prop, exposed: [...exposed] };
          }
          reasons.push(`${h.kind}: ${reason}`);
          break;
        }
        case 'runAsRoot': {
          if (seen.has(h.kind)) fail(this, prop, h.kind, 'is granted twice', 'grant it once, with one reason');
          seen.add(h.kind);
          const uid = this._props.security?.runAsUser;
          if (uid !== undefined) {
            fail(this, 'security.runAsUser', uid, `conflicts with ${prop} (HostAccess.runAsRoot), which runs the agent's container as user 0`,
              'leave security.runAsUser out with runAsRoot (the sidecars and init tasks then run as user 10001), or drop runAsRoot');
          }
          reasons.push(`runAsRoot: ${reason}`);
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

    // a node agent must run on its node: without a priority above the workloads' it stays Pending on a full node
    // (SS-K8S-028); DaemonSet agents conventionally run at system-node-critical, which every cluster has built in (SS-K8S-087)
    const extraPodSpec: Partial<corev1.PodSpec> = { ...podExtra, priorityClassName: props.priorityClassName ?? NODE_AGENT_PRIORITY_CLASS };
    if (tolerations.length) extraPodSpec.tolerations = tolerations;
    if (props.nodeSelector && Object.keys(props.nodeSelector).length) extraPodSpec.nodeSelector = { ...props.nodeSelector };
    const template = () => this._renderPodTemplate({ terminationGracePeriodSeconds: grace, extraPodSpec, extraVolumes: volumes, extraMounts: mounts, extraMountProps: mountProps });
    this.node.addValidation({ validate: () => this._hostAccessRefusals() });
    this.node.addValidation({ validate: () => this._exposedSidecarPorts() });
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
   * At synth under a `k8s.App` that runs the policy: each host access entry the policy would refuse, named with what
   * it grants and the exact calls that accept it (the refusal of the rules alone names neither), all in one round.
   * @internal
   */
  private _hostAccessRefusals(): string[] {
    if (this.hostAccess.length === 0 || (this.node.root as any).policy !== true) return [];
    const ds = this.daemonSet.node.path;
    const suppressions = Policy.suppressionsOf(this);
    const running = Policy._packsFor(this).flatMap(p => p.rules.map(r => r.id));
    const out: string[] = [];
    this.hostAccess.forEach((h, i) => {
      const open = (HOST_ACCESS_RULES[h.kind] ?? []).filter(id => running.includes(id) && !suppressions.some(s => s.ruleId === id && covers(s.path, ds)));
      if (open.length === 0) return;
      const reason = JSON.stringify(h.reason);
      const calls = open.map(id => `policy.Policy.suppress(agent, '${id}', ${reason})`).join(' and ');
      const unless = `which the policy refuses (${open.join(', ')}) unless it is accepted with a reason`;
      const agent = `(agent being the NodeAgent ${this.node.path})`;
      if (h.kind === 'hostPath') {
        const o = h._options as HostPathOptions;
        out.push(`${this.node.path}: hostAccess[${i}].path (${JSON.stringify(o.path)}) mounts a directory of the node, ${unless}; if the agent needs ${o.path}, accept it with ${calls} ${agent}`);
      } else if (h.kind === 'capability') {
        const cap = String(h._options?.name ?? '').toUpperCase().replace(/^CAP_/, '');
        out.push(`${this.node.path}: hostAccess[${i}].name (${JSON.stringify(cap)}) adds a Linux capability, ${unless}; if the agent needs ${cap}, accept it with ${calls} ${agent}`);
      } else if (h.kind === 'runAsRoot') {
        out.push(`${this.node.path}: hostAccess[${i}] (runAsRoot) runs the agent's container as root, ${unless}; if the agent needs root, accept it with ${calls} ${agent}`);
      } else {
        out.push(`${this.node.path}: hostAccess[${i}] (${h.kind}) shares a namespace of the node, ${unless}; if the agent needs ${h.kind}, accept it with ${calls} ${agent}`);
      }
    });
    return out;
  }

  /**
   * The node path of a hostPath entry, without a trailing '/'; refused when it hands the node over.
   * @internal
   */
  private _hostPath(prop: string, o: HostPathOptions): string {
    const path = checkNodePath(this, `${prop}.path`, o.path);
    const control = 'would give the agent control of the node';
    const fix = 'mount only the directories the agent reads, for example /var/log';
    if (path === '/') {
      fail(this, `${prop}.path`, o.path, `${control} (the root filesystem or a container runtime socket, rule SS-K8S-011)`, fix);
    }
    for (const [taken, what, why] of NODE_TAKEOVER) {
      if (path === taken || path.startsWith(taken + '/')) {
        fail(this, `${prop}.path`, o.path, `${control}: it is ${path === taken ? what : `inside ${taken} (${what})`}; ${why} (rule SS-K8S-011)`, fix);
      }
    }
    const inside = NODE_TAKEOVER.filter(([taken]) => taken.startsWith(path + '/'));
    if (inside.length) {
      const [taken, what, why] = inside[0];
      const more = inside.length > 1 ? ` and ${inside.slice(1).map(([t]) => t).join(', ')}` : '';
      fail(this, `${prop}.path`, o.path, `${control}: it contains ${taken} (${what})${more}; ${why.replace(/^it holds/, `${taken} holds`)} (rule SS-K8S-011)`,
        `${fix}, or the subdirectory of ${path} the agent needs, one that holds none of these`);
    }
    if (RUNTIME_SOCKET.test(path)) {
      fail(this, `${prop}.path`, o.path, `${control}: it is a container runtime socket; ${RUNTIME} (rule SS-K8S-011)`, fix);
    }
    if (/^\/proc\/(\d+|self|thread-self)(\/|$)/.test(path)) {
      fail(this, `${prop}.path`, o.path, `${control}: it reaches into a process of the node (a process's root, cwd and fd links lead to its files; PID 1's root is the node's root filesystem) (rule SS-K8S-011)`,
        'mount /proc itself, read-only, as node exporters do');
    }
    return path;
  }

  /**
   * Refuses a writable hostPath the agent could not write, or that changes the node's kernel.
   * @internal
   */
  private _writableHostPath(prop: string, path: string, type: string, uid: number): void {
    const root = READ_ONLY_ROOTS.find(r => path === r || path.startsWith(r + '/'));
    if (root !== undefined) {
      fail(this, `${prop}.readOnly`, false, `would let the agent change the node's kernel settings through ${path} (rule SS-K8S-011)`,
        `mount ${path} read-only (leave readOnly out, true by default): agents read ${root}`);
    }
    if (CREATING_TYPES.has(type) && uid !== 0) {
      const what = type === 'FileOrCreate' ? 'file' : 'directory';
      fail(this, `${prop}.readOnly`, false, `with type ${JSON.stringify(type)} mounts a ${what} the agent can never write: the kubelet creates a missing ${what} `
        + `owned by root (mode ${what === 'file' ? '0644' : '0755'}), fsGroup does not apply to hostPath volumes, and the agent runs as user ${uid}, not root`,
      `create ${path} on the node owned by user ${uid} (in the node's bootstrap, for example its user data) and mount it with type HostPathType.${what === 'file' ? 'FILE' : 'DIRECTORY'}, `
        + 'or keep state that need not outlive the pod in an emptyDir (security.writablePaths)');
    }
  }

  /**
   * At synth: on the host network, the ports of sidecars (added after the agent) are ports of the node.
   * @internal
   */
  private _exposedSidecarPorts(): string[] {
    const hn = this.hostNetwork;
    if (hn === undefined) return [];
    const out: string[] = [];
    const found = new Set<number>();
    for (const { sidecar, binding } of this._sidecars) {
      for (const c of Workload._bindingContainers(binding)) {
        for (const p of c.ports ?? []) {
          found.add(p.containerPort);
          if (hn.exposed.includes(p.containerPort)) continue;
          out.push(formatValidationMessage({
            path: this.node.path,
            prop: `sidecars.${sidecar.name}.port`,
            value: String(p.containerPort),
            allowed: `is open on the node's network: the agent uses hostNetwork (${hn.prop}), so the sidecar listens on port ${p.containerPort} of the node, `
              + 'on every address, reachable by anything that reaches the node, and NetworkPolicies do not apply to hostNetwork pods (its NetworkPolicy restricts nothing)',
            fix: `if the node's security group keeps the port private, accept it with HostAccess.hostNetwork(reason, { exposedSidecarPorts: [${p.containerPort}] }); `
              + 'otherwise remove the sidecar, or run the agent without hostNetwork',
          }));
        }
      }
    }
    hn.exposed.forEach((port, k) => {
      if (found.has(port)) return;
      out.push(formatValidationMessage({
        path: this.node.path,
        prop: `${hn.prop}.exposedSidecarPorts[${k}]`,
        value: String(port),
        allowed: `is no port of a sidecar of this agent (${found.size ? `its sidecars listen on ${[...found].join(', ')}` : 'it has no sidecar with a port'})`,
        fix: 'list only the ports of its sidecars (a LogShipper listens on its monitoringPort, 2020 by default), or leave exposedSidecarPorts out',
      }));
    });
    return out;
  }

  /** @internal */
  protected _rootHint(): string {
    return '; an agent that reads node files only root may read runs as root with HostAccess.runAsRoot(reason)';
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
    if (this.capabilities.length || this.runAsRoot) {
      const sec = p.security ?? {};
      const base: corev1.SecurityContext = this.runAsRoot
        ? { ...Workload._containerSecurityContext(10001, sec.runAsGroup ?? 10001, sec.readOnlyRootFilesystem ?? true), runAsNonRoot: false, runAsUser: 0 }
        : Workload._containerSecurityContext(sec.runAsUser ?? 10001, sec.runAsGroup ?? 10001, sec.readOnlyRootFilesystem ?? true);
      extras.securityContext = this.capabilities.length ? { ...base, capabilities: { drop: ['ALL'], add: [...this.capabilities] } } : base;
    }
    return extras;
  }
}
