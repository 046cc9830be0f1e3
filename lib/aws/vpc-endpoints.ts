import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Construct } from 'constructs';
import { CostTags } from './cost-tags';
import { INetwork } from './network';
import { recordEndpoints } from './private/registry';
import { renderCostTags } from './private/tags';
import { TerraformPolicy } from './terraform-policy';
import { fail } from '../core/errors';
import { Names } from '../core/names';

/**
 * An AWS service reachable through a VPC endpoint.
 */
export class VpcEndpointService {
  /** Amazon S3, as a gateway endpoint (free; image layers from ECR are served from S3). */
  public static readonly S3 = new VpcEndpointService('s3', 'Gateway');
  /** ECR API (image manifests, authorization tokens). */
  public static readonly ECR_API = new VpcEndpointService('ecr.api', 'Interface');
  /** ECR Docker registry (image pulls). */
  public static readonly ECR_DKR = new VpcEndpointService('ecr.dkr', 'Interface');
  /** STS (IRSA web identity, assumed roles). */
  public static readonly STS = new VpcEndpointService('sts', 'Interface');
  /** EC2 (the VPC CNI's address management, Karpenter's launches). */
  public static readonly EC2 = new VpcEndpointService('ec2', 'Interface');
  /** Elastic Load Balancing (load balancer controllers). */
  public static readonly ELASTIC_LOAD_BALANCING = new VpcEndpointService('elasticloadbalancing', 'Interface');
  /** CloudWatch Logs (log shippers, the CloudWatch agent). */
  public static readonly LOGS = new VpcEndpointService('logs', 'Interface');
  /** EKS Auth (EKS Pod Identity credentials). */
  public static readonly EKS_AUTH = new VpcEndpointService('eks-auth', 'Interface');
  /** The EKS API (Karpenter discovers the cluster endpoint through it; the cluster-autoscaler reads node groups' labels and taints). */
  public static readonly EKS = new VpcEndpointService('eks', 'Interface');
  /** EC2 Auto Scaling (the cluster-autoscaler finds and scales the managed node groups' Auto Scaling groups). */
  public static readonly AUTOSCALING = new VpcEndpointService('autoscaling', 'Interface');
  /** SQS (Karpenter's interruption queue). */
  public static readonly SQS = new VpcEndpointService('sqs', 'Interface');
  /** Systems Manager (Session Manager on nodes; Karpenter's AMI lookups). */
  public static readonly SSM = new VpcEndpointService('ssm', 'Interface');
  /** Session Manager's message channel. */
  public static readonly SSM_MESSAGES = new VpcEndpointService('ssmmessages', 'Interface');
  /** The SSM agent's EC2 message channel. */
  public static readonly EC2_MESSAGES = new VpcEndpointService('ec2messages', 'Interface');
  /** AWS KMS. */
  public static readonly KMS = new VpcEndpointService('kms', 'Interface');

  /**
   * Another service with an interface endpoint, by its short name (`secretsmanager`).
   */
  public static interfaceEndpoint(name: string): VpcEndpointService {
    return new VpcEndpointService(name, 'Interface');
  }

  /**
   * What EKS nodes in a VPC without internet access need: S3 (gateway), ECR API and registry, STS,
   * EC2, Elastic Load Balancing, CloudWatch Logs, EKS Auth and the three Systems Manager endpoints.
   * Karpenter needs SQS, EKS and SSM on top; the cluster-autoscaler Auto Scaling and EKS.
   */
  public static eksNodeDefaults(): VpcEndpointService[] {
    const s = VpcEndpointService;
    return [s.S3, s.ECR_API, s.ECR_DKR, s.STS, s.EC2, s.ELASTIC_LOAD_BALANCING, s.LOGS, s.EKS_AUTH, s.SSM, s.SSM_MESSAGES, s.EC2_MESSAGES];
  }

  /** The service's short name (`ecr.api`). */
  public readonly name: string;
  /** `Interface` or `Gateway`. */
  public readonly endpointType: string;

  private constructor(name: string, endpointType: string) {
    this.name = name;
    this.endpointType = endpointType;
  }
}

/**
 * Properties of `VpcEndpoints`.
 */
export interface VpcEndpointsProps {
  /** The network the endpoints serve (interface endpoints in its private subnets, gateways on its private route tables). */
  readonly network: INetwork;
  /**
   * The services (more can be added with `addService`).
   * @default VpcEndpointService.eksNodeDefaults()
   */
  readonly services?: VpcEndpointService[];
  /**
   * Cost-attribution tags.
   * @default - the network's tags
   */
  readonly tags?: CostTags;
  /**
   * The name prefix (security group, Name tags).
   * @default - the construct id in kebab case
   */
  readonly name?: string;
}

/**
 * VPC endpoints for a private cluster: interface endpoints with private DNS in every private subnet,
 * behind one security group that admits HTTPS (443) from the VPC CIDR only, and gateway endpoints
 * on the private route tables. An isolated network (`internetAccess: false`) needs them before a
 * cluster in it passes synth.
 *
 * Cost: each interface endpoint is billed per zone and hour, plus data processed (about USD 7 per
 * zone per month each in us-east-1); gateway endpoints are free.
 */
export class VpcEndpoints extends Construct {
  /** The name prefix. */
  public readonly name: string;
  /** Escape hatch: the security group of the interface endpoints. */
  public readonly securityGroup: SecurityGroup;
  /** Escape hatch: the endpoints by service short name. */
  public readonly endpoints: { [service: string]: VpcEndpoint } = {};
  private readonly network: INetwork;
  private readonly tags: { [key: string]: string };

  constructor(scope: Construct, id: string, props: VpcEndpointsProps) {
    super(scope, id);
    TerraformPolicy._ensure(this);
    if (!props.network) fail(this, 'network', props.network, 'is required', 'pass the Network the endpoints serve');
    this.network = props.network;
    this.name = props.name ?? Names.kebab(id);
    if (!/^[A-Za-z0-9][A-Za-z0-9-]{0,200}$/.test(this.name)) {
      fail(this, 'name', this.name, 'must be letters, digits and -', 'pass a simple name');
    }
    this.tags = renderCostTags(this, 'tags', props.tags ?? props.network.costTags);
    this.securityGroup = new SecurityGroup(this, 'security-group', {
      name: `${this.name}-vpc-endpoints`,
      description: `HTTPS from ${this.name} to the AWS service endpoints`,
      vpcId: this.network.vpcId,
      tags: { ...this.tags, Name: `${this.name}-vpc-endpoints` },
    });
    new VpcSecurityGroupIngressRule(this, 'https-from-vpc', {
      securityGroupId: this.securityGroup.id,
      description: 'HTTPS from the VPC',
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      cidrIpv4: this.network.vpcCidr,
      tags: this.tags,
    });
    for (const s of props.services ?? VpcEndpointService.eksNodeDefaults()) this.addService(s);
  }

  /** The short names of the services with an endpoint. */
  public get services(): string[] {
    return Object.keys(this.endpoints);
  }

  /**
   * Adds an endpoint for one more service.
   */
  public addService(service: VpcEndpointService): VpcEndpoint {
    if (!service || typeof service.name !== 'string' || !/^[a-z0-9][a-z0-9.-]*$/.test(service.name)) {
      fail(this, 'services', service?.name, 'must be a VpcEndpointService', 'use VpcEndpointService.ECR_API or VpcEndpointService.interfaceEndpoint(name)');
    }
    if (this.endpoints[service.name]) {
      fail(this, 'services', service.name, 'appears twice', 'list each service once');
    }
    const region = this.network.region;
    const serviceName = `${region.startsWith('cn-') ? 'cn.com.amazonaws' : 'com.amazonaws'}.${region}.${service.name}`;
    const gateway = service.endpointType === 'Gateway';
    if (gateway && this.network.privateRouteTableIds.length === 0) {
      fail(this, 'services', service.name, 'needs the private route tables of the network for a gateway endpoint, and the network lists none',
        'pass privateRouteTableIds to Network.fromNetworkAttributes, or leave this service out');
    }
    const endpoint = new VpcEndpoint(this, service.name.replace(/\./g, '-'), {
      vpcId: this.network.vpcId,
      serviceName,
      vpcEndpointType: service.endpointType,
      ...(gateway
        ? { routeTableIds: [...this.network.privateRouteTableIds] }
        : { subnetIds: [...this.network.privateSubnetIds], securityGroupIds: [this.securityGroup.id], privateDnsEnabled: true }),
      tags: { ...this.tags, Name: `${this.name}-${service.name}` },
    });
    this.endpoints[service.name] = endpoint;
    recordEndpoints(this.network, [service.name]);
    return endpoint;
  }
}
