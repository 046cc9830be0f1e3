import { Validators } from '../../../core/validators';
import { Violation } from '../../rule';
import { ERROR, k8sRule, NONE } from '../define';
import { isObj, o } from '../pod';

/** Standard base64 with padding, as the API decodes a `[]byte` field (line breaks are skipped first). */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** The most a ConfigMap's or a Secret's values may hold, in bytes (1 MiB). */
const MAX_BYTES = 1024 * 1024;

/**
 * The keys each built-in Secret type needs (in `data` or `stringData`): `all` must all be there, `any` at least one.
 * The API refuses a Secret of the type without them.
 */
const TYPE_KEYS: { [type: string]: { all?: string[]; any?: string[] } } = {
  'kubernetes.io/tls': { all: ['tls.crt', 'tls.key'] },
  'kubernetes.io/dockerconfigjson': { all: ['.dockerconfigjson'] },
  'kubernetes.io/dockercfg': { all: ['.dockercfg'] },
  'kubernetes.io/ssh-auth': { all: ['ssh-privatekey'] },
  'kubernetes.io/basic-auth': { any: ['username', 'password'] },
};

/** The key whose value the API parses as JSON, by Secret type. */
const JSON_KEYS: { [type: string]: string } = { 'kubernetes.io/dockerconfigjson': '.dockerconfigjson', 'kubernetes.io/dockercfg': '.dockercfg' };

/** True when `text` parses as JSON. */
function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** A ServiceAccount token Secret names its ServiceAccount in this annotation. */
const SA_TOKEN = 'kubernetes.io/service-account-token';
const SA_NAME = 'kubernetes.io/service-account.name';

/** What a message adds to a value that is an unrendered Helm template (as the CLI says of a document that does not parse). */
const HELM_HINT = '; it looks like a Helm template ({{ ... }}): run `helm template` first and check the rendered output';

/**
 * True when `v` is what YAML reads an unquoted `{{ ... }}` as: a mapping of one key and no value, whose key is itself
 * a mapping (`{ .Values.x }`), which a YAML reader turns into a string (`[object Object]`, or the mapping as text).
 */
function isUnrenderedTemplate(v: unknown): boolean {
  if (!isObj(v)) return false;
  const keys = Object.keys(v as object);
  return keys.length === 1 && (v as any)[keys[0]] === null && (keys[0] === '[object Object]' || /^\{.*\}$/s.test(keys[0]));
}

/** A value as a message quotes it: its type and a short JSON (an unrendered template as what it was written as). */
function describe(v: unknown): string {
  if (isUnrenderedTemplate(v)) {
    // js-yaml keeps no text of the inner mapping (its key reads [object Object]); other readers keep it as `{ .Values.x }`
    const key = Object.keys(v as object)[0];
    const inner = key === '[object Object]' ? '...' : key.slice(1, -1).trim();
    return `an object {{ ${inner.length > 40 ? `${inner.slice(0, 37)}...` : inner} }} (an unquoted template, which YAML reads as a mapping)`;
  }
  const json = JSON.stringify(v) ?? String(v);
  const shown = json.length > 40 ? `${json.slice(0, 37)}...` : json;
  return `${Array.isArray(v) ? 'a list' : isObj(v) ? 'an object' : `a ${typeof v}`} ${shown}`;
}

/** The bytes a base64 value decodes to, or undefined when it is no base64 the API decodes. */
function base64Bytes(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const s = v.includes('\n') || v.includes('\r') ? v.replace(/[\r\n]/g, '') : v;
  if (!BASE64.test(s)) return undefined;
  return (s.length / 4) * 3 - (s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0);
}

/**
 * Checks one map of a ConfigMap or Secret (`data`, `binaryData` or `stringData`): the keys, and each value as
 * `value` reads it (the bytes it holds, or a message when the API cannot decode it). Returns the bytes counted.
 */
function checkMap(map: any, field: string, out: Violation[], value: (v: unknown, key: string) => number | string): number {
  if (map === undefined || map === null) return 0;
  if (!isObj(map)) {
    out.push({ jsonPath: field, message: `${field} must be a map of keys to values (got ${describe(map)})` });
    return 0;
  }
  if (isUnrenderedTemplate(map)) {
    out.push({ jsonPath: field, message: `${field} is ${describe(map)}, not a map of keys to values${HELM_HINT}` });
    return 0;
  }
  let bytes = 0;
  for (const key of Object.keys(map)) {
    const at = `${field}["${key}"]`;
    const why = Validators._dataKeyProblem(key);
    if (why !== undefined) out.push({ jsonPath: at, message: `Key ${JSON.stringify(key)} ${why}` });
    const v = map[key];
    if (v === null) continue; // read as empty
    const r = value(v, key);
    if (typeof r === 'string') out.push({ jsonPath: at, message: r }); else bytes += r;
  }
  return bytes;
}

/** The bytes of a plain-text value, or why it is none. */
function textValue(kind: string, field: string): (v: unknown, key: string) => number | string {
  return (v, key) => typeof v === 'string'
    ? Buffer.byteLength(v, 'utf8')
    : `${kind} key ${key} has ${describe(v)} under ${field}; the API wants a string${isUnrenderedTemplate(v) ? HELM_HINT : ': quote it in YAML'}`;
}

/** The bytes of a base64 value, or why it is none. */
function binaryValue(kind: string, field: string, plain: string): (v: unknown, key: string) => number | string {
  return (v, key) => base64Bytes(v) ?? (typeof v === 'string'
    ? `${kind} key ${key} under ${field} is not base64, which the API decodes it as (put plain text under ${plain})`
    : `${kind} key ${key} has ${describe(v)} under ${field}; the API wants a base64 string${isUnrenderedTemplate(v) ? HELM_HINT : ` (put plain text under ${plain})`}`);
}

/** SS-K8S-090 — docs/rules.md#ss-k8s-090. */
export const validConfigData = k8sRule({
  id: 'SS-K8S-090',
  title: 'ConfigMap and Secret data the API accepts',
  catalog: ['K8S-META-04'],
  severity: ERROR,
  message: 'ConfigMap or Secret data is not what the API accepts',
  fix: 'quote every value as a string (ConfigMap data, Secret stringData), base64-encode Secret data and ConfigMap binaryData, use keys of letters, digits, "-", "_" and ".", '
    + 'stay under 1 MiB, and give a typed Secret the keys its type needs',
  rationale: 'The API refuses such an object, so `kubectl apply` fails on it: a ConfigMap value that is not a string (`enabled: true` or `port: 8080` '
    + 'unquoted in YAML), a Secret data or ConfigMap binaryData value that is not base64, a key with other characters than letters, digits, "-", "_" '
    + 'and "." (or ".", "..", or starting with ".."), a key in both data and binaryData, values over 1 MiB in all, and a Secret of a built-in type without '
    + 'the keys the type needs (kubernetes.io/tls: tls.crt and tls.key; dockerconfigjson: .dockerconfigjson, as JSON; dockercfg: .dockercfg, as JSON; ssh-auth: '
    + 'ssh-privatekey; basic-auth: username or password; service-account-token: the annotation kubernetes.io/service-account.name), counting the keys of stringData, which the API merges into data. (Below 1 MiB, client-side `kubectl apply` still fails on an object over '
    + 'about 256 KiB: it copies the object into the last-applied-configuration annotation, and annotations hold at most 256 KiB; apply such an object with '
    + '`kubectl apply --server-side`, as Argo CD does with ServerSideApply=true.)',
  kinds: ['ConfigMap', 'Secret'],
  check: (doc) => {
    const m = doc.manifest;
    const cm = doc.kind === 'ConfigMap';
    // the common case first: a ConfigMap of string values under good keys, with nothing else
    if (cm && m.binaryData === undefined && simpleConfigMap(m.data)) return NONE;
    const out: Violation[] = [];
    if (cm) {
      let bytes = checkMap(m.data, 'data', out, textValue('ConfigMap', 'data'));
      bytes += checkMap(m.binaryData, 'binaryData', out, binaryValue('ConfigMap', 'binaryData', 'data'));
      const data = o(m.data);
      for (const key of Object.keys(o(m.binaryData))) {
        if (Object.prototype.hasOwnProperty.call(data, key)) out.push({ jsonPath: `binaryData["${key}"]`, message: `Key ${key} is under both data and binaryData` });
      }
      if (bytes > MAX_BYTES) out.push({ jsonPath: 'data', message: `ConfigMap holds ${bytes} bytes; the API accepts at most ${MAX_BYTES} (1 MiB)` });
      return out.length > 0 ? out : NONE;
    }
    const dataBytes = new Map<string, number>();
    checkMap(m.data, 'data', out, (v, key) => {
      const r = binaryValue('Secret', 'data', 'stringData')(v, key);
      if (typeof r === 'number') dataBytes.set(key, r);
      return r;
    });
    checkMap(m.stringData, 'stringData', out, (v, key) => {
      const r = textValue('Secret', 'stringData')(v, key);
      if (typeof r === 'number') dataBytes.set(key, r); // stringData wins over data for the same key
      return r;
    });
    let bytes = 0;
    for (const n of dataBytes.values()) bytes += n;
    if (bytes > MAX_BYTES) out.push({ jsonPath: 'data', message: `Secret holds ${bytes} bytes; the API accepts at most ${MAX_BYTES} (1 MiB)` });
    const need = typeof m.type === 'string' ? TYPE_KEYS[m.type] : undefined;
    if (need !== undefined) {
      const has = (k: string) => Object.prototype.hasOwnProperty.call(o(m.data), k) || Object.prototype.hasOwnProperty.call(o(m.stringData), k);
      const missing = (need.all ?? []).filter(k => !has(k));
      if (missing.length > 0) out.push({ jsonPath: 'type', message: `Secret of type ${m.type} needs the keys ${need.all!.join(' and ')} (missing: ${missing.join(', ')})` });
      if (need.any !== undefined && !need.any.some(has)) out.push({ jsonPath: 'type', message: `Secret of type ${m.type} needs the key ${need.any.join(' or ')}` });
    }
    const jsonKey = JSON_KEYS[m.type];
    if (jsonKey !== undefined) {
      const fromString = o(m.stringData)[jsonKey];
      const fromData = o(m.data)[jsonKey];
      const text = typeof fromString === 'string' ? fromString
        : base64Bytes(fromData) !== undefined ? Buffer.from(String(fromData).replace(/[\r\n]/g, ''), 'base64').toString('utf8') : undefined;
      if (text !== undefined && !isJson(text)) {
        out.push({ jsonPath: `${typeof fromString === 'string' ? 'stringData' : 'data'}["${jsonKey}"]`, message: `Secret of type ${m.type} needs ${jsonKey} to be JSON (a Docker config); it is not` });
      }
    }
    if (m.type === SA_TOKEN) {
      const sa = o(o(o(m.metadata).annotations))[SA_NAME];
      if (typeof sa !== 'string' || sa === '') out.push({ jsonPath: 'metadata.annotations', message: `Secret of type ${SA_TOKEN} needs the annotation ${SA_NAME} (the ServiceAccount whose token it holds)` });
    }
    return out.length > 0 ? out : NONE;
  },
});

/** True when `data` is absent, or a map of string values under good keys totalling well under 1 MiB (no closer look needed). */
function simpleConfigMap(data: any): boolean {
  if (data === undefined || data === null) return true;
  if (!isObj(data)) return false;
  let chars = 0;
  for (const key of Object.keys(data)) {
    const v = data[key];
    if (typeof v !== 'string' || Validators._dataKeyProblem(key) !== undefined) return false;
    chars += v.length;
  }
  // a UTF-16 unit is at most 3 bytes in UTF-8
  return chars * 3 <= MAX_BYTES;
}
