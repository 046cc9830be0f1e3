import { Chart } from 'cdk8s';
import { App, HttpIngress, IngressTls, WebService } from '../../../lib/k8s';
import { tlsSecretNotes } from '../../../lib/k8s/output-notes';
import { stderrOfSynth } from '../../util/k8s';
import { tempDir } from '../../util/schema';

/** Synthesizes the app `build` makes (with the policy on, unless `policy` is false) and returns what synth printed on stderr. */
function synthOf(build: (app: App) => void, policy = true): string {
  const app = new App({ outdir: tempDir('shipshape-tls-'), policy });
  build(app);
  return stderrOfSynth(app);
}

/** An ingress for `host` in namespace `ns` with `tls`. */
function ingress(app: App, ns: string, host: string, tls: IngressTls): void {
  const chart = new Chart(app, ns, { namespace: ns });
  const web = new WebService(chart, 'web', { image: 'ghcr.io/acme/web:1.0.0' });
  new HttpIngress(chart, 'ing', { rules: [{ host, paths: [{ backend: web }] }], tls });
}

describe('TLS Secrets that cert-manager writes for another namespace or other hosts', () => {
  test('an Ingress reading a Secret of its name that cert-manager writes in another namespace only is noted', () => {
    const printed = synthOf(app => {
      ingress(app, 'storefront', 'shop.example.com', IngressTls.certManager({ issuer: 'letsencrypt', secretName: 'site-tls' }));
      ingress(app, 'payments', 'pay.example.com', IngressTls.secret('site-tls'));
    });
    expect(printed).toContain('shipshape note: Ingress payments/ing reads TLS Secret payments/site-tls, which no object of this output makes, while cert-manager writes a Secret '
      + 'of that name in namespace storefront (Ingress storefront/ing (cert-manager\'s ingress-shim)): an Ingress reads Secrets of its own namespace only, so unless '
      + 'payments/site-tls is made otherwise its controller serves its default certificate; ask cert-manager for a certificate in this namespace (IngressTls.certManager)\n');
  });

  test('the note does not depend on the policy: with policy: false (and no cluster profile) synth prints it too', () => {
    const build = (app: App) => {
      ingress(app, 'storefront', 'shop.example.com', IngressTls.certManager({ issuer: 'letsencrypt', secretName: 'site-tls' }));
      ingress(app, 'payments', 'pay.example.com', IngressTls.secret('site-tls'));
    };
    const note = 'shipshape note: Ingress payments/ing reads TLS Secret payments/site-tls, which no object of this output makes';
    expect(synthOf(build, false)).toContain(note);
    expect(synthOf(build, false)).not.toContain('shipshape policy');
  });

  test('an Ingress serving other hosts with a Secret cert-manager issues in its namespace is noted; a wildcard covers one label', () => {
    const printed = synthOf(app => {
      const chart = new Chart(app, 'shop', { namespace: 'shop' });
      const web = new WebService(chart, 'web', { image: 'ghcr.io/acme/web:1.0.0' });
      new HttpIngress(chart, 'ing', { rules: [{ host: 'shop.example.com', paths: [{ backend: web }] }], tls: IngressTls.certManager({ issuer: 'le', secretName: 'site-tls' }) });
      const api = new WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.0.0' });
      new HttpIngress(chart, 'api-ing', { rules: [{ host: 'api.example.com', paths: [{ backend: api }] }], tls: IngressTls.secret('site-tls') });
    });
    expect(printed).toContain('shipshape note: Ingress shop/api-ing serves api.example.com with Secret shop/site-tls, whose certificate Ingress shop/ing (cert-manager\'s ingress-shim) '
      + 'issues for shop.example.com only: clients would get a certificate without their host name; give this Ingress a certificate of its own (IngressTls.certManager) '
      + 'or add the hosts to that certificate\n');
  });

  test('a Secret of the Ingress\'s own namespace that nothing of the output issues, or a host the certificate covers, is not noted', () => {
    const printed = synthOf(app => {
      ingress(app, 'shop', 'shop.example.com', IngressTls.secret('shop-tls'));
      ingress(app, 'other', 'other.example.com', IngressTls.certManager({ issuer: 'le', secretName: 'other-tls' }));
    });
    expect(printed).not.toContain('TLS Secret');
    expect(printed).not.toContain('with Secret');
  });

  test('a wildcard certificate covers the hosts one label below it, not deeper ones', () => {
    const cert = { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'wild', namespace: 'shop' }, spec: { secretName: 'wild-tls', dnsNames: ['*.example.com'] } };
    const ing = (hosts: string[]) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'ing', namespace: 'shop' }, spec: { tls: [{ secretName: 'wild-tls', hosts }] } });
    const notes = (hosts: string[]) => tlsSecretNotes([{ manifest: cert, path: 'c' }, { manifest: ing(hosts), path: 'i' }]);
    expect(notes(['a.example.com', 'b.example.com'])).toEqual([]);
    expect(notes(['a.b.example.com', 'example.com'])).toEqual([expect.stringContaining('serves a.b.example.com, example.com with Secret shop/wild-tls, whose certificate Certificate shop/wild issues for *.example.com only')]);
  });
});

describe('Gateway listeners reading a certificate Secret of another namespace', () => {
  const gateway = {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name: 'public', namespace: 'shop' },
    spec: { gatewayClassName: 'istio', listeners: [{ name: 'https', protocol: 'HTTPS', port: 443, tls: { certificateRefs: [{ name: 'wildcard-tls', namespace: 'certs' }] } }] },
  };
  const grant = (name?: string) => ({
    apiVersion: 'gateway.networking.k8s.io/v1beta1',
    kind: 'ReferenceGrant',
    metadata: { name: 'gateways', namespace: 'certs' },
    spec: { from: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'shop' }], to: [{ group: '', kind: 'Secret', ...(name ? { name } : {}) }] },
  });
  const notes = (...extra: any[]) => tlsSecretNotes([gateway, ...extra].map((manifest, i) => ({ manifest, path: `o${i}` })));

  test('without a ReferenceGrant of the output: noted (the listener would report RefNotPermitted)', () => {
    expect(notes()).toEqual(['shipshape note: Gateway shop/public: listener https reads Secret certs/wildcard-tls from another namespace, and no ReferenceGrant of this '
      + 'output in certs lets Gateways of shop read it: unless one is made otherwise, the listener reports RefNotPermitted and serves no TLS; add a ReferenceGrant in certs '
      + '(from: Gateway of namespace shop, to: Secret wildcard-tls)\n']);
  });

  test('a ReferenceGrant for every Secret of the namespace, or for that one, lets it; one for another Secret does not', () => {
    expect(notes(grant())).toEqual([]);
    expect(notes(grant('wildcard-tls'))).toEqual([]);
    expect(notes(grant('other-tls'))).toHaveLength(1);
  });
});
