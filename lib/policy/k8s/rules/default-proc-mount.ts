import { ALL_EPHEMERAL, containerCheck, ERROR, k8sPodRule } from '../define';
import { POD_KINDS } from '../pod';

const bad = (c: any) => { const p = c.securityContext?.procMount; return p !== undefined && p !== 'Default'; };

/** SS-K8S-014 — docs/rules.md#ss-k8s-014. */
export const defaultProcMount = k8sPodRule({
  id: 'SS-K8S-014',
  title: 'Default procMount',
  catalog: ['K8S-SEC-14'],
  severity: ERROR,
  message: 'Container uses a non-default procMount',
  fix: 'remove securityContext.procMount (or set it to Default)',
  rationale: 'An Unmasked /proc exposes kernel interfaces the runtime normally hides from containers.',
  sources: ['Trivy KSV-0027'],
  kinds: POD_KINDS,
  podCheck: (pod) => containerCheck(pod, ALL_EPHEMERAL, bad, '.securityContext.procMount'),
});
