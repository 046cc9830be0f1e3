/**
 * What scales the managed node groups: the cluster-autoscaler an EksCluster adds by default (identity, least-privilege
 * policy, Helm release), `nodeGroupScaling` NONE / EXTERNAL, and how the Kubernetes side counts the nodes a pool can
 * have (a pool nothing scales holds its desired size, not its maxSize).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Chart } from 'cdk8s';
import { App as TfApp, TerraformStack, Testing } from 'cdktf';
import { terraformValidate } from './terraform-validate';
import { cluster, errorOf, network, newStack, resourceAt, resources, synth, TAGS } from './util';
import * as aws from '../../lib/aws';
import { ClusterProfile, EnvironmentProfile } from '../../lib/core';
import * as k8s from '../../lib/k8s';

const ADMIN = 'arn:aws:iam::123456789012:role/admin';
const IMAGE = 'ghcr.io/acme/batch:1.2.0';
const SPOT_TAINT = { key: 'shipshape.dev/spot', value: 'true', effect: aws.TaintEffect.NO_SCHEDULE };

/** A production cluster with an untainted pool (3 to 9 nodes) and, optionally, more pools. */
function withPools(props: Partial<aws.EksClusterProps> = {}) {
  const stack = newStack();
  const c = cluster(stack, { admins: [ADMIN], account: '123456789012', ...props });
  const general = c.addNodePool('general');
  return { stack, c, general };
}

function policyOf(json: any, idSuffix: string): any[] {
  return JSON.parse(resourceAt(json, 'aws_iam_role_policy', idSuffix).policy).Statement;
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** Synthesizes the Kubernetes side on `profile`; returns the error message, or '' when synth passed. */
function kubeSynth(profile: ClusterProfile, build: (chart: Chart) => void): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-ca-'));
  dirs.push(outdir);
  const app = new k8s.App({ outdir, cluster: profile });
  build(new Chart(app, 'shop', { namespace: 'shop' }));
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    app.synth();
    return '';
  } catch (e) {
    return (e as Error).message;
  } finally {
    spy.mockRestore();
  }
}

describe('the cluster-autoscaler an EksCluster adds by default', () => {
  test('a pool that can grow brings it in: Pod Identity for kube-system/cluster-autoscaler, trusted by this cluster, namespace and ServiceAccount only', () => {
    const { stack, c } = withPools();
    const ca = c.clusterAutoscaler!;
    expect(ca).toBeInstanceOf(aws.ClusterAutoscaler);
    expect(c.nodeGroupScaling).toBe(aws.NodeGroupScaling.CLUSTER_AUTOSCALER);
    const json = synth(stack);
    const association = resourceAt(json, 'aws_eks_pod_identity_association', 'cluster-autoscaler_identity_association');
    expect(association).toMatchObject({ namespace: 'kube-system', service_account: 'cluster-autoscaler' });
    expect(association.cluster_name).toMatch(/^\$\{aws_eks_cluster\.prod_cluster_[0-9A-F]{8}\.name\}$/);
    const role = resourceAt(json, 'aws_iam_role', 'cluster-autoscaler_identity_role');
    expect(role.name).toBe('prod-cluster-autoscaler');
    expect(JSON.parse(role.assume_role_policy).Statement).toEqual([{
      Effect: 'Allow',
      Principal: { Service: 'pods.eks.amazonaws.com' },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
      Condition: {
        StringEquals: {
          // the cluster was given its account: the ARN is literal
          'aws:RequestTag/eks-cluster-arn': 'arn:aws:eks:eu-west-1:123456789012:cluster/prod',
          'aws:RequestTag/kubernetes-namespace': 'kube-system',
          'aws:RequestTag/kubernetes-service-account': 'cluster-autoscaler',
        },
      },
    }]);
  });

  test('least-privilege policy: describe calls in the region; scaling only of Auto Scaling groups tagged for this cluster; DescribeNodegroup on its node groups', () => {
    const { stack } = withPools();
    expect(policyOf(synth(stack), 'cluster-autoscaler_identity_policy')).toEqual([
      {
        Sid: 'Describe',
        Effect: 'Allow',
        Action: [
          'autoscaling:DescribeAutoScalingGroups', 'autoscaling:DescribeAutoScalingInstances', 'autoscaling:DescribeLaunchConfigurations',
          'autoscaling:DescribeScalingActivities', 'ec2:DescribeImages', 'ec2:DescribeInstanceTypes', 'ec2:DescribeLaunchTemplateVersions',
          'ec2:GetInstanceTypesFromInstanceRequirements',
        ],
        Resource: ['*'],
        Condition: { StringEquals: { 'aws:RequestedRegion': ['eu-west-1'] } },
      },
      {
        Sid: 'ScaleClusterNodeGroups',
        Effect: 'Allow',
        Action: ['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup'],
        Resource: ['arn:aws:autoscaling:eu-west-1:123456789012:autoScalingGroup:*:autoScalingGroupName/*'],
        Condition: { StringEquals: { 'aws:ResourceTag/k8s.io/cluster-autoscaler/prod': ['owned'] } },
      },
      {
        Sid: 'DescribeClusterNodeGroups',
        Effect: 'Allow',
        Action: ['eks:DescribeNodegroup'],
        Resource: ['arn:aws:eks:eu-west-1:123456789012:nodegroup/prod/*/*'],
      },
    ]);
  });

  test('the release: the chart pinned for 1.33, auto-discovery by cluster name, the region, the ServiceAccount the identity trusts', () => {
    const { c } = withPools();
    const ca = c.clusterAutoscaler!;
    expect(ca.release).toEqual({
      repository: 'https://kubernetes.github.io/autoscaler',
      chart: 'cluster-autoscaler',
      version: '9.51.0',
      releaseName: 'cluster-autoscaler',
      namespace: 'kube-system',
      serviceAccountName: 'cluster-autoscaler',
      identity: ca.identity.profile,
      values: {
        'cloudProvider': 'aws',
        'autoDiscovery.clusterName': 'prod',
        'awsRegion': 'eu-west-1',
        'rbac.serviceAccount.create': 'true',
        'rbac.serviceAccount.name': 'cluster-autoscaler',
        'replicaCount': '2',
        'extraArgs.skip-nodes-with-local-storage': 'false',
        'extraArgs.expander': 'least-waste',
        'tolerations[0].key': 'CriticalAddonsOnly',
        'tolerations[0].operator': 'Exists',
        'resources.requests.cpu': '100m',
        'resources.requests.memory': '600Mi',
        'resources.limits.memory': '600Mi',
      },
    });
    expect(ca.identity.profile).toMatchObject({ namespace: 'kube-system', serviceAccount: 'cluster-autoscaler', mechanism: 'pod-identity', clusterName: 'prod' });
  });

  test('the profile: the release among the Helm releases (after the Load Balancer Controller\'s), the identity, the pools marked autoscaled; plain values only', () => {
    const { c } = withPools();
    const lbc = c.addLoadBalancerController();
    const p = c.profile;
    expect(p.helmReleases).toEqual([lbc.release, c.clusterAutoscaler!.release]);
    expect(p.workloadIdentities).toContainEqual(c.clusterAutoscaler!.identity.profile);
    expect(p.nodePools).toEqual([expect.objectContaining({ name: 'prod-general', minSize: 3, maxSize: 9, desiredSize: 3, autoscaled: true })]);
    expect(JSON.stringify(p)).not.toMatch(/TfToken|\$\{/);
    // what AddOnPack.clusterReleases() hands a fleet
    const pack = k8s.platform.AddOnPack.clusterReleases();
    expect(pack._releasesFor({ cluster: 'prod', environment: 'production', profile: p } as any, 'x').map((r) => r.chart))
      .toEqual(['aws-load-balancer-controller', 'cluster-autoscaler']);
  });

  test('Terraform leaves the desired size of a pool it scales to the autoscaler', () => {
    const { stack } = withPools();
    const group = resourceAt(synth(stack), 'aws_eks_node_group', 'general_node-group');
    expect(group.scaling_config).toEqual({ min_size: 3, max_size: 9, desired_size: 3 });
    expect(group.lifecycle).toEqual({ create_before_destroy: true, ignore_changes: ['scaling_config[0].desired_size'] });
  });

  test('the chart follows the cluster\'s Kubernetes minor version (cluster-autoscaler supports only its own)', () => {
    const pinned: Array<[aws.KubernetesVersion, string]> = [
      [aws.KubernetesVersion.V1_29, '9.36.0'], [aws.KubernetesVersion.V1_30, '9.37.0'], [aws.KubernetesVersion.V1_31, '9.44.0'],
      [aws.KubernetesVersion.V1_32, '9.46.6'], [aws.KubernetesVersion.V1_33, '9.51.0'], [aws.KubernetesVersion.V1_34, '9.53.0'],
    ];
    for (const [version, chart] of pinned) {
      const c = cluster(newStack(), { version });
      c.addNodePool('general');
      expect([version.version, c.clusterAutoscaler!.version]).toEqual([version.version, chart]);
    }
  });

  test('options: chart version of the same minor, mirrors, replicas; a development cluster runs one replica', () => {
    const { c } = withPools({
      clusterAutoscaler: {
        version: '9.50.1',
        chartRepository: 'oci://123456789012.dkr.ecr.eu-west-1.amazonaws.com/charts',
        imageRepository: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/cluster-autoscaler',
        replicas: 3,
      },
    });
    const r = c.clusterAutoscaler!.release;
    expect([r.version, r.repository]).toEqual(['9.50.1', 'oci://123456789012.dkr.ecr.eu-west-1.amazonaws.com/charts']);
    expect(r.values).toMatchObject({ 'image.repository': '123456789012.dkr.ecr.eu-west-1.amazonaws.com/cluster-autoscaler', 'replicaCount': '3' });
    const dev = cluster(newStack(), {}, EnvironmentProfile.DEVELOPMENT);
    dev.addNodePool('general');
    expect(dev.clusterAutoscaler!.release.values.replicaCount).toBe('1');
  });

  test('errors, at construction: a chart whose autoscaler is of another Kubernetes minor, an unknown chart version, bad mirrors or replicas', () => {
    expect(errorOf(() => cluster(newStack(), { clusterAutoscaler: { version: '9.46.6' } }))).toBe(
      'test/prod: clusterAutoscaler.version ("9.46.6") installs cluster-autoscaler 1.32, but the cluster runs Kubernetes 1.33: '
      + 'cluster-autoscaler supports only its own minor version; use 9.51.0 or leave version out');
    expect(errorOf(() => cluster(newStack(), { clusterAutoscaler: { version: 'latest' } }))).toBe(
      'test/prod: clusterAutoscaler.version ("latest") must be an exact chart version of cluster-autoscaler 1.33, the cluster\'s Kubernetes minor version '
      + '(9.47.0, 9.48.0, 9.49.0, 9.50.0, 9.50.1, 9.51.0); use 9.51.0 or leave version out');
    expect(errorOf(() => cluster(newStack(), { clusterAutoscaler: { chartRepository: 'kubernetes.github.io/autoscaler' } }))).toBe(
      'test/prod: clusterAutoscaler.chartRepository ("kubernetes.github.io/autoscaler") must be an https:// or oci:// chart repository; '
      + 'use \'https://kubernetes.github.io/autoscaler\' or your mirror');
    expect(errorOf(() => cluster(newStack(), { clusterAutoscaler: { imageRepository: 'registry.k8s.io/autoscaling/cluster-autoscaler:v1.33.0' } }))).toBe(
      'test/prod: clusterAutoscaler.imageRepository ("registry.k8s.io/autoscaling/cluster-autoscaler:v1.33.0") must be an image repository without tag or digest '
      + '(registry/path); use for example \'123456789012.dkr.ecr.eu-west-1.amazonaws.com/cluster-autoscaler\'');
    expect(errorOf(() => cluster(newStack(), { clusterAutoscaler: { replicas: 0 } }))).toBe(
      'test/prod: clusterAutoscaler.replicas (0) must be a whole number from 1 to 10; use 2 (one active, one standby)');
    // the construct on its own names its own props
    const imported = aws.EksCluster.fromClusterAttributes(newStack(), 'legacy', { clusterName: 'legacy', network: network(newStack()), kubernetesVersion: aws.KubernetesVersion.V1_32 });
    expect(errorOf(() => new aws.ClusterAutoscaler(imported, 'ca', { cluster: imported, version: '9.51.0' }))).toBe(
      'test/legacy/ca: version ("9.51.0") installs cluster-autoscaler 1.33, but the cluster runs Kubernetes 1.32: '
      + 'cluster-autoscaler supports only its own minor version; use 9.46.6 or leave version out');
  });

  test('no pool that can grow, no autoscaler: fixed pools need none', () => {
    const stack = newStack();
    const c = cluster(stack, { admins: [ADMIN] });
    c.addNodePool('general', { minSize: 3, maxSize: 3 });
    expect(c.clusterAutoscaler).toBeUndefined();
    expect(c.profile.helmReleases).toBeUndefined();
    expect(c.profile.nodePools[0]).toMatchObject({ minSize: 3, maxSize: 3, desiredSize: 3, autoscaled: false });
    const json = synth(stack);
    expect(resources(json, 'aws_iam_role').map((r) => r.name)).not.toContain('prod-cluster-autoscaler');
    // nothing else changes the desired size: Terraform keeps it
    expect(resourceAt(json, 'aws_eks_node_group', 'general_node-group').lifecycle).toEqual({ create_before_destroy: true });
  });

  test('a NodePool made with new NodePool(scope, id, { cluster }) brings the autoscaler in as addNodePool does', () => {
    const stack = newStack();
    const c = cluster(stack, { admins: [ADMIN] });
    const pool = new aws.NodePool(stack, 'workers', { cluster: c });
    expect(pool.autoscaled).toBe(true);
    expect(c.clusterAutoscaler).toBeDefined();
  });
});

describe('nodeGroupScaling', () => {
  test('NONE: no autoscaler; each pool holds its desired size, which Terraform sets', () => {
    const { stack, c } = withPools({ nodeGroupScaling: aws.NodeGroupScaling.NONE });
    const batch = c.addNodePool('batch', { minSize: 0, maxSize: 5, desiredSize: 1, taints: [SPOT_TAINT] });
    expect(c.clusterAutoscaler).toBeUndefined();
    expect(batch.autoscaled).toBe(false);
    const p = c.profile;
    expect(p.helmReleases).toBeUndefined();
    expect(p.workloadIdentities).toEqual([]);
    expect(p.nodePools.map((n) => [n.name, n.desiredSize, n.autoscaled])).toEqual([['prod-general', 3, false], ['prod-batch', 1, false]]);
    const json = synth(stack);
    expect(resources(json, 'aws_eks_pod_identity_association')).toEqual([]);
    for (const group of resources(json, 'aws_eks_node_group')) expect(group.lifecycle).toEqual({ create_before_destroy: true });
    // the maxSize given is capacity that never comes: said on the pool; the default maxSize is not the user's, no warning
    const warnings = (n: any) => n.node.metadata.filter((m: any) => m.type === 'shipshape:warning').map((m: any) => m.data);
    expect(warnings(batch)).toEqual(['maxSize (5) is never reached: the cluster\'s nodeGroupScaling is NodeGroupScaling.NONE, so nothing scales this pool and it keeps desiredSize (1) nodes; '
      + 'set desiredSize to the nodes it needs, or let an autoscaler scale it (NodeGroupScaling.CLUSTER_AUTOSCALER or EXTERNAL)']);
    expect(warnings(c.node.findChild('general'))).toEqual([]);
  });

  test('EXTERNAL: no autoscaler from shipshape; Terraform ignores the desired size, and pools that can grow count as scaled', () => {
    const { stack, c } = withPools({ nodeGroupScaling: aws.NodeGroupScaling.EXTERNAL });
    expect(c.clusterAutoscaler).toBeUndefined();
    expect(c.profile.helmReleases).toBeUndefined();
    expect(c.profile.nodePools[0]).toMatchObject({ autoscaled: true });
    expect(resourceAt(synth(stack), 'aws_eks_node_group', 'general_node-group').lifecycle)
      .toEqual({ create_before_destroy: true, ignore_changes: ['scaling_config[0].desired_size'] });
  });

  test('errors: options without the autoscaler; either with Auto Mode', () => {
    expect(errorOf(() => cluster(newStack(), { nodeGroupScaling: aws.NodeGroupScaling.NONE, clusterAutoscaler: { replicas: 3 } }))).toBe(
      'test/prod: clusterAutoscaler ({"replicas":3}) must be left out with nodeGroupScaling NONE (shipshape adds no cluster-autoscaler then); '
      + 'remove clusterAutoscaler, or use NodeGroupScaling.CLUSTER_AUTOSCALER');
    expect(errorOf(() => cluster(newStack(), { autoMode: {}, nodeGroupScaling: aws.NodeGroupScaling.CLUSTER_AUTOSCALER }))).toBe(
      'test/prod: nodeGroupScaling ("CLUSTER_AUTOSCALER") must be left out with autoMode (EKS Auto Mode scales its own nodes and has no managed node group); '
      + 'remove nodeGroupScaling');
    expect(errorOf(() => new aws.ClusterAutoscaler(newStack(), 'ca', { cluster: cluster(newStack(), { autoMode: {} }) }))).toBe(
      'test/ca: cluster ("prod") runs EKS Auto Mode, which scales its own nodes and has no managed node group; leave the cluster-autoscaler out');
  });

  test('Auto Mode is unaffected: no autoscaler, no scaling mode, no release', () => {
    const c = cluster(newStack(), { autoMode: {}, admins: [ADMIN] });
    expect(c.nodeGroupScaling).toBeUndefined();
    expect(c.clusterAutoscaler).toBeUndefined();
    expect(c.profile.helmReleases).toBeUndefined();
    expect(c.profile.nodePools).toEqual([]);
  });

  test('a network without internet access: NONE by default; the autoscaler asked for needs the Auto Scaling and EKS endpoints', () => {
    const isolated = newStack();
    const c = new aws.EksCluster(isolated, 'prod', {
      network: network(isolated, { internetAccess: false }), version: aws.KubernetesVersion.V1_33, admins: [ADMIN],
    });
    c.addNodePool('general');
    expect([c.nodeGroupScaling, c.clusterAutoscaler]).toEqual([aws.NodeGroupScaling.NONE, undefined]);

    const asked = newStack();
    const net = network(asked, { internetAccess: false });
    new aws.VpcEndpoints(asked, 'endpoints', { network: net });
    const withCa = new aws.EksCluster(asked, 'prod', {
      network: net,
      version: aws.KubernetesVersion.V1_33,
      admins: [ADMIN],
      clusterAutoscaler: { imageRepository: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/cluster-autoscaler' },
    });
    withCa.addNodePool('general');
    expect(withCa.nodeGroupScaling).toBe(aws.NodeGroupScaling.CLUSTER_AUTOSCALER);
    expect(errorOf(() => Testing.synth(asked, true))).toContain(
      'test/prod/cluster-autoscaler: network (test/net) has no internet access and no VPC endpoint for autoscaling, eks, which the cluster-autoscaler calls '
      + '(the Auto Scaling API to find and scale the node groups, the EKS API for the labels and taints of a pool at zero nodes); '
      + 'add VpcEndpointService.AUTOSCALING and VpcEndpointService.EKS to the network\'s VpcEndpoints, or leave the autoscaler out (nodeGroupScaling: NodeGroupScaling.NONE)');

    const complete = newStack();
    const net2 = network(complete, { internetAccess: false });
    const s = aws.VpcEndpointService;
    new aws.VpcEndpoints(complete, 'endpoints', { network: net2, services: [...s.eksNodeDefaults(), s.AUTOSCALING, s.EKS] });
    const ok = new aws.EksCluster(complete, 'prod', { network: net2, version: aws.KubernetesVersion.V1_33, admins: [ADMIN], nodeGroupScaling: aws.NodeGroupScaling.CLUSTER_AUTOSCALER });
    ok.addNodePool('general');
    const json = JSON.parse(Testing.synth(complete, true));
    expect(resources(json, 'aws_vpc_endpoint').map((e) => e.service_name)).toContain('com.amazonaws.eu-west-1.autoscaling');
    expect(ok.clusterAutoscaler).toBeDefined();
  });

  test('an imported cluster: its own autoscaler is assumed (EXTERNAL); NONE makes its pools fixed; shipshape adds none there', () => {
    const stack = newStack();
    const net = network(stack);
    const attrs = { network: net, kubernetesVersion: aws.KubernetesVersion.V1_32 };
    const legacy = aws.EksCluster.fromClusterAttributes(stack, 'legacy', { ...attrs, clusterName: 'legacy' });
    expect(legacy.addNodePool('workers').autoscaled).toBe(true);
    const fixed = aws.EksCluster.fromClusterAttributes(stack, 'fixed', { ...attrs, clusterName: 'fixed', nodeGroupScaling: aws.NodeGroupScaling.NONE });
    const pool = fixed.addNodePool('workers');
    expect(pool.autoscaled).toBe(false);
    expect(pool.profile).toMatchObject({ desiredSize: 3, autoscaled: false });
    expect(resourceAt(synth(stack), 'aws_eks_node_group', 'fixed_workers_node-group').lifecycle).toEqual({ create_before_destroy: true });
    expect(errorOf(() => aws.EksCluster.fromClusterAttributes(newStack(), 'x', { ...attrs, network: network(newStack()), clusterName: 'x', nodeGroupScaling: aws.NodeGroupScaling.CLUSTER_AUTOSCALER }))).toBe(
      'test/x: nodeGroupScaling ("CLUSTER_AUTOSCALER") must be NodeGroupScaling.EXTERNAL or NONE on a cluster shipshape did not create (it adds no autoscaler there); '
      + 'keep EXTERNAL and build a ClusterAutoscaler for the cluster, handing its release to the Kubernetes side');
    // its own cluster-autoscaler, built for it: identity and release for the caller to hand over
    const ca = new aws.ClusterAutoscaler(stack, 'legacy-autoscaler', { cluster: legacy });
    expect(ca.release.version).toBe('9.46.6');
    expect(ca.release.values['autoDiscovery.clusterName']).toBe('legacy');
  });
});

describe('one program: what the Kubernetes side counts on', () => {
  /** Case A: a tainted pool that may scale to zero, and a Worker placed on it. */
  function caseA(props: Partial<aws.EksClusterProps>): string {
    const { c } = withPools(props);
    const batch = c.addNodePool('batch', { taints: [SPOT_TAINT], minSize: 0, maxSize: 5 });
    return kubeSynth(c.profile, (chart) => new k8s.Worker(chart, 'reindex', { image: IMAGE, placement: k8s.Placement.onPool(batch.profile) }));
  }

  test('a workload on a pool of zero nodes that nothing scales is refused, naming the pool and the fix', () => {
    expect(caseA({ nodeGroupScaling: aws.NodeGroupScaling.NONE })).toContain(
      'shop/reindex/Deployment: spec.template.spec of Deployment shop/reindex can run only on node pool prod-batch of cluster prod, '
      + 'which holds no node and which nothing scales (minSize 0, desiredSize 0, maxSize 5): its pods would stay Pending; '
      + 'raise minSize of prod-batch to 1 or more (and desiredSize, when set), or let the cluster-autoscaler scale it '
      + '(aws.EksCluster nodeGroupScaling: NodeGroupScaling.CLUSTER_AUTOSCALER; for a profile written by hand, autoscaled: true once an autoscaler runs)');
  });

  test('the same workload with the cluster-autoscaler (the default) is accepted: it scales the pool up from zero', () => {
    expect(caseA({})).toBe('');
  });

  test('with nothing scaling, a pool of one node or more takes the workload', () => {
    const { c } = withPools({ nodeGroupScaling: aws.NodeGroupScaling.NONE });
    const batch = c.addNodePool('batch', { taints: [SPOT_TAINT], minSize: 0, maxSize: 5, desiredSize: 1 });
    expect(kubeSynth(c.profile, (chart) => new k8s.Worker(chart, 'reindex', { image: IMAGE, placement: k8s.Placement.onPool(batch.profile) }))).toBe('');
  });

  /** Case B: replicas that each need a node of their own on the default pool (3 nodes, up to 9). */
  function caseB(props: Partial<aws.EksClusterProps>): string {
    const { c } = withPools(props);
    return kubeSynth(c.profile, (chart) => new k8s.StatefulService(chart, 'db', {
      image: IMAGE, port: 5432, readiness: k8s.Probe.exec(['pg_isready']), liveness: k8s.Probe.tcp(), replicas: 5, quorum: true, volumes: [{ name: 'data', size: '20Gi', mountPath: '/var/lib/db' }],
    }));
  }

  test('replicas that need a node each count the nodes a pool nothing scales holds, not its maxSize', () => {
    expect(caseB({ nodeGroupScaling: aws.NodeGroupScaling.NONE })).toContain(
      'shop/db/StatefulSet: spec.replicas (5) of StatefulSet shop/db need a node each (a required pod anti-affinity on kubernetes.io/hostname), '
      + 'but the node pools that can take its pods hold 3 nodes at most (prod-general: 3 nodes, nothing scales it (minSize 3, desiredSize 3, maxSize 9)): '
      + '2 would stay Pending; let the cluster-autoscaler scale prod-general (aws.EksCluster nodeGroupScaling: NodeGroupScaling.CLUSTER_AUTOSCALER; '
      + 'for a profile written by hand, autoscaled: true once an autoscaler runs), raise minSize (or desiredSize) of prod-general, place the workload on more pools, or run fewer replicas');
  });

  test('with the cluster-autoscaler the pool grows to its maxSize: 5 replicas fit', () => {
    expect(caseB({})).toBe('');
  });

  test('a Karpenter cluster whose node group is fixed in size: workloads on Karpenter pools are counted as before', () => {
    const stack = newStack();
    const c = cluster(stack, { admins: [ADMIN], account: '123456789012' });
    c.addNodePool('system', { minSize: 3, maxSize: 3, taints: [{ key: 'CriticalAddonsOnly', value: 'true', effect: aws.TaintEffect.NO_SCHEDULE }] });
    const karpenter = new aws.Karpenter(stack, 'karpenter', { cluster: c, amiAlias: 'al2023@v20250704' });
    const general = karpenter.addNodePool('general', { maxCpu: 200 });
    expect(c.clusterAutoscaler).toBeUndefined();
    expect(kubeSynth(c.profile, (chart) => {
      new k8s.Worker(chart, 'reindex', { image: IMAGE, placement: k8s.Placement.onKarpenterPool(general.profile) });
      new k8s.StatefulService(chart, 'db', { image: IMAGE, port: 5432, readiness: k8s.Probe.exec(['pg_isready']), liveness: k8s.Probe.tcp(), replicas: 5, quorum: true, volumes: [{ name: 'data', size: '20Gi', mountPath: '/var/lib/db' }] });
    })).toBe('');
  });
});

test('the autoscaler\'s identity, the fixed pools of NONE and the isolated-network endpoints pass terraform validate', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-ca-validate-'));
  dirs.push(outdir);
  const app = new TfApp({ outdir });
  const stack = new TerraformStack(app, 'autoscaling');
  new AwsProvider(stack, 'aws', { region: 'eu-central-1' });
  const net = new aws.Network(stack, 'net', { region: 'eu-central-1', tags: TAGS, cidr: '10.80.0.0/16', internetAccess: false });
  const s = aws.VpcEndpointService;
  new aws.VpcEndpoints(stack, 'endpoints', { network: net, services: [...s.eksNodeDefaults(), s.AUTOSCALING, s.EKS] });
  const scaled = new aws.EksCluster(stack, 'scaled', {
    network: net,
    version: aws.KubernetesVersion.V1_34,
    admins: [ADMIN],
    clusterAutoscaler: { imageRepository: '123456789012.dkr.ecr.eu-central-1.amazonaws.com/cluster-autoscaler' },
  });
  scaled.addNodePool('general');
  scaled.addNodePool('batch', { taints: [SPOT_TAINT], minSize: 0, maxSize: 5 });
  const fixed = new aws.EksCluster(stack, 'fixed', { network: net, version: aws.KubernetesVersion.V1_33, admins: [ADMIN] });
  fixed.addNodePool('general', { desiredSize: 4 });
  app.synth();
  const result = terraformValidate(path.join(outdir, 'stacks', 'autoscaling'));
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(result.valid).toBe(true);
  expect([scaled.clusterAutoscaler?.version, fixed.nodeGroupScaling]).toEqual(['9.53.0', aws.NodeGroupScaling.NONE]);
});
