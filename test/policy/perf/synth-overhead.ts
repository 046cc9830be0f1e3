/* eslint-disable @typescript-eslint/no-require-imports -- perf scripts load modules after setup, on purpose */
// Synth time of k8s.App with the policy on vs off, same objects (N services x 6 objects, one chart),
// interleaved runs, best of R each. Run: npx ts-node --transpile-only test/policy/perf/synth-overhead.ts [N] [R]
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { App } from '../../../lib/k8s/app';
import { goodManifests } from '../fixtures/good';

const N = Number(process.argv[2] ?? 3000);
const R = Number(process.argv[3] ?? 3);
const base = goodManifests();
const kinds = ['ServiceAccount', 'Deployment', 'Service', 'PodDisruptionBudget', 'NetworkPolicy', 'ConfigMap'];
const template = JSON.stringify(kinds.map(k => base.find(m => m.kind === k && m.metadata.name === 'web') ?? base.find(m => m.kind === k)));

function synth(policy: boolean): number {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-perf-'));
  const app = new App({ outdir, policy });
  const chart = new Chart(app, 'services');
  for (const m of base.filter(x => x.kind === 'Namespace' || x.metadata.name === 'default-deny' || x.metadata.name === 'default')) {
    new ApiObject(chart, `${m.kind}-${m.metadata.name}`, m);
  }
  for (let i = 0; i < N; i++) {
    const scope = new Construct(chart, `svc-${i}`);
    const objs = JSON.parse(template.split('"web"').join(`"svc-${i}"`));
    objs.forEach((o: any, k: number) => new ApiObject(scope, `${o.kind}-${k}`, o));
  }
  const t0 = process.hrtime.bigint();
  app.synth();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  fs.rmSync(outdir, { recursive: true, force: true });
  return ms;
}

let policyMs = 0;
{
  // time the policy step inside the synth (k8s.App calls run._checkPolicy through the module object)
  const run = require('../../../lib/policy/run');
  const original = run._checkPolicy;
  run._checkPolicy = (...args: any[]) => {
    const t = process.hrtime.bigint();
    try {
      return original(...args);
    } finally {
      policyMs += Number(process.hrtime.bigint() - t) / 1e6;
    }
  };
}
if (process.argv[4] === 'cold') {
  // one synth in a fresh process, as `cdk8s synth` does: JIT warm-up included
  const ms = synth(process.argv[5] !== 'off');
  console.log(`cold objects=${N * 6 + 3} policy=${process.argv[5] !== 'off' ? 'on' : 'off'} synth_ms=${ms.toFixed(0)} policy_step_ms=${policyMs.toFixed(0)}`);
  process.exit(0);
}
synth(true); synth(false); // warm up
const on: number[] = [];
const steps: number[] = [];
const off: number[] = [];
for (let r = 0; r < R; r++) {
  off.push(synth(false));
  policyMs = 0;
  on.push(synth(true));
  steps.push(policyMs);
}
const diffs = on.map((x, i) => x - off[i]).sort((a, b) => a - b);
const medianDiff = diffs[Math.floor(diffs.length / 2)];
const bestOn = Math.min(...on);
const bestOff = Math.min(...off);
console.log(`objects=${N * 6 + 3} synth_off_ms=${bestOff.toFixed(0)} synth_on_ms=${bestOn.toFixed(0)} overhead(best vs best)=${(100 * (bestOn - bestOff) / bestOff).toFixed(1)}% median_paired_diff_ms=${medianDiff.toFixed(0)} policy_step=[${steps.map(x => x.toFixed(0))}] off=[${off.map(x => x.toFixed(0))}] on=[${on.map(x => x.toFixed(0))}]`);
