import { ApiObject, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import type * as corev1 from 'kubernetes-types/core/v1';
import type * as metav1 from 'kubernetes-types/meta/v1';
import type * as networkingv1 from 'kubernetes-types/networking/v1';
import type * as policyv1 from 'kubernetes-types/policy/v1';
import { checkObjectList, parseContainerCpu } from './checks';
import { ConfigMapMount, ContainerPort, EnvValue, SecretMount } from './env';
import { Placement } from './placement';
import { WorkloadIdentityProfile } from '../../core/cluster-profile';
import { fail, formatValidationMessage, show, ShipshapeValidationError, ValidationErrorDetails } from '../../core/errors';
import { NVIDIA_GPU_RESOURCE } from '../../core/gpu';
import { ImageRef } from '../../core/image';
import { RecommendedLabels } from '../../core/labels';
import { Names } from '../../core/names';
import { EnvironmentProfile } from '../../core/profile';
import { CpuQuantity, MemoryQuantity } from '../../core/quantity';
import { Validators } from '../../core/validators';
import { TOKEN_FIX, tokenFields } from '../../policy/output-check';
import { ClusterContext } from '../cluster-context';
import { dnsEgressRule } from '../networking/namespace-isolation';
import { INetworkPeer, NetworkConnection, NetworkPeerConfig } from '../networking/network-peer';
import { checkPeerConfig, checkPeerPorts, renderPeer } from '../networking/peer-config';
import { SidecarContainers } from '../sidecars/builder';
import type { ISidecar, SidecarBinding } from '../sidecars/sidecar';
import { _chartOf } from '../synth-steps';
import { KubernetesTarget, KubernetesVersion } from '../target';

/**
 * Resource requests and limits for the main container.
 *
 * Memory: the limit equals the request (guaranteed memory, no OOM surprises under node pressure).
 * CPU: a limit is set by default because kube-score, Polaris, Checkov and Trivy require one; the AWS EKS
 * best-practices guide recommends none (throttling can hurt latency). Set `cpuLimit` to `"none"`
 * to remove it, knowing the policy pack then reports SS-K8S-026 (docs/rules.md) for you to suppress with a reason.
 */
export interface ResourceRequirements {
  /**
   * CPU request (`"250m"`, `"0.5"`, `"2"`). A number without a unit counts cores: more than 64 cores written that
   * way (`"500"`) is refused as a missing `m`; write millicores (`"96000m"`) for a container that really needs more.
   * @default "250m"
   */
  readonly cpu?: string;
  /**
   * CPU limit, or `"none"` for no CPU limit (see the trade-off above). Like `cpu`, more than 64 cores is refused
   * unless written in millicores.
   * @default - "1", or the request when that is more
   */
  readonly cpuLimit?: string;
  /**
   * Memory request, which is also the memory limit unless `memoryLimit` is set (`"512Mi"`, `"1Gi"`).
   * @default "256Mi"
   */
  readonly memory?: string;
  /**
   * Memory limit, at least the request.
   * @default - equal to `memory`
   */
  readonly memoryLimit?: string;
  /**
   * Ephemeral-storage request (container writable layer, logs, emptyDir volumes).
   * @default "256Mi"
   */
  readonly ephemeralStorage?: string;
  /**
   * Ephemeral-storage limit, at least the request.
   * @default - "1Gi", or the request when that is more
   */
  readonly ephemeralStorageLimit?: string;
  /**
   * NVIDIA GPUs for the main container (`nvidia.com/gpu`), a whole number, written as both request and limit (a GPU is
   * never shared or overcommitted). Place the workload on a pool of NVIDIA GPU instances (`Placement.onPool`,
   * `Placement.onKarpenterPool`): on a cluster it knows, `k8s.App` refuses a pod that no pool with enough GPUs per node
   * takes.
   * @default - no GPU
   */
  readonly gpus?: number;
}

/**
 * Pod and container security settings. The defaults satisfy Pod Security "restricted" and the pod and container security rules
 * SS-K8S-001 … SS-K8S-022 (docs/rules.md).
 */
export interface SecurityOptions {
  /**
   * The user id the containers run as. 10001 or more satisfies every checker (rule SS-K8S-005 in docs/rules.md); a lower
   * id, for an image whose files belong to its own user (postgres's 999, nginx's 101), is the policy's warning SS-K8S-005
   * until accepted with `policy.Policy.suppress(workload, 'SS-K8S-005', reason)`. 0 (root) is refused.
   * @default 10001
   */
  readonly runAsUser?: number;
  /**
   * The group id the containers run as. Below 10001 is the policy's warning SS-K8S-005, as for `runAsUser`; 0 is refused.
   * @default 10001
   */
  readonly runAsGroup?: number;
  /**
   * The group that owns mounted volumes. The kubelet changes a volume's ownership only when the volume's root does not
   * already match (`fsGroupChangePolicy: OnRootMismatch`), so a large data volume is not walked on every start.
   * @default 10001
   */
  readonly fsGroup?: number;
  /**
   * Mount the root filesystem read-only. Writable paths come from `writablePaths` (emptyDir volumes): prefer listing
   * the directories the image writes to. `false` fails the policy check (SS-K8S-003, an error) unless the rule is
   * suppressed with a reason: `policy.Policy.suppress(workload, 'SS-K8S-003', '<why the image must write to its root>')`.
   * @default true
   */
  readonly readOnlyRootFilesystem?: boolean;
  /**
   * Directories that get a writable emptyDir volume.
   * @default ["/tmp"]
   */
  readonly writablePaths?: string[];
}

/**
 * Properties shared by every shipshape workload (WebService, Worker, StatefulService, jobs, node agents).
 */
export interface WorkloadProps {
  /**
   * The object name (`metadata.name`) of everything this workload creates: an RFC 1123 label. A WebService's or
   * StatefulService's name also names its Service, and must then start with a letter (a DNS-1035 label).
   * @default - the construct id in kebab case
   */
  readonly name?: string;
  /**
   * The namespace. Must not be empty: objects without a namespace land in `default` (rule SS-K8S-065 in docs/rules.md).
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * The container image, `[registry/]repository:tag[@sha256:digest]`. `latest` and tag-less images are refused.
   * The workloads run it as a non-root user on a read-only root filesystem: an official image built to start as root
   * needs settings of its own (see `StatefulService` for PostgreSQL; a `WebService` of the official nginx image is
   * refused unless `/var/cache/nginx` is writable: use `nginxinc/nginx-unprivileged`).
   */
  readonly image: string;
  /**
   * Accept a `latest` or tag-less image at construction (never in production: roll-outs become unrepeatable). The
   * policy check still reports it (SS-K8S-029, an error) until the rule is suppressed with a reason:
   * `policy.Policy.suppress(workload, 'SS-K8S-029', '<why this environment may run latest>')`.
   * @default false
   */
  readonly allowLatestImage?: boolean;
  /**
   * The image pull policy. `Always` re-checks the registry on every start (rule SS-K8S-031 in docs/rules.md).
   * @default ImagePullPolicy.ALWAYS
   */
  readonly imagePullPolicy?: ImagePullPolicy;
  /**
   * The container entrypoint.
   * @default - the image's entrypoint
   */
  readonly command?: string[];
  /**
   * The container arguments.
   * @default - the image's command
   */
  readonly args?: string[];
  /**
   * Environment variables. Literal values under names that look like secrets are refused.
   * @default - none
   */
  readonly env?: { [name: string]: EnvValue };
  /**
   * ConfigMaps whose keys all become environment variables. Each must exist when the pods start (put it in the
   * output, or create it beside; rule SS-K8S-086 in docs/rules.md warns about one the output lacks).
   * @default - none
   */
  readonly envFromConfigMaps?: string[];
  /**
   * Secrets mounted as read-only files (the safe way to pass secrets, rule SS-K8S-061 in docs/rules.md).
   * @default - none
   */
  readonly secretMounts?: SecretMount[];
  /**
   * ConfigMaps mounted as read-only files. Each must exist when the pods start (rule SS-K8S-086 in docs/rules.md).
   * @default - none
   */
  readonly configMapMounts?: ConfigMapMount[];
  /**
   * Resource requests and limits.
   * @default - cpu 250m (limit 1), memory 256Mi (limit 256Mi), ephemeral-storage 256Mi (limit 1Gi)
   */
  readonly resources?: ResourceRequirements;
  /**
   * Security settings.
   * @default - non-root user and group 10001, read-only root filesystem with a writable /tmp
   */
  readonly security?: SecurityOptions;
  /**
   * Mount a Kubernetes API token into the pods. Only for workloads that call the Kubernetes API. The workload's
   * NetworkPolicy does not open the way to the API server by itself: allowTo its addresses on port 443
   * (`NetworkPeer.cidr(vpcCidr, { ports: [443] })` on EKS); synth notes a token without such an egress rule.
   * @default false
   */
  readonly automountServiceAccountToken?: boolean;
  /**
   * Annotations for the workload's ServiceAccount. With `identity`, the identity writes the IAM role annotation IRSA
   * needs; an `eks.amazonaws.com/role-arn` naming another role (or any, with EKS Pod Identity) is refused.
   * @default - none
   */
  readonly serviceAccountAnnotations?: { [key: string]: string };
  /**
   * The pods' PriorityClass: a DNS subdomain name. The class must exist in the cluster (rules SS-K8S-028 and, for a class
   * neither built in nor in the output, SS-K8S-087 in docs/rules.md).
   * @default - none (the cluster default priority); `system-node-critical` for a NodeAgent
   */
  readonly priorityClassName?: string;
  /**
   * The environment profile, which sets availability defaults. On a production cluster only the production profile is
   * accepted (refused at synth otherwise).
   * @default - the environment of the app's cluster (`App({ cluster })`), else EnvironmentProfile.PRODUCTION
   */
  readonly profile?: EnvironmentProfile;
  /**
   * `app.kubernetes.io/part-of`: the larger application this workload belongs to.
   * @default - no part-of label
   */
  readonly partOf?: string;
  /**
   * `app.kubernetes.io/version`.
   * @default - the image tag
   */
  readonly version?: string;
  /**
   * Extra labels for every object (never used in selectors). The recommended `app.kubernetes.io/` labels the workload
   * writes itself (name, instance, component, managed-by, version, part-of) are refused here: set `name`, `version` or
   * `partOf` instead.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
  /**
   * Extra annotations for the pod template.
   * @default - none
   */
  readonly podAnnotations?: { [key: string]: string };
  /**
   * Where the pods run: a node pool (or several) of the cluster, referred to by its profile. The node selector
   * (or node affinity) and exactly the tolerations the pools' taints need are derived from it.
   * @default - Placement.untaintedNodes(): the nodes without taints (node agents: every node)
   */
  readonly placement?: Placement;
  /**
   * The CPU architectures the image is built for (`amd64`, `arm64`). With one architecture, the pods get a
   * `kubernetes.io/arch` node selector (unless its pool is of that one architecture already); a placement on pools of
   * only other architectures is refused. Values are the node label's: amd64, arm64, arm, ppc64le, s390x, 386, riscv64.
   * @default - not declared: no architecture selector and no check
   */
  readonly imageArchitectures?: string[];
  /**
   * The name of the ServiceAccount the workload creates and its pods run as. Each workload writes its own: a name
   * another workload of the app already uses is refused.
   * @default - the identity's ServiceAccount when `identity` is set, else the workload's `name`
   */
  readonly serviceAccountName?: string;
  /**
   * The AWS IAM identity of the pods: the profile `aws.WorkloadIdentity.profile` gives (a handle from the AWS
   * side, never a string). The ServiceAccount takes the identity's name and, for IRSA, its role annotation, so an
   * identity serves one workload: give a second workload an identity of its own. The
   * NetworkPolicy lets the pods reach the AWS APIs over HTTPS and, for EKS Pod Identity, the node's Pod Identity agent.
   * The public AWS APIs have no addresses a NetworkPolicy could name, so that is HTTPS to every address; when the app's
   * cluster profile says its network has no internet access (`internetAccess: false`, AWS reached through VPC
   * endpoints), it is HTTPS to the VPC's CIDR only.
   * @default - no AWS identity
   */
  readonly identity?: WorkloadIdentityProfile;
}

/** The recommended labels a workload writes itself: why, and what to set instead. */
const OWN_LABELS: { [key: string]: [string, string] } = {
  [RecommendedLabels.NAME]: ['its name, part of its selector', 'set the workload\'s `name` instead'],
  [RecommendedLabels.INSTANCE]: ['its name, part of its selector', 'set the workload\'s `name` instead'],
  [RecommendedLabels.COMPONENT]: ['its kind of workload: web, worker, database, job, cronjob or node-agent', 'leave it out, or carry your own value under another key'],
  [RecommendedLabels.MANAGED_BY]: ['always shipshape', 'leave it out'],
  [RecommendedLabels.VERSION]: ['from the image tag, or the `version` prop', 'set the `version` prop instead'],
  [RecommendedLabels.PART_OF]: ['from the `partOf` prop', 'set the `partOf` prop instead'],
};

/** The least memory a container is given: below it the runtime kills the container as it starts. */
const MIN_MEMORY = MemoryQuantity.mebibytes(4);

/** The values of `kubernetes.io/arch` (Go's GOARCH of the kubelet) on the platforms Kubernetes builds nodes for. */
const NODE_ARCHITECTURES = ['amd64', 'arm64', 'arm', 'ppc64le', 's390x', '386', 'riscv64'];

/** Other names of those architectures, for the error's suggestion. */
const ARCHITECTURE_ALIASES: { [name: string]: string } = {
  'x86_64': 'amd64',
  'x86-64': 'amd64',
  'x64': 'amd64',
  'x86': 'amd64',
  'amd': 'amd64',
  'intel': 'amd64',
  'aarch64': 'arm64',
  'arm64v8': 'arm64',
  'armv8': 'arm64',
  'graviton': 'arm64',
  'arm32': 'arm',
  'armv7': 'arm',
  'armhf': 'arm',
  'i386': '386',
  'i686': '386',
  'ppc64el': 'ppc64le',
};

/**
 * When the kubelet pulls the image.
 */
export enum ImagePullPolicy {
  /** Check the registry on every container start. */
  ALWAYS = 'Always',
  /** Pull only when the image is not on the node (safe with digests). */
  IF_NOT_PRESENT = 'IfNotPresent',
  /** Never pull. */
  NEVER = 'Never',
}

/**
 * A shipshape workload: its name, namespace, pod labels and ports, for other constructs to wire to it.
 */
export interface IWorkload extends IConstruct, INetworkPeer {
  /** The object name. */
  readonly name: string;
  /** The namespace. */
  readonly namespace: string;
  /** The labels selecting this workload's pods (a stable subset of the pod labels). */
  readonly selectorLabels: { [key: string]: string };
  /** The ports the app container listens on (a sidecar's ports are its own: `allowFrom` and `allowTo` accept them too). */
  readonly containerPorts: number[];
}

const WORKLOAD = Symbol.for('shipshape.Workload');
/** Argo CD's sync-wave annotation (objects of a lower wave are applied, and healthy, before those of a higher one). */
const ARGO_SYNC_WAVE = 'argocd.argoproj.io/sync-wave';
/**
 * The kinds of the mesh objects that decide which callers a workload admits (Istio: PeerAuthentication and
 * AuthorizationPolicy; Linkerd: Server, MeshTLSAuthentication and AuthorizationPolicy), which a job of an early sync
 * wave needs applied before it calls the workload.
 */
const CALLER_AUTHORIZATION_KINDS = ['PeerAuthentication', 'AuthorizationPolicy', 'Server', 'MeshTLSAuthentication', 'NetworkAuthentication'];
/** The kinds of a workload's objects that hold a pod template (or are a pod), whose ConfigMaps and Secrets `_applyWaveToConfig` reads. */
const POD_TEMPLATE_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod'];
/** On a workload's `toNetworkPeer()` config: the workload (see `Workload._workloadOf`). */
const PEER_OF = Symbol.for('shipshape.Workload.peerOf');
/** The EKS Pod Identity agent on every node (link-local, IPv4), which hands out the pods' credentials. */
const POD_IDENTITY_AGENT_CIDR = '169.254.170.23/32';
/** The ServiceAccount annotation that gives pods IRSA credentials: the IAM role to assume. */
const ROLE_ARN_ANNOTATION = 'eks.amazonaws.com/role-arn';

/** The ServiceAccounts the workloads of one construct tree (one app) write: namespace/name -> path of the workload. */
const SERVICE_ACCOUNTS = new WeakMap<IConstruct, Map<string, { readonly path: string; readonly byProp: boolean }>>();

/**
 * A container the workload's pod runs besides its main container (sidecars, init tasks).
 * Raw Kubernetes container JSON, already hardened by whoever built it.
 * @internal
 */
export interface ExtraContainer {
  readonly container: any;
  readonly init: boolean;
  readonly volumes: any[];
}

/**
 * The base of every shipshape workload: the one implementation of the hardened pod, the ServiceAccount,
 * the recommended labels and the NetworkPolicy. Its subclasses in shipshape add the controller (Deployment,
 * StatefulSet...); the pod rendering they use is internal, so a subclass outside shipshape cannot make a controller
 * (TypeScript refuses one: the internal `_mainPorts` is abstract). Subclass a concrete workload (`WebService`,
 * `Worker`, `StatefulService`, ...) to give it defaults of your own, or compose one in a construct of yours; use the
 * `Workload` type for what takes any workload (`isWorkload`, `IWorkload`).
 */
export abstract class Workload extends Construct implements IWorkload {
  /**
   * True when `x` is a shipshape workload, also one made by another copy of the shipshape library
   * (a team's construct library may bring its own).
   */
  public static isWorkload(x: any): boolean {
    return x !== null && typeof x === 'object' && x[WORKLOAD] === true;
  }

  /**
   * The shipshape workload `peer` stands for: `peer` itself, or the workload whose `toNetworkPeer()` a construct of
   * yours passes on unchanged (one that wraps a `WebService` and implements `IWebService`), so that a connection to
   * or from the wrapper opens both sides as one to the workload does. Undefined for any other peer.
   * @internal
   */
  public static _workloadOf(peer: INetworkPeer): Workload | undefined {
    if (Workload.isWorkload(peer)) return peer as Workload;
    if (peer === null || typeof peer !== 'object' || typeof peer.toNetworkPeer !== 'function') return undefined;
    const of = (peer.toNetworkPeer() as any)?.[PEER_OF];
    return Workload.isWorkload(of) ? of : undefined;
  }

  public readonly name: string;
  public readonly namespace: string;
  public readonly selectorLabels: { [key: string]: string };
  /** Every label on this workload's objects (recommended labels plus `labels`). */
  public readonly labels: { [key: string]: string };
  /** The environment profile in force. */
  public readonly profile: EnvironmentProfile;
  /** The parsed image reference. */
  public readonly image: ImageRef;
  /** The ServiceAccount the pods run as. */
  public readonly serviceAccount: ApiObject;
  /** The name of the ServiceAccount the pods run as. */
  public readonly serviceAccountName: string;
  /**
   * The NetworkPolicy selecting the pods (ingress from declared callers, egress to DNS and declared destinations).
   */
  public readonly networkPolicy: ApiObject;

  /** @internal */
  protected readonly _props: WorkloadProps;
  /** @internal */
  protected readonly _ingress: NetworkConnection[] = [];
  /** @internal */
  protected readonly _egress: NetworkConnection[] = [];
  /** @internal */
  protected readonly _extraContainers: ExtraContainer[] = [];
  /** @internal */
  protected readonly _podAnnotations: { [key: string]: string } = {};
  /** @internal */
  protected readonly _podLabels: { [key: string]: string } = {};
  /** @internal */
  protected readonly _sidecars: Array<{ sidecar: ISidecar; binding: SidecarBinding }> = [];
  /** The init containers (by name) given the app container's configuration (`RunTaskOptions.shareAppConfig`). */
  private readonly _appConfigTasks = new Set<string>();
  /** The waits of init tasks declared without a peer (`InitTask.waitFor`): synth says when no egress rule lets them through. */
  private readonly _unpeeredWaits: Array<{ task: string; host: string; port: number; named?: () => { peer: INetworkPeer; advice: string } | undefined }> = [];
  private _waitsNoted = false;

  /**
   * @param scope the parent construct
   * @param id the construct id (the default name)
   * @param props the workload's props
   * @param component the `app.kubernetes.io/component` label of its objects (`web`, `worker`, `database`, ...)
   */
  protected constructor(scope: Construct, id: string, props: WorkloadProps, component: string) {
    super(scope, id);
    Object.defineProperty(this, WORKLOAD, { value: true });
    this._props = props;
    this.name = Names.dnsLabel(this, 'name', props.name ?? Names.kebab(id), 63);
    const ns = props.namespace ?? _chartOf(this).namespace;
    if (!ns) {
      fail(this, 'namespace', ns, 'is not set on the workload nor on its chart, so the objects would land in "default" (rule SS-K8S-065)',
        "set `namespace` on the Chart (new Chart(app, 'shop', { namespace: 'shop' })) or on the workload");
    }
    this.namespace = Names.dnsLabel(this, 'namespace', ns, 63);
    if (props.profile !== undefined) Validators.environmentProfile(this, 'profile', props.profile);
    this.profile = props.profile ?? ClusterContext.of(this)?.environment ?? EnvironmentProfile.PRODUCTION;
    this.image = ImageRef.parse(props.image, { allowLatest: props.allowLatestImage, allowLatestProp: 'allowLatestImage' }, this, 'image');
    const version = props.version ?? this.image.tag;
    const labelOptions = { name: this.name, instance: this.name, version: version && /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(version) ? version : undefined, component, partOf: props.partOf };
    if (props.partOf) Names.labelValue(this, 'partOf', props.partOf);
    if (props.version) Names.labelValue(this, 'version', props.version);
    Validators.labels(this, 'labels', props.labels ?? {});
    for (const key of Object.keys(props.labels ?? {})) {
      // the workload writes these itself (two are its selector): the user's value would be dropped without a word
      const own = OWN_LABELS[key];
      if (own !== undefined) fail(this, `labels["${key}"]`, props.labels![key], `is a label the workload sets itself (${own[0]})`, own[1]);
    }
    if (props.priorityClassName !== undefined) Names.dnsSubdomain(this, 'priorityClassName', props.priorityClassName);
    for (const arch of props.imageArchitectures ?? []) {
      if (NODE_ARCHITECTURES.includes(arch)) continue;
      const alias = ARCHITECTURE_ALIASES[arch.toLowerCase()];
      fail(this, 'imageArchitectures', arch, `is not a CPU architecture nodes report in kubernetes.io/arch (${NODE_ARCHITECTURES.join(', ')}): the pods would wait for a node that never comes`,
        `write ${JSON.stringify(alias ?? Validators._closest(arch, NODE_ARCHITECTURES))} (Go's architecture names, as \`docker buildx\` platforms use them)`);
    }
    Validators.annotations(this, 'podAnnotations', props.podAnnotations ?? {});
    Validators.annotations(this, 'serviceAccountAnnotations', props.serviceAccountAnnotations ?? {});
    this.labels = { ...(props.labels ?? {}), ...RecommendedLabels.of(labelOptions) };
    this.selectorLabels = RecommendedLabels.selector(labelOptions);

    const identity = props.identity;
    const roleArn = props.serviceAccountAnnotations?.[ROLE_ARN_ANNOTATION];
    if (identity && roleArn !== undefined && roleArn !== identity.serviceAccountAnnotations?.[ROLE_ARN_ANNOTATION]) {
      fail(this, `serviceAccountAnnotations.${ROLE_ARN_ANNOTATION}`, roleArn, identity.mechanism === 'irsa'
        ? `names another role than the workload's identity (${identity.serviceAccountAnnotations[ROLE_ARN_ANNOTATION]}), and would replace its annotation: the pods would assume that role`
        : `would give the pods IRSA credentials beside their EKS Pod Identity (${identity.roleName}): the AWS SDKs try IRSA's web identity first, so the pods would assume that role`,
      'leave the annotation out: the identity writes what the ServiceAccount needs');
    }
    const clusterOf = ClusterContext.of(this);
    if (identity && clusterOf?.internetAccess === false) {
      // the AWS APIs are VPC endpoints there: HTTPS to the VPC's CIDR only, which must be known
      if (clusterOf.vpcCidr === undefined || clusterOf.vpcCidr === null) {
        this.node.addMetadata('shipshape:info', `cluster ${clusterOf.clusterName} has no internet access but its profile names no vpcCidr: the pods' HTTPS egress `
          + 'for the AWS APIs stays open to every address (0.0.0.0/0); give the profile vpcCidr to keep it to the VPC\'s endpoints');
      } else {
        Validators.cidr(this, 'ClusterProfile.vpcCidr', clusterOf.vpcCidr);
      }
    }
    this.serviceAccountName = this._serviceAccountNameOf(props);
    if (this.serviceAccountName === 'default') {
      // every namespace has a ServiceAccount "default" (the one pods without their own run as): writing one would take it over
      const [prop, value, fix] = props.serviceAccountName !== undefined ? ['serviceAccountName', props.serviceAccountName, 'pass another serviceAccountName']
        : identity ? ['identity', identity.serviceAccount, 'create the identity for another ServiceAccount name']
          : props.name !== undefined ? ['name', this.name, 'pass another name, or keep this one and pass serviceAccountName (for example "default-app")']
            : ['name', this.name, `pass name, or give the construct another id than ${JSON.stringify(id)} (the name defaults to the id in kebab case)`];
      fail(this, prop, value, 'names the workload\'s ServiceAccount "default", the ServiceAccount every namespace already has: applying the output would '
        + 'take it over and change what every pod without its own ServiceAccount runs as', fix);
    }
    this._claimServiceAccount(props);
    this.serviceAccount = new ApiObject(this, 'ServiceAccount', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: this._metadata({
        name: this.serviceAccountName,
        annotations: { ...(identity?.serviceAccountAnnotations ?? {}), ...(props.serviceAccountAnnotations ?? {}) },
      }),
      automountServiceAccountToken: props.automountServiceAccountToken ?? false,
    } satisfies corev1.ServiceAccount);

    this.node.addValidation({ validate: () => this._clusterProblems() });
    this.node.addValidation({ validate: () => { const p = this._sidecarEndProblem(); return p ? [formatValidationMessage(p)] : []; } });
    this.node.addValidation({ validate: () => { this._noteBlockedWaits(); this._noteHandWrittenRole(); this._noteApiToken(); return []; } });
    // (a mesh enrolling this workload after a job's sync wave reached it: its authorization objects take the wave too)
    // (and the ConfigMaps and Secrets of the output its pods read, wherever and whenever they were added, take its wave)
    this.node.addValidation({ validate: () => { this._reapplyWave(); this._applyWaveToConfig(); return []; } });

    this.networkPolicy = new ApiObject(this, 'NetworkPolicy', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: this._metadata(),
      spec: Lazy.any({ produce: () => this._renderNetworkPolicySpec() }),
    } satisfies networkingv1.NetworkPolicy);
  }

  /** The ports the app container listens on (a sidecar's ports are its own: `allowFrom` and `allowTo` accept them too). */
  public abstract get containerPorts(): number[];

  /**
   * This workload as a network peer: its pods, in its namespace, on the container ports its callers may reach
   * (all of them except ports only its own replicas may reach, such as a StatefulService's `peerPorts`).
   */
  public toNetworkPeer(): NetworkPeerConfig {
    const config: NetworkPeerConfig = {
      description: `${this.constructor.name} ${this.namespace}/${this.name}`,
      namespace: this.namespace,
      podLabels: { ...this.selectorLabels },
      ports: this._clientPorts(),
    };
    // which workload this is, for a construct that passes the config on (see _workloadOf); not enumerable, so a
    // copy made to change the config stands for a peer of its own
    Object.defineProperty(config, PEER_OF, { value: this, enumerable: false });
    return config;
  }

  /**
   * The container ports only the workload's own replicas may reach (a StatefulService's `peerPorts`); no other
   * caller is given them.
   * @internal
   */
  public _replicaOnlyPorts(): number[] {
    return []; // a StatefulService's peerPorts (it overrides this)
  }

  /**
   * The container ports a caller other than the workload itself may reach: every one but the replica-only ports.
   * @internal
   */
  public _clientPorts(): number[] {
    const replicaOnly = this._replicaOnlyPorts();
    return this.containerPorts.filter(p => !replicaOnly.includes(p));
  }

  /**
   * Allows `peer` to connect to this workload's ports: `ports`, or else all the ports its callers may reach (a
   * StatefulService's `peerPorts` stay for its own replicas). When `peer` is another shipshape workload, its egress to
   * this workload is allowed too: one declaration, both sides. Declaring the same connection twice (also once from
   * each side) adds it once.
   */
  public allowFrom(peer: INetworkPeer, ports?: number[]): void {
    this._checkConnectionArgs('allowFrom', peer, ports);
    peer = Workload._workloadOf(peer) ?? peer;
    const why = this._ingressRefusal();
    if (why !== undefined) {
      // name what was passed (the caller), and say why this workload refuses it
      const given = Workload.isWorkload(peer) ? (peer as Workload).node.path : peer?.toNetworkPeer?.().description ?? peer;
      fail(this, 'allowFrom', given, `would admit a caller, but this workload ${why}`, 'remove the connection, or model the receiving side as a WebService or StatefulService');
    }
    const other = Workload.isWorkload(peer) && peer !== this ? peer as Workload : undefined;
    if (!Workload.isWorkload(peer)) {
      const cfg = peer.toNetworkPeer();
      checkPeerConfig(this, 'allowFrom', cfg);
      if (cfg.ports !== undefined) {
        const own = this._clientPorts();
        const named = cfg.ports.filter(p => own.includes(p));
        fail(this, 'allowFrom', cfg.description, `is declared with ports (${cfg.ports.join(', ')}), which say where the peer listens and only apply to `
          + 'connections to it (allowTo): allowFrom would ignore them and admit the peer on all of this workload\'s ports',
        `declare the peer without ports and pass the ports of this workload it may reach as allowFrom's ports argument (allowFrom(peer, [${(named.length ? named : own).join(', ')}])), `
          + 'or omit that argument to allow all of them');
      }
    }
    const granted = this._checkCalleePorts(this, 'allowFrom.ports', peer === this, ports);
    this._addIngress(peer, granted);
    other?._addEgress(this, granted.length ? granted : this._clientPorts());
    // its own replicas calling each other: both sides, as for another workload
    if (peer === this) this._addEgress(this, granted.length ? granted : [...this.containerPorts]);
  }

  /**
   * Allows this workload to connect to `peer`: on `ports`, or else the peer's own ports (for a shipshape workload,
   * all the ports its callers may reach), or else any port. When `peer` is another shipshape workload, `ports` must
   * be ports it listens on, and its ingress from this workload is allowed too. Declaring the same connection twice
   * (also once from each side) adds it once.
   */
  public allowTo(peer: INetworkPeer, ports?: number[]): void {
    this._checkConnectionArgs('allowTo', peer, ports);
    peer = Workload._workloadOf(peer) ?? peer;
    const cfg = peer.toNetworkPeer();
    if (!Workload.isWorkload(peer)) {
      checkPeerConfig(this, 'allowTo', cfg);
      if (ports !== undefined) checkPeerPorts(this, 'allowTo.ports', ports, 'omit ports to allow all of the peer\'s ports');
      this._addEgress(peer, [...(ports ?? cfg.ports ?? [])]);
      return;
    }
    const callee = peer as Workload;
    if (callee !== this) callee._checkIngressAccepted(this, 'allowTo');
    const granted = callee._checkCalleePorts(this, 'allowTo.ports', callee === this, ports);
    this._addEgress(peer, granted.length ? granted : callee === this ? [...this.containerPorts] : callee._clientPorts());
    // (its own replicas: admitted too, unless the workload admits no caller at all)
    if (callee !== this || this._ingressRefusal() === undefined) callee._addIngress(this, granted);
  }

  /**
   * Refuses what the types forbid but plain JavaScript (or `as any`) passes to allowTo and allowFrom: a peer that is no
   * network peer (undefined, a name as a string), and ports that are no list.
   */
  private _checkConnectionArgs(method: string, peer: unknown, ports: unknown): void {
    const p = peer as { toNetworkPeer?: unknown } | null | undefined;
    if (p === null || typeof p !== 'object' || typeof p.toNetworkPeer !== 'function') {
      fail(this, method, peer, `is not a network peer: ${method} takes a shipshape workload or a NetworkPeer`,
        `pass the workload construct itself (not its name), or a NetworkPeer such as NetworkPeer.pods(${JSON.stringify(this.namespace)}, { app: 'db' }) or NetworkPeer.cidr('10.0.0.0/16')`);
    }
    if (ports !== undefined && !Array.isArray(ports)) {
      fail(this, `${method}.ports`, ports, 'must be a list of port numbers', `pass a list, for example ${typeof ports === 'number' ? `[${ports}]` : '[5432]'}`);
    }
  }

  /**
   * Checks the ports a caller names for this workload (the callee), and returns the ports its ingress rule names:
   * `[]` for all the ports the caller may reach, which for a caller other than the workload itself excludes the
   * replica-only ports. `scope` and `prop` are where an error is reported (`allowFrom.ports` on this workload,
   * `allowTo.ports` on the caller).
   * @internal
   */
  public _checkCalleePorts(scope: Workload, prop: string, self: boolean, ports: number[] | undefined): number[] {
    // the app's ports and its sidecars' (a MetricsAdapter's metrics port, a sidecar's own), but not the ports a sidecar
    // keeps for the pod itself (an AmbassadorProxy's listen and health ports)
    const podOnly = this._sidecars.flatMap(s => Workload._bindingContainers(s.binding).flatMap(c => SidecarContainers.podOnlyPorts(c)
      .map(port => ({ port, sidecar: s.sidecar.name }))));
    const own = Workload._uniquePorts(this._podPorts().map(p => p.port).filter(p => !podOnly.some(x => x.port === p)));
    for (const p of ports ?? []) {
      const inner = podOnly.find(x => x.port === p);
      if (inner !== undefined) {
        fail(scope, prop, p, `is a port sidecar ${inner.sidecar} of ${scope === this ? 'this workload' : this.node.path} keeps for the pod itself (the app over localhost, the kubelet's probes): `
          + 'no other pod may reach it', `name a port the pods serve (${own.join(', ') || 'none'}), or omit ports to allow all of them`);
      }
    }
    const replicaOnly = self ? [] : this._replicaOnlyPorts();
    const client = own.filter(p => !replicaOnly.includes(p));
    const whose = scope === this ? 'this workload' : this.node.path;
    const its = scope === this ? 'this workload\'s' : `${this.node.path}'s`;
    if (ports !== undefined && ports.length === 0) {
      fail(scope, prop, ports, `is empty, which would allow all of ${its} ports on one side of the connection and every port on the other`,
        `omit ports to allow all of ${its} ports${replicaOnly.length ? ' that its callers may reach' : ''}, or name them (${client.join(', ') || 'none'})`);
    }
    for (const p of ports ?? []) {
      if (!own.includes(p)) {
        // callers think in Service ports; a NetworkPolicy matches the port the pods listen on
        const svc = (this as any).servicePort;
        const target = (this as any).port;
        if (p === svc && typeof target === 'number' && own.includes(target)) {
          fail(scope, prop, p, `is the port of ${whose === 'this workload' ? 'this workload\'s' : `${whose}'s`} Service, which forwards it to container port ${target}: `
            + 'a NetworkPolicy matches the port the pods listen on', `name ${target}, or omit ports to allow all of them`);
        }
        fail(scope, prop, p, `is not a port ${whose} listens on (${own.join(', ') || 'none'})`, 'name one of its container ports, or omit ports to allow all of them');
      }
      if (replicaOnly.includes(p)) {
        fail(scope, prop, p, `is one of ${its} peerPorts (${replicaOnly.join(', ')}), which only its own replicas may reach`,
          `name a client port (${client.join(', ') || 'none'}), or omit ports to allow all of them`);
      }
    }
    const granted = Workload._uniquePorts(ports ?? (self || replicaOnly.length === 0 ? [] : client));
    // a list of every container port is the same rule as "all ports": one form, so equal declarations are found equal
    return granted.length === own.length && own.every(p => granted.includes(p)) ? [] : granted;
  }

  /**
   * Adds a caller, unless the same one (same peer, same ports) is declared already.
   * @internal
   */
  public _addIngress(peer: INetworkPeer, ports: number[]): void {
    Workload._addConnection(this._ingress, peer, ports);
  }

  /**
   * Adds a destination, unless the same one (same peer, same ports) is declared already.
   * @internal
   */
  public _addEgress(peer: INetworkPeer, ports: number[]): void {
    Workload._addConnection(this._egress, peer, ports);
    // a job in an early Argo CD sync wave needs its destinations running, and admitting it, before it runs
    if (this._neededByWave !== undefined && Workload.isWorkload(peer) && peer !== this) (peer as Workload)._runByWave(this._neededByWave);
  }

  /** See `_needBeforeWave`. */
  private _neededByWave?: number;
  /** Set once `_noteHandWrittenRole` ran. */
  private _roleNoted = false;
  /** Set once `_noteApiToken` ran. */
  private _tokenNoted = false;
  /** The Argo CD sync wave this workload's NetworkPolicy is lowered to (`_applyByWave`), if any. */
  private _policyWave?: number;
  /** The Argo CD sync wave all of this workload's objects are lowered to (`_runByWave`), if any. */
  private _wholeWave?: number;
  /** The Argo CD sync wave of a job of an early wave itself (`_needBeforeWave`): the ConfigMaps and Secrets it reads go there. */
  private _ownWave?: number;

  /**
   * For a job that Argo CD runs in sync wave `wave` (and waits on): the objects it needs must be applied in an
   * earlier wave, or its pod cannot start (no ServiceAccount yet) nor reach its destinations (not applied yet on a first
   * sync, or their NetworkPolicies not admitting it) and the sync waits on it until its deadline. Puts its own
   * ServiceAccount and NetworkPolicy in wave `wave - 1` (when that is below 0, the default), and every object of each
   * workload it connects to (a migration's database: its Service, StatefulSet, NetworkPolicy, ...), now and later:
   * Argo CD applies them, and waits for them to be healthy, before the job. The ConfigMaps and Secrets the job and
   * those workloads read follow at synth (`_applyWaveToConfig`).
   * @internal
   */
  public _needBeforeWave(wave: number): void {
    if (wave > 0) return;
    this._ownWave = wave;
    this._neededByWave = wave - 1;
    this.serviceAccount.metadata.addAnnotation(ARGO_SYNC_WAVE, String(wave - 1));
    this._applyByWave(wave - 1);
    for (const c of this._egress) if (Workload.isWorkload(c.peer) && c.peer !== this) (c.peer as Workload)._runByWave(wave - 1);
  }

  /**
   * Puts every object of this workload in Argo CD sync wave `wave` at the latest (the lowest wave asked for wins): a job
   * of an earlier wave connects to it.
   * @internal
   */
  public _runByWave(wave: number): void {
    if (this._wholeWave !== undefined && this._wholeWave <= wave) return;
    this._wholeWave = wave;
    this._applyByWave(wave);
    this._reapplyWave();
  }

  /**
   * Puts this workload's NetworkPolicy, and the mesh authorization objects that admit its callers, in Argo CD sync
   * wave `wave` at the latest (the lowest wave asked for wins).
   * @internal
   */
  public _applyByWave(wave: number): void {
    if (this._policyWave !== undefined && this._policyWave <= wave) return;
    this._policyWave = wave;
    this._reapplyWave();
  }

  /**
   * Writes the wave of `_applyByWave` onto the objects that decide who may call this workload: its NetworkPolicy and
   * the mesh's authorization objects under it (a mesh enrolling the workload after the wave was set calls this again).
   * @internal
   */
  public _reapplyWave(): void {
    if (this._policyWave === undefined) return;
    const lower = (obj: ApiObject, wave: number) => {
      // a wave given already (an escape hatch) is kept when it is lower
      const had = Workload._argoWave(obj.metadata.toJson().annotations?.[ARGO_SYNC_WAVE]);
      if (had !== undefined && had <= wave) return;
      obj.metadata.addAnnotation(ARGO_SYNC_WAVE, String(wave));
    };
    lower(this.networkPolicy, this._policyWave);
    for (const c of this.node.findAll()) {
      if (!ApiObject.isApiObject(c)) continue;
      const obj = c as ApiObject;
      if (this._wholeWave !== undefined) lower(obj, this._wholeWave);
      else if (CALLER_AUTHORIZATION_KINDS.includes(obj.kind)) lower(obj, this._policyWave);
    }
  }

  /**
   * The sync wave Argo CD reads from an `argocd.argoproj.io/sync-wave` value, or undefined when it reads none (then it
   * takes the object's `helm.sh/hook-weight`, or 0): Argo CD parses the value with Go's `strconv.Atoi`, so an integer
   * with an optional sign and nothing else, no spaces (values beyond JavaScript's safe integers are left out too).
   * @internal
   */
  public static _argoWave(value: unknown): number | undefined {
    if (typeof value !== 'string' || !/^[-+]?\d+$/.test(value)) return undefined;
    const wave = Number(value);
    return Number.isSafeInteger(wave) ? wave : undefined;
  }

  /**
   * Puts the ConfigMaps and Secrets of the app's output that this workload's pods read in its Argo CD sync wave, when
   * a job of an early wave moved it there (`_runByWave`) or it is that job (`_needBeforeWave`): the pods wait for them
   * (ContainerCreating, CreateContainerConfigError), and Argo CD applies the default wave 0, where they would be, only
   * once this wave is healthy, so the sync would wait forever. Read from the rendered pods: secret, configMap and
   * projected volumes, env valueFrom and envFrom of every container, imagePullSecrets (and those of its
   * ServiceAccount). An External Secrets `ExternalSecret` whose target Secret (by default its own name) is one of them
   * goes in the wave too, with the SecretStore (or ClusterSecretStore) it names, when in the output. Objects are matched
   * by kind, name and the workload's namespace; the lowest wave asked for wins, and a lower wave given by hand is kept.
   * Runs at synth (a validation), when every object of the app exists.
   * @internal
   */
  public _applyWaveToConfig(): void {
    const waves = [this._ownWave, this._wholeWave].filter((w): w is number => w !== undefined);
    if (waves.length === 0) return;
    const wave = Math.min(...waves);
    const refs = this._configReferences();
    if (refs.size === 0) return;
    const lower = (obj: ApiObject) => {
      // an object without a wave (or with one Argo CD cannot read) is in wave 0
      if ((Workload._argoWave(obj.metadata.toJson().annotations?.[ARGO_SYNC_WAVE]) ?? 0) <= wave) return;
      obj.metadata.addAnnotation(ARGO_SYNC_WAVE, String(wave));
    };
    const stores = new Set<string>();
    const all = this.node.root.node.findAll().filter(c => ApiObject.isApiObject(c)) as ApiObject[];
    for (const obj of all) {
      const group = obj.apiVersion.split('/')[0];
      if (obj.apiVersion === 'v1' && (obj.kind === 'ConfigMap' || obj.kind === 'Secret')) {
        if (obj.metadata.namespace === this.namespace && refs.has(`${obj.kind}/${obj.metadata.name}`)) lower(obj);
      } else if (group === 'external-secrets.io' && obj.kind === 'ExternalSecret' && obj.metadata.namespace === this.namespace) {
        const spec = Workload._renderedOf(obj)?.spec;
        const target: unknown = spec?.target?.name ?? obj.metadata.name;
        if (typeof target !== 'string' || !refs.has(`Secret/${target}`)) continue;
        lower(obj);
        const store = spec?.secretStoreRef;
        if (typeof store?.name === 'string') stores.add(store.kind === 'ClusterSecretStore' ? `ClusterSecretStore/${store.name}` : `SecretStore/${store.name}`);
      }
    }
    if (stores.size === 0) return;
    for (const obj of all) {
      if (obj.apiVersion.split('/')[0] !== 'external-secrets.io' || !stores.has(`${obj.kind}/${obj.metadata.name}`)) continue;
      if (obj.kind === 'ClusterSecretStore' || obj.metadata.namespace === this.namespace) lower(obj);
    }
  }

  /** An object as rendered, or undefined when it does not render (synth reports why). */
  private static _renderedOf(obj: ApiObject): any {
    try {
      return obj.toJson();
    } catch {
      return undefined;
    }
  }

  /**
   * The ConfigMaps and Secrets this workload's pods read, as `ConfigMap/<name>` and `Secret/<name>`, from its rendered
   * objects (see `_applyWaveToConfig`).
   */
  private _configReferences(): Set<string> {
    const refs = new Set<string>();
    const name = (kind: string, n: unknown) => { if (typeof n === 'string') refs.add(`${kind}/${n}`); };
    const list = (x: unknown): any[] => (Array.isArray(x) ? x : []);
    for (const c of this.node.findAll()) {
      if (!ApiObject.isApiObject(c)) continue;
      const obj = c as ApiObject;
      if (obj.kind === 'ServiceAccount') {
        for (const s of list(Workload._renderedOf(obj)?.imagePullSecrets)) name('Secret', s?.name);
        continue;
      }
      if (!POD_TEMPLATE_KINDS.includes(obj.kind)) continue;
      const spec = Workload._renderedOf(obj)?.spec;
      const pod: corev1.PodSpec | undefined = obj.kind === 'Pod' ? spec : obj.kind === 'CronJob' ? spec?.jobTemplate?.spec?.template?.spec : spec?.template?.spec;
      if (!pod) continue;
      for (const s of list(pod.imagePullSecrets)) name('Secret', s?.name);
      for (const ct of [...list(pod.initContainers), ...list(pod.containers), ...list(pod.ephemeralContainers)] as corev1.Container[]) {
        for (const e of list(ct?.env) as corev1.EnvVar[]) {
          name('ConfigMap', e?.valueFrom?.configMapKeyRef?.name);
          name('Secret', e?.valueFrom?.secretKeyRef?.name);
        }
        for (const e of list(ct?.envFrom) as corev1.EnvFromSource[]) {
          name('ConfigMap', e?.configMapRef?.name);
          name('Secret', e?.secretRef?.name);
        }
      }
      for (const v of list(pod.volumes) as corev1.Volume[]) {
        name('ConfigMap', v?.configMap?.name);
        name('Secret', v?.secret?.secretName);
        for (const s of list(v?.projected?.sources) as corev1.VolumeProjection[]) {
          name('ConfigMap', s?.configMap?.name);
          name('Secret', s?.secret?.name);
        }
      }
    }
    return refs;
  }

  /** The Argo CD sync wave the objects this workload needs are applied by, when it is a job of an early wave (see `_needBeforeWave`). @internal */
  public get _neededWave(): number | undefined {
    return this._neededByWave;
  }

  private static _addConnection(list: NetworkConnection[], peer: INetworkPeer, ports: number[]): void {
    const unique = Workload._uniquePorts(ports);
    const key = [...unique].sort((a, b) => a - b).join(',');
    // peers that are not workloads are the same when they select the same pods or range alike; their own `ports` are
    // not part of the rule (the connection's ports are)
    const config = (x: INetworkPeer) => Workload._canonical({ ...x.toNetworkPeer(), ports: undefined });
    const samePeer = (a: INetworkPeer, b: INetworkPeer) => a === b || (!Workload.isWorkload(a) && !Workload.isWorkload(b) && config(a) === config(b));
    if (list.some(c => samePeer(c.peer, peer) && [...c.ports].sort((a, b) => a - b).join(',') === key)) return;
    list.push({ peer, ports: unique });
  }

  private static _uniquePorts(ports: number[]): number[] {
    return ports.filter((p, i) => ports.indexOf(p) === i);
  }

  /** A peer's configuration as JSON with sorted keys, to compare peers that are not the same object. */
  private static _canonical(value: unknown): string {
    return JSON.stringify(value, (_k, v) => (v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.keys(v).sort().filter(k => v[k] !== undefined).map(k => [k, v[k]])) : v));
  }

  /**
   * Why this workload accepts no inbound connections (Worker, jobs), or undefined when it accepts declared callers.
   * @internal
   */
  protected _ingressRefusal(): string | undefined {
    return undefined;
  }

  /** @internal */
  private _checkIngressAccepted(caller: Workload, prop: string): void {
    const why = this._ingressRefusal();
    if (why !== undefined) {
      fail(caller, prop, this.node.path, why, 'remove the connection, or model the receiving side as a WebService or StatefulService');
    }
  }

  /** The callers declared with `allowFrom` (and by other workloads' `allowTo`). */
  public get ingressConnections(): NetworkConnection[] {
    return [...this._ingress];
  }

  /** The destinations declared with `allowTo` (and by other workloads' `allowFrom`). */
  public get egressConnections(): NetworkConnection[] {
    return [...this._egress];
  }

  /**
   * Adds an annotation to the pod template (for example a mesh or scraping annotation).
   */
  public addPodAnnotation(key: string, value: string): void {
    Validators.annotationKey(this, 'addPodAnnotation key', key);
    this._podAnnotations[key] = value;
  }

  /**
   * Adds a label to the pod template (not to selectors). A label the workload writes itself (its name and instance,
   * which its selector matches, component, version, part-of, managed-by) is refused, as in `labels`.
   */
  public addPodLabel(key: string, value: string): void {
    Validators.labelKey(this, 'addPodLabel key', key);
    Names.labelValue(this, `addPodLabel("${key}") value`, value);
    const own = OWN_LABELS[key];
    // the selector's two would stop matching the pods (the Deployment refused, the Service selecting none)
    if (own !== undefined) fail(this, `addPodLabel("${key}")`, value, `is a label the workload sets itself (${own[0]})`, own[1]);
    this._podLabels[key] = value;
  }

  /**
   * Adds a container to the pod (sidecars and init tasks). The container JSON must already be hardened.
   * @internal
   */
  public _addExtraContainer(extra: ExtraContainer): void {
    this._extraContainers.push(extra);
  }

  /**
   * Adds a sidecar (log shipper, metrics adapter, ambassador proxy, init tasks) to the pod. The sidecar is
   * validated now; its long-running containers become native sidecars (init containers with
   * `restartPolicy: Always`) when the chart targets Kubernetes 1.29 or newer (`KubernetesTarget`), and
   * regular containers otherwise; a Job or ScheduledJob refuses them below 1.29 at synth (a regular container would
   * keep its pod running, so the job would never complete), while init tasks are accepted everywhere. Its network
   * needs are added to the NetworkPolicy.
   */
  public addSidecar(sidecar: ISidecar): void {
    const binding = sidecar.bind(this);
    const taken = new Set<string>(['app']);
    /** volume name -> what makes it (the prop of the app's, or the sidecar) */
    const volumes = new Map<string, string>(this._ownVolumes().map(v => [v.name, v.prop]));
    const ports = new Set<number>(this.containerPorts);
    // a Service's or probe's named targetPort resolves to the first container port of that name: names are unique in the pod
    const portNames = new Set<string>(this._mainPorts().map(p => p.name));
    for (const s of this._sidecars) {
      for (const c of Workload._bindingContainers(s.binding)) {
        taken.add(c.name);
        for (const p of c.ports ?? []) {
          ports.add(p.containerPort);
          if (p.name !== undefined) portNames.add(p.name);
        }
        for (const p of SidecarContainers.podOnlyPorts(c)) ports.add(p);
      }
      for (const v of s.binding.volumes ?? []) volumes.set(v.name, `sidecar ${s.sidecar.name}`);
    }
    for (const c of Workload._bindingContainers(binding)) {
      if (taken.has(c.name)) {
        // a sidecar of several containers (InitTasks: one per task) names them itself: say which one clashes
        const own = c.name === sidecar.name;
        fail(this, own ? `sidecars.${sidecar.name}.name` : `sidecars.${sidecar.name} container`, c.name,
          `is already the name of a container in this pod${c.name === 'app' ? ' (the app container)' : ''}`,
          own ? 'give each sidecar its own name' : `give that container of ${sidecar.name} (an init task, a sidecar container) another name`);
      }
      taken.add(c.name);
      for (const p of c.ports ?? []) {
        if (ports.has(p.containerPort)) {
          fail(this, `sidecars.${sidecar.name}.port`, p.containerPort, 'is already a port of the pod (containers share one network namespace)', 'pick a port no other container listens on');
        }
        ports.add(p.containerPort);
        if (p.name !== undefined && portNames.has(p.name)) {
          // name the prop that named the new port (when the sidecar has one) and the one that named the port it clashes with
          const own = SidecarContainers.portNameProp(c, p.name);
          const other = this._portNameOwner(p.name);
          const fixes = [own !== undefined ? `set ${own} to another name` : undefined, other.prop !== undefined ? `rename ${other.what} (${other.prop})` : undefined].filter(f => f !== undefined);
          fail(this, own ?? `sidecars.${sidecar.name}.port`, p.name, `is already the name of a port in this pod (${other.what}): a Service targetPort or probe port of that name would reach whichever container lists it first`,
            fixes.length > 0 ? fixes.join(', or ') : 'give one of the two ports another name');
        }
        if (p.name !== undefined) portNames.add(p.name);
      }
      for (const port of SidecarContainers.podOnlyPorts(c)) {
        if ((c.ports ?? []).some((p: any) => p.containerPort === port)) continue;
        if (ports.has(port)) fail(this, `sidecars.${sidecar.name}.port`, port, 'is already a port of the pod (containers share one network namespace)', 'pick a port no other container listens on');
        ports.add(port);
      }
    }
    for (const v of binding.volumes ?? []) {
      const other = volumes.get(v.name);
      if (other !== undefined) {
        fail(this, `sidecars.${sidecar.name}.volumes`, v.name, `is already the name of a volume in this pod (${other.startsWith('sidecar ') ? other : `the app's, from ${other}`})`,
          'give the sidecar another name (shipshape\'s sidecars name their volumes after themselves), or its volume another name');
      }
      volumes.set(v.name, `sidecar ${sidecar.name}`);
    }
    const p = this._props;
    const list = <T>(x: T[] | undefined): T[] => (Array.isArray(x) ? x : []);
    const writable = Array.isArray(p.security?.writablePaths) ? p.security!.writablePaths : ['/tmp'];
    /** the app container's mount paths -> the prop that mounts each */
    const paths = new Map<string, string>([
      ...writable.map((w, i): [string, string] => [w, `security.writablePaths[${i}]`]),
      ...list(p.secretMounts).map((m, i): [string, string] => [m?.mountPath, `secretMounts[${i}].mountPath`]),
      ...list(p.configMapMounts).map((m, i): [string, string] => [m?.mountPath, `configMapMounts[${i}].mountPath`]),
      ...this._ownExtraMounts().map((m): [string, string] => [m.path, m.prop]),
      ...this._sidecars.flatMap(s => (s.binding.appVolumeMounts ?? []).map((m): [string, string] => [m.mountPath, SidecarContainers.mountProp(m) ?? `sidecars.${s.sidecar.name}.appVolumeMounts`])),
    ]);
    for (const m of binding.appVolumeMounts ?? []) {
      const other = paths.get(m.mountPath);
      const prop = SidecarContainers.mountProp(m) ?? `sidecars.${sidecar.name}.appVolumeMounts`;
      if (other !== undefined) {
        // a writable path the sidecar shares: its volume is writable for the app already, so the path is the one to drop
        const shared = p.security?.writablePaths !== undefined && other.startsWith('security.writablePaths[');
        fail(this, prop, m.mountPath, `is already a mount path of the app container (${other})`,
          shared ? `leave ${m.mountPath} out of security.writablePaths: the sidecar shares its volume there with the app, which may write it`
            : 'mount the sidecar volume at another path');
      }
      paths.set(m.mountPath, prop);
    }
    // the ports of the sidecar's network needs: real ports, and callers admitted only on a port of the pod
    (binding.ingress ?? []).forEach((c, i) => {
      const prop = `sidecars.${sidecar.name}.ingress[${i}].ports`;
      if (c.ports.length === 0) return;
      checkPeerPorts(this, prop, [...c.ports], 'leave ports out to admit every port');
      const missing = c.ports.find(port => !ports.has(port));
      if (missing !== undefined) {
        fail(this, prop, missing, `is not a port of the pod (its containers declare ${[...ports].join(', ') || 'none'}): the callers would be admitted where nothing listens`,
          'admit them on a port a container of the sidecar declares');
      }
    });
    (binding.egress ?? []).forEach((c, i) => {
      if (c.ports.length > 0 && !Workload.isWorkload(c.peer)) checkPeerPorts(this, `sidecars.${sidecar.name}.egress[${i}].ports`, [...c.ports], 'leave ports out to allow every port of the peer');
    });
    // A connection to another shipshape workload is declared on both sides, as allowTo does: its NetworkPolicy admits
    // only declared callers. Checked before anything is added, so a refused sidecar leaves no trace.
    const prop = `sidecars.${sidecar.name}.egress`;
    const callees = (binding.egress ?? []).filter(c => Workload.isWorkload(c.peer) && c.peer !== this).map(c => {
      const callee = c.peer as Workload;
      callee._checkIngressAccepted(this, prop);
      return { callee, granted: callee._checkCalleePorts(this, `${prop}.ports`, false, c.ports.length ? c.ports : undefined) };
    });
    this._sidecars.push({ sidecar, binding });
    for (const c of binding.ingress ?? []) {
      this._addIngress(c.peer, [...c.ports]);
      // a caller that is another shipshape workload (a MetricsAdapter's scraper) gets the egress too, as allowFrom gives it
      if (Workload.isWorkload(c.peer) && c.peer !== this) (c.peer as Workload)._addEgress(this, [...c.ports]);
    }
    for (const c of binding.egress ?? []) this._addEgress(c.peer, [...c.ports]);
    for (const { callee, granted } of callees) callee._addIngress(this, granted);
  }

  /**
   * The containers a sidecar binding adds to the pod: its containers, then its init containers.
   * @internal
   */
  public static _bindingContainers(binding: SidecarBinding): { [key: string]: any }[] {
    return [...(binding.containers ?? []), ...(binding.initContainers ?? [])];
  }

  /**
   * The volumes of the pod the workload makes itself, each with the prop that makes it (for the names a sidecar's
   * volumes may not take): `tmp` and `writable-<i>` of `security.writablePaths`, `secret-<i>` and `config-<i>` of the
   * secret and ConfigMap mounts.
   * @internal
   */
  protected _ownVolumes(): Array<{ name: string; prop: string }> {
    const p = this._props;
    const out = [{ name: 'tmp', prop: 'security.writablePaths' }];
    const writable = Array.isArray(p.security?.writablePaths) ? p.security!.writablePaths : ['/tmp'];
    writable.forEach((w, i) => {
      if (!(i === 0 && w === '/tmp')) out.push({ name: `writable-${i}`, prop: `security.writablePaths[${i}]` });
    });
    (Array.isArray(p.secretMounts) ? p.secretMounts : []).forEach((_, i) => out.push({ name: `secret-${i}`, prop: `secretMounts[${i}]` }));
    (Array.isArray(p.configMapMounts) ? p.configMapMounts : []).forEach((_, i) => out.push({ name: `config-${i}`, prop: `configMapMounts[${i}]` }));
    return out;
  }

  /**
   * The app container's mount paths besides its writable paths, secret and ConfigMap mounts (a StatefulService's
   * claims), each with the prop that sets it.
   * @internal
   */
  protected _ownExtraMounts(): Array<{ path: string; prop: string }> {
    return [];
  }

  /**
   * Which port of the pod has the name `name`, and the prop that named it (undefined for a name a sidecar fixes itself).
   * @internal
   */
  public _portNameOwner(name: string): { what: string; prop?: string } {
    const props: any = this._props;
    const own = this._mainPorts().find(p => p.name === name);
    if (own !== undefined) {
      for (const list of ['extraPorts', 'peerPorts', 'ports']) {
        const i = Array.isArray(props[list]) ? props[list].findIndex((p: any) => p?.name === name) : -1;
        if (i >= 0) return { what: 'a port of the app container', prop: `${list}[${i}].name` };
      }
      // a Worker's health port (named by healthPortName), else the main port
      return { what: 'a port of the app container', prop: (this as { healthPortName?: string }).healthPortName === name ? 'healthPortName' : 'portName' };
    }
    for (const s of this._sidecars) {
      for (const c of Workload._bindingContainers(s.binding)) {
        if (((c.ports ?? []) as corev1.ContainerPort[]).some(p => p.name === name)) return { what: `a port of sidecar ${s.sidecar.name}`, prop: SidecarContainers.portNameProp(c, name) };
      }
    }
    return { what: 'another port of this sidecar', prop: undefined };
  }

  /**
   * Every container port of the pod, with the prop that set it: `port`, `extraPorts[i].port`, `peerPorts[i].port`,
   * `ports[i].port` or `healthPort` for the app container's ports, and `sidecars.<name>.port` for a sidecar's.
   * @internal
   */
  public _podPorts(): Array<{ port: number; prop: string }> {
    // the prop that declared each of the app container's ports: a list of ports (extraPorts, peerPorts, a NodeAgent's
    // ports), a Worker's healthPort, else port
    const props: any = this._props;
    const propOf = (port: number): string => {
      for (const list of ['extraPorts', 'peerPorts', 'ports']) {
        const i = Array.isArray(props[list]) ? props[list].findIndex((p: any) => p?.port === port) : -1;
        if (i >= 0) return `${list}[${i}].port`;
      }
      return props.healthPort === port ? 'healthPort' : 'port';
    };
    const own = this._mainPorts().map(p => ({ port: p.port, prop: propOf(p.port) }));
    const sidecars = this._sidecars.flatMap(s => Workload._bindingContainers(s.binding)
      .flatMap(c => Workload._uniquePorts([...((c.ports ?? []) as corev1.ContainerPort[]).map(p => p.containerPort), ...SidecarContainers.podOnlyPorts(c)])
        .map(port => ({ port, prop: `sidecars.${s.sidecar.name}.port` }))));
    return [...own, ...sidecars];
  }

  /** The sidecars added with `addSidecar`, in order. */
  public get sidecars(): ISidecar[] {
    return this._sidecars.map(s => s.sidecar);
  }

  /**
   * Refuses a ServiceAccount named by `identity` or `serviceAccountName` that another workload of the app writes
   * already: the two objects would have one name. (The whole-output check would refuse it at synth, but with the fix
   * for two objects named alike: renaming the workload, which does not rename this ServiceAccount.)
   * @internal
   */
  private _claimServiceAccount(props: WorkloadProps): void {
    const root = this.node.root;
    let taken = SERVICE_ACCOUNTS.get(root);
    if (taken === undefined) {
      taken = new Map();
      SERVICE_ACCOUNTS.set(root, taken);
    }
    const key = `${this.namespace}/${this.serviceAccountName}`;
    const claimed = taken.get(key);
    if (claimed === undefined) {
      // by serviceAccountName without an identity: a name chosen by hand, which an identity's workload may need
      taken.set(key, { path: this.node.path, byProp: props.serviceAccountName !== undefined && !props.identity });
      return;
    }
    const first = claimed.path;
    const why = `is already the ServiceAccount of ${first} in namespace ${this.namespace}: each workload writes its own ServiceAccount, and two of one name would overwrite each other`;
    const identity = props.identity;
    if (identity && claimed.byProp) {
      // the other workload took the identity's name by hand: the fix is there
      fail(this, 'identity', identity.serviceAccount, `${why} (${first} names it with serviceAccountName, without this identity: it would run with the identity's role)`,
        `give ${first} another serviceAccountName (or leave it out), or create another identity for this workload`);
    }
    if (identity) {
      fail(this, 'identity', identity.serviceAccount, `${why} (the ServiceAccount takes the identity's name, so an identity serves one workload)`,
        'create another identity for this workload (aws.EksCluster.addWorkloadIdentity with a serviceAccount of its own) and grant it what this workload needs');
    }
    if (props.serviceAccountName !== undefined) {
      fail(this, 'serviceAccountName', props.serviceAccountName, why, 'pass another serviceAccountName, or leave it out (it defaults to the workload\'s name)');
    }
    // a ServiceAccount named after the workload: its other objects are likely to collide too, and the whole-output
    // check at synth lists every collision at once, with a fix that fits
  }

  /**
   * The ServiceAccount name: the prop, else the identity's, else the workload's name; checked against the identity.
   * @internal
   */
  private _serviceAccountNameOf(props: WorkloadProps): string {
    const identity = props.identity;
    if (props.serviceAccountName !== undefined) Names.dnsSubdomain(this, 'serviceAccountName', props.serviceAccountName);
    if (!identity) return props.serviceAccountName ?? this.name;
    Validators._identityMechanism(this, 'identity.mechanism', identity.mechanism);
    if (identity.namespace !== this.namespace) {
      fail(this, 'identity.namespace', identity.namespace, `must be the workload's namespace (${this.namespace}): the IAM role trusts exactly ServiceAccount ${identity.serviceAccount} of namespace ${identity.namespace}`,
        `create the identity for namespace ${JSON.stringify(this.namespace)} (aws.EksCluster.addWorkloadIdentity), or move the workload`);
    }
    if (props.serviceAccountName !== undefined && props.serviceAccountName !== identity.serviceAccount) {
      fail(this, 'serviceAccountName', props.serviceAccountName, `must be the identity's ServiceAccount (${identity.serviceAccount}): the IAM role trusts only that name`,
        'leave serviceAccountName out (the identity names the ServiceAccount), or create the identity for this name');
    }
    if (identity.mechanism === 'irsa' && !identity.serviceAccountAnnotations?.[ROLE_ARN_ANNOTATION]) {
      // a profile of shipshape's EksCluster names its cluster; a hand-written one is fixed where it is written
      if (identity.clusterName === undefined) {
        fail(this, 'identity.serviceAccountAnnotations', identity.serviceAccountAnnotations, `uses IRSA, whose ServiceAccount needs the role ARN in its ${ROLE_ARN_ANNOTATION} annotation, and the identity has none`,
          `add '${ROLE_ARN_ANNOTATION}': 'arn:aws:iam::<account>:role/${identity.roleName}' to the identity's serviceAccountAnnotations, or use mechanism 'pod-identity' if the cluster associates the role with EKS Pod Identity`);
      }
      fail(this, 'identity', identity.roleName, 'uses IRSA, whose ServiceAccount annotation needs the role ARN as a literal, but the ARN is only known after apply because the cluster was given no account id',
        'set the cluster\'s account (EksClusterProps.account, or EksClusterAttributes.account for a cluster imported with EksCluster.fromClusterAttributes; the ARN is then written at synth), or create the identity with IdentityMechanism.POD_IDENTITY, which needs no annotation');
    }
    const arn = identity.mechanism === 'irsa' ? identity.serviceAccountAnnotations[ROLE_ARN_ANNOTATION] : undefined;
    // arn:aws:iam::<account>:role/<path/>name: the pods assume the role the annotation names, whatever roleName says
    const arnRole = arn === undefined ? undefined : /^arn:[^:]+:iam::[^:]*:role\/(?:.*\/)?([^/]+)$/.exec(arn)?.[1];
    if (arn !== undefined && arnRole !== identity.roleName) {
      fail(this, `identity.serviceAccountAnnotations.${ROLE_ARN_ANNOTATION}`, arn, arnRole === undefined
        ? `is not an IAM role ARN (arn:aws:iam::<account>:role/${identity.roleName}): IRSA would find no role to assume, and the pods would get no AWS credentials`
        : `names role ${arnRole}, not the identity's role ${identity.roleName}: the pods would assume ${arnRole}, whose permissions and trust are not the identity's`,
      `write 'arn:aws:iam::<account>:role/${identity.roleName}', or set the identity's roleName to the role the pods should assume`);
    }
    return identity.serviceAccount;
  }

  /**
   * The Pod Security level the workload's namespace must enforce for its pods to be admitted, and why, when it is
   * less strict than `restricted` (node agents with host access).
   * @internal
   */
  public _podSecurityNeed(): { level: string; reason: string } | undefined {
    return undefined;
  }

  /**
   * The fewest replicas the workload runs (fixed count or autoscaling minimum), when it has replicas.
   * @internal
   */
  protected _minReplicaCount(): number | undefined {
    const self = this as any;
    if (typeof self.minReplicas === 'number') return self.minReplicas;
    if (typeof self.replicas === 'number') return self.replicas;
    if (self.replicas && typeof self.replicas.min === 'number') return self.replicas.min;
    return undefined;
  }

  /**
   * Whether the user set the replica count (false: it is the profile's default).
   * @internal
   */
  protected _minReplicaGiven(): boolean {
    const r = (this._props as any).replicas;
    return typeof r === 'number' || (r !== null && typeof r === 'object' && r.min !== undefined);
  }

  /**
   * The prop that sets `_minReplicaCount` (for messages): `replicas` for a fixed count, `replicas.min` for an
   * autoscaled one.
   * @internal
   */
  protected _minReplicaProp(): string {
    const r = (this as any).replicas;
    return r !== null && typeof r === 'object' && r.autoscaled === true ? 'replicas.min' : 'replicas';
  }

  /**
   * True when the workload runs one instance on purpose (a StatefulService of a store that does not replicate itself):
   * the production rule of a replica per zone does not apply.
   * @internal
   */
  protected _singleInstanceByChoice(): boolean {
    return false;
  }

  /**
   * What the zone-count error adds for a workload that may run one instance on purpose (empty when none may).
   * @internal
   */
  protected _singleInstanceHint(): string {
    return '';
  }

  /**
   * How to raise the fewest replicas to `n`, as the fix of an error says it (a workload whose count is not a plain
   * prop says how to write it).
   * @internal
   */
  protected _raiseMinReplicas(n: number): string {
    return `raise ${this._minReplicaProp()} to ${n} or more`;
  }

  /** What the workload's cluster (when the app knows it) says about the workload. */
  private _clusterProblems(): string[] {
    const cluster = ClusterContext.of(this);
    if (!cluster) return [];
    const identity = this._props.identity;
    if (identity?.clusterName !== undefined && identity.clusterName !== cluster.clusterName) {
      return [`${this.node.path}: identity (${JSON.stringify(identity.roleName)}) belongs to cluster ${identity.clusterName}, not ${cluster.clusterName}: its IAM role trusts `
        + `that cluster only, so the pods would get no AWS credentials here; create the identity on cluster ${cluster.clusterName} (aws.EksCluster.addWorkloadIdentity) and pass that handle`];
    }
    const known = cluster.workloadIdentities ?? [];
    if (identity && known.length > 0 && !known.some(k => k.roleName === identity.roleName && k.namespace === identity.namespace
      && k.serviceAccount === identity.serviceAccount && k.mechanism === identity.mechanism)) {
      // the cluster's identity of that role, changed on the way (a hand-edited profile): the role trusts what the cluster's says
      const same = known.find(k => k.roleName === identity.roleName);
      if (same !== undefined) {
        const changed = (['namespace', 'serviceAccount', 'mechanism'] as const).filter(f => same[f] !== identity[f]);
        return [`${this.node.path}: identity (${JSON.stringify(identity.roleName)}) differs from cluster ${cluster.clusterName}'s identity of that role in `
          + `${changed.map(f => `${f} (${JSON.stringify(identity[f])}, the cluster's: ${JSON.stringify(same[f])})`).join(', ')}: the role trusts only the cluster's `
          + `${same.namespace}/${same.serviceAccount}${same.mechanism !== identity.mechanism ? ` through ${same.mechanism}` : ''}, so the pods would get no AWS credentials; `
          + 'pass the identity as the cluster made it, or create one for this ServiceAccount (aws.EksCluster.addWorkloadIdentity)'];
      }
      // another cluster's identity: its role trusts that cluster's OIDC issuer or has no Pod Identity association here
      return [`${this.node.path}: identity (${JSON.stringify(identity.roleName)}) is not one of the workload identities of cluster ${cluster.clusterName} `
        + `(${known.map(k => k.roleName).join(', ')}): its IAM role is bound to another cluster, so the pods would get no AWS credentials here; `
        + 'create the identity on this cluster (aws.EksCluster.addWorkloadIdentity) and pass that handle, for example through the cluster a fleet target names'];
    }
    if (!identity) {
      // an identity bound to the ServiceAccount the pods run as, not passed: IRSA's annotation is missing, and the
      // NetworkPolicy opens the AWS APIs and the Pod Identity agent only for a workload given its identity
      const bound = known.find(k => k.namespace === this.namespace && k.serviceAccount === this.serviceAccountName);
      if (bound !== undefined) {
        const annotated = this._props.serviceAccountAnnotations?.[ROLE_ARN_ANNOTATION] !== undefined;
        const why = bound.mechanism === 'irsa'
          ? `their NetworkPolicy keeps them from the AWS APIs, where the role is assumed with the ServiceAccount's token${annotated ? '' : ', and the ServiceAccount lacks the role annotation'}`
          : 'their NetworkPolicy keeps them from the Pod Identity agent, and from the AWS APIs';
        return [`${this.node.path}: identity is not set, but ServiceAccount ${this.namespace}/${this.serviceAccountName} the pods run as is bound to workload identity `
          + `${bound.roleName} of cluster ${cluster.clusterName}: without it the pods would get no AWS credentials (${why}); `
          + 'pass the identity\'s handle as identity (aws.WorkloadIdentity.profile, or target.identity(...) in a fleet), or bind the identity to another ServiceAccount'];
      }
    }
    if (cluster.environment === EnvironmentProfile.PRODUCTION && this.profile !== EnvironmentProfile.PRODUCTION) {
      return [`${this.node.path}: profile (${this.profile}) is not the environment of cluster ${cluster.clusterName} (production): the workload would run with the ${this.profile} `
        + 'profile\'s defaults on a production cluster (fewer replicas, no disruption budget or spread); leave profile out (it follows the cluster\'s environment), '
        + 'or pass EnvironmentProfile.PRODUCTION'];
    }
    if (this.profile !== EnvironmentProfile.PRODUCTION) return [];
    const zones = cluster.zones?.length ?? 0;
    const min = this._minReplicaCount();
    // 0 is scale-to-zero (KEDA), asked for on purpose: when it scales up, topology spread still places the replicas
    if (zones > 1 && min !== undefined && min > 0 && min < zones && !this._singleInstanceByChoice()) {
      const prop = this._minReplicaProp();
      const given = this._minReplicaGiven() ? '' : ' (the production default)';
      return [`${this.node.path}: ${prop} (${min}${given}) must be at least the number of zones of cluster ${cluster.clusterName} (${zones}) in production, `
        + `so topology spread puts a replica in every zone and a zone outage leaves the rest serving; ${this._raiseMinReplicas(zones)}${this._singleInstanceHint()}`];
    }
    return [];
  }

  /**
   * Where the pods run when the workload says nothing (node agents: every node).
   * @internal
   */
  protected _defaultPlacement(): Placement {
    return Placement.untaintedNodes();
  }

  /**
   * The placement in force.
   * @internal
   */
  protected _placement(): Placement {
    return this._props.placement ?? this._defaultPlacement();
  }

  /**
   * Standard metadata for an object of this workload.
   * @internal
   */
  protected _metadata(extra?: { name?: string; annotations?: { [key: string]: string } }): any {
    const m: metav1.ObjectMeta = { name: extra?.name ?? this.name, namespace: this.namespace, labels: { ...this.labels } };
    if (extra?.annotations && Object.keys(extra.annotations).length) m.annotations = { ...extra.annotations };
    return m;
  }

  /**
   * Named ports of the main container: `[{ name, containerPort }]`.
   * @internal
   */
  protected abstract _mainPorts(): ContainerPort[];

  /**
   * The main container's probes, lifecycle and other per-kind fields.
   * @internal
   */
  protected _mainContainerExtras(): any {
    return {};
  }

  /**
   * Refuses a byte quantity below `min`: a number written without a unit counts bytes (`"20"` is 20 bytes, not 20Gi),
   * and the fix then names the unit the user most likely meant.
   * @internal
   */
  protected _atLeastBytes(prop: string, text: string, q: MemoryQuantity, min: MemoryQuantity, unit: string, why: string): void {
    if (q.bytes >= min.bytes) return;
    fail(this, prop, text, `is ${q.bytes} bytes, below ${min}: ${why}`,
      /^[0-9]+$/.test(text.trim()) ? `add the unit: ${JSON.stringify(text.trim() + unit)} (a number without a unit counts bytes)` : `give it ${min} or more`);
  }

  /**
   * Added to the fix of a refused user id 0: how this kind of workload runs as root, where it can.
   * @internal
   */
  protected _rootHint(): string {
    return '';
  }

  /**
   * The hardened pod template (metadata and spec) shared by every workload kind.
   * @internal
   */
  protected _renderPodTemplate(options: {
    terminationGracePeriodSeconds?: number;
    restartPolicy?: string;
    spread?: boolean;
    extraPodSpec?: any;
    extraVolumes?: any[];
    extraMounts?: any[];
    /** The prop each of `extraMounts` comes from (for messages). */
    extraMountProps?: string[];
  } = {}): any {
    const p = this._props;
    const sec = p.security ?? {};
    const uid = this._id('security.runAsUser', sec.runAsUser ?? 10001);
    const gid = this._id('security.runAsGroup', sec.runAsGroup ?? 10001);
    const fsGroup = this._id('security.fsGroup', sec.fsGroup ?? 10001);
    const readOnly = sec.readOnlyRootFilesystem ?? true;
    const writable = sec.writablePaths ?? ['/tmp'];
    if (!Array.isArray(writable)) {
      fail(this, 'security.writablePaths', writable, 'must be a list of absolute paths',
        `pass a list, for example ${typeof writable === 'string' ? `[${JSON.stringify(writable)}]` : "['/tmp']"}`);
    }

    const volumes: corev1.Volume[] = [];
    const mounts: corev1.VolumeMount[] = [];
    /** mount directory (see mountDirectory) -> the prop that mounted it first, and the path as written there */
    const mountPaths = new Map<string, { prop: string; path: string }>();
    const writableDefault = p.security?.writablePaths === undefined;
    // `example` is the path suggested for a missing one (plain JavaScript, or `as any`)
    const addMount = (prop: string, path: string, example: string) => {
      Validators._absolutePath(this, prop, path, example);
      // '/data/' and '/data' are one directory to the container runtime, two paths to the API: compared as directories
      const dir = mountDirectory(path);
      if (dir === '/') {
        fail(this, prop, path, 'mounts a volume over the container\'s whole filesystem, hiding every file of the image (its program included): the container could not start',
          `mount it in a directory of its own, for example ${example}`);
      }
      const first = mountPaths.get(dir);
      if (first !== undefined) {
        const byDefault = writableDefault && first.prop.startsWith('security.writablePaths[') ? ' (a default writable path)' : '';
        const spelt = first.path !== path ? `, as ${JSON.stringify(first.path)}: the same directory` : '';
        fail(this, prop, path, `is already mounted by ${first.prop}${byDefault}${spelt}`,
          byDefault ? 'mount the volume elsewhere, or set security.writablePaths without that path' : 'give each volume its own mount path');
      }
      mountPaths.set(dir, { prop, path });
    };
    // a writable path holds at most 128Mi, and no more than the container's ephemeral storage limit, past which the
    // kubelet evicts the pod before the volume's own limit is ever reached
    const scratchLimit = smallerSize('128Mi', p.resources?.ephemeralStorageLimit);
    writable.forEach((path, i) => {
      addMount(`security.writablePaths[${i}]`, path, writable.includes('/tmp') ? `/var/cache/${this.name}` : '/tmp');
      const name = i === 0 && path === '/tmp' ? 'tmp' : `writable-${i}`;
      volumes.push({ name, emptyDir: { sizeLimit: scratchLimit } });
      mounts.push({ name, mountPath: path });
    });
    /** The app's secret and ConfigMap mounts, which init tasks given the app's configuration share. */
    const configMounts: corev1.VolumeMount[] = [];
    checkObjectList(this, 'secretMounts', p.secretMounts, `{ secretName: 'db-credentials', mountPath: '/var/run/secrets/${this.name}' }`).forEach((s, i) => {
      addMount(`secretMounts[${i}].mountPath`, s.mountPath, `/var/run/secrets/${exampleName(s.secretName, this.name)}`);
      this._requireMountName(`secretMounts[${i}].secretName`, s.secretName, 'db-credentials');
      Names.dnsSubdomain(this, `secretMounts[${i}].secretName`, s.secretName);
      const name = `secret-${i}`;
      volumes.push({ name, secret: { secretName: s.secretName, defaultMode: 0o440 } });
      mounts.push({ name, mountPath: s.mountPath, readOnly: true });
      configMounts.push({ name, mountPath: s.mountPath, readOnly: true });
    });
    checkObjectList(this, 'configMapMounts', p.configMapMounts, `{ configMapName: '${this.name}-config', mountPath: '/etc/${this.name}' }`).forEach((c, i) => {
      addMount(`configMapMounts[${i}].mountPath`, c.mountPath, `/etc/${exampleName(c.configMapName, this.name)}`);
      this._requireMountName(`configMapMounts[${i}].configMapName`, c.configMapName, `${this.name}-config`);
      Names.dnsSubdomain(this, `configMapMounts[${i}].configMapName`, c.configMapName);
      const name = `config-${i}`;
      volumes.push({ name, configMap: { name: c.configMapName } });
      mounts.push({ name, mountPath: c.mountPath, readOnly: true });
      configMounts.push({ name, mountPath: c.mountPath, readOnly: true });
    });
    (options.extraMounts ?? []).forEach((m, i) => {
      addMount(options.extraMountProps?.[i] ?? 'volumeMounts', m.mountPath, `/var/lib/${this.name}`);
      mounts.push(m);
    });
    for (const s of this._sidecars) {
      for (const m of s.binding.appVolumeMounts ?? []) {
        addMount(SidecarContainers.mountProp(m) ?? `sidecars.${s.sidecar.name}.appVolumeMounts`, m.mountPath, `/var/run/${s.sidecar.name}`);
        // the sidecar's own JSON (SidecarBinding is public and untyped); ISidecar implementations build it typed
        mounts.push({ ...m } as corev1.VolumeMount);
      }
    }
    volumes.push(...(options.extraVolumes ?? []));

    const env: corev1.EnvVar[] = [];
    for (const [name, value] of Object.entries(p.env ?? {})) {
      Validators.envVarName(this, `env.${name}`, name);
      this._checkEnvValue(name, value);
      const secret = value.value !== undefined ? Validators.plaintextSecret(name, value.value) : undefined;
      if (secret) {
        fail(this, `env.${name}`, '<redacted>', `looks like a plaintext secret (${secret}), which would be readable by anyone who can read the manifest (rule SS-K8S-062)`,
          `store it in a Secret and mount it with secretMounts: [{ secretName: '...', mountPath: '/var/run/secrets/${this.name}' }]`);
      }
      env.push(value._render(name, this, `env.${name}`));
    }

    const container: corev1.Container = {
      name: 'app',
      image: this.image.toString(),
      imagePullPolicy: p.imagePullPolicy ?? ImagePullPolicy.ALWAYS,
      command: p.command ? [...p.command] : undefined,
      args: p.args ? [...p.args] : undefined,
      ports: this._mainPorts().map(cp => ({ name: cp.name, containerPort: cp.port, protocol: 'TCP' } satisfies corev1.ContainerPort)),
      env: env.length ? env : undefined,
      envFrom: p.envFromConfigMaps?.length ? p.envFromConfigMaps.map((n, i) => ({ configMapRef: { name: Names.dnsSubdomain(this, `envFromConfigMaps[${i}]`, n) } } satisfies corev1.EnvFromSource)) : undefined,
      resources: this._renderResources(),
      securityContext: Workload._containerSecurityContext(uid, gid, readOnly),
      volumeMounts: mounts,
      ...this._mainContainerExtras() as Partial<corev1.Container>,
    };
    if (!container.ports!.length) delete container.ports;

    const containers: corev1.Container[] = [container];
    const initContainers: corev1.Container[] = [];
    for (const extra of this._extraContainers) {
      (extra.init ? initContainers : containers).push(extra.container);
      volumes.push(...extra.volumes);
    }
    if (this._sidecars.length) {
      // a job's never-ending sidecar is reported by the synth validation; this also stops a render without it (chart.toJson())
      const problem = this._sidecarEndProblem();
      if (problem) throw new ShipshapeValidationError(problem);
      // Native sidecars (1.29+) start first, in order, then init tasks run; on older targets sidecars are plain containers.
      const native = KubernetesTarget.of(this).supportsNativeSidecars;
      for (const s of this._sidecars) {
        for (const c of s.binding.containers ?? []) {
          if (native) initContainers.push(nativeSidecar(c as corev1.Container));
          else containers.push({ ...c as corev1.Container });
        }
      }
      for (const s of this._sidecars) {
        initContainers.push(...(s.binding.initContainers ?? []).map(c => this._appConfigTasks.has(c.name)
          ? this._withAppConfig(c as corev1.Container, container, configMounts, `sidecars.${s.sidecar.name}`)
          : { ...c as corev1.Container }));
        volumes.push(...(s.binding.volumes ?? []) as corev1.Volume[]);
      }
    }

    const podSpec: corev1.PodSpec = {
      serviceAccountName: this.serviceAccountName,
      automountServiceAccountToken: p.automountServiceAccountToken ?? false,
      enableServiceLinks: false,
      securityContext: {
        runAsNonRoot: true,
        runAsUser: uid,
        runAsGroup: gid,
        fsGroup,
        // the kubelet re-owns a volume only when its root does not match fsGroup: not every file on every start (a
        // large data volume would slow each restart, and stores that check their directory's mode would see it change)
        fsGroupChangePolicy: 'OnRootMismatch',
        seccompProfile: { type: 'RuntimeDefault' },
      },
      priorityClassName: p.priorityClassName,
      terminationGracePeriodSeconds: options.terminationGracePeriodSeconds,
      restartPolicy: options.restartPolicy,
      initContainers: initContainers.length ? initContainers : undefined,
      containers,
      volumes,
      ...(options.spread ? this._spread() as Partial<corev1.PodSpec> : {}),
      ...(options.extraPodSpec ?? {}) as Partial<corev1.PodSpec>,
    };
    const placed = this._placement()._render(this, p.imageArchitectures);
    if (placed.nodeSelector) podSpec.nodeSelector = { ...placed.nodeSelector, ...(podSpec.nodeSelector ?? {}) };
    if (placed.nodeAffinity) podSpec.affinity = { nodeAffinity: placed.nodeAffinity, ...(podSpec.affinity ?? {}) };
    if (placed.tolerations) podSpec.tolerations = [...placed.tolerations, ...(podSpec.tolerations ?? [])];
    const annotations = { ...(p.podAnnotations ?? {}), ...this._podAnnotations };
    return {
      metadata: {
        labels: { ...this.labels, ...this._podLabels },
        ...(Object.keys(annotations).length ? { annotations } : {}),
      },
      spec: podSpec,
    } satisfies corev1.PodTemplateSpec;
  }

  /**
   * Refuses a Secret's or ConfigMap's name of a mount that is missing or no string (plain JavaScript), suggesting a
   * name such an object has (`example`), not a namespace's.
   */
  private _requireMountName(prop: string, value: unknown, example: string): void {
    if (typeof value === 'string') return;
    fail(this, prop, value, value === undefined ? 'is required' : 'must be a string', `give ${prop} the name of the object to mount, such as ${JSON.stringify(example)}`);
  }

  /**
   * Refuses an `env` value that is no EnvValue (plain JavaScript, or `as any`): a bare string, a number, a value left
   * undefined, a Kubernetes EnvVar object. A literal that looks like a secret is not shown, and the fix is a Secret.
   */
  private _checkEnvValue(name: string, value: unknown): void {
    const v = value as { _render?: unknown } | null | undefined;
    if (v !== null && typeof v === 'object' && typeof v._render === 'function') return;
    const prop = `env.${name}`;
    const allowed = 'must be an EnvValue (EnvValue.fromValue, fromConfigMapKey, fromSecretKey or fromFieldPath)';
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      // a Terraform value (queue.url) passed on: EnvValue.fromValue would not help, the value does not exist at synth
      const token = tokenFields(value)[0];
      if (token !== undefined) fail(this, prop, value, `is ${token.what}, not a value known at synth`, TOKEN_FIX);
      const secret = Validators.plaintextSecret(name, String(value));
      if (secret) {
        fail(this, prop, '<redacted>', `${allowed}, and looks like a plaintext secret (${secret}), which would be readable by anyone who can read the manifest (rule SS-K8S-062)`,
          `store it in a Secret and mount it with secretMounts: [{ secretName: '...', mountPath: '/var/run/secrets/${this.name}' }]`);
      }
      fail(this, prop, value, allowed, `write EnvValue.fromValue(${JSON.stringify(String(value))})`);
    }
    fail(this, prop, value, allowed, value === undefined || value === null
      ? `give it a value, for example EnvValue.fromValue('...'), or leave ${name} out`
      : 'build it with EnvValue.fromValue, EnvValue.fromConfigMapKey, EnvValue.fromSecretKey or EnvValue.fromFieldPath');
  }

  /**
   * Records an init task's wait for `host:port` declared without a peer (see `_noteBlockedWaits`). `named` finds, at
   * synth, the workload of the app that `host` names, if any, and the advice that names it.
   * @internal
   */
  public _waitWithoutPeer(task: string, host: string, port: number, named?: () => { peer: INetworkPeer; advice: string } | undefined): void {
    this._unpeeredWaits.push({ task, host, port, named });
  }

  /**
   * A note, once, for a workload given a Kubernetes API token (`automountServiceAccountToken`) when no egress rule
   * lets the pods out on HTTPS: where NetworkPolicies are enforced they cannot reach the API server (whose addresses
   * are outside the cluster's pods: on EKS the control plane's network interfaces in the VPC), so the token is no use.
   */
  private _noteApiToken(): void {
    if (this._tokenNoted || this._props.automountServiceAccountToken !== true) return;
    this._tokenNoted = true;
    const cluster = ClusterContext.of(this);
    if (cluster?.networkPolicyEnforced === false) return;
    if (this._egress.some(c => c.ports.length === 0 || c.ports.includes(443))) return;
    const vpc = typeof cluster?.vpcCidr === 'string' ? cluster.vpcCidr : '<the VPC CIDR>';
    this.node.addMetadata('shipshape:info', 'automountServiceAccountToken mounts a Kubernetes API token, but no egress rule of the NetworkPolicy allows HTTPS (443): '
      + 'where NetworkPolicies are enforced the pods cannot reach the API server, so they cannot use the token; '
      + `allowTo(NetworkPeer.cidr('${vpc}', { ports: [443] })) (on EKS the API server is reached at the control plane's network interfaces in the cluster's VPC)`);
  }

  /**
   * A note, once, for an IRSA role annotation written by hand (no `identity`) when no egress rule lets the pods out on
   * HTTPS: they could not reach STS nor the AWS APIs where NetworkPolicies are enforced.
   */
  private _noteHandWrittenRole(): void {
    const roleArn = this._props.serviceAccountAnnotations?.[ROLE_ARN_ANNOTATION];
    if (this._roleNoted || this._props.identity !== undefined || roleArn === undefined) return;
    this._roleNoted = true;
    if (this._egress.some(c => c.ports.length === 0 || c.ports.includes(443))) return;
    this.node.addMetadata('shipshape:info', `serviceAccountAnnotations names an IAM role for IRSA (${roleArn}) without identity, and no egress rule of the NetworkPolicy `
      + 'allows HTTPS: where NetworkPolicies are enforced the pods reach neither STS nor the AWS APIs, so they cannot use the role; pass the identity\'s handle as '
      + 'identity (aws.WorkloadIdentity.profile), which writes the annotation and opens that egress, or allowTo the AWS endpoints on port 443');
  }

  /**
   * A note, once, for each wait without a peer that no egress rule of the workload lets through: the NetworkPolicy
   * drops the connection, and the pod never starts (where the cluster enforces NetworkPolicies): the task waits until its
   * timeout, fails, and is started again.
   */
  private _noteBlockedWaits(): void {
    if (this._waitsNoted || this._unpeeredWaits.length === 0) return;
    this._waitsNoted = true;
    const open = (port: number) => port === 53 || (port === 443 && this._props.identity !== undefined)
      || this._egress.some(c => c.ports.length === 0 || c.ports.includes(port));
    for (const w of this._unpeeredWaits) {
      // a host that names a workload of the app: the advice names that workload, not an address range
      const named = w.named?.();
      if (open(w.port) || (named !== undefined && this._egress.some(c => c.peer === named.peer))) continue;
      this.node.addMetadata('shipshape:info', `init task ${w.task} waits for ${w.host}:${w.port}, but no egress rule of the NetworkPolicy allows port ${w.port}: `
        + 'on a cluster that enforces NetworkPolicies the connection is dropped and the pods never start (the task waits until its timeout, fails and is retried); '
        + (named?.advice ?? `give the task its \`peer\`, or declare the connection with allowTo (for example allowTo(NetworkPeer.cidr('10.0.0.0/16'), [${w.port}]))`));
    }
  }

  /**
   * Gives the init container `name` (an init task) the app container's env, envFrom and secret and ConfigMap mounts
   * when the pod is rendered (see `RunTaskOptions.shareAppConfig`).
   * @internal
   */
  public _shareAppConfigWith(name: string): void {
    this._appConfigTasks.add(name);
  }

  /**
   * The main container's resources as the pod spec holds them (validated), for init tasks that run the app's work
   * (a migration) and default to the same size.
   * @internal
   */
  public _mainContainerResources(): any {
    return this._renderResources();
  }

  /**
   * True when the workload asked for no CPU limit (`resources.cpuLimit: 'none'`).
   * @internal
   */
  public _cpuLimitNone(): boolean {
    return this._props.resources?.cpuLimit === 'none';
  }

  /**
   * The workload kind when its pod runs to completion (Job, ScheduledJob), else undefined.
   * @internal
   */
  public _runsToCompletion(): string | undefined {
    return undefined;
  }

  /**
   * An init task's container with the app container's configuration added: its env (the task's own variables win over
   * the app's of the same name), its envFrom, and its secret and ConfigMap mounts at the same paths.
   */
  private _withAppConfig(task: corev1.Container, app: corev1.Container, configMounts: corev1.VolumeMount[], prop: string): corev1.Container {
    const own = new Set((task.env ?? []).map(e => e.name));
    const env = [...(app.env ?? []).filter(e => !own.has(e.name)), ...(task.env ?? [])];
    const taken = new Map((task.volumeMounts ?? []).map(m => [m.mountPath, m.name]));
    for (const m of configMounts) {
      if (taken.has(m.mountPath)) {
        fail(this, `${prop}.shareAppConfig`, true, `would mount the app's ${m.name} volume at ${m.mountPath}, where task ${task.name} already mounts ${taken.get(m.mountPath)}`,
          'mount the secret or ConfigMap elsewhere in the app, or leave shareAppConfig unset and mount what the task needs another way');
      }
    }
    return {
      ...task,
      env: env.length ? env : undefined,
      envFrom: app.envFrom ? [...app.envFrom, ...(task.envFrom ?? [])] : task.envFrom,
      volumeMounts: [...(task.volumeMounts ?? []), ...configMounts.map(m => ({ ...m }))],
    };
  }

  /**
   * Below native sidecars, a long-running sidecar is a regular container: in a pod that must run to completion it
   * keeps the pod running after the app exits, so the job never finishes. Checked at synth, where the target is read.
   * @internal
   */
  private _sidecarEndProblem(): ValidationErrorDetails | undefined {
    const kind = this._runsToCompletion();
    if (kind === undefined || this._sidecars.length === 0) return undefined;
    const target = KubernetesTarget.of(this);
    if (target.supportsNativeSidecars) return undefined;
    // one error naming every long-running sidecar: removing one must not only bring up the next
    const [s, ...rest] = this._sidecars.filter(x => (x.binding.containers ?? []).length > 0);
    if (s !== undefined) {
      const c = s.binding.containers![0];
      const others = rest.map(o => `sidecars.${o.sidecar.name}`);
      return {
        path: this.node.path,
        prop: `sidecars.${s.sidecar.name}`,
        value: show(c.name),
        allowed: `is a long-running container${others.length ? ` (as ${others.length === 1 ? 'is' : 'are'} ${others.join(', ')})` : ''}, `
          + `which on the Kubernetes ${target} target (no native sidecars before 1.29) becomes a regular container of the ${kind}'s pod `
          + 'and keeps it running after the app exits, so the job never completes (it fails at activeDeadlineSeconds)',
        fix: `${this._oldPoolsFix() ?? this._oldClusterFix() ?? 'if the cluster runs Kubernetes 1.29 or newer, set that target (KubernetesTarget.set(chart, KubernetesVersion.V1_29), or kubernetesVersion '
          + 'in the cluster profile given to App({ cluster })): the sidecar then becomes a native sidecar, stopped when the app exits'}; `
          + 'otherwise remove the sidecar, do the work in the app container or an InitTasks task, or run it as a separate workload',
      };
    }
    return undefined;
  }

  /**
   * When the app is for a known cluster (App({ cluster }), a fleet's cluster) whose control plane runs a version
   * without native sidecars: setting a newer target is refused there, so the fix is upgrading the cluster.
   * @internal
   */
  private _oldClusterFix(): string | undefined {
    const cluster = ClusterContext.of(this);
    let version: KubernetesVersion | undefined;
    try {
      version = cluster === undefined ? undefined : KubernetesVersion.of(cluster.kubernetesVersion);
    } catch {
      return undefined; // refused where the profile is given, naming its prop
    }
    if (cluster === undefined || version === undefined || version.supportsNativeSidecars) return undefined;
    return `cluster ${cluster.clusterName} runs Kubernetes ${cluster.kubernetesVersion}, which has no native sidecars (a newer target is refused for it): upgrade the cluster `
      + 'to 1.29 or newer (and the kubernetesVersion of its profile), and the sidecar becomes a native one, stopped when the app exits';
  }

  /**
   * When the cluster's control plane runs 1.29+ but node pools run an older kubelet (an upgrade under way), which
   * holds the app's target below native sidecars: the fix is raising those pools (a newer target is refused while they
   * run older kubelets). Undefined otherwise.
   */
  private _oldPoolsFix(): string | undefined {
    const cluster = ClusterContext.of(this);
    // a version the App refuses (it names the prop) is left to it
    const version = (v: unknown) => { try { return typeof v === 'string' ? KubernetesVersion.of(v) : undefined; } catch { return undefined; } };
    if (cluster === undefined || version(cluster.kubernetesVersion)?.isAtLeast(KubernetesVersion.V1_29) !== true) return undefined;
    const old = (cluster.nodePools ?? []).filter(p => version(p.kubernetesVersion)?.isAtLeast(KubernetesVersion.V1_29) === false).map(p => `${p.name} (${p.kubernetesVersion})`);
    if (old.length === 0) return undefined;
    return `cluster ${cluster.clusterName} runs Kubernetes ${cluster.kubernetesVersion}, but the kubelets of node pool${old.length === 1 ? '' : 's'} ${old.join(', ')} are older, `
      + `so the app targets ${KubernetesTarget.of(this)}: raise ${old.length === 1 ? 'that pool' : 'those pools'} to 1.29 or newer (and ${old.length === 1 ? 'its' : 'their'} `
      + 'kubernetesVersion in the profile): the sidecar then becomes a native sidecar, stopped when the app exits';
  }

  /**
   * The hardened container securityContext (rules SS-K8S-001 … SS-K8S-022: user and group 10001, seccomp
   * RuntimeDefault, no capability added).
   * @internal
   */
  public static _containerSecurityContext(uid: number, gid: number, readOnlyRootFilesystem: boolean): any {
    return {
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem,
      runAsNonRoot: true,
      runAsUser: uid,
      runAsGroup: gid,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    } satisfies corev1.SecurityContext;
  }

  /**
   * Checks an HPA's CPU utilization target (a percentage of the CPU request): a whole number from 1, and one the pods
   * can reach (above 100 only as far as the CPU limit lets them go past the request). Returns the target.
   * @internal
   */
  protected _checkCpuTarget(prop: string, target: number): number {
    if (!Number.isInteger(target) || target < 1) fail(this, prop, target, 'must be a whole percentage of the CPU request, at least 1', 'use for example 70');
    const r = this._props.resources ?? {};
    const request = parseContainerCpu(this, 'resources.cpu', r.cpu ?? '250m');
    const limitText = r.cpuLimit ?? '1';
    if (limitText === 'none') return target;
    const limit = r.cpuLimit === undefined ? max(CpuQuantity.parse('1'), request) : parseContainerCpu(this, 'resources.cpuLimit', limitText);
    if (request.compare(limit) > 0) return target; // the resources check refuses the request above the limit
    const reachable = Math.floor(limit.millicores * 100 / request.millicores);
    if (target > reachable) {
      fail(this, prop, target, `is never reached: utilization is a percentage of the CPU request (${request}), and the CPU limit (${limit}) keeps it at ${reachable} or below, `
        + 'so the autoscaler would never add a replica', `use at most ${reachable}${reachable >= 70 ? ' (for example 70)' : ''}, or raise resources.cpuLimit`);
    }
    return target;
  }

  /**
   * The main container's resources, validated.
   * @internal
   */
  protected _renderResources(): any {
    const r = this._props.resources ?? {};
    const cpu = parseContainerCpu(this, 'resources.cpu', r.cpu ?? '250m');
    // unset limits follow a request above their default: asking for 2 CPUs must not need a limit too
    const cpuLimitText = r.cpuLimit ?? '1';
    const cpuLimit = cpuLimitText === 'none' ? undefined
      : r.cpuLimit === undefined ? max(CpuQuantity.parse('1'), cpu) : parseContainerCpu(this, 'resources.cpuLimit', cpuLimitText);
    const mem = MemoryQuantity.parse(r.memory ?? '256Mi', this, 'resources.memory');
    const memLimit = r.memoryLimit ? MemoryQuantity.parse(r.memoryLimit, this, 'resources.memoryLimit') : mem;
    const eph = MemoryQuantity.parse(r.ephemeralStorage ?? '256Mi', this, 'resources.ephemeralStorage');
    const ephLimit = r.ephemeralStorageLimit === undefined ? max(MemoryQuantity.parse('1Gi'), eph)
      : MemoryQuantity.parse(r.ephemeralStorageLimit, this, 'resources.ephemeralStorageLimit');
    const positive = (q: { compare(o: any): number }, zero: any, prop: string, value: string) => {
      if (q.compare(zero) <= 0) fail(this, prop, value, 'must be more than zero', 'request a positive amount');
    };
    // values are quoted as the user wrote them ("96000m", not the normalized "96")
    positive(cpu, CpuQuantity.millis(0), 'resources.cpu', r.cpu ?? cpu.toString());
    positive(mem, MemoryQuantity.parse('0'), 'resources.memory', r.memory ?? mem.toString());
    // a bare number is bytes: `memory: '512'` is a 512-byte limit, and the container is killed for memory as it starts
    const memory = 'no container starts in that little memory';
    this._atLeastBytes('resources.memory', r.memory ?? mem.toString(), mem, MIN_MEMORY, 'Mi', memory);
    if (r.memoryLimit) this._atLeastBytes('resources.memoryLimit', r.memoryLimit, memLimit, MIN_MEMORY, 'Mi', memory);
    // the container's logs and writable paths count against ephemeral storage: the kubelet evicts the pod past the limit
    const scratch = 'the container\'s logs and writable paths count against it, and the kubelet evicts the pod once they pass the limit';
    if (r.ephemeralStorage !== undefined) this._atLeastBytes('resources.ephemeralStorage', r.ephemeralStorage, eph, MIN_MEMORY, 'Mi', scratch);
    if (r.ephemeralStorageLimit !== undefined) this._atLeastBytes('resources.ephemeralStorageLimit', r.ephemeralStorageLimit, ephLimit, MIN_MEMORY, 'Mi', scratch);
    if (cpuLimit && cpu.compare(cpuLimit) > 0) {
      fail(this, 'resources.cpu', r.cpu ?? cpu.toString(), `must be <= resources.cpuLimit (${r.cpuLimit ?? cpuLimit})`, 'lower the request or raise the limit');
    }
    if (mem.compare(memLimit) > 0) {
      fail(this, 'resources.memory', r.memory ?? mem.toString(), `must be <= resources.memoryLimit (${r.memoryLimit ?? memLimit})`, 'lower the request or raise the limit');
    }
    if (eph.compare(ephLimit) > 0) {
      fail(this, 'resources.ephemeralStorage', r.ephemeralStorage ?? eph.toString(), `must be <= resources.ephemeralStorageLimit (${r.ephemeralStorageLimit ?? ephLimit})`, 'lower the request or raise the limit');
    }
    const limits: { [resource: string]: string } = { 'memory': memLimit.toString(), 'ephemeral-storage': ephLimit.toString() };
    if (cpuLimit) limits.cpu = cpuLimit.toString();
    const requests: { [resource: string]: string } = { 'cpu': cpu.toString(), 'memory': mem.toString(), 'ephemeral-storage': eph.toString() };
    if (r.gpus !== undefined) {
      if (typeof r.gpus !== 'number' || !Number.isInteger(r.gpus) || r.gpus < 1 || r.gpus > 64) {
        fail(this, 'resources.gpus', r.gpus, 'must be a whole number of GPUs from 1 to 64 (a GPU is not shared between containers)', 'use 1, or leave gpus out for a container without a GPU');
      }
      // an extended resource: request and limit must be equal (the API refuses a request without the same limit)
      requests[NVIDIA_GPU_RESOURCE] = String(r.gpus);
      limits[NVIDIA_GPU_RESOURCE] = String(r.gpus);
    }
    return { requests, limits } satisfies corev1.ResourceRequirements;
  }

  /**
   * Zone topology spread plus hostname anti-affinity (rules SS-K8S-039 and SS-K8S-040).
   * @internal
   */
  protected _spread(): any {
    return {
      topologySpreadConstraints: [
        { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { ...this.selectorLabels } } },
      ],
      affinity: {
        podAntiAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { ...this.selectorLabels } } } },
          ],
        },
      },
    } satisfies Partial<corev1.PodSpec>;
  }

  /**
   * The PodDisruptionBudget every replicated workload gets: one pod may be disrupted at a time, and unhealthy
   * pods may always be evicted so a broken roll-out cannot block node drains (rules SS-K8S-041 … SS-K8S-043).
   * @internal
   */
  protected _createDisruptionBudget(): ApiObject {
    return new ApiObject(this, 'PodDisruptionBudget', {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: this._metadata(),
      spec: {
        maxUnavailable: 1,
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
        selector: { matchLabels: { ...this.selectorLabels } },
      },
    } satisfies policyv1.PodDisruptionBudget);
  }

  /** @internal */
  protected _renderNetworkPolicySpec(): any {
    const ownPorts = this.containerPorts;
    const ingress = this._ingress.map(c => {
      const cfg = c.peer.toNetworkPeer();
      const ports = c.ports.length ? c.ports : ownPorts;
      return {
        from: [renderPeer(cfg, this.namespace)],
        ...(ports.length ? { ports: ports.map(port => ({ port, protocol: 'TCP' } satisfies networkingv1.NetworkPolicyPort)) } satisfies networkingv1.NetworkPolicyIngressRule : {}),
      } satisfies networkingv1.NetworkPolicyIngressRule;
    });
    const egress: networkingv1.NetworkPolicyEgressRule[] = [dnsEgressRule()];
    const identity = this._props.identity;
    if (identity) {
      // an AWS identity is only useful if its SDK can reach the credentials and the AWS APIs
      if (identity.mechanism === 'pod-identity') {
        egress.push({ to: [{ ipBlock: { cidr: POD_IDENTITY_AGENT_CIDR } }], ports: [{ port: 80, protocol: 'TCP' }] });
      }
      // the public APIs have no fixed addresses; in a network without internet access they are VPC endpoints
      const cluster = ClusterContext.of(this);
      const apis = cluster?.internetAccess === false && typeof cluster.vpcCidr === 'string' ? cluster.vpcCidr : '0.0.0.0/0';
      egress.push({ to: [{ ipBlock: { cidr: apis } }], ports: [{ port: 443, protocol: 'TCP' }] });
    }
    for (const c of this._egress) {
      const cfg = c.peer.toNetworkPeer();
      egress.push({
        to: [renderPeer(cfg, this.namespace)],
        ...(c.ports.length ? { ports: c.ports.map(port => ({ port, protocol: 'TCP' } satisfies networkingv1.NetworkPolicyPort)) } satisfies networkingv1.NetworkPolicyEgressRule : {}),
      });
    }
    return {
      podSelector: { matchLabels: { ...this.selectorLabels } },
      policyTypes: ['Ingress', 'Egress'],
      ingress,
      egress,
    } satisfies networkingv1.NetworkPolicySpec;
  }

  private _id(prop: string, v: number): number {
    if (!Number.isInteger(v) || v < 1) {
      fail(this, prop, v, 'must be a positive whole number (0 is root)', `use 10001 or more, or the id the image's files belong to${this._rootHint()}`);
    }
    // an id below 10001 (an image built for its own user, such as postgres's 999) is the policy's warning SS-K8S-005,
    // accepted with a reason like any other finding
    return v;
  }
}

/** The larger of two quantities (the first when they are equal). */
function max<Q extends { compare(other: Q): number }>(a: Q, b: Q): Q {
  return b.compare(a) > 0 ? b : a;
}

/**
 * A sidecar as a native sidecar (an init container with `restartPolicy: Always`). The kubelet starts the next init
 * container (an init task, then the app) once a native sidecar's startup probe has passed, or at once when it has
 * none: a sidecar with a readiness check gets it as its startup probe too, so what follows finds it listening.
 */
function nativeSidecar(c: corev1.Container): corev1.Container {
  const startup = c.startupProbe ?? (c.readinessProbe ? { ...c.readinessProbe, periodSeconds: 2, failureThreshold: 30, successThreshold: 1 } : undefined);
  return { ...c, restartPolicy: 'Always', ...(startup ? { startupProbe: startup } : {}) };
}

/**
 * `name` when it is a valid name to build an example path on (a Secret's or ConfigMap's name), else `fallback` (the
 * workload's name): the example a missing mount path's error suggests.
 */
function exampleName(name: unknown, fallback: string): string {
  return typeof name === 'string' && /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name) ? name : fallback;
}

/** The directory a mount path names: repeated and trailing slashes and `.` segments dropped (`/data/` is `/data`). */
/** The smaller of two byte quantities as written (`other` when it parses and is smaller, else `size`). */
function smallerSize(size: string, other: unknown): string {
  if (typeof other !== 'string') return size;
  try {
    return MemoryQuantity.parse(other).compare(MemoryQuantity.parse(size)) < 0 ? other : size;
  } catch {
    return size; // refused where the resources are read, with the prop named
  }
}

function mountDirectory(mountPath: string): string {
  return '/' + mountPath.split('/').filter(part => part !== '' && part !== '.').join('/');
}
