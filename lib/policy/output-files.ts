// Internal: the names of the files a cdk8s app writes its objects to, for the reports' file locations.
// Shared by k8s.App (which writes the files itself) and Policy.attach (where cdk8s writes them). Not re-exported.
import { createHash } from 'crypto';
import { ApiObject, App, Chart, Names, YamlOutputType } from 'cdk8s';

/** cdk8s' chart file/folder names: the chart's DNS label, with a 4-digit index when charts depend on charts. */
export function chartNamer(indexed: boolean): (chart: Chart) => string {
  let index = 0;
  return (chart: Chart) => {
    const name = Names.toDnsLabel(chart);
    if (!indexed) return name;
    return `${(index++).toString().padStart(4, '0')}-${name}`;
  };
}

/** cdk8s' file name (without extension) for one object in the per-resource output types. */
export function resourceFileName(kind: string, name: string | undefined): string {
  const base = `${kind}.${name}`.replace(/[^0-9a-zA-Z-_.]/g, '');
  // a file name holds at most 255 bytes: an object name may have 253 characters, and the kind, an index prefix and
  // the extension come on top; a longer one is cut and told apart by a hash of the whole
  if (base.length <= MAX_RESOURCE_FILE_BASE) return base;
  return `${base.slice(0, MAX_RESOURCE_FILE_BASE - 9)}-${createHash('sha256').update(base).digest('hex').slice(0, 8)}`;
}

/** The longest file name (without extension and index prefix) of one object: room for both within 255 bytes. */
const MAX_RESOURCE_FILE_BASE = 200;

/** The output file of each object, by construct path (relative to the output folder). */
export class ObjectFiles {
  private readonly files = new Map<string, string>();

  /** Records that the object at construct path `objectPath` is written to `rel`. */
  public set(objectPath: string, rel: string): void {
    this.files.set(objectPath, rel);
  }

  /**
   * The output file (relative to the output folder) that holds the object at construct path `objectPath`, or of the
   * first object under it (a finding about a construct, such as a stale suppression); undefined when none.
   */
  public fileOf(objectPath: string): string | undefined {
    const exact = this.files.get(objectPath);
    if (exact !== undefined) return exact;
    const prefix = objectPath === '' ? '' : objectPath + '/';
    for (const [p, rel] of this.files) if (p.startsWith(prefix)) return rel;
    return undefined;
  }

  /** Records that the objects written to `from` are in `to` now. */
  public moved(from: string, to: string): void {
    for (const [p, rel] of this.files) if (rel === from) this.files.set(p, to);
  }

  /** The first output file recorded, if any. */
  public get first(): string | undefined {
    for (const rel of this.files.values()) return rel;
    return undefined;
  }
}

/**
 * The files the stock cdk8s `App.synth()` wrote the objects of `app` to, named as it names them for the app's
 * `yamlOutputType`. Call it after `synth()`: the chart order and the index prefix depend on the chart dependencies
 * cdk8s resolves there. `manifestOf` gives an object's rendered manifest (FILE_PER_RESOURCE names files after it).
 */
export function cdk8sObjectFiles(app: App, manifestOf: (obj: ApiObject) => any): ObjectFiles {
  const out = new ObjectFiles();
  const ext = app.outputFileExtension;
  const charts = app.charts;
  // cdk8s indexes the names when a chart depends on a chart (nested charts, or any dependency across charts: its
  // synth turns each into a dependency between the two charts)
  const namer = chartNamer(charts.some(c => c.node.dependencies.some(d => Chart.isChart(d) && d !== c)));
  for (const chart of charts) {
    const objects = chart.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c) && Chart.of(c) === chart);
    switch (app.yamlOutputType) {
      case YamlOutputType.FILE_PER_APP:
        for (const obj of objects) out.set(obj.node.path, `app${ext}`);
        break;
      case YamlOutputType.FILE_PER_CHART: {
        const rel = namer(chart) + ext;
        for (const obj of objects) out.set(obj.node.path, rel);
        break;
      }
      case YamlOutputType.FILE_PER_RESOURCE:
        for (const obj of objects) {
          const m = manifestOf(obj);
          out.set(obj.node.path, resourceFileName(m?.kind, m?.metadata?.name) + ext);
        }
        break;
      case YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE: {
        const dir = namer(chart);
        for (const obj of objects) out.set(obj.node.path, `${dir}/${resourceFileName(obj.kind, obj.metadata.name)}${ext}`);
        break;
      }
      default:
        break;
    }
  }
  return out;
}
