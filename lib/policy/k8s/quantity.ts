// Internal: quantity helpers for the resource rules.

/** True when a resource quantity is set and not zero. */
export function nonZeroQuantity(q: any): boolean {
  if (typeof q === 'number') return q > 0;
  if (typeof q !== 'string' || q.trim() === '') return false;
  const n = parseFloat(q);
  return !Number.isNaN(n) ? n > 0 : true;
}

/**
 * A Kubernetes quantity, exactly: `sign × digits × 10^pow10 × 2^pow2` (`1.5Gi` is 15 × 10^-1 × 2^30, `100m` is
 * 100 × 10^-3).
 */
export interface Quantity {
  readonly negative: boolean;
  readonly digits: bigint;
  readonly pow10: number;
  readonly pow2: number;
}

/** The decimal suffixes and the power of ten each stands for. */
const DECIMAL_SUFFIX: { readonly [s: string]: number } = { 'n': -9, 'u': -6, 'm': -3, '': 0, 'k': 3, 'M': 6, 'G': 9, 'T': 12, 'P': 15, 'E': 18 };
/** The binary suffixes and the power of two each stands for. */
const BINARY_SUFFIX: { readonly [s: string]: number } = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

/**
 * Kubernetes' quantity grammar: an optional sign, a number (`2`, `2.`, `.5`, `2.5`), then a binary suffix (Ki … Ei),
 * a decimal one (n, u, m, none, k, M, G, T, P, E) or an exponent (`e3`, `E-2`). "E" alone is exa, "e" alone nothing.
 */
const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]))?$/;

/**
 * Parses a quantity as the API server reads it: a finite number, or a string in the quantity grammar (surrounding
 * spaces are trimmed, as the API does). Undefined for anything else (`100mi`, `1 Gi`, `abc`, `""`).
 */
export function parseQuantity(q: unknown): Quantity | undefined {
  let text: string;
  if (typeof q === 'number') {
    if (!Number.isFinite(q)) return undefined;
    text = String(q); // may be in exponent form (1e+21, 1e-7), which the grammar takes
  } else if (typeof q === 'string') {
    text = q.trim();
  } else {
    return undefined;
  }
  const m = QUANTITY.exec(text);
  if (!m) return undefined;
  const [whole, fraction = ''] = m[2].split('.');
  let pow10 = -fraction.length;
  let pow2 = 0;
  if (m[3] !== undefined) pow10 += Number(m[3].slice(1));
  else if (m[4] !== undefined && m[4] in BINARY_SUFFIX) pow2 = BINARY_SUFFIX[m[4]];
  else pow10 += DECIMAL_SUFFIX[m[4] ?? ''];
  if (!Number.isSafeInteger(pow10)) return undefined;
  const digits = BigInt((whole + fraction) || '0');
  return { negative: m[1] === '-' && digits !== 0n, digits, pow10, pow2 };
}

/** The quantity in base units (cores, bytes, ...), as a floating-point number (approximate for very large or long ones). */
export function quantityValue(q: Quantity): number {
  const n = Number(q.digits) * 10 ** q.pow10 * 2 ** q.pow2;
  return q.negative ? -n : n;
}

/** The largest difference of powers of ten compared exactly (beyond it the floating-point values decide). */
const EXACT_POW10 = 400;

/** -1, 0 or 1 as `a` is less than, equal to or more than `b`; exact for any quantity a manifest holds. */
export function compareQuantities(a: Quantity, b: Quantity): number {
  if (a.negative !== b.negative) return a.negative ? -1 : 1; // a negative quantity is never zero
  const d10 = a.pow10 - b.pow10;
  if (Math.abs(d10) > EXACT_POW10) {
    const x = quantityValue(a);
    const y = quantityValue(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  // both scaled to the smaller powers of ten and two: whole numbers
  const p10 = Math.min(a.pow10, b.pow10);
  const p2 = Math.min(a.pow2, b.pow2);
  const x = a.digits * 10n ** BigInt(a.pow10 - p10) * 2n ** BigInt(a.pow2 - p2);
  const y = b.digits * 10n ** BigInt(b.pow10 - p10) * 2n ** BigInt(b.pow2 - p2);
  const c = x < y ? -1 : x > y ? 1 : 0;
  return a.negative ? -c : c;
}

/** True when the quantity is a whole number of base units (`2`, `1.5Ki` = 1536; not `0.5` or `500m`). */
export function isWholeQuantity(q: Quantity): boolean {
  if (q.pow10 >= 0) return true;
  if (-q.pow10 > EXACT_POW10) return false;
  return (q.digits * 2n ** BigInt(q.pow2)) % 10n ** BigInt(-q.pow10) === 0n;
}
