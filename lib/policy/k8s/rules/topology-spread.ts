import { Violation } from '../../rule';
import { k8sRule, WARNING } from '../define';
import { arr, isObj, o, podOfDoc } from '../pod';

/** SS-K8S-040 — RULES K8S-HA-04. */
export const topologySpread = k8sRule({
  id: 'SS-K8S-040',
  catalog: ['K8S-HA-04'],
  severity: WARNING,
  message: 'Pods have no valid topologySpreadConstraints',
  fix: 'spread across zones: topologyKey topology.kubernetes.io/zone, maxSkew 1, whenUnsatisfiable ScheduleAnyway, labelSelector on the pod labels',
  kinds: ['Deployment', 'StatefulSet', 'ReplicaSet'],
  check: (doc) => {
    const pod = podOfDoc(doc)!;
    const list = arr(pod.spec.topologySpreadConstraints);
    if (list.length === 0) return [{ jsonPath: `${pod.path}.topologySpreadConstraints` }];
    const out: Violation[] = [];
    list.forEach((c0, i) => {
      const c = o(c0);
      const base = `${pod.path}.topologySpreadConstraints[${i}]`;
      if (!isObj(c.labelSelector)) out.push({ jsonPath: `${base}.labelSelector`, message: 'Spread constraint has no labelSelector' });
      if (!(typeof c.maxSkew === 'number' && c.maxSkew >= 1)) out.push({ jsonPath: `${base}.maxSkew`, message: 'Spread constraint maxSkew must be 1 or more' });
      if (typeof c.topologyKey !== 'string' || c.topologyKey === '') out.push({ jsonPath: `${base}.topologyKey`, message: 'Spread constraint has no topologyKey' });
      if (c.whenUnsatisfiable !== 'DoNotSchedule' && c.whenUnsatisfiable !== 'ScheduleAnyway') out.push({ jsonPath: `${base}.whenUnsatisfiable`, message: 'Spread constraint whenUnsatisfiable must be DoNotSchedule or ScheduleAnyway' });
      if (c.minDomains === 0) out.push({ jsonPath: `${base}.minDomains`, message: 'Spread constraint minDomains must not be 0' });
    });
    return out;
  },
});
