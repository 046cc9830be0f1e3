import { Violation } from '../../rule';
import { at, block, ERROR, isFalse, tfRule } from '../define';

/** SS-EKS-008: access entries (authentication mode API) and no implicit cluster-creator admin. */
export const EKS_08 = tfRule({
  id: 'SS-EKS-008',
  title: 'Access entries, no implicit creator admin',
  catalog: ['EKS-08'],
  severity: ERROR,
  kinds: ['aws_eks_cluster'],
  message: 'Cluster access is not managed by access entries, or the creator gets implicit cluster-admin',
  fix: 'set access_config { authentication_mode = "API", bootstrap_cluster_creator_admin_permissions = false } and grant access with aws_eks_access_entry + aws_eks_access_policy_association',
  rationale: 'Access entries make cluster access reviewable AWS resources; the creator\'s implicit cluster-admin is an invisible grant that outlives the person or pipeline that made the cluster.',
  sources: ['CIS EKS 4.1.7, 5.5.1', 'EKS Best Practices: cluster access manager; remove the cluster-admin permissions from the cluster creator principal'],
  check: (doc) => {
    const ac = block(doc.manifest.access_config);
    const v: Violation[] = [];
    if (!['API', 'API_AND_CONFIG_MAP'].includes(ac?.authentication_mode)) {
      v.push(at('access_config.authentication_mode', 'authentication_mode is not API (the aws-auth ConfigMap is in use)'));
    }
    if (!isFalse(ac?.bootstrap_cluster_creator_admin_permissions)) {
      v.push(at('access_config.bootstrap_cluster_creator_admin_permissions', 'the cluster creator gets implicit cluster-admin'));
    }
    return v;
  },
});
