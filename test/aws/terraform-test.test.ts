/**
 * The EKS examples planned by `terraform test` against a mocked AWS provider (test/aws/tftest/<example>):
 * every run of each test file passes, including the runs that expect a refusal; each refusal, run alone
 * without `expect_failures`, fails with the message asserted here.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { addressesIn, declares, parseTestFile, refusalFile, terraformTest, TFTEST_DIR } from './terraform-test';
import { EksAutoModeStack } from '../../examples/eks-auto-mode/stack';
import { EksClusterStack } from '../../examples/eks-cluster/stack';
import { EksImportStack } from '../../examples/eks-import/stack';
import { EksKarpenterStack } from '../../examples/eks-karpenter/stack';
import { EksPrivateStack } from '../../examples/eks-private/stack';

function synthJson(name: string, build: (app: Construct, id: string) => TerraformStack): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `shipshape-tftest-${name}-`));
  try {
    const app = new App({ outdir });
    build(app, name);
    app.synth();
    return fs.readFileSync(path.join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8');
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

const UPGRADE_ADVICE = 'EKS raises a control plane one minor version at a time and never lowers it. Set version to the next minor version after the running one '
  + '(with upgradeFrom set to the running one), apply, and repeat.';

interface Case {
  readonly build: (app: Construct, id: string) => TerraformStack;
  /** Every run of main.tftest.hcl, in order. */
  readonly runs: string[];
  /** The message each refusal prints, by run name. */
  readonly refusals: { [run: string]: string };
}

const CASES: { [example: string]: Case } = {
  'eks-cluster': {
    build: (app, id) => new EksClusterStack(app, id),
    runs: ['plan', 'refuse_upgrade_skipping_a_minor_version', 'refuse_zone_the_account_lacks'],
    refusals: {
      refuse_upgrade_skipping_a_minor_version: `Resource precondition failed: EKS cluster shop-prod runs Kubernetes 1.31, and eks-cluster/shop-prod (version) sets 1.33: ${UPGRADE_ADVICE}`,
      refuse_zone_the_account_lacks: 'Resource postcondition failed: The account has no zone eu-west-1c in eu-west-1; its zones there are eu-west-1a, eu-west-1b, eu-west-1d. '
        + 'Pass availabilityZones (eks-cluster/network) from those.',
    },
  },
  'eks-karpenter': {
    build: (app, id) => new EksKarpenterStack(app, id),
    runs: ['plan', 'upgrade_by_one_minor_version', 'refuse_wrong_account', 'refuse_admin_that_is_not_a_role', 'refuse_upgrade_skipping_a_minor_version', 'refuse_downgrade'],
    refusals: {
      refuse_wrong_account: 'Resource postcondition failed: The AWS credentials belong to account 999999999999, but eks-karpenter/shop-prod (account) expects account '
        + '123456789012: plan with credentials of account 123456789012, or correct account.',
      refuse_admin_that_is_not_a_role: 'Invalid value for variable: admin_role_arn must be an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>).',
      refuse_upgrade_skipping_a_minor_version: `Resource precondition failed: EKS cluster shop-prod runs Kubernetes 1.31, and eks-karpenter/shop-prod (version) sets 1.33: ${UPGRADE_ADVICE}`,
      refuse_downgrade: `Resource precondition failed: EKS cluster shop-prod runs Kubernetes 1.34, and eks-karpenter/shop-prod (version) sets 1.33: ${UPGRADE_ADVICE}`,
    },
  },
  'eks-auto-mode': {
    build: (app, id) => new EksAutoModeStack(app, id),
    runs: ['plan'],
    refusals: {},
  },
  'eks-private': {
    build: (app, id) => new EksPrivateStack(app, id),
    runs: ['plan', 'refuse_wrong_account'],
    refusals: {
      refuse_wrong_account: 'Resource postcondition failed: The AWS credentials belong to account 123456789012, but eks-private/payments-prod (account) expects account '
        + '210987654321: plan with credentials of account 210987654321, or correct account.',
    },
  },
  'eks-import': {
    build: (app, id) => new EksImportStack(app, id),
    runs: ['plan', 'refuse_version_mismatch', 'refuse_cluster_in_another_vpc', 'refuse_config_map_authentication', 'refuse_vpc_without_dns_hostnames',
      'refuse_subnet_in_another_zone', 'refuse_subnet_with_public_ips', 'refuse_subnet_of_another_vpc', 'refuse_wrong_account'],
    refusals: {
      refuse_version_mismatch: 'Resource postcondition failed: EKS cluster analytics-prod runs Kubernetes 1.31, but eks-import/analytics (kubernetesVersion) says 1.32: '
        + 'node pools would be built for the wrong version. Set kubernetesVersion to the running version.',
      refuse_cluster_in_another_vpc: 'Resource postcondition failed: EKS cluster analytics-prod runs in VPC vpc-0ffffffffffffffff, not in the network given to '
        + "eks-import/analytics: pass the cluster's own network.",
      refuse_config_map_authentication: 'Resource postcondition failed: EKS cluster analytics-prod uses authentication mode CONFIG_MAP; eks-import/analytics grants '
        + "access through access entries, which need API or API_AND_CONFIG_MAP: switch the cluster's authentication mode first.",
      refuse_vpc_without_dns_hostnames: 'Resource postcondition failed: VPC vpc-0a1b2c3d4e5f60718 (eks-import/network) must have DNS support and DNS hostnames on: '
        + 'the private API endpoint and the VPC endpoints resolve through them. Turn both on for the VPC.',
      refuse_subnet_in_another_zone: 'Resource postcondition failed: Subnet subnet-0a1b2c3d4e5f60712 (privateSubnetIds[1] of eks-import/network) is in eu-west-1c, '
        + 'not in eu-west-1b (availabilityZones[1]): list the zones in subnet order.',
      refuse_subnet_with_public_ips: 'Resource postcondition failed: Subnet subnet-0a1b2c3d4e5f60713 (privateSubnetIds[2] of eks-import/network) gives public IPs '
        + 'on launch: nodes must not get public addresses; pass private subnets.',
      refuse_subnet_of_another_vpc: 'Resource postcondition failed: Subnet subnet-0a1b2c3d4e5f60711 (privateSubnetIds[0] of eks-import/network) is in '
        + "vpc-0ffffffffffffffff, not in the network's VPC vpc-0a1b2c3d4e5f60718: list subnets of that VPC only.",
      refuse_wrong_account: 'Resource postcondition failed: The AWS credentials belong to account 999999999999, but eks-import/analytics (account) expects account '
        + '123456789012: plan with credentials of account 123456789012, or correct account.',
    },
  },
};

test('every EKS example has a terraform test folder, and every folder an example', () => {
  const folders = fs.readdirSync(TFTEST_DIR, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  expect(folders).toEqual(Object.keys(CASES).sort());
  const examples = fs.readdirSync(path.join(__dirname, '..', '..', 'examples')).filter((e) => e.startsWith('eks-')).sort();
  expect(examples).toEqual(folders);
});

test('parseTestFile splits file-level blocks and runs; refusalFile drops expect_failures only', () => {
  const text = 'mock_provider "aws" {}\n\nrun "a" {\n  command = plan\n}\n\nrun "b" {\n  command = plan\n  expect_failures = [var.x]\n}\n';
  const { preamble, runs } = parseTestFile(text);
  expect(preamble).toBe('mock_provider "aws" {}\n\n');
  expect(runs.map((r) => [r.name, r.expectsFailure])).toEqual([['a', false], ['b', true]]);
  expect(refusalFile(preamble, runs[1])).toBe('mock_provider "aws" {}\n\nrun "b" {\n  command = plan\n}\n');
});

describe.each(Object.keys(CASES))('terraform test of examples/%s (mocked AWS provider)', (example) => {
  const c = CASES[example];
  const text = fs.readFileSync(path.join(TFTEST_DIR, example, 'main.tftest.hcl'), 'utf8');
  const { preamble, runs } = parseTestFile(text);
  const refusalRuns = runs.filter((r) => r.expectsFailure);
  let json = '';
  let outcome: ReturnType<typeof terraformTest>;

  beforeAll(() => {
    json = synthJson(example, c.build);
    const files: { [name: string]: string } = { 'main.tftest.hcl': text };
    for (const r of refusalRuns) files[`refusal-${r.name}.tftest.hcl`] = refusalFile(preamble, r);
    outcome = terraformTest(json, files);
  }, 600_000);

  test('the test file names only addresses the example declares', () => {
    const parsed = JSON.parse(json);
    expect(addressesIn(text).filter((a) => !declares(parsed, a))).toEqual([]);
  });

  test('every run passes, refusals included', () => {
    expect(outcome.other.filter((o) => o.trim())).toEqual([]);
    expect(runs.map((r) => r.name)).toEqual(c.runs);
    const statuses = Object.fromEntries(runs.map((r) => [r.name, outcome.runs[`main.tftest.hcl/${r.name}`]]));
    expect(statuses).toEqual(Object.fromEntries(c.runs.map((r) => [r, 'pass'])));
    expect(Object.keys(c.refusals).sort()).toEqual(refusalRuns.map((r) => r.name).sort());
  });

  const refusals = Object.entries(c.refusals);
  if (refusals.length > 0) {
    test.each(refusals)('refusal %s fails the plan with its message', (run, message) => {
      const key = `refusal-${run}.tftest.hcl/${run}`;
      expect(['fail', 'error']).toContain(outcome.runs[key]);
      expect(outcome.diagnostics[key]).toEqual([message]);
    });
  }
});
