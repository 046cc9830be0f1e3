import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, Chart } from 'cdk8s';
import { App, KedaAuthenticationKind, Worker, WorkerScaling } from '../../../lib/k8s';
import { KEDA_CHECKED_SCALERS } from '../../../lib/k8s/workloads/keda-scalers';
import { Template } from '../../../lib/testing';
import { stderrOf, stderrOfSynth, validationMessageOf } from '../../util/k8s';
import { expectValid, parseYamlFiles, tempDir } from '../../util/schema';

/** Synthesizes a KEDA-scaled worker whose trigger names TriggerAuthentication sqs-auth; `extra` adds objects. */
function synthOf(extra: (chart: Chart) => void = () => undefined): string {
  const app = new App({ outdir: tempDir('shipshape-keda-') });
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  new Worker(chart, 'mailer', {
    image: 'ghcr.io/acme/mailer:1.0.0',
    scaling: WorkerScaling.keda({ triggers: [{ type: 'aws-sqs-queue', authenticationRef: 'sqs-auth', metadata: { queueURL: 'https://sqs.eu-west-1.amazonaws.com/1/orders', queueLength: '20', awsRegion: 'eu-west-1' } }] }),
  });
  extra(chart);
  return stderrOfSynth(app);
}

describe('KEDA triggers naming a TriggerAuthentication', () => {
  test('one the output does not hold is named in a note', () => {
    expect(synthOf()).toContain('shipshape note: ScaledObject shop/mailer: its triggers name TriggerAuthentication shop/sqs-auth, which this output does not hold: '
      + 'unless it is made otherwise (before the ScaledObject is applied), KEDA cannot authenticate the trigger and the workload stays at its minimum; '
      + 'add it to the app (an ApiObject of kind TriggerAuthentication naming the Secret keys, or pod identity), or check its name\n');
  });

  test('one the output holds is not', () => {
    expect(synthOf(chart => new ApiObject(chart, 'auth', {
      apiVersion: 'keda.sh/v1alpha1', kind: 'TriggerAuthentication', metadata: { name: 'sqs-auth' }, spec: { podIdentity: { provider: 'aws' } },
    }))).not.toContain('its triggers name');
  });
});

describe('Template.notes', () => {
  test('holds the whole-output notes synth prints, so a test can assert them; none when the output holds what it names', () => {
    const build = (withAuth: boolean) => {
      const app = new App({ outdir: tempDir('shipshape-keda-') });
      const chart = new Chart(app, 'shop', { namespace: 'shop' });
      new Worker(chart, 'mailer', {
        image: 'ghcr.io/acme/mailer:1.0.0',
        scaling: WorkerScaling.keda({ triggers: [{ type: 'aws-sqs-queue', authenticationRef: 'sqs-auth', metadata: { queueURL: 'https://sqs.eu-west-1.amazonaws.com/1/orders', queueLength: '20', awsRegion: 'eu-west-1' } }] }),
      });
      if (withAuth) new ApiObject(chart, 'auth', { apiVersion: 'keda.sh/v1alpha1', kind: 'TriggerAuthentication', metadata: { name: 'sqs-auth' }, spec: { podIdentity: { provider: 'aws' } } });
      return Template.fromChart(chart);
    };
    expect(build(false).notes).toEqual([expect.stringMatching(/^shipshape note: ScaledObject shop\/mailer: its triggers name TriggerAuthentication shop\/sqs-auth, which this output does not hold: .*or check its name$/)]);
    expect(build(true).notes).toEqual([]);
  });

  test('holds the notes the constructs gave too, as synth prints them (a trigger without credentials)', () => {
    const app = new App({ outdir: tempDir('shipshape-keda-') });
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    new Worker(chart, 'mailer', {
      image: 'ghcr.io/acme/mailer:1.0.0',
      scaling: WorkerScaling.keda({ triggers: [{ type: 'aws-sqs-queue', metadata: { queueURL: 'https://sqs.eu-west-1.amazonaws.com/1/orders', awsRegion: 'eu-west-1' } }] }),
    });
    const notes = Template.fromChart(chart).notes;
    expect(notes).toEqual([expect.stringMatching(/^shipshape note: shop\/mailer: scaling\.triggers\[0\] \(aws-sqs-queue\) has no authenticationRef: /)]);
    // the same line synth prints
    expect(stderrOfSynth(app)).toContain(`${notes[0]}\n`);
  });
});

describe('KEDA AWS scalers', () => {
  const worker = (trigger: any) => {
    const app = new App({ outdir: tempDir('shipshape-keda-') });
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    new Worker(chart, 'mailer', { image: 'ghcr.io/acme/mailer:1.0.0', scaling: WorkerScaling.keda({ triggers: [trigger] }) });
    return app;
  };
  const sqs = (metadata: { [k: string]: string }, authenticationRef?: string) => ({ type: 'aws-sqs-queue', metadata, ...(authenticationRef ? { authenticationRef } : {}) });
  const QUEUE = 'https://sqs.eu-west-1.amazonaws.com/123456789012/orders';

  test('a trigger without credentials (no authenticationRef, no identityOwner: operator) is named in a note', () => {
    expect(stderrOfSynth(worker(sqs({ queueURL: QUEUE, queueLength: '20', awsRegion: 'eu-west-1' })))).toContain(
      'scaling.triggers[0] (aws-sqs-queue) has no authenticationRef: KEDA\'s operator, not the worker\'s pods, calls AWS for the scaler');
    expect(stderrOfSynth(worker(sqs({ queueURL: QUEUE, awsRegion: 'eu-west-1', identityOwner: 'operator' })))).not.toContain('has no authenticationRef');
  });

  test('a setting a letter or two off, or in another case, is refused with the setting meant; an unknown far one is kept', () => {
    expect(validationMessageOf(() => worker(sqs({ queueURL: QUEUE, queueLenght: '5' }, 'sqs-auth')))).toBe(
      'shop/mailer: scaling.triggers[0].metadata.queueLenght ("5") is not a setting of KEDA\'s aws-sqs-queue scaler, which would ignore it (or fail without the setting meant); did you mean queueLength?');
    expect(validationMessageOf(() => worker(sqs({ queueUrl: QUEUE }, 'sqs-auth')))).toContain('did you mean queueURL?');
    expect(() => worker(sqs({ queueURL: QUEUE, awsRegion: 'eu-west-1', someNewerSetting: 'true' }, 'sqs-auth'))).not.toThrow();
  });

  test('the settings of the other common scalers are held to what KEDA reads: a slip is refused with the setting meant', () => {
    const message = (type: string, metadata: { [k: string]: string }) => validationMessageOf(() => worker({ type, metadata, authenticationRef: 'auth' }));
    expect(message('prometheus', { serverAdress: 'http://prometheus.monitoring:9090', query: 'sum(up)', threshold: '10' })).toBe(
      'shop/mailer: scaling.triggers[0].metadata.serverAdress ("http://prometheus.monitoring:9090") is not a setting of KEDA\'s prometheus scaler, '
      + 'which would ignore it (or fail without the setting meant); did you mean serverAddress?');
    expect(message('cron', { timeZone: 'Europe/Paris', start: '0 8 * * *', end: '0 20 * * *', desiredReplicas: '4' })).toContain('did you mean timezone?');
    expect(message('kafka', { bootstrapServers: 'kafka:9092', consumerGroup: 'mailer', topic: 'mail', lagTreshold: '50' })).toContain('did you mean lagThreshold?');
    expect(message('rabbitmq', { queuename: 'mail', mode: 'QueueLength', value: '20' })).toContain('did you mean queueName?');
    expect(message('redis-streams', { adress: 'redis:6379', stream: 'mail', consumerGroup: 'mailer', pendingEntriesCount: '10' })).toContain('did you mean address?');
    expect(message('aws-cloudwatch', { namespace: 'AWS/SQS', metricName: 'X', targetMetricValue: '2', minMetricValue: '0', awsRegon: 'eu-west-1' })).toContain('did you mean awsRegion?');
  });

  test('the settings KEDA documents for those scalers are accepted, as are settings of scalers shipshape does not list', () => {
    const accepts = (type: string, metadata: { [k: string]: string }) => expect(() => worker({ type, metadata, authenticationRef: 'auth' })).not.toThrow();
    accepts('prometheus', {
      serverAddress: 'http://prometheus.monitoring:9090',
      query: 'sum(rate(http_requests_total[2m]))',
      queryParameters: 'a=b',
      threshold: '100.5',
      activationThreshold: '5',
      namespace: 'shop',
      customHeaders: 'X-Scope-OrgID=shop',
      ignoreNullValues: 'false',
      unsafeSsl: 'false',
      authModes: 'bearer',
      timeout: '1000',
    });
    accepts('kafka', {
      bootstrapServers: 'kafka:9092',
      consumerGroup: 'mailer',
      topic: 'mail',
      lagThreshold: '50',
      activationLagThreshold: '1',
      offsetResetPolicy: 'earliest',
      allowIdleConsumers: 'false',
      excludePersistentLag: 'false',
      limitToPartitionsWithLag: 'true',
      sasl: 'scram_sha512',
      tls: 'enable',
      version: '2.8.0',
    });
    accepts('rabbitmq', { hostFromEnv: 'RABBITMQ_URL', protocol: 'amqp', queueName: 'mail', mode: 'QueueLength', value: '20', activationValue: '1', vhostName: '/' });
    accepts('cron', { timezone: 'Europe/Paris', start: '0 8 * * *', end: '0 20 * * *', desiredReplicas: '4' });
    accepts('postgresql', { connectionFromEnv: 'PG_URL', query: 'select count(*) from jobs', targetQueryValue: '10', activationTargetQueryValue: '1' });
    // a short setting is matched only in another case: `cb` is not taken for `ca`
    accepts('kafka', { bootstrapServers: 'kafka:9092', consumerGroup: 'mailer', topic: 'mail', cb: 'x' });
    accepts('solr', { host: 'http://solr:8983', collection: 'orders', query: '*:*', targetQueryValue: '10', someSetting: 'x' });
  });

  test('the metadata docs name every scaler whose settings are checked', () => {
    const doc = fs.readFileSync(path.join(__dirname, '../../../lib/k8s/workloads/worker.ts'), 'utf-8');
    const start = doc.indexOf("The scaler's settings");
    const text = doc.slice(start, doc.indexOf('readonly metadata', start)).replace(/\s*\*\s*/g, ' ');
    for (const type of KEDA_CHECKED_SCALERS.filter(t => !/^redis-/.test(t))) expect(text).toMatch(new RegExp(`[ (]${type}[,; )]`));
  });

  test('the settings KEDA\'s aws-sqs-queue scaler needs, and those it reads as numbers or switches, are checked', () => {
    const message = (metadata: { [k: string]: string }) => validationMessageOf(() => worker(sqs(metadata, 'sqs-auth')));
    expect(message({ awsRegion: 'eu-west-1', queueLength: '5' })).toBe('shop/mailer: scaling.triggers[0].metadata.queueURL (undefined) is unset (nor is queueURLFromEnv): '
      + 'KEDA\'s aws-sqs-queue scaler needs the queue it scales on; KEDA\'s operator would fail the ScaledObject and never scale the worker; '
      + "set queueURL to the queue's URL, for example 'https://sqs.eu-west-1.amazonaws.com/123456789012/orders'");
    expect(message({ queueURL: QUEUE })).toBe('shop/mailer: scaling.triggers[0].metadata.awsRegion (undefined) is unset: KEDA\'s aws-sqs-queue scaler needs the region of the queue; '
      + "KEDA's operator would fail the ScaledObject and never scale the worker; set awsRegion to 'eu-west-1', the region of queueURL");
    expect(message({ queueURL: QUEUE, awsRegion: 'eu-west-1', queueLength: 'five' })).toBe('shop/mailer: scaling.triggers[0].metadata.queueLength ("five") is not a whole number of messages, '
      + "which KEDA's aws-sqs-queue scaler reads it as; KEDA's operator would fail the ScaledObject and never scale the worker; write it as a number in quotes, for example '30'");
    expect(message({ queueURL: QUEUE, awsRegion: 'eu-west-1', scaleOnInFlight: 'yes' })).toContain('scaling.triggers[0].metadata.scaleOnInFlight ("yes") is not true or false');
    // a queue from the worker's environment is a queue too
    expect(() => worker(sqs({ queueURLFromEnv: 'QUEUE_URL', awsRegion: 'eu-west-1' }, 'sqs-auth'))).not.toThrow();
  });
});

describe('KEDA triggers naming a ClusterTriggerAuthentication', () => {
  const trigger = (extra: any) => ({ type: 'aws-sqs-queue', metadata: { queueURL: 'https://sqs.eu-west-1.amazonaws.com/1/orders', queueLength: '20', awsRegion: 'eu-west-1' }, ...extra });
  function synthWith(t: any, extra: (chart: Chart) => void = () => undefined): { objs: any[]; stderr: string } {
    const outdir = tempDir('shipshape-keda-');
    const app = new App({ outdir });
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    new Worker(chart, 'mailer', { image: 'ghcr.io/acme/mailer:1.0.0', scaling: WorkerScaling.keda({ triggers: [t] }) });
    extra(chart);
    const stderr = stderrOf(() => app.synth());
    const objs = parseYamlFiles(outdir).flatMap(f => f.docs);
    fs.rmSync(outdir, { recursive: true, force: true });
    return { objs, stderr };
  }
  const refOf = (objs: any[]) => objs.find(o => o.kind === 'ScaledObject').spec.triggers[0].authenticationRef;

  test('authenticationKind CLUSTER_TRIGGER_AUTHENTICATION writes the kind; the default writes none (KEDA reads a TriggerAuthentication)', () => {
    const cluster = synthWith(trigger({ authenticationRef: 'aws-keda', authenticationKind: KedaAuthenticationKind.CLUSTER_TRIGGER_AUTHENTICATION }));
    expect(refOf(cluster.objs)).toStrictEqual({ name: 'aws-keda', kind: 'ClusterTriggerAuthentication' });
    expectValid(cluster.objs);
    expect(refOf(synthWith(trigger({ authenticationRef: 'sqs-auth' })).objs)).toStrictEqual({ name: 'sqs-auth' });
    expect(refOf(synthWith(trigger({ authenticationRef: 'sqs-auth', authenticationKind: KedaAuthenticationKind.TRIGGER_AUTHENTICATION })).objs)).toStrictEqual({ name: 'sqs-auth' });
  });

  test('one the output does not hold is named in a note, without a namespace; one it holds is not', () => {
    const t = trigger({ authenticationRef: 'aws-keda', authenticationKind: KedaAuthenticationKind.CLUSTER_TRIGGER_AUTHENTICATION });
    expect(synthWith(t).stderr).toContain('shipshape note: ScaledObject shop/mailer: its triggers name ClusterTriggerAuthentication aws-keda, which this output does not hold: '
      + 'unless it is made otherwise (before the ScaledObject is applied), KEDA cannot authenticate the trigger and the workload stays at its minimum; '
      + 'add it to the app (an ApiObject of kind ClusterTriggerAuthentication naming the Secret keys, or pod identity), or check its name\n');
    const held = synthWith(t, chart => new ApiObject(chart, 'auth', {
      apiVersion: 'keda.sh/v1alpha1', kind: 'ClusterTriggerAuthentication', metadata: { name: 'aws-keda' }, spec: { podIdentity: { provider: 'aws' } },
    }));
    expect(held.stderr).not.toContain('its triggers name');
    // a TriggerAuthentication of that name in the workload's namespace is another object
    expect(synthWith(t, chart => new ApiObject(chart, 'auth', {
      apiVersion: 'keda.sh/v1alpha1', kind: 'TriggerAuthentication', metadata: { name: 'aws-keda' }, spec: { podIdentity: { provider: 'aws' } },
    })).stderr).toContain('its triggers name ClusterTriggerAuthentication aws-keda');
  });

  test('authenticationKind without authenticationRef is refused', () => {
    expect(validationMessageOf(() => synthWith(trigger({ authenticationKind: KedaAuthenticationKind.CLUSTER_TRIGGER_AUTHENTICATION })))).toBe(
      'shop/mailer: scaling.triggers[0].authenticationKind ("ClusterTriggerAuthentication") is set without authenticationRef, so the trigger names no authentication object; '
      + 'name the ClusterTriggerAuthentication in authenticationRef, or leave authenticationKind out');
  });

  test('an authenticationKind that is no kind of KEDA authentication object is refused', () => {
    expect(validationMessageOf(() => synthWith(trigger({ authenticationRef: 'aws-keda', authenticationKind: 'Cluster' })))).toBe(
      'shop/mailer: scaling.triggers[0].authenticationKind ("Cluster") is not a kind of KEDA authentication object; use KedaAuthenticationKind (TriggerAuthentication or ClusterTriggerAuthentication)');
  });
});
