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

test('a hand-written storage class the API server would refuse is refused: provisioner, reclaim policy, binding mode', () => {
  const gp3 = { name: 'gp3', isDefault: true, provisioner: 'ebs.csi.aws.com', parameters: { type: 'gp3' }, volumeBindingMode: 'WaitForFirstConsumer', allowVolumeExpansion: true, reclaimPolicy: 'Delete' };
  const make = (sc: Partial<typeof gp3>) => () => new App({ outdir: tempDir(), cluster: { ...profile, storageClasses: [{ ...gp3, ...sc }] } });
  expect(make({})).not.toThrow();
  expect(make({ provisioner: 'kubernetes.io/aws-ebs', reclaimPolicy: 'Retain', volumeBindingMode: 'Immediate' })).not.toThrow();
  expect(make({ provisioner: '' })).toThrow(
    '<app>: cluster.storageClasses[gp3].provisioner ("") is not the name of a volume provisioner (a qualified name such as ebs.csi.aws.com, which the API server requires); '
    + "name the CSI driver that makes the volumes, for example 'ebs.csi.aws.com' (EBS) or 'efs.csi.aws.com' (EFS)");
  expect(make({ provisioner: 'ebs csi' })).toThrow('cluster.storageClasses[gp3].provisioner ("ebs csi") is not the name of a volume provisioner');
  expect(make({ reclaimPolicy: 'Keep' })).toThrow(
    '<app>: cluster.storageClasses[gp3].reclaimPolicy ("Keep") must be Delete or Retain (the API server refuses any other reclaim policy on a StorageClass); '
    + "use 'Delete' (the volume goes with its claim) or 'Retain' (it stays, to be cleaned up by hand)");
  expect(make({ volumeBindingMode: 'Later' })).toThrow(
    '<app>: cluster.storageClasses[gp3].volumeBindingMode ("Later") must be WaitForFirstConsumer or Immediate (the API server refuses any other binding mode); '
    + "use 'WaitForFirstConsumer' for zonal volumes such as EBS (made in the zone of the pod's node), or 'Immediate'");
});
