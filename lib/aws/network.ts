import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsAvailabilityZones } from '@cdktf/provider-aws/lib/data-aws-availability-zones';
import { DataAwsSubnet } from '@cdktf/provider-aws/lib/data-aws-subnet';
import { DataAwsVpc } from '@cdktf/provider-aws/lib/data-aws-vpc';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { Ec2Tag } from '@cdktf/provider-aws/lib/ec2-tag';
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
import { AwsContext, policyJson, providerRegionProblem } from './private/aws-context';
import { cidrContains, cidrOverlaps, formatCidr, MIN_LOAD_BALANCER_SUBNET_PREFIX, parseCidr, ParsedCidr, planSubnets, PRIVATE_SUBNET_OFFSET, PUBLIC_SUBNET_OFFSET } from './private/cidr';
import { LOG_RETENTION_DAYS, logKeyPolicy, nearestLogRetention } from './private/kms';
import { rawDataRef } from './private/raw-ref';
import { checkEnvironmentTag, renderCostTags } from './private/tags';
import { TerraformPolicy } from './terraform-policy';
import { fail, warn } from '../core/errors';
import { Names } from '../core/names';
import { EnvironmentProfile } from '../core/profile';
import { Validators } from '../core/validators';

/**
 * The zone letters of the default zones where `<region>a`, `b` and `c` are not all there for every account (the
 * others default to a, b and c).
 */
const DEFAULT_ZONE_LETTERS: { [region: string]: string[] } = {
  'ap-northeast-1': ['a', 'c', 'd'],
  'ca-central-1': ['a', 'b', 'd'],
  'cn-north-1': ['a', 'b', 'd'],
};
/** Regions where an account sees two zones, named per account: no default can be right for every account. */
const NO_DEFAULT_ZONES = new Set(['us-west-1']);

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
  /** The VPC CIDR block (plain, or a token for an imported VPC). */
  readonly vpcCidr: string;
  /** The route tables of the private subnets (tokens), where gateway endpoints add their routes. */
  readonly privateRouteTableIds: string[];
  /** Whether the private subnets reach the internet (through NAT gateways). */
  readonly internetAccess: boolean;

  /**
   * Adds tags to every private subnet (for example Karpenter's discovery tag).
   */
  addPrivateSubnetTags(tags: { [key: string]: string }): void;
}

/**
 * An existing VPC to use (`Network.fromNetworkAttributes`). The plan checks that the subnets belong to
 * the VPC, lie in the zones given, give no public IPs, and that the VPC resolves DNS names.
 */
export interface NetworkAttributes {
  /** The VPC id, for example `vpc-0a1b2c3d4e5f60718`. */
  readonly vpcId: string;
  /** The AWS region (the provider's region). */
  readonly region: string;
  /** The availability zones of the private subnets, in the same order (at least 2). */
  readonly availabilityZones: string[];
  /** The private subnet ids, one per zone, in zone order. Nodes and the control plane use them. */
  readonly privateSubnetIds: string[];
  /**
   * The public subnet ids (internet-facing load balancers).
   * @default - none
   */
  readonly publicSubnetIds?: string[];
  /**
   * The route tables of the private subnets, for gateway endpoints (S3).
   * @default - none: gateway endpoints are refused
   */
  readonly privateRouteTableIds?: string[];
  /** Cost-attribution tags of the resources shipshape adds to the network. */
  readonly tags: CostTags;
  /**
   * The environment.
   * @default EnvironmentProfile.PRODUCTION
   */
  readonly environment?: EnvironmentProfile;
  /**
   * Whether the private subnets reach the internet (NAT or another egress).
   * @default true
   */
  readonly internetAccess?: boolean;
}

/**
 * Properties of a `Network`.
 */
/** The private IPv4 ranges a VPC is meant to use (RFC 1918, and the shared address space of RFC 6598). */
const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'].map(c => parseCidr(c)!);

export interface NetworkProps {
  /**
   * The AWS region, for example `eu-west-1`: the region of the AWS provider the network's resources are planned
   * with. Synth refuses another region when the provider's is a plain value (left to `AWS_REGION`, it cannot be
   * compared).
   */
  readonly region: string;
  /** Cost-attribution tags applied to every resource. */
  readonly tags: CostTags;
  /**
   * The environment: production and staging get one NAT gateway per zone, development one in total.
   * @default EnvironmentProfile.PRODUCTION
   */
  readonly environment?: EnvironmentProfile;
  /**
   * The VPC CIDR block: prefix /16 to /21 when the subnets are derived (the public subnets are the VPC prefix + 6, and
   * a load balancer needs a /27 or larger); up to /24 when `publicSubnetCidrs` is given or `internetAccess` is false.
   * A range outside the private ones (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10) is accepted with a
   * warning: the internet hosts with those addresses would be unreachable from the cluster.
   * @default '10.0.0.0/16'
   */
  readonly cidr?: string;
  /**
   * The availability zones (at least 2, at most 6). The plan checks that the account has them in the region (the
   * zones an account sees, and their names, differ between accounts in some regions), and fails naming the zones it
   * has instead.
   * @default - three zones of the region: `<region>a`, `<region>b`, `<region>c`, except where those are not all
   * there: ap-northeast-1 (a, c, d), ca-central-1 (a, b, d), cn-north-1 (a, b, d); in us-west-1, which gives each
   * account two zones under names of its own, there is no default (pass the zones `aws ec2 describe-availability-zones` lists)
   */
  readonly availabilityZones?: string[];
  /**
   * Private subnet CIDRs, one per zone, inside the VPC CIDR and not overlapping.
   * @default - the VPC cut in eighths: private subnet i takes the i-th eighth
   */
  readonly privateSubnetCidrs?: string[];
  /**
   * Public subnet CIDRs, one per zone, inside the VPC CIDR and not overlapping, each /27 or larger (they are tagged
   * `kubernetes.io/role/elb`, and a load balancer needs a /27 or larger subnet).
   * @default - small subnets (prefix + 6) cut from the VPC's last eighth
   */
  readonly publicSubnetCidrs?: string[];
  /**
   * One NAT gateway per zone (true) or a single one (false).
   * @default - true in production and staging, false in development
   */
  readonly natGatewayPerZone?: boolean;
  /**
   * Retention of the VPC flow log group, in days: a CloudWatch Logs retention value (1, 3, 5, 7, 14, 30, 60, 90, 120,
   * 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653).
   * @default 365
   */
  readonly flowLogRetentionDays?: number;
  /**
   * The name prefix of the VPC resources: the Name tags (the AWS Load Balancer Controller finds the VPC by its
   * Name tag), the flow log group `/aws/vpc/<name>/flow-logs` and the IAM role `<name>-flow-logs`. IAM role names are
   * unique per account and log group names per account and region, so two networks must not share a name there.
   * 1 to 54 characters of letters, digits and `._-`.
   * @default - the construct path in kebab case (`<stack>-<id>`, for example `production-network`): unique in the
   * app, so the networks of two stacks never share a name
   */
  readonly name?: string;
  /**
   * Internet egress for the private subnets. `false` builds an isolated VPC: no internet gateway, no
   * NAT gateways, no public subnets; nodes then reach AWS services through VPC endpoints only
   * (`VpcEndpoints`), and a cluster in it is refused at synth until the endpoints it needs exist.
   * @default true
   */
  readonly internetAccess?: boolean;
}

/**
 * A VPC for EKS: public and private subnets over several zones (with the load-balancer discovery
 * tags), NAT gateways (one per zone in production), no public IPs on private subnets, a locked-down
 * default security group, and VPC flow logs to a KMS-encrypted CloudWatch log group.
 */
export class Network extends Construct implements INetwork {
  /**
   * Uses an existing VPC and subnets. Nothing is created for them; data sources read them at plan
   * time, and the plan fails when a subnet is in another VPC or zone than declared, gives public IPs
   * on launch, or the VPC has DNS support or DNS hostnames off.
   */
  public static fromNetworkAttributes(scope: Construct, id: string, attrs: NetworkAttributes): INetwork {
    return new ImportedNetwork(scope, id, attrs);
  }

  public readonly vpcId: string;
  public readonly region: string;
  public readonly availabilityZones: string[];
  public readonly privateSubnetIds: string[];
  public readonly publicSubnetIds: string[];
  public readonly environment: EnvironmentProfile;
  public readonly costTags: CostTags;
  public readonly vpcCidr: string;
  public readonly privateRouteTableIds: string[];
  public readonly internetAccess: boolean;
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
  /** Escape hatch: the route tables of the private subnets, in zone order. */
  public readonly privateRouteTables: RouteTable[];

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    TerraformPolicy._ensure(this);
    const tags = renderCostTags(this, 'tags', props.tags);
    this.costTags = props.tags;
    if (props.environment !== undefined) Validators.environmentProfile(this, 'environment', props.environment);
    this.environment = props.environment ?? EnvironmentProfile.PRODUCTION;
    checkEnvironmentTag(this, props.environment, this.environment, props.tags);
    this.name = props.name ?? Names.kebab(this.node.path.replace(/\//g, '-'));
    if (typeof this.name !== 'string' || !/^[A-Za-z0-9._-]{1,54}$/.test(this.name)) {
      fail(this, 'name', this.name, `must be 1 to 54 characters of letters, digits and ._- (it names the IAM role <name>-flow-logs, at most 64 characters, and the log group /aws/vpc/<name>/flow-logs)${props.name === undefined ? '; the default is the construct path in kebab case' : ''}`,
        'pass a shorter name, unique in the account and region');
    }
    Validators.awsRegion(this, 'region', props.region, 'pass the region your provider uses');
    this.region = props.region;

    if (props.availabilityZones === undefined && NO_DEFAULT_ZONES.has(props.region)) {
      fail(this, 'availabilityZones', undefined, `has no default in ${props.region}: the region gives each account two zones, named per account`,
        `pass the zones your account has there (aws ec2 describe-availability-zones --region ${props.region} --query 'AvailabilityZones[].ZoneName'), for example ['${props.region}a', '${props.region}b']`);
    }
    const zones = props.availabilityZones ?? (DEFAULT_ZONE_LETTERS[props.region] ?? ['a', 'b', 'c']).map((s) => `${props.region}${s}`);
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
    if (!PRIVATE_RANGES.some(r => cidrContains(r, vpcCidr))) {
      warn(this, `cidr (${this.cidr}) is not a private range (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, or 100.64.0.0/10): AWS accepts it, but `
        + 'inside the VPC its addresses are the VPC\'s, so the internet hosts that have them cannot be reached from the cluster; '
        + 'use a private range unless your organisation owns this one');
    }
    this.vpcCidr = this.cidr;
    this.internetAccess = props.internetAccess ?? true;
    if (!this.internetAccess && props.publicSubnetCidrs !== undefined) {
      fail(this, 'publicSubnetCidrs', props.publicSubnetCidrs, 'must be left out when internetAccess is false (an isolated VPC has no public subnets)',
        'remove publicSubnetCidrs, or set internetAccess: true');
    }
    if (!this.internetAccess && props.natGatewayPerZone !== undefined) {
      fail(this, 'natGatewayPerZone', props.natGatewayPerZone, 'must be left out when internetAccess is false (an isolated VPC has no NAT gateway)',
        'remove natGatewayPerZone, or set internetAccess: true');
    }
    // derived public subnets are the VPC prefix + 6 and carry kubernetes.io/role/elb: they must hold a load balancer
    const maxDerivedPrefix = MIN_LOAD_BALANCER_SUBNET_PREFIX - PUBLIC_SUBNET_OFFSET;
    if (this.internetAccess && props.publicSubnetCidrs === undefined && vpcCidr.prefix > maxDerivedPrefix) {
      const priv = props.privateSubnetCidrs === undefined ? `private subnets /${vpcCidr.prefix + PRIVATE_SUBNET_OFFSET} and ` : '';
      fail(this, 'cidr', this.cidr,
        `is too small for the derived subnets (${priv}public subnets /${vpcCidr.prefix + PUBLIC_SUBNET_OFFSET}, the VPC prefix + ${PUBLIC_SUBNET_OFFSET}): `
        + `the public subnets are tagged kubernetes.io/role/elb and an Application Load Balancer needs a /${MIN_LOAD_BALANCER_SUBNET_PREFIX} or larger subnet with 8 free addresses, `
        + `so the VPC must have a prefix of /${maxDerivedPrefix} or larger when publicSubnetCidrs is left out`,
        `use a /${maxDerivedPrefix} or larger VPC (for example '${formatCidr(vpcCidr.base - (vpcCidr.base % 2 ** (32 - maxDerivedPrefix)), maxDerivedPrefix)}' if that range is free, or the default /16), `
        + `or give publicSubnetCidrs (and privateSubnetCidrs) explicitly, /${MIN_LOAD_BALANCER_SUBNET_PREFIX} or larger for the public ones`);
    }
    const plan = planSubnets(vpcCidr, zones.length);
    this.privateSubnetCidrs = this.checkSubnets('privateSubnetCidrs', props.privateSubnetCidrs ?? plan.privateCidrs, vpcCidr, zones.length);
    this.publicSubnetCidrs = this.internetAccess
      ? this.checkSubnets('publicSubnetCidrs', props.publicSubnetCidrs ?? plan.publicCidrs, vpcCidr, zones.length)
      : [];
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

    this.natGatewayPerZone = this.internetAccess && (props.natGatewayPerZone ?? (this.environment !== EnvironmentProfile.DEVELOPMENT));
    const retention = props.flowLogRetentionDays ?? 365;
    if (!LOG_RETENTION_DAYS.includes(retention)) {
      fail(this, 'flowLogRetentionDays', retention, `must be one of CloudWatch Logs' retention values (${LOG_RETENTION_DAYS.join(', ')})`,
        `use ${nearestLogRetention(retention)}`);
    }

    const named = (n: string) => ({ ...tags, Name: n });
    this.resource = new Vpc(this, 'vpc', {
      cidrBlock: this.cidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: named(this.name),
    });
    this.node.addValidation({
      validate: () => {
        const problem = providerRegionProblem(this, 'region', this.region, this.resource,
          `its subnets would ask for zones ${this.availabilityZones.join(', ')} in another region, and terraform apply fails`);
        return problem ? [problem] : [];
      },
    });
    this.vpcId = this.resource.id;

    // plan-time: every zone is one the account has in the region (a missing zone fails the subnet at apply, after the
    // VPC and the NAT gateways of the other zones exist); a mocked provider reports no zone, and is not checked
    const listed = `[${zones.map((z) => JSON.stringify(z)).join(', ')}]`;
    new DataAwsAvailabilityZones(this, 'zones', {
      lifecycle: {
        postcondition: [{
          condition: `\${length(self.names) == 0 || length(setsubtract(${listed}, self.names)) == 0}`,
          errorMessage: `The account has no zone \${join(", ", setsubtract(${listed}, self.names))} in ${this.region}; its zones there are \${join(", ", self.names)}. `
            + `Pass availabilityZones (${this.node.path}) from those.`,
        }],
      },
    });

    // No rules: nothing uses the default security group by accident.
    new DefaultSecurityGroup(this, 'default-sg', { vpcId: this.vpcId, tags: named(`${this.name}-default`) });

    this.publicSubnets = [];
    this.privateSubnets = [];
    this.privateRouteTables = [];
    this.natGateways = [];
    if (this.internetAccess) this.buildPublicSide(zones, named);
    zones.forEach((zone, i) => {
      const priv = new Subnet(this, `private-${zone}`, {
        vpcId: this.vpcId,
        availabilityZone: zone,
        cidrBlock: this.privateSubnetCidrs[i],
        mapPublicIpOnLaunch: false,
        tags: { ...named(`${this.name}-private-${zone}`), 'kubernetes.io/role/internal-elb': '1' },
      });
      const rt = new RouteTable(this, `private-${zone}-rt`, { vpcId: this.vpcId, tags: named(`${this.name}-private-${zone}`) });
      if (this.internetAccess) {
        const nat = this.natGateways[this.natGatewayPerZone ? i : 0];
        new Route(this, `private-${zone}-default`, { routeTableId: rt.id, destinationCidrBlock: '0.0.0.0/0', natGatewayId: nat.id });
      }
      new RouteTableAssociation(this, `private-${zone}-rta`, { subnetId: priv.id, routeTableId: rt.id });
      this.privateSubnets.push(priv);
      this.privateRouteTables.push(rt);
    });
    this.privateSubnetIds = this.privateSubnets.map((s) => s.id);
    this.publicSubnetIds = this.publicSubnets.map((s) => s.id);
    this.privateRouteTableIds = this.privateRouteTables.map((t) => t.id);
    // Flow logs: CloudWatch Logs, KMS-encrypted, retained.
    const ctx = AwsContext.of(this);
    const logGroupName = `/aws/vpc/${this.name}/flow-logs`;
    this.logKey = new KmsKey(this, 'log-key', {
      description: `${this.name} VPC flow logs`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: logKeyPolicy(ctx, this.region, logGroupName),
      tags,
    });
    this.flowLogGroup = new CloudwatchLogGroup(this, 'flow-log-group', {
      name: logGroupName,
      retentionInDays: retention,
      kmsKeyId: this.logKey.arn,
      tags,
    });
    const flowRole = new IamRole(this, 'flow-log-role', {
      name: `${this.name}-flow-logs`,
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

  public addPrivateSubnetTags(tags: { [key: string]: string }): void {
    for (const subnet of this.privateSubnets) subnet.tags = { ...(subnet.tagsInput ?? {}), ...tags };
  }

  private buildPublicSide(zones: string[], named: (n: string) => { [key: string]: string }): void {
    const igw = new InternetGateway(this, 'igw', { vpcId: this.vpcId, tags: named(this.name) });
    const publicRt = new RouteTable(this, 'public-rt', { vpcId: this.vpcId, tags: named(`${this.name}-public`) });
    new Route(this, 'public-default', { routeTableId: publicRt.id, destinationCidrBlock: '0.0.0.0/0', gatewayId: igw.id });
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
      if (prop === 'publicSubnetCidrs' && p.prefix > MIN_LOAD_BALANCER_SUBNET_PREFIX) {
        const lb = MIN_LOAD_BALANCER_SUBNET_PREFIX;
        fail(this, prop, c, `must have a prefix of /${lb} or larger: the public subnets are tagged kubernetes.io/role/elb and an Application Load Balancer `
          + `needs a /${lb} or larger subnet with 8 free addresses`,
        `use a /${lb} or larger subnet (for example '${formatCidr(p.base - (p.base % 2 ** (32 - lb)), lb)}' if that range is free)`);
      }
    }
    return [...cidrs];
  }
}


const VPC_ID = /^(vpc-[0-9a-f]{8,17}|\$\{.+\})$/;
const SUBNET_ID = /^(subnet-[0-9a-f]{8,17}|\$\{.+\})$/;
const ROUTE_TABLE_ID = /^(rtb-[0-9a-f]{8,17}|\$\{.+\})$/;

/** An existing VPC (`Network.fromNetworkAttributes`). */
class ImportedNetwork extends Construct implements INetwork {
  public readonly vpcId: string;
  public readonly region: string;
  public readonly availabilityZones: string[];
  public readonly privateSubnetIds: string[];
  public readonly publicSubnetIds: string[];
  public readonly environment: EnvironmentProfile;
  public readonly costTags: CostTags;
  public readonly vpcCidr: string;
  public readonly privateRouteTableIds: string[];
  public readonly internetAccess: boolean;
  private readonly tagIds = new Set<string>();

  constructor(scope: Construct, id: string, attrs: NetworkAttributes) {
    super(scope, id);
    TerraformPolicy._ensure(this);
    renderCostTags(this, 'tags', attrs.tags);
    this.costTags = attrs.tags;
    this.environment = attrs.environment ?? EnvironmentProfile.PRODUCTION;
    Validators.awsRegion(this, 'region', attrs.region, 'pass the region your provider uses');
    this.region = attrs.region;
    if (typeof attrs.vpcId !== 'string' || !VPC_ID.test(attrs.vpcId)) {
      fail(this, 'vpcId', attrs.vpcId, 'must be a VPC id (vpc-0123456789abcdef0)', 'copy the id from the VPC console or `aws ec2 describe-vpcs`');
    }
    this.vpcId = attrs.vpcId;
    const zones = attrs.availabilityZones ?? [];
    if (!Array.isArray(zones) || zones.length < 2 || zones.length > 6 || new Set(zones).size !== zones.length) {
      fail(this, 'availabilityZones', zones, 'must list 2 to 6 distinct zones (EKS needs subnets in at least 2 zones)', 'list the zones of the private subnets, in subnet order');
    }
    for (const z of zones) {
      if (!z.startsWith(attrs.region)) fail(this, 'availabilityZones', z, `must be zones of region ${attrs.region}`, `use zones such as ${attrs.region}a`);
    }
    this.availabilityZones = [...zones];
    const priv = attrs.privateSubnetIds ?? [];
    if (!Array.isArray(priv) || priv.length !== zones.length) {
      fail(this, 'privateSubnetIds', priv, `must list one private subnet per availability zone (${zones.length}), in zone order`, 'give one subnet id per zone');
    }
    const pub = attrs.publicSubnetIds ?? [];
    for (const [prop, ids, re] of [['privateSubnetIds', priv, SUBNET_ID], ['publicSubnetIds', pub, SUBNET_ID], ['privateRouteTableIds', attrs.privateRouteTableIds ?? [], ROUTE_TABLE_ID]] as Array<[string, string[], RegExp]>) {
      for (const v of ids) if (typeof v !== 'string' || !re.test(v)) fail(this, prop, v, `must be ${prop === 'privateRouteTableIds' ? 'route table ids (rtb-…)' : 'subnet ids (subnet-…)'}`, 'copy the ids from the VPC console');
      const dup = ids.find((v, i) => ids.indexOf(v) !== i);
      if (dup) fail(this, prop, dup, 'appears twice', 'list each id once');
    }
    this.privateSubnetIds = [...priv];
    this.publicSubnetIds = [...pub];
    this.privateRouteTableIds = [...(attrs.privateRouteTableIds ?? [])];
    this.internetAccess = attrs.internetAccess ?? true;

    const vpc = new DataAwsVpc(this, 'vpc', {
      id: this.vpcId,
      lifecycle: {
        postcondition: [{
          condition: '${self.enable_dns_support && self.enable_dns_hostnames}',
          errorMessage: `VPC \${self.id} (${this.node.path}) must have DNS support and DNS hostnames on: the private API endpoint and the VPC endpoints resolve through them. Turn both on for the VPC.`,
        }],
      },
    });
    this.vpcCidr = vpc.cidrBlock;
    const vpcRef = rawDataRef(vpc);
    priv.forEach((subnetId, i) => {
      new DataAwsSubnet(this, `private-${i}`, {
        id: subnetId,
        lifecycle: {
          postcondition: [
            {
              condition: `\${self.vpc_id == ${vpcRef}.id}`,
              errorMessage: `Subnet \${self.id} (privateSubnetIds[${i}] of ${this.node.path}) is in \${self.vpc_id}, not in the network's VPC ${this.vpcId}: list subnets of that VPC only.`,
            },
            {
              condition: `\${self.availability_zone == "${zones[i]}"}`,
              errorMessage: `Subnet \${self.id} (privateSubnetIds[${i}] of ${this.node.path}) is in \${self.availability_zone}, not in ${zones[i]} (availabilityZones[${i}]): list the zones in subnet order.`,
            },
            {
              condition: '${!self.map_public_ip_on_launch}',
              errorMessage: `Subnet \${self.id} (privateSubnetIds[${i}] of ${this.node.path}) gives public IPs on launch: nodes must not get public addresses; pass private subnets.`,
            },
          ],
        },
      });
    });
  }

  public addPrivateSubnetTags(tags: { [key: string]: string }): void {
    this.privateSubnetIds.forEach((subnetId, i) => {
      for (const [key, value] of Object.entries(tags)) {
        const id = `private-${i}-tag-${key.replace(/[^A-Za-z0-9]+/g, '-')}`;
        if (this.tagIds.has(id)) continue;
        this.tagIds.add(id);
        new Ec2Tag(this, id, { resourceId: subnetId, key, value });
      }
    });
  }
}
