// What `shipshape check` writes: --version, --format json|sarif on stdout, the SARIF fields code-scanning UIs use,
// the JSON report's marker, and reports that are the same whether streamed or built in memory.
import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import { NODE_PORT_SERVICE, removeTempDirsAfterAll, run, tmpDir, writeTree } from './cli-helpers';
import { loadInputs } from '../../lib/policy/cli';
import { PolicyEngine } from '../../lib/policy/engine';
import { KubernetesPack } from '../../lib/policy/k8s/kubernetes-pack';
import { PolicyReport } from '../../lib/policy/report';
import { artifactLocation, baseUrl, fileUri, fingerprint, FINGERPRINT_KEY, hash64, isOwnJsonReport, reportFile, sourceRoot } from '../../lib/policy/report-writer';
import { Severity } from '../../lib/policy/rule';

removeTempDirsAfterAll();

/** The same Service under another name: two files of one run hold different objects (one object twice is SS-POLICY-005). */
const OTHER_NODE_PORT_SERVICE = NODE_PORT_SERVICE.replace('name: s,', 'name: s2,');

const ROOT = path.resolve(__dirname, '..', '..');
const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf-8'));
const MIXED = path.join(__dirname, 'fixtures', 'mixed');
const rel = (p: string) => path.relative(process.cwd(), p).split(path.sep).join('/');
const slash = (p: string) => p.split(path.sep).join('/');

/** Runs `f` with `dir` as the working directory. */
async function inDir<T>(dir: string, f: () => Promise<T>): Promise<T> {
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    return await f();
  } finally {
    process.chdir(cwd);
  }
}

test('--version prints the version of package.json', async () => {
  expect(await run(['--version'])).toEqual({ code: 0, out: `${PKG.version}\n`, err: '' });
  expect((await run(['check', '--version'])).out).toBe(`${PKG.version}\n`);
});

describe('--format', () => {
  test('json: the JSON report on stdout (the same bytes as --json FILE), the summary on stderr, the same exit code', async () => {
    const dir = tmpDir();
    const r = await run(['check', rel(MIXED), '--format', 'json', '--json', path.join(dir, 'r.json')]);
    expect(r.code).toBe(1);
    expect(r.out).toBe(fs.readFileSync(path.join(dir, 'r.json'), 'utf-8'));
    const json = JSON.parse(r.out);
    expect(Object.keys(json)).toEqual(['tool', 'version', 'summary', 'rules', 'findings']);
    expect(json.tool).toBe('shipshape');
    expect(json.version).toBe(PKG.version);
    expect(r.err).toContain('shipshape policy: ');
    expect(r.err).toContain('checked 36 documents (4 more not checked: see SS-POLICY-003) in 4 files');
  });

  test('sarif: the SARIF log on stdout', async () => {
    const r = await run(['check', rel(path.join(MIXED, 'good.yaml')), '--format', 'sarif']);
    expect(r.code).toBe(0);
    const sarif = JSON.parse(r.out);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results).toEqual([]);
    expect(r.err).toContain('shipshape policy: 0 errors, 0 warnings, 0 suppressed');
  });

  test('text (the default): the summary on stdout, nothing on stderr', async () => {
    const r = await run(['check', rel(path.join(MIXED, 'good.yaml')), '--format', 'text']);
    expect(r).toEqual({ code: 0, out: 'shipshape policy: 0 errors, 0 warnings, 0 suppressed\nchecked 31 documents in 1 file\n', err: '' });
  });
});

describe('SARIF for code-scanning UIs', () => {
  let sarif: any;
  beforeAll(async () => {
    sarif = JSON.parse((await run(['check', rel(MIXED), '--format', 'sarif'])).out);
  });

  test('the driver names the version, and the project address when package.json has a real one', () => {
    const d = sarif.runs[0].tool.driver;
    expect(d.name).toBe('shipshape');
    expect(d.version).toBe(PKG.version);
    const base = baseUrl(PKG);
    if (base === undefined) expect(d.informationUri).toBeUndefined(); else expect(d.informationUri).toBe(base);
  });

  test('the project address: homepage, else repository without git+ and .git; none for a placeholder (a dead link in code-scanning UIs)', () => {
    expect(baseUrl({ homepage: 'https://shipshape.dev/', repository: { url: 'git+https://github.com/acme/shipshape.git' } })).toBe('https://shipshape.dev');
    expect(baseUrl({ repository: { url: 'git+https://github.com/acme/shipshape.git' } })).toBe('https://github.com/acme/shipshape');
    expect(baseUrl({ repository: 'https://gitlab.com/acme/shipshape' })).toBe('https://gitlab.com/acme/shipshape');
    for (const url of ['https://example.invalid/shipshape.git', 'https://example.com/shipshape', 'https://git.example/x', 'http://localhost/x', 'git@github.com:acme/shipshape.git']) {
      expect(baseUrl({ repository: { url } })).toBeUndefined();
    }
  });

  test('each rule has a full description (its rationale: code scanning requires one), and links its catalog entry when the project has an address', () => {
    const catalog = fs.readFileSync(path.join(ROOT, 'docs', 'rules.md'), 'utf-8');
    const base = baseUrl(PKG);
    for (const r of sarif.runs[0].tool.driver.rules) {
      // the engine's own findings have no rationale: their message stands for it
      if (r.id.startsWith('SS-POLICY-')) expect(r.fullDescription.text).toBe(r.shortDescription.text);
      else expect(r.fullDescription.text.length).toBeGreaterThan(r.shortDescription.text.length);
      if (base === undefined) expect(r.helpUri).toBeUndefined();
      else expect(r.helpUri).toBe(`${base}/blob/main/docs/rules.md#${r.id.toLowerCase()}`);
      expect(catalog).toContain(`<a id="${r.id.toLowerCase()}"></a>`);
      // a security severity only for what code scanning should rank as security: not probes, replicas or labels
      if (r.properties.tags.includes('security')) expect(r.properties['security-severity']).toBe(r.defaultConfiguration.level === 'error' ? '7.5' : '4.0');
      else expect(r.properties['security-severity']).toBeUndefined();
      expect(r.properties.tags).toContain('shipshape');
      expect(r.properties.tags).toContain(r.properties.pack);
    }
    const k8s001 = sarif.runs[0].tool.driver.rules.find((r: any) => r.id === 'SS-K8S-001');
    expect(k8s001.properties).toEqual({ 'pack': 'kubernetes', 'security-severity': '7.5', 'tags': ['shipshape', 'security', 'kubernetes'] });
    // a readiness probe (design id K8S-PRB-01) is reliability: a quality alert, not a high-severity security one
    const rules = sarif.runs[0].tool.driver.rules.map((r: any) => [r.id, r.properties]);
    expect(Object.fromEntries(rules.filter(([id]: any) => ['SS-K8S-033', 'SS-K8S-037', 'SS-K8S-067'].includes(id)))).toEqual({
      'SS-K8S-033': { pack: 'kubernetes', tags: ['shipshape', 'reliability', 'kubernetes'] },
      'SS-K8S-037': { pack: 'kubernetes', tags: ['shipshape', 'reliability', 'kubernetes'] },
      'SS-K8S-067': { pack: 'kubernetes', tags: ['shipshape', 'reliability', 'kubernetes'] },
    });
  });

  test('each result has a fingerprint and a repo-relative artifact URI with forward slashes under %SRCROOT%', () => {
    expect(sarif.runs[0].results.length).toBeGreaterThan(30);
    for (const r of sarif.runs[0].results) {
      expect(r.partialFingerprints[FINGERPRINT_KEY]).toMatch(/^[0-9a-f]{16}$/);
      // every result of a checked file has a physical location, stale suppressions included
      const a = r.locations[0].physicalLocation.artifactLocation;
      expect(a.uriBaseId).toBe('%SRCROOT%');
      expect(a.uri.startsWith(rel(MIXED) + '/')).toBe(true);
      expect(a.uri).not.toContain('\\');
    }
  });

  test('an absolute input path still gives a relative URI (the tests run at the repository root)', async () => {
    const out = JSON.parse((await run(['check', path.resolve(MIXED, 'bad.yaml'), '--format', 'sarif'])).out);
    expect(out.runs[0].results[0].locations[0].physicalLocation.artifactLocation).toEqual({ uri: `${rel(MIXED)}/bad.yaml`, uriBaseId: '%SRCROOT%' });
  });

  test('run from a subfolder of a Git work tree, URIs are relative to its root (what code scanning resolves them against)', async () => {
    const repo = writeTree(tmpDir(), { 'infra/k8s/bad.yaml': NODE_PORT_SERVICE });
    fs.mkdirSync(path.join(repo, '.git'));
    const out = await inDir(path.join(repo, 'infra'), () => run(['check', 'k8s/bad.yaml', '--format', 'sarif']));
    expect(out.code).toBe(0);
    expect(JSON.parse(out.out).runs[0].results[0].locations[0].physicalLocation.artifactLocation).toEqual({ uri: 'infra/k8s/bad.yaml', uriBaseId: '%SRCROOT%' });
    // a Git worktree or submodule has a .git file, not a folder: the same
    fs.rmSync(path.join(repo, '.git'), { recursive: true });
    fs.writeFileSync(path.join(repo, '.git'), 'gitdir: /elsewhere\n');
    const again = await inDir(path.join(repo, 'infra', 'k8s'), () => run(['check', 'bad.yaml', '--format', 'sarif']));
    expect(JSON.parse(again.out).runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('infra/k8s/bad.yaml');
  });

  test('outside a Git work tree, URIs are relative to the working directory', async () => {
    const dir = writeTree(tmpDir(), { 'k8s/bad.yaml': NODE_PORT_SERVICE });
    expect(sourceRoot(dir)).toBe(dir); // the system's temporary folder is in no Git work tree
    const out = await inDir(dir, () => run(['check', 'k8s/bad.yaml', '--format', 'sarif']));
    expect(JSON.parse(out.out).runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('k8s/bad.yaml');
  });

  test('a file outside the Git work tree gets an absolute, percent-encoded file: URI without a base (never ../)', async () => {
    const repo = writeTree(tmpDir(), { 'repo/k8s/bad.yaml': NODE_PORT_SERVICE, 'o2 #1/shop.k8s.yaml': OTHER_NODE_PORT_SERVICE });
    fs.mkdirSync(path.join(repo, 'repo', '.git'));
    const out = await inDir(path.join(repo, 'repo'), () => run(['check', 'k8s/bad.yaml', '../o2 #1/shop.k8s.yaml', '--format', 'sarif']));
    const locations = JSON.parse(out.out).runs[0].results.map((r: any) => r.locations[0].physicalLocation.artifactLocation);
    expect(locations).toEqual([{ uri: 'k8s/bad.yaml', uriBaseId: '%SRCROOT%' }, { uri: pathToFileURL(path.join(repo, 'o2 #1', 'shop.k8s.yaml')).href }]);
    expect(locations[1].uri).toMatch(/^file:\/\/\/.*\/o2%20%231\/shop\.k8s\.yaml$/);
    expect(fileURLToPath(locations[1].uri)).toBe(path.join(repo, 'o2 #1', 'shop.k8s.yaml'));
  });

  test('outside any repository, a file outside the working directory gets a file: URI too', async () => {
    const dir = writeTree(tmpDir(), { 'cwd/k8s/a.yaml': NODE_PORT_SERVICE, 'elsewhere/b.yaml': OTHER_NODE_PORT_SERVICE });
    const out = await inDir(path.join(dir, 'cwd'), () => run(['check', 'k8s/a.yaml', '../elsewhere/b.yaml', '--format', 'sarif']));
    const uris = JSON.parse(out.out).runs[0].results.map((r: any) => r.locations[0].physicalLocation.artifactLocation);
    expect(uris).toEqual([{ uri: 'k8s/a.yaml', uriBaseId: '%SRCROOT%' }, { uri: pathToFileURL(path.join(dir, 'elsewhere', 'b.yaml')).href }]);
  });

  test('the JSON report and the summary name a file relative to the working directory inside it, absolute outside it', async () => {
    const dir = writeTree(tmpDir(), { 'cwd/k8s/a.yaml': NODE_PORT_SERVICE, 'elsewhere/b.yaml': OTHER_NODE_PORT_SERVICE });
    const cwd = path.join(dir, 'cwd');
    const out = await inDir(cwd, () => run(['check', './k8s/a.yaml', '../elsewhere/b.yaml', path.join(cwd, 'k8s'), '--format', 'json']));
    const files = JSON.parse(out.out).findings.map((f: any) => f.file);
    const abs = path.join(dir, 'elsewhere', 'b.yaml').split(path.sep).join('/');
    expect(files).toEqual(['k8s/a.yaml', abs]); // the folder holds a.yaml again: read once
    expect(out.err).toContain(`${abs} [document 0, line 1] (Service s2)`);
    expect(out.err).toContain('k8s/a.yaml [document 0, line 1] (Service s)');
  });

  test('artifactLocation and fileUri: relative under %SRCROOT% inside the root; file: URIs outside it, Windows drives and shares included', () => {
    expect(artifactLocation('dist/a b.yaml', '/r/infra', '/r', path.posix)).toEqual({ uri: 'infra/dist/a%20b.yaml', uriBaseId: '%SRCROOT%' });
    expect(artifactLocation('../o2/shop.k8s.yaml', '/r', '/r', path.posix)).toEqual({ uri: 'file:///o2/shop.k8s.yaml' });
    expect(artifactLocation('/r2/x.yaml', '/r', '/r', path.posix)).toEqual({ uri: 'file:///r2/x.yaml' });
    expect(artifactLocation('..x/y.yaml', '/r', '/r', path.posix)).toEqual({ uri: '..x/y.yaml', uriBaseId: '%SRCROOT%' });
    expect(artifactLocation('D:\\out\\x [1].yaml', 'C:\\r', 'C:\\r', path.win32)).toEqual({ uri: 'file:///D:/out/x%20%5B1%5D.yaml' });
    expect(artifactLocation('..\\o2\\x.yaml', 'C:\\r\\infra', 'C:\\r\\infra', path.win32)).toEqual({ uri: 'file:///C:/r/o2/x.yaml' });
    expect(artifactLocation('k8s\\x.yaml', 'C:\\r\\infra', 'C:\\r', path.win32)).toEqual({ uri: 'infra/k8s/x.yaml', uriBaseId: '%SRCROOT%' });
    expect(fileUri('\\\\server\\share\\a b.yaml', path.win32)).toBe('file://server/share/a%20b.yaml');
    expect(fileUri('/tmp/100%/ü?.yaml', path.posix)).toBe('file:///tmp/100%25/%C3%BC%3F.yaml');
    expect(reportFile('../o2/x.yaml', '/r', path.posix)).toBe('/o2/x.yaml');
    expect(reportFile('/r/k8s/x.yaml', '/r', path.posix)).toBe('k8s/x.yaml');
    expect(reportFile('..\\o2\\x.yaml', 'C:\\r', path.win32)).toBe('C:/o2/x.yaml');
  });

  test('fingerprints hash rule, kind, namespace, name and JSON path: moving an object down the file keeps them', async () => {
    const dir = tmpDir();
    const a = writeTree(dir, { 'a/x.yaml': NODE_PORT_SERVICE, 'b/x.yaml': '# moved down\n\n\n---\n' + NODE_PORT_SERVICE });
    const prints = async (f: string) => {
      const log = JSON.parse((await run(['check', path.join(a, f), '--format', 'sarif'])).out);
      return log.runs[0].results.map((r: any) => [r.ruleId, r.locations[0].physicalLocation.region.startLine, r.partialFingerprints[FINGERPRINT_KEY]]);
    };
    const before = await prints('a/x.yaml');
    const after = await prints('b/x.yaml');
    expect(before.map((x: any) => x[1])).not.toEqual(after.map((x: any) => x[1])); // the lines moved
    expect(before.map((x: any) => [x[0], x[2]])).toEqual(after.map((x: any) => [x[0], x[2]])); // the fingerprints did not
    const renamed = JSON.parse((await run(['check', writeTree(tmpDir(), { 'y.yaml': NODE_PORT_SERVICE.replace('name: s,', 'name: t,') }), '--format', 'sarif'])).out);
    expect(renamed.runs[0].results[0].partialFingerprints[FINGERPRINT_KEY]).not.toBe(before[0][2]);
  });
});

describe('fingerprints are unique within a log, and stable', () => {
  const finding = (message: string, extra: object = {}) => ({
    ruleId: 'SS-K8S-074', severity: Severity.WARNING, message, fix: 'add the NetworkPolicies', path: 'app/ns', jsonPath: 'metadata.name', kind: 'Namespace', name: 'shop', ...extra,
  });
  const prints = (findings: any[]) => PolicyReport._create(findings, []).toSarif().runs[0].results.map((r: any) => r.partialFingerprints[FINGERPRINT_KEY]);
  const DENY = 'Namespace shop has no default-deny NetworkPolicy';
  const DNS = 'Namespace shop has no NetworkPolicy allowing DNS egress';

  test('a finding whose key (rule, kind, namespace, name, JSON path) is unique keeps the fingerprint of earlier versions', async () => {
    // the value earlier versions gave: an alert raised before keeps its identity
    expect(fingerprint({ ...finding('m'), ruleId: 'SS-K8S-051', jsonPath: 'spec.type', kind: 'Service', name: 's', namespace: 'shop' })).toBe('b575872db8a7fd08');
    const log = JSON.parse((await run(['check', writeTree(tmpDir(), { 's.yaml': NODE_PORT_SERVICE }), '--format', 'sarif'])).out);
    expect(log.runs[0].results.map((r: any) => [r.ruleId, r.partialFingerprints[FINGERPRINT_KEY]])).toEqual([['SS-K8S-051', 'b575872db8a7fd08']]);
    expect(prints([finding(DENY)])).toEqual([fingerprint(finding(DENY))]);
  });

  test('two findings of one rule at one JSON path of one object get two fingerprints (key and message hashed): code scanning keeps both', () => {
    const both = prints([finding(DENY), finding(DNS), finding('other', { name: 'web' })]);
    const key = ['SS-K8S-074', 'Namespace', '', 'shop', 'metadata.name'].join('\u0000');
    expect(both).toEqual([hash64(`${key}\u0000${DENY}`), hash64(`${key}\u0000${DNS}`), fingerprint(finding('other', { name: 'web' }))]);
    expect(new Set(both).size).toBe(3);
    // stable: the same findings give the same fingerprints, in another run and in the streamed file
    expect(prints([finding(DENY), finding(DNS), finding('other', { name: 'web' })])).toEqual(both);
    const dir = tmpDir();
    PolicyReport._create([finding(DENY), finding(DNS)], []).writeSarifFile(path.join(dir, 'r.sarif'));
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'r.sarif'), 'utf-8')).runs[0].results.map((r: any) => r.partialFingerprints[FINGERPRINT_KEY])).toEqual(both.slice(0, 2));
  });

  test('fixing one of the findings that share a key never hands its fingerprint to another (as an ordinal would)', () => {
    const PORT = 'Namespace shop has no NetworkPolicy allowing egress on 443';
    const [deny, dns, port] = prints([finding(DENY), finding(DNS), finding(PORT)]);
    // the first is fixed: the other two keep theirs
    expect(prints([finding(DNS), finding(PORT)])).toEqual([dns, port]);
    // one is left: its key is unique again, and it gets the plain hash, none of the three before
    const [alone] = prints([finding(PORT)]);
    expect(alone).toBe(fingerprint(finding(PORT)));
    expect([deny, dns, port]).not.toContain(alone);
  });

  test('findings that share the message too (one object held twice) are told apart by their ordinal, in report order', () => {
    const twice = prints([finding(DENY, { file: 'a.yaml' }), finding(DENY, { file: 'b.yaml' }), finding(DNS)]);
    expect(new Set(twice).size).toBe(3);
    const key = ['SS-K8S-074', 'Namespace', '', 'shop', 'metadata.name', DENY].join('\u0000');
    expect(twice.slice(0, 2)).toEqual([hash64(key), hash64(`${key}\u00001`)]);
  });

  test('in the CLI: a Namespace without NetworkPolicies held in two files gives a log without a repeated fingerprint', async () => {
    const ns = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n';
    const dir = writeTree(tmpDir(), { 'a/ns.yaml': ns, 'b/ns.yaml': ns });
    const results = JSON.parse((await run(['check', dir, '--format', 'sarif'])).out).runs[0].results;
    const atName = results.filter((r: any) => r.ruleId === 'SS-K8S-074' && r.properties.jsonPath === 'metadata.name');
    expect(atName.length).toBeGreaterThanOrEqual(4); // two findings at metadata.name in each file
    const all = results.map((r: any) => r.partialFingerprints[FINGERPRINT_KEY]);
    expect(new Set(all).size).toBe(all.length);
    const again = JSON.parse((await run(['check', dir, '--format', 'sarif'])).out).runs[0].results.map((r: any) => r.partialFingerprints[FINGERPRINT_KEY]);
    expect(again).toEqual(all);
  });
});

describe('the condensed summary (above 50 findings)', () => {
  const f = (i: number, message: string, fix = 'list what the role needs', extra: object = {}) => ({
    ruleId: 'SS-K8S-077', severity: Severity.ERROR, message, fix, path: `app/role${i}`, jsonPath: `rules[${i}]`, kind: 'Role', name: `r${i}`, ...extra,
  });

  test('a rule whose findings say different things lists each message with its own count and places, and the fix once', () => {
    const findings = [
      ...Array.from({ length: 30 }, (_, i) => f(i, 'Role rule has * in resources')),
      ...Array.from({ length: 20 }, (_, i) => f(100 + i, 'Role rule has * in verbs')),
      f(200, 'Role rule has * in apiGroups'),
    ];
    expect(PolicyReport._create(findings, []).summary()).toBe([
      'shipshape policy: 51 errors, 0 warnings, 0 suppressed',
      '(51 findings, condensed by rule; every finding is in policy-report.json and policy-report.sarif)',
      '',
      '  ERROR SS-K8S-077 x51, 3 messages:',
      '    x30: Role rule has * in resources',
      '      in: app/role0 at rules[0]; app/role1 at rules[1]; app/role2 at rules[2]; and 27 more',
      '    x20: Role rule has * in verbs',
      '      in: app/role100 at rules[100]; app/role101 at rules[101]; app/role102 at rules[102]; and 17 more',
      '    x1: Role rule has * in apiGroups',
      '      in: app/role200 at rules[200]',
      '    fix: list what the role needs',
      '',
    ].join('\n'));
  });

  test('messages with fixes of their own show each fix; beyond five messages the findings are counted, not mislabelled', () => {
    const findings = [
      ...Array.from({ length: 45 }, (_, i) => f(i, 'Role rule has * in resources')),
      f(50, 'Role rule has * in verbs', 'name the verbs'),
      ...Array.from({ length: 6 }, (_, i) => f(60 + i, `Role r${60 + i} is odd`)),
    ];
    const lines = PolicyReport._create(findings, []).summary().split('\n');
    expect(lines.slice(3)).toEqual([
      '  ERROR SS-K8S-077 x52, more than 5 messages:',
      '    x45: Role rule has * in resources',
      '      fix: list what the role needs',
      '      in: app/role0 at rules[0]; app/role1 at rules[1]; app/role2 at rules[2]; and 42 more',
      '    x1: Role rule has * in verbs',
      '      fix: name the verbs',
      '      in: app/role50 at rules[50]',
      '    x1: Role r60 is odd',
      '      fix: list what the role needs',
      '      in: app/role60 at rules[60]',
      '    x1: Role r61 is odd',
      '      fix: list what the role needs',
      '      in: app/role61 at rules[61]',
      '    x1: Role r62 is odd',
      '      fix: list what the role needs',
      '      in: app/role62 at rules[62]',
      '    and 3 more findings with other messages',
      '',
    ]);
  });

  test('suppressed findings keep their reason once per entry', () => {
    const suppression = { ruleId: 'SS-K8S-077', reason: 'the operator manages every CRD', path: 'app' };
    const findings = Array.from({ length: 51 }, (_, i) => f(i, i % 2 ? 'Role rule has * in verbs' : 'Role rule has * in resources', undefined, { suppression }));
    expect(PolicyReport._create(findings, []).summary().split('\n').slice(3)).toEqual([
      '  SUPPRESSED SS-K8S-077 x51, 2 messages:',
      '    x26: Role rule has * in resources',
      '      in: app/role0 at rules[0]; app/role2 at rules[2]; app/role4 at rules[4]; and 23 more',
      '    x25: Role rule has * in verbs',
      '      in: app/role1 at rules[1]; app/role3 at rules[3]; app/role5 at rules[5]; and 22 more',
      '    reason: the operator manages every CRD',
      '',
    ]);
  });

  test('in the CLI: Helm templates among files without kind are each counted under their own message and fix', async () => {
    const files: { [f: string]: string } = {};
    for (let i = 0; i < 30; i++) files[`values-${String(i).padStart(2, '0')}.yaml`] = 'replicas: 2\n';
    for (let i = 0; i < 25; i++) files[`tpl-${String(i).padStart(2, '0')}.yaml`] = 'metadata:\n  labels:\n    {{- include "x" . | nindent 4 }}\n';
    const dir = writeTree(tmpDir(), files);
    const r = await run(['check', dir]);
    expect(r.code).toBe(1);
    const block = r.out.slice(r.out.indexOf('  ERROR SS-POLICY-003'));
    const lines = block.split('\n');
    expect(lines[0]).toBe('  ERROR SS-POLICY-003 x55, 2 messages:');
    expect(lines[1]).toMatch(/^ {4}x25: document 0 is not valid YAML: .*; it looks like a Helm template \(\{\{ \.\.\. \}\}\): run `helm template` first and check the rendered output$/);
    expect(lines[2]).toBe('      fix: render the chart with `helm template` and check the rendered manifests');
    expect(lines[3]).toBe(`      in: ${slash(dir)}/tpl-00.yaml [document 0, line 3]; ${slash(dir)}/tpl-01.yaml [document 0, line 3]; ${slash(dir)}/tpl-02.yaml [document 0, line 3]; and 22 more`);
    expect(lines[4]).toBe('    x30: document 0 has no kind; it is not a Kubernetes object');
    expect(lines[5]).toBe('      fix: fix the file so every document is a Kubernetes object with apiVersion and kind');
    expect(lines[6]).toBe(`      in: ${slash(dir)}/values-00.yaml [document 0, line 1]; ${slash(dir)}/values-01.yaml [document 0, line 1]; ${slash(dir)}/values-02.yaml [document 0, line 1]; and 27 more`);
  });
});

describe('reports', () => {
  test("the JSON report starts with shipshape's marker (how the CLI recognises its own files)", () => {
    const text = JSON.stringify(PolicyReport._create([], []).toJson(), undefined, 2);
    expect(text.startsWith(`{\n  "tool": "shipshape",\n  "version": "${PKG.version}",`)).toBe(true);
    expect(isOwnJsonReport(text.slice(0, 256))).toBe(true);
    expect(isOwnJsonReport('{"apiVersion": "v1", "kind": "List"}')).toBe(false);
  });

  test('the streamed report files are the bytes of JSON.stringify(toJson() / toSarif(), undefined, 2)', () => {
    const findings = Array.from({ length: 120 }, (_, i) => ({
      ruleId: i % 7 === 0 ? 'ACME-1' : 'SS-K8S-001',
      severity: i % 3 === 0 ? Severity.WARNING : Severity.ERROR,
      message: `message "${i}" \u2713\n`,
      fix: 'fix it',
      path: `app/chart/obj${i}`,
      jsonPath: i % 2 ? `spec.x[${i}]` : '',
      kind: 'Deployment',
      ...(i % 4 ? { name: `n${i}`, namespace: 'ns' } : {}),
      ...(i % 5 === 0 ? { file: `dir with space/f${i}.yaml`, index: i, line: i + 1 } : {}),
      ...(i % 6 === 0 ? { suppression: { ruleId: 'SS-K8S-001', reason: 'a reason long enough', path: 'app' } } : {}),
    }));
    const report = PolicyReport._create(findings, new PolicyEngine({ packs: [new KubernetesPack()] })._rules);
    const dir = tmpDir();
    report.writeFiles(dir);
    expect(fs.readFileSync(path.join(dir, 'policy-report.json'), 'utf-8')).toBe(JSON.stringify(report.toJson(), undefined, 2) + '\n');
    expect(fs.readFileSync(path.join(dir, 'policy-report.sarif'), 'utf-8')).toBe(JSON.stringify(report.toSarif(), undefined, 2) + '\n');
    expect(fs.readdirSync(dir).sort()).toEqual(['policy-report.json', 'policy-report.sarif']); // no temporary file left
  });

  test("the CLI's compact findings give the report the engine gives for the same documents", async () => {
    const dir = tmpDir();
    await run(['check', rel(MIXED), '--json', path.join(dir, 'r.json'), '--sarif', path.join(dir, 'r.sarif')]);
    const loaded = loadInputs([rel(MIXED)]);
    const engine = new PolicyEngine({ packs: [new KubernetesPack()] });
    const report = engine._check(loaded.documents, loaded.suppressions, loaded.bad, s => !loaded.peerSuppressions.has(s));
    // the CLI places a stale suppression at the document that carries it (file, index, line); the rest is identical
    const unplaced = (x: any) => JSON.parse(JSON.stringify(x), (_k, v) => (v && v.ruleId === 'SS-POLICY-001' ? { ...v, file: undefined, index: undefined, line: undefined, locations: undefined, properties: { ...v.properties, documentIndex: undefined } } : v));
    const cliJson = JSON.parse(fs.readFileSync(path.join(dir, 'r.json'), 'utf-8'));
    expect(cliJson.findings.filter((f: any) => f.ruleId === 'SS-POLICY-001').map((f: any) => [f.file, f.index, f.line])).toEqual([[`${rel(MIXED)}/nested/suppressed.yaml`, 0, 1]]);
    expect(unplaced(cliJson)).toEqual(unplaced(report.toJson()));
    expect(unplaced(JSON.parse(fs.readFileSync(path.join(dir, 'r.sarif'), 'utf-8')))).toEqual(unplaced(report.toSarif()));
  });

  test('a stale or unknown suppression annotation is reported at the annotation, on the object that carries it', async () => {
    const file = path.join(writeTree(tmpDir(), {
      'sa.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ledger\n  namespace: pay\n  annotations:\n'
        + '    suppress.shipshape.io/SS-K8S-052: "no Service here at all, on purpose"\n    suppress.shipshape.io/SS-K8S-0100: "a typo of a rule id here"\n',
    }), 'sa.yaml');
    const json = await run(['check', file, '--format', 'json']);
    const found = JSON.parse(json.out).findings.filter((f: any) => f.ruleId === 'SS-POLICY-001' || f.ruleId === 'SS-POLICY-004')
      .map((f: any) => [f.ruleId, f.kind, f.name, f.namespace, f.jsonPath]);
    expect(found).toEqual([
      ['SS-POLICY-001', 'ServiceAccount', 'ledger', 'pay', 'metadata.annotations["suppress.shipshape.io/SS-K8S-052"]'],
      ['SS-POLICY-004', 'ServiceAccount', 'ledger', 'pay', 'metadata.annotations["suppress.shipshape.io/SS-K8S-0100"]'],
    ]);
    const text = await run(['check', file]);
    expect(text.out).toContain('(ServiceAccount ledger)');
    expect(text.out).toContain('metadata.annotations["suppress.shipshape.io/SS-K8S-052"]');
  });

  test('a long summary is condensed and says how to get every finding', async () => {
    const docs = Array.from({ length: 60 }, (_, i) => NODE_PORT_SERVICE.replace('name: s,', `name: s${i},`)).join('---\n');
    const file = path.join(writeTree(tmpDir(), { 'many.yaml': docs }), 'many.yaml');
    const r = await run(['check', file]);
    expect(r.out).toContain('(60 findings, condensed by rule; run with --json FILE or --sarif FILE to get every finding)');
    expect(r.out).toContain('  WARNING SS-K8S-051 x60: Service is of type NodePort');
    const withJson = await run(['check', file, '--json', path.join(path.dirname(file), 'r.json')]);
    expect(withJson.out).toContain(`every finding is in ${path.join(path.dirname(file), 'r.json')})`);
  });

  test('a report that cannot be written exits 2 and says why', async () => {
    const dir = writeTree(tmpDir(), { file: 'x' });
    const r = await run(['check', path.join(MIXED, 'good.yaml'), '--json', path.join(dir, 'file', 'r.json')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^shipshape: cannot write report: /m);
  });
});
