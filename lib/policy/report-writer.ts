// Internal: renders policy findings as the human summary, the JSON report and the SARIF log, streaming (one
// finding at a time), so a report of millions of findings never becomes one string or one object tree.
// Used by PolicyReport (synth) and by `shipshape check`. Not re-exported by the barrel.
import * as fs from 'fs';
import * as path from 'path';
import { Finding } from './finding';
import { ENGINE_RULES, isBuiltInRuleId } from './internal';
import type { RuleInfo } from './report';
import { Severity } from './rule';
import { RELIABILITY_RULES } from './spec-rule';

/** How `shipshape check -` names standard input, in the summary, the JSON report and the documents' paths. */
export const STDIN_FILE = '<stdin>';

/**
 * The SARIF location of documents read from standard input: no file of the repository holds them (they are what
 * `helm template` or `kustomize build` printed), so the URI names the stream, relative, and the description says so.
 */
const STDIN_ARTIFACT = { uri: 'stdin', description: { text: 'standard input (shipshape check -): the documents were read from a pipe, not from a file' } };

/** File names of the reports (synth writes them into `<outdir>/.shipshape/`). */
export const JSON_FILE = 'policy-report.json';
export const SARIF_FILE = 'policy-report.sarif';

/**
 * The findings of one check as the renderers read them: the counts first, then one pass in report order.
 */
export interface FindingSource {
  /** Unsuppressed error findings. */
  readonly errors: number;
  /** Unsuppressed warning findings. */
  readonly warnings: number;
  /** Suppressed findings. */
  readonly suppressed: number;
  /** Every finding. */
  readonly total: number;
  /** The rule ids of the findings, in the order of their first finding. */
  ruleIds(): Iterable<string>;
  /** Calls `fn` for every finding, in report order. */
  forEach(fn: (f: Finding) => void): void;
}

/** A FindingSource over an array. */
export class ArraySource implements FindingSource {
  public readonly errors: number;
  public readonly warnings: number;
  public readonly suppressed: number;
  public readonly total: number;

  constructor(private readonly findings: readonly Finding[]) {
    let e = 0;
    let w = 0;
    let s = 0;
    for (const f of findings) {
      if (f.suppression) s++;
      else if (f.severity === Severity.ERROR) e++;
      else if (f.severity === Severity.WARNING) w++;
    }
    this.errors = e;
    this.warnings = w;
    this.suppressed = s;
    this.total = findings.length;
  }

  public ruleIds(): Iterable<string> {
    const ids = new Set<string>();
    for (const f of this.findings) ids.add(f.ruleId);
    return ids;
  }

  public forEach(fn: (f: Finding) => void): void {
    for (const f of this.findings) fn(f);
  }
}

/** The rules that ran plus any engine rule (or unknown rule) a finding uses, in a stable order. */
export function usedRules(rules: readonly RuleInfo[], src: FindingSource): RuleInfo[] {
  const out: RuleInfo[] = [...rules];
  const have = new Set(out.map(r => r.id));
  const unknown = new Set<string>();
  for (const id of src.ruleIds()) {
    if (have.has(id)) continue;
    const e = ENGINE_RULES.find(r => r.id === id);
    have.add(id);
    if (e) out.push(e as RuleInfo); else unknown.add(id);
  }
  if (unknown.size > 0) {
    // an unknown rule id (a finding made by hand) is listed with its first finding's message and fix
    src.forEach(f => {
      if (!unknown.has(f.ruleId)) return;
      unknown.delete(f.ruleId);
      out.push({ id: f.ruleId, severity: f.severity, message: f.message, fix: f.fix, pack: 'unknown' });
    });
  }
  return out;
}

// ------------------------------------------------------------------------------------------------ summary

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * A suppression's reason on one line of the summary: a reason written over several lines (a template literal, a YAML
 * block scalar) keeps its words, with each run of white space shown as one space, so it does not break the indentation.
 */
export function oneLine(reason: string): string {
  return reason.replace(/\s+/g, ' ').trim();
}

/** Where a finding is, for humans: the file and document (checked files) or the construct path. */
export function where(f: Finding): string {
  if (f.file !== undefined) {
    const parts: string[] = [];
    if (f.index !== undefined) parts.push(`document ${f.index}`);
    if (f.line !== undefined) parts.push(`line ${f.line}`);
    return parts.length > 0 ? `${f.file} [${parts.join(', ')}]` : f.file;
  }
  return f.path;
}

/** Which findings a summary lists: all, the unsuppressed errors only, or all but those (what a failed run prints). */
export type Listed = 'all' | 'errors' | 'besides-errors';

/**
 * The human summary: counts, then the findings grouped by construct path (or file and document), each with its
 * rule, place, message and fix; above `maxListed` listed findings, one entry per rule (and suppression reason)
 * with its count, and each of its distinct messages with its count, fix and first three places (see `condensed`). `everyFinding` says where the full list is. `errorsOnly`
 * lists the unsuppressed errors only, `'besides-errors'` every other finding (the header then says so).
 */
export function renderSummary(src: FindingSource, errorsOnly: boolean | Listed, maxListed: number, everyFinding: string): string {
  const mode: Listed = errorsOnly === true ? 'errors' : errorsOnly === false ? 'all' : errorsOnly;
  const lines: string[] = [];
  lines.push(mode === 'besides-errors'
    ? `shipshape policy: ${plural(src.warnings, 'warning')}, ${src.suppressed} suppressed, besides the ${plural(src.errors, 'error')} that ${src.errors === 1 ? 'fails' : 'fail'} the synth`
    : `shipshape policy: ${plural(src.errors, 'error')}, ${plural(src.warnings, 'warning')}, ${src.suppressed} suppressed`);
  const isError = (f: Finding) => !f.suppression && f.severity === Severity.ERROR;
  const listed = mode === 'all' ? () => true : mode === 'errors' ? isError : (f: Finding) => !isError(f);
  const count = mode === 'all' ? src.total : mode === 'errors' ? src.errors : src.total - src.errors;
  if (count > maxListed) {
    condensed(src, listed, count, lines, everyFinding);
    return lines.join('\n') + '\n';
  }
  const groups = new Map<string, Finding[]>();
  src.forEach(f => {
    if (!listed(f)) return;
    const key = where(f);
    const list = groups.get(key);
    if (list) list.push(f); else groups.set(key, [f]);
  });
  for (const [key, list] of groups) {
    const first = list[0];
    const what = first.kind && first.kind !== 'Suppression' ? ` (${first.kind}${first.name ? ' ' + first.name : ''})` : '';
    lines.push('');
    lines.push(`${key}${what}`);
    for (const f of list) {
      const label = f.suppression ? 'suppressed' : f.severity;
      lines.push(`  ${label.toUpperCase()} ${f.ruleId}${f.jsonPath ? ' at ' + f.jsonPath : ''}: ${f.message}`);
      lines.push(f.suppression ? `    reason: ${oneLine(f.suppression.reason)}` : `    fix: ${f.fix}`);
    }
  }
  return lines.join('\n') + '\n';
}

/** How many distinct messages one entry of the condensed summary lists; the findings with other messages are counted. */
export const CONDENSED_MESSAGES = 5;

/** One message (with its fix) of a rule in the condensed summary: its count and first places. */
interface CondensedMessage {
  readonly message: string;
  readonly fix: string;
  n: number;
  readonly places: string[];
}

/**
 * One entry per rule (and suppression reason), with its count; under it each distinct message (with its fix) with
 * its own count and first three places, so a message is never shown for findings that say something else (SS-K8S-077
 * says `* in apiGroups`, `* in resources` or `* in verbs`). A rule with one message keeps the one-block form. The first
 * CONDENSED_MESSAGES messages of a rule (in report order) are listed; the findings with further messages are counted
 * on one line, so the summary stays short when messages name objects. Keeps no finding list.
 */
function condensed(src: FindingSource, listed: (f: Finding) => boolean, count: number, lines: string[], everyFinding: string) {
  const groups = new Map<string, {
    first: Finding; n: number; messages: Map<string, Map<string, CondensedMessage>>; listed: CondensedMessage[]; others: number; otherFixes: Set<string>;
  }>();
  src.forEach(f => {
    if (!listed(f)) return;
    const key = `${f.suppression ? 'suppressed' : f.severity}\u0000${f.ruleId}\u0000${f.suppression?.reason ?? ''}`;
    let g = groups.get(key);
    if (!g) groups.set(key, g = { first: f, n: 0, messages: new Map(), listed: [], others: 0, otherFixes: new Set() });
    g.n++;
    let byFix = g.messages.get(f.message);
    let m = byFix?.get(f.fix);
    if (m === undefined) {
      if (g.listed.length >= CONDENSED_MESSAGES) {
        g.others++;
        // only whether their fixes are those listed matters (a rule has a fix or two): a few are enough to tell
        if (g.otherFixes.size <= CONDENSED_MESSAGES) g.otherFixes.add(f.fix);
        return;
      }
      m = { message: f.message, fix: f.fix, n: 0, places: [] };
      if (!byFix) g.messages.set(f.message, byFix = new Map());
      byFix.set(f.fix, m);
      g.listed.push(m);
    }
    m.n++;
    if (m.places.length < 3) m.places.push(`${where(f)}${f.jsonPath ? ' at ' + f.jsonPath : ''}`);
  });
  const placesLine = (m: CondensedMessage, indent: string) => `${indent}in: ${m.places.join('; ')}${m.n > 3 ? `; and ${m.n - 3} more` : ''}`;
  lines.push(`(${count} findings, condensed by rule; ${everyFinding})`);
  for (const g of groups.values()) {
    const f = g.first;
    const label = (f.suppression ? 'suppressed' : f.severity).toUpperCase();
    const why = f.suppression ? `reason: ${oneLine(f.suppression.reason)}` : undefined;
    lines.push('');
    if (g.listed.length === 1 && g.others === 0) {
      const m = g.listed[0];
      lines.push(`  ${label} ${f.ruleId} x${g.n}: ${m.message}`);
      lines.push(`    ${why ?? `fix: ${m.fix}`}`);
      lines.push(placesLine(m, '    '));
      continue;
    }
    // one fix line for the rule when every finding of it has the same fix
    const oneFix = g.listed.every(m => m.fix === g.listed[0].fix) && [...g.otherFixes].every(x => x === g.listed[0].fix);
    lines.push(`  ${label} ${f.ruleId} x${g.n}, ${g.others === 0 ? `${g.listed.length} messages` : `more than ${g.listed.length} messages`}:`);
    for (const m of g.listed) {
      lines.push(`    x${m.n}: ${m.message}`);
      if (!why && !oneFix) lines.push(`      fix: ${m.fix}`);
      lines.push(placesLine(m, '      '));
    }
    if (g.others > 0) lines.push(`    and ${plural(g.others, 'more finding')} with other messages`);
    if (why) lines.push(`    ${why}`);
    else if (oneFix) lines.push(`    fix: ${g.listed[0].fix}`);
  }
}

// ------------------------------------------------------------------------------------------------ JSON

/** An array written one element at a time (the findings of a report); its elements hold no StreamedArray. */
export class StreamedArray {
  constructor(public readonly forEach: (fn: (item: any) => void) => void) {}
}

/**
 * Writes `value` as `JSON.stringify(value, undefined, 2)` would, plus a final newline, expanding StreamedArrays
 * element by element: the same bytes without building the whole text.
 */
export function streamJson(value: any, write: (chunk: string) => void): void {
  writeValue(value, '', write);
  write('\n');
}

function writeValue(v: any, indent: string, write: (chunk: string) => void): void {
  const inner = indent + '  ';
  if (v instanceof StreamedArray) {
    // the elements are plain values: the native JSON.stringify, indented one level more
    let first = true;
    const nl = '\n' + inner;
    v.forEach(item => {
      const s = JSON.stringify(item, undefined, 2);
      write((first ? '[' : ',') + nl + (s === undefined ? 'null' : s.split('\n').join(nl)));
      first = false;
    });
    write(first ? '[]' : '\n' + indent + ']');
    return;
  }
  if (Array.isArray(v)) {
    if (v.length === 0) {
      write('[]');
      return;
    }
    write('[');
    v.forEach((item, i) => {
      write((i === 0 ? '\n' : ',\n') + inner);
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') write('null');
      else writeValue(item, inner, write);
    });
    write('\n' + indent + ']');
    return;
  }
  if (v !== null && typeof v === 'object' && typeof v.toJSON !== 'function') {
    let first = true;
    for (const key of Object.keys(v)) {
      const x = v[key];
      if (x === undefined || typeof x === 'function' || typeof x === 'symbol') continue;
      write((first ? '{\n' : ',\n') + inner + JSON.stringify(key) + ': ');
      first = false;
      writeValue(x, inner, write);
    }
    write(first ? '{}' : '\n' + indent + '}');
    return;
  }
  const s = JSON.stringify(v);
  write(s === undefined ? 'null' : s);
}

/** `value` with every StreamedArray turned into an array (for the in-memory `toJson()` / `toSarif()`). */
export function materialize(value: any): any {
  if (value instanceof StreamedArray) {
    const out: any[] = [];
    value.forEach(item => out.push(materialize(item)));
    return out;
  }
  if (Array.isArray(value)) return value.map(materialize);
  if (value !== null && typeof value === 'object') {
    const out: any = {};
    for (const key of Object.keys(value)) out[key] = materialize(value[key]);
    return out;
  }
  return value;
}

/** Writes text to a file descriptor through a 1 MiB byte buffer (UTF-8 encoded as it comes, no joined strings). */
export class FdWriter {
  private readonly buf = Buffer.allocUnsafe(1024 * 1024);
  private off = 0;

  constructor(private readonly fd: number) {}

  public readonly write = (chunk: string): void => {
    if (this.off + chunk.length * 3 > this.buf.length) {
      this.flush();
      if (chunk.length * 3 > this.buf.length) {
        writeFully(this.fd, Buffer.from(chunk, 'utf-8'));
        return;
      }
    }
    this.off += this.buf.write(chunk, this.off, 'utf-8');
  };

  public flush(): void {
    if (this.off === 0) return;
    writeFully(this.fd, this.buf.subarray(0, this.off));
    this.off = 0;
  }
}

function writeFully(fd: number, data: Buffer) {
  let done = 0;
  while (done < data.length) done += fs.writeSync(fd, data, done, data.length - done);
}

/** Collects chunks into strings of about 1 MiB for a text sink (stdout, a test's buffer). */
export class BufferedWriter {
  private parts: string[] = [];
  private size = 0;

  constructor(private readonly sink: (text: string) => void) {}

  public readonly write = (chunk: string): void => {
    this.parts.push(chunk);
    this.size += chunk.length;
    if (this.size >= 1024 * 1024) this.flush();
  };

  public flush(): void {
    if (this.parts.length === 0) return;
    const text = this.parts.join('');
    this.parts = [];
    this.size = 0;
    this.sink(text);
  }
}

/**
 * Writes a JSON value (with StreamedArrays) into `file`, creating its folder; a regular file is written beside and
 * renamed into place, so a failed write leaves no partial report.
 */
export function writeJsonFile(file: string, value: any): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  let special = false;
  try {
    special = !fs.statSync(file).isFile(); // /dev/stdout, a pipe: written in place
  } catch {
    // does not exist yet
  }
  if (special) {
    const w = new BufferedWriter(text => fs.appendFileSync(file, text));
    streamJson(value, w.write);
    w.flush();
    return;
  }
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    const w = new FdWriter(fd);
    streamJson(value, w.write);
    w.flush();
  } catch (e) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  fs.closeSync(fd);
  fs.renameSync(tmp, file);
}

/** How a JSON report names the file of a finding. */
export type FileNamer = (file: string) => string;

/**
 * How `shipshape check` names a file in its JSON report, as in its summary: the file as given (relative to the
 * working directory inside it), absolute when a relative path would leave the working directory.
 */
export function workingDirectoryNamer(cwd: string = process.cwd()): FileNamer {
  return file => (file.startsWith('..') ? reportFile(file, cwd) : file);
}

/**
 * How the reports synth writes (a `PolicyReport`'s JSON) name a file: as the SARIF log does, relative to the root
 * of the Git work tree the working directory is in (see `sourceRoot`; the working directory outside a
 * repository), with forward slashes; absolute when the file is outside that root. So the JSON report reads the
 * same whichever folder of the repository synth runs in, and names the file the SARIF log names.
 */
export function sourceRootNamer(cwd: string = process.cwd()): FileNamer {
  const root = sourceRoot(cwd);
  const named = new Map<string, string>();
  return file => {
    if (file === STDIN_FILE) return file;
    let name = named.get(file);
    if (name === undefined) named.set(file, name = reportFile(path.resolve(cwd, file), root));
    return name;
  };
}

function jsonFinding(f: Finding, fileName: FileNamer): any {
  const o: any = {
    ruleId: f.ruleId,
    severity: f.severity,
    path: f.path,
    jsonPath: f.jsonPath,
    kind: f.kind,
  };
  if (f.name !== undefined) o.name = f.name;
  if (f.namespace !== undefined) o.namespace = f.namespace;
  // never a relative path that leaves its base (synth's `outdir: '../out'`): such a file is absolute
  if (f.file !== undefined) o.file = fileName(f.file);
  if (f.index !== undefined) o.index = f.index;
  if (f.line !== undefined) o.line = f.line;
  o.message = f.message;
  if (f.suppression) o.suppressed = { reason: f.suppression.reason, scope: f.suppression.path };
  return o;
}

/**
 * The JSON report: `tool` and `version` first (the marker `shipshape check` recognises its own reports by), the
 * counts, the rules, then every finding. Deterministic: no timestamp. `fileName` names the file of each finding
 * (by default as `shipshape check` does: see `workingDirectoryNamer`).
 */
export function jsonReport(src: FindingSource, rules: readonly RuleInfo[], fileName: FileNamer = workingDirectoryNamer()): any {
  return {
    tool: 'shipshape',
    version: packageInfo().version,
    summary: { errors: src.errors, warnings: src.warnings, suppressed: src.suppressed },
    rules: usedRules(rules, src),
    findings: new StreamedArray(fn => src.forEach(f => fn(jsonFinding(f, fileName)))),
  };
}

/** True when `head` (the first bytes of a file) is the start of a JSON report that shipshape wrote. */
export function isOwnJsonReport(head: string): boolean {
  return /^\s*\{\s*"tool"\s*:\s*"shipshape"\s*,/.test(head);
}

// ------------------------------------------------------------------------------------------------ SARIF

/**
 * `properties['security-severity']` of a rule, the CVSS-like score code-scanning UIs rank alerts by:
 * error 7.5 (high: an exploitable or broken object), warning 4.0 (medium: hygiene a team may trade off).
 */
export const SECURITY_SEVERITY: { readonly [severity: string]: string } = { error: '7.5', warning: '4.0' };

/**
 * The catalog section of one of shipshape's rules (`SS-...`): where `helpUri` points (`docs/rules.md#<lower-case id>`);
 * undefined for the rules of other packs, which the catalog does not list.
 */
export function helpUri(ruleId: string): string | undefined {
  const base = packageInfo().base;
  return base && isBuiltInRuleId(ruleId) ? `${base}/blob/main/docs/rules.md#${ruleId.toLowerCase()}` : undefined;
}


/**
 * A 64-bit hash (two 32-bit multiply-xorshift lanes, as cyrb53) of `s`, as its high and low 32 bits: stable across
 * runs and versions.
 */
/* eslint-disable no-bitwise */
function hash64Parts(s: string): [number, number] {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return [h2 >>> 0, h1 >>> 0];
}

function hex64(h: [number, number]): string {
  return h[0].toString(16).padStart(8, '0') + h[1].toString(16).padStart(8, '0');
}

/** A 64-bit hash (two 32-bit multiply-xorshift lanes, as cyrb53), as 16 hex digits: stable across runs and versions. */
export function hash64(s: string): string {
  return hex64(hash64Parts(s));
}

/**
 * Counts 64-bit hashes in typed arrays (open addressing, linear probing): about 12 bytes a slot instead of a Map
 * entry per string, for reports of millions of findings. `size`: how many distinct hashes at most.
 */
class HashCounter {
  private readonly hi: Uint32Array;
  private readonly lo: Uint32Array;
  private readonly counts: Uint32Array;
  private readonly mask: number;

  constructor(size: number) {
    let cap = 16;
    while (cap < size * 4 / 3) cap *= 2;
    this.hi = new Uint32Array(cap);
    this.lo = new Uint32Array(cap);
    this.counts = new Uint32Array(cap);
    this.mask = cap - 1;
  }

  /** Counts `h` once more; returns how many times it was counted before. */
  public add(h: [number, number]): number {
    const i = this.slot(h);
    if (this.counts[i] === 0) {
      this.hi[i] = h[0];
      this.lo[i] = h[1];
    }
    return this.counts[i]++;
  }

  /** How many times `h` was counted. */
  public count(h: [number, number]): number {
    return this.counts[this.slot(h)];
  }

  /** The sum of the counts above 1 (how many counted items share their hash with another). */
  public shared(): number {
    let n = 0;
    for (const c of this.counts) if (c > 1) n += c;
    return n;
  }

  private slot(h: [number, number]): number {
    let i = h[1] & this.mask;
    while (this.counts[i] !== 0 && (this.hi[i] !== h[0] || this.lo[i] !== h[1])) i = (i + 1) & this.mask;
    return i;
  }
}
/* eslint-enable no-bitwise */

/** The key of `partialFingerprints` in SARIF results. */
export const FINGERPRINT_KEY = 'shipshapeFinding/v1';

/** What `fingerprint` hashes: rule id, kind, namespace, name and JSON path, and the document path on an unnamed document. */
function fingerprintKey(f: Finding): string {
  const parts = [f.ruleId, f.kind, f.namespace ?? '', f.name ?? '', f.jsonPath];
  if (f.name === undefined) parts.push(f.path);
  return parts.join('\u0000');
}

/**
 * The stable identity of a finding across runs: rule id, kind, namespace, name and JSON path (never a line number,
 * so editing the file above an object keeps its alerts). A finding on an unnamed document adds its path. Findings
 * that share this key within one report get distinct fingerprints from `Fingerprints`.
 */
export function fingerprint(f: Finding): string {
  return hash64(fingerprintKey(f));
}

/**
 * The fingerprints of the findings of one report, unique within it and stable across runs for the same input.
 *
 * A finding whose key (`fingerprint`: rule, kind, namespace, name, JSON path) no other finding of the report has keeps
 * `fingerprint(f)`, so the alerts of earlier versions keep their identity. Findings that share a key (SS-K8S-074 says
 * "no default-deny NetworkPolicy" and "no NetworkPolicy allowing DNS egress" both at a Namespace's metadata.name) are
 * told apart by their message: the key and the message are hashed together. The message, not the finding's ordinal
 * among those of its key, because it belongs to the finding: with an ordinal, fixing the first of three findings would
 * hand its fingerprint to the second (code scanning would keep the fixed alert open with another finding's history,
 * and close the second's); with the message, a fingerprint is never handed to another finding. (When all but one of
 * them are fixed, that one's key is unique again and it takes the plain hash: a new alert, never another's.)
 * Findings that share the message too (an object held twice in the input) cannot be told apart by anything stable:
 * they add their ordinal among those, in report order, which the same input repeats.
 *
 * `src` is read once here to count the keys (64-bit hashes in typed arrays, not strings), so fingerprints can be
 * handed out as the findings are streamed.
 */
export class Fingerprints {
  private readonly keys: HashCounter;
  private readonly messages: HashCounter | undefined;

  constructor(src: FindingSource) {
    this.keys = new HashCounter(src.total);
    src.forEach(f => { this.keys.add(hash64Parts(fingerprintKey(f))); });
    const shared = this.keys.shared();
    this.messages = shared > 0 ? new HashCounter(shared) : undefined;
  }

  /** The fingerprint of `f`; call it once per finding, in report order. */
  public of(f: Finding): string {
    const key = fingerprintKey(f);
    const h = hash64Parts(key);
    if (this.messages === undefined || this.keys.count(h) < 2) return hex64(h);
    const withMessage = `${key}\u0000${f.message}`;
    const m = hash64Parts(withMessage);
    const ordinal = this.messages.add(m);
    return ordinal === 0 ? hex64(m) : hash64(`${withMessage}\u0000${ordinal}`);
  }
}

/**
 * The folder SARIF locations are relative to (%SRCROOT%): the root of the Git work tree the working directory is in
 * (the nearest folder up with a `.git` entry), which is what code-scanning services resolve a relative URI against,
 * whichever folder of the repository synth or `shipshape check` runs in; the working directory outside a repository.
 */
export function sourceRoot(cwd: string): string {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, '.git'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(cwd);
  }
}

/** True when `abs` (an absolute path) is `base` or inside it. */
function isInside(abs: string, base: string, p: path.PlatformPath = path): boolean {
  const rel = p.relative(base, abs);
  return rel === '' || (!p.isAbsolute(rel) && rel !== '..' && !rel.startsWith('..' + p.sep));
}

/**
 * An absolute path as a `file:` URI (RFC 8089): forward slashes, every segment percent-encoded, a Windows drive
 * letter kept (`file:///C:/x`), a UNC share as the host (`file://server/share/x`). `p` is the path flavour
 * (the platform's unless a test says otherwise).
 */
export function fileUri(abs: string, p: path.PlatformPath = path): string {
  const slashed = p.sep === '\\' ? abs.replace(/\\/g, '/') : abs;
  if (slashed.startsWith('//')) {
    const [host, ...rest] = slashed.slice(2).split('/');
    return `file://${host}/${rest.map(encodeSegment).join('/')}`;
  }
  const segments = slashed.split('/');
  if (segments[0] !== '') segments.unshift(''); // C:/x -> /C:/x
  return 'file://' + segments.map((s, i) => (i === 1 && /^[A-Za-z]:$/.test(s) ? s : encodeSegment(s))).join('/');
}

function encodeSegment(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    // a lone surrogate (a Windows file name that is not valid UTF-16): replaced, as a decoder would
    return encodeURIComponent(s.replace(/[\ud800-\udfff]/g, '\ufffd'));
  }
}

/**
 * A file as a SARIF artifact location: inside `root` (see `sourceRoot`), its path relative to `root` with forward
 * slashes under `uriBaseId: %SRCROOT%`; outside it (a relative URI would start with `../`, which code-scanning
 * services refuse), an absolute `file:` URI without a base. `file` is relative to `cwd` or absolute.
 */
export function artifactLocation(file: string, cwd: string, root: string, p: path.PlatformPath = path): { uri: string; uriBaseId?: string } {
  const abs = p.resolve(cwd, file);
  if (!isInside(abs, root, p)) return { uri: fileUri(abs, p) };
  return { uri: p.relative(root, abs).split(p.sep).map(encodeSegment).join('/'), uriBaseId: '%SRCROOT%' };
}

/**
 * A file as the JSON report and the summary name it: relative to `cwd` (forward slashes) when it is inside `cwd`,
 * absolute when it is outside (never a relative path that leaves the working directory).
 */
export function reportFile(file: string, cwd: string, p: path.PlatformPath = path): string {
  const abs = p.resolve(cwd, file);
  const slash = (x: string) => (p.sep === '\\' ? x.replace(/\\/g, '/') : x);
  return isInside(abs, cwd, p) && abs !== p.resolve(cwd) ? slash(p.relative(cwd, abs)) : slash(abs);
}

function tags(r: RuleInfo): string[] {
  if (r.pack === 'engine') return ['shipshape', 'engine'];
  // shipshape's rules check security or reliability (availability, probes, jobs, object hygiene); what another pack
  // checks is its author's to say
  if (!isBuiltInRuleId(r.id)) return ['shipshape', r.pack];
  return ['shipshape', RELIABILITY_RULES.has(r.id) ? 'reliability' : 'security', r.pack];
}

/** The SARIF 2.1.0 log (one run). Results are streamed. */
export function sarifLog(src: FindingSource, rules: readonly RuleInfo[]): any {
  const used = usedRules(rules, src);
  const ruleIndex = new Map<string, number>();
  used.forEach((r, i) => ruleIndex.set(r.id, i));
  const cwd = process.cwd();
  const root = sourceRoot(cwd);
  const info = packageInfo();
  const driver: any = { name: 'shipshape', version: info.version };
  if (info.base) driver.informationUri = info.base;
  driver.rules = used.map(r => {
    const o: any = {
      id: r.id,
      shortDescription: { text: r.message },
      // code scanning wants a full description of every rule
      fullDescription: { text: r.rationale ?? r.message },
      help: { text: r.fix },
    };
    const uri = r.helpUri ?? helpUri(r.id);
    if (uri) o.helpUri = uri;
    o.defaultConfiguration = { level: r.severity === Severity.ERROR ? 'error' : 'warning' };
    const t = tags(r);
    // code scanning ranks by security severity the rules tagged security; the others are quality alerts
    o.properties = { pack: r.pack, ...(t.includes('security') ? { 'security-severity': SECURITY_SEVERITY[r.severity] ?? SECURITY_SEVERITY.warning } : {}), tags: t };
    return o;
  });
  const artifacts = new Map<string, any>();
  let prints: Fingerprints | undefined;
  const result = (f: Finding) => {
    const location: any = {};
    if (f.file !== undefined) {
      let artifact = artifacts.get(f.file);
      if (artifact === undefined) artifacts.set(f.file, artifact = f.file === STDIN_FILE ? STDIN_ARTIFACT : artifactLocation(f.file, cwd, root));
      location.physicalLocation = { artifactLocation: artifact };
      if (f.line !== undefined) location.physicalLocation.region = { startLine: f.line };
    }
    const logical: any = { fullyQualifiedName: f.path, kind: 'resource' };
    if (f.name !== undefined) logical.name = f.name;
    location.logicalLocations = [logical];
    const r: any = {
      ruleId: f.ruleId,
      ruleIndex: ruleIndex.get(f.ruleId) ?? -1,
      level: f.severity === Severity.ERROR ? 'error' : 'warning',
      message: { text: `${f.message}${f.jsonPath ? ` (at ${f.jsonPath})` : ''}` },
      locations: [location],
      partialFingerprints: { [FINGERPRINT_KEY]: prints!.of(f) },
      properties: {
        kind: f.kind,
        jsonPath: f.jsonPath,
        ...(f.namespace !== undefined ? { namespace: f.namespace } : {}),
        ...(f.index !== undefined ? { documentIndex: f.index } : {}),
      },
    };
    // every suppression is written where the finding is: an annotation on the object, or code that writes one there
    if (f.suppression) r.suppressions = [{ kind: 'inSource', justification: f.suppression.reason }];
    return r;
  };
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver },
      results: new StreamedArray(fn => {
        prints = new Fingerprints(src); // per pass: its ordinals count the findings as they are handed out
        src.forEach(f => fn(result(f)));
      }),
    }],
  };
}

// ------------------------------------------------------------------------------------------------ package

let pkg: { version: string; base?: string } | undefined;

/**
 * shipshape's version and web address, read from its package.json at run time: the nearest package.json named
 * `shipshape` above this file (lib/policy or out/policy in the repository, out/policy in an installed package).
 * The address is `homepage`, else `repository.url` without `git+` and `.git`.
 */
export function packageInfo(): { version: string; base?: string } {
  if (pkg) return pkg;
  let dir = __dirname;
  for (;;) {
    const file = path.join(dir, 'package.json');
    try {
      const json = JSON.parse(fs.readFileSync(file, 'utf-8'));
      if (json && json.name === 'shipshape') {
        pkg = { version: String(json.version ?? 'unknown'), base: baseUrl(json) };
        return pkg;
      }
    } catch {
      // no package.json here (or not readable): look further up
    }
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  pkg = { version: 'unknown' };
  return pkg;
}

export function baseUrl(json: any): string | undefined {
  const raw = typeof json.homepage === 'string' && json.homepage !== ''
    ? json.homepage
    : typeof json.repository === 'string' ? json.repository : json.repository?.url;
  if (typeof raw !== 'string') return undefined;
  const url = raw.replace(/^git\+/, '').replace(/\.git$/, '').replace(/#.*$/, '').replace(/\/+$/, '');
  const host = /^https?:\/\/([^/:?#]+)/i.exec(url)?.[1]?.toLowerCase();
  // a placeholder address (the reserved example and .invalid names) would be a dead link in every code-scanning UI
  if (host === undefined || /(?:^|\.)(?:invalid|example|test|localhost)$/.test(host) || /(?:^|\.)example\.(?:com|org|net)$/.test(host)) return undefined;
  return url;
}
