import { k8sRule, NONE, WARNING } from '../define';
import { arr, o } from '../pod';

/** SS-K8S-072 — docs/rules.md#ss-k8s-072. */
export const jobTtl = k8sRule({
  id: 'SS-K8S-072',
  title: 'Job TTL',
  catalog: ['K8S-JOB-03'],
  severity: WARNING,
  message: 'Job TTL is missing (standalone Job) or set (CronJob template)',
  fix: 'set spec.ttlSecondsAfterFinished on a standalone Job; leave it out of a CronJob jobTemplate (history limits clean up)',
  rationale: 'A standalone Job without ttlSecondsAfterFinished stays forever with its pods; in a CronJob\'s template the TTL fights the history limits. '
    + 'A Job a CronJob owns (ownerReferences, as in a dump of the cluster) is not standalone: the CronJob\'s history limits clean it up.',
  kinds: ['Job', 'CronJob'],
  check: (doc) => {
    const spec = o(doc.manifest.spec);
    if (doc.kind === 'Job') {
      if (arr(o(doc.manifest.metadata).ownerReferences).some(r => o(r).kind === 'CronJob')) return undefined;
      return typeof spec.ttlSecondsAfterFinished === 'number' ? NONE
        : [{ jsonPath: 'spec.ttlSecondsAfterFinished', message: 'Job has no ttlSecondsAfterFinished: it and its pods stay after it finishes' }];
    }
    return o(o(spec.jobTemplate).spec).ttlSecondsAfterFinished !== undefined
      ? [{ jsonPath: 'spec.jobTemplate.spec.ttlSecondsAfterFinished', message: 'CronJob\'s job template sets ttlSecondsAfterFinished, which removes runs its history limits would keep' }] : NONE;
  },
});
