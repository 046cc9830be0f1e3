/**
 * `npm run synth` (scripts/synth-examples.ts) does what the README says, on a workspace of its own (a temporary
 * Git work tree with tiny examples, so no example of the repository is synthesized here):
 * - dist/<example>/ holds exactly the last successful synth; a failed synth leaves the previous output as it was
 *   (with the reports of the failed run) and the run exits non-zero;
 * - the apps of an example compare with their previous output: a field the API server keeps fixed that changed is
 *   named under the example's line;
 * - both reports name the output files relative to the root of the Git work tree, although each example runs in
 *   its own folder;
 * - the folder of an example that is gone is removed, a folder of dist/ the script did not make is left alone.
 */
import * as fs from 'fs';
import * as path from 'path';
import { listFiles, readRecord, recoverInterrupted, synthAll, SynthAllResult } from '../scripts/synth-examples';
import { tempDir } from './util/schema';

const ROOT = path.resolve(__dirname, '..');

/** A Git work tree (a `.git` entry is what the reports look for) with an examples/ folder. */
function workspace(): string {
  const root = tempDir('shipshape-synth-examples-');
  fs.mkdirSync(path.join(root, '.git'));
  fs.mkdirSync(path.join(root, 'examples'));
  return root;
}

/** A cdk8s example: one Job, a suppression that silences nothing (a warning the reports locate), and `extra` code. */
function writeExample(root: string, name: string, image: string, extra = ''): void {
  const dir = path.join(root, 'examples', name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), 'language: typescript\napp: npx ts-node main.ts\n');
  fs.writeFileSync(path.join(dir, 'main.ts'), [
    `import { ApiObject, Chart } from ${JSON.stringify(require.resolve('cdk8s'))};`,
    `import { k8s, policy } from ${JSON.stringify(path.join(ROOT, 'lib'))};`,
    'const app = new k8s.App();',
    `const chart = new Chart(app, '${name}', { namespace: 'batch' });`,
    `new k8s.Job(chart, 'migrate', { image: ${JSON.stringify(image)}, args: ['migrate'] });`,
    "policy.Policy.suppress(chart, 'SS-K8S-003', 'the root filesystem is read-only already anyway');",
    extra,
    'app.synth();',
    '',
  ].join('\n'));
}

/** Runs the script over the workspace; what it printed on stdout (`log`) and stderr (`warn`). */
function run(root: string): { result: SynthAllResult; log: string; warn: string } {
  const log: string[] = [];
  const warn: string[] = [];
  const result = synthAll({
    examplesDir: path.join(root, 'examples'),
    distDir: path.join(root, 'dist'),
    log: line => log.push(line),
    warn: text => warn.push(text),
    env: { TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.json') },
  });
  return { result, log: log.join('\n'), warn: warn.join('\n') };
}

/** Every file of a folder with its content. */
function snapshot(dir: string): { [rel: string]: string } {
  return Object.fromEntries(listFiles(dir).map(f => [f.split(path.sep).join('/'), fs.readFileSync(path.join(dir, f), 'utf-8')]));
}

const read = (file: string) => JSON.parse(fs.readFileSync(file, 'utf-8'));

test('npm run synth: relative report paths, the previous output compared with, kept on failure; gone examples removed', () => {
  const root = workspace();
  const dist = path.join(root, 'dist');
  try {
    writeExample(root, 'batch', 'ghcr.io/acme/migrate:1.0.0');
    writeExample(root, 'gone', 'ghcr.io/acme/migrate:1.0.0');

    // 1. both synthesize; the reports name the output file relative to the work tree's root, the JSON one as the SARIF one
    const first = run(root);
    expect(first.result).toMatchObject({ exitCode: 0, failed: [], removed: [] });
    expect(first.log).toMatch(/^ok {3}batch {18}cdk8s .* -> .*dist\/batch\/$/m);
    const json = read(path.join(dist, 'batch', '.shipshape', 'policy-report.json'));
    expect(json.findings.map((f: any) => `${f.ruleId} ${f.file}`)).toEqual(['SS-POLICY-001 dist/batch/batch.k8s.yaml']);
    const sarif = read(path.join(dist, 'batch', '.shipshape', 'policy-report.sarif'));
    expect(sarif.runs[0].results.map((r: any) => r.locations[0].physicalLocation.artifactLocation))
      .toEqual([{ uri: 'dist/batch/batch.k8s.yaml', uriBaseId: '%SRCROOT%' }]);
    expect(readRecord(dist)).toEqual(['batch', 'gone']);
    const output = snapshot(path.join(dist, 'batch'));
    expect(Object.keys(output).sort()).toEqual(['.shipshape/output.json', '.shipshape/policy-report.json', '.shipshape/policy-report.sarif', 'batch.k8s.yaml']);

    // 2. a new image under the Job's name (a field the API server keeps fixed): said under the example's line; the
    // folder is exactly this synth (a stray file, and the record of an app no longer there, go); the folder of the
    // removed example goes, one the script did not make stays
    fs.writeFileSync(path.join(dist, 'batch', 'notes.yaml'), 'kind: ConfigMap\n');
    fs.mkdirSync(path.join(dist, 'batch', 'old', '.shipshape'), { recursive: true });
    fs.copyFileSync(path.join(dist, 'batch', '.shipshape', 'output.json'), path.join(dist, 'batch', 'old', '.shipshape', 'output.json'));
    fs.mkdirSync(path.join(dist, 'mine'));
    fs.writeFileSync(path.join(dist, 'mine', 'keep.yaml'), 'kind: ConfigMap\n');
    fs.rmSync(path.join(root, 'examples', 'gone'), { recursive: true });
    writeExample(root, 'batch', 'ghcr.io/acme/migrate:1.1.0');
    const second = run(root);
    expect(second.result).toMatchObject({ exitCode: 0, failed: [], removed: ['gone'] });
    expect(second.warn).toMatch(/^ {2}shipshape: batch\/migrate\/Job: Job batch\/migrate changes spec\.template since the last synth into \S*batch; /m);
    expect(Object.keys(snapshot(path.join(dist, 'batch'))).sort()).toEqual(Object.keys(output).sort());
    expect(fs.existsSync(path.join(dist, 'gone'))).toBe(false);
    expect(second.log).toMatch(/^gone gone +removed .*dist\/gone\/: no example gone under/m);
    expect(fs.readFileSync(path.join(dist, 'mine', 'keep.yaml'), 'utf-8')).toBe('kind: ConfigMap\n');
    expect(readRecord(dist)).toEqual(['batch']);

    // 3. a synth the policy fails: the previous output stays as it was, with the reports of the failed run; exit 1
    const previous = snapshot(path.join(dist, 'batch'));
    writeExample(root, 'batch', 'ghcr.io/acme/migrate:1.2.0', `new ApiObject(chart, 'raw', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'raw' }, spec: {
      selector: { matchLabels: { app: 'raw' } }, template: { metadata: { labels: { app: 'raw' } }, spec: { containers: [{ name: 'raw', image: 'nginx:latest' }] } } } });`);
    const third = run(root);
    expect(third.result).toMatchObject({ exitCode: 1, failed: ['batch'], removed: [] });
    expect(third.log).toMatch(/^FAIL batch .* keeps its previous output$/m);
    expect(third.warn).toContain('1 of 1 example(s) failed to synthesize');
    const after = snapshot(path.join(dist, 'batch'));
    expect(Object.keys(after).filter(f => f.includes('.failed.')).sort()).toEqual(['.shipshape/policy-report.failed.json', '.shipshape/policy-report.failed.sarif']);
    expect(Object.fromEntries(Object.entries(after).filter(([f]) => !f.includes('.failed.')))).toEqual(previous);
    expect(readRecord(dist)).toEqual(['batch']);
    expect(fs.readdirSync(path.join(dist, '.synth-examples'))).toEqual(['record.json']);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}, 180_000);

test('a run killed half-way: the next one puts the previous output back first, and removes nothing else', () => {
  const dist = tempDir('shipshape-synth-examples-dist-');
  try {
    fs.mkdirSync(path.join(dist, '.synth-examples', 'previous', 'web'), { recursive: true });
    fs.writeFileSync(path.join(dist, '.synth-examples', 'previous', 'web', 'web.k8s.yaml'), 'previous\n');
    fs.mkdirSync(path.join(dist, '.synth-examples', 'trash', 'web-x'), { recursive: true });
    fs.mkdirSync(path.join(dist, 'web'));
    fs.writeFileSync(path.join(dist, 'web', 'half.k8s.yaml'), 'partial\n');
    fs.mkdirSync(path.join(dist, 'other'));
    fs.writeFileSync(path.join(dist, 'other', 'x.yaml'), 'x\n');
    expect(recoverInterrupted(dist)).toEqual(['web']);
    expect(snapshot(path.join(dist, 'web'))).toEqual({ 'web.k8s.yaml': 'previous\n' });
    expect(snapshot(path.join(dist, 'other'))).toEqual({ 'x.yaml': 'x\n' });
    expect(fs.readdirSync(path.join(dist, '.synth-examples'))).toEqual([]);
  } finally {
    fs.rmSync(dist, { recursive: true, force: true });
  }
});

test('a record naming folders outside dist/ (or hidden ones) removes nothing of them', () => {
  const dist = tempDir('shipshape-synth-examples-dist-');
  try {
    fs.mkdirSync(path.join(dist, '.synth-examples'));
    fs.writeFileSync(path.join(dist, '.synth-examples', 'record.json'),
      JSON.stringify({ format: 'shipshape-synth-examples/v1', folders: ['../x', '.synth-examples', 'a/b', '', 'web'] }));
    expect(readRecord(dist)).toEqual(['web']);
  } finally {
    fs.rmSync(dist, { recursive: true, force: true });
  }
});
