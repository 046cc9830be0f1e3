import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { IResolvable, IResolveContext, ITerraformDependable, TerraformStack, Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';

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

  private static readonly ID = 'shipshape-aws-context';

  public readonly accountId: string;
  public readonly partition: string;

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    this.accountId = new DataAwsCallerIdentity(this, 'caller').accountId;
    this.partition = new DataAwsPartition(this, 'partition').partition;
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
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

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
