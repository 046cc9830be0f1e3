import { k8sRule, NONE, WARNING } from '../define';
import { o } from '../pod';

/** SS-K8S-070 — docs/rules.md#ss-k8s-070. */
export const cronjobDeadline = k8sRule({
  id: 'SS-K8S-070',
  title: 'CronJob deadline',
  catalog: ['K8S-JOB-01'],
  severity: WARNING,
  message: 'CronJob has no startingDeadlineSeconds',
  fix: 'set spec.startingDeadlineSeconds so missed runs do not pile up',
  rationale: 'Without startingDeadlineSeconds a controller that was down counts every missed run, and after 100 it stops scheduling the CronJob.',
  kinds: ['CronJob'],
  check: (doc) => (typeof o(doc.manifest.spec).startingDeadlineSeconds === 'number' ? NONE : [{ jsonPath: 'spec.startingDeadlineSeconds' }]),
});
