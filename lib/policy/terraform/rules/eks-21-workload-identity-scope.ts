import { Violation } from '../../rule';
import { at, ERROR, list, parsePolicyText, podIdentityAssociations, statements, tfRule } from '../define';

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
  rationale: 'A trust policy without an exact sub and aud condition lets any ServiceAccount of the cluster (or any cluster of the issuer) assume the role; '
    + 'one that names every AWS principal (*) lets anyone in. A role a Pod Identity association hands to pods is a workload role whatever its trust says.',
  sources: ['Checkov CKV_AWS_60, CKV_AWS_61', 'CIS EKS 5.2.1', 'EKS Best Practices: scope the IAM role trust policy for IRSA roles; use one IAM role per application'],
  check: (doc, index) => {
    const trust = statements(parsePolicyText(doc.manifest.assume_role_policy)).filter((s: any) => s.Effect === 'Allow');
    const irsa = trust.filter((s: any) => list(s.Action).includes('sts:AssumeRoleWithWebIdentity'));
    const pod = trust.filter((s: any) => s.Principal && typeof s.Principal === 'object' && list(s.Principal.Service).includes('pods.eks.amazonaws.com'));
    // a role a Pod Identity association hands to pods is a workload role whatever its trust says (an override may
    // have replaced the trust with one that lets anyone in)
    const associated = podIdentityAssociations(doc, index);
    if (irsa.length === 0 && pod.length === 0 && associated === 0) return undefined;
    const v: Violation[] = [];
    trust.forEach((s: any, i: number) => {
      if (anyPrincipal(s.Principal)) v.push(at(`assume_role_policy.Statement[${i}].Principal`, 'lets every AWS principal (*) assume the role'));
    });
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
    if (pod.length > 0 || associated > 0) {
      if (associated > 1) v.push(at('assume_role_policy', `the role serves ${associated} ServiceAccounts; use one role per application`));
    }
    return v;
  },
});

/** True for a trust principal that is everyone: `"*"`, or `{"AWS": "*"}` (alone or in a list). */
function anyPrincipal(p: any): boolean {
  if (p === '*') return true;
  return p !== null && typeof p === 'object' && list(p.AWS).some((a: any) => a === '*');
}
