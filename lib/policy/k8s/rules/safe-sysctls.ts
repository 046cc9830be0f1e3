import { ERROR, k8sPodRule } from '../define';
import { arr, o, POD_KINDS, sc } from '../pod';

// The Pod Security Admission safe set (policy/check_sysctls.go) as of Kubernetes 1.37: namespaced sysctls isolated
// from other pods. The kubelet and PSA accept the later entries only from the version named.
const SAFE = new Set([
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.ip_local_reserved_ports', // 1.27
  'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes', // 1.29
  'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem', // 1.32
  'net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat', // 1.37
]);

/** SS-K8S-015 — docs/rules.md#ss-k8s-015. */
export const safeSysctls = k8sPodRule({
  id: 'SS-K8S-015',
  title: 'Safe sysctls only',
  catalog: ['K8S-SEC-15'],
  severity: ERROR,
  message: 'Pod sets an unsafe sysctl',
  fix: 'remove the sysctl, or use one of the safe set Pod Security allows (for example net.ipv4.ip_local_port_range)',
  rationale: 'Sysctls outside the safe set change kernel settings shared with every pod on the node. The safe set is Pod Security\'s current one (Kubernetes 1.37); the kubelet and Pod Security accept its later entries only from the version that added them (ip_local_reserved_ports 1.27, tcp_keepalive_* and tcp_fin_timeout 1.29, tcp_rmem/tcp_wmem 1.32, tcp_slow_start_after_idle/tcp_notsent_lowat 1.37).',
  sources: ['Trivy KSV-0026', 'EKS Best Practices: block pods with unsafe sysctls'],
  differences: [
    {
      peer: 'kube-linter',
      checks: ['unsafe-sysctls'],
      direction: 'laxer',
      reason: 'kube-linter refuses every sysctl under kernel.shm, kernel.msg, kernel.sem, fs.mqueue. and net., including the ones Pod Security lists as safe (namespaced, isolated per pod); shipshape follows Pod Security\'s list.',
    },
  ],
  kinds: POD_KINDS,
  podCheck: (pod) => {
    const out = [];
    const list = arr(sc(pod.spec).sysctls);
    for (let i = 0; i < list.length; i++) {
      const name = String(o(list[i]).name ?? '');
      if (!SAFE.has(name)) out.push({ jsonPath: `${pod.path}.securityContext.sysctls[${i}].name`, message: `Pod sets sysctl ${name}` });
    }
    return out;
  },
});
