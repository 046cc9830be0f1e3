import { expectValidWithCrds, synthExample } from '../networking/traffic-util';

describe('examples/service-mesh', () => {
  test('synthesizes with k8s.App: an Istio pair and a Linkerd pair, valid for 1.27 and 1.36 (CRDs included), no policy error', () => {
    const { files, report } = synthExample('service-mesh');
    expect(files.map(f => f.file)).toEqual(['catalog.k8s.yaml', 'payments.k8s.yaml']);
    const [catalog, payments] = files.map(f => f.docs);
    const kinds = (docs: any[]) => new Set(docs.map(d => `${d.apiVersion} ${d.kind}`));
    for (const k of ['security.istio.io/v1 PeerAuthentication', 'security.istio.io/v1 AuthorizationPolicy', 'networking.istio.io/v1 DestinationRule', 'networking.istio.io/v1 VirtualService']) {
      expect(kinds(payments)).toContain(k);
    }
    for (const k of ['policy.linkerd.io/v1beta3 Server', 'policy.linkerd.io/v1alpha1 MeshTLSAuthentication', 'policy.linkerd.io/v1alpha1 AuthorizationPolicy', 'policy.linkerd.io/v1beta3 HTTPRoute']) {
      expect(kinds(catalog)).toContain(k);
    }
    const ledgerAuthz = payments.find(d => d.kind === 'AuthorizationPolicy' && d.metadata.name === 'ledger');
    expect(ledgerAuthz.spec.rules[0].from).toEqual([{ source: { principals: ['cluster.local/ns/payments/sa/checkout'] } }]);
    expectValidWithCrds([...catalog, ...payments]);
    expect(report.summary.errors).toBe(0);
  });
});
