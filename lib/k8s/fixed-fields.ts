// Internal: the fields of StatefulSets and Jobs that the API server refuses to change once the object exists.
//
// Each synth records a short fingerprint of them in the output folder's record (`.shipshape/output.json`); the next
// synth into the folder compares, and says when an object keeps its name but changes one (a new volume size, a
// StatefulSet's pod management policy, a Job's image under the same name). Applying that output would fail:
// `kubectl apply` and an Argo CD sync get "field is immutable" / "updates to statefulset spec for fields other than
// ... are forbidden". A note, not an error: the user may have deleted the object on purpose first (the documented
// way to grow volumes), and the cluster may no longer have it (a Job its TTL removed).
import { createHash } from 'crypto';

/** Fingerprints by object (`<kind> <namespace>/<name>`), then by field path. */
export type FixedFields = { [object: string]: { [field: string]: string } };

interface FixedField {
  readonly path: string;
  /** The field's value as the API server compares it (defaults filled in where an absent field means one). */
  readonly value: (manifest: any) => unknown;
  /** What to do instead, for the note. */
  readonly fix: (kind: string, ns: string, name: string) => string;
}

const orphan = (kind: string, ns: string, name: string) =>
  `put it back, or delete the ${kind} but not its pods and claims before applying (kubectl delete ${kind.toLowerCase()} ${name}${ns ? ` -n ${ns}` : ''} --cascade=orphan): the next apply creates it anew and it adopts them`;

const FIELDS: { [kind: string]: FixedField[] } = {
  StatefulSet: [
    { path: 'spec.selector', value: m => m?.spec?.selector, fix: orphan },
    { path: 'spec.serviceName', value: m => m?.spec?.serviceName, fix: orphan },
    { path: 'spec.podManagementPolicy', value: m => m?.spec?.podManagementPolicy ?? 'OrderedReady', fix: orphan },
    {
      path: 'spec.volumeClaimTemplates',
      value: m => m?.spec?.volumeClaimTemplates ?? [],
      fix: (kind, ns, name) => `${orphan(kind, ns, name)}; a claim that exists keeps its size and class: to grow a volume, resize each replica's claim `
        + '(kubectl patch pvc, which its StorageClass must allow: allowVolumeExpansion) before that; a claim never shrinks, and only replicas added later '
        + 'get a smaller size (see VolumeClaim.size)',
    },
  ],
  Job: [
    { path: 'spec.selector', value: m => m?.spec?.selector, fix: (_k, ns, name) => `give the Job a new name, or delete Job ${name}${ns ? ` -n ${ns}` : ''} before applying` },
    {
      path: 'spec.template',
      value: m => m?.spec?.template,
      fix: (_k, ns, name) => `give each run's Job its own name (for example with the version in it), or delete Job ${name}${ns ? ` -n ${ns}` : ''} before applying `
        + '(a Job its ttlSecondsAfterFinished already removed is simply created again, and runs again)',
    },
  ],
};

/** JSON with object keys in sorted order, so equal values give equal text whatever order they were built in. */
function canonical(v: unknown): string {
  if (v === undefined) return 'null';
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  const o = v as { [k: string]: unknown };
  return `{${Object.keys(o).filter(k => o[k] !== undefined).sort().map(k => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
}

function fingerprint(v: unknown): string {
  return createHash('sha256').update(canonical(v)).digest('hex').slice(0, 16);
}

/** The key of an object in the record. */
function keyOf(kind: string, ns: string | undefined, name: string): string {
  return `${kind} ${ns ?? ''}/${name}`;
}

/**
 * Whether a Job is an Argo CD hook that deletes its previous run before it is created (a new template is then fine):
 * a hook whose delete policy names BeforeHookCreation, or names none (Argo CD's default is BeforeHookCreation).
 */
function replacedByHook(manifest: any): boolean {
  const a = manifest?.metadata?.annotations ?? {};
  if (typeof a['argocd.argoproj.io/hook'] !== 'string') return false;
  const policy = a['argocd.argoproj.io/hook-delete-policy'];
  return policy === undefined || /BeforeHookCreation/.test(String(policy));
}

/** Collects the fixed fields of an output, object by object, and where each object comes from. */
export class FixedFieldsCollector {
  public readonly fields: FixedFields = {};
  private readonly paths = new Map<string, string>();

  /** Adds one object (any kind: only StatefulSets and Jobs are kept). */
  public add(manifest: any, constructPath: string): void {
    const kind = manifest?.kind;
    if (kind !== 'StatefulSet' && kind !== 'Job') return;
    const name = manifest?.metadata?.name;
    if (typeof name !== 'string' || (kind === 'Job' && replacedByHook(manifest))) return;
    const key = keyOf(kind, manifest?.metadata?.namespace, name);
    const out: { [field: string]: string } = {};
    for (const f of FIELDS[kind]) out[f.path] = fingerprint(f.value(manifest));
    this.fields[key] = out;
    this.paths.set(key, constructPath);
  }

  /**
   * The notes for the objects of this output whose fixed fields differ from those the previous synth recorded (an
   * object new to the folder, or a record without fingerprints, gives none).
   */
  public changesSince(previous: FixedFields | undefined, outdir: string): string[] {
    if (previous === undefined) return [];
    const notes: string[] = [];
    for (const key of Object.keys(this.fields)) {
      const before = previous[key];
      if (before === undefined || before === null || typeof before !== 'object') continue;
      const now = this.fields[key];
      const changed = Object.keys(now).filter(f => typeof before[f] === 'string' && before[f] !== now[f]);
      if (changed.length === 0) continue;
      const [kind, rest] = [key.slice(0, key.indexOf(' ')), key.slice(key.indexOf(' ') + 1)];
      const ns = rest.slice(0, rest.indexOf('/'));
      const name = rest.slice(rest.indexOf('/') + 1);
      const field = FIELDS[kind].find(f => f.path === changed[changed.length - 1])!;
      notes.push(`shipshape: ${this.paths.get(key)}: ${kind} ${rest} changes ${changed.join(', ')} since the last synth into ${outdir}; `
        + `the API server refuses that change to an existing ${kind} (kubectl apply and an Argo CD sync would fail): ${field.fix(kind, ns, name)}\n`);
    }
    return notes;
  }
}

/** The fingerprint of a StatefulSet without volume claim templates (one that keeps no data of its own). */
const NO_CLAIMS = fingerprint([]);

/**
 * Notes on the StatefulSets with volume claims that the previous synth recorded and this output no longer has. Their
 * claims are named after them (`<claim>-<name>-<ordinal>`): a StatefulSet renamed starts on new, empty volumes, and
 * the old claims, with the data, stay in the cluster (unless the old StatefulSet deleted them: `claimsWhenDeleted`).
 * A warning when a StatefulSet new to the folder stands in the same namespace (most likely the same store renamed),
 * else a note.
 */
export function removedStoreNotes(now: FixedFields, previous: FixedFields | undefined, outdir: string): string[] {
  if (previous === undefined) return [];
  const notes: string[] = [];
  const split = (key: string) => {
    const rest = key.slice(key.indexOf(' ') + 1);
    return { ns: rest.slice(0, rest.indexOf('/')), name: rest.slice(rest.indexOf('/') + 1), rest };
  };
  for (const key of Object.keys(previous)) {
    if (!key.startsWith('StatefulSet ') || now[key] !== undefined) continue;
    const claims = previous[key]?.['spec.volumeClaimTemplates'];
    if (typeof claims !== 'string' || claims === NO_CLAIMS) continue;
    const { ns, name, rest } = split(key);
    const claimNames = `<claim>-${name}-<ordinal>`;
    const newcomers = Object.keys(now).filter(k => k.startsWith('StatefulSet ') && previous[k] === undefined && split(k).ns === ns).map(k => split(k).rest);
    if (newcomers.length > 0) {
      const them = newcomers.length === 1 ? `StatefulSet ${newcomers[0]} is` : `StatefulSets ${newcomers.join(', ')} are`;
      notes.push(`shipshape warning: ${outdir}: StatefulSet ${rest}, which an earlier synth wrote with volume claims, is no longer in the output, and ${them} new in `
        + `namespace ${ns || '(none)'}: if one is ${name} renamed, it starts on new, empty volumes (a StatefulSet's claims are named after it), while ${name}'s claims `
        + `(${claimNames}) keep the data in the cluster (unless its claimsWhenDeleted is Delete, when deleting ${name} deletes them); to keep the data, give the `
        + `renamed construct its old name (name: '${name}')\n`);
    } else {
      notes.push(`shipshape note: ${outdir}: StatefulSet ${rest}, which an earlier synth wrote with volume claims, is no longer in the output: applied with pruning it is `
        + `deleted, and its claims (${claimNames}) keep the data in the cluster unless its claimsWhenDeleted is Delete (then they go too, with their volumes where `
        + 'the StorageClass reclaims with Delete); delete the claims by hand once the data is safe\n');
    }
  }
  return notes;
}

/** The fingerprints a record holds, or undefined when it holds none (or something else). */
export function recordedFixedFields(data: any): FixedFields | undefined {
  const f = data?.fixed;
  return f !== null && typeof f === 'object' && !Array.isArray(f) ? f : undefined;
}
