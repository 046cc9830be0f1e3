// Benchmark: the eks-cluster example's whole synth process (spawned), wall time and peak RSS.
//
// Two ways of running the example are measured:
//   - compiled: the library and main.ts transpiled to JavaScript first (what a user of the published
//     package runs: `node main.js` against compiled shipshape), then `node main.js`;
//   - ts-node: `node -r ts-node/register/transpile-only main.ts` (TypeScript compiled in-process).
// Budget for the compiled run: <= 1 s wall and <= 150 MB peak RSS.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');
const EXAMPLE = path.join(ROOT, 'examples', 'eks-cluster');
const WORK = path.join(ROOT, 'bench-results', 'eks-bench');
const RUNS = Number(process.env.EKS_BENCH_RUNS ?? 5);
const BUDGET_MS = 1000;
const BUDGET_MB = 150;

interface Sample { readonly ms: number; readonly rssMb: number }

/** Transpiles lib/**.ts and the example's .ts files into WORK/js (same layout), without type checking. */
function transpile(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require('typescript');
  const outRoot = path.join(WORK, 'js');
  fs.rmSync(outRoot, { recursive: true, force: true });
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) files.push(p);
    }
  };
  walk(path.join(ROOT, 'lib'));
  for (const f of fs.readdirSync(EXAMPLE)) if (f.endsWith('.ts')) files.push(path.join(EXAMPLE, f));
  for (const f of files) {
    const out = ts.transpileModule(fs.readFileSync(f, 'utf8'), {
      fileName: f,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, experimentalDecorators: true },
    });
    const target = path.join(outRoot, path.relative(ROOT, f)).replace(/\.ts$/, '.js');
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, out.outputText);
  }
  // JSON files imported by lib (if any) are copied as they are.
  return path.join(outRoot, 'examples', 'eks-cluster', 'main.js');
}

const HAS_GNU_TIME = fs.existsSync('/usr/bin/time');

/** Runs `node <args>` once in `cwd`; wall time from here, peak RSS from /usr/bin/time -v (or the child's own report). */
function runOnce(args: string[], cwd: string, outdir: string): Sample {
  fs.rmSync(outdir, { recursive: true, force: true });
  const env = { ...process.env, CDKTF_OUTDIR: outdir };
  const rssFile = path.join(os.tmpdir(), `eks-bench-rss-${process.pid}`);
  let cmd: string;
  let argv: string[];
  if (HAS_GNU_TIME) {
    cmd = '/usr/bin/time';
    argv = ['-f', '%M', '-o', rssFile, process.execPath, ...args];
  } else {
    cmd = process.execPath;
    argv = ['-e', `process.on('exit',()=>require('fs').writeFileSync(${JSON.stringify(rssFile)},String(process.resourceUsage().maxRSS)));process.argv.splice(1,1);require(require('path').resolve(${JSON.stringify(args[args.length - 1])}))`, ...args];
  }
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { cwd, env, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`eks bench: ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  if (!fs.existsSync(path.join(outdir, 'stacks', 'eks-cluster', 'cdk.tf.json'))) throw new Error('eks bench: the example wrote no cdk.tf.json');
  const kb = Number(fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop());
  fs.rmSync(rssFile, { force: true });
  return { ms, rssMb: kb / 1024 };
}

function stats(samples: Sample[]) {
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  const mb = samples.map((s) => s.rssMb).sort((a, b) => a - b);
  const med = (a: number[]) => a[Math.floor(a.length / 2)];
  return { medianMs: med(ms), maxMs: ms[ms.length - 1], medianMb: med(mb), maxMb: mb[mb.length - 1] };
}

function line(name: string, s: ReturnType<typeof stats>, budget: boolean): string {
  const verdict = budget ? ` [budget ${BUDGET_MS} ms / ${BUDGET_MB} MB: ${s.medianMs <= BUDGET_MS && s.maxMb <= BUDGET_MB ? 'OK' : 'OVER'}]` : '';
  return `${name.padEnd(34)} wall median ${s.medianMs.toFixed(0)} ms (max ${s.maxMs.toFixed(0)}), peak RSS median ${s.medianMb.toFixed(1)} MB (max ${s.maxMb.toFixed(1)})${verdict}`;
}

/** Measures the eks-cluster example's synth process and prints the figures. */
export async function runEksBench(): Promise<void> {
  fs.mkdirSync(WORK, { recursive: true });
  const mainJs = transpile();
  const outdir = path.join(WORK, 'cdktf.out');
  runOnce([mainJs], EXAMPLE, outdir); // warm the file cache
  const compiled: Sample[] = [];
  for (let i = 0; i < RUNS; i++) compiled.push(runOnce([mainJs], EXAMPLE, outdir));
  const tsNode: Sample[] = [];
  for (let i = 0; i < Math.max(1, Math.ceil(RUNS / 2)); i++) {
    tsNode.push(runOnce(['-r', 'ts-node/register/transpile-only', 'main.ts'], EXAMPLE, outdir));
  }
  const baseline: Sample[] = [];
  for (let i = 0; i < RUNS; i++) baseline.push(runOnce(['-e', 'require("cdktf"); require("fs").mkdirSync(process.env.CDKTF_OUTDIR + "/stacks/eks-cluster", { recursive: true }); require("fs").writeFileSync(process.env.CDKTF_OUTDIR + "/stacks/eks-cluster/cdk.tf.json", "{}")'], ROOT, outdir));
  const load = os.loadavg()[0];
  console.log(`eks-cluster example synth (${RUNS} runs, ${os.cpus().length} CPUs, load average ${load.toFixed(1)}, node ${process.version})`);
  if (load > os.cpus().length) console.log('note: the machine is busy (load average above the CPU count): figures are inflated');
  console.log(line('compiled (node main.js)', stats(compiled), true));
  console.log(line('ts-node --transpile-only main.ts', stats(tsNode), false));
  console.log(line('node + require("cdktf") only', stats(baseline), false));
}

if (require.main === module) {
  runEksBench().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
