import { Chart } from 'cdk8s';
import { App, HttpIngress, HttpRoute, IngressTls, NetworkPeer, Probe, StatefulService, WebService, Worker } from '../../../lib/k8s';
import { IMesh, IstioMesh, LinkerdMesh } from '../../../lib/k8s/mesh';
import { AmbassadorProxy } from '../../../lib/k8s/sidecars';
import { stderrOfSynth } from '../../util/k8s';
import { tempDir } from '../../util/schema';
import { one, testChart, validationErrors } from '../networking/traffic-util';

const IMAGE = 'ghcr.io/acme/api:1.4.2';

/** A gRPC store (one instance on purpose) probed with the gRPC health protocol on its client port, called by a meshed web service. */
function grpcStore(chart: Chart, mesh: IMesh): StatefulService {
  const db = new StatefulService(chart, 'db', {
    image: 'ghcr.io/acme/g:1.0.0',
    port: 5432,
    replicas: 1,
    spread: false,
    readiness: Probe.grpc({ service: 'readiness' }),
    liveness: Probe.grpc({ service: 'liveness' }),
  });
  const caller = new WebService(chart, 'api', { image: IMAGE });
  caller.allowTo(db);
  mesh.enrol(caller);
  mesh.enrol(db);
  return db;
}

describe('Linkerd and the kubelet\'s gRPC probes on a StatefulService', () => {
  test('on its opaque Server, which admits meshed callers only: refused at synth, as on a WebService', () => {
    const chart = testChart();
    grpcStore(chart, new LinkerdMesh(chart, 'mesh'));
    expect(validationErrors(chart)).toEqual([
      'shop/db: readinessProbe, livenessProbe (gRPC, port 5432) reach the Linkerd Server of shop/db, which admits meshed callers only: Linkerd\'s default '
      + 'policy authorizes the kubelet\'s HTTP probes (by their paths) only, so the gRPC probes are refused and the pods never become ready; probe an HTTP health '
      + 'endpoint (Probe.http), or run the check in the container (Probe.exec, for example grpc_health_probe)',
    ]);
  });

  test('accepted under Istio (which rewrites the probes), and on a Linkerd Worker (no Server: the cluster\'s default policy applies)', () => {
    const istio = testChart();
    grpcStore(istio, new IstioMesh(istio, 'mesh'));
    expect(validationErrors(istio)).toEqual([]);
    const linkerd = testChart();
    new LinkerdMesh(linkerd, 'mesh').enrol(new Worker(linkerd, 'worker', {
      image: IMAGE, readiness: Probe.grpc({ service: 'readiness' }), liveness: Probe.grpc({ service: 'liveness' }),
    }));
    expect(validationErrors(linkerd)).toEqual([]);
  });
});

describe('Linkerd and TCP probes: the proxy accepts the connection itself', () => {
  /** Synthesizes an app with a PostgreSQL-like store and a worker, both with TCP probes, enrolled in `kind`; returns stderr. */
  const synthOf = (kind: 'istio' | 'linkerd'): string => {
    const app = new App({ outdir: tempDir('shipshape-mesh-probes-'), policy: false });
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    const mesh: IMesh = kind === 'istio' ? new IstioMesh(chart, 'mesh') : new LinkerdMesh(chart, 'mesh');
    const api = new WebService(chart, 'api', { image: IMAGE });
    const db = new StatefulService(chart, 'db', {
      image: 'ghcr.io/acme/postgres:16.4',
      port: 5432,
      replicas: 1,
      spread: false,
      readiness: Probe.exec(['pg_isready']),
      liveness: Probe.tcp(),
      startup: Probe.tcp({ periodSeconds: 10, failureThreshold: 60 }),
    });
    const worker = new Worker(chart, 'worker', { image: IMAGE, readiness: Probe.exec(['/bin/ready']), liveness: Probe.tcp() });
    api.allowTo(db);
    for (const w of [api, db, worker]) mesh.enrol(w);
    // validation run before synth (as a test or a tool may) does not repeat the note
    expect(validationErrors(chart)).toEqual([]);
    return stderrOfSynth(app);
  };

  test('Linkerd: each workload with TCP probes gets one note (not an error) naming them and what to probe with instead', () => {
    const stderr = synthOf('linkerd');
    const notes = stderr.split('\n').filter(l => l.includes('under Linkerd'));
    expect(notes).toEqual([
      'shipshape note: shop/db: livenessProbe, startupProbe (TCP, port 5432) check nothing under Linkerd: the pod\'s Linkerd proxy answers the kubelet\'s connect itself '
      + '(it accepts every TCP connection to the pod\'s ports, whether the app is up, hung or not listening), so they always pass; probe something the app itself answers '
      + 'instead: a command in the container (Probe.exec, for example Probe.exec([\'pg_isready\']) for PostgreSQL) or HTTP (Probe.http); not gRPC on port 5432, '
      + 'whose Linkerd Server admits meshed callers only and refuses the kubelet\'s gRPC probes',
      'shipshape note: shop/worker: livenessProbe (TCP, port 8080) checks nothing under Linkerd: the pod\'s Linkerd proxy answers the kubelet\'s connect itself '
      + '(it accepts every TCP connection to the pod\'s ports, whether the app is up, hung or not listening), so it always passes; probe something the app itself answers '
      + 'instead: a command in the container (Probe.exec, for example Probe.exec([\'pg_isready\']) for PostgreSQL), HTTP (Probe.http) or gRPC (Probe.grpc)',
    ]);
  });

  test('Linkerd: a sidecar\'s TCP probes (an AmbassadorProxy\'s default readiness) are noted too', () => {
    const app = new App({ outdir: tempDir('shipshape-mesh-probes-'), policy: false });
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    const mesh = new LinkerdMesh(chart, 'mesh');
    const w = new Worker(chart, 'w', { image: IMAGE, readiness: Probe.exec(['/bin/ready']), liveness: Probe.exec(['/bin/live']) });
    w.addSidecar(new AmbassadorProxy({ image: 'ghcr.io/acme/redis-proxy:1.0.0', listenPort: 6380, upstream: NetworkPeer.cidr('10.0.32.0/20', { ports: [6379] }) }));
    mesh.enrol(w);
    const notes = stderrOfSynth(app).split('\n').filter(l => l.includes('under Linkerd'));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/^shipshape note: shop\/w: readinessProbe of sidecar container [a-z0-9-]+(, startupProbe of sidecar container [a-z0-9-]+)? \(TCP\) checks? nothing under Linkerd: /);
    expect(notes[0]).toContain('give the sidecar a probe it answers itself (its readiness or liveness option: Probe.http on a health endpoint, or Probe.exec)');
  });

  test('Istio (which rewrites the probes through its agent): no note', () => {
    expect(synthOf('istio')).not.toContain('TCP, port');
  });
});

describe('Istio AuthorizationPolicy of a web service behind both an HttpIngress and an HttpRoute', () => {
  test('the rule for callers without a mesh identity on its port is written once, the rules in the order of their first occurrence', () => {
    const chart = testChart();
    const web = new WebService(chart, 'web', { image: IMAGE });
    new IstioMesh(chart, 'mesh').enrol(web);
    new HttpIngress(chart, 'ing', { rules: [{ host: 'shop.example.com', paths: [{ backend: web }] }], tls: IngressTls.secret('shop-tls') });
    new HttpRoute(chart, 'route', { gateway: { name: 'public', namespace: 'gateways', sectionName: 'https' }, rules: [{ backends: [{ service: web }] }] });
    const to = [{ operation: { ports: ['8080'] } }];
    expect(one(chart.toJson(), 'AuthorizationPolicy', 'web').spec.rules).toEqual([
      { from: [{ source: { namespaces: ['ingress-nginx'] } }], to },
      { from: [{ source: { notPrincipals: ['*'] } }], to },
      { from: [{ source: { namespaces: ['gateways'] } }], to },
    ]);
    expect(validationErrors(chart)).toEqual([]);
  });
});
