import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { K8S_VERSIONS, parseYamlFiles, tempDir, validateAll } from '../../util/schema';

export { expectError, policyErrors } from '../../util/k8s';

/** A chart in namespace `shop` of a fresh test app. */
export function testChart(namespace: string | null = 'shop'): Chart {
  return new Chart(Testing.app(), 'shop', { namespace: namespace ?? undefined });
}

/** The messages of every construct validation in the tree of `chart` (what synth would report). */
export function validationErrors(chart: Chart): string[] {
  return chart.node.root.node.findAll().flatMap(c => c.node.validate());
}

export const byKind = (objs: any[], kind: string) => objs.filter(o => o.kind === kind);
export const one = (objs: any[], kind: string, name?: string) => {
  const found = objs.filter(o => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind}${name ? ' ' + name : ''}, found ${found.length}`);
  return found[0];
};

/**
 * `expectValid` for outputs with custom resources whose CRD schema (Istio, some Linkerd kinds) lists only
 * `spec`/`status` at the top: the shared validator then reports the top-level `apiVersion`, `kind` and
 * `metadata` as unknown fields. Only those three root-level reports are dropped (metadata is still checked
 * against ObjectMeta by the validator); every other problem fails the test.
 */
export function expectValidWithCrds(objs: any[], versions: readonly string[] = K8S_VERSIONS): void {
  const problems = validateAll(objs, versions).filter(p => !/ \/: unknown field "(apiVersion|kind|metadata)"$/.test(p));
  if (problems.length > 0) throw new Error(`${problems.length} schema problem(s):\n  ${problems.join('\n  ')}`);
}

/**
 * Runs an example's main.ts with CDK8S_OUTDIR set to a temporary folder; returns the parsed files and the
 * policy report, then removes the folder.
 */
export function synthExample(name: string): { files: Array<{ file: string; docs: any[] }>; report: any } {
  const outdir = tempDir();
  const before = process.env.CDK8S_OUTDIR;
  process.env.CDK8S_OUTDIR = outdir;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    jest.isolateModules(() => require(path.join(__dirname, '../../../examples', name, 'main')));
    const files = parseYamlFiles(outdir);
    const report = JSON.parse(fs.readFileSync(path.join(outdir, '.shipshape', 'policy-report.json'), 'utf-8'));
    return { files, report };
  } finally {
    if (before === undefined) delete process.env.CDK8S_OUTDIR; else process.env.CDK8S_OUTDIR = before;
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
