import * as fs from 'fs';
import * as path from 'path';
import { App, Aspects, ISynthesisSession, TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';
import { ensureUniqueNameCheck } from './private/registry';
import { PolicyEngine } from '../policy/engine';
import { covers } from '../policy/internal';
import { Policy } from '../policy/policy';
import { PolicyReport } from '../policy/report';
import { IRulePack } from '../policy/rule';
import { FAILED_SUFFIX, removeFailedReports, reportFiles, writeReport } from '../policy/runner';
import { TerraformDocuments, TerraformPack } from '../policy/terraform/terraform-pack';

/**
 * How the Terraform policy check runs on a stack's synth.
 */
export interface TerraformPolicyOptions {
  /**
   * The rule packs to run.
   * @default - [new TerraformPack()]
   */
  readonly packs?: IRulePack[];
  /**
   * Write `policy-report.json` and `policy-report.sarif` next to the stack's `cdk.tf.json`.
   * @default true
   */
  readonly writeReports?: boolean;
  /**
   * Where to write the reports.
   * @default - the stack's output directory (`<outdir>/stacks/<stack>`)
   */
  readonly reportDir?: string;
}

/** Per stack: the options, the last report, and the passing report to write once the stack's synth succeeds. */
const ATTACHED = new WeakMap<TerraformStack, { options: TerraformPolicyOptions; report?: PolicyReport; pending?: PolicyReport }>();

/**
 * Runs the Terraform policy pack on every synth of a cdktf stack, as a stack validation: it runs
 * before the stack's `cdk.tf.json` is written; error findings fail the synth (no file is written),
 * warnings are printed on stderr; reports (JSON, SARIF) are written next to the output.
 * Suppress a rule for a construct with `policy.Policy.suppress(scope, 'SS-EKS-004', reason)`.
 *
 * shipshape's AWS constructs attach it to their stack automatically; call `attach` to change the
 * options or to check a stack that has no shipshape construct.
 */
export class TerraformPolicy {
  /**
   * Attaches the check to `stack` (once; a second call replaces the options).
   */
  public static attach(stack: TerraformStack, options: TerraformPolicyOptions = {}): void {
    const existing = ATTACHED.get(stack);
    if (existing) {
      ATTACHED.set(stack, { options });
      return;
    }
    ATTACHED.set(stack, { options });
    stack.node.addValidation({ validate: () => TerraformPolicy.run(stack) });
    // a passing check's reports are written only once the stack's synth has passed every validation and written its
    // JSON; a synth another validation fails writes them as failed, leaving the previous ones beside the previous JSON
    const inner = stack.synthesizer;
    stack.synthesizer = {
      synthesize: (session: ISynthesisSession) => {
        try {
          inner.synthesize(session);
        } catch (e) {
          TerraformPolicy.writePending(stack, true);
          throw e;
        }
        TerraformPolicy.writePending(stack, false);
      },
    };
    // aspects run on every synth, validations not with skipValidation: then say so, and leave no report that
    // describes an earlier Terraform JSON beside the one written now
    Aspects.of(stack).add({ visit: (node: IConstruct) => { if (node === stack) TerraformPolicy.noticeSkipped(stack); } });
  }

  /**
   * The report of the last check of `stack`.
   * @returns undefined when the stack has not been synthesized with the check attached
   */
  public static lastReport(stack: TerraformStack): PolicyReport | undefined {
    return ATTACHED.get(stack)?.report;
  }

  /**
   * Attaches the check with default options to the stack of `scope` unless one is attached.
   * @internal
   */
  public static _ensure(scope: IConstruct): void {
    const stack = TerraformStack.of(scope);
    if (!ATTACHED.has(stack)) TerraformPolicy.attach(stack);
    ensureUniqueNameCheck(stack);
  }

  /** With `skipValidation`, no check runs: removes the stack's reports and says so on stderr. */
  private static noticeSkipped(stack: TerraformStack): void {
    const app = App.of(stack);
    if (!app.skipValidation) return;
    const state = ATTACHED.get(stack)!;
    if (state.options.writeReports ?? true) {
      const dir = TerraformPolicy.reportDir(stack, state.options);
      for (const f of [...reportFiles(dir), ...reportFiles(dir, '', FAILED_SUFFIX)]) fs.rmSync(f, { force: true });
    }
    process.stderr.write(`shipshape: stack ${stack.node.id}: skipValidation is set, so shipshape's checks and the policy pack did not run `
      + 'and no policy report was written; nothing guards this Terraform JSON: synthesize without skipValidation before applying it\n');
  }

  /** Writes the report of a passing check once the stack's synth has ended: as failed when the synth failed. */
  private static writePending(stack: TerraformStack, failed: boolean): void {
    const state = ATTACHED.get(stack)!;
    const report = state.pending;
    state.pending = undefined;
    if (report === undefined) return;
    const dir = TerraformPolicy.reportDir(stack, state.options);
    if (failed) {
      writeReport(report, dir, '', FAILED_SUFFIX);
    } else {
      writeReport(report, dir);
      removeFailedReports(dir);
    }
  }

  private static reportDir(stack: TerraformStack, options: TerraformPolicyOptions): string {
    return options.reportDir ?? path.join(App.of(stack).outdir, 'stacks', stack.node.id);
  }

  private static run(stack: TerraformStack): string[] {
    const state = ATTACHED.get(stack)!;
    const options = state.options;
    const json = stack.toTerraform();
    const docs = TerraformDocuments.fromJson(json, stack.node.path);
    const engine = new PolicyEngine({ packs: options.packs ?? [new TerraformPack()] });
    const scopePath = stack.node.path;
    const report = engine._check(docs, Policy.suppressionsOf(stack), [],
      (s) => covers(scopePath, s.path) || covers(s.path, scopePath));
    state.report = report;
    if (options.writeReports ?? true) {
      const dir = TerraformPolicy.reportDir(stack, options);
      // every finding is about the stack's Terraform JSON (SARIF consumers need a file for each result)
      const located = report._located(() => undefined, path.join(App.of(stack).outdir, 'stacks', stack.node.id, 'cdk.tf.json'));
      if (report.hasErrors) {
        // the synth fails and writes no Terraform JSON: the previous reports stay beside the previous cdk.tf.json
        writeReport(located, dir, '', FAILED_SUFFIX);
      } else {
        state.pending = located;
      }
    }
    const printed = report._consoleSummary();
    if (printed !== '') process.stderr.write(printed);
    return report.hasErrors ? [report.summary(true)] : [];
  }

  private constructor() {}
}
