// Internal: suppressions carried by the objects themselves, as annotations. Not re-exported by the barrel.
//
// A suppression made in code (`Policy.suppress`) is written onto every object whose finding it silenced, as
// `suppress.shipshape.io/<rule id>: "<reason>"`, so that `shipshape check` on the synthesized YAML gives exactly
// the findings synth gave. The same annotation, written by hand on an object, suppresses the rule on that object
// at synth and in the CLI alike.
import { Finding, Suppression } from './finding';
import { covers, SUPPRESSION_ORIGINS, unsuppressible } from './internal';

/** Annotation prefix that suppresses a rule on one object: `suppress.shipshape.io/SS-K8S-012: "<reason>"`. */
export const SUPPRESS_ANNOTATION_PREFIX = 'suppress.shipshape.io/';
/** Minimum length of a suppression reason. */
export const MIN_REASON = 10;

/** The annotations map of a manifest, or undefined. */
function annotationsOf(manifest: any): { [key: string]: unknown } | undefined {
  const meta = manifest && typeof manifest === 'object' ? manifest.metadata : undefined;
  const ann = meta && typeof meta === 'object' ? meta.annotations : undefined;
  return ann && typeof ann === 'object' && !Array.isArray(ann) ? ann : undefined;
}

/**
 * The metadata of a workload's pod template (`spec.template.metadata`; a CronJob's
 * `spec.jobTemplate.spec.template.metadata`), or undefined when there is none.
 */
export function podTemplateMetadata(manifest: any): any {
  const spec = manifest !== null && typeof manifest === 'object' ? manifest.spec : undefined;
  if (spec === null || typeof spec !== 'object') return undefined;
  const t = manifest.kind === 'CronJob' ? spec.jobTemplate?.spec?.template : spec.template;
  return t !== null && typeof t === 'object' && t.metadata !== null && typeof t.metadata === 'object' ? t.metadata : undefined;
}

/** Where the pod template's annotations of `manifest` sit, as a JSON path. */
export function podTemplateAnnotationsPath(manifest: any): string {
  return manifest?.kind === 'CronJob' ? 'spec.jobTemplate.spec.template.metadata.annotations' : 'spec.template.metadata.annotations';
}

/**
 * True when a manifest has `metadata.annotations` or annotations on its pod template: the only places
 * suppressions (`annotationSuppressions`) and the peers' exemptions are read from. Most objects have neither.
 */
export function carriesAnnotations(manifest: any): boolean {
  if (manifest === null || typeof manifest !== 'object') return false;
  const meta = manifest.metadata;
  if (meta !== null && typeof meta === 'object' && meta.annotations !== undefined) return true;
  const t = podTemplateMetadata(manifest);
  return t !== undefined && t.annotations !== undefined;
}

/** The annotation key without the rule id (`suppress.shipshape.io`), which names no rule. */
const SUPPRESS_ANNOTATION_BARE = SUPPRESS_ANNOTATION_PREFIX.slice(0, -1);
/** The fix of an annotation that names no rule, or several in one key. */
const ONE_PER_RULE = `one annotation per rule: ${SUPPRESS_ANNOTATION_PREFIX}<RULE-ID>: <reason>`;

/**
 * A suppression annotation that counts as none: its reason is too short, its key names no rule
 * (`suppress.shipshape.io: "SS-K8S-037 ..."`), or several rules in one key (`suppress.shipshape.io/SS-K8S-037,SS-K8S-034`).
 */
export interface BadSuppressionAnnotation {
  readonly key: string;
  readonly value: unknown;
  /** Where it sits: `metadata.annotations["<key>"]`, or the pod template's. */
  readonly jsonPath: string;
  /** What is wrong with it (a finding's message, reported as SS-POLICY-003). */
  readonly message: string;
  /** How to write it instead. */
  readonly fix: string;
}

/** Why `key` (a `suppress.shipshape.io` key) and `value` make no suppression, and the fix; undefined for a good one. */
function badSuppression(key: string, value: unknown): { message: string; fix: string } | undefined {
  const id = key === SUPPRESS_ANNOTATION_BARE ? '' : key.slice(SUPPRESS_ANNOTATION_PREFIX.length);
  const ids = id.split(/[\s,;|+]+/).filter(x => x !== '');
  if (ids.length === 0) {
    // the rule id written into the value instead (`suppress.shipshape.io: "SS-K8S-037 one replica is enough"`)
    const lead = typeof value === 'string' ? /^\s*([A-Za-z][A-Za-z0-9_.-]*-[0-9]+)\b[\s:,-]*/.exec(value) : null;
    const example = lead ? ` (here ${SUPPRESS_ANNOTATION_PREFIX}${lead[1]}: ${JSON.stringify(String(value).slice(lead[0].length).trim() || '...')})` : '';
    return {
      message: `annotation ${key} names no rule: the rule id goes into the key, after ${SUPPRESS_ANNOTATION_PREFIX}, so it suppresses nothing`,
      fix: ONE_PER_RULE + example,
    };
  }
  if (/[\s,;|+]/.test(id)) {
    // the API refuses such a key too: the name part of an annotation key is letters, digits, '-', '_' and '.'
    const refused = '(and the API refuses the key: the name of an annotation holds only letters, digits, "-", "_" and ".")';
    return ids.length > 1 ? {
      message: `annotation ${key} names ${ids.length} rules (${ids.join(', ')}) in one key, so it suppresses none of them ${refused}`,
      fix: `${ONE_PER_RULE} (here ${ids.map(x => `${SUPPRESS_ANNOTATION_PREFIX}${x}`).join(' and ')}, each with its reason)`,
    } : {
      message: `annotation ${key} has a separator in its rule id (${JSON.stringify(id)}), so it suppresses nothing ${refused}`,
      fix: `${ONE_PER_RULE} (here ${SUPPRESS_ANNOTATION_PREFIX}${ids[0]})`,
    };
  }
  const engine = unsuppressible(key.slice(SUPPRESS_ANNOTATION_PREFIX.length));
  if (engine !== undefined) {
    return { message: `annotation ${key} names a finding of the policy engine, which cannot be suppressed: ${engine.slice(0, engine.indexOf(':'))}`, fix: engine.slice(engine.indexOf(':') + 2) };
  }
  const reason = typeof value === 'string' ? value.trim() : '';
  if (reason.length < MIN_REASON) {
    return {
      message: `annotation ${key} needs a reason of at least ${MIN_REASON} characters (got ${JSON.stringify(value)})`,
      fix: 'say in the annotation value why the rule does not apply to this object',
    };
  }
  return undefined;
}

/**
 * The suppressions an object carries in `suppress.shipshape.io/<rule id>` annotations, scoped to `docPath`: on its
 * metadata and, for a workload, on its pod template's metadata (where a Helm chart's `podAnnotations` put them; a
 * key on both counts once, the object's). Each silences the rule on the whole object. Annotations whose reason is
 * shorter than `MIN_REASON`, and `suppress.shipshape.io` keys that name no rule or several, are returned in `bad`.
 */
export function annotationSuppressions(manifest: any, docPath: string): { suppressions: Suppression[]; bad: BadSuppressionAnnotation[] } {
  const own = annotationsOf(manifest);
  const template = annotationsOf({ metadata: podTemplateMetadata(manifest) });
  // most annotated objects carry no suppression (a checksum, a peer's exemption): nothing to build
  if (!hasSuppressionKey(own) && !hasSuppressionKey(template)) return NONE_CARRIED;
  const suppressions: Suppression[] = [];
  const bad: BadSuppressionAnnotation[] = [];
  const read = (ann: { [key: string]: unknown }, where: string, skip?: { [key: string]: unknown }) => {
    for (const key of Object.keys(ann)) {
      if (!(key.startsWith(SUPPRESS_ANNOTATION_PREFIX) || key === SUPPRESS_ANNOTATION_BARE) || (skip !== undefined && key in skip)) continue;
      const value = ann[key];
      const reason = typeof value === 'string' ? value.trim() : '';
      const jsonPath = `${where}["${key}"]`;
      const why = badSuppression(key, value);
      if (why !== undefined) {
        bad.push({ key, value, jsonPath, ...why });
        continue;
      }
      const s: Suppression = { ruleId: key.slice(SUPPRESS_ANNOTATION_PREFIX.length), reason, path: docPath };
      const meta = manifest.metadata !== null && typeof manifest.metadata === 'object' ? manifest.metadata : {};
      SUPPRESSION_ORIGINS.set(s, {
        jsonPath,
        kind: typeof manifest.kind === 'string' && manifest.kind !== '' ? manifest.kind : 'Suppression',
        ...(typeof meta.name === 'string' ? { name: meta.name } : {}),
        ...(typeof meta.namespace === 'string' ? { namespace: meta.namespace } : {}),
      });
      suppressions.push(s);
    }
  };
  if (own) read(own, 'metadata.annotations');
  if (template) read(template, podTemplateAnnotationsPath(manifest), own);
  return { suppressions, bad };
}

/** True when `ann` holds a `suppress.shipshape.io` key (with or without a rule id). */
function hasSuppressionKey(ann: { [key: string]: unknown } | undefined): boolean {
  if (ann === undefined) return false;
  for (const key in ann) {
    if (key.startsWith(SUPPRESS_ANNOTATION_BARE) && Object.prototype.hasOwnProperty.call(ann, key)) return true;
  }
  return false;
}

/** What an object without a suppression annotation carries (shared: read only). */
const NONE_CARRIED: { suppressions: Suppression[]; bad: BadSuppressionAnnotation[] } = Object.freeze({
  suppressions: Object.freeze([]) as unknown as Suppression[],
  bad: Object.freeze([]) as unknown as BadSuppressionAnnotation[],
});

/** An object as the synth handed it to the policy check. */
export interface CarriedObject {
  readonly manifest: any;
  readonly path: string;
}

/**
 * Writes each code suppression onto the objects it applies to (`suppress.shipshape.io/<rule id>: <reason>`):
 * every object with a finding it silenced, and, for a suppression that silenced nothing (reported as stale),
 * the first object it covers, so the CLI reports the same stale suppression. Manifests are changed in place.
 */
export function carrySuppressions(findings: readonly Finding[], codeSuppressions: readonly Suppression[], objects: readonly CarriedObject[]): void {
  const byPath = new Map<string, CarriedObject[]>();
  for (const o of objects) {
    const list = byPath.get(o.path);
    if (list) list.push(o); else byPath.set(o.path, [o]);
  }
  const code = new Set(codeSuppressions);
  const used = new Set<Suppression>();
  for (const f of findings) {
    const s = f.suppression;
    if (!s || !code.has(s)) continue;
    used.add(s);
    const target = (byPath.get(f.path) ?? []).find(o => sameObject(o.manifest, f));
    if (target) annotate(target.manifest, s);
  }
  for (const s of codeSuppressions) {
    if (used.has(s)) continue;
    const first = objects.find(o => o.manifest && covers(s.path, o.path));
    if (first) annotate(first.manifest, s);
  }
}

function sameObject(manifest: any, f: Finding): boolean {
  if (!manifest || typeof manifest !== 'object') return false;
  const meta = manifest.metadata ?? {};
  return String(manifest.kind ?? '') === f.kind && meta.name === f.name && meta.namespace === f.namespace;
}

function annotate(manifest: any, s: Suppression): void {
  if (!manifest || typeof manifest !== 'object') return;
  const meta = manifest.metadata && typeof manifest.metadata === 'object' ? manifest.metadata : (manifest.metadata = {});
  const ann = meta.annotations && typeof meta.annotations === 'object' ? meta.annotations : (meta.annotations = {});
  const key = SUPPRESS_ANNOTATION_PREFIX + s.ruleId;
  if (ann[key] === undefined) ann[key] = s.reason;
}
