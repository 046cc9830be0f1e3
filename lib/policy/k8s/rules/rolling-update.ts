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
  rationale: 'Recreate stops every pod before starting the new ones: each roll-out is an outage.',
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
    const t = o(o(doc.manifest.spec).strategy).type;
    return t === undefined || t === 'RollingUpdate' ? NONE : [{ jsonPath: 'spec.strategy.type' }];
  },
});
