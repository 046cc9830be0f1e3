/**
 * What the AWS side gives the Kubernetes side of one program: the gp3 StorageClass with the cluster key, the AWS Load
 * Balancer Controller (identity, release, IngressClass), team access entries from the fleet layer, and the
 * external-dns identity.
 */
import { TerraformVariable, Token } from 'cdktf';
import { Construct } from 'constructs';
import { cluster, errorOf, newStack, network, resourceAt, resources, synth, TAGS } from './util';
import * as aws from '../../lib/aws';
import { EnvironmentProfile, TeamAccessProfile } from '../../lib/core';

const ADMIN = 'arn:aws:iam::123456789012:role/admin';

/** A network imported by attributes (two private subnets in eu-west-1), with a literal VPC id unless given another. */
function importedNetwork(stack: Construct, vpcId = 'vpc-0a1b2c3d4e5f60718'): aws.INetwork {
  return aws.Network.fromNetworkAttributes(stack, 'imported', {
    vpcId,
    region: 'eu-west-1',
    availabilityZones: ['eu-west-1a', 'eu-west-1b'],
    privateSubnetIds: ['subnet-0a1b2c3d4e5f60711', 'subnet-0a1b2c3d4e5f60712'],
    tags: TAGS,
  });
}

function statementsOf(json: any, rolePath: string): any[] {
  return JSON.parse(resourceAt(json, 'aws_iam_role_policy', `${rolePath}_policy`).policy).Statement;
}

describe('storage: the gp3 StorageClass uses the cluster key', () => {
  test('with the account: the alias ARN of the cluster key; the EBS CSI identity may use that key only', () => {
    const stack = newStack();
    const c = cluster(stack, { account: '123456789012' });
    expect(c.profile.storageClasses).toEqual([{
      name: 'gp3',
      provisioner: 'ebs.csi.aws.com',
      isDefault: true,
      parameters: { type: 'gp3', encrypted: 'true', fsType: 'ext4', kmsKeyId: 'arn:aws:kms:eu-west-1:123456789012:alias/eks/prod' },
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
      reclaimPolicy: 'Delete',
    }]);
    const json = synth(stack);
    // the alias the class names is the cluster key's
    expect(resourceAt(json, 'aws_kms_alias', 'prod_key-alias')).toMatchObject({ name: 'alias/eks/prod' });
    expect(resourceAt(json, 'aws_kms_alias', 'prod_key-alias').target_key_id).toMatch(/^\$\{aws_kms_key\.prod_key_[0-9A-F]{8}\.key_id\}$/);
    expect(statementsOf(json, 'prod_ebs-csi-identity')).toEqual([
      { Sid: 'VolumeKeyUse', Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'], Resource: [expect.stringMatching(/^\$\{aws_kms_key\.prod_key_[0-9A-F]{8}\.arn\}$/)] },
      {
        Sid: 'VolumeKeyGrantsForEbs',
        Effect: 'Allow',
        Action: ['kms:CreateGrant'],
        Resource: [expect.stringMatching(/^\$\{aws_kms_key\.prod_key_[0-9A-F]{8}\.arn\}$/)],
        Condition: { Bool: { 'kms:GrantIsForAWSResource': ['true'] } },
      },
    ]);
  });

  test('without the account: the alias name (EC2 CreateVolume takes it as the key)', () => {
    const c = cluster(newStack());
    expect(c.profile.storageClasses[0].parameters.kmsKeyId).toBe('alias/eks/prod');
    expect(c.volumeKeyAlias).toBe('alias/eks/prod');
  });

  test('Auto Mode: its block storage provisioner, and the cluster role may use the key for volumes', () => {
    const stack = newStack();
    const c = cluster(stack, { autoMode: {} });
    expect(c.profile.storageClasses[0]).toMatchObject({ provisioner: 'ebs.csi.eks.amazonaws.com', parameters: { kmsKeyId: 'alias/eks/prod' } });
    const policy = JSON.parse(resourceAt(synth(stack), 'aws_iam_role_policy', 'prod_volume-key-use').policy).Statement;
    expect(policy.map((s: any) => s.Sid)).toEqual(['VolumeKeyUse', 'VolumeKeyGrantsForEbs']);
    expect(policy[1].Condition).toEqual({ Bool: { 'kms:GrantIsForAWSResource': ['true'] } });
  });
});

describe('EksCluster.addLoadBalancerController', () => {
  function withController(props: Partial<aws.EksClusterProps> = {}, options: aws.LoadBalancerControllerOptions = {}) {
    const stack = newStack();
    const c = cluster(stack, { account: '123456789012', ...props });
    const lbc = c.addLoadBalancerController(options);
    return { stack, c, lbc, json: () => synth(stack) };
  }

  test('the identity: EKS Pod Identity for exactly kube-system/aws-load-balancer-controller', () => {
    const { lbc, json } = withController();
    const assoc = resourceAt(json(), 'aws_eks_pod_identity_association', 'prod_load-balancer-controller_identity_association');
    expect([assoc.namespace, assoc.service_account]).toEqual(['kube-system', 'aws-load-balancer-controller']);
    expect(lbc.identity.profile).toEqual({
      namespace: 'kube-system', serviceAccount: 'aws-load-balancer-controller', roleName: 'prod-aws-load-balancer-controller', mechanism: 'pod-identity', serviceAccountAnnotations: {}, clusterName: 'prod',
    });
  });

  test('the policy: no wildcard action; a * resource only for regional describe and list calls; every change scoped by a cluster tag', () => {
    const statements = statementsOf(withController().json(), 'prod_load-balancer-controller_identity');
    expect(statements.map((s) => s.Sid)).toEqual([
      'ElbServiceLinkedRole', 'Describe', 'DescribeCertificates', 'SecurityGroupsInClusterVpc', 'CreateOwnedSecurityGroups', 'TagSecurityGroupsOnCreate',
      'ManageOwnedSecurityGroups', 'RetagOwnedSecurityGroups', 'OpenClusterSecurityGroupToLoadBalancers', 'CreateOwnedLoadBalancers', 'TagOnCreate',
      'ManageOwnedLoadBalancers', 'ManageOwnedListeners', 'ManageOwnedRules', 'RetagOwnedLoadBalancers',
    ]);
    for (const s of statements) {
      for (const a of s.Action) expect(a).toMatch(/^[a-z0-9-]+:[A-Za-z]+\*?$/);
      expect(s.Action).not.toContain('*');
      if (s.Resource.includes('*')) {
        expect(s.Resource).toEqual(['*']);
        for (const a of s.Action) expect(a).toMatch(/^[a-z0-9-]+:(Describe|List|Get)/);
        expect(s.Condition).toEqual({ StringEquals: { 'aws:RequestedRegion': ['eu-west-1'] } });
      }
      const mutating = s.Action.filter((a: string) => !/:(Describe|List|Get)/.test(a));
      if (mutating.length > 0 && s.Sid !== 'ElbServiceLinkedRole' && s.Sid !== 'SecurityGroupsInClusterVpc') {
        const tags = { ...s.Condition?.StringEquals };
        const scoped = tags['aws:ResourceTag/elbv2.k8s.aws/cluster'] ?? tags['aws:RequestTag/elbv2.k8s.aws/cluster'] ?? tags['aws:ResourceTag/kubernetes.io/cluster/prod'];
        expect([s.Sid, scoped]).toEqual([s.Sid, expect.arrayContaining([expect.stringMatching(/^(prod|owned)$/)])]);
      }
    }
    const byId = Object.fromEntries(statements.map((s) => [s.Sid, s]));
    expect(byId.ManageOwnedLoadBalancers.Condition).toEqual({ StringEquals: { 'aws:ResourceTag/elbv2.k8s.aws/cluster': ['prod'] } });
    expect(byId.ManageOwnedLoadBalancers.Resource).toEqual([
      'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/*/*',
      'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/*/*',
      'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/*/*',
    ]);
    expect(byId.CreateOwnedLoadBalancers.Condition).toEqual({ StringEquals: { 'aws:RequestTag/elbv2.k8s.aws/cluster': ['prod'] } });
    expect(byId.RetagOwnedLoadBalancers.Condition['ForAllValues:StringNotEquals']).toEqual({ 'aws:TagKeys': ['elbv2.k8s.aws/cluster'] });
    expect(byId.SecurityGroupsInClusterVpc.Resource[0]).toMatch(/^arn:aws:ec2:eu-west-1:123456789012:vpc\/\$\{aws_vpc\.net_vpc_[0-9A-F]{8}\.id\}$/);
    expect(byId.ElbServiceLinkedRole.Condition).toEqual({ StringEquals: { 'iam:AWSServiceName': ['elasticloadbalancing.amazonaws.com'] } });
    // WAF, Shield and Cognito are not granted (the chart values turn the first two off)
    expect(JSON.stringify(statements)).not.toMatch(/waf|shield|cognito/);
  });

  test('the release: eks-charts at an exact version, values naming the cluster, region, VPC and the ServiceAccount', () => {
    const { lbc } = withController();
    expect(lbc.release).toEqual({
      repository: 'https://aws.github.io/eks-charts',
      chart: 'aws-load-balancer-controller',
      version: '1.14.0',
      releaseName: 'aws-load-balancer-controller',
      namespace: 'kube-system',
      serviceAccountName: 'aws-load-balancer-controller',
      identity: lbc.identity.profile,
      values: {
        'clusterName': 'prod',
        'region': 'eu-west-1',
        'vpcTags.Name': 'test-net',
        'serviceAccount.create': 'true',
        'serviceAccount.name': 'aws-load-balancer-controller',
        'replicaCount': '2',
        'ingressClass': 'alb',
        'createIngressClassResource': 'false',
        'enableShield': 'false',
        'enableWaf': 'false',
        'enableWafv2': 'false',
        'controllerConfig.featureGates.ListenerRulesTagging': 'true',
        'tolerations[0].key': 'CriticalAddonsOnly',
        'tolerations[0].operator': 'Exists',
      },
    });
  });

  test('the profile: IngressClass alb (default, with the chart\'s pod labels), the release and the identity; plain values only', () => {
    const { c, lbc } = withController();
    const p = c.profile;
    expect(p.ingressClasses).toEqual([{
      name: 'alb',
      controller: 'ingress.k8s.aws/alb',
      isDefault: true,
      controllerRelease: lbc.release,
      controllerNamespace: 'kube-system',
      controllerPodLabels: { 'app.kubernetes.io/name': 'aws-load-balancer-controller', 'app.kubernetes.io/instance': 'aws-load-balancer-controller' },
    }]);
    expect(p.helmReleases).toEqual([lbc.release]);
    expect(p.workloadIdentities).toContainEqual(lbc.identity.profile);
    expect(p.vpcCidr).toBe('10.0.0.0/16');
    expect(JSON.stringify(p)).not.toMatch(/TfToken|\$\{/);
    expect(c.loadBalancerController).toBe(lbc);
  });

  test('options: class name, not the default, version, replicas; a development cluster runs one replica', () => {
    const { c, lbc } = withController({}, { ingressClassName: 'internal-alb', defaultIngressClass: false, version: '1.13.4', replicas: 3 });
    expect(c.profile.ingressClasses?.[0]).toMatchObject({ name: 'internal-alb', isDefault: false });
    expect(lbc.release.values).toMatchObject({ ingressClass: 'internal-alb', replicaCount: '3' });
    expect(lbc.release.version).toBe('1.13.4');
    const dev = cluster(newStack(), {}, EnvironmentProfile.DEVELOPMENT).addLoadBalancerController();
    expect(dev.release.values.replicaCount).toBe('1');
  });

  test('an imported network with a literal VPC id: the values name the VPC id', () => {
    const stack = newStack();
    const net = importedNetwork(stack);
    const c = new aws.EksCluster(stack, 'prod', { network: net, version: aws.KubernetesVersion.V1_33, admins: [ADMIN] });
    const lbc = c.addLoadBalancerController();
    expect(lbc.release.values.vpcId).toBe('vpc-0a1b2c3d4e5f60718');
    expect(lbc.release.values['vpcTags.Name']).toBeUndefined();
    expect(c.profile.vpcCidr).toBeUndefined(); // the CIDR of an imported VPC is known only at plan time
  });

  test('the construct on an imported cluster: its release and class are the caller\'s to hand to the Kubernetes side', () => {
    const stack = newStack();
    const net = importedNetwork(stack);
    const legacy = aws.EksCluster.fromClusterAttributes(stack, 'legacy', { clusterName: 'legacy', network: net, kubernetesVersion: aws.KubernetesVersion.V1_32 });
    const lbc = new aws.LoadBalancerController(stack, 'lbc', { cluster: legacy });
    expect(lbc.release.values).toMatchObject({ clusterName: 'legacy', vpcId: 'vpc-0a1b2c3d4e5f60718' });
    expect(lbc.ingressClass.controllerRelease).toBe(lbc.release);
    const assoc = resourceAt(synth(stack), 'aws_eks_pod_identity_association', 'lbc_identity_association');
    expect(assoc.cluster_name).toMatch(/^\$\{data\.aws_eks_cluster\.legacy_cluster_[0-9A-F]{8}\.name\}$/);
  });

  test('error: a network whose VPC id is known only after apply and that shipshape did not name', () => {
    const stack = newStack();
    const vpc = new TerraformVariable(stack, 'vpc_id', { type: 'string' });
    const net = importedNetwork(stack, vpc.stringValue);
    const c = new aws.EksCluster(stack, 'prod', { network: net, version: aws.KubernetesVersion.V1_33, admins: [ADMIN] });
    expect(errorOf(() => c.addLoadBalancerController())).toBe(
      'test/prod/load-balancer-controller: cluster.network ("test/imported") has a VPC id known only after apply and no Name tag shipshape set, '
      + 'so the controller could not find its VPC (pods cannot reach IMDS); use aws.Network, or Network.fromNetworkAttributes with the literal VPC id');
  });

  test('the subnets carry the load balancer discovery tags', () => {
    const stack = newStack();
    network(stack);
    const json = synth(stack);
    const subnets = resources(json, 'aws_subnet');
    expect(subnets.filter((s) => s.tags['kubernetes.io/role/internal-elb'] === '1')).toHaveLength(3);
    expect(subnets.filter((s) => s.tags['kubernetes.io/role/elb'] === '1')).toHaveLength(3);
  });

  test('error: an Auto Mode cluster (it runs its own controller; the profile offers the built-in class)', () => {
    const c = cluster(newStack(), { autoMode: {} });
    expect(c.profile.ingressClasses).toEqual([{ name: 'alb', controller: 'eks.amazonaws.com/alb', isDefault: true }]);
    expect(c.profile.helmReleases).toBeUndefined();
    expect(errorOf(() => c.addLoadBalancerController())).toBe(
      'test/prod/load-balancer-controller: cluster ("prod") runs EKS Auto Mode, whose built-in load balancing serves IngressClass controller eks.amazonaws.com/alb; '
      + 'leave the controller out: the cluster profile already offers the built-in class');
  });

  test('error: a second controller', () => {
    const { c } = withController();
    expect(errorOf(() => c.addLoadBalancerController())).toBe(
      'test/prod: addLoadBalancerController ("test/prod/load-balancer-controller") was already called: a cluster runs one AWS Load Balancer Controller; keep the controller the first call returned');
  });

  test('error: a chart version the policy is not written for', () => {
    expect(errorOf(() => cluster(newStack()).addLoadBalancerController({ version: '1.11.0' }))).toBe(
      'test/prod/load-balancer-controller: version ("1.11.0") must be an exact chart version from 1.12.0 to 1.17.x (controller v2.12 to v2.17, the versions the IAM policy is written for); '
      + 'use 1.14.0 or leave version out');
  });

  test('error: replicas out of range', () => {
    expect(errorOf(() => cluster(newStack()).addLoadBalancerController({ replicas: 0 }))).toBe(
      'test/prod/load-balancer-controller: replicas (0) must be a whole number from 1 to 10; use 2 (one active, one standby)');
  });

  test('error: a chart repository that is not a URL', () => {
    expect(errorOf(() => cluster(newStack()).addLoadBalancerController({ chartRepository: 'eks-charts' }))).toBe(
      'test/prod/load-balancer-controller: chartRepository ("eks-charts") must be an https:// or oci:// chart repository; use \'https://aws.github.io/eks-charts\' or your mirror');
  });
});

describe('EksCluster.grantTeamAccess', () => {
  const entry = (extra: Partial<TeamAccessProfile> = {}): TeamAccessProfile => ({
    cluster: 'prod-eu',
    clusterName: 'prod',
    team: 'payments',
    principalArn: 'arn:aws:iam::123456789012:role/payments-developers',
    kubernetesGroups: ['team:payments'],
    namespaces: ['payments'],
    ...extra,
  });

  test('an access entry (STANDARD) mapping the principal into the team\'s groups; no access policy unless the entry names one', () => {
    const stack = newStack();
    cluster(stack).grantTeamAccess(entry());
    const json = synth(stack);
    const e = resourceAt(json, 'aws_eks_access_entry', 'prod_access-123456789012-role-payments-developers');
    expect(e).toMatchObject({ principal_arn: 'arn:aws:iam::123456789012:role/payments-developers', type: 'STANDARD', kubernetes_groups: ['team:payments'] });
    expect(resources(json, 'aws_eks_access_policy_association')).toHaveLength(0);
  });

  test('with an access policy: one association scoped to the team\'s namespaces', () => {
    const stack = newStack();
    cluster(stack).grantTeamAccess(entry({ accessPolicy: 'AmazonEKSViewPolicy', namespaces: ['payments', 'payments-batch'] }));
    const assoc = resourceAt(synth(stack), 'aws_eks_access_policy_association', 'prod_access-123456789012-role-payments-developers-view');
    expect(assoc.policy_arn).toMatch(/:eks::aws:cluster-access-policy\/AmazonEKSViewPolicy$/);
    expect(assoc.access_scope).toEqual({ type: 'namespace', namespaces: ['payments', 'payments-batch'] });
    expect(assoc.principal_arn).toBe('arn:aws:iam::123456789012:role/payments-developers');
  });

  test('a principal that already has an entry gets the groups added to it (EKS keeps one entry per principal)', () => {
    const stack = newStack();
    const c = cluster(stack);
    c.grantAccess('arn:aws:iam::123456789012:role/payments-developers', { policy: aws.AccessPolicy.VIEW, namespaces: ['shared'] });
    c.grantTeamAccess(entry());
    const entries = resources(synth(stack), 'aws_eks_access_entry');
    expect(entries).toHaveLength(1);
    expect(entries[0].kubernetes_groups).toEqual(['team:payments']);
  });

  test('an imported cluster takes team entries too', () => {
    const stack = newStack();
    const c = aws.EksCluster.fromClusterAttributes(stack, 'legacy', { clusterName: 'prod', network: network(stack), kubernetesVersion: aws.KubernetesVersion.V1_33 });
    c.grantTeamAccess(entry());
    expect(resources(synth(stack), 'aws_eks_access_entry')[0].kubernetes_groups).toEqual(['team:payments']);
  });

  test('error: an entry made for another cluster', () => {
    expect(errorOf(() => cluster(newStack()).grantTeamAccess(entry({ clusterName: 'staging' })))).toBe(
      'test/prod: entry.clusterName ("staging") must be this cluster\'s name (prod): the entry was made for another cluster; '
      + 'grant it on cluster staging, or take the entry of cluster prod from Fleet.accessEntries');
  });

  test('error: cluster-admin', () => {
    expect(errorOf(() => cluster(newStack()).grantTeamAccess(entry({ accessPolicy: 'AmazonEKSClusterAdminPolicy' })))).toBe(
      'test/prod: entry.accessPolicy ("AmazonEKSClusterAdminPolicy") must not be cluster-admin: a team gets access to its own namespaces only; '
      + 'leave accessPolicy out (the namespace\'s RBAC decides) or use AmazonEKSViewPolicy, and grant a platform admin with grantClusterAdmin()');
  });

  // EKS adds an access policy to RBAC: edit and admin would give the team what its TeamPermissions leave out
  test.each([
    ['AmazonEKSEditPolicy', 'grants more than a team\'s permissions allow: EKS adds it to the namespace\'s RBAC, and it reads the namespace\'s Secrets and changes its '
      + 'NetworkPolicies (the default deny), which no TeamPermissions grants'],
    ['AmazonEKSAdminPolicy', 'grants more than a team\'s permissions allow: EKS adds it to the namespace\'s RBAC, and it reads the namespace\'s Secrets and changes its '
      + 'NetworkPolicies (the default deny) and its RBAC, which no TeamPermissions grants'],
    ['AmazonEKSAdminViewPolicy', 'must be AmazonEKSViewPolicy: EKS adds an access policy to the namespace\'s RBAC, and the others grant what no TeamPermissions grants'],
  ])('error: %s (only AmazonEKSViewPolicy is for team entries)', (policy, problem) => {
    expect(errorOf(() => cluster(newStack()).grantTeamAccess(entry({ accessPolicy: policy })))).toBe(
      `test/prod: entry.accessPolicy ("${policy}") ${problem}; give the team more with TeamNamespace permissions (TeamPermissions.EDIT), and leave accessPolicy out or use AmazonEKSViewPolicy`);
  });

  test('error: a policy that is not an EKS access policy', () => {
    expect(errorOf(() => cluster(newStack()).grantTeamAccess(entry({ accessPolicy: 'ReadOnlyAccess' })))).toBe(
      'test/prod: entry.accessPolicy ("ReadOnlyAccess") must be an EKS access policy (AmazonEKS...Policy); leave accessPolicy out (the namespace\'s RBAC decides) or use AmazonEKSViewPolicy');
  });

  test('error: a policy without namespaces', () => {
    expect(errorOf(() => cluster(newStack()).grantTeamAccess(entry({ accessPolicy: 'AmazonEKSViewPolicy', namespaces: [] })))).toBe(
      'test/prod: entry.namespaces ([]) must list the team\'s namespaces: AmazonEKSViewPolicy is granted in them only; take the entry from TeamNamespace.accessEntry');
  });

  test('error: no group, or a system: group', () => {
    expect(errorOf(() => cluster(newStack()).grantTeamAccess(entry({ kubernetesGroups: [] })))).toBe(
      'test/prod: entry.kubernetesGroups ([]) must list at least one Kubernetes group (what the team\'s RoleBindings bind); take the entry from TeamNamespace.accessEntry');
    expect(errorOf(() => cluster(newStack()).grantTeamAccess(entry({ kubernetesGroups: ['system:masters'] })))).toBe(
      'test/prod: entry.kubernetesGroups ("system:masters") must be group names of letters, digits and :._@- that do not start with system: (EKS refuses those); name the team\'s own group');
  });

  test('error: a principal that is not an IAM ARN', () => {
    expect(errorOf(() => cluster(newStack()).grantTeamAccess(entry({ principalArn: 'payments' })))).toBe(
      'test/prod: entry.principalArn ("payments") must be an IAM role or user ARN; pass an ARN like \'arn:aws:iam::123456789012:role/platform-admin\'');
  });
});

describe('EksCluster.addExternalDnsIdentity', () => {
  test('Pod Identity for external-dns/external-dns; record changes only in the given zones', () => {
    const stack = newStack();
    const c = cluster(stack);
    const id = c.addExternalDnsIdentity({ hostedZoneIds: ['Z0123456789ABCDEFGHIJ', 'Z2FDTNDATAQYW2'] });
    const json = synth(stack);
    const assoc = resourceAt(json, 'aws_eks_pod_identity_association', 'prod_external-dns_association');
    expect([assoc.namespace, assoc.service_account]).toEqual(['external-dns', 'external-dns']);
    const statements = statementsOf(json, 'prod_external-dns');
    expect(statements[0].Action).toContain('route53:ChangeResourceRecordSets');
    expect(statements[0].Resource).toHaveLength(2);
    expect(statements[0].Resource[0]).toBe('arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ'); // the partition of the cluster's region, known at synth
    expect(statements[1]).toEqual({ Sid: 'ListZones', Effect: 'Allow', Action: ['route53:ListHostedZones'], Resource: ['*'] });
    expect(c.profile.workloadIdentities).toContainEqual(id.profile);
    expect(id.roleName).toBe('prod-external-dns');
  });

  test('a Route53Zone id token is accepted; the account makes the partition plain', () => {
    const stack = newStack();
    const c = cluster(stack, { account: '123456789012' });
    const zone = Token.asString({ resolve: () => 'Z9' });
    c.addExternalDnsIdentity({ hostedZoneIds: [zone], namespace: 'dns', serviceAccount: 'external-dns-public' });
    const statements = statementsOf(synth(stack), 'prod_external-dns');
    expect(statements[0].Resource).toEqual(['arn:aws:route53:::hostedzone/Z9']);
  });

  test('error: no zone', () => {
    expect(errorOf(() => cluster(newStack()).addExternalDnsIdentity({ hostedZoneIds: [] }))).toBe(
      'test/prod: hostedZoneIds ([]) must list at least one Route 53 hosted zone id; pass the zones external-dns manages, for example [\'Z0123456789ABCDEFGHIJ\']');
  });

  test('error: a zone id with its /hostedzone/ prefix', () => {
    expect(errorOf(() => cluster(newStack()).addExternalDnsIdentity({ hostedZoneIds: ['/hostedzone/Z0123456789ABCDEFGHIJ'] }))).toBe(
      'test/prod: hostedZoneIds ("/hostedzone/Z0123456789ABCDEFGHIJ") must be Route 53 hosted zone ids (Z followed by letters and digits, without /hostedzone/); '
      + 'write the id alone, for example \'Z0123456789ABCDEFGHIJ\'');
  });
});
