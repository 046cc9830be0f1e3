// Internal helpers to define Kubernetes rules. Not re-exported by the barrel.
import { DocumentIndex } from '../document-index';
import { PolicyDocument, Severity, Violation } from '../rule';
import { RuleSpec, SHARED_NOT_APPLICABLE, SharedResults, SpecRule } from '../spec-rule';
import { containersOf, isWindowsPod, K8sDoc, mainContainersOf, PodClass, PodClasses, podClassOf, PodRef, podOfDoc } from './pod';

/** What a Kubernetes rule file declares. */
export interface K8sRuleSpec extends RuleSpec {}

/** A Kubernetes rule. */
export class K8sRule extends SpecRule {}

/** Defines a Kubernetes rule. */
export function k8sRule(spec: K8sRuleSpec): K8sRule {
  return new K8sRule(spec);
}

/** What a pod-local rule file declares: `podCheck` instead of `check`. */
export interface K8sPodRuleSpec extends Omit<K8sRuleSpec, 'check'> {
  /**
   * Checks the pod-local view of a pod (see pod.ts): its spec holds only POD_LOCAL_FIELDS and its meta only the
   * template's annotations. Returns the violations (empty = compliant) or `undefined` (not applicable). Runs once
   * per distinct view in a check; the result is shared by the pods with that view, so it must not be modified.
   * The pod is undefined for a document of a pod kind whose manifest says another kind (a hand-made document).
   */
  readonly podCheck: (pod: PodRef) => Violation[] | undefined;
}

/** Results of pod-local rules are numbered: a rule's slot indexes `PodClass.results`. */
let nextSlot = 0;
/** The result stored for a pod-local rule that does not apply. */
const NOT_APPLICABLE = SHARED_NOT_APPLICABLE;

/**
 * Defines a pod-local rule: it runs on every document of its kinds like any rule, and within one check its
 * result for pods with the same pod-local view is computed once (see pod.ts).
 */
export function k8sPodRule(spec: K8sPodRuleSpec): K8sRule {
  const slot = nextSlot++;
  const stored = storedCheck(spec.podCheck);
  return new K8sRule({ ...spec, check: (doc, index) => fromStored(classResult(doc, index, slot, stored)), shared: { group: podGroup, slot } });
}

/** The pod class of a document of a pod kind (the engine reads the pod-local rules' results there), or undefined. */
function podGroup(doc: PolicyDocument, index: DocumentIndex): SharedResults | undefined {
  const pod = podOfDoc(doc);
  if (pod === undefined) return undefined;
  return classOf(doc, index, pod);
}

/** The class of the pod of `doc` in this check. */
function classOf(doc: PolicyDocument, index: DocumentIndex, pod: PodRef): PodClass {
  return pod.cls ?? podClassOf(pod, K8sDoc.isK8sDoc(doc) ? sharedClasses(index) : undefined);
}

/**
 * A rule's check for documents of pod kinds made from a pod-local check (for a rule that also looks at other kinds):
 * computed once per distinct pod-local view within a check. Call it once per rule, at module load.
 */
export function podLocalCheck(podCheck: (pod: PodRef) => Violation[] | undefined): (doc: PolicyDocument, index: DocumentIndex) => Violation[] | undefined {
  const slot = nextSlot++;
  const stored = storedCheck(podCheck);
  return (doc, index) => fromStored(classResult(doc, index, slot, stored));
}

/**
 * A pod-local fact a rule uses (for example whether the pods listen on a port), computed once per distinct
 * pod-local view within a check, like a pod-local rule's result. `fact` must not return undefined. Call it once
 * per fact, at module load; the returned function takes a document of a pod kind.
 */
export function podLocalFact<T>(fact: (pod: PodRef) => T): (doc: PolicyDocument, index: DocumentIndex) => T {
  const slot = nextSlot++;
  return (doc, index) => classResult(doc, index, slot, fact);
}

/**
 * What `compute` gives for the pod of `doc`: the value stored in slot `slot` of its class, or computed on the
 * class's view and stored there. A document of a pod kind whose manifest says another kind has no pod: `compute`
 * then runs on undefined, and nothing is stored.
 */
function classResult<T>(doc: PolicyDocument, index: DocumentIndex, slot: number, compute: (pod: PodRef) => T): T {
  const pod = podOfDoc(doc);
  if (pod === undefined) return compute(pod as any);
  const cls = classOf(doc, index, pod);
  const results = cls.results;
  let r = results[slot];
  if (r === undefined) {
    r = compute(cls.view);
    results[slot] = r;
  }
  return r;
}

/** A pod-local check whose result is stored as the engine reads it: NOT_APPLICABLE, NONE or the frozen violations. */
function storedCheck(podCheck: (pod: PodRef) => Violation[] | undefined): (pod: PodRef) => readonly Violation[] {
  return pod => {
    const v = podCheck(pod);
    return v === undefined ? NOT_APPLICABLE : v.length === 0 ? NONE : Object.freeze(v);
  };
}

/** A stored pod-local result as a check returns it. */
function fromStored(r: readonly Violation[]): Violation[] | undefined {
  return r === NOT_APPLICABLE ? undefined : r as Violation[];
}

/**
 * The pod classes of one check. Only documents built by `k8sDocument` (synthesized, or read from YAML or JSON
 * files: plain data) share classes; a hand-made document gets its own.
 */
function sharedClasses(index: DocumentIndex): PodClasses {
  return index._memo('k8s.podClasses', newClasses);
}

function newClasses(): PodClasses {
  return new Map();
}

/** The shared empty result (compliant). */
export const NONE: Violation[] = Object.freeze([]) as any;

/** Which containers a container rule looks at. */
export const MAIN = 0;
export const ALL = 1;
export const ALL_EPHEMERAL = 2;

/**
 * Violations at `<container path><suffix>` for every container of the pod where `bad(c)` holds (one plain loop:
 * this runs for every container of every distinct pod on each synth). No pod: none.
 */
export function containerCheck(pod: PodRef | undefined, which: number, bad: (c: any) => boolean, suffix: string, message?: (c: any) => string): Violation[] {
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

/**
 * `containerCheck` for a rule about a Linux-only security field: not applicable to Windows pods, where the API
 * refuses the field and Pod Security exempts the pod.
 */
export function linuxContainerCheck(pod: PodRef | undefined, which: number, bad: (c: any) => boolean, suffix: string): Violation[] | undefined {
  if (!pod) return NONE;
  if (isWindowsPod(pod)) return undefined;
  return containerCheck(pod, which, bad, suffix);
}

export const ERROR = Severity.ERROR;
export const WARNING = Severity.WARNING;
