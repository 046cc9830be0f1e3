// Internal: the shape of an EC2 instance type name, shared by managed node groups and Karpenter node pools.
import type { IConstruct } from 'constructs';
import { fail } from '../../core/errors';
import { Validators } from '../../core/validators';

/**
 * An EC2 instance type: `<family>.<size>`, the family a generation (`m7i`, `c6gn`, `u-6tb1`, `m7i-flex`, `mac2-m2pro`),
 * the size one EC2 sells (`nano` … `xlarge`, `<N>xlarge`, `metal`, `metal-<N>xl`).
 */
const INSTANCE_TYPE = /^[a-z]+-?[0-9][a-z0-9]*(-[a-z0-9]+)*\.(nano|micro|small|medium|large|xlarge|[1-9][0-9]*xlarge|metal|metal-[1-9][0-9]*xl)$/;
const FIXED_SIZES = ['nano', 'micro', 'small', 'medium', 'large', 'xlarge', 'metal'];

/** `(did you mean m7i.large?)` for a name in the wrong case, or a size one letter off a fixed size, or nothing. */
function suggestInstanceType(t: string): string {
  // EC2 names are lowercase: M7i.xlarge is m7i.xlarge, not a size off
  const lower = t.trim().toLowerCase();
  if (lower !== t && INSTANCE_TYPE.test(lower)) return ` (did you mean ${lower}?)`;
  if (lower !== t) return suggestInstanceType(lower);
  const dot = t.lastIndexOf('.');
  if (dot < 0) return '';
  const [family, size] = [t.slice(0, dot), t.slice(dot + 1)];
  if (/^(nano|micro|small|medium|large|xlarge|[1-9][0-9]*xlarge|metal|metal-[1-9][0-9]*xl)$/.test(size)) return '';
  const near = FIXED_SIZES.find((s) => Validators._editDistance(s, size) === 1) ?? (/^\d+x?larg?e?$/.test(size) ? `${size.replace(/x?larg?e?$/, '')}xlarge` : undefined);
  return near ? ` (did you mean ${family}.${near}?)` : '';
}

/**
 * Refuses a value that is not an EC2 instance type name (a typo such as `m7i.larg` matches no instance type: a managed
 * node group fails to create, a Karpenter pool never launches a node).
 * @internal
 */
export function checkInstanceTypeName(scope: IConstruct, prop: string, t: unknown): void {
  if (typeof t === 'string' && INSTANCE_TYPE.test(t)) return;
  fail(scope, prop, t,
    'must be an EC2 instance type <family>.<size> such as m6i.large, where size is nano, micro, small, medium, large, xlarge, <N>xlarge, metal or metal-<N>xl',
    `fix the instance type name${typeof t === 'string' ? suggestInstanceType(t) : ''} (aws ec2 describe-instance-types lists the types of a region)`);
}
