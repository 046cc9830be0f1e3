import { Violation } from '../../rule';
import { ERROR, k8sPodRule } from '../define';
import { containersOf, isWindowsPod, o, POD_KINDS, sc } from '../pod';

/** SS-K8S-009 — docs/rules.md#ss-k8s-009 (RuntimeDefault; Localhost is not accepted). */
export const seccompRuntimeDefault = k8sPodRule({
  id: 'SS-K8S-009',
  title: 'Seccomp profile RuntimeDefault',
  catalog: ['K8S-SEC-09'],
  severity: ERROR,
  message: 'Seccomp profile is not RuntimeDefault',
  fix: 'set securityContext.seccompProfile.type: RuntimeDefault on the pod, and no container overriding it',
  rationale: 'The runtime\'s default seccomp profile blocks the system calls containers do not need (and many kernel exploits use); without a profile the container runs Unconfined.',
  sources: ['Trivy KSV-0030, KSV-0104'],
  differences: [
    {
      peer: 'polaris',
      checks: ['linuxHardening'],
      direction: 'stricter',
      reason: 'Polaris accepts any one hardening measure (SELinux options, a capability drop, an AppArmor annotation, or a seccomp profile that is not Unconfined); shipshape requires RuntimeDefault itself, the one profile every checker accepts, and refuses an Unconfined pod profile even when containers override it, as Pod Security (baseline) does.',
    },
    {
      peer: 'pod-security',
      checks: ['seccompProfile_restricted'],
      direction: 'stricter',
      reason: 'Pod Security accepts a Localhost profile; shipshape accepts only RuntimeDefault, as Checkov CKV_K8S_31 does, so one profile satisfies every checker: a node-local profile file is invisible to review.',
    },
  ],
  kinds: POD_KINDS,
  podCheck: (pod) => {
    if (isWindowsPod(pod)) return undefined; // no seccomp on Windows: the API refuses the field there
    const podType = o(sc(pod.spec).seccompProfile).type;
    const out: Violation[] = [];
    if (podType !== undefined && podType !== 'RuntimeDefault') {
      out.push({ jsonPath: `${pod.path}.securityContext.seccompProfile.type`, message: `Pod seccomp profile is ${podType}` });
    }
    for (const r of containersOf(pod, true)) {
      const t = o(sc(r.c).seccompProfile).type;
      if (t !== undefined && t !== 'RuntimeDefault') {
        out.push({ jsonPath: `${r.path}.securityContext.seccompProfile.type`, message: `Container seccomp profile is ${t}` });
      } else if (t === undefined && podType === undefined) {
        out.push({ jsonPath: `${r.path}.securityContext.seccompProfile.type`, message: 'No seccomp profile on the pod or the container' });
      }
    }
    return out;
  },
});
