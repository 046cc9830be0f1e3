import { Chart, Testing } from 'cdk8s';
import { EnvironmentProfile } from '../../../lib/core';
import {
  ClaimRetention, PodManagementPolicy, Probe, Replicas, Schedule, StatefulService, StatefulServiceProps, WebService, WebServiceProps, Worker, WorkerProps, WorkerScaling,
} from '../../../lib/k8s';
import { expectError } from '../../util/k8s';

const IMAGE = 'ghcr.io/acme/store:2.1.0';

function chart(): Chart {
  return new Chart(Testing.app(), 'shop', { namespace: 'shop' });
}
const stateful = (props: Partial<StatefulServiceProps>, id = 'db') => () => new StatefulService(chart(), id, { image: IMAGE, ...props });
const web = (props: Partial<WebServiceProps>, id = 'api') => () => new WebService(chart(), id, { image: IMAGE, ...props });
const worker = (props: Partial<WorkerProps>) => () => new Worker(chart(), 'mailer', { image: IMAGE, ...props });
/** What plain JavaScript may pass where the types say otherwise. */
const js = (v: unknown): any => v;

describe('StatefulService enum props are checked at runtime (plain JavaScript can pass any string)', () => {
  test.each<[string, Partial<StatefulServiceProps>, string]>([
    ['podManagementPolicy in the wrong case', { podManagementPolicy: js('parallel') },
      'shop/db: podManagementPolicy ("parallel") must be a PodManagementPolicy: "OrderedReady" or "Parallel" (the case matters); use PodManagementPolicy.PARALLEL ("Parallel")'],
    ['podManagementPolicy unknown', { podManagementPolicy: js('AllAtOnce') },
      'shop/db: podManagementPolicy ("AllAtOnce") must be a PodManagementPolicy: "OrderedReady" or "Parallel" (the case matters); use PodManagementPolicy.ORDERED_READY or PodManagementPolicy.PARALLEL'],
    ['claimsWhenDeleted in the wrong case', { claimsWhenDeleted: js('delete') },
      'shop/db: claimsWhenDeleted ("delete") must be a ClaimRetention: "Retain" or "Delete" (the case matters); use ClaimRetention.DELETE ("Delete")'],
    ['claimsWhenScaled unknown', { claimsWhenScaled: js('Keep') },
      'shop/db: claimsWhenScaled ("Keep") must be a ClaimRetention: "Retain" or "Delete" (the case matters); use ClaimRetention.RETAIN or ClaimRetention.DELETE'],
  ])('%s', (_name, props, message) => {
    expectError(stateful(props), message);
  });

  test('the enum members are accepted and written', () => {
    const c = chart();
    new StatefulService(c, 'db', { image: IMAGE, podManagementPolicy: PodManagementPolicy.PARALLEL, claimsWhenDeleted: ClaimRetention.DELETE });
    const spec = c.toJson().find(o => o.kind === 'StatefulSet').spec;
    expect(spec.podManagementPolicy).toBe('Parallel');
    expect(spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Delete', whenScaled: 'Retain' });
  });
});

describe('a workload name that cannot name its Service (a DNS-1035 label starts with a letter) is refused at construction', () => {
  const why = 'starts with a digit, and it also names the workload\'s Service, whose name the API server requires to be a DNS-1035 label '
    + '(1-63 characters of a-z, 0-9 and \'-\', starting with a letter): applying the Service would fail';

  test('StatefulService, name given', () => {
    expectError(stateful({ name: '2fa-store' }), `shop/db: name ("2fa-store") ${why}; pass a name that starts with a letter, for example name: "store-2fa"`);
  });

  test('StatefulService, name from the construct id', () => {
    expectError(stateful({}, '2faStore'),
      `shop/2faStore: name ("2fa-store") ${why}; pass a name that starts with a letter, for example name: "store-2fa" (the name defaults to the construct id, "2faStore", in kebab case)`);
  });

  test('WebService, name given and from the id', () => {
    expectError(web({ name: '2fa-store' }), `shop/api: name ("2fa-store") ${why}; pass a name that starts with a letter, for example name: "store-2fa"`);
    expectError(web({}, '123'), `shop/123: name ("123") ${why}; pass a name that starts with a letter, for example name: "svc-123" (the name defaults to the construct id, "123", in kebab case)`);
  });

  test('a digit inside the name is fine; a Worker (no Service) may start with a digit', () => {
    expect(web({ name: 'store-2fa' })).not.toThrow();
    expect(stateful({ name: 'db2' })).not.toThrow();
    expect(() => new Worker(chart(), '2fa-mailer', { image: IMAGE })).not.toThrow();
  });
});

describe('the replica count messages fit the profile', () => {
  const development = { profile: EnvironmentProfile.DEVELOPMENT };

  test.each<[string, () => unknown, string]>([
    ['WebService autoscaled, development', web({ ...development, replicas: Replicas.autoscale({ min: 0 }) }),
      'shop/api: replicas.min (0) must be a whole number of at least 1; use 1 (the development profile\'s default) or more'],
    ['WebService fixed, development', web({ ...development, replicas: Replicas.fixed(0) }),
      'shop/api: replicas (0) must be a whole number of at least 1; use Replicas.fixed(1) (the development profile\'s default) or more'],
    ['WebService autoscaled, production', web({ replicas: Replicas.autoscale({ min: 0 }) }),
      'shop/api: replicas.min (0) must be a whole number of at least 1; use 2 or more so one pod can fail (rule SS-K8S-045)'],
    ['Worker on CPU, development', worker({ ...development, scaling: WorkerScaling.cpu({ min: 0 }) }),
      'shop/mailer: scaling.min (0) must be a whole number of at least 1; use 1 (the development profile\'s default) or more'],
    ['Worker fixed, development', worker({ ...development, scaling: WorkerScaling.fixed(0) }),
      'shop/mailer: scaling (0) must be a whole number of at least 1; use WorkerScaling.fixed(1) (the development profile\'s default) or more'],
  ])('%s', (_name, fn, message) => {
    expectError(fn, message);
  });

  test('one replica is accepted in development', () => {
    expect(web({ ...development, replicas: Replicas.autoscale({ min: 1, max: 2 }) })).not.toThrow();
    expect(worker({ ...development, scaling: WorkerScaling.cpu({ min: 1, max: 2 }) })).not.toThrow();
  });
});

describe('values of the wrong type are validation errors, not TypeErrors', () => {
  const daily = Schedule.cron('@daily');
  test.each<[string, () => unknown, string]>([
    ['backup.schedule as a cron string', stateful({ backup: { schedule: js('0 2 * * *') } }),
      'shop/db: backup.schedule ("0 2 * * *") must be a Schedule; use Schedule.cron("0 2 * * *")'],
    ['backup.schedule as a number', stateful({ backup: { schedule: js(5) } }), 'shop/db: backup.schedule (5) must be a Schedule; use Schedule.cron(\'0 2 * * *\')'],
    ['backup.schedule as a plain object', stateful({ backup: { schedule: js({ expression: '0 2 * * *' }) } }),
      'shop/db: backup.schedule ({"expression":"0 2 * * *"}) must be a Schedule; use Schedule.cron(\'0 2 * * *\')'],
    ['backup without schedule', stateful({ backup: js({}) }), 'shop/db: backup.schedule (undefined) is required; use Schedule.cron(\'0 2 * * *\')'],
    ['backup as a string', stateful({ backup: js('0 2 * * *') }),
      'shop/db: backup ("0 2 * * *") must be an object of backup options; write it like backup: { schedule: Schedule.cron(\'0 2 * * *\') }'],
    ['backup.snapshotVolumes as a string', stateful({ backup: { schedule: daily, snapshotVolumes: js('no') } }),
      'shop/db: backup.snapshotVolumes ("no") must be true or false; use true or false, or leave it out for the default'],
    ['backup.fileSystemBackup as "true"', stateful({ backup: { schedule: daily, fileSystemBackup: js('true') } }),
      'shop/db: backup.fileSystemBackup ("true") must be true or false; write true without quotes'],
    ['quorum as a string', stateful({ quorum: js('yes') }), 'shop/db: quorum ("yes") must be true or false; use true or false, or leave it out for the default'],
    ['spread as "false"', stateful({ spread: js('false') }), 'shop/db: spread ("false") must be true or false; write false without quotes'],
    ['volumes as one object', stateful({ volumes: js({ name: 'data', size: '1Gi', mountPath: '/data' }) }),
      'shop/db: volumes ({"name":"data","size":"1Gi","mountPath":"/data"}) must be a list; pass a list, for example [{ name: \'data\', size: \'10Gi\', mountPath: \'/var/lib/data\' }]'],
    ['a hole in volumes', stateful({ volumes: js([null]) }),
      'shop/db: volumes[0] (null) must be an object; write each entry like { name: \'data\', size: \'10Gi\', mountPath: \'/var/lib/data\' }'],
    ['a volume size as a number', stateful({ volumes: [{ name: 'data', size: js(10), mountPath: '/data' }] }),
      'shop/db: volumes[0].size (10) must be a byte quantity, as a string; write it with a unit, for example "10Gi"'],
    ['peerPorts as one object', stateful({ peerPorts: js({ name: 'peer', port: 7000 }) }),
      'shop/db: peerPorts ({"name":"peer","port":7000}) must be a list; pass a list, for example [{ name: \'peer\', port: 7000 }]'],
    ['a readiness probe as a path', stateful({ readiness: js('/readyz') }), 'shop/db: readiness ("/readyz") must be a Probe; use Probe.http("/readyz")'],
    ['a memory request as a number', stateful({ resources: { memory: js(512) } }), 'shop/db: resources.memory (512) is not a byte quantity'],
    ['a CPU request as a number', web({ resources: { cpu: js(0.5) } }), 'shop/api: resources.cpu (0.5) is not a CPU quantity'],
    ['WebService replicas as a number', web({ replicas: js(3) }),
      'shop/api: replicas (3) must be a Replicas; use Replicas.fixed(3) for a fixed count, or Replicas.autoscale({ min, max })'],
    ['WebService extraPorts as one object', web({ extraPorts: js({ name: 'metrics', port: 9090 }) }),
      'shop/api: extraPorts ({"name":"metrics","port":9090}) must be a list; pass a list, for example [{ name: \'metrics\', port: 9090 }]'],
    ['WebService startup probe as a string', web({ startup: js('tcp') }), 'shop/api: startup ("tcp") must be a Probe; use Probe.http(\'/readyz\'), Probe.tcp() or Probe.exec([...])'],
    ['Worker scaling as a number', worker({ scaling: js(2) }),
      'shop/mailer: scaling (2) must be a WorkerScaling; use WorkerScaling.fixed(2) for a fixed count, or WorkerScaling.cpu({ min, max })'],
  ])('%s', (_name, fn, message) => {
    expectError(fn, message);
  });

  test('the same props with the right types build', () => {
    expect(stateful({ volumes: [{ name: 'data', mountPath: '/var/lib/data', size: '10Gi' }], backup: { schedule: daily, snapshotVolumes: false, fileSystemBackup: true }, quorum: false, spread: false, replicas: 1, readiness: Probe.tcp(), liveness: Probe.exec(['true']) })).not.toThrow();
  });
});
