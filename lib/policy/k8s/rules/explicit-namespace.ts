import { CLUSTER_SCOPED_KINDS } from '../../cluster-scoped';
import { k8sRule, NONE, WARNING } from '../define';

/** Kinds that are not namespaced (they need no metadata.namespace). */
export const CLUSTER_SCOPED = CLUSTER_SCOPED_KINDS;

/** SS-K8S-065 — docs/rules.md#ss-k8s-065. */
export const explicitNamespace = k8sRule({
  id: 'SS-K8S-065',
  title: 'Explicit namespace, not default',
  catalog: ['K8S-META-01'],
  severity: WARNING,
  message: 'Object has no explicit namespace, or uses default or kube-system',
  fix: 'set metadata.namespace to the namespace the object belongs in (for third-party manifests applied with kubectl -n or a kustomize namespace, leave the rule out: new KubernetesPack({ exclude: [\'SS-K8S-065\'] }) at synth, --exclude SS-K8S-065 with shipshape check)',
  rationale: 'An object without a namespace lands wherever the applier points, and the default and kube-system namespaces mix workloads with shared or system ones.',
  sources: ['Trivy KSV-0037, KSV-0110', 'CIS EKS 4.5.2'],
  check: (doc) => {
    if (typeof doc.manifest?.apiVersion !== 'string' || CLUSTER_SCOPED.has(doc.kind)) return undefined;
    const ns = doc.namespace;
    if (typeof ns !== 'string' || ns === '') return [{ jsonPath: 'metadata.namespace', message: 'Object has no explicit namespace' }];
    if (ns === 'default' || ns === 'kube-system') return [{ jsonPath: 'metadata.namespace', message: `Object is in the ${ns} namespace` }];
    return NONE;
  },
});
