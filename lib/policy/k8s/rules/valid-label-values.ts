import { Violation } from '../../rule';
import { ERROR, k8sRule, NONE } from '../define';
import { o, POD_KINDS, podOfDoc } from '../pod';

const POD_KIND_SET = new Set(POD_KINDS);

/** An ASCII letter or digit. */
function alnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/**
 * A valid label value: empty, or at most 63 characters of alphanumerics, `-`, `_` and `.`, starting and ending
 * with an alphanumeric (the API's `(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?`).
 */
export function validLabelValue(v: any): boolean {
  if (typeof v !== 'string') return false;
  const n = v.length;
  if (n === 0) return true;
  if (n > 63 || !alnum(v.charCodeAt(0)) || !alnum(v.charCodeAt(n - 1))) return false;
  for (let i = 1; i < n - 1; i++) {
    const c = v.charCodeAt(i);
    if (!alnum(c) && c !== 45 && c !== 95 && c !== 46) return false;
  }
  return true;
}

/** Why a string is no label value (for one that `validLabelValue` refuses). */
export function labelValueProblem(v: string): string {
  if (v.length > 63) return `it has ${v.length} characters, at most 63 are allowed`;
  if (!alnum(v.charCodeAt(0)) || !alnum(v.charCodeAt(v.length - 1))) return 'it must start and end with a letter or digit';
  const bad = [...new Set([...v].filter(c => !/[A-Za-z0-9._-]/.test(c)))].map(c => JSON.stringify(c)).join(', ');
  return `it holds ${bad}, where only letters, digits, "-", "_" and "." are allowed`;
}

/**
 * True when no value `checkLabels` looks at is invalid (no allocation: the common case). It reads the keys for-in
 * gives, a superset of the own keys `checkLabels` reads, so a false answer only means "look closer". `valid` holds
 * the values of this check found valid so far: an output repeats its label values many times over (every object of
 * a service carries the service's name and the same component, version and manager labels), and a set lookup costs
 * less than reading the characters again.
 */
export function labelKeysAndValuesValid(labels: any, valid: Set<unknown>, keys: Set<string>): boolean {
  if (labels === null || typeof labels !== 'object' || Array.isArray(labels)) return true;
  for (const k in labels) {
    if (!keys.has(k)) {
      if (!validKey(k, false)) return false;
      keys.add(k);
    }
    const v = labels[k];
    if (valid.has(v)) continue;
    if (!validLabelValue(v)) return false;
    valid.add(v);
  }
  return true;
}

/** The most the API accepts in one object's annotations, keys and values together, in bytes (256 KiB). */
const MAX_ANNOTATION_BYTES = 262144;

/**
 * True when no annotation key is one the API refuses and the annotations are surely within the size limit (keys and
 * values counted in UTF-16 units, of which UTF-8 uses at most 3 bytes each: a false answer means "look closer").
 */
function allKeysValid(annotations: any, keys: Set<string>): boolean {
  if (annotations === null || typeof annotations !== 'object' || Array.isArray(annotations)) return true;
  let units = 0;
  for (const k in annotations) {
    const v = annotations[k];
    units += k.length + (typeof v === 'string' ? v.length : 0);
    if (keys.has(k)) continue;
    if (!validKey(k, true)) return false;
    keys.add(k);
  }
  return units * 3 < MAX_ANNOTATION_BYTES;
}

/** Reports annotations above the API's size limit (the bytes of every key and value). */
function checkAnnotationSize(map: any, base: string, out: Violation[]) {
  const m = o(map);
  let bytes = 0;
  for (const k of Object.keys(m)) bytes += Buffer.byteLength(k) + (typeof m[k] === 'string' ? Buffer.byteLength(m[k]) : 0);
  if (bytes <= MAX_ANNOTATION_BYTES) return;
  out.push({
    jsonPath: base,
    message: `Annotations hold ${bytes} bytes (keys and values); the API accepts at most ${MAX_ANNOTATION_BYTES} (256 KiB) in all: move large data to a ConfigMap`,
  });
}

/** A DNS-1123 label, as each dot-separated part of a key's prefix must be. */
const PREFIX_PART = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** The name part of a label or annotation key. */
const KEY_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/**
 * A key the API accepts for a label or (with `annotation`, read in lowercase as the API does) an annotation: an optional
 * prefix, a DNS subdomain of at most 253 characters, and `/`, then a name of at most 63 alphanumerics, `-`, `_` and `.`,
 * starting and ending with an alphanumeric.
 */
function validKey(key: string, annotation: boolean): boolean {
  const k = annotation ? key.toLowerCase() : key;
  const slash = k.indexOf('/');
  const name = slash < 0 ? k : k.slice(slash + 1);
  if (name.length === 0 || name.length > 63 || !KEY_NAME.test(name)) return false;
  if (slash < 0) return true;
  const prefix = k.slice(0, slash);
  return prefix.length > 0 && prefix.length <= 253 && prefix.split('.').every(part => part.length <= 63 && PREFIX_PART.test(part));
}

/** A key the API accepts for a label (or a selector's label). */
export function validLabelKey(key: string): boolean {
  return validKey(key, false);
}

/** Reports the keys of `map` the API refuses. */
function checkKeys(map: any, base: string, what: 'Label' | 'Annotation', out: Violation[]) {
  const m = o(map);
  for (const k of Object.keys(m)) {
    if (validKey(k, what === 'Annotation')) continue;
    out.push({
      jsonPath: `${base}["${k}"]`,
      message: `${what} key ${JSON.stringify(k)} is not one the API accepts: an optional prefix (a lowercase DNS subdomain) and "/", then a name of at most 63 `
        + 'letters, digits, "-", "_" and ".", starting and ending with a letter or digit',
    });
  }
}

/** The label values, label keys and annotation keys found valid so far in a check (shared by the rules that read labels). */
export interface KnownValid {
  readonly values: Set<unknown>;
  readonly keys: Set<string>;
  readonly annotationKeys: Set<string>;
}

/** The sets of one check, looked up once per document (`DocumentIndex._memo`). */
export function knownValid(): KnownValid {
  return { values: new Set(), keys: new Set(), annotationKeys: new Set() };
}

function checkLabels(labels: any, base: string, out: Violation[]) {
  const l = o(labels);
  for (const k of Object.keys(l)) {
    const v = l[k];
    if (typeof v !== 'string') {
      // `enabled: yes` or `replicas: 3` unquoted in YAML: the API wants a string
      const shown = v === null ? 'null (no value)' : typeof v === 'number' ? `number ${String(v)}` : `${typeof v} ${JSON.stringify(v) ?? String(v)}`;
      out.push({ jsonPath: `${base}["${k}"]`, message: `Label ${k} has a value that is not a string (${shown}): quote it in YAML` });
    } else if (!validLabelValue(v)) {
      out.push({ jsonPath: `${base}["${k}"]`, message: `Label ${k} has an invalid value ${JSON.stringify(v)}: ${labelValueProblem(v)}` });
    }
  }
}

/** SS-K8S-068 — docs/rules.md#ss-k8s-068. */
export const validLabelValues = k8sRule({
  id: 'SS-K8S-068',
  title: 'Valid label values and keys',
  catalog: ['K8S-META-04'],
  severity: ERROR,
  message: 'Label value, label or annotation key, or annotation size is not valid',
  fix: 'write label values as strings of at most 63 characters: alphanumerics, -, _ and ., starting and ending with an alphanumeric (quote yes, no, true, false and numbers in YAML); '
    + 'write keys as an optional lowercase DNS prefix and "/", then a name of at most 63 such characters',
  rationale: 'The API refuses label values that are longer than 63 characters or use other characters, and label and annotation keys that '
    + 'are not an optional prefix (a lowercase DNS subdomain: Example.com/x is refused) and "/" followed by a name of at most 63 letters, '
    + 'digits, "-", "_" and "." that starts and ends with a letter or digit (a/b/c, example.com/ and "a b" are refused), and annotations of more '
    + 'than 256 KiB (keys and values together) on one object or pod template.',
  check: (doc, index) => {
    const m = doc.manifest;
    if (typeof m?.apiVersion !== 'string') return undefined;
    const meta = m.metadata;
    const pod = POD_KIND_SET.has(doc.kind) ? podOfDoc(doc) : undefined;
    const known = index._memo('k8s.validLabels', knownValid);
    const valid = known.values;
    const keys = known.keys;
    const annotationKeys = known.annotationKeys;
    const own = meta !== null && typeof meta === 'object' && !Array.isArray(meta) ? meta : undefined;
    const template = pod && pod.metaPath !== 'metadata' ? pod.meta : undefined;
    if (labelKeysAndValuesValid(own?.labels, valid, keys) && allKeysValid(own?.annotations, annotationKeys)
      && (template === undefined || (labelKeysAndValuesValid(template.labels, valid, keys) && allKeysValid(template.annotations, annotationKeys)))) return NONE;
    const out: Violation[] = [];
    checkKeys(o(doc.manifest.metadata).labels, 'metadata.labels', 'Label', out);
    checkLabels(o(doc.manifest.metadata).labels, 'metadata.labels', out);
    checkKeys(o(doc.manifest.metadata).annotations, 'metadata.annotations', 'Annotation', out);
    checkAnnotationSize(o(doc.manifest.metadata).annotations, 'metadata.annotations', out);
    if (pod && template !== undefined) {
      checkKeys(template.labels, `${pod.metaPath}.labels`, 'Label', out);
      checkLabels(template.labels, `${pod.metaPath}.labels`, out);
      checkKeys(template.annotations, `${pod.metaPath}.annotations`, 'Annotation', out);
      checkAnnotationSize(template.annotations, `${pod.metaPath}.annotations`, out);
    }
    return out;
  },
});
