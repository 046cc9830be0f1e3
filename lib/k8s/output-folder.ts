// Internal: the output folder a `k8s.App` owns. Not re-exported by the barrel.
//
// - Every file of a synth is first written into a staging folder; only when all of them are written are they
//   moved into the output folder (a rename each, same file system), so a failure half-way leaves the previous
//   output as it was.
// - `.shipshape/output.json` records the files this app wrote. A later synth removes the recorded files it
//   no longer produces (a renamed chart's old file), and never touches a file it did not record.
// - The policy reports live in `.shipshape/` too, out of the way of `kubectl apply -f dist/` (which reads every
//   .json and .yaml file of the folder it is given). A failed synth writes `policy-report.failed.json` and
//   `.sarif` there and leaves the previous manifests untouched.
import * as fs from 'fs';
import * as path from 'path';

/** The folder inside the output folder that shipshape owns (reports, the record of written files, staging). */
export const STATE_DIR = '.shipshape';
/** The record of the files the last successful synth wrote. */
const RECORD_FILE = 'output.json';
const RECORD_FORMAT = 'shipshape-output/v1';

/** One file of a synth: its path relative to the output folder, and how to write it. */
export interface PlannedFile {
  readonly rel: string;
  /** Writes the file's content to `file` (which does not exist yet). */
  readonly write: (file: string) => void;
  /** The construct path that produced it (for error messages). */
  readonly source: string;
}

/** What a successful synth did to the output folder. */
export interface OutputChange {
  readonly written: string[];
  readonly removed: string[];
  /** Manifest-like files in the folder that no synth of this app recorded (left in place). */
  readonly foreign: string[];
}

function toRel(p: string): string {
  return p.split(path.sep).join('/');
}

/** The files the previous synth recorded (relative paths), or undefined when there is no readable record. */
export function readRecord(outdir: string): string[] | undefined {
  const file = path.join(outdir, STATE_DIR, RECORD_FILE);
  let data: any;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf-8'));
  } catch {
    return undefined;
  }
  if (!data || data.format !== RECORD_FORMAT || !Array.isArray(data.files)) return undefined;
  return data.files.filter((f: unknown): f is string => typeof f === 'string' && safeRel(f));
}

/** A relative path that stays inside the folder (a tampered record must never make us delete elsewhere). */
function safeRel(rel: string): boolean {
  if (rel === '' || path.isAbsolute(rel) || rel.includes('\0')) return false;
  const parts = rel.split(/[\\/]/);
  return !parts.includes('..') && parts[0] !== STATE_DIR;
}

/**
 * Refuses two planned files with the same path (for example two objects of one kind and name in different
 * namespaces with `YamlOutputType.FILE_PER_RESOURCE`), which would overwrite each other.
 */
export function duplicateFileProblems(files: readonly PlannedFile[]): string[] {
  const seen = new Map<string, PlannedFile>();
  const out: string[] = [];
  for (const f of files) {
    const key = process.platform === 'win32' || process.platform === 'darwin' ? f.rel.toLowerCase() : f.rel;
    const first = seen.get(key);
    if (first) {
      out.push(`${f.source}: output file (${JSON.stringify(f.rel)}) is also written by ${first.source}, so one would overwrite the other; `
        + 'give the objects distinct names or use another yamlOutputType (FILE_PER_CHART keeps them apart)');
    } else {
      seen.set(key, f);
    }
  }
  return out;
}

/**
 * Writes `files` into `outdir` through a staging folder, removes the files the previous synth recorded and
 * this one does not produce, and records what was written.
 */
export function writeOwnedOutput(outdir: string, files: readonly PlannedFile[]): OutputChange {
  const stateDir = path.join(outdir, STATE_DIR);
  fs.mkdirSync(stateDir, { recursive: true });
  const previous = readRecord(outdir);
  const staging = fs.mkdtempSync(path.join(stateDir, 'staging-'));
  try {
    // 1. write everything aside
    const dirs = new Set<string>();
    for (const f of files) {
      const target = path.join(staging, f.rel);
      const dir = path.dirname(target);
      if (!dirs.has(dir)) {
        fs.mkdirSync(dir, { recursive: true });
        dirs.add(dir);
      }
      f.write(target);
    }
    // 2. move into place (each rename replaces the old file atomically)
    const written: string[] = [];
    const made = new Set<string>();
    for (const f of files) {
      const target = path.join(outdir, f.rel);
      const dir = path.dirname(target);
      if (!made.has(dir)) {
        fs.mkdirSync(dir, { recursive: true });
        made.add(dir);
      }
      fs.renameSync(path.join(staging, f.rel), target);
      written.push(toRel(f.rel));
    }
    // 3. remove what the previous synth wrote and this one did not
    const now = new Set(written);
    const removed: string[] = [];
    for (const rel of previous ?? []) {
      if (now.has(rel)) continue;
      const file = path.join(outdir, rel);
      try {
        if (fs.lstatSync(file).isFile()) {
          fs.unlinkSync(file);
          removed.push(rel);
          removeEmptyParents(path.dirname(file), outdir);
        }
      } catch {
        // already gone
      }
    }
    // 4. record
    const record = JSON.stringify({ format: RECORD_FORMAT, files: [...written].sort() }, undefined, 2) + '\n';
    const tmp = path.join(staging, RECORD_FILE);
    fs.writeFileSync(tmp, record);
    fs.renameSync(tmp, path.join(stateDir, RECORD_FILE));
    for (const name of ['policy-report.failed.json', 'policy-report.failed.sarif']) {
      fs.rmSync(path.join(stateDir, name), { force: true });
    }
    return { written, removed, foreign: foreignManifests(outdir, now, previous) };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

function removeEmptyParents(dir: string, stop: string): void {
  const root = path.resolve(stop);
  let d = path.resolve(dir);
  while (d !== root && d.startsWith(root + path.sep)) {
    try {
      fs.rmdirSync(d);
    } catch {
      return; // not empty (or not ours to remove)
    }
    d = path.dirname(d);
  }
}

/**
 * Top-level .yaml/.yml/.json files in the folder that this synth did not write and no earlier synth of this app
 * recorded: `kubectl apply -f <folder>` would apply them too.
 */
function foreignManifests(outdir: string, written: Set<string>, previous: string[] | undefined): string[] {
  const known = new Set(previous ?? []);
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(outdir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter(e => e.isFile() && /\.(ya?ml|json)$/i.test(e.name) && !written.has(e.name) && !known.has(e.name))
    .map(e => e.name)
    .sort();
}
