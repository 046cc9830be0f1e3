import { DocumentIndex } from './document-index';

/**
 * How serious a finding is. Errors fail the synth; warnings are printed.
 */
export enum Severity {
  /** Fails the synth (or makes `shipshape check` exit non-zero). */
  ERROR = 'error',
  /** Printed and reported; does not fail anything. */
  WARNING = 'warning',
}

/**
 * One document a rule looks at: a Kubernetes object, or a Terraform resource.
 */
export interface PolicyDocument {
  /**
   * What the document is: a Kubernetes `kind` (`Deployment`) or a Terraform resource type (`aws_eks_cluster`).
   */
  readonly kind: string;
  /**
   * The document's body (a JSON object): the whole Kubernetes manifest, or the Terraform resource's configuration block.
   */
  readonly manifest: { [key: string]: any };
  /**
   * Where the document comes from, for humans: the construct path, or `<file>#<index>` for a checked file.
   * Suppressions match this path by prefix.
   */
  readonly path: string;
  /**
   * The document's name (`metadata.name`, or the Terraform resource's local name).
   * @default - unnamed
   */
  readonly name?: string;
  /**
   * The Kubernetes namespace (`metadata.namespace`).
   * @default - not namespaced, or the namespace is unset
   */
  readonly namespace?: string;
  /**
   * The file the document was read from (checks of files that shipshape did not write).
   * @default - synthesized in memory
   */
  readonly file?: string;
  /**
   * The document's 0-based index in its file (multi-document YAML).
   * @default - not read from a file
   */
  readonly index?: number;
  /**
   * The 1-based line of the file where the document starts.
   * @default - not read from a file
   */
  readonly line?: number;
}

/**
 * One place where a document breaks a rule.
 */
export interface Violation {
  /**
   * Where in the document, as a dotted JSON path:
   * `spec.template.spec.containers[0].securityContext.runAsNonRoot`.
   */
  readonly jsonPath: string;
  /**
   * A message specific to this place.
   * @default - the rule's message
   */
  readonly message?: string;
}

/**
 * The outcome of one rule on one document.
 */
export enum RuleStatus {
  /** The document follows the rule. */
  COMPLIANT = 'compliant',
  /** The document breaks the rule (see the violations). */
  NON_COMPLIANT = 'non-compliant',
  /** The rule does not look at this document. */
  NOT_APPLICABLE = 'not-applicable',
}

/**
 * What a rule returns: compliant, non-compliant (with the places) or not applicable.
 */
export class RuleResult {
  /** The document follows the rule. */
  public static compliant(): RuleResult {
    return RuleResult.COMPLIANT_RESULT;
  }

  /** The rule does not look at this document. */
  public static notApplicable(): RuleResult {
    return RuleResult.NOT_APPLICABLE_RESULT;
  }

  /**
   * The document breaks the rule at one or more places. An empty list means compliant.
   */
  public static nonCompliant(violations: Violation[]): RuleResult {
    if (violations.length === 0) return RuleResult.COMPLIANT_RESULT;
    return new RuleResult(RuleStatus.NON_COMPLIANT, violations);
  }

  /**
   * The document breaks the rule at one place.
   * @param jsonPath where, for example `spec.replicas`
   * @param message a message for this place (default: the rule's message)
   */
  public static violation(jsonPath: string, message?: string): RuleResult {
    return new RuleResult(RuleStatus.NON_COMPLIANT, [{ jsonPath, message }]);
  }

  private static readonly COMPLIANT_RESULT = new RuleResult(RuleStatus.COMPLIANT, []);
  private static readonly NOT_APPLICABLE_RESULT = new RuleResult(RuleStatus.NOT_APPLICABLE, []);

  /** The outcome. */
  public readonly status: RuleStatus;
  /** The places where the document breaks the rule (empty unless non-compliant). */
  public readonly violations: Violation[];

  private constructor(status: RuleStatus, violations: Violation[]) {
    this.status = status;
    this.violations = violations;
  }
}

/**
 * A best-practice rule: a pure function over one document plus a read-only view of the whole output.
 *
 * Implement it to write your own rules and put them in your own `IRulePack`.
 */
export interface IRule {
  /**
   * Stable id, for example `ACME-001`: a letter, then at most 62 letters, digits, `-`, `_` and `.`, ending with a
   * letter or digit (it names the suppression annotation `suppress.shipshape.io/<id>`). Ids starting with `SS-` are
   * shipshape's own.
   */
  readonly id: string;
  /** Error fails the synth; warning is printed. */
  readonly severity: Severity;
  /** One line saying what is wrong when the rule is broken. */
  readonly message: string;
  /** One line saying how to fix it. */
  readonly fix: string;
  /**
   * The document kinds this rule looks at (for example `['Deployment', 'StatefulSet']`), as the manifests write
   * them (case included); the engine calls the rule only for those, and refuses a slip of a well-known kind
   * (`deployment`, `Deployments`) that would match nothing.
   * @default - every document
   */
  readonly kinds?: string[];
  /**
   * Why the rule matters, in a few sentences: the reports carry it (SARIF's `fullDescription`, which code-scanning
   * services show with each alert).
   * @default - the message
   */
  readonly rationale?: string;
  /**
   * Where your documentation of the rule is (an `https://` URL): SARIF's `helpUri`, the link code-scanning services
   * show with each alert.
   * @default - no link
   */
  readonly helpUri?: string;
  /**
   * Checks one document. Must not modify the document or the index.
   * @param document the document to check
   * @param index read-only view of every document in the same output
   */
  evaluate(document: PolicyDocument, index: DocumentIndex): RuleResult;
}

/**
 * A named group of rules.
 */
export interface IRulePack {
  /** The pack's name, shown in reports (`kubernetes`). */
  readonly name: string;
  /** The pack's rules. */
  readonly rules: IRule[];
}
