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
  /** kind -> namespace ('' when none) -> documents */
  private readonly byKindNs = new Map<string, Map<string, PolicyDocument[]>>();
  /** kind -> namespace -> name -> first document */
  private readonly byKindNsName = new Map<string, Map<string, Map<string, PolicyDocument>>>();
  private readonly memo = new Map<string, any>();

  /**
   * @param documents every document of the output
   */
  constructor(documents: PolicyDocument[]) {
    this._documents = documents;
    for (const d of documents) {
      push(this.byKind, d.kind, d);
      const ns = d.namespace ?? '';
      let nsMap = this.byKindNs.get(d.kind);
      if (!nsMap) {
        nsMap = new Map();
        this.byKindNs.set(d.kind, nsMap);
      }
      push(nsMap, ns, d);
      if (d.name !== undefined) {
        let names = this.byKindNsName.get(d.kind);
        if (!names) {
          names = new Map();
          this.byKindNsName.set(d.kind, names);
        }
        let byName = names.get(ns);
        if (!byName) {
          byName = new Map();
          names.set(ns, byName);
        }
        if (!byName.has(d.name)) byName.set(d.name, d);
      }
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
   * The documents of one kind in one namespace, in input order.
   * @param kind the kind
   * @param namespace the namespace (default: documents without a namespace)
   */
  public inNamespace(kind: string, namespace?: string): PolicyDocument[] {
    return this.byKindNs.get(kind)?.get(namespace ?? '') ?? EMPTY;
  }

  /**
   * The first document with this kind, name and namespace.
   * @param kind the kind
   * @param name the name
   * @param namespace the namespace (default: documents without a namespace)
   */
  public find(kind: string, name: string, namespace?: string): PolicyDocument | undefined {
    return this.byKindNsName.get(kind)?.get(namespace ?? '')?.get(name);
  }

  /**
   * Builds a derived index once per output and caches it (packs use it for label lookups).
   * @internal
   */
  public _memo<T>(key: string, build: (index: DocumentIndex) => T): T {
    let v = this.memo.get(key);
    if (v === undefined) {
      v = build(this);
      this.memo.set(key, v);
    }
    return v;
  }
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V) {
  const list = m.get(k);
  if (list) list.push(v); else m.set(k, [v]);
}
