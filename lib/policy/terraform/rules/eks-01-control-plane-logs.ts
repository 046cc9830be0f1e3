import { at, ERROR, list, tfRule } from '../define';

const TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];

/** SS-EKS-001: all five control-plane log types are enabled. */
export const EKS_01 = tfRule({
  id: 'SS-EKS-001',
  title: 'All control-plane log types on',
  catalog: ['EKS-01'],
  severity: ERROR,
  kinds: ['aws_eks_cluster'],
  message: 'Not every control-plane log type is enabled',
  fix: 'set enabled_cluster_log_types to ["api", "audit", "authenticator", "controllerManager", "scheduler"]',
  rationale: 'The API, audit, authenticator, controller-manager and scheduler logs are the record of who did what to the cluster; EKS keeps none of them unless asked.',
  sources: ['Checkov CKV_AWS_37', 'Trivy AWS-0038', 'CIS EKS 2.1.1', 'EKS Best Practices: enable audit logs'],
  check: (doc) => {
    const enabled = list(doc.manifest.enabled_cluster_log_types);
    return TYPES.filter((t) => !enabled.includes(t))
      .map((t) => at('enabled_cluster_log_types', `control-plane log type "${t}" is not enabled`));
  },
});
