import { k8sRule, WARNING } from '../define';
import { isPlatformRole, ROLE_KINDS, ruleGrants } from '../rbac';

/** SS-K8S-081 — docs/rules.md#ss-k8s-081. */
export const rbacNoPodCreate = k8sRule({
  id: 'SS-K8S-081',
  title: 'No pod create rights',
  catalog: ['K8S-RBAC-05'],
  severity: WARNING,
  message: 'Role can create pods',
  fix: 'remove create on pods (creating pods can escalate to any ServiceAccount in the namespace)',
  rationale: 'Creating pods lets the holder run any image as any ServiceAccount of the namespace, and so take its rights. The platform\'s own roles (system:, eks: and gce: names, and the default ClusterRoles) are not reported.',
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
  check: (doc) => (isPlatformRole(doc) ? undefined : ruleGrants(doc.manifest, ['pods'], ['create'], () => 'Role can create pods')),
});
