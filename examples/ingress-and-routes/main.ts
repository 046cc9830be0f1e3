// A storefront exposed two ways: an Ingress with cert-manager TLS, and a Gateway API HTTPRoute with a canary.
// In your own project, import from the package instead: import { k8s } from 'shipshape';
import { Chart, Duration } from 'cdk8s';
import { k8s } from '../../lib';

// k8s.App runs the policy pack on synth; the output directory is dist/ (or $CDK8S_OUTDIR when set).
const app = new k8s.App();
const chart = new Chart(app, 'storefront', { namespace: 'storefront' });

const web = new k8s.WebService(chart, 'web', { image: 'ghcr.io/acme/storefront-web:2.3.0', port: 3000, partOf: 'storefront' });
const api = new k8s.WebService(chart, 'api', { image: 'ghcr.io/acme/storefront-api:1.8.1', partOf: 'storefront' });
const apiCanary = new k8s.WebService(chart, 'api-canary', { image: 'ghcr.io/acme/storefront-api:1.9.0', partOf: 'storefront' });

// Ingress: TLS from cert-manager (the ClusterIssuer annotation); each backend's NetworkPolicy admits the
// ingress-nginx controller on the routed port.
new k8s.HttpIngress(chart, 'storefront', {
  rules: [
    { host: 'shop.example.com', paths: [{ backend: web }, { path: '/api', backend: api }] },
  ],
  tls: k8s.IngressTls.certManager({ issuer: 'letsencrypt-prod' }),
});

// Gateway API: the same API behind a shared Gateway's HTTPS listener, with a 90/10 canary, a header that
// forces the canary, and timeouts. The gateway's pods are admitted by the backends' NetworkPolicies.
new k8s.HttpRoute(chart, 'storefront-api', {
  gateway: { name: 'public', namespace: 'gateways', sectionName: 'https' },
  hostnames: ['api.example.com'],
  rules: [
    { matches: [{ path: '/', headers: { 'x-canary': 'always' } }], backends: [{ service: apiCanary }] },
    {
      backends: [{ service: api, weight: 90 }, { service: apiCanary, weight: 10 }],
      timeout: Duration.seconds(10),
      backendTimeout: Duration.seconds(3),
    },
  ],
});

app.synth();
