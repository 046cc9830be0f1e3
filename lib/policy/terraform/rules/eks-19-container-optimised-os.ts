import { at, tfRule, WARNING } from '../define';

/** SS-EKS-019: nodes run a container-optimised OS (AL2023 or Bottlerocket). */
export const EKS_19 = tfRule({
  id: 'SS-EKS-019',
  title: 'Container-optimised OS',
  catalog: ['EKS-19'],
  severity: WARNING,
  kinds: ['aws_eks_node_group'],
  message: 'The node group does not use a container-optimised OS',
  fix: 'set ami_type to an AL2023_* or BOTTLEROCKET_* type',
  rationale: 'AL2023 and Bottlerocket ship what nodes need and little else, with hardened defaults and fast security updates.',
  sources: ['CIS EKS 3.3.1', 'EKS Best Practices: use an OS optimized for running containers'],
  check: (doc) => {
    const t = doc.manifest.ami_type;
    return typeof t === 'string' && (t.startsWith('AL2023_') || t.startsWith('BOTTLEROCKET_')) ? [] : [at('ami_type', `ami_type is ${t ?? 'unset'}`)];
  },
});
