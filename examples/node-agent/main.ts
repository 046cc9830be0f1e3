// Per-node agents with shipshape: a Prometheus node exporter and a log collector (k8s.NodeAgent).
// In your own project, import from the package instead: import { k8s, policy } from 'shipshape';
import { ApiObject, Chart } from 'cdk8s';
import { k8s, policy } from '../../lib';

// k8s.App runs the policy pack on synth: an error-level finding fails the synth and no file is written.
// The output directory is cdk8s' default (dist/, or $CDK8S_OUTDIR when set).
const app = new k8s.App();
const chart = new Chart(app, 'node-agents', { namespace: 'observability' });

// Node exporter: reads the node's /proc and /sys, on the node's network, seeing its processes.
// Every host access is named with its reason (recorded in the shipshape.io/host-access-reason annotation).
const nodeExporter = new k8s.NodeAgent(chart, 'node-exporter', {
  image: 'quay.io/prometheus/node-exporter:v1.8.2',
  partOf: 'observability',
  args: ['--path.procfs=/host/proc', '--path.sysfs=/host/sys', '--web.listen-address=:9100'],
  ports: [{ name: 'metrics', port: 9100 }],
  readiness: k8s.Probe.http('/'),
  liveness: k8s.Probe.tcp(),
  tolerateAllTaints: true, // every node, control-plane and dedicated pools included
  priorityClassName: 'system-node-critical',
  resources: { cpu: '100m', memory: '128Mi' },
  hostAccess: [
    k8s.HostAccess.hostPath({ path: '/proc', mountPath: '/host/proc', reason: 'reads node CPU, memory and process statistics' }),
    k8s.HostAccess.hostPath({ path: '/sys', mountPath: '/host/sys', reason: 'reads node hardware and filesystem statistics' }),
    k8s.HostAccess.hostNetwork('reports the node network interfaces, not a pod sandbox'),
    k8s.HostAccess.hostPid('counts the node processes, not only its own'),
  ],
});
nodeExporter.allowFrom(k8s.NetworkPeer.pods('monitoring', { 'app.kubernetes.io/name': 'prometheus' }), [9100]);
// Each host access is a policy finding; the suppressions say why it is accepted, and appear in every report.
policy.Policy.suppress(nodeExporter, 'SS-K8S-010', 'node-exporter must see the node network and processes (hostNetwork, hostPID)');
policy.Policy.suppress(nodeExporter, 'SS-K8S-011', 'node-exporter reads /proc and /sys of the node, mounted read-only');

// Log collector: reads container logs under /var/log, read-only; its configuration comes from a ConfigMap.
// containerd (EKS's runtime) writes those logs as root with mode 0640, so the collector's container runs as root
// (HostAccess.runAsRoot): with every capability dropped, the owner's right to read is all it gets. Its sidecars, had
// it any, would still run as user 10001.
new ApiObject(chart, 'fluent-bit-config', {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'fluent-bit-config', labels: { 'app.kubernetes.io/name': 'log-collector', 'app.kubernetes.io/part-of': 'observability' } },
  data: {
    'fluent-bit.conf': [
      '[SERVICE]', '    HTTP_Server On', '    HTTP_Port 2020', '    Health_Check On',
      '[INPUT]', '    Name tail', '    Path /var/log/containers/*.log', '    DB /tmp/tail.db',
      '[OUTPUT]', '    Name stdout', '    Match *', '',
    ].join('\n'),
  },
});
const logCollector = new k8s.NodeAgent(chart, 'log-collector', {
  image: 'cr.fluentbit.io/fluent/fluent-bit:3.1.9',
  partOf: 'observability',
  ports: [{ name: 'http', port: 2020 }],
  readiness: k8s.Probe.http('/api/v1/health'),
  liveness: k8s.Probe.http('/'),
  tolerations: [{ key: 'dedicated', effect: 'NoSchedule' }],
  priorityClassName: 'system-node-critical',
  maxUnavailable: 2,
  configMapMounts: [{ configMapName: 'fluent-bit-config', mountPath: '/fluent-bit/etc' }],
  hostAccess: [
    k8s.HostAccess.hostPath({ path: '/var/log', reason: 'tails the container logs the kubelet writes on the node' }),
    k8s.HostAccess.runAsRoot('containerd writes the container logs as root, mode 0640: only root reads them'),
  ],
});
policy.Policy.suppress(logCollector, 'SS-K8S-011', 'the collector tails /var/log of the node, mounted read-only');
policy.Policy.suppress(logCollector, 'SS-K8S-004', 'containerd writes the container logs as root, mode 0640: only root reads them');
policy.Policy.suppress(logCollector, 'SS-K8S-005', 'user 0, for the root-only container logs (SS-K8S-004)');

app.synth();
