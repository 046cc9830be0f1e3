import { Violation } from '../../rule';
import { at, ERROR, list, parseRef, tfRule } from '../define';

/** SS-EKS-011: a pre-created control-plane log group, retained 365+ days and KMS-encrypted, that the cluster depends on. */
export const EKS_11 = tfRule({
  id: 'SS-EKS-011',
  title: 'Control-plane log group retained and encrypted',
  catalog: ['EKS-11'],
  severity: ERROR,
  kinds: ['aws_eks_cluster'],
  message: 'The control-plane log group is not pre-created with 365+ days retention and a KMS key',
  fix: 'create aws_cloudwatch_log_group "/aws/eks/<cluster>/cluster" with retention_in_days >= 365 and kms_key_id, and add it to the cluster\'s depends_on',
  rationale: 'Left to EKS, the log group is created with unlimited retention and no KMS key; pre-created, it gets a year of retention and encryption.',
  sources: ['Checkov CKV_AWS_66, CKV_AWS_158, CKV_AWS_338', 'Trivy AWS-0017', 'CIS EKS 2.1.2'],
  check: (doc, index) => {
    const name = doc.manifest.name;
    const expected = `/aws/eks/${name}/cluster`;
    const group = index.ofKind('aws_cloudwatch_log_group').find((g) => g.manifest.name === expected);
    if (!group) return [at('name', `no aws_cloudwatch_log_group named ${expected}`)];
    const v: Violation[] = [];
    const days = Number(group.manifest.retention_in_days ?? NaN);
    if (!(days === 0 || days >= 365)) v.push(at('name', `log group ${group.name} ${keeps(group.manifest.retention_in_days)}; use 365 or more`));
    if (!group.manifest.kms_key_id) v.push(at('name', `log group ${group.name} has no kms_key_id`));
    const deps = list(doc.manifest.depends_on).map((d: string) => String(d).replace(/^\$\{|\}$/g, ''));
    if (!deps.includes(`aws_cloudwatch_log_group.${group.name}`) && !deps.some((d) => parseRef(`\${${d}}`)?.name === group.name)) {
      v.push(at('depends_on', `the cluster does not depend on log group ${group.name} (EKS would create its own, unencrypted, kept forever)`));
    }
    return v;
  },
});

/** How long a log group keeps logs, in words: `keeps logs 1 day`, `keeps logs 30 days`, `keeps logs forever? (retention_in_days unset)`. */
function keeps(days: unknown): string {
  if (days === undefined || days === null) return 'keeps logs forever? (retention_in_days unset)';
  return `keeps logs ${days} day${Number(days) === 1 ? '' : 's'}`;
}
