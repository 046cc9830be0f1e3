import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App as Cdk8sApp, AppProps as Cdk8sAppProps, Chart, YamlOutputType } from 'cdk8s';
import { IConstruct } from 'constructs';
import * as yaml from 'js-yaml';
import { useChildTables } from './child-tables';
import { checkPoolArchitectures, checkStorageClass, clusterProblems, gpuCapacityNotes, inOperatorNamespace, karpenterPoolNotes, SYSTEM_NAMESPACES } from './cluster-check';
import { ClusterContext } from './cluster-context';
import { ClusterResources, PodSecurityLevel } from './cluster-resources';
import { FixedFieldsCollector } from './fixed-fields';
import { APP_OWNER, OutputStaging, readRecord, realPath, STATE_DIR, withSignalsDeferred } from './output-folder';
import { outputNotes, readByOutputNotes } from './output-notes';
import { ManifestRenderer } from './render';
import { namespacesFirst, resolveDependenciesOnce, validateOnce } from './synth-steps';
import { KubernetesTarget, KubernetesVersion } from './target';
import { Workload } from './workloads/workload';
import { _toYamlStream, _writeYamlFile, _YamlFileWriter } from './yaml';
import { checkAmiReleaseForVersion } from '../core/ami-release';
import { ClusterProfile } from '../core/cluster-profile';
import { fail, formatValidationMessage, NOTE_METADATA, ShipshapeValidationError, show } from '../core/errors';
import { InstanceTypes } from '../core/instance-types';
import { Validators } from '../core/validators';
import { describeObject, OutputChecker, outputProblems, possibleRouteConflicts, throwProblems } from '../policy/output-check';
import { chartNamer, ObjectFiles, resourceFileName } from '../policy/output-files';
import { Policy } from '../policy/policy';
import { PolicyReport } from '../policy/report';
import { _carrySuppressions, _checkPolicy, _kubernetesPackOptions, _otherPackNames, _placeSuppressions, _removePolicyReports, _writePolicyReports, SynthesizedObject } from '../policy/run';

/**
 * Properties of a shipshape `App`.
 */
export interface AppProps extends Cdk8sAppProps {
  /**
   * Run the policy packs over every synthesized object on `synth()` / `synthYaml()`.
   *
   * Errors fail the synth before any manifest file is written; warnings are printed.
   * Turn it off only when the policy runs elsewhere (for example on the written YAML in CI, with
   * `shipshape check`): synth then neither fails nor prints on a finding and writes no report (it removes
   * those of an earlier synth), but it still writes each suppression made in code with `Policy.suppress`
   * onto the objects it applies to (running the rules silently to find them), so the check in CI honours it.
   *
   * @default true
   */
  readonly policy?: boolean;
  /**
   * The cluster the app is for (`aws.EksCluster.profile`, or a profile written for a cluster shipshape did not
   * create). Its facts reach the workloads: the Kubernetes version becomes the app's `KubernetesTarget`, stateful
   * workloads default to its default StorageClass, and synth refuses a pod no node pool can take (taints,
   * selectors, affinity, requests against the largest instance type and a Karpenter pool's limits, each pod and together the workloads only that
   * pool can take), a claim or Ingress naming a class the
   * cluster lacks, and an object in a namespace that does not exist.
   * @default - no cluster: none of these checks
   */
  readonly cluster?: ClusterProfile;
  /**
   * With a `cluster`: add a `ClusterResources` chart holding the cluster's StorageClasses and IngressClasses and a
   * Namespace (with Pod Security labels) for every namespace the app uses, which every other chart depends on.
   * The namespace an operator's objects must live in (Velero's, for a backup's Schedule) is the operator's: not
   * created here.
   * @default true
   */
  readonly clusterResources?: boolean;
}

/**
 * A file an app writes into its output folder besides the manifests (for example a Markdown report), recorded and
 * replaced like the manifests. Register it with `App.addOutputFile()`.
 */
export interface IOutputFile {
  /** The file's path inside the output folder, with `/` separators (`topology.md`, `reports/summary.md`). */
  readonly path: string;
  /** The file's content; called once per `synth()`, after validation and before anything is written. */
  produce(): string;
}

/**
 * A synth whose output is staged and checked but not yet in the output folder (`App._stage()`).
 * @internal
 */
export interface _StagedOutput {
  /**
   * Moves the staged files into the output folder, removes the stale ones and writes the policy reports; what it
   * replaced and removed is kept aside until `discard`, for `rollback`. Returns the notes for stderr, to print once
   * the commit is final (a fleet prints them when every folder committed).
   */
  commit(): string[];
  /** Undoes `commit` (before `discard`): the output folder is as it was before; false when something could not be put back. */
  rollback(): boolean;
  /** Drops the staging folder: before `commit`, the output folder stays as it was; after it, the commit is final. */
  discard(): void;
}

/**
 * A cdk8s `App` that synthesizes in time linear in the number of objects, runs the policy packs
 * and writes deterministic YAML with a fast emitter.
 *
 * The stock cdk8s `App` renders each chart through an app-wide pass (dependency resolution and
 * validation of the whole app), so an app with one chart per service synthesizes in O(N²).
 * This App resolves dependencies once, validates once, and then goes chart by chart: it renders each
 * object once (the same manifest as `ApiObject.toJson()`, in one pass), checks it, and writes the chart's
 * files into a staging folder, keeping only what the app-wide checks need (every manifest when the policy or a
 * cluster is on). Thousands of charts whose constructs have distinct ids are as fast as one chart. Everything
 * else is as cdk8s does it: chart and ApiObject dependencies order the output, `node.addValidation`
 * validations run, and every `yamlOutputType` writes the same file names as the stock App, with two differences
 * in the per-resource types, where the stock App's names would break `kubectl apply -f` of the folder: a Namespace's
 * or CustomResourceDefinition's file is named `0000-<Kind>.<name>` (kubectl reads files in name order, and
 * `Deployment.api` would come before `Namespace.shop`), the files of what pods use or are governed by from their
 * start (NetworkPolicy, ResourceQuota, LimitRange, ServiceAccount, ConfigMap, Secret, claims, RBAC, classes) are
 * named `0001-<Kind>.<name>`, and an object whose `<Kind>.<name>` file an object of another namespace already has is
 * written to `<Kind>.<name>.<namespace>` (the stock App overwrites the first).
 *
 * Before anything reaches the output folder, the output is checked as a whole: one object per kind, namespace
 * and name across all charts (the error names both construct paths), one route per host and path, one file per
 * output path, and no unresolved token (cdktf, AWS CDK) in any field. Then the policy packs run.
 *
 * The App owns its output directory: files are written to a staging folder and moved in only when every check
 * passed; files an earlier synth of this app wrote and this one does not (a renamed chart's) are removed, and
 * files it never wrote are left alone (a synth that would overwrite one fails, once the folder has a record). The record of written files and the policy reports live in
 * `<outdir>/.shipshape/` (`output.json`, `policy-report.json`, `policy-report.sarif`), out of the way of
 * `kubectl apply -f <outdir>`. A failed synth leaves the previous output untouched and writes its reports as
 * `policy-report.failed.json` / `.sarif`. A suppression made with `Policy.suppress` is written onto each object
 * it applies to as the annotation `suppress.shipshape.io/<rule id>: <reason>`, so `shipshape check <outdir>`
 * reports what synth reported.
 */
export class App extends Cdk8sApp {
  /**
   * Whether the policy packs run on synth.
   */
  public readonly policy: boolean;

  /**
   * The cluster the app is for.
   * @default - none
   */
  public readonly cluster?: ClusterProfile;
  private readonly clusterResources: boolean;
  private readonly outputFiles: IOutputFile[] = [];
  /**
   * What the policy summary on stderr names this app (a fleet's cluster), when several apps print one.
   * @internal
   */
  public _policyLabel?: string;
  /**
   * What the note on stderr gives as the likely cause when a synth removes files an earlier synth wrote (a fleet's
   * cluster: a renamed team or workload).
   * @internal
   */
  public _removalCause?: string;
  /**
   * Who this app's output folder record names as its writer (a fleet's cluster or Argo CD folder); a plain App
   * records `app`. A synth refuses a folder another writer recorded.
   * @internal
   */
  public _owner?: string;
  /**
   * What the note on stderr says would happen to the files in the output folder this app did not write (paths
   * relative to the folder, '/'-separated).
   * @internal
   */
  public _foreignHint?: (files: string[]) => string;
  /**
   * A fleet's cluster folder (per-resource output, whose Namespace and CustomResourceDefinition files are named
   * `0000-<Kind>.<name>` and so sort first): the charts need no dependency on the chart of their Namespace
   * (`_namespacesFirst`), which would number the chart folders.
   * @internal
   */
  public _prerequisitesFirst?: boolean;

  /**
   * Forgets which App of this process synthesized into which folder, as a new process would: for tests that
   * synthesize a second App into a folder to stand for a later run of the program.
   * @internal
   */
  public static _forgetOutdirs(): void {
    OUTDIR_CLAIMS.clear();
    CREATED_WITH_OUTDIR.clear();
  }

  /**
   * The notes synth prints on the app's constructs as a whole, one line each: workloads with a Service that admit no
   * caller, NetworkPolicies a cluster does not enforce, node pools of unknown instance types, and workload identities
   * no ServiceAccount of the app uses (for `synthYaml()` and `Template.notes` as well).
   * @internal
   */
  public static _appNotes(all: IConstruct[], cluster: ClusterProfile | undefined): string[] {
    const notes = [uncalledNote(all, cluster), unenforcedNote(all, cluster)].filter((n): n is string => n !== undefined);
    return cluster === undefined ? notes : [...notes, ...poolNotes(cluster), ...identityNotes(cluster, all)];
  }

  constructor(props: AppProps = {}) {
    super(props);
    // keep V8's shared object shapes when thousands of charts have distinct child ids (see child-tables.ts)
    useChildTables(this.node);
    // every file is YAML: kubectl apply -f and shipshape check read a folder's .yaml, .yml and .json files, a .json one as JSON
    const ext: unknown = this.outputFileExtension;
    if (typeof ext !== 'string' || !/^(\.[A-Za-z0-9_-]+)*\.(yaml|yml)$/.test(ext)) {
      fail(this.node.path || '<app>', 'outputFileExtension', ext, 'must end in .yaml or .yml: the files hold YAML, and kubectl apply -f and shipshape check of the folder read only .yaml, .yml and .json files '
        + '(a .json file as JSON)', 'use ".k8s.yaml" (the default) or ".yaml"');
    }
    noteOutdir(this);
    this.policy = props.policy ?? true;
    this.cluster = props.cluster;
    this.clusterResources = props.clusterResources ?? true;
    if (props.cluster) {
      ClusterContext.set(this, props.cluster);
      KubernetesTarget.set(this, oldestKubelet(props.cluster));
      checkDefaultClasses(props.cluster);
      for (const sc of props.cluster.storageClasses ?? []) checkStorageClass('<app>', sc);
      checkPoolArchitectures('<app>', props.cluster);
      const amiAlias = props.cluster.karpenter?.nodeClass?.amiAlias;
      if (typeof amiAlias === 'string') checkAmiReleaseForVersion('<app>', 'cluster.karpenter.nodeClass.amiAlias', amiAlias, props.cluster.kubernetesVersion);
    }
  }

  /**
   * With a cluster: the ClusterResources chart, holding a Namespace for every namespace the app's objects use
   * (enforcing the least strict Pod Security level a workload there needs), and every other chart depending on it.
   */
  /**
   * `prepareCluster` for testing.Template, which takes the steps synth takes.
   * @internal
   */
  public _prepareCluster(): void {
    this.prepareCluster();
  }

  private prepareCluster(): void {
    // one walk of the tree for both steps (the ClusterResources chart added below has nothing the loop reads)
    const all = this.node.findAll();
    // before anything is rendered or written: no construct may target a Kubernetes newer than its cluster
    const tooNew = targetProblems(this, all);
    if (tooNew.length > 0) throwProblems(tooNew, 'a Kubernetes target is newer than the cluster it is for');
    const cluster = this.cluster;
    if (!cluster) return;
    if (!this.clusterResources) {
      // the namespaces are written by a chart of the program's own (a fleet's platform chart): those shipshape writes
      // (a TeamNamespace's, a ClusterResources chart's) still take the readiness gate their ALB ip targets need
      const targets = new Set<string>();
      const own: ApiObject[] = [];
      for (const c of all) {
        if (!ApiObject.isApiObject(c)) continue;
        const obj = c as ApiObject;
        if (obj.kind === 'Namespace' && obj.metadata.name
          && ((obj.node.scope as any)?.[TEAM_NAMESPACE] === true || obj.node.scopes.some(s => s instanceof ClusterResources))) own.push(obj);
        if (obj.kind === 'Ingress' && obj.metadata.namespace && obj.metadata.toJson().annotations?.['alb.ingress.kubernetes.io/target-type'] === 'ip') targets.add(obj.metadata.namespace);
      }
      for (const ns of own) if (targets.has(ns.metadata.name!)) ns.metadata.addLabel(ClusterResources._READINESS_GATE_LABEL, 'enabled');
      return;
    }
    let resources = this.node.tryFindChild(ClusterResources.ID) as ClusterResources | undefined;
    if (!resources) resources = new ClusterResources(this, ClusterResources.ID, { cluster });
    const defined = new Set<string>(SYSTEM_NAMESPACES);
    const used = new Set<string>();
    const needs = new Map<string, { level: string; reason: string }>();
    /** The namespaces of Ingresses whose ALB sends traffic to the pods directly (ip targets): see _injectReadinessGates. */
    const albTargets = new Set<string>();
    const teamNamespaces = new Map<string, ApiObject>();
    /** Namespaces the program writes itself (ApiObjects of kind Namespace of its own), and those its workloads run in. */
    const ownNamespaces = new Map<string, ApiObject>();
    const workloadNamespaces = new Set<string>();
    for (const c of all) {
      if (c === this || c === resources || c.node.scopes.includes(resources)) continue;
      if (ApiObject.isApiObject(c)) {
        const obj = c as ApiObject;
        if (obj.kind === 'Namespace' && obj.metadata.name) {
          defined.add(obj.metadata.name);
          // a TeamNamespace's Namespace is shipshape's too: it takes the readiness gate like ClusterResources' own
          if ((obj.node.scope as any)?.[TEAM_NAMESPACE] === true) teamNamespaces.set(obj.metadata.name, obj);
          else if (!ownNamespaces.has(obj.metadata.name)) ownNamespaces.set(obj.metadata.name, obj);
        } else if (obj.metadata.namespace && !inOperatorNamespace(obj.apiVersion, obj.kind)) {used.add(obj.metadata.namespace);}
        if (obj.kind === 'Ingress' && obj.metadata.namespace && obj.metadata.toJson().annotations?.['alb.ingress.kubernetes.io/target-type'] === 'ip') albTargets.add(obj.metadata.namespace);
      } else if (Workload.isWorkload(c)) {
        const w = c as Workload;
        workloadNamespaces.add(w.namespace);
        const need = w._podSecurityNeed();
        // the namespace enforces the least strict level any of its workloads needs
        const had = needs.get(w.namespace);
        if (need && (had === undefined || (had.level === 'baseline' && need.level === 'privileged'))) needs.set(w.namespace, need);
      }
    }
    // a Namespace of the program's own, without Pod Security labels, where shipshape workloads run: shipshape defers to
    // it, so neither its labels nor the default deny come with it; said once, on that object
    for (const [ns, obj] of ownNamespaces) {
      if (!workloadNamespaces.has(ns) || obj.metadata.getLabel(ENFORCE_LABEL) !== undefined) continue;
      const note = `namespace ${ns} is written by this Namespace of the program's own, so shipshape writes no Namespace for it: `
        + `the Pod Security labels (${ENFORCE_LABEL}) and the default-deny and allow-dns NetworkPolicies shipshape gives the namespaces it writes are not added `
        + `(SS-K8S-073 and SS-K8S-074 report what is missing); label this Namespace and add the policies yourself, or remove it and let shipshape write namespace ${ns}`;
      if (!obj.node.metadata.some(m => m.type === NOTE_METADATA && m.data === note)) obj.node.addMetadata(NOTE_METADATA, note);
    }
    for (const ns of [...used].sort()) {
      if (defined.has(ns)) continue;
      const need = needs.get(ns);
      resources.addNamespace(ns, need ? { enforce: need.level as PodSecurityLevel, reason: need.reason } : {});
    }
    // a job of an early Argo CD sync wave runs before the default wave: the namespaces it and its destinations run in
    // (the Namespace objects this app writes, with their default deny and DNS policies) must be there by then
    const waves = new Map<string, number>();
    for (const c of all) {
      if (!Workload.isWorkload(c)) continue;
      const w = c as Workload;
      const wave = w._neededWave;
      if (wave === undefined) continue;
      for (const ns of [w.namespace, ...w.egressConnections.filter(x => Workload.isWorkload(x.peer)).map(x => (x.peer as Workload).namespace)]) {
        waves.set(ns, Math.min(waves.get(ns) ?? 0, wave));
      }
    }
    if (waves.size > 0) resources._applyByWaves(waves);
    for (const ns of albTargets) {
      resources._injectReadinessGates(ns);
      teamNamespaces.get(ns)?.metadata.addLabel(ClusterResources._READINESS_GATE_LABEL, 'enabled');
    }
    for (const chart of this.node.children) {
      if (Chart.isChart(chart) && chart !== resources && !chart.node.dependencies.includes(resources)) chart.node.addDependency(resources);
    }
    if (this.policy && Policy._packsFor(this).some(p => p.rules.some(r => r.id === RELAXED_NAMESPACE_RULE))) resources._suppressRelaxedLevels();
  }

  /**
   * Orders the output so every object comes after the Namespace the program writes for it (see `namespacesFirst`),
   * but in a fleet's cluster folder, whose files put Namespaces first by name (`_prerequisitesFirst`).
   * @returns whether a chart was made to depend on another
   * @internal
   */
  public _namespacesFirst(all: IConstruct[]): boolean {
    return this._prerequisitesFirst === true ? false : namespacesFirst(all);
  }

  /**
   * Adds a file that `synth()` writes into the output folder with the manifests (same staging, record and
   * stale-file removal). Its path must stay inside the folder and out of `.shipshape/`.
   */
  public addOutputFile(file: IOutputFile): void {
    const rel = file.path;
    if (typeof rel !== 'string' || rel === '' || rel.startsWith('/') || rel.includes('\\') || rel.split('/').some(p => p === '' || p === '.' || p === '..') || rel.split('/')[0] === STATE_DIR) {
      fail(this.node.path || '<app>', 'addOutputFile.path', rel, `must be a relative path inside the output folder, with / separators, outside ${STATE_DIR}/`, "use a path such as 'topology.md'");
    }
    this.outputFiles.push(file);
  }

  /**
   * Synthesizes all manifests to the output directory.
   *
   * Validations run once, the whole-output checks and the policy run over every object (unless
   * `policy: false`), and no manifest reaches the output folder when any of them fails.
   */
  public synth(): void {
    const staged = this._stage();
    let notes: string[] = [];
    withSignalsDeferred(() => {
      try {
        notes = staged.commit();
      } finally {
        staged.discard();
      }
    });
    for (const n of notes) process.stderr.write(n);
  }

  /**
   * The first half of `synth()`: renders every chart into a staging folder and runs every check (validations,
   * the whole-output checks, the cluster checks, the policy), without changing the output folder. Throws when a
   * check fails (the staging folder is then already discarded, and a policy failure has written its
   * `policy-report.failed.*` reports, as `synth()` does). The caller must call `commit()` (moves the files into
   * place, removes stale ones, writes the reports) or `discard()` (drops the staging folder) on the result.
   * A fleet stages every cluster's app first and commits only when all of them passed.
   * @internal
   */
  public _stage(): _StagedOutput {
    const reportDir = Policy._optionsFor(this).reportDir;
    if (reportDir !== undefined && path.resolve(reportDir) === path.resolve(this.outdir)) {
      // kubectl apply -f <outdir> reads every .json file there: the reports would be applied as manifests and refused
      fail(this, 'Policy reportDir', reportDir, `is the output folder: kubectl apply -f ${this.outdir} would read policy-report.json and `
        + 'policy-report.sarif as manifests and fail on them', `leave reportDir unset (the reports go to ${path.join(this.outdir, STATE_DIR)}) or name a folder outside the output folder`);
    }
    checkOutdir(this, this.outdir);
    claimOutdir(this);
    this.prepareCluster();
    const all = this.node.findAll();
    // same order of steps as cdk8s App.synth(): validate, then resolve dependencies
    validateOnce(all);
    printNotes(all);
    for (const n of App._appNotes(all, this.cluster)) process.stderr.write(`${n}\n`);
    let hasDependantCharts = resolveDependenciesOnce(all);
    if (this._namespacesFirst(all)) hasDependantCharts = true;
    const charts = appCharts(this);

    // Chart by chart: render, check each object, and write the chart's files into the staging folder, which is
    // moved into place only when the whole output has passed. A chart's manifests are kept after that only for
    // the app-wide checks that read every object (the policy, the cluster checks) and the notes on the output.
    // with the policy off, suppressions made in code are still written onto the objects (see _placeSuppressions)
    const carry = Policy.suppressionsOf(this).length > 0;
    const keep = this.policy || carry || this.cluster !== undefined;
    const staging = OutputStaging.open(this.outdir, this._owner ?? APP_OWNER);
    const files = new ChartFiles(this, staging, hasDependantCharts, carry);
    let staged = false;
    try {
      const checker = new OutputChecker(this.cluster);
      const fixed = new FixedFieldsCollector();
      const objects: SynthesizedObject[] = [];
      // the Namespaces this output writes (a Namespace a removed file held may have moved to another file)
      const namespaces = new Set<string>();
      const renderer = new ManifestRenderer(this);
      for (const chart of charts) {
        const r = renderChart(chart, renderer);
        const chartPath = chart.node.path;
        for (let i = 0; i < r.manifests.length; i++) {
          const manifest = r.manifests[i];
          if (manifest === undefined) continue;
          const o = { manifest, path: r.paths[i], chart: chartPath };
          checker.add(o);
          fixed.add(manifest, o.path);
          if (manifest.kind === 'Namespace' && typeof manifest.metadata?.name === 'string') namespaces.add(manifest.metadata.name);
          // without those checks, the objects the whole-output notes read are kept for them alone
          if (keep || readByOutputNotes(manifest)) objects.push(o);
        }
        files.add(r);
      }
      files.finish(this.outputFiles);

      // the output as a whole: nothing is moved into the output folder when it does not hold together
      const problems = [...checker.problems(), ...staging.problems(), ...strayDuplicates(this.outdir, staging.strayFiles(), checker),
        ...(this.cluster ? clusterProblems(this.cluster, objects) : [])];
      if (problems.length > 0) throwProblems(problems, 'the app\'s output is inconsistent as a whole');
      for (const w of checker.warnings()) process.stderr.write(`shipshape warning: ${w}\n`);
      if (this.cluster) for (const n of [...karpenterPoolNotes(this.cluster, objects), ...gpuCapacityNotes(this.cluster, objects)]) process.stderr.write(n);
      printOutputNotes(objects, this.cluster);

      const stateDir = path.join(this.outdir, STATE_DIR);
      let report: PolicyReport | undefined;
      // the reports name each finding's output file (SARIF consumers need a file; the summary keeps construct paths)
      // (given here relative to the working directory when the folder lies under it; both reports name it relative
      // to the root of the Git work tree, however outdir was given and wherever synth runs: the committed reports
      // then read the same on every checkout)
      const shown = (file: string) => {
        const rel = path.relative(process.cwd(), path.resolve(file));
        return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
      };
      const located = (r: PolicyReport) => r._located(f => {
        const rel = files.files.fileOf(f.path);
        return rel === undefined ? undefined : shown(path.join(this.outdir, rel));
      }, shown(path.join(this.outdir, files.files.first ?? '')));
      if (this.policy) {
        report = _checkPolicy(this, objects, this._policyLabel);
        if (report.hasErrors) {
          const written = _writePolicyReports(this, located(report), stateDir, true);
          const where = written.length ? `; reports of this failed run: ${written.map(f => path.relative(process.cwd(), f) || f).join(', ')}` : '';
          const previous = readRecord(this.outdir) !== undefined ? `the previous output in ${this.outdir} is untouched` : `${this.outdir} holds no earlier output of this app`;
          throw new Error(`${report.summary(true)}\nsynth failed: no manifest was written, ${previous}${where}`);
        }
        files.carrySuppressions(() => _carrySuppressions(this, report!, objects));
      } else if (carry) {
        files.carrySuppressions(() => _placeSuppressions(this, objects));
      }
      // the files are final only now (the code suppressions written onto the objects): a folder another program wrote
      // is taken over when this synth writes exactly what it holds
      const handover = staging.handoverProblems();
      if (handover.length > 0) throwProblems(handover, 'the app\'s output is inconsistent as a whole');
      staged = true;
      const passed = report;
      return {
        commit: () => this.commitStaged(staging, passed, located, fixed, namespaces),
        rollback: () => staging.rollback(),
        discard: () => staging.discard(),
      };
    } finally {
      files.close();
      if (!staged) staging.discard();
    }
  }

  /** The second half of `synth()`: moves the staged files into the output folder and writes the reports. */
  private commitStaged(staging: OutputStaging, report: PolicyReport | undefined, located: (r: PolicyReport) => PolicyReport, fixed: FixedFieldsCollector,
    namespaces: ReadonlySet<string>): string[] {
    const notes: string[] = [];
    const stateDir = path.join(this.outdir, STATE_DIR);
    const change = staging.commit(this.policy ? _kubernetesPackOptions(this) : undefined, fixed, this.policy ? _otherPackNames(this) : []);
    // an object that keeps its name but changes what the API server keeps fixed: its apply would fail
    notes.push(...change.fixedChanges);
    const reports = report ? _writePolicyReports(this, located(report), stateDir, false) : [];
    // reports of an earlier synth would describe manifests that are no longer there: none stays in the output
    // folder unless this synth wrote it (reports off, the policy off, or the reports written to another reportDir)
    const elsewhere = reports.length > 0 && path.resolve(path.dirname(reports[0])) !== path.resolve(stateDir);
    if (reports.length === 0 || elsewhere) {
      // with no report written, also those in the reportDir configured (an earlier synth wrote them there)
      const configuredDir = reports.length === 0 ? Policy._optionsFor(this).reportDir : undefined;
      const removed = [..._removePolicyReports(stateDir),
        ...(configuredDir !== undefined && path.resolve(configuredDir) !== path.resolve(stateDir) ? _removePolicyReports(configuredDir) : [])];
      if (removed.length > 0) {
        const why = elsewhere ? `the policy reports go to ${path.relative(process.cwd(), path.dirname(reports[0])) || '.'} now`
          : this.policy ? 'policy reports are turned off' : 'the policy did not run (policy: false)';
        notes.push(`shipshape: ${why}; removed the reports of an earlier synth: ${removed.map(f => path.relative(process.cwd(), f) || f).join(', ')}\n`);
      }
    }
    if (change.removed.length > 0) {
      // a renamed chart, or another App of the program synthesized into the same folder: never silent
      notes.push(`shipshape: removed ${change.removed.join(', ')} from ${this.outdir}: an earlier synth into this folder wrote `
        + `${change.removed.length === 1 ? 'it' : 'them'}, and this app's output no longer has ${change.removed.length === 1 ? 'it' : 'them'} `
        + `(${this._removalCause ?? 'a chart or object renamed or removed since'})\n`);
    }
    // a Namespace no longer written: a sync that prunes deletes it, and everything in it
    const gone = change.removedNamespaces.filter(n => !namespaces.has(n.name));
    for (const n of gone) {
      notes.push(`shipshape warning: ${this.outdir}: Namespace ${n.name} is no longer in the output (an earlier synth wrote it in ${n.file}): applied with pruning `
        + '(an Argo CD Application with prune, kubectl apply --prune) it is deleted, and with it every object in it, PersistentVolumeClaims included, whose volumes '
        + 'go too where their StorageClass reclaims with Delete; kubectl apply without --prune leaves it. If the namespace should stay (a team, chart or app '
        + 'renamed), keep writing it under its name (a FleetTeam\'s namespace, a chart\'s namespace), or delete it by hand once its data is safe\n');
    }
    if (change.unremovable.length > 0) {
      notes.push(`shipshape: could not remove ${change.unremovable.join(', ')} from ${this.outdir}, which an earlier synth wrote and this one no longer makes; `
        + `${change.unremovable.length === 1 ? 'it stays' : 'they stay'} in the record, and the next synth tries again (make ${change.unremovable.length === 1 ? 'it' : 'them'} writable, or delete by hand)\n`);
    }
    if (change.foreign.length > 0) {
      const one = change.foreign.length === 1;
      notes.push(`shipshape: ${this.outdir} also holds ${change.foreign.join(', ')}, which this app did not write `
        + `(${this._foreignHint?.(change.foreign) ?? `kubectl apply -f on the folder would apply ${one ? 'it' : 'them'} too`}); remove ${one ? 'it if it is' : 'them if they are'} left over from an older synth\n`);
    }
    return notes;
  }


  /**
   * Synthesizes the app into a YAML string (all objects of all charts, in chart order).
   *
   * Runs validations once, the whole-output checks, and the policy (unless `policy: false`; no report files
   * are written).
   */
  public synthYaml(): string {
    this.prepareCluster();
    const all = this.node.findAll();
    // same order of steps as cdk8s App.synthYaml(): resolve dependencies, then validate
    resolveDependenciesOnce(all);
    this._namespacesFirst(all);
    validateOnce(all);
    // the notes synth() prints, so a test of the YAML (or a tool reading it) sees them too
    printNotes(all);
    for (const n of App._appNotes(all, this.cluster)) process.stderr.write(`${n}\n`);
    const renderer = new ManifestRenderer(this);
    const rendered = appCharts(this).map(c => renderChart(c, renderer));
    const objects = policyObjects(rendered);
    const problems = [...outputProblems(objects, this.cluster), ...(this.cluster ? clusterProblems(this.cluster, objects) : [])];
    if (problems.length > 0) throwProblems(problems, 'the app\'s output is inconsistent as a whole');
    for (const w of possibleRouteConflicts(objects, this.cluster)) process.stderr.write(`shipshape warning: ${w}\n`);
    if (this.cluster) for (const n of [...karpenterPoolNotes(this.cluster, objects), ...gpuCapacityNotes(this.cluster, objects)]) process.stderr.write(n);
    printOutputNotes(objects, this.cluster);
    if (this.policy) {
      const report = _checkPolicy(this, objects, this._policyLabel);
      if (report.hasErrors) throw new Error(report.summary(true));
      _carrySuppressions(this, report, objects);
    } else {
      _placeSuppressions(this, objects);
    }
    return _toYamlStream(rendered.flatMap(r => r.manifests));
  }
}

/** One chart's objects, rendered once. */
interface RenderedChart {
  readonly chart: Chart;
  /** The ApiObjects whose closest chart is this one, in dependency order. */
  readonly apiObjects: ApiObject[];
  /** What cdk8s writes for the chart (`chart.toJson()` output). */
  readonly manifests: any[];
  /** The construct path of each manifest. */
  readonly paths: string[];
  /** The manifest of an ApiObject (its own rendering when the chart overrides toJson). */
  manifestOf(obj: ApiObject, index: number): any;
}

/**
 * The kinds a per-resource output writes to `0001-<Kind>.<name>` files, after Namespaces and CRDs and before the
 * workloads (see `ChartFiles.first`): what pods use or are governed by from their start, in the spirit of Helm's
 * install order.
 */
const PREREQUISITE_KINDS: ReadonlySet<string> = new Set([
  'NetworkPolicy', 'ResourceQuota', 'LimitRange', 'PriorityClass', 'RuntimeClass', 'StorageClass', 'ServiceAccount', 'Secret', 'ConfigMap',
  'PersistentVolume', 'PersistentVolumeClaim', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding', 'IngressClass',
]);

/**
 * Writes each chart's files into the staging folder as soon as the chart is rendered, with the names the stock
 * App gives them for the app's `yamlOutputType`.
 */
class ChartFiles {
  private readonly ext: string;
  private readonly type: YamlOutputType;
  private readonly namer: (chart: Chart) => string;
  private readonly source: string;
  /** The one file of FILE_PER_APP, open while charts are added. */
  private appFile: _YamlFileWriter | undefined;
  private appDocs: any[] | undefined;
  /** construct-metadata.json's entries, when the app records construct metadata. */
  private readonly resources: { [name: string]: { path: string } } | undefined;
  /** Each file and its manifests, kept only when suppressions may be carried onto manifests after they are written. */
  private readonly written: Array<{ rel: string; readonly docs: any[] }> | undefined;
  /** The output file of each object (relative to the output folder). */
  public readonly files = new ObjectFiles();
  /** The namespace ('' for none) of the object each per-resource file was first named for. */
  private readonly namespaceOf = new Map<string, string>();

  constructor(app: App, private readonly staging: OutputStaging, hasDependantCharts: boolean, mayCarry: boolean) {
    this.ext = app.outputFileExtension;
    this.type = app.yamlOutputType;
    this.namer = chartNamer(hasDependantCharts);
    this.source = app.node.path || '<app>';
    this.resources = (app as any).recordConstructMetadata ? {} : undefined;
    this.written = mayCarry ? [] : undefined;
  }

  /**
   * The prefix of a per-resource file name, so that `kubectl apply -f` of the folder, which reads files in name order,
   * creates what other objects need before them: `0000-` for a Namespace and a CustomResourceDefinition (the API
   * refuses objects in a namespace, or of a kind, that does not exist yet: `Deployment.api` would come before
   * `Namespace.shop`); `0001-` for what pods use or are governed by from their start (`PREREQUISITE_KINDS`: their
   * NetworkPolicies, quota and limit defaults, ServiceAccount, ConfigMaps, Secrets, claims, RBAC), which would
   * otherwise come after a `Deployment.*` file: pods running unisolated, outside the quota, or refused until their
   * ServiceAccount exists.
   */
  private first(kind: string): string {
    return kind === 'Namespace' || kind === 'CustomResourceDefinition' ? '0000-' : PREREQUISITE_KINDS.has(kind) ? '0001-' : '';
  }

  /**
   * The per-resource file name (within `dir`, '' or a chart folder with its '/') of an object: `<Kind>.<name>`, as
   * cdk8s names it, while no object of the same kind and name in another namespace shares it; when some do (a team's
   * `api` in `shop` and in `shop-staging`, the default-deny policy of each namespace of a cluster), each namespaced one
   * is in `<Kind>.<name>.<namespace>` (one without a namespace keeps `<Kind>.<name>`), so none overwrites another and
   * the names do not depend on the order the charts are written in: the file of the first one, written under the
   * plain name, is moved when the second comes.
   */
  private resourceFile(dir: string, kind: string, name: string | undefined, namespace: unknown): string {
    const ns = typeof namespace === 'string' ? namespace : '';
    const first = this.first(kind);
    const plain = `${dir}${first}${resourceFileName(kind, name)}${this.ext}`;
    const inNamespace = (n: string) => `${dir}${first}${resourceFileName(kind, `${name}.${n}`)}${this.ext}`;
    const owner = this.namespaceOf.get(plain);
    if (owner === undefined) {
      this.namespaceOf.set(plain, ns);
      return plain;
    }
    if (owner === ns) return plain; // one name in one namespace twice: the staging reports the duplicate
    // another namespace (or none) shares the name: the namespaced holder of the plain name moves to its namespace's name
    if (owner !== '') {
      this.moveFile(plain, inNamespace(owner));
      this.namespaceOf.set(plain, '');
      if (ns === '') return plain;
      this.namespaceOf.set(inNamespace(owner), owner);
    }
    return ns === '' ? plain : inNamespace(ns);
  }

  /** Moves a file written earlier (see `resourceFile`), with what records it. */
  private moveFile(from: string, to: string): void {
    if (!this.staging.rename(from, to)) return;
    this.files.moved(from, to);
    for (const w of this.written ?? []) if (w.rel === from) w.rel = to;
  }

  /** Writes (or, for FILE_PER_APP, appends) one chart's files. */
  public add(r: RenderedChart): void {
    const ext = this.ext;
    switch (this.type) {
      case YamlOutputType.FILE_PER_APP: {
        if (!this.appFile) {
          this.staging.write({ rel: `app${ext}`, source: this.source, write: (file: string) => { this.appFile = new _YamlFileWriter(file); } });
          if (this.written) {
            this.appDocs = [];
            this.written.push({ rel: `app${ext}`, docs: this.appDocs });
          }
        }
        this.appFile!.add(r.manifests);
        if (this.appDocs) for (const m of r.manifests) this.appDocs.push(m);
        for (const p of r.paths) this.files.set(p, `app${ext}`);
        break;
      }
      case YamlOutputType.FILE_PER_CHART: {
        const rel = this.namer(r.chart) + ext;
        this.yamlFile(rel, r.manifests, r.chart.node.path, 'give the charts ids that differ (cdk8s names each chart\'s file after its id)');
        for (const p of r.paths) this.files.set(p, rel);
        break;
      }
      case YamlOutputType.FILE_PER_RESOURCE:
        r.manifests.forEach((manifest, i) => {
          if (manifest === undefined) return;
          const rel = this.resourceFile('', manifest.kind, manifest.metadata.name, manifest.metadata.namespace);
          this.yamlFile(rel, [manifest], r.paths[i]);
          this.files.set(r.paths[i], rel);
        });
        break;
      case YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE: {
        const dir = this.namer(r.chart);
        // as cdk8s: file names from the ApiObject (kind and metadata.name before JSON patches)
        r.apiObjects.forEach((obj, i) => {
          const rel = this.resourceFile(`${dir}/`, obj.kind, obj.metadata.name, obj.metadata.namespace);
          this.yamlFile(rel, [r.manifestOf(obj, i)], obj.node.path);
          this.files.set(obj.node.path, rel);
        });
        break;
      }
      default:
        break;
    }
    if (this.resources) {
      for (const obj of r.apiObjects) this.resources[obj.name] = { path: obj.node.path };
    }
  }

  /** Closes the app file and writes the files that come after the charts. */
  public finish(outputFiles: readonly IOutputFile[]): void {
    this.close();
    for (const f of outputFiles) {
      const text = f.produce();
      this.staging.write({ rel: f.path, source: this.source, write: (file: string) => fs.writeFileSync(file, text), rename: `give the output file another path (addOutputFile path ${JSON.stringify(f.path)})` });
    }
    if (this.resources) {
      const text = JSON.stringify({ version: '1.0.0', resources: this.resources });
      this.staging.write({ rel: 'construct-metadata.json', source: this.source, write: (file: string) => fs.writeFileSync(file, text) });
    }
  }

  /**
   * Runs `carry` (which writes code suppressions onto manifests as annotations) and writes again the files whose
   * manifests it changed.
   */
  public carrySuppressions(carry: () => void): void {
    const written = this.written;
    if (!written) {
      carry();
      return;
    }
    const before = new Map<any, number>();
    for (const f of written) for (const d of f.docs) before.set(d, annotationCount(d));
    carry();
    for (const f of written) {
      if (f.docs.some(d => annotationCount(d) !== before.get(d))) this.staging.rewrite(f.rel, file => _writeYamlFile(file, f.docs));
    }
  }

  /** Closes the app file (also when the synth fails half-way). */
  public close(): void {
    const w = this.appFile;
    this.appFile = undefined;
    w?.close();
  }

  private yamlFile(rel: string, docs: any[], source: string, rename?: string): void {
    if (this.staging.write({ rel, source, write: (file: string) => _writeYamlFile(file, docs), rename }) && this.written) {
      this.written.push({ rel, docs });
    }
  }
}

function annotationCount(manifest: any): number {
  const ann = manifest !== null && typeof manifest === 'object' ? manifest.metadata?.annotations : undefined;
  return ann !== null && typeof ann === 'object' ? Object.keys(ann).length : 0;
}

function isApiObject(x: IConstruct): x is ApiObject {
  return ApiObject.isApiObject(x);
}

function isChart(x: IConstruct): x is Chart {
  return Chart.isChart(x);
}

/** The ApiObjects of a chart in dependency order (cdk8s' chartToKube, with a memoized topological sort). */
function chartApiObjects(chart: Chart): ApiObject[] {
  return topology(chart).filter((x): x is ApiObject => isApiObject(x) && Chart.of(x) === chart);
}

/** The app's charts in dependency order (what cdk8s' `App.charts` returns). */
function appCharts(app: IConstruct): Chart[] {
  return topology(app).filter(isChart);
}

function renderChart(chart: Chart, renderer: ManifestRenderer): RenderedChart {
  const apiObjects = chartApiObjects(chart);
  if (chart.toJson !== Chart.prototype.toJson) {
    // a chart that renders itself: honour it (cdk8s calls chart.toJson() in most output modes)
    const manifests = chart.toJson();
    return {
      chart,
      apiObjects,
      manifests,
      paths: manifests.map(() => chart.node.path),
      manifestOf: (obj) => obj.toJson(),
    };
  }
  const manifests = apiObjects.map(o => renderer.render(o));
  return {
    chart,
    apiObjects,
    manifests,
    paths: apiObjects.map(o => o.node.path),
    manifestOf: (_obj, i) => manifests[i],
  };
}

function policyObjects(rendered: RenderedChart[]): SynthesizedObject[] {
  const out: SynthesizedObject[] = [];
  for (const r of rendered) {
    const chartPath = r.chart.node.path;
    r.manifests.forEach((manifest, i) => {
      if (manifest !== undefined) out.push({ manifest, path: r.paths[i], chart: chartPath });
    });
  }
  return out;
}

/**
 * Topological order of the constructs under `root` (dependencies first), the order cdk8s'
 * `DependencyGraph.topology()` gives, computed with a visited set (linear in vertices + edges).
 * Dependencies outside `root` are ignored, as cdk8s does.
 */
function topology(root: IConstruct): IConstruct[] {
  const nodes = root.node.findAll();
  const outbound = new Map<IConstruct, IConstruct[]>();
  const hasInbound = new Set<IConstruct>();
  let inScope: Set<IConstruct> | undefined;
  for (const n of nodes) {
    const deps = n.node.dependencies;
    if (deps.length === 0) continue;
    inScope = inScope ?? new Set<IConstruct>(nodes);
    const list: IConstruct[] = [];
    const seen = new Set<IConstruct>();
    for (const d of deps) {
      if (!inScope.has(d) || seen.has(d)) continue;
      seen.add(d);
      list.push(d);
      hasInbound.add(d);
    }
    if (list.length > 0) outbound.set(n, list);
  }
  const order: IConstruct[] = [];
  const done = new Set<IConstruct>();
  const onPath = new Set<IConstruct>();
  const visit = (n: IConstruct) => {
    if (done.has(n)) return;
    if (onPath.has(n)) throw new Error(`Dependency cycle detected at ${n.node.path}`);
    const deps = outbound.get(n);
    if (deps) {
      onPath.add(n);
      for (const c of deps) visit(c);
      onPath.delete(n);
    }
    done.add(n);
    order.push(n);
  };
  for (const n of rootsInCdk8sOrder(nodes, hasInbound)) visit(n);
  // every vertex on a cycle has an inbound edge: cdk8s refuses cycles
  if (order.length !== nodes.length) {
    const stuck = nodes.find(n => !done.has(n))!;
    throw new Error(`Dependency cycle detected at ${stuck.node.path}`);
  }
  return order;
}

/**
 * The vertices without inbound edges, in the order cdk8s visits them: it keys vertices by construct path
 * in a plain object, so `Object.values` yields array-index-like keys first (ascending), then the others in
 * insertion (pre-order) order. Only a direct child of the root of the tree has a path without "/", so only
 * such a construct with an id like "0" or "42" can have an index-like path.
 */
function rootsInCdk8sOrder(nodes: IConstruct[], hasInbound: Set<IConstruct>): IConstruct[] {
  const indexed: Array<{ n: IConstruct; i: number }> = [];
  const rest: IConstruct[] = [];
  for (const n of nodes) {
    if (hasInbound.has(n)) continue;
    const scope = n.node.scope;
    const id = n.node.id;
    if (scope && !scope.node.scope && /^(?:0|[1-9][0-9]*)$/.test(id) && Number(id) < 4294967295) {
      indexed.push({ n, i: Number(id) });
    } else {
      rest.push(n);
    }
  }
  if (indexed.length === 0) return rest;
  return [...indexed.sort((a, b) => a.i - b.i).map(x => x.n), ...rest];
}

/** cdk8s' app validation, over a precomputed list of constructs. */
/**
 * Prints the notes constructs recorded for the person running the synth (`shipshape:info` metadata, for
 * example "development profile: 1 replica, no PodDisruptionBudget"), once per synth, on stderr.
 */
function printNotes(all: IConstruct[]): void {
  let out = '';
  for (const c of all) {
    for (const m of c.node.metadata) {
      if (m.type === NOTE_METADATA) out += `shipshape note: ${c.node.path}: ${m.data}\n`;
    }
  }
  if (out) process.stderr.write(out);
}

/**
 * Prints the notes on the output as a whole (see README "The output as a whole"): Gateways a default deny isolates
 * (not on a cluster that does not enforce NetworkPolicies, where another note says so), TLS Secrets read from
 * elsewhere, KEDA authentications the output lacks.
 */
function printOutputNotes(objects: readonly { manifest: any; path: string }[], cluster: ClusterProfile | undefined): void {
  for (const n of outputNotes(objects, cluster)) process.stderr.write(n);
}

/**
 * Which workloads with a Service admit no caller (printed once per synth on stderr): their NetworkPolicy allows no
 * ingress, so the Service reaches nothing wherever NetworkPolicies are enforced (a forgotten `allowFrom` shows only
 * as timeouts on the cluster). Nothing when the app's cluster is known not to enforce them.
 */
function uncalledNote(all: IConstruct[], cluster: ClusterProfile | undefined): string | undefined {
  if (cluster !== undefined && cluster.networkPolicyEnforced === false) return undefined;
  const uncalled: string[] = [];
  for (const c of all) {
    if (!Workload.isWorkload(c) || typeof (c as any).servicePort !== 'number') continue;
    if ((c as Workload).ingressConnections.length === 0) uncalled.push(c.node.path);
  }
  if (uncalled.length === 0) return undefined;
  const shown = uncalled.slice(0, 5).join(', ') + (uncalled.length > 5 ? ` and ${uncalled.length - 5} more` : '');
  return `shipshape note: ${shown} admit${uncalled.length === 1 ? 's' : ''} no caller: ${uncalled.length === 1 ? 'its' : 'each one\'s'} NetworkPolicy `
    + `allows no ingress, so ${uncalled.length === 1 ? 'its Service reaches' : 'their Services reach'} nothing where NetworkPolicies are enforced; `
    + 'declare the callers with allowFrom(caller) (an HttpIngress or HttpRoute admits its controller or gateway on its backends by itself)';
}

/**
 * That the NetworkPolicies of the output isolate nothing (printed once per synth on stderr) on a cluster whose profile
 * says they are not enforced (EKS Auto Mode until its network policy controller is switched on): a team reading
 * default-deny in the YAML would believe its namespaces isolated.
 */
function unenforcedNote(all: IConstruct[], cluster: ClusterProfile | undefined): string | undefined {
  if (cluster === undefined || cluster.networkPolicyEnforced !== false) return undefined;
  let count = 0;
  for (const c of all) if (ApiObject.isApiObject(c) && c.kind === 'NetworkPolicy') count++;
  if (count === 0) return undefined;
  return `shipshape note: cluster ${cluster.clusterName} does not enforce NetworkPolicies (its profile: networkPolicyEnforced false; EKS Auto Mode `
    + `until its network policy controller is switched on): the ${count} NetworkPolicie${count === 1 ? '' : 's'} of this output, default deny included, isolate nothing there `
    + 'and every pod may reach every other; switch enforcement on in the cluster (EKS Auto Mode: the amazon-vpc-cni ConfigMap and a NodeClass network policy, '
    + 'as the EKS user guide describes) before relying on them';
}

/**
 * Which node pools of the cluster have instance types shipshape's table of node sizes does not hold: whether a pod's
 * requests fit their nodes is not checked there (a pod too large for every node stays Pending).
 */
function poolNotes(cluster: ClusterProfile): string[] {
  const out: string[] = [];
  for (const pool of cluster.nodePools ?? []) {
    const unknown = (pool.instanceTypes ?? []).filter(t => InstanceTypes.allocatable(t) === undefined);
    if (unknown.length === 0) continue;
    out.push(`shipshape note: cluster ${cluster.clusterName} pool ${pool.name}: instance type${unknown.length === 1 ? '' : 's'} ${unknown.join(', ')} `
      + `${unknown.length === 1 ? 'is' : 'are'} not in shipshape's table of node sizes, so whether pods fit the pool's nodes is not checked`);
  }
  return out;
}

/**
 * Which workload identities of the cluster are bound to a ServiceAccount in a namespace this app
 * writes to but that no object of the app creates (the workload was removed, or renamed): the role and its grants stay,
 * usable by whoever creates that ServiceAccount. Identities in namespaces the app does not write to belong to other
 * programs (controllers, other apps) and are not named.
 */
function identityNotes(cluster: ClusterProfile, all: readonly IConstruct[]): string[] {
  const identities = cluster.workloadIdentities ?? [];
  if (identities.length === 0) return [];
  const namespaces = new Set<string>();
  const accounts = new Set<string>();
  for (const c of all) {
    if (!ApiObject.isApiObject(c)) continue;
    const obj = c as ApiObject;
    const ns = obj.metadata.namespace;
    if (ns === undefined) continue;
    namespaces.add(ns);
    if (obj.kind === 'ServiceAccount' && obj.apiVersion === 'v1') accounts.add(`${ns}/${obj.name}`);
  }
  // the controllers' identities: their ServiceAccounts come with their Helm releases, not with the app
  const releaseNamespaces = new Set<string>(['kube-system', ...(cluster.helmReleases ?? []).map(r => r.namespace)]);
  const out: string[] = [];
  for (const id of identities) {
    if (releaseNamespaces.has(id.namespace) || accounts.has(`${id.namespace}/${id.serviceAccount}`)) continue;
    if (!namespaces.has(id.namespace)) {
      // another program's namespace, unless its name is a slip of one of this app's (shpo for shop)
      const near = [...namespaces].filter(ns => Validators._editDistance(ns, id.namespace) <= 2 && Math.min(ns.length, id.namespace.length) > 3).sort();
      if (near.length > 0) {
        out.push(`shipshape note: cluster ${cluster.clusterName}: workload identity ${id.roleName} is bound to ServiceAccount ${id.namespace}/${id.serviceAccount}, `
          + `in a namespace this app writes nothing to; did you mean ${near.join(' or ')}? If the identity is for a workload of this app, create it for that namespace `
          + '(aws.EksCluster.addWorkloadIdentity)');
      }
      continue;
    }
    out.push(`shipshape note: cluster ${cluster.clusterName}: workload identity ${id.roleName} is bound to ServiceAccount ${id.namespace}/${id.serviceAccount}, `
      + 'which this app does not create: its role and grants stay, usable by whoever creates that ServiceAccount; remove the identity '
      + '(aws.EksCluster.addWorkloadIdentity) if its workload is gone');
  }
  return out;
}

/** How a program names a Kubernetes version: `KubernetesVersion.V1_33`, or `KubernetesVersion.of('1.37')` past the constants. */
function versionExpr(v: KubernetesVersion): string {
  return v.major === 1 && v.minor >= 27 && v.minor <= 36 ? `KubernetesVersion.V1_${v.minor}` : `KubernetesVersion.of('${v}')`;
}

/**
 * The Kubernetes targets set under `app` (on the app, a chart or any construct) that are newer than the version of the
 * cluster in force there (`App({ cluster })`, or a `ClusterContext` set on a chart): one message each. The cluster's
 * API server drops or refuses what only the newer version knows (a native sidecar's `restartPolicy: Always` before
 * 1.29), so the output would not run as written. An older target is fine: its shapes run on a newer cluster.
 */
/**
 * At most one default StorageClass and one default IngressClass: with two default IngressClasses the API server
 * refuses every Ingress that names no class, and with two default StorageClasses a claim naming none binds to the
 * newest of them, so which class it gets depends on the order they were created in.
 */
function checkDefaultClasses(cluster: ClusterProfile): void {
  const kinds: Array<[string, ReadonlyArray<{ name: string; isDefault: boolean }> | undefined, string]> = [
    ['cluster.storageClasses', cluster.storageClasses, 'a claim that names no storage class would bind to the newest of them, whichever was created last'],
    ['cluster.ingressClasses', cluster.ingressClasses, 'the API server refuses every Ingress that names no class while more than one class is the default'],
  ];
  for (const [prop, classes, why] of kinds) {
    const defaults = (classes ?? []).filter(c => c?.isDefault === true).map(c => c.name);
    if (defaults.length > 1) {
      fail('<app>', prop, defaults, `marks ${defaults.length} classes as the default (${defaults.join(', ')}) of cluster ${cluster.clusterName}: ${why}`,
        'set isDefault on one of them only');
    }
  }
}

/**
 * The oldest Kubernetes version a pod of `cluster` may run on: its control plane's, or an older node pool's (while
 * an upgrade raises the control plane first). What the app writes must run on both.
 */
function oldestKubelet(cluster: ClusterProfile): KubernetesVersion {
  return oldestOf(cluster).version;
}

/** `oldestKubelet`, and the node pool that runs it (undefined: the control plane's version is the oldest). */
function oldestOf(cluster: ClusterProfile): { version: KubernetesVersion; pool?: string } {
  let control: KubernetesVersion;
  try {
    control = KubernetesVersion.of(cluster.kubernetesVersion);
  } catch (e) {
    // the same refusal, naming the app and the profile's prop
    const d = e instanceof ShipshapeValidationError ? e.details : undefined;
    if (d === undefined) throw e;
    fail('<app>', 'cluster.kubernetesVersion', cluster.kubernetesVersion, d.allowed, d.fix.replace(/^use for example .*$/, 'use the minor version the cluster runs, for example "1.33"'));
  }
  let oldest: { version: KubernetesVersion; pool?: string } = { version: control };
  (cluster.nodePools ?? []).forEach((p, i) => {
    if (p.kubernetesVersion === undefined) return;
    const prop = `cluster.nodePools[${i}].kubernetesVersion`;
    let v: KubernetesVersion;
    try {
      v = KubernetesVersion.of(p.kubernetesVersion);
    } catch {
      fail('<app>', prop, p.kubernetesVersion, `(pool ${p.name}) must be a Kubernetes version ${KubernetesVersion._accepted()}`, `use the version the pool's nodes run, for example "${control}"`);
    }
    // a kubelet is never newer than the API server, and at most 3 minor versions behind it
    if (!control.isAtLeast(v)) {
      fail('<app>', prop, p.kubernetesVersion, `(pool ${p.name}) is newer than the control plane (${control}): nodes never run ahead of it`, `use ${control} or older, or raise the cluster's kubernetesVersion`);
    }
    if (control.minor - v.minor > 3) {
      fail('<app>', prop, p.kubernetesVersion, `(pool ${p.name}) is more than 3 minor versions behind the control plane (${control}), the kubelet skew Kubernetes supports`,
        `raise the pool to 1.${control.minor - 3} or newer`);
    }
    if (!v.isAtLeast(oldest.version)) oldest = { version: v, pool: p.name };
  });
  return oldest;
}

function targetProblems(app: App, all: readonly IConstruct[]): string[] {
  const out: string[] = [];
  for (const c of all) {
    const target = KubernetesTarget._setOn(c);
    if (target === undefined) continue;
    const cluster = ClusterContext.of(c);
    if (cluster === undefined) continue;
    let runs: KubernetesVersion;
    let pool: string | undefined;
    try {
      ({ version: runs, pool } = oldestOf(cluster));
    } catch {
      continue; // a profile whose version shipshape cannot read: refused where the profile is given (App, Fleet)
    }
    if (runs.isAtLeast(target)) continue;
    const where = c === app ? '<app>' : c.node.path;
    const self = c === app ? 'app' : c.node.path;
    const byApp = ClusterContext.of(app) === cluster;
    out.push(formatValidationMessage({
      path: where,
      prop: 'KubernetesTarget',
      value: show(target.toString()),
      allowed: pool !== undefined
        ? `is newer than Kubernetes ${runs}, which the nodes of pool ${pool} of cluster ${cluster.clusterName} run (its profile's nodePools, given to `
          + `${byApp ? 'App({ cluster })' : 'ClusterContext.set'}): their kubelets do not run what only ${target} knows `
          + '(a native sidecar\'s restartPolicy: Always before 1.29, and the pod hangs in Init), so the output would not run as written there'
        : `is newer than Kubernetes ${runs}, which cluster ${cluster.clusterName} runs (its profile's kubernetesVersion, given to `
          + `${byApp ? 'App({ cluster })' : 'ClusterContext.set'}): its API server drops or refuses what only ${target} knows `
          + '(a native sidecar\'s restartPolicy: Always before 1.29, and the pod hangs in Init), so the output would not run as written',
      fix: `remove the KubernetesTarget.set call on ${self} (${c === app ? `the app then targets the cluster's ${runs}` : 'it then takes its parent\'s target'}), or set ${runs} or older `
        + `(KubernetesTarget.set(${c === app ? 'app' : 'chart'}, ${versionExpr(runs)})); `
        + (pool !== undefined ? `or raise pool ${pool} to the cluster's version first (its kubernetesVersion)`
          : `if the cluster already runs ${target}, update kubernetesVersion in its profile (aws.EksCluster version) instead`),
    }));
  }
  return out;
}

/** The brand of a TeamNamespace (lib/k8s/platform/team-namespace.ts), whichever copy of shipshape made it. */
const TEAM_NAMESPACE = Symbol.for('shipshape.TeamNamespace');

/** The Pod Security admission label that sets a namespace's enforced level. */
const ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';
/** The rule about a namespace's Pod Security level (suppressed with its reason where a node agent needs host access). */
const RELAXED_NAMESPACE_RULE = 'SS-K8S-073';

/** Stray files larger than this are not read for objects (a file that big is no leftover manifest). */
const STRAY_READ_LIMIT = 16 * 1024 * 1024;

/**
 * A file in the output folder that this app did not write (its previous cdk8s output under other file names, a
 * hand-written file) holding an object this output writes too: `kubectl apply -f` on the folder would apply both,
 * and whichever file comes later wins. Refused: the file is not the app's to remove.
 */
function strayDuplicates(outdir: string, stray: string[], checker: OutputChecker): string[] {
  const out: string[] = [];
  for (const rel of stray) {
    const file = path.join(outdir, rel);
    let docs: unknown[];
    try {
      if (fs.statSync(file).size > STRAY_READ_LIMIT) continue;
      docs = yaml.loadAll(fs.readFileSync(file, 'utf-8'));
    } catch {
      continue; // not YAML or JSON: not a manifest this check can compare
    }
    const items = docs.flatMap((d: any) => (d && typeof d === 'object' && typeof d.kind === 'string' && d.kind.endsWith('List') && Array.isArray(d.items) ? d.items : [d]));
    const held: string[] = [];
    for (const m of items) {
      const holder = checker.holderOf(m);
      if (holder !== undefined) held.push(`${describeObject(m)} (written by ${holder})`);
    }
    if (held.length > 0) {
      out.push(`${file}: a file this app did not write holds ${held.slice(0, 3).join(', ')}${held.length > 3 ? ` and ${held.length - 3} more` : ''}, which this output writes too; `
        + `kubectl apply -f on the folder would apply both, the later file winning: delete ${rel} (the output of an earlier program, or of cdk8s under other file names) or move it out of ${outdir}`);
    }
  }
  return out;
}

/** The App of this process that synthesized into a folder (its id, and its writer if a fleet's), by the folder's resolved path. */
const OUTDIR_CLAIMS = new Map<string, { readonly id: number; readonly owner?: string }>();
/** Each App's id in this process (an App is a construct tree root: no path tells two apart). */
const APP_IDS = new WeakMap<App, number>();
let nextAppId = 0;

/** The ids of the Apps of this process created with an outdir, by the outdir's absolute path at their creation. */
const CREATED_WITH_OUTDIR = new Map<string, Set<number>>();

function appId(app: App): number {
  let id = APP_IDS.get(app);
  if (id === undefined) {
    id = nextAppId++;
    APP_IDS.set(app, id);
  }
  return id;
}

/** Records that `app` was created with its outdir (see `claimOutdir`). */
function noteOutdir(app: App): void {
  const key = path.resolve(app.outdir);
  let ids = CREATED_WITH_OUTDIR.get(key);
  if (ids === undefined) {
    ids = new Set();
    CREATED_WITH_OUTDIR.set(key, ids);
  }
  ids.add(appId(app));
}

/**
 * Refuses a second App of this program synthesizing into a folder another App of it already synthesized into: the
 * second would remove the first one's files as stale (its record says they are this folder's output). Refuses as
 * well an App whose outdir another App of this program was created with, before either has synthesized: whichever
 * synthesized first would remove the files the other wrote in an earlier run, so the refusal may not wait for the
 * second synth.
 */
function claimOutdir(app: App): void {
  const key = realPath(app.outdir);
  const id = appId(app);
  const first = OUTDIR_CLAIMS.get(key);
  const fix = 'give each App an outdir of its own (new k8s.App({ outdir: \'dist/<name>\' }))';
  if (first !== undefined && first.id !== id) {
    fail(app.node.path || '<app>', 'outdir', app.outdir, `is also the output folder of another App of this program${first.owner ? ` (${first.owner})` : ''}, `
      + 'whose files this synth would remove as stale', fix);
  }
  const twins = [...(CREATED_WITH_OUTDIR.get(path.resolve(app.outdir)) ?? [])].filter(x => x !== id).length;
  if (first === undefined && twins > 0) {
    fail(app.node.path || '<app>', 'outdir', app.outdir, `is also the outdir ${twins === 1 ? 'of another App' : `of ${twins} other Apps`} this program created; `
      + 'whichever synthesized first would remove as stale the files the other wrote into the folder in an earlier run', fix);
  }
  OUTDIR_CLAIMS.set(key, { id, ...(app._owner !== undefined ? { owner: app._owner } : {}) });
}

/** Refuses an output folder that is a file, or lies under one. */
function checkOutdir(app: App, outdir: string): void {
  let d = path.resolve(outdir);
  for (;;) {
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(d);
    } catch {
      st = undefined;
    }
    if (st !== undefined) {
      if (st.isDirectory()) return;
      fail(app.node.path || '<app>', 'outdir', outdir, d === path.resolve(outdir) ? 'is a file, not a folder' : `lies under ${d}, which is a file`,
        'name a folder (it is created when missing), or move the file out of the way');
    }
    const parent = path.dirname(d);
    if (parent === d) return;
    d = parent;
  }
}
