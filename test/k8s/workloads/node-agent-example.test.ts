import * as fs from 'fs';
import * as path from 'path';
import { Chart } from 'cdk8s';
import * as ts from 'typescript';
import * as k8s from '../../../lib/k8s';
import * as policy from '../../../lib/policy';
import { expectValid, parseYamlFiles, tempDir } from '../../util/schema';

// The @example of NodeAgent's TSDoc (it ends up in API.md) runs as written under a k8s.App that runs the policy:
// it type-checks against the public API and synthesizes with no policy error and no warning.

const ROOT = path.join(__dirname, '..', '..', '..');
const SOURCE = path.join(ROOT, 'lib', 'k8s', 'workloads', 'node-agent.ts');

/** The code of the `@example` in the TSDoc of `export class NodeAgent`. */
function example(): string {
  const text = fs.readFileSync(SOURCE, 'utf-8');
  const at = text.indexOf('export class NodeAgent ');
  const doc = text.slice(text.lastIndexOf('/**', at), at);
  const match = /@example\n([\s\S]*?)\*\//.exec(doc);
  if (!match) throw new Error('NodeAgent\'s TSDoc has no @example');
  return match[1].split('\n').map(l => l.replace(/^\s*\* ?/, '')).join('\n').trim();
}

/** The module the example becomes: `k8s`, `policy` and a `chart` with a namespace around it. */
function moduleText(code: string, lib: string): string {
  return [
    "import { Chart } from 'cdk8s';",
    `import { k8s, policy } from '${lib}';`,
    'declare const chart: Chart;',
    code,
    'export {};',
  ].join('\n');
}

test('the example is the one in NodeAgent\'s TSDoc, and it accepts its host access with a reason', () => {
  const code = example();
  expect(code).toContain("new k8s.NodeAgent(chart, 'node-exporter', {");
  expect(code).toContain("k8s.HostAccess.hostPid('reads per-process statistics of the node')");
  expect(code).toContain("policy.Policy.suppress(agent, 'SS-K8S-010', ");
});

test('the example compiles against the public API', () => {
  const dir = fs.mkdtempSync(path.join(ROOT, 'test', '.node-agent-example-'));
  try {
    const file = path.join(dir, 'example.ts');
    fs.writeFileSync(file, moduleText(example(), '../../lib'));
    const config = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, 'tsconfig.json'), {}, {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: d => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); },
    })!;
    const options: ts.CompilerOptions = { ...config.options, noEmit: true, noUnusedLocals: false, declaration: false, rootDir: ROOT };
    const program = ts.createProgram([file], options);
    const problems = ts.getPreEmitDiagnostics(program, program.getSourceFile(file)).map(d => ts.flattenDiagnosticMessageText(d.messageText, ' '));
    expect(problems).toEqual([]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

describe('the example synthesizes under a k8s.App that runs the policy', () => {
  const outdir = tempDir('shipshape-node-agent-example-');
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));
  const app = new k8s.App({ outdir });
  const chart = new Chart(app, 'observability', { namespace: 'observability' });
  const js = ts.transpileModule(example(), { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 } }).outputText;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  new Function('k8s', 'policy', 'chart', js)(k8s, policy, chart);
  let stderr = '';
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((t: any) => { stderr += String(t); return true; });
  try {
    app.synth();
  } finally {
    spy.mockRestore();
  }
  const docs = parseYamlFiles(outdir).flatMap(f => f.docs);
  const report = JSON.parse(fs.readFileSync(path.join(outdir, '.shipshape', 'policy-report.json'), 'utf-8'));

  test('no policy error and no warning; the one finding is the hostPID it accepts, suppressed with its reason', () => {
    expect(report.summary).toMatchObject({ errors: 0, warnings: 0 });
    expect(stderr).not.toMatch(/WARNING|ERROR/);
    expect(report.findings.map((f: any) => [f.ruleId, f.jsonPath, f.suppressed?.reason])).toEqual([
      ['SS-K8S-010', 'spec.template.spec.hostPID', 'node-exporter reads per-process statistics of the node (hostPID)'],
    ]);
  });

  test('the DaemonSet runs at system-node-critical, with hostPID and the reason recorded; the output is valid', () => {
    const ds = docs.find(d => d.kind === 'DaemonSet');
    expect(ds.metadata.name).toBe('node-exporter');
    expect(ds.spec.template.spec.priorityClassName).toBe('system-node-critical');
    expect(ds.spec.template.spec.hostPID).toBe(true);
    expect(ds.metadata.annotations).toEqual({
      'shipshape.io/host-access-reason': 'hostPID: reads per-process statistics of the node',
      'suppress.shipshape.io/SS-K8S-010': 'node-exporter reads per-process statistics of the node (hostPID)',
    });
    expect(docs.map(d => d.kind).sort()).toEqual(['DaemonSet', 'NetworkPolicy', 'ServiceAccount']);
    expectValid(docs);
  });
});
