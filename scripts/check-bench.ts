/**
 * Benchmark of `shipshape check` on a large input (not a timed test): generates MB megabytes of
 * Kubernetes manifests in a temporary folder, runs the compiled CLI over it under `/usr/bin/time -v`
 * (when present) and prints wall time, peak RSS and the CLI's own summary line. The folder is removed
 * afterwards.
 *
 * Run (after `npx projen compile`, which builds out/):
 *   npx ts-node --transpile-only scripts/check-bench.ts [MB=50] [--reports] [--legacy] [--one-file] [--keep]
 *
 * --reports   also writes the JSON and SARIF reports (into the temporary folder), as a CI job would.
 * --legacy    every service is a legacy one: the worst case, ~29 findings per Deployment (3.4 million at 50 MB).
 * --one-file  everything in one file instead of one file per chart.
 * --keep      leaves the generated folder in place and prints its path (remove it yourself).
 * SHIPSHAPE_BIN=<path> runs another build of bin/shipshape (default: this repository's).
 *
 * The input is what a fleet of services looks like after `cdk8s synth`: one file per chart of 40 services,
 * each service a ServiceAccount, Deployment, Service, PodDisruptionBudget, NetworkPolicy and ConfigMap (the
 * compliant objects of test/policy/fixtures/good.ts, renamed), spread over 20 namespaces with their
 * namespace-level objects. Every fifth service is a "legacy" one with a bare Deployment (no security
 * context, resources or probes, `latest` image) so the run also produces tens of thousands of findings.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { goodManifests } from '../test/policy/fixtures/good';

const REPO = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const MB = Number(args.find(a => /^\d+(\.\d+)?$/.test(a)) ?? 50);
const REPORTS = args.includes('--reports');
const KEEP = args.includes('--keep');
const ALL_LEGACY = args.includes('--legacy');
const ONE_FILE = args.includes('--one-file');

const base = goodManifests();
const kinds = ['ServiceAccount', 'Deployment', 'Service', 'PodDisruptionBudget', 'NetworkPolicy', 'ConfigMap'];
const serviceTemplate = kinds.map(k => base.find(m => m.kind === k && m.metadata.name === 'web') ?? base.find(m => m.kind === k));
const nsTemplate = base.filter(m => m.metadata.namespace === 'shop' && (m.metadata.name === 'default-deny' || m.metadata.name === 'default' || m.kind === 'ResourceQuota' || m.kind === 'LimitRange'));
const nsObject = base.find(m => m.kind === 'Namespace');

function rename(x: any, map: [string, string][]): any {
  let s = JSON.stringify(x);
  for (const [from, to] of map) s = s.split(from).join(to);
  return JSON.parse(s);
}

function legacy(name: string, ns: string): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns, labels: { app: name } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name, image: 'nginx:latest', ports: [{ containerPort: 80 }], env: [{ name: 'MODE', value: 'legacy' }] }] },
      },
    },
  };
}

function generate(dir: string, targetBytes: number): { files: number; docs: number; bytes: number } {
  const NAMESPACES = 20;
  const PER_FILE = 40;
  let bytes = 0;
  let docs = 0;
  let files = 0;
  for (let n = 0; n < NAMESPACES; n++) {
    const ns = `team-${n}`;
    const text = [rename(nsObject, [['"shop"', `"${ns}"`]]), ...nsTemplate.map(m => rename(m, [['"shop"', `"${ns}"`]]))]
      .map(m => yaml.dump(m, { lineWidth: -1 })).join('---\n');
    fs.writeFileSync(path.join(dir, `${ns}-namespace.yaml`), text);
    bytes += text.length;
    docs += 1 + nsTemplate.length;
    files++;
  }
  let svc = 0;
  while (bytes < targetBytes) {
    const parts: string[] = [];
    for (let i = 0; i < PER_FILE; i++, svc++) {
      const ns = `team-${svc % NAMESPACES}`;
      const name = `svc-${svc}`;
      const objects = ALL_LEGACY || svc % 5 === 4
        ? [legacy(name, ns)]
        : serviceTemplate.map(t => rename(t, [['"web"', `"${name}"`], ['/web:', `/${name}:`], ['"shop"', `"${ns}"`]]));
      for (const m of objects) {
        parts.push(yaml.dump(m, { lineWidth: -1 }));
        docs++;
      }
    }
    const text = parts.join('---\n');
    if (ONE_FILE) {
      fs.appendFileSync(path.join(dir, 'all.k8s.yaml'), (files > NAMESPACES ? '---\n' : '') + text);
      if (files === NAMESPACES) files++;
    } else {
      fs.writeFileSync(path.join(dir, `chart-${String(files).padStart(5, '0')}.k8s.yaml`), text);
      files++;
    }
    bytes += Buffer.byteLength(text);
  }
  return { files, docs, bytes };
}

function main() {
  const bin = process.env.SHIPSHAPE_BIN ?? path.join(REPO, 'bin', 'shipshape');
  if (!process.env.SHIPSHAPE_BIN && !fs.existsSync(path.join(REPO, 'out', 'policy', 'cli.js'))) {
    console.error('out/policy/cli.js is missing: run `npx projen compile` first');
    process.exit(2);
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-check-bench-'));
  const dir = path.join(root, 'manifests');
  fs.mkdirSync(dir);
  try {
    const t0 = Date.now();
    const gen = generate(dir, MB * 1024 * 1024);
    console.log(`generated ${(gen.bytes / 1024 / 1024).toFixed(1)} MB: ${gen.docs} documents in ${gen.files} files (${Date.now() - t0} ms) in ${dir}`);
    const cliArgs = [bin, 'check', dir];
    if (REPORTS) cliArgs.push('--json', path.join(root, 'r.json'), '--sarif', path.join(root, 'r.sarif'));
    const timed = fs.existsSync('/usr/bin/time');
    const cmd = timed ? '/usr/bin/time' : process.execPath;
    const cmdArgs = timed ? ['-v', process.execPath, ...cliArgs] : cliArgs;
    const t1 = Date.now();
    const r = spawnSync(cmd, cmdArgs, { encoding: 'utf-8', maxBuffer: 1024 * 1024 * 1024 });
    const wall = Date.now() - t1;
    const summary = (r.stdout ?? '').split('\n').filter(l => /^shipshape policy:|^checked /.test(l));
    console.log(summary.join('\n'));
    console.log(`exit code ${r.status}; wall ${(wall / 1000).toFixed(2)} s`);
    if (timed) {
      const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr ?? '');
      const el = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)/.exec(r.stderr ?? '');
      const user = /User time \(seconds\): (\S+)/.exec(r.stderr ?? '');
      console.log(`/usr/bin/time -v: elapsed ${el?.[1]}, user ${user?.[1]} s, peak RSS ${rss ? (Number(rss[1]) / 1024).toFixed(0) : '?'} MB`);
    }
    if (REPORTS) {
      for (const f of ['r.json', 'r.sarif']) {
        const p = path.join(root, f);
        if (fs.existsSync(p)) console.log(`${f}: ${(fs.statSync(p).size / 1024 / 1024).toFixed(1)} MB`);
      }
    }
    if (r.status !== 0 && r.status !== 1) {
      console.error((r.stderr ?? '').split('\n').slice(0, 20).join('\n'));
    }
  } finally {
    if (KEEP) console.log(`kept ${root}`); else fs.rmSync(root, { recursive: true, force: true });
  }
}

main();
