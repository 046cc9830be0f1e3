import { Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { partitionOf } from './aws-context';
import { KEY_ARN } from './grants';
import { fail, show } from '../../core/errors';

/** Stands for a token inside the literal text of a value (a character no ARN holds). */
const TOKEN = '\u0001';
/** A cdktf string token as it is encoded inside a string. */
const STRING_TOKEN = /\$\{TfToken\[[A-Za-z0-9:._-]+\]\}/g;

/** A problem with a value: what is wrong, and what to do. */
type Problem = [allowed: string, fix: string];

/**
 * One kind of ARN a `...ByArn` grant takes.
 * @internal
 */
export interface ArnKind {
  /** What one grant is for: `bucket`. */
  readonly noun: string;
  /** `an S3 bucket ARN`. */
  readonly what: string;
  /** The ARN's service field: `s3`. */
  readonly service: string;
  /** `arn:<partition>:s3:::<bucket>`. */
  readonly shape: string;
  /** A literal example. */
  readonly example: string;
  /** The provider data source whose `arn` is such an ARN. */
  readonly dataSource: string;
  /** A literal ARN of this kind (no token). */
  readonly pattern: RegExp;
  /** A problem this kind recognizes before the generic checks (`service`: the ARN's literal service, if it shows one). */
  readonly early?: (text: string, service: string | undefined) => Problem | undefined;
  /** The problem of a literal that is not an ARN (does not start with `arn:`). */
  readonly notArn?: (text: string) => Problem | undefined;
  /** The problem of an ARN of the right service that does not have the kind's shape (or of a text with tokens). */
  readonly malformed?: (text: string) => Problem | undefined;
}

/** The grants to use for an ARN of another service than the one a grant takes. */
const GRANTS_OF_SERVICE: { [service: string]: string } = {
  s3: 'for a bucket use grantReadObjectsByArn() or grantReadWriteObjectsByArn()',
  sqs: 'for a queue use grantConsumeMessagesByArn() or grantSendMessagesByArn()',
  secretsmanager: 'for a secret use grantReadSecretByArn()',
  kms: 'pass a KMS key as kmsKeyArn',
};

/** How to pass the ARN as a token. */
function tokenHint(kind: ArnKind): string {
  return `or a token such as new ${kind.dataSource}(...).arn`;
}

/** The ARN of the right kind to pass instead. */
function passInstead(kind: ArnKind): string {
  return `pass ${kind.what}, for example "${kind.example}", ${tokenHint(kind)}`;
}

/**
 * The literal text of a value with each token as `TOKEN`, or undefined when nothing of it can be checked at synth
 * (the whole value is one token, or it holds tokens of another encoding).
 */
function literalText(value: string): string | undefined {
  if (!Token.isUnresolved(value)) return value;
  const text = value.replace(STRING_TOKEN, TOKEN);
  if (text === TOKEN || Token.isUnresolved(text)) return undefined;
  return text;
}

/** The service an ARN names, when its literal text shows it. */
function serviceOf(text: string): string | undefined {
  const m = /^arn:([^:]*):([^:]*):/.exec(text);
  return m && !m[2].includes(TOKEN) ? m[2] : undefined;
}

/** Whether the text starts as an ARN (or with a token that may be one). */
function startsAsArn(text: string): boolean {
  const head = text.split(TOKEN)[0];
  return head.startsWith('arn:') || (text.includes(TOKEN) && 'arn:'.startsWith(head));
}

function problemOf(kind: ArnKind, text: string): Problem | undefined {
  const service = serviceOf(text);
  const early = kind.early?.(text, service);
  if (early) return early;
  if (/[*?]/.test(text)) {
    return [`has a wildcard ("*" or "?"): the grant is for one ${kind.noun}, and a wildcard would extend it to every ${kind.noun} the pattern matches`,
      `name one ${kind.noun} (${kind.shape}), and grant each ${kind.noun} the workload needs with its own call`];
  }
  if (!startsAsArn(text)) {
    return kind.notArn?.(text) ?? [`is not an ARN (${kind.what} is ${kind.shape})`, passInstead(kind)];
  }
  if (service !== undefined && service !== kind.service) {
    const other = GRANTS_OF_SERVICE[service] ?? 'for another service use addToPolicy()';
    return [`is an ARN of ${service}, not ${kind.what} (${kind.shape})`, `${other}; here ${passInstead(kind)}`];
  }
  const malformed = kind.malformed?.(text);
  if (malformed) return malformed;
  if (text.includes(TOKEN) || kind.pattern.test(text)) return undefined;
  return [`is not ${kind.what} (${kind.shape})`, passInstead(kind)];
}

/**
 * Checks the ARN a `...ByArn` grant takes and returns it. A literal ARN must have the kind's shape, without
 * wildcards; a token (a data source's `arn`, a variable, a remote state output) is taken as it is, and a text
 * mixing literals and tokens is refused when its literal part already shows a problem (a wildcard, another
 * service, an object path of a bucket).
 * @internal
 */
export function checkArn(scope: IConstruct, prop: string, kind: ArnKind, value: string): string {
  if (typeof value !== 'string') {
    fail(scope, prop, typeof value, `must be ${kind.what} (a string, ${kind.shape})`, passInstead(kind));
  }
  const text = literalText(value);
  if (text === undefined) return value;
  const problem = problemOf(kind, text);
  if (problem) fail(scope, prop, text.split(TOKEN).join('<token>'), ...problem);
  return value;
}

/**
 * The partition of `region` when it is known at synth: that of a plain region name (`partitionOf`: `aws`, `aws-cn`,
 * `aws-us-gov`, the isolated `aws-iso*` and `aws-eusc`). Undefined for a token or a value that is no region name,
 * so nothing is refused on a guess.
 * @internal
 */
export function knownPartitionOf(region: unknown): string | undefined {
  if (typeof region !== 'string' || Token.isUnresolved(region)) return undefined;
  if (!/^[a-z]{2,4}(-[a-z]+)+-\d+$/.test(region)) return undefined;
  return partitionOf(region);
}

/** The partition a literal ARN names, or undefined (a token there, or not an ARN). */
function literalPartitionOf(value: string): string | undefined {
  const text = literalText(value);
  const m = text === undefined ? null : /^arn:([^:]*):/.exec(text);
  return m && m[1] !== '' && !m[1].includes(TOKEN) ? m[1] : undefined;
}

/**
 * Refuses a literal IAM ARN (no region in it: a principal, an OIDC provider, a managed policy) of another partition
 * than that of the cluster's region, which EKS or IAM refuses at apply (`refusal` says which, and what). The fix is
 * the ARN rewritten to the cluster's partition; partitions have accounts of their own, so it asks to check the
 * account. Not checked: an ARN whose partition is a token, or a region known only at apply.
 * @internal
 */
export function checkIamArnPartition(scope: IConstruct, prop: string, value: unknown, region: unknown, refusal: string): void {
  if (typeof value !== 'string') return;
  const expected = knownPartitionOf(region);
  const given = literalPartitionOf(value);
  if (expected === undefined || given === undefined || given === expected) return;
  const shown = literalText(value)!.split(TOKEN).join('<token>');
  fail(scope, prop, shown, `is an ARN of partition ${given}, but the cluster is in partition ${expected} (region ${region}): ${refusal}`,
    `pass an ARN of partition ${expected}, "arn:${expected}:${shown.slice(`arn:${given}:`.length)}" (partitions have accounts of their own: check the account id)`);
}

/** One ARN a grant was given (checked by `checkArn`), for `checkPartitions`. */
export interface GrantArn {
  /** The prop that took it: `grantReadObjectsByArn`, `grantReadObjectsByArn.kmsKeyArn`. */
  readonly prop: string;
  readonly kind: ArnKind;
  readonly value: string;
}

/**
 * Refuses literal ARNs of another partition than the role's, which IAM refuses at apply ("Partition "aws-cn" is
 * not valid for resource"). The role's partition is that of `region` (the cluster's) when it is known at synth
 * (`where` says where it comes from); otherwise only ARNs of one grant that name different partitions (a key of
 * another partition than the resource it encrypts) are refused. ARNs whose partition is a token are not checked.
 * @internal
 */
export function checkPartitions(scope: IConstruct, region: unknown, where: string, arns: GrantArn[]): void {
  const given = arns.flatMap(a => {
    const partition = literalPartitionOf(a.value);
    return partition === undefined ? [] : [{ ...a, partition, shown: literalText(a.value)!.split(TOKEN).join('<token>') }];
  });
  const role = knownPartitionOf(region);
  if (role !== undefined) {
    const other = given.find(a => a.partition !== role);
    if (other === undefined) return;
    const rest = other.shown.slice(`arn:${other.partition}:`.length);
    // a regional ARN of another partition names a region of that partition: no rewrite of it is an ARN of this one
    const regionless = /^[^:]*::/.test(rest);
    fail(scope, other.prop, other.shown, `is an ARN of partition ${other.partition}, but the role is in partition ${role} (${where}): `
      + `IAM refuses a policy naming a resource of another partition ("Partition "${other.partition}" is not valid for resource")`,
    `grant only resources of partition ${role} here${regionless ? ` (if the ${other.kind.noun} is in ${role}, its ARN is "arn:${role}:${rest}")` : ''}; `
      + `a ${other.kind.noun} of partition ${other.partition} needs a workload identity of a cluster in a region of ${other.partition}`);
  }
  const first = given[0];
  const other = given.find(a => a.partition !== first?.partition);
  if (first === undefined || other === undefined) return;
  fail(scope, other.prop, other.shown, `is an ARN of partition ${other.partition}, but ${first.prop} (${show(first.shown)}) is of partition ${first.partition}: `
    + `a ${first.kind.noun} and the ${other.kind.noun} it is used with are in one partition, and IAM refuses a policy naming a resource of another partition `
    + 'than the role\'s ("Partition "..." is not valid for resource")',
  `pass the ARNs of the ${first.kind.noun} and of its ${other.kind.noun} in the role's partition (that of the cluster's region)`);
}

/**
 * An S3 bucket ARN: `arn:<partition>:s3:::<bucket>`, without `/` (the grant adds `/*` for the objects).
 * @internal
 */
export const BUCKET_ARN: ArnKind = {
  noun: 'bucket',
  what: 'an S3 bucket ARN',
  service: 's3',
  shape: 'arn:<partition>:s3:::<bucket>',
  example: 'arn:aws:s3:::my-bucket',
  dataSource: 'DataAwsS3Bucket',
  // names of buckets made before March 2018 in us-east-1 may hold capitals and underscores
  pattern: /^arn:aws[a-z-]*:s3:::[A-Za-z0-9._-]+$/,
  early: (text, service) => {
    if (!text.includes('/') || !(service === 's3' || text.startsWith(TOKEN))) return undefined;
    // an access point or a multi-region access point (region and account, or accesspoint/ after the colons): no bucket
    if (/^arn:aws[a-z-]*:s3(-object-lambda)?:[^:]*:[^:]*:accesspoint\//.test(text)) {
      return ['is an S3 access point ARN, not a bucket\'s: the grant writes bucket and object statements, which an access point\'s policy resource does not match',
        `pass the ARN of the bucket behind the access point ("${BUCKET_ARN.example}"), or grant on the access point with addToPolicy() `
          + '(resources "<access point ARN>" and "<access point ARN>/object/*")'];
    }
    const bucketArn = text.slice(0, text.indexOf('/'));
    if (/[*?]/.test(bucketArn)) return undefined; // the wildcard is the problem to name
    const plain = /^arn:aws[a-z-]*:s3:::[A-Za-z0-9._-]+$/.test(bucketArn);
    return ['names objects (it has a "/"), not a bucket: the grant takes the bucket ARN and grants on its objects ("<bucket ARN>/*") itself',
      `pass ${plain ? `the bucket ARN "${bucketArn}"` : 'the bucket ARN alone, without "/..."'} (to grant a prefix of the bucket only, use addToPolicy())`];
  },
  notArn: (text) => (/^[a-z0-9][a-z0-9.-]+$/.test(text)
    ? ['is a bucket name, not its ARN', `write the bucket ARN, "arn:aws:s3:::${text}" (arn:aws-cn:... or arn:aws-us-gov:... in those partitions), ${tokenHint(BUCKET_ARN)}`]
    : undefined),
  malformed: (text) => (!text.includes(TOKEN) && !BUCKET_ARN.pattern.test(text)
    ? [`is not ${BUCKET_ARN.what} (${BUCKET_ARN.shape}: no region, no account, no "/")`,
      `pass the bucket ARN, for example "${BUCKET_ARN.example}", ${tokenHint(BUCKET_ARN)}; for an access point use addToPolicy()`]
    : undefined),
};

/**
 * An SQS queue ARN: `arn:<partition>:sqs:<region>:<account>:<queue name>`.
 * @internal
 */
export const QUEUE_ARN: ArnKind = {
  noun: 'queue',
  what: 'an SQS queue ARN',
  service: 'sqs',
  shape: 'arn:<partition>:sqs:<region>:<12-digit account>:<queue name>',
  example: 'arn:aws:sqs:eu-west-1:123456789012:orders',
  dataSource: 'DataAwsSqsQueue',
  pattern: /^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[\w-]+(\.fifo)?$/,
  notArn: (text) => {
    const url = /^https:\/\/sqs\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/(\d{12})\/([\w.-]+)$/.exec(text);
    if (!url) return undefined;
    const [, region, account, name] = url;
    return ['is a queue URL, not its ARN',
      `pass the queue's ARN, "arn:${partitionOf(region)}:sqs:${region}:${account}:${name}" (a DataAwsSqsQueue's arn, not its url)`];
  },
};

/**
 * A Secrets Manager secret ARN, with the 6 random characters Secrets Manager appends to the name.
 * @internal
 */
export const SECRET_ARN: ArnKind = {
  noun: 'secret',
  what: 'a Secrets Manager secret ARN',
  service: 'secretsmanager',
  shape: 'arn:<partition>:secretsmanager:<region>:<12-digit account>:secret:<name>-<6 random characters>',
  example: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop/db-AbCdEf',
  dataSource: 'DataAwsSecretsmanagerSecret',
  pattern: /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+-[A-Za-z0-9]{6}$/,
  notArn: (text) => (/^[\w/+=.@-]+$/.test(text)
    ? ['is a secret name, not its ARN',
      `pass the secret's full ARN, or new DataAwsSecretsmanagerSecret(this, 'secret', { name: ${JSON.stringify(text)} }).arn`]
    : undefined),
  malformed: (text) => {
    // the name part is literal and lacks the suffix: IAM compares the whole ARN, so the statement would match nothing
    const name = /:secret:([\w/+=.@-]+)$/.exec(text)?.[1];
    if (name === undefined || /-[A-Za-z0-9]{6}$/.test(name)) return undefined;
    return ['is a partial ARN: it lacks the 6 random characters Secrets Manager appends to the secret name ("-AbCdEf"), and IAM matches '
      + 'a secret by its full ARN, so the statement would grant nothing',
    `pass the full ARN (aws secretsmanager describe-secret --secret-id ${name} --query ARN shows it), `
      + `or new DataAwsSecretsmanagerSecret(this, 'secret', { name: ${JSON.stringify(name)} }).arn`];
  },
};

/** A KMS key ARN (`KEY_ARN`: the shape `customerKeyArn()` takes as a key ARN). */

/**
 * A KMS key ARN: `arn:<partition>:kms:<region>:<account>:key/<key id>` (not an alias: KMS authorizes the use of a
 * key against the key's ARN, so a statement on an alias ARN would not let the workload decrypt).
 * @internal
 */
export const KMS_KEY_ARN: ArnKind = {
  noun: 'key',
  what: 'a KMS key ARN',
  service: 'kms',
  shape: 'arn:<partition>:kms:<region>:<12-digit account>:key/<key id>',
  example: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  dataSource: 'DataAwsKmsKey',
  pattern: KEY_ARN,
  early: (text, service) => {
    const alias = /^alias\//.test(text) ? text : (service === 'kms' ? /:(alias\/.*)$/.exec(text)?.[1] : undefined);
    if (alias === undefined) return undefined;
    if (/^alias\/aws\//.test(alias)) {
      return ['names an AWS-managed key (alias/aws/...): the service\'s own key needs no IAM grant', 'leave kmsKeyArn out'];
    }
    return ['is a KMS alias, not a key ARN: KMS authorizes kms:Decrypt and kms:GenerateDataKey against the key\'s ARN, so a statement on the alias would grant nothing',
      `pass the key ARN (${KMS_KEY_ARN.shape}), for example new DataAwsKmsKey(this, 'key', { keyId: ${JSON.stringify(alias.split(TOKEN).join('<name>'))} }).arn, which resolves the alias`];
  },
  notArn: (text) => {
    if (text === '') {
      return ['is empty', 'leave kmsKeyArn out when the resource is not encrypted with a customer-managed key, or pass the key ARN'];
    }
    if (/^(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/.test(text)) {
      return ['is a key id, not a key ARN: an IAM statement names the key by its ARN',
        `pass the key ARN (${KMS_KEY_ARN.shape}), or new DataAwsKmsKey(this, 'key', { keyId: "${text}" }).arn`];
    }
    return undefined;
  },
};
