import { k8sRule, NONE, WARNING } from '../define';

/** SS-K8S-059 — docs/rules.md#ss-k8s-059. */
export const defaultServiceAccountNoAutomount = k8sRule({
  id: 'SS-K8S-059',
  title: 'Default ServiceAccount does not automount',
  catalog: ['K8S-IDN-03'],
  severity: WARNING,
  message: 'The default ServiceAccount automounts its token',
  fix: 'set automountServiceAccountToken: false on the ServiceAccount named default',
  rationale: 'Every pod that names no ServiceAccount gets the default one: turning its automount off protects the pods nobody thought about.',
  sources: ['CIS EKS 4.1.5'],
  kinds: ['ServiceAccount'],
  check: (doc) => {
    if (doc.name !== 'default') return undefined;
    return doc.manifest.automountServiceAccountToken === false ? NONE : [{ jsonPath: 'automountServiceAccountToken' }];
  },
});
