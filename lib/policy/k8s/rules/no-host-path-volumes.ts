import { ERROR, k8sPodRule } from '../define';
import { arr, o, POD_KINDS } from '../pod';

/** SS-K8S-011 — docs/rules.md#ss-k8s-011. */
export const noHostPathVolumes = k8sPodRule({
  id: 'SS-K8S-011',
  title: 'No hostPath volumes',
  catalog: ['K8S-SEC-11'],
  severity: ERROR,
  message: 'Pod mounts a hostPath volume',
  fix: 'use an emptyDir, configMap, secret or persistentVolumeClaim volume instead of hostPath',
  rationale: 'A hostPath volume exposes the node\'s filesystem to the pod (the container runtime socket, kubelet credentials, logs of other pods).',
  sources: ['Trivy KSV-0006, KSV-0023, KSV-0121', 'EKS Best Practices: restrict the use of hostPath'],
  differences: [
    {
      peer: 'kube-linter',
      checks: ['docker-sock', 'sensitive-host-mounts'],
      direction: 'stricter',
      reason: 'kube-linter fails only mounts of the runtime socket or of sensitive host directories; shipshape, like Pod Security (baseline), refuses every hostPath volume.',
    },
  ],
  kinds: POD_KINDS,
  podCheck: (pod) => {
    const out = [];
    const vols = arr(pod.spec.volumes);
    for (let i = 0; i < vols.length; i++) {
      if (o(vols[i]).hostPath !== undefined) out.push({ jsonPath: `${pod.path}.volumes[${i}].hostPath` });
    }
    return out;
  },
});
