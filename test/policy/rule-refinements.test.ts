import { find, goodManifests, pod } from './fixtures/good';
import { KubernetesPack, PolicyEngine } from '../../lib/policy';
import { k8sDocument } from '../../lib/policy/runner';

// Refinements of two availability/network rules for workloads that take no traffic or scale through KEDA.
const pack = new KubernetesPack();
function findings(id: string, ms: any[]) {
  const rule = pack.rules.find(r => r.id === id)!;
  const report = new PolicyEngine({ packs: [{ name: 'one', rules: [rule] }] }).check(ms.map((m, i) => k8sDocument(m, `app/c/${m.kind}-${i}`)));
  return report.findings.filter(f => f.ruleId === id);
}

describe('SS-K8S-048 NetworkPolicy coverage', () => {
  test('pods that listen on a port besides their probes and whose policy allows no caller get a finding that says so', () => {
    const ms = goodManifests();
    find(ms, 'NetworkPolicy', 'web').spec.ingress = [];
    pod(find(ms, 'Deployment', 'web')).containers[0].ports.push({ name: 'metrics', containerPort: 9090 });
    const f = findings('SS-K8S-048', ms).filter(x => x.name === 'web');
    expect(f.map(x => x.message)).toEqual(['The NetworkPolicy selecting these pods allows no caller, yet the pods listen on a port besides their probes: nothing can reach it. '
      + 'Admit the callers in an ingress rule of that NetworkPolicy (for a shipshape workload, allowFrom(caller, [port]) writes it), or stop listening on the port']);
  });

  test('pods whose only port is the one their probes use (the kubelet probes from the node) may deny all ingress', () => {
    const ms = goodManifests();
    find(ms, 'NetworkPolicy', 'web').spec.ingress = [];
    expect(pod(find(ms, 'Deployment', 'web')).containers[0].readinessProbe.httpGet.port).toBe('http');
    expect(findings('SS-K8S-048', ms).filter(x => x.name === 'web')).toEqual([]);
  });

  test('pods that declare no port (workers, jobs) are covered by a policy with no ingress rule', () => {
    const ms = goodManifests();
    find(ms, 'NetworkPolicy', 'web').spec.ingress = [];
    for (const c of pod(find(ms, 'Deployment', 'web')).containers) delete c.ports;
    expect(findings('SS-K8S-048', ms).filter(f => f.kind === 'Deployment' && f.name === 'web')).toEqual([]);
  });
});

describe('SS-K8S-037 minimum replicas', () => {
  test('a Deployment scaled by a KEDA ScaledObject is not reported', () => {
    const ms = goodManifests().filter(m => m.kind !== 'HorizontalPodAutoscaler');
    const dep = find(ms, 'Deployment', 'web');
    delete dep.spec.replicas;
    const onWeb = () => findings('SS-K8S-037', ms).filter(f => f.name === 'web');
    expect(onWeb().length).toBe(1);
    ms.push({ apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'web', namespace: dep.metadata.namespace }, spec: { scaleTargetRef: { name: 'web' } } });
    expect(onWeb()).toEqual([]);
  });
});

describe('SS-K8S-053: a Service\'s named targetPort resolves to a container port of the pods it selects', () => {
  const svc = (ms: any[]) => ms.find(m => m.kind === 'Service' && m.metadata.name === 'web');

  test('the good output resolves its names', () => {
    const ms = goodManifests();
    expect(typeof svc(ms).spec.ports[0].targetPort).toBe('string');
    expect(findings('SS-K8S-053', ms)).toEqual([]);
  });

  test('a name no selected pod declares is reported at the port, naming the pods', () => {
    const ms = goodManifests();
    svc(ms).spec.ports[0].targetPort = 'web';
    expect(findings('SS-K8S-053', ms).map(f => `${f.kind}/${f.name} ${f.jsonPath}: ${f.message}`)).toEqual([
      'Service/web spec.ports[0].targetPort: Service targetPort web names no container port of the pods it selects (Deployment web): the port has no endpoint',
    ]);
  });

  test('a Service listing a port number twice for one protocol, or a port name twice, is reported at the second (the API refuses both)', () => {
    const ms = goodManifests();
    const ports = svc(ms).spec.ports;
    ports.push({ ...ports[0], name: 'metrics' }, { ...ports[0], port: ports[0].port + 1 }, { ...ports[0], name: 'dns', protocol: 'UDP' });
    expect(findings('SS-K8S-053', ms).map(f => `${f.jsonPath}: ${f.message}`)).toEqual([
      `spec.ports[1].port: Service port ${ports[0].port}/TCP is listed twice (spec.ports[0] and [1]): the API refuses a duplicate port`,
      `spec.ports[2].name: Service port name ${ports[0].name} is used twice (spec.ports[0] and [2]): the API refuses a duplicate name`,
    ]);
  });

  test('a probe on a port name its container does not declare is an error (it never resolves); a declared name or any number is not', () => {
    const ms = goodManifests();
    const c = pod(find(ms, 'Deployment', 'web')).containers[0];
    const declared = c.ports[0].name;
    c.readinessProbe = { httpGet: { path: '/ready', port: 'redis-port' } };
    c.livenessProbe = { tcpSocket: { port: declared } };
    c.startupProbe = { tcpSocket: { port: 9999 } };
    expect(findings('SS-K8S-053', ms).map(f => `${f.kind}/${f.name} ${f.jsonPath}: ${f.message}`)).toEqual([
      'Deployment/web spec.template.spec.containers[0].readinessProbe.httpGet.port: Probe port name "redis-port" is not a port the container declares: the kubelet cannot resolve it, so the probe always fails',
    ]);
  });

  test('a name declared by a native sidecar (an init container) resolves; a Service that selects no pod is left to SS-K8S-050', () => {
    const ms = goodManifests();
    svc(ms).spec.ports[0].targetPort = 'proxy';
    pod(find(ms, 'Deployment', 'web')).initContainers = [{ name: 'proxy', image: 'envoyproxy/envoy:v1.31.2', restartPolicy: 'Always', ports: [{ name: 'proxy', containerPort: 15001 }] }];
    expect(findings('SS-K8S-053', ms)).toEqual([]);
    svc(ms).spec.selector = { app: 'nothing' };
    svc(ms).spec.ports[0].targetPort = 'web';
    expect(findings('SS-K8S-053', ms)).toEqual([]);
  });
});
