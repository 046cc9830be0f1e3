import { DocumentIndex } from './document-index';
import { Finding, Suppression } from './finding';
import { covers, ENGINE_RULES, RULE_CRASHED_RULE_ID, STALE_SUPPRESSION_RULE_ID, UNKNOWN_RULE_SUPPRESSION_RULE_ID } from './internal';
import { PolicyReport, RuleInfo } from './report';
import { IRule, IRulePack, PolicyDocument, RuleStatus, Severity } from './rule';
import { Validators } from '../core/validators';


/**
 * Options of one `PolicyEngine.check` run.
 */
export interface CheckOptions {
  /**
   * Suppressions to apply.
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

  constructor(props: PolicyEngineProps) {
    this.packs = [...props.packs];
    const seen = new Set<string>();
    for (const pack of this.packs) {
      for (const rule of pack.rules) {
        if (seen.has(rule.id)) {
          throw new Error(`policy: rule id ${rule.id} appears twice (pack ${pack.name}); every rule needs a unique id`);
        }
        seen.add(rule.id);
        this.packOf.set(rule, pack.name);
        this.infos.push({ id: rule.id, severity: rule.severity, message: rule.message, fix: rule.fix, pack: pack.name });
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
  }

  /**
   * Checks `documents` (one whole output) and returns the report.
   */
  public check(documents: PolicyDocument[], options: CheckOptions = {}): PolicyReport {
    return this._check(documents, options.suppressions ?? [], []);
  }

  /**
   * Same as `check`, plus findings made outside the rules (bad input) and a scope for stale suppressions.
   * @internal
   */
  public _check(documents: PolicyDocument[], suppressions: Suppression[], extra: Finding[], inScope?: (s: Suppression) => boolean): PolicyReport {
    const index = new DocumentIndex(documents);
    const raw: Finding[] = [...extra];
    const cache = new Map<string, IRule[]>();
    for (const doc of documents) {
      let rules = cache.get(doc.kind);
      if (rules === undefined) {
        const specific = this.byKind.get(doc.kind) ?? [];
        rules = this.anyKind.length === 0 ? specific : [...this.anyKind, ...specific];
        cache.set(doc.kind, rules);
      }
      for (const rule of rules) {
        let result;
        try {
          result = rule.evaluate(doc, index);
        } catch (e: any) {
          raw.push(findingFor(doc, {
            ruleId: RULE_CRASHED_RULE_ID,
            severity: Severity.ERROR,
            message: `rule ${rule.id} could not check this document: ${e?.message ?? String(e)}`,
            fix: 'check that the document has the shape its kind requires',
          }, ''));
          continue;
        }
        if (result.status !== RuleStatus.NON_COMPLIANT) continue;
        for (const v of result.violations) {
          raw.push(findingFor(doc, rule, v.jsonPath, v.message));
        }
      }
    }

    // apply suppressions
    const byRule = new Map<string, { s: Suppression; used: boolean }[]>();
    const entries: { s: Suppression; used: boolean }[] = [];
    for (const s of suppressions) {
      const e = { s, used: false };
      entries.push(e);
      const list = byRule.get(s.ruleId);
      if (list) list.push(e); else byRule.set(s.ruleId, [e]);
    }
    const findings: Finding[] = [];
    for (const f of raw) {
      const cands = byRule.get(f.ruleId);
      let match: { s: Suppression; used: boolean } | undefined;
      if (cands) {
        // the most specific (longest path) suppression wins
        for (const c of cands) {
          if (covers(c.s.path, f.path) && (!match || c.s.path.length > match.s.path.length)) match = c;
        }
      }
      if (match) {
        match.used = true;
        findings.push({ ...f, suppression: match.s });
      } else {
        findings.push(f);
      }
    }
    for (const e of entries) {
      if (e.used) continue;
      if (inScope && !inScope(e.s)) continue;
      const unknown = this._unknownRule(e.s);
      if (unknown) {
        findings.push(unknown);
        continue;
      }
      findings.push({
        ruleId: STALE_SUPPRESSION_RULE_ID,
        severity: Severity.WARNING,
        message: `suppression of ${e.s.ruleId} matches no finding (reason: ${e.s.reason})`,
        fix: 'remove the suppression, or fix its rule id or its scope',
        path: e.s.path || '<root>',
        jsonPath: '',
        kind: 'Suppression',
      });
    }
    return PolicyReport._create(findings, this.infos);
  }

  /**
   * The error for a suppression whose rule is in none of the packs that run (nor an engine rule): a typo, or a
   * pack left out. It names the id, the closest known id and the construct path. Undefined for a known rule.
   * @internal
   */
  public _unknownRule(s: Suppression): Finding | undefined {
    const known = [...this.infos.map(r => r.id), ...ENGINE_RULES.map(r => r.id)];
    if (known.includes(s.ruleId)) return undefined;
    const close = Validators._closest(s.ruleId, known);
    const packs = this.packs.map(p => p.name).join(', ') || 'none';
    return {
      ruleId: UNKNOWN_RULE_SUPPRESSION_RULE_ID,
      severity: Severity.ERROR,
      message: `suppression of ${s.ruleId} at ${s.path || '<root>'} names a rule that none of the packs that run has (${packs}); did you mean ${close}?`,
      fix: `write the id as the policy report shows it (${close}?), or add the pack that defines ${s.ruleId} to the policy packs`,
      path: s.path || '<root>',
      jsonPath: '',
      kind: 'Suppression',
    };
  }
}

function findingFor(doc: PolicyDocument, rule: { ruleId?: string; id?: string; severity: Severity; message: string; fix: string }, jsonPath: string, message?: string): Finding {
  const f: any = {
    ruleId: rule.ruleId ?? rule.id,
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
