import { cluster, errorOf, newStack, resourceAt, resources, synth } from './util';
import * as aws from '../../lib/aws';

describe('EKS Auto Mode', () => {
  const stack = newStack();
  const c = cluster(stack, { autoMode: {} });
  const pool = c.addAutoModeNodePool('spot', { maxCpu: 50, capacityTypes: [aws.KarpenterCapacityType.SPOT] });
  const json = synth(stack);
  const eks = resources(json, 'aws_eks_cluster')[0];

  test('compute with both built-in pools and the Auto Mode node role; block storage; load balancing', () => {
    expect(eks.compute_config).toEqual({
      enabled: true,
      node_pools: ['system', 'general-purpose'],
      node_role_arn: expect.stringMatching(/^\$\{aws_iam_role\.prod_auto-node-role_[0-9A-F]+\.arn\}$/),
    });
    expect(eks.storage_config).toEqual({ block_storage: { enabled: true } });
    expect(eks.kubernetes_network_config).toEqual({ elastic_load_balancing: { enabled: true } });
    expect(eks.bootstrap_self_managed_addons).toBe(false);
  });

  test('the node role: EC2 trust, minimal worker and pull-only policies; no access entry (EKS creates it)', () => {
    const role = resourceAt(json, 'aws_iam_role', 'prod_auto-node-role');
    expect(role.name).toBe('prod-auto-node');
    expect(JSON.parse(role.assume_role_policy).Statement).toEqual([{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }]);
    const attached = resources(json, 'aws_iam_role_policy_attachment').filter((a) => a.role.includes('prod_auto-node-role')).map((a) => a.policy_arn.split('/').pop()).sort();
    expect(attached).toEqual(['AmazonEC2ContainerRegistryPullOnly', 'AmazonEKSWorkerNodeMinimalPolicy']);
    expect(resources(json, 'aws_eks_access_entry').filter((e) => String(e.principal_arn).includes('auto-node-role'))).toEqual([]);
    expect(eks.depends_on.some((d: string) => d.includes('auto-node-AmazonEKSWorkerNodeMinimalPolicy'))).toBe(true);
  });

  test('the cluster role: sts:TagSession and the four Auto Mode policies', () => {
    expect(JSON.parse(resourceAt(json, 'aws_iam_role', 'prod_role').assume_role_policy).Statement[0].Action).toEqual(['sts:AssumeRole', 'sts:TagSession']);
    const attached = resources(json, 'aws_iam_role_policy_attachment').filter((a) => /prod_role_/.test(a.role)).map((a) => a.policy_arn.split('/').pop()).sort();
    expect(attached).toEqual(['AmazonEKSBlockStoragePolicy', 'AmazonEKSClusterPolicy', 'AmazonEKSComputePolicy', 'AmazonEKSLoadBalancingPolicy', 'AmazonEKSNetworkingPolicy']);
  });

  test('no managed add-on and no add-on identity; the SS-EKS-022 opt-out is recorded', () => {
    expect(resources(json, 'aws_eks_addon')).toEqual([]);
    expect(resources(json, 'aws_iam_role').map((r) => r.name)).not.toContain('prod-vpc-cni');
    expect(c.addons).toEqual({});
  });

  test('profile: Auto Mode, its StorageClass provisioner, NetworkPolicy not enforced until switched on, the extra pool', () => {
    const p = c.profile;
    expect(p.autoMode).toBe(true);
    expect(p.storageClasses[0].provisioner).toBe('ebs.csi.eks.amazonaws.com');
    expect(p.networkPolicyEnforced).toBe(false);
    expect(p.autoModeNodePools).toEqual([pool.profile]);
    expect(p.autoModeBuiltInPools).toEqual(['system', 'general-purpose']);
    expect(pool.profile).toMatchObject({ nodeClassGroup: 'eks.amazonaws.com', nodeClassKind: 'NodeClass', nodeClassName: 'default', expireAfter: '336h', capacityTypes: ['spot'] });
    // Auto Mode's own ALB controller serves the default ingress class; load balancers reach pods from the VPC
    expect(p.ingressClasses).toEqual([{ name: 'alb', controller: 'eks.amazonaws.com/alb', isDefault: true }]);
    expect(p.vpcCidr).toBe('10.0.0.0/16');
  });

  test('only the system pool', () => {
    const s = newStack();
    const only = cluster(s, { autoMode: { nodePools: [aws.AutoModeNodePool.SYSTEM] } });
    expect(resources(synth(s), 'aws_eks_cluster')[0].compute_config.node_pools).toEqual(['system']);
    // the Kubernetes side checks workloads against the system pool alone (tainted CriticalAddonsOnly)
    expect(only.profile.autoModeBuiltInPools).toEqual(['system']);
  });

  test('without Auto Mode: no compute, storage or load-balancing block; the classic provisioner', () => {
    const s = newStack();
    const plain = cluster(s);
    const e = resources(synth(s), 'aws_eks_cluster')[0];
    expect(e.compute_config).toBeUndefined();
    expect(e.storage_config).toBeUndefined();
    expect(e.kubernetes_network_config).toBeUndefined();
    expect(plain.profile.storageClasses[0].provisioner).toBe('ebs.csi.aws.com');
    expect(plain.profile.autoModeNodePools).toBeUndefined();
    expect(plain.profile.autoModeBuiltInPools).toBeUndefined();
    expect(plain.profile.ingressClasses).toBeUndefined();
    expect(plain.profile.helmReleases).toBeUndefined();
  });
});

describe('EKS Auto Mode refusals', () => {
  test('no built-in pool', () => {
    expect(errorOf(() => cluster(newStack(), { autoMode: { nodePools: [] } }))).toBe(
      'test/prod: autoMode.nodePools ([]) must enable at least one built-in node pool (custom node classes with their own role are not supported); '
      + 'leave nodePools out for both built-in pools, or list AutoModeNodePool.SYSTEM and/or GENERAL_PURPOSE');
  });

  test('an unknown built-in pool', () => {
    expect(errorOf(() => cluster(newStack(), { autoMode: { nodePools: ['gpu' as any] } }))).toBe(
      'test/prod: autoMode.nodePools ("gpu") must be one of system, general-purpose; use AutoModeNodePool.SYSTEM or GENERAL_PURPOSE');
  });

  test('add-on versions', () => {
    expect(errorOf(() => cluster(newStack(), {
      autoMode: {},
      addonVersions: { vpcCni: 'v1.20.1-eksbuild.3', coreDns: 'v1.12.4-eksbuild.1', kubeProxy: 'v1.33.5-eksbuild.2', ebsCsiDriver: 'v1.45.0-eksbuild.2', podIdentityAgent: 'v1.3.8-eksbuild.2' },
    }))).toMatch(/^test\/prod: addonVersions \(.*\) must be left out with autoMode \(EKS Auto Mode runs the networking and storage components itself\); remove addonVersions$/);
  });

  test('a managed node group', () => {
    expect(errorOf(() => cluster(newStack(), { autoMode: {} }).addNodePool('system'))).toBe(
      'test/prod: addNodePool ("system") is not available with autoMode (EKS Auto Mode runs the nodes; managed node groups would need the add-ons Auto Mode replaces); '
      + 'declare more capacity as a Kubernetes NodePool for Auto Mode, or build the cluster without autoMode');
  });

  test('an Auto Mode pool on a cluster without Auto Mode', () => {
    expect(errorOf(() => cluster(newStack()).addAutoModeNodePool('x', { maxCpu: 10 }))).toBe(
      'test/prod: addAutoModeNodePool ("x") needs a cluster with autoMode; set autoMode: {} on the cluster, or declare the pool with Karpenter.addNodePool');
  });

  test('a node lifetime beyond 21 days', () => {
    expect(errorOf(() => cluster(newStack(), { autoMode: {} }).addAutoModeNodePool('x', { maxCpu: 10, expireAfter: '720h' }))).toBe(
      'test/prod/x: expireAfter ("720h") must be at most 504h with EKS Auto Mode (Auto Mode replaces every node within 21 days); '
      + "use '504h' or less, or leave expireAfter out for the Auto Mode default, '336h' (14 days)");
    expect(errorOf(() => cluster(newStack(), { autoMode: {} }).addAutoModeNodePool('z', { maxCpu: 10, expireAfter: '600h' }))).toBe(
      'test/prod/z: expireAfter ("600h") must be at most 504h with EKS Auto Mode (Auto Mode replaces every node within 21 days); '
      + "use '504h' or less, or leave expireAfter out for the Auto Mode default, '336h' (14 days)");
    // the limit the fix names is the limit applied: 504h is accepted, a second more is not
    const c = cluster(newStack(), { autoMode: {} });
    expect(c.addAutoModeNodePool('max', { maxCpu: 10, expireAfter: '504h' }).profile.expireAfter).toBe('504h');
    expect(errorOf(() => c.addAutoModeNodePool('over', { maxCpu: 10, expireAfter: '503h60m1s' }))).toMatch(/^test\/prod\/over: expireAfter \("503h60m1s"\) must be at most 504h/);
    expect(errorOf(() => cluster(newStack(), { autoMode: {} }).addAutoModeNodePool('y', { maxCpu: 10, expireAfter: 'Never' }))).toMatch(/^test\/prod\/y: expireAfter \("Never"\) must be at most 504h/);
  });
});
