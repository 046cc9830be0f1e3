import { Token } from 'cdktf';
import { Construct } from 'constructs';
import type { IEksCluster } from './eks-cluster';
import { PolicyCondition, PolicyStatement } from './policy-statement';
import { AwsContext, partitionOf } from './private/aws-context';
import { controllerRelease } from './private/controller-release';
import { WorkloadIdentity } from './workload-identity';
import { IngressClassProfile } from '../core/cluster-profile';
import { fail } from '../core/errors';
import { HelmReleaseProfile } from '../core/karpenter-profile';
import { Names } from '../core/names';
import { EnvironmentProfile } from '../core/profile';

/** The chart version shipshape pins (controller v2.14.0); the IAM policy below is written for controller v2.12 to v2.17. */
const PINNED_VERSION = '1.14.0';
/** Chart versions whose controller the policy fits and whose chart has `vpcTags` (1.12.0 and later of the 1.x line). */
const SUPPORTED_VERSION = /^1\.1[2-7]\.\d+$/;
const NAME = 'aws-load-balancer-controller';
const NAMESPACE = 'kube-system';
/** The tag the controller puts on every load balancer, target group, listener, rule and security group it creates. */
const CLUSTER_TAG = 'elbv2.k8s.aws/cluster';

/**
 * Options of `EksCluster.addLoadBalancerController()`.
 */
export interface LoadBalancerControllerOptions {
  /**
   * The IngressClass the controller serves.
   * @default 'alb'
   */
  readonly ingressClassName?: string;
  /**
   * Whether the IngressClass is the cluster's default (Ingresses that name no class use it).
   * @default true
   */
  readonly defaultIngressClass?: boolean;
  /**
   * The exact chart version (`aws-load-balancer-controller` of https://aws.github.io/eks-charts), 1.12.0 to 1.17.x:
   * the IAM policy is written for the controllers of those charts (v2.12 to v2.17).
   * @default '1.14.0'
   */
  readonly version?: string;
  /**
   * The chart repository (a mirror for a cluster without internet access).
   * @default 'https://aws.github.io/eks-charts'
   */
  readonly chartRepository?: string;
  /**
   * Controller replicas (leader election: one is active, the others take over).
   * @default - 2, or 1 in development
   */
  readonly replicas?: number;
}

/**
 * Properties of a `LoadBalancerController`.
 */
export interface LoadBalancerControllerProps extends LoadBalancerControllerOptions {
  /** The cluster the controller runs in (not an EKS Auto Mode cluster: Auto Mode runs its own). */
  readonly cluster: IEksCluster;
}

/**
 * The AWS Load Balancer Controller of a cluster, AWS side: its IAM identity (EKS Pod Identity for
 * `kube-system/aws-load-balancer-controller`) with a least-privilege policy, and, as plain values for the
 * Kubernetes side, its Helm release (`release`) and the IngressClass it serves (`ingressClass`, controller
 * `ingress.k8s.aws/alb`).
 *
 * The policy: read-only describe calls (regional), ACM certificate discovery, and create / modify / delete only of
 * load balancers, target groups, listeners, rules and security groups that carry the controller's tag
 * `elbv2.k8s.aws/cluster = <cluster name>` (created with it, and never re-tagged to another cluster); security
 * groups are created only in the cluster's VPC, and ingress rules are added to the cluster's own security group
 * (tagged `kubernetes.io/cluster/<name> = owned` by EKS) so load balancers reach the pods. Not granted: WAF, Shield
 * and Cognito (the chart values turn the WAF and Shield integrations off; the `wafv2-acl-arn`, `shield-advanced`
 * and `auth-type: cognito` annotations therefore do not work), and resources the controller did not create.
 *
 * Nodes keep IMDS out of the pods' reach (hop limit 1), so the values give the controller its region and VPC (the
 * VPC id when known at synth, else the VPC's `Name` tag). The subnets carry the load balancer discovery tags
 * (`kubernetes.io/role/internal-elb` on private, `kubernetes.io/role/elb` on public subnets) when `aws.Network`
 * built them. The controller tolerates `CriticalAddonsOnly`, so it may run on a system pool with the other add-ons.
 */
export class LoadBalancerController extends Construct {
  /** The chart version. */
  public readonly version: string;
  /** The namespace the controller runs in. */
  public readonly namespace: string = NAMESPACE;
  /** The ServiceAccount the controller runs as (the one its identity trusts). */
  public readonly serviceAccount: string = NAME;
  /** The IngressClass name. */
  public readonly ingressClassName: string;
  /** The controller's IAM identity. */
  public readonly identity: WorkloadIdentity;
  /** The Helm release, as plain values (for Argo CD or `helm upgrade --install`). */
  public readonly release: HelmReleaseProfile;
  /** The IngressClass the controller serves, as plain values (created by the Kubernetes side's `ClusterResources`). */
  public readonly ingressClass: IngressClassProfile;

  constructor(scope: Construct, id: string, props: LoadBalancerControllerProps) {
    super(scope, id);
    const cluster = props.cluster;
    if (cluster.autoMode) {
      fail(this, 'cluster', cluster.clusterName, 'runs EKS Auto Mode, whose built-in load balancing serves IngressClass controller eks.amazonaws.com/alb',
        'leave the controller out: the cluster profile already offers the built-in class');
    }
    this.version = props.version ?? PINNED_VERSION;
    if (typeof this.version !== 'string' || !SUPPORTED_VERSION.test(this.version)) {
      fail(this, 'version', this.version, 'must be an exact chart version from 1.12.0 to 1.17.x (controller v2.12 to v2.17, the versions the IAM policy is written for)',
        `use ${PINNED_VERSION} or leave version out`);
    }
    const repository = props.chartRepository ?? 'https://aws.github.io/eks-charts';
    if (!/^(https|oci):\/\/\S+$/.test(repository)) {
      fail(this, 'chartRepository', repository, 'must be an https:// or oci:// chart repository', "use 'https://aws.github.io/eks-charts' or your mirror");
    }
    this.ingressClassName = Names.dnsSubdomain(this, 'ingressClassName', props.ingressClassName ?? 'alb');
    const replicas = props.replicas ?? (cluster.environment === EnvironmentProfile.DEVELOPMENT ? 1 : 2);
    if (!Number.isInteger(replicas) || replicas < 1 || replicas > 10) {
      fail(this, 'replicas', replicas, 'must be a whole number from 1 to 10', 'use 2 (one active, one standby)');
    }

    const values: { [path: string]: string } = {
      'clusterName': cluster.clusterName,
      'region': cluster.region,
      ...this.vpcValues(cluster),
      'serviceAccount.create': 'true',
      'serviceAccount.name': this.serviceAccount,
      'replicaCount': String(replicas),
      'ingressClass': this.ingressClassName,
      // the IngressClass comes from the cluster profile (k8s ClusterResources), not from the chart
      'createIngressClassResource': 'false',
      // no WAF / Shield permissions are granted
      'enableShield': 'false',
      'enableWaf': 'false',
      'enableWafv2': 'false',
      // listeners and rules carry the cluster tag the policy checks
      'controllerConfig.featureGates.ListenerRulesTagging': 'true',
      // it may run where the other cluster add-ons run (a system pool tainted CriticalAddonsOnly)
      'tolerations[0].key': 'CriticalAddonsOnly',
      'tolerations[0].operator': 'Exists',
    };

    const { identity, release } = controllerRelease(this, {
      cluster, name: NAME, namespace: this.namespace, serviceAccount: this.serviceAccount, statements: controllerStatements(this, cluster), repository, version: this.version, values,
    });
    this.identity = identity;
    this.release = release;
    this.ingressClass = {
      name: this.ingressClassName,
      controller: 'ingress.k8s.aws/alb',
      isDefault: props.defaultIngressClass ?? true,
      controllerRelease: this.release,
      controllerNamespace: this.namespace,
      controllerPodLabels: { 'app.kubernetes.io/name': NAME, 'app.kubernetes.io/instance': NAME },
    };
  }

  /** The controller cannot read its VPC from IMDS (hop limit 1): the VPC id when plain, else the VPC's Name tag. */
  private vpcValues(cluster: IEksCluster): { [path: string]: string } {
    const network: any = cluster.network;
    if (!Token.isUnresolved(network.vpcId)) return { vpcId: network.vpcId };
    if (network.resource?.terraformResourceType === 'aws_vpc' && typeof network.name === 'string' && !Token.isUnresolved(network.name)) {
      return { 'vpcTags.Name': network.name };
    }
    return fail(this, 'cluster.network', network.node?.path, 'has a VPC id known only after apply and no Name tag shipshape set, so the controller could not find its VPC (pods cannot reach IMDS)',
      'use aws.Network, or Network.fromNetworkAttributes with the literal VPC id');
  }
}

/** The controller's least-privilege statements (see the class documentation). */
function controllerStatements(scope: Construct, cluster: IEksCluster): PolicyStatement[] {
  const region = cluster.region;
  const partition = partitionOf(region);
  const account = cluster.account ?? AwsContext.of(scope).accountId;
  const name = cluster.clusterName;
  const eq = (variable: string, ...values: string[]): PolicyCondition => ({ test: 'StringEquals', variable, values });
  const owned = eq(`aws:ResourceTag/${CLUSTER_TAG}`, name);
  const createdOwned = eq(`aws:RequestTag/${CLUSTER_TAG}`, name);
  const keepsClusterTag: PolicyCondition = { test: 'ForAllValues:StringNotEquals', variable: 'aws:TagKeys', values: [CLUSTER_TAG] };
  const thisRegion = eq('aws:RequestedRegion', region);
  const elb = (r: string) => `arn:${partition}:elasticloadbalancing:${region}:${account}:${r}`;
  const loadBalancers = [elb('loadbalancer/app/*/*'), elb('loadbalancer/net/*/*')];
  const targetGroups = [elb('targetgroup/*/*')];
  const listeners = [elb('listener/app/*/*/*'), elb('listener/net/*/*/*')];
  const rules = [elb('listener-rule/app/*/*/*/*'), elb('listener-rule/net/*/*/*/*')];
  const securityGroups = [`arn:${partition}:ec2:${region}:${account}:security-group/*`];
  return [
    {
      sid: 'ElbServiceLinkedRole',
      actions: ['iam:CreateServiceLinkedRole'],
      resources: [`arn:${partition}:iam::${account}:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing`],
      conditions: [eq('iam:AWSServiceName', 'elasticloadbalancing.amazonaws.com')],
    },
    {
      sid: 'Describe',
      actions: [
        'ec2:DescribeAccountAttributes', 'ec2:DescribeAddresses', 'ec2:DescribeAvailabilityZones', 'ec2:DescribeInternetGateways',
        'ec2:DescribeVpcs', 'ec2:DescribeVpcPeeringConnections', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups', 'ec2:DescribeInstances',
        'ec2:DescribeNetworkInterfaces', 'ec2:DescribeTags', 'ec2:DescribeRouteTables', 'ec2:DescribeCoipPools', 'ec2:GetCoipPoolUsage',
        'ec2:GetSecurityGroupsForVpc', 'ec2:DescribeIpamPools',
        'elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DescribeLoadBalancerAttributes', 'elasticloadbalancing:DescribeListeners',
        'elasticloadbalancing:DescribeListenerAttributes', 'elasticloadbalancing:DescribeListenerCertificates', 'elasticloadbalancing:DescribeSSLPolicies',
        'elasticloadbalancing:DescribeRules', 'elasticloadbalancing:DescribeTargetGroups', 'elasticloadbalancing:DescribeTargetGroupAttributes',
        'elasticloadbalancing:DescribeTargetHealth', 'elasticloadbalancing:DescribeTags', 'elasticloadbalancing:DescribeTrustStores',
        'elasticloadbalancing:DescribeCapacityReservation', 'acm:ListCertificates',
      ],
      resources: ['*'],
      conditions: [thisRegion],
    },
    { sid: 'DescribeCertificates', actions: ['acm:DescribeCertificate'], resources: [`arn:${partition}:acm:${region}:${account}:certificate/*`] },
    { sid: 'SecurityGroupsInClusterVpc', actions: ['ec2:CreateSecurityGroup'], resources: [`arn:${partition}:ec2:${region}:${account}:vpc/${cluster.network.vpcId}`] },
    { sid: 'CreateOwnedSecurityGroups', actions: ['ec2:CreateSecurityGroup'], resources: securityGroups, conditions: [createdOwned] },
    {
      sid: 'TagSecurityGroupsOnCreate',
      actions: ['ec2:CreateTags'],
      resources: securityGroups,
      conditions: [createdOwned, eq('ec2:CreateAction', 'CreateSecurityGroup')],
    },
    {
      sid: 'ManageOwnedSecurityGroups',
      actions: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress', 'ec2:DeleteSecurityGroup'],
      resources: securityGroups,
      conditions: [owned],
    },
    { sid: 'RetagOwnedSecurityGroups', actions: ['ec2:CreateTags', 'ec2:DeleteTags'], resources: securityGroups, conditions: [owned, keepsClusterTag] },
    {
      sid: 'OpenClusterSecurityGroupToLoadBalancers',
      actions: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress'],
      resources: securityGroups,
      conditions: [eq(`aws:ResourceTag/kubernetes.io/cluster/${name}`, 'owned')],
    },
    {
      sid: 'CreateOwnedLoadBalancers',
      actions: ['elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:CreateTargetGroup'],
      resources: [...loadBalancers, ...targetGroups],
      conditions: [createdOwned],
    },
    {
      sid: 'TagOnCreate',
      actions: ['elasticloadbalancing:AddTags'],
      resources: [...loadBalancers, ...targetGroups, ...listeners, ...rules],
      conditions: [createdOwned, eq('elasticloadbalancing:CreateAction', 'CreateLoadBalancer', 'CreateTargetGroup', 'CreateListener', 'CreateRule')],
    },
    {
      sid: 'ManageOwnedLoadBalancers',
      actions: [
        'elasticloadbalancing:ModifyLoadBalancerAttributes', 'elasticloadbalancing:SetIpAddressType', 'elasticloadbalancing:SetSecurityGroups',
        'elasticloadbalancing:SetSubnets', 'elasticloadbalancing:DeleteLoadBalancer', 'elasticloadbalancing:ModifyCapacityReservation',
        'elasticloadbalancing:ModifyTargetGroup', 'elasticloadbalancing:ModifyTargetGroupAttributes', 'elasticloadbalancing:DeleteTargetGroup',
        'elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets',
      ],
      resources: [...loadBalancers, ...targetGroups],
      conditions: [owned],
    },
    {
      sid: 'ManageOwnedListeners',
      actions: [
        'elasticloadbalancing:CreateListener', 'elasticloadbalancing:DeleteListener', 'elasticloadbalancing:ModifyListener',
        'elasticloadbalancing:ModifyListenerAttributes', 'elasticloadbalancing:AddListenerCertificates',
        'elasticloadbalancing:RemoveListenerCertificates', 'elasticloadbalancing:CreateRule',
      ],
      resources: [...loadBalancers, ...listeners],
      conditions: [owned],
    },
    {
      sid: 'ManageOwnedRules',
      actions: ['elasticloadbalancing:DeleteRule', 'elasticloadbalancing:ModifyRule', 'elasticloadbalancing:SetRulePriorities'],
      resources: rules,
      conditions: [owned],
    },
    {
      sid: 'RetagOwnedLoadBalancers',
      actions: ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'],
      resources: [...loadBalancers, ...targetGroups, ...listeners, ...rules],
      conditions: [owned, keepsClusterTag],
    },
  ];
}
