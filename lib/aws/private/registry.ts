import { TerraformElement, TerraformResource, TerraformStack, Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { AwsContext, defaultAwsProvider } from './aws-context';
import { fail, formatValidationMessage, pathOf, show } from '../../core/errors';
import type { KarpenterProfile } from '../../core/karpenter-profile';

/**
 * What must be unique per EKS cluster across the whole construct tree: node pool names (managed node
 * groups, Karpenter NodePools and Auto Mode's built-in pools share the `shipshape.dev/node-pool` label
 * and the NodePool namespace) and ServiceAccounts bound to an IAM identity.
 *
 * Keyed by the app (construct root) and the cluster's region and name, so an imported cluster
 * (`EksCluster.fromClusterAttributes`) and the cluster itself share one record.
 * @internal
 */
interface ClusterRecord {
  /** The cluster's AWS account, once one of the constructs naming the cluster says it. */
  account?: string;
  readonly pools: Map<string, string>;
  readonly serviceAccounts: Map<string, string>;
  owned?: boolean;
  /** The EksCluster that creates the cluster (its construct path), and whether its clusterName is the default (its id). */
  createdBy?: { readonly path: string; readonly defaulted: boolean };
  managedNodeGroups: number;
  karpenter?: { path: string; profile: () => KarpenterProfile };
}

const RECORDS = new WeakMap<IConstruct, Map<string, ClusterRecord[]>>();

/**
 * The record of a cluster: by region and name, and by account where known (clusters of one name in two accounts,
 * staging and production, are two clusters; a construct that does not know the account shares the record).
 */
function recordOf(owner: IConstruct, cluster: RegistryCluster): ClusterRecord {
  const root = owner.node.root;
  let byCluster = RECORDS.get(root);
  if (!byCluster) {
    byCluster = new Map();
    RECORDS.set(root, byCluster);
  }
  const key = `${cluster.region}/${cluster.clusterName}`;
  const account = typeof cluster.account === 'string' && !Token.isUnresolved(cluster.account) ? cluster.account : undefined;
  let records = byCluster.get(key);
  if (!records) {
    records = [];
    byCluster.set(key, records);
  }
  let record = records.find(r => r.account === undefined || account === undefined || r.account === account);
  if (!record) {
    record = { account, pools: new Map(), serviceAccounts: new Map(), managedNodeGroups: 0 };
    records.push(record);
  } else if (record.account === undefined && account !== undefined) {
    record.account = account;
  }
  return record;
}

/** The cluster identity the registry needs. @internal */
export interface RegistryCluster {
  readonly region: string;
  readonly clusterName: string;
  /** The AWS account, when known at synth. */
  readonly account?: string;
}

/**
 * Claims a node pool name in a cluster; refuses a name another construct already holds (the error
 * names both construct paths).
 * @internal
 */
export function claimNodePoolName(cluster: RegistryCluster, owner: IConstruct, prop: string, name: string, holder?: string): void {
  const record = recordOf(owner, cluster);
  const existing = record.pools.get(name);
  if (existing !== undefined) {
    fail(owner, prop, name, `is already the name of node pool ${existing} in cluster ${cluster.clusterName} (node pool names share the shipshape.dev/node-pool label and must be unique per cluster)`,
      'give one of the two pools another id or an explicit name');
  }
  record.pools.set(name, holder ?? pathOf(owner));
}

/**
 * Claims a ServiceAccount (namespace/name) for one IAM identity in a cluster; refuses a second identity
 * for the same ServiceAccount (the error names both construct paths).
 * @internal
 */
export function claimServiceAccount(cluster: RegistryCluster, owner: IConstruct, namespace: string, serviceAccount: string): void {
  const record = recordOf(owner, cluster);
  const key = `${namespace}/${serviceAccount}`;
  const existing = record.serviceAccounts.get(key);
  if (existing !== undefined) {
    fail(owner, 'serviceAccount', key, `already has a workload identity (${existing}) in cluster ${cluster.clusterName}; a ServiceAccount can carry one IAM role only`,
      'give the two workloads their own ServiceAccounts, or merge the permissions into one identity');
  }
  record.serviceAccounts.set(key, pathOf(owner));
}

const BUILDING_OWN_AUTOSCALER = new WeakSet<IConstruct>();

/**
 * Builds the cluster-autoscaler an EksCluster adds itself (nodeGroupScaling CLUSTER_AUTOSCALER): a ClusterAutoscaler
 * built inside `build` is that one, and not refused as a second autoscaler of the cluster.
 * @internal
 */
export function buildOwnAutoscaler<T>(cluster: IConstruct, build: () => T): T {
  BUILDING_OWN_AUTOSCALER.add(cluster);
  try {
    return build();
  } finally {
    BUILDING_OWN_AUTOSCALER.delete(cluster);
  }
}

/** Whether the cluster's own cluster-autoscaler is being built (see `buildOwnAutoscaler`). @internal */
export function isBuildingOwnAutoscaler(cluster: IConstruct): boolean {
  return BUILDING_OWN_AUTOSCALER.has(cluster);
}

/**
 * Marks a cluster as imported unless an EksCluster of the app creates it (an import of the app's own cluster, by
 * `fromClusterAttributes`, keeps it owned), so checks that need to see every node pool (Karpenter's controller needs
 * nodes Karpenter does not manage) run on owned clusters only.
 * @internal
 */
export function markImportedCluster(cluster: RegistryCluster & IConstruct): void {
  const record = recordOf(cluster, cluster);
  if (record.createdBy === undefined) record.owned = false;
}

/**
 * Claims a cluster's name for the EksCluster that creates it (and marks the cluster owned); refuses a second EksCluster
 * of that name in the same region of the app that may deploy to the same account, naming both construct paths. Runs
 * before the cluster's add-on identities and node pools are claimed, so the error names the shared clusterName, not
 * the first thing of the two clusters that collides.
 * @internal
 */
export function claimClusterName(cluster: RegistryCluster & IConstruct, defaulted: boolean): void {
  const record = recordOf(cluster, cluster);
  const existing = record.createdBy;
  if (existing !== undefined) {
    const account = typeof cluster.account === 'string' && !Token.isUnresolved(cluster.account) ? cluster.account : undefined;
    const known = account !== undefined && record.account !== undefined;
    fail(cluster, 'clusterName', cluster.clusterName, `${defaulted ? 'defaults to the construct id and ' : ''}is also the clusterName of EksCluster `
      + `${existing.path}${existing.defaulted ? ' (its construct id there)' : ''}: EKS cluster names are unique per account and region (${cluster.region}; `
      + `${known ? `both in account ${account}` : 'the account of at least one of them is not given, so they may share one'}), `
      + 'so the two would be one cluster: their add-on identities, node pools and access entries would collide, and terraform apply would fail',
    `set clusterName on one of the two EksClusters to a name of its own${known ? '' : ' (or, if they deploy to different accounts, pass each EksCluster its account)'}`);
  }
  record.createdBy = { path: pathOf(cluster), defaulted };
  record.owned = true;
}

/** Records a managed node group of a cluster. @internal */
export function recordManagedNodeGroup(cluster: RegistryCluster, owner: IConstruct): void {
  recordOf(owner, cluster).managedNodeGroups++;
}

/**
 * Whether the cluster is shipshape-built and has no managed node group (so nothing would run
 * Karpenter's controller).
 * @internal
 */
export function hasNoManagedNodes(cluster: RegistryCluster, owner: IConstruct): boolean {
  const record = recordOf(owner, cluster);
  return record.owned === true && record.managedNodeGroups === 0;
}

/** Attaches the Karpenter profile producer of a cluster (one Karpenter per cluster). @internal */
export function setKarpenter(cluster: RegistryCluster, owner: IConstruct, profile: () => KarpenterProfile): void {
  const record = recordOf(owner, cluster);
  if (record.karpenter) {
    fail(owner, 'cluster', cluster.clusterName, `already has Karpenter (${record.karpenter.path}); one Karpenter controller runs per cluster`,
      'add node pools to the existing Karpenter construct instead');
  }
  record.karpenter = { path: pathOf(owner), profile };
}

/** The Karpenter profile of a cluster, if it has Karpenter. @internal */
export function karpenterProfileOf(cluster: RegistryCluster & IConstruct): KarpenterProfile | undefined {
  return recordOf(cluster, cluster).karpenter?.profile();
}

const ENDPOINTS = new WeakMap<IConstruct, Set<string>>();

/** The VPC endpoint services nodes need when the VPC has no internet access. @internal */
export const REQUIRED_NODE_ENDPOINTS = ['s3', 'ecr.api', 'ecr.dkr', 'sts', 'ec2', 'eks-auth'];

/** Records the VPC endpoint services of a network. @internal */
export function recordEndpoints(network: IConstruct, services: string[]): void {
  const set = ENDPOINTS.get(network) ?? new Set<string>();
  for (const s of services) set.add(s);
  ENDPOINTS.set(network, set);
}

/** The services of `required` the network has no VPC endpoint for. @internal */
export function missingEndpoints(network: IConstruct, required: string[]): string[] {
  const set = ENDPOINTS.get(network) ?? new Set<string>();
  return required.filter((s) => !set.has(s));
}

const DISCOVERY = new WeakMap<IConstruct, { value: string; path: string }>();

/**
 * Claims the Karpenter discovery tag value of a network's private subnets: one value per subnet, so
 * two clusters that share a network cannot both discover its subnets by that tag.
 * @internal
 */
export function claimSubnetDiscovery(network: IConstruct, owner: IConstruct, value: string): boolean {
  const existing = DISCOVERY.get(network);
  if (existing) {
    if (existing.value === value) return false;
    fail(owner, 'cluster', value, `shares network ${network.node.path} with Karpenter of cluster ${existing.value} (${existing.path}); a subnet carries one karpenter.sh/discovery value`,
      'give each Karpenter-managed cluster its own network, or its own subnets');
  }
  DISCOVERY.set(network, { value, path: pathOf(owner) });
  return true;
}

/** Whether the cluster was built by shipshape in this app. @internal */
export function isOwnedCluster(cluster: RegistryCluster & IConstruct): boolean {
  return recordOf(cluster, cluster).owned === true;
}

/**
 * AWS resource names that must be unique per account (IAM) or per account and region, by Terraform resource
 * type: two resources of one name in the same account (and region) make the second `terraform apply` fail.
 */
const UNIQUE_NAMES: { [type: string]: { readonly what: string; readonly regional: boolean; readonly caseInsensitive?: boolean } } = {
  aws_iam_role: { what: 'IAM role', regional: false, caseInsensitive: true },
  aws_iam_instance_profile: { what: 'IAM instance profile', regional: false, caseInsensitive: true },
  aws_iam_policy: { what: 'IAM policy', regional: false, caseInsensitive: true },
  aws_cloudwatch_log_group: { what: 'CloudWatch log group', regional: true },
  aws_eks_cluster: { what: 'EKS cluster', regional: true },
  aws_kms_alias: { what: 'KMS alias', regional: true },
  aws_sqs_queue: { what: 'SQS queue', regional: true },
  aws_cloudwatch_event_rule: { what: 'EventBridge rule', regional: true },
};

/** The props that name a resource of each type, for a collision inside one stack. */
const RENAME_PROPS: { [type: string]: string } = {
  aws_iam_role: 'a WorkloadIdentity\'s roleName, a Karpenter\'s nodeRoleName, a NodePool\'s or Network\'s name, an EksCluster\'s clusterName',
  aws_iam_instance_profile: 'a Karpenter\'s nodeRoleName',
  aws_sqs_queue: 'a Karpenter\'s interruptionQueueName',
};

interface NamedResource {
  readonly type: string;
  /** The provider the resource is planned with (its own, else the stack's default). */
  readonly provider?: unknown;
  readonly key: string;
  readonly name: string;
  readonly path: string;
  readonly stack: TerraformStack;
  readonly account?: string;
  readonly region?: string;
}

const NAME_CHECKED = new WeakSet<TerraformStack>();

/**
 * Refuses, at synth, two resources of the app with the same account-wide (IAM role, instance profile, policy) or
 * regional (log group, EKS cluster, KMS alias, SQS queue, EventBridge rule) name that may land in the same
 * account (and region): in one stack or in two stacks of the app. Accounts are told apart by the clusters'
 * `account` prop (or the provider's single `allowedAccountIds`); when either side's account is unknown the two
 * may be the same and the names are refused. Runs as a validation of `stack` (once per stack); reports the
 * collisions that involve a resource of `stack`, so the first stack written fails and nothing is written.
 * @internal
 */
export function ensureUniqueNameCheck(stack: TerraformStack): void {
  if (NAME_CHECKED.has(stack)) return;
  NAME_CHECKED.add(stack);
  stack.node.addValidation({ validate: () => [...nameCollisions(stack), ...terraformNameProblems(stack)] });
}

/** What Terraform accepts as a block name (a resource's, a data source's, an output's). */
const TERRAFORM_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * Refuses the construct ids that give the stack's Terraform elements names Terraform refuses: cdktf builds a name
 * from the construct ids below the stack, so an id that starts with a digit (a valid EKS cluster name such as
 * `9-qa`) makes every name under it invalid, and `terraform validate` fails. One problem per such construct.
 */
function terraformNameProblems(stack: TerraformStack): string[] {
  const problems: string[] = [];
  const reported = new Set<IConstruct>();
  for (const c of stack.node.findAll()) {
    if (!TerraformElement.isTerraformElement(c) || TerraformStack.of(c) !== stack) continue;
    const name = (c as TerraformElement).friendlyUniqueId;
    if (TERRAFORM_NAME.test(name)) continue;
    // the construct directly under the stack whose id starts the name
    const top = c.node.scopes.find(s => s.node.scope === stack) ?? c;
    if (reported.has(top)) continue;
    reported.add(top);
    const id = top.node.id;
    const suggestion = /^[A-Za-z_]/.test(id) ? id.replace(/[^A-Za-z0-9_-]/g, '-') : `c-${id}`.replace(/[^A-Za-z0-9_-]/g, '-');
    problems.push(formatValidationMessage({
      path: top.node.path,
      prop: 'id',
      value: show(id),
      allowed: `gives Terraform names such as ${show(name)}, which Terraform refuses (a name starts with a letter or '_' and holds letters, digits, '_' and '-'): cdktf builds them from the construct ids below the stack`,
      fix: `give the construct an id such as ${show(suggestion)}; a name derived from the id (an EKS cluster's clusterName) can keep its value when passed as a prop`,
    }));
  }
  return problems;
}

function plain(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' && !Token.isUnresolved(value) ? value : undefined;
}

/** The named resources of every stack of the app, with the account and region they deploy to (when plain). */
function namedResources(root: IConstruct): NamedResource[] {
  const out: NamedResource[] = [];
  const stacks = root.node.findAll().filter((c): c is TerraformStack => TerraformStack.isStack(c));
  for (const stack of stacks) {
    const elements = stack.node.findAll().filter((c) => TerraformStack.of(c) === stack);
    const defaultProvider = defaultAwsProvider(stack);
    const expected = AwsContext.find(stack)?.expectedAccount;
    for (const c of elements) {
      if (!TerraformResource.isTerraformResource(c)) continue;
      const rule = UNIQUE_NAMES[c.terraformResourceType];
      if (!rule) continue;
      const name = plain((c as any).nameInput);
      if (name === undefined) continue;
      const provider: any = c.provider ?? defaultProvider;
      const allowed = provider?.allowedAccountIds;
      const account = Array.isArray(allowed) && allowed.length === 1 && plain(allowed[0]) ? allowed[0]
        : (provider === defaultProvider ? expected : undefined);
      const bus = c.terraformResourceType === 'aws_cloudwatch_event_rule' ? `${plain((c as any).eventBusNameInput) ?? 'default'}|` : '';
      out.push({
        type: c.terraformResourceType,
        key: bus + (rule.caseInsensitive ? name.toLowerCase() : name),
        name,
        path: c.node.path,
        stack,
        account,
        provider,
        region: plain(provider?.region),
      });
    }
  }
  return out;
}

const mayBeSame = (a: string | undefined, b: string | undefined) => a === undefined || b === undefined || a === b;

function nameCollisions(stack: TerraformStack): string[] {
  const all = namedResources(stack.node.root);
  const problems: string[] = [];
  for (let i = 0; i < all.length; i++) {
    for (let j = i + 1; j < all.length; j++) {
      const [a, b] = [all[i], all[j]];
      if (a.type !== b.type || a.key !== b.key || (a.stack !== stack && b.stack !== stack)) continue;
      const rule = UNIQUE_NAMES[a.type];
      if (!mayBeSame(a.account, b.account) || (rule.regional && !mayBeSame(a.region, b.region))) continue;
      const [mine, other] = a.stack === stack ? [a, b] : [b, a];
      const where = rule.regional ? `account and region${mine.region ?? other.region ? ` (${mine.region ?? other.region})` : ''}` : 'account';
      const sameStack = mine.stack === other.stack;
      // one stack, one provider: one account and region, whatever the account is
      const oneProvider = sameStack && mine.provider === other.provider;
      const accounts = mine.account !== undefined && other.account !== undefined ? `both in account ${mine.account}`
        : oneProvider ? 'both in one stack, planned with the same AWS provider, so in one account'
          : 'the account of at least one of them is not known at synth, so they may share one';
      const rename = `give one of the two another name (for a shipshape construct: ${RENAME_PROPS[a.type] ?? 'its name or clusterName prop'})`;
      problems.push(formatValidationMessage({
        path: mine.path,
        prop: 'name',
        value: show(mine.name),
        allowed: `is also the name of ${rule.what} ${other.path} (${rule.what} names are unique per ${where}; ${accounts}), `
          + `so ${sameStack ? '' : 'the second '}terraform apply would fail`,
        fix: !sameStack
          ? 'give one of the two another name (for a shipshape construct: its name or clusterName prop); '
            + 'if the two stacks deploy to different accounts, pass each EksCluster its account (or give each AwsProvider allowedAccountIds)'
          : oneProvider ? rename
            : `${rename}; if the two providers deploy to different accounts, give each AwsProvider allowedAccountIds`,
      }));
    }
  }
  return problems;
}
