// IAM ARNs a user gives a cluster (access entry principals, the managed policies of a workload identity, the OIDC
// provider of an imported cluster) must be of the partition of the cluster's region: EKS and IAM refuse another at apply.
import { newStack, errorOf, resources, synth, TAGS } from './util';
import * as aws from '../../lib/aws';

const ADMIN = 'arn:aws:iam::123456789012:role/platform-admin';
const CN_ADMIN = 'arn:aws-cn:iam::123456789012:role/platform-admin';
const ACCOUNTS = '(partitions have accounts of their own: check the account id)';

function clusterIn(region: string, props: Partial<aws.EksClusterProps> = {}) {
  const stack = newStack();
  const network = new aws.Network(stack, 'net', { region, availabilityZones: [`${region}a`, `${region}b`], tags: TAGS });
  return { stack, network, cluster: () => new aws.EksCluster(stack, 'prod', { network, version: aws.KubernetesVersion.V1_33, ...props }) };
}

describe('principal ARNs of another partition than the cluster region\'s', () => {
  test('admins: an aws ARN on a cluster in cn-north-1 (aws-cn) is refused, with the aws-cn ARN', () => {
    expect(errorOf(clusterIn('cn-north-1', { admins: [ADMIN] }).cluster)).toBe(
      `test/prod: admins ("${ADMIN}") is an ARN of partition aws, but the cluster is in partition aws-cn (region cn-north-1): `
      + `EKS refuses, at apply, an access entry for a principal of another partition; pass an ARN of partition aws-cn, "${CN_ADMIN}" ${ACCOUNTS}`);
  });

  test('grantAccess: an aws-cn ARN on a cluster in us-gov-west-1 (aws-us-gov) is refused, with the aws-us-gov ARN', () => {
    const c = clusterIn('us-gov-west-1', { admins: ['arn:aws-us-gov:iam::123456789012:role/platform-admin'] }).cluster();
    expect(errorOf(() => c.grantAccess('arn:aws-cn:iam::123456789012:user/ops', { policy: aws.AccessPolicy.VIEW }))).toBe(
      'test/prod: principalArn ("arn:aws-cn:iam::123456789012:user/ops") is an ARN of partition aws-cn, but the cluster is in partition aws-us-gov '
      + '(region us-gov-west-1): EKS refuses, at apply, an access entry for a principal of another partition; '
      + `pass an ARN of partition aws-us-gov, "arn:aws-us-gov:iam::123456789012:user/ops" ${ACCOUNTS}`);
  });

  test('grantTeamAccess: a team entry\'s aws ARN on a cluster in cn-north-1 is refused', () => {
    const c = clusterIn('cn-north-1', { admins: [CN_ADMIN] }).cluster();
    const entry = { cluster: 'prod', clusterName: 'prod', team: 'shop', principalArn: 'arn:aws:iam::123456789012:role/shop-dev', kubernetesGroups: ['shop-edit'], namespaces: ['shop'] };
    expect(errorOf(() => c.grantTeamAccess(entry))).toBe(
      'test/prod: entry.principalArn ("arn:aws:iam::123456789012:role/shop-dev") is an ARN of partition aws, but the cluster is in partition aws-cn '
      + '(region cn-north-1): EKS refuses, at apply, an access entry for a principal of another partition; '
      + `pass an ARN of partition aws-cn, "arn:aws-cn:iam::123456789012:role/shop-dev" ${ACCOUNTS}`);
  });

  test('accepted: an aws-cn ARN on a cluster in cn-north-1 becomes its access entry', () => {
    const { stack, cluster } = clusterIn('cn-north-1', { admins: [CN_ADMIN] });
    cluster();
    const json = synth(stack);
    expect(resources(json, 'aws_eks_access_entry').map((e) => e.principal_arn)).toEqual([CN_ADMIN]);
    expect(resources(json, 'aws_eks_access_policy_association').map((a) => a.policy_arn))
      .toEqual(['arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy']);
  });
});

describe('other IAM ARNs of another partition', () => {
  test('managedPolicyArns: an aws policy on a workload identity of a cluster in cn-north-1 is refused; the aws-cn one is attached', () => {
    const { stack, cluster } = clusterIn('cn-north-1', { admins: [CN_ADMIN] });
    const c = cluster();
    expect(errorOf(() => c.addWorkloadIdentity('reader', { namespace: 'shop', serviceAccount: 'reader', managedPolicyArns: ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'] }))).toBe(
      'test/prod/reader: managedPolicyArns[0] ("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess") is an ARN of partition aws, but the cluster is in partition aws-cn '
      + '(region cn-north-1): IAM refuses, at apply, to attach a policy of another partition to the role; '
      + `pass an ARN of partition aws-cn, "arn:aws-cn:iam::aws:policy/AmazonS3ReadOnlyAccess" ${ACCOUNTS}`);
    c.addWorkloadIdentity('viewer', { namespace: 'shop', serviceAccount: 'viewer', managedPolicyArns: ['arn:aws-cn:iam::aws:policy/AmazonS3ReadOnlyAccess'] });
    expect(resources(synth(stack), 'aws_iam_role_policy_attachment').map((a) => a.policy_arn)).toContain('arn:aws-cn:iam::aws:policy/AmazonS3ReadOnlyAccess');
  });

  test('fromClusterAttributes oidcProviderArn: an aws ARN for a cluster in us-gov-west-1 is refused', () => {
    const { stack, network } = clusterIn('us-gov-west-1');
    const oidc = 'arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-gov-west-1.amazonaws.com/id/0123456789ABCDEF';
    expect(errorOf(() => aws.EksCluster.fromClusterAttributes(stack, 'legacy', {
      clusterName: 'legacy', network, kubernetesVersion: aws.KubernetesVersion.V1_33, oidcProviderArn: oidc,
    }))).toBe(
      `test/legacy: oidcProviderArn ("${oidc}") is an ARN of partition aws, but the cluster is in partition aws-us-gov (region us-gov-west-1): `
      + 'the IAM roles of IRSA workload identities would trust an OIDC provider of another partition, which IAM refuses at apply; '
      + `pass an ARN of partition aws-us-gov, "${oidc.replace('arn:aws:', 'arn:aws-us-gov:')}" ${ACCOUNTS}`);
    const ok = aws.EksCluster.fromClusterAttributes(stack, 'ok', {
      clusterName: 'ok', network, kubernetesVersion: aws.KubernetesVersion.V1_33, oidcProviderArn: oidc.replace('arn:aws:', 'arn:aws-us-gov:'),
    });
    expect(ok.oidcProviderArn).toBe(oidc.replace('arn:aws:', 'arn:aws-us-gov:'));
  });

  test('fromClusterAttributes encryptionKeyArn: a key ARN of another partition is refused', () => {
    const { stack, network } = clusterIn('cn-north-1');
    const key = 'arn:aws:kms:cn-north-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    expect(errorOf(() => aws.EksCluster.fromClusterAttributes(stack, 'legacy', {
      clusterName: 'legacy', network, kubernetesVersion: aws.KubernetesVersion.V1_33, encryptionKeyArn: key,
    }))).toBe(
      `test/legacy: encryptionKeyArn ("${key}") is an ARN of partition aws, but the cluster is in partition aws-cn (region cn-north-1): `
      + 'the node volumes and the key grants of the node roles would name a KMS key of another partition, which AWS refuses at apply; '
      + `pass an ARN of partition aws-cn, "${key.replace('arn:aws:', 'arn:aws-cn:')}" ${ACCOUNTS}`);
  });
});
