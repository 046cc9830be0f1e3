/* eslint-disable @typescript-eslint/no-require-imports -- perf scripts load modules after setup, on purpose */
// Cold check (first run in a fresh process, as in `cdk8s synth`) over the objects of N default
// WebServices. The objects are synthesized once into a cache file, then each run only loads JSON.
// Run: npx ts-node --transpile-only test/policy/perf/cold-check.ts [N]
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const N = Number(process.argv[2] ?? 3000);
const cache = path.join(os.tmpdir(), `shipshape-ws-objects-${N}.json`);
if (!fs.existsSync(cache)) {
  const { Chart, Testing } = require('cdk8s');
  const { WebService } = require('../../../lib/k8s/workloads/web-service');
  const chart = new Chart(Testing.app(), 'services', { namespace: 'shop' });
  for (let i = 0; i < N; i++) new WebService(chart, `svc-${i}`, { image: 'registry.example.com/shop/api:1.4.2' });
  fs.writeFileSync(cache, JSON.stringify(chart.toJson()));
}
const manifests = JSON.parse(fs.readFileSync(cache, 'utf-8'));
const { PolicyEngine, KubernetesPack } = require('../../../lib/policy');
const { k8sDocument } = require('../../../lib/policy/runner');
const c0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
const docs = manifests.map((m: any, i: number) => k8sDocument(m, `services/svc-${Math.floor(i / 6)}/${m.kind}`));
const only = process.env.ONLY ? process.env.ONLY.split(',') : undefined;
const pack = new KubernetesPack();
let rules = only ? pack.rules.filter((r: any) => only.includes(r.id)) : pack.rules;
if (process.env.TRIVIAL) {
  const { RuleResult } = require('../../../lib/policy');
  const keep = (process.env.KEEP ?? '').split(',');
  rules = rules.map((r: any) => keep.includes(r.id) ? r : ({ id: r.id, severity: r.severity, message: r.message, fix: r.fix, kinds: r.kinds, evaluate: () => RuleResult.compliant() }));
}
const report = new PolicyEngine({ packs: [{ name: 'kubernetes', rules }] }).check(docs);
const t1 = process.hrtime.bigint();
const c1 = process.cpuUsage(c0);
const summary = report.summary();
const json = JSON.stringify(report.toJson(), undefined, 2);
const sarif = JSON.stringify(report.toSarif(), undefined, 2);
const t2 = process.hrtime.bigint();
if (process.env.AGAIN) {
  for (let k = 0; k < 3; k++) {
    const a = process.hrtime.bigint();
    const d2 = manifests.map((m: any, i: number) => k8sDocument(m, `services/svc-${Math.floor(i / 6)}/${m.kind}`));
    new PolicyEngine({ packs: [{ name: 'kubernetes', rules }] }).check(d2);
    console.log(`again check_ms=${(Number(process.hrtime.bigint() - a) / 1e6).toFixed(0)}`);
  }
}
console.log(`cold objects=${docs.length} findings=${report.findings.length} check_ms=${(Number(t1 - t0) / 1e6).toFixed(0)} check_cpu_ms=${((c1.user + c1.system) / 1000).toFixed(0)} render_ms=${(Number(t2 - t1) / 1e6).toFixed(0)} summary_chars=${summary.length} json_chars=${json.length} sarif_chars=${sarif.length}`);
