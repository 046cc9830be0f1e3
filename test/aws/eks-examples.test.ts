/**
 * The EKS examples beyond eks-cluster (Karpenter, Auto Mode, private, import), each synthesized the way
 * `npm run synth` does it (a child process running its main.ts with CDKTF_OUTDIR set):
 * - exit 0, the Terraform policy pack finds no error and no warning;
 * - `terraform validate` passes with the real hashicorp/aws 5.100.0 provider;
 * - the Kubernetes YAML is valid against the Karpenter CRDs, and names what the Terraform JSON creates
 *   (node role, discovery tags, NodePools);
 * - every attribute used exists in the provider schema (taggable resources carry the cost tags);
 * - the output is deterministic.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { App } from 'cdktf';
import { terraformValidate } from './terraform-validate';
import { EksAutoModeStack } from '../../examples/eks-auto-mode/stack';
import { EksImportStack } from '../../examples/eks-import/stack';
import { EksKarpenterStack } from '../../examples/eks-karpenter/stack';
import { EksPrivateStack } from '../../examples/eks-private/stack';
import { discoverExamples, synthExample } from '../../scripts/synth-examples';
import { expectValid, parseYamlFiles, SCHEMAS_DIR, SHARED_SCHEMAS, tempDir } from '../util/schema';

const NEW_EXAMPLES = ['eks-auto-mode', 'eks-import', 'eks-karpenter', 'eks-private'];
const STACKS: { [name: string]: (app: App, id: string) => unknown } = {
  'eks-auto-mode': (app, id) => new EksAutoModeStack(app, id),
  'eks-import': (app, id) => new EksImportStack(app, id),
  'eks-karpenter': (app, id) => new EksKarpenterStack(app, id),
  'eks-private': (app, id) => new EksPrivateStack(app, id),
};

/** The example's Terraform JSON, synthesized in this process. */
function synthInProcess(name: string): any {
  const outdir = tempDir(`shipshape-${name}-again-`);
  try {
    const app = new App({ outdir });
    STACKS[name](app, name);
    app.synth();
    return JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8'));
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

const resourcesOf = (json: any, type: string): any[] => Object.values(json.resource?.[type] ?? {});

let providerSchema: any;
function resourceSchemas(): any {
  if (!providerSchema) {
    const file = path.join(SCHEMAS_DIR, 'terraform', 'aws-5.100.0.schema.json.gz');
    providerSchema = JSON.parse(zlib.gunzipSync(fs.readFileSync(file)).toString('utf8')).provider_schemas['registry.terraform.io/hashicorp/aws'];
  }
  return providerSchema;
}

/** Every attribute and block of a resource body exists in the provider schema (cdktf metadata and meta-arguments aside). */
function unknownAttributes(body: any, block: any, at: string): string[] {
  const out: string[] = [];
  const meta = new Set(['//', 'count', 'depends_on', 'lifecycle', 'provider', 'for_each']);
  for (const [k, v] of Object.entries<any>(body)) {
    if (meta.has(k)) continue;
    if (block.attributes?.[k]) continue;
    const nested = block.block_types?.[k];
    if (!nested) {
      out.push(`${at}.${k}`);
      continue;
    }
    for (const item of Array.isArray(v) ? v : [v]) out.push(...unknownAttributes(item, nested.block, `${at}.${k}`));
  }
  return out;
}

test('the EKS examples are discovered by npm run synth as cdktf apps', () => {
  const found = discoverExamples().filter((e) => e.name.startsWith('eks-'));
  expect(found.map((e) => [e.name, e.kind])).toEqual(['eks-auto-mode', 'eks-cluster', 'eks-import', 'eks-karpenter', 'eks-private'].map((n) => [n, 'cdktf']));
});

describe.each(NEW_EXAMPLES)('examples/%s', (name) => {
  const example = discoverExamples().find((e) => e.name === name)!;
  let work = '';
  let outdir = '';
  let result: ReturnType<typeof synthExample>;
  let json: any;
  let yaml: Array<{ file: string; docs: any[] }> = [];

  beforeAll(() => {
    work = tempDir(`shipshape-${name}-`);
    outdir = path.join(work, 'dist');
    result = synthExample(example, outdir);
    const stackDir = path.join(outdir, 'stacks', name);
    if (result.status === 0) json = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8'));
    const kube = path.join(outdir, 'kubernetes');
    yaml = fs.existsSync(kube) ? parseYamlFiles(kube) : [];
  }, 120_000);

  afterAll(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  test('synthesizes with exit 0; the Terraform policy pack finds no error and no warning', () => {
    if (result.status !== 0) throw new Error(`${name}: synth exited ${result.status}\n${result.stderr}`);
    const report = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', name, 'policy-report.json'), 'utf8'));
    expect({ errors: report.summary.errors, warnings: report.summary.warnings }).toEqual({ errors: 0, warnings: 0 });
  });

  test('passes terraform validate with the real hashicorp/aws 5.100.0 provider', () => {
    const r = terraformValidate(path.join(outdir, 'stacks', name));
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.valid).toBe(true);
  }, 120_000);

  (SHARED_SCHEMAS ? test : test.skip)('every attribute exists in the provider schema; every taggable resource carries the cost tags', () => {
    const schemas = resourceSchemas();
    const unknown: string[] = [];
    let tagged = 0;
    for (const [type, byName] of Object.entries<any>(json.resource ?? {})) {
      const block = schemas.resource_schemas[type].block;
      for (const [n, body] of Object.entries<any>(byName)) {
        unknown.push(...unknownAttributes(body, block, `${type}.${n}`));
        if (block.attributes.tags?.optional) {
          expect({ type, n, tags: body.tags }).toMatchObject({ tags: { 'managed-by': 'shipshape' } });
          tagged++;
        }
      }
    }
    for (const [type, byName] of Object.entries<any>(json.data ?? {})) {
      for (const [n, body] of Object.entries<any>(byName)) unknown.push(...unknownAttributes(body, schemas.data_source_schemas[type].block, `data.${type}.${n}`));
    }
    expect(unknown).toEqual([]);
    expect(tagged).toBeGreaterThan(name === 'eks-import' ? 4 : 20);
  });

  test('is deterministic (the local backend path, which follows the working directory, aside)', () => {
    const withoutBackend = (j: any) => ({ ...j, terraform: { ...j.terraform, backend: undefined } });
    expect(withoutBackend(synthInProcess(name))).toEqual(withoutBackend(json));
    expect(withoutBackend(synthInProcess(name))).toEqual(withoutBackend(json));
  });

  if (name !== 'eks-import') {
    (SHARED_SCHEMAS ? test : test.skip)('the Kubernetes YAML is valid against the Karpenter CRDs (strict) and Kubernetes ObjectMeta', () => {
      expect(yaml.length).toBeGreaterThan(0);
      for (const f of yaml) expectValid(f.docs);
    });
  }

  if (name === 'eks-karpenter' || name === 'eks-private') {
    test('the YAML names what the Terraform creates: node role or instance profile, discovery tags, key alias, node class', () => {
      const docs = yaml.flatMap((f) => f.docs);
      const nodeClass = docs.find((d) => d.kind === 'EC2NodeClass');
      const nodeRole = resourcesOf(json, 'aws_iam_role').find((x) => x.name.endsWith('-karpenter-node'));
      const profile = resourcesOf(json, 'aws_iam_instance_profile')[0];
      if (profile) {
        expect(nodeClass.spec.instanceProfile).toBe(profile.name);
        expect(profile.role).toMatch(/^\$\{aws_iam_role\.karpenter_node-role_[0-9A-F]+\.name\}$/);
      } else {
        expect(nodeClass.spec.role).toBe(nodeRole.name);
      }
      // the access entry lets that role's nodes join
      const entry = resourcesOf(json, 'aws_eks_access_entry').find((e) => e.type === 'EC2_LINUX');
      expect(entry.principal_arn).toMatch(/^\$\{aws_iam_role\.karpenter_node-role_[0-9A-F]+\.arn\}$/);
      // the selectors match the tags on every private subnet and on the cluster security group
      const [[key, value]] = Object.entries<string>(nodeClass.spec.subnetSelectorTerms[0].tags);
      const privateSubnets = Object.entries<any>(json.resource.aws_subnet).filter(([k]) => k.includes('_private-')).map(([, s]) => s);
      expect(privateSubnets.length).toBe(3);
      for (const s of privateSubnets) expect(s.tags[key]).toBe(value);
      expect(nodeClass.spec.securityGroupSelectorTerms[0].tags).toEqual({ [key]: value });
      expect(resourcesOf(json, 'aws_ec2_tag').filter((t) => t.key === key && t.value === value && /cluster_security_group_id/.test(t.resource_id))).toHaveLength(1);
      // the cluster name the tags carry is the cluster's
      expect(value).toBe(resourcesOf(json, 'aws_eks_cluster')[0].name);
      // the KMS key of the node volumes is the cluster key's alias, named as the gp3 StorageClass names it (its ARN:
      // the examples give the cluster its account)
      const alias = resourcesOf(json, 'aws_kms_alias').find((a) => a.name.startsWith('alias/eks/'));
      const storageClass = docs.find((d) => d.kind === 'StorageClass' && d.metadata.name === 'gp3');
      for (const m of nodeClass.spec.blockDeviceMappings) {
        expect(m.ebs.kmsKeyID).toMatch(new RegExp(`^arn:aws:kms:[a-z0-9-]+:\\d{12}:${alias.name}$`));
        if (storageClass) expect(m.ebs.kmsKeyID).toBe(storageClass.parameters.kmsKeyId);
      }
      // every NodePool launches from that node class
      const pools = docs.filter((d) => d.kind === 'NodePool');
      expect(pools.length).toBeGreaterThan(0);
      for (const p of pools) expect(p.spec.template.spec.nodeClassRef).toEqual({ group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: nodeClass.metadata.name });
    });
  }
});

describe('examples/eks-karpenter: the controller release', () => {
  test('eks-karpenter: the controller release names the queue, the cluster and the identity the Terraform creates', () => {
    const outdir = tempDir('shipshape-karpenter-profile-');
    try {
      const app = new App({ outdir });
      const stack = new EksKarpenterStack(app, 'eks-karpenter');
      app.synth();
      const json = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'eks-karpenter', 'cdk.tf.json'), 'utf8'));
      const release = stack.karpenter.profile.controller;
      expect(release.values['settings.interruptionQueue']).toBe(resourcesOf(json, 'aws_sqs_queue')[0].name);
      expect(release.values['settings.clusterName']).toBe(resourcesOf(json, 'aws_eks_cluster')[0].name);
      const assoc = resourcesOf(json, 'aws_eks_pod_identity_association').find((a) => a.service_account === release.serviceAccountName);
      expect(assoc.namespace).toBe(release.namespace);
      expect(release.identity?.roleName).toBe(resourcesOf(json, 'aws_iam_role').find((r) => r.name === 'shop-prod-karpenter').name);
      expect(release.values['serviceAccount.name']).toBe(assoc.service_account);
      expect({ repository: release.repository, chart: release.chart, version: release.version }).toEqual({
        repository: 'oci://public.ecr.aws/karpenter', chart: 'karpenter', version: '1.14.1',
      });
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  }, 120_000);
});
