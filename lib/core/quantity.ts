import { IConstruct } from 'constructs';
import { fail } from './errors';

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
// Kubernetes' quantity grammar: an optional "+", a number ("2", "2.", ".5", "2.5"), then a suffix: binary, decimal or an
// exponent ("5e1", "1E3"; "E" alone is exa). CPU also takes "m" (millicores).
const CPU_RE = /^\+?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+|m|Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;
const MEM_RE = /^\+?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+|Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;

/** The factor a quantity suffix stands for (1 for none; "m" is handled by the caller). */
function factorOf(suffix: string | undefined): number {
  if (suffix === undefined) return 1;
  if (/^[eE][+-]?\d+$/.test(suffix)) return 10 ** Number(suffix.slice(1));
  return BINARY[suffix] ?? DECIMAL[suffix] ?? 1;
}

/**
 * A CPU quantity (`250m`, `0.5`, `2`), held in millicores.
 */
export class CpuQuantity {
  /**
   * Parses a Kubernetes CPU quantity: a non-negative number of cores (`0.5`, `2`) or millicores (`250m`).
   * Throws a validation error naming `scope` and `prop` for anything else.
   *
   * @param value the quantity, as Kubernetes writes it
   * @param scope the construct the value belongs to (named in errors)
   * @param prop the prop that holds it (named in errors)
   */
  public static parse(value: string, scope?: IConstruct, prop?: string): CpuQuantity {
    // plain JavaScript may pass a number (512): refused as such, not a TypeError from trim
    const m = typeof value === 'string' ? CPU_RE.exec(value.trim()) : null;
    if (!m) {
      fail(scope ?? '<input>', prop ?? 'cpu', value,
        'is not a CPU quantity: use cores ("0.5", "2") or millicores ("250m"), never negative',
        'write it like "250m" or "1"');
    }
    const n = Number(m[1]);
    const millis = Math.round((m[3] === 'm' ? n : n * factorOf(m[3]) * 1000) * 1e6) / 1e6;
    if (!Number.isInteger(millis)) {
      fail(scope ?? '<input>', prop ?? 'cpu', value, 'is finer than one millicore, the smallest CPU unit', 'round it to whole millicores, for example "250m"');
    }
    return new CpuQuantity(millis);
  }

  /**
   * A quantity of millicores.
   */
  public static millis(millicores: number): CpuQuantity {
    if (!Number.isInteger(millicores) || millicores < 0) {
      fail('<input>', 'millicores', millicores, 'must be a whole, non-negative number of millicores', 'use for example 250');
    }
    return new CpuQuantity(millicores);
  }

  /**
   * A quantity of whole or fractional cores (rounded to millicores).
   */
  public static cores(cores: number): CpuQuantity {
    return CpuQuantity.millis(Math.round(cores * 1000));
  }

  /** The quantity in millicores. */
  public readonly millicores: number;

  private constructor(millicores: number) {
    this.millicores = millicores;
  }

  /** -1, 0 or 1 as this quantity is less than, equal to or more than `other`. */
  public compare(other: CpuQuantity): number {
    return Math.sign(this.millicores - other.millicores);
  }

  /** The canonical Kubernetes form: whole cores as `"2"`, otherwise millicores as `"250m"`. */
  public toString(): string {
    return this.millicores % 1000 === 0 ? String(this.millicores / 1000) : `${this.millicores}m`;
  }
}

/**
 * A byte quantity for memory, ephemeral storage or volume sizes (`512Mi`, `1Gi`, `1G`, `1e9`).
 */
export class MemoryQuantity {
  /**
   * Parses a Kubernetes byte quantity: a non-negative number with an optional binary (`Ki`, `Mi`, `Gi`, `Ti`, `Pi`, `Ei`)
   * or decimal (`k`, `M`, `G`, `T`, `P`, `E`) suffix. Throws a validation error naming `scope` and `prop` otherwise.
   */
  public static parse(value: string, scope?: IConstruct, prop?: string): MemoryQuantity {
    // plain JavaScript may pass a number (512): refused as such, not a TypeError from trim
    const m = typeof value === 'string' ? MEM_RE.exec(value.trim()) : null;
    if (!m) {
      fail(scope ?? '<input>', prop ?? 'memory', value,
        'is not a byte quantity: use a non-negative number with a suffix such as Mi or Gi ("512Mi", "1Gi")',
        'write it like "512Mi" (binary suffixes Ki, Mi, Gi, Ti; decimal k, M, G, T)');
    }
    const n = Number(m[1]);
    const bytes = n * factorOf(m[3]);
    if (!Number.isFinite(bytes) || bytes !== Math.floor(bytes)) {
      fail(scope ?? '<input>', prop ?? 'memory', value, 'is not a whole number of bytes', 'use a larger unit with a whole number, for example "512Mi"');
    }
    return new MemoryQuantity(bytes, value.trim());
  }

  /** A quantity of mebibytes. */
  public static mebibytes(n: number): MemoryQuantity {
    return MemoryQuantity.parse(`${n}Mi`);
  }

  /** A quantity of gibibytes. */
  public static gibibytes(n: number): MemoryQuantity {
    return MemoryQuantity.parse(`${n}Gi`);
  }

  /** The quantity in bytes. */
  public readonly bytes: number;
  private readonly text: string;

  private constructor(bytes: number, text: string) {
    this.bytes = bytes;
    this.text = text;
  }

  /** -1, 0 or 1 as this quantity is less than, equal to or more than `other`. */
  public compare(other: MemoryQuantity): number {
    return Math.sign(this.bytes - other.bytes);
  }

  /**
   * The Kubernetes form: the largest binary unit that divides the value exactly (`"512Mi"`, `"1Gi"`),
   * or the text it was parsed from when no binary unit does (`"1G"`).
   */
  public toString(): string {
    const units: Array<[string, number]> = [['Ei', BINARY.Ei], ['Pi', BINARY.Pi], ['Ti', BINARY.Ti], ['Gi', BINARY.Gi], ['Mi', BINARY.Mi], ['Ki', BINARY.Ki]];
    if (this.bytes === 0) return '0';
    for (const [u, mult] of units) {
      if (this.bytes % mult === 0) return `${this.bytes / mult}${u}`;
    }
    return this.text;
  }
}
