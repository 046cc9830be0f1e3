import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { MemoryQuantity } from '../../lib/core/quantity';
import { EnvValue, Replicas, WebService, WebServiceProps, Worker, WorkerProps, WorkerScaling } from '../../lib/k8s';
import { LogShipper } from '../../lib/k8s/sidecars';
import { expectError } from '../util/k8s';

// Round 30: counts that are not whole numbers are refused as such (not as out of range), CPU written without the
// millicore unit, and EnvValue Secret/ConfigMap names and keys the API refuses.

const IMAGE = 'ghcr.io/acme/api:1.4.2';
const chart = () => new Chart(Testing.app(), 'shop', { namespace: 'shop' });
const web = (props: Partial<WebServiceProps> = {}, c = chart()) => new WebService(c, 'api', { image: IMAGE, ...props });
const worker = (props: Partial<WorkerProps> = {}, c = chart()) => new Worker(c, 'mailer', { image: 'ghcr.io/acme/mailer:2.0.1', ...props });
const DNS_SUBDOMAIN_RULE = "must be an RFC 1123 DNS subdomain: 1-253 characters of a-z, 0-9, '-' and '.', each dot-separated part starting and ending with a letter or digit";
const KEY_RULE = '1-253 characters of A-Z, a-z, 0-9, \'-\', \'_\' and \'.\', not "." or ".." and not starting with ".."';

describe('replica counts that are not whole numbers', () => {
  test('WebService: Replicas.autoscale({ min: 2, max: 2.5 }) is refused for the fraction, not as min > max', () => {
    expectError(() => web({ replicas: Replicas.autoscale({ min: 2, max: 2.5 }) }), 'shop/api: replicas.max (2.5) must be a whole number of at least 1; use 3');
  });

  test('WebService: a fractional max above min names both whole neighbours', () => {
    expectError(() => web({ replicas: Replicas.autoscale({ min: 2, max: 4.5 }) }), 'shop/api: replicas.max (4.5) must be a whole number of at least 1; use 4 or 5');
  });

  test('WebService: a NaN max is refused as no whole number', () => {
    expectError(() => web({ replicas: Replicas.autoscale({ min: 2, max: NaN }) }),
      'shop/api: replicas.max (NaN) must be a whole number of at least 1; use a count above replicas.min (2), for example 10');
  });

  test('WebService: an Infinity max is refused as no whole number', () => {
    expectError(() => web({ replicas: Replicas.autoscale({ min: 2, max: Infinity }) }),
      'shop/api: replicas.max (Infinity) must be a whole number of at least 1; use a count above replicas.min (2), for example 10');
  });

  test('WebService: a negative max is refused as no count', () => {
    expectError(() => web({ replicas: Replicas.autoscale({ min: 2, max: -1 }) }),
      'shop/api: replicas.max (-1) must be a whole number of at least 1; use a count above replicas.min (2), for example 10');
  });

  test('WebService: a whole max below min still reports min > max', () => {
    expectError(() => web({ replicas: Replicas.autoscale({ min: 5, max: 3 }) }), 'shop/api: replicas.min (5) must be <= replicas.max (3); lower min or raise max');
  });

  test('Worker: WorkerScaling.cpu({ min: 2, max: 2.5 }) is refused for the fraction, not for room', () => {
    expectError(() => worker({ scaling: WorkerScaling.cpu({ min: 2, max: 2.5 }) }), 'shop/mailer: scaling.max (2.5) must be a whole number of at least 1; use 3');
  });

  test('Worker: a NaN KEDA max is refused as no whole number', () => {
    expectError(() => worker({ scaling: WorkerScaling.keda({ min: 0, max: NaN, triggers: [{ type: 'aws-sqs-queue', metadata: { queueLength: '30' } }] }) }),
      'shop/mailer: scaling.max (NaN) must be a whole number of at least 1; use a count above scaling.min (0), for example 10');
  });

  test('WebService: terminationGracePeriodSeconds 30.5 is refused as no whole number, not "raise it"', () => {
    expectError(() => web({ terminationGracePeriodSeconds: 30.5 }), 'shop/api: terminationGracePeriodSeconds (30.5) must be a whole number of seconds; use 30 or 31');
  });

  test('WebService: a fractional grace just above the preStop delay names the one whole value that fits', () => {
    expectError(() => web({ preStopDelaySeconds: 5, terminationGracePeriodSeconds: 5.5 }), 'shop/api: terminationGracePeriodSeconds (5.5) must be a whole number of seconds; use 6');
  });

  test('WebService: an Infinity grace period is refused as no whole number', () => {
    expectError(() => web({ terminationGracePeriodSeconds: Infinity }), 'shop/api: terminationGracePeriodSeconds (Infinity) must be a whole number of seconds; use for example 30');
  });

  test('WebService: a fractional grace period below the preStop delay still says to raise it', () => {
    expectError(() => web({ preStopDelaySeconds: 5, terminationGracePeriodSeconds: 3.5 }),
      'shop/api: terminationGracePeriodSeconds (3.5) must be a whole number larger than preStopDelaySeconds (5), or the pod is killed while draining; raise it to at least 15');
  });
});

describe('CPU written without the millicore unit', () => {
  test('resources.cpu "500" (500 cores) is refused with the millicore reading', () => {
    expectError(() => web({ resources: { cpu: '500' } }),
      'shop/api: resources.cpu ("500") is 500 cores (over 64), more than any node has: a number without "m" counts cores; did you mean "500m"? (write "500000m" if the container really needs 500 cores)');
  });

  test('resources.cpuLimit "2000" is refused with the millicore reading', () => {
    expectError(() => web({ resources: { cpuLimit: '2000' } }),
      'shop/api: resources.cpuLimit ("2000") is 2000 cores (over 64), more than any node has: a number without "m" counts cores; did you mean "2000m"? (write "2000000m" if the container really needs 2000 cores)');
  });

  test('a decimal count of cores above 64 is refused', () => {
    expectError(() => web({ resources: { cpu: '100.5' } }),
      'shop/api: resources.cpu ("100.5") is 100.5 cores (over 64), more than any node has: a number without "m" counts cores; write millicores such as "250m", or at most 64 cores (write "100500m" if the container really needs 100.5 cores)');
  });

  test('the unit slip is reported before the CPU target check of an autoscaled WebService', () => {
    expectError(() => web({ replicas: Replicas.autoscale({ targetCpuUtilization: 150 }), resources: { cpu: '500' } }),
      /^shop\/api: resources\.cpu \("500"\) is 500 cores \(over 64\)/);
  });

  test('a Worker refuses the same slip', () => {
    expectError(() => worker({ resources: { cpu: '250' } }),
      'shop/mailer: resources.cpu ("250") is 250 cores (over 64), more than any node has: a number without "m" counts cores; did you mean "250m"? (write "250000m" if the container really needs 250 cores)');
  });

  test('a sidecar refuses the same slip in its request', () => {
    const c = chart();
    const ws = web({}, c);
    expectError(() => ws.addSidecar(new LogShipper({ image: 'fluent/fluent-bit:3.0.7', resources: { cpu: '100', cpuLimit: '200m' } })),
      /^shop\/api: sidecars\.log-shipper\.resources\.cpu \("100"\) is 100 cores \(over 64\), more than any node has: a number without "m" counts cores; did you mean "100m"\? \(write "100000m" if the container really needs 100 cores\)$/);
  });

  test('a sidecar refuses the same slip in its limit', () => {
    const c = chart();
    const ws = web({}, c);
    expectError(() => ws.addSidecar(new LogShipper({ image: 'fluent/fluent-bit:3.0.7', resources: { cpuLimit: '200' } })),
      /^shop\/api: sidecars\.log-shipper\.resources\.cpuLimit \("200"\) is 200 cores \(over 64\), more than any node has: a number without "m" counts cores; did you mean "200m"\?/);
  });

  test('"1", "2", "0.5", "250m", "64" and millicores above 64 cores stay valid', () => {
    for (const cpu of ['1', '2', '0.5', '250m', '64']) expect(() => web({ resources: { cpu, cpuLimit: '64' } })).not.toThrow();
    const c = chart();
    web({ resources: { cpu: '96000m' } }, c);
    const main = c.toJson().find(o => o.kind === 'Deployment').spec.template.spec.containers[0];
    expect(main.resources.requests.cpu).toBe('96');
    expect(main.resources.limits.cpu).toBe('96');
  });
});

describe('EnvValue Secret and ConfigMap references', () => {
  test('fromSecretKey with a Secret name that is no DNS subdomain is refused by the workload', () => {
    expectError(() => web({ env: { DB_PASSWORD: EnvValue.fromSecretKey('DB_Secret', 'password') } }),
      `shop/api: env.DB_PASSWORD.secretName ("DB_Secret") ${DNS_SUBDOMAIN_RULE}; use a name such as "db-secret"`);
  });

  test('fromConfigMapKey with a ConfigMap name that is no DNS subdomain is refused by the workload', () => {
    expectError(() => web({ env: { REGION: EnvValue.fromConfigMapKey('App_Config', 'region') } }),
      `shop/api: env.REGION.configMapName ("App_Config") ${DNS_SUBDOMAIN_RULE}; use a name such as "app-config"`);
  });

  test('fromSecretKey with a key holding "/" is refused', () => {
    expectError(() => web({ env: { DB_PASSWORD: EnvValue.fromSecretKey('db', 'pass/word') } }),
      `shop/api: env.DB_PASSWORD.key ("pass/word") is not a valid Secret key: ${KEY_RULE}; use a key such as "pass-word"`);
  });

  test('fromConfigMapKey with a key holding a space is refused', () => {
    expectError(() => web({ env: { DB_HOST: EnvValue.fromConfigMapKey('settings', 'db host') } }),
      `shop/api: env.DB_HOST.key ("db host") is not a valid ConfigMap key: ${KEY_RULE}; use a key such as "db-host"`);
  });

  test('the key ".." is refused', () => {
    expectError(() => web({ env: { DATA: EnvValue.fromConfigMapKey('settings', '..') } }),
      `shop/api: env.DATA.key ("..") is not a valid ConfigMap key: ${KEY_RULE}; use the name of a key the ConfigMap holds`);
  });

  test('the key "." is refused', () => {
    expectError(() => web({ env: { DATA: EnvValue.fromSecretKey('db', '.') } }),
      `shop/api: env.DATA.key (".") is not a valid Secret key: ${KEY_RULE}; use the name of a key the Secret holds`);
  });

  test('a key starting with ".." is refused', () => {
    expectError(() => web({ env: { DATA: EnvValue.fromSecretKey('db', '..data') } }),
      `shop/api: env.DATA.key ("..data") is not a valid Secret key: ${KEY_RULE}; use a key such as "data"`);
  });

  test('a key longer than 253 characters is refused', () => {
    const key = 'k'.repeat(254);
    expectError(() => web({ env: { DATA: EnvValue.fromConfigMapKey('settings', key) } }),
      `shop/api: env.DATA.key ("${key}") is not a valid ConfigMap key: ${KEY_RULE}; use a key such as "${'k'.repeat(253)}"`);
  });

  test('fromSecret checks the key of a cdk8s-plus Secret', () => {
    const c = chart();
    const db = new kplus.Secret(c, 'db', { stringData: { user: 'app' } });
    expectError(() => web({ env: { DB_USER: EnvValue.fromSecret(db, 'db user') } }, c),
      `shop/api: env.DB_USER.key ("db user") is not a valid Secret key: ${KEY_RULE}; use a key such as "db-user"`);
  });

  test('fromConfigMap checks the key of a cdk8s-plus ConfigMap', () => {
    const c = chart();
    const settings = new kplus.ConfigMap(c, 'settings', { data: { region: 'eu-west-1' } });
    expectError(() => web({ env: { REGION: EnvValue.fromConfigMap(settings, 'aws/region') } }, c),
      `shop/api: env.REGION.key ("aws/region") is not a valid ConfigMap key: ${KEY_RULE}; use a key such as "aws-region"`);
  });

  test('a Worker names itself in the error too', () => {
    expectError(() => worker({ env: { TOKEN: EnvValue.fromSecretKey('Mailer_Token', 'token') } }),
      `shop/mailer: env.TOKEN.secretName ("Mailer_Token") ${DNS_SUBDOMAIN_RULE}; use a name such as "mailer-token"`);
  });

  test('valid names and keys (dots, dashes, underscores, a leading single dot) are written unchanged', () => {
    const c = chart();
    web({
      env: {
        A: EnvValue.fromSecretKey('db.credentials', 'tls.key'),
        B: EnvValue.fromConfigMapKey('app-settings', 'DB_HOST'),
        C: EnvValue.fromConfigMapKey('app-settings', '.hidden-file'),
      },
    }, c);
    const env = c.toJson().find(o => o.kind === 'Deployment').spec.template.spec.containers[0].env;
    expect(env).toEqual(expect.arrayContaining([
      { name: 'A', valueFrom: { secretKeyRef: { name: 'db.credentials', key: 'tls.key' } } },
      { name: 'B', valueFrom: { configMapKeyRef: { name: 'app-settings', key: 'DB_HOST' } } },
      { name: 'C', valueFrom: { configMapKeyRef: { name: 'app-settings', key: '.hidden-file' } } },
    ]));
  });
});

describe('resource comparisons quote the values as written', () => {
  test('a request above its limit names both as the user wrote them', () => {
    expectError(() => web({ resources: { cpu: '2.5', cpuLimit: '2000m' } }),
      'shop/api: resources.cpu ("2.5") must be <= resources.cpuLimit (2000m); lower the request or raise the limit');
    expectError(() => web({ resources: { memory: '1024Mi', memoryLimit: '512Mi' } }),
      'shop/api: resources.memory ("1024Mi") must be <= resources.memoryLimit (512Mi); lower the request or raise the limit');
  });
});

describe('quantities in every form Kubernetes accepts', () => {
  test('CPU: a sign, a trailing point and exponents are read as Kubernetes reads them', () => {
    const cpuOf = (cpu: string) => Testing.synth(web({ resources: { cpu, cpuLimit: cpu } }).node.scope as Chart)
      .find((o: any) => o.kind === 'Deployment').spec.template.spec.containers[0].resources.requests.cpu;
    expect(cpuOf('5e1')).toBe('50');
    expect(cpuOf('+2')).toBe('2');
    expect(cpuOf('2.')).toBe('2');
    expect(cpuOf('25e-2')).toBe('250m');
    expectError(() => web({ resources: { cpu: '100k' } }), /resources.cpu \("100k"\) is 100000 cores \(over 64\)/);
  });

  test('memory: an upper-case exponent is an exponent, a lone E is exa', () => {
    expect(MemoryQuantity.parse('1E3').bytes).toBe(1000);
    expect(MemoryQuantity.parse('5e1').bytes).toBe(50);
    expect(MemoryQuantity.parse('1E').bytes).toBe(1e18);
    expect(MemoryQuantity.parse('+512Mi').bytes).toBe(512 * 2 ** 20);
  });
});
