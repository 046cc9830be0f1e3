/**
 * A synth that dies while it moves its files into the output folder (SIGKILL, a power cut): the next synth finds the
 * journal its staging folder holds and puts the folder back as it was before, so that even when that next synth
 * fails, the folder holds the previous output, as the error says. And Ctrl-C (SIGINT) during the moves waits for them.
 *
 * Each case runs the program in a child process whose `fs.renameSync` kills it at the N-th rename into the folder.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { run as shipshape } from '../policy/cli-helpers';

const ROOT = path.resolve(__dirname, '..', '..');
const dirs: string[] = [];
afterAll(() => dirs.forEach(d => fs.rmSync(d, { recursive: true, force: true })));

function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-recovery-'));
  dirs.push(d);
  return d;
}

// STATE=a: charts web, api, jobs; STATE=b: web changed, api gone, search new; BREAK=1: a privileged container (the
// policy refuses it). RENAME_LOG prints each rename; KILL_AT=N kills the process at the N-th one, SIGNAL_AT=N sends
// it SIGINT there instead (and goes on).
const PROGRAM = `
import { Chart, JsonPatch } from 'cdk8s';
import { App, WebService, Job } from '../lib/k8s';
const fs = require('fs');
const rename = fs.renameSync;
let n = 0;
fs.renameSync = (from: string, to: string) => {
  n++;
  if (process.env.RENAME_LOG) process.stdout.write('rename ' + n + ' ' + to.slice(process.env.OUT!.length + 1) + '\\n');
  if (Number(process.env.KILL_AT) === n) process.kill(process.pid, 'SIGKILL');
  if (Number(process.env.SIGNAL_AT) === n) process.kill(process.pid, 'SIGINT');
  return rename(from, to);
};
const rm = fs.rmSync;
let r = 0;
fs.rmSync = (p: string, o: any) => {
  if (String(p).includes('staging-')) {
    r++;
    if (process.env.RM_LOG) process.stdout.write('rm ' + r + ' ' + String(p).slice(process.env.OUT!.length + 1) + '\\n');
    if (Number(process.env.KILL_RM_AT) === r) process.kill(process.pid, 'SIGKILL');
  }
  return rm(p, o);
};
const app = new App({ outdir: process.env.OUT! });
const b = process.env.STATE === 'b';
const web = new WebService(new Chart(app, 'web', { namespace: 'shop' }), 'web', { image: 'ghcr.io/acme/web:' + (b ? '2.0.0' : '1.0.0') });
if (process.env.BREAK) web.deployment.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/securityContext/privileged', true));
if (!b) new WebService(new Chart(app, 'api', { namespace: 'shop' }), 'api', { image: 'ghcr.io/acme/api:1.0.0' });
if (b) new WebService(new Chart(app, 'search', { namespace: 'shop' }), 'search', { image: 'ghcr.io/acme/search:1.0.0' });
new Job(new Chart(app, 'jobs', { namespace: 'shop' }), 'migrate', { image: 'ghcr.io/acme/migrate:1.0.0', command: ['migrate'] });
app.synth();
`;

// beside the tests, so that it resolves cdk8s and lib/ as the suite does
const FILE = path.join(ROOT, 'test', `.recovery-program-${process.pid}.ts`);
beforeAll(() => fs.writeFileSync(FILE, PROGRAM));
afterAll(() => fs.rmSync(FILE, { force: true }));

function run(dir: string, env: { [k: string]: string }) {
  const file = FILE;
  return spawnSync(process.execPath, ['-r', require.resolve('ts-node/register/transpile-only'), file], {
    cwd: dir, encoding: 'utf8', env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.json'), OUT: path.join(dir, 'dist'), ...env },
  });
}

/** Every file under `dir` with its content (the record and the reports included, a failed run's reports left out). */
function snapshot(dir: string): { [rel: string]: string } {
  const out: { [rel: string]: string } = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      const rel = path.relative(dir, p).split(path.sep).join('/');
      if (e.isDirectory()) walk(p);
      else if (!/policy-report\.failed/.test(rel)) out[rel] = fs.readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

function copy(from: string, to: string): void {
  fs.rmSync(to, { recursive: true, force: true });
  fs.cpSync(from, to, { recursive: true });
}

describe('a synth killed while it moves its files in', () => {
  let base: string;
  let before: { [rel: string]: string };
  let renames: string[];

  beforeAll(() => {
    base = tempDir();
    const a = run(base, { STATE: 'a' });
    expect(a.status).toBe(0);
    before = snapshot(path.join(base, 'dist'));
    fs.cpSync(path.join(base, 'dist'), path.join(base, 'dist-a'), { recursive: true });
    // the renames of state b over state a, in order
    const b = run(base, { STATE: 'b', RENAME_LOG: '1' });
    expect(b.status).toBe(0);
    renames = b.stdout.split('\n').filter(l => l.startsWith('rename '));
    copy(path.join(base, 'dist-a'), path.join(base, 'dist'));
  }, 60_000);

  test('the moves are what the journal describes: the record first, each file, the removed one, the record last', () => {
    const targets = renames.map(l => l.split(' ')[2]);
    expect(targets).toEqual(expect.arrayContaining(['.shipshape/output.json', 'web.k8s.yaml', 'search.k8s.yaml']));
    expect(targets.some(t => t.includes('.removed/api.k8s.yaml'))).toBe(true);
  });

  test.each([['the first file moved in', 'web.k8s.yaml'], ['a new file moved in', 'search.k8s.yaml'], ['the stale file moved aside', '.removed/api.k8s.yaml'], ['a report written', 'policy-report.sarif']])(
    'killed at %s: the next synth (which fails) puts the previous output back and says so; the one after that writes the new output', (_, at) => {
      const n = renames.findIndex(l => l.split(' ')[2].endsWith(at)) + 1;
      expect(n).toBeGreaterThan(0);
      const killed = run(base, { STATE: 'b', KILL_AT: String(n) });
      expect(killed.signal).toBe('SIGKILL');

      const failing = run(base, { STATE: 'b', BREAK: '1' });
      expect(failing.status).not.toBe(0);
      expect(failing.stderr).toContain('stopped while it moved its files in; its changes were undone, so the folder holds the output before it again');
      // the files the killed synth had not moved in yet were never touched: nothing is reported lost
      expect(failing.stderr).not.toContain('could not put back');
      expect(failing.stderr).toContain('the previous output in');
      expect(snapshot(path.join(base, 'dist'))).toEqual(before);

      const good = run(base, { STATE: 'b' });
      expect(good.status).toBe(0);
      const after = snapshot(path.join(base, 'dist'));
      expect(Object.keys(after).filter(f => f.endsWith('.yaml')).sort()).toEqual(['jobs.k8s.yaml', 'search.k8s.yaml', 'web.k8s.yaml']);
      expect(Object.keys(after).some(f => f.includes('staging-') || f.endsWith('.tmp'))).toBe(false);
      copy(path.join(base, 'dist-a'), path.join(base, 'dist'));
    }, 60_000);

  test('shipshape check of the folder a killed synth left refuses it (exit 2, naming the interrupted synth) and changes nothing; once the next synth undid it, the folder is checked', async () => {
    const dist = path.join(base, 'dist');
    const n = renames.findIndex(l => l.split(' ')[2].endsWith('search.k8s.yaml')) + 1;
    const killed = run(base, { STATE: 'b', KILL_AT: String(n) });
    expect(killed.signal).toBe('SIGKILL');
    const left = snapshot(dist);
    // a mix: the new web.k8s.yaml moved in, api.k8s.yaml still there
    expect(left['web.k8s.yaml']).not.toEqual(before['web.k8s.yaml']);
    expect(left['api.k8s.yaml']).toBeDefined();
    const refused = await shipshape(['check', dist]);
    expect(refused.code).toBe(2);
    expect(refused.out).toContain('ERROR SS-POLICY-003: a synth into this output folder was interrupted while it moved its files in');
    expect(refused.out).toContain('the folder may hold a mix of the previous output and the new one, so it was not checked');
    expect(snapshot(dist)).toEqual(left);
    expect(run(base, { STATE: 'b' }).status).toBe(0);
    const checked = await shipshape(['check', dist]);
    expect(checked.code).not.toBe(2);
    expect(checked.out).not.toContain('SS-POLICY-003');
    copy(path.join(base, 'dist-a'), path.join(base, 'dist'));
  }, 60_000);

  test('killed while it removes its staging folder after the commit is done: the next synth undoes nothing, and the folder holds the whole new output', () => {
    const logged = run(base, { STATE: 'b', RM_LOG: '1' });
    expect(logged.status).toBe(0);
    const removals = logged.stdout.split('\n').filter(l => l.startsWith('rm '));
    // the journal goes first; then the rest of the staging folder (with the copies of the replaced files)
    expect(removals[0]).toMatch(/staging-[^/]+\/commit\.json$/);
    const newOutput = snapshot(path.join(base, 'dist'));
    copy(path.join(base, 'dist-a'), path.join(base, 'dist'));
    const killed = run(base, { STATE: 'b', KILL_RM_AT: '2' });
    expect(killed.signal).toBe('SIGKILL');
    const failing = run(base, { STATE: 'b', BREAK: '1' });
    expect(failing.status).not.toBe(0);
    expect(failing.stderr).not.toContain('stopped while it moved its files in');
    expect(snapshot(path.join(base, 'dist'))).toEqual(newOutput);
    copy(path.join(base, 'dist-a'), path.join(base, 'dist'));
  }, 60_000);

  test('SIGINT during the moves waits for them: the process ends by the signal, with the whole new output in place', () => {
    const n = renames.findIndex(l => l.split(' ')[2] === 'web.k8s.yaml') + 1;
    const interrupted = run(base, { STATE: 'b', SIGNAL_AT: String(n) });
    expect(interrupted.signal).toBe('SIGINT');
    const after = snapshot(path.join(base, 'dist'));
    expect(Object.keys(after).filter(f => f.endsWith('.yaml')).sort()).toEqual(['jobs.k8s.yaml', 'search.k8s.yaml', 'web.k8s.yaml']);
    expect(Object.keys(after).some(f => f.includes('staging-'))).toBe(false);
    copy(path.join(base, 'dist-a'), path.join(base, 'dist'));
  }, 60_000);
});
