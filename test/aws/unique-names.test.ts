// Account-wide (IAM) and regional (log group, EKS cluster ...) names: unique per stack by construction, and two
// resources of one such name in a cdktf App refused at synth when they may land in the same account (and region).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { errorOf, resourceAt, synth, TAGS } from './util';
import * as aws from '../../lib/aws';

interface ClusterStackProps {
  readonly clusterName: string;
  readonly networkName?: string;
  readonly account?: string;
  readonly region?: string;
}

/** The documented two-cluster app: one stack per cluster, each with `new aws.Network(this, 'network', ...)`. */
function clusterStack(app: App, id: string, props: ClusterStackProps): { stack: TerraformStack; cluster: aws.EksCluster } {
  const region = props.region ?? 'eu-west-1';
  const stack = new TerraformStack(app, id);
  new AwsProvider(stack, 'aws', { region });
  const network = new aws.Network(stack, 'network', { region, tags: TAGS, name: props.networkName });
  const cluster = new aws.EksCluster(stack, props.clusterName, {
    network, version: aws.KubernetesVersion.V1_33, account: props.account, admins: ['arn:aws:iam::123456789012:role/platform-admin'],
  });
  // a node pool for the managed add-ons (a cluster without one is refused at synth)
  cluster.addNodePool('system');
  return { stack, cluster };
}

/** Runs `app.synth()` in a temporary folder; returns the error message, or undefined when it succeeds. */
function appSynthError(app: App): string | undefined {
  try {
    app.synth();
    return undefined;
  } catch (e) {
    return (e as Error).message;
  } finally {
    fs.rmSync(app.outdir, { recursive: true, force: true });
  }
}

const tmpApp = () => new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-unique-names-')) });

describe('two clusters in one app (two stacks, one account and region)', () => {
  test('the networks get their own flow log role, log group and VPC Name tag; the controllers look up their own VPC', () => {
    const app = Testing.app();
    const staging = clusterStack(app, 'staging', { clusterName: 'acme-staging' });
    const prod = clusterStack(app, 'production', { clusterName: 'acme-prod' });
    const [s, p] = [synth(staging.stack), synth(prod.stack)];
    expect(resourceAt(s, 'aws_iam_role', 'network_flow-log-role').name).toBe('staging-network-flow-logs');
    expect(resourceAt(p, 'aws_iam_role', 'network_flow-log-role').name).toBe('production-network-flow-logs');
    expect(resourceAt(s, 'aws_cloudwatch_log_group', 'network_flow-log-group').name).toBe('/aws/vpc/staging-network/flow-logs');
    expect(resourceAt(p, 'aws_cloudwatch_log_group', 'network_flow-log-group').name).toBe('/aws/vpc/production-network/flow-logs');
    expect(resourceAt(s, 'aws_vpc', 'network_vpc').tags.Name).toBe('staging-network');
    expect(resourceAt(p, 'aws_vpc', 'network_vpc').tags.Name).toBe('production-network');
    expect(staging.cluster.addLoadBalancerController().release.values['vpcTags.Name']).toBe('staging-network');
    expect(prod.cluster.addLoadBalancerController().release.values['vpcTags.Name']).toBe('production-network');
  });

  test('one cluster name in two accounts (staging and production accounts) is two clusters: each gets its own identities and pools', () => {
    const app = tmpApp();
    clusterStack(app, 'staging', { clusterName: 'main', account: '111111111111' });
    clusterStack(app, 'production', { clusterName: 'main', account: '222222222222' });
    expect(appSynthError(app)).toBeUndefined();
    // in one account, the second cluster of that name is still refused
    const same = tmpApp();
    clusterStack(same, 'staging', { clusterName: 'main', account: '111111111111' });
    expect(() => clusterStack(same, 'production', { clusterName: 'main', account: '111111111111' })).toThrow(
      'production/main: clusterName ("main") defaults to the construct id and is also the clusterName of EksCluster staging/main (its construct id there): '
      + 'EKS cluster names are unique per account and region (eu-west-1; both in account 111111111111), so the two would be one cluster: '
      + 'their add-on identities, node pools and access entries would collide, and terraform apply would fail; '
      + 'set clusterName on one of the two EksClusters to a name of its own');
  });

  test('the whole app synthesizes', () => {
    const app = tmpApp();
    clusterStack(app, 'staging', { clusterName: 'acme-staging' });
    clusterStack(app, 'production', { clusterName: 'acme-prod' });
    expect(appSynthError(app)).toBeUndefined();
  });

  test('refused at synth: the same network name in both stacks (flow log role and log group collide)', () => {
    const app = tmpApp();
    clusterStack(app, 'staging', { clusterName: 'acme-staging', networkName: 'shared', account: '123456789012' });
    clusterStack(app, 'production', { clusterName: 'acme-prod', networkName: 'shared', account: '123456789012' });
    const message = appSynthError(app);
    expect(message).toContain('staging/network/flow-log-role: name ("shared-flow-logs") is also the name of IAM role production/network/flow-log-role '
      + '(IAM role names are unique per account; both in account 123456789012), so the second terraform apply would fail; '
      + 'give one of the two another name (for a shipshape construct: its name or clusterName prop); '
      + 'if the two stacks deploy to different accounts, pass each EksCluster its account (or give each AwsProvider allowedAccountIds)');
    expect(message).toContain('staging/network/flow-log-group: name ("/aws/vpc/shared/flow-logs") is also the name of CloudWatch log group production/network/flow-log-group '
      + '(CloudWatch log group names are unique per account and region (eu-west-1); both in account 123456789012)');
    // nothing was written for either stack
    expect(fs.existsSync(path.join(app.outdir, 'stacks', 'staging', 'cdk.tf.json'))).toBe(false);
  });

  test('refused at synth: one network name in two stacks whose account is not known at synth (they may share one)', () => {
    const app = tmpApp();
    clusterStack(app, 'a', { clusterName: 'shop-a', networkName: 'shared' });
    clusterStack(app, 'b', { clusterName: 'shop-b', networkName: 'shared' });
    expect(appSynthError(app)).toContain('a/network/flow-log-role: name ("shared-flow-logs") is also the name of IAM role b/network/flow-log-role (IAM role names are unique per account; '
      + 'the account of at least one of them is not known at synth, so they may share one), so the second terraform apply would fail');
  });

  test('IAM role names collide across regions; regional names do not', () => {
    const app = tmpApp();
    clusterStack(app, 'eu', { clusterName: 'main', account: '123456789012', region: 'eu-west-1' });
    clusterStack(app, 'us', { clusterName: 'main', account: '123456789012', region: 'us-east-1' });
    const message = appSynthError(app)!;
    expect(message).toContain('eu/main/role: name ("main-cluster") is also the name of IAM role us/main/role');
    expect(message).not.toContain('EKS cluster');
    expect(message).not.toContain('CloudWatch log group');
  });

  test('the same names in two accounts are fine', () => {
    const app = tmpApp();
    clusterStack(app, 'staging', { clusterName: 'acme-staging', networkName: 'shared', account: '111111111111' });
    clusterStack(app, 'production', { clusterName: 'acme-prod', networkName: 'shared', account: '222222222222' });
    expect(appSynthError(app)).toBeUndefined();
  });

  test('IAM role names are compared without case (as IAM does); two roles of one name in one stack are refused too', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'one');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1', allowedAccountIds: ['123456789012'] });
    new aws.Network(stack, 'network', { region: 'eu-west-1', tags: TAGS });
    new IamRole(stack, 'mine', { name: 'ONE-NETWORK-flow-logs', assumeRolePolicy: '{}' });
    expect(() => Testing.synth(stack, true)).toThrow(
      'one/network/flow-log-role: name ("one-network-flow-logs") is also the name of IAM role one/mine (IAM role names are unique per account; both in account 123456789012)');
  });
});

describe('two EksClusters of one clusterName in one stack', () => {
  const SHARED = 'EKS cluster names are unique per account and region (eu-west-1; the account of at least one of them is not given, so they may share one), '
    + 'so the two would be one cluster: their add-on identities, node pools and access entries would collide, and terraform apply would fail; '
    + 'set clusterName on one of the two EksClusters to a name of its own (or, if they deploy to different accounts, pass each EksCluster its account)';

  function twoClusters(blue: Partial<aws.EksClusterProps> = {}, green: Partial<aws.EksClusterProps> = {}): { stack: TerraformStack; make: () => aws.EksCluster } {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'shop');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    const network = new aws.Network(stack, 'network', { region: 'eu-west-1', tags: TAGS });
    new aws.EksCluster(new Construct(stack, 'blue'), 'prod', { network, version: aws.KubernetesVersion.V1_33, ...blue }).addNodePool('system');
    return { stack, make: () => new aws.EksCluster(new Construct(stack, 'green'), 'prod', { network, version: aws.KubernetesVersion.V1_33, ...green }) };
  }

  test('the default name (the construct id) of both: refused at construction, naming both paths and the name, not the vpc-cni identity', () => {
    const message = errorOf(twoClusters().make);
    expect(message).toBe('shop/green/prod: clusterName ("prod") defaults to the construct id and is also the clusterName of EksCluster shop/blue/prod (its construct id there): ' + SHARED);
    expect(message).not.toContain('vpc-cni');
    expect(message).not.toContain('aws-node');
  });

  test('a clusterName given to both, or to one only', () => {
    expect(errorOf(twoClusters({ clusterName: 'shop' }, { clusterName: 'shop' }).make)).toBe(
      'shop/green/prod: clusterName ("shop") is also the clusterName of EksCluster shop/blue/prod: ' + SHARED);
    expect(errorOf(twoClusters({ clusterName: 'prod' }).make)).toBe(
      'shop/green/prod: clusterName ("prod") defaults to the construct id and is also the clusterName of EksCluster shop/blue/prod: ' + SHARED);
    expect(errorOf(twoClusters({}, { clusterName: 'prod' }).make)).toBe(
      'shop/green/prod: clusterName ("prod") is also the clusterName of EksCluster shop/blue/prod (its construct id there): ' + SHARED);
  });

  test('the fix: clusterName on one of them; both clusters synthesize, with their own names and add-on roles', () => {
    const { stack, make } = twoClusters({}, { clusterName: 'prod-green' });
    make().addNodePool('system');
    const json = synth(stack);
    expect(Object.values(json.resource.aws_eks_cluster).map((c: any) => c.name).sort()).toEqual(['prod', 'prod-green']);
    const roles = Object.values(json.resource.aws_iam_role).map((r: any) => r.name);
    expect(roles).toEqual(expect.arrayContaining(['prod-vpc-cni', 'prod-green-vpc-cni']));
  });

  test('importing the cluster the app creates (fromClusterAttributes, same name) is not a second cluster', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'shop');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    const network = new aws.Network(stack, 'network', { region: 'eu-west-1', tags: TAGS });
    new aws.EksCluster(stack, 'prod', { network, version: aws.KubernetesVersion.V1_33 });
    expect(aws.EksCluster.fromClusterAttributes(stack, 'again', { clusterName: 'prod', network, kubernetesVersion: aws.KubernetesVersion.V1_33 }).clusterName).toBe('prod');
  });
});

describe('Network name', () => {
  test('default: the construct path in kebab case', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'Shop');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    expect(new aws.Network(stack, 'CoreNetwork', { region: 'eu-west-1', tags: TAGS }).name).toBe('shop-core-network');
  });

  test('refused: a name the flow log role cannot carry (too long, or a character IAM or CloudWatch Logs refuse)', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'x');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    expect(errorOf(() => new aws.Network(stack, 'a', { region: 'eu-west-1', tags: TAGS, name: 'n'.repeat(55) }))).toBe(
      `x/a: name ("${'n'.repeat(55)}") must be 1 to 54 characters of letters, digits and ._- (it names the IAM role <name>-flow-logs, at most 64 characters, `
      + 'and the log group /aws/vpc/<name>/flow-logs); pass a shorter name, unique in the account and region');
    expect(errorOf(() => new aws.Network(stack, 'b', { region: 'eu-west-1', tags: TAGS, name: 'my vpc' }))).toMatch(/^x\/b: name \("my vpc"\) must be 1 to 54 characters/);
    expect(errorOf(() => new aws.Network(stack, 'c'.repeat(60), { region: 'eu-west-1', tags: TAGS }))).toMatch(
      /must be 1 to 54 characters .*; the default is the construct path in kebab case; pass a shorter name/);
  });
});

describe('construct ids that would give Terraform names Terraform refuses', () => {
  test('a cluster id starting with a digit is refused at synth, once, with the id to use', () => {
    const app = tmpApp();
    clusterStack(app, 'qa', { clusterName: '9-qa-ap' });
    const err = appSynthError(app);
    expect(err).toMatch(/qa\/9-qa-ap: id \("9-qa-ap"\) gives Terraform names such as "9-qa-ap_[A-Za-z0-9_-]+", which Terraform refuses \(a name starts with a letter or '_' and holds letters, digits, '_' and '-'\): cdktf builds them from the construct ids below the stack; give the construct an id such as "c-9-qa-ap"; a name derived from the id \(an EKS cluster's clusterName\) can keep its value when passed as a prop/);
    expect(err!.match(/gives Terraform names/g)).toHaveLength(1);
  });

  test('the same cluster under a letter id keeps its EKS name through clusterName', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'qa');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    const network = new aws.Network(stack, 'network', { region: 'eu-west-1', tags: TAGS });
    const cluster = new aws.EksCluster(stack, 'qa-ap', { clusterName: '9-qa-ap', network, version: aws.KubernetesVersion.V1_33, admins: ['arn:aws:iam::123456789012:role/platform-admin'] });
    cluster.addNodePool('system');
    expect(resourceAt(synth(stack), 'aws_eks_cluster', 'qa-ap_cluster').name).toBe('9-qa-ap');
  });
});
