import { ERROR, k8sRule, NONE } from '../define';
import { podOfDoc } from '../pod';

/** SS-K8S-071 — docs/rules.md#ss-k8s-071. */
export const cronjobRestartPolicy = k8sRule({
  id: 'SS-K8S-071',
  title: 'Job and CronJob restart policy',
  catalog: ['K8S-JOB-02'],
  severity: ERROR,
  message: 'Job and CronJob pods need restartPolicy Never or OnFailure',
  fix: 'set the pod template\'s restartPolicy to Never or OnFailure (spec.template.spec of a Job, spec.jobTemplate.spec.template.spec of a CronJob)',
  rationale: 'The API refuses a Job, and a CronJob\'s job template, whose pods use restartPolicy Always, which is also what an unset '
    + 'restartPolicy means: a Job\'s pods must end, so they use Never or OnFailure.',
  kinds: ['CronJob', 'Job'],
  check: (doc) => {
    const pod = podOfDoc(doc)!;
    const p = pod.spec.restartPolicy;
    if (p === 'Never' || p === 'OnFailure') return NONE;
    return [{
      jsonPath: `${pod.path}.restartPolicy`,
      message: `${doc.kind} pods need restartPolicy Never or OnFailure; ${p === undefined ? 'it is unset, which means Always' : `it is ${JSON.stringify(p)}`}, which the API refuses`,
    }];
  },
});
