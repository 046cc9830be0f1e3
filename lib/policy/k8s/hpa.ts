// Internal: HPA lookups shared by the availability rules.
import { DocumentIndex } from '../document-index';
import { PolicyDocument } from '../rule';
import { K8sDoc, o } from './pod';

const NO_HPA: PolicyDocument[] = [];

/** The HPAs of one output that target one kind in one namespace (under the target's name). */
interface HpaGroup {
  readonly kind: string;
  readonly ns: string;
  readonly hpas: PolicyDocument[];
}

/** HPAs by the name of the workload they target, grouped by the target's kind and namespace. */
function hpaMap(index: DocumentIndex): Map<string, HpaGroup[]> {
  return index._memo('k8s.hpa', buildHpaMap);
}

function buildHpaMap(i: DocumentIndex): Map<string, HpaGroup[]> {
  const m = new Map<string, HpaGroup[]>();
  for (const h of i.ofKind('HorizontalPodAutoscaler')) {
    const ref = o(o(h.manifest.spec).scaleTargetRef);
    if (typeof ref.kind !== 'string' || typeof ref.name !== 'string') continue;
    const ns = h.namespace ?? '';
    let groups = m.get(ref.name);
    if (!groups) {
      groups = [];
      m.set(ref.name, groups);
    }
    const g = groups.find(x => x.kind === ref.kind && x.ns === ns);
    if (g) g.hpas.push(h); else groups.push({ kind: ref.kind, ns, hpas: [h] });
  }
  return m;
}

/**
 * The HPAs targeting a workload document (looked up once per document: several rules ask). The first ask for a kind
 * looks up every document of that kind in one pass, so the rules read a field.
 */
export function hpasTargeting(index: DocumentIndex, doc: PolicyDocument): PolicyDocument[] {
  if (!K8sDoc.isK8sDoc(doc)) return lookUp(index, doc);
  const hpas = (doc as K8sDoc)._hpas;
  return hpas !== undefined ? hpas : lookUpKind(index, doc as K8sDoc);
}

/** Looks up the HPAs of every document of `doc`'s kind (once per kind), and returns those of `doc`. */
function lookUpKind(index: DocumentIndex, doc: K8sDoc): PolicyDocument[] {
  const docs = index.ofKind(doc.kind);
  for (let i = 0; i < docs.length; i++) {
    const d = docs[i];
    if (K8sDoc.isK8sDoc(d) && (d as K8sDoc)._hpas === undefined) (d as K8sDoc)._hpas = lookUp(index, d);
  }
  // a document the index does not hold under its kind
  if (doc._hpas === undefined) doc._hpas = lookUp(index, doc);
  return doc._hpas;
}

function lookUp(index: DocumentIndex, doc: PolicyDocument): PolicyDocument[] {
  if (doc.name === undefined) return NO_HPA;
  const groups = hpaMap(index).get(doc.name);
  if (!groups) return NO_HPA;
  const ns = doc.namespace ?? '';
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i];
    if (g.kind === doc.kind && g.ns === ns) return g.hpas;
  }
  return NO_HPA;
}

/**
 * The document an HPA's scaleTargetRef names by kind and name (the first in the output of that kind and name in the
 * HPA's namespace), or undefined when it names none or the output holds none; looked up once per HPA (several rules ask).
 */
export function scaleTarget(index: DocumentIndex, hpa: PolicyDocument): PolicyDocument | undefined {
  if (!K8sDoc.isK8sDoc(hpa)) return findTarget(index, hpa);
  const k = hpa as K8sDoc;
  let t = k._target;
  if (t === undefined) {
    t = findTarget(index, hpa) ?? null;
    k._target = t;
  }
  return t ?? undefined;
}

function findTarget(index: DocumentIndex, hpa: PolicyDocument): PolicyDocument | undefined {
  const ref = o(o(hpa.manifest.spec).scaleTargetRef);
  if (typeof ref.kind !== 'string' || typeof ref.name !== 'string') return undefined;
  return index.find(ref.kind, ref.name, hpa.namespace);
}

/** The KEDA ScaledObject that scales a Deployment (KEDA creates its HPA in the cluster), or undefined. */
export function kedaScaling(index: DocumentIndex, doc: PolicyDocument): PolicyDocument | undefined {
  if (index.ofKind('ScaledObject').length === 0) return undefined;
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
/**
 * `effectiveReplicas` in words, for a message: the number and where it comes from when an autoscaler sets it
 * (`2 replicas, the minReplicas of HorizontalPodAutoscaler api, which it can scale down to`).
 */
export function describeReplicas(index: DocumentIndex, doc: PolicyDocument): string {
  const n = effectiveReplicas(index, doc);
  const count = `${n} replica${n === 1 ? '' : 's'}`;
  const hpas = hpasTargeting(index, doc);
  if (hpas.length > 0) {
    const min = o(hpas[0].manifest.spec).minReplicas;
    const which = typeof min === 'number' ? 'the minReplicas'
      : min === undefined || min === null ? 'the default minReplicas (unset)' : `the default minReplicas (${JSON.stringify(min)} is no number)`;
    return `${count}, ${which} of HorizontalPodAutoscaler ${hpas[0].name}, which it can scale down to`;
  }
  const keda = kedaScaling(index, doc);
  if (keda) {
    const set = typeof o(keda.manifest.spec).minReplicaCount === 'number';
    return `${count}, ${set ? 'the minReplicaCount' : 'the default minReplicaCount (unset)'} of ${keda.kind} ${keda.name}, which it can scale down to`;
  }
  return typeof o(doc.manifest.spec).replicas === 'number' ? count : `${count}: replicas is unset`;
}

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
