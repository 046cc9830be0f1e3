import * as fs from 'fs';
import { ApiObject, App as CdkApp, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { App, EnvValue, Job, Probe, StatefulService, WebService } from '../../../lib/k8s';
import { quietly, validationMessageOf } from '../../util/k8s';
import { parseYamlFiles, tempDir } from '../../util/schema';

const WAVE = 'argocd.argoproj.io/sync-wave';
const IMAGE = 'ghcr.io/acme/shop-api:1.4.2';
const PG = `ghcr.io/acme/db:16.4@sha256:${'a'.repeat(64)}`;

/** Runs the app's validations (which synth runs first), then renders every chart. */
function synth(app: CdkApp): any[] {
  expect(app.node.findAll().flatMap(x => x.node.validate())).toEqual([]);
  return app.charts.flatMap(ch => ch.toJson());
}

function waveOf(objs: any[], kind: string, name: string, ns = 'shop'): string | undefined {
  const found = objs.filter(o => o.kind === kind && o.metadata.name === name && o.metadata.namespace === ns);
  expect(found).toHaveLength(1);
  return found[0].metadata.annotations?.[WAVE];
}

describe('a job of an early Argo CD sync wave: the ConfigMaps and Secrets it and its destinations read', () => {
  test('the reported case, through App.synth: the job\'s ConfigMap goes in its wave, the database\'s Secret in the database\'s', () => {
    const dir = tempDir('shipshape-wave-deps-');
    try {
      const app = new App({ outdir: dir });
      const chart = new Chart(app, 'shop', { namespace: 'shop' });
      new ApiObject(chart, 'cfg', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'api-config' }, data: { LOG: 'info' } });
      const db = new StatefulService(chart, 'db', {
        image: PG,
        port: 5432,
        replicas: 1,
        spread: false,
        readiness: Probe.exec(['pg_isready']),
        liveness: Probe.tcp(),
        secretMounts: [{ secretName: 'db-credentials', mountPath: '/etc/db' }],
      });
      const job = new Job(chart, 'migrate', { image: IMAGE, annotations: { [WAVE]: '-1' }, configMapMounts: [{ configMapName: 'api-config', mountPath: '/etc/shop' }] });
      job.allowTo(db);
      // (declared after the workloads that read it)
      new ApiObject(chart, 'sec', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db-credentials' }, type: 'Opaque', stringData: { password: 'x' } });
      quietly(() => app.synth());
      const docs = parseYamlFiles(dir).flatMap(f => f.docs);
      expect([waveOf(docs, 'StatefulSet', 'db'), waveOf(docs, 'Job', 'migrate')]).toEqual(['-2', '-1']);
      expect([waveOf(docs, 'ConfigMap', 'api-config'), waveOf(docs, 'Secret', 'db-credentials')]).toEqual(['-1', '-2']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('env valueFrom, envFrom, cdk8s-plus objects and a Secret read by both: the lowest wave wins; other objects keep theirs', () => {
    const app = Testing.app();
    const c = new Chart(app, 'shop', { namespace: 'shop' });
    const settings = new kplus.ConfigMap(c, 'settings', { metadata: { name: 'settings' }, data: { region: 'eu-west-1' } });
    new kplus.Secret(c, 'token', { metadata: { name: 'api-token' }, stringData: { token: 'x' } });
    new ApiObject(c, 'env', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'job-env' }, data: { A: '1' } });
    new ApiObject(c, 'shared', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'shared' }, stringData: { password: 'x' } });
    new ApiObject(c, 'unread', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'unread' }, data: { A: '1' } });
    // a ConfigMap of the same name in another namespace is another object
    new ApiObject(new Chart(app, 'other', { namespace: 'other' }), 'settings', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { A: '1' } });
    const db = new StatefulService(c, 'db', { readiness: Probe.http('/readyz'), liveness: Probe.http('/livez'), image: PG, port: 5432, env: { PASSWORD: EnvValue.fromSecretKey('shared', 'password') } });
    const job = new Job(c, 'migrate', {
      image: IMAGE,
      annotations: { [WAVE]: '-1' },
      env: { REGION: EnvValue.fromConfigMap(settings, 'region'), TOKEN: EnvValue.fromSecretKey('api-token', 'token') },
      envFromConfigMaps: ['job-env'],
      secretMounts: [{ secretName: 'shared', mountPath: '/etc/db' }],
    });
    job.allowTo(db);
    // a workload the job does not reach, reading the same ConfigMap, changes nothing
    new WebService(c, 'web', { image: IMAGE, port: 8080, env: { REGION: EnvValue.fromConfigMapKey('settings', 'region') } });
    const objs = synth(app);
    expect([waveOf(objs, 'ConfigMap', 'settings'), waveOf(objs, 'Secret', 'api-token'), waveOf(objs, 'ConfigMap', 'job-env')]).toEqual(['-1', '-1', '-1']);
    expect(waveOf(objs, 'Secret', 'shared')).toBe('-2');
    expect([waveOf(objs, 'ConfigMap', 'unread'), waveOf(objs, 'ConfigMap', 'settings', 'other')]).toEqual([undefined, undefined]);
  });

  test('a lower wave given by hand is kept, a higher one is lowered; a job in a later wave moves nothing', () => {
    const app = Testing.app();
    const c = new Chart(app, 'shop', { namespace: 'shop' });
    new ApiObject(c, 'early', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'early', annotations: { [WAVE]: '-5' } }, data: { A: '1' } });
    new ApiObject(c, 'late', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late', annotations: { [WAVE]: '3' } }, data: { A: '1' } });
    new ApiObject(c, 'report-config', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'report' }, data: { A: '1' } });
    new Job(c, 'migrate', { image: IMAGE, annotations: { [WAVE]: '-1' }, envFromConfigMaps: ['early', 'late'] });
    new Job(c, 'report', { image: IMAGE, annotations: { [WAVE]: '5' }, envFromConfigMaps: ['report'] });
    const objs = synth(app);
    expect([waveOf(objs, 'ConfigMap', 'early'), waveOf(objs, 'ConfigMap', 'late'), waveOf(objs, 'ConfigMap', 'report')]).toEqual(['-5', '-1', undefined]);
  });

  test('an ExternalSecret writing a Secret the database reads goes in its wave, with the SecretStore it names', () => {
    const app = Testing.app();
    const c = new Chart(app, 'shop', { namespace: 'shop' });
    const es = (id: string, spec: any) => new ApiObject(c, id, { apiVersion: 'external-secrets.io/v1beta1', kind: 'ExternalSecret', metadata: { name: id }, spec });
    es('db-es', { secretStoreRef: { name: 'vault' }, target: { name: 'db-credentials' } });
    // (no target: the Secret takes the ExternalSecret's name)
    es('api-token', { secretStoreRef: { name: 'aws', kind: 'ClusterSecretStore' } });
    es('unrelated', { secretStoreRef: { name: 'other' }, target: { name: 'unrelated' } });
    for (const [kind, name] of [['SecretStore', 'vault'], ['ClusterSecretStore', 'aws'], ['SecretStore', 'other']]) {
      new ApiObject(c, `${kind}-${name}`, { apiVersion: 'external-secrets.io/v1beta1', kind, metadata: { name, namespace: kind === 'ClusterSecretStore' ? undefined : 'shop' }, spec: {} });
    }
    const db = new StatefulService(c, 'db', { readiness: Probe.http('/readyz'), liveness: Probe.http('/livez'), image: PG, port: 5432, secretMounts: [{ secretName: 'db-credentials', mountPath: '/etc/db' }] });
    new Job(c, 'migrate', { image: IMAGE, annotations: { [WAVE]: '-1' }, secretMounts: [{ secretName: 'api-token', mountPath: '/etc/token' }] }).allowTo(db);
    const objs = synth(app);
    expect([waveOf(objs, 'ExternalSecret', 'db-es'), waveOf(objs, 'SecretStore', 'vault')]).toEqual(['-2', '-2']);
    expect(waveOf(objs, 'ExternalSecret', 'api-token')).toBe('-1');
    expect(objs.find(o => o.kind === 'ClusterSecretStore').metadata.annotations?.[WAVE]).toBe('-1');
    expect([waveOf(objs, 'ExternalSecret', 'unrelated'), waveOf(objs, 'SecretStore', 'other')]).toEqual([undefined, undefined]);
  });
});

describe('the job\'s sync-wave annotation must be one Argo CD reads', () => {
  const build = (wave: string) => new Job(new Chart(Testing.app(), 'shop', { namespace: 'shop' }), 'migrate', { image: IMAGE, annotations: { [WAVE]: wave } });

  test('a value that is not an integer is refused', () => {
    expect(validationMessageOf(() => build('first'))).toBe('shop/migrate: annotations["argocd.argoproj.io/sync-wave"] ("first") must be an integer (digits with an optional sign, '
      + 'nothing else): Argo CD reads the wave as an integer and puts an object whose wave it cannot read in wave 0 (or the wave its helm.sh/hook-weight gives), so the job would not run before the Deployments, '
      + 'and nothing it needs would go in the wave below it; write the wave as an integer in a string, for example "-1" (a wave below the Deployments\' runs the job '
      + 'before them, see JobProps.annotations)');
    for (const wave of ['-1.5', '', '1e3', '−1']) expect(validationMessageOf(() => build(wave))).toMatch(/\) must be an integer .*; write the wave as an integer in a string/);
  });

  test('an integer with spaces (which Argo CD does not read) is refused, with the value to write', () => {
    expect(validationMessageOf(() => build(' -1 '))).toMatch(/^shop\/migrate: annotations\["argocd\.argoproj\.io\/sync-wave"\] \(" -1 "\) must be an integer .*; write "-1"$/);
  });

  test('integers are accepted, with a sign too', () => {
    for (const [wave, sa] of [['-1', '-2'], ['+0', '-1'], ['-007', '-8'], ['3', undefined]]) {
      const objs = Chart.of(build(wave!)).toJson();
      expect(objs.find(o => o.kind === 'ServiceAccount').metadata.annotations?.[WAVE]).toBe(sa);
    }
  });
});

describe('Helm hooks Argo CD runs as PreSync hooks', () => {
  const build = (annotations: { [key: string]: string }) => new Job(new Chart(Testing.app(), 'shop', { namespace: 'shop' }), 'migrate', { image: IMAGE, annotations });

  test.each(['pre-install,pre-upgrade', 'pre-upgrade', ' post-install , pre-install'])('helm.sh/hook %s is refused', hook => {
    expect(validationMessageOf(() => build({ 'helm.sh/hook': hook }))).toBe(`shop/migrate: annotations["helm.sh/hook"] (${JSON.stringify(hook)}) must not make the job an Argo CD PreSync hook: `
      + 'Argo CD runs Helm\'s pre-install and pre-upgrade hooks as PreSync hooks, before it applies the Sync phase, where the job\'s ServiceAccount and NetworkPolicy are, '
      + 'so a job of a new name could create no pod (its ServiceAccount does not exist yet) and the sync would wait on it until its deadline; '
      + "remove helm.sh/hook and use 'argocd.argoproj.io/hook': 'Sync' with 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation' (it runs with the release), "
      + 'or an argocd.argoproj.io/sync-wave below the Deployments\' (the job\'s ServiceAccount and the NetworkPolicies it needs then go in the wave below it, see JobProps.annotations)');
  });

  test('Helm hooks Argo CD runs as PostSync hooks, and a Helm hook under an Argo CD hook (which Argo CD follows instead), are accepted', () => {
    for (const annotations of [{ 'helm.sh/hook': 'post-install,post-upgrade' }, { 'helm.sh/hook': 'pre-install', 'argocd.argoproj.io/hook': 'Sync' }] as Array<{ [key: string]: string }>) {
      const job = Chart.of(build(annotations)).toJson().find(o => o.kind === 'Job');
      expect(job.metadata.annotations).toEqual(annotations);
    }
  });

  test('an Argo CD PreSync hook beside a Helm hook is refused as before', () => {
    expect(validationMessageOf(() => build({ 'helm.sh/hook': 'post-install', 'argocd.argoproj.io/hook': 'PreSync' })))
      .toMatch(/^shop\/migrate: annotations\["argocd\.argoproj\.io\/hook"\] \("PreSync"\) must not make the job an Argo CD PreSync hook: Argo CD runs PreSync hooks before/);
  });
});
