import * as path from 'path';
import { Finding } from './finding';
import { ArraySource, JSON_FILE, jsonReport, materialize, renderSummary, SARIF_FILE, sarifLog, sourceRootNamer, writeJsonFile } from './report-writer';
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
  /**
   * Why the rule matters, in a few sentences (the catalog's rationale; SARIF's `fullDescription`).
   * @default - the message
   */
  readonly rationale?: string;
  /**
   * Where the rule is documented (SARIF's `helpUri`).
   * @default - shipshape's rule catalog for its own rules, else no link
   */
  readonly helpUri?: string;
}

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

  /**
   * The same report with a file on every finding that has none: where `locate` says, else `fallback`. Synth-time
   * findings name construct paths; SARIF consumers such as GitHub code scanning refuse a result without a physical
   * location, so the reports written at synth name the output file of each object.
   * @internal
   */
  public _located(locate: (f: Finding) => string | undefined, fallback: string): PolicyReport {
    return new PolicyReport(this.findings.map(f => (f.file !== undefined ? f : { ...f, file: locate(f) ?? fallback })), this.rules);
  }

  /**
   * Every finding, suppressed ones included: at synth in construct path order (as the YAML is written), from
   * `PolicyEngine.check` in document order with the findings about suppressions (stale, unknown rule) last.
   */
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
   * The human summary: counts, then the findings grouped by construct path (or file and document), each with its
   * rule, place, message and fix. Suppressed findings are listed with their reason.
   *
   * When more than `maxListed` findings would be listed, the summary stays short instead: one entry per
   * rule (and suppression reason) with its count, then each distinct message of the rule with its own count,
   * fix and first three places (the first five messages; the findings with others are counted); the JSON and
   * SARIF reports keep every finding.
   * @param errorsOnly list only unsuppressed errors
   * @param maxListed how many findings to list one by one before condensing (default 50)
   */
  public summary(errorsOnly?: boolean, maxListed?: number): string {
    return renderSummary(this.source(), errorsOnly ?? false, maxListed ?? 50, `every finding is in ${JSON_FILE} and ${SARIF_FILE}`);
  }

  /**
   * What a synth prints on stderr for this report: the summary when no error remains; when one does (the synth
   * then fails with `summary(true)`, which lists the errors), the other findings only, or nothing when there
   * are none, so no finding is printed twice.
   * @internal
   */
  public _consoleSummary(): string {
    if (this.findings.length === 0) return '';
    if (!this.hasErrors) return this.summary();
    const source = this.source();
    if (source.total === source.errors) return '';
    return renderSummary(source, 'besides-errors', 50, `every finding is in ${JSON_FILE} and ${SARIF_FILE}`);
  }

  /**
   * The JSON report (deterministic: no timestamps). It starts with `"tool": "shipshape"` and the version of
   * shipshape that wrote it, which is how `shipshape check` recognises (and skips) its own reports. A finding's
   * file is named as in the SARIF log: relative to the root of the Git work tree (else the working directory), with
   * forward slashes; absolute when it lies outside that root.
   */
  public toJson(): any {
    return materialize(jsonReport(this.source(), this.rules, sourceRootNamer()));
  }

  /**
   * The SARIF 2.1.0 log (one run; `runs[0].tool.driver.rules` and `runs[0].results`).
   *
   * The driver names shipshape's version and web address; each rule links its entry in the rule catalog
   * (`docs/rules.md#<lower-case id>`) and carries tags (`security` or `reliability`) and, when tagged `security`,
   * `security-severity` (7.5 for errors, 4.0 for warnings); each result carries a `partialFingerprints` hash of rule id, kind, namespace, name and JSON path (not
   * of line numbers; with the message, and then an ordinal, for findings that share those, so each is unique in the
   * log) and, for a checked file, its path relative to the root of the Git work tree (else the working directory) under `%SRCROOT%`.
   */
  public toSarif(): any {
    return materialize(sarifLog(this.source(), this.rules));
  }

  /**
   * Writes the JSON report into `file` (its folder is created), one finding at a time: the same bytes as
   * `JSON.stringify(toJson(), undefined, 2)` plus a newline, for reports of any size.
   * @param file where to write
   */
  public writeJsonFile(file: string): void {
    writeJsonFile(file, jsonReport(this.source(), this.rules, sourceRootNamer()));
  }

  /**
   * Writes the SARIF log into `file` (its folder is created), one result at a time: the same bytes as
   * `JSON.stringify(toSarif(), undefined, 2)` plus a newline.
   * @param file where to write
   */
  public writeSarifFile(file: string): void {
    writeJsonFile(file, sarifLog(this.source(), this.rules));
  }

  /**
   * Writes `policy-report.json` and `policy-report.sarif` into `dir` (created when missing).
   */
  public writeFiles(dir: string): void {
    this.writeJsonFile(path.join(dir, JSON_FILE));
    this.writeSarifFile(path.join(dir, SARIF_FILE));
  }

  private source(): ArraySource {
    return new ArraySource(this.findings);
  }
}
