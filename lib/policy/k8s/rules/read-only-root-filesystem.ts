import { ERROR, k8sRule } from '../define';
import { containersOf, podOfDoc, POD_KINDS, sc } from '../pod';

/** SS-K8S-003 — RULES K8S-SEC-03. */
export const readOnlyRootFilesystem = k8sRule({
  id: 'SS-K8S-003',
  catalog: ['K8S-SEC-03'],
  severity: ERROR,
  message: 'Container root filesystem is writable',
  fix: 'set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where the process writes (e.g. /tmp)',
  kinds: POD_KINDS,
  check: (doc) => {
    const pod = podOfDoc(doc)!;
    return containersOf(pod).filter(r => sc(r.c).readOnlyRootFilesystem !== true)
      .map(r => ({ jsonPath: `${r.path}.securityContext.readOnlyRootFilesystem` }));
  },
});
