import { Violation } from '../../rule';
import { at, ERROR, list, parsePolicyText, refersTo, statements, tfRule } from '../define';

/** AWS-managed policies that make a role an administrator, or let it make itself one. */
const ADMIN_POLICIES = ['AdministratorAccess', 'PowerUserAccess', 'IAMFullAccess'];

/** True for a role that pods assume (IRSA web identity, or EKS Pod Identity). */
function workloadRole(trust: any[]): boolean {
  return trust.some((s: any) => list(s.Action).includes('sts:AssumeRoleWithWebIdentity')
    || (s.Principal && typeof s.Principal === 'object' && list(s.Principal.Service).includes('pods.eks.amazonaws.com')));
}

/** What is too broad in one Allow statement of a workload role, or undefined. */
function tooBroad(s: any): string | undefined {
  if (s.NotAction !== undefined) return 'allows everything but the actions NotAction lists';
  const actions = list(s.Action).map(String);
  if (actions.includes('*')) return 'allows every action (*)';
  if (actions.some(a => a.toLowerCase() === 'iam:*')) return 'allows every IAM action (iam:*), with which the role can grant itself anything';
  const resources = list(s.Resource).map(String);
  const everyResource = s.NotResource !== undefined || resources.includes('*');
  const wide = actions.filter(a => /^[a-z0-9-]+:\*$/i.test(a));
  if (everyResource && wide.length > 0) return `allows every action of ${wide.join(', ')} on every resource`;
  return undefined;
}

/** SS-EKS-023: roles that pods assume are not administrators and grant no whole service on every resource. */
export const EKS_23 = tfRule({
  id: 'SS-EKS-023',
  title: 'Workload roles are not administrators',
  catalog: ['EKS-21'],
  severity: ERROR,
  kinds: ['aws_iam_role'],
  message: 'A workload role is an administrator, or grants a whole service on every resource',
  fix: 'grant the actions the workload calls on the resources it uses (WorkloadIdentity.grantReadObjects, grantConsumeMessages, ... or a statement '
    + 'naming actions and resource ARNs); attach no AdministratorAccess, PowerUserAccess or IAMFullAccess',
  rationale: 'Every pod of the ServiceAccount gets the role: an administrator role (Action "*", iam:*, NotAction, or an administrator\'s managed policy) '
    + 'turns one compromised pod into a compromised account, and "<service>:*" on "*" reaches every bucket, queue or table of the account.',
  sources: ['Checkov CKV_AWS_62, CKV_AWS_63, CKV_AWS_355', 'EKS Best Practices: use one IAM role per application, with least privilege'],
  check: (doc, index) => {
    const trust = statements(parsePolicyText(doc.manifest.assume_role_policy)).filter((s: any) => s.Effect === 'Allow');
    if (!workloadRole(trust)) return undefined;
    const v: Violation[] = [];
    const attached = [
      ...list(doc.manifest.managed_policy_arns),
      ...index.ofKind('aws_iam_role_policy_attachment').filter((a) => refersTo(a.manifest.role, doc, 'name')).map((a) => a.manifest.policy_arn),
    ];
    for (const arn of attached) {
      const name = String(arn).split('/').pop() as string;
      if (/^arn:aws[a-z-]*:iam::aws:policy\//.test(String(arn)) && ADMIN_POLICIES.includes(name)) {
        v.push(at('managed_policy_arns', `the role has the managed policy ${name}`));
      }
    }
    const inline = [
      ...list(doc.manifest.inline_policy).map((p: any) => ({ where: 'inline_policy', policy: p?.policy })),
      ...index.ofKind('aws_iam_role_policy').filter((p) => refersTo(p.manifest.role, doc, 'name')).map((p) => ({ where: `aws_iam_role_policy ${p.name}`, policy: p.manifest.policy })),
    ];
    for (const p of inline) {
      statements(parsePolicyText(p.policy)).forEach((s: any, i: number) => {
        if (s?.Effect !== 'Allow') return;
        const why = tooBroad(s);
        if (why) v.push(at('name', `${p.where}: Statement[${i}] ${why}`));
      });
    }
    return v;
  },
});
