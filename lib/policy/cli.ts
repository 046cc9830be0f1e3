// `shipshape check <file|dir>...`: runs the policy packs over YAML that shipshape did not write.
// Internal: reached through bin/shipshape.js, not re-exported by the barrel.
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { PolicyEngine } from './engine';
import { Finding, Suppression } from './finding';
import { BAD_INPUT_RULE_ID } from './internal';
import { KubernetesPack } from './k8s/kubernetes-pack';
import { PolicyDocument, Severity } from './rule';
import { k8sDocument } from './runner';

/** Annotation prefix that suppresses a rule on one document: `suppress.shipshape.io/SS-K8S-012: "<reason>"`. */
export const SUPPRESS_ANNOTATION_PREFIX = 'suppress.shipshape.io/';
const MIN_REASON = 10;

const USAGE = `usage: shipshape check <file|dir>... [--json FILE] [--sarif FILE]

Checks Kubernetes YAML (multi-document files, directories searched for *.yaml / *.yml / *.json)
against shipshape's Kubernetes pack. Prints a summary; exits 1 when an error-level finding remains,
2 on bad usage. Suppress a rule on one object with the annotation
  suppress.shipshape.io/<rule id>: "<reason, at least 10 characters>"
`;

interface Out {
  out(s: string): void;
  err(s: string): void;
}

/**
 * Runs the command line. Returns the exit code.
 * @internal
 */
export async function main(argv: string[], io?: Out): Promise<number> {
  if (!io) {
    // `shipshape check ... | head` closes the pipe early: stop writing instead of crashing
    process.stdout.on('error', (e: any) => { if (e?.code !== 'EPIPE') throw e; });
    io = { out: s => process.stdout.write(s), err: s => process.stderr.write(s) };
  }
  const args = [...argv];
  if (args.length === 0 || args[0] === '--help' || args[0] === '-h' || args[0] === 'help') {
    io.out(USAGE);
    return args.length === 0 ? 2 : 0;
  }
  const cmd = args.shift();
  if (cmd !== 'check') {
    io.err(`shipshape: unknown command ${JSON.stringify(cmd)}\n${USAGE}`);
    return 2;
  }
  const inputs: string[] = [];
  let jsonOut: string | undefined;
  let sarifOut: string | undefined;
  while (args.length > 0) {
    const a = args.shift()!;
    if (a === '--json' || a === '--sarif') {
      const v = args.shift();
      if (v === undefined || v.startsWith('--')) {
        io.err(`shipshape: ${a} needs a file name\n${USAGE}`);
        return 2;
      }
      if (a === '--json') jsonOut = v; else sarifOut = v;
    } else if (a.startsWith('--json=')) {
      jsonOut = a.slice('--json='.length);
    } else if (a.startsWith('--sarif=')) {
      sarifOut = a.slice('--sarif='.length);
    } else if (a === '--help' || a === '-h') {
      io.out(USAGE);
      return 0;
    } else if (a.startsWith('--')) {
      io.err(`shipshape: unknown option ${a}\n${USAGE}`);
      return 2;
    } else {
      inputs.push(a);
    }
  }
  if (inputs.length === 0) {
    io.err(`shipshape: nothing to check\n${USAGE}`);
    return 2;
  }

  const loaded = loadInputs(inputs);
  const engine = new PolicyEngine({ packs: [new KubernetesPack()] });
  const report = engine._check(loaded.documents, loaded.suppressions, loaded.bad);
  io.out(report.summary());
  io.out(`checked ${loaded.documents.length} document(s) in ${loaded.files} file(s)\n`);
  try {
    if (jsonOut) writeFile(jsonOut, JSON.stringify(report.toJson(), undefined, 2) + '\n');
    if (sarifOut) writeFile(sarifOut, JSON.stringify(report.toSarif(), undefined, 2) + '\n');
  } catch (e: any) {
    io.err(`shipshape: cannot write report: ${e?.message ?? e}\n`);
    return 2;
  }
  return report.hasErrors ? 1 : 0;
}

function writeFile(file: string, text: string) {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, text);
}

interface Loaded {
  documents: PolicyDocument[];
  suppressions: Suppression[];
  bad: Finding[];
  files: number;
}

/** Reads every input (files, or directories searched recursively), in a stable order. */
export function loadInputs(inputs: string[]): Loaded {
  const res: Loaded = { documents: [], suppressions: [], bad: [], files: 0 };
  for (const input of inputs) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(input);
    } catch (e: any) {
      res.bad.push(badInput(toSlash(input), undefined, undefined, `cannot read ${input}: ${e?.code ?? e?.message ?? e}`));
      continue;
    }
    const files = stat.isDirectory() ? listYaml(input) : [input];
    for (const f of files) {
      res.files++;
      loadFile(toSlash(f), res);
    }
  }
  return res;
}

function listYaml(dir: string): string[] {
  const out: string[] = [];
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      out.push(...listYaml(p));
    } else if (/\.(ya?ml|json)$/i.test(e.name)) {
      out.push(p);
    }
  }
  return out;
}

function toSlash(p: string): string {
  return p.split(path.sep).join('/');
}

/** Splits multi-document YAML on `---` lines; returns each chunk with its 1-based starting line. */
export function splitDocuments(text: string): { text: string; line: number }[] {
  const lines = text.split(/\r?\n/);
  const chunks: { text: string; line: number }[] = [];
  let cur: string[] = [];
  let start = 1;
  let sawSeparator = false;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (/^---(\s.*)?$/.test(l)) {
      if (sawSeparator || !blank(cur)) chunks.push({ text: cur.join('\n'), line: start });
      sawSeparator = true;
      cur = [];
      start = i + 2;
      const rest = l.slice(3).trim();
      if (rest !== '' && !rest.startsWith('#')) cur.push(rest);
      continue;
    }
    if (/^\.\.\.\s*$/.test(l)) continue; // document end marker
    cur.push(l);
  }
  if (!blank(cur) || chunks.length === 0) chunks.push({ text: cur.join('\n'), line: start });
  return chunks;
}

function blank(lines: string[]): boolean {
  return lines.every(l => l.trim() === '' || l.trim().startsWith('#'));
}

function loadFile(file: string, res: Loaded) {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf-8');
  } catch (e: any) {
    res.bad.push(badInput(file, undefined, undefined, `cannot read ${file}: ${e?.code ?? e?.message ?? e}`));
    return;
  }
  const chunks = /\.json$/i.test(file) ? [{ text, line: 1 }] : splitDocuments(text);
  chunks.forEach((chunk, index) => {
    if (blank(chunk.text.split('\n'))) return; // empty document
    let value: any;
    try {
      value = yaml.load(chunk.text, { filename: file });
    } catch (e: any) {
      const reason = String(e?.reason ?? e?.message ?? e).split('\n')[0];
      const line = e?.mark?.line !== undefined ? chunk.line + e.mark.line : chunk.line;
      res.bad.push(badInput(file, index, line, `document ${index} is not valid YAML: ${reason}`));
      return;
    }
    if (value === null || value === undefined) return;
    addValue(file, index, chunk.line, value, `${file}#${index}`, res);
  });
}

function addValue(file: string, index: number, line: number, value: any, docPath: string, res: Loaded) {
  if (typeof value !== 'object' || Array.isArray(value)) {
    res.bad.push(badInput(file, index, line, `document ${index} is not an object (${Array.isArray(value) ? 'a list' : typeof value})`, docPath));
    return;
  }
  if (typeof value.kind !== 'string' || value.kind === '' || typeof value.apiVersion !== 'string') {
    res.bad.push(badInput(file, index, line, `document ${index} has no ${typeof value.kind !== 'string' || value.kind === '' ? 'kind' : 'apiVersion'}; it is not a Kubernetes object`, docPath));
    return;
  }
  if (value.kind === 'List' || (value.kind.endsWith('List') && Array.isArray(value.items))) {
    const items = Array.isArray(value.items) ? value.items : [];
    items.forEach((item: any, j: number) => addValue(file, index, line, item, `${docPath}.items[${j}]`, res));
    return;
  }
  const doc = k8sDocument(value, docPath, file, index, line);
  res.documents.push(doc);
  const ann = value.metadata && typeof value.metadata === 'object' && value.metadata.annotations && typeof value.metadata.annotations === 'object'
    ? value.metadata.annotations : {};
  for (const key of Object.keys(ann)) {
    if (!key.startsWith(SUPPRESS_ANNOTATION_PREFIX)) continue;
    const ruleId = key.slice(SUPPRESS_ANNOTATION_PREFIX.length);
    const reason = typeof ann[key] === 'string' ? ann[key].trim() : '';
    if (reason.length < MIN_REASON) {
      res.bad.push({
        ...badInput(file, index, line, `annotation ${key} needs a reason of at least ${MIN_REASON} characters (got ${JSON.stringify(ann[key])})`, docPath),
        jsonPath: `metadata.annotations["${key}"]`,
        kind: doc.kind,
        ...(doc.name !== undefined ? { name: doc.name } : {}),
        ...(doc.namespace !== undefined ? { namespace: doc.namespace } : {}),
      });
      continue;
    }
    res.suppressions.push({ ruleId, reason, path: docPath });
  }
}

function badInput(file: string, index: number | undefined, line: number | undefined, message: string, docPath?: string): Finding {
  const f: any = {
    ruleId: BAD_INPUT_RULE_ID,
    severity: Severity.ERROR,
    message,
    fix: 'fix the file so every document is a Kubernetes object with apiVersion and kind',
    path: docPath ?? (index !== undefined ? `${file}#${index}` : file),
    jsonPath: '',
    kind: '',
    file,
  };
  if (index !== undefined) f.index = index;
  if (line !== undefined) f.line = line;
  return f as Finding;
}
