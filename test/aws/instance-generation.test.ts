// minInstanceGeneration is the oldest generation a Karpenter pool launches: N means "N and newer", written as the
// NodePool requirement instance-generation Gt N-1 (node selectors have no Gte).
import { Chart, Testing } from 'cdk8s';
import { cluster, errorOf, newStack } from './util';
import * as aws from '../../lib/aws';
import { karpenter as k8sKarpenter } from '../../lib/k8s';

function karpenterOf(): aws.Karpenter {
  const stack = newStack();
  const c = cluster(stack, { admins: ['arn:aws:iam::123456789012:role/admin'] });
  c.addNodePool('system');
  return new aws.Karpenter(stack, 'karpenter', { cluster: c, amiAlias: 'al2023@v20250704' });
}

/** The instance-generation requirement of the NodePool the Kubernetes side writes for the pool. */
function generationRequirement(options: Partial<aws.KarpenterNodePoolOptions> = {}): any {
  const k = karpenterOf();
  const pool = k.addNodePool('general', { maxCpu: 100, ...options });
  const chart = new Chart(Testing.app(), 'karpenter');
  const nodePool = new k8sKarpenter.NodePool(chart, 'pool', { pool: pool.profile });
  return nodePool.apiObject.toJson().spec.template.spec.requirements.find((r: any) => r.key.endsWith('/instance-generation'));
}

describe('Karpenter pool minInstanceGeneration: this generation and newer', () => {
  test('default 6: the requirement is unchanged, instance-generation Gt "5" (m6i and newer, not m5)', () => {
    expect(generationRequirement()).toEqual({ key: 'karpenter.k8s.aws/instance-generation', operator: 'Gt', values: ['5'] });
  });

  test('6 given: Gt "5"', () => {
    expect(generationRequirement({ minInstanceGeneration: 6 })).toEqual({ key: 'karpenter.k8s.aws/instance-generation', operator: 'Gt', values: ['5'] });
  });

  test('7 given: Gt "6" (seventh generation and newer)', () => {
    expect(generationRequirement({ minInstanceGeneration: 7 })).toEqual({ key: 'karpenter.k8s.aws/instance-generation', operator: 'Gt', values: ['6'] });
  });

  test('1 given (every generation): Gt "0"', () => {
    expect(generationRequirement({ minInstanceGeneration: 1 })).toEqual({ key: 'karpenter.k8s.aws/instance-generation', operator: 'Gt', values: ['0'] });
  });

  test('refused: 0 (no generation 0)', () => {
    expect(errorOf(() => karpenterOf().addNodePool('p', { maxCpu: 10, minInstanceGeneration: 0 }))).toBe(
      'test/karpenter/p: minInstanceGeneration (0) must be a whole number between 1 and 20 (the oldest instance generation the pool launches); use 6 (sixth generation and newer)');
  });

  test('refused: 21', () => {
    expect(errorOf(() => karpenterOf().addNodePool('p', { maxCpu: 10, minInstanceGeneration: 21 }))).toBe(
      'test/karpenter/p: minInstanceGeneration (21) must be a whole number between 1 and 20 (the oldest instance generation the pool launches); use 6 (sixth generation and newer)');
  });

  test('refused: not a whole number', () => {
    expect(errorOf(() => karpenterOf().addNodePool('p', { maxCpu: 10, minInstanceGeneration: 6.5 }))).toBe(
      'test/karpenter/p: minInstanceGeneration (6.5) must be a whole number between 1 and 20 (the oldest instance generation the pool launches); use 6 (sixth generation and newer)');
  });
});

describe('EKS Auto Mode pool minInstanceGeneration', () => {
  test('7 given: Gt "6" under the Auto Mode prefix', () => {
    const c = cluster(newStack(), { admins: ['arn:aws:iam::123456789012:role/admin'], autoMode: {} });
    const pool = c.addAutoModeNodePool('batch', { maxCpu: 50, minInstanceGeneration: 7 });
    const nodePool = new k8sKarpenter.NodePool(new Chart(Testing.app(), 'auto'), 'pool', { pool: pool.profile });
    expect(nodePool.apiObject.toJson().spec.template.spec.requirements).toContainEqual(
      { key: 'eks.amazonaws.com/instance-generation', operator: 'Gt', values: ['6'] });
  });
});
