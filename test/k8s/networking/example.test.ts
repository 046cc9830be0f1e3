import { synthExample } from './traffic-util';
import { expectValid } from '../../util/schema';

describe('examples/ingress-and-routes', () => {
  test('synthesizes with k8s.App: Ingress (cert-manager TLS) and HTTPRoute (canary), valid for 1.27 and 1.36, no policy error', () => {
    const { files, report } = synthExample('ingress-and-routes');
    expect(files.map(f => f.file)).toEqual(['storefront.k8s.yaml']);
    const docs = files[0].docs;
    const ingress = docs.find(d => d.kind === 'Ingress');
    expect(ingress.spec.tls).toEqual([{ hosts: ['shop.example.com'], secretName: 'storefront-tls' }]);
    expect(ingress.metadata.annotations['cert-manager.io/cluster-issuer']).toBe('letsencrypt-prod');
    const route = docs.find(d => d.kind === 'HTTPRoute');
    expect(route.spec.rules[1].backendRefs.map((b: any) => b.weight)).toEqual([90, 10]);
    expectValid(docs);
    expect(report.summary.errors).toBe(0);
  });
});
