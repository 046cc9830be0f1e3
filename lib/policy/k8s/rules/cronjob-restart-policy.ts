import { ERROR, k8sRule, NONE } from '../define';
import { podOfDoc } from '../pod';

/** SS-K8S-071 — docs/rules.md#ss-k8s-071. */
export const cronjobRestartPolicy = k8sRule({
  id: 'SS-K8S-071',
  title: 'CronJob restart policy',
  catalog: ['K8S-JOB-02'],
  severity: ERROR,
  message: 'CronJob pods need restartPolicy Never or OnFailure',
  fix: 'set spec.jobTemplate.spec.template.spec.restartPolicy to Never or OnFailure',
  rationale: 'A CronJob\'s pods must use Never or OnFailure; Always is refused by the API for Jobs.',
  kinds: ['CronJob'],
  check: (doc) => {
    const pod = podOfDoc(doc)!;
    const p = pod.spec.restartPolicy;
    return p === 'Never' || p === 'OnFailure' ? NONE : [{ jsonPath: `${pod.path}.restartPolicy` }];
  },
});
