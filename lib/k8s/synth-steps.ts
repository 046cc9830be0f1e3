// Internal: the steps k8s.App's synth takes before rendering (validation, cdk8s' dependency resolution), shared
// with testing.Template so a test sees what synth does. Not re-exported by the barrel.
import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';

function isApiObject(x: IConstruct): x is ApiObject {
  return ApiObject.isApiObject(x);
}

function isChart(x: IConstruct): x is Chart {
  return Chart.isChart(x);
}

/** Runs every construct's validations (as cdk8s' synth does) and throws cdk8s' error listing them all. */
export function validateOnce(all: IConstruct[]): void {
  const errors: string[] = [];
  for (const child of all) {
    for (const error of child.node.validate()) {
      errors.push(`[${child.node.path}] ${error}`);
    }
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
