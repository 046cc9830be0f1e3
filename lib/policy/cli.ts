// `shipshape check <file|dir|->...`: runs the Kubernetes pack over YAML that shipshape did not write (or did), read
// from files, folders, or standard input (`-`: what `helm template` or `kustomize build` prints).
// Internal: reached through bin/shipshape, not re-exported by the barrel.
//
// Hostile input is expected: FIFOs, sockets and devices are never opened (a listing's entry is checked before it
// is opened, and a file is opened non-blocking and checked again), symlinks are followed to regular files and
// folders only and loops are cut, every file has a size limit, documents nested deeper than MAX_NESTING levels
// are refused before any rule sees them. Memory stays bounded by the parsed documents (which cross-object rules
// need): files are read one at a time and split into documents as they are read, raw text is dropped once a
// document is parsed, and findings are kept in a compact table and rendered one at a time.
import { isUtf8 } from 'buffer';
import * as fs from 'fs';
import * as path from 'path';
import { StringDecoder } from 'string_decoder';
import { parseArgs } from 'util';
import * as yaml from 'js-yaml';
import { refusalFix, refusalMessage } from './admission';
import { annotationSuppressions, carriesAnnotations, MIN_REASON, SUPPRESS_ANNOTATION_PREFIX } from './annotations';
import { DocumentIndex } from './document-index';
import { PolicyEngine } from './engine';
import { Finding, Suppression } from './finding';
import {
  ADMISSION_REFUSAL_RULE_ID, BAD_INPUT_RULE_ID, DUPLICATE_OBJECT_RULE_ID, ENGINE_RULES, findingFor, HOST_PORT_RULE_ID, isBuiltInRuleId, nearRuleId, RULE_CRASHED_RULE_ID,
  STALE_SUPPRESSION_RULE_ID, staleFinding, SUPPRESSION_SCOPES, SuppressionTable, TRAFFIC_CONFLICT_RULE_ID, UNKNOWN_RULE_SUPPRESSION_RULE_ID, UNRESOLVED_TOKEN_RULE_ID,
} from './internal';
import { KubernetesPack } from './k8s/kubernetes-pack';
import { K8sDoc, uncheckedPodTemplates } from './k8s/pod';
import { groupOf, HostPortIndex, TOKEN_FIX, tokenFields, trafficProblems } from './output-check';
import { peerExemptions } from './peers';
import type { RuleInfo } from './report';
import {
  BufferedWriter, FindingSource, isOwnJsonReport, jsonReport, packageInfo, renderSummary, reportFile, sarifLog, STDIN_FILE, streamJson, writeJsonFile,
} from './report-writer';
import { IRulePack, PolicyDocument, Severity } from './rule';
import { JOURNAL_FILE, unfinishedSynth } from '../k8s/synth-state';

export { SUPPRESS_ANNOTATION_PREFIX };

/** Default per-file size limit (`--max-file-size`). */
export const DEFAULT_MAX_FILE_SIZE = 64 * 1024 * 1024;
/** Documents nested deeper than this are refused (no Kubernetes object comes close; CRD schemas reach ~60). */
export const MAX_NESTING = 200;
/** The folder where k8s.App keeps its reports and its record of written files. */
const STATE_DIR = '.shipshape';
/** Files the walk reads. */
const CHECKED_EXTENSION = /\.(ya?ml|json)$/i;
/** The file cdk8s writes into its output folder with `recordConstructMetadata` (the walk skips it). */
const CONSTRUCT_METADATA_FILE = 'construct-metadata.json';
/** How many names of skipped project files the summary line gives before it counts the rest. */
const MAX_PROJECT_NAMES = 4;
/** The project files of a cdk8s or cdktf app (npm, TypeScript, the cdk8s and cdktf configs): a folder search skips them. */
const PROJECT_FILE = /^(package\.json|package-lock\.json|npm-shrinkwrap\.json|tsconfig(\.[\w-]+)?\.json|cdk8s\.ya?ml|cdktf\.json)$/;

const USAGE = `usage: shipshape check <file|dir|->... [options]

Checks Kubernetes YAML or JSON (multi-document files; folders are searched for *.yaml, *.yml and
*.json, skipping hidden folders, node_modules, shipshape's own .shipshape/ folder and report files,
cdk8s's construct-metadata.json, an app's project files (package.json, package-lock.json, tsconfig*.json, cdk8s.yaml,
cdktf.json), and Terraform JSON such as cdktf's cdk.tf.json and manifest.json) against shipshape's Kubernetes pack, and
prints a summary. - reads one YAML stream from standard input (named <stdin> in the findings).

Kustomize and Helm sources are not manifests: a folder holding kustomization.yaml (.yml, Kustomization)
or Chart.yaml is skipped with a note when found in a search, and refused when named. Check what they render:
  kustomize build <dir> | shipshape check -
  helm template <dir> | shipshape check -

options:
  --format text|json|sarif  what goes to stdout (default text; with json or sarif the summary goes to stderr)
  --json FILE               also write the JSON report to FILE
  --sarif FILE              also write the SARIF 2.1.0 log to FILE (for code-scanning UIs)
  --max-file-size SIZE      refuse larger files (default 64MiB; a number of bytes or 512KiB, 64MiB, 1GiB;
                            k, M and G count in 1000s: 60MB is 60,000,000 bytes)
  --exclude ID[,ID...]      leave these rules out of the Kubernetes pack (repeatable), as
                            new KubernetesPack({ exclude }) does at synth; also SS-POLICY-005, SS-POLICY-006
                            and SS-POLICY-007, the warnings about the input as a whole
  --trusted-registry HOST   a registry host images may come from, for SS-K8S-032 (repeatable; * matches
                            within the host, e.g. *.dkr.ecr.*.amazonaws.com), as KubernetesPack trustedRegistries
  --pack MODULE             also run the rule packs a JavaScript module exports (repeatable): the module, its
                            default export or any export that is a pack ({ name, rules }) or a list of packs,
                            else a new instance of each exported class named ...Pack taking no argument,
                            as synth runs them with Policy.configure (a module you trust: it runs as code)
  --version                 print the version
  --help                    print this text

A folder written by synth (k8s.App) records the Kubernetes pack options synth checked with in
<folder>/.shipshape/output.json; checking that folder, or a file of it that the record lists, uses them (said on
stderr), so check and synth agree.
Such a folder found in a folder named (shipshape check dist/ over dist/k8s/) is checked as an output of its
own, as if named alone: with the options of its own record (said on stderr), and apart from the other files
for the checks across objects (the summary names it). --exclude or --trusted-registry on the command line
replace every record's options.

exit codes:
  0  no error finding remains (warnings allowed)
  1  an error finding remains
  2  bad usage (an unknown rule id in --exclude, a --trusted-registry that is not a host pattern,
     folders named that were synthesized with different pack options, standard input (-) named twice), or input that
     could not be read: a missing or unreadable path, a FIFO, socket or device named on the command line,
     a kustomize or Helm source folder named, a file or standard input over the size limit, an output
     folder a synth is writing or was killed in while it moved its files in, or no Kubernetes document at all

Suppress a rule on one object with the annotation (on its metadata, or on a workload's pod template)
  suppress.shipshape.io/<rule id>: "<reason, at least ${MIN_REASON} characters>"
The exemption annotations of kube-linter (ignore-check.kube-linter.io/<check>, kube-linter.io/ignore-all),
Polaris (polaris.fairwinds.com/<check>-exempt: "true", polaris.fairwinds.com/exempt: "true"),
kube-score (kube-score/ignore: <check>,...) and Checkov (checkov.io/skip1: <check id>=<comment>)
suppress the shipshape rules that stand for those checks.
`;

/** Where the command writes (stdout and stderr, or a test's buffers), and what `-` reads. */
export interface Io {
  out(s: string): void;
  err(s: string): void;
  /** What `-` reads (default: the process's standard input). */
  readonly stdin?: AsyncIterable<Buffer | string> & { readonly isTTY?: boolean };
}

/** The input that names standard input. */
const STDIN_INPUT = '-';

type Format = 'text' | 'json' | 'sarif';

/**
 * Runs the command line. Returns the exit code.
 * @internal
 */
export async function main(argv: string[], io?: Io): Promise<number> {
  if (!io) {
    // `shipshape check ... | head` closes the pipe early: stop writing instead of crashing
    process.stdout.on('error', (e: any) => { if (e?.code !== 'EPIPE') throw e; });
    io = { out: s => { process.stdout.write(s); }, err: s => { process.stderr.write(s); } };
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        'json': { type: 'string' },
        'sarif': { type: 'string' },
        'format': { type: 'string' },
        'max-file-size': { type: 'string' },
        'exclude': { type: 'string', multiple: true },
        'trusted-registry': { type: 'string', multiple: true },
        'pack': { type: 'string', multiple: true },
        'version': { type: 'boolean' },
        'help': { type: 'boolean', short: 'h' },
      },
    });
  } catch (e: any) {
    io.err(`shipshape: ${argumentError(e)}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.version) {
    io.out(`${packageInfo().version}\n`);
    return 0;
  }
  if (values.help || positionals[0] === 'help') {
    io.out(USAGE);
    return 0;
  }
  if (positionals.length === 0) {
    io.err(USAGE);
    return 2;
  }
  const [cmd, ...inputs] = positionals;
  if (cmd !== 'check') {
    io.err(`shipshape: unknown command ${JSON.stringify(cmd)}\n\n${USAGE}`);
    return 2;
  }
  if (inputs.length === 0) {
    io.err(`shipshape: nothing to check: name files or folders, or - for standard input\n\n${USAGE}`);
    return 2;
  }
  if (inputs.filter(i => i === STDIN_INPUT).length > 1) {
    io.err('shipshape: - (standard input) is named more than once; it is one stream and can be read once: name it once '
      + '(to check a file named -, write ./-)\n');
    return 2;
  }
  const format = (values.format ?? 'text') as Format;
  if (!['text', 'json', 'sarif'].includes(format)) {
    io.err(`shipshape: --format must be text, json or sarif (got ${JSON.stringify(values.format)})\n`);
    return 2;
  }
  if (values.json !== undefined && values.sarif !== undefined && path.resolve(values.json) === path.resolve(values.sarif)) {
    io.err(`shipshape: --json and --sarif name the same file (${values.json}): the SARIF log would overwrite the JSON report; give each its own file\n`);
    return 2;
  }
  let maxFileSize = DEFAULT_MAX_FILE_SIZE;
  if (values['max-file-size'] !== undefined) {
    const n = parseSize(values['max-file-size']);
    if (n === undefined) {
      io.err(`shipshape: --max-file-size must be a size such as 1048576, 512KiB, 64MiB or 1GiB (got ${JSON.stringify(values['max-file-size'])})\n`);
      return 2;
    }
    maxFileSize = n;
  }
  let commandLine: PackOptions | undefined;
  const exclude = parseExclude(values.exclude ?? []);
  if (typeof exclude === 'string') {
    io.err(`shipshape: ${exclude}\n`);
    return 2;
  }
  // only the pack's rule ids (and the registries) are pack options: `--exclude SS-POLICY-005` alone keeps the options
  // synth recorded
  if (exclude.rules.length > 0 || values['trusted-registry'] !== undefined) {
    const trustedRegistries = parseTrustedRegistries(values['trusted-registry'] ?? []);
    if (typeof trustedRegistries === 'string') {
      io.err(`shipshape: ${trustedRegistries}\n`);
      return 2;
    }
    commandLine = { exclude: exclude.rules, trustedRegistries };
  }
  const customPacks = loadPacks(values.pack ?? [], io);
  if (customPacks === undefined) return 2;
  return check(inputs, {
    format, json: values.json, sarif: values.sarif, maxFileSize, commandLine, customPacks, excludeWholeInput: new Set(exclude.wholeInput),
  }, io);
}

// ------------------------------------------------------------------------------------------------ pack options

/** True for a value shaped like a rule pack: a name and a list of rules. */
function isPack(x: any): x is IRulePack {
  return x !== null && typeof x === 'object' && typeof x.name === 'string' && Array.isArray(x.rules);
}

/**
 * The packs the `--pack` modules export: each module loaded with require (a path relative to the working directory,
 * or a package name), its packs being the module itself, its default export, or every export that is a pack or a list
 * of packs; failing those, an instance of each exported class named `...Pack` whose constructor can be called with no argument.
 * Undefined (and the reason on stderr) when a module cannot be loaded or exports none.
 */
function loadPacks(modules: readonly string[], io: Io): IRulePack[] | undefined {
  const packs: IRulePack[] = [];
  for (const m of modules) {
    // a path (also one without ./, as `dist/acme.js` is typed) when such a file exists, else a package name
    const target = m.startsWith('.') || path.isAbsolute(m) || fs.existsSync(path.resolve(m)) ? path.resolve(m) : m;
    let exported: any;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      exported = require(target);
    } catch (e: any) {
      io.err(`shipshape: --pack ${m} could not be loaded: ${String(e?.message ?? e).split('\n')[0]}; name a JavaScript module (compile TypeScript first) by its path or package name\n`);
      return undefined;
    }
    const candidates = [exported, readExport(exported, 'default'), ...exportedValues(exported)];
    const found = new Set<IRulePack>();
    // the Kubernetes pack runs anyway, with the options of the command line or of synth's record
    const own = (x: any) => isPack(x) && !KubernetesPack._isKubernetesPack(x);
    for (const c of candidates) {
      if (own(c)) found.add(c);
      else if (Array.isArray(c)) for (const x of c) if (own(x)) found.add(x);
    }
    // a jsii library exports its pack as a class (jsii drops exported constants from its assembly): a class whose name
    // ends in Pack and whose constructor can be called with no argument (none, or one optional props object: written
    // `props?: AcmePackProps`, it still counts 1 in Function.length) is made once, when the module exports no pack object
    // a class that needs arguments (a pack made per tenant) cannot be made here: it is skipped, and named
    const failed: string[] = [];
    if (found.size === 0) {
      for (const c of new Set(candidates)) {
        if (typeof c !== 'function' || c.length > 1 || !/Pack$/.test(c.name ?? '') || c.prototype === undefined || c === KubernetesPack) continue;
        let made: unknown;
        try {
          made = new c();
        } catch (e: any) {
          failed.push(`new ${c.name}() failed: ${String(e?.message ?? e).split('\n')[0]}`);
          continue;
        }
        if (own(made)) found.add(made as IRulePack);
      }
    }
    if (found.size === 0) {
      io.err(`shipshape: --pack ${m} exports no rule pack${failed.length > 0 ? ` that can be made without arguments (${failed.join('; ')})` : ''}: `
        + 'export an object with a name and a list of rules (an IRulePack), for example module.exports = { name: \'acme\', rules: [...] }, '
        + 'or a class named ...Pack whose constructor can be called with no argument\n');
      return undefined;
    }
    for (const f of failed) io.err(`shipshape note: --pack ${m}: ${f}; that class is skipped (its constructor needs arguments), the module's other packs run\n`);
    packs.push(...found);
  }
  return packs;
}

/**
 * `x[key]` of a module's exports, or undefined when reading it throws (a lazy export whose optional dependencies are
 * missing, such as shipshape's own `aws`): such an export holds no pack this run could use.
 */
function readExport(x: any, key: string): unknown {
  if (x === null || (typeof x !== 'object' && typeof x !== 'function')) return undefined;
  try {
    return x[key];
  } catch {
    return undefined;
  }
}

/** The values of a module's own enumerable exports, leaving out those that throw when read (see `readExport`). */
function exportedValues(x: any): unknown[] {
  if (x === null || typeof x !== 'object') return [];
  return Object.keys(x).map(k => readExport(x, k));
}

/** The options of the Kubernetes pack a run uses (those of KubernetesPackProps). */
interface PackOptions {
  readonly exclude: string[];
  readonly trustedRegistries: string[];
}

/** Where synth records what it wrote into an output folder, and the options of the Kubernetes pack it checked with. */
const RECORD_FILE = 'output.json';
/** Where a fleet records the folders it wrote (`<outdir>/.shipshape/fleet.json`). */
const FLEET_RECORD_FILE = 'fleet.json';

/** The ids of the Kubernetes pack's rules. */
function kubernetesRuleIds(): string[] {
  return new KubernetesPack().rules.map(r => r.id);
}

/**
 * The findings about the input as a whole that `--exclude` can leave out: warnings, because one run may hold the
 * outputs of several clusters (synth refuses all three in one output).
 */
const WHOLE_INPUT_RULE_IDS = [DUPLICATE_OBJECT_RULE_ID, HOST_PORT_RULE_ID, TRAFFIC_CONFLICT_RULE_ID];

/** Why each of the engine's other findings cannot be left out with `--exclude`. */
const NOT_EXCLUDABLE: { readonly [id: string]: string } = {
  [STALE_SUPPRESSION_RULE_ID]: 'it reports a suppression annotation that silences nothing; remove the annotation instead',
  [RULE_CRASHED_RULE_ID]: 'it reports a rule that could not check a document, which would otherwise pass unchecked',
  [BAD_INPUT_RULE_ID]: 'it reports input that could not be read or checked, which would otherwise pass unchecked',
  [UNKNOWN_RULE_SUPPRESSION_RULE_ID]: 'it reports a suppression annotation naming a rule that does not exist (a typo); correct the id in the annotation',
  [UNRESOLVED_TOKEN_RULE_ID]: 'it reports an unresolved cdktf or AWS CDK token, a placeholder the cluster would get instead of the value',
  [ADMISSION_REFUSAL_RULE_ID]: 'it reports a suppressed finding that Pod Security admission refuses anyway; where the cluster exempts the pods, suppress SS-POLICY-009 on the object',
};

/**
 * `--exclude` values (each a rule id or a comma-separated list): the Kubernetes pack's rules, and the whole-input
 * warnings (SS-POLICY-005, -006, -007) to leave out; or what is wrong with them.
 */
function parseExclude(values: string[]): { rules: string[]; wholeInput: string[] } | string {
  const known = kubernetesRuleIds();
  const rules: string[] = [];
  const wholeInput: string[] = [];
  for (const v of values) {
    for (const raw of v.split(',')) {
      const id = raw.trim();
      if (id === '') return `--exclude needs rule ids such as SS-K8S-063, separated by commas (got ${JSON.stringify(v)})`;
      if (WHOLE_INPUT_RULE_IDS.includes(id)) {
        if (!wholeInput.includes(id)) wholeInput.push(id);
        continue;
      }
      if (NOT_EXCLUDABLE[id] !== undefined) {
        return `--exclude: ${id} cannot be excluded: ${NOT_EXCLUDABLE[id]}; of the engine's own findings only the whole-input warnings `
          + `${WHOLE_INPUT_RULE_IDS.join(', ')} can be left out`;
      }
      if (!known.includes(id)) {
        const head = `--exclude: ${JSON.stringify(id)} is not a rule of the Kubernetes pack (${known[0]} … ${known[known.length - 1]}) `
          + `nor one of the whole-input warnings (${WHOLE_INPUT_RULE_IDS.join(', ')})`;
        // a suggestion only for a slip of one of those ids: ACME-001 is a rule of its own, not a slip of SS-K8S-001
        const slip = nearRuleId(id, [...known, ...WHOLE_INPUT_RULE_IDS]);
        if (slip !== undefined) return `${head}; did you mean ${slip}?`;
        return isBuiltInRuleId(id.toUpperCase()) ? `${head}; list the ids as the policy report shows them`
          : `${head}; --exclude leaves out rules of shipshape's Kubernetes pack only: to leave out a rule of a pack of yours (--pack), `
            + 'leave it out of the rules the pack\'s module exports';
      }
      if (!rules.includes(id)) rules.push(id);
    }
  }
  return { rules, wholeInput };
}

/** What a registry host pattern is made of: host name characters, a port's `:`, IPv6 brackets, and `*`. */
const HOST_PATTERN = /^[A-Za-z0-9*._:[\]-]+$/;

/** `--trusted-registry` values as host patterns (KubernetesPackProps.trustedRegistries), or what is wrong with them. */
function parseTrustedRegistries(values: string[]): string[] | string {
  const out: string[] = [];
  for (const v of values) {
    const p = v.trim();
    const example = 'for example ghcr.io, registry.k8s.io or *.dkr.ecr.*.amazonaws.com';
    if (p === '') return `--trusted-registry needs a registry host pattern, ${example}`;
    if (p.includes(',')) return `--trusted-registry takes one host pattern (got ${JSON.stringify(v)}); repeat the option for each registry`;
    if (p.includes('/')) {
      return `--trusted-registry takes a registry host, not an image, path or URL (got ${JSON.stringify(v)}): images are matched by their host only; `
        + `write the host, ${example}`;
    }
    if (!HOST_PATTERN.test(p) || !/^[A-Za-z0-9*[]/.test(p) || !/[A-Za-z0-9*\]]$/.test(p)) {
      return `--trusted-registry: ${JSON.stringify(v)} is not a registry host pattern (letters, digits, '.', '-', ':' and '*' only, starting and ending with a letter, digit or '*'), ${example}`;
    }
    if (!out.includes(p)) out.push(p);
  }
  return out;
}

/**
 * The App output folder whose record (`.shipshape/output.json`) lists `file` among the files synth wrote, searching
 * the file's folder and those above it; undefined when none does.
 */
function recordingFolder(file: string): string | undefined {
  const abs = path.resolve(file);
  for (let dir = path.dirname(abs); ; dir = path.dirname(dir)) {
    try {
      const data = JSON.parse(fs.readFileSync(path.join(dir, STATE_DIR, RECORD_FILE), 'utf-8'));
      const rel = path.relative(dir, abs).split(path.sep).join('/');
      if (Array.isArray(data?.files) && data.files.includes(rel)) return path.relative(process.cwd(), dir) || '.';
      return undefined; // the nearest record does not list it: not synth's file
    } catch {
      // no record here: look further up
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** The pack options recorded in `<dir>/.shipshape/output.json` (undefined if none), or why the record's field is ignored. */
function recordedOptions(dir: string, maxFileSize: number): { file: string; options?: PackOptions; ignored?: string } | undefined {
  const file = path.join(dir, STATE_DIR, RECORD_FILE);
  let text: string;
  try {
    if (!fs.statSync(file).isFile()) return undefined;
    if (fs.statSync(file).size > maxFileSize) return { file, ignored: 'it is over the size limit' };
    text = fs.readFileSync(file, 'utf-8');
  } catch {
    return undefined; // no record: not an output folder of synth (or one written before records)
  }
  let data: any;
  try {
    data = JSON.parse(text);
  } catch {
    return { file, ignored: 'it is not valid JSON' };
  }
  if (data === null || typeof data !== 'object' || data.kubernetesPack === undefined) return undefined;
  const k = data.kubernetesPack;
  const strings = (a: unknown) => Array.isArray(a) && a.every(x => typeof x === 'string' && x.trim() !== '');
  if (k === null || typeof k !== 'object' || Array.isArray(k) || !strings(k.exclude) || !strings(k.trustedRegistries)) {
    return { file, ignored: 'its "kubernetesPack" field is not {"exclude": [<rule id>...], "trustedRegistries": [<host pattern>...]}' };
  }
  const options = { exclude: [...k.exclude], trustedRegistries: [...k.trustedRegistries] };
  try {
    kubernetesPack(options); // the options a pack refuses (an id that is no rule of it), as written by an older shipshape or by hand
  } catch (e) {
    return { file, ignored: String((e as Error).message).replace(/^KubernetesPack: /, '') };
  }
  return { file, options };
}

/**
 * The packs the record of the output folder `dir` says its synth ran: the names of those other than the Kubernetes
 * pack, and whether that one ran (recorded with its options); nothing known without a readable record.
 */
function recordedPacks(dir: string): { others: string[]; kubernetes: boolean } {
  try {
    const data = JSON.parse(fs.readFileSync(path.join(dir, STATE_DIR, RECORD_FILE), 'utf-8'));
    const others = Array.isArray(data?.otherPacks) ? data.otherPacks.filter((n: unknown): n is string => typeof n === 'string' && n !== '') : [];
    return { others, kubernetes: data?.kubernetesPack !== undefined };
  } catch {
    return { others: [], kubernetes: true };
  }
}

/** The options in words, for messages. */
function describeOptions(o: PackOptions): string {
  return `exclude ${o.exclude.length > 0 ? o.exclude.join(', ') : 'none'}; trusted registries ${o.trustedRegistries.length > 0 ? o.trustedRegistries.join(', ') : 'none (SS-K8S-032 off)'}`;
}

/** Options compare as sets. */
function optionsKey(o: PackOptions): string {
  return JSON.stringify([[...new Set(o.exclude)].sort(), [...new Set(o.trustedRegistries)].sort()]);
}

/**
 * The options of the Kubernetes pack for a run: the run's, and those of each output folder checked on its own (a
 * cluster folder of a fleet, or an App's output folder found in a folder named).
 */
interface RunPackOptions {
  /** For every document outside the folders below (undefined: the pack's defaults). */
  readonly run?: PackOptions;
  /** For the documents of an output folder checked on its own (by absolute path), as synth recorded them for it. */
  readonly clusters: ReadonlyMap<string, PackOptions>;
}

/**
 * The options of the Kubernetes pack for this run: the command line's when given, else those synth recorded in the
 * output folders named on the command line (`<dir>/.shipshape/output.json`, field `kubernetesPack`), else the
 * defaults. A fleet's folder named on the command line (`.shipshape/fleet.json`) brings each of its clusters' own
 * records: every cluster is checked with the options it was synthesized with, as when its folder is named alone. So
 * does each App output folder the search met below a folder named (`found`, absolute paths; see
 * `Loader.outputFolders`): it is checked with the options its own record holds, as when it is named alone.
 * Says on stderr which it uses; 'conflict' (after saying why) when folders named recorded different options and the
 * command line gives none.
 */
function packOptions(inputs: readonly string[], found: readonly string[], commandLine: PackOptions | undefined, maxFileSize: number, io: Io): RunPackOptions | 'conflict' {
  const records: { file: string; options: PackOptions }[] = [];
  const clusterRecords: { folder: string; file: string; options: PackOptions }[] = [];
  /** The records of the App output folders found in the search, each its own output. */
  const foundRecords: { folder: string; file: string; options: PackOptions }[] = [];
  /** The folders whose record was read (a fleet's cluster is also found in the search: its record is read once). */
  const readFolders = new Set<string>();
  const read = (dir: string) => {
    readFolders.add(path.resolve(dir));
    const r = recordedOptions(dir, maxFileSize);
    if (r === undefined) return undefined;
    const file = toSlash(r.file);
    if (r.options === undefined) {
      io.err(`shipshape: ignored the Kubernetes pack options recorded in ${file}: ${r.ignored}\n`);
      return undefined;
    }
    return { file, options: r.options };
  };
  for (const input of inputs) {
    if (input === STDIN_INPUT) continue;
    let dir = false;
    try {
      dir = fs.statSync(input).isDirectory();
    } catch {
      // reported when the input is read
    }
    if (!dir) {
      // a file of an App's output folder, named alone: checked with the options synth recorded for that folder
      const owner = recordingFolder(input);
      const own = owner === undefined ? undefined : read(owner);
      if (own !== undefined && !records.some(x => x.file === own.file)) records.push(own);
      continue;
    }
    const own = read(input);
    if (own !== undefined) {
      if (!records.some(x => x.file === own.file)) records.push(own);
      continue;
    }
    for (const f of fleetFolders(input)) {
      const folder = path.resolve(input, f);
      const r = fs.existsSync(folder) ? read(folder) : undefined;
      if (r !== undefined && !clusterRecords.some(x => x.folder === folder)) clusterRecords.push({ folder, ...r });
    }
  }
  for (const folder of found) {
    if (readFolders.has(folder)) continue;
    // named as the search met it: relative to the working directory when inside it
    const r = read(reportFile(folder, process.cwd()));
    if (r !== undefined) foundRecords.push({ folder, ...r });
  }
  const files = (list: { file: string }[]) => list.map(x => x.file).join(', ');
  if (commandLine !== undefined) {
    const replaced = [...records, ...clusterRecords, ...foundRecords];
    if (replaced.length > 0) {
      io.err(`shipshape: the command line's --exclude/--trusted-registry replace the Kubernetes pack options synth recorded in ${files(replaced)}; `
        + `using ${describeOptions(commandLine)}\n`);
    }
    return { run: commandLine, clusters: new Map() };
  }
  const clusters = new Map([...clusterRecords, ...foundRecords].map(r => [r.folder, r.options]));
  if (clusterRecords.length > 0) {
    io.err(`shipshape: checking each cluster of the fleet with the Kubernetes pack options synth recorded for it: ${clusterRecords.map(r => `${r.file}: ${describeOptions(r.options)}`).join('; ')}\n`);
  }
  for (const r of foundRecords) {
    io.err(`shipshape: checking ${reportFile(r.folder, process.cwd())}/ as an output of its own, with the Kubernetes pack options synth recorded in ${r.file}: ${describeOptions(r.options)}\n`);
  }
  if (records.length === 0) return { clusters };
  const distinct = new Map<string, { file: string; options: PackOptions }[]>();
  for (const r of records) {
    const key = optionsKey(r.options);
    const list = distinct.get(key);
    if (list) list.push(r); else distinct.set(key, [r]);
  }
  if (distinct.size > 1) {
    const each = [...distinct.values()].map(list => `${files(list)}: ${describeOptions(list[0].options)}`).join('; and ');
    io.err(`shipshape: the folders were synthesized with different Kubernetes pack options (${each}); one run checks with one set: `
      + 'check the folders in separate runs, or give --exclude and --trusted-registry to use the same options for all\n');
    return 'conflict';
  }
  const options = records[0].options;
  io.err(`shipshape: using the Kubernetes pack options synth recorded in ${files(records)}: ${describeOptions(options)}\n`);
  return { run: options, clusters };
}

/** parseArgs' errors, said the way this command says things. */
function argumentError(e: any): string {
  const msg = String(e?.message ?? e);
  const opt = /Option '(-[-\w]+)/.exec(msg)?.[1] ?? /'(-[-\w]+)'/.exec(msg)?.[1];
  if (e?.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${opt ?? msg}`;
  if (e?.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && opt) {
    const what: { [o: string]: string } = {
      '--json': 'a file name',
      '--sarif': 'a file name',
      '--format': 'text, json or sarif',
      '--max-file-size': 'a size, for example 64MiB',
      '--exclude': 'rule ids, for example SS-K8S-063',
      '--trusted-registry': 'a registry host pattern, for example ghcr.io',
      '--pack': 'a module that exports a rule pack, for example ./acme-pack.js',
    };
    if (/argument missing|ambiguous/.test(msg)) return `${opt} needs ${what[opt] ?? 'a value'}`;
    return `${opt} takes no value`;
  }
  return msg;
}

const UNITS: { [u: string]: number } = {
  '': 1,
  'b': 1,
  'k': 1000,
  'kb': 1000,
  'm': 1000 ** 2,
  'mb': 1000 ** 2,
  'g': 1000 ** 3,
  'gb': 1000 ** 3,
  'ki': 1024,
  'kib': 1024,
  'mi': 1024 ** 2,
  'mib': 1024 ** 2,
  'gi': 1024 ** 3,
  'gib': 1024 ** 3,
};

/**
 * `1048576`, `512KiB`, `64MiB`, `1.5GiB`, `60MB` in bytes, or undefined: Ki, Mi, Gi (with or without B) count in
 * 1024s, k, M, G (with or without B) in 1000s, as Kubernetes quantities and the SI prefixes do.
 */
export function parseSize(s: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(s);
  if (!m) return undefined;
  const unit = UNITS[m[2].toLowerCase()];
  if (unit === undefined) return undefined;
  const n = Math.floor(Number(m[1]) * unit);
  return n > 0 ? n : undefined;
}

/** How many files a message names before it says `...`. */
const MAX_NAMED_FILES = 5;

function formatSize(n: number): string {
  if (n >= 1024 ** 3) return `${+(n / 1024 ** 3).toFixed(1)} GiB`;
  if (n >= 1024 ** 2) return `${+(n / 1024 ** 2).toFixed(1)} MiB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}

interface CheckOptions {
  readonly format: Format;
  readonly json?: string;
  readonly sarif?: string;
  readonly maxFileSize: number;
  /**
   * The options of the Kubernetes pack the command line gives (`--exclude` naming rules of the pack,
   * `--trusted-registry`): they replace every record's. Undefined: the records' (see `packOptions`), else the defaults.
   */
  readonly commandLine?: PackOptions;
  /** The whole-input warnings left out (`--exclude SS-POLICY-005` ...). */
  readonly excludeWholeInput?: ReadonlySet<string>;
  /** The packs of your own (`--pack`), run beside the Kubernetes pack. */
  readonly customPacks?: readonly IRulePack[];
}

async function check(inputs: string[], options: CheckOptions, io: Io): Promise<number> {
  const loader = new Loader(options.maxFileSize);
  for (const input of inputs) {
    if (input !== STDIN_INPUT) {
      loader.loadInput(input);
      continue;
    }
    const stdin = io.stdin ?? process.stdin;
    if (stdin.isTTY) io.err('shipshape: reading YAML from standard input (the terminal); end it with Ctrl-D\n');
    await loader.loadStream(stdin);
  }
  // a report must not overwrite what it reports on (nor may the run with nothing to check remove it)
  const clash = reportOverInput(inputs, loader, options);
  if (clash !== undefined) {
    io.err(`shipshape: ${clash}\n`);
    return 2;
  }
  // the options of the folders named, and of the output folders the search found in them
  const pack = packOptions(inputs, loader.outputFolders, options.commandLine, options.maxFileSize, io);
  if (pack === 'conflict') return 2;

  const human = options.format === 'text' ? io.out : io.err;
  for (const note of loader.notes.slice(0, 20)) io.err(`shipshape: ${note}\n`);
  if (loader.notes.length > 20) io.err(`shipshape: ... and ${loader.notes.length - 20} more skipped\n`);

  const emptyFolders = (folders: string[]) => `${folders.join(', ')} ${folders.length === 1 ? 'holds' : 'hold'} no .yaml, .yml or .json file`;
  if (loader.documents.length === 0 && loader.bad.length === 0) {
    const names = loader.fileNames.join(', ') + (loader.files > loader.fileNames.length ? ', ...' : '');
    const why = loader.files === 0 && loader.skippedOwn + loader.skippedReports + loader.skippedTerraform + loader.skippedLinks + loader.skippedSpecial + loader.skippedSources + loader.skippedMetadata + loader.skippedProject > 0 ? 'nothing was read'
      : loader.files === 0 ? emptyFolders(inputs.map(toSlash))
        : (loader.files === 1 && loader.fileNames[0] === STDIN_FILE
          ? (loader.emptyLists > 0 ? `standard input (-) holds ${loader.emptyLists === 1 ? 'a List' : 'Lists'} with no items (items: [])` : 'standard input (-) is empty or holds only comments and --- separators (did the command before the | fail?)')
          : loader.emptyLists > 0 ? `the ${loader.files === 1 ? 'file' : `${loader.files} files`} read (${names}) hold${loader.files === 1 ? 's' : ''} only Lists with no items (items: []), comments and --- separators`
            : loader.files === 1 ? `the file read (${names}) is empty or holds only comments and --- separators`
              : `the ${loader.files} files read (${names}) are empty or hold only comments and --- separators`)
          + (loader.emptyFolders.length > 0 ? `; ${emptyFolders(loader.emptyFolders)}` : '');
    io.err(`shipshape: no Kubernetes documents found: ${why}${loader.skippedNote()}\n`);
    // a report of an earlier run would pass for this run's (a CI job uploads whatever file is there)
    for (const file of [options.json, options.sarif]) {
      if (file === undefined || !fs.existsSync(file) || !fs.statSync(file).isFile()) continue;
      fs.rmSync(file, { force: true });
      io.err(`shipshape: removed ${file}, the report of an earlier run: this run checked nothing\n`);
    }
    return 2;
  }
  // a folder named on the command line that holds nothing to check is worth a word (a wrong path, an empty render)
  if (loader.emptyFolders.length > 0) io.err(`shipshape: ${emptyFolders(loader.emptyFolders)}\n`);
  // pods in a kind the pack does not read (an Argo Rollout) are not checked: a clean result must not say they were
  const unchecked = uncheckedPodTemplates(loader.documents, '--pack');
  if (unchecked !== undefined) io.err(`shipshape: ${unchecked}\n`);

  // one engine per distinct set of Kubernetes pack options: the run's, and each output folder's own
  const engines = new Map<string, PolicyEngine>();
  const engineFor = (o: PackOptions | undefined): PolicyEngine => {
    const key = o === undefined ? '' : optionsKey(o);
    let e = engines.get(key);
    if (e === undefined) {
      e = new PolicyEngine({ packs: [kubernetesPack(o), ...(options.customPacks ?? [])] });
      engines.set(key, e);
    }
    return e;
  };
  const excluded = (id: string) => options.excludeWholeInput?.has(id) === true;
  // the clusters of a fleet, and the App output folders found in the folders named, are separate outputs: the
  // whole-input checks and the cross-object rules look within one output folder at a time (staging's NetworkPolicy
  // does not cover prod's pods)
  const outputs = clusterGroups(loader.documents, new Set(loader.outputFolders));
  let engine: PolicyEngine;
  /** The engine of each document (only when clusters use options of their own). */
  const engineOfDoc = new Map<PolicyDocument, PolicyEngine>();
  const groupEngines: PolicyEngine[] = [];
  try {
    engine = engineFor(pack.run);
    for (const { folder } of outputs) groupEngines.push(engineFor(pack.clusters.get(folder) ?? pack.run));
  } catch (e: any) {
    io.err(`shipshape: ${e?.message ?? e}\n`);
    return 2;
  }
  if (engines.size > 1) outputs.forEach(({ docs }, i) => docs.forEach(d => engineOfDoc.set(d, groupEngines[i])));
  const findings = new CompactFindings(loader.documents, [
    ...loader.bad,
    ...outputs.flatMap(({ docs }) => [
      ...(excluded(DUPLICATE_OBJECT_RULE_ID) ? [] : duplicateObjects(docs)),
      ...(excluded(HOST_PORT_RULE_ID) ? [] : hostPortClashes(docs)),
      ...(excluded(TRAFFIC_CONFLICT_RULE_ID) ? [] : trafficConflicts(docs)),
    ]),
    ...unresolvedTokens(loader.documents),
  ]);
  const table = new SuppressionTable(loader.suppressions);
  let index: DocumentIndex;
  let refusedDoc: PolicyDocument | undefined;
  /** The refusal of each rule on `refusedDoc`: where it sits in `findings`, and the refused findings it stands for. */
  const refusedRules = new Map<string, { at: number; jsonPath: string; count: number; level: number }>();
  const refusal = engineRule(ADMISSION_REFUSAL_RULE_ID);
  /** SS-POLICY-009 with the fix for the levels that let the pods run (one RuleInfo per fix). */
  const refusalRules = new Map<string, RuleInfo>();
  const refusalRule = (fix: string): RuleInfo => {
    let r = refusalRules.get(fix);
    if (r === undefined) refusalRules.set(fix, r = fix === refusal.fix ? refusal : { ...refusal, fix });
    return r;
  };
  const emit = (doc: PolicyDocument, rule: RuleInfo, jsonPath: string, message: string | undefined) => {
    const s = table.match(rule.id, doc.path, jsonPath, doc.kind, message ?? rule.message, doc.manifest);
    findings.add(doc, rule, jsonPath, message, s);
    const why = s === undefined ? undefined : engine._admissionRefusal(rule.id, doc, jsonPath, index);
    if (why === undefined) return;
    // one per object and rule (a rule may report each container, each volume): it says how many findings it stands for
    if (doc !== refusedDoc) {
      refusedDoc = doc;
      refusedRules.clear();
    }
    const known = refusedRules.get(rule.id);
    if (known !== undefined) {
      known.count++;
      known.level = Math.min(known.level, why.level);
      findings.replace(known.at, refusalRule(refusalFix(rule.id, known.level)), refusalMessage(rule.id, why, known.jsonPath, known.count));
      return;
    }
    const at = findings.add(doc, refusalRule(refusalFix(rule.id, why.level)), jsonPath, refusalMessage(rule.id, why, jsonPath, 1),
      table.match(ADMISSION_REFUSAL_RULE_ID, doc.path));
    refusedRules.set(rule.id, { at, jsonPath, count: 1, level: why.level });
  };
  const runEngine = engine;
  outputs.forEach(({ docs }, i) => {
    engine = groupEngines[i];
    index = new DocumentIndex(docs);
    engine._evaluate(docs, index, emit);
  });
  // a stale shipshape annotation is reported; a peer's exemption that silences nothing is the peer's business
  const otherPacks = new Set<string>();
  for (const s of table.unused()) {
    const doc = loader.suppressionDocs.get(s);
    // the engine that checked the document carrying the annotation
    const own = (doc !== undefined ? engineOfDoc.get(doc) : undefined) ?? runEngine;
    if (loader.peerSuppressions.has(s) || own._excludes(s.ruleId) || excluded(s.ruleId)) continue;
    // what the engine reports (a stale suppression, or one naming an unknown rule), placed at the document that
    // carries the annotation
    const unknown = own._unknownRule(s);
    if (unknown !== undefined && !looksBuiltIn(s.ruleId) && !own._claims(s.ruleId)) {
      // a rule of a pack this command does not run (a team's own pack, which runs at synth); an unknown SS- id, or one
      // that is a slip of a rule of the packs that run or has their prefix (ACME-01, acme-003 with --pack acme), is a typo
      otherPacks.add(s.ruleId);
      continue;
    }
    const f = unknown ?? staleFinding(s);
    findings.addAfter(doc ? { ...f, file: doc.file, index: doc.index, line: doc.line } : f);
  }

  const written = [options.json, options.sarif].filter((f): f is string => f !== undefined);
  const everyFinding = written.length > 0 ? `every finding is in ${written.join(' and ')}`
    : options.format !== 'text' ? 'every finding is in the report on stdout' : 'run with --json FILE or --sarif FILE to get every finding';
  if (otherPacks.size > 0) {
    io.err(`shipshape: suppression annotations of rules this command does not run were left alone: ${[...otherPacks].sort().join(', ')} `
      + ((options.customPacks ?? []).length === 0 ? '(rules of your own packs run at synth; shipshape check runs the Kubernetes pack, and yours with --pack <module>)\n'
        : `(this command ran the packs ${runEngine.packs.map(p => p.name).join(', ')}; add --pack <module> for the pack that defines them)\n`));
  }
  // packs of the user's own that synth ran over an output folder and this command does not (no --pack giving them):
  // a clean result here says nothing of their rules
  const given = new Set((options.customPacks ?? []).map(p => p.name));
  const missingPacks = new Map<string, string[]>();
  const folders = new Set(loader.outputFolders.map(f => path.resolve(f)));
  for (const input of inputs) {
    if (input === STDIN_INPUT) continue;
    try {
      if (fs.statSync(input).isDirectory()) folders.add(path.resolve(input));
    } catch {
      // reported when the input was read
    }
  }
  /** The folders whose synth ran packs of its own only: this command's Kubernetes pack may report what synth did not. */
  const withoutKubernetes: string[] = [];
  for (const folder of folders) {
    const shown = toSlash(path.relative(process.cwd(), folder) || '.');
    const recorded = recordedPacks(folder);
    if (!recorded.kubernetes && recorded.others.length > 0) withoutKubernetes.push(shown);
    for (const name of recorded.others) {
      if (given.has(name)) continue;
      missingPacks.set(name, [...(missingPacks.get(name) ?? []), shown]);
    }
  }
  for (const [name, where] of missingPacks) {
    io.err(`shipshape: synth of ${where.join(', ')} also ran the rule pack ${JSON.stringify(name)}, which this command does not: `
      + 'its rules are not checked here; add --pack <the module that exports it>\n');
  }
  if (withoutKubernetes.length > 0) {
    io.err(`shipshape: synth of ${withoutKubernetes.join(', ')} did not run shipshape's Kubernetes pack (its Policy.configure packs leave it out), which this command runs: `
      + 'its findings here are not ones synth reported, nor are the suppressions synth would have written for them\n');
  }
  human(renderSummary(findings, false, 50, everyFinding));
  const notChecked = loader.notChecked > 0 ? ` (${loader.notChecked} more not checked: see SS-POLICY-003)` : '';
  human(`checked ${plural(loader.documents.length, 'document')}${notChecked} in ${plural(loader.files, 'file')}${loader.skippedNote()}\n`);
  if (loader.notChecked > 0 && findings.errors + findings.warnings > loader.bad.length) {
    // a ConfigMap whose YAML does not parse is missing to the rules that look for it
    human(`the ${loader.notChecked === 1 ? 'document not checked is' : `${loader.notChecked} documents not checked are`} missing to the other rules: `
      + 'a finding that an object is not in the output may be about one of them\n');
  }
  const separate = separateOutputs(outputs, inputs);
  if (separate !== undefined) human(`${separate}\n`);

  // every rule that ran in some output, once (not those of the run's options when every document is in an output
  // folder checked with its own)
  const rules = [...new Map([...new Set(groupEngines)].flatMap(e => e._rules).map(r => [r.id, r] as const)).values()];
  if (options.format !== 'text') {
    const w = new BufferedWriter(io.out);
    streamJson(options.format === 'json' ? jsonReport(findings, rules) : sarifLog(findings, rules), w.write);
    w.flush();
  }
  try {
    if (options.json) writeJsonFile(options.json, jsonReport(findings, rules));
    if (options.sarif) writeJsonFile(options.sarif, sarifLog(findings, rules));
  } catch (e: any) {
    io.err(`shipshape: cannot write report: ${e?.message ?? e}\n`);
    return 2;
  }
  if (loader.unreadable > 0) {
    io.err(`shipshape: ${plural(loader.unreadable, 'input')} could not be read (see SS-POLICY-003 above); the check is incomplete\n`);
    return 2;
  }
  return findings.errors > 0 ? 1 : 0;
}

/** device:inode of a regular file (following links), or undefined (no such file, or not a regular file). */
function regularFileKey(p: string): string | undefined {
  try {
    const st = fs.statSync(p);
    return st.isFile() ? `${st.dev}:${st.ino}` : undefined;
  } catch {
    return undefined;
  }
}

function realPath(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

/**
 * Why a report file (--json, --sarif) may not be written, or undefined: it is one of the input files, named on the
 * command line (the same file by its real path, or through a link) or read by the search of a folder named. A report
 * written into an input folder as a new file, or over an earlier report (which the search skips), is fine.
 */
function reportOverInput(inputs: readonly string[], loader: Loader, options: CheckOptions): string | undefined {
  for (const [option, file] of [['--json', options.json], ['--sarif', options.sarif]] as const) {
    if (file === undefined) continue;
    const key = regularFileKey(file);
    if (key === undefined) continue; // a new file, or a special one (/dev/stdout)
    const real = realPath(file);
    const named = inputs.find(i => i !== STDIN_INPUT && (realPath(i) === real || regularFileKey(i) === key));
    if (named !== undefined) {
      return `${option} ${toSlash(file)} names the input file ${toSlash(named)}: the report would overwrite the manifests it checks; write the report to another file`;
    }
    if (loader.inputFiles.has(key)) {
      return `${option} ${toSlash(file)} names a file this run reads from the folders named (${reportFile(real, process.cwd())}): the report would overwrite `
        + 'the manifests it checks; write the report to another file (a new file in the folder is fine)';
    }
  }
  return undefined;
}

/**
 * The output folders checked on their own, for the summary: each with its count of documents, and the documents
 * outside them. Undefined unless the search found such a folder in a folder named (one named on the command line is
 * named there already).
 */
function separateOutputs(outputs: readonly { folder: string; docs: readonly PolicyDocument[] }[], inputs: readonly string[]): string | undefined {
  const named = new Set(inputs.filter(i => i !== STDIN_INPUT).map(i => path.resolve(i)));
  if (!outputs.some(o => o.folder !== '' && !named.has(o.folder))) return undefined;
  const cwd = process.cwd();
  const own = outputs.filter(o => o.folder !== '').map(o => `${reportFile(o.folder, cwd)}/ (${plural(o.docs.length, 'document')})`);
  const rest = outputs.find(o => o.folder === '');
  return `output folders checked each on its own: ${own.join(', ')}${rest !== undefined ? `; ${plural(rest.docs.length, 'document')} outside them, checked as one input` : ''}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * The Kubernetes pack with `options`. An empty list of trusted registries is no list (SS-K8S-032 off), as synth
 * records a pack made without `trustedRegistries`.
 */
function kubernetesPack(options: PackOptions | undefined): KubernetesPack {
  if (options === undefined) return new KubernetesPack();
  return new KubernetesPack({
    exclude: options.exclude,
    ...(options.trustedRegistries.length > 0 ? { trustedRegistries: options.trustedRegistries } : {}),
  });
}

/**
 * True for an id that claims to be one of shipshape's (`SS-` in any case: `ss-k8s-001` is a mistyped SS-K8S-001,
 * not a rule of a team's pack): when the run has no such rule it is an unknown rule (SS-POLICY-004), as at synth.
 */
function looksBuiltIn(ruleId: string): boolean {
  return isBuiltInRuleId(ruleId.toUpperCase());
}

// ------------------------------------------------------------------------------------------------ findings

const CHUNK = 65536;

/**
 * The findings of one run in parallel typed arrays (about 20 bytes a finding instead of a ~230-byte object with
 * its own JSON path string): rule, document, JSON path and message (interned) and suppression by index.
 * Findings are rebuilt as objects one at a time when rendered.
 */
class CompactFindings implements FindingSource {
  public errors = 0;
  public warnings = 0;
  public suppressed = 0;
  private n = 0;
  private readonly ruleOf: Uint16Array[] = [];
  private readonly docOf: Int32Array[] = [];
  private readonly pathOf: Int32Array[] = [];
  private readonly messageOf: Int32Array[] = [];
  private readonly suppressionOf: Int32Array[] = [];
  private readonly strings: string[] = [];
  private readonly stringIds = new Map<string, number>();
  private readonly rules: RuleInfo[] = [];
  private readonly ruleIds_ = new Map<RuleInfo, number>();
  private readonly suppressions: Suppression[] = [];
  private readonly suppressionIds = new Map<Suppression, number>();
  private readonly after: Finding[] = [];
  private lastDoc: PolicyDocument | undefined;
  private lastDocIndex = -1;

  constructor(private readonly docs: readonly PolicyDocument[], private readonly before: readonly Finding[]) {
    for (const f of before) this.count(f.severity, f.suppression !== undefined);
  }

  public get total(): number {
    return this.before.length + this.n + this.after.length;
  }

  /** Adds a finding; returns its number (for `replace`). */
  public add(doc: PolicyDocument, rule: RuleInfo, jsonPath: string, message: string | undefined, suppression: Suppression | undefined): number {
    const i = this.n;
    const c = Math.floor(i / CHUNK);
    if (c === this.ruleOf.length) {
      this.ruleOf.push(new Uint16Array(CHUNK));
      this.docOf.push(new Int32Array(CHUNK));
      this.pathOf.push(new Int32Array(CHUNK));
      this.messageOf.push(new Int32Array(CHUNK));
      this.suppressionOf.push(new Int32Array(CHUNK));
    }
    const j = i % CHUNK;
    if (doc !== this.lastDoc) {
      // documents are evaluated in order: move forward to this one
      let d = this.lastDocIndex + 1;
      while (d < this.docs.length && this.docs[d] !== doc) d++;
      if (d >= this.docs.length) d = this.docs.indexOf(doc);
      this.lastDoc = doc;
      this.lastDocIndex = d;
    }
    let r = this.ruleIds_.get(rule);
    if (r === undefined) {
      r = this.rules.length;
      this.rules.push(rule);
      this.ruleIds_.set(rule, r);
    }
    let s = -1;
    if (suppression !== undefined) {
      s = this.suppressionIds.get(suppression) ?? -1;
      if (s < 0) {
        s = this.suppressions.length;
        this.suppressions.push(suppression);
        this.suppressionIds.set(suppression, s);
      }
    }
    this.ruleOf[c][j] = r;
    this.docOf[c][j] = this.lastDocIndex;
    this.pathOf[c][j] = this.intern(jsonPath);
    this.messageOf[c][j] = message === undefined || message === rule.message ? -1 : this.intern(message);
    this.suppressionOf[c][j] = s;
    this.n++;
    this.count(rule.severity, suppression !== undefined);
    return i;
  }

  /** Gives finding `i` (a number `add` returned) another rule of the same id and severity, and another message. */
  public replace(i: number, rule: RuleInfo, message: string): void {
    const c = Math.floor(i / CHUNK);
    const j = i % CHUNK;
    let r = this.ruleIds_.get(rule);
    if (r === undefined) {
      r = this.rules.length;
      this.rules.push(rule);
      this.ruleIds_.set(rule, r);
    }
    this.ruleOf[c][j] = r;
    this.messageOf[c][j] = message === rule.message ? -1 : this.intern(message);
  }

  public addAfter(f: Finding): void {
    this.after.push(f);
    this.count(f.severity, f.suppression !== undefined);
  }

  public ruleIds(): Iterable<string> {
    const ids = new Set<string>();
    for (const f of this.before) ids.add(f.ruleId);
    for (const r of this.rules) ids.add(r.id);
    for (const f of this.after) ids.add(f.ruleId);
    return ids;
  }

  public forEach(fn: (f: Finding) => void): void {
    for (const f of this.before) fn(f);
    for (let i = 0; i < this.n; i++) fn(this.get(i));
    for (const f of this.after) fn(f);
  }

  private get(i: number): Finding {
    const c = Math.floor(i / CHUNK);
    const j = i % CHUNK;
    const rule = this.rules[this.ruleOf[c][j]];
    const doc = this.docs[this.docOf[c][j]];
    const m = this.messageOf[c][j];
    const s = this.suppressionOf[c][j];
    const f = findingFor(doc, rule, this.strings[this.pathOf[c][j]], m < 0 ? undefined : this.strings[m]);
    return s >= 0 ? { ...f, suppression: this.suppressions[s] } : f;
  }

  private intern(s: string): number {
    let id = this.stringIds.get(s);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(s);
      this.stringIds.set(s, id);
    }
    return id;
  }

  private count(severity: Severity, suppressed: boolean) {
    if (suppressed) this.suppressed++;
    else if (severity === Severity.ERROR) this.errors++;
    else if (severity === Severity.WARNING) this.warnings++;
  }
}

// ------------------------------------------------------------------------------------------------ reading

/**
 * How plain (unquoted) scalars read: as kubectl and the API server read them (sigs.k8s.io/yaml over go-yaml v2, a
 * YAML 1.1 reader), so the rules see the values the API would see. js-yaml's core schema reads YAML 1.2; this one
 * differs from it in two ways:
 * - the YAML 1.1 booleans: `y`, `yes`, `on`, `true`, `n`, `no`, `off`, `false`, each lower case, capitalised or
 *   upper case (`Yes`, `YES`), are true and false;
 * - an integer written with a leading zero is octal: `0755` is 493 (`08` and `09`, not octal, stay 8 and 9).
 * As in go-yaml, a date such as `2024-01-01` stays a string (go-yaml decodes a timestamp into an untyped value as
 * its text), and null (`~`, `null`, empty), floats, `0x`/`0o`/`0b` integers and merge keys (`<<`) read as in the
 * core schema. Quoted scalars are always strings.
 */
const YAML_TYPES = (yaml as unknown as { types: { [name: string]: yaml.Type } }).types;
const YAML11_TRUE = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
const YAML11_FALSE = new Set(['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);
const YAML11_BOOL = new yaml.Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  resolve: (data: string | null) => data !== null && data.length <= 5 && (YAML11_TRUE.has(data) || YAML11_FALSE.has(data)),
  construct: (data: string) => YAML11_TRUE.has(data),
  predicate: (o: unknown) => typeof o === 'boolean',
  represent: (o: any) => (o ? 'true' : 'false'),
});
const CORE_INT = YAML_TYPES.int as yaml.Type & { resolve(d: string): boolean; construct(d: string): number };
/** A leading-zero integer of octal digits (underscores allowed, as go-yaml drops them): `0755`, `-0644`, `0_755`. */
const LEGACY_OCTAL = /^[-+]?0[0-7_]*[0-7][0-7_]*$/;
const YAML11_INT = new yaml.Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (data: string | null) => data !== null && (CORE_INT.resolve(data) || LEGACY_OCTAL.test(data)),
  construct: (data: string) => {
    if (!LEGACY_OCTAL.test(data)) return CORE_INT.construct(data);
    const digits = data.replace(/[-+_]/g, '');
    const n = parseInt(digits, 8);
    return data.charCodeAt(0) === 45 /* - */ ? -n : n;
  },
  predicate: (o: unknown) => typeof o === 'number' && Number.isInteger(o),
  represent: (o: any) => String(o),
});
const SCHEMA = yaml.FAILSAFE_SCHEMA.extend({
  implicit: [YAML_TYPES.null, YAML11_BOOL, YAML11_INT, YAML_TYPES.float, YAML_TYPES.merge],
  explicit: [YAML_TYPES.binary, YAML_TYPES.omap, YAML_TYPES.pairs, YAML_TYPES.set],
});

function toSlash(p: string): string {
  return p.split(path.sep).join('/');
}

function typeOf(st: fs.Stats | fs.Dirent): string {
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

/**
 * What a FIFO, socket or terminal named on the command line is refused with, past the refusal: how to check a stream
 * (`/dev/stdin` is the pipe of `helm template | shipshape check /dev/stdin`, which is never opened).
 */
function streamHint(p: string, st: fs.Stats): string {
  const stdinPath = /^\/(dev\/stdin|dev\/fd\/0|proc\/self\/fd\/0)$/.test(p);
  if (!stdinPath && !st.isFIFO() && !st.isSocket()) return '';
  return '; to check what a command prints, pipe it in and name - (standard input): helm template <chart> | shipshape check -';
}

/**
 * `p` as a broken symlink: the link's target (as written, and where that is when it is relative) and that it does not
 * exist; undefined when `p` is not a symlink. A chain of links names the first link and the path that is missing.
 */
function brokenLink(p: string): string | undefined {
  let target: string;
  try {
    if (!fs.lstatSync(p).isSymbolicLink()) return undefined;
    target = fs.readlinkSync(p);
  } catch {
    return undefined;
  }
  const resolved = path.resolve(path.dirname(p), target);
  let missing = resolved;
  // follow a chain of links to the path that does not exist (at most 40 links, as the kernel does)
  for (let i = 0; i < 40; i++) {
    let next: string;
    try {
      if (!fs.lstatSync(missing).isSymbolicLink()) break;
      next = path.resolve(path.dirname(missing), fs.readlinkSync(missing));
    } catch {
      break;
    }
    missing = next;
  }
  const cwd = process.cwd();
  const where = reportFile(resolved, cwd);
  const shown = path.isAbsolute(target) || where === toSlash(target) ? toSlash(target) : `${toSlash(target)} (${where})`;
  return missing === resolved
    ? `a symlink to ${shown}, which does not exist (a broken link)`
    : `a symlink to ${shown}, a link that leads to ${reportFile(missing, cwd)}, which does not exist (a broken link)`;
}

/**
 * The files that make a folder kustomize or Helm input (`kustomize build` reads kustomization.yaml, kustomization.yml
 * or Kustomization; a Helm chart is a folder with Chart.yaml), with what they make it and the command that renders it.
 */
const SOURCE_FILES = new Map<string, { what: string; file: string; command: (dir: string) => string }>([
  ['kustomization.yaml', { what: 'a kustomize source', file: 'a kustomization file (kustomize\'s input)', command: dir => `kustomize build ${dir}` }],
  ['kustomization.yml', { what: 'a kustomize source', file: 'a kustomization file (kustomize\'s input)', command: dir => `kustomize build ${dir}` }],
  ['Kustomization', { what: 'a kustomize source', file: 'a kustomization file (kustomize\'s input)', command: dir => `kustomize build ${dir}` }],
  ['Chart.yaml', { what: 'a Helm chart', file: 'a Helm chart\'s Chart.yaml', command: dir => `helm template ${dir}` }],
]);

/** The API group of kustomize's own files (kind Kustomization and Component). */
const KUSTOMIZE_GROUP = 'kustomize.config.k8s.io/';

/**
 * For a file (named on the command line: a search skips source folders) that is kustomize or Helm input by its name
 * (kustomization.yaml, Chart.yaml) or by its folder's (a values file beside Chart.yaml): what it is and the command
 * that renders it. Undefined otherwise, and for standard input.
 */
function sourceFileOf(file: string): { what: string; render: string } | undefined {
  if (file === STDIN_FILE) return undefined;
  const dir = toSlash(path.dirname(file));
  const own = SOURCE_FILES.get(path.basename(file));
  if (own !== undefined) return { what: `the file is ${own.file}`, render: own.command(dir) };
  const folder = sourceOf(path.resolve(path.dirname(file)));
  if (folder !== undefined) return { what: `its folder is ${folder.what} (it holds ${folder.file})`, render: folder.command(dir) };
  return undefined;
}

/** Whether `dir` is kustomize or Helm input: the first of SOURCE_FILES it holds as a regular file (links followed). */
function sourceOf(dir: string): { file: string; what: string; command: (dir: string) => string } | undefined {
  for (const [file, source] of SOURCE_FILES) {
    try {
      if (fs.statSync(path.join(dir, file)).isFile()) return { file, what: source.what, command: source.command };
    } catch {
      // not there
    }
  }
  return undefined;
}

/**
 * True for a folder shipshape's synth wrote (it holds `.shipshape/output.json`, or a fleet's `.shipshape/fleet.json`):
 * its manifests are whole objects, whatever else a team put beside them (a kustomization.yaml listing them, for
 * `kubectl apply -k`), so neither it nor a folder in it is taken for a kustomize or Helm source.
 */
function isOutputFolder(dir: string): boolean {
  for (const record of [RECORD_FILE, FLEET_RECORD_FILE]) {
    try {
      if (fs.statSync(path.join(dir, STATE_DIR, record)).isFile()) return true;
    } catch {
      // not there
    }
  }
  return false;
}

/**
 * The output folder `dir` lies in: the nearest folder from `dir` up that holds a `.shipshape/` folder (where a synth
 * stages its files), or undefined.
 */
function enclosingOutput(dir: string): string | undefined {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    try {
      if (fs.statSync(path.join(d, STATE_DIR)).isDirectory()) return d;
    } catch {
      // none here: look further up
    }
    if (path.dirname(d) === d) return undefined;
  }
}

/** True for a folder that holds an App's record of its output (`.shipshape/output.json`, a regular file). */
function hasAppRecord(dir: string): boolean {
  try {
    return fs.statSync(path.join(dir, STATE_DIR, RECORD_FILE)).isFile();
  } catch {
    return false;
  }
}

/**
 * Splits multi-document YAML fed line by line. A document ends at a `---` line (which starts the next one) or a
 * `...` line. Directives (`%YAML 1.2`, `%TAG ! tag:...`: `%` lines before a document's content) belong to the
 * document that follows their `---`: the chunk handed on holds them and that `---` line, as YAML wants them. Each
 * chunk comes with its 1-based first line (what parse errors count from), the line of its first content (neither
 * blank, nor a comment, nor a directive or marker: where the document is said to be) and its index.
 */
class DocumentSplitter {
  private cur: string[] = [];
  private curBlank = true;
  private start = 1;
  private contentLine = 1;
  private lineNo = 0;
  private sawSeparator = false;
  /** The current chunk holds directives and no `---` yet. */
  private directives = false;
  /** The first directive of the current chunk (its line and text), if it has one. */
  private directive: { line: number; text: string } | undefined;
  private chunks = 0;

  constructor(private readonly emit: (lines: string[], blank: boolean, line: number, index: number, contentLine: number,
    directive: { line: number; text: string } | undefined) => void) {}

  public line(l: string): void {
    this.lineNo++;
    const c0 = l.charCodeAt(0);
    if (c0 === 45 /* - */ && l.startsWith('---') && (l.length === 3 || /^---\s/.test(l))) {
      const rest = l.slice(3).trim();
      const content = rest !== '' && !rest.startsWith('#');
      if (this.directives) {
        // the directives' document starts here: the parser reads the directives, then this line
        this.directives = false;
        this.sawSeparator = true;
        this.cur.push(l);
        if (content) this.content();
        return;
      }
      if (this.sawSeparator || !this.curBlank) this.flush();
      this.sawSeparator = true;
      this.reset(content ? this.lineNo : this.lineNo + 1);
      if (content) this.push(rest);
      return;
    }
    if (c0 === 46 /* . */ && /^\.\.\.(\s+#.*)?\s*$/.test(l)) {
      // document end marker: what follows is another document (it may start with directives)
      if (this.sawSeparator || !this.curBlank) this.flush();
      this.sawSeparator = false;
      this.reset(this.lineNo + 1);
      return;
    }
    if (c0 === 37 /* % */ && this.curBlank) {
      // a directive: before any content of a document, a `%` line can be nothing else
      this.directives = true;
      this.directive ??= { line: this.lineNo, text: l.trim() };
      this.cur.push(l);
      return;
    }
    this.push(l);
  }

  public end(): void {
    if (!this.curBlank || this.chunks === 0) this.flush();
  }

  private reset(start: number) {
    this.cur = [];
    this.curBlank = true;
    this.directives = false;
    this.directive = undefined;
    this.start = start;
  }

  private push(l: string) {
    this.cur.push(l);
    if (this.curBlank && !blankLine(l)) this.content();
  }

  private content() {
    this.curBlank = false;
    this.directives = false; // content before a `---`: directives without their marker, which the parser reports
    this.contentLine = this.lineNo;
  }

  private flush() {
    this.emit(this.cur, this.curBlank, this.start, this.chunks++, this.curBlank ? this.start : this.contentLine, this.directive);
  }
}

function blankLine(l: string): boolean {
  for (let i = 0; i < l.length; i++) {
    const c = l.charCodeAt(i);
    if (c === 32 || c === 9 || c === 13 || c === 0xfeff) continue;
    return c === 35 /* # */;
  }
  return true;
}

/**
 * Splits multi-document YAML as `shipshape check` does; returns each chunk with its 1-based first line and the line
 * of its first content (`contentLine`, the line findings on the document name).
 */
export function splitDocuments(text: string): { text: string; line: number; contentLine: number }[] {
  const out: { text: string; line: number; contentLine: number }[] = [];
  const splitter = new DocumentSplitter((lines, _blank, line, _index, contentLine) => out.push({ text: lines.join('\n'), line, contentLine }));
  for (const l of text.split(/\r?\n/)) splitter.line(l);
  splitter.end();
  return out;
}

/**
 * The nesting depth of a parsed value, counted without recursion; stops counting past `limit` (returns limit + 1).
 */
export function nestingDepth(value: unknown, limit: number, maxValues = Infinity): number {
  if (value === null || typeof value !== 'object') return 0;
  let max = 1;
  let values = 0;
  const stack: unknown[] = [value];
  const depths: number[] = [1];
  while (stack.length > 0) {
    const v = stack.pop() as any;
    const d = depths.pop()!;
    if (d > max) {
      max = d;
      if (max > limit) return limit + 1;
    }
    // YAML aliases make one parsed object appear many times over: counted each time, as the rules would read it
    if (++values > maxValues) return -1;
    if (Array.isArray(v)) {
      for (const x of v) if (x !== null && typeof x === 'object') { stack.push(x); depths.push(d + 1); }
    } else {
      for (const k in v) {
        const x = v[k];
        if (x !== null && typeof x === 'object') { stack.push(x); depths.push(d + 1); }
      }
    }
  }
  return max;
}

/**
 * The most objects and lists a document may hold with its YAML aliases expanded: a text of n characters writes
 * out fewer than n of them, so only aliases reach past this (a few hundred bytes of nested aliases expand to
 * billions of values; kubectl refuses such documents as "excessive aliasing").
 */
function maxExpandedValues(textLength: number): number {
  return 100_000 + textLength;
}

const UNREADABLE_FIX = 'name regular files or folders that exist and can be read';
const TOO_LARGE_FIX = 'split the file, or raise the limit with --max-file-size';
/** The fix for a %YAML or %TAG directive. */
const DIRECTIVE_FIX = 'remove the %YAML and %TAG lines: Kubernetes tools read YAML 1.1 without them';
const NESTING_FIX = 'check how the document was generated: no Kubernetes object nests that deep';
/** Bytes read at a time. */
const READ_CHUNK = 1024 * 1024;
const HELM_HINT = '; it looks like a Helm template ({{ ... }}): run `helm template` first and check the rendered output';

/** What one run read: documents, suppressions, bad input, and what it skipped. */
export class Loader {
  public readonly documents: PolicyDocument[] = [];
  /** Suppressions carried by the documents: shipshape's annotations first, then peers' exemptions. */
  public readonly suppressions: Suppression[] = [];
  /** The suppressions that come from peers' exemption annotations (not reported when they silence nothing). */
  public readonly peerSuppressions = new Set<Suppression>();
  /** The document each suppression annotation sits on. */
  public readonly suppressionDocs = new Map<Suppression, PolicyDocument>();
  /** Findings about the input itself (SS-POLICY-003), in reading order. */
  public readonly bad: Finding[] = [];
  /** Files read. */
  public files = 0;
  /** The first files read (for messages about them). */
  public readonly fileNames: string[] = [];
  /** Folders named on the command line in which no file was found to read or skip. */
  public readonly emptyFolders: string[] = [];
  /** Inputs (or files found in folders) that could not be read: the run exits 2. */
  public unreadable = 0;
  /** shipshape's own files skipped in `.shipshape/` folders (its records of written files, its reports, staging), every one counted. */
  public skippedOwn = 0;
  /** shipshape's JSON policy reports skipped outside `.shipshape/` (found by their marker, whatever their name). */
  public skippedReports = 0;
  /** Symlinks not followed: loops, and links leading out of the folder named. */
  public skippedLinks = 0;
  /** Terraform JSON files (cdktf's cdk.tf.json and manifest.json) found in folders and skipped. */
  public skippedTerraform = 0;
  /** Entries skipped because they are not regular files or folders (FIFOs, sockets, devices, broken links, loops). */
  public skippedSpecial = 0;
  /** Kustomize and Helm sources found in folders and skipped: source folders, and kustomization or Chart.yaml files in output folders. */
  public skippedSources = 0;
  /** cdk8s's construct-metadata.json files (an App with `recordConstructMetadata`) found in folders and skipped. */
  public skippedMetadata = 0;
  /** package.json, tsconfig.json, cdk8s.yaml and the like, found in a folder search. */
  public skippedProject = 0;
  /** How many of the skipped project files had each name, in the order first met. */
  private readonly projectNames = new Map<string, number>();
  /** One line per skipped entry, for stderr. */
  public readonly notes: string[] = [];
  /**
   * The App output folders (holding synth's record, `.shipshape/output.json`) the search met below the folders named,
   * as absolute paths, in the order met: each is checked as an output of its own, as if named alone. A folder named
   * on the command line is not one of them.
   */
  public readonly outputFolders: string[] = [];
  /**
   * The files read as Kubernetes input, named or found by the folder search (device:inode, as `seenFiles`); shipshape's
   * earlier JSON reports and the Terraform JSON a search skips are not among them.
   */
  public readonly inputFiles = new Set<string>();
  private readonly seenFiles = new Set<string>();
  private readonly seenDirs = new Set<string>();
  /** The working directory: files are named relative to it when inside it, absolute otherwise (see reportFile). */
  private readonly cwd = process.cwd();

  constructor(private readonly maxFileSize: number = DEFAULT_MAX_FILE_SIZE) {}

  /** `; skipped ...` for the summary line, or ''. */
  /** Documents read but not checked (refused with an SS-POLICY-003 finding). */
  public notChecked = 0;
  /** Lists read that held no item. */
  public emptyLists = 0;

  /** Records a document that is not checked, with the finding that says why. */
  private refuse(f: Finding): void {
    this.bad.push(f);
    this.notChecked++;
  }

  public skippedNote(): string {
    const parts: string[] = [];
    const own = this.skippedOwn + this.skippedReports;
    if (own > 0) {
      const reports = this.skippedReports === 1 ? 'a JSON policy report' : 'JSON policy reports';
      const which = this.skippedReports === 0 ? 'in .shipshape/' : this.skippedOwn === 0 ? reports
        : `${this.skippedOwn} in .shipshape/, ${plural(this.skippedReports, 'JSON policy report')}`;
      parts.push(`${plural(own, 'file')} of shipshape's own (${which})`);
    }
    if (this.skippedTerraform > 0) parts.push(`${plural(this.skippedTerraform, 'file')} of Terraform JSON (cdktf output)`);
    if (this.skippedMetadata > 0) parts.push(`${plural(this.skippedMetadata, 'construct-metadata.json file')} (cdk8s's recordConstructMetadata)`);
    if (this.skippedProject > 0) parts.push(`${plural(this.skippedProject, 'project file')} (${this.projectFileNames()})`);
    if (this.skippedLinks > 0) parts.push(`${plural(this.skippedLinks, 'symlink')} not followed (loops, or leading out of the folders named)`);
    if (this.skippedSpecial > 0) {
      parts.push(this.skippedSpecial === 1 ? '1 entry that is not a regular file or folder' : `${this.skippedSpecial} entries that are not regular files or folders`);
    }
    if (this.skippedSources > 0) parts.push(`${plural(this.skippedSources, 'kustomize or Helm source')} (render ${this.skippedSources === 1 ? 'it' : 'them'} and check the output: see above)`);
    return parts.length > 0 ? `; skipped ${parts.join(' and ')}` : '';
  }

  /**
   * The project files skipped, by name: the first few names met (with their count when several folders held one of
   * that name), then how many files more (`package.json, tsconfig.json, cdk8s.yaml and 2 more`).
   */
  private projectFileNames(): string {
    const shown = [...this.projectNames].slice(0, MAX_PROJECT_NAMES);
    const named = shown.reduce((n, [, count]) => n + count, 0);
    const names = shown.map(([name, count]) => (count > 1 ? `${name} x${count}` : name));
    const more = this.skippedProject - named;
    if (more > 0) return `${names.join(', ')} and ${more} more`;
    return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  }

  /** Reads one command-line input: a file, or a folder searched recursively, in a stable order. */
  public loadInput(input: string): void {
    const shown = toSlash(input);
    let st: fs.Stats;
    try {
      st = fs.statSync(input);
    } catch (e: any) {
      const broken = e?.code === 'ENOENT' ? brokenLink(input) : undefined;
      this.cannotRead(shown, broken !== undefined ? `cannot read ${shown}: ${broken}`
        : `cannot read ${shown}: ${readError(e)}`);
      return;
    }
    if (st.isDirectory()) {
      const key = `${st.dev}:${st.ino}`;
      if (this.seenDirs.has(key)) return;
      if (path.resolve(input).split(path.sep).includes(STATE_DIR)) {
        // a .shipshape/ folder (or one in it) named on the command line: records and reports, not manifests
        this.seenDirs.add(key);
        this.skippedOwn += countFiles(input);
        return;
      }
      // a folder a synth left half-written, or is writing (or one in such a folder): not checked
      if (this.refuseUnfinished(enclosingOutput(input))) {
        this.seenDirs.add(key);
        return;
      }
      const source = isOutputFolder(input) ? undefined : sourceOf(input);
      if (source !== undefined) {
        this.cannotRead(shown, `${shown} is ${source.what} (it holds ${source.file}), not a folder of manifests: `
          + `check what it renders: ${source.command(shown)} | shipshape check -`, `render it and check the output: ${source.command(shown)} | shipshape check -`);
        return;
      }
      this.seenDirs.add(key);
      const seen = () => this.files + this.unreadable + this.skippedOwn + this.skippedReports + this.skippedTerraform + this.skippedLinks + this.skippedSpecial
        + this.skippedSources + this.skippedMetadata + this.skippedProject;
      const before = seen();
      let root = path.resolve(input);
      try {
        root = fs.realpathSync(input);
      } catch {
        // read as named
      }
      this.walk(input, new Set([key]), root, isOutputFolder(input));
      if (seen() === before) this.emptyFolders.push(shown);
    } else if (st.isFile()) {
      if (path.resolve(input).split(path.sep).includes(STATE_DIR)) {
        this.skippedOwn++;
        return;
      }
      if (this.refuseUnfinished(enclosingOutput(path.dirname(input)))) return;
      this.readFile(input, true);
    } else {
      this.cannotRead(shown, `${shown} is ${typeOf(st)}, not a file or folder: only regular files and folders are checked${streamHint(input, st)}`);
    }
  }

  /**
   * Reads one YAML stream (`-`: standard input) as a file named `<stdin>`, splitting documents as lines arrive, within
   * the size limit. Errors reading it are SS-POLICY-003 findings, as for a file.
   */
  public async loadStream(chunks: AsyncIterable<Buffer | string>): Promise<void> {
    const file = STDIN_FILE;
    this.files++;
    if (this.fileNames.length < MAX_NAMED_FILES) this.fileNames.push(file);
    const starts: Array<[number, number]> = [];
    const splitter = this.yamlSplitter(file, starts);
    const lines = new LineReader(this.maxFileSize, l => splitter.line(l));
    try {
      for await (const chunk of chunks) {
        if (!lines.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf-8') : chunk)) {
          // stop reading (leaving the loop closes the stream): the writer of the pipe gets EPIPE
          this.cannotRead(file, `standard input (-) is over the limit of ${sizeInBytes(this.maxFileSize)} per file; reading stopped there `
            + '(the documents before that point were checked, the rest was not): raise the limit with --max-file-size', 'raise the limit with --max-file-size, or check the stream in parts');
          return;
        }
      }
    } catch (e: any) {
      this.cannotRead(file, `cannot read standard input (-): ${readError(e)}`, 'pipe YAML into shipshape check -, or name files or folders');
      return;
    }
    lines.end();
    splitter.end();
    if (lines.notUtf8 !== undefined) this.bad.push(notUtf8Finding(file, lines.notUtf8, documentAt(starts, lines.notUtf8.line)));
  }

  /**
   * `root`: the real path of the folder named on the command line; a link leading out of it is not followed.
   * `output`: `dir` is (in) an output folder of shipshape (see `isOutputFolder`): no folder in it is taken for a
   * kustomize or Helm source, and only the kustomization and Chart.yaml files themselves are skipped.
   */
  private walk(dir: string, ancestors: Set<string>, root: string, output: boolean): void {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (e: any) {
      this.cannotRead(toSlash(dir), `cannot read the folder ${toSlash(dir)}: ${readError(e)}`);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = path.join(dir, e.name);
      let st: fs.Stats | fs.Dirent = e;
      if (e.isSymbolicLink()) {
        try {
          st = fs.statSync(p); // follows the link
        } catch (err: any) {
          if (CHECKED_EXTENSION.test(e.name) || err?.code === 'ELOOP') {
            this.skip(p, err?.code === 'ELOOP' ? 'a symlink loop' : (brokenLink(p) ?? 'a broken symlink'), err?.code === 'ELOOP');
          }
          continue;
        }
        // only the folders under the folder named are searched: a link to a folder out of it (a parent, or elsewhere) is
        // not followed (a link to a file is: one file named from inside the folder)
        if (st.isDirectory()) {
          let target: string | undefined;
          try {
            target = fs.realpathSync(p);
          } catch {
            target = undefined;
          }
          if (target !== undefined && target !== root && !target.startsWith(root + path.sep)) {
            this.skip(p, `a symlink to the folder ${toSlash(target)}, outside ${toSlash(root)} (only the folders under those named are searched)`, true);
            continue;
          }
        }
      }
      if (st.isDirectory()) {
        if (e.name === STATE_DIR) {
          this.skippedOwn += countFiles(p);
          continue;
        }
        if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
        const s = st instanceof fs.Stats ? st : fs.statSync(p);
        const key = `${s.dev}:${s.ino}`;
        if (ancestors.has(key)) {
          this.skip(p, 'a symlink loop (it leads back to a folder above it)', true);
          continue;
        }
        if (this.seenDirs.has(key)) continue; // the same folder reached twice (through a link): read once
        if (this.refuseUnfinished(p)) {
          this.seenDirs.add(key);
          continue;
        }
        const inOutput = output || isOutputFolder(p);
        const source = inOutput ? undefined : sourceOf(p);
        if (source !== undefined) {
          // kustomize or Helm input (a base and its partial patches, a chart's values and templates): what it renders
          // is the Kubernetes input; its files would each be a false finding
          this.skippedSources++;
          this.notes.push(`skipped ${toSlash(p)}/: ${source.what} (it holds ${source.file}), not manifests; check what it renders: ${source.command(toSlash(p))} | shipshape check -`);
          continue;
        }
        this.seenDirs.add(key);
        if (hasAppRecord(p)) this.outputFolders.push(path.resolve(p));
        ancestors.add(key);
        this.walk(p, ancestors, root, inOutput);
        ancestors.delete(key);
      } else if (st.isFile()) {
        if (output && SOURCE_FILES.has(e.name) && CHECKED_EXTENSION.test(e.name)) {
          // a kustomization (or Chart.yaml) written into an output folder of shipshape, beside the manifests it lists
          this.skippedSources++;
          this.notes.push(`skipped ${toSlash(p)}: ${SOURCE_FILES.get(e.name)!.file}, not a Kubernetes object (the manifests beside it are checked)`);
          continue;
        }
        if (PROJECT_FILE.test(e.name)) {
          // `shipshape check .` in the app's own folder: its package.json, tsconfig.json and cdk8s.yaml are not manifests
          this.skippedProject++;
          this.projectNames.set(e.name, (this.projectNames.get(e.name) ?? 0) + 1);
          continue;
        }
        if (e.name === CONSTRUCT_METADATA_FILE) {
          // what cdk8s writes beside the manifests with recordConstructMetadata (construct paths and versions)
          this.skippedMetadata++;
          continue;
        }
        if (CHECKED_EXTENSION.test(e.name)) this.readFile(p, false);
      } else if (CHECKED_EXTENSION.test(e.name)) {
        this.skip(p, `${typeOf(st)}; only regular files are read`);
      }
    }
  }

  /**
   * Refuses the output folder `dir` (an SS-POLICY-003 error, exit 2; none of its files read) when a synth into it has
   * not finished: one killed while it moved its files in left a mix of the previous output and the new one (which the
   * next synth undoes), and one still running changes the files while they are read. Changes nothing in the folder.
   * @returns whether it was refused
   */
  private refuseUnfinished(dir: string | undefined): boolean {
    if (dir === undefined) return false;
    if (this.unfinished.has(path.resolve(dir))) return true; // refused once already (a file of it named too)
    const synth = unfinishedSynth(dir);
    if (synth === undefined) return false;
    this.unfinished.add(path.resolve(dir));
    const folder = reportFile(dir, this.cwd);
    const staging = reportFile(synth.staging, this.cwd);
    if (synth.running !== undefined) {
      this.cannotRead(folder, `a synth is writing this output folder now (process ${synth.running}, staging in ${staging}): `
        + 'its files may change while they are read, so the folder was not checked', 'check the folder again once that synth has ended');
    } else {
      this.cannotRead(folder, `a synth into this output folder was interrupted while it moved its files in (its journal ${staging}/${JOURNAL_FILE} is still there): `
        + 'the folder may hold a mix of the previous output and the new one, so it was not checked',
      `run the program: its next synth into ${folder} first undoes the interrupted one; then check the folder again`);
    }
    return true;
  }

  /** The output folders refused by `refuseUnfinished` (absolute paths). */
  private readonly unfinished = new Set<string>();

  /** Skips an entry, with a note on stderr; `link`: a symlink not followed (a loop, or leading out of the folder). */
  private skip(p: string, why: string, link = false) {
    if (link) this.skippedLinks++; else this.skippedSpecial++;
    this.notes.push(`skipped ${toSlash(p)}: ${why}`);
  }

  private cannotRead(file: string, message: string, fix = UNREADABLE_FIX) {
    this.unreadable++;
    this.bad.push({ ...badInput(reportFile(file, this.cwd), undefined, undefined, message), fix });
  }

  private readFile(p: string, explicit: boolean): void {
    const file = reportFile(p, this.cwd);
    let fd: number;
    try {
      // non-blocking: a FIFO put in place of a listed file must not hang the run; it is refused below
      // eslint-disable-next-line no-bitwise
      fd = fs.openSync(p, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    } catch (e: any) {
      this.cannotRead(file, `cannot read ${file}: ${readError(e)}`);
      return;
    }
    try {
      const st = fs.fstatSync(fd);
      if (!st.isFile()) {
        if (explicit) this.cannotRead(file, `${file} is ${typeOf(st)}, not a file or folder: only regular files and folders are checked${streamHint(p, st)}`);
        else this.skip(p, `${typeOf(st)}; only regular files are read`);
        return;
      }
      const key = `${st.dev}:${st.ino}`;
      if (this.seenFiles.has(key)) return; // the same file named twice, or reached through a link: read once
      this.seenFiles.add(key);
      if (st.size > this.maxFileSize) {
        this.inputFiles.add(key);
        this.cannotRead(file, tooLarge(file, st.size, this.maxFileSize), TOO_LARGE_FIX);
        return;
      }
      if (/\.json$/i.test(p)) {
        // shipshape's JSON reports, whatever their name (`--json policy.json` written into a checked folder)
        const head = Buffer.alloc(256);
        const n = fs.readSync(fd, head, 0, head.length, 0);
        const start = head.subarray(0, n).toString('utf-8');
        if (isOwnJsonReport(start)) {
          this.skippedReports++;
          return;
        }
        // cdktf writes its Terraform JSON (and its manifest.json) into the same output tree as often as not: found in
        // a folder, it is not Kubernetes input and is skipped (named on the command line, it is read and refused)
        if (!explicit && TERRAFORM_FIRST_KEY.test(start) && isTerraformJson(fd, this.maxFileSize)) {
          this.skippedTerraform++;
          return;
        }
      }
      this.files++;
      this.inputFiles.add(key);
      if (this.fileNames.length < MAX_NAMED_FILES) this.fileNames.push(file);
      if (/\.json$/i.test(p)) this.readJson(fd, file);
      else this.readYaml(fd, file);
    } finally {
      fs.closeSync(fd);
    }
  }

  /** Reads a YAML file 1 MiB at a time, splitting documents as lines arrive: one document's text at a time. */
  private readYaml(fd: number, file: string): void {
    const starts: Array<[number, number]> = [];
    const splitter = this.yamlSplitter(file, starts);
    const read = readLines(fd, this.maxFileSize, l => splitter.line(l));
    if (read === undefined) {
      this.cannotRead(file, tooLarge(file, undefined, this.maxFileSize), TOO_LARGE_FIX);
      return;
    }
    splitter.end();
    if (read.notUtf8 !== undefined) this.bad.push(notUtf8Finding(file, read.notUtf8, documentAt(starts, read.notUtf8.line)));
  }

  /**
   * A splitter that adds each document of the YAML stream `file` it is fed, line by line; `starts` (when given) gets
   * the first line and index of each document that is not blank.
   */
  private yamlSplitter(file: string, starts?: Array<[number, number]>): DocumentSplitter {
    return new DocumentSplitter((lines, blank, line, index, contentLine, directive) => {
      if (blank) return;
      starts?.push([line, index]);
      if (directive !== undefined) {
        // valid YAML that kubectl (and Argo CD, Flux: the same splitter) cannot read: it cuts the stream at each
        // `---` line and parses the directive alone (kubernetes/kubernetes#135998); the document is still checked
        this.bad.push({
          ...badInput(file, index, directive.line, `document ${index} starts with the directive ${JSON.stringify(directive.text)}: kubectl apply refuses the file `
            + '(it splits the stream at every --- line and parses the directive alone, kubernetes/kubernetes#135998); the document was checked'),
          fix: DIRECTIVE_FIX,
        });
      }
      this.addText(file, index, line, contentLine, lines.join('\n'), false);
    });
  }

  /** A JSON file is one document: read whole (within the size limit). */
  private readJson(fd: number, file: string): void {
    const text = readAll(fd, this.maxFileSize);
    if (text === undefined) {
      this.cannotRead(file, tooLarge(file, undefined, this.maxFileSize), TOO_LARGE_FIX);
      return;
    }
    if (text.trim() === '') return;
    // the document's line: that of its first character other than white space
    const lead = /^\s*/.exec(text)![0];
    let contentLine = 1;
    for (let i = lead.indexOf('\n'); i >= 0; i = lead.indexOf('\n', i + 1)) contentLine++;
    this.addText(file, 0, 1, contentLine, text, true);
  }

  /**
   * Parses one document's text and adds what it holds. `line`: the text's first line in the file (parse errors count
   * from it); `contentLine`: the line of the document's first content (the line findings on it name).
   */
  private addText(file: string, index: number, line: number, contentLine: number, text: string, json: boolean): void {
    let value: any;
    try {
      if (json) {
        try {
          value = JSON.parse(text);
        } catch {
          value = yaml.load(text, { filename: file, schema: SCHEMA }); // not strict JSON: read it as YAML, as before
        }
      } else {
        value = yaml.load(text, { filename: file, schema: SCHEMA });
      }
    } catch (e: any) {
      if (e instanceof RangeError) {
        this.refuse({ ...badInput(file, index, contentLine, `document ${index} has nesting deeper than ${MAX_NESTING} levels (the parser ran out of stack); it is not checked`), fix: NESTING_FIX });
        return;
      }
      let reason = String(e?.reason ?? e?.message ?? e).split('\n')[0];
      // js-yaml marks a duplicated key where it starts: name it (kubectl refuses the document too)
      const key = reason === 'duplicated mapping key' ? keyAt(text, e?.mark) : undefined;
      if (key !== undefined) reason = `the key ${key} appears twice in one mapping (duplicated mapping key)`;
      // js-yaml places an error at the end of the text on the line after it: keep it within the document
      const lastLine = line + text.replace(/\n+$/, '').split('\n').length - 1;
      const at = e?.mark?.line !== undefined ? Math.min(line + e.mark.line, lastLine) : line;
      const helm = text.includes('{{');
      const f = badInput(file, index, at, `document ${index} is not valid ${json ? 'JSON' : 'YAML'}: ${reason}${helm ? HELM_HINT : ''}`);
      this.refuse(helm ? { ...f, fix: 'render the chart with `helm template` and check the rendered manifests' }
        : key !== undefined ? { ...f, fix: `keep one ${key} in that mapping (kubectl and the API server refuse the document as it is)` } : f);
      return;
    }
    if (value === null || value === undefined) return;
    const depth = nestingDepth(value, MAX_NESTING, maxExpandedValues(text.length));
    if (depth < 0) {
      this.refuse({
        ...badInput(file, index, contentLine, `document ${index} repeats its YAML aliases into more than ${maxExpandedValues(text.length)} objects and lists `
          + '(an alias bomb: kubectl refuses it as excessive aliasing); it is not checked'),
        fix: 'write the repeated values out, or use fewer nested aliases',
      });
      return;
    }
    if (depth > MAX_NESTING) {
      this.refuse({ ...badInput(file, index, contentLine, `document ${index} has nesting deeper than ${MAX_NESTING} levels; it is not checked`), fix: NESTING_FIX });
      return;
    }
    // the items of a List are placed at their own lines: the text is read again (Lists only) to find them
    const lines = isList(value) && Array.isArray(value.items) && value.items.length > 0 ? nodeLines(text, line) : undefined;
    this.addValue(file, index, contentLine, value, `${file}#${index}`, lines);
  }

  /**
   * `line`: the line of `value` in the file. `lines`: for a List, its text read again with the line of each node
   * (`value` is the counterpart of `value` there: an item's line is that of the item at the same place).
   */
  private addValue(file: string, index: number, line: number, value: any, docPath: string, lines?: NodeLines): void {
    // a List's item is named by its place in the List (the document itself is the List)
    const where = docPath === `${file}#${index}` ? `document ${index}` : `document ${index}: ${docPath.slice(`${file}#${index}.`.length)}`;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      // a List's item may be null (`- ` or `- null`); a document that is null holds nothing and never gets here
      const what = value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value;
      this.refuse(badInput(file, index, line, `${where} is not an object (${what})`, docPath));
      return;
    }
    if (typeof value.kind !== 'string' || value.kind === '' || typeof value.apiVersion !== 'string') {
      const field = typeof value.kind !== 'string' || value.kind === '' ? 'kind' : 'apiVersion';
      const present = value[field] !== undefined && value[field] !== null && value[field] !== '';
      const source = present ? undefined : sourceFileOf(file);
      const f = badInput(file, index, line, present
        ? `${where} has ${String(JSON.stringify(value[field])).slice(0, 60)} as ${field}, which is not a string; it is not a Kubernetes object`
        : isTerraformValue(value)
          ? `${where} has no ${field}: it is Terraform JSON (cdktf output), not a Kubernetes object; name the Kubernetes files or folders (a folder search skips Terraform JSON)`
          : source !== undefined ? `${where} has no ${field}; it is not a Kubernetes object: ${source.what}; check what it renders: ${source.render} | shipshape check -`
            : `${where} has no ${field}; it is not a Kubernetes object`, docPath);
      this.refuse(source !== undefined ? { ...f, fix: `render it and check the output: ${source.render} | shipshape check -` } : f);
      return;
    }
    if (value.apiVersion.startsWith(KUSTOMIZE_GROUP) && (value.kind === 'Kustomization' || value.kind === 'Component')) {
      // kustomize's own file (kustomization.yaml), not an object of the API (Flux's Kustomization is another group)
      const render = `kustomize build ${file === STDIN_FILE ? '<dir>' : toSlash(path.dirname(file))}`;
      this.refuse({
        ...badInput(file, index, line, `document ${index} is a kustomize ${value.kind} (apiVersion ${value.apiVersion}), kustomize's input, not a Kubernetes object; `
          + `check what it renders: ${render} | shipshape check -`, docPath),
        fix: `render it and check the output: ${render} | shipshape check -`,
      });
      return;
    }
    if (isList(value)) {
      const list = Array.isArray(value.items) ? value.items : [];
      if (list.length === 0) this.emptyLists++;
      const mirror = lines !== undefined && Array.isArray(lines.value?.items) ? lines.value.items : [];
      list.forEach((item: any, j: number) => {
        const counterpart = mirror[j];
        const at = counterpart !== null && typeof counterpart === 'object' ? lines!.lines.get(counterpart) : undefined;
        this.addValue(file, index, at ?? line, item, `${docPath}.items[${j}]`, lines && { value: counterpart, lines: lines.lines });
      });
      return;
    }
    const meta = value.metadata !== null && typeof value.metadata === 'object' ? value.metadata : {};
    const templated = unrenderedField(meta);
    if (templated !== undefined) {
      // a Helm template that happens to parse: `name: {{ .Release.Name }}` reads as a mapping, a quoted one as text
      this.refuse({
        ...badInput(file, index, line, typeof meta[templated] === 'string'
          ? `document ${index} has metadata.${templated} ${JSON.stringify(meta[templated])}, not a Kubernetes name${HELM_HINT}`
          : Array.isArray(meta[templated]) ? `document ${index} has a list as metadata.${templated}, not a Kubernetes name`
            : `document ${index} has a mapping as metadata.${templated} (what YAML reads an unquoted {{ ... }} as), not a Kubernetes name${HELM_HINT}`, docPath),
        fix: 'render the chart with `helm template` and check the rendered manifests',
      });
      return;
    }
    const doc = new K8sDoc(value.kind, value, docPath,
      typeof meta.name === 'string' ? meta.name : undefined,
      typeof meta.namespace === 'string' ? meta.namespace : undefined,
      file, index, line);
    this.documents.push(doc);
    if (!carriesAnnotations(value)) return;
    const carried = annotationSuppressions(value, docPath);
    for (const s of carried.suppressions) {
      this.suppressions.push(s);
      this.suppressionDocs.set(s, doc);
    }
    for (const b of carried.bad) {
      this.bad.push({
        ...badInput(file, index, line, b.message, docPath),
        fix: b.fix,
        jsonPath: b.jsonPath,
        kind: doc.kind,
        ...(doc.name !== undefined ? { name: doc.name } : {}),
        ...(doc.namespace !== undefined ? { namespace: doc.namespace } : {}),
      });
    }
    for (const x of peerExemptions(value)) {
      const s: Suppression = { ruleId: x.ruleId, reason: x.reason, path: docPath };
      if (x.scope !== undefined) SUPPRESSION_SCOPES.set(s, x.scope);
      this.suppressions.push(s);
      this.peerSuppressions.add(s);
    }
  }
}

/**
 * `name` or `namespace` when the metadata's value there cannot be a Kubernetes name because it is template syntax:
 * a string holding `{{`, or a mapping (what YAML makes of an unquoted `{{ .Release.Name }}`). Undefined otherwise.
 */
function unrenderedField(meta: any): 'name' | 'namespace' | undefined {
  for (const f of ['name', 'namespace'] as const) {
    const v = meta[f];
    if ((typeof v === 'string' && v.includes('{{')) || (v !== null && typeof v === 'object')) return f;
  }
  return undefined;
}

/** Why a path could not be read, in words, with the system's code (`no such file or folder (ENOENT)`). */
function readError(e: any): string {
  const words: { [code: string]: string } = {
    ENOENT: 'no such file or folder',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    ENOTDIR: 'a part of the path is not a folder',
    EISDIR: 'it is a folder',
    ELOOP: 'a symlink loop',
    EMFILE: 'too many open files',
    EIO: 'an input/output error',
  };
  const code = e?.code;
  if (typeof code === 'string') return words[code] !== undefined ? `${words[code]} (${code})` : code;
  return String(e?.message ?? e);
}

function isList(value: any): boolean {
  return value.kind === 'List' || (typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items));
}

/** A document read again with the line of each of its mappings and sequences. */
interface NodeLines {
  readonly value: any;
  readonly lines: WeakMap<object, number>;
}

/**
 * `text` read again, with the line (1-based, `firstLine` being the text's first line) at which each of its mappings
 * and sequences begins: for an item of a block sequence, its `- ` line (or, for `-` alone on its line, the line its
 * content starts on). Undefined when the text does not read as YAML (a JSON file that only JSON.parse reads).
 */
function nodeLines(text: string, firstLine: number): NodeLines | undefined {
  const lines = new WeakMap<object, number>();
  const open: number[] = [];
  let value: any;
  try {
    value = yaml.load(text, {
      schema: SCHEMA,
      listener: (event, state) => {
        if (event === 'open') {
          open.push(state.line);
          return;
        }
        const at = open.pop();
        const node = state.result;
        if (at !== undefined && node !== null && typeof node === 'object' && !lines.has(node)) lines.set(node, firstLine + at);
      },
    });
  } catch {
    return undefined;
  }
  return { value, lines };
}

/** The files under a `.shipshape/` folder, whatever their names (records, reports, staging): every one is skipped. */
function countFiles(dir: string): number {
  let n = 0;
  try {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) n += countFiles(path.join(dir, e.name));
      else n++;
    }
  } catch {
    // unreadable: nothing to count
  }
  return n;
}

function tooLarge(file: string, size: number | undefined, limit: number): string {
  const what = size === undefined ? `grew past ${formatSize(limit)} while it was read` : `is ${sizeInBytes(size)}`;
  return `${file} ${what}, over the limit of ${sizeInBytes(limit)} per file; split it, or raise the limit with --max-file-size`;
}

/** A size as `formatSize` gives it, with the exact byte count when the unit is larger than bytes. */
function sizeInBytes(n: number): string {
  return n >= 1024 ? `${formatSize(n)} (${n} bytes)` : formatSize(n);
}

/**
 * Cuts bytes fed in chunks into lines and calls `line` for every line (without its `\n` or `\r\n`), the last one
 * included even when empty (as `text.split(/\r?\n/)` gives it). UTF-8 is decoded across chunks; a UTF-8 byte order
 * mark is dropped. Refuses (returns false from `push`) once more than `limit` bytes came.
 */
class LineReader {
  private readonly decoder = new StringDecoder('utf8');
  private total = 0;
  private rest = '';
  private first = true;
  /** The lines handed on so far. */
  private count = 0;
  /** The bytes of a UTF-8 sequence the last chunk ended within (checked with the next chunk). */
  private pending: Buffer = Buffer.alloc(0);
  /**
   * The line (from 1) and value of the first byte that is not UTF-8, once one is met: the decoder reads it as U+FFFD,
   * while kubectl refuses the file (its YAML reader accepts UTF-8 only).
   */
  public notUtf8: { line: number; byte: number } | undefined = undefined;

  constructor(private readonly limit: number, private readonly line: (l: string) => void) {}

  /**
   * Feeds one chunk; false when the bytes so far exceed the limit (the lines that end within the limit are still
   * handed on: a document they complete is read; the rest is dropped).
   */
  public push(chunk: Buffer): boolean {
    const room = this.limit - this.total;
    this.total += chunk.length;
    if (this.total > this.limit) {
      if (room > 0) this.lines(chunk.subarray(0, room));
      return false;
    }
    this.lines(chunk);
    return true;
  }

  private lines(chunk: Buffer): void {
    if (this.notUtf8 === undefined) this.checkUtf8(chunk);
    let text = this.rest + this.decoder.write(chunk);
    if (this.first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      this.first = false;
    }
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      this.line(text.slice(start, end));
      this.count++;
      start = nl + 1;
    }
    this.rest = text.slice(start);
  }

  /**
   * Checks that `chunk` continues valid UTF-8 (a sequence cut at its end is checked with the next chunk); notes the
   * first byte that does not (the lines of this chunk are not handed on yet, so `count` is that of the earlier ones).
   */
  private checkUtf8(chunk: Buffer): void {
    const bytes = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const cut = completeUtf8Length(bytes);
    if (isUtf8(bytes.subarray(0, cut))) {
      this.pending = Buffer.from(bytes.subarray(cut));
      return;
    }
    const at = firstNonUtf8(bytes);
    let line = this.count + 1;
    for (let i = bytes.indexOf(10); i >= 0 && i < at; i = bytes.indexOf(10, i + 1)) line++;
    this.notUtf8 = { line, byte: bytes[at] };
    this.pending = Buffer.alloc(0);
  }

  /** The last line. */
  public end(): void {
    // a sequence the stream ends within is not UTF-8 either
    if (this.notUtf8 === undefined && this.pending.length > 0) this.notUtf8 = { line: this.count + 1, byte: this.pending[0] };
    let last = this.rest + this.decoder.end();
    if (this.first && last.charCodeAt(0) === 0xfeff) last = last.slice(1);
    this.line(last);
  }
}

/**
 * The length of the longest start of `bytes` that does not end within a UTF-8 sequence (the bytes of a character cut
 * at the end are left for the next chunk); a byte that cannot start a sequence counts as complete (`isUtf8` refuses it).
 */
function completeUtf8Length(bytes: Buffer): number {
  const n = bytes.length;
  for (let back = 1; back <= 3 && back <= n; back++) {
    const b = bytes[n - back];
    if (b >= 0x80 && b < 0xc0) continue; // a continuation byte: look further back for the lead byte
    const size = b >= 0xf0 && b <= 0xf4 ? 4 : b >= 0xe0 ? 3 : b >= 0xc2 && b < 0xe0 ? 2 : 1;
    return size > back ? n - back : n;
  }
  return n;
}

/** The offset of the first byte of `bytes` that is not part of valid UTF-8 (for bytes `isUtf8` refuses). */
function firstNonUtf8(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    const size = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (size === 0 || i + size > bytes.length || !isUtf8(bytes.subarray(i, i + size))) return i;
    i += size;
  }
  return bytes.length;
}

/** The finding for a file or stream with bytes that are not UTF-8 (`LineReader.notUtf8`), at the document holding them. */
function notUtf8Finding(file: string, at: { line: number; byte: number }, index: number | undefined): Finding {
  return {
    ...badInput(file, index, at.line, `${file} line ${at.line} holds the byte 0x${at.byte.toString(16).padStart(2, '0')}, which is not UTF-8: kubectl apply refuses the file `
      + '(its YAML reader accepts UTF-8 only: "invalid leading UTF-8 octet"); the text was checked with such bytes read as U+FFFD'),
    fix: 'save the file as UTF-8 (from Latin-1: iconv -f latin1 -t utf-8 file.yaml)',
  };
}

/**
 * Reads `fd` 1 MiB at a time and calls `line` for every line (see `LineReader`). Returns undefined, having stopped,
 * when more than `limit` bytes come; else where the first byte that is not UTF-8 is, if any (`LineReader.notUtf8`).
 */
function readLines(fd: number, limit: number, line: (l: string) => void): { notUtf8: { line: number; byte: number } | undefined } | undefined {
  const buf = Buffer.allocUnsafe(READ_CHUNK);
  const reader = new LineReader(limit, line);
  for (;;) {
    let n: number;
    try {
      n = fs.readSync(fd, buf, 0, buf.length, null);
    } catch (e: any) {
      if (e?.code === 'EAGAIN') break; // nothing more without blocking
      throw e;
    }
    if (n === 0) break;
    if (!reader.push(buf.subarray(0, n))) return undefined;
  }
  reader.end();
  return { notUtf8: reader.notUtf8 };
}

/** The whole content of `fd` as text (byte order mark dropped), or undefined past `limit` bytes. */
/** The first key of a JSON object that opens Terraform's JSON configuration syntax, or cdktf's manifest.json. */
const TERRAFORM_FIRST_KEY = /^\s*\{\s*"(\/\/|terraform|resource|data|provider|variable|output|locals|module|stacks)"\s*:/;
/** Top-level keys of Terraform's JSON configuration syntax (cdktf writes `//` for its metadata). */
const TERRAFORM_KEYS = new Set(['//', 'terraform', 'resource', 'data', 'provider', 'variable', 'output', 'locals', 'module', 'moved', 'import', 'check', 'removed']);

/**
 * True when the JSON file open at `fd` is Terraform JSON (every top-level key one of Terraform's blocks) or cdktf's
 * manifest.json (`stacks` and `version`), and not a Kubernetes object (no apiVersion, no kind).
 */
function isTerraformJson(fd: number, limit: number): boolean {
  const text = readAll(fd, limit, 0);
  if (text === undefined) return false;
  let value: any;
  try {
    value = JSON.parse(text);
  } catch {
    return false;
  }
  return isTerraformValue(value);
}

/** True for a parsed JSON value that is Terraform JSON or cdktf's manifest.json (see `isTerraformJson`). */
function isTerraformValue(value: any): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || 'kind' in value || 'apiVersion' in value) return false;
  const keys = Object.keys(value);
  if (keys.length === 0) return false;
  if (keys.every(k => TERRAFORM_KEYS.has(k))) return true;
  return keys.length === 2 && typeof value.version === 'string' && value.stacks !== null && typeof value.stacks === 'object';
}

/**
 * The whole text of the file open at `fd` (at most `limit` bytes, else undefined), read from its current position, or
 * from `from` without moving the position (so a later read still starts where it would have).
 */
function readAll(fd: number, limit: number, from?: number): string | undefined {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const buf = Buffer.allocUnsafe(READ_CHUNK);
    let n: number;
    try {
      n = fs.readSync(fd, buf, 0, buf.length, from === undefined ? null : from + total);
    } catch (e: any) {
      if (e?.code === 'EAGAIN') break;
      throw e;
    }
    if (n === 0) break;
    total += n;
    if (total > limit) return undefined;
    chunks.push(buf.subarray(0, n));
  }
  const text = Buffer.concat(chunks, total).toString('utf-8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * A warning at each document that repeats an object of an earlier one (same API group, kind, namespace and name):
 * two outputs checked in one run (`shipshape check envs/` over `envs/staging` and `envs/prod`). The cluster keeps one
 * object of a name, and the rules that look an object up by name read the first one.
 */
/**
 * The documents in groups that are separate outputs: one per cluster folder of a fleet (a folder its parent's
 * `.shipshape/fleet.json` lists) and per folder of `outputFolders` (absolute paths: the App output folders a search
 * found below the folders named, see `Loader.outputFolders`), the nearest one holding a document taking it, and one
 * of every other document, each in input order.
 */
function clusterGroups(documents: PolicyDocument[], outputFolders: ReadonlySet<string> = new Set()): { folder: string; docs: PolicyDocument[] }[] {
  const folderOf = new Map<string, string>();
  /** The output folder (a fleet's cluster, or one found) `dir` is in, or '' (memoized per folder). */
  const clusterOf = (dir: string): string => {
    let found = folderOf.get(dir);
    if (found !== undefined) return found;
    const parent = path.dirname(dir);
    found = parent === dir ? '' : outputFolders.has(dir) || fleetFolders(parent).includes(path.basename(dir)) ? dir : clusterOf(parent);
    folderOf.set(dir, found);
    return found;
  };
  const groups = new Map<string, PolicyDocument[]>();
  for (const d of documents) {
    const key = d.file === undefined || d.file === '-' ? '' : clusterOf(path.dirname(path.resolve(d.file)));
    const list = groups.get(key);
    if (list) list.push(d); else groups.set(key, [d]);
  }
  if (groups.size <= 1) return [{ folder: groups.keys().next().value ?? '', docs: documents }];
  return [...groups].map(([folder, docs]) => ({ folder, docs }));
}

/** The folders a fleet's record in `dir` lists (`.shipshape/fleet.json`), or none. */
function fleetFolders(dir: string): string[] {
  try {
    const record = JSON.parse(fs.readFileSync(path.join(dir, STATE_DIR, FLEET_RECORD_FILE), 'utf-8'));
    return Array.isArray(record?.folders) ? record.folders.filter((f: unknown): f is string => typeof f === 'string') : [];
  } catch {
    return [];
  }
}

function duplicateObjects(documents: readonly PolicyDocument[]): Finding[] {
  const first = new Map<string, PolicyDocument>();
  const out: Finding[] = [];
  for (const d of documents) {
    if (d.name === undefined) continue;
    const key = `${groupOf(d.manifest?.apiVersion)}\u0000${d.kind}\u0000${d.namespace ?? ''}\u0000${d.name}`;
    const earlier = first.get(key);
    if (earlier === undefined) {
      first.set(key, d);
      continue;
    }
    const what = `${d.kind} ${d.namespace !== undefined ? `${d.namespace}/` : ''}${d.name}`;
    const where = `${earlier.file ?? earlier.path}${earlier.index !== undefined ? ` (document ${earlier.index}${earlier.line !== undefined ? `, line ${earlier.line}` : ''})` : ''}`;
    out.push({
      ...findingFor(d, engineRule(DUPLICATE_OBJECT_RULE_ID), 'metadata.name', `${what} is also in ${where}: the rules that look it up by name read that one`),
      fix: 'check each output (one environment\'s folder, one cluster\'s) in a run of its own',
    });
  }
  return out;
}

/**
 * A warning at each pod-bearing document that would take a host port another pod of the input takes on the same node
 * (a DaemonSet's among them), or a port of the node itself: what synth refuses (output-check.ts `HostPortIndex`).
 */
function hostPortClashes(documents: readonly PolicyDocument[]): Finding[] {
  const index = new HostPortIndex();
  const byPath = new Map<string, PolicyDocument>();
  const out: Finding[] = [];
  for (const d of documents) {
    byPath.set(d.path, d);
    for (const p of index.add({ manifest: d.manifest, path: d.path })) {
      const doc = byPath.get(p.path) ?? d;
      out.push({ ...findingFor(doc, engineRule(HOST_PORT_RULE_ID), p.field, `${p.field} (${p.value}) ${p.allowed}`), fix: p.fix });
    }
  }
  return out;
}

/**
 * A warning at each Ingress, HTTPRoute or Certificate that routes a host and path another one routes, or writes a TLS
 * Secret another one writes for other hosts: what synth refuses, and an Ingress without a class that may route what an
 * Ingress of another class routes, which synth warns of (output-check.ts `trafficProblems`; an IngressClass of the
 * input marked default says which class serves an Ingress without one).
 */
function trafficConflicts(documents: readonly PolicyDocument[]): Finding[] {
  const routing = documents.filter(d => d.kind === 'Ingress' || d.kind === 'HTTPRoute' || d.kind === 'Certificate' || d.kind === 'IngressClass');
  if (routing.length < 2) return [];
  const out: Finding[] = [];
  for (const problem of trafficProblems(routing.map(d => ({ manifest: d.manifest, path: d.path })))) {
    // each message starts with the document's path (`<file>#<index>: ...`)
    const doc = routing.filter(d => problem.startsWith(`${d.path}: `)).sort((a, b) => b.path.length - a.path.length)[0];
    if (doc === undefined) continue;
    out.push({
      ...findingFor(doc, engineRule(TRAFFIC_CONFLICT_RULE_ID), '', problem.slice(doc.path.length + 2)),
      fix: 'route each host and path once, and give each set of hosts a TLS Secret of its own',
    });
  }
  return out;
}

/**
 * An error at each value (or key) that is an unresolved cdktf / AWS CDK token: YAML written from a cdk8s app that read
 * a Terraform attribute, by a writer without shipshape's synth check (synth refuses the same input).
 */
function unresolvedTokens(documents: readonly PolicyDocument[]): Finding[] {
  const out: Finding[] = [];
  for (const d of documents) {
    for (const t of tokenFields(d.manifest)) {
      const field = t.field || '<document>';
      out.push({ ...findingFor(d, engineRule(UNRESOLVED_TOKEN_RULE_ID), t.field, `${field} (${t.key ? 'a key' : t.value}) is ${t.what}`), fix: TOKEN_FIX });
    }
  }
  return out;
}

/** The engine rule (SS-POLICY-*) of `id`, as reports list it. */
function engineRule(id: string): RuleInfo {
  return ENGINE_RULES.find(r => r.id === id) as RuleInfo;
}

/** The index of the document (of those starting at the lines `starts` gives) that holds `line`, or undefined. */
function documentAt(starts: ReadonlyArray<readonly [number, number]>, line: number): number | undefined {
  let index: number | undefined;
  for (const [first, i] of starts) {
    if (first > line) break;
    index = i;
  }
  return index;
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

/** What `loadInputs` returns. */
export interface Loaded {
  documents: PolicyDocument[];
  suppressions: Suppression[];
  /** Those of `suppressions` that come from peers' exemption annotations. */
  peerSuppressions: Set<Suppression>;
  bad: Finding[];
  files: number;
}

/** Reads every input (files, or directories searched recursively), in a stable order. */
export function loadInputs(inputs: string[], maxFileSize = DEFAULT_MAX_FILE_SIZE): Loaded {
  const loader = new Loader(maxFileSize);
  for (const input of inputs) loader.loadInput(input);
  return { documents: loader.documents, suppressions: loader.suppressions, peerSuppressions: loader.peerSuppressions, bad: loader.bad, files: loader.files };
}

/** The mapping key that starts at a js-yaml error mark (line and column in `text`), as written, or undefined. */
function keyAt(text: string, mark: any): string | undefined {
  if (typeof mark?.line !== 'number' || typeof mark?.column !== 'number') return undefined;
  const rest = (text.split('\n')[mark.line] ?? '').slice(mark.column);
  const m = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s:#][^:#]*?)\s*:(\s|$)/.exec(rest);
  return m ? JSON.stringify(m[1].replace(/^(["'])(.*)\1$/, '$2')) : undefined;
}
