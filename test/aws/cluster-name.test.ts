// The cluster name flows into Kubernetes names and labels (Karpenter NodePools <clusterName>-<id>, the label
// app.kubernetes.io/part-of of the cluster's StorageClasses and IngressClasses) and into Terraform output names:
// a name EKS takes but those refuse is refused at clusterName; an imported cluster's name gets derived forms instead.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdktf';
import * as YAML from 'yaml';
import { cluster, errorOf, newStack } from './util';
import * as aws from '../../lib/aws';
import { ClusterProfile } from '../../lib/core';
import { App } from '../../lib/k8s';
import { quietly } from '../util/k8s';

const admins = ['arn:aws:iam::123456789012:role/platform-admin'];

function refusal(name: string, suggestion: string): string {
  return `test/prod: clusterName (${JSON.stringify(name)}) must be lowercase letters, digits and '-', starting and ending with a letter or digit: `
    + 'shipshape names Kubernetes objects and labels after the cluster (Karpenter NodePools <clusterName>-<id>, '
    + 'the label app.kubernetes.io/part-of of its StorageClasses and IngressClasses), and Kubernetes refuses other names there; '
    + `pass clusterName: ${JSON.stringify(suggestion)} (a cluster that already runs under this name, which EKS cannot rename, `
    + 'can be used through EksCluster.fromClusterAttributes)';
}

/** The StorageClass the Kubernetes side writes for `profile` (a k8s.App synthesized with policy checks on). */
function storageClassOf(profile: ClusterProfile): any {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-cluster-name-'));
  try {
    const app = new App({ cluster: profile, outdir });
    quietly(() => app.synth());
    const docs = YAML.parseAllDocuments(fs.readFileSync(path.join(outdir, 'cluster-resources.k8s.yaml'), 'utf-8')).map((d) => d.toJS());
    return docs.find((d) => d.kind === 'StorageClass');
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

describe('EksCluster clusterName: what Kubernetes names and labels can carry', () => {
  test('a trailing "-" (EKS takes it; the label app.kubernetes.io/part-of does not): refused', () => {
    expect(errorOf(() => cluster(newStack(), { admins, clusterName: 'shop-prod-' }))).toBe(refusal('shop-prod-', 'shop-prod'));
  });

  test('capitals (EKS takes them; a NodePool name does not): refused, with the lowercase form', () => {
    expect(errorOf(() => cluster(newStack(), { admins, clusterName: 'Shop-Prod' }))).toBe(refusal('Shop-Prod', 'shop-prod'));
  });

  test('"_" (EKS takes it; a NodePool name does not): refused, with "-" for it', () => {
    expect(errorOf(() => cluster(newStack(), { admins, clusterName: 'Shop_Prod_' }))).toBe(refusal('Shop_Prod_', 'shop-prod'));
  });

  test('a name EKS refuses keeps the EKS message', () => {
    expect(errorOf(() => cluster(newStack(), { admins, clusterName: '_shop' }))).toBe(
      'test/prod: clusterName ("_shop") must be 1-100 letters, digits, - or _, starting with a letter or digit; pass a valid clusterName');
  });

  test('a valid name: Karpenter pools and the part-of label carry it, and both sides synthesize', () => {
    const stack = newStack();
    const c = cluster(stack, { admins, clusterName: 'shop-prod' });
    c.addNodePool('system', { name: 'system' });
    const k = new aws.Karpenter(stack, 'k', { cluster: c, amiAlias: 'al2023@v20250704' });
    expect(k.addNodePool('general', { maxCpu: 10 }).name).toBe('shop-prod-general');
    expect(() => Testing.fullSynth(stack)).not.toThrow();
    expect(storageClassOf(c.profile).metadata.labels['app.kubernetes.io/part-of']).toBe('shop-prod');
  });

  test('a leading digit (a Kubernetes name may start with one): the Terraform outputs start with "_", and both sides synthesize', () => {
    const stack = newStack();
    const c = cluster(stack, { admins, clusterName: '9-qa-ap' });
    c.addNodePool('system', { name: 'system' });
    expect([c.endpointOutput, c.oidcIssuerOutput, c.clusterNameOutput]).toEqual(['_9_qa_ap_endpoint', '_9_qa_ap_oidc_issuer', '_9_qa_ap_cluster_name']);
    expect(() => Testing.fullSynth(stack)).not.toThrow();
    expect(storageClassOf(c.profile).metadata.labels['app.kubernetes.io/part-of']).toBe('9-qa-ap');
  });

  test('a name longer than a label value (EKS allows 100 characters): the part-of label is cut to 63 with a hash of the name', () => {
    const stack = newStack();
    const name = `${'x'.repeat(60)}-prod-eu`;
    const c = cluster(stack, { admins, clusterName: name });
    c.addNodePool('system', { name: 'system' });
    const label = storageClassOf(c.profile).metadata.labels['app.kubernetes.io/part-of'];
    expect(label).toMatch(new RegExp(`^${'x'.repeat(54)}-[0-9a-f]{8}$`));
    // another long name that starts alike gets another label
    expect(storageClassOf({ ...c.profile, clusterName: `${'x'.repeat(60)}-prod-us` }).metadata.labels['app.kubernetes.io/part-of']).not.toBe(label);
  });

  test('a profile written by hand for a cluster whose name ends in "-": the part-of label leaves the "-" out', () => {
    const c = cluster(newStack(), { admins, clusterName: 'shop-prod' });
    c.addNodePool('system', { name: 'system' });
    expect(storageClassOf({ ...c.profile, clusterName: 'Shop_Prod-' }).metadata.labels['app.kubernetes.io/part-of']).toBe('Shop_Prod');
  });
});

describe('EksCluster.fromClusterAttributes: any name EKS takes', () => {
  test('capitals, "_" and a trailing "-": Karpenter pools are named after the lowercase form; Karpenter is told the real name', () => {
    const stack = newStack();
    const network = aws.Network.fromNetworkAttributes(stack, 'net', {
      vpcId: 'vpc-0a1b2c3d4e5f60718',
      region: 'eu-west-1',
      availabilityZones: ['eu-west-1a', 'eu-west-1b'],
      privateSubnetIds: ['subnet-0a1b2c3d4e5f60711', 'subnet-0a1b2c3d4e5f60712'],
      tags: { team: 'data', environment: 'production', costCentre: 'cc-5150' },
    });
    const c = aws.EksCluster.fromClusterAttributes(stack, 'legacy', {
      clusterName: 'Shop_Prod-',
      network,
      kubernetesVersion: aws.KubernetesVersion.V1_33,
      encryptionKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9',
    });
    c.addNodePool('system', { name: 'system' });
    const k = new aws.Karpenter(stack, 'k', { cluster: c, amiAlias: 'al2023@v20250704' });
    k.addNodePool('general', { maxCpu: 10 });
    expect(k.profile.nodePools.map((p) => p.name)).toEqual(['shop-prod-general']);
    expect(k.profile.controller.values['settings.clusterName']).toBe('Shop_Prod-');
    expect(() => Testing.fullSynth(stack)).not.toThrow();
  });
});
