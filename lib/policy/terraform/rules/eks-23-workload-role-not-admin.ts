import { Violation } from '../../rule';
import { at, ERROR, list, parsePolicyText, podIdentityAssociations, refersTo, statements, tfRule } from '../define';

/** AWS-managed policies that make a role an administrator, or let it make itself one. */
const ADMIN_POLICIES = ['AdministratorAccess', 'PowerUserAccess', 'IAMFullAccess'];
/**
 * AWS-managed policies that grant a whole service on every resource (every `*FullAccess` one, and these), or read
 * every secret, object or item of the account: the same as `<service>:*` on `*` written inline. ECR PowerUser pushes
 * to every repository (any image the cluster runs); AmazonSSMManagedInstanceCore reads every Parameter Store
 * parameter. Read-only policies that read no data (AmazonSQSReadOnlyAccess lists queues, receives no message) are
 * not here.
 */
const ACCOUNT_WIDE_POLICIES = [
  'ReadOnlyAccess', 'AmazonS3ReadOnlyAccess', 'SecretsManagerReadWrite', 'AmazonSSMReadOnlyAccess', 'AmazonSSMManagedInstanceCore',
  'AmazonEC2ContainerRegistryPowerUser', 'AmazonDynamoDBReadOnlyAccess', 'AmazonKinesisReadOnlyAccess',
];

/**
 * Actions with which a role grants itself (or a resource it controls) more than it has: privilege escalation paths
 * on every resource, and assuming any role. Beyond IAM: EKS access entries, access policies and cluster settings (a
 * pod makes its role cluster-admin of every cluster, or adds an identity provider or public endpoint of its own);
 * Systems Manager commands and sessions (root on every node that runs the SSM agent, and so the node role and every
 * pod's credentials there); ECR pushes and repository policies (an image of its own in every repository, run by
 * whatever pulls it).
 */
const ESCALATION_ACTIONS = [
  'iam:PassRole', 'iam:CreateAccessKey', 'iam:CreateLoginProfile', 'iam:UpdateLoginProfile', 'iam:AttachRolePolicy', 'iam:AttachUserPolicy',
  'iam:AttachGroupPolicy', 'iam:PutRolePolicy', 'iam:PutUserPolicy', 'iam:PutGroupPolicy', 'iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion',
  'iam:UpdateAssumeRolePolicy', 'iam:AddUserToGroup', 'sts:AssumeRole',
  'eks:CreateAccessEntry', 'eks:UpdateAccessEntry', 'eks:AssociateAccessPolicy', 'eks:UpdateClusterConfig', 'eks:AssociateIdentityProviderConfig',
  'ssm:SendCommand', 'ssm:StartSession', 'ssm:CreateAssociation', 'ssm:UpdateAssociation',
  'ecr:PutImage', 'ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:SetRepositoryPolicy', 'ecr:PutRegistryPolicy',
  'ecr:PutReplicationConfiguration',
];

/** Actions that read the account's secrets or stored objects: on every resource, every secret and object of the account. */
const READ_EVERYTHING_ACTIONS = ['secretsmanager:GetSecretValue', 'ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath', 'kms:Decrypt', 's3:GetObject'];

/** Actions that read a table's items: on every resource, every item of every table of the account (what AmazonDynamoDBReadOnlyAccess grants). */
const READ_EVERY_TABLE_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:PartiQLSelect'];

/** True when an IAM action pattern (`*` and `?` wildcards, any case) covers `action`. */
function covers(pattern: string, action: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return re.test(action);
}

/** True for a role that pods assume (IRSA web identity, or EKS Pod Identity). */
function workloadRole(trust: any[]): boolean {
  return trust.some((s: any) => list(s.Action).includes('sts:AssumeRoleWithWebIdentity')
    || (s.Principal && typeof s.Principal === 'object' && list(s.Principal.Service).includes('pods.eks.amazonaws.com')));
}

/**
 * True for a resource ARN that names every resource of its kind in the account: nothing but wildcards after the
 * resource type (arn:aws:s3:::* and its objects, arn:aws:kms:*:*:key/<any>, arn:aws:secretsmanager:*:*:secret:*,
 * arn:aws:iam::123456789012:role/<any>). An S3 ARN has no type: its first segment is a bucket name, so one bucket's
 * objects (arn:aws:s3:::my-bucket/<any>) are not.
 */
function everyOfItsKind(arn: string): boolean {
  // a "*" ending an ARN of fewer segments spans the colons (IAM): arn:*, arn:aws:kms:*, arn:aws:iam::* name every resource
  const parts = arn.split(':');
  if (parts.length < 6 && /^arn$/i.test(parts[0]) && parts[parts.length - 1].endsWith('*')) {
    // arn:aws:s3* spans services too; after the service (region, account may be literal) the last segment must be all wildcards
    return parts.length <= 3 || /^[*?]+$/.test(parts[parts.length - 1]);
  }
  const m = /^arn:[^:]*:([^:]*):[^:]*:[^:]*:(.*)$/i.exec(arn);
  if (m === null) return false;
  let rest = m[2];
  const type = m[1].toLowerCase() === 's3' ? null : /^[a-z][a-z0-9-]*[/:]/i.exec(rest);
  if (type !== null) rest = rest.slice(type[0].length);
  return rest.includes('*') && /^[*?/:]*$/.test(rest);
}

/** What is too broad in one Allow statement of a workload role, or undefined. */
function tooBroad(s: any): string | undefined {
  if (s.NotAction !== undefined) return 'allows everything but the actions NotAction lists';
  const actions = list(s.Action).map(String);
  if (actions.includes('*')) return 'allows every action (*)';
  if (actions.some(a => a.toLowerCase() === 'iam:*')) return 'allows every IAM action (iam:*), with which the role can grant itself anything';
  const resources = list(s.Resource).map(String);
  // "*", or an ARN with wildcards only where the resource's name goes (the same reach, written longer)
  const wildcard = resources.find(everyOfItsKind);
  const everyResource = s.NotResource !== undefined || resources.includes('*') || wildcard !== undefined;
  if (!everyResource) return undefined;
  const where = s.NotResource === undefined && !resources.includes('*') ? `every resource (${wildcard} names them all)` : 'every resource';
  const wide = actions.filter(a => /^[a-z0-9-]+:\*$/i.test(a));
  if (wide.length > 0) return `allows every action of ${wide.join(', ')} on ${where}`;
  const escalating = ESCALATION_ACTIONS.filter(e => actions.some(a => covers(a, e)));
  if (escalating.length > 0) return `allows ${escalating.join(', ')} on ${where}, with which the role can give itself (or what it starts) more rights than it has`;
  const reading = READ_EVERYTHING_ACTIONS.filter(e => actions.some(a => covers(a, e)));
  if (reading.length > 0) return `allows ${reading.join(', ')} on ${where}: every secret, parameter, key or object of the account`;
  const tables = READ_EVERY_TABLE_ACTIONS.filter(e => actions.some(a => covers(a, e)));
  if (tables.length > 0) return `allows ${tables.join(', ')} on ${where}: every item of every table of the account`;
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
    + 'naming actions and resource ARNs); attach no AdministratorAccess, PowerUserAccess, IAMFullAccess, *FullAccess, ReadOnlyAccess, AmazonEC2ContainerRegistryPowerUser '
    + 'or account-wide read-only policy (AmazonS3ReadOnlyAccess, AmazonDynamoDBReadOnlyAccess, ...)',
  rationale: 'Every pod of the ServiceAccount gets the role: an administrator role (Action "*", iam:*, NotAction, or an administrator\'s managed policy) '
    + 'turns one compromised pod into a compromised account, and "<service>:*" on "*" (or a *FullAccess managed policy) reaches every bucket, queue or table of the account. '
    + 'So do, on every resource, the actions with which a role gives itself more (iam:PassRole, iam:CreateAccessKey, iam:Attach*Policy, iam:Put*Policy, '
    + 'iam:CreatePolicyVersion, sts:AssumeRole, ...), makes itself cluster-admin of every cluster (eks:CreateAccessEntry, eks:AssociateAccessPolicy, '
    + 'eks:UpdateClusterConfig, ...), runs commands as root on every node (ssm:SendCommand, ssm:StartSession: node pools attach AmazonSSMManagedInstanceCore) '
    + 'or pushes images to every repository (ecr:PutImage, ecr:SetRepositoryPolicy, ...), and those that read every secret, object or table item '
    + '(secretsmanager:GetSecretValue, ssm:GetParameter*, kms:Decrypt, s3:GetObject, dynamodb:GetItem, dynamodb:Scan, ...). So do the managed policies '
    + 'that grant such reach across the account: ReadOnlyAccess, AmazonEC2ContainerRegistryPowerUser, AmazonS3ReadOnlyAccess, AmazonDynamoDBReadOnlyAccess, '
    + 'AmazonKinesisReadOnlyAccess, AmazonSSMReadOnlyAccess, AmazonSSMManagedInstanceCore, SecretsManagerReadWrite. '
    + 'An ARN with wildcards only where the resource\'s name goes (arn:aws:s3:::*, arn:aws:kms:*:*:key/*, arn:aws:iam::<account>:role/*) counts as every resource, '
    + 'as does one cut short by a "*" that IAM lets span the colons after it (arn:*, arn:aws:kms:*).',
  sources: ['Checkov CKV_AWS_62, CKV_AWS_63, CKV_AWS_355', 'EKS Best Practices: use one IAM role per application, with least privilege'],
  check: (doc, index) => {
    const trust = statements(parsePolicyText(doc.manifest.assume_role_policy)).filter((s: any) => s.Effect === 'Allow');
    if (!workloadRole(trust) && podIdentityAssociations(doc, index) === 0) return undefined;
    const v: Violation[] = [];
    // the role's own managed_policy_arns (pointed at), and policy attachments (named in the message; the finding stays on the role)
    const attached = [
      ...list(doc.manifest.managed_policy_arns).map((arn: any) => ({ arn, jsonPath: 'managed_policy_arns', via: '' })),
      ...index.ofKind('aws_iam_role_policy_attachment').filter((a) => refersTo(a.manifest.role, doc, 'name'))
        .map((a) => ({ arn: a.manifest.policy_arn, jsonPath: 'name', via: ` (attached by aws_iam_role_policy_attachment ${a.name})` })),
    ];
    for (const { arn, jsonPath, via } of attached) {
      const name = String(arn).split('/').pop() as string;
      if (!/^arn:aws[a-z-]*:iam::aws:policy\//.test(String(arn))) continue;
      if (ADMIN_POLICIES.includes(name)) {
        v.push(at(jsonPath, `the role has the managed policy ${name}${via}`));
      } else if (name.includes('FullAccess') || ACCOUNT_WIDE_POLICIES.includes(name)) {
        v.push(at(jsonPath, `the role has the managed policy ${name}${via}, which grants a whole service (or reads everything) on every resource of the account`));
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
