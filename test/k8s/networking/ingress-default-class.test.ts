/**
 * An Ingress that names no class (a cdk8s-plus or hand-written one) is served by the cluster's default IngressClass:
 * the whole-output check puts it in that class when the cluster's profile says which one it is, and otherwise warns
 * of every other class that routes its host and path.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart } from 'cdk8s';
import { ClusterProfile } from '../../../lib/core/cluster-profile';
import { App, HttpIngress, IngressTls, WebService } from '../../../lib/k8s';
import { quietly, stderrOf, validationMessageOf } from '../../util/k8s';
import { cluster } from '../platform/fixtures';

const IMAGE = 'ghcr.io/acme/api:1.4.2';
const dirs: string[] = [];
afterAll(() => dirs.forEach(d => fs.rmSync(d, { recursive: true, force: true })));

function app(profile?: ClusterProfile): App {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-default-class-'));
  dirs.push(d);
  return new App({ outdir: d, policy: false, cluster: profile });
}

/** A hand-written Ingress without ingressClassName routing shop.example.com/ to Service old. */
function classless(chart: Chart): void {
  new ApiObject(chart, 'legacy', {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'legacy' },
    spec: { rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'old', port: { number: 80 } } } }] } }] },
  });
}

function nginxIngress(chart: Chart): void {
  new HttpIngress(chart, 'web', {
    ingressClassName: 'nginx',
    rules: [{ host: 'shop.example.com', paths: [{ backend: new WebService(chart, 'api', { image: IMAGE }) }] }],
    tls: IngressTls.secret('shop-tls'),
  });
}


const NGINX = { name: 'nginx', controller: 'k8s.io/ingress-nginx', controllerNamespace: 'ingress-nginx', controllerPodLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } };

test('without a cluster profile, an Ingress without a class beside one of class nginx on the same host and path is a warning naming both and how to settle it', () => {
  const a = app();
  const c = new Chart(a, 'c', { namespace: 'shop' });
  nginxIngress(c);
  classless(c);
  expect(stderrOf(() => a.synth()).split('\n').filter(l => l.startsWith('shipshape warning:'))).toEqual([
    'shipshape warning: c/legacy: spec.rules[0].http.paths[0] (host "shop.example.com", path "/" (Prefix), no ingressClassName) may also be routed by c/web/Ingress '
    + '(Ingress shop/web, spec.rules[0].http.paths[0], ingress class "nginx"): the cluster\'s default IngressClass serves Ingress shop/legacy, which names no class, and no cluster '
    + 'profile, nor an IngressClass marked default among these objects, says which class that is; if it is "nginx", a controller sends the traffic to only one of them; set ingressClassName '
    + 'on Ingress shop/legacy (cdk8s-plus: className) to the class meant to serve it, and if that is "nginx", give the two routes their own host or path, or merge them; '
    + 'or give the app its cluster\'s profile (App({ cluster })), whose ingress classes say which one is the default',
  ]);
});

test('with a cluster profile whose default class is nginx, the Ingress without a class conflicts with the nginx one: synth fails, whichever comes first', () => {
  const profile = cluster({ ingressClasses: [{ ...NGINX, isDefault: true }] });
  const a = app(profile);
  const c = new Chart(a, 'c', { namespace: 'shop' });
  nginxIngress(c);
  classless(c);
  expect(validationMessageOf(() => quietly(() => a.synth()))).toContain('c/legacy: spec.rules[0].http.paths[0] (host "shop.example.com", path "/" (Prefix), ingress class "nginx" '
    + '(no ingressClassName: the default class of cluster shop-prod)) is also routed by c/web/Ingress (Ingress shop/web, spec.rules[0].http.paths[0]); '
    + 'a controller sends the traffic to only one of them: give each route its own host or path, or merge them into one, '
    + 'or set ingressClassName on Ingress shop/legacy if another class than "nginx" should serve it');
  const b = app(profile);
  const d = new Chart(b, 'c', { namespace: 'shop' });
  classless(d);
  nginxIngress(d);
  expect(validationMessageOf(() => quietly(() => b.synth()))).toContain('c/web/Ingress: spec.rules[0].http.paths[0] (host "shop.example.com", path "/" (Prefix), ingress class "nginx") '
    + 'is also routed by c/legacy (Ingress shop/legacy, spec.rules[0].http.paths[0]) in class "nginx": Ingress shop/legacy names no ingressClassName, '
    + 'and "nginx" is the default class of cluster shop-prod; a controller sends the traffic to only one of them: give each route its own host or path, or merge them into one, '
    + 'or set ingressClassName on Ingress shop/legacy if another class than "nginx" should serve it');
});

test('with a cluster profile whose default class is another one, the Ingress without a class and the nginx one do not conflict (no error, no warning)', () => {
  const a = app(cluster({ ingressClasses: [{ ...NGINX, isDefault: false }, { name: 'traefik', controller: 'traefik.io/ingress-controller', isDefault: true }] }));
  const c = new Chart(a, 'c', { namespace: 'shop' });
  nginxIngress(c);
  classless(c);
  expect(stderrOf(() => a.synth())).not.toContain('shipshape warning:');
});
