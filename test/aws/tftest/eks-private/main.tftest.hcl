# examples/eks-private, planned against a mocked AWS provider.
mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "210987654321" }
  }
}

run "plan" {
  command = plan

  assert {
    condition     = aws_eks_cluster.payments-prod_cluster_60314DEA.vpc_config[0].endpoint_public_access == false && aws_eks_cluster.payments-prod_cluster_60314DEA.vpc_config[0].endpoint_private_access
    error_message = "private API endpoint only"
  }
  assert {
    condition     = aws_vpc_endpoint.endpoints_s3_6279BB42.vpc_endpoint_type == "Gateway" && aws_vpc_endpoint.endpoints_s3_6279BB42.service_name == "com.amazonaws.eu-central-1.s3"
    error_message = "S3 is a gateway endpoint"
  }
  assert {
    condition = alltrue([for e in [
      aws_vpc_endpoint.endpoints_ecr-api_7E5A1F17,
      aws_vpc_endpoint.endpoints_ecr-dkr_13D062EC,
      aws_vpc_endpoint.endpoints_sts_3937C745,
      aws_vpc_endpoint.endpoints_ec2_B36499F0,
      aws_vpc_endpoint.endpoints_elasticloadbalancing_51B7874B,
      aws_vpc_endpoint.endpoints_logs_7D54C327,
      aws_vpc_endpoint.endpoints_eks-auth_52887460,
      aws_vpc_endpoint.endpoints_eks_CBAC771F,
      aws_vpc_endpoint.endpoints_sqs_DC847514,
      aws_vpc_endpoint.endpoints_ssm_4044DB33,
      aws_vpc_endpoint.endpoints_ssmmessages_2A08DB6D,
      aws_vpc_endpoint.endpoints_ec2messages_ED6549DF,
    ] : e.vpc_endpoint_type == "Interface" && e.private_dns_enabled && startswith(e.service_name, "com.amazonaws.eu-central-1.")])
    error_message = "every other endpoint is an interface endpoint with private DNS"
  }
  assert {
    condition     = aws_vpc_endpoint.endpoints_ecr-dkr_13D062EC.service_name == "com.amazonaws.eu-central-1.ecr.dkr" && aws_vpc_endpoint.endpoints_sqs_DC847514.service_name == "com.amazonaws.eu-central-1.sqs"
    error_message = "ECR registry and SQS (Karpenter) endpoints"
  }
  assert {
    condition     = aws_vpc_security_group_ingress_rule.endpoints_https-from-vpc_9DF40536.from_port == 443 && aws_vpc_security_group_ingress_rule.endpoints_https-from-vpc_9DF40536.to_port == 443 && aws_vpc_security_group_ingress_rule.endpoints_https-from-vpc_9DF40536.cidr_ipv4 == "10.70.0.0/16"
    error_message = "the endpoints admit HTTPS from the VPC only"
  }
  assert {
    condition     = aws_iam_instance_profile.karpenter_instance-profile_BB3F97C7.name == "payments-prod-karpenter-node" && aws_iam_role.karpenter_node-role_64254103.name == "payments-prod-karpenter-node"
    error_message = "Karpenter nodes get a Terraform-managed instance profile for the node role"
  }
  assert {
    condition     = aws_sqs_queue.karpenter_queue_0EDB470C.name == "payments-prod-karpenter"
    error_message = "the interruption queue"
  }
}

run "refuse_wrong_account" {
  command = plan

  override_data {
    target = data.aws_caller_identity.shipshape-aws-context_caller_16EBA12E
    values = { account_id = "123456789012" }
  }
  expect_failures = [data.aws_caller_identity.shipshape-aws-context_caller_16EBA12E]
}
