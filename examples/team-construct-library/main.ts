// A team's app built from its own construct library (src/), which is built on shipshape.
// In your own project, import from the package instead: import { k8s } from 'shipshape';
import { Chart } from 'cdk8s';
import { k8s } from '../../lib';
import { ServiceSize, TeamService } from './src/team-service';

// k8s.App runs the policy pack on synth: an error-level finding fails the synth and no file is written.
// The output directory is cdk8s' default (dist/, or $CDK8S_OUTDIR when set).
const app = new k8s.App();
const chart = new Chart(app, 'payments', { namespace: 'payments' });
const checkout = new TeamService(chart, 'checkout', { team: 'payments', image: 'ghcr.io/acme/checkout:2.3.1' });
// checkout calls ledger: declared once, both NetworkPolicies follow
new TeamService(chart, 'ledger', { team: 'payments', image: 'ghcr.io/acme/ledger:4.1.0', size: ServiceSize.MEDIUM, callers: [checkout] });
app.synth();
