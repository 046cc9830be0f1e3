/**
 * Allow or deny.
 */
export enum PolicyEffect {
  /** Allows the actions. */
  ALLOW = 'Allow',
  /** Denies the actions. */
  DENY = 'Deny',
}

/**
 * One condition of an IAM policy statement: `{ "<test>": { "<variable>": [<values>] } }`.
 */
export interface PolicyCondition {
  /** The condition operator, for example `StringEquals`. */
  readonly test: string;
  /** The context key, for example `aws:ResourceTag/team`. */
  readonly variable: string;
  /** The values to compare with. */
  readonly values: string[];
}

/**
 * A typed IAM policy statement.
 */
export interface PolicyStatement {
  /** The actions, for example `['s3:GetObject']`. A lone `*` is refused. */
  readonly actions: string[];
  /**
   * The resource ARNs, for example `['arn:aws:s3:::my-bucket/*']`, or `*` for actions that take no resource. Plain
   * strings must start with `arn:` (IAM refuses anything else); Terraform references (a resource's `arn`) are accepted.
   */
  readonly resources: string[];
  /**
   * Allow or deny.
   * @default PolicyEffect.ALLOW
   */
  readonly effect?: PolicyEffect;
  /**
   * Conditions.
   * @default - none
   */
  readonly conditions?: PolicyCondition[];
  /**
   * Statement id.
   * @default - none
   */
  readonly sid?: string;
}

