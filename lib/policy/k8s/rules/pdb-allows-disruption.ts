import { Violation } from '../../rule';
import { ERROR, k8sRule } from '../define';
import { describeReplicas, effectiveReplicas } from '../hpa';
import { o } from '../pod';
import { intOrPercent, percentOf } from './valid-update-strategy';
import { K8sIndex } from '../selectors';

function pct(v: any): number | undefined {
  return typeof v === 'string' ? percentOf(v) : undefined;
}

/** Reports a minAvailable or maxUnavailable the API refuses (no pod count or percentage, negative, above 100 %): 1 when it did, else 0. */
function refusedCount(field: 'minAvailable' | 'maxUnavailable', v: unknown, out: Violation[]): number {
  if (v === undefined || v === null || (typeof v === 'number' && Number.isInteger(v) && v >= 0)) return 0;
  const r = intOrPercent(v);
  const why = 'refused' in r ? r.refused : r.pct && r.n > 100 ? 'is more than 100%' : undefined;
  if (why === undefined) return 0;
  out.push({ jsonPath: `spec.${field}`, message: `PodDisruptionBudget ${field} ${JSON.stringify(v)} ${why}; the API refuses it` });
  return 1;
}

/**
 * SS-K8S-042 — docs/rules.md#ss-k8s-042. Each field is judged on its own (a budget that sets both is refused by the API,
 * and reported as such). A numeric minAvailable is compared with the replicas of every workload the budget
 * selects, matched by the labels its pods carry (template labels and the workload's own selector).
 */
export const pdbAllowsDisruption = k8sRule({
  id: 'SS-K8S-042',
  title: 'PodDisruptionBudget allows a disruption',
  catalog: ['K8S-HA-06'],
  severity: ERROR,
  message: 'PodDisruptionBudget allows no disruption (node drains would block), or holds values the API refuses',
  fix: 'set maxUnavailable: 1 (or a minAvailable below the replica count), and give each pod one budget; write both as a pod count (unquoted) '
    + 'or a percentage up to 100%, and unhealthyPodEvictionPolicy as AlwaysAllow or IfHealthyBudget',
  rationale: 'A budget that allows no eviction (maxUnavailable 0, minAvailable 100 % or at least the replica count) blocks every node drain and cluster upgrade. '
    + 'A minAvailable percentage is rounded up, as the disruption controller does: 60 % of 2 pods is 2, which allows none. '
    + 'Two budgets that select the same pods block them as well: the eviction API refuses to evict a pod that more than one budget covers. '
    + 'The API refuses a budget whose minAvailable or maxUnavailable is no pod count or percentage (a quoted "1" is neither), negative or above '
    + '100 %, or whose unhealthyPodEvictionPolicy is not AlwaysAllow or IfHealthyBudget.',
  differences: [
    {
      peer: 'polaris',
      checks: ['pdbDisruptionsIsZero'],
      direction: 'stricter',
      reason: 'Polaris passes a budget that sets neither minAvailable nor maxUnavailable, or both; shipshape reports both shapes, as kube-score does for the first (a budget without a policy does nothing) and the API does for the second (it refuses both fields together).',
    },
  ],
  kinds: ['PodDisruptionBudget'],
  check: (doc, index) => {
    const spec = o(doc.manifest.spec);
    const max = spec.maxUnavailable;
    const min = spec.minAvailable;
    if (max === undefined && min === undefined) {
      return [{ jsonPath: 'spec', message: 'PodDisruptionBudget sets neither minAvailable nor maxUnavailable' }];
    }
    const out: Violation[] = [];
    // values the API refuses: no pod count or percentage (a quoted "1"), negative, above 100 %, an unknown eviction policy
    const refused = refusedCount('minAvailable', min, out) + refusedCount('maxUnavailable', max, out) > 0;
    const policy = spec.unhealthyPodEvictionPolicy;
    if (policy !== undefined && policy !== 'IfHealthyBudget' && policy !== 'AlwaysAllow') {
      out.push({ jsonPath: 'spec.unhealthyPodEvictionPolicy', message: `PodDisruptionBudget unhealthyPodEvictionPolicy ${JSON.stringify(policy)} is not IfHealthyBudget or AlwaysAllow; the API refuses it` });
    }
    if (refused) return out;
    const shared = K8sIndex.of(index).overlapping('PodDisruptionBudget').get(doc);
    if (shared !== undefined) {
      const others = shared.others.map(d => d.name ?? '(unnamed)');
      out.push({
        jsonPath: 'spec.selector',
        message: `PodDisruptionBudget selects the pods of ${shared.template.doc.kind} ${shared.template.doc.name ?? '(unnamed)'}, as PodDisruptionBudget${others.length > 1 ? 's' : ''} `
          + `${others.join(', ')} ${others.length > 1 ? 'do' : 'does'}: the eviction API refuses to evict a pod that more than one budget covers, so node drains stop at these pods`,
      });
    }
    if (max !== undefined && min !== undefined) {
      out.push({ jsonPath: 'spec', message: 'PodDisruptionBudget sets both minAvailable and maxUnavailable; the API accepts only one' });
    }
    if (max !== undefined && (max === 0 || max === '0' || pct(max) === 0)) {
      out.push({ jsonPath: 'spec.maxUnavailable', message: `maxUnavailable ${JSON.stringify(max)} allows no disruption` });
    }
    const minPct = pct(min);
    if (minPct !== undefined && minPct >= 100) {
      out.push({ jsonPath: 'spec.minAvailable', message: `minAvailable ${min} allows no disruption` });
    } else if (typeof min === 'number' || minPct !== undefined) {
      const selected = K8sIndex.of(index).templatesSelectedBy(doc.namespace ?? '', o(spec.selector));
      for (const t of selected) {
        // replicas mean nothing for bare Pods, Jobs and DaemonSets (one pod per node)
        if (t.doc.kind === 'Pod' || t.doc.kind === 'Job' || t.doc.kind === 'CronJob' || t.doc.kind === 'DaemonSet') continue;
        const replicas = effectiveReplicas(index, t.doc);
        // the disruption controller rounds a percentage up: 60 % of 2 pods is 2
        const needed = minPct === undefined ? min : Math.ceil(minPct * replicas / 100);
        if (needed >= replicas) {
          const what = minPct === undefined ? `minAvailable ${min}` : `minAvailable ${min} (${needed} of ${replicas} pods, rounded up)`;
          out.push({ jsonPath: 'spec.minAvailable', message: `${what} leaves no disruption for ${t.doc.kind} ${t.doc.name ?? '(unnamed)'} (${describeReplicas(index, t.doc)})` });
          break;
        }
      }
    }
    return out;
  },
});
