import { Violation } from '../../rule';
import { ERROR, k8sRule } from '../define';
import { arr, o } from '../pod';
import { BINDING_KINDS, boundRole, isPlatformName } from '../rbac';

/** The subjects that stand for everyone, and who they are. */
function everyone(s: any): string | undefined {
  const name = typeof s.name === 'string' ? s.name : '';
  if (s.kind === 'User' && name === 'system:anonymous') return 'every anonymous request (system:anonymous)';
  if (s.kind !== 'Group') return undefined;
  if (name === 'system:unauthenticated') return 'every unauthenticated request (system:unauthenticated)';
  if (name === 'system:authenticated') return 'every authenticated user and ServiceAccount of the cluster (system:authenticated)';
  if (name === 'system:serviceaccounts') return 'every ServiceAccount of the cluster (system:serviceaccounts)';
  if (name.startsWith('system:serviceaccounts:')) return `every ServiceAccount of namespace ${name.slice('system:serviceaccounts:'.length)} (${name})`;
  return undefined;
}

/** SS-K8S-088 — docs/rules.md#ss-k8s-088. */
export const rbacNoEveryoneSubject = k8sRule({
  id: 'SS-K8S-088',
  title: 'No rights for everyone',
  catalog: ['K8S-RBAC-07'],
  severity: ERROR,
  message: 'Binding grants rights to every user, every anonymous request or every ServiceAccount',
  fix: 'bind the users, groups or ServiceAccounts that need the role by name, not system:authenticated, system:unauthenticated, system:anonymous or system:serviceaccounts[:<namespace>]',
  rationale: 'These groups hold everyone: anonymous requests, every authenticated user, every pod\'s token. A role bound to them is a role the whole cluster has, '
    + 'so one compromised pod (or, for the unauthenticated ones, anyone who reaches the API server) gets it. The cluster\'s own default bindings (a platform name '
    + 'granting a platform role the output does not define, such as system:discovery or system:public-info-viewer) are not reported; a binding of such a name '
    + 'that grants a role of the output is.',
  sources: ['Kubernetes RBAC good practices: avoid granting rights to system:unauthenticated and system:anonymous', 'CIS EKS 4.1.x (least privilege)'],
  kinds: BINDING_KINDS,
  check: (doc, index) => {
    const role = boundRole(index, doc);
    // the cluster's own defaults: a platform binding of a platform role the output does not hold
    if (isPlatformName(doc.name ?? '') && role !== undefined && isPlatformName(role.name) && role.doc === undefined) return undefined;
    const out: Violation[] = [];
    arr(doc.manifest.subjects).forEach((s0, i) => {
      const who = everyone(o(s0));
      if (who !== undefined) {
        out.push({ jsonPath: `subjects[${i}].name`, message: `Binding grants ${role ? `${role.kind} ${role.name}` : 'its role'} to ${who}` });
      }
    });
    return out;
  },
});
