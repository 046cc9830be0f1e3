import { containerCheck, ERROR, k8sRule, MAIN } from '../define';
import { isObj, SERVING_KINDS } from '../pod';

const bad = (c: any) => !isObj(c.readinessProbe);

/** SS-K8S-033 — RULES K8S-PRB-01. */
export const readinessProbe = k8sRule({
  id: 'SS-K8S-033',
  catalog: ['K8S-PRB-01'],
  severity: ERROR,
  message: 'Container has no readiness probe',
  fix: 'add a readinessProbe (e.g. httpGet /readyz on the named port)',
  kinds: SERVING_KINDS,
  check: (doc) => containerCheck(doc, MAIN, bad, '.readinessProbe'),
});
