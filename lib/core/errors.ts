import { IConstruct } from 'constructs';

const SHIPSHAPE_ERROR = Symbol.for('shipshape.ShipshapeError');

/**
 * Where a validation error was found and what to say about it.
 */
export interface ValidationErrorDetails {
  /**
   * The construct path (or file, or document) the bad input belongs to.
   */
  readonly path: string;
  /**
   * The property that holds the bad value, for example `replicas.min`.
   */
  readonly prop: string;
  /**
   * The value that was received, rendered for humans.
   */
  readonly value: string;
  /**
   * What is allowed, for example `must be between 1024 and 65535`.
   */
  readonly allowed: string;
  /**
   * How to fix it, for example `pick a port of 1024 or more`.
   */
  readonly fix: string;
}

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

/**
 * Guards for the errors shipshape throws. The error classes themselves are internal.
 */
export class Errors {
  /**
   * True when `x` is an error thrown by shipshape for bad input
   * (its message names the construct path, the prop, the value, what is allowed and the fix).
   */
  public static isValidationError(x: any): boolean {
    return x instanceof Error && (x as any)[SHIPSHAPE_ERROR] === true;
  }

  private constructor() {}
}

/**
 * Renders a value for an error message: strings quoted, objects as JSON.
 * @internal
 */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
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
  throw new ShipshapeValidationError({ path: pathOf(scope), prop, value: show(value), allowed, fix });
}
