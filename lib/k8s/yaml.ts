/**
 * Fast, deterministic YAML for synthesized Kubernetes manifests.
 *
 * js-yaml's dumper (about 4x faster than the `yaml` package's stringify that cdk8s uses) with:
 * - block style, 2-space indent, sequences indented under their key (as cdk8s writes them);
 * - no line folding (`lineWidth: -1`) and no anchors/aliases (`noRefs`);
 * - multi-line strings as literal block scalars;
 * - key order as given (cdk8s `ApiObject.toJson()` already sorts keys), so the same objects give the same bytes;
 * - every string that a YAML 1.1 or YAML 1.2 parser would read as something else (`yes`, `on`, `~`, `0x10`,
 *   `010`, `1e3`, `.inf`, `12:30`, `2001-12-14`, `<<`, `=` ...) quoted, so kubectl, Helm-era YAML 1.1 parsers
 *   and YAML 1.2 parsers all read back the same values.
 *
 * This file is internal: it is not re-exported from the k8s barrel.
 */
import * as jsyaml from 'js-yaml';

/**
 * Plain scalars that some YAML 1.1 or 1.2 schema resolves to a non-string (a union, deliberately broad:
 * quoting a string that did not need it changes nothing a parser reads back).
 */
const HAZARDS: RegExp[] = [
  // null (1.1 and 1.2 core)
  /^(?:~|[Nn]ull|NULL)?$/,
  // booleans: YAML 1.1 (y/n/yes/no/on/off) and 1.2 (true/false)
  /^(?:[Yy]|[Yy]es|YES|[Nn]|[Nn]o|NO|[Tt]rue|TRUE|[Ff]alse|FALSE|[Oo]n|ON|[Oo]ff|OFF)$/,
  // decimal / octal / sexagesimal ints and floats, with 1.1 underscores, exponents, bare dots ("." and "E7" are floats to some 1.1 parsers)
  /^[-+]?(?:[0-9][0-9_:]*)?(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?$/,
  // binary, octal (0o), hex
  /^[-+]?0(?:b[0-1_]+|o[0-7_]+|x[0-9a-fA-F_]+)$/,
  // infinity and not-a-number
  /^[-+]?\.(?:inf|Inf|INF)$/,
  /^\.(?:nan|NaN|NAN)$/,
  // YAML 1.1 timestamps (any string starting with a date)
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}/,
  // YAML 1.1 merge key and value key
  /^(?:<<|=)$/,
];

/** @internal */
export function _isYamlHazard(s: string): boolean {
  for (const re of HAZARDS) {
    if (re.test(s)) return true;
  }
  return false;
}

// An implicit type used only when dumping: js-yaml quotes every string an implicit type resolves.
const hazardType = new jsyaml.Type('tag:shipshape.invalid,2026:yaml-hazard', {
  kind: 'scalar',
  resolve: (data: any) => typeof data === 'string' && _isYamlHazard(data),
  construct: (data: any) => data,
});

const SCHEMA = jsyaml.DEFAULT_SCHEMA.extend({ implicit: [hazardType] });

const OPTIONS: jsyaml.DumpOptions = {
  schema: SCHEMA,
  indent: 2,
  lineWidth: -1,
  noRefs: true,
  sortKeys: false,
  noCompatMode: false,
  quotingType: "'",
  forceQuotes: false,
};

/** Undefined becomes null, as cdk8s' YAML writer (`keepUndefined`) does. */
function undefinedToNull(v: any): any {
  if (v === undefined) return null;
  if (Array.isArray(v)) return v.map(undefinedToNull);
  if (v !== null && typeof v === 'object') {
    const out: any = {};
    for (const k of Object.keys(v)) out[k] = undefinedToNull(v[k]);
    return out;
  }
  return v;
}

/**
 * One document as YAML (ends with a newline).
 * @internal
 */
export function _toYaml(doc: any): string {
  try {
    return jsyaml.dump(doc, OPTIONS);
  } catch (e) {
    // js-yaml refuses undefined: normalise (rare: only JSON patches or unresolved values leave them) and retry
    return jsyaml.dump(undefinedToNull(doc), OPTIONS);
  }
}

/**
 * A multi-document YAML stream, byte-compatible in layout with `cdk8s.Yaml.stringify(...docs)`:
 * documents joined by `---`; an undefined document is an empty line.
 * @internal
 */
export function _toYamlStream(docs: any[]): string {
  const parts = new Array<string>(docs.length);
  for (let i = 0; i < docs.length; i++) {
    parts[i] = docs[i] === undefined ? '\n' : _toYaml(docs[i]);
  }
  return parts.join('---\n');
}
