// Defects a new user found: long cluster names (derived AWS names), collision advice, the Auto Scaling principal of the
// cluster key, duplicate taints, the reserved pool label, versions written 1.31.0 / v1.31, and the unpinned AMI alias.
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Testing, TerraformStack } from 'cdktf';
import { cluster, errorOf, network, newStack, resourceAt, resources, synth } from './util';
import * as aws from '../../lib/aws';
import { EnvironmentProfile } from '../../lib/core';
import { TerraformDocuments, TerraformPack } from '../../lib/policy';
import { PolicyEngine } from '../../lib/policy/engine';

const admins = ['arn:aws:iam::123456789012:role/platform-admin'];
const RULES = ['scheduled-change', 'spot-interruption', 'rebalance', 'instance-state-change', 'capacity-reservation-interruption'];

/** The user's repro: a cluster of the given name with a system pool and Karpenter with one pool. */
function longCluster(stack: TerraformStack, clusterName: string, props: Partial<aws.KarpenterProps> = {}): { c: aws.EksCluster; k: aws.Karpenter } {
  const c = new aws.EksCluster(stack, 'c', { network: network(stack), version: aws.KubernetesVersion.V1_33, admins, clusterName });
  c.addNodePool('system', { name: 'system' });
  const k = new aws.Karpenter(stack, 'k', { cluster: c, amiAlias: 'al2023@v20250704', ...props });
  k.addNodePool('b', { name: 'batch', maxCpu: 10 });
  return { c, k };
}

/** Every named resource of the synthesized stack, by Terraform type. */
function names(json: any, type: string): string[] {
  return resources(json, type).map((r) => r.name);
}

describe('derived AWS names of a long cluster name (EKS allows 100 characters)', () => {
  test('52 characters with Karpenter: the five EventBridge rules keep their suffix, are unique and at most 64 characters; synth passes', () => {
    const stack = newStack();
    const { k } = longCluster(stack, 'c'.repeat(52));
    expect(() => Testing.fullSynth(stack)).not.toThrow();
    const json = synth(stack);
    const rules = names(json, 'aws_cloudwatch_event_rule');
    expect(rules).toHaveLength(5);
    expect(new Set(rules).size).toBe(5);
    for (const id of RULES) {
      const name = k.rules[id].nameInput!;
      expect(name.length).toBeLessThanOrEqual(64);
      expect(name).toMatch(new RegExp(`^c+-[0-9a-f]{8}-karpenter-${id}$`));
    }
    // deterministic: the same program gives the same names
    const again = newStack();
    expect(longCluster(again, 'c'.repeat(52)).k.rules['capacity-reservation-interruption'].nameInput).toBe(k.rules['capacity-reservation-interruption'].nameInput);
  });

  test('a name that fits is unchanged: <cluster>-karpenter-<rule>', () => {
    const { k } = longCluster(newStack(), 'shop');
    expect(k.rules['spot-interruption'].nameInput).toBe('shop-karpenter-spot-interruption');
    expect(k.interruptionQueueName).toBe('shop-karpenter');
    expect(k.nodeRoleName).toBe('shop-karpenter-node');
  });

  test('100 characters: every derived name (IAM roles, instance profile, SQS queue, rules, KMS alias, log group) within its AWS limit and unique', () => {
    const stack = newStack();
    const name = 'a'.repeat(100);
    const { c, k } = longCluster(stack, name, { instanceProfile: true });
    c.addLoadBalancerController();
    c.addExternalDnsIdentity({ hostedZoneIds: ['Z0123456789ABCDEFGHIJ'] });
    expect(() => Testing.fullSynth(stack)).not.toThrow();
    const json = synth(stack);
    const limits: Array<[string, number]> = [
      ['aws_iam_role', 64], ['aws_iam_instance_profile', 128], ['aws_sqs_queue', 80], ['aws_cloudwatch_event_rule', 64],
      ['aws_kms_alias', 256], ['aws_cloudwatch_log_group', 512],
    ];
    for (const [type, max] of limits) {
      const all = names(json, type);
      expect(all.length).toBeGreaterThan(0);
      for (const n of all) expect(n.length).toBeLessThanOrEqual(max);
      expect(new Set(all.map((n) => n.toLowerCase())).size).toBe(all.length);
    }
    const roles = names(json, 'aws_iam_role');
    for (const suffix of ['-cluster', '-vpc-cni', '-ebs-csi', '-karpenter', '-karpenter-node', '-aws-load-balancer-controller', '-external-dns']) {
      expect(roles).toContainEqual(expect.stringMatching(new RegExp(`^a+-[0-9a-f]{8}${suffix}$`)));
    }
    expect(k.interruptionQueueName).toMatch(/^a+-[0-9a-f]{8}-karpenter$/);
    expect(k.interruptionQueueName).toHaveLength(80);
    expect(k.instanceProfileName).toBe(k.nodeRoleName);
  });

  test('two long cluster names that start alike get different names (the hash covers the whole name)', () => {
    const stack = newStack();
    const net = network(stack);
    const a = new aws.EksCluster(stack, 'a', { network: net, version: aws.KubernetesVersion.V1_33, admins, clusterName: `${'x'.repeat(70)}-a` });
    const b = new aws.EksCluster(stack, 'b', { network: net, version: aws.KubernetesVersion.V1_33, admins, clusterName: `${'x'.repeat(70)}-b` });
    expect(a.role.nameInput).not.toBe(b.role.nameInput);
    expect(a.role.nameInput).toMatch(/^x+-[0-9a-f]{8}-cluster$/);
  });

  test('Auto Mode node role of a long cluster name', () => {
    const stack = newStack();
    const c = new aws.EksCluster(stack, 'c', { network: network(stack), version: aws.KubernetesVersion.V1_33, admins, clusterName: 'm'.repeat(60), autoMode: {} });
    expect(c.autoModeNodeRole!.nameInput).toMatch(/^m+-[0-9a-f]{8}-auto-node$/);
    expect(c.autoModeNodeRole!.nameInput!.length).toBeLessThanOrEqual(64);
  });

  test('a node pool name derived from a long clusterName: refused, saying where it comes from and to pass name', () => {
    const stack = newStack();
    const c = new aws.EksCluster(stack, 'c', { network: network(stack), version: aws.KubernetesVersion.V1_33, admins, clusterName: 'c'.repeat(60) });
    expect(errorOf(() => c.addNodePool('system'))).toBe(
      `test/c/system: name ("${'c'.repeat(60)}-system") must be 1-63 letters, digits, - or _, starting with a letter or digit; `
      + 'it derives from clusterName (60 characters) and the construct id, as <clusterName>-<id>; '
      + 'pass a name of at most 63 characters for the pool (name), or give the cluster a shorter clusterName');
    c.addNodePool('sys', { name: 'system' });
    const k = new aws.Karpenter(stack, 'k', { cluster: c, amiAlias: 'al2023@v20250704' });
    expect(errorOf(() => k.addNodePool('batch', { maxCpu: 10 }))).toBe(
      `test/k/batch: name ("${'c'.repeat(60)}-batch") must be at most 63 characters (it is also a label value); `
      + 'it derives from clusterName (60 characters) and the construct id, as <clusterName>-<id>; '
      + 'pass a name of at most 63 characters for the pool (name), or give the cluster a shorter clusterName');
  });

  test('a workload identity role name derived from a long clusterName: refused, saying where it comes from and to pass roleName', () => {
    const stack = newStack();
    const c = new aws.EksCluster(stack, 'c', { network: network(stack), version: aws.KubernetesVersion.V1_33, admins, clusterName: 'c'.repeat(60) });
    expect(errorOf(() => c.addWorkloadIdentity('orders', { namespace: 'shop', serviceAccount: 'orders' }))).toBe(
      `test/c/orders: roleName ("${'c'.repeat(60)}-orders") must be 1-64 characters of letters, digits and +=,.@_- (an IAM role name); `
      + 'it derives from clusterName (60 characters) and the construct id, as <clusterName>-<id in kebab case>; '
      + 'pass roleName (at most 64 characters, unique in the account), or use a shorter id');
    expect(c.addWorkloadIdentity('orders-api', { namespace: 'shop', serviceAccount: 'orders', roleName: 'shop-orders' }).roleName).toBe('shop-orders');
  });
});

describe('name collisions inside one stack', () => {
  test('two identities with one roleName: the advice names roleName, not accounts or two stacks', () => {
    const stack = newStack();
    const c = cluster(stack, { admins });
    c.addNodePool('system');
    c.addWorkloadIdentity('a', { namespace: 'shop', serviceAccount: 'a', roleName: 'shop-api' });
    c.addWorkloadIdentity('b', { namespace: 'shop', serviceAccount: 'b', roleName: 'shop-api' });
    const message = errorOf(() => Testing.fullSynth(stack));
    expect(message).toContain('test/prod/a/role: name ("shop-api") is also the name of IAM role test/prod/b/role (IAM role names are unique per account; '
      + 'both in one stack, planned with the same AWS provider, so in one account), so terraform apply would fail; '
      + 'give one of the two another name (for a shipshape construct: a WorkloadIdentity\'s roleName, a Karpenter\'s nodeRoleName, '
      + 'a NodePool\'s or Network\'s name, an EksCluster\'s clusterName)');
    expect(message).not.toContain('pass each EksCluster its account');
    expect(message).not.toContain('two stacks');
  });

  test('one stack, a role planned with another provider: the advice names allowedAccountIds', () => {
    const stack = newStack();
    const other = new AwsProvider(stack, 'other', { region: 'eu-west-1', alias: 'other' });
    new IamRole(stack, 'x', { name: 'shared', assumeRolePolicy: '{}' });
    new IamRole(stack, 'y', { name: 'shared', assumeRolePolicy: '{}', provider: other });
    network(stack);
    expect(errorOf(() => Testing.fullSynth(stack))).toContain('test/x: name ("shared") is also the name of IAM role test/y (IAM role names are unique per account; '
      + 'the account of at least one of them is not known at synth, so they may share one), so terraform apply would fail; give one of the two another name '
      + '(for a shipshape construct: a WorkloadIdentity\'s roleName, a Karpenter\'s nodeRoleName, a NodePool\'s or Network\'s name, an EksCluster\'s clusterName); '
      + 'if the two providers deploy to different accounts, give each AwsProvider allowedAccountIds');
  });
});

describe('the cluster key names the Auto Scaling service-linked role only with managed node groups', () => {
  const keyPolicy = (c: aws.EksCluster) => JSON.parse(resourceAt(synth(TerraformStack.of(c)), 'aws_kms_key', 'prod_key').policy);
  const autoScaling = (c: aws.EksCluster) => {
    const policy = keyPolicy(c);
    return policy.Statement.filter((s: any) => JSON.stringify(s.Principal).includes('AWSServiceRoleForAutoScaling')).map((s: any) => s.Sid);
  };

  test('Auto Mode: no Auto Scaling principal (KMS refuses a policy naming a role the account lacks)', () => {
    const c = cluster(newStack(), { autoMode: {}, admins });
    expect(autoScaling(c)).toEqual([]);
    expect(keyPolicy(c).Statement.map((s: any) => s.Sid)).toEqual(['AccountAdministers', 'CloudWatchLogs']);
  });

  test('managed node groups: the two Auto Scaling statements', () => {
    const c = cluster(newStack(), { admins });
    c.addNodePool('system');
    expect(autoScaling(c)).toEqual(['NodeVolumesViaAutoScaling', 'NodeVolumeGrantsViaAutoScaling']);
  });
});

describe('taints: one per key and effect', () => {
  const dup = [
    { key: 'dedicated', value: 'batch', effect: aws.TaintEffect.NO_SCHEDULE },
    { key: 'dedicated', value: 'gpu', effect: aws.TaintEffect.NO_SCHEDULE },
  ];

  test('NodePool: refused, naming both entries', () => {
    const c = cluster(newStack());
    expect(errorOf(() => c.addNodePool('batch', { taints: dup }))).toBe(
      'test/prod/batch: taints[1] ("dedicated=gpu:NO_SCHEDULE") has the key and effect of taints[0] (dedicated:NO_SCHEDULE): '
      + 'Kubernetes allows one taint per key and effect on a node, and refuses a node that lists two; keep one taint per key and effect (one value each), or use another key');
  });

  test('Karpenter NodePool: refused', () => {
    const stack = newStack();
    const c = cluster(stack);
    c.addNodePool('system');
    const k = new aws.Karpenter(stack, 'karpenter', { cluster: c, amiAlias: 'al2023@v20250704' });
    expect(errorOf(() => k.addNodePool('batch', { maxCpu: 10, taints: dup }))).toBe(
      'test/karpenter/batch: taints[1] ("dedicated=gpu:NO_SCHEDULE") has the key and effect of taints[0] (dedicated:NO_SCHEDULE): '
      + 'Kubernetes allows one taint per key and effect on a node, and refuses a node that lists two; keep one taint per key and effect (one value each), or use another key');
  });

  test('one key with two effects: accepted, and written to the node group', () => {
    const c = cluster(newStack());
    const taints = [{ key: 'dedicated', value: 'batch', effect: aws.TaintEffect.NO_SCHEDULE }, { key: 'dedicated', value: 'batch', effect: aws.TaintEffect.NO_EXECUTE }];
    c.addNodePool('system');
    c.addNodePool('batch', { taints });
    expect(resourceAt(synth(TerraformStack.of(c)), 'aws_eks_node_group', 'prod_batch_node-group').taint).toEqual([
      { key: 'dedicated', value: 'batch', effect: 'NO_SCHEDULE' }, { key: 'dedicated', value: 'batch', effect: 'NO_EXECUTE' },
    ]);
  });
});

describe('the reserved label shipshape.dev/node-pool', () => {
  test('NodePool: refused, naming the reserved key', () => {
    const c = cluster(newStack());
    expect(errorOf(() => c.addNodePool('batch', { labels: { 'shipshape.dev/node-pool': 'batch' } }))).toBe(
      'test/prod/batch: labels ("shipshape.dev/node-pool=batch") uses the key shipshape.dev/node-pool, which shipshape reserves: it sets it on every node to the '
      + 'pool\'s name (prod-batch), which placement and the scheduling checks read; leave the label out (to change its value, set the pool\'s name), '
      + 'and use another key for your own label, for example \'example.com/node-pool\'');
  });

  test('Karpenter NodePool: refused; other shipshape.dev keys are the user\'s', () => {
    const stack = newStack();
    const c = cluster(stack);
    c.addNodePool('system');
    const k = new aws.Karpenter(stack, 'karpenter', { cluster: c, amiAlias: 'al2023@v20250704' });
    expect(errorOf(() => k.addNodePool('batch', { maxCpu: 10, labels: { 'shipshape.dev/node-pool': 'x' } }))).toBe(
      'test/karpenter/batch: labels ("shipshape.dev/node-pool=x") uses the key shipshape.dev/node-pool, which shipshape reserves: it sets it on every node to the '
      + 'pool\'s name (prod-batch), which placement and the scheduling checks read; leave the label out (to change its value, set the pool\'s name), '
      + 'and use another key for your own label, for example \'example.com/node-pool\'');
    expect(k.addNodePool('spark', { maxCpu: 10, labels: { 'shipshape.dev/workload-class': 'spark' } }).profile.labels).toEqual({
      'shipshape.dev/workload-class': 'spark', 'shipshape.dev/node-pool': 'prod-spark',
    });
  });
});

describe('versions written with a patch or a leading v', () => {
  test('EksCluster version 1.31.0 and v1.31: refused with the minor version to write', () => {
    expect(errorOf(() => cluster(newStack(), { version: aws.KubernetesVersion.of('1.31.0') }))).toBe(
      'test/prod: version ("1.31.0") must be a Kubernetes minor version, without a patch or a leading v (EKS runs a minor version and chooses the patch itself); '
      + 'write 1.31: KubernetesVersion.V1_31');
    expect(errorOf(() => cluster(newStack(), { version: aws.KubernetesVersion.of('v1.31') }))).toBe(
      'test/prod: version ("v1.31") must be a Kubernetes minor version, without a patch or a leading v (EKS runs a minor version and chooses the patch itself); '
      + 'write 1.31: KubernetesVersion.V1_31');
  });

  test('a minor version without a constant: the factory to write', () => {
    expect(errorOf(() => cluster(newStack(), { version: aws.KubernetesVersion.of('v1.40.2') }))).toBe(
      'test/prod: version ("v1.40.2") must be a Kubernetes minor version, without a patch or a leading v (EKS runs a minor version and chooses the patch itself); '
      + "write 1.40: KubernetesVersion.of('1.40')");
  });

  test('upgradeFrom, a node pool\'s and an imported cluster\'s kubernetesVersion', () => {
    expect(errorOf(() => cluster(newStack(), { upgradeFrom: aws.KubernetesVersion.of('1.32.4') }))).toMatch(
      /^test\/prod: upgradeFrom \("1.32.4"\) must be a Kubernetes minor version, without a patch .*; write 1.32: KubernetesVersion.V1_32$/);
    expect(errorOf(() => cluster(newStack()).addNodePool('p', { kubernetesVersion: aws.KubernetesVersion.of('v1.32') }))).toMatch(
      /^test\/prod\/p: kubernetesVersion \("v1.32"\) must be a Kubernetes minor version, without a patch .*; write 1.32: KubernetesVersion.V1_32$/);
    const stack = newStack();
    expect(errorOf(() => aws.EksCluster.fromClusterAttributes(stack, 'a', { clusterName: 'x', network: network(stack), kubernetesVersion: aws.KubernetesVersion.of('1.32.1') }))).toBe(
      'test/a: kubernetesVersion ("1.32.1") must be a Kubernetes minor version, without a patch or a leading v (EKS runs a minor version and chooses the patch itself); '
      + 'write 1.32: KubernetesVersion.V1_32');
  });
});

describe('Karpenter amiAlias in production', () => {
  const warnings = (k: aws.Karpenter) => k.node.metadata.filter((m) => m.type === 'shipshape:warning').map((m) => m.data);

  test('left out in production: a warning (metadata and stderr) to pin a release; the default stays al2023@latest', () => {
    const stack = newStack();
    const c = cluster(stack);
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    let k: aws.Karpenter;
    let printed: unknown[][];
    try {
      k = new aws.Karpenter(stack, 'karpenter', { cluster: c });
    } finally {
      printed = write.mock.calls.map((call) => [...call]);
      write.mockRestore();
    }
    const expected = 'amiAlias is not set, so production nodes run al2023@latest: each AMI AWS publishes rolls out to them as drift, untested '
      + '(within the pools\' disruption budgets); pin a release, for example amiAlias: \'al2023@v20250704\', and raise it after testing, '
      + 'or pass amiAlias: \'al2023@latest\' to choose the latest AMI explicitly and silence this';
    expect(warnings(k!)).toEqual([expected]);
    expect(printed).toEqual([[`shipshape warning: test/karpenter: ${expected}\n`]]);
    expect(k!.profile.nodeClass.amiAlias).toBe('al2023@latest');
  });

  test('no warning: a pinned or explicit alias in production, or the default in development', () => {
    const stack = newStack();
    const c = cluster(stack);
    expect(warnings(new aws.Karpenter(stack, 'pinned', { cluster: c, amiAlias: 'al2023@v20250704' }))).toEqual([]);
    const stack2 = newStack();
    expect(warnings(new aws.Karpenter(stack2, 'explicit', { cluster: cluster(stack2), amiAlias: 'al2023@latest' }))).toEqual([]);
    const dev = newStack();
    expect(warnings(new aws.Karpenter(dev, 'dev', { cluster: cluster(dev, {}, EnvironmentProfile.DEVELOPMENT) }))).toEqual([]);
  });
});

describe('workload identity managed policies', () => {
  test('a managed policy given by name, not ARN, is refused with the ARN to write', () => {
    expect(errorOf(() => cluster(newStack()).addWorkloadIdentity('a', { namespace: 'shop', serviceAccount: 'a', managedPolicyArns: ['AmazonS3ReadOnlyAccess'] }))).toBe(
      'test/prod/a: managedPolicyArns[0] ("AmazonS3ReadOnlyAccess") is not the ARN of an IAM managed policy; write the whole ARN, for example '
      + '"arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess" (an AWS managed policy) or arn:aws:iam::<account>:policy/<name>');
  });

  test('AdministratorAccess on a workload identity is an SS-EKS-023 error of the Terraform pack', () => {
    const stack = newStack();
    cluster(stack).addWorkloadIdentity('a', { namespace: 'shop', serviceAccount: 'a', managedPolicyArns: ['arn:aws:iam::aws:policy/AdministratorAccess'] });
    const found = new PolicyEngine({ packs: [new TerraformPack()] }).check(TerraformDocuments.fromJson(synth(stack), 'stack')).findings;
    // the finding is the role's; it points at the role's name, and names the attachment that attaches the policy (the role has no managed_policy_arns)
    expect(found.filter(f => f.ruleId === 'SS-EKS-023').map(f => [f.kind, f.jsonPath, f.message])).toEqual([
      ['aws_iam_role', 'name', expect.stringMatching(/^the role has the managed policy AdministratorAccess \(attached by aws_iam_role_policy_attachment prod_a_managed-0_[0-9A-F]{8}\)$/)],
    ]);
  });
});

describe('security review: workload roles that escalate, read everything, or trust everyone', () => {
  const findings = (stack: TerraformStack, id: string) => new PolicyEngine({ packs: [new TerraformPack()] }).check(TerraformDocuments.fromJson(synth(stack), 'stack')).findings
    .filter(f => f.ruleId === id).map(f => f.message);

  test.each([
    [['iam:PassRole', 'ec2:RunInstances'], 'allows iam:PassRole on every resource, with which the role can give itself (or what it starts) more rights than it has'],
    [['iam:Put*'], 'allows iam:PutRolePolicy, iam:PutUserPolicy, iam:PutGroupPolicy on every resource, with which the role can give itself (or what it starts) more rights than it has'],
    [['sts:AssumeRole'], 'allows sts:AssumeRole on every resource, with which the role can give itself (or what it starts) more rights than it has'],
    [['secretsmanager:GetSecretValue', 'kms:Decrypt'], 'allows secretsmanager:GetSecretValue, kms:Decrypt on every resource: every secret, parameter, key or object of the account'],
    [['s3:Get*', 's3:List*'], 'allows s3:GetObject on every resource: every secret, parameter, key or object of the account'],
  ])('SS-EKS-023: %j on * is an error', (actions, why) => {
    const stack = newStack();
    const wi = cluster(stack).addWorkloadIdentity('a', { namespace: 'shop', serviceAccount: 'a' });
    wi.addToPolicy({ actions, resources: ['*'] });
    expect(findings(stack, 'SS-EKS-023')).toEqual([expect.stringContaining(`Statement[0] ${why}`)]);
  });

  test('SS-EKS-023: describe calls on * (which take no resource) and reads of one bucket are fine', () => {
    const stack = newStack();
    const wi = cluster(stack).addWorkloadIdentity('a', { namespace: 'shop', serviceAccount: 'a' });
    wi.addToPolicy({ actions: ['ec2:DescribeInstances', 'ec2:Describe*'], resources: ['*'] });
    wi.addToPolicy({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::reports/*'] });
    expect(findings(stack, 'SS-EKS-023')).toEqual([]);
  });

  test.each(['AmazonS3FullAccess', 'SecretsManagerReadWrite', 'ReadOnlyAccess'])('SS-EKS-023: the managed policy %s is an error', (name) => {
    const stack = newStack();
    cluster(stack).addWorkloadIdentity('a', { namespace: 'shop', serviceAccount: 'a', managedPolicyArns: [`arn:aws:iam::aws:policy/${name}`] });
    expect(findings(stack, 'SS-EKS-023')).toEqual([expect.stringMatching(new RegExp(`^the role has the managed policy ${name} \\(attached by aws_iam_role_policy_attachment [^)]+\\), `
      + 'which grants a whole service \\(or reads everything\\) on every resource of the account$'))]);
  });

  test('SS-EKS-024: a rule from every address on the cluster security group is an error; from the VPC, or on another group, it is not', () => {
    const stack = newStack();
    const c = cluster(stack);
    new VpcSecurityGroupIngressRule(stack, 'open', { securityGroupId: c.clusterSecurityGroupId, cidrIpv4: '0.0.0.0/0', ipProtocol: 'tcp', fromPort: 443, toPort: 443 });
    new VpcSecurityGroupIngressRule(stack, 'vpc', { securityGroupId: c.clusterSecurityGroupId, cidrIpv4: '10.0.0.0/16', ipProtocol: 'tcp', fromPort: 443, toPort: 443 });
    const web = new SecurityGroup(stack, 'web', { name: 'web', vpcId: 'vpc-123' });
    new VpcSecurityGroupIngressRule(stack, 'public-web', { securityGroupId: web.id, cidrIpv4: '0.0.0.0/0', ipProtocol: 'tcp', fromPort: 443, toPort: 443 });
    expect(findings(stack, 'SS-EKS-024')).toEqual(['the cluster\'s or its nodes\' security group admits 0.0.0.0/0']);
  });

  test('the cluster key lets CloudWatch Logs use it for the cluster\'s log group only, and the flow-log key for the flow logs only', () => {
    const stack = newStack();
    const c = cluster(stack);
    const json: any = synth(stack);
    const keys = Object.values(json.resource.aws_kms_key) as any[];
    const logsConditions = keys.map(k => JSON.parse(k.policy).Statement.find((st: any) => st.Sid === 'CloudWatchLogs').Condition);
    const arns = logsConditions.map(cond => cond.ArnEquals['kms:EncryptionContext:aws:logs:arn']);
    expect(arns.map(a => a.slice(a.indexOf(':log-group:'))).sort()).toEqual([`:log-group:/aws/eks/${c.clusterName}/cluster`, ':log-group:/aws/vpc/test-net/flow-logs'].sort());
    expect(arns.every(a => a.includes(':logs:eu-west-1:'))).toBe(true);
  });

  test('SS-EKS-021: a workload role whose trust an override opened to every AWS principal is an error (the Pod Identity association makes it a workload role)', () => {
    const stack = newStack();
    const wi = cluster(stack).addWorkloadIdentity('a', { namespace: 'shop', serviceAccount: 'a' });
    expect(findings(stack, 'SS-EKS-021')).toEqual([]);
    wi.resource.addOverride('assume_role_policy', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }] }));
    expect(findings(stack, 'SS-EKS-021')).toEqual(['lets every AWS principal (*) assume the role']);
  });
});
