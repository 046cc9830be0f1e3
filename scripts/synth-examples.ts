/**
 * `npm run synth`: synthesizes every example under examples/ into dist/<example>/.
 *
 * - a folder with cdk8s.yaml: its main.ts runs with CDK8S_OUTDIR=dist/<example> (YAML);
 * - a folder with cdktf.json: its main.ts runs with CDKTF_OUTDIR=dist/<example> (Terraform JSON).
 * Each example runs in its own child process (node -r ts-node/register/transpile-only main.ts, in the
 * example's folder). One summary line per example, followed by what the example printed on stderr (the notes of
 * its synth, such as a StatefulSet field the API server would refuse to change); if any example fails, its name
 * and stderr are printed at the end and the script exits non-zero.
 *
 * dist/<example>/ is exactly the output of the last successful synth of the example:
 * - the previous output is moved aside (into dist/.synth-examples/previous/) and the example synthesizes into an
 *   empty dist/<example>/ that holds only the records of the previous output (`.shipshape/output.json`, a fleet's
 *   `.shipshape/fleet.json`), so that its apps compare with their last synth (the fields the API server keeps
 *   fixed) as they do when run directly; a record that no app of this synth rewrote is removed after it (the
 *   example writes at the folder's own path, not into a staging folder, because what it writes names that path:
 *   the files of the policy reports, a fleet's gitOps.path);
 * - on success the previous output is dropped; on failure the partial output is dropped and the previous output is
 *   put back as it was (plus the `policy-report.failed.*` reports of the failed run, which its error names);
 * - a run that is killed half-way leaves the previous output aside: the next run puts it back first;
 * - the folders it creates are recorded in dist/.synth-examples/record.json: the folder of an example that was
 *   renamed or removed is removed from dist/ (never a folder of dist/ it did not create).
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

/** Every example folder with a cdk8s.yaml or a cdktf.json, sorted by name (a hidden folder is none). */
export function discoverExamples(root = path.join(REPO, 'examples')): Example[] {
  if (!fs.existsSync(root)) return [];
  const out: Example[] = [];
  for (const e of fs.readdirSync(root, { withFileTypes: true })) {
    if (!e.isDirectory() || e.name.startsWith('.')) continue;
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
  // ts-node as this repository has it, wherever the example lies
  const args = ['-r', require.resolve('ts-node/register/transpile-only'), ...preload.flatMap(p => ['-r', p]), 'main.ts'];
  const r = spawnSync(process.execPath, args, {
    cwd: example.dir,
    env: { ...process.env, ...outEnv, ...env },
    encoding: 'utf-8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return {
    status: r.error ? null : r.status,
    stdout: r.stdout ?? '',
    stderr: (r.stderr ?? '') + (r.error ? `\n${r.error}` : '') + (r.signal ? `\nkilled by ${r.signal}` : ''),
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

/** The folder in dist/ where this script keeps its record and, during a synth, the previous output. */
export const STATE_DIR = '.synth-examples';
const RECORD_FILE = 'record.json';
const RECORD_FORMAT = 'shipshape-synth-examples/v1';
/** The records an example's previous output hands to its next synth (see `seedRecords`). */
const OUTPUT_RECORD = /(^|\/)\.shipshape\/(output|fleet)\.json$/;
/** The reports of a failed run (`<prefix>policy-report.failed.json` / `.sarif`), kept when its previous output is put back. */
const FAILED_REPORT = /(^|[/.])policy-report\.failed\.(json|sarif)$/;

/** The dist/ folders the script created (its record), each a plain folder name; none when there is no readable record. */
export function readRecord(distDir: string): string[] {
  try {
    const data = JSON.parse(fs.readFileSync(path.join(distDir, STATE_DIR, RECORD_FILE), 'utf-8'));
    if (data?.format !== RECORD_FORMAT || !Array.isArray(data.folders)) return [];
    return data.folders.filter((f: unknown): f is string => typeof f === 'string' && ownName(f));
  } catch {
    return [];
  }
}

/** A name this script may have given a folder of dist/: one path segment, not hidden (a tampered record deletes nothing else). */
function ownName(name: string): boolean {
  return name !== '' && !name.startsWith('.') && !/[\\/\0]/.test(name) && name !== '..';
}

function writeRecord(distDir: string, folders: Iterable<string>): void {
  const dir = path.join(distDir, STATE_DIR);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, RECORD_FILE);
  fs.writeFileSync(`${file}.tmp`, JSON.stringify({ format: RECORD_FORMAT, folders: [...new Set(folders)].sort() }, undefined, 2) + '\n');
  fs.renameSync(`${file}.tmp`, file);
}

/** A plain folder (not a link to one). */
function isFolder(p: string): boolean {
  try {
    return fs.lstatSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Removes a folder (or the link or file in its place), when there is one. */
function remove(p: string): void {
  fs.rmSync(p, { recursive: true, force: true });
}

/** A new folder in the trash of the state folder (emptied by the next run, should this one be killed). */
function trashFolder(distDir: string, name: string): string {
  const trash = path.join(distDir, STATE_DIR, 'trash');
  fs.mkdirSync(trash, { recursive: true });
  return fs.mkdtempSync(path.join(trash, `${name}-`));
}

/** Moves `p` into the trash (a rename: at once), then removes it. */
function discard(distDir: string, p: string): void {
  if (!fs.existsSync(p) && !isLink(p)) return;
  const target = trashFolder(distDir, path.basename(p));
  fs.renameSync(p, path.join(target, 'output'));
  remove(target);
}

function isLink(p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * Puts back the previous output of every example whose synth a killed run left half done (its previous output still
 * aside), and empties the trash. Returns the names of the examples put back.
 */
export function recoverInterrupted(distDir: string): string[] {
  const previousDir = path.join(distDir, STATE_DIR, 'previous');
  remove(path.join(distDir, STATE_DIR, 'trash'));
  let names: string[];
  try {
    names = fs.readdirSync(previousDir).sort();
  } catch {
    return [];
  }
  const restored: string[] = [];
  for (const name of names) {
    if (!ownName(name)) continue;
    const out = path.join(distDir, name);
    remove(out); // the killed synth's partial output
    fs.renameSync(path.join(previousDir, name), out);
    restored.push(name);
  }
  remove(previousDir);
  return restored;
}

/**
 * Copies the records of the previous output into the empty output folder, with their times (so that a record the
 * synth did not rewrite is recognised): the apps of the example then compare with their last synth. Returns the
 * records copied (relative paths) with their modification times.
 */
function seedRecords(previous: string, outdir: string): Map<string, number> {
  const seeded = new Map<string, number>();
  if (!isFolder(previous)) return seeded;
  for (const rel of listFiles(previous)) {
    const slashed = rel.split(path.sep).join('/');
    if (!OUTPUT_RECORD.test(slashed)) continue;
    const from = path.join(previous, rel);
    const to = path.join(outdir, rel);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(from, to);
    const stat = fs.statSync(from);
    fs.utimesSync(to, stat.atime, stat.mtime);
    seeded.set(rel, fs.statSync(to).mtimeMs);
  }
  return seeded;
}

/** Removes the seeded records that no app of the synth rewrote (an app no longer in the example), and the folders they leave empty. */
function dropUnusedRecords(outdir: string, seeded: Map<string, number>): void {
  for (const [rel, mtime] of seeded) {
    const file = path.join(outdir, rel);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      continue;
    }
    if (stat.mtimeMs !== mtime) continue;
    fs.rmSync(file, { force: true });
    for (let d = path.dirname(file); d !== outdir && d.startsWith(outdir + path.sep); d = path.dirname(d)) {
      try {
        fs.rmdirSync(d);
      } catch {
        break; // not empty
      }
    }
  }
}

export interface SynthAllOptions {
  /** Where the examples are. @default examples/ */
  readonly examplesDir?: string;
  /** Where their outputs go. @default dist/ */
  readonly distDir?: string;
  /** Prints a line of the progress (stdout). */
  readonly log?: (line: string) => void;
  /** Prints notes and errors (stderr). */
  readonly warn?: (text: string) => void;
  /** Extra environment variables of each example's process. */
  readonly env?: Record<string, string>;
}

export interface SynthAllResult {
  /** The examples synthesized (or tried). */
  readonly examples: string[];
  /** The examples whose synth failed (their previous output stays). */
  readonly failed: string[];
  /** The dist/ folders removed because their example is gone. */
  readonly removed: string[];
  /** The examples a killed earlier run left half done, whose previous output was put back first. */
  readonly recovered: string[];
  /** What the process should exit with. */
  readonly exitCode: number;
}

/** Synthesizes every example (see the top of this file). */
export function synthAll(options: SynthAllOptions = {}): SynthAllResult {
  const examplesDir = options.examplesDir ?? path.join(REPO, 'examples');
  const distDir = path.resolve(options.distDir ?? path.join(REPO, 'dist'));
  const log = options.log ?? ((line: string) => console.log(line));
  const warn = options.warn ?? ((text: string) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`));
  const examples = discoverExamples(examplesDir);
  if (examples.length === 0) {
    warn(`synth-examples: no example found under ${path.relative(process.cwd(), examplesDir) || '.'}/`);
    return { examples: [], failed: [], removed: [], recovered: [], exitCode: 1 };
  }
  const shown = (p: string) => path.relative(process.cwd(), p) || '.';
  fs.mkdirSync(distDir, { recursive: true });
  const recovered = recoverInterrupted(distDir);
  for (const name of recovered) {
    warn(`synth-examples: an earlier run stopped while it synthesized ${name}; ${shown(path.join(distDir, name))}/ holds its output before that run again`);
  }
  // recorded before any folder is made: a run killed from here on still knows every folder it made as its own
  const before = readRecord(distDir).filter(name => isFolder(path.join(distDir, name)));
  writeRecord(distDir, [...before, ...examples.map(e => e.name)]);

  const previousDir = path.join(distDir, STATE_DIR, 'previous');
  const failures: string[] = [];
  const failed: string[] = [];
  for (const ex of examples) {
    const outdir = path.join(distDir, ex.name);
    const previous = path.join(previousDir, ex.name);
    // the previous output aside (a rename: at once), an empty folder in its place with the previous records
    if (fs.existsSync(outdir) || isLink(outdir)) {
      fs.mkdirSync(previousDir, { recursive: true });
      fs.renameSync(outdir, previous);
    }
    fs.mkdirSync(outdir, { recursive: true });
    const seeded = seedRecords(previous, outdir);
    const r = synthExample(ex, outdir, [], options.env ?? {});
    const secs = (r.ms / 1000).toFixed(1);
    if (r.status !== 0) {
      // the partial output goes, the previous one comes back, with the reports of the failed run (its error names them)
      const trash = trashFolder(distDir, ex.name);
      const partial = path.join(trash, 'output');
      if (fs.existsSync(outdir) || isLink(outdir)) fs.renameSync(outdir, partial);
      if (fs.existsSync(previous) || isLink(previous)) fs.renameSync(previous, outdir);
      const reports = listFiles(partial).filter(f => FAILED_REPORT.test(f.split(path.sep).join('/')));
      for (const rel of reports) {
        fs.mkdirSync(path.dirname(path.join(outdir, rel)), { recursive: true });
        fs.copyFileSync(path.join(partial, rel), path.join(outdir, rel));
      }
      remove(trash);
      const kept = isFolder(outdir) && listFiles(outdir).some(f => !FAILED_REPORT.test(f.split(path.sep).join('/')));
      log(`FAIL ${ex.name.padEnd(22)} ${ex.kind.padEnd(6)} exit ${r.status} after ${secs} s; `
        + (kept ? `${shown(outdir)}/ keeps its previous output` : `no earlier output in ${shown(outdir)}/`));
      failed.push(ex.name);
      failures.push(`--- ${ex.name} (${ex.kind}, ${shown(path.join(ex.dir, 'main.ts'))}) exited ${r.status}; stderr:\n${r.stderr.trim()}\n`);
      continue;
    }
    dropUnusedRecords(outdir, seeded);
    discard(distDir, previous);
    const files = listFiles(outdir);
    const what = ex.kind === 'cdk8s'
      ? `${countYamlDocuments(outdir, files)} objects in ${files.filter(f => /\.ya?ml$/.test(f)).length} YAML file(s)`
      : `${files.filter(f => f.endsWith('.tf.json')).length} Terraform JSON file(s)`;
    log(`ok   ${ex.name.padEnd(22)} ${ex.kind.padEnd(6)} ${what}, ${files.length} file(s) in ${secs} s -> ${shown(outdir)}/`);
    // what the example said (a note of its synth, such as a field the API server keeps fixed that changed)
    const said = r.stderr.trim();
    if (said !== '') warn(said.split('\n').map(l => `  ${l}`).join('\n'));
  }
  remove(previousDir);
  remove(path.join(distDir, STATE_DIR, 'trash'));

  // the folders of examples that are gone (renamed or removed), if this script made them
  const current = new Set(examples.map(e => e.name));
  const removed: string[] = [];
  for (const name of before) {
    if (current.has(name)) continue;
    remove(path.join(distDir, name));
    removed.push(name);
    log(`gone ${name.padEnd(22)} removed ${shown(path.join(distDir, name))}/: no example ${name} under ${shown(examplesDir)}/ any more`);
  }
  writeRecord(distDir, examples.map(e => e.name).filter(name => isFolder(path.join(distDir, name))));

  if (failures.length > 0) {
    warn(`\n${failures.length} of ${examples.length} example(s) failed to synthesize (their previous output stays):\n`);
    warn(failures.join('\n'));
    return { examples: examples.map(e => e.name), failed, removed, recovered, exitCode: 1 };
  }
  log(`\n${examples.length} example(s) synthesized into ${shown(distDir)}/`);
  return { examples: examples.map(e => e.name), failed, removed, recovered, exitCode: 0 };
}

if (require.main === module) {
  process.exit(synthAll().exitCode);
}
