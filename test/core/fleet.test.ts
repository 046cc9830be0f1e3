import { EnvironmentProfile, FleetDescription, Fleets } from '../../lib/core';
import { cluster } from '../k8s/platform/fixtures';
import { expectError } from '../util/k8s';

function fleet(extra: Partial<FleetDescription> = {}): FleetDescription {
  return {
    name: 'acme',
    environments: [
      { name: 'staging', profile: EnvironmentProfile.STAGING, domain: 'staging.acme.example' },
      { name: 'production', profile: EnvironmentProfile.PRODUCTION },
    ],
    clusters: [
      { name: 'staging-eu', environment: 'staging', region: 'eu-west-1', kubernetesVersion: '1.33' },
      { name: 'prod-eu', environment: 'production', region: 'eu-west-1', profile: cluster({ clusterName: 'acme-prod-eu' }), domain: 'eu.acme.example' },
    ],
    ...extra,
  };
}

describe('Fleets', () => {
  test('a valid fleet passes', () => {
    expect(() => Fleets.validate(fleet())).not.toThrow();
  });

  test('environmentOf, clustersIn, domainOf', () => {
    expect(Fleets.environmentOf(fleet(), 'prod-eu').name).toBe('production');
    expect(Fleets.clustersIn(fleet(), 'staging').map(c => c.name)).toEqual(['staging-eu']);
    expect(Fleets.domainOf(fleet(), 'staging-eu')).toBe('staging.acme.example'); // the environment's
    expect(Fleets.domainOf(fleet(), 'prod-eu')).toBe('eu.acme.example'); // the cluster's own
  });

  test('clusterProfile: the cluster\'s own, or one with its version, region and environment only', () => {
    expect(Fleets.clusterProfile(fleet(), 'prod-eu').clusterName).toBe('acme-prod-eu');
    expect(Fleets.clusterProfile(fleet(), 'staging-eu')).toEqual(expect.objectContaining({
      clusterName: 'staging-eu', kubernetesVersion: '1.33', environment: EnvironmentProfile.STAGING, region: 'eu-west-1', nodePools: [], zones: [],
    }));
  });

  test('an unknown cluster is refused', () => {
    expectError(() => Fleets.environmentOf(fleet(), 'nope'), /fleet\/acme: cluster \("nope"\) is not a cluster of the fleet \(staging-eu, prod-eu\)/);
  });

  test.each([
    ['no environment', { environments: [] }, /fleet\/acme: environments \(\[\]\) must list at least one environment/],
    ['no cluster', { clusters: [] }, /fleet\/acme: clusters \(\[\]\) must list at least one cluster/],
    ['a cluster name that is not a DNS label', { clusters: [{ name: 'Prod_EU', environment: 'production', region: 'eu-west-1', kubernetesVersion: '1.33' }] }, /clusters\[0\].name \("Prod_EU"\) must be an RFC 1123 DNS label/],
    ['two clusters with one name', {
      clusters: [{ name: 'a', environment: 'staging', region: 'eu-west-1', kubernetesVersion: '1.33' }, { name: 'a', environment: 'staging', region: 'eu-west-1', kubernetesVersion: '1.33' }],
    }, /clusters\[1\].name \("a"\) is the name of another cluster of the fleet/],
    ['two environments with one name', {
      environments: [{ name: 'x', profile: EnvironmentProfile.STAGING }, { name: 'x', profile: EnvironmentProfile.STAGING }],
    }, /environments\[1\].name \("x"\) is the name of another environment/],
    ['an unknown environment', { clusters: [{ name: 'a', environment: 'qa', region: 'eu-west-1', kubernetesVersion: '1.33' }] }, /clusters\[0\].environment \("qa"\) is not an environment of the fleet \(staging, production\)/],
    ['an unknown profile', { environments: [{ name: 'x', profile: 'live' as any }] }, /environments\[0\].profile \("live"\) must be an EnvironmentProfile/],
    ['no version and no profile', { clusters: [{ name: 'a', environment: 'staging', region: 'eu-west-1' }] }, /clusters\[0\].kubernetesVersion \(undefined\) must be a Kubernetes minor version \("1.33"\) when the cluster has no profile/],
    ['a version with a patch', { clusters: [{ name: 'a', environment: 'staging', region: 'eu-west-1', kubernetesVersion: '1.33.2' }] },
      /clusters\[0\].kubernetesVersion \("1.33.2"\) must be a Kubernetes minor version such as "1.33", without a patch or a leading v; write "1.33"/],
    ['a version with a leading v', { clusters: [{ name: 'a', environment: 'staging', region: 'eu-west-1', kubernetesVersion: 'v1.33' }] }, /\("v1.33"\) must be a Kubernetes minor version .*; write "1.33"/],
    ['a region the profile disagrees with', {
      clusters: [{ name: 'a', environment: 'production', region: 'us-east-1', profile: cluster() }],
    }, /clusters\[0\].region \("us-east-1"\) must be the region of its profile \(eu-west-1\)/],
    ['a version the profile disagrees with', {
      clusters: [{ name: 'a', environment: 'production', region: 'eu-west-1', kubernetesVersion: '1.32', profile: cluster() }],
    }, /clusters\[0\].kubernetesVersion \("1.32"\) must be the version of its profile \(1.33\)/],
    ['a profile built for another environment', {
      clusters: [{ name: 'a', environment: 'staging', region: 'eu-west-1', profile: cluster() }],
    }, /clusters\[0\].profile.environment \("production"\) must be the profile of environment staging \(staging\)/],
    ['both an Argo CD name and server', {
      clusters: [{ name: 'a', environment: 'staging', region: 'eu-west-1', kubernetesVersion: '1.33', argoCdName: 'a', argoCdServer: 'https://x' }],
    }, /clusters\[0\].argoCdServer \("https:\/\/x"\) cannot be given together with argoCdName/],
    ['a server that is not a URL', {
      clusters: [{ name: 'a', environment: 'staging', region: 'eu-west-1', kubernetesVersion: '1.33', argoCdServer: 'kubernetes.default.svc' }],
    }, /clusters\[0\].argoCdServer \("kubernetes.default.svc"\) must be the cluster API server URL/],
  ])('%s is refused', (_what, extra, message) => {
    expectError(() => Fleets.validate(fleet(extra as Partial<FleetDescription>)), message);
  });
});
