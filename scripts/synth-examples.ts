/**
 * `npm run synth`: synthesizes every example under examples/ into dist/<example>/.
 *
 * - a folder with cdk8s.yaml: its main.ts runs with CDK8S_OUTDIR=dist/<example> (YAML);
 * - a folder with cdktf.json: its main.ts runs with CDKTF_OUTDIR=dist/<example> (Terraform JSON).
 * Each example runs in its own child process (node -r ts-node/register/transpile-only main.ts, in the
 * example's folder), after its dist folder is emptied. One summary line per example; if any example
 * fails, its name and stderr are printed and the script exits non-zero.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export interface Example {
  readonly name: string;
  readonly dir: string;
  readonly kind: 'cdk8s' | 'cdktf';
}

const REPO = path.resolve(__dirname, '..');

/** Every example folder with a cdk8s.yaml or a cdktf.json, sorted by name. */
export function discoverExamples(root = path.join(REPO, 'examples')): Example[] {
  if (!fs.existsSync(root)) return [];
  const out: Example[] = [];
  for (const e of fs.readdirSync(root, { withFileTypes: true })) {
    if (!e.isDirectory()) continue;
    const dir = path.join(root, e.name);
    if (!fs.existsSync(path.join(dir, 'main.ts'))) continue;
    if (fs.existsSync(path.join(dir, 'cdk8s.yaml'))) out.push({ name: e.name, dir, kind: 'cdk8s' });
    else if (fs.existsSync(path.join(dir, 'cdktf.json'))) out.push({ name: e.name, dir, kind: 'cdktf' });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

export interface SynthResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/**
 * Runs an example's main.ts in a child process with its output directory set.
 * @param preload extra modules to preload (node -r), after ts-node
 * @param env extra environment variables
 */
export function synthExample(example: Example, outdir: string, preload: string[] = [], env: Record<string, string> = {}): SynthResult {
  const started = Date.now();
  const outEnv = example.kind === 'cdk8s' ? { CDK8S_OUTDIR: outdir } : { CDKTF_OUTDIR: outdir };
  const args = ['-r', 'ts-node/register/transpile-only', ...preload.flatMap(p => ['-r', p]), 'main.ts'];
  const r = spawnSync(process.execPath, args, {
    cwd: example.dir,
    env: { ...process.env, ...outEnv, ...env },
    encoding: 'utf-8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return {
    status: r.error ? null : r.status,
    stdout: r.stdout ?? '',
    stderr: (r.stderr ?? '') + (r.error ? `\n${r.error}` : ''),
    ms: Date.now() - started,
  };
}

/** Every file under a folder (relative paths, sorted). */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(path.relative(dir, p));
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out.sort();
}

function countYamlDocuments(dir: string, files: string[]): number {
  let n = 0;
  for (const f of files) {
    if (!/\.ya?ml$/.test(f)) continue;
    const text = fs.readFileSync(path.join(dir, f), 'utf-8');
    // documents are separated by "---" lines; an empty file holds none
    n += text.trim() === '' ? 0 : text.split(/^---$/m).filter(d => d.trim() !== '').length;
  }
  return n;
}

function main(): void {
  const examples = discoverExamples();
  if (examples.length === 0) {
    console.error('synth-examples: no example found under examples/');
    process.exit(1);
  }
  const failures: string[] = [];
  for (const ex of examples) {
    const outdir = path.join(REPO, 'dist', ex.name);
    fs.rmSync(outdir, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(outdir), { recursive: true }); // cdktf's App creates only the last level
    const r = synthExample(ex, outdir);
    const files = listFiles(outdir);
    const secs = (r.ms / 1000).toFixed(1);
    if (r.status !== 0) {
      console.log(`FAIL ${ex.name.padEnd(22)} ${ex.kind.padEnd(6)} exit ${r.status} after ${secs} s`);
      failures.push(`--- ${ex.name} (${ex.kind}, ${path.relative(REPO, ex.dir)}/main.ts) exited ${r.status}; stderr:\n${r.stderr.trim()}\n`);
      continue;
    }
    const what = ex.kind === 'cdk8s'
      ? `${countYamlDocuments(outdir, files)} objects in ${files.filter(f => /\.ya?ml$/.test(f)).length} YAML file(s)`
      : `${files.filter(f => f.endsWith('.tf.json')).length} Terraform JSON file(s)`;
    console.log(`ok   ${ex.name.padEnd(22)} ${ex.kind.padEnd(6)} ${what}, ${files.length} file(s) in ${secs} s -> ${path.relative(REPO, outdir)}/`);
  }
  if (failures.length > 0) {
    console.error(`\n${failures.length} of ${examples.length} example(s) failed to synthesize:\n`);
    console.error(failures.join('\n'));
    process.exit(1);
  }
  console.log(`\n${examples.length} example(s) synthesized into dist/`);
}

if (require.main === module) {
  main();
}
