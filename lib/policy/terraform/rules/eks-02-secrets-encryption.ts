import { Violation } from '../../rule';
import { at, block, ERROR, list, tfRule } from '../define';

/** SS-EKS-002: Kubernetes secrets are envelope-encrypted with a customer-managed KMS key. */
export const EKS_02 = tfRule({
  id: 'SS-EKS-002',
  title: 'Secrets envelope-encrypted with a customer-managed key',
  catalog: ['EKS-02'],
  severity: ERROR,
  kinds: ['aws_eks_cluster'],
  message: 'Kubernetes secrets are not envelope-encrypted with a customer-managed KMS key',
  fix: 'add encryption_config { resources = ["secrets"], provider { key_arn = aws_kms_key.<key>.arn } }',
  rationale: 'Envelope encryption with your own KMS key protects Kubernetes Secrets in etcd and lets you revoke access to them by disabling the key.',
  sources: ['Checkov CKV_AWS_58', 'Trivy AWS-0039', 'CIS EKS 5.3.1', 'EKS Best Practices: use AWS KMS for envelope encryption of Kubernetes secrets'],
  check: (doc) => {
    const enc = block(doc.manifest.encryption_config);
    if (!enc) return [at('encryption_config', 'encryption_config is missing')];
    const v: Violation[] = [];
    const resources = list(enc.resources);
    if (resources.length !== 1 || resources[0] !== 'secrets') v.push(at('encryption_config.resources', 'encryption_config.resources must be ["secrets"]'));
    const key = block(enc.provider)?.key_arn;
    if (typeof key !== 'string' || key.trim() === '') v.push(at('encryption_config.provider.key_arn', 'encryption_config.provider.key_arn is empty'));
    return v;
  },
});
