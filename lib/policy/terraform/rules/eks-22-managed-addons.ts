import { at, block, list, parsePolicyText, refersTo, tfRule, WARNING } from '../define';

/** SS-EKS-022: vpc-cni, coredns and kube-proxy (and the pod identity agent when used) are managed add-ons; vpc-cni enforces network policy with its own identity. */
export const EKS_22 = tfRule({
  id: 'SS-EKS-022',
  title: 'Managed add-ons, network policy on',
  catalog: ['EKS-22'],
  severity: WARNING,
  kinds: ['aws_eks_cluster'],
  message: 'Core add-ons are not EKS managed add-ons, or vpc-cni lacks network policy or its own identity',
  fix: 'add aws_eks_addon for vpc-cni (service_account_role_arn + configuration_values = {"enableNetworkPolicy":"true"}), coredns, kube-proxy and eks-pod-identity-agent',
  rationale: 'Managed add-ons are versioned and upgraded with the cluster; the vpc-cni add-on enforces NetworkPolicy only when enableNetworkPolicy is on, and its credentials belong on its own role, not the node\'s.',
  sources: ['CIS EKS 4.3.1, 5.4.4', 'EKS Best Practices: migrate to EKS add-ons'],
  check: (doc, index) => {
    const addons = index.ofKind('aws_eks_addon').filter((a) => refersTo(a.manifest.cluster_name, doc, 'name'));
    const byName = new Map(addons.map((a) => [a.manifest.addon_name, a]));
    const usesPodIdentity = index.ofKind('aws_eks_pod_identity_association').some((a) => refersTo(a.manifest.cluster_name, doc, 'name'));
    const wanted = ['vpc-cni', 'coredns', 'kube-proxy', ...(usesPodIdentity ? ['eks-pod-identity-agent'] : [])];
    const v = wanted.filter((n) => !byName.has(n)).map((n) => at('name', `no managed add-on ${n}`));
    const cni = byName.get('vpc-cni');
    if (cni) {
      const hasIdentity = !!cni.manifest.service_account_role_arn || list(cni.manifest.pod_identity_association).length > 0
        || index.ofKind('aws_eks_pod_identity_association').some((a) => a.manifest.service_account === 'aws-node' && refersTo(a.manifest.cluster_name, doc, 'name'));
      if (!hasIdentity) v.push(at('name', `add-on ${cni.name} (vpc-cni) has no identity of its own (the CNI policy would sit on the node role)`));
      const config = parsePolicyText(cni.manifest.configuration_values);
      if (String(block(config)?.enableNetworkPolicy) !== 'true') v.push(at('name', `add-on ${cni.name} (vpc-cni) does not set enableNetworkPolicy = "true"`));
    }
    return v;
  },
});
