import { IConstruct } from 'constructs';
import { Policy } from './policy';
import { PolicyReport } from './report';
import { carryCodeSuppressions, checkObjects, FAILED_SUFFIX, runOverObjects, writeReport } from './runner';

/**
 * One object synthesized by a cdk8s app, as handed to the policy check.
 * @internal
 */
export interface SynthesizedObject {
  /** The resolved manifest (`ApiObject.toJson()`). */
  readonly manifest: any;
  /** Construct path of the ApiObject. */
  readonly path: string;
  /** Construct path of its chart. */
  readonly chart: string;
}

/**
 * Runs the packs configured for `app` over `objects`: prints the human summary to stderr,
 * writes policy-report.json and policy-report.sarif into `outdir` (when given), and throws an
 * Error whose message is the summary of errors when any error-level finding remains.
 *
 * Packs and report options come from `Policy.configure(app, options)` (default: the Kubernetes pack).
 * @internal
 */
export function _runPolicy(app: IConstruct, objects: SynthesizedObject[], outdir?: string): void {
  const options = Policy._optionsFor(app);
  const writeReports = options.writeReports ?? true;
  const dir = writeReports ? (options.reportDir ?? outdir) : undefined;
  runOverObjects(app, objects, Policy._packsFor(app), dir);
}

/**
 * Runs the packs configured for `app` over `objects` and returns the report; prints the summary on stderr
 * when there is a finding (headed `shipshape policy (<label>):` with a label). Nothing is written and nothing is thrown.
 * @internal
 */
export function _checkPolicy(app: IConstruct, objects: SynthesizedObject[], label?: string): PolicyReport {
  const report = checkObjects(app, objects, Policy._packsFor(app));
  const printed = report._consoleSummary();
  if (printed !== '') process.stderr.write(label === undefined ? printed : printed.replace(/^shipshape policy:/, `shipshape policy (${label}):`));
  return report;
}

/**
 * Writes the suppressions made in code onto the objects they apply to (annotations), after a passing check.
 * @internal
 */
export function _carrySuppressions(app: IConstruct, report: PolicyReport, objects: SynthesizedObject[]): void {
  carryCodeSuppressions(app, report, objects);
}

/**
 * Writes the report files where the policy options say (default `defaultDir`); `failed` names them
 * `policy-report.failed.{json,sarif}`. Returns the files written (none when reports are turned off).
 * @internal
 */
export function _writePolicyReports(app: IConstruct, report: PolicyReport, defaultDir: string, failed: boolean): string[] {
  const options = Policy._optionsFor(app);
  if (options.writeReports === false) return [];
  return writeReport(report, options.reportDir ?? defaultDir, '', failed ? FAILED_SUFFIX : '');
}
