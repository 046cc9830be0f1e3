/**
 * `npm run bench`: synthesis speed and memory of shipshape against raw cdk8s.
 *
 * Cases: layouts x N services x sides, each run BENCH_RUNS times (default 3), interleaved (run 1 of every case,
 * then run 2 of every case, ...), so that a slow period of a shared machine does not land on one case only;
 * the table gives medians, with min and max of the total time.
 * - layouts: `one-chart` (all services in one chart, a construct per service with the service's name as id) and
 *   `chart-per-service` (one chart per service, and in it a construct with the service's name as id:
 *   `new k8s.WebService(chart, name)` on the shipshape side, `new Construct(chart, name)` holding the ApiObjects
 *   on the raw side). `chart-per-service-same-id` (every chart's construct has the id "service", its `name` set)
 *   can be added with BENCH_LAYOUTS.
 * - raw: cdk8s `ApiObject`s in the stock cdk8s `App` (what a team writing plain cdk8s gets);
 * - shipshape: `k8s.WebService` in `k8s.App`, policy on;
 * - policy-off: the same with `policy: false`, so that the policy's whole cost shows as the difference of the two
 *   synth times: besides the check's own time, that counts the background work its code sets off (V8 compiling the
 *   rules' hot functions on other threads), which on a two-core machine slows what runs after the check.
 * Both sides produce the same objects: the raw side is built from the manifests of one synthesized
 * WebService, used as JSON templates with the names substituted per index.
 *
 * Every case runs in a fresh child process on JavaScript transpiled from lib/ (the aws submodule loaded lazily,
 * as in the published package), and synthesizes into a temporary folder that is removed afterwards. Peak RSS is
 * the child's (process.resourceUsage().maxRSS, module loading included). The child also times, inside the
 * synth, the policy check and the whole-output check (by wrapping the internal functions k8s.App calls).
 *
 * The stock App renders each chart through an app-wide pass, so raw chart-per-service is quadratic: at N=3000 it
 * takes minutes, and it runs once (not BENCH_RUNS times); BENCH_SLOW=0 leaves it out.
 *
 * Env: BENCH_N=1000,3000 (default) sets the list of N; BENCH_LAYOUTS=one-chart,chart-per-service (default);
 * BENCH_RUNS=3; BENCH_SLOW=0; BENCH_POLICY_OFF=0 leaves out the policy-off side; BENCH_EKS=0 skips the EKS example benchmark at the end; BENCH_NODE_FLAGS adds
 * Node.js flags to every child (both sides), for example `--v8-pool-size=2`: Node.js starts four V8 worker threads
 * (optimizing compiler, GC) whatever the number of cores, and on two cores they queue the main thread behind them.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- modules are loaded inside the measured child on purpose (before the clock starts, only those the case needs) */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { lazifyAwsIndex } from '../scripts/lazy-aws-index';

type Side = 'raw' | 'shipshape' | 'policy-off';
type Layout = 'one-chart' | 'chart-per-service' | 'chart-per-service-same-id';
const LAYOUTS: Layout[] = ['one-chart', 'chart-per-service', 'chart-per-service-same-id'];

interface Result {
  readonly side: Side;
  readonly layout: Layout;
  readonly n: number;
  readonly objects: number;
  readonly files: number;
  readonly buildMs: number;
  readonly synthMs: number;
  /** CPU time (user + system, all threads) of build + synth. */
  readonly cpuMs: number;
  readonly rssMb: number;
  /** Time in the policy check during synth (shipshape only). */
  readonly policyMs?: number;
  /** Time in the whole-output check during synth (shipshape only). */
  readonly outputCheckMs?: number;
  /** CPU time of the main thread during synth (Linux only: /proc/thread-self/schedstat). */
  readonly synthThreadMs?: number;
  /** CPU time of the main thread in the policy check (Linux only). */
  readonly policyThreadMs?: number;
  /** CPU time of the process's other threads (mostly V8's compiler and GC workers) while the policy check ran (Linux only). */
  readonly policyOtherThreadsMs?: number;
  /** Time the main thread spent ready to run but waiting for a core while the policy check ran (Linux only). */
  readonly policyWaitMs?: number;
}

const TEMPLATE_NAME = 'svc-template';
const NAMESPACE = 'shop';
const IMAGE = 'registry.example.com/shop/api:1.4.2';

function serviceName(i: number): string {
  return `svc-${String(i).padStart(5, '0')}`;
}

function countFiles(dir: string): number {
  let n = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) n += countFiles(path.join(dir, e.name));
    else if (e.name.endsWith('.yaml')) n++;
  }
  return n;
}

// ---------------------------------------------------------------------------------------------
// child: one measurement

/**
 * Where the cases synthesize: a temporary folder, removed after each case. Both sides write to the same place.
 * On Linux /dev/shm (tmpfs) is used when writable, so that the figures measure synthesis, not the disk: on the
 * build machine, creating 3,000 small files on disk took from 0.08 s to 2 s depending on other activity.
 * BENCH_TMPDIR overrides the choice.
 */
function workDir(): string {
  if (process.env.BENCH_TMPDIR) return process.env.BENCH_TMPDIR;
  try {
    fs.accessSync('/dev/shm', fs.constants.W_OK);
    return '/dev/shm';
  } catch {
    return os.tmpdir();
  }
}

/**
 * CPU time so far of one thread of this process, in ms, from its schedstat (nanoseconds on CPU); undefined where
 * the file does not exist (not Linux). `tid` defaults to the calling (main) thread.
 */
function threadCpuMs(tid?: string): number | undefined {
  return schedstatMs(tid, 0);
}

/**
 * Time so far the calling (main) thread spent runnable but waiting for a core (its run-queue delay), in ms, from its
 * schedstat; undefined where the file does not exist (not Linux).
 */
function threadWaitMs(): number | undefined {
  return schedstatMs(undefined, 1);
}

/** Field `field` of a thread's schedstat (nanoseconds) in ms, or undefined where the file does not exist. */
function schedstatMs(tid: string | undefined, field: number): number | undefined {
  try {
    const file = tid === undefined ? '/proc/thread-self/schedstat' : `/proc/self/task/${tid}/schedstat`;
    return Number(fs.readFileSync(file, 'utf-8').split(' ')[field]) / 1e6;
  } catch {
    return undefined;
  }
}

/** CPU time so far of each thread of this process but the main one (Linux only; empty elsewhere). */
function otherThreadsCpuMs(): Map<string, number> {
  const out = new Map<string, number>();
  let tids: string[];
  try {
    tids = fs.readdirSync('/proc/self/task');
  } catch {
    return out;
  }
  for (const tid of tids) {
    if (tid === String(process.pid)) continue;
    const ms = threadCpuMs(tid);
    if (ms !== undefined) out.set(tid, ms);
  }
  return out;
}

/** What `timeCalls` adds up: wall time, and (Linux) the main thread's and the other threads' CPU time. */
interface Acc {
  ms: number;
  threadMs?: number;
  otherThreadsMs?: number;
  waitMs?: number;
}

/**
 * Adds the time spent in `obj[name]` (a module export or a prototype method) to `acc.ms`; with `threads`, also the
 * main thread's CPU time in it and the CPU time the other threads used meanwhile (where Linux tells).
 */
function timeCalls(obj: any, name: string, acc: Acc, threads = false): void {
  const f = obj[name];
  obj[name] = function (this: any, ...args: any[]) {
    const others0 = threads ? otherThreadsCpuMs() : undefined;
    const c0 = threads ? threadCpuMs() : undefined;
    const w0 = threads ? threadWaitMs() : undefined;
    const t0 = process.hrtime.bigint();
    try {
      return f.apply(this, args);
    } finally {
      acc.ms += Number(process.hrtime.bigint() - t0) / 1e6;
      const c1 = threads ? threadCpuMs() : undefined;
      if (c0 !== undefined && c1 !== undefined) acc.threadMs = (acc.threadMs ?? 0) + c1 - c0;
      const w1 = threads ? threadWaitMs() : undefined;
      if (w0 !== undefined && w1 !== undefined) acc.waitMs = (acc.waitMs ?? 0) + w1 - w0;
      if (others0 !== undefined && others0.size > 0) {
        let sum = 0;
        for (const [tid, ms] of otherThreadsCpuMs()) sum += ms - (others0.get(tid) ?? 0);
        acc.otherThreadsMs = (acc.otherThreadsMs ?? 0) + sum;
      }
    }
  };
}

function child(side: Side, layout: Layout, n: number, templatesFile: string): void {
  const outdir = fs.mkdtempSync(path.join(workDir(), `shipshape-bench-${side}-`));
  try {
    // load the libraries before the clock starts (module load is not synthesis)
    const cdk8s = require('cdk8s');
    const { Construct } = require('constructs');
    const lib = side === 'raw' ? undefined : require('../lib');
    const templates: string[] = side === 'raw' ? JSON.parse(fs.readFileSync(templatesFile, 'utf-8')) : [];
    const policy: Acc = { ms: 0 };
    const outputCheck: Acc = { ms: 0 };
    if (lib) {
      // k8s.App calls these through the module objects (CommonJS), so wrapping the exports times every call
      timeCalls(require('../lib/policy/run'), '_checkPolicy', policy, true);
      const check = require('../lib/policy/output-check');
      timeCalls(check.OutputChecker.prototype, 'add', outputCheck);
      timeCalls(check.OutputChecker.prototype, 'problems', outputCheck);
    }
    (global as any).gc?.();

    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    let app: any;
    if (side === 'raw') {
      app = new cdk8s.App({ outdir });
      const one = layout === 'one-chart' ? new cdk8s.Chart(app, 'services', { namespace: NAMESPACE }) : undefined;
      for (let i = 0; i < n; i++) {
        const name = serviceName(i);
        const chart = one ?? new cdk8s.Chart(app, name, { namespace: NAMESPACE });
        const scope = layout === 'chart-per-service-same-id' ? new Construct(chart, 'service') : new Construct(chart, name);
        templates.forEach((t, k) => {
          const obj = JSON.parse(t.split(TEMPLATE_NAME).join(name));
          new cdk8s.ApiObject(scope, `${obj.kind}-${k}`, obj);
        });
      }
    } else {
      app = new lib.k8s.App({ outdir, ...(side === 'policy-off' ? { policy: false } : {}) });
      const one = layout === 'one-chart' ? new cdk8s.Chart(app, 'services', { namespace: NAMESPACE }) : undefined;
      for (let i = 0; i < n; i++) {
        const name = serviceName(i);
        const chart = one ?? new cdk8s.Chart(app, name, { namespace: NAMESPACE });
        if (layout === 'chart-per-service-same-id') new lib.k8s.WebService(chart, 'service', { name, image: IMAGE });
        else new lib.k8s.WebService(chart, name, { image: IMAGE });
      }
    }
    const s0 = threadCpuMs();
    const t1 = process.hrtime.bigint();
    app.synth();
    const t2 = process.hrtime.bigint();
    const s1 = threadCpuMs();
    const cpu = process.cpuUsage(c0);

    const files = countFiles(outdir);
    let objects = 0;
    for (const c of app.node.findAll()) if (cdk8s.ApiObject.isApiObject(c)) objects++;
    const result: Result = {
      side,
      layout,
      n,
      objects,
      files,
      buildMs: Number(t1 - t0) / 1e6,
      synthMs: Number(t2 - t1) / 1e6,
      cpuMs: (cpu.user + cpu.system) / 1000,
      rssMb: process.resourceUsage().maxRSS / 1024,
      ...(s0 !== undefined && s1 !== undefined ? { synthThreadMs: s1 - s0 } : {}),
      ...(side === 'shipshape' ? { policyMs: policy.ms } : {}),
      ...(lib ? { outputCheckMs: outputCheck.ms } : {}),
      ...(lib && policy.threadMs !== undefined ? { policyThreadMs: policy.threadMs } : {}),
      ...(lib && policy.otherThreadsMs !== undefined ? { policyOtherThreadsMs: policy.otherThreadsMs } : {}),
      ...(lib && policy.waitMs !== undefined ? { policyWaitMs: policy.waitMs } : {}),
    };
    process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// parent: templates, cases, table

/** Synthesizes one WebService and returns its manifests as JSON strings (the raw side's templates). */
function captureTemplates(jsRoot: string): string[] {
  const cdk8s = require('cdk8s');
  const lib = require(path.join(jsRoot, 'lib'));
  const app = new lib.k8s.App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-bench-tpl-')), policy: false });
  try {
    const chart = new cdk8s.Chart(app, 'template', { namespace: NAMESPACE });
    new lib.k8s.WebService(chart, TEMPLATE_NAME, { image: IMAGE });
    const manifests: any[] = chart.node.findAll().filter((c: any) => cdk8s.ApiObject.isApiObject(c)).map((o: any) => o.toJson());
    return manifests.map(m => JSON.stringify(m));
  } finally {
    fs.rmSync(app.outdir, { recursive: true, force: true });
  }
}

/**
 * Transpiles lib/ and this file to JavaScript under bench-results/ (git-ignored), so that the children
 * run plain JavaScript as users do (a compiled package, whose index loads the aws submodule on first use),
 * without ts-node's compiler in their memory.
 * @returns the path of the transpiled bench.js
 */
function transpile(root: string): string {
  const ts = require('typescript');
  const repo = path.resolve(__dirname, '..');
  const options = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true };
  const emit = (file: string) => {
    const rel = path.relative(repo, file);
    const out = path.join(root, rel.replace(/\.ts$/, '.js'));
    fs.mkdirSync(path.dirname(out), { recursive: true });
    let js = ts.transpileModule(fs.readFileSync(file, 'utf-8'), { compilerOptions: options, fileName: file }).outputText;
    if (rel === path.join('lib', 'index.ts')) js = lazifyAwsIndex(js);
    fs.writeFileSync(out, js);
    return out;
  };
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) emit(p);
      else if (e.name.endsWith('.json')) fs.copyFileSync(p, path.join(root, path.relative(repo, p)));
    }
  };
  walk(path.join(repo, 'lib'));
  emit(path.join(repo, 'scripts', 'lazy-aws-index.ts'));
  return emit(__filename);
}

/** Extra Node.js flags for every child (BENCH_NODE_FLAGS, split on whitespace). */
function nodeFlags(): string[] {
  return (process.env.BENCH_NODE_FLAGS ?? '').split(/\s+/).filter(f => f !== '');
}

function runCase(side: Side, layout: Layout, n: number, templatesFile: string, benchJs: string): Result {
  // stderr is captured: the policy prints its warnings there
  const r = spawnSync(process.execPath, [
    '--expose-gc', ...nodeFlags(), benchJs, '--child', side, layout, String(n), templatesFile,
  ], {
    cwd: path.resolve(__dirname, '..'),
    encoding: 'utf-8',
    maxBuffer: 1024 * 1024 * 1024,
  });
  const line = (r.stdout ?? '').split('\n').find(l => l.startsWith('BENCH_RESULT '));
  if (r.status !== 0 || !line) {
    throw new Error(`bench child ${side} ${layout} N=${n} failed (exit ${r.status}):\n${r.stdout}\n${(r.stderr ?? '').slice(-5000)}`);
  }
  return JSON.parse(line.slice('BENCH_RESULT '.length));
}

/** The median of each figure over a case's runs (the runs' own min and max of the total kept aside). */
interface Summary {
  readonly side: Side;
  readonly layout: Layout;
  readonly n: number;
  readonly runs: number;
  readonly objects: number;
  readonly files: number;
  readonly buildMs: number;
  readonly synthMs: number;
  readonly totalMs: number;
  readonly totalMinMs: number;
  readonly totalMaxMs: number;
  readonly cpuMs: number;
  readonly rssMb: number;
  readonly policyMs?: number;
  readonly outputCheckMs?: number;
  /** Median over runs of policyMs / synthMs. */
  readonly policyShare?: number;
  /** Median of policy time / (build + synth) time: the share of the whole program run (`cdk8s synth`). */
  readonly policyRunShare?: number;
  /** Median over runs of the main thread's CPU time in the policy check / in synth (Linux only). */
  readonly policyThreadShare?: number;
  readonly policyThreadMs?: number;
  /** Median CPU time of the other threads while the policy check ran (Linux only). */
  readonly policyOtherThreadsMs?: number;
  /** Median time the main thread waited for a core while the policy check ran (Linux only). */
  readonly policyWaitMs?: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function summarize(rs: Result[]): Summary {
  const totals = rs.map(r => r.buildMs + r.synthMs);
  const first = rs[0];
  const shipshape = first.side === 'shipshape';
  return {
    side: first.side,
    layout: first.layout,
    n: first.n,
    runs: rs.length,
    objects: first.objects,
    files: first.files,
    buildMs: median(rs.map(r => r.buildMs)),
    synthMs: median(rs.map(r => r.synthMs)),
    totalMs: median(totals),
    totalMinMs: Math.min(...totals),
    totalMaxMs: Math.max(...totals),
    cpuMs: median(rs.map(r => r.cpuMs)),
    rssMb: median(rs.map(r => r.rssMb)),
    ...(first.outputCheckMs !== undefined ? { outputCheckMs: median(rs.map(r => r.outputCheckMs!)) } : {}),
    ...(shipshape ? {
      policyMs: median(rs.map(r => r.policyMs!)),
      policyShare: median(rs.map(r => r.policyMs! / r.synthMs)),
      policyRunShare: median(rs.map(r => r.policyMs! / (r.buildMs + r.synthMs))),
    } : {}),
    ...(shipshape && rs.every(r => r.policyThreadMs !== undefined && r.synthThreadMs !== undefined) ? {
      policyThreadMs: median(rs.map(r => r.policyThreadMs!)),
      policyThreadShare: median(rs.map(r => r.policyThreadMs! / r.synthThreadMs!)),
    } : {}),
    ...(shipshape && rs.every(r => r.policyOtherThreadsMs !== undefined) ? {
      policyOtherThreadsMs: median(rs.map(r => r.policyOtherThreadsMs!)),
    } : {}),
    ...(shipshape && rs.every(r => r.policyWaitMs !== undefined) ? {
      policyWaitMs: median(rs.map(r => r.policyWaitMs!)),
    } : {}),
  };
}

function fmt(ms: number): string {
  return (ms / 1000).toFixed(2);
}

function pad(s: string, w: number): string {
  return s.length >= w ? s : ' '.repeat(w - s.length) + s;
}

async function main(): Promise<void> {
  const ns = (process.env.BENCH_N ?? '1000,3000').split(',').map(s => Number(s.trim())).filter(x => x > 0);
  const layouts = (process.env.BENCH_LAYOUTS ?? 'one-chart,chart-per-service').split(',').map(s => s.trim()) as Layout[];
  for (const l of layouts) if (!LAYOUTS.includes(l)) throw new Error(`BENCH_LAYOUTS: unknown layout ${l} (known: ${LAYOUTS.join(', ')})`);
  const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
  const slow = process.env.BENCH_SLOW !== '0';
  const sides: Side[] = process.env.BENCH_POLICY_OFF === '0' ? ['raw', 'shipshape'] : ['raw', 'shipshape', 'policy-off'];
  /** Raw cdk8s with a chart per service is quadratic in the stock App: minutes at N=3000. */
  const isSlow = (side: Side, layout: Layout, n: number) => side === 'raw' && layout !== 'one-chart' && n > 1000;

  const tplDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-bench-'));
  const templatesFile = path.join(tplDir, 'templates.json');
  const jsRoot = path.resolve(__dirname, '..', 'bench-results', `.js-${process.pid}`);
  const results: Result[] = [];
  let templates: string[];
  try {
    const benchJs = transpile(jsRoot);
    templates = captureTemplates(jsRoot);
    fs.writeFileSync(templatesFile, JSON.stringify(templates));
    const kinds = templates.map(t => JSON.parse(t).kind).join(', ');

    console.log(`shipshape bench: ${os.cpus().length} CPU(s), node ${process.version}, ${runs} run(s) per case, interleaved`);
    console.log(`one service = ${templates.length} objects (${kinds}); raw = cdk8s ApiObjects from those manifests in the stock cdk8s App; shipshape = k8s.WebService in k8s.App with the policy on${sides.includes('policy-off') ? '; policy-off = the same with policy: false' : ''}`);
    const flags = nodeFlags();
    // NODE_OPTIONS reaches every child (the environment is inherited): named, since it changes the figures as flags do
    const nodeOptions = (process.env.NODE_OPTIONS ?? '').trim();
    console.log(`each case in a fresh node process${flags.length > 0 ? ` (extra flags: ${flags.join(' ')})` : ''}${nodeOptions !== '' ? ` (NODE_OPTIONS: ${nodeOptions})` : ''} running transpiled JavaScript (no ts-node); synth into a temp folder in ${workDir()}\n`);

    const cases: Array<{ side: Side; layout: Layout; n: number }> = [];
    for (const n of ns) {
      for (const layout of layouts) {
        for (const side of sides) {
          if (isSlow(side, layout, n) && !slow) continue;
          cases.push({ side, layout, n });
        }
      }
    }
    for (let run = 0; run < runs; run++) {
      for (const c of cases) {
        if (run > 0 && isSlow(c.side, c.layout, c.n)) continue; // once is enough to show it
        const r = runCase(c.side, c.layout, c.n, templatesFile, benchJs);
        results.push(r);
        process.stderr.write(`  run ${run + 1}/${runs} ${c.side} ${c.layout} N=${c.n}: ${fmt(r.buildMs + r.synthMs)} s\n`);
      }
    }
  } finally {
    fs.rmSync(tplDir, { recursive: true, force: true });
    fs.rmSync(jsRoot, { recursive: true, force: true });
    try {
      fs.rmdirSync(path.dirname(jsRoot)); // bench-results/, when empty
    } catch {
      // not empty or not there
    }
  }

  const groups = new Map<string, Result[]>();
  for (const r of results) {
    const key = `${r.side}|${r.layout}|${r.n}`;
    const g = groups.get(key);
    if (g) g.push(r); else groups.set(key, [r]);
  }
  const summaries = [...groups.values()].map(summarize);
  const find = (side: Side, layout: Layout, n: number) => summaries.find(s => s.side === side && s.layout === layout && s.n === n);

  console.log('medians; times in seconds (total: median [min-max] of build + synth), RSS in MB;');
  console.log('vs raw 1-chart = shipshape total (or RSS) / raw cdk8s in one chart at the same N; vs raw = / raw cdk8s in the same layout\n');
  const header = ['side', 'layout', 'N', 'runs', 'objects', 'files', 'build', 'synth', 'total [min-max]', 'cpu', 'peak RSS', 'vs raw 1-chart', 'vs raw'];
  const widths = [10, 17, 5, 4, 7, 5, 6, 6, 18, 6, 8, 15, 13];
  const row = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : pad(c, widths[i]))).join(' ');
  console.log(row(header));
  const ratio = (a: Summary, b: Summary | undefined) =>
    (b ? `${(a.totalMs / b.totalMs).toFixed(2)}x/${(a.rssMb / b.rssMb).toFixed(2)}x` : '-');
  for (const s of summaries) {
    const base = find('raw', 'one-chart', s.n);
    const same = find('raw', s.layout, s.n);
    console.log(row([
      s.side, s.layout, String(s.n), String(s.runs), String(s.objects), String(s.files),
      fmt(s.buildMs), fmt(s.synthMs), `${fmt(s.totalMs)} [${fmt(s.totalMinMs)}-${fmt(s.totalMaxMs)}]`, fmt(s.cpuMs), s.rssMb.toFixed(0),
      s.side === 'raw' && s.layout === 'one-chart' ? '1' : ratio(s, base),
      s.side === 'raw' ? '-' : ratio(s, same),
    ]));
  }
  console.log('(ratios: time/RSS)');

  console.log('\nshipshape, inside synth: policy check and whole-output check (median time, share of synth time; for the policy\n'
    + 'check also its share of build + synth, the whole program run):');
  for (const s of summaries) {
    if (s.side !== 'shipshape') continue;
    console.log(`  ${s.layout.padEnd(26)} N=${String(s.n).padEnd(5)} policy ${fmt(s.policyMs!)} s (${(s.policyShare! * 100).toFixed(1)} % of synth, ${(s.policyRunShare! * 100).toFixed(1)} % of build + synth)   `
      + `whole-output check ${fmt(s.outputCheckMs!)} s (${((s.outputCheckMs! / s.synthMs) * 100).toFixed(1)} %)`);
  }
  const paired = summaries.filter(s => s.side === 'shipshape' && find('policy-off', s.layout, s.n) !== undefined);
  if (paired.length > 0) {
    console.log('\nthe policy\'s whole cost: median synth time with the policy on less with it off (policy: false), and its share of\n'
      + 'synth with the policy on; besides the check, this counts what its code sets off that outlasts it (V8 compiling the\n'
      + 'rules\' hot functions on other threads, which on two cores slows the rest of synth); a difference of medians, so\n'
      + 'noisy with few runs:');
    for (const s of paired) {
      const off = find('policy-off', s.layout, s.n)!;
      const cost = s.synthMs - off.synthMs;
      console.log(`  ${s.layout.padEnd(26)} N=${String(s.n).padEnd(5)} synth ${fmt(s.synthMs)} s on, ${fmt(off.synthMs)} s off: `
        + `${fmt(cost)} s (${((cost / s.synthMs) * 100).toFixed(0)} % of synth, ${((cost / s.totalMs) * 100).toFixed(0)} % of build + synth)`);
    }
  }
  const threaded = summaries.filter(s => s.side === 'shipshape' && s.policyThreadShare !== undefined);
  if (threaded.length > 0) {
    console.log('\nthe policy check in CPU time (Linux): the main thread\'s CPU time in the check and its share of the main thread\'s\n'
      + 'CPU time in synth, the CPU time the process\'s other threads (mostly V8\'s optimizing compiler and GC workers) used\n'
      + 'meanwhile, and how long the main thread waited for a core meanwhile (ready to run while other threads held every\n'
      + 'core): the check\'s wall time is about its CPU time plus that wait:');
    for (const s of threaded) {
      console.log(`  ${s.layout.padEnd(26)} N=${String(s.n).padEnd(5)} policy ${fmt(s.policyThreadMs!)} s CPU (${(s.policyThreadShare! * 100).toFixed(1)} % of synth CPU)`
        + (s.policyOtherThreadsMs !== undefined ? `   other threads meanwhile ${fmt(s.policyOtherThreadsMs)} s CPU` : '')
        + (s.policyWaitMs !== undefined ? `   waited for a core ${fmt(s.policyWaitMs)} s` : ''));
    }
  }

  if (ns.includes(1000) && ns.includes(3000)) {
    console.log('\ngrowth exponent from N=1000 to N=3000 (1.00 = linear, 2.00 = quadratic) of the median total time, and of the');
    console.log('median CPU time (all threads; steadier than wall time when other processes share the machine):');
    const exponent = (a: number, b: number) => (Math.log(b / a) / Math.log(3)).toFixed(2);
    for (const layout of layouts) {
      for (const side of sides) {
        const a = find(side, layout, 1000);
        const b = find(side, layout, 3000);
        if (!a || !b) continue;
        console.log(`  ${side.padEnd(10)} ${layout.padEnd(26)} time ${exponent(a.totalMs, b.totalMs)}   cpu ${exponent(a.cpuMs, b.cpuMs)}`
          + `${b.runs === 1 ? '   (N=3000: 1 run)' : ''}`);
      }
    }
  }

  if (process.env.BENCH_EKS === '0') return;
  const eks = path.join(__dirname, 'eks-bench.ts');
  if (fs.existsSync(eks)) {
    console.log('');
    // require, not import(): ts-node registers .ts for require only
    const mod = require(eks);
    await mod.runEksBench();
  } else {
    console.log('\n(bench/eks-bench.ts not present: EKS benchmark skipped)');
  }
}

if (process.argv[2] === '--child') {
  child(process.argv[3] as Side, process.argv[4] as Layout, Number(process.argv[5]), process.argv[6]);
} else {
  main().catch(e => {
    console.error(e);
    process.exit(1);
  });
}
