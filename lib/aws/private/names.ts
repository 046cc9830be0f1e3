import { createHash } from 'crypto';

/** IAM role (and policy) names: at most 64 characters. @internal */
export const MAX_IAM_ROLE_NAME = 64;
/** EventBridge rule names: at most 64 characters. @internal */
export const MAX_EVENT_RULE_NAME = 64;
/** SQS standard queue names: at most 80 characters. @internal */
export const MAX_SQS_QUEUE_NAME = 80;

/**
 * An AWS name derived from a prefix (a cluster or pool name) and a suffix that tells it apart from its siblings
 * (`-cluster`, `-karpenter-node`, `-karpenter-spot-interruption` ...), within `max` characters: `<prefix><suffix>`
 * when it fits, else the prefix cut short, a hash of the whole name (8 hex digits) and the suffix whole
 * (`<prefix cut>-<hash><suffix>`). Cutting the end of the whole name instead would cut the suffix, and two names of
 * one prefix would become identical; the hash keeps two long prefixes that start alike apart. Deterministic.
 * @internal
 */
export function fitName(prefix: string, suffix: string, max: number): string {
  const full = `${prefix}${suffix}`;
  if (full.length <= max) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  const room = Math.max(0, max - suffix.length - hash.length - 1);
  const head = prefix.slice(0, room).replace(/[-_.]+$/, '');
  return `${head}${head ? '-' : ''}${hash}${suffix}`.slice(0, max);
}
