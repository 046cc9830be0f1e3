import { Chart, Testing } from 'cdk8s';
import { EnvironmentProfile } from '../../../lib/core';
import {
  EnvValue, HostAccess, Job, NetworkPeer, NodeAgent, Schedule, ScheduledJob, StatefulService, StatefulServiceProps, WebService, WebServiceProps, Worker, WorkloadProps,
} from '../../../lib/k8s';
import { validationMessageOf } from '../../util/k8s';

// What plain JavaScript (or `as any`) passes where the types say otherwise gets a validation error that names the
// construct, the prop and the value, and says what to write: never a TypeError from inside the library.

const IMAGE = 'ghcr.io/acme/api:1.4.2';
/** What plain JavaScript may pass where the types say otherwise. */
const js = (v: unknown): any => v;

function chart(namespace = 'shop'): Chart {
  return new Chart(Testing.app(), namespace, { namespace });
}

const messageOf = validationMessageOf;

const web = (props: Partial<WebServiceProps>) => () => new WebService(chart(), 'api', { image: IMAGE, ...props });
const DATA = [{ name: 'data', size: '5Gi', mountPath: '/var/lib/data' }];
const stateful = (props: Partial<StatefulServiceProps>) => () => new StatefulService(chart(), 'db', { image: IMAGE, ...props });

/** Every workload kind the bug reports name, built with `props`; the construct id is `api`. */
const KINDS: Array<[string, (props: Partial<WorkloadProps>) => unknown]> = [
  ['WebService', props => new WebService(chart(), 'api', { image: IMAGE, ...props })],
  ['Worker', props => new Worker(chart(), 'api', { image: IMAGE, ...props })],
  ['StatefulService', props => new StatefulService(chart(), 'api', { image: IMAGE, volumes: DATA, ...props })],
  ['Job', props => new Job(chart(), 'api', { image: IMAGE, ...props })],
  ['ScheduledJob', props => new ScheduledJob(chart(), 'api', { image: IMAGE, schedule: Schedule.cron('0 3 * * *'), ...props })],
];

const ENV_VALUE = 'must be an EnvValue (EnvValue.fromValue, fromConfigMapKey, fromSecretKey or fromFieldPath)';

describe('env values that are no EnvValue', () => {
  test.each(KINDS)('%s: a bare string names the variable and gives the EnvValue to write', (_kind, build) => {
    expect(messageOf(() => build({ env: js({ LOG_LEVEL: 'info' }) })))
      .toBe(`shop/api: env.LOG_LEVEL ("info") ${ENV_VALUE}; write EnvValue.fromValue("info")`);
  });

  test.each(KINDS)('%s: a variable left undefined', (_kind, build) => {
    expect(messageOf(() => build({ env: js({ A: undefined }) })))
      .toBe(`shop/api: env.A (undefined) ${ENV_VALUE}; give it a value, for example EnvValue.fromValue('...'), or leave A out`);
  });

  test('a Terraform token passed as a string (queue.url) is said to be one, with what to do instead of EnvValue.fromValue', () => {
    const msg = messageOf(web({ env: js({ QUEUE_URL: '${TfToken[TOKEN.93]}' }) }));
    expect(msg).toContain('shop/api: env.QUEUE_URL ("${TfToken[TOKEN.93]}") is an unresolved Terraform (cdktf) token, not a value known at synth; Kubernetes YAML is written at synth');
    expect(msg).not.toContain('EnvValue.fromValue');
  });

  test('a profile that is no EnvironmentProfile (process.env.PROFILE as EnvironmentProfile) is refused, not taken for production', () => {
    expect(messageOf(web({ profile: 'dev' as EnvironmentProfile }))).toBe(
      'shop/api: profile ("dev") must be an EnvironmentProfile (production, staging, development); another value would get production\'s defaults; '
      + 'use EnvironmentProfile.DEVELOPMENT (\'development\')');
    expect(messageOf(web({ profile: 'prodution' as EnvironmentProfile }))).toContain('use EnvironmentProfile.PRODUCTION (\'production\')');
  });

  test('a number is quoted in the fix (environment variables are strings)', () => {
    expect(messageOf(web({ env: js({ WORKERS: 4 }) }))).toBe(`shop/api: env.WORKERS (4) ${ENV_VALUE}; write EnvValue.fromValue("4")`);
  });

  test('a Kubernetes EnvVar object', () => {
    expect(messageOf(web({ env: js({ A: { value: 'x' } }) })))
      .toBe(`shop/api: env.A ({"value":"x"}) ${ENV_VALUE}; build it with EnvValue.fromValue, EnvValue.fromConfigMapKey, EnvValue.fromSecretKey or EnvValue.fromFieldPath`);
  });

  test('a bare string that looks like a secret is not shown, and the fix is a Secret, not a literal', () => {
    const message = messageOf(web({ env: js({ DB_PASSWORD: 'hunter2-hunter2' }) }));
    expect(message).toBe(`shop/api: env.DB_PASSWORD ("<redacted>") ${ENV_VALUE}, and looks like a plaintext secret (its name says it is a secret), `
      + 'which would be readable by anyone who can read the manifest (rule SS-K8S-062); '
      + "store it in a Secret and mount it with secretMounts: [{ secretName: '...', mountPath: '/var/run/secrets/api' }]");
    expect(message).not.toContain('hunter2');
  });

  test('the variable name is checked first; EnvValues are still accepted', () => {
    expect(messageOf(web({ env: js({ '1BAD': 'x' }) }))).toBe('shop/api: env.1BAD ("1BAD") is not a valid environment variable name; use letters, digits, "_", "-" and ".", not starting with a digit');
    const c = chart();
    new WebService(c, 'api', { image: IMAGE, env: { LOG_LEVEL: EnvValue.fromValue('info') } });
    expect(c.toJson().find(o => o.kind === 'Deployment').spec.template.spec.containers[0].env).toEqual([{ name: 'LOG_LEVEL', value: 'info' }]);
  });
});

describe('secret and ConfigMap mounts without a mount path', () => {
  test.each(KINDS)('%s: secretMounts[0] without mountPath suggests a path under /var/run/secrets, not "/"', (_kind, build) => {
    expect(messageOf(() => build({ secretMounts: js([{ secretName: 'x' }]) })))
      .toBe('shop/api: secretMounts[0].mountPath (undefined) is required; give an absolute path such as "/var/run/secrets/x"');
  });

  test.each(KINDS)('%s: configMapMounts[0] without mountPath suggests a path under /etc', (_kind, build) => {
    expect(messageOf(() => build({ configMapMounts: js([{ configMapName: 'x' }]) })))
      .toBe('shop/api: configMapMounts[0].mountPath (undefined) is required; give an absolute path such as "/etc/x"');
  });

  test('an empty mount path, and one whose name gives no path, suggest from the workload name', () => {
    expect(messageOf(web({ secretMounts: [{ secretName: 'Bad_Name', mountPath: '' }] })))
      .toBe('shop/api: secretMounts[0].mountPath ("") must be an absolute path; give an absolute path such as "/var/run/secrets/api"');
    expect(messageOf(web({ configMapMounts: js([{ mountPath: undefined }]) })))
      .toBe('shop/api: configMapMounts[0].mountPath (undefined) is required; give an absolute path such as "/etc/api"');
  });

  test('a relative mount path is still made absolute in the fix', () => {
    expect(messageOf(web({ secretMounts: [{ secretName: 'x', mountPath: 'secrets' }] })))
      .toBe('shop/api: secretMounts[0].mountPath ("secrets") must be an absolute path; write it as "/secrets"');
  });

  test('a hole in the list, or one mount instead of a list', () => {
    expect(messageOf(web({ secretMounts: js([undefined]) })))
      .toBe("shop/api: secretMounts[0] (undefined) must be an object; write each entry like { secretName: 'db-credentials', mountPath: '/var/run/secrets/api' }");
    expect(messageOf(web({ configMapMounts: js({ configMapName: 'x', mountPath: '/etc/x' }) })))
      .toBe('shop/api: configMapMounts ({"configMapName":"x","mountPath":"/etc/x"}) must be a list; '
        + "pass a list, for example [{ configMapName: 'api-config', mountPath: '/etc/api' }]");
  });

  test('a mount without a name suggests a Secret\'s or ConfigMap\'s name, not a namespace\'s', () => {
    expect(messageOf(web({ secretMounts: js([{ mountPath: '/var/run/secrets/db' }]) })))
      .toBe('shop/api: secretMounts[0].secretName (undefined) is required; give secretMounts[0].secretName the name of the object to mount, such as "db-credentials"');
    expect(messageOf(web({ configMapMounts: js([{ configMapName: 5, mountPath: '/etc/api' }]) })))
      .toBe('shop/api: configMapMounts[0].configMapName (5) must be a string; give configMapMounts[0].configMapName the name of the object to mount, such as "api-config"');
  });
});

describe('security.writablePaths entries that are no path', () => {
  test.each(KINDS)('%s: undefined suggests /tmp when the list lacks it', (_kind, build) => {
    expect(messageOf(() => build({ security: { writablePaths: js([undefined]) } })))
      .toBe('shop/api: security.writablePaths[0] (undefined) is required; give an absolute path such as "/tmp"');
  });

  test('an empty path in a list that has /tmp suggests a cache directory of the workload', () => {
    expect(messageOf(web({ security: { writablePaths: ['/tmp', ''] } })))
      .toBe('shop/api: security.writablePaths[1] ("") must be an absolute path; give an absolute path such as "/var/cache/api"');
  });

  test('one path instead of a list', () => {
    expect(messageOf(web({ security: { writablePaths: js('/cache') } })))
      .toBe('shop/api: security.writablePaths ("/cache") must be a list of absolute paths; pass a list, for example ["/cache"]');
  });
});

describe('StatefulService volumes with a missing name or mount path', () => {
  test('a missing mount path suggests a directory named after the volume, not "/"', () => {
    expect(messageOf(stateful({ volumes: js([{ name: 'data', size: '5Gi' }]) })))
      .toBe('shop/db: volumes[0].mountPath (undefined) is required; give an absolute path such as "/var/lib/data"');
    expect(messageOf(stateful({ volumes: [{ name: 'wal', size: '5Gi', mountPath: '' }] })))
      .toBe('shop/db: volumes[0].mountPath ("") must be an absolute path; give an absolute path such as "/var/lib/wal"');
  });

  test('a relative mount path is still made absolute', () => {
    expect(messageOf(stateful({ volumes: [{ name: 'data', size: '5Gi', mountPath: 'data' }] })))
      .toBe('shop/db: volumes[0].mountPath ("data") must be an absolute path; write it as "/data"');
  });

  test('a missing or non-string name suggests a volume name, not a namespace', () => {
    expect(messageOf(stateful({ volumes: js([{ size: '5Gi', mountPath: '/var/lib/data' }]) })))
      .toBe('shop/db: volumes[0].name (undefined) is required; give volumes[0].name a name such as "data"');
    expect(messageOf(stateful({ volumes: js([DATA[0], { name: 7, size: '5Gi', mountPath: '/var/lib/wal' }]) })))
      .toBe('shop/db: volumes[1].name (7) must be a string; give volumes[1].name a name such as "data"');
  });
});

describe('NodeAgent host paths', () => {
  const agent = (path: unknown) => () => new NodeAgent(chart('ops'), 'agent', {
    image: IMAGE, ports: [{ name: 'metrics', port: 9100 }], hostAccess: [HostAccess.hostPath({ path: js(path), reason: 'reads the node logs to ship them' })],
  });

  test('a missing or empty host path suggests a directory to read, not the node\'s root', () => {
    expect(messageOf(agent(undefined))).toBe('ops/agent: hostAccess[0].path (undefined) is required; give an absolute path such as "/var/log"');
    expect(messageOf(agent(''))).toBe('ops/agent: hostAccess[0].path ("") must be an absolute path; give an absolute path such as "/var/log"');
  });
});

describe('allowTo and allowFrom without a network peer', () => {
  const PEER = 'is not a network peer: %s takes a shipshape workload or a NetworkPeer; pass the workload construct itself (not its name), '
    + 'or a NetworkPeer such as NetworkPeer.pods("shop", { app: \'db\' }) or NetworkPeer.cidr(\'10.0.0.0/16\')';
  const build = () => {
    const c = chart();
    return { api: new WebService(c, 'api', { image: IMAGE }), worker: new Worker(c, 'mailer', { image: IMAGE }) };
  };

  test.each(['allowTo', 'allowFrom'] as const)('%s(undefined)', method => {
    const { api } = build();
    expect(messageOf(() => api[method](js(undefined)))).toBe(`shop/api: ${method} (undefined) ${PEER.replace('%s', method)}`);
  });

  test.each(['allowTo', 'allowFrom'] as const)('%s with a workload\'s name instead of the workload', method => {
    const { api } = build();
    expect(messageOf(() => api[method](js('mailer')))).toBe(`shop/api: ${method} ("mailer") ${PEER.replace('%s', method)}`);
  });

  test('a Worker (which refuses callers) is told about the missing peer first', () => {
    const { worker } = build();
    expect(messageOf(() => worker.allowFrom(js(null)))).toBe(`shop/mailer: allowFrom (null) ${PEER.replace('%s', 'allowFrom')}`);
  });

  test('ports that are no list', () => {
    const { api, worker } = build();
    expect(messageOf(() => worker.allowTo(api, js(8080)))).toBe('shop/mailer: allowTo.ports (8080) must be a list of port numbers; pass a list, for example [8080]');
    expect(messageOf(() => api.allowFrom(NetworkPeer.namespace('monitoring'), js('8080'))))
      .toBe('shop/api: allowFrom.ports ("8080") must be a list of port numbers; pass a list, for example [5432]');
  });

  test('a valid peer is still accepted', () => {
    const { api, worker } = build();
    worker.allowTo(api);
    expect(api.ingressConnections.map(c => c.peer)).toEqual([worker]);
  });
});

describe('schedule time zones: UTC needs no CRON_TZ prefix', () => {
  const backup = (timeZone?: string) => {
    const c = chart();
    new StatefulService(c, 'db', { image: IMAGE, volumes: DATA, backup: { schedule: Schedule.cron('0 2 * * *'), timeZone } });
    return c.toJson().find(o => o.kind === 'Schedule').spec.schedule;
  };

  test.each(['UTC', 'Etc/UTC', 'Etc/UCT', 'Zulu'])('a backup in %s is written without a prefix (every Velero reads it)', tz => {
    expect(backup(tz)).toBe('0 2 * * *');
  });

  test('no time zone, and another zone, are written as before', () => {
    expect(backup()).toBe('0 2 * * *');
    expect(backup('Europe/Berlin')).toBe('CRON_TZ=Europe/Berlin 0 2 * * *');
    expect(backup('Etc/GMT+2')).toBe('CRON_TZ=Etc/GMT+2 0 2 * * *');
  });

  test('a ScheduledJob in UTC: the zone goes into spec.timeZone, never into the schedule', () => {
    const c = chart();
    new ScheduledJob(c, 'report', { image: IMAGE, schedule: Schedule.cron('0 3 * * *'), timeZone: 'UTC' });
    const spec = c.toJson().find(o => o.kind === 'CronJob').spec;
    expect([spec.schedule, spec.timeZone]).toEqual(['0 3 * * *', 'UTC']);
  });
});
