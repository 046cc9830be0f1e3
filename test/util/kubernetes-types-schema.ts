/**
 * Strict JSON schemas of the built-in Kubernetes kinds, built from the `kubernetes-types` package (TypeScript
 * declarations generated from the official Kubernetes OpenAPI spec; pinned as a devDependency), so that schema
 * validation runs on any clone, with or without ../shared/schemas.
 *
 * Every declared interface becomes an object schema with its properties, its required properties (those
 * without `?`) and `additionalProperties: false` (unknown fields are errors); `{ [name: string]: T }` becomes a
 * map; `Array<T>` an array; a string literal (`kind?: "Deployment"`) a one-value enum; an interface with no
 * members (RawExtension, FieldsV1, JSON) accepts anything. IntOrString (`number | string`) and Quantity accept
 * strings and numbers, as the shared validator does. What the declarations cannot say is not checked: integer
 * vs number, enums, formats.
 *
 * The result is cached in node_modules/.cache (keyed by the kubernetes-types version and this file's content),
 * because building it parses ~1 MB of declarations.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/** The schemas of one kubernetes-types release. */
export interface KubernetesTypesSchema {
  /** The Kubernetes release the declarations were generated from (`v1.30.0`). */
  readonly version: string;
  /** JSON schemas by definition name (`apps.v1.Deployment`); references are `#/definitions/<name>`. */
  readonly definitions: Record<string, any>;
  /** Definition name by `<apiVersion>|<kind>` of every top-level kind. */
  readonly kinds: Record<string, string>;
}

/** The definition name of ObjectMeta (CRD metadata is checked against it). */
export const OBJECT_META = 'meta.v1.ObjectMeta';

const PACKAGE_DIR = path.dirname(require.resolve('kubernetes-types/package.json'));

/** The kubernetes-types version, which is the Kubernetes release it was generated from (1.30.0 -> v1.30.0). */
export function kubernetesTypesVersion(): string {
  return `v${JSON.parse(fs.readFileSync(path.join(PACKAGE_DIR, 'package.json'), 'utf-8')).version}`;
}

/** Loads the schemas from the cache, building (and caching) them when missing or stale. */
export function loadKubernetesTypesSchema(): KubernetesTypesSchema {
  const version = kubernetesTypesVersion();
  const key = crypto.createHash('sha256').update(fs.readFileSync(__filename)).update(version).digest('hex').slice(0, 16);
  const cacheFile = path.resolve(PACKAGE_DIR, '..', '.cache', 'shipshape', `kubernetes-types-${version}-${key}.json`);
  if (fs.existsSync(cacheFile)) {
    try {
      return JSON.parse(fs.readFileSync(cacheFile, 'utf-8'));
    } catch {
      // a torn or corrupt cache file: build again
    }
  }
  const schema = buildKubernetesTypesSchema(PACKAGE_DIR, version);
  try {
    fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(schema));
    fs.renameSync(tmp, cacheFile); // atomic: parallel jest workers never read a half-written file
  } catch {
    // a read-only node_modules: no cache, build per process
  }
  return schema;
}

/** Every `.d.ts` file of the package, as module ids (`apps/v1`, `runtime`). */
function moduleIds(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...moduleIds(dir, r));
    else if (e.name.endsWith('.d.ts')) out.push(r.slice(0, -'.d.ts'.length));
  }
  return out.sort();
}

const defName = (moduleId: string, name: string) => `${moduleId.replace(/\//g, '.')}.${name}`;

/** Builds the schemas from the declarations under `dir` (the kubernetes-types package folder). */
export function buildKubernetesTypesSchema(dir: string, version: string): KubernetesTypesSchema {
  const definitions: Record<string, any> = {};
  const kinds: Record<string, string> = {};
  for (const moduleId of moduleIds(dir)) {
    const file = path.join(dir, `${moduleId}.d.ts`);
    const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf-8'), ts.ScriptTarget.ES2022, false);
    // where each name used in this module is declared
    const scope = new Map<string, string>();
    for (const st of source.statements) {
      if ((ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st))) scope.set(st.name.text, defName(moduleId, st.name.text));
      if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier) && st.importClause?.namedBindings && ts.isNamedImports(st.importClause.namedBindings)) {
        const from = path.posix.normalize(path.posix.join(path.posix.dirname(moduleId), st.moduleSpecifier.text));
        for (const el of st.importClause.namedBindings.elements) {
          scope.set(el.name.text, defName(from, (el.propertyName ?? el.name).text));
        }
      }
    }
    const convert = (node: ts.TypeNode): any => typeSchema(node, scope, file);
    for (const st of source.statements) {
      if (ts.isInterfaceDeclaration(st)) {
        const name = defName(moduleId, st.name.text);
        definitions[name] = interfaceSchema(st, convert, file);
        const literal = (prop: string) => {
          const m = st.members.find(x => ts.isPropertySignature(x) && propertyName(x, file) === prop) as ts.PropertySignature | undefined;
          return m?.type && ts.isLiteralTypeNode(m.type) && ts.isStringLiteral(m.type.literal) ? m.type.literal.text : undefined;
        };
        const apiVersion = literal('apiVersion');
        const kind = literal('kind');
        if (apiVersion && kind) kinds[`${apiVersion}|${kind}`] = name;
      } else if (ts.isTypeAliasDeclaration(st)) {
        definitions[defName(moduleId, st.name.text)] = convert(st.type);
      }
    }
  }
  // Quantity is declared as a string; manifests (and the API server) also accept numbers.
  definitions['api.resource.Quantity'] = { type: ['string', 'number'] };
  if (!definitions[OBJECT_META] || !kinds['apps/v1|Deployment']) {
    throw new Error(`kubernetes-types at ${dir}: no ${OBJECT_META} or apps/v1 Deployment found; has the package layout changed?`);
  }
  return { version, definitions, kinds };
}

function propertyName(member: ts.TypeElement, file: string): string {
  const n = member.name;
  if (n && (ts.isIdentifier(n) || ts.isStringLiteral(n))) return n.text;
  throw new Error(`${file}: unsupported property name ${n?.getText()}`);
}

function interfaceSchema(decl: ts.InterfaceDeclaration, convert: (n: ts.TypeNode) => any, file: string): any {
  if (decl.heritageClauses?.length) throw new Error(`${file}: interface ${decl.name.text} extends another; not supported`);
  if (decl.members.length === 0) return {}; // RawExtension, FieldsV1, JSON: free-form
  const properties: Record<string, any> = {};
  const required: string[] = [];
  for (const m of decl.members) {
    if (!ts.isPropertySignature(m) || !m.type) throw new Error(`${file}: unsupported member in ${decl.name.text}`);
    const name = propertyName(m, file);
    properties[name] = convert(m.type);
    if (!m.questionToken) required.push(name);
  }
  return { type: 'object', properties, ...(required.length ? { required } : {}), additionalProperties: false };
}

function typeSchema(node: ts.TypeNode, scope: Map<string, string>, file: string): any {
  const recurse = (n: ts.TypeNode) => typeSchema(n, scope, file);
  switch (node.kind) {
    case ts.SyntaxKind.StringKeyword: return { type: 'string' };
    case ts.SyntaxKind.NumberKeyword: return { type: 'number' };
    case ts.SyntaxKind.BooleanKeyword: return { type: 'boolean' };
    case ts.SyntaxKind.AnyKeyword:
    case ts.SyntaxKind.UnknownKeyword:
    case ts.SyntaxKind.ObjectKeyword: return {};
  }
  if (ts.isParenthesizedTypeNode(node)) return recurse(node.type);
  if (ts.isLiteralTypeNode(node) && ts.isStringLiteral(node.literal)) return { type: 'string', enum: [node.literal.text] };
  if (ts.isArrayTypeNode(node)) return { type: 'array', items: recurse(node.elementType) };
  if (ts.isUnionTypeNode(node)) {
    const kinds = node.types.map(t => t.kind);
    if (kinds.length === 2 && kinds.includes(ts.SyntaxKind.NumberKeyword) && kinds.includes(ts.SyntaxKind.StringKeyword)) {
      return { type: ['string', 'number'] }; // IntOrString
    }
    return { anyOf: node.types.map(recurse) };
  }
  if (ts.isTypeLiteralNode(node)) {
    const index = node.members.find(ts.isIndexSignatureDeclaration);
    if (index && node.members.length === 1) return { type: 'object', additionalProperties: recurse(index.type) };
    throw new Error(`${file}: unsupported type literal ${node.getText()}`);
  }
  if (ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName)) {
    const name = node.typeName.text;
    if (name === 'Array' && node.typeArguments?.length === 1) return { type: 'array', items: recurse(node.typeArguments[0]) };
    const target = scope.get(name);
    if (!target) throw new Error(`${file}: unknown type ${name}`);
    return { $ref: `#/definitions/${target}` };
  }
  throw new Error(`${file}: unsupported type ${ts.SyntaxKind[node.kind]}`);
}
