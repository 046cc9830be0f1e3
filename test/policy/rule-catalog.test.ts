import * as fs from 'fs';
import * as path from 'path';
import { KubernetesPack, TerraformPack } from '../../lib/policy';
import { PEER_CHECKS, PEER_NAMES, PeerName } from '../../lib/policy/peers';
import { SpecRule } from '../../lib/policy/spec-rule';
import { CATALOG_FILE, renderCatalog } from '../../scripts/gen-rule-catalog';

// docs/rules.md is generated from the rules' own metadata (scripts/gen-rule-catalog.ts) and ships in the package.

const k8s = new KubernetesPack().rules as SpecRule[];
const tf = new TerraformPack().rules as SpecRule[];
const all = [...k8s, ...tf];

test('docs/rules.md is what the rules say (regenerate with: npx ts-node --transpile-only scripts/gen-rule-catalog.ts)', () => {
  const current = fs.readFileSync(CATALOG_FILE, 'utf8');
  // compared line by line, so a failure shows the first stale line rather than two 100 kB strings
  expect(current.split('\n')).toEqual(renderCatalog().split('\n'));
});

test('every rule of both packs has exactly one section whose anchor is its lower-case id (SARIF helpUri points there)', () => {
  const doc = renderCatalog();
  for (const r of all) {
    const a = `<a id="${r.id.toLowerCase()}"></a>`;
    expect(doc.split(a).length - 1).toBe(1);
    expect(doc).toContain(`### ${r.id} — ${r.title}`);
  }
});

test('every rule declares a title, a rationale and its design ids; titles are short', () => {
  for (const r of all) {
    expect(r).toBeInstanceOf(SpecRule);
    expect(r.title.length).toBeGreaterThan(5);
    expect(r.title.length).toBeLessThanOrEqual(60);
    expect(r.rationale.length).toBeGreaterThan(40);
    expect(r.catalog.length).toBeGreaterThan(0);
  }
});

test('a deliberate difference names a peer and checks that the rule stands for (lib/policy/peers.ts)', () => {
  for (const r of k8s) {
    for (const d of r.differences ?? []) {
      expect(PEER_NAMES).toContain(d.peer);
      const mapped = PEER_CHECKS[r.id][d.peer as PeerName] ?? [];
      for (const c of d.checks) expect(`${r.id} ${d.peer} ${c}: ${mapped.includes(c)}`).toBe(`${r.id} ${d.peer} ${c}: true`);
      expect(['stricter', 'laxer']).toContain(d.direction);
      expect(d.reason.length).toBeGreaterThan(30);
    }
  }
});

test('every Kubernetes rule has a row in the peer table, and the table names no other rule', () => {
  expect(Object.keys(PEER_CHECKS).sort()).toEqual(k8s.map(r => r.id).sort());
});

test('the catalog links nothing outside the package (no ../, no RULES.md path)', () => {
  const doc = renderCatalog();
  expect(doc).not.toMatch(/\]\((?!#)[^)]*\)/); // every Markdown link is an in-page anchor
  expect(doc).not.toContain('../');
});

test('the rule table of lib/policy/README.md agrees with the rules on severity and message', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'lib', 'policy', 'README.md'), 'utf8');
  const rows = readme.split('\n').filter(l => l.startsWith('| SS-K8S-')).map(l => l.split('|').map(c => c.trim()));
  expect(rows.map(c => c[1])).toEqual(k8s.map(r => r.id));
  for (const c of rows) {
    const r = k8s.find(x => x.id === c[1])!;
    expect(`${r.id} ${c[4]} ${c[5]}`).toBe(`${r.id} ${r.severity} ${r.message}`);
  }
});
