// Unresolved tokens of cdktf and the AWS CDK, as they reach shipshape in place of values: strings holding a marker
// (`${TfToken[...]}`, `${Token[...]}`) and numbers encoded as doubles in a range no real value uses.

/** The markers of string (and list) tokens; all of them contain "Token[". */
const TOKEN_STRING = /\$\{TfToken\[|#\{TfToken\[|&\{TfToken\[|\$\{Token\[/;

/**
 * True when `n` is a cdktf / AWS CDK number token (a NaN-adjacent double with a marker in its top 16 bits).
 * @internal
 */
export function isNumberToken(n: number): boolean {
  if (n >= -1e280 || !Number.isFinite(n)) return false;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, n);
  const top = view.getUint16(0); // sign and exponent bits (big-endian view)
  return top === 0xfdff || top === 0xfbff;
}

/**
 * Whether a string holds a token marker.
 * @internal
 */
export function isTokenString(s: string): boolean {
  return s.indexOf('Token[') !== -1 && TOKEN_STRING.test(s);
}
