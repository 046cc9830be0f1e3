import { Violation } from '../../rule';
import { at, ERROR, list, parsePolicyText, refersTo, resolveRef, statements, tfRule } from '../define';

/** SS-EKS-009: the cluster role is a dedicated role trusted by eks.amazonaws.com only. */
export const EKS_09 = tfRule({
  id: 'SS-EKS-009',
  title: 'Dedicated cluster role',
  catalog: ['EKS-09'],
  severity: ERROR,
  kinds: ['aws_eks_cluster'],
  message: 'The cluster role is not a dedicated role trusted only by eks.amazonaws.com',
  fix: 'create an aws_iam_role for the cluster alone whose trust policy allows only the eks.amazonaws.com service',
  rationale: 'A role shared with other services or trusted by more than eks.amazonaws.com lets them act as the control plane.',
  sources: ['Checkov CKV_AWS_60, CKV_AWS_61', 'EKS Best Practices: create the cluster with a dedicated IAM role'],
  check: (doc, index) => {
    const role = resolveRef(doc.manifest.role_arn, index, 'aws_iam_role');
    if (!role) return [at('role_arn', 'role_arn does not reference an aws_iam_role of this configuration')];
    const v: Violation[] = [];
    const trust = parsePolicyText(role.manifest.assume_role_policy);
    const allows = statements(trust).filter((s: any) => s.Effect === 'Allow');
    for (const s of allows) {
      const p = s.Principal;
      const services = p && typeof p === 'object' ? list(p.Service) : [];
      const others = p && typeof p === 'object' ? Object.keys(p).filter((k) => k !== 'Service') : ['*'];
      if (p === '*' || others.length > 0 || services.some((x: any) => x !== 'eks.amazonaws.com')) {
        v.push(at('role_arn', `the trust policy of ${role.name} allows principals other than eks.amazonaws.com`));
        break;
      }
    }
    if (allows.length === 0) v.push(at('role_arn', `the trust policy of ${role.name} cannot be read`));
    const shared = index.ofKind('aws_eks_node_group').some((ng) => refersTo(ng.manifest.node_role_arn, role));
    if (shared) v.push(at('role_arn', `${role.name} is also a node role`));
    return v;
  },
});
