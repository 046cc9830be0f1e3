import * as fs from 'fs';
import * as path from 'path';
import { Finding } from './finding';
import { ENGINE_RULES } from './internal';
import { Severity } from './rule';

/**
 * A rule as listed in a report.
 */
export interface RuleInfo {
  /** Stable id. */
  readonly id: string;
  /** Default severity. */
  readonly severity: Severity;
  /** One-line message. */
  readonly message: string;
  /** One-line fix hint. */
  readonly fix: string;
  /** The pack the rule belongs to. */
  readonly pack: string;
}

/** File name of the JSON report written next to the output. */
const JSON_FILE = 'policy-report.json';
/** File name of the SARIF report written next to the output. */
const SARIF_FILE = 'policy-report.sarif';

/**
 * The outcome of one policy check: every finding (suppressed ones included), and renderings of it.
 */
export class PolicyReport {
  /** The file name of the JSON report (`policy-report.json`). */
  public static readonly JSON_FILE_NAME = JSON_FILE;
  /** The file name of the SARIF report (`policy-report.sarif`). */
  public static readonly SARIF_FILE_NAME = SARIF_FILE;

  /** @internal */
  public static _create(findings: Finding[], rules: RuleInfo[]): PolicyReport {
    return new PolicyReport(findings, rules);
  }

  /** Every finding, suppressed ones included, in document order. */
  public readonly findings: Finding[];
  /** The rules that ran. */
  public readonly rules: RuleInfo[];

  private constructor(findings: Finding[], rules: RuleInfo[]) {
    this.findings = findings;
    this.rules = rules;
  }

  /** Error findings that are not suppressed. */
  public get errors(): Finding[] {
    return this.findings.filter(f => !f.suppression && f.severity === Severity.ERROR);
  }

  /** Warning findings that are not suppressed. */
  public get warnings(): Finding[] {
    return this.findings.filter(f => !f.suppression && f.severity === Severity.WARNING);
  }

  /** Findings silenced by a suppression. */
  public get suppressed(): Finding[] {
    return this.findings.filter(f => f.suppression !== undefined);
  }

  /** True when an error finding is not suppressed. */
  public get hasErrors(): boolean {
    return this.findings.some(f => !f.suppression && f.severity === Severity.ERROR);
  }

  /**
   * The human summary: counts, then the findings grouped by construct path (or file and document),
   * each with its rule, place, message and fix. Suppressed findings are listed with their reason.
   *
   * When more than `maxListed` findings would be listed, the summary stays short instead: one entry per
   * rule (and suppression reason) with its count, message, fix and the first three places; the JSON and
   * SARIF reports keep every finding.
   * @param errorsOnly list only unsuppressed errors
   * @param maxListed how many findings to list one by one before condensing (default 50)
   */
  public summary(errorsOnly?: boolean, maxListed?: number): string {
    const errors = this.errors.length;
    const warnings = this.warnings.length;
    const suppressed = this.suppressed.length;
    const lines: string[] = [];
    lines.push(`shipshape policy: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${suppressed} suppressed`);
    const listed = errorsOnly ? this.findings.filter(f => !f.suppression && f.severity === Severity.ERROR) : this.findings;
    if (listed.length > (maxListed ?? 50)) {
      condensed(listed, lines);
      return lines.join('\n') + '\n';
    }
    const groups = new Map<string, Finding[]>();
    for (const f of listed) {
      const key = where(f);
      const list = groups.get(key);
      if (list) list.push(f); else groups.set(key, [f]);
    }
    for (const [key, list] of groups) {
      const first = list[0];
      const what = first.kind && first.kind !== 'Suppression' ? ` (${first.kind}${first.name ? ' ' + first.name : ''})` : '';
      lines.push('');
      lines.push(`${key}${what}`);
      for (const f of list) {
        const label = f.suppression ? 'suppressed' : f.severity;
        lines.push(`  ${label.toUpperCase()} ${f.ruleId}${f.jsonPath ? ' at ' + f.jsonPath : ''}: ${f.message}`);
        if (f.suppression) {
          lines.push(`    reason: ${f.suppression.reason}`);
        } else {
          lines.push(`    fix: ${f.fix}`);
        }
      }
    }
    return lines.join('\n') + '\n';
  }

  /**
   * The JSON report (deterministic: no timestamps).
   */
  public toJson(): any {
    const used = this.usedRules();
    return {
      tool: 'shipshape',
      summary: {
        errors: this.errors.length,
        warnings: this.warnings.length,
        suppressed: this.suppressed.length,
      },
      rules: used,
      findings: this.findings.map(f => {
        const o: any = {
          ruleId: f.ruleId,
          severity: f.severity,
          path: f.path,
          jsonPath: f.jsonPath,
          kind: f.kind,
        };
        if (f.name !== undefined) o.name = f.name;
        if (f.namespace !== undefined) o.namespace = f.namespace;
        if (f.file !== undefined) o.file = f.file;
        if (f.index !== undefined) o.index = f.index;
        if (f.line !== undefined) o.line = f.line;
        o.message = f.message;
        if (f.suppression) o.suppressed = { reason: f.suppression.reason, scope: f.suppression.path };
        return o;
      }),
    };
  }

  /**
   * The SARIF 2.1.0 log (one run; `runs[0].tool.driver.rules` and `runs[0].results`).
   */
  public toSarif(): any {
    const rules = this.usedRules();
    const ruleIndex = new Map<string, number>();
    rules.forEach((r, i) => ruleIndex.set(r.id, i));
    const results = this.findings.map(f => {
      const logical: any = { fullyQualifiedName: f.path, kind: 'resource' };
      if (f.name !== undefined) logical.name = f.name;
      const location: any = { logicalLocations: [logical] };
      if (f.file !== undefined) {
        location.physicalLocation = { artifactLocation: { uri: toUri(f.file) } };
        if (f.line !== undefined) location.physicalLocation.region = { startLine: f.line };
      }
      const r: any = {
        ruleId: f.ruleId,
        ruleIndex: ruleIndex.get(f.ruleId) ?? -1,
        level: f.severity === Severity.ERROR ? 'error' : 'warning',
        message: { text: `${f.message}${f.jsonPath ? ` (at ${f.jsonPath})` : ''}` },
        locations: [location],
        properties: {
          kind: f.kind,
          jsonPath: f.jsonPath,
          ...(f.namespace !== undefined ? { namespace: f.namespace } : {}),
          ...(f.index !== undefined ? { documentIndex: f.index } : {}),
        },
      };
      if (f.suppression) {
        r.suppressions = [{ kind: 'external', justification: f.suppression.reason }];
      }
      return r;
    });
    return {
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [{
        tool: {
          driver: {
            name: 'shipshape',
            informationUri: 'https://example.invalid/shipshape',
            rules: rules.map(r => ({
              id: r.id,
              shortDescription: { text: r.message },
              help: { text: r.fix },
              defaultConfiguration: { level: r.severity === Severity.ERROR ? 'error' : 'warning' },
              properties: { pack: r.pack },
            })),
          },
        },
        results,
      }],
    };
  }

  /**
   * Writes `policy-report.json` and `policy-report.sarif` into `dir` (created when missing).
   */
  public writeFiles(dir: string): void {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, JSON_FILE), JSON.stringify(this.toJson(), undefined, 2) + '\n');
    fs.writeFileSync(path.join(dir, SARIF_FILE), JSON.stringify(this.toSarif(), undefined, 2) + '\n');
  }

  /** The rules that ran plus any engine rule a finding uses, in a stable order. */
  private usedRules(): RuleInfo[] {
    const out: RuleInfo[] = [...this.rules];
    const have = new Set(out.map(r => r.id));
    for (const f of this.findings) {
      if (have.has(f.ruleId)) continue;
      const e = ENGINE_RULES.find(r => r.id === f.ruleId);
      have.add(f.ruleId);
      out.push(e ? (e as RuleInfo) : { id: f.ruleId, severity: f.severity, message: f.message, fix: f.fix, pack: 'unknown' });
    }
    return out;
  }
}

/** One entry per rule (and suppression reason): count, message, fix, first places. */
function condensed(findings: Finding[], lines: string[]) {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = `${f.suppression ? 'suppressed' : f.severity}\u0000${f.ruleId}\u0000${f.suppression?.reason ?? ''}`;
    const list = groups.get(key);
    if (list) list.push(f); else groups.set(key, [f]);
  }
  lines.push(`(${findings.length} findings, condensed by rule; every finding is in ${JSON_FILE} and ${SARIF_FILE})`);
  for (const list of groups.values()) {
    const f = list[0];
    const label = (f.suppression ? 'suppressed' : f.severity).toUpperCase();
    lines.push('');
    lines.push(`  ${label} ${f.ruleId} x${list.length}: ${f.message}`);
    lines.push(f.suppression ? `    reason: ${f.suppression.reason}` : `    fix: ${f.fix}`);
    const shown = list.slice(0, 3).map(x => `${where(x)}${x.jsonPath ? ' at ' + x.jsonPath : ''}`);
    lines.push(`    in: ${shown.join('; ')}${list.length > 3 ? `; and ${list.length - 3} more` : ''}`);
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function where(f: Finding): string {
  if (f.file !== undefined) {
    const parts: string[] = [];
    if (f.index !== undefined) parts.push(`document ${f.index}`);
    if (f.line !== undefined) parts.push(`line ${f.line}`);
    return parts.length > 0 ? `${f.file} [${parts.join(', ')}]` : f.file;
  }
  return f.path;
}

function toUri(file: string): string {
  return file.split(path.sep).join('/');
}
