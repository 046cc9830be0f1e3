import { Violation } from '../../rule';
import { ERROR, k8sRule } from '../define';
import { isPlatformRole, ROLE_KINDS, roleRules } from '../rbac';

/** SS-K8S-077 — docs/rules.md#ss-k8s-077. */
export const rbacNoWildcards = k8sRule({
  id: 'SS-K8S-077',
  title: 'No wildcards in role rules',
  catalog: ['K8S-RBAC-01'],
  severity: ERROR,
  message: 'Role rule uses a wildcard',
  fix: 'list the apiGroups, resources, verbs and nonResourceURLs the workload needs instead of *',
  rationale: 'A * grants every current and future resource or verb, including ones added by later CRDs; in resources, a * before a subresource (*/exec) grants that subresource of every resource; in nonResourceURLs, a * grants every URL the API server serves outside its resources (/metrics, /debug/pprof, /logs). The platform\'s own roles (system:, eks: and gce: names, and the default ClusterRoles) are not reported.',
  sources: ['Trivy KSV-0044, KSV-0045, KSV-0046', 'CIS EKS 4.1.3'],
  kinds: ROLE_KINDS,
  check: (doc) => {
    if (isPlatformRole(doc)) return undefined; // the platform's own roles (system:, eks:, gce:, the default ClusterRoles)
    const out: Violation[] = [];
    for (const r of roleRules(doc.manifest)) {
      for (const f of ['apiGroups', 'resources', 'verbs'] as const) {
        if (r[f].includes('*')) out.push({ jsonPath: `${r.path}.${f}`, message: `Role rule has * in ${f}` });
      }
      // a ClusterRole's non-resource URLs: `*` is every one the API server serves (/metrics, /debug/pprof, /logs when enabled)
      if (r.nonResourceURLs.includes('*')) out.push({ jsonPath: `${r.path}.nonResourceURLs`, message: 'Role rule has * in nonResourceURLs: every URL the API server serves outside its resources (/metrics, /debug/pprof, /logs)' });
      // `*` + `/exec`: the API server grants that subresource of every resource
      for (const res of r.resources) {
        if (res.startsWith('*/') && res.length > 2) {
          out.push({ jsonPath: `${r.path}.resources`, message: `Role rule has ${res} in resources: the ${res.slice(2)} subresource of every resource` });
        }
      }
    }
    return out;
  },
});
