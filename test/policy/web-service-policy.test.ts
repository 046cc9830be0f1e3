import { Chart, Testing } from 'cdk8s';
import { EnvironmentProfile } from '../../lib/core';
import { Job, Replicas, Schedule, ScheduledJob, Probe, StatefulService, WebService, Worker, WorkerScaling } from '../../lib/k8s';
import { KubernetesPack, PolicyEngine, PolicyReport } from '../../lib/policy';
import { k8sDocument } from '../../lib/policy/runner';

// shipshape's defaults give no finding unless the user asks for something unusual, in every profile: a profile
// never generates what the rules flag. Warnings a user cannot act on teach them to ignore warnings.

const IMAGE = 'ghcr.io/acme/api:1.4.2';

function check(build: (c: Chart) => void): PolicyReport {
  const c = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
  build(c);
  return new PolicyEngine({ packs: [new KubernetesPack()] }).check(c.toJson().map((m: any) => k8sDocument(m, `shop/${m.kind}/${m.metadata?.name}`)));
}

const shown = (r: PolicyReport) => r.findings.map(f => `${f.severity} ${f.ruleId} ${f.kind}/${f.name} ${f.jsonPath}: ${f.message}`);

describe.each([EnvironmentProfile.PRODUCTION, EnvironmentProfile.STAGING, EnvironmentProfile.DEVELOPMENT])('%s profile: defaults give no finding', (profile) => {
  test('WebService', () => {
    expect(shown(check(c => new WebService(c, 'api', { image: IMAGE, profile })))).toEqual([]);
  });

  test('Worker', () => {
    expect(shown(check(c => new Worker(c, 'mailer', { image: IMAGE, profile })))).toEqual([]);
  });

  test('Worker autoscaled on CPU (in development: an HPA of 1..2, no PDB, no spread)', () => {
    expect(shown(check(c => new Worker(c, 'mailer', { image: IMAGE, profile, scaling: WorkerScaling.cpu() })))).toEqual([]);
  });

  test('WebService autoscaled (in development: an HPA of 1..2, no PDB, no spread)', () => {
    expect(shown(check(c => new WebService(c, 'api', { image: IMAGE, profile, replicas: Replicas.autoscale() })))).toEqual([]);
  });

  test('StatefulService', () => {
    expect(shown(check(c => new StatefulService(c, 'db', {
      readiness: Probe.http('/readyz'),
      liveness: Probe.http('/livez'),
      image: IMAGE,
      profile,
      port: 5432,
      volumes: [{ name: 'data', size: '10Gi', mountPath: '/var/lib/data' }],
    })))).toEqual([]);
  });

  test('ScheduledJob and Job', () => {
    expect(shown(check(c => {
      new ScheduledJob(c, 'report', { image: IMAGE, profile, schedule: Schedule.cron('0 3 * * *') });
      new Job(c, 'migrate', { image: IMAGE, profile });
    }))).toEqual([]);
  });
});

test('the development profile tells the availability rules so, on the Deployment and on its autoscaler', () => {
  const c = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
  const w = new Worker(c, 'mailer', { image: IMAGE, profile: EnvironmentProfile.DEVELOPMENT, scaling: WorkerScaling.cpu() });
  const objs = c.toJson();
  const dep = objs.find((m: any) => m.kind === 'Deployment');
  const hpa = objs.find((m: any) => m.kind === 'HorizontalPodAutoscaler');
  expect(dep.metadata.annotations).toEqual({ 'polaris.fairwinds.com/deploymentMissingReplicas-exempt': 'true', 'shipshape.io/profile': 'development' });
  expect(hpa.metadata.annotations).toEqual({ 'shipshape.io/profile': 'development' });
  expect([w.minReplicas, w.maxReplicas]).toEqual([1, 2]);
  expect(w.pdb).toBeUndefined();
});

test('production objects carry no profile annotation', () => {
  const c = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
  new WebService(c, 'api', { image: IMAGE });
  for (const m of c.toJson()) expect(m.metadata.annotations?.['shipshape.io/profile']).toBeUndefined();
});

test('something unusual is still told: one fixed replica in production', () => {
  const r = check(c => new WebService(c, 'api', { image: IMAGE, replicas: Replicas.fixed(1) }));
  expect(shown(r)).toEqual(['warning SS-K8S-037 Deployment/api spec.replicas: Deployment runs fewer than 2 replicas']);
});

test('something unusual is still told: a floating image tag', () => {
  const r = check(c => new WebService(c, 'api', { image: 'ghcr.io/acme/api:1.4' }));
  expect(shown(r)).toEqual(['warning SS-K8S-030 Deployment/api spec.template.spec.containers[0].image: Image ghcr.io/acme/api:1.4 uses the tag 1.4, which may float: '
    + 'many images move a MAJOR.MINOR tag to each patch release (for others it is the exact release); a digest pins it either way']);
});
