import { k8sRule, NONE, WARNING } from '../define';
import { podOfDoc } from '../pod';

/** SS-K8S-028 — docs/rules.md#ss-k8s-028. */
export const priorityClass = k8sRule({
  id: 'SS-K8S-028',
  title: 'Priority class on DaemonSets',
  catalog: ['K8S-RES-07'],
  severity: WARNING,
  message: 'DaemonSet pods have no priorityClassName',
  fix: 'set priorityClassName to a class above your workloads\' (for example system-node-critical for a node agent) so the pod can preempt on a full node',
  rationale: 'A DaemonSet pod must run on its node and cannot be placed elsewhere: without a priority above the workloads\' it stays Pending on a full node. Other pods run at the cluster\'s default priority, which is a choice of the cluster, not a defect of the manifest.',
  differences: [
    {
      peer: 'polaris',
      checks: ['priorityClassNotSet'],
      direction: 'laxer',
      reason: 'Polaris asks every pod for a priorityClassName; shipshape asks only DaemonSets, whose pods cannot move to another node. A class must exist in the cluster, and the default priority is the cluster\'s choice.',
      when: (m: any) => m?.kind !== 'DaemonSet',
    },
    {
      peer: 'kube-linter',
      checks: ['priority-class-name'],
      direction: 'laxer',
      reason: 'kube-linter\'s opt-in check accepts only the system-*-critical classes; shipshape accepts any class the cluster defines, and asks for one only on DaemonSets.',
    },
  ],
  kinds: ['DaemonSet'],
  check: (doc) => {
    const pod = podOfDoc(doc)!;
    const p = pod.spec.priorityClassName;
    return typeof p === 'string' && p !== '' ? NONE : [{ jsonPath: `${pod.path}.priorityClassName` }];
  },
});
