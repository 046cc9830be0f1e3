import { Severity } from './rule';

/**
 * A suppression: a rule that is knowingly not followed for the documents under a construct (or a file),
 * and why.
 */
export interface Suppression {
  /** The rule id, for example `SS-K8S-012`. */
  readonly ruleId: string;
  /** Why the rule does not apply here (at least 10 characters). */
  readonly reason: string;
  /**
   * The construct path (or file path) it applies to; it covers every document whose path equals it or
   * starts with it followed by `/` (or `#` for a file). An empty path covers everything.
   */
  readonly path: string;
  /**
   * The name of the pack that defines the rule. When no pack of that name runs, the suppression is left alone:
   * neither stale (`SS-POLICY-001`) nor naming an unknown rule (`SS-POLICY-004`).
   * @default - the rule is expected in one of the packs that run
   */
  readonly pack?: string;
}

/**
 * One rule broken at one place of one document.
 */
export interface Finding {
  /** The rule id (`SS-K8S-001`), or `SS-POLICY-001` for a suppression that matched nothing. */
  readonly ruleId: string;
  /** Error or warning. */
  readonly severity: Severity;
  /** What is wrong. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
  /** The construct path of the object (or `<file>#<index>`). */
  readonly path: string;
  /** Where in the document (`spec.template.spec.containers[0].image`); empty for the whole document. */
  readonly jsonPath: string;
  /** The document's kind. */
  readonly kind: string;
  /**
   * The document's name.
   * @default - unnamed
   */
  readonly name?: string;
  /**
   * The document's namespace.
   * @default - none
   */
  readonly namespace?: string;
  /**
   * The file the document was read from.
   * @default - synthesized in memory
   */
  readonly file?: string;
  /**
   * The document's index in its file.
   * @default - not read from a file
   */
  readonly index?: number;
  /**
   * The 1-based line of the file where the document starts.
   * @default - not read from a file
   */
  readonly line?: number;
  /**
   * The suppression that silences this finding.
   * @default - not suppressed
   */
  readonly suppression?: Suppression;
}
