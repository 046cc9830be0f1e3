import { cluster } from './fixtures';
import { AddOnPack } from '../../../lib/k8s/platform';
import { expectError } from '../../util/k8s';

const target = (extra: any = {}) => ({ cluster: 'prod-eu', environment: 'production', domain: 'acme.example', profile: cluster(), ...extra });
const podIdentity = (namespace: string, serviceAccount: string) => ({ namespace, serviceAccount, roleName: `r-${serviceAccount}`, mechanism: 'pod-identity', serviceAccountAnnotations: {} });

describe('AddOnPack', () => {
  test('built-in packs pin exact chart versions', () => {
    expect([AddOnPack.certManager(), AddOnPack.metricsServer(), AddOnPack.externalDns(), AddOnPack.awsLoadBalancerController()].map(p => `${p.name}@${p.version}`))
      .toEqual(['cert-manager@v1.16.2', 'metrics-server@3.12.2', 'external-dns@1.15.0', 'aws-load-balancer-controller@1.14.0']);
  });

  test('a version can be overridden, and moves every cluster', () => {
    const pack = AddOnPack.certManager({ version: 'v1.17.1' });
    for (const name of ['prod-eu', 'prod-us']) expect(pack._releasesFor(target({ cluster: name }), 'x')[0].version).toBe('v1.17.1');
  });

  test.each(['^1.2.0', '1.x', 'latest', '1.2', '*', '>=1.0.0'])('a version that is not exact (%s) is refused', (version) => {
    expectError(() => AddOnPack.metricsServer({ version }), /AddOnPack.metrics-server: version \(.*\) must be an exact chart version \(1.2.3 or v1.2.3\), never a range or latest/);
  });

  test('values name the cluster they are installed on', () => {
    const [r] = AddOnPack.externalDns()._releasesFor(target({ profile: cluster({ workloadIdentities: [podIdentity('external-dns', 'external-dns')] }) }), 'x');
    expect(r.values).toEqual(expect.objectContaining({ 'txtOwnerId': 'prod-eu', 'domainFilters[0]': 'acme.example', 'env[0].value': 'eu-west-1', 'policy': 'upsert-only' }));
  });

  test('an unknown placeholder is refused', () => {
    const pack = AddOnPack.helm({ name: 'x', repository: 'https://charts.example.com', chart: 'x', version: '1.0.0', namespace: 'x', values: { a: '{{zone}}' } });
    expectError(() => pack._releasesFor(target(), 'fleet/acme/add-ons/x'), /fleet\/acme\/add-ons\/x: values.a \("\{\{zone\}\}"\) names an unknown placeholder \{\{zone\}\}/);
  });

  test('a placeholder the cluster has no value for is refused', () => {
    const t = target({ domain: undefined, profile: cluster({ workloadIdentities: [podIdentity('external-dns', 'external-dns')] }) });
    expectError(() => AddOnPack.externalDns()._releasesFor(t, 'fleet/acme/add-ons/external-dns'),
      /values.domainFilters\[0\] \("\{\{domain\}\}"\) needs \{\{domain\}\}, which cluster prod-eu does not have; give the cluster or its environment a domain/);
  });

  test('a pack that needs an identity is refused on a cluster without it, naming what to create', () => {
    expectError(() => AddOnPack.awsLoadBalancerController()._releasesFor(target(), 'fleet/acme/add-ons/aws-load-balancer-controller'),
      /identity \("kube-system\/aws-load-balancer-controller"\) is not a workload identity of cluster prod-eu \(none\); create it on the AWS side \(cluster.addWorkloadIdentity\('aws-load-balancer-controller'/);
  });

  test('with Pod Identity the release carries the identity and no annotation', () => {
    const t = target({ profile: cluster({ workloadIdentities: [podIdentity('kube-system', 'aws-load-balancer-controller')] }) });
    const [r] = AddOnPack.awsLoadBalancerController()._releasesFor(t, 'x');
    expect(r.identity?.roleName).toBe('r-aws-load-balancer-controller');
    expect(Object.keys(r.values).some(k => k.includes('role-arn'))).toBe(false);
    expect(r.values.clusterName).toBe('shop-prod');
  });

  test('with IRSA the role ARN is passed as the ServiceAccount annotation', () => {
    const irsa = { ...podIdentity('external-dns', 'external-dns'), mechanism: 'irsa', serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/dns' } };
    const [r] = AddOnPack.externalDns()._releasesFor(target({ profile: cluster({ workloadIdentities: [irsa] }) }), 'x');
    expect(r.values['serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn']).toBe('arn:aws:iam::123456789012:role/dns');
  });

  test('IRSA without a known ARN is refused', () => {
    const irsa = { ...podIdentity('external-dns', 'external-dns'), mechanism: 'irsa' };
    expectError(() => AddOnPack.externalDns()._releasesFor(target({ profile: cluster({ workloadIdentities: [irsa] }) }), 'x'), /identity \("r-external-dns"\) uses IRSA on cluster prod-eu/);
  });

  test('an identity of the cluster profile whose mechanism is neither irsa nor pod-identity is refused', () => {
    const odd = { ...podIdentity('external-dns', 'external-dns'), mechanism: 'pod_identity' };
    expectError(() => AddOnPack.externalDns()._releasesFor(target({ profile: cluster({ workloadIdentities: [odd] }) }), 'x'),
      /prod-eu profile workloadIdentities \(external-dns\/external-dns\)\.mechanism \("pod_identity"\) is not a workload identity mechanism: .*; write 'pod-identity'/);
  });

  test('environments limit where a pack goes', () => {
    const pack = AddOnPack.metricsServer({ environments: ['staging'] });
    expect(pack._releasesFor(target(), 'x')).toEqual([]);
    expect(pack._releasesFor(target({ environment: 'staging' }), 'x')).toHaveLength(1);
  });

  test('karpenter: each cluster\'s own controller release; none without Karpenter; a different version is refused', () => {
    const controller = { repository: 'oci://public.ecr.aws/karpenter', chart: 'karpenter', version: '1.14.1', releaseName: 'karpenter', namespace: 'kube-system', values: {}, serviceAccountName: 'karpenter' };
    const withKarpenter = cluster({ karpenter: { clusterName: 'shop-prod', version: '1.14.1', interruptionQueueName: 'q', controller, nodeClass: {} as any, nodePools: [] } });
    expect(AddOnPack.karpenter()._releasesFor(target({ profile: withKarpenter }), 'x')).toEqual([controller]);
    expect(AddOnPack.karpenter()._releasesFor(target(), 'x')).toEqual([]);
    expectError(() => AddOnPack.karpenter({ version: '1.15.0' })._releasesFor(target({ profile: withKarpenter }), 'fleet/acme/add-ons/karpenter'),
      /fleet\/acme\/add-ons\/karpenter: karpenter.version \("1.14.1"\) must be the fleet's Karpenter version \(1.15.0\) on cluster prod-eu/);
  });

  test('custom packs check their repository, name and identity', () => {
    const base = { name: 'x', repository: 'https://charts.example.com', chart: 'x', version: '1.0.0', namespace: 'x' };
    expectError(() => AddOnPack.helm({ ...base, repository: 'charts.example.com' }), /AddOnPack.x: repository \("charts.example.com"\) must be an https:\/\/ Helm repository or an oci:\/\/ registry path/);
    expectError(() => AddOnPack.helm({ ...base, name: 'X' }), /name \("X"\) must be an RFC 1123 DNS label/);
    expectError(() => AddOnPack.helm({ ...base, identity: true }), /AddOnPack.x: serviceAccountName \(undefined\) is required with identity/);
  });

  test('brand check', () => {
    expect(AddOnPack.isAddOnPack(AddOnPack.metricsServer())).toBe(true);
    expect(AddOnPack.isAddOnPack({ name: 'x' })).toBe(false);
  });
});
