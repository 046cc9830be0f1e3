// Internal: label indexes over one output, built once and shared by the cross-object rules.
// Not re-exported by the barrel. Lookups go through postings keyed by namespace and one label pair,
// so no rule scans all pairs of objects.
import { DocumentIndex } from '../document-index';
import { PolicyDocument } from '../rule';
import { isObj, o, PodRef, podLabels, podOfDoc, POD_KINDS } from './pod';

/** A pod template found in the output. */
export interface PodTemplate {
  readonly doc: PolicyDocument;
  readonly pod: PodRef;
  readonly labels: { [k: string]: string };
  readonly ns: string;
}

/** A label selector in its Kubernetes shape. */
export interface Selector {
  readonly matchLabels?: { [k: string]: string };
  readonly matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** True when `selector` (LabelSelector shape) selects `labels`. An empty selector selects everything. */
export function selectorMatches(selector: Selector, labels: { [k: string]: string }): boolean {
  const ml = o(selector.matchLabels);
  for (const k in ml) {
    if (labels[k] !== ml[k]) return false;
  }
  const me = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  for (const e of me) {
    if (!isObj(e)) return false;
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const values = Array.isArray(e.values) ? e.values : [];
    switch (e.operator) {
      case 'In': if (!has || !values.includes(labels[e.key])) return false; break;
      case 'NotIn': if (has && values.includes(labels[e.key])) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

/** True when a selector is empty (selects every pod of the namespace). */
export function selectorIsEmpty(selector: Selector): boolean {
  return Object.keys(o(selector.matchLabels)).length === 0 &&
    !(Array.isArray(selector.matchExpressions) && selector.matchExpressions.length > 0);
}


/** namespace -> label key -> label value -> items */
class PairMap<V> {
  private readonly m = new Map<string, Map<string, Map<string, V[]>>>();

  public add(ns: string, k: string, v: string, item: V) {
    let keys = this.m.get(ns);
    if (!keys) {
      keys = new Map();
      this.m.set(ns, keys);
    }
    let values = keys.get(k);
    if (!values) {
      values = new Map();
      keys.set(k, values);
    }
    const list = values.get(v);
    if (list) list.push(item); else values.set(v, [item]);
  }

  public get(ns: string, k: string, v: string): V[] | undefined {
    return this.m.get(ns)?.get(k)?.get(v);
  }

  /** The namespace's key map, for repeated lookups. */
  public ns(ns: string): Map<string, Map<string, V[]>> | undefined {
    return this.m.get(ns);
  }
}

/** Label indexes of one output. */
export class K8sIndex {
  public static of(index: DocumentIndex): K8sIndex {
    return index._memo('k8s.labels', i => new K8sIndex(i));
  }

  public readonly templates: PodTemplate[] = [];
  private readonly byPair = new PairMap<PodTemplate>();
  private readonly byNs = new Map<string, PodTemplate[]>();
  private readonly selectorIndexes = new Map<string, SelectorIndex>();

  private constructor(private readonly index: DocumentIndex) {
    for (const kind of POD_KINDS) {
      for (const doc of index.ofKind(kind)) {
        const pod = podOfDoc(doc);
        if (!pod) continue;
        const t: PodTemplate = { doc, pod, labels: podLabels(pod), ns: doc.namespace ?? '' };
        this.templates.push(t);
        push(this.byNs, t.ns, t);
        for (const k in t.labels) this.byPair.add(t.ns, k, String(t.labels[k]), t);
      }
    }
  }

  /** How many templates in `ns` carry the pair. */
  public pairCount(ns: string, k: string, v: string): number {
    return this.byPair.get(ns, k, v)?.length ?? 0;
  }

  /** The pod templates in `ns` that `selector` selects (LabelSelector shape). */
  public templatesSelectedBy(ns: string, selector: Selector): PodTemplate[] {
    const ml = o(selector.matchLabels);
    let best: PodTemplate[] | undefined;
    for (const k in ml) {
      const list = this.byPair.get(ns, k, String(ml[k]));
      if (!list) return [];
      if (!best || list.length < best.length) best = list;
    }
    const cands = best ?? this.byNs.get(ns) ?? [];
    return cands.filter(t => selectorMatches(selector, t.labels));
  }

  /** True when `selector` (LabelSelector shape) selects at least one pod template in `ns`. */
  public anyTemplateSelectedBy(ns: string, selector: Selector): boolean {
    const ml = o(selector.matchLabels);
    let best: PodTemplate[] | undefined;
    for (const k in ml) {
      const v = ml[k];
      const list = this.byPair.get(ns, k, typeof v === 'string' ? v : String(v));
      if (!list) return false;
      if (!best || list.length < best.length) best = list;
    }
    const cands = best ?? this.byNs.get(ns);
    if (!cands) return false;
    for (let i = 0; i < cands.length; i++) if (selectorMatches(selector, cands[i].labels)) return true;
    return false;
  }

  /** The pod templates in `ns` a Service-style plain selector (`{k: v}`) selects. */
  public templatesSelectedByMap(ns: string, selector: { [k: string]: string }): PodTemplate[] {
    return this.templatesSelectedBy(ns, { matchLabels: selector });
  }

  /**
   * The PodDisruptionBudgets (`spec.selector`) or NetworkPolicies (`spec.podSelector`) in `ns` whose selector
   * selects `labels`. The list is shared: the same `labels` object (a pod's, from `podLabels`) gets the same list.
   */
  public selecting(kind: 'PodDisruptionBudget' | 'NetworkPolicy', ns: string, labels: { [k: string]: string }): PolicyDocument[] {
    let si = this.selectorIndexes.get(kind);
    if (si === undefined) {
      si = new SelectorIndex(this, this.index.ofKind(kind), kind === 'NetworkPolicy');
      this.selectorIndexes.set(kind, si);
    }
    return si.query(ns, labels);
  }
}

/** The selector of a PodDisruptionBudget (`spec.selector`) or a NetworkPolicy (`spec.podSelector`). */
export function selectorOf(doc: PolicyDocument): any {
  const spec = doc.manifest.spec;
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) return undefined;
  return doc.kind === 'NetworkPolicy' ? spec.podSelector : spec.selector;
}

/** Documents holding a selector, each filed under its rarest matchLabels pair. */
class SelectorIndex {
  private readonly byPair = new PairMap<{ doc: PolicyDocument; sel: Selector }>();
  private readonly wide = new Map<string, { doc: PolicyDocument; sel: Selector }[]>();
  /** Answers already given, by the labels object asked about (with the namespace, to be exact). */
  private readonly answers = new Map<object, { ns: string; docs: PolicyDocument[] }>();

  constructor(k: K8sIndex, docs: PolicyDocument[], podSelector: boolean) {
    for (const doc of docs) {
      const spec = doc.manifest.spec;
      const sel = spec === null || typeof spec !== 'object' || Array.isArray(spec) ? undefined : podSelector ? spec.podSelector : spec.selector;
      if (!sel || !isObj(sel)) continue;
      const ns = doc.namespace ?? '';
      const ml = o(sel.matchLabels);
      let bestKey: string | undefined;
      let bestCount = Infinity;
      for (const key in ml) {
        const c = k.pairCount(ns, key, String(ml[key]));
        if (c < bestCount) {
          bestCount = c;
          bestKey = key;
        }
      }
      if (bestKey !== undefined) this.byPair.add(ns, bestKey, String(ml[bestKey]), { doc, sel });
      else push(this.wide, ns, { doc, sel });
    }
  }

  public query(ns: string, labels: { [k: string]: string }): PolicyDocument[] {
    const known = this.answers.get(labels);
    if (known !== undefined && known.ns === ns) return known.docs;
    const out: PolicyDocument[] = [];
    const wide = this.wide.get(ns);
    if (wide) for (const e of wide) if (selectorMatches(e.sel, labels)) out.push(e.doc);
    const keys = this.byPair.ns(ns);
    if (keys) {
      for (const k in labels) {
        const values = keys.get(k);
        if (!values) continue;
        const v = labels[k];
        const list = values.get(typeof v === 'string' ? v : String(v));
        if (!list) continue;
        for (const e of list) if (selectorMatches(e.sel, labels)) out.push(e.doc);
      }
    }
    this.answers.set(labels, { ns, docs: out });
    return out;
  }
}

function push<V>(m: Map<string, V[]>, k: string, v: V) {
  const list = m.get(k);
  if (list) list.push(v); else m.set(k, [v]);
}
