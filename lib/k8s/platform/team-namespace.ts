import { ApiObject, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import type * as corev1 from 'kubernetes-types/core/v1';
import type * as metav1 from 'kubernetes-types/meta/v1';
import type * as networkingv1 from 'kubernetes-types/networking/v1';
import type * as rbacv1 from 'kubernetes-types/rbac/v1';
import { SYNC_WAVE, TEAM_LABEL } from './constants';
import { quotaProblems, ResolvedLimits, ResolvedQuota } from './quota-fit';
import { fail, formatValidationMessage, NOTE_METADATA } from '../../core/errors';
import { TeamAccessProfile } from '../../core/fleet';
import { RecommendedLabels } from '../../core/labels';
import { Names } from '../../core/names';
import { CpuQuantity, MemoryQuantity } from '../../core/quantity';
import { Validators } from '../../core/validators';
import { addOnNamespaces } from '../cluster-check';
import { ClusterContext } from '../cluster-context';
import { ClusterResources } from '../cluster-resources';
import { allowDnsSpec, defaultDenySpec } from '../networking/namespace-isolation';
import { _chartOf, validationIndex } from '../synth-steps';
import { KubernetesTarget, KubernetesVersion } from '../target';
import { Workload } from '../workloads/workload';

/**
 * The most a team namespace may hold at once (a `ResourceQuota`). Workloads placed in the namespace are checked
 * against it at synth: their requests and limits at their most pods (maximum replicas plus roll-out surge) must fit.
 */
export interface TeamQuota {
  /**
   * Sum of the CPU requests of every pod (`requests.cpu`). At most `limitsCpu` (a container requests at most its
   * limit, so a higher cap could never be reached).
   * @default "8"
   */
  readonly requestsCpu?: string;
  /**
   * Sum of the memory requests of every pod (`requests.memory`). At most `limitsMemory`.
   * @default "16Gi"
   */
  readonly requestsMemory?: string;
  /**
   * Sum of the CPU limits of every pod (`limits.cpu`).
   * @default "32"
   */
  readonly limitsCpu?: string;
  /**
   * Sum of the memory limits of every pod (`limits.memory`).
   * @default "16Gi"
   */
  readonly limitsMemory?: string;
  /**
   * Number of pods.
   * @default 100
   */
  readonly pods?: number;
  /**
   * Number of PersistentVolumeClaims.
   * @default 20
   */
  readonly persistentVolumeClaims?: number;
  /**
   * Sum of the storage requests of every claim (`requests.storage`).
   * @default "500Gi"
   */
  readonly requestsStorage?: string;
  /**
   * Number of Services of type LoadBalancer (each one is a cloud load balancer outside the platform's ingress).
   * @default 0
   */
  readonly loadBalancers?: number;
}

/**
 * Per-container defaults and bounds of a team namespace (a `LimitRange` of type Container). A container that sets
 * no request or limit gets the default; one that asks for more than the maximum is refused by the API server, and
 * at synth.
 */
export interface ContainerLimits {
  /**
   * CPU request of a container that sets none.
   * @default "100m"
   */
  readonly defaultCpuRequest?: string;
  /**
   * CPU limit of a container that sets none.
   * @default "1"
   */
  readonly defaultCpuLimit?: string;
  /**
   * Memory request of a container that sets none.
   * @default "256Mi"
   */
  readonly defaultMemoryRequest?: string;
  /**
   * Memory limit of a container that sets none.
   * @default "256Mi"
   */
  readonly defaultMemoryLimit?: string;
  /**
   * The most CPU one container may ask for (request and limit).
   * @default "4"
   */
  readonly maxCpu?: string;
  /**
   * The most memory one container may ask for (request and limit).
   * @default "8Gi"
   */
  readonly maxMemory?: string;
  /**
   * The least CPU one container may request.
   * @default "10m"
   */
  readonly minCpu?: string;
  /**
   * The least memory one container may request.
   * @default "16Mi"
   */
  readonly minMemory?: string;
}

/**
 * What the team's people may do in their namespace (the namespace-scoped Role bound to the team's group). No level
 * grants reading Secrets through the API (get, list or watch on `secrets`), exec, attach or port-forward into pods,
 * or any write to the guard rails (quota, limits, network policies, RBAC).
 *
 * RBAC grants verbs on whole objects, not on fields: whoever may change or create a pod template can run any image in
 * the namespace with any of its Secrets (or a ServiceAccount token) mounted, and read them through the pod's logs
 * (`pods/log`). OPERATE (a patch of a Deployment or StatefulSet) and EDIT (creating one, or a Job) can; only VIEW keeps
 * the namespace's Secrets out of the team's reach. Where the environment turns on Argo CD's self-heal, a changed
 * object is set back to what Git says at the next sync, but what its pods did meanwhile stays done.
 */
export enum TeamPermissions {
  /** Read the namespace's objects (not Secrets) and pod logs; change nothing. */
  VIEW = 'view',
  /**
   * VIEW, plus delete pods, scale Deployments and StatefulSets (their `scale` subresource) and patch them (what
   * `kubectl rollout restart` does). RBAC cannot limit a patch to a restart: it may change anything in the object,
   * the pod template included (image, command, volumes, service account), so OPERATE can also mount a Secret of the
   * namespace into the pods and read it through their logs.
   */
  OPERATE = 'operate',
  /**
   * OPERATE, plus create, change and delete Deployments, StatefulSets, Jobs, CronJobs, Services, ConfigMaps,
   * ServiceAccounts, PersistentVolumeClaims, Ingresses, autoscalers and disruption budgets (and so, like OPERATE,
   * mount a Secret of the namespace into a pod and read it through its logs).
   */
  EDIT = 'edit',
}

/**
 * The team's EKS access entry: the IAM principal its people assume.
 */
export interface TeamAccessOptions {
  /** The IAM role (or user) ARN, for example `arn:aws:iam::123456789012:role/team-shop`. */
  readonly principalArn: string;
  /**
   * An EKS access policy to associate with the entry, scoped to the team's namespace: `AmazonEKSViewPolicy` only.
   * EKS grants an access policy on top of RBAC, and the edit and admin policies read Secrets and change the
   * namespace's NetworkPolicies (and, admin, its RBAC), which the team's `permissions` leave out on purpose.
   * @default - none: the entry maps the principal into the team's group and the namespace's RBAC decides
   */
  readonly accessPolicy?: string;
}

/**
 * One rule of a ServiceAccount's rights in its namespace (an RBAC PolicyRule, without wildcards).
 */
export interface ApiAccessRule {
  /**
   * The API groups of the resources (`""` is the core group: pods, configmaps, secrets; `coordination.k8s.io` has
   * leases, `apps` deployments).
   * @default [""] - the core group
   */
  readonly apiGroups?: string[];
  /** The resources, by their plural name (`configmaps`, `leases`, `pods/log`). */
  readonly resources: string[];
  /** The verbs: get, list, watch, create, update, patch, delete, deletecollection. */
  readonly verbs: string[];
  /**
   * The objects the rule is limited to, by name (a leader-election Lease, one ConfigMap). A `create` or
   * `deletecollection` request names no object, so a rule with names cannot allow it (refused here); `list` and
   * `watch` are allowed only for requests that select one of the names (`fieldSelector=metadata.name=...`).
   * @default - every object of the resources in the namespace
   */
  readonly resourceNames?: string[];
}

/**
 * Kubernetes API rights for the pods that run as one ServiceAccount of a team's namespace.
 */
export interface ServiceAccountGrant {
  /**
   * The ServiceAccount, as the workload runs as it: a shipshape workload's own ServiceAccount has the workload's
   * name (its `serviceAccountName` when set).
   */
  readonly serviceAccount: string;
  /** What its pods may do in the namespace. */
  readonly rules: ApiAccessRule[];
}

/**
 * The namespaced resources of the API groups every cluster serves, by group (subresources after a "/"), for the
 * resources a ServiceAccountGrant names: RBAC matches lowercase plural names exactly, so `configmap` or `ConfigMaps`
 * would grant nothing.
 */
const NAMESPACED_RESOURCES: { [group: string]: string[] } = {
  '': ['pods', 'pods/log', 'pods/exec', 'pods/attach', 'pods/portforward', 'pods/status', 'pods/eviction', 'pods/ephemeralcontainers', 'pods/binding', 'pods/proxy',
    'services', 'services/status', 'services/proxy', 'endpoints', 'configmaps', 'secrets', 'serviceaccounts', 'serviceaccounts/token', 'events',
    'persistentvolumeclaims', 'persistentvolumeclaims/status', 'replicationcontrollers', 'replicationcontrollers/scale', 'replicationcontrollers/status',
    'limitranges', 'resourcequotas', 'resourcequotas/status', 'podtemplates', 'bindings'],
  'apps': ['deployments', 'deployments/scale', 'deployments/status', 'statefulsets', 'statefulsets/scale', 'statefulsets/status', 'daemonsets', 'daemonsets/status',
    'replicasets', 'replicasets/scale', 'replicasets/status', 'controllerrevisions'],
  'batch': ['jobs', 'jobs/status', 'cronjobs', 'cronjobs/status'],
  'autoscaling': ['horizontalpodautoscalers', 'horizontalpodautoscalers/status'],
  'policy': ['poddisruptionbudgets', 'poddisruptionbudgets/status'],
  'coordination.k8s.io': ['leases'],
  'discovery.k8s.io': ['endpointslices'],
  'events.k8s.io': ['events'],
  'networking.k8s.io': ['ingresses', 'ingresses/status', 'networkpolicies'],
  'rbac.authorization.k8s.io': ['roles', 'rolebindings'],
  'authorization.k8s.io': ['localsubjectaccessreviews'],
  'storage.k8s.io': ['csistoragecapacities'],
};
/** Cluster-scoped resources of those groups: a Role in a namespace cannot grant them. */
const CLUSTER_RESOURCES = ['nodes', 'namespaces', 'persistentvolumes', 'storageclasses', 'clusterroles', 'clusterrolebindings', 'priorityclasses', 'ingressclasses',
  'customresourcedefinitions', 'certificatesigningrequests', 'validatingwebhookconfigurations', 'mutatingwebhookconfigurations', 'runtimeclasses', 'csidrivers', 'csinodes',
  'volumeattachments', 'apiservices', 'componentstatuses', 'tokenreviews', 'subjectaccessreviews', 'selfsubjectaccessreviews'];

/** The verbs a ServiceAccountGrant may give: what workloads use; escalate, bind and impersonate are refused. */
const GRANT_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];
/** Verbs that let a subject give itself more rights (SS-K8S-082). */
const ESCALATION_VERBS = ['escalate', 'bind', 'impersonate'];

/**
 * Options of a team namespace (everything but the team's name).
 */
export interface TeamNamespaceOptions {
  /**
   * The Kubernetes group the team's people belong to (from the identity provider, or the EKS access entry's
   * `kubernetes_groups`). The namespace's RoleBinding binds it.
   */
  readonly group: string;
  /**
   * The namespace's name.
   * @default - the team's name
   */
  readonly namespace?: string;
  /**
   * The namespace's ResourceQuota.
   * @default - the TeamQuota defaults
   */
  readonly quota?: TeamQuota;
  /**
   * The namespace's per-container defaults and bounds (LimitRange).
   * @default - the ContainerLimits defaults
   */
  readonly limits?: ContainerLimits;
  /**
   * What the team's people may do in the namespace. OPERATE and EDIT can change pod templates, and with that read
   * the namespace's Secrets through a pod's logs: use VIEW where the team's people must not (see `TeamPermissions`).
   * @default TeamPermissions.OPERATE
   */
  readonly permissions?: TeamPermissions;
  /**
   * Let the team's group read the whole cluster (the built-in `view` ClusterRole, which excludes Secrets). Nothing
   * wider than `view` is ever granted cluster-wide.
   * @default false
   */
  readonly clusterView?: boolean;
  /**
   * The team's EKS access entry (a plain value on `TeamNamespace.accessEntry` for the AWS side to create).
   * @default - no access entry
   */
  readonly access?: TeamAccessOptions;
  /**
   * Kubernetes API rights of the team's workloads, each for one ServiceAccount of the namespace: a Role
   * (`<team>-sa-<serviceAccount>`) with the rules and a RoleBinding of it to the ServiceAccount, in the namespace
   * only (in a Fleet, in the platform folder with the team's other guard rails, since the team's project may not
   * deploy RBAC). Rules name their verbs and resources: a wildcard, the verbs escalate, bind and impersonate, and the
   * namespace's `default` ServiceAccount are refused. The workload must mount an API token to use them
   * (`automountServiceAccountToken: true`, with an egress rule to the API server); a grant to a ServiceAccount that
   * no object of the app has in the namespace is noted at synth.
   * @default - none: the team's workloads have no API rights
   */
  readonly serviceAccountGrants?: ServiceAccountGrant[];
}

/**
 * Properties of a `TeamNamespace`.
 */
export interface TeamNamespaceProps extends TeamNamespaceOptions {
  /** The team's name, a DNS label. */
  readonly team: string;
}

const PSA = 'pod-security.kubernetes.io';
/**
 * The cluster-wide view bindings of the teams of each app (by root), by name (`team-<team>-view`): the TeamNamespace
 * that writes it, its group and the object. A team's other namespaces with `clusterView` share it.
 */
const VIEW_BINDINGS = new WeakMap<IConstruct, Map<string, { path: string; group: string; binding: ApiObject }>>();
const TEAM_NAMESPACE = Symbol.for('shipshape.TeamNamespace');

const READ = ['get', 'list', 'watch'];
const WRITE = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];

/**
 * A team's namespace with its guard rails: the Namespace (Pod Security `restricted` enforced, warned and audited,
 * pinned to the cluster's Kubernetes version when the app knows its cluster), a ResourceQuota, a LimitRange with
 * container defaults, a default-deny NetworkPolicy in both directions plus one allowing DNS, and RBAC: the team's
 * group bound to a namespace-scoped Role (never cluster-admin; at most `view` cluster-wide).
 *
 * At synth, every pod-bearing object in the namespace (from any chart of the app) must fit: each container within the
 * LimitRange's bounds, and the namespace's requests, limits, pods and claims at their most replicas (HPA maximum,
 * plus the Deployment's roll-out surge) within the quota. A mesh proxy that an enrolment sizes (its pod annotations)
 * counts as a container of the pod: its injector adds it before admission checks the pod. The error gives the numbers.
 *
 * @example
 * new k8s.platform.TeamNamespace(chart, 'shop', { team: 'shop', group: 'team-shop' });
 */
export class TeamNamespace extends Construct {
  /** True when `x` is a TeamNamespace, also one made by another copy of the shipshape library. */
  public static isTeamNamespace(x: any): boolean {
    return x !== null && typeof x === 'object' && x[TEAM_NAMESPACE] === true;
  }

  /** The team's name. */
  public readonly team: string;
  /** The namespace's name. */
  public readonly namespace: string;
  /** The team's Kubernetes group. */
  public readonly group: string;
  /** The permissions the team's group has in the namespace. */
  public readonly permissions: TeamPermissions;
  /** The Namespace object. */
  public readonly namespaceObject: ApiObject;
  /** The ResourceQuota. */
  public readonly resourceQuota: ApiObject;
  /** The LimitRange. */
  public readonly limitRange: ApiObject;
  /** The NetworkPolicy that denies all ingress and egress of every pod of the namespace. */
  public readonly defaultDenyPolicy: ApiObject;
  /** The NetworkPolicy that lets every pod of the namespace resolve names (kube-dns, 53 UDP and TCP). */
  public readonly dnsPolicy: ApiObject;
  /** The namespace-scoped Role of the team. */
  public readonly role: ApiObject;
  /** The RoleBinding of the team's group to the Role. */
  public readonly roleBinding: ApiObject;
  /** The Role and RoleBinding of each ServiceAccount grant (`serviceAccountGrants`), in order. */
  public readonly serviceAccountRoles: ServiceAccountRole[];
  /**
   * The ClusterRoleBinding of the team's group to `view` (`team-<team>-view`). A team with several namespaces that
   * ask for `clusterView` has one: the first TeamNamespace of the team writes it, and the others share it (they must
   * name the same group).
   * @default - undefined unless `clusterView`
   */
  public readonly clusterViewBinding?: ApiObject;

  private readonly access?: TeamAccessOptions;
  /**
   * The prop quota errors name (a fleet team's `teams[2].quotaPerEnvironment.dev`).
   * @internal
   */
  public _quotaProp = 'quota';
  /**
   * The prop limit fixes name (a fleet team's `teams[2].limits`); undefined: `limits.<field> of <this path>`.
   * @internal
   */
  public _limitsProp?: string;
  private readonly resolvedQuota: ResolvedQuota;
  private readonly resolvedLimits: ResolvedLimits;

  constructor(scope: Construct, id: string, props: TeamNamespaceProps) {
    super(scope, id);
    Object.defineProperty(this, TEAM_NAMESPACE, { value: true });
    _chartOf(this); // its objects need a chart (cdk8s would say only that it found no parent chart)
    this.team = Names.dnsLabel(this, 'team', props.team);
    this.namespace = Names.dnsLabel(this, 'namespace', props.namespace ?? props.team);
    if (['default', 'kube-system', 'kube-public', 'kube-node-lease'].includes(this.namespace)) {
      const example = this.namespace === this.team ? `team-${this.team}` : this.team;
      fail(this, 'namespace', this.namespace, 'is a namespace every cluster has and shares; a team gets a namespace of its own',
        `${props.namespace === undefined ? 'name the team otherwise, or set namespace' : 'set namespace'} to one of its own, for example ${JSON.stringify(example)}`);
    }
    if (this.namespace.startsWith('kube-')) {
      // the API server takes it, but Kubernetes keeps the prefix for its own namespaces, and tools treat them as system ones
      const own = this.namespace.slice('kube-'.length);
      fail(this, 'namespace', this.namespace, 'starts with "kube-", which Kubernetes keeps for its own system namespaces (tools and policies treat such namespaces as the cluster\'s)',
        `${props.namespace === undefined ? 'name the team otherwise, or set namespace' : 'set namespace'} to a name without the prefix, for example ${JSON.stringify(own === '' ? `team-${this.team}` : own)}`);
    }
    const setNamespace = props.namespace === undefined ? 'name the team otherwise, or set namespace' : 'set namespace';
    const ownExample = JSON.stringify(this.namespace === this.team ? `team-${this.team}` : this.team);
    // where the profile says a controller or add-on of the cluster runs: the team's guard rails would apply to it
    // (Pod Security restricted, a quota without LoadBalancer Services, a default deny): an ingress controller's pods
    // refused or cut off, and every Ingress of its class with them
    const cluster = ClusterContext.of(this);
    const addOn = cluster ? addOnNamespaces(cluster).get(this.namespace) : undefined;
    if (cluster && addOn) {
      fail(this, 'namespace', this.namespace, `is where ${addOn.what} runs on cluster ${cluster.clusterName} (its profile's ${addOn.field}); a team gets a namespace of its own: `
        + 'the team\'s Pod Security level (restricted), quota, LimitRange and default-deny NetworkPolicies would apply to the controller\'s pods and cut off their traffic',
      `${setNamespace} to one of the team's own, for example ${ownExample}`);
    }
    // a second TeamNamespace of the same namespace in one app, or ClusterResources.addNamespace of it, would write its
    // Namespace twice: said once, here (the one declared second says it)
    const declared = ClusterResources._namespaceDeclarations(this);
    const first = declared.teams.get(this.namespace);
    if (first !== undefined) {
      fail(this, 'namespace', this.namespace, `is also the namespace of TeamNamespace ${first.path} (team ${first.team}): it and this TeamNamespace (team ${this.team}) `
        + `would both write Namespace ${this.namespace} and its guard rails`,
      `declare namespace ${this.namespace} once: give one of them a namespace of its own (namespace), or drop one`);
    }
    const added = declared.added.get(this.namespace);
    if (added !== undefined) {
      fail(this, 'namespace', this.namespace, `is declared twice: by this TeamNamespace and by ClusterResources.addNamespace(${JSON.stringify(this.namespace)}) of ${added}, `
        + `and both would write Namespace ${this.namespace}`,
      `declare it once: a TeamNamespace writes its Namespace, with its Pod Security level (restricted), itself, so drop the addNamespace(${JSON.stringify(this.namespace)}) call`);
    }
    declared.teams.set(this.namespace, { path: this.node.path, team: this.team });
    this.group = TeamNamespace.checkGroup(this, props.group);
    this.permissions = props.permissions ?? TeamPermissions.OPERATE;
    if (!Object.values(TeamPermissions).includes(this.permissions)) {
      fail(this, 'permissions', this.permissions, `must be a TeamPermissions (${Object.values(TeamPermissions).join(', ')})`, 'use TeamPermissions.OPERATE');
    }
    this.access = props.access;
    if (props.access) {
      if (typeof props.access.principalArn !== 'string' || !/^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/\S+$/.test(props.access.principalArn)) {
        fail(this, 'access.principalArn', props.access.principalArn, 'must be an IAM role or user ARN', "pass an ARN like 'arn:aws:iam::123456789012:role/team-shop'");
      }
      const policy = props.access.accessPolicy;
      if (policy !== undefined && (!/^AmazonEKS[A-Za-z]+Policy$/.test(policy) || /ClusterAdmin/.test(policy))) {
        fail(this, 'access.accessPolicy', policy, 'must be a namespace-scoped EKS access policy (AmazonEKSViewPolicy, AmazonEKSEditPolicy, AmazonEKSAdminPolicy), never cluster-admin',
          'leave it out (RBAC decides) or use AmazonEKSViewPolicy');
      }
      if (policy !== undefined && policy !== 'AmazonEKSViewPolicy') {
        // EKS grants an access policy on top of RBAC: the team would get what its permissions leave out on purpose
        fail(this, 'access.accessPolicy', policy, 'grants more than the team\'s permissions allow: EKS adds it to RBAC, and it reads the namespace\'s Secrets and changes '
          + 'its NetworkPolicies (the default deny)' + (policy === 'AmazonEKSAdminPolicy' ? ' and its RBAC' : '') + ', which no TeamPermissions grants',
        'give the team more with permissions (TeamPermissions.EDIT), and leave accessPolicy out or use AmazonEKSViewPolicy');
      }
    }
    this.resolvedQuota = this.resolveQuota(props.quota ?? {});
    this.resolvedLimits = this.resolveLimits(props.limits ?? {});

    // Pod Security reads "v1.N" only: written from the parsed version, whichever form the profile gives (v1.30, 1.30.2)
    // without a cluster, the Kubernetes target set for the app (or a parent) pins them; else "latest"
    const target = cluster ? undefined : KubernetesTarget._explicitOf(this);
    const version = cluster ? `v${KubernetesVersion.of(cluster.kubernetesVersion)}` : target ? `v${target}` : 'latest';
    if (!cluster && !target) {
      this.node.addMetadata('shipshape:info', `Pod Security labels of namespace ${this.namespace} use version "latest" because the app knows no cluster; `
        + 'give k8s.App its cluster, or set the Kubernetes target (KubernetesTarget.set), to pin them');
    }
    const labels = { [TEAM_LABEL]: this.team, [RecommendedLabels.MANAGED_BY]: RecommendedLabels.MANAGER };
    const meta = (name: string): metav1.ObjectMeta => ({ name, namespace: this.namespace, labels: { ...labels } });

    this.namespaceObject = new ApiObject(this, 'Namespace', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: this.namespace,
        labels: {
          ...labels,
          [`${PSA}/enforce`]: 'restricted',
          [`${PSA}/enforce-version`]: version,
          [`${PSA}/warn`]: 'restricted',
          [`${PSA}/warn-version`]: version,
          [`${PSA}/audit`]: 'restricted',
          [`${PSA}/audit-version`]: version,
        },
        // namespaces first: everything else of the team lands in it
        annotations: { [SYNC_WAVE]: '-1' },
      },
    } satisfies corev1.Namespace);

    const q = this.resolvedQuota;
    this.resourceQuota = new ApiObject(this, 'ResourceQuota', {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: meta(`${this.team}-quota`),
      spec: {
        hard: {
          'requests.cpu': q.requestsCpu.toString(),
          'requests.memory': q.requestsMemory.toString(),
          'limits.cpu': q.limitsCpu.toString(),
          'limits.memory': q.limitsMemory.toString(),
          'pods': String(q.pods),
          'persistentvolumeclaims': String(q.persistentVolumeClaims),
          'requests.storage': q.requestsStorage.toString(),
          'services.loadbalancers': String(q.loadBalancers),
          'services.nodeports': '0',
        },
      },
    } satisfies corev1.ResourceQuota);

    const l = this.resolvedLimits;
    this.limitRange = new ApiObject(this, 'LimitRange', {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: meta(`${this.team}-limits`),
      spec: {
        limits: [{
          type: 'Container',
          default: { cpu: l.defaultCpuLimit.toString(), memory: l.defaultMemoryLimit.toString() },
          defaultRequest: { cpu: l.defaultCpuRequest.toString(), memory: l.defaultMemoryRequest.toString() },
          max: { cpu: l.maxCpu.toString(), memory: l.maxMemory.toString() },
          min: { cpu: l.minCpu.toString(), memory: l.minMemory.toString() },
        }],
      },
    } satisfies corev1.LimitRange);

    this.defaultDenyPolicy = new ApiObject(this, 'DefaultDeny', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta(`${this.team}-default-deny`),
      spec: defaultDenySpec(),
    } satisfies networkingv1.NetworkPolicy);
    this.dnsPolicy = new ApiObject(this, 'AllowDns', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta(`${this.team}-allow-dns`),
      spec: allowDnsSpec(),
    } satisfies networkingv1.NetworkPolicy);

    this.role = new ApiObject(this, 'Role', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: meta(`${this.team}-${this.permissions}`),
      rules: TeamNamespace.rules(this.permissions),
    } satisfies rbacv1.Role);
    this.roleBinding = new ApiObject(this, 'RoleBinding', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: meta(`${this.team}-${this.permissions}`),
      subjects: [{ kind: 'Group', name: this.group, apiGroup: 'rbac.authorization.k8s.io' }],
      roleRef: { kind: 'Role', name: `${this.team}-${this.permissions}`, apiGroup: 'rbac.authorization.k8s.io' },
    } satisfies rbacv1.RoleBinding);
    this.serviceAccountRoles = this.grantRoles(props.serviceAccountGrants ?? [], meta);
    if (props.clusterView) {
      // one binding per team: a team's other namespace with clusterView wrote the same one already, unless its group differs
      const bindingName = `team-${this.team}-view`;
      let views = VIEW_BINDINGS.get(this.node.root);
      if (views === undefined) {
        views = new Map();
        VIEW_BINDINGS.set(this.node.root, views);
      }
      const written = views.get(bindingName);
      if (written !== undefined && written.group !== this.group) {
        fail(this, 'clusterView', true, `would bind group ${JSON.stringify(this.group)} to view cluster-wide in ClusterRoleBinding ${bindingName}, which TeamNamespace ${written.path} `
          + `(team ${this.team}'s other namespace, also with clusterView) writes for group ${JSON.stringify(written.group)}: a team has one cluster-wide view binding, `
          + 'so its groups must agree', `give both TeamNamespaces of team ${this.team} the same group, or leave clusterView off on one of them`);
      }
      this.clusterViewBinding = written?.binding ?? new ApiObject(this, 'ClusterViewBinding', {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: bindingName, labels: { ...labels } },
        subjects: [{ kind: 'Group', name: this.group, apiGroup: 'rbac.authorization.k8s.io' }],
        roleRef: { kind: 'ClusterRole', name: 'view', apiGroup: 'rbac.authorization.k8s.io' },
      } satisfies rbacv1.ClusterRoleBinding);
      if (written === undefined) views.set(bindingName, { path: this.node.path, group: this.group, binding: this.clusterViewBinding });
    }

    this.node.addValidation({ validate: () => [...this.namespaceProblems(), ...this.fitProblems()] });
  }

  /** Validates the ServiceAccount grants and writes a Role and RoleBinding for each. */
  private grantRoles(grants: ServiceAccountGrant[], meta: (name: string) => metav1.ObjectMeta): ServiceAccountRole[] {
    if (!Array.isArray(grants)) fail(this, 'serviceAccountGrants', grants, 'must be a list of grants', 'use [{ serviceAccount: \'api\', rules: [...] }]');
    const seen = new Map<string, number>();
    return grants.map((g, i) => {
      const prop = `serviceAccountGrants[${i}]`;
      const sa = Names.dnsSubdomain(this, `${prop}.serviceAccount`, g?.serviceAccount);
      if (sa === 'default') {
        fail(this, `${prop}.serviceAccount`, sa, 'is the namespace\'s default ServiceAccount, which every pod that names no other runs as: the rights would go to all of them (rule SS-K8S-083)',
          'grant the ServiceAccount of the workload that needs them (a shipshape workload runs as one of its own, named after it)');
      }
      const earlier = seen.get(sa);
      if (earlier !== undefined) {
        fail(this, `${prop}.serviceAccount`, sa, `is also granted by serviceAccountGrants[${earlier}]: each would write Role ${this.team}-sa-${sa}`, 'list all of its rules in one grant');
      }
      seen.set(sa, i);
      if (!Array.isArray(g.rules) || g.rules.length === 0) fail(this, `${prop}.rules`, g.rules, 'must hold at least one rule', 'add { resources: [\'configmaps\'], verbs: [\'get\'] }');
      const rules = g.rules.map((r, j) => this.grantRule(`${prop}.rules[${j}]`, r));
      const name = `${this.team}-sa-${sa}`;
      if (name.length > 253) {
        fail(this, `${prop}.serviceAccount`, sa, `makes the grant's Role name ${this.team}-sa-<serviceAccount> ${name.length} characters long, above the 253 the API allows`,
          `use a ServiceAccount name of at most ${253 - `${this.team}-sa-`.length} characters`);
      }
      const role = new ApiObject(this, `Grant${i}Role`, {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: meta(name),
        rules,
      } satisfies rbacv1.Role);
      const binding = new ApiObject(this, `Grant${i}Binding`, {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: meta(name),
        subjects: [{ kind: 'ServiceAccount', name: sa, namespace: this.namespace }],
        roleRef: { kind: 'Role', name, apiGroup: 'rbac.authorization.k8s.io' },
      } satisfies rbacv1.RoleBinding);
      this.node.addValidation({ validate: () => this.noteUnknownServiceAccount(prop, sa) });
      return { serviceAccount: sa, role, roleBinding: binding };
    });
  }

  /** One validated rule of a grant, as the Role writes it. */
  private grantRule(prop: string, r: ApiAccessRule): rbacv1.PolicyRule {
    const list = (field: 'apiGroups' | 'resources' | 'verbs' | 'resourceNames', value: unknown, empty: boolean): string[] => {
      if (!Array.isArray(value) || value.some(v => typeof v !== 'string') || (!empty && value.length === 0)) {
        fail(this, `${prop}.${field}`, value, `must be a list of strings${empty ? '' : ', not empty'}`, field === 'verbs' ? `list the verbs (${GRANT_VERBS.join(', ')})` : 'list them by name');
      }
      const star = (value as string[]).find(v => v.includes('*'));
      if (star !== undefined) {
        fail(this, `${prop}.${field}`, star, 'is a wildcard, which grants everything of its kind, also what Kubernetes and add-ons add later (rule SS-K8S-077)',
          `name the ${field === 'verbs' ? 'verbs' : field === 'apiGroups' ? 'API groups' : 'resources'} the workload uses`);
      }
      return [...(value as string[])];
    };
    const apiGroups = r.apiGroups === undefined ? [''] : list('apiGroups', r.apiGroups, false);
    const resources = list('resources', r?.resources, false);
    for (const g of apiGroups) {
      if (g.includes('/')) {
        fail(this, `${prop}.apiGroups`, g, 'names a version, but RBAC matches the API group alone', `write ${JSON.stringify(g.split('/')[0] === 'v1' ? '' : g.split('/')[0])}`);
      }
      if (g !== g.toLowerCase()) fail(this, `${prop}.apiGroups`, g, 'has upper case, but RBAC matches the API group exactly, in lower case', `write ${JSON.stringify(g.toLowerCase())}`);
    }
    const verbs = list('verbs', r.verbs, false);
    for (const v of verbs) {
      if (ESCALATION_VERBS.includes(v.toLowerCase())) {
        fail(this, `${prop}.verbs`, v, 'lets the ServiceAccount give itself or others more rights (rule SS-K8S-082)', 'grant the verbs the workload uses on its resources; RBAC changes belong to the platform');
      }
      if (!GRANT_VERBS.includes(v)) {
        const meant = GRANT_VERBS.find(k => k === v.toLowerCase());
        fail(this, `${prop}.verbs`, v, `is not a verb a grant gives (${GRANT_VERBS.join(', ')})`, meant !== undefined ? `write it as ${meant}` : 'use one of those verbs');
      }
    }
    for (const res of resources) this.grantResource(`${prop}.resources`, res, apiGroups);
    const resourceNames = r.resourceNames === undefined ? undefined : list('resourceNames', r.resourceNames, false);
    const unnamed = resourceNames !== undefined ? verbs.find(v => v === 'create' || v === 'deletecollection') : undefined;
    if (unnamed !== undefined) {
      fail(this, `${prop}.verbs`, unnamed, `is limited by resourceNames here, but a ${unnamed} request names no object, so the API server would refuse it`,
        `move ${unnamed} to a rule of its own without resourceNames`);
    }
    return { apiGroups, resources, verbs, ...(resourceNames !== undefined ? { resourceNames } : {}) };
  }

  /**
   * Refuses a resource RBAC would match to nothing in a namespaced Role (a singular, upper case, a URL, a cluster-scoped
   * resource, a resource of another group), or one that would let the workload change RBAC.
   */
  private grantResource(prop: string, res: string, groups: string[]): void {
    if (res.startsWith('/')) {
      fail(this, prop, res, 'is a URL path (a non-resource URL), which a Role cannot grant (only a ClusterRole can)', 'grant API resources by their plural name, for example configmaps');
    }
    const base = res.split('/')[0];
    if (res !== res.toLowerCase()) fail(this, prop, res, 'has upper case, but RBAC matches resource names exactly, in lower case', `write ${JSON.stringify(res.toLowerCase())}`);
    if (CLUSTER_RESOURCES.includes(base)) {
      fail(this, prop, res, 'is cluster-scoped: a Role in the namespace cannot grant it (the API server ignores the rule)', 'grant namespaced resources only; cluster-wide rights belong to the platform');
    }
    if (groups.includes('rbac.authorization.k8s.io') && ['roles', 'rolebindings'].includes(base)) {
      fail(this, prop, res, 'would let the ServiceAccount write RBAC in the namespace: it could bind the Role it holds to any ServiceAccount, the default one included (rule SS-K8S-082)',
        'leave RBAC to the platform: grant each ServiceAccount what it needs here');
    }
    for (const g of groups) {
      const known = NAMESPACED_RESOURCES[g];
      if (known === undefined || known.includes(res)) continue;
      // a resource of another built-in group, or a slip (a singular, a typo)
      const home = Object.entries(NAMESPACED_RESOURCES).find(([, list]) => list.includes(res))?.[0];
      const near = known.find(k => k === `${res}s` || k === `${base}s${res.slice(base.length)}`) ?? known.find(k => Validators._editDistance(k, res) <= 2);
      fail(this, prop, res, `is not a resource of API group ${JSON.stringify(g)}${g === '' ? ' (the core group)' : ''}, so the rule grants nothing there`,
        home !== undefined ? `set apiGroups to [${JSON.stringify(home)}] for ${res}` : near !== undefined ? `write ${JSON.stringify(near)} (RBAC matches the plural name)` : 'name a resource of that group by its plural name, or set apiGroups to its group');
    }
  }

  /** A note for a grant to a ServiceAccount no object of the app has in the namespace (it may be made elsewhere). */
  private noteUnknownServiceAccount(prop: string, sa: string): string[] {
    const accounts = validationIndex('team-namespace.serviceAccounts', serviceAccountsOf) ?? serviceAccountsOf(this.node.root.node.findAll());
    if (!accounts.has(`${this.namespace}/${sa}`) && !this.node.metadata.some(m => m.type === NOTE_METADATA && String(m.data).includes(`${prop} `))) {
      this.node.addMetadata(NOTE_METADATA, `${prop} grants ServiceAccount ${sa}, which no object of the app has in namespace ${this.namespace}: the Role binds it all `
        + 'the same, but unless the ServiceAccount is made otherwise nothing runs as it; check the name (a shipshape workload\'s ServiceAccount has the workload\'s name)');
    }
    return [];
  }

  /**
   * The team's EKS access entry on the app's cluster, for the AWS side (`aws.EksCluster`) to create: the principal
   * mapped into the team's group, optionally with an access policy scoped to the namespace.
   * @returns undefined when the team has no `access`
   */
  public get accessEntry(): TeamAccessProfile | undefined {
    if (!this.access) return undefined;
    const cluster = ClusterContext.of(this);
    if (!cluster) {
      fail(this, 'access', this.access.principalArn, 'needs the cluster the access entry is for, and the app knows none', 'give k8s.App its cluster (App({ cluster }))');
    }
    return {
      cluster: cluster.clusterName,
      clusterName: cluster.clusterName,
      team: this.team,
      principalArn: this.access.principalArn,
      kubernetesGroups: [this.group],
      namespaces: [this.namespace],
      ...(this.access.accessPolicy ? { accessPolicy: this.access.accessPolicy } : {}),
    };
  }

  /**
   * The other Namespace objects of the app named like this team's namespace (a Namespace of the program's own): this
   * TeamNamespace writes that Namespace, and two objects of one name would leave only one of them (checked at synth,
   * before anything else says what either writes).
   */
  private namespaceProblems(): string[] {
    const index = validationIndex('team-namespace.namespaceObjects', namespaceObjects) ?? namespaceObjects(this.node.root.node.findAll());
    return (index.get(this.namespace) ?? []).filter(o => o !== this.namespaceObject).map(o => formatValidationMessage({
      path: this.node.path,
      prop: 'namespace',
      value: JSON.stringify(this.namespace),
      allowed: `is also written by ${o.node.path}, a Namespace of the program's own: it and this TeamNamespace both write Namespace ${this.namespace} `
        + '(kubectl apply and Argo CD would keep only one of them)',
      fix: `keep one: remove ${o.node.path} (this TeamNamespace writes Namespace ${this.namespace} itself, with Pod Security restricted and its guard rails), `
        + 'or remove this TeamNamespace',
    }));
  }

  /** What the app's objects in this namespace ask beyond the quota and limits (checked at synth). */
  private fitProblems(): string[] {
    const objects: Array<{ manifest: any; path: string }> = [];
    const problems: string[] = [];
    // in synth's validation pass, the app's workloads and objects by namespace, indexed once for every team
    const index = validationIndex('team-namespace.byNamespace', byNamespace);
    const candidates = index !== undefined ? (index.get(this.namespace) ?? []) : this.node.root.node.findAll();
    for (const c of candidates) {
      if (Workload.isWorkload(c) && (c as Workload).namespace === this.namespace) {
        // the namespace enforces restricted: a workload that needs more gets no pod at all (FailedCreate)
        const need = (c as Workload)._podSecurityNeed();
        if (need !== undefined && need.level !== 'restricted') {
          problems.push(`${c.node.path}: the workload needs Pod Security ${need.level} (${need.reason}), but team namespace ${this.namespace} enforces restricted, `
            + 'so the API server would create none of its pods; run it in a namespace of its own outside the team (a platform namespace, where k8s.App({ cluster }) '
            + 'labels the level it needs), or drop the host access it asks for');
        }
      }
      if (Workload.isWorkload(c) && (c as Workload).namespace === this.namespace && (c as Workload)._cpuLimitNone()) {
        // the quota caps limits.cpu, so the LimitRange gives every container without a CPU limit the default one
        problems.push(`${c.node.path}: resources.cpuLimit ("none") cannot hold in namespace ${this.namespace}: its ResourceQuota caps limits.cpu, `
          + `so its LimitRange gives each container without a CPU limit the default (${this.resolvedLimits.defaultCpuLimit}), which may throttle it; `
          + `set the CPU limit the workload needs (it counts against ${this._quotaProp}.limitsCpu), or raise ${this._limitsProp !== undefined ? `${this._limitsProp}.defaultCpuLimit` : `limits.defaultCpuLimit of ${this.node.path}`}`);
      }
      if (!ApiObject.isApiObject(c) || c.node.scopes.includes(this)) continue;
      const obj = c as ApiObject;
      if (obj.metadata.namespace !== this.namespace) continue;
      let manifest: any;
      try {
        manifest = obj.toJson();
      } catch {
        continue; // an object that cannot render (a job's never-ending sidecar): its own validation says why
      }
      objects.push({ manifest, path: obj.node.path });
    }
    return [...problems, ...quotaProblems(this.node.path, this.namespace, this.resolvedQuota, this.resolvedLimits, objects, this._quotaProp, this._limitsProp)];
  }

  private resolveQuota(q: TeamQuota): ResolvedQuota {
    const count = (prop: string, v: number | undefined, d: number) => {
      const n = v ?? d;
      if (!Number.isInteger(n) || n < 0) fail(this, `quota.${prop}`, n, 'must be a whole number, 0 or more', `use for example ${d}`);
      return n;
    };
    const r: ResolvedQuota = {
      requestsCpu: CpuQuantity.parse(q.requestsCpu ?? '8', this, 'quota.requestsCpu'),
      requestsMemory: MemoryQuantity.parse(q.requestsMemory ?? '16Gi', this, 'quota.requestsMemory'),
      limitsCpu: CpuQuantity.parse(q.limitsCpu ?? '32', this, 'quota.limitsCpu'),
      limitsMemory: MemoryQuantity.parse(q.limitsMemory ?? '16Gi', this, 'quota.limitsMemory'),
      pods: count('pods', q.pods, 100),
      persistentVolumeClaims: count('persistentVolumeClaims', q.persistentVolumeClaims, 20),
      requestsStorage: MemoryQuantity.parse(q.requestsStorage ?? '500Gi', this, 'quota.requestsStorage'),
      loadBalancers: count('loadBalancers', q.loadBalancers, 0),
    };
    // every container of the namespace has a limit (the LimitRange gives one) and requests at most its limit, so the
    // requests of the namespace never exceed its limits: a request cap set above the limit cap could never be reached
    // (a default request above a limit set lower is left alone: the limit cap holds either way)
    const within = (resource: string, reqProp: 'requestsCpu' | 'requestsMemory', req: { compare(o: any): number; toString(): string }, limProp: string, lim: { toString(): string }) => {
      if (q[reqProp] !== undefined && req.compare(lim) > 0) {
        const given = (q as any)[limProp] !== undefined ? '' : ', its default';
        fail(this, `quota.${reqProp}`, req.toString(), `must be <= quota.${limProp} (${lim}${given}): every container requests at most its limit, so the namespace's ${resource} `
          + `requests never exceed its ${resource} limits and this cap could never be reached`, `lower quota.${reqProp} or raise quota.${limProp}`);
      }
    };
    within('CPU', 'requestsCpu', r.requestsCpu, 'limitsCpu', r.limitsCpu);
    within('memory', 'requestsMemory', r.requestsMemory, 'limitsMemory', r.limitsMemory);
    return r;
  }

  private resolveLimits(l: ContainerLimits): ResolvedLimits {
    const cpu = (prop: keyof ContainerLimits, d: string) => CpuQuantity.parse(l[prop] ?? d, this, `limits.${prop}`);
    const mem = (prop: keyof ContainerLimits, d: string) => MemoryQuantity.parse(l[prop] ?? d, this, `limits.${prop}`);
    const r: ResolvedLimits = {
      defaultCpuRequest: cpu('defaultCpuRequest', '100m'),
      defaultCpuLimit: cpu('defaultCpuLimit', '1'),
      defaultMemoryRequest: mem('defaultMemoryRequest', '256Mi'),
      defaultMemoryLimit: mem('defaultMemoryLimit', '256Mi'),
      maxCpu: cpu('maxCpu', '4'),
      maxMemory: mem('maxMemory', '8Gi'),
      minCpu: cpu('minCpu', '10m'),
      minMemory: mem('minMemory', '16Mi'),
    };
    // the API server refuses a LimitRange whose defaults fall outside [min, max] or whose default request exceeds the default limit
    const order = (lowProp: string, low: { compare(o: any): number; toString(): string }, highProp: string, high: { toString(): string }) => {
      if (low.compare(high) > 0) {
        // say which side is a default: the user wrote only the other
        const lowDefault = (l as any)[lowProp] === undefined ? 'is its default, and ' : '';
        const highDefault = (l as any)[highProp] === undefined ? ', its default' : '';
        fail(this, `limits.${lowProp}`, low.toString(), `${lowDefault}must be <= limits.${highProp} (${high}${highDefault})`, `lower ${lowProp} or raise ${highProp}`);
      }
    };
    order('minCpu', r.minCpu, 'defaultCpuRequest', r.defaultCpuRequest);
    order('defaultCpuRequest', r.defaultCpuRequest, 'defaultCpuLimit', r.defaultCpuLimit);
    order('defaultCpuLimit', r.defaultCpuLimit, 'maxCpu', r.maxCpu);
    order('minMemory', r.minMemory, 'defaultMemoryRequest', r.defaultMemoryRequest);
    order('defaultMemoryRequest', r.defaultMemoryRequest, 'defaultMemoryLimit', r.defaultMemoryLimit);
    order('defaultMemoryLimit', r.defaultMemoryLimit, 'maxMemory', r.maxMemory);
    return r;
  }

  private static checkGroup(scope: IConstruct, group: string): string {
    if (typeof group !== 'string' || group.trim() === '' || group !== group.trim()) {
      fail(scope, 'group', group, 'must be the name of the team\'s Kubernetes group, without surrounding spaces', "use for example 'team-shop'");
    }
    if (group.startsWith('system:') || group.startsWith('eks:')) {
      fail(scope, 'group', group, 'must not be a Kubernetes or EKS system group (system:, eks:): binding it would grant the team\'s rights to every member of that group',
        "use a group of the team's own, for example 'team-shop'");
    }
    return group;
  }

  /**
   * The Role rules of a permission level: never Secrets (through the API), exec, attach, port-forward, RBAC, nor writes
   * to quotas, limits or network policies. OPERATE's patch and EDIT's writes reach pod templates (see TeamPermissions).
   */
  private static rules(level: TeamPermissions): rbacv1.PolicyRule[] {
    const rules: rbacv1.PolicyRule[] = [
      { apiGroups: [''], resources: ['pods', 'pods/log', 'services', 'endpoints', 'configmaps', 'serviceaccounts', 'persistentvolumeclaims', 'events', 'resourcequotas', 'limitranges'], verbs: READ },
      { apiGroups: ['apps'], resources: ['deployments', 'statefulsets', 'replicasets', 'daemonsets'], verbs: READ },
      { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: READ },
      { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: READ },
      { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: READ },
      { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'networkpolicies'], verbs: READ },
    ];
    if (level === TeamPermissions.VIEW) return rules;
    rules.push(
      { apiGroups: [''], resources: ['pods'], verbs: ['delete'] },
      { apiGroups: ['apps'], resources: ['deployments', 'statefulsets'], verbs: ['patch'] },
      { apiGroups: ['apps'], resources: ['deployments/scale', 'statefulsets/scale'], verbs: ['get', 'update', 'patch'] },
    );
    if (level === TeamPermissions.OPERATE) return rules;
    rules.push(
      { apiGroups: [''], resources: ['services', 'configmaps', 'serviceaccounts', 'persistentvolumeclaims'], verbs: WRITE },
      { apiGroups: ['apps'], resources: ['deployments', 'statefulsets'], verbs: WRITE },
      { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: WRITE },
      { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: WRITE },
      { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: WRITE },
      { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: WRITE },
    );
    return rules;
  }
}

/** The Namespace objects of the app by name (in construct order), for `namespaceProblems`. */
function namespaceObjects(all: IConstruct[]): Map<string, ApiObject[]> {
  const out = new Map<string, ApiObject[]>();
  for (const c of all) {
    if (!ApiObject.isApiObject(c)) continue;
    const obj = c as ApiObject;
    if (obj.kind !== 'Namespace' || obj.apiVersion !== 'v1' || typeof obj.metadata.name !== 'string') continue;
    const list = out.get(obj.metadata.name);
    if (list) list.push(obj); else out.set(obj.metadata.name, [obj]);
  }
  return out;
}

/** The workloads and ApiObjects of the app by the namespace they are in (in construct order), for `fitProblems`. */
function byNamespace(all: IConstruct[]): Map<string, IConstruct[]> {
  const out = new Map<string, IConstruct[]>();
  const add = (ns: string | undefined, c: IConstruct) => {
    if (ns === undefined) return;
    const list = out.get(ns);
    if (list) list.push(c); else out.set(ns, [c]);
  };
  for (const c of all) {
    if (Workload.isWorkload(c)) add((c as Workload).namespace, c);
    else if (ApiObject.isApiObject(c)) add((c as ApiObject).metadata.namespace, c);
  }
  return out;
}

/** The Role and RoleBinding a TeamNamespace writes for one ServiceAccount grant. */
export interface ServiceAccountRole {
  /** The ServiceAccount granted. */
  readonly serviceAccount: string;
  /** The Role (`<team>-sa-<serviceAccount>`). */
  readonly role: ApiObject;
  /** The RoleBinding of the Role to the ServiceAccount. */
  readonly roleBinding: ApiObject;
}

/** `<namespace>/<name>` of every ServiceAccount object of the app (its namespace, or its chart's). */
function serviceAccountsOf(all: IConstruct[]): Set<string> {
  const out = new Set<string>();
  for (const c of all) {
    if (!ApiObject.isApiObject(c) || c.kind !== 'ServiceAccount') continue;
    const ns = c.metadata.namespace ?? Chart.of(c).namespace;
    out.add(`${ns ?? ''}/${c.name}`);
  }
  return out;
}
