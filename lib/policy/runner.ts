// Internal: runs packs over synthesized objects (k8s.App and Policy.attach). Not re-exported by the barrel.
import * as fs from 'fs';
import * as path from 'path';
import { IConstruct } from 'constructs';
import { annotationSuppressions, carriesAnnotations, carrySuppressions } from './annotations';
import { PolicyEngine } from './engine';
import { Finding, Suppression } from './finding';
import { BAD_INPUT_RULE_ID, covers, isBuiltInRuleId, SUPPRESSION_SCOPES } from './internal';
import { K8sDoc } from './k8s/pod';
import { peerExemptions } from './peers';
import { Policy } from './policy';
import { PolicyReport } from './report';
import { IRulePack, PolicyDocument, Severity } from './rule';

/** The shape `_runPolicy` receives. */
export interface ObjectInput {
  readonly manifest: any;
  readonly path: string;
  readonly chart: string;
}

/** Converts a Kubernetes manifest at a construct path into a policy document. */
export function k8sDocument(manifest: any, docPath: string, file?: string, index?: number, line?: number): PolicyDocument {
  const meta = manifest && typeof manifest.metadata === 'object' && manifest.metadata ? manifest.metadata : {};
  return new K8sDoc(
    String(manifest?.kind ?? ''), manifest, docPath,
    typeof meta.name === 'string' ? meta.name : undefined,
    typeof meta.namespace === 'string' ? meta.namespace : undefined,
    file, index, line,
  );
}

/**
 * Checks `objects` with `packs`: the suppressions registered in code under `scope`, plus those the objects
 * carry as `suppress.shipshape.io/<rule>` annotations and as the peers' exemption annotations (kube-linter,
 * Polaris, kube-score, Checkov; see peers.ts). No side effect: nothing printed, written or thrown.
 */
export function checkObjects(scope: IConstruct, objects: ObjectInput[], packs: IRulePack[]): PolicyReport {
  const engine = new PolicyEngine({ packs });
  // grown by push, not allocated as `new Array(objects.length)`: V8 answers that call, in a function run for the first
  // time and with more than about 16,000 objects (2,700 services), by invalidating its array-constructor protector,
  // which throws away optimized code in the whole process (the rules' included) and slows later array allocations
  const docs: PolicyDocument[] = [];
  const suppressions: Suppression[] = [...Policy.suppressionsOf(scope)];
  const bad: Finding[] = [];
  const peer = new Set<Suppression>();
  const leftAlone = new Set<Suppression>();
  for (let i = 0; i < objects.length; i++) {
    const o = objects[i];
    const manifest = o.manifest;
    const doc = k8sDocument(manifest, o.path);
    docs.push(doc);
    // most objects carry no annotation, on themselves or on a pod template: nothing to read
    if (!carriesAnnotations(manifest)) continue;
    const carried = annotationSuppressions(manifest, o.path);
    for (let c = 0; c < carried.suppressions.length; c++) {
      const s = carried.suppressions[c];
      suppressions.push(s);
      // an annotation of a rule of a pack of yours that this run leaves out (hand-written YAML, or the output of an app
      // that runs it): left alone, as `shipshape check` leaves it; an SS- id, or one a pack that runs claims, is checked
      if (!isBuiltInRuleId(s.ruleId.toUpperCase()) && !engine._claims(s.ruleId)) leftAlone.add(s);
    }
    for (let c = 0; c < carried.bad.length; c++) {
      const b = carried.bad[c];
      bad.push({
        ruleId: BAD_INPUT_RULE_ID,
        severity: Severity.ERROR,
        message: b.message,
        fix: b.fix,
        path: o.path,
        jsonPath: b.jsonPath,
        kind: doc.kind,
        ...(doc.name !== undefined ? { name: doc.name } : {}),
        ...(doc.namespace !== undefined ? { namespace: doc.namespace } : {}),
      });
    }
    // the exemption annotations teams use with kube-linter, Polaris, kube-score and Checkov, as the CLI reads them,
    // so synth and `shipshape check` agree; one that silences nothing is not reported as stale
    const exemptions = peerExemptions(manifest);
    for (let e = 0; e < exemptions.length; e++) {
      const x = exemptions[e];
      const s: Suppression = { ruleId: x.ruleId, reason: x.reason, path: o.path };
      if (x.scope !== undefined) SUPPRESSION_SCOPES.set(s, x.scope);
      suppressions.push(s);
      peer.add(s);
    }
  }
  const scopePath = scope.node.path;
  const report = engine._check(docs, suppressions, bad, s => !peer.has(s) && !leftAlone.has(s) && (covers(scopePath, s.path) || covers(s.path, scopePath)));
  return PolicyReport._create(byPath(report.findings), engine._rules);
}

/**
 * The findings in construct path order (one object's in the order the rules gave them): the reports and the summary
 * then read the same whatever order the program created its charts and constructs in, as the YAML does.
 */
function byPath(findings: readonly Finding[]): Finding[] {
  return findings.map((f, i) => ({ f, i })).sort((a, b) => (a.f.path < b.f.path ? -1 : a.f.path > b.f.path ? 1 : a.i - b.i)).map(e => e.f);
}

/**
 * Writes each suppression registered in code under `scope` onto the objects it applies to, as an annotation,
 * so the synthesized YAML carries it (see annotations.ts).
 */
export function carryCodeSuppressions(scope: IConstruct, report: PolicyReport, objects: ObjectInput[]): void {
  const scopePath = scope.node.path;
  const ran = new Set(report.rules.map(r => `${r.pack}\0${r.id}`));
  // a suppression that names its pack applies only when that pack ran with the rule: one of a pack that did not run is
  // left alone (it silenced nothing, and is not stale), and one naming the wrong pack is an error; nothing to carry
  const code = Policy.suppressionsOf(scope).filter(s => (covers(scopePath, s.path) || covers(s.path, scopePath))
    && (s.pack === undefined || ran.has(`${s.pack}\0${s.ruleId}`)));
  if (code.length > 0) carrySuppressions(report.findings, code, objects);
}

/**
 * Checks `objects`, prints the summary on stderr when there is something to say, writes the reports into
 * `dir` (when given) and throws when an error remains.
 */
export function runOverObjects(scope: IConstruct, objects: ObjectInput[], packs: IRulePack[], dir: string | undefined, filePrefix = ''): PolicyReport {
  const report = checkObjects(scope, objects, packs);
  if (dir !== undefined) {
    writeReport(report, dir, filePrefix);
  }
  const printed = report._consoleSummary();
  if (printed !== '') process.stderr.write(printed);
  if (report.hasErrors) {
    throw new Error(report.summary(true));
  }
  return report;
}

/**
 * Removes what a process that died while writing `files` left: `<file>.<pid>.tmp` of a process that no longer runs
 * (a report is written to such a file, then renamed into place).
 */
function removeStaleTemporaries(dir: string, files: string[]): void {
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch {
    return;
  }
  const bases = new Set(files.map(f => path.basename(f)));
  for (const e of entries) {
    const m = /^(.*)\.(\d+)\.tmp$/.exec(e);
    if (!m || !bases.has(m[1]) || Number(m[2]) === process.pid || running(Number(m[2]))) continue;
    fs.rmSync(path.join(dir, e), { force: true });
  }
}

/** True when a process of that id runs (or may: one of another user). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e: any) {
    return e?.code === 'EPERM';
  }
}

/** What the reports of a failed run add to their names: `policy-report.failed.{json,sarif}`. */
export const FAILED_SUFFIX = '.failed';

/** The JSON and SARIF report files in `dir`: `<prefix>policy-report<suffix>.json` and `.sarif`. */
export function reportFiles(dir: string, prefix = '', suffix = ''): [string, string] {
  return [
    path.join(dir, prefix + PolicyReport.JSON_FILE_NAME.replace(/\.json$/, `${suffix}.json`)),
    path.join(dir, prefix + PolicyReport.SARIF_FILE_NAME.replace(/\.sarif$/, `${suffix}.sarif`)),
  ];
}

/** Writes `<prefix>policy-report<suffix>.json` and `.sarif` into `dir`. */
export function writeReport(report: PolicyReport, dir: string, prefix = '', suffix = ''): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const [json, sarif] = reportFiles(dir, prefix, suffix);
  removeStaleTemporaries(dir, [json, sarif]);
  // streamed, one finding at a time: a report of millions of findings never becomes one string
  report.writeJsonFile(json);
  report.writeSarifFile(sarif);
  return [json, sarif];
}

/** Removes every report (`<prefix>policy-report{,.failed}.{json,sarif}`) from `dir`; returns the files that were there. */
export function removeReports(dir: string, prefix = ''): string[] {
  const removed: string[] = [];
  for (const file of [...reportFiles(dir, prefix), ...reportFiles(dir, prefix, FAILED_SUFFIX)]) {
    if (!fs.existsSync(file)) continue;
    fs.rmSync(file, { force: true });
    removed.push(file);
  }
  return removed;
}

/** Removes the reports of a failed run (`<prefix>policy-report.failed.{json,sarif}`) from `dir`, where there are. */
export function removeFailedReports(dir: string, prefix = ''): void {
  for (const file of reportFiles(dir, prefix, FAILED_SUFFIX)) fs.rmSync(file, { force: true });
}
