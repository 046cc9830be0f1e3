// Internal (not exported by the core barrel): what reveals a secret in a name or a value. The constructs' check
// (`Validators.plaintextSecret`) and the policy rules SS-K8S-062 and SS-K8S-063 use the same patterns, so a value a
// construct accepts is one the rules accept, and the other way round.

/** Names that say the variable or key holds a secret. */
const SECRET_NAME = new RegExp('secret|password|passwd|token(?!i[sz])|bearer|api[_-]?key|private[_-]?key|credential|aws_secret_access_key|google_application_credentials'
  + '|azure_.+key|oci_cli_key_content'
  // PASS and PASSPHRASE as a word of the name (DB_PASS, PASSPHRASE, PGPASS; not BYPASS or PASSTHROUGH)
  + '|(?:^|[_.-]|pg)pass(?:phrase)?(?:$|[_.-])'
  // the keys that sign or encrypt (ENCRYPTION_KEY, SESSION_KEY, JWT_SIGNING_KEY, HMAC_KEY, MASTER_KEY...)
  + '|(?:encryption|encrypt|session|signing|sign|jwt|hmac|master|cipher|crypto|aes)[_.-]?key(?:$|[_.-])', 'i');

/** The reference suffixes that say the value is a path (`DB_PASSWORD_FILE`): only a value that could be a path counts as one. */
const PATH_SUFFIX = /(?:^|[_.-])(?:file|path|dir)$/i;

/**
 * Names that end by saying the value is where or what the secret is, or a setting about secrets, not the secret:
 * `DB_PASSWORD_FILE` (a path, the pattern secret mounts use), `SECRET_NAME`, `DB_SECRET_ARN`, `TOKEN_URL`,
 * `PASSWORD_MIN_LENGTH`, `TOKEN_TTL_SECONDS`, `PASSWORD_ENABLED`, `PASSWORD_POLICY`, `SECRETS_MANAGER_REGION`...
 */
const REFERENCE_NAME = new RegExp('(?:^|[_.-])(?:file|path|dir|name|arn|id|ref|url|uri|endpoint|host|port|length|ttl|timeout|header|issuer|audience'
  + '|seconds|secs|sec|ms|millis|minutes|mins|hours|days|expiry|expires|expiration|lifetime|duration|interval|rotation|age'
  + '|count|size|limit|enabled|disabled|required|policy|algorithm|algo|mode|type|format|region|version|provider|manager|store|backend)$', 'i');

/** Names that start by saying the value is a number or a switch: `MAX_TOKENS`, `ENABLE_PASSWORD_LOGIN`... */
const SETTING_PREFIX = /^(?:max|min|num|enable|disable|use|allow|require|is|has)[_.-]/i;

/** Values no credential is: a switch (`true`, `no`...) is a setting whatever its name says. */
const SWITCH_VALUE = /^(?:true|false|yes|no|on|off|enabled|disabled)$/i;

/** Values that are unmistakably credentials, whatever the name they are stored under. */
const CREDENTIAL_SHAPES: Array<{ what: string; re: RegExp }> = [
  { what: 'an AWS access key id', re: /(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])/ },
  { what: 'a GitHub token', re: /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})/ },
  { what: 'a GitLab token', re: /(?<![A-Za-z0-9_])glpat-[A-Za-z0-9_-]{20,}/ },
  { what: 'a Slack token', re: /(?<![A-Za-z0-9])xox[abposr]-[A-Za-z0-9-]{10,}/ },
  { what: 'a Slack webhook URL', re: /https:\/\/hooks\.slack\.com\/services\/T[A-Za-z0-9]+\/B[A-Za-z0-9]+\/[A-Za-z0-9]+/ },
  { what: 'a Stripe live secret key', re: /(?<![A-Za-z0-9_])[sr]k_live_[A-Za-z0-9]{16,}/ },
  { what: 'a Google API key', re: /(?<![A-Za-z0-9_])AIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])/ },
  { what: 'an npm token', re: /(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])/ },
  { what: 'a private key', re: /-BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-/ }, // however many dashes frame the line
  { what: 'a JSON Web Token', re: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/ },
  { what: 'an HTTP bearer token', re: /(?<![A-Za-z0-9])Bearer\s+(?!\$)[A-Za-z0-9._~+/-]{20,}=*/ },
  // scheme://user:password@host; a password written as $(VAR) is Kubernetes expanding another variable, not a literal
  { what: 'a URL with a password', re: /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s:/@]*:(?!\$\()[^\s/@]+@/ },
];

/**
 * True when a variable or key name says it holds a secret (and not where or what the secret is). A name ending in
 * _FILE, _PATH or _DIR says its value is a path: one that is no path (no `/`, eight characters or more) is the secret itself.
 */
function secretName(name: string, value: unknown): boolean {
  if (typeof name !== 'string' || !SECRET_NAME.test(name) || SETTING_PREFIX.test(name)) return false;
  if (!REFERENCE_NAME.test(name)) return true;
  return PATH_SUFFIX.test(name) && typeof value === 'string' && value.trim().length >= 8 && !value.includes('/') && !value.includes('$(');
}

/**
 * True when a literal stored under `name` is a secret by its name: the name says so (`secretName`) and the value
 * could be one (not a switch such as `true`). A value that is a credential by its shape is `credentialIn`'s.
 */
export function secretByName(name: unknown, value: unknown): boolean {
  return typeof name === 'string' && secretName(name, value) && !(typeof value === 'string' && (SWITCH_VALUE.test(value.trim()) || notALiteral(value)));
}

/**
 * Values that hold no secret whatever their name: only references to other variables (`$(PG_PASS)`, which Kubernetes
 * expands from another variable of the container, a Secret's through `valueFrom`; or a `${PG_PASS}` placeholder), or
 * an absolute file path (`TLS_PRIVATE_KEY: /etc/tls/tls.key`, where the secret is mounted).
 */
function notALiteral(value: string): boolean {
  const v = value.trim();
  if (v !== '' && v.replace(/\$\([A-Za-z_][A-Za-z0-9_]*\)|\$\{[A-Za-z_][A-Za-z0-9_]*\}/g, '').trim() === '') return true;
  return /^\/[^\s]*[A-Za-z][^\s]*$/.test(v) && !v.startsWith('//');
}

/** A `key=value` or `key: value` line of a properties, ini, .env or YAML file (the key a word of letters, digits, `_`, `.`, `-`). */
const SETTING_LINE = /^\s*(?:export\s+)?([A-Za-z0-9_.-]+)\s*[=:]\s*(.*?)\s*$/;

/**
 * The first line of a file's text (a ConfigMap value holding a properties, ini, .env or YAML file) that sets a key
 * whose name says it holds a secret to a literal (not empty, not a `${...}` or `$(...)` placeholder, not quoted
 * empty), as `<key>`; undefined when none does.
 */
export function secretSettingIn(text: unknown): string | undefined {
  if (typeof text !== 'string' || !text.includes('\n')) return undefined;
  for (const line of text.split('\n')) {
    const m = SETTING_LINE.exec(line);
    if (!m) continue;
    const value = m[2].replace(/^["']|["']$/g, '');
    if (value === '' || /^\$[{(]/.test(value) || value.startsWith('#')) continue;
    if (secretByName(m[1], value)) return m[1];
  }
  return undefined;
}

/** What credential a value holds (`an AWS access key id`, ...), or undefined. */
export function credentialIn(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  for (const c of CREDENTIAL_SHAPES) {
    if (c.re.test(value)) return c.what;
  }
  return undefined;
}
