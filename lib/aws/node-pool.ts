import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { Construct } from 'constructs';
import { NodeGroupScaling } from './cluster-autoscaler';
import type { IEksCluster } from './eks-cluster';
import { KubernetesVersion } from './kubernetes-version';
import { AwsContext, policyJson } from './private/aws-context';
import { checkInstanceTypeName } from './private/instance-type-name';
import { fitName, MAX_IAM_ROLE_NAME } from './private/names';
import { checkReservedLabel, checkUniqueTaints, POOL_LABEL } from './private/pool-checks';
import { claimNodePoolName, recordManagedNodeGroup } from './private/registry';
import { checkMinorForm, MAX_NODE_SKEW, minorOf } from './private/versions';
import { NodePoolProfile, TaintProfile } from '../core/cluster-profile';
import { fail, warn } from '../core/errors';
import { InstanceTypes } from '../core/instance-types';
import { Names } from '../core/names';
import { EnvironmentProfile } from '../core/profile';
import { Validators } from '../core/validators';
import { Policy } from '../policy/policy';

/**
 * The AMI family of a node pool: container-optimised operating systems only.
 */
export enum NodeAmiType {
  /** Amazon Linux 2023, x86_64. */
  AL2023_X86_64_STANDARD = 'AL2023_x86_64_STANDARD',
  /** Amazon Linux 2023, arm64 (Graviton). */
  AL2023_ARM_64_STANDARD = 'AL2023_ARM_64_STANDARD',
  /** Bottlerocket, x86_64. */
  BOTTLEROCKET_X86_64 = 'BOTTLEROCKET_x86_64',
  /** Bottlerocket, arm64 (Graviton). */
  BOTTLEROCKET_ARM_64 = 'BOTTLEROCKET_ARM_64',
  /** Amazon Linux 2023 with the NVIDIA driver and container toolkit, x86_64: for NVIDIA GPU instances (g5, g6, p5, …). */
  AL2023_X86_64_NVIDIA = 'AL2023_x86_64_NVIDIA',
  /** Bottlerocket with the NVIDIA driver, x86_64: for NVIDIA GPU instances (g5, g6, p5, …). */
  BOTTLEROCKET_X86_64_NVIDIA = 'BOTTLEROCKET_x86_64_NVIDIA',
}

/**
 * On-demand or spot capacity, with the instance types to use.
 */
export class NodeCapacity {
  /**
   * On-demand instances.
   * @param instanceTypes one or more instance types, for example `['m6i.large']`
   */
  public static onDemand(instanceTypes: string[]): NodeCapacity {
    return new NodeCapacity('ON_DEMAND', instanceTypes);
  }

  /**
   * Spot instances. Give several instance types of similar size (at least 2) so that an
   * interruption in one spot pool does not empty the node pool.
   */
  public static spot(instanceTypes: string[]): NodeCapacity {
    return new NodeCapacity('SPOT', instanceTypes);
  }

  /** `ON_DEMAND` or `SPOT`. */
  public readonly capacityType: string;
  /** The instance types. */
  public readonly instanceTypes: string[];

  private constructor(capacityType: string, instanceTypes: string[]) {
    this.capacityType = capacityType;
    this.instanceTypes = instanceTypes;
  }
}

/**
 * How a taint treats pods that do not tolerate it.
 */
export enum TaintEffect {
  /** Pods without a toleration are not scheduled. */
  NO_SCHEDULE = 'NO_SCHEDULE',
  /** The scheduler avoids the node for pods without a toleration. */
  PREFER_NO_SCHEDULE = 'PREFER_NO_SCHEDULE',
  /** Pods without a toleration are evicted. */
  NO_EXECUTE = 'NO_EXECUTE',
}

/**
 * A Kubernetes taint on every node of a pool.
 */
export interface NodeTaint {
  /** The taint key. */
  readonly key: string;
  /**
   * The taint value.
   * @default - no value
   */
  readonly value?: string;
  /** The effect. */
  readonly effect: TaintEffect;
}

/**
 * Options of `EksCluster.addNodePool()`.
 */
export interface NodePoolOptions {
  /**
   * Capacity type and instance types.
   * @default NodeCapacity.onDemand(['m6i.large'])
   */
  readonly capacity?: NodeCapacity;
  /**
   * The AMI family. NVIDIA GPU instance types (g4dn, g5, g6, p4d, p5, …) need an `_NVIDIA` type, whose AMI carries
   * the NVIDIA driver; any other type is refused for them. Their GPUs become schedulable as `nvidia.com/gpu` once the
   * NVIDIA device plugin runs on the nodes: Bottlerocket's NVIDIA AMI carries it, and for the AL2023 NVIDIA AMI the
   * cluster lists its Helm release in `profile.helmReleases`.
   * @default - NodeAmiType.AL2023_X86_64_NVIDIA when `capacity` lists an NVIDIA GPU instance type, else NodeAmiType.AL2023_X86_64_STANDARD
   */
  readonly amiType?: NodeAmiType;
  /**
   * Minimum node count: at least 2 in production and staging, so the pool spans zones, except for a dedicated pool
   * (one with a `NO_SCHEDULE` or `NO_EXECUTE` taint other than `CriticalAddonsOnly`, which only the workloads that
   * tolerate it use), which may scale to zero. A pool at zero nodes gets nodes only from an autoscaler (the
   * cluster-autoscaler an `EksCluster` adds by default, see `NodeGroupScaling`): with `NodeGroupScaling.NONE`, a
   * workload that fits only pools of zero nodes is refused at synth.
   * @default - the number of zones in production and staging, 1 in development
   */
  readonly minSize?: number;
  /**
   * Maximum node count: the most nodes the cluster's autoscaler may give the pool (see `NodeGroupScaling`). Nothing
   * else adds nodes: with `NodeGroupScaling.NONE` the pool keeps `desiredSize` nodes.
   * @default - 3 x minSize
   */
  readonly maxSize?: number;
  /**
   * The node count Terraform sets. When something scales the pool (`NodePool.autoscaled`: the cluster's
   * `nodeGroupScaling` is not `NONE` and maxSize > minSize), the initial count only: Terraform then ignores later
   * changes of the desired size, the autoscaler's and this prop's. Otherwise the count the pool keeps, which a change of
   * this prop sets.
   * @default - minSize
   */
  readonly desiredSize?: number;
  /**
   * Kubernetes labels of the nodes. Keys in the `kubernetes.io` and `k8s.io` namespaces are refused (the kubelet
   * refuses them in `--node-labels`, so the nodes would not join), except the ones the kubelet allows: keys under
   * `node.kubernetes.io/` and `kubelet.kubernetes.io/`, and the well-known `kubernetes.io/arch`, `kubernetes.io/os`,
   * `kubernetes.io/hostname`, `topology.kubernetes.io/region|zone` and their `beta` / `failure-domain.beta` forms.
   * The key `shipshape.dev/node-pool` is reserved: shipshape sets it to the pool's name.
   * @default - only `shipshape.dev/node-pool: <name>`
   */
  readonly labels?: { [key: string]: string };
  /**
   * Kubernetes taints of the nodes, at most one per key and effect (Kubernetes refuses a node with two).
   * @default - none
   */
  readonly taints?: NodeTaint[];
  /**
   * Root (AL2023) or data (Bottlerocket) volume size in GiB; encrypted gp3.
   * @default 50
   */
  readonly diskSizeGiB?: number;
  /**
   * Share of nodes replaced at once during updates, in percent (or give `maxUnavailable`).
   * @default 33
   */
  readonly maxUnavailablePercentage?: number;
  /**
   * Number of nodes replaced at once during updates, instead of `maxUnavailablePercentage`.
   * @default - maxUnavailablePercentage applies
   */
  readonly maxUnavailable?: number;
  /**
   * Node auto-repair: EKS replaces nodes that report unhealthy (kubelet, container runtime,
   * network or accelerator failures).
   * @default true
   */
  readonly autoRepair?: boolean;
  /**
   * Attach AmazonSSMManagedInstanceCore to the node role, so operators reach nodes through Systems Manager Session
   * Manager instead of SSH (no open port, no key). The policy also lets a node read any Parameter Store parameter of
   * the account (ssm:GetParameter on every resource; SecureString values still need their KMS key): turn it off where
   * nodes must not, and reach them otherwise (EKS node monitoring, kubectl debug node/...).
   * @default true
   */
  readonly sessionManager?: boolean;
  /**
   * The Kubernetes version of the nodes: at most the cluster's version and at most 3 minor versions
   * behind it (the kubelet skew Kubernetes allows). Keep pools at the old version while the control
   * plane is raised, then raise them. An older pool's version is in the cluster's profile, and a Kubernetes app given
   * that profile targets it until the pool is raised (no native sidecar reaches a 1.28 kubelet).
   * @default - the cluster's version
   */
  readonly kubernetesVersion?: KubernetesVersion;
  /**
   * The pool's name: its nodes' `shipshape.dev/node-pool` label, and the start of the EKS node group's name
   * (`<name>-<suffix Terraform adds>`, the name cut to 36 characters first). The node group is named by prefix so
   * that a change EKS cannot make in place (instance types, capacity type, AMI type) creates the new group before the
   * old one is drained and deleted, instead of deleting first.
   * @default - `<cluster name>-<id in kebab case>`
   */
  readonly name?: string;
}

/**
 * Properties of a `NodePool`.
 */
export interface NodePoolProps extends NodePoolOptions {
  /** The cluster the pool joins. */
  readonly cluster: IEksCluster;
}


/**
 * A managed node group with a hardened launch template: IMDSv2 required with hop limit 1,
 * encrypted gp3 volumes, no public IP, no SSH, private subnets in every zone, and a
 * least-privilege node role (worker, ECR pull only, SSM; the CNI permissions live on the
 * vpc-cni identity, not on the node).
 *
 * Prerequisite, once per account: the EC2 Auto Scaling service-linked role `AWSServiceRoleForAutoScaling`
 * (`aws iam create-service-linked-role --aws-service-name autoscaling.amazonaws.com`; an account that has used EC2 Auto
 * Scaling has it). Auto Scaling creates the nodes' volumes, encrypted with the cluster key, whose policy names that role:
 * without it, KMS refuses the key policy of an `EksCluster` with node pools (`MalformedPolicyDocumentException`).
 */
export class NodePool extends Construct {
  /** The node group name. */
  public readonly name: string;
  /** The capacity. */
  public readonly capacity: NodeCapacity;
  /** The AMI family. */
  public readonly amiType: NodeAmiType;
  /** Minimum nodes. */
  public readonly minSize: number;
  /** Maximum nodes. */
  public readonly maxSize: number;
  /** The node count Terraform sets (the initial count when `autoscaled`). */
  public readonly desiredSize: number;
  /**
   * Whether something changes the pool's node count between minSize and maxSize: maxSize > minSize and the cluster's
   * `nodeGroupScaling` is `CLUSTER_AUTOSCALER` (shipshape's cluster-autoscaler) or `EXTERNAL` (a pool of a cluster
   * shipshape did not create counts as `EXTERNAL` unless its attributes say otherwise). When false the pool holds
   * `desiredSize` nodes, and Terraform keeps the node group's desired size at that.
   */
  public readonly autoscaled: boolean;
  /** Kubernetes labels of the nodes. */
  public readonly labels: { [key: string]: string };
  /** Kubernetes taints of the nodes. */
  public readonly taints: NodeTaint[];
  /** The Kubernetes version of the nodes. */
  public readonly kubernetesVersion: string;
  /** Whether the nodes run an older version than the control plane (the cluster profile then says which). */
  private readonly behindCluster: boolean;
  /** Whether node auto-repair is on. */
  public readonly autoRepair: boolean;
  /** Escape hatch: the managed node group. */
  public readonly resource: EksNodeGroup;
  /** Escape hatch: the launch template. */
  public readonly launchTemplate: LaunchTemplate;
  /** Escape hatch: the node IAM role. */
  public readonly role: IamRole;
  private readonly zones: string[];

  constructor(scope: Construct, id: string, props: NodePoolProps) {
    super(scope, id);
    const cluster = props.cluster;
    const env = cluster.environment;
    this.name = props.name ?? `${cluster.clusterName}-${Names.kebab(id)}`;
    if (!/^[a-zA-Z0-9][a-zA-Z0-9_-]{0,62}$/.test(this.name)) {
      if (props.name === undefined && this.name.length > 63) {
        fail(this, 'name', this.name, `must be 1-63 letters, digits, - or _, starting with a letter or digit; it derives from clusterName (${cluster.clusterName.length} characters) and the construct id, as <clusterName>-<id>`,
          'pass a name of at most 63 characters for the pool (name), or give the cluster a shorter clusterName');
      }
      const { problem, fix } = nodeGroupNameProblem(this.name);
      fail(this, 'name', this.name, `must be 1-63 letters, digits, - or _, starting with a letter or digit${problem}`, fix);
    }
    this.capacity = props.capacity ?? NodeCapacity.onDemand(['m6i.large']);
    const types = this.capacity.instanceTypes;
    if (!Array.isArray(types) || types.length === 0) {
      fail(this, 'capacity.instanceTypes', types, 'must list at least one instance type', "list instance types, for example ['m6i.large']");
    }
    for (const t of types) checkInstanceTypeName(this, 'capacity.instanceTypes', t);
    const duplicate = types.find((t, i) => types.indexOf(t) !== i);
    if (duplicate !== undefined) {
      if (this.capacity.capacityType === 'SPOT') {
        fail(this, 'capacity.instanceTypes', duplicate, 'appears twice: spot capacity needs at least 2 different instance types (one spot pool can be reclaimed all at once)',
          "list each instance type once, and add similar types, for example NodeCapacity.spot(['m6i.large', 'm6a.large', 'm5.large'])");
      }
      fail(this, 'capacity.instanceTypes', duplicate, 'appears twice', 'list each instance type once');
    }
    if (this.capacity.capacityType === 'SPOT' && types.length < 2) {
      fail(this, 'capacity.instanceTypes', types,
        'must list at least 2 instance types for spot capacity (one spot pool can be reclaimed all at once)',
        "add similar types, for example NodeCapacity.spot(['m6i.large', 'm6a.large', 'm5.large'])");
    }
    // Graviton NVIDIA instances (g5g) need an Arm AMI with the NVIDIA driver, which NodeAmiType does not offer: on the
    // standard Arm AMI the node boots with no usable GPU, and GPU pods would never be scheduled
    const armGpu = types.filter(t => /^g5g\./.test(t));
    if (armGpu.length > 0) {
      fail(this, 'capacity.instanceTypes', armGpu.join(', '), 'are Graviton NVIDIA GPU instances, which need an Arm AMI with the NVIDIA driver that shipshape\'s node pools '
        + 'do not offer (NodeAmiType has x86 NVIDIA types only): on the standard Arm AMI their GPU would not be usable',
      'use x86 NVIDIA GPU instances (g5, g6, g4dn) with NodeAmiType.AL2023_X86_64_NVIDIA');
    }
    const gpuTypes = types.filter(t => InstanceTypes._nvidiaGpu(t));
    this.amiType = props.amiType ?? (gpuTypes.length > 0 ? NodeAmiType.AL2023_X86_64_NVIDIA : NodeAmiType.AL2023_X86_64_STANDARD);
    if (!Object.values(NodeAmiType).includes(this.amiType)) {
      fail(this, 'amiType', this.amiType, `must be one of ${Object.values(NodeAmiType).join(', ')}`, 'use an AL2023 or Bottlerocket AMI type');
    }
    if (gpuTypes.length > 0 && !this.amiType.endsWith('_NVIDIA')) {
      // the node boots, but without the driver the device plugin finds no GPU: pods requesting nvidia.com/gpu stay Pending
      fail(this, 'amiType', this.amiType, `has no NVIDIA driver, but capacity.instanceTypes lists NVIDIA GPU instances (${gpuTypes.join(', ')}): `
        + 'their GPUs would not be usable, and pods requesting nvidia.com/gpu would never be scheduled',
      'use NodeAmiType.AL2023_X86_64_NVIDIA (or BOTTLEROCKET_X86_64_NVIDIA), or leave amiType out to get it');
    }
    // an instance type of the other CPU architecture cannot boot the AMI (the node group would fail to create), and the
    // profile would tell the scheduling checks the wrong architecture
    const amiArch = architectureOf(this.amiType);
    const mismatched = types.filter(t => {
      const arch = InstanceTypes._architecture(t);
      return arch !== undefined && arch !== amiArch;
    });
    if (mismatched.length > 0) {
      fail(this, 'capacity.instanceTypes', mismatched.join(', '), `must match the CPU architecture of amiType ${this.amiType} (${amiArch})`,
        amiArch === 'amd64'
          ? 'use an arm64 AMI type (NodeAmiType.AL2023_ARM_64_STANDARD) for Graviton instance types, or x86 instance types'
          : 'use an x86 AMI type (NodeAmiType.AL2023_X86_64_STANDARD) for x86 instance types, or Graviton instance types');
    }

    const dev = env === EnvironmentProfile.DEVELOPMENT;
    this.zones = [...cluster.network.availabilityZones];
    this.minSize = props.minSize ?? (dev ? 1 : Math.max(2, this.zones.length));
    this.maxSize = props.maxSize ?? Math.max(3 * this.minSize, 1);
    this.desiredSize = props.desiredSize ?? this.minSize;
    for (const [prop, v] of [['minSize', this.minSize], ['maxSize', this.maxSize], ['desiredSize', this.desiredSize]] as Array<[string, number]>) {
      if (!Number.isInteger(v) || v < 0) fail(this, prop, v, 'must be a whole number >= 0', `set ${prop} to a whole number`);
    }
    if (this.maxSize < 1) fail(this, 'maxSize', this.maxSize, 'must be >= 1', 'raise maxSize');
    if (this.minSize > this.maxSize) {
      fail(this, 'minSize', this.minSize, `must be <= maxSize (${this.maxSize})`, 'lower minSize or raise maxSize');
    }
    if (this.desiredSize < this.minSize || this.desiredSize > this.maxSize) {
      fail(this, 'desiredSize', this.desiredSize, `must be between minSize (${this.minSize}) and maxSize (${this.maxSize})`, 'set desiredSize inside the range');
    }
    // What scales the group: shipshape's cluster-autoscaler or another one (EXTERNAL, the assumption for a cluster
    // shipshape did not create), or nothing.
    const scaling: NodeGroupScaling = (cluster as any)._nodeGroupScaling ?? NodeGroupScaling.EXTERNAL;
    this.autoscaled = this.maxSize > this.minSize && scaling !== NodeGroupScaling.NONE;
    if (scaling === NodeGroupScaling.NONE && props.maxSize !== undefined && props.maxSize > this.desiredSize) {
      // nothing will ever take the group past its desired size: a maxSize above it is capacity that never comes
      warn(this, `maxSize (${props.maxSize}) is never reached: the cluster's nodeGroupScaling is NodeGroupScaling.NONE, so nothing scales this pool and it keeps `
        + `desiredSize (${this.desiredSize}) nodes; set desiredSize to the nodes it needs, or let an autoscaler scale it (NodeGroupScaling.CLUSTER_AUTOSCALER or EXTERNAL)`);
    }
    this.taints = [...(props.taints ?? [])];
    // a pool tainted NoSchedule/NoExecute (other than CriticalAddonsOnly) runs only the workloads that tolerate the taint:
    // dedicated capacity (spot, batch, GPU) that may scale to zero, not the general capacity that must span zones
    const dedicatedTaints = this.taints.filter(isDedicatingTaint);
    if (!dev && this.minSize < 2 && dedicatedTaints.length === 0) {
      fail(this, 'minSize', this.minSize, `must be >= 2 in ${env} for an untainted pool (or one tainted only CriticalAddonsOnly), so that nodes span at least two zones`,
        'set minSize to 2 or more; a dedicated pool (spot, batch, GPU) may scale to zero when it has a NO_SCHEDULE or NO_EXECUTE taint its workloads tolerate; '
        + 'or use EnvironmentProfile.DEVELOPMENT for a single-node pool');
    }
    const disk = props.diskSizeGiB ?? 50;
    if (!Number.isInteger(disk) || disk < 20 || disk > 16384) {
      fail(this, 'diskSizeGiB', disk, 'must be a whole number of GiB between 20 and 16384', 'set diskSizeGiB to 50 or more');
    }
    if (props.maxUnavailable !== undefined && props.maxUnavailablePercentage !== undefined) {
      fail(this, 'maxUnavailable', props.maxUnavailable, 'must not be combined with maxUnavailablePercentage', 'give one of the two');
    }
    const maxUnavailable = props.maxUnavailablePercentage ?? 33;
    if (!Number.isInteger(maxUnavailable) || maxUnavailable < 1 || maxUnavailable > 100) {
      fail(this, 'maxUnavailablePercentage', maxUnavailable, 'must be a whole number between 1 and 100', 'use 33');
    }
    if (props.maxUnavailable !== undefined && (!Number.isInteger(props.maxUnavailable) || props.maxUnavailable < 1 || props.maxUnavailable > 100)) {
      fail(this, 'maxUnavailable', props.maxUnavailable, 'must be a whole number between 1 and 100 (the EKS limit)', 'use a small number such as 1');
    }
    this.autoRepair = props.autoRepair ?? true;
    this.kubernetesVersion = props.kubernetesVersion?.version ?? cluster.kubernetesVersion;
    this.behindCluster = minorOf(this.kubernetesVersion) < minorOf(cluster.kubernetesVersion);
    checkMinorForm(this, 'kubernetesVersion', this.kubernetesVersion);
    const nodeMinor = minorOf(this.kubernetesVersion);
    const clusterMinor = minorOf(cluster.kubernetesVersion);
    if (Number.isNaN(nodeMinor)) {
      fail(this, 'kubernetesVersion', this.kubernetesVersion, 'must be a Kubernetes minor version such as 1.33', 'pass a KubernetesVersion');
    }
    if (nodeMinor > clusterMinor) {
      fail(this, 'kubernetesVersion', this.kubernetesVersion, `must not be newer than the cluster's version (${cluster.kubernetesVersion}): nodes never run ahead of the control plane`,
        'raise the cluster version first, or leave kubernetesVersion out');
    }
    if (clusterMinor - nodeMinor > MAX_NODE_SKEW) {
      fail(this, 'kubernetesVersion', this.kubernetesVersion, `must be at most ${MAX_NODE_SKEW} minor versions behind the cluster's version (${cluster.kubernetesVersion}), the kubelet skew Kubernetes supports`,
        `raise the pool to 1.${clusterMinor - MAX_NODE_SKEW} or later before raising the cluster`);
    }
    checkReservedLabel(this, props.labels, this.name);
    // the kubelet takes an architecture label from --node-labels over its own: one that contradicts the nodes would
    // send amd64 pods to arm64 nodes (exec format error), and the profile would say another architecture than the label
    for (const k of ['kubernetes.io/arch', 'beta.kubernetes.io/arch']) {
      const v = props.labels?.[k];
      const arch = architectureOf(this.amiType);
      if (v !== undefined && v !== arch) {
        fail(this, `labels.${k}`, v, `contradicts the architecture of the pool's nodes (${arch}, from amiType ${this.amiType}): the kubelet would label them ${v}, `
          + `and pods built for ${v} would be placed on them and fail (exec format error)`, `leave the label out (the kubelet sets it from the node), or write "${arch}"`);
      }
    }
    this.labels = { ...(props.labels ?? {}), [POOL_LABEL]: this.name };
    for (const [k, v] of Object.entries(this.labels)) {
      Validators.labelKey(this, 'labels', k);
      Names.labelValue(this, `labels.${k}`, v);
      if (!kubeletMaySetLabel(k)) {
        fail(this, 'labels', k,
          'must not be in the kubernetes.io or k8s.io namespaces, which the kubelet refuses in --node-labels (the nodes would fail to join), '
          + `except ${KUBELET_LABELS.join(', ')} and keys under ${KUBELET_LABEL_NAMESPACES.join(' or ')}`,
          `use a key under your own domain, for example '${ownDomainKey(k, 'example.com')}' (your team's domain) or '${ownDomainKey(k, 'shipshape.dev')}'`);
      }
    }
    for (const t of this.taints) {
      Validators.taintKey(this, 'taints.key', t.key);
      if (t.value !== undefined) Names.labelValue(this, 'taints.value', t.value);
      if (!Object.values(TaintEffect).includes(t.effect)) {
        fail(this, 'taints.effect', t.effect, `must be one of ${Object.values(TaintEffect).join(', ')}`, 'use TaintEffect.NO_SCHEDULE');
      }
    }
    checkUniqueTaints(this, this.taints);

    claimNodePoolName(cluster, this, 'name', this.name);
    recordManagedNodeGroup(cluster, this);

    const ctx = AwsContext.of(this);
    const tags = cluster.resourceTags;
    this.role = new IamRole(this, 'role', {
      name: fitName(this.name, '-node', MAX_IAM_ROLE_NAME),
      description: `Nodes of ${this.name}`,
      assumeRolePolicy: policyJson([{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }]),
      tags,
    });
    // ECR pull only (the least-privilege policy Karpenter and Auto Mode nodes get too): no ecr:Describe*/List* on every repository
    const nodePolicies = ['AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryPullOnly', ...(props.sessionManager ?? true ? ['AmazonSSMManagedInstanceCore'] : [])];
    if (cluster.cniPolicyOnNodeRole) nodePolicies.push('AmazonEKS_CNI_Policy');
    const attachments = nodePolicies.map((p) =>
      new IamRolePolicyAttachment(this, p, { role: this.role.name, policyArn: `arn:${ctx.partitionIn(cluster.region)}:iam::aws:policy/${p}` }));

    const bottlerocket = this.amiType.startsWith('BOTTLEROCKET');
    const ebs = (size: number) => ({
      volumeSize: size,
      volumeType: 'gp3',
      encrypted: 'true',
      kmsKeyId: cluster.encryptionKeyArn,
      deleteOnTermination: 'true',
    });
    const volumes = bottlerocket
      ? [{ deviceName: '/dev/xvda', ebs: ebs(4) }, { deviceName: '/dev/xvdb', ebs: ebs(disk) }]
      : [{ deviceName: '/dev/xvda', ebs: ebs(disk) }];
    this.launchTemplate = new LaunchTemplate(this, 'launch-template', {
      name: this.name,
      description: `Hardened launch template of node pool ${this.name}`,
      updateDefaultVersion: true,
      metadataOptions: {
        httpEndpoint: 'enabled',
        httpTokens: 'required',
        httpPutResponseHopLimit: 1,
        instanceMetadataTags: 'disabled',
      },
      blockDeviceMappings: volumes,
      networkInterfaces: [{
        deviceIndex: 0,
        associatePublicIpAddress: 'false',
        deleteOnTermination: 'true',
        securityGroups: [cluster.clusterSecurityGroupId],
      }],
      monitoring: { enabled: true },
      tagSpecifications: ['instance', 'volume', 'network-interface'].map((resourceType) => ({
        resourceType,
        tags: { ...tags, Name: this.name },
      })),
      tags,
    });

    this.resource = new EksNodeGroup(this, 'node-group', {
      clusterName: cluster.clusterNameRef,
      // a prefix, not a name: changes EKS cannot make in place (instance types, capacity type, AMI type, subnets)
      // replace the group, and create_before_destroy brings the new group up before the old one is drained
      nodeGroupNamePrefix: nodeGroupNamePrefix(this.name),
      nodeRoleArn: this.role.arn,
      subnetIds: cluster.network.privateSubnetIds,
      version: this.kubernetesVersion,
      amiType: this.amiType,
      capacityType: this.capacity.capacityType,
      instanceTypes: [...types],
      scalingConfig: { minSize: this.minSize, maxSize: this.maxSize, desiredSize: this.desiredSize },
      updateConfig: props.maxUnavailable !== undefined ? { maxUnavailable: props.maxUnavailable } : { maxUnavailablePercentage: maxUnavailable },
      nodeRepairConfig: { enabled: this.autoRepair },
      launchTemplate: { id: this.launchTemplate.id, version: `${this.launchTemplate.latestVersion}` },
      labels: this.labels,
      taint: this.taints.length > 0
        ? this.taints.map((t) => ({ key: t.key, value: t.value, effect: t.effect }))
        : undefined,
      tags,
      dependsOn: attachments,
      // the autoscaler owns the desired size of a pool it scales; the desired size of a pool nothing scales is Terraform's
      // (raising minSize above it would otherwise fail: EKS refuses a minimum above the desired size)
      lifecycle: this.autoscaled
        ? { createBeforeDestroy: true, ignoreChanges: ['scaling_config[0].desired_size'] }
        : { createBeforeDestroy: true },
    });
    if (cluster.cniPolicyOnNodeRole) {
      Policy.suppress(this.resource, 'SS-EKS-020', `cluster ${cluster.clusterName} runs its VPC CNI with the node role's permissions (cniPolicyOnNodeRole), so node pool ${this.name} carries AmazonEKS_CNI_Policy`);
    }
    if (dev && this.minSize < 2 && dedicatedTaints.length === 0) {
      // Explicit choice of the development profile: record the opt-out of SS-EKS-018 in the reports (a dedicated,
      // tainted pool needs none: the rule lets it scale to zero).
      Policy.suppress(this.resource, 'SS-EKS-018', `development environment: node pool ${this.name} may run a single node (minSize ${this.minSize})`);
    }
    // a pool made with `new NodePool(scope, id, { cluster })` belongs to the cluster as one made with addNodePool():
    // in its profile (the scheduling checks), and ordered after its CNI and before its add-ons
    const register = (cluster as any)._registerNodePool;
    if (typeof register === 'function') register.call(cluster, this);
  }

  /**
   * The pool as a plain value (a handle for the Kubernetes side: `k8s.Placement.onPool(pool.profile)`):
   * name, node labels, taints, capacity type, instance types, architecture, zones, size and whether something scales it.
   */
  public get profile(): NodePoolProfile {
    return this._toProfile();
  }

  /**
   * The pool as a plain value for the cluster profile.
   * @internal
   */
  public _toProfile(): NodePoolProfile {
    const effects: { [e: string]: string } = { NO_SCHEDULE: 'NoSchedule', PREFER_NO_SCHEDULE: 'PreferNoSchedule', NO_EXECUTE: 'NoExecute' };
    const taints: TaintProfile[] = this.taints.map((t) => ({ key: t.key, value: t.value, effect: effects[t.effect] }));
    return {
      name: this.name,
      labels: { ...this.labels },
      taints,
      capacityType: this.capacity.capacityType,
      instanceTypes: [...this.capacity.instanceTypes],
      architecture: architectureOf(this.amiType),
      zones: [...this.zones],
      minSize: this.minSize,
      maxSize: this.maxSize,
      desiredSize: this.desiredSize,
      autoscaled: this.autoscaled,
      ...(this.behindCluster ? { kubernetesVersion: this.kubernetesVersion } : {}),
    };
  }
}

/** The kubernetes.io label keys the kubelet accepts in --node-labels (k8s.io/kubelet well_known_labels.go). */
const KUBELET_LABELS = [
  'kubernetes.io/hostname', 'kubernetes.io/arch', 'kubernetes.io/os',
  'beta.kubernetes.io/arch', 'beta.kubernetes.io/os', 'beta.kubernetes.io/instance-type', 'node.kubernetes.io/instance-type',
  'topology.kubernetes.io/region', 'topology.kubernetes.io/zone',
  'failure-domain.beta.kubernetes.io/region', 'failure-domain.beta.kubernetes.io/zone',
];
/** The kubernetes.io label namespaces the kubelet accepts (and their subdomains). */
const KUBELET_LABEL_NAMESPACES = ['node.kubernetes.io/', 'kubelet.kubernetes.io/'];

/** Why a node group name is refused (`: " " is not allowed`), and how to fix it, for its error message. */
function nodeGroupNameProblem(name: unknown): { problem: string; fix: string } {
  if (typeof name !== 'string' || name.length === 0) return { problem: '', fix: "pass a name, for example 'general'" };
  const bad = [...new Set(name.match(/[^a-zA-Z0-9_-]/g) ?? [])];
  const problems: string[] = [];
  if (bad.length > 0) problems.push(`${bad.map((c) => JSON.stringify(c)).join(', ')} ${bad.length === 1 ? 'is' : 'are'} not allowed`);
  else if (!/^[a-zA-Z0-9]/.test(name)) problems.push(`it starts with ${JSON.stringify(name[0])}`);
  if (name.length > 63) problems.push(`it has ${name.length} characters`);
  const fixed = name.replace(/[^a-zA-Z0-9_-]+/g, '-').replace(/^[-_]+/, '').slice(0, 63).replace(/[-_]+$/, '');
  const example = fixed ? `, for example ${JSON.stringify(fixed)}` : '';
  const fix = bad.length > 0 ? `replace ${bad.length === 1 ? 'it' : 'them'} with -${example}`
    : !/^[a-zA-Z0-9]/.test(name) ? `start it with a letter or digit${example}`
      : `pass a name of at most 63 characters${example}`;
  return { problem: `: ${problems.join(', and ')}`, fix };
}

/**
 * Whether the kubelet accepts `key` in --node-labels (EKS managed node groups pass the labels there): keys outside the
 * kubernetes.io and k8s.io namespaces, and the allowed ones inside them.
 */
function kubeletMaySetLabel(key: string): boolean {
  const slash = key.indexOf('/');
  if (slash < 0) return true;
  const ns = key.slice(0, slash);
  const reserved = (d: string) => ns === d || ns.endsWith(`.${d}`);
  if (!reserved('kubernetes.io') && !reserved('k8s.io')) return true;
  if (KUBELET_LABELS.includes(key)) return true;
  return ['node.kubernetes.io', 'kubelet.kubernetes.io'].some(reserved);
}

/** The key with the same name under `domain`, as an example of a key the kubelet accepts. */
function ownDomainKey(key: string, domain: string): string {
  return `${domain}/${key.slice(key.indexOf('/') + 1)}`;
}

/**
 * Whether a taint keeps every pod that does not tolerate it off the node (NO_SCHEDULE, NO_EXECUTE), other than
 * CriticalAddonsOnly (which the cluster add-ons tolerate): such a pool is dedicated capacity.
 */
function isDedicatingTaint(t: NodeTaint): boolean {
  return t.key !== 'CriticalAddonsOnly' && (t.effect === TaintEffect.NO_SCHEDULE || t.effect === TaintEffect.NO_EXECUTE);
}

/** The CPU architecture of an AMI type's nodes, as the `kubernetes.io/arch` label gives it. */
function architectureOf(amiType: NodeAmiType): string {
  return amiType.includes('ARM_64') ? 'arm64' : 'amd64';
}

/** EKS node group names have at most 63 characters; Terraform adds 26 to a prefix. */
const MAX_NODE_GROUP_PREFIX = 63 - 26;

/** The node group name prefix of a pool: its name (cut to leave room for Terraform's suffix) and a dash. */
function nodeGroupNamePrefix(name: string): string {
  return `${name.slice(0, MAX_NODE_GROUP_PREFIX - 1)}-`;
}
