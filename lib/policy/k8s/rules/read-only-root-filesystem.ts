import { ALL, containerCheck, ERROR, k8sRule } from '../define';
import { POD_KINDS } from '../pod';

const bad = (c: any) => c.securityContext?.readOnlyRootFilesystem !== true;

/** SS-K8S-003 — RULES K8S-SEC-03. */
export const readOnlyRootFilesystem = k8sRule({
  id: 'SS-K8S-003',
  catalog: ['K8S-SEC-03'],
  severity: ERROR,
  message: 'Container root filesystem is writable',
  fix: 'set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where the process writes (e.g. /tmp)',
  kinds: POD_KINDS,
  check: (doc) => containerCheck(doc, ALL, bad, '.securityContext.readOnlyRootFilesystem'),
});
