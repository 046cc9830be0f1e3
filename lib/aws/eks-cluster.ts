import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association';
import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import { EksCluster as EksClusterResource } from '@cdktf/provider-aws/lib/eks-cluster';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { Fn, ITerraformDependable, TerraformLocal, TerraformOutput } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { CostTags } from './cost-tags';
import { AddonVersions, KubernetesVersion } from './kubernetes-version';
import { INetwork } from './network';
import { NodePool, NodePoolOptions } from './node-pool';
import { PINNED_ADDON_VERSIONS } from './private/addon-versions';
import { AwsContext, dependsOnRef, policyJson } from './private/aws-context';
import { parseCidr } from './private/cidr';
import { LOG_RETENTION_DAYS, logKeyPolicy } from './private/kms';
import { renderCostTags } from './private/tags';
import { TerraformPolicy } from './terraform-policy';
import { WorkloadIdentity, WorkloadIdentityOptions } from './workload-identity';
import { ClusterProfile, StorageClassProfile } from '../core/cluster-profile';
import { fail } from '../core/errors';
import { Names } from '../core/names';
import { EnvironmentProfile } from '../core/profile';
import { Policy } from '../policy/policy';

/**
 * An EKS cluster node pools and workload identities can attach to.
 */
export interface IEksCluster extends IConstruct {
  /** The cluster name (plain). */
  readonly clusterName: string;
  /** The cluster name as a reference to the cluster resource (a token: creates the dependency). */
  readonly clusterNameRef: string;
  /** The Kubernetes minor version (plain), for example `1.33`. */
  readonly kubernetesVersion: string;
  /** The network the cluster runs in. */
  readonly network: INetwork;
  /** The environment the cluster serves. */
  readonly environment: EnvironmentProfile;
  /** The AWS region (plain). */
  readonly region: string;
  /**
   * The AWS account id, when given (plain).
   * @default - unknown until apply
   */
  readonly account?: string;
  /** ARN of the cluster's IAM OIDC provider (token). */
  readonly oidcProviderArn: string;
  /** The cluster's OIDC issuer URL (token). */
  readonly oidcIssuer: string;
  /** The OIDC issuer without `https://` (token: a Terraform local), the prefix of IRSA condition keys. */
  readonly oidcIssuerHost: string;
  /** ARN of the customer-managed KMS key (secrets, control-plane logs, node volumes) (token). */
  readonly encryptionKeyArn: string;
  /** The EKS-managed cluster security group id (token). */
  readonly clusterSecurityGroupId: string;
  /** The tags every resource of the cluster carries. */
  readonly resourceTags: { [key: string]: string };
}

/**
 * Properties of an `EksCluster`.
 */
export interface EksClusterProps {
  /** The network (VPC) the cluster runs in; the control plane and nodes use its private subnets. */
  readonly network: INetwork;
  /** The pinned Kubernetes version. */
  readonly version: KubernetesVersion;
  /**
   * Cost-attribution tags applied to every resource.
   * @default - the network's tags
   */
  readonly tags?: CostTags;
  /**
   * The cluster name.
   * @default - the construct id in kebab case
   */
  readonly clusterName?: string;
  /**
   * The environment.
   * @default - the network's environment
   */
  readonly environment?: EnvironmentProfile;
  /**
   * IAM principal ARNs (roles or users) granted cluster-admin through an access entry.
   * @default - none: grant access with `grantClusterAdmin()`
   */
  readonly admins?: string[];
  /**
   * CIDRs allowed to reach a public API endpoint. Giving any turns the public endpoint on;
   * `0.0.0.0/0` is refused. The private endpoint is always on.
   * @default - no public endpoint
   */
  readonly publicAccessCidrs?: string[];
  /**
   * Retention of the control-plane log group, in days (365 or more).
   * @default 365
   */
  readonly logRetentionDays?: number;
  /**
   * The AWS account id, if known: makes role ARNs in the profile plain values.
   * @default - unknown until apply
   */
  readonly account?: string;
  /**
   * Override the pinned add-on versions.
   * @default - the versions pinned for `version`
   */
  readonly addonVersions?: AddonVersions;
}

const LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];

/**
 * A production EKS cluster: pinned version, dedicated cluster role, private API endpoint,
 * secrets envelope encryption with a rotating customer-managed KMS key, all control-plane log
 * types into a pre-created encrypted log group, access entries (API mode, no implicit creator
 * admin), an IAM OIDC provider, and managed add-ons (vpc-cni with network policy, coredns,
 * kube-proxy, aws-ebs-csi-driver, eks-pod-identity-agent) at pinned versions.
 *
 * The Terraform policy pack (`TerraformPack`, RULES.md EKS-01 … EKS-22) is attached to the stack
 * and runs on every synth.
 *
 * Before the first apply: node volumes are encrypted with the cluster key through the Auto Scaling
 * service-linked role, which must exist in the account
 * (`aws iam create-service-linked-role --aws-service-name autoscaling.amazonaws.com`).
 */
export class EksCluster extends Construct implements IEksCluster {
  public readonly clusterName: string;
  public readonly clusterNameRef: string;
  public readonly kubernetesVersion: string;
  public readonly network: INetwork;
  public readonly environment: EnvironmentProfile;
  public readonly region: string;
  public readonly account?: string;
  public readonly oidcProviderArn: string;
  public readonly oidcIssuer: string;
  public readonly oidcIssuerHost: string;
  public readonly encryptionKeyArn: string;
  public readonly clusterSecurityGroupId: string;
  public readonly resourceTags: { [key: string]: string };
  /** Name of the Terraform output carrying the OIDC issuer URL. */
  public readonly oidcIssuerOutput: string;
  /** Whether the public API endpoint is on. */
  public readonly publicEndpoint: boolean;
  /** The pinned add-on versions. */
  public readonly addonVersions: AddonVersions;
  /** Escape hatch: the EKS cluster resource. */
  public readonly resource: EksClusterResource;
  /** Escape hatch: the cluster IAM role. */
  public readonly role: IamRole;
  /** Escape hatch: the customer-managed KMS key. */
  public readonly key: KmsKey;
  /** Escape hatch: the control-plane log group. */
  public readonly logGroup: CloudwatchLogGroup;
  /** Escape hatch: the IAM OIDC provider. */
  public readonly oidcProvider: IamOpenidConnectProvider;
  /** Escape hatch: the managed add-ons by name (`vpc-cni`, `coredns`, ...). */
  public readonly addons: { [name: string]: EksAddon };
  private readonly pools: NodePool[] = [];
  private readonly identities: WorkloadIdentity[] = [];
  private readonly adminCount: { n: number } = { n: 0 };
  private readonly vpcCni: EksAddon;
  private readonly coreDns: EksAddon;
  private readonly addonDependents: EksAddon[];

  constructor(scope: Construct, id: string, props: EksClusterProps) {
    super(scope, id);
    TerraformPolicy._ensure(this);
    if (!props.network) fail(this, 'network', props.network, 'is required', 'pass a Network');
    this.network = props.network;
    this.region = props.network.region;
    this.environment = props.environment ?? props.network.environment;
    this.resourceTags = renderCostTags(this, 'tags', props.tags ?? props.network.costTags);
    this.clusterName = props.clusterName ?? Names.kebab(id);
    if (!/^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/.test(this.clusterName)) {
      fail(this, 'clusterName', this.clusterName, 'must be 1-100 letters, digits, - or _, starting with a letter or digit', 'pass a valid clusterName');
    }
    const version = props.version?.version;
    const supported = Object.keys(PINNED_ADDON_VERSIONS);
    if (!version || !PINNED_ADDON_VERSIONS[version]) {
      fail(this, 'version', version, `must be a supported EKS Kubernetes version: ${supported.join(', ')}`,
        `pin one, for example KubernetesVersion.V${supported[supported.length - 1].replace('.', '_')}`);
    }
    this.kubernetesVersion = version;
    this.addonVersions = props.addonVersions ?? PINNED_ADDON_VERSIONS[version];
    if (props.account !== undefined && !/^\d{12}$/.test(props.account)) {
      fail(this, 'account', props.account, 'must be a 12-digit AWS account id', 'pass the account id or leave it out');
    }
    this.account = props.account;

    const cidrs = props.publicAccessCidrs ?? [];
    for (const c of cidrs) {
      const p = parseCidr(c);
      if (!p) {
        fail(this, 'publicAccessCidrs', c, 'must be IPv4 network CIDRs (a.b.c.d/n, no host bits set)', "write it like '203.0.113.0/24'");
      }
      if (p.prefix === 0) {
        fail(this, 'publicAccessCidrs', c, 'must not contain 0.0.0.0/0 (the API endpoint would be open to the internet)',
          'list your office or CI egress ranges, or leave publicAccessCidrs out to keep the endpoint private');
      }
    }
    this.publicEndpoint = cidrs.length > 0;
    const retention = props.logRetentionDays ?? 365;
    if (!LOG_RETENTION_DAYS.includes(retention) || retention < 365) {
      fail(this, 'logRetentionDays', retention, `must be a CloudWatch retention of at least 365 days (${LOG_RETENTION_DAYS.filter((d) => d >= 365).join(', ')})`,
        'use 365 or more');
    }

    const ctx = AwsContext.of(this);
    const tags = this.resourceTags;
    const arnPrefix = `arn:${ctx.partition}`;

    // Customer-managed key: secrets envelope encryption, control-plane logs, node volumes.
    const autoscalingRole = `${arnPrefix}:iam::${ctx.accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
    this.key = new KmsKey(this, 'key', {
      description: `${this.clusterName} EKS secrets, logs and node volumes`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: logKeyPolicy(ctx, this.region, [
        {
          Sid: 'NodeVolumesViaAutoScaling',
          Effect: 'Allow',
          Principal: { AWS: autoscalingRole },
          Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
          Resource: '*',
        },
        {
          Sid: 'NodeVolumeGrantsViaAutoScaling',
          Effect: 'Allow',
          Principal: { AWS: autoscalingRole },
          Action: 'kms:CreateGrant',
          Resource: '*',
          Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
        },
      ]),
      tags,
    });
    new KmsAlias(this, 'key-alias', { name: `alias/eks/${this.clusterName}`, targetKeyId: this.key.keyId });
    this.encryptionKeyArn = this.key.arn;

    this.logGroup = new CloudwatchLogGroup(this, 'log-group', {
      name: `/aws/eks/${this.clusterName}/cluster`,
      retentionInDays: retention,
      kmsKeyId: this.key.arn,
      tags,
    });

    this.role = new IamRole(this, 'role', {
      name: `${this.clusterName}-cluster`.slice(0, 64),
      description: `EKS control plane of ${this.clusterName}`,
      assumeRolePolicy: policyJson([{ Effect: 'Allow', Principal: { Service: 'eks.amazonaws.com' }, Action: 'sts:AssumeRole' }]),
      tags,
    });
    const clusterPolicy = new IamRolePolicyAttachment(this, 'cluster-policy', {
      role: this.role.name,
      policyArn: `${arnPrefix}:iam::aws:policy/AmazonEKSClusterPolicy`,
    });
    const keyPolicy = new IamRolePolicy(this, 'key-use', {
      role: this.role.name,
      name: 'secrets-encryption',
      policy: policyJson([{
        Effect: 'Allow',
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ListGrants', 'kms:DescribeKey'],
        Resource: this.key.arn,
      }]),
    });

    this.resource = new EksClusterResource(this, 'cluster', {
      name: this.clusterName,
      version: this.kubernetesVersion,
      roleArn: this.role.arn,
      vpcConfig: {
        subnetIds: this.network.privateSubnetIds,
        endpointPrivateAccess: true,
        endpointPublicAccess: this.publicEndpoint,
        publicAccessCidrs: this.publicEndpoint ? [...cidrs] : undefined,
      },
      encryptionConfig: { resources: ['secrets'], provider: { keyArn: this.key.arn } },
      enabledClusterLogTypes: [...LOG_TYPES],
      accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
      bootstrapSelfManagedAddons: false,
      upgradePolicy: { supportType: 'STANDARD' },
      tags,
      dependsOn: [this.logGroup, clusterPolicy, keyPolicy],
    });
    if (this.publicEndpoint) {
      // The public endpoint was asked for explicitly, with an allow-list: record the opt-out of
      // SS-EKS-004 where reviewers see it (every policy report lists it with this reason).
      Policy.suppress(this.resource, 'SS-EKS-004',
        `public API endpoint requested explicitly with publicAccessCidrs (${cidrs.join(', ')}); the private endpoint stays on`);
    }
    this.clusterNameRef = this.resource.name;
    this.clusterSecurityGroupId = this.resource.vpcConfig.clusterSecurityGroupId;
    this.oidcIssuer = this.resource.identity.get(0).oidc.get(0).issuer;

    // A local keeps the IRSA trust policies plain JSON text (no quoted function arguments inside).
    this.oidcIssuerHost = new TerraformLocal(this, 'oidc-issuer-host', Fn.replace(this.oidcIssuer, 'https://', '')).asString;

    this.oidcProvider = new IamOpenidConnectProvider(this, 'oidc', {
      url: this.oidcIssuer,
      clientIdList: ['sts.amazonaws.com'],
      tags,
    });
    this.oidcProviderArn = this.oidcProvider.arn;
    const issuerOutput = new TerraformOutput(this, 'oidc-issuer', { value: this.oidcIssuer, description: `OIDC issuer of ${this.clusterName}` });
    this.oidcIssuerOutput = `${this.clusterName.replace(/-/g, '_')}_oidc_issuer`;
    issuerOutput.overrideLogicalId(this.oidcIssuerOutput);

    for (const admin of props.admins ?? []) this.grantClusterAdmin(admin);

    // Managed add-ons at pinned versions; vpc-cni and the EBS CSI driver get their own identities.
    const cniIdentity = new WorkloadIdentity(this, 'vpc-cni-identity', {
      cluster: this,
      namespace: 'kube-system',
      serviceAccount: 'aws-node',
      roleName: `${this.clusterName}-vpc-cni`.slice(0, 64),
      managedPolicyArns: [`${arnPrefix}:iam::aws:policy/AmazonEKS_CNI_Policy`],
    });
    const ebsIdentity = new WorkloadIdentity(this, 'ebs-csi-identity', {
      cluster: this,
      namespace: 'kube-system',
      serviceAccount: 'ebs-csi-controller-sa',
      roleName: `${this.clusterName}-ebs-csi`.slice(0, 64),
      managedPolicyArns: [`${arnPrefix}:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy`],
    });
    const addon = (name: string, addonVersion: string, extra: { serviceAccountRoleArn?: string; configurationValues?: string; dependsOn?: ITerraformDependable[] } = {}) =>
      new EksAddon(this, `addon-${name}`, {
        clusterName: this.clusterNameRef,
        addonName: name,
        addonVersion,
        resolveConflictsOnCreate: 'OVERWRITE',
        resolveConflictsOnUpdate: 'PRESERVE',
        tags,
        ...extra,
      });
    const v = this.addonVersions;
    this.vpcCni = addon('vpc-cni', v.vpcCni, {
      serviceAccountRoleArn: cniIdentity.roleArn,
      configurationValues: JSON.stringify({ enableNetworkPolicy: 'true' }),
    });
    const podIdentityAgent = addon('eks-pod-identity-agent', v.podIdentityAgent);
    const kubeProxy = addon('kube-proxy', v.kubeProxy);
    this.coreDns = addon('coredns', v.coreDns);
    const ebs = addon('aws-ebs-csi-driver', v.ebsCsiDriver, { serviceAccountRoleArn: ebsIdentity.roleArn });
    this.addons = {
      'vpc-cni': this.vpcCni,
      'eks-pod-identity-agent': podIdentityAgent,
      'kube-proxy': kubeProxy,
      'coredns': this.coreDns,
      'aws-ebs-csi-driver': ebs,
    };
    this.addonDependents = [this.coreDns, ebs];
  }

  /**
   * Adds a managed node group.
   */
  public addNodePool(id: string, options: NodePoolOptions = {}): NodePool {
    const pool = new NodePool(this, id, { ...options, cluster: this });
    // Nodes need the CNI before they turn Ready; coredns and the CSI controller need nodes.
    pool.resource.dependsOn = [...(pool.resource.dependsOn ?? []), dependsOnRef(this.vpcCni)];
    for (const a of this.addonDependents) a.dependsOn = [...(a.dependsOn ?? []), dependsOnRef(pool.resource)];
    this.pools.push(pool);
    return pool;
  }

  /**
   * Adds an IAM role for one application, assumable only by one ServiceAccount.
   */
  public addWorkloadIdentity(id: string, options: WorkloadIdentityOptions): WorkloadIdentity {
    const identity = new WorkloadIdentity(this, id, { ...options, cluster: this });
    this.identities.push(identity);
    return identity;
  }

  /**
   * Grants an IAM principal cluster-admin through an access entry and the
   * AmazonEKSClusterAdminPolicy access policy.
   * @param principalArn an IAM role or user ARN
   */
  public grantClusterAdmin(principalArn: string): void {
    if (typeof principalArn !== 'string' || !/^(arn:aws[a-z-]*:iam::\d{12}:(role|user)\/.+|\$\{.+\})$/.test(principalArn)) {
      fail(this, 'admins', principalArn, 'must be an IAM role or user ARN', "pass an ARN like 'arn:aws:iam::123456789012:role/platform-admin'");
    }
    const n = this.adminCount.n++;
    const entry = new EksAccessEntry(this, `admin-${n}`, {
      clusterName: this.clusterNameRef,
      principalArn,
      type: 'STANDARD',
      tags: this.resourceTags,
    });
    new EksAccessPolicyAssociation(this, `admin-${n}-policy`, {
      clusterName: this.clusterNameRef,
      principalArn,
      policyArn: `arn:${AwsContext.of(this).partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`,
      accessScope: { type: 'cluster' },
      dependsOn: [entry],
    });
  }

  /** The node pools added so far. */
  public get nodePools(): NodePool[] {
    return [...this.pools];
  }

  /**
   * What workloads need to know about the cluster, as plain values (for the Kubernetes side).
   */
  public get profile(): ClusterProfile {
    const storageClasses: StorageClassProfile[] = [{
      name: 'gp3',
      provisioner: 'ebs.csi.aws.com',
      isDefault: true,
      parameters: { type: 'gp3', encrypted: 'true', fsType: 'ext4' },
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
      reclaimPolicy: 'Delete',
    }];
    return {
      clusterName: this.clusterName,
      kubernetesVersion: this.kubernetesVersion,
      environment: this.environment,
      region: this.region,
      account: this.account,
      zones: [...this.network.availabilityZones],
      nodePools: this.pools.map((p) => p._toProfile()),
      storageClasses,
      networkPolicyEnforced: true,
      oidcIssuerOutput: this.oidcIssuerOutput,
      workloadIdentities: this.identities.map((i) => i._toProfile()),
    };
  }

}
