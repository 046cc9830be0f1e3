/**
 * Peer corpus: runs shipshape's Kubernetes pack over the published test fixtures of Polaris, kube-linter,
 * kube-score and Pod Security Admission, labelled as each project labels them, and prints per peer how
 * often shipshape agrees.
 *
 *   npx ts-node --transpile-only scripts/peer-corpus.ts [--mirror DIR] [--peer NAME] [--all] [--json FILE]
 *
 * - reads the peers' bare git mirrors (default /work/.mirror/<owner>+<name>/repo, or PEER_MIRROR) and extracts
 *   the fixture folders to a temporary directory that is removed afterwards: nothing of theirs enters this repo;
 * - a unit is one fixture document (or file, where the peer tests whole files) x the peer check it is labelled
 *   for; the peer check maps to shipshape rule ids through lib/policy/peers.ts (the table of lib/policy/README.md);
 * - recall: failing units of mapped default-on checks on which a mapped rule fires;
 *   false alarms: passing units of mapped default-on checks on which a mapped rule fires;
 * - a difference the catalog records as deliberate (a rule's `differences`) is marked `[deliberate]` and counted
 *   apart; `--all` lists every difference, otherwise deliberate ones are summarised per check.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { loadInputs } from '../lib/policy/cli';
import { PolicyEngine } from '../lib/policy/engine';
import { KubernetesPack } from '../lib/policy/k8s/kubernetes-pack';
import { POD_KINDS } from '../lib/policy/k8s/pod';
import { PeerName, rulesForPeerCheck } from '../lib/policy/peers';
import { PeerDifference, SpecRule } from '../lib/policy/spec-rule';

/** One labelled unit. */
export interface Unit {
  readonly peer: PeerName;
  /** The peer's check id (kube-score: its machine id, PSA: its check id). */
  readonly check: string;
  /** The fixture file, relative to the extraction root. */
  readonly file: string;
  /** What the peer expects. */
  readonly label: 'fail' | 'pass';
  /** The document indexes (in the file) the unit is about; undefined = the whole file. */
  readonly docs?: number[];
  /** Human description of the documents (kind/name). */
  readonly what: string;
}

/** The outcome of one unit. */
export interface UnitResult extends Unit {
  readonly mapped: string[];
  readonly defaultOn: boolean;
  /** Mapped shipshape findings on the unit's documents: `<rule id> <json path>: <message>`. */
  readonly fired: string[];
  /** Rule ids that fired. */
  readonly firedRules: string[];
  /** The difference, if any: shipshape stricter (fires on a passing unit) or laxer (silent on a failing one). */
  readonly diff?: 'stricter' | 'laxer';
  /** The reason the catalog gives, when the difference is deliberate. */
  readonly deliberate?: string;
}

interface PeerSource {
  readonly name: PeerName;
  readonly repo: string;
  readonly folders: string[];
  readonly units: (root: string) => Unit[];
  /** The peer's default-on checks. */
  readonly defaultOn: (root: string) => Set<string>;
}

/** The documents of a file, at the indexes `shipshape check` gives them (a `kind: List` counts as its first item). */
function readDocs(file: string): any[] {
  const out: any[] = [];
  for (const d of loadInputs([file]).documents) if (out[d.index ?? 0] === undefined) out[d.index ?? 0] = d.manifest;
  return out;
}

function describe(docs: any[], idx?: number[]): string {
  const list = idx ?? docs.map((_, i) => i);
  return list.map(i => docs[i] ? `${docs[i].kind}/${docs[i].metadata?.name ?? '?'}` : `#${i}`).join(' ');
}

// ---------------------------------------------------------------- Polaris: test/checks/<check>/{success,failure}.*.yaml

const POD_KIND_SET = new Set(POD_KINDS);

/**
 * The documents of a Polaris fixture its check looks at: those of the check's target kind (`target: <group>/<Kind>`),
 * the pod-bearing ones for Container / PodSpec / PodTemplate targets, and all of them for a Controller target
 * (its checks relate a controller to the PDBs, HPAs and policies beside it, and shipshape may report on either side).
 */
function polarisDocs(root: string, check: string, docs: any[]): number[] {
  const file = path.join(root, 'pkg/config/checks', `${check}.yaml`);
  const target = fs.existsSync(file) ? String((yaml.load(fs.readFileSync(file, 'utf8')) as any)?.target ?? '') : '';
  const kind = target.includes('/') ? target.slice(target.indexOf('/') + 1) : undefined;
  const idx: number[] = [];
  docs.forEach((d, i) => {
    if (d && (target === 'Controller' || (kind === undefined ? POD_KIND_SET.has(d.kind) : d.kind === kind))) idx.push(i);
  });
  return idx;
}

const polaris: PeerSource = {
  name: 'polaris',
  repo: 'FairwindsOps+polaris',
  folders: ['test/checks', 'pkg/config/default.yaml', 'pkg/config/checks'],
  defaultOn: (root) => {
    const cfg: any = yaml.load(fs.readFileSync(path.join(root, 'pkg/config/default.yaml'), 'utf8'));
    return new Set(Object.keys(cfg.checks ?? {}).filter(k => cfg.checks[k] !== 'ignore'));
  },
  units: (root) => {
    const base = path.join(root, 'test/checks');
    const out: Unit[] = [];
    for (const check of fs.readdirSync(base).sort()) {
      const dir = path.join(base, check);
      if (check.startsWith('_') || !fs.statSync(dir).isDirectory()) continue;
      if (fs.existsSync(path.join(dir, 'check.yaml'))) continue; // a custom check, not the built-in one
      for (const f of fs.readdirSync(dir).sort()) {
        if (!/\.ya?ml$/.test(f) || f.includes('mutated')) continue;
        const file = path.join('test/checks', check, f);
        const docs = readDocs(path.join(root, file));
        const idx = polarisDocs(root, check, docs);
        out.push({ peer: 'polaris', check, file, docs: idx, label: f.includes('failure') ? 'fail' : 'pass', what: describe(docs, idx) });
      }
    }
    return out;
  },
};

// ---------------------------------------------------------------- kube-linter: tests/checks/*.yml with the expectations in e2etests/bats-tests.sh

const KL_DEPLOYMENT_LIKE = ['Deployment', 'DaemonSet', 'DeploymentConfig', 'StatefulSet', 'ReplicaSet', 'Pod', 'ReplicationController', 'Job', 'CronJob'];
const KL_GROUPS: { [k: string]: string[] } = { DeploymentLike: KL_DEPLOYMENT_LIKE, JobLike: ['Job', 'CronJob'] };

/** Names kube-linter's fixtures give to objects that must not fire. */
const KL_PASS_NAME = /^(dont-fire|good-|should-pass|valid)/;

/**
 * Where the bats expectations do not say which document fires (no message, or several documents of one
 * kind), the failing documents read from the fixture and the check's template: file -> failing indexes.
 */
const KL_FAILING_OVERRIDES: { [file: string]: number[] } = {
  // one report, "MaxUnavailable is set to 0": the second PDB (foo) sets 0, the first sets 1
  'tests/checks/pdb-max-unavailable.yaml': [1],
  // one report: the second NetworkPolicy is extensions/v1beta1, the first networking.k8s.io/v1
  'tests/checks/no-extensions-v1beta.yml': [1],
  // one report, a wildcard verb: only the second Role has one
  'tests/checks/wildcard-in-rules.yml': [1],
  // one report, about the HPA whose target (app2) is missing: the second HPA; the first targets dont-fire
  'tests/checks/dangling-hpa.yml': [3],
};

export interface BatsCase { check: string; file: string; count?: number; reports: { kind: string; name?: string; text: string }[] }

export function parseBats(text: string): BatsCase[] {
  const out: BatsCase[] = [];
  for (const block of text.split(/\n@test /).slice(1)) {
    const file = block.match(/tmp="([^"]+)"/)?.[1];
    const check = block.match(/--include ([\w-]+)/)?.[1];
    if (!file || !check || /--config/.test(block)) continue; // custom templates are not built-in checks
    const count = block.match(/\[\[ "\$\{count\}" == "(\d+)" \]\]/)?.[1];
    const reports = [...block.matchAll(/\[\[ "\$\{(?:message\d+|actual_messages\[\d+\])\}" (?:==|=~) "((?:[^"\\]|\\.)*)" \]\]/g)].map(m => {
      const head = m[1].match(/^(\w+)(?: ([\w.-]+))?: /);
      return { kind: head?.[1] ?? '', name: head?.[2], text: m[1] };
    });
    out.push({ check, file, count: count === undefined ? undefined : Number(count), reports });
  }
  return out;
}

/** Assigns each expected report to a document, in file order (kube-linter reports objects in file order). */
export function assignReports(docs: any[], reports: { kind: string; name?: string; text: string }[]): number[] | string {
  const failing = new Set<number>();
  let last = -1;
  for (const r of reports) {
    const ofKind = (i: number) => docs[i]?.kind === r.kind;
    let pick = -1;
    // a message that names the previous object in quotes is one more report on that object
    const lastName = last >= 0 ? docs[last]?.metadata?.name : undefined;
    if (r.name === undefined && lastName !== undefined && ofKind(last) && r.text.includes(`\\"${lastName}\\"`)) pick = last;
    if (pick < 0 && r.name !== undefined) {
      pick = docs.findIndex((d, i) => i > last && ofKind(i) && d.metadata?.name === r.name);
    }
    if (pick < 0 && r.name === undefined) {
      for (let i = last + 1; i < docs.length; i++) {
        if (ofKind(i) && !KL_PASS_NAME.test(String(docs[i].metadata?.name ?? ''))) {
          pick = i;
          break;
        }
      }
      if (pick < 0 && last >= 0 && ofKind(last)) pick = last; // several reports on one object
    }
    if (pick < 0) return `no ${r.kind}${r.name ? ' ' + r.name : ''} after document ${last}`;
    failing.add(pick);
    last = pick;
  }
  return [...failing];
}

const kubeLinter: PeerSource = {
  name: 'kube-linter',
  repo: 'stackrox+kube-linter',
  folders: ['tests/checks', 'e2etests/bats-tests.sh', 'internal/defaultchecks/default_checks.go', 'pkg/builtinchecks/yamls'],
  defaultOn: (root) => {
    const go = fs.readFileSync(path.join(root, 'internal/defaultchecks/default_checks.go'), 'utf8');
    return new Set([...go.matchAll(/"([a-z0-9-]+)",/g)].map(m => m[1]));
  },
  units: (root) => {
    const out: Unit[] = [];
    for (const c of parseBats(fs.readFileSync(path.join(root, 'e2etests/bats-tests.sh'), 'utf8'))) {
      const specFile = path.join(root, 'pkg/builtinchecks/yamls', `${c.check}.yaml`);
      if (!fs.existsSync(specFile) || !fs.existsSync(path.join(root, c.file))) continue;
      const spec: any = yaml.load(fs.readFileSync(specFile, 'utf8'));
      const kinds = new Set<string>();
      let any = false;
      for (const k of spec?.scope?.objectKinds ?? []) {
        if (k === 'Any') any = true;
        for (const x of KL_GROUPS[k] ?? [k]) kinds.add(x);
      }
      const docs = readDocs(path.join(root, c.file));
      const failing = KL_FAILING_OVERRIDES[c.file] ?? assignReports(docs, c.reports);
      if (typeof failing === 'string') {
        throw new Error(`kube-linter ${c.check} ${c.file}: cannot place the expected reports (${failing}); add an override`);
      }
      if (c.count !== undefined && c.reports.length === 0 && !KL_FAILING_OVERRIDES[c.file]) {
        throw new Error(`kube-linter ${c.check} ${c.file}: ${c.count} reports expected but none described; add an override`);
      }
      docs.forEach((d, i) => {
        if (!d || !(any || kinds.has(d.kind))) return;
        out.push({ peer: 'kube-linter', check: c.check, file: c.file, docs: [i], label: failing.includes(i) ? 'fail' : 'pass', what: describe(docs, [i]) });
      });
    }
    return out;
  },
};

// ---------------------------------------------------------------- kube-score: score/testdata with the expectations in score/*_test.go

const kubeScore: PeerSource = {
  name: 'kube-score',
  repo: 'zegl+kube-score',
  folders: ['score', 'README_CHECKS.md'],
  defaultOn: (root) => {
    const md = fs.readFileSync(path.join(root, 'README_CHECKS.md'), 'utf8');
    return new Set([...md.matchAll(/^\| ([a-z0-9-]+) \|.*\| default \|$/gm)].map(m => m[1]));
  },
  units: (root) => {
    const out: Unit[] = [];
    const seen = new Set<string>();
    const dir = path.join(root, 'score');
    for (const f of fs.readdirSync(dir).filter(x => x.endsWith('_test.go')).sort()) {
      const go = fs.readFileSync(path.join(dir, f), 'utf8');
      // `for _, v := range []string{"a", "b"}` loops expand "prefix-"+v+"-suffix" file names
      const loop = go.match(/range \[\]string\{([^}]*)\}/);
      const loopValues = loop ? [...loop[1].matchAll(/"([^"]+)"/g)].map(m => m[1]) : [];
      const calls = go.split(/testExpectedScore(?:WithConfig)?\(/).slice(1);
      for (const call of calls) {
        const body = call.slice(0, call.indexOf('scorecard.Grade') >= 0 ? call.indexOf('scorecard.Grade') + 40 : 400);
        const grade = body.match(/scorecard\.Grade(\w+)\)/)?.[1];
        const checkName = body.match(/"([A-Z][^"]*)",\s*scorecard\.Grade/)?.[1];
        const fileExpr = body.match(/(?:testFile\()?("[^"]*"(?:\+v\+"[^"]*")?)/)?.[1];
        if (!grade || !checkName || !fileExpr) continue;
        // only the default run configuration (and a Kubernetes version); other options change what the check does
        const cfg = body.slice(0, body.indexOf(checkName));
        const options = [...cfg.matchAll(/(\w+):/g)].map(m => m[1]).filter(o => o !== 'KubernetesVersion' && o !== 'Major' && o !== 'Minor');
        if (options.length > 0) continue;
        const files = fileExpr.includes('+v+') ? loopValues.map(v => fileExpr.replace(/"\+v\+"/, v)) : [fileExpr];
        const check = checkName.toLowerCase().replace(/ /g, '-');
        for (const q of files) {
          const name = q.replace(/"/g, '');
          const file = path.join('score/testdata', name);
          const key = `${check} ${file}`;
          if (seen.has(key) || !fs.existsSync(path.join(root, file))) continue;
          seen.add(key);
          out.push({ peer: 'kube-score', check, file, label: grade === 'AllOK' ? 'pass' : 'fail', what: describe(readDocs(path.join(root, file))) });
        }
      }
    }
    return out;
  },
};

// ---------------------------------------------------------------- Pod Security Admission: test/testdata/restricted/<newest>/{fail,pass}/<check><n>.yaml

function psaVersionDir(root: string): string {
  const base = path.join(root, 'test/testdata/restricted');
  const versions = fs.readdirSync(base).filter(v => /^v\d+\.\d+$/.test(v))
    .sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]));
  return path.join('test/testdata/restricted', versions[versions.length - 1]);
}

/** PSA check ids (from policy/check_*.go), by their lower-case fixture prefix. */
function psaChecks(root: string): Map<string, string> {
  const m = new Map<string, string>();
  const dir = path.join(root, 'policy');
  for (const f of fs.readdirSync(dir).filter(x => /^check_.*\.go$/.test(x) && !x.endsWith('_test.go'))) {
    const go = fs.readFileSync(path.join(dir, f), 'utf8');
    for (const mm of go.matchAll(/(?:ID:\s+|CheckID = )"([A-Za-z_]+)"/g)) m.set(mm[1].toLowerCase(), mm[1]);
  }
  return m;
}

const psa: PeerSource = {
  name: 'pod-security',
  repo: 'kubernetes+pod-security-admission',
  folders: ['test/testdata/restricted', 'policy'],
  defaultOn: (root) => new Set(psaChecks(root).values()),
  units: (root) => {
    const ids = psaChecks(root);
    const vdir = psaVersionDir(root);
    const out: Unit[] = [];
    for (const label of ['fail', 'pass'] as const) {
      const dir = path.join(root, vdir, label);
      for (const f of fs.readdirSync(dir).sort()) {
        const stem = f.replace(/\d*\.yaml$/, '');
        const file = path.join(vdir, label, f);
        const what = describe(readDocs(path.join(root, file)));
        if (stem === 'base' || stem === 'base_linux' || stem === 'base_windows') {
          // a base pod passes every check of the level
          for (const id of ids.values()) out.push({ peer: 'pod-security', check: id, file, label, what });
          continue;
        }
        const id = ids.get(stem);
        if (!id) throw new Error(`pod-security: no check for fixture ${file}`);
        out.push({ peer: 'pod-security', check: id, file, label, what });
      }
    }
    return out;
  },
};

export const PEERS: PeerSource[] = [polaris, kubeLinter, kubeScore, psa];

// ---------------------------------------------------------------- running shipshape

/** Deliberate differences recorded on the rules: `<peer> <check> <direction>` -> rule id -> the difference. */
function deliberateTable(pack: KubernetesPack): Map<string, Map<string, PeerDifference>> {
  const m = new Map<string, Map<string, PeerDifference>>();
  for (const r of pack.rules) {
    for (const d of (r as SpecRule).differences ?? []) {
      for (const check of d.checks) {
        const key = `${d.peer} ${check} ${d.direction}`;
        let byRule = m.get(key);
        if (!byRule) m.set(key, byRule = new Map());
        byRule.set(r.id, d);
      }
    }
  }
  return m;
}

/** Runs the pack once per file as `shipshape check` does (annotation suppressions honoured): document index -> findings. */
function runFile(engine: PolicyEngine, abs: string): Map<number, { ruleId: string; text: string }[]> {
  const loaded = loadInputs([abs]);
  const report = engine._check(loaded.documents, loaded.suppressions, loaded.bad);
  const byDoc = new Map<number, { ruleId: string; text: string }[]>();
  for (const f of report.findings) {
    if (f.suppression) continue;
    const i = f.index ?? 0;
    const list = byDoc.get(i) ?? [];
    list.push({ ruleId: f.ruleId, text: `${f.ruleId} ${f.kind}/${f.name ?? '?'} ${f.jsonPath}: ${f.message}` });
    byDoc.set(i, list);
  }
  return byDoc;
}

export interface PeerStats {
  readonly peer: string;
  readonly units: number;
  readonly unmapped: number;
  readonly failing: number;
  readonly caught: number;
  readonly passing: number;
  readonly falseAlarms: number;
  readonly deliberateLaxer: number;
  readonly deliberateStricter: number;
  readonly results: UnitResult[];
}

export function evaluatePeer(source: PeerSource, root: string, pack = new KubernetesPack()): PeerStats {
  const engine = new PolicyEngine({ packs: [pack] });
  const defaults = source.defaultOn(root);
  const deliberate = deliberateTable(pack);
  const cache = new Map<string, Map<number, { ruleId: string; text: string }[]>>();
  const docsCache = new Map<string, any[]>();
  const results: UnitResult[] = [];
  for (const u of source.units(root)) {
    const mapped = [...rulesForPeerCheck(source.name, u.check)];
    let byDoc = cache.get(u.file);
    if (!byDoc) cache.set(u.file, byDoc = runFile(engine, path.join(root, u.file)));
    const found: { ruleId: string; text: string }[] = [];
    if (u.docs) for (const i of u.docs) found.push(...(byDoc.get(i) ?? []));
    else for (const list of byDoc.values()) found.push(...list);
    const hits = found.filter(f => mapped.includes(f.ruleId));
    const firedRules = [...new Set(hits.map(h => h.ruleId))];
    let diff: 'stricter' | 'laxer' | undefined;
    if (mapped.length > 0 && u.label === 'fail' && hits.length === 0) diff = 'laxer';
    if (mapped.length > 0 && u.label === 'pass' && hits.length > 0) diff = 'stricter';
    let why: string | undefined;
    if (diff) {
      const byRule = deliberate.get(`${source.name} ${u.check} ${diff}`);
      if (byRule) {
        let docs = docsCache.get(u.file);
        if (!docs) docsCache.set(u.file, docs = readDocs(path.join(root, u.file)));
        const manifests = (u.docs ?? docs.map((_, i) => i)).map(i => docs![i]).filter(x => x !== undefined);
        const applies = (d: PeerDifference | undefined) => d !== undefined && (!d.when || manifests.some(m => d.when!(m)));
        // stricter: every rule that fired must record it; laxer: any mapped rule may
        const diffs = (diff === 'stricter' ? firedRules : mapped).map(r => byRule.get(r));
        if (diff === 'stricter' ? diffs.every(applies) : diffs.some(applies)) {
          why = diffs.filter(applies).map(x => x!.reason).join(' / ');
        }
      }
    }
    results.push({ ...u, mapped, defaultOn: defaults.has(u.check), fired: hits.map(h => h.text), firedRules, diff, deliberate: why });
  }
  const scored = results.filter(r => r.mapped.length > 0 && r.defaultOn);
  const failing = scored.filter(r => r.label === 'fail');
  const passing = scored.filter(r => r.label === 'pass');
  return {
    peer: source.name,
    units: results.length,
    unmapped: results.filter(r => r.mapped.length === 0).length,
    failing: failing.length,
    caught: failing.filter(r => !r.diff).length,
    passing: passing.length,
    falseAlarms: passing.filter(r => r.diff).length,
    deliberateLaxer: failing.filter(r => r.diff && r.deliberate).length,
    deliberateStricter: passing.filter(r => r.diff && r.deliberate).length,
    results,
  };
}

function pct(a: number, b: number): string {
  return b === 0 ? '-' : `${(100 * a / b).toFixed(1)} %`;
}

/** Extracts a peer's folders from its bare mirror into a fresh temporary directory. */
export function extract(mirror: string, source: PeerSource): string {
  const repo = path.join(mirror, source.repo, 'repo');
  if (!fs.existsSync(repo)) throw new Error(`no mirror at ${repo}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `peer-${source.name}-`));
  const tar = execFileSync('git', ['-C', repo, 'archive', 'HEAD', ...source.folders], { maxBuffer: 1024 * 1024 * 1024 });
  execFileSync('tar', ['-x', '-C', dir], { input: tar });
  return dir;
}

function commitOf(mirror: string, source: PeerSource): string {
  return execFileSync('git', ['-C', path.join(mirror, source.repo, 'repo'), 'rev-parse', '--short=8', 'HEAD']).toString().trim();
}

function main(argv: string[]) {
  let mirror = process.env.PEER_MIRROR ?? '/work/.mirror';
  let only: string | undefined;
  let all = false;
  let jsonOut: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--mirror') mirror = argv[++i];
    else if (argv[i] === '--peer') only = argv[++i];
    else if (argv[i] === '--all') all = true;
    else if (argv[i] === '--json') jsonOut = argv[++i];
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  const stats: PeerStats[] = [];
  for (const source of PEERS) {
    if (only && source.name !== only) continue;
    const root = extract(mirror, source);
    try {
      const s = evaluatePeer(source, root);
      stats.push(s);
      console.log(`\n== ${source.name} @ ${commitOf(mirror, source)}: ${s.units} units (${s.unmapped} on checks shipshape does not map)`);
      console.log(`   recall ${s.caught}/${s.failing} = ${pct(s.caught, s.failing)}` +
        `; without deliberate differences ${s.caught}/${s.failing - s.deliberateLaxer} = ${pct(s.caught, s.failing - s.deliberateLaxer)}`);
      console.log(`   false alarms ${s.falseAlarms}/${s.passing} = ${pct(s.falseAlarms, s.passing)}` +
        `; without deliberate differences ${s.falseAlarms - s.deliberateStricter}/${s.passing} = ${pct(s.falseAlarms - s.deliberateStricter, s.passing)}`);
      const diffs = s.results.filter(r => r.diff && r.defaultOn);
      const shown = all ? diffs : diffs.filter(r => !r.deliberate);
      for (const r of shown) {
        const tag = r.deliberate ? ' [deliberate]' : '';
        console.log(`   - ${r.diff === 'laxer' ? 'MISSED     ' : 'FALSE ALARM'} ${r.check} ${r.file}${r.docs ? '#' + r.docs.join(',') : ''} (${r.what}) -> ${r.mapped.join(',')}${tag}`);
        for (const f of r.fired) console.log(`       ${f}`);
      }
      if (!all) {
        const grouped = new Map<string, number>();
        for (const r of diffs.filter(x => x.deliberate)) grouped.set(`${r.diff} ${r.check}`, (grouped.get(`${r.diff} ${r.check}`) ?? 0) + 1);
        for (const [k, n] of grouped) console.log(`   - deliberate: ${k} (${n})`);
      }
      const opt = s.results.filter(r => r.mapped.length > 0 && !r.defaultOn);
      if (opt.length > 0) {
        const optDiff = opt.filter(r => r.diff);
        const open = optDiff.filter(r => !r.deliberate);
        console.log(`   opt-in checks (not scored): ${opt.length} units, ${optDiff.length} differences, ${optDiff.length - open.length} of them deliberate`);
        for (const r of all ? optDiff : open) {
          console.log(`   - opt-in ${r.diff} ${r.check} ${r.file}${r.docs ? '#' + r.docs.join(',') : ''} (${r.what})${r.deliberate ? ' [deliberate]' : ''}`);
        }
      }
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  }
  const sum = (f: (s: PeerStats) => number) => stats.reduce((a, s) => a + f(s), 0);
  const caught = sum(s => s.caught);
  const failing = sum(s => s.failing);
  const passing = sum(s => s.passing);
  const alarms = sum(s => s.falseAlarms);
  const netFailing = failing - sum(s => s.deliberateLaxer);
  const netAlarms = alarms - sum(s => s.deliberateStricter);
  console.log(`\n== all peers: recall ${caught}/${failing} = ${pct(caught, failing)} (${caught}/${netFailing} = ${pct(caught, netFailing)} without deliberate differences)` +
    `, false alarms ${alarms}/${passing} = ${pct(alarms, passing)} (${netAlarms}/${passing} = ${pct(netAlarms, passing)} without deliberate differences)`);
  if (jsonOut) {
    fs.writeFileSync(jsonOut, JSON.stringify(stats.map(s => ({ ...s, results: s.results.filter(r => r.diff) })), undefined, 2) + '\n');
  }
}

if (require.main === module) {
  main(process.argv.slice(2));
}
