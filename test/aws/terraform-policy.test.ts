import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fileURLToPath } from 'url';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { TAGS } from './util';
import * as aws from '../../lib/aws';
import { Policy } from '../../lib/policy/policy';

function setup(outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-tfpolicy-'))) {
  const app = new App({ outdir });
  const stack = new TerraformStack(app, 'infra');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  const network = new aws.Network(stack, 'net', { region: 'eu-west-1', tags: TAGS });
  const cluster = new aws.EksCluster(stack, 'prod', { network, version: aws.KubernetesVersion.V1_33, admins: ['arn:aws:iam::123456789012:role/admin'] });
  cluster.addNodePool('system');
  const stackDir = path.join(outdir, 'stacks', 'infra');
  return { app, stack, cluster, stackDir };
}

describe('aws.TerraformPolicy', () => {
  let stderr: jest.SpyInstance;
  beforeEach(() => { stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true); });
  afterEach(() => stderr.mockRestore());

  test('attached automatically: a clean stack synthesizes and writes JSON and SARIF reports', () => {
    const { app, stack, stackDir } = setup();
    app.synth();
    expect(fs.existsSync(path.join(stackDir, 'cdk.tf.json'))).toBe(true);
    const report = JSON.parse(fs.readFileSync(path.join(stackDir, 'policy-report.json'), 'utf8'));
    expect(report.summary).toEqual({ errors: 0, warnings: 0, suppressed: 0 });
    expect(fs.existsSync(path.join(stackDir, 'policy-report.sarif'))).toBe(true);
    expect(aws.TerraformPolicy.lastReport(stack)!.findings).toEqual([]);
  });

  test('every SARIF result names the stack\'s Terraform JSON as its file (code scanning refuses a result without one)', () => {
    const { app, cluster, stackDir } = setup();
    cluster.resource.addOverride('vpc_config.endpoint_public_access', true);
    cluster.resource.addOverride('vpc_config.public_access_cidrs', ['0.0.0.0/0']);
    expect(() => app.synth()).toThrow(/SS-EKS-004/);
    const sarif = JSON.parse(fs.readFileSync(path.join(stackDir, 'policy-report.failed.sarif'), 'utf8'));
    // the output folder is outside the repository: an absolute file: URI without uriBaseId (never a ../ URI)
    const locations = sarif.runs[0].results.map((r: any) => r.locations[0].physicalLocation.artifactLocation);
    expect(new Set(locations.map((l: any) => l.uriBaseId))).toEqual(new Set([undefined]));
    expect([...new Set(locations.map((l: any) => fileURLToPath(l.uri)))]).toEqual([path.join(stackDir, 'cdk.tf.json')]);
  });

  test('skipValidation: no check runs, so synth says so on stderr and leaves no report of an earlier synth beside the new JSON', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-tfpolicy-'));
    const first = setup(outdir);
    first.app.synth();
    expect(fs.existsSync(path.join(first.stackDir, 'policy-report.json'))).toBe(true);
    stderr.mockClear();
    const app = new App({ outdir, skipValidation: true });
    const stack = new TerraformStack(app, 'infra');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    const network = new aws.Network(stack, 'net', { region: 'eu-west-1', tags: TAGS });
    new aws.EksCluster(stack, 'prod', { network, version: aws.KubernetesVersion.V1_33, admins: ['arn:aws:iam::123456789012:role/admin'] }).addNodePool('system');
    app.synth();
    expect(fs.existsSync(path.join(first.stackDir, 'cdk.tf.json'))).toBe(true);
    expect(fs.readdirSync(first.stackDir).filter(f => f.startsWith('policy-report'))).toEqual([]);
    expect(stderr.mock.calls.map(c => String(c[0])).join('')).toContain('shipshape: stack infra: skipValidation is set, so shipshape\'s checks and the policy pack did not run and no policy report was written');
  });

  test('an error finding fails the synth and no cdk.tf.json is written', () => {
    const { app, cluster, stackDir } = setup();
    cluster.resource.addOverride('vpc_config.endpoint_public_access', true);
    cluster.resource.addOverride('vpc_config.public_access_cidrs', ['0.0.0.0/0']);
    expect(() => app.synth()).toThrow(/infra\/prod\/cluster[\s\S]*ERROR SS-EKS-004 at vpc_config.endpoint_public_access[\s\S]*SS-EKS-006/);
    expect(fs.existsSync(path.join(stackDir, 'cdk.tf.json'))).toBe(false);
    // the error lists the errors; nothing else to say, so stderr does not repeat them
    expect(stderr).not.toHaveBeenCalled();
  });

  test('a failed synth writes policy-report.failed.*, keeps the previous reports; the next good synth removes the failed ones', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-tfpolicy-'));
    const good = setup(outdir);
    good.app.synth();
    const files = () => fs.readdirSync(good.stackDir).filter(f => f.startsWith('policy-report')).sort();
    const before = fs.readFileSync(path.join(good.stackDir, 'policy-report.json'), 'utf8');
    const bad = setup(outdir);
    bad.cluster.resource.addOverride('vpc_config.endpoint_public_access', true);
    bad.cluster.resource.addOverride('vpc_config.public_access_cidrs', ['0.0.0.0/0']);
    expect(() => bad.app.synth()).toThrow(/SS-EKS-004/);
    expect(files()).toEqual(['policy-report.failed.json', 'policy-report.failed.sarif', 'policy-report.json', 'policy-report.sarif']);
    expect(fs.readFileSync(path.join(good.stackDir, 'policy-report.json'), 'utf8')).toBe(before);
    setup(outdir).app.synth();
    expect(files()).toEqual(['policy-report.json', 'policy-report.sarif']);
  });

  test('a synth another validation fails (the check itself passing) writes its reports as failed and leaves the previous ones and the JSON', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-tfpolicy-'));
    const good = setup(outdir);
    good.app.synth();
    const json = fs.readFileSync(path.join(good.stackDir, 'cdk.tf.json'), 'utf8');
    const before = fs.readFileSync(path.join(good.stackDir, 'policy-report.json'), 'utf8');
    const bad = setup(outdir);
    new aws.EksCluster(bad.stack, 'no-admin', { network: bad.cluster.network, version: aws.KubernetesVersion.V1_33 }).addNodePool('system');
    expect(() => bad.app.synth()).toThrow(/admins \(\[\]\) must grant at least one IAM principal/);
    expect(fs.readFileSync(path.join(good.stackDir, 'cdk.tf.json'), 'utf8')).toBe(json);
    expect(fs.readFileSync(path.join(good.stackDir, 'policy-report.json'), 'utf8')).toBe(before);
    expect(JSON.parse(fs.readFileSync(path.join(good.stackDir, 'policy-report.failed.json'), 'utf8')).summary.errors).toBe(0);
  });

  test('a suppression with a reason silences the finding and shows in the report', () => {
    const { app, stack, cluster, stackDir } = setup();
    cluster.resource.addOverride('vpc_config.endpoint_public_access', true);
    cluster.resource.addOverride('vpc_config.public_access_cidrs', ['203.0.113.0/24']);
    Policy.suppress(cluster, 'SS-EKS-004', 'CI runners outside the VPC reach the API from 203.0.113.0/24');
    app.synth();
    expect(fs.existsSync(path.join(stackDir, 'cdk.tf.json'))).toBe(true);
    const suppressed = aws.TerraformPolicy.lastReport(stack)!.suppressed;
    expect(suppressed.map((f) => [f.ruleId, f.suppression!.reason])).toEqual([
      ['SS-EKS-004', 'CI runners outside the VPC reach the API from 203.0.113.0/24'],
    ]);
  });

  test('warnings are printed and do not fail the synth', () => {
    const { app, stack, cluster } = setup();
    cluster.resource.addOverride('version', '1.24');
    app.synth();
    expect(aws.TerraformPolicy.lastReport(stack)!.warnings.map((f) => f.ruleId)).toEqual(['SS-EKS-007']);
    expect(stderr).toHaveBeenCalled();
  });

  test('attach() changes the options (no report files)', () => {
    const { app, stack, stackDir } = setup();
    aws.TerraformPolicy.attach(stack, { writeReports: false });
    app.synth();
    expect(fs.existsSync(path.join(stackDir, 'policy-report.json'))).toBe(false);
  });
});
