import { ApiObject, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import type * as corev1 from 'kubernetes-types/core/v1';
import type * as metav1 from 'kubernetes-types/meta/v1';
import type * as networkingv1 from 'kubernetes-types/networking/v1';
import type * as storagev1 from 'kubernetes-types/storage/v1';
import { checkStorageClass } from './cluster-check';
import { ClusterProfile } from '../core/cluster-profile';
import { fail } from '../core/errors';
import { RecommendedLabels } from '../core/labels';
import { Names } from '../core/names';
import { Validators } from '../core/validators';
import { Policy } from '../policy/policy';
import { allowDnsSpec, defaultDenySpec } from './networking/namespace-isolation';
import { KubernetesVersion } from './target';

const READINESS_GATE_LABEL = 'elbv2.k8s.aws/pod-readiness-gate-inject';

/**
 * A Pod Security Standards level (`pod-security.kubernetes.io/*` namespace labels).
 */
export enum PodSecurityLevel {
  /** Hardened pods only (what every shipshape workload is). */
  RESTRICTED = 'restricted',
  /** Prevents known privilege escalations; allows some host-facing settings. */
  BASELINE = 'baseline',
  /** No restriction (node agents with host access need it). */
  PRIVILEGED = 'privileged',
}

/**
 * Options of `ClusterResources.addNamespace()`.
 */
export interface NamespaceOptions {
  /**
   * The Pod Security level enforced in the namespace. Warnings and audit annotations stay at `restricted`, so a
   * pod that needs more shows up.
   * @default PodSecurityLevel.RESTRICTED
   */
  readonly enforce?: PodSecurityLevel;
  /**
   * Why the namespace enforces less than `restricted` (required then; written as an annotation).
   * @default - none
   */
  readonly reason?: string;
  /**
   * Isolate the namespace: a NetworkPolicy `default-deny` (every pod, no ingress and no egress unless another policy
   * allows it) and a NetworkPolicy `allow-dns` (every pod may resolve names through kube-dns, 53 UDP and TCP). Each
   * shipshape workload's own NetworkPolicy allows what it declares, so only pods that no policy selects (objects
   * written by hand, a chart rendered into the namespace) are cut off. Rule SS-K8S-074 warns about a namespace
   * without them.
   * @default true
   */
  readonly defaultDeny?: boolean;
}

/**
 * Properties of `ClusterResources`.
 */
export interface ClusterResourcesProps {
  /** The cluster whose storage classes and ingress classes are created. */
  readonly cluster: ClusterProfile;
}

const PSA = 'pod-security.kubernetes.io';

/**
 * Who declares the Namespace of each namespace of an app (by its root): its TeamNamespace (path and team), or
 * `ClusterResources.addNamespace` (the path of the ClusterResources chart). Both write the Namespace, so one
 * namespace takes one of them.
 */
interface NamespaceDeclarations {
  readonly teams: Map<string, { readonly path: string; readonly team: string }>;
  readonly added: Map<string, string>;
}
const DECLARED = new WeakMap<IConstruct, NamespaceDeclarations>();

/**
 * The cluster-level objects an app's workloads rely on, created from the cluster's profile: its StorageClasses
 * (the default one marked, so claims that name no class bind — current EKS versions mark none), its
 * IngressClasses, and a Namespace with Pod Security labels for every namespace the app uses, isolated by a
 * default-deny NetworkPolicy and one allowing DNS (see `NamespaceOptions.defaultDeny`).
 *
 * `k8s.App({ cluster })` adds one of these to the app by itself (id `cluster-resources`) and makes every other chart
 * depend on it, so `kubectl apply -f dist/` and Argo CD create namespaces and classes first.
 */
export class ClusterResources extends Chart {
  /** The id `k8s.App` gives the ClusterResources chart it adds. */
  public static readonly ID = 'cluster-resources';

  /** The cluster the resources are for. */
  public readonly cluster: ClusterProfile;
  /** The StorageClass objects, by name. */
  public readonly storageClasses: { [name: string]: ApiObject } = {};
  /** The IngressClass objects, by name. */
  public readonly ingressClasses: { [name: string]: ApiObject } = {};
  /** The NetworkPolicies that isolate each namespace added with `defaultDeny` (`default-deny`, `allow-dns`), by namespace. */
  public readonly namespacePolicies: { [namespace: string]: ApiObject[] } = {};
  private readonly namespaces = new Map<string, ApiObject>();
  /** The namespaces enforcing less than restricted, and why (the SS-K8S-073 suppression's reason). */
  private readonly relaxed = new Map<string, string>();
  private readonly levelSuppressed = new Set<string>();

  constructor(scope: Construct, id: string, props: ClusterResourcesProps) {
    super(scope, id);
    this.cluster = props.cluster;
    // EKS names may be longer than a label value (100 characters) or end in '-' (an imported cluster's, a profile by hand)
    const labels = { [RecommendedLabels.PART_OF]: Names._fitLabelValue(props.cluster.clusterName), [RecommendedLabels.MANAGED_BY]: RecommendedLabels.MANAGER };
    for (const sc of props.cluster.storageClasses ?? []) {
      Names.dnsSubdomain(this, 'cluster.storageClasses.name', sc.name);
      checkStorageClass(this, sc);
      this.storageClasses[sc.name] = new ApiObject(this, `storage-class-${sc.name}`, {
        apiVersion: 'storage.k8s.io/v1',
        kind: 'StorageClass',
        metadata: {
          name: sc.name,
          labels: { ...labels },
          ...(sc.isDefault ? { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } satisfies metav1.ObjectMeta : {}),
        },
        provisioner: sc.provisioner,
        parameters: { ...sc.parameters },
        reclaimPolicy: sc.reclaimPolicy,
        volumeBindingMode: sc.volumeBindingMode,
        allowVolumeExpansion: sc.allowVolumeExpansion,
      } satisfies storagev1.StorageClass);
    }
    for (const ic of props.cluster.ingressClasses ?? []) {
      Names.dnsSubdomain(this, 'cluster.ingressClasses.name', ic.name);
      if (ic.controllerNamespace !== undefined) Names.dnsLabel(this, `cluster.ingressClasses[${ic.name}].controllerNamespace`, ic.controllerNamespace);
      if (ic.controllerPodLabels !== undefined) {
        Validators.labels(this, `cluster.ingressClasses[${ic.name}].controllerPodLabels`, ic.controllerPodLabels);
        if (Object.keys(ic.controllerPodLabels).length === 0) {
          fail(this, `cluster.ingressClasses[${ic.name}].controllerPodLabels`, ic.controllerPodLabels,
            'is empty: the NetworkPolicy of every Ingress of this class would admit every pod of the controller\'s namespace',
            'name the labels of the controller\'s pods, or leave controllerPodLabels unset for { "app.kubernetes.io/name": <class name> }');
        }
      }
      this.ingressClasses[ic.name] = new ApiObject(this, `ingress-class-${ic.name}`, {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'IngressClass',
        metadata: {
          name: ic.name,
          labels: { ...labels },
          ...(ic.isDefault ? { annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } } satisfies metav1.ObjectMeta : {}),
        },
        spec: { controller: ic.controller },
      } satisfies networkingv1.IngressClass);
    }
  }

  /**
   * The AWS Load Balancer Controller's pod readiness gate label of a namespace (see `_injectReadinessGates`).
   * @internal
   */
  public static readonly _READINESS_GATE_LABEL = READINESS_GATE_LABEL;

  /**
   * Who declares the Namespace of each namespace of the app `scope` is in (see NamespaceDeclarations): TeamNamespace
   * records its namespace there, and a namespace is declared once.
   * @internal
   */
  public static _namespaceDeclarations(scope: IConstruct): {
    readonly teams: Map<string, { readonly path: string; readonly team: string }>;
    readonly added: Map<string, string>;
  } {
    const root = scope.node.root;
    let d = DECLARED.get(root);
    if (d === undefined) {
      d = { teams: new Map(), added: new Map() };
      DECLARED.set(root, d);
    }
    return d;
  }

  /**
   * Marks namespace `name` (when this chart writes its Namespace) for the AWS Load Balancer Controller's pod readiness
   * gate: with ALB `ip` targets, a rollout then waits until each new pod is a healthy target of the load balancer
   * before it stops an old one. Without it the old pods go as soon as the new ones pass their Kubernetes readiness
   * probe, before the ALB has registered them, and requests fail for a while.
   * @internal
   */
  public _injectReadinessGates(name: string): void {
    this.namespaces.get(name)?.metadata.addLabel(READINESS_GATE_LABEL, 'enabled');
  }

  /**
   * Adds a Namespace with Pod Security labels (enforce at `options.enforce`, warn and audit at `restricted`,
   * each pinned to the cluster's Kubernetes version). Adding a namespace twice returns the first object, unless
   * the second asks for a less strict level, which then wins.
   */
  public addNamespace(name: string, options: NamespaceOptions = {}): ApiObject {
    Names.dnsLabel(this, 'namespace', name);
    const enforce = options.enforce ?? PodSecurityLevel.RESTRICTED;
    if (enforce !== PodSecurityLevel.RESTRICTED && (!options.reason || options.reason.trim().length < 10)) {
      fail(this, `namespaces.${name}.reason`, options.reason, `is required (at least 10 characters) when the namespace enforces ${enforce} instead of restricted`,
        'say which workload needs host access and why');
    }
    const team = ClusterResources._namespaceDeclarations(this).teams.get(name);
    if (team !== undefined) {
      // both would write Namespace <name>: said here, not as two objects of one name at synth
      fail(this, 'namespace', name, `is declared twice: by TeamNamespace ${team.path} (team ${team.team}) and by ClusterResources.addNamespace(${JSON.stringify(name)}) of ${this.node.path}, `
        + `and both would write Namespace ${name}`, `declare it once: a TeamNamespace writes its Namespace, with its Pod Security level (restricted), itself, so drop this addNamespace(${JSON.stringify(name)}) call`);
    }
    const existing = this.namespaces.get(name);
    if (existing) {
      const rank = (l: string) => [PodSecurityLevel.RESTRICTED, PodSecurityLevel.BASELINE, PodSecurityLevel.PRIVILEGED].indexOf(l as PodSecurityLevel);
      if (rank(enforce) > rank(existing.metadata.getLabel(`${PSA}/enforce`) ?? PodSecurityLevel.RESTRICTED)) {
        existing.metadata.addLabel(`${PSA}/enforce`, enforce);
        existing.metadata.addAnnotation('shipshape.io/pod-security-reason', options.reason!.trim());
        this.relaxed.set(name, `the namespace enforces ${enforce} for ${options.reason!.trim()}`);
      }
      return existing;
    }
    // Pod Security reads "v1.N" only: written from the parsed version, whichever form the profile gives (v1.30, 1.30.2)
    const version = `v${KubernetesVersion.of(this.cluster.kubernetesVersion)}`;
    const ns = new ApiObject(this, `namespace-${name}`, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name,
        labels: {
          [RecommendedLabels.MANAGED_BY]: RecommendedLabels.MANAGER,
          [`${PSA}/enforce`]: enforce,
          [`${PSA}/enforce-version`]: version,
          [`${PSA}/warn`]: PodSecurityLevel.RESTRICTED,
          [`${PSA}/warn-version`]: version,
          [`${PSA}/audit`]: PodSecurityLevel.RESTRICTED,
          [`${PSA}/audit-version`]: version,
        },
        ...(enforce !== PodSecurityLevel.RESTRICTED ? { annotations: { 'shipshape.io/pod-security-reason': options.reason!.trim() } } satisfies metav1.ObjectMeta : {}),
      },
    } satisfies corev1.Namespace);
    this.namespaces.set(name, ns);
    const added = ClusterResources._namespaceDeclarations(this).added;
    if (!added.has(name)) added.set(name, this.node.path);
    if (enforce !== PodSecurityLevel.RESTRICTED) this.relaxed.set(name, `the namespace enforces ${enforce} for ${options.reason!.trim()}`);
    if (options.defaultDeny ?? true) {
      const policy = (id: string, policyName: string, spec: networkingv1.NetworkPolicySpec) => new ApiObject(this, `namespace-${name}-${id}`, {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: policyName, namespace: name, labels: { [RecommendedLabels.MANAGED_BY]: RecommendedLabels.MANAGER } },
        spec,
      } satisfies networkingv1.NetworkPolicy);
      this.namespacePolicies[name] = [policy('default-deny', 'default-deny', defaultDenySpec()), policy('allow-dns', 'allow-dns', allowDnsSpec())];
    }
    return ns;
  }

  /**
   * Puts each namespace's Namespace and isolating NetworkPolicies in the Argo CD sync wave given for it (by name), at
   * the latest: a job of an early wave runs there before the default wave is applied. The StorageClasses go in the
   * lowest of those waves: a workload the job connects to, applied in that wave, may claim a volume of one.
   * @internal
   */
  public _applyByWaves(waves: ReadonlyMap<string, number>): void {
    for (const [name, wave] of waves) {
      const ns = this.namespaces.get(name);
      if (ns === undefined) continue;
      for (const o of [ns, ...(this.namespacePolicies[name] ?? [])]) o.metadata.addAnnotation('argocd.argoproj.io/sync-wave', String(wave));
    }
    if (waves.size === 0) return;
    const lowest = Math.min(...waves.values());
    for (const sc of Object.values(this.storageClasses)) sc.metadata.addAnnotation('argocd.argoproj.io/sync-wave', String(lowest));
  }

  /**
   * Suppresses SS-K8S-073 on each namespace that enforces less than restricted, with the reason it was given (once per
   * namespace). `k8s.App` calls it at synth when that rule runs: the level follows from host access a workload
   * declared with its reason (whose pod-level findings the user suppressed), so the choice shows in the YAML and in
   * every report instead of as a warning nobody can act on.
   * @internal
   */
  public _suppressRelaxedLevels(): void {
    for (const [name, reason] of this.relaxed) {
      if (this.levelSuppressed.has(name)) continue;
      this.levelSuppressed.add(name);
      Policy.suppress(this.namespaces.get(name)!, 'SS-K8S-073', reason);
    }
  }

  /** The namespaces added so far. */
  public get namespaceNames(): string[] {
    return [...this.namespaces.keys()];
  }
}
