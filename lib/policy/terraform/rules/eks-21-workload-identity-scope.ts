import { Violation } from '../../rule';
import { at, ERROR, list, parsePolicyText, refersTo, statements, tfRule } from '../define';

const SA = /^system:serviceaccount:[a-z0-9]([-a-z0-9]*[a-z0-9])?:[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/** SS-EKS-021: workload roles are assumable by exactly one ServiceAccount (IRSA sub + aud, or one Pod Identity association). */
export const EKS_21 = tfRule({
  id: 'SS-EKS-021',
  title: 'Workload roles scoped to one ServiceAccount',
  catalog: ['EKS-21'],
  severity: ERROR,
  kinds: ['aws_iam_role'],
  message: 'A workload role is not scoped to exactly one ServiceAccount',
  fix: 'trust one ServiceAccount: StringEquals on <issuer>:sub = system:serviceaccount:<ns>:<sa> and <issuer>:aud = sts.amazonaws.com, or one aws_eks_pod_identity_association per role',
  rationale: 'A trust policy without an exact sub and aud condition lets any ServiceAccount of the cluster (or any cluster of the issuer) assume the role.',
  sources: ['Checkov CKV_AWS_60, CKV_AWS_61', 'CIS EKS 5.2.1', 'EKS Best Practices: scope the IAM role trust policy for IRSA roles; use one IAM role per application'],
  check: (doc, index) => {
    const trust = statements(parsePolicyText(doc.manifest.assume_role_policy)).filter((s: any) => s.Effect === 'Allow');
    const irsa = trust.filter((s: any) => list(s.Action).includes('sts:AssumeRoleWithWebIdentity'));
    const pod = trust.filter((s: any) => s.Principal && typeof s.Principal === 'object' && list(s.Principal.Service).includes('pods.eks.amazonaws.com'));
    if (irsa.length === 0 && pod.length === 0) return undefined;
    const v: Violation[] = [];
    irsa.forEach((s: any) => {
      const i = trust.indexOf(s);
      const eq = s.Condition?.StringEquals ?? {};
      const subKey = Object.keys(eq).find((k) => k.endsWith(':sub'));
      const audKey = Object.keys(eq).find((k) => k.endsWith(':aud'));
      const sub = subKey ? list(eq[subKey]) : [];
      if (sub.length !== 1 || !SA.test(String(sub[0]))) {
        v.push(at(`assume_role_policy.Statement[${i}].Condition`, 'no StringEquals <issuer>:sub naming exactly one ServiceAccount'));
      }
      const aud = audKey ? list(eq[audKey]) : [];
      if (aud.length !== 1 || aud[0] !== 'sts.amazonaws.com') {
        v.push(at(`assume_role_policy.Statement[${i}].Condition`, 'no StringEquals <issuer>:aud = sts.amazonaws.com'));
      }
      if (s.Condition?.StringLike) v.push(at(`assume_role_policy.Statement[${i}].Condition.StringLike`, 'wildcard ServiceAccount match'));
    });
    if (pod.length > 0) {
      const assoc = index.ofKind('aws_eks_pod_identity_association').filter((a) => refersTo(a.manifest.role_arn, doc));
      const addonAssoc = index.ofKind('aws_eks_addon').flatMap((a) => list(a.manifest.pod_identity_association)).filter((p: any) => refersTo(p.role_arn, doc));
      const n = assoc.length + addonAssoc.length;
      if (n > 1) v.push(at('assume_role_policy', `the role serves ${n} ServiceAccounts; use one role per application`));
    }
    return v;
  },
});
