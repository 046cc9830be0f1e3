import { at, block, tfRule, WARNING } from '../define';

/** SS-EKS-013: the IMDS hop limit is 1, so pods cannot reach the node's credentials. */
export const EKS_13 = tfRule({
  id: 'SS-EKS-013',
  title: 'IMDS hop limit 1',
  catalog: ['EKS-13'],
  severity: WARNING,
  kinds: ['aws_launch_template'],
  message: 'The IMDS hop limit is not 1: pods can reach the node role credentials',
  fix: 'set metadata_options.http_put_response_hop_limit = 1 and give pods IRSA or Pod Identity roles',
  rationale: 'With a hop limit of 1 the metadata service\'s answers do not reach pods (one network hop away), so pods cannot use the node role; they get their own through IRSA or Pod Identity.',
  sources: ['Checkov CKV_AWS_341', 'EKS Best Practices: restrict access to the instance profile assigned to the worker node'],
  check: (doc) => {
    const md = block(doc.manifest.metadata_options);
    if (!md) return undefined;
    return Number(md.http_put_response_hop_limit) === 1 ? [] : [at('metadata_options.http_put_response_hop_limit')];
  },
});
