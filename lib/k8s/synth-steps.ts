// Internal: the steps k8s.App's synth takes before rendering (validation, cdk8s' dependency resolution), shared
// with testing.Template so a test sees what synth does. Not re-exported by the barrel.
import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { fail } from '../core/errors';

function isApiObject(x: IConstruct): x is ApiObject {
  return ApiObject.isApiObject(x);
}

function isChart(x: IConstruct): x is Chart {
  return Chart.isChart(x);
}

/** The constructs of the validation pass under way (`validateOnce`), for validations that look across the app. */
let validating: { readonly all: IConstruct[]; readonly memo: Map<string, unknown> } | undefined;

/**
 * What `build` gives for the constructs of the validation pass under way, computed once per pass and `key` (a
 * validation that looks across the whole app, run by many constructs, reads one index instead of walking the app
 * each time); undefined outside a pass (`validateOnce`): the caller then walks the app itself.
 */
export function validationIndex<T>(key: string, build: (all: IConstruct[]) => T): T | undefined {
  if (validating === undefined) return undefined;
  let v = validating.memo.get(key) as T | undefined;
  if (v === undefined) {
    v = build(validating.all);
    validating.memo.set(key, v);
  }
  return v;
}

/** Runs `fn` as a validation pass over `all` (see `validationIndex`), for a caller that runs the validations itself. */
export function withValidationPass<T>(all: IConstruct[], fn: () => T): T {
  const outer = validating;
  validating = { all, memo: new Map() };
  try {
    return fn();
  } finally {
    validating = outer;
  }
}

/** cdk8s' "[path] message" line of a validation error, without the prefix where the message starts with the path (as shipshape's do). */
export function validationLine(construct: IConstruct, error: string): string {
  return error.startsWith(`${construct.node.path}: `) ? error : `[${construct.node.path}] ${error}`;
}

/** Runs every construct's validations (as cdk8s' synth does) and throws cdk8s' error listing them all. */
export function validateOnce(all: IConstruct[]): void {
  const errors: string[] = [];
  const outer = validating;
  validating = { all, memo: new Map() };
  try {
    for (const child of all) {
      for (const error of child.node.validate()) {
        errors.push(validationLine(child, error));
      }
    }
  } finally {
    validating = outer;
  }
  if (errors.length > 0) {
    throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
  }
}

/**
 * cdk8s' dependency resolution (nested charts, chart-to-chart and ApiObject-to-ApiObject dependencies
 * from construct dependencies), done once, with the ApiObjects under each construct computed once.
 * @returns whether any chart depends on another chart (file names then get an index prefix)
 */
export function resolveDependenciesOnce(all: IConstruct[]): boolean {
  let hasDependantCharts = false;

  for (const parent of all) {
    if (!isChart(parent)) continue;
    for (const child of parent.node.children) {
      if (isChart(child)) {
        parent.node.addDependency(child);
        hasDependantCharts = true;
      }
    }
  }

  const edges = () => {
    const deps: Array<{ source: IConstruct; target: IConstruct }> = [];
    for (const child of all) {
      for (const dep of child.node.dependencies) deps.push({ source: child, target: dep });
    }
    return deps;
  };

  for (const dep of edges()) {
    const sourceChart = Chart.of(dep.source);
    const targetChart = Chart.of(dep.target);
    if (sourceChart !== targetChart) {
      sourceChart.node.addDependency(targetChart);
      hasDependantCharts = true;
    }
  }

  // ApiObjects under a construct whose closest chart is the construct's chart (cached per construct)
  const subtreeCache = new Map<IConstruct, IConstruct[]>();
  const findAll = (c: IConstruct) => {
    let r = subtreeCache.get(c);
    if (!r) {
      r = c.node.findAll();
      subtreeCache.set(c, r);
    }
    return r;
  };
  const objectsCache = new Map<IConstruct, ApiObject[]>();
  const apiObjectsOf = (c: IConstruct) => {
    let r = objectsCache.get(c);
    if (!r) {
      const chart = Chart.of(c);
      r = findAll(c).filter((x): x is ApiObject => isApiObject(x) && Chart.of(x) === chart);
      objectsCache.set(c, r);
    }
    return r;
  };

  for (const dep of edges()) {
    // objects of two charts: the order is the charts' (the chart dependency above); the object order within a chart
    // reads only dependencies inside it, so the per-object edges cdk8s adds here would change no output, and with
    // every chart depending on one (k8s.App's cluster-resources) there would be objects x objects of them
    if (Chart.of(dep.source) !== Chart.of(dep.target)) continue;
    const targets = apiObjectsOf(dep.target);
    const sources = apiObjectsOf(dep.source);
    for (const target of targets) {
      for (const source of sources) {
        if (target !== source) source.node.addDependency(target);
      }
    }
  }

  return hasDependantCharts;
}

/**
 * The chart `scope` is in. Outside one (a construct added to the App itself) cdk8s's own error names neither the
 * construct nor the fix; this one does both.
 * @internal
 */
export function _chartOf(scope: IConstruct): Chart {
  for (let s: IConstruct | undefined = scope.node.scope; s !== undefined; s = s.node.scope) {
    if (Chart.isChart(s)) return s;
  }
  return fail(scope, 'scope', scope.node.scope?.node.path || '<root>', 'is in no cdk8s Chart: every Kubernetes object belongs to a chart, which names its file and default namespace',
    `create it in a chart: new Chart(app, 'shop', { namespace: 'shop' }), then new ${scope.constructor.name}(chart, '${scope.node.id}', ...)`);
}

/**
 * Puts every object after the Namespace it lives in, where the program writes that Namespace itself (a
 * `TeamNamespace`'s, a ClusterResources chart's, or a Namespace object of the program's own): `kubectl apply -f` of
 * the folder (files in name order, a file's objects in order) would otherwise refuse the objects it reaches first
 * (`namespaces "shop" not found`). An object in another chart makes its chart depend on the Namespace's chart (the
 * chart's file then comes after; cdk8s numbers the files of an app with chart dependencies); one in the same chart
 * depends on the Namespace object. Runs after `resolveDependenciesOnce` (it adds edges at the level that resolution
 * gives); an edge that would close a cycle (the Namespace's chart, or the Namespace, depending on the object's) is
 * left out: the order the program gave wins.
 * @returns whether it made a chart depend on another (file names then get an index prefix)
 */
export function namespacesFirst(all: IConstruct[]): boolean {
  const namespaces = new Map<string, ApiObject>();
  for (const c of all) {
    if (!isApiObject(c) || c.kind !== 'Namespace' || c.apiVersion !== 'v1') continue;
    const name = c.metadata.name;
    if (name && !namespaces.has(name)) namespaces.set(name, c);
  }
  if (namespaces.size === 0) return false;
  let chartEdges = false;
  // the chart pair met last (already handled): objects come in runs of one chart, so most lookups are this one
  let lastFrom: Chart | undefined;
  let lastTo: Chart | undefined;
  for (const c of all) {
    if (!isApiObject(c) || c.kind === 'Namespace') continue;
    const ns = c.metadata.namespace;
    if (ns === undefined) continue;
    const nsObj = namespaces.get(ns);
    if (nsObj === undefined) continue;
    const from = Chart.of(c);
    const to = Chart.of(nsObj);
    if (from === to) {
      if (nsObj.node.dependencies.length > 0 && reaches(nsObj, c)) continue;
      c.node.addDependency(nsObj);
      continue;
    }
    if (from === lastFrom && to === lastTo) continue;
    lastFrom = from;
    lastTo = to;
    if (reachesChart(from, to) || reachesChart(to, from)) continue;
    from.node.addDependency(to);
    chartEdges = true;
  }
  return chartEdges;
}

/**
 * True when `from` depends on `to`, directly or through other constructs' dependencies; with `step`, each dependency is
 * read as what `step` gives for it (its chart, for the order of charts).
 */
function reaches(from: IConstruct, to: IConstruct, step: (d: IConstruct) => IConstruct = d => d): boolean {
  const seen = new Set<IConstruct>();
  const stack = [from];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n === to) return true;
    if (seen.has(n)) continue;
    seen.add(n);
    for (const d of n.node.dependencies) stack.push(step(d));
  }
  return false;
}

/**
 * True when chart `from` comes after chart `to` by the dependencies resolution gave charts (a chart's own, and its
 * nested charts', which it depends on).
 */
function reachesChart(from: Chart, to: Chart): boolean {
  return reaches(from, to, d => (isChart(d) ? d : Chart.of(d)));
}
