import { at, block, ERROR, isFalse, tfRule } from '../define';

/** EKS-04: the public API endpoint is explicitly off. */
export const EKS_04 = tfRule({
  id: 'SS-EKS-004',
  catalog: ['EKS-04'],
  severity: ERROR,
  kinds: ['aws_eks_cluster'],
  message: 'The cluster API endpoint is public (the provider default is public)',
  fix: 'set vpc_config.endpoint_public_access = false and reach the API through the private endpoint',
  check: (doc) => {
    const vpc = block(doc.manifest.vpc_config);
    return isFalse(vpc?.endpoint_public_access) ? [] : [at('vpc_config.endpoint_public_access')];
  },
});
