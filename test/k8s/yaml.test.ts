import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { isDeepStrictEqual } from 'util';
import { Yaml } from 'cdk8s';
import * as YAML from 'yaml';
import { _isYamlHazard, _toYaml, _toYamlStream, _toYamlWithJsYaml, _writeYamlFile, _YamlFileWriter } from '../../lib/k8s/yaml';

/** Parses a YAML stream with the `yaml` package as YAML 1.2 (default) or 1.1; a parse error fails. */
function parse(text: string, version: '1.1' | '1.2'): any[] {
  return YAML.parseAllDocuments(text, { version }).map(d => {
    if (d.errors.length > 0) throw new Error(`YAML ${version} parse error: ${d.errors[0].message}\n${text}`);
    return d.toJS();
  });
}

/** Every document written by `write` parses back, as YAML 1.2 and as YAML 1.1, to a deep-equal object. */
function roundTripProblems(docs: any[], write: (doc: any) => string): string[] {
  const problems: string[] = [];
  for (const doc of docs) {
    const text = write(doc);
    for (const version of ['1.2', '1.1'] as const) {
      const back = parse(text, version);
      if (back.length !== 1 || !isDeepStrictEqual(back[0], doc)) {
        problems.push(`YAML ${version}: ${JSON.stringify(doc)} was written as\n${text}and read back as ${JSON.stringify(back)}`);
      }
    }
  }
  return problems;
}

/** The strings the issue names, and more of the same families. */
const TRICKY = [
  'yes', 'no', 'on', 'off', 'y', 'n', 'Y', 'N', 'Yes', 'NO', 'On', 'OFF', 'true', 'False', 'TRUE',
  '~', 'null', 'Null', 'NULL', '',
  '0x10', '0xFF', '010', '0777', '08', '0o17', '0b101', '1_000', '+12', '-12', '1', '0', '-0',
  '1e3', '1E3', '1e-3', '.5', '+.5', '1.', '1.0', '.', '._', 'E7', 'e-9', '1_', '909_',
  '.inf', '-.inf', '+.inf', '.Inf', '.nan', '.NaN',
  '12:30', '1:2:3', '190:20:30.15', '-1:30',
  '2001-12-14', '2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43.10 -5',
  '<<', '=',
  ': ', 'a: b', 'a:', ':a', 'a #b', '#x', 'a#b', ' #',
  ' lead', 'trail ', '  both  ', ' ',
  '-', '--', '---', '--- x', '...', '- a', '-a', '--port=8080', '?', '? x', '?x',
  '*', '*x', '&', '&x', '!', '!x', '!!str', '%', '%x', '@', '@x', '`', '`x`', '|', '|x', '>', '>x',
  "'", "'x'", '"', '"x"', '{', '{a}', '[', '[a]', ']', '}', ',', 'a,b', 'a, b', '[a, b]',
  'http://example.com/a?b=c#d', 'registry.example.com/shop/api:1.4.2', '25%', '100m', '1Gi', '0.5',
  'é', 'ünïcödé', '日本語', 'emoji 😀', '\u00a0nbsp', 'zero\u200bwidth', '\u2028', 'a\u2029b', '\ufeffbom',
  '\u0085nel', '\u007f', '\u0000', 'bell\u0007', 'tab\tin', '\ttab', 'cr\rlf', '\\', 'back\\slash',
  'multi\nline', 'multi\nline\n', 'multi\nline\n\n', '\nleading newline', '  indented\nfirst', 'x\n  indented\n',
  'a\n \nb', 'a\n ', 'a\n  ', 'trailing spaces  \nnext', 'a\n\n\nb', '\n', '\n\n', ' 7,\n ', 'key: value\nother: 1\n',
  '#!/bin/sh\nset -eu\necho "$HOME"\n', '- item\n- item\n', '---\nkind: X\n', '...\n', 'x'.repeat(300), 'long '.repeat(100),
];

/* eslint-disable no-bitwise -- a 32-bit integer PRNG */
/** A deterministic pseudo-random generator (mulberry32), so the corpus is the same on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
/* eslint-enable no-bitwise */

/** Short strings from an alphabet rich in YAML indicators, number and boolean pieces, whitespace and unicode. */
function generated(count: number, seed: number): string[] {
  const alphabet = Array.from('0179._:+-eExobafnNiI~ysTtZ=<') // number/bool/null material first
    .concat(Array.from(' #\n\'"|>!&*%@`{[,?\t\r'), ['é', '\u2028', '\u0085', '😀']);
  const rnd = random(seed);
  const out = new Set<string>();
  while (out.size < count) {
    const n = 1 + Math.floor(rnd() * 8);
    let s = '';
    for (let k = 0; k < n; k++) s += alphabet[Math.floor(rnd() * (k < 2 ? 29 : alphabet.length))];
    out.add(s);
  }
  return [...out];
}

/** Puts each string as a key, a map value, a list item, a nested list item and a value in a map in a list. */
function documents(strings: string[], perDocument = 1): any[] {
  const docs: any[] = [];
  for (let i = 0; i < strings.length; i += perDocument) {
    const group = strings.slice(i, i + perDocument);
    docs.push({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x', annotations: Object.fromEntries(group.map(s => [s, s])) },
      data: { list: group, nested: group.map(s => [s]), maps: group.map(s => ({ [s]: { value: s } })) },
    });
  }
  return docs;
}

describe('the YAML writer round-trips tricky strings (yaml package, YAML 1.2 and YAML 1.1)', () => {
  test('the named tricky strings', () => {
    expect(roundTripProblems(documents(TRICKY), _toYaml)).toEqual([]);
  });

  test('20,000 generated strings (seeded)', () => {
    expect(roundTripProblems(documents(generated(20_000, 7), 10), _toYaml)).toEqual([]);
  });

  test('the js-yaml writer (used for what the specialised emitter does not handle) too', () => {
    expect(roundTripProblems(documents(TRICKY), _toYamlWithJsYaml)).toEqual([]);
    expect(roundTripProblems(documents(generated(5_000, 11), 10), _toYamlWithJsYaml)).toEqual([]);
  });

  test('numbers, booleans, null, empty containers and nesting', () => {
    const doc = {
      'ints': [0, 1, -1, 42, 65535, 2 ** 31, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 1e21, 1e300],
      'floats': [0.5, -0.25, 1.5e-7, 3.14159, 1e-300],
      'specials': [Infinity, -Infinity, NaN, -0],
      'flags': [true, false, null],
      'empty': { map: {}, list: [], inList: [{}, [], [[]], [{}]] },
      'nested': [[['a', 'b'], 'c'], [{ x: [1, [2, { y: 'z' }]] }]],
      'quoted-key: yes': { 'on': 'off', '1': 1, '': 'empty key' },
    };
    expect(roundTripProblems([doc], _toYaml)).toEqual([]);
  });

  test('written strings are read back the same by stock cdk8s YAML loading (YAML 1.1)', () => {
    const docs = documents(TRICKY);
    const text = _toYamlStream(docs);
    const file = Yaml.tmp([]); // a temp file path in a fresh folder
    try {
      fs.writeFileSync(file, text);
      expect(Yaml.load(file)).toEqual(docs);
    } finally {
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
  });
});

describe('YAML 1.1 hazards are quoted', () => {
  test.each([
    ['yes'], ['no'], ['on'], ['off'], ['y'], ['n'], ['~'], ['null'], ['0x10'], ['010'], ['1e3'], ['.inf'], ['12:30'],
    ['2001-12-14'], ['<<'], ['='], ['1_000'], ['0b11'], ['+.5'],
  ])('%s', (s) => {
    expect(_isYamlHazard(s)).toBe(true);
    expect(_toYaml({ k: s })).toEqual(`k: '${s}'\n`);
  });

  test('ordinary strings stay plain', () => {
    for (const s of ['web', 'shop-api', '100m', '256Mi', '25%', 'registry.example.com/shop/api:1.4.2', 'http://x/y', '--port=8080', 'a,b', 'v1.2.3', 'yesterday', 'nope', 'online']) {
      expect(_isYamlHazard(s)).toBe(false);
      expect(_toYaml({ k: s })).toEqual(`k: ${s}\n`);
    }
  });
});

describe('style', () => {
  const manifest = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { 'app.kubernetes.io/name': 'web' } },
    spec: {
      template: {
        spec: {
          containers: [{
            name: 'web',
            args: ['--port=8080', 'yes'],
            command: ['sh', '-c', 'echo one\necho two\n'],
            env: [{ name: 'LONG', value: 'x'.repeat(200) }],
          }],
        },
      },
    },
  };

  test('block style, 2-space indent, indented sequences, literal block scalars, no folding', () => {
    expect(_toYaml(manifest)).toEqual([
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: web',
      '  labels:',
      '    app.kubernetes.io/name: web',
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      '        - name: web',
      '          args:',
      '            - --port=8080',
      "            - 'yes'",
      '          command:',
      '            - sh',
      '            - -c',
      '            - |',
      '              echo one',
      '              echo two',
      '          env:',
      '            - name: LONG',
      `              value: ${'x'.repeat(200)}`,
      '',
    ].join('\n'));
  });

  test('keys keep the order they are given in (cdk8s sorts them)', () => {
    expect(_toYaml({ b: 1, a: 2, c: { z: 1, x: 2 } })).toEqual('b: 1\na: 2\nc:\n  z: 1\n  x: 2\n');
  });

  test('deterministic: the same objects give the same bytes', () => {
    const a = _toYamlStream([manifest, manifest]);
    expect(_toYamlStream([JSON.parse(JSON.stringify(manifest)), JSON.parse(JSON.stringify(manifest))])).toEqual(a);
    // js-yaml writes the same layout; it only quotes more ('-c', '--port=8080')
    expect(_toYaml(manifest)).toEqual(_toYamlWithJsYaml(manifest).replace("'--port=8080'", '--port=8080').replace("'-c'", '-c'));
  });

  test('the stream is laid out as cdk8s lays it out (documents joined by ---)', () => {
    const docs = [{ a: 1 }, undefined, { b: [1, 2] }];
    expect(_toYamlStream(docs)).toEqual('a: 1\n---\n\n---\nb:\n  - 1\n  - 2\n');
    expect(parse(_toYamlStream(docs), '1.2')).toEqual(parse(Yaml.stringify(...docs), '1.2'));
    expect(_toYamlStream([])).toEqual('');
  });

  test('a file written document by document holds the bytes of the stream (across 1 MB chunks)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-yaml-'));
    try {
      const docs = Array.from({ length: 3000 }, (_, i) => ({ kind: 'ConfigMap', metadata: { name: `cm-${i}` }, data: { text: 'x'.repeat(500), on: 'on' } }));
      docs.splice(10, 0, undefined as any);
      const file = path.join(dir, 'out.yaml');
      _writeYamlFile(file, docs);
      expect(fs.readFileSync(file, 'utf-8')).toEqual(_toYamlStream(docs));
      _writeYamlFile(file, []);
      expect(fs.readFileSync(file, 'utf-8')).toEqual('');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('documents added to a file in several batches (one per chart) give the bytes of one stream', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-yaml-'));
    try {
      const batch = (k: number) => Array.from({ length: 700 }, (_, i) => ({ kind: 'ConfigMap', metadata: { name: `cm-${k}-${i}` }, data: { text: 'y'.repeat(600) } }));
      const batches: any[][] = [batch(0), [], [undefined], batch(1), [{ a: 1 }, undefined]];
      const file = path.join(dir, 'app.yaml');
      const w = new _YamlFileWriter(file);
      for (const b of batches) w.add(b);
      w.close();
      w.close(); // a second close is harmless
      expect(fs.readFileSync(file, 'utf-8')).toEqual(_toYamlStream(batches.flat()));
      const empty = path.join(dir, 'empty.yaml');
      new _YamlFileWriter(empty).close();
      expect(fs.readFileSync(empty, 'utf-8')).toEqual('');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('undefined values are written as null, as cdk8s writes them', () => {
    const doc = { a: undefined, l: [undefined, 1] };
    expect(_toYaml(doc)).toEqual('a: null\nl:\n  - null\n  - 1\n');
    expect(parse(_toYaml(doc), '1.2')).toEqual(parse(Yaml.stringify(doc), '1.2'));
  });

  test('what the specialised emitter does not handle goes through js-yaml', () => {
    const longKey = 'k'.repeat(1100);
    const text = _toYaml({ [longKey]: 'v' });
    expect(parse(text, '1.2')).toEqual([{ [longKey]: 'v' }]);
    expect(parse(_toYaml(['a', 'yes']), '1.1')).toEqual([['a', 'yes']]);
  });

  test('a multi-line string whose first line is indented is double-quoted (parsers disagree on |2- blocks)', () => {
    expect(_toYaml({ s: ' 7,\n ' })).toEqual('s: " 7,\\n "\n');
  });
});
