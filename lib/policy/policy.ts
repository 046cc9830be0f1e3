import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { SUPPRESS_ANNOTATION_PREFIX } from './annotations';
import { PolicyEngine } from './engine';
import { Suppression } from './finding';
import { isCdk8sApp, PACK_NAME, PACK_NAME_SHAPE, RESERVED_PACK_NAMES, RULE_ID, RULE_ID_SHAPE, unsuppressible } from './internal';
import { KubernetesPack } from './k8s/kubernetes-pack';
import { outputProblems } from './output-check';
import { cdk8sObjectFiles } from './output-files';
import { PolicyReport } from './report';
import { IRulePack } from './rule';
import { carryCodeSuppressions, checkObjects, FAILED_SUFFIX, removeFailedReports, reportFiles, writeReport } from './runner';
import { fail } from '../core/errors';

/** Minimum length of a suppression reason. */
const MIN_REASON = 10;

/**
 * How the policy check runs on a synth.
 */
export interface PolicyOptions {
  /**
   * The rule packs to run. The list replaces the default: list `new KubernetesPack()` beside packs of your own to keep
   * shipshape's rules (a list without it is said in a note at every synth).
   * @default - [new KubernetesPack()]
   */
  readonly packs?: IRulePack[];
  /**
   * Write `policy-report.json` and `policy-report.sarif` (into `<outdir>/.shipshape/`, out of the way of
   * `kubectl apply -f <outdir>`, unless `reportDir` says otherwise).
   * @default true
   */
  readonly writeReports?: boolean;
  /**
   * Where to write the reports. With a `k8s.App`: not the output folder itself (`kubectl apply -f` would read the
   * reports as manifests); reports an earlier synth left in `<outdir>/.shipshape/` are removed when they go
   * elsewhere, and those in this folder when a synth writes none (policy or reports off): they would describe
   * other manifests.
   * @default - `<outdir>/.shipshape/` of the app
   */
  readonly reportDir?: string;
}

/**
 * Options of `Policy.suppress`.
 */
export interface SuppressOptions {
  /**
   * The name of the pack that defines the rule (its `IRulePack.name`). The suppression silences the rule only when
   * that pack runs and has the rule. When no pack of that name runs in the app, the suppression is left alone: it
   * silences nothing, it is neither reported as stale (`SS-POLICY-001`) nor as naming an unknown rule
   * (`SS-POLICY-004`), and nothing is written onto the objects. For a construct library that ships a pack and
   * suppresses that pack's rules in its own constructs, whose users may or may not run the pack.
   * A suppression that plainly names the wrong pack or id fails the synth with `SS-POLICY-004`: the id is a rule of
   * another pack that runs, or a slip of a rule of the named pack (`ACME-01` for `ACME-001`). One naming a pack that
   * runs without that rule (a pack its user filtered) is left alone, as for a pack that does not run.
   * @default - the rule must be in one of the packs that run, else the synth fails with `SS-POLICY-004`
   */
  readonly pack?: string;
}

/**
 * The policy settings of every app, kept once per process rather than once per copy of this module: a team's
 * construct library may bring its own copy of shipshape, and a suppression or configuration made through that copy
 * (its `Policy.suppress`, its `Policy.configure`) must reach the app, whichever copy made the app. The key is
 * versioned: a copy with another layout of these settings would use another key.
 */
interface SharedSettings {
  readonly suppressions: WeakMap<IConstruct, Suppression[]>;
  readonly options: WeakMap<IConstruct, PolicyOptions>;
}
const SETTINGS_KEY = Symbol.for('shipshape.policy.settings/v1');
const SETTINGS: SharedSettings = (globalThis as any)[SETTINGS_KEY] ??= { suppressions: new WeakMap(), options: new WeakMap() };
const SUPPRESSIONS = SETTINGS.suppressions;

/** Per app: whether a synth is running, which attached checks already ran in it, and the reports still to write. */
interface SynthState {
  active: number;
  readonly done: Set<object>;
  /** True during `synth()` (which writes files), false during `synthYaml()`. */
  writesFiles: boolean;
  /** Report writes waiting for the end of `synth()`, called with whether it wrote the manifests. */
  readonly pending: Array<(wrote: boolean) => void>;
}
const SYNTH_STATE = new WeakMap<App, SynthState>();
/** The packs given to `Policy.attach` on an App or Chart (when given), for `testing.Template`. */
const ATTACHED_PACKS = new WeakMap<IConstruct, readonly IRulePack[]>();
/** Above 0 while `testing.Template` runs the validations: the checks `Policy.attach` added then do nothing (no report written). */
let templating = 0;

/**
 * cdk8s re-runs every node validation once per chart (Chart.toJson validates the whole app), so the
 * check remembers that it already ran during the current `synth()` / `synthYaml()` and runs once. The reports of a
 * check that ran in `synth()` are written when it ends, once cdk8s has written (and named) the manifest files.
 */
function trackSynth(app: App): SynthState {
  let state = SYNTH_STATE.get(app);
  if (state) return state;
  const st: SynthState = { active: 0, done: new Set<object>(), writesFiles: false, pending: [] };
  SYNTH_STATE.set(app, st);
  for (const method of ['synth', 'synthYaml'] as const) {
    const original = (app as any)[method];
    (app as any)[method] = function (this: App, ...args: any[]) {
      if (st.active === 0) {
        st.done.clear();
        st.writesFiles = method === 'synth';
      }
      st.active++;
      let wrote = false;
      try {
        const result = original.apply(this, args);
        wrote = true;
        return result;
      } finally {
        st.active--;
        if (st.active === 0) {
          st.done.clear();
          const pending = st.pending.splice(0);
          for (const write of pending) {
            if (wrote) {
              write(true);
            } else {
              // the synth failed: the reports of the run still land, and its own error is the one thrown
              try {
                write(false);
              } catch (e: any) {
                process.stderr.write(`shipshape policy: could not write the reports: ${e?.message ?? e}\n`);
              }
            }
          }
        }
      }
    };
  }
  return st;
}
const OPTIONS = SETTINGS.options;

/**
 * Entry points of the policy engine on a construct tree: suppress a rule, attach the check to an app or
 * chart, configure the packs `k8s.App` runs.
 */
export class Policy {
  /**
   * Suppresses rule `ruleId` for every object under `scope`, with a reason that appears in every report.
   * A suppression that matches no finding is itself reported, so stale ones do not rot; one whose rule is in
   * none of the packs that run fails the synth (with the closest known id), unless `options.pack` names a pack
   * that does not run (see `SuppressOptions.pack`). A second suppression of the same rule on the same construct (and
   * pack) throws, naming the first and its reason: it would silence nothing.
   * @param scope the construct whose objects the suppression covers (an object, a construct, a chart, the app)
   * @param ruleId the rule id, for example `SS-K8S-012`
   * @param reason why the rule does not apply here, at least 10 characters
   * @param options the pack that defines the rule
   */
  public static suppress(scope: IConstruct, ruleId: string, reason: string, options: SuppressOptions = {}): void {
    if (typeof ruleId !== 'string' || ruleId.trim() === '') {
      fail(scope, 'ruleId', ruleId, 'must name a rule, for example SS-K8S-012', 'pass the id shown in the policy report');
    }
    // the id also names the suppression annotation (suppress.shipshape.io/<id>), so it must be a label-key name
    if (!RULE_ID.test(ruleId.trim())) {
      fail(scope, 'ruleId', ruleId, `is not a rule id: ${RULE_ID_SHAPE}`,
        'pass the id shown in the policy report, for example SS-K8S-012');
    }
    const engine = unsuppressible(ruleId);
    if (engine !== undefined) {
      fail(scope, 'ruleId', ruleId, `is a finding of the policy engine, which cannot be suppressed: ${engine.slice(0, engine.indexOf(':'))}`, engine.slice(engine.indexOf(':') + 2));
    }
    if (typeof reason === 'string' && reason.trim() === '') {
      fail(scope, 'reason', reason, reason === '' ? 'is empty' : 'is blank (only white space)', 'say why the rule does not apply here, so a reviewer can judge it');
    }
    if (typeof reason !== 'string' || reason.trim().length < MIN_REASON) {
      fail(scope, 'reason', reason, `must be at least ${MIN_REASON} characters`, 'say why the rule does not apply here, so a reviewer can judge it');
    }
    const pack = options.pack;
    if (pack !== undefined && (typeof pack !== 'string' || pack.trim() === '')) {
      fail(scope, 'options.pack', pack, 'must name a rule pack (its IRulePack.name), for example acme',
        'pass the name of the pack that defines the rule, or leave pack unset');
    }
    // a pack of another shape is refused by the engine, so no pack of that name could ever run
    if (pack !== undefined && !PACK_NAME.test(pack.trim())) {
      fail(scope, 'options.pack', pack, `is not a pack name: ${PACK_NAME_SHAPE}, so no pack of that name can run`,
        'pass the name of the pack that defines the rule as its IRulePack.name reads, for example acme, or leave pack unset');
    }
    // a name shipshape keeps for itself (other than its own packs'): no pack of that name can run either
    if (pack !== undefined && RESERVED_PACK_NAMES.has(pack.trim()) && pack.trim() !== 'kubernetes' && pack.trim() !== 'terraform') {
      fail(scope, 'options.pack', pack, `is a name shipshape uses itself (${RESERVED_PACK_NAMES.get(pack.trim())}), which no pack may have, so the suppression could never apply`,
        'pass the name of the pack that defines the rule as its IRulePack.name reads, for example acme, or leave pack unset');
    }
    const root = scope.node.root;
    let list = SUPPRESSIONS.get(root);
    if (!list) {
      list = [];
      SUPPRESSIONS.set(root, list);
    }
    // the same rule twice on one construct: the second would silence nothing and be reported as stale (SS-POLICY-001)
    const id = ruleId.trim();
    const same = list.find(s => s.ruleId === id && s.path === scope.node.path && s.pack === (pack === undefined ? undefined : pack.trim()));
    if (same !== undefined) {
      fail(scope, 'ruleId', id, `is already suppressed at ${same.path || '<root>'} with reason ${JSON.stringify(same.reason)}${same.pack !== undefined ? ` (pack ${same.pack})` : ''}`,
        'keep one: remove this Policy.suppress call, or the earlier one (a second suppression of a rule on one construct silences nothing)');
    }
    list.push({ ruleId: id, reason: reason.trim(), path: scope.node.path, ...(pack !== undefined ? { pack: pack.trim() } : {}) });
  }

  /**
   * The suppressions registered anywhere in the construct tree of `scope`.
   */
  public static suppressionsOf(scope: IConstruct): Suppression[] {
    return [...(SUPPRESSIONS.get(scope.node.root) ?? [])];
  }

  /**
   * Sets the packs and report options the policy check uses for the whole app `scope` (used by `k8s.App` and by
   * `Policy.attach`). One configuration checks every object of the app, since the cross-object rules look across
   * charts: `scope` must be the App. To leave a rule out for one chart or construct, suppress it there
   * (`Policy.suppress(chart, ruleId, reason)`); on a plain cdk8s App, `Policy.attach(chart, { packs })` checks one
   * chart with packs of its own.
   * A pack the engine refuses throws here, as it would at synth: a rule with a bad id, severity, message, fix or
   * kinds (empty, or a slip of a well-known kind such as `deployment`), an id twice (or in two cases), or a pack name that is blank, not lower-case letters, digits and '-' (`acme-platform`), twice,
   * or one shipshape uses itself (`engine`, `unknown`, `shipshape`, `security`, `reliability`; `kubernetes` and
   * `terraform` on a pack of your own). So does a second call for the same app, which would silently replace the first one's packs.
   * @param scope the App (k8s.App, or a plain cdk8s App)
   */
  public static configure(scope: IConstruct, options: PolicyOptions): void {
    if (scope.node.root !== scope) {
      fail(scope, 'scope', scope.node.path, 'is not the App: Policy.configure sets the packs of the whole app (one pack checks every object, for the rules that look across charts)',
        'pass the App; to leave a rule out for this part of the app, suppress it here with Policy.suppress(scope, ruleId, reason) '
        + '(on a plain cdk8s App, Policy.attach(chart, { packs }) checks one chart with packs of its own)');
    }
    checkPacks(options);
    const before = OPTIONS.get(scope.node.root);
    if (before !== undefined) {
      // last-wins would silently drop the packs of the first call (often a construct library's company pack)
      const packs = (before.packs ?? [new KubernetesPack()]).map(p => p.name).join(', ') || 'none';
      fail(scope, 'options', `packs ${packs}`, 'are already configured: Policy.configure was called for this app before, and a second call would replace them',
        'configure the app once, with every pack and option (a library that configures the app can take the app\'s extra packs as an argument)');
    }
    OPTIONS.set(scope.node.root, options);
  }

  /**
   * Adds the policy check to a plain cdk8s `App` or to one `Chart`: it runs as a node validation, before
   * any file is written. Errors fail the synth; warnings are printed on stderr. The reports (in
   * `<outdir>/.shipshape/`, `<chart id>.`-prefixed for a chart) are written when `synth()` ends; those of a synth
   * that fails are `policy-report.failed.{json,sarif}`, and the previous reports stay.
   * Not needed on `k8s.App`, which runs the check itself. Packs with a rule the engine refuses throw here, as in
   * `Policy.configure`.
   * @param scope a cdk8s App or Chart
   * @param options packs and reports
   */
  public static attach(scope: IConstruct, options: PolicyOptions = {}): void {
    const isApp = isCdk8sApp(scope);
    if (!isApp && !Chart.isChart(scope)) {
      fail(scope, 'scope', scope.node.path || '<root>', 'must be a cdk8s App or Chart', 'attach the policy to your App or to a Chart');
    }
    checkPacks(options);
    const owner = App.of(scope);
    const state = isCdk8sApp(owner) ? trackSynth(owner) : undefined;
    const token = {};
    if (options.packs !== undefined) ATTACHED_PACKS.set(scope, options.packs);
    scope.node.addValidation({
      validate: () => {
        // testing.Template runs the check itself, in memory, with the attached packs
        if (templating > 0) return [];
        if (state && state.active > 0) {
          if (state.done.has(token)) return [];
          state.done.add(token);
        }
        // a shipshape k8s.App with its policy on runs the check itself over the same objects
        if (isApp && (scope as any).policy === true && typeof (scope as any).synth === 'function' && scope.constructor !== App) return [];
        const charts: Chart[] = isApp ? (scope as App).charts : [scope as Chart];
        const objects = [];
        const apiObjects: ApiObject[] = [];
        for (const chart of charts) {
          for (const c of chart.node.findAll()) {
            if (!ApiObject.isApiObject(c) || Chart.of(c) !== chart) continue;
            const obj = c as ApiObject;
            apiObjects.push(obj);
            objects.push({ manifest: obj.toJson(), path: obj.node.path, chart: chart.node.path });
          }
        }
        const problems = outputProblems(objects);
        if (problems.length > 0) {
          return [`the ${isApp ? 'app' : `chart ${scope.node.path}`}'s output is inconsistent as a whole:\n  ${problems.join('\n  ')}`];
        }
        const app = App.of(scope);
        const writeReports = options.writeReports ?? true;
        const dir = writeReports ? (options.reportDir ?? (isCdk8sApp(app) ? path.join(app.outdir, '.shipshape') : undefined)) : undefined;
        const prefix = isApp ? '' : `${scope.node.id}.`;
        try {
          const report = checkObjects(scope, objects, options.packs?.map(KubernetesPack._own) ?? Policy._packsFor(scope));
          const printed = report._consoleSummary();
          if (printed !== '') process.stderr.write(printed);
          if (dir !== undefined) {
            // as k8s.App does: the reports of a run that fails are written as policy-report.failed.*, and the previous
            // reports stay beside the manifests they describe; a run that passes removes the failed run's reports
            const passed = (r: PolicyReport) => {
              writeReport(r, dir, prefix);
              removeFailedReports(dir, prefix);
            };
            const failed = (r: PolicyReport) => writeReport(r, dir, prefix, FAILED_SUFFIX);
            if (state !== undefined && state.active > 0 && state.writesFiles && isCdk8sApp(app)) {
              // written when synth() ends: each finding then names the file cdk8s wrote its object to (SARIF consumers
              // refuse a result without one); a synth that fails writes no manifest, and its reports name no file
              const manifests = new Map(objects.map(o => [o.path, o.manifest]));
              state.pending.push(wrote => (wrote ? passed(locate(report, app, scope, manifests)) : failed(report)));
            } else if (report.hasErrors) {
              failed(report);
            } else {
              passed(report);
            }
          }
          if (report.hasErrors) {
            // as k8s.App says: where the reports of the failed run go
            const where = dir === undefined ? '' : `\nreports of this failed run: ${reportFiles(dir, prefix, FAILED_SUFFIX).map(f => path.relative(process.cwd(), f) || f).join(', ')}`;
            return [report.summary(true) + where];
          }
          // suppressions travel with the objects: cdk8s renders them again after the validations
          const before = objects.map(o => new Set(Object.keys(o.manifest?.metadata?.annotations ?? {})));
          carryCodeSuppressions(scope, report, objects);
          objects.forEach((o, i) => {
            const ann = o.manifest?.metadata?.annotations ?? {};
            for (const key of Object.keys(ann)) {
              if (key.startsWith(SUPPRESS_ANNOTATION_PREFIX) && !before[i].has(key)) apiObjects[i].metadata.addAnnotation(key, ann[key]);
            }
          });
        } catch (e: any) {
          // a report that cannot be written, or a suppression that cannot be carried: a validation error like any other
          return [e.message];
        }
        return [];
      },
    });
  }

  /**
   * The packs configured for the tree of `scope`.
   * @internal
   */
  public static _packsFor(scope: IConstruct): IRulePack[] {
    const packs = OPTIONS.get(scope.node.root)?.packs;
    return packs === undefined ? [new KubernetesPack()] : packs.map(KubernetesPack._own);
  }

  /**
   * The packs `Policy.attach` was given on `scope` or, for a Chart, on its App (undefined when none was given there).
   * @internal
   */
  public static _attachedPacksFor(scope: IConstruct): IRulePack[] | undefined {
    const packs = ATTACHED_PACKS.get(scope) ?? (Chart.isChart(scope) ? ATTACHED_PACKS.get(scope.node.root) : undefined);
    return packs?.map(KubernetesPack._own);
  }

  /**
   * Runs `fn` (the validations, for `testing.Template`) with the checks `Policy.attach` added turned off: the template
   * runs the policy itself, in memory, and nothing is printed or written.
   * @internal
   */
  public static _withoutAttachedChecks<T>(fn: () => T): T {
    templating++;
    try {
      return fn();
    } finally {
      templating--;
    }
  }

  /**
   * The options configured for the tree of `scope`.
   * @internal
   */
  public static _optionsFor(scope: IConstruct): PolicyOptions {
    return OPTIONS.get(scope.node.root) ?? {};
  }

  private constructor() {}
}

/**
 * Builds an engine with the packs of `options`, if any, so that a rule the engine refuses throws where the packs are
 * given rather than at synth (which builds the engine again, and checks the rules again).
 */
function checkPacks(options: PolicyOptions): void {
  if (options?.packs !== undefined) new PolicyEngine({ packs: options.packs.map(KubernetesPack._own) });
}

/**
 * `report` with each finding's file: the file cdk8s wrote its object to (a finding about a construct takes the file
 * of its first object, else the first file of the attached scope). Called after `synth()`.
 */
function locate(report: PolicyReport, app: App, scope: IConstruct, manifests: Map<string, any>): PolicyReport {
  if (report.findings.length === 0) return report;
  const files = cdk8sObjectFiles(app, obj => manifests.get(obj.node.path) ?? obj.toJson());
  const fallback = files.fileOf(scope.node.path) ?? files.first ?? '';
  return report._located(f => {
    const rel = files.fileOf(f.path);
    return rel === undefined ? undefined : path.join(app.outdir, rel);
  }, path.join(app.outdir, fallback));
}
