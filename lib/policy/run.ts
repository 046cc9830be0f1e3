import { IConstruct } from 'constructs';

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
 * @internal
 */
export function _runPolicy(app: IConstruct, objects: SynthesizedObject[], outdir?: string): void {
  // Placeholder: the engine is filled in incrementally.
  void app; void objects; void outdir;
}
