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

/** A number written as text the way JavaScript writes a number token: negative, with an exponent of 281 or more. */
const NUMBER_TOKEN_TEXT = /-\d(?:\.\d+)?e\+\d{3}/g;

/**
 * Whether a string holds a number token written as text (`${maxConns}` of a cdktf number gives
 * "-8.109562212591379e+298"): the value the cluster would get is that number, not the Terraform one.
 * @internal
 */
export function hasNumberTokenText(s: string): boolean {
  if (s.indexOf('e+') === -1) return false;
  const found = s.match(NUMBER_TOKEN_TEXT);
  return found !== null && found.some(t => isNumberToken(Number(t)));
}
