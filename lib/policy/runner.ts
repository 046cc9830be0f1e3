// Internal: runs packs over synthesized objects (k8s.App and Policy.attach). Not re-exported by the barrel.
import * as fs from 'fs';
import * as path from 'path';
import { IConstruct } from 'constructs';
import { PolicyEngine } from './engine';
import { covers } from './internal';
import { K8sDoc } from './k8s/pod';
import { Policy } from './policy';
import { PolicyReport } from './report';
import { IRulePack, PolicyDocument } from './rule';

/** The shape `_runPolicy` receives. */
export interface ObjectInput {
  readonly manifest: any;
  readonly path: string;
  readonly chart: string;
}

/** Converts a Kubernetes manifest at a construct path into a policy document. */
export function k8sDocument(manifest: any, docPath: string, file?: string, index?: number, line?: number): PolicyDocument {
  const meta = manifest && typeof manifest.metadata === 'object' && manifest.metadata ? manifest.metadata : {};
  return new K8sDoc(
    String(manifest?.kind ?? ''), manifest, docPath,
    typeof meta.name === 'string' ? meta.name : undefined,
    typeof meta.namespace === 'string' ? meta.namespace : undefined,
    file, index, line,
  );
}

/**
 * Checks `objects`, prints the summary on stderr when there is something to say, writes the reports into
 * `dir` (when given) and throws when an error remains.
 */
export function runOverObjects(scope: IConstruct, objects: ObjectInput[], packs: IRulePack[], dir: string | undefined, filePrefix = ''): PolicyReport {
  const engine = new PolicyEngine({ packs });
  const docs = objects.map(o => k8sDocument(o.manifest, o.path));
  const scopePath = scope.node.path;
  const report = engine._check(docs, Policy.suppressionsOf(scope), [],
    s => covers(scopePath, s.path) || covers(s.path, scopePath));
  if (dir !== undefined) {
    writeReport(report, dir, filePrefix);
  }
  if (report.findings.length > 0) {
    process.stderr.write(report.summary());
  }
  if (report.hasErrors) {
    throw new Error(report.summary(true));
  }
  return report;
}

function writeReport(report: PolicyReport, dir: string, prefix: string) {
  if (prefix === '') {
    report.writeFiles(dir);
    return;
  }
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, prefix + PolicyReport.JSON_FILE_NAME), JSON.stringify(report.toJson(), undefined, 2) + '\n');
  fs.writeFileSync(path.join(dir, prefix + PolicyReport.SARIF_FILE_NAME), JSON.stringify(report.toSarif(), undefined, 2) + '\n');
}
