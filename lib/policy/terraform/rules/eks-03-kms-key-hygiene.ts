import { Violation } from '../../rule';
import { at, ERROR, isFalse, isTrue, list, parsePolicyText, statements, tfRule } from '../define';

/** SS-EKS-003: customer-managed keys rotate, are enabled and trust no `*` principal. */
export const EKS_03 = tfRule({
  id: 'SS-EKS-003',
  title: 'KMS key rotation and hygiene',
  catalog: ['EKS-03'],
  severity: ERROR,
  kinds: ['aws_kms_key'],
  message: 'KMS key without rotation, disabled, or with a "*" principal in its policy',
  fix: 'set enable_key_rotation = true, keep the key enabled, and name principals explicitly in the key policy',
  rationale: 'A key that never rotates, is disabled, or trusts any principal weakens every secret and log it encrypts.',
  sources: ['Checkov CKV_AWS_7, CKV_AWS_33, CKV_AWS_227', 'Trivy AWS-0065', 'EKS Best Practices: rotate your CMKs periodically'],
  check: (doc) => {
    const m = doc.manifest;
    const v: Violation[] = [];
    if (!isTrue(m.enable_key_rotation)) v.push(at('enable_key_rotation', 'enable_key_rotation is not true'));
    if (isFalse(m.is_enabled)) v.push(at('is_enabled', 'the key is disabled'));
    const policy = parsePolicyText(m.policy);
    statements(policy).forEach((s: any, i: number) => {
      if (s.Effect !== 'Allow') return;
      const p = s.Principal;
      const wild = p === '*' || (p && typeof p === 'object' && list(p.AWS).includes('*'));
      if (wild) v.push(at(`policy.Statement[${i}].Principal`, 'the key policy allows the "*" principal'));
    });
    return v;
  },
});
