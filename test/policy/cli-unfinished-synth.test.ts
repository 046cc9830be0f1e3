// shipshape check over an output folder a synth has not finished with: one killed while it moved its files in (its
// staging folder still holds the journal of the commit) may hold a mix of the previous output and the new one, and
// one still running changes the files while they are read. Either is refused (SS-POLICY-003, exit 2), wherever the
// folder is met (named, found in a search, a file of it named), and the folder is left as it is.
import * as fs from 'fs';
import * as path from 'path';
import { Chart } from 'cdk8s';
import { removeTempDirsAfterAll, run, tmpDir } from './cli-helpers';
import * as k8s from '../../lib/k8s';

removeTempDirsAfterAll();

const slash = (p: string) => p.split(path.sep).join('/');
/** A process id no process has (above the largest pid_max). */
const NO_PROCESS = 2147483646;

/** Synthesizes an App with one chart into `outdir`. */
function synth(outdir: string): void {
  const app = new k8s.App({ outdir });
  new k8s.Worker(new Chart(app, 'shop', { namespace: 'shop' }), 'worker', { image: 'ghcr.io/acme/worker:1.0.0' });
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    app.synth();
  } finally {
    err.mockRestore();
  }
}

/**
 * Leaves in `outdir` what a synth leaves: a staging folder naming process `pid`, with the journal of its commit when
 * `journal` (and then a file it moved in).
 */
function stage(outdir: string, pid: number, journal: boolean): string {
  const staging = path.join(outdir, '.shipshape', 'staging-Ab12Cd');
  fs.mkdirSync(staging, { recursive: true });
  fs.writeFileSync(path.join(staging, 'pid'), String(pid));
  if (journal) {
    const previous = fs.readFileSync(path.join(outdir, '.shipshape', 'output.json'), 'utf-8');
    fs.writeFileSync(path.join(staging, 'commit.json'), JSON.stringify({ format: 'shipshape-commit/v1', previous, files: ['billing.k8s.yaml', 'shop.k8s.yaml'] }));
    fs.copyFileSync(path.join(outdir, 'shop.k8s.yaml'), path.join(outdir, 'billing.k8s.yaml'));
  }
  return staging;
}

/** Every file under `dir` with its content. */
function snapshot(dir: string): { [rel: string]: string } {
  const out: { [rel: string]: string } = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p); else out[slash(path.relative(dir, p))] = fs.readFileSync(p, 'utf-8');
    }
  };
  walk(dir);
  return out;
}

describe('an output folder a synth has not finished with is refused, and left as it is', () => {
  test('interrupted while it moved its files in: exit 2, saying the folder may hold a mix and that the next synth undoes it, named, found in a search or a file of it named', async () => {
    const root = tmpDir();
    const dist = path.join(root, 'dist');
    synth(dist);
    const staging = stage(dist, NO_PROCESS, true);
    const before = snapshot(root);
    const message = `a synth into this output folder was interrupted while it moved its files in (its journal ${slash(staging)}/commit.json is still there): `
      + 'the folder may hold a mix of the previous output and the new one, so it was not checked';
    const fix = `run the program: its next synth into ${slash(dist)} first undoes the interrupted one; then check the folder again`;
    for (const input of [dist, root, path.join(dist, 'shop.k8s.yaml')]) {
      const r = await run(['check', input]);
      expect(r.code).toBe(2);
      expect(r.out).toContain(`${slash(dist)}\n  ERROR SS-POLICY-003: ${message}\n    fix: ${fix}\n`);
      expect(r.out).toContain('checked 0 documents in 0 files');
      expect(r.err).toContain('shipshape: 1 input could not be read (see SS-POLICY-003 above); the check is incomplete\n');
    }
    // the folder and a file of it named: refused once
    const both = await run(['check', dist, path.join(dist, 'shop.k8s.yaml')]);
    expect(both.code).toBe(2);
    expect(both.out.split('SS-POLICY-003').length).toBe(2);
    const json = await run(['check', dist, '--format', 'json']);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.out).findings).toEqual([expect.objectContaining({ ruleId: 'SS-POLICY-003', severity: 'error', message })]);
    // shipshape check changed nothing: the next synth undoes the interrupted one, as it says
    expect(snapshot(root)).toEqual(before);
  });

  test('a synth still running (its process alive): exit 2, saying a synth is writing the folder now', async () => {
    const dist = path.join(tmpDir(), 'dist');
    synth(dist);
    for (const journal of [false, true]) {
      const staging = stage(dist, process.ppid, journal);
      const before = snapshot(dist);
      const r = await run(['check', dist]);
      expect(r.code).toBe(2);
      expect(r.out).toContain(`SS-POLICY-003: a synth is writing this output folder now (process ${process.ppid}, staging in ${slash(staging)}): `
        + 'its files may change while they are read, so the folder was not checked');
      expect(r.out).toContain('fix: check the folder again once that synth has ended');
      expect(r.out).not.toContain('interrupted');
      expect(snapshot(dist)).toEqual(before);
    }
  });

  test('the staging folder of a synth that died before it moved anything in leaves the folder whole: checked as usual', async () => {
    const dist = path.join(tmpDir(), 'dist');
    synth(dist);
    const clean = await run(['check', dist]);
    stage(dist, NO_PROCESS, false);
    const r = await run(['check', dist]);
    expect(r.code).toBe(clean.code);
    expect(r.out).not.toContain('SS-POLICY-003');
    // the leftover is counted with shipshape's own files, and left for the next synth to remove
    expect(r.out).toContain('in .shipshape/');
    expect(fs.existsSync(path.join(dist, '.shipshape', 'staging-Ab12Cd', 'pid'))).toBe(true);
  });
});
