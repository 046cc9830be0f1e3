// A 3-member etcd cluster as a k8s.StatefulService: data and WAL volumes, quorum, peer ports, a nightly backup.
// In your own project, import from the package instead: import { k8s } from 'shipshape';
import { Chart } from 'cdk8s';
import { k8s } from '../../lib';

// k8s.App runs the policy pack on synth: an error-level finding fails the synth and no file is written.
// The output directory is cdk8s' default (dist/, or $CDK8S_OUTDIR when set).
const app = new k8s.App();
const chart = new Chart(app, 'store', { namespace: 'store' });

const name = 'etcd';
const peerUrl = (host: string) => `http://${host}.${name}-headless.store.svc:2380`;
const members = [0, 1, 2].map(i => `${name}-${i}=${peerUrl(`${name}-${i}`)}`).join(',');

const etcd = new k8s.StatefulService(chart, name, {
  image: 'gcr.io/etcd-development/etcd:v3.5.17',
  partOf: 'store',
  port: 2379,
  peerPorts: [{ name: 'peer', port: 2380 }],
  replicas: 3,
  quorum: true, // an even replica count would be an error
  // Members must see each other to form the cluster, so they start together and are published before ready.
  podManagementPolicy: k8s.PodManagementPolicy.PARALLEL,
  publishNotReadyAddresses: true,
  volumes: [
    { name: 'data', size: '20Gi', storageClassName: 'gp3', mountPath: '/var/lib/etcd/data' },
    { name: 'wal', size: '10Gi', storageClassName: 'gp3', mountPath: '/var/lib/etcd/wal' },
  ],
  resources: { cpu: '500m', memory: '1Gi' },
  command: ['etcd'],
  args: [
    '--name=$(POD_NAME)',
    '--data-dir=/var/lib/etcd/data/etcd',
    '--wal-dir=/var/lib/etcd/wal/etcd',
    '--listen-client-urls=http://0.0.0.0:2379',
    `--advertise-client-urls=http://$(POD_NAME).${name}-headless.store.svc:2379`,
    '--listen-peer-urls=http://0.0.0.0:2380',
    `--initial-advertise-peer-urls=${peerUrl('$(POD_NAME)')}`,
    `--initial-cluster=${members}`,
    '--initial-cluster-state=new',
    '--initial-cluster-token=store-etcd',
  ],
  env: { POD_NAME: k8s.EnvValue.fromFieldPath('metadata.name') },
  // etcd serves /readyz and /livez on the client port: the defaults Probe.http('/readyz') and Probe.http('/livez') fit.
  startup: k8s.Probe.http('/livez', { periodSeconds: 5 }),
  minReadySeconds: 10,
  // Canary a new version on etcd-2 first by raising this to 2, then lower it to 0 to roll the rest.
  partition: 0,
  backup: {
    schedule: k8s.Schedule.cron('0 3 * * *'), // nightly at 03:00 (02:00 Berlin time is skipped once a year, when daylight saving starts)
    timeZone: 'Europe/Berlin',
    ttl: '720h', // keep 30 days
  },
});

// Clients: the shop's API pods may reach the client port (peer traffic among members is allowed already).
etcd.allowFrom(k8s.NetworkPeer.pods('shop', { 'app.kubernetes.io/name': 'api' }));

app.synth();
