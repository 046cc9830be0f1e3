// Internal: what shipshape knows of a few official server images and well-known server ports, so that defaults
// which cannot work with them (an HTTP probe on a database port, three copies of a server that does not replicate,
// a read-only directory the server must write) are refused at construction instead of giving pods that never run.
import { IConstruct } from 'constructs';
import { fail } from '../../core/errors';
import { ImageRef } from '../../core/image';

/** A server image shipshape knows. */
interface KnownServer {
  /** The server's name in messages. */
  readonly name: string;
  /** What it speaks on its port. */
  readonly protocol: string;
  /** A readiness probe that works with the image, as code. */
  readonly readiness: string;
  /** A liveness probe that differs from the readiness probe, as code. */
  readonly liveness: string;
  /** One server that does not replicate by itself (several replicas are separate stores behind one Service). */
  readonly singleServer: boolean;
  /** Directories the server writes at run time with its default settings, and why. */
  readonly writes?: readonly Write[];
}

/** A directory a server writes at run time, and why. */
interface Write {
  readonly path: string;
  readonly why: string;
  /** An argument that moves the writes elsewhere or turns them off. */
  readonly unlessArg?: RegExp;
}

const POSTGRES: KnownServer = {
  name: 'PostgreSQL',
  protocol: 'PostgreSQL',
  readiness: "Probe.exec(['pg_isready', '-q', '-h', '127.0.0.1'])",
  liveness: 'Probe.tcp()',
  singleServer: true,
  writes: [{ path: '/var/run/postgresql', why: 'its socket and lock file (it stops at start with "could not create lock file")' }],
};
const REDIS = (cli: string, name: string): KnownServer => ({
  name,
  protocol: 'the Redis protocol (RESP)',
  readiness: `Probe.exec(['${cli}', 'ping'])`,
  liveness: 'Probe.tcp()',
  singleServer: true,
  // the default configuration snapshots into the working directory (/data); a failed snapshot stops writes
  // (stop-writes-on-bgsave-error), so clients get MISCONF errors
  writes: [{
    path: '/data',
    why: 'its snapshots (the default configuration saves them there, and after a failed save it refuses writes: MISCONF)',
    unlessArg: /^--save$/,
  }],
});

/**
 * The variables of which the official database images' entrypoints need one to initialize a new database (a superuser
 * password, its file, or an explicit choice of no password), by server name.
 */
const SUPERUSER_VARIABLES: { readonly [server: string]: readonly string[] } = {
  PostgreSQL: ['POSTGRES_PASSWORD', 'POSTGRES_PASSWORD_FILE', 'POSTGRES_HOST_AUTH_METHOD'],
  MySQL: ['MYSQL_ROOT_PASSWORD', 'MYSQL_ROOT_PASSWORD_FILE', 'MYSQL_ALLOW_EMPTY_PASSWORD', 'MYSQL_RANDOM_ROOT_PASSWORD'],
  MariaDB: ['MARIADB_ROOT_PASSWORD', 'MARIADB_ROOT_PASSWORD_FILE', 'MARIADB_ROOT_PASSWORD_HASH', 'MARIADB_ALLOW_EMPTY_ROOT_PASSWORD', 'MARIADB_RANDOM_ROOT_PASSWORD',
    'MYSQL_ROOT_PASSWORD', 'MYSQL_ROOT_PASSWORD_FILE', 'MYSQL_ALLOW_EMPTY_PASSWORD', 'MYSQL_RANDOM_ROOT_PASSWORD'],
};

/** Official images (Docker Hub's library, or its mirror on ECR Public), by repository name. */
const SERVERS: { [repository: string]: KnownServer } = {
  'postgres': POSTGRES,
  'mysql': {
    name: 'MySQL',
    protocol: 'the MySQL protocol',
    readiness: "Probe.exec(['mysqladmin', 'ping', '-h', '127.0.0.1'])",
    liveness: 'Probe.tcp()',
    singleServer: true,
    writes: [{ path: '/var/run/mysqld', why: 'its socket and pid file' }, { path: '/var/lib/mysql', why: 'its data' }],
  },
  'mariadb': {
    name: 'MariaDB',
    protocol: 'the MySQL protocol',
    readiness: "Probe.exec(['mariadb-admin', 'ping', '-h', '127.0.0.1'])",
    liveness: 'Probe.tcp()',
    singleServer: true,
    writes: [{ path: '/run/mysqld', why: 'its socket and pid file' }, { path: '/var/lib/mysql', why: 'its data' }],
  },
  'redis': REDIS('redis-cli', 'Redis'),
  'valkey/valkey': REDIS('valkey-cli', 'Valkey'),
  'mongo': {
    name: 'MongoDB',
    protocol: 'the MongoDB wire protocol',
    readiness: "Probe.exec(['mongosh', '--quiet', '--eval', \"db.adminCommand('ping')\"])",
    liveness: 'Probe.tcp()',
    singleServer: true,
    writes: [{ path: '/data/db', why: 'its data' }],
  },
  'rabbitmq': {
    name: 'RabbitMQ',
    protocol: 'AMQP',
    readiness: "Probe.exec(['rabbitmq-diagnostics', '-q', 'ping'])",
    liveness: 'Probe.tcp()',
    singleServer: false,
    writes: [{ path: '/var/lib/rabbitmq', why: 'its node database and Erlang cookie' }],
  },
};

/** Ports that servers which do not answer HTTP there use by convention. */
const SERVER_PORTS: { [port: number]: string } = {
  2181: 'ZooKeeper',
  3306: 'MySQL and MariaDB',
  4222: 'NATS',
  5432: 'PostgreSQL',
  5672: 'AMQP (RabbitMQ)',
  6379: 'Redis and Valkey',
  9042: 'Cassandra (CQL)',
  9092: 'Kafka',
  11211: 'memcached',
  27017: 'MongoDB',
};

/** Registries (with path) whose images are Docker Hub's official images. */
const OFFICIAL_PREFIXES = ['docker.io/library/', 'index.docker.io/library/', 'registry-1.docker.io/library/', 'public.ecr.aws/docker/library/', 'mirror.gcr.io/library/'];

/** The image's name on Docker Hub (`postgres`, `valkey/valkey`) when it is pulled from Docker Hub or an official mirror of it. */
function dockerHubName(image: ImageRef): string | undefined {
  const full = `${image.registry === undefined ? '' : `${image.registry}/`}${image.repository}`;
  if (image.registry === undefined) return full.startsWith('library/') ? full.slice('library/'.length) : full;
  for (const prefix of OFFICIAL_PREFIXES) if (full.startsWith(prefix)) return full.slice(prefix.length);
  // Docker Hub images of an organisation (valkey/valkey) under the Docker Hub host
  if (/^(docker\.io|index\.docker\.io|registry-1\.docker\.io)\//.test(full)) return full.slice(full.indexOf('/') + 1);
  return undefined;
}

/** The known server an image reference runs, with the image's name (`postgres`), if any. */
export function knownServer(image: ImageRef): (KnownServer & { readonly image: string }) | undefined {
  const name = dockerHubName(image);
  const server = name === undefined ? undefined : SERVERS[name];
  return server === undefined ? undefined : { ...server, image: name! };
}

/** Where the official nginx image creates its temporary folders at start. */
const NGINX_CACHE = '/var/cache/nginx';

/**
 * Refuses the official nginx image under a read-only root filesystem that leaves its cache directory read-only: it
 * is built to start as root, listens on port 80 and creates its temporary folders under /var/cache/nginx at start,
 * so it stops at once (`mkdir() "/var/cache/nginx/client_temp" failed (30: Read-only file system)`).
 */
export function checkWebServerImage(scope: IConstruct, image: ImageRef, given: string, security: { readonly readOnlyRootFilesystem?: boolean; readonly writablePaths?: string[] } | undefined): void {
  if (dockerHubName(image) !== 'nginx' || security?.readOnlyRootFilesystem === false) return;
  const writable = Array.isArray(security?.writablePaths) ? security!.writablePaths : ['/tmp'];
  if (writable.some(p => NGINX_CACHE === p || NGINX_CACHE.startsWith(`${p.replace(/\/$/, '')}/`))) return;
  fail(scope, 'image', given, 'is the official nginx image, built to start as root: it listens on port 80 and creates its temporary folders under /var/cache/nginx at start, '
    + 'so with the read-only root filesystem and the non-root user every pod stops at once ("mkdir() /var/cache/nginx/client_temp failed (30: Read-only file system)")',
  `use nginxinc/nginx-unprivileged${image.tag !== undefined ? `:${image.tag}` : ''} (the same nginx, listening on port 8080 with its temporary and pid files in /tmp) with port: 8080 and probes on a path it serves`);
}

/** What a StatefulService's container is, as `checkServerDefaults` reads it. */
export interface ServerContainer {
  readonly image: ImageRef;
  readonly port: number;
  /** Whether readiness and liveness probes were given (else the HTTP defaults apply). */
  readonly readinessGiven: boolean;
  readonly livenessGiven: boolean;
  /** Whether replicas was given (else the profile's default applies), and the count. */
  readonly replicasGiven: boolean;
  readonly replicas: number;
  /** The paths the container may write: the writable paths (emptyDir) and the volumes' mount paths; undefined when the root filesystem is writable. */
  readonly writable: readonly string[] | undefined;
  /** security.writablePaths as given (for the message). */
  readonly writablePaths: readonly string[] | undefined;
  /** The environment variable names set. */
  readonly env: readonly string[];
  /** Whether variables also come from elsewhere (envFromConfigMaps), or the image's entrypoint is replaced (command). */
  readonly envFromElsewhere: boolean;
  readonly args: readonly string[];
  /** The mount paths of the volume claims. */
  readonly volumes: readonly string[];
}

/** One default that cannot work with the server, as `fail` takes it, and its fix in a few words. */
interface Problem {
  readonly prop: string;
  readonly value: unknown;
  readonly allowed: string;
  readonly fix: string;
  readonly short: string;
}

/**
 * Refuses the StatefulService defaults that cannot work with the container's server: the HTTP probes on a port that
 * speaks another protocol, the default replica count for a server that does not replicate itself, and a read-only
 * directory the server writes; for PostgreSQL and MySQL also their data directory on the volume's root. The error is
 * the first problem, and names the others, so that one round fixes them all.
 */
export function checkServerDefaults(scope: IConstruct, c: ServerContainer): void {
  const server = knownServer(c.image);
  const portServer = SERVER_PORTS[c.port];
  const problems: Problem[] = [];
  if ((server !== undefined || portServer !== undefined) && (!c.readinessGiven || !c.livenessGiven)) {
    const defaulted = !c.readinessGiven && !c.livenessGiven ? 'readiness and liveness' : !c.readinessGiven ? 'readiness' : 'liveness';
    const what = server !== undefined ? `the image (${server.image}) runs ${server.name}, which speaks ${server.protocol} on its port`
      : `port ${c.port} is ${portServer}'s port, which does not answer HTTP`;
    const fix = server !== undefined
      ? `give probes that check the server, for example readiness: ${server.readiness} and liveness: ${server.liveness}`
      : "give probes that check the server, for example readiness with its own check command (Probe.exec([...])) and liveness Probe.tcp(); if it does answer HTTP there, say so with Probe.http('/path')";
    problems.push({
      prop: defaulted,
      value: undefined,
      fix,
      short: `${defaulted} probes that check the server`,
      allowed: `is not set, and the default HTTP probe (GET /readyz, /livez on port ${c.port}) never passes: ${what}, so no pod would ever be ready`,
    });
  }
  if (server !== undefined && server.singleServer && !c.replicasGiven && c.replicas > 1) {
    problems.push({
      prop: 'replicas',
      value: undefined,
      short: 'replicas: 1 with spread: false, or the count of a setup that replicates',
      allowed: `is not set, and the default ${c.replicas} replicas of the image (${server.image}) would be ${c.replicas} separate ${server.name} servers behind one Service, `
        + `each with its own data: ${server.name} does not replicate by itself`,
      fix: 'set replicas: 1 and spread: false (one instance on purpose), or set replicas yourself for a setup that replicates (its own arguments or an operator made for it)',
    });
  }
  if (server !== undefined && c.writable !== undefined) {
    // PostgreSQL's data directory: PGDATA, else the image's default (from 18 on under the major version's folder)
    const major = /^(\d+)/.exec(c.image.tag ?? '')?.[1];
    const pgdata = Number(major) >= 18 ? `/var/lib/postgresql/${major}/docker` : '/var/lib/postgresql/data';
    const data: Write[] = server.name === POSTGRES.name && !c.env.includes('PGDATA') ? [{ path: pgdata, why: 'its data (initdb cannot create the data directory)' }] : [];
    // /var/run is a link to /run in these images
    const norm = (p: string) => p.replace(/\/$/, '').replace(/^\/var\/run(?=\/|$)/, '/run');
    for (const w of [...server.writes ?? [], ...data]) {
      if (w.unlessArg !== undefined && c.args.some(a => w.unlessArg!.test(a))) continue;
      if (c.writable.some(p => norm(w.path) === norm(p) || norm(w.path).startsWith(`${norm(p)}/`))) continue;
      problems.push({
        prop: 'security.writablePaths',
        value: c.writablePaths,
        short: `${w.path} writable`,
        allowed: `leaves ${w.path} read-only (the root filesystem is read-only), where ${server.name} writes ${w.why}`,
        fix: `mount a volume there, or add it to security.writablePaths (the list replaces the default ['/tmp']: writablePaths: ['/tmp', '${w.path}'])`,
      });
    }
  }
  if (server?.name === POSTGRES.name && !c.env.includes('PGDATA') && c.volumes.includes('/var/lib/postgresql/data')) {
    problems.push({
      prop: 'env',
      value: undefined,
      short: 'PGDATA in a folder of the volume',
      allowed: 'sets no PGDATA while a volume is mounted at /var/lib/postgresql/data, the image\'s data directory: initdb refuses a mount point that is not '
        + 'empty (a new ext4 volume holds lost+found), so the first start fails',
      fix: "keep the data in a folder of the volume: env: { PGDATA: EnvValue.fromValue('/var/lib/postgresql/data/pgdata') }",
    });
  }
  const superuser = SUPERUSER_VARIABLES[server?.name ?? ''];
  if (superuser !== undefined && !c.envFromElsewhere && !superuser.some(v => c.env.includes(v))) {
    const prefix = server!.name === POSTGRES.name ? 'POSTGRES' : server!.name === 'MySQL' ? 'MYSQL' : 'MARIADB';
    const file = server!.name === POSTGRES.name ? 'POSTGRES_PASSWORD_FILE' : `${prefix}_ROOT_PASSWORD_FILE`;
    problems.push({
      prop: 'env',
      value: undefined,
      short: `${file} from a mounted Secret`,
      allowed: `sets none of ${superuser.join(', ')}: the image's entrypoint refuses to initialize the database without a superuser password `
        + `(${server!.name === POSTGRES.name ? '"Database is uninitialized and superuser password is not specified"' : '"Database is uninitialized and password option is not specified"'}), `
        + 'so the first start fails and the pod restarts forever',
      fix: 'mount the password from a Secret and give the image its file: secretMounts: [{ secretName: \'db-superuser\', mountPath: \'/var/run/secrets/db\' }] '
        + `and env: { ${file}: EnvValue.fromValue('/var/run/secrets/db/password') }`,
    });
  }
  if (server?.name === 'MySQL' && c.volumes.includes('/var/lib/mysql') && !c.args.some(a => a.startsWith('--datadir'))) {
    problems.push({
      prop: 'args',
      value: c.args.length ? c.args : undefined,
      short: 'the data directory in a folder of the volume (--datadir)',
      allowed: 'sets no --datadir while a volume is mounted at /var/lib/mysql, the image\'s data directory: mysqld --initialize refuses a data directory that is not '
        + 'empty (a new ext4 volume holds lost+found), so the first start fails',
      fix: "keep the data in a folder of the volume: args: ['--datadir=/var/lib/mysql/data']",
    });
  }
  const [first, ...rest] = problems;
  if (first === undefined) return;
  const also = rest.length === 0 ? '' : ` (the image also needs ${rest.map(p => p.short).join('; ')}: see the README's "Running an official server image")`;
  fail(scope, first.prop, first.value, first.allowed, first.fix + also);
}
