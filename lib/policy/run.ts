import { IConstruct } from 'constructs';
import { KubernetesPack } from './k8s/kubernetes-pack';
import { uncheckedPodTemplates } from './k8s/pod';
import { Policy } from './policy';
import { PolicyReport } from './report';
import { carryCodeSuppressions, checkObjects, FAILED_SUFFIX, removeReports, runOverObjects, writeReport } from './runner';

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
  const packs = Policy._packsFor(app);
  if (!packs.some(p => p instanceof KubernetesPack)) {
    // `packs` replaces the default: a list of one's own packs alone turns every shipshape rule off, silently otherwise
    process.stderr.write(`shipshape note${label === undefined ? '' : ` (${label})`}: the policy runs ${packs.length === 0 ? 'no pack' : `the pack${packs.length === 1 ? '' : 's'} `
      + packs.map(p => p.name).join(', ')} (Policy.configure packs), without shipshape's KubernetesPack: none of its rules (SS-K8S-...) check this output, `
      + 'while shipshape check of the folder runs them; add new KubernetesPack() to the packs to keep them\n');
  }
  const report = checkObjects(app, objects, packs);
  const unchecked = uncheckedPodTemplates(objects, 'Policy.configure(app, { packs })');
  if (unchecked !== undefined) process.stderr.write(`shipshape policy${label === undefined ? '' : ` (${label})`}: ${unchecked}\n`);
  const printed = report._consoleSummary();
  if (printed !== '') process.stderr.write(label === undefined ? printed : printed.replace(/^shipshape policy:/, `shipshape policy (${label}):`));
  return report;
}

/**
 * With the policy off: runs the packs silently (nothing printed, written or thrown) only to write the suppressions
 * made in code onto the objects they apply to, so a check of the written YAML (`shipshape check`) honours them.
 * Does nothing when there is no code suppression.
 * @internal
 */
export function _placeSuppressions(app: IConstruct, objects: SynthesizedObject[]): void {
  if (Policy.suppressionsOf(app).length === 0) return;
  carryCodeSuppressions(app, checkObjects(app, objects, Policy._packsFor(app)), objects);
}

/**
 * The options of the Kubernetes pack configured for `app`, as plain values, or undefined when none runs.
 * @internal
 */
export function _kubernetesPackOptions(app: IConstruct): { exclude: string[]; trustedRegistries: string[] } | undefined {
  const pack = Policy._packsFor(app).find((p): p is KubernetesPack => p instanceof KubernetesPack);
  return pack ? { exclude: [...pack._options.exclude], trustedRegistries: [...pack._options.trustedRegistries] } : undefined;
}

/**
 * The names of the packs other than the Kubernetes pack that run for `app` (recorded beside the output, so
 * `shipshape check` can say when it runs without them).
 * @internal
 */
export function _otherPackNames(app: IConstruct): string[] {
  return Policy._packsFor(app).filter(p => !(p instanceof KubernetesPack)).map(p => p.name);
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

/**
 * Removes the policy reports (passing and failed) from `dir`: with the policy off or its reports turned off, those
 * of an earlier synth would describe manifests that are no longer there. Returns the files removed.
 * @internal
 */
export function _removePolicyReports(dir: string): string[] {
  return removeReports(dir);
}
