import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsEksCluster } from '@cdktf/provider-aws/lib/data-aws-eks-cluster';
import { DataAwsEksClusters } from '@cdktf/provider-aws/lib/data-aws-eks-clusters';
import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import { EksCluster as EksClusterResource } from '@cdktf/provider-aws/lib/eks-cluster';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { Fn, ITerraformDependable, TerraformLocal, TerraformOutput, Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { AccessGrantOptions } from './access-policy';
import { ClusterAutoscaler, ClusterAutoscalerOptions, NodeGroupScaling } from './cluster-autoscaler';
import { CostTags } from './cost-tags';
import { KarpenterNodePool, KarpenterNodePoolOptions } from './karpenter';
import { AddonVersions, KubernetesVersion, SupportType } from './kubernetes-version';
import { LoadBalancerController, LoadBalancerControllerOptions } from './load-balancer-controller';
import { INetwork, Network } from './network';
import { NodePool, NodePoolOptions } from './node-pool';
import { PolicyStatement } from './policy-statement';
import { AccessGrants } from './private/access-grants';
import { PINNED_ADDON_VERSIONS } from './private/addon-versions';
import { checkIamArnPartition } from './private/arns';
import { resolveAutoscalerOptions } from './private/autoscaler-charts';
import { AwsContext, dependsOnRef, partitionOf, policyJson, providerRegionProblem } from './private/aws-context';
import { cidrContains, parseCidr } from './private/cidr';
import { gpuDevicePluginRelease } from './private/gpu-device-plugin';
import { LOG_RETENTION_DAYS, logKeyPolicy, nearestLogRetention } from './private/kms';
import { fitName, MAX_IAM_ROLE_NAME } from './private/names';
import { rawDataRef } from './private/raw-ref';
import { buildOwnAutoscaler, claimClusterName, claimNodePoolName, karpenterProfileOf, markImportedCluster, missingEndpoints, REQUIRED_NODE_ENDPOINTS } from './private/registry';
import { renderStatements } from './private/statements';
import { checkEnvironmentTag, renderCostTags } from './private/tags';
import { checkAddonVersions, checkMinorForm, minorOf } from './private/versions';
import { TerraformPolicy } from './terraform-policy';
import { IdentityMechanism, WorkloadIdentity, WorkloadIdentityOptions } from './workload-identity';
import { ClusterProfile, IngressClassProfile } from '../core/cluster-profile';
import { fail, formatValidationMessage, show } from '../core/errors';
import type { TeamAccessProfile } from '../core/fleet';
import { coversEveryIpv4Address } from '../core/ip-coverage';
import { HelmReleaseProfile, KarpenterProfile } from '../core/karpenter-profile';
import { Names } from '../core/names';
import { EnvironmentProfile } from '../core/profile';
import { Validators } from '../core/validators';
import { Policy } from '../policy/policy';
import { EKS_KUBERNETES_VERSIONS, isSupportedEksVersion } from '../policy/terraform/eks-versions';

/**
 * An EKS cluster node pools and workload identities can attach to.
 */
export interface IEksCluster extends IConstruct {
  /** The cluster name (plain). */
  readonly clusterName: string;
  /** The cluster name as a reference to the cluster resource (a token: creates the dependency). */
  readonly clusterNameRef: string;
  /** The Kubernetes minor version (plain), for example `1.33`. */
  readonly kubernetesVersion: string;
  /** The network the cluster runs in. */
  readonly network: INetwork;
  /** The environment the cluster serves. */
  readonly environment: EnvironmentProfile;
  /** The AWS region (plain). */
  readonly region: string;
  /**
   * The AWS account id, when given (plain).
   * @default - unknown until apply
   */
  readonly account?: string;
  /** ARN of the cluster's IAM OIDC provider (token). */
  readonly oidcProviderArn: string;
  /** The cluster's OIDC issuer URL (token). */
  readonly oidcIssuer: string;
  /** The OIDC issuer without `https://` (token: a Terraform local), the prefix of IRSA condition keys. */
  readonly oidcIssuerHost: string;
  /**
   * ARN of the customer-managed KMS key for node volumes (and, on clusters shipshape creates, secrets and logs) (token).
   * @default - node volumes use the account's default EBS key
   */
  readonly encryptionKeyArn?: string;
  /** The EKS-managed cluster security group id (token). */
  readonly clusterSecurityGroupId: string;
  /** The API server endpoint (token). */
  readonly endpoint: string;
  /** The base64 certificate authority data of the API server (token). */
  readonly certificateAuthorityData: string;
  /** Whether EKS Auto Mode runs the cluster's compute. */
  readonly autoMode: boolean;
  /**
   * Whether the cluster's VPC CNI takes its AWS permissions from the node role (no identity of its
   * own), so node pools must attach AmazonEKS_CNI_Policy to their role.
   * @default false
   */
  readonly cniPolicyOnNodeRole?: boolean;
  /** The tags every resource of the cluster carries. */
  readonly resourceTags: { [key: string]: string };

  /**
   * Adds a managed node group.
   */
  addNodePool(id: string, options?: NodePoolOptions): NodePool;

  /**
   * Adds an IAM role for one application, assumable only by one ServiceAccount of this cluster (IRSA: the OIDC
   * subject; Pod Identity: the session tags EKS sets for the cluster, namespace and ServiceAccount).
   */
  addWorkloadIdentity(id: string, options: WorkloadIdentityOptions): WorkloadIdentity;

  /**
   * Grants an IAM principal an EKS access policy, cluster-wide or in some namespaces, through an
   * access entry (one per principal) and a policy association.
   * @param principalArn an IAM role or user ARN, of the partition of the cluster's region
   */
  grantAccess(principalArn: string, options: AccessGrantOptions): void;

  /**
   * Gives a team its access entry: the team's IAM principal mapped into its Kubernetes groups (which the team
   * namespace's RoleBindings bind) and, only when the entry names an EKS access policy, that policy scoped to the
   * team's namespaces. The policy may only be `AmazonEKSViewPolicy`: EKS grants it on top of the namespace's RBAC,
   * and the edit and admin policies read Secrets and change NetworkPolicies (admin, RBAC too), which no
   * `TeamPermissions` grants. Refuses an entry made for another cluster, and any other access policy.
   * @param entry `k8s.platform.TeamNamespace.accessEntry` or one of `Fleet.accessEntries`
   */
  grantTeamAccess(entry: TeamAccessProfile): void;
}

/**
 * Options of `EksCluster.addExternalDnsIdentity()`.
 */
export interface ExternalDnsIdentityOptions {
  /**
   * The Route 53 hosted zones external-dns may change records in (`Z0123456789ABCDEFGHIJ`, or a `Route53Zone`'s
   * `zoneId`).
   */
  readonly hostedZoneIds: string[];
  /**
   * The namespace external-dns runs in.
   * @default 'external-dns'
   */
  readonly namespace?: string;
  /**
   * The ServiceAccount external-dns runs as.
   * @default 'external-dns'
   */
  readonly serviceAccount?: string;
}

/**
 * The built-in node pools of EKS Auto Mode.
 */
export enum AutoModeNodePool {
  /** Tainted `CriticalAddonsOnly`: cluster add-ons and other critical workloads. */
  SYSTEM = 'system',
  /** General workloads. */
  GENERAL_PURPOSE = 'general-purpose',
}

/**
 * EKS Auto Mode: EKS runs the nodes (through its own Karpenter), block storage (EBS CSI) and load
 * balancing (AWS Load Balancer Controller), and the networking add-ons.
 */
export interface AutoModeOptions {
  /**
   * The built-in node pools to enable (at least one; more pools are Kubernetes `NodePool` objects).
   * @default [AutoModeNodePool.SYSTEM, AutoModeNodePool.GENERAL_PURPOSE]
   */
  readonly nodePools?: AutoModeNodePool[];
}

/**
 * Properties of an `EksCluster`.
 */
export interface EksClusterProps {
  /** The network (VPC) the cluster runs in; the control plane and nodes use its private subnets. */
  readonly network: INetwork;
  /** The pinned Kubernetes version. */
  readonly version: KubernetesVersion;
  /**
   * The version the cluster runs today, when `version` raises it. The synth refuses a jump of more than
   * one minor version, a downgrade, and node pools or add-on versions the target does not support.
   * @default - no upgrade in progress (the plan still compares `version` with the running cluster, see `upgradeCheck`)
   */
  readonly upgradeFrom?: KubernetesVersion;
  /**
   * Compare `version` with the running cluster at plan time: the plan reads the cluster (when it
   * exists) and fails when `version` is more than one minor version above it or below it. Needs
   * `eks:ListClusters` and `eks:DescribeCluster` for the credentials that plan.
   * @default true
   */
  readonly upgradeCheck?: boolean;
  /**
   * Cost-attribution tags applied to every resource.
   * @default - the network's tags
   */
  readonly tags?: CostTags;
  /**
   * The cluster name: at most 100 lowercase letters, digits and `-`, starting and ending with a letter or digit.
   * Stricter than EKS (which also takes capitals and `_`), because shipshape names Kubernetes objects and labels after
   * the cluster (Karpenter NodePools `<clusterName>-<id>`, the label `app.kubernetes.io/part-of`). A cluster that
   * already runs under another name can be used through `EksCluster.fromClusterAttributes`.
   * @default - the construct id in kebab case
   */
  readonly clusterName?: string;
  /**
   * The environment.
   * @default - the network's environment
   */
  readonly environment?: EnvironmentProfile;
  /**
   * IAM principal ARNs (roles or users) granted cluster-admin through an access entry. A cluster
   * must have at least one cluster admin by synth time (here, `grantClusterAdmin()` or
   * `grantAccess()` with `AccessPolicy.CLUSTER_ADMIN`). An ARN of another partition than the region's
   * (`arn:aws:` for a cluster in `cn-north-1`, whose partition is `aws-cn`) is refused, as EKS would refuse it.
   * @default - none here; then synth fails unless `grantClusterAdmin()` or `grantAccess()` with `AccessPolicy.CLUSTER_ADMIN` grants someone
   */
  readonly admins?: string[];
  /**
   * Public CIDRs allowed to reach a public API endpoint. Giving any turns the public endpoint on;
   * `0.0.0.0/0` (or ranges that add up to every IPv4 address) is refused, and so are private (RFC 1918), shared
   * (100.64.0.0/10), loopback and link-local ranges: the public endpoint only sees public source addresses. The private
   * endpoint is always on: callers in the VPC and in networks connected to it reach the API there.
   * @default - no public endpoint
   */
  readonly publicAccessCidrs?: string[];
  /**
   * Retention of the control-plane log group, in days: a CloudWatch Logs retention value of at least 365 (365, 400,
   * 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653).
   * @default 365
   */
  readonly logRetentionDays?: number;
  /**
   * The AWS account id, if known: makes role ARNs in the profile plain values, and the plan fails
   * when the credentials belong to another account.
   * @default - unknown until apply; no account check
   */
  readonly account?: string;
  /**
   * Override the pinned add-on versions (checked against `version`).
   * @default - the versions pinned for `version`
   */
  readonly addonVersions?: AddonVersions;
  /**
   * The support policy: what EKS does when the version leaves standard support.
   * @default SupportType.STANDARD
   */
  readonly supportType?: SupportType;
  /**
   * Register the cluster with Amazon Application Recovery Controller zonal shift, so traffic can be
   * moved away from an impaired zone (manually or by zonal autoshift).
   * @default - true in production and staging, false in development
   */
  readonly zonalShift?: boolean;
  /**
   * Refuse to destroy the cluster: Terraform `lifecycle.prevent_destroy` on the cluster resource.
   * (hashicorp/aws 5.100.0 has no `deletion_protection` argument on `aws_eks_cluster`; provider
   * 6.x adds one.) A plan that would destroy or replace the cluster at its address fails until this is turned off.
   * Terraform addresses come from construct paths: moving the EksCluster under another parent or renaming its id gives
   * every resource under it a new address, and Terraform plans to destroy the old ones (whose blocks, and this guard,
   * are gone) and create new ones. Keep the path, or declare the moves (Terraform `moved` blocks) in the same change.
   * @default - true in production, false otherwise
   */
  readonly deletionProtection?: boolean;
  /**
   * EKS Auto Mode instead of managed add-ons and node groups.
   * @default - off: shipshape installs managed add-ons; add node groups with `addNodePool()`
   */
  readonly autoMode?: AutoModeOptions;
  /**
   * What scales the managed node groups between each pool's `minSize` and `maxSize`. EKS does not: without an
   * autoscaler a node group keeps its desired size. `CLUSTER_AUTOSCALER` adds the Kubernetes cluster-autoscaler once a
   * pool can grow (`maxSize` > `minSize`): its identity, and its Helm release in `profile.helmReleases` (see
   * `ClusterAutoscaler`). `EXTERNAL` says an autoscaler you install yourself scales them; `NONE` that nothing does:
   * each pool then holds `desiredSize` nodes, and a workload that fits only pools of zero nodes is refused at synth.
   * With Karpenter the cluster-autoscaler still scales the managed node groups (Karpenter launches its own nodes and
   * never scales a node group; the autoscaler never touches Karpenter's nodes): both run. A pod that a growable
   * node group and a Karpenter pool can both take may then get a node from each (the unneeded one is removed after
   * 10 minutes): keep such node groups tainted for what runs there (as a `CriticalAddonsOnly` system pool is), or
   * fixed in size (`minSize` = `maxSize`, which needs no autoscaler).
   * Not allowed with `autoMode` (EKS Auto Mode scales its own nodes).
   * @default - NodeGroupScaling.CLUSTER_AUTOSCALER, or NodeGroupScaling.NONE when the network has no internet access
   * and `clusterAutoscaler` is not given (the autoscaler's image is on registry.k8s.io, and it needs VPC endpoints for
   * the Auto Scaling and EKS APIs there)
   */
  readonly nodeGroupScaling?: NodeGroupScaling;
  /**
   * Options of the cluster-autoscaler (chart version, repository mirror, image mirror, replicas), with
   * `nodeGroupScaling` `CLUSTER_AUTOSCALER`.
   * @default - the chart pinned for the cluster's Kubernetes version, from https://kubernetes.github.io/autoscaler, with
   * the chart's image; 2 replicas (1 in development)
   */
  readonly clusterAutoscaler?: ClusterAutoscalerOptions;
}

/**
 * An existing EKS cluster to attach node pools, workload identities and access grants to
 * (`EksCluster.fromClusterAttributes`).
 */
export interface EksClusterAttributes {
  /**
   * The cluster name: any name EKS takes (1-100 letters, digits, `-` and `_`, starting with a letter or digit). Where
   * shipshape names Kubernetes objects after the cluster (Karpenter NodePools `<clusterName>-<id>`), it uses the name
   * in lowercase, `_` as `-`, without a trailing `-` (`Shop_Prod` gives `shop-prod-<id>`).
   */
  readonly clusterName: string;
  /** The network the cluster runs in (`Network.fromNetworkAttributes` for an existing VPC). */
  readonly network: INetwork;
  /** The Kubernetes version the cluster runs; the plan fails when the running version differs. */
  readonly kubernetesVersion: KubernetesVersion;
  /**
   * The environment.
   * @default - the network's environment
   */
  readonly environment?: EnvironmentProfile;
  /**
   * The AWS account id, if known (the plan then checks the credentials belong to it).
   * @default - unknown until apply; no account check
   */
  readonly account?: string;
  /**
   * Cost-attribution tags of the resources shipshape adds.
   * @default - the network's tags
   */
  readonly tags?: CostTags;
  /**
   * ARN of a customer-managed KMS key for node volumes (its key policy must let the Auto Scaling
   * service-linked role use it, as `EksCluster`'s key does).
   * @default - none: node volumes would use the AWS-managed EBS key, which the policy pack refuses
   * (SS-EKS-016) unless the pool suppresses that rule
   */
  readonly encryptionKeyArn?: string;
  /**
   * ARN of the cluster's IAM OIDC provider (for IRSA identities), of the partition of the network's region.
   * @default - `arn:<partition>:iam::<account>:oidc-provider/<issuer host>`, the ARN IAM gives it
   */
  readonly oidcProviderArn?: string;
  /**
   * The cluster's VPC CNI has no identity of its own and uses the node role (the default of clusters
   * made by eksctl or terraform-aws-eks): node pools then attach AmazonEKS_CNI_Policy to their role,
   * and record the SS-EKS-020 opt-out.
   * @default false
   */
  readonly cniPolicyOnNodeRole?: boolean;
  /**
   * What scales the cluster's managed node groups (the pools added with `addNodePool()`): `EXTERNAL` for the cluster's
   * own autoscaler (Terraform ignores later changes of their desired size, and pools that can grow count as scaled), or
   * `NONE` (each pool holds `desiredSize` nodes, which Terraform sets). shipshape adds no autoscaler to a cluster it
   * did not create: for its own cluster-autoscaler, build a `ClusterAutoscaler` and keep `EXTERNAL`.
   * @default NodeGroupScaling.EXTERNAL
   */
  readonly nodeGroupScaling?: NodeGroupScaling;
}

/** Ranges that are never a public source address: private (RFC 1918), shared (RFC 6598), loopback and link-local. */
const NON_PUBLIC_RANGES = [
  { cidr: '10.0.0.0/8', what: 'private, RFC 1918' },
  { cidr: '172.16.0.0/12', what: 'private, RFC 1918' },
  { cidr: '192.168.0.0/16', what: 'private, RFC 1918' },
  { cidr: '100.64.0.0/10', what: 'carrier-grade NAT shared space, RFC 6598' },
  { cidr: '127.0.0.0/8', what: 'loopback' },
  { cidr: '169.254.0.0/16', what: 'link-local' },
];

const LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];
const AUTO_MODE_CLUSTER_POLICIES = ['AmazonEKSComputePolicy', 'AmazonEKSBlockStoragePolicy', 'AmazonEKSLoadBalancingPolicy', 'AmazonEKSNetworkingPolicy'];

/**
 * A production EKS cluster: pinned version, dedicated cluster role, private API endpoint,
 * secrets envelope encryption with a rotating customer-managed KMS key, all control-plane log
 * types into a pre-created encrypted log group, access entries (API mode, no implicit creator
 * admin; at least one cluster admin required), an IAM OIDC provider, and managed add-ons (vpc-cni
 * with network policy, coredns, kube-proxy, aws-ebs-csi-driver, eks-pod-identity-agent) at pinned
 * versions, or EKS Auto Mode. Managed node groups that can grow are scaled by the Kubernetes cluster-autoscaler
 * (`nodeGroupScaling`): shipshape adds its identity and puts its Helm release in `profile.helmReleases`, beside the
 * AWS Load Balancer Controller's and Karpenter's. Day 2: support policy, zonal shift, deletion protection, and
 * version-skew checks at synth (`upgradeFrom`) and at plan time (`upgradeCheck`). Outputs: endpoint,
 * certificate authority, cluster name, OIDC issuer and the `aws eks update-kubeconfig` command.
 *
 * The Terraform policy pack (`TerraformPack`, rules SS-EKS-001 … SS-EKS-024 in docs/rules.md) is attached to the stack
 * and runs on every synth.
 *
 * Before the first apply of a cluster with managed node groups (not Auto Mode): their node volumes are encrypted with
 * the cluster key through the EC2 Auto Scaling service-linked role `AWSServiceRoleForAutoScaling`, which the key
 * policy names, so the role must exist in the account, or KMS refuses the key (`MalformedPolicyDocumentException`).
 * Create it once per account: `aws iam create-service-linked-role --aws-service-name autoscaling.amazonaws.com`
 * (an account that has used EC2 Auto Scaling has it already). An Auto Mode cluster's key names no Auto Scaling role.
 */
export class EksCluster extends Construct implements IEksCluster {
  /**
   * Uses a cluster shipshape did not create: node pools, workload identities and access grants can
   * be added to it. The plan reads the cluster and fails when it runs another Kubernetes version
   * than `kubernetesVersion`, sits in another VPC than `network`, or does not use access entries.
   */
  public static fromClusterAttributes(scope: Construct, id: string, attrs: EksClusterAttributes): IEksCluster {
    return new ImportedEksCluster(scope, id, attrs);
  }

  public readonly clusterName: string;
  public readonly clusterNameRef: string;
  public readonly kubernetesVersion: string;
  public readonly network: INetwork;
  public readonly environment: EnvironmentProfile;
  public readonly region: string;
  public readonly account?: string;
  public readonly oidcProviderArn: string;
  public readonly oidcIssuer: string;
  public readonly oidcIssuerHost: string;
  /** ARN of the customer-managed KMS key (secrets, control-plane logs, node volumes) (token); always set on a cluster shipshape creates. */
  public readonly encryptionKeyArn?: string;
  public readonly clusterSecurityGroupId: string;
  public readonly endpoint: string;
  public readonly certificateAuthorityData: string;
  public readonly autoMode: boolean;
  public readonly resourceTags: { [key: string]: string };
  /** Name of the Terraform output carrying the OIDC issuer URL. */
  public readonly oidcIssuerOutput: string;
  /** Name of the Terraform output carrying the API server endpoint. */
  public readonly endpointOutput: string;
  /** Name of the Terraform output carrying the certificate authority data (base64). */
  public readonly certificateAuthorityOutput: string;
  /** Name of the Terraform output carrying the cluster name. */
  public readonly clusterNameOutput: string;
  /** Name of the Terraform output carrying the `aws eks update-kubeconfig` command. */
  public readonly kubeconfigCommandOutput: string;
  /** The `aws eks update-kubeconfig` command for this cluster (plain). */
  public readonly kubeconfigCommand: string;
  /** Whether the public API endpoint is on. */
  public readonly publicEndpoint: boolean;
  /** The pinned add-on versions. */
  public readonly addonVersions: AddonVersions;
  /** The support policy. */
  public readonly supportType: SupportType;
  /** Whether zonal shift is on. */
  public readonly zonalShift: boolean;
  /** Whether Terraform refuses to destroy the cluster. */
  public readonly deletionProtection: boolean;
  /**
   * The version the cluster is raised from.
   * @default - no upgrade declared
   */
  public readonly upgradeFrom?: string;
  /** Escape hatch: the EKS cluster resource. */
  public readonly resource: EksClusterResource;
  /** Escape hatch: the cluster IAM role. */
  public readonly role: IamRole;
  /**
   * Escape hatch: the node IAM role of EKS Auto Mode.
   * @default - none without Auto Mode
   */
  public readonly autoModeNodeRole?: IamRole;
  /** Escape hatch: the customer-managed KMS key. */
  public readonly key: KmsKey;
  /** Escape hatch: the control-plane log group. */
  public readonly logGroup: CloudwatchLogGroup;
  /** Escape hatch: the IAM OIDC provider. */
  public readonly oidcProvider: IamOpenidConnectProvider;
  /** Escape hatch: the managed add-ons by name (`vpc-cni`, `coredns`, ...); none with Auto Mode. */
  public readonly addons: { [name: string]: EksAddon };
  /**
   * What scales the managed node groups.
   * @default - none with Auto Mode
   */
  public readonly nodeGroupScaling?: NodeGroupScaling;
  private readonly pools: NodePool[] = [];
  private readonly autoPools: KarpenterNodePool[] = [];
  /** The built-in Auto Mode pools enabled (`autoMode.nodePools`). */
  private readonly autoModeBuiltIn: string[] = [];
  private readonly identities: WorkloadIdentity[] = [];
  /** The object `profile` returns (made on its first read). */
  private liveProfile?: ClusterProfile;
  private loadBalancer?: LoadBalancerController;
  private autoscaler?: ClusterAutoscaler;
  private readonly autoscalerOptions?: ClusterAutoscalerOptions;
  private readonly grants: AccessGrants;
  private readonly vpcCni?: EksAddon;
  private readonly addonDependents: EksAddon[] = [];

  constructor(scope: Construct, id: string, props: EksClusterProps) {
    super(scope, id);
    TerraformPolicy._ensure(this);
    if (!props.network) fail(this, 'network', props.network, 'is required', 'pass a Network');
    this.network = props.network;
    this.region = props.network.region;
    if (props.environment !== undefined) Validators.environmentProfile(this, 'environment', props.environment);
    this.environment = props.environment ?? props.network.environment;
    this.resourceTags = renderCostTags(this, 'tags', props.tags ?? props.network.costTags);
    // the network's own tags were checked by the network; tags of the cluster's own, against the cluster's environment
    if (props.tags !== undefined) checkEnvironmentTag(this, props.environment ?? props.network.environment, this.environment, props.tags);
    this.clusterName = props.clusterName ?? Names.kebab(id);
    if (!/^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/.test(this.clusterName)) {
      fail(this, 'clusterName', this.clusterName, 'must be 1-100 letters, digits, - or _, starting with a letter or digit', 'pass a valid clusterName');
    }
    // EKS takes capitals, '_' and a trailing '-'; the names and labels shipshape gives Kubernetes objects after the
    // cluster do not (an imported cluster, whose name is given, gets names derived from it instead)
    if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(this.clusterName)) {
      fail(this, 'clusterName', this.clusterName, "must be lowercase letters, digits and '-', starting and ending with a letter or digit: "
        + 'shipshape names Kubernetes objects and labels after the cluster (Karpenter NodePools <clusterName>-<id>, '
        + 'the label app.kubernetes.io/part-of of its StorageClasses and IngressClasses), and Kubernetes refuses other names there',
      `pass clusterName: ${JSON.stringify(Names._kubernetesClusterName(this.clusterName))} (a cluster that already runs under this name, `
        + 'which EKS cannot rename, can be used through EksCluster.fromClusterAttributes)');
    }
    const version = props.version?.version;
    checkMinorForm(this, 'version', version);
    if (!isSupportedEksVersion(version)) {
      // the versions SS-EKS-007 accepts too (one list, EKS_KUBERNETES_VERSIONS)
      const supported = EKS_KUBERNETES_VERSIONS;
      fail(this, 'version', version, `must be a supported EKS Kubernetes version: ${supported.join(', ')}`,
        `pin one, for example KubernetesVersion.V${supported[supported.length - 1].replace('.', '_')}`);
    }
    this.kubernetesVersion = version;
    if (props.upgradeFrom !== undefined) this.upgradeFrom = this.checkUpgrade(props.upgradeFrom);
    this.addonVersions = props.addonVersions ?? PINNED_ADDON_VERSIONS[version];
    if (props.addonVersions) checkAddonVersions(this, props.addonVersions, version, PINNED_ADDON_VERSIONS[version]);
    if (props.account !== undefined && !/^\d{12}$/.test(props.account)) {
      fail(this, 'account', props.account, 'must be a 12-digit AWS account id', 'pass the account id or leave it out');
    }
    this.account = props.account;
    this.supportType = props.supportType ?? SupportType.STANDARD;
    if (!Object.values(SupportType).includes(this.supportType)) {
      fail(this, 'supportType', this.supportType, `must be one of ${Object.values(SupportType).join(', ')}`, 'use SupportType.STANDARD or SupportType.EXTENDED');
    }
    this.zonalShift = props.zonalShift ?? (this.environment !== EnvironmentProfile.DEVELOPMENT);
    this.deletionProtection = props.deletionProtection ?? (this.environment === EnvironmentProfile.PRODUCTION);
    this.autoMode = props.autoMode !== undefined;
    const autoPools = props.autoMode ? (props.autoMode.nodePools ?? [AutoModeNodePool.SYSTEM, AutoModeNodePool.GENERAL_PURPOSE]) : [];
    if (this.autoMode) {
      if (!Array.isArray(autoPools) || autoPools.length === 0) {
        fail(this, 'autoMode.nodePools', autoPools, 'must enable at least one built-in node pool (custom node classes with their own role are not supported)',
          'leave nodePools out for both built-in pools, or list AutoModeNodePool.SYSTEM and/or GENERAL_PURPOSE');
      }
      for (const p of autoPools) {
        if (!Object.values(AutoModeNodePool).includes(p)) {
          fail(this, 'autoMode.nodePools', p, `must be one of ${Object.values(AutoModeNodePool).join(', ')}`, 'use AutoModeNodePool.SYSTEM or GENERAL_PURPOSE');
        }
        if (!this.autoModeBuiltIn.includes(p)) this.autoModeBuiltIn.push(p);
      }
      if (props.addonVersions) {
        fail(this, 'addonVersions', props.addonVersions, 'must be left out with autoMode (EKS Auto Mode runs the networking and storage components itself)',
          'remove addonVersions');
      }
      if (props.nodeGroupScaling !== undefined || props.clusterAutoscaler !== undefined) {
        const prop = props.nodeGroupScaling !== undefined ? 'nodeGroupScaling' : 'clusterAutoscaler';
        fail(this, prop, props.nodeGroupScaling ?? props.clusterAutoscaler, 'must be left out with autoMode (EKS Auto Mode scales its own nodes and has no managed node group)',
          `remove ${prop}`);
      }
    } else {
      this.nodeGroupScaling = props.nodeGroupScaling
        ?? (props.network.internetAccess || props.clusterAutoscaler !== undefined ? NodeGroupScaling.CLUSTER_AUTOSCALER : NodeGroupScaling.NONE);
      if (!Object.values(NodeGroupScaling).includes(this.nodeGroupScaling)) {
        fail(this, 'nodeGroupScaling', this.nodeGroupScaling, `must be one of ${Object.values(NodeGroupScaling).join(', ')}`, 'use NodeGroupScaling.CLUSTER_AUTOSCALER');
      }
      if (props.clusterAutoscaler !== undefined && this.nodeGroupScaling !== NodeGroupScaling.CLUSTER_AUTOSCALER) {
        fail(this, 'clusterAutoscaler', props.clusterAutoscaler, `must be left out with nodeGroupScaling ${this.nodeGroupScaling} (shipshape adds no cluster-autoscaler then)`,
          'remove clusterAutoscaler, or use NodeGroupScaling.CLUSTER_AUTOSCALER');
      }
      // bad options fail here, not when the first pool that can grow brings the autoscaler in
      if (props.clusterAutoscaler !== undefined) resolveAutoscalerOptions(this, 'clusterAutoscaler.', version, this.environment, props.clusterAutoscaler);
      this.autoscalerOptions = props.clusterAutoscaler;
    }
    // before anything of the cluster is claimed (its add-on identities, node pools): a second EksCluster of this name
    // would otherwise be refused for the first of those that collides (the vpc-cni identity), not for its name
    claimClusterName(this, props.clusterName === undefined);
    for (const p of autoPools) claimNodePoolName(this, this, 'autoMode.nodePools', p, `${this.node.path} (EKS Auto Mode built-in pool)`);

    const cidrs = props.publicAccessCidrs ?? [];
    for (const c of cidrs) {
      const p = parseCidr(c);
      if (!p) {
        fail(this, 'publicAccessCidrs', c, 'must be IPv4 network CIDRs (a.b.c.d/n, no host bits set)', "write it like '203.0.113.0/24'");
      }
      if (p.prefix === 0) {
        fail(this, 'publicAccessCidrs', c, 'must not contain 0.0.0.0/0 (the API endpoint would be open to the internet)',
          'list your office or CI egress ranges, or leave publicAccessCidrs out to keep the endpoint private');
      }
      const reserved = NON_PUBLIC_RANGES.find((r) => cidrContains(parseCidr(r.cidr)!, p));
      if (reserved) {
        fail(this, 'publicAccessCidrs', c,
          `must be public addresses: it lies in ${reserved.cidr} (${reserved.what}), which never reaches the public endpoint (EKS refuses such ranges in publicAccessCidrs)`,
          'callers in private networks (the VPC, peered VPCs, VPN or Direct Connect) reach the API through the private endpoint, which is always on: '
          + "remove the range, and list the public egress addresses of your offices or CI, for example '203.0.113.0/24'");
      }
    }
    if (coversEveryIpv4Address(cidrs)) {
      fail(this, 'publicAccessCidrs', cidrs.join(', '), 'must not add up to every IPv4 address, as 0.0.0.0/0 does (the API endpoint would be open to the internet)',
        'list your office or CI egress ranges, or leave publicAccessCidrs out to keep the endpoint private');
    }
    this.publicEndpoint = cidrs.length > 0;
    const retention = props.logRetentionDays ?? 365;
    if (!LOG_RETENTION_DAYS.includes(retention) || retention < 365) {
      fail(this, 'logRetentionDays', retention, `must be one of CloudWatch Logs' retention values of at least 365 days (${LOG_RETENTION_DAYS.filter((d) => d >= 365).join(', ')})`,
        `use ${nearestLogRetention(retention, 365)}`);
    }

    const ctx = AwsContext.of(this);
    if (this.account) ctx.expectAccount(this, 'account', this.account);
    const tags = this.resourceTags;
    const arnPrefix = `arn:${ctx.partitionIn(this.region)}`;

    // Customer-managed key: secrets envelope encryption, control-plane logs, node volumes.
    // Managed node groups launch their nodes through EC2 Auto Scaling, whose service-linked role encrypts the node volumes:
    // the key policy names that role, and KMS refuses the policy (MalformedPolicyDocumentException) in an account where
    // the role does not exist yet. Auto Mode has no managed node group (its nodes' volumes are created with the cluster
    // role, which IAM lets use the key): its key names no Auto Scaling principal.
    const autoscalingRole = `${arnPrefix}:iam::${ctx.accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
    const autoScalingStatements = this.autoMode ? [] : [
      {
        Sid: 'NodeVolumesViaAutoScaling',
        Effect: 'Allow',
        Principal: { AWS: autoscalingRole },
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
        Resource: '*',
      },
      {
        Sid: 'NodeVolumeGrantsViaAutoScaling',
        Effect: 'Allow',
        Principal: { AWS: autoscalingRole },
        Action: 'kms:CreateGrant',
        Resource: '*',
        Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
      },
    ];
    this.key = new KmsKey(this, 'key', {
      description: `${this.clusterName} EKS secrets, logs and node volumes`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: logKeyPolicy(ctx, this.region, `/aws/eks/${this.clusterName}/cluster`, autoScalingStatements),
      tags,
    });
    new KmsAlias(this, 'key-alias', { name: `alias/eks/${this.clusterName}`, targetKeyId: this.key.keyId });
    this.encryptionKeyArn = this.key.arn;

    this.logGroup = new CloudwatchLogGroup(this, 'log-group', {
      name: `/aws/eks/${this.clusterName}/cluster`,
      retentionInDays: retention,
      kmsKeyId: this.key.arn,
      tags,
    });

    this.role = new IamRole(this, 'role', {
      name: fitName(this.clusterName, '-cluster', MAX_IAM_ROLE_NAME),
      description: `EKS control plane of ${this.clusterName}`,
      assumeRolePolicy: policyJson([{
        Effect: 'Allow',
        Principal: { Service: 'eks.amazonaws.com' },
        // Auto Mode tags the sessions it opens to manage nodes, volumes and load balancers.
        Action: this.autoMode ? ['sts:AssumeRole', 'sts:TagSession'] : 'sts:AssumeRole',
      }]),
      tags,
    });
    const clusterPolicies = ['AmazonEKSClusterPolicy', ...(this.autoMode ? AUTO_MODE_CLUSTER_POLICIES : [])].map((p) =>
      new IamRolePolicyAttachment(this, p === 'AmazonEKSClusterPolicy' ? 'cluster-policy' : p, {
        role: this.role.name,
        policyArn: `${arnPrefix}:iam::aws:policy/${p}`,
      }));
    const keyPolicy = new IamRolePolicy(this, 'key-use', {
      role: this.role.name,
      name: 'secrets-encryption',
      policy: policyJson([{
        Effect: 'Allow',
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ListGrants', 'kms:DescribeKey'],
        Resource: this.key.arn,
      }]),
    });
    if (this.autoMode) {
      // Auto Mode's block storage creates the gp3 StorageClass's volumes with the cluster role and the cluster key.
      new IamRolePolicy(this, 'volume-key-use', { role: this.role.name, name: 'volume-encryption', policy: policyJson(renderStatements(this, 'volumeKey', volumeKeyStatements(this.key.arn))) });
    }

    let computeConfig: { enabled: boolean; nodePools: string[]; nodeRoleArn: string } | undefined;
    const autoNodeDependencies: ITerraformDependable[] = [];
    if (this.autoMode) {
      this.autoModeNodeRole = new IamRole(this, 'auto-node-role', {
        name: fitName(this.clusterName, '-auto-node', MAX_IAM_ROLE_NAME),
        description: `EKS Auto Mode nodes of ${this.clusterName}`,
        assumeRolePolicy: policyJson([{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }]),
        tags,
      });
      for (const p of ['AmazonEKSWorkerNodeMinimalPolicy', 'AmazonEC2ContainerRegistryPullOnly']) {
        autoNodeDependencies.push(new IamRolePolicyAttachment(this, `auto-node-${p}`, {
          role: this.autoModeNodeRole.name,
          policyArn: `${arnPrefix}:iam::aws:policy/${p}`,
        }));
      }
      // EKS creates the node role's access entry (type EC2, AmazonEKSAutoNodePolicy) itself.
      computeConfig = { enabled: true, nodePools: [...autoPools], nodeRoleArn: this.autoModeNodeRole.arn };
    }

    this.resource = new EksClusterResource(this, 'cluster', {
      name: this.clusterName,
      version: this.kubernetesVersion,
      roleArn: this.role.arn,
      vpcConfig: {
        subnetIds: this.network.privateSubnetIds,
        endpointPrivateAccess: true,
        endpointPublicAccess: this.publicEndpoint,
        publicAccessCidrs: this.publicEndpoint ? [...cidrs] : undefined,
      },
      encryptionConfig: { resources: ['secrets'], provider: { keyArn: this.key.arn } },
      enabledClusterLogTypes: [...LOG_TYPES],
      accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
      bootstrapSelfManagedAddons: false,
      upgradePolicy: { supportType: this.supportType },
      zonalShiftConfig: { enabled: this.zonalShift },
      computeConfig,
      storageConfig: this.autoMode ? { blockStorage: { enabled: true } } : undefined,
      kubernetesNetworkConfig: this.autoMode ? { elasticLoadBalancing: { enabled: true } } : undefined,
      tags,
      dependsOn: [this.logGroup, ...clusterPolicies, keyPolicy, ...autoNodeDependencies],
      lifecycle: this.deletionProtection ? { preventDestroy: true } : undefined,
    });
    if (this.publicEndpoint) {
      // The public endpoint was asked for explicitly, with an allow-list: record the opt-out of
      // SS-EKS-004 where reviewers see it (every policy report lists it with this reason).
      Policy.suppress(this.resource, 'SS-EKS-004',
        `public API endpoint requested explicitly with publicAccessCidrs (${cidrs.join(', ')}); the private endpoint stays on`);
    }
    if (this.autoMode) {
      Policy.suppress(this.resource, 'SS-EKS-022',
        'EKS Auto Mode runs pod networking, DNS, kube-proxy, EBS CSI and the Pod Identity agent itself; managed add-ons would be redundant. '
        + 'It enforces NetworkPolicies only once its network policy controller is switched on (the cluster\'s profile says they are not enforced, '
        + 'and the Kubernetes synth says so)');
    }
    if (props.upgradeCheck ?? true) this.addUpgradeCheck();
    this.clusterNameRef = this.resource.name;
    this.clusterSecurityGroupId = this.resource.vpcConfig.clusterSecurityGroupId;
    this.oidcIssuer = this.resource.identity.get(0).oidc.get(0).issuer;
    this.endpoint = this.resource.endpoint;
    this.certificateAuthorityData = this.resource.certificateAuthority.get(0).data;

    // A local keeps the IRSA trust policies plain JSON text (no quoted function arguments inside).
    this.oidcIssuerHost = new TerraformLocal(this, 'oidc-issuer-host', Fn.replace(this.oidcIssuer, 'https://', '')).asString;

    this.oidcProvider = new IamOpenidConnectProvider(this, 'oidc', {
      url: this.oidcIssuer,
      clientIdList: ['sts.amazonaws.com'],
      tags,
    });
    this.oidcProviderArn = this.oidcProvider.arn;

    // a Terraform name starts with a letter or '_': a cluster name may start with a digit
    const prefix = `${/^[0-9]/.test(this.clusterName) ? '_' : ''}${this.clusterName.replace(/-/g, '_')}`;
    const output = (outputId: string, name: string, value: string, description: string): string => {
      const out = new TerraformOutput(this, outputId, { value, description });
      out.overrideLogicalId(`${prefix}_${name}`);
      return `${prefix}_${name}`;
    };
    this.kubeconfigCommand = `aws eks update-kubeconfig --region ${this.region} --name ${this.clusterName}`;
    this.oidcIssuerOutput = output('oidc-issuer', 'oidc_issuer', this.oidcIssuer, `OIDC issuer of ${this.clusterName}`);
    this.endpointOutput = output('endpoint-output', 'endpoint', this.endpoint, `API server endpoint of ${this.clusterName}`);
    this.certificateAuthorityOutput = output('certificate-authority-output', 'certificate_authority_data', this.certificateAuthorityData,
      `Base64 certificate authority data of the ${this.clusterName} API server`);
    this.clusterNameOutput = output('cluster-name-output', 'cluster_name', this.clusterNameRef, 'EKS cluster name');
    this.kubeconfigCommandOutput = output('kubeconfig-output', 'update_kubeconfig', this.kubeconfigCommand,
      `Adds ${this.clusterName} to ~/.kube/config (run from a network that reaches the private endpoint)`);

    this.grants = new AccessGrants(this, this.clusterNameRef, tags, this.region);
    for (const admin of props.admins ?? []) this.grantClusterAdmin(admin);
    this.node.addValidation({ validate: () => this.validateCluster() });

    this.addons = {};
    if (!this.autoMode) {
      // Managed add-ons at pinned versions; vpc-cni and the EBS CSI driver get their own identities.
      const cniIdentity = new WorkloadIdentity(this, 'vpc-cni-identity', {
        cluster: this,
        namespace: 'kube-system',
        serviceAccount: 'aws-node',
        // the add-on's service_account_role_arn is an IRSA role
        mechanism: IdentityMechanism.IRSA,
        roleName: fitName(this.clusterName, '-vpc-cni', MAX_IAM_ROLE_NAME),
        managedPolicyArns: [`${arnPrefix}:iam::aws:policy/AmazonEKS_CNI_Policy`],
      });
      const ebsIdentity = new WorkloadIdentity(this, 'ebs-csi-identity', {
        cluster: this,
        namespace: 'kube-system',
        serviceAccount: 'ebs-csi-controller-sa',
        // the add-on's service_account_role_arn is an IRSA role
        mechanism: IdentityMechanism.IRSA,
        roleName: fitName(this.clusterName, '-ebs-csi', MAX_IAM_ROLE_NAME),
        managedPolicyArns: [`${arnPrefix}:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy`],
        // volumes of the gp3 StorageClass are encrypted with the cluster key
        statements: volumeKeyStatements(this.key.arn),
      });
      const addon = (name: string, addonVersion: string, extra: { serviceAccountRoleArn?: string; configurationValues?: string } = {}) =>
        new EksAddon(this, `addon-${name}`, {
          clusterName: this.clusterNameRef,
          addonName: name,
          addonVersion,
          resolveConflictsOnCreate: 'OVERWRITE',
          resolveConflictsOnUpdate: 'PRESERVE',
          tags,
          ...extra,
        });
      const v = this.addonVersions;
      this.vpcCni = addon('vpc-cni', v.vpcCni, {
        serviceAccountRoleArn: cniIdentity.roleArn,
        configurationValues: JSON.stringify({ enableNetworkPolicy: 'true' }),
      });
      const podIdentityAgent = addon('eks-pod-identity-agent', v.podIdentityAgent);
      const kubeProxy = addon('kube-proxy', v.kubeProxy);
      const coreDns = addon('coredns', v.coreDns);
      const ebs = addon('aws-ebs-csi-driver', v.ebsCsiDriver, { serviceAccountRoleArn: ebsIdentity.roleArn });
      this.addons['vpc-cni'] = this.vpcCni;
      this.addons['eks-pod-identity-agent'] = podIdentityAgent;
      this.addons['kube-proxy'] = kubeProxy;
      this.addons.coredns = coreDns;
      this.addons['aws-ebs-csi-driver'] = ebs;
      this.addonDependents.push(coreDns, ebs);
    }
  }

  /**
   * Adds a managed node group. Prerequisite, once per account: the EC2 Auto Scaling service-linked role
   * (`aws iam create-service-linked-role --aws-service-name autoscaling.amazonaws.com`), which the cluster key's policy
   * names so the node volumes can be encrypted with it.
   */
  public addNodePool(id: string, options: NodePoolOptions = {}): NodePool {
    if (this.autoMode) {
      fail(this, 'addNodePool', id, 'is not available with autoMode (EKS Auto Mode runs the nodes; managed node groups would need the add-ons Auto Mode replaces)',
        'declare more capacity as a Kubernetes NodePool for Auto Mode, or build the cluster without autoMode');
    }
    // the pool registers itself (_registerNodePool)
    return new NodePool(this, id, { ...options, cluster: this });
  }

  /**
   * Records a managed node group of this cluster (made by `addNodePool` or by `new NodePool(scope, id, { cluster })`):
   * it enters the profile, and is ordered after the VPC CNI and before the add-ons that need nodes.
   * @internal
   */
  public _registerNodePool(pool: NodePool): void {
    if (this.autoMode) {
      fail(pool, 'cluster', this.node.path, 'has autoMode: EKS Auto Mode runs the nodes, and managed node groups would need the add-ons Auto Mode replaces',
        'declare more capacity as a Kubernetes NodePool for Auto Mode (addAutoModeNodePool), or build the cluster without autoMode');
    }
    // Nodes need the CNI before they turn Ready; coredns and the CSI controller need nodes.
    if (this.vpcCni) pool.resource.dependsOn = [...(pool.resource.dependsOn ?? []), dependsOnRef(this.vpcCni)];
    for (const a of this.addonDependents) a.dependsOn = [...(a.dependsOn ?? []), dependsOnRef(pool.resource)];
    this.pools.push(pool);
    // the first pool the cluster-autoscaler can grow brings it in (a cluster whose pools are all fixed in size needs none)
    if (pool.autoscaled && this.nodeGroupScaling === NodeGroupScaling.CLUSTER_AUTOSCALER && !this.autoscaler) {
      this.autoscaler = buildOwnAutoscaler(this, () => new ClusterAutoscaler(this, 'cluster-autoscaler', { ...(this.autoscalerOptions ?? {}), cluster: this }));
      this.identities.push(this.autoscaler.identity);
    }
  }

  /**
   * What scales the managed node groups (read by `NodePool`).
   * @internal
   */
  public get _nodeGroupScaling(): NodeGroupScaling | undefined {
    return this.nodeGroupScaling;
  }

  /**
   * Adds an EKS Auto Mode NodePool beside the built-in ones (a karpenter.sh NodePool on Auto Mode's
   * `default` NodeClass; written as YAML by `k8s.karpenter.NodePool` from `profile.autoModeNodePools`).
   * Auto Mode replaces nodes after at most 21 days: `expireAfter` defaults to 336h and may not exceed 504h.
   */
  public addAutoModeNodePool(id: string, options: KarpenterNodePoolOptions): KarpenterNodePool {
    if (!this.autoMode) {
      fail(this, 'addAutoModeNodePool', id, 'needs a cluster with autoMode', 'set autoMode: {} on the cluster, or declare the pool with Karpenter.addNodePool');
    }
    const pool = new KarpenterNodePool(this, id, {
      expireAfter: '336h',
      ...options,
      cluster: this,
      nodeClass: { group: 'eks.amazonaws.com', kind: 'NodeClass', name: 'default' },
    });
    this.autoPools.push(pool);
    return pool;
  }

  /**
   * Adds an IAM role for one application, assumable only by one ServiceAccount of this cluster (IRSA: the OIDC
   * subject; Pod Identity: the session tags EKS sets for the cluster, namespace and ServiceAccount).
   */
  public addWorkloadIdentity(id: string, options: WorkloadIdentityOptions): WorkloadIdentity {
    const identity = new WorkloadIdentity(this, id, { ...options, cluster: this });
    this.identities.push(identity);
    return identity;
  }

  /**
   * Grants an IAM principal cluster-admin through an access entry and the
   * AmazonEKSClusterAdminPolicy access policy.
   * @param principalArn an IAM role or user ARN, of the partition of the cluster's region
   */
  public grantClusterAdmin(principalArn: string): void {
    this.grants.grantClusterAdmin(principalArn);
  }

  public grantAccess(principalArn: string, options: AccessGrantOptions): void {
    this.grants.grantAccess(principalArn, options);
  }

  public grantTeamAccess(entry: TeamAccessProfile): void {
    this.grants.grantTeam(this.clusterName, entry);
  }

  /**
   * Adds the AWS Load Balancer Controller: its identity (EKS Pod Identity, `kube-system/aws-load-balancer-controller`,
   * least privilege), its Helm release in `profile.helmReleases` and its IngressClass (`alb`, the default) in
   * `profile.ingressClasses`. EKS Auto Mode clusters run their own controller (class `eks.amazonaws.com/alb`, in the
   * profile already): there the call is refused.
   */
  public addLoadBalancerController(options: LoadBalancerControllerOptions = {}): LoadBalancerController {
    if (this.loadBalancer) {
      fail(this, 'addLoadBalancerController', this.loadBalancer.node.path, 'was already called: a cluster runs one AWS Load Balancer Controller',
        'keep the controller the first call returned');
    }
    this.loadBalancer = new LoadBalancerController(this, 'load-balancer-controller', { ...options, cluster: this });
    this.identities.push(this.loadBalancer.identity);
    return this.loadBalancer;
  }

  /**
   * Adds the identity external-dns runs with (EKS Pod Identity, `external-dns/external-dns` by default, the
   * ServiceAccount `k8s.platform.AddOnPack.externalDns()` uses): record changes and reads in the given hosted zones
   * only, and the list of hosted zones (which Route 53 cannot scope).
   */
  public addExternalDnsIdentity(options: ExternalDnsIdentityOptions): WorkloadIdentity {
    const zones = options?.hostedZoneIds;
    if (!Array.isArray(zones) || zones.length === 0) {
      fail(this, 'hostedZoneIds', zones, 'must list at least one Route 53 hosted zone id', "pass the zones external-dns manages, for example ['Z0123456789ABCDEFGHIJ']");
    }
    for (const z of zones) {
      if (typeof z !== 'string' || !(Token.isUnresolved(z) || /^Z[0-9A-Z]{1,32}$/.test(z))) {
        fail(this, 'hostedZoneIds', z, 'must be Route 53 hosted zone ids (Z followed by letters and digits, without /hostedzone/)', "write the id alone, for example 'Z0123456789ABCDEFGHIJ'");
      }
    }
    const partition = AwsContext.of(this).partitionIn(this.region);
    return this.addWorkloadIdentity('external-dns', {
      namespace: options.namespace ?? 'external-dns',
      serviceAccount: options.serviceAccount ?? 'external-dns',
      mechanism: IdentityMechanism.POD_IDENTITY,
      roleName: fitName(this.clusterName, '-external-dns', MAX_IAM_ROLE_NAME),
      statements: [
        {
          sid: 'RecordsInGivenZones',
          actions: ['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets', 'route53:ListTagsForResource', 'route53:ListTagsForResources'],
          resources: zones.map((z) => `arn:${partition}:route53:::hostedzone/${z}`),
        },
        { sid: 'ListZones', actions: ['route53:ListHostedZones'], resources: ['*'] },
      ],
    });
  }

  /**
   * The AWS Load Balancer Controller added with `addLoadBalancerController()`.
   * @default - none
   */
  public get loadBalancerController(): LoadBalancerController | undefined {
    return this.loadBalancer;
  }

  /**
   * The cluster-autoscaler that scales the managed node groups (`nodeGroupScaling` `CLUSTER_AUTOSCALER`, added with the
   * first pool that can grow).
   * @default - none: no pool can grow, or another `nodeGroupScaling`
   */
  public get clusterAutoscaler(): ClusterAutoscaler | undefined {
    return this.autoscaler;
  }

  /** The node pools added so far. */
  public get nodePools(): NodePool[] {
    return [...this.pools];
  }

  /**
   * What workloads need to know about the cluster, as plain values (for the Kubernetes side).
   *
   * The same object on every read, and its fields are read live: a `k8s.App` given it sees the node pools, workload
   * identities and controllers added to the cluster afterwards, so the order of those calls does not matter.
   */
  public get profile(): ClusterProfile {
    if (this.liveProfile === undefined) {
      // one object whose fields are read when they are read: a k8s.App made from it before addNodePool(),
      // addWorkloadIdentity() or addLoadBalancerController() still sees what they add (the order of calls does not
      // matter, as in the AWS CDK). A jsii client gets a copy of the fields' values at the time it reads the profile.
      const view = {} as ClusterProfile;
      const fields = this.profileFields();
      for (const key of Object.keys(fields) as Array<keyof ClusterProfile>) {
        Object.defineProperty(view, key, { get: fields[key], enumerable: true, configurable: false });
      }
      this.liveProfile = Object.freeze(view);
    }
    return this.liveProfile;
  }

  /** How each field of `profile` is computed from the cluster as it is when the field is read. */
  private profileFields(): { [K in keyof ClusterProfile]?: () => ClusterProfile[K] } {
    return {
      clusterName: () => this.clusterName,
      kubernetesVersion: () => this.kubernetesVersion,
      environment: () => this.environment,
      region: () => this.region,
      account: () => this.account,
      zones: () => [...this.network.availabilityZones],
      nodePools: () => this.pools.map((p) => p._toProfile()),
      storageClasses: () => [{
        name: 'gp3',
        // Auto Mode's block storage answers to its own provisioner name.
        provisioner: this.autoMode ? 'ebs.csi.eks.amazonaws.com' : 'ebs.csi.aws.com',
        isDefault: true,
        // The cluster's customer-managed key, by its alias (the key ARN is known only after apply). The EBS CSI driver
        // passes kmsKeyId to EC2 CreateVolume, which takes a key or alias, by name or ARN.
        parameters: { type: 'gp3', encrypted: 'true', fsType: 'ext4', kmsKeyId: this.volumeKeyAlias },
        volumeBindingMode: 'WaitForFirstConsumer',
        allowVolumeExpansion: true,
        reclaimPolicy: 'Delete',
      }],
      // Auto Mode enforces NetworkPolicy only once its network policy controller is switched on
      // (ConfigMap amazon-vpc-cni in kube-system: enable-network-policy-controller: "true").
      networkPolicyEnforced: () => !this.autoMode,
      oidcIssuerOutput: () => this.oidcIssuerOutput,
      workloadIdentities: () => this.identities.map((i) => i._toProfile()),
      karpenter: () => karpenterProfileOf(this),
      autoMode: () => this.autoMode,
      autoModeBuiltInPools: () => (this.autoMode ? [...this.autoModeBuiltIn] : undefined),
      autoModeNodePools: () => (this.autoMode ? this.autoPools.map((p) => p.profile) : undefined),
      vpcCidr: () => (Token.isUnresolved(this.network.vpcCidr) ? undefined : this.network.vpcCidr),
      internetAccess: () => this.network.internetAccess,
      // Auto Mode runs an ALB controller of its own (internal ALBs unless an IngressClassParams says otherwise).
      ingressClasses: () => this.ingressClassProfiles(),
      helmReleases: () => this.helmReleaseProfiles(karpenterProfileOf(this)),
    };
  }

  /**
   * The cluster key as the gp3 StorageClass names it: the alias ARN when the account is known, else the alias name.
   */
  public get volumeKeyAlias(): string {
    const alias = `alias/eks/${this.clusterName}`;
    return this.account ? `arn:${partitionOf(this.region)}:kms:${this.region}:${this.account}:${alias}` : alias;
  }

  private ingressClassProfiles(): IngressClassProfile[] | undefined {
    // Auto Mode runs an ALB controller of its own (internal ALBs unless an IngressClassParams says otherwise).
    if (this.autoMode) return [{ name: 'alb', controller: 'eks.amazonaws.com/alb', isDefault: true }];
    return this.loadBalancer ? [this.loadBalancer.ingressClass] : undefined;
  }

  private helmReleaseProfiles(karpenter: KarpenterProfile | undefined): HelmReleaseProfile[] | undefined {
    // Auto Mode's nodes carry the NVIDIA device plugin themselves
    const gpu = this.autoMode ? undefined : gpuDevicePluginRelease(this.pools, karpenter);
    const releases = [
      ...(karpenter ? [karpenter.controller] : []),
      ...(this.loadBalancer ? [this.loadBalancer.release] : []),
      ...(this.autoscaler ? [this.autoscaler.release] : []),
      ...(gpu ? [gpu] : []),
    ];
    return releases.length > 0 ? releases : undefined;
  }

  private checkUpgrade(from: KubernetesVersion): string {
    const fromVersion = from?.version;
    checkMinorForm(this, 'upgradeFrom', fromVersion);
    const fromMinor = minorOf(fromVersion);
    const toMinor = minorOf(this.kubernetesVersion);
    if (Number.isNaN(fromMinor)) {
      fail(this, 'upgradeFrom', fromVersion, 'must be a Kubernetes minor version such as 1.32', 'pass the version the cluster runs today, for example KubernetesVersion.V1_32');
    }
    if (toMinor < fromMinor) {
      fail(this, 'version', this.kubernetesVersion, `must not be lower than upgradeFrom (${fromVersion}): EKS cannot downgrade a control plane`,
        `keep version at ${fromVersion} or higher`);
    }
    if (toMinor - fromMinor > 1) {
      fail(this, 'version', this.kubernetesVersion, `may be at most one minor version above upgradeFrom (${fromVersion}): EKS raises a control plane one minor version at a time`,
        `set version to 1.${fromMinor + 1} and apply, then raise it to ${this.kubernetesVersion} with upgradeFrom 1.${fromMinor + 1}`);
    }
    return fromVersion;
  }

  /** Plan-time guard: the running cluster (if any) is at most one minor version below `version`, never above. */
  private addUpgradeCheck(): void {
    const existing = new DataAwsEksClusters(this, 'existing-clusters');
    const running = new DataAwsEksCluster(this, 'running', {
      name: this.clusterName,
      count: Token.asNumber(Fn.conditional(Fn.contains(existing.names, this.clusterName), 1, 0)),
    });
    const ref = rawDataRef(running);
    const toMinor = minorOf(this.kubernetesVersion);
    // a version that is no "1.N" (a mocked data source in a terraform test) is refused with the message, not an index error
    const minor = 'try(tonumber(split(".", v)[1]), -1)';
    this.resource.lifecycle = {
      ...(this.resource.lifecycle ?? {}),
      precondition: [{
        condition: `\${alltrue([for v in ${ref}[*].version : ${minor} >= ${toMinor - 1} && ${minor} <= ${toMinor}])}`,
        errorMessage: `EKS cluster ${this.clusterName} runs Kubernetes \${join("", ${ref}[*].version)}, and ${this.node.path} (version) sets ${this.kubernetesVersion}: `
          + 'EKS raises a control plane one minor version at a time and never lowers it. Set version to the next minor version after the running one '
          + '(with upgradeFrom set to the running one), apply, and repeat.',
      }],
    };
  }

  /**
   * Managed add-ons need nodes: CoreDNS and the EBS CSI controller tolerate only the CriticalAddonsOnly taint, and
   * aws_eks_addon waits for their pods (DEGRADED until its create timeout, about 20 minutes) when no node takes them.
   * Undefined when some managed node group takes them (no NO_SCHEDULE / NO_EXECUTE taint other than CriticalAddonsOnly,
   * and at least one node at creation), or when the cluster runs EKS Auto Mode. A cluster without node groups but with
   * Karpenter is left to Karpenter's own check (its controller needs a managed node group too).
   */
  private addonPlacementProblem(): string | undefined {
    if (this.autoMode) return undefined;
    const blocking = (p: NodePool) => p.taints.filter((t) => t.key !== 'CriticalAddonsOnly' && (t.effect === 'NO_SCHEDULE' || t.effect === 'NO_EXECUTE'));
    if (this.pools.some((p) => blocking(p).length === 0 && p.desiredSize >= 1)) return undefined;
    const fix = "add a node pool the add-ons can run on: without taints, or tainted CriticalAddonsOnly only, with at least one node (for example cluster.addNodePool('system', "
      + "{ taints: [{ key: 'CriticalAddonsOnly', value: 'true', effect: TaintEffect.NO_SCHEDULE }] })), or use autoMode";
    if (this.pools.length === 0) {
      if (karpenterProfileOf(this) !== undefined) return undefined;
      return formatValidationMessage({
        path: this.node.path,
        prop: 'nodePools',
        value: '[]',
        allowed: 'must include a managed node group: the managed add-ons CoreDNS and the EBS CSI controller need nodes, and terraform apply would wait '
          + 'for them (aws_eks_addon DEGRADED) until its create timeout of about 20 minutes',
        fix,
      });
    }
    const effects: { [e: string]: string } = { NO_SCHEDULE: 'NoSchedule', PREFER_NO_SCHEDULE: 'PreferNoSchedule', NO_EXECUTE: 'NoExecute' };
    const described = this.pools.map((p) => {
      const taints = blocking(p).map((t) => `${t.key}${t.value !== undefined ? `=${t.value}` : ''}:${effects[t.effect] ?? t.effect}`);
      return taints.length > 0 ? `${p.name} (${taints.join(', ')})` : `${p.name} (desiredSize ${p.desiredSize})`;
    });
    return formatValidationMessage({
      path: this.node.path,
      prop: 'nodePools',
      value: show(described),
      allowed: 'must include a managed node group CoreDNS and the EBS CSI controller can run on (they tolerate only the CriticalAddonsOnly taint): '
        + 'every pool has another NoSchedule/NoExecute taint or no node, so their pods stay Pending and terraform apply waits for the add-ons '
        + '(aws_eks_addon DEGRADED) until its create timeout of about 20 minutes',
      fix,
    });
  }

  private validateCluster(): string[] {
    const errors: string[] = [];
    if (this.grants.clusterAdmins === 0) {
      errors.push(`${this.node.path}: admins ([]) must grant at least one IAM principal cluster-wide AccessPolicy.CLUSTER_ADMIN `
        + '(a cluster no one can administer can only be repaired through AWS support); '
        + "pass admins: ['arn:aws:iam::123456789012:role/platform-admin'] or call grantClusterAdmin()");
    }
    const addonProblem = this.addonPlacementProblem();
    if (addonProblem) errors.push(addonProblem);
    // a Network reports its own region; an imported one (or one planned with another provider) is checked here
    const regionProblem = providerRegionProblem(this, 'network.region', this.region, this.resource,
      `the cluster would be created in the provider's region, away from its subnets (${this.network.node.path}), and terraform apply fails; `
        + 'kubeconfigCommand and the Kubernetes side would also name the wrong region');
    const networkReports = this.network instanceof Network && providerRegionProblem(this.network, 'region', this.region, this.network.resource, '') !== undefined;
    if (regionProblem && !networkReports) errors.push(regionProblem);
    if (!this.network.internetAccess) {
      const missing = missingEndpoints(this.network, REQUIRED_NODE_ENDPOINTS);
      if (missing.length > 0) {
        errors.push(`${this.node.path}: network (${this.network.node.path}) has no internet access and no VPC endpoint for ${missing.join(', ')}, `
          + 'which nodes need to join the cluster and pull images; add a VpcEndpoints construct for the network (its default services cover them)');
      }
    }
    return errors;
  }
}

/** An existing cluster (`EksCluster.fromClusterAttributes`). */
class ImportedEksCluster extends Construct implements IEksCluster {
  public readonly clusterName: string;
  public readonly clusterNameRef: string;
  public readonly kubernetesVersion: string;
  public readonly network: INetwork;
  public readonly environment: EnvironmentProfile;
  public readonly region: string;
  public readonly account?: string;
  public readonly oidcProviderArn: string;
  public readonly oidcIssuer: string;
  public readonly oidcIssuerHost: string;
  public readonly encryptionKeyArn?: string;
  public readonly clusterSecurityGroupId: string;
  public readonly endpoint: string;
  public readonly certificateAuthorityData: string;
  public readonly autoMode = false;
  public readonly cniPolicyOnNodeRole: boolean;
  public readonly resourceTags: { [key: string]: string };
  private readonly grants: AccessGrants;
  private readonly scaling: NodeGroupScaling;

  constructor(scope: Construct, id: string, attrs: EksClusterAttributes) {
    super(scope, id);
    TerraformPolicy._ensure(this);
    if (!attrs.network) fail(this, 'network', attrs.network, 'is required', 'pass the network the cluster runs in (Network.fromNetworkAttributes for an existing VPC)');
    this.network = attrs.network;
    this.region = attrs.network.region;
    this.environment = attrs.environment ?? attrs.network.environment;
    this.resourceTags = renderCostTags(this, 'tags', attrs.tags ?? attrs.network.costTags);
    if (typeof attrs.clusterName !== 'string' || !/^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/.test(attrs.clusterName)) {
      fail(this, 'clusterName', attrs.clusterName, 'must be 1-100 letters, digits, - or _, starting with a letter or digit', 'pass the name of the existing cluster');
    }
    this.clusterName = attrs.clusterName;
    const version = attrs.kubernetesVersion?.version;
    checkMinorForm(this, 'kubernetesVersion', version);
    if (Number.isNaN(minorOf(version))) {
      fail(this, 'kubernetesVersion', version, 'must be a Kubernetes minor version such as 1.33', 'pass the version the cluster runs (aws eks describe-cluster)');
    }
    this.kubernetesVersion = version;
    if (attrs.account !== undefined && !/^\d{12}$/.test(attrs.account)) {
      fail(this, 'account', attrs.account, 'must be a 12-digit AWS account id', 'pass the account id or leave it out');
    }
    this.account = attrs.account;
    checkIamArnPartition(this, 'encryptionKeyArn', attrs.encryptionKeyArn, this.region,
      'the node volumes and the key grants of the node roles would name a KMS key of another partition, which AWS refuses at apply');
    this.encryptionKeyArn = attrs.encryptionKeyArn;
    this.cniPolicyOnNodeRole = attrs.cniPolicyOnNodeRole ?? false;
    this.scaling = attrs.nodeGroupScaling ?? NodeGroupScaling.EXTERNAL;
    if (this.scaling !== NodeGroupScaling.EXTERNAL && this.scaling !== NodeGroupScaling.NONE) {
      fail(this, 'nodeGroupScaling', this.scaling, 'must be NodeGroupScaling.EXTERNAL or NONE on a cluster shipshape did not create (it adds no autoscaler there)',
        'keep EXTERNAL and build a ClusterAutoscaler for the cluster, handing its release to the Kubernetes side');
    }
    const ctx = AwsContext.of(this);
    if (this.account) ctx.expectAccount(this, 'account', this.account);
    markImportedCluster(this);

    const cluster = new DataAwsEksCluster(this, 'cluster', {
      name: this.clusterName,
      lifecycle: {
        postcondition: [
          {
            condition: `\${self.version == "${version}"}`,
            errorMessage: `EKS cluster ${this.clusterName} runs Kubernetes \${self.version}, but ${this.node.path} (kubernetesVersion) says ${version}: `
              + 'node pools would be built for the wrong version. Set kubernetesVersion to the running version.',
          },
          {
            // a reference (a Network built or read in this app) goes in bare: inside the expression cdktf writes it without
            // its own interpolation, so quoted it would be compared as the literal text "aws_vpc.x.id"
            condition: Token.isUnresolved(this.network.vpcId)
              ? `\${self.vpc_config[0].vpc_id == ${this.network.vpcId}}`
              : `\${self.vpc_config[0].vpc_id == "${this.network.vpcId}"}`,
            errorMessage: `EKS cluster ${this.clusterName} runs in VPC \${self.vpc_config[0].vpc_id}, not in the network given to ${this.node.path}: pass the cluster's own network.`,
          },
          {
            condition: '${contains(["API", "API_AND_CONFIG_MAP"], self.access_config[0].authentication_mode)}',
            errorMessage: `EKS cluster ${this.clusterName} uses authentication mode \${self.access_config[0].authentication_mode}; `
              + `${this.node.path} grants access through access entries, which need API or API_AND_CONFIG_MAP: switch the cluster's authentication mode first.`,
          },
        ],
      },
    });
    this.clusterNameRef = cluster.name;
    this.endpoint = cluster.endpoint;
    this.certificateAuthorityData = cluster.certificateAuthority.get(0).data;
    this.clusterSecurityGroupId = cluster.vpcConfig.get(0).clusterSecurityGroupId;
    this.oidcIssuer = cluster.identity.get(0).oidc.get(0).issuer;
    this.oidcIssuerHost = new TerraformLocal(this, 'oidc-issuer-host', Fn.replace(this.oidcIssuer, 'https://', '')).asString;
    const account = this.account ?? ctx.accountId;
    checkIamArnPartition(this, 'oidcProviderArn', attrs.oidcProviderArn, this.region,
      'the IAM roles of IRSA workload identities would trust an OIDC provider of another partition, which IAM refuses at apply');
    this.oidcProviderArn = attrs.oidcProviderArn ?? `arn:${ctx.partitionIn(this.region)}:iam::${account}:oidc-provider/${this.oidcIssuerHost}`;
    this.grants = new AccessGrants(this, this.clusterNameRef, this.resourceTags, this.region);
  }

  public addNodePool(id: string, options: NodePoolOptions = {}): NodePool {
    return new NodePool(this, id, { ...options, cluster: this });
  }

  /**
   * What scales the managed node groups (read by `NodePool`).
   * @internal
   */
  public get _nodeGroupScaling(): NodeGroupScaling {
    return this.scaling;
  }

  public addWorkloadIdentity(id: string, options: WorkloadIdentityOptions): WorkloadIdentity {
    return new WorkloadIdentity(this, id, { ...options, cluster: this });
  }

  public grantAccess(principalArn: string, options: AccessGrantOptions): void {
    this.grants.grantAccess(principalArn, options);
  }

  public grantTeamAccess(entry: TeamAccessProfile): void {
    this.grants.grantTeam(this.clusterName, entry);
  }
}

/**
 * What EBS needs from whoever creates volumes with the key: data keys, re-encryption and grants for EBS itself
 * (`kms:GrantIsForAWSResource`), on that key only.
 */
function volumeKeyStatements(keyArn: string): PolicyStatement[] {
  return [
    { sid: 'VolumeKeyUse', actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'], resources: [keyArn] },
    {
      sid: 'VolumeKeyGrantsForEbs',
      actions: ['kms:CreateGrant'],
      resources: [keyArn],
      conditions: [{ test: 'Bool', variable: 'kms:GrantIsForAWSResource', values: ['true'] }],
    },
  ];
}
