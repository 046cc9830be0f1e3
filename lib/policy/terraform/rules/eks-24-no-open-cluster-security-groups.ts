import { DocumentIndex } from '../../document-index';
import { PolicyDocument } from '../../rule';
import { at, blocks, ERROR, list, parseRef, tfRule } from '../define';

const OPEN = ['0.0.0.0/0', '::/0'];

/**
 * The security groups of the cluster and its nodes, as values a rule may name them by: the group EKS makes for
 * the cluster (`aws_eks_cluster.<x>.vpc_config[0].cluster_security_group_id`, recognised by that attribute), the
 * cluster's additional groups (`vpc_config.security_group_ids`), and the groups the launch templates of its nodes
 * give them (`vpc_security_group_ids`, `network_interfaces[].security_groups`).
 */
function clusterGroups(index: DocumentIndex): Set<string> {
  return index._memo('tf.clusterSecurityGroups', () => {
    const out = new Set<string>();
    for (const c of index.ofKind('aws_eks_cluster')) {
      for (const v of blocks(c.manifest.vpc_config)) for (const g of list(v.security_group_ids)) if (typeof g === 'string') out.add(g);
    }
    for (const lt of index.ofKind('aws_launch_template')) {
      for (const g of list(lt.manifest.vpc_security_group_ids)) if (typeof g === 'string') out.add(g);
      for (const ni of blocks(lt.manifest.network_interfaces)) for (const g of list(ni.security_groups)) if (typeof g === 'string') out.add(g);
    }
    return out;
  });
}

/** True when `value` names the cluster's or its nodes' security group (or, given `sg`, that group is one of them). */
function isClusterGroup(value: any, index: DocumentIndex, sg?: PolicyDocument): boolean {
  const groups = clusterGroups(index);
  if (typeof value === 'string') {
    if (/\$\{aws_eks_cluster\.[^}]*\.cluster_security_group_id\}/.test(value)) return true;
    if (groups.has(value)) return true;
  }
  const target = sg ?? (() => {
    const r = parseRef(value);
    return r && r.type === 'aws_security_group' ? index.find(r.type, r.name) : undefined;
  })();
  if (!target) return false;
  for (const g of groups) {
    const r = parseRef(g);
    if (r && r.type === 'aws_security_group' && r.name === target.name) return true;
  }
  return false;
}

/** The open CIDRs of a rule's sources. */
function openSources(cidrs: any[]): string[] {
  return cidrs.filter((c) => OPEN.includes(c));
}

/** SS-EKS-024: the cluster's and the nodes' security groups admit nothing from every address. */
export const EKS_24 = tfRule({
  id: 'SS-EKS-024',
  title: 'Cluster and node security groups closed to the internet',
  catalog: ['EKS-14'],
  severity: ERROR,
  kinds: ['aws_security_group', 'aws_security_group_rule', 'aws_vpc_security_group_ingress_rule'],
  message: 'The cluster\'s or its nodes\' security group admits traffic from every address (0.0.0.0/0 or ::/0)',
  fix: 'admit the sources that need it (the load balancers\' security group, the VPC CIDR, a peered network); expose services through a load balancer, '
    + 'and the API through the endpoint\'s public_access_cidrs',
  rationale: 'The cluster security group guards the control plane\'s network interfaces and every node that carries it; the nodes\' groups guard their kubelet, '
    + 'NodePorts and hostPorts. A rule from every address opens them to anything that can route to the VPC (the internet, for nodes with public addresses; '
    + 'peered networks and VPNs otherwise). SS-EKS-014 covers port 22 on any group; this rule every port on these groups.',
  sources: ['Checkov CKV_AWS_260, CKV_AWS_277', 'Trivy AWS-0107', 'EKS Best Practices: restrict the cluster security group'],
  check: (doc, index) => {
    const m = doc.manifest;
    switch (doc.kind) {
      case 'aws_security_group':
        if (!isClusterGroup(undefined, index, doc)) return [];
        return blocks(m.ingress).flatMap((r: any, i: number) => {
          const open = openSources([...list(r.cidr_blocks), ...list(r.ipv6_cidr_blocks)]);
          return open.length > 0 ? [at(`ingress[${i}]`, `the group ${doc.name}, which the cluster or its nodes use, admits ${open.join(' and ')}`)] : [];
        });
      case 'aws_security_group_rule': {
        if (m.type !== 'ingress' || !isClusterGroup(m.security_group_id, index)) return [];
        const open = openSources([...list(m.cidr_blocks), ...list(m.ipv6_cidr_blocks)]);
        return open.length > 0 ? [at('cidr_blocks', `the cluster's or its nodes' security group admits ${open.join(' and ')}`)] : [];
      }
      default: {
        if (!isClusterGroup(m.security_group_id, index)) return [];
        const open = openSources([m.cidr_ipv4, m.cidr_ipv6]);
        return open.length > 0 ? [at(m.cidr_ipv4 !== undefined ? 'cidr_ipv4' : 'cidr_ipv6', `the cluster's or its nodes' security group admits ${open.join(' and ')}`)] : [];
      }
    }
  },
});

