import { k8sRule, WARNING } from '../define';
import { isPlatformRole, ROLE_KINDS, ruleGrants } from '../rbac';

/** SS-K8S-080 — docs/rules.md#ss-k8s-080. */
export const rbacNoSecretRead = k8sRule({
  id: 'SS-K8S-080',
  title: 'No Secret read rights',
  catalog: ['K8S-RBAC-04'],
  severity: WARNING,
  message: 'Role can read Secrets',
  fix: 'remove get/list/watch on secrets; mount the one Secret the workload needs',
  rationale: 'get, list or watch on secrets reads every Secret of the scope, including other workloads\' credentials. A rule limited by resourceNames '
    + 'reads only the Secrets it names and is not reported. The platform\'s own roles (system:, eks: and gce: names, and the default ClusterRoles) are not reported.',
  sources: ['Trivy KSV-0041, KSV-0113', 'CIS EKS 4.1.2'],
  differences: [
    {
      peer: 'kube-linter',
      checks: ['access-to-secrets'],
      direction: 'laxer',
      reason: 'shipshape reports the role that grants the right (once), where kube-linter\'s opt-in check reports each binding to it.',
    },
  ],
  kinds: ROLE_KINDS,
  check: (doc) => (isPlatformRole(doc) ? undefined : ruleGrants(doc.manifest, ['secrets'], ['get', 'list', 'watch'], () => 'Role can read Secrets', false)),
});
