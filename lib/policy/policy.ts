import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { SUPPRESS_ANNOTATION_PREFIX } from './annotations';
import { Suppression } from './finding';
import { isCdk8sApp } from './internal';
import { KubernetesPack } from './k8s/kubernetes-pack';
import { outputProblems } from './output-check';
import { IRulePack } from './rule';
import { carryCodeSuppressions, runOverObjects } from './runner';
import { fail } from '../core/errors';

/** Minimum length of a suppression reason. */
const MIN_REASON = 10;

/**
 * How the policy check runs on a synth.
 */
export interface PolicyOptions {
  /**
   * The rule packs to run.
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
   * Where to write the reports.
   * @default - `<outdir>/.shipshape/` of the app
   */
  readonly reportDir?: string;
}

const SUPPRESSIONS = new WeakMap<IConstruct, Suppression[]>();
/** Per app: whether a synth is running, and which attached checks already ran in it. */
const SYNTH_STATE = new WeakMap<App, { active: number; done: Set<object> }>();

/**
 * cdk8s re-runs every node validation once per chart (Chart.toJson validates the whole app), so the
 * check remembers that it already ran during the current `synth()` / `synthYaml()` and runs once.
 */
function trackSynth(app: App): { active: number; done: Set<object> } {
  let state = SYNTH_STATE.get(app);
  if (state) return state;
  const st = { active: 0, done: new Set<object>() };
  SYNTH_STATE.set(app, st);
  for (const method of ['synth', 'synthYaml'] as const) {
    const original = (app as any)[method];
    (app as any)[method] = function (this: App, ...args: any[]) {
      if (st.active === 0) st.done.clear();
      st.active++;
      try {
        return original.apply(this, args);
      } finally {
        st.active--;
        if (st.active === 0) st.done.clear();
      }
    };
  }
  return st;
}
const OPTIONS = new WeakMap<IConstruct, PolicyOptions>();

/**
 * Entry points of the policy engine on a construct tree: suppress a rule, attach the check to an app or
 * chart, configure the packs `k8s.App` runs.
 */
export class Policy {
  /**
   * Suppresses rule `ruleId` for every object under `scope`, with a reason that appears in every report.
   * A suppression that matches no finding is itself reported, so stale ones do not rot; one whose rule is in
   * none of the packs that run fails the synth (with the closest known id).
   * @param scope the construct whose objects the suppression covers (an object, a construct, a chart, the app)
   * @param ruleId the rule id, for example `SS-K8S-012`
   * @param reason why the rule does not apply here, at least 10 characters
   */
  public static suppress(scope: IConstruct, ruleId: string, reason: string): void {
    if (typeof ruleId !== 'string' || ruleId.trim() === '') {
      fail(scope, 'ruleId', ruleId, 'must name a rule, for example SS-K8S-012', 'pass the id shown in the policy report');
    }
    // the id also names the suppression annotation (suppress.shipshape.io/<id>), so it must be a label-key name
    if (!/^[A-Za-z]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?$/.test(ruleId.trim())) {
      fail(scope, 'ruleId', ruleId, "is not a rule id: a letter, then at most 62 letters, digits, '-', '_' and '.', ending with a letter or digit",
        'pass the id shown in the policy report, for example SS-K8S-012');
    }
    if (typeof reason !== 'string' || reason.trim().length < MIN_REASON) {
      fail(scope, 'reason', reason, `must be at least ${MIN_REASON} characters`, 'say why the rule does not apply here, so a reviewer can judge it');
    }
    const root = scope.node.root;
    let list = SUPPRESSIONS.get(root);
    if (!list) {
      list = [];
      SUPPRESSIONS.set(root, list);
    }
    list.push({ ruleId: ruleId.trim(), reason: reason.trim(), path: scope.node.path });
  }

  /**
   * The suppressions registered anywhere in the construct tree of `scope`.
   */
  public static suppressionsOf(scope: IConstruct): Suppression[] {
    return [...(SUPPRESSIONS.get(scope.node.root) ?? [])];
  }

  /**
   * Sets the packs and report options the policy check uses for the tree of `scope` (used by `k8s.App`
   * and by `Policy.attach`).
   */
  public static configure(scope: IConstruct, options: PolicyOptions): void {
    OPTIONS.set(scope.node.root, options);
  }

  /**
   * Adds the policy check to a plain cdk8s `App` or to one `Chart`: it runs as a node validation, before
   * any file is written. Errors fail the synth; warnings are printed on stderr.
   * Not needed on `k8s.App`, which runs the check itself.
   * @param scope a cdk8s App or Chart
   * @param options packs and reports
   */
  public static attach(scope: IConstruct, options: PolicyOptions = {}): void {
    const isApp = isCdk8sApp(scope);
    if (!isApp && !Chart.isChart(scope)) {
      fail(scope, 'scope', scope.node.path || '<root>', 'must be a cdk8s App or Chart', 'attach the policy to your App or to a Chart');
    }
    const owner = App.of(scope);
    const state = isCdk8sApp(owner) ? trackSynth(owner) : undefined;
    const token = {};
    scope.node.addValidation({
      validate: () => {
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
          const report = runOverObjects(scope, objects, options.packs ?? Policy._packsFor(scope), dir, prefix);
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
    return OPTIONS.get(scope.node.root)?.packs ?? [new KubernetesPack()];
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
