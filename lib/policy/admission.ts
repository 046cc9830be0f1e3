// Internal: suppressed findings that Pod Security admission refuses anyway. Not re-exported by the barrel.
import { DocumentIndex } from './document-index';
import { PEER_CHECKS } from './peers';
import { IRule } from './rule';
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
    out.set(rule.id, checks.every(c => BASELINE_CHECKS.has(c)) ? 1 : 2);
  }
  return out;
}

/** The level (1 baseline, 2 restricted) each Namespace of the output enforces, by name (privileged and unlabelled ones left out). */
export function enforcedLevels(index: DocumentIndex): Map<string, number> {
  const out = new Map<string, number>();
  for (const ns of index.ofKind('Namespace')) {
    const labels = ns.manifest?.metadata?.labels;
    const level = labels !== null && typeof labels === 'object' ? LEVELS.indexOf(labels[ENFORCE_LABEL]) : -1;
    if (ns.name !== undefined && level > 0 && !out.has(ns.name)) out.set(ns.name, level);
  }
  return out;
}

/**
 * The message of an SS-POLICY-009 finding when a suppressed finding of `ruleId` in `namespace` is one Pod Security
 * admission refuses there (as the output labels the namespace), or undefined.
 */
export function admissionRefusal(ruleId: string, namespace: string, rules: Map<string, number>, namespaces: Map<string, number>): string | undefined {
  const needs = rules.get(ruleId);
  if (needs === undefined) return undefined;
  const enforced = namespaces.get(namespace);
  if (enforced === undefined || enforced < needs) return undefined;
  return `${ruleId} is suppressed here, but namespace ${namespace} enforces Pod Security "${LEVELS[enforced]}", which refuses these pods: `
    + 'the suppression silences shipshape, not the API server';
}
