import { Testing } from 'cdktf';
import { errorOf, network, newStack, resourceAt, resources, synth } from './util';
import * as aws from '../../lib/aws';

describe('aws.VpcEndpoints', () => {
  const stack = newStack();
  const net = network(stack);
  const endpoints = new aws.VpcEndpoints(stack, 'endpoints', { network: net });
  const json = synth(stack);

  test('defaults: what EKS nodes need', () => {
    expect(endpoints.services).toEqual(['s3', 'ecr.api', 'ecr.dkr', 'sts', 'ec2', 'elasticloadbalancing', 'logs', 'eks-auth', 'ssm', 'ssmmessages', 'ec2messages']);
    expect(resources(json, 'aws_vpc_endpoint').map((e) => e.service_name).sort()).toEqual(endpoints.services.map((s) => `com.amazonaws.eu-west-1.${s}`).sort());
  });

  test('S3: a gateway endpoint on the private route tables', () => {
    const s3 = resourceAt(json, 'aws_vpc_endpoint', 'endpoints_s3');
    expect(s3.vpc_endpoint_type).toBe('Gateway');
    expect(s3.route_table_ids).toEqual(['a', 'b', 'c'].map((z) => expect.stringMatching(new RegExp(`^\\$\\{aws_route_table\\.net_private-eu-west-1${z}-rt_[0-9A-F]+\\.id\\}$`))));
    expect(s3.subnet_ids).toBeUndefined();
  });

  test('interface endpoints: private DNS, the private subnets, the endpoint security group', () => {
    for (const e of resources(json, 'aws_vpc_endpoint').filter((x) => x.vpc_endpoint_type === 'Interface')) {
      expect(e.private_dns_enabled).toBe(true);
      expect(e.subnet_ids).toHaveLength(3);
      expect(e.subnet_ids[0]).toContain('net_private-eu-west-1a');
      expect(e.security_group_ids).toEqual([expect.stringMatching(/^\$\{aws_security_group\.endpoints_security-group_[0-9A-F]+\.id\}$/)]);
    }
  });

  test('the security group admits HTTPS from the VPC CIDR only, and has no rule besides', () => {
    const sg = resourceAt(json, 'aws_security_group', 'endpoints_security-group');
    expect(sg.ingress).toBeUndefined();
    expect(sg.egress).toBeUndefined();
    const rules = resources(json, 'aws_vpc_security_group_ingress_rule');
    expect(rules).toEqual([expect.objectContaining({ from_port: 443, to_port: 443, ip_protocol: 'tcp', cidr_ipv4: '10.0.0.0/16' })]);
    expect(resources(json, 'aws_vpc_security_group_egress_rule')).toEqual([]);
  });

  test('addService and interfaceEndpoint', () => {
    const s = newStack();
    const e = new aws.VpcEndpoints(s, 'endpoints', { network: network(s), services: [aws.VpcEndpointService.SQS] });
    e.addService(aws.VpcEndpointService.interfaceEndpoint('secretsmanager'));
    expect(resources(synth(s), 'aws_vpc_endpoint').map((x) => x.service_name).sort()).toEqual(['com.amazonaws.eu-west-1.secretsmanager', 'com.amazonaws.eu-west-1.sqs']);
  });

  test('refused: a service twice', () => {
    const s = newStack();
    expect(errorOf(() => new aws.VpcEndpoints(s, 'endpoints', { network: network(s), services: [aws.VpcEndpointService.STS, aws.VpcEndpointService.STS] }))).toBe(
      'test/endpoints: services ("sts") appears twice; list each service once');
  });

  test('refused: a gateway endpoint on an imported network without route tables', () => {
    const s = newStack();
    const imported = aws.Network.fromNetworkAttributes(s, 'net', {
      vpcId: 'vpc-0a1b2c3d4e5f60718',
      region: 'eu-west-1',
      availabilityZones: ['eu-west-1a', 'eu-west-1b'],
      privateSubnetIds: ['subnet-0a1b2c3d4e5f60711', 'subnet-0a1b2c3d4e5f60712'],
      tags: { team: 't', environment: 'e', costCentre: 'c' },
    });
    expect(errorOf(() => new aws.VpcEndpoints(s, 'endpoints', { network: imported }))).toBe(
      'test/endpoints: services ("s3") needs the private route tables of the network for a gateway endpoint, and the network lists none; '
      + 'pass privateRouteTableIds to Network.fromNetworkAttributes, or leave this service out');
  });
});

describe('an isolated network (internetAccess: false)', () => {
  test('no internet gateway, NAT, public subnet or default route', () => {
    const stack = newStack();
    const net = network(stack, { internetAccess: false });
    const json = synth(stack);
    for (const t of ['aws_internet_gateway', 'aws_nat_gateway', 'aws_eip', 'aws_route']) expect(resources(json, t)).toEqual([]);
    expect(resources(json, 'aws_subnet')).toHaveLength(3);
    expect(net.publicSubnetIds).toEqual([]);
    expect(net.natGatewayPerZone).toBe(false);
    expect(net.privateRouteTableIds).toHaveLength(3);
  });

  test('a cluster in it is refused at synth until the endpoints nodes need exist', () => {
    const stack = newStack();
    const net = network(stack, { internetAccess: false });
    new aws.VpcEndpoints(stack, 'endpoints', { network: net, services: [aws.VpcEndpointService.S3, aws.VpcEndpointService.STS] });
    new aws.EksCluster(stack, 'prod', { network: net, version: aws.KubernetesVersion.V1_33, admins: ['arn:aws:iam::123456789012:role/admin'] });
    expect(() => Testing.synth(stack, true)).toThrow(
      'test/prod: network (test/net) has no internet access and no VPC endpoint for ecr.api, ecr.dkr, ec2, eks-auth, which nodes need to join the cluster and pull images; '
      + 'add a VpcEndpoints construct for the network (its default services cover them)');
  });

  test('with the default endpoints it synthesizes', () => {
    const stack = newStack();
    const net = network(stack, { internetAccess: false });
    new aws.VpcEndpoints(stack, 'endpoints', { network: net });
    new aws.EksCluster(stack, 'prod', { network: net, version: aws.KubernetesVersion.V1_33, admins: ['arn:aws:iam::123456789012:role/admin'] }).addNodePool('system');
    expect(() => Testing.synth(stack, true)).not.toThrow();
  });

  test('the cluster\'s profile says so, with the VPC CIDR (workloads with an AWS identity then reach HTTPS in the VPC only)', () => {
    const stack = newStack();
    const net = network(stack, { internetAccess: false });
    new aws.VpcEndpoints(stack, 'endpoints', { network: net });
    const cluster = new aws.EksCluster(stack, 'prod', { network: net, version: aws.KubernetesVersion.V1_33, admins: ['arn:aws:iam::123456789012:role/admin'] });
    expect(cluster.profile.internetAccess).toBe(false);
    expect(cluster.profile.vpcCidr).toBe(net.vpcCidr);
    const other = newStack();
    const open = new aws.EksCluster(other, 'prod', { network: network(other), version: aws.KubernetesVersion.V1_33, admins: ['arn:aws:iam::123456789012:role/admin'] });
    expect(open.profile.internetAccess).toBe(true);
  });

  test('a workload identity that calls SQS needs the SQS endpoint there (its pods\' SDK calls would time out)', () => {
    const stack = newStack();
    const net = network(stack, { internetAccess: false });
    new aws.VpcEndpoints(stack, 'endpoints', { network: net });
    const cluster = new aws.EksCluster(stack, 'prod', { network: net, version: aws.KubernetesVersion.V1_33, admins: ['arn:aws:iam::123456789012:role/admin'] });
    cluster.addNodePool('system');
    cluster.addWorkloadIdentity('orders', { namespace: 'shop', serviceAccount: 'orders' }).grantConsumeMessagesByArn('arn:aws:sqs:eu-west-1:123456789012:orders');
    expect(() => Testing.synth(stack, true)).toThrow(
      'test/prod/orders: network (test/net) has no internet access and no VPC endpoint for sqs, which the role\'s statements call: the pods\' SDK calls time out; '
      + 'add it to the network\'s VpcEndpoints (services: [...VpcEndpointService.eksNodeDefaults(), VpcEndpointService.SQS])');
    const ok = newStack();
    const okNet = network(ok, { internetAccess: false });
    new aws.VpcEndpoints(ok, 'endpoints', { network: okNet, services: [...aws.VpcEndpointService.eksNodeDefaults(), aws.VpcEndpointService.SQS] });
    const okCluster = new aws.EksCluster(ok, 'prod', { network: okNet, version: aws.KubernetesVersion.V1_33, admins: ['arn:aws:iam::123456789012:role/admin'] });
    okCluster.addNodePool('system');
    okCluster.addWorkloadIdentity('orders', { namespace: 'shop', serviceAccount: 'orders' }).grantConsumeMessagesByArn('arn:aws:sqs:eu-west-1:123456789012:orders');
    expect(() => Testing.synth(ok, true)).not.toThrow();
  });

  test('refused: public subnets or NAT options', () => {
    expect(errorOf(() => network(newStack(), { internetAccess: false, publicSubnetCidrs: ['10.0.224.0/22', '10.0.228.0/22', '10.0.232.0/22'] }))).toBe(
      'test/net: publicSubnetCidrs (["10.0.224.0/22","10.0.228.0/22","10.0.232.0/22"]) must be left out when internetAccess is false (an isolated VPC has no public subnets); '
      + 'remove publicSubnetCidrs, or set internetAccess: true');
    expect(errorOf(() => network(newStack(), { internetAccess: false, natGatewayPerZone: true }))).toBe(
      'test/net: natGatewayPerZone (true) must be left out when internetAccess is false (an isolated VPC has no NAT gateway); remove natGatewayPerZone, or set internetAccess: true');
  });
});
