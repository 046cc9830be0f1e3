/**
 * `EksCluster.profile` is one object whose fields are read live: a k8s.App made from it before node pools, workload
 * identities or the Load Balancer Controller are added sees them (the order of calls does not matter).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart } from 'cdk8s';
import { cluster, newStack } from './util';
import * as aws from '../../lib/aws';
import * as k8s from '../../lib/k8s';

const IMAGE = 'registry.example.com/shop/orders:1.4.2';

function kubeApp(profile: any): k8s.App {
  return new k8s.App({ cluster: profile, outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-live-')) });
}

beforeEach(() => { jest.spyOn(process.stderr, 'write').mockImplementation(() => true); });
afterEach(() => jest.restoreAllMocks());

test('the profile is the same object on every read, and cannot be changed', () => {
  const c = cluster(newStack(), { admins: ['arn:aws:iam::123456789012:role/admin'] });
  expect(c.profile).toBe(c.profile);
  expect(() => { (c.profile as any).clusterName = 'other'; }).toThrow(TypeError);
  // its fields are values (JSON, spread and jsii clients see plain data)
  expect(JSON.parse(JSON.stringify(c.profile)).clusterName).toBe('prod');
  expect({ ...c.profile }.nodePools).toEqual([]);
});

test('an identity, a pool and the Load Balancer Controller added after the App was made are known to it', () => {
  const c = cluster(newStack(), { admins: ['arn:aws:iam::123456789012:role/admin'] });
  const kube = kubeApp(c.profile);
  const id = c.addWorkloadIdentity('orders', { namespace: 'shop', serviceAccount: 'orders' });
  const pool = c.addNodePool('batch', { capacity: aws.NodeCapacity.onDemand(['r7i.4xlarge']) });
  c.addLoadBalancerController();
  const chart = new Chart(kube, 'shop', { namespace: 'shop' });
  new k8s.Worker(chart, 'orders', { image: IMAGE, identity: id.profile, placement: k8s.Placement.onPool(pool.profile), resources: { memory: '64Gi' } });
  new k8s.WebService(chart, 'api', { image: IMAGE });
  kube.synth();
  const file = fs.readdirSync(kube.outdir).find(f => f.endsWith('shop.k8s.yaml'));
  expect(file).toBeDefined();
  const yaml = fs.readFileSync(path.join(kube.outdir, file!), 'utf-8');
  expect(yaml).toContain('shipshape.dev/node-pool: prod-batch');
});

test('the Load Balancer Controller added after the App was made is known to it: an ingress class typo is refused', () => {
  const c = cluster(newStack(), { admins: ['arn:aws:iam::123456789012:role/admin'] });
  const kube = kubeApp(c.profile);
  c.addLoadBalancerController();
  const chart = new Chart(kube, 'shop', { namespace: 'shop' });
  const api = new k8s.WebService(chart, 'api', { image: IMAGE });
  new k8s.HttpIngress(chart, 'typo', { ingressClassName: 'albb', plainHttp: true, rules: [{ host: 'shop.example.com', paths: [{ path: '/', backend: api }] }] });
  expect(() => kube.synth()).toThrow(/albb/);
});
