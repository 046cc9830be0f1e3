import { Construct } from 'constructs';
import { errorOf, network, newStack, resourceAt, resources, synth, TAGS } from './util';
import * as aws from '../../lib/aws';
import { Errors, EnvironmentProfile, Validators } from '../../lib/core';

describe('aws.Network defaults', () => {
  const stack = newStack();
  const net = network(stack);
  const json = synth(stack);

  test('three zones of the region', () => {
    expect(net.availabilityZones).toEqual(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
    const zones = resources(json, 'aws_subnet').map((s) => s.availability_zone).sort();
    expect(zones).toEqual(['eu-west-1a', 'eu-west-1a', 'eu-west-1b', 'eu-west-1b', 'eu-west-1c', 'eu-west-1c']);
  });

  test('VPC 10.0.0.0/16, private /19 and public /22 subnets', () => {
    expect(resources(json, 'aws_vpc')[0].cidr_block).toBe('10.0.0.0/16');
    expect(net.privateSubnetCidrs).toEqual(['10.0.0.0/19', '10.0.32.0/19', '10.0.64.0/19']);
    expect(net.publicSubnetCidrs).toEqual(['10.0.224.0/22', '10.0.228.0/22', '10.0.232.0/22']);
  });

  test('load-balancer discovery tags on public and private subnets', () => {
    expect(resourceAt(json, 'aws_subnet', 'public-eu-west-1a').tags['kubernetes.io/role/elb']).toBe('1');
    expect(resourceAt(json, 'aws_subnet', 'private-eu-west-1a').tags['kubernetes.io/role/internal-elb']).toBe('1');
  });

  test('no public IPs on launch in any subnet', () => {
    for (const s of resources(json, 'aws_subnet')) expect(s.map_public_ip_on_launch).toBe(false);
  });

  test('one NAT gateway per zone in production', () => {
    expect(resources(json, 'aws_nat_gateway')).toHaveLength(3);
    expect(net.natGatewayPerZone).toBe(true);
  });

  test('flow logs of all traffic to a KMS-encrypted log group kept 365 days', () => {
    const flow = resources(json, 'aws_flow_log')[0];
    expect(flow.traffic_type).toBe('ALL');
    const group = resources(json, 'aws_cloudwatch_log_group')[0];
    expect(group.retention_in_days).toBe(365);
    expect(group.kms_key_id).toMatch(/aws_kms_key\..*\.arn/);
    expect(resources(json, 'aws_kms_key')[0].enable_key_rotation).toBe(true);
  });

  test('default security group has no rules', () => {
    const sg = resources(json, 'aws_default_security_group')[0];
    expect(sg.ingress).toBeUndefined();
    expect(sg.egress).toBeUndefined();
  });

  test('cost tags on the VPC', () => {
    expect(resources(json, 'aws_vpc')[0].tags).toMatchObject({ 'team': 'payments', 'environment': 'production', 'cost-centre': 'cc-1' });
  });
});

describe('aws.Network options', () => {
  test('one NAT gateway in development', () => {
    const stack = newStack();
    network(stack, { environment: EnvironmentProfile.DEVELOPMENT });
    const json = synth(stack);
    expect(resources(json, 'aws_nat_gateway')).toHaveLength(1);
    const natRoutes = resources(json, 'aws_route').filter((r) => r.nat_gateway_id);
    expect(new Set(natRoutes.map((r) => r.nat_gateway_id)).size).toBe(1);
  });

  test('custom zones and CIDRs', () => {
    const stack = newStack();
    const net = network(stack, {
      availabilityZones: ['eu-west-1a', 'eu-west-1b'],
      cidr: '10.1.0.0/20',
      privateSubnetCidrs: ['10.1.0.0/22', '10.1.4.0/22'],
      publicSubnetCidrs: ['10.1.8.0/24', '10.1.9.0/24'],
    });
    expect(net.privateSubnetIds).toHaveLength(2);
  });
});

describe('aws.Network errors', () => {
  test('fewer than 2 zones', () => {
    const msg = errorOf(() => network(newStack(), { availabilityZones: ['eu-west-1a'] }));
    expect(msg).toBe("test/net: availabilityZones ([\"eu-west-1a\"]) must list 2 to 6 zones (EKS needs subnets in at least 2 zones); list at least two zones, for example ['eu-west-1a', 'eu-west-1b', 'eu-west-1c']");
  });

  test('invalid VPC CIDR', () => {
    const msg = errorOf(() => network(newStack(), { cidr: '10.0.0.1/16' }));
    expect(msg).toBe("test/net: cidr (\"10.0.0.1/16\") must be an IPv4 network CIDR with prefix /16 to /24 and no host bits set; use a private range such as '10.0.0.0/16'");
  });

  test('invalid subnet CIDR', () => {
    const msg = errorOf(() => network(newStack(), { privateSubnetCidrs: ['10.0.0.0/19', '10.0.32.0/33', '10.0.64.0/19'] }));
    expect(msg).toBe("test/net: privateSubnetCidrs (\"10.0.32.0/33\") must be an IPv4 network CIDR (a.b.c.d/n, no host bits set); write it like '10.0.0.0/19'");
  });

  test('subnet outside the VPC', () => {
    const msg = errorOf(() => network(newStack(), { publicSubnetCidrs: ['10.0.224.0/22', '10.0.228.0/22', '10.9.0.0/22'] }));
    expect(msg).toBe('test/net: publicSubnetCidrs ("10.9.0.0/22") must lie inside the VPC CIDR 10.0.0.0/16; pick a range inside the VPC CIDR');
  });

  test('overlapping subnets', () => {
    const msg = errorOf(() => network(newStack(), { publicSubnetCidrs: ['10.0.0.0/22', '10.0.228.0/22', '10.0.232.0/22'] }));
    expect(msg).toBe('test/net: publicSubnetCidrs ("10.0.0.0/22") must not overlap another subnet (10.0.0.0/19 in privateSubnetCidrs); give every subnet its own range inside the VPC CIDR');
  });

  test('missing cost tags', () => {
    const err = (() => {
      try {
        new aws.Network(newStack(), 'net', { region: 'eu-west-1' } as any);
      } catch (e) { return e; }
      return undefined;
    })();
    expect(Errors.isValidationError(err)).toBe(true);
    expect((err as Error).message).toBe("test/net: tags (undefined) is required: every resource carries the cost-attribution tags team, environment and cost-centre; pass tags: { team: 'payments', environment: 'production', costCentre: 'cc-1234' }");
  });

  test('empty cost tag', () => {
    const msg = errorOf(() => network(newStack(), { tags: { ...TAGS, costCentre: '' } }));
    expect(msg).toBe("test/net: tags.costCentre (\"\") must be a non-empty string (cost attribution); pass tags: { team: 'payments', environment: 'production', costCentre: 'cc-1234' }");
  });

  test('bad region', () => {
    const msg = errorOf(() => network(newStack(), { region: 'Ireland' }));
    expect(msg).toBe('test/net: region ("Ireland") must be an AWS region name such as eu-west-1; pass the region your provider uses');
  });

  test('a VPC CIDR outside the private ranges synthesizes (AWS accepts it) with a warning; private ranges, 100.64/10 included, do not warn', () => {
    const warnings = (n: aws.Network) => n.node.metadata.filter(m => m.type === 'shipshape:warning').map(m => m.data);
    const write = process.stderr.write;
    let printed = '';
    process.stderr.write = ((chunk: any) => { printed += String(chunk); return true; }) as any;
    try {
      const pub = network(newStack(), { cidr: '8.8.0.0/16' });
      expect(warnings(pub)).toEqual(['cidr (8.8.0.0/16) is not a private range (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, or 100.64.0.0/10): AWS accepts it, '
        + 'but inside the VPC its addresses are the VPC\'s, so the internet hosts that have them cannot be reached from the cluster; use a private range unless your organisation owns this one']);
      expect(printed).toContain('shipshape warning: test/net: cidr (8.8.0.0/16) is not a private range');
      for (const cidr of ['10.20.0.0/16', '172.31.0.0/16', '192.168.0.0/16', '100.64.0.0/16']) expect(warnings(network(newStack(), { cidr }))).toEqual([]);
    } finally {
      process.stderr.write = write;
    }
  });

  test('a misspelled region is refused with the region it was likely meant to be; partitions and the longer directions pass', () => {
    expect(errorOf(() => network(newStack(), { region: 'eu-westt-1' }))).toBe('test/net: region ("eu-westt-1") must be an AWS region name such as eu-west-1: westt is not one of the '
      + 'directions region names use (east, west, north, south, central, northeast, northwest, southeast, southwest); did you mean eu-west-1? pass the region your provider uses');
    expect(errorOf(() => network(newStack(), { region: 'us-gov-wets-1' }))).toContain('did you mean us-gov-west-1?');
    for (const region of ['us-gov-west-1', 'ap-southeast-3', 'ca-central-1', 'il-central-1', 'ap-northeast-2', 'us-isob-east-1']) {
      expect(() => Validators.awsRegion(new Construct(undefined as any, 'x'), 'region', region, 'fix')).not.toThrow();
    }
  });

  test('no default zones in us-west-1 (two zones per account, named per account)', () => {
    const msg = errorOf(() => network(newStack(), { region: 'us-west-1' }));
    expect(msg).toBe('test/net: availabilityZones (undefined) has no default in us-west-1: the region gives each account two zones, named per account; '
      + "pass the zones your account has there (aws ec2 describe-availability-zones --region us-west-1 --query 'AvailabilityZones[].ZoneName'), for example ['us-west-1a', 'us-west-1b']");
    expect(network(newStack(), { region: 'us-west-1', availabilityZones: ['us-west-1b', 'us-west-1c'] }).availabilityZones).toEqual(['us-west-1b', 'us-west-1c']);
  });
});

describe('aws.Network default zones by region', () => {
  test.each([
    ['ap-northeast-1', ['ap-northeast-1a', 'ap-northeast-1c', 'ap-northeast-1d']],
    ['ca-central-1', ['ca-central-1a', 'ca-central-1b', 'ca-central-1d']],
    ['cn-north-1', ['cn-north-1a', 'cn-north-1b', 'cn-north-1d']],
    ['us-east-2', ['us-east-2a', 'us-east-2b', 'us-east-2c']],
  ])('%s: %j', (region, zones) => {
    expect(network(newStack(), { region }).availabilityZones).toEqual(zones);
  });

  test('the plan checks the zones against those the account has in the region (no check on a mocked provider, which reports none)', () => {
    const stack = newStack();
    network(stack);
    const data = synth(stack).data.aws_availability_zones;
    const [zones] = Object.values(data) as any[];
    expect(zones.lifecycle.postcondition).toEqual([{
      condition: '${length(self.names) == 0 || length(setsubtract(["eu-west-1a", "eu-west-1b", "eu-west-1c"], self.names)) == 0}',
      error_message: 'The account has no zone ${join(", ", setsubtract(["eu-west-1a", "eu-west-1b", "eu-west-1c"], self.names))} in eu-west-1; '
        + 'its zones there are ${join(", ", self.names)}. Pass availabilityZones (test/net) from those.',
    }]);
  });
});
