import { ERROR, k8sRule, NONE } from '../define';
import { isObj, labelsOf, MAP_SELECTOR_KINDS, o, podOfDoc } from '../pod';
import { selectorMatches } from '../selectors';

/** `Object.keys(x).length > 0`, without the array. */
function hasOwnKey(x: any): boolean {
  for (const k in x) if (Object.prototype.hasOwnProperty.call(x, k)) return true;
  return false;
}

/** SS-K8S-066 — docs/rules.md#ss-k8s-066. */
export const selectorMatchesTemplate = k8sRule({
  id: 'SS-K8S-066',
  title: 'Selector matches the pod template',
  catalog: ['K8S-META-02'],
  severity: ERROR,
  message: 'spec.selector does not match the pod template labels',
  fix: 'make spec.selector.matchLabels a subset of spec.template.metadata.labels',
  rationale: 'The API refuses a workload whose selector does not match its template labels; an empty selector would adopt every pod of the namespace.',
  kinds: ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'ReplicationController', 'DeploymentConfig'],
  check: (doc) => {
    const raw = o(doc.manifest.spec).selector;
    // a Job's selector is generated; a ReplicationController's or DeploymentConfig's (a plain label map) defaults
    // to the template labels
    if (raw === undefined && (doc.kind === 'Job' || MAP_SELECTOR_KINDS.has(doc.kind))) return undefined;
    const sel = MAP_SELECTOR_KINDS.has(doc.kind) && isObj(raw) ? { matchLabels: raw } : raw;
    const pod = podOfDoc(doc)!;
    if (!isObj(sel)) return [{ jsonPath: 'spec.selector', message: 'spec.selector is missing' }];
    const empty = !hasOwnKey(o(sel.matchLabels)) && !(Array.isArray(sel.matchExpressions) && sel.matchExpressions.length > 0);
    return !empty && selectorMatches(sel, labelsOf(pod.meta)) ? NONE : [{ jsonPath: 'spec.selector' }];
  },
});
