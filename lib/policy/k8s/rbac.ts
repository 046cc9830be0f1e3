// Internal: helpers for the RBAC rules.
import { DocumentIndex } from '../document-index';
import { PolicyDocument, Violation } from '../rule';
import { arr, o } from './pod';

export const ROLE_KINDS = ['Role', 'ClusterRole'];
export const BINDING_KINDS = ['RoleBinding', 'ClusterRoleBinding'];

/** A role rule with its JSON path. */
export interface RoleRule {
  readonly apiGroups: string[];
  readonly resources: string[];
  readonly verbs: string[];
  /** The resourceNames the rule is limited to (empty: every object of its resources). */
  readonly resourceNames: string[];
  /** The non-resource URLs of a ClusterRole's rule (/metrics, /healthz/*). */
  readonly nonResourceURLs: string[];
  readonly path: string;
}

/** The rules of a Role or ClusterRole. */
export function roleRules(manifest: any): RoleRule[] {
  return arr(manifest.rules).map((r0, i) => {
    const r = o(r0);
    return {
      apiGroups: arr(r.apiGroups).map(String),
      resources: arr(r.resources).map(String),
      verbs: arr(r.verbs).map(String),
      resourceNames: arr(r.resourceNames).map(String),
      nonResourceURLs: arr(r.nonResourceURLs).map(String),
      path: `rules[${i}]`,
    };
  });
}

/** True when `list` grants one of `wanted` (a `*` grants everything). */
export function grants(list: string[], wanted: string[]): boolean {
  return list.includes('*') || wanted.some(w => list.includes(w));
}

/**
 * True when a role rule's `resources` grant one of `wanted` (`pods`, `pods/exec`): a `*` grants every resource, and,
 * as the API server's RBAC authorizer matches them, an entry made of a `*`, a slash and a subresource grants that
 * subresource of every resource (while `pods` followed by a slash and a `*` grants nothing but that name).
 */
export function grantsResource(resources: string[], wanted: string[]): boolean {
  if (grants(resources, wanted)) return true;
  for (const w of wanted) {
    const slash = w.indexOf('/');
    if (slash > 0 && resources.includes(`*${w.slice(slash)}`)) return true;
  }
  return false;
}

const CORE = '';
const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** True when a role rule grants one of `verbs` on one of `resources` of API group `apiGroup` (a `*` in any list counts). */
export function ruleCovers(r: RoleRule, apiGroup: string, resources: string[], verbs: string[]): boolean {
  return grants(r.apiGroups, [apiGroup]) && grantsResource(r.resources, resources) && grants(r.verbs, verbs);
}

/** Violations for every rule that grants `verbs` on `resources` of the core API group. */
export function ruleGrants(manifest: any, resources: string[], verbs: string[], message: (r: RoleRule) => string, named = true): Violation[] {
  return roleRules(manifest).filter(r => ruleCovers(r, CORE, resources, verbs) && (named || r.resourceNames.length === 0))
    .map(r => ({ jsonPath: r.path, message: message(r) }));
}

/** True when a role rule lets its holder exec or attach into pods (get opens the websocket, create the stream). */
export function grantsExec(r: RoleRule): boolean {
  return execGrant(r) !== undefined;
}

/**
 * How a role rule lets its holder run commands in pods, or undefined: exec or attach (get opens the websocket, create
 * the stream), or the kubelet's API through nodes/proxy, which execs into any pod of the node.
 */
export function execGrant(r: RoleRule): string | undefined {
  if (ruleCovers(r, CORE, ['pods/exec', 'pods/attach'], ['get', 'create'])) return 'exec or attach into pods';
  if (ruleCovers(r, CORE, ['nodes/proxy'], ['get', 'create'])) return 'nodes/proxy, the kubelet\'s API: exec into any pod of a node';
  return undefined;
}

/** True when a role rule lets its holder mint tokens of the ServiceAccounts in its scope (create on serviceaccounts/token). */
export function grantsTokenRequest(r: RoleRule): boolean {
  return ruleCovers(r, CORE, ['serviceaccounts/token'], ['create']);
}

/**
 * The workload kinds whose objects run pods of a template (and so as any ServiceAccount of the namespace), by API
 * group: the holder of create, update or patch on them runs what it wants.
 */
export const POD_RUNNING_RESOURCES: Array<{ group: string; resources: string[] }> = [
  { group: CORE, resources: ['replicationcontrollers'] },
  { group: 'apps', resources: ['deployments', 'replicasets', 'statefulsets', 'daemonsets'] },
  { group: 'batch', resources: ['jobs', 'cronjobs'] },
];

/**
 * The verbs that hand out rights the holder does not have, with what the API server checks them on: escalate and
 * bind on roles and clusterroles, impersonate on users, groups and serviceaccounts (impersonating a UID or user extras
 * needs impersonate on a user as well).
 */
const ESCALATION_VERBS: { verb: string; apiGroup: string; resources: string[] }[] = [
  { verb: 'escalate', apiGroup: RBAC_GROUP, resources: ['roles', 'clusterroles'] },
  { verb: 'bind', apiGroup: RBAC_GROUP, resources: ['roles', 'clusterroles'] },
  { verb: 'impersonate', apiGroup: CORE, resources: ['users', 'groups', 'serviceaccounts'] },
];

/**
 * The escalate, bind and impersonate rights a role rule grants, named or through a `*` in its verbs, resources or
 * apiGroups: the verbs the rule names first, in its order, then those only its `*` verbs grant.
 */
export function escalationVerbs(r: RoleRule): string[] {
  const granted = ESCALATION_VERBS.filter(e => ruleCovers(r, e.apiGroup, e.resources, [e.verb])).map(e => e.verb);
  return [...r.verbs.filter(v => granted.includes(v)), ...granted.filter(v => !r.verbs.includes(v))];
}

const EVERY_VERB = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];

/**
 * Why a role rule amounts to administrator rights, or undefined: every verb on every resource of every API group,
 * or a right that hands out rights the holder does not have (escalate, bind, impersonate: {@link escalationVerbs}).
 */
export function adminGrant(r: RoleRule): string | undefined {
  if (r.apiGroups.includes('*') && r.resources.includes('*') && (r.verbs.includes('*') || EVERY_VERB.every(v => r.verbs.includes(v)))) {
    return 'every verb on every resource';
  }
  const escalating = escalationVerbs(r);
  return escalating.length > 0 ? escalating.join(', ') : undefined;
}

/**
 * The default ClusterRoles every cluster has, with whether they allow exec into pods. A role of that name in the
 * output is the platform's own (a dump of the cluster); a binding to one is judged by what it grants.
 */
export const BUILTIN_CLUSTER_ROLES: { [name: string]: { exec: boolean; admin: boolean } } = {
  'cluster-admin': { exec: true, admin: true },
  'admin': { exec: true, admin: false },
  'edit': { exec: true, admin: false },
  'view': { exec: false, admin: false },
  // default system: ClusterRoles that add-ons bind their own ServiceAccounts to (aggregated API servers, DNS,
  // storage provisioners, node agents): what each allows is fixed and small
  'system:auth-delegator': { exec: false, admin: false },
  'system:basic-user': { exec: false, admin: false },
  'system:discovery': { exec: false, admin: false },
  'system:public-info-viewer': { exec: false, admin: false },
  'system:service-account-issuer-discovery': { exec: false, admin: false },
  'system:heapster': { exec: false, admin: false },
  'system:kube-dns': { exec: false, admin: false },
  'system:monitoring': { exec: false, admin: false },
  'system:node-problem-detector': { exec: false, admin: false },
  'system:node-proxier': { exec: false, admin: false },
  'system:persistent-volume-provisioner': { exec: false, admin: false },
  'system:volume-scheduler': { exec: false, admin: false },
  'system:aggregate-to-view': { exec: false, admin: false },
  // the edit rights the edit and admin roles aggregate (pods/exec and pods/attach among them)
  'system:aggregate-to-edit': { exec: true, admin: false },
  // nodes/proxy: the kubelet's API, exec into any pod of the node among it
  'system:kubelet-api-admin': { exec: true, admin: false },
  // escalate on ClusterRoles: it can give itself any right
  'system:controller:clusterrole-aggregation-controller': { exec: false, admin: true },
};

/**
 * The namespaced Roles the API server creates at bootstrap under names without a platform prefix, by
 * `<namespace>/<name>`, with whether they allow exec into pods. Every aggregated API server (metrics-server,
 * prometheus-adapter) binds `extension-apiserver-authentication-reader`, which reads one ConfigMap.
 */
export const BUILTIN_ROLES: { [namespacedName: string]: { exec: boolean; admin: boolean } } = {
  'kube-system/extension-apiserver-authentication-reader': { exec: false, admin: false },
};

/** The built-in role a binding grants when the output does not hold it (a default ClusterRole or a bootstrap Role), or undefined. */
export function builtinRole(role: { kind: string; name: string }, bindingNamespace: string | undefined): { exec: boolean; admin: boolean } | undefined {
  if (role.kind === 'ClusterRole') return BUILTIN_CLUSTER_ROLES[role.name];
  return bindingNamespace === undefined ? undefined : BUILTIN_ROLES[`${bindingNamespace}/${role.name}`];
}

/**
 * Name prefixes of the roles and bindings the platform itself installs: Kubernetes (`system:`), and the managed
 * control planes of EKS (`eks:`) and GKE (`gce:`).
 */
const PLATFORM_PREFIXES = ['system:', 'eks:', 'gce:'];

/** True when a role or binding name is one of the platform's own. */
export function isPlatformName(name: string): boolean {
  return PLATFORM_PREFIXES.some(p => name.startsWith(p));
}

/** True for the platform's own roles: platform-prefixed names, the default ClusterRoles and the bootstrap Roles. */
export function isPlatformRole(doc: PolicyDocument): boolean {
  const name = doc.name ?? '';
  return isPlatformName(name) || (doc.kind === 'ClusterRole' && BUILTIN_CLUSTER_ROLES[name] !== undefined)
    || (doc.kind === 'Role' && BUILTIN_ROLES[`${doc.namespace ?? ''}/${name}`] !== undefined);
}

/**
 * Groups whose names look like the platform's but hold every user, every anonymous request or every ServiceAccount: a
 * binding to them is never the platform's own business.
 */
const EVERYONE_GROUPS = ['system:authenticated', 'system:unauthenticated', 'system:serviceaccounts'];

/**
 * True for a subject the platform itself is: a `system:`/`eks:`/`gce:` user or group (not one that holds every user,
 * every anonymous request or every ServiceAccount), or a ServiceAccount of kube-system.
 */
export function isPlatformSubject(s0: unknown): boolean {
  const s = o(s0);
  const name = typeof s.name === 'string' ? s.name : '';
  const account = serviceAccountSubject(s);
  if (account !== undefined) return account.namespace === 'kube-system';
  if (s.kind !== 'User' && s.kind !== 'Group') return false;
  if (name === 'system:anonymous' || EVERYONE_GROUPS.includes(name) || name.startsWith('system:serviceaccounts:')) return false;
  return isPlatformName(name);
}

/**
 * The ServiceAccount a binding subject names: `kind: ServiceAccount`, or the user name the API server gives a
 * ServiceAccount's token (`User system:serviceaccount:<namespace>:<name>`), which RBAC matches the same way.
 */
export function serviceAccountSubject(s0: unknown): { namespace?: string; name: string } | undefined {
  const s = o(s0);
  if (s.kind === 'ServiceAccount') return { namespace: typeof s.namespace === 'string' ? s.namespace : undefined, name: typeof s.name === 'string' ? s.name : '' };
  const m = s.kind === 'User' && typeof s.name === 'string' ? /^system:serviceaccount:([^:]+):([^:]+)$/.exec(s.name) : null;
  return m ? { namespace: m[1], name: m[2] } : undefined;
}

/**
 * True for the platform's own bindings: platform-prefixed names, and the ClusterRoleBinding cluster-admin
 * (system:masters), when every subject is the platform's too. A binding of such a name that hands its role to an
 * application's ServiceAccount, a team or everyone is judged like any other: the name proves nothing.
 */
export function isPlatformBinding(doc: PolicyDocument): boolean {
  const name = doc.name ?? '';
  if (!(isPlatformName(name) || (doc.kind === 'ClusterRoleBinding' && name === 'cluster-admin'))) return false;
  return arr(doc.manifest.subjects).every(isPlatformSubject);
}

/** The role a binding refers to: its kind and name, and the document when it is in the output. */
export function boundRole(index: DocumentIndex, binding: PolicyDocument): { kind: string; name: string; doc?: PolicyDocument } | undefined {
  const ref = o(binding.manifest.roleRef);
  if (typeof ref.name !== 'string' || (ref.kind !== 'Role' && ref.kind !== 'ClusterRole')) return undefined;
  const doc = ref.kind === 'Role'
    ? index.find('Role', ref.name, binding.namespace)
    : index.find('ClusterRole', ref.name) ?? index.ofKind('ClusterRole').find(d => d.name === ref.name);
  return { kind: ref.kind, name: ref.name, doc };
}
