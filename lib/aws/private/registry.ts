import { IConstruct } from 'constructs';
import { fail, pathOf } from '../../core/errors';
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
  readonly pools: Map<string, string>;
  readonly serviceAccounts: Map<string, string>;
  owned?: boolean;
  managedNodeGroups: number;
  karpenter?: { path: string; profile: () => KarpenterProfile };
}

const RECORDS = new WeakMap<IConstruct, Map<string, ClusterRecord>>();

function recordOf(owner: IConstruct, region: string, clusterName: string): ClusterRecord {
  const root = owner.node.root;
  let byCluster = RECORDS.get(root);
  if (!byCluster) {
    byCluster = new Map();
    RECORDS.set(root, byCluster);
  }
  const key = `${region}/${clusterName}`;
  let record = byCluster.get(key);
  if (!record) {
    record = { pools: new Map(), serviceAccounts: new Map(), managedNodeGroups: 0 };
    byCluster.set(key, record);
  }
  return record;
}

/** The cluster identity the registry needs. @internal */
export interface RegistryCluster {
  readonly region: string;
  readonly clusterName: string;
}

/**
 * Claims a node pool name in a cluster; refuses a name another construct already holds (the error
 * names both construct paths).
 * @internal
 */
export function claimNodePoolName(cluster: RegistryCluster, owner: IConstruct, prop: string, name: string, holder?: string): void {
  const record = recordOf(owner, cluster.region, cluster.clusterName);
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
  const record = recordOf(owner, cluster.region, cluster.clusterName);
  const key = `${namespace}/${serviceAccount}`;
  const existing = record.serviceAccounts.get(key);
  if (existing !== undefined) {
    fail(owner, 'serviceAccount', key, `already has a workload identity (${existing}) in cluster ${cluster.clusterName}; a ServiceAccount can carry one IAM role only`,
      'give the two workloads their own ServiceAccounts, or merge the permissions into one identity');
  }
  record.serviceAccounts.set(key, pathOf(owner));
}

/**
 * Marks a cluster as built by shipshape (`owned`) or imported, so checks that need to see every node
 * pool (Karpenter's controller needs nodes Karpenter does not manage) run on owned clusters only.
 * @internal
 */
export function markOwnedCluster(cluster: RegistryCluster & IConstruct, owned = true): void {
  recordOf(cluster, cluster.region, cluster.clusterName).owned = owned;
}

/** Records a managed node group of a cluster. @internal */
export function recordManagedNodeGroup(cluster: RegistryCluster, owner: IConstruct): void {
  recordOf(owner, cluster.region, cluster.clusterName).managedNodeGroups++;
}

/**
 * Whether the cluster is shipshape-built and has no managed node group (so nothing would run
 * Karpenter's controller).
 * @internal
 */
export function hasNoManagedNodes(cluster: RegistryCluster, owner: IConstruct): boolean {
  const record = recordOf(owner, cluster.region, cluster.clusterName);
  return record.owned === true && record.managedNodeGroups === 0;
}

/** Attaches the Karpenter profile producer of a cluster (one Karpenter per cluster). @internal */
export function setKarpenter(cluster: RegistryCluster, owner: IConstruct, profile: () => KarpenterProfile): void {
  const record = recordOf(owner, cluster.region, cluster.clusterName);
  if (record.karpenter) {
    fail(owner, 'cluster', cluster.clusterName, `already has Karpenter (${record.karpenter.path}); one Karpenter controller runs per cluster`,
      'add node pools to the existing Karpenter construct instead');
  }
  record.karpenter = { path: pathOf(owner), profile };
}

/** The Karpenter profile of a cluster, if it has Karpenter. @internal */
export function karpenterProfileOf(cluster: RegistryCluster & IConstruct): KarpenterProfile | undefined {
  return recordOf(cluster, cluster.region, cluster.clusterName).karpenter?.profile();
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
  return recordOf(cluster, cluster.region, cluster.clusterName).owned === true;
}
