import { coversEveryIpv4Address } from '../../../core/ip-coverage';
import { at, block, ERROR, isFalse, list, tfRule } from '../define';

/** SS-EKS-006: a public endpoint, if on, is limited to listed CIDRs, never 0.0.0.0/0. */
export const EKS_06 = tfRule({
  id: 'SS-EKS-006',
  title: 'No public endpoint open to the internet',
  catalog: ['EKS-06'],
  severity: ERROR,
  kinds: ['aws_eks_cluster'],
  message: 'The public API endpoint is open to 0.0.0.0/0',
  fix: 'turn the public endpoint off, or set vpc_config.public_access_cidrs to your own ranges (never 0.0.0.0/0)',
  rationale: 'When the public endpoint is on, its CIDR list defaults to 0.0.0.0/0: anyone can try to reach the API. A list whose ranges add up to every '
    + 'IPv4 address (0.0.0.0/1 and 128.0.0.0/1) is the same.',
  sources: ['Checkov CKV_AWS_38', 'Trivy AWS-0041', 'CIS EKS 5.4.1'],
  check: (doc) => {
    const vpc = block(doc.manifest.vpc_config);
    if (isFalse(vpc?.endpoint_public_access)) return undefined;
    const cidrs = list(vpc?.public_access_cidrs);
    if (cidrs.length === 0) return [at('vpc_config.public_access_cidrs', 'public_access_cidrs is unset, so it defaults to 0.0.0.0/0')];
    // 0.0.0.0/0, or ranges that add up to it (0.0.0.0/1 and 128.0.0.0/1)
    return coversEveryIpv4Address(cidrs) ? [at('vpc_config.public_access_cidrs')] : [];
  },
});
