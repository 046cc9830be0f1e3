// How `shipshape check` reads YAML: directives, the line each document and each List item is placed at, and plain
// scalars read as kubectl reads them (YAML 1.1 booleans, leading-zero octal, dates as strings).
import * as fs from 'fs';
import * as path from 'path';
import { NODE_PORT_SERVICE, removeTempDirsAfterAll, run, tmpDir, writeTree } from './cli-helpers';
import { loadInputs, splitDocuments } from '../../lib/policy/cli';

removeTempDirsAfterAll();

const CONFIG_MAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: shop, labels: {app.kubernetes.io/name: shop}}\ndata: {level: info}\n';

/** Writes `text` as x.yaml in a new folder; returns its path. */
function yamlFile(text: string, name = 'x.yaml'): string {
  return path.join(writeTree(tmpDir(), { [name]: text }), name);
}

/** The JSON report of `shipshape check <file>`, with the exit code. */
async function report(file: string): Promise<{ code: number; json: any; err: string }> {
  const out = path.join(path.dirname(file), 'r.json');
  const r = await run(['check', file, '--json', out]);
  return { code: r.code, json: JSON.parse(fs.readFileSync(out, 'utf-8')), err: r.err };
}

/** The one document a file holds (loaded as the command loads it). */
function onlyDocument(text: string): any {
  const loaded = loadInputs([yamlFile(text)]);
  expect(loaded.bad).toEqual([]);
  expect(loaded.documents).toHaveLength(1);
  return loaded.documents[0].manifest;
}

describe('directives', () => {
  test('a %YAML directive belongs to the document after its ---: the document is checked, and the directive is an error at its line (kubectl refuses the file)', async () => {
    const file = yamlFile(`%YAML 1.2\n---\n${NODE_PORT_SERVICE}`);
    const { code, json } = await report(file);
    expect(json.findings.filter((f: any) => f.ruleId === 'SS-POLICY-003').map((f: any) => [f.index, f.line, f.message])).toEqual([[0, 1,
      'document 0 starts with the directive "%YAML 1.2": kubectl apply refuses the file (it splits the stream at every --- line and parses the directive alone, '
      + 'kubernetes/kubernetes#135998); the document was checked']]);
    expect((await run(['check', file])).out).toContain('fix: remove the %YAML and %TAG lines: Kubernetes tools read YAML 1.1 without them');
    expect(json.findings.filter((f: any) => f.ruleId === 'SS-K8S-051').map((f: any) => [f.name, f.line])).toEqual([['s', 3]]);
    expect(code).toBe(1);
    // without the directive: nothing of the kind
    expect((await report(yamlFile(`---\n${CONFIG_MAP}`))).code).toBe(0);
  });

  test('%TAG directives are read (a tag handle they declare resolves), and the document index and line are the document\'s', async () => {
    const file = yamlFile(`${NODE_PORT_SERVICE}---\n%TAG !k! tag:yaml.org,2002:\n%YAML 1.2\n--- # a comment\n${NODE_PORT_SERVICE.replace('name: s,', 'name: !k!str t,')}`);
    const { json } = await report(file);
    expect(json.findings.filter((f: any) => f.ruleId === 'SS-POLICY-003').map((f: any) => [f.index, f.line])).toEqual([[1, 6]]);
    expect(json.findings.find((f: any) => f.ruleId === 'SS-POLICY-003').message).toContain('starts with the directive "%TAG !k! tag:yaml.org,2002:"');
    expect(json.findings.filter((f: any) => f.ruleId === 'SS-K8S-051').map((f: any) => [f.name, f.index, f.line])).toEqual([['s', 0, 1], ['t', 1, 9]]);
  });

  test('directives after a ... end marker start the next document; a byte order mark and CRLF still read', async () => {
    const text = `\ufeff${CONFIG_MAP}...\n%YAML 1.2\n---\n${NODE_PORT_SERVICE}`.replace(/\n/g, '\r\n');
    const { json } = await report(yamlFile(text));
    expect(json.findings.filter((f: any) => f.ruleId === 'SS-POLICY-003').map((f: any) => [f.index, f.line])).toEqual([[1, 6]]);
    expect(json.findings.find((f: any) => f.ruleId === 'SS-K8S-051')).toMatchObject({ index: 1, line: 8 });
  });

  test('a directive with no --- after it is the parser\'s error, at the document', async () => {
    const { json } = await report(yamlFile(`%YAML 1.2\n${CONFIG_MAP}`));
    const messages = json.findings.filter((f: any) => f.ruleId === 'SS-POLICY-003').map((f: any) => f.message);
    expect(messages).toHaveLength(2);
    expect(messages.find((m: string) => m.includes('directives end mark is expected'))).toBeDefined();
  });

  test('--- and % inside block scalars, and --- in comments, split nothing', async () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: shop, labels: {app.kubernetes.io/name: shop}}\n'
      + 'data:\n  script: |\n    ---\n    %YAML 1.2\n    ...\n# --- not a separator\n';
    const doc = onlyDocument(text);
    expect(doc.data.script).toBe('---\n%YAML 1.2\n...\n');
  });

  test('splitDocuments hands the directives and their --- to the document that follows', () => {
    expect(splitDocuments('# c\n%YAML 1.2\n%TAG ! tag:example.com,2000:\n--- # doc\na: 1\n---\nb: 2\n')).toEqual([
      { text: '# c\n%YAML 1.2\n%TAG ! tag:example.com,2000:\n--- # doc\na: 1', line: 1, contentLine: 5 },
      { text: 'b: 2\n', line: 7, contentLine: 7 },
    ]);
    // `...` ends a document: what follows is another one, which may start with directives
    expect(splitDocuments('a: 1\n...\n%YAML 1.2\n--- {b: 2}\n')).toEqual([
      { text: 'a: 1', line: 1, contentLine: 1 },
      { text: '%YAML 1.2\n--- {b: 2}\n', line: 3, contentLine: 4 },
    ]);
  });
});

describe('a key written twice in one mapping', () => {
  test('is named in the error, at its second line; a nested, a quoted and a prefixed key too', async () => {
    const doc = (body: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: shop\n${body}`;
    const errors = async (text: string) => (await report(yamlFile(text))).json.findings.filter((f: any) => f.ruleId === 'SS-POLICY-003').map((f: any) => `${f.line}: ${f.message}`);
    expect(await errors(doc('data:\n  level: info\n  level: debug\n'))).toEqual(['8: document 0 is not valid YAML: the key "level" appears twice in one mapping (duplicated mapping key)']);
    const text = await run(['check', yamlFile(doc('data:\n  level: info\n  level: debug\n'))]);
    expect(text.out).toContain('    fix: keep one "level" in that mapping (kubectl and the API server refuse the document as it is)\n');
    expect(await errors(doc('  labels:\n    app.kubernetes.io/name: shop\n  "name": other\n'))).toEqual(['8: document 0 is not valid YAML: the key "name" appears twice in one mapping (duplicated mapping key)']);
    expect(await errors(doc('data: {}\ndata:\n  level: info\n'))).toEqual(['7: document 0 is not valid YAML: the key "data" appears twice in one mapping (duplicated mapping key)']);
  });
});

describe('a document that cannot be read and the rules that look for it', () => {
  test('a note says that a finding of a missing object may be about the document not checked', async () => {
    const broken = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: shop\ndata:\n  level: info\n  level: debug\n';
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\n  namespace: shop\nspec:\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0.0\n    envFrom:\n    - configMapRef:\n        name: settings\n';
    const dir = writeTree(tmpDir(), { 'a.yaml': `${broken}---\n${pod}` });
    const r = await run(['check', dir]);
    expect(r.out).toContain('ConfigMap settings');
    expect(r.out).toContain('checked 1 document (1 more not checked: see SS-POLICY-003) in 1 file\n'
      + 'the document not checked is missing to the other rules: a finding that an object is not in the output may be about one of them\n');
    // with the file read, no such note
    const fixed = writeTree(tmpDir(), { 'a.yaml': `${broken.replace('  level: debug\n', '')}---\n${pod}` });
    expect((await run(['check', fixed])).out).not.toContain('missing to the other rules');
  });
});

describe('lines', () => {
  const LIST = [
    '# Source: chart/templates/list.yaml', // 1
    'apiVersion: v1', // 2
    'kind: List', // 3
    'items:', // 4
    '- apiVersion: v1', // 5
    '  kind: Service', // 6
    '  metadata: {name: a, namespace: shop}', // 7
    '  spec: {type: NodePort, ports: [{port: 80}]}', // 8
    '-', // 9
    '  # the second item starts on the next line', // 10
    '  apiVersion: v1', // 11
    '  kind: Service', // 12
    '  metadata: {name: b, namespace: shop}', // 13
    '  spec: {type: NodePort, ports: [{port: 80}]}', // 14
    '- {apiVersion: v1, kind: Service, metadata: {name: c, namespace: shop}, spec: {type: NodePort, ports: [{port: 80}]}}', // 15
    '',
  ].join('\n');

  test('each item of a List is placed at its own line (its "- " line) in text, JSON and SARIF', async () => {
    const file = yamlFile(LIST);
    const { json } = await report(file);
    expect(json.findings.filter((f: any) => f.ruleId === 'SS-K8S-051').map((f: any) => [f.name, f.index, f.line])).toEqual([['a', 0, 5], ['b', 0, 11], ['c', 0, 15]]);
    const sarif = JSON.parse((await run(['check', file, '--format', 'sarif'])).out);
    expect(sarif.runs[0].results.filter((r: any) => r.ruleId === 'SS-K8S-051').map((r: any) => r.locations[0].physicalLocation.region.startLine)).toEqual([5, 11, 15]);
    const text = (await run(['check', file])).out;
    expect(text).toContain('x.yaml [document 0, line 5] (Service a)');
    expect(text).toContain('x.yaml [document 0, line 11] (Service b)');
  });

  test('the items of a List in a JSON file are placed at their lines too', async () => {
    const list = { apiVersion: 'v1', kind: 'List', items: ['a', 'b'].map(n => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: n, namespace: 'shop' }, spec: { type: 'NodePort', ports: [{ port: 80 }] } })) };
    const { json } = await report(yamlFile(JSON.stringify(list, undefined, 2), 'list.json'));
    const lines = json.findings.filter((f: any) => f.ruleId === 'SS-K8S-051').map((f: any) => f.line);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBeGreaterThan(1);
    expect(lines[1]).toBeGreaterThan(lines[0]);
  });

  test('an item that is not an object is reported at its own line', async () => {
    const { json } = await report(yamlFile('apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata: {name: a, namespace: shop}\n- {kind: Service}\n'));
    expect(json.findings.find((f: any) => f.ruleId === 'SS-POLICY-003')).toMatchObject({ line: 7, path: expect.stringMatching(/#0\.items\[1\]$/) });
  });

  test("a document's line is that of its first content, after leading comments and blank lines (helm template's # Source:)", async () => {
    const helm = '---\n# Source: shop/templates/service.yaml\n\n' + NODE_PORT_SERVICE;
    const { json } = await report(yamlFile(helm));
    expect(json.findings.find((f: any) => f.ruleId === 'SS-K8S-051')).toMatchObject({ index: 0, line: 4 });
  });

  test('a JSON document is placed at its first line that is not blank', async () => {
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'shop' }, spec: { type: 'NodePort', ports: [{ port: 80 }] } };
    const { json } = await report(yamlFile(`\n\n${JSON.stringify(svc)}`, 'svc.json'));
    expect(json.findings.find((f: any) => f.ruleId === 'SS-K8S-051')).toMatchObject({ index: 0, line: 3 });
  });
});

describe('plain scalars read as Kubernetes reads them (YAML 1.1, go-yaml)', () => {
  test.each(['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'true', 'True', 'TRUE'])('%s is true', word => {
    expect(onlyDocument(CONFIG_MAP.replace('data: {level: info}', `data: {v: ${word}}`)).data.v).toBe(true);
  });

  test.each(['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF', 'false', 'False', 'FALSE'])('%s is false', word => {
    expect(onlyDocument(CONFIG_MAP.replace('data: {level: info}', `data: {v: ${word}}`)).data.v).toBe(false);
  });

  test('other spellings and quoted words stay strings', () => {
    const doc = onlyDocument(CONFIG_MAP.replace('data: {level: info}', 'data: {a: yEs, b: "yes", c: \'on\', d: oN, e: yes please, f: "0755", g: nO}'));
    expect(doc.data).toEqual({ a: 'yEs', b: 'yes', c: 'on', d: 'oN', e: 'yes please', f: '0755', g: 'nO' });
  });

  test('a leading-zero integer is octal: defaultMode: 0755 is 493; 0644 is 420; 0 and 08 are decimal', () => {
    const doc = onlyDocument(CONFIG_MAP.replace('data: {level: info}', 'data: {a: 0755, b: 0644, c: -010, d: 0, e: 08, f: 0x1F, g: 0o17, h: 1_000, i: 0_755}'));
    expect(doc.data).toEqual({ a: 493, b: 420, c: -8, d: 0, e: 8, f: 31, g: 15, h: 1000, i: 493 });
  });

  test('a date stays a string; null, floats and merge keys read as before', () => {
    const doc = onlyDocument(CONFIG_MAP.replace('data: {level: info}', 'base: &b {x: 1}\ndata: {a: 2024-01-01, b: 2024-01-01T10:00:00Z, c: ~, d: 1.5, e: .inf, f: null}\nmerged: {<<: *b, z: 2}'));
    expect(doc.data).toEqual({ a: '2024-01-01', b: '2024-01-01T10:00:00Z', c: null, d: 1.5, e: Infinity, f: null });
    expect(doc.merged).toEqual({ x: 1, z: 2 });
  });

  test('a YAML 1.1 boolean as a key is the key "true" or "false", as the API gets it', () => {
    expect(onlyDocument(CONFIG_MAP.replace('data: {level: info}', 'data: {on: a, "no": b}')).data).toEqual({ true: 'a', no: 'b' });
  });

  test('labels: { enabled: yes } is a bool label value, which the API refuses: SS-K8S-068 reports it', async () => {
    const { code, json } = await report(yamlFile(NODE_PORT_SERVICE.replace('metadata: {name: s, namespace: shop}', 'metadata: {name: s, namespace: shop, labels: {enabled: yes, quoted: "yes"}}')));
    const found = json.findings.filter((f: any) => f.ruleId === 'SS-K8S-068');
    expect(found.map((f: any) => [f.jsonPath, f.message])).toEqual([['metadata.labels["enabled"]', 'Label enabled has a value that is not a string (boolean true): quote it in YAML']]);
    expect(code).toBe(1);
  });
});

describe('bytes that are not UTF-8', () => {
  /** Writes `bytes` as x.yaml in a new folder; returns its path. */
  function bytesFile(bytes: Buffer): string {
    const file = path.join(tmpDir(), 'x.yaml');
    fs.writeFileSync(file, bytes);
    return file;
  }

  test('a Latin-1 byte is an SS-POLICY-003 error at its line and document: kubectl refuses the file', () => {
    const second = Buffer.concat([Buffer.from('---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: greeting, namespace: shop}\ndata:\n  text: "gr'),
      Buffer.from([0xfc]), Buffer.from('n"\n')]);
    const file = bytesFile(Buffer.concat([Buffer.from(CONFIG_MAP), second]));
    const loaded = loadInputs([file]);
    expect(loaded.bad.map(f => `${f.ruleId} ${f.path} line ${f.line}: ${f.message} | ${f.fix}`)).toEqual([
      `SS-POLICY-003 ${file.replace(/\\/g, '/')}#1 line 10: ${file.replace(/\\/g, '/')} line 10 holds the byte 0xfc, which is not UTF-8: kubectl apply refuses the file `
      + '(its YAML reader accepts UTF-8 only: "invalid leading UTF-8 octet"); the text was checked with such bytes read as U+FFFD | save the file as UTF-8 (from Latin-1: iconv -f latin1 -t utf-8 file.yaml)',
    ]);
    // the documents are still checked
    expect(loaded.documents.map(d => d.name)).toEqual(['settings', 'greeting']);
  });

  test('UTF-8 text (umlauts, emoji, an encoded U+FFFD) and a character cut by the 1 MiB read are read without a finding', () => {
    const text = `${CONFIG_MAP}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: greeting, namespace: shop}\ndata:\n  text: "grüß gott 🚀 \uFFFD"\n`;
    expect(loadInputs([bytesFile(Buffer.from(text))]).bad).toEqual([]);
    // a long comment puts the four bytes of the emoji across the first chunk's end
    const head = Buffer.from(`# ${'x'.repeat(1024 * 1024 - 4)}`);
    const cut = Buffer.concat([head, Buffer.from('🚀\n'), Buffer.from(CONFIG_MAP)]);
    expect(cut.indexOf(Buffer.from('🚀'))).toBe(1024 * 1024 - 2);
    const loaded = loadInputs([bytesFile(cut)]);
    expect(loaded.bad).toEqual([]);
    expect(loaded.documents.map(d => d.name)).toEqual(['settings']);
  });

  test('a file that ends within a character is not UTF-8 either', () => {
    const loaded = loadInputs([bytesFile(Buffer.concat([Buffer.from(`${CONFIG_MAP}# caf`), Buffer.from([0xc3])]))]);
    expect(loaded.bad.map(f => `${f.line}: ${f.message.split(':')[0]}`)).toEqual([`5: ${loaded.bad[0].file} line 5 holds the byte 0xc3, which is not UTF-8`]);
  });
});
