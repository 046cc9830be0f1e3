import { posix } from 'path';
import { IConstruct } from 'constructs';
import { fail } from './errors';
import { Names } from './names';
import { EnvironmentProfile } from './profile';
import { credentialIn, secretByName } from './secret-patterns';

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
/** The total size Kubernetes allows for the annotations of one object (256 KiB). */
const MAX_ANNOTATIONS_BYTES = 256 * 1024;

/** The pod fields the downward API gives an environment variable (`fieldRef`), besides labels['k'] and annotations['k']. */
const ENV_FIELD_PATHS = [
  'metadata.name', 'metadata.namespace', 'metadata.uid',
  'spec.nodeName', 'spec.serviceAccountName',
  'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs',
];

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
/** The word before the number in an AWS region name (eu-west-1, ap-southeast-3, us-gov-west-1). */
const REGION_DIRECTIONS = ['east', 'west', 'north', 'south', 'central', 'northeast', 'northwest', 'southeast', 'southwest'];

/** Names that say a variable holds a secret. */

/** A key of a ConfigMap or Secret. */
const DATA_KEY = /^[-._a-zA-Z0-9]+$/;

/**
 * Checks of the Kubernetes values that constructs accept from users: label and annotation keys, CIDRs,
 * namespace names, downward-API field paths, taints, environment variable names and plaintext credentials.
 *
 * Each check returns the value unchanged or throws a validation error naming the construct path, the prop,
 * the value, what is allowed and how to fix it. Names (DNS labels and subdomains, label values, port names)
 * are checked by `Names`.
 */
export class Validators {
  /**
   * Validates a label key: an optional prefix (a DNS subdomain of at most 253 characters) and `/`, then a
   * name of 1-63 characters of A-Z, a-z, 0-9, `-`, `_` and `.`, starting and ending with a letter or digit.
   *
   * @param scope the construct the key belongs to (named in the error)
   * @param prop the prop that holds the key (named in the error)
   * @param key the key
   * @returns the key, unchanged
   */
  public static labelKey(scope: IConstruct, prop: string, key: string): string {
    if (!isQualifiedName(key)) {
      fail(scope, prop, key,
        "is not a valid label key: an optional DNS-subdomain prefix of at most 253 characters and '/', then a name of 1-63 characters of A-Z, a-z, 0-9, '-', '_' and '.', starting and ending with a letter or digit",
        `use a key such as ${JSON.stringify(suggestKey(key))}`);
    }
    return key;
  }

  /**
   * Validates every key (`labelKey`) and value (`Names.labelValue`) of a label map.
   * Errors name the key as `<prop>` and a value as `<prop>.<key>`.
   *
   * @returns the labels, unchanged
   */
  public static labels(scope: IConstruct, prop: string, labels: { [key: string]: string }): { [key: string]: string } {
    for (const [k, v] of Object.entries(labels ?? {})) {
      Validators.labelKey(scope, prop, k);
      Names.labelValue(scope, `${prop}.${k}`, v);
    }
    return labels;
  }

  /**
   * Validates an annotation key: the label-key syntax, where the prefix may use upper-case letters
   * (Kubernetes compares annotation keys in lower case).
   *
   * @returns the key, unchanged
   */
  public static annotationKey(scope: IConstruct, prop: string, key: string): string {
    if (typeof key !== 'string' || !isQualifiedName(key.toLowerCase())) {
      fail(scope, prop, key,
        "is not a valid annotation key: an optional DNS-subdomain prefix of at most 253 characters and '/', then a name of 1-63 characters of A-Z, a-z, 0-9, '-', '_' and '.', starting and ending with a letter or digit",
        `use a key such as ${JSON.stringify(suggestKey(String(key)))}`);
    }
    return key;
  }

  /**
   * Validates every key of an annotation map (`annotationKey`) and the total size (at most 256 KiB of keys
   * and values, the Kubernetes limit per object).
   *
   * @returns the annotations, unchanged
   */
  public static annotations(scope: IConstruct, prop: string, annotations: { [key: string]: string }): { [key: string]: string } {
    let size = 0;
    for (const [k, v] of Object.entries(annotations ?? {})) {
      Validators.annotationKey(scope, prop, k);
      if (typeof v !== 'string') {
        fail(scope, `${prop}.${k}`, v, 'must be a string', `quote it: ${JSON.stringify(String(v))}`);
      }
      size += Buffer.byteLength(k) + Buffer.byteLength(v);
    }
    if (size > MAX_ANNOTATIONS_BYTES) {
      fail(scope, prop, `${size} bytes`, `must total at most ${MAX_ANNOTATIONS_BYTES} bytes (256 KiB, the Kubernetes limit per object)`,
        'move large values into a ConfigMap and reference it');
    }
    return annotations;
  }

  /**
   * Validates an AWS region name (`eu-west-1`, `us-gov-west-1`, `ap-southeast-3`).
   *
   * @param scope the construct the region belongs to (named in the error)
   * @param prop the prop that holds it (named in the error)
   * @param value the region
   * @param fix what to do instead (the error's last part)
   * @returns the region, unchanged
   */
  public static awsRegion(scope: IConstruct, prop: string, value: string, fix: string): string {
    if (typeof value !== 'string' || !/^[a-z]{2}(-[a-z]+)+-\d$/.test(value)) {
      fail(scope, prop, value, 'must be an AWS region name such as eu-west-1', fix);
    }
    // <area>[-<partition>]-<direction>-<n>: the areas and partitions grow with AWS, the directions do not
    const parts = value.split('-');
    const direction = parts[parts.length - 2];
    if (!REGION_DIRECTIONS.includes(direction)) {
      const meant = [...parts.slice(0, -2), closest(direction, REGION_DIRECTIONS), parts[parts.length - 1]].join('-');
      fail(scope, prop, value, `must be an AWS region name such as eu-west-1: ${direction} is not one of the directions region names use (${REGION_DIRECTIONS.join(', ')})`,
        `did you mean ${meant}? ${fix}`);
    }
    return value;
  }

  /**
   * Validates an IPv4 (`10.0.0.0/16`) or IPv6 (`fd00::/64`) CIDR: valid octets or groups, a prefix length
   * within range (0-32 or 0-128) and no bit set after the prefix.
   *
   * @returns the CIDR, unchanged
   */
  public static cidr(scope: IConstruct, prop: string, value: string): string {
    const r = parseCidr(value);
    if (typeof r === 'string') {
      fail(scope, prop, value, r, CIDR_FIX);
    }
    if (r.hostBits) {
      fail(scope, prop, value, `has bits set after the /${r.prefix} prefix, so the range it means is unclear`,
        `write the network address: ${JSON.stringify(r.network)}`);
    }
    return value;
  }

  /**
   * True when `value` parses as an IPv4 or IPv6 CIDR (bits set after the prefix allowed).
   * @internal
   */
  public static _isCidr(value: string): boolean {
    return typeof parseCidr(value) !== 'string';
  }

  /**
   * True when `inner` is a CIDR strictly inside `outer` (same family, longer prefix). Both must be valid CIDRs.
   */
  public static cidrContains(outer: string, inner: string): boolean {
    const o = parseCidr(outer);
    const i = parseCidr(inner);
    if (typeof o === 'string' || typeof i === 'string' || o.family !== i.family || i.prefix <= o.prefix) return false;
    return prefixEqual(o.bytes, i.bytes, o.prefix);
  }

  /**
   * Validates a namespace name: an RFC 1123 DNS label of at most 63 characters.
   *
   * @returns the name, unchanged
   */
  public static namespaceName(scope: IConstruct, prop: string, value: string): string {
    return Names.dnsLabel(scope, prop, value, 63);
  }

  /**
   * Validates a downward-API field path for an environment variable (`fieldRef.fieldPath`): `metadata.name`,
   * `metadata.namespace`, `metadata.uid`, `metadata.labels['<key>']`, `metadata.annotations['<key>']`,
   * `spec.nodeName`, `spec.serviceAccountName`, `status.hostIP`, `status.hostIPs`, `status.podIP` or
   * `status.podIPs`.
   *
   * @returns the field path, unchanged
   */
  public static fieldPath(scope: IConstruct, prop: string, value: string): string {
    const allowed = `is not a pod field the downward API gives an environment variable: ${ENV_FIELD_PATHS.join(', ')}, metadata.labels['<key>'] or metadata.annotations['<key>']`;
    if (typeof value !== 'string') fail(scope, prop, value, allowed, 'use for example "metadata.name"');
    if (ENV_FIELD_PATHS.includes(value)) return value;
    const m = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(value);
    if (m) {
      const key = m[1] === 'annotations' ? m[2].toLowerCase() : m[2];
      if (!isQualifiedName(key)) {
        fail(scope, prop, value, `names a ${m[1] === 'labels' ? 'label' : 'annotation'} key (${JSON.stringify(m[2])}) that is not valid: an optional DNS-subdomain prefix and '/', then 1-63 characters of A-Z, a-z, 0-9, '-', '_' and '.'`,
          `write it as metadata.${m[1]}['${suggestKey(m[2])}']`);
      }
      return value;
    }
    const close = closest(value, [...ENV_FIELD_PATHS, "metadata.labels['<key>']", "metadata.annotations['<key>']"]);
    const hint = /^metadata\.(labels|annotations)(\[|\.|$)/.test(value)
      ? `a single ${value.startsWith('metadata.labels') ? 'label' : 'annotation'} is written with square brackets and single quotes, for example metadata.labels['app.kubernetes.io/name']; all of them are only available as a downwardAPI volume`
      : `use ${JSON.stringify(close)}`;
    return fail(scope, prop, value, allowed, hint);
  }

  /**
   * Validates a taint key (the label-key syntax).
   *
   * @returns the key, unchanged
   */
  public static taintKey(scope: IConstruct, prop: string, key: string): string {
    if (!isQualifiedName(key)) {
      fail(scope, prop, key,
        "is not a valid taint key: an optional DNS-subdomain prefix of at most 253 characters and '/', then a name of 1-63 characters of A-Z, a-z, 0-9, '-', '_' and '.', starting and ending with a letter or digit",
        `use a key such as ${JSON.stringify(suggestKey(key))}`);
    }
    return key;
  }

  /**
   * Validates a taint effect in Kubernetes spelling: `NoSchedule`, `PreferNoSchedule` or `NoExecute`.
   *
   * @returns the effect, unchanged
   */
  public static taintEffect(scope: IConstruct, prop: string, effect: string): string {
    if (!TAINT_EFFECTS.includes(effect)) {
      fail(scope, prop, effect, `must be ${TAINT_EFFECTS.slice(0, -1).join(', ')} or ${TAINT_EFFECTS[TAINT_EFFECTS.length - 1]}`,
        `use ${JSON.stringify(closest(String(effect), TAINT_EFFECTS))}`);
    }
    return effect;
  }

  /**
   * Validates an environment profile given from plain JavaScript or a cast (`process.env.PROFILE as EnvironmentProfile`):
   * `production`, `staging` or `development`. Any other value would get production's defaults without a word.
   *
   * @returns the profile, unchanged
   */
  public static environmentProfile(scope: IConstruct, prop: string, profile: EnvironmentProfile): EnvironmentProfile {
    const known: string[] = Object.values(EnvironmentProfile);
    if (!known.includes(profile)) {
      const s = String(profile).toLowerCase();
      // 'dev', 'prod' and 'Production' mean the profile they start with
      const guess = known.find(k => s.length >= 3 && k.startsWith(s)) ?? closest(String(profile), known);
      fail(scope, prop, profile, `must be an EnvironmentProfile (${known.join(', ')}); another value would get production's defaults`,
        `use EnvironmentProfile.${guess.toUpperCase()} ('${guess}')`);
    }
    return profile;
  }

  /**
   * Validates an environment variable name: letters, digits, `_`, `-` and `.`, not starting with a digit.
   *
   * @returns the name, unchanged
   */
  public static envVarName(scope: IConstruct, prop: string, name: string): string {
    if (typeof name !== 'string' || !ENV_VAR_NAME.test(name)) {
      fail(scope, prop, name, 'is not a valid environment variable name', 'use letters, digits, "_", "-" and ".", not starting with a digit');
    }
    return name;
  }

  /**
   * Validates an absolute path (a mount path, a directory): a string starting with `/`. A relative path is refused
   * with itself made absolute as the fix (`"data"`: write it as `"/data"`); a missing, empty or non-string one with
   * `example`, a path that suits the prop (`"/var/lib/data"`), since making nothing absolute gives `"/"`.
   *
   * @param scope the construct the path belongs to (named in the error)
   * @param prop the prop that holds it (named in the error)
   * @param value the path
   * @param example an absolute path to suggest when `value` gives none to build on
   * @returns the path, unchanged
   * @internal
   */
  public static _absolutePath(scope: IConstruct, prop: string, value: string, example: string): string {
    if (typeof value === 'string' && value.startsWith('/')) {
      const trimmed = value.length > 1 ? value.replace(/\/+$/, '') || '/' : value;
      if (trimmed.includes('//') || trimmed.split('/').some(seg => seg === '.' || seg === '..')) {
        // /data/../tmp mounts at /tmp: checked as written, it would pass the checks /tmp fails (a second mount there)
        fail(scope, prop, value, 'has a "." or ".." segment or an empty one ("//"): paths are checked as written, so a path must be the one it means',
          `write it as ${JSON.stringify(posix.normalize(trimmed))}`);
      }
      return value;
    }
    if (typeof value === 'string' && value.trim() !== '') {
      fail(scope, prop, value, 'must be an absolute path', `write it as ${JSON.stringify('/' + value)}`);
    }
    return fail(scope, prop, value, value === undefined ? 'is required' : 'must be an absolute path', `give an absolute path such as ${JSON.stringify(example)}`);
  }

  /**
   * Why a literal value must not be written into a manifest, or undefined when it may: its name says it is
   * a secret (`DB_PASSWORD`, `API_TOKEN`...; not a name that says it holds where or what the secret is, or a setting
   * about it, such as `DB_PASSWORD_FILE`, `SECRET_NAME`, `SECRET_ARN`, `TOKEN_URL`, `PASSWORD_MIN_LENGTH`,
   * `TOKEN_TTL_SECONDS` or `MAX_TOKENS`, nor a switch such as `PASSWORD_AUTH: "false"`), or the value itself is
   * unmistakably a credential (an AWS access key id, a GitHub, GitLab, Slack, Stripe, Google or npm token, a
   * private key block, a URL with a password), whatever its name.
   *
   * @param name the variable or key name
   * @param value the literal value
   * @returns a reason such as `it holds an AWS access key id`, or undefined
   */
  public static plaintextSecret(name: string, value: string): string | undefined {
    if (typeof value !== 'string' || value === '') return undefined;
    const credential = credentialIn(value);
    if (credential !== undefined) return `it holds ${credential}`;
    if (secretByName(name, value)) return 'its name says it is a secret';
    return undefined;
  }

  /**
   * Why `key` is no key of a ConfigMap or Secret (the API's rule: 1-253 letters, digits, `-`, `_` and `.`, not `.`
   * or `..` and not starting with `..`), or undefined.
   * @internal
   */
  public static _dataKeyProblem(key: string): string | undefined {
    if (key.length === 0) return 'is empty';
    if (key.length > 253) return 'is longer than 253 characters';
    if (!DATA_KEY.test(key)) return 'may hold only letters, digits, "-", "_" and "."';
    if (key === '.' || key === '..' || key.startsWith('..')) return 'may not be "." or ".." or start with ".."';
    return undefined;
  }

  /**
   * The candidate closest to `value` (edit distance, case-insensitive), for "did you mean" hints.
   * @internal
   */
  public static _closest(value: string, candidates: string[]): string {
    return closest(value, candidates);
  }

  /**
   * Checks the `mechanism` of a workload identity profile (a hand-written one may hold anything): `irsa` or
   * `pod-identity`. Anything else would be written as neither (no role annotation, no egress to the Pod Identity agent),
   * and the pods would get no AWS credentials.
   * @internal
   */
  public static _identityMechanism(scope: IConstruct | string, prop: string, value: unknown): void {
    if (value === 'irsa' || value === 'pod-identity') return;
    const near = typeof value === 'string' ? value.trim().toLowerCase().replace(/[_\s]+/g, '-') : '';
    const meant = near === 'irsa' || near === 'pod-identity' || near === 'podidentity' ? (near === 'irsa' ? 'irsa' : 'pod-identity') : undefined;
    fail(scope, prop, value, 'is not a workload identity mechanism: \'irsa\' (the ServiceAccount carries the role ARN) or \'pod-identity\' (an EKS Pod Identity '
      + 'association; the pods reach the agent on 169.254.170.23); anything else gives the pods no AWS credentials',
    meant !== undefined ? `write '${meant}'` : 'write \'irsa\' or \'pod-identity\' (aws.IdentityMechanism.IRSA or aws.IdentityMechanism.POD_IDENTITY)');
  }

  /**
   * The edit (Levenshtein) distance of two strings.
   * @internal
   */
  public static _editDistance(a: string, b: string): number {
    return distance(a, b);
  }

  private constructor() {}
}

const CIDR_FIX = 'write an IPv4 CIDR such as "10.0.0.0/16" (prefix 0-32) or an IPv6 CIDR such as "fd00::/64" (prefix 0-128)';

interface ParsedCidr {
  readonly family: 4 | 6;
  readonly bytes: number[];
  readonly prefix: number;
  readonly hostBits: boolean;
  readonly network: string;
}

/** Parses a CIDR; returns why it is not one (a string) or the parsed value. */
function parseCidr(value: string): ParsedCidr | string {
  if (typeof value !== 'string' || !value.includes('/')) return 'is not a CIDR: an address, "/" and a prefix length';
  const slash = value.indexOf('/');
  const addr = value.slice(0, slash);
  const prefixText = value.slice(slash + 1);
  const v6 = addr.includes(':');
  const max = v6 ? 128 : 32;
  if (!/^(0|[1-9][0-9]{0,2})$/.test(prefixText)) return `has a prefix length that is not a whole number from 0 to ${max}`;
  const prefix = Number(prefixText);
  if (prefix > max) return `has a prefix length above ${max}, the most an ${v6 ? 'IPv6' : 'IPv4'} CIDR allows`;
  const bytes = v6 ? parseIpv6(addr) : parseIpv4(addr);
  if (typeof bytes === 'string') return bytes;
  const masked = bytes.map((b, i) => b - (b % 2 ** (8 - Math.min(8, Math.max(0, prefix - i * 8)))));
  const hostBits = masked.some((b, i) => b !== bytes[i]);
  const network = `${v6 ? formatIpv6(masked) : masked.join('.')}/${prefix}`;
  return { family: v6 ? 6 : 4, bytes, prefix, hostBits, network };
}

function parseIpv4(addr: string): number[] | string {
  const parts = addr.split('.');
  if (parts.length !== 4 || parts.some(p => !/^(0|[1-9][0-9]{0,2})$/.test(p) || Number(p) > 255)) {
    return 'has an IPv4 address that is not four numbers from 0 to 255 without leading zeros';
  }
  return parts.map(Number);
}

function parseIpv6(addr: string): number[] | string {
  const bad = 'has an IPv6 address that is not up to eight groups of 1-4 hex digits (with at most one "::")';
  if (addr.includes('%')) return 'has an IPv6 zone ("%..."), which a CIDR cannot carry';
  const halves = addr.split('::');
  if (halves.length > 2) return bad;
  const groups = (s: string): number[] | undefined => {
    if (s === '') return [];
    const out: number[] = [];
    const parts = s.split(':');
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i];
      if (i === parts.length - 1 && p.includes('.')) {
        const v4 = parseIpv4(p);
        if (typeof v4 === 'string') return undefined;
        out.push(v4[0] * 256 + v4[1], v4[2] * 256 + v4[3]);
      } else if (/^[0-9A-Fa-f]{1,4}$/.test(p)) {
        out.push(parseInt(p, 16));
      } else {
        return undefined;
      }
    }
    return out;
  };
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (!head || !tail) return bad;
  let all: number[];
  if (halves.length === 2) {
    if (head.length + tail.length > 7) return bad;
    all = [...head, ...new Array(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    if (head.length !== 8) return bad;
    all = head;
  }
  return all.flatMap(g => [Math.floor(g / 256), g % 256]);
}

function formatIpv6(bytes: number[]): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes[i] * 256 + bytes[i + 1]);
  // compress the longest run of two or more zero groups
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j;
  }
  const hex = groups.map(g => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

function prefixEqual(a: number[], b: number[], prefix: number): boolean {
  for (let i = 0; i * 8 < prefix; i++) {
    const unit = 2 ** (8 - Math.min(8, prefix - i * 8));
    if (Math.floor(a[i] / unit) !== Math.floor(b[i] / unit)) return false;
  }
  return true;
}

/** A Kubernetes qualified name (label, annotation and taint keys). */
function isQualifiedName(key: string): boolean {
  if (typeof key !== 'string') return false;
  const slash = key.indexOf('/');
  let name = key;
  if (slash >= 0) {
    const prefix = key.slice(0, slash);
    name = key.slice(slash + 1);
    if (prefix.length === 0 || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix)) return false;
  }
  return name.length >= 1 && name.length <= 63 && QUALIFIED_NAME.test(name);
}

/** A best-effort valid key derived from a bad one, for error messages. */
function suggestKey(key: string): string {
  const slash = key.lastIndexOf('/');
  const clean = (s: string, re: RegExp, max: number) => s.replace(re, '-').replace(/-+/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, max).replace(/[^A-Za-z0-9]+$/, '');
  const name = clean(slash >= 0 ? key.slice(slash + 1) : key, /[^A-Za-z0-9_.-]/g, 63) || 'key';
  if (slash < 0) return name;
  const prefix = clean(key.slice(0, slash).toLowerCase(), /[^a-z0-9.-]/g, 253).replace(/\.+/g, '.');
  return prefix ? `${prefix}/${name}` : name;
}

/** The candidate closest to `value` (Levenshtein distance, case-insensitive), for "did you mean" hints. */
function closest(value: string, candidates: readonly string[]): string {
  let best = candidates[0];
  let bestD = Infinity;
  const v = value.toLowerCase();
  for (const c of candidates) {
    const d = distance(v, c.toLowerCase());
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}
