import { k8sRule, NONE, WARNING } from '../define';
import { o } from '../pod';

/** True when a maxSurge or maxUnavailable is set to zero: 0, or a zero percentage ("0%"). */
function zero(v: unknown): boolean {
  return v === 0 || (typeof v === 'string' && /^0+%$/.test(v));
}

/** SS-K8S-047 — docs/rules.md#ss-k8s-047. */
export const rollingUpdate = k8sRule({
  id: 'SS-K8S-047',
  title: 'Rolling updates',
  catalog: ['K8S-HA-11'],
  severity: WARNING,
  message: 'Deployment does not use rolling updates, or its rolling update can never progress',
  fix: 'use strategy.type RollingUpdate (maxUnavailable 0, maxSurge 25%)',
  rationale: 'Recreate stops every pod before starting the new ones: each roll-out is an outage. A rolling update with maxSurge and '
    + 'maxUnavailable both 0 could neither add a new pod nor remove an old one, so the roll-out would never progress: the API refuses it.',
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
    const t = strategy.type;
    if (t !== undefined && t !== 'RollingUpdate') return [{ jsonPath: 'spec.strategy.type', message: 'Deployment does not use rolling updates' }];
    const ru = o(strategy.rollingUpdate);
    // both explicit: an unset one defaults to 25%
    if (zero(ru.maxSurge) && zero(ru.maxUnavailable)) {
      return [{
        jsonPath: 'spec.strategy.rollingUpdate',
        message: 'Deployment rolling update has maxSurge and maxUnavailable both 0: the roll-out could never progress, and the API refuses it; '
          + 'keep maxUnavailable 0 and set maxSurge (25%, or 1)',
      }];
    }
    return NONE;
  },
});
