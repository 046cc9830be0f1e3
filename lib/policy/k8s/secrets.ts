// Internal: patterns that reveal a secret in a name or a value.

const NAME = [/secret/i, /password/i, /token/i, /bearer/i, /aws_secret_access_key/i, /google_application_credentials/i, /azure_.+key/i, /oci_cli_key_content/i];
const PRIVATE_KEY = /-BEGIN[ A-Z]*PRIVATE KEY-/;

/** True when a variable or key name says it holds a secret. */
export function secretName(name: string): boolean {
  return NAME.some(re => re.test(name));
}

/** True when a value holds a private key. */
export function privateKeyValue(value: any): boolean {
  return typeof value === 'string' && PRIVATE_KEY.test(value);
}
