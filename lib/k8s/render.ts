// Internal: renders ApiObjects for k8s.App in one pass. Not re-exported by the barrel.
//
// `ApiObject.toJson()` resolves the object's data (`resolve`: a new object per map, a new key array per value,
// the app's resolvers asked about every value), then copies it again to drop empty values and sort keys
// (`sanitizeValue`), and does both twice for the metadata. For data that is plain JSON plus `Lazy` values, which
// is what shipshape's constructs and most hand-written ApiObjects hold, `renderApiObject` does the same work in
// one walk and returns an equal object. Anything else (a class instance a resolver could turn into a value,
// a custom resolver on the app, an ApiObject subclass that renders itself, cdk8s internals that are not what this
// file expects) goes through `toJson()` itself, so the result is always what cdk8s would write.
import { ApiObject, ApiObjectMetadataDefinition, App, ImplicitTokenResolver, JsonPatch, Lazy, LazyResolver, NumberStringUnionResolver } from 'cdk8s';

/** Thrown inside the walk for a value only cdk8s' own resolution handles; the object then renders with toJson(). */
const BAIL = new Error('shipshape: value left to ApiObject.toJson()');

/** The ApiObject fields toJson() reads (private in cdk8s' typings). */
interface ApiObjectInternals {
  readonly props?: { [key: string]: any };
  readonly patches?: JsonPatch[];
  readonly metadata?: MetadataInternals;
}

interface MetadataInternals {
  readonly name?: string;
  readonly namespace?: string;
  readonly labels?: { [key: string]: string };
  readonly annotations?: { [key: string]: string };
  readonly finalizers?: string[];
  readonly ownerReferences?: any[];
  readonly _additionalAttributes?: { [key: string]: any };
  toJson(): any;
}

/** Renders the ApiObjects of one app (one synth) as `toJson()` does. */
export class ManifestRenderer {
  private readonly sortKeys: boolean;
  private readonly fast: boolean;

  constructor(app: App) {
    // read once per synth, as every toJson() of the synth would read it
    this.sortKeys = process.env.CDK8S_DISABLE_SORT ? false : true;
    this.fast = hasDefaultResolvers(app);
  }

  /** `obj.toJson()`, computed in one pass when the object's data allows it. */
  public render(obj: ApiObject): any {
    if (this.fast && obj.toJson === ApiObject.prototype.toJson) {
      const json = renderPlain(obj as unknown as ApiObjectInternals, this.sortKeys);
      if (json !== undefined) return json;
    }
    return toJsonExplained(obj);
  }
}

/**
 * `obj.toJson()`; when it fails on a JSON patch added with `addJsonPatch` (cdk8s then says only "Cannot read
 * properties of undefined"), the error names the patch, the part of its path the object lacks and what is there.
 */
export function toJsonExplained(obj: ApiObject): any {
  try {
    return obj.toJson();
  } catch (e) {
    const why = patchFailure(obj);
    if (why === undefined) throw e;
    throw new Error(why);
  }
}

/** Why the first failing JSON patch of `obj` does not apply, or undefined when none fails (or it has none). */
function patchFailure(obj: ApiObject): string | undefined {
  const patches = (obj as unknown as ApiObjectInternals).patches;
  if (!Array.isArray(patches) || patches.length === 0) return undefined;
  // the object without its patches, then the patches one at a time
  const saved = patches.splice(0, patches.length);
  let json: any;
  try {
    json = obj.toJson();
  } catch {
    return undefined; // it fails without its patches too: not a patch's doing
  } finally {
    patches.push(...saved);
  }
  for (let i = 0; i < saved.length; i++) {
    const op = saved[i]._toJson();
    try {
      json = JsonPatch.apply(json, saved[i]);
    } catch (e) {
      const missing = [op.from, op.path].map(p => (typeof p === 'string' ? missingPart(json, p, op.op === 'add' || op.op === 'copy' || op.op === 'move') : undefined)).find(m => m);
      return `${obj.node.path}: JSON patch ${i + 1} of ${saved.length} (${op.op} ${op.path}${op.from !== undefined ? ` from ${op.from}` : ''}), added with addJsonPatch, does not apply: `
        + `${missing ?? String((e as Error)?.message ?? e)}; write the path as the object has it (kubectl-style pointers: /spec/template/spec/containers/0/...; ~1 for / in a key)`;
    }
  }
  return undefined;
}

/**
 * The first part of the JSON pointer `pointer` that `doc` lacks, as a sentence, or undefined when it resolves.
 * With `parentOnly` (add, copy, move targets) the last part may be new.
 */
function missingPart(doc: any, pointer: string, parentOnly: boolean): string | undefined {
  if (pointer === '') return undefined;
  const parts = pointer.split('/').slice(1).map(t => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  let at: any = doc;
  let where = '';
  for (let i = 0; i < parts.length; i++) {
    const last = i === parts.length - 1;
    if (last && parentOnly) return undefined;
    const t = parts[i];
    const has = Array.isArray(at) ? /^\d+$/.test(t) && Number(t) < at.length : at !== null && typeof at === 'object' && Object.prototype.hasOwnProperty.call(at, t);
    if (!has) {
      const here = Array.isArray(at) ? `a list of ${at.length}` : at !== null && typeof at === 'object' ? `keys ${Object.keys(at).slice(0, 12).join(', ') || '(none)'}` : `the value ${JSON.stringify(at)}`;
      return `${where}/${parts[i].replace(/~/g, '~0').replace(/\//g, '~1')} does not exist (${where || 'the object'} has ${here})`;
    }
    at = at[t];
    where += `/${parts[i].replace(/~/g, '~0').replace(/\//g, '~1')}`;
  }
  return undefined;
}

/** Whether the app's resolvers are exactly cdk8s' built-in ones (no custom resolver sees the values). */
function hasDefaultResolvers(app: App): boolean {
  const r = (app as { resolvers?: unknown[] }).resolvers;
  return Array.isArray(r) && r.length === 3
    && r[0]?.constructor === LazyResolver
    && r[1]?.constructor === ImplicitTokenResolver
    && r[2]?.constructor === NumberStringUnionResolver;
}

/** The manifest, or undefined when the object must render through toJson(). */
function renderPlain(obj: ApiObjectInternals, sortKeys: boolean): any {
  const props = obj.props;
  const md = obj.metadata;
  const patches = obj.patches;
  if (props === null || typeof props !== 'object' || !Array.isArray(patches) || !md
    || md.toJson !== ApiObjectMetadataDefinition.prototype.toJson) {
    return undefined;
  }
  const attrs = md._additionalAttributes;
  if (attrs === null || typeof attrs !== 'object') return undefined;
  try {
    // ApiObjectMetadataDefinition.toJson(): empty arrays and maps dropped, keys sorted
    const metadata = walk({
      ...attrs,
      name: md.name,
      namespace: md.namespace,
      annotations: md.annotations,
      finalizers: md.finalizers,
      ownerReferences: md.ownerReferences,
      labels: md.labels,
    }, true, true);
    // ApiObject.toJson(): the data with the rendered metadata, null values dropped, keys sorted (unless disabled)
    let json = walk({ ...props, metadata }, false, sortKeys);
    if (patches.length > 0) json = JsonPatch.apply(json, ...patches);
    // apiVersion, kind and metadata first, then the rest
    const result: any = {};
    if ('apiVersion' in json) result.apiVersion = json.apiVersion;
    if ('kind' in json) result.kind = json.kind;
    if ('metadata' in json) result.metadata = json.metadata;
    for (const k of Object.keys(json)) result[k] = json[k];
    return result;
  } catch {
    // BAIL, or an error (a producer or a patch that fails): toJson() then renders the object, or fails with
    // cdk8s' own message, which names the construct path
    return undefined;
  }
}

/**
 * cdk8s' `sanitizeValue(resolve(value))` for JSON data and `Lazy` values: `undefined` for null and undefined
 * (so object keys holding them are dropped), `Lazy` values produced, maps copied with sorted keys (when `sort`),
 * and with `filter` (the metadata's options) empty arrays and maps dropped too. Throws BAIL for anything a
 * resolver would look at: a class instance, an object with a `resolve` function, an array with `value` or
 * `resolve` properties, a function, a `__proto__` key. Values are resolved in key insertion order, as cdk8s does.
 */
function walk(v: any, filter: boolean, sort: boolean): any {
  if (v === null || v === undefined) return undefined;
  const t = typeof v;
  if (t !== 'object') {
    if (t === 'function') throw BAIL;
    return v;
  }
  if (Array.isArray(v)) {
    if ((v as any).resolve !== undefined || (v as any).value !== undefined) throw BAIL;
    const n = v.length;
    if (filter && n === 0) return undefined;
    const out = new Array(n);
    for (let i = 0; i < n; i++) {
      const x = v[i];
      if (x === undefined && !(i in v)) continue; // a hole stays a hole (Array.prototype.map)
      out[i] = walk(x, filter, sort);
    }
    return out;
  }
  if (v.constructor !== Object) {
    if (v instanceof Lazy) return walk(v.produce(), filter, sort);
    throw BAIL;
  }
  if (typeof v.resolve === 'function') throw BAIL;
  const keys = Object.keys(v);
  const n = keys.length;
  const values = new Array(n);
  let kept = 0;
  for (let i = 0; i < n; i++) {
    const k = keys[i];
    if (k === '__proto__') throw BAIL;
    const r = walk(v[k], filter, sort);
    values[i] = r;
    if (r !== undefined && r !== null) kept++;
  }
  if (kept === 0 && filter) return undefined;
  const out: any = {};
  if (!sort) {
    for (let i = 0; i < n; i++) {
      const r = values[i];
      if (r !== undefined && r !== null) out[keys[i]] = r;
    }
    return out;
  }
  const order = sortedOrder(keys);
  for (let j = 0; j < n; j++) {
    const i = order[j];
    const r = values[i];
    if (r !== undefined && r !== null) out[keys[i]] = r;
  }
  return out;
}

/** Indices of `keys` in the order `keys.slice().sort()` gives (UTF-16 code units). */
function sortedOrder(keys: string[]): number[] {
  const n = keys.length;
  const order = new Array<number>(n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (n < 2) return order;
  if (n <= 24) {
    // insertion sort: maps in manifests are small
    for (let i = 1; i < n; i++) {
      const x = order[i];
      const kx = keys[x];
      let j = i - 1;
      while (j >= 0 && keys[order[j]] > kx) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = x;
    }
    return order;
  }
  return order.sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : 0));
}
