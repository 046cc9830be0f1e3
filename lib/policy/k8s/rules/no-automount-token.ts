import { Violation } from '../../rule';
import { k8sRule, NONE, WARNING } from '../define';
import { arr, o, PodRef, podOfDoc, POD_KINDS } from '../pod';

/**
 * The projected service account tokens of a pod that the Kubernetes API accepts (no audience, which means the API
 * server's): the token automountServiceAccountToken: false turned off, mounted by hand. A token for another audience
 * (a vault, a cloud's STS) is not one.
 */
function projectedApiTokens(pod: PodRef): Violation[] {
  let out: Violation[] | undefined;
  const volumes = arr(pod.spec.volumes);
  for (let i = 0; i < volumes.length; i++) {
    if (!(i in volumes)) continue;
    const sources = arr(o(o(volumes[i]).projected).sources);
    for (let j = 0; j < sources.length; j++) {
      if (!(j in sources)) continue;
      const t = o(sources[j]).serviceAccountToken;
      if (t === undefined || t === null) continue;
      const audience = o(t).audience;
      if (typeof audience === 'string' && audience !== '') continue;
      (out ??= []).push({
        jsonPath: `${pod.path}.volumes[${i}].projected.sources[${j}].serviceAccountToken`,
        message: 'Pod mounts a projected service account token for the Kubernetes API (no audience), although automountServiceAccountToken is false: the pod can call the API as its ServiceAccount',
      });
    }
  }
  return out ?? NONE;
}

/** SS-K8S-057 — docs/rules.md#ss-k8s-057. */
export const noAutomountToken = k8sRule({
  id: 'SS-K8S-057',
  title: 'No automounted service account token',
  catalog: ['K8S-IDN-01'],
  severity: WARNING,
  message: 'Pod mounts a service account token without asking for it',
  fix: 'set automountServiceAccountToken: false on the pod (suppress with a reason when it calls the Kubernetes API)',
  rationale: 'A mounted token lets anyone who gets into the pod call the Kubernetes API as its ServiceAccount; most applications never call it. '
    + 'A projected serviceAccountToken volume without an audience is the same token mounted by hand, and counts although automountServiceAccountToken is false.',
  sources: ['Trivy KSV-0036', 'CIS EKS 4.1.6', 'EKS Best Practices: disable auto-mounting of service account tokens'],
  kinds: POD_KINDS,
  check: (doc, index) => {
    const pod = podOfDoc(doc)!;
    // a quoted "false" is SS-K8S-100's: the API refuses it as it is
    if (typeof pod.spec.automountServiceAccountToken === 'string') return undefined;
    if (pod.spec.automountServiceAccountToken === false) return projectedApiTokens(pod);
    if (pod.spec.automountServiceAccountToken === undefined) {
      // the pod's ServiceAccount (serviceAccount is the deprecated alias; none named is the namespace's default)
      const name = pod.spec.serviceAccountName || pod.spec.serviceAccount || 'default';
      const sa = typeof name === 'string' ? index.find('ServiceAccount', name, doc.namespace) : undefined;
      const saAutomount = sa ? o(sa.manifest).automountServiceAccountToken : undefined;
      if (saAutomount === false) return projectedApiTokens(pod);
      if (saAutomount === true) {
        // asked for by the ServiceAccount: the message must not say the token comes unasked
        return [{
          jsonPath: `${pod.path}.automountServiceAccountToken`,
          message: `Pod mounts a service account token: its ServiceAccount ${name} asks for it (automountServiceAccountToken: true), so anyone who gets into the pod `
            + 'can call the Kubernetes API as that ServiceAccount; set automountServiceAccountToken: false on the pod, or suppress with a reason when it calls the API',
        }];
      }
    }
    if (pod.spec.automountServiceAccountToken === true) {
      // asked for: still a token in the pod (Polaris reports it too), but the message must not say otherwise
      return [{ jsonPath: `${pod.path}.automountServiceAccountToken`, message: 'Pod asks for a service account token (automountServiceAccountToken: true): anyone who gets into it can call the Kubernetes API as its ServiceAccount; suppress with a reason when it calls the API' }];
    }
    return [{ jsonPath: `${pod.path}.automountServiceAccountToken` }];
  },
});
