import { Violation } from '../../rule';
import { ERROR, k8sPodRule } from '../define';
import { containersOf, o, POD_KINDS, sc } from '../pod';

const TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);

function checkOpts(opts: any, base: string, out: Violation[]) {
  const s = o(opts);
  if (s.type !== undefined && !TYPES.has(s.type)) out.push({ jsonPath: `${base}.seLinuxOptions.type` });
  if (s.user !== undefined && s.user !== '') out.push({ jsonPath: `${base}.seLinuxOptions.user` });
  if (s.role !== undefined && s.role !== '') out.push({ jsonPath: `${base}.seLinuxOptions.role` });
}

/** SS-K8S-016 — docs/rules.md#ss-k8s-016. */
export const selinuxNotCustomised = k8sPodRule({
  id: 'SS-K8S-016',
  title: 'SELinux options not customised',
  catalog: ['K8S-SEC-16'],
  severity: ERROR,
  message: 'SELinux options set a custom type, user or role',
  fix: 'remove seLinuxOptions.user and .role; use a container_* type or none',
  rationale: 'A custom SELinux user, role or type can lift the confinement the container type (container_t) gives.',
  sources: ['Trivy KSV-0025'],
  kinds: POD_KINDS,
  podCheck: (pod) => {
    const out: Violation[] = [];
    checkOpts(sc(pod.spec).seLinuxOptions, `${pod.path}.securityContext`, out);
    for (const r of containersOf(pod, true)) checkOpts(sc(r.c).seLinuxOptions, `${r.path}.securityContext`, out);
    return out;
  },
});
