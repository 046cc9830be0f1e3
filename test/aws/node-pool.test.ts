import { cluster, errorOf, newStack, resourceAt, synth } from './util';
import * as aws from '../../lib/aws';
import { EnvironmentProfile } from '../../lib/core';
import { Policy } from '../../lib/policy/policy';

describe('aws.NodePool defaults', () => {
  const stack = newStack();
  const c = cluster(stack);
  const pool = c.addNodePool('general');
  const json = synth(stack);
  const ng = resourceAt(json, 'aws_eks_node_group', 'prod_general_node-group');
  const lt = resourceAt(json, 'aws_launch_template', 'prod_general_launch-template');

  test('on-demand m6i.large, AL2023, cluster version', () => {
    expect(ng.capacity_type).toBe('ON_DEMAND');
    expect(ng.instance_types).toEqual(['m6i.large']);
    expect(ng.ami_type).toBe('AL2023_x86_64_STANDARD');
    expect(ng.version).toBe('1.33');
  });

  test('min = zones (3), max = 3 x min, desired = min, desired ignored after creation', () => {
    expect(ng.scaling_config).toEqual({ min_size: 3, max_size: 9, desired_size: 3 });
    expect(ng.lifecycle.ignore_changes).toEqual(['scaling_config[0].desired_size']);
    expect(ng.update_config).toEqual({ max_unavailable_percentage: 33 });
  });

  test('named by prefix and created before destroyed: a change EKS makes by replacing the group (instance types) brings the new group up first', () => {
    expect(ng.node_group_name).toBeUndefined();
    expect(ng.node_group_name_prefix).toBe('prod-general-');
    expect(ng.lifecycle.create_before_destroy).toBe(true);
    expect(pool.labels['shipshape.dev/node-pool']).toBe('prod-general');
  });

  test('a long pool name is cut in the prefix so the node group name (prefix and 26 characters Terraform adds) stays within 63', () => {
    const s2 = newStack();
    const long = cluster(s2).addNodePool('p', { name: 'a'.repeat(63) });
    const prefix = resourceAt(synth(s2), 'aws_eks_node_group', 'prod_p_node-group').node_group_name_prefix;
    expect(prefix).toBe(`${'a'.repeat(36)}-`);
    expect(prefix.length + 26).toBeLessThanOrEqual(63);
    expect(long.name).toBe('a'.repeat(63));
  });

  test('private subnets in every zone, no SSH', () => {
    expect(ng.subnet_ids).toHaveLength(3);
    for (const s of ng.subnet_ids) expect(s).toContain('aws_subnet.net_private-');
    expect(ng.remote_access).toBeUndefined();
  });

  test('launch template: IMDSv2 required, hop limit 1, encrypted gp3, no public IP, no key pair, no user data', () => {
    expect(lt.metadata_options).toEqual({ http_endpoint: 'enabled', http_tokens: 'required', http_put_response_hop_limit: 1, instance_metadata_tags: 'disabled' });
    expect(lt.block_device_mappings).toHaveLength(1);
    expect(lt.block_device_mappings[0].ebs).toMatchObject({ encrypted: 'true', volume_type: 'gp3', volume_size: 50 });
    expect(lt.block_device_mappings[0].ebs.kms_key_id).toContain('aws_kms_key.prod_key');
    expect(lt.network_interfaces[0].associate_public_ip_address).toBe('false');
    expect(lt.key_name).toBeUndefined();
    expect(lt.user_data).toBeUndefined();
    expect(ng.launch_template.id).toContain('aws_launch_template.prod_general_launch-template');
  });

  test('least-privilege node role: worker, ECR pull only, SSM; no CNI policy', () => {
    const attached = Object.values(json.resource.aws_iam_role_policy_attachment)
      .filter((a: any) => a.role.includes('prod_general_role'))
      .map((a: any) => a.policy_arn.split('/').pop())
      .sort();
    expect(attached).toEqual(['AmazonEC2ContainerRegistryPullOnly', 'AmazonEKSWorkerNodePolicy', 'AmazonSSMManagedInstanceCore']);
  });

  test('pool label on every node; nodes wait for vpc-cni, coredns waits for nodes', () => {
    expect(ng.labels).toEqual({ 'shipshape.dev/node-pool': 'prod-general' });
    expect(pool.labels).toEqual({ 'shipshape.dev/node-pool': 'prod-general' });
    expect(ng.depends_on.some((d: string) => d.startsWith('aws_eks_addon.prod_addon-vpc-cni'))).toBe(true);
    const coredns = resourceAt(json, 'aws_eks_addon', 'prod_addon-coredns');
    expect(coredns.depends_on.some((d: string) => d.startsWith('aws_eks_node_group.prod_general_node-group'))).toBe(true);
  });
});

describe('aws.NodePool options', () => {
  test('spot with several instance types, Bottlerocket data volume, labels and taints', () => {
    const stack = newStack();
    const c = cluster(stack);
    c.addNodePool('spot', {
      capacity: aws.NodeCapacity.spot(['m7g.large', 'm6g.large']),
      amiType: aws.NodeAmiType.BOTTLEROCKET_ARM_64,
      labels: { role: 'batch' },
      taints: [{ key: 'spot', value: 'true', effect: aws.TaintEffect.NO_EXECUTE }],
      minSize: 2,
      maxSize: 10,
    });
    const json = synth(stack);
    const ng = resourceAt(json, 'aws_eks_node_group', 'prod_spot_node-group');
    expect(ng.capacity_type).toBe('SPOT');
    expect(ng.ami_type).toBe('BOTTLEROCKET_ARM_64');
    expect(ng.taint).toEqual([{ key: 'spot', value: 'true', effect: 'NO_EXECUTE' }]);
    expect(ng.labels.role).toBe('batch');
    const lt = resourceAt(json, 'aws_launch_template', 'prod_spot_launch-template');
    expect(lt.block_device_mappings.map((b: any) => b.device_name)).toEqual(['/dev/xvda', '/dev/xvdb']);
    expect(c.profile.nodePools[0].architecture).toBe('arm64');
    expect(c.profile.nodePools[0].taints).toEqual([{ key: 'spot', value: 'true', effect: 'NoExecute' }]);
  });

  test('development allows a single node by default', () => {
    const stack = newStack();
    const c = cluster(stack, {}, EnvironmentProfile.DEVELOPMENT);
    const pool = c.addNodePool('dev');
    expect([pool.minSize, pool.maxSize, pool.desiredSize]).toEqual([1, 3, 1]);
    expect(Policy.suppressionsOf(stack)).toEqual([{ ruleId: 'SS-EKS-018', path: 'test/prod/dev/node-group', reason: 'development environment: node pool prod-dev may run a single node (minSize 1)' }]);
  });
});

describe('aws.NodePool errors', () => {
  test('min > max', () => {
    const msg = errorOf(() => cluster(newStack()).addNodePool('p', { minSize: 5, maxSize: 3 }));
    expect(msg).toBe('test/prod/p: minSize (5) must be <= maxSize (3); lower minSize or raise maxSize');
  });

  test('spot with one instance type', () => {
    const msg = errorOf(() => cluster(newStack()).addNodePool('p', { capacity: aws.NodeCapacity.spot(['m6i.large']) }));
    expect(msg).toBe("test/prod/p: capacity.instanceTypes ([\"m6i.large\"]) must list at least 2 instance types for spot capacity (one spot pool can be reclaimed all at once); add similar types, for example NodeCapacity.spot(['m6i.large', 'm6a.large', 'm5.large'])");
  });

  test('fewer than 2 nodes in production', () => {
    const msg = errorOf(() => cluster(newStack()).addNodePool('p', { minSize: 1 }));
    expect(msg).toBe('test/prod/p: minSize (1) must be >= 2 in production for an untainted pool (or one tainted only CriticalAddonsOnly), so that nodes span at least two zones; '
      + 'set minSize to 2 or more; a dedicated pool (spot, batch, GPU) may scale to zero when it has a NO_SCHEDULE or NO_EXECUTE taint its workloads tolerate; '
      + 'or use EnvironmentProfile.DEVELOPMENT for a single-node pool');
  });

  test('desired outside min..max', () => {
    const msg = errorOf(() => cluster(newStack()).addNodePool('p', { minSize: 2, maxSize: 4, desiredSize: 5 }));
    expect(msg).toBe('test/prod/p: desiredSize (5) must be between minSize (2) and maxSize (4); set desiredSize inside the range');
  });

  test('bad instance type', () => {
    const msg = errorOf(() => cluster(newStack()).addNodePool('p', { capacity: aws.NodeCapacity.onDemand(['large']) }));
    expect(msg).toBe('test/prod/p: capacity.instanceTypes ("large") must be an EC2 instance type <family>.<size> such as m6i.large, '
      + 'where size is nano, micro, small, medium, large, xlarge, <N>xlarge, metal or metal-<N>xl; fix the instance type name (aws ec2 describe-instance-types lists the types of a region)');
  });
});

describe('a NodePool made with its constructor', () => {
  test('belongs to its cluster as one from addNodePool: in nodePools, in the profile, after the CNI and before the add-ons that need nodes', () => {
    const stack = newStack();
    const c = cluster(stack);
    c.addNodePool('general');
    new aws.NodePool(stack, 'batch', { cluster: c, capacity: aws.NodeCapacity.onDemand(['c6i.xlarge']) });
    expect(c.nodePools.map(p => p.name)).toEqual(['prod-general', 'prod-batch']);
    expect(c.profile.nodePools!.map(p => p.name)).toEqual(['prod-general', 'prod-batch']);
    const json = synth(stack);
    const ng = resourceAt(json, 'aws_eks_node_group', 'batch_node-group');
    expect(ng.depends_on.some((d: string) => d.startsWith('aws_eks_addon.') && d.includes('vpc-cni'))).toBe(true);
    const coredns = Object.values(json.resource.aws_eks_addon).find((a: any) => a.addon_name === 'coredns') as any;
    expect(coredns.depends_on.some((d: string) => d.startsWith('aws_eks_node_group.batch_node-group'))).toBe(true);
  });

  test('on an Auto Mode cluster is refused, naming the cluster', () => {
    const stack = newStack();
    const c = cluster(stack, { autoMode: {} });
    expect(errorOf(() => new aws.NodePool(stack, 'batch', { cluster: c }))).toBe(
      'test/batch: cluster ("test/prod") has autoMode: EKS Auto Mode runs the nodes, and managed node groups would need the add-ons Auto Mode replaces; '
      + 'declare more capacity as a Kubernetes NodePool for Auto Mode (addAutoModeNodePool), or build the cluster without autoMode');
  });
});

describe('instance types and AMI architecture', () => {
  test('Graviton instance types with the default x86 AMI are refused, naming the types and the fix', () => {
    expect(errorOf(() => cluster(newStack()).addNodePool('arm', { capacity: aws.NodeCapacity.onDemand(['m7g.large', 'm6i.large']) }))).toBe(
      'test/prod/arm: capacity.instanceTypes ("m7g.large") must match the CPU architecture of amiType AL2023_x86_64_STANDARD (amd64); '
      + 'use an arm64 AMI type (NodeAmiType.AL2023_ARM_64_STANDARD) for Graviton instance types, or x86 instance types');
  });

  test('x86 instance types with an arm64 AMI are refused; matching ones and types outside the table are accepted', () => {
    expect(errorOf(() => cluster(newStack()).addNodePool('x', { capacity: aws.NodeCapacity.onDemand(['m6i.large']), amiType: aws.NodeAmiType.AL2023_ARM_64_STANDARD })))
      .toMatch(/^test\/prod\/x: capacity.instanceTypes \("m6i.large"\) must match the CPU architecture of amiType AL2023_ARM_64_STANDARD \(arm64\); use an x86 AMI type/);
    const c = cluster(newStack());
    expect(c.addNodePool('graviton', { capacity: aws.NodeCapacity.onDemand(['m7g.large']), amiType: aws.NodeAmiType.BOTTLEROCKET_ARM_64 })._toProfile().architecture).toBe('arm64');
    expect(() => c.addNodePool('new', { capacity: aws.NodeCapacity.onDemand(['x9z.large']) })).not.toThrow();
  });

  test('NVIDIA GPU instance types get the AL2023 NVIDIA AMI by default', () => {
    const stack = newStack();
    const c = cluster(stack);
    const gpu = c.addNodePool('gpu', { capacity: aws.NodeCapacity.onDemand(['g5.xlarge', 'g6.xlarge']) });
    expect(gpu.amiType).toBe(aws.NodeAmiType.AL2023_X86_64_NVIDIA);
    expect(resourceAt(synth(stack), 'aws_eks_node_group', 'prod_gpu_node-group').ami_type).toBe('AL2023_x86_64_NVIDIA');
    expect(gpu._toProfile().architecture).toBe('amd64');
  });

  test('NVIDIA GPU instance types with an AMI without the NVIDIA driver are refused; Bottlerocket NVIDIA is accepted', () => {
    expect(errorOf(() => cluster(newStack()).addNodePool('gpu', { capacity: aws.NodeCapacity.onDemand(['m6i.large', 'p5.48xlarge']), amiType: aws.NodeAmiType.AL2023_X86_64_STANDARD }))).toBe(
      'test/prod/gpu: amiType ("AL2023_x86_64_STANDARD") has no NVIDIA driver, but capacity.instanceTypes lists NVIDIA GPU instances (p5.48xlarge): '
      + 'their GPUs would not be usable, and pods requesting nvidia.com/gpu would never be scheduled; '
      + 'use NodeAmiType.AL2023_X86_64_NVIDIA (or BOTTLEROCKET_X86_64_NVIDIA), or leave amiType out to get it');
    expect(cluster(newStack()).addNodePool('gpu', { capacity: aws.NodeCapacity.onDemand(['g4dn.xlarge']), amiType: aws.NodeAmiType.BOTTLEROCKET_X86_64_NVIDIA }).amiType)
      .toBe('BOTTLEROCKET_x86_64_NVIDIA');
    // an AMD GPU (g4ad) or a Graviton NVIDIA family (g5g) is not taken for an x86 NVIDIA one
    expect(cluster(newStack()).addNodePool('amd', { capacity: aws.NodeCapacity.onDemand(['g4ad.xlarge']) }).amiType).toBe('AL2023_x86_64_STANDARD');
  });

  test('Graviton NVIDIA instances (g5g) are refused: no AMI type of the node pools carries an Arm NVIDIA driver', () => {
    expect(errorOf(() => cluster(newStack()).addNodePool('gpu', { capacity: aws.NodeCapacity.onDemand(['g5g.xlarge']), amiType: aws.NodeAmiType.AL2023_ARM_64_STANDARD }))).toBe(
      'test/prod/gpu: capacity.instanceTypes ("g5g.xlarge") are Graviton NVIDIA GPU instances, which need an Arm AMI with the NVIDIA driver that shipshape\'s node pools '
      + 'do not offer (NodeAmiType has x86 NVIDIA types only): on the standard Arm AMI their GPU would not be usable; '
      + 'use x86 NVIDIA GPU instances (g5, g6, g4dn) with NodeAmiType.AL2023_X86_64_NVIDIA');
  });
});
