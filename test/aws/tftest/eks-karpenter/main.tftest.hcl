# examples/eks-karpenter, planned against a mocked AWS provider.
mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
}

variables {
  admin_role_arn = "arn:aws:iam::123456789012:role/platform-admin"
}

run "plan" {
  command = plan

  assert {
    condition     = aws_sqs_queue.karpenter_queue_0EDB470C.name == "shop-prod-karpenter" && aws_sqs_queue.karpenter_queue_0EDB470C.message_retention_seconds == 300 && aws_sqs_queue.karpenter_queue_0EDB470C.sqs_managed_sse_enabled
    error_message = "the interruption queue is shop-prod-karpenter, encrypted, keeping messages 5 minutes"
  }
  assert {
    condition = [for r in [
      aws_cloudwatch_event_rule.karpenter_spot-interruption_FFADE048,
      aws_cloudwatch_event_rule.karpenter_rebalance_3D920289,
      aws_cloudwatch_event_rule.karpenter_instance-state-change_4305A674,
      aws_cloudwatch_event_rule.karpenter_scheduled-change_21701C70,
      aws_cloudwatch_event_rule.karpenter_capacity-reservation-interruption_DF345D2A,
      ] : jsondecode(r.event_pattern)["detail-type"][0]] == [
      "EC2 Spot Instance Interruption Warning",
      "EC2 Instance Rebalance Recommendation",
      "EC2 Instance State-change Notification",
      "AWS Health Event",
      "EC2 Capacity Reservation Instance Interruption Warning",
    ]
    error_message = "one EventBridge rule per interruption event"
  }
  assert {
    condition     = aws_cloudwatch_event_target.karpenter_spot-interruption-target_EE9414C2.rule == "shop-prod-karpenter-spot-interruption"
    error_message = "the spot interruption rule targets the queue"
  }
  assert {
    condition     = aws_iam_role.karpenter_node-role_64254103.name == "shop-prod-karpenter-node" && aws_eks_access_entry.karpenter_node-access-entry_C6226A8C.type == "EC2_LINUX"
    error_message = "the node role shop-prod-karpenter-node has an EC2_LINUX access entry"
  }
  assert {
    condition     = aws_eks_pod_identity_association.karpenter_controller_association_567B1B68.namespace == "kube-system" && aws_eks_pod_identity_association.karpenter_controller_association_567B1B68.service_account == "karpenter"
    error_message = "the controller identity is bound to kube-system/karpenter through Pod Identity"
  }
  assert {
    condition     = aws_iam_role.karpenter_controller_role_B949CF60.name == "shop-prod-karpenter" && contains(jsondecode(aws_iam_role.karpenter_controller_role_B949CF60.assume_role_policy).Statement[0].Action, "sts:TagSession")
    error_message = "the controller role trusts EKS Pod Identity"
  }
  assert {
    condition = alltrue([for s in [
      aws_subnet.network_private-eu-west-1a_FB3BA8C3,
      aws_subnet.network_private-eu-west-1b_582BEE64,
      aws_subnet.network_private-eu-west-1c_CAAA377A,
    ] : s.tags["karpenter.sh/discovery"] == "shop-prod"])
    error_message = "every private subnet carries karpenter.sh/discovery = shop-prod"
  }
  assert {
    condition     = !contains(keys(aws_subnet.network_public-eu-west-1a_40A46C4D.tags), "karpenter.sh/discovery")
    error_message = "public subnets are not discovered"
  }
  assert {
    condition     = aws_ec2_tag.karpenter_cluster-sg-discovery_A21938A4.key == "karpenter.sh/discovery" && aws_ec2_tag.karpenter_cluster-sg-discovery_A21938A4.value == "shop-prod"
    error_message = "the cluster security group carries the discovery tag"
  }
  assert {
    condition     = aws_eks_cluster.shop-prod_cluster_68787C4D.zonal_shift_config[0].enabled && aws_eks_cluster.shop-prod_cluster_68787C4D.upgrade_policy[0].support_type == "STANDARD"
    error_message = "zonal shift on, standard support"
  }
  assert {
    condition     = aws_eks_node_group.shop-prod_system_node-group_73098A35.node_repair_config[0].enabled && aws_eks_node_group.shop-prod_system_node-group_73098A35.update_config[0].max_unavailable_percentage == 33
    error_message = "node auto-repair on, a third of the nodes replaced at once"
  }
  assert {
    condition     = aws_eks_access_policy_association.shop-prod_access-123456789012-role-shop-developers-edit_C35F247A.access_scope[0].type == "namespace" && aws_eks_access_policy_association.shop-prod_access-123456789012-role-shop-developers-edit_C35F247A.access_scope[0].namespaces == toset(["shop"]) && endswith(aws_eks_access_policy_association.shop-prod_access-123456789012-role-shop-developers-edit_C35F247A.policy_arn, "/AmazonEKSEditPolicy")
    error_message = "the shop developers edit the shop namespace only"
  }
  assert {
    condition     = aws_eks_access_entry.shop-prod_admin-0_6513B020.principal_arn == "arn:aws:iam::123456789012:role/platform-admin" && endswith(aws_eks_access_policy_association.shop-prod_admin-0-policy_BE85DEE5.policy_arn, "/AmazonEKSClusterAdminPolicy")
    error_message = "the admin variable is the cluster admin"
  }
  assert {
    condition     = output.shop_prod_update_kubeconfig == "aws eks update-kubeconfig --region eu-west-1 --name shop-prod"
    error_message = "the kubeconfig command names the cluster and its region"
  }
}

run "upgrade_by_one_minor_version" {
  command = plan

  override_data {
    target = data.aws_eks_clusters.shop-prod_existing-clusters_AD104124
    values = { names = ["shop-prod"] }
  }
  override_data {
    target = data.aws_eks_cluster.shop-prod_running_3FEEAB17
    values = { version = "1.32" }
  }
}

run "refuse_wrong_account" {
  command = plan

  override_data {
    target = data.aws_caller_identity.shipshape-aws-context_caller_16EBA12E
    values = { account_id = "999999999999" }
  }
  expect_failures = [data.aws_caller_identity.shipshape-aws-context_caller_16EBA12E]
}

run "refuse_admin_that_is_not_a_role" {
  command = plan

  variables {
    admin_role_arn = "platform-admin"
  }
  expect_failures = [var.admin_role_arn]
}

run "refuse_upgrade_skipping_a_minor_version" {
  command = plan

  override_data {
    target = data.aws_eks_clusters.shop-prod_existing-clusters_AD104124
    values = { names = ["shop-prod"] }
  }
  override_data {
    target = data.aws_eks_cluster.shop-prod_running_3FEEAB17
    values = { version = "1.31" }
  }
  expect_failures = [aws_eks_cluster.shop-prod_cluster_68787C4D]
}

run "refuse_downgrade" {
  command = plan

  override_data {
    target = data.aws_eks_clusters.shop-prod_existing-clusters_AD104124
    values = { names = ["shop-prod"] }
  }
  override_data {
    target = data.aws_eks_cluster.shop-prod_running_3FEEAB17
    values = { version = "1.34" }
  }
  expect_failures = [aws_eks_cluster.shop-prod_cluster_68787C4D]
}
