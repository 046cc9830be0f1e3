import { Violation } from '../../rule';
import { k8sRule, WARNING } from '../define';
import { isPlatformRole, POD_RUNNING_RESOURCES, ROLE_KINDS, roleRules, ruleCovers } from '../rbac';

/**
 * The pod-running rights of a role: create on pods, or on the workload kinds whose controllers create pods. Update and
 * patch reach a pod template too, but they are what operating a workload takes (`kubectl rollout restart` patches it),
 * and a role that may change a workload's template is documented where it is made (see TeamPermissions).
 */
function podRunningRights(manifest: any): Violation[] {
  const out: Violation[] = [];
  for (const r of roleRules(manifest)) {
    if (ruleCovers(r, '', ['pods'], ['create'])) {
      out.push({ jsonPath: r.path, message: 'Role can create pods' });
      continue;
    }
    const kinds = POD_RUNNING_RESOURCES.flatMap(g => g.resources.filter(res => ruleCovers(r, g.group, [res], ['create'])));
    if (kinds.length > 0) out.push({ jsonPath: r.path, message: `Role can create ${kinds.join(', ')}, whose pods run as any ServiceAccount of the namespace` });
  }
  return out;
}

/** SS-K8S-081 — docs/rules.md#ss-k8s-081. */
export const rbacNoPodCreate = k8sRule({
  id: 'SS-K8S-081',
  title: 'No pod create rights',
  catalog: ['K8S-RBAC-05'],
  severity: WARNING,
  message: 'Role can create pods',
  fix: 'remove create on pods, and on the workloads that run pods (Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs, CronJobs, ReplicationControllers), from roles that do not deploy; give a deployer role to the pipeline only',
  rationale: 'Creating pods, or a workload whose controller creates them, lets the holder run any image as any ServiceAccount of the namespace, and so take its rights. The platform\'s own roles (system:, eks: and gce: names, and the default ClusterRoles) are not reported.',
  sources: ['Trivy KSV-0048', 'CIS EKS 4.1.4'],
  differences: [
    {
      peer: 'kube-linter',
      checks: ['access-to-create-pods'],
      direction: 'laxer',
      reason: 'shipshape reports the role that grants the right (once), where kube-linter\'s opt-in check reports each binding to it.',
    },
  ],
  kinds: ROLE_KINDS,
  check: (doc) => (isPlatformRole(doc) ? undefined : podRunningRights(doc.manifest)),
});
