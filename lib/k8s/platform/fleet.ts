import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, Chart, YamlOutputType } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import * as jsyaml from 'js-yaml';
import type * as metav1 from 'kubernetes-types/meta/v1';
import { AddOnPack, AddOnTarget } from './add-on-pack';
import { SYNC_WAVE, TEAM_LABEL } from './constants';
import { TeamNamespace, TeamNamespaceOptions, TeamQuota } from './team-namespace';
import { TopologyDiagram } from './topology-diagram';
import { ClusterProfile, WorkloadIdentityProfile } from '../../core/cluster-profile';
import { Errors, ValidationErrorDetails } from '../../core/error-guards';
import { at, fail, ShipshapeValidationError } from '../../core/errors';
import { FleetCluster, FleetDescription, FleetEnvironment, Fleets, TeamAccessProfile } from '../../core/fleet';
import { HelmReleaseProfile } from '../../core/karpenter-profile';
import { RecommendedLabels } from '../../core/labels';
import { Names } from '../../core/names';
import { EnvironmentProfile } from '../../core/profile';
import { Validators } from '../../core/validators';
import { NAMESPACED_WELL_KNOWN_KINDS } from '../../policy/cluster-scoped';
import { CLUSTER_SCOPED } from '../../policy/k8s/rules/explicit-namespace';
import { groupOf } from '../../policy/output-check';
import { sourceRoot } from '../../policy/report-writer';
import { _StagedOutput, App } from '../app';
import { inOperatorNamespace } from '../cluster-check';
import { ClusterResources } from '../cluster-resources';
import { KarpenterResources } from '../karpenter/karpenter-resources';
import { readRecord, recoverOutputFolder, STATE_DIR, withSignalsDeferred, writeOwnedOutput } from '../output-folder';
import { likelyNamespaceTypo, peerNamespacesOf } from '../output-notes';
import { validationLine, withValidationPass } from '../synth-steps';
import { KubernetesVersion } from '../target';

/**
 * Where and what one team's workloads are defined for: a cluster of the fleet, its environment and the team's
 * namespace. What should differ between clusters (replicas, autoscaling bounds, resources, hostnames) is read from
 * here; everything else stays the same on every cluster.
 */
export class FleetTarget {
  /** @internal */
  public static _of(props: { clusterName: string; cluster: ClusterProfile; environment: FleetEnvironment; team: string; namespace: string; domain?: string }): FleetTarget {
    return new FleetTarget(props.clusterName, props.cluster, props.environment, props.team, props.namespace, props.domain);
  }

  /** The cluster's name in the fleet (its folder). */
  public readonly clusterName: string;
  /** What the cluster offers (version, zones, pools, classes, identities). */
  public readonly cluster: ClusterProfile;
  /** The environment's name. */
  public readonly environment: string;
  /** The environment's availability profile: pass it to every workload (`profile: target.profile`). */
  public readonly profile: EnvironmentProfile;
  /** The cluster's AWS region. */
  public readonly region: string;
  /** The team's name. */
  public readonly team: string;
  /** The team's namespace (the namespace of the chart `define` receives). */
  public readonly namespace: string;
  /**
   * The DNS domain of the cluster's hostnames.
   * @default - none
   */
  public readonly domain?: string;

  private constructor(clusterName: string, cluster: ClusterProfile, environment: FleetEnvironment, team: string, namespace: string, domain: string | undefined) {
    this.clusterName = clusterName;
    this.cluster = cluster;
    this.environment = environment.name;
    this.profile = environment.profile;
    this.region = cluster.region;
    this.team = team;
    this.namespace = namespace;
    this.domain = domain;
  }

  /** True when the cluster serves production. */
  public get isProduction(): boolean {
    return this.profile === EnvironmentProfile.PRODUCTION;
  }

  /**
   * A hostname on the cluster's domain: `hostname('shop')` is `shop.staging.example.com` in an environment whose
   * domain is `staging.example.com`.
   */
  public hostname(label: string): string {
    const where = `fleet target ${this.clusterName}/${this.team}`;
    Names.dnsLabel(at(where), 'hostname.label', label);
    if (!this.domain) {
      fail(where, 'domain', this.domain, `is not set for cluster ${this.clusterName} nor for environment ${this.environment}, so hostname(${JSON.stringify(label)}) has no domain`,
        'give the environment (or the cluster) a domain in the FleetDescription');
    }
    return `${label}.${this.domain}`;
  }

  /**
   * The workload identity this cluster's profile has for a ServiceAccount of the team's namespace: what a workload
   * takes as `identity` on this cluster (each cluster's identity is its own role, trusted by that cluster only). On the
   * AWS side, each cluster of the team's environments needs `cluster.addWorkloadIdentity(name, { namespace, serviceAccount })`.
   * @param serviceAccount the ServiceAccount's name (the workload's name, unless it sets `serviceAccountName`)
   */
  public identity(serviceAccount: string): WorkloadIdentityProfile {
    const found = this.tryIdentity(serviceAccount);
    if (found !== undefined) return found;
    const where = `fleet target ${this.clusterName}/${this.team}`;
    const here = (this.cluster.workloadIdentities ?? []).filter(w => w.namespace === this.namespace).map(w => w.serviceAccount);
    fail(where, 'identity.serviceAccount', serviceAccount, `has no workload identity in the profile of cluster ${this.clusterName} for namespace ${this.namespace} `
      + `(${here.length > 0 ? `it has identities for ${here.join(', ')}` : 'it has none for this namespace'})`,
    `create it on the AWS side for this cluster: cluster.addWorkloadIdentity('<role>', { namespace: '${this.namespace}', serviceAccount: '${serviceAccount}' }), `
      + 'and give the fleet that cluster\'s profile; or use tryIdentity() where only some clusters have it');
  }

  /**
   * The workload identity this cluster's profile has for a ServiceAccount of the team's namespace, or undefined
   * where it has none (see `identity`).
   * @param serviceAccount the ServiceAccount's name
   */
  public tryIdentity(serviceAccount: string): WorkloadIdentityProfile | undefined {
    return (this.cluster.workloadIdentities ?? []).find(w => w.namespace === this.namespace && w.serviceAccount === serviceAccount);
  }
}

/**
 * One definition of a team's workloads, applied to every cluster of the fleet the team runs on (jsii has no function
 * props: implement this interface).
 */
export interface IFleetWorkloads {
  /**
   * Defines the team's workloads for one cluster, in `scope`: a chart whose namespace is the team's namespace.
   */
  define(scope: Construct, target: FleetTarget): void;
}

/**
 * A cluster-scoped kind a team may deploy (the AppProject's cluster resource allow-list).
 */
export interface ResourceKind {
  /** The API group (`""` for the core group). */
  readonly group: string;
  /** The kind. */
  readonly kind: string;
}

/**
 * One team of a fleet: its namespace and guard rails (on every cluster it runs on), its workloads, and what its
 * Argo CD project lets it deploy.
 */
export interface FleetTeam extends TeamNamespaceOptions {
  /** The team's name, a DNS label (its folder in every cluster's folder, and its AppProject). */
  readonly name: string;
  /** The team's workloads, defined once for every cluster. */
  readonly workloads: IFleetWorkloads;
  /**
   * The environments whose clusters run the team.
   * @default - every environment
   */
  readonly environments?: string[];
  /**
   * The namespace's ResourceQuota in some environments, by environment name (a development cluster smaller than
   * production): these environments' clusters take it instead of `quota`, and what the team's workloads need there
   * is checked against it.
   * @default - `quota` in every environment
   */
  readonly quotaPerEnvironment?: { [environment: string]: TeamQuota };
  /**
   * Cluster-scoped kinds the platform team allows the team to deploy.
   * @default - none: the team deploys only into its namespace
   */
  readonly clusterResources?: ResourceKind[];
}

/**
 * Where the fleet's output lives in Git, for Argo CD.
 */
export interface GitOpsOptions {
  /**
   * The Git repository the output is committed to (an Application's `source.repoURL`), as Argo CD clones it:
   * `https://<host>/<path>`, `ssh://<user>@<host>/<path>` or scp-style `<user>@<host>:<path>`.
   */
  readonly repoUrl: string;
  /** The fleet's output folder, relative to the repository root (`dist/fleet`). */
  readonly path: string;
  /**
   * The branch, tag or commit Argo CD deploys (a name Git accepts: no spaces, none of ~ ^ : ? * [ and no backslash).
   * @default "HEAD"
   */
  readonly targetRevision?: string;
  /**
   * The namespace Argo CD runs in (where the AppProjects and Applications go).
   * @default "argocd"
   */
  readonly namespace?: string;
  /**
   * The folder (inside the fleet's output folder) that holds the Argo CD objects.
   * @default "argocd"
   */
  readonly folder?: string;
}

/**
 * Properties of a `Fleet`.
 */
export interface FleetProps {
  /** The environments and clusters. */
  readonly description: FleetDescription;
  /** The teams. */
  readonly teams: FleetTeam[];
  /** Where the output lives in Git. */
  readonly gitOps: GitOpsOptions;
  /**
   * Cluster add-ons, rolled out to every cluster (of their environments).
   * @default - none
   */
  readonly addOns?: AddOnPack[];
  /**
   * The fleet's output folder; each cluster gets `<outdir>/<cluster>/`, the Argo CD objects `<outdir>/argocd/`.
   * When it lies in a Git working tree whose remote is `gitOps.repoUrl`, its path there must be `gitOps.path`
   * (where the Applications point), or the fleet is refused.
   * @default - $CDK8S_OUTDIR, else `gitOps.path` (relative to the working directory: run the program from the repository root)
   */
  readonly outdir?: string;
  /**
   * Run the policy packs on every cluster's output.
   * @default true
   */
  readonly policy?: boolean;
  /**
   * Write a topology diagram (`topology.md`) into every cluster's folder.
   * @default true
   */
  readonly diagrams?: boolean;
  /**
   * Namespaces that exist on the clusters without the fleet (made by hand or by another tool), which workloads may
   * name as network peers (`NetworkPeer.pods`, `NetworkPeer.namespace`, ...). A team's namespace may not be one of
   * them (the fleet would take it over: its Namespace, quota and default deny).
   * @default - none: a NetworkPolicy peer in a namespace the fleet neither creates nor installs an add-on into on a
   * cluster (nor one every cluster has) is noted on stderr at synth, as a likely typo or a team that does not run there
   */
  readonly externalNamespaces?: string[];
}

// Argo CD's custom resources (argoproj.io/v1alpha1): not among the built-in Kubernetes types, so the fields shipshape
// writes are declared here, after the CRD schemas.

/** Where an Application's manifests come from: a folder of the Git repository, or a Helm chart. */
interface ArgoSource {
  repoURL: string;
  targetRevision?: string;
  path?: string;
  directory?: { recurse?: boolean };
  chart?: string;
  helm?: { releaseName?: string; parameters?: Array<{ name?: string; value?: string }> };
}

/** A cluster (by server URL or Argo CD name) and namespace. */
interface ArgoDestination {
  server?: string;
  name?: string;
  namespace?: string;
}

/** An Application `spec.ignoreDifferences` entry. */
interface ArgoIgnoreDifference {
  group?: string;
  kind: string;
  name?: string;
  namespace?: string;
  jsonPointers?: string[];
  jqPathExpressions?: string[];
}

/** Application `spec`. */
interface ArgoApplicationSpec {
  project: string;
  source?: ArgoSource;
  destination: ArgoDestination;
  ignoreDifferences?: ArgoIgnoreDifference[];
  syncPolicy?: {
    automated?: { prune?: boolean; selfHeal?: boolean };
    syncOptions?: string[];
    retry?: { limit: number; backoff: { duration: string; factor: number; maxDuration: string } };
  };
}

/**
 * How a failed sync is retried: Applications applied together sync independently (sync waves order the
 * resources of one sync, not separate Applications), so a team's may run before the platform's has created its
 * namespace, or an add-on's before its CRDs exist; retrying for about half an hour lets the order settle.
 */
const SYNC_RETRY = { limit: 10, backoff: { duration: '10s', factor: 2, maxDuration: '5m' } };

/** AppProject `spec`. */
interface ArgoAppProjectSpec {
  description?: string;
  sourceRepos?: string[];
  destinations?: ArgoDestination[];
  clusterResourceWhitelist?: Array<{ group: string; kind: string }>;
  namespaceResourceBlacklist?: Array<{ group: string; kind: string }>;
  orphanedResources?: { warn?: boolean };
}

/** An Argo CD object. */
interface ArgoObject<K extends string, S> {
  apiVersion: 'argoproj.io/v1alpha1';
  kind: K;
  metadata?: metav1.ObjectMeta;
  spec: S;
}

const FLEET = Symbol.for('shipshape.Fleet');
const ARGO = 'argoproj.io/v1alpha1';
const PLATFORM = 'platform';
/** The last part of the add-on AppProject's name (`<fleet>-add-ons`), which a team's project name must not repeat. */
const ADD_ONS = 'add-ons';
/** The label that makes a Secret of Argo CD's namespace a repository (or credential template) Argo CD reads. */
const ARGO_SECRET_TYPE = 'argocd.argoproj.io/secret-type';
/** Why a fleet's synth removes files from a cluster folder, most likely (see `App._removalCause`). */
const FLEET_REMOVAL_CAUSE = 'a team, workload or add-on renamed or removed; or another App writes into this folder, which the fleet owns: give that App an outdir of its own';
const FLEET_RECORD = 'fleet.json';
/**
 * The longest Application name: Argo CD's label tracking writes it into the `app.kubernetes.io/instance` label of
 * every object the Application deploys, and a label value holds at most 63 characters.
 */
const MAX_APPLICATION_NAME = 63;
const FLEET_RECORD_FORMAT = 'shipshape-fleet/v1';
/** Argo CD's hook annotations. */
const ARGO_HOOK = 'argocd.argoproj.io/hook';
const ARGO_HOOK_DELETE_POLICY = 'argocd.argoproj.io/hook-delete-policy';

/**
 * Makes a team's Job an Argo CD Sync hook that replaces its previous run (`BeforeHookCreation`): as a plain resource
 * of an Application with self-heal, the Job would be created again each time its `ttlSecondsAfterFinished` removes
 * it, running again every day; as a hook it runs once per sync (a change of the team's folder, or a manual sync) and
 * is not compared with the cluster between syncs. A Job that already names a hook is left as it is.
 */
function runJobOncePerSync(obj: ApiObject): void {
  if (obj.kind !== 'Job' || obj.apiVersion !== 'batch/v1' || obj.metadata.toJson().annotations?.[ARGO_HOOK] !== undefined) return;
  obj.metadata.addAnnotation(ARGO_HOOK, 'Sync');
  obj.metadata.addAnnotation(ARGO_HOOK_DELETE_POLICY, 'BeforeHookCreation');
}

/** Kinds the platform folders hold at cluster scope. */
const PLATFORM_CLUSTER_KINDS: ResourceKind[] = [
  { group: '', kind: 'Namespace' },
  { group: 'storage.k8s.io', kind: 'StorageClass' },
  { group: 'networking.k8s.io', kind: 'IngressClass' },
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
];
/** Karpenter's cluster-scoped kinds, in the platform folders of clusters that run it. */
const KARPENTER_KINDS: ResourceKind[] = [
  { group: 'karpenter.sh', kind: 'NodePool' },
  { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass' },
];
/** Namespaced kinds a team's project may not deploy: the guard rails the platform folder owns. */
const GUARD_RAIL_KINDS: ResourceKind[] = [
  { group: '', kind: 'ResourceQuota' },
  { group: '', kind: 'LimitRange' },
  { group: 'rbac.authorization.k8s.io', kind: 'Role' },
  { group: 'rbac.authorization.k8s.io', kind: 'RoleBinding' },
];

/**
 * API groups every cluster serves without a CRD: Kubernetes' own, and those EKS installs on every cluster (the VPC
 * CNI's ENIConfig and PolicyEndpoint, the VPC resource controller's SecurityGroupPolicy).
 */
const BUILT_IN_GROUPS = new Set([
  '', 'apps', 'batch', 'autoscaling', 'policy', 'extensions', 'networking.k8s.io', 'rbac.authorization.k8s.io', 'storage.k8s.io', 'scheduling.k8s.io',
  'coordination.k8s.io', 'discovery.k8s.io', 'node.k8s.io', 'admissionregistration.k8s.io', 'apiextensions.k8s.io', 'apiregistration.k8s.io',
  'certificates.k8s.io', 'events.k8s.io', 'flowcontrol.apiserver.k8s.io', 'authentication.k8s.io', 'authorization.k8s.io', 'resource.k8s.io',
  'internal.apiserver.k8s.io', 'storagemigration.k8s.io', 'metrics.k8s.io',
  'crd.k8s.amazonaws.com', 'networking.k8s.aws', 'vpcresources.k8s.aws',
]);
/** EKS Auto Mode's own group (its NodeClass), served on Auto Mode clusters only. */
const AUTO_MODE_GROUP = 'eks.amazonaws.com';

/**
 * The custom resource groups whose CRDs shipshape knows where to get: which add-on releases bring them (by chart),
 * and what to add when none does. The note of a team writing such a resource on a cluster none of whose add-on
 * releases brings its CRDs says `fix`.
 */
interface CrdSource {
  readonly groups: string[];
  /** True for a release that installs the CRDs. */
  readonly brings: (r: HelmReleaseProfile) => boolean;
  /** For a release of the right chart that leaves the CRDs out: why, and how to turn them on. */
  readonly without?: (r: HelmReleaseProfile) => string | undefined;
  readonly fix: string;
}
/** cert-manager's chart installs its CRDs only when told to (`crds.enabled`, before v1.15 `installCRDs`). */
const certManagerCrds = (r: HelmReleaseProfile) => r.values['crds.enabled'] === 'true' || r.values.installCRDs === 'true';
const helmPack = (name: string, repository: string, chart: string, namespace: string) =>
  `AddOnPack.helm({ name: '${name}', repository: '${repository}', chart: '${chart}', version: '<exact version>', namespace: '${namespace}' })`;
const CRD_SOURCES: CrdSource[] = [
  {
    groups: ['keda.sh'],
    brings: r => r.chart === 'keda',
    fix: `add KEDA to addOns: ${helmPack('keda', 'https://kedacore.github.io/charts', 'keda', 'keda')}`,
  },
  {
    groups: ['cert-manager.io', 'acme.cert-manager.io'],
    brings: r => r.chart === 'cert-manager' && certManagerCrds(r),
    without: r => (r.chart === 'cert-manager' && !certManagerCrds(r)
      ? `the fleet's release ${r.namespace}/${r.releaseName} (chart cert-manager) installs none: the chart leaves them out unless crds.enabled is 'true'; `
        + 'set values: { \'crds.enabled\': \'true\' } on its add-on pack, as AddOnPack.certManager() does' : undefined),
    fix: 'add AddOnPack.certManager() to addOns',
  },
  {
    groups: ['karpenter.sh', 'karpenter.k8s.aws'],
    brings: r => r.chart === 'karpenter' || r.chart === 'karpenter-crd',
    fix: 'add AddOnPack.karpenter() to addOns (it installs the Karpenter of each cluster whose profile has one, CRDs included: give the cluster aws.Karpenter if it has none)',
  },
  {
    groups: ['monitoring.coreos.com'],
    brings: r => ['kube-prometheus-stack', 'prometheus-operator', 'prometheus-operator-crds'].includes(r.chart),
    fix: `add the Prometheus Operator to addOns: ${helmPack('kube-prometheus-stack', 'https://prometheus-community.github.io/helm-charts', 'kube-prometheus-stack', 'monitoring')} `
      + '(or the chart prometheus-operator-crds for the CRDs alone)',
  },
  {
    groups: ['velero.io'],
    brings: r => r.chart === 'velero',
    fix: `add Velero to addOns: ${helmPack('velero', 'https://vmware-tanzu.github.io/helm-charts', 'velero', 'velero')}`,
  },
  {
    groups: ['gateway.networking.k8s.io'],
    // Envoy Gateway's chart carries the Gateway API CRDs; most implementations expect them installed beforehand
    brings: r => r.chart === 'gateway-helm',
    fix: 'add a chart of the platform\'s holding the Gateway API CRDs (the standard channel of kubernetes-sigs/gateway-api, at the version your Gateway implementation supports) '
      + 'to addOns with AddOnPack.helm',
  },
  {
    groups: ['elbv2.k8s.aws'],
    brings: r => r.chart === 'aws-load-balancer-controller',
    fix: 'add AddOnPack.clusterReleases() to addOns for a cluster made with aws.EksCluster.addLoadBalancerController(), else AddOnPack.awsLoadBalancerController()',
  },
  {
    groups: ['external-secrets.io', 'generators.external-secrets.io'],
    brings: r => r.chart === 'external-secrets',
    fix: `add External Secrets to addOns: ${helmPack('external-secrets', 'https://charts.external-secrets.io', 'external-secrets', 'external-secrets')}`,
  },
  {
    groups: ['networking.istio.io', 'security.istio.io', 'telemetry.istio.io', 'extensions.istio.io'],
    brings: r => r.chart === 'base' && r.repository.includes('istio'),
    fix: `add Istio's CRDs to addOns: ${helmPack('istio-base', 'https://istio-release.storage.googleapis.com/charts', 'base', 'istio-system')} (and istiod)`,
  },
  {
    groups: ['policy.linkerd.io', 'linkerd.io', 'workload.linkerd.io'],
    brings: r => r.chart === 'linkerd-crds' || r.chart === 'linkerd2',
    fix: 'add Linkerd\'s CRDs (its chart linkerd-crds) to addOns with AddOnPack.helm',
  },
];
/** Labels of a group name that say nothing of its operator (`policy.linkerd.io`: only `linkerd` does). */
const GENERIC_GROUP_LABELS = new Set(['k8s', 'x-k8s', 'io', 'com', 'org', 'dev', 'net', 'sh', 'aws', 'cloud', 'api', 'apis', 'policy', 'policies',
  'networking', 'security', 'monitoring', 'config', 'core', 'operator', 'operators', 'crd', 'crds', 'github', 'www']);

interface ClusterOutput {
  readonly cluster: FleetCluster;
  readonly environment: FleetEnvironment;
  readonly app: App;
  /** The add-on releases the fleet installs on the cluster. */
  readonly releases: HelmReleaseProfile[];
  /** The platform folder's chart and the Application that deploys it. */
  readonly platform: { chart: Chart; application: ApiObject };
  readonly teams: Array<{ team: FleetTeam; namespace: TeamNamespace; chart: Chart; application: ApiObject }>;
}

/** Who an Argo CD Application of the fleet is for (to name both parties when two get one name). */
interface ApplicationOwner {
  /** The prop that chose the name, and its value. */
  readonly prop: string;
  readonly value: string;
  /** `team shop on cluster prod-us` */
  readonly what: string;
  /** What to rename: `team shop` */
  readonly rename: string;
  /** True for a team's Application. */
  readonly team?: boolean;
  /** What to shorten when the name is too long: `team shop (teams[0].name) or cluster prod-us (clusters[1].name)` */
  readonly shorten: string;
}

/**
 * A fleet: every cluster of a `FleetDescription` gets a folder (`<outdir>/<cluster>/`) written by its own `k8s.App`
 * that knows the cluster (so pods are checked against its pools and classes), holding
 *
 * - `platform/`: the cluster's StorageClasses and IngressClasses and every team's namespace with its guard rails
 *   (`TeamNamespace`);
 * - `<team>/`: the team's workloads, defined once (`IFleetWorkloads`) and applied with the cluster's environment, so
 *   clusters differ where the environment says (replicas, autoscaling, resources, hostnames) and nowhere else;
 * - `topology.md`: who talks to whom, drawn from the NetworkPolicies;
 *
 * and `<outdir>/argocd/` holds the Argo CD objects: an AppProject per team (its repository, its namespace on its
 * clusters, no cluster-scoped kind unless allowed, no guard-rail kind), one for the platform folders and one for the
 * add-ons, and per cluster an Application for the platform folder, one per team folder and one per add-on (a Helm
 * source with the pinned version). Sync is manual unless the environment turns on automated sync, prune and
 * self-heal, and every Application retries a failed sync; add-ons (which bring CRDs) carry sync wave -2, namespaces and
 * the platform folder -1 (waves order Applications only under a parent Application).
 *
 * A team's objects are refused at synth when its AppProject would refuse them, so its Application could never sync:
 * objects outside its namespace, cluster-scoped kinds it is not allowed (`clusterResources`; shipshape knows the
 * built-in ones and those of the add-ons it meets often — Karpenter, cert-manager, Gateway API, External Secrets,
 * KEDA, Kyverno, EKS —, and takes any other kind as namespaced), and the guard-rail kinds
 * of the platform folder (ResourceQuota, LimitRange, Role, RoleBinding: the project's namespaceResourceBlacklist). So
 * is a NetworkPolicy that selects every pod of the team's namespace and allows everything in a direction, which would
 * undo the namespace's default deny (select the pods such a policy opens instead).
 *
 * Adding a cluster is adding one `FleetCluster` to the description. `synth()` writes every folder or none. Apply
 * `<outdir>/argocd/` again whenever it changes (a cluster, team or add-on added or removed, a version or sync policy
 * changed); `kubectl apply` does not delete the Applications of a dropped cluster or team, nor a dropped team's
 * AppProject: synth names each that left the folder on stderr, with the command that deletes it (the Applications
 * first: Argo CD can neither sync nor cleanly delete an Application whose project is gone). A custom resource a team
 * writes on a cluster where no CRD of the output and no add-on release known to bring it defines its kind (KEDA,
 * cert-manager, Karpenter, Prometheus Operator, Velero, Gateway API, ...) is noted there too: its Application could
 * not sync unless the CRD is installed outside the fleet.
 */
export class Fleet {
  /** True when `x` is a Fleet, also one made by another copy of the shipshape library. */
  public static isFleet(x: any): boolean {
    return x !== null && typeof x === 'object' && x[FLEET] === true;
  }

  /** The fleet's description. */
  public readonly description: FleetDescription;
  /** The fleet's output folder. */
  public readonly outdir: string;
  /** The app that writes the Argo CD objects (`<outdir>/argocd/`). */
  public readonly gitOpsApp: App;
  /** The AppProjects, by name. */
  public readonly projects: { [name: string]: ApiObject } = {};
  /** The Argo CD Applications, by name. */
  public readonly applications: { [name: string]: ApiObject } = {};
  /** What the Argo CD folder held before this synth (see `recordedArgoObjects`), read once before the commit. */
  private argoBefore?: Array<{ kind: string; name: string; namespace: string; team?: string; addOn?: string; cluster?: string }>;

  private readonly outputs: ClusterOutput[] = [];
  private readonly gitOpsFolder: string;
  /** Namespaces no team may write a Namespace object for, with why (shared by every cluster, or Argo CD's). */
  private readonly reservedNamespaces: Map<string, string>;
  /** The namespace of the fleet's Applications (gitOps.namespace), for the commands the removal notes give. */
  private readonly argoNamespace: string;
  /** Printed at synth: what the fleet leaves undeployed (an environment without a cluster, releases no pack installs). */
  private readonly notes: string[] = [];
  private readonly where: string;
  /** FleetProps.externalNamespaces, checked. */
  private readonly externalNamespaces: string[];
  /** Each team's namespace, with the team. */
  private readonly teamOfNamespace = new Map<string, string>();

  constructor(props: FleetProps) {
    Object.defineProperty(this, FLEET, { value: true });
    const fleet = props.description;
    Fleets.validate(fleet);
    this.description = fleet;
    this.where = `fleet/${fleet.name}`;
    const git = props.gitOps;
    if (typeof git?.repoUrl !== 'string' || git.repoUrl.trim() === '') {
      fail(this.where, 'gitOps.repoUrl', git?.repoUrl, 'must be the Git repository the output is committed to', "use for example 'https://github.com/acme/platform.git'");
    }
    const secret = credentialsIn(git.repoUrl);
    if (secret !== undefined) {
      // the URL is written into every Application and AppProject, which are committed to Git and readable in the cluster
      fail(this.where, 'gitOps.repoUrl', git.repoUrl.replace(secret, '***'), `holds ${/^[^:]*:/.test(secret) ? 'a password' : 'an access token'} before the host: `
        + 'the URL is written into every Application\'s source.repoURL and the AppProjects\' sourceRepos, which are committed to Git and readable in the cluster',
      `use the URL without credentials (${git.repoUrl.replace(`${secret}@`, '')}) and give Argo CD the credentials in a repository Secret (label argocd.argoproj.io/secret-type: repository), `
        + 'made outside the fleet\'s output; rotate the credential, which this program holds in its source');
    }
    if (/^https:\/\/[^#?]*[#?]/.test(git.repoUrl)) {
      fail(this.where, 'gitOps.repoUrl', git.repoUrl, 'has a query or fragment (a branch after "#"?), which is no part of a repository\'s clone URL',
        `use the clone URL alone (${git.repoUrl.replace(/[#?].*$/, '')}); the revision Argo CD syncs is gitOps.targetRevision`);
    }
    if (!isGitUrl(git.repoUrl)) {
      fail(this.where, 'gitOps.repoUrl', git.repoUrl, 'must be a Git URL Argo CD can clone: https://<host>/<path>, ssh://<user>@<host>/<path> or scp-style <user>@<host>:<path> '
        + '(it becomes every Application\'s source.repoURL and the AppProjects\' sourceRepos)',
      "use the repository's clone URL, for example 'https://github.com/acme/platform.git' or 'git@github.com:acme/platform.git'");
    }
    if (git.targetRevision !== undefined && !/^[^\s~^:?*[\\]+$/.test(git.targetRevision)) {
      fail(this.where, 'gitOps.targetRevision', git.targetRevision, 'is not a branch, tag or commit Git can name (empty, or with a space or one of ~ ^ : ? * [ \\), '
        + 'so every Application would fail to find its revision', "write the branch, tag or commit, for example 'main', 'v1.4.0' or leave it out for HEAD");
    }
    const gitPath = String(git.path ?? '').replace(/\/+$/, '');
    if (gitPath === '' || gitPath.startsWith('/') || gitPath.split('/').some(p => p === '' || p === '.' || p === '..')) {
      fail(this.where, 'gitOps.path', git.path, 'must be the output folder\'s path relative to the repository root, without "." or ".." parts', "use for example 'dist/fleet'");
    }
    // where Argo CD looks (gitOps.path) is where the fleet writes, unless told otherwise: a program run from the
    // repository root writes the folder the Applications name
    this.outdir = props.outdir ?? process.env.CDK8S_OUTDIR ?? gitPath;
    const inRepo = repositoryPathOf(this.outdir, git.repoUrl);
    if (inRepo !== undefined && inRepo.path !== gitPath) {
      const fromCli = props.outdir === undefined && process.env.CDK8S_OUTDIR !== undefined
        ? ` (from $CDK8S_OUTDIR, which \`cdk8s synth\` sets from the output of cdk8s.yaml, default dist: set output: ${gitPath} there)` : '';
      fail(this.where, 'gitOps.path', git.path, `is not where the fleet writes: its output folder ${this.outdir}${fromCli} is ${inRepo.path ? `the folder ${inRepo.path} of` : 'the root of'} the Git repository at ${inRepo.root} (remote ${inRepo.remote}, the repository of gitOps.repoUrl), so Argo CD would find no manifests at ${gitPath}`,
        inRepo.path
          ? `set gitOps.path to '${inRepo.path}', or the fleet's outdir to the folder gitOps.path names`
          : 'set the fleet\'s outdir to the folder gitOps.path names (a fleet is written into a folder of the repository, not its root)');
    }
    // no checkout of repoUrl to compare with (a new repository, no remote yet, a fork, a CI folder): the folder the
    // fleet writes is at gitOps.path of the Git work tree it lies in; outside any work tree (a source archive) the
    // repository root is not known, and the folder must at least end in gitOps.path (its root then lies above it);
    // anywhere else every Application would point at a folder that does not exist
    const fromEnv = process.env.CDK8S_OUTDIR !== undefined;
    const tree = inRepo === undefined && props.outdir === undefined ? workTreeOf(this.outdir) : undefined;
    const endsInGitPath = `${path.resolve(this.outdir).split(path.sep).join('/')}/`.endsWith(`/${gitPath}/`);
    if (inRepo === undefined && props.outdir === undefined && (tree !== undefined ? tree.path !== gitPath : fromEnv && !endsInGitPath)) {
      const place = tree ? `the folder ${tree.path || '.'} of the Git work tree at ${tree.root}`
        : `${path.relative(process.cwd(), path.resolve(this.outdir)).split(path.sep).join('/') || '.'} from the working directory, a folder whose path does not end in ${gitPath} `
          + '(no Git work tree says where the repository root is)';
      const target = tree ? path.relative(path.resolve(process.cwd()), path.join(tree.root, gitPath)).split(path.sep).join('/') || '.' : gitPath;
      const source = fromEnv ? ' (from $CDK8S_OUTDIR, which `cdk8s synth` sets from the output of cdk8s.yaml, default dist)'
        : ` (gitOps.path, taken from the working directory ${process.cwd()})`;
      fail(this.where, 'gitOps.path', git.path, `is not where the fleet writes: its output folder ${this.outdir}${source} `
        + `is ${place}, so every Application would point at ${gitPath} of ${git.repoUrl}, a folder this synth does not write`,
      `${fromEnv ? `set output: ${target} in cdk8s.yaml (or the fleet's outdir to that folder)` : `run the program from the repository root (${tree!.root}), or set the fleet's outdir to '${target}'`}, `
        + 'or set gitOps.path to the folder\'s path in the repository; a fleet that is copied into another repository after synth says where with an explicit outdir');
    }
    const argoNamespace = Names.dnsLabel(at(this.where), 'gitOps.namespace', git.namespace ?? 'argocd');
    this.argoNamespace = argoNamespace;
    this.reservedNamespaces = new Map([
      ...['default', 'kube-system', 'kube-public', 'kube-node-lease'].map((n): [string, string] => [n, 'a namespace every cluster has and shares']),
      [argoNamespace, 'the namespace Argo CD runs in (gitOps.namespace), which holds the fleet\'s AppProjects and Applications'],
    ]);
    this.gitOpsFolder = Names.dnsLabel(at(this.where), 'gitOps.folder', git.folder ?? 'argocd');
    const clash = fleet.clusters.find(c => c.name === this.gitOpsFolder);
    if (clash) {
      fail(this.where, 'gitOps.folder', this.gitOpsFolder, `is also the name of cluster ${clash.name}, whose folder it would share`, 'rename one of them');
    }
    this.checkClusters(fleet);
    const idle = fleet.environments.filter(e => !fleet.clusters.some(c => c.environment === e.name)).map(e => e.name);
    if (idle.length > 0) {
      this.notes.push(`shipshape note: ${this.where}: environment${idle.length === 1 ? '' : 's'} ${idle.join(', ')} ${idle.length === 1 ? 'has' : 'have'} no cluster, so no team runs there `
        + `(a cluster left out of clusters?); add a cluster with environment '${idle[0]}', or drop the environment\n`);
    }

    const teams = props.teams ?? [];
    if (props.externalNamespaces !== undefined && !Array.isArray(props.externalNamespaces)) {
      fail(this.where, 'externalNamespaces', props.externalNamespaces, 'must be a list of namespace names', "use for example ['monitoring']");
    }
    this.externalNamespaces = (props.externalNamespaces ?? []).map((n, i) => Names.dnsLabel(at(this.where), `externalNamespaces[${i}]`, n));
    for (const t of teams) if (t && typeof t === 'object' && !this.teamOfNamespace.has(t.namespace ?? t.name)) this.teamOfNamespace.set(t.namespace ?? t.name, t.name);
    const teamNames = new Set<string>();
    const teamNamespaces = new Map<string, string>();
    teams.forEach((t, i) => {
      Names.dnsLabel(at(this.where), `teams[${i}].name`, t.name);
      if (t.name === PLATFORM) fail(this.where, `teams[${i}].name`, t.name, 'is the name of the platform folder of every cluster', 'give the team another name');
      if (t.name === ADD_ONS) {
        fail(this.where, `teams[${i}].name`, t.name, `would name the team's AppProject ${fleet.name}-${ADD_ONS}, the name of the fleet's add-on project`, 'give the team another name');
      }
      if (teamNames.has(t.name)) fail(this.where, `teams[${i}].name`, t.name, 'is the name of another team', 'give every team its own name');
      teamNames.add(t.name);
      const ns = t.namespace ?? t.name;
      const other = teamNamespaces.get(ns);
      if (other) fail(this.where, `teams[${i}].namespace`, ns, `is also team ${other}'s namespace`, 'give every team its own namespace (its quota and RBAC are per namespace)');
      teamNamespaces.set(ns, t.name);
      if (ns === argoNamespace) {
        fail(this.where, t.namespace !== undefined ? `teams[${i}].namespace` : `teams[${i}].name`, ns, 'is the namespace Argo CD runs in (gitOps.namespace), which holds the fleet\'s AppProjects and Applications; a team gets a namespace of its own',
          `give the team another namespace (namespace: '${t.name === ns ? `team-${t.name}` : t.name}')`);
      }
      if (this.externalNamespaces.includes(ns)) {
        // the fleet would take over a namespace something else made: Pod Security restricted, a quota and a default deny
        // on what runs there (an ingress controller's pods refused, its traffic cut)
        fail(this.where, t.namespace !== undefined ? `teams[${i}].namespace` : `teams[${i}].name`, ns, 'is listed in externalNamespaces (a namespace that exists on the clusters without the fleet), so the fleet would take it over: '
          + 'its Namespace (Pod Security restricted), quota and default-deny NetworkPolicies would apply to what runs there',
        `give the team a namespace of its own (namespace: '${t.name === ns ? `team-${t.name}` : t.name}'), or drop ${ns} from externalNamespaces if the fleet is to make it`);
      }
      if (!t.workloads || typeof t.workloads.define !== 'function') {
        fail(this.where, `teams[${i}].workloads`, t.workloads, 'must implement IFleetWorkloads (a define(scope, target) method)', 'pass an object with a define method');
      }
      (t.clusterResources ?? []).forEach((k, j) => checkClusterResource(this.where, `teams[${i}].clusterResources[${j}]`, k));
      (t.environments ?? []).forEach((e, j) => {
        if (!fleet.environments.some(x => x.name === e)) {
          fail(this.where, `teams[${i}].environments[${j}]`, e, `is not an environment of the fleet (${fleet.environments.map(x => x.name).join(', ')})`, 'name one of them');
        }
        const first = t.environments!.indexOf(e);
        if (first !== j) {
          fail(this.where, `teams[${i}].environments[${j}]`, e, `is also teams[${i}].environments[${first}]`, 'name each environment once');
        }
      });
      for (const e of Object.keys(t.quotaPerEnvironment ?? {})) {
        if (!fleet.environments.some(x => x.name === e)) {
          fail(this.where, `teams[${i}].quotaPerEnvironment.${e}`, e, `is not an environment of the fleet (${fleet.environments.map(x => x.name).join(', ')})`, 'name one of them');
        }
        if (t.environments && !t.environments.includes(e)) {
          fail(this.where, `teams[${i}].quotaPerEnvironment.${e}`, e, `is not an environment team ${t.name} runs in (teams[${i}].environments: ${t.environments.join(', ')}), so the quota would apply nowhere`,
            'drop it, or add the environment to the team\'s environments');
        }
      }
      if (!fleet.clusters.some(c => !t.environments || t.environments.includes(c.environment))) {
        const served = [...new Set(fleet.clusters.map(c => c.environment))].join(', ');
        fail(this.where, `teams[${i}].environments`, t.environments, `name no environment that has a cluster (environments with clusters: ${served}), so team ${t.name} would run nowhere (an AppProject with no destination)`,
          'name an environment that has a cluster, leave environments out (every environment), or drop the team');
      }
    });
    const addOns = props.addOns ?? [];
    // one name may serve environments that do not overlap: a version rolled out environment by environment
    // (certManager({ environments: ['staging'], version: 'v1.17.2' }) beside the production one)
    const packEnvironments = new Map<string, Array<string[] | undefined>>();
    addOns.forEach((p, i) => {
      if (!AddOnPack.isAddOnPack(p)) fail(this.where, `addOns[${i}]`, p, 'must be an AddOnPack', 'use AddOnPack.helm(...) or one of the built-in packs');
      const earlier = packEnvironments.get(p.name) ?? [];
      const overlap = earlier.find(envs => envs === undefined || p.environments === undefined || envs.some(e => p.environments!.includes(e)));
      if (earlier.length > 0 && (overlap !== undefined || p.environments === undefined)) {
        const both = overlap === undefined || p.environments === undefined ? 'every environment' : overlap.filter(e => p.environments!.includes(e)).join(', ');
        fail(this.where, `addOns[${i}].name`, p.name, `is the name of another add-on pack for the same environments (${both})`,
          'give every pack its own name, or give packs of one name environments that do not overlap (one version per environment)');
      }
      packEnvironments.set(p.name, [...earlier, p.environments]);
      (p.environments ?? []).forEach((e, j) => {
        if (!fleet.environments.some(x => x.name === e)) {
          fail(this.where, `addOns[${i}].environments[${j}]`, e, `is not an environment of the fleet (${fleet.environments.map(x => x.name).join(', ')})`, 'name one of them');
        }
      });
    });

    // the Argo CD objects: projects first (the applications chart depends on it, so its file sorts first)
    this.gitOpsApp = new App({ outdir: path.join(this.outdir, this.gitOpsFolder), yamlOutputType: YamlOutputType.FILE_PER_CHART, policy: props.policy });
    this.gitOpsApp._removalCause = FLEET_REMOVAL_CAUSE;
    this.gitOpsApp._owner = `${this.where}: Argo CD folder`;
    const projectsChart = new Chart(this.gitOpsApp, 'projects', { namespace: argoNamespace });
    const appsChart = new Chart(this.gitOpsApp, 'applications', { namespace: argoNamespace });
    appsChart.addDependency(projectsChart);
    const fleetLabels = { 'shipshape.io/fleet': fleet.name, [RecommendedLabels.MANAGED_BY]: RecommendedLabels.MANAGER };

    const repoURL = git.repoUrl;
    const targetRevision = git.targetRevision ?? 'HEAD';
    const destination = (c: FleetCluster, namespace?: string): ArgoDestination => ({
      ...(c.argoCdServer ? { server: c.argoCdServer } satisfies ArgoDestination : { name: c.argoCdName ?? c.name } satisfies ArgoDestination),
      ...(namespace ? { namespace } satisfies ArgoDestination : {}),
    });
    const syncPolicy = (env: FleetEnvironment, options: string[]): ArgoApplicationSpec['syncPolicy'] => {
      const s = env.sync ?? {};
      return {
        ...(s.automated ? { automated: { prune: s.prune ?? false, selfHeal: s.selfHeal ?? false } } satisfies ArgoApplicationSpec['syncPolicy'] : {}),
        syncOptions: options,
        retry: SYNC_RETRY,
      };
    };
    const owners = new Map<string, ApplicationOwner>();
    const application = (name: string, owner: ApplicationOwner, labels: { [k: string]: string }, wave: string, spec: ArgoApplicationSpec) => {
      Names.dnsSubdomain(at(this.where), `applications.${name}`, name);
      if (name.length > MAX_APPLICATION_NAME) {
        fail(this.where, owner.prop, owner.value, `gives ${owner.what} the Argo CD Application ${name}, of ${name.length} characters; Argo CD's label tracking writes `
          + `an Application's name into the app.kubernetes.io/instance label of every object it deploys, and a label value holds at most ${MAX_APPLICATION_NAME} characters, `
          + 'so the Application could never sync (a cluster\'s Applications are named <cluster>-<team>, <cluster>-platform and <cluster>-<add-on release>)',
        `shorten ${owner.shorten}, so that the Application's name has at most ${MAX_APPLICATION_NAME} characters`);
      }
      const first = owners.get(name);
      if (first) {
        // name the team first: renaming a team is the usual fix
        const [a, b] = first.team && !owner.team ? [first, owner] : [owner, first];
        fail(this.where, a.prop, a.value, `gives ${a.what} the Argo CD Application ${name}, which is also the Application of ${b.what} `
          + '(a cluster\'s Applications are named <cluster>-<team>, <cluster>-platform and <cluster>-<add-on release>, and one would replace the other)',
        `rename ${a.rename} or ${b.rename}`);
      }
      owners.set(name, owner);
      const obj = new ApiObject(appsChart, name, {
        apiVersion: ARGO,
        kind: 'Application',
        metadata: { name, labels: { ...fleetLabels, ...labels }, annotations: { [SYNC_WAVE]: wave } },
        spec,
      } satisfies ArgoObject<'Application', ArgoApplicationSpec>);
      this.applications[name] = obj;
      return obj;
    };

    const chartRepos = new Set<string>();
    /** The add-on charts' OCI registry paths, as Argo CD spells them (without oci://). */
    const ociRepos = new Set<string>();
    let karpenterKinds = false;
    /** The packs that install a release on at least one cluster. */
    const installing = new Set<AddOnPack>();
    /** Bad input met while the teams' workloads were defined, by cluster (see below). */
    const defineErrors: Array<{ cluster: string; team: string; error: ShipshapeValidationError }> = [];
    for (const c of fleet.clusters) {
      const env = Fleets.environmentOf(fleet, c.name);
      const profile = Fleets.clusterProfile(fleet, c.name);
      const domain = Fleets.domainOf(fleet, c.name);
      const app = new App({
        cluster: profile,
        outdir: path.join(this.outdir, c.name),
        yamlOutputType: YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE,
        clusterResources: false,
        policy: props.policy,
      });
      const platform = new ClusterResources(app, PLATFORM, { cluster: profile });
      // Karpenter's NodePools and EC2NodeClass, when the fleet installs Karpenter (its CRDs come with the add-on, two waves earlier)
      // (the Karpenter pack, or cluster-releases when the profile lists the controller among its Helm releases)
      if (profile.karpenter && addOns.some(p => p._installsKarpenterOf(env.name, profile))) {
        new KarpenterResources(platform, 'karpenter', { profile: profile.karpenter });
        karpenterKinds = true;
      }
      const clusterLabels = { 'shipshape.io/cluster': c.name, 'shipshape.io/environment': env.name };
      const clusterIndex = fleet.clusters.indexOf(c);
      const clusterProp = `clusters[${clusterIndex}].name`;
      const platformApp = application(`${c.name}-${PLATFORM}`,
        { prop: clusterProp, value: c.name, what: `the platform folder of cluster ${c.name}`, rename: `cluster ${c.name}`, shorten: `the name of cluster ${c.name} (${clusterProp})` },
        { ...clusterLabels, 'shipshape.io/folder': PLATFORM }, '-1', {
          project: `${fleet.name}-${PLATFORM}`,
          source: { repoURL, targetRevision, path: `${gitPath}/${c.name}/${PLATFORM}`, directory: { recurse: false } },
          destination: destination(c),
          syncPolicy: syncPolicy(env, ['PruneLast=true']),
        });

      const out: ClusterOutput = { cluster: c, environment: env, app, releases: [], platform: { chart: platform, application: platformApp }, teams: [] };
      /** The namespaces of this cluster a NetworkPolicy peer may name without a note (filled below, read at synth). */
      const known = new Set<string>([...this.reservedNamespaces.keys(), ...this.externalNamespaces]);
      for (const [teamIndex, team] of teams.entries()) {
        if (team.environments && !team.environments.includes(env.name)) continue;
        const tn = this.teamNamespace(platform, team, teamIndex, env.name);
        const chart = new Chart(app, team.name, { namespace: tn.namespace, labels: { [TEAM_LABEL]: team.name } });
        chart.node.addValidation({ validate: () => this.teamChartProblems(chart, team, tn.namespace, { cluster: c.name, environment: env.name, known }) });
        const appObj = application(`${c.name}-${team.name}`,
          {
            prop: `teams[${teamIndex}].name`,
            value: team.name,
            what: `team ${team.name} on cluster ${c.name}`,
            rename: `team ${team.name}`,
            team: true,
            shorten: `the name of team ${team.name} (teams[${teamIndex}].name) or of cluster ${c.name} (${clusterProp})`,
          },
          { ...clusterLabels, [TEAM_LABEL]: team.name }, '0', {
            project: `${fleet.name}-${team.name}`,
            source: { repoURL, targetRevision, path: `${gitPath}/${c.name}/${team.name}`, directory: { recurse: false } },
            destination: destination(c, tn.namespace),
            syncPolicy: syncPolicy(env, ['PruneLast=true']),
          });
        try {
          team.workloads.define(chart, FleetTarget._of({ clusterName: c.name, cluster: profile, environment: env, team: team.name, namespace: tn.namespace, domain }));
        } catch (e) {
          // bad input in one cluster's workloads: said with the cluster (the construct path is the same on every
          // cluster); the other clusters are still defined, so that the error names every cluster where it occurs
          if (!Errors.isValidationError(e)) throw e;
          defineErrors.push({ cluster: c.name, team: team.name, error: e as ShipshapeValidationError });
        }
        out.teams.push({ team, namespace: tn, chart, application: appObj });
      }
      app._policyLabel = `cluster ${c.name}`;
      app._removalCause = FLEET_REMOVAL_CAUSE;
      app._owner = `${this.where}: cluster ${c.name}`;
      app._foreignHint = files => foreignHint(files, c.name);
      app._prerequisitesFirst = true; // a folder applied by hand (kubectl apply -f) gets its Namespaces first
      if (props.diagrams ?? true) new TopologyDiagram(app, { title: `cluster ${c.name} (${env.name}, ${c.region})` });

      const target: AddOnTarget = { cluster: c.name, environment: env.name, domain, profile };
      const releases = new Map<string, string>();
      for (const [packIndex, pack] of addOns.entries()) {
        for (const r of pack._releasesFor(target, `${this.where}/add-ons/${pack.name}`)) {
          const tenant = out.teams.find(t => t.namespace.namespace === r.namespace);
          if (tenant) {
            const i = teams.indexOf(tenant.team);
            const named = tenant.team.namespace === undefined;
            fail(this.where, named ? `teams[${i}].name` : `teams[${i}].namespace`, r.namespace,
              `${named ? `is also the team's namespace (teams[${i}].namespace is unset), and it ` : ''}is the namespace add-on pack ${pack.name} installs its release ${r.releaseName} into on cluster ${c.name}; `
              + 'a team gets a namespace of its own (the team\'s quota, default-deny NetworkPolicies and RBAC would apply to the add-on, and the team\'s project could change it)',
              `give team ${tenant.team.name} another namespace${named ? ` (teams[${i}].namespace)` : ''}`);
          }
          const key = `${r.namespace}/${r.releaseName}`;
          const first = releases.get(key);
          if (first) {
            fail(`${this.where}/add-ons/${pack.name}`, 'releaseName', key, `is also installed on cluster ${c.name} by pack ${first} (two Applications would fight over one release)`,
              'drop one of the packs, or give the release another name');
          }
          releases.set(key, pack.name);
          out.releases.push(r);
          installing.add(pack);
          const source = helmSource(r);
          chartRepos.add(source.repoURL);
          if (r.repository.startsWith('oci://')) ociRepos.add(source.repoURL);
          application(`${c.name}-${r.releaseName}`,
            {
              prop: `addOns[${packIndex}].releaseName`,
              value: r.releaseName,
              what: `release ${r.releaseName} of add-on pack ${pack.name} on cluster ${c.name}`,
              rename: `release ${r.releaseName} (the pack's releaseName)`,
              shorten: `release ${r.releaseName} (the pack's releaseName) or the name of cluster ${c.name} (${clusterProp})`,
            },
            { ...clusterLabels, 'shipshape.io/add-on': pack.name }, '-2', {
              project: `${fleet.name}-${ADD_ONS}`,
              source,
              destination: destination(c, r.namespace),
              ...renderedAnew(r),
              syncPolicy: syncPolicy(env, ['CreateNamespace=true', 'ServerSideApply=true', ...(renderedAnew(r) ? ['RespectIgnoreDifferences=true'] : [])]),
            });
        }
      }
      // what the cluster's profile asks to be installed (the autoscaler, an ingress class's controller) and no pack does
      const asked = new Map<string, string>();
      for (const r of profile.helmReleases ?? []) asked.set(`${r.namespace}/${r.releaseName}`, '');
      for (const ic of profile.ingressClasses ?? []) {
        const r = ic.controllerRelease;
        if (r) asked.set(`${r.namespace}/${r.releaseName}`, ` (the controller of IngressClass ${ic.name})`);
      }
      const unserved = [...asked].filter(([key]) => !releases.has(key)).map(([key, what]) => key + what);
      const controller = profile.karpenter?.controller;
      for (const t of out.teams) known.add(t.namespace.namespace);
      for (const key of [...releases.keys(), ...asked.keys()]) known.add(key.slice(0, key.indexOf('/')));
      if (controller) known.add(controller.namespace);
      if (controller && !addOns.some(p => p._installsKarpenterOf(env.name, profile)) && !releases.has(`${controller.namespace}/${controller.releaseName}`)) unserved.push(`${controller.namespace}/${controller.releaseName} (Karpenter: add AddOnPack.karpenter())`);
      if (unserved.length > 0) {
        this.notes.push(`shipshape note: ${this.where}: the profile of cluster ${c.name} asks for Helm release${unserved.length === 1 ? '' : 's'} ${unserved.join(', ')}, `
          + 'which no add-on pack installs: add AddOnPack.clusterReleases() to addOns (it installs what each profile asks for, with its values and identity), '
          + 'or install them outside the fleet\n');
      }
      this.outputs.push(out);
    }
    if (defineErrors.length > 0) {
      // the first error, with every cluster where the same team met the same one
      const { team, error } = defineErrors[0];
      const clusters = defineErrors.filter(d => d.team === team && d.error.message === error.message).map(d => d.cluster);
      throw new ShipshapeValidationError({ ...error.details, path: `${clusters.length === 1 ? 'cluster' : 'clusters'} ${clusters.join(', ')}, team ${team}: ${error.details.path}` });
    }
    const idleKarpenter = addOns.find(p => fleet.environments.some(e => p._installsKarpenter(e.name)) && !installing.has(p));
    if (idleKarpenter) {
      const on = fleet.environments.filter(e => idleKarpenter._installsKarpenter(e.name)).map(e => e.name).join(', ');
      fail(`${this.where}/add-ons/${idleKarpenter.name}`, 'clusters', fleet.clusters.map(c => c.name),
        `have no Karpenter (ClusterProfile.karpenter) in the environments the pack covers (${on}), so AddOnPack.karpenter() would install nothing`,
        'give a cluster aws.Karpenter (its profile then carries the controller release), or drop the pack');
    }

    // projects
    const allDestinations = (namespace: string, clusters: FleetCluster[]) => clusters.map(c => destination(c, namespace));
    const project = (name: string, labels: { [k: string]: string }, spec: ArgoAppProjectSpec) => {
      this.projects[name] = new ApiObject(projectsChart, name, {
        apiVersion: ARGO,
        kind: 'AppProject',
        metadata: { name, labels: { ...fleetLabels, ...labels } },
        spec,
      } satisfies ArgoObject<'AppProject', ArgoAppProjectSpec>);
    };
    project(`${fleet.name}-${PLATFORM}`, {}, {
      description: `Platform folders of fleet ${fleet.name}: cluster classes, team namespaces and their guard rails`,
      sourceRepos: [repoURL],
      destinations: allDestinations('*', fleet.clusters),
      clusterResourceWhitelist: [...PLATFORM_CLUSTER_KINDS, ...(karpenterKinds ? KARPENTER_KINDS : [])].map(k => ({ ...k })),
    });
    // Argo CD reads a Helm repoURL without a scheme as an OCI registry only when a repository declares it so
    // (enableOCI); otherwise it looks for <repoURL>/index.yaml over HTTPS, and the add-on never syncs
    for (const url of [...ociRepos].sort()) {
      const slug = url.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40).replace(/-$/, '');
      const name = `${fleet.name}-oci-${slug}-${createHash('sha256').update(url).digest('hex').slice(0, 8)}`;
      new ApiObject(projectsChart, `oci-${url}`, {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name, labels: { ...fleetLabels, [ARGO_SECRET_TYPE]: 'repository' } },
        // no credentials: a public registry needs none; a private one gets them from a credential template of yours
        stringData: { type: 'helm', name: slug, url, enableOCI: 'true' },
      });
    }
    if (addOns.length > 0) {
      project(`${fleet.name}-${ADD_ONS}`, {}, {
        description: `Cluster add-ons of fleet ${fleet.name} (Helm charts at pinned versions); they install CRDs, cluster roles and webhooks`,
        sourceRepos: [...chartRepos].sort(),
        destinations: allDestinations('*', fleet.clusters),
        clusterResourceWhitelist: [{ group: '*', kind: '*' }],
      });
    }
    for (const team of teams) {
      const clusters = fleet.clusters.filter(c => !team.environments || team.environments.includes(Fleets.environmentOf(fleet, c.name).name));
      project(`${fleet.name}-${team.name}`, { [TEAM_LABEL]: team.name }, {
        description: `Team ${team.name} of fleet ${fleet.name}: its namespace on its clusters, nothing cluster-wide${team.clusterResources?.length ? ' but what the platform allows' : ''}`,
        sourceRepos: [repoURL],
        destinations: allDestinations(team.namespace ?? team.name, clusters),
        clusterResourceWhitelist: (team.clusterResources ?? []).map(k => ({ group: k.group, kind: k.kind })),
        namespaceResourceBlacklist: GUARD_RAIL_KINDS.map(k => ({ ...k })),
        orphanedResources: { warn: true },
      });
    }
  }

  /** The names of the fleet's clusters. */
  public get clusterNames(): string[] {
    return this.outputs.map(o => o.cluster.name);
  }

  /**
   * The app that writes one cluster's folder, to read what synth will write there (in tests, for example). A chart
   * added to it is refused at synth: no Argo CD Application would deploy its folder (a team's objects belong in its
   * workloads' `define`, cluster-wide software in an add-on pack).
   */
  public app(cluster: string): App {
    const o = this.outputs.find(x => x.cluster.name === cluster);
    if (!o) fail(this.where, 'cluster', cluster, `is not a cluster of the fleet (${this.clusterNames.join(', ')})`, 'name one of them');
    return o.app;
  }

  /**
   * The EKS access entries the teams need, one per team with `access` and cluster it runs on, for the AWS side to
   * create (see `TeamAccessProfile`).
   */
  public get accessEntries(): TeamAccessProfile[] {
    const out: TeamAccessProfile[] = [];
    for (const o of this.outputs) {
      for (const t of o.teams) {
        const e = t.namespace.accessEntry;
        if (e) out.push({ ...e, cluster: o.cluster.name });
      }
    }
    return out;
  }

  /**
   * The EKS access entries the teams need on one cluster of the fleet (`accessEntries` of that cluster), for the AWS
   * side of that cluster to create. Throws when the fleet has no cluster of that name: a misspelt name would
   * otherwise give no entry, and the teams no access, without a word.
   */
  public accessEntriesFor(cluster: string): TeamAccessProfile[] {
    if (!this.clusterNames.includes(cluster)) {
      fail(this.where, 'cluster', cluster, `is not a cluster of the fleet (${this.clusterNames.join(', ')})`, 'name one of them, as the fleet description does');
    }
    return this.accessEntries.filter(e => e.cluster === cluster);
  }

  /**
   * Writes every cluster's folder and the Argo CD folder, in two steps. First every cluster's app and the Argo CD
   * app are rendered into staging folders and checked (validations, whole-output and cluster checks, policy); then,
   * only when all of them passed, the staged files are moved into place, folder by folder. When any check fails,
   * nothing is moved: no folder of the fleet changes (a cluster that failed its policy writes only its
   * `.shipshape/policy-report.failed.*` reports), and the error names every failing cluster.
   *
   * A team that defines nothing on a cluster gets no Application there, nor does a platform folder that would be
   * empty (a cluster with no profile and no team): its folder would not exist. The folders of clusters no longer in
   * the fleet, and of teams no longer on a cluster, lose the files shipshape wrote in them; files it did not write
   * are left there and named on stderr. The notes a cluster's app prints on stderr start with the cluster
   * (`shipshape note: cluster prod-eu: shop/web: ...`): its construct paths are the same on every cluster.
   */
  public synth(): void {
    const problems: string[] = [];
    for (const o of this.outputs) {
      const prefix = `cluster ${o.cluster.name}: `;
      problems.push(...flatChartProblems(o.app).map(p => prefix + p));
      for (const c of o.app.node.children) {
        if (!Chart.isChart(c) || c === o.platform.chart || o.teams.some(t => t.chart === c)) continue;
        problems.push(`${prefix}${c.node.path}: a chart added to the cluster's app (Fleet.app); the fleet gives Argo CD Applications to the platform folder and the teams' `
          + `folders only, so nothing would deploy folder ${c.node.id} of cluster ${o.cluster.name}. Create a team's objects in its workloads' define(), `
          + 'and install cluster-wide software with an add-on pack (AddOnPack.helm)');
      }
      const all = o.app.node.findAll();
      withValidationPass(all, () => {
        for (const c of all) {
          let errors: string[];
          try {
            errors = c.node.validate();
          } catch (e) {
            // a validation that renders objects (a namespace's quota fit) meets their errors: they arose on this cluster
            if (e instanceof Error) e.message = `${prefix}${e.message}`;
            throw e;
          }
          for (const e of errors) problems.push(`${prefix}${validationLine(c, e)}`);
        }
      });
    }
    if (problems.length > 0) throw new Error(`Validation failed with the following errors:\n  ${problems.join('\n  ')}`);

    const hasObjects = (chart: Chart) => chart.node.findAll().some(x => ApiObject.isApiObject(x));
    const dropApplication = (application: ApiObject, why: string) => {
      if (!application.node.scope?.node.tryRemoveChild(application.node.id)) return;
      delete this.applications[application.metadata.name!];
      process.stderr.write(`shipshape note: ${this.where}: ${why}: no Application for it there\n`);
    };
    for (const o of this.outputs) {
      if (!hasObjects(o.platform.chart)) {
        dropApplication(o.platform.application, `the platform folder of cluster ${o.cluster.name} would be empty (no StorageClass, IngressClass or team namespace)`);
      }
      for (const t of o.teams) {
        for (const x of t.chart.node.findAll()) if (ApiObject.isApiObject(x)) runJobOncePerSync(x as ApiObject);
        if (!hasObjects(t.chart)) dropApplication(t.application, `team ${t.team.name} defines nothing on cluster ${o.cluster.name}`);
      }
    }
    for (const o of this.outputs) {
      for (const n of this.missingCrdNotes(o)) if (!this.notes.includes(n)) this.notes.push(n);
    }

    // 0. a synth killed while it removed a dropped cluster's output left that folder's journal: undone first, as the
    // other folders' are when they are staged
    for (const folder of this.recordedFolders()) {
      if (!this.clusterNames.includes(folder) && folder !== this.gitOpsFolder) recoverOutputFolder(path.join(this.outdir, folder));
    }
    // 1. stage and check everything; 2. only then change the folders
    const apps: Array<{ name: string; dir: string; app: App; cluster?: string }> = [
      ...this.outputs.map(o => ({ name: `cluster ${o.cluster.name}`, dir: path.join(this.outdir, o.cluster.name), app: o.app, cluster: o.cluster.name })),
      { name: `the Argo CD folder ${this.gitOpsFolder}`, dir: path.join(this.outdir, this.gitOpsFolder), app: this.gitOpsApp },
    ];
    const staged: _StagedOutput[] = [];
    const failures: Array<{ name: string; error: unknown }> = [];
    // what staging prints is held until every folder passed: the notes describe output that a failure elsewhere keeps
    // from being written, so they are dropped then (warnings and policy summaries stay)
    const held = holdingStderr(() => {
      for (const a of apps) {
        try {
          staged.push(a.cluster !== undefined ? withClusterNotes(a.cluster, () => a.app._stage()) : a.app._stage());
        } catch (e) {
          if (e instanceof Error) e.message = `${a.name} (${a.dir}): ${e.message}`;
          failures.push({ name: a.name, error: e });
        }
      }
    });
    const printed = failures.length === 0 ? held : held.split('\n').filter(line => !line.startsWith(NOTE)).join('\n');
    if (printed.trim() !== '') process.stderr.write(printed);
    if (failures.length > 0) {
      for (const s of staged) s.discard();
      const names = failures.map(f => f.name).join(', ');
      const unchanged = 'no folder of the fleet was changed: every folder is checked before any is written '
        + '(a cluster that failed the policy keeps the reports of this run in its .shipshape/policy-report.failed.*)';
      const first = failures[0].error;
      if (failures.length === 1 && first instanceof Error) {
        first.message = `${this.where}: synth failed on ${names}; ${unchanged}\n${first.message}`;
        throw first;
      }
      const messages = failures.map(f => (f.error instanceof Error ? f.error.message : String(f.error)));
      throw new Error(`${this.where}: synth failed on ${names}; ${unchanged}\n${messages.join('\n\n')}`);
    }
    const teamFolders = this.teamFolders();
    this.argoBefore = undefined;
    const projectsBefore = this.recordedProjects();
    const committed: Array<{ s: _StagedOutput; name: string }> = [];
    const notes: string[] = [];
    withSignalsDeferred(() => {
      this.commitAll(staged, apps, committed, notes);
      // the folders' journals stay until the dropped clusters' output is gone too: a synth killed in between is
      // undone in every folder by the next one, not only in the folder it was removing
      try {
        this.removeDroppedClusters();
      } finally {
        for (const s of staged) s.discard();
      }
    });
    // said once every folder committed: a folder put back after a later one failed removed nothing
    for (const n of notes) process.stderr.write(n);
    this.nameTeamLeftovers(teamFolders);
    this.nameDroppedProjects(projectsBefore);
    this.nameDroppedAddOns(this.recordedArgoObjects());
    for (const n of this.notes) process.stderr.write(n);
  }

  /** Commits every staged folder, or (one failing) puts back those committed before it; discards them all. */
  private commitAll(staged: _StagedOutput[], apps: Array<{ name: string }>, committed: Array<{ s: _StagedOutput; name: string }>, notes: string[]): void {
    try {
      staged.forEach((s, i) => {
        notes.push(...s.commit());
        committed.push({ s, name: apps[i].name });
      });
    } catch (e) {
      // a folder that could not be changed: the folders committed before it are put back, so the fleet stays whole
      const notBack = [...committed].reverse().filter(c => !c.s.rollback()).map(c => c.name);
      if (e instanceof Error) {
        e.message = `${this.where}: synth failed while moving files into place; `
          + (committed.length === 0 ? 'no folder of the fleet was changed'
            : notBack.length === 0 ? `the folders changed before it (${committed.map(c => c.name).join(', ')}) were put back as they were, so no folder of the fleet was changed`
              : `some files of ${notBack.join(', ')} could not be put back: those folders hold part of this synth's output, which the next synth replaces`)
          + `\n${e.message}`;
      }
      for (const s of staged) s.discard();
      throw e;
    }
  }

  /**
   * What `Fleets.validate` leaves to the Kubernetes side: a region name also for a cluster without a profile, a
   * Kubernetes version shipshape writes for, and one real cluster per fleet cluster (two clusters that Argo CD
   * reaches the same way, or built from one EKS cluster, would both deploy into that one).
   */
  private checkClusters(fleet: FleetDescription): void {
    const reached = new Map<string, string>();
    const eks = new Map<string, FleetCluster>();
    fleet.clusters.forEach((c, i) => {
      const p = `clusters[${i}]`;
      Validators.awsRegion(at(this.where), `${p}.region`, c.region, 'give the region the cluster runs in');
      const profile = Fleets.clusterProfile(fleet, c.name);
      try {
        KubernetesVersion.of(profile.kubernetesVersion);
      } catch {
        fail(this.where, c.profile ? `${p}.profile.kubernetesVersion` : `${p}.kubernetesVersion`, profile.kubernetesVersion,
          `must be a Kubernetes version ${KubernetesVersion._accepted()}`, 'use the minor version the cluster runs, for example "1.33"');
      }
      const how = c.argoCdServer !== undefined ? `server ${c.argoCdServer}` : `name ${c.argoCdName ?? c.name}`;
      // one API server written two ways (a trailing slash, which Argo CD strips; the host's case; the default port)
      const reach = c.argoCdServer !== undefined ? `server ${serverKey(c.argoCdServer)}` : how;
      const other = reached.get(reach);
      if (other !== undefined) {
        const prop = c.argoCdServer !== undefined ? 'argoCdServer' : c.argoCdName !== undefined ? 'argoCdName' : 'name';
        fail(this.where, `${p}.${prop}`, c.argoCdServer ?? c.argoCdName ?? c.name, `is how Argo CD reaches cluster ${other} too (destination ${how}), `
          + `so the folders of ${other} and ${c.name} would both be deployed to that one cluster`,
        'give each fleet cluster the Argo CD name (argoCdName) or API server URL (argoCdServer) of its own cluster; one cluster is one FleetCluster');
      }
      reached.set(reach, c.name);
      if (c.profile) {
        const key = `${profile.region}/${profile.clusterName}`;
        const twin = eks.get(key);
        const sameAccount = twin && (twin.profile!.account === undefined || profile.account === undefined || twin.profile!.account === profile.account);
        if (twin && sameAccount) {
          fail(this.where, `${p}.profile.clusterName`, profile.clusterName, `is also the EKS cluster of fleet cluster ${twin.name} (region ${profile.region}), `
            + `so the folders of ${twin.name} and ${c.name} would describe one real cluster`,
          'give each fleet cluster the profile of its own EKS cluster (aws.EksCluster.profile), or drop the copy');
        }
        eks.set(key, c);
      }
    });
  }

  /** Objects of a team's chart must be in the team's namespace, or cluster-scoped kinds the team is allowed. */
  private teamChartProblems(chart: Chart, team: FleetTeam, namespace: string, where: { cluster: string; environment: string; known: Set<string> }): string[] {
    const out: string[] = [];
    const allowed = (team.clusterResources ?? []).map(k => `${k.group}/${k.kind}`);
    for (const c of chart.node.findAll()) {
      if (!ApiObject.isApiObject(c)) continue;
      const obj = c as ApiObject;
      const group = obj.apiVersion.includes('/') ? obj.apiVersion.split('/')[0] : '';
      if (GUARD_RAIL_KINDS.some(k => k.group === group && k.kind === obj.kind)) {
        out.push(`${obj.node.path}: kind (${JSON.stringify(obj.kind)}) is a guard rail of team ${team.name}'s namespace, which the platform folder owns: `
          + `team ${team.name}'s Argo CD project may not deploy ${GUARD_RAIL_KINDS.map(k => k.kind).join(', ')} (its namespaceResourceBlacklist), so the team's Application could never sync; `
          + 'leave it out of the team\'s workloads: set the quota and container limits with the team\'s quota and limits, and what its people may do with its permissions');
        continue;
      }
      if (obj.kind === 'NetworkPolicy' && group === 'networking.k8s.io') {
        const policy = obj.toJson();
        this.notePeerNamespaces(policy, obj, team, where);
        const open = openDirections(policy);
        if (open.length > 0) {
          out.push(`${obj.node.path}: spec (NetworkPolicy ${obj.name}) selects every pod of team ${team.name}'s namespace (an empty podSelector, or one with only NotIn and DoesNotExist) and allows ${open.join(' and ')} from and to anywhere `
            + '(a rule without peers, or with a peer of every address: 0.0.0.0/0 or ::/0, on every port: no ports, a port entry without a port, or the range 1-65535), '
            + 'which undoes the default deny the platform folder gives the namespace; '
            + 'select the pods the policy opens (a podSelector on their labels), name the peers and ports of each rule, or let the workloads write their policies (allowFrom, allowTo)');
        }
      }
      if (group === '' && obj.kind === 'Namespace' && this.reservedNamespaces.has(obj.name)) {
        // the team's Application would own it: pruning the team's folder would delete it
        out.push(`${obj.node.path}: metadata.name (${JSON.stringify(obj.name)}) of Namespace ${obj.name} is ${this.reservedNamespaces.get(obj.name)}; `
          + `team ${team.name}'s Application would own it, and a prune of the team's folder would delete it: leave it to the platform, and name a namespace of the team's own`);
        continue;
      }
      if (CLUSTER_SCOPED.has(obj.kind)) {
        if (!allowed.includes(`${group}/${obj.kind}`)) {
          out.push(`${obj.node.path}: kind (${JSON.stringify(obj.kind)}) is cluster-scoped, and team ${team.name}'s Argo CD project allows ${allowed.length === 0 ? 'no cluster-scoped kind' : `only the cluster-scoped kinds ${allowed.join(', ')}`}; `
            + `move it to the platform, or allow it with clusterResources: [{ group: '${group}', kind: '${obj.kind}' }] on the team`);
        }
      } else if (obj.metadata.namespace !== namespace && inOperatorNamespace(obj.apiVersion, obj.kind)) {
        out.push(`${obj.node.path}: ${obj.kind} ${obj.name} goes in its operator's namespace (${JSON.stringify(obj.metadata.namespace)}), where team ${team.name}'s Argo CD project may not deploy `
          + '(a team allowed there could also restore or read the backups of other teams); a fleet does not carry backups yet: '
          + 'leave `backup` out of the workloads a fleet deploys, and schedule their backups with Velero outside the fleet');
      } else if (obj.metadata.namespace !== namespace) {
        out.push(`${obj.node.path}: metadata.namespace (${JSON.stringify(obj.metadata.namespace)}) of ${obj.kind} ${obj.name} is not team ${team.name}'s namespace (${namespace}); `
          + 'its Argo CD project deploys only there: leave the namespace out (the chart sets it) or move the object to the platform');
      }
    }
    return out;
  }

  /**
   * Notes (once) each namespace a team's NetworkPolicy names as a peer (`kubernetes.io/metadata.name`) that the
   * cluster does not have as far as the fleet knows: no team, add-on, system or external namespace of it. The rule
   * reaches nothing there: a typo, or a team that does not run in the cluster's environment.
   */
  private notePeerNamespaces(policy: any, obj: ApiObject, team: FleetTeam, where: { cluster: string; environment: string; known: Set<string> }): void {
    for (const name of peerNamespacesOf(policy)) {
      if (where.known.has(name)) continue;
      const elsewhere = this.teamOfNamespace.get(name);
      // a typo only when a namespace of the cluster is a slip away; otherwise, most often, a controller's namespace
      // (ingress-nginx, monitoring) that something outside the fleet makes
      const near = elsewhere === undefined ? likelyNamespaceTypo(name, [...where.known, ...this.teamOfNamespace.keys()]) : undefined;
      const why = elsewhere !== undefined ? `team ${elsewhere} has it, but does not run in environment ${where.environment}`
        : `no team, add-on or system namespace of the cluster has that name${near !== undefined ? ` (a typo of ${near}?)` : ''}`;
      const fix = elsewhere !== undefined
        ? `if team ${elsewhere} should run on the clusters of environment ${where.environment}, add ${where.environment} to its environments; `
          + 'otherwise leave the rule out there (define() reads target.environment)'
        : near !== undefined ? `fix the name, or list ${name} in externalNamespaces if it is made outside the fleet`
          : `if ${name} is made outside the fleet (a controller installed by other means), list it in externalNamespaces; `
            + 'if the fleet should install it, add its add-on pack (AddOnPack.helm for any Helm chart)';
      const note = `shipshape note: ${this.where}: on cluster ${where.cluster}, NetworkPolicy ${obj.name} of team ${team.name} names a peer in namespace ${name}, `
        + `which the fleet does not give that cluster (${why}), so the rule reaches nothing there; ${fix}\n`;
      if (!this.notes.includes(note)) this.notes.push(note);
    }
  }

  /**
   * The team's namespace and guard rails on one cluster; a bad team prop is named as the fleet's prop
   * (`fleet/acme: teams[3].quota.requestsCpu`), like the fleet's other team errors, not by the TeamNamespace's path.
   */
  private teamNamespace(scope: Construct, team: FleetTeam, index: number, environment: string): TeamNamespace {
    const own = team.quotaPerEnvironment?.[environment];
    try {
      const tn = new TeamNamespace(scope, team.name, { ...team, team: team.name, ...(own !== undefined ? { quota: own } : {}) });
      tn._quotaProp = own !== undefined ? `teams[${index}].quotaPerEnvironment.${environment}` : `teams[${index}].quota`;
      tn._limitsProp = `teams[${index}].limits`;
      return tn;
    } catch (e) {
      if (!Errors.isValidationError(e) || (e as any).details === undefined) throw e;
      const d = (e as any).details as ValidationErrorDetails;
      const prop = d.prop === 'team' ? 'name' : own !== undefined && d.prop.startsWith('quota') ? `quotaPerEnvironment.${environment}${d.prop.slice('quota'.length)}` : d.prop;
      // the quota of this environment replaces `quota`: the other fields the message names are its fields too
      const own2 = (text: string) => (own !== undefined ? text.replace(/\bquota\./g, `quotaPerEnvironment.${environment}.`) : text);
      throw new ShipshapeValidationError({ ...d, allowed: own2(d.allowed), fix: own2(d.fix), path: this.where, prop: `teams[${index}].${prop}` });
    }
  }

  /**
   * The team folders each cluster folder held after the last synth (from its record), for `nameTeamLeftovers`.
   */
  private teamFolders(): Map<string, Set<string>> {
    const out = new Map<string, Set<string>>();
    for (const o of this.outputs) {
      const dir = path.join(this.outdir, o.cluster.name);
      const record = readRecord(dir) ?? [];
      out.set(dir, new Set(record.filter(f => f.includes('/')).map(f => f.slice(0, f.indexOf('/')))));
    }
    return out;
  }

  /**
   * Names the files shipshape did not write that are left in the folder of a team no longer on a cluster (the
   * commit removed the files shipshape wrote there, and the folder with them when nothing else was left).
   */
  private nameTeamLeftovers(before: Map<string, Set<string>>): void {
    for (const [dir, folders] of before) {
      const now = new Set((readRecord(dir) ?? []).filter(f => f.includes('/')).map(f => f.slice(0, f.indexOf('/'))));
      for (const folder of [...folders].sort()) {
        if (now.has(folder) || folder === STATE_DIR) continue;
        // kubectl apply of the Argo CD folder does not delete the Application that deployed the folder
        const application = `${path.basename(dir)}-${folder}`;
        process.stderr.write(`shipshape note: ${this.where}: Application ${application} is no longer in ${this.gitOpsFolder}/ (its folder ${folder} of cluster ${path.basename(dir)} is gone); `
          + `kubectl apply does not delete it, and Argo CD keeps what it deployed: delete it with kubectl delete application -n ${this.argoNamespace} ${application}\n`);
        const left = filesUnder(path.join(dir, folder));
        if (left.length === 0) continue;
        const one = left.length === 1;
        process.stderr.write(`shipshape: ${this.where}: removed the output of ${folder} from cluster ${path.basename(dir)}, which no longer has it (a team renamed, dropped, `
          + `or no longer defining anything there); ${path.join(dir, folder)} still holds ${left.join(', ')}, which shipshape did not write: `
          + `left in place, remove ${one ? 'it' : 'them'} if no longer needed\n`);
      }
    }
  }

  /**
   * Notes the custom resources the teams write on a cluster whose CRDs nothing of the fleet installs there: no CRD of
   * their group in the cluster's output, and no add-on release of the cluster known to bring them (`CRD_SOURCES`; for
   * a group shipshape does not know, none whose chart or repository is named after the group). Until the CRDs exist
   * the API server refuses the objects, and the team's Application cannot sync. A note, not an error: the platform may
   * install them outside the fleet.
   */
  private missingCrdNotes(o: ClusterOutput): string[] {
    const defined = new Set<string>();
    for (const x of o.app.node.findAll()) {
      if (!ApiObject.isApiObject(x)) continue;
      const obj = x as ApiObject;
      if (obj.kind !== 'CustomResourceDefinition' || groupOf(obj.apiVersion) !== 'apiextensions.k8s.io') continue;
      const group = obj.toJson()?.spec?.group;
      if (typeof group === 'string') defined.add(group);
    }
    const autoMode = Fleets.clusterProfile(this.description, o.cluster.name).autoMode === true;
    /** group -> team -> kinds */
    const needs = new Map<string, Map<string, Set<string>>>();
    for (const t of o.teams) {
      for (const x of t.chart.node.findAll()) {
        if (!ApiObject.isApiObject(x)) continue;
        const obj = x as ApiObject;
        const group = groupOf(obj.apiVersion);
        if (BUILT_IN_GROUPS.has(group) || (autoMode && group === AUTO_MODE_GROUP) || defined.has(group)) continue;
        const byTeam = needs.get(group) ?? new Map<string, Set<string>>();
        needs.set(group, byTeam);
        byTeam.set(t.team.name, (byTeam.get(t.team.name) ?? new Set<string>()).add(obj.kind));
      }
    }
    const notes: string[] = [];
    for (const group of [...needs.keys()].sort()) {
      const source = CRD_SOURCES.find(x => x.groups.includes(group));
      let why: string;
      let fix: string;
      if (source) {
        if (o.releases.some(source.brings)) continue;
        why = 'no add-on pack of the fleet installs them there';
        fix = o.releases.map(r => source.without?.(r)).find(w => w !== undefined) ?? source.fix;
      } else {
        const labels = group.split('.').slice(0, -1).filter(l => l.length >= 3 && !GENERIC_GROUP_LABELS.has(l));
        if (o.releases.some(r => labels.some(l => r.chart.toLowerCase().includes(l) || r.repository.toLowerCase().includes(l)))) continue;
        why = 'no add-on pack of the fleet is known to install them there (shipshape knows no chart for the group, and no release of the cluster is named after it)';
        fix = 'add the chart of the operator that defines them to addOns (AddOnPack.helm)';
      }
      const teams = [...needs.get(group)!].map(([team, kinds]) => ({ team, kinds: [...kinds].sort().join(', ') }));
      const who = teams.length === 1 ? `team ${teams[0].team} writes ${group} objects (${teams[0].kinds})`
        : `teams ${teams.map(t => `${t.team} (${t.kinds})`).join(', ')} write ${group} objects`;
      notes.push(`shipshape note: ${this.where}: on cluster ${o.cluster.name}, ${who}, whose CRDs are not in the cluster's output, and ${why}: `
        + `until they are installed, the API server refuses the objects and ${teams.length === 1 ? 'the team\'s Application' : 'their Applications'} cannot sync; `
        + `${fix}, or install them outside the fleet\n`);
    }
    return notes;
  }

  /**
   * The AppProjects the Argo CD folder held after the last synth, read from the files its record names (what
   * `kubectl apply` of the folder created), for `nameDroppedProjects`.
   */
  private recordedProjects(): Array<{ name: string; namespace: string; team?: string }> {
    return this.recordedArgoObjects().filter(o => o.kind === 'AppProject');
  }

  /**
   * The AppProjects and add-on Applications the Argo CD folder held after the last synth, read from the files its
   * record lists (what was last applied), for `nameDroppedProjects` and `nameDroppedAddOns`.
   */
  private recordedArgoObjects(): Array<{ kind: string; name: string; namespace: string; team?: string; addOn?: string; cluster?: string }> {
    if (this.argoBefore !== undefined) return this.argoBefore;
    // what was last applied: the folder of the last synth, when gitOps.folder has been renamed since
    const dir = path.join(this.outdir, this.recordedArgoFolder() ?? this.gitOpsFolder);
    const out: Array<{ kind: string; name: string; namespace: string; team?: string; addOn?: string; cluster?: string }> = [];
    for (const rel of readRecord(dir) ?? []) {
      if (!/\.ya?ml$/.test(rel)) continue;
      let docs: unknown[];
      try {
        const text = fs.readFileSync(path.join(dir, rel), 'utf-8');
        if (!text.includes('AppProject') && !text.includes('shipshape.io/add-on')) continue;
        docs = jsyaml.loadAll(text);
      } catch {
        continue; // gone or unreadable: nothing known of it
      }
      for (const d of docs as any[]) {
        if (d?.apiVersion !== ARGO || (d.kind !== 'AppProject' && d.kind !== 'Application') || typeof d.metadata?.name !== 'string') continue;
        const labels = d.metadata.labels ?? {};
        const addOn = labels['shipshape.io/add-on'];
        if (d.kind === 'Application' && typeof addOn !== 'string') continue;
        const team = labels[TEAM_LABEL];
        const cluster = labels['shipshape.io/cluster'];
        out.push({
          kind: d.kind,
          name: d.metadata.name,
          namespace: typeof d.metadata.namespace === 'string' ? d.metadata.namespace : this.argoNamespace,
          ...(typeof team === 'string' ? { team } : {}),
          ...(typeof addOn === 'string' ? { addOn } : {}),
          ...(typeof cluster === 'string' ? { cluster } : {}),
        });
      }
    }
    this.argoBefore = out;
    return out;
  }

  /**
   * Names the add-on Applications the Argo CD folder no longer holds (a pack or one of its releases removed, or a
   * cluster dropped from a pack's environments) on clusters still in the fleet: `kubectl apply` of the folder does not
   * delete them. Those of dropped clusters, and those of a removed add-on project, are named by the notes of those.
   */
  private nameDroppedAddOns(before: Array<{ kind: string; name: string; namespace: string; addOn?: string; cluster?: string }>): void {
    if (this.projects[`${this.description.name}-${ADD_ONS}`] === undefined) return;
    for (const a of before) {
      if (a.kind !== 'Application' || a.addOn === undefined) continue;
      if (a.namespace === this.argoNamespace && this.applications[a.name] !== undefined) continue;
      if (a.cluster === undefined || !this.clusterNames.includes(a.cluster)) continue;
      process.stderr.write(`shipshape note: ${this.where}: Application ${a.name} (add-on pack ${a.addOn} on cluster ${a.cluster}) is no longer in ${this.gitOpsFolder}/; `
        + `kubectl apply does not delete it, and Argo CD keeps what it installed: delete it with kubectl delete application -n ${a.namespace} ${a.name}\n`);
    }
  }

  /**
   * Names the AppProjects the Argo CD folder no longer holds (a team dropped or renamed, the last add-on pack
   * removed): `kubectl apply` of the folder does not delete them, nor does Argo CD.
   */
  private nameDroppedProjects(before: Array<{ name: string; namespace: string; team?: string }>): void {
    const fleet = `shipshape.io/fleet=${this.description.name}`;
    for (const p of before) {
      if (p.namespace === this.argoNamespace && this.projects[p.name] !== undefined) continue;
      const [why, selector] = this.projects[p.name] !== undefined ? [`the fleet's AppProjects are now in namespace ${this.argoNamespace}, gitOps.namespace`, fleet]
        : p.team !== undefined ? [`team ${p.team} is no longer in the fleet`, `${fleet},${TEAM_LABEL}=${p.team}`]
          : p.name === `${this.description.name}-${ADD_ONS}` ? ['the fleet has no add-on pack any more', `${fleet},shipshape.io/add-on`]
            : ['the fleet no longer writes it', undefined];
      const apps = selector !== undefined ? `kubectl delete applications -n ${p.namespace} -l ${selector}` : `argocd app list -p ${p.name} lists them`;
      process.stderr.write(`shipshape note: ${this.where}: AppProject ${p.name} is no longer in ${this.gitOpsFolder}/ (${why}); kubectl apply does not delete it: `
        + `delete its Applications first (${apps}; Argo CD can neither sync nor cleanly delete an Application whose project is gone), `
        + `then the project with kubectl delete appproject -n ${p.namespace} ${p.name}\n`);
    }
  }

  /** The folders the fleet's record names (those of the last synth, and dropped ones whose removal failed). */
  private recordedFolders(): string[] {
    const data = this.record();
    return Array.isArray(data?.folders) ? data.folders.filter(isFolderName) : [];
  }

  /**
   * The Argo CD folder of the last synth, when the record names one other than `gitOps.folder` (a record written
   * before the Argo CD folder was recorded names none).
   */
  private recordedArgoFolder(): string | undefined {
    const folder = this.record()?.argoFolder;
    return isFolderName(folder) && folder !== this.gitOpsFolder && this.recordedFolders().includes(folder) ? folder : undefined;
  }

  /** The fleet's record (`.shipshape/fleet.json`), or undefined when there is none of this format. */
  private record(): { folders?: unknown; argoFolder?: unknown } | undefined {
    try {
      const data = JSON.parse(fs.readFileSync(path.join(this.outdir, STATE_DIR, FLEET_RECORD), 'utf-8'));
      return data?.format === FLEET_RECORD_FORMAT ? data : undefined;
    } catch {
      return undefined; // no record yet
    }
  }

  /** Removes what shipshape wrote in the folders of clusters that left the fleet, then records the current folders. */
  private removeDroppedClusters(): void {
    const stateDir = path.join(this.outdir, STATE_DIR);
    const file = path.join(stateDir, FLEET_RECORD);
    const previous = this.recordedFolders();
    const previousArgo = this.recordedArgoFolder();
    const current = [...this.clusterNames, this.gitOpsFolder];
    const retry: string[] = [];
    for (const folder of previous) {
      if (current.includes(folder)) continue;
      const dir = path.join(this.outdir, folder);
      if (readRecord(dir) === undefined) continue;
      const change = writeOwnedOutput(dir, []);
      if (change.unremovable.length > 0) {
        // the folder keeps its record and stays in the fleet's: the next synth tries again
        retry.push(folder);
        process.stderr.write(`shipshape: ${this.where}: could not remove ${change.unremovable.join(', ')} from ${dir}, the output of ${folder}, which is no longer in the fleet; `
          + 'they stay recorded and the next synth tries again (make them writable, or delete by hand)\n');
        continue;
      }
      fs.rmSync(path.join(dir, STATE_DIR), { recursive: true, force: true });
      let left: string[] = [];
      try {
        fs.rmdirSync(dir);
      } catch {
        // files shipshape did not write are left in place, and named
        left = filesUnder(dir);
      }
      const leftOver = left.length > 0 ? `; ${dir} still holds ${left.join(', ')}, which shipshape did not write: left in place, remove ${left.length === 1 ? 'it' : 'them'} if no longer needed` : '';
      if (folder === previousArgo) {
        // the Argo CD folder renamed (gitOps.folder): the same objects, by the same names, are in the new folder
        process.stderr.write(`shipshape: ${this.where}: removed ${folder}/, the Argo CD folder of the last synth: the fleet's Argo CD objects are now in ${this.gitOpsFolder}/ (gitOps.folder)${leftOver}; `
          + `they keep their names, so applying ${this.gitOpsFolder}/ updates those applied from ${folder}/ and nothing needs deleting: apply ${path.join(this.outdir, this.gitOpsFolder)} where you applied ${dir}\n`);
        continue;
      }
      process.stderr.write(`shipshape: ${this.where}: removed the output of ${folder}, which is no longer in the fleet (a cluster renamed or dropped)${leftOver}`
        + '; its Applications stay in Argo CD until deleted, and the AppProjects applied from this synth no longer admit that cluster, so they show as invalid: '
        + `kubectl delete applications -n ${this.argoNamespace} -l shipshape.io/fleet=${this.description.name},shipshape.io/cluster=${folder}\n`);
    }
    fs.mkdirSync(stateDir, { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ format: FLEET_RECORD_FORMAT, folders: [...current, ...retry].sort(), argoFolder: this.gitOpsFolder }, undefined, 2) + '\n');
  }
}

const NOTE = 'shipshape note: ';

/** True for a folder name a fleet writes (a DNS label). */
function isFolderName(f: unknown): f is string {
  return typeof f === 'string' && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(f);
}

/**
 * Runs `fn` (the staging of one cluster's app) so that the notes it prints on stderr name the cluster: a cluster's app
 * names a construct by its path in that app (`shop/storefront: development profile: ...`), which is the same on every
 * cluster of the fleet. A note that starts with the cluster already (`cluster prod-eu pool general: ...`) is left as it is.
 */
/** Runs `fn` with what it writes to stderr held back; returns that text (fn's errors are its own to catch). */
function holdingStderr(fn: () => void): string {
  const stderr = process.stderr;
  const own = Object.prototype.hasOwnProperty.call(stderr, 'write');
  const write = stderr.write;
  let text = '';
  stderr.write = function (chunk: unknown): boolean {
    text += typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf-8') : String(chunk);
    return true;
  } as typeof stderr.write;
  try {
    fn();
  } finally {
    if (own) stderr.write = write;
    else delete (stderr as { write?: unknown }).write;
  }
  return text;
}

function withClusterNotes<T>(cluster: string, fn: () => T): T {
  const stderr = process.stderr;
  const own = Object.prototype.hasOwnProperty.call(stderr, 'write');
  const write = stderr.write;
  const named = `${NOTE}cluster ${cluster}`;
  const name = (line: string) => (line.startsWith(NOTE) && !line.startsWith(`${named} `) && !line.startsWith(`${named}:`) ? `${named}: ${line.slice(NOTE.length)}` : line);
  stderr.write = function (chunk: unknown, ...rest: unknown[]): boolean {
    return (write as (...args: unknown[]) => boolean).call(stderr, typeof chunk === 'string' ? chunk.split('\n').map(name).join('\n') : chunk, ...rest);
  } as typeof stderr.write;
  try {
    return fn();
  } finally {
    if (own) stderr.write = write;
    else delete (stderr as { write?: unknown }).write;
  }
}

/** The files under `dir` (relative, `/`-separated, sorted). */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(dir, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else out.push(r);
    }
  };
  walk('');
  return out.sort();
}

/**
 * What a release's chart renders anew on every render, for Argo CD to leave alone. The AWS Load Balancer Controller
 * chart makes a self-signed webhook certificate each time it is rendered (Helm's lookup of the existing one finds
 * nothing under Argo CD, which renders with `helm template`): without this its Application is OutOfSync after every
 * refresh, and a sync swaps the certificate under the running controller. With `RespectIgnoreDifferences` a sync
 * keeps the live certificate and CA bundle (they are written once, when the objects are created).
 */
function renderedAnew(r: HelmReleaseProfile): { ignoreDifferences: ArgoIgnoreDifference[] } | undefined {
  if (r.chart !== 'aws-load-balancer-controller') return undefined;
  const caBundle = ['.webhooks[]?.clientConfig.caBundle'];
  return {
    ignoreDifferences: [
      { group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration', name: 'aws-load-balancer-webhook', jqPathExpressions: caBundle },
      { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration', name: 'aws-load-balancer-webhook', jqPathExpressions: caBundle },
      { kind: 'Secret', name: 'aws-load-balancer-tls', namespace: r.namespace, jsonPointers: ['/data'] },
    ],
  };
}

/** An Argo CD Helm source for a release: OCI registries without their scheme (Argo CD's spelling). */
function helmSource(r: HelmReleaseProfile): ArgoSource {
  const oci = r.repository.startsWith('oci://');
  const parameters = Object.keys(r.values).sort().map(name => ({ name, value: r.values[name] }));
  return {
    repoURL: oci ? r.repository.slice('oci://'.length) : r.repository,
    chart: r.chart,
    targetRevision: r.version,
    helm: { releaseName: r.releaseName, ...(parameters.length ? { parameters } satisfies ArgoSource['helm'] : {}) },
  };
}

/** The chart a construct belongs to (itself for a chart), or undefined outside any chart. */
function chartOf(c: IConstruct): IConstruct | undefined {
  for (const s of [...c.node.scopes].reverse()) if (Chart.isChart(s)) return s;
  return undefined;
}

/**
 * A cluster folder is one sub-folder per chart, named after the chart; cdk8s prefixes the names with an index when
 * charts nest or depend on each other, which would move the folders the Applications point at.
 */
function flatChartProblems(app: App): string[] {
  const out: string[] = [];
  for (const c of app.node.findAll()) {
    if (Chart.isChart(c) && c.node.scope !== app) {
      out.push(`${c.node.path}: a chart inside a chart is not supported in a fleet (each cluster folder holds one folder per top-level chart, which Argo CD points at); `
        + 'create the constructs in the team\'s chart itself');
    }
    for (const d of c.node.dependencies) {
      if (chartOf(c) !== chartOf(d)) {
        out.push(`${c.node.path}: depends on ${d.node.path}, in another chart, which is not supported in a fleet (cdk8s would then rename the chart folders the Applications point at); `
          + 'keep dependencies inside one chart');
      }
    }
  }
  return out;
}

/**
 * Where `dir` lies in the Git working tree that holds it (found by walking up to a `.git`), when one of that
 * repository's remotes is `repoUrl` (https, ssh and scp-style URLs compare equal, with or without `.git`):
 * the repository root and the path relative to it (`/`-separated). Undefined otherwise (no repository, or the
 * output is committed to another repository than the program's).
 */
function repositoryPathOf(dir: string, repoUrl: string): { root: string; path: string; remote: string } | undefined {
  const tree = workTreeOf(dir);
  const remote = tree && gitRemotes(path.join(tree.root, '.git')).find(r => sameRepository(r, repoUrl));
  return tree && remote !== undefined ? { ...tree, remote } : undefined;
}

/** The Git work tree `dir` lies in (the nearest folder holding `.git`, as the reports find it) and `dir`'s path in it, '/'-separated. */
function workTreeOf(dir: string): { root: string; path: string } | undefined {
  const abs = path.resolve(dir);
  const root = sourceRoot(abs);
  return fs.existsSync(path.join(root, '.git')) ? { root, path: path.relative(root, abs).split(path.sep).join('/') } : undefined;
}

/** The remote URLs in a repository's config (`.git` a folder, or a worktree's `.git` file pointing to one). */
function gitRemotes(dotGit: string): string[] {
  try {
    let gitDir = dotGit;
    if (fs.statSync(dotGit).isFile()) {
      const m = /^gitdir:\s*(.+)$/m.exec(fs.readFileSync(dotGit, 'utf-8'));
      if (!m) return [];
      gitDir = path.resolve(path.dirname(dotGit), m[1].trim());
      const common = path.join(gitDir, 'commondir');
      if (fs.existsSync(common)) gitDir = path.resolve(gitDir, fs.readFileSync(common, 'utf-8').trim());
    }
    const config = fs.readFileSync(path.join(gitDir, 'config'), 'utf-8');
    const urls: string[] = [];
    let inRemote = false;
    for (const line of config.split(/\r?\n/)) {
      const t = line.trim();
      if (t.startsWith('[')) {
        inRemote = /^\[remote\s+"/.test(t);
        continue;
      }
      const m = inRemote ? /^url\s*=\s*(.+)$/.exec(t) : null;
      if (m) urls.push(m[1].trim());
    }
    return urls;
  } catch {
    return [];
  }
}

/**
 * The directions (`ingress`, `egress`) in which a NetworkPolicy that selects every pod of its namespace allows
 * everything: a rule without ports whose peers are absent, empty or select everything (every pod of every namespace,
 * or an IP block of every address). A selector selects every pod unless it requires something of the pods: it is
 * empty, or its only requirements are NotIn and DoesNotExist (which every pod without a given label meets, and the
 * team labels its pods as it likes). Empty for a policy that selects some pods only.
 */
/** An API server URL as a comparison key: scheme and host in lower case, without the default https port or trailing slashes. */
function serverKey(url: string): string {
  const m = /^(https?):\/\/([^/]+)(.*)$/i.exec(String(url).trim());
  if (m === null) return String(url);
  const scheme = m[1].toLowerCase();
  const host = m[2].toLowerCase().replace(scheme === 'https' ? /:443$/ : /:80$/, '');
  return `${scheme}://${host}${m[3].replace(/\/+$/, '')}`;
}

/** The API group of the built-in cluster-scoped kinds a team may be allowed, to catch a slip in `clusterResources`. */
const CLUSTER_KIND_GROUPS: { readonly [kind: string]: string } = {
  Namespace: '',
  PersistentVolume: '',
  ClusterRole: 'rbac.authorization.k8s.io',
  ClusterRoleBinding: 'rbac.authorization.k8s.io',
  PriorityClass: 'scheduling.k8s.io',
  StorageClass: 'storage.k8s.io',
  IngressClass: 'networking.k8s.io',
  RuntimeClass: 'node.k8s.io',
  CustomResourceDefinition: 'apiextensions.k8s.io',
  MutatingWebhookConfiguration: 'admissionregistration.k8s.io',
  ValidatingWebhookConfiguration: 'admissionregistration.k8s.io',
  GatewayClass: 'gateway.networking.k8s.io',
  ClusterIssuer: 'cert-manager.io',
};

/**
 * Checks one kind a team's project is allowed (`clusterResources`): a cluster-scoped kind, named exactly. Argo CD reads
 * the group and kind as patterns, so a wildcard would let the team deploy every cluster-scoped kind (ClusterRoleBindings,
 * CustomResourceDefinitions, webhooks).
 */
function checkClusterResource(where: string, prop: string, k: ResourceKind): void {
  const group = k?.group;
  const kind = k?.kind;
  if (typeof group !== 'string' || typeof kind !== 'string' || kind === '') {
    fail(where, prop, k, 'must name an API group (\'\' for the core group) and a kind', "write for example { group: '', kind: 'Namespace' }");
  }
  if (/[*?[\]]/.test(group) || /[*?[\]]/.test(kind)) {
    fail(where, `${prop}.${/[*?[\]]/.test(kind) ? 'kind' : 'group'}`, /[*?[\]]/.test(kind) ? kind : group, 'is a pattern, which Argo CD matches against every cluster-scoped kind: the team\'s project '
      + 'could then deploy ClusterRoleBindings (cluster-admin), CustomResourceDefinitions and admission webhooks, and its isolation would be gone',
    'list the cluster-scoped kinds the team needs, each with its group, for example { group: \'\', kind: \'Namespace\' }');
  }
  if (NAMESPACED_WELL_KNOWN_KINDS.has(kind)) {
    fail(where, `${prop}.kind`, kind, 'is a namespaced kind: clusterResources allows cluster-scoped kinds, and the team deploys namespaced ones into its namespace without it',
      `remove it (a ${kind} in the team's namespace needs no allowance)`);
  }
  const expected = Object.prototype.hasOwnProperty.call(CLUSTER_KIND_GROUPS, kind) ? CLUSTER_KIND_GROUPS[kind] : undefined;
  if (expected !== undefined && group !== expected) {
    fail(where, `${prop}.group`, group, `is not the API group of ${kind} (${expected === '' ? 'the core group, \'\'' : expected}): Argo CD would allow a kind no object has, and refuse the team's ${kind}`,
      `write group: '${expected}'`);
  }
}

function openDirections(manifest: any): string[] {
  const spec = manifest?.spec ?? {};
  const empty = (sel: any) => sel === undefined || sel === null
    || (Object.keys(sel.matchLabels ?? {}).length === 0
      && (Array.isArray(sel.matchExpressions) ? sel.matchExpressions : []).every((e: any) => e?.operator === 'NotIn' || e?.operator === 'DoesNotExist'));
  if (!empty(spec.podSelector)) return [];
  const everywhere = (peer: any) => {
    const cidr = peer?.ipBlock?.cidr;
    if (cidr !== undefined) return (cidr === '0.0.0.0/0' || cidr === '::/0') && (peer.ipBlock.except ?? []).length === 0;
    return peer?.namespaceSelector !== undefined && empty(peer.namespaceSelector) && empty(peer.podSelector);
  };
  // every port of a protocol: an entry without a port, or a range from 1 (or 0) to 65535
  const allPorts = (p: any) => p?.port === undefined || ((p.port === 0 || p.port === 1) && typeof p.endPort === 'number' && p.endPort >= 65535);
  const openRule = (r: any, peers: string) => ((r?.ports ?? []).length === 0 || (r.ports as any[]).some(allPorts))
    && ((r?.[peers] ?? []).length === 0 || (r[peers] as any[]).some(everywhere));
  const types: string[] = spec.policyTypes ?? ['Ingress', ...(spec.egress ? ['Egress'] : [])];
  const out: string[] = [];
  if (types.includes('Ingress') && (spec.ingress ?? []).some((r: any) => openRule(r, 'from'))) out.push('ingress');
  if (types.includes('Egress') && (spec.egress ?? []).some((r: any) => openRule(r, 'to'))) out.push('egress');
  return out;
}

/**
 * The credentials an https Git URL holds before its host (`user:password`, or a GitHub or GitLab access token as the
 * user name), or undefined; a user name alone (Azure DevOps clone URLs name the organisation) is no secret.
 */
function credentialsIn(url: string): string | undefined {
  const m = /^https:\/\/([^/@]+)@/.exec(url);
  if (m === null) return undefined;
  const info = m[1];
  return info.includes(':') || /^(ghp_|gho_|ghu_|ghs_|ghr_|github_pat_|glpat-)/.test(info) ? info : undefined;
}

/**
 * True for the Git URLs Argo CD clones: `https://<host>/<path>`, `ssh://<user>@<host>[:port]/<path>` and scp-style
 * `<user>@<host>:<path>` (Argo CD takes a URL for SSH only when it names a user).
 */
function isGitUrl(url: string): boolean {
  if (/\s/.test(url)) return false;
  const host = '[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*';
  return new RegExp(`^https://([^/@:]+(:[^/@]*)?@)?${host}(:\\d+)?/[^/]+.*$`).test(url)
    || new RegExp(`^ssh://[^/@:]+@${host}(:\\d+)?/[^/]+.*$`).test(url)
    || new RegExp(`^[^/@:]+@${host}:[^/].*$`).test(url);
}

/**
 * Git hosts whose repository paths are case-insensitive (`github.com/ACME/Platform` is `github.com/acme/platform`):
 * GitHub, GitLab and Bitbucket (also self-hosted, named after them), Azure DevOps.
 */
function caseInsensitivePaths(host: string): boolean {
  return host.split('.').some(l => /^(github|gitlab|bitbucket)(-|$)/.test(l)) || /(^|\.)dev\.azure\.com$/.test(host) || host.endsWith('.visualstudio.com');
}

/**
 * True when two Git URLs name the same repository whatever the scheme (https, ssh, scp-style), user, port, `.git`
 * suffix and trailing slash: the same host (any case) and path (any case on GitHub-, GitLab- and Bitbucket-style
 * hosts, whose paths are case-insensitive).
 */
function sameRepository(a: string, b: string): boolean {
  const key = (u: string) => {
    let s = u.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/^[^@/]+@/, '');
    if (!/^[^/]+:\d+\//.test(s)) s = s.replace(/^([^/:]+):\/*/, '$1/'); // scp-style host:path (not host:port/)
    s = s.replace(/^([^/]+):\d+\//, '$1/').replace(/\/+$/, '').replace(/\.git$/i, '').replace(/\/+$/, '').replace(/\/{2,}/g, '/');
    const slash = s.indexOf('/');
    const host = (slash < 0 ? s : s.slice(0, slash)).toLowerCase();
    const rest = slash < 0 ? '' : s.slice(slash);
    return host + (caseInsensitivePaths(host) ? rest.toLowerCase() : rest);
  };
  return key(a) === key(b);
}

/**
 * What Argo CD does with files of a cluster folder the fleet did not write: those in a platform or team folder are
 * applied by that folder's Application; no Application syncs the cluster folder itself.
 */
function foreignHint(files: string[], cluster: string): string {
  const synced = files.filter(f => f.includes('/'));
  const top = files.filter(f => !f.includes('/'));
  const itself = `no Application syncs the folder of cluster ${cluster} itself, only its platform and team folders`;
  if (top.length === 0) return `Argo CD syncs every file of a folder, so the Application of its folder would apply ${synced.length === 1 ? 'it' : 'them'} too`;
  if (synced.length === 0) return `${itself}, so Argo CD leaves ${top.length === 1 ? 'it' : 'them'} alone`;
  return `Argo CD syncs every file of a folder, so the Application of its folder would apply ${synced.join(', ')} too; ${itself}, so it leaves ${top.join(', ')} alone`;
}

