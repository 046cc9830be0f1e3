// Internal: the rule class both built-in packs declare their rules with. Not re-exported by the barrel.
import { DocumentIndex } from './document-index';
import { IRule, PolicyDocument, RuleResult, Severity, Violation } from './rule';

/** What a built-in rule file declares. */
export interface RuleSpec {
  /** Stable id (SS-K8S-NNN, SS-EKS-NNN). */
  readonly id: string;
  /** RULES.md catalog ids this rule implements. */
  readonly catalog: string[];
  readonly severity: Severity;
  readonly message: string;
  readonly fix: string;
  /** Kinds (Kubernetes kinds or Terraform resource types) to look at (default: every kind). */
  readonly kinds?: string[];
  /** Returns the violations (empty = compliant) or `undefined` (not applicable). */
  readonly check: (doc: PolicyDocument, index: DocumentIndex) => Violation[] | undefined;
}

const COMPLIANT = RuleResult.compliant();
const NOT_APPLICABLE = RuleResult.notApplicable();

/** A rule built from a spec. */
export class SpecRule implements IRule {
  public readonly id: string;
  public readonly severity: Severity;
  public readonly message: string;
  public readonly fix: string;
  public readonly kinds?: string[];
  public readonly catalog: string[];
  /** Checks one document (one closure per rule, so each rule's call site stays monomorphic). */
  public readonly evaluate: (document: PolicyDocument, index: DocumentIndex) => RuleResult;

  constructor(spec: RuleSpec) {
    this.id = spec.id;
    this.severity = spec.severity;
    this.message = spec.message;
    this.fix = spec.fix;
    this.kinds = spec.kinds;
    this.catalog = spec.catalog;
    const fn = spec.check;
    this.evaluate = (document, index) => {
      const v = fn(document, index);
      if (v === undefined) return NOT_APPLICABLE;
      return v.length === 0 ? COMPLIANT : RuleResult.nonCompliant(v);
    };
  }
}
