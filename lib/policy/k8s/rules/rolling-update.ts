import { k8sRule, NONE, WARNING } from '../define';
import { o } from '../pod';

/** SS-K8S-047 — docs/rules.md#ss-k8s-047. */
export const rollingUpdate = k8sRule({
  id: 'SS-K8S-047',
  title: 'Rolling updates',
  catalog: ['K8S-HA-11'],
  severity: WARNING,
  message: 'Deployment does not use rolling updates',
  fix: 'use strategy.type RollingUpdate (maxUnavailable 0, maxSurge 25%)',
  rationale: 'Recreate stops every pod before starting the new ones: each roll-out is an outage. A strategy the API refuses (a type '
    + 'it does not know, maxSurge and maxUnavailable both 0) is reported by SS-K8S-098.',
  differences: [
    {
      peer: 'kube-linter',
      checks: ['no-rolling-update-strategy'],
      direction: 'laxer',
      reason: 'shipshape checks Deployments only; kube-linter\'s opt-in check also reads OpenShift DeploymentConfig strategies.',
    },
  ],
  kinds: ['Deployment'],
  check: (doc) => {
    const strategy = o(o(doc.manifest.spec).strategy);
    // a type the API does not know is SS-K8S-098's
    if (strategy.type === 'Recreate') return [{ jsonPath: 'spec.strategy.type', message: 'Deployment does not use rolling updates' }];
    return NONE;
  },
});
