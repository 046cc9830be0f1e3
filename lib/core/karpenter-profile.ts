import { TaintProfile, WorkloadIdentityProfile } from './cluster-profile';

/**
 * A Helm chart release described as plain values, for a GitOps tool (an Argo CD Application) or
 * `helm upgrade --install` to install. Nothing in it is a Terraform token.
 */
export interface HelmReleaseProfile {
  /** The chart repository, for example `oci://public.ecr.aws/karpenter`. */
  readonly repository: string;
  /** The chart name, for example `karpenter`. */
  readonly chart: string;
  /** The exact chart version, for example `1.14.1`. */
  readonly version: string;
  /** The release name. */
  readonly releaseName: string;
  /** The namespace the release is installed into. */
  readonly namespace: string;
  /**
   * The chart values, flattened to Helm `--set` paths (`settings.clusterName`); a dot inside a key
   * is escaped as `\.`. Each maps to an Argo CD `spec.source.helm.parameters` entry or a `--set` flag.
   */
  readonly values: { [path: string]: string };
  /** The ServiceAccount the chart's pods run as (in `namespace`). */
  readonly serviceAccountName: string;
  /**
   * The IAM identity bound to that ServiceAccount.
   * @default - the release needs no AWS identity
   */
  readonly identity?: WorkloadIdentityProfile;
}

/**
 * One disruption budget of a Karpenter NodePool: how many nodes may be disrupted at once,
 * optionally only for some reasons or only during a schedule.
 */
export interface KarpenterDisruptionBudgetProfile {
  /** A node count (`"0"`, `"2"`) or a share of the pool's nodes (`"10%"`). */
  readonly nodes: string;
  /**
   * The disruption reasons the budget applies to: `Empty`, `Drifted`, `Underutilized`.
   * @default - every reason
   */
  readonly reasons?: string[];
  /**
   * A cron schedule (UTC) at which the budget starts to apply, for example `0 9 * * mon-fri`.
   * @default - always
   */
  readonly schedule?: string;
  /**
   * How long the budget applies after each `schedule` start, for example `8h`.
   * @default - always (no schedule)
   */
  readonly duration?: string;
}

/**
 * A Karpenter NodePool as plain values: the nodes it may launch, their labels and taints, its limits
 * and how Karpenter may disrupt its nodes.
 */
export interface KarpenterNodePoolProfile {
  /** The NodePool name (also the `shipshape.dev/node-pool` label of its nodes). */
  readonly name: string;
  /** API group of the node class the pool launches from: `karpenter.k8s.aws` (EC2NodeClass) or `eks.amazonaws.com` (EKS Auto Mode NodeClass). */
  readonly nodeClassGroup: string;
  /** Kind of the node class: `EC2NodeClass` or `NodeClass`. */
  readonly nodeClassKind: string;
  /** Name of the node class. */
  readonly nodeClassName: string;
  /** Labels of every node of the pool. */
  readonly labels: { [key: string]: string };
  /** Taints of every node of the pool, in Kubernetes spelling. */
  readonly taints: TaintProfile[];
  /** Capacity types Karpenter may buy: `on-demand`, `spot`, `reserved`. */
  readonly capacityTypes: string[];
  /** CPU architectures: `amd64`, `arm64`. */
  readonly architectures: string[];
  /**
   * Instance categories (`c`, `m`, `r` ...); ignored when `instanceTypes` is set.
   * @default - any category
   */
  readonly instanceCategories?: string[];
  /**
   * The oldest instance generation: this one and newer (`6` allows m6i and m7i, not m5), written as the requirement
   * `instance-generation Gt <minInstanceGeneration - 1>`.
   * @default - any generation
   */
  readonly minInstanceGeneration?: number;
  /**
   * Exact instance types.
   * @default - chosen by Karpenter within the categories
   */
  readonly instanceTypes?: string[];
  /** The availability zones nodes may be launched in. */
  readonly zones: string[];
  /** The most vCPUs the pool's nodes may hold in total (`spec.limits.cpu`). */
  readonly cpuLimit: number;
  /** The most memory the pool's nodes may hold in total, in GiB (`spec.limits.memory`). */
  readonly memoryLimitGiB: number;
  /** `WhenEmptyOrUnderutilized` or `WhenEmpty`. */
  readonly consolidationPolicy: string;
  /** How long a node must be empty or underutilized before Karpenter consolidates it (`30s`, `5m`, `Never`). */
  readonly consolidateAfter: string;
  /** The longest a node may live before it is replaced (`720h`, `Never`). */
  readonly expireAfter: string;
  /**
   * The longest Karpenter waits for pods to drain from a node it disrupts before it deletes them.
   * @default - waits for as long as pod disruption budgets block the drain
   */
  readonly terminationGracePeriod?: string;
  /** Disruption budgets (at least one). */
  readonly disruptionBudgets: KarpenterDisruptionBudgetProfile[];
  /**
   * Priority over other pools (higher first).
   * @default - no weight
   */
  readonly weight?: number;
}

/**
 * An EC2NodeClass as plain values: the node IAM role (or instance profile), the discovery tags that
 * select subnets and security groups, the AMI and the node volumes.
 */
export interface KarpenterNodeClassProfile {
  /** The EC2NodeClass name. */
  readonly name: string;
  /**
   * The node IAM role name; Karpenter manages an instance profile for it.
   * @default - none: `instanceProfileName` is used
   */
  readonly roleName?: string;
  /**
   * The instance profile name (private clusters, where Karpenter cannot reach the IAM API).
   * @default - none: `roleName` is used
   */
  readonly instanceProfileName?: string;
  /** Tags that select the node subnets (`karpenter.sh/discovery: <cluster>`). */
  readonly subnetSelectorTags: { [key: string]: string };
  /** Tags that select the node security groups (`karpenter.sh/discovery: <cluster>`). */
  readonly securityGroupSelectorTags: { [key: string]: string };
  /** The AMI selector alias, for example `al2023@v20250704` or `bottlerocket@latest`. */
  readonly amiAlias: string;
  /** Size of the root (AL2023) or data (Bottlerocket) volume, in GiB. */
  readonly volumeSizeGiB: number;
  /**
   * The KMS key (id, ARN, alias name or alias ARN) that encrypts the node volumes.
   * @default - the account's default EBS key
   */
  readonly volumeKmsKeyId?: string;
  /** Tags on every instance, volume and network interface Karpenter launches (cost attribution). */
  readonly tags: { [key: string]: string };
}

/**
 * What the Kubernetes side needs to run Karpenter on a cluster: the controller's Helm release
 * (chart, version, values, identity), the node class and the node pools, as plain values.
 */
export interface KarpenterProfile {
  /** The EKS cluster name. */
  readonly clusterName: string;
  /** The Karpenter version (the chart and controller version). */
  readonly version: string;
  /** Name of the SQS queue that carries interruption events. */
  readonly interruptionQueueName: string;
  /** The controller's Helm release. */
  readonly controller: HelmReleaseProfile;
  /** The node class. */
  readonly nodeClass: KarpenterNodeClassProfile;
  /** The node pools. */
  readonly nodePools: KarpenterNodePoolProfile[];
}
