import { DefaultTokenResolver, StringConcat, TerraformResource, TerraformStack, Token, Tokenization } from 'cdktf';
import { IConstruct } from 'constructs';
import { fail, pathOf } from '../../core/errors';

const RESOLVER = new DefaultTokenResolver(new StringConcat());
export const KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;
const ALIAS_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(alias\/.+)$/;

/**
 * Refuses a grant target that is not the provider resource the grant is for (checked by its Terraform type,
 * so a resource from another copy of the provider package is accepted).
 * @internal
 */
export function expectResource(scope: IConstruct, prop: string, resource: any, type: string, className: string): TerraformResource {
  const actual = resource?.terraformResourceType;
  if (actual !== type) {
    fail(scope, prop, actual ?? typeof resource, `must be a ${type} resource (${className} from @cdktf/provider-aws/lib/${type.replace(/^aws_/, '').replace(/_/g, '-')})`,
      `pass the ${className} construct itself, or grant access with addToPolicy() and the resource ARN`);
  }
  return resource as TerraformResource;
}

/** The resources of one Terraform type in the stack of `scope`. */
function resourcesOf(scope: IConstruct, type: string): TerraformResource[] {
  return TerraformStack.of(scope).node.findAll().filter((c) => (c as TerraformResource).terraformResourceType === type) as TerraformResource[];
}

/** What a token string renders to in Terraform (`${aws_kms_key.x.arn}`), to compare references by meaning. */
/**
 * `value` (any JSON value) with its tokens rendered as the Terraform expressions the stack of `scope` writes them as.
 * @internal
 */
export function renderedJson(scope: IConstruct, value: any): any {
  return Tokenization.resolve(value, { scope: TerraformStack.of(scope), preparing: false, resolver: RESOLVER });
}

function rendered(scope: IConstruct, value: string): string {
  if (typeof value !== 'string' || !Token.isUnresolved(value)) return value;
  return String(Tokenization.resolve(value, { scope: TerraformStack.of(scope), preparing: false, resolver: RESOLVER }));
}

/**
 * The ARN of the customer-managed KMS key a resource is encrypted with, as far as the program shows it:
 * - no key, or an AWS-managed key (`alias/aws/...`): undefined (the service's own key needs no IAM grant);
 * - a key ARN: that ARN;
 * - a reference to an `aws_kms_key` of the stack (its `arn`, `key_id` or `id`): that key's ARN;
 * - an alias (name, ARN or a reference to an `aws_kms_alias` of the stack) whose target is such a key: the key's ARN.
 * Anything else (a key id or alias the program does not define) is refused: the grant would not let the
 * workload decrypt.
 * @internal
 */
export function customerKeyArn(scope: IConstruct, prop: string, target: IConstruct, keyRef: string | undefined): string | undefined {
  if (keyRef === undefined || keyRef === '') return undefined;
  // Resolved in the resource's own stack (no cross-stack reference is made just to compare).
  const ref = rendered(target, keyRef);
  if (/^alias\/aws\//.test(ref) || /^arn:aws[a-z-]*:kms:[^:]*:[^:]*:alias\/aws\//.test(ref)) return undefined;
  if (KEY_ARN.test(ref)) return ref;
  const attrs = (r: TerraformResource, names: string[]) => names.map((n) => rendered(r, (r as any)[n]));
  for (const key of resourcesOf(target, 'aws_kms_key')) {
    if (attrs(key, ['arn', 'keyId', 'id']).includes(ref)) return (key as any).arn;
  }
  const aliasName = ALIAS_ARN.exec(ref)?.[1] ?? ref;
  for (const alias of resourcesOf(target, 'aws_kms_alias')) {
    const name = (alias as any).nameInput;
    const matches = (typeof name === 'string' && rendered(alias, name) === aliasName) || attrs(alias, ['arn', 'name', 'id']).includes(ref);
    if (matches) {
      const targetKey = (alias as any).targetKeyIdInput;
      if (typeof targetKey === 'string' && targetKey !== keyRef) return customerKeyArn(scope, prop, target, targetKey);
    }
  }
  return fail(scope, prop, ref, `encrypts ${pathOf(target)} with a KMS key that is neither AWS-managed nor defined in this stack, so the grant cannot name it (kms:Decrypt needs the key ARN)`,
    'encrypt the resource with a key ARN or an aws_kms_key/aws_kms_alias of the stack, or add the KMS statement yourself with addToPolicy()');
}

/**
 * The KMS key a bucket's default encryption names (`aws:kms` / `aws:kms:dsse`): in the bucket's own (deprecated)
 * encryption block, or in an `aws_s3_bucket_server_side_encryption_configuration` of the stack naming the bucket
 * (by reference to its `id` or `bucket`, or by its literal name), in the bucket's own stack.
 * @internal
 */
export function bucketKeyRef(bucket: any): string | undefined {
  const ownRule = bucket.serverSideEncryptionConfigurationInput?.rule;
  const own = ownRule?.applyServerSideEncryptionByDefault?.kmsMasterKeyId;
  if (typeof own === 'string' && own !== '') return own;
  const names = new Set<string>([rendered(bucket, bucket.id), rendered(bucket, bucket.bucket)]);
  if (typeof bucket.bucketInput === 'string') names.add(rendered(bucket, bucket.bucketInput));
  for (const config of resourcesOf(bucket, 'aws_s3_bucket_server_side_encryption_configuration')) {
    const target = (config as any).bucketInput;
    if (typeof target !== 'string' || !names.has(rendered(config, target))) continue;
    const rules = (config as any).ruleInput;
    for (const rule of Array.isArray(rules) ? rules : []) {
      const key = rule?.applyServerSideEncryptionByDefault?.kmsMasterKeyId;
      if (typeof key === 'string' && key !== '') return key;
    }
  }
  return undefined;
}
