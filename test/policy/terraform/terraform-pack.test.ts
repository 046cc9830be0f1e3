import * as os from 'os';
import * as path from 'path';
import { App } from 'cdktf';
import { EksClusterStack } from '../../../examples/eks-cluster/stack';
import * as aws from '../../../lib/aws';
import { TerraformDocuments, TerraformPack } from '../../../lib/policy';
import { PolicyEngine } from '../../../lib/policy/engine';
import { Finding } from '../../../lib/policy/finding';
import { cluster, newStack } from '../../aws/util';

/** The example's Terraform JSON: a configuration that follows every rule. */
function exampleJson(): any {
  const app = new App({ outdir: path.join(os.tmpdir(), 'shipshape-tf-pack-test'), skipValidation: true });
  const stack = new EksClusterStack(app, 'eks-cluster');
  return JSON.parse(JSON.stringify(stack.toTerraform()));
}

const BASE = exampleJson();
const engine = new PolicyEngine({ packs: [new TerraformPack()] });

function check(json: any): Finding[] {
  return engine.check(TerraformDocuments.fromJson(json, 'stack')).findings;
}

/** The one resource of `type` whose construct path ends with `suffix`. */
function res(json: any, type: string, suffix: string): any {
  const found = Object.values(json.resource[type] ?? {}).filter((r: any) => r['//'].metadata.path.endsWith(suffix));
  if (found.length !== 1) throw new Error(`${type} *${suffix}: ${found.length} found`);
  return found[0];
}

const mutated = (fn: (j: any) => void) => {
  const j = JSON.parse(JSON.stringify(BASE));
  fn(j);
  return j;
};

const CLUSTER = 'shop-prod/cluster';

/** One non-compliant change per rule (IRSA cases use the EBS CSI driver's identity: its add-on takes an IRSA role). */
const CASES: Array<[string, string, (j: any) => void]> = [
  ['SS-EKS-001', 'audit logs off', (j) => { res(j, 'aws_eks_cluster', CLUSTER).enabled_cluster_log_types = ['api', 'authenticator']; }],
  ['SS-EKS-002', 'no secrets encryption', (j) => { delete res(j, 'aws_eks_cluster', CLUSTER).encryption_config; }],
  ['SS-EKS-003', 'key without rotation', (j) => { res(j, 'aws_kms_key', 'shop-prod/key').enable_key_rotation = false; }],
  ['SS-EKS-004', 'public endpoint left at the provider default', (j) => { delete res(j, 'aws_eks_cluster', CLUSTER).vpc_config.endpoint_public_access; }],
  ['SS-EKS-005', 'private endpoint off', (j) => { res(j, 'aws_eks_cluster', CLUSTER).vpc_config.endpoint_private_access = false; }],
  ['SS-EKS-006', 'public endpoint open to the internet', (j) => {
    const vpc = res(j, 'aws_eks_cluster', CLUSTER).vpc_config;
    vpc.endpoint_public_access = true;
    vpc.public_access_cidrs = ['0.0.0.0/0'];
  }],
  ['SS-EKS-007', 'unsupported version', (j) => { res(j, 'aws_eks_cluster', CLUSTER).version = '1.24'; }],
  ['SS-EKS-008', 'creator gets implicit admin', (j) => { res(j, 'aws_eks_cluster', CLUSTER).access_config.bootstrap_cluster_creator_admin_permissions = true; }],
  ['SS-EKS-009', 'cluster role trusted by EC2 too', (j) => {
    const role = res(j, 'aws_iam_role', 'shop-prod/role');
    const p = JSON.parse(role.assume_role_policy);
    p.Statement[0].Principal.Service = ['eks.amazonaws.com', 'ec2.amazonaws.com'];
    role.assume_role_policy = JSON.stringify(p);
  }],
  ['SS-EKS-010', 'control plane in one zone', (j) => {
    const vpc = res(j, 'aws_eks_cluster', CLUSTER).vpc_config;
    vpc.subnet_ids = [vpc.subnet_ids[0]];
  }],
  ['SS-EKS-011', 'log group kept 90 days', (j) => { res(j, 'aws_cloudwatch_log_group', 'shop-prod/log-group').retention_in_days = 90; }],
  ['SS-EKS-012', 'IMDSv1 allowed', (j) => { res(j, 'aws_launch_template', 'system/launch-template').metadata_options.http_tokens = 'optional'; }],
  ['SS-EKS-013', 'hop limit 2', (j) => { res(j, 'aws_launch_template', 'system/launch-template').metadata_options.http_put_response_hop_limit = 2; }],
  ['SS-EKS-014', 'SSH without source groups', (j) => { res(j, 'aws_eks_node_group', 'system/node-group').remote_access = { ec2_ssh_key: 'ops' }; }],
  ['SS-EKS-015', 'public IP on nodes', (j) => { res(j, 'aws_launch_template', 'system/launch-template').network_interfaces[0].associate_public_ip_address = 'true'; }],
  ['SS-EKS-016', 'unencrypted root volume', (j) => { res(j, 'aws_launch_template', 'system/launch-template').block_device_mappings[0].ebs.encrypted = 'false'; }],
  ['SS-EKS-017', 'access key in user data', (j) => {
    res(j, 'aws_launch_template', 'system/launch-template').user_data = Buffer.from('#!/bin/sh\nexport AWS_ACCESS_KEY_ID=AKIAABCDEFGHIJKLMNOP\n').toString('base64');
  }],
  ['SS-EKS-018', 'single-node pool', (j) => { res(j, 'aws_eks_node_group', 'system/node-group').scaling_config.min_size = 1; }],
  ['SS-EKS-019', 'Amazon Linux 2', (j) => { res(j, 'aws_eks_node_group', 'system/node-group').ami_type = 'AL2_x86_64'; }],
  ['SS-EKS-020', 'CNI policy on the node role', (j) => {
    j.resource.aws_iam_role_policy_attachment.extra_cni = {
      '//': { metadata: { path: 'eks-cluster/shop-prod/system/cni' } },
      'role': res(j, 'aws_iam_role_policy_attachment', 'system/AmazonEKSWorkerNodePolicy').role,
      'policy_arn': 'arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy',
    };
  }],
  ['SS-EKS-021', 'IRSA role without a sub condition', (j) => {
    const role = res(j, 'aws_iam_role', 'ebs-csi-identity/role');
    const p = JSON.parse(role.assume_role_policy);
    const eq = p.Statement[0].Condition.StringEquals;
    for (const k of Object.keys(eq)) if (k.endsWith(':sub')) delete eq[k];
    role.assume_role_policy = JSON.stringify(p);
  }],
  ['SS-EKS-022', 'vpc-cni without network policy', (j) => { delete res(j, 'aws_eks_addon', 'shop-prod/addon-vpc-cni').configuration_values; }],
  ['SS-EKS-023', 'a workload role with AdministratorAccess', (j) => {
    j.resource.aws_iam_role_policy_attachment.admin = {
      '//': { metadata: { path: 'eks-cluster/ebs-csi-identity/admin' } },
      'role': res(j, 'aws_iam_role', 'ebs-csi-identity/role').name,
      'policy_arn': 'arn:aws:iam::aws:policy/AdministratorAccess',
    };
  }],
];

describe('Terraform pack', () => {
  test('has 24 rules with unique ids SS-EKS-001..024', () => {
    const ids = new TerraformPack().rules.map((r) => r.id);
    expect(ids).toEqual(Array.from({ length: 24 }, (_, i) => `SS-EKS-${String(i + 1).padStart(3, '0')}`));
  });

  test('the example follows every rule', () => {
    expect(check(BASE)).toEqual([]);
  });

  describe.each(CASES)('%s', (ruleId, what, mutate) => {
    test('compliant: the example has no finding', () => {
      expect(check(BASE).filter((f) => f.ruleId === ruleId)).toEqual([]);
    });
    test(`non-compliant: ${what}`, () => {
      const findings = check(mutated(mutate));
      expect(findings.filter((f) => f.ruleId === ruleId).length).toBeGreaterThan(0);
      // the change breaks this rule, and only rules that are about the same thing
      expect(findings.every((f) => f.path.startsWith('eks-cluster/'))).toBe(true);
    });
  });
});

describe('Terraform pack: more non-compliant shapes', () => {
  test('EKS-01: one finding per missing log type', () => {
    const f = check(mutated((j) => { res(j, 'aws_eks_cluster', CLUSTER).enabled_cluster_log_types = ['api']; })).filter((x) => x.ruleId === 'SS-EKS-001');
    expect(f.map((x) => x.message)).toEqual([
      'control-plane log type "audit" is not enabled', 'control-plane log type "authenticator" is not enabled',
      'control-plane log type "controllerManager" is not enabled', 'control-plane log type "scheduler" is not enabled',
    ]);
  });

  test('EKS-03: key policy with a "*" principal', () => {
    const f = check(mutated((j) => {
      const key = res(j, 'aws_kms_key', 'shop-prod/key');
      const p = JSON.parse(key.policy);
      p.Statement[0].Principal = { AWS: '*' };
      key.policy = JSON.stringify(p);
    }));
    expect(f.filter((x) => x.ruleId === 'SS-EKS-003').map((x) => x.jsonPath)).toEqual(['policy.Statement[0].Principal']);
  });

  test('EKS-06: public endpoint with no CIDR list defaults to 0.0.0.0/0', () => {
    const f = check(mutated((j) => { res(j, 'aws_eks_cluster', CLUSTER).vpc_config.endpoint_public_access = true; }));
    expect(f.filter((x) => x.ruleId === 'SS-EKS-006').map((x) => x.message)).toEqual(['public_access_cidrs is unset, so it defaults to 0.0.0.0/0']);
  });

  test('EKS-06: CIDRs that add up to every IPv4 address are reported like 0.0.0.0/0; a part of the space is not', () => {
    const withCidrs = (cidrs: string[]) => check(mutated((j) => {
      const vpc = res(j, 'aws_eks_cluster', CLUSTER).vpc_config;
      vpc.endpoint_public_access = true;
      vpc.public_access_cidrs = cidrs;
    })).filter((x) => x.ruleId === 'SS-EKS-006').map((x) => x.jsonPath);
    expect(withCidrs(['0.0.0.0/1', '128.0.0.0/2', '192.0.0.0/2'])).toEqual(['vpc_config.public_access_cidrs']);
    expect(withCidrs(['0.0.0.0/0'])).toEqual(['vpc_config.public_access_cidrs']);
    expect(withCidrs(['0.0.0.0/1', '192.0.0.0/2'])).toEqual([]);
    expect(withCidrs(['203.0.113.0/24'])).toEqual([]);
  });

  test('EKS-07: the pack accepts exactly the versions aws.EksCluster builds (1.35 included in neither), and says which', () => {
    const candidates = Array.from({ length: 20 }, (_, i) => `1.${i + 20}`);
    const built = candidates.filter((v) => {
      try {
        cluster(newStack(), { version: aws.KubernetesVersion.of(v) });
        return true;
      } catch {
        return false;
      }
    });
    const warned = (v: string) => check(mutated((j) => { res(j, 'aws_eks_cluster', CLUSTER).version = v; })).filter((x) => x.ruleId === 'SS-EKS-007');
    const passed = candidates.filter((v) => warned(v).length === 0);
    expect(built).toEqual(['1.29', '1.30', '1.31', '1.32', '1.33', '1.34']);
    expect(passed).toEqual(built);
    // every constant of aws.KubernetesVersion is one of them
    const constants = Object.values(aws.KubernetesVersion).filter((x): x is aws.KubernetesVersion => x instanceof aws.KubernetesVersion).map((k) => k.version);
    expect(constants).toEqual(built);
    const f = warned('1.35');
    expect(f.map((x) => [x.message, x.fix])).toEqual([['Kubernetes 1.35 is not a version shipshape supports on EKS (no add-on versions are pinned for it)', 'pin version to one of 1.29, 1.30, 1.31, 1.32, 1.33, 1.34']]);
  });

  test('EKS-11: cluster that does not depend on its log group', () => {
    const f = check(mutated((j) => { res(j, 'aws_eks_cluster', CLUSTER).depends_on = []; }));
    expect(f.filter((x) => x.ruleId === 'SS-EKS-011')).toHaveLength(1);
  });

  test('EKS-14: security group with SSH open to the internet', () => {
    const f = check({ resource: { aws_security_group: { ssh: { ingress: [{ from_port: 22, to_port: 22, protocol: 'tcp', cidr_blocks: ['0.0.0.0/0'] }] } } } });
    expect(f.map((x) => x.ruleId)).toEqual(['SS-EKS-014']);
  });

  test('EKS-21: wildcard ServiceAccount with StringLike', () => {
    const f = check(mutated((j) => {
      const role = res(j, 'aws_iam_role', 'ebs-csi-identity/role');
      const p = JSON.parse(role.assume_role_policy);
      const eq = p.Statement[0].Condition.StringEquals;
      const sub = Object.keys(eq).find((k) => k.endsWith(':sub'))!;
      p.Statement[0].Condition.StringLike = { [sub]: 'system:serviceaccount:shop:*' };
      delete eq[sub];
      role.assume_role_policy = JSON.stringify(p);
    })).filter((x) => x.ruleId === 'SS-EKS-021');
    expect(f.length).toBe(2);
  });

  test('EKS-22: missing coredns add-on', () => {
    const f = check(mutated((j) => {
      for (const [k, v] of Object.entries<any>(j.resource.aws_eks_addon)) if (v.addon_name === 'coredns') delete j.resource.aws_eks_addon[k];
    }));
    expect(f.filter((x) => x.ruleId === 'SS-EKS-022').map((x) => x.message)).toEqual(['no managed add-on coredns']);
  });

  test('checks Terraform JSON that shipshape did not write', () => {
    const f = check({ resource: { aws_eks_cluster: { legacy: { name: 'legacy', role_arn: 'arn:aws:iam::123456789012:role/x', vpc_config: { subnet_ids: ['subnet-1', 'subnet-2'] } } } } });
    expect(new Set(f.map((x) => x.ruleId))).toEqual(new Set([
      'SS-EKS-001', 'SS-EKS-002', 'SS-EKS-004', 'SS-EKS-005', 'SS-EKS-006', 'SS-EKS-007', 'SS-EKS-008', 'SS-EKS-009', 'SS-EKS-011', 'SS-EKS-022',
    ]));
    expect(f[0].path).toBe('stack/aws_eks_cluster.legacy');
  });
  test('EKS-09: cluster role reused as a node role', () => {
    const f = check(mutated((j) => {
      res(j, 'aws_eks_node_group', 'system/node-group').node_role_arn = res(j, 'aws_eks_cluster', CLUSTER).role_arn;
    })).filter((x) => x.ruleId === 'SS-EKS-009');
    expect(f.map((x) => x.message)).toEqual([expect.stringMatching(/is also a node role$/)]);
  });

  test('EKS-12: launch template without metadata_options; EKS-13 then does not apply', () => {
    const f = check(mutated((j) => { delete res(j, 'aws_launch_template', 'system/launch-template').metadata_options; }));
    expect(f.filter((x) => x.ruleId === 'SS-EKS-012').map((x) => x.message)).toEqual(['metadata_options is missing']);
    expect(f.filter((x) => x.ruleId === 'SS-EKS-013')).toEqual([]);
  });

  test('EKS-14: security group rule and VPC ingress rule opening SSH', () => {
    const f = check({
      resource: {
        aws_security_group_rule: { ssh: { type: 'ingress', from_port: 0, to_port: 65535, protocol: 'tcp', cidr_blocks: ['0.0.0.0/0'] } },
        aws_vpc_security_group_ingress_rule: { ssh: { from_port: 22, to_port: 22, ip_protocol: 'tcp', cidr_ipv4: '0.0.0.0/0' } },
      },
    });
    expect(f.map((x) => x.ruleId)).toEqual(['SS-EKS-014', 'SS-EKS-014']);
  });

  test('EKS-15: node group in a subnet that maps public IPs', () => {
    const f = check(mutated((j) => { res(j, 'aws_subnet', 'network/private-eu-west-1a').map_public_ip_on_launch = true; }));
    expect(f.filter((x) => x.ruleId === 'SS-EKS-015').length).toBe(2);
  });

  test('EKS-16: launch template without block device mappings', () => {
    const f = check(mutated((j) => { delete res(j, 'aws_launch_template', 'system/launch-template').block_device_mappings; }));
    expect(f.filter((x) => x.ruleId === 'SS-EKS-016').map((x) => x.jsonPath)).toEqual(['block_device_mappings']);
  });

  test('EKS-19: ami_type unset', () => {
    const f = check(mutated((j) => { delete res(j, 'aws_eks_node_group', 'system/node-group').ami_type; }));
    expect(f.filter((x) => x.ruleId === 'SS-EKS-019').map((x) => x.message)).toEqual(['ami_type is unset']);
  });

  test('EKS-21: one Pod Identity role shared by two ServiceAccounts', () => {
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] }] });
    const f = check({
      resource: {
        aws_iam_role: { shared: { assume_role_policy: trust } },
        aws_eks_pod_identity_association: {
          a: { cluster_name: 'c', namespace: 'a', service_account: 'a', role_arn: '${aws_iam_role.shared.arn}' },
          b: { cluster_name: 'c', namespace: 'b', service_account: 'b', role_arn: '${aws_iam_role.shared.arn}' },
        },
      },
    });
    expect(f.map((x) => [x.ruleId, x.message])).toEqual([['SS-EKS-021', 'the role serves 2 ServiceAccounts; use one role per application']]);
  });

  test('EKS-22: vpc-cni without its own identity, and Pod Identity used without the agent', () => {
    const f = check(mutated((j) => {
      delete res(j, 'aws_eks_addon', 'shop-prod/addon-vpc-cni').service_account_role_arn;
      for (const [k, v] of Object.entries<any>(j.resource.aws_eks_addon)) if (v.addon_name === 'eks-pod-identity-agent') delete j.resource.aws_eks_addon[k];
      j.resource.aws_eks_pod_identity_association = {
        x: { cluster_name: res(j, 'aws_eks_addon', 'shop-prod/addon-vpc-cni').cluster_name, namespace: 'a', service_account: 'a', role_arn: 'arn:aws:iam::123456789012:role/a' },
      };
    })).filter((x) => x.ruleId === 'SS-EKS-022');
    expect(f.map((x) => x.message)).toEqual([
      'no managed add-on eks-pod-identity-agent',
      expect.stringMatching(/\(vpc-cni\) has no identity of its own/),
    ]);
  });
});

describe('SS-EKS-023: a workload role is no administrator', () => {
  /** The findings of SS-EKS-023 after giving the EBS CSI driver's role (a workload role) an inline policy of `statements`. */
  const inline = (...stmts: any[]) => check(mutated((j) => {
    j.resource.aws_iam_role_policy = {
      ...(j.resource.aws_iam_role_policy ?? {}),
      extra: {
        '//': { metadata: { path: 'eks-cluster/ebs-csi-identity/extra' } },
        'role': res(j, 'aws_iam_role', 'ebs-csi-identity/role').name,
        'name': 'extra',
        'policy': JSON.stringify({ Version: '2012-10-17', Statement: stmts }),
      },
    };
  })).filter((x) => x.ruleId === 'SS-EKS-023').map((x) => x.message);

  test.each([
    [{ Effect: 'Allow', Action: '*', Resource: '*' }, 'aws_iam_role_policy extra: Statement[0] allows every action (*)'],
    [{ Effect: 'Allow', Action: ['iam:*'], Resource: 'arn:aws:iam::123456789012:role/x' }, 'aws_iam_role_policy extra: Statement[0] allows every IAM action (iam:*), with which the role can grant itself anything'],
    [{ Effect: 'Allow', NotAction: ['iam:*'], Resource: '*' }, 'aws_iam_role_policy extra: Statement[0] allows everything but the actions NotAction lists'],
    [{ Effect: 'Allow', Action: ['s3:*', 'sqs:SendMessage'], Resource: '*' }, 'aws_iam_role_policy extra: Statement[0] allows every action of s3:* on every resource'],
  ])('%j is reported', (stmt, message) => {
    expect(inline(stmt)).toEqual([message]);
  });

  // an ARN with wildcards only where the resource's name goes reaches as far as "*"
  test.each([
    [{ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::*' }, 'allows every action of s3:* on every resource (arn:aws:s3:::* names them all)'],
    [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::*/*' }, 'allows s3:GetObject on every resource (arn:aws:s3:::*/* names them all): every secret, parameter, key or object of the account'],
    [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:*:s3:::*' }, 'allows s3:GetObject on every resource (arn:*:s3:::* names them all): every secret, parameter, key or object of the account'],
    [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: 'arn:aws:secretsmanager:*:*:secret:*' },
      'allows secretsmanager:GetSecretValue on every resource (arn:aws:secretsmanager:*:*:secret:* names them all): every secret, parameter, key or object of the account'],
    [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: ['arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab', 'arn:aws:kms:*:*:key/*'] },
      'allows kms:Decrypt on every resource (arn:aws:kms:*:*:key/* names them all): every secret, parameter, key or object of the account'],
    [{ Effect: 'Allow', Action: 'iam:PassRole', Resource: 'arn:aws:iam::123456789012:role/*' },
      'allows iam:PassRole on every resource (arn:aws:iam::123456789012:role/* names them all), with which the role can give itself (or what it starts) more rights than it has'],
    // a "*" ending an ARN cut short spans the colons after it (IAM)
    [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: 'arn:aws:kms:*' },
      'allows kms:Decrypt on every resource (arn:aws:kms:* names them all): every secret, parameter, key or object of the account'],
    [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: 'arn:aws:secretsmanager:eu-west-1:*' },
      'allows secretsmanager:GetSecretValue on every resource (arn:aws:secretsmanager:eu-west-1:* names them all): every secret, parameter, key or object of the account'],
    [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:*' },
      'allows s3:GetObject on every resource (arn:* names them all): every secret, parameter, key or object of the account'],
  ])('%j is reported like the same statement on "*"', (stmt, message) => {
    expect(inline(stmt)).toEqual([`aws_iam_role_policy extra: Statement[0] ${message}`]);
  });

  // escalation beyond IAM, one family a row: EKS access entries and cluster settings, Systems Manager commands and sessions, ECR pushes
  const ESCALATES = 'with which the role can give itself (or what it starts) more rights than it has';
  test.each([
    [{ Effect: 'Allow', Action: ['eks:CreateAccessEntry', 'eks:AssociateAccessPolicy'], Resource: '*' },
      `allows eks:CreateAccessEntry, eks:AssociateAccessPolicy on every resource, ${ESCALATES}`],
    [{ Effect: 'Allow', Action: ['eks:Update*', 'eks:Describe*'], Resource: 'arn:aws:eks:*:*:cluster/*' },
      `allows eks:UpdateAccessEntry, eks:UpdateClusterConfig on every resource (arn:aws:eks:*:*:cluster/* names them all), ${ESCALATES}`],
    [{ Effect: 'Allow', Action: ['ssm:SendCommand', 'ssm:StartSession'], Resource: '*' }, `allows ssm:SendCommand, ssm:StartSession on every resource, ${ESCALATES}`],
    [{ Effect: 'Allow', Action: ['ecr:GetAuthorizationToken', 'ecr:PutImage', 'ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload'], Resource: '*' },
      `allows ecr:PutImage, ecr:InitiateLayerUpload, ecr:UploadLayerPart, ecr:CompleteLayerUpload on every resource, ${ESCALATES}`],
    [{ Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:Query'], Resource: 'arn:aws:dynamodb:*:*:table/*' },
      'allows dynamodb:GetItem, dynamodb:Query on every resource (arn:aws:dynamodb:*:*:table/* names them all): every item of every table of the account'],
  ])('%j is reported', (stmt, message) => {
    expect(inline(stmt)).toEqual([`aws_iam_role_policy extra: Statement[0] ${message}`]);
  });

  /** The findings of SS-EKS-023 after attaching the AWS-managed policy `name` to the EBS CSI driver's role. */
  const managed = (name: string) => check(mutated((j) => {
    j.resource.aws_iam_role_policy_attachment.extra = {
      '//': { metadata: { path: 'eks-cluster/ebs-csi-identity/extra' } },
      'role': res(j, 'aws_iam_role', 'ebs-csi-identity/role').name,
      'policy_arn': `arn:aws:iam::aws:policy/${name}`,
    };
  })).filter((x) => x.ruleId === 'SS-EKS-023').map((x) => x.message);

  test.each([
    'AmazonEC2ContainerRegistryPowerUser', 'AmazonEC2ContainerRegistryFullAccess', 'AmazonDynamoDBReadOnlyAccess', 'AmazonDynamoDBFullAccess',
    'AmazonS3ReadOnlyAccess', 'AmazonSQSFullAccess', 'AmazonKinesisReadOnlyAccess', 'AmazonSSMManagedInstanceCore',
    // later versions and variants of a FullAccess policy
    'AmazonDynamoDBFullAccess_v2', 'AmazonDynamoDBFullAccesswithDataPipeline', 'AWSLambda_FullAccess',
  ])('the managed policy %s is reported', (name) => {
    expect(managed(name)).toEqual([expect.stringMatching(new RegExp(`^the role has the managed policy ${name} \\(attached by aws_iam_role_policy_attachment [^)]+\\), `
      + 'which grants a whole service \\(or reads everything\\) on every resource of the account$'))]);
  });

  // AmazonSQSReadOnlyAccess lists queues and reads their attributes, no message
  test('a read-only managed policy that reads no data is not reported', () => {
    expect(managed('AmazonSQSReadOnlyAccess')).toEqual([]);
  });

  test('the same actions on one instance, table or repository are not reported', () => {
    expect(inline(
      { Effect: 'Allow', Action: 'ssm:SendCommand', Resource: ['arn:aws:ec2:eu-west-1:123456789012:instance/i-0123456789abcdef0', 'arn:aws:ssm:eu-west-1::document/AWS-RunShellScript'] },
      { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:Query'], Resource: 'arn:aws:dynamodb:eu-west-1:123456789012:table/orders' },
      { Effect: 'Allow', Action: ['ecr:PutImage', 'ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload'], Resource: 'arn:aws:ecr:eu-west-1:123456789012:repository/shop/web' },
    )).toEqual([]);
  });

  test('actions on named resources, a whole service on one resource, and Deny statements are not reported', () => {
    expect(inline(
      { Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::orders/*' },
      { Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::orders-*/*' },
      { Effect: 'Allow', Action: ['ssm:GetParameters'], Resource: 'arn:aws:ssm:eu-west-1:123456789012:parameter/shop/*' },
      { Effect: 'Allow', Action: ['iam:PassRole'], Resource: 'arn:aws:iam::123456789012:role/shop/*' },
      { Effect: 'Allow', Action: ['kms:Decrypt'], Resource: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-*' },
      { Effect: 'Allow', Action: 's3:*', Resource: ['arn:aws:s3:::orders', 'arn:aws:s3:::orders/*'] },
      { Effect: 'Deny', Action: '*', Resource: '*' },
    )).toEqual([]);
  });

  test('roles no pod assumes (the cluster and node roles) are not this rule\'s', () => {
    const f = check(mutated((j) => {
      j.resource.aws_iam_role_policy_attachment.admin = {
        '//': { metadata: { path: 'eks-cluster/shop-prod/admin' } },
        'role': res(j, 'aws_iam_role', 'shop-prod/role').name,
        'policy_arn': 'arn:aws:iam::aws:policy/AdministratorAccess',
      };
    }));
    expect(f.filter((x) => x.ruleId === 'SS-EKS-023')).toEqual([]);
  });
});
