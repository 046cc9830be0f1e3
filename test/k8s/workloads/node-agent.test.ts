import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { App, HostAccess, HostPathType, NetworkPeer, NodeAgent, NodeAgentProps, Probe } from '../../../lib/k8s';
import { KubernetesPack, Policy, PolicyEngine } from '../../../lib/policy';
import { expectError, policyErrors, quietly } from '../../util/k8s';
import { expectValid, parseYamlFiles, tempDir } from '../../util/schema';

const IMAGE = 'ghcr.io/acme/agent:1.2.0';
const REASON = 'reads the node logs to ship them';

function build(props: Partial<NodeAgentProps> = {}, id = 'agent'): { objs: any[]; agent: NodeAgent; chart: Chart } {
  const c = new Chart(Testing.app(), 'ops', { namespace: 'ops' });
  const agent = new NodeAgent(c, id, { image: IMAGE, ports: [{ name: 'metrics', port: 9100 }], ...props });
  return { objs: c.toJson(), agent, chart: c };
}

const ds = (objs: any[]) => objs.find(o => o.kind === 'DaemonSet');
const pod = (objs: any[]) => ds(objs).spec.template.spec;
const main = (objs: any[]) => pod(objs).containers[0];

describe('NodeAgent defaults', () => {
  const { objs } = build();

  test('creates ServiceAccount, NetworkPolicy and a DaemonSet; no Service, PDB or autoscaler', () => {
    expect(objs.map(o => o.kind).sort()).toEqual(['DaemonSet', 'NetworkPolicy', 'ServiceAccount']);
    expect(ds(objs).metadata.labels['app.kubernetes.io/component']).toBe('node-agent');
    expect(ds(objs).metadata.annotations).toBeUndefined();
  });

  test('RollingUpdate with maxUnavailable 1, grace 30 s', () => {
    expect(ds(objs).spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } });
    expect(pod(objs).terminationGracePeriodSeconds).toBe(30);
  });

  test('tolerates every taint (runs on every pool), no node selector, no host access: the hardened pod', () => {
    const p = pod(objs);
    expect(p.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(p.nodeSelector).toBeUndefined();
    expect(p.hostNetwork).toBeUndefined();
    expect(p.hostPID).toBeUndefined();
    expect(p.volumes.some((v: any) => v.hostPath)).toBe(false);
    expect(main(objs).securityContext).toEqual({
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(ds(objs).spec.template.metadata.annotations).toBeUndefined();
  });

  test('default probes /readyz and /livez on the first port', () => {
    expect(main(objs).readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'metrics' });
    expect(main(objs).livenessProbe.httpGet).toEqual({ path: '/livez', port: 'metrics' });
  });

  test('validates strictly against Kubernetes 1.27 and 1.36 and passes the policy pack without error', () => {
    expectValid(objs);
    expect(policyErrors(objs)).toEqual([]);
  });

  test('runs at the built-in priority system-node-critical: no policy warning (SS-K8S-028 asks a DaemonSet for a class, SS-K8S-087 that it exists)', () => {
    expect(pod(objs).priorityClassName).toBe('system-node-critical');
    const docs = objs.map((m, i) => ({ kind: m.kind, manifest: m, path: `doc#${i}`, name: m.metadata?.name, namespace: m.metadata?.namespace }));
    expect(new PolicyEngine({ packs: [new KubernetesPack()] }).check(docs).warnings.map(f => `${f.ruleId} ${f.kind} ${f.jsonPath}`)).toEqual([]);
  });

  test('a priorityClassName given replaces the default', () => {
    expect(pod(build({ priorityClassName: 'observability-critical' }).objs).priorityClassName).toBe('observability-critical');
  });
});

describe('NodeAgent options', () => {
  test('tolerate all taints, specific tolerations, node selector, maxUnavailable, priority class', () => {
    const { objs } = build({
      tolerateAllTaints: true,
      tolerations: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }, { key: 'spot' }],
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      maxUnavailable: 3,
      priorityClassName: 'system-node-critical',
    });
    const p = pod(objs);
    expect(p.tolerations).toEqual([
      { operator: 'Exists' },
      { key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' },
      { key: 'spot', operator: 'Exists' },
    ]);
    expect(p.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    expect(p.priorityClassName).toBe('system-node-critical');
    expect(ds(objs).spec.updateStrategy.rollingUpdate.maxUnavailable).toBe(3);
    expectValid(objs);
  });

  test('without ports, exec probes are required and used', () => {
    const { objs } = build({ ports: [], readiness: Probe.exec(['/bin/ready']), liveness: Probe.exec(['/bin/alive']) });
    expect(main(objs).ports).toBeUndefined();
    expect(main(objs).readinessProbe.exec.command).toEqual(['/bin/ready']);
  });

  test('allowFrom a scraper on the metrics port', () => {
    const { chart, agent } = build();
    agent.allowFrom(NetworkPeer.pods('monitoring', { 'app.kubernetes.io/name': 'prometheus' }), [9100]);
    const np = chart.toJson().find(o => o.kind === 'NetworkPolicy').spec;
    expect(np.ingress[0].ports).toEqual([{ port: 9100, protocol: 'TCP' }]);
  });
});

describe('NodeAgent host access', () => {
  const access = [
    HostAccess.hostPath({ path: '/var/log', reason: REASON }),
    HostAccess.hostPath({ path: '/var/lib/agent', mountPath: '/state', readOnly: false, type: HostPathType.DIRECTORY, reason: 'keeps its read positions across restarts' }),
    HostAccess.hostNetwork('reports the node network interfaces'),
    HostAccess.hostPid('counts the node processes'),
    HostAccess.capability('cap_sys_ptrace', 'reads /proc of other processes'),
  ];
  const { objs, agent } = build({ hostAccess: access });

  test('hostPath volumes (read-only unless asked, type Directory by default) mounted in the main container', () => {
    const p = pod(objs);
    expect(p.volumes.filter((v: any) => v.hostPath)).toEqual([
      { name: 'host-0', hostPath: { path: '/var/log', type: 'Directory' } },
      { name: 'host-1', hostPath: { path: '/var/lib/agent', type: 'Directory' } },
    ]);
    expect(main(objs).volumeMounts).toEqual(expect.arrayContaining([
      { name: 'host-0', mountPath: '/var/log', readOnly: true },
      { name: 'host-1', mountPath: '/state', readOnly: false },
    ]));
  });

  test('host network (with ClusterFirstWithHostNet DNS) and host PID', () => {
    const p = pod(objs);
    expect(p.hostNetwork).toBe(true);
    expect(p.dnsPolicy).toBe('ClusterFirstWithHostNet');
    expect(p.hostPID).toBe(true);
    expect(p.hostIPC).toBeUndefined();
  });

  test('added capabilities on top of dropping ALL, never privileged', () => {
    const sc = main(objs).securityContext;
    expect(sc.capabilities).toEqual({ drop: ['ALL'], add: ['SYS_PTRACE'] });
    expect(sc.privileged).toBe(false);
    expect(sc.allowPrivilegeEscalation).toBe(false);
  });

  test('every reason is recorded in the shipshape.io/host-access-reason annotation (DaemonSet and pods)', () => {
    const expected = 'hostPath /var/log: reads the node logs to ship them; hostPath /var/lib/agent (writable): keeps its read positions across restarts; '
      + 'hostNetwork: reports the node network interfaces; hostPID: counts the node processes; capability SYS_PTRACE: reads /proc of other processes';
    expect(ds(objs).metadata.annotations).toEqual({ 'shipshape.io/host-access-reason': expected });
    expect(ds(objs).spec.template.metadata.annotations).toEqual({ 'shipshape.io/host-access-reason': expected });
    expect(agent.hostAccess.map(h => h.kind)).toEqual(['hostPath', 'hostPath', 'hostNetwork', 'hostPID', 'capability']);
  });

  test('each piece of host access is a policy error until suppressed', () => {
    expectValid(objs);
    expect(policyErrors(objs).map(e => e.replace(/ \S+ doc#\d+ /, ' ').replace(/:.*$/, '')).sort()).toEqual([
      'SS-K8S-008 spec.template.spec.containers[0].securityContext.capabilities.add',
      'SS-K8S-010 spec.template.spec.hostNetwork',
      'SS-K8S-010 spec.template.spec.hostPID',
      'SS-K8S-011 spec.template.spec.volumes[1].hostPath',
      'SS-K8S-011 spec.template.spec.volumes[2].hostPath',
    ]);
  });
});

describe('HostAccess.runAsRoot', () => {
  const ROOT = 'containerd writes the container logs as root, mode 0640';
  const logs = HostAccess.hostPath({ path: '/var/log', reason: REASON });

  test('only the agent container runs as user 0; it keeps its group, drops every capability, no escalation, read-only root', () => {
    const { objs } = build({ hostAccess: [logs, HostAccess.runAsRoot(ROOT)] });
    expect(main(objs).securityContext).toEqual({
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: false,
      runAsUser: 0,
      runAsGroup: 10001,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    // the pod's own context (what sidecars and init tasks inherit) stays non-root
    expect(pod(objs).securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001 });
    expect(ds(objs).metadata.annotations['shipshape.io/host-access-reason']).toBe(`hostPath /var/log: ${REASON}; runAsRoot: ${ROOT}`);
    expectValid(objs);
  });

  test('with a capability and a group of its own: root, that group, the capability added', () => {
    const { objs } = build({ security: { runAsGroup: 20000 }, hostAccess: [HostAccess.runAsRoot(ROOT), HostAccess.capability('DAC_READ_SEARCH', 'walks directories of other users')] });
    expect(main(objs).securityContext).toMatchObject({ runAsNonRoot: false, runAsUser: 0, runAsGroup: 20000, capabilities: { drop: ['ALL'], add: ['DAC_READ_SEARCH'] } });
  });

  test('root is a policy error (SS-K8S-004) and a warning (SS-K8S-005) on the agent container only', () => {
    const { objs } = build({ hostAccess: [HostAccess.runAsRoot(ROOT)] });
    expect(policyErrors(objs).map(e => e.replace(/ \S+ doc#\d+ /, ' '))).toEqual([
      'SS-K8S-004 spec.template.spec.containers[0].securityContext.runAsUser: Container runs as user 0 (root)',
    ]);
    const docs = objs.map((m, i) => ({ kind: m.kind, manifest: m, path: `doc#${i}`, name: m.metadata?.name, namespace: m.metadata?.namespace }));
    expect(new PolicyEngine({ packs: [new KubernetesPack()] }).check(docs).warnings.map(f => `${f.ruleId} ${f.jsonPath}`))
      .toEqual(['SS-K8S-005 spec.template.spec.containers[0].securityContext.runAsUser']);
  });

  test('k8s.App refuses it at synth, naming both suppressions; with them it synthesizes, the suppressions carried in the YAML', () => {
    const make = (accept: boolean) => {
      const app = new App({ outdir: tempDir() });
      const c = new Chart(app, 'ops', { namespace: 'ops' });
      const agent = new NodeAgent(c, 'agent', { image: IMAGE, ports: [{ name: 'metrics', port: 9100 }], hostAccess: [HostAccess.runAsRoot(ROOT)] });
      if (accept) {
        Policy.suppress(agent, 'SS-K8S-004', ROOT);
        Policy.suppress(agent, 'SS-K8S-005', 'user 0, as SS-K8S-004 says');
      }
      return app;
    };
    expect(() => quietly(() => make(false).synthYaml())).toThrow('ops/agent: hostAccess[0] (runAsRoot) runs the agent\'s container as root, which the policy refuses (SS-K8S-004, SS-K8S-005) '
      + `unless it is accepted with a reason; if the agent needs root, accept it with policy.Policy.suppress(agent, 'SS-K8S-004', "${ROOT}") `
      + `and policy.Policy.suppress(agent, 'SS-K8S-005', "${ROOT}") (agent being the NodeAgent ops/agent)`);
    const yaml = quietly(() => make(true).synthYaml());
    expect(yaml).toContain(`suppress.shipshape.io/SS-K8S-004: ${ROOT}`);
    expect(yaml).toContain('runAsUser: 0');
  });

  test('its namespace is made to enforce baseline (restricted refuses root), not privileged', () => {
    const agent = build({ hostAccess: [HostAccess.runAsRoot(ROOT)] }).agent;
    expect(agent._podSecurityNeed()).toEqual({ level: 'baseline', reason: `node agent agent: ${ROOT}` });
    expect(build({ hostAccess: [HostAccess.runAsRoot(ROOT), logs] }).agent._podSecurityNeed()?.level).toBe('privileged');
  });

  test('root may write a host path the kubelet creates (DIRECTORY_OR_CREATE, readOnly false)', () => {
    const state = HostAccess.hostPath({ path: '/var/lib/agent', readOnly: false, type: HostPathType.DIRECTORY_OR_CREATE, reason: 'keeps its read positions across restarts' });
    expect(pod(build({ hostAccess: [state, HostAccess.runAsRoot(ROOT)] }).objs).volumes.find((v: any) => v.hostPath).hostPath).toEqual({ path: '/var/lib/agent', type: 'DirectoryOrCreate' });
  });

  test.each<[string, Partial<NodeAgentProps>, string]>([
    ['granted twice', { hostAccess: [HostAccess.runAsRoot(ROOT), HostAccess.runAsRoot(ROOT)] }, 'ops/agent: hostAccess[1] ("runAsRoot") is granted twice; grant it once, with one reason'],
    ['with security.runAsUser', { security: { runAsUser: 20000 }, hostAccess: [HostAccess.runAsRoot(ROOT)] },
      'ops/agent: security.runAsUser (20000) conflicts with hostAccess[0] (HostAccess.runAsRoot), which runs the agent\'s container as user 0; '
      + 'leave security.runAsUser out with runAsRoot (the sidecars and init tasks then run as user 10001), or drop runAsRoot'],
    ['a short reason', { hostAccess: [HostAccess.runAsRoot('logs')] }, 'ops/agent: hostAccess[0].reason ("logs") must say why, in at least 10 characters'],
  ])('refused: %s', (_name, props, message) => {
    expectError(() => build(props), message);
  });
});

describe('NodeAgent validation', () => {
  test.each<[string, Partial<NodeAgentProps>, string]>([
    ['no ports and no probes', { ports: [] }, 'ops/agent: ports ([]) are empty, so there is no port for the default probes (a node agent needs readiness and liveness probes, rules SS-K8S-033 and SS-K8S-034)'],
    ['privileged port', { ports: [{ name: 'metrics', port: 100 }] }, 'ops/agent: ports[0].port (100) must be a whole number from 1024 to 65535'],
    ['duplicate port', { ports: [{ name: 'a', port: 9100 }, { name: 'b', port: 9100 }] }, 'ops/agent: ports[1].port (9100) clashes with ports[0], which uses the same number'],
    ['zero maxUnavailable', { maxUnavailable: 0 }, 'ops/agent: maxUnavailable (0) must be a whole number of at least 1; use 1 (one node at a time) or more'],
    ['zero grace', { terminationGracePeriodSeconds: 0 }, 'ops/agent: terminationGracePeriodSeconds (0) must be a whole number of at least 1'],
    ['short reason', { hostAccess: [HostAccess.hostNetwork('needed')] }, 'ops/agent: hostAccess[0].reason ("needed") must say why, in at least 10 characters; state what the agent needs this access for, so a reviewer can judge it'],
    ['empty reason', { hostAccess: [HostAccess.hostPid('')] }, 'ops/agent: hostAccess[0].reason ("") must say why, in at least 10 characters'],
    ['relative host path', { hostAccess: [HostAccess.hostPath({ path: 'var/log', reason: REASON })] }, 'ops/agent: hostAccess[0].path ("var/log") must be an absolute path; write it as "/var/log"'],
    ['relative mount path', { hostAccess: [HostAccess.hostPath({ path: '/var/log', mountPath: 'logs', reason: REASON })] }, 'ops/agent: hostAccess[0].mountPath ("logs") must be an absolute path'],
    ['host root', { hostAccess: [HostAccess.hostPath({ path: '/', reason: REASON })] }, 'ops/agent: hostAccess[0].path ("/") would give the agent control of the node (the root filesystem or a container runtime socket, rule SS-K8S-011); mount only the directories the agent reads, for example /var/log'],
    ['runtime socket', { hostAccess: [HostAccess.hostPath({ path: '/run/containerd/containerd.sock', reason: REASON })] }, 'ops/agent: hostAccess[0].path ("/run/containerd/containerd.sock") would give the agent control of the node'],
    ['docker socket', { hostAccess: [HostAccess.hostPath({ path: '/var/run/docker.sock', reason: REASON })] }, 'ops/agent: hostAccess[0].path ("/var/run/docker.sock") would give the agent control of the node'],
    ['host path on /tmp', { hostAccess: [HostAccess.hostPath({ path: '/tmp', reason: REASON })] }, 'ops/agent: hostAccess[0].path ("/tmp") is already mounted by security.writablePaths[0] (a default writable path)'],
    ['hostNetwork twice', { hostAccess: [HostAccess.hostNetwork(REASON), HostAccess.hostNetwork(REASON)] }, 'ops/agent: hostAccess[1] ("hostNetwork") is granted twice; grant it once, with one reason'],
    ['capability ALL', { hostAccess: [HostAccess.capability('ALL', REASON)] }, 'ops/agent: hostAccess[0].name ("ALL") is not a single Linux capability name (ALL is refused); name one capability, for example SYS_PTRACE'],
    ['capability with spaces', { hostAccess: [HostAccess.capability('SYS ADMIN', REASON)] }, 'ops/agent: hostAccess[0].name ("SYS ADMIN") is not a single Linux capability name'],
    ['capability twice', { hostAccess: [HostAccess.capability('NET_ADMIN', REASON), HostAccess.capability('CAP_NET_ADMIN', REASON)] }, 'ops/agent: hostAccess[1].name ("NET_ADMIN") is added twice; add each capability once'],
    ['not a HostAccess', { hostAccess: [{ kind: 'hostNetwork', reason: REASON } as any] }, 'ops/agent: hostAccess[0]'],
    ['bad toleration effect', { tolerations: [{ key: 'a', effect: 'Sometimes' }] }, 'ops/agent: tolerations[0].effect ("Sometimes") must be NoSchedule, PreferNoSchedule or NoExecute'],
    ['toleration value without key', { tolerations: [{ value: 'x' }] }, 'ops/agent: tolerations[0].value ("x") needs a key; set key too, or leave value out to match any value'],
    ['bad node selector value', { nodeSelector: { pool: 'a b' } }, 'ops/agent: nodeSelector.pool ("a b")'],
  ])('%s', (_name, props, message) => {
    expectError(() => build(props), message);
  });
});

describe('examples/node-agent', () => {
  test('synthesizes with k8s.App: valid for 1.27 and 1.36, host-access findings suppressed with reasons, no policy error', () => {
    const outdir = tempDir();
    const before = process.env.CDK8S_OUTDIR;
    process.env.CDK8S_OUTDIR = outdir;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the example runs on import, like a cdk8s app
      jest.isolateModules(() => require('../../../examples/node-agent/main'));
      const files = parseYamlFiles(outdir);
      expect(files.map(f => f.file)).toEqual(['node-agents.k8s.yaml']);
      const docs = files[0].docs;
      expect(docs.filter(d => d.kind === 'DaemonSet').map(d => d.metadata.name)).toEqual(['node-exporter', 'log-collector']);
      expectValid(docs);
      const report = JSON.parse(fs.readFileSync(path.join(outdir, '.shipshape', 'policy-report.json'), 'utf-8'));
      expect(report.summary.errors).toBe(0);
      expect(report.summary.suppressed).toBe(7);
      const suppressed = report.findings.filter((f: any) => f.suppressed).map((f: any) => f.ruleId);
      expect(new Set(suppressed)).toEqual(new Set(['SS-K8S-004', 'SS-K8S-005', 'SS-K8S-010', 'SS-K8S-011']));
      // the log collector reads the root-only container logs as root; the node exporter does not run as root
      const user = (name: string) => docs.find(d => d.kind === 'DaemonSet' && d.metadata.name === name).spec.template.spec.containers[0].securityContext.runAsUser;
      expect([user('log-collector'), user('node-exporter')]).toEqual([0, 10001]);
    } finally {
      if (before === undefined) delete process.env.CDK8S_OUTDIR; else process.env.CDK8S_OUTDIR = before;
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});
