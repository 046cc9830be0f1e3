import { ERROR, k8sRule } from '../define';
import { arr, o, podOfDoc, POD_KINDS, sc } from '../pod';

// The Pod Security Admission safe set across 1.27 .. current.
const SAFE = new Set([
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes', 'net.ipv4.tcp_rmem',
  'net.ipv4.tcp_wmem',
]);
// kube-linter refuses these prefixes even when PSA allows the name.
const UNSAFE_PREFIXES = ['kernel.msg', 'kernel.sem', 'kernel.shm', 'fs.mqueue.', 'net.'];

/** SS-K8S-015 — RULES K8S-SEC-15. */
export const safeSysctls = k8sRule({
  id: 'SS-K8S-015',
  catalog: ['K8S-SEC-15'],
  severity: ERROR,
  message: 'Pod sets an unsafe sysctl',
  fix: 'remove securityContext.sysctls (kube-linter refuses even the safe net.* ones)',
  kinds: POD_KINDS,
  check: (doc) => {
    const pod = podOfDoc(doc)!;
    const out = [];
    const list = arr(sc(pod.spec).sysctls);
    for (let i = 0; i < list.length; i++) {
      const name = String(o(list[i]).name ?? '');
      const unsafe = !SAFE.has(name) || UNSAFE_PREFIXES.some(p => name.startsWith(p));
      if (unsafe) out.push({ jsonPath: `${pod.path}.securityContext.sysctls[${i}].name`, message: `Pod sets sysctl ${name}` });
    }
    return out;
  },
});
