// Internal: helpers for the RBAC rules.
import { Violation } from '../rule';
import { arr, o } from './pod';

export const ROLE_KINDS = ['Role', 'ClusterRole'];
export const BINDING_KINDS = ['RoleBinding', 'ClusterRoleBinding'];

/** A role rule with its JSON path. */
export interface RoleRule {
  readonly apiGroups: string[];
  readonly resources: string[];
  readonly verbs: string[];
  readonly path: string;
}

/** The rules of a Role or ClusterRole. */
export function roleRules(manifest: any): RoleRule[] {
  return arr(manifest.rules).map((r0, i) => {
    const r = o(r0);
    return { apiGroups: arr(r.apiGroups).map(String), resources: arr(r.resources).map(String), verbs: arr(r.verbs).map(String), path: `rules[${i}]` };
  });
}

/** True when `list` grants one of `wanted` (a `*` grants everything). */
export function grants(list: string[], wanted: string[]): boolean {
  return list.includes('*') || wanted.some(w => list.includes(w));
}

/** Violations for every rule that grants `verbs` on `resources`. */
export function ruleGrants(manifest: any, resources: string[], verbs: string[], message: (r: RoleRule) => string): Violation[] {
  return roleRules(manifest).filter(r => grants(r.resources, resources) && grants(r.verbs, verbs))
    .map(r => ({ jsonPath: r.path, message: message(r) }));
}
