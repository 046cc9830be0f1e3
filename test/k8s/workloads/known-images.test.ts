import { Chart, Testing } from 'cdk8s';
import { EnvironmentProfile } from '../../../lib/core';
import { EnvValue, Probe, StatefulService, StatefulServiceProps, WebService, WebServiceProps } from '../../../lib/k8s';
import { expectError, policyErrors } from '../../util/k8s';

// StatefulService defaults that cannot work with the server an official image runs are refused at construction:
// the HTTP probes on a port that speaks another protocol, several replicas of a server that does not replicate
// itself, a read-only directory the server writes, and PostgreSQL's data directory on the volume's root.

const PG_PROBES = { readiness: Probe.exec(['pg_isready', '-q', '-h', '127.0.0.1']), liveness: Probe.tcp() };
const REDIS_PROBES = { readiness: Probe.exec(['redis-cli', 'ping']), liveness: Probe.tcp() };
/** Everything the official postgres image needs besides the probes. */
const PG_REST: Partial<StatefulServiceProps> = {
  replicas: 1,
  spread: false,
  security: { writablePaths: ['/tmp', '/var/run/postgresql'] },
  volumes: [{ name: 'data', size: '10Gi', mountPath: '/var/lib/postgresql/data' }],
  secretMounts: [{ secretName: 'db-superuser', mountPath: '/var/run/secrets/db' }],
  env: { PGDATA: EnvValue.fromValue('/var/lib/postgresql/data/pgdata'), POSTGRES_PASSWORD_FILE: EnvValue.fromValue('/var/run/secrets/db/password') },
};

function build(props: StatefulServiceProps): any[] {
  const c = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
  new StatefulService(c, 'db', props);
  return c.toJson();
}
const sts = (objs: any[]) => objs.find(o => o.kind === 'StatefulSet').spec;

describe('the HTTP probe defaults on a server that does not answer HTTP', () => {
  test('an official image without probes is refused, naming the server and probes that check it', () => {
    expectError(() => build({ image: 'postgres:16.4', port: 5432, ...PG_REST }),
      'shop/db: readiness and liveness (undefined) is not set, and the default HTTP probe (GET /readyz, /livez on port 5432) never passes: '
      + 'the image (postgres) runs PostgreSQL, which speaks PostgreSQL on its port, so no pod would ever be ready; '
      + "give probes that check the server, for example readiness: Probe.exec(['pg_isready', '-q', '-h', '127.0.0.1']) and liveness: Probe.tcp()");
  });

  test('one probe given: the other is named', () => {
    expectError(() => build({ image: 'redis:7.4', port: 6379, replicas: 1, readiness: REDIS_PROBES.readiness, args: ['--save', ''] }),
      /^shop\/db: liveness \(undefined\) is not set, and the default HTTP probe .* the image \(redis\) runs Redis, which speaks the Redis protocol \(RESP\) on its port/);
    expectError(() => build({ image: 'redis:7.4', port: 6379, replicas: 1, liveness: REDIS_PROBES.liveness, args: ['--save', ''] }),
      /^shop\/db: readiness \(undefined\) is not set/);
  });

  test('the official image is known on the port it is given, under the registries that serve it', () => {
    for (const image of ['postgres:16.4', 'library/postgres:16.4', 'docker.io/library/postgres:16.4', 'public.ecr.aws/docker/library/postgres:16.4',
      'mirror.gcr.io/library/postgres:16.4', `postgres@sha256:${'a'.repeat(64)}`]) {
      expectError(() => build({ image, port: 15432, ...PG_REST }), /readiness and liveness \(undefined\) is not set.*the image \(postgres\) runs PostgreSQL/);
    }
    expectError(() => build({ image: 'docker.io/valkey/valkey:8.0', port: 16379, replicas: 1 }), /the image \(valkey\/valkey\) runs Valkey.*Probe\.exec\(\['valkey-cli', 'ping'\]\)/);
    expectError(() => build({ image: 'mysql:8.4', port: 3306 }), /the image \(mysql\) runs MySQL, which speaks the MySQL protocol/);
  });

  test('a well-known server port with another image is refused too, with the way to say it does answer HTTP', () => {
    expectError(() => build({ image: 'ghcr.io/acme/cache:1.0.0', port: 6379 }),
      "shop/db: readiness and liveness (undefined) is not set, and the default HTTP probe (GET /readyz, /livez on port 6379) never passes: port 6379 is Redis and Valkey's port, "
      + 'which does not answer HTTP, so no pod would ever be ready; give probes that check the server, for example readiness with its own check command '
      + "(Probe.exec([...])) and liveness Probe.tcp(); if it does answer HTTP there, say so with Probe.http('/path')");
  });

  test('an image of the same name elsewhere, on a port of its own, keeps the HTTP defaults', () => {
    for (const image of ['ghcr.io/acme/postgres:16.4', 'bitnami/postgresql:16.4.0', 'ghcr.io/acme/store:2.1.0']) {
      const c = sts(build({ image, port: 8080 })).template.spec.containers[0];
      expect([c.readinessProbe.httpGet.path, c.livenessProbe.httpGet.path]).toEqual(['/readyz', '/livez']);
    }
  });

  test('probes given: accepted, and what is written is what was given', () => {
    const c = sts(build({ image: 'postgres:16.4', port: 5432, ...PG_REST, ...PG_PROBES })).template.spec.containers[0];
    expect(c.readinessProbe.exec.command).toEqual(['pg_isready', '-q', '-h', '127.0.0.1']);
    expect(c.livenessProbe.tcpSocket.port).toBe('client');
  });
});

test('the naive case (defaults everywhere): one error, naming everything the image needs', () => {
  const c = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
  expect(() => new StatefulService(c, 'db', { image: 'postgres:16.4', port: 5432, volumes: [{ name: 'data', size: '10Gi', mountPath: '/var/lib/postgresql/data' }] }))
    .toThrow(/^shop\/db: readiness and liveness \(undefined\) is not set, .* and liveness: Probe\.tcp\(\) \(the image also needs replicas: 1 with spread: false, or the count of a setup that replicates; \/var\/run\/postgresql writable; PGDATA in a folder of the volume; POSTGRES_PASSWORD_FILE from a mounted Secret: see the README's "Running an official server image"\)$/);
});

describe('replicas of a server that does not replicate itself', () => {
  test('the default 3 (production) is refused, naming the fix', () => {
    expectError(() => build({ image: 'postgres:16.4', port: 5432, ...PG_PROBES, ...PG_REST, replicas: undefined }),
      'shop/db: replicas (undefined) is not set, and the default 3 replicas of the image (postgres) would be 3 separate PostgreSQL servers behind one Service, '
      + 'each with its own data: PostgreSQL does not replicate by itself; set replicas: 1 and spread: false (one instance on purpose), '
      + 'or set replicas yourself for a setup that replicates (its own arguments or an operator made for it)');
  });

  test('the development default (1) and a count given are accepted; RabbitMQ clusters itself and keeps the default', () => {
    expect(sts(build({ image: 'postgres:16.4', port: 5432, ...PG_PROBES, ...PG_REST, replicas: undefined, spread: undefined, profile: EnvironmentProfile.DEVELOPMENT })).replicas).toBe(1);
    expect(sts(build({ image: 'postgres:16.4', port: 5432, ...PG_PROBES, ...PG_REST, replicas: 3, spread: undefined, quorum: false })).replicas).toBe(3);
    expect(sts(build({
      image: 'rabbitmq:4.0',
      port: 5672,
      readiness: Probe.exec(['rabbitmq-diagnostics', '-q', 'ping']),
      liveness: Probe.tcp(),
      volumes: [{ name: 'data', size: '10Gi', mountPath: '/var/lib/rabbitmq' }],
    })).replicas).toBe(3);
  });
});

describe('directories the server writes, under a read-only root filesystem', () => {
  test('PostgreSQL\'s socket directory left read-only is refused, showing the paths given', () => {
    expectError(() => build({ image: 'postgres:16.4', port: 5432, ...PG_PROBES, ...PG_REST, security: undefined }),
      'shop/db: security.writablePaths (undefined) leaves /var/run/postgresql read-only (the root filesystem is read-only), where PostgreSQL writes its socket and lock file '
      + '(it stops at start with "could not create lock file"); mount a volume there, or add it to security.writablePaths (the list replaces the default [\'/tmp\']: '
      + "writablePaths: ['/tmp', '/var/run/postgresql'])");
    expectError(() => build({ image: 'postgres:16.4', port: 5432, ...PG_PROBES, ...PG_REST, security: { writablePaths: ['/tmp'] } }),
      /^shop\/db: security\.writablePaths \(\["\/tmp"\]\) leaves \/var\/run\/postgresql read-only/);
  });

  test('covered by a writable path above it, a volume, or a writable root filesystem: accepted', () => {
    const paths = (o: any[]) => sts(o).template.spec.containers[0].volumeMounts.map((m: any) => m.mountPath);
    expect(paths(build({ image: 'postgres:16.4', port: 5432, ...PG_PROBES, ...PG_REST, security: { writablePaths: ['/tmp', '/var/run'] } }))).toContain('/var/run');
    expect(paths(build({
      image: 'postgres:16.4',
      port: 5432,
      ...PG_PROBES,
      ...PG_REST,
      security: undefined,
      volumes: [...PG_REST.volumes!, { name: 'run', size: '1Gi', mountPath: '/var/run/postgresql' }],
    }))).toContain('/var/run/postgresql');
    const rw = sts(build({ image: 'postgres:16.4', port: 5432, ...PG_PROBES, ...PG_REST, security: { readOnlyRootFilesystem: false } }));
    expect(rw.template.spec.containers[0].securityContext.readOnlyRootFilesystem).toBe(false);
  });

  test('Redis\'s snapshot directory (/data) is refused read-only unless snapshots are configured by argument or /data is a volume', () => {
    expectError(() => build({ image: 'redis:7.4', port: 6379, replicas: 1, spread: false, ...REDIS_PROBES }),
      /^shop\/db: security\.writablePaths \(undefined\) leaves \/data read-only .* where Redis writes its snapshots \(the default configuration saves them there, and after a failed save it refuses writes: MISCONF\)/);
    expect(sts(build({ image: 'redis:7.4', port: 6379, replicas: 1, spread: false, ...REDIS_PROBES, args: ['--save', ''] })).template.spec.containers[0].args).toEqual(['--save', '']);
    expect(sts(build({ image: 'redis:7.4', port: 6379, replicas: 1, spread: false, ...REDIS_PROBES, volumes: [{ name: 'data', size: '5Gi', mountPath: '/data' }] }))
      .volumeClaimTemplates[0].metadata.name).toBe('data');
  });
});

describe('data and run-time directories of the other servers, and PostgreSQL without a volume', () => {
  test('PostgreSQL without a volume: its data directory (by major version) is read-only', () => {
    const noVolume = { ...PG_PROBES, ...PG_REST, volumes: undefined, env: { POSTGRES_PASSWORD_FILE: EnvValue.fromValue('/var/run/secrets/db/password') } };
    expectError(() => build({ image: 'postgres:16.4', port: 5432, ...noVolume }),
      /^shop\/db: security\.writablePaths \(\["\/tmp","\/var\/run\/postgresql"\]\) leaves \/var\/lib\/postgresql\/data read-only .* where PostgreSQL writes its data \(initdb cannot create the data directory\)/);
    expectError(() => build({ image: 'postgres:18.1', port: 5432, ...noVolume }), /leaves \/var\/lib\/postgresql\/18\/docker read-only/);
    // PostgreSQL 18's layout: the volume on /var/lib/postgresql holds the data folder
    expect(sts(build({ image: 'postgres:18.1', port: 5432, ...noVolume, volumes: [{ name: 'data', size: '10Gi', mountPath: '/var/lib/postgresql' }] })).replicas).toBe(1);
  });

  test('MySQL: the socket directory (also spelled /run) and the data directory; on a volume\'s root it needs --datadir', () => {
    const mysql = {
      image: 'mysql:8.4.3',
      port: 3306,
      replicas: 1,
      spread: false,
      readiness: Probe.exec(['mysqladmin', 'ping', '-h', '127.0.0.1']),
      liveness: Probe.tcp(),
      env: { MYSQL_ROOT_PASSWORD_FILE: EnvValue.fromValue('/var/run/secrets/db/password') },
      secretMounts: [{ secretName: 'db-root', mountPath: '/var/run/secrets/db' }],
    };
    const vol = [{ name: 'data', size: '20Gi', mountPath: '/var/lib/mysql' }];
    expectError(() => build({ ...mysql, volumes: vol }), /^shop\/db: security\.writablePaths \(undefined\) leaves \/var\/run\/mysqld read-only .* where MySQL writes its socket and pid file/);
    expectError(() => build({ ...mysql, security: { writablePaths: ['/tmp', '/run/mysqld'] } }), /leaves \/var\/lib\/mysql read-only .* where MySQL writes its data/);
    expectError(() => build({ ...mysql, volumes: vol, security: { writablePaths: ['/tmp', '/var/run/mysqld'] } }),
      "shop/db: args (undefined) sets no --datadir while a volume is mounted at /var/lib/mysql, the image's data directory: mysqld --initialize refuses a data directory that is not "
      + "empty (a new ext4 volume holds lost+found), so the first start fails; keep the data in a folder of the volume: args: ['--datadir=/var/lib/mysql/data']");
    expect(sts(build({ ...mysql, volumes: vol, security: { writablePaths: ['/tmp', '/run/mysqld'] }, args: ['--datadir=/var/lib/mysql/data'] })).template.spec.containers[0].args)
      .toEqual(['--datadir=/var/lib/mysql/data']);
  });

  test('PostgreSQL, MySQL and MariaDB without a superuser password (nor its file, nor a choice of none): the first start fails', () => {
    const pg = { image: 'postgres:16.4', port: 5432, ...PG_PROBES, ...PG_REST };
    expectError(() => build({ ...pg, env: { PGDATA: EnvValue.fromValue('/var/lib/postgresql/data/pgdata') } }),
      'shop/db: env (undefined) sets none of POSTGRES_PASSWORD, POSTGRES_PASSWORD_FILE, POSTGRES_HOST_AUTH_METHOD: the image\'s entrypoint refuses to initialize the database '
      + 'without a superuser password ("Database is uninitialized and superuser password is not specified"), so the first start fails and the pod restarts forever; '
      + "mount the password from a Secret and give the image its file: secretMounts: [{ secretName: 'db-superuser', mountPath: '/var/run/secrets/db' }] "
      + "and env: { POSTGRES_PASSWORD_FILE: EnvValue.fromValue('/var/run/secrets/db/password') }");
    const mysqlBase = { port: 3306, replicas: 1, spread: false, readiness: Probe.exec(['mysqladmin', 'ping', '-h', '127.0.0.1']), liveness: Probe.tcp(), security: { writablePaths: ['/tmp', '/run/mysqld', '/var/lib/mysql'] } };
    expectError(() => build({ image: 'mysql:8.4.3', ...mysqlBase }), /^shop\/db: env \(undefined\) sets none of MYSQL_ROOT_PASSWORD, MYSQL_ROOT_PASSWORD_FILE, MYSQL_ALLOW_EMPTY_PASSWORD, MYSQL_RANDOM_ROOT_PASSWORD: .*env: \{ MYSQL_ROOT_PASSWORD_FILE:/);
    expectError(() => build({ image: 'mariadb:11.4', ...mysqlBase }), /^shop\/db: env \(undefined\) sets none of MARIADB_ROOT_PASSWORD, .*env: \{ MARIADB_ROOT_PASSWORD_FILE:/);
    // a choice of a random password, the MySQL spelling on MariaDB, variables from a ConfigMap, or an entrypoint of one's own: accepted
    expect(() => build({ image: 'mysql:8.4.3', ...mysqlBase, env: { MYSQL_RANDOM_ROOT_PASSWORD: EnvValue.fromValue('yes') } })).not.toThrow();
    expect(() => build({ image: 'mariadb:11.4', ...mysqlBase, env: { MYSQL_ROOT_PASSWORD_FILE: EnvValue.fromValue('/run/secrets/root') } })).not.toThrow();
    expect(() => build({ ...pg, env: { PGDATA: EnvValue.fromValue('/var/lib/postgresql/data/pgdata') }, envFromConfigMaps: ['db-settings'] })).not.toThrow();
    expect(() => build({ ...pg, env: { PGDATA: EnvValue.fromValue('/var/lib/postgresql/data/pgdata') }, command: ['/usr/local/bin/start-db'] })).not.toThrow();
  });

  test('MongoDB and RabbitMQ: their data directories', () => {
    expectError(() => build({ image: 'mongo:8.0', port: 27017, replicas: 1, readiness: Probe.exec(['mongosh', '--eval', 'db.adminCommand("ping")']), liveness: Probe.tcp() }),
      /leaves \/data\/db read-only .* where MongoDB writes its data/);
    expectError(() => build({ image: 'rabbitmq:4.0', port: 5672, readiness: Probe.exec(['rabbitmq-diagnostics', '-q', 'ping']), liveness: Probe.tcp() }),
      /leaves \/var\/lib\/rabbitmq read-only .* where RabbitMQ writes its node database and Erlang cookie/);
  });
});

describe('PostgreSQL\'s data directory on the volume\'s root', () => {
  test('a volume at /var/lib/postgresql/data without PGDATA is refused (initdb refuses a mount point holding lost+found)', () => {
    expectError(() => build({ image: 'postgres:16.4', port: 5432, ...PG_PROBES, ...PG_REST, env: {} }),
      "shop/db: env (undefined) sets no PGDATA while a volume is mounted at /var/lib/postgresql/data, the image's data directory: initdb refuses a mount point that is not "
      + "empty (a new ext4 volume holds lost+found), so the first start fails; keep the data in a folder of the volume: env: { PGDATA: EnvValue.fromValue('/var/lib/postgresql/data/pgdata') }");
  });

  test('the recipe (StatefulService\'s example) is accepted and passes the Kubernetes pack', () => {
    const objs = build({ image: 'postgres:16.4', port: 5432, ...PG_PROBES, ...PG_REST });
    expect(sts(objs).template.spec.containers[0].env).toContainEqual({ name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata' });
    expect(policyErrors(objs)).toEqual([]);
  });
});

describe('the official nginx image as a WebService', () => {
  const web = (props: Partial<WebServiceProps>) => {
    const c = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    new WebService(c, 'web', { image: 'nginx:1.27.3', ...props });
    return c.toJson().find(o => o.kind === 'Deployment').spec.template.spec.containers[0];
  };

  test('is refused under the read-only root filesystem, naming the unprivileged image of the same tag', () => {
    expectError(() => web({}),
      'shop/web: image ("nginx:1.27.3") is the official nginx image, built to start as root: it listens on port 80 and creates its temporary folders under /var/cache/nginx at start, '
      + 'so with the read-only root filesystem and the non-root user every pod stops at once ("mkdir() /var/cache/nginx/client_temp failed (30: Read-only file system)"); '
      + 'use nginxinc/nginx-unprivileged:1.27.3 (the same nginx, listening on port 8080 with its temporary and pid files in /tmp) with port: 8080 and probes on a path it serves');
    expectError(() => web({ image: 'docker.io/library/nginx:1.27.3-alpine' }), /^shop\/web: image \("docker.io\/library\/nginx:1.27.3-alpine"\) is the official nginx image/);
  });

  test('accepted with its cache directory writable or a writable root filesystem; the unprivileged image keeps the defaults', () => {
    expect(web({ security: { writablePaths: ['/tmp', '/var/cache/nginx', '/var/run'] } }).image).toBe('nginx:1.27.3');
    expect(web({ security: { readOnlyRootFilesystem: false } }).securityContext.readOnlyRootFilesystem).toBe(false);
    expect(web({ image: 'nginxinc/nginx-unprivileged:1.27.3' }).readinessProbe.httpGet.port).toBe('http');
  });
});
