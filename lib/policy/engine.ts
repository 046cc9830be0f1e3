import { AdmissionRefusal, admissionLevels, admissionRefusal, enforcedLevels, refusalFix, refusalMessage } from './admission';
import { MIN_REASON } from './annotations';
import { CLUSTER_SCOPED_KINDS, NAMESPACED_WELL_KNOWN_KINDS } from './cluster-scoped';
import { DocumentIndex } from './document-index';
import { Finding, Suppression } from './finding';
import {
  ADMISSION_REFUSAL_RULE_ID, ENGINE_RULES, findingFor, nearRuleId, PACK_NAME, PACK_NAME_SHAPE, RESERVED_PACK_NAMES, RULE_CRASHED_RULE_ID, RULE_ID, RULE_ID_SHAPE,
  isBuiltInRuleId, ruleIdPrefix, staleFinding, suppressionPlace, SuppressionTable, UNKNOWN_RULE_SUPPRESSION_RULE_ID, unsuppressible,
} from './internal';
import { PolicyReport, RuleInfo } from './report';
import { IRule, IRulePack, PolicyDocument, RuleResult, RuleStatus, Severity, Violation } from './rule';
import { SharedResults, SpecRule } from './spec-rule';


/**
 * Options of one `PolicyEngine.check` run.
 */
export interface CheckOptions {
  /**
   * Suppressions to apply. Each is held to what `Policy.suppress` and the annotations accept (`check` throws
   * otherwise): a rule id, a reason of at least 10 characters, a path, and no engine finding but SS-POLICY-009.
   * @default - none
   */
  readonly suppressions?: Suppression[];
}

/**
 * Configuration of a policy engine.
 */
export interface PolicyEngineProps {
  /** The packs whose rules run. */
  readonly packs: IRulePack[];
}

/**
 * Runs rule packs over a set of documents and produces a report.
 */
export class PolicyEngine {
  /** The packs whose rules run. */
  public readonly packs: IRulePack[];
  private readonly anyKind: IRule[] = [];
  private readonly byKind = new Map<string, IRule[]>();
  private readonly infos: RuleInfo[] = [];
  private readonly packOf = new Map<IRule, string>();
  private readonly infoOf = new Map<IRule, RuleInfo>();
  /** The rules the packs leave out on request (a pack's `_excludedRuleIds`). */
  private readonly excluded = new Set<string>();
  /**
   * The rule ids of each pack that runs (those it leaves out on request included), and of `engine` (the engine's own
   * findings), for the suppressions that name their pack (`Suppression.pack`).
   */
  private readonly idsOfPack = new Map<string, Set<string>>([['engine', new Set(ENGINE_RULES.map(r => r.id))]]);
  /** The rules whose findings Pod Security admission refuses, with the level that refuses them (see admission.ts). */
  private readonly admission: Map<string, number>;

  constructor(props: PolicyEngineProps) {
    this.packs = [...props.packs];
    const seen = new Map<string, string>();
    /** The ids seen so far in upper case, for ids that differ only in case. */
    const seenUpper = new Map<string, string>();
    const packNames = new Set<string>();
    this.packs.forEach((pack, i) => checkPackShape(pack, i));
    for (const pack of this.packs) {
      checkPackName(pack);
      if (packNames.has(pack.name)) {
        throw new Error(`policy: the packs list two packs named ${pack.name}${this.packs.filter(p => p === pack).length > 1 ? ' (the same pack twice)' : ''}; list each pack once, and give a pack of yours a name of its own`);
      }
      packNames.add(pack.name);
      const ids = new Set<string>();
      this.idsOfPack.set(pack.name, ids);
      const left = (pack as { _excludedRuleIds?: unknown })._excludedRuleIds;
      if (Array.isArray(left)) {
        for (const id of left) {
          this.excluded.add(String(id));
          ids.add(String(id));
        }
      }
      for (const rule of pack.rules) {
        if (typeof rule.id !== 'string' || !RULE_ID.test(rule.id)) {
          throw new Error(`policy: rule id ${JSON.stringify(rule.id)} (pack ${pack.name}) is not a rule id: ${RULE_ID_SHAPE} (it names the suppression annotation suppress.shipshape.io/<id>)`);
        }
        checkRuleShape(rule, pack.name);
        const other = seen.get(rule.id);
        if (other !== undefined) {
          throw new Error(`policy: rule id ${rule.id} appears twice (${other === pack.name ? `twice in pack ${pack.name}` : `in packs ${other} and ${pack.name}`}); every rule needs a unique id`);
        }
        // ACME-001 and acme-001: a suppression, a report or a reader cannot tell which is meant (an id in another case is
        // taken as a slip of the known one)
        const sameUpper = seenUpper.get(rule.id.toUpperCase());
        if (sameUpper !== undefined) {
          throw new Error(`policy: rule ids ${sameUpper} and ${rule.id} (pack ${pack.name}) differ only in case; suppressions and reports could not tell them apart: give the rules ids that differ in more than case`);
        }
        seen.set(rule.id, pack.name);
        seenUpper.set(rule.id.toUpperCase(), rule.id);
        ids.add(rule.id);
        this.packOf.set(rule, pack.name);
        const rationale = rule.rationale;
        const help = rule instanceof SpecRule ? undefined : rule.helpUri;
        const info: RuleInfo = {
          id: rule.id,
          severity: rule.severity,
          message: rule.message,
          fix: rule.fix,
          pack: pack.name,
          ...(rationale ? { rationale } : {}),
          ...(help ? { helpUri: help } : {}),
        };
        this.infos.push(info);
        this.infoOf.set(rule, info);
        if (rule.kinds === undefined) {
          this.anyKind.push(rule);
        } else {
          for (const k of rule.kinds) {
            const list = this.byKind.get(k);
            if (list) list.push(rule); else this.byKind.set(k, [rule]);
          }
        }
      }
    }
    this.admission = admissionLevels(this.packs.flatMap(p => p.rules));
  }

  /**
   * Checks `documents` (one whole output) and returns the report.
   */
  public check(documents: PolicyDocument[], options: CheckOptions = {}): PolicyReport {
    const suppressions = options.suppressions ?? [];
    suppressions.forEach(checkSuppression);
    return this._check(documents, suppressions, []);
  }

  /**
   * Same as `check`, plus findings made outside the rules (bad input) and a scope for stale suppressions.
   * @internal
   */
  public _check(documents: PolicyDocument[], suppressions: Suppression[], extra: Finding[], inScope?: (s: Suppression) => boolean): PolicyReport {
    const raw: Finding[] = [...extra];
    // the document of each rule finding (by its index in raw), for the Pod Security refusals below
    const docOf: Array<PolicyDocument | undefined> = new Array(extra.length);
    const index = new DocumentIndex(documents);
    this._evaluate(documents, index, (doc, rule, jsonPath, message) => {
      raw.push(findingFor(doc, rule, jsonPath, message));
      docOf.push(doc);
    });

    // apply suppressions: one that names its pack applies when that pack runs and has the rule; when the pack does
    // not run it is left alone (kept for the runs that include the pack); naming a pack that runs without the rule, or
    // one that does not run for a rule (or a slip of one) of a pack that does, is an error (`_wrongPack`)
    const applied: Suppression[] = [];
    const misplaced: Finding[] = [];
    for (const s of suppressions) {
      if (s.pack === undefined || this.idsOfPack.get(s.pack)?.has(s.ruleId) === true) {
        applied.push(s);
        continue;
      }
      const wrong = this._wrongPack(s);
      if (wrong !== undefined && (!inScope || inScope(s))) misplaced.push(wrong);
    }
    const table = new SuppressionTable(applied);
    const findings: Finding[] = [];
    /** The refusal of each object and rule: where it sits in `findings`, and the refused findings it stands for. */
    const refused = new Map<string, { at: number; count: number; level: number }>();
    for (let i = 0; i < raw.length; i++) {
      const f = raw[i];
      const doc = docOf[i];
      const s = table.match(f.ruleId, f.path, f.jsonPath, f.kind, f.message, doc?.manifest);
      findings.push(s ? { ...f, suppression: s } : f);
      const why = s === undefined || doc === undefined ? undefined : this._admissionRefusal(f.ruleId, doc, f.jsonPath, index);
      if (why === undefined) continue;
      // one per object and rule (a rule may report each container, each volume): it says how many findings it stands for
      const key = `${f.path}\0${f.kind}\0${f.name}\0${f.ruleId}`;
      const known = refused.get(key);
      if (known !== undefined) {
        known.count++;
        known.level = Math.min(known.level, why.level);
        const r = findings[known.at];
        findings[known.at] = { ...r, message: refusalMessage(f.ruleId, why, r.jsonPath, known.count), fix: refusalFix(f.ruleId, known.level) };
        continue;
      }
      refused.set(key, { at: findings.length, count: 1, level: why.level });
      const { suppression: _, ...plain } = f;
      const r: Finding = { ...plain, ruleId: REFUSAL.id, severity: REFUSAL.severity, message: refusalMessage(f.ruleId, why, f.jsonPath, 1), fix: refusalFix(f.ruleId, why.level) };
      const rs = table.match(REFUSAL.id, f.path);
      findings.push(rs ? { ...r, suppression: rs } : r);
    }
    for (const s of table.unused()) {
      if (inScope && !inScope(s)) continue;
      if (this._excludes(s.ruleId)) continue;
      findings.push(this._unknownRule(s) ?? staleFinding(s));
    }
    findings.push(...misplaced);
    return PolicyReport._create(findings, this.infos);
  }

  /**
   * The error for a suppression whose rule is in none of the packs that run (nor an engine rule): a typo, or a
   * pack left out. It names the id, the closest known id and the construct path. Undefined for a known rule.
   * @internal
   */
  public _unknownRule(s: Suppression): Finding | undefined {
    const known = this.knownIds();
    if (known.includes(s.ruleId)) return undefined;
    // a suggestion only when the id is a slip of that one (a few characters off, or the same in another case)
    const closest = nearRuleId(s.ruleId, known);
    // a rule of shipshape's Kubernetes pack while that pack does not run: the fix is the pack, named
    const kubernetesRule = /^SS-K8S-/i.test(s.ruleId) && !this.packs.some(p => p.name === 'kubernetes');
    const fix = kubernetesRule ? `add new KubernetesPack() to the policy packs (${s.ruleId} is a rule of shipshape's Kubernetes pack), or remove the suppression`
      : closest !== undefined ? `write the id as the policy report shows it (${closest}?)${isBuiltInRuleId(s.ruleId.toUpperCase()) ? '' : `, or add the pack that defines ${s.ruleId} to the policy packs`}`
        // SS- ids are shipshape's own: no other pack may define one
        : isBuiltInRuleId(s.ruleId.toUpperCase()) ? `no rule of shipshape has the id ${s.ruleId}: write the id as the policy report shows it, or remove the suppression`
          : `add the pack that defines ${s.ruleId} to the policy packs, or write the id as the policy report shows it`;
    return {
      ruleId: UNKNOWN_RULE_SUPPRESSION_RULE_ID,
      severity: Severity.ERROR,
      message: `suppression of ${s.ruleId} at ${s.path || '<root>'} names a rule that none of the packs that run has (${this.packList()})${closest !== undefined ? `; did you mean ${closest}?` : ''}`,
      fix,
      ...suppressionPlace(s),
    };
  }

  /**
   * The error for a suppression that names its pack (`Suppression.pack`) wrongly, which silences nothing: the id is a
   * rule of another pack that runs, or a slip of a rule of the named pack (ACME-01 for ACME-001). Undefined for one
   * that applies (the pack runs and has the rule), and for one left alone: its pack does not run, or runs without
   * that rule (a pack its user filtered), for the runs that include it.
   * @internal
   */
  public _wrongPack(s: Suppression): Finding | undefined {
    const pack = s.pack;
    if (pack === undefined) return undefined;
    const named = this.idsOfPack.get(pack);
    if (named?.has(s.ruleId)) return undefined;
    const packOfId = (id: string) => [...this.idsOfPack].find(([, ids]) => ids.has(id))?.[0];
    // the id of a rule of another pack that runs: the pack is named wrongly
    const owner = packOfId(s.ruleId);
    // the named pack runs: a slip of one of its ids (ACME-01 for ACME-001) is a typo; another id of it is a rule the pack
    // leaves out (a pack filtered by its user), left alone as for a pack that does not run
    const slip = named !== undefined && owner === undefined ? nearRuleId(s.ruleId, [...named]) : undefined;
    if (owner === undefined && slip === undefined) return undefined;
    const head = `suppression of ${s.ruleId} at ${s.path || '<root>'} names the pack ${pack}, `
      + `${named !== undefined ? `which has no rule ${s.ruleId}` : `which does not run (${this.packList()})`}, so it silences nothing`;
    const [why, fix] = owner !== undefined ? [`; ${s.ruleId} is a rule of the pack ${owner}`, `name the pack that defines the rule (pack: '${owner}'), or leave pack unset`]
      : [`; did you mean ${slip}?`, `write the id as the policy report shows it (${slip}?)`];
    return {
      ruleId: UNKNOWN_RULE_SUPPRESSION_RULE_ID,
      severity: Severity.ERROR,
      message: head + why,
      fix,
      ...suppressionPlace(s),
    };
  }

  /**
   * True when `ruleId` belongs with the packs that run: one of their rules (or the engine's), a slip of one (see
   * `nearRuleId`), or an id with the prefix of one of their rules (`ACME-` of `ACME-001`). A suppression annotation
   * of an unknown id they claim is a typo; one of an id they do not claim may be a rule of a pack that does not run.
   * @internal
   */
  public _claims(ruleId: string): boolean {
    const known = this.knownIds();
    if (known.includes(ruleId) || nearRuleId(ruleId, known) !== undefined) return true;
    const prefix = ruleIdPrefix(ruleId);
    return prefix !== undefined && known.some(id => ruleIdPrefix(id) === prefix);
  }

  /** The ids of the rules that run (those left out on request included) and of the engine's own findings. */
  private knownIds(): string[] {
    return [...this.infos.map(r => r.id), ...this.excluded, ...ENGINE_RULES.map(r => r.id)];
  }

  /** The names of the packs that run, for messages. */
  private packList(): string {
    return this.packs.map(p => p.name).join(', ') || 'none';
  }

  /**
   * The refusal behind an SS-POLICY-009 finding when a suppressed finding of `ruleId` on `doc` is one Pod Security
   * admission refuses in its namespace (the output's Namespace enforces a level that refuses it), else undefined; its
   * message and fix come from `refusalMessage` and `refusalFix`.
   * @internal
   */
  public _admissionRefusal(ruleId: string, doc: PolicyDocument, jsonPath: string, index: DocumentIndex): AdmissionRefusal | undefined {
    if (!this.admission.has(ruleId) || doc.namespace === undefined) return undefined;
    return admissionRefusal(ruleId, doc, jsonPath, this.admission, index._memo('policy.enforcedLevels', enforcedLevels));
  }

  /**
   * True when a pack leaves the rule out on request (`exclude`): a suppression of it silences nothing in this run,
   * and is kept for the runs that include the rule, so it is neither stale nor unknown.
   * @internal
   */
  public _excludes(ruleId: string): boolean {
    return this.excluded.has(ruleId);
  }

  /**
   * The rules that run, as reports list them.
   * @internal
   */
  public get _rules(): RuleInfo[] {
    return this.infos;
  }

  /**
   * Runs every rule on the documents of its kinds, in document order, and hands each violation to `emit`
   * (no suppression applied). A rule that throws on a document becomes an `SS-POLICY-002` violation there.
   * `_check` and `shipshape check` share this loop.
   * @internal
   */
  public _evaluate(documents: PolicyDocument[], index: DocumentIndex, emit: (doc: PolicyDocument, rule: RuleInfo, jsonPath: string, message: string | undefined) => void): void {
    const cache = new Map<string, KindEntries>();
    for (let d = 0; d < documents.length; d++) {
      const doc = documents[d];
      let ke = cache.get(doc.kind);
      if (ke === undefined) {
        ke = this.entriesFor(doc.kind);
        cache.set(doc.kind, ke);
      }
      // the shared results of the document's group (computed once per document); when every shared rule of the
      // kind is known to be silent there, only the other rules run
      let group: SharedResults | undefined;
      let entries = ke.all;
      if (ke.group !== undefined) {
        try {
          group = ke.group(doc, index);
        } catch {
          group = undefined; // the rules' checks meet the same problem and report it
        }
        if (group !== undefined && group.quiet === ke) entries = ke.unshared;
      }
      for (let r = 0; r < entries.length; r++) {
        const e = entries[r];
        let violations: readonly Violation[] | undefined;
        if (e.slot >= 0 && group !== undefined) {
          const known = group.results[e.slot];
          if (known !== undefined) {
            for (let v = 0; v < known.length; v++) {
              const x = known[v];
              emit(doc, e.info, x.jsonPath, x.message);
            }
            continue;
          }
        }
        try {
          if (e.check !== undefined) {
            violations = e.check(doc, index);
          } else {
            const result = e.rule.evaluate(doc, index);
            if (result === null || typeof result !== 'object' || !STATUSES.includes((result as RuleResult).status)) {
              const got = result === null ? 'null' : typeof result !== 'object' ? typeof result
                : typeof (result as any).then === 'function' ? 'a Promise (evaluate must be synchronous: synth does not wait)'
                  : Array.isArray(result) ? 'an array' : (result as any).status === undefined ? 'an object without a status' : `the status ${JSON.stringify((result as any).status)}`;
              throw new Error(`evaluate returned ${got}, not a RuleResult: `
                + 'return RuleResult.compliant(), RuleResult.notApplicable(), RuleResult.violation(jsonPath) or RuleResult.nonCompliant(violations)');
            }
            violations = result.status === RuleStatus.NON_COMPLIANT ? checkedViolations(result.violations) : undefined;
          }
        } catch (err: any) {
          emit(doc, CRASHED, '', `rule ${e.rule.id} could not check this document: ${err?.message ?? String(err)}`);
          continue;
        }
        if (violations === undefined) continue;
        for (let v = 0; v < violations.length; v++) {
          const x = violations[v];
          emit(doc, e.info, x.jsonPath, x.message);
        }
      }
      if (group !== undefined && entries === ke.all && isQuiet(group, ke.slots)) group.quiet = ke;
    }
  }

  /** The rules that run on documents of `kind`, in pack order, as `_evaluate` runs them. */
  private entriesFor(kind: string): KindEntries {
    const specific = this.byKind.get(kind) ?? [];
    const all = (this.anyKind.length === 0 ? specific : [...this.anyKind, ...specific]).map(rule => this.entryOf(rule));
    // the shared rules of a kind use one group function (the pod class); should they not, each reads its own
    const groups = new Set(all.filter(e => e.group !== undefined).map(e => e.group));
    if (groups.size !== 1) {
      return { all: all.map(e => ({ ...e, slot: -1 })), unshared: [], group: undefined, slots: [] };
    }
    return {
      all,
      unshared: all.filter(e => e.group === undefined),
      group: [...groups][0],
      slots: all.filter(e => e.group !== undefined).map(e => e.slot),
    };
  }

  /** How `_evaluate` calls a rule: a built-in rule's check directly, any other rule through `evaluate`. */
  private entryOf(rule: IRule): RuleEntry {
    const spec = rule instanceof SpecRule ? rule : undefined;
    return { rule, info: this.infoOf.get(rule)!, check: spec?._check, group: spec?._shared?.group, slot: spec?._shared?.slot ?? -1 };
  }
}

/** One rule as `_evaluate` runs it. */
interface RuleEntry {
  readonly rule: IRule;
  readonly info: RuleInfo;
  /** The check of a built-in rule (`SpecRule`), called without a `RuleResult`; undefined for other rules. */
  readonly check: ((document: PolicyDocument, index: DocumentIndex) => readonly Violation[] | undefined) | undefined;
  /** For a rule whose result is shared by a group of documents: the document's group, and the rule's slot there. */
  readonly group: ((document: PolicyDocument, index: DocumentIndex) => SharedResults | undefined) | undefined;
  readonly slot: number;
}

/** The rules of one kind, as `_evaluate` runs them. */
interface KindEntries {
  /** Every rule, in order. */
  readonly all: RuleEntry[];
  /** The rules whose result is not shared (`all` without the shared ones, in order). */
  readonly unshared: RuleEntry[];
  /** The group function of the shared rules, or undefined when none (or several) */
  readonly group: ((document: PolicyDocument, index: DocumentIndex) => SharedResults | undefined) | undefined;
  /** The slots of the shared rules. */
  readonly slots: number[];
}

/** True when each slot holds a known empty result (compliant, or not applicable). */
function isQuiet(group: SharedResults, slots: number[]): boolean {
  const results = group.results;
  for (let i = 0; i < slots.length; i++) {
    const r = results[slots[i]];
    if (r === undefined || r.length !== 0) return false;
  }
  return true;
}

/**
 * Refuses a rule of a pack that would mislead: an id of shipshape's own (`SS-`) on a rule of another pack, a
 * severity other than error or warning (reports would print an error the synth does not fail on), an empty message
 * or fix, or an empty `kinds` (the rule would never run).
 */
function checkRuleShape(rule: IRule, pack: string): void {
  const where = `rule ${rule.id} (pack ${pack})`;
  if (!(rule instanceof SpecRule) && /^SS-/i.test(rule.id)) {
    throw new Error(`policy: ${where} has an id starting with SS-, which shipshape's own rules use (their suppressions and reports would mix); give your rules a prefix of your own, for example ACME-001`);
  }
  if (typeof (rule as { evaluate?: unknown }).evaluate !== 'function') {
    throw new Error(`policy: ${where} has no evaluate function (it has ${describeValue((rule as { evaluate?: unknown }).evaluate)}); `
      + 'give it evaluate(document, index), returning RuleResult.compliant(), RuleResult.notApplicable(), RuleResult.violation(jsonPath) or RuleResult.nonCompliant(violations)');
  }
  if (rule.severity !== Severity.ERROR && rule.severity !== Severity.WARNING) {
    throw new Error(`policy: ${where} has the severity ${JSON.stringify(rule.severity)}; use Severity.ERROR ("error") or Severity.WARNING ("warning")`);
  }
  if (typeof rule.message !== 'string' || rule.message.trim() === '') throw new Error(`policy: ${where} has no message; say what a finding means, in one sentence`);
  if (typeof rule.fix !== 'string' || rule.fix.trim() === '') throw new Error(`policy: ${where} has no fix; say how to comply, in one sentence`);
  if (rule.rationale !== undefined && (typeof rule.rationale !== 'string' || rule.rationale.trim() === '')) {
    throw new Error(`policy: ${where} has an empty rationale; say why the rule matters, or leave rationale unset`);
  }
  if (rule.helpUri !== undefined && (typeof rule.helpUri !== 'string' || !/^https:\/\/[^\s/]+\.[^\s]*$/.test(rule.helpUri))) {
    throw new Error(`policy: ${where} has the helpUri ${JSON.stringify(rule.helpUri)}, which is not an https:// URL (code-scanning services link it); give the full URL of the rule's documentation, or leave helpUri unset`);
  }
  // (a built-in rule turned off by its options, such as SS-K8S-032 without trusted registries, has no kind on purpose)
  if (!(rule instanceof SpecRule) && rule.kinds !== undefined && (!Array.isArray(rule.kinds) || rule.kinds.length === 0)) {
    throw new Error(`policy: ${where} has kinds ${JSON.stringify(rule.kinds)}, so it never runs; list the kinds it checks, or leave kinds unset to check every kind`);
  }
  if (!(rule instanceof SpecRule) && rule.kinds !== undefined) {
    for (const kind of rule.kinds) {
      if (typeof kind !== 'string' || kind.trim() === '') {
        throw new Error(`policy: ${where} lists the kind ${describeValue(kind)}, which no document has; list kinds as the manifests name them ('Deployment')`);
      }
      const meant = kindSlip(kind);
      if (meant !== undefined) {
        throw new Error(`policy: ${where} lists the kind ${JSON.stringify(kind)}, which matches no document (kinds are compared as the manifests write them, `
          + `case included); did you mean ${JSON.stringify(meant)}?`);
      }
    }
  }
}

/**
 * The well-known kind `kind` is a slip of (another case, a plural, an apiVersion prefix: `deployment`, `Deployments`,
 * `apps/v1/Deployment`), or undefined when it is one, or no slip of one (a custom resource's kind).
 */
function kindSlip(kind: string): string | undefined {
  if (CLUSTER_SCOPED_KINDS.has(kind) || NAMESPACED_WELL_KNOWN_KINDS.has(kind)) return undefined;
  const bare = kind.includes('/') ? kind.slice(kind.lastIndexOf('/') + 1) : kind;
  const singular = [bare, bare.replace(/es$/i, ''), bare.replace(/s$/i, ''), bare.replace(/ies$/i, 'y')];
  for (const known of [...NAMESPACED_WELL_KNOWN_KINDS, ...CLUSTER_SCOPED_KINDS]) {
    const k = known.toLowerCase();
    if (singular.some(s => s.toLowerCase() === k)) return known;
  }
  return undefined;
}

/**
 * Refuses a pack name that reports could not tell apart or that would mix with shipshape's: not a string, blank, not
 * shaped like a pack name (`PACK_NAME`), or one shipshape uses itself (`RESERVED_PACK_NAMES`; `kubernetes` and
 * `terraform` are fine on shipshape's own packs).
 */
function checkPackName(pack: IRulePack): void {
  const name: unknown = pack.name;
  const rules = Array.isArray(pack.rules) ? pack.rules.map(r => String(r?.id)) : [];
  const which = `a pack (${rules.length === 0 ? 'no rule' : `rules ${rules.slice(0, 3).join(', ')}${rules.length > 3 ? ', ...' : ''}`})`;
  const used = '(reports, SARIF tags, the output record and Policy.suppress(..., { pack }) name the pack by it)';
  if (typeof name !== 'string' || name.trim() === '') {
    throw new Error(`policy: ${which} has the name ${name === undefined ? 'undefined' : JSON.stringify(name)}, which is no name ${used}; `
      + `give the pack a name of its own, for example acme: ${PACK_NAME_SHAPE}`);
  }
  if (!PACK_NAME.test(name)) {
    throw new Error(`policy: ${which} has the name ${JSON.stringify(name)}, which is not a pack name: ${PACK_NAME_SHAPE} ${used}; `
      + `name it as you would an npm package, for example ${JSON.stringify(suggestedPackName(name))}`);
  }
  const why = RESERVED_PACK_NAMES.get(name);
  if (why === undefined || ((name === 'kubernetes' || name === 'terraform') && isShipshapePack(pack))) return;
  throw new Error(`policy: ${which} has the name ${JSON.stringify(name)}, which shipshape uses itself: ${why}; `
    + `give your pack a name of its own, for example ${JSON.stringify(`acme-${name}`)}`);
}

/**
 * A pack name close to `name` (lower case, other characters as '-'), for the error that refuses `name`; one
 * shipshape keeps for itself (`Kubernetes` lower-cased) gets the prefix `acme-`.
 */
function suggestedPackName(name: string): string {
  const s = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^[^a-z]+/, '').replace(/-+$/, '').slice(0, 63).replace(/-+$/, '');
  if (s === '') return 'acme';
  return RESERVED_PACK_NAMES.has(s) ? `acme-${s}`.slice(0, 63).replace(/-+$/, '') : s;
}

/** Refuses what is no rule pack at all: not an object, or without a list of rules (plain JavaScript, a wrong import). */
function checkPackShape(pack: unknown, i: number): void {
  if (pack === null || typeof pack !== 'object') {
    throw new Error(`policy: packs[${i}] is ${describeValue(pack)}, not a rule pack; list packs such as new KubernetesPack() or an object { name, rules } of your own (a wrong import gives undefined)`);
  }
  const rules = (pack as { rules?: unknown }).rules;
  if (!Array.isArray(rules)) {
    const name = (pack as { name?: unknown }).name;
    throw new Error(`policy: packs[${i}]${typeof name === 'string' ? ` (${name})` : ''} has rules ${describeValue(rules)}, not an array of rules; give the pack rules: [...]`);
  }
  rules.forEach((r, j) => {
    if (r === null || typeof r !== 'object') throw new Error(`policy: packs[${i}].rules[${j}] is ${describeValue(r)}, not a rule; give each rule an id, severity, message, fix and evaluate`);
  });
}

/**
 * Refuses a suppression handed to `PolicyEngine.check` that `Policy.suppress` and the annotations refuse too: no rule
 * id, a reason shorter than 10 characters (a reviewer could not judge it), a path that is no string, or an engine
 * finding that cannot be suppressed (a document left unchecked, a suppression silencing nothing...).
 */
function checkSuppression(s: Suppression, i: number): void {
  const at = `policy: suppressions[${i}]`;
  if (s === null || typeof s !== 'object') throw new Error(`${at} is ${describeValue(s)}, not a suppression; give { ruleId, reason, path }`);
  if (typeof s.ruleId !== 'string' || !RULE_ID.test(s.ruleId.trim())) {
    throw new Error(`${at} has the ruleId ${describeValue(s.ruleId)}, which is not a rule id: ${RULE_ID_SHAPE}; give the id the policy report shows, for example SS-K8S-012`);
  }
  const engine = unsuppressible(s.ruleId);
  if (engine !== undefined) {
    throw new Error(`${at} names ${s.ruleId}, a finding of the policy engine, which cannot be suppressed: ${engine}`);
  }
  if (typeof s.reason !== 'string' || s.reason.trim().length < MIN_REASON) {
    throw new Error(`${at} (${s.ruleId}) has the reason ${describeValue(s.reason)}; a reason must be at least ${MIN_REASON} characters: say why the rule does not apply there, so a reviewer can judge it`);
  }
  if (typeof s.path !== 'string') {
    throw new Error(`${at} (${s.ruleId}) has the path ${describeValue(s.path)}, not a string; give the path of the documents it covers ('' for all of them)`);
  }
}

/** A value as errors show it: its type, and the value itself when short. */
function describeValue(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  if (typeof v === 'function') return 'a function';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  const text = JSON.stringify(v);
  return `${typeof v} ${text.length > 40 ? `${text.slice(0, 37)}...` : text}`;
}

/**
 * The violations of a rule's non-compliant result, as the engine reports them, or an error saying what is wrong with
 * them (the rule's finding then becomes SS-POLICY-002): an array of objects with a string jsonPath ('' for the
 * document itself) and, optionally, a string message.
 */
function checkedViolations(violations: unknown): readonly Violation[] {
  if (!Array.isArray(violations)) {
    throw new Error(`evaluate returned non-compliant with violations ${describeValue(violations)}, not an array: return RuleResult.nonCompliant([{ jsonPath, message }]) or RuleResult.violation(jsonPath)`);
  }
  for (let i = 0; i < violations.length; i++) {
    const v = violations[i];
    if (v === null || typeof v !== 'object') {
      throw new Error(`evaluate returned violations[${i}] ${describeValue(v)}, not a violation: give each violation { jsonPath: 'spec.replicas', message?: '...' }`);
    }
    if (typeof v.jsonPath !== 'string') {
      throw new Error(`evaluate returned violations[${i}] with jsonPath ${describeValue(v.jsonPath)}, not a string: give the place as a dotted JSON path ('spec.replicas'; '' for the document itself)`);
    }
    if (v.message !== undefined && typeof v.message !== 'string') {
      throw new Error(`evaluate returned violations[${i}] with message ${describeValue(v.message)}, not a string: give a message as a string, or leave it unset for the rule's message`);
    }
  }
  return violations;
}

/** True for shipshape's own packs: a Kubernetes pack (of any copy of shipshape), or a pack of shipshape's rules only. */
function isShipshapePack(pack: IRulePack): boolean {
  if ((pack as any)[Symbol.for('shipshape.policy.KubernetesPack')] === true) return true;
  return Array.isArray(pack.rules) && pack.rules.length > 0 && pack.rules.every(r => r instanceof SpecRule);
}

/** The statuses a RuleResult may have (a rule in plain JavaScript may return another: a typo would hide its findings). */
const STATUSES: string[] = [RuleStatus.COMPLIANT, RuleStatus.NON_COMPLIANT, RuleStatus.NOT_APPLICABLE];

/** The engine rule a crashing rule's finding is reported under. */
const CRASHED = ENGINE_RULES.find(r => r.id === RULE_CRASHED_RULE_ID) as RuleInfo;
/** The engine rule of a suppressed finding that Pod Security admission refuses anyway. */
const REFUSAL = ENGINE_RULES.find(r => r.id === ADMISSION_REFUSAL_RULE_ID) as RuleInfo;

