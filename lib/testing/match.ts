/**
 * The outcome of matching a value against a pattern: every place where they differ.
 */
export class MatchResult {
  private readonly _failures: string[] = [];

  /** Where the value differs from the pattern, one line per difference (`spec.replicas: expected 3, got 2`). */
  public get failures(): string[] {
    // a difference inside the value itself reads `a: ...`, not `.a: ...` (the path is kept relative while composing)
    return this._failures.map(f => (f.startsWith('.') ? f.slice(1) : f));
  }

  /** Whether the value differs from the pattern somewhere. */
  public hasFailed(): boolean {
    return this._failures.length > 0;
  }

  /**
   * Records a difference.
   * @param path where, as a JSON path (`spec.template.spec.containers[0].image`); empty for the value itself
   * @param message what differs
   */
  public recordFailure(path: string, message: string): void {
    this._failures.push(path ? `${path}: ${message}` : message);
  }

  /** Records every difference of `inner` (a match of a value inside this one) under `path`. */
  public compose(path: string, inner: MatchResult): void {
    for (const f of inner._failures) this._failures.push(path ? (f.startsWith('[') || f.startsWith('.') ? `${path}${f}` : `${path}: ${f}`) : f);
  }
}

const MATCHER = Symbol.for('shipshape.testing.Matcher');

/**
 * A pattern that decides itself whether a value matches (made by the `Match` factories).
 * Put one anywhere in a pattern object or array given to `Template` or `Match`.
 */
export abstract class Matcher {
  /** Whether `x` is a `Matcher`, also one made by another copy of the shipshape library. */
  public static isMatcher(x: any): boolean {
    return x !== null && typeof x === 'object' && x[MATCHER] === true;
  }

  constructor() {
    Object.defineProperty(this, MATCHER, { value: true });
  }

  /** A short name of the matcher, for messages (`objectLike`). */
  public abstract readonly name: string;

  /** Matches `actual` against this pattern. */
  public abstract test(actual: any): MatchResult;
}

/**
 * Factories of matchers, for partial and loose comparisons in `Template` assertions.
 *
 * A plain value in a pattern is compared exactly, except that a plain object inside `objectLike`
 * (and `Template.hasResourceProperties`) is itself matched like `objectLike`: only the keys it names are
 * compared, at every depth. Arrays are compared element by element with the same length, unless
 * `Match.arrayWith` says otherwise.
 */
export class Match {
  /** The value must be an object with at least the given keys, each matching (deeply partial). */
  public static objectLike(pattern: { [key: string]: any }): Matcher {
    return new ValueMatcher('objectLike', pattern, true, 'object');
  }

  /** The value must be an object with exactly the given keys, each matching exactly. */
  public static objectEquals(pattern: { [key: string]: any }): Matcher {
    return new ValueMatcher('objectEquals', pattern, false, 'object');
  }

  /**
   * The value must be an array that contains the given elements in this order (other elements may come before,
   * between and after them); each element is matched like `objectLike`.
   */
  public static arrayWith(pattern: any[]): Matcher {
    return new ArrayWithMatcher(pattern);
  }

  /** The value must be an array of exactly these elements, in this order, each matched exactly. */
  public static arrayEquals(pattern: any[]): Matcher {
    return new ValueMatcher('arrayEquals', pattern, false, 'array');
  }

  /** The value must equal `pattern` exactly (objects with no other keys, at every depth). */
  public static exact(pattern: any): Matcher {
    return new ValueMatcher('exact', pattern, false);
  }

  /** The key must be absent from the object (use as the value of a key in a pattern object). */
  public static absent(): Matcher {
    return new AbsentMatcher();
  }

  /** Any value other than `null` or undefined. */
  public static anyValue(): Matcher {
    return new AnyValueMatcher();
  }

  /** A string that the regular expression matches (anywhere in the string unless anchored). */
  public static stringLikeRegexp(pattern: string): Matcher {
    return new RegexpMatcher(pattern);
  }

  /** The value must NOT match `pattern` (matched like `objectLike` when it is a plain object). */
  public static not(pattern: any): Matcher {
    return new NotMatcher(pattern);
  }
}

const isPlainObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x) && !Matcher.isMatcher(x);

/** A value for messages: JSON, with a matcher shown by its name (`"<stringLikeRegexp>"`), not its internals. */
const show = (x: unknown): string => (x === undefined ? 'undefined' : JSON.stringify(x, (_k, v) => (Matcher.isMatcher(v) ? `<${v.name}>` : v)));

/** Like `show`, cut after `max` characters (a whole array in a message can run to kilobytes). */
const showShort = (x: unknown, max = 200): string => {
  const s = show(x);
  return s.length > max ? `${s.slice(0, max)}...` : s;
};

const keyPath = (key: string) => (/^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`);

/**
 * Matches `actual` against `pattern`, recording differences into `result`.
 * @param partial plain objects match when they have at least the pattern's keys
 */
function matchInto(pattern: unknown, actual: unknown, partial: boolean, result: MatchResult): void {
  if (Matcher.isMatcher(pattern)) {
    result.compose('', (pattern as Matcher).test(actual));
    return;
  }
  if (Array.isArray(pattern)) {
    if (!Array.isArray(actual)) {
      result.recordFailure('', `expected an array, got ${show(actual)}`);
      return;
    }
    if (actual.length !== pattern.length) {
      result.recordFailure('', `expected an array of ${pattern.length} element(s), got ${actual.length}: ${show(actual)}`);
      return;
    }
    pattern.forEach((p, i) => {
      const inner = new MatchResult();
      matchInto(p, actual[i], partial, inner);
      result.compose(`[${i}]`, inner);
    });
    return;
  }
  if (isPlainObject(pattern)) {
    if (!isPlainObject(actual)) {
      result.recordFailure('', `expected an object, got ${show(actual)}`);
      return;
    }
    for (const [key, p] of Object.entries(pattern)) {
      if (Matcher.isMatcher(p) && (p as Matcher).name === ABSENT) {
        if (actual[key] !== undefined) result.recordFailure(keyPath(key), `expected no value, got ${show(actual[key])}`);
        continue;
      }
      if (!(key in actual)) {
        result.recordFailure(keyPath(key), 'missing');
        continue;
      }
      const inner = new MatchResult();
      matchInto(p, actual[key], partial, inner);
      result.compose(keyPath(key), inner);
    }
    if (!partial) {
      for (const key of Object.keys(actual)) {
        if (!(key in pattern)) result.recordFailure(keyPath(key), `unexpected key (value ${show(actual[key])})`);
      }
    }
    return;
  }
  if (pattern !== actual) result.recordFailure('', `expected ${show(pattern)}, got ${show(actual)}`);
}

/** Matches `actual` against `pattern` (a plain value or a `Matcher`); plain objects match partially. */
function matchLike(pattern: unknown, actual: unknown): MatchResult {
  const result = new MatchResult();
  matchInto(pattern, actual, true, result);
  return result;
}

class ValueMatcher extends Matcher {
  constructor(public readonly name: string, private readonly pattern: unknown, private readonly partial: boolean,
    private readonly expected?: 'object' | 'array') {
    super();
  }

  public test(actual: any): MatchResult {
    const result = new MatchResult();
    if (this.expected === 'object' && !isPlainObject(this.pattern)) {
      result.recordFailure('', `${this.name}: the pattern must be an object, got ${show(this.pattern)}`);
      return result;
    }
    if (this.expected === 'array' && !Array.isArray(this.pattern)) {
      result.recordFailure('', `${this.name}: the pattern must be an array, got ${show(this.pattern)}`);
      return result;
    }
    matchInto(this.pattern, actual, this.partial, result);
    return result;
  }
}

class ArrayWithMatcher extends Matcher {
  public readonly name = 'arrayWith';
  constructor(private readonly pattern: unknown[]) {
    super();
  }

  public test(actual: any): MatchResult {
    const result = new MatchResult();
    if (!Array.isArray(this.pattern)) {
      result.recordFailure('', `arrayWith: the pattern must be an array, got ${show(this.pattern)}`);
      return result;
    }
    if (!Array.isArray(actual)) {
      result.recordFailure('', `expected an array, got ${show(actual)}`);
      return result;
    }
    // in order: each pattern element matches an element after the one the previous pattern element matched
    let next = 0;
    for (const [i, p] of this.pattern.entries()) {
      let found = -1;
      for (let j = next; j < actual.length; j++) {
        if (!matchLike(p, actual[j]).hasFailed()) {
          found = j;
          break;
        }
      }
      if (found < 0) {
        // the closest candidate (fewest differences) says what is wrong, with paths into it
        let closest: { j: number; r: MatchResult } | undefined;
        for (let j = next; j < actual.length; j++) {
          const r = matchLike(p, actual[j]);
          if (!closest || r.failures.length < closest.r.failures.length) closest = { j, r };
        }
        const where = i > 0 ? ' after the elements matched before it' : '';
        if (closest === undefined) {
          result.recordFailure('', `no element matches pattern element [${i}] ${showShort(p)}${where}; got ${showShort(actual)}`);
        } else {
          // one failure, with the closest element's differences (paths inside the element) in it: as separate failures
          // they would read `the closest is [0]:; [0].name: ...` once joined
          result.recordFailure('', `no element matches pattern element [${i}] ${showShort(p)}${where}; the closest is [${closest.j}] (${closest.r.failures.join('; ')})`);
        }
        return result;
      }
      next = found + 1;
    }
    return result;
  }
}

const ABSENT = 'absent';

class AbsentMatcher extends Matcher {
  public readonly name = ABSENT;
  public test(actual: any): MatchResult {
    const result = new MatchResult();
    if (actual !== undefined) result.recordFailure('', `expected no value, got ${show(actual)}`);
    return result;
  }
}

class AnyValueMatcher extends Matcher {
  public readonly name = 'anyValue';
  public test(actual: any): MatchResult {
    const result = new MatchResult();
    if (actual === undefined || actual === null) result.recordFailure('', `expected a value, got ${show(actual)}`);
    return result;
  }
}

class RegexpMatcher extends Matcher {
  public readonly name = 'stringLikeRegexp';
  private readonly regexp: RegExp;
  constructor(private readonly source: string) {
    super();
    this.regexp = new RegExp(source);
  }

  public test(actual: any): MatchResult {
    const result = new MatchResult();
    if (typeof actual !== 'string') result.recordFailure('', `expected a string matching /${this.source}/, got ${show(actual)}`);
    else if (!this.regexp.test(actual)) result.recordFailure('', `expected a string matching /${this.source}/, got ${show(actual)}`);
    return result;
  }
}

class NotMatcher extends Matcher {
  public readonly name = 'not';
  constructor(private readonly pattern: unknown) {
    super();
  }

  public test(actual: any): MatchResult {
    const result = new MatchResult();
    if (!matchLike(this.pattern, actual).hasFailed()) result.recordFailure('', `expected a value that does not match ${show(this.pattern)}, got ${show(actual)}`);
    return result;
  }
}
