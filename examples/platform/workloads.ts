// The shop's workloads (Kubernetes side of the platform example). They receive what they need from the AWS side as
// plain values (identity profiles, a node pool profile, names): no Terraform token.
import { Chart } from 'cdk8s';
// In your own project: `import { k8s, policy, NodePoolProfile, WorkloadIdentityProfile } from 'shipshape';`
import { k8s, NodePoolProfile, policy, WorkloadIdentityProfile } from '../../lib';

/** What the workloads take from the AWS side. */
export interface ShopFacts {
  /** The orders worker's identity (consumes the queue, reads the bucket). */
  readonly ordersWorker: WorkloadIdentityProfile;
  /** The thumbnail job's identity (reads and writes the bucket). */
  readonly thumbnailer: WorkloadIdentityProfile;
  /** The spot pool batch work runs on. */
  readonly batchPool: NodePoolProfile;
  readonly queueUrl: string;
  readonly bucketName: string;
  readonly region: string;
}

/** Adds the shop's workloads (namespace shop) and a node agent (namespace observability) to a k8s.App that knows its cluster. */
export function addShopWorkloads(app: k8s.App, facts: ShopFacts): void {
  const shop = new Chart(app, 'shop', { namespace: 'shop' });
  const image = (name: string, tag: string) => `123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/${name}:${tag}`;

  // A web service behind the cluster's default IngressClass (alb): an internal ALB, reached from the VPC.
  const storefront = new k8s.WebService(shop, 'storefront', {
    image: image('storefront', '2.4.1'),
    partOf: 'shop',
    port: 8080,
    resources: { cpu: '500m', memory: '512Mi' },
  });
  new k8s.HttpIngress(shop, 'storefront-ingress', {
    rules: [{ host: 'shop.example.com', paths: [{ backend: storefront }] }],
    tls: k8s.IngressTls.acm('arn:aws:acm:eu-west-1:123456789012:certificate/6f1c1e0a-3b7d-4e55-9a57-2c1f0a9b8d31'),
  });

  // A stateful service on the cluster's default StorageClass (gp3, encrypted with the cluster key).
  const sessions = new k8s.StatefulService(shop, 'sessions', {
    image: 'gcr.io/etcd-development/etcd:v3.5.17',
    partOf: 'shop',
    port: 2379,
    peerPorts: [{ name: 'peer', port: 2380 }],
    replicas: 3,
    quorum: true,
    podManagementPolicy: k8s.PodManagementPolicy.PARALLEL,
    publishNotReadyAddresses: true,
    volumes: [{ name: 'data', size: '20Gi', mountPath: '/var/lib/etcd' }],
    resources: { cpu: '500m', memory: '1Gi' },
    command: ['etcd'],
    args: [
      '--name=$(POD_NAME)',
      '--data-dir=/var/lib/etcd/data',
      '--listen-client-urls=http://0.0.0.0:2379',
      '--advertise-client-urls=http://$(POD_NAME).sessions-headless.shop.svc:2379',
      '--listen-peer-urls=http://0.0.0.0:2380',
      '--initial-advertise-peer-urls=http://$(POD_NAME).sessions-headless.shop.svc:2380',
      '--initial-cluster=' + [0, 1, 2].map((i) => `sessions-${i}=http://sessions-${i}.sessions-headless.shop.svc:2380`).join(','),
      '--initial-cluster-state=new',
    ],
    env: { POD_NAME: k8s.EnvValue.fromFieldPath('metadata.name') },
    startup: k8s.Probe.http('/livez', { periodSeconds: 5 }),
  });
  sessions.allowFrom(storefront);

  // A worker with AWS access: its ServiceAccount is the one the Pod Identity association names; the role may consume
  // the orders queue and read the assets bucket (and use their KMS key through SQS and S3), nothing else.
  const orders = new k8s.Worker(shop, 'orders-worker', {
    image: image('orders-worker', '3.2.0'),
    partOf: 'shop',
    identity: facts.ordersWorker,
    env: {
      QUEUE_URL: k8s.EnvValue.fromValue(facts.queueUrl),
      ASSETS_BUCKET: k8s.EnvValue.fromValue(facts.bucketName),
      AWS_REGION: k8s.EnvValue.fromValue(facts.region),
    },
    terminationGracePeriodSeconds: 120,
  });
  orders.allowTo(sessions);

  // Batch work on the spot pool: the placement derives the pool's node selector and exactly the toleration its taint needs.
  new k8s.Worker(shop, 'thumbnailer', {
    image: image('thumbnailer', '1.0.4'),
    partOf: 'shop',
    identity: facts.thumbnailer,
    placement: k8s.Placement.onPool(facts.batchPool),
    resources: { cpu: '2', cpuLimit: '4', memory: '4Gi' },
    env: { ASSETS_BUCKET: k8s.EnvValue.fromValue(facts.bucketName), AWS_REGION: k8s.EnvValue.fromValue(facts.region) },
  });

  // A node agent: on every node of every pool (it tolerates every taint by default).
  const observability = new Chart(app, 'observability', { namespace: 'observability' });
  const nodeExporter = new k8s.NodeAgent(observability, 'node-exporter', {
    image: 'quay.io/prometheus/node-exporter:v1.8.2',
    partOf: 'observability',
    args: ['--path.procfs=/host/proc', '--path.sysfs=/host/sys', '--web.listen-address=:9100'],
    ports: [{ name: 'metrics', port: 9100 }],
    readiness: k8s.Probe.http('/'),
    liveness: k8s.Probe.tcp(),
    priorityClassName: 'system-node-critical',
    resources: { cpu: '100m', memory: '128Mi' },
    hostAccess: [
      k8s.HostAccess.hostPath({ path: '/proc', mountPath: '/host/proc', reason: 'reads node CPU, memory and process statistics' }),
      k8s.HostAccess.hostPath({ path: '/sys', mountPath: '/host/sys', reason: 'reads node hardware and filesystem statistics' }),
      k8s.HostAccess.hostNetwork('reports the node network interfaces, not a pod sandbox'),
    ],
  });
  nodeExporter.allowFrom(k8s.NetworkPeer.pods('monitoring', { 'app.kubernetes.io/name': 'prometheus' }), [9100]);
  policy.Policy.suppress(nodeExporter, 'SS-K8S-010', 'node-exporter must see the node network interfaces (hostNetwork)');
  policy.Policy.suppress(nodeExporter, 'SS-K8S-011', 'node-exporter reads /proc and /sys of the node, mounted read-only');
}
