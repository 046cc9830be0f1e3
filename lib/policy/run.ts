import { IConstruct } from 'constructs';
import { Policy } from './policy';
import { runOverObjects } from './runner';

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
 * Error whose message is the summary of errors when any error-level finding remains (the caller
 * then writes no manifest).
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
