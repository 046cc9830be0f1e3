// Internal helpers to define Kubernetes rules. Not re-exported by the barrel.
import { DocumentIndex } from '../document-index';
import { IRule, PolicyDocument, RuleResult, Severity, Violation } from '../rule';
import { containersOf, mainContainersOf, podOfDoc } from './pod';

/** What a Kubernetes rule file declares. */
export interface K8sRuleSpec {
  /** Stable id, SS-K8S-NNN. */
  readonly id: string;
  /** RULES.md catalog ids this rule implements. */
  readonly catalog: string[];
  readonly severity: Severity;
  readonly message: string;
  readonly fix: string;
  /** Kinds to look at (default: every kind). */
  readonly kinds?: string[];
  /**
   * Returns the violations (empty = compliant) or `undefined` (not applicable).
   */
  readonly check: (doc: PolicyDocument, index: DocumentIndex) => Violation[] | undefined;
}

const COMPLIANT = RuleResult.compliant();
const NOT_APPLICABLE = RuleResult.notApplicable();

/** A Kubernetes rule built from a spec. */
export class K8sRule implements IRule {
  public readonly id: string;
  public readonly severity: Severity;
  public readonly message: string;
  public readonly fix: string;
  public readonly kinds?: string[];
  public readonly catalog: string[];
  /** Checks one document (one closure per rule, so each rule's call site stays monomorphic). */
  public readonly evaluate: (document: PolicyDocument, index: DocumentIndex) => RuleResult;

  constructor(spec: K8sRuleSpec) {
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

/** Defines a Kubernetes rule. */
export function k8sRule(spec: K8sRuleSpec): K8sRule {
  return new K8sRule(spec);
}

/** The shared empty result (compliant). */
export const NONE: Violation[] = Object.freeze([]) as any;

/** Which containers a container rule looks at. */
export const MAIN = 0;
export const ALL = 1;
export const ALL_EPHEMERAL = 2;

/**
 * Violations at `<container path><suffix>` for every container of the document's pod where `bad(c)`
 * holds (one plain loop: this runs for every container of every workload on each synth).
 */
export function containerCheck(doc: PolicyDocument, which: number, bad: (c: any) => boolean, suffix: string, message?: (c: any) => string): Violation[] {
  const pod = podOfDoc(doc);
  if (!pod) return NONE;
  const list = which === ALL_EPHEMERAL ? containersOf(pod, true) : which === ALL ? containersOf(pod) : mainContainersOf(pod);
  let out: Violation[] | undefined;
  for (let i = 0; i < list.length; i++) {
    const c = list[i].c;
    if (bad(c)) {
      if (!out) out = [];
      out.push(message ? { jsonPath: list[i].path + suffix, message: message(c) } : { jsonPath: list[i].path + suffix });
    }
  }
  return out ?? NONE;
}

export const ERROR = Severity.ERROR;
export const WARNING = Severity.WARNING;
