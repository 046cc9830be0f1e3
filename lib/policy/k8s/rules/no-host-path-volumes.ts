import { ERROR, k8sRule } from '../define';
import { arr, o, podOfDoc, POD_KINDS } from '../pod';

/** SS-K8S-011 — RULES K8S-SEC-11. */
export const noHostPathVolumes = k8sRule({
  id: 'SS-K8S-011',
  catalog: ['K8S-SEC-11'],
  severity: ERROR,
  message: 'Pod mounts a hostPath volume',
  fix: 'use an emptyDir, configMap, secret or persistentVolumeClaim volume instead of hostPath',
  kinds: POD_KINDS,
  check: (doc) => {
    const pod = podOfDoc(doc)!;
    const out = [];
    const vols = arr(pod.spec.volumes);
    for (let i = 0; i < vols.length; i++) {
      if (o(vols[i]).hostPath !== undefined) out.push({ jsonPath: `${pod.path}.volumes[${i}].hostPath` });
    }
    return out;
  },
});
