// NodePool and EC2NodeClass are cluster-scoped: no metadata.namespace, even in a chart with a namespace.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { k8s } from '../../../lib';
import { EnvironmentProfile, KarpenterProfile } from '../../../lib/core';
import { karpenter } from '../../../lib/k8s';

const DISCOVERY = { 'karpenter.sh/discovery': 'prod' };
const PROFILE: KarpenterProfile = {
  clusterName: 'prod',
  version: '1.14.1',
  interruptionQueueName: 'prod-karpenter',
  controller: { repository: 'oci://public.ecr.aws/karpenter', chart: 'karpenter', version: '1.14.1', releaseName: 'karpenter', namespace: 'kube-system', values: {}, serviceAccountName: 'karpenter' },
  nodeClass: { name: 'default', roleName: 'prod-karpenter-node', subnetSelectorTags: DISCOVERY, securityGroupSelectorTags: DISCOVERY, amiAlias: 'al2023@v20250704', volumeSizeGiB: 50, tags: {} },
  nodePools: [{
    name: 'prod-general',
    nodeClassGroup: 'karpenter.k8s.aws',
    nodeClassKind: 'EC2NodeClass',
    nodeClassName: 'default',
    labels: { 'shipshape.dev/node-pool': 'prod-general' },
    taints: [],
    capacityTypes: ['on-demand'],
    architectures: ['amd64'],
    instanceCategories: ['c', 'm', 'r'],
    minInstanceGeneration: 6,
    zones: ['eu-west-1a'],
    cpuLimit: 10,
    memoryLimitGiB: 40,
    consolidationPolicy: 'WhenEmptyOrUnderutilized',
    consolidateAfter: '1m',
    expireAfter: '720h',
    disruptionBudgets: [{ nodes: '10%' }],
  }],
};

test('in a chart with a namespace: NodePool and EC2NodeClass carry no metadata.namespace', () => {
  const app: App = Testing.app();
  const chart = new Chart(app, 'platform', { namespace: 'karpenter' });
  new karpenter.KarpenterResources(chart, 'karpenter', { profile: PROFILE });
  const objects = Testing.synth(chart);
  expect(objects.map((o: any) => o.kind).sort()).toEqual(['EC2NodeClass', 'NodePool']);
  for (const o of objects) {
    expect(o.metadata.name).toBeDefined();
    expect(o.metadata).not.toHaveProperty('namespace');
  }
});

test('the chart\'s namespace still goes to namespaced objects beside them', () => {
  const app: App = Testing.app();
  const chart = new Chart(app, 'platform', { namespace: 'karpenter' });
  new karpenter.NodePool(chart, 'pool', { pool: PROFILE.nodePools[0] });
  new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } });
  const [pool, cm] = Testing.synth(chart);
  expect(pool.kind).toBe('NodePool');
  expect(pool.metadata).not.toHaveProperty('namespace');
  expect(cm.metadata.namespace).toBe('karpenter');
});

test('written by k8s.App (its own renderer): no namespace in the YAML', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-karpenter-scope-'));
  try {
    const app = new k8s.App({ outdir, policy: false });
    const chart = new Chart(app, 'platform', { namespace: 'karpenter' });
    new karpenter.KarpenterResources(chart, 'karpenter', { profile: PROFILE });
    app.synth();
    const files = (fs.readdirSync(outdir, { recursive: true }) as string[]).filter((f) => f.endsWith('.yaml'));
    const docs = files.flatMap((f: string) => YAML.parseAllDocuments(fs.readFileSync(path.join(outdir, f), 'utf8')).map((d: any) => d.toJSON()))
      .filter((d: any) => d && ['NodePool', 'EC2NodeClass'].includes(d.kind));
    expect(docs).toHaveLength(2);
    for (const d of docs) expect(d.metadata).not.toHaveProperty('namespace');
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
});

describe('a cluster profile\'s pinned AMI release and the cluster\'s version (a hand-written profile)', () => {
  const profile = (amiAlias: string, kubernetesVersion: string) => ({
    clusterName: 'prod',
    region: 'eu-west-1',
    environment: EnvironmentProfile.PRODUCTION,
    kubernetesVersion,
    nodePools: [],
    zones: ['eu-west-1a'],
    storageClasses: [],
    networkPolicyEnforced: true,
    karpenter: { ...PROFILE, nodeClass: { ...PROFILE.nodeClass, amiAlias } },
  });

  test('a release from before EKS supported the version is refused on the App', () => {
    expect(() => new k8s.App({ cluster: profile('al2023@v20250505', '1.33') })).toThrow(
      '<app>: cluster.karpenter.nodeClass.amiAlias ("al2023@v20250505") is the AMI release of 2025-05-05, before EKS supported Kubernetes 1.33 (2025-05-29), the cluster\'s version: '
      + 'that release has no AMI built for 1.33, so the node class resolves no AMI and Karpenter launches no node; '
      + "pin a release published for 1.33 (from 2025-05-29 on; see the amazon-eks-ami releases), or use 'al2023@latest'");
  });

  test('the same release on a version EKS supported before it is accepted', () => {
    expect(new k8s.App({ cluster: profile('al2023@v20250505', '1.32') }).cluster?.karpenter?.nodeClass.amiAlias).toBe('al2023@v20250505');
  });
});
