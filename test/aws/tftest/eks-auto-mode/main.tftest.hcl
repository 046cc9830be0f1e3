# examples/eks-auto-mode, planned against a mocked AWS provider.
mock_provider "aws" {}

run "plan" {
  command = plan

  assert {
    condition     = aws_eks_cluster.web-staging_cluster_A1FDE3E1.compute_config[0].enabled && aws_eks_cluster.web-staging_cluster_A1FDE3E1.compute_config[0].node_pools == toset(["system", "general-purpose"])
    error_message = "Auto Mode compute with both built-in node pools"
  }
  assert {
    condition     = aws_eks_cluster.web-staging_cluster_A1FDE3E1.storage_config[0].block_storage[0].enabled && aws_eks_cluster.web-staging_cluster_A1FDE3E1.kubernetes_network_config[0].elastic_load_balancing[0].enabled
    error_message = "Auto Mode block storage and load balancing"
  }
  assert {
    condition     = aws_eks_cluster.web-staging_cluster_A1FDE3E1.bootstrap_self_managed_addons == false && aws_eks_cluster.web-staging_cluster_A1FDE3E1.upgrade_policy[0].support_type == "EXTENDED"
    error_message = "no self-managed add-ons; extended support as configured"
  }
  assert {
    condition     = aws_eks_cluster.web-staging_cluster_A1FDE3E1.access_config[0].authentication_mode == "API" && aws_eks_cluster.web-staging_cluster_A1FDE3E1.zonal_shift_config[0].enabled
    error_message = "access entries only; zonal shift on in staging"
  }
  assert {
    condition     = jsondecode(aws_iam_role.web-staging_role_17BDD8EA.assume_role_policy).Statement[0].Action == ["sts:AssumeRole", "sts:TagSession"]
    error_message = "the cluster role lets Auto Mode tag its sessions"
  }
  assert {
    condition = [for a in [
      aws_iam_role_policy_attachment.web-staging_cluster-policy_CF122083,
      aws_iam_role_policy_attachment.web-staging_AmazonEKSComputePolicy_CEA99306,
      aws_iam_role_policy_attachment.web-staging_AmazonEKSBlockStoragePolicy_5473FA75,
      aws_iam_role_policy_attachment.web-staging_AmazonEKSLoadBalancingPolicy_E59BE003,
      aws_iam_role_policy_attachment.web-staging_AmazonEKSNetworkingPolicy_5235C6BC,
    ] : a.policy_arn] == [for p in ["AmazonEKSClusterPolicy", "AmazonEKSComputePolicy", "AmazonEKSBlockStoragePolicy", "AmazonEKSLoadBalancingPolicy", "AmazonEKSNetworkingPolicy"] : "arn:aws:iam::aws:policy/${p}"]
    error_message = "the cluster role holds the four Auto Mode policies"
  }
  assert {
    condition     = aws_iam_role.web-staging_auto-node-role_5E762B69.name == "web-staging-auto-node" && aws_iam_role_policy_attachment.web-staging_auto-node-AmazonEKSWorkerNodeMinimalPolicy_F7765216.policy_arn == "arn:aws:iam::aws:policy/AmazonEKSWorkerNodeMinimalPolicy" && aws_iam_role_policy_attachment.web-staging_auto-node-AmazonEC2ContainerRegistryPullOnly_E256733C.policy_arn == "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly"
    error_message = "the Auto Mode node role holds the minimal worker and pull-only policies"
  }
  assert {
    condition     = aws_eks_pod_identity_association.web-staging_assets_association_452EF54F.namespace == "web" && aws_eks_pod_identity_association.web-staging_assets_association_452EF54F.service_account == "assets"
    error_message = "the assets identity is bound to web/assets"
  }
  assert {
    condition     = output.web_staging_update_kubeconfig == "aws eks update-kubeconfig --region us-east-2 --name web-staging"
    error_message = "the kubeconfig command"
  }
}
