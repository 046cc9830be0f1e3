import { Violation } from '../../rule';
import { k8sRule, WARNING } from '../define';
import { grants, grantsResource, isPlatformRole, ROLE_KINDS, roleRules } from '../rbac';

/** SS-K8S-084 — docs/rules.md#ss-k8s-084. */
export const rbacNoAdmissionOrCsrRights = k8sRule({
  id: 'SS-K8S-084',
  title: 'No admission webhook or CSR approval rights',
  catalog: ['K8S-RBAC-08'],
  severity: WARNING,
  message: 'Role can change admission webhooks or approve certificate requests',
  fix: 'remove write verbs on *webhookconfigurations, update and patch on namespaces, and update/approve on certificatesigningrequests/approval and signers',
  rationale: 'Changing admission webhooks intercepts or silences every API write; changing a namespace\'s labels lowers its Pod Security level; approving certificate requests mints credentials. The platform\'s own roles (system:, eks: and gce: names, and the default ClusterRoles) are not reported.',
  sources: ['Trivy KSV-0114', 'CIS EKS 4.1.11'],
  kinds: ROLE_KINDS,
  check: (doc) => {
    if (isPlatformRole(doc)) return undefined; // the platform's own roles (system:, eks:, gce:, the default ClusterRoles)
    const out: Violation[] = [];
    for (const r of roleRules(doc.manifest)) {
      const webhook = grants(r.resources, ['validatingwebhookconfigurations', 'mutatingwebhookconfigurations']) &&
        grants(r.verbs, ['create', 'update', 'patch', 'delete']);
      const csr = (grantsResource(r.resources, ['certificatesigningrequests/approval']) && grants(r.verbs, ['update', 'patch'])) ||
        (grants(r.resources, ['signers']) && grants(r.verbs, ['approve']));
      if (webhook || csr) {
        out.push({ jsonPath: r.path });
      } else if (grants(r.apiGroups, ['']) && grants(r.resources, ['namespaces']) && grants(r.verbs, ['update', 'patch'])) {
        out.push({ jsonPath: r.path, message: 'Role can change namespaces, and so their Pod Security labels (a privileged level admits any pod)' });
      }
    }
    return out;
  },
});
