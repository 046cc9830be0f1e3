import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { TerraformResource, TerraformStack, Testing } from 'cdktf';
import { cluster, errorOf, network, newStack, resources, synth, TAGS } from './util';
import * as aws from '../../lib/aws';
import { EnvironmentProfile } from '../../lib/core';
import { PolicyEngine, TerraformDocuments, TerraformPack } from '../../lib/policy';

// Inputs that synthesized but failed at terraform apply or at runtime on AWS: each is refused at synth now.

const NO_SCHEDULE = aws.TaintEffect.NO_SCHEDULE;
const spotTaint: aws.NodeTaint = { key: 'shipshape.dev/spot', value: 'true', effect: NO_SCHEDULE };
const systemTaint: aws.NodeTaint = { key: 'CriticalAddonsOnly', value: 'true', effect: NO_SCHEDULE };

/** Runs the stack's synth-time validations; returns their error text, or undefined. */
function validationError(stack: ReturnType<typeof newStack>): string | undefined {
  try {
    Testing.synth(stack, true);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** The Terraform policy findings of a stack's JSON, as `<rule> <path>`. */
function findings(stack: ReturnType<typeof newStack>): string[] {
  const engine = new PolicyEngine({ packs: [new TerraformPack()] });
  return engine.check(TerraformDocuments.fromJson(synth(stack), 'stack')).findings.map((f) => `${f.ruleId} ${f.path}`);
}

describe('node pool instance types', () => {
  test('refused: a size EC2 does not sell (m7i.larg), with the likely type', () => {
    expect(errorOf(() => cluster(newStack()).addNodePool('p', { capacity: aws.NodeCapacity.onDemand(['m7i.larg']) }))).toBe(
      'test/prod/p: capacity.instanceTypes ("m7i.larg") must be an EC2 instance type <family>.<size> such as m6i.large, '
      + 'where size is nano, micro, small, medium, large, xlarge, <N>xlarge, metal or metal-<N>xl; '
      + 'fix the instance type name (did you mean m7i.large?) (aws ec2 describe-instance-types lists the types of a region)');
  });

  test.each([['m6i.2xlarg', 'm6i.2xlarge'], ['c7g.xlage', 'c7g.xlarge'], ['t3.micr', 't3.micro'], ['M7i.xlarge', 'm7i.xlarge'], ['C7g.Larg', 'c7g.large']])('refused: %s (did you mean %s?)', (typo, meant) => {
    expect(errorOf(() => cluster(newStack()).addNodePool('p', { capacity: aws.NodeCapacity.spot([typo, 'm6i.large']) })))
      .toContain(`(did you mean ${meant}?)`);
  });

  test('a valid size in a name refused for another reason is not "corrected" to another size', () => {
    expect(errorOf(() => cluster(newStack()).addNodePool('p', { capacity: aws.NodeCapacity.onDemand(['m_7i.xlarge']) }))).not.toContain('did you mean');
  });

  test.each(['m7i', 'm7i.', '.large', 'm7i.0xlarge', 'm7i.metal-xl', 'M7i.large', 'm7i.large.x'])('refused: %s', (t) => {
    expect(errorOf(() => cluster(newStack()).addNodePool('p', { capacity: aws.NodeCapacity.onDemand([t]) })))
      .toContain(`capacity.instanceTypes (${JSON.stringify(t)}) must be an EC2 instance type <family>.<size>`);
  });

  test('well-formed types outside the capacity table are accepted', () => {
    const c = cluster(newStack());
    for (const [i, t] of ['m7i-flex.large', 'x8g.metal-48xl', 'u-6tb1.112xlarge', 'c6gn.16xlarge', 'mac2-m2pro.metal', 'm7i.metal-24xl', 't3.nano', 'p5.48xlarge'].entries()) {
      const ami = /^(x8g|c6gn)/.test(t) ? aws.NodeAmiType.AL2023_ARM_64_STANDARD : /^p5/.test(t) ? aws.NodeAmiType.AL2023_X86_64_NVIDIA : aws.NodeAmiType.AL2023_X86_64_STANDARD;
      expect(() => c.addNodePool(`p${i}`, { capacity: aws.NodeCapacity.onDemand([t]), amiType: ami })).not.toThrow();
    }
  });
});

describe('node pool labels the kubelet refuses', () => {
  test('refused: kubernetes.io/role (the nodes would fail to join)', () => {
    expect(errorOf(() => cluster(newStack()).addNodePool('p', { labels: { 'kubernetes.io/role': 'worker' } }))).toBe(
      'test/prod/p: labels ("kubernetes.io/role") must not be in the kubernetes.io or k8s.io namespaces, which the kubelet refuses in --node-labels (the nodes would fail to join), '
      + 'except kubernetes.io/hostname, kubernetes.io/arch, kubernetes.io/os, beta.kubernetes.io/arch, beta.kubernetes.io/os, beta.kubernetes.io/instance-type, '
      + 'node.kubernetes.io/instance-type, topology.kubernetes.io/region, topology.kubernetes.io/zone, failure-domain.beta.kubernetes.io/region, '
      + 'failure-domain.beta.kubernetes.io/zone and keys under node.kubernetes.io/ or kubelet.kubernetes.io/; '
      + "use a key under your own domain, for example 'example.com/role' (your team's domain) or 'shipshape.dev/role'");
  });

  test.each([
    'node-role.kubernetes.io/worker',
    'node-restriction.kubernetes.io/fips',
    'kubernetes.io/instance-type',
    'topology.kubernetes.io/rack',
    'k8s.io/team',
    'karpenter.k8s.io/pool',
    'beta.kubernetes.io/fluentd-ds-ready',
  ])('refused: %s', (key) => {
    expect(errorOf(() => cluster(newStack()).addNodePool('p', { labels: { [key]: 'true' } })))
      .toContain(`labels (${JSON.stringify(key)}) must not be in the kubernetes.io or k8s.io namespaces`);
  });

  test('accepted: the kubelet allow-list, its node.kubernetes.io / kubelet.kubernetes.io namespaces, and other domains', () => {
    const labels = {
      'node.kubernetes.io/lifecycle': 'spot',
      'team.node.kubernetes.io/owner': 'payments',
      'kubelet.kubernetes.io/tier': 'gold',
      'topology.kubernetes.io/zone': 'eu-west-1a',
      'kubernetes.io/os': 'linux',
      'beta.kubernetes.io/instance-type': 'm6i.large',
      'failure-domain.beta.kubernetes.io/region': 'eu-west-1',
      'example.com/role': 'worker',
      'mykubernetes.io/x': 'y',
      'workload-class': 'batch',
    };
    expect(() => cluster(newStack()).addNodePool('p', { labels })).not.toThrow();
  });

  test('an architecture label that contradicts the pool\'s AMI type is refused (amd64 pods would land on arm64 nodes); the matching one is accepted', () => {
    const graviton = (labels: { [k: string]: string }) => () => cluster(newStack()).addNodePool('graviton', {
      capacity: aws.NodeCapacity.onDemand(['m7g.xlarge']), amiType: aws.NodeAmiType.AL2023_ARM_64_STANDARD, labels,
    });
    expect(errorOf(graviton({ 'kubernetes.io/arch': 'amd64' }))).toBe('test/prod/graviton: labels.kubernetes.io/arch ("amd64") contradicts the architecture of the pool\'s nodes '
      + '(arm64, from amiType AL2023_ARM_64_STANDARD): the kubelet would label them amd64, and pods built for amd64 would be placed on them and fail (exec format error); '
      + 'leave the label out (the kubelet sets it from the node), or write "arm64"');
    expect(graviton({ 'kubernetes.io/arch': 'arm64' })).not.toThrow();
  });
});

describe('IAM statement resources', () => {
  const statement = (arns: string[]): aws.PolicyStatement => ({ actions: ['s3:GetObject'], resources: arns });

  test('refused: a resource that is not an ARN (IAM: MalformedPolicyDocument)', () => {
    expect(errorOf(() => cluster(newStack()).addWorkloadIdentity('a', { namespace: 'shop', serviceAccount: 'a', statements: [statement(['my-bucket/*'])] }))).toBe(
      'test/prod/a: statements[0].resources ("my-bucket/*") must be ARNs (arn:<partition>:<service>:<region>:<account>:<resource>) or "*"; '
      + 'IAM refuses any other resource with MalformedPolicyDocument; '
      + "write the full ARN, for example 'arn:aws:s3:::my-bucket/*' for an S3 bucket or its objects, or pass a resource's arn attribute");
  });

  test('refused through addToPolicy too', () => {
    const id = cluster(newStack()).addWorkloadIdentity('a', { namespace: 'shop', serviceAccount: 'a' });
    expect(errorOf(() => id.addToPolicy(statement(['arn:aws:s3:::ok/*', 'Queue Name']))))
      .toBe('test/prod/a: addToPolicy[0].resources ("Queue Name") must be ARNs (arn:<partition>:<service>:<region>:<account>:<resource>) or "*"; '
        + "IAM refuses any other resource with MalformedPolicyDocument; write the full ARN, for example 'arn:aws:s3:::my-bucket/*', or pass a resource's arn attribute");
  });

  test('accepted: ARNs, "*" and Terraform references (resolved at apply)', () => {
    const stack = newStack();
    const bucket = new S3Bucket(stack, 'bucket', { bucket: 'shop-data' });
    const c = cluster(stack);
    const id = c.addWorkloadIdentity('a', {
      namespace: 'shop',
      serviceAccount: 'a',
      statements: [statement(['arn:aws:s3:::shop-data/*', `${bucket.arn}/*`]), { actions: ['s3:ListAllMyBuckets'], resources: ['*'] }],
    });
    expect(() => id.addToPolicy(statement([bucket.arn]))).not.toThrow();
  });
});

describe('publicAccessCidrs: public addresses only', () => {
  test('refused: a private (RFC 1918) range, with the private endpoint as the fix', () => {
    expect(errorOf(() => cluster(newStack(), { publicAccessCidrs: ['203.0.113.0/24', '10.0.0.0/8'] }))).toBe(
      'test/prod: publicAccessCidrs ("10.0.0.0/8") must be public addresses: it lies in 10.0.0.0/8 (private, RFC 1918), which never reaches the public endpoint '
      + '(EKS refuses such ranges in publicAccessCidrs); callers in private networks (the VPC, peered VPCs, VPN or Direct Connect) reach the API through '
      + "the private endpoint, which is always on: remove the range, and list the public egress addresses of your offices or CI, for example '203.0.113.0/24'");
  });

  test.each([
    ['10.20.0.0/16', '10.0.0.0/8'],
    ['172.20.0.0/16', '172.16.0.0/12'],
    ['192.168.1.0/24', '192.168.0.0/16'],
    ['100.64.0.0/10', '100.64.0.0/10'],
    ['127.0.0.1/32', '127.0.0.0/8'],
    ['169.254.169.254/32', '169.254.0.0/16'],
  ])('refused: %s (in %s)', (cidr, range) => {
    expect(errorOf(() => cluster(newStack(), { publicAccessCidrs: [cidr] })))
      .toContain(`publicAccessCidrs (${JSON.stringify(cidr)}) must be public addresses: it lies in ${range}`);
  });

  test('accepted: public ranges next to the private ones', () => {
    const c = cluster(newStack(), { publicAccessCidrs: ['172.32.0.0/16', '100.128.0.0/16', '11.0.0.0/8', '203.0.113.0/24'] });
    expect(c.publicEndpoint).toBe(true);
  });
});

describe('Network: derived public subnets must hold a load balancer', () => {
  test('refused: a /22 VPC (derived public subnets /28), blaming cidr', () => {
    expect(errorOf(() => network(newStack(), { cidr: '10.0.4.0/22' }))).toBe(
      'test/net: cidr ("10.0.4.0/22") is too small for the derived subnets (private subnets /25 and public subnets /28, the VPC prefix + 6): '
      + 'the public subnets are tagged kubernetes.io/role/elb and an Application Load Balancer needs a /27 or larger subnet with 8 free addresses, '
      + 'so the VPC must have a prefix of /21 or larger when publicSubnetCidrs is left out; '
      + "use a /21 or larger VPC (for example '10.0.0.0/21' if that range is free, or the default /16), "
      + 'or give publicSubnetCidrs (and privateSubnetCidrs) explicitly, /27 or larger for the public ones');
  });

  test.each(['10.0.0.0/23', '10.0.0.0/24'])('refused: %s names cidr, not publicSubnetCidrs', (cidr) => {
    const msg = errorOf(() => network(newStack(), { cidr }));
    expect(msg).toMatch(new RegExp(`^test/net: cidr \\("${cidr.replace(/[./]/g, '\\$&')}"\\) is too small for the derived subnets`));
  });

  test('accepted: a /21 VPC gets /27 public subnets', () => {
    const net = network(newStack(), { cidr: '10.0.0.0/21' });
    expect(net.publicSubnetCidrs).toEqual(['10.0.7.0/27', '10.0.7.32/27', '10.0.7.64/27']);
    expect(net.privateSubnetCidrs).toEqual(['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24']);
  });

  test('accepted: a /24 VPC with explicit public subnets, or without public subnets (internetAccess false)', () => {
    const net = network(newStack(), { cidr: '10.0.0.0/24', publicSubnetCidrs: ['10.0.0.96/27', '10.0.0.128/27', '10.0.0.160/27'] });
    expect(net.privateSubnetCidrs).toEqual(['10.0.0.0/27', '10.0.0.32/27', '10.0.0.64/27']);
    expect(() => network(newStack(), { cidr: '10.0.0.0/24', internetAccess: false })).not.toThrow();
  });
});

describe('dedicated (tainted) node pools may scale to zero in production', () => {
  test('accepted: a tainted spot pool with minSize 0; SS-EKS-018 does not flag it', () => {
    const stack = newStack();
    const c = cluster(stack);
    c.addNodePool('system', { taints: [systemTaint] });
    const spot = c.addNodePool('spot', { capacity: aws.NodeCapacity.spot(['m7i.large', 'm6i.large']), minSize: 0, maxSize: 10, taints: [spotTaint] });
    expect([spot.minSize, spot.desiredSize]).toEqual([0, 0]);
    const ng = resources(synth(stack), 'aws_eks_node_group').find((g) => g.node_group_name_prefix === 'prod-spot-');
    expect(ng.scaling_config).toEqual({ min_size: 0, max_size: 10, desired_size: 0 });
    expect(findings(stack).filter((f) => f.startsWith('SS-EKS-018'))).toEqual([]);
  });

  test('accepted: minSize 1 with a NO_EXECUTE taint', () => {
    expect(cluster(newStack()).addNodePool('gpu', { minSize: 1, taints: [{ key: 'nvidia.com/gpu', effect: aws.TaintEffect.NO_EXECUTE }] }).minSize).toBe(1);
  });

  test.each([
    ['no taint', []],
    ['only CriticalAddonsOnly', [systemTaint]],
    ['only PreferNoSchedule', [{ key: 'shipshape.dev/spot', effect: aws.TaintEffect.PREFER_NO_SCHEDULE }]],
  ])('still refused: %s', (_what, taints) => {
    expect(errorOf(() => cluster(newStack()).addNodePool('p', { minSize: 0, maxSize: 3, taints: taints as aws.NodeTaint[] })))
      .toContain('test/prod/p: minSize (0) must be >= 2 in production for an untainted pool (or one tainted only CriticalAddonsOnly)');
  });

  test('SS-EKS-018 still flags an untainted node group below 2 nodes', () => {
    const stack = newStack();
    const c = cluster(stack);
    c.addNodePool('system').resource.addOverride('scaling_config.min_size', 1);
    expect(findings(stack)).toContainEqual(expect.stringMatching(/^SS-EKS-018 stack\/aws_eks_node_group\.prod_system_node-group_/));
  });
});

describe('core add-ons need a node pool to run on', () => {
  test('refused: every managed node pool carries a taint other than CriticalAddonsOnly', () => {
    const stack = newStack();
    const c = cluster(stack, { admins: ['arn:aws:iam::123456789012:role/admin'] });
    c.addNodePool('spot', { capacity: aws.NodeCapacity.spot(['m7i.large', 'm6i.large']), taints: [spotTaint] });
    c.addNodePool('gpu', { taints: [{ key: 'nvidia.com/gpu', effect: aws.TaintEffect.NO_EXECUTE }, systemTaint] });
    expect(validationError(stack)).toContain(
      'test/prod: nodePools (["prod-spot (shipshape.dev/spot=true:NoSchedule)","prod-gpu (nvidia.com/gpu:NoExecute)"]) must include a managed node group CoreDNS and '
      + 'the EBS CSI controller can run on (they tolerate only the CriticalAddonsOnly taint): every pool has another NoSchedule/NoExecute taint or no node, '
      + 'so their pods stay Pending and terraform apply waits for the add-ons (aws_eks_addon DEGRADED) until its create timeout of about 20 minutes; '
      + 'add a node pool the add-ons can run on: without taints, or tainted CriticalAddonsOnly only, with at least one node '
      + "(for example cluster.addNodePool('system', { taints: [{ key: 'CriticalAddonsOnly', value: 'true', effect: TaintEffect.NO_SCHEDULE }] })), or use autoMode");
  });

  test('refused: no node pool and no Karpenter', () => {
    const stack = newStack();
    cluster(stack, { admins: ['arn:aws:iam::123456789012:role/admin'] });
    expect(validationError(stack)).toContain(
      'test/prod: nodePools ([]) must include a managed node group: the managed add-ons CoreDNS and the EBS CSI controller need nodes, '
      + 'and terraform apply would wait for them (aws_eks_addon DEGRADED) until its create timeout of about 20 minutes; add a node pool the add-ons can run on');
  });

  test('refused: the only untainted pool starts with no node', () => {
    const stack = newStack();
    const c = cluster(stack, { admins: ['arn:aws:iam::123456789012:role/admin'] }, EnvironmentProfile.DEVELOPMENT);
    c.addNodePool('general', { minSize: 0, maxSize: 3 });
    expect(validationError(stack)).toContain('test/prod: nodePools (["prod-general (desiredSize 0)"]) must include a managed node group CoreDNS');
  });

  test('accepted: a pool tainted CriticalAddonsOnly beside tainted ones, an untainted pool, a PreferNoSchedule taint', () => {
    for (const taints of [[systemTaint], [], [{ key: 'x', effect: aws.TaintEffect.PREFER_NO_SCHEDULE }]]) {
      const stack = newStack();
      const c = cluster(stack, { admins: ['arn:aws:iam::123456789012:role/admin'] });
      c.addNodePool('spot', { capacity: aws.NodeCapacity.spot(['m7i.large', 'm6i.large']), minSize: 0, taints: [spotTaint] });
      c.addNodePool('system', { taints });
      expect(validationError(stack)).toBeUndefined();
    }
  });

  test('a cluster with Karpenter and no node pool gets Karpenter\'s error only; Auto Mode and imported clusters need no pool', () => {
    const stack = newStack();
    const c = cluster(stack, { admins: ['arn:aws:iam::123456789012:role/admin'] });
    new aws.Karpenter(stack, 'karpenter', { cluster: c, amiAlias: 'al2023@v20250704' }).addNodePool('general', { maxCpu: 100 });
    const msg = validationError(stack)!;
    expect(msg).toContain('has no managed node group, so nothing would run the Karpenter controller');
    expect(msg).not.toContain('nodePools ([])');

    const auto = newStack();
    cluster(auto, { admins: ['arn:aws:iam::123456789012:role/admin'], autoMode: {} });
    expect(validationError(auto)).toBeUndefined();

    const imp = newStack();
    aws.EksCluster.fromClusterAttributes(imp, 'existing', { clusterName: 'legacy', network: network(imp), kubernetesVersion: aws.KubernetesVersion.V1_33 });
    expect(validationError(imp)).toBeUndefined();
  });

  test('importing the app\'s own cluster (fromClusterAttributes, same name) keeps it owned: Karpenter still needs a managed node group', () => {
    const stack = newStack();
    const c = cluster(stack, { admins: ['arn:aws:iam::123456789012:role/admin'] });
    aws.EksCluster.fromClusterAttributes(stack, 'again', { clusterName: c.clusterName, network: c.network, kubernetesVersion: aws.KubernetesVersion.V1_33 });
    new aws.Karpenter(stack, 'karpenter', { cluster: c, amiAlias: 'al2023@v20250704' }).addNodePool('general', { maxCpu: 100 });
    expect(validationError(stack)).toContain('test/karpenter: cluster (prod) has no managed node group, so nothing would run the Karpenter controller');
  });
});

describe('managed node groups pull images with AmazonEC2ContainerRegistryPullOnly', () => {
  test('the node role has PullOnly, not ReadOnly; SS-EKS-020 accepts PullOnly or ReadOnly and flags neither', () => {
    const stack = newStack();
    const c = cluster(stack);
    const pool = c.addNodePool('system');
    const attached = resources(synth(stack), 'aws_iam_role_policy_attachment')
      .filter((a) => a.role.includes('prod_system_role'))
      .map((a) => a.policy_arn.split('/').pop())
      .sort();
    expect(attached).toEqual(['AmazonEC2ContainerRegistryPullOnly', 'AmazonEKSWorkerNodePolicy', 'AmazonSSMManagedInstanceCore']);
    expect(findings(stack).filter((f) => f.startsWith('SS-EKS-020'))).toEqual([]);

    const pullOnly = pool.node.findChild('AmazonEC2ContainerRegistryPullOnly') as any;
    pullOnly.addOverride('policy_arn', 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly');
    expect(findings(stack).filter((f) => f.startsWith('SS-EKS-020'))).toEqual([]);
    pullOnly.addOverride('policy_arn', 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess');
    expect(findings(stack)).toContainEqual(expect.stringMatching(/^SS-EKS-020 stack\/aws_eks_node_group\.prod_system_node-group_/));
  });
});

describe('the region props agree with the AWS provider', () => {
  const stackIn = (region?: string) => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'test');
    new AwsProvider(stack, 'aws', region === undefined ? {} : { region });
    return stack;
  };

  const validCluster = (stack: TerraformStack) => {
    const c = cluster(stack, { admins: ['arn:aws:iam::123456789012:role/admin'] });
    c.addNodePool('system');
    return c;
  };

  test('refused: a Network of eu-west-1 planned with a us-east-1 provider (its subnets ask for zones of another region)', () => {
    const stack = stackIn('us-east-1');
    network(stack);
    expect(validationError(stack)).toContain(
      'test/net: region ("eu-west-1") differs from the region of the AWS provider its resources are planned with (us-east-1, test/aws): '
      + 'its subnets would ask for zones eu-west-1a, eu-west-1b, eu-west-1c in another region, and terraform apply fails; '
      + "pass region: 'us-east-1', or plan these resources with a provider for eu-west-1");
  });

  test('a cluster on that Network adds no second error; a cluster on an imported network of another region is refused', () => {
    const own = stackIn('us-east-1');
    validCluster(own);
    expect(validationError(own)!.match(/differs from the region of the AWS provider/g)).toHaveLength(1);

    const imported = stackIn('us-east-1');
    const net = aws.Network.fromNetworkAttributes(imported, 'net', {
      vpcId: 'vpc-0a1b2c3d4e5f60718',
      region: 'eu-west-1',
      availabilityZones: ['eu-west-1a', 'eu-west-1b'],
      privateSubnetIds: ['subnet-0a1b2c3d4e5f60711', 'subnet-0a1b2c3d4e5f60712'],
      tags: TAGS,
    });
    new aws.EksCluster(imported, 'prod', { network: net, version: aws.KubernetesVersion.V1_33, tags: TAGS, admins: ['arn:aws:iam::123456789012:role/admin'] }).addNodePool('system');
    expect(validationError(imported)).toContain(
      'test/prod: network.region ("eu-west-1") differs from the region of the AWS provider its resources are planned with (us-east-1, test/aws): '
      + "the cluster would be created in the provider's region, away from its subnets (test/net)");
  });

  test('accepted: the same region, a resource given a provider of its region, and a provider whose region is left to AWS_REGION', () => {
    const same = newStack();
    validCluster(same);
    expect(validationError(same)).toBeUndefined();

    const aliased = stackIn('us-east-1');
    const eu = new AwsProvider(aliased, 'eu', { region: 'eu-west-1', alias: 'eu' });
    const c = validCluster(aliased);
    for (const r of [...c.network.node.findAll(), ...c.node.findAll()]) if (r instanceof TerraformResource) r.provider = eu;
    expect(validationError(aliased)).toBeUndefined();

    const fromEnv = stackIn(undefined);
    validCluster(fromEnv);
    expect(validationError(fromEnv)).toBeUndefined();
  });
});
