import { ERROR, k8sRule } from '../define';
import { isObj, mainContainersOf, podOfDoc, SERVING_KINDS } from '../pod';

/** SS-K8S-033 — RULES K8S-PRB-01. */
export const readinessProbe = k8sRule({
  id: 'SS-K8S-033',
  catalog: ['K8S-PRB-01'],
  severity: ERROR,
  message: 'Container has no readiness probe',
  fix: 'add a readinessProbe (e.g. httpGet /readyz on the named port)',
  kinds: SERVING_KINDS,
  check: (doc) => {
    const pod = podOfDoc(doc)!;
    return mainContainersOf(pod).filter(r => !isObj(r.c.readinessProbe)).map(r => ({ jsonPath: `${r.path}.readinessProbe` }));
  },
});
