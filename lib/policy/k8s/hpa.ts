// Internal: HPA lookups shared by the availability rules.
import { DocumentIndex } from '../document-index';
import { PolicyDocument } from '../rule';
import { o } from './pod';

const SEP = '\u0000';

const NO_HPA: PolicyDocument[] = [];

/** HPAs by the workload they target: name -> kind + namespace key -> HPAs. */
function hpaMap(index: DocumentIndex): Map<string, Map<string, PolicyDocument[]>> {
  return index._memo('k8s.hpa', i => {
    const m = new Map<string, Map<string, PolicyDocument[]>>();
    for (const h of i.ofKind('HorizontalPodAutoscaler')) {
      const ref = o(o(h.manifest.spec).scaleTargetRef);
      if (typeof ref.kind !== 'string' || typeof ref.name !== 'string') continue;
      let byName = m.get(ref.name);
      if (!byName) {
        byName = new Map();
        m.set(ref.name, byName);
      }
      const key = ref.kind + SEP + (h.namespace ?? '');
      const list = byName.get(key);
      if (list) list.push(h); else byName.set(key, [h]);
    }
    return m;
  });
}

/** The HPAs targeting a workload document. */
export function hpasTargeting(index: DocumentIndex, doc: PolicyDocument): PolicyDocument[] {
  if (doc.name === undefined) return NO_HPA;
  const byName = hpaMap(index).get(doc.name);
  if (!byName) return NO_HPA;
  return byName.get(doc.kind + SEP + (doc.namespace ?? '')) ?? NO_HPA;
}

/** The KEDA ScaledObject that scales a Deployment (KEDA creates its HPA in the cluster), or undefined. */
export function kedaScaling(index: DocumentIndex, doc: PolicyDocument): PolicyDocument | undefined {
  const list = index.inNamespace('ScaledObject', doc.namespace);
  for (const so of list) {
    const ref = o(o(so.manifest.spec).scaleTargetRef);
    if (ref.name === doc.name && (ref.kind === undefined ? doc.kind === 'Deployment' : ref.kind === doc.kind)) return so;
  }
  return undefined;
}

/**
 * The replica count a workload runs with at least: the HPA's minReplicas (API default 1) or the KEDA
 * ScaledObject's minReplicaCount (KEDA default 0) when autoscaled, else spec.replicas (API default 1).
 */
export function effectiveReplicas(index: DocumentIndex, doc: PolicyDocument): number {
  const hpas = hpasTargeting(index, doc);
  if (hpas.length > 0) {
    const min = o(hpas[0].manifest.spec).minReplicas;
    return typeof min === 'number' ? min : 1;
  }
  const keda = kedaScaling(index, doc);
  if (keda) {
    const min = o(keda.manifest.spec).minReplicaCount;
    return typeof min === 'number' ? min : 0;
  }
  const r = o(doc.manifest.spec).replicas;
  return typeof r === 'number' ? r : 1;
}
