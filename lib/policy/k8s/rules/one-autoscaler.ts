import { ERROR, k8sRule, NONE } from '../define';
import { hpasTargeting } from '../hpa';
import { o } from '../pod';

/** The KEDA ScaledObjects that scale a workload (a ScaledObject without a kind scales a Deployment). */
function scaledObjectsOf(doc: any, index: any): any[] {
  if (index.ofKind('ScaledObject').length === 0) return [];
  return index.inNamespace('ScaledObject', doc.namespace).filter((so: any) => {
    const ref = o(o(so.manifest.spec).scaleTargetRef);
    return ref.name === doc.name && (ref.kind === undefined ? doc.kind === 'Deployment' : ref.kind === doc.kind);
  });
}

/** SS-K8S-092 — docs/rules.md#ss-k8s-092. */
export const oneAutoscaler = k8sRule({
  id: 'SS-K8S-092',
  title: 'One autoscaler per workload',
  catalog: ['K8S-HA-10'],
  severity: ERROR,
  message: 'Several autoscalers scale this workload',
  fix: 'keep one autoscaler per workload: one HorizontalPodAutoscaler, or one KEDA ScaledObject (which makes the HPA itself); put every metric in it',
  rationale: 'Two HorizontalPodAutoscalers on one workload each set its replica count from their own metrics, so the count swings '
    + 'between their answers; a KEDA ScaledObject creates an HPA of its own, and KEDA\'s admission webhook refuses a ScaledObject '
    + 'whose workload another HPA or ScaledObject already scales. One autoscaler takes several metrics and scales to the highest answer.',
  kinds: ['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController'],
  check: (doc, index) => {
    // the HPA a ScaledObject makes (owned by it) is that ScaledObject's, not a second autoscaler (a cluster export holds both)
    const targeting = hpasTargeting(index, doc);
    // the common case, one HPA and no ScaledObject in the output, without building lists
    if (targeting.length < 2 && index.ofKind('ScaledObject').length === 0) return NONE;
    const hpas = targeting.filter(h => !(o(h.manifest.metadata).ownerReferences instanceof Array
      && (h.manifest.metadata.ownerReferences as any[]).some(r => o(r).kind === 'ScaledObject')));
    const scaled = scaledObjectsOf(doc, index);
    if (hpas.length + scaled.length < 2) return NONE;
    // one object per name: the same HPA held twice (two outputs checked in one run, SS-POLICY-005) is one autoscaler,
    // in one cluster (which keeps one object of a name) as in two (each scales its own copy of the workload)
    const names = [...new Set([...hpas.map(h => `HorizontalPodAutoscaler ${h.name}`), ...scaled.map((s: any) => `ScaledObject ${s.name}`)])];
    if (names.length < 2) return NONE;
    return [{ jsonPath: 'metadata.name', message: `${names.length} autoscalers scale ${doc.kind} ${doc.name}: ${names.join(', ')}; they would fight over its replica count` }];
  },
});
