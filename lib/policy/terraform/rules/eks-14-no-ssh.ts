import { at, block, blocks, ERROR, list, tfRule } from '../define';

const OPEN = ['0.0.0.0/0', '::/0'];

function opens22(from: any, to: any, protocol: any): boolean {
  if (String(protocol) === '-1' || protocol === 'all') return true;
  const f = Number(from);
  const t = Number(to);
  return Number.isFinite(f) && Number.isFinite(t) && f <= 22 && 22 <= t;
}

/** SS-EKS-014: no SSH to nodes: no remote_access without source groups, no port 22 open to the internet. */
export const EKS_14 = tfRule({
  id: 'SS-EKS-014',
  title: 'No SSH to nodes',
  catalog: ['EKS-14'],
  severity: ERROR,
  kinds: ['aws_eks_node_group', 'aws_security_group', 'aws_security_group_rule', 'aws_vpc_security_group_ingress_rule'],
  message: 'Nodes are reachable over SSH',
  fix: 'remove remote_access (use SSM Session Manager), or restrict it with source_security_group_ids; never open port 22 to 0.0.0.0/0',
  rationale: 'SSH access to nodes bypasses the Kubernetes API and its audit log; SSM Session Manager gives audited access without an open port.',
  sources: ['Checkov CKV_AWS_100, CKV_AWS_24', 'Trivy AWS-0107', 'EKS Best Practices: minimize access to worker nodes'],
  check: (doc) => {
    const m = doc.manifest;
    switch (doc.kind) {
      case 'aws_eks_node_group': {
        const ra = block(m.remote_access);
        if (!ra) return [];
        return list(ra.source_security_group_ids).length > 0 ? [] : [at('remote_access', 'remote_access without source_security_group_ids opens SSH to the internet')];
      }
      case 'aws_security_group':
        return blocks(m.ingress).flatMap((r: any, i: number) =>
          opens22(r.from_port, r.to_port, r.protocol) && [...list(r.cidr_blocks), ...list(r.ipv6_cidr_blocks)].some((c) => OPEN.includes(c))
            ? [at(`ingress[${i}]`, 'port 22 is open to the internet')] : []);
      case 'aws_security_group_rule':
        return m.type === 'ingress' && opens22(m.from_port, m.to_port, m.protocol)
          && [...list(m.cidr_blocks), ...list(m.ipv6_cidr_blocks)].some((c) => OPEN.includes(c))
          ? [at('cidr_blocks', 'port 22 is open to the internet')] : [];
      default:
        return opens22(m.from_port, m.to_port, m.ip_protocol) && (OPEN.includes(m.cidr_ipv4) || OPEN.includes(m.cidr_ipv6))
          ? [at('cidr_ipv4', 'port 22 is open to the internet')] : [];
    }
  },
});
