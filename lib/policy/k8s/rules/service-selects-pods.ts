import { ERROR, k8sRule, NONE } from '../define';
import { hasKey, isObj, o } from '../pod';
import { K8sIndex, PodTemplate } from '../selectors';

/** A label value made of digits (a pod's index). */
const INDEX = /^(0|[1-9][0-9]*)$/;

/**
 * Labels a workload controller puts on the pods it creates, which no pod template carries: by label key, whether
 * the pods of `t` get it with `value`. A Service may select them (one Service per StatefulSet pod is the usual way to
 * give each replica an address of its own).
 */
const CONTROLLER_LABELS: { [key: string]: (t: PodTemplate, value: string) => boolean } = {
  // StatefulSet: <name>-<ordinal>, the ordinal, and the revision
  'statefulset.kubernetes.io/pod-name': (t, v) => t.doc.kind === 'StatefulSet' && v.startsWith(`${t.doc.name}-`) && INDEX.test(v.slice(`${t.doc.name}-`.length)),
  'apps.kubernetes.io/pod-index': (t, v) => (t.doc.kind === 'StatefulSet' || isIndexedJob(t)) && INDEX.test(v),
  'controller-revision-hash': t => t.doc.kind === 'StatefulSet' || t.doc.kind === 'DaemonSet',
  'pod-template-generation': t => t.doc.kind === 'DaemonSet',
  // Deployment: the ReplicaSet's hash
  'pod-template-hash': t => t.doc.kind === 'Deployment',
  // Job (and a CronJob's Jobs, whose names are generated)
  'job-name': (t, v) => t.doc.kind === 'CronJob' || (t.doc.kind === 'Job' && v === t.doc.name),
  'batch.kubernetes.io/job-name': (t, v) => t.doc.kind === 'CronJob' || (t.doc.kind === 'Job' && v === t.doc.name),
  'controller-uid': t => t.doc.kind === 'Job' || t.doc.kind === 'CronJob',
  'batch.kubernetes.io/controller-uid': t => t.doc.kind === 'Job' || t.doc.kind === 'CronJob',
  'batch.kubernetes.io/job-completion-index': (t, v) => isIndexedJob(t) && INDEX.test(v),
};

function isIndexedJob(t: PodTemplate): boolean {
  const m = t.doc.manifest;
  const spec = t.doc.kind === 'CronJob' ? o(o(o(m.spec).jobTemplate).spec) : t.doc.kind === 'Job' ? o(m.spec) : {};
  return spec.completionMode === 'Indexed';
}

/** SS-K8S-050 — docs/rules.md#ss-k8s-050. */
export const serviceSelectsPods = k8sRule({
  id: 'SS-K8S-050',
  title: 'Service selects pods',
  catalog: ['K8S-NET-03'],
  severity: ERROR,
  message: 'Service selects no pod in the output',
  fix: 'fix spec.selector so it matches the pod template labels of a workload in the same namespace',
  rationale: 'A Service whose selector matches no pod has no endpoints: every call to it fails. The labels controllers put on the pods they create '
    + '(statefulset.kubernetes.io/pod-name, apps.kubernetes.io/pod-index, controller-revision-hash, pod-template-hash, job-name, ...) count for the '
    + 'pods of a controller of the kind that adds them, with a value it could give (a StatefulSet pod\'s name is <name>-<ordinal>).',
  kinds: ['Service'],
  check: (doc, index) => {
    const spec = o(doc.manifest.spec);
    if (spec.type === 'ExternalName') return undefined;
    if (!isObj(spec.selector) || !hasKey(spec.selector)) return undefined; // endpoints managed by hand
    const k = K8sIndex.of(index);
    const ns = doc.namespace ?? '';
    if (k.templatesOfService(doc).length > 0) return NONE;
    // a selector on labels the pods get from their controller at run time: match the rest, then those
    const base: { [key: string]: string } = {};
    const runtime: Array<[string, string]> = [];
    for (const key of Object.keys(spec.selector)) {
      const v = spec.selector[key];
      if (CONTROLLER_LABELS[key] !== undefined && typeof v === 'string') runtime.push([key, v]); else base[key] = v;
    }
    if (runtime.length > 0 && k.templatesSelectedBy(ns, { matchLabels: base }).some(t => runtime.every(([key, v]) => CONTROLLER_LABELS[key](t, v)))) return NONE;
    return [{ jsonPath: 'spec.selector' }];
  },
});
