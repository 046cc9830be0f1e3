/**
 * Strict schema validation of synthesized Kubernetes manifests, for tests.
 *
 * - Core kinds are validated against the official Kubernetes OpenAPI definitions
 *   (../shared/schemas/kubernetes/<version>.json), looked up by apiVersion + kind through
 *   `x-kubernetes-group-version-kind`.
 * - Custom resources are validated against ../shared/schemas/crds/<group>/<kind>_<version>.json
 *   (spec/status; their metadata is checked against the Kubernetes ObjectMeta definition).
 * - Strict like kubeconform -strict: every object schema with `properties` and no
 *   `additionalProperties` gets `additionalProperties: false`, except where
 *   `x-kubernetes-preserve-unknown-fields` is set. IntOrString and Quantity accept strings and numbers.
 * - A kind with no schema is an error. A missing schema folder throws an error naming the path.
 * - Schemas are loaded once per process and compiled lazily, once per kind.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { App, Chart } from 'cdk8s';
import * as YAML from 'yaml';

/** The shared schema folder: the repository is cloned with `shared/` beside it. */
export const SCHEMAS_DIR = path.resolve(__dirname, '../../../shared/schemas');

/** Kubernetes releases every manifest must be valid for (1.27 and a current release). */
export const K8S_VERSIONS: readonly string[] = ['v1.27.0', 'v1.36.0'];

const COMBINATORS = ['allOf', 'anyOf', 'oneOf'];

/**
 * Rewrites a JSON schema in place so that it is strict.
 * Sub-schemas of allOf/anyOf/oneOf/not are constraints on the enclosing object, not its shape,
 * so they are left open (closing them would reject the object's other properties).
 */
export function strictify(schema: any, inCombinator = false): void {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return;

  if (schema['x-kubernetes-int-or-string'] === true) {
    // IntOrString in CRDs: `anyOf: [{type: integer}, {type: string}]`; accept strings and numbers.
    delete schema.anyOf;
    delete schema.oneOf;
    schema.type = ['string', 'number'];
  }

  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  if (!inCombinator && schema.properties && schema.additionalProperties === undefined && !preserve) {
    schema.additionalProperties = false;
  }

  if (schema.properties) {
    for (const sub of Object.values(schema.properties)) strictify(sub);
  }
  if (schema.patternProperties) {
    for (const sub of Object.values(schema.patternProperties)) strictify(sub);
  }
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    strictify(schema.additionalProperties);
  }
  if (Array.isArray(schema.items)) {
    for (const sub of schema.items) strictify(sub);
  } else if (schema.items) {
    strictify(schema.items);
  }
  for (const k of COMBINATORS) {
    if (Array.isArray(schema[k])) for (const sub of schema[k]) strictify(sub, true);
  }
  if (schema.not) strictify(schema.not, true);
  if (schema.definitions) {
    for (const sub of Object.values(schema.definitions)) strictify(sub);
  }
}

function newAjv(): Ajv {
  // strict: false -> the x-kubernetes-* annotations are accepted as unknown keywords;
  // formats (int32, date-time, byte ...) are annotations here, as kubeconform treats them.
  return new Ajv({ strict: false, allErrors: true, validateFormats: false, validateSchema: false });
}

function requireDir(p: string, what: string): string {
  if (!fs.existsSync(p)) {
    throw new Error(
      `Schema folder missing: ${p} (${what}). The repository must be cloned with shared/schemas beside it ` +
      '(see shared/schemas/README.md); schema validation cannot run without it.',
    );
  }
  return p;
}

/** Version-independent key of a document type. */
function gvkKey(apiVersion: string, kind: string): string {
  return `${apiVersion}|${kind}`;
}

class KubernetesSchema {
  private readonly ajv = newAjv();
  private readonly index = new Map<string, string>();
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly id: string;

  constructor(public readonly version: string, file: string) {
    const doc = JSON.parse(fs.readFileSync(file, 'utf-8'));
    const defs = doc.definitions as Record<string, any>;
    for (const [name, def] of Object.entries(defs)) {
      for (const gvk of def['x-kubernetes-group-version-kind'] ?? []) {
        const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
        // the first definition wins (a kind is listed once per group/version in the OpenAPI spec)
        if (!this.index.has(gvkKey(apiVersion, gvk.kind))) this.index.set(gvkKey(apiVersion, gvk.kind), name);
      }
    }
    // IntOrString and Quantity: strings and numbers (one clear error instead of a oneOf cascade)
    defs['io.k8s.apimachinery.pkg.util.intstr.IntOrString'] = { type: ['string', 'number'] };
    defs['io.k8s.apimachinery.pkg.api.resource.Quantity'] = { type: ['string', 'number'] };
    strictify(doc);
    this.id = `https://schemas.shipshape.invalid/kubernetes/${version}.json`;
    this.ajv.addSchema({ $id: this.id, definitions: defs });
  }

  public has(apiVersion: string, kind: string): boolean {
    return this.index.has(gvkKey(apiVersion, kind));
  }

  /** Compiles (once) the validator of a definition, by apiVersion+kind or by definition name. */
  public validator(apiVersion: string, kind: string): ValidateFunction | undefined {
    const name = this.index.get(gvkKey(apiVersion, kind));
    return name ? this.definition(name) : undefined;
  }

  public definition(name: string): ValidateFunction {
    let fn = this.compiled.get(name);
    if (!fn) {
      fn = this.ajv.compile({ $ref: `${this.id}#/definitions/${name}` });
      this.compiled.set(name, fn);
    }
    return fn;
  }
}

const kubernetesCache = new Map<string, KubernetesSchema>();
const crdCache = new Map<string, ValidateFunction | null>();
let crdAjv: Ajv | undefined;

function kubernetes(version: string): KubernetesSchema {
  let s = kubernetesCache.get(version);
  if (!s) {
    const dir = requireDir(path.join(SCHEMAS_DIR, 'kubernetes'), 'Kubernetes OpenAPI definitions');
    const file = path.join(dir, `${version}.json`);
    if (!fs.existsSync(file)) {
      throw new Error(`Schema file missing: ${file} (Kubernetes ${version} definitions); see shared/schemas/README.md.`);
    }
    s = new KubernetesSchema(version, file);
    kubernetesCache.set(version, s);
  }
  return s;
}

/** The path of the CRD schema of a custom resource type (it may not exist). */
export function crdSchemaPath(apiVersion: string, kind: string): string | undefined {
  const slash = apiVersion.indexOf('/');
  if (slash < 0) return undefined; // core group: no CRD
  const group = apiVersion.slice(0, slash);
  const version = apiVersion.slice(slash + 1);
  return path.join(SCHEMAS_DIR, 'crds', group, `${kind.toLowerCase()}_${version}.json`);
}

function crd(apiVersion: string, kind: string): ValidateFunction | undefined {
  const file = crdSchemaPath(apiVersion, kind);
  if (!file) return undefined;
  const cached = crdCache.get(file);
  if (cached !== undefined) return cached ?? undefined;
  requireDir(path.join(SCHEMAS_DIR, 'crds'), 'custom resource schemas');
  let fn: ValidateFunction | null = null;
  if (fs.existsSync(file)) {
    const schema = JSON.parse(fs.readFileSync(file, 'utf-8'));
    // many CRD schemas describe spec/status only: every object also has apiVersion, kind and metadata
    // (metadata is checked against ObjectMeta separately)
    schema.properties = {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
      ...schema.properties,
    };
    strictify(schema);
    crdAjv = crdAjv ?? newAjv();
    fn = crdAjv.compile(schema);
  }
  crdCache.set(file, fn);
  return fn ?? undefined;
}

function describe(doc: any): string {
  const kind = doc?.kind ?? '<no kind>';
  const ns = doc?.metadata?.namespace ? `${doc.metadata.namespace}/` : '';
  const name = doc?.metadata?.name ?? '<no name>';
  return `${doc?.apiVersion ?? '<no apiVersion>'} ${kind} ${ns}${name}`;
}

function formatErrors(prefix: string, errors: ErrorObject[] | null | undefined, base = ''): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const e of errors ?? []) {
    let msg = e.message ?? 'invalid';
    if (e.keyword === 'additionalProperties') msg = `unknown field "${(e.params as any).additionalProperty}"`;
    else if (e.keyword === 'enum') msg = `${msg}: ${JSON.stringify((e.params as any).allowedValues)}`;
    const line = `${prefix}${base + e.instancePath || '/'}: ${msg}`;
    if (!seen.has(line)) {
      seen.add(line);
      out.push(line);
    }
  }
  return out;
}

/**
 * Validates one manifest strictly for one Kubernetes version.
 * @returns one string per problem, `<apiVersion> <kind> <name> <version> <json path>: <message>`; empty when valid
 */
export function validateManifest(doc: any, version: string): string[] {
  const label = `${describe(doc)} [${version}]`;
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return [`${label}: not an object`];
  if (typeof doc.apiVersion !== 'string' || typeof doc.kind !== 'string') {
    return [`${label}: apiVersion and kind must be strings`];
  }
  const k8s = kubernetes(version);
  const core = k8s.validator(doc.apiVersion, doc.kind);
  if (core) {
    core(doc);
    return formatErrors(`${label} `, core.errors);
  }
  const custom = crd(doc.apiVersion, doc.kind);
  if (custom) {
    custom(doc);
    const errors = formatErrors(`${label} `, custom.errors);
    // the CRD schema leaves metadata open: check it against the Kubernetes ObjectMeta definition
    if (doc.metadata !== undefined) {
      const meta = k8s.definition('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
      meta(doc.metadata);
      errors.push(...formatErrors(`${label} `, meta.errors, '/metadata'));
    }
    return errors;
  }
  const file = crdSchemaPath(doc.apiVersion, doc.kind);
  return [`${label}: no schema for apiVersion "${doc.apiVersion}" kind "${doc.kind}" (not in Kubernetes ${version}` +
    (file ? `, no CRD schema at ${file}` : '') + ')'];
}

/** Validates every document against every version; returns all problems. */
export function validateAll(docs: any[], versions: readonly string[] = K8S_VERSIONS): string[] {
  const problems: string[] = [];
  for (const version of versions) {
    for (const doc of docs) problems.push(...validateManifest(doc, version));
  }
  return problems;
}

/** Throws a readable error listing every problem of every document, for both Kubernetes versions. */
export function expectValid(docs: any[], versions: readonly string[] = K8S_VERSIONS): void {
  if (docs.length === 0) throw new Error('expectValid: no documents to validate');
  const problems = validateAll(docs, versions);
  if (problems.length > 0) {
    throw new Error(`${problems.length} schema problem(s) in ${docs.length} document(s):\n  ${problems.join('\n  ')}`);
  }
}

/** Synthesizes an app (or a chart's app) and parses the YAML it writes, as a list of documents. */
export function synthYaml(scope: App | Chart): any[] {
  const app = scope instanceof App ? scope : (scope.node.root as App);
  return parseYamlDocuments(app.synthYaml());
}

/** Parses a multi-document YAML string; null documents (empty `---`) are dropped. */
export function parseYamlDocuments(text: string): any[] {
  const out: any[] = [];
  for (const d of YAML.parseAllDocuments(text)) {
    if (d.errors.length > 0) throw new Error(`YAML parse error: ${d.errors.map(e => e.message).join('; ')}`);
    const v = d.toJS();
    if (v !== null && v !== undefined) out.push(v);
  }
  return out;
}

/** Every *.yaml / *.yml file under a folder (recursively), sorted by relative path. */
export function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e.name)) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

/** Parses every YAML file under a folder: `{ file (relative), docs }` per file, sorted by file. */
export function parseYamlFiles(dir: string): Array<{ file: string; docs: any[] }> {
  return yamlFiles(dir).map(f => ({ file: path.relative(dir, f), docs: parseYamlDocuments(fs.readFileSync(f, 'utf-8')) }));
}

/** A fresh temporary folder (caller removes it with `fs.rmSync(dir, { recursive: true, force: true })`). */
export function tempDir(prefix = 'shipshape-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
