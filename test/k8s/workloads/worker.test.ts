import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { EnvironmentProfile } from '../../../lib/core';
import { NetworkPeer, Probe, WebService, Worker, WorkerProps, WorkerScaling } from '../../../lib/k8s';
import { KubernetesPack, PolicyEngine } from '../../../lib/policy';
import { expectError, policyErrors, stderrOf } from '../../util/k8s';
import { expectValid, parseYamlFiles, tempDir } from '../../util/schema';

const IMAGE = 'ghcr.io/acme/mailer:2.0.1';

function build(props: Partial<WorkerProps> = {}, id = 'mailer'): { objs: any[]; w: Worker; chart: Chart } {
  const c = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
  const w = new Worker(c, id, { image: IMAGE, ...props });
  return { objs: c.toJson(), w, chart: c };
}

const find = (objs: any[], kind: string) => objs.find(o => o.kind === kind);
const pod = (objs: any[]) => find(objs, 'Deployment').spec.template.spec;
const main = (objs: any[]) => pod(objs).containers[0];

describe('Worker defaults', () => {
  const { objs, w } = build();

  test('creates ServiceAccount, NetworkPolicy, Deployment, PDB and a CPU HPA; no Service', () => {
    expect(objs.map(o => o.kind).sort()).toEqual(['Deployment', 'HorizontalPodAutoscaler', 'NetworkPolicy', 'PodDisruptionBudget', 'ServiceAccount']);
    expect(find(objs, 'Deployment').metadata.labels['app.kubernetes.io/component']).toBe('worker');
    expect(w.scalingKind).toBe('cpu');
  });

  test('autoscaled on CPU 3-10 at 70 %, the Deployment has no replicas and carries the Polaris exemption', () => {
    expect(find(objs, 'HorizontalPodAutoscaler').spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'mailer' },
      minReplicas: 3,
      maxReplicas: 10,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    });
    const d = find(objs, 'Deployment');
    expect(d.spec.replicas).toBeUndefined();
    expect(d.metadata.annotations).toEqual({ 'polaris.fairwinds.com/deploymentMissingReplicas-exempt': 'true' });
    expect(d.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } });
  });

  test('60 s grace period for the message in hand', () => {
    expect(pod(objs).terminationGracePeriodSeconds).toBe(60);
  });

  test('health port 8080 named "health" with /readyz and /livez probes', () => {
    expect(main(objs).ports).toEqual([{ name: 'health', containerPort: 8080, protocol: 'TCP' }]);
    expect(main(objs).readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'health' });
    expect(main(objs).livenessProbe.httpGet).toEqual({ path: '/livez', port: 'health' });
  });

  test('NetworkPolicy admits nothing in; egress to DNS only until destinations are declared', () => {
    const np = find(objs, 'NetworkPolicy').spec;
    expect(np.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(np.ingress).toEqual([]);
    expect(np.egress).toHaveLength(1);
    expect(np.egress[0].ports).toEqual([{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }]);
  });

  test('PDB and spread', () => {
    expect(find(objs, 'PodDisruptionBudget').spec.maxUnavailable).toBe(1);
    expect(pod(objs).topologySpreadConstraints).toHaveLength(1);
    expect(pod(objs).affinity.podAntiAffinity).toBeDefined();
  });

  test('validates strictly against Kubernetes 1.27 and 1.36 and passes the policy pack without error', () => {
    expectValid(objs);
    expect(policyErrors(objs)).toEqual([]);
  });

  test('development profile: 1 fixed replica, no HPA, no PDB, no spread', () => {
    const dev = build({ profile: EnvironmentProfile.DEVELOPMENT });
    expect(dev.objs.map(o => o.kind).sort()).toEqual(['Deployment', 'NetworkPolicy', 'ServiceAccount']);
    expect(find(dev.objs, 'Deployment').spec.replicas).toBe(1);
    expect(pod(dev.objs).affinity).toBeUndefined();
    expect(dev.w.scalingKind).toBe('fixed');
  });
});

describe('Worker options', () => {
  test('egress to declared destinations', () => {
    const { chart, w } = build();
    w.allowTo(NetworkPeer.cidr('10.0.0.0/16', { ports: [5672] }));
    const np = chart.toJson().find(o => o.kind === 'NetworkPolicy').spec;
    expect(np.egress[1]).toEqual({ to: [{ ipBlock: { cidr: '10.0.0.0/16' } }], ports: [{ port: 5672, protocol: 'TCP' }] });
    expect(np.ingress).toEqual([]);
  });

  test('fixed scaling: replicas set, no HPA', () => {
    const { objs, w } = build({ scaling: WorkerScaling.fixed(4) });
    expect(find(objs, 'Deployment').spec.replicas).toBe(4);
    expect(find(objs, 'Deployment').metadata.annotations).toBeUndefined();
    expect(find(objs, 'HorizontalPodAutoscaler')).toBeUndefined();
    expect([w.minReplicas, w.maxReplicas]).toEqual([4, 4]);
  });

  test('CPU scaling with explicit range and target', () => {
    const { objs } = build({ scaling: WorkerScaling.cpu({ min: 2, max: 6, targetCpuUtilization: 50 }) });
    const hpa = find(objs, 'HorizontalPodAutoscaler').spec;
    expect([hpa.minReplicas, hpa.maxReplicas, hpa.metrics[0].resource.target.averageUtilization]).toEqual([2, 6, 50]);
  });

  test('external metric scaling', () => {
    const { objs } = build({ scaling: WorkerScaling.externalMetric({ metricName: 'sqs_messages_visible', metricSelector: { queue: 'orders' }, targetAverageValue: '30', min: 2, max: 8 }) });
    expect(find(objs, 'HorizontalPodAutoscaler').spec.metrics).toEqual([{
      type: 'External',
      external: { metric: { name: 'sqs_messages_visible', selector: { matchLabels: { queue: 'orders' } } }, target: { type: 'AverageValue', averageValue: '30' } },
    }]);
    expectValid(objs);
    expect(policyErrors(objs)).toEqual([]);
  });

  test('KEDA scaling: a ScaledObject (defaults: profile range, polling 30 s, cooldown 300 s), no HPA, no replicas', () => {
    const { objs, w } = build({
      scaling: WorkerScaling.keda({
        triggers: [{ type: 'aws-sqs-queue', name: 'orders', authenticationRef: 'sqs-auth', metadata: { queueURL: 'https://sqs.eu-west-1.amazonaws.com/1/orders', queueLength: '20', awsRegion: 'eu-west-1' } }],
      }),
    });
    expect(find(objs, 'HorizontalPodAutoscaler')).toBeUndefined();
    expect(find(objs, 'Deployment').spec.replicas).toBeUndefined();
    expect(w.scaledObject).toBeDefined();
    const so = find(objs, 'ScaledObject');
    expect(so.apiVersion).toBe('keda.sh/v1alpha1');
    expect(so.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'mailer' },
      minReplicaCount: 3,
      maxReplicaCount: 10,
      pollingInterval: 30,
      cooldownPeriod: 300,
      triggers: [{ type: 'aws-sqs-queue', name: 'orders', authenticationRef: { name: 'sqs-auth' }, metadata: { queueURL: 'https://sqs.eu-west-1.amazonaws.com/1/orders', queueLength: '20', awsRegion: 'eu-west-1' } }],
    });
    expectValid(objs);
    expect(policyErrors(objs)).toEqual([]);
  });

  test('KEDA may scale to zero', () => {
    const { objs } = build({ scaling: WorkerScaling.keda({ min: 0, max: 5, pollingIntervalSeconds: 10, cooldownPeriodSeconds: 60, triggers: [{ type: 'rabbitmq', metadata: { queueName: 'q', value: '10' } }] }) });
    const so = find(objs, 'ScaledObject').spec;
    expect([so.minReplicaCount, so.maxReplicaCount, so.pollingInterval, so.cooldownPeriod]).toEqual([0, 5, 10, 60]);
  });

  test('KEDA may not scale to zero on cpu and memory triggers alone (its webhook refuses it); an event trigger beside them, or min 1, is accepted', () => {
    const cpu = { type: 'cpu', metadata: { type: 'Utilization', value: '60' } };
    expectError(() => build({ scaling: WorkerScaling.keda({ min: 0, max: 5, triggers: [cpu, { type: 'memory', metadata: { type: 'Utilization', value: '70' } }] }) }),
      'shop/mailer: scaling.min (0) scales to zero, but every trigger is a cpu or memory trigger, which KEDA measures on running pods: its admission webhook refuses such a '
      + 'ScaledObject (nothing would scale the worker up from zero), and the worker would run without an autoscaler; use min 1 or more, or add an event trigger '
      + '(a queue, a stream, cron, prometheus) that can wake the worker from zero');
    expect(find(build({ scaling: WorkerScaling.keda({ min: 1, max: 5, triggers: [cpu] }) }).objs, 'ScaledObject').spec.minReplicaCount).toBe(1);
    expect(find(build({ scaling: WorkerScaling.keda({ min: 0, max: 5, triggers: [cpu, { type: 'rabbitmq', metadata: { queueName: 'q', value: '10' } }] }) }).objs, 'ScaledObject')
      .spec.minReplicaCount).toBe(0);
  });

  test('a KEDA cpu utilization target the CPU limit never lets the pods reach is refused, as an HPA\'s is', () => {
    const cpu = (value: string) => ({ type: 'cpu', metadata: { type: 'Utilization', value } });
    expectError(() => build({ resources: { cpu: '250m', cpuLimit: '1' }, scaling: WorkerScaling.keda({ min: 1, max: 5, triggers: [cpu('900')] }) }),
      'shop/mailer: scaling.triggers[0].metadata.value (900) is never reached: utilization is a percentage of the CPU request (250m), and the CPU limit (1) keeps it at 400 or below, '
      + 'so the autoscaler would never add a replica; use at most 400 (for example 70), or raise resources.cpuLimit');
    expect(find(build({ resources: { cpu: '250m', cpuLimit: '1' }, scaling: WorkerScaling.keda({ min: 1, max: 5, triggers: [cpu('60')] }) }).objs, 'ScaledObject').spec.triggers[0].metadata.value).toBe('60');
  });

  test('KEDA settings that name an environment variable (<setting>FromEnv) are not taken for secrets', () => {
    const { objs } = build({ scaling: WorkerScaling.keda({ triggers: [{ type: 'rabbitmq', metadata: { queueName: 'q', hostFromEnv: 'RABBITMQ_URL', passwordFromEnv: 'RABBITMQ_PASSWORD' } }] }) });
    expect(find(objs, 'ScaledObject').spec.triggers[0].metadata).toEqual({ queueName: 'q', hostFromEnv: 'RABBITMQ_URL', passwordFromEnv: 'RABBITMQ_PASSWORD' });
  });

  test('KEDA trigger types: every built-in scaler is taken, and a type near none (a newer or external scaler) is written as given', () => {
    for (const type of ['aws-sqs-queue', 'aws-dynamodb-streams', 'kafka', 'apache-kafka', 'redis-streams', 'cron', 'external-push', 'my-company-scaler']) {
      const metadata: { [k: string]: string } = type === 'aws-sqs-queue' ? { queueURL: 'https://sqs.eu-west-1.amazonaws.com/1/orders', awsRegion: 'eu-west-1' } : { a: 'b' };
      const { objs } = build({ scaling: WorkerScaling.keda({ triggers: [{ type, metadata }] }) });
      expect(find(objs, 'ScaledObject').spec.triggers[0].type).toBe(type);
    }
  });

  test('grace period and probes are configurable', () => {
    const { objs } = build({ terminationGracePeriodSeconds: 300, healthPort: 9000, healthPortName: 'probe', liveness: Probe.exec(['/bin/alive']) });
    expect(pod(objs).terminationGracePeriodSeconds).toBe(300);
    expect(main(objs).ports).toEqual([{ name: 'probe', containerPort: 9000, protocol: 'TCP' }]);
    expect(main(objs).livenessProbe.exec).toEqual({ command: ['/bin/alive'] });
  });

  test('a worker probed by commands only declares no port, so no policy rule reports a port nothing may reach', () => {
    const { objs, w } = build({ readiness: Probe.exec(['/bin/healthy']), liveness: Probe.exec(['/bin/alive']) });
    expect(main(objs).ports).toBeUndefined();
    expect(w.containerPorts).toEqual([]);
    expect(find(objs, 'NetworkPolicy').spec.ingress).toEqual([]);
    expect(policyErrors(objs)).toEqual([]);
    const warnings = new PolicyEngine({ packs: [new KubernetesPack()] })
      .check(objs.map((m, i) => ({ kind: m.kind, manifest: m, path: `doc#${i}`, name: m.metadata?.name, namespace: m.metadata?.namespace })))
      .warnings.map(f => f.ruleId);
    expect(warnings).not.toContain('SS-K8S-048');
    // a health port set on purpose is declared all the same, with a warning that says what SS-K8S-048 will report and why
    let built: any[] = [];
    const said = stderrOf(() => { built = build({ readiness: Probe.exec(['/bin/healthy']), liveness: Probe.exec(['/bin/alive']), healthPort: 9000 }).objs; });
    expect(main(built).ports).toEqual([{ name: 'health', containerPort: 9000, protocol: 'TCP' }]);
    expect(said).toContain('shipshape warning: shop/mailer: healthPort (9000) declares a port no probe uses (every probe is a Probe.exec command), and a worker takes no calls: '
      + 'the port is one nothing may reach, which rule SS-K8S-048 reports (no NetworkPolicy with ingress rules covers the pods); leave healthPort out, or probe that port (Probe.http, Probe.tcp)');
    // a probe on the port: no warning
    expect(stderrOf(() => build({ readiness: Probe.exec(['/bin/healthy']), healthPort: 9000 }))).not.toContain('declares a port no probe uses');
  });
});

describe('Worker validation', () => {
  test.each<[string, Partial<WorkerProps>, string]>([
    ['fixed zero replicas', { scaling: WorkerScaling.fixed(0) }, 'shop/mailer: scaling (0) must be a whole number of at least 1; use WorkerScaling.fixed(2) or more (outside development, fewer than 2 is a policy warning)'],
    ['CPU min zero', { scaling: WorkerScaling.cpu({ min: 0, max: 3 }) }, 'shop/mailer: scaling.min (0) must be a whole number of at least 1; use 2 or more so one pod can fail (rule SS-K8S-045)'],
    ['max not above min', { scaling: WorkerScaling.cpu({ min: 4, max: 4 }) }, 'shop/mailer: scaling.max (4) must be a whole number more than scaling.min (4) for the autoscaler to have room; raise max, or use WorkerScaling.fixed(n) for a fixed count'],
    ['CPU target the limit never lets the pods reach', { scaling: WorkerScaling.cpu({ targetCpuUtilization: 500 }) }, 'shop/mailer: scaling.targetCpuUtilization (500) is never reached: utilization is a percentage of the CPU request (250m), and the CPU limit (1) keeps it at 400 or below, so the autoscaler would never add a replica; use at most 400 (for example 70), or raise resources.cpuLimit'],
    ['CPU target zero', { scaling: WorkerScaling.cpu({ targetCpuUtilization: 0 }) }, 'shop/mailer: scaling.targetCpuUtilization (0) must be a whole percentage of the CPU request, at least 1; use for example 70'],
    ['external metric without a name', { scaling: WorkerScaling.externalMetric({ metricName: 'bad name', targetAverageValue: '5' }) }, 'shop/mailer: scaling.metricName ("bad name") is not a metric name'],
    ['external metric target not a quantity', { scaling: WorkerScaling.externalMetric({ metricName: 'depth', targetAverageValue: 'many' }) }, 'shop/mailer: scaling.targetAverageValue ("many") is not a positive quantity'],
    ['external metric target zero', { scaling: WorkerScaling.externalMetric({ metricName: 'depth', targetAverageValue: '0' }) }, 'shop/mailer: scaling.targetAverageValue ("0") is not a positive quantity'],
    ['KEDA min negative', { scaling: WorkerScaling.keda({ min: -1, triggers: [{ type: 'cron', metadata: { a: 'b' } }] }) }, 'shop/mailer: scaling.min (-1) must be a whole number of at least 0; use 0 (scale to zero) or more'],
    ['KEDA without triggers', { scaling: WorkerScaling.keda({ triggers: [] }) }, 'shop/mailer: scaling.triggers ([]) must name at least one KEDA scaler'],
    ['KEDA trigger type invalid', { scaling: WorkerScaling.keda({ triggers: [{ type: 'AWS SQS', metadata: { a: 'b' } }] }) }, 'shop/mailer: scaling.triggers[0].type ("AWS SQS") is not a KEDA scaler type'],
    ['KEDA trigger type a slip (prefix left out)', { scaling: WorkerScaling.keda({ triggers: [{ type: 'sqs', metadata: { a: 'b' } }] }) }, 'shop/mailer: scaling.triggers[0].type ("sqs") is not a KEDA scaler type: KEDA\'s operator would fail the ScaledObject ("no scaler found for type") and never scale the worker; did you mean \'aws-sqs-queue\'?'],
    ['KEDA trigger type a slip (two candidates)', { scaling: WorkerScaling.keda({ triggers: [{ type: 'dynamodb', metadata: { a: 'b' } }] }) }, "did you mean 'aws-dynamodb' or 'aws-dynamodb-streams'?"],
    ['KEDA trigger type a slip (a letter off)', { scaling: WorkerScaling.keda({ triggers: [{ type: 'rabitmq', metadata: { a: 'b' } }] }) }, "scaling.triggers[0].type (\"rabitmq\") is not a KEDA scaler type: KEDA's operator would fail the ScaledObject (\"no scaler found for type\") and never scale the worker; did you mean 'rabbitmq'?"],
    ['KEDA trigger without metadata', { scaling: WorkerScaling.keda({ triggers: [{ type: 'rabbitmq', metadata: {} }] }) }, 'shop/mailer: scaling.triggers[0].metadata ({}) must hold the scaler settings'],
    ['KEDA metadata not a string', { scaling: WorkerScaling.keda({ triggers: [{ type: 'rabbitmq', metadata: { value: 10 as any } }] }) }, 'shop/mailer: scaling.triggers[0].metadata.value (10) must be a string (KEDA reads every setting as text); write it as "10"'],
    ['KEDA metadata with a password in a URL', { scaling: WorkerScaling.keda({ triggers: [{ type: 'rabbitmq', metadata: { queueName: 'q', host: 'amqp://guest:guest@rabbit:5672/' } }] }) }, 'shop/mailer: scaling.triggers[0].metadata.host ("<redacted>") looks like a plaintext secret (it holds a URL with a password), which would be readable in the ScaledObject by anyone who can read the namespace\'s objects; store it in a Secret and reference it with a KEDA TriggerAuthentication (authenticationRef), or use the scaler\'s hostFromEnv setting if it has one'],
    ['KEDA metadata named as a secret', { scaling: WorkerScaling.keda({ triggers: [{ type: 'redis', metadata: { listName: 'jobs', password: 'hunter2hunter2' } }] }) }, 'shop/mailer: scaling.triggers[0].metadata.password ("<redacted>") looks like a plaintext secret (its name says it is a secret)'],
    ['KEDA polling zero', { scaling: WorkerScaling.keda({ pollingIntervalSeconds: 0, triggers: [{ type: 'rabbitmq', metadata: { a: 'b' } }] }) }, 'shop/mailer: scaling.pollingIntervalSeconds (0) must be a whole number of at least 1'],
    ['grace period zero', { terminationGracePeriodSeconds: 0 }, 'shop/mailer: terminationGracePeriodSeconds (0) must be a whole number of at least 1; use the longest time one message takes, for example 60'],
    ['privileged health port', { healthPort: 80 }, 'shop/mailer: healthPort (80) must be a whole number from 1024 to 65535'],
    ['identical probes', { readiness: Probe.http('/health'), liveness: Probe.http('/health') }, 'shop/mailer: liveness ("http 8080 /health") is the same check as the readiness probe'],
  ])('%s', (_name, props, message) => {
    expectError(() => build(props), message);
  });

  test('allowFrom on a Worker is refused, naming the peer that was passed', () => {
    const { chart, w } = build();
    expectError(() => w.allowFrom(NetworkPeer.namespace('api')),
      'shop/mailer: allowFrom ("namespace api") would admit a caller, but this workload is a Worker, which accepts no inbound connections (it pulls work from a queue; its NetworkPolicy admits nothing); remove the connection, or model the receiving side as a WebService or StatefulService');
    const api = new WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.0.0' });
    expectError(() => w.allowFrom(api), /^shop\/mailer: allowFrom \("shop\/api"\) would admit a caller, but this workload is a Worker/);
  });

  test('another workload\'s allowTo a Worker is refused too', () => {
    const { chart, w } = build();
    const api = new WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.0.0' });
    expectError(() => api.allowTo(w), 'shop/api: allowTo ("shop/mailer") is a Worker, which accepts no inbound connections');
  });
});

describe('examples/worker-and-jobs', () => {
  test('synthesizes with k8s.App: valid for 1.27 and 1.36 (KEDA CRD included), policy without error', () => {
    const outdir = tempDir();
    const before = process.env.CDK8S_OUTDIR;
    process.env.CDK8S_OUTDIR = outdir;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the example runs on import, like a cdk8s app
      jest.isolateModules(() => require('../../../examples/worker-and-jobs/main'));
      const files = parseYamlFiles(outdir);
      expect(files.map(f => f.file)).toEqual(['orders.k8s.yaml']);
      const docs = files[0].docs;
      const kinds = docs.map(d => d.kind);
      for (const k of ['ScaledObject', 'HorizontalPodAutoscaler', 'CronJob', 'Job']) expect(kinds).toContain(k);
      expect(kinds).not.toContain('Service');
      expectValid(docs);
      const report = JSON.parse(fs.readFileSync(path.join(outdir, '.shipshape', 'policy-report.json'), 'utf-8'));
      expect(report.summary.errors).toBe(0);
    } finally {
      if (before === undefined) delete process.env.CDK8S_OUTDIR; else process.env.CDK8S_OUTDIR = before;
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});
