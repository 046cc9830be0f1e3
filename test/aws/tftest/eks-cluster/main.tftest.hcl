# examples/eks-cluster, planned against a mocked AWS provider.
mock_provider "aws" {}

run "plan" {
  command = plan

  assert {
    condition     = aws_eks_cluster.shop-prod_cluster_68787C4D.version == "1.33" && aws_eks_cluster.shop-prod_cluster_68787C4D.access_config[0].bootstrap_cluster_creator_admin_permissions == false
    error_message = "pinned version; no implicit creator admin"
  }
  assert {
    condition     = length(aws_eks_cluster.shop-prod_cluster_68787C4D.enabled_cluster_log_types) == 5 && aws_eks_cluster.shop-prod_cluster_68787C4D.zonal_shift_config[0].enabled
    error_message = "every control-plane log type; zonal shift on"
  }
  assert {
    condition     = aws_eks_node_group.shop-prod_batch-spot_node-group_03953B26.capacity_type == "SPOT" && aws_eks_node_group.shop-prod_batch-spot_node-group_03953B26.node_repair_config[0].enabled
    error_message = "the spot pool repairs its nodes"
  }
  assert {
    condition     = aws_eks_addon.shop-prod_addon-kube-proxy_5DFFD116.addon_version == "v1.33.5-eksbuild.2"
    error_message = "kube-proxy pinned for 1.33"
  }
  assert {
    condition     = output.shop_prod_update_kubeconfig == "aws eks update-kubeconfig --region eu-west-1 --name shop-prod"
    error_message = "the kubeconfig command"
  }
  assert {
    condition     = aws_eks_pod_identity_association.shop-prod_cluster-autoscaler_identity_association_13A5C282.namespace == "kube-system" && aws_eks_pod_identity_association.shop-prod_cluster-autoscaler_identity_association_13A5C282.service_account == "cluster-autoscaler"
    error_message = "the node pools can grow: the cluster-autoscaler's Pod Identity names kube-system/cluster-autoscaler"
  }
  assert {
    condition     = jsondecode(aws_iam_role.shop-prod_cluster-autoscaler_identity_role_678D7758.assume_role_policy).Statement[0].Condition.StringEquals == { "aws:RequestTag/eks-cluster-arn" = "arn:aws:eks:eu-west-1:${data.aws_caller_identity.shipshape-aws-context_caller_16EBA12E.account_id}:cluster/shop-prod", "aws:RequestTag/kubernetes-namespace" = "kube-system", "aws:RequestTag/kubernetes-service-account" = "cluster-autoscaler" }
    error_message = "the autoscaler's role trusts this cluster's kube-system/cluster-autoscaler only"
  }
  assert {
    condition     = jsondecode(aws_iam_role_policy.shop-prod_cluster-autoscaler_identity_policy_128A20D8.policy).Statement[1].Action == ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"] && jsondecode(aws_iam_role_policy.shop-prod_cluster-autoscaler_identity_policy_128A20D8.policy).Statement[1].Condition.StringEquals == { "aws:ResourceTag/k8s.io/cluster-autoscaler/shop-prod" = ["owned"] }
    error_message = "the autoscaler scales only Auto Scaling groups tagged for shop-prod"
  }
  assert {
    condition     = endswith(jsondecode(aws_iam_role_policy.shop-prod_cluster-autoscaler_identity_policy_128A20D8.policy).Statement[2].Resource[0], ":nodegroup/shop-prod/*/*")
    error_message = "eks:DescribeNodegroup on the cluster's node groups only"
  }
}

run "refuse_upgrade_skipping_a_minor_version" {
  command = plan

  override_data {
    target = data.aws_eks_clusters.shop-prod_existing-clusters_AD104124
    values = { names = ["other", "shop-prod"] }
  }
  override_data {
    target = data.aws_eks_cluster.shop-prod_running_3FEEAB17
    values = { version = "1.31" }
  }
  expect_failures = [aws_eks_cluster.shop-prod_cluster_68787C4D]
}

run "refuse_zone_the_account_lacks" {
  command = plan

  override_data {
    target = data.aws_availability_zones.network_zones_2241F3F0
    values = { names = ["eu-west-1a", "eu-west-1b", "eu-west-1d"] }
  }
  expect_failures = [data.aws_availability_zones.network_zones_2241F3F0]
}
