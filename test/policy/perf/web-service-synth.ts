/* eslint-disable @typescript-eslint/no-require-imports -- perf scripts load modules after setup, on purpose */
// Cold, single synth of N default WebServices in k8s.App (as `cdk8s synth` runs it), policy on or off.
// Prints construct-building time, synth time and the policy step's share.
// Run: npx ts-node --transpile-only test/policy/perf/web-service-synth.ts [N] [on|off]
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart } from 'cdk8s';
import { App } from '../../../lib/k8s/app';
import { WebService } from '../../../lib/k8s/workloads/web-service';

const N = Number(process.argv[2] ?? 3000);
const policy = process.argv[3] !== 'off';
let policyMs = 0;
const run = require('../../../lib/policy/run');
const original = run._checkPolicy;
run._checkPolicy = (...args: any[]) => {
  if (process.env.MARK) console.log('--- policy start');
  const t = process.hrtime.bigint();
  try {
    return original(...args);
  } finally {
    policyMs += Number(process.hrtime.bigint() - t) / 1e6;
    if (process.env.MARK) console.log('--- policy end');
  }
};

const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-ws-'));
const t0 = process.hrtime.bigint();
const app = new App({ outdir, policy });
const chart = new Chart(app, 'services', { namespace: 'shop' });
for (let i = 0; i < N; i++) new WebService(chart, `svc-${i}`, { image: 'registry.example.com/shop/api:1.4.2' });
const t1 = process.hrtime.bigint();
app.synth();
const t2 = process.hrtime.bigint();
fs.rmSync(outdir, { recursive: true, force: true });
const build = Number(t1 - t0) / 1e6;
const synth = Number(t2 - t1) / 1e6;
console.log(`webservices=${N} policy=${policy ? 'on' : 'off'} build_ms=${build.toFixed(0)} synth_ms=${synth.toFixed(0)} policy_step_ms=${policyMs.toFixed(0)} share_of_synth=${(100 * policyMs / synth).toFixed(1)}% share_of_build+synth=${(100 * policyMs / (build + synth)).toFixed(1)}%`);
