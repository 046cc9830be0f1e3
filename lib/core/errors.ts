import { IConstruct } from 'constructs';
import { SHIPSHAPE_ERROR, ValidationErrorDetails } from './error-guards';
import { hasNumberTokenText, isNumberToken, isTokenString } from './tokens';

export { Errors } from './error-guards';
export type { ValidationErrorDetails } from './error-guards';


/**
 * The error shipshape throws for bad input. Internal: use `isValidationError()` to detect it.
 *
 * Message shape: `<path>: <prop> (<value>) <allowed>; <fix>`.
 * @internal
 */
export class ShipshapeValidationError extends Error {
  public readonly details: ValidationErrorDetails;
  constructor(details: ValidationErrorDetails) {
    super(formatValidationMessage(details));
    this.name = 'ShipshapeValidationError';
    this.details = details;
    Object.defineProperty(this, SHIPSHAPE_ERROR, { value: true });
  }
}

/**
 * Formats a validation message in shipshape's standard shape.
 * @internal
 */
export function formatValidationMessage(d: ValidationErrorDetails): string {
  return `${d.path}: ${d.prop} (${d.value}) ${d.allowed}; ${d.fix}`;
}


/** Marks a non-finite number inside JSON so it can be written back as `NaN` / `Infinity`. */
const NON_FINITE = '\u0000non-finite:';

/**
 * Renders a value for an error message: strings quoted, objects as JSON; `NaN`, `Infinity` and `-Infinity`
 * as such (JSON would show them as `null`), also inside arrays and objects.
 * @internal
 */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  try {
    const text = JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? NON_FINITE + String(v) : v));
    if (text === undefined) return String(value);
    return text.replace(/"\\u0000non-finite:([^"]*)"/g, '$1');
  } catch {
    return String(value);
  }
}

/**
 * A path (`NetworkPeer.cidr`) standing in for a construct in validation errors, for values checked before
 * they belong to one (static factories).
 * @internal
 */
export function at(path: string): IConstruct {
  return path as unknown as IConstruct;
}

/**
 * The path shown in error messages for a construct (its node path, or `<root>`).
 * @internal
 */
export function pathOf(scope: IConstruct | string): string {
  if (typeof scope === 'string') return scope;
  return scope.node.path || scope.node.id || '<root>';
}

/**
 * Throws a validation error. `allowed` describes the rule, `fix` tells the user what to do.
 * @internal
 */
export function fail(scope: IConstruct | string, prop: string, value: unknown, allowed: string, fix: string): never {
  if (typeof value === 'number' && isNumberToken(value)) {
    // a number token shows as a huge negative number: the check it failed is not the problem
    throw new ShipshapeValidationError({
      path: pathOf(scope),
      prop,
      value: 'a number token',
      allowed: 'is an unresolved Terraform (cdktf) or CDK token, a value known only after deploy, which shipshape cannot check or write into the YAML',
      fix: `pass a literal number known at synth (${prop} ${allowed.replace(/^must /, 'must ')})`,
    });
  }
  if (typeof value === 'string' && !/\btoken\b/i.test(allowed) && (isTokenString(value) || hasNumberTokenText(value))) {
    // a string token (`${TfToken[...]}`) is no literal: the check it failed read the marker, not the value (a check
    // that names the token itself keeps its own words)
    throw new ShipshapeValidationError({
      path: pathOf(scope),
      prop,
      value: show(value),
      allowed: 'is an unresolved Terraform (cdktf) or CDK token, a value known only after deploy, which shipshape cannot check or write into the YAML',
      fix: `pass a literal known at synth (${prop} ${allowed.replace(/^must /, 'must ')})`,
    });
  }
  throw new ShipshapeValidationError({ path: pathOf(scope), prop, value: show(value), allowed, fix });
}

/**
 * The metadata type of a construct warning (read by `testing.Template.warnings`).
 * @internal
 */
export const WARNING_METADATA = 'shipshape:warning';

/**
 * The metadata type of a construct note, which `k8s.App` prints on synth (`shipshape note: <path>: <note>`) and
 * `testing.Template.notes` holds.
 * @internal
 */
export const NOTE_METADATA = 'shipshape:info';

/**
 * A warning on construction: recorded on the construct as `shipshape:warning` metadata (for tools and tests) and
 * printed to stderr, so the user sees it on synth. For what is allowed but usually a mistake.
 * @internal
 */
export function warn(scope: IConstruct, warning: string): void {
  scope.node.addMetadata(WARNING_METADATA, warning);
  process.stderr.write(`shipshape warning: ${scope.node.path}: ${warning}\n`);
}
