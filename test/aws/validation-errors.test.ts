import { cluster, errorOf, network, newStack, TAGS } from './util';
import * as aws from '../../lib/aws';

// One test per remaining validation error (the main ones are in each construct's test file).
describe('aws validation errors', () => {
  test('Network: duplicate zone', () => {
    expect(errorOf(() => network(newStack(), { availabilityZones: ['eu-west-1a', 'eu-west-1a'] })))
      .toBe('test/net: availabilityZones (["eu-west-1a","eu-west-1a"]) must not repeat a zone; list each zone once');
  });

  test('Network: zone of another region', () => {
    expect(errorOf(() => network(newStack(), { availabilityZones: ['eu-west-1a', 'us-east-1b'] })))
      .toBe('test/net: availabilityZones ("us-east-1b") must be zones of region eu-west-1; use zones such as eu-west-1a');
  });

  test('Network: one CIDR per zone', () => {
    expect(errorOf(() => network(newStack(), { privateSubnetCidrs: ['10.0.0.0/19'] })))
      .toBe('test/net: privateSubnetCidrs (["10.0.0.0/19"]) must list one CIDR per availability zone (3); give one CIDR per zone, in zone order');
  });

  test('Network: subnet smaller than /28', () => {
    expect(errorOf(() => network(newStack(), { publicSubnetCidrs: ['10.0.224.0/22', '10.0.228.0/22', '10.0.232.0/29'] })))
      .toBe('test/net: publicSubnetCidrs ("10.0.232.0/29") must have a prefix of /28 or larger (AWS minimum); use a larger subnet');
  });

  test('Network: flow log retention not a CloudWatch value', () => {
    expect(errorOf(() => network(newStack(), { flowLogRetentionDays: 100 })))
      .toBe('test/net: flowLogRetentionDays (100) must be one of CloudWatch Logs\' retention values (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653); use 120');
  });

  test('cost tags: reserved extra key', () => {
    expect(errorOf(() => network(newStack(), { tags: { ...TAGS, extra: { 'aws:owner': 'x' } } })))
      .toBe('test/net: tags.extra ("aws:owner") keys must be 1-128 characters and must not start with aws:; rename the tag key');
  });

  test('cost tags: invalid characters', () => {
    expect(errorOf(() => network(newStack(), { tags: { ...TAGS, team: 'pay;ments' } })))
      .toBe('test/net: tags.team ("pay;ments") must be at most 256 letters, digits, spaces or _.:/=+-@; use a plain tag value');
  });

  test('EksCluster: invalid cluster name', () => {
    expect(errorOf(() => cluster(newStack(), { clusterName: '-bad' })))
      .toBe('test/prod: clusterName ("-bad") must be 1-100 letters, digits, - or _, starting with a letter or digit; pass a valid clusterName');
  });

  test('EksCluster: account id not 12 digits', () => {
    expect(errorOf(() => cluster(newStack(), { account: '1234' })))
      .toBe('test/prod: account ("1234") must be a 12-digit AWS account id; pass the account id or leave it out');
  });

  test('EksCluster: invalid public CIDR', () => {
    expect(errorOf(() => cluster(newStack(), { publicAccessCidrs: ['203.0.113.7/24'] })))
      .toBe("test/prod: publicAccessCidrs (\"203.0.113.7/24\") must be IPv4 network CIDRs (a.b.c.d/n, no host bits set); write it like '203.0.113.0/24'");
  });

  test('NodePool: no instance types', () => {
    expect(errorOf(() => cluster(newStack()).addNodePool('p', { capacity: aws.NodeCapacity.onDemand([]) })))
      .toBe("test/prod/p: capacity.instanceTypes ([]) must list at least one instance type; list instance types, for example ['m6i.large']");
  });

  test('NodePool: unknown AMI type', () => {
    expect(errorOf(() => cluster(newStack()).addNodePool('p', { amiType: 'AL2_x86_64' as any })))
      .toBe('test/prod/p: amiType ("AL2_x86_64") must be one of AL2023_x86_64_STANDARD, AL2023_ARM_64_STANDARD, BOTTLEROCKET_x86_64, BOTTLEROCKET_ARM_64, AL2023_x86_64_NVIDIA, BOTTLEROCKET_x86_64_NVIDIA; use an AL2023 or Bottlerocket AMI type');
  });

  test('NodePool: negative size', () => {
    expect(errorOf(() => cluster(newStack()).addNodePool('p', { minSize: -1 })))
      .toBe('test/prod/p: minSize (-1) must be a whole number >= 0; set minSize to a whole number');
  });

  test('NodePool: max 0', () => {
    expect(errorOf(() => cluster(newStack()).addNodePool('p', { minSize: 0, maxSize: 0, desiredSize: 0 })))
      .toBe('test/prod/p: maxSize (0) must be >= 1; raise maxSize');
  });

  test('NodePool: disk too small', () => {
    expect(errorOf(() => cluster(newStack()).addNodePool('p', { diskSizeGiB: 8 })))
      .toBe('test/prod/p: diskSizeGiB (8) must be a whole number of GiB between 20 and 16384; set diskSizeGiB to 50 or more');
  });

  test('NodePool: max unavailable out of range', () => {
    expect(errorOf(() => cluster(newStack()).addNodePool('p', { maxUnavailablePercentage: 0 })))
      .toBe('test/prod/p: maxUnavailablePercentage (0) must be a whole number between 1 and 100; use 33');
  });

  test('NodePool: invalid label key', () => {
    expect(errorOf(() => cluster(newStack()).addNodePool('p', { labels: { 'bad key': 'x' } })))
      .toBe('test/prod/p: labels ("bad key") is not a valid label key: an optional DNS-subdomain prefix of at most 253 characters and \'/\', '
        + 'then a name of 1-63 characters of A-Z, a-z, 0-9, \'-\', \'_\' and \'.\', starting and ending with a letter or digit; use a key such as "bad-key"');
  });

  test('NodePool: invalid taint effect', () => {
    expect(errorOf(() => cluster(newStack()).addNodePool('p', { taints: [{ key: 'a', effect: 'NoSchedule' as any }] })))
      .toBe('test/prod/p: taints.effect ("NoSchedule") must be one of NO_SCHEDULE, PREFER_NO_SCHEDULE, NO_EXECUTE; use TaintEffect.NO_SCHEDULE');
  });

  test('NodePool: invalid name', () => {
    expect(errorOf(() => cluster(newStack()).addNodePool('p', { name: 'a'.repeat(70) })))
      .toBe(`test/prod/p: name ("${'a'.repeat(70)}") must be 1-63 letters, digits, - or _, starting with a letter or digit: it has 70 characters; `
        + `pass a name of at most 63 characters, for example "${'a'.repeat(63)}"`);
  });

  test('WorkloadIdentity: role name too long', () => {
    expect(errorOf(() => cluster(newStack()).addWorkloadIdentity('x', { namespace: 'a', serviceAccount: 'b', roleName: 'r'.repeat(65) })))
      .toBe(`test/prod/x: roleName ("${'r'.repeat(65)}") must be 1-64 characters of letters, digits and +=,.@_-; pass a shorter roleName`);
  });

  test('WorkloadIdentity: statement without resources', () => {
    expect(errorOf(() => cluster(newStack()).addWorkloadIdentity('x', { namespace: 'a', serviceAccount: 'b', statements: [{ actions: ['s3:GetObject'], resources: [] }] })))
      .toBe('test/prod/x: statements[0].resources ([]) must list at least one resource; name the resource ARNs the workload needs');
  });

  test('WorkloadIdentity: statement without actions', () => {
    expect(errorOf(() => cluster(newStack()).addWorkloadIdentity('x', { namespace: 'a', serviceAccount: 'b', statements: [{ actions: [], resources: ['*'] }] })))
      .toBe("test/prod/x: statements[0].actions ([]) must list at least one action; name the actions, for example ['s3:GetObject']");
  });
});
