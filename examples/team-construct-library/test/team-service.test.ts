// The team's tests of its own construct, with shipshape's testing helpers (the way aws-cdk's `assertions` is used).
// In your own library, import from the package instead: import { testing } from 'shipshape';
import { ApiObject, App, Chart, JsonPatch } from 'cdk8s';
import { EnvironmentProfile, policy, testing } from '../../../lib';
import { ServiceSize, TeamService } from '../src/team-service';

const { Match, Template } = testing;

function payments(): Chart {
  return new Chart(new App(), 'payments', { namespace: 'payments' });
}

test('a small service by default: team label, resources, production defaults, no policy finding', () => {
  const chart = payments();
  new TeamService(chart, 'checkout', { team: 'payments', image: 'ghcr.io/acme/checkout:2.3.1' });
  const template = Template.fromChart(chart);

  template.resourceCountIs('Deployment', 1);
  template.resourceCountIs('PodDisruptionBudget', 1);
  template.hasResourceProperties('Deployment', {
    metadata: { name: 'checkout', labels: { 'acme.dev/team': 'payments', 'app.kubernetes.io/part-of': 'payments' } },
    spec: {
      template: {
        spec: {
          containers: Match.arrayWith([{ image: 'ghcr.io/acme/checkout:2.3.1', resources: { requests: { cpu: '100m', memory: '128Mi' } } }]),
        },
      },
    },
  });
  template.hasNoFindings();
});

test('size sets the resources', () => {
  const chart = payments();
  new TeamService(chart, 'ledger', { team: 'payments', image: 'ghcr.io/acme/ledger:4.1.0', size: ServiceSize.LARGE });
  Template.fromChart(chart).hasResourceProperties('Deployment', {
    spec: { template: { spec: { containers: [{ resources: { requests: { cpu: '2', memory: '2Gi' } } }] } } },
  });
});

test('a caller is let in by the callee\'s NetworkPolicy', () => {
  const chart = payments();
  const checkout = new TeamService(chart, 'checkout', { team: 'payments', image: 'ghcr.io/acme/checkout:2.3.1' });
  new TeamService(chart, 'ledger', { team: 'payments', image: 'ghcr.io/acme/ledger:4.1.0', callers: [checkout] });
  const template = Template.fromChart(chart);
  template.hasResourceProperties('NetworkPolicy', {
    metadata: { name: 'ledger' },
    spec: { ingress: Match.arrayWith([{ from: Match.arrayWith([{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'checkout' } } }]) }]) },
  });
  template.hasNoFindings();
});

test('the development profile: one replica, no PodDisruptionBudget, still no policy finding', () => {
  const chart = payments();
  new TeamService(chart, 'checkout', { team: 'payments', image: 'ghcr.io/acme/checkout:2.3.1', profile: EnvironmentProfile.DEVELOPMENT });
  const template = Template.fromChart(chart);
  template.resourceCountIs('PodDisruptionBudget', 0);
  template.hasResourceProperties('Deployment', { spec: { replicas: 1 } });
  template.hasNoFindings();
});

test('an escape-hatch patch that breaks a best practice is caught by the policy check', () => {
  const chart = payments();
  const checkout = new TeamService(chart, 'checkout', { team: 'payments', image: 'ghcr.io/acme/checkout:2.3.1' });
  ApiObject.of(checkout.web.deployment).addJsonPatch(JsonPatch.add('/spec/template/spec/hostNetwork', true));
  const template = Template.fromChart(chart);
  template.hasFinding('SS-K8S-010', { kind: 'Deployment', name: 'checkout', severity: policy.Severity.ERROR });
  template.hasNoFindings({ name: 'ledger' });
});

test('an image from another registry is refused, with the fix', () => {
  expect(() => new TeamService(payments(), 'checkout', { team: 'payments', image: 'docker.io/library/nginx:1.27' }))
    .toThrow('payments/checkout: image ("docker.io/library/nginx:1.27") must come from ghcr.io/acme/; push it there and use that name');
});
