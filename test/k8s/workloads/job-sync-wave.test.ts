import * as fs from 'fs';
import { Chart, Testing } from 'cdk8s';
import { App, Job, KubernetesTarget, KubernetesVersion, Probe, StatefulService } from '../../../lib/k8s';
import { IstioMesh, LinkerdMesh } from '../../../lib/k8s/mesh';
import { quietly } from '../../util/k8s';
import { parseYamlFiles, tempDir } from '../../util/schema';
import { cluster } from '../platform/fixtures';

const WAVE = 'argocd.argoproj.io/sync-wave';
const IMAGE = 'ghcr.io/acme/api:1.4.2';

describe('a job of an early Argo CD sync wave, the mesh and the namespace', () => {
  test.each(['istio', 'linkerd'])('%s: the destination\'s mesh authorization objects take the wave too, whether enrolled before or after the call', kind => {
    for (const enrolFirst of [true, false]) {
      const c = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
      // (a job joins a mesh on 1.29+ targets, where its proxy is a native sidecar)
      KubernetesTarget.set(c, KubernetesVersion.V1_33);
      const mesh = kind === 'istio' ? new IstioMesh(c, 'mesh') : new LinkerdMesh(c, 'mesh');
      const db = new StatefulService(c, 'db', { readiness: Probe.http('/readyz'), liveness: Probe.http('/livez'), image: 'ghcr.io/acme/db:1.0.0', port: 5432 });
      const job = new Job(c, 'migrate', { image: IMAGE, annotations: { [WAVE]: '-1' } });
      mesh.enrol(job);
      if (enrolFirst) mesh.enrol(db);
      job.allowTo(db);
      if (!enrolFirst) mesh.enrol(db);
      // (validation writes the wave onto objects a later enrolment made, as synth runs it)
      expect(c.node.findAll().flatMap(x => x.node.validate())).toEqual([]);
      const objs = c.toJson();
      const kinds = kind === 'istio' ? ['PeerAuthentication', 'AuthorizationPolicy'] : ['Server', 'MeshTLSAuthentication', 'AuthorizationPolicy'];
      const db_ = (k: string) => objs.find(o => o.kind === k && o.metadata.name === 'db');
      expect(kinds.map(k => [k, db_(k).metadata.annotations?.[WAVE]])).toEqual(kinds.map(k => [k, '-2']));
    }
  });

  test('with App({ cluster }): the Namespace the app writes, its default deny and DNS policies, the destination and the StorageClasses go in the job\'s earlier wave', () => {
    const dir = tempDir('shipshape-wave-');
    try {
      const app = new App({ outdir: dir, cluster: cluster() });
      const shop = new Chart(app, 'shop', { namespace: 'shop' });
      const data = new Chart(app, 'data', { namespace: 'data' });
      const db = new StatefulService(data, 'db', { readiness: Probe.http('/readyz'), liveness: Probe.http('/livez'), image: 'ghcr.io/acme/db:1.0.0', port: 5432 });
      new Job(shop, 'migrate', { image: IMAGE, annotations: { [WAVE]: '-1' } }).allowTo(db);
      new StatefulService(new Chart(app, 'other', { namespace: 'other' }), 'queue', { readiness: Probe.http('/readyz'), liveness: Probe.http('/livez'), image: 'ghcr.io/acme/queue:1.0.0', port: 5672 });
      quietly(() => app.synth());
      const docs = parseYamlFiles(dir).flatMap(f => f.docs);
      const wave = (kind: string, name: string, ns?: string) => docs.find(d => d.kind === kind && d.metadata.name === name && d.metadata.namespace === ns)?.metadata.annotations?.[WAVE];
      expect([wave('Namespace', 'shop'), wave('NetworkPolicy', 'default-deny', 'shop'), wave('NetworkPolicy', 'allow-dns', 'shop')]).toEqual(['-2', '-2', '-2']);
      // the destination's namespace too, the destination itself (it must run before the job, on a first sync too), and
      // the StorageClasses its volume may claim (Argo CD orders a wave's objects by kind: Namespace, StorageClass, ...)
      expect(wave('Namespace', 'data')).toBe('-2');
      expect([wave('StatefulSet', 'db', 'data'), wave('Service', 'db', 'data'), wave('ServiceAccount', 'db', 'data')]).toEqual(['-2', '-2', '-2']);
      const classes = docs.filter(d => d.kind === 'StorageClass');
      expect(classes.length).toBeGreaterThan(0);
      for (const sc of classes) expect(sc.metadata.annotations?.[WAVE]).toBe('-2');
      // a namespace the job does not reach keeps the default wave
      expect([wave('Namespace', 'other'), wave('StatefulSet', 'queue', 'other')]).toEqual([undefined, undefined]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
