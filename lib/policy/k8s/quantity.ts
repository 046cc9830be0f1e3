// Internal: quantity helpers for the resource rules.

/** True when a resource quantity is set and not zero. */
export function nonZeroQuantity(q: any): boolean {
  if (typeof q === 'number') return q > 0;
  if (typeof q !== 'string' || q.trim() === '') return false;
  const n = parseFloat(q);
  return !Number.isNaN(n) ? n > 0 : true;
}
