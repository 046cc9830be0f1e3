/**
 * examples/platform checked as a whole: one program writes the Terraform JSON and the YAML the way `npm run synth`
 * runs it (a child process, CDKTF_OUTDIR set), and the two outputs agree:
 * - `terraform validate` passes on the real hashicorp/aws provider, and a mocked `terraform test` plans it;
 * - the YAML is strictly valid for Kubernetes and passes the policy pack with no error, with no duplicate object
 *   and no token;
 * - every pod template can be scheduled on some node pool (taints tolerated, node selector and required node
 *   affinity satisfiable, requests within the largest instance type's allocatable), checked here from the YAML and
 *   the pools the Terraform creates, not by the library's own check;
 * - every claim names a StorageClass of the YAML, every Ingress an IngressClass of the YAML, every namespace exists;
 * - every ServiceAccount bound to an AWS identity is exactly the namespace/name the Terraform binds the role to.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdktf';
import { PlatformStack } from '../examples/platform/stack';
import { addShopWorkloads } from '../examples/platform/workloads';
import { ClusterProfile, InstanceTypes, NodePoolProfile } from '../lib/core';
import * as k8s from '../lib/k8s';
import { main as shipshapeCli } from '../lib/policy/cli';
import { discoverExamples, synthExample } from '../scripts/synth-examples';
import { parseTestFile, refusalFile, terraformTest } from './aws/terraform-test';
import { terraformValidate } from './aws/terraform-validate';
import { policyErrors } from './util/k8s';
import { expectValid, parseYamlFiles, tempDir } from './util/schema';
import { comparableFindings, wholeOutputProblems } from './util/whole-output';

const EXAMPLE = discoverExamples().find((e) => e.name === 'platform')!;
const TFTEST = path.join(__dirname, 'platform', 'main.tftest.hcl');

let work = '';
let tf: any;
let docs: any[] = [];
let profile: ClusterProfile;

beforeAll(() => {
  work = tempDir('shipshape-platform-');
  const r = synthExample(EXAMPLE, work);
  if (r.status !== 0) throw new Error(`examples/platform: synth exited ${r.status}\n${r.stderr}`);
  tf = JSON.parse(fs.readFileSync(path.join(work, 'stacks', 'platform', 'cdk.tf.json'), 'utf8'));
  docs = parseYamlFiles(path.join(work, 'kubernetes')).flatMap((f) => f.docs);
  // The profile the program handed to the Kubernetes side (a plain value; built again here in-process).
  const scratch = tempDir('shipshape-platform-profile-');
  try {
    profile = new PlatformStack(new App({ outdir: scratch }), 'platform').cluster.profile;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}, 240_000);

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

const resourcesOf = (type: string): Array<[string, any]> => Object.entries(tf.resource?.[type] ?? {});
const body = (type: string, name: (b: any) => boolean) => resourcesOf(type).map(([, b]) => b).filter(name);

// ---------------------------------------------------------------------------------------------------------------
// An independent scheduler check: the nodes of each pool, as the Terraform creates them.

interface Pool {
  readonly name: string;
  readonly labels: { [k: string]: string };
  readonly taints: Array<{ key: string; value?: string; effect: string }>;
  readonly instanceTypes: string[];
}

const EFFECT: { [tf: string]: string } = { NO_SCHEDULE: 'NoSchedule', NO_EXECUTE: 'NoExecute', PREFER_NO_SCHEDULE: 'PreferNoSchedule' };

function poolsFromTerraform(): Pool[] {
  return resourcesOf('aws_eks_node_group').map(([, g]) => {
    const arch = /ARM_64|arm64/.test(g.ami_type ?? '') ? 'arm64' : 'amd64';
    return {
      name: g.labels['shipshape.dev/node-pool'],
      labels: {
        ...g.labels,
        'kubernetes.io/arch': arch,
        'kubernetes.io/os': 'linux',
        'eks.amazonaws.com/capacityType': g.capacity_type,
      },
      taints: (g.taint ?? []).map((t: any) => ({ key: t.key, value: t.value, effect: EFFECT[t.effect] })),
      instanceTypes: g.instance_types,
    };
  });
}

function podSpecOf(doc: any): any {
  switch (doc.kind) {
    case 'Deployment': case 'StatefulSet': case 'DaemonSet': case 'ReplicaSet': case 'Job': return doc.spec.template.spec;
    case 'CronJob': return doc.spec.jobTemplate.spec.template.spec;
    case 'Pod': return doc.spec;
    default: return undefined;
  }
}

function tolerates(tolerations: any[], taint: { key: string; value?: string; effect: string }): boolean {
  return tolerations.some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (t.operator === 'Exists') return t.key === undefined || t.key === taint.key;
    return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
  });
}

function matches(expr: any, labels: { [k: string]: string }): boolean {
  const v = labels[expr.key];
  switch (expr.operator) {
    case 'In': return v !== undefined && expr.values.includes(v);
    case 'NotIn': return v === undefined || !expr.values.includes(v);
    case 'Exists': return v !== undefined;
    case 'DoesNotExist': return v === undefined;
    default: throw new Error(`operator ${expr.operator}`);
  }
}

function cpuMillis(q: string | undefined): number {
  if (q === undefined) return 0;
  return q.endsWith('m') ? Number(q.slice(0, -1)) : Math.round(Number(q) * 1000);
}

function memoryMiB(q: string | undefined): number {
  if (q === undefined) return 0;
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G)?$/.exec(q);
  if (!m) throw new Error(`memory ${q}`);
  const f: { [u: string]: number } = { Ki: 1 / 1024, Mi: 1, Gi: 1024, Ti: 1024 * 1024, k: 1000 / 1048576, M: 1e6 / 1048576, G: 1e9 / 1048576 };
  return Number(m[1]) * (m[2] ? f[m[2]] : 1 / 1048576);
}

/** Why a pod cannot run on a pool, or undefined when it can. */
function whyNot(spec: any, pool: Pool): string | undefined {
  for (const taint of pool.taints) {
    if (taint.effect !== 'PreferNoSchedule' && !tolerates(spec.tolerations ?? [], taint)) return `taint ${taint.key} not tolerated`;
  }
  for (const [k, v] of Object.entries(spec.nodeSelector ?? {})) {
    if (pool.labels[k] !== v) return `nodeSelector ${k}=${v}`;
  }
  const terms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (terms && !terms.some((t: any) => (t.matchExpressions ?? []).every((e: any) => matches(e, pool.labels)))) return 'required node affinity';
  const sum = (cs: any[], f: (r: any) => number) => cs.reduce((a, c) => a + f(c.resources?.requests ?? {}), 0);
  const max = (cs: any[], f: (r: any) => number) => cs.reduce((a, c) => Math.max(a, f(c.resources?.requests ?? {})), 0);
  const cpu = Math.max(sum(spec.containers, (r) => cpuMillis(r.cpu)), max(spec.initContainers ?? [], (r) => cpuMillis(r.cpu)));
  const mem = Math.max(sum(spec.containers, (r) => memoryMiB(r.memory)), max(spec.initContainers ?? [], (r) => memoryMiB(r.memory)));
  const largest = pool.instanceTypes.map((t) => InstanceTypes.allocatable(t)!).sort((a, b) => b.cpuMillis - a.cpuMillis)[0];
  if (cpu > largest.cpuMillis || mem > largest.allocatableMemoryMiB) return `requests ${cpu}m/${mem}Mi exceed ${largest.instanceType}`;
  return undefined;
}

const workloads = () => docs.filter((d) => podSpecOf(d) !== undefined);
const where = (d: any) => `${d.kind} ${d.metadata.namespace}/${d.metadata.name}`;
const schedulableOn = (d: any) => poolsFromTerraform().filter((p) => whyNot(podSpecOf(d), p) === undefined).map((p) => p.name);

// ---------------------------------------------------------------------------------------------------------------

describe('examples/platform: one program, two outputs', () => {
  test('one synth writes the Terraform JSON and the YAML', () => {
    expect(EXAMPLE.kind).toBe('cdktf');
    expect(Object.keys(tf.resource).length).toBeGreaterThan(20);
    expect(docs.length).toBeGreaterThan(20);
    expect(fs.readFileSync(path.join(EXAMPLE.dir, 'cdktf.json'), 'utf8')).toContain('"app": "npx ts-node main.ts"');
  });

  test('terraform validate passes on the real hashicorp/aws provider', () => {
    const result = terraformValidate(path.join(work, 'stacks', 'platform'));
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.valid).toBe(true);
  }, 240_000);

  test('the YAML is strictly valid, has no duplicate and no token', () => {
    expectValid(docs);
    expect(wholeOutputProblems(docs)).toEqual([]);
    expect(JSON.stringify(docs)).not.toMatch(/TfToken|\$\{/);
  });

  test('the YAML passes the policy pack with no error: `shipshape check` on the folder exits 0 with the findings synth reported', async () => {
    const dir = path.join(work, 'kubernetes');
    const synthReport = JSON.parse(fs.readFileSync(path.join(dir, '.shipshape', 'policy-report.json'), 'utf-8'));
    const cliJson = path.join(work, 'cli-report.json');
    const out: string[] = [];
    const code = await shipshapeCli(['check', dir, '--json', cliJson], { out: (t) => out.push(t), err: (t) => out.push(t) });
    expect({ code, out: code === 0 ? '' : out.join('') }).toEqual({ code: 0, out: '' });
    expect(comparableFindings(JSON.parse(fs.readFileSync(cliJson, 'utf-8')).findings)).toEqual(comparableFindings(synthReport.findings));
    // the only errors the pack raises are the node agent's host access, each suppressed with its reason
    const unsuppressed = policyErrors(docs).filter((e) => !e.includes('DaemonSet'));
    expect(unsuppressed).toEqual([]);
    const agent = docs.find((d) => d.kind === 'DaemonSet');
    for (const rule of ['SS-K8S-010', 'SS-K8S-011']) expect(agent.metadata.annotations[`suppress.shipshape.io/${rule}`]).toBeDefined();
  });

  test('the pools: a general pool without taints, a tainted system pool, a tainted spot pool; the profile says what the Terraform creates', () => {
    const pools = poolsFromTerraform();
    expect(pools.map((p) => [p.name, p.taints.map((t) => `${t.key}=${t.value}:${t.effect}`)])).toEqual([
      ['shop-prod-batch-spot', ['shipshape.dev/spot=true:NoSchedule']],
      ['shop-prod-general', []],
      ['shop-prod-system', ['CriticalAddonsOnly=true:NoSchedule']],
    ]);
    for (const p of profile.nodePools) {
      const t = pools.find((x) => x.name === p.name)!;
      expect(t.instanceTypes).toEqual(p.instanceTypes);
      for (const [k, v] of Object.entries(p.labels)) expect(t.labels[k]).toBe(v);
      expect(t.taints).toEqual(p.taints.map((x) => ({ key: x.key, value: x.value, effect: x.effect })));
      expect(t.labels['kubernetes.io/arch']).toBe(p.architecture);
    }
    expect(body('aws_eks_node_group', (g) => g.node_group_name_prefix === 'shop-prod-batch-spot-')[0].capacity_type).toBe('SPOT');
  });

  test('every pod template can be scheduled on some pool; each lands where the program says', () => {
    const placed = Object.fromEntries(workloads().map((d) => [where(d), schedulableOn(d)]));
    for (const [w, pools] of Object.entries(placed)) expect([w, pools.length > 0]).toEqual([w, true]);
    // a workload that names no pool: the untainted general pool only
    expect(placed['Deployment shop/storefront']).toEqual(['shop-prod-general']);
    expect(placed['Deployment shop/orders-worker']).toEqual(['shop-prod-general']);
    expect(placed['StatefulSet shop/sessions']).toEqual(['shop-prod-general']);
    // the placement on the spot pool: only there (selector and the one toleration its taint needs)
    expect(placed['Deployment shop/thumbnailer']).toEqual(['shop-prod-batch-spot']);
    // the node agent: every pool
    expect(placed['DaemonSet observability/node-exporter']).toEqual(['shop-prod-batch-spot', 'shop-prod-general', 'shop-prod-system']);
  });

  test('the scheduler check itself refuses what it should (an untolerated taint, a selector, affinity, requests)', () => {
    const [spot, general] = poolsFromTerraform();
    const pod = (extra: any = {}) => ({ containers: [{ resources: { requests: { cpu: '1', memory: '1Gi' } } }], ...extra });
    expect(whyNot(pod(), spot)).toBe('taint shipshape.dev/spot not tolerated');
    expect(whyNot(pod({ nodeSelector: { 'shipshape.dev/node-pool': 'shop-prod-system' } }), general)).toBe('nodeSelector shipshape.dev/node-pool=shop-prod-system');
    expect(whyNot(pod({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] }] }] } } } }), general))
      .toBe('required node affinity');
    expect(whyNot({ containers: [{ resources: { requests: { cpu: '3950m', memory: '1Gi' } } }] }, general)).toMatch(/^requests 3950m\/1024Mi exceed m7i.xlarge$/);
    expect(whyNot(pod(), general)).toBeUndefined();
  });

  test('every claim names a StorageClass of the YAML; the default class is encrypted with the cluster key the Terraform aliases', () => {
    const classes = docs.filter((d) => d.kind === 'StorageClass');
    const claims = docs.flatMap((d) => (d.kind === 'StatefulSet' ? d.spec.volumeClaimTemplates ?? [] : d.kind === 'PersistentVolumeClaim' ? [d] : []));
    expect(claims.length).toBeGreaterThan(0);
    for (const c of claims) expect(classes.map((s) => s.metadata.name)).toContain(c.spec.storageClassName);
    const gp3 = classes.find((s) => s.metadata.name === 'gp3');
    expect(gp3.metadata.annotations['storageclass.kubernetes.io/is-default-class']).toBe('true');
    expect(gp3.provisioner).toBe('ebs.csi.aws.com');
    expect(gp3.parameters).toMatchObject({ type: 'gp3', encrypted: 'true', kmsKeyId: 'arn:aws:kms:eu-west-1:123456789012:alias/eks/shop-prod' });
    const alias = body('aws_kms_alias', (a) => a.name === 'alias/eks/shop-prod')[0];
    const clusterKey = /^\$\{aws_kms_key\.([^.]+)\.key_id\}$/.exec(alias.target_key_id)![1];
    expect(tf.resource.aws_eks_cluster['shop-prod_cluster_68787C4D'].encryption_config.provider.key_arn).toBe(`\${aws_kms_key.${clusterKey}.arn}`);
    // the EBS CSI driver's identity may use that key (and no other)
    const ebsPolicy = body('aws_iam_role_policy', (p) => /ebs-csi-identity/.test(p.role)).map((p) => JSON.parse(p.policy).Statement)[0];
    expect(new Set(ebsPolicy.flatMap((s: any) => s.Resource))).toEqual(new Set([`\${aws_kms_key.${clusterKey}.arn}`]));
    expect(ebsPolicy.find((s: any) => s.Action.includes('kms:CreateGrant')).Condition).toEqual({ Bool: { 'kms:GrantIsForAWSResource': ['true'] } });
  });

  test('every Ingress names an IngressClass of the YAML; the ALB is internal and reaches the pods from the VPC the Terraform creates', () => {
    const classes = docs.filter((d) => d.kind === 'IngressClass').map((d) => d.metadata.name);
    const ingresses = docs.filter((d) => d.kind === 'Ingress');
    expect(ingresses.length).toBe(1);
    for (const i of ingresses) expect(classes).toContain(i.spec.ingressClassName);
    expect(docs.find((d) => d.kind === 'IngressClass').spec.controller).toBe('ingress.k8s.aws/alb');
    expect(ingresses[0].metadata.annotations['alb.ingress.kubernetes.io/scheme']).toBe('internal');
    const vpcCidr = resourcesOf('aws_vpc')[0][1].cidr_block;
    const np = docs.find((d) => d.kind === 'NetworkPolicy' && d.metadata.name === 'storefront');
    expect(np.spec.ingress.some((r: any) => (r.from ?? []).some((f: any) => f.ipBlock?.cidr === vpcCidr))).toBe(true);
    // the subnets the controller discovers
    const subnets = resourcesOf('aws_subnet').map(([, s]) => s.tags);
    expect(subnets.filter((t) => t['kubernetes.io/role/internal-elb'] === '1')).toHaveLength(3);
    expect(subnets.filter((t) => t['kubernetes.io/role/elb'] === '1')).toHaveLength(3);
  });

  test('every namespace an object uses exists in the YAML, with Pod Security labels', () => {
    const namespaces = new Map(docs.filter((d) => d.kind === 'Namespace').map((d) => [d.metadata.name, d]));
    const used = new Set(docs.map((d) => d.metadata.namespace).filter((n) => n !== undefined));
    expect([...used].sort()).toEqual(['observability', 'shop']);
    for (const n of used) {
      expect(namespaces.has(n)).toBe(true);
      expect(namespaces.get(n).metadata.labels['pod-security.kubernetes.io/enforce-version']).toBe('v1.33');
    }
  });

  test('every ServiceAccount bound to an identity is exactly the namespace/name the Terraform association names, and carries no token', () => {
    const associations = resourcesOf('aws_eks_pod_identity_association').map(([, a]) => a);
    const roles = Object.fromEntries(resourcesOf('aws_iam_role').map(([id, r]) => [id, r]));
    const roleOf = (a: any) => roles[/^\$\{aws_iam_role\.([^.]+)\.arn\}$/.exec(a.role_arn)![1]];
    const bound = docs.filter((d) => d.kind === 'ServiceAccount' && profile.workloadIdentities!.some((i) => i.namespace === d.metadata.namespace && i.serviceAccount === d.metadata.name));
    expect(bound.map((sa) => `${sa.metadata.namespace}/${sa.metadata.name}`).sort()).toEqual(['shop/orders-worker', 'shop/thumbnailer']);
    for (const sa of bound) {
      const matching = associations.filter((a) => a.namespace === sa.metadata.namespace && a.service_account === sa.metadata.name);
      expect(matching).toHaveLength(1);
      const identity = profile.workloadIdentities!.find((i) => i.serviceAccount === sa.metadata.name)!;
      expect(roleOf(matching[0]).name).toBe(identity.roleName);
      expect(JSON.parse(roleOf(matching[0]).assume_role_policy).Statement[0].Principal).toEqual({ Service: 'pods.eks.amazonaws.com' });
      // Pod Identity: no annotation, hence no account id and no token in the YAML
      expect(sa.metadata.annotations?.['eks.amazonaws.com/role-arn']).toBeUndefined();
      expect(JSON.stringify(sa)).not.toMatch(/TfToken|\$\{/);
      // the pods run as it
      const pods = workloads().filter((d) => d.metadata.namespace === sa.metadata.namespace && podSpecOf(d).serviceAccountName === sa.metadata.name);
      expect(pods.length).toBe(1);
    }
    // every association the Terraform makes is used: by a ServiceAccount of the YAML, or by a release of the profile
    // (the Load Balancer Controller's, the cluster-autoscaler's)
    for (const a of associations) {
      const inYaml = bound.some((sa) => sa.metadata.namespace === a.namespace && sa.metadata.name === a.service_account);
      const inRelease = profile.helmReleases!.some((r) => r.namespace === a.namespace && r.serviceAccountName === a.service_account);
      expect([`${a.namespace}/${a.service_account}`, inYaml || inRelease]).toEqual([`${a.namespace}/${a.service_account}`, true]);
    }
  });

  test('the worker\'s grants name the queue, the bucket and their key, with no wildcard action or resource', () => {
    const policy = body('aws_iam_role_policy', (p) => /orders-worker_role/.test(p.role)).map((p) => JSON.parse(p.policy).Statement)[0];
    const queue = resourcesOf('aws_sqs_queue')[0][0];
    const bucket = resourcesOf('aws_s3_bucket')[0][0];
    const dataKey = resourcesOf('aws_kms_key').find(([, k]) => /order data/.test(k.description))![0];
    expect(policy.map((s: any) => [s.Action, s.Resource])).toEqual([
      [['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'], [`\${aws_sqs_queue.${queue}.arn}`]],
      [['kms:Decrypt'], [`\${aws_kms_key.${dataKey}.arn}`]],
      [['s3:ListBucket'], [`\${aws_s3_bucket.${bucket}.arn}`]],
      [['s3:GetObject'], [`\${aws_s3_bucket.${bucket}.arn}/*`]],
      [['kms:Decrypt'], [`\${aws_kms_key.${dataKey}.arn}`]],
    ]);
    // the YAML's queue URL and bucket name are the Terraform's
    const worker = workloads().find((d) => d.metadata.name === 'orders-worker');
    const env = Object.fromEntries(podSpecOf(worker).containers[0].env.map((e: any) => [e.name, e.value]));
    expect(env.QUEUE_URL).toBe(`https://sqs.eu-west-1.amazonaws.com/123456789012/${tf.resource.aws_sqs_queue[queue].name}`);
    expect(env.ASSETS_BUCKET).toBe(tf.resource.aws_s3_bucket[bucket].bucket);
  });

  test('the controller release names the cluster, region and VPC the Terraform creates', () => {
    const release = profile.helmReleases!.find((r) => r.chart === 'aws-load-balancer-controller')!;
    expect(release.values.clusterName).toBe(tf.resource.aws_eks_cluster['shop-prod_cluster_68787C4D'].name);
    expect(release.values.region).toBe(tf.provider.aws[0].region);
    expect(release.values['vpcTags.Name']).toBe(resourcesOf('aws_vpc')[0][1].tags.Name);
    expect(profile.ingressClasses![0].controllerRelease).toEqual(release);
  });

  test('the README\'s helm commands install exactly the releases the profile describes, one command each', () => {
    const readme = fs.readFileSync(path.join(EXAMPLE.dir, 'README.md'), 'utf8');
    // each command runs to the end of its (indented) code block
    const commands = [...readme.matchAll(/helm upgrade --install ([\s\S]*?)\n\s*```/g)].map((m) => m[1]);
    expect(commands.map((c) => c.split(' ')[0]).sort()).toEqual(profile.helmReleases!.map((r) => r.releaseName).sort());
    for (const release of profile.helmReleases!) {
      const command = commands.find((c) => c.startsWith(`${release.releaseName} `))!;
      const repo = /helm repo add (\S+) (\S+)/g;
      const alias = [...readme.matchAll(repo)].find((m) => m[2] === release.repository)![1];
      const sets = Object.fromEntries([...command.matchAll(/--set '?(\S+?)=(\S+?)'?(?=\s|$)/g)].map((m) => [m[1], m[2]]));
      expect([release.releaseName, sets]).toEqual([release.releaseName, release.values]);
      expect(command).toContain(`${release.releaseName} ${alias}/${release.chart}`);
      expect(command).toContain(`--version ${release.version} --namespace ${release.namespace}`);
    }
  });

  test('on a cluster with no untainted pool the same workloads are refused at synth, naming each pool', () => {
    const outdir = tempDir('shipshape-platform-tainted-');
    try {
      const tainted = { ...profile, nodePools: profile.nodePools.filter((p: NodePoolProfile) => p.taints.length > 0) };
      const app = new k8s.App({ outdir, cluster: tainted });
      addShopWorkloads(app, {
        ordersWorker: profile.workloadIdentities!.find((i) => i.serviceAccount === 'orders-worker')!,
        thumbnailer: profile.workloadIdentities!.find((i) => i.serviceAccount === 'thumbnailer')!,
        batchPool: tainted.nodePools.find((p) => p.name === 'shop-prod-batch-spot')!,
        queueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/shop-prod-orders',
        bucketName: 'shop-prod-assets-123456789012',
        region: 'eu-west-1',
      });
      const spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
      let message = '';
      try {
        app.synth();
      } catch (e) {
        message = (e as Error).message;
      } finally {
        spy.mockRestore();
      }
      expect(message).toContain('shop/storefront/Deployment: spec.template.spec of Deployment shop/storefront cannot be scheduled on any node pool of cluster shop-prod: '
        + 'pool shop-prod-system: taint CriticalAddonsOnly=true:NoSchedule not tolerated; pool shop-prod-batch-spot: taint shipshape.dev/spot=true:NoSchedule not tolerated');
      expect(fs.readdirSync(outdir).filter((f) => f.endsWith('.yaml'))).toEqual([]);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('examples/platform: terraform test against a mocked AWS provider', () => {
  test('every run passes; the refusal prints its message', () => {
    const text = fs.readFileSync(TFTEST, 'utf8');
    const json = fs.readFileSync(path.join(work, 'stacks', 'platform', 'cdk.tf.json'), 'utf8');
    const { preamble, runs } = parseTestFile(text);
    const outcome = terraformTest(json, { 'main.tftest.hcl': text });
    expect(outcome.other).toEqual([]);
    expect(outcome.runs).toEqual(Object.fromEntries(runs.map((r) => [`main.tftest.hcl/${r.name}`, 'pass'])));
    for (const r of runs.filter((x) => x.expectsFailure)) {
      const alone = terraformTest(json, { 'refusal.tftest.hcl': refusalFile(preamble, r) });
      expect(alone.diagnostics[`refusal.tftest.hcl/${r.name}`].join('\n')).toContain(
        'The AWS credentials belong to account 999999999999, but platform/shop-prod (account) expects account 123456789012');
    }
  }, 600_000);

  test('the README\'s offline-plan test file and its refusal run pass as written', () => {
    // README "The Terraform plan, offline": the blocks after the CLI configuration are the test file a user copies
    // (mock_provider and a run) and a refusal run; both describe the cluster of examples/platform
    const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### The Terraform plan, offline'));
    const blocks = [...section.slice(0, section.indexOf('\n## ')).matchAll(/```hcl\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(blocks).toHaveLength(3);
    expect(blocks[0]).toContain('provider_installation');
    const text = `${blocks[1]}\n${blocks[2]}`;
    const { runs } = parseTestFile(text);
    expect(runs.map((r) => [r.name, r.expectsFailure])).toEqual([['private_control_plane', false], ['refuses_another_account', true]]);
    const json = fs.readFileSync(path.join(work, 'stacks', 'platform', 'cdk.tf.json'), 'utf8');
    const outcome = terraformTest(json, { 'readme.tftest.hcl': text });
    expect(outcome.other).toEqual([]);
    expect(outcome.runs).toEqual({ 'readme.tftest.hcl/private_control_plane': 'pass', 'readme.tftest.hcl/refuses_another_account': 'pass' });
  }, 600_000);
});
