import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { Ec2Tag } from '@cdktf/provider-aws/lib/ec2-tag';
import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import type { IEksCluster } from './eks-cluster';
import { TaintEffect, NodeTaint } from './node-pool';
import { PolicyStatement } from './policy-statement';
import { AwsContext, partitionOf, policyJson } from './private/aws-context';
import { checkInstanceTypeName } from './private/instance-type-name';
import { fitName, MAX_EVENT_RULE_NAME, MAX_IAM_ROLE_NAME, MAX_SQS_QUEUE_NAME } from './private/names';
import { checkReservedLabel, checkUniqueTaints, POOL_LABEL } from './private/pool-checks';
import { claimNodePoolName, claimSubnetDiscovery, hasNoManagedNodes, isOwnedCluster, missingEndpoints, setKarpenter } from './private/registry';
import { minorOf } from './private/versions';
import { TerraformPolicy } from './terraform-policy';
import { IdentityMechanism, WorkloadIdentity } from './workload-identity';
import { checkAmiReleaseForVersion, exampleAmiAlias } from '../core/ami-release';
import { TaintProfile } from '../core/cluster-profile';
import { fail, warn } from '../core/errors';
import { InstanceTypes } from '../core/instance-types';
import { HelmReleaseProfile, KarpenterDisruptionBudgetProfile, KarpenterNodePoolProfile, KarpenterProfile } from '../core/karpenter-profile';
import { poolRequirements } from '../core/karpenter-requirements';
import { Names } from '../core/names';
import { EnvironmentProfile } from '../core/profile';
import { Validators } from '../core/validators';

/** The Karpenter release shipshape pins (chart and controller), and the Kubernetes minor versions it supports. */
const KARPENTER_VERSION = '1.14.1';
const KARPENTER_KUBERNETES = { min: 30, max: 36 };
const DISCOVERY_TAG = 'karpenter.sh/discovery';
const DURATION = /^(([0-9]+(s|m|h))+|Never)$/;

/** Hours in a Karpenter duration (`1h30m` -> 1.5). */
function hoursOf(duration: string): number {
  let hours = 0;
  for (const m of duration.matchAll(/([0-9]+)(s|m|h)/g)) hours += Number(m[1]) / (m[2] === 'h' ? 1 : m[2] === 'm' ? 60 : 3600);
  return hours;
}

/**
 * Capacity types Karpenter may buy.
 */
export enum KarpenterCapacityType {
  /** On-demand instances. */
  ON_DEMAND = 'on-demand',
  /** Spot instances (Karpenter picks the cheapest pools and handles interruptions through the queue). */
  SPOT = 'spot',
  /** Capacity reservations (On-Demand Capacity Reservations or Capacity Blocks). */
  RESERVED = 'reserved',
}

/**
 * CPU architectures.
 */
export enum CpuArchitecture {
  /** x86_64. */
  AMD64 = 'amd64',
  /** arm64 (Graviton). */
  ARM64 = 'arm64',
}

/**
 * When Karpenter may consolidate nodes.
 */
export enum ConsolidationPolicy {
  /** Remove empty nodes and replace underutilized ones with cheaper ones. */
  WHEN_EMPTY_OR_UNDERUTILIZED = 'WhenEmptyOrUnderutilized',
  /** Remove empty nodes only. */
  WHEN_EMPTY = 'WhenEmpty',
}

/**
 * Why Karpenter disrupts a node.
 */
export enum DisruptionReason {
  /** The node runs no workload pods. */
  EMPTY = 'Empty',
  /** The node no longer matches its NodePool or node class (for example a new AMI). */
  DRIFTED = 'Drifted',
  /** A cheaper set of nodes could run the pods. */
  UNDERUTILIZED = 'Underutilized',
}

/**
 * A disruption budget of a Karpenter NodePool.
 */
export interface KarpenterDisruptionBudget {
  /** A node count (`'0'`, `'2'`) or a share of the pool's nodes (`'10%'`). `'0'` blocks disruption. */
  readonly nodes: string;
  /**
   * The reasons the budget applies to.
   * @default - every reason
   */
  readonly reasons?: DisruptionReason[];
  /**
   * A cron schedule (UTC) at which the budget starts to apply, for example `'0 9 * * mon-fri'`.
   * @default - always
   */
  readonly schedule?: string;
  /**
   * How long the budget applies after each start of `schedule`, for example `'8h'`.
   * @default - required with `schedule`, not allowed without
   */
  readonly duration?: string;
}

/**
 * Options of `Karpenter.addNodePool()`.
 */
export interface KarpenterNodePoolOptions {
  /**
   * The NodePool name (unique per cluster across managed node groups and Karpenter pools).
   * @default - `<cluster name>-<id in kebab case>` (the name of an imported cluster in lowercase, `_` as `-`)
   */
  readonly name?: string;
  /** The most vCPUs the pool's nodes may hold in total: the pool's cost ceiling. */
  readonly maxCpu: number;
  /**
   * The most memory the pool's nodes may hold in total, in GiB.
   * @default - 4 GiB per vCPU of maxCpu
   */
  readonly maxMemoryGiB?: number;
  /**
   * Capacity types.
   * @default [KarpenterCapacityType.ON_DEMAND]
   */
  readonly capacityTypes?: KarpenterCapacityType[];
  /**
   * CPU architectures.
   * @default [CpuArchitecture.AMD64]
   */
  readonly architectures?: CpuArchitecture[];
  /**
   * Instance categories.
   * @default ['c', 'm', 'r']
   */
  readonly instanceCategories?: string[];
  /**
   * The oldest instance generation the pool launches: this one and newer (`6` allows m6i and m7i, not m5), a whole
   * number from 1 to 20. Written as the requirement `instance-generation Gt <minInstanceGeneration - 1>`.
   * @default 6
   */
  readonly minInstanceGeneration?: number;
  /**
   * Exact instance types, instead of categories and generation. A type of a CPU architecture not in `architectures` is
   * refused (`c7g.large` with the default `[CpuArchitecture.AMD64]`): the pool would require both, and no instance meets them.
   * @default - any type of the categories and generations
   */
  readonly instanceTypes?: string[];
  /**
   * The zones nodes may launch in.
   * @default - every zone of the cluster's network
   */
  readonly zones?: string[];
  /**
   * Labels of every node. Refused, as Karpenter refuses them: keys of the karpenter.sh domain but
   * `karpenter.sh/capacity-type`, of the karpenter.k8s.aws domain but the instance properties its NodePool CRD lists,
   * `kubernetes.io/hostname`, and keys of the kubernetes.io and k8s.io domains (and their subdomains) other than
   * `node.kubernetes.io/*`, `node-restriction.kubernetes.io/*`, `kops.k8s.io/*` and the well-known `kubernetes.io/arch`,
   * `kubernetes.io/os`, `topology.kubernetes.io/zone` and `topology.kubernetes.io/region`. Also refused: a label whose
   * key the pool's own requirements constrain (`karpenter.sh/capacity-type`, `kubernetes.io/arch`, `kubernetes.io/os`,
   * `topology.kubernetes.io/zone`, `node.kubernetes.io/instance-type`, the instance category and generation) with a value
   * they exclude: Karpenter adds template labels to the requirements, and the pool would never launch a node. The key
   * `shipshape.dev/node-pool` is reserved: shipshape sets it to the pool's name.
   * @default - only `shipshape.dev/node-pool: <name>`
   */
  readonly labels?: { [key: string]: string };
  /**
   * Taints of every node, at most one per key and effect (Kubernetes refuses a node with two).
   * @default - none
   */
  readonly taints?: NodeTaint[];
  /**
   * When Karpenter may consolidate.
   * @default ConsolidationPolicy.WHEN_EMPTY_OR_UNDERUTILIZED
   */
  readonly consolidationPolicy?: ConsolidationPolicy;
  /**
   * How long a node must be empty or underutilized before it is consolidated (`30s`, `5m`, `Never`).
   * @default '1m'
   */
  readonly consolidateAfter?: string;
  /**
   * The longest a node lives before it is replaced (`720h`, `Never`): nodes pick up new AMIs and
   * credentials rotate.
   * @default '720h'
   */
  readonly expireAfter?: string;
  /**
   * The longest Karpenter waits for a disrupted node to drain before deleting its pods (`24h`).
   * @default - no limit: pod disruption budgets can hold a node forever
   */
  readonly terminationGracePeriod?: string;
  /**
   * Disruption budgets.
   * @default [{ nodes: '10%' }]
   */
  readonly disruptionBudgets?: KarpenterDisruptionBudget[];
  /**
   * Priority over other pools (1-100, higher first).
   * @default - no weight
   */
  readonly weight?: number;
}

/**
 * The node class a NodePool launches from.
 */
export interface NodeClassReference {
  /** The API group: `karpenter.k8s.aws` (Karpenter's EC2NodeClass) or `eks.amazonaws.com` (EKS Auto Mode's NodeClass). */
  readonly group: string;
  /** The kind: `EC2NodeClass` or `NodeClass`. */
  readonly kind: string;
  /** The node class name. */
  readonly name: string;
}

/**
 * Properties of a `KarpenterNodePool`.
 */
export interface KarpenterNodePoolProps extends KarpenterNodePoolOptions {
  /** The cluster the pool provisions nodes for. */
  readonly cluster: IEksCluster;
  /** The node class the pool launches from. */
  readonly nodeClass: NodeClassReference;
}

/**
 * Properties of `Karpenter`.
 */
export interface KarpenterProps {
  /** The cluster Karpenter provisions nodes for. */
  readonly cluster: IEksCluster;
  /**
   * The Karpenter version (chart and controller). shipshape's EC2NodeClass and NodePool objects
   * are written for the v1 API and validated against Karpenter 1.14's CRDs.
   * @default '1.14.1'
   */
  readonly version?: string;
  /**
   * Namespace of the controller.
   * @default 'kube-system'
   */
  readonly namespace?: string;
  /**
   * The controller's ServiceAccount.
   * @default 'karpenter'
   */
  readonly serviceAccount?: string;
  /**
   * How the controller gets its IAM role.
   * @default IdentityMechanism.POD_IDENTITY
   */
  readonly identityMechanism?: IdentityMechanism;
  /**
   * Name of the interruption queue.
   * @default - `<cluster name>-karpenter`; when that exceeds 80 characters, the cluster name is cut and a short hash of
   * the whole name added (`<cut name>-<hash>-karpenter`)
   */
  readonly interruptionQueueName?: string;
  /**
   * Name of the node IAM role.
   * @default - `<cluster name>-karpenter-node`; when that exceeds 64 characters, the cluster name is cut and a short hash
   * of the whole name added (`<cut name>-<hash>-karpenter-node`)
   */
  readonly nodeRoleName?: string;
  /**
   * Give nodes a Terraform-managed instance profile (EC2NodeClass `instanceProfile`) instead of
   * letting Karpenter manage one for the role (`role`), which needs the IAM API.
   * @default - true when the network has no internet access (IAM has no VPC endpoint)
   */
  readonly instanceProfile?: boolean;
  /**
   * The EC2NodeClass AMI alias: `al2023@<version>` or `bottlerocket@<version>`. Pin a version in
   * production (`al2023@v20251007`) so new AMIs roll out when you raise it (as drift, within the
   * pools' disruption budgets), not whenever AWS publishes one. In production (the cluster's environment), leaving
   * amiAlias out prints a warning on construction (also recorded as `shipshape:warning` metadata on the construct):
   * pin a version, or pass `'al2023@latest'` explicitly to choose the latest AMI and silence it. Karpenter resolves
   * the alias for the cluster's Kubernetes version: an `al2023` release published more than three weeks before EKS
   * supported that version has no AMI for it, and is refused.
   * @default 'al2023@latest'
   */
  readonly amiAlias?: string;
  /**
   * Attach AmazonSSMManagedInstanceCore to the node role, so operators reach nodes through Systems Manager Session
   * Manager instead of SSH (no open port, no key). The policy also lets a node read any Parameter Store parameter of
   * the account (ssm:GetParameter on every resource; SecureString values still need their KMS key): turn it off where
   * nodes must not, and reach them otherwise (EKS node monitoring, kubectl debug node/...).
   * @default true
   */
  readonly sessionManager?: boolean;
  /**
   * Node root (AL2023) or data (Bottlerocket) volume size, in GiB (encrypted gp3).
   * @default 50
   */
  readonly volumeSizeGiB?: number;
  /**
   * The chart repository (mirror it for a cluster without internet access).
   * @default 'oci://public.ecr.aws/karpenter'
   */
  readonly chartRepository?: string;
  /**
   * Controller replicas.
   * @default - 2, or 1 in development
   */
  readonly replicas?: number;
}

/**
 * One Karpenter NodePool, of Karpenter (`Karpenter.addNodePool`) or of EKS Auto Mode
 * (`EksCluster.addAutoModeNodePool`). Declared on the AWS side so its name is checked against every
 * other pool of the cluster; written as YAML by `k8s.karpenter.NodePool` from `profile`.
 */
export class KarpenterNodePool extends Construct {
  /** The NodePool name. */
  public readonly name: string;
  private readonly spec: KarpenterNodePoolProfile;

  constructor(scope: Construct, id: string, props: KarpenterNodePoolProps) {
    super(scope, id);
    const options = props;
    const cluster = props.cluster;
    if (!cluster) fail(this, 'cluster', cluster, 'is required', 'pass the EksCluster');
    const nodeClass = props.nodeClass;
    if (!nodeClass || !['karpenter.k8s.aws', 'eks.amazonaws.com'].includes(nodeClass.group)) {
      fail(this, 'nodeClass.group', nodeClass?.group, 'must be karpenter.k8s.aws or eks.amazonaws.com', 'use Karpenter.addNodePool or EksCluster.addAutoModeNodePool');
    }
    if (typeof nodeClass.kind !== 'string' || !/^[A-Z][A-Za-z0-9]*$/.test(nodeClass.kind)) {
      fail(this, 'nodeClass.kind', nodeClass.kind, 'must be a Kubernetes kind such as EC2NodeClass or NodeClass', 'use Karpenter.addNodePool or EksCluster.addAutoModeNodePool');
    }
    // the cluster's name as Kubernetes names can carry it: unchanged for a cluster shipshape creates (EksCluster takes
    // no other), lowercase with '-' for '_' for an imported one (EKS takes capitals, '_' and a trailing '-')
    this.name = Names.dnsSubdomain(this, 'name', options.name ?? `${Names._kubernetesClusterName(cluster.clusterName)}-${Names.kebab(id)}`);
    if (this.name.length > 63) {
      if (options.name === undefined) {
        fail(this, 'name', this.name, `must be at most 63 characters (it is also a label value); it derives from clusterName (${cluster.clusterName.length} characters) and the construct id, as <clusterName>-<id>`,
          'pass a name of at most 63 characters for the pool (name), or give the cluster a shorter clusterName');
      }
      fail(this, 'name', this.name, 'must be at most 63 characters (it is also a label value)', 'pass a shorter name');
    }
    const maxCpu = options.maxCpu;
    if (!Number.isInteger(maxCpu) || maxCpu < 1) {
      fail(this, 'maxCpu', maxCpu, 'must be a whole number of vCPUs >= 1 (the pool\'s ceiling: without it Karpenter scales without bound)', 'set maxCpu, for example 200');
    }
    const maxMemory = options.maxMemoryGiB ?? maxCpu * 4;
    if (!Number.isInteger(maxMemory) || maxMemory < 1) fail(this, 'maxMemoryGiB', maxMemory, 'must be a whole number of GiB >= 1', 'set maxMemoryGiB, for example 800');
    const capacityTypes = this.enumList('capacityTypes', options.capacityTypes ?? [KarpenterCapacityType.ON_DEMAND], Object.values(KarpenterCapacityType));
    const architectures = this.enumList('architectures', options.architectures ?? [CpuArchitecture.AMD64], Object.values(CpuArchitecture));
    if (options.instanceTypes !== undefined && (options.instanceCategories !== undefined || options.minInstanceGeneration !== undefined)) {
      fail(this, 'instanceTypes', options.instanceTypes, 'must not be combined with instanceCategories or minInstanceGeneration', 'give exact instance types, or categories and a generation');
    }
    let instanceTypes: string[] | undefined;
    let categories: string[] | undefined;
    let generation: number | undefined;
    if (options.instanceTypes !== undefined) {
      instanceTypes = this.list('instanceTypes', options.instanceTypes, /./, 'EC2 instance types such as m7i.large');
      for (const t of instanceTypes) checkInstanceTypeName(this, 'instanceTypes', t);
      // the pool requires kubernetes.io/arch In <architectures> beside node.kubernetes.io/instance-type In <types>: a type
      // of another architecture meets the second requirement and never the first, so Karpenter never launches it
      const mismatched = instanceTypes.filter((t) => {
        const arch = InstanceTypes._architecture(t);
        return arch !== undefined && !architectures.includes(arch);
      });
      if (mismatched.length > 0) {
        fail(this, 'instanceTypes', mismatched.join(', '), `must match the CPU architecture of architectures (${architectures.join(', ')}): `
          + `the pool requires kubernetes.io/arch In [${architectures.join(', ')}], so Karpenter would never launch ${mismatched.length === 1 ? 'it' : 'them'}`,
        architectures.includes(CpuArchitecture.AMD64)
          ? 'add CpuArchitecture.ARM64 to architectures for Graviton instance types, or use x86 instance types'
          : 'add CpuArchitecture.AMD64 to architectures for x86 instance types, or use Graviton instance types');
      }
    } else {
      categories = this.list('instanceCategories', options.instanceCategories ?? ['c', 'm', 'r'], /^[a-z]+$/, 'instance categories such as c, m, r');
      generation = options.minInstanceGeneration ?? 6;
      if (!Number.isInteger(generation) || generation < 1 || generation > 20) {
        fail(this, 'minInstanceGeneration', generation, 'must be a whole number between 1 and 20 (the oldest instance generation the pool launches)',
          'use 6 (sixth generation and newer)');
      }
    }
    const netZones = cluster.network.availabilityZones;
    const zones = this.list('zones', options.zones ?? [...netZones], /^[a-z]{2}(-[a-z]+)+-\d[a-z]$/, 'availability zones');
    for (const z of zones) {
      if (!netZones.includes(z)) fail(this, 'zones', z, `must be zones of the cluster's network (${netZones.join(', ')})`, 'list zones the private subnets are in');
    }
    checkReservedLabel(this, options.labels, this.name);
    for (const key of Object.keys(options.labels ?? {})) {
      const why = karpenterRefusesLabel(key);
      if (why) fail(this, 'labels', key, why, 'use a key in your own domain, such as example.com/<name>, and choose instance properties with the pool\'s options (instanceTypes, capacityTypes, …)');
    }
    const labels = Validators.labels(this, 'labels', { ...(options.labels ?? {}), [POOL_LABEL]: this.name });
    const requirements = poolRequirements({
      nodeClassGroup: nodeClass.group, capacityTypes, architectures, instanceTypes, instanceCategories: categories, minInstanceGeneration: generation, zones,
    });
    for (const [key, value] of Object.entries(options.labels ?? {})) {
      const req = requirements.find((r) => r.key === key);
      if (!req || (req.operator === 'In' ? req.values.includes(value) : /^[0-9]+$/.test(value) && Number(value) > Number(req.values[0]))) continue;
      const wanted = req.operator === 'In' ? `one of ${req.values.join(', ')}` : `a whole number greater than ${req.values[0]}`;
      fail(this, 'labels', `${key}=${value}`, `contradicts the pool's requirement ${key} ${req.operator} ${req.operator === 'In' ? `[${req.values.join(', ')}]` : req.values[0]}: `
        + 'Karpenter adds each template label to the pool\'s requirements, so no node could meet both and the pool would never launch one',
      `leave the label out (each node carries ${key} anyway) or make it ${wanted}; ${requirementOption(key)}`);
    }
    const effects: { [e: string]: string } = { NO_SCHEDULE: 'NoSchedule', PREFER_NO_SCHEDULE: 'PreferNoSchedule', NO_EXECUTE: 'NoExecute' };
    const taints: TaintProfile[] = (options.taints ?? []).map((t) => {
      Validators.taintKey(this, 'taints.key', t.key);
      if (t.value !== undefined) Names.labelValue(this, 'taints.value', t.value);
      if (!Object.values(TaintEffect).includes(t.effect)) {
        fail(this, 'taints.effect', t.effect, `must be one of ${Object.values(TaintEffect).join(', ')}`, 'use TaintEffect.NO_SCHEDULE');
      }
      return { key: t.key, value: t.value, effect: effects[t.effect] };
    });
    checkUniqueTaints(this, options.taints ?? []);
    const consolidationPolicy = options.consolidationPolicy ?? ConsolidationPolicy.WHEN_EMPTY_OR_UNDERUTILIZED;
    this.enumList('consolidationPolicy', [consolidationPolicy], Object.values(ConsolidationPolicy));
    const consolidateAfter = this.duration('consolidateAfter', options.consolidateAfter ?? '1m');
    const expireAfter = this.duration('expireAfter', options.expireAfter ?? '720h');
    if (nodeClass.group === 'eks.amazonaws.com' && (expireAfter === 'Never' || hoursOf(expireAfter) > 504)) {
      fail(this, 'expireAfter', expireAfter, 'must be at most 504h with EKS Auto Mode (Auto Mode replaces every node within 21 days)',
        "use '504h' or less, or leave expireAfter out for the Auto Mode default, '336h' (14 days)");
    }
    const terminationGracePeriod = options.terminationGracePeriod === undefined ? undefined : this.duration('terminationGracePeriod', options.terminationGracePeriod);
    if (terminationGracePeriod === 'Never') fail(this, 'terminationGracePeriod', 'Never', 'must be a duration (leave it out for no limit)', 'use a duration such as 24h');
    const budgets = (options.disruptionBudgets ?? [{ nodes: '10%' }]).map((b, i) => this.budget(i, b));
    if (budgets.length === 0) fail(this, 'disruptionBudgets', [], 'must list at least one budget', "use [{ nodes: '10%' }]");
    if (options.weight !== undefined && (!Number.isInteger(options.weight) || options.weight < 1 || options.weight > 100)) {
      fail(this, 'weight', options.weight, 'must be a whole number between 1 and 100', 'use 10');
    }
    claimNodePoolName(cluster, this, 'name', this.name);
    this.spec = {
      name: this.name,
      nodeClassGroup: nodeClass.group,
      nodeClassKind: nodeClass.kind,
      nodeClassName: Names.dnsSubdomain(this, 'nodeClass.name', nodeClass.name),
      labels,
      taints,
      capacityTypes,
      architectures,
      instanceCategories: categories,
      minInstanceGeneration: generation,
      instanceTypes,
      zones,
      cpuLimit: maxCpu,
      memoryLimitGiB: maxMemory,
      consolidationPolicy,
      consolidateAfter,
      expireAfter,
      terminationGracePeriod,
      disruptionBudgets: budgets,
      weight: options.weight,
    };
  }

  /** The pool as a plain value (for `k8s.karpenter.NodePool`). */
  public get profile(): KarpenterNodePoolProfile {
    return this.spec;
  }

  private enumList(prop: string, values: string[], allowed: string[]): string[] {
    if (!Array.isArray(values) || values.length === 0) fail(this, prop, values, 'must list at least one value', `use one of ${allowed.join(', ')}`);
    for (const v of values) if (!allowed.includes(v)) fail(this, prop, v, `must be one of ${allowed.join(', ')}`, `use one of ${allowed.join(', ')}`);
    const dup = values.find((v, i) => values.indexOf(v) !== i);
    if (dup) fail(this, prop, dup, 'appears twice', 'list each value once');
    return [...values];
  }

  private list(prop: string, values: string[], re: RegExp, what: string): string[] {
    if (!Array.isArray(values) || values.length === 0) fail(this, prop, values, `must list at least one of ${what}`, `list ${what}`);
    for (const v of values) if (typeof v !== 'string' || !re.test(v)) fail(this, prop, v, `must be ${what}`, 'fix the value');
    const dup = values.find((v, i) => values.indexOf(v) !== i);
    if (dup) fail(this, prop, dup, 'appears twice', 'list each value once');
    return [...values];
  }

  private duration(prop: string, value: string): string {
    if (typeof value !== 'string' || !DURATION.test(value)) {
      fail(this, prop, value, 'must be a duration of hours, minutes and seconds (30s, 5m, 1h30m) or Never', "write it like '720h'");
    }
    return value;
  }

  private budget(i: number, b: KarpenterDisruptionBudget): KarpenterDisruptionBudgetProfile {
    const p = `disruptionBudgets[${i}]`;
    const m = /^(\d+)(%?)$/.exec(String(b?.nodes));
    if (!m || (m[2] === '%' && Number(m[1]) > 100)) {
      fail(this, `${p}.nodes`, b?.nodes, "must be a node count ('0', '2') or a percentage up to 100% ('10%')", "use '10%'");
    }
    const reasons = b.reasons === undefined ? undefined : this.enumList(`${p}.reasons`, b.reasons, Object.values(DisruptionReason));
    if ((b.schedule === undefined) !== (b.duration === undefined)) {
      fail(this, `${p}.schedule`, b.schedule ?? null, 'and duration must be given together (a schedule says when the budget starts, duration how long it lasts)',
        "give both, for example schedule: '0 9 * * mon-fri', duration: '8h'");
    }
    if (b.schedule !== undefined && !/^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|(\S+\s+){4}\S+)$/.test(b.schedule.trim())) {
      fail(this, `${p}.schedule`, b.schedule, 'must be a cron expression of 5 fields or a macro such as @daily', "write it like '0 9 * * mon-fri'");
    }
    const duration = b.duration === undefined ? undefined : this.duration(`${p}.duration`, b.duration);
    if (duration === 'Never') fail(this, `${p}.duration`, duration, 'must be a duration', "use '8h'");
    return { nodes: b.nodes, reasons, schedule: b.schedule, duration };
  }
}

/**
 * Karpenter for an EKS cluster, end to end on the AWS side: the controller's IAM role (EKS Pod
 * Identity by default; least-privilege statements scoped to the cluster's tags), the interruption
 * queue (SSE, TLS-only, 5-minute retention) with the EventBridge rules that feed it (spot
 * interruption, rebalance recommendation, instance state change, scheduled change from AWS Health,
 * capacity reservation interruption), the node IAM role with its access entry (type EC2_LINUX), and
 * the `karpenter.sh/discovery` tag on the private subnets and the cluster security group.
 *
 * The Kubernetes side comes from `profile` (plain values): the controller's Helm release (chart,
 * exact version, values, ServiceAccount and identity) for a GitOps tool to install, and the
 * EC2NodeClass and NodePools that `k8s.karpenter.KarpenterResources` writes.
 */
export class Karpenter extends Construct {
  /** The cluster. */
  public readonly cluster: IEksCluster;
  /** The Karpenter version. */
  public readonly version: string;
  /** The controller namespace. */
  public readonly namespace: string;
  /** The controller ServiceAccount. */
  public readonly serviceAccount: string;
  /** The interruption queue name (plain). */
  public readonly interruptionQueueName: string;
  /** The node role name (plain). */
  public readonly nodeRoleName: string;
  /**
   * The instance profile name (plain), when nodes use a Terraform-managed one.
   * @default - Karpenter manages the instance profile
   */
  public readonly instanceProfileName?: string;
  /** The discovery tags on the private subnets and the cluster security group. */
  public readonly discoveryTags: { [key: string]: string };
  /** The EC2NodeClass name. */
  public readonly nodeClassName: string;
  /** Escape hatch: the controller's identity. */
  public readonly controllerIdentity: WorkloadIdentity;
  /** Escape hatch: the interruption queue. */
  public readonly queue: SqsQueue;
  /** Escape hatch: the EventBridge rules by name (`spot-interruption`, ...). */
  public readonly rules: { [name: string]: CloudwatchEventRule };
  /** Escape hatch: the node role. */
  public readonly nodeRole: IamRole;
  /** Escape hatch: the node role's access entry. */
  public readonly nodeAccessEntry: EksAccessEntry;
  private readonly pools: KarpenterNodePool[] = [];
  private readonly amiAlias: string;
  private readonly volumeSizeGiB: number;
  private readonly chartRepository: string;
  private readonly replicas: number;
  private readonly isolated: boolean;

  constructor(scope: Construct, id: string, props: KarpenterProps) {
    super(scope, id);
    TerraformPolicy._ensure(this);
    const cluster = props.cluster;
    if (!cluster) fail(this, 'cluster', cluster, 'is required', 'pass the EksCluster');
    this.cluster = cluster;
    if (cluster.autoMode) {
      fail(this, 'cluster', cluster.clusterName, 'runs EKS Auto Mode, which already runs Karpenter for its nodes',
        'declare more capacity as Auto Mode NodePools, or build the cluster without autoMode');
    }
    const minor = minorOf(cluster.kubernetesVersion);
    if (minor < KARPENTER_KUBERNETES.min || minor > KARPENTER_KUBERNETES.max) {
      fail(this, 'cluster', cluster.kubernetesVersion, `runs a Kubernetes version Karpenter ${KARPENTER_VERSION} does not support (1.${KARPENTER_KUBERNETES.min} to 1.${KARPENTER_KUBERNETES.max})`,
        `raise the cluster to 1.${KARPENTER_KUBERNETES.min} or later`);
    }
    this.version = props.version ?? KARPENTER_VERSION;
    if (!/^1\.\d+\.\d+$/.test(this.version)) {
      fail(this, 'version', this.version, 'must be an exact Karpenter 1.x release such as 1.14.1', 'pin an exact version');
    }
    this.namespace = Names.dnsLabel(this, 'namespace', props.namespace ?? 'kube-system');
    this.serviceAccount = Names.dnsSubdomain(this, 'serviceAccount', props.serviceAccount ?? 'karpenter');
    const name = cluster.clusterName;
    // derived names keep their distinguishing suffix whole within AWS limits (a long cluster name is cut and hashed)
    this.interruptionQueueName = props.interruptionQueueName ?? fitName(name, '-karpenter', MAX_SQS_QUEUE_NAME);
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(this.interruptionQueueName)) {
      fail(this, 'interruptionQueueName', this.interruptionQueueName, 'must be 1-80 letters, digits, - or _ (an SQS standard queue name)', 'pass a shorter name');
    }
    this.nodeRoleName = props.nodeRoleName ?? fitName(name, '-karpenter-node', MAX_IAM_ROLE_NAME);
    if (!/^[\w+=,.@-]{1,64}$/.test(this.nodeRoleName)) {
      fail(this, 'nodeRoleName', this.nodeRoleName, 'must be 1-64 characters of letters, digits and +=,.@_-', 'pass a shorter nodeRoleName');
    }
    this.amiAlias = props.amiAlias ?? 'al2023@latest';
    if (!/^(al2023|bottlerocket)@(latest|v[0-9][0-9.]*)$/.test(this.amiAlias)) {
      // the family and version are right but the "v" Karpenter's alias versions start with is missing
      const noV = /^(al2023|bottlerocket)@([0-9][0-9.]*)$/.exec(this.amiAlias);
      fail(this, 'amiAlias', this.amiAlias, `must be al2023@<version> or bottlerocket@<version> (container-optimised AMIs only)${noV ? ', the version written with a leading v' : ''}`,
        noV ? `write '${noV[1]}@v${noV[2]}'` : `use 'al2023@latest' or pin '${exampleAmiAlias(cluster.kubernetesVersion)}'`);
    }
    checkAmiReleaseForVersion(this, 'amiAlias', this.amiAlias, cluster.kubernetesVersion);
    if (props.amiAlias === undefined && cluster.environment === EnvironmentProfile.PRODUCTION) {
      const warning = `amiAlias is not set, so production nodes run ${this.amiAlias}: each AMI AWS publishes rolls out to them as drift, untested `
        + `(within the pools' disruption budgets); pin a release, for example amiAlias: '${exampleAmiAlias(cluster.kubernetesVersion)}', and raise it after testing, `
        + `or pass amiAlias: '${this.amiAlias}' to choose the latest AMI explicitly and silence this`;
      warn(this, warning);
    }
    this.volumeSizeGiB = props.volumeSizeGiB ?? 50;
    if (!Number.isInteger(this.volumeSizeGiB) || this.volumeSizeGiB < 20 || this.volumeSizeGiB > 16384) {
      fail(this, 'volumeSizeGiB', this.volumeSizeGiB, 'must be a whole number of GiB between 20 and 16384', 'use 50');
    }
    this.chartRepository = props.chartRepository ?? 'oci://public.ecr.aws/karpenter';
    if (!/^(oci|https):\/\/\S+$/.test(this.chartRepository)) {
      fail(this, 'chartRepository', this.chartRepository, 'must be an oci:// or https:// chart repository', "use 'oci://public.ecr.aws/karpenter' or your mirror");
    }
    this.replicas = props.replicas ?? (cluster.environment === EnvironmentProfile.DEVELOPMENT ? 1 : 2);
    if (!Number.isInteger(this.replicas) || this.replicas < 1) fail(this, 'replicas', this.replicas, 'must be a whole number >= 1', 'use 2');
    this.isolated = !cluster.network.internetAccess;
    const useInstanceProfile = props.instanceProfile ?? this.isolated;
    this.nodeClassName = 'default';
    this.discoveryTags = { [DISCOVERY_TAG]: name };
    setKarpenter(cluster, this, () => this.profile);
    this.node.addValidation({ validate: () => this.validateKarpenter() });

    const ctx = AwsContext.of(this);
    const partition = partitionOf(cluster.region);
    const region = cluster.region;
    const account = cluster.account ?? ctx.accountId;
    const tags = cluster.resourceTags;

    // Interruption queue and the events that feed it.
    this.queue = new SqsQueue(this, 'queue', {
      name: this.interruptionQueueName,
      messageRetentionSeconds: 300,
      sqsManagedSseEnabled: true,
      tags,
    });
    const events: Array<[string, string, string]> = [
      ['scheduled-change', 'aws.health', 'AWS Health Event'],
      ['spot-interruption', 'aws.ec2', 'EC2 Spot Instance Interruption Warning'],
      ['rebalance', 'aws.ec2', 'EC2 Instance Rebalance Recommendation'],
      ['instance-state-change', 'aws.ec2', 'EC2 Instance State-change Notification'],
      ['capacity-reservation-interruption', 'aws.ec2', 'EC2 Capacity Reservation Instance Interruption Warning'],
    ];
    this.rules = {};
    for (const [ruleId, source, detailType] of events) {
      const rule = new CloudwatchEventRule(this, ruleId, {
        name: fitName(name, `-karpenter-${ruleId}`, MAX_EVENT_RULE_NAME),
        description: `Karpenter (${name}): ${detailType} -> ${this.interruptionQueueName}`,
        eventPattern: JSON.stringify({ 'source': [source], 'detail-type': [detailType] }),
        tags,
      });
      new CloudwatchEventTarget(this, `${ruleId}-target`, { rule: rule.name, targetId: 'karpenter-interruption-queue', arn: this.queue.arn });
      this.rules[ruleId] = rule;
    }
    new SqsQueuePolicy(this, 'queue-policy', {
      queueUrl: this.queue.url,
      policy: policyJson([
        {
          Sid: 'EventBridgeRulesSend',
          Effect: 'Allow',
          Principal: { Service: 'events.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Resource: this.queue.arn,
          Condition: { ArnEquals: { 'aws:SourceArn': Object.values(this.rules).map((r) => r.arn) } },
        },
        {
          Sid: 'SqsSend',
          Effect: 'Allow',
          Principal: { Service: 'sqs.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Resource: this.queue.arn,
        },
        {
          Sid: 'DenyWithoutTls',
          Effect: 'Deny',
          Principal: '*',
          Action: 'sqs:*',
          Resource: this.queue.arn,
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ]),
    });

    // Node role: what a node needs to join and pull images; the CNI permissions live on the vpc-cni identity.
    this.nodeRole = new IamRole(this, 'node-role', {
      name: this.nodeRoleName,
      description: `Nodes Karpenter launches for ${name}`,
      assumeRolePolicy: policyJson([{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }]),
      tags,
    });
    const nodePolicies = ['AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryPullOnly', ...(props.sessionManager ?? true ? ['AmazonSSMManagedInstanceCore'] : [])].map((p) =>
      new IamRolePolicyAttachment(this, `node-${p}`, { role: this.nodeRole.name, policyArn: `arn:${ctx.partitionIn(cluster.region)}:iam::aws:policy/${p}` }));
    this.nodeAccessEntry = new EksAccessEntry(this, 'node-access-entry', {
      clusterName: cluster.clusterNameRef,
      principalArn: this.nodeRole.arn,
      type: 'EC2_LINUX',
      tags,
      dependsOn: nodePolicies,
    });
    if (useInstanceProfile) {
      this.instanceProfileName = this.nodeRoleName;
      new IamInstanceProfile(this, 'instance-profile', { name: this.instanceProfileName, role: this.nodeRole.name, tags });
    }

    // Discovery: the private subnets and the cluster security group.
    if (claimSubnetDiscovery(cluster.network, this, name)) cluster.network.addPrivateSubnetTags(this.discoveryTags);
    new Ec2Tag(this, 'cluster-sg-discovery', { resourceId: cluster.clusterSecurityGroupId, key: DISCOVERY_TAG, value: name });

    // Controller identity.
    const clusterTag = `aws:ResourceTag/kubernetes.io/cluster/${name}`;
    const requestClusterTag = `aws:RequestTag/kubernetes.io/cluster/${name}`;
    const ec2 = (resource: string) => `arn:${partition}:ec2:${region}:*:${resource}`;
    const launched = ['fleet/*', 'instance/*', 'volume/*', 'network-interface/*', 'launch-template/*', 'spot-instances-request/*'].map(ec2);
    const eq = (variable: string, ...values: string[]) => ({ test: 'StringEquals', variable, values });
    const like = (variable: string) => ({ test: 'StringLike', variable, values: ['*'] });
    const ownedResource = [eq(clusterTag, 'owned'), like('aws:ResourceTag/karpenter.sh/nodepool')];
    const ownedRequest = [eq(requestClusterTag, 'owned'), eq('aws:RequestTag/eks:eks-cluster-name', name), like('aws:RequestTag/karpenter.sh/nodepool')];
    const profileArn = `arn:${partition}:iam::${account}:instance-profile/*`;
    const statements: PolicyStatement[] = [
      {
        sid: 'LaunchFromSharedResources',
        actions: ['ec2:RunInstances', 'ec2:CreateFleet'],
        resources: [`arn:${partition}:ec2:${region}::image/*`, `arn:${partition}:ec2:${region}::snapshot/*`,
          ...['security-group/*', 'subnet/*', 'capacity-reservation/*', 'placement-group/*'].map(ec2)],
      },
      { sid: 'LaunchFromOwnTemplates', actions: ['ec2:RunInstances', 'ec2:CreateFleet'], resources: [ec2('launch-template/*')], conditions: ownedResource },
      { sid: 'CreateOwnedResources', actions: ['ec2:RunInstances', 'ec2:CreateFleet', 'ec2:CreateLaunchTemplate'], resources: launched, conditions: ownedRequest },
      {
        sid: 'TagOnCreate',
        actions: ['ec2:CreateTags'],
        resources: launched,
        conditions: [...ownedRequest, eq('ec2:CreateAction', 'RunInstances', 'CreateFleet', 'CreateLaunchTemplate')],
      },
      {
        sid: 'TagOwnedInstances',
        actions: ['ec2:CreateTags'],
        resources: [ec2('instance/*')],
        conditions: [...ownedResource,
          { test: 'StringEqualsIfExists', variable: 'aws:RequestTag/eks:eks-cluster-name', values: [name] },
          { test: 'ForAllValues:StringEquals', variable: 'aws:TagKeys', values: ['eks:eks-cluster-name', 'karpenter.sh/nodeclaim', 'Name'] }],
      },
      { sid: 'DeleteOwned', actions: ['ec2:TerminateInstances', 'ec2:DeleteLaunchTemplate'], resources: [ec2('instance/*'), ec2('launch-template/*')], conditions: ownedResource },
      {
        sid: 'PassNodeRole',
        actions: ['iam:PassRole'],
        resources: [this.nodeRole.arn],
        conditions: [eq('iam:PassedToService', 'ec2.amazonaws.com', 'ec2.amazonaws.com.cn')],
      },
      { sid: 'DescribeCluster', actions: ['eks:DescribeCluster'], resources: [`arn:${partition}:eks:${region}:${account}:cluster/${name}`] },
      { sid: 'InterruptionQueue', actions: ['sqs:DeleteMessage', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'], resources: [this.queue.arn] },
      {
        sid: 'RegionalReads',
        actions: ['ec2:DescribeCapacityReservations', 'ec2:DescribeImages', 'ec2:DescribeInstances', 'ec2:DescribeInstanceStatus',
          'ec2:DescribeInstanceTypeOfferings', 'ec2:DescribeInstanceTypes', 'ec2:DescribeLaunchTemplates', 'ec2:DescribePlacementGroups',
          'ec2:DescribeSecurityGroups', 'ec2:DescribeSpotPriceHistory', 'ec2:DescribeSubnets'],
        resources: ['*'],
        conditions: [eq('aws:RequestedRegion', region)],
      },
      { sid: 'AmiParameters', actions: ['ssm:GetParameter'], resources: [`arn:${partition}:ssm:${region}::parameter/aws/service/*`] },
      { sid: 'Pricing', actions: ['pricing:GetProducts'], resources: ['*'] },
      { sid: 'ReadInstanceProfiles', actions: ['iam:GetInstanceProfile'], resources: [profileArn] },
    ];
    if (!useInstanceProfile) {
      const regionTag = eq('aws:RequestTag/topology.kubernetes.io/region', region);
      statements.push(
        { sid: 'ListInstanceProfiles', actions: ['iam:ListInstanceProfiles'], resources: ['*'] },
        {
          sid: 'CreateInstanceProfiles',
          actions: ['iam:CreateInstanceProfile'],
          resources: [profileArn],
          conditions: [eq(requestClusterTag, 'owned'), eq('aws:RequestTag/eks:eks-cluster-name', name), regionTag, like('aws:RequestTag/karpenter.k8s.aws/ec2nodeclass')],
        },
        {
          sid: 'TagInstanceProfiles',
          actions: ['iam:TagInstanceProfile'],
          resources: [profileArn],
          conditions: [eq(clusterTag, 'owned'), eq('aws:ResourceTag/topology.kubernetes.io/region', region), eq(requestClusterTag, 'owned'),
            eq('aws:RequestTag/eks:eks-cluster-name', name), regionTag,
            { test: 'StringLike', variable: 'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass', values: ['*'] },
            like('aws:RequestTag/karpenter.k8s.aws/ec2nodeclass')],
        },
        {
          sid: 'ManageInstanceProfiles',
          actions: ['iam:AddRoleToInstanceProfile', 'iam:RemoveRoleFromInstanceProfile', 'iam:DeleteInstanceProfile'],
          resources: [profileArn],
          conditions: [eq(clusterTag, 'owned'), eq('aws:ResourceTag/topology.kubernetes.io/region', region), like('aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass')],
        },
      );
    }
    if (cluster.encryptionKeyArn) {
      statements.push({
        sid: 'NodeVolumeEncryption',
        actions: ['kms:CreateGrant', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:Decrypt', 'kms:DescribeKey', 'kms:ReEncrypt*'],
        resources: [cluster.encryptionKeyArn],
        conditions: [eq('kms:ViaService', `ec2.${region}.amazonaws.com`)],
      });
    }
    this.controllerIdentity = new WorkloadIdentity(this, 'controller', {
      cluster,
      namespace: this.namespace,
      serviceAccount: this.serviceAccount,
      mechanism: props.identityMechanism ?? IdentityMechanism.POD_IDENTITY,
      roleName: fitName(name, '-karpenter', MAX_IAM_ROLE_NAME),
      statements,
    });
  }

  /**
   * Declares a Karpenter NodePool (written by `k8s.karpenter.KarpenterResources` from the profile).
   */
  public addNodePool(id: string, options: KarpenterNodePoolOptions): KarpenterNodePool {
    const pool = new KarpenterNodePool(this, id, {
      ...options,
      cluster: this.cluster,
      nodeClass: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: this.nodeClassName },
    });
    this.pools.push(pool);
    return pool;
  }

  /**
   * The Kubernetes side, as plain values: the controller's Helm release, the EC2NodeClass and the
   * NodePools.
   */
  public get profile(): KarpenterProfile {
    const values: { [path: string]: string } = {
      'settings.clusterName': this.cluster.clusterName,
      'settings.interruptionQueue': this.interruptionQueueName,
      'serviceAccount.name': this.serviceAccount,
      'replicas': String(this.replicas),
      'controller.resources.requests.cpu': '1',
      'controller.resources.requests.memory': '1Gi',
      'controller.resources.limits.memory': '1Gi',
      'logLevel': 'info',
    };
    if (this.isolated) values['settings.isolatedVPC'] = 'true';
    const identity = this.controllerIdentity._toProfile();
    for (const [k, v] of Object.entries(identity.serviceAccountAnnotations)) values[`serviceAccount.annotations.${k.replace(/\./g, '\\.')}`] = v;
    const controller: HelmReleaseProfile = {
      repository: this.chartRepository,
      chart: 'karpenter',
      version: this.version,
      releaseName: 'karpenter',
      namespace: this.namespace,
      values,
      serviceAccountName: this.serviceAccount,
      identity,
    };
    return {
      clusterName: this.cluster.clusterName,
      version: this.version,
      interruptionQueueName: this.interruptionQueueName,
      controller,
      nodeClass: {
        name: this.nodeClassName,
        roleName: this.instanceProfileName ? undefined : this.nodeRoleName,
        instanceProfileName: this.instanceProfileName,
        subnetSelectorTags: { ...this.discoveryTags },
        securityGroupSelectorTags: { ...this.discoveryTags },
        amiAlias: this.amiAlias,
        volumeSizeGiB: this.volumeSizeGiB,
        volumeKmsKeyId: this.volumeKey(),
        tags: { ...this.cluster.resourceTags },
      },
      nodePools: this.pools.map((p) => p.profile),
    };
  }

  /** The node volume key as a plain value: the cluster key's alias when shipshape built the cluster. */
  private volumeKey(): string | undefined {
    const arn = this.cluster.encryptionKeyArn;
    if (arn && !Token.isUnresolved(arn)) return arn;
    // the key as the cluster's gp3 StorageClass names it: the alias ARN when the account is known, else the alias
    if (arn && isOwnedCluster(this.cluster)) return (this.cluster as any).volumeKeyAlias ?? `alias/eks/${this.cluster.clusterName}`;
    return undefined;
  }

  private validateKarpenter(): string[] {
    const errors: string[] = [];
    if (hasNoManagedNodes(this.cluster, this)) {
      errors.push(`${this.node.path}: cluster (${this.cluster.clusterName}) has no managed node group, so nothing would run the Karpenter controller `
        + '(it must not run on nodes it manages); add a small system pool with cluster.addNodePool()');
    }
    if (this.pools.length === 0) {
      errors.push(`${this.node.path}: nodePools ([]) must declare at least one NodePool, or Karpenter launches nothing; call addNodePool()`);
    }
    if (this.isolated) {
      const missing = missingEndpoints(this.cluster.network, ['sqs', 'eks', 'ssm']);
      if (missing.length > 0) {
        errors.push(`${this.node.path}: network (${this.cluster.network.node.path}) has no internet access and no VPC endpoint for ${missing.join(', ')}, `
          + 'which Karpenter needs (interruption queue, cluster endpoint discovery, AMI lookups); add VpcEndpointService.SQS, EKS and SSM to the network\'s VpcEndpoints');
      }
    }
    return errors;
  }
}

/**
 * The labels of Karpenter's own domain that a NodePool's template may carry (the NodePool CRD refuses the others:
 * Karpenter sets them on each node itself).
 */
const KARPENTER_SH_LABELS = ['karpenter.sh/capacity-type'];

/** The names in the karpenter.k8s.aws domain a NodePool's template may carry as labels (the CRD's list). */
const KARPENTER_AWS_LABELS = [
  'capacity-reservation-id', 'capacity-reservation-interruptible', 'capacity-reservation-type', 'ec2nodeclass',
  'instance-accelerator-count', 'instance-accelerator-manufacturer', 'instance-accelerator-name',
  'instance-capability-flex', 'instance-category', 'instance-cpu', 'instance-cpu-manufacturer',
  'instance-cpu-sustained-clock-speed-mhz', 'instance-ebs-bandwidth', 'instance-encryption-in-transit-supported',
  'instance-family', 'instance-generation', 'instance-gpu-count', 'instance-gpu-manufacturer', 'instance-gpu-memory',
  'instance-gpu-name', 'instance-hypervisor', 'instance-local-nvme', 'instance-memory', 'instance-network-bandwidth',
  'instance-size', 'instance-tenancy', 'placement-group-id', 'placement-group-partition',
];

/**
 * The Kubernetes label domains Karpenter restricts (`RestrictedLabelDomains` of sigs.k8s.io/karpenter pkg/apis/v1/labels.go:
 * Kubernetes reserves them and the kubelet may not set them on its node), matched as a suffix of the key's domain, as Karpenter does.
 */
const RESTRICTED_K8S_DOMAINS = ['kubernetes.io', 'k8s.io'];

/** Domains (and their subdomains) inside the restricted ones that Karpenter allows (`LabelDomainExceptions`). */
const DOMAIN_EXCEPTIONS = ['kops.k8s.io', 'node.kubernetes.io', 'node-restriction.kubernetes.io'];

/** The labels of the restricted Kubernetes domains that Karpenter accepts on a pool (its `WellKnownLabels` there). */
const WELL_KNOWN_K8S_LABELS = ['kubernetes.io/arch', 'kubernetes.io/os', 'topology.kubernetes.io/region', 'topology.kubernetes.io/zone'];

/**
 * Why Karpenter refuses `key` as a NodePool template label, or undefined: the NodePool CRD's validation rules on
 * `spec.template.metadata.labels` (the API server refuses the object), then Karpenter's own NodePool validation
 * (`RuntimeValidate`: the NodePool gets the condition ValidationSucceeded=False and launches no node).
 */
function karpenterRefusesLabel(key: string): string | undefined {
  // the CRD's rules take the text before the first `/` as the domain (the whole key when it has none)
  const domain = key.includes('/') ? key.slice(0, key.indexOf('/')) : key;
  if (key === 'kubernetes.io/hostname') return 'is set by the kubelet to each node\'s name, and the Karpenter NodePool CRD refuses it as a pool label';
  if (domain.endsWith('karpenter.sh') && !KARPENTER_SH_LABELS.includes(key)) {
    return 'is in the karpenter.sh domain, which Karpenter reserves (it sets karpenter.sh/nodepool and others on each node): the NodePool CRD refuses the pool';
  }
  if (domain.endsWith('karpenter.k8s.aws') && !(domain === 'karpenter.k8s.aws' && KARPENTER_AWS_LABELS.includes(key.slice(domain.length + 1)))) {
    return 'is in the karpenter.k8s.aws domain, which Karpenter reserves for the instance properties it sets on each node: the NodePool CRD refuses the pool';
  }
  // Karpenter's validation takes the domain of a prefixed key only
  const prefix = key.includes('/') ? domain : '';
  const restricted = RESTRICTED_K8S_DOMAINS.find((d) => prefix.endsWith(d));
  if (restricted && !DOMAIN_EXCEPTIONS.some((d) => prefix.endsWith(d)) && !WELL_KNOWN_K8S_LABELS.includes(key)) {
    const allowed = DOMAIN_EXCEPTIONS.filter((d) => d.endsWith(restricted)).map((d) => `${d}/*`).join(', ');
    return `is in the ${restricted} domain, which Kubernetes reserves and where Karpenter accepts only ${allowed}`
      + `${restricted === 'kubernetes.io' ? ` and its well-known labels (${WELL_KNOWN_K8S_LABELS.join(', ')})` : ''}: `
      + 'Karpenter\'s NodePool validation refuses the pool (condition ValidationSucceeded=False), which then launches no node';
  }
  return undefined;
}

/** The option of `KarpenterNodePoolOptions` that sets each requirement key of a NodePool (the end of the key). */
const REQUIREMENT_OPTIONS: Array<[string, string]> = [
  ['karpenter.sh/capacity-type', 'choose capacity types with capacityTypes'],
  ['kubernetes.io/arch', 'choose CPU architectures with architectures'],
  ['kubernetes.io/os', 'shipshape pools run Linux nodes only'],
  ['node.kubernetes.io/instance-type', 'choose instance types with instanceTypes'],
  ['/instance-category', 'choose instance categories with instanceCategories'],
  ['/instance-generation', 'choose generations with minInstanceGeneration'],
  ['topology.kubernetes.io/zone', 'choose zones with zones'],
];

function requirementOption(key: string): string {
  return REQUIREMENT_OPTIONS.find(([end]) => key.endsWith(end))?.[1] ?? 'change the pool\'s options';
}
