// A production web service and its development variant, with shipshape's defaults.
// In your own project, import from the package instead: import { k8s, EnvironmentProfile } from 'shipshape';
import { Chart } from 'cdk8s';
import { EnvironmentProfile, k8s } from '../../lib';

// k8s.App runs the policy pack on synth: an error-level finding fails the synth and no file is written.
// The output directory is cdk8s' default (dist/, or $CDK8S_OUTDIR when set).
const app = new k8s.App();

// Production: autoscaled 3-10, PodDisruptionBudget, spread across zones and hosts, hardened pods.
const production = new Chart(app, 'shop-production', { namespace: 'shop' });
const api = new k8s.WebService(production, 'api', {
  image: 'ghcr.io/acme/shop-api:1.4.2',
  partOf: 'shop',
  resources: { cpu: '500m', memory: '512Mi' },
  secretMounts: [{ secretName: 'shop-api-db', mountPath: '/var/run/secrets/db' }],
  env: { LOG_LEVEL: k8s.EnvValue.fromValue('info') },
});
const web = new k8s.WebService(production, 'web', { image: 'ghcr.io/acme/shop-web:2.0.1', port: 3000, partOf: 'shop' });
// One declaration opens both sides: ingress on api from web, egress on web to api.
api.allowFrom(web);
web.allowFrom(k8s.NetworkPeer.ingressController('ingress-nginx', { 'app.kubernetes.io/name': 'ingress-nginx' }));

// Development: one replica, no PodDisruptionBudget, no autoscaler (for a throw-away namespace).
const development = new Chart(app, 'shop-development', { namespace: 'shop-dev' });
const devApi = new k8s.WebService(development, 'api', {
  image: 'ghcr.io/acme/shop-api:1.5.0-rc.1',
  profile: EnvironmentProfile.DEVELOPMENT,
});
devApi.allowFrom(k8s.NetworkPeer.namespace('shop-dev'));

app.synth();
