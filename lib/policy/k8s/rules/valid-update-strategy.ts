import { Violation } from '../../rule';
import { ERROR, k8sRule, NONE } from '../define';
import { isObj, o } from '../pod';

/**
 * A maxSurge or maxUnavailable as the API reads it: a whole number of pods (0 or more) or a percentage string
 * (`25%`), `{ pct }` for a percentage; or why the API refuses it.
 */
export function intOrPercent(v: unknown): { n: number; pct: boolean } | { refused: string } {
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) return { refused: 'is not a whole number: write a number of pods (1) or a percentage ("25%")' };
    if (v < 0) return { refused: 'is negative: it must be 0 or more' };
    return { n: v, pct: false };
  }
  if (typeof v === 'string') {
    const n = percentOf(v);
    if (n !== undefined) return { n, pct: true };
    const hint = /^[0-9]+$/.test(v.trim()) ? ` (write ${v.trim()}, a number, for pods, or "${v.trim()}%")` : ' (write a number of pods, 1, or a percentage, "25%")';
    return { refused: `is not a percentage${hint}` };
  }
  return { refused: 'is neither a number of pods nor a percentage ("25%")' };
}

/** The number of a percentage string of digits and `%` (`25%`), or undefined. */
export function percentOf(v: string): number | undefined {
  const last = v.length - 1;
  if (last < 1 || v.charCodeAt(last) !== 37) return undefined;
  for (let i = 0; i < last; i++) {
    const c = v.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  return Number(v.slice(0, last));
}

/** How a message shows a value: strings quoted, as in YAML. */
function show(v: unknown): string {
  return JSON.stringify(v) ?? String(v);
}

/**
 * Reads maxSurge and maxUnavailable of a rolling update (`ru`, at `at`) as the API does: each unset one takes its
 * default, a set one must be a number of pods or a percentage, and `limitSurge` also holds maxSurge to 100 %
 * (DaemonSets). Reports the values the API refuses; returns whether each is non-zero (undefined when refused).
 */
function readBounds(ru: any, at: string, defaults: { maxSurge: number; maxUnavailable: number }, limitSurge: boolean, out: Violation[])
  : { surge: boolean | undefined; unavailable: boolean | undefined } {
  return { surge: readBound(ru, 'maxSurge', at, defaults.maxSurge, limitSurge, out), unavailable: readBound(ru, 'maxUnavailable', at, defaults.maxUnavailable, true, out) };
}

/** One field of `readBounds`: whether it is non-zero (its default when unset), or undefined when the API refuses it (reported). */
function readBound(ru: any, field: 'maxSurge' | 'maxUnavailable', at: string, byDefault: number, limit: boolean, out: Violation[]): boolean | undefined {
  const v = ru[field];
  if (v === undefined || v === null) return byDefault !== 0;
  // the common values without reading a percentage: a whole number of pods
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v !== 0;
  const r = intOrPercent(v);
  if ('refused' in r) {
    out.push({ jsonPath: `${at}.${field}`, message: `${field} ${show(v)} ${r.refused}; the API refuses it` });
    return undefined;
  }
  if (limit && r.pct && r.n > 100) {
    out.push({ jsonPath: `${at}.${field}`, message: `${field} ${show(v)} is more than 100%; the API refuses it` });
    return undefined;
  }
  return r.n !== 0;
}

/** The rollout counts the API wants as whole numbers of 0 or more. */
const COUNTS = ['replicas', 'revisionHistoryLimit', 'minReadySeconds'];

/** Reports the rollout counts of a workload spec the API refuses: negative replicas or revisionHistoryLimit, and (Deployment) a progress deadline not above minReadySeconds. */
function checkCounts(kind: string, spec: any, out: Violation[]): void {
  for (let i = 0; i < COUNTS.length; i++) {
    const field = COUNTS[i];
    const v = spec[field];
    if (v === undefined || v === null) continue;
    if (!(typeof v === 'number' && Number.isInteger(v) && v >= 0)) {
      out.push({ jsonPath: `spec.${field}`, message: `${kind} ${field} ${show(v)} is not a whole number of 0 or more: the API refuses it` });
    }
  }
  const deadline = spec.progressDeadlineSeconds;
  if (kind === 'Deployment' && typeof deadline === 'number') {
    const min = typeof spec.minReadySeconds === 'number' ? spec.minReadySeconds : 0;
    if (deadline <= min) {
      out.push({ jsonPath: 'spec.progressDeadlineSeconds', message: `Deployment progressDeadlineSeconds ${deadline} is not above minReadySeconds (${min}): the API refuses it` });
    }
  }
}

function checkDeployment(spec: any, out: Violation[]): void {
  if (!isObj(spec.strategy)) return;
  const strategy = spec.strategy;
  const t = strategy.type;
  const ru = strategy.rollingUpdate;
  if (t === 'Recreate') {
    if (ru !== undefined && ru !== null) {
      out.push({ jsonPath: 'spec.strategy.rollingUpdate', message: 'Deployment strategy Recreate has a rollingUpdate, which the API allows only with type RollingUpdate: remove rollingUpdate, or use type RollingUpdate' });
    }
    return;
  }
  if (t !== undefined && t !== '' && t !== 'RollingUpdate') {
    out.push({ jsonPath: 'spec.strategy.type', message: `Deployment strategy type ${show(t)} is refused by the API: it is RollingUpdate or Recreate` });
    return;
  }
  if (!isObj(ru)) return; // unset: both 25%
  // an unset maxSurge or maxUnavailable is 25%
  const { surge, unavailable } = readBounds(ru, 'spec.strategy.rollingUpdate', { maxSurge: 25, maxUnavailable: 25 }, false, out);
  if (surge === false && unavailable === false) {
    out.push({
      jsonPath: 'spec.strategy.rollingUpdate',
      message: 'Deployment rolling update has maxSurge and maxUnavailable both 0: the roll-out could never progress, and the API refuses it; '
        + 'keep maxUnavailable 0 and set maxSurge (25%, or 1)',
    });
  }
}

function checkDaemonSet(spec: any, out: Violation[]): void {
  if (!isObj(spec.updateStrategy)) return;
  const t = spec.updateStrategy.type;
  if (t === 'OnDelete') return;
  if (t !== undefined && t !== '' && t !== 'RollingUpdate') {
    out.push({ jsonPath: 'spec.updateStrategy.type', message: `DaemonSet updateStrategy type ${show(t)} is refused by the API: it is RollingUpdate or OnDelete` });
    return;
  }
  const ru = spec.updateStrategy.rollingUpdate;
  if (!isObj(ru)) return; // unset: maxUnavailable 1, maxSurge 0
  const { surge, unavailable } = readBounds(ru, 'spec.updateStrategy.rollingUpdate', { maxSurge: 0, maxUnavailable: 1 }, true, out);
  if (surge === true && unavailable === true) {
    const mu = ru.maxUnavailable === undefined || ru.maxUnavailable === null ? 'maxUnavailable (1 when unset)' : `maxUnavailable ${show(ru.maxUnavailable)}`;
    out.push({
      jsonPath: 'spec.updateStrategy.rollingUpdate.maxSurge',
      message: `DaemonSet rolling update sets maxSurge ${show(ru.maxSurge)} beside ${mu}: a DaemonSet either surges or takes nodes' pods down, and the API refuses both above 0; `
        + 'set maxUnavailable: 0 to start each node\'s new pod before its old one stops, or leave maxSurge out',
    });
  } else if (surge === false && unavailable === false) {
    out.push({
      jsonPath: 'spec.updateStrategy.rollingUpdate.maxUnavailable',
      message: 'DaemonSet rolling update has maxUnavailable and maxSurge both 0: the roll-out could never progress, and the API refuses it; set maxUnavailable (1), or maxSurge (1) with maxUnavailable 0',
    });
  }
}

function checkStatefulSet(spec: any, out: Violation[]): void {
  if (!isObj(spec.updateStrategy)) return;
  const t = spec.updateStrategy.type;
  const ru = spec.updateStrategy.rollingUpdate;
  if (t === 'OnDelete') {
    if (ru !== undefined && ru !== null) {
      out.push({ jsonPath: 'spec.updateStrategy.rollingUpdate', message: 'StatefulSet updateStrategy OnDelete has a rollingUpdate, which the API allows only with type RollingUpdate: remove rollingUpdate, or use type RollingUpdate' });
    }
    return;
  }
  if (t !== undefined && t !== '' && t !== 'RollingUpdate') {
    out.push({ jsonPath: 'spec.updateStrategy.type', message: `StatefulSet updateStrategy type ${show(t)} is refused by the API: it is RollingUpdate or OnDelete` });
    return;
  }
  const partition = o(ru).partition;
  if (partition !== undefined && partition !== null && !(typeof partition === 'number' && Number.isInteger(partition) && partition >= 0)) {
    out.push({ jsonPath: 'spec.updateStrategy.rollingUpdate.partition', message: `StatefulSet rolling update partition ${show(partition)} is refused by the API: it is a whole number, 0 or more (the pods from that ordinal up are updated)` });
  }
}

/** SS-K8S-098 — docs/rules.md#ss-k8s-098. */
export const validUpdateStrategy = k8sRule({
  id: 'SS-K8S-098',
  title: 'Update strategy and rollout settings the API server accepts',
  catalog: ['K8S-HA-11'],
  severity: ERROR,
  message: 'Update strategy or rollout setting is refused by the API server',
  fix: 'write maxSurge and maxUnavailable as a number of pods or a percentage ("25%", at most 100% where the kind limits it), '
    + 'not both 0 (for a DaemonSet, not both above 0 either); use a type the kind knows, with rollingUpdate only for RollingUpdate; '
    + 'keep replicas and history counts whole and not negative, and a progress deadline above minReadySeconds',
  rationale: 'The API server refuses a Deployment, DaemonSet or StatefulSet whose update strategy it cannot run, so `kubectl apply` '
    + 'fails: a type other than RollingUpdate and Recreate (Deployment) or RollingUpdate and OnDelete (DaemonSet, StatefulSet); '
    + 'a rollingUpdate beside Recreate or a StatefulSet\'s OnDelete; a maxSurge or maxUnavailable that is negative, not a whole '
    + 'number, or a string that is not a percentage ("1" is not; 1 and "25%" are); a maxUnavailable above 100% (and a DaemonSet\'s '
    + 'maxSurge); maxSurge and maxUnavailable both 0 (an unset one counts as its default: 25% for a Deployment, maxUnavailable 1 '
    + 'and maxSurge 0 for a DaemonSet), which no roll-out could progress with; a DaemonSet with both above 0, as when maxSurge is '
    + 'set and maxUnavailable left to its default of 1; a negative StatefulSet partition; and negative (or fractional) replicas, '
    + 'revisionHistoryLimit or minReadySeconds, or a Deployment progressDeadlineSeconds not above its minReadySeconds.',
  sources: ['Kubernetes API validation (apps/v1)'],
  kinds: ['Deployment', 'DaemonSet', 'StatefulSet'],
  check: (doc) => {
    const spec = o(doc.manifest.spec);
    const out: Violation[] = [];
    checkCounts(doc.kind, spec, out);
    if (doc.kind === 'Deployment') checkDeployment(spec, out);
    else if (doc.kind === 'DaemonSet') checkDaemonSet(spec, out);
    else checkStatefulSet(spec, out);
    return out.length === 0 ? NONE : out;
  },
});
