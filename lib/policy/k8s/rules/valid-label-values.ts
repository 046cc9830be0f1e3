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
function validValue(v: any): boolean {
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

/**
 * True when no value `checkLabels` looks at is invalid (no allocation: the common case). It reads the keys for-in
 * gives, a superset of the own keys `checkLabels` reads, so a false answer only means "look closer". `valid` holds
 * the values of this check found valid so far: an output repeats its label values many times over (every object of
 * a service carries the service's name and the same component, version and manager labels), and a set lookup costs
 * less than reading the characters again.
 */
function allValid(labels: any, valid: Set<unknown>): boolean {
  if (labels === null || typeof labels !== 'object' || Array.isArray(labels)) return true;
  for (const k in labels) {
    const v = labels[k];
    if (valid.has(v)) continue;
    if (!validValue(v)) return false;
    valid.add(v);
  }
  return true;
}

function newSet(): Set<unknown> {
  return new Set();
}

function checkLabels(labels: any, base: string, out: Violation[]) {
  const l = o(labels);
  for (const k of Object.keys(l)) {
    const v = l[k];
    if (typeof v !== 'string') {
      // `enabled: yes` or `replicas: 3` unquoted in YAML: the API wants a string
      const shown = v === null ? 'null (no value)' : typeof v === 'number' ? `number ${String(v)}` : `${typeof v} ${JSON.stringify(v) ?? String(v)}`;
      out.push({ jsonPath: `${base}["${k}"]`, message: `Label ${k} has a value that is not a string (${shown}): quote it in YAML` });
    } else if (!validValue(v)) {
      out.push({ jsonPath: `${base}["${k}"]`, message: `Label ${k} has an invalid value ${JSON.stringify(v)}` });
    }
  }
}

/** SS-K8S-068 — docs/rules.md#ss-k8s-068. */
export const validLabelValues = k8sRule({
  id: 'SS-K8S-068',
  title: 'Valid label values',
  catalog: ['K8S-META-04'],
  severity: ERROR,
  message: 'Label value is not valid',
  fix: 'use a string of at most 63 characters: alphanumerics, -, _ and ., starting and ending with an alphanumeric (quote yes, no, true, false and numbers in YAML)',
  rationale: 'The API refuses label values that are longer than 63 characters or use other characters.',
  check: (doc, index) => {
    const m = doc.manifest;
    if (typeof m?.apiVersion !== 'string') return undefined;
    const meta = m.metadata;
    const pod = POD_KIND_SET.has(doc.kind) ? podOfDoc(doc) : undefined;
    const valid = index._memo('k8s.validLabelValues', newSet);
    if (allValid(meta !== null && typeof meta === 'object' && !Array.isArray(meta) ? meta.labels : undefined, valid)
      && (!pod || pod.metaPath === 'metadata' || allValid(pod.meta.labels, valid))) return NONE;
    const out: Violation[] = [];
    checkLabels(o(doc.manifest.metadata).labels, 'metadata.labels', out);
    if (pod && pod.metaPath !== 'metadata') checkLabels(pod.meta.labels, `${pod.metaPath}.labels`, out);
    return out;
  },
});
