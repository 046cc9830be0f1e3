import { Violation } from '../../rule';
import { ERROR, k8sRule, NONE } from '../define';
import { o, POD_KINDS, podOfDoc } from '../pod';

const POD_KIND_SET = new Set(POD_KINDS);

const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
// label values repeat a lot across an output (managed-by, part-of, version): remember the verdicts
const SEEN = new Map<string, boolean>();

function validValue(v: any): boolean {
  if (typeof v !== 'string') return false;
  let ok = SEEN.get(v);
  if (ok === undefined) {
    ok = v.length <= 63 && VALUE.test(v);
    if (SEEN.size > 100000) SEEN.clear();
    SEEN.set(v, ok);
  }
  return ok;
}

/**
 * True when no value `checkLabels` looks at is invalid (no allocation: the common case). It reads the keys for-in
 * gives, a superset of the own keys `checkLabels` reads, so a false answer only means "look closer".
 */
function allValid(labels: any): boolean {
  if (labels === null || typeof labels !== 'object' || Array.isArray(labels)) return true;
  for (const k in labels) {
    if (!validValue(labels[k])) return false;
  }
  return true;
}

function checkLabels(labels: any, base: string, out: Violation[]) {
  const l = o(labels);
  for (const k of Object.keys(l)) {
    const v = l[k];
    if (!validValue(v)) {
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
  fix: 'use at most 63 characters: alphanumerics, -, _ and ., starting and ending with an alphanumeric',
  rationale: 'The API refuses label values that are longer than 63 characters or use other characters.',
  check: (doc) => {
    const m = doc.manifest;
    if (typeof m?.apiVersion !== 'string') return undefined;
    const meta = m.metadata;
    const pod = POD_KIND_SET.has(doc.kind) ? podOfDoc(doc) : undefined;
    if (allValid(meta !== null && typeof meta === 'object' && !Array.isArray(meta) ? meta.labels : undefined)
      && (!pod || pod.metaPath === 'metadata' || allValid(pod.meta.labels))) return NONE;
    const out: Violation[] = [];
    checkLabels(o(doc.manifest.metadata).labels, 'metadata.labels', out);
    if (pod && pod.metaPath !== 'metadata') checkLabels(pod.meta.labels, `${pod.metaPath}.labels`, out);
    return out;
  },
});
