import { cluster, errorOf, newStack, resourceAt, resources, synth } from './util';
import * as aws from '../../lib/aws';

describe('aws.WorkloadIdentity', () => {
  test('IRSA: one role, trust scoped to exactly one ServiceAccount (sub and aud), typed statements', () => {
    const stack = newStack();
    const c = cluster(stack);
    const id = c.addWorkloadIdentity('orders', {
      namespace: 'shop',
      serviceAccount: 'orders-api',
      mechanism: aws.IdentityMechanism.IRSA,
      statements: [{ actions: ['sqs:SendMessage'], resources: ['arn:aws:sqs:eu-west-1:123456789012:orders'], conditions: [{ test: 'StringEquals', variable: 'aws:RequestedRegion', values: ['eu-west-1'] }] }],
    });
    const json = synth(stack);
    const role = resourceAt(json, 'aws_iam_role', 'prod_orders_role');
    expect(role.name).toBe('prod-orders');
    const trust = JSON.parse(role.assume_role_policy).Statement;
    expect(trust).toHaveLength(1);
    expect(trust[0].Action).toBe('sts:AssumeRoleWithWebIdentity');
    expect(trust[0].Principal.Federated).toContain('aws_iam_openid_connect_provider.prod_oidc');
    const cond = trust[0].Condition.StringEquals;
    const sub = Object.keys(cond).find((k) => k.endsWith(':sub'))!;
    const aud = Object.keys(cond).find((k) => k.endsWith(':aud'))!;
    expect(cond[sub]).toBe('system:serviceaccount:shop:orders-api');
    expect(cond[aud]).toBe('sts.amazonaws.com');
    const policy = JSON.parse(resourceAt(json, 'aws_iam_role_policy', 'prod_orders_policy').policy);
    expect(policy.Statement).toEqual([{
      Effect: 'Allow',
      Action: ['sqs:SendMessage'],
      Resource: ['arn:aws:sqs:eu-west-1:123456789012:orders'],
      Condition: { StringEquals: { 'aws:RequestedRegion': ['eu-west-1'] } },
    }]);
    expect(Object.keys(id.serviceAccountAnnotations)).toEqual(['eks.amazonaws.com/role-arn']);
    expect(id.mechanism).toBe(aws.IdentityMechanism.IRSA);
  });

  test('Pod Identity: association, pods.eks.amazonaws.com trust, no annotation', () => {
    const stack = newStack();
    const c = cluster(stack);
    const id = c.addWorkloadIdentity('reports', { namespace: 'shop', serviceAccount: 'reports', mechanism: aws.IdentityMechanism.POD_IDENTITY });
    const json = synth(stack);
    const assoc = resources(json, 'aws_eks_pod_identity_association');
    expect(assoc).toHaveLength(1);
    expect(assoc[0]).toMatchObject({ namespace: 'shop', service_account: 'reports' });
    const trust = JSON.parse(resourceAt(json, 'aws_iam_role', 'prod_reports_role').assume_role_policy).Statement[0];
    expect(trust.Principal).toEqual({ Service: 'pods.eks.amazonaws.com' });
    expect(id.serviceAccountAnnotations).toEqual({});
  });

  test('plain role ARN in the annotation when the account is known', () => {
    const c = cluster(newStack(), { account: '123456789012' });
    const id = c.addWorkloadIdentity('orders', { namespace: 'shop', serviceAccount: 'orders', mechanism: aws.IdentityMechanism.IRSA });
    expect(id.serviceAccountAnnotations).toEqual({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/prod-orders' });
  });

  test('error: wildcard action', () => {
    const msg = errorOf(() => cluster(newStack()).addWorkloadIdentity('x', { namespace: 'a', serviceAccount: 'b', statements: [{ actions: ['*'], resources: ['*'] }] }));
    expect(msg).toBe('test/prod/x: statements[0].actions ("*") must be <service>:<action> (a lone "*" is refused); name the actions, for example \'s3:GetObject\'');
  });

  test('error: bad namespace', () => {
    const msg = errorOf(() => cluster(newStack()).addWorkloadIdentity('x', { namespace: 'Shop', serviceAccount: 'b' }));
    expect(msg).toMatch(/^test\/prod\/x: namespace \("Shop"\) must be an RFC 1123 DNS label/);
  });
});
