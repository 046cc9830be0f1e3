import { App, Chart } from 'cdk8s';
import { k8s, testing } from '../../../lib';

// Every pod-bearing construct, checked the way users check their own constructs (the testing module):
// the restricted-profile pod defaults hold on every controller kind, and the default policy pack finds nothing.
const { Match, Template } = testing;

function workloads(): Chart {
  const chart = new Chart(new App(), 'shop', { namespace: 'shop' });
  new k8s.WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.0.0', partOf: 'shop' });
  new k8s.Worker(chart, 'mailer', { image: 'ghcr.io/acme/mailer:2.1.0', partOf: 'shop' });
  new k8s.ScheduledJob(chart, 'report', { image: 'ghcr.io/acme/report:1.7.1', partOf: 'shop', schedule: k8s.Schedule.cron('0 3 * * *') });
  return chart;
}

const template = Template.fromChart(workloads());

const hardenedPod = {
  automountServiceAccountToken: false,
  securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
  containers: Match.arrayWith([{
    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
    resources: { requests: { cpu: Match.anyValue(), memory: Match.anyValue() }, limits: { memory: Match.anyValue() } },
  }]),
};

test('Deployments: every pod template is hardened', () => {
  template.resourceCountIs('Deployment', 2);
  template.allResourcesProperties('Deployment', { spec: { template: { spec: hardenedPod } } });
});

test('CronJobs: the job pod template is hardened too', () => {
  template.allResourcesProperties('CronJob', { spec: { jobTemplate: { spec: { template: { spec: hardenedPod } } } } });
});

test('each workload has its own ServiceAccount and a NetworkPolicy', () => {
  template.resourceCountIs('ServiceAccount', 3);
  template.resourceCountIs('NetworkPolicy', 3);
});

test('the default policy pack finds nothing', () => {
  template.hasNoFindings();
});
