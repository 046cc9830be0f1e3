// Internal helpers to define Terraform rules over synthesized Terraform JSON. Not re-exported by the barrel.
import { DocumentIndex } from '../document-index';
import { PolicyDocument, Severity, Violation } from '../rule';
import { RuleSpec, SpecRule } from '../spec-rule';

/** What a Terraform rule file declares: `kinds` are the Terraform resource types the rule looks at. */
export interface TfRuleSpec extends RuleSpec {
  readonly kinds: string[];
}

/** A Terraform rule. */
export class TfRule extends SpecRule {}

/** Defines a Terraform rule. */
export function tfRule(spec: TfRuleSpec): TfRule {
  return new TfRule(spec);
}

export const ERROR = Severity.ERROR;
export const WARNING = Severity.WARNING;

/** One violation. */
export function at(jsonPath: string, message?: string): Violation {
  return message === undefined ? { jsonPath } : { jsonPath, message };
}

/**
 * A nested block as written in Terraform JSON: an object, or a list whose first item is the block.
 */
export function block(value: any): any {
  if (Array.isArray(value)) return value.length > 0 ? value[0] : undefined;
  return value !== null && typeof value === 'object' ? value : undefined;
}

/** Every item of a repeatable block (object or list). */
export function blocks(value: any): any[] {
  if (Array.isArray(value)) return value.filter((v) => v !== null && typeof v === 'object');
  return value !== null && typeof value === 'object' ? [value] : [];
}

/** Terraform's boolean: true / "true". */
export function isTrue(v: any): boolean {
  return v === true || v === 'true';
}

/** Terraform's boolean: false / "false". */
export function isFalse(v: any): boolean {
  return v === false || v === 'false';
}

const REF = /^\$\{([a-zA-Z][a-zA-Z0-9_]*)\.([a-zA-Z0-9_-]+)(?:\.([a-zA-Z0-9_.[\]]+))?\}$/;

/** A reference `${type.name.attr}` parsed; undefined when the value is not a single reference. */
export function parseRef(value: any): { type: string; name: string; attr?: string } | undefined {
  if (typeof value !== 'string') return undefined;
  const m = REF.exec(value);
  if (!m) return undefined;
  return { type: m[1], name: m[2], attr: m[3] };
}

/** The resource document a value references (`${aws_kms_key.x.arn}` -> the aws_kms_key x), if in this output. */
export function resolveRef(value: any, index: DocumentIndex, type?: string): PolicyDocument | undefined {
  const r = parseRef(value);
  if (!r || (type && r.type !== type)) return undefined;
  return index.find(r.type, r.name);
}

/** True when `value` references resource `doc` (any attribute) or equals its `name` attribute. */
export function refersTo(value: any, doc: PolicyDocument, nameAttr?: string): boolean {
  const r = parseRef(value);
  if (r) return r.type === doc.kind && r.name === doc.name;
  if (nameAttr && typeof value === 'string' && typeof doc.manifest?.[nameAttr] === 'string') return value === doc.manifest[nameAttr];
  return false;
}

/**
 * Parses a JSON policy text that may hold Terraform interpolations (`${...}`, possibly with quoted
 * arguments) by masking them first. Returns undefined when it is not a JSON object.
 */
export function parsePolicyText(text: any): any {
  if (text !== null && typeof text === 'object') return text;
  if (typeof text !== 'string') return undefined;
  const masks: string[] = [];
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '$' && text[i + 1] === '{') {
      let depth = 0;
      let j = i + 1;
      for (; j < text.length; j++) {
        if (text[j] === '{') depth++;
        else if (text[j] === '}' && --depth === 0) break;
      }
      masks.push(text.slice(i, j + 1));
      out += `__TFMASK${masks.length - 1}__`;
      i = j;
    } else {
      out += text[i];
    }
  }
  let parsed: any;
  try {
    parsed = JSON.parse(out);
  } catch {
    return undefined;
  }
  const unmask = (s: string) => s.replace(/__TFMASK(\d+)__/g, (_m, n) => masks[Number(n)]);
  const walk = (v: any): any => {
    if (typeof v === 'string') return unmask(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') {
      const o: any = {};
      for (const [k, val] of Object.entries(v)) o[unmask(k)] = walk(val);
      return o;
    }
    return v;
  };
  return parsed !== null && typeof parsed === 'object' ? walk(parsed) : undefined;
}

/** A policy's statements as a list. */
export function statements(policy: any): any[] {
  if (!policy) return [];
  const s = policy.Statement;
  return Array.isArray(s) ? s : s ? [s] : [];
}

/** A value or list of values as a list. */
export function list(v: any): any[] {
  return Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
}

/** The availability zones of subnets given as references; unknown ones are counted separately. */
export function subnetZones(subnetIds: any, index: DocumentIndex): { zones: Set<string>; unknown: number; subnets: PolicyDocument[] } {
  const zones = new Set<string>();
  const subnets: PolicyDocument[] = [];
  let unknown = 0;
  for (const id of list(subnetIds)) {
    const s = resolveRef(id, index, 'aws_subnet');
    subnets.push(...(s ? [s] : []));
    const az = s?.manifest?.availability_zone;
    if (typeof az === 'string' && !az.includes('${')) zones.add(az); else unknown++;
  }
  return { zones, unknown, subnets };
}

/** How many Pod Identity associations (own resources, or an add-on's) hand the role `doc` to a ServiceAccount. */
export function podIdentityAssociations(doc: PolicyDocument, index: DocumentIndex): number {
  const assoc = index.ofKind('aws_eks_pod_identity_association').filter((a) => refersTo(a.manifest.role_arn, doc));
  const addonAssoc = index.ofKind('aws_eks_addon').flatMap((a) => list(a.manifest.pod_identity_association)).filter((p: any) => refersTo(p.role_arn, doc));
  return assoc.length + addonAssoc.length;
}
