import * as fs from 'fs';
import * as path from 'path';
import { Chart } from 'cdk8s';
import { App, Job, PodManagementPolicy, Probe, StatefulService, StatefulServiceProps } from '../../lib/k8s';
import { stderrOf } from '../util/k8s';
import { tempDir } from '../util/schema';

// The next synth into a folder says when an object keeps its name but changes a field the API server keeps fixed:
// applying that output would fail ("updates to statefulset spec for fields other than ... are forbidden").

const outdir = () => tempDir('shipshape-fixed-');

/** Synthesizes one database and one job into `dir`, and returns what synth printed on stderr. */
function synth(dir: string, db: Partial<StatefulServiceProps> = {}, jobImage = 'ghcr.io/acme/api:1.4.2', jobAnnotations?: { [k: string]: string }): string {
  App._forgetOutdirs(); // each synth stands for a new run of the program
  const app = new App({ outdir: dir });
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  new StatefulService(chart, 'db', {
    image: 'ghcr.io/acme/pg:16.4.0',
    port: 5432,
    readiness: Probe.tcp(),
    liveness: Probe.exec(['pg_isready']),
    volumes: [{ name: 'data', size: '50Gi', mountPath: '/var/lib/data' }],
    ...db,
  });
  new Job(chart, 'migrate', { image: jobImage, args: ['migrate'], ...(jobAnnotations ? { annotations: jobAnnotations } : {}) });
  return stderrOf(() => app.synth());
}

const notes = (stderr: string) => stderr.split('\n').filter(l => l.startsWith('shipshape: ') && l.includes('since the last synth'));

describe('fields the API server keeps fixed', () => {
  test('a new volume size is named, with the way to apply it', () => {
    const dir = outdir();
    expect(notes(synth(dir))).toEqual([]);
    expect(notes(synth(dir, { volumes: [{ name: 'data', size: '100Gi', mountPath: '/var/lib/data' }] }))).toEqual([
      `shipshape: shop/db/StatefulSet: StatefulSet shop/db changes spec.volumeClaimTemplates since the last synth into ${dir}; the API server refuses that change `
      + 'to an existing StatefulSet (kubectl apply and an Argo CD sync would fail): put it back, or delete the StatefulSet but not its pods and claims before applying '
      + '(kubectl delete statefulset db -n shop --cascade=orphan): the next apply creates it anew and it adopts them; a claim that exists keeps its size and class: '
      + 'to grow a volume, resize each replica\'s claim (kubectl patch pvc, which its StorageClass must allow: allowVolumeExpansion) before that; a claim never shrinks, '
      + 'and only replicas added later get a smaller size (see VolumeClaim.size)',
    ]);
    // said once: the record now holds the new size
    expect(notes(synth(dir, { volumes: [{ name: 'data', size: '100Gi', mountPath: '/var/lib/data' }] }))).toEqual([]);
  });

  test('a new pod management policy, and a Job\'s new image under the same name, are named', () => {
    const dir = outdir();
    synth(dir);
    const said = notes(synth(dir, { podManagementPolicy: PodManagementPolicy.PARALLEL }, 'ghcr.io/acme/api:1.5.0'));
    expect(said).toHaveLength(2);
    expect(said[0]).toMatch(/^shipshape: shop\/db\/StatefulSet: StatefulSet shop\/db changes spec.podManagementPolicy since the last synth/);
    expect(said[1]).toMatch(/^shipshape: shop\/migrate\/Job: Job shop\/migrate changes spec.template since the last synth into \S+; .*give each run's Job its own name/);
  });

  test('what the API server accepts says nothing: an image upgrade, more replicas, new labels', () => {
    const dir = outdir();
    synth(dir);
    expect(notes(synth(dir, { image: 'ghcr.io/acme/pg:16.5.0', replicas: 5, labels: { 'acme.dev/team': 'data' } }))).toEqual([]);
  });

  test('a Job that an Argo CD hook replaces (BeforeHookCreation) may change: the hook deletes the old one first', () => {
    const dir = outdir();
    const hook = { 'argocd.argoproj.io/hook': 'Sync', 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation' };
    synth(dir, {}, 'ghcr.io/acme/api:1.4.2', hook);
    expect(notes(synth(dir, {}, 'ghcr.io/acme/api:1.5.0', hook))).toEqual([]);
  });

  test('an Argo CD hook Job without a delete policy is replaced too (BeforeHookCreation is the default); one deleted only on success is not', () => {
    const dir = outdir();
    synth(dir, {}, 'ghcr.io/acme/api:1.4.2', { 'argocd.argoproj.io/hook': 'Sync' });
    expect(notes(synth(dir, {}, 'ghcr.io/acme/api:1.5.0', { 'argocd.argoproj.io/hook': 'Sync' }))).toEqual([]);
    const kept = { 'argocd.argoproj.io/hook': 'Sync', 'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded' };
    synth(dir, {}, 'ghcr.io/acme/api:1.4.2', kept);
    expect(notes(synth(dir, {}, 'ghcr.io/acme/api:1.5.0', kept))).toHaveLength(1);
  });

  test('the record keeps short fingerprints of those fields only', () => {
    const dir = outdir();
    synth(dir);
    const record = JSON.parse(fs.readFileSync(path.join(dir, '.shipshape', 'output.json'), 'utf-8'));
    expect(Object.keys(record.fixed)).toEqual(['Job shop/migrate', 'StatefulSet shop/db']); // in key order, whatever the program's order
    expect(Object.keys(record.fixed['StatefulSet shop/db'])).toEqual(['spec.selector', 'spec.serviceName', 'spec.podManagementPolicy', 'spec.volumeClaimTemplates']);
    expect(record.fixed['Job shop/migrate']['spec.template']).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('a StatefulSet with volume claims that leaves the output', () => {
  /** One store (`id`, with claims unless `volumes` is empty) in namespace shop; returns stderr. */
  function store(dir: string, id: string, props: Partial<StatefulServiceProps> = {}): string {
    App._forgetOutdirs();
    const app = new App({ outdir: dir });
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    new StatefulService(chart, id, {
      image: 'ghcr.io/acme/pg:16.4.0',
      port: 5432,
      readiness: Probe.tcp(),
      liveness: Probe.exec(['pg_isready']),
      volumes: [{ name: 'data', size: '50Gi', mountPath: '/var/lib/data' }],
      ...props,
    });
    return stderrOf(() => app.synth());
  }
  const said = (stderr: string) => stderr.split('\n').filter(l => l.includes('which an earlier synth wrote with volume claims'));

  test('renamed: a warning that the new one starts on empty volumes, with the old name as the fix; the old name keeps it quiet', () => {
    const dir = outdir();
    store(dir, 'db');
    expect(said(store(dir, 'postgres'))).toEqual([
      `shipshape warning: ${dir}: StatefulSet shop/db, which an earlier synth wrote with volume claims, is no longer in the output, and StatefulSet shop/postgres `
      + 'is new in namespace shop: if one is db renamed, it starts on new, empty volumes (a StatefulSet\'s claims are named after it), while db\'s claims '
      + '(<claim>-db-<ordinal>) keep the data in the cluster (unless its claimsWhenDeleted is Delete, when deleting db deletes them); to keep the data, give the '
      + 'renamed construct its old name (name: \'db\')',
    ]);
    // said once: the record no longer holds db
    expect(said(store(dir, 'postgres'))).toEqual([]);
    const again = outdir();
    store(again, 'db');
    expect(said(store(again, 'postgres', { name: 'db' }))).toEqual([]);
  });

  test('removed with no StatefulSet new in its namespace: a note that its claims stay', () => {
    const dir = outdir();
    synth(dir);
    App._forgetOutdirs();
    const app = new App({ outdir: dir });
    new Job(new Chart(app, 'shop', { namespace: 'shop' }), 'migrate', { image: 'ghcr.io/acme/api:1.4.2', args: ['migrate'] });
    const notesNow = said(stderrOf(() => app.synth()));
    expect(notesNow).toHaveLength(1);
    expect(notesNow[0]).toMatch(/^shipshape note: \S+: StatefulSet shop\/db, which an earlier synth wrote with volume claims, is no longer in the output: applied with pruning it is deleted, and its claims \(<claim>-db-<ordinal>\) keep the data/);
  });

  test('one without volume claims leaves without a word', () => {
    const dir = outdir();
    store(dir, 'cache', { volumes: [] });
    expect(said(store(dir, 'memcache', { volumes: [] }))).toEqual([]);
  });
});
