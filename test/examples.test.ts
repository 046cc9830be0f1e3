/**
 * Every cdk8s example under examples/ (discovered, so new examples are covered) is synthesized the way
 * `npm run synth` does it (a child process running its main.ts with CDK8S_OUTDIR set), and:
 * - the synth exits 0 (so k8s.App's policy check found no error) and writes at least one object;
 * - every document is valid against the official Kubernetes schema of 1.27 and of a current release,
 *   strictly (unknown fields are errors), and custom resources against their CRD schemas;
 * - every written YAML file parses back, as YAML 1.2 and as YAML 1.1, to exactly the objects it was
 *   written from (captured in the child by test/util/capture-yaml.js).
 */
import * as fs from 'fs';
import * as path from 'path';
import { isDeepStrictEqual } from 'util';
import * as YAML from 'yaml';
import { main as shipshapeCli } from '../lib/policy/cli';
import { discoverExamples, listFiles, synthExample } from '../scripts/synth-examples';
import { expectValid, K8S_VERSIONS, tempDir } from './util/schema';
import { comparableFindings, wholeOutputProblems } from './util/whole-output';

const examples = discoverExamples().filter(e => e.kind === 'cdk8s');

test('there are cdk8s examples to check', () => {
  expect(examples.map(e => e.name)).toContain('web-service');
});

/**
 * The schema versions a file is validated against: every version in K8S_VERSIONS, except that an example can
 * declare, in its example.json, that a file targets a newer Kubernetes (for example native sidecars, 1.29+);
 * such a file is validated only against the schema versions at or above its minimum.
 */
function versionsFor(exampleDir: string, file: string): readonly string[] {
  const config = path.join(exampleDir, 'example.json');
  if (!fs.existsSync(config)) return K8S_VERSIONS;
  const minimum: string | undefined = JSON.parse(fs.readFileSync(config, 'utf-8')).minimumKubernetesVersion?.[file];
  if (!minimum) return K8S_VERSIONS;
  const minor = (v: string) => Number(v.replace(/^v/, '').split('.')[1]);
  const versions = K8S_VERSIONS.filter(v => minor(v) >= minor(minimum));
  if (versions.length === 0) throw new Error(`${file}: no schema at or above Kubernetes ${minimum}`);
  return versions;
}

function parseAll(text: string, version: '1.1' | '1.2'): any[] {
  return YAML.parseAllDocuments(text, { version }).map(d => {
    if (d.errors.length > 0) throw new Error(`YAML ${version} parse error: ${d.errors[0].message}`);
    return d.toJS();
  }).filter(d => d !== null && d !== undefined);
}

describe.each(examples.map(e => [e.name, e] as const))('example %s', (_name, example) => {
  let work = '';
  let outdir = '';
  let capture = '';
  let result: ReturnType<typeof synthExample> | undefined;
  let yamlFiles: string[] = [];

  beforeAll(() => {
    work = tempDir(`shipshape-example-${example.name}-`);
    // laid out as the repository is (a Git work tree whose dist/<example> is the output), so a fleet finds its
    // output at gitOps.path (dist/fleet) as in `npm run synth`
    fs.mkdirSync(path.join(work, '.git'));
    outdir = path.join(work, 'dist', example.name);
    capture = path.join(work, 'capture.json');
    result = synthExample(example, outdir, [path.join(__dirname, 'util', 'capture-yaml.js')], { SHIPSHAPE_CAPTURE_YAML: capture });
    yamlFiles = listFiles(outdir).filter(f => /\.ya?ml$/.test(f));
  }, 120_000);

  afterAll(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  test('synthesizes with exit 0 (the policy found no error) and writes objects', () => {
    if (result!.status !== 0) {
      throw new Error(`${example.name}: synth exited ${result!.status}\n${result!.stderr}`);
    }
    expect(yamlFiles.length).toBeGreaterThan(0);
    const docs = yamlFiles.flatMap(f => parseAll(fs.readFileSync(path.join(outdir, f), 'utf-8'), '1.2'));
    expect(docs.length).toBeGreaterThan(0);
  });

  test('every object is valid for Kubernetes 1.27 and 1.36 (strict), custom resources for their CRDs', () => {
    expect(result!.status).toBe(0);
    for (const f of yamlFiles) {
      expectValid(parseAll(fs.readFileSync(path.join(outdir, f), 'utf-8'), '1.2'), versionsFor(example.dir, f));
    }
  });

  test('every YAML file parses back (YAML 1.2 and 1.1) to the objects it was written from', () => {
    expect(result!.status).toBe(0);
    const records: Array<{ text: string; docs: any[] }> = JSON.parse(fs.readFileSync(capture, 'utf-8'));
    expect(yamlFiles.length).toBeGreaterThan(0);
    for (const f of yamlFiles) {
      const text = fs.readFileSync(path.join(outdir, f), 'utf-8');
      const record = records.find(r => r.text === text);
      if (!record) throw new Error(`${f}: not written by k8s.App's YAML writer (no captured stream with these bytes)`);
      for (const version of ['1.2', '1.1'] as const) {
        const back = parseAll(text, version);
        if (!isDeepStrictEqual(back, record.docs)) {
          expect({ file: f, version, docs: back }).toEqual({ file: f, version, docs: record.docs });
        }
      }
    }
  });

  // An app's output folder holds .shipshape/output.json; a fleet example writes one such folder per cluster.
  const appFolders = () => listFiles(outdir).filter(f => f.split(path.sep).join('/').endsWith('.shipshape/output.json')).map(f => path.dirname(path.dirname(f))).sort();

  test('the output holds as a whole: one object per kind/namespace/name, no unresolved token, references resolve', () => {
    expect(result!.status).toBe(0);
    expect(appFolders().length).toBeGreaterThan(0);
    for (const folder of appFolders()) {
      const inFolder = yamlFiles.filter(f => folder === '.' || f.startsWith(folder + path.sep));
      const docs = inFolder.flatMap(f => parseAll(fs.readFileSync(path.join(outdir, f), 'utf-8'), '1.2'));
      expect({ folder, problems: wholeOutputProblems(docs) }).toEqual({ folder, problems: [] });
    }
  });

  test('`shipshape check` on the output exits 0 with exactly the findings synth reported', async () => {
    expect(result!.status).toBe(0);
    for (const folder of appFolders()) {
      const dir = path.join(outdir, folder);
      const synthReport = JSON.parse(fs.readFileSync(path.join(dir, '.shipshape', 'policy-report.json'), 'utf-8'));
      const cliJson = path.join(work, 'cli-report.json');
      const out: string[] = [];
      const code = await shipshapeCli(['check', dir, '--json', cliJson], { out: s => out.push(s), err: s => out.push(s) });
      expect({ folder, code, out: code === 0 ? '' : out.join('') }).toEqual({ folder, code: 0, out: '' });
      const cliReport = JSON.parse(fs.readFileSync(cliJson, 'utf-8'));
      expect(comparableFindings(cliReport.findings)).toEqual(comparableFindings(synthReport.findings));
    }
  });
});
