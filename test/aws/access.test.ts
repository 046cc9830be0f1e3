import { TerraformVariable, Testing } from 'cdktf';
import { cluster, errorOf, newStack, resourceAt, resources, synth } from './util';
import * as aws from '../../lib/aws';
import { TeamAccessProfile } from '../../lib/core';

const ADMIN = 'arn:aws:iam::123456789012:role/platform-admin';
const TEAM = 'arn:aws:iam::123456789012:role/shop-developers';

describe('access grants', () => {
  test('grantAccess: one access entry per principal, one association per policy, namespace scope', () => {
    const stack = newStack();
    const c = cluster(stack, { admins: [ADMIN] });
    c.grantAccess(TEAM, { policy: aws.AccessPolicy.EDIT, namespaces: ['shop', 'checkout'] });
    c.grantAccess(TEAM, { policy: aws.AccessPolicy.VIEW });
    const json = synth(stack);
    const entries = resources(json, 'aws_eks_access_entry');
    expect(entries.map((e) => e.principal_arn).sort()).toEqual([ADMIN, TEAM]);
    expect(entries.every((e) => e.type === 'STANDARD')).toBe(true);
    const edit = resourceAt(json, 'aws_eks_access_policy_association', 'prod_access-123456789012-role-shop-developers-edit');
    expect(edit.access_scope).toEqual({ type: 'namespace', namespaces: ['shop', 'checkout'] });
    expect(edit.policy_arn).toMatch(/:eks::aws:cluster-access-policy\/AmazonEKSEditPolicy$/);
    expect(edit.depends_on).toEqual([expect.stringMatching(/^aws_eks_access_entry\.prod_access-123456789012-role-shop-developers_[0-9A-F]+$/)]);
    const view = resourceAt(json, 'aws_eks_access_policy_association', 'prod_access-123456789012-role-shop-developers-view');
    expect(view.access_scope).toEqual({ type: 'cluster' });
    expect(view.policy_arn).toMatch(/AmazonEKSViewPolicy$/);
    // the second grant reuses the principal's entry
    expect(view.depends_on).toEqual(edit.depends_on);
  });

  test('grantClusterAdmin: construct ids keyed by the principal (access-<account>-role-<name>, -cluster-admin)', () => {
    const stack = newStack();
    cluster(stack, { admins: [ADMIN] });
    const json = synth(stack);
    expect(resourceAt(json, 'aws_eks_access_entry', 'prod_access-123456789012-role-platform-admin').principal_arn).toBe(ADMIN);
    expect(resourceAt(json, 'aws_eks_access_policy_association', 'prod_access-123456789012-role-platform-admin-cluster-admin').policy_arn).toMatch(/AmazonEKSClusterAdminPolicy$/);
  });

  test('AccessPolicy.of names any EKS access policy', () => {
    const stack = newStack();
    const c = cluster(stack, { admins: [ADMIN] });
    c.grantAccess(TEAM, { policy: aws.AccessPolicy.of('AmazonEKSAdminViewPolicy') });
    expect(resourceAt(synth(stack), 'aws_eks_access_policy_association', 'prod_access-123456789012-role-shop-developers-admin-view').policy_arn).toMatch(/AmazonEKSAdminViewPolicy$/);
  });

  test('a cluster with no cluster admin is refused at synth', () => {
    const stack = newStack();
    const c = cluster(stack);
    c.grantAccess(TEAM, { policy: aws.AccessPolicy.ADMIN, namespaces: ['shop'] });
    expect(() => Testing.synth(stack, true)).toThrow(
      'test/prod: admins ([]) must grant at least one IAM principal cluster-wide AccessPolicy.CLUSTER_ADMIN (a cluster no one can administer can only be repaired through AWS support); '
      + "pass admins: ['arn:aws:iam::123456789012:role/platform-admin'] or call grantClusterAdmin()");
  });

  test('a cluster admin granted after construction counts', () => {
    const stack = newStack();
    const c = cluster(stack);
    c.grantAccess(ADMIN, { policy: aws.AccessPolicy.CLUSTER_ADMIN });
    c.addNodePool('system');
    expect(() => Testing.synth(stack, true)).not.toThrow();
  });

  test('refused: cluster-admin in namespaces', () => {
    expect(errorOf(() => cluster(newStack()).grantAccess(TEAM, { policy: aws.AccessPolicy.CLUSTER_ADMIN, namespaces: ['shop'] }))).toBe(
      'test/prod: namespaces (["shop"]) must be left out for AccessPolicy.CLUSTER_ADMIN (cluster-admin is cluster-wide); use AccessPolicy.ADMIN for a namespace administrator');
  });

  test('refused: the same policy granted twice to one principal', () => {
    const c = cluster(newStack());
    c.grantAccess(TEAM, { policy: aws.AccessPolicy.EDIT, namespaces: ['a'] });
    expect(errorOf(() => c.grantAccess(TEAM, { policy: aws.AccessPolicy.EDIT, namespaces: ['b'] }))).toBe(
      `test/prod: policy ("AmazonEKSEditPolicy") is already granted to ${TEAM} by test/prod/access-123456789012-role-shop-developers-edit (EKS keeps one association per principal and policy); grant it once, listing every namespace in one call`);
  });

  test('refused: a principal that is not a role or user ARN', () => {
    expect(errorOf(() => cluster(newStack()).grantAccess('shop-developers', { policy: aws.AccessPolicy.VIEW }))).toBe(
      "test/prod: principalArn (\"shop-developers\") must be an IAM role or user ARN; pass an ARN like 'arn:aws:iam::123456789012:role/platform-admin'");
  });

  test('refused: an empty namespace list, a bad namespace, a namespace twice', () => {
    const c = cluster(newStack());
    expect(errorOf(() => c.grantAccess(TEAM, { policy: aws.AccessPolicy.VIEW, namespaces: [] }))).toBe(
      'test/prod: namespaces ([]) must list at least one namespace when given; list the namespaces, or leave namespaces out for the whole cluster');
    expect(errorOf(() => c.grantAccess(TEAM, { policy: aws.AccessPolicy.VIEW, namespaces: ['Shop'] }))).toMatch(/^test\/prod: namespaces\[0\] \("Shop"\) must be an RFC 1123 DNS label/);
    expect(errorOf(() => c.grantAccess(TEAM, { policy: aws.AccessPolicy.VIEW, namespaces: ['a', 'a'] }))).toBe('test/prod: namespaces ("a") appears twice; list each namespace once');
  });

  test('refused: a policy name that is not an EKS access policy', () => {
    expect(errorOf(() => cluster(newStack()).grantAccess(TEAM, { policy: aws.AccessPolicy.of('AdministratorAccess') }))).toBe(
      'test/prod: policy ("AdministratorAccess") must be an EKS access policy (AmazonEKS...Policy); use AccessPolicy.VIEW, EDIT, ADMIN or CLUSTER_ADMIN');
  });
});

describe('access entry addresses follow the principal, not the position', () => {
  const ARN = (role: string) => `arn:aws:iam::123456789012:role/${role}`;
  const teamEntry = (team: string, extra: Partial<TeamAccessProfile> = {}): TeamAccessProfile => ({
    cluster: 'prod-eu',
    clusterName: 'prod',
    team,
    principalArn: ARN(`team-${team}`),
    kubernetesGroups: [`team:${team}`],
    namespaces: [team],
    accessPolicy: 'AmazonEKSViewPolicy',
    ...extra,
  });
  /** Terraform address -> principal_arn, for entries and associations. */
  const addresses = (build: (c: aws.EksCluster) => void): { [address: string]: string } => {
    const stack = newStack();
    build(cluster(stack));
    const json = synth(stack);
    const out: { [address: string]: string } = {};
    for (const type of ['aws_eks_access_entry', 'aws_eks_access_policy_association']) {
      for (const [name, body] of Object.entries<any>(json.resource?.[type] ?? {})) out[`${type}.${name}`] = body.principal_arn;
    }
    return out;
  };

  test('teams [a, b] and [b, a]: every address keeps its principal', () => {
    const ab = addresses((c) => { c.grantClusterAdmin(ADMIN); c.grantTeamAccess(teamEntry('catalog')); c.grantTeamAccess(teamEntry('checkout')); });
    const ba = addresses((c) => { c.grantClusterAdmin(ADMIN); c.grantTeamAccess(teamEntry('checkout')); c.grantTeamAccess(teamEntry('catalog')); });
    expect(ba).toEqual(ab);
    expect(Object.keys(ab)).toHaveLength(6);
    expect(ab[Object.keys(ab).find((k) => /^aws_eks_access_entry\.prod_access-123456789012-role-team-checkout_[0-9A-F]{8}$/.test(k))!]).toBe(ARN('team-checkout'));
    expect(ab[Object.keys(ab).find((k) => /^aws_eks_access_policy_association\.prod_access-123456789012-role-team-catalog-view_[0-9A-F]{8}$/.test(k))!]).toBe(ARN('team-catalog'));
  });

  test('removing the first team leaves the second team\'s addresses as they were', () => {
    const both = addresses((c) => { c.grantClusterAdmin(ADMIN); c.grantTeamAccess(teamEntry('catalog')); c.grantTeamAccess(teamEntry('checkout')); });
    const second = addresses((c) => { c.grantClusterAdmin(ADMIN); c.grantTeamAccess(teamEntry('checkout')); });
    for (const [address, principal] of Object.entries(second)) expect(both[address]).toBe(principal);
  });

  test('admins and grantAccess in another order keep their addresses too', () => {
    const one = addresses((c) => {
      c.grantClusterAdmin(ADMIN); c.grantClusterAdmin(ARN('break-glass'));
      c.grantAccess(TEAM, { policy: aws.AccessPolicy.EDIT, namespaces: ['shop'] }); c.grantAccess(ARN('auditors'), { policy: aws.AccessPolicy.VIEW });
    });
    const two = addresses((c) => {
      c.grantAccess(ARN('auditors'), { policy: aws.AccessPolicy.VIEW }); c.grantClusterAdmin(ARN('break-glass'));
      c.grantAccess(TEAM, { policy: aws.AccessPolicy.EDIT, namespaces: ['shop'] }); c.grantClusterAdmin(ADMIN);
    });
    expect(two).toEqual(one);
    expect(Object.keys(one)).toHaveLength(8);
  });

  test('principals whose names differ only in characters an id cannot carry get distinct, stable ids (a hash of the ARN)', () => {
    const stack = newStack();
    const c = cluster(stack, { admins: [ADMIN] });
    c.grantAccess(ARN('ops/a.b'), { policy: aws.AccessPolicy.VIEW });
    c.grantAccess(ARN('ops/a-b'), { policy: aws.AccessPolicy.VIEW });
    c.grantAccess(ARN('a-b'), { policy: aws.AccessPolicy.VIEW });
    const names = Object.keys(synth(stack).resource.aws_eks_access_entry).sort();
    expect(names).toHaveLength(4);
    expect(names.filter((n) => /^prod_access-123456789012-role-ops-a-b-[0-9a-f]{8}_[0-9A-F]{8}$/.test(n))).toHaveLength(2);
    expect(names.filter((n) => /^prod_access-123456789012-role-a-b_[0-9A-F]{8}$/.test(n))).toHaveLength(1);
  });

  test('a principal known only at plan time (a token) keeps the counter ids admin-<n> / admin-<n>-policy', () => {
    const stack = newStack();
    const admin = new TerraformVariable(stack, 'admin_role_arn', { type: 'string' });
    cluster(stack, { admins: [admin.stringValue] });
    const json = synth(stack);
    expect(resourceAt(json, 'aws_eks_access_entry', 'prod_admin-0').principal_arn).toBe('${var.admin_role_arn}');
    expect(resourceAt(json, 'aws_eks_access_policy_association', 'prod_admin-0-policy').policy_arn).toMatch(/AmazonEKSClusterAdminPolicy$/);
  });
});

describe('account guard', () => {
  test('with an account: a postcondition on the caller identity, naming the construct', () => {
    const stack = newStack();
    cluster(stack, { account: '123456789012' });
    const caller = Object.values<any>(synth(stack).data.aws_caller_identity)[0];
    expect(caller.lifecycle.postcondition).toEqual([{
      condition: '${self.account_id == "123456789012"}',
      error_message: 'The AWS credentials belong to account ${self.account_id}, but test/prod (account) expects account 123456789012: '
        + 'plan with credentials of account 123456789012, or correct account.',
    }]);
  });

  test('without an account: no guard', () => {
    const stack = newStack();
    cluster(stack);
    expect(Object.values<any>(synth(stack).data.aws_caller_identity)[0].lifecycle).toBeUndefined();
  });

  test('refused: two accounts in one stack', () => {
    const stack = newStack();
    const c = cluster(stack, { account: '123456789012' });
    expect(errorOf(() => aws.EksCluster.fromClusterAttributes(stack, 'other', {
      clusterName: 'other', network: c.network, kubernetesVersion: aws.KubernetesVersion.V1_33, account: '210987654321',
    }))).toBe('test/other: account ("210987654321") differs from account 123456789012 expected by test/prod in the same stack (one stack plans against one account); '
      + 'use the same account id, or put the resources of the other account in their own stack');
  });
});
