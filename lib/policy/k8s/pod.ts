import { PolicyDocument } from '../rule';

// Internal helpers to reach pod specs, templates and containers. Not re-exported by the barrel.

/**
 * Kinds whose pod template lives at spec.template: the apps/v1 and batch/v1 workloads, the core
 * ReplicationController, and OpenShift's DeploymentConfig (same template shape; `shipshape check` meets it).
 */
export const TEMPLATE_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'ReplicationController', 'DeploymentConfig'];
/** Every kind that carries a pod spec. */
export const POD_KINDS = [...TEMPLATE_KINDS, 'CronJob', 'Pod'];
const POD_KIND_SET = new Set(POD_KINDS);
/** Long-running pod-bearing kinds (not Job/CronJob). */
export const SERVING_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Pod', 'ReplicationController', 'DeploymentConfig'];
/** Kinds whose `spec.selector` is a plain label map rather than a LabelSelector. */
export const MAP_SELECTOR_KINDS = new Set(['ReplicationController', 'DeploymentConfig']);

/** The annotation shipshape's development profile puts on the objects it relaxes (one replica, no PDB, no spread). */
export const PROFILE_ANNOTATION = 'shipshape.io/profile';

/** A pod spec and where it is. */
export interface PodRef {
  /** The pod spec (may be an empty object when absent). */
  readonly spec: any;
  /** JSON path of the pod spec. */
  readonly path: string;
  /** The pod template metadata (or the Pod's metadata). */
  readonly meta: any;
  /** JSON path of the template metadata. */
  readonly metaPath: string;
  /** The workload's `spec.selector` (LabelSelector, or a plain map for MAP_SELECTOR_KINDS); undefined for Pods and CronJobs. */
  readonly selector?: any;
  /** Cached labels the pods carry (see `podLabels`). */
  labels?: { [k: string]: string };
  /** Cached container lists. */
  containers?: ContainerRef[];
  containersEph?: ContainerRef[];
  mains?: ContainerRef[];
  /** Cached: the pod-local view of this pod and its rules' results (see `podClassOf`). */
  cls?: PodClass;
}

const EMPTY = Object.freeze({}) as any;

export function isObj(x: any): boolean {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

const CACHE = new WeakMap<object, PodRef | null>();

const K8S_DOC = Symbol.for('shipshape.K8sDoc');

/**
 * A Kubernetes document with a fixed shape and a slot for its pod spec, so rules reach the pod spec
 * without a map lookup. Built by `k8sDocument`.
 */
export class K8sDoc implements PolicyDocument {
  /** True when `doc` is a K8sDoc (of any copy of the library). */
  public static isK8sDoc(doc: any): boolean {
    return doc !== null && typeof doc === 'object' && doc[K8S_DOC] === true;
  }

  /** @internal */
  public _pod: PodRef | null | undefined = undefined;
  /** The HPAs targeting this document (see hpa.ts), once looked up. @internal */
  public _hpas: PolicyDocument[] | undefined = undefined;
  /** The workload an HPA scales (see hpa.ts `scaleTarget`; null: none in the output), once looked up. @internal */
  public _target: PolicyDocument | null | undefined = undefined;
  /** The pod templates a Service's selector selects (see `K8sIndex.templatesOfService`), once looked up. @internal */
  public _selected: readonly unknown[] | undefined = undefined;
  constructor(
    public readonly kind: string,
    public readonly manifest: any,
    public readonly path: string,
    public readonly name: string | undefined,
    public readonly namespace: string | undefined,
    public readonly file: string | undefined,
    public readonly index: number | undefined,
    public readonly line: number | undefined,
  ) {}
}
// the brand lives on the prototype: no per-document cost
Object.defineProperty(K8sDoc.prototype, K8S_DOC, { value: true });

/**
 * The pod spec of a pod-bearing document, or undefined; computed once per document (documents are
 * immutable during a check, and built afresh for every check).
 */
export function podOfDoc(doc: PolicyDocument): PodRef | undefined {
  if (K8sDoc.isK8sDoc(doc)) {
    const k = doc as K8sDoc;
    let q = k._pod;
    if (q === undefined) {
      q = podOf(k.manifest) ?? null;
      k._pod = q;
    }
    return q ?? undefined;
  }
  let p = CACHE.get(doc);
  if (p === undefined) {
    p = podOf(doc.manifest) ?? null;
    CACHE.set(doc, p);
  }
  return p ?? undefined;
}

/**
 * A PodRef with every field present from the start (caches included), in one order: all PodRefs share one
 * hidden class, so the rules' property reads stay monomorphic however the caches fill. A class, not an object
 * literal: V8 tracks how long the objects of a literal live, and when it decides mid-check that those of a
 * literal outlive young-generation collections (a check keeps every PodRef), it throws away the optimized code of
 * every function that inlined the literal (the rule loop among them) to compile it again; objects made with `new`
 * are not tracked so.
 */
class PodRefData implements PodRef {
  public labels: { [k: string]: string } | undefined = undefined;
  public containers: ContainerRef[] | undefined = undefined;
  public containersEph: ContainerRef[] | undefined = undefined;
  public mains: ContainerRef[] | undefined = undefined;
  public cls: PodClass | undefined = undefined;
  constructor(public readonly spec: any, public readonly path: string, public readonly meta: any, public readonly metaPath: string, public readonly selector: any) {}
}

function podRef(spec: any, path: string, meta: any, metaPath: string, selector: any): PodRef {
  return new PodRefData(spec, path, meta, metaPath, selector);
}

/** The pod spec of a pod-bearing object, or undefined. */
export function podOf(manifest: any): PodRef | undefined {
  const kind = manifest.kind;
  if (kind === 'Pod') {
    return podRef(o(manifest.spec), 'spec', o(manifest.metadata), 'metadata', undefined);
  }
  if (kind === 'CronJob') {
    const t = o(o(o(o(manifest.spec).jobTemplate).spec).template);
    return podRef(o(t.spec), 'spec.jobTemplate.spec.template.spec', o(t.metadata), 'spec.jobTemplate.spec.template.metadata', undefined);
  }
  if (TEMPLATE_KINDS.includes(kind)) {
    const spec = o(manifest.spec);
    const t = o(spec.template);
    return podRef(o(t.spec), 'spec.template.spec', o(t.metadata), 'spec.template.metadata', spec.selector);
  }
  return undefined;
}

/** A container and its JSON path. */
export interface ContainerRef {
  readonly c: any;
  readonly path: string;
  /** True for `containers[]` (main), false for init/ephemeral. */
  readonly main: boolean;
}

/**
 * Containers of a pod spec: `containers[]` and `initContainers[]` (and `ephemeralContainers[]` when `ephemeral`).
 */
export function containersOf(pod: PodRef, ephemeral = false): ContainerRef[] {
  const cached = ephemeral ? pod.containersEph : pod.containers;
  if (cached) return cached;
  const out: ContainerRef[] = [];
  add(out, pod, 'containers', true);
  add(out, pod, 'initContainers', false);
  if (ephemeral) add(out, pod, 'ephemeralContainers', false);
  if (ephemeral) pod.containersEph = out; else pod.containers = out;
  return out;
}

/** Main containers only. */
export function mainContainersOf(pod: PodRef): ContainerRef[] {
  if (pod.mains) return pod.mains;
  const out: ContainerRef[] = [];
  add(out, pod, 'containers', true);
  pod.mains = out;
  return out;
}

function add(out: ContainerRef[], pod: PodRef, field: string, main: boolean) {
  const list = pod.spec[field];
  if (!Array.isArray(list)) return;
  for (let i = 0; i < list.length; i++) {
    out.push({ c: o(list[i]), path: `${pod.path}.${field}[${i}]`, main });
  }
}

/** `x.securityContext` or an empty object. */
export function sc(x: any): any {
  return o(x.securityContext);
}

/**
 * True when a pod spec declares the Windows OS (`spec.os.name: windows`): the API then refuses the Linux-only
 * security fields (allowPrivilegeEscalation, capabilities, seccompProfile, readOnlyRootFilesystem, runAsUser,
 * runAsGroup), and Pod Security exempts the pod from the checks that require them.
 */
export function isWindowsPod(pod: PodRef): boolean {
  const os = pod.spec.os;
  return os !== null && typeof os === 'object' && os.name === 'windows';
}

/**
 * True when an object says it was made by shipshape's development profile (`shipshape.io/profile: development`):
 * one replica on purpose, no disruption budget, no spread. The availability rules do not apply to it.
 */
export function isDevelopmentProfile(manifest: any): boolean {
  const meta = manifest?.metadata;
  const ann = meta && typeof meta === 'object' ? meta.annotations : undefined;
  return ann !== null && typeof ann === 'object' && ann[PROFILE_ANNOTATION] === 'development';
}

/** Safe object access: `x` when it is an object (not an array), else a frozen empty one. Written out rather than through isObj: this runs for nearly every field a rule reads. */
export function o(x: any): any {
  return x !== null && typeof x === 'object' && !Array.isArray(x) ? x : EMPTY;
}

/** True when `x` has an own enumerable key (`Object.keys(x).length > 0`, without building the list). */
export function hasKey(x: object): boolean {
  for (const k in x) {
    if (Object.prototype.hasOwnProperty.call(x, k)) return true;
  }
  return false;
}

/** Safe array access. */
export function arr(x: any): any[] {
  return Array.isArray(x) ? x : [];
}

/**
 * The labels the pods carry: the template labels, plus the workload's own `spec.selector` labels (the API refuses a
 * workload whose template does not carry them, so a template that omits them is a broken object that SS-K8S-066
 * reports; the other rules still match it by what its pods would carry). Computed once per document.
 */
export function podLabels(pod: PodRef): { [k: string]: string } {
  if (pod.labels) return pod.labels;
  const own = labelsOf(pod.meta);
  const sel = pod.selector;
  let extra: { [k: string]: string } | undefined;
  if (isObj(sel)) {
    const ml = isObj(sel.matchLabels) ? sel.matchLabels : sel.matchExpressions === undefined ? sel : EMPTY;
    for (const k in ml) {
      if (typeof ml[k] === 'string' && own[k] === undefined) (extra ??= {})[k] = ml[k];
    }
  }
  pod.labels = extra ? { ...extra, ...own } : own;
  return pod.labels;
}

/** The labels of an object's metadata as a string map. */
export function labelsOf(meta: any): { [k: string]: string } {
  return o(o(meta).labels);
}

// ---------------------------------------------------------------------------------------------------------
// Pod-local rules and their shared results.
//
// Most pod rules look only at what a pod runs and how (its containers, security contexts, volumes, host
// namespaces, its template's annotations), and an output holds the same pod many times over: every service of
// one kind, every copy of a sidecar. Such a rule is declared with `k8sPodRule` and checks a *view* of the pod
// holding only those fields (POD_LOCAL_FIELDS and the template annotations). Within one check, pods whose views
// are equal (same path, same keys in the same order, same values: `sameData`) share one view, and each rule runs
// once per distinct view; the other pods get the same result (the same violations at the same paths). The rule
// cannot read anything the sharing does not account for: the view is all it is given.

/** The pod spec fields a pod-local rule may read. */
export const POD_LOCAL_FIELDS = [
  'containers', 'initContainers', 'ephemeralContainers', 'securityContext', 'os', 'volumes',
  'hostNetwork', 'hostPID', 'hostIPC', 'serviceAccount',
];

/** Pods with equal pod-local views in one check, and the results of the pod-local rules on that view. */
export interface PodClass {
  /** The view the pod-local rules check: a PodRef whose spec holds only POD_LOCAL_FIELDS, and whose meta only the annotations. */
  readonly view: PodRef;
  /** The view's values laid out for comparing other pods with it (see `sameAsClass`). */
  readonly shape: Shape;
  /** Result of each pod-local rule (by its slot): the violations, or NOT_APPLICABLE. */
  readonly results: any[];
  /** See `SharedResults.quiet`. */
  quiet: unknown;
}

/**
 * The classes of one check, by pod spec path, then by the image of the first container (undefined when none); each
 * list holds the last few classes. Map lookups only: the strings used as keys are the documents' own.
 */
export type PodClasses = Map<string, Map<unknown, PodClass[]>>;

/** How many classes with the same coarse key a pod is compared with (bounds the work for many distinct pods). */
const CANDIDATES = 4;

/**
 * The class of `pod` (computed once per pod): shared with an earlier pod of the same check (`shared`, one map per
 * check) whose pod-local view is equal, else a new one. Without `shared`, the pod's own.
 */
export function podClassOf(pod: PodRef, shared: PodClasses | undefined): PodClass {
  let cls = pod.cls;
  if (cls !== undefined) return cls;
  const spec = pod.spec;
  const annotations = pod.meta.annotations;
  if (shared !== undefined) {
    let byImage = shared.get(pod.path);
    if (byImage === undefined) {
      byImage = new Map();
      shared.set(pod.path, byImage);
    }
    const key = firstImage(spec.containers);
    const list = byImage.get(key);
    if (list !== undefined) {
      for (let i = list.length - 1; i >= 0; i--) {
        const c = list[i];
        if (sameAsClass(c.shape, spec, annotations)) {
          pod.cls = c;
          return c;
        }
      }
    }
    cls = newClass(pod, spec, annotations);
    if (list === undefined) {
      byImage.set(key, [cls]);
    } else {
      if (list.length >= CANDIDATES) list.shift();
      list.push(cls);
    }
  } else {
    cls = newClass(pod, spec, annotations);
  }
  pod.cls = cls;
  return cls;
}

function newClass(pod: PodRef, spec: any, annotations: any): PodClass {
  const local: any = {};
  for (let i = 0; i < POD_LOCAL_FIELDS.length; i++) {
    const f = POD_LOCAL_FIELDS[i];
    const v = spec[f];
    if (v !== undefined) local[f] = v;
  }
  const meta = annotations === undefined ? EMPTY : { annotations };
  const top: any[] = [];
  for (let i = 0; i < POD_LOCAL_FIELDS.length; i++) top.push(local[POD_LOCAL_FIELDS[i]]);
  top.push(annotations);
  return { view: podRef(local, pod.path, meta, pod.metaPath, undefined), shape: shapeOf(top, 0)!, results: [], quiet: undefined };
}

/** The image of the first container (any value), or undefined. */
function firstImage(containers: any): unknown {
  if (!Array.isArray(containers) || containers.length === 0) return undefined;
  const c = containers[0];
  return c !== null && typeof c === 'object' ? c.image : undefined;
}

/**
 * A class view's data laid out for comparisons: for a plain object its prototype, its keys in for-in order and
 * its values in that order; for an array its items and which indexes are present; for each value that is itself an
 * array or a plain object, that value's Shape. Comparing a pod with a class then reads the pod's values only (in
 * its own for-in loops) and the class's from arrays, instead of looking the class's values up by key.
 */
interface Shape {
  /** The keys of an object, undefined for an array. */
  readonly keys: string[] | undefined;
  readonly proto: object | null;
  readonly vals: any[];
  /** By position: the Shape of an array or plain-object value, undefined for any other value. */
  readonly kids: Array<Shape | undefined>;
  /** By index, for an array: whether the index is present (read only where the item is undefined). */
  readonly has: boolean[] | undefined;
}

/** Deeper than this, a value is compared by identity only (a pod that deep gets its own class: same results). */
const MAX_SHAPE_DEPTH = 64;

/** The Shape of an array or plain object (see `sameData`), or undefined for any other value. */
function shapeOf(x: any, depth: number): Shape | undefined {
  if (x === null || typeof x !== 'object' || depth > MAX_SHAPE_DEPTH) return undefined;
  const vals: any[] = [];
  const kids: Array<Shape | undefined> = [];
  if (Array.isArray(x)) {
    const has: boolean[] = [];
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      vals.push(v);
      has.push(i in x);
      kids.push(shapeOf(v, depth + 1));
    }
    return { keys: undefined, proto: null, vals, kids, has };
  }
  const proto = Object.getPrototypeOf(x);
  if (proto !== Object.prototype && proto !== null) return undefined;
  const keys: string[] = [];
  for (const k in x) {
    const v = x[k];
    keys.push(k);
    vals.push(v);
    kids.push(shapeOf(v, depth + 1));
  }
  return { keys, proto, vals, kids, has: undefined };
}

/** True when the pod-local fields of `spec` and `annotations` equal those of a class (see `sameData`). */
function sameAsClass(shape: Shape, spec: any, annotations: any): boolean {
  const vals = shape.vals;
  const kids = shape.kids;
  const n = POD_LOCAL_FIELDS.length;
  for (let i = 0; i < n; i++) {
    if (!sameAsShaped(vals[i], kids[i], spec[POD_LOCAL_FIELDS[i]])) return false;
  }
  return sameAsShaped(vals[n], kids[n], annotations);
}

/** `sameData(x, y)` where `kid` is the Shape of `x` (undefined when x is no array or plain object). */
function sameAsShaped(x: any, kid: Shape | undefined, y: any): boolean {
  if (x === y) return x !== 0 || 1 / x === 1 / y;
  return kid !== undefined && y !== null && typeof y === 'object' && sameShape(kid, y);
}

/** `sameData` of a shaped value and the object `b`. */
function sameShape(s: Shape, b: any): boolean {
  const vals = s.vals;
  const kids = s.kids;
  const keys = s.keys;
  if (keys === undefined) {
    if (!Array.isArray(b)) return false;
    const n = vals.length;
    if (b.length !== n) return false;
    for (let i = 0; i < n; i++) {
      const x = vals[i];
      const y = b[i];
      if (x === y) {
        if (x === undefined ? s.has![i] !== (i in b) : x === 0 && 1 / x !== 1 / y) return false;
        continue;
      }
      const kid = kids[i];
      if (kid === undefined || y === null || typeof y !== 'object' || !sameShape(kid, y)) return false;
    }
    return true;
  }
  if (Array.isArray(b) || Object.getPrototypeOf(b) !== s.proto) return false;
  const n = keys.length;
  let m = 0;
  for (const k in b) {
    if (m >= n || keys[m] !== k) return false;
    const y = b[k];
    const x = vals[m];
    if (x === y) {
      if (x === 0 && 1 / x !== 1 / y) return false;
    } else {
      const kid = kids[m];
      if (kid === undefined || y === null || typeof y !== 'object' || !sameShape(kid, y)) return false;
    }
    m++;
  }
  return m === n;
}

/** The keys of the objects being compared, outer objects first (reused: no allocation per comparison). */
const KEYS: string[] = [];
let top = 0;

/**
 * True when `a` and `b` hold the same data, so that rule code reading them cannot tell them apart: equal
 * primitives (NaN equals nothing, 0 and -0 differ), arrays of the same length with the same holes and equal
 * items, and plain objects (prototype Object.prototype or null) with the same enumerable keys in the same order
 * and equal values. Anything else (a class instance, a function) equals only itself.
 */
export function sameData(a: any, b: any): boolean {
  if (a === b) return typeof a !== 'number' || a !== 0 || 1 / a === 1 / b;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  return sameObject(a, b);
}

/** `sameData` of two objects; equal leaves are compared in place (most of a pod's values are strings and numbers). */
function sameObject(a: any, b: any): boolean {
  if (Array.isArray(a)) {
    if (!Array.isArray(b)) return false;
    const n = a.length;
    if (b.length !== n) return false;
    for (let i = 0; i < n; i++) {
      const x = a[i];
      const y = b[i];
      if (x === y) {
        if (x === undefined ? (i in a) !== (i in b) : x === 0 && 1 / x !== 1 / y) return false;
        continue;
      }
      if (x === null || y === null || typeof x !== 'object' || typeof y !== 'object' || !sameObject(x, y)) return false;
    }
    return true;
  }
  if (Array.isArray(b)) return false;
  const proto = Object.getPrototypeOf(a);
  if (proto !== Object.getPrototypeOf(b) || (proto !== Object.prototype && proto !== null)) return false;
  // a's keys in order, then b's compared with them while reading b's values (reading each object's values in its
  // own for-in loop is the fast path engines have for keyed reads)
  const base = top;
  let n = 0;
  for (const k in a) KEYS[base + n++] = k;
  top = base + n;
  let m = 0;
  for (const k in b) {
    if (m >= n || KEYS[base + m] !== k) {
      top = base;
      return false;
    }
    m++;
    const y = b[k];
    const x = a[k];
    if (x === y) {
      if (x === 0 && 1 / x !== 1 / y) {
        top = base;
        return false;
      }
      continue;
    }
    if (x === null || y === null || typeof x !== 'object' || typeof y !== 'object' || !sameObject(x, y)) {
      top = base;
      return false;
    }
  }
  top = base;
  return m === n;
}

/**
 * A line for stderr naming the documents that hold a pod template (`spec.template.spec.containers`, or a CronJob-like
 * `spec.jobTemplate.spec.template.spec.containers`) in a kind the Kubernetes pack's pod rules do not read (an Argo
 * Rollout, a Knative Service, a KEDA ScaledJob...), so a clean result is not read as "those pods were checked".
 * `ownPack` says how a pack of one's own is added. Undefined when there is none.
 */
export function uncheckedPodTemplates(objects: readonly { readonly manifest: any }[], ownPack: string): string | undefined {
  const byKind = new Map<string, string[]>();
  for (let i = 0; i < objects.length; i++) {
    const m = objects[i].manifest;
    if (foreignPodOf(m) === undefined) continue;
    const key = `${String(m.kind)}${typeof m.apiVersion === 'string' ? ` (${m.apiVersion})` : ''}`;
    const meta = o(m.metadata);
    const name = typeof meta.name !== 'string' ? '(no name)' : typeof meta.namespace === 'string' ? `${meta.namespace}/${meta.name}` : meta.name;
    const list = byKind.get(key);
    if (list) list.push(name); else byKind.set(key, [name]);
  }
  if (byKind.size === 0) return undefined;
  const count = [...byKind.values()].reduce((n, l) => n + l.length, 0);
  const kinds = [...byKind].map(([kind, names]) => `${kind}: ${names.slice(0, 3).join(', ')}${names.length > 3 ? `, and ${names.length - 3} more` : ''}`);
  return `${count === 1 ? 'a document holds' : `${count} documents hold`} a pod template in a kind the Kubernetes pack does not know (${kinds.join('; ')}): `
    + `the pod rules (security context, resources, probes, images...) did not check ${count === 1 ? 'its' : 'their'} pods; `
    + `check the pod spec as a kind the pack reads (a Deployment or Pod holding the same template), or with a rule pack of your own (${ownPack})`;
}

/**
 * The pod template of a document of a kind the pod rules do not read (an Argo Rollout, a Knative Revision...) that
 * holds one at `spec.template` (with the workload's `spec.selector`) or `spec.jobTemplate.spec.template`, with a
 * list of containers; undefined for any other document (of a pod kind, or without such a template). The pod rules do
 * not check it (`uncheckedPodTemplates` says so), but its pods are pods: the label relations count them, so a
 * Service, PodDisruptionBudget or NetworkPolicy selecting them selects pods.
 */
export function foreignPodOf(m: any): PodRef | undefined {
  if (m === null || typeof m !== 'object') return undefined;
  const spec = m.spec;
  // most objects hold no template at all: two reads, before any call
  if (spec === null || typeof spec !== 'object' || (spec.template === undefined && spec.jobTemplate === undefined)) return undefined;
  if (Array.isArray(m) || Array.isArray(spec) || POD_KIND_SET.has(m.kind)) return undefined;
  const [template, at, selector] = isObj(spec.template) ? [spec.template, 'spec.template', spec.selector]
    : [o(o(o(spec.jobTemplate).spec).template), 'spec.jobTemplate.spec.template', undefined];
  if (!Array.isArray(o(template.spec).containers)) return undefined;
  return podRef(template.spec, `${at}.spec`, o(template.metadata), `${at}.metadata`, selector);
}
