import { createHash } from 'crypto';
import { IConstruct } from 'constructs';
import { fail } from './errors';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const IANA_SVC_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Kubernetes naming rules (RFC 1123 labels and subdomains, label values, port names).
 */
export class Names {
  /**
   * Turns a construct id into a kebab-case name (`OrdersApi` -> `orders-api`, `Zürich` -> `zurich`): letters lose
   * their accents, characters other than letters, digits, '.' and '-' become '-'. The result is not checked: a name
   * that is still no valid Kubernetes name (too long, or starting with a digit where a DNS-1035 label is needed) is
   * refused, with the rule, where it is used.
   */
  public static kebab(id: string): string {
    return id
      // accents off (é -> e) before anything else, so a letter is kept rather than turned into a '-'
      .normalize('NFKD').replace(/[\u0300-\u036f]/g, '')
      .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
      .replace(/([A-Z])([A-Z][a-z])/g, '$1-$2')
      .replace(/[^A-Za-z0-9.-]+/g, '-')
      .replace(/-+/g, '-')
      .replace(/^-|-$/g, '')
      .toLowerCase();
  }

  /**
   * Validates an RFC 1123 DNS label (Service, Namespace and most object names): lowercase
   * alphanumerics and '-', starting and ending with an alphanumeric, at most `maxLength` characters.
   *
   * @param scope the construct the name belongs to (named in the error)
   * @param prop the prop that holds the name (named in the error)
   * @param value the name
   * @param maxLength the longest name allowed (63 for labels, less where a suffix is added)
   * @returns the name, unchanged
   */
  public static dnsLabel(scope: IConstruct, prop: string, value: string, maxLength?: number): string {
    requireString(scope, prop, value);
    const max = maxLength ?? 63;
    if (value.length === 0 || value.length > max || !DNS_LABEL.test(value)) {
      fail(scope, prop, value,
        `must be an RFC 1123 DNS label: 1-${max} characters of a-z, 0-9 and '-', starting and ending with a letter or digit`,
        `use a name such as ${JSON.stringify(Names.suggest(value, max))}`);
    }
    return value;
  }

  /**
   * Validates an RFC 1123 DNS subdomain (ConfigMap, Secret and most other object names):
   * dot-separated DNS labels, at most 253 characters.
   *
   * @returns the name, unchanged
   */
  public static dnsSubdomain(scope: IConstruct, prop: string, value: string): string {
    requireString(scope, prop, value);
    if (value.length === 0 || value.length > 253 || !DNS_SUBDOMAIN.test(value)) {
      fail(scope, prop, value,
        "must be an RFC 1123 DNS subdomain: 1-253 characters of a-z, 0-9, '-' and '.', each dot-separated part starting and ending with a letter or digit",
        `use a name such as ${JSON.stringify(Names.suggest(value, 253))}`);
    }
    return value;
  }

  /**
   * Validates a label value: at most 63 characters of alphanumerics, '-', '_' and '.',
   * starting and ending with an alphanumeric (or empty).
   *
   * @returns the value, unchanged
   */
  public static labelValue(scope: IConstruct, prop: string, value: string): string {
    requireString(scope, prop, value);
    if (value.length > 63 || !LABEL_VALUE.test(value)) {
      fail(scope, prop, value,
        "must be a label value: at most 63 characters of A-Z, a-z, 0-9, '-', '_' and '.', starting and ending with a letter or digit",
        'shorten it or replace the other characters with "-"');
    }
    return value;
  }

  /**
   * Validates a port name (IANA_SVC_NAME): 1-15 characters of a-z, 0-9 and '-', with at least one letter.
   *
   * @returns the name, unchanged
   */
  public static portName(scope: IConstruct, prop: string, value: string): string {
    requireString(scope, prop, value);
    if (value.length === 0 || value.length > 15 || !IANA_SVC_NAME.test(value) || !/[a-z]/.test(value) || value.includes('--')) {
      fail(scope, prop, value,
        "must be an IANA service name: 1-15 characters of a-z, 0-9 and '-', with at least one letter and no '--'",
        'use a short name such as "http", "grpc" or "metrics"');
    }
    return value;
  }

  /**
   * A name of at most `max` characters for a pair of DNS labels (a namespace and a name in it), unique for the pair
   * and the same on every synth: `<first>-<second>` when `first` holds no '-' and that fits, else that join cut short
   * and `-<8 hex digits>` of a SHA-256 hash of the pair.
   *
   * The '-' join alone is ambiguous (`shop` + `orders-db` and `shop-orders` + `db` both give `shop-orders-db`), and so
   * is cutting it short (two long namespaces that start alike): only a `first` without '-' splits back at the first
   * '-', so only that join is kept as it is; every other pair gets the hash, which is of the pair itself
   * (`<first>/<second>`, a separator neither label can hold).
   * @internal
   */
  public static _pairName(first: string, second: string, max: number): string {
    const joined = `${first}-${second}`;
    if (!first.includes('-') && joined.length <= max) return joined;
    const hash = createHash('sha256').update(`${first}/${second}`).digest('hex').slice(0, 8);
    const head = joined.slice(0, Math.max(0, max - hash.length - 1)).replace(/-+$/, '');
    return head ? `${head}-${hash}` : hash.slice(0, max);
  }

  /**
   * The form of an EKS cluster name Kubernetes names can carry: lowercase, `_` as `-`, without a leading or trailing
   * `-` (`Shop_Prod-` -> `shop-prod`). What `aws.EksCluster` suggests for a clusterName it refuses, and what the
   * default names of Karpenter pools start with on an imported cluster (whose name shipshape cannot choose).
   * @internal
   */
  public static _kubernetesClusterName(clusterName: string): string {
    return clusterName.toLowerCase().replace(/_/g, '-').replace(/^-+|-+$/g, '');
  }

  /**
   * A label value for `value`, which may not be one (a long cluster name, one ending in `-`): `value` when it is a
   * label value; else with the characters a label value cannot hold as `-`, without a leading or trailing character
   * other than a letter or digit, and, when that is longer than 63 characters, cut short with `-<8 hex digits>` of a
   * SHA-256 hash of `value` (two long values that start alike stay apart). The same on every synth.
   * @internal
   */
  public static _fitLabelValue(value: string): string {
    if (value.length <= 63 && LABEL_VALUE.test(value)) return value;
    const clean = value.replace(/[^-A-Za-z0-9_.]/g, '-').replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
    if (clean.length <= 63) return clean;
    const hash = createHash('sha256').update(value).digest('hex').slice(0, 8);
    return `${clean.slice(0, 63 - hash.length - 1).replace(/[^A-Za-z0-9]+$/, '')}-${hash}`;
  }

  /** A best-effort valid name derived from a bad one, for error messages. */
  private static suggest(value: string, max: number): string {
    const s = Names.kebab(value).replace(/[^a-z0-9-]/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '').slice(0, max).replace(/-$/, '');
    return s || 'my-service';
  }

  private constructor() {}
}

/**
 * Refuses a name that is not a string (a prop left out by a caller in plain JavaScript, which the types do not
 * stop): a validation error naming the prop, not a TypeError from inside the check.
 */
function requireString(scope: IConstruct, prop: string, value: unknown): void {
  if (typeof value === 'string') return;
  fail(scope, prop, value, value === undefined ? 'is required' : 'must be a string', `give ${prop} a name such as "shop"`);
}
