import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { IResolvable, IResolveContext, ITerraformDependable, TerraformProvider, TerraformResource, TerraformStack, Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { fail, formatValidationMessage, pathOf, show } from '../../core/errors';

/**
 * Account id and partition of the stack a construct lives in (one pair of data sources per stack).
 * @internal
 */
export class AwsContext extends Construct {
  public static of(scope: IConstruct): AwsContext {
    const stack = TerraformStack.of(scope);
    const existing = stack.node.tryFindChild(AwsContext.ID) as AwsContext | undefined;
    return existing ?? new AwsContext(stack, AwsContext.ID);
  }

  /** The context of `stack` if one was made (does not make one). */
  public static find(stack: TerraformStack): AwsContext | undefined {
    return stack.node.tryFindChild(AwsContext.ID) as AwsContext | undefined;
  }

  private static readonly ID = 'shipshape-aws-context';

  public readonly accountId: string;
  private readonly caller: DataAwsCallerIdentity;
  private expected?: { account: string; path: string };
  private partitionData?: DataAwsPartition;

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    this.caller = new DataAwsCallerIdentity(this, 'caller');
    this.accountId = this.caller.accountId;
  }

  /**
   * The partition of `region` as a plain value (`aws`, `aws-cn`, `aws-us-gov`, ...) when the region is known at synth,
   * as it is for every cluster and network: the ARNs built with it are then literal, and a `terraform test` with a
   * mocked provider plans them as written. For a region known only at apply, the stack's `aws_partition` data source.
   */
  public partitionIn(region: string | undefined): string {
    if (typeof region === 'string' && region !== '' && !Token.isUnresolved(region)) return partitionOf(region);
    this.partitionData ??= new DataAwsPartition(this, 'partition');
    return this.partitionData.partition;
  }

  /** The account the stack's constructs expect (`expectAccount`), if one does. */
  public get expectedAccount(): string | undefined {
    return this.expected?.account;
  }

  /**
   * Plan-time account guard: a postcondition on the caller identity fails the plan when the
   * credentials belong to another account than `account`. One account per stack: a second,
   * different account is refused (the error names both construct paths).
   */
  public expectAccount(owner: IConstruct, prop: string, account: string): void {
    if (this.expected) {
      if (this.expected.account === account) return;
      fail(owner, prop, account, `differs from account ${this.expected.account} expected by ${this.expected.path} in the same stack (one stack plans against one account)`,
        'use the same account id, or put the resources of the other account in their own stack');
    }
    this.expected = { account, path: pathOf(owner) };
    this.caller.lifecycle = {
      postcondition: [{
        condition: `\${self.account_id == "${account}"}`,
        errorMessage: `The AWS credentials belong to account \${self.account_id}, but ${pathOf(owner)} (${prop}) expects account ${account}: `
          + `plan with credentials of account ${account}, or correct ${prop}.`,
      }],
    };
  }
}

/**
 * Renders a JSON policy document (values may hold Terraform tokens; cdktf resolves them in the string).
 * @internal
 */
export function policyJson(statements: any[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/**
 * The AWS partition of a region, as a plain value.
 * @internal
 */
export function partitionOf(region: string): string {
  for (const [prefix, partition] of PARTITION_PREFIXES) if (region.startsWith(prefix)) return partition;
  return 'aws';
}

/** Region name prefixes of the partitions other than `aws` (the isolated ones before `us-`-less checks). */
const PARTITION_PREFIXES: Array<[string, string]> = [
  ['cn-', 'aws-cn'], ['us-gov-', 'aws-us-gov'], ['us-isob-', 'aws-iso-b'], ['us-isof-', 'aws-iso-f'], ['us-iso-', 'aws-iso'],
  ['eu-isoe-', 'aws-iso-e'], ['eusc-', 'aws-eusc'],
];

/**
 * A `depends_on` entry for a resource added after construction (what cdktf's constructor does
 * with `dependsOn`: the bare address, without `${}`).
 * @internal
 */
export function dependsOnRef(target: ITerraformDependable): string {
  const resolvable: IResolvable = {
    creationStack: [],
    resolve(context: IResolveContext): string {
      context.suppressBraces = true;
      return target.fqn;
    },
    toString: () => target.fqn,
  };
  return Token.asString(resolvable);
}

/**
 * The stack's default `aws` provider (the one without an alias, which resources without a `provider` use), if any.
 * @internal
 */
export function defaultAwsProvider(stack: TerraformStack): TerraformProvider | undefined {
  return stack.node.findAll().find((c): c is TerraformProvider =>
    TerraformProvider.isTerraformProvider(c) && c.terraformResourceType === 'aws' && (c as any).alias === undefined && TerraformStack.of(c) === stack);
}

/**
 * The error for a construct whose `region` prop differs from the region of the AWS provider `resource` is planned
 * with (its own provider, else the stack's default one), or undefined when they agree or the provider's region is
 * not a plain value at synth (a token, or left to AWS_REGION).
 * @internal
 */
export function providerRegionProblem(owner: IConstruct, prop: string, region: string, resource: TerraformResource, consequence: string): string | undefined {
  const provider: any = resource.provider ?? defaultAwsProvider(TerraformStack.of(resource));
  const actual = provider?.region;
  if (typeof actual !== 'string' || actual === '' || Token.isUnresolved(actual) || actual === region) return undefined;
  return formatValidationMessage({
    path: pathOf(owner),
    prop,
    value: show(region),
    allowed: `differs from the region of the AWS provider its resources are planned with (${actual}, ${provider.node.path}): ${consequence}`,
    fix: `pass ${prop}: '${actual}', or plan these resources with a provider for ${region} (an AwsProvider with region '${region}', passed as their provider or as the stack's default)`,
  });
}
