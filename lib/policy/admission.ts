// Internal: suppressed findings that Pod Security admission refuses anyway. Not re-exported by the barrel.
import { DocumentIndex } from './document-index';
import { podOfDoc } from './k8s/pod';
import { PEER_CHECKS } from './peers';
import { IRule, PolicyDocument } from './rule';
import { SpecRule } from './spec-rule';

/** The Pod Security levels a namespace can enforce, in order. */
const LEVELS = ['privileged', 'baseline', 'restricted'];

/** The Pod Security checks of the baseline level; every other check the catalog maps to is a restricted one. */
const BASELINE_CHECKS = new Set([
  'privileged', 'hostNamespaces', 'hostPathVolumes', 'hostPorts', 'capabilities_baseline', 'procMount', 'seccompProfile_baseline', 'sysctls',
  'seLinuxOptions', 'appArmorProfile', 'windowsHostProcess', 'hostProbesAndHostLifecycle',
]);

/**
 * Rules left out although they stand for Pod Security checks, because whether admission refuses their finding
 * depends on the cluster's version: the AppArmor fields (SS-K8S-017: the annotation form before 1.30) and the host
 * field of probes and lifecycle hooks (SS-K8S-019: checked since 1.34).
 */
const VERSION_DEPENDENT = new Set(['SS-K8S-017', 'SS-K8S-019']);

/**
 * Rules whose level is not the one their checks' levels give: SS-K8S-014 reports a procMount other than Default,
 * which the baseline procMount check refuses (its restricted twin only adds the user-namespace case).
 */
const LEVEL_OF_RULE: { [ruleId: string]: number } = { 'SS-K8S-014': 1 };

/**
 * Rules whose findings Pod Security accepts for a pod in a user namespace (`hostUsers: false`) from 1.35 on: running as
 * root and an Unmasked procMount are then root of the namespace, not of the node. Such a pod is not reported (the
 * check does not know the cluster's version).
 */
const RELAXED_IN_USER_NAMESPACE = new Set(['SS-K8S-004', 'SS-K8S-014']);

/** The label a namespace enforces Pod Security with. */
const ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';

/**
 * For each rule of `rules` whose every finding Pod Security admission refuses at some level, that level (1 baseline,
 * 2 restricted): the rules that stand for Pod Security checks (peers.ts), unless the rule is stricter than Pod
 * Security (a difference recorded on the rule) or version-dependent. A rule standing for checks of both levels needs
 * restricted (a baseline namespace may accept what only the restricted check refuses).
 */
export function admissionLevels(rules: readonly IRule[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const rule of rules) {
    const checks = PEER_CHECKS[rule.id]?.['pod-security'];
    if (checks === undefined || checks.length === 0 || VERSION_DEPENDENT.has(rule.id)) continue;
    if (rule instanceof SpecRule && (rule.differences ?? []).some(d => d.peer === 'pod-security' && d.direction === 'stricter')) continue;
    out.set(rule.id, LEVEL_OF_RULE[rule.id] ?? (checks.every(c => BASELINE_CHECKS.has(c)) ? 1 : 2));
  }
  return out;
}

/**
 * The level (1 baseline, 2 restricted) each Namespace of the output enforces, by name (privileged and unlabelled ones
 * left out). A value Pod Security does not know (`Restricted`: the levels are lower case) counts as restricted, as
 * Pod Security evaluates it (it fails closed).
 */
export function enforcedLevels(index: DocumentIndex): Map<string, EnforcedLevel> {
  const out = new Map<string, EnforcedLevel>();
  for (const ns of index.ofKind('Namespace')) {
    const labels = ns.manifest?.metadata?.labels;
    if (ns.name === undefined || out.has(ns.name) || labels === null || typeof labels !== 'object' || labels[ENFORCE_LABEL] === undefined) continue;
    const label = labels[ENFORCE_LABEL];
    const level = LEVELS.indexOf(label);
    if (level !== 0) out.set(ns.name, { level: level < 0 ? 2 : level, label: String(label) });
  }
  return out;
}

/** What a namespace enforces: the level (1 baseline, 2 restricted) and the label's value. */
export interface EnforcedLevel {
  readonly level: number;
  readonly label: string;
}

/**
 * The message of an SS-POLICY-009 finding when a suppressed finding of `ruleId` on `doc` is one Pod Security admission
 * refuses in the document's namespace (as the output labels the namespace), or undefined.
 */
export function admissionRefusal(ruleId: string, doc: PolicyDocument, rules: Map<string, number>, namespaces: Map<string, EnforcedLevel>): string | undefined {
  const needs = rules.get(ruleId);
  if (needs === undefined || doc.namespace === undefined) return undefined;
  const enforced = namespaces.get(doc.namespace);
  if (enforced === undefined || enforced.level < needs) return undefined;
  if (RELAXED_IN_USER_NAMESPACE.has(ruleId) && podOfDoc(doc)?.spec?.hostUsers === false) return undefined;
  const level = LEVELS.includes(enforced.label) ? `"${enforced.label}"` : `"${enforced.label}" (no level: Pod Security reads it as "restricted")`;
  return `${ruleId} is suppressed here, but namespace ${doc.namespace} enforces Pod Security ${level}, which refuses these pods: `
    + 'the suppression silences shipshape, not the API server';
}
