// Internal helpers of the policy engine. Not re-exported by the barrel.
import { Finding, Suppression } from './finding';
import type { RuleInfo } from './report';
import { PolicyDocument, Severity } from './rule';
import { Validators } from '../core/validators';

/** Rule id of the finding reported for a suppression that matched no finding. */
export const STALE_SUPPRESSION_RULE_ID = 'SS-POLICY-001';
/** Rule id of the finding reported when a rule throws on a document (a malformed document). */
export const RULE_CRASHED_RULE_ID = 'SS-POLICY-002';
/** Rule id of the finding reported for an input document that cannot be checked (CLI). */
export const BAD_INPUT_RULE_ID = 'SS-POLICY-003';
/** Rule id of the finding reported for a suppression of a rule that no pack of the check has (a typo). */
export const UNKNOWN_RULE_SUPPRESSION_RULE_ID = 'SS-POLICY-004';
/** Rule id of the finding reported for an object that the input holds twice (CLI). */
export const DUPLICATE_OBJECT_RULE_ID = 'SS-POLICY-005';
/** `shipshape check`: a host port two pods would take on one node, or a port of the node itself. */
export const HOST_PORT_RULE_ID = 'SS-POLICY-006';
/** `shipshape check`: one host and path routed twice, or one TLS Secret written for two host sets. */
export const TRAFFIC_CONFLICT_RULE_ID = 'SS-POLICY-007';
/** `shipshape check`: a value (or key) that is an unresolved cdktf / AWS CDK token. */
export const UNRESOLVED_TOKEN_RULE_ID = 'SS-POLICY-008';
/** Rule id of the finding reported for a suppressed finding that Pod Security admission refuses anyway (the namespace enforces a level the pods break). */
export const ADMISSION_REFUSAL_RULE_ID = 'SS-POLICY-009';

/** The synthetic rules the engine itself reports, for SARIF `rules` and the JSON report. */
export const ENGINE_RULES = [
  {
    id: STALE_SUPPRESSION_RULE_ID,
    severity: 'warning',
    message: 'A suppression matches no finding',
    fix: 'remove the suppression, or fix its rule id or its scope',
    pack: 'engine',
  },
  {
    id: RULE_CRASHED_RULE_ID,
    severity: 'error',
    message: 'A rule could not check a document (it threw)',
    fix: 'check that the document has the shape its kind requires; if it does, the rule has a bug (fix your own rule, or report one of shipshape\'s)',
    pack: 'engine',
  },
  {
    id: BAD_INPUT_RULE_ID,
    severity: 'error',
    message: 'An input document cannot be checked (not YAML, not an object, or no kind)',
    fix: 'fix the file so every document is a Kubernetes object with apiVersion and kind',
    pack: 'engine',
  },
  {
    id: UNKNOWN_RULE_SUPPRESSION_RULE_ID,
    severity: 'error',
    message: 'A suppression names a rule that none of the packs that run has',
    fix: 'fix the rule id, or add the pack that defines the rule to the policy packs',
    pack: 'engine',
  },
  {
    id: DUPLICATE_OBJECT_RULE_ID,
    severity: 'warning',
    message: 'The input holds one object twice (same group, kind, namespace and name)',
    fix: 'check each output (one environment\'s folder, one cluster\'s) in a run of its own: the cluster keeps one object of a name, and the rules that '
      + 'look objects up by name (RBAC bindings, HPA targets, ServiceAccounts) read the first one (or leave the check out: shipshape check --exclude SS-POLICY-005)',
    pack: 'engine',
  },
  {
    id: HOST_PORT_RULE_ID,
    severity: 'warning',
    message: 'Two pods would take one host port on a node (a DaemonSet\'s among them), or a hostNetwork pod takes a port of the node itself',
    fix: 'give one of them another port, or keep them off each other\'s nodes with a nodeSelector; synth refuses the same input as an error '
      + '(a warning here: one run may hold the outputs of several clusters; shipshape check --exclude SS-POLICY-006 leaves it out)',
    pack: 'engine',
  },
  {
    id: TRAFFIC_CONFLICT_RULE_ID,
    severity: 'warning',
    message: 'Two routes serve one host and path (Ingresses of one class, HTTPRoutes on one Gateway listener), or two certificates write one TLS Secret for different hosts',
    fix: 'route each host and path once, and give each set of hosts a Secret of its own; synth refuses the same input as an error '
      + '(a warning here: one run may hold the outputs of several clusters; shipshape check --exclude SS-POLICY-007 leaves it out)',
    pack: 'engine',
  },
  {
    id: UNRESOLVED_TOKEN_RULE_ID,
    severity: 'error',
    message: 'A value is an unresolved cdktf or AWS CDK token (`${TfToken[...]}`, `${Token[...]}`): the cluster would get the placeholder, not the value',
    fix: 'pass a literal known when the YAML is written, or read the value from the Terraform outputs after apply and pass it in; synth refuses the same input',
    pack: 'engine',
  },
  {
    id: ADMISSION_REFUSAL_RULE_ID,
    severity: 'error',
    message: 'A suppressed finding is one Pod Security admission refuses: the namespace enforces a level these pods break',
    fix: 'make the pods comply with the rule, or run them in a namespace whose pod-security.kubernetes.io/enforce label allows them (privileged for '
      + 'what baseline refuses, baseline or privileged for what only restricted refuses; a TeamNamespace always enforces restricted, so a namespace of their own outside the team); '
      + 'suppress SS-POLICY-009 only when the cluster exempts these pods from Pod Security (its admission configuration)',
    pack: 'engine',
  },
];

/**
 * Why a suppression of each engine finding is refused (in code and in annotations): each means something was not
 * checked, or would reach the cluster broken. SS-POLICY-009 alone may be suppressed, where the cluster exempts the pods
 * from Pod Security.
 */
const UNSUPPRESSIBLE: { readonly [id: string]: string } = {
  [STALE_SUPPRESSION_RULE_ID]: 'it reports a suppression that silences nothing: remove that suppression instead',
  [RULE_CRASHED_RULE_ID]: 'it reports a rule that could not check a document, which would otherwise pass unchecked: fix the document, or the rule '
    + '(a rule of your own pack), or leave the rule out of its pack',
  [BAD_INPUT_RULE_ID]: 'it reports input that could not be read or checked: fix the input',
  [UNKNOWN_RULE_SUPPRESSION_RULE_ID]: 'it reports a suppression naming a rule that none of the packs that run has (a typo): correct that suppression\'s id',
  [DUPLICATE_OBJECT_RULE_ID]: 'it reports the input as a whole, and synth refuses the same output as an error: fix the output '
    + '(shipshape check --exclude leaves the warning out of a run over several clusters\' outputs)',
  [HOST_PORT_RULE_ID]: 'it reports the input as a whole, and synth refuses the same output as an error: fix the output '
    + '(shipshape check --exclude leaves the warning out of a run over several clusters\' outputs)',
  [TRAFFIC_CONFLICT_RULE_ID]: 'it reports the input as a whole, and synth refuses the same output as an error: fix the output '
    + '(shipshape check --exclude leaves the warning out of a run over several clusters\' outputs)',
  [UNRESOLVED_TOKEN_RULE_ID]: 'it reports a placeholder the cluster would get instead of the value: pass a literal',
};

/**
 * Why a suppression of `ruleId` can never apply when it names an engine finding other than SS-POLICY-009 (in any case),
 * else undefined.
 */
export function unsuppressible(ruleId: string): string | undefined {
  const id = ruleId.trim().toUpperCase();
  return Object.prototype.hasOwnProperty.call(UNSUPPRESSIBLE, id) ? UNSUPPRESSIBLE[id] : undefined;
}

/**
 * True when a suppression registered at `scopePath` covers a document at `docPath`.
 */
export function covers(scopePath: string, docPath: string): boolean {
  if (scopePath === '') return true;
  if (docPath === scopePath) return true;
  if (!docPath.startsWith(scopePath)) return false;
  const c = docPath.charAt(scopePath.length);
  return c === '/' || c === '#';
}

/** A finding as the scope of a suppression sees it (see `SUPPRESSION_SCOPES`). */
export interface ScopedFinding {
  readonly jsonPath: string;
  readonly kind: string;
  readonly message: string;
  /** The manifest of the document it is on (undefined for a finding on no document). */
  readonly manifest: any;
}

/** Which findings of its rule a suppression covers. */
export type ExemptionScope = (f: ScopedFinding) => boolean;

/**
 * The suppressions that cover part of their rule's findings only: a peer's exemption of a check that stands for part
 * of a shipshape rule (see peers.ts). Any other suppression covers every finding of its rule in its scope.
 */
export const SUPPRESSION_SCOPES = new WeakMap<Suppression, ExemptionScope>();

/**
 * The suppressions of one check, looked up per finding: the most specific (longest scope) suppression of the
 * finding's rule that covers the finding's document wins; of two with the same scope, the first registered.
 * A lookup walks the scopes that can cover the document's path (its prefixes at `/` and `#` boundaries), so
 * it costs the same with ten suppressions as with a hundred thousand (one per checked file).
 */
export class SuppressionTable {
  /** rule id -> scope path -> the suppressions registered with that scope, in registration order */
  private readonly byRule = new Map<string, Map<string, Suppression[]>>();
  private readonly used = new Set<Suppression>();

  constructor(private readonly all: readonly Suppression[]) {
    for (const s of all) {
      let scopes = this.byRule.get(s.ruleId);
      if (!scopes) this.byRule.set(s.ruleId, scopes = new Map());
      const list = scopes.get(s.path);
      if (list) list.push(s); else scopes.set(s.path, [s]);
    }
  }

  /**
   * The suppression that silences rule `ruleId` on the document at `docPath` (and marks it used), or undefined: the
   * first registered at the nearest scope that covers the finding (`jsonPath`, `kind`, `message` and `manifest` are
   * read by a suppression that covers part of its rule only, which covers nothing when they are not given).
   */
  public match(ruleId: string, docPath: string, jsonPath?: string, kind?: string, message?: string, manifest?: any): Suppression | undefined {
    const scopes = this.byRule.get(ruleId);
    if (scopes === undefined) return undefined;
    let s = pick(scopes.get(docPath), jsonPath, kind, message, manifest);
    for (let i = docPath.length - 1; s === undefined && i > 0; i--) {
      const c = docPath.charCodeAt(i);
      if (c === 47 /* / */ || c === 35 /* # */) s = pick(scopes.get(docPath.slice(0, i)), jsonPath, kind, message, manifest);
    }
    if (s === undefined) s = pick(scopes.get(''), jsonPath, kind, message, manifest);
    if (s !== undefined) this.used.add(s);
    return s;
  }

  /** The suppressions that matched no finding, in registration order. */
  public unused(): Suppression[] {
    return this.all.filter(s => !this.used.has(s));
  }
}

/** The first of `list` that covers the finding (see `SuppressionTable.match`). */
function pick(list: Suppression[] | undefined, jsonPath: string | undefined, kind: string | undefined, message: string | undefined, manifest: any): Suppression | undefined {
  if (list === undefined) return undefined;
  for (let i = 0; i < list.length; i++) {
    const s = list[i];
    const part = SUPPRESSION_SCOPES.get(s);
    if (part === undefined) return s;
    if (jsonPath !== undefined && part({ jsonPath, kind: kind ?? '', message: message ?? '', manifest })) return s;
  }
  return undefined;
}

/** The finding that reports a suppression that silenced nothing. */
export function staleFinding(s: Suppression): Finding {
  return {
    ruleId: STALE_SUPPRESSION_RULE_ID,
    severity: Severity.WARNING,
    message: `suppression of ${s.ruleId} matches no finding (reason: ${s.reason.replace(/\s+/g, ' ').trim()})`,
    fix: 'remove the suppression, or fix its rule id or its scope',
    ...suppressionPlace(s),
  };
}

/** Where an object carries a suppression as an annotation: the annotation and the object (see `suppressionPlace`). */
export interface SuppressionOrigin {
  readonly jsonPath: string;
  readonly kind: string;
  readonly name?: string;
  readonly namespace?: string;
}

/** The suppressions read from annotations, and where (set by annotations.ts). */
export const SUPPRESSION_ORIGINS = new WeakMap<Suppression, SuppressionOrigin>();

/**
 * Where a finding about suppression `s` (stale, or naming an unknown rule) is reported: at its annotation on the object
 * that carries it, or, for one made in code, at its construct path (kind `Suppression`).
 */
export function suppressionPlace(s: Suppression): Pick<Finding, 'path' | 'jsonPath' | 'kind' | 'name' | 'namespace'> {
  const origin = SUPPRESSION_ORIGINS.get(s);
  const path = s.path || '<root>';
  if (origin === undefined) return { path, jsonPath: '', kind: 'Suppression' };
  return {
    path,
    jsonPath: origin.jsonPath,
    kind: origin.kind,
    ...(origin.name !== undefined ? { name: origin.name } : {}),
    ...(origin.namespace !== undefined ? { namespace: origin.namespace } : {}),
  };
}

const JSII_RTTI = Symbol.for('jsii.rtti');

/**
 * True when `x` is a cdk8s `App` (a subclass such as `k8s.App` included), from this copy of cdk8s or another one.
 * cdk8s offers `Chart.isChart` and `ApiObject.isApiObject` but no `App.isApp`: the jsii type information that
 * cdk8s' classes carry (`Symbol.for('jsii.rtti')`) names the class, whichever copy defined it.
 */
export function isCdk8sApp(x: any): boolean {
  if (x === null || typeof x !== 'object') return false;
  for (let p = Object.getPrototypeOf(x); p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    if (p.constructor?.[JSII_RTTI]?.fqn === 'cdk8s.App') return true;
  }
  return false;
}

/** The finding of `rule` at `jsonPath` of `doc` (with `message`, else the rule's own). */
export function findingFor(doc: PolicyDocument, rule: RuleInfo, jsonPath: string, message?: string): Finding {
  const f: any = {
    ruleId: rule.id,
    severity: rule.severity,
    message: message ?? rule.message,
    fix: rule.fix,
    path: doc.path,
    jsonPath,
    kind: doc.kind,
  };
  if (doc.name !== undefined) f.name = doc.name;
  if (doc.namespace !== undefined) f.namespace = doc.namespace;
  if (doc.file !== undefined) f.file = doc.file;
  if (doc.index !== undefined) f.index = doc.index;
  if (doc.line !== undefined) f.line = doc.line;
  return f as Finding;
}

/**
 * What a rule id looks like: a letter, then at most 62 letters, digits, `-`, `_` and `.`, ending with a letter or digit.
 * The id names the suppression annotation (`suppress.shipshape.io/<id>`), a label-key name, so an id outside this
 * shape could never be suppressed.
 */
export const RULE_ID = /^[A-Za-z]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?$/;

/** The shape of a rule id in words, for errors. */
export const RULE_ID_SHAPE = "a letter, then at most 62 letters, digits, '-', '_' and '.', ending with a letter or digit";

/**
 * The id of `known` that `ruleId` is a slip of, else undefined: the only suggestion an error about an unknown rule id
 * makes (`did you mean ...?`). Ids that end with a number are compared by parts: a slip keeps the number (ACME-01 for
 * ACME-001, SS-K8S-10 for SS-K8S-010) and misspells the prefix by at most 2 characters (AMCE-001) or its case
 * (acme-001); another number is another rule (ACME-003 is no slip of ACME-001, SS-K8S-999 of none). Other ids are a
 * slip of an id a few characters off (at most 2, or a quarter of the id). An id of another pack (`ACME-001` among
 * `SS-K8S-...`) is no slip of any.
 */
export function nearRuleId(ruleId: string, known: readonly string[]): string | undefined {
  if (known.length === 0) return undefined;
  const exact = known.find(k => k.toLowerCase() === ruleId.toLowerCase());
  if (exact !== undefined) return exact;
  const parts = numbered(ruleId);
  if (parts !== undefined) {
    const candidates = known.map(k => ({ k, p: numbered(k) })).filter(x => x.p !== undefined && x.p.n === parts.n)
      .map(x => ({ k: x.k, d: Validators._editDistance(parts.prefix, x.p!.prefix) })).filter(x => x.d <= 2).sort((a, b) => a.d - b.d);
    if (candidates.length > 0) return candidates[0].k;
    // a numbered id near only ids of other numbers names another rule, not a slip of one
    if (known.some(k => numbered(k) !== undefined)) return undefined;
  }
  const closest = Validators._closest(ruleId, [...known]);
  return Validators._editDistance(ruleId.toUpperCase(), closest.toUpperCase()) <= Math.max(2, Math.floor(closest.length / 4)) ? closest : undefined;
}

/** An id's prefix (upper case, without the separator) and number (`ACME-001` -> ACME, 1), or undefined without a number. */
function numbered(id: string): { prefix: string; n: number } | undefined {
  const m = /^(.*?)[-_.]?([0-9]+)$/.exec(id);
  return m === null || m[1] === '' ? undefined : { prefix: m[1].toUpperCase(), n: Number(m[2]) };
}

/**
 * The prefix of a rule id, in upper case: what comes before its number and the separator before it (`ACME` of
 * `ACME-001`, `SS-K8S` of `SS-K8S-012`); undefined for an id that does not end with a number.
 */
export function ruleIdPrefix(ruleId: string): string | undefined {
  const m = /^(.*?)[-_.]?[0-9]+$/.exec(ruleId);
  return m !== null && m[1] !== '' ? m[1].toUpperCase() : undefined;
}

/**
 * What a pack name looks like: a lower-case letter, then at most 62 lower-case letters, digits and `-`, ending with a
 * letter or digit (as an npm package name without a scope). Reports, SARIF tags, the output record and
 * `Policy.suppress(..., { pack })` name the pack by it.
 */
export const PACK_NAME = /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** The shape of a pack name in words, for errors. */
export const PACK_NAME_SHAPE = "a lower-case letter, then at most 62 lower-case letters, digits and '-', ending with a letter or digit";

/**
 * The pack names shipshape uses itself, and what for: a pack of your own with one of them would mix with shipshape's
 * in the reports. `kubernetes` and `terraform` are the names of shipshape's own packs (allowed for them only).
 */
export const RESERVED_PACK_NAMES: ReadonlyMap<string, string> = new Map([
  ['engine', 'the pack of the findings shipshape\'s engine makes itself (SS-POLICY-...) in reports and SARIF tags'],
  ['kubernetes', 'the name of shipshape\'s Kubernetes pack (KubernetesPack)'],
  ['terraform', 'the name of shipshape\'s Terraform pack (TerraformPack)'],
  ['unknown', 'the pack reports give a rule they know nothing of'],
  ['shipshape', 'a SARIF tag of every rule'],
  ['security', 'a SARIF tag of shipshape\'s security rules (code scanning ranks rules with that tag as security alerts)'],
  ['reliability', 'a SARIF tag of shipshape\'s reliability rules'],
]);

/** True for the ids of shipshape's own rules and engine findings (`SS-K8S-...`, `SS-EKS-...`, `SS-POLICY-...`). */
export function isBuiltInRuleId(ruleId: string): boolean {
  return ruleId.startsWith('SS-');
}

/** The value at a finding's JSON path (`spec.template.spec.containers[0].ports[1].hostPort`, `...annotations["a/b"]`), or undefined. */
export function valueAt(root: any, jsonPath: string): unknown {
  let v = root;
  const steps = /([^.[\]]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/g;
  let m: RegExpExecArray | null;
  while ((m = steps.exec(jsonPath)) !== null) {
    if (v === null || typeof v !== 'object') return undefined;
    v = v[m[1] ?? (m[2] !== undefined ? Number(m[2]) : JSON.parse(`"${m[3]}"`))];
  }
  return v;
}
