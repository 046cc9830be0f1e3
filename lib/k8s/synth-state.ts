// Internal: what a synth leaves in the `.shipshape/` folder of an output folder while it writes it: a staging folder
// naming its process, and, while it moves its files in, a journal of the commit. Read by output-folder.ts (which
// undoes an interrupted commit) and by `shipshape check` (which refuses a folder a synth left half-written, or is
// writing): this file imports nothing of cdk8s, so that the command loads none of it.
import * as fs from 'fs';
import * as path from 'path';

/** The folder inside the output folder that shipshape owns (reports, the record of written files, staging). */
export const STATE_DIR = '.shipshape';
/** The name each synth's staging folder in `.shipshape/` starts with. */
export const STAGING_PREFIX = 'staging-';
/** What a commit in progress writes into its staging folder: the previous record and the files it moves in. */
export const JOURNAL_FILE = 'commit.json';
export const JOURNAL_FORMAT = 'shipshape-commit/v1';
/** The file in a staging folder that names the process staging there. */
export const PID_FILE = 'pid';

/** The id of the process (other than this one) that stages in `staging` and still runs, else undefined. */
export function runningSynth(staging: string): number | undefined {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(path.join(staging, PID_FILE), 'utf-8').trim());
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (e: any) {
    // EPERM: it runs, as another user
    return e?.code === 'EPERM' ? pid : undefined;
  }
}

/**
 * The journal of a commit in `staging` (the previous record's text, or null, and the files moved in) and when it was
 * written; undefined when there is none of this format (the synth had not started to move its files in).
 */
export function readJournal(staging: string): { journal: { previous: unknown; files: unknown[] }; since: number } | undefined {
  const file = path.join(staging, JOURNAL_FILE);
  try {
    const journal = JSON.parse(fs.readFileSync(file, 'utf-8'));
    if (!journal || journal.format !== JOURNAL_FORMAT || !Array.isArray(journal.files)) return undefined;
    return { journal, since: fs.statSync(file).mtimeMs };
  } catch {
    return undefined;
  }
}

/**
 * A synth that has not finished with `outdir`: one that still runs (another process staging there), else one that
 * was interrupted while it moved its files in (its staging folder still holds the journal of the commit: the folder
 * may hold part of the previous output and part of the new one, until the next synth undoes it). Undefined when
 * there is neither: a staging folder of a synth that died before its commit leaves the folder as it was. Reads only.
 */
export function unfinishedSynth(outdir: string): { staging: string; running?: number } | undefined {
  const stateDir = path.join(outdir, STATE_DIR);
  let entries: string[];
  try {
    entries = fs.readdirSync(stateDir).filter(e => e.startsWith(STAGING_PREFIX)).sort();
  } catch {
    return undefined;
  }
  let interrupted: string | undefined;
  for (const e of entries) {
    const staging = path.join(stateDir, e);
    const running = runningSynth(staging);
    if (running !== undefined) return { staging, running };
    if (interrupted === undefined && readJournal(staging) !== undefined) interrupted = staging;
  }
  return interrupted === undefined ? undefined : { staging: interrupted };
}
