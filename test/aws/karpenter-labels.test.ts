import { Chart, Testing as K8sTesting } from 'cdk8s';
import { cluster, errorOf, newStack, synth } from './util';
import * as aws from '../../lib/aws';
import { karpenter as k8sKarpenter } from '../../lib/k8s';

function withKarpenter() {
  const stack = newStack();
  const c = cluster(stack, { admins: ['arn:aws:iam::123456789012:role/admin'] });
  c.addNodePool('system');
  const karpenter = new aws.Karpenter(stack, 'karpenter', { cluster: c, amiAlias: 'al2023@v20250704' });
  return { stack, cluster: c, karpenter };
}

/** The validation error of a pool with `options`. */
const pool = (options: Partial<aws.KarpenterNodePoolOptions>) =>
  errorOf(() => withKarpenter().karpenter.addNodePool('p', { maxCpu: 10, ...options } as aws.KarpenterNodePoolOptions));

/** Declares a pool, synthesizes the AWS side and writes the NodePool: its template labels and requirements. */
function accepted(options: Partial<aws.KarpenterNodePoolOptions>) {
  const { stack, karpenter } = withKarpenter();
  const p = karpenter.addNodePool('p', { maxCpu: 10, ...options } as aws.KarpenterNodePoolOptions);
  synth(stack);
  const chart = new Chart(K8sTesting.app(), 'k8s');
  new k8sKarpenter.NodePool(chart, 'pool', { pool: p.profile });
  const doc = K8sTesting.synth(chart).find((d: any) => d.kind === 'NodePool');
  return { labels: doc.spec.template.metadata.labels, requirements: doc.spec.template.spec.requirements };
}

const OWN_DOMAIN = "use a key in your own domain, such as example.com/<name>, and choose instance properties with the pool's options (instanceTypes, capacityTypes, …)";

describe('aws.KarpenterNodePool labels: Karpenter\'s restricted domains', () => {
  test('kubernetes.io/<name>: refused', () => {
    expect(pool({ labels: { 'kubernetes.io/foo': 'x' } })).toBe(
      'test/karpenter/p: labels ("kubernetes.io/foo") is in the kubernetes.io domain, which Kubernetes reserves and where Karpenter accepts only '
      + 'node.kubernetes.io/*, node-restriction.kubernetes.io/* and its well-known labels (kubernetes.io/arch, kubernetes.io/os, topology.kubernetes.io/region, '
      + "topology.kubernetes.io/zone): Karpenter's NodePool validation refuses the pool (condition ValidationSucceeded=False), which then launches no node; " + OWN_DOMAIN);
  });

  test('a subdomain of kubernetes.io (topology.kubernetes.io/<other>, beta.kubernetes.io/arch): refused', () => {
    expect(pool({ labels: { 'topology.kubernetes.io/rack': 'r1' } })).toMatch(/^test\/karpenter\/p: labels \("topology.kubernetes.io\/rack"\) is in the kubernetes.io domain, /);
    expect(pool({ labels: { 'beta.kubernetes.io/arch': 'amd64' } })).toMatch(/^test\/karpenter\/p: labels \("beta.kubernetes.io\/arch"\) is in the kubernetes.io domain, /);
  });

  test('k8s.io/<name> and its subdomains: refused; the domain exceptions (node.kubernetes.io, node-restriction.kubernetes.io, kops.k8s.io): accepted', () => {
    expect(pool({ labels: { 'k8s.io/foo': 'x' } })).toBe(
      'test/karpenter/p: labels ("k8s.io/foo") is in the k8s.io domain, which Kubernetes reserves and where Karpenter accepts only kops.k8s.io/*: '
      + "Karpenter's NodePool validation refuses the pool (condition ValidationSucceeded=False), which then launches no node; " + OWN_DOMAIN);
    expect(pool({ labels: { 'team.k8s.io/foo': 'x' } })).toMatch(/^test\/karpenter\/p: labels \("team.k8s.io\/foo"\) is in the k8s.io domain, /);
    const labels = { 'node.kubernetes.io/role': 'batch', 'node-restriction.kubernetes.io/team': 'data', 'kops.k8s.io/instancegroup': 'nodes', 'tier': 'batch' };
    expect(accepted({ labels }).labels).toMatchObject(labels);
  });

});

describe('aws.KarpenterNodePool labels: a label the pool\'s requirements exclude', () => {
  test('karpenter.sh/capacity-type outside capacityTypes: refused; labels within the requirements: accepted, and written beside them', () => {
    expect(pool({ capacityTypes: [aws.KarpenterCapacityType.SPOT], labels: { 'karpenter.sh/capacity-type': 'x' } })).toBe(
      'test/karpenter/p: labels ("karpenter.sh/capacity-type=x") contradicts the pool\'s requirement karpenter.sh/capacity-type In [spot]: '
      + 'Karpenter adds each template label to the pool\'s requirements, so no node could meet both and the pool would never launch one; '
      + 'leave the label out (each node carries karpenter.sh/capacity-type anyway) or make it one of spot; choose capacity types with capacityTypes');
    const labels = {
      'karpenter.sh/capacity-type': 'spot',
      'kubernetes.io/arch': 'arm64',
      'kubernetes.io/os': 'linux',
      'topology.kubernetes.io/zone': 'eu-west-1b',
      'karpenter.k8s.aws/instance-generation': '7',
      'karpenter.k8s.aws/instance-category': 'm',
    };
    const { labels: written, requirements } = accepted({
      capacityTypes: [aws.KarpenterCapacityType.SPOT, aws.KarpenterCapacityType.ON_DEMAND],
      architectures: [aws.CpuArchitecture.ARM64],
      labels,
    });
    expect(written).toMatchObject(labels);
    expect(requirements).toContainEqual({ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot', 'on-demand'] });
    expect(requirements).toContainEqual({ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] });
  });

  test('topology.kubernetes.io/zone outside zones: refused', () => {
    expect(pool({ zones: ['eu-west-1a'], labels: { 'topology.kubernetes.io/zone': 'eu-west-1b' } })).toBe(
      'test/karpenter/p: labels ("topology.kubernetes.io/zone=eu-west-1b") contradicts the pool\'s requirement topology.kubernetes.io/zone In [eu-west-1a]: '
      + 'Karpenter adds each template label to the pool\'s requirements, so no node could meet both and the pool would never launch one; '
      + 'leave the label out (each node carries topology.kubernetes.io/zone anyway) or make it one of eu-west-1a; choose zones with zones');
  });

  test('kubernetes.io/arch outside architectures: refused', () => {
    expect(pool({ labels: { 'kubernetes.io/arch': 'arm64' } })).toBe(
      'test/karpenter/p: labels ("kubernetes.io/arch=arm64") contradicts the pool\'s requirement kubernetes.io/arch In [amd64]: '
      + 'Karpenter adds each template label to the pool\'s requirements, so no node could meet both and the pool would never launch one; '
      + 'leave the label out (each node carries kubernetes.io/arch anyway) or make it one of amd64; choose CPU architectures with architectures');
  });

  test('kubernetes.io/os other than linux: refused', () => {
    expect(pool({ labels: { 'kubernetes.io/os': 'windows' } })).toMatch(
      /^test\/karpenter\/p: labels \("kubernetes.io\/os=windows"\) contradicts the pool's requirement kubernetes.io\/os In \[linux\]: .*; shipshape pools run Linux nodes only$/);
  });

  test('node.kubernetes.io/instance-type outside instanceTypes: refused; among them: accepted', () => {
    expect(pool({ instanceTypes: ['m7i.large'], labels: { 'node.kubernetes.io/instance-type': 'm7i.xlarge' } })).toMatch(
      /^test\/karpenter\/p: labels \("node.kubernetes.io\/instance-type=m7i.xlarge"\) contradicts the pool's requirement node.kubernetes.io\/instance-type In \[m7i.large\]: .*; choose instance types with instanceTypes$/);
    const labels = { 'node.kubernetes.io/instance-type': 'm7i.large' };
    expect(accepted({ instanceTypes: ['m7i.large', 'm7i.xlarge'], labels }).labels).toMatchObject(labels);
  });

  test('karpenter.k8s.aws/instance-category and instance-generation the requirements exclude: refused', () => {
    expect(pool({ labels: { 'karpenter.k8s.aws/instance-category': 'g' } })).toMatch(
      /^test\/karpenter\/p: labels \("karpenter.k8s.aws\/instance-category=g"\) contradicts the pool's requirement karpenter.k8s.aws\/instance-category In \[c, m, r\]: /);
    expect(pool({ labels: { 'karpenter.k8s.aws/instance-generation': '5' } })).toBe(
      'test/karpenter/p: labels ("karpenter.k8s.aws/instance-generation=5") contradicts the pool\'s requirement karpenter.k8s.aws/instance-generation Gt 5: '
      + 'Karpenter adds each template label to the pool\'s requirements, so no node could meet both and the pool would never launch one; '
      + 'leave the label out (each node carries karpenter.k8s.aws/instance-generation anyway) or make it a whole number greater than 5; choose generations with minInstanceGeneration');
  });

});

describe('aws.KarpenterNodePool instanceTypes: CPU architecture', () => {
  test('a Graviton type with the default architectures (amd64): refused', () => {
    expect(pool({ instanceTypes: ['c7g.large'] })).toBe(
      'test/karpenter/p: instanceTypes ("c7g.large") must match the CPU architecture of architectures (amd64): the pool requires kubernetes.io/arch In [amd64], '
      + 'so Karpenter would never launch it; add CpuArchitecture.ARM64 to architectures for Graviton instance types, or use x86 instance types');
  });

  test('x86 types with arm64 only: refused, naming each; arm64 types with arm64, mixed types with both architectures: accepted', () => {
    expect(pool({ instanceTypes: ['m7g.large', 'm7i.large', 'c6a.xlarge'], architectures: [aws.CpuArchitecture.ARM64] })).toBe(
      'test/karpenter/p: instanceTypes ("m7i.large, c6a.xlarge") must match the CPU architecture of architectures (arm64): the pool requires kubernetes.io/arch In [arm64], '
      + 'so Karpenter would never launch them; add CpuArchitecture.AMD64 to architectures for x86 instance types, or use Graviton instance types');
    const arm = accepted({ instanceTypes: ['c7g.large', 'c7gn.large'], architectures: [aws.CpuArchitecture.ARM64] });
    expect(arm.requirements).toContainEqual({ key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['c7g.large', 'c7gn.large'] });
    expect(arm.requirements).toContainEqual({ key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] });
    const both = accepted({ instanceTypes: ['c7g.large', 'c7i.large'], architectures: [aws.CpuArchitecture.AMD64, aws.CpuArchitecture.ARM64] });
    expect(both.requirements).toContainEqual({ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64', 'arm64'] });
  });

  test('Graviton families outside the allocatable table (c7gn, r8gd, g5g): refused with amd64', () => {
    expect(pool({ instanceTypes: ['c7gn.large', 'r8gd.xlarge', 'g5g.xlarge'] })).toMatch(
      /^test\/karpenter\/p: instanceTypes \("c7gn.large, r8gd.xlarge, g5g.xlarge"\) must match the CPU architecture of architectures \(amd64\)/);
  });

});

describe('aws.NodePool (managed) capacity.instanceTypes: the same architecture knowledge', () => {
  test('a Graviton family outside the allocatable table (c7gn) with an x86 AMI type: refused', () => {
    const stack = newStack();
    const c = cluster(stack);
    expect(errorOf(() => c.addNodePool('arm', { capacity: aws.NodeCapacity.onDemand(['c7gn.large']) }))).toBe(
      'test/prod/arm: capacity.instanceTypes ("c7gn.large") must match the CPU architecture of amiType AL2023_x86_64_STANDARD (amd64); '
      + 'use an arm64 AMI type (NodeAmiType.AL2023_ARM_64_STANDARD) for Graviton instance types, or x86 instance types');
  });
});
