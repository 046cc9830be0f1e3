// `shipshape check` on hostile or odd input: special files, size limits, deep nesting, Helm templates, empty input,
// shipshape's own reports, symlinks. One test per behaviour and message.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { NODE_PORT_SERVICE, removeTempDirsAfterAll, run, tmpDir, writeTree } from './cli-helpers';
import { MAX_NESTING, nestingDepth, parseSize, splitDocuments } from '../../lib/policy/cli';
import { PolicyReport } from '../../lib/policy/report';

removeTempDirsAfterAll();

const slash = (p: string) => p.split(path.sep).join('/');
const posix = process.platform !== 'win32';

describe('special files', () => {
  (posix ? test : test.skip)('a FIFO in a scanned folder is skipped with a note, never opened (no hang)', async () => {
    const dir = writeTree(tmpDir(), { 'svc.yaml': NODE_PORT_SERVICE });
    execFileSync('mkfifo', [path.join(dir, 'pipe.yaml')]);
    const r = await run(['check', dir]);
    expect(r.code).toBe(0);
    expect(r.err).toBe(`shipshape: skipped ${slash(dir)}/pipe.yaml: a FIFO (named pipe); only regular files are read\n`);
    expect(r.out).toContain('checked 1 document in 1 file; skipped 1 entry that is not a regular file or folder\n');
  });

  (posix ? test : test.skip)('a FIFO named on the command line is an error: exit 2, never opened', async () => {
    const dir = tmpDir();
    const fifo = path.join(dir, 'pipe.yaml');
    execFileSync('mkfifo', [fifo]);
    const r = await run(['check', fifo]);
    expect(r.code).toBe(2);
    expect(r.out).toContain(`ERROR SS-POLICY-003: ${slash(fifo)} is a FIFO (named pipe), not a file or folder: only regular files and folders are checked; `
      + 'to check what a command prints, pipe it in and name - (standard input): helm template <chart> | shipshape check -\n');
    expect(r.out).toContain('fix: name regular files or folders that exist and can be read');
  });

  (fs.existsSync('/dev/zero') ? test : test.skip)('/dev/zero named on the command line: exit 2 with a clear message, nothing read', async () => {
    const r = await run(['check', '/dev/zero']);
    expect(r.code).toBe(2);
    // a device is no stream to pipe: no hint at -
    expect(r.out).toContain('ERROR SS-POLICY-003: /dev/zero is a character device, not a file or folder: only regular files and folders are checked\n');
    expect(r.err).toContain('shipshape: 1 input could not be read (see SS-POLICY-003 above); the check is incomplete');
  });

  (posix ? test : test.skip)('a symlink to a device in a folder is skipped; a symlink to a regular file is followed', async () => {
    const dir = writeTree(tmpDir(), { 'real/svc.yaml': NODE_PORT_SERVICE });
    const scan = path.join(dir, 'scan');
    fs.mkdirSync(scan);
    fs.symlinkSync('/dev/zero', path.join(scan, 'zero.yaml'));
    fs.symlinkSync(path.join(dir, 'real', 'svc.yaml'), path.join(scan, 'linked.yaml'));
    const r = await run(['check', scan]);
    expect(r.code).toBe(0);
    expect(r.err).toBe(`shipshape: skipped ${slash(scan)}/zero.yaml: a character device; only regular files are read\n`);
    expect(r.out).toContain(`${slash(scan)}/linked.yaml [document 0, line 1] (Service s)`);
  });

  (posix ? test : test.skip)('symlink loops are cut with a note; a folder reached twice is read once', async () => {
    const dir = writeTree(tmpDir(), { 'a/svc.yaml': NODE_PORT_SERVICE });
    fs.symlinkSync(path.join(dir, 'a'), path.join(dir, 'a', 'loop')); // a/loop -> a
    fs.symlinkSync(path.join(dir, 'a'), path.join(dir, 'again')); // again -> a (not a loop, a second way in)
    fs.symlinkSync('self.yaml', path.join(dir, 'a', 'self.yaml')); // a link to itself
    const r = await run(['check', dir]);
    expect(r.code).toBe(0);
    expect(r.err).toContain(`shipshape: skipped ${slash(dir)}/a/loop: a symlink loop (it leads back to a folder above it)\n`);
    expect(r.err).toContain(`shipshape: skipped ${slash(dir)}/a/self.yaml: a symlink loop\n`);
    expect(r.out).toContain('checked 1 document in 1 file');
  });

  (posix ? test : test.skip)('a broken symlink named on the command line is unreadable input (exit 2) that names the missing target', async () => {
    const dir = tmpDir();
    fs.symlinkSync(path.join(dir, 'missing.yaml'), path.join(dir, 'broken.yaml'));
    const r = await run(['check', path.join(dir, 'broken.yaml')]);
    expect(r.code).toBe(2);
    expect(r.out).toContain(`ERROR SS-POLICY-003: cannot read ${slash(dir)}/broken.yaml: a symlink to ${slash(dir)}/missing.yaml, which does not exist (a broken link)\n`);
    // a relative target is named as written, and where it points
    fs.mkdirSync(path.join(dir, 't'));
    fs.symlinkSync('missing.yaml', path.join(dir, 't', 'rel.yaml'));
    const relative = await run(['check', path.join(dir, 't', 'rel.yaml')]);
    expect(relative.out).toContain(`cannot read ${slash(dir)}/t/rel.yaml: a symlink to missing.yaml (${slash(dir)}/t/missing.yaml), which does not exist (a broken link)\n`);
    // a chain of links names the path that is missing
    fs.symlinkSync('broken.yaml', path.join(dir, 'chain.yaml'));
    const chain = await run(['check', path.join(dir, 'chain.yaml')]);
    expect(chain.out).toContain(`cannot read ${slash(dir)}/chain.yaml: a symlink to broken.yaml (${slash(dir)}/broken.yaml), a link that leads to ${slash(dir)}/missing.yaml, which does not exist (a broken link)\n`);
    // a missing path that is no link is said as before
    expect((await run(['check', path.join(dir, 'none.yaml')])).out).toContain(`cannot read ${slash(dir)}/none.yaml: no such file or folder (ENOENT)`);
  });

  (posix ? test : test.skip)('a broken symlink found in a folder is skipped with a note naming its target', async () => {
    const dir = writeTree(tmpDir(), { 'svc.yaml': NODE_PORT_SERVICE });
    fs.symlinkSync(path.join(dir, 'gone.yaml'), path.join(dir, 'broken.yaml'));
    const r = await run(['check', dir]);
    expect(r.code).toBe(0);
    expect(r.err).toBe(`shipshape: skipped ${slash(dir)}/broken.yaml: a symlink to ${slash(dir)}/gone.yaml, which does not exist (a broken link)\n`);
    expect(r.out).toContain('checked 1 document in 1 file; skipped 1 entry that is not a regular file or folder\n');
  });
});

describe('size limit', () => {
  test('a file over --max-file-size is refused with its name, size and the limit; exit 2', async () => {
    const dir = writeTree(tmpDir(), { 'big.yaml': NODE_PORT_SERVICE + '# ' + 'x'.repeat(2000) + '\n', 'small.yaml': NODE_PORT_SERVICE });
    const big = slash(path.join(dir, 'big.yaml'));
    const size = fs.statSync(path.join(dir, 'big.yaml')).size;
    const r = await run(['check', dir, '--max-file-size', '1KiB']);
    expect(r.code).toBe(2);
    expect(r.out).toContain(`ERROR SS-POLICY-003: ${big} is 2.1 KiB (${size} bytes), over the limit of 1 KiB (1024 bytes) per file; split it, or raise the limit with --max-file-size`);
    expect(r.out).toContain('fix: split the file, or raise the limit with --max-file-size');
    // the other file is still checked
    expect(r.out).toContain('WARNING SS-K8S-051');
  });

  test('sizes under 1 KiB are said once, in bytes', async () => {
    const dir = writeTree(tmpDir(), { 'cm.yaml': NODE_PORT_SERVICE });
    const file = slash(path.join(dir, 'cm.yaml'));
    const size = fs.statSync(path.join(dir, 'cm.yaml')).size;
    const r = await run(['check', file, '--max-file-size', '10']);
    expect(r.code).toBe(2);
    expect(r.out).toContain(`ERROR SS-POLICY-003: ${file} is ${size} bytes, over the limit of 10 bytes per file; split it, or raise the limit with --max-file-size`);
  });

  test('the default limit is 64 MiB; sizes take binary (Ki, Mi, Gi) and decimal (k, M, G) units', () => {
    expect(parseSize('64MiB')).toBe(64 * 1024 * 1024);
    expect(parseSize('64Mi')).toBe(64 * 1024 * 1024);
    expect(parseSize('512k')).toBe(512 * 1000);
    expect(parseSize('60MB')).toBe(60 * 1000 * 1000);
    expect(parseSize('1G')).toBe(1000 ** 3);
    expect(parseSize('1.5 GiB')).toBe(1.5 * 1024 ** 3);
    expect(parseSize('2048')).toBe(2048);
    expect(parseSize('0')).toBeUndefined();
    expect(parseSize('ten')).toBeUndefined();
    expect(parseSize('5 parsecs')).toBeUndefined();
  });
});

describe('deep nesting', () => {
  const DEPTH = 10_000;

  test('10,000-level nested YAML gives a clean per-document error, and the next document is still checked', async () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep, namespace: shop}\nextra: ' + '['.repeat(DEPTH) + ']'.repeat(DEPTH) + '\n---\n' + NODE_PORT_SERVICE;
    const file = path.join(writeTree(tmpDir(), { 'deep.yaml': text }), 'deep.yaml');
    const r = await run(['check', file]);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`ERROR SS-POLICY-003: document 0 has nesting deeper than ${MAX_NESTING} levels (the parser ran out of stack); it is not checked`);
    expect(r.out).toContain('WARNING SS-K8S-051');
    expect(r.out).not.toContain('Maximum call stack');
  });

  test('10,000-level nested JSON (which parses) is refused before any rule sees it', async () => {
    let inner = '{}';
    for (let i = 0; i < DEPTH; i++) inner = `{"a":${inner}}`;
    const text = `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep","namespace":"shop"},"data":{"x":"y"},"extra":${inner}}`;
    const file = path.join(writeTree(tmpDir(), { 'deep.json': text }), 'deep.json');
    const r = await run(['check', file]);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`ERROR SS-POLICY-003: document 0 has nesting deeper than ${MAX_NESTING} levels; it is not checked`);
    expect(r.out).toContain('checked 0 documents (1 more not checked: see SS-POLICY-003) in 1 file');
  });

  test('nesting within the limit is checked as usual', async () => {
    let block = 'apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: shop}\nspec: {type: NodePort, ports: [{port: 80}]}\nx:\n';
    for (let i = 1; i < MAX_NESTING - 2; i++) block += ' '.repeat(i) + 'k:\n';
    const file = path.join(writeTree(tmpDir(), { 'ok.yaml': block }), 'ok.yaml');
    const r = await run(['check', file]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('WARNING SS-K8S-051');
  });

  test('nestingDepth counts without recursion and stops past the limit', () => {
    expect(nestingDepth({ a: [{ b: 1 }] }, 10)).toBe(3);
    expect(nestingDepth('x', 10)).toBe(0);
    let deep: any = {};
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    expect(nestingDepth(deep, 50)).toBe(51);
  });
});

describe('Helm templates', () => {
  test('a document with {{ }} that fails to parse gets the helm template hint and fix', async () => {
    const file = path.join(writeTree(tmpDir(), {
      'deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ include "app.fullname" . }}\n  labels:\n    {{- include "app.labels" . | nindent 4 }}\n',
    }), 'deployment.yaml');
    const r = await run(['check', file]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/ERROR SS-POLICY-003: document 0 is not valid YAML: .*; it looks like a Helm template \(\{\{ \.\.\. \}\}\): run `helm template` first and check the rendered output/);
    expect(r.out).toContain('fix: render the chart with `helm template` and check the rendered manifests');
  });

  test('a template that parses as YAML ({{ }} as the name or namespace, quoted or not) is reported, not checked as an object', async () => {
    const dir = writeTree(tmpDir(), {
      'svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n  namespace: shop\nspec: {type: NodePort, ports: [{port: 80}]}\n',
      'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: "{{ .Release.Namespace }}"\n',
    });
    const r = await run(['check', dir]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('ERROR SS-POLICY-003: document 0 has a mapping as metadata.name (what YAML reads an unquoted {{ ... }} as), not a Kubernetes name; it looks like a Helm template ({{ ... }}): run `helm template` first');
    expect(r.out).toContain('ERROR SS-POLICY-003: document 0 has metadata.namespace "{{ .Release.Namespace }}", not a Kubernetes name; it looks like a Helm template');
    // the documents are not checked as objects: no finding about the NodePort nor the namespace
    expect(r.out).not.toContain('SS-K8S-051');
    expect(r.out).not.toContain('SS-K8S-065');
  });

  test('{{ }} elsewhere (an alerting rule\'s text) is data, not a template', async () => {
    const file = path.join(writeTree(tmpDir(), {
      'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: alerts\n  namespace: shop\ndata:\n  summary: "{{ $labels.instance }} is down"\n',
    }), 'cm.yaml');
    const r = await run(['check', file]);
    expect(r.out).not.toContain('Helm');
    expect(r.out).not.toContain('SS-POLICY-003');
  });

  test('a YAML error without {{ gets no helm hint', async () => {
    const file = path.join(writeTree(tmpDir(), { 'bad.yaml': 'apiVersion: v1\nkind: [\n' }), 'bad.yaml');
    const r = await run(['check', file]);
    expect(r.out).toContain('document 0 is not valid YAML: ');
    expect(r.out).not.toContain('Helm');
  });
});

describe('no Kubernetes documents', () => {
  test('an empty folder exits 2 with a message', async () => {
    const dir = writeTree(tmpDir(), { 'notes.txt': 'not yaml' });
    const r = await run(['check', dir]);
    expect(r).toEqual({ code: 2, out: '', err: `shipshape: no Kubernetes documents found: ${dir} holds no .yaml, .yml or .json file\n` });
  });

  test.each([
    ['an empty file', ''],
    ['a file holding only ---', '---\n'],
    ['a file holding only separators and comments', '# generated\n---\n# nothing here\n---\n...\n'],
  ])('%s exits 2 with a message', async (_what, text) => {
    const file = path.join(writeTree(tmpDir(), { 'x.yaml': text }), 'x.yaml');
    const r = await run(['check', file]);
    expect(r).toEqual({ code: 2, out: '', err: `shipshape: no Kubernetes documents found: the file read (${slash(file)}) is empty or holds only comments and --- separators\n` });
  });

  test('an empty JSON file exits 2 too', async () => {
    const dir = writeTree(tmpDir(), { 'a.json': '  \n', 'b.yaml': '' });
    const r = await run(['check', dir]);
    const [a, b] = ['a.json', 'b.yaml'].map(f => slash(path.join(dir, f)));
    expect(r).toEqual({ code: 2, out: '', err: `shipshape: no Kubernetes documents found: the 2 files read (${a}, ${b}) are empty or hold only comments and --- separators\n` });
  });

  test('an empty file and an empty folder: the message names both', async () => {
    const root = writeTree(tmpDir(), { 'only.yaml': '', 'empty/notes.txt': 'not yaml' });
    const [file, folder] = ['only.yaml', 'empty'].map(f => slash(path.join(root, f)));
    const r = await run(['check', file, folder]);
    expect(r).toEqual({
      code: 2,
      out: '',
      err: `shipshape: no Kubernetes documents found: the file read (${file}) is empty or holds only comments and --- separators; ${folder} holds no .yaml, .yml or .json file\n`,
    });
  });

  test('a folder named on the command line that holds nothing to check is noted when other inputs are checked', async () => {
    const root = writeTree(tmpDir(), { 'svc.yaml': NODE_PORT_SERVICE, 'empty/notes.txt': 'not yaml' });
    const folder = slash(path.join(root, 'empty'));
    const r = await run(['check', path.join(root, 'svc.yaml'), folder]);
    expect(r.code).toBe(0);
    expect(r.err).toContain(`shipshape: ${folder} holds no .yaml, .yml or .json file\n`);
    expect(r.out).toContain('WARNING SS-K8S-051');
  });

  test('more than five files: the message names five and says there are more', async () => {
    const names = ['a', 'b', 'c', 'd', 'e', 'f'].map(n => `${n}.yaml`);
    const dir = writeTree(tmpDir(), Object.fromEntries(names.map(n => [n, ''])));
    const r = await run(['check', dir]);
    const shown = names.slice(0, 5).map(n => slash(path.join(dir, n))).join(', ');
    expect(r.err).toBe(`shipshape: no Kubernetes documents found: the 6 files read (${shown}, ...) are empty or hold only comments and --- separators\n`);
  });

  test('a file whose only document is not a Kubernetes object exits 1 with the finding (not 2)', async () => {
    const file = path.join(writeTree(tmpDir(), { 'x.yaml': 'hello: world\n' }), 'x.yaml');
    const r = await run(['check', file]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('document 0 has no kind; it is not a Kubernetes object');
  });
});

describe("shipshape's own files", () => {
  function report(): string {
    return JSON.stringify(PolicyReport._create([], []).toJson(), undefined, 2) + '\n';
  }

  test('an app output folder: every file in .shipshape/ (record, reports) and JSON policy reports are skipped and counted', async () => {
    const dir = writeTree(tmpDir(), {
      'shop.k8s.yaml': NODE_PORT_SERVICE,
      '.shipshape/output.json': '{"format":"shipshape-output/v1","files":["shop.k8s.yaml"]}\n',
      '.shipshape/policy-report.json': report(),
      '.shipshape/policy-report.sarif': '{}\n',
      'policy-report.json': report(), // written next to the output by an older shipshape
      'web.policy-report.failed.json': report(),
    });
    const r = await run(['check', dir]);
    expect(r.code).toBe(0);
    // the record output.json, the JSON and the SARIF report in .shipshape/; the two JSON reports beside the output
    expect(r.out).toContain("checked 1 document in 1 file; skipped 5 files of shipshape's own (3 in .shipshape/, 2 JSON policy reports)\n");
    expect(r.out).not.toContain('SS-POLICY-003');
  });

  test('a JSON report of shipshape under another name (--json policy.json into a checked folder) is skipped too', async () => {
    const dir = writeTree(tmpDir(), { 'shop.k8s.yaml': NODE_PORT_SERVICE, 'policy.json': report(), 'reports/latest.json': report() });
    const r = await run(['check', dir]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("checked 1 document in 1 file; skipped 2 files of shipshape's own (JSON policy reports)\n");
    expect(r.out).not.toContain('SS-POLICY-003');
  });

  test('a file named policy-report.json that is not a shipshape report is checked', async () => {
    const dir = writeTree(tmpDir(), { 'policy-report.json': JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'shop' }, spec: { type: 'NodePort', ports: [{ port: 80 }] } }) });
    const r = await run(['check', dir]);
    expect(r.out).toContain('WARNING SS-K8S-051');
    expect(r.out).toContain('checked 1 document in 1 file\n');
  });

  test("only shipshape's own files: nothing to check, exit 2, and the message says what was skipped", async () => {
    const dir = writeTree(tmpDir(), { '.shipshape/policy-report.json': report() });
    const r = await run(['check', path.join(dir, '.shipshape', 'policy-report.json')]);
    expect(r.code).toBe(2);
    expect(r.err).toBe("shipshape: no Kubernetes documents found: nothing was read; skipped 1 file of shipshape's own (in .shipshape/)\n");
  });

  test('the records of a fleet and of its clusters, staging files and any other file in .shipshape/ are counted, whatever their names', async () => {
    const dir = writeTree(tmpDir(), {
      '.shipshape/fleet.json': '{"format":"shipshape-fleet/v1","folders":["prod"]}\n',
      'prod/app.k8s.yaml': NODE_PORT_SERVICE,
      'prod/.shipshape/output.json': '{"format":"shipshape-output/v1","files":["app.k8s.yaml"]}\n',
      'prod/.shipshape/policy-report.sarif': '{}\n',
      'prod/.shipshape/staging-1/commit.json': '{"format":"shipshape-commit/v1"}\n',
      'prod/.shipshape/staging-1/app.k8s.yaml': NODE_PORT_SERVICE,
      'prod/.shipshape/policy-report.json.123.tmp': '{',
    });
    const r = await run(['check', dir]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("checked 1 document in 1 file; skipped 6 files of shipshape's own (in .shipshape/)\n");
  });

  test('a .shipshape/ folder named on the command line is skipped, its record included (not read as a manifest)', async () => {
    const dir = writeTree(tmpDir(), {
      'shop.k8s.yaml': NODE_PORT_SERVICE,
      '.shipshape/output.json': '{"format":"shipshape-output/v1","files":["shop.k8s.yaml"]}\n',
      '.shipshape/policy-report.json': report(),
    });
    const alone = await run(['check', path.join(dir, '.shipshape')]);
    expect(alone.code).toBe(2);
    expect(alone.out).toBe('');
    expect(alone.err).toBe("shipshape: no Kubernetes documents found: nothing was read; skipped 2 files of shipshape's own (in .shipshape/)\n");
    const both = await run(['check', path.join(dir, 'shop.k8s.yaml'), path.join(dir, '.shipshape')]);
    expect(both.code).toBe(0);
    expect(both.out).not.toContain('SS-POLICY-003');
    expect(both.out).toContain("checked 1 document in 1 file; skipped 2 files of shipshape's own (in .shipshape/)\n");
  });

  test('one JSON policy report named on the command line, beside a .shipshape/ file', async () => {
    const dir = writeTree(tmpDir(), { 'policy.json': report(), '.shipshape/output.json': '{}\n' });
    const r = await run(['check', path.join(dir, 'policy.json'), path.join(dir, '.shipshape', 'output.json')]);
    expect(r.code).toBe(2);
    expect(r.err).toBe("shipshape: no Kubernetes documents found: nothing was read; skipped 2 files of shipshape's own (1 in .shipshape/, 1 JSON policy report)\n");
    const one = await run(['check', path.join(dir, 'policy.json')]);
    expect(one.err).toBe("shipshape: no Kubernetes documents found: nothing was read; skipped 1 file of shipshape's own (a JSON policy report)\n");
  });
});

describe('reading', () => {
  test('documents keep their index and start line; CRLF and a byte order mark are read', async () => {
    const text = '\ufeff# header\r\n---\r\n' + NODE_PORT_SERVICE.replace(/\n/g, '\r\n') + '---\r\n---\r\n' + NODE_PORT_SERVICE.replace(/name: s,/, 'name: t,');
    const dir = writeTree(tmpDir(), { 'x.yaml': text });
    const json = path.join(dir, 'r.json');
    await run(['check', path.join(dir, 'x.yaml'), '--json', json]);
    const found = JSON.parse(fs.readFileSync(json, 'utf-8')).findings.filter((f: any) => f.ruleId === 'SS-K8S-051').map((f: any) => [f.name, f.index, f.line]);
    expect(found).toEqual([['s', 0, 3], ['t', 2, 9]]);
  });

  test('an unquoted date stays a string (Kubernetes YAML has no timestamp type)', async () => {
    const dir = writeTree(tmpDir(), { 'x.yaml': NODE_PORT_SERVICE.replace('metadata: {name: s, namespace: shop}', 'metadata: {name: s, namespace: shop, labels: {since: 2024-01-01}}') });
    const r = await run(['check', path.join(dir, 'x.yaml')]);
    expect(r.out).not.toContain('SS-K8S-068'); // valid label value
  });

  test('splitDocuments and the streaming reader agree', () => {
    expect(splitDocuments('a: 1\n--- # c\n---\nb: 2\n...\n--- {c: 3}\n')).toEqual([
      { text: 'a: 1', line: 1, contentLine: 1 },
      { text: '', line: 3, contentLine: 3 },
      { text: 'b: 2', line: 4, contentLine: 4 },
      { text: '{c: 3}\n', line: 6, contentLine: 6 }, // content on the --- line: the document starts there
    ]);
  });
});

describe('pod templates in kinds the pack does not know', () => {
  const rollout = (name: string, apiVersion = 'argoproj.io/v1alpha1') => `apiVersion: ${apiVersion}\nkind: Rollout\nmetadata:\n  name: ${name}\n  namespace: shop\n`
    + 'spec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n'
    + '    spec:\n      containers: [{name: web, image: "nginx:latest", securityContext: {privileged: true}}]\n';

  test('an Argo Rollout is named on stderr: its pods were not checked, and a clean result does not say they were', async () => {
    const dir = writeTree(tmpDir(), { 'r.yaml': rollout('web') });
    const r = await run(['check', path.join(dir, 'r.yaml')]);
    expect(r.code).toBe(0);
    expect(r.err).toContain('shipshape: a document holds a pod template in a kind the Kubernetes pack does not know (Rollout (argoproj.io/v1alpha1): shop/web): '
      + 'the pod rules (security context, resources, probes, images...) did not check its pods; check the pod spec as a kind the pack reads '
      + '(a Deployment or Pod holding the same template), or with a rule pack of your own (--pack)');
  });

  test('several are counted by kind, the first three named; a CronJob-shaped template counts; a kind without a pod template, or a known kind, is not named', async () => {
    const scaledJob = 'apiVersion: keda.sh/v1alpha1\nkind: ScaledJob\nmetadata: {name: q}\nspec:\n  jobTargetRef:\n    template:\n      spec:\n        containers: [{name: q, image: busybox}]\n';
    const cronLike = 'apiVersion: example.com/v1\nkind: Nightly\nmetadata: {name: nightly}\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers: [{name: n, image: busybox}]\n';
    const dir = writeTree(tmpDir(), { 'r.yaml': ['a', 'b', 'c', 'd'].map(n => rollout(n)).join('---\n') + '---\n' + cronLike + '---\n' + scaledJob + '---\n' + NODE_PORT_SERVICE });
    const r = await run(['check', path.join(dir, 'r.yaml')]);
    expect(r.err).toContain('shipshape: 5 documents hold a pod template in a kind the Kubernetes pack does not know '
      + '(Rollout (argoproj.io/v1alpha1): shop/a, shop/b, shop/c, and 1 more; Nightly (example.com/v1): nightly): the pod rules (security context, resources, probes, images...) did not check their pods;');
    expect(r.err).not.toContain('ScaledJob');
    const known = await run(['check', path.join(writeTree(tmpDir(), { 'd.yaml': NODE_PORT_SERVICE }), 'd.yaml')]);
    expect(known.err).not.toContain('pod template');
  });
});
