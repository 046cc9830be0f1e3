// Two meshed pairs of services: one on Istio, one on Linkerd. Who may call whom is declared once with
// allowFrom(...): it becomes the NetworkPolicy *and* the mesh's authorization policy.
// In your own project, import from the package instead: import { k8s } from 'shipshape';
import { Chart, Duration } from 'cdk8s';
import { k8s } from '../../lib';

const app = new k8s.App();

// Istio (chart "payments"): STRICT mTLS, AuthorizationPolicy, DestinationRule, VirtualService.
const payments = new Chart(app, 'payments', { namespace: 'payments' });
const istio = new k8s.mesh.IstioMesh(payments, 'istio');
const checkout = new k8s.WebService(payments, 'checkout', { image: 'ghcr.io/acme/checkout:3.2.0', partOf: 'payments' });
const ledger = new k8s.WebService(payments, 'ledger', { image: 'ghcr.io/acme/ledger:1.12.4', partOf: 'payments' });
ledger.allowFrom(checkout);
// checkout is called by the Istio ingress gateway, whose pods are in the mesh (the default for pods; say
// `meshed: false` for a caller without a mesh proxy, which checkout would then accept in plaintext on its port).
checkout.allowFrom(k8s.NetworkPeer.pods('istio-ingress', { istio: 'ingressgateway' }, { meshed: true }));
istio.enrol(checkout);
istio.enrol(ledger, {
  timeout: Duration.seconds(5),
  retries: { attempts: 2, perTryTimeout: Duration.seconds(2) },
  circuitBreaker: { maxConnections: 200, consecutive5xxErrors: 3 },
});

// Linkerd (chart "catalog"): Server + MeshTLSAuthentication + AuthorizationPolicy, HTTPRoutes with
// retries on idempotent methods and timeouts.
const catalog = new Chart(app, 'catalog', { namespace: 'catalog' });
const linkerd = new k8s.mesh.LinkerdMesh(catalog, 'linkerd');
const search = new k8s.WebService(catalog, 'search', { image: 'ghcr.io/acme/search:4.0.2', partOf: 'catalog' });
const products = new k8s.WebService(catalog, 'products', { image: 'ghcr.io/acme/products:2.7.0', partOf: 'catalog' });
products.allowFrom(search);
// search is called by the ingress-nginx controller, whose pods are meshed too (linkerd.io/inject on its namespace):
// without `meshed: true` the Server would have to admit callers without a mesh identity on search's port.
search.allowFrom(k8s.NetworkPeer.ingressController('ingress-nginx', { 'app.kubernetes.io/name': 'ingress-nginx' }, { meshed: true }));
linkerd.enrol(search);
linkerd.enrol(products, { timeout: Duration.seconds(3), retries: { attempts: 3, perTryTimeout: Duration.millis(800) } });

app.synth();
