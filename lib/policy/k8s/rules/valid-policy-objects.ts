import { Validators } from '../../../core/validators';
import { Violation } from '../../rule';
import { ERROR, k8sRule, NONE } from '../define';
import { arr, isObj, o } from '../pod';
import { caseMeant } from './valid-containers';

const RBAC_GROUP = 'rbac.authorization.k8s.io';
const POLICY_TYPES = ['Ingress', 'Egress'];
const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
const SUBJECT_KINDS = ['ServiceAccount', 'User', 'Group'];

type Bad = (jsonPath: string, message: string) => void;

/** The spelling of `value` among `allowed` when it differs only in case, for a message. */
function meant(value: unknown, allowed: string[]): string {
  const m = caseMeant(value, allowed);
  return m === undefined ? '' : `; did you mean ${m}?`;
}

/** The rule lists of a NetworkPolicy and the peer list each rule holds. */
const DIRECTIONS = [['ingress', 'from'], ['egress', 'to']];

/**
 * What the API refuses in a NetworkPolicy: its policy types, ports and peers. Plain loops, and each path is written
 * only for a field reported: this runs on every NetworkPolicy of every synth.
 */
function checkNetworkPolicy(spec: any, bad: Bad): void {
  const types = spec.policyTypes;
  if (Array.isArray(types)) {
    for (let i = 0; i < types.length; i++) {
      if (!(i in types)) continue;
      const t = types[i];
      if (!POLICY_TYPES.includes(t)) bad(`spec.policyTypes[${i}]`, `policyTypes entry ${JSON.stringify(t)} is not Ingress or Egress as the API spells them${meant(t, POLICY_TYPES)}`);
    }
    if (types.length > 2) bad('spec.policyTypes', `policyTypes lists ${types.length} entries: the API accepts at most two (Ingress and Egress)`);
  }
  for (let d = 0; d < DIRECTIONS.length; d++) {
    const dir = DIRECTIONS[d][0];
    const rules = spec[dir];
    if (!Array.isArray(rules)) continue;
    for (let i = 0; i < rules.length; i++) {
      const rule = o(rules[i]);
      const ports = rule.ports;
      if (Array.isArray(ports)) {
        for (let j = 0; j < ports.length; j++) checkPort(o(ports[j]), dir, i, j, bad);
      }
      const side = DIRECTIONS[d][1];
      const peers = rule[side];
      if (Array.isArray(peers)) {
        for (let j = 0; j < peers.length; j++) checkPeer(peers[j], dir, side, i, j, bad);
      }
    }
  }
}

/** A NetworkPolicy port (`spec.<dir>[i].ports[j]`): protocol as spelled, endPort only after a numeric port and not below it. */
function checkPort(p: any, dir: string, i: number, j: number, bad: Bad): void {
  if (p.protocol !== undefined && p.protocol !== null && !PROTOCOLS.includes(p.protocol)) {
    bad(`spec.${dir}[${i}].ports[${j}].protocol`, `NetworkPolicy port protocol ${JSON.stringify(p.protocol)} is not TCP, UDP or SCTP as the API spells them${meant(p.protocol, PROTOCOLS)}`);
  }
  const end = p.endPort;
  if (end === undefined || end === null) return;
  const at = `spec.${dir}[${i}].ports[${j}].endPort`;
  if (p.port === undefined || p.port === null) bad(at, 'NetworkPolicy endPort is set without a port: the API needs the range\'s first port in port');
  else if (typeof p.port !== 'number') bad(at, `NetworkPolicy endPort is set with the named port ${JSON.stringify(p.port)}: a range needs a port number`);
  else if (typeof end === 'number' && end < p.port) bad(at, `NetworkPolicy endPort ${end} is below port ${p.port}: the range must end at or after its first port`);
}

/**
 * A NetworkPolicy peer (`spec.<dir>[i].<side>[j]`): something to select, and not pods and an IP block at once; an IP
 * block's CIDRs.
 */
function checkPeer(peer0: unknown, dir: string, side: string, i: number, j: number, bad: Bad): void {
  if (!isObj(peer0)) return;
  const peer = peer0 as any;
  const selects = (peer.podSelector !== undefined && peer.podSelector !== null) || (peer.namespaceSelector !== undefined && peer.namespaceSelector !== null);
  const block = peer.ipBlock !== undefined && peer.ipBlock !== null;
  if (selects === block) {
    const at = `spec.${dir}[${i}].${side}[${j}]`;
    if (!selects) bad(at, 'NetworkPolicy peer selects nothing: the API needs a podSelector, a namespaceSelector or an ipBlock (leave the from or to list out to allow all)');
    else bad(at, 'NetworkPolicy peer has an ipBlock beside a pod or namespace selector: the API takes one or the other; write two peers');
  }
  if (!block) return;
  const cidr = o(peer.ipBlock).cidr;
  if (typeof cidr !== 'string' || !validCidr(cidr)) {
    bad(`spec.${dir}[${i}].${side}[${j}].ipBlock.cidr`, `NetworkPolicy ipBlock cidr ${JSON.stringify(cidr) ?? 'unset'} is not a CIDR (such as 10.0.0.0/16)`);
    return;
  }
  const except = arr(o(peer.ipBlock).except);
  for (let k = 0; k < except.length; k++) {
    if (!(k in except)) continue;
    const e = except[k];
    if (typeof e !== 'string' || !validCidr(e) || !Validators.cidrContains(cidr, e)) {
      bad(`spec.${dir}[${i}].${side}[${j}].ipBlock.except[${k}]`, `NetworkPolicy ipBlock except ${JSON.stringify(e)} is not a CIDR strictly inside ${cidr}: the API refuses it`);
    }
  }
}

/** True for an IPv4 or IPv6 CIDR (bits after the prefix allowed, as the API server reads an ipBlock). */
function validCidr(c: string): boolean {
  return Validators._isCidr(c);
}

/** What the API refuses in the rules of a Role or ClusterRole. */
function checkRoleRules(kind: string, m: any, bad: Bad): void {
  // an aggregated ClusterRole's rules are filled in by the controller
  arr(m.rules).forEach((r0, i) => {
    const r = o(r0);
    const at = `rules[${i}]`;
    const has = (f: string) => Array.isArray(r[f]) && r[f].length > 0;
    if (!has('verbs')) bad(`${at}.verbs`, 'Role rule has no verbs: the API needs at least one (get, list, ...)');
    if (has('nonResourceURLs')) {
      if (kind === 'Role') bad(`${at}.nonResourceURLs`, 'Role rule has nonResourceURLs: only a ClusterRole may grant non-resource URLs');
      else if (has('apiGroups') || has('resources')) bad(`${at}.nonResourceURLs`, 'Role rule has nonResourceURLs beside apiGroups or resources: the API takes a rule for one or the other; write two rules');
      return;
    }
    if (!has('apiGroups')) bad(`${at}.apiGroups`, 'Role rule has no apiGroups: the API needs them (write [""] for the core group: pods, secrets, configmaps)');
    if (!has('resources')) bad(`${at}.resources`, 'Role rule has no resources: the API needs at least one');
  });
}

/** What the API refuses in a RoleBinding or ClusterRoleBinding: its roleRef and subjects. */
function checkBinding(kind: string, m: any, bad: Bad): void {
  const ref = o(m.roleRef);
  if (ref.apiGroup !== RBAC_GROUP) bad('roleRef.apiGroup', `roleRef apiGroup ${JSON.stringify(ref.apiGroup) ?? 'unset'} is not ${RBAC_GROUP}: the API refuses it`);
  const kinds = kind === 'ClusterRoleBinding' ? ['ClusterRole'] : ['Role', 'ClusterRole'];
  if (!kinds.includes(ref.kind)) bad('roleRef.kind', `roleRef kind ${JSON.stringify(ref.kind) ?? 'unset'} is not ${kinds.join(' or ')}: a ${kind} binds ${kinds.join(' or ')}s only${meant(ref.kind, kinds)}`);
  if (typeof ref.name !== 'string' || ref.name === '') bad('roleRef.name', 'roleRef has no name: the API needs the role to bind');
  arr(m.subjects).forEach((s0, i) => {
    const s = o(s0);
    const at = `subjects[${i}]`;
    if (!SUBJECT_KINDS.includes(s.kind)) {
      bad(`${at}.kind`, `Subject kind ${JSON.stringify(s.kind) ?? 'unset'} is not ServiceAccount, User or Group${meant(s.kind, SUBJECT_KINDS)}`);
      return;
    }
    if (typeof s.name !== 'string' || s.name === '') bad(`${at}.name`, `${s.kind} subject has no name: the API needs one`);
    const group = s.apiGroup;
    if (s.kind === 'ServiceAccount') {
      if (group !== undefined && group !== null && group !== '') bad(`${at}.apiGroup`, `ServiceAccount subject has apiGroup ${JSON.stringify(group)}: a ServiceAccount is in the core group (leave apiGroup out)`);
      if (kind === 'ClusterRoleBinding' && (typeof s.namespace !== 'string' || s.namespace === '')) {
        bad(`${at}.namespace`, `ServiceAccount subject ${typeof s.name === 'string' ? `${s.name} ` : ''}has no namespace: a ClusterRoleBinding needs the ServiceAccount's namespace`);
      }
    } else if (group !== undefined && group !== null && group !== '' && group !== RBAC_GROUP) {
      bad(`${at}.apiGroup`, `${s.kind} subject has apiGroup ${JSON.stringify(group)}: it is ${RBAC_GROUP} (or left out)`);
    }
  });
}

/** SS-K8S-101 — docs/rules.md#ss-k8s-101. */
export const validPolicyObjects = k8sRule({
  id: 'SS-K8S-101',
  title: 'NetworkPolicies and RBAC objects the API server accepts',
  catalog: ['K8S-META-04'],
  severity: ERROR,
  message: 'NetworkPolicy, role or binding holds a field the API server refuses',
  fix: 'spell policyTypes Ingress and Egress and protocols TCP, UDP or SCTP; give each NetworkPolicy peer one of a selector or an ipBlock; give every role rule verbs, '
    + 'and apiGroups and resources (or, in a ClusterRole, nonResourceURLs alone); give a binding roleRef.apiGroup rbac.authorization.k8s.io, a role kind it may bind, '
    + 'and subjects of kind ServiceAccount (with its namespace in a ClusterRoleBinding), User or Group',
  rationale: 'The API server refuses a NetworkPolicy whose policyTypes are spelled otherwise than Ingress and Egress (ingress is refused, and the policy then '
    + 'protects nothing), whose port protocol is not TCP, UDP or SCTP as spelled, whose endPort comes without a numeric port or below it, or whose peer selects nothing, '
    + 'combines an ipBlock with a selector, or has an ipBlock whose cidr is no CIDR or whose except is not inside it; a role rule without verbs, without apiGroups or resources, '
    + 'or with nonResourceURLs in a Role or beside resources; a binding whose roleRef is not an rbac.authorization.k8s.io Role or ClusterRole (a ClusterRoleBinding '
    + 'binds ClusterRoles only), and a subject of another kind, a ServiceAccount subject with an apiGroup or, in a ClusterRoleBinding, without a namespace. '
    + '`kubectl apply` fails on such an object.',
  sources: ['Kubernetes API validation'],
  kinds: ['NetworkPolicy', 'Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'],
  check: (doc) => {
    const m = doc.manifest;
    let out: Violation[] | undefined;
    const bad: Bad = (jsonPath, message) => { (out ??= []).push({ jsonPath, message }); };
    if (doc.kind === 'NetworkPolicy') checkNetworkPolicy(o(m.spec), bad);
    else if (doc.kind === 'Role' || doc.kind === 'ClusterRole') checkRoleRules(doc.kind, m, bad);
    else checkBinding(doc.kind, m, bad);
    return out ?? NONE;
  },
});
