import { Chart, Testing } from 'cdk8s';
import { Job, JobProps, JobRestartPolicy, NetworkPeer, Probe, StatefulService } from '../../../lib/k8s';
import { expectError, policyErrors } from '../../util/k8s';
import { expectValid } from '../../util/schema';

const IMAGE = 'ghcr.io/acme/api:1.4.2';

function build(props: Partial<JobProps> = {}, id = 'migrate'): { objs: any[]; job: Job; chart: Chart } {
  const c = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
  const job = new Job(c, id, { image: IMAGE, ...props });
  return { objs: c.toJson(), job, chart: c };
}

const find = (objs: any[], kind: string) => objs.find(o => o.kind === kind);

describe('Job defaults', () => {
  const { objs, job } = build();

  test('exposes the Job object as batchJob (escape hatch)', () => {
    expect(job.batchJob.kind).toBe('Job');
    expect(job.containerPorts).toEqual([]);
  });

  test('creates ServiceAccount, NetworkPolicy and a batch/v1 Job; no Service, PDB or autoscaler', () => {
    expect(objs.map(o => o.kind).sort()).toEqual(['Job', 'NetworkPolicy', 'ServiceAccount']);
    const j = find(objs, 'Job');
    expect(j.apiVersion).toBe('batch/v1');
    expect(j.metadata.labels['app.kubernetes.io/component']).toBe('job');
    expect(j.metadata.annotations).toBeUndefined();
  });

  test('backoffLimit 3, activeDeadlineSeconds 3600, ttlSecondsAfterFinished 86400', () => {
    const s = find(objs, 'Job').spec;
    expect([s.backoffLimit, s.activeDeadlineSeconds, s.ttlSecondsAfterFinished]).toEqual([3, 3600, 86400]);
  });

  test('restartPolicy Never, grace 30 s, hardened pod without ports, probes or spread', () => {
    const p = find(objs, 'Job').spec.template.spec;
    expect(p.restartPolicy).toBe('Never');
    expect(p.terminationGracePeriodSeconds).toBe(30);
    expect(p.automountServiceAccountToken).toBe(false);
    expect(p.securityContext.runAsNonRoot).toBe(true);
    expect(p.containers[0].ports).toBeUndefined();
    expect(p.containers[0].readinessProbe).toBeUndefined();
    expect(p.affinity).toBeUndefined();
  });

  test('NetworkPolicy admits nothing in', () => {
    expect(find(objs, 'NetworkPolicy').spec.ingress).toEqual([]);
  });

  test('validates strictly against Kubernetes 1.27 and 1.36 and passes the policy pack without error', () => {
    expectValid(objs);
    expect(policyErrors(objs)).toEqual([]);
  });
});

describe('Job options', () => {
  test('retry, deadline, TTL, restart policy and annotations are configurable', () => {
    const { objs } = build({
      backoffLimit: 0,
      activeDeadlineSeconds: 600,
      ttlSecondsAfterFinished: 0,
      restartPolicy: JobRestartPolicy.ON_FAILURE,
      terminationGracePeriodSeconds: 10,
      annotations: { 'argocd.argoproj.io/hook': 'Sync' },
    });
    const j = find(objs, 'Job');
    expect([j.spec.backoffLimit, j.spec.activeDeadlineSeconds, j.spec.ttlSecondsAfterFinished]).toEqual([0, 600, 0]);
    expect(j.spec.template.spec.restartPolicy).toBe('OnFailure');
    expect(j.spec.template.spec.terminationGracePeriodSeconds).toBe(10);
    expect(j.metadata.annotations).toEqual({ 'argocd.argoproj.io/hook': 'Sync' });
    expectValid(objs);
  });

  test.each(['PreSync', 'PreSync,PostSync', ' PostSync , PreSync'])('an Argo CD PreSync hook (%s) is refused: its ServiceAccount would not exist yet', hook => {
    expect(() => build({ annotations: { 'argocd.argoproj.io/hook': hook } })).toThrow(
      /annotations\["argocd\.argoproj\.io\/hook"\] \(.*\) must not make the job an Argo CD PreSync hook: Argo CD runs PreSync hooks before it applies the Sync phase, where the job's ServiceAccount and NetworkPolicy are.*; use 'argocd\.argoproj\.io\/hook': 'Sync'/);
  });

  test('a job in an early Argo CD sync wave: its ServiceAccount and NetworkPolicy, and every object of its destinations, go in the wave below', () => {
    const c = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    const db = new StatefulService(c, 'db', { readiness: Probe.http('/readyz'), liveness: Probe.http('/livez'), image: 'ghcr.io/acme/db:1.0.0', port: 5432 });
    const cache = new StatefulService(c, 'cache', { readiness: Probe.http('/readyz'), liveness: Probe.http('/livez'), image: 'ghcr.io/acme/cache:1.0.0', port: 6379 });
    const job = new Job(c, 'migrate', { image: IMAGE, annotations: { 'argocd.argoproj.io/sync-wave': '-1' } });
    job.allowTo(db);
    // declared from the other side, and by a second job in an earlier wave still (the lowest wave wins)
    cache.allowFrom(job);
    new Job(c, 'seed', { image: IMAGE, annotations: { 'argocd.argoproj.io/sync-wave': '-3' } }).allowTo(db);
    const objs = c.toJson();
    const wave = (kind: string, name: string) => objs.find(o => o.kind === kind && o.metadata.name === name).metadata.annotations?.['argocd.argoproj.io/sync-wave'];
    expect([wave('Job', 'migrate'), wave('ServiceAccount', 'migrate'), wave('NetworkPolicy', 'migrate')]).toEqual(['-1', '-2', '-2']);
    expect([wave('NetworkPolicy', 'db'), wave('NetworkPolicy', 'cache'), wave('NetworkPolicy', 'seed')]).toEqual(['-4', '-2', '-4']);
    // the destinations run before the job (on a first sync they are not there yet): all their objects go in that wave
    for (const kind of ['StatefulSet', 'ServiceAccount', 'Service', 'PodDisruptionBudget']) expect([kind, wave(kind, 'db'), wave(kind, 'cache')]).toEqual([kind, '-4', '-2']);
    // the job itself stays in its wave
    expect(wave('Job', 'seed')).toBe('-3');
    expectValid(objs);
  });

  test('a job in a later wave than the default (or none) changes no other object\'s wave', () => {
    const c = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    const db = new StatefulService(c, 'db', { readiness: Probe.http('/readyz'), liveness: Probe.http('/livez'), image: 'ghcr.io/acme/db:1.0.0', port: 5432 });
    new Job(c, 'report', { image: IMAGE, annotations: { 'argocd.argoproj.io/sync-wave': '5' } }).allowTo(db);
    const annotated = c.toJson().filter(o => o.metadata.annotations?.['argocd.argoproj.io/sync-wave'] !== undefined).map(o => `${o.kind} ${o.metadata.name}`);
    expect(annotated).toEqual(['Job report']);
  });

  test('PostSync and Sync hooks are accepted', () => {
    for (const hook of ['PostSync', 'Sync', 'Skip']) {
      const j = find(build({ annotations: { 'argocd.argoproj.io/hook': hook } }).objs, 'Job');
      expect(j.metadata.annotations['argocd.argoproj.io/hook']).toBe(hook);
    }
  });

  test('allowTo a StatefulService opens egress here and ingress there', () => {
    const { chart, job } = build();
    const db = new StatefulService(chart, 'db', { readiness: Probe.http('/readyz'), liveness: Probe.http('/livez'), image: 'ghcr.io/acme/db:1.0.0', port: 5432 });
    job.allowTo(db);
    const objs = chart.toJson();
    const nps = objs.filter(o => o.kind === 'NetworkPolicy');
    const jobNp = nps.find(n => n.metadata.name === 'migrate').spec;
    const dbNp = nps.find(n => n.metadata.name === 'db').spec;
    expect(jobNp.egress[1]).toEqual({ to: [{ podSelector: { matchLabels: db.selectorLabels } }], ports: [{ port: 5432, protocol: 'TCP' }] });
    expect(dbNp.ingress.map((r: any) => r.from[0].podSelector.matchLabels)).toContainEqual(job.selectorLabels);
  });
});

describe('Job validation', () => {
  test.each<[string, Partial<JobProps>, string]>([
    ['negative backoffLimit', { backoffLimit: -1 }, 'shop/migrate: backoffLimit (-1) must be a whole number of at least 0; use for example 3'],
    ['zero deadline', { activeDeadlineSeconds: 0 }, 'shop/migrate: activeDeadlineSeconds (0) must be a whole number of at least 1; give the longest a run may take, for example 3600'],
    ['fractional TTL', { ttlSecondsAfterFinished: 1.5 }, 'shop/migrate: ttlSecondsAfterFinished (1.5) must be a whole number of at least 0; use for example 86400 (one day)'],
    ['restart policy Always', { restartPolicy: 'Always' as any }, 'shop/migrate: restartPolicy ("Always") must be Never or OnFailure (a job pod must end, rule SS-K8S-071); use JobRestartPolicy.NEVER'],
    ['zero grace period', { terminationGracePeriodSeconds: 0 }, 'shop/migrate: terminationGracePeriodSeconds (0) must be a whole number of at least 1; use for example 30'],
    ['latest image', { image: 'ghcr.io/acme/api:latest' }, 'shop/migrate: image'],
  ])('%s', (_name, props, message) => {
    expectError(() => build(props), message);
  });

  test('allowFrom on a Job is refused', () => {
    const { job } = build();
    expectError(() => job.allowFrom(NetworkPeer.namespace('x')), 'shop/migrate: allowFrom ("namespace x") would admit a caller, but this workload is a Job, which accepts no inbound connections; remove the connection');
  });
});
