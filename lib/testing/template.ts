import { ApiObject, App, Chart, DependencyGraph } from 'cdk8s';
import { IConstruct } from 'constructs';
import { Match, Matcher, MatchResult } from './match';
import { fail, NOTE_METADATA, WARNING_METADATA } from '../core/errors';
import { App as ShipshapeApp } from '../k8s/app';
import { clusterProblems, gpuCapacityNotes, karpenterPoolNotes } from '../k8s/cluster-check';
import { outputNotes } from '../k8s/output-notes';
import { toJsonExplained } from '../k8s/render';
import { resolveDependenciesOnce, validateOnce } from '../k8s/synth-steps';
import { Finding } from '../policy/finding';
import { ENGINE_RULES, nearRuleId } from '../policy/internal';
import { outputProblems, possibleRouteConflicts, throwProblems } from '../policy/output-check';
import { Policy } from '../policy/policy';
import { PolicyReport } from '../policy/report';
import { Severity } from '../policy/rule';
import { _carrySuppressions, _placeSuppressions } from '../policy/run';
import { checkObjects, ObjectInput } from '../policy/runner';

/** How many objects an error message lists before it says how many more there are. */
const LISTED_OBJECTS = 20;

/**
 * A warning a construct gave when it was built: printed on stderr (`shipshape warning: <path>: <message>`) and
 * recorded on the construct as `shipshape:warning` metadata. Unlike a policy finding, it is about the construct's
 * props (an even replica count for a quorum system, say), not about an object of the output.
 */
export interface ConstructWarning {
  /** The construct path of the construct that gave the warning. */
  readonly path: string;
  /** The warning. */
  readonly message: string;
}

/**
 * Which findings of a rule `Template.hasFinding` looks for. Every field that is set must match.
 */
export interface FindingOptions {
  /**
   * The severity.
   * @default - errors and warnings
   */
  readonly severity?: Severity;
  /**
   * The object's kind (`Deployment`).
   * @default - any kind
   */
  readonly kind?: string;
  /**
   * The object's `metadata.name`.
   * @default - any name
   */
  readonly name?: string;
  /**
   * The object's `metadata.namespace`.
   * @default - any namespace
   */
  readonly namespace?: string;
  /**
   * The construct path of the object, or of one of its parents (`shop/api` matches `shop/api/Deployment`).
   * @default - anywhere
   */
  readonly path?: string;
  /**
   * Also look at findings that a suppression silences.
   * @default false
   */
  readonly includeSuppressed?: boolean;
}

/**
 * Which findings a `Template` findings assertion looks at. Every field that is set must match.
 */
export interface FindingFilter extends FindingOptions {
  /**
   * The rule id (`SS-K8S-012`).
   * @default - any rule
   */
  readonly ruleId?: string;
}

/**
 * How a `Template` is made.
 */
export interface TemplateOptions {
  /**
   * Run the policy packs over the objects (the packs given to `Policy.attach` on the chart or its app, else those
   * configured with `Policy.configure` on the app, by default the Kubernetes pack). Unlike a synth, findings never
   * throw: assert them with `hasNoFindings` / `hasFinding`.
   *
   * @default true
   */
  readonly policy?: boolean;
}

/**
 * The synthesized Kubernetes objects of a cdk8s chart or app, and the policy findings on them, with assertions
 * for tests of your own constructs (modelled on the AWS CDK `assertions` module).
 *
 * Nothing is written to disk. As `k8s.App.synth()` does, `fromChart` / `fromApp` first run every construct's
 * validations (`node.addValidation`; throwing cdk8s' "Validation failed" error) and check the app's output as a
 * whole (one object per kind, namespace and name across all charts, one route per host and path, no unresolved
 * cdktf / AWS CDK token in any field, and, for a `k8s.App` with a `cluster`, the cluster checks: every pod
 * schedulable, every StorageClass, IngressClass and namespace an object names existing) and throw the error synth
 * throws when that fails. A policy finding never makes them throw: assert findings with `hasFinding` /
 * `hasNoFindings`. Objects are listed in the order cdk8s writes them (charts, then objects, in dependency order),
 * with each suppression made with `Policy.suppress` written onto them as the annotation
 * `suppress.shipshape.io/<rule id>`, as synth writes it.
 *
 * @example
 * const chart = new Chart(new App(), 'shop', { namespace: 'shop' });
 * new k8s.WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.0.0' });
 * const template = testing.Template.fromChart(chart);
 * template.resourceCountIs('Deployment', 1);
 * template.hasResourceProperties('HorizontalPodAutoscaler', { spec: { minReplicas: 3 } });
 * template.hasNoFindings();
 */
export class Template {
  /**
   * The objects of one chart; the policy runs over them alone (a suppression made in another chart is neither
   * applied nor reported as stale here).
   *
   * The whole-output checks run over every chart of the chart's app, as synth runs them: whether a name is unique
   * or a namespace or class exists depends on the other charts, so checking this chart alone would miss a clash
   * with another chart and refuse a reference another chart satisfies. A problem anywhere in the app throws.
   */
  public static fromChart(chart: Chart, options: TemplateOptions = {}): Template {
    return new Template(chart.node.root, chart, options);
  }

  /**
   * The objects of every chart of an app (a shipshape `k8s.App` or a plain cdk8s `App`).
   *
   * A `k8s.App` with a `cluster` gets its `ClusterResources` chart first, as on synth; on a plain cdk8s `App` the
   * checks that need no cluster run.
   */
  public static fromApp(app: App, options: TemplateOptions = {}): Template {
    return new Template(app, app, options);
  }

  /**
   * The synthesized objects (what synth writes, suppression annotations included), in output order.
   */
  public readonly manifests: { [key: string]: any }[];

  /**
   * The policy report (every finding, suppressed ones included, and the rules that ran).
   * @default - undefined when the template was made with `policy: false`
   */
  public readonly report?: PolicyReport;

  /**
   * The warnings the constructs of the template's scope (the chart, or the app) gave when they were built, in
   * construct order (see `ConstructWarning`). Assert them with `hasWarning` and `hasNoWarnings`.
   */
  public readonly warnings: ConstructWarning[];

  /**
   * The notes synth prints on stderr, one line each (without the trailing newline): those the constructs of the
   * template's scope gave (`shipshape note: <path>: ...`: a KEDA trigger without credentials, a probe the mesh
   * answers, one instance on purpose), then those on the output as a whole, read over the whole app as synth reads
   * it (also for a template of one chart): workloads with a Service that admit no caller (no `allowFrom`), the
   * NetworkPolicies of a cluster that does not enforce them, node pools of instance types shipshape has no size for,
   * workload identities no ServiceAccount of the app uses, an Ingress without a class that may route a host and path another class
   * routes (when the cluster's default class is not known), pods that only pools the output has no NodePool for can
   * take, GPU replicas past what the pools hold, a Gateway whose proxy pods the output isolates, an Ingress reading a
   * TLS Secret that cert-manager writes only in another namespace or for other hosts, a Gateway listener reading a
   * certificate Secret of another namespace without a ReferenceGrant, a KEDA trigger authentication the objects name
   * but the output does not hold. They do not fail a synth: what they name may be made outside the app. (A TLS Secret
   * no object of the output makes, with no cert-manager certificate of that name anywhere, is not a note: TLS
   * Secrets are often made outside the output.)
   */
  public readonly notes: string[];

  private readonly paths: string[];

  /**
   * @param root the app: the whole-output checks run over all its charts
   * @param scope the app, or the one chart whose objects the template holds and the policy checks
   */
  private constructor(root: IConstruct, scope: IConstruct, options: TemplateOptions) {
    // the steps synth takes before rendering: a k8s.App with a cluster adds its ClusterResources chart (Namespaces,
    // classes); then cdk8s' dependency resolution (the output order) and every construct's validations
    if (root instanceof ShipshapeApp) root._prepareCluster();
    const constructs = root.node.findAll();
    resolveDependenciesOnce(constructs);
    if (root instanceof ShipshapeApp) root._namespacesFirst(constructs);
    // the checks Policy.attach added are left to this template, which runs the same packs in memory
    Policy._withoutAttachedChecks(() => validateOnce(constructs));
    const all: ObjectInput[] = [];
    for (const c of topology(root)) if (Chart.isChart(c)) all.push(...render(c));
    // the output as a whole, as k8s.App.synth() checks it (and with the same error)
    const cluster = root instanceof ShipshapeApp ? root.cluster : undefined;
    const problems = [...outputProblems(all, cluster), ...(cluster ? clusterProblems(cluster, all) : [])];
    if (problems.length > 0) throwProblems(problems, 'the app\'s output is inconsistent as a whole');

    const objects = scope === root ? all : all.filter(o => o.chart === scope.node.path);
    // as synth prints them: the constructs' own notes (of the template's scope), then those on the output as a whole
    const own = scope.node.findAll().flatMap(c => c.node.metadata.filter(m => m.type === NOTE_METADATA).map(m => `shipshape note: ${c.node.path}: ${m.data}`));
    const clusterNotes = cluster ? [...karpenterPoolNotes(cluster, all), ...gpuCapacityNotes(cluster, all)] : [];
    this.notes = [...own, ...ShipshapeApp._appNotes(constructs, cluster), ...possibleRouteConflicts(all, cluster).map(w => `shipshape warning: ${w}`),
      ...[...clusterNotes, ...outputNotes(all, cluster)].map(n => n.replace(/\n$/, ''))];
    this.warnings = scope.node.findAll().flatMap(c => c.node.metadata.filter(m => m.type === WARNING_METADATA)
      .map(m => ({ path: c.node.path, message: String(m.data) })));
    this.manifests = objects.map(o => o.manifest);
    this.paths = objects.map(o => o.path);
    // suppressions made in code are written onto the objects as synth writes them (with the policy off too)
    if (options.policy ?? true) {
      this.report = checkObjects(scope, objects, Policy._attachedPacksFor(scope) ?? Policy._packsFor(scope));
      _carrySuppressions(scope, this.report, objects);
    } else {
      _placeSuppressions(scope, objects);
    }
  }

  /** The findings that no suppression silences (errors and warnings). */
  public get findings(): Finding[] {
    return this.report ? this.report.findings.filter(f => f.suppression === undefined) : [];
  }

  /** Asserts that there are exactly `count` objects of `kind`. */
  public resourceCountIs(kind: string, count: number): void {
    const n = this.ofKind(kind).length;
    if (n !== count) {
      fail('Template', 'resourceCountIs', kind, `expected ${count} ${kind} object(s), found ${n}`, `the objects are: ${this.inventory()}`);
    }
  }

  /** Asserts that exactly `count` objects of `kind` match `props` (a partial pattern, see `Match`). */
  public resourcePropertiesCountIs(kind: string, props: { [key: string]: any }, count: number): void {
    const n = this.findResources(kind, props).length;
    if (n !== count) {
      fail('Template', 'resourcePropertiesCountIs', kind, `expected ${count} ${kind} object(s) matching the pattern, found ${n}`,
        `the objects are: ${this.inventory()}`);
    }
  }

  /**
   * Asserts that at least one object of `kind` matches `props`, a partial pattern of the whole manifest
   * (`{ metadata: { name: 'api' }, spec: { replicas: 3 } }`): plain objects match when they have at least the keys
   * given, at every depth; use `Match` for arrays and looser comparisons (a matcher as the whole pattern, such as
   * `Match.objectEquals(...)`, is used as it is). The error names the closest object and where it differs.
   */
  public hasResourceProperties(kind: string, props: { [key: string]: any }): void {
    const candidates = this.ofKind(kind);
    if (candidates.length === 0) {
      fail('Template', 'hasResourceProperties', kind, `expected a ${kind} object, found none`, `the objects are: ${this.inventory()}`);
    }
    let closest: { index: number; result: MatchResult } | undefined;
    for (const i of candidates) {
      const result = rootPattern(props).test(this.manifests[i]);
      if (!result.hasFailed()) return;
      if (!closest || result.failures.length < closest.result.failures.length) closest = { index: i, result };
    }
    fail('Template', 'hasResourceProperties', kind,
      `expected a ${kind} object matching the pattern; none of the ${candidates.length} does`,
      `the closest is ${this.describe(closest!.index)}: ${closest!.result.failures.join('; ')}`);
  }

  /** Asserts that every object of `kind` (at least one) matches `props` (a partial pattern, see `hasResourceProperties`). */
  public allResourcesProperties(kind: string, props: { [key: string]: any }): void {
    const candidates = this.ofKind(kind);
    if (candidates.length === 0) {
      fail('Template', 'allResourcesProperties', kind, `expected ${kind} objects, found none`, `the objects are: ${this.inventory()}`);
    }
    for (const i of candidates) {
      const result = rootPattern(props).test(this.manifests[i]);
      if (result.hasFailed()) {
        fail('Template', 'allResourcesProperties', kind, `expected every ${kind} object to match the pattern`,
          `${this.describe(i)} does not: ${result.failures.join('; ')}`);
      }
    }
  }

  /**
   * The objects of `kind` that match `props` (a partial pattern, see `hasResourceProperties`), in output order.
   * @param props the pattern; default: every object of the kind
   */
  public findResources(kind: string, props: { [key: string]: any } = {}): { [key: string]: any }[] {
    // copies: a test that changes a result does not change the template
    return this.ofKind(kind)
      .filter(i => !rootPattern(props).test(this.manifests[i]).hasFailed())
      .map(i => copy(this.manifests[i]));
  }

  /**
   * The findings that `filter` selects (by default: every finding no suppression silences). A `ruleId` that none
   * of the packs that ran has is an error.
   */
  public findFindings(filter: FindingFilter = {}): Finding[] {
    return this.select('findFindings', filter);
  }

  /**
   * Asserts that the policy found nothing that `filter` selects (by default: no unsuppressed error or warning).
   * A `ruleId` that none of the packs that ran has is an error.
   */
  public hasNoFindings(filter: FindingFilter = {}): void {
    const found = this.select('hasNoFindings', filter);
    if (found.length > 0) {
      fail('Template', 'hasNoFindings', describeFilter(filter), `expected no finding, found ${found.length}`,
        `fix or suppress (Policy.suppress) each: ${found.map(showFinding).join('; ')}`);
    }
  }

  /**
   * Asserts that rule `ruleId` reported at least one finding that `options` selects (for example the object's
   * `kind` and `name`). A `ruleId` that none of the packs that ran has is an error (naming the id meant when it differs in case, separator or prefix only). To assert a
   * finding's `jsonPath` or message, read the findings with `findFindings`.
   */
  public hasFinding(ruleId: string, options: FindingOptions = {}): void {
    const wanted: FindingFilter = { ...options, ruleId };
    if (this.select('hasFinding', wanted).length === 0) {
      const all = this.requireReport('hasFinding').findings;
      // a suppressed finding is left out unless asked for: say so when that is why nothing matched
      const suppressed = !wanted.includeSuppressed && this.select('hasFinding', { ...wanted, includeSuppressed: true }).length > 0;
      fail('Template', 'hasFinding', describeFilter(wanted), 'expected a finding, found none',
        suppressed ? 'the matching findings are suppressed: pass includeSuppressed: true to assert them'
          : all.length === 0 ? 'the policy found nothing' : `the findings are: ${all.map(showFinding).join('; ')}`);
    }
  }

  /**
   * Asserts that the construct at `path`, or one under it, gave a warning containing `message` when it was built
   * (see `warnings`). The error lists the warnings there are.
   * @param path a construct path, or the path of one of its parents (`payments/db` matches `payments/db/Resource`)
   * @param message text the warning contains
   */
  public hasWarning(path: string, message: string): void {
    const under = this.warnings.filter(w => w.path === path || w.path.startsWith(`${path}/`));
    if (under.some(w => w.message.includes(message))) return;
    fail('Template', 'hasWarning', path, `expected a construct warning containing ${JSON.stringify(message)}, found none`,
      this.warnings.length === 0 ? 'no construct gave a warning' : `the warnings are: ${this.warnings.map(showWarning).join('; ')}`);
  }

  /** Asserts that no construct of the template's scope gave a warning when it was built (see `warnings`). */
  public hasNoWarnings(): void {
    if (this.warnings.length === 0) return;
    fail('Template', 'hasNoWarnings', this.warnings.length, `expected no construct warning, found ${this.warnings.length}`,
      `change the props each names: ${this.warnings.map(showWarning).join('; ')}`);
  }

  private ofKind(kind: string): number[] {
    const out: number[] = [];
    this.manifests.forEach((m, i) => {
      if (m?.kind === kind) out.push(i);
    });
    return out;
  }

  private describe(i: number): string {
    const m = this.manifests[i] ?? {};
    const ns = m.metadata?.namespace ? `${m.metadata.namespace}/` : '';
    return `${m.kind} ${ns}${m.metadata?.name ?? '<unnamed>'} (${this.paths[i]})`;
  }

  /** The objects, for messages: the first LISTED_OBJECTS, then how many more. */
  private inventory(): string {
    const n = this.manifests.length;
    if (n === 0) return 'none';
    const listed = this.manifests.slice(0, LISTED_OBJECTS).map((_, i) => this.describe(i)).join(', ');
    return n > LISTED_OBJECTS ? `${listed}, and ${n - LISTED_OBJECTS} more` : listed;
  }

  /** The findings `filter` selects; refuses a rule id that no rule that ran has (a typo would otherwise match nothing). */
  private select(method: string, filter: FindingFilter): Finding[] {
    const report = this.requireReport(method);
    const id = filter.ruleId;
    if (id !== undefined) {
      const known = [...report.rules.map(r => r.id), ...ENGINE_RULES.map(r => r.id)];
      if (!known.includes(id)) {
        const packs = [...new Set(report.rules.map(r => r.pack))].join(', ') || 'none';
        // a suggestion only when the id is a slip of a known one, as the engine's SS-POLICY-004 makes it (not another pack's id)
        const near = nearRuleId(id, known);
        fail('Template', `${method}.ruleId`, id, `is not a rule of the packs that ran (${packs})`,
          `${near !== undefined ? `did you mean ${near}? Write` : 'write'} the id as the policy report shows it, or configure the pack that defines it (Policy.configure)`);
      }
    }
    return report.findings.filter(f => selects(filter, f));
  }

  private requireReport(method: string): PolicyReport {
    if (!this.report) {
      fail('Template', method, 'policy: false', 'needs the policy findings', 'make the template with the policy on (the default)');
    }
    return this.report;
  }
}

/** A construct warning in an assertion's message. */
function showWarning(w: ConstructWarning): string {
  return `${w.path}: ${w.message}`;
}

function selects(filter: FindingFilter, f: Finding): boolean {
  if (!filter.includeSuppressed && f.suppression !== undefined) return false;
  if (filter.ruleId !== undefined && f.ruleId !== filter.ruleId) return false;
  if (filter.severity !== undefined && f.severity !== filter.severity) return false;
  if (filter.kind !== undefined && f.kind !== filter.kind) return false;
  if (filter.name !== undefined && f.name !== filter.name) return false;
  if (filter.namespace !== undefined && f.namespace !== filter.namespace) return false;
  if (filter.path !== undefined && f.path !== filter.path && !f.path.startsWith(`${filter.path}/`)) return false;
  return true;
}

function describeFilter(filter: FindingFilter): string {
  const parts = Object.entries(filter).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${v}`);
  return parts.length > 0 ? parts.join(' ') : 'any finding';
}

function showFinding(f: Finding): string {
  const ns = f.namespace ? `${f.namespace}/` : '';
  // an engine finding about a suppression (stale, unknown rule) has no object: name what it is about instead
  const what = f.name !== undefined ? `${f.kind} ${ns}${f.name}` : f.kind === 'Suppression' ? 'a suppression' : `${f.kind} <unnamed>`;
  return `${f.ruleId} (${f.severity}${f.suppression ? ', suppressed' : ''}) ${what} at ${f.path}: ${f.message}`;
}


/** Constructs under `root` in dependency order (what cdk8s uses to order charts and objects). */
function topology(root: IConstruct): IConstruct[] {
  return new DependencyGraph(root.node).topology();
}

/** A chart's objects as cdk8s writes them, with the construct path of each. */
function render(chart: Chart): ObjectInput[] {
  const chartPath = chart.node.path;
  if (chart.toJson !== Chart.prototype.toJson) {
    // a chart that renders itself: its objects carry the chart's path
    return chart.toJson().map((manifest: any) => ({ manifest, path: chartPath, chart: chartPath }));
  }
  return topology(chart)
    .filter((x): x is ApiObject => ApiObject.isApiObject(x) && Chart.of(x) === chart)
    .map(o => ({ manifest: toJsonExplained(o), path: o.node.path, chart: chartPath }));
}

/** A deep copy of a manifest (plain JSON data). */
function copy<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copy) as any;
  if (value === null || typeof value !== 'object') return value;
  const out: any = {};
  for (const [k, v] of Object.entries(value)) out[k] = copy(v);
  return out;
}

/** A pattern given to a Template assertion: a matcher as it is (`Match.objectEquals(...)`), anything else as `objectLike`. */
function rootPattern(props: any): Matcher {
  return Matcher.isMatcher(props) ? props : Match.objectLike(props);
}
