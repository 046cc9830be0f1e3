import { IConstruct } from 'constructs';
import { fail } from '../../core/errors';

/** The label shipshape sets on every node with its pool's name. @internal */
export const POOL_LABEL = 'shipshape.dev/node-pool';

/**
 * Refuses the label shipshape sets on every node of a pool (`shipshape.dev/node-pool: <pool name>`) among a pool's own
 * labels: it would be overwritten, and placement (`k8s.Placement.onPool`) and the scheduling checks read it.
 * @internal
 */
export function checkReservedLabel(scope: IConstruct, labels: { [key: string]: string } | undefined, poolName: string): void {
  if (labels === undefined || labels === null || !Object.prototype.hasOwnProperty.call(labels, POOL_LABEL)) return;
  fail(scope, 'labels', `${POOL_LABEL}=${labels[POOL_LABEL]}`,
    `uses the key ${POOL_LABEL}, which shipshape reserves: it sets it on every node to the pool's name (${poolName}), which placement and the scheduling checks read`,
    'leave the label out (to change its value, set the pool\'s name), and use another key for your own label, for example \'example.com/node-pool\'');
}

/**
 * Refuses two taints of one key and effect (Kubernetes keeps one taint per key and effect on a node, and refuses a node
 * that lists two).
 * @internal
 */
export function checkUniqueTaints(scope: IConstruct, taints: Array<{ key: string; value?: string; effect: string }>): void {
  const seen = new Map<string, number>();
  taints.forEach((t, i) => {
    const key = `${t.key}:${t.effect}`;
    const first = seen.get(key);
    if (first !== undefined) {
      fail(scope, `taints[${i}]`, `${t.key}${t.value !== undefined ? `=${t.value}` : ''}:${t.effect}`,
        `has the key and effect of taints[${first}] (${t.key}:${t.effect}): Kubernetes allows one taint per key and effect on a node, and refuses a node that lists two`,
        'keep one taint per key and effect (one value each), or use another key');
    }
    seen.set(key, i);
  });
}
