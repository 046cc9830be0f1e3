import { Violation } from '../../rule';
import { at, ERROR, list, refersTo, resolveRef, tfRule } from '../define';

/**
 * Each entry: policies of which the node role needs one (the first is the least-privilege choice). Session Manager
 * (AmazonSSMManagedInstanceCore) is not required: a pool may leave it off (`sessionManager: false`), since it also
 * reads every Parameter Store parameter of the account.
 */
const REQUIRED = [
  ['AmazonEKSWorkerNodePolicy'],
  // PullOnly grants the image pull actions only; ReadOnly (the older choice) adds ecr:Describe*/List* on every repository
  ['AmazonEC2ContainerRegistryPullOnly', 'AmazonEC2ContainerRegistryReadOnly'],
];
const FORBIDDEN = ['AmazonEKS_CNI_Policy', 'AmazonEC2ContainerRegistryPowerUser', 'AmazonEC2ContainerRegistryFullAccess', 'AdministratorAccess', 'PowerUserAccess'];

/** SS-EKS-020: node roles hold worker, ECR pull and SSM policies; the CNI policy lives on the vpc-cni identity. */
export const EKS_20 = tfRule({
  id: 'SS-EKS-020',
  title: 'Least-privilege node role',
  catalog: ['EKS-20'],
  severity: ERROR,
  kinds: ['aws_eks_node_group'],
  message: 'The node role is not least-privilege',
  fix: 'attach only AmazonEKSWorkerNodePolicy, AmazonEC2ContainerRegistryPullOnly (or the broader AmazonEC2ContainerRegistryReadOnly) and, for Session Manager, '
    + 'AmazonSSMManagedInstanceCore to the node role; put AmazonEKS_CNI_Policy on the vpc-cni IRSA or Pod Identity role',
  rationale: 'Every pod that reaches the node\'s credentials gets the node role: write access to ECR or the CNI policy there is a privilege every pod shares.',
  sources: ['CIS EKS 5.1.2, 5.1.3', 'EKS Best Practices: update the aws-node daemonset to use IRSA; restrict access to the instance profile'],
  check: (doc, index) => {
    const role = resolveRef(doc.manifest.node_role_arn, index, 'aws_iam_role');
    if (!role) return undefined;
    const attached = [
      ...list(role.manifest.managed_policy_arns),
      ...index.ofKind('aws_iam_role_policy_attachment').filter((a) => refersTo(a.manifest.role, role, 'name')).map((a) => a.manifest.policy_arn),
    ].map((arn: any) => String(arn).split('/').pop() as string);
    const v: Violation[] = [];
    for (const any of REQUIRED) if (!any.some((p) => attached.includes(p))) v.push(at('node_role_arn', `node role ${role.name} lacks ${any.join(' or ')}`));
    for (const p of FORBIDDEN) if (attached.includes(p)) v.push(at('node_role_arn', `node role ${role.name} has ${p}`));
    return v;
  },
});
