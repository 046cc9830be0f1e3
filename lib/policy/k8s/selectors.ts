// Internal: label indexes over one output, built once and shared by the cross-object rules.
// Not re-exported by the barrel. Lookups go through postings keyed by namespace and one label pair,
// so no rule scans all pairs of objects.
import { DocumentIndex } from '../document-index';
import { PolicyDocument } from '../rule';
import { foreignPodOf, hasKey, isObj, K8sDoc, o, PodRef, podLabels, podOfDoc, POD_KINDS } from './pod';

const POD_KIND_SET: ReadonlySet<string> = new Set(POD_KINDS);

/** A pod template found in the output. */
export interface PodTemplate {
  readonly doc: PolicyDocument;
  readonly pod: PodRef;
  readonly labels: { [k: string]: string };
  readonly ns: string;
}

/** A PodTemplate of the index: a class, not an object literal, for the reason `PodRefData` gives (pod.ts). */
class IndexedTemplate implements PodTemplate {
  constructor(public readonly doc: PolicyDocument, public readonly pod: PodRef, public readonly labels: { [k: string]: string }, public readonly ns: string) {}
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
  const me = selector.matchExpressions;
  if (!Array.isArray(me)) return true;
  for (let i = 0; i < me.length; i++) {
    const e = me[i];
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
  return !hasKey(o(selector.matchLabels)) && !(Array.isArray(selector.matchExpressions) && selector.matchExpressions.length > 0);
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
  /** label key -> namespace -> value -> templates; a key is filed on its first lookup (selectors use few of the keys pods carry) */
  private readonly byKey = new Map<string, Map<string, Map<string, PodTemplate[]>>>();
  private readonly byNs = new Map<string, PodTemplate[]>();
  private readonly byPod = new Map<PodRef, PodTemplate>();
  private readonly selectorIndexes = new Map<string, SelectorIndex>();
  private readonly relations = new Map<string, Relation>();
  private readonly overlaps = new Map<string, Map<PolicyDocument, { template: PodTemplate; others: PolicyDocument[] }>>();

  private constructor(private readonly index: DocumentIndex) {
    for (const kind of POD_KINDS) {
      for (const doc of index.ofKind(kind)) {
        const pod = podOfDoc(doc);
        if (!pod) continue;
        const t: PodTemplate = new IndexedTemplate(doc, pod, podLabels(pod), doc.namespace ?? '');
        this.templates.push(t);
        push(this.byNs, t.ns, t);
        if (!this.byPod.has(pod)) this.byPod.set(pod, t);
      }
    }
    // the pods of kinds the pod rules do not read (an Argo Rollout): selected like any other
    for (const kind of index._kinds()) {
      if (POD_KIND_SET.has(kind)) continue;
      for (const doc of index.ofKind(kind)) {
        const pod = foreignPodOf(doc.manifest);
        if (!pod) continue;
        const t: PodTemplate = new IndexedTemplate(doc, pod, podLabels(pod), doc.namespace ?? '');
        this.templates.push(t);
        push(this.byNs, t.ns, t);
      }
    }
  }

  /**
   * The PodDisruptionBudgets or NetworkPolicies in `ns` whose selector selects the pods of `pod`, in the order
   * `selecting` gives them (the same list).
   */
  public selectingPod(kind: 'PodDisruptionBudget' | 'NetworkPolicy', ns: string, pod: PodRef): PolicyDocument[] {
    const t = this.byPod.get(pod);
    if (t === undefined || t.ns !== ns) return this.selecting(kind, ns, podLabels(pod));
    return this.relation(kind).byTemplate.get(t) ?? NO_DOCS;
  }

  /**
   * The policies of `kind` that select a pod template another policy of that kind (of another name) selects too, each
   * with the first such template and the other policies selecting it (once per output).
   */
  public overlapping(kind: 'PodDisruptionBudget' | 'NetworkPolicy'): Map<PolicyDocument, { template: PodTemplate; others: PolicyDocument[] }> {
    return this.overlaps.get(kind) ?? this.findOverlaps(kind);
  }

  private findOverlaps(kind: 'PodDisruptionBudget' | 'NetworkPolicy'): Map<PolicyDocument, { template: PodTemplate; others: PolicyDocument[] }> {
    const m = new Map<PolicyDocument, { template: PodTemplate; others: PolicyDocument[] }>();
    this.relation(kind).byTemplate.forEach((docs, template) => {
      if (docs.length < 2) return;
      // one object held twice (the same name in the namespace, in two output folders checked together) is one policy
      for (const doc of docs) {
        if (m.has(doc)) continue;
        const seen = new Set<string | undefined>([doc.name]);
        const others = docs.filter(d => !seen.has(d.name) && seen.add(d.name) !== undefined);
        if (others.length > 0) m.set(doc, { template, others });
      }
    });
    this.overlaps.set(kind, m);
    return m;
  }

  /** True when the selector of a NetworkPolicy or PodDisruptionBudget (an object) selects a pod template of its namespace. */
  public selectsSomePod(doc: PolicyDocument): boolean {
    return this.relation(doc.kind).selecting.has(doc);
  }

  /**
   * Every policy of `kind` matched with the templates it selects, once per output: each policy with an object
   * selector looks its candidates up under its rarest matchLabels pair (the pair `SelectorIndex` files it under),
   * and each template gets the policies selecting it in the order `SelectorIndex.query` returns them: selectors
   * without matchLabels first, then by the position of their filing key among the template's labels, then in
   * document order.
   */
  private relation(kind: string): Relation {
    return this.relations.get(kind) ?? this.relate(kind);
  }

  private relate(kind: string): Relation {
    const byTemplate = new Map<PodTemplate, PolicyDocument[]>();
    const selecting = new Set<PolicyDocument>();
    /** The templates more than one policy selects (their lists are put in order at the end). */
    let shared: PodTemplate[] | undefined;
    for (const doc of this.index.ofKind(kind)) {
      const sel = selectorOf(doc);
      if (!sel || !isObj(sel)) continue;
      const ns = doc.namespace ?? '';
      const cands = this.candidates(ns, sel);
      if (cands === undefined) continue;
      for (let i = 0; i < cands.length; i++) {
        const t = cands[i];
        if (!selectorMatches(sel, t.labels)) continue;
        selecting.add(doc);
        const list = byTemplate.get(t);
        if (list === undefined) {
          byTemplate.set(t, [doc]);
        } else {
          if (list.length === 1) (shared ??= []).push(t);
          list.push(doc);
        }
      }
    }
    if (shared !== undefined) {
      for (const t of shared) {
        const rank = (doc: PolicyDocument) => {
          const key = this.filingKey(doc.namespace ?? '', selectorOf(doc));
          if (key === undefined) return -1;
          let i = 0;
          for (const k in t.labels) {
            if (k === key) return i;
            i++;
          }
          return i;
        };
        const ranked = byTemplate.get(t)!.map(doc => ({ doc, rank: rank(doc) }));
        ranked.sort((a, b) => a.rank - b.rank);
        byTemplate.set(t, ranked.map(e => e.doc));
      }
    }
    const r = { byTemplate, selecting };
    this.relations.set(kind, r);
    return r;
  }

  /**
   * The templates of `ns` a selector's policy is matched against: those carrying its rarest matchLabels pair (the
   * whole namespace for a selector without matchLabels); undefined when a pair is carried by no template.
   */
  private candidates(ns: string, sel: Selector): PodTemplate[] | undefined {
    return this.candidatesOf(ns, o(sel.matchLabels));
  }

  /** `candidates` of a selector whose matchLabels are `ml` (an object). */
  private candidatesOf(ns: string, ml: any): PodTemplate[] | undefined {
    let best: PodTemplate[] | undefined;
    for (const k in ml) {
      const v = ml[k];
      const list = this.pair(ns, k, typeof v === 'string' ? v : String(v));
      if (!list) return undefined;
      if (!best || list.length < best.length) best = list;
    }
    return best ?? this.byNs.get(ns);
  }

  /**
   * The matchLabels key a selector is filed under: the first of its rarest pairs among the templates of `ns` (the
   * pair `candidates` looks up), or undefined when it has no matchLabels.
   */
  public filingKey(ns: string, sel: Selector): string | undefined {
    const ml = o(sel.matchLabels);
    let count = Infinity;
    let key: string | undefined;
    for (const k in ml) {
      const v = ml[k];
      const n = this.pair(ns, k, typeof v === 'string' ? v : String(v))?.length ?? 0;
      if (n < count) {
        count = n;
        key = k;
      }
    }
    return key;
  }

  /** The templates in `ns` that carry the label pair `k`=`v`, in document order; undefined when none. */
  private pair(ns: string, k: string, v: string): PodTemplate[] | undefined {
    const namespaces = this.byKey.get(k) ?? this.fileKey(k);
    return namespaces.get(ns)?.get(v);
  }

  /**
   * Files the templates under label key `k` (once per key). The lazy builders of this index are functions of their
   * own, apart from the lookups rules make on every document, so the compiler does not build them into each rule.
   */
  private fileKey(k: string): Map<string, Map<string, PodTemplate[]>> {
    const namespaces = new Map<string, Map<string, PodTemplate[]>>();
    const templates = this.templates;
    for (let i = 0; i < templates.length; i++) {
      const t = templates[i];
      const labels = t.labels;
      if (!Object.prototype.hasOwnProperty.call(labels, k)) continue;
      const lv = labels[k];
      const value = typeof lv === 'string' ? lv : String(lv);
      let values = namespaces.get(t.ns);
      if (values === undefined) {
        values = new Map();
        namespaces.set(t.ns, values);
      }
      const list = values.get(value);
      if (list === undefined) values.set(value, [t]); else list.push(t);
    }
    this.byKey.set(k, namespaces);
    return namespaces;
  }

  /** The pod templates in `ns` that `selector` selects (LabelSelector shape). */
  public templatesSelectedBy(ns: string, selector: Selector): PodTemplate[] {
    const cands = this.candidates(ns, selector);
    return cands === undefined ? [] : cands.filter(t => selectorMatches(selector, t.labels));
  }

  /**
   * The pod templates of its namespace a Service's selector (a plain label map) selects, in document order; looked up
   * once per Service (several rules ask). A Service without a selector, or with an empty one, selects none: the API
   * leaves its endpoints to be managed by hand.
   */
  public templatesOfService(doc: PolicyDocument): readonly PodTemplate[] {
    if (!K8sDoc.isK8sDoc(doc)) return this.serviceTemplates(doc);
    const t = (doc as K8sDoc)._selected as readonly PodTemplate[] | undefined;
    return t !== undefined ? t : this.selectForKind(doc as K8sDoc);
  }

  /** Looks up the templates of every document of `doc`'s kind in one pass (once per kind), and returns those of `doc`. */
  private selectForKind(doc: K8sDoc): readonly PodTemplate[] {
    const docs = this.index.ofKind(doc.kind);
    for (let i = 0; i < docs.length; i++) {
      const d = docs[i];
      if (K8sDoc.isK8sDoc(d) && (d as K8sDoc)._selected === undefined) (d as K8sDoc)._selected = this.serviceTemplates(d);
    }
    // a document the index does not hold under its kind
    if (doc._selected === undefined) doc._selected = this.serviceTemplates(doc);
    return doc._selected as readonly PodTemplate[];
  }

  private serviceTemplates(doc: PolicyDocument): PodTemplate[] {
    const spec = doc.manifest?.spec;
    const sel = spec !== null && typeof spec === 'object' ? spec.selector : undefined;
    if (!isObj(sel) || !hasKey(sel)) return NO_TEMPLATES;
    const cands = this.candidatesOf(doc.namespace ?? '', sel);
    if (cands === undefined) return NO_TEMPLATES;
    let out: PodTemplate[] | undefined;
    for (let i = 0; i < cands.length; i++) {
      const labels = cands[i].labels;
      let match = true;
      for (const key in sel) {
        if (labels[key] !== sel[key]) {
          match = false;
          break;
        }
      }
      if (match) (out ??= []).push(cands[i]);
    }
    return out ?? NO_TEMPLATES;
  }

  /**
   * The PodDisruptionBudgets (`spec.selector`) or NetworkPolicies (`spec.podSelector`) in `ns` whose selector
   * selects `labels`. The list is shared: the same `labels` object (a pod's, from `podLabels`) gets the same list.
   */
  public selecting(kind: 'PodDisruptionBudget' | 'NetworkPolicy', ns: string, labels: { [k: string]: string }): PolicyDocument[] {
    const si = this.selectorIndexes.get(kind) ?? this.indexSelectors(kind);
    return si.query(ns, labels);
  }

  private indexSelectors(kind: 'PodDisruptionBudget' | 'NetworkPolicy'): SelectorIndex {
    const si = new SelectorIndex(this, this.index.ofKind(kind), kind === 'NetworkPolicy');
    this.selectorIndexes.set(kind, si);
    return si;
  }
}

/** The selector of a PodDisruptionBudget (`spec.selector`) or a NetworkPolicy (`spec.podSelector`). */
export function selectorOf(doc: PolicyDocument): any {
  const spec = doc.manifest.spec;
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) return undefined;
  return doc.kind === 'NetworkPolicy' ? spec.podSelector : spec.selector;
}

/** The policies of one kind and the pod templates they select. */
interface Relation {
  /** Per template, the policies selecting it (templates no policy selects are absent). */
  readonly byTemplate: Map<PodTemplate, PolicyDocument[]>;
  /** The policies that select at least one template. */
  readonly selecting: Set<PolicyDocument>;
}

const NO_DOCS: PolicyDocument[] = [];
const NO_TEMPLATES: PodTemplate[] = [];

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
      const bestKey = k.filingKey(ns, sel);
      if (bestKey !== undefined) this.byPair.add(ns, bestKey, String(o(sel.matchLabels)[bestKey]), { doc, sel });
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
