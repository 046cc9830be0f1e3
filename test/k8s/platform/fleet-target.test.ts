import { cluster } from './fixtures';
import { EnvironmentProfile } from '../../../lib/core';
import { FleetTarget } from '../../../lib/k8s/platform';
import { expectError } from '../../util/k8s';

// A fleet's workloads take the identity of the cluster they are defined for: each cluster's role trusts that
// cluster only, so `define` looks it up on the target rather than mapping cluster names to stacks by hand.

const podIdentity = (namespace: string, serviceAccount: string, roleName: string) => ({ namespace, serviceAccount, roleName, mechanism: 'pod-identity', serviceAccountAnnotations: {} });

function target(identities: any[]): FleetTarget {
  return FleetTarget._of({
    clusterName: 'prod-eu',
    cluster: cluster({ workloadIdentities: identities }),
    environment: { name: 'production', profile: EnvironmentProfile.PRODUCTION },
    team: 'shop',
    namespace: 'shop',
  });
}

describe('FleetTarget.identity', () => {
  const identities = [podIdentity('shop', 'orders-worker', 'prod-eu-orders'), podIdentity('shop', 'mailer', 'prod-eu-mailer'), podIdentity('payments', 'orders-worker', 'prod-eu-pay')];

  test('finds the identity of a ServiceAccount of the team\'s namespace on this cluster', () => {
    expect(target(identities).identity('orders-worker').roleName).toBe('prod-eu-orders');
    expect(target(identities).tryIdentity('mailer')?.roleName).toBe('prod-eu-mailer');
  });

  test('a ServiceAccount without one: tryIdentity is undefined, identity is refused naming what the cluster has and how to add it', () => {
    expect(target(identities).tryIdentity('reports')).toBeUndefined();
    expectError(() => target(identities).identity('reports'),
      'fleet target prod-eu/shop: identity.serviceAccount ("reports") has no workload identity in the profile of cluster prod-eu for namespace shop '
      + '(it has identities for orders-worker, mailer); create it on the AWS side for this cluster: '
      + "cluster.addWorkloadIdentity('<role>', { namespace: 'shop', serviceAccount: 'reports' }), and give the fleet that cluster's profile; "
      + 'or use tryIdentity() where only some clusters have it');
    expectError(() => target([]).identity('orders-worker'), /\(it has none for this namespace\)/);
  });
});
