import { ALL, ERROR, k8sPodRule, linuxContainerCheck } from '../define';
import { POD_KINDS } from '../pod';

const bad = (c: any) => c.securityContext?.readOnlyRootFilesystem !== true;

/** SS-K8S-003 — docs/rules.md#ss-k8s-003. */
export const readOnlyRootFilesystem = k8sPodRule({
  id: 'SS-K8S-003',
  title: 'Read-only root filesystem',
  catalog: ['K8S-SEC-03'],
  severity: ERROR,
  message: 'Container root filesystem is writable',
  fix: 'set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where the process writes (e.g. /tmp)',
  rationale: 'A writable root filesystem lets an intruder drop tools and change binaries; the writable paths a process needs come from emptyDir volumes.',
  sources: ['Trivy KSV-0014', 'EKS Best Practices: configure your images with a read-only root file system'],
  kinds: POD_KINDS,
  podCheck: (pod) => linuxContainerCheck(pod, ALL, bad, '.securityContext.readOnlyRootFilesystem'),
});
