// Internal: suppressed findings that Pod Security admission refuses anyway. Not re-exported by the barrel.
import { DocumentIndex } from './document-index';
import { valueAt } from './internal';
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
 * which the baseline procMount check refuses (its restricted twin only adds the user-namespace case); SS-K8S-011
 * reports hostPath volumes, which the baseline hostPathVolumes check refuses (restrictedVolumes refuses them again).
 */
const LEVEL_OF_RULE: { [ruleId: string]: number } = { 'SS-K8S-011': 1, 'SS-K8S-014': 1 };

/**
 * Rules whose findings Pod Security accepts for a pod in a user namespace (`hostUsers: false`) from 1.35 on: running as
 * root and an Unmasked procMount are then root of the namespace, not of the node. Such a pod is not reported (the
 * check does not know the cluster's version).
 */
const RELAXED_IN_USER_NAMESPACE = new Set(['SS-K8S-004', 'SS-K8S-014']);

/**
 * Rules stricter than Pod Security whose single finding Pod Security may refuse or accept: the level that refuses it,
 * read from the value the finding names (0: none refuses it).
 */
const LEVEL_BY_VALUE: { [ruleId: string]: (value: unknown) => number } = {
  // capabilities added: baseline allows the runtime's default set, restricted NET_BIND_SERVICE only
  'SS-K8S-008': (add) => {
    const caps = Array.isArray(add) ? add.map(c => String(c).toUpperCase().replace(/^CAP_/, '')) : [];
    return caps.some(c => !BASELINE_CAPABILITIES.has(c)) ? 1 : caps.some(c => c !== 'NET_BIND_SERVICE') ? 2 : 0;
  },
  // the seccomp profile type: baseline refuses Unconfined, restricted also no profile at all; Localhost passes both
  'SS-K8S-009': (type) => (type === 'Unconfined' ? 1 : type === undefined ? 2 : 0),
  // a host port: baseline refuses any but 0
  'SS-K8S-012': (port) => (port !== undefined && port !== 0 ? 1 : 0),
};

/** The capabilities Pod Security baseline lets a container add (the container runtime's default set). */
export const BASELINE_CAPABILITIES: ReadonlySet<string> = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);

/** The level of a rule whose refusal depends on the value of each finding (LEVEL_BY_VALUE). */
const BY_VALUE = 3;

/** The label a namespace enforces Pod Security with. */
const ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';

/**
 * For each rule of `rules` whose every finding Pod Security admission refuses at some level, that level (1 baseline,
 * 2 restricted): the rules that stand for Pod Security checks (peers.ts), unless the rule is stricter than Pod
 * Security (a difference recorded on the rule) or version-dependent; for the stricter rules whose findings name the
 * value Pod Security reads (LEVEL_BY_VALUE), BY_VALUE: each finding is judged by its value. A rule standing for checks of both levels needs
 * restricted (a baseline namespace may accept what only the restricted check refuses).
 */
export function admissionLevels(rules: readonly IRule[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const rule of rules) {
    const checks = PEER_CHECKS[rule.id]?.['pod-security'];
    if (checks === undefined || checks.length === 0 || VERSION_DEPENDENT.has(rule.id)) continue;
    if (LEVEL_BY_VALUE[rule.id] !== undefined) {
      out.set(rule.id, BY_VALUE);
      continue;
    }
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

/** A suppressed finding Pod Security admission refuses in the namespace of its object. */
export interface AdmissionRefusal {
  /** The lowest level that refuses the finding: 1 baseline, 2 restricted. */
  readonly level: number;
  readonly namespace: string;
  /** What the namespace enforces. */
  readonly enforced: EnforcedLevel;
}

/**
 * The refusal when a suppressed finding of `ruleId` on `doc` is one Pod Security admission refuses in the document's
 * namespace (as the output labels the namespace), or undefined.
 */
export function admissionRefusal(ruleId: string, doc: PolicyDocument, jsonPath: string, rules: Map<string, number>, namespaces: Map<string, EnforcedLevel>): AdmissionRefusal | undefined {
  let needs = rules.get(ruleId);
  if (needs === undefined || doc.namespace === undefined) return undefined;
  const enforced = namespaces.get(doc.namespace);
  if (enforced === undefined) return undefined;
  if (needs === BY_VALUE) needs = LEVEL_BY_VALUE[ruleId](valueAt(doc.manifest, jsonPath)) || BY_VALUE;
  if (enforced.level < needs) return undefined;
  if (RELAXED_IN_USER_NAMESPACE.has(ruleId) && podOfDoc(doc)?.spec?.hostUsers === false) return undefined;
  return { level: needs, namespace: doc.namespace, enforced };
}

/**
 * The message of the SS-POLICY-009 finding on one object for the `count` suppressed findings of `ruleId` there that
 * Pod Security refuses (the finding sits at the first, `jsonPath`).
 */
export function refusalMessage(ruleId: string, refusal: AdmissionRefusal, jsonPath: string, count: number): string {
  const label = refusal.enforced.label;
  const level = LEVELS.includes(label) ? `"${label}"` : `"${label}" (no level: Pod Security reads it as "restricted")`;
  const how = count > 1 ? `, on ${count} findings of this object (${jsonPath} and ${count - 1} more)` : '';
  return `${ruleId} is suppressed here${how}, but namespace ${refusal.namespace} enforces Pod Security ${level}, which refuses these pods: `
    + 'the suppression silences shipshape, not the API server';
}

/**
 * The fix of the SS-POLICY-009 finding: the enforce levels that let the pods run are those below `level`, the lowest
 * level refusing a finding (privileged only, for what baseline refuses; baseline or privileged for what only restricted
 * refuses).
 */
export function refusalFix(ruleId: string, level: number): string {
  const levels = level >= 2 ? 'baseline or privileged' : `privileged only: baseline refuses ${ruleId}'s findings as well as restricted does`;
  return 'make the pods comply with the rule, or run them in a namespace whose pod-security.kubernetes.io/enforce label allows them '
    + `(${levels}; a TeamNamespace always enforces restricted, so a namespace of `
    + 'their own outside the team); suppress SS-POLICY-009 only when the cluster exempts these pods from Pod Security (its admission configuration)';
}
