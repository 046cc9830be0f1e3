// Internal: the rule class both built-in packs declare their rules with. Not re-exported by the barrel.
import { DocumentIndex } from './document-index';
import { IRule, PolicyDocument, RuleResult, Severity, Violation } from './rule';

/**
 * A deliberate difference between a rule and a peer checker's check, recorded in the rule catalog
 * (docs/rules.md) and honoured by the peer-corpus script.
 */
export interface PeerDifference {
  /** The peer: polaris, kube-linter, kube-score, pod-security or checkov. */
  readonly peer: string;
  /** The peer's check ids the difference is about. */
  readonly checks: string[];
  /** `stricter`: the rule fires where the peer passes; `laxer`: the rule is silent where the peer fails. */
  readonly direction: 'stricter' | 'laxer';
  /** Why, in one or two sentences. */
  readonly reason: string;
  /**
   * For the peer-corpus script: the documents the difference is about (it counts as deliberate on a unit when one of
   * the unit's documents passes). Default: every document of the named checks.
   */
  readonly when?: (manifest: any) => boolean;
}

/** What a built-in rule file declares. */
export interface RuleSpec {
  /** Stable id (SS-K8S-NNN, SS-EKS-NNN). */
  readonly id: string;
  /** Short title for the catalog (docs/rules.md). */
  readonly title: string;
  /**
   * The ids of the design catalog entries this rule implements (K8S-SEC-01, EKS-04, ...). That catalog (RULES.md) is
   * where the rules were derived from and does not ship; docs/rules.md shows these ids as "design ids".
   */
  readonly catalog: string[];
  readonly severity: Severity;
  readonly message: string;
  readonly fix: string;
  /** Why the rule matters, and what it deliberately does or does not look at (the catalog's rationale). */
  readonly rationale: string;
  /** Further public references (Trivy ids, CIS EKS items, EKS Best Practices sections). */
  readonly sources?: string[];
  /** Deliberate differences from peer checkers. */
  readonly differences?: PeerDifference[];
  /** Kinds (Kubernetes kinds or Terraform resource types) to look at (default: every kind). */
  readonly kinds?: string[];
  /** Returns the violations (empty = compliant) or `undefined` (not applicable). */
  readonly check: (doc: PolicyDocument, index: DocumentIndex) => Violation[] | undefined;
  /**
   * For a rule whose result is shared by the documents of a group (see `SharedResults`): the group of a document
   * (the same function for every rule of the kind of group), and where this rule's result sits in it.
   */
  readonly shared?: { readonly group: (doc: PolicyDocument, index: DocumentIndex) => SharedResults | undefined; readonly slot: number };
}

/**
 * Results shared by the documents of one group, for example the pods with equal pod-local fields (k8s/pod.ts):
 * by rule slot, the violations (the shared empty list when compliant) or SHARED_NOT_APPLICABLE; undefined until the
 * rule's check has run on a document of the group (the check stores its result there).
 */
export interface SharedResults {
  readonly results: any[];
  /**
   * Set by the engine (opaque to rules): the rule list of the kind whose shared rules all found nothing here, so
   * that documents of the group skip them.
   */
  quiet: unknown;
}

/** The result stored in `SharedResults` for a rule that does not apply. */
export const SHARED_NOT_APPLICABLE: Violation[] = Object.freeze([]) as any;

const COMPLIANT = RuleResult.compliant();
const NOT_APPLICABLE = RuleResult.notApplicable();

/** The design catalog's sections of reliability checks: availability, jobs, object hygiene and probes. */
const RELIABILITY_CATALOG = /^K8S-(HA|JOB|META|PRB)-/;

/**
 * The ids of the built-in rules that check reliability rather than security (their design ids are all in the
 * availability, job, metadata and probe sections), for the tags and security severity of SARIF reports.
 */
export const RELIABILITY_RULES = new Set<string>();

/** A rule built from a spec. */
export class SpecRule implements IRule {
  public readonly id: string;
  public readonly severity: Severity;
  public readonly message: string;
  public readonly fix: string;
  public readonly kinds?: string[];
  public readonly catalog: string[];
  public readonly title: string;
  public readonly rationale: string;
  public readonly sources?: string[];
  public readonly differences?: PeerDifference[];
  /** Checks one document (one closure per rule, so each rule's call site stays monomorphic). */
  public readonly evaluate: (document: PolicyDocument, index: DocumentIndex) => RuleResult;
  /**
   * The spec's check itself, which the engine calls directly (no `RuleResult` per document): the violations,
   * empty when compliant, or undefined when not applicable.
   * @internal
   */
  public readonly _check: (document: PolicyDocument, index: DocumentIndex) => readonly Violation[] | undefined;
  /**
   * The group whose shared results hold this rule's result, read by the engine before calling the check.
   * @internal
   */
  public readonly _shared?: { readonly group: (doc: PolicyDocument, index: DocumentIndex) => SharedResults | undefined; readonly slot: number };

  constructor(spec: RuleSpec) {
    this.id = spec.id;
    this.severity = spec.severity;
    this.message = spec.message;
    this.fix = spec.fix;
    this.kinds = spec.kinds;
    this.catalog = spec.catalog;
    if (RELIABILITY_CATALOG.test(spec.catalog[0] ?? '') && spec.catalog.every(c => RELIABILITY_CATALOG.test(c))) RELIABILITY_RULES.add(spec.id);
    this.title = spec.title;
    this.rationale = spec.rationale;
    this.sources = spec.sources;
    this.differences = spec.differences;
    const fn = spec.check;
    this._check = fn;
    this._shared = spec.shared;
    this.evaluate = (document, index) => {
      const v = fn(document, index);
      if (v === undefined) return NOT_APPLICABLE;
      return v.length === 0 ? COMPLIANT : RuleResult.nonCompliant(v);
    };
  }
}
