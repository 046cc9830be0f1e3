// Internal: the output folder a `k8s.App` owns. Not re-exported by the barrel.
//
// - Every file of a synth is first written into a staging folder; only when all of them are written and every
//   check passed (a file or folder in the way included) are they moved into the output folder (a rename each, same
//   file system). Should a move still fail, the moves made are undone, so the folder is the previous output or the
//   new one, never a mix; should the process die half-way, the record already names every file it may have left.
// - `.shipshape/output.json` records the files this app wrote, and who wrote them (an App, a fleet's cluster). A
//   later synth removes the recorded files it no longer produces (a renamed chart's old file), never touches a file
//   it did not record, and refuses a folder another writer recorded.
// - The policy reports live in `.shipshape/` too, out of the way of `kubectl apply -f dist/` (which reads every
//   .json and .yaml file of the folder it is given). A failed synth writes `policy-report.failed.json` and
//   `.sarif` there and leaves the previous manifests untouched.
import * as fs from 'fs';
import * as path from 'path';
import * as jsyaml from 'js-yaml';
import { FixedFields, FixedFieldsCollector, recordedFixedFields, removedStoreNotes } from './fixed-fields';
import { JOURNAL_FILE, JOURNAL_FORMAT, PID_FILE, readJournal, runningSynth, STAGING_PREFIX, STATE_DIR } from './synth-state';
import { ShipshapeValidationError } from '../core/errors';
import { SUPPRESS_ANNOTATION_PREFIX } from '../policy/annotations';
import { removeFailedReports } from '../policy/runner';

export { STATE_DIR };
/** The record a fleet keeps of its folders, in the fleet's `.shipshape/` (k8s/platform/fleet.ts). */
const FLEET_RECORD = 'fleet.json';
/** The record of the files the last successful synth wrote. */
const RECORD_FILE = 'output.json';
const RECORD_FORMAT = 'shipshape-output/v1';
/** Where a commit keeps copies of the folder's reports until it is done (the killed synth's reports are replaced by them). */
const KEPT_REPORTS = '.reports';
/** A report written by a process that died before renaming it into place (`<report>.<pid>.tmp`). */
const STALE_REPORT_TMP = /^policy-report.*\.\d+\.tmp$/;

/** One file of a synth: its path relative to the output folder, and how to write it. */
export interface PlannedFile {
  readonly rel: string;
  /** Writes the file's content to `file` (which does not exist yet). */
  readonly write: (file: string) => void;
  /** The construct path that produced it (for error messages). */
  readonly source: string;
  /** How to give the file another path, when two files would share one (default: distinct object names, or FILE_PER_CHART). */
  readonly rename?: string;
}

/** What a successful synth did to the output folder. */
export interface OutputChange {
  readonly written: string[];
  readonly removed: string[];
  /** Manifest-like files in the folder that no synth of this app recorded (left in place). */
  readonly foreign: string[];
  /** Files of the previous synth this one no longer makes that could not be removed (`<path> (<error code>)`); they stay recorded. */
  readonly unremovable: string[];
  /**
   * Notes on objects whose fields the API server keeps fixed that changed since the previous synth, and on StatefulSets
   * with volume claims that left the output (see fixed-fields.ts).
   */
  readonly fixedChanges: string[];
  /** The Namespace objects the removed files held, with the file each was in (whether this synth writes them elsewhere is the caller's to say). */
  readonly removedNamespaces: Array<{ name: string; file: string }>;
}

/** The Namespace objects a manifest file holds (by name), or none when it does not parse. */
function namespacesIn(file: string): string[] {
  try {
    const text = fs.readFileSync(file, 'utf-8');
    if (!/^kind:\s*Namespace\s*$/m.test(text)) return [];
    return jsyaml.loadAll(text).filter((d: any) => d?.kind === 'Namespace' && d?.apiVersion === 'v1' && typeof d?.metadata?.name === 'string')
      .map((d: any) => d.metadata.name as string);
  } catch {
    return [];
  }
}

function toRel(p: string): string {
  return p.split(path.sep).join('/');
}

/** The record's text as it is on disk, or undefined when there is none. */
function readRecordText(outdir: string): string | undefined {
  try {
    return fs.readFileSync(path.join(outdir, STATE_DIR, RECORD_FILE), 'utf-8');
  } catch {
    return undefined;
  }
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

/**
 * Who wrote the folder's record: `app` for a `k8s.App` of its own, or a fleet's cluster or Argo CD folder (see
 * `App._owner`); undefined when the record names no writer (written before records named one) or there is none.
 */
export function readRecordOwner(outdir: string): string | undefined {
  return readRecordField(outdir, 'owner');
}

/** One string field of the folder's record, or undefined. */
function readRecordField(outdir: string, field: string): string | undefined {
  try {
    const data = JSON.parse(fs.readFileSync(path.join(outdir, STATE_DIR, RECORD_FILE), 'utf-8'));
    return data && data.format === RECORD_FORMAT && typeof data[field] === 'string' ? data[field] : undefined;
  } catch {
    return undefined;
  }
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
    const key = fileKey(f.rel);
    const first = seen.get(key);
    if (first) {
      out.push(collision(f, first));
    } else {
      seen.set(key, f);
    }
  }
  return out;
}

/** The key two output paths collide under (file systems that ignore case compare them without it). */
function fileKey(rel: string): string {
  return process.platform === 'win32' || process.platform === 'darwin' ? rel.toLowerCase() : rel;
}

/**
 * One synth's writes into `outdir`: files go into a staging folder as soon as they are produced (so a chart's
 * objects need not be kept until every chart is rendered), and only `commit()` moves them into the output folder,
 * removes the files the previous synth recorded and this one no longer produces, and records what was written.
 * `discard()` (a failed synth) removes the staging folder and leaves the output folder as it was.
 */
export class OutputStaging {
  /** Opens a staging folder in `<outdir>/.shipshape/`. */
  public static open(outdir: string, owner: string = APP_OWNER): OutputStaging {
    const created = missingDirs(path.join(outdir, STATE_DIR));
    const stateDir = path.join(outdir, STATE_DIR);
    try {
      fs.mkdirSync(stateDir, { recursive: true });
      refuseRunningSynth(outdir, owner);
      recoverOutputFolder(outdir);
      const staging = fs.mkdtempSync(path.join(stateDir, STAGING_PREFIX));
      fs.writeFileSync(path.join(staging, PID_FILE), String(process.pid));
      return new OutputStaging(outdir, stateDir, staging, created, owner);
    } catch (e: any) {
      if (e?.code !== 'EACCES' && e?.code !== 'EPERM' && e?.code !== 'EROFS') throw e;
      throw new ShipshapeValidationError({
        path: owner === APP_OWNER ? '<app>' : owner,
        prop: 'outdir',
        value: JSON.stringify(outdir),
        allowed: `cannot be written: ${e.code} on ${stateDir}`,
        fix: 'make the output folder and its .shipshape/ folder writable, or name another outdir',
      });
    }
  }

  /** What was written (path and source only: a file's content, and the manifests it was made from, are not kept). */
  private readonly files: Array<{ readonly rel: string; readonly source: string; readonly rename?: string }> = [];
  private readonly byKey = new Map<string, { readonly rel: string; readonly source: string; readonly rename?: string }>();
  private readonly dirs = new Set<string>();
  private readonly collisions: string[] = [];
  /** The hidden folders (a part starting with '.') files were planned in, each refused once. */
  private readonly hiddenFolders = new Set<string>();
  /** Set by `problems()`: the other program whose output the folder holds (named in the refusal, or at the handover). */
  private otherProgram?: string;
  /** Set by `handoverProblems()`: the other program whose folder this synth takes over (its output and this one's the same). */
  private handedOverFrom?: string;
  private open = true;
  /** What `commit` did, kept until `discard` so that `rollback` can undo it. */
  private committed?: {
    readonly moved: { done: Array<{ target: string; replaced?: string }>; made: string[] };
    readonly removedAside: Array<{ file: string; aside: string }>;
    readonly previousText: string | undefined;
  };

  private constructor(
    private readonly outdir: string,
    private readonly stateDir: string,
    private readonly staging: string,
    /** Folders `open` created (deepest first), removed again by `discard` when they are left empty. */
    private readonly created: string[],
    /** Who writes the folder (recorded; a folder another writer recorded is refused). */
    private readonly owner: string,
  ) {}

  /**
   * Writes one file into the staging folder. A second file with the path of an earlier one is not written: it is
   * a problem (see `problems`), as `duplicateFileProblems` reports it.
   * @returns whether the file was written
   */
  public write(file: PlannedFile): boolean {
    const key = fileKey(file.rel);
    const first = this.byKey.get(key);
    if (first) {
      this.collisions.push(collision(file, first));
      return false;
    }
    // a chart id starting with '.' names a hidden folder (FOLDER_PER_CHART_FILE_PER_RESOURCE)
    const hidden = file.rel.split(/[\\/]/).slice(0, -1).find(part => part.startsWith('.'));
    if (hidden !== undefined) {
      if (!this.hiddenFolders.has(hidden)) {
        this.hiddenFolders.add(hidden);
        this.collisions.push(`${file.source}: output file (${JSON.stringify(file.rel)}) is in the hidden folder ${hidden}, which shipshape check of the output folder `
          + 'does not enter (it skips hidden folders, as many tools do), so the check would not see what synth checked; give the chart an id that does not start with "."');
      }
      return false;
    }
    const staged = { rel: file.rel, source: file.source, rename: file.rename };
    this.byKey.set(key, staged);
    this.files.push(staged);
    file.write(this.target(file.rel));
    return true;
  }

  /**
   * Moves a file written earlier in this synth to another path (a per-resource file that must be named after its
   * namespace once another object claims its name). A path already written is a problem, as for `write`.
   * @returns whether the file was moved
   */
  public rename(from: string, to: string): boolean {
    const staged = this.byKey.get(fileKey(from));
    if (staged === undefined) return false;
    const taken = this.byKey.get(fileKey(to));
    if (taken !== undefined) {
      this.collisions.push(collision({ rel: to, source: staged.source }, taken));
      return false;
    }
    const target = this.target(to);
    fs.renameSync(this.target(from), target);
    const moved = { rel: to, source: staged.source, rename: staged.rename };
    this.byKey.delete(fileKey(from));
    this.byKey.set(fileKey(to), moved);
    this.files[this.files.indexOf(staged)] = moved;
    return true;
  }

  /** Writes a file written earlier again (its content changed after it was written). */
  public rewrite(rel: string, write: (file: string) => void): void {
    if (!this.byKey.has(fileKey(rel))) throw new Error(`internal: ${rel} was not written in this synth`);
    write(this.target(rel));
  }

  /**
   * The manifest-like files (`.yaml`, `.yml`, `.json`) in the folders this synth writes to that no synth of this app
   * recorded and this one does not write (a hand-written file, the output of cdk8s before the app became a k8s.App).
   */
  public strayFiles(): string[] {
    return foreignManifests(this.outdir, new Set(this.files.map(f => toRel(f.rel))), readRecord(this.outdir));
  }

  /**
   * Two files of this synth with one path (the later one was not written), and files this synth would put in place
   * of a file no synth of this app wrote: when the folder has a record, a file of the same path that is not in it
   * (a hand-written file) would be overwritten. Without a record (the first synth of this app into the folder)
   * files are replaced as cdk8s replaces them.
   */
  public problems(): string[] {
    const out = [...this.collisions];
    // a folder whose record another writer made holds that writer's output, which this synth would remove
    const recordedOwner = readRecordOwner(this.outdir);
    if (recordedOwner !== undefined && recordedOwner !== this.owner) {
      const record = path.join(this.outdir, STATE_DIR, RECORD_FILE);
      out.push(`${describeOwner(this.owner)}: outdir (${JSON.stringify(this.outdir)}) holds the output of ${describeOwner(recordedOwner)} (see ${record}), `
        + 'which this synth would remove; give this app an outdir of its own (an output folder belongs to one App), '
        + `or delete ${record} to hand the folder over`);
    }
    // another program wrote the folder (another entry file, or one of the same name in another folder, as two cdk8s
    // apps' main.ts): its files that this synth does not make would be removed as stale, and the others overwritten,
    // on every run of either. Refused unless this synth writes exactly what is there (the entry file renamed or
    // moved, the output unchanged: the record then names the new program). What is there is known only once the code
    // suppressions are written onto the objects (after the policy check): here only a file removed or added, or one
    // that differs beyond its suppression annotations, is refused; `handoverProblems` compares the final files.
    // A program is its entry file's name and folder (`entryDir`); a record of an earlier version names the working
    // directory instead (`programDir`), compared as it was then so that upgrading refuses nothing, and one older still
    // names neither: compared by name only. (A record written before programs were recorded by name holds the
    // entry's path: compared by its name too.)
    const recordedProgram = programName(readRecordField(this.outdir, 'program'));
    const recordedEntryDir = readRecordField(this.outdir, 'entryDir');
    const recordedWorkDir = recordedEntryDir === undefined ? readRecordField(this.outdir, 'programDir') : undefined;
    const program = this.program();
    const entryDir = this.entryDir();
    const otherName = recordedProgram !== undefined && program !== undefined && recordedProgram !== program;
    const otherDir = recordedEntryDir !== undefined ? entryDir !== undefined && recordedEntryDir !== entryDir
      : recordedWorkDir !== undefined && recordedWorkDir !== workingDir(this.outdir);
    if ((otherName || otherDir) && recordedOwner === this.owner) {
      const name = recordedProgram ?? program;
      this.otherProgram = recordedEntryDir !== undefined ? `${name} in ${recordedEntryDir}, relative to the folder`
        : recordedWorkDir === undefined ? `${name}`
          : otherName ? `${name}, run from ${recordedWorkDir} relative to the folder`
            : `${name}, run from ${recordedWorkDir} relative to the folder, not ${workingDir(this.outdir)}`;
      const early = this.otherProgramProblem(true);
      if (early !== undefined) out.push(early);
    }
    // a file where a folder must go (or a folder where a file must go) would stop the move into place half-way
    out.push(...this.shapeProblems());
    // a linked folder inside the output folder: writing and removing through it would change files elsewhere
    out.push(...this.linkProblems());
    const recordText = readRecordText(this.outdir);
    if (recordText !== undefined && readRecord(this.outdir) === undefined) {
      process.stderr.write(`shipshape warning: ${path.join(this.outdir, STATE_DIR, RECORD_FILE)} cannot be read as the record of an earlier synth (a merge conflict, `
        + 'a hand edit?): this synth does not know which files an earlier one wrote, so it removes none of them and names them as files it did not write; '
        + 'restore the record from the commit of the last synth, or delete it and remove the files no longer written by hand\n');
    }
    // another writer's folder above this one, or below it where this synth writes
    out.push(...this.nestingProblems());
    const previous = readRecord(this.outdir);
    if (previous === undefined) return out;
    const recorded = new Set(previous.map(fileKey));
    for (const f of this.files) {
      if (recorded.has(fileKey(toRel(f.rel)))) continue;
      const target = path.join(this.outdir, f.rel);
      if (!fs.existsSync(target)) continue;
      out.push(`${f.source}: output file (${JSON.stringify(toRel(f.rel))}) would replace ${target}, which no synth of this app wrote `
        + `(it is not in ${path.join(this.outdir, STATE_DIR, RECORD_FILE)}); move that file out of ${this.outdir} or delete it, `
        + 'or give the chart or object another name');
    }
    return out;
  }

  /**
   * The second half of the check of a folder another program wrote (see `problems`), once every file of this synth
   * is final (the code suppressions written onto its objects): refused unless this synth writes exactly what the
   * folder holds; when it does, the folder is handed over to this program at `commit` (said in a note).
   */
  public handoverProblems(): string[] {
    if (this.otherProgram === undefined) return [];
    const problem = this.otherProgramProblem(false);
    if (problem !== undefined) return [problem];
    this.handedOverFrom = this.otherProgram;
    return [];
  }

  /**
   * The refusal of a folder another program wrote, or undefined when this synth removes, adds and changes none of its
   * files. `early`: the files are not final yet (code suppressions are written onto them later), so a file that
   * differs only in its suppression annotations does not count, and nothing is refused unless a file is removed or
   * added or differs beyond those annotations.
   */
  private otherProgramProblem(early: boolean): string | undefined {
    const now = new Set(this.files.map(f => fileKey(toRel(f.rel))));
    const lost = (readRecord(this.outdir) ?? []).filter(f => !now.has(fileKey(f)) && fs.existsSync(path.join(this.outdir, f)));
    const same = (f: { rel: string }) => {
      const there = path.join(this.outdir, f.rel);
      const here = path.join(this.staging, f.rel);
      return sameFile(there, here) || (early && sameButSuppressions(there, here));
    };
    const differ = this.files.filter(f => !same(f));
    if (lost.length === 0 && differ.length === 0) return undefined;
    const added = differ.filter(f => !fs.existsSync(path.join(this.outdir, f.rel))).map(f => toRel(f.rel));
    const changed = differ.filter(f => fs.existsSync(path.join(this.outdir, f.rel))).map(f => toRel(f.rel));
    const record = path.join(this.outdir, STATE_DIR, RECORD_FILE);
    const list = (files: string[]) => `${files.slice(0, 3).join(', ')}${files.length > 3 ? ', ...' : ''}`;
    const parts = [
      ...(lost.length > 0 ? [`remove ${list(lost)}`] : []),
      ...(changed.length > 0 ? [`write over ${list(changed)}`] : []),
      ...(added.length > 0 ? [`add ${list(added)}`] : []),
    ];
    const what = parts.length < 2 ? parts.join('') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
    return `${describeOwner(this.owner)}: outdir (${JSON.stringify(this.outdir)}) holds the output of another program (${this.otherProgram}, see ${record}), `
      + `whose files this synth (${this.describeProgram()}) would ${what}; give each program's App an outdir of its own, `
      + `or delete ${record} to hand the folder over to this program`;
  }

  /**
   * The planned files whose place in the output folder is taken by something of another type: a file (or link) where
   * one of its folders must go, or a folder where the file must go. Checked before anything moves.
   */
  /**
   * Folders inside the output folder that are symbolic links, on the way to a file this synth writes or to one an
   * earlier synth wrote (which it may remove): the moves and removals would go through the link, outside the folder.
   */
  private linkProblems(): string[] {
    const out: string[] = [];
    const seen = new Set<string>();
    const rels = [...this.files.map(f => ({ rel: f.rel, source: f.source })), ...(readRecord(this.outdir) ?? []).map(rel => ({ rel, source: undefined }))];
    for (const { rel, source } of rels) {
      const parts = rel.split(/[\\/]/);
      let dir = this.outdir;
      for (let i = 0; i < parts.length - 1; i++) {
        dir = path.join(dir, parts[i]);
        if (seen.has(dir)) break;
        let link = false;
        try {
          link = fs.lstatSync(dir).isSymbolicLink();
        } catch {
          break; // absent: created by the move
        }
        if (!link) continue;
        seen.add(dir);
        let to = '';
        try {
          to = ` (to ${fs.realpathSync(dir)})`;
        } catch {
          // a dangling link
        }
        out.push(`${source ?? path.join(this.outdir, STATE_DIR, RECORD_FILE)}: ${source ? 'output file' : 'recorded file'} (${JSON.stringify(toRel(rel))}) `
          + `goes through ${dir}, a symbolic link${to}: synth writes and removes the output folder's files only inside it, and through the link it would change `
          + 'files elsewhere; replace the link with a folder of its own (copy what it points at, if you need it there)');
        break;
      }
    }
    return out;
  }

  private shapeProblems(): string[] {
    const out: string[] = [];
    const checked = new Map<string, boolean>();
    /** True when `dir` (inside the output folder) is a folder or absent. */
    const folderOk = (dir: string): boolean => {
      const known = checked.get(dir);
      if (known !== undefined) return known;
      let ok = true;
      try {
        ok = fs.statSync(dir).isDirectory();
      } catch {
        // absent: created by the move (a file above it is reported at that file)
      }
      checked.set(dir, ok);
      return ok;
    };
    const reported = new Set<string>();
    for (const f of this.files) {
      const parts = f.rel.split(/[\\/]/);
      let dir = this.outdir;
      let blocked = false;
      for (let i = 0; i < parts.length - 1 && !blocked; i++) {
        dir = path.join(dir, parts[i]);
        if (!folderOk(dir)) {
          blocked = true;
          if (!reported.has(dir)) {
            reported.add(dir);
            out.push(`${f.source}: output file (${JSON.stringify(toRel(f.rel))}) goes into the folder ${dir}, but ${dir} is a file; `
              + `move that file out of ${this.outdir} or delete it`);
          }
        }
      }
      if (blocked) continue;
      const target = path.join(this.outdir, f.rel);
      let isDir = false;
      try {
        isDir = fs.lstatSync(target).isDirectory();
      } catch {
        // absent
      }
      if (isDir) {
        out.push(`${f.source}: output file (${JSON.stringify(toRel(f.rel))}) would replace the folder ${target}; move that folder out of ${this.outdir} or delete it, `
          + 'or give the chart or object another name');
      }
    }
    return out;
  }

  /**
   * Output folders of other writers this synth would write into or under: the output folder lying inside another
   * App's folder whose record lists files under it, or inside a fleet's folder (its `.shipshape/fleet.json`) when
   * this is no app of that fleet; a planned file going into a folder that holds another writer's record; or an
   * output folder inside a `.shipshape/` folder.
   */
  private nestingProblems(): string[] {
    const out: string[] = [];
    const me = describeOwner(this.owner);
    const outdir = path.resolve(this.outdir);
    if (outdir.split(path.sep).includes(STATE_DIR)) {
      return [`${me}: outdir (${JSON.stringify(this.outdir)}) lies inside a ${STATE_DIR}/ folder, which holds shipshape's records and reports; name a folder of its own`];
    }
    if (!this.owner.startsWith('fleet/') && fs.existsSync(path.join(outdir, STATE_DIR, FLEET_RECORD))) {
      return [`${me}: outdir (${JSON.stringify(this.outdir)}) is the output folder of a fleet (see ${path.join(outdir, STATE_DIR, FLEET_RECORD)}), whose Applications `
        + `deploy its folders; give this app an outdir outside ${outdir}`];
    }
    for (let d = path.dirname(outdir); ; d = path.dirname(d)) {
      const record = path.join(d, STATE_DIR, RECORD_FILE);
      const listed = readRecord(d);
      const rel = toRel(path.relative(d, outdir));
      if (listed !== undefined && listed.some(f => f.startsWith(rel + '/'))) {
        out.push(`${me}: outdir (${JSON.stringify(this.outdir)}) lies inside ${d}, the output folder of ${describeOwner(readRecordOwner(d) ?? APP_OWNER)}, which wrote files there `
          + `(see ${record}); the two would overwrite and remove each other's files: give this app an outdir outside ${d}, or move the other one`);
        break;
      }
      const fleetRecord = path.join(d, STATE_DIR, FLEET_RECORD);
      // a fleet's own folders (a cluster's, Argo CD's) lie right under its output folder: one deeper belongs to another
      // fleet, nested in this one's folder (its cluster folder's record lists no file there, so nothing else says so)
      if (fs.existsSync(fleetRecord) && (!this.owner.startsWith('fleet/') || rel.includes('/'))) {
        out.push(`${me}: outdir (${JSON.stringify(this.outdir)}) lies inside ${d}, the output folder of ${this.owner.startsWith('fleet/') ? 'another ' : ''}fleet (see ${fleetRecord}), whose Applications deploy its folders; `
          + (this.owner.startsWith('fleet/') ? `give this fleet an output folder (outdir and gitOps.path) outside ${d}` : `give this app an outdir outside ${d}`));
        break;
      }
      if (path.dirname(d) === d) break;
    }
    const checked = new Set<string>();
    for (const f of this.files) {
      const parts = toRel(f.rel).split('/');
      let dir = outdir;
      for (let i = 0; i < parts.length - 1; i++) {
        dir = path.join(dir, parts[i]);
        if (checked.has(dir)) continue;
        checked.add(dir);
        if (!this.owner.startsWith('fleet/') && fs.existsSync(path.join(dir, STATE_DIR, FLEET_RECORD))) {
          out.push(`${f.source}: output file (${JSON.stringify(toRel(f.rel))}) goes into ${dir}, the output folder of a fleet (see ${path.join(dir, STATE_DIR, FLEET_RECORD)}); `
            + 'give the chart another name, or this app another outdir');
          continue;
        }
        if (fs.existsSync(path.join(dir, STATE_DIR, RECORD_FILE))) {
          out.push(`${f.source}: output file (${JSON.stringify(toRel(f.rel))}) goes into ${dir}, the output folder of ${describeOwner(readRecordOwner(dir) ?? APP_OWNER)} `
            + `(see ${path.join(dir, STATE_DIR, RECORD_FILE)}); the two would overwrite and remove each other's files: give the chart another name, or the other app another outdir`);
        }
      }
    }
    return out;
  }

  /** The path of `rel` in the staging folder, its folder created; an earlier version of the file is removed. */
  private target(rel: string): string {
    const target = path.join(this.staging, rel);
    const dir = path.dirname(target);
    if (!this.dirs.has(dir)) {
      fs.mkdirSync(dir, { recursive: true });
      this.dirs.add(dir);
    }
    return target;
  }

  /**
   * Moves every staged file into the output folder, removes what the previous synth wrote and this one did not, and
   * records. `kubernetesPack`: the options of the Kubernetes pack synth checked with (recorded so `shipshape check
   * <outdir>` runs the same pack); undefined when none ran. `otherPacks`: the names of the other packs synth ran
   * (recorded so `shipshape check <outdir>` can say it runs without them unless given `--pack`).
   */
  public commit(kubernetesPack?: { exclude: string[]; trustedRegistries: string[] }, fixed?: FixedFieldsCollector, otherPacks: string[] = []): OutputChange {
    const outdir = this.outdir;
    const previous = readRecord(outdir);
    const previousText = readRecordText(outdir);
    let previousFixed: FixedFields | undefined;
    try {
      previousFixed = previousText === undefined ? undefined : recordedFixedFields(JSON.parse(previousText));
    } catch {
      previousFixed = undefined; // an unreadable record: readRecord treats it as none too
    }
    const written = this.files.map(f => toRel(f.rel));
    // 0. a journal in the staging folder first: should the process die before `discard`, the next synth finds it
    // and puts the folder back as it was (the previous files, record and reports), see `recoverInterrupted`
    try {
      const journal = path.join(this.staging, JOURNAL_FILE);
      fs.writeFileSync(`${journal}.tmp`, JSON.stringify({ format: JOURNAL_FORMAT, previous: previousText ?? null, files: written }));
      fs.renameSync(`${journal}.tmp`, journal);
      // copies of the reports, which this synth replaces after the moves (put back should it die before it is done)
      for (const e of fs.readdirSync(this.stateDir)) {
        if (!/^(.+\.)?policy-report(\.failed)?\.(json|sarif)$/.test(e)) continue;
        fs.mkdirSync(path.join(this.staging, KEPT_REPORTS), { recursive: true });
        fs.copyFileSync(path.join(this.stateDir, e), path.join(this.staging, KEPT_REPORTS, e));
      }
    } catch (e: any) {
      throw new Error(`synth could not write its journal in ${this.staging}: ${e?.code ?? e?.message ?? e}; nothing in ${this.outdir} was changed: `
        + 'make the folder writable, or name another outdir');
    }
    // record first every file this synth may leave behind (the earlier ones and the new ones): should the process
    // die half-way, the next synth still knows them as its own, replaces them and removes those it no longer makes
    try {
      this.writeRecord([...new Set([...(previous ?? []), ...written])].sort(), kubernetesPack, previousFixed, otherPacks);
    } catch (e: any) {
      throw new Error(`synth could not write its record ${path.join(this.stateDir, RECORD_FILE)}: ${e?.code ?? e?.message ?? e}; nothing in ${this.outdir} was changed: `
        + 'make the file writable, or name another outdir');
    }
    // 1. move into place (each rename replaces the old file atomically, the old one kept aside until `discard`); should
    // a move fail, the files moved so far are put back as they were, and the previous record with them
    const moved = this.moveIntoPlace(previousText);
    // 2. move aside what the previous synth wrote and this one did not (gone with the staging folder at `discard`)
    const now = new Set(written);
    const removed: string[] = [];
    const removedAside: Array<{ file: string; aside: string }> = [];
    const removedNamespaces: Array<{ name: string; file: string }> = [];
    const unremovable: string[] = [];
    for (const rel of previous ?? []) {
      if (now.has(rel)) continue;
      const file = path.join(outdir, rel);
      try {
        if (!fs.lstatSync(file).isFile()) continue;
        const aside = path.join(this.staging, '.removed', rel);
        fs.mkdirSync(path.dirname(aside), { recursive: true });
        fs.renameSync(file, aside);
        removedAside.push({ file, aside });
        removed.push(rel);
        for (const name of namespacesIn(aside)) removedNamespaces.push({ name, file: rel });
        removeEmptyParents(path.dirname(file), outdir);
      } catch (e: any) {
        // gone already is fine; a file that cannot be removed stays recorded, so the next synth tries again
        if (e?.code !== 'ENOENT') unremovable.push(`${rel} (${e?.code ?? e?.message ?? e})`);
      }
    }
    // 3. record
    const kept = unremovable.map(u => u.slice(0, u.lastIndexOf(' (')));
    this.writeRecord([...written, ...kept].sort(), kubernetesPack, fixed?.fields, otherPacks);
    removeFailedReports(this.stateDir);
    if (this.handedOverFrom !== undefined) {
      process.stderr.write(`shipshape note: outdir (${JSON.stringify(this.outdir)}) held the output of another program (${this.handedOverFrom}); `
        + `this synth (${this.describeProgram()}) wrote the same files, so the folder is now recorded as its own: the other program's App is refused there from now on, `
        + 'unless it writes the same files (give each program an outdir of its own)\n');
    }
    this.committed = { moved, removedAside, previousText };
    return {
      written,
      removed,
      foreign: foreignManifests(outdir, now, previous),
      unremovable,
      fixedChanges: fixed === undefined ? [] : [...fixed.changesSince(previousFixed, this.outdir), ...removedStoreNotes(fixed.fields, previousFixed, this.outdir)],
      removedNamespaces,
    };
  }

  /**
   * Undoes a `commit` whose staging folder was not discarded yet (a fleet whose later folder failed to commit): the
   * files moved in are taken out, the replaced and removed ones put back, and the previous record restored.
   * @returns false when something could not be put back
   */
  public rollback(): boolean {
    const c = this.committed;
    if (c === undefined || !this.open) return true;
    this.committed = undefined;
    let ok = this.undo(c.moved.done, c.moved.made);
    for (const r of [...c.removedAside].reverse()) {
      try {
        fs.mkdirSync(path.dirname(r.file), { recursive: true });
        fs.renameSync(r.aside, r.file);
      } catch {
        ok = false;
      }
    }
    this.restoreRecord(c.previousText);
    return ok;
  }

  /**
   * The name of the program writing the folder: its entry file (the main module) without folder and extension
   * (`main` for main.ts run with ts-node, for the main.js tsc compiled from it, and for src/main.ts); undefined when
   * there is no main module. With `entryDir`, what tells programs apart.
   */
  private program(): string | undefined {
    return programName(entryFile());
  }

  /**
   * The folder of the entry file, relative to the output folder ('/'-separated, '.' when the same): two programs
   * whose entry files share a name (two cdk8s apps, each with its apps/<app>/main.ts) are two programs however they
   * are started, and one program is one from any working directory and on every checkout. The same program started
   * from the JavaScript tsc compiled into another folder (build/main.js beside main.ts) counts as another one, as a
   * renamed entry file does: handed over when it writes the same files. Undefined when there is no main module.
   */
  private entryDir(): string | undefined {
    const entry = entryFile();
    if (!entry) return undefined;
    return toRel(path.relative(realPath(this.outdir), realPath(path.dirname(entry)))) || '.';
  }

  /** This program in messages: `main in ../apps/a` (its entry file's folder relative to the output folder). */
  private describeProgram(): string {
    const entryDir = this.entryDir();
    return `${this.program() ?? 'a program without an entry file'}${entryDir !== undefined ? ` in ${entryDir}` : ''}`;
  }

  /** Writes the record of the folder (atomically: a rename over the old one). */
  private writeRecord(files: string[], kubernetesPack: { exclude: string[]; trustedRegistries: string[] } | undefined, fixed: FixedFields | undefined, otherPacks: string[] = []): void {
    const program = this.program();
    const entryDir = this.entryDir();
    const record = JSON.stringify({
      format: RECORD_FORMAT,
      owner: this.owner,
      ...(program !== undefined ? { program } : {}),
      ...(entryDir !== undefined ? { entryDir } : {}),
      files,
      ...(kubernetesPack ? { kubernetesPack } : {}),
      ...(otherPacks.length > 0 ? { otherPacks: [...otherPacks].sort() } : {}),
      // in key order: the record reads the same whatever order the program created its charts in
      ...(fixed !== undefined && Object.keys(fixed).length > 0 ? { fixed: Object.fromEntries(Object.keys(fixed).sort().map(k => [k, fixed[k]])) } : {}),
    }, undefined, 2) + '\n';
    const tmp = path.join(this.staging, RECORD_FILE);
    fs.writeFileSync(tmp, record);
    fs.renameSync(tmp, path.join(this.stateDir, RECORD_FILE));
  }

  /**
   * Moves every staged file into place. The file each one replaces is first moved aside into the staging folder, so
   * that when a move fails the files moved so far are taken out again, the replaced ones put back, the folders made
   * for them removed, and the previous record restored: the output folder is then as it was, and the error says so.
   */
  private moveIntoPlace(previousText: string | undefined): { done: Array<{ target: string; replaced?: string }>; made: string[] } {
    const aside = path.join(this.staging, '.replaced');
    const done: Array<{ target: string; replaced?: string }> = [];
    const made: string[] = [];
    try {
      for (const f of this.files) {
        const target = path.join(this.outdir, f.rel);
        for (const dir of missingDirs(path.dirname(target)).reverse()) {
          fs.mkdirSync(dir);
          made.push(dir);
        }
        let replaced: string | undefined;
        if (fs.existsSync(target)) {
          replaced = path.join(aside, f.rel);
          fs.mkdirSync(path.dirname(replaced), { recursive: true });
          fs.renameSync(target, replaced);
        }
        done.push({ target, replaced });
        fs.renameSync(path.join(this.staging, f.rel), target);
      }
    } catch (e: any) {
      const undone = this.undo(done, made);
      this.restoreRecord(previousText);
      throw new Error(`synth could not move its files into ${this.outdir}: ${e?.message ?? e}; `
        + (undone ? 'the folder was put back as it was' : `some files could not be put back: ${this.outdir} now holds part of this synth's output, which the next synth replaces`));
    }
    return { done, made };
  }

  /** Puts the record text back as it was before `commit` (none: removed). */
  private restoreRecord(text: string | undefined): void {
    const file = path.join(this.stateDir, RECORD_FILE);
    if (text === undefined) {
      fs.rmSync(file, { force: true });
      return;
    }
    const tmp = path.join(this.staging, `${RECORD_FILE}.previous`);
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  }

  /** Takes moved files out again and puts the replaced ones back; false when something could not be undone. */
  private undo(done: Array<{ target: string; replaced?: string }>, made: string[]): boolean {
    let ok = true;
    for (const d of [...done].reverse()) {
      try {
        if (d.replaced !== undefined) fs.renameSync(d.replaced, d.target);
        else fs.rmSync(d.target, { force: true });
      } catch {
        ok = false;
      }
    }
    for (const dir of [...made].reverse()) {
      try {
        fs.rmdirSync(dir);
      } catch {
        // not empty: something else is there now
      }
    }
    return ok;
  }

  /**
   * Drops the staging folder: before `commit` (a failed synth) the output folder is left as it was; after it, the
   * replaced and removed files kept aside for `rollback` go with it.
   */
  public discard(): void {
    if (!this.open) return;
    const committed = this.committed !== undefined;
    this.committed = undefined;
    this.close();
    if (committed) return;
    // folders this synth created only to stage files in
    for (const dir of this.created) {
      try {
        fs.rmdirSync(dir);
      } catch {
        break; // not empty: something else was written there (a failed run's reports)
      }
    }
  }

  private close(): void {
    if (!this.open) return;
    this.open = false;
    // the journal first: once it is gone the commit is done, and a synth killed while the rest is removed leaves
    // nothing to undo (with the journal still there, it would undo a finished commit whose copies are half gone)
    fs.rmSync(path.join(this.staging, JOURNAL_FILE), { force: true });
    fs.rmSync(this.staging, { recursive: true, force: true });
  }
}

/** True when both files exist with the same bytes. */
function sameFile(a: string, b: string): boolean {
  try {
    return fs.readFileSync(a).equals(fs.readFileSync(b));
  } catch {
    return false;
  }
}

/**
 * True when two YAML files hold the same documents once every `suppress.shipshape.io/` annotation is taken off their
 * objects (and an `annotations` map left empty by that): what a staged file may still differ in before the code
 * suppressions are written onto its objects. False for a file that is not YAML, or cannot be read.
 */
function sameButSuppressions(a: string, b: string): boolean {
  if (!/\.ya?ml$/i.test(a)) return false;
  const strip = (doc: any) => {
    const ann = doc !== null && typeof doc === 'object' && doc.metadata !== null && typeof doc.metadata === 'object' ? doc.metadata.annotations : undefined;
    if (ann === null || typeof ann !== 'object' || Array.isArray(ann)) return doc;
    for (const key of Object.keys(ann)) if (key.startsWith(SUPPRESS_ANNOTATION_PREFIX)) delete ann[key];
    if (Object.keys(ann).length === 0) delete doc.metadata.annotations;
    return doc;
  };
  try {
    const docs = (file: string) => JSON.stringify(jsyaml.loadAll(fs.readFileSync(file, 'utf-8')).map(strip));
    return docs(a) === docs(b);
  } catch {
    return false;
  }
}

/**
 * The working directory relative to the output folder ('/'-separated, '.' when the same): what records of earlier
 * versions named the program by (`programDir`), before its entry file's folder (`entryDir`) replaced it.
 */
function workingDir(outdir: string): string {
  return toRel(path.relative(path.resolve(outdir), process.cwd())) || '.';
}

/**
 * The entry file of the program (see `OutputStaging.program`): the main module of a CommonJS program, else the
 * script Node was started with (a native ES module has no main module); undefined when there is neither.
 */
export function entryFile(): string | undefined {
  const main = require.main?.filename;
  if (main) return main;
  const script = process.argv[1];
  return script ? path.resolve(script) : undefined;
}

/** The name a program is recorded by: its entry file's name without folder and extension (`main` for main.ts, main.js, main.mjs). */
export function programName(entry: string | undefined): string | undefined {
  if (!entry) return undefined;
  return path.basename(entry).replace(/\.(d\.)?[cm]?[jt]sx?$/, '');
}

/**
 * Refuses a synth into `outdir` while another one (another process) stages there: the second would take the first's
 * staging folder for a leftover, and their moves would undo each other.
 */
function refuseRunningSynth(outdir: string, owner: string): void {
  const stateDir = path.join(outdir, STATE_DIR);
  let entries: string[];
  try {
    entries = fs.readdirSync(stateDir);
  } catch {
    return;
  }
  for (const e of entries) {
    if (!e.startsWith(STAGING_PREFIX)) continue;
    const pid = runningSynth(path.join(stateDir, e));
    if (pid === undefined) continue;
    throw new ShipshapeValidationError({
      path: owner === APP_OWNER ? '<app>' : owner,
      prop: 'outdir',
      value: JSON.stringify(outdir),
      allowed: `is being written by another synth now (process ${pid}, staging in ${path.join(stateDir, e)}): two synths into one folder would undo each other's moves`,
      fix: `wait for it to end and synth again; if no synth runs (process ${pid} is another program that took a dead synth's id), delete ${path.join(stateDir, e)}`,
    });
  }
}

/**
 * Cleans up after synths of the folder that were killed half-way: a staging folder is removed, and one killed while
 * it moved its files in (its journal still there) is undone first, so the folder holds the previous output again; a
 * report a killed process was writing is removed. Prints a note for each synth undone. Nothing to do in a folder
 * without `.shipshape/`.
 */
export function recoverOutputFolder(outdir: string): void {
  const stateDir = path.join(outdir, STATE_DIR);
  let entries: string[];
  try {
    entries = fs.readdirSync(stateDir).sort();
  } catch {
    return;
  }
  for (const e of entries) {
    if (e.startsWith(STAGING_PREFIX)) {
      // the staging folder of a synth that still runs is its own, not a leftover
      if (runningSynth(path.join(stateDir, e)) !== undefined) continue;
      const note = recoverInterrupted(outdir, stateDir, path.join(stateDir, e));
      if (note !== undefined) process.stderr.write(note);
      fs.rmSync(path.join(stateDir, e), { recursive: true, force: true });
    } else if (STALE_REPORT_TMP.test(e)) {
      fs.rmSync(path.join(stateDir, e), { force: true });
    }
  }
}

/**
 * Undoes the commit of a synth that died before it finished (its staging folder holds a journal): the files it moved
 * in are taken out, the ones they replaced and those it removed put back, the previous record restored, and reports
 * written after the journal removed (they describe the output that was undone). Returns the note to print, or
 * undefined when the staging folder holds no journal (the synth died before committing: nothing to undo).
 */
function recoverInterrupted(outdir: string, stateDir: string, staging: string): string | undefined {
  const read = readJournal(staging);
  if (read === undefined) return undefined;
  const { journal, since } = read;
  const failed: string[] = [];
  const put = (from: string, to: string, rel: string) => {
    try {
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.renameSync(from, to);
    } catch (e: any) {
      failed.push(`${rel} (${e?.code ?? e?.message ?? e})`);
    }
  };
  let before = new Set<string>();
  try {
    const rec = typeof journal.previous === 'string' ? JSON.parse(journal.previous) : undefined;
    if (rec && Array.isArray(rec.files)) before = new Set(rec.files.filter((f: unknown) => typeof f === 'string'));
  } catch {
    // an unreadable previous record: no file counts as one it had
  }
  for (const rel of journal.files) {
    if (typeof rel !== 'string' || !safeRel(rel)) continue;
    const target = path.join(outdir, rel);
    const replaced = path.join(staging, '.replaced', rel);
    if (fs.existsSync(replaced)) {
      put(replaced, target, rel); // the previous version, over the new one (or where the move had not put it yet)
    } else if (fs.existsSync(path.join(staging, rel))) {
      // not moved in yet (the killed synth stopped before it): the folder still holds the previous version, or none
    } else if (before.has(rel) && fs.existsSync(target)) {
      // moved in, and the previous output had it, but its copy is gone: keep the new version rather than lose both
      failed.push(`${rel} (its previous version is gone; the new one stays)`);
    } else {
      try {
        fs.rmSync(target, { force: true }); // moved in, and new: the previous output did not have it
        removeEmptyParents(path.dirname(target), outdir);
      } catch (e: any) {
        failed.push(`${rel} (${e?.code ?? e?.message ?? e})`);
      }
    }
  }
  const removedDir = path.join(staging, '.removed');
  for (const rel of listFiles(removedDir)) put(path.join(removedDir, rel), path.join(outdir, rel), rel);
  const record = path.join(stateDir, RECORD_FILE);
  if (typeof journal.previous === 'string') {
    fs.writeFileSync(`${record}.tmp`, journal.previous);
    fs.renameSync(`${record}.tmp`, record);
  } else {
    fs.rmSync(record, { force: true });
  }
  // the reports: those written after the journal are the killed synth's; the previous ones were kept aside
  const reports: string[] = [];
  for (const e of fs.readdirSync(stateDir)) {
    if (!e.startsWith('policy-report')) continue;
    try {
      if (fs.statSync(path.join(stateDir, e)).mtimeMs >= since) {
        fs.rmSync(path.join(stateDir, e), { force: true });
        reports.push(e);
      }
    } catch {
      // gone meanwhile
    }
  }
  const keptDir = path.join(staging, KEPT_REPORTS);
  for (const rel of listFiles(keptDir)) put(path.join(keptDir, rel), path.join(stateDir, rel), rel);
  return `shipshape: an earlier synth into ${outdir} stopped while it moved its files in; its changes were undone, so the folder holds the output before it again`
    + (reports.length > 0 ? ' (the reports it had written were replaced by the earlier ones)' : '')
    + (failed.length > 0 ? `; could not put back ${shortList(failed)}, which this synth replaces or the next one removes` : '') + '\n';
}

/** The first items of a list, and how many more (a note stays one readable line however many files it is about). */
function shortList(items: string[], max = 10): string {
  return items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/** The files under `dir` (relative paths with `/`), none when it does not exist. */
function listFiles(dir: string, prefix = ''): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(path.join(dir, prefix), { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap(e => (e.isDirectory() ? listFiles(dir, path.join(prefix, e.name)) : [toRel(path.join(prefix, e.name))]));
}

/**
 * Runs `fn` (the moves of a commit and what must go with them) with SIGINT, SIGTERM and SIGHUP held back: a Ctrl-C
 * in the middle would leave the folder half old, half new. Node delivers a signal that has a listener once the
 * synchronous code is done, so the listener added here raises it again then (the default action: the process ends
 * by that signal), and goes away after the next turn of the event loop when none came. Signals the program
 * listens to itself are left to it.
 */
export function withSignalsDeferred<T>(fn: () => T): T {
  const held: Array<{ signal: NodeJS.Signals; handler: () => void }> = [];
  const release = () => {
    for (const h of held) process.removeListener(h.signal, h.handler);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as NodeJS.Signals[]) {
    if (process.listenerCount(signal) > 0) continue;
    const handler = () => {
      const others = process.listenerCount(signal) > 1;
      release();
      if (!others) process.kill(process.pid, signal);
    };
    process.on(signal, handler);
    held.push({ signal, handler });
  }
  try {
    return fn();
  } finally {
    // a timer keeps the event loop for one more turn, in which a signal that came meanwhile is delivered
    if (held.length > 0) setTimeout(() => setImmediate(release), 1);
  }
}

/** The writer a plain `k8s.App` records. */
export const APP_OWNER = 'app';

/** `a k8s.App`, or the fleet folder a fleet's writer names (`fleet <path>: cluster <name>`). */
function describeOwner(owner: string): string {
  return owner === APP_OWNER ? 'a k8s.App' : owner;
}

/** The folders `mkdirSync(dir, { recursive: true })` would create, deepest first. */
function missingDirs(dir: string): string[] {
  const out: string[] = [];
  let d = path.resolve(dir);
  while (!fs.existsSync(d)) {
    out.push(d);
    const parent = path.dirname(d);
    if (parent === d) break;
    d = parent;
  }
  return out;
}

function collision(f: { readonly rel: string; readonly source: string; readonly rename?: string }, first: { readonly source: string; readonly rename?: string }): string {
  return `${f.source}: output file (${JSON.stringify(f.rel)}) is also written by ${first.source}, so one would overwrite the other; `
    + (f.rename ?? first.rename ?? 'give the objects distinct names or use another yamlOutputType (FILE_PER_CHART keeps them apart)');
}

/**
 * Writes `files` into `outdir` through a staging folder, removes the files the previous synth recorded and
 * this one does not produce, and records what was written.
 */
export function writeOwnedOutput(outdir: string, files: readonly PlannedFile[]): OutputChange {
  // the writer the folder's record names stays its writer
  const staging = OutputStaging.open(outdir, readRecordOwner(outdir) ?? APP_OWNER);
  try {
    for (const f of files) {
      // duplicates are refused by duplicateFileProblems before this is called; a late duplicate overwrites, as it did
      if (!staging.write(f)) staging.rewrite(f.rel, f.write);
    }
    return staging.commit();
  } finally {
    staging.discard();
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
 * .yaml/.yml/.json files that this synth did not write and no earlier synth of this app recorded, at the top of the
 * folder and in every subfolder this synth wrote into (a fleet's cluster and team folders, which Argo CD applies
 * whole): `kubectl apply -f` on the folder, or Argo CD on the subfolder, would apply them too. Paths relative to
 * the folder, sorted.
 */
function foreignManifests(outdir: string, written: Set<string>, previous: string[] | undefined): string[] {
  const known = new Set(previous ?? []);
  const dirs = new Set<string>(['']);
  for (const rel of written) {
    const i = rel.lastIndexOf('/');
    if (i > 0) dirs.add(rel.slice(0, i));
  }
  const out: string[] = [];
  for (const dir of dirs) {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(outdir, dir), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      const rel = dir === '' ? e.name : `${dir}/${e.name}`;
      if (e.isFile() && /\.(ya?ml|json)$/i.test(e.name) && !written.has(rel) && !known.has(rel)) out.push(rel);
    }
  }
  return out.sort();
}

/** The real path of `p` (links resolved), or its absolute path when it does not exist yet. */
export function realPath(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}
