import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { Route } from '@cdktf/provider-aws/lib/route';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { Construct, IConstruct } from 'constructs';
import { CostTags } from './cost-tags';
import { AwsContext, policyJson } from './private/aws-context';
import { cidrContains, cidrOverlaps, parseCidr, ParsedCidr, planSubnets } from './private/cidr';
import { LOG_RETENTION_DAYS, logKeyPolicy } from './private/kms';
import { renderCostTags } from './private/tags';
import { TerraformPolicy } from './terraform-policy';
import { fail } from '../core/errors';
import { Names } from '../core/names';
import { EnvironmentProfile } from '../core/profile';

/**
 * A VPC an EKS cluster can run in.
 */
export interface INetwork extends IConstruct {
  /** The VPC id (a Terraform token). */
  readonly vpcId: string;
  /** The AWS region (plain). */
  readonly region: string;
  /** The availability zones, one private and one public subnet each (plain). */
  readonly availabilityZones: string[];
  /** Private subnet ids, in zone order (tokens). */
  readonly privateSubnetIds: string[];
  /** Public subnet ids, in zone order (tokens). */
  readonly publicSubnetIds: string[];
  /** The environment the network serves. */
  readonly environment: EnvironmentProfile;
  /** The cost-attribution tags of the network. */
  readonly costTags: CostTags;
}

/**
 * Properties of a `Network`.
 */
export interface NetworkProps {
  /** The AWS region, for example `eu-west-1` (the provider's region). */
  readonly region: string;
  /** Cost-attribution tags applied to every resource. */
  readonly tags: CostTags;
  /**
   * The environment: production and staging get one NAT gateway per zone, development one in total.
   * @default EnvironmentProfile.PRODUCTION
   */
  readonly environment?: EnvironmentProfile;
  /**
   * The VPC CIDR block (prefix /16 to /24).
   * @default '10.0.0.0/16'
   */
  readonly cidr?: string;
  /**
   * The availability zones (at least 2, at most 6).
   * @default - `<region>a`, `<region>b`, `<region>c`
   */
  readonly availabilityZones?: string[];
  /**
   * Private subnet CIDRs, one per zone, inside the VPC CIDR and not overlapping.
   * @default - the VPC cut in eighths: private subnet i takes the i-th eighth
   */
  readonly privateSubnetCidrs?: string[];
  /**
   * Public subnet CIDRs, one per zone, inside the VPC CIDR and not overlapping.
   * @default - small subnets (prefix + 6) cut from the VPC's last eighth
   */
  readonly publicSubnetCidrs?: string[];
  /**
   * One NAT gateway per zone (true) or a single one (false).
   * @default - true in production and staging, false in development
   */
  readonly natGatewayPerZone?: boolean;
  /**
   * Retention of the VPC flow log group, in days (a CloudWatch Logs retention value).
   * @default 365
   */
  readonly flowLogRetentionDays?: number;
  /**
   * The name prefix of the VPC resources (Name tags, log group).
   * @default - the construct id in kebab case
   */
  readonly name?: string;
}

/**
 * A VPC for EKS: public and private subnets over several zones (with the load-balancer discovery
 * tags), NAT gateways (one per zone in production), no public IPs on private subnets, a locked-down
 * default security group, and VPC flow logs to a KMS-encrypted CloudWatch log group.
 */
export class Network extends Construct implements INetwork {
  public readonly vpcId: string;
  public readonly region: string;
  public readonly availabilityZones: string[];
  public readonly privateSubnetIds: string[];
  public readonly publicSubnetIds: string[];
  public readonly environment: EnvironmentProfile;
  public readonly costTags: CostTags;
  /** The network's name prefix. */
  public readonly name: string;
  /** The VPC CIDR block. */
  public readonly cidr: string;
  /** Private subnet CIDRs, in zone order. */
  public readonly privateSubnetCidrs: string[];
  /** Public subnet CIDRs, in zone order. */
  public readonly publicSubnetCidrs: string[];
  /** Whether there is one NAT gateway per zone. */
  public readonly natGatewayPerZone: boolean;
  /** Escape hatch: the VPC resource. */
  public readonly resource: Vpc;
  /** Escape hatch: the private subnets, in zone order. */
  public readonly privateSubnets: Subnet[];
  /** Escape hatch: the public subnets, in zone order. */
  public readonly publicSubnets: Subnet[];
  /** Escape hatch: the NAT gateways. */
  public readonly natGateways: NatGateway[];
  /** Escape hatch: the flow log. */
  public readonly flowLog: FlowLog;
  /** Escape hatch: the flow log group. */
  public readonly flowLogGroup: CloudwatchLogGroup;
  /** Escape hatch: the KMS key encrypting the flow log group. */
  public readonly logKey: KmsKey;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    TerraformPolicy._ensure(this);
    const tags = renderCostTags(this, 'tags', props.tags);
    this.costTags = props.tags;
    this.environment = props.environment ?? EnvironmentProfile.PRODUCTION;
    this.name = props.name ?? Names.kebab(id);
    if (typeof props.region !== 'string' || !/^[a-z]{2}(-[a-z]+)+-\d$/.test(props.region)) {
      fail(this, 'region', props.region, 'must be an AWS region name such as eu-west-1', 'pass the region your provider uses');
    }
    this.region = props.region;

    const zones = props.availabilityZones ?? ['a', 'b', 'c'].map((s) => `${props.region}${s}`);
    if (zones.length < 2 || zones.length > 6) {
      fail(this, 'availabilityZones', zones, 'must list 2 to 6 zones (EKS needs subnets in at least 2 zones)',
        `list at least two zones, for example ['${props.region}a', '${props.region}b', '${props.region}c']`);
    }
    if (new Set(zones).size !== zones.length) {
      fail(this, 'availabilityZones', zones, 'must not repeat a zone', 'list each zone once');
    }
    for (const z of zones) {
      if (!z.startsWith(props.region)) {
        fail(this, 'availabilityZones', z, `must be zones of region ${props.region}`, `use zones such as ${props.region}a`);
      }
    }
    this.availabilityZones = [...zones];

    this.cidr = props.cidr ?? '10.0.0.0/16';
    const vpcCidr = parseCidr(this.cidr);
    if (!vpcCidr || vpcCidr.prefix < 16 || vpcCidr.prefix > 24) {
      fail(this, 'cidr', this.cidr, 'must be an IPv4 network CIDR with prefix /16 to /24 and no host bits set',
        "use a private range such as '10.0.0.0/16'");
    }
    const plan = planSubnets(vpcCidr, zones.length);
    this.privateSubnetCidrs = this.checkSubnets('privateSubnetCidrs', props.privateSubnetCidrs ?? plan.privateCidrs, vpcCidr, zones.length);
    this.publicSubnetCidrs = this.checkSubnets('publicSubnetCidrs', props.publicSubnetCidrs ?? plan.publicCidrs, vpcCidr, zones.length);
    const all = [
      ...this.privateSubnetCidrs.map((c) => ({ prop: 'privateSubnetCidrs', c: parseCidr(c)! })),
      ...this.publicSubnetCidrs.map((c) => ({ prop: 'publicSubnetCidrs', c: parseCidr(c)! })),
    ];
    for (let i = 0; i < all.length; i++) {
      for (let j = i + 1; j < all.length; j++) {
        if (cidrOverlaps(all[i].c, all[j].c)) {
          fail(this, all[j].prop, all[j].c.text, `must not overlap another subnet (${all[i].c.text} in ${all[i].prop})`,
            'give every subnet its own range inside the VPC CIDR');
        }
      }
    }

    this.natGatewayPerZone = props.natGatewayPerZone ?? (this.environment !== EnvironmentProfile.DEVELOPMENT);
    const retention = props.flowLogRetentionDays ?? 365;
    if (!LOG_RETENTION_DAYS.includes(retention)) {
      fail(this, 'flowLogRetentionDays', retention, `must be one of ${LOG_RETENTION_DAYS.join(', ')}`, 'pick 365 or more');
    }

    const named = (n: string) => ({ ...tags, Name: n });
    this.resource = new Vpc(this, 'vpc', {
      cidrBlock: this.cidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: named(this.name),
    });
    this.vpcId = this.resource.id;

    // No rules: nothing uses the default security group by accident.
    new DefaultSecurityGroup(this, 'default-sg', { vpcId: this.vpcId, tags: named(`${this.name}-default`) });

    const igw = new InternetGateway(this, 'igw', { vpcId: this.vpcId, tags: named(this.name) });
    const publicRt = new RouteTable(this, 'public-rt', { vpcId: this.vpcId, tags: named(`${this.name}-public`) });
    new Route(this, 'public-default', { routeTableId: publicRt.id, destinationCidrBlock: '0.0.0.0/0', gatewayId: igw.id });

    this.publicSubnets = [];
    this.privateSubnets = [];
    this.natGateways = [];
    zones.forEach((zone, i) => {
      const pub = new Subnet(this, `public-${zone}`, {
        vpcId: this.vpcId,
        availabilityZone: zone,
        cidrBlock: this.publicSubnetCidrs[i],
        mapPublicIpOnLaunch: false,
        tags: { ...named(`${this.name}-public-${zone}`), 'kubernetes.io/role/elb': '1' },
      });
      new RouteTableAssociation(this, `public-${zone}-rta`, { subnetId: pub.id, routeTableId: publicRt.id });
      this.publicSubnets.push(pub);
      if (this.natGatewayPerZone || i === 0) {
        const eip = new Eip(this, `nat-${zone}-eip`, { domain: 'vpc', tags: named(`${this.name}-nat-${zone}`) });
        this.natGateways.push(new NatGateway(this, `nat-${zone}`, {
          allocationId: eip.allocationId,
          subnetId: pub.id,
          tags: named(`${this.name}-${zone}`),
          dependsOn: [igw],
        }));
      }
    });
    zones.forEach((zone, i) => {
      const priv = new Subnet(this, `private-${zone}`, {
        vpcId: this.vpcId,
        availabilityZone: zone,
        cidrBlock: this.privateSubnetCidrs[i],
        mapPublicIpOnLaunch: false,
        tags: { ...named(`${this.name}-private-${zone}`), 'kubernetes.io/role/internal-elb': '1' },
      });
      const rt = new RouteTable(this, `private-${zone}-rt`, { vpcId: this.vpcId, tags: named(`${this.name}-private-${zone}`) });
      const nat = this.natGateways[this.natGatewayPerZone ? i : 0];
      new Route(this, `private-${zone}-default`, { routeTableId: rt.id, destinationCidrBlock: '0.0.0.0/0', natGatewayId: nat.id });
      new RouteTableAssociation(this, `private-${zone}-rta`, { subnetId: priv.id, routeTableId: rt.id });
      this.privateSubnets.push(priv);
    });
    this.privateSubnetIds = this.privateSubnets.map((s) => s.id);
    this.publicSubnetIds = this.publicSubnets.map((s) => s.id);

    // Flow logs: CloudWatch Logs, KMS-encrypted, retained.
    const ctx = AwsContext.of(this);
    const logGroupName = `/aws/vpc/${this.name}/flow-logs`;
    this.logKey = new KmsKey(this, 'log-key', {
      description: `${this.name} VPC flow logs`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: logKeyPolicy(ctx, this.region),
      tags,
    });
    this.flowLogGroup = new CloudwatchLogGroup(this, 'flow-log-group', {
      name: logGroupName,
      retentionInDays: retention,
      kmsKeyId: this.logKey.arn,
      tags,
    });
    const flowRole = new IamRole(this, 'flow-log-role', {
      name: `${this.name}-flow-logs`.slice(0, 64),
      assumeRolePolicy: policyJson([{
        Effect: 'Allow',
        Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': ctx.accountId } },
      }]),
      tags,
    });
    new IamRolePolicy(this, 'flow-log-policy', {
      role: flowRole.name,
      name: 'write-flow-logs',
      policy: policyJson([{
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogGroups', 'logs:DescribeLogStreams'],
        Resource: [this.flowLogGroup.arn, `${this.flowLogGroup.arn}:*`],
      }]),
    });
    this.flowLog = new FlowLog(this, 'flow-log', {
      vpcId: this.vpcId,
      trafficType: 'ALL',
      logDestinationType: 'cloud-watch-logs',
      logDestination: this.flowLogGroup.arn,
      iamRoleArn: flowRole.arn,
      maxAggregationInterval: 60,
      tags,
    });
  }

  private checkSubnets(prop: string, cidrs: string[], vpc: ParsedCidr, zones: number): string[] {
    if (!Array.isArray(cidrs) || cidrs.length !== zones) {
      fail(this, prop, cidrs, `must list one CIDR per availability zone (${zones})`, 'give one CIDR per zone, in zone order');
    }
    for (const c of cidrs) {
      const p = parseCidr(c);
      if (!p) {
        fail(this, prop, c, 'must be an IPv4 network CIDR (a.b.c.d/n, no host bits set)', "write it like '10.0.0.0/19'");
      }
      if (!cidrContains(vpc, p)) {
        fail(this, prop, c, `must lie inside the VPC CIDR ${vpc.text}`, 'pick a range inside the VPC CIDR');
      }
      if (p.prefix > 28) {
        fail(this, prop, c, 'must have a prefix of /28 or larger (AWS minimum)', 'use a larger subnet');
      }
    }
    return [...cidrs];
  }
}

