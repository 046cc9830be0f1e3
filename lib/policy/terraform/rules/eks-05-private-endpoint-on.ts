import { at, block, ERROR, isTrue, tfRule } from '../define';

/** SS-EKS-005: the private API endpoint is on. */
export const EKS_05 = tfRule({
  id: 'SS-EKS-005',
  title: 'Private API endpoint on',
  catalog: ['EKS-05'],
  severity: ERROR,
  kinds: ['aws_eks_cluster'],
  message: 'The private API endpoint is off (the provider default is off)',
  fix: 'set vpc_config.endpoint_private_access = true',
  rationale: 'With the private endpoint on, nodes and in-VPC clients reach the API without leaving the VPC; the provider\'s default is off.',
  sources: ['CIS EKS 5.4.1, 5.4.2', 'EKS Best Practices: make the EKS cluster endpoint private'],
  check: (doc) => {
    const vpc = block(doc.manifest.vpc_config);
    return isTrue(vpc?.endpoint_private_access) ? [] : [at('vpc_config.endpoint_private_access')];
  },
});
