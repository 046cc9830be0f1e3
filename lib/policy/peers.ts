// Internal: which checks of the public peer checkers each shipshape rule stands for, and the exemption
// annotations of those peers that `shipshape check` honours. Not re-exported by the barrel.
//
// PEER_CHECKS is the one source of truth for the "upstream" column of the rule table in lib/policy/README.md
// and of the peer rows of docs/rules.md (test/policy/cli-peers.test.ts fails when the README and this table disagree).
// The ids were collected with the design catalog the rules derive from, and checked against each peer's own source:
// - polaris: file names of pkg/config/checks/*.yaml (FairwindsOps/polaris @ c0e23a23);
// - kube-linter: `name:` of pkg/builtinchecks/yamls/*.yaml (stackrox/kube-linter @ 35de568d);
// - kube-score: the ids of README_CHECKS.md (zegl/kube-score @ 06dedc9c);
// - pod-security: the CheckID of policy/check_*.go (kubernetes/pod-security-admission);
// - checkov: the CKV ids of checkov/kubernetes/checks (bridgecrewio/checkov @ 03d5fdad).
// Default-on and opt-in peer checks are both listed: a team that turned an opt-in check on and exempts an object
// from it means the same thing as for a default-on one.

import { podTemplateAnnotationsPath, podTemplateMetadata } from './annotations';
import { ExemptionScope, ScopedFinding, valueAt } from './internal';
import { sameData } from './k8s/pod';

/** A public checker whose checks shipshape's Kubernetes rules stand for. */
export type PeerName = 'polaris' | 'kube-linter' | 'kube-score' | 'pod-security' | 'checkov';

/** Every peer, in the order the README names them. */
export const PEER_NAMES: readonly PeerName[] = ['kube-score', 'polaris', 'kube-linter', 'pod-security', 'checkov'];

/** How the README's upstream column names each peer. */
export const PEER_LABELS: { readonly [P in PeerName]: string } = {
  'kube-score': 'kube-score',
  'polaris': 'Polaris',
  'kube-linter': 'kube-linter',
  'pod-security': 'PSA',
  'checkov': 'Checkov',
};

/** For one shipshape rule: the ids of the peers' checks it stands for (a peer that has none is left out). */
export type PeerIds = { readonly [P in PeerName]?: readonly string[] };

/** Shipshape rule id -> the peer checks it stands for. Every Kubernetes rule has an entry (possibly empty). */
export const PEER_CHECKS: { readonly [ruleId: string]: PeerIds } = {
  // pod and container security context
  'SS-K8S-001': { 'kube-score': ['container-security-context-privileged'], 'polaris': ['runAsPrivileged'], 'kube-linter': ['privileged-container'], 'pod-security': ['privileged'], 'checkov': ['CKV_K8S_16'] },
  'SS-K8S-002': { 'polaris': ['privilegeEscalationAllowed'], 'kube-linter': ['privilege-escalation-container'], 'pod-security': ['allowPrivilegeEscalation'], 'checkov': ['CKV_K8S_20'] },
  'SS-K8S-003': { 'kube-score': ['container-security-context-readonlyrootfilesystem'], 'polaris': ['notReadOnlyRootFilesystem'], 'kube-linter': ['no-read-only-root-fs'], 'checkov': ['CKV_K8S_22'] },
  'SS-K8S-004': { 'polaris': ['runAsRootAllowed'], 'kube-linter': ['run-as-non-root'], 'pod-security': ['runAsNonRoot', 'runAsUser'], 'checkov': ['CKV_K8S_23'] },
  'SS-K8S-005': { 'kube-score': ['container-security-context-user-group-id'], 'checkov': ['CKV_K8S_40'] },
  'SS-K8S-006': { 'kube-linter': ['run-as-non-root'] },
  'SS-K8S-007': { 'polaris': ['insecureCapabilities'], 'kube-linter': ['drop-net-raw-capability'], 'pod-security': ['capabilities_restricted'], 'checkov': ['CKV_K8S_28', 'CKV_K8S_37'] },
  'SS-K8S-008': { 'polaris': ['dangerousCapabilities'], 'kube-linter': ['privilege-escalation-container'], 'pod-security': ['capabilities_baseline', 'capabilities_restricted'], 'checkov': ['CKV_K8S_25', 'CKV_K8S_39'] },
  'SS-K8S-009': { 'kube-score': ['container-seccomp-profile'], 'polaris': ['linuxHardening'], 'pod-security': ['seccompProfile_baseline', 'seccompProfile_restricted'], 'checkov': ['CKV_K8S_31'] },
  'SS-K8S-010': { 'polaris': ['hostIPCSet', 'hostNetworkSet', 'hostPIDSet'], 'kube-linter': ['host-ipc', 'host-network', 'host-pid'], 'pod-security': ['hostNamespaces'], 'checkov': ['CKV_K8S_17', 'CKV_K8S_18', 'CKV_K8S_19'] },
  'SS-K8S-011': { 'polaris': ['hostPathSet'], 'kube-linter': ['docker-sock', 'sensitive-host-mounts', 'writable-host-mount'], 'pod-security': ['hostPathVolumes', 'restrictedVolumes'], 'checkov': ['CKV_K8S_27'] },
  'SS-K8S-012': { 'polaris': ['hostPortSet'], 'pod-security': ['hostPorts'], 'checkov': ['CKV_K8S_26'] },
  'SS-K8S-013': { 'pod-security': ['restrictedVolumes'] },
  'SS-K8S-014': { 'polaris': ['procMount'], 'kube-linter': ['unsafe-proc-mount'], 'pod-security': ['procMount', 'procMount_restricted'] },
  'SS-K8S-015': { 'kube-linter': ['unsafe-sysctls'], 'pod-security': ['sysctls'] },
  'SS-K8S-016': { 'pod-security': ['seLinuxOptions'] },
  'SS-K8S-017': { 'pod-security': ['appArmorProfile'] },
  'SS-K8S-018': { 'polaris': ['hostProcess'], 'pod-security': ['windowsHostProcess'] },
  'SS-K8S-019': { 'pod-security': ['hostProbesAndHostLifecycle'] },
  'SS-K8S-020': { checkov: ['CKV_K8S_29', 'CKV_K8S_30'] },
  'SS-K8S-021': { 'kube-linter': ['privileged-ports'] },
  'SS-K8S-022': { 'kube-linter': ['ssh-port'] },
  // resources and priority
  'SS-K8S-023': { 'kube-score': ['container-resources'], 'polaris': ['cpuRequestsMissing'], 'kube-linter': ['unset-cpu-requirements'], 'checkov': ['CKV_K8S_10'] },
  'SS-K8S-024': { 'kube-score': ['container-resources'], 'polaris': ['memoryRequestsMissing'], 'checkov': ['CKV_K8S_12'] },
  'SS-K8S-025': { 'kube-score': ['container-resources'], 'polaris': ['memoryLimitsMissing'], 'kube-linter': ['unset-memory-requirements'], 'checkov': ['CKV_K8S_13'] },
  'SS-K8S-026': { 'kube-score': ['container-resources'], 'polaris': ['cpuLimitsMissing'], 'checkov': ['CKV_K8S_11'] },
  'SS-K8S-027': { 'kube-score': ['container-ephemeral-storage-request-and-limit'] },
  'SS-K8S-028': { 'polaris': ['priorityClassNotSet'], 'kube-linter': ['priority-class-name'] },
  // images
  'SS-K8S-029': { 'kube-score': ['container-image-tag'], 'polaris': ['tagNotSpecified'], 'kube-linter': ['latest-tag'], 'checkov': ['CKV_K8S_14'] },
  'SS-K8S-030': { checkov: ['CKV_K8S_43'] },
  'SS-K8S-031': { 'kube-score': ['container-image-pull-policy'], 'polaris': ['pullPolicyNotAlways'], 'checkov': ['CKV_K8S_15'] },
  'SS-K8S-032': {},
  // probes
  'SS-K8S-033': { 'kube-score': ['pod-probes'], 'polaris': ['readinessProbeMissing'], 'kube-linter': ['no-readiness-probe'], 'checkov': ['CKV_K8S_9'] },
  'SS-K8S-034': { 'kube-score': ['pod-probes'], 'polaris': ['livenessProbeMissing'], 'kube-linter': ['no-liveness-probe'], 'checkov': ['CKV_K8S_8'] },
  'SS-K8S-035': { 'kube-score': ['pod-probes-identical'] },
  'SS-K8S-036': { 'kube-linter': ['liveness-port', 'readiness-port', 'startup-port'] },
  // availability
  'SS-K8S-037': { 'kube-score': ['deployment-replicas'], 'polaris': ['deploymentMissingReplicas'], 'kube-linter': ['minimum-three-replicas'] },
  'SS-K8S-038': { 'kube-score': ['deployment-targeted-by-hpa-does-not-have-replicas-configured'] },
  'SS-K8S-039': { 'kube-score': ['deployment-has-host-podantiaffinity', 'statefulset-has-host-podantiaffinity'], 'kube-linter': ['no-anti-affinity'] },
  'SS-K8S-040': { 'kube-score': ['pod-topology-spread-constraints'], 'polaris': ['topologySpreadConstraint'] },
  'SS-K8S-041': { 'kube-score': ['deployment-has-poddisruptionbudget', 'statefulset-has-poddisruptionbudget'], 'polaris': ['missingPodDisruptionBudget'] },
  'SS-K8S-042': { 'kube-score': ['poddisruptionbudget-has-policy'], 'polaris': ['pdbDisruptionsIsZero'], 'kube-linter': ['pdb-max-unavailable', 'pdb-min-available'] },
  'SS-K8S-043': { 'kube-linter': ['pdb-unhealthy-pod-eviction-policy'] },
  'SS-K8S-044': { polaris: ['pdbMinAvailableGreaterThanHPAMinReplicas'] },
  'SS-K8S-045': { 'kube-score': ['horizontalpodautoscaler-replicas'], 'polaris': ['hpaMaxAvailability', 'hpaMinAvailability'], 'kube-linter': ['hpa-minimum-three-replicas'] },
  'SS-K8S-046': { 'kube-score': ['horizontalpodautoscaler-has-target'], 'kube-linter': ['dangling-horizontalpodautoscaler'] },
  'SS-K8S-047': { 'kube-score': ['deployment-strategy'], 'kube-linter': ['no-rolling-update-strategy'] },
  // network, Service, Ingress
  'SS-K8S-048': { 'kube-score': ['pod-networkpolicy'], 'polaris': ['missingNetworkPolicy'], 'kube-linter': ['non-isolated-pod'], 'checkov': ['CKV2_K8S_6'] },
  'SS-K8S-049': { 'kube-score': ['networkpolicy-targets-pod'], 'kube-linter': ['dangling-networkpolicy', 'dangling-networkpolicypeer-podselector'] },
  'SS-K8S-050': { 'kube-score': ['service-targets-pod'], 'kube-linter': ['dangling-service'] },
  'SS-K8S-051': { 'kube-score': ['service-type'], 'kube-linter': ['exposed-services'] },
  'SS-K8S-052': {},
  'SS-K8S-053': { 'kube-score': ['container-ports-check'], 'kube-linter': ['invalid-target-ports'] },
  'SS-K8S-054': { 'kube-score': ['ingress-targets-service'], 'kube-linter': ['dangling-ingress'] },
  'SS-K8S-055': { polaris: ['tlsSettingsMissing'] },
  'SS-K8S-056': { 'kube-score': ['statefulset-has-servicename'] },
  // identity and secrets
  'SS-K8S-057': { polaris: ['automountServiceAccountToken'], checkov: ['CKV_K8S_38'] },
  'SS-K8S-058': { 'kube-linter': ['default-service-account', 'non-existent-service-account'] },
  'SS-K8S-059': { checkov: ['CKV_K8S_41'] },
  'SS-K8S-060': { 'kube-linter': ['deprecated-service-account-field'] },
  'SS-K8S-061': { 'kube-linter': ['read-secret-from-env-var'], 'checkov': ['CKV_K8S_35'] },
  'SS-K8S-062': { 'polaris': ['sensitiveContainerEnvVar'], 'kube-linter': ['env-var-secret'] },
  'SS-K8S-063': { polaris: ['sensitiveConfigmapContent'] },
  'SS-K8S-064': { 'kube-score': ['environment-variable-key-duplication'], 'kube-linter': ['duplicate-env-var'] },
  // metadata, API versions, controller wiring
  'SS-K8S-065': { 'kube-linter': ['use-namespace'], 'checkov': ['CKV_K8S_21'] },
  'SS-K8S-066': { 'kube-score': ['deployment-pod-selector-labels-match-template-metadata-labels', 'statefulset-pod-selector-labels-match-template-metadata-labels'], 'kube-linter': ['mismatching-selector'] },
  'SS-K8S-067': { polaris: ['metadataAndInstanceMismatched'] },
  'SS-K8S-068': { 'kube-score': ['label-values'] },
  'SS-K8S-069': { 'kube-score': ['stable-version'], 'kube-linter': ['no-extensions-v1beta'] },
  // jobs
  'SS-K8S-070': { 'kube-score': ['cronjob-has-deadline'] },
  'SS-K8S-071': { 'kube-score': ['cronjob-restartpolicy'] },
  'SS-K8S-072': { 'kube-linter': ['job-ttl-seconds-after-finished'] },
  // namespace-level objects
  'SS-K8S-073': {},
  'SS-K8S-074': {},
  'SS-K8S-075': {},
  'SS-K8S-076': {},
  // RBAC
  'SS-K8S-077': { 'kube-linter': ['wildcard-in-rules'], 'checkov': ['CKV_K8S_49'] },
  'SS-K8S-078': { 'polaris': ['clusterrolebindingClusterAdmin', 'rolebindingClusterAdminClusterRole', 'rolebindingClusterAdminRole'], 'kube-linter': ['cluster-admin-role-binding'] },
  'SS-K8S-079': { polaris: ['clusterrolePodExecAttach', 'clusterrolebindingPodExecAttach', 'rolePodExecAttach', 'rolebindingClusterRolePodExecAttach', 'rolebindingRolePodExecAttach'], checkov: ['CKV2_K8S_2'] },
  'SS-K8S-080': { 'kube-linter': ['access-to-secrets'], 'checkov': ['CKV2_K8S_5'] },
  'SS-K8S-081': { 'kube-linter': ['access-to-create-pods'] },
  'SS-K8S-082': { checkov: ['CKV2_K8S_3', 'CKV_K8S_157', 'CKV_K8S_158'] },
  'SS-K8S-083': { checkov: ['CKV_K8S_42'] },
  'SS-K8S-084': { checkov: ['CKV_K8S_155', 'CKV_K8S_156'] },
  'SS-K8S-085': {},
  // references a pod waits on: kube-linter's opt-in env-value-from reads env valueFrom ConfigMaps (and Secrets, which
  // shipshape leaves out); its opt-in priority-class-name accepts only the built-in classes
  'SS-K8S-086': { 'kube-linter': ['env-value-from'] },
  'SS-K8S-087': { 'kube-linter': ['priority-class-name'] },
  'SS-K8S-088': {},
  'SS-K8S-089': {},
  'SS-K8S-090': {},
  'SS-K8S-091': {},
  'SS-K8S-092': {},
  'SS-K8S-093': {},
  'SS-K8S-094': {},
  'SS-K8S-095': {},
  'SS-K8S-096': {},
  'SS-K8S-097': {},
  'SS-K8S-098': {},
  'SS-K8S-099': {},
  'SS-K8S-100': {},
  'SS-K8S-101': {},
  'SS-K8S-102': {},
};

/**
 * Where a peer check stands for part of a shipshape rule only: which of the rule's findings the check covers, so that
 * an exemption of the check silences those and leaves the others, as the peer would still report them (Polaris'
 * hostNetworkSet exemption leaves SS-K8S-010's hostPID finding standing, since Polaris' hostPIDSet still reports it).
 * Keyed `<peer>\0<check>\0<rule id>`; a pair absent here covers the whole rule.
 */
const PEER_SCOPES = new Map<string, ExemptionScope>();

function scope(peer: PeerName, checks: { readonly [check: string]: ExemptionScope }, ruleId: string): void {
  for (const check of Object.keys(checks)) PEER_SCOPES.set(`${peer}\0${check}\0${ruleId}`, checks[check]);
}

/** A finding at the pod field `field` (hostNetwork, hostPID, hostIPC). */
const atPodField = (field: string): ExemptionScope => f => f.jsonPath.endsWith(`.${field}`);
/** A finding of a document of `kind`. */
const ofKind = (kind: string): ExemptionScope => f => f.kind === kind;
/** A finding of a RoleBinding whose roleRef is of `roleKind`. */
const bindingTo = (roleKind: string): ExemptionScope => f => f.kind === 'RoleBinding' && f.manifest?.roleRef?.kind === roleKind;

/** The host path of the hostPath volume a finding points at (`...volumes[i].hostPath`), or undefined. */
function hostPathOf(f: ScopedFinding): string | undefined {
  const p = (valueAt(f.manifest, f.jsonPath) as any)?.path;
  return typeof p === 'string' ? p.replace(/\/+$/, '') || '/' : undefined;
}

/** A container runtime's socket: the container can drive the node's runtime (docker-sock, CKV_K8S_27). */
const runtimeSocket: ExemptionScope = f => /\/(docker|containerd|crio)\.sock$/.test(hostPathOf(f) ?? '');
/** The node's system directories (and the runtime sockets): a mount of one exposes the node itself. */
const SYSTEM_DIRS = ['/', '/bin', '/boot', '/dev', '/etc', '/lib', '/lib64', '/proc', '/root', '/run', '/sbin', '/sys', '/usr', '/var/lib/kubelet', '/var/run'];
const systemMount: ExemptionScope = f => {
  const p = hostPathOf(f);
  return p !== undefined && (SYSTEM_DIRS.includes(p) || runtimeSocket(f));
};
/** A hostPath volume some container mounts without `readOnly: true`. */
const writableMount: ExemptionScope = f => {
  const m = /^(.*)\.volumes\[(\d+)\]\.hostPath$/.exec(f.jsonPath);
  if (!m) return false;
  const spec = valueAt(f.manifest, m[1]) as any;
  const name = spec?.volumes?.[Number(m[2])]?.name;
  const containers = [...(Array.isArray(spec?.containers) ? spec.containers : []), ...(Array.isArray(spec?.initContainers) ? spec.initContainers : [])];
  return containers.some((c: any) => Array.isArray(c?.volumeMounts) && c.volumeMounts.some((vm: any) => vm?.name === name && vm.readOnly !== true));
};

scope('polaris', { hostIPCSet: atPodField('hostIPC'), hostNetworkSet: atPodField('hostNetwork'), hostPIDSet: atPodField('hostPID') }, 'SS-K8S-010');
scope('kube-linter', { 'host-ipc': atPodField('hostIPC'), 'host-network': atPodField('hostNetwork'), 'host-pid': atPodField('hostPID') }, 'SS-K8S-010');
scope('checkov', { CKV_K8S_17: atPodField('hostPID'), CKV_K8S_18: atPodField('hostIPC'), CKV_K8S_19: atPodField('hostNetwork') }, 'SS-K8S-010');
scope('kube-linter', { 'docker-sock': runtimeSocket, 'sensitive-host-mounts': systemMount, 'writable-host-mount': writableMount }, 'SS-K8S-011');
scope('checkov', { CKV_K8S_27: runtimeSocket }, 'SS-K8S-011');
// CKV_K8S_29: the pod's security context; CKV_K8S_30: the containers'
scope('checkov', { CKV_K8S_29: f => !/ontainers\[/.test(f.jsonPath), CKV_K8S_30: f => /ontainers\[/.test(f.jsonPath) }, 'SS-K8S-020');
scope('kube-linter', {
  'liveness-port': f => f.jsonPath.includes('.livenessProbe.'),
  'readiness-port': f => f.jsonPath.includes('.readinessProbe.'),
  'startup-port': f => f.jsonPath.includes('.startupProbe.'),
}, 'SS-K8S-036');
for (const ruleId of ['SS-K8S-039', 'SS-K8S-041', 'SS-K8S-066']) {
  const [deployment, statefulSet] = PEER_CHECKS[ruleId]['kube-score']!;
  scope('kube-score', { [deployment]: ofKind('Deployment'), [statefulSet]: ofKind('StatefulSet') }, ruleId);
}
scope('kube-linter', { 'pdb-max-unavailable': f => f.jsonPath === 'spec.maxUnavailable', 'pdb-min-available': f => f.jsonPath === 'spec.minAvailable' }, 'SS-K8S-042');
scope('polaris', { hpaMaxAvailability: f => f.jsonPath === 'spec.maxReplicas', hpaMinAvailability: f => f.jsonPath === 'spec.minReplicas' }, 'SS-K8S-045');
scope('kube-linter', {
  'default-service-account': f => f.message.includes('the default ServiceAccount'),
  'non-existent-service-account': f => f.message.endsWith('is not in the output'),
}, 'SS-K8S-058');
scope('polaris', {
  clusterrolebindingClusterAdmin: ofKind('ClusterRoleBinding'),
  rolebindingClusterAdminClusterRole: bindingTo('ClusterRole'),
  rolebindingClusterAdminRole: bindingTo('Role'),
}, 'SS-K8S-078');
scope('polaris', {
  clusterrolePodExecAttach: ofKind('ClusterRole'),
  clusterrolebindingPodExecAttach: ofKind('ClusterRoleBinding'),
  rolePodExecAttach: ofKind('Role'),
  rolebindingClusterRolePodExecAttach: bindingTo('ClusterRole'),
  rolebindingRolePodExecAttach: bindingTo('Role'),
}, 'SS-K8S-079');

/** The part of rule `ruleId` an exemption of the peer check covers, or undefined for the whole rule. */
export function exemptionScope(peer: PeerName, check: string, ruleId: string): ExemptionScope | undefined {
  return PEER_SCOPES.get(`${peer}\0${check}\0${ruleId}`);
}

/** peer -> peer check id -> the shipshape rules that stand for it (in rule id order). */
let byPeerCheck: Map<PeerName, Map<string, string[]>> | undefined;

/** The shipshape rules that stand for the peer check `check` (empty when none does). */
export function rulesForPeerCheck(peer: PeerName, check: string): readonly string[] {
  if (!byPeerCheck) {
    byPeerCheck = new Map();
    for (const ruleId of Object.keys(PEER_CHECKS).sort()) {
      const ids = PEER_CHECKS[ruleId];
      for (const p of PEER_NAMES) {
        for (const c of ids[p] ?? []) {
          let m = byPeerCheck.get(p);
          if (!m) byPeerCheck.set(p, m = new Map());
          const list = m.get(c);
          if (list) list.push(ruleId); else m.set(c, [ruleId]);
        }
      }
    }
  }
  return byPeerCheck.get(peer)?.get(check) ?? [];
}

/** Every shipshape rule that stands for at least one check of `peer`. */
export function rulesOfPeer(peer: PeerName): readonly string[] {
  return Object.keys(PEER_CHECKS).sort().filter(id => (PEER_CHECKS[id][peer] ?? []).length > 0);
}

// ---------------------------------------------------------------------------------------------------------
// Exemption annotations of the peers, as each peer reads them (verified in their source):
// - kube-linter (pkg/ignore/ignore.go): the key `ignore-check.kube-linter.io/<check>` on the object's
//   metadata, any value (an explanation is encouraged); `kube-linter.io/ignore-all` ignores every check.
// - Polaris (pkg/validator/schema.go, hasExemptionAnnotation): `polaris.fairwinds.com/<check>-exempt` or
//   `polaris.fairwinds.com/exempt` (every check) on the object's metadata, with the value "true" (any case).
// - kube-score (scorecard/enabled.go, score/score.go): `kube-score/ignore: <check>,<check>` on the object's
//   metadata and, for objects with a pod template, on the template's metadata; `container-resources` also
//   ignores `container-ephemeral-storage-request-and-limit`; `kube-score/enable` on the template re-enables a
//   check the object's metadata ignores.
// - Checkov (checkov/kubernetes parser, get_skipped_checks): any key containing `checkov.io/skip` or
//   `bridgecrew.io/skip` (by convention `checkov.io/skip1`, `skip2`...) with the value `<check id>[=<comment>]`.
// - Pod Security Admission has no per-object exemption (its exemptions are usernames, runtime classes and
//   namespaces in the admission configuration), so nothing is read for it.

/** A suppression of one shipshape rule that a peer's exemption annotation asks for. */
export interface PeerExemption {
  /** The shipshape rule id. */
  readonly ruleId: string;
  /** Why: names the peer, the annotation and its value. */
  readonly reason: string;
  /** The peer whose annotation it is. */
  readonly peer: PeerName;
  /** Where the annotation sits: `metadata.annotations["<key>"]` (or the pod template's). */
  readonly annotation: string;
  /** The rule's findings it covers, where the peer's check stands for part of the rule only; undefined for all of them. */
  readonly scope?: ExemptionScope;
}

const KUBE_LINTER_PREFIX = 'ignore-check.kube-linter.io/';
const KUBE_LINTER_ALL = 'kube-linter.io/ignore-all';
const POLARIS_ALL = 'polaris.fairwinds.com/exempt';
const POLARIS_PREFIX = 'polaris.fairwinds.com/';
const POLARIS_SUFFIX = '-exempt';
const KUBE_SCORE_IGNORE = 'kube-score/ignore';
const KUBE_SCORE_ENABLE = 'kube-score/enable';
/** kube-score: ignoring the first also ignores the others (scorecard.go impliedIgnoreAnnotations). */
const KUBE_SCORE_IMPLIED: { readonly [check: string]: readonly string[] } = {
  'container-resources': ['container-ephemeral-storage-request-and-limit'],
};

function annotationsAt(meta: any): { [key: string]: unknown } | undefined {
  const ann = meta !== null && typeof meta === 'object' && !Array.isArray(meta) ? meta.annotations : undefined;
  return ann !== null && typeof ann === 'object' && !Array.isArray(ann) ? ann : undefined;
}

function csv(value: unknown): string[] {
  return typeof value === 'string' ? value.split(',').map(s => s.trim()).filter(s => s !== '') : [];
}

function quote(value: unknown): string {
  return JSON.stringify(typeof value === 'string' ? value : String(value));
}

/**
 * The shipshape rules that the peers' exemption annotations on `manifest` ask to suppress, in a stable order
 * (annotation order, then rule id). An annotation that maps to no shipshape rule gives nothing.
 */
export function peerExemptions(manifest: any): readonly PeerExemption[] {
  // objects of one output carry the same annotations over and over (every Deployment of a kind): the result of
  // the last object with annotations is reused when the next one's read the same (the result holds no path)
  const cron = manifest !== null && typeof manifest === 'object' && manifest.kind === 'CronJob';
  const ann = annotationsAt(manifest !== null && typeof manifest === 'object' ? manifest.metadata : undefined);
  const child = annotationsAt(podTemplateMetadata(manifest));
  const last = lastExemptions;
  if (last !== undefined && last.cron === cron && sameData(last.ann, ann) && sameData(last.child, child)) return last.result;
  const result = ann === undefined && child === undefined ? NO_EXEMPTIONS : computePeerExemptions(manifest);
  lastExemptions = { cron, ann, child, result };
  return result;
}

const NO_EXEMPTIONS: readonly PeerExemption[] = Object.freeze([]);

/** The inputs and result of the last `peerExemptions` call. */
let lastExemptions: { cron: boolean; ann: any; child: any; result: readonly PeerExemption[] } | undefined;

function computePeerExemptions(manifest: any): readonly PeerExemption[] {
  const out: PeerExemption[] = [];
  const seen = new Set<string>();
  /** `check` undefined: an exemption of every check of the peer */
  const add = (peer: PeerName, ruleIds: readonly string[], where: string, key: string, value: unknown, check?: string) => {
    const annotation = `${where}["${key}"]`;
    for (const ruleId of ruleIds) {
      const part = check === undefined ? undefined : exemptionScope(peer, check, ruleId);
      // one annotation may name several checks that stand for parts of one rule (kube-score/ignore: a,b): one each
      const k = `${ruleId}\u0000${annotation}${part === undefined ? '' : `\u0000${check}`}`;
      if (seen.has(k)) continue;
      seen.add(k);
      out.push({ ruleId, peer, annotation, reason: `${PEER_LABELS[peer]} exemption ${annotation}: ${quote(value)}`, ...(part !== undefined ? { scope: part } : {}) });
    }
  };
  const meta = manifest !== null && typeof manifest === 'object' ? manifest.metadata : undefined;
  const ann = annotationsAt(meta);
  const where = 'metadata.annotations';
  if (ann) {
    for (const key of Object.keys(ann)) {
      const value = ann[key];
      if (key === KUBE_LINTER_ALL) {
        add('kube-linter', rulesOfPeer('kube-linter'), where, key, value);
      } else if (key.startsWith(KUBE_LINTER_PREFIX)) {
        const check = key.slice(KUBE_LINTER_PREFIX.length);
        add('kube-linter', rulesForPeerCheck('kube-linter', check), where, key, value, check);
      } else if (key === POLARIS_ALL) {
        if (typeof value === 'string' && value.toLowerCase() === 'true') add('polaris', rulesOfPeer('polaris'), where, key, value);
      } else if (key.startsWith(POLARIS_PREFIX) && key.endsWith(POLARIS_SUFFIX)) {
        if (typeof value === 'string' && value.toLowerCase() === 'true') {
          const check = key.slice(POLARIS_PREFIX.length, key.length - POLARIS_SUFFIX.length);
          add('polaris', rulesForPeerCheck('polaris', check), where, key, value, check);
        }
      } else if (key.includes('checkov.io/skip') || key.includes('bridgecrew.io/skip')) {
        if (typeof value === 'string') {
          const eq = value.indexOf('=');
          const check = (eq >= 0 ? value.slice(0, eq) : value).trim();
          add('checkov', rulesForPeerCheck('checkov', check), where, key, value, check);
        }
      }
    }
  }
  // kube-score: the object's ignore list, and the pod template's (which also re-enables with kube-score/enable)
  const child = annotationsAt(podTemplateMetadata(manifest));
  const childWhere = podTemplateAnnotationsPath(manifest);
  const expand = (checks: string[]) => checks.flatMap(c => [c, ...(KUBE_SCORE_IMPLIED[c] ?? [])]);
  const childEnabled = new Set(expand(csv(child?.[KUBE_SCORE_ENABLE])));
  if (child && child[KUBE_SCORE_IGNORE] !== undefined) {
    for (const check of expand(csv(child[KUBE_SCORE_IGNORE]))) {
      add('kube-score', rulesForPeerCheck('kube-score', check), childWhere, KUBE_SCORE_IGNORE, child[KUBE_SCORE_IGNORE], check);
    }
  }
  if (ann && ann[KUBE_SCORE_IGNORE] !== undefined) {
    for (const check of expand(csv(ann[KUBE_SCORE_IGNORE]))) {
      if (childEnabled.has(check)) continue;
      add('kube-score', rulesForPeerCheck('kube-score', check), where, KUBE_SCORE_IGNORE, ann[KUBE_SCORE_IGNORE], check);
    }
  }
  return Object.freeze(out);
}
