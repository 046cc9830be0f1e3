import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { App as CdkApp } from 'cdk8s';
import * as yaml from 'js-yaml';
import { removeTempDirsAfterAll, tmpDir } from './cli-helpers';
import { main, splitDocuments } from '../../lib/policy/cli';
import { KubernetesPack } from '../../lib/policy/k8s/kubernetes-pack';
import { checkObjects } from '../../lib/policy/runner';

const MIXED = path.join(__dirname, 'fixtures', 'mixed');
const rel = (p: string) => path.relative(process.cwd(), p).split(path.sep).join('/');

function run(argv: string[]) {
  let out = '';
  let err = '';
  return main(argv, { out: s => { out += s; }, err: s => { err += s; } }).then(code => ({ code, out, err }));
}

const tmp = tmpDir;
removeTempDirsAfterAll();

describe('shipshape check on a directory of mixed manifests', () => {
  let result: { code: number; out: string; err: string };
  let json: any;
  let sarif: any;
  beforeAll(async () => {
    const dir = tmp();
    result = await run(['check', rel(MIXED), '--json', path.join(dir, 'r.json'), '--sarif', path.join(dir, 'r.sarif')]);
    json = JSON.parse(fs.readFileSync(path.join(dir, 'r.json'), 'utf-8'));
    sarif = JSON.parse(fs.readFileSync(path.join(dir, 'r.sarif'), 'utf-8'));
  });

  const hit = (ruleId: string, file: string, index: number, jsonPath: string) =>
    json.findings.find((f: any) => f.ruleId === ruleId && f.file === `${rel(MIXED)}/${file}` && f.index === index && f.jsonPath === jsonPath);

  test('exits 1 because errors remain', () => {
    expect(result.code).toBe(1);
  });

  test('the compliant file has no finding', () => {
    expect(json.findings.filter((f: any) => f.file?.endsWith('/good.yaml'))).toEqual([]);
  });

  test('reports the bad manifests with file, document index, path and rule id', () => {
    expect(hit('SS-K8S-001', 'bad.yaml', 0, 'spec.template.spec.containers[0].securityContext.privileged')).toMatchObject({ severity: 'error', kind: 'Deployment', name: 'legacy', line: 3 }); // its first line after the comment
    expect(hit('SS-K8S-029', 'bad.yaml', 0, 'spec.template.spec.containers[0].image')).toBeDefined();
    expect(hit('SS-K8S-012', 'bad.yaml', 0, 'spec.template.spec.containers[0].ports[0].hostPort')).toBeDefined();
    expect(hit('SS-K8S-065', 'bad.yaml', 0, 'metadata.namespace')).toBeDefined();
    expect(hit('SS-K8S-051', 'bad.yaml', 1, 'spec.type')).toMatchObject({ severity: 'warning', kind: 'Service' });
    expect(hit('SS-K8S-063', 'garbage.yaml', 4, 'data["api-token"]')).toBeDefined();
  });

  test('garbage is reported per document and does not stop the run', () => {
    const bad = json.findings.filter((f: any) => f.ruleId === 'SS-POLICY-003').map((f: any) => `${f.file?.replace(rel(MIXED) + '/', '')}#${f.index}: ${f.message}`);
    expect(bad).toEqual([
      expect.stringMatching(/^garbage\.yaml#0: document 0 is not valid YAML: /),
      'garbage.yaml#1: document 1 is not an object (string)',
      'garbage.yaml#2: document 2 is not an object (a list)',
      'garbage.yaml#3: document 3 has no kind; it is not a Kubernetes object',
      'nested/suppressed.yaml#1: annotation suppress.shipshape.io/SS-K8S-063 needs a reason of at least 10 characters (got "because")',
    ]);
  });

  test('annotation suppressions apply, and a stale one is reported', () => {
    const s = json.findings.find((f: any) => f.ruleId === 'SS-K8S-063' && f.name === 'legacy-settings');
    expect(s.suppressed).toEqual({ reason: 'holds a public test token for the sandbox, not a secret', scope: `${rel(MIXED)}/nested/suppressed.yaml#0` });
    const stale = json.findings.find((f: any) => f.ruleId === 'SS-POLICY-001');
    expect(stale.message).toBe('suppression of SS-K8S-001 matches no finding (reason: stale on purpose)');
  });

  test('files that are not YAML are not read', () => {
    expect(json.findings.some((f: any) => f.file?.endsWith('notes.txt'))).toBe(false);
    expect(result.out).toContain('checked 36 documents (4 more not checked: see SS-POLICY-003) in 4 files\n');
  });

  test('prints the summary grouped by file and document', () => {
    expect(result.out).toContain(`${rel(MIXED)}/bad.yaml [document 0, line 3] (Deployment legacy)`);
    expect(result.out).toContain('  ERROR SS-K8S-001 at spec.template.spec.containers[0].securityContext.privileged: Container runs privileged');
    expect(result.out).toContain('    fix: remove securityContext.privileged (or set it to false)');
    expect(result.out).toContain('  SUPPRESSED SS-K8S-063 at data["sandbox-token"]');
  });

  test('SARIF 2.1.0 with rules and results pointing at files and lines', () => {
    expect(sarif.version).toBe('2.1.0');
    const run0 = sarif.runs[0];
    expect(run0.tool.driver.rules.length).toBeGreaterThanOrEqual(84);
    const r = run0.results.find((x: any) => x.ruleId === 'SS-K8S-001');
    expect(run0.tool.driver.rules[r.ruleIndex].id).toBe('SS-K8S-001');
    expect(r.level).toBe('error');
    expect(r.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: `${rel(MIXED)}/bad.yaml`, uriBaseId: '%SRCROOT%' }, region: { startLine: 3 } });
    expect(r.properties).toMatchObject({ documentIndex: 0, jsonPath: 'spec.template.spec.containers[0].securityContext.privileged' });
    const sup = run0.results.find((x: any) => x.ruleId === 'SS-K8S-063' && x.suppressions);
    expect(sup.suppressions).toEqual([{ kind: 'inSource', justification: 'holds a public test token for the sandbox, not a secret' }]);
  });
});

test('a compliant file exits 0', async () => {
  const r = await run(['check', path.join(MIXED, 'good.yaml')]);
  expect(r.code).toBe(0);
  expect(r.out).toContain('shipshape policy: 0 errors, 0 warnings, 0 suppressed');
});

test('warnings alone exit 0', async () => {
  const dir = tmp();
  const f = path.join(dir, 'svc.yaml');
  fs.writeFileSync(f, 'apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: shop}\nspec: {type: NodePort, ports: [{port: 80}]}\n');
  const r = await run(['check', f]);
  expect(r.out).toContain('WARNING SS-K8S-051');
  expect(r.code).toBe(0);
});

test('a missing path is reported, not thrown, and exits 2 (unreadable input), after checking the rest', async () => {
  const r = await run(['check', 'no/such/file.yaml', path.join(MIXED, 'good.yaml')]);
  expect(r.code).toBe(2);
  expect(r.out).toContain('ERROR SS-POLICY-003: cannot read no/such/file.yaml: no such file or folder (ENOENT)');
  expect(r.out).toContain('checked 31 documents in 1 file\n');
  expect(r.err).toContain('shipshape: 1 input could not be read (see SS-POLICY-003 above); the check is incomplete');
});

test('bad usage exits 2 with the usage text', async () => {
  const none = await run([]);
  expect(none.code).toBe(2);
  expect(none.err).toContain('usage: shipshape check <file|dir|->... [options]');
  const unknown = await run(['lint', 'x']);
  expect(unknown.code).toBe(2);
  expect(unknown.err).toContain('unknown command "lint"');
  const noFile = await run(['check', '--json']);
  expect(noFile.code).toBe(2);
  expect(noFile.err).toContain('shipshape: --json needs a file name');
  const ambiguous = await run(['check', 'x.yaml', '--sarif', '--json', 'r.json']);
  expect(ambiguous.code).toBe(2);
  expect(ambiguous.err).toContain('shipshape: --sarif needs a file name');
  const option = await run(['check', 'x.yaml', '--bogus']);
  expect(option.code).toBe(2);
  expect(option.err).toContain('shipshape: unknown option --bogus');
  expect((await run(['check'])).err).toContain('shipshape: nothing to check: name files or folders, or - for standard input\n');
  const format = await run(['check', 'x.yaml', '--format', 'xml']);
  expect(format).toMatchObject({ code: 2, err: 'shipshape: --format must be text, json or sarif (got "xml")\n' });
  const size = await run(['check', 'x.yaml', '--max-file-size', 'lots']);
  expect(size).toMatchObject({ code: 2, err: 'shipshape: --max-file-size must be a size such as 1048576, 512KiB, 64MiB or 1GiB (got "lots")\n' });
});

test('--help prints the usage with the options and exit codes on stdout and exits 0', async () => {
  for (const argv of [['--help'], ['check', '--help'], ['help'], ['-h']]) {
    const r = await run(argv);
    expect(r.code).toBe(0);
    expect(r.out).toContain('--format text|json|sarif');
    expect(r.out).toContain('--max-file-size SIZE');
    expect(r.out).toMatch(/exit codes:\n  0 .*\n  1 .*\n  2 /);
  }
});

test('reports are byte-identical across runs', async () => {
  const a = tmp();
  const b = tmp();
  await run(['check', MIXED, '--json', path.join(a, 'r.json'), '--sarif', path.join(a, 'r.sarif')]);
  await run(['check', MIXED, '--json', path.join(b, 'r.json'), '--sarif', path.join(b, 'r.sarif')]);
  expect(fs.readFileSync(path.join(a, 'r.json'))).toEqual(fs.readFileSync(path.join(b, 'r.json')));
  expect(fs.readFileSync(path.join(a, 'r.sarif'))).toEqual(fs.readFileSync(path.join(b, 'r.sarif')));
});

test('splitDocuments keeps document indexes, start lines and first content lines', () => {
  expect(splitDocuments('---\na: 1\n---\n---\nb: 2\n')).toEqual([
    { text: 'a: 1', line: 2, contentLine: 2 },
    { text: '', line: 4, contentLine: 4 },
    { text: 'b: 2\n', line: 5, contentLine: 5 },
  ]);
  expect(splitDocuments('a: 1\n')).toEqual([{ text: 'a: 1\n', line: 1, contentLine: 1 }]);
  expect(splitDocuments('# Source: chart/templates/svc.yaml\n\na: 1\n')).toEqual([{ text: '# Source: chart/templates/svc.yaml\n\na: 1\n', line: 1, contentLine: 3 }]);
});

test('kind: List is expanded into its items', async () => {
  const dir = tmp();
  const f = path.join(dir, 'list.yaml');
  fs.writeFileSync(f, 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata: {name: s, namespace: shop}\n  spec: {externalIPs: [1.2.3.4], ports: [{port: 80}]}\n');
  const out = path.join(dir, 'r.json');
  await run(['check', f, '--json', out]);
  const json = JSON.parse(fs.readFileSync(out, 'utf-8'));
  expect(json.findings.find((x: any) => x.ruleId === 'SS-K8S-052').path).toBe(`${f.split(path.sep).join('/')}#0.items[0]`);
});

test('the compiled bin runs the checker and sets the exit code', () => {
  // Compile the policy sources (and what they import) into a scratch out/ next to a copy of bin/shipshape.js.
  const root = path.resolve(__dirname, '..', '..');
  const dir = tmp();
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), path.join(root, 'lib/policy/cli.ts'),
    '--outDir', path.join(dir, 'out'), '--rootDir', path.join(root, 'lib'), '--module', 'commonjs', '--target', 'ES2022',
    '--esModuleInterop', '--skipLibCheck', '--types', 'node'], { stdio: 'pipe' });
  fs.mkdirSync(path.join(dir, 'bin'));
  fs.copyFileSync(path.join(root, 'bin/shipshape'), path.join(dir, 'bin/shipshape'));
  // as in an installed package: package.json at the root, the compiled code in out/
  fs.copyFileSync(path.join(root, 'package.json'), path.join(dir, 'package.json'));
  const env = { ...process.env, NODE_PATH: path.join(root, 'node_modules') };
  const bad = spawnSync(process.execPath, [path.join(dir, 'bin/shipshape'), 'check', path.join(MIXED, 'bad.yaml')], { env, encoding: 'utf-8' });
  expect(bad.stdout).toContain('ERROR SS-K8S-001');
  expect(bad.status).toBe(1);
  const good = spawnSync(process.execPath, [path.join(dir, 'bin/shipshape'), 'check', path.join(MIXED, 'good.yaml')], { env, encoding: 'utf-8' });
  expect(good.status).toBe(0);
  const version = spawnSync(process.execPath, [path.join(dir, 'bin/shipshape'), '--version'], { env, encoding: 'utf-8' });
  expect(version.stdout).toBe(`${JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf-8')).version}\n`);
  expect(version.status).toBe(0);
  const empty = spawnSync(process.execPath, [path.join(dir, 'bin/shipshape'), 'check', path.join(dir, 'bin')], { env, encoding: 'utf-8' });
  expect(empty.status).toBe(2);
}, 120000);

test('an annotation naming an unknown rule is the error synth reports (SS-POLICY-004), placed at its document', async () => {
  const dir = tmp();
  const f = path.join(dir, 'svc.yaml');
  fs.writeFileSync(f, 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  namespace: shop\n  annotations:\n    suppress.shipshape.io/SS-K8S-0051: "NodePort for the on-premise load balancer"\nspec: {type: NodePort, ports: [{port: 80}]}\n');
  const out = path.join(dir, 'r.json');
  const r = await main(['check', f, '--json', out], { out: () => undefined, err: () => undefined });
  expect(r).toBe(1);
  const found = JSON.parse(fs.readFileSync(out, 'utf-8')).findings.find((x: any) => x.ruleId === 'SS-POLICY-004');
  expect(found).toMatchObject({ severity: 'error', file: f.split(path.sep).join('/'), index: 0, line: 1 });
  expect(found.message).toContain('suppression of SS-K8S-0051 at ');
});

test('an annotation suppressing a rule of a team\'s own pack (which runs at synth) is left alone, with a note: synth and check agree', async () => {
  const dir = tmp();
  const f = path.join(dir, 'svc.yaml');
  fs.writeFileSync(f, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: shop\n  labels: {app.kubernetes.io/name: shop}\n  annotations:\n'
    + '    suppress.shipshape.io/ACME-001: "the team label comes from the namespace"\ndata: {level: info}\n');
  let err = '';
  let out = '';
  const r = await main(['check', f], { out: s => { out += s; }, err: s => { err += s; } });
  expect(r).toBe(0);
  expect(out).not.toContain('SS-POLICY-004');
  expect(err).toContain('shipshape: suppression annotations of rules this command does not run were left alone: ACME-001 '
    + '(rules of your own packs run at synth; shipshape check runs the Kubernetes pack, and yours with --pack <module>)');
});

describe('a suppression annotation with a lower-case shipshape id', () => {
  const SVC = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  namespace: shop\n  annotations:\n    suppress.shipshape.io/ss-k8s-051: "lower case id suppression"\nspec: {type: NodePort, ports: [{port: 80}]}\n';

  test('is an unknown shipshape id (SS-POLICY-004, did you mean the id in upper case), not a rule of another pack', async () => {
    const f = path.join(tmp(), 'svc.yaml');
    fs.writeFileSync(f, SVC);
    const out = path.join(path.dirname(f), 'r.json');
    const r = await run(['check', f, '--json', out]);
    expect(r.code).toBe(1);
    expect(r.err).not.toContain('left alone');
    const found = JSON.parse(fs.readFileSync(out, 'utf-8')).findings.find((x: any) => x.ruleId === 'SS-POLICY-004');
    expect(found).toMatchObject({ severity: 'error', file: f.split(path.sep).join('/'), index: 0, line: 1 });
    expect(found.message).toMatch(/^suppression of ss-k8s-051 at .* names a rule that none of the packs that run has \(kubernetes\); did you mean SS-K8S-051\?$/);
  });

  test('synth reports the same error for the same annotation', () => {
    const app = new CdkApp();
    const manifest = yaml.load(SVC);
    const report = checkObjects(app, [{ manifest, path: 'shop/Service-s', chart: 'shop' }], [new KubernetesPack()]);
    const found = report.findings.find(x => x.ruleId === 'SS-POLICY-004');
    expect(found?.message).toMatch(/^suppression of ss-k8s-051 at shop\/Service-s names a rule .*; did you mean SS-K8S-051\?$/);
  });
});
