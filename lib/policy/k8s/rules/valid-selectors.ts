import { DocumentIndex } from '../../document-index';
import { PolicyDocument, Violation } from '../../rule';
import { ERROR, k8sRule, NONE } from '../define';
import { isObj, MAP_SELECTOR_KINDS, o, podOfDoc, POD_KINDS } from '../pod';
import { caseMeant, keyPath } from './valid-containers';
import { KnownValid, knownValid, labelKeysAndValuesValid, validLabelKey, validLabelValue } from './valid-label-values';

const POD_KIND_SET = new Set(POD_KINDS);
/** The operators of a label selector's expressions (LabelSelectorRequirement). */
const LABEL_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];
/** The operators of a node selector's expressions (NodeSelectorRequirement): also Gt and Lt, on one whole number. */
const NODE_OPERATORS = [...LABEL_OPERATORS, 'Gt', 'Lt'];
const AFFINITIES = ['podAffinity', 'podAntiAffinity'];
const PEERS = [['ingress', 'from'], ['egress', 'to']];

type Bad = (jsonPath: string, message: string) => void;

/** Reports the keys and values of a label map used as a selector (`matchLabels`, a Service's selector) the API refuses. */
function checkLabelMap(map: unknown, at: string, cache: Caches, bad: Bad) {
  if (!isObj(map) || labelKeysAndValuesValid(map, cache.values, cache.keys)) return;
  for (const k of Object.keys(map as object)) {
    const v = (map as any)[k];
    if (!validLabelKey(k)) bad(`${at}${keyPath(k)}`, `Selector key ${JSON.stringify(k)} is not a label key the API accepts: an optional prefix (a lowercase DNS subdomain) and "/", then a name of at most 63 letters, digits, "-", "_" and "."`);
    else if (typeof v !== 'string' || !validLabelValue(v)) bad(`${at}${keyPath(k)}`, `Selector value ${JSON.stringify(v) ?? String(v)} for ${k} is not a label value the API accepts: a string of at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit`);
  }
}

/** Reports the expressions of a selector (label or node selector: `operators`) the API refuses. */
function checkExpressions(list: unknown, at: string, operators: string[], bad: Bad) {
  if (!Array.isArray(list)) return;
  for (let i = 0; i < list.length; i++) {
    const e = list[i];
    const here = `${at}[${i}]`;
    if (!isObj(e)) continue;
    const key = e.key;
    if (typeof key !== 'string' || !validLabelKey(key)) {
      bad(`${here}.key`, `Selector expression key ${JSON.stringify(key) ?? 'unset'} is not a label key the API accepts`);
    }
    const op = e.operator;
    const values: unknown[] = Array.isArray(e.values) ? e.values : [];
    const name = typeof key === 'string' ? key : 'its key';
    if (!operators.includes(op)) {
      const meant = caseMeant(op, operators);
      bad(`${here}.operator`, `Selector operator ${JSON.stringify(op) ?? 'unset'} is not one the API accepts (${operators.join(', ')}; case-sensitive)${meant ? `; did you mean ${meant}?` : ''}`);
    } else if ((op === 'In' || op === 'NotIn') && values.length === 0) {
      bad(`${here}.values`, `Selector expression on ${name} uses ${op} without values, which the API refuses: list the values to match`);
    } else if ((op === 'Exists' || op === 'DoesNotExist') && values.length > 0) {
      bad(`${here}.values`, `Selector expression on ${name} uses ${op} with values, which the API refuses: ${op} takes none (use In to match values)`);
    } else if ((op === 'Gt' || op === 'Lt') && (values.length !== 1 || typeof values[0] !== 'string' || !/^-?[0-9]+$/.test(values[0]))) {
      bad(`${here}.values`, `Node selector expression on ${name} uses ${op} with ${values.length === 1 ? `the value ${JSON.stringify(values[0])}` : `${values.length} values`}, which the API refuses: ${op} takes one value, a whole number`);
    }
    if (operators === LABEL_OPERATORS) {
      for (let j = 0; j < values.length; j++) {
        const v = values[j];
        if (typeof v !== 'string' || !validLabelValue(v)) bad(`${here}.values[${j}]`, `Selector value ${JSON.stringify(v) ?? String(v)} is not a label value the API accepts`);
      }
    }
  }
}

/** Reports what the API refuses in a LabelSelector at `at` (absent or not an object: nothing). */
function checkSelector(sel: unknown, at: string, cache: Caches, bad: Bad) {
  if (!isObj(sel)) return;
  checkLabelMap((sel as any).matchLabels, `${at}.matchLabels`, cache, bad);
  checkExpressions((sel as any).matchExpressions, `${at}.matchExpressions`, LABEL_OPERATORS, bad);
}

/** The pod spec's selectors: pod (anti-)affinity terms, node affinity, topology spread constraints. */
function checkPodSelectors(spec: any, at: string, cache: Caches, bad: Bad) {
  const affinity = spec.affinity;
  if (isObj(affinity)) {
    for (const a of AFFINITIES) {
      const terms = o(affinity[a]);
      const required = terms.requiredDuringSchedulingIgnoredDuringExecution;
      if (Array.isArray(required)) {
        for (let i = 0; i < required.length; i++) {
          const t = o(required[i]);
          const here = `${at}.affinity.${a}.requiredDuringSchedulingIgnoredDuringExecution[${i}]`;
          checkSelector(t.labelSelector, `${here}.labelSelector`, cache, bad);
          checkSelector(t.namespaceSelector, `${here}.namespaceSelector`, cache, bad);
        }
      }
      const preferred = terms.preferredDuringSchedulingIgnoredDuringExecution;
      if (Array.isArray(preferred)) {
        for (let i = 0; i < preferred.length; i++) {
          const t = o(o(preferred[i]).podAffinityTerm);
          const here = `${at}.affinity.${a}.preferredDuringSchedulingIgnoredDuringExecution[${i}].podAffinityTerm`;
          checkSelector(t.labelSelector, `${here}.labelSelector`, cache, bad);
          checkSelector(t.namespaceSelector, `${here}.namespaceSelector`, cache, bad);
        }
      }
    }
    const node = o(affinity.nodeAffinity);
    const terms = o(node.requiredDuringSchedulingIgnoredDuringExecution).nodeSelectorTerms;
    if (Array.isArray(terms)) {
      for (let i = 0; i < terms.length; i++) {
        checkExpressions(o(terms[i]).matchExpressions, `${at}.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[${i}].matchExpressions`, NODE_OPERATORS, bad);
      }
    }
    const preferred = node.preferredDuringSchedulingIgnoredDuringExecution;
    if (Array.isArray(preferred)) {
      for (let i = 0; i < preferred.length; i++) {
        checkExpressions(o(o(preferred[i]).preference).matchExpressions, `${at}.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[${i}].preference.matchExpressions`, NODE_OPERATORS, bad);
      }
    }
  }
  const spread = spec.topologySpreadConstraints;
  if (Array.isArray(spread)) {
    for (let i = 0; i < spread.length; i++) checkSelector(o(spread[i]).labelSelector, `${at}.topologySpreadConstraints[${i}].labelSelector`, cache, bad);
  }
}

/** The label keys and values found valid so far in this check (the sets of SS-K8S-068). */
type Caches = KnownValid;

/** SS-K8S-099 — docs/rules.md#ss-k8s-099. */
export const validSelectors = k8sRule({
  id: 'SS-K8S-099',
  title: 'Label selectors the API server accepts',
  catalog: ['K8S-META-02'],
  severity: ERROR,
  message: 'Label or node selector is refused by the API server',
  fix: 'give In and NotIn a list of values, Exists and DoesNotExist none, Gt and Lt (node selectors) one whole number; spell operators as the API does (In, NotIn, Exists, DoesNotExist); '
    + 'write selector keys and values as label keys and values',
  rationale: 'The API server refuses an object whose label selector (a workload\'s or PodDisruptionBudget\'s spec.selector, a NetworkPolicy\'s pod and namespace '
    + 'selectors, a pod\'s affinity terms and topology spread constraints, a Service\'s selector) has an expression with an unknown operator (in, exists), In or NotIn '
    + 'without values, Exists or DoesNotExist with values, or a key or value that is not a valid label key or value; and a node affinity expression whose Gt or Lt '
    + 'has other than one whole number: `kubectl apply` fails. Exists with values is an easy slip when a selector is edited from In.',
  sources: ['Kubernetes API validation'],
  kinds: [...POD_KINDS, 'PodDisruptionBudget', 'NetworkPolicy', 'Service'],
  check: (doc, index) => {
    const m = doc.manifest;
    const spec = m?.spec;
    if (!isObj(spec)) return undefined;
    const cache = caches(index);
    // the common case, valid selectors, without building a path
    if (allValid(doc, spec, cache)) return NONE;
    let out: Violation[] | undefined;
    const bad: Bad = (jsonPath, message) => { (out ??= []).push({ jsonPath, message }); };
    const kind = doc.kind;
    if (kind === 'Service') {
      checkLabelMap(spec.selector, 'spec.selector', cache, bad);
    } else if (kind === 'NetworkPolicy') {
      checkSelector(spec.podSelector, 'spec.podSelector', cache, bad);
      for (const [dir, side] of PEERS) {
        const rules = spec[dir];
        if (!Array.isArray(rules)) continue;
        for (let i = 0; i < rules.length; i++) {
          const peers = o(rules[i])[side];
          if (!Array.isArray(peers)) continue;
          for (let j = 0; j < peers.length; j++) {
            const p = o(peers[j]);
            checkSelector(p.podSelector, `spec.${dir}[${i}].${side}[${j}].podSelector`, cache, bad);
            checkSelector(p.namespaceSelector, `spec.${dir}[${i}].${side}[${j}].namespaceSelector`, cache, bad);
          }
        }
      }
    } else {
      // a ReplicationController's or DeploymentConfig's selector is a label map
      if (MAP_SELECTOR_KINDS.has(kind)) checkLabelMap(spec.selector, 'spec.selector', cache, bad);
      else checkSelector(spec.selector, 'spec.selector', cache, bad);
      const pod = POD_KIND_SET.has(kind) ? podOfDoc(doc) : undefined;
      if (pod !== undefined) checkPodSelectors(pod.spec, pod.path, cache, bad);
    }
    return out ?? NONE;
  },
});

function caches(index: DocumentIndex): Caches {
  return index._memo('k8s.validLabels', knownValid);
}

/** True when no expression of `list` is one the API refuses (no allocation; a false answer means "look closer"). */
function expressionsValid(list: unknown, operators: string[]): boolean {
  if (!Array.isArray(list)) return true;
  for (let i = 0; i < list.length; i++) {
    const e = list[i];
    if (e === null || typeof e !== 'object') continue;
    const op = e.operator;
    const n = Array.isArray(e.values) ? e.values.length : 0;
    if (op === 'In' || op === 'NotIn') {
      if (n === 0) return false;
    } else if (op === 'Exists' || op === 'DoesNotExist') {
      if (n > 0) return false;
    } else {
      // Gt, Lt and unknown operators: the reporting pass decides
      return false;
    }
    if (typeof e.key !== 'string' || !validLabelKey(e.key)) return false;
    if (operators === LABEL_OPERATORS) {
      for (let j = 0; j < n; j++) if (!validLabelValue(e.values[j])) return false;
    }
  }
  return true;
}

/** True when a LabelSelector has nothing the API refuses (see `expressionsValid`). */
function selectorValid(sel: any, cache: Caches): boolean {
  if (sel === null || typeof sel !== 'object') return true;
  return labelKeysAndValuesValid(sel.matchLabels, cache.values, cache.keys) && expressionsValid(sel.matchExpressions, LABEL_OPERATORS);
}

/** True when every selector of the pod spec is valid (see `expressionsValid`). */
function podSelectorsValid(spec: any, cache: Caches): boolean {
  const affinity = spec.affinity;
  if (affinity !== null && typeof affinity === 'object') {
    for (let a = 0; a < AFFINITIES.length; a++) {
      const terms = affinity[AFFINITIES[a]];
      if (terms === null || typeof terms !== 'object') continue;
      const required = terms.requiredDuringSchedulingIgnoredDuringExecution;
      if (Array.isArray(required)) {
        for (let i = 0; i < required.length; i++) {
          const t = required[i];
          if (t !== null && typeof t === 'object' && !(selectorValid(t.labelSelector, cache) && selectorValid(t.namespaceSelector, cache))) return false;
        }
      }
      const preferred = terms.preferredDuringSchedulingIgnoredDuringExecution;
      if (Array.isArray(preferred)) {
        for (let i = 0; i < preferred.length; i++) {
          const t = o(o(preferred[i]).podAffinityTerm);
          if (!(selectorValid(t.labelSelector, cache) && selectorValid(t.namespaceSelector, cache))) return false;
        }
      }
    }
    // node affinity is rare: the reporting pass reads it
    if (affinity.nodeAffinity !== undefined) return false;
  }
  const spread = spec.topologySpreadConstraints;
  if (Array.isArray(spread)) {
    for (let i = 0; i < spread.length; i++) if (!selectorValid(o(spread[i]).labelSelector, cache)) return false;
  }
  return true;
}

/** True when every selector of the document is valid (see `expressionsValid`). */
function allValid(doc: PolicyDocument, spec: any, cache: Caches): boolean {
  const kind = doc.kind;
  if (kind === 'Service') return labelKeysAndValuesValid(spec.selector, cache.values, cache.keys);
  if (kind === 'NetworkPolicy') {
    if (!selectorValid(spec.podSelector, cache)) return false;
    for (let d = 0; d < PEERS.length; d++) {
      const rules = spec[PEERS[d][0]];
      if (!Array.isArray(rules)) continue;
      for (let i = 0; i < rules.length; i++) {
        const peers = o(rules[i])[PEERS[d][1]];
        if (!Array.isArray(peers)) continue;
        for (let j = 0; j < peers.length; j++) {
          const p = peers[j];
          if (p !== null && typeof p === 'object' && !(selectorValid(p.podSelector, cache) && selectorValid(p.namespaceSelector, cache))) return false;
        }
      }
    }
    return true;
  }
  if (MAP_SELECTOR_KINDS.has(kind) ? !labelKeysAndValuesValid(spec.selector, cache.values, cache.keys) : !selectorValid(spec.selector, cache)) return false;
  const pod = POD_KIND_SET.has(kind) ? podOfDoc(doc) : undefined;
  return pod === undefined || podSelectorsValid(pod.spec, cache);
}
