import { ApiObject, Chart } from 'cdk8s';
import { App, HttpRoute, WebService } from '../../../lib/k8s';
import { stderrOfSynth } from '../../util/k8s';
import { tempDir } from '../../util/schema';
import { cluster } from '../platform/fixtures';

const LABEL = 'gateway.networking.k8s.io/gateway-name';

/** Synthesizes an app of a cluster (namespace shop gets a default deny), a Gateway "public" there and a route to it; returns stderr. */
function synthOf(extra: (chart: Chart) => void = () => undefined, gatewayNamespace = 'shop', writeGateway = true, enforced = true): string {
  // the app of a cluster writes each namespace it uses, with a default deny
  const app = new App({ outdir: tempDir('shipshape-gateway-'), policy: false, cluster: cluster({ networkPolicyEnforced: enforced }) });
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  const api = new WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.4.2' });
  if (writeGateway) {
    new ApiObject(chart, 'gw', {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'public', namespace: gatewayNamespace },
      spec: { gatewayClassName: 'istio', listeners: [{ name: 'https', protocol: 'HTTPS', port: 443, hostname: '*.example.com', tls: { certificateRefs: [{ name: 'public-tls' }] } }] },
    });
  }
  new HttpRoute(chart, 'route', { gateway: { name: 'public', namespace: gatewayNamespace, sectionName: 'https' }, hostnames: ['shop.example.com'], rules: [{ backends: [{ service: api }] }] });
  extra(chart);
  return stderrOfSynth(app);
}

describe('a Gateway whose pods a default deny of the output isolates', () => {
  test('is named in a note: its listener ports, the deny, and what to add', () => {
    expect(synthOf()).toContain(`shipshape note: Gateway shop/public: its proxy pods (label ${LABEL}: public), which its class istio deploys in the Gateway's namespace, `
      + 'are isolated by NetworkPolicy shop/default-deny of this output (it denies all ingress there), and no NetworkPolicy of the output admits them: '
      + 'the load balancer would not reach them, nor they the backends; add a NetworkPolicy that selects that label, admits 443 from the load balancer and lets them out '
      + 'to the backends, DNS and their control plane (istiod: 15012)\n');
  });

  test('no note once a NetworkPolicy selects the Gateway\'s pods, or for a Gateway the output does not write', () => {
    expect(synthOf(chart => new ApiObject(chart, 'gw-policy', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'public-gateway' },
      spec: { podSelector: { matchLabels: { [LABEL]: 'public' } }, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 443 }] }] },
    }))).not.toContain('proxy pods');
    // a cluster that does not enforce NetworkPolicies (its own note says they isolate nothing)
    expect(synthOf(undefined, 'shop', true, false)).not.toContain('proxy pods');
    // a Gateway of another namespace that the output does not write (nor isolate)
    expect(synthOf(undefined, 'gateways', false)).not.toContain('proxy pods');
    // one the routes attach to that the output does not write: its class (where its pods run) is not known
    expect(synthOf(undefined, 'shop', false)).not.toContain('proxy pods');
  });

  const policy = (spec: any) => (chart: Chart) => new ApiObject(chart, 'gw-policy', { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'public-gateway' }, spec });

  test('a policy that selects the pods but admits no ingress on the listener ports leaves the note standing', () => {
    // egress only: nothing admits ingress
    expect(synthOf(policy({ podSelector: { matchLabels: { [LABEL]: 'public' } }, policyTypes: ['Egress'], egress: [{}] }))).toContain('proxy pods');
    // ingress type without rules: a deny of its own
    expect(synthOf(policy({ podSelector: { matchLabels: { [LABEL]: 'public' } }, policyTypes: ['Ingress'] }))).toContain('proxy pods');
    // another port than the listener's
    expect(synthOf(policy({ podSelector: { matchLabels: { [LABEL]: 'public' } }, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 8443 }] }] })))
      .toContain('no NetworkPolicy of the output admits them: the load balancer would not reach them');
  });

  test('a namespace-wide policy admitting all ingress, or a matchExpressions selector admitting the listener port, admits them: no note', () => {
    expect(synthOf(policy({ podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [{}], egress: [{}] }))).not.toContain('proxy pods');
    expect(synthOf(policy({ podSelector: { matchExpressions: [{ key: LABEL, operator: 'Exists' }] }, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 443 }] }] })))
      .not.toContain('proxy pods');
    // a port range that holds the listener port
    expect(synthOf(policy({ podSelector: { matchLabels: { [LABEL]: 'public' } }, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 400, endPort: 500 }] }] })))
      .not.toContain('proxy pods');
  });
});

