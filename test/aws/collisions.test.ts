// Issue 11, AWS side: node pool names and ServiceAccount bindings are unique per cluster, across constructs.
import { cluster, errorOf, newStack } from './util';
import * as aws from '../../lib/aws';

describe('node pool name collisions (one name per cluster)', () => {
  test('two constructs producing prod-system: a default name and an explicit one', () => {
    const c = cluster(newStack());
    c.addNodePool('system');
    expect(errorOf(() => c.addNodePool('critical', { name: 'prod-system' }))).toBe(
      'test/prod/critical: name ("prod-system") is already the name of node pool test/prod/system in cluster prod '
      + '(node pool names share the shipshape.dev/node-pool label and must be unique per cluster); give one of the two pools another id or an explicit name');
  });

  test('a managed node group and a Karpenter NodePool of one name', () => {
    const stack = newStack();
    const c = cluster(stack);
    c.addNodePool('system');
    const k = new aws.Karpenter(stack, 'karpenter', { cluster: c, amiAlias: 'al2023@v20250704' });
    expect(errorOf(() => k.addNodePool('system', { maxCpu: 10 }))).toBe(
      'test/karpenter/system: name ("prod-system") is already the name of node pool test/prod/system in cluster prod '
      + '(node pool names share the shipshape.dev/node-pool label and must be unique per cluster); give one of the two pools another id or an explicit name');
  });

  test('a pool on an imported cluster and one on the cluster itself (same name and region)', () => {
    const stack = newStack();
    const c = cluster(stack);
    c.addNodePool('system');
    const imported = aws.EksCluster.fromClusterAttributes(stack, 'again', { clusterName: 'prod', network: c.network, kubernetesVersion: aws.KubernetesVersion.V1_33 });
    expect(errorOf(() => imported.addNodePool('other', { name: 'prod-system' }))).toBe(
      'test/again/other: name ("prod-system") is already the name of node pool test/prod/system in cluster prod '
      + '(node pool names share the shipshape.dev/node-pool label and must be unique per cluster); give one of the two pools another id or an explicit name');
  });

  test('an Auto Mode pool named like a built-in pool', () => {
    const c = cluster(newStack(), { autoMode: {} });
    expect(errorOf(() => c.addAutoModeNodePool('x', { name: 'system', maxCpu: 10 }))).toBe(
      'test/prod/x: name ("system") is already the name of node pool test/prod (EKS Auto Mode built-in pool) in cluster prod '
      + '(node pool names share the shipshape.dev/node-pool label and must be unique per cluster); give one of the two pools another id or an explicit name');
  });

  test('one name in two clusters is fine', () => {
    const stack = newStack();
    const a = cluster(stack);
    const b = new aws.EksCluster(stack, 'other', { network: a.network, version: aws.KubernetesVersion.V1_33 });
    a.addNodePool('pool', { name: 'shared-name' });
    expect(b.addNodePool('pool', { name: 'shared-name' }).name).toBe('shared-name');
  });
});

describe('one workload identity per ServiceAccount (per cluster)', () => {
  test('two identities for shop/orders-api', () => {
    const c = cluster(newStack());
    c.addWorkloadIdentity('orders', { namespace: 'shop', serviceAccount: 'orders-api' });
    expect(errorOf(() => c.addWorkloadIdentity('orders-v2', { namespace: 'shop', serviceAccount: 'orders-api', mechanism: aws.IdentityMechanism.POD_IDENTITY }))).toBe(
      'test/prod/orders-v2: serviceAccount ("shop/orders-api") already has a workload identity (test/prod/orders) in cluster prod; '
      + 'a ServiceAccount can carry one IAM role only; give the two workloads their own ServiceAccounts, or merge the permissions into one identity');
  });

  test('an identity for a ServiceAccount a built-in add-on identity holds (kube-system/aws-node)', () => {
    const c = cluster(newStack());
    expect(errorOf(() => c.addWorkloadIdentity('cni', { namespace: 'kube-system', serviceAccount: 'aws-node' }))).toBe(
      'test/prod/cni: serviceAccount ("kube-system/aws-node") already has a workload identity (test/prod/vpc-cni-identity) in cluster prod; '
      + 'a ServiceAccount can carry one IAM role only; give the two workloads their own ServiceAccounts, or merge the permissions into one identity');
  });

  test('an identity for the Karpenter controller ServiceAccount', () => {
    const stack = newStack();
    const c = cluster(stack);
    new aws.Karpenter(stack, 'karpenter', { cluster: c, amiAlias: 'al2023@v20250704' });
    expect(errorOf(() => c.addWorkloadIdentity('k', { namespace: 'kube-system', serviceAccount: 'karpenter' }))).toBe(
      'test/prod/k: serviceAccount ("kube-system/karpenter") already has a workload identity (test/karpenter/controller) in cluster prod; '
      + 'a ServiceAccount can carry one IAM role only; give the two workloads their own ServiceAccounts, or merge the permissions into one identity');
  });

  test('the same ServiceAccount in another namespace or another cluster is fine', () => {
    const stack = newStack();
    const a = cluster(stack);
    const b = new aws.EksCluster(stack, 'other', { network: a.network, version: aws.KubernetesVersion.V1_33 });
    a.addWorkloadIdentity('x', { namespace: 'shop', serviceAccount: 'api' });
    expect(a.addWorkloadIdentity('y', { namespace: 'billing', serviceAccount: 'api' }).namespace).toBe('billing');
    expect(b.addWorkloadIdentity('x', { namespace: 'shop', serviceAccount: 'api' }).serviceAccount).toBe('api');
  });
});
