import { Testing } from 'cdktf';
import { newStack, errorOf, resourceAt, resources, synth } from './util';
import * as aws from '../../lib/aws';

const TAGS = { team: 'data', environment: 'production', costCentre: 'cc-5150' };
const ATTRS: aws.NetworkAttributes = {
  vpcId: 'vpc-0a1b2c3d4e5f60718',
  region: 'eu-west-1',
  availabilityZones: ['eu-west-1a', 'eu-west-1b'],
  privateSubnetIds: ['subnet-0a1b2c3d4e5f60711', 'subnet-0a1b2c3d4e5f60712'],
  tags: TAGS,
};

function imported(extra: Partial<aws.EksClusterAttributes> = {}) {
  const stack = newStack();
  const network = aws.Network.fromNetworkAttributes(stack, 'net', ATTRS);
  const cluster = aws.EksCluster.fromClusterAttributes(stack, 'analytics', {
    clusterName: 'analytics-prod', network, kubernetesVersion: aws.KubernetesVersion.V1_32, ...extra,
  });
  return { stack, network, cluster };
}

describe('Network.fromNetworkAttributes', () => {
  test('reads the VPC and each subnet with plan-time checks; creates nothing', () => {
    const { stack, network } = imported();
    const json = synth(stack);
    expect(Object.keys(json.resource ?? {})).toEqual([]);
    const vpc = Object.values<any>(json.data.aws_vpc)[0];
    expect(vpc.id).toBe('vpc-0a1b2c3d4e5f60718');
    expect(vpc.lifecycle.postcondition).toEqual([{
      condition: '${self.enable_dns_support && self.enable_dns_hostnames}',
      error_message: 'VPC ${self.id} (test/net) must have DNS support and DNS hostnames on: the private API endpoint and the VPC endpoints resolve through them. Turn both on for the VPC.',
    }]);
    const subnets = Object.entries<any>(json.data.aws_subnet);
    expect(subnets.map(([, s]) => s.id)).toEqual(ATTRS.privateSubnetIds);
    const [vpcName] = Object.keys(json.data.aws_vpc);
    expect(subnets[1][1].lifecycle.postcondition.map((c: any) => c.condition)).toEqual([
      `\${self.vpc_id == data.aws_vpc.${vpcName}.id}`,
      '${self.availability_zone == "eu-west-1b"}',
      '${!self.map_public_ip_on_launch}',
    ]);
    expect(network.vpcCidr).toMatch(/^\$\{TfToken/);
    expect(network.internetAccess).toBe(true);
    expect(network.publicSubnetIds).toEqual([]);
  });

  test('discovery tags on imported subnets are aws_ec2_tag resources', () => {
    const { stack, network } = imported();
    network.addPrivateSubnetTags({ 'karpenter.sh/discovery': 'analytics-prod' });
    network.addPrivateSubnetTags({ 'karpenter.sh/discovery': 'analytics-prod' });
    const tags = resources(synth(stack), 'aws_ec2_tag');
    expect(tags).toEqual(ATTRS.privateSubnetIds.map((id) => expect.objectContaining({ resource_id: id, key: 'karpenter.sh/discovery', value: 'analytics-prod' })));
  });

  test('refused: a VPC id, a subnet count per zone, a zone of another region, a duplicate subnet, a route table id', () => {
    const s = () => newStack();
    expect(errorOf(() => aws.Network.fromNetworkAttributes(s(), 'net', { ...ATTRS, vpcId: 'my-vpc' }))).toBe(
      'test/net: vpcId ("my-vpc") must be a VPC id (vpc-0123456789abcdef0); copy the id from the VPC console or `aws ec2 describe-vpcs`');
    expect(errorOf(() => aws.Network.fromNetworkAttributes(s(), 'net', { ...ATTRS, privateSubnetIds: ['subnet-0a1b2c3d4e5f60711'] }))).toBe(
      'test/net: privateSubnetIds (["subnet-0a1b2c3d4e5f60711"]) must list one private subnet per availability zone (2), in zone order; give one subnet id per zone');
    expect(errorOf(() => aws.Network.fromNetworkAttributes(s(), 'net', { ...ATTRS, availabilityZones: ['eu-west-1a', 'us-east-1b'] }))).toBe(
      'test/net: availabilityZones ("us-east-1b") must be zones of region eu-west-1; use zones such as eu-west-1a');
    expect(errorOf(() => aws.Network.fromNetworkAttributes(s(), 'net', { ...ATTRS, availabilityZones: ['eu-west-1a'], privateSubnetIds: ['subnet-0a1b2c3d4e5f60711'] }))).toBe(
      'test/net: availabilityZones (["eu-west-1a"]) must list 2 to 6 distinct zones (EKS needs subnets in at least 2 zones); list the zones of the private subnets, in subnet order');
    expect(errorOf(() => aws.Network.fromNetworkAttributes(s(), 'net', { ...ATTRS, privateSubnetIds: ['subnet-0a1b2c3d4e5f60711', 'subnet-0a1b2c3d4e5f60711'] }))).toBe(
      'test/net: privateSubnetIds ("subnet-0a1b2c3d4e5f60711") appears twice; list each id once');
    expect(errorOf(() => aws.Network.fromNetworkAttributes(s(), 'net', { ...ATTRS, privateRouteTableIds: ['main'] }))).toBe(
      'test/net: privateRouteTableIds ("main") must be route table ids (rtb-…); copy the ids from the VPC console');
  });
});

describe('EksCluster.fromClusterAttributes', () => {
  test('reads the cluster with plan-time checks: version, VPC, access entries', () => {
    const { stack } = imported();
    const data = Object.values<any>(synth(stack).data.aws_eks_cluster)[0];
    expect(data.name).toBe('analytics-prod');
    expect(data.lifecycle.postcondition).toEqual([
      {
        condition: '${self.version == "1.32"}',
        error_message: 'EKS cluster analytics-prod runs Kubernetes ${self.version}, but test/analytics (kubernetesVersion) says 1.32: '
          + 'node pools would be built for the wrong version. Set kubernetesVersion to the running version.',
      },
      {
        condition: '${self.vpc_config[0].vpc_id == "vpc-0a1b2c3d4e5f60718"}',
        error_message: "EKS cluster analytics-prod runs in VPC ${self.vpc_config[0].vpc_id}, not in the network given to test/analytics: pass the cluster's own network.",
      },
      {
        condition: '${contains(["API", "API_AND_CONFIG_MAP"], self.access_config[0].authentication_mode)}',
        error_message: 'EKS cluster analytics-prod uses authentication mode ${self.access_config[0].authentication_mode}; test/analytics grants access through access entries, '
          + "which need API or API_AND_CONFIG_MAP: switch the cluster's authentication mode first.",
      },
    ]);
  });

  test('the VPC check references a network built in the same app (not its address as text)', () => {
    const stack = newStack();
    const network = new aws.Network(stack, 'net', { region: 'eu-west-1', tags: TAGS });
    aws.EksCluster.fromClusterAttributes(stack, 'analytics', { clusterName: 'analytics-prod', network, kubernetesVersion: aws.KubernetesVersion.V1_32 });
    const json = synth(stack);
    const [vpcName] = Object.keys(json.resource.aws_vpc);
    const data = Object.values<any>(json.data.aws_eks_cluster)[0];
    expect(data.lifecycle.postcondition[1].condition).toBe(`\${self.vpc_config[0].vpc_id == aws_vpc.${vpcName}.id}`);
  });

  test('a node pool, an IRSA identity and an access grant on it reference the data source', () => {
    const { stack, cluster } = imported({ account: '123456789012' });
    cluster.addNodePool('spark');
    const irsa = cluster.addWorkloadIdentity('reports', { namespace: 'reports', serviceAccount: 'reports', mechanism: aws.IdentityMechanism.IRSA });
    cluster.grantAccess('arn:aws:iam::123456789012:role/data', { policy: aws.AccessPolicy.VIEW, namespaces: ['reports'] });
    const json = synth(stack);
    const [dataName] = Object.keys(json.data.aws_eks_cluster);
    const ng = resources(json, 'aws_eks_node_group')[0];
    expect(ng.cluster_name).toBe(`\${data.aws_eks_cluster.${dataName}.name}`);
    expect(ng.version).toBe('1.32');
    expect(ng.subnet_ids).toEqual(ATTRS.privateSubnetIds);
    expect(resourceAt(json, 'aws_launch_template', 'analytics_spark_launch-template').network_interfaces[0].security_groups)
      .toEqual([`\${data.aws_eks_cluster.${dataName}.vpc_config[0].cluster_security_group_id}`]);
    // no KMS key given: the account's default EBS key
    expect(resourceAt(json, 'aws_launch_template', 'analytics_spark_launch-template').block_device_mappings[0].ebs.kms_key_id).toBeUndefined();
    const trust = JSON.parse(resourceAt(json, 'aws_iam_role', 'analytics_reports_role').assume_role_policy).Statement[0];
    expect(trust.Principal.Federated).toMatch(/^arn:aws:iam::123456789012:oidc-provider\/\$\{local\.analytics_oidc-issuer-host_[0-9A-F]+\}$/);
    expect(irsa.serviceAccountAnnotations).toEqual({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/analytics-prod-reports' });
    expect(resources(json, 'aws_eks_access_entry')[0].cluster_name).toBe(`\${data.aws_eks_cluster.${dataName}.name}`);
  });

  test('without encryptionKeyArn the policy pack refuses its node pools (SS-EKS-016) at synth', () => {
    const { stack, cluster } = imported();
    cluster.addNodePool('spark');
    expect(() => Testing.synth(stack, true)).toThrow(/ERROR SS-EKS-016 at block_device_mappings\[0\]\.ebs\.kms_key_id: no kms_key_id: the volume uses the AWS-managed key/);
    // the fix names the prop the user sets, not only the Terraform shape
    expect(() => Testing.synth(stack, true)).toThrow('give its cluster a KMS key: encryptionKeyArn on a cluster imported with EksCluster.fromClusterAttributes');
  });

  test('oidcProviderArn and encryptionKeyArn when given', () => {
    const key = 'arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9';
    const { stack, cluster } = imported({ oidcProviderArn: 'arn:aws:iam::123456789012:oidc-provider/example', encryptionKeyArn: key });
    cluster.addNodePool('spark');
    expect(cluster.oidcProviderArn).toBe('arn:aws:iam::123456789012:oidc-provider/example');
    expect(resources(synth(stack), 'aws_launch_template')[0].block_device_mappings[0].ebs.kms_key_id).toBe(key);
  });

  test('cniPolicyOnNodeRole: node pools carry the CNI policy and record the SS-EKS-020 opt-out', () => {
    const { stack, cluster } = imported({ cniPolicyOnNodeRole: true });
    cluster.addNodePool('spark');
    const attached = resources(synth(stack), 'aws_iam_role_policy_attachment').map((a) => a.policy_arn.split('/').pop()).sort();
    expect(attached).toEqual(['AmazonEC2ContainerRegistryPullOnly', 'AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy', 'AmazonSSMManagedInstanceCore']);
  });

  test('Karpenter on an imported cluster: discovery through aws_ec2_tag, key as given', () => {
    const key = 'arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9';
    const { stack, cluster } = imported({ encryptionKeyArn: key });
    const k = new aws.Karpenter(stack, 'karpenter', {
      amiAlias: 'al2023@v20250704',
      cluster: aws.EksCluster.fromClusterAttributes(stack, 'k133', {
        clusterName: 'other', network: cluster.network, kubernetesVersion: aws.KubernetesVersion.V1_33, encryptionKeyArn: key,
      }),
    });
    k.addNodePool('general', { maxCpu: 10 });
    const tags = resources(synth(stack), 'aws_ec2_tag');
    expect(tags.filter((t) => t.key === 'karpenter.sh/discovery').map((t) => t.resource_id).sort()).toEqual([
      ...ATTRS.privateSubnetIds, expect.stringMatching(/cluster_security_group_id/),
    ].sort());
    expect(k.profile.nodeClass.volumeKmsKeyId).toBe(key);
  });

  test('refused: a version that is not a minor version, a bad name, no network', () => {
    const stack = newStack();
    const network = aws.Network.fromNetworkAttributes(stack, 'net', ATTRS);
    expect(errorOf(() => aws.EksCluster.fromClusterAttributes(stack, 'a', { clusterName: 'x', network, kubernetesVersion: aws.KubernetesVersion.of('1.32.1') }))).toBe(
      'test/a: kubernetesVersion ("1.32.1") must be a Kubernetes minor version, without a patch or a leading v (EKS runs a minor version and chooses the patch itself); write 1.32: KubernetesVersion.V1_32');
    expect(errorOf(() => aws.EksCluster.fromClusterAttributes(stack, 'b', { clusterName: 'my cluster', network, kubernetesVersion: aws.KubernetesVersion.V1_32 }))).toBe(
      'test/b: clusterName ("my cluster") must be 1-100 letters, digits, - or _, starting with a letter or digit; pass the name of the existing cluster');
    expect(errorOf(() => aws.EksCluster.fromClusterAttributes(stack, 'c', { clusterName: 'x', network: undefined as any, kubernetesVersion: aws.KubernetesVersion.V1_32 }))).toBe(
      'test/c: network (undefined) is required; pass the network the cluster runs in (Network.fromNetworkAttributes for an existing VPC)');
  });
});
