import { Violation } from '../../rule';
import { k8sRule, NONE, WARNING } from '../define';
import { effectiveReplicas } from '../hpa';
import { arr, isDevelopmentProfile, isObj, o, podOfDoc } from '../pod';

/**
 * SS-K8S-040 — docs/rules.md#ss-k8s-040. Constraints that are present are validated on every kind that runs copies of a pod
 * (and on bare Pods); missing constraints are reported only where there is something to spread: two replicas or
 * more (an unset `replicas` with no autoscaler is the API default of 1), outside the development profile.
 */
export const topologySpread = k8sRule({
  id: 'SS-K8S-040',
  title: 'Topology spread',
  catalog: ['K8S-HA-04'],
  severity: WARNING,
  message: 'Pods have no valid topologySpreadConstraints',
  fix: 'spread across zones: topologyKey topology.kubernetes.io/zone, maxSkew 1, whenUnsatisfiable ScheduleAnyway, labelSelector on the pod labels',
  rationale: 'Spreading across zones keeps the service up when a zone fails. Constraints that are present are always validated; missing ones are reported from two replicas (an unset replicas with no autoscaler is the API default, 1), outside the development profile. DaemonSets run one pod per node by construction.',
  sources: ['EKS Best Practices: spread worker nodes and workloads across multiple AZs'],
  differences: [
    {
      peer: 'polaris',
      checks: ['topologySpreadConstraint'],
      direction: 'laxer',
      reason: 'Polaris asks every pod spec for constraints; shipshape asks only workloads that run two replicas or more (an unset replicas is the API default, 1), and not DaemonSets: there is nothing to spread.',
      when: (m: any) => m?.kind === 'DaemonSet' || !(m?.spec?.replicas >= 2),
    },
  ],
  kinds: ['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController', 'DeploymentConfig', 'Pod'],
  check: (doc, index) => {
    const pod = podOfDoc(doc)!;
    const list = arr(pod.spec.topologySpreadConstraints);
    if (list.length === 0) {
      if (doc.kind === 'Pod' || isDevelopmentProfile(doc.manifest) || effectiveReplicas(index, doc) < 2) return undefined;
      return [{ jsonPath: `${pod.path}.topologySpreadConstraints` }];
    }
    let out: Violation[] | undefined;
    for (let i = 0; i < list.length; i++) {
      if (!(i in list)) continue; // forEach skips holes
      const c = o(list[i]);
      const badSelector = !isObj(c.labelSelector);
      const badSkew = !(typeof c.maxSkew === 'number' && c.maxSkew >= 1);
      const badKey = typeof c.topologyKey !== 'string' || c.topologyKey === '';
      const badWhen = c.whenUnsatisfiable !== 'DoNotSchedule' && c.whenUnsatisfiable !== 'ScheduleAnyway';
      const badDomains = c.minDomains === 0;
      if (!(badSelector || badSkew || badKey || badWhen || badDomains)) continue;
      const base = `${pod.path}.topologySpreadConstraints[${i}]`;
      out ??= [];
      if (badSelector) out.push({ jsonPath: `${base}.labelSelector`, message: 'Spread constraint has no labelSelector' });
      if (badSkew) out.push({ jsonPath: `${base}.maxSkew`, message: 'Spread constraint maxSkew must be 1 or more' });
      if (badKey) out.push({ jsonPath: `${base}.topologyKey`, message: 'Spread constraint has no topologyKey' });
      if (badWhen) out.push({ jsonPath: `${base}.whenUnsatisfiable`, message: 'Spread constraint whenUnsatisfiable must be DoNotSchedule or ScheduleAnyway' });
      if (badDomains) out.push({ jsonPath: `${base}.minDomains`, message: 'Spread constraint minDomains must not be 0' });
    }
    return out ?? NONE;
  },
});
