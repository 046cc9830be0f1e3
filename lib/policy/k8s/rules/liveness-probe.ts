import { k8sRule, WARNING } from '../define';
import { isObj, mainContainersOf, podOfDoc, SERVING_KINDS } from '../pod';

/** SS-K8S-034 — RULES K8S-PRB-02. */
export const livenessProbe = k8sRule({
  id: 'SS-K8S-034',
  catalog: ['K8S-PRB-02'],
  severity: WARNING,
  message: 'Container has no liveness probe',
  fix: 'add a livenessProbe on an endpoint distinct from the readiness one (e.g. /livez)',
  kinds: SERVING_KINDS,
  check: (doc) => {
    const pod = podOfDoc(doc)!;
    return mainContainersOf(pod).filter(r => !isObj(r.c.livenessProbe)).map(r => ({ jsonPath: `${r.path}.livenessProbe` }));
  },
});
