import { ApiObject, Chart, Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { Job, KubernetesTarget, KubernetesVersion, WebService, Worker } from '../../../lib/k8s';
import { IstioInjection, IstioMesh, LinkerdMesh } from '../../../lib/k8s/mesh';
import { one, validationErrors } from '../networking/traffic-util';

const IMAGE = 'ghcr.io/acme/api:1.4.2';
const ISTIO_OFF = 'opts its pods out of Istio\'s injection (Istio injects on "true", "yes", "y" or "on" only), though shop/api is enrolled in shop/mesh (Istio): '
  + 'its pods would run without the Istio proxy, which is what enforces its STRICT PeerAuthentication and its AuthorizationPolicy, so they would protect nothing, '
  + 'its own calls would carry no mesh identity and be refused by meshed services, and for a service its DestinationRule (ISTIO_MUTUAL) makes meshed callers '
  + 'send Istio\'s mutual TLS, which the app cannot answer';
const FIX = (what: string) => `remove that ${what} (the enrolment injects the proxy by itself), or, to keep shop/api out of the mesh, do not enrol it (remove its enrol call on shop/mesh)`;
const LINKERD_OFF = 'opts its pods out of Linkerd\'s injection (Linkerd injects on "enabled" or "ingress" only), though shop/api is enrolled in shop/mesh (Linkerd): '
  + 'its pods would run without the Linkerd proxy, which is what enforces its Server and AuthorizationPolicy, so they would protect nothing (every caller the '
  + 'NetworkPolicy lets through would get in, without mutual TLS), and its own calls would carry no mesh identity and be refused by the Servers of meshed services';

function chart(): Chart {
  return new Chart(Testing.app(), 'shop', { namespace: 'shop' });
}

describe('an enrolled workload whose pods opt out of its own mesh is refused at synth', () => {
  test('Istio: the pod label sidecar.istio.io/inject: "false" added after enrolment', () => {
    const shop = chart();
    const api = new WebService(shop, 'api', { image: IMAGE });
    new IstioMesh(shop, 'mesh').enrol(api);
    expect(validationErrors(shop)).toEqual([]);
    api.addPodLabel('sidecar.istio.io/inject', 'false');
    expect(validationErrors(shop)).toEqual([`shop/api: podLabels["sidecar.istio.io/inject"] ("false") ${ISTIO_OFF}; ${FIX('label')}`]);
  });

  test('Istio: an opt-out label set before enrolment is kept, not overwritten, and refused', () => {
    const shop = chart();
    const api = new WebService(shop, 'api', { image: IMAGE });
    api.addPodLabel('sidecar.istio.io/inject', 'false');
    new IstioMesh(shop, 'mesh').enrol(api);
    expect(validationErrors(shop)).toEqual([`shop/api: podLabels["sidecar.istio.io/inject"] ("false") ${ISTIO_OFF}; ${FIX('label')}`]);
  });

  test('Istio, namespace-label injection: the annotation sidecar.istio.io/inject: "false" (props) turns the proxy off and is refused', () => {
    const shop = chart();
    const mesh = new IstioMesh(shop, 'mesh', { injection: IstioInjection.NAMESPACE_LABEL });
    mesh.enrol(new WebService(shop, 'api', { image: IMAGE, podAnnotations: { 'sidecar.istio.io/inject': 'false' } }));
    expect(validationErrors(shop)).toEqual([`shop/api: podAnnotations["sidecar.istio.io/inject"] ("false") ${ISTIO_OFF}; ${FIX('annotation')}`]);
  });

  test('Istio, pod-label injection: the annotation is ignored by Istio (the label wins) and refused as a contradiction', () => {
    const shop = chart();
    new IstioMesh(shop, 'mesh').enrol(new WebService(shop, 'api', { image: IMAGE, podAnnotations: { 'sidecar.istio.io/inject': 'no' } }));
    expect(validationErrors(shop)).toEqual([
      'shop/api: podAnnotations["sidecar.istio.io/inject"] ("no") asks Istio not to inject its proxy, which contradicts the enrolment of shop/api in shop/mesh (Istio): '
      + 'Istio reads the pod label sidecar.istio.io/inject: "true" first, so the pods get the proxy anyway and the annotation is ignored; ' + FIX('annotation'),
    ]);
  });

  test('Istio: values on which Istio injects pass', () => {
    const shop = chart();
    const api = new WebService(shop, 'api', { image: IMAGE, podAnnotations: { 'sidecar.istio.io/inject': 'Yes' } });
    new IstioMesh(shop, 'mesh').enrol(api);
    api.addPodLabel('sidecar.istio.io/inject', 'TRUE');
    expect(validationErrors(shop)).toEqual([]);
  });

  test('Linkerd: linkerd.io/inject: disabled added after enrolment, or given in props before it, is refused', () => {
    const after = chart();
    const api = new WebService(after, 'api', { image: IMAGE });
    new LinkerdMesh(after, 'mesh').enrol(api);
    api.addPodAnnotation('linkerd.io/inject', 'disabled');
    expect(validationErrors(after)).toEqual([`shop/api: podAnnotations["linkerd.io/inject"] ("disabled") ${LINKERD_OFF}; ${FIX('annotation')}`]);

    // given before enrolment, it is not overridden by the mesh's "enabled" (which would hide it): it is refused too
    const before = chart();
    new LinkerdMesh(before, 'mesh').enrol(new WebService(before, 'api', { image: IMAGE, podAnnotations: { 'linkerd.io/inject': 'disabled' } }));
    expect(validationErrors(before)).toEqual([`shop/api: podAnnotations["linkerd.io/inject"] ("disabled") ${LINKERD_OFF}; ${FIX('annotation')}`]);
  });

  test('Linkerd: "ingress" passes', () => {
    const shop = chart();
    const api = new WebService(shop, 'api', { image: IMAGE });
    new LinkerdMesh(shop, 'mesh').enrol(api);
    api.addPodAnnotation('linkerd.io/inject', 'ingress');
    expect(validationErrors(shop)).toEqual([]);
  });

  test('synth fails, listing the error under the mesh that enrolled the workload', () => {
    const app = Testing.app();
    const shop = new Chart(app, 'shop', { namespace: 'shop' });
    const api = new WebService(shop, 'api', { image: IMAGE });
    new IstioMesh(shop, 'mesh').enrol(api);
    api.addPodLabel('sidecar.istio.io/inject', 'false');
    expect(() => app.synthYaml()).toThrow(`[shop/mesh] shop/api: podLabels["sidecar.istio.io/inject"] ("false") ${ISTIO_OFF}; ${FIX('label')}`);
  });
});

describe('shipshape\'s own opt-out (IstioInjection.NAMESPACE_LABEL) never trips the check', () => {
  test('the workloads of the labelled namespace not enrolled in Istio, Linkerd-enrolled ones included, synthesize', () => {
    const app = Testing.app();
    KubernetesTarget.set(app, KubernetesVersion.V1_29);
    const shop = new Chart(app, 'shop', { namespace: 'shop' });
    const edge = new Chart(app, 'edge', { namespace: 'shop' });
    const other = new Chart(app, 'other', { namespace: 'shop' });
    new ApiObject(new Chart(app, 'platform'), 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    const istio = new IstioMesh(shop, 'mesh', { injection: IstioInjection.NAMESPACE_LABEL });
    istio.enrol(new WebService(shop, 'api', { image: IMAGE }));
    istio.enrol(new Job(shop, 'seed', { image: IMAGE }));
    // not enrolled in Istio: opted out by the mesh
    new Job(shop, 'migrate', { image: IMAGE });
    new LinkerdMesh(edge, 'mesh').enrol(new WebService(edge, 'web', { image: IMAGE }));
    // another IstioMesh (pod-label injection) in another chart of the namespace: its workload is enrolled in Istio, so left alone
    new IstioMesh(other, 'mesh').enrol(new Worker(other, 'mailer', { image: IMAGE }));

    const objs = YAML.parseAllDocuments(app.synthYaml()).map(d => d.toJS()).filter(Boolean);
    const pod = (kind: string, name: string) => one(objs, kind, name).spec.template.metadata;
    expect(pod('Job', 'migrate').labels['sidecar.istio.io/inject']).toBe('false');
    expect(pod('Deployment', 'web').labels['sidecar.istio.io/inject']).toBe('false');
    expect(pod('Deployment', 'web').annotations['linkerd.io/inject']).toBe('enabled');
    expect(pod('Deployment', 'api').labels['sidecar.istio.io/inject']).toBeUndefined();
    expect(pod('Job', 'seed').labels['sidecar.istio.io/inject']).toBeUndefined();
    expect(pod('Deployment', 'mailer').labels['sidecar.istio.io/inject']).toBe('true');
    // validated again, after the opt-outs were written
    expect(validationErrors(shop)).toEqual([]);
  });
});
