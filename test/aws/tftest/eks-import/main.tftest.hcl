# examples/eks-import, planned against a mocked AWS provider: the existing VPC, subnets and cluster
# are data sources, so their mocked values decide which plan-time checks pass.
mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  mock_data "aws_vpc" {
    defaults = { id = "vpc-0a1b2c3d4e5f60718", cidr_block = "10.80.0.0/16", enable_dns_support = true, enable_dns_hostnames = true }
  }
  mock_data "aws_subnet" {
    defaults = { vpc_id = "vpc-0a1b2c3d4e5f60718", map_public_ip_on_launch = false }
  }
  mock_data "aws_eks_cluster" {
    defaults = {
      name                  = "analytics-prod"
      version               = "1.32"
      endpoint              = "https://0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com"
      certificate_authority = [{ data = "LS0tLS1CRUdJTg==" }]
      identity              = [{ oidc = [{ issuer = "https://oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF" }] }]
      access_config         = [{ authentication_mode = "API", bootstrap_cluster_creator_admin_permissions = false }]
      vpc_config = [{
        vpc_id                    = "vpc-0a1b2c3d4e5f60718"
        cluster_security_group_id = "sg-0123456789abcdef0"
        endpoint_private_access   = true
        endpoint_public_access    = false
        public_access_cidrs       = []
        security_group_ids        = []
        subnet_ids                = ["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60712", "subnet-0a1b2c3d4e5f60713"]
      }]
    }
  }
}

override_data {
  target = data.aws_subnet.network_private-0_A0649C48
  values = { id = "subnet-0a1b2c3d4e5f60711", vpc_id = "vpc-0a1b2c3d4e5f60718", map_public_ip_on_launch = false, availability_zone = "eu-west-1a" }
}
override_data {
  target = data.aws_subnet.network_private-1_4188AF2B
  values = { id = "subnet-0a1b2c3d4e5f60712", vpc_id = "vpc-0a1b2c3d4e5f60718", map_public_ip_on_launch = false, availability_zone = "eu-west-1b" }
}
override_data {
  target = data.aws_subnet.network_private-2_96169D1F
  values = { id = "subnet-0a1b2c3d4e5f60713", vpc_id = "vpc-0a1b2c3d4e5f60718", map_public_ip_on_launch = false, availability_zone = "eu-west-1c" }
}

run "plan" {
  command = plan

  assert {
    condition     = aws_eks_node_group.analytics_spark_node-group_AE8A94EB.cluster_name == "analytics-prod" && aws_eks_node_group.analytics_spark_node-group_AE8A94EB.version == "1.32"
    error_message = "the pool joins the existing cluster at its running version"
  }
  assert {
    condition     = aws_eks_node_group.analytics_spark_node-group_AE8A94EB.subnet_ids == toset(["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60712", "subnet-0a1b2c3d4e5f60713"])
    error_message = "the pool uses the existing private subnets"
  }
  assert {
    condition     = aws_launch_template.analytics_spark_launch-template_080DA517.network_interfaces[0].security_groups == toset(["sg-0123456789abcdef0"])
    error_message = "nodes join the cluster security group read from the existing cluster"
  }
  assert {
    condition     = aws_eks_pod_identity_association.analytics_reports_association_F3E09D67.cluster_name == "analytics-prod" && aws_eks_pod_identity_association.analytics_reports_association_F3E09D67.service_account == "reports"
    error_message = "the identity is associated in the existing cluster"
  }
  assert {
    condition     = aws_eks_access_policy_association.analytics_access-123456789012-role-data-engineers-edit_8FE6AA02.access_scope[0].namespaces == toset(["reports", "spark"])
    error_message = "the data engineers edit two namespaces"
  }
}

run "refuse_version_mismatch" {
  command = plan

  override_data {
    target = data.aws_eks_cluster.analytics_cluster_248831F6
    values = {
      name                  = "analytics-prod"
      version               = "1.31"
      endpoint              = "https://0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com"
      certificate_authority = [{ data = "LS0tLS1CRUdJTg==" }]
      identity              = [{ oidc = [{ issuer = "https://oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF" }] }]
      access_config         = [{ authentication_mode = "API", bootstrap_cluster_creator_admin_permissions = false }]
      vpc_config = [{
        vpc_id                    = "vpc-0a1b2c3d4e5f60718"
        cluster_security_group_id = "sg-0123456789abcdef0"
        endpoint_private_access   = true
        endpoint_public_access    = false
        public_access_cidrs       = []
        security_group_ids        = []
        subnet_ids                = ["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60712", "subnet-0a1b2c3d4e5f60713"]
      }]
    }
  }
  expect_failures = [data.aws_eks_cluster.analytics_cluster_248831F6]
}

run "refuse_cluster_in_another_vpc" {
  command = plan

  override_data {
    target = data.aws_eks_cluster.analytics_cluster_248831F6
    values = {
      name                  = "analytics-prod"
      version               = "1.32"
      endpoint              = "https://0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com"
      certificate_authority = [{ data = "LS0tLS1CRUdJTg==" }]
      identity              = [{ oidc = [{ issuer = "https://oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF" }] }]
      access_config         = [{ authentication_mode = "API", bootstrap_cluster_creator_admin_permissions = false }]
      vpc_config = [{
        vpc_id                    = "vpc-0ffffffffffffffff"
        cluster_security_group_id = "sg-0123456789abcdef0"
        endpoint_private_access   = true
        endpoint_public_access    = false
        public_access_cidrs       = []
        security_group_ids        = []
        subnet_ids                = ["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60712", "subnet-0a1b2c3d4e5f60713"]
      }]
    }
  }
  expect_failures = [data.aws_eks_cluster.analytics_cluster_248831F6]
}

run "refuse_config_map_authentication" {
  command = plan

  override_data {
    target = data.aws_eks_cluster.analytics_cluster_248831F6
    values = {
      name                  = "analytics-prod"
      version               = "1.32"
      endpoint              = "https://0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com"
      certificate_authority = [{ data = "LS0tLS1CRUdJTg==" }]
      identity              = [{ oidc = [{ issuer = "https://oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF" }] }]
      access_config         = [{ authentication_mode = "CONFIG_MAP", bootstrap_cluster_creator_admin_permissions = false }]
      vpc_config = [{
        vpc_id                    = "vpc-0a1b2c3d4e5f60718"
        cluster_security_group_id = "sg-0123456789abcdef0"
        endpoint_private_access   = true
        endpoint_public_access    = false
        public_access_cidrs       = []
        security_group_ids        = []
        subnet_ids                = ["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60712", "subnet-0a1b2c3d4e5f60713"]
      }]
    }
  }
  expect_failures = [data.aws_eks_cluster.analytics_cluster_248831F6]
}

run "refuse_vpc_without_dns_hostnames" {
  command = plan

  override_data {
    target = data.aws_vpc.network_vpc_4E8F0223
    values = { id = "vpc-0a1b2c3d4e5f60718", cidr_block = "10.80.0.0/16", enable_dns_support = true, enable_dns_hostnames = false }
  }
  expect_failures = [data.aws_vpc.network_vpc_4E8F0223]
}

run "refuse_subnet_in_another_zone" {
  command = plan

  override_data {
    target = data.aws_subnet.network_private-1_4188AF2B
    values = { id = "subnet-0a1b2c3d4e5f60712", vpc_id = "vpc-0a1b2c3d4e5f60718", map_public_ip_on_launch = false, availability_zone = "eu-west-1c" }
  }
  expect_failures = [data.aws_subnet.network_private-1_4188AF2B]
}

run "refuse_subnet_with_public_ips" {
  command = plan

  override_data {
    target = data.aws_subnet.network_private-2_96169D1F
    values = { id = "subnet-0a1b2c3d4e5f60713", vpc_id = "vpc-0a1b2c3d4e5f60718", availability_zone = "eu-west-1c", map_public_ip_on_launch = true }
  }
  expect_failures = [data.aws_subnet.network_private-2_96169D1F]
}

run "refuse_subnet_of_another_vpc" {
  command = plan

  override_data {
    target = data.aws_subnet.network_private-0_A0649C48
    values = { id = "subnet-0a1b2c3d4e5f60711", map_public_ip_on_launch = false, availability_zone = "eu-west-1a", vpc_id = "vpc-0ffffffffffffffff" }
  }
  expect_failures = [data.aws_subnet.network_private-0_A0649C48]
}

run "refuse_wrong_account" {
  command = plan

  override_data {
    target = data.aws_caller_identity.shipshape-aws-context_caller_16EBA12E
    values = { account_id = "999999999999" }
  }
  expect_failures = [data.aws_caller_identity.shipshape-aws-context_caller_16EBA12E]
}
