import { k8sRule, WARNING } from '../define';

/** SS-K8S-059 — RULES K8S-IDN-03. */
export const defaultServiceAccountNoAutomount = k8sRule({
  id: 'SS-K8S-059',
  catalog: ['K8S-IDN-03'],
  severity: WARNING,
  message: 'The default ServiceAccount automounts its token',
  fix: 'set automountServiceAccountToken: false on the ServiceAccount named default',
  kinds: ['ServiceAccount'],
  check: (doc) => {
    if (doc.name !== 'default') return undefined;
    return doc.manifest.automountServiceAccountToken === false ? [] : [{ jsonPath: 'automountServiceAccountToken' }];
  },
});
