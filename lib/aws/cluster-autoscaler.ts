import { Construct } from 'constructs';
import type { IEksCluster } from './eks-cluster';
import { PolicyStatement } from './policy-statement';
import { resolveAutoscalerOptions } from './private/autoscaler-charts';
import { AwsContext, partitionOf } from './private/aws-context';
import { controllerRelease } from './private/controller-release';
import { isBuildingOwnAutoscaler, missingEndpoints } from './private/registry';
import { WorkloadIdentity } from './workload-identity';
import { fail } from '../core/errors';
import { HelmReleaseProfile } from '../core/karpenter-profile';

const NAME = 'cluster-autoscaler';
const NAMESPACE = 'kube-system';

/**
 * What scales the managed node groups of a cluster (their Auto Scaling groups' desired capacity) between each pool's
 * `minSize` and `maxSize`.
 */
export enum NodeGroupScaling {
  /**
   * The Kubernetes cluster-autoscaler, which shipshape adds once a pool can grow (`maxSize` > `minSize`): its IAM
   * identity (EKS Pod Identity) and its Helm release in the cluster profile's `helmReleases`. It adds nodes to a pool
   * when pods that the pool's nodes would take stay Pending, and removes nodes that have been underused for 10 minutes.
   * Terraform ignores later changes of the node groups' desired size.
   */
  CLUSTER_AUTOSCALER = 'CLUSTER_AUTOSCALER',
  /**
   * An autoscaler installed and given its AWS permissions outside shipshape (your own cluster-autoscaler release):
   * Terraform ignores later changes of the node groups' desired size, and the profile marks the pools that can grow
   * as scaled. shipshape adds no identity and no release.
   */
  EXTERNAL = 'EXTERNAL',
  /**
   * Nothing: each pool holds `desiredSize` nodes (by default `minSize`), which Terraform sets (a change of
   * `desiredSize` applies), and the synth checks count only those nodes: a workload that fits only pools that hold
   * no node is refused.
   */
  NONE = 'NONE',
}

/**
 * Options of the cluster-autoscaler an `EksCluster` adds (`EksClusterProps.clusterAutoscaler`).
 */
export interface ClusterAutoscalerOptions {
  /**
   * The exact chart version (`cluster-autoscaler` of https://kubernetes.github.io/autoscaler). Its autoscaler must
   * be of the cluster's Kubernetes minor version: cluster-autoscaler supports only its own minor.
   * @default - the chart pinned for the cluster's Kubernetes version: 9.36.0 (1.29), 9.37.0 (1.30), 9.44.0 (1.31),
   * 9.46.6 (1.32), 9.51.0 (1.33), 9.53.0 (1.34)
   */
  readonly version?: string;
  /**
   * The chart repository (a mirror for a cluster without internet access).
   * @default 'https://kubernetes.github.io/autoscaler'
   */
  readonly chartRepository?: string;
  /**
   * The image repository (chart value `image.repository`), for nodes that cannot pull from registry.k8s.io (an ECR
   * repository holding the same image and tag).
   * @default - the chart's: registry.k8s.io/autoscaling/cluster-autoscaler
   */
  readonly imageRepository?: string;
  /**
   * Autoscaler replicas (leader election: one is active, the others take over).
   * @default - 2, or 1 in development
   */
  readonly replicas?: number;
}

/**
 * Properties of a `ClusterAutoscaler`.
 */
export interface ClusterAutoscalerProps extends ClusterAutoscalerOptions {
  /** The cluster whose managed node groups the autoscaler scales (not an EKS Auto Mode cluster: Auto Mode scales its own nodes). */
  readonly cluster: IEksCluster;
}

/**
 * The Kubernetes cluster-autoscaler of a cluster, AWS side: its IAM identity (EKS Pod Identity for
 * `kube-system/cluster-autoscaler`) with a least-privilege policy, and, as plain values for the Kubernetes side, its
 * Helm release (`release`). `EksCluster` adds one by default once a managed node pool can grow (see
 * `NodeGroupScaling`); build one yourself only for a cluster shipshape did not create.
 *
 * It finds the node groups by the tags EKS puts on every managed node group's Auto Scaling group
 * (`k8s.io/cluster-autoscaler/enabled` and `k8s.io/cluster-autoscaler/<cluster name>`: chart value
 * `autoDiscovery.clusterName`), and changes only their desired capacity, within each pool's `minSize` and `maxSize`.
 * Karpenter's nodes are in no Auto Scaling group: it neither adds nor removes them.
 *
 * The policy, as the cluster-autoscaler's AWS documentation gives it, scoped: the describe calls (Auto Scaling groups,
 * instances, launch configurations, scaling activities, images, instance types, launch template versions) on every
 * resource of the cluster's region (they take none); `autoscaling:SetDesiredCapacity` and
 * `autoscaling:TerminateInstanceInAutoScalingGroup` only on Auto Scaling groups tagged
 * `k8s.io/cluster-autoscaler/<cluster name> = owned` (the cluster's own node groups, which EKS tags so); and
 * `eks:DescribeNodegroup` on the cluster's node groups only, from which it reads a pool's labels and taints to scale
 * it up from zero nodes.
 *
 * The values: the cluster name, the region (pods cannot reach IMDS: the nodes' hop limit is 1), the ServiceAccount the
 * identity trusts, a toleration of `CriticalAddonsOnly` (it may run on the system pool, as the other add-ons do),
 * requests of 100m CPU and 600Mi memory (limit 600Mi), the `least-waste` expander (the default from 1.33 on; 1.29 to
 * 1.32 default to `random`), and `skip-nodes-with-local-storage=false`: every shipshape pod has an emptyDir at
 * `/tmp`, and with the autoscaler's default no node that runs one would ever be removed.
 *
 * Without internet access the cluster's network needs VPC endpoints for the Auto Scaling and EKS APIs
 * (`VpcEndpointService.AUTOSCALING`, `VpcEndpointService.EKS`), and the nodes a mirror of the image (`imageRepository`).
 */
export class ClusterAutoscaler extends Construct {
  /** The chart version. */
  public readonly version: string;
  /** The namespace the autoscaler runs in. */
  public readonly namespace: string = NAMESPACE;
  /** The ServiceAccount the autoscaler runs as (the one its identity trusts). */
  public readonly serviceAccount: string = NAME;
  /** The autoscaler's IAM identity. */
  public readonly identity: WorkloadIdentity;
  /** The Helm release, as plain values (for Argo CD or `helm upgrade --install`). */
  public readonly release: HelmReleaseProfile;
  private readonly cluster: IEksCluster;

  constructor(scope: Construct, id: string, props: ClusterAutoscalerProps) {
    super(scope, id);
    const cluster = props.cluster;
    if (!cluster) fail(this, 'cluster', cluster, 'is required', 'pass the EksCluster');
    this.cluster = cluster;
    if (cluster.autoMode) {
      fail(this, 'cluster', cluster.clusterName, 'runs EKS Auto Mode, which scales its own nodes and has no managed node group',
        'leave the cluster-autoscaler out');
    }
    // an EksCluster left at nodeGroupScaling CLUSTER_AUTOSCALER adds its own (on the same ServiceAccount) once a pool can grow
    if ((cluster as any)._nodeGroupScaling === NodeGroupScaling.CLUSTER_AUTOSCALER && !isBuildingOwnAutoscaler(cluster)) {
      fail(this, 'cluster', cluster.clusterName, 'already runs its own Cluster Autoscaler (nodeGroupScaling NodeGroupScaling.CLUSTER_AUTOSCALER, the default): '
        + `${cluster.node.path} adds it as ${NAMESPACE}/${NAME} once a pool can grow, and a second one would scale the same node groups`,
      'set nodeGroupScaling: NodeGroupScaling.EXTERNAL on the cluster to bring your own, or drop this ClusterAutoscaler (pass its options as the cluster\'s clusterAutoscaler)');
    }
    const { version, repository, replicas } = resolveAutoscalerOptions(this, '', cluster.kubernetesVersion, cluster.environment, props);
    this.version = version;

    const values: { [path: string]: string } = {
      'cloudProvider': 'aws',
      // auto-discovery by the tags EKS puts on the managed node groups' Auto Scaling groups
      'autoDiscovery.clusterName': cluster.clusterName,
      'awsRegion': cluster.region,
      'rbac.serviceAccount.create': 'true',
      'rbac.serviceAccount.name': this.serviceAccount,
      'replicaCount': String(replicas),
      // every shipshape pod has an emptyDir at /tmp: with the default (true) no node running one would be removed
      'extraArgs.skip-nodes-with-local-storage': 'false',
      'extraArgs.expander': 'least-waste',
      // it may run where the other cluster add-ons run (a system pool tainted CriticalAddonsOnly)
      'tolerations[0].key': 'CriticalAddonsOnly',
      'tolerations[0].operator': 'Exists',
      'resources.requests.cpu': '100m',
      'resources.requests.memory': '600Mi',
      'resources.limits.memory': '600Mi',
    };
    if (props.imageRepository !== undefined) values['image.repository'] = props.imageRepository;
    const { identity, release } = controllerRelease(this, {
      cluster, name: NAME, namespace: this.namespace, serviceAccount: this.serviceAccount, statements: autoscalerStatements(this, cluster), repository, version, values,
    });
    this.identity = identity;
    this.release = release;
    this.node.addValidation({ validate: () => this.validateAutoscaler() });
  }

  private validateAutoscaler(): string[] {
    const network = this.cluster.network;
    if (network.internetAccess) return [];
    const missing = missingEndpoints(network, ['autoscaling', 'eks']);
    if (missing.length === 0) return [];
    return [`${this.node.path}: network (${network.node.path}) has no internet access and no VPC endpoint for ${missing.join(', ')}, `
      + 'which the cluster-autoscaler calls (the Auto Scaling API to find and scale the node groups, the EKS API for the labels and taints of a pool at zero nodes); '
      + 'add VpcEndpointService.AUTOSCALING and VpcEndpointService.EKS to the network\'s VpcEndpoints, or leave the autoscaler out (nodeGroupScaling: NodeGroupScaling.NONE)'];
  }
}

/** The autoscaler's least-privilege statements (see the class documentation). */
function autoscalerStatements(scope: Construct, cluster: IEksCluster): PolicyStatement[] {
  const region = cluster.region;
  const partition = partitionOf(region);
  const account = cluster.account ?? AwsContext.of(scope).accountId;
  const name = cluster.clusterName;
  return [
    {
      sid: 'Describe',
      actions: [
        'autoscaling:DescribeAutoScalingGroups', 'autoscaling:DescribeAutoScalingInstances', 'autoscaling:DescribeLaunchConfigurations',
        'autoscaling:DescribeScalingActivities', 'ec2:DescribeImages', 'ec2:DescribeInstanceTypes', 'ec2:DescribeLaunchTemplateVersions',
        'ec2:GetInstanceTypesFromInstanceRequirements',
      ],
      resources: ['*'],
      conditions: [{ test: 'StringEquals', variable: 'aws:RequestedRegion', values: [region] }],
    },
    {
      sid: 'ScaleClusterNodeGroups',
      actions: ['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup'],
      resources: [`arn:${partition}:autoscaling:${region}:${account}:autoScalingGroup:*:autoScalingGroupName/*`],
      conditions: [{ test: 'StringEquals', variable: `aws:ResourceTag/k8s.io/cluster-autoscaler/${name}`, values: ['owned'] }],
    },
    {
      sid: 'DescribeClusterNodeGroups',
      actions: ['eks:DescribeNodegroup'],
      resources: [`arn:${partition}:eks:${region}:${account}:nodegroup/${name}/*/*`],
    },
  ];
}
