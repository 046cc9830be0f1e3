import { App, Chart, Testing } from 'cdk8s';
import { KarpenterNodeClassProfile, KarpenterNodePoolProfile, KarpenterProfile } from '../../../lib/core';
import { karpenter } from '../../../lib/k8s';
import { expectValid, SHARED_SCHEMAS, synthYaml } from '../../util/schema';

const NODE_CLASS: KarpenterNodeClassProfile = {
  name: 'default',
  roleName: 'prod-karpenter-node',
  subnetSelectorTags: { 'karpenter.sh/discovery': 'prod' },
  securityGroupSelectorTags: { 'karpenter.sh/discovery': 'prod' },
  amiAlias: 'al2023@latest',
  volumeSizeGiB: 50,
  volumeKmsKeyId: 'alias/eks/prod',
  tags: { team: 'payments' },
};

const POOL: KarpenterNodePoolProfile = {
  name: 'prod-general',
  nodeClassGroup: 'karpenter.k8s.aws',
  nodeClassKind: 'EC2NodeClass',
  nodeClassName: 'default',
  labels: { 'shipshape.dev/node-pool': 'prod-general' },
  taints: [{ key: 'dedicated', value: 'batch', effect: 'NoSchedule' }],
  capacityTypes: ['on-demand', 'spot'],
  architectures: ['amd64'],
  instanceCategories: ['c', 'm'],
  minInstanceGeneration: 6,
  zones: ['eu-west-1a', 'eu-west-1b'],
  cpuLimit: 100,
  memoryLimitGiB: 400,
  consolidationPolicy: 'WhenEmptyOrUnderutilized',
  consolidateAfter: '1m',
  expireAfter: '720h',
  terminationGracePeriod: '24h',
  disruptionBudgets: [{ nodes: '10%' }, { nodes: '0', reasons: ['Underutilized'], schedule: '0 9 * * mon-fri', duration: '8h' }],
  weight: 10,
};

const PROFILE: KarpenterProfile = {
  clusterName: 'prod',
  version: '1.14.1',
  interruptionQueueName: 'prod-karpenter',
  controller: {
    repository: 'oci://public.ecr.aws/karpenter',
    chart: 'karpenter',
    version: '1.14.1',
    releaseName: 'karpenter',
    namespace: 'kube-system',
    values: {},
    serviceAccountName: 'karpenter',
  },
  nodeClass: NODE_CLASS,
  nodePools: [POOL],
};

function render(profile: KarpenterProfile = PROFILE): any[] {
  const app = Testing.app();
  const chart = new Chart(app, 'karpenter');
  new karpenter.KarpenterResources(chart, 'karpenter', { profile });
  return synthYaml(app);
}

describe('k8s.karpenter', () => {
  const docs = render();
  const [nodeClass, pool] = docs;

  test('EC2NodeClass: the role, the discovery selectors, IMDSv2 with hop limit 1, encrypted gp3 with the key, cost tags', () => {
    expect(nodeClass.apiVersion).toBe('karpenter.k8s.aws/v1');
    expect(nodeClass.kind).toBe('EC2NodeClass');
    expect(nodeClass.metadata.name).toBe('default');
    expect(nodeClass.spec).toEqual({
      role: 'prod-karpenter-node',
      amiSelectorTerms: [{ alias: 'al2023@latest' }],
      subnetSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'prod' } }],
      securityGroupSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'prod' } }],
      metadataOptions: { httpEndpoint: 'enabled', httpProtocolIPv6: 'disabled', httpPutResponseHopLimit: 1, httpTokens: 'required' },
      blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { volumeSize: '50Gi', volumeType: 'gp3', encrypted: true, kmsKeyID: 'alias/eks/prod', deleteOnTermination: true } }],
      detailedMonitoring: true,
      tags: { team: 'payments' },
    });
    expect(nodeClass.metadata.labels['app.kubernetes.io/managed-by']).toBe('shipshape');
  });

  test('NodePool: requirements, labels, taints, limits, lifetime, disruption with budgets, weight', () => {
    expect(pool.apiVersion).toBe('karpenter.sh/v1');
    expect(pool.kind).toBe('NodePool');
    expect(pool.spec).toEqual({
      template: {
        metadata: { labels: { 'shipshape.dev/node-pool': 'prod-general' } },
        spec: {
          nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' },
          requirements: [
            { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand', 'spot'] },
            { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] },
            { key: 'kubernetes.io/os', operator: 'In', values: ['linux'] },
            { key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: ['c', 'm'] },
            { key: 'karpenter.k8s.aws/instance-generation', operator: 'Gt', values: ['5'] },
            { key: 'topology.kubernetes.io/zone', operator: 'In', values: ['eu-west-1a', 'eu-west-1b'] },
          ],
          taints: [{ key: 'dedicated', value: 'batch', effect: 'NoSchedule' }],
          expireAfter: '720h',
          terminationGracePeriod: '24h',
        },
      },
      limits: { cpu: '100', memory: '400Gi' },
      disruption: {
        consolidationPolicy: 'WhenEmptyOrUnderutilized',
        consolidateAfter: '1m',
        budgets: [{ nodes: '10%' }, { nodes: '0', reasons: ['Underutilized'], schedule: '0 9 * * mon-fri', duration: '8h' }],
      },
      weight: 10,
    });
  });

  (SHARED_SCHEMAS ? test : test.skip)('valid against the Karpenter v1 CRDs (karpenter.sh, karpenter.k8s.aws) and ObjectMeta', () => {
    expectValid(docs);
    expectValid(render({ ...PROFILE, nodeClass: { ...NODE_CLASS, roleName: undefined, instanceProfileName: 'prod-node', amiAlias: 'bottlerocket@latest', volumeKmsKeyId: undefined } }));
    expectValid(render({ ...PROFILE, nodePools: [{ ...POOL, instanceCategories: undefined, minInstanceGeneration: undefined, instanceTypes: ['m7i.large'], taints: [], weight: undefined, terminationGracePeriod: undefined }] }));
  });

  (SHARED_SCHEMAS ? test : test.skip)('an Auto Mode pool is valid against the NodePool CRD and uses Auto Mode label keys', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'auto');
    new karpenter.NodePool(chart, 'spot', { pool: { ...POOL, nodeClassGroup: 'eks.amazonaws.com', nodeClassKind: 'NodeClass' } });
    const [doc] = synthYaml(app);
    expectValid([doc]);
    expect(doc.spec.template.spec.requirements.map((r: any) => r.key)).toContain('eks.amazonaws.com/instance-category');
    expect(doc.spec.template.spec.nodeClassRef).toEqual({ group: 'eks.amazonaws.com', kind: 'NodeClass', name: 'default' });
  });

  (SHARED_SCHEMAS ? test : test.skip)('a CRD check that can fail: an unknown field is reported', () => {
    expect(() => expectValid([{ ...pool, spec: { ...pool.spec, bogus: true } }])).toThrow(/unknown field "bogus"/);
  });

  test('Bottlerocket: a small root volume and the data volume', () => {
    const [nc] = render({ ...PROFILE, nodeClass: { ...NODE_CLASS, amiAlias: 'bottlerocket@v1.40.0', volumeKmsKeyId: undefined } });
    expect(nc.spec.blockDeviceMappings).toEqual([
      { deviceName: '/dev/xvda', ebs: { volumeSize: '4Gi', volumeType: 'gp3', encrypted: true, deleteOnTermination: true } },
      { deviceName: '/dev/xvdb', ebs: { volumeSize: '50Gi', volumeType: 'gp3', encrypted: true, deleteOnTermination: true } },
    ]);
  });
});

describe('k8s.karpenter refusals', () => {
  const chart = () => new Chart(new App(), 'c');
  test('a node class with both a role and an instance profile', () => {
    expect(() => new karpenter.Ec2NodeClass(chart(), 'nc', { nodeClass: { ...NODE_CLASS, instanceProfileName: 'p' } })).toThrow(
      'c/nc: nodeClass.roleName ("prod-karpenter-node") and instanceProfileName: exactly one must be set; take the node class from aws.Karpenter.profile');
  });

  test('a node class with an empty selector', () => {
    expect(() => new karpenter.Ec2NodeClass(chart(), 'nc', { nodeClass: { ...NODE_CLASS, subnetSelectorTags: {} } })).toThrow(
      'c/nc: nodeClass.subnetSelectorTags ({}) must name at least one tag (an empty selector matches nothing); take the node class from aws.Karpenter.profile');
  });

  test('a pool without limits', () => {
    expect(() => new karpenter.NodePool(chart(), 'p', { pool: { ...POOL, cpuLimit: 0 } })).toThrow(
      'c/p: pool.cpuLimit (0) must be >= 1 (a pool without limits scales without bound); set maxCpu on the AWS side');
  });

  test('a pool of a generation that does not exist (a profile written by hand)', () => {
    for (const minInstanceGeneration of [0, 5.5, 21]) {
      expect(() => new karpenter.NodePool(chart(), 'p', { pool: { ...POOL, minInstanceGeneration } })).toThrow(
        `c/p: pool.minInstanceGeneration (${minInstanceGeneration}) must be a whole number from 1 to 20 (the oldest instance generation the pool launches); use 6 (sixth generation and newer)`);
    }
  });

  test('a pool without budgets', () => {
    expect(() => new karpenter.NodePool(chart(), 'p', { pool: { ...POOL, disruptionBudgets: [] } })).toThrow(
      "c/p: pool.disruptionBudgets ([]) must list at least one budget; use [{ nodes: '10%' }]");
  });

  test('a pool naming another EC2NodeClass than the profile describes', () => {
    expect(() => new karpenter.KarpenterResources(chart(), 'k', { profile: { ...PROFILE, nodePools: [{ ...POOL, nodeClassName: 'other' }] } })).toThrow(
      'c/k: profile.nodePools ("prod-general") refers to EC2NodeClass other, which the profile does not describe (default); take the profile from aws.Karpenter.profile unchanged');
  });
});
