import { k8sRule, WARNING } from '../define';
import { o } from '../pod';

/** SS-K8S-047 — RULES K8S-HA-11. */
export const rollingUpdate = k8sRule({
  id: 'SS-K8S-047',
  catalog: ['K8S-HA-11'],
  severity: WARNING,
  message: 'Deployment does not use rolling updates',
  fix: 'use strategy.type RollingUpdate (maxUnavailable 0, maxSurge 25%)',
  kinds: ['Deployment'],
  check: (doc) => {
    const t = o(o(doc.manifest.spec).strategy).type;
    return t === undefined || t === 'RollingUpdate' ? [] : [{ jsonPath: 'spec.strategy.type' }];
  },
});
