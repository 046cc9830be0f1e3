import { ERROR, k8sPodRule } from '../define';
import { arr, o, POD_KINDS } from '../pod';

const ALLOWED = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret']);

/** SS-K8S-013 — docs/rules.md#ss-k8s-013. */
export const coreVolumeTypesOnly = k8sPodRule({
  id: 'SS-K8S-013',
  title: 'Only core volume types',
  catalog: ['K8S-SEC-13'],
  severity: ERROR,
  message: 'Pod uses a volume type outside the restricted set',
  fix: 'use only configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected or secret volumes',
  rationale: 'Volume types outside the restricted set (nfs, iscsi, cephfs, flexVolume, ...) are mounted by the node with the node\'s privileges and credentials. '
    + 'A hostPath volume is SS-K8S-011\'s finding alone (one finding, one suppression, and the peers\' hostPath exemptions clear it).',
  sources: ['Trivy KSV-0028'],
  kinds: POD_KINDS,
  podCheck: (pod) => {
    const out = [];
    const vols = arr(pod.spec.volumes);
    for (let i = 0; i < vols.length; i++) {
      for (const k of Object.keys(o(vols[i]))) {
        // a hostPath is SS-K8S-011's (Pod Security's baseline level refuses it already)
        if (k === 'name' || k === 'hostPath' || ALLOWED.has(k)) continue;
        out.push({ jsonPath: `${pod.path}.volumes[${i}].${k}`, message: `Pod uses a ${k} volume, outside the restricted set` });
      }
    }
    return out;
  },
});
