// Defects a new-user pass found on the AWS side: fixes that did not work when followed (the VPC endpoint list of an
// isolated network, the example AMI release), a second cluster-autoscaler, log retention advice, small public subnets,
// duplicate spot instance types, and the advice for a node pool name with a character that is not allowed.
import { Testing, TerraformStack } from 'cdktf';
import { cluster, errorOf, network, newStack } from './util';
import * as aws from '../../lib/aws';
import { checkAmiReleaseForVersion } from '../../lib/core/ami-release';

const admins = ['arn:aws:iam::123456789012:role/platform-admin'];

/** The validation errors of a synth of `stack`, one per line. */
function synthErrors(stack: TerraformStack): string[] {
  return errorOf(() => Testing.synth(stack, true)).split('\n').map((l) => l.trim()).filter((l) => /^\[/.test(l));
}

describe('isolated network: the VPC endpoints suggested for a workload identity', () => {
  function isolated(withEndpoints?: aws.VpcEndpointService[]): { stack: TerraformStack; c: aws.EksCluster } {
    const stack = newStack();
    const net = network(stack, { internetAccess: false });
    if (withEndpoints) new aws.VpcEndpoints(stack, 'endpoints', { network: net, services: withEndpoints });
    const c = new aws.EksCluster(stack, 'prod', { network: net, version: aws.KubernetesVersion.V1_33, admins });
    c.addNodePool('system', { name: 'system' });
    return { stack, c };
  }

  test('STS is in eksNodeDefaults(): the fix names the defaults alone, and following it passes', () => {
    const { stack } = isolated();
    const errors = synthErrors(stack);
    for (const id of ['vpc-cni-identity', 'ebs-csi-identity']) {
      expect(errors).toContain(`[test/prod/${id}] test/prod/${id}: network (test/net) has no internet access and no VPC endpoint for sts, which the role's web identity (IRSA) needs: `
        + 'the pods\' SDK calls time out; add it to the network\'s VpcEndpoints (services: VpcEndpointService.eksNodeDefaults(), which includes STS)');
    }
    expect(errors.join('\n')).not.toContain('VpcEndpointService.STS');
    // the fix as written
    const { stack: fixed } = isolated(aws.VpcEndpointService.eksNodeDefaults());
    expect(() => Testing.synth(fixed, true)).not.toThrow();
  });

  test('a service outside the defaults is listed after them, one in the defaults is not repeated', () => {
    const { stack, c } = isolated([aws.VpcEndpointService.S3]);
    c.addWorkloadIdentity('orders', { namespace: 'shop', serviceAccount: 'orders', mechanism: aws.IdentityMechanism.IRSA })
      .grantConsumeMessagesByArn('arn:aws:sqs:eu-west-1:123456789012:orders');
    expect(synthErrors(stack)).toContain('[test/prod/orders] test/prod/orders: network (test/net) has no internet access and no VPC endpoint for sqs, sts, which the role\'s statements call: '
      + 'the pods\' SDK calls time out; add them to the network\'s VpcEndpoints (services: [...VpcEndpointService.eksNodeDefaults(), VpcEndpointService.SQS])');
  });
});

describe('Karpenter: the AMI release suggested is one the cluster\'s version accepts', () => {
  const warnings = (k: aws.Karpenter) => k.node.metadata.filter((m) => m.type === 'shipshape:warning').map((m) => m.data as string);
  function quiet<T>(fn: () => T): T {
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      return fn();
    } finally {
      write.mockRestore();
    }
  }

  test('1.34 without amiAlias: the warning suggests al2023@v20251007, which a 1.34 cluster accepts', () => {
    const stack = newStack();
    const c = cluster(stack, { version: aws.KubernetesVersion.V1_34 });
    const k = quiet(() => new aws.Karpenter(stack, 'karpenter', { cluster: c }));
    expect(warnings(k)).toEqual(['amiAlias is not set, so production nodes run al2023@latest: each AMI AWS publishes rolls out to them as drift, untested '
      + '(within the pools\' disruption budgets); pin a release, for example amiAlias: \'al2023@v20251007\', and raise it after testing, '
      + 'or pass amiAlias: \'al2023@latest\' to choose the latest AMI explicitly and silence this']);
    const again = newStack();
    expect(() => new aws.Karpenter(again, 'karpenter', { cluster: cluster(again, { version: aws.KubernetesVersion.V1_34 }), amiAlias: 'al2023@v20251007' })).not.toThrow();
  });

  test('1.34, malformed alias: the fix pins al2023@v20251007', () => {
    const stack = newStack();
    const c = cluster(stack, { version: aws.KubernetesVersion.V1_34 });
    expect(errorOf(() => new aws.Karpenter(stack, 'karpenter', { cluster: c, amiAlias: 'ubuntu@latest' }))).toBe(
      'test/karpenter: amiAlias ("ubuntu@latest") must be al2023@<version> or bottlerocket@<version> (container-optimised AMIs only); use \'al2023@latest\' or pin \'al2023@v20251007\'');
  });

  test('every version Karpenter supports: the suggested release passes the release check, and so does the documented example', () => {
    // (Karpenter 1.14 refuses 1.29)
    for (const v of [aws.KubernetesVersion.V1_30, aws.KubernetesVersion.V1_31, aws.KubernetesVersion.V1_32, aws.KubernetesVersion.V1_33, aws.KubernetesVersion.V1_34]) {
      const stack = newStack();
      const c = cluster(stack, { version: v });
      const message = errorOf(() => new aws.Karpenter(stack, 'karpenter', { cluster: c, amiAlias: 'bad' }));
      expect(message).toMatch(/; use 'al2023@latest' or pin 'al2023@v\d{8}'$/);
      const suggested = /pin '(al2023@v\d{8})'$/.exec(message)![1];
      expect(() => checkAmiReleaseForVersion('x', 'amiAlias', suggested, v.version)).not.toThrow();
      expect(() => checkAmiReleaseForVersion('x', 'amiAlias', 'al2023@v20251007', v.version)).not.toThrow();
    }
  });
});

describe('ClusterAutoscaler on a cluster that runs its own', () => {
  const expected = 'test/ca: cluster ("prod") already runs its own Cluster Autoscaler (nodeGroupScaling NodeGroupScaling.CLUSTER_AUTOSCALER, the default): '
    + 'test/prod adds it as kube-system/cluster-autoscaler once a pool can grow, and a second one would scale the same node groups; '
    + 'set nodeGroupScaling: NodeGroupScaling.EXTERNAL on the cluster to bring your own, or drop this ClusterAutoscaler (pass its options as the cluster\'s clusterAutoscaler)';

  test('default nodeGroupScaling, after a pool that can grow: refused with the nodeGroupScaling fix', () => {
    const stack = newStack();
    const c = cluster(stack, { admins });
    c.addNodePool('system', { name: 'system' });
    expect(c.clusterAutoscaler).toBeDefined();
    expect(errorOf(() => new aws.ClusterAutoscaler(stack, 'ca', { cluster: c }))).toBe(expected);
  });

  test('default nodeGroupScaling, before any pool: refused the same way', () => {
    const stack = newStack();
    const c = cluster(stack, { admins });
    expect(errorOf(() => new aws.ClusterAutoscaler(stack, 'ca', { cluster: c }))).toBe(expected);
  });

  test('nodeGroupScaling EXTERNAL: your own ClusterAutoscaler is built, and the cluster adds none', () => {
    const stack = newStack();
    const c = cluster(stack, { admins, nodeGroupScaling: aws.NodeGroupScaling.EXTERNAL });
    c.addNodePool('system', { name: 'system' });
    const ca = new aws.ClusterAutoscaler(stack, 'ca', { cluster: c });
    expect(c.clusterAutoscaler).toBeUndefined();
    expect(ca.release.values['autoDiscovery.clusterName']).toBe('prod');
  });
});

describe('log retention: CloudWatch Logs\' values, with the nearest one suggested', () => {
  const AT_LEAST_365 = '365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653';
  const ALL = '1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653';

  test('logRetentionDays 366: one of the values of at least 365; use 400', () => {
    expect(errorOf(() => cluster(newStack(), { logRetentionDays: 366 }))).toBe(
      `test/prod: logRetentionDays (366) must be one of CloudWatch Logs' retention values of at least 365 days (${AT_LEAST_365}); use 400`);
    expect(errorOf(() => cluster(newStack(), { logRetentionDays: 30 }))).toBe(
      `test/prod: logRetentionDays (30) must be one of CloudWatch Logs' retention values of at least 365 days (${AT_LEAST_365}); use 365`);
    expect(errorOf(() => cluster(newStack(), { logRetentionDays: 4000 }))).toBe(
      `test/prod: logRetentionDays (4000) must be one of CloudWatch Logs' retention values of at least 365 days (${AT_LEAST_365}); use 3653`);
    expect(cluster(newStack(), { logRetentionDays: 400 })).toBeDefined();
  });

  test('flowLogRetentionDays 8: any CloudWatch Logs value (7 is accepted); use 14', () => {
    expect(errorOf(() => network(newStack(), { flowLogRetentionDays: 8 }))).toBe(
      `test/net: flowLogRetentionDays (8) must be one of CloudWatch Logs' retention values (${ALL}); use 14`);
    expect(network(newStack(), { flowLogRetentionDays: 7 })).toBeDefined();
  });
});

describe('public subnets hold load balancers: /27 or larger', () => {
  test('a /28 public subnet is refused, with the /27 around it suggested', () => {
    expect(errorOf(() => network(newStack(), { publicSubnetCidrs: ['10.0.224.0/28', '10.0.225.0/28', '10.0.226.0/28'] }))).toBe(
      'test/net: publicSubnetCidrs ("10.0.224.0/28") must have a prefix of /27 or larger: the public subnets are tagged kubernetes.io/role/elb and an Application Load Balancer '
      + 'needs a /27 or larger subnet with 8 free addresses; use a /27 or larger subnet (for example \'10.0.224.0/27\' if that range is free)');
    expect(network(newStack(), { publicSubnetCidrs: ['10.0.224.0/27', '10.0.225.0/27', '10.0.226.0/27'] }).publicSubnetCidrs).toHaveLength(3);
  });

  test('private subnets keep the AWS minimum, /28', () => {
    const net = network(newStack(), { cidr: '10.0.0.0/24', privateSubnetCidrs: ['10.0.0.0/28', '10.0.0.16/28', '10.0.0.32/28'], publicSubnetCidrs: ['10.0.0.64/27', '10.0.0.96/27', '10.0.0.128/27'] });
    expect(net.privateSubnetCidrs).toEqual(['10.0.0.0/28', '10.0.0.16/28', '10.0.0.32/28']);
  });
});

describe('node pools: duplicate instance types, and names with a character not allowed', () => {
  test('NodeCapacity.spot with one type twice is refused, naming it', () => {
    const c = cluster(newStack(), { admins });
    expect(errorOf(() => c.addNodePool('spot', { capacity: aws.NodeCapacity.spot(['m6i.large', 'm6i.large']) }))).toBe(
      'test/prod/spot: capacity.instanceTypes ("m6i.large") appears twice: spot capacity needs at least 2 different instance types (one spot pool can be reclaimed all at once); '
      + 'list each instance type once, and add similar types, for example NodeCapacity.spot([\'m6i.large\', \'m6a.large\', \'m5.large\'])');
    expect(errorOf(() => c.addNodePool('od', { capacity: aws.NodeCapacity.onDemand(['m6i.large', 'm5.large', 'm6i.large']) }))).toBe(
      'test/prod/od: capacity.instanceTypes ("m6i.large") appears twice; list each instance type once');
  });

  test('a name with a space: says which character is not allowed, not "shorter"', () => {
    const c = cluster(newStack(), { admins });
    expect(errorOf(() => c.addNodePool('s', { name: 'Bad Name' }))).toBe(
      'test/prod/s: name ("Bad Name") must be 1-63 letters, digits, - or _, starting with a letter or digit: " " is not allowed; replace it with -, for example "Bad-Name"');
    expect(errorOf(() => c.addNodePool('t', { name: '-batch' }))).toBe(
      'test/prod/t: name ("-batch") must be 1-63 letters, digits, - or _, starting with a letter or digit: it starts with "-"; start it with a letter or digit, for example "batch"');
    expect(errorOf(() => c.addNodePool('u', { name: 'b'.repeat(64) }))).toBe(
      `test/prod/u: name ("${'b'.repeat(64)}") must be 1-63 letters, digits, - or _, starting with a letter or digit: it has 64 characters; pass a name of at most 63 characters, for example "${'b'.repeat(63)}"`);
  });
});
