import { Testing } from 'cdktf';
import { cluster, errorOf, network, newStack, resourceAt, resources, synth } from './util';
import * as aws from '../../lib/aws';
import { EnvironmentProfile } from '../../lib/core';

function withKarpenter(props: Partial<aws.KarpenterProps> = {}, env?: EnvironmentProfile) {
  const stack = newStack();
  const c = cluster(stack, { admins: ['arn:aws:iam::123456789012:role/admin'] }, env);
  c.addNodePool('system');
  const karpenter = new aws.Karpenter(stack, 'karpenter', { cluster: c, amiAlias: 'al2023@v20250704', ...props });
  karpenter.addNodePool('general', { maxCpu: 100 });
  return { stack, cluster: c, karpenter };
}

function policyOf(json: any, idSuffix: string): any[] {
  return JSON.parse(resourceAt(json, 'aws_iam_role_policy', idSuffix).policy).Statement;
}

describe('aws.Karpenter: AWS side', () => {
  const { stack, cluster: c, karpenter } = withKarpenter();
  const json = synth(stack);

  test('interruption queue: named after the cluster, SSE, 5-minute retention', () => {
    const queue = resourceAt(json, 'aws_sqs_queue', 'karpenter_queue');
    expect(queue).toMatchObject({ name: 'prod-karpenter', message_retention_seconds: 300, sqs_managed_sse_enabled: true });
    expect(karpenter.interruptionQueueName).toBe('prod-karpenter');
  });

  test('five EventBridge rules, each targeting the queue', () => {
    const rules = resources(json, 'aws_cloudwatch_event_rule');
    expect(rules.map((r) => JSON.parse(r.event_pattern)).sort((a, b) => a['detail-type'][0].localeCompare(b['detail-type'][0]))).toEqual([
      { 'source': ['aws.health'], 'detail-type': ['AWS Health Event'] },
      { 'source': ['aws.ec2'], 'detail-type': ['EC2 Capacity Reservation Instance Interruption Warning'] },
      { 'source': ['aws.ec2'], 'detail-type': ['EC2 Instance Rebalance Recommendation'] },
      { 'source': ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'] },
      { 'source': ['aws.ec2'], 'detail-type': ['EC2 Spot Instance Interruption Warning'] },
    ]);
    const targets = resources(json, 'aws_cloudwatch_event_target');
    expect(targets).toHaveLength(5);
    for (const t of targets) expect(t.arn).toMatch(/^\$\{aws_sqs_queue\.karpenter_queue_[0-9A-F]+\.arn\}$/);
    expect(targets.map((t) => t.rule).sort()).toEqual(rules.map((r) => `\${aws_cloudwatch_event_rule.${Object.keys(json.resource.aws_cloudwatch_event_rule).find((k) => json.resource.aws_cloudwatch_event_rule[k] === r)}.name}`).sort());
  });

  test('queue policy: only the five rules may send (EventBridge), TLS only', () => {
    const statements = JSON.parse(resourceAt(json, 'aws_sqs_queue_policy', 'karpenter_queue-policy').policy).Statement;
    const events = statements.find((s: any) => s.Sid === 'EventBridgeRulesSend');
    expect(events.Principal).toEqual({ Service: 'events.amazonaws.com' });
    expect(events.Condition.ArnEquals['aws:SourceArn']).toHaveLength(5);
    expect(statements.find((s: any) => s.Sid === 'DenyWithoutTls')).toMatchObject({ Effect: 'Deny', Principal: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
  });

  test('node role with an EC2_LINUX access entry naming it; no CNI policy on the node role', () => {
    const role = resourceAt(json, 'aws_iam_role', 'karpenter_node-role');
    expect(role.name).toBe('prod-karpenter-node');
    expect(JSON.parse(role.assume_role_policy).Statement[0].Principal).toEqual({ Service: 'ec2.amazonaws.com' });
    const entry = resourceAt(json, 'aws_eks_access_entry', 'karpenter_node-access-entry');
    expect(entry.type).toBe('EC2_LINUX');
    expect(entry.principal_arn).toMatch(/^\$\{aws_iam_role\.karpenter_node-role_[0-9A-F]+\.arn\}$/);
    expect(entry.cluster_name).toMatch(/^\$\{aws_eks_cluster\.prod_cluster_[0-9A-F]+\.name\}$/);
    const attached = resources(json, 'aws_iam_role_policy_attachment')
      .filter((a) => a.role.includes('karpenter_node-role')).map((a) => a.policy_arn.split('/').pop()).sort();
    expect(attached).toEqual(['AmazonEC2ContainerRegistryPullOnly', 'AmazonEKSWorkerNodePolicy', 'AmazonSSMManagedInstanceCore']);
    expect(resources(json, 'aws_iam_instance_profile')).toHaveLength(0);
  });

  test('discovery tag on every private subnet and on the cluster security group, not on public subnets', () => {
    for (const zone of ['a', 'b', 'c']) {
      expect(resourceAt(json, 'aws_subnet', `net_private-eu-west-1${zone}`).tags['karpenter.sh/discovery']).toBe('prod');
      expect(resourceAt(json, 'aws_subnet', `net_public-eu-west-1${zone}`).tags['karpenter.sh/discovery']).toBeUndefined();
    }
    const tag = resourceAt(json, 'aws_ec2_tag', 'karpenter_cluster-sg-discovery');
    expect(tag).toMatchObject({ key: 'karpenter.sh/discovery', value: 'prod' });
    expect(tag.resource_id).toMatch(/^\$\{aws_eks_cluster\.prod_cluster_[0-9A-F]+\.vpc_config\[0\]\.cluster_security_group_id\}$/);
    expect(karpenter.discoveryTags).toEqual({ 'karpenter.sh/discovery': 'prod' });
  });

  test('controller identity: Pod Identity for kube-system/karpenter', () => {
    const assoc = resourceAt(json, 'aws_eks_pod_identity_association', 'karpenter_controller_association');
    expect(assoc).toMatchObject({ namespace: 'kube-system', service_account: 'karpenter' });
    expect(assoc.role_arn).toMatch(/^\$\{aws_iam_role\.karpenter_controller_role_[0-9A-F]+\.arn\}$/);
    expect(resourceAt(json, 'aws_iam_role', 'karpenter_controller_role').name).toBe('prod-karpenter');
  });

  test('controller policy: launches scoped to the cluster tag, the node role passed to EC2 only, the queue, the cluster, the key', () => {
    const statements = policyOf(json, 'karpenter_controller_policy');
    const bySid = Object.fromEntries(statements.map((s: any) => [s.Sid, s]));
    expect(bySid.CreateOwnedResources.Condition.StringEquals).toEqual({
      'aws:RequestTag/kubernetes.io/cluster/prod': ['owned'],
      'aws:RequestTag/eks:eks-cluster-name': ['prod'],
    });
    expect(bySid.DeleteOwned.Condition.StringEquals).toEqual({ 'aws:ResourceTag/kubernetes.io/cluster/prod': ['owned'] });
    expect(bySid.PassNodeRole.Resource).toEqual([expect.stringMatching(/^\$\{aws_iam_role\.karpenter_node-role_[0-9A-F]+\.arn\}$/)]);
    expect(bySid.PassNodeRole.Condition.StringEquals['iam:PassedToService']).toContain('ec2.amazonaws.com');
    expect(bySid.InterruptionQueue.Resource).toEqual([expect.stringMatching(/^\$\{aws_sqs_queue\.karpenter_queue_[0-9A-F]+\.arn\}$/)]);
    expect(bySid.DescribeCluster.Resource[0]).toMatch(/:eks:eu-west-1:.*:cluster\/prod$/);
    expect(bySid.NodeVolumeEncryption.Resource).toEqual([expect.stringMatching(/^\$\{aws_kms_key\.prod_key_[0-9A-F]+\.arn\}$/)]);
    expect(bySid.NodeVolumeEncryption.Condition.StringEquals['kms:ViaService']).toEqual(['ec2.eu-west-1.amazonaws.com']);
    expect(statements.every((s: any) => !s.Action.includes('*'))).toBe(true);
    expect(bySid.CreateInstanceProfiles).toBeDefined();
  });

  test('the inline policy stays under the IAM limit of 10,240 characters per role', () => {
    expect(resourceAt(json, 'aws_iam_role_policy', 'karpenter_controller_policy').policy.length).toBeLessThan(8000);
  });

  test('profile: the node class names the role and the discovery tags, the chart values name the cluster and queue', () => {
    const p = karpenter.profile;
    expect(p.nodeClass).toEqual({
      name: 'default',
      roleName: 'prod-karpenter-node',
      instanceProfileName: undefined,
      subnetSelectorTags: { 'karpenter.sh/discovery': 'prod' },
      securityGroupSelectorTags: { 'karpenter.sh/discovery': 'prod' },
      amiAlias: 'al2023@v20250704',
      volumeSizeGiB: 50,
      volumeKmsKeyId: 'alias/eks/prod',
      tags: { 'team': 'payments', 'environment': 'production', 'cost-centre': 'cc-1', 'managed-by': 'shipshape' },
    });
    expect(p.controller).toEqual({
      repository: 'oci://public.ecr.aws/karpenter',
      chart: 'karpenter',
      version: '1.14.1',
      releaseName: 'karpenter',
      namespace: 'kube-system',
      serviceAccountName: 'karpenter',
      values: {
        'settings.clusterName': 'prod',
        'settings.interruptionQueue': 'prod-karpenter',
        'serviceAccount.name': 'karpenter',
        'replicas': '2',
        'controller.resources.requests.cpu': '1',
        'controller.resources.requests.memory': '1Gi',
        'controller.resources.limits.memory': '1Gi',
        'logLevel': 'info',
      },
      identity: { namespace: 'kube-system', serviceAccount: 'karpenter', roleName: 'prod-karpenter', mechanism: 'pod-identity', serviceAccountAnnotations: {}, clusterName: 'prod' },
    });
    expect(p.interruptionQueueName).toBe(resourceAt(json, 'aws_sqs_queue', 'karpenter_queue').name);
    expect(p.nodeClass.roleName).toBe(resourceAt(json, 'aws_iam_role', 'karpenter_node-role').name);
    // The alias the node class names is the cluster key's alias.
    expect(`alias/eks/${c.clusterName}`).toBe(resourceAt(json, 'aws_kms_alias', 'prod_key-alias').name);
  });

  test('the profile holds no Terraform token', () => {
    expect(JSON.stringify(karpenter.profile)).not.toMatch(/\$\{|TfToken/);
  });

  test('the cluster profile carries Karpenter, and its controller among the Helm releases the cluster needs', () => {
    expect(c.profile.karpenter?.nodePools.map((p) => p.name)).toEqual(['prod-general']);
    // the system pool can grow (3 to 9 nodes): the cluster-autoscaler scales it, Karpenter its own nodes
    expect(c.profile.helmReleases).toEqual([karpenter.profile.controller, c.clusterAutoscaler!.release]);
  });

  test('NVIDIA GPU pools on Amazon Linux 2023 get the NVIDIA device plugin release, on their GPU nodes only; Bottlerocket and CPU pools do not', () => {
    const gpuStack = newStack();
    const g = cluster(gpuStack, { admins: ['arn:aws:iam::123456789012:role/admin'] });
    g.addNodePool('system', { minSize: 3, maxSize: 3 });
    g.addNodePool('train', { capacity: aws.NodeCapacity.onDemand(['g5.xlarge', 'g5.2xlarge']), minSize: 0, maxSize: 2, taints: [{ key: 'nvidia.com/gpu', value: 'true', effect: aws.TaintEffect.NO_SCHEDULE }] });
    const k = new aws.Karpenter(gpuStack, 'karpenter', { cluster: g, amiAlias: 'al2023@v20250704' });
    k.addNodePool('general', { maxCpu: 100 });
    k.addNodePool('infer', { maxCpu: 100, instanceTypes: ['g5.xlarge'], taints: [{ key: 'gpu', value: 'true', effect: aws.TaintEffect.NO_SCHEDULE }] });
    const plugin = g.profile.helmReleases!.find((r) => r.chart === 'nvidia-device-plugin')!;
    expect(plugin).toEqual({
      repository: 'https://nvidia.github.io/k8s-device-plugin',
      chart: 'nvidia-device-plugin',
      version: '0.20.0',
      releaseName: 'nvidia-device-plugin',
      namespace: 'kube-system',
      serviceAccountName: 'nvidia-device-plugin-service-account',
      values: {
        'tolerations[0].operator': 'Exists',
        'affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].key': 'shipshape.dev/node-pool',
        'affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator': 'In',
        'affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values[0]': 'prod-train',
        'affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[1].key': 'node.kubernetes.io/instance-type',
        'affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[1].operator': 'In',
        'affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[1].values[0]': 'g5.2xlarge',
        'affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[1].values[1]': 'g5.xlarge',
        'affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[1].matchExpressions[0].key': 'karpenter.sh/nodepool',
        'affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[1].matchExpressions[0].operator': 'In',
        'affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[1].matchExpressions[0].values[0]': 'prod-infer',
        'affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[1].matchExpressions[1].key': 'karpenter.k8s.aws/instance-gpu-manufacturer',
        'affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[1].matchExpressions[1].operator': 'In',
        'affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[1].matchExpressions[1].values[0]': 'nvidia',
      },
    });
    // no GPU pool, or GPU nodes on Bottlerocket (whose NVIDIA AMIs carry the plugin): no release
    const cpu = newStack();
    const c2 = cluster(cpu, { admins: ['arn:aws:iam::123456789012:role/admin'] });
    c2.addNodePool('system', { minSize: 3, maxSize: 3 });
    c2.addNodePool('br', { capacity: aws.NodeCapacity.onDemand(['g5.xlarge']), amiType: aws.NodeAmiType.BOTTLEROCKET_X86_64_NVIDIA, minSize: 2, maxSize: 2 });
    new aws.Karpenter(cpu, 'karpenter', { cluster: c2, amiAlias: 'bottlerocket@v1.40.0' }).addNodePool('gpu', { maxCpu: 100, instanceCategories: ['g'] });
    expect(c2.profile.helmReleases!.map((r) => r.chart)).toEqual(['karpenter']);
  });

  test('a Karpenter cluster whose node group is fixed in size gets no cluster-autoscaler: Karpenter alone scales', () => {
    const fixedStack = newStack();
    const fixed = cluster(fixedStack, { admins: ['arn:aws:iam::123456789012:role/admin'] });
    fixed.addNodePool('system', { minSize: 3, maxSize: 3 });
    const k = new aws.Karpenter(fixedStack, 'karpenter', { cluster: fixed, amiAlias: 'al2023@v20250704' });
    k.addNodePool('general', { maxCpu: 100 });
    expect(fixed.clusterAutoscaler).toBeUndefined();
    expect(fixed.profile.helmReleases).toEqual([k.profile.controller]);
    expect(fixed.profile.nodePools[0]).toMatchObject({ minSize: 3, maxSize: 3, desiredSize: 3, autoscaled: false });
    expect(resources(synth(fixedStack), 'aws_eks_pod_identity_association').map((a) => a.service_account)).toEqual(['karpenter']);
  });

  test('node pool defaults: on-demand amd64 c/m/r generation 6 and newer, every zone, 10% budget, 720h, 1m consolidation', () => {
    expect(karpenter.profile.nodePools[0]).toEqual({
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
      instanceTypes: undefined,
      zones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
      cpuLimit: 100,
      memoryLimitGiB: 400,
      consolidationPolicy: 'WhenEmptyOrUnderutilized',
      consolidateAfter: '1m',
      expireAfter: '720h',
      terminationGracePeriod: undefined,
      disruptionBudgets: [{ nodes: '10%', reasons: undefined, schedule: undefined, duration: undefined }],
      weight: undefined,
    });
  });
});

describe('aws.Karpenter options', () => {
  test('development: one controller replica', () => {
    const { karpenter } = withKarpenter({}, EnvironmentProfile.DEVELOPMENT);
    expect(karpenter.profile.controller.values.replicas).toBe('1');
  });

  test('IRSA with a known account: the chart values carry the role ARN annotation', () => {
    const stack = newStack();
    const c = cluster(stack, { account: '123456789012', admins: ['arn:aws:iam::123456789012:role/admin'] });
    c.addNodePool('system');
    const k = new aws.Karpenter(stack, 'karpenter', { cluster: c, amiAlias: 'al2023@v20250704', identityMechanism: aws.IdentityMechanism.IRSA });
    expect(k.profile.controller.values['serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn']).toBe('arn:aws:iam::123456789012:role/prod-karpenter');
  });

  test('instanceProfile: a Terraform-managed instance profile, named in the node class instead of the role; no instance-profile permissions', () => {
    const { stack, karpenter } = withKarpenter({ instanceProfile: true });
    const json = synth(stack);
    expect(resourceAt(json, 'aws_iam_instance_profile', 'karpenter_instance-profile')).toMatchObject({ name: 'prod-karpenter-node' });
    expect(karpenter.profile.nodeClass.roleName).toBeUndefined();
    expect(karpenter.profile.nodeClass.instanceProfileName).toBe('prod-karpenter-node');
    expect(policyOf(json, 'karpenter_controller_policy').map((s: any) => s.Sid)).not.toContain('CreateInstanceProfiles');
  });

  test('a pool with exact instance types, spot, arm64, taints, labels, budgets with a schedule, weight', () => {
    const { karpenter } = withKarpenter();
    const pool = karpenter.addNodePool('batch', {
      maxCpu: 64,
      maxMemoryGiB: 128,
      instanceTypes: ['m7g.large', 'm7g.xlarge'],
      capacityTypes: [aws.KarpenterCapacityType.SPOT, aws.KarpenterCapacityType.ON_DEMAND],
      architectures: [aws.CpuArchitecture.ARM64],
      labels: { team: 'batch' },
      taints: [{ key: 'batch', effect: aws.TaintEffect.NO_EXECUTE }],
      disruptionBudgets: [{ nodes: '0', schedule: '@daily', duration: '1h30m', reasons: [aws.DisruptionReason.DRIFTED] }],
      consolidationPolicy: aws.ConsolidationPolicy.WHEN_EMPTY,
      terminationGracePeriod: '24h',
      weight: 50,
    });
    expect(pool.profile).toMatchObject({
      name: 'prod-batch',
      instanceTypes: ['m7g.large', 'm7g.xlarge'],
      instanceCategories: undefined,
      minInstanceGeneration: undefined,
      capacityTypes: ['spot', 'on-demand'],
      architectures: ['arm64'],
      labels: { 'team': 'batch', 'shipshape.dev/node-pool': 'prod-batch' },
      taints: [{ key: 'batch', value: undefined, effect: 'NoExecute' }],
      disruptionBudgets: [{ nodes: '0', schedule: '@daily', duration: '1h30m', reasons: ['Drifted'] }],
      consolidationPolicy: 'WhenEmpty',
      terminationGracePeriod: '24h',
      cpuLimit: 64,
      memoryLimitGiB: 128,
      weight: 50,
    });
  });
});

describe('aws.Karpenter refusals', () => {
  const k = () => withKarpenter();
  const pool = (options: Partial<aws.KarpenterNodePoolOptions>) => errorOf(() => k().karpenter.addNodePool('p', { maxCpu: 10, ...options } as aws.KarpenterNodePoolOptions));

  test('an EKS Auto Mode cluster', () => {
    const stack = newStack();
    const c = cluster(stack, { autoMode: {} });
    expect(errorOf(() => new aws.Karpenter(stack, 'karpenter', { cluster: c, amiAlias: 'al2023@v20250704' }))).toBe(
      'test/karpenter: cluster ("prod") runs EKS Auto Mode, which already runs Karpenter for its nodes; declare more capacity as Auto Mode NodePools, or build the cluster without autoMode');
  });

  test('a Kubernetes version Karpenter 1.14 does not support', () => {
    const stack = newStack();
    const c = cluster(stack, { version: aws.KubernetesVersion.V1_29 });
    expect(errorOf(() => new aws.Karpenter(stack, 'karpenter', { cluster: c, amiAlias: 'al2023@v20250704' }))).toBe(
      'test/karpenter: cluster ("1.29") runs a Kubernetes version Karpenter 1.14.1 does not support (1.30 to 1.36); raise the cluster to 1.30 or later');
  });

  test('a second Karpenter on the same cluster', () => {
    const { stack, cluster: c } = withKarpenter();
    expect(errorOf(() => new aws.Karpenter(stack, 'again', { cluster: c, amiAlias: 'al2023@v20250704' }))).toBe(
      'test/again: cluster ("prod") already has Karpenter (test/karpenter); one Karpenter controller runs per cluster; add node pools to the existing Karpenter construct instead');
  });

  test('a version that is not an exact 1.x release', () => {
    const stack = newStack();
    expect(errorOf(() => new aws.Karpenter(stack, 'karpenter', { cluster: cluster(stack), amiAlias: 'al2023@v20250704', version: '1.14' }))).toBe(
      'test/karpenter: version ("1.14") must be an exact Karpenter 1.x release such as 1.14.1; pin an exact version');
  });

  test('an AMI alias of another family', () => {
    const stack = newStack();
    expect(errorOf(() => new aws.Karpenter(stack, 'karpenter', { cluster: cluster(stack), amiAlias: 'ubuntu@latest' }))).toBe(
      "test/karpenter: amiAlias (\"ubuntu@latest\") must be al2023@<version> or bottlerocket@<version> (container-optimised AMIs only); use 'al2023@latest' or pin 'al2023@v20250704'");
    // the right family with the version's leading v left out: told to add it, not to switch
    expect(errorOf(() => new aws.Karpenter(newStack(), 'karpenter', { cluster: cluster(newStack()), amiAlias: 'bottlerocket@1.42.0' }))).toBe(
      'test/karpenter: amiAlias ("bottlerocket@1.42.0") must be al2023@<version> or bottlerocket@<version> (container-optimised AMIs only), the version written with a leading v; '
      + "write 'bottlerocket@v1.42.0'");
  });

  test('a pinned AMI release older than EKS\'s support of the cluster\'s version (it has no AMI for it)', () => {
    const stack = newStack();
    const c = cluster(stack, { version: aws.KubernetesVersion.V1_33 });
    expect(errorOf(() => new aws.Karpenter(stack, 'karpenter', { cluster: c, amiAlias: 'al2023@v20250505' }))).toBe(
      'test/karpenter: amiAlias ("al2023@v20250505") is the AMI release of 2025-05-05, before EKS supported Kubernetes 1.33 (2025-05-29), the cluster\'s version: '
      + 'that release has no AMI built for 1.33, so the node class resolves no AMI and Karpenter launches no node; '
      + "pin a release published for 1.33 (from 2025-05-29 on; see the amazon-eks-ami releases), or use 'al2023@latest'");
  });

  test('a release from the weeks before that support, latest and bottlerocket are accepted', () => {
    const accepted = (version: aws.KubernetesVersion, amiAlias: string) => {
      const stack = newStack();
      return new aws.Karpenter(stack, 'karpenter', { cluster: cluster(stack, { version }), amiAlias }).profile.nodeClass.amiAlias;
    };
    expect(accepted(aws.KubernetesVersion.V1_33, 'al2023@v20250519')).toBe('al2023@v20250519');
    expect(accepted(aws.KubernetesVersion.V1_34, 'al2023@latest')).toBe('al2023@latest');
    expect(accepted(aws.KubernetesVersion.V1_34, 'bottlerocket@v1.20.0')).toBe('bottlerocket@v1.20.0');
  });

  test('a queue name SQS refuses', () => {
    const stack = newStack();
    expect(errorOf(() => new aws.Karpenter(stack, 'karpenter', { cluster: cluster(stack), amiAlias: 'al2023@v20250704', interruptionQueueName: 'my queue' }))).toBe(
      'test/karpenter: interruptionQueueName ("my queue") must be 1-80 letters, digits, - or _ (an SQS standard queue name); pass a shorter name');
  });

  test('a chart repository that is not oci:// or https://', () => {
    const stack = newStack();
    expect(errorOf(() => new aws.Karpenter(stack, 'karpenter', { cluster: cluster(stack), amiAlias: 'al2023@v20250704', chartRepository: 'public.ecr.aws/karpenter' }))).toBe(
      "test/karpenter: chartRepository (\"public.ecr.aws/karpenter\") must be an oci:// or https:// chart repository; use 'oci://public.ecr.aws/karpenter' or your mirror");
  });

  test('a volume too small', () => {
    const stack = newStack();
    expect(errorOf(() => new aws.Karpenter(stack, 'karpenter', { cluster: cluster(stack), amiAlias: 'al2023@v20250704', volumeSizeGiB: 8 }))).toBe(
      'test/karpenter: volumeSizeGiB (8) must be a whole number of GiB between 20 and 16384; use 50');
  });

  test('two clusters sharing a network', () => {
    const stack = newStack();
    const net = network(stack);
    const a = new aws.EksCluster(stack, 'a', { network: net, version: aws.KubernetesVersion.V1_33 });
    const b = new aws.EksCluster(stack, 'b', { network: net, version: aws.KubernetesVersion.V1_33 });
    new aws.Karpenter(stack, 'ka', { cluster: a, amiAlias: 'al2023@v20250704' });
    expect(errorOf(() => new aws.Karpenter(stack, 'kb', { cluster: b, amiAlias: 'al2023@v20250704' }))).toBe(
      'test/kb: cluster ("b") shares network test/net with Karpenter of cluster a (test/ka); a subnet carries one karpenter.sh/discovery value; give each Karpenter-managed cluster its own network, or its own subnets');
  });

  test('pool: no CPU limit', () => {
    expect(pool({ maxCpu: 0 })).toBe(
      "test/karpenter/p: maxCpu (0) must be a whole number of vCPUs >= 1 (the pool's ceiling: without it Karpenter scales without bound); set maxCpu, for example 200");
  });

  test('pool: instance types with categories', () => {
    expect(pool({ instanceTypes: ['m7i.large'], instanceCategories: ['m'] })).toBe(
      'test/karpenter/p: instanceTypes (["m7i.large"]) must not be combined with instanceCategories or minInstanceGeneration; give exact instance types, or categories and a generation');
  });

  test('pool: an instance type EC2 does not sell (it would never launch a node), with the likely type', () => {
    expect(pool({ instanceTypes: ['m7i.large', 'm7i.larg'] })).toBe(
      'test/karpenter/p: instanceTypes ("m7i.larg") must be an EC2 instance type <family>.<size> such as m6i.large, where size is nano, micro, small, medium, '
      + 'large, xlarge, <N>xlarge, metal or metal-<N>xl; fix the instance type name (did you mean m7i.large?) (aws ec2 describe-instance-types lists the types of a region)');
  });

  test('pool: labels the NodePool CRD refuses (Karpenter\'s own domains, kubernetes.io/hostname)', () => {
    expect(pool({ labels: { 'karpenter.sh/nodepool': 'batch' } })).toBe(
      'test/karpenter/p: labels ("karpenter.sh/nodepool") is in the karpenter.sh domain, which Karpenter reserves (it sets karpenter.sh/nodepool and others on each node): '
      + "the NodePool CRD refuses the pool; use a key in your own domain, such as example.com/<name>, and choose instance properties with the pool's options (instanceTypes, capacityTypes, …)");
    expect(pool({ labels: { 'karpenter.k8s.aws/team': 'data' } })).toMatch(/^test\/karpenter\/p: labels \("karpenter.k8s.aws\/team"\) is in the karpenter.k8s.aws domain/);
    expect(pool({ labels: { 'kubernetes.io/hostname': 'n1' } })).toMatch(/^test\/karpenter\/p: labels \("kubernetes.io\/hostname"\) is set by the kubelet/);
  });

  test('pool: labels the NodePool CRD accepts (the CRD\'s exceptions in Karpenter\'s domains, other domains)', () => {
    const { karpenter } = withKarpenter();
    const labels = { 'karpenter.sh/capacity-type': 'on-demand', 'karpenter.k8s.aws/instance-family': 'm7i', 'example.com/team': 'data' };
    karpenter.addNodePool('labelled', { maxCpu: 10, labels });
    const labelled = karpenter.profile.nodePools.find((p) => p.labels['example.com/team'] === 'data');
    expect(labelled?.labels).toMatchObject(labels);
  });

  test('pool: a zone outside the network', () => {
    expect(pool({ zones: ['eu-west-1d'] })).toBe(
      "test/karpenter/p: zones (\"eu-west-1d\") must be zones of the cluster's network (eu-west-1a, eu-west-1b, eu-west-1c); list zones the private subnets are in");
  });

  test('pool: an unknown capacity type', () => {
    expect(pool({ capacityTypes: ['preemptible' as any] })).toBe(
      'test/karpenter/p: capacityTypes ("preemptible") must be one of on-demand, spot, reserved; use one of on-demand, spot, reserved');
  });

  test('pool: a duration Karpenter cannot read', () => {
    expect(pool({ expireAfter: '30d' })).toBe(
      "test/karpenter/p: expireAfter (\"30d\") must be a duration of hours, minutes and seconds (30s, 5m, 1h30m) or Never; write it like '720h'");
  });

  test('pool: a budget over 100%', () => {
    expect(pool({ disruptionBudgets: [{ nodes: '150%' }] })).toBe(
      "test/karpenter/p: disruptionBudgets[0].nodes (\"150%\") must be a node count ('0', '2') or a percentage up to 100% ('10%'); use '10%'");
  });

  test('pool: a schedule without a duration', () => {
    expect(pool({ disruptionBudgets: [{ nodes: '0', schedule: '0 9 * * *' }] })).toBe(
      "test/karpenter/p: disruptionBudgets[0].schedule (\"0 9 * * *\") and duration must be given together (a schedule says when the budget starts, duration how long it lasts); give both, for example schedule: '0 9 * * mon-fri', duration: '8h'");
  });

  test('pool: a schedule that is not cron', () => {
    expect(pool({ disruptionBudgets: [{ nodes: '0', schedule: 'weekdays', duration: '8h' }] })).toBe(
      "test/karpenter/p: disruptionBudgets[0].schedule (\"weekdays\") must be a cron expression of 5 fields or a macro such as @daily; write it like '0 9 * * mon-fri'");
  });

  test('pool: no budget', () => {
    expect(pool({ disruptionBudgets: [] })).toBe("test/karpenter/p: disruptionBudgets ([]) must list at least one budget; use [{ nodes: '10%' }]");
  });

  test('pool: a weight out of range', () => {
    expect(pool({ weight: 1000 })).toBe('test/karpenter/p: weight (1000) must be a whole number between 1 and 100; use 10');
  });

  test('pool: a bad label key (shared validator)', () => {
    expect(pool({ labels: { 'bad key': 'x' } })).toMatch(/^test\/karpenter\/p: labels \("bad key"\) is not a valid label key: /);
  });

  test('pool: a bad taint key (shared validator)', () => {
    expect(pool({ taints: [{ key: 'bad key', effect: aws.TaintEffect.NO_SCHEDULE }] })).toMatch(/^test\/karpenter\/p: taints\.key \("bad key"\) is not a valid taint key: /);
  });

  test('synth: no managed node group to run the controller, and no NodePool', () => {
    const stack = newStack();
    const c = cluster(stack, { admins: ['arn:aws:iam::123456789012:role/admin'] });
    new aws.Karpenter(stack, 'karpenter', { cluster: c, amiAlias: 'al2023@v20250704' });
    expect(() => Testing.synth(stack, true)).toThrow(
      'test/karpenter: cluster (prod) has no managed node group, so nothing would run the Karpenter controller (it must not run on nodes it manages); add a small system pool with cluster.addNodePool()');
    expect(() => Testing.synth(stack, true)).toThrow(
      'test/karpenter: nodePools ([]) must declare at least one NodePool, or Karpenter launches nothing; call addNodePool()');
  });

  test('synth: an isolated network without the SQS, EKS and SSM endpoints', () => {
    const stack = newStack();
    const net = network(stack, { internetAccess: false });
    new aws.VpcEndpoints(stack, 'endpoints', { network: net, services: aws.VpcEndpointService.eksNodeDefaults().filter((s) => s.name !== 'ssm') });
    const c = new aws.EksCluster(stack, 'prod', { network: net, version: aws.KubernetesVersion.V1_33, admins: ['arn:aws:iam::123456789012:role/admin'] });
    c.addNodePool('system');
    const isolated = new aws.Karpenter(stack, 'karpenter', { cluster: c, amiAlias: 'al2023@v20250704' });
    isolated.addNodePool('general', { maxCpu: 10 });
    expect(() => Testing.synth(stack, true)).toThrow(
      "test/karpenter: network (test/net) has no internet access and no VPC endpoint for sqs, eks, ssm, which Karpenter needs (interruption queue, cluster endpoint discovery, AMI lookups); add VpcEndpointService.SQS, EKS and SSM to the network's VpcEndpoints");
    // In an isolated network nodes get a Terraform-managed instance profile and the chart runs isolated.
    expect(isolated.profile.nodeClass.instanceProfileName).toBe('prod-karpenter-node');
    expect(isolated.profile.controller.values['settings.isolatedVPC']).toBe('true');
  });
});
