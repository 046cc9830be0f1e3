import { outputNotes, readByOutputNotes } from '../../lib/k8s/output-notes';

/** An object of the output at a made-up construct path. */
const at = (manifest: any, i: number) => ({ manifest, path: `app/o${i}` });

const netpol = (ns: string, name: string, spec: any) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec });
const gw = 'gateway.networking.k8s.io/v1';

/**
 * One output with a case of every note (and beside each, an object that keeps a note away: a ReferenceGrant, a
 * TriggerAuthentication, a NetworkPolicy admitting a Gateway's pods), among objects no note reads.
 */
const OUTPUT = [
  // a workload shipshape did not write behind a Service, isolated by a namespace-wide deny
  { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'catalog', namespace: 'shop' }, spec: { template: { metadata: { labels: { app: 'catalog' } } } } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'catalog', namespace: 'shop' }, spec: { selector: { app: 'catalog' } } },
  netpol('shop', 'deny-all', { podSelector: {}, policyTypes: ['Ingress'] }),
  // an istio Gateway whose pods a deny isolates, and one whose pods a policy admits
  { apiVersion: gw, kind: 'Gateway', metadata: { name: 'edge', namespace: 'edge' }, spec: { gatewayClassName: 'istio', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] } },
  netpol('edge', 'deny-all', { podSelector: {}, policyTypes: ['Ingress'] }),
  { apiVersion: gw, kind: 'Gateway', metadata: { name: 'admitted', namespace: 'edge2' }, spec: { gatewayClassName: 'istio', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] } },
  netpol('edge2', 'deny-all', { podSelector: {}, policyTypes: ['Ingress'] }),
  netpol('edge2', 'gateway-in', { podSelector: { matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'admitted' } }, policyTypes: ['Ingress'], ingress: [{}] }),
  // a listener reading a Secret of another namespace without a grant, and one with
  {
    apiVersion: gw,
    kind: 'Gateway',
    metadata: { name: 'tls', namespace: 'web' },
    spec: {
      gatewayClassName: 'eks',
      listeners: [
        { name: 'a', port: 443, protocol: 'HTTPS', tls: { certificateRefs: [{ name: 'cert-a', namespace: 'certs' }] } },
        { name: 'b', port: 8443, protocol: 'HTTPS', tls: { certificateRefs: [{ name: 'cert-b', namespace: 'certs' }] } },
      ],
    },
  },
  { apiVersion: 'gateway.networking.k8s.io/v1beta1', kind: 'ReferenceGrant', metadata: { name: 'b', namespace: 'certs' }, spec: { from: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'web' }], to: [{ group: '', kind: 'Secret', name: 'cert-b' }] } },
  // an Ingress reading a Secret cert-manager writes in another namespace only
  { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'site', namespace: 'storefront' }, spec: { secretName: 'site-tls', dnsNames: ['shop.example.com'] } },
  { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'pay', namespace: 'payments' }, spec: { tls: [{ secretName: 'site-tls', hosts: ['pay.example.com'] }] } },
  // KEDA triggers: one authentication missing, one held
  { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'worker', namespace: 'jobs' }, spec: { triggers: [{ type: 'aws-sqs-queue', authenticationRef: { name: 'missing' } }, { type: 'aws-sqs-queue', authenticationRef: { name: 'held' } }] } },
  { apiVersion: 'keda.sh/v1alpha1', kind: 'TriggerAuthentication', metadata: { name: 'held', namespace: 'jobs' }, spec: {} },
  // nothing a note reads
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop' }, data: {} },
  { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'catalog', namespace: 'shop' } },
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
].map(at);

describe('the objects the whole-output notes read (kept by a synth that keeps no other)', () => {
  test('the notes of the kept objects are those of the whole output, one of each kind of note', () => {
    const all = outputNotes(OUTPUT, undefined);
    expect(all).toHaveLength(5);
    expect(all.join('')).toEqual(expect.stringContaining('Deployment shop/catalog, which shipshape did not write'));
    expect(all.join('')).toEqual(expect.stringContaining('Gateway edge/edge: its proxy pods'));
    expect(all.join('')).not.toContain('Gateway edge2/admitted');
    expect(all.join('')).toEqual(expect.stringContaining('listener a reads Secret certs/cert-a'));
    expect(all.join('')).not.toContain('listener b');
    expect(all.join('')).toEqual(expect.stringContaining('Ingress payments/pay reads TLS Secret payments/site-tls'));
    expect(all.join('')).toEqual(expect.stringContaining('its triggers name TriggerAuthentication jobs/missing,'));
    expect(outputNotes(OUTPUT.filter(o => readByOutputNotes(o.manifest)), undefined)).toEqual(all);
  });

  test('objects of other kinds (and values that are no object) are not kept', () => {
    expect(OUTPUT.filter(o => !readByOutputNotes(o.manifest)).map(o => o.manifest.kind)).toEqual(['ConfigMap', 'ServiceAccount', 'Namespace']);
    expect(readByOutputNotes(undefined)).toBe(false);
    expect(readByOutputNotes(null)).toBe(false);
  });
});
