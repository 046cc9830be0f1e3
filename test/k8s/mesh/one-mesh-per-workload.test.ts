import * as fs from 'fs';
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import { Node } from 'constructs';
import * as YAML from 'yaml';
import { Job, App as K8sApp, KubernetesTarget, KubernetesVersion, Schedule, ScheduledJob, WebService, Worker } from '../../../lib/k8s';
import { IstioInjection, IstioMesh, LinkerdMesh } from '../../../lib/k8s/mesh';
import { withValidationPass } from '../../../lib/k8s/synth-steps';
import { tempDir } from '../../util/schema';
import { expectError, one, validationErrors } from '../networking/traffic-util';

const IMAGE = 'ghcr.io/acme/report:1.0.0';
const podMeta = (objs: any[], kind: string, name: string) => {
  const o = one(objs, kind, name);
  return kind === 'CronJob' ? o.spec.jobTemplate.spec.template.metadata : o.spec.template.metadata;
};
const FIGHT = "(iptables rules), so they would fight over every connection and neither mesh's mutual TLS and authorization would hold";

/** Two charts of one app in namespace shop: `shop` (the workloads) and `edge`, each of which can have a mesh. */
function twoCharts(): { app: App; shop: Chart; edge: Chart } {
  const app = Testing.app();
  return { app, shop: new Chart(app, 'shop', { namespace: 'shop' }), edge: new Chart(app, 'edge', { namespace: 'shop' }) };
}

describe('a workload joins one mesh', () => {
  test('enrolled in Istio, then in Linkerd: refused at once, naming both meshes and the workload', () => {
    const { shop, edge } = twoCharts();
    const istio = new IstioMesh(shop, 'mesh');
    const linkerd = new LinkerdMesh(edge, 'mesh');
    const api = new WebService(shop, 'api', { image: 'ghcr.io/acme/api:1.4.2' });
    istio.enrol(api);
    expectError(() => linkerd.enrol(api),
      'edge/mesh: enrol ("shop/api") is already enrolled in shop/mesh (Istio): a pod runs one mesh proxy, and with both the Istio and the Linkerd proxy injected '
      + `each would redirect the pod's traffic through itself ${FIGHT}; enrol shop/api in one mesh only: remove its enrol call on edge/mesh or on shop/mesh`);
  });

  test('enrolled in Linkerd, then in Istio: refused the same way', () => {
    const { app, shop, edge } = twoCharts();
    KubernetesTarget.set(app, KubernetesVersion.V1_29);
    const linkerd = new LinkerdMesh(shop, 'mesh');
    const istio = new IstioMesh(edge, 'mesh');
    const job = new Job(shop, 'migrate', { image: IMAGE });
    linkerd.enrol(job);
    expectError(() => istio.enrol(job),
      'edge/mesh: enrol ("shop/migrate") is already enrolled in shop/mesh (Linkerd): a pod runs one mesh proxy, and with both the Linkerd and the Istio proxy injected '
      + `each would redirect the pod's traffic through itself ${FIGHT}; enrol shop/migrate in one mesh only: remove its enrol call on edge/mesh or on shop/mesh`);
  });

  test('two meshes of one kind (two charts) are refused too', () => {
    const { shop, edge } = twoCharts();
    const a = new IstioMesh(shop, 'mesh');
    const b = new IstioMesh(edge, 'mesh');
    const api = new WebService(shop, 'api', { image: 'ghcr.io/acme/api:1.4.2' });
    a.enrol(api);
    expectError(() => b.enrol(api),
      'edge/mesh: enrol ("shop/api") is already enrolled in shop/mesh (Istio): a workload joins one mesh, and two Istio meshes would write two sets of policies '
      + '(PeerAuthentication, AuthorizationPolicy, Server...) for the same pods; enrol shop/api in one mesh only: remove its enrol call on edge/mesh or on shop/mesh');
  });
});

describe('an enrolled workload whose pods ask the other mesh for its proxy is refused at synth', () => {
  const BOTH_ISTIO = 'shop/api is enrolled in shop/mesh (Istio): its pods would run both the Istio and the Linkerd proxy, each redirecting the pod\'s traffic through itself '
    + FIGHT;
  const BOTH_LINKERD = 'shop/api is enrolled in shop/mesh (Linkerd): its pods would run both the Linkerd and the Istio proxy, each redirecting the pod\'s traffic through itself '
    + FIGHT;

  test('Istio, with linkerd.io/inject: enabled in podAnnotations', () => {
    const { shop } = twoCharts();
    const mesh = new IstioMesh(shop, 'mesh');
    mesh.enrol(new WebService(shop, 'api', { image: 'ghcr.io/acme/api:1.4.2', podAnnotations: { 'linkerd.io/inject': 'enabled' } }));
    expect(validationErrors(shop)).toEqual([
      `shop/api: podAnnotations["linkerd.io/inject"] ("enabled") asks Linkerd to inject its proxy, and ${BOTH_ISTIO}; `
      + 'remove it (or set it to "disabled"), or enrol shop/api in a LinkerdMesh instead of shop/mesh',
    ]);
  });

  test('Istio, with linkerd.io/inject added after enrolment; "disabled" passes', () => {
    const { shop } = twoCharts();
    const mesh = new IstioMesh(shop, 'mesh');
    const api = new WebService(shop, 'api', { image: 'ghcr.io/acme/api:1.4.2' });
    mesh.enrol(api);
    expect(validationErrors(shop)).toEqual([]);
    api.addPodAnnotation('linkerd.io/inject', 'ingress');
    expect(validationErrors(shop)).toEqual([expect.stringMatching(/^shop\/api: podAnnotations\["linkerd.io\/inject"\] \("ingress"\) asks Linkerd to inject its proxy/)]);
    api.addPodAnnotation('linkerd.io/inject', 'disabled');
    expect(validationErrors(shop)).toEqual([]);
  });

  test('Linkerd, with the sidecar.istio.io/inject label, the deprecated annotation, or an istio.io/rev label', () => {
    const make = () => {
      const { shop } = twoCharts();
      const mesh = new LinkerdMesh(shop, 'mesh');
      const api = new WebService(shop, 'api', { image: 'ghcr.io/acme/api:1.4.2' });
      mesh.enrol(api);
      return { shop, api };
    };
    const label = make();
    label.api.addPodLabel('sidecar.istio.io/inject', 'true');
    expect(validationErrors(label.shop)).toEqual([
      `shop/api: podLabels["sidecar.istio.io/inject"] ("true") asks Istio to inject its proxy, and ${BOTH_LINKERD}; `
      + 'remove it (or set it to "false"), or enrol shop/api in an IstioMesh instead of shop/mesh',
    ]);
    const annotation = make();
    annotation.api.addPodAnnotation('sidecar.istio.io/inject', 'true');
    expect(validationErrors(annotation.shop)).toEqual([expect.stringMatching(/^shop\/api: podAnnotations\["sidecar.istio.io\/inject"\] \("true"\) asks Istio to inject/)]);
    const rev = make();
    rev.api.addPodLabel('istio.io/rev', 'stable');
    expect(validationErrors(rev.shop)).toEqual([
      `shop/api: podLabels["istio.io/rev"] ("stable") asks the Istio revision it names to inject its proxy, and ${BOTH_LINKERD}; `
      + 'remove the label, or enrol shop/api in an IstioMesh instead of shop/mesh',
    ]);
    // opted out: the revision label alone does not inject
    rev.api.addPodLabel('sidecar.istio.io/inject', 'false');
    expect(validationErrors(rev.shop)).toEqual([]);
  });

  test('Istio, in a namespace whose Namespace object (written by the app) has linkerd.io/inject: enabled', () => {
    const { app, shop } = twoCharts();
    const platform = new Chart(app, 'platform');
    new ApiObject(platform, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', annotations: { 'linkerd.io/inject': 'enabled' } } });
    const mesh = new IstioMesh(shop, 'mesh');
    const api = new WebService(shop, 'api', { image: 'ghcr.io/acme/api:1.4.2' });
    mesh.enrol(api);
    expect(validationErrors(shop)).toEqual([
      'shop/api: namespace ("shop") is written by the Namespace platform/ns, whose annotation linkerd.io/inject: "enabled" makes Linkerd inject its proxy into every pod there, '
      + `and ${BOTH_ISTIO}; opt the pods out of Linkerd (addPodAnnotation('linkerd.io/inject', 'disabled') on shop/api, which writes linkerd.io/inject: "disabled"), `
      + 'or remove that annotation from platform/ns, or enrol shop/api in a LinkerdMesh instead of shop/mesh',
    ]);
    api.addPodAnnotation('linkerd.io/inject', 'disabled');
    expect(validationErrors(shop)).toEqual([]);
  });

  test('Linkerd, in a namespace the app labels istio-injection: enabled itself', () => {
    const { app, shop } = twoCharts();
    const platform = new Chart(app, 'platform');
    new ApiObject(platform, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'istio-injection': 'enabled' } } });
    const mesh = new LinkerdMesh(shop, 'mesh');
    mesh.enrol(new WebService(shop, 'api', { image: 'ghcr.io/acme/api:1.4.2' }));
    expect(validationErrors(shop)).toEqual([
      'shop/api: namespace ("shop") is written by the Namespace platform/ns, whose label istio-injection: "enabled" makes Istio inject its proxy into every pod there, '
      + `and ${BOTH_LINKERD}; opt the pods out of Istio (addPodLabel('sidecar.istio.io/inject', 'false') on shop/api, which writes sidecar.istio.io/inject: "false"), `
      + 'or remove that label from platform/ns, or enrol shop/api in an IstioMesh instead of shop/mesh',
    ]);
  });
});

describe('IstioInjection.NAMESPACE_LABEL: the workloads of a labelled namespace that are not enrolled opt out', () => {
  function setup() {
    const { app, shop, edge } = twoCharts();
    KubernetesTarget.set(app, KubernetesVersion.V1_29);
    const platform = new Chart(app, 'platform');
    new ApiObject(platform, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    const mesh = new IstioMesh(shop, 'mesh', { injection: IstioInjection.NAMESPACE_LABEL });
    const api = new WebService(shop, 'api', { image: 'ghcr.io/acme/api:1.4.2' });
    const enrolledJob = new Job(shop, 'seed', { image: IMAGE });
    mesh.enrol(api);
    mesh.enrol(enrolledJob);
    // not enrolled: created after the enrolments, also in another chart of the namespace
    const job = new Job(shop, 'migrate', { image: IMAGE });
    const cron = new ScheduledJob(shop, 'report', { image: IMAGE, schedule: Schedule.cron('0 4 * * *') });
    const worker = new Worker(edge, 'mailer', { image: 'ghcr.io/acme/mailer:2.1.0' });
    // another namespace: not labelled, left alone
    const other = new Job(new Chart(app, 'ops', { namespace: 'ops' }), 'backup', { image: IMAGE });
    return { app, shop, edge, platform, api, job, cron, worker, other };
  }

  test('Job, ScheduledJob and Worker pods get sidecar.istio.io/inject: "false"; the enrolled ones do not', () => {
    const { app } = setup();
    const objs = YAML.parseAllDocuments(app.synthYaml()).map(d => d.toJS()).filter(Boolean);
    expect(one(objs, 'Namespace', 'shop').metadata.labels['istio-injection']).toBe('enabled');
    expect(podMeta(objs, 'Job', 'migrate').labels['sidecar.istio.io/inject']).toBe('false');
    expect(podMeta(objs, 'CronJob', 'report').labels['sidecar.istio.io/inject']).toBe('false');
    expect(podMeta(objs, 'Deployment', 'mailer').labels['sidecar.istio.io/inject']).toBe('false');
    // enrolled: injected by the namespace label; the enrolled Job's proxy is a native sidecar
    expect(podMeta(objs, 'Deployment', 'api').labels['sidecar.istio.io/inject']).toBeUndefined();
    expect(podMeta(objs, 'Job', 'seed').labels['sidecar.istio.io/inject']).toBeUndefined();
    expect(podMeta(objs, 'Job', 'seed').annotations['sidecar.istio.io/nativeSidecar']).toBe('true');
    expect(podMeta(objs, 'Job', 'backup').labels['sidecar.istio.io/inject']).toBeUndefined();
    // the opt-out is a label only (the annotation of that name is deprecated)
    expect(podMeta(objs, 'Job', 'migrate').annotations?.['sidecar.istio.io/inject']).toBeUndefined();
  });

  test('a workload that sets sidecar.istio.io/inject itself is left as it is', () => {
    const { shop, edge, job, worker } = setup();
    job.addPodLabel('sidecar.istio.io/inject', 'true');
    worker.addPodAnnotation('sidecar.istio.io/inject', 'false');
    expect(validationErrors(shop)).toEqual([]);
    const objs = shop.toJson();
    expect(podMeta(objs, 'Job', 'migrate').labels['sidecar.istio.io/inject']).toBe('true');
    const mailer = podMeta(edge.toJson(), 'Deployment', 'mailer');
    expect(mailer.labels['sidecar.istio.io/inject']).toBeUndefined();
    expect(mailer.annotations['sidecar.istio.io/inject']).toBe('false');
  });

  test('a namespace the app does not write is opted out too (it is to be labelled on the cluster)', () => {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    const mesh = new IstioMesh(chart, 'mesh', { injection: IstioInjection.NAMESPACE_LABEL });
    mesh.enrol(new WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.4.2' }));
    new Job(chart, 'migrate', { image: IMAGE });
    expect(validationErrors(chart)).toEqual([]);
    expect(podMeta(chart.toJson(), 'Job', 'migrate').labels['sidecar.istio.io/inject']).toBe('false');
  });

  test('a Linkerd-enrolled workload in the namespace is opted out of Istio and not refused, whatever the validation order', () => {
    const { app, shop, edge } = twoCharts();
    const linkerd = new LinkerdMesh(edge, 'mesh');
    const web = new WebService(edge, 'web', { image: 'ghcr.io/acme/web:2.0.1' });
    linkerd.enrol(web);
    // the app's Namespace labelled by hand as well: the Linkerd workload may be validated before the IstioMesh writes its opt-out
    new ApiObject(new Chart(app, 'platform'), 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'istio-injection': 'enabled' } } });
    const istio = new IstioMesh(shop, 'mesh', { injection: IstioInjection.NAMESPACE_LABEL });
    istio.enrol(new WebService(shop, 'api', { image: 'ghcr.io/acme/api:1.4.2' }));
    expect(web.node.validate()).toEqual([]);
    expect(validationErrors(shop)).toEqual([]);
    const meta = podMeta(edge.toJson(), 'Deployment', 'web');
    expect(meta.labels['sidecar.istio.io/inject']).toBe('false');
    expect(meta.annotations['linkerd.io/inject']).toBe('enabled');
  });

  test('pod-label injection (the default) writes no opt-out: nothing labels the namespace', () => {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    const mesh = new IstioMesh(chart, 'mesh');
    mesh.enrol(new WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.4.2' }));
    new Job(chart, 'migrate', { image: IMAGE });
    expect(validationErrors(chart)).toEqual([]);
    expect(podMeta(chart.toJson(), 'Job', 'migrate').labels['sidecar.istio.io/inject']).toBeUndefined();
  });

  test('Linkerd injects by pod annotation only: a job it does not enrol gets no linkerd.io/inject', () => {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    const mesh = new LinkerdMesh(chart, 'mesh');
    mesh.enrol(new WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.4.2' }));
    new Job(chart, 'migrate', { image: IMAGE });
    expect(validationErrors(chart)).toEqual([]);
    const objs = chart.toJson();
    expect(podMeta(objs, 'Job', 'migrate').annotations?.['linkerd.io/inject']).toBeUndefined();
    expect(objs.filter(o => o.kind === 'Namespace')).toEqual([]);
  });
});

describe('the app\'s Namespace objects are read afresh by every synth', () => {
  const nsWithLinkerd = (app: App) => new ApiObject(new Chart(app, 'platform'), 'ns', {
    apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', annotations: { 'linkerd.io/inject': 'enabled' } },
  });
  const REFUSED = /\[shop\/mesh\] shop\/api: namespace \("shop"\) is written by the Namespace platform\/ns, whose annotation linkerd.io\/inject: "enabled" makes Linkerd inject/;

  test('a Namespace object added after a synth, in the same synchronous run, is seen by the next synth (cdk8s App)', () => {
    const app = Testing.app();
    const shop = new Chart(app, 'shop', { namespace: 'shop' });
    new IstioMesh(shop, 'mesh').enrol(new WebService(shop, 'api', { image: 'ghcr.io/acme/api:1.4.2' }));
    expect(() => app.synthYaml()).not.toThrow();
    nsWithLinkerd(app);
    expect(() => app.synthYaml()).toThrow(REFUSED);
  });

  test('the same with shipshape\'s App, whose synth validates in one pass', () => {
    const outdir = tempDir();
    try {
      const app = new K8sApp({ outdir, policy: false });
      const shop = new Chart(app, 'shop', { namespace: 'shop' });
      new IstioMesh(shop, 'mesh').enrol(new WebService(shop, 'api', { image: 'ghcr.io/acme/api:1.4.2' }));
      expect(() => app.synthYaml()).not.toThrow();
      nsWithLinkerd(app);
      expect(() => app.synthYaml()).toThrow(REFUSED);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('IstioInjection.NAMESPACE_LABEL labels a Namespace object added between two synths', () => {
    const app = Testing.app();
    const shop = new Chart(app, 'shop', { namespace: 'shop' });
    new IstioMesh(shop, 'mesh', { injection: IstioInjection.NAMESPACE_LABEL }).enrol(new WebService(shop, 'api', { image: 'ghcr.io/acme/api:1.4.2' }));
    app.synthYaml();
    new ApiObject(new Chart(app, 'platform'), 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    const objs = YAML.parseAllDocuments(app.synthYaml()).map(d => d.toJS()).filter(Boolean);
    expect(one(objs, 'Namespace', 'shop').metadata.labels['istio-injection']).toBe('enabled');
  });

  test('the tree is walked once per mesh, not once per enrolled workload; not at all within synth\'s validation pass', () => {
    const app = Testing.app();
    const shop = new Chart(app, 'shop', { namespace: 'shop' });
    const mesh = new LinkerdMesh(shop, 'mesh');
    for (let i = 0; i < 30; i++) mesh.enrol(new WebService(shop, `api${i}`, { image: 'ghcr.io/acme/api:1.4.2' }));
    const all = app.node.findAll();
    const walks = jest.spyOn(Node.prototype, 'findAll');
    try {
      expect(mesh.node.validate()).toEqual([]);
      expect(walks).toHaveBeenCalledTimes(1);
      walks.mockClear();
      expect(withValidationPass(all, () => mesh.node.validate())).toEqual([]);
      expect(walks).not.toHaveBeenCalled();
    } finally {
      walks.mockRestore();
    }
  });

  test('a Linkerd mesh validated before the Istio mesh that opts its workload out does not refuse it', () => {
    const { app, shop, edge } = twoCharts();
    const linkerd = new LinkerdMesh(edge, 'mesh');
    linkerd.enrol(new WebService(edge, 'web', { image: 'ghcr.io/acme/web:2.0.1' }));
    new ApiObject(new Chart(app, 'platform'), 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'istio-injection': 'enabled' } } });
    const istio = new IstioMesh(shop, 'mesh', { injection: IstioInjection.NAMESPACE_LABEL });
    istio.enrol(new WebService(shop, 'api', { image: 'ghcr.io/acme/api:1.4.2' }));
    expect(linkerd.node.validate()).toEqual([]);
    expect(istio.node.validate()).toEqual([]);
  });
});
