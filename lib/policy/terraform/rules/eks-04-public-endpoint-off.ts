import { at, block, ERROR, isFalse, tfRule } from '../define';

/** SS-EKS-004: the public API endpoint is explicitly off. */
export const EKS_04 = tfRule({
  id: 'SS-EKS-004',
  title: 'Public API endpoint off',
  catalog: ['EKS-04'],
  severity: ERROR,
  kinds: ['aws_eks_cluster'],
  message: 'The cluster API endpoint is public (the provider default is public)',
  fix: 'set vpc_config.endpoint_public_access = false and reach the API through the private endpoint',
  rationale: 'A public endpoint exposes the Kubernetes API to the internet, guarded only by authentication; the provider\'s default is public, so it must be turned off explicitly.',
  sources: ['Checkov CKV_AWS_39', 'Trivy AWS-0040', 'CIS EKS 5.4.2', 'EKS Best Practices: make the EKS cluster endpoint private'],
  check: (doc) => {
    const vpc = block(doc.manifest.vpc_config);
    return isFalse(vpc?.endpoint_public_access) ? [] : [at('vpc_config.endpoint_public_access')];
  },
});
