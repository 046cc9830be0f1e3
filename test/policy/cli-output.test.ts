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
import { artifactLocation, baseUrl, fileUri, FINGERPRINT_KEY, isOwnJsonReport, reportFile, sourceRoot } from '../../lib/policy/report-writer';
import { Severity } from '../../lib/policy/rule';

removeTempDirsAfterAll();

/** The same Service under another name: two files of one run hold different objects (one object twice is SS-POLICY-005). */
const OTHER_NODE_PORT_SERVICE = NODE_PORT_SERVICE.replace('name: s,', 'name: s2,');

const ROOT = path.resolve(__dirname, '..', '..');
const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf-8'));
const MIXED = path.join(__dirname, 'fixtures', 'mixed');
const rel = (p: string) => path.relative(process.cwd(), p).split(path.sep).join('/');

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
    expect(r.err).toContain('checked 36 documents in 4 files');
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
      expect(r.properties['security-severity']).toBe(r.defaultConfiguration.level === 'error' ? '7.5' : '4.0');
      expect(r.properties.tags).toContain('shipshape');
      expect(r.properties.tags).toContain(r.properties.pack);
    }
    const k8s001 = sarif.runs[0].tool.driver.rules.find((r: any) => r.id === 'SS-K8S-001');
    expect(k8s001.properties).toEqual({ 'pack': 'kubernetes', 'security-severity': '7.5', 'tags': ['shipshape', 'security', 'kubernetes'] });
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
