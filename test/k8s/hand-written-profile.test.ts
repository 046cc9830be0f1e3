import { Chart } from 'cdk8s';
import * as YAML from 'yaml';
import { ClusterProfile, EnvironmentProfile } from '../../lib/core';
import { App, WebService } from '../../lib/k8s';
import { quietly } from '../util/k8s';
import { tempDir } from '../util/schema';

// A cluster shipshape's Terraform did not create is described by hand with what the Kubernetes side reads: no
// Terraform output name, no identities.

const profile: ClusterProfile = {
  clusterName: 'onprem',
  kubernetesVersion: '1.33',
  environment: EnvironmentProfile.PRODUCTION,
  region: 'eu-west-1',
  zones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
  nodePools: [{ name: 'general', labels: {}, taints: [], capacityType: 'ON_DEMAND', instanceTypes: ['m7i.xlarge'], architecture: 'amd64', zones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'], minSize: 3, maxSize: 6 }],
  storageClasses: [],
  networkPolicyEnforced: true,
};

test('a hand-written profile needs no oidcIssuerOutput nor workloadIdentities', () => {
  const app = new App({ outdir: tempDir(), cluster: profile });
  new WebService(new Chart(app, 'shop', { namespace: 'shop' }), 'api', { image: 'ghcr.io/acme/api:1.4.2' });
  const docs = YAML.parseAllDocuments(quietly(() => app.synthYaml())).map(d => d.toJS()).filter(Boolean);
  expect(docs.some((d: any) => d.kind === 'Deployment' && d.metadata.name === 'api')).toBe(true);
});

test('identities: none known is not checked; a listed set refuses an identity it does not list', () => {
  const identity = { namespace: 'shop', serviceAccount: 'api', roleName: 'api', mechanism: 'pod-identity', serviceAccountAnnotations: {} };
  const synth = (p: ClusterProfile) => {
    const app = new App({ outdir: tempDir(), cluster: p });
    new WebService(new Chart(app, 'shop', { namespace: 'shop' }), 'api', { image: 'ghcr.io/acme/api:1.4.2', identity });
    return quietly(() => app.synthYaml());
  };
  expect(synth(profile)).toContain('serviceAccountName: api');
  expect(() => synth({ ...profile, workloadIdentities: [{ ...identity, roleName: 'other' }] })).toThrow('shop/api: identity ("api") is not one of the workload identities of cluster onprem (other)');
});
