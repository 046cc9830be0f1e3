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
    managedPolicyArns: ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'],
  });
  app.synth();
  const result = terraformValidate(path.join(outdir, 'stacks', 'variants'));
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(result.valid).toBe(true);
});
