import { AwsContext, policyJson } from './aws-context';

/** CloudWatch Logs retention values (days). @internal */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/**
 * The CloudWatch Logs retention value nearest to `days` at or above it, and at least `min` (the longest, 3653, for more;
 * `min` for a value that is not a number).
 * @internal
 */
export function nearestLogRetention(days: unknown, min: number = 1): number {
  const floor = typeof days === 'number' && !Number.isNaN(days) ? Math.max(days, min) : min;
  return LOG_RETENTION_DAYS.find((d) => d >= floor) ?? LOG_RETENTION_DAYS[LOG_RETENTION_DAYS.length - 1];
}

/**
 * A KMS key policy: the account administers the key (IAM decides), CloudWatch Logs in `region`
 * may use it for the log group `logGroupName` of the account only (not for any log group: the key also
 * protects what else it encrypts).
 * @internal
 */
export function logKeyPolicy(ctx: AwsContext, region: string, logGroupName: string, extra: any[] = []): string {
  return policyJson([
    {
      Sid: 'AccountAdministers',
      Effect: 'Allow',
      Principal: { AWS: `arn:${ctx.partitionIn(region)}:iam::${ctx.accountId}:root` },
      Action: 'kms:*',
      Resource: '*',
    },
    {
      Sid: 'CloudWatchLogs',
      Effect: 'Allow',
      Principal: { Service: `logs.${region}.amazonaws.com` },
      Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      Resource: '*',
      Condition: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': `arn:${ctx.partitionIn(region)}:logs:${region}:${ctx.accountId}:log-group:${logGroupName}` } },
    },
    ...extra,
  ]);
}
