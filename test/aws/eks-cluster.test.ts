import { Token } from 'cdktf';
import { cluster, errorOf, network, newStack, resourceAt, resources, synth } from './util';
import * as aws from '../../lib/aws';
import { EnvironmentProfile } from '../../lib/core';
import { Policy } from '../../lib/policy/policy';

describe('aws.EksCluster defaults', () => {
  const stack = newStack();
  const c = cluster(stack);
  const json = synth(stack);
  const eks = resources(json, 'aws_eks_cluster')[0];

  test('pinned version and name from the construct id', () => {
    expect(eks.version).toBe('1.33');
    expect(eks.name).toBe('prod');
    expect(c.clusterName).toBe('prod');
  });

  test('private endpoint on, public endpoint off, no public CIDRs', () => {
    expect(eks.vpc_config.endpoint_private_access).toBe(true);
    expect(eks.vpc_config.endpoint_public_access).toBe(false);
    expect(eks.vpc_config.public_access_cidrs).toBeUndefined();
    expect(eks.vpc_config.subnet_ids).toHaveLength(3);
    expect(c.publicEndpoint).toBe(false);
  });

  test('secrets envelope encryption with a rotating customer-managed key', () => {
    expect(eks.encryption_config.resources).toEqual(['secrets']);
    expect(eks.encryption_config.provider.key_arn).toMatch(/^\$\{aws_kms_key\.prod_key_[0-9A-F]+\.arn\}$/);
    const key = resourceAt(json, 'aws_kms_key', 'prod_key');
    expect(key.enable_key_rotation).toBe(true);
    const policy = JSON.parse(key.policy);
    for (const s of policy.Statement) expect(s.Principal).not.toBe('*');
  });

  test('all five control-plane log types into a pre-created, encrypted log group kept 365 days', () => {
    expect(eks.enabled_cluster_log_types).toEqual(['api', 'audit', 'authenticator', 'controllerManager', 'scheduler']);
    const group = resourceAt(json, 'aws_cloudwatch_log_group', 'prod_log-group');
    expect(group.name).toBe('/aws/eks/prod/cluster');
    expect(group.retention_in_days).toBe(365);
    expect(group.kms_key_id).toContain('aws_kms_key.prod_key');
    expect(eks.depends_on.some((d: string) => d.startsWith('aws_cloudwatch_log_group.prod_log-group'))).toBe(true);
  });

  test('access entries: API mode, no implicit creator admin', () => {
    expect(eks.access_config).toEqual({ authentication_mode: 'API', bootstrap_cluster_creator_admin_permissions: false });
    expect(resources(json, 'aws_eks_access_entry')).toHaveLength(0);
  });

  test('dedicated cluster role trusted by eks.amazonaws.com only', () => {
    const role = resourceAt(json, 'aws_iam_role', 'prod_role');
    expect(JSON.parse(role.assume_role_policy).Statement).toEqual([
      { Effect: 'Allow', Principal: { Service: 'eks.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ]);
    expect(eks.role_arn).toContain('aws_iam_role.prod_role');
  });

  test('OIDC provider for workload identity', () => {
    const oidc = resources(json, 'aws_iam_openid_connect_provider')[0];
    expect(oidc.client_id_list).toEqual(['sts.amazonaws.com']);
    expect(oidc.url).toContain('.identity[0].oidc[0].issuer');
  });

  test('managed add-ons pinned for 1.33; vpc-cni with network policy and its own identity', () => {
    const addons = Object.fromEntries(resources(json, 'aws_eks_addon').map((a) => [a.addon_name, a]));
    expect(Object.keys(addons).sort()).toEqual(['aws-ebs-csi-driver', 'coredns', 'eks-pod-identity-agent', 'kube-proxy', 'vpc-cni']);
    expect(addons['kube-proxy'].addon_version).toBe('v1.33.5-eksbuild.2');
    expect(addons.coredns.addon_version).toBe('v1.12.4-eksbuild.1');
    expect(JSON.parse(addons['vpc-cni'].configuration_values)).toEqual({ enableNetworkPolicy: 'true' });
    expect(addons['vpc-cni'].service_account_role_arn).toContain('aws_iam_role.prod_vpc-cni-identity_role');
    expect(addons['aws-ebs-csi-driver'].service_account_role_arn).toContain('aws_iam_role.prod_ebs-csi-identity_role');
    const cniRole = resourceAt(json, 'aws_iam_role', 'prod_vpc-cni-identity_role');
    expect(cniRole.assume_role_policy).toContain('system:serviceaccount:kube-system:aws-node');
  });

  test('no bootstrap self-managed add-ons, standard support', () => {
    expect(eks.bootstrap_self_managed_addons).toBe(false);
    expect(eks.upgrade_policy).toEqual({ support_type: 'STANDARD' });
  });

  test('environment and tags come from the network', () => {
    expect(c.environment).toBe(EnvironmentProfile.PRODUCTION);
    expect(eks.tags).toMatchObject({ 'team': 'payments', 'cost-centre': 'cc-1' });
  });
});

describe('aws.EksCluster options', () => {
  test('public endpoint only with an explicit CIDR allow-list', () => {
    const stack = newStack();
    cluster(stack, { publicAccessCidrs: ['203.0.113.0/24'] });
    const eks = resources(synth(stack), 'aws_eks_cluster')[0];
    expect(eks.vpc_config.endpoint_public_access).toBe(true);
    expect(eks.vpc_config.public_access_cidrs).toEqual(['203.0.113.0/24']);
    expect(eks.vpc_config.endpoint_private_access).toBe(true);
    expect(Policy.suppressionsOf(stack)).toEqual([{
      ruleId: 'SS-EKS-004',
      path: 'test/prod/cluster',
      reason: 'public API endpoint requested explicitly with publicAccessCidrs (203.0.113.0/24); the private endpoint stays on',
    }]);
  });

  test('admins get an access entry and the cluster-admin access policy', () => {
    const stack = newStack();
    const c = cluster(stack, { admins: ['arn:aws:iam::123456789012:role/admin'] });
    c.grantClusterAdmin('arn:aws:iam::123456789012:role/breakglass');
    const json = synth(stack);
    expect(resources(json, 'aws_eks_access_entry').map((e) => e.principal_arn)).toEqual([
      'arn:aws:iam::123456789012:role/admin', 'arn:aws:iam::123456789012:role/breakglass',
    ]);
    const assoc = resources(json, 'aws_eks_access_policy_association');
    expect(assoc[0].policy_arn).toMatch(/:eks::aws:cluster-access-policy\/AmazonEKSClusterAdminPolicy$/);
    expect(assoc[0].access_scope).toEqual({ type: 'cluster' });
  });

  test('profile is a plain value', () => {
    const stack = newStack();
    const c = cluster(stack, { account: '123456789012' });
    c.addNodePool('system', { taints: [{ key: 'dedicated', value: 'system', effect: aws.TaintEffect.NO_SCHEDULE }], labels: { tier: 'system' } });
    c.addWorkloadIdentity('orders', { namespace: 'shop', serviceAccount: 'orders', mechanism: aws.IdentityMechanism.IRSA });
    const p = c.profile;
    const strings: string[] = [];
    JSON.stringify(p, (_k, v) => { if (typeof v === 'string') strings.push(v); return v; });
    for (const s of strings) expect(Token.isUnresolved(s)).toBe(false);
    expect(p.region).toBe('eu-west-1');
    expect(p.zones).toEqual(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
    expect(p.nodePools[0]).toMatchObject({
      name: 'prod-system',
      labels: { 'tier': 'system', 'shipshape.dev/node-pool': 'prod-system' },
      taints: [{ key: 'dedicated', value: 'system', effect: 'NoSchedule' }],
      capacityType: 'ON_DEMAND',
      architecture: 'amd64',
      minSize: 3,
    });
    expect(p.storageClasses[0]).toMatchObject({ name: 'gp3', provisioner: 'ebs.csi.aws.com', isDefault: true });
    expect(p.oidcIssuerOutput).toBe('prod_oidc_issuer');
    // the pool can grow (3 to 9 nodes): the cluster-autoscaler's identity comes with it
    expect(p.workloadIdentities).toEqual([c.clusterAutoscaler!.identity.profile, {
      namespace: 'shop',
      serviceAccount: 'orders',
      roleName: 'prod-orders',
      mechanism: 'irsa',
      serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/prod-orders' },
      clusterName: 'prod',
    }]);
  });
});

describe('aws.EksCluster errors', () => {
  test('public endpoint open to 0.0.0.0/0', () => {
    const msg = errorOf(() => cluster(newStack(), { publicAccessCidrs: ['203.0.113.0/24', '0.0.0.0/0'] }));
    expect(msg).toBe('test/prod: publicAccessCidrs ("0.0.0.0/0") must not contain 0.0.0.0/0 (the API endpoint would be open to the internet); list your office or CI egress ranges, or leave publicAccessCidrs out to keep the endpoint private');
  });

  test('public endpoint open to ranges that add up to every IPv4 address', () => {
    const msg = errorOf(() => cluster(newStack(), { publicAccessCidrs: ['0.0.0.0/1', '128.0.0.0/1'] }));
    expect(msg).toBe('test/prod: publicAccessCidrs ("0.0.0.0/1, 128.0.0.0/1") must not add up to every IPv4 address, as 0.0.0.0/0 does (the API endpoint would be open to the internet); '
      + 'list your office or CI egress ranges, or leave publicAccessCidrs out to keep the endpoint private');
    // half of the space is a (very) wide range, not the whole internet: the constructor leaves it to review
    expect(() => cluster(newStack(), { publicAccessCidrs: ['0.0.0.0/1'] })).not.toThrow();
  });

  test('unsupported Kubernetes version', () => {
    const msg = errorOf(() => cluster(newStack(), { version: aws.KubernetesVersion.of('1.24') }));
    expect(msg).toBe('test/prod: version ("1.24") must be a supported EKS Kubernetes version: 1.29, 1.30, 1.31, 1.32, 1.33, 1.34; pin one, for example KubernetesVersion.V1_34');
    // 1.35 has no pinned add-on versions yet; SS-EKS-007 reads the same list (test/policy/terraform/terraform-pack.test.ts)
    expect(errorOf(() => cluster(newStack(), { version: aws.KubernetesVersion.of('1.35') }))).toBe(
      'test/prod: version ("1.35") must be a supported EKS Kubernetes version: 1.29, 1.30, 1.31, 1.32, 1.33, 1.34; pin one, for example KubernetesVersion.V1_34');
  });

  test('log retention below 365 days', () => {
    const msg = errorOf(() => cluster(newStack(), { logRetentionDays: 90 }));
    expect(msg).toBe('test/prod: logRetentionDays (90) must be one of CloudWatch Logs\' retention values of at least 365 days (365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653); use 365');
  });

  test('missing cost tags on the cluster', () => {
    const stack = newStack();
    const net = network(stack);
    const msg = errorOf(() => new aws.EksCluster(stack, 'prod', { network: net, version: aws.KubernetesVersion.V1_33, tags: { team: 'x', environment: 'prod' } as any }));
    expect(msg).toBe("test/prod: tags.costCentre (undefined) must be a non-empty string (cost attribution); pass tags: { team: 'payments', environment: 'production', costCentre: 'cc-1234' }");
  });

  test('admin that is not an IAM ARN', () => {
    const msg = errorOf(() => cluster(newStack(), { admins: ['alice'] }));
    expect(msg).toBe("test/prod: admins (\"alice\") must be an IAM role or user ARN; pass an ARN like 'arn:aws:iam::123456789012:role/platform-admin'");
  });
});
