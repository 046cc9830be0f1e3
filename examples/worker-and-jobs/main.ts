// Background work with shipshape: queue consumers (k8s.Worker), a nightly task (k8s.ScheduledJob)
// and a one-off database migration (k8s.Job).
// In your own project, import from the package instead: import { k8s } from 'shipshape';
import { Chart } from 'cdk8s';
import { k8s } from '../../lib';

// k8s.App runs the policy pack on synth: an error-level finding fails the synth and no file is written.
// The output directory is cdk8s' default (dist/, or $CDK8S_OUTDIR when set).
const app = new k8s.App();
const chart = new Chart(app, 'orders', { namespace: 'orders' });

// Destinations outside shipshape's own workloads.
const database = k8s.NetworkPeer.pods('orders', { 'app.kubernetes.io/name': 'orders-db' }, { ports: [5432] });
const rabbitmq = k8s.NetworkPeer.pods('messaging', { 'app.kubernetes.io/name': 'rabbitmq' }, { ports: [5672] });
const awsEndpoints = k8s.NetworkPeer.cidr('10.20.0.0/16', { ports: [443] }); // VPC interface endpoints (SQS, STS)

// A queue consumer scaled by KEDA on the SQS queue's depth (KEDA owns the HorizontalPodAutoscaler).
const fulfilment = new k8s.Worker(chart, 'fulfilment', {
  image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders/fulfilment:3.2.0',
  partOf: 'orders',
  scaling: k8s.WorkerScaling.keda({
    min: 2,
    max: 20,
    triggers: [{
      type: 'aws-sqs-queue',
      metadata: { queueURL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/orders', queueLength: '20', awsRegion: 'eu-west-1', identityOwner: 'operator' },
    }],
  }),
  terminationGracePeriodSeconds: 120, // the slowest order takes about 90 s to fulfil
  serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/orders-fulfilment' },
  secretMounts: [{ secretName: 'orders-db', mountPath: '/var/run/secrets/db' }],
});
fulfilment.allowTo(awsEndpoints);
fulfilment.allowTo(database);

// A consumer with the default scaling: a HorizontalPodAutoscaler on CPU (production: 3-10 replicas at 70 %).
const thumbnails = new k8s.Worker(chart, 'thumbnails', {
  image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders/thumbnails:1.0.4',
  partOf: 'orders',
  resources: { cpu: '1', cpuLimit: '2', memory: '1Gi' },
});
thumbnails.allowTo(rabbitmq);

// A nightly report at 03:00 Berlin time; runs never overlap, a missed run may start up to 5 minutes late.
const report = new k8s.ScheduledJob(chart, 'nightly-report', {
  image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders/reports:1.7.1',
  partOf: 'orders',
  schedule: k8s.Schedule.cron('0 3 * * *'),
  timeZone: 'Europe/Berlin',
  activeDeadlineSeconds: 1800,
  args: ['daily-summary'],
});
report.allowTo(database);

// The schema migration of release 3.2.0, run by Argo CD as a Sync hook with each sync of the release (not PreSync:
// Argo CD runs PreSync hooks before it creates the job's ServiceAccount and NetworkPolicy, so the job could not start).
// A Job's template cannot change, so each release's migration gets its own name.
const migrate = new k8s.Job(chart, 'migrate-3-2-0', {
  image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders/fulfilment:3.2.0',
  partOf: 'orders',
  args: ['migrate', '--to', 'latest'],
  backoffLimit: 1,
  activeDeadlineSeconds: 600,
  ttlSecondsAfterFinished: 3600,
  annotations: { 'argocd.argoproj.io/hook': 'Sync', 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation' },
  secretMounts: [{ secretName: 'orders-db-migrator', mountPath: '/var/run/secrets/db' }],
});
migrate.allowTo(database);

app.synth();
