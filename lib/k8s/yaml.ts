/**
 * Fast, deterministic YAML for synthesized Kubernetes manifests.
 *
 * Output style (what Kubernetes users and cdk8s expect):
 * - block style, 2-space indent, sequences indented under their key;
 * - keys in the order given (cdk8s `ApiObject.toJson()` already sorts them), so the same objects give the same bytes;
 * - no line folding (long strings stay on one line) and no anchors/aliases;
 * - multi-line strings as literal block scalars (`|`, `|-`);
 * - every string that a YAML 1.1 or YAML 1.2 parser would read as something else (`yes`, `on`, `~`, `0x10`,
 *   `010`, `1e3`, `.inf`, `12:30`, `2001-12-14`, `<<`, `=` ...) quoted, so kubectl, Helm-era YAML 1.1 parsers
 *   and YAML 1.2 parsers all read back the same values.
 *
 * Two writers:
 * - a specialised emitter for JSON data (plain objects, arrays, strings, finite numbers, booleans, null),
 *   which is what `ApiObject.toJson()` returns; it runs at a few times JSON.stringify's cost;
 * - js-yaml's dumper (with the same hazard quoting) for anything else (a non-plain object, a key longer than
 *   1024 characters, a top-level value that is not an object).
 * The `yaml` package's stringify, which cdk8s uses, is about 10x slower than the first and 3x slower than the second.
 * test/k8s/yaml.test.ts proves that both parse back to the same objects with the `yaml` package as YAML 1.2 and 1.1.
 *
 * This file is internal: it is not re-exported from the k8s barrel.
 */
import * as fs from 'fs';
import * as jsyaml from 'js-yaml';

/**
 * Plain scalars that some YAML 1.1 or 1.2 schema resolves to a non-string (a union, deliberately broad:
 * quoting a string that did not need it changes nothing a parser reads back).
 */
const HAZARD = new RegExp([
  // null (1.1 and 1.2 core)
  '^(?:~|[Nn]ull|NULL)?$',
  // booleans: YAML 1.1 (y/n/yes/no/on/off) and 1.2 (true/false)
  '^(?:[Yy]|[Yy]es|YES|[Nn]|[Nn]o|NO|[Tt]rue|TRUE|[Ff]alse|FALSE|[Oo]n|ON|[Oo]ff|OFF)$',
  // decimal / octal / sexagesimal ints and floats, with 1.1 underscores, exponents and bare dots
  // ("." and "E7" are floats to the `yaml` package's 1.1 schema)
  '^[-+]?(?:[0-9][0-9_:]*)?(?:\\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?$',
  // binary, octal (0o), hex
  '^[-+]?0(?:b[0-1_]+|o[0-7_]+|x[0-9a-fA-F_]+)$',
  // infinity and not-a-number
  '^[-+]?\\.(?:inf|Inf|INF)$',
  '^\\.(?:nan|NaN|NAN)$',
  // YAML 1.1 timestamps (any string starting with a date)
  '^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}',
  // YAML 1.1 merge key and value key
  '^(?:<<|=)$',
].join('|'));

/** @internal */
export function _isYamlHazard(s: string): boolean {
  return HAZARD.test(s);
}

// ----------------------------------------------------------------------------------------------
// js-yaml writer (general fallback)

// An implicit type used only when dumping: js-yaml quotes every string an implicit type resolves.
const hazardType = new jsyaml.Type('tag:shipshape.invalid,2026:yaml-hazard', {
  kind: 'scalar',
  resolve: (data: any) => typeof data === 'string' && HAZARD.test(data),
  construct: (data: any) => data,
});

const JSYAML_OPTIONS: jsyaml.DumpOptions = {
  schema: jsyaml.DEFAULT_SCHEMA.extend({ implicit: [hazardType] }),
  indent: 2,
  lineWidth: -1,
  noRefs: true,
  sortKeys: false,
  noCompatMode: false,
  quotingType: "'",
  forceQuotes: false,
};

/**
 * For a document holding a block scalar with an explicit indentation indicator (`|2-`: a multi-line string
 * whose first line starts with a space): parsers disagree on such scalars when a line holds only spaces
 * (the `yaml` package drops it), so these documents are written with every value string double-quoted.
 */
const JSYAML_QUOTED: jsyaml.DumpOptions = { ...JSYAML_OPTIONS, forceQuotes: true, quotingType: '"' };
const INDENT_INDICATOR = /(?:^|[ :-])[|>][1-9][-+]?$/m;

/** Undefined becomes null, as cdk8s' YAML writer (`keepUndefined`) does. */
function undefinedToNull(v: any): any {
  if (v === undefined) return null;
  if (Array.isArray(v)) return v.map(undefinedToNull);
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    const out: any = {};
    for (const k of Object.keys(v)) out[k] = undefinedToNull(v[k]);
    return out;
  }
  return v;
}

/**
 * One document with js-yaml (with hazard quoting).
 * @internal
 */
export function _toYamlWithJsYaml(doc: any): string {
  const d = undefinedToNull(doc);
  const out = jsyaml.dump(d, JSYAML_OPTIONS);
  return INDENT_INDICATOR.test(out) ? jsyaml.dump(d, JSYAML_QUOTED) : out;
}

// ----------------------------------------------------------------------------------------------
// specialised emitter

/** Thrown by the emitter for a value it does not handle; the document then goes through js-yaml. */
const UNSUPPORTED = Symbol.for('shipshape.yaml.Unsupported');
/** Thrown by the fast emitter for input it leaves to js-yaml; recognised by its brand, not by class. */
class Unsupported extends Error {
  constructor(message: string) {
    super(message);
    Object.defineProperty(this, UNSUPPORTED, { value: true });
  }
}

/**
 * Characters that force double quotes: C0 controls (tab included), DEL and C1 controls (NEL is a line
 * break in YAML 1.1), the Unicode line and paragraph separators, the byte order mark, and surrogates
 * (a lone surrogate cannot be written raw; pairs are simply quoted too).
 */
const NEEDS_DOUBLE = /[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff]/;
/** Same set without the line feed: what a literal block scalar may not hold. */
const NOT_IN_BLOCK = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff]/;
/** What a plain scalar may not hold: NEEDS_DOUBLE, or ": " and " #" (they start a value and a comment). */
const NOT_PLAIN = /[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff]|: | #/;
/** A line holding only spaces (inside a block scalar). */
const BLANK_LINE = /(?:^|\n) +(?:\n|$)/;

/** First characters that are YAML indicators (a plain scalar cannot start with them). */
const INDICATOR_FIRST = new Set(Array.from('-?:,[]{}#&*!|>\'"%@`'));

function isPlainSafe(s: string): boolean {
  const n = s.length;
  if (n === 0) return false;
  const first = s[0];
  if (INDICATOR_FIRST.has(first)) {
    // "-x", "?x", ":x" are plain when the next character is not a space ("--port=80" stays plain)
    if (!(first === '-' || first === '?' || first === ':') || n === 1 || s[1] === ' ') return false;
    // document markers
    if (s.startsWith('---')) return false;
  }
  if (first === ' ' || s[n - 1] === ' ' || s[n - 1] === ':') return false;
  if (s.startsWith('...')) return false;
  if (NOT_PLAIN.test(s)) return false;
  // every hazard starts with one of these (or is empty)
  return !(HAZARD_FIRST.has(first) && HAZARD.test(s));
}

const HAZARD_FIRST = new Set(Array.from('0123456789+-.eE~nNyYtTfFoO<='));

const DOUBLE_EXTRA = /[\x7f-\x9f\u2028\u2029\ufeff]/g;

/** A double-quoted scalar: JSON's escapes are all valid YAML escapes; add the few JSON leaves raw. */
function doubleQuoted(s: string): string {
  const j = JSON.stringify(s);
  return DOUBLE_EXTRA.test(j)
    ? j.replace(DOUBLE_EXTRA, c => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'))
    : j;
}

function quoted(s: string): string {
  if (NEEDS_DOUBLE.test(s)) return doubleQuoted(s);
  return "'" + (s.includes("'") ? s.replace(/'/g, "''") : s) + "'";
}

/** A single-line scalar for a string (plain, single-quoted or double-quoted). */
function inlineString(s: string): string {
  if (isPlainSafe(s)) return s;
  if (s.includes('\n')) return doubleQuoted(s);
  return quoted(s);
}

/** Rendered short strings (names, labels, enum values repeat across objects). */
let valueCache = new Map<string, string>();

function cachedString(s: string): string {
  if (s.length > 64) return inlineString(s);
  let r = valueCache.get(s);
  if (r === undefined) {
    r = inlineString(s);
    if (valueCache.size >= 50000) valueCache = new Map();
    valueCache.set(s, r);
  }
  return r;
}

const keyCache = new Map<string, string>();

function keyScalar(k: string): string {
  let r = keyCache.get(k);
  if (r === undefined) {
    if (k.length > 1024) throw new Unsupported('key longer than 1024 characters');
    r = inlineString(k);
    if (keyCache.size < 10000) keyCache.set(k, r);
  }
  return r;
}

/**
 * Whether a multi-line string can be a literal block scalar whose indentation is auto-detected and
 * whose content every parser reads the same: first line not empty nor indented, at most one final
 * line break, no line holding only spaces, nothing that needs escaping.
 */
function blockable(s: string): boolean {
  const c = s.charCodeAt(0);
  if (c === 0x20 || c === 0x0a) return false;
  const n = s.length;
  if (n >= 2 && s.charCodeAt(n - 1) === 0x0a && s.charCodeAt(n - 2) === 0x0a) return false;
  return !NOT_IN_BLOCK.test(s) && !BLANK_LINE.test(s);
}

/** A literal block scalar: the header (to follow "key: " or "- ") and the content lines at `indent`. */
function block(s: string, indent: string): string {
  const clip = s.charCodeAt(s.length - 1) === 0x0a;
  const body = clip ? s.slice(0, -1) : s;
  let out = clip ? '|\n' : '|-\n';
  const lines = body.split('\n');
  for (const line of lines) {
    out += line.length === 0 ? '\n' : indent + line + '\n';
  }
  return out;
}

function scalar(v: any): string {
  switch (typeof v) {
    case 'string':
      return cachedString(v);
    case 'number':
      if (Number.isFinite(v)) return Object.is(v, -0) ? '-0.0' : String(v);
      if (Number.isNaN(v)) return '.nan';
      return v > 0 ? '.inf' : '-.inf';
    case 'boolean':
      return v ? 'true' : 'false';
    case 'undefined':
      return 'null';
    default:
      if (v === null) return 'null';
      throw new Unsupported(typeof v);
  }
}

function isPlainObject(v: any): boolean {
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}

/** The value after "key:" or "-" (which are already written, without a trailing space). */
function value(v: any, indent: string): string {
  if (v !== null && typeof v === 'object') {
    if (Array.isArray(v)) {
      return v.length === 0 ? ' []\n' : '\n' + seq(v, indent + '  ', indent + '  ');
    }
    if (!isPlainObject(v)) throw new Unsupported('non-plain object');
    for (const _ in v) {
      return '\n' + map(v, indent + '  ', indent + '  ');
    }
    return ' {}\n';
  }
  if (typeof v === 'string' && v.includes('\n') && blockable(v)) {
    return ' ' + block(v, indent + '  ');
  }
  return ' ' + scalar(v) + '\n';
}

/** A block mapping; the first line starts with `first` (an indent or "<indent>- "), the others with `indent`. */
function map(obj: any, indent: string, first: string): string {
  let out = '';
  let prefix = first;
  for (const k of Object.keys(obj)) {
    out += prefix + keyScalar(k) + ':' + value(obj[k], indent);
    prefix = indent;
  }
  return out;
}

/** A block sequence; the first line starts with `first`, the others with `indent`. */
function seq(arr: any[], indent: string, first: string): string {
  let out = '';
  let prefix = first;
  for (let i = 0; i < arr.length; i++) {
    const v = arr[i];
    if (v !== null && typeof v === 'object') {
      if (Array.isArray(v)) {
        out += v.length === 0 ? prefix + '- []\n' : seq(v, indent + '  ', prefix + '- ');
      } else {
        if (!isPlainObject(v)) throw new Unsupported('non-plain object');
        let empty = true;
        for (const _ in v) {
          empty = false;
          break;
        }
        out += empty ? prefix + '- {}\n' : map(v, indent + '  ', prefix + '- ');
      }
    } else {
      out += prefix + '-' + value(v, indent);
    }
    prefix = indent;
  }
  return out;
}

/**
 * One document as YAML (ends with a newline).
 * @internal
 */
export function _toYaml(doc: any): string {
  if (doc !== null && typeof doc === 'object' && !Array.isArray(doc) && isPlainObject(doc)) {
    try {
      const out = map(doc, '', '');
      return out === '' ? '{}\n' : out;
    } catch (e) {
      if ((e as any)?.[UNSUPPORTED] !== true) throw e;
    }
  }
  return _toYamlWithJsYaml(doc);
}

/**
 * Writes a multi-document YAML file (the bytes `_toYamlStream(docs)` returns) document by document, in chunks of
 * about 1 MB, so neither the whole text nor (when documents are added as they are rendered) every document has to
 * be held in memory.
 * @internal
 */
export class _YamlFileWriter {
  private fd: number | undefined;
  private buf = '';
  private count = 0;

  constructor(file: string) {
    this.fd = fs.openSync(file, 'w');
  }

  /** Appends documents (an undefined document is an empty line, as in `_toYamlStream`). */
  public add(docs: readonly any[]): void {
    for (let i = 0; i < docs.length; i++) {
      if (this.count++ > 0) this.buf += '---\n';
      this.buf += docs[i] === undefined ? '\n' : _toYaml(docs[i]);
      if (this.buf.length >= 1_048_576) this.flush();
    }
  }

  /** Writes what is buffered and closes the file (also after a failure, so the descriptor is not leaked). */
  public close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    try {
      if (this.buf.length > 0) fs.writeSync(fd, this.buf, null, 'utf8');
    } finally {
      this.buf = '';
      fs.closeSync(fd);
    }
  }

  private flush(): void {
    fs.writeSync(this.fd!, this.buf, null, 'utf8');
    this.buf = '';
  }
}

/**
 * Writes a multi-document YAML file (the bytes `_toYamlStream(docs)` returns).
 * @internal
 */
export function _writeYamlFile(file: string, docs: readonly any[]): void {
  // small files (one chart, one object): one string, one write
  if (docs.length <= 64) {
    fs.writeFileSync(file, _toYamlStream(docs));
    return;
  }
  const w = new _YamlFileWriter(file);
  try {
    w.add(docs);
  } finally {
    w.close();
  }
}

/**
 * A multi-document YAML stream, laid out as `cdk8s.Yaml.stringify(...docs)` lays it out:
 * documents joined by `---`; an undefined document is an empty line.
 * @internal
 */
export function _toYamlStream(docs: readonly any[]): string {
  let out = '';
  for (let i = 0; i < docs.length; i++) {
    if (i > 0) out += '---\n';
    out += docs[i] === undefined ? '\n' : _toYaml(docs[i]);
  }
  return out;
}
