import { PolicyDocument } from './rule';

const EMPTY: PolicyDocument[] = [];

/**
 * A read-only view of every document in one output (one synth, or one `shipshape check` run),
 * indexed once by kind, by namespace and by name, so cross-object rules look candidates up instead
 * of scanning every pair.
 */
export class DocumentIndex {
  private readonly _documents: PolicyDocument[];
  private readonly byKind = new Map<string, PolicyDocument[]>();
  /** kind -> namespace ('' when none) -> documents; built per kind on first use */
  private readonly byKindNs = new Map<string, Map<string, PolicyDocument[]>>();
  /** kind -> namespace -> name -> first document; built per kind on first use */
  private readonly byKindNsName = new Map<string, Map<string, Map<string, PolicyDocument>>>();
  private readonly memo = new Map<string, any>();

  /**
   * @param documents every document of the output
   */
  constructor(documents: PolicyDocument[]) {
    this._documents = documents;
    const byKind = this.byKind;
    let kind: string | undefined;
    let list: PolicyDocument[] | undefined;
    for (let i = 0; i < documents.length; i++) {
      const d = documents[i];
      // outputs come in runs of one kind often enough that remembering the last list pays
      if (d.kind !== kind) {
        kind = d.kind;
        list = byKind.get(kind);
        if (list === undefined) {
          list = [];
          byKind.set(kind, list);
        }
      }
      list!.push(d);
    }
  }

  /** Every document, in input order. */
  public get documents(): PolicyDocument[] {
    return this._documents;
  }

  /** The documents of one kind (for example `Service`, or `aws_kms_key`), in input order. */
  public ofKind(kind: string): PolicyDocument[] {
    return this.byKind.get(kind) ?? EMPTY;
  }

  /**
   * The kinds of the documents, in the order they first appear.
   * @internal
   */
  public _kinds(): string[] {
    return [...this.byKind.keys()];
  }

  /**
   * The documents of one kind in one namespace, in input order.
   * @param kind the kind
   * @param namespace the namespace (default: documents without a namespace)
   */
  public inNamespace(kind: string, namespace?: string): PolicyDocument[] {
    const nsMap = this.byKindNs.get(kind) ?? this.fileByNamespace(kind);
    return nsMap.get(namespace ?? '') ?? EMPTY;
  }

  // The lazy builders below run once per kind or key: kept out of the lookups that rules call on every document,
  // so the compiler does not build them into each rule that inlines a lookup.

  private fileByNamespace(kind: string): Map<string, PolicyDocument[]> {
    const nsMap = new Map<string, PolicyDocument[]>();
    for (const d of this.ofKind(kind)) push(nsMap, d.namespace ?? '', d);
    this.byKindNs.set(kind, nsMap);
    return nsMap;
  }

  /**
   * The first document with this kind, name and namespace.
   * @param kind the kind
   * @param name the name
   * @param namespace the namespace (default: documents without a namespace)
   */
  public find(kind: string, name: string, namespace?: string): PolicyDocument | undefined {
    const names = this.byKindNsName.get(kind) ?? this.fileByName(kind);
    return names.get(namespace ?? '')?.get(name);
  }

  private fileByName(kind: string): Map<string, Map<string, PolicyDocument>> {
    const names = new Map<string, Map<string, PolicyDocument>>();
    for (const d of this.ofKind(kind)) {
      if (d.name === undefined) continue;
      const ns = d.namespace ?? '';
      let byName = names.get(ns);
      if (!byName) {
        byName = new Map();
        names.set(ns, byName);
      }
      if (!byName.has(d.name)) byName.set(d.name, d);
    }
    this.byKindNsName.set(kind, names);
    return names;
  }

  /**
   * Builds a derived index once per output and caches it (packs use it for label lookups).
   * @internal
   */
  public _memo<T>(key: string, build: (index: DocumentIndex) => T): T {
    const v = this.memo.get(key);
    return v !== undefined ? v : this.memoize(key, build);
  }

  private memoize<T>(key: string, build: (index: DocumentIndex) => T): T {
    const v = build(this);
    this.memo.set(key, v);
    return v;
  }
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V) {
  const list = m.get(k);
  if (list) list.push(v); else m.set(k, [v]);
}
