import { cluster, errorOf, newStack, resourceAt, synth } from './util';
import * as aws from '../../lib/aws';

describe('aws.WorkloadIdentity: ServiceAccount "default"', () => {
  const MESSAGE = 'test/prod/orders: serviceAccount ("default") names the ServiceAccount "default", the ServiceAccount every namespace already has: '
    + 'the role would go to every pod of namespace shop without its own ServiceAccount; '
    + "name the ServiceAccount after the workload (for example the workload's name), and give the workload that identity";

  test('Pod Identity: refused; a ServiceAccount named after the workload (also one containing "default"): accepted', () => {
    expect(errorOf(() => cluster(newStack()).addWorkloadIdentity('orders', { namespace: 'shop', serviceAccount: 'default' }))).toBe(MESSAGE);
    const stack = newStack();
    const c = cluster(stack);
    c.addWorkloadIdentity('orders', { namespace: 'shop', serviceAccount: 'orders' });
    c.addWorkloadIdentity('defaults', { namespace: 'shop', serviceAccount: 'default-app' });
    const json = synth(stack);
    expect(resourceAt(json, 'aws_eks_pod_identity_association', 'prod_orders_association')).toMatchObject({ namespace: 'shop', service_account: 'orders' });
    expect(resourceAt(json, 'aws_eks_pod_identity_association', 'prod_defaults_association')).toMatchObject({ namespace: 'shop', service_account: 'default-app' });
  });

  test('IRSA: refused', () => {
    const stack = newStack();
    const c = cluster(stack);
    expect(errorOf(() => c.addWorkloadIdentity('orders', { namespace: 'shop', serviceAccount: 'default', mechanism: aws.IdentityMechanism.IRSA }))).toBe(MESSAGE);
  });

});
