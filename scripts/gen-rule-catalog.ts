/**
 * Writes docs/rules.md, the rule catalog users read, from the rules' own metadata (one source of truth):
 * id, title, severity, what a finding says, the fix, the rationale, the design ids (the entries of the design catalog
 * the rules were derived from, RULES.md, which does not ship: the header says so), other public sources, the peer
 * checks each rule stands for (lib/policy/peers.ts) and the deliberate differences from them.
 *
 *   npx ts-node --transpile-only scripts/gen-rule-catalog.ts          # writes docs/rules.md
 *   npx ts-node --transpile-only scripts/gen-rule-catalog.ts --check  # exits 1 when docs/rules.md is out of date
 *
 * The document ships in the npm package: it links nothing outside it, and no sentence in it depends on RULES.md
 * (the header's explanation of the design ids is the only place that names it). Each rule's section starts with
 * `<a id="<lower-case id>"></a>`, which SARIF `helpUri` points at (`docs/rules.md#ss-k8s-012`).
 */
import * as fs from 'fs';
import * as path from 'path';
import { ENGINE_RULES } from '../lib/policy/internal';
import { KubernetesPack } from '../lib/policy/k8s/kubernetes-pack';
import { POD_KINDS } from '../lib/policy/k8s/pod';
import { PEER_CHECKS, PEER_NAMES, PeerName } from '../lib/policy/peers';
import { IRule } from '../lib/policy/rule';
import { SpecRule } from '../lib/policy/spec-rule';
import { TerraformPack } from '../lib/policy/terraform/terraform-pack';

export const CATALOG_FILE = path.join(__dirname, '..', 'docs', 'rules.md');

/** How the catalog names each peer. */
const PEER_TITLES: { [P in PeerName]: string } = {
  'polaris': 'Polaris',
  'kube-linter': 'kube-linter',
  'kube-score': 'kube-score',
  'pod-security': 'Pod Security (restricted)',
  'checkov': 'Checkov',
};
const PEER_ORDER: PeerName[] = ['polaris', 'kube-linter', 'kube-score', 'pod-security', 'checkov'];

/** Section titles by design id prefix. */
const K8S_SECTIONS: [string, string][] = [
  ['K8S-SEC', 'Pod and container security'],
  ['K8S-RES', 'Resources and scheduling priority'],
  ['K8S-IMG', 'Images'],
  ['K8S-PRB', 'Probes'],
  ['K8S-HA', 'Availability: replicas, spread, disruption budgets, autoscaling'],
  ['K8S-NET', 'Network, Services and Ingress'],
  ['K8S-IDN', 'Identity, service accounts and secrets'],
  ['K8S-META', 'Metadata, API versions and controller wiring'],
  ['K8S-JOB', 'Jobs and CronJobs'],
  ['K8S-NS', 'Namespaces'],
  ['K8S-RBAC', 'RBAC'],
];

function anchor(id: string): string {
  return id.toLowerCase();
}

/** Escapes text for a Markdown table cell. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function code(list: readonly string[]): string {
  return list.map(x => `\`${x}\``).join(', ');
}

function kindsOf(rule: IRule): string {
  if (rule.kinds === undefined) return 'every object';
  if (rule.kinds.length === 0) return 'nothing until configured (see why)';
  const sorted = [...rule.kinds].sort();
  if (sorted.join() === [...POD_KINDS].sort().join()) return `every pod-bearing object (${rule.kinds.join(', ')})`;
  return rule.kinds.join(', ');
}

function spec(rule: IRule): SpecRule {
  if (!(rule instanceof SpecRule)) throw new Error(`rule ${rule.id} is not a built-in rule with catalog metadata`);
  return rule;
}

function ruleSection(rule: IRule, peers: boolean): string[] {
  const r = spec(rule);
  const out: string[] = [];
  out.push(`<a id="${anchor(r.id)}"></a>`);
  out.push('');
  out.push(`### ${r.id} — ${r.title}`);
  out.push('');
  out.push('| | |');
  out.push('|---|---|');
  out.push(`| Severity | ${r.severity} |`);
  out.push(`| Looks at | ${cell(kindsOf(r))} |`);
  out.push(`| Finding | ${cell(r.message)} |`);
  out.push(`| Fix | ${cell(r.fix)} |`);
  out.push(`| Design id | ${code(r.catalog)} |`);
  if (peers) {
    const ids = PEER_CHECKS[r.id] ?? {};
    const withIds = PEER_ORDER.filter(p => (ids[p] ?? []).length > 0);
    for (const p of withIds) out.push(`| ${PEER_TITLES[p]} | ${code(ids[p]!)} |`);
    if (withIds.length === 0) out.push('| Peer checks | none |');
  }
  if (r.sources && r.sources.length > 0) out.push(`| Other sources | ${cell(r.sources.join('; '))} |`);
  out.push('');
  out.push(`**Why.** ${r.rationale}`);
  out.push('');
  const diffs = r.differences ?? [];
  if (diffs.length > 0) {
    out.push('**Deliberate differences.**');
    out.push('');
    for (const d of diffs) {
      const who = PEER_TITLES[d.peer as PeerName] ?? d.peer;
      out.push(`- ${who} ${code(d.checks)} — shipshape is ${d.direction === 'stricter' ? 'stricter' : 'more lenient'}: ${d.reason}`);
    }
    out.push('');
  }
  return out;
}

/** The catalog, as Markdown. */
export function renderCatalog(): string {
  const k8s = new KubernetesPack().rules;
  const tf = new TerraformPack().rules;
  for (const r of [...k8s, ...tf]) spec(r);
  const unknownPeers = Object.keys(PEER_CHECKS).filter(id => !k8s.some(r => r.id === id));
  if (unknownPeers.length > 0) throw new Error(`lib/policy/peers.ts maps rules the Kubernetes pack does not have: ${unknownPeers.join(', ')}`);
  for (const p of PEER_NAMES) if (!PEER_ORDER.includes(p)) throw new Error(`peer ${p} has no column in the catalog`);

  const out: string[] = [];
  out.push('<!-- Generated by scripts/gen-rule-catalog.ts from the rules\' own metadata. Do not edit: change the rule, then run the script. -->');
  out.push('');
  out.push('# shipshape rule catalog');
  out.push('');
  out.push('Every rule shipshape checks, with what its finding means, how to fix it, why it matters, the public sources it comes');
  out.push('from and the checks of other tools it stands for. A finding names its rule id; SARIF reports link here.');
  out.push('');
  out.push('- **Severity.** `error` fails the synth (and makes `shipshape check` exit 1): the object is exploitable or broken.');
  out.push('  `warning` is printed and reported: hygiene and availability tuning a team may knowingly trade off.');
  out.push('- **Suppressing.** `Policy.suppress(construct, \'<rule id>\', \'<reason of 10+ characters>\')` in code, or the annotation');
  out.push('  `suppress.shipshape.io/<rule id>: "<reason>"` on an object. Suppressed findings stay in the reports with their reason.');
  out.push('- **Design id** (K8S-SEC-01, EKS-04, ...) names the entry of RULES.md, the design-time catalog the rules were');
  out.push('  derived from, that the rule implements. RULES.md is not part of the package and nothing here needs it: the ids only');
  out.push('  trace a rule back to its origin, and this page says everything a finding means.');
  out.push('- **Peer columns** list the checks of Polaris, kube-linter, kube-score, Pod Security Admission (restricted level) and');
  out.push('  Checkov that look for the same thing. `shipshape check` honours their exemption annotations for these checks.');
  out.push('- **Deliberate differences** are the places where shipshape decides otherwise than a peer, on purpose, and why.');
  out.push('  They are measured against the peers\' own test fixtures by a script of the source repository');
  out.push('  (`scripts/peer-corpus.ts`, not in the package).');
  out.push('');
  out.push('Where the peers disagree with each other, a rule asks for the value that satisfies every default-on check (user and');
  out.push('group 10001 or more, seccomp `RuntimeDefault`, no added capability, no `hostPort` key, no `replicas` on an HPA');
  out.push('target), and its entry says so under **Deliberate differences**. Conventions the rules share:');
  out.push('');
  out.push('- An unset `replicas` with no HPA or KEDA ScaledObject in the output is the API default, 1: the rules that need two');
  out.push('  pods ([SS-K8S-039](#ss-k8s-039), [SS-K8S-040](#ss-k8s-040), [SS-K8S-041](#ss-k8s-041)) skip it. An HPA without');
  out.push('  `minReplicas` runs at least 1.');
  out.push('- Objects of shipshape\'s development profile carry the annotation `shipshape.io/profile: development`; the');
  out.push('  availability rules ([SS-K8S-037](#ss-k8s-037), [SS-K8S-039](#ss-k8s-039), [SS-K8S-040](#ss-k8s-040),');
  out.push('  [SS-K8S-041](#ss-k8s-041), [SS-K8S-045](#ss-k8s-045)) skip them, so a profile never produces what its own rules flag.');
  out.push('- Windows pods (`spec.os.name: windows`) are exempt from the rules about Linux-only fields ([SS-K8S-002](#ss-k8s-002),');
  out.push('  [SS-K8S-003](#ss-k8s-003), [SS-K8S-005](#ss-k8s-005), [SS-K8S-007](#ss-k8s-007), [SS-K8S-009](#ss-k8s-009)), as Pod');
  out.push('  Security exempts them.');
  out.push('- The platform\'s own RBAC objects (`system:`, `eks:` and `gce:` names, the default ClusterRoles) are not reported by');
  out.push('  the RBAC rules; bindings are judged by what the bound role grants.');
  out.push('- [SS-K8S-032](#ss-k8s-032) (trusted registry) reports nothing until `new KubernetesPack({ trustedRegistries })` lists them.');
  out.push('');
  out.push(`${k8s.length} Kubernetes rules (\`KubernetesPack\`), ${tf.length} Terraform rules for EKS (\`TerraformPack\`), ` +
    `and ${ENGINE_RULES.length} findings of the engine itself.`);
  out.push('');
  out.push('## Index');
  out.push('');
  out.push('| id | title | severity |');
  out.push('|---|---|---|');
  for (const r of [...k8s, ...tf]) out.push(`| [${r.id}](#${anchor(r.id)}) | ${cell(spec(r).title)} | ${r.severity} |`);
  for (const e of ENGINE_RULES) out.push(`| [${e.id}](#${anchor(e.id)}) | ${cell(e.message)} | ${e.severity} |`);
  out.push('');
  for (const [prefix, title] of K8S_SECTIONS) {
    const rules = k8s.filter(r => spec(r).catalog.some(c => c.startsWith(prefix + '-')));
    if (rules.length === 0) continue;
    out.push(`## Kubernetes — ${title}`);
    out.push('');
    for (const r of rules) out.push(...ruleSection(r, true));
  }
  const placed = new Set(k8s.filter(r => K8S_SECTIONS.some(([p]) => spec(r).catalog.some(c => c.startsWith(p + '-')))).map(r => r.id));
  const stray = k8s.filter(r => !placed.has(r.id));
  if (stray.length > 0) throw new Error(`rules without a catalog section: ${stray.map(r => r.id).join(', ')}`);
  out.push('## Terraform — EKS');
  out.push('');
  out.push('They check the Terraform JSON of a cdktf stack (resource types of the AWS provider); the Checkov and Trivy ids');
  out.push('among the sources are those tools\' checks of the same resources.');
  out.push('');
  for (const r of tf) out.push(...ruleSection(r, false));
  out.push('## Findings of the engine');
  out.push('');
  out.push('Reported by the engine itself rather than a rule pack.');
  out.push('');
  for (const e of ENGINE_RULES) {
    out.push(`<a id="${anchor(e.id)}"></a>`);
    out.push('');
    out.push(`### ${e.id} — ${e.message}`);
    out.push('');
    out.push(`Severity ${e.severity}. Fix: ${e.fix}.`);
    out.push('');
  }
  return out.join('\n');
}

function main(argv: string[]) {
  const text = renderCatalog();
  if (argv.includes('--check')) {
    const current = fs.existsSync(CATALOG_FILE) ? fs.readFileSync(CATALOG_FILE, 'utf8') : '';
    if (current !== text) {
      process.stderr.write('docs/rules.md is out of date: run npx ts-node --transpile-only scripts/gen-rule-catalog.ts\n');
      process.exit(1);
    }
    return;
  }
  fs.mkdirSync(path.dirname(CATALOG_FILE), { recursive: true });
  fs.writeFileSync(CATALOG_FILE, text);
  process.stdout.write(`wrote ${path.relative(process.cwd(), CATALOG_FILE)}\n`);
}

if (require.main === module) {
  main(process.argv.slice(2));
}
