// Times the policy check over N services (6 objects each) in one namespace — the worst case for
// namespace-level candidate lists. Run: npx ts-node --transpile-only test/policy/perf/check-overhead.ts [N]
import { KubernetesPack, PolicyEngine } from '../../../lib/policy';
import { k8sDocument } from '../../../lib/policy/runner';
import { goodManifests } from '../fixtures/good';

const N = Number(process.argv[2] ?? 3000);
const base = goodManifests();
const kinds = ['ServiceAccount', 'Deployment', 'Service', 'PodDisruptionBudget', 'NetworkPolicy', 'ConfigMap'];
const template = kinds.map(k => base.find(m => m.kind === k && (m.metadata.name === 'web')) ?? base.find(m => m.kind === k));

function rename(x: any, from: string, to: string): any {
  return JSON.parse(JSON.stringify(x).split(`"${from}"`).join(`"${to}"`).split(`/${from}:`).join(`/${to}:`));
}

const manifests: any[] = [];
for (let i = 0; i < N; i++) {
  for (const t of template) manifests.push(rename(t, 'web', `svc-${i}`));
}
manifests.push(...base.filter(m => m.kind === 'Namespace' || m.metadata.name === 'default-deny' || m.metadata.name === 'default'));

function once(): { ms: number; findings: number } {
  const t0 = process.hrtime.bigint();
  const docs = manifests.map((m, i) => k8sDocument(m, `app/shop/obj${i}`));
  const report = new PolicyEngine({ packs: [new KubernetesPack()] }).check(docs);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { ms, findings: report.findings.length };
}

once(); // warm up
const runs = [once(), once(), once()];
const best = Math.min(...runs.map(r => r.ms));
console.log(`objects=${manifests.length} findings=${runs[0].findings} check_ms(best of 3)=${best.toFixed(1)} runs=${runs.map(r => r.ms.toFixed(1)).join(',')}`);
