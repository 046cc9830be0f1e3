import { containerCheck, k8sRule, MAIN, WARNING } from '../define';
import { isObj, SERVING_KINDS } from '../pod';

const bad = (c: any) => !isObj(c.livenessProbe);

/** SS-K8S-034 — RULES K8S-PRB-02. */
export const livenessProbe = k8sRule({
  id: 'SS-K8S-034',
  catalog: ['K8S-PRB-02'],
  severity: WARNING,
  message: 'Container has no liveness probe',
  fix: 'add a livenessProbe on an endpoint distinct from the readiness one (e.g. /livez)',
  kinds: SERVING_KINDS,
  check: (doc) => containerCheck(doc, MAIN, bad, '.livenessProbe'),
});
