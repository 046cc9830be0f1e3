/** @internal */
export const SHIPSHAPE_ERROR = Symbol.for('shipshape.ShipshapeError');

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
