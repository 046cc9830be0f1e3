import { Violation } from '../../rule';
import { k8sRule, WARNING } from '../define';
import { grants, isPlatformRole, ROLE_KINDS, roleRules, ruleCovers } from '../rbac';

const ADMISSION_GROUP = 'admissionregistration.k8s.io';
const CERTIFICATES_GROUP = 'certificates.k8s.io';
/** What decides admission: webhook configurations, and the in-process admission policies (CEL) with their bindings. */
const ADMISSION_RESOURCES = [
  'validatingwebhookconfigurations', 'mutatingwebhookconfigurations',
  'validatingadmissionpolicies', 'validatingadmissionpolicybindings', 'mutatingadmissionpolicies', 'mutatingadmissionpolicybindings',
];

/** SS-K8S-084 — docs/rules.md#ss-k8s-084. */
export const rbacNoAdmissionOrCsrRights = k8sRule({
  id: 'SS-K8S-084',
  title: 'No admission webhook or CSR approval rights',
  catalog: ['K8S-RBAC-08'],
  severity: WARNING,
  message: 'Role can change admission webhooks or policies, or approve certificate requests',
  fix: 'remove write verbs on *webhookconfigurations, *admissionpolicies and *admissionpolicybindings, update and patch on namespaces, and update/approve on certificatesigningrequests/approval and signers',
  rationale: 'Changing admission webhooks, or the admission policies (ValidatingAdmissionPolicy, MutatingAdmissionPolicy) and their bindings, intercepts or silences every API write; changing a namespace\'s labels lowers its Pod Security level; approving certificate requests mints credentials. '
    + 'A rule counts only for the API group of the resource (admissionregistration.k8s.io for the webhook configurations and admission policies, certificates.k8s.io for approval and signers, the core group for namespaces) or "*": '
    + 'resources: ["*"] in another group (a CRD\'s) reaches none of them. The platform\'s own roles (system:, eks: and gce: names, and the default ClusterRoles) are not reported.',
  sources: ['Trivy KSV-0114', 'CIS EKS 4.1.11'],
  kinds: ROLE_KINDS,
  check: (doc) => {
    if (isPlatformRole(doc)) return undefined; // the platform's own roles (system:, eks:, gce:, the default ClusterRoles)
    const out: Violation[] = [];
    for (const r of roleRules(doc.manifest)) {
      // each resource only in its own API group (or "*"): resources: ["*"] of a CRD's group reaches none of them
      const webhook = ruleCovers(r, ADMISSION_GROUP, ADMISSION_RESOURCES, ['create', 'update', 'patch', 'delete']);
      const csr = ruleCovers(r, CERTIFICATES_GROUP, ['certificatesigningrequests/approval'], ['update', 'patch']) ||
        ruleCovers(r, CERTIFICATES_GROUP, ['signers'], ['approve']);
      if (webhook || csr) {
        out.push({ jsonPath: r.path });
      } else if (grants(r.apiGroups, ['']) && grants(r.resources, ['namespaces']) && grants(r.verbs, ['update', 'patch'])) {
        out.push({ jsonPath: r.path, message: 'Role can change namespaces, and so their Pod Security labels (a privileged level admits any pod)' });
      }
    }
    return out;
  },
});
