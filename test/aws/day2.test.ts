import { Testing } from 'cdktf';
import { cluster, errorOf, newStack, resourceAt, resources, synth, TAGS } from './util';
import * as aws from '../../lib/aws';
import { EnvironmentProfile } from '../../lib/core';

const eksOf = (json: any) => resources(json, 'aws_eks_cluster')[0];

describe('day-2 defaults', () => {
  const stack = newStack();
  const c = cluster(stack);
  c.addNodePool('system');
  const json = synth(stack);
  const eks = eksOf(json);

  test('production: zonal shift on, standard support, prevent_destroy (5.100.0 has no deletion_protection)', () => {
    expect(eks.zonal_shift_config).toEqual({ enabled: true });
    expect(eks.upgrade_policy).toEqual({ support_type: 'STANDARD' });
    expect(eks.lifecycle.prevent_destroy).toBe(true);
    expect(eks.deletion_protection).toBeUndefined();
    expect(c.deletionProtection).toBe(true);
  });

  test('node groups: auto-repair on, a third replaced at once, the cluster version', () => {
    const ng = resources(json, 'aws_eks_node_group')[0];
    expect(ng.node_repair_config).toEqual({ enabled: true });
    expect(ng.update_config).toEqual({ max_unavailable_percentage: 33 });
    expect(ng.version).toBe('1.33');
  });

  test('outputs: endpoint, certificate authority, cluster name, OIDC issuer, update-kubeconfig command', () => {
    expect(json.output).toEqual({
      prod_endpoint: { description: 'API server endpoint of prod', value: expect.stringMatching(/^\$\{aws_eks_cluster\.prod_cluster_[0-9A-F]+\.endpoint\}$/) },
      prod_certificate_authority_data: {
        description: 'Base64 certificate authority data of the prod API server',
        value: expect.stringMatching(/^\$\{aws_eks_cluster\.prod_cluster_[0-9A-F]+\.certificate_authority\[0\]\.data\}$/),
      },
      prod_cluster_name: { description: 'EKS cluster name', value: expect.stringMatching(/\.name\}$/) },
      prod_oidc_issuer: { description: 'OIDC issuer of prod', value: expect.stringMatching(/\.identity\[0\]\.oidc\[0\]\.issuer\}$/) },
      prod_update_kubeconfig: {
        description: 'Adds prod to ~/.kube/config (run from a network that reaches the private endpoint)',
        value: 'aws eks update-kubeconfig --region eu-west-1 --name prod',
      },
    });
    expect([c.endpointOutput, c.certificateAuthorityOutput, c.clusterNameOutput, c.oidcIssuerOutput, c.kubeconfigCommandOutput])
      .toEqual(['prod_endpoint', 'prod_certificate_authority_data', 'prod_cluster_name', 'prod_oidc_issuer', 'prod_update_kubeconfig']);
    expect(c.kubeconfigCommand).toBe('aws eks update-kubeconfig --region eu-west-1 --name prod');
  });

  test('plan-time upgrade check: reads the running cluster when it exists and bounds the version', () => {
    const running = Object.entries<any>(json.data.aws_eks_cluster)[0];
    expect(running[1].name).toBe('prod');
    expect(running[1].count).toMatch(/^\$\{contains\(tolist\(data\.aws_eks_clusters\.prod_existing-clusters_[0-9A-F]+\.names\), "prod"\) \? 1 : 0\}$/);
    expect(eks.lifecycle.precondition).toEqual([{
      condition: `\${alltrue([for v in data.aws_eks_cluster.${running[0]}[*].version : try(tonumber(split(".", v)[1]), -1) >= 32 && try(tonumber(split(".", v)[1]), -1) <= 33])}`,
      error_message: `EKS cluster prod runs Kubernetes \${join("", data.aws_eks_cluster.${running[0]}[*].version)}, and test/prod (version) sets 1.33: `
        + 'EKS raises a control plane one minor version at a time and never lowers it. Set version to the next minor version after the running one '
        + '(with upgradeFrom set to the running one), apply, and repeat.',
    }]);
  });
});

describe('day-2 options', () => {
  test('development: no zonal shift, no prevent_destroy; staging: zonal shift, no prevent_destroy', () => {
    const dev = newStack();
    cluster(dev, {}, EnvironmentProfile.DEVELOPMENT);
    const devEks = eksOf(synth(dev));
    expect(devEks.zonal_shift_config).toEqual({ enabled: false });
    expect(devEks.lifecycle?.prevent_destroy).toBeUndefined();
    const staging = newStack();
    cluster(staging, {}, EnvironmentProfile.STAGING);
    const stEks = eksOf(synth(staging));
    expect(stEks.zonal_shift_config).toEqual({ enabled: true });
    expect(stEks.lifecycle?.prevent_destroy).toBeUndefined();
  });

  test('extended support, zonal shift off, deletion protection off, no upgrade check', () => {
    const stack = newStack();
    cluster(stack, { supportType: aws.SupportType.EXTENDED, zonalShift: false, deletionProtection: false, upgradeCheck: false });
    const json = synth(stack);
    const eks = eksOf(json);
    expect(eks.upgrade_policy).toEqual({ support_type: 'EXTENDED' });
    expect(eks.zonal_shift_config).toEqual({ enabled: false });
    expect(eks.lifecycle).toBeUndefined();
    expect(json.data.aws_eks_cluster).toBeUndefined();
  });

  test('node group: maxUnavailable as a count, auto-repair off, held one version behind the cluster', () => {
    const stack = newStack();
    const c = cluster(stack, { version: aws.KubernetesVersion.V1_33, upgradeFrom: aws.KubernetesVersion.V1_32 });
    const pool = c.addNodePool('system', { maxUnavailable: 1, autoRepair: false, kubernetesVersion: aws.KubernetesVersion.V1_32 });
    const ng = resourceAt(synth(stack), 'aws_eks_node_group', 'prod_system_node-group');
    expect(ng.update_config).toEqual({ max_unavailable: 1 });
    expect(ng.node_repair_config).toEqual({ enabled: false });
    expect(ng.version).toBe('1.32');
    expect(pool.kubernetesVersion).toBe('1.32');
    expect(c.upgradeFrom).toBe('1.32');
    // the profile says so (the Kubernetes app then targets 1.32); a pool at the cluster's version says nothing
    c.addNodePool('general');
    expect(c.profile.nodePools.map(p => [p.name, p.kubernetesVersion])).toEqual([['prod-system', '1.32'], ['prod-general', undefined]]);
  });

  test('a pool three minor versions behind is allowed', () => {
    const c = cluster(newStack(), { version: aws.KubernetesVersion.V1_33 });
    expect(c.addNodePool('old', { kubernetesVersion: aws.KubernetesVersion.V1_30 }).kubernetesVersion).toBe('1.30');
  });

  test('add-on versions: overrides for the target version are accepted', () => {
    const stack = newStack();
    cluster(stack, {
      addonVersions: { vpcCni: 'v1.20.0-eksbuild.1', coreDns: 'v1.12.1-eksbuild.2', kubeProxy: 'v1.33.0-eksbuild.2', ebsCsiDriver: 'v1.44.0-eksbuild.1', podIdentityAgent: 'v1.3.7-eksbuild.2' },
    });
    const addons = Object.fromEntries(resources(synth(stack), 'aws_eks_addon').map((a) => [a.addon_name, a.addon_version]));
    expect(addons['kube-proxy']).toBe('v1.33.0-eksbuild.2');
  });
});

describe('day-2 refusals', () => {
  const pinned = { vpcCni: 'v1.20.1-eksbuild.3', coreDns: 'v1.12.4-eksbuild.1', kubeProxy: 'v1.33.5-eksbuild.2', ebsCsiDriver: 'v1.45.0-eksbuild.2', podIdentityAgent: 'v1.3.8-eksbuild.2' };

  test('an upgrade of more than one minor version', () => {
    expect(errorOf(() => cluster(newStack(), { version: aws.KubernetesVersion.V1_33, upgradeFrom: aws.KubernetesVersion.V1_31 }))).toBe(
      'test/prod: version ("1.33") may be at most one minor version above upgradeFrom (1.31): EKS raises a control plane one minor version at a time; '
      + 'set version to 1.32 and apply, then raise it to 1.33 with upgradeFrom 1.32');
  });

  test('a downgrade', () => {
    expect(errorOf(() => cluster(newStack(), { version: aws.KubernetesVersion.V1_32, upgradeFrom: aws.KubernetesVersion.V1_33 }))).toBe(
      'test/prod: version ("1.32") must not be lower than upgradeFrom (1.33): EKS cannot downgrade a control plane; keep version at 1.33 or higher');
  });

  test('an upgradeFrom that is not a version', () => {
    expect(errorOf(() => cluster(newStack(), { upgradeFrom: aws.KubernetesVersion.of('latest') }))).toBe(
      'test/prod: upgradeFrom ("latest") must be a Kubernetes minor version such as 1.32; pass the version the cluster runs today, for example KubernetesVersion.V1_32');
  });

  test('a node pool newer than the cluster', () => {
    expect(errorOf(() => cluster(newStack(), { version: aws.KubernetesVersion.V1_32 }).addNodePool('p', { kubernetesVersion: aws.KubernetesVersion.V1_33 }))).toBe(
      "test/prod/p: kubernetesVersion (\"1.33\") must not be newer than the cluster's version (1.32): nodes never run ahead of the control plane; "
      + 'raise the cluster version first, or leave kubernetesVersion out');
  });

  test('a node pool more than three minor versions behind', () => {
    expect(errorOf(() => cluster(newStack(), { version: aws.KubernetesVersion.V1_33 }).addNodePool('p', { kubernetesVersion: aws.KubernetesVersion.V1_29 }))).toBe(
      "test/prod/p: kubernetesVersion (\"1.29\") must be at most 3 minor versions behind the cluster's version (1.33), the kubelet skew Kubernetes supports; "
      + 'raise the pool to 1.30 or later before raising the cluster');
  });

  test('kube-proxy of the previous version when the cluster is raised', () => {
    expect(errorOf(() => cluster(newStack(), {
      version: aws.KubernetesVersion.V1_33,
      upgradeFrom: aws.KubernetesVersion.V1_32,
      addonVersions: { ...pinned, kubeProxy: 'v1.32.9-eksbuild.2' },
    }))).toBe('test/prod: addonVersions.kubeProxy ("v1.32.9-eksbuild.2") must be a kube-proxy release for Kubernetes 1.33 (v1.33.x-eksbuild.N): '
      + 'kube-proxy follows the control plane\'s minor version; use v1.33.5-eksbuild.2 (pinned for 1.33) or leave addonVersions out');
  });

  test('an add-on version that is not an EKS add-on version', () => {
    expect(errorOf(() => cluster(newStack(), { addonVersions: { ...pinned, coreDns: '1.12' } }))).toBe(
      'test/prod: addonVersions.coreDns ("1.12") must be an EKS add-on version such as v1.2.3-eksbuild.1; '
      + 'copy it from `aws eks describe-addon-versions --kubernetes-version 1.33`, or leave addonVersions out (pinned: v1.12.4-eksbuild.1)');
  });

  test('maxUnavailable with maxUnavailablePercentage, and out of range', () => {
    const c = cluster(newStack());
    expect(errorOf(() => c.addNodePool('p', { maxUnavailable: 1, maxUnavailablePercentage: 10 }))).toBe(
      'test/prod/p: maxUnavailable (1) must not be combined with maxUnavailablePercentage; give one of the two');
    expect(errorOf(() => c.addNodePool('q', { maxUnavailable: 0 }))).toBe(
      'test/prod/q: maxUnavailable (0) must be a whole number between 1 and 100 (the EKS limit); use a small number such as 1');
  });

  test('an unknown support type', () => {
    expect(errorOf(() => cluster(newStack(), { supportType: 'FOREVER' as any }))).toBe(
      'test/prod: supportType ("FOREVER") must be one of STANDARD, EXTENDED; use SupportType.STANDARD or SupportType.EXTENDED');
  });
});

describe('ARNs of AWS-managed policies are literal', () => {
  // the partition of the cluster's region is known at synth: no aws_partition data source, so a terraform test with a
  // mocked provider (whose data sources return random strings) plans them as written
  test('the partition comes from the region, with no data source', () => {
    const stack = newStack();
    cluster(stack).addNodePool('general');
    const json = synth(stack);
    expect(Object.keys(json.data ?? {})).not.toContain('aws_partition');
    const arns = resources(json, 'aws_iam_role_policy_attachment').map((a: any) => a.policy_arn);
    expect(arns).toContain('arn:aws:iam::aws:policy/AmazonEKSClusterPolicy');
    expect(arns).toContain('arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy');
    expect(arns.filter((a: string) => !a.startsWith('arn:aws:iam::aws:policy/'))).toEqual([]);
  });

  test('a region of another partition gives its partition', () => {
    const stack = newStack();
    const net = new aws.Network(stack, 'net', { region: 'cn-north-1', availabilityZones: ['cn-north-1a', 'cn-north-1b'], tags: TAGS });
    new aws.EksCluster(stack, 'prod', { network: net, version: aws.KubernetesVersion.V1_33 }).addNodePool('general');
    const arns = resources(synth(stack), 'aws_iam_role_policy_attachment').map((a: any) => a.policy_arn);
    expect(arns).toContain('arn:aws-cn:iam::aws:policy/AmazonEKSClusterPolicy');
  });
});

describe('Session Manager on the node role', () => {
  const policies = (json: any, role: string) => resources(json, 'aws_iam_role_policy_attachment')
    .filter((a: any) => String(a.role).includes(role)).map((a: any) => String(a.policy_arn).split('/').pop());

  test('on by default (reach nodes without SSH); sessionManager: false leaves AmazonSSMManagedInstanceCore off the pool\'s role', () => {
    const stack = newStack();
    const c = cluster(stack);
    c.addNodePool('general');
    c.addNodePool('locked', { sessionManager: false });
    const json = synth(stack);
    expect(policies(json, 'prod_general')).toContain('AmazonSSMManagedInstanceCore');
    expect(policies(json, 'prod_locked').sort()).toEqual(['AmazonEC2ContainerRegistryPullOnly', 'AmazonEKSWorkerNodePolicy']);
  });

  test('the opt-out passes the Terraform pack (SS-EKS-020 does not require Session Manager)', () => {
    const stack = newStack();
    cluster(stack, { admins: ['arn:aws:iam::123456789012:role/admin'] }).addNodePool('locked', { sessionManager: false });
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(() => Testing.synth(stack, true)).not.toThrow();
    } finally {
      spy.mockRestore();
    }
  });

  test('Karpenter\'s node role too', () => {
    const on = newStack();
    new aws.Karpenter(on, 'karpenter', { cluster: cluster(on), amiAlias: 'al2023@v20250704' });
    expect(policies(synth(on), 'karpenter')).toContain('AmazonSSMManagedInstanceCore');
    const off = newStack();
    new aws.Karpenter(off, 'karpenter', { cluster: cluster(off), amiAlias: 'al2023@v20250704', sessionManager: false });
    expect(policies(synth(off), 'karpenter')).not.toContain('AmazonSSMManagedInstanceCore');
  });
});
