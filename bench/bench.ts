/**
 * `npm run bench`: synthesis speed and memory of shipshape against raw cdk8s.
 *
 * Cases: two layouts x N services x two sides:
 * - layouts: all services in one chart (a construct per service, with the service's name as id); one chart
 *   per service (chart id = service name; inside it, fixed construct ids: the raw ApiObjects sit directly
 *   in the chart, the WebService has id "service" and `name` set);
 * - raw: cdk8s `ApiObject`s in the stock cdk8s `App` (what a team writing plain cdk8s gets);
 * - shipshape: `k8s.WebService` in `k8s.App`, policy on.
 * Both sides produce the same objects: the raw side is built from the manifests of one synthesized
 * WebService, used as JSON templates with the names substituted per index.
 *
 * A third layout, shipshape only, shows a V8 pitfall: one chart per service where each chart's child has a
 * different id (`new WebService(chart, name)`). Every construct stores its children in a `{}` object keyed by
 * id, so thousands of charts whose first child ids all differ give V8's empty-object map thousands of
 * transitions; past its limit (about 1,500) objects built from `{}` (every object cdk8s' `toJson()` renders)
 * stop sharing hidden classes, and rendering gets ~3x slower and hungrier. Fixed child ids avoid it.
 *
 * Every case runs in a fresh child process (peak RSS is per case, from process.resourceUsage().maxRSS)
 * and synthesizes into a temporary folder that is removed afterwards.
 *
 * Env: BENCH_N=100,1000 shortens the list of N (default 100,1000,3000); BENCH_LAYOUTS=one-chart runs one layout.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- modules are loaded inside the measured child on purpose (before the clock starts, only those the case needs) */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** `shipshape-nopolicy` is shipshape with `policy: false`, run in the one-chart layout to measure what the check adds. */
type Side = 'raw' | 'shipshape' | 'shipshape-nopolicy';
type Layout = 'one-chart' | 'chart-per-service' | 'chart-per-service-unique-ids';

interface Result {
  readonly side: Side;
  readonly layout: Layout;
  readonly n: number;
  readonly objects: number;
  readonly files: number;
  readonly buildMs: number;
  readonly synthMs: number;
  readonly rssMb: number;
  /** Lines the case printed on stderr (policy warnings). */
  readonly stderrLines?: number;
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

function child(side: Side, layout: Layout, n: number, templatesFile: string): void {
  const outdir = fs.mkdtempSync(path.join(workDir(), `shipshape-bench-${side}-`));
  try {
    // load the libraries before the clock starts (module load is not synthesis)
    const cdk8s = require('cdk8s');
    const lib = side !== 'raw' ? require('../lib') : undefined;
    const templates: string[] = side === 'raw' ? JSON.parse(fs.readFileSync(templatesFile, 'utf-8')) : [];
    (global as any).gc?.();

    const t0 = process.hrtime.bigint();
    let app: any;
    if (side === 'raw') {
      app = new cdk8s.App({ outdir });
      const one = layout === 'one-chart' ? new cdk8s.Chart(app, 'services', { namespace: NAMESPACE }) : undefined;
      for (let i = 0; i < n; i++) {
        const name = serviceName(i);
        const chart = one ?? new cdk8s.Chart(app, name, { namespace: NAMESPACE });
        const scope = one ? new (require('constructs').Construct)(chart, name) : chart;
        templates.forEach((t, k) => {
          const obj = JSON.parse(t.split(TEMPLATE_NAME).join(name));
          new cdk8s.ApiObject(scope, `${obj.kind}-${k}`, obj);
        });
      }
    } else {
      app = new lib.k8s.App({ outdir, policy: side === 'shipshape' });
      const one = layout === 'one-chart' ? new cdk8s.Chart(app, 'services', { namespace: NAMESPACE }) : undefined;
      for (let i = 0; i < n; i++) {
        const name = serviceName(i);
        if (one) {
          new lib.k8s.WebService(one, name, { image: IMAGE });
        } else {
          const chart = new cdk8s.Chart(app, name, { namespace: NAMESPACE });
          if (layout === 'chart-per-service') new lib.k8s.WebService(chart, 'service', { name, image: IMAGE });
          else new lib.k8s.WebService(chart, name, { image: IMAGE });
        }
      }
    }
    const t1 = process.hrtime.bigint();
    app.synth();
    const t2 = process.hrtime.bigint();

    const files = countFiles(outdir);
    let objects = 0;
    for (const chart of app.charts) objects += chart.node.findAll().filter((c: any) => cdk8s.ApiObject.isApiObject(c)).length;
    const result: Result = {
      side,
      layout,
      n,
      objects,
      files,
      buildMs: Number(t1 - t0) / 1e6,
      synthMs: Number(t2 - t1) / 1e6,
      rssMb: process.resourceUsage().maxRSS / 1024,
    };
    process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// parent: templates, cases, table

/** Synthesizes one WebService and returns its manifests as JSON strings (the raw side's templates). */
function captureTemplates(): string[] {
  const cdk8s = require('cdk8s');
  const lib = require('../lib');
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
 * run plain JavaScript as users do (a compiled package), without ts-node's compiler in their memory.
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
    const js = ts.transpileModule(fs.readFileSync(file, 'utf-8'), { compilerOptions: options, fileName: file }).outputText;
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
  return emit(__filename);
}

function runCase(side: Side, layout: Layout, n: number, templatesFile: string, benchJs: string): Result {
  // stderr is captured: the policy prints its warnings there (thousands of lines at N=3000)
  const r = spawnSync(process.execPath, [
    '--expose-gc', benchJs, '--child', side, layout, String(n), templatesFile,
  ], {
    cwd: path.resolve(__dirname, '..'),
    encoding: 'utf-8',
    maxBuffer: 1024 * 1024 * 1024,
  });
  const line = (r.stdout ?? '').split('\n').find(l => l.startsWith('BENCH_RESULT '));
  if (r.status !== 0 || !line) {
    throw new Error(`bench child ${side} ${layout} N=${n} failed (exit ${r.status}):\n${r.stdout}\n${(r.stderr ?? '').slice(-5000)}`);
  }
  return { ...JSON.parse(line.slice('BENCH_RESULT '.length)), stderrLines: (r.stderr ?? '').split('\n').length - 1 };
}

function fmt(ms: number): string {
  return (ms / 1000).toFixed(2);
}

function pad(s: string, w: number): string {
  return s.length >= w ? s : ' '.repeat(w - s.length) + s;
}

async function main(): Promise<void> {
  const ns = (process.env.BENCH_N ?? '100,1000,3000').split(',').map(s => Number(s.trim())).filter(x => x > 0);
  const layouts = (process.env.BENCH_LAYOUTS ?? 'one-chart,chart-per-service,chart-per-service-unique-ids').split(',') as Layout[];
  // the unique-ids layout illustrates a V8 pitfall on the shipshape side only (the raw side's is the same tree shape)
  const sidesOf = (layout: Layout): Side[] => (layout === 'chart-per-service-unique-ids' ? ['shipshape']
    : layout === 'one-chart' ? ['raw', 'shipshape', 'shipshape-nopolicy'] : ['raw', 'shipshape']);

  const tplDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-bench-'));
  const templatesFile = path.join(tplDir, 'templates.json');
  const jsRoot = path.resolve(__dirname, '..', 'bench-results', `.js-${process.pid}`);
  let benchJs: string;
  try {
    benchJs = transpile(jsRoot);
  } catch (e) {
    fs.rmSync(jsRoot, { recursive: true, force: true });
    throw e;
  }
  const templates = captureTemplates();
  fs.writeFileSync(templatesFile, JSON.stringify(templates));
  const kinds = templates.map(t => JSON.parse(t).kind).join(', ');

  console.log(`shipshape bench: ${os.cpus().length} CPU(s), node ${process.version}`);
  console.log(`one service = ${templates.length} objects (${kinds}); raw = cdk8s ApiObjects from those manifests in the stock cdk8s App; shipshape = k8s.WebService in k8s.App with the policy on`);
  console.log(`each case in a fresh node process running transpiled JavaScript (no ts-node); synth into a temp folder in ${workDir()}`);
  console.log('times in seconds, RSS in MB; ratio = total time (or RSS) / raw one-chart at the same N\n');

  const results: Result[] = [];
  try {
    for (const n of ns) {
      for (const layout of layouts) {
        for (const side of sidesOf(layout)) {
          const r = runCase(side, layout, n, templatesFile, benchJs);
          results.push(r);
          process.stderr.write(`  done ${side} ${layout} N=${n}: ${fmt(r.buildMs + r.synthMs)} s\n`);
        }
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

  const find = (side: Side, layout: Layout, n: number) => results.find(r => r.side === side && r.layout === layout && r.n === n);
  const header = ['side', 'layout', 'N', 'objects', 'files', 'build', 'synth', 'total', 'peak RSS', 'time ratio', 'RSS ratio'];
  const widths = [18, 28, 5, 8, 6, 7, 7, 7, 9, 11, 10];
  const row = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : pad(c, widths[i]))).join(' ');
  console.log(row(header));
  for (const r of results) {
    const base = find('raw', 'one-chart', r.n); // absent when BENCH_LAYOUTS leaves one-chart out
    const total = r.buildMs + r.synthMs;
    console.log(row([
      r.side, r.layout, String(r.n), String(r.objects), String(r.files),
      fmt(r.buildMs), fmt(r.synthMs), fmt(total), r.rssMb.toFixed(0),
      base ? (total / (base.buildMs + base.synthMs)).toFixed(2) + 'x' : '-',
      base ? (r.rssMb / base.rssMb).toFixed(2) + 'x' : '-',
    ]));
  }

  console.log('\npolicy check overhead, one chart (synth with policy / synth with policy: false - 1):');
  for (const n of ns) {
    const on = find('shipshape', 'one-chart', n);
    const off = find('shipshape-nopolicy', 'one-chart', n);
    if (on && off) {
      console.log(`  N=${String(n).padEnd(5)} +${fmt(on.synthMs - off.synthMs)} s  (${(((on.synthMs / off.synthMs) - 1) * 100).toFixed(0)} % of synth, ${((((on.buildMs + on.synthMs) / (off.buildMs + off.synthMs)) - 1) * 100).toFixed(0)} % of build + synth)`);
    }
  }

  if (ns.includes(1000) && ns.includes(3000)) {
    console.log('\ngrowth exponent of total time from N=1000 to N=3000 (1.00 = linear, 2.00 = quadratic):');
    for (const layout of layouts) {
      for (const side of sidesOf(layout)) {
        const a = find(side, layout, 1000)!;
        const b = find(side, layout, 3000)!;
        const k = Math.log((b.buildMs + b.synthMs) / (a.buildMs + a.synthMs)) / Math.log(3);
        console.log(`  ${side.padEnd(18)} ${layout.padEnd(28)} ${k.toFixed(2)}`);
      }
    }
  }

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
