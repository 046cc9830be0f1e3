# examples/platform, planned against a mocked AWS provider (run by test/platform.test.ts).
mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = { partition = "aws", dns_suffix = "amazonaws.com" }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
}

run "plan" {
  command = plan

  assert {
    condition     = length(aws_eks_node_group.shop-prod_general_node-group_11A191BE.taint) == 0 && aws_eks_node_group.shop-prod_general_node-group_11A191BE.capacity_type == "ON_DEMAND"
    error_message = "the general pool has no taint: workloads that name no pool land there"
  }
  assert {
    condition     = [for t in aws_eks_node_group.shop-prod_system_node-group_73098A35.taint : "${t.key}=${t.value}:${t.effect}"] == ["CriticalAddonsOnly=true:NO_SCHEDULE"]
    error_message = "the system pool is tainted CriticalAddonsOnly"
  }
  assert {
    condition     = [for t in aws_eks_node_group.shop-prod_batch-spot_node-group_03953B26.taint : "${t.key}=${t.value}:${t.effect}"] == ["shipshape.dev/spot=true:NO_SCHEDULE"] && aws_eks_node_group.shop-prod_batch-spot_node-group_03953B26.capacity_type == "SPOT"
    error_message = "the batch pool is spot capacity, tainted shipshape.dev/spot"
  }
  assert {
    condition     = aws_eks_pod_identity_association.shop-prod_orders-worker_association_E0BC3544.namespace == "shop" && aws_eks_pod_identity_association.shop-prod_orders-worker_association_E0BC3544.service_account == "orders-worker"
    error_message = "the orders worker's role is bound to shop/orders-worker"
  }
  assert {
    condition     = aws_eks_pod_identity_association.shop-prod_thumbnailer_association_E9BC1163.namespace == "shop" && aws_eks_pod_identity_association.shop-prod_thumbnailer_association_E9BC1163.service_account == "thumbnailer"
    error_message = "the thumbnailer's role is bound to shop/thumbnailer"
  }
  assert {
    condition     = aws_eks_pod_identity_association.shop-prod_load-balancer-controller_identity_association_39100F1F.namespace == "kube-system" && aws_eks_pod_identity_association.shop-prod_load-balancer-controller_identity_association_39100F1F.service_account == "aws-load-balancer-controller"
    error_message = "the load balancer controller's role is bound to kube-system/aws-load-balancer-controller"
  }
  assert {
    condition     = aws_iam_role.shop-prod_orders-worker_role_00DC7544.name == "shop-prod-orders-worker" && jsondecode(aws_iam_role.shop-prod_orders-worker_role_00DC7544.assume_role_policy).Statement[0].Principal.Service == "pods.eks.amazonaws.com"
    error_message = "the orders worker's role trusts EKS Pod Identity"
  }
  assert {
    condition     = aws_iam_role.shop-prod_load-balancer-controller_identity_role_8F007B00.name == "shop-prod-aws-load-balancer-controller"
    error_message = "the controller's role is named for the cluster"
  }
  assert {
    condition     = aws_kms_alias.shop-prod_key-alias_74668F94.name == "alias/eks/shop-prod"
    error_message = "the cluster key has the alias the gp3 StorageClass names"
  }
  assert {
    condition     = alltrue([for r in aws_s3_bucket_server_side_encryption_configuration.assets-encryption.rule : r.apply_server_side_encryption_by_default[0].sse_algorithm == "aws:kms"])
    error_message = "the assets bucket is encrypted with KMS"
  }
  assert {
    condition     = aws_sqs_queue.orders.name == "shop-prod-orders" && aws_sqs_queue.orders.visibility_timeout_seconds == 120
    error_message = "the orders queue"
  }
  assert {
    condition = alltrue([for s in [
      aws_subnet.network_private-eu-west-1a_FB3BA8C3,
      aws_subnet.network_private-eu-west-1b_582BEE64,
      aws_subnet.network_private-eu-west-1c_CAAA377A,
    ] : s.tags["kubernetes.io/role/internal-elb"] == "1"])
    error_message = "private subnets are discovered for internal load balancers"
  }
  assert {
    condition = alltrue([for s in [
      aws_subnet.network_public-eu-west-1a_40A46C4D,
      aws_subnet.network_public-eu-west-1b_1FB03FFC,
      aws_subnet.network_public-eu-west-1c_92EB691D,
    ] : s.tags["kubernetes.io/role/elb"] == "1"])
    error_message = "public subnets are discovered for internet-facing load balancers"
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
