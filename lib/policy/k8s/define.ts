// Internal helpers to define Kubernetes rules. Not re-exported by the barrel.
import { PolicyDocument, Severity, Violation } from '../rule';
import { RuleSpec, SpecRule } from '../spec-rule';
import { containersOf, isWindowsPod, mainContainersOf, podOfDoc } from './pod';

/** What a Kubernetes rule file declares. */
export interface K8sRuleSpec extends RuleSpec {}

/** A Kubernetes rule. */
export class K8sRule extends SpecRule {}

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

/**
 * `containerCheck` for a rule about a Linux-only security field: not applicable to Windows pods, where the API
 * refuses the field and Pod Security exempts the pod.
 */
export function linuxContainerCheck(doc: PolicyDocument, which: number, bad: (c: any) => boolean, suffix: string): Violation[] | undefined {
  const pod = podOfDoc(doc);
  if (!pod) return NONE;
  if (isWindowsPod(pod)) return undefined;
  return containerCheck(doc, which, bad, suffix);
}

export const ERROR = Severity.ERROR;
export const WARNING = Severity.WARNING;
