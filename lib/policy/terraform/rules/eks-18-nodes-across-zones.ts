import { Violation } from '../../rule';
import { at, block, blocks, list, subnetZones, tfRule, WARNING } from '../define';

/**
 * Whether a node group is dedicated capacity: a NO_SCHEDULE or NO_EXECUTE taint other than CriticalAddonsOnly keeps
 * every workload that does not tolerate it off its nodes (spot, batch, GPU pools), so it may scale to zero.
 */
function dedicated(manifest: any): boolean {
  return blocks(manifest.taint).some((t: any) => t?.key !== 'CriticalAddonsOnly' && ['NO_SCHEDULE', 'NO_EXECUTE'].includes(t?.effect));
}

/** SS-EKS-018: node groups span two or more zones with at least two nodes (dedicated, tainted groups may scale to zero). */
export const EKS_18 = tfRule({
  id: 'SS-EKS-018',
  title: 'Nodes spread over zones',
  catalog: ['EKS-18'],
  severity: WARNING,
  kinds: ['aws_eks_node_group'],
  message: 'The node group does not spread at least two nodes over at least two availability zones',
  fix: 'give the node group subnets in two or more zones and scaling_config.min_size >= 2 '
    + '(a dedicated group, with a NO_SCHEDULE or NO_EXECUTE taint other than CriticalAddonsOnly, may keep min_size below 2 and scale to zero)',
  rationale: 'A node group with one node, or in one zone, takes every pod on it down with that node or zone. '
    + 'A dedicated group (spot, batch, GPU), tainted so that only the workloads that tolerate the taint run there, is not the general capacity: '
    + 'it may scale to zero, and only its subnets are checked.',
  sources: ['EKS Best Practices: spread worker nodes and workloads across multiple AZs'],
  check: (doc, index) => {
    const v: Violation[] = [];
    const ids = list(doc.manifest.subnet_ids);
    const { zones, unknown } = subnetZones(ids, index);
    if (ids.length < 2 || (unknown === 0 && zones.size < 2)) v.push(at('subnet_ids', 'the subnets are in a single zone'));
    const min = Number(block(doc.manifest.scaling_config)?.min_size);
    if (!(min >= 2) && !dedicated(doc.manifest)) v.push(at('scaling_config.min_size', `min_size is ${Number.isNaN(min) ? 'unset' : min}`));
    return v;
  },
});
