/**
 * Strict schema validation of synthesized Kubernetes manifests, for tests.
 *
 * Two sources, so that the tests pass on any clone:
 * - Built in (always there): the built-in kinds of Kubernetes 1.30, from the `kubernetes-types` package (generated
 *   from the official OpenAPI spec), turned into strict schemas by ./kubernetes-types-schema.ts.
 * - ../shared/schemas, when the repository is cloned with shared/ beside it (CI always is): the official
 *   Kubernetes OpenAPI definitions of 1.27 and 1.36 (../shared/schemas/kubernetes/<version>.json, looked up by
 *   apiVersion + kind through `x-kubernetes-group-version-kind`) and the CRD schemas of custom resources
 *   (../shared/schemas/crds/<group>/<kind>_<version>.json; their metadata is checked against ObjectMeta).
 *   `K8S_VERSIONS` is then 1.27 and 1.36; without it, the built-in 1.30 only, custom resources are not
 *   validated, and jest's global setup (./global-setup.ts) says so in one line at the start of the run.
 *
 * - Strict like kubeconform -strict: every object schema with `properties` and no
 *   `additionalProperties` gets `additionalProperties: false`, except where
 *   `x-kubernetes-preserve-unknown-fields` is set. IntOrString and Quantity accept strings and numbers.
 * - A kind with no schema is an error (a custom resource is one only when the CRD schemas are there).
 * - Schemas are loaded once per process and compiled lazily, once per kind.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { App, Chart } from 'cdk8s';
import * as YAML from 'yaml';
import { kubernetesTypesVersion, loadKubernetesTypesSchema, OBJECT_META } from './kubernetes-types-schema';

/** The shared schema folder, when the repository is cloned with `shared/` beside it. */
export const SCHEMAS_DIR = path.resolve(__dirname, '../../../shared/schemas');

/** Whether ../shared/schemas is there: Kubernetes 1.27 and 1.36 definitions, CRD schemas, the AWS provider schema. */
export const SHARED_SCHEMAS = fs.existsSync(path.join(SCHEMAS_DIR, 'kubernetes'));

/** The Kubernetes releases of the shared cross-check. */
export const SHARED_K8S_VERSIONS: readonly string[] = ['v1.27.0', 'v1.36.0'];

/** The Kubernetes release of the built-in schemas (kubernetes-types), always available. */
export const BUILTIN_K8S_VERSION = kubernetesTypesVersion();

/**
 * Kubernetes releases every manifest is validated against: 1.27 and a current release from ../shared/schemas
 * when it is there, else the built-in release.
 */
export const K8S_VERSIONS: readonly string[] = SHARED_SCHEMAS ? SHARED_K8S_VERSIONS : [BUILTIN_K8S_VERSION];

/** The newest Kubernetes release validated in this clone: 1.36 with ../shared/schemas, else the built-in release. */
export const CURRENT_K8S_VERSION: string = K8S_VERSIONS[K8S_VERSIONS.length - 1];

/** Whether manifests can be validated for `version` in this clone. */
export function hasSchemaVersion(version: string): boolean {
  return version === BUILTIN_K8S_VERSION || (SHARED_SCHEMAS && fs.existsSync(path.join(SCHEMAS_DIR, 'kubernetes', `${version}.json`)));
}

/** One line on what the schema tests check in this clone (printed once per run by ./global-setup.ts). */
export function schemaCoverage(): string {
  if (SHARED_SCHEMAS) {
    return `schemas: built-in kinds strict against Kubernetes ${SHARED_K8S_VERSIONS.join(' and ')}, custom resources against ` +
      `their CRD schemas, Terraform tags against the hashicorp/aws provider schema (${SCHEMAS_DIR})`;
  }
  return `schemas: ${SCHEMAS_DIR} not found: built-in kinds are validated strictly against Kubernetes ${BUILTIN_K8S_VERSION} ` +
    `(kubernetes-types) only; custom resources are NOT validated, and the ${SHARED_K8S_VERSIONS.join('/')} and ` +
    'CRD/provider-schema tests are skipped (clone with shared/ beside the repository for the full cross-check)';
}

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
      `Schema folder missing: ${p} (${what}). Clone the repository with shared/schemas beside it ` +
      `(see shared/schemas/README.md); without it only the built-in Kubernetes ${BUILTIN_K8S_VERSION} schema is available ` +
      '(use K8S_VERSIONS, or hasSchemaVersion(), to choose versions).',
    );
  }
  return p;
}

/** Version-independent key of a document type. */
function gvkKey(apiVersion: string, kind: string): string {
  return `${apiVersion}|${kind}`;
}

class KubernetesSchema {
  /** The schemas of the Kubernetes OpenAPI definitions of ../shared/schemas/kubernetes/<version>.json. */
  public static fromSharedFile(version: string, file: string): KubernetesSchema {
    const doc = JSON.parse(fs.readFileSync(file, 'utf-8'));
    const defs = doc.definitions as Record<string, any>;
    const index = new Map<string, string>();
    for (const [name, def] of Object.entries(defs)) {
      for (const gvk of def['x-kubernetes-group-version-kind'] ?? []) {
        const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
        // the first definition wins (a kind is listed once per group/version in the OpenAPI spec)
        if (!index.has(gvkKey(apiVersion, gvk.kind))) index.set(gvkKey(apiVersion, gvk.kind), name);
      }
    }
    // IntOrString and Quantity: strings and numbers (one clear error instead of a oneOf cascade)
    defs['io.k8s.apimachinery.pkg.util.intstr.IntOrString'] = { type: ['string', 'number'] };
    defs['io.k8s.apimachinery.pkg.api.resource.Quantity'] = { type: ['string', 'number'] };
    strictify(doc);
    return new KubernetesSchema(version, defs, index, 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
  }

  /** The built-in schemas (kubernetes-types; already strict). */
  public static builtIn(): KubernetesSchema {
    const s = loadKubernetesTypesSchema();
    return new KubernetesSchema(s.version, s.definitions, new Map(Object.entries(s.kinds)), OBJECT_META);
  }

  private readonly ajv = newAjv();
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly id: string;
  /** The API groups of the built-in kinds. */
  private readonly groups: Set<string>;

  private constructor(public readonly version: string, defs: Record<string, any>, private readonly index: Map<string, string>,
    public readonly objectMeta: string) {
    this.groups = new Set([...index.keys()].filter(k => k.includes('/')).map(k => k.slice(0, k.indexOf('/'))));
    this.id = `https://schemas.shipshape.invalid/kubernetes/${version}.json`;
    this.ajv.addSchema({ $id: this.id, definitions: defs });
  }

  public has(apiVersion: string, kind: string): boolean {
    return this.index.has(gvkKey(apiVersion, kind));
  }

  /**
   * Whether `apiVersion` belongs to one of Kubernetes' own API groups (the core group, a group of the built-in
   * kinds, or the retired `extensions`), as opposed to a custom resource's group.
   */
  public isBuiltInApiVersion(apiVersion: string): boolean {
    const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
    return group === '' || group === 'extensions' || this.groups.has(group);
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
    if (version === BUILTIN_K8S_VERSION && !hasSharedVersion(version)) {
      s = KubernetesSchema.builtIn();
    } else {
      const dir = requireDir(path.join(SCHEMAS_DIR, 'kubernetes'), `Kubernetes ${version} OpenAPI definitions`);
      const file = path.join(dir, `${version}.json`);
      if (!fs.existsSync(file)) {
        throw new Error(`Schema file missing: ${file} (Kubernetes ${version} definitions); see shared/schemas/README.md.`);
      }
      s = KubernetesSchema.fromSharedFile(version, file);
    }
    kubernetesCache.set(version, s);
  }
  return s;
}

function hasSharedVersion(version: string): boolean {
  return SHARED_SCHEMAS && fs.existsSync(path.join(SCHEMAS_DIR, 'kubernetes', `${version}.json`));
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
  if (!SHARED_SCHEMAS && !k8s.isBuiltInApiVersion(doc.apiVersion)) {
    // a custom resource, and no CRD schemas in this clone: not validated (global-setup.ts says so once per run)
    return [];
  }
  const custom = SHARED_SCHEMAS ? crd(doc.apiVersion, doc.kind) : undefined;
  if (custom) {
    custom(doc);
    const errors = formatErrors(`${label} `, custom.errors);
    // the CRD schema leaves metadata open: check it against the Kubernetes ObjectMeta definition
    if (doc.metadata !== undefined) {
      const meta = k8s.definition(k8s.objectMeta);
      meta(doc.metadata);
      errors.push(...formatErrors(`${label} `, meta.errors, '/metadata'));
    }
    return errors;
  }
  const file = SHARED_SCHEMAS ? crdSchemaPath(doc.apiVersion, doc.kind) : undefined;
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
