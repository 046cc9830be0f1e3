import { k8sRule, NONE, WARNING } from '../define';
import { o } from '../pod';

/** SS-K8S-072 — docs/rules.md#ss-k8s-072. */
export const jobTtl = k8sRule({
  id: 'SS-K8S-072',
  title: 'Job TTL',
  catalog: ['K8S-JOB-03'],
  severity: WARNING,
  message: 'Job TTL is missing (standalone Job) or set (CronJob template)',
  fix: 'set spec.ttlSecondsAfterFinished on a standalone Job; leave it out of a CronJob jobTemplate (history limits clean up)',
  rationale: 'A standalone Job without ttlSecondsAfterFinished stays forever with its pods; in a CronJob\'s template the TTL fights the history limits.',
  kinds: ['Job', 'CronJob'],
  check: (doc) => {
    const spec = o(doc.manifest.spec);
    if (doc.kind === 'Job') return typeof spec.ttlSecondsAfterFinished === 'number' ? NONE : [{ jsonPath: 'spec.ttlSecondsAfterFinished' }];
    return o(o(spec.jobTemplate).spec).ttlSecondsAfterFinished !== undefined ? [{ jsonPath: 'spec.jobTemplate.spec.ttlSecondsAfterFinished' }] : NONE;
  },
});
