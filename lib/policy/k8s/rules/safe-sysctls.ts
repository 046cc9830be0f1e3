import { DocumentIndex } from '../../document-index';
import { Violation } from '../../rule';
import { ERROR, k8sRule, podLocalCheck, podLocalFact } from '../define';
import { arr, o, POD_KINDS, podOfDoc, sc } from '../pod';

// The Pod Security Admission safe set (policy/check_sysctls.go) as of Kubernetes 1.37: namespaced sysctls isolated
// from other pods, each with the minor version from which the kubelet and PSA accept it (0: always).
const SAFE = new Map<string, number>([
  ['kernel.shm_rmid_forced', 0], ['net.ipv4.ip_local_port_range', 0], ['net.ipv4.tcp_syncookies', 0], ['net.ipv4.ping_group_range', 0],
  ['net.ipv4.ip_unprivileged_port_start', 0],
  ['net.ipv4.ip_local_reserved_ports', 27],
  ['net.ipv4.tcp_keepalive_time', 29], ['net.ipv4.tcp_fin_timeout', 29], ['net.ipv4.tcp_keepalive_intvl', 29], ['net.ipv4.tcp_keepalive_probes', 29],
  ['net.ipv4.tcp_rmem', 32], ['net.ipv4.tcp_wmem', 32],
  ['net.ipv4.tcp_slow_start_after_idle', 37], ['net.ipv4.tcp_notsent_lowat', 37],
]);

/** Sysctls outside the safe set (pod-local: computed once per distinct pod). */
const unsafe = podLocalCheck((pod) => {
  if (!pod) return undefined;
  const out: Violation[] = [];
  const list = arr(sc(pod.spec).sysctls);
  for (let i = 0; i < list.length; i++) {
    const name = String(o(list[i]).name ?? '');
    if (!SAFE.has(name)) out.push({ jsonPath: `${pod.path}.securityContext.sysctls[${i}].name`, message: `Pod sets sysctl ${name}` });
  }
  return out;
});

/** The safe sysctls the pod sets that are safe only from some version: [index, name, minor] (pod-local). */
const versioned = podLocalFact((pod): Array<[number, string, number]> => {
  const out: Array<[number, string, number]> = [];
  const list = pod ? arr(sc(pod.spec).sysctls) : [];
  for (let i = 0; i < list.length; i++) {
    const name = String(o(list[i]).name ?? '');
    const since = SAFE.get(name);
    if (since !== undefined && since > 0) out.push([i, name, since]);
  }
  return out;
});

/** The minor version of Pod Security a namespace of the output pins (`enforce-version: v1.30`), or undefined (latest, or not in the output). */
function pinnedMinor(index: DocumentIndex, namespace: string | undefined): number | undefined {
  if (namespace === undefined) return undefined;
  const v = index.find('Namespace', namespace)?.manifest?.metadata?.labels?.['pod-security.kubernetes.io/enforce-version'];
  const m = typeof v === 'string' ? /^v1\.(\d+)$/.exec(v) : null;
  return m ? Number(m[1]) : undefined;
}

/** SS-K8S-015 — docs/rules.md#ss-k8s-015. */
export const safeSysctls = k8sRule({
  id: 'SS-K8S-015',
  title: 'Safe sysctls only',
  catalog: ['K8S-SEC-15'],
  severity: ERROR,
  message: 'Pod sets an unsafe sysctl',
  fix: 'remove the sysctl, or use one of the safe set Pod Security allows (for example net.ipv4.ip_local_port_range)',
  rationale: 'Sysctls outside the safe set change kernel settings shared with every pod on the node. The safe set is Pod Security\'s current one (Kubernetes 1.37); the kubelet and Pod Security accept its later entries only from the version that added them (ip_local_reserved_ports 1.27, tcp_keepalive_* and tcp_fin_timeout 1.29, tcp_rmem/tcp_wmem 1.32, tcp_slow_start_after_idle/tcp_notsent_lowat 1.37); where the output\'s Namespace pins Pod Security to an older version (enforce-version), a later entry is reported there.',
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
  check: (doc, index) => {
    const bad = unsafe(doc, index);
    const late = versioned(doc, index);
    if (late.length === 0) return bad;
    // a sysctl safe only from a later version than the one the namespace pins Pod Security to is refused there
    const minor = pinnedMinor(index, doc.namespace);
    if (minor === undefined) return bad;
    const pod = podOfDoc(doc)!;
    const out = [...(bad ?? [])];
    for (const [i, name, since] of late) {
      if (since > minor) {
        out.push({ jsonPath: `${pod.path}.securityContext.sysctls[${i}].name`, message: `Pod sets sysctl ${name}, safe only from Kubernetes 1.${since}: namespace ${doc.namespace} pins Pod Security to v1.${minor}, which refuses it` });
      }
    }
    return out;
  },
});
