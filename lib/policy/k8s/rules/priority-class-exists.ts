import { DocumentIndex } from '../../document-index';
import { k8sRule, NONE, WARNING } from '../define';
import { podOf, podOfDoc, POD_KINDS } from '../pod';

/** The PriorityClasses every cluster has (created by the API server). */
export const BUILT_IN_PRIORITY_CLASSES: readonly string[] = ['system-cluster-critical', 'system-node-critical'];

/** The names of the PriorityClasses in the output (cluster-scoped: any namespace a document wrongly carries is ignored). */
function priorityClassNames(index: DocumentIndex): Set<string> {
  return index._memo('k8s.priorityClassNames', (i: DocumentIndex) => {
    const names = new Set<string>();
    for (const d of i.ofKind('PriorityClass')) if (d.name !== undefined) names.add(d.name);
    return names;
  });
}

/** SS-K8S-087 — docs/rules.md#ss-k8s-087. */
export const priorityClassExists = k8sRule({
  id: 'SS-K8S-087',
  title: 'PriorityClass a pod names exists',
  catalog: ['K8S-RES-07'],
  severity: WARNING,
  message: 'Pod names a PriorityClass that is neither built in nor in the output',
  fix: 'add the PriorityClass (scheduling.k8s.io/v1) to the output, fix the name, or use a built-in class (system-cluster-critical, system-node-critical); '
    + 'if the cluster\'s platform installs the class, suppress the finding with that reason',
  rationale: 'The API server refuses a pod whose priorityClassName names no PriorityClass, so the controller (Deployment, StatefulSet, DaemonSet, '
    + 'Job) cannot create any pod: it retries and records FailedCreate events, and the workload never runs. Only the built-in classes '
    + `(${BUILT_IN_PRIORITY_CLASSES.join(', ')}) exist in every cluster; any other must be in the output. A warning, not an error: PriorityClasses are cluster-wide, `
    + 'and a platform team often installs them once for every application (with the cluster, or from a chart of its own), so an application\'s output '
    + 'that names one it does not hold is common and right; as an error it would fail every such synth and `shipshape check` run. SS-K8S-028 asks '
    + 'DaemonSets for a class; this rule checks that the class named exists.',
  differences: [
    {
      peer: 'kube-linter',
      checks: ['priority-class-name'],
      direction: 'laxer',
      reason: 'kube-linter\'s opt-in check accepts only the built-in system-*-critical classes; shipshape also accepts a class the output defines.',
      when: (m: any) => {
        const pod = m !== null && typeof m === 'object' ? podOf(m) : undefined;
        const p = pod?.spec.priorityClassName;
        return typeof p === 'string' && p !== '' && !BUILT_IN_PRIORITY_CLASSES.includes(p);
      },
    },
  ],
  kinds: POD_KINDS,
  check: (doc, index) => {
    const pod = podOfDoc(doc);
    if (!pod) return NONE;
    const p = pod.spec.priorityClassName;
    if (typeof p !== 'string' || p === '' || BUILT_IN_PRIORITY_CLASSES.includes(p) || priorityClassNames(index).has(p)) return NONE;
    return [{
      jsonPath: `${pod.path}.priorityClassName`,
      message: `PriorityClass ${p} is not in the output, nor built in (${BUILT_IN_PRIORITY_CLASSES.join(', ')}): until it exists, the API server refuses the pods`,
    }];
  },
});
