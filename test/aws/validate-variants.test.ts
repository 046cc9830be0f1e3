import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { terraformValidate } from './terraform-validate';
import { TAGS } from './util';
import * as aws from '../../lib/aws';
import { EnvironmentProfile } from '../../lib/core';

// The shapes the example does not cover, through the real `terraform validate`:
// development network over two zones (one NAT), public endpoint with an allow-list, Pod Identity,
// managed policies on a workload role, an arm64 AL2023 pool, add-on version overrides.
test('variants pass terraform validate with the real hashicorp/aws 5.100.0 provider', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-eks-variants-'));
  const app = new App({ outdir });
  const stack = new TerraformStack(app, 'variants');
  new AwsProvider(stack, 'aws', { region: 'us-east-2' });
  const network = new aws.Network(stack, 'dev-net', {
    region: 'us-east-2',
    tags: { ...TAGS, environment: 'development', extra: { owner: 'alice' } },
    environment: EnvironmentProfile.DEVELOPMENT,
    availabilityZones: ['us-east-2a', 'us-east-2b'],
    cidr: '172.20.0.0/20',
  });
  const cluster = new aws.EksCluster(stack, 'dev', {
    network,
    version: aws.KubernetesVersion.V1_31,
    publicAccessCidrs: ['203.0.113.0/24'],
    account: '123456789012',
    logRetentionDays: 400,
    admins: ['arn:aws:iam::123456789012:role/admin'],
  });
  cluster.addNodePool('arm', { capacity: aws.NodeCapacity.onDemand(['m7g.large']), amiType: aws.NodeAmiType.AL2023_ARM_64_STANDARD, diskSizeGiB: 80 });
  cluster.addWorkloadIdentity('reports', {
    namespace: 'reports',
    serviceAccount: 'reports',
    mechanism: aws.IdentityMechanism.POD_IDENTITY,
    // a customer-managed policy: AWS's read-everything ones (AmazonS3ReadOnlyAccess) are refused by SS-EKS-023
    managedPolicyArns: ['arn:aws:iam::123456789012:policy/reports-read'],
  });
  app.synth();
  const result = terraformValidate(path.join(outdir, 'stacks', 'variants'));
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(result.valid).toBe(true);
});

// The shapes the EKS examples do not cover: an imported network with route tables and endpoints (S3
// gateway), Karpenter with IRSA and Karpenter-managed instance profiles on an imported cluster whose
// vpc-cni uses the node role, node groups held one minor behind with a fixed maxUnavailable and no
// auto-repair, day-2 settings turned off, an Auto Mode cluster with the system pool only.
test('EKS variants (imports, endpoints, Karpenter IRSA, day-2 options, Auto Mode) pass terraform validate', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-eks-variants-2-'));
  try {
    const app = new App({ outdir });
    const stack = new TerraformStack(app, 'variants2');
    new AwsProvider(stack, 'aws', { region: 'eu-north-1' });
    const network = aws.Network.fromNetworkAttributes(stack, 'net', {
      vpcId: 'vpc-0a1b2c3d4e5f60718',
      region: 'eu-north-1',
      availabilityZones: ['eu-north-1a', 'eu-north-1b'],
      privateSubnetIds: ['subnet-0a1b2c3d4e5f60711', 'subnet-0a1b2c3d4e5f60712'],
      privateRouteTableIds: ['rtb-0a1b2c3d4e5f60711', 'rtb-0a1b2c3d4e5f60712'],
      publicSubnetIds: ['subnet-0a1b2c3d4e5f60721', 'subnet-0a1b2c3d4e5f60722'],
      tags: TAGS,
    });
    new aws.VpcEndpoints(stack, 'endpoints', { network, services: [aws.VpcEndpointService.S3, aws.VpcEndpointService.interfaceEndpoint('secretsmanager')] });
    const imported = aws.EksCluster.fromClusterAttributes(stack, 'legacy', {
      clusterName: 'legacy',
      network,
      kubernetesVersion: aws.KubernetesVersion.V1_31,
      account: '123456789012',
      cniPolicyOnNodeRole: true,
      encryptionKeyArn: 'arn:aws:kms:eu-north-1:123456789012:key/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9',
    });
    imported.addNodePool('workers', { maxUnavailable: 1, autoRepair: false, kubernetesVersion: aws.KubernetesVersion.V1_30 });
    imported.grantAccess('arn:aws:iam::123456789012:role/viewers', { policy: aws.AccessPolicy.VIEW });
    const karpenter = new aws.Karpenter(stack, 'karpenter', { cluster: imported, identityMechanism: aws.IdentityMechanism.IRSA, amiAlias: 'bottlerocket@latest' });
    karpenter.addNodePool('spot', { maxCpu: 100, capacityTypes: [aws.KarpenterCapacityType.SPOT], disruptionBudgets: [{ nodes: '1' }] });

    const own = new aws.Network(stack, 'own', { region: 'eu-north-1', tags: TAGS, environment: EnvironmentProfile.STAGING, cidr: '10.90.0.0/16' });
    new aws.EksCluster(stack, 'auto', {
      network: own,
      version: aws.KubernetesVersion.V1_34,
      upgradeFrom: aws.KubernetesVersion.V1_33,
      autoMode: { nodePools: [aws.AutoModeNodePool.SYSTEM] },
      admins: ['arn:aws:iam::123456789012:role/admin'],
      zonalShift: false,
      deletionProtection: false,
      upgradeCheck: false,
    });
    app.synth();
    const result = terraformValidate(path.join(outdir, 'stacks', 'variants2'));
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.valid).toBe(true);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
});
