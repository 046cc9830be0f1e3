/**
 * NodeAgent host access that breaks the node or the cluster: host ports taken twice (whole-output check), the node's
 * own ports, hostPath paths that hand the node over, writable hostPaths the agent cannot write, sidecar ports opened
 * on the node by hostNetwork.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart, JsonPatch, Testing } from 'cdk8s';
import { Errors } from '../../../lib/core';
import { App, HostAccess, HostPathType, KubernetesTarget, KubernetesVersion, NodeAgent, NodeAgentProps, WebService } from '../../../lib/k8s';
import { LogShipper, MetricsAdapter } from '../../../lib/k8s/sidecars';
import { outputProblems } from '../../../lib/policy/output-check';
import { expectError } from '../../util/k8s';
import { expectValid } from '../../util/schema';

const IMAGE = 'ghcr.io/acme/agent:1.2.0';
const NET = 'reports the node network interfaces';
const REASON = 'reads the node logs to ship them';

function chart(): Chart {
  return new Chart(Testing.app(), 'ops', { namespace: 'ops' });
}

function agent(c: Chart, id: string, props: Partial<NodeAgentProps> = {}): NodeAgent {
  return new NodeAgent(c, id, { image: IMAGE, ports: [{ name: 'http', port: 8080 }], ...props });
}

/** The rendered objects of `c` with the construct paths that wrote them, as k8s.App hands them to the output check. */
function synthesized(c: Chart): Array<{ manifest: any; path: string }> {
  return c.node.findAll().filter(x => ApiObject.isApiObject(x)).map(x => ({ manifest: (x as ApiObject).toJson(), path: x.node.path }));
}

function validationErrors(c: Chart): string[] {
  return c.node.findAll().flatMap(x => x.node.validate());
}

const pod = (c: Chart, name: string) => c.toJson().find(o => o.kind === 'DaemonSet' && o.metadata.name === name).spec.template.spec;

const CLASH = 'a node gives a host port to one pod only: the scheduler leaves the second pod Pending on every node the two share; '
  + 'give one of them another port (for a LogShipper sidecar its monitoringPort, for a MetricsAdapter its port), or keep their pods on different nodes (nodeSelector)';

describe('host ports across the output', () => {
  test('two hostNetwork NodeAgents declaring port 8080 are refused, naming both DaemonSets and the port', () => {
    const c = chart();
    agent(c, 'a1', { hostAccess: [HostAccess.hostNetwork(NET)] });
    agent(c, 'a2', { hostAccess: [HostAccess.hostNetwork(NET)] });
    expect(outputProblems(synthesized(c))).toEqual([
      'ops/a2/DaemonSet: spec.template.spec.containers[0].ports[0] (8080/TCP, container "app") takes host port 8080/TCP on its node, '
      + 'and so does ops/a1/DaemonSet (DaemonSet ops/a1, spec.template.spec.containers[0].ports[0], container "app") '
      + '(both pods use hostNetwork, so each container port is a port of the node); both are DaemonSets, which run a pod on every node they select, and '
      + CLASH,
    ]);
  });

  test('two hostNetwork NodeAgents with a LogShipper (Fluent Bit on 2020) clash on 2020, also as native sidecars (init containers)', () => {
    const c = chart();
    KubernetesTarget.set(c, KubernetesVersion.V1_33);
    agent(c, 'a1', { hostAccess: [HostAccess.hostNetwork(NET, { exposedSidecarPorts: [2020] })] }).addSidecar(new LogShipper());
    agent(c, 'a2', { ports: [{ name: 'http', port: 8081 }], hostAccess: [HostAccess.hostNetwork(NET, { exposedSidecarPorts: [2020] })] }).addSidecar(new LogShipper());
    expect(pod(c, 'a2').initContainers[0].restartPolicy).toBe('Always');
    expect(validationErrors(c)).toEqual([]);
    expect(outputProblems(synthesized(c))).toEqual([
      'ops/a2/DaemonSet: spec.template.spec.initContainers[0].ports[0] (2020/TCP, container "log-shipper") takes host port 2020/TCP on its node, '
      + 'and so does ops/a1/DaemonSet (DaemonSet ops/a1, spec.template.spec.initContainers[0].ports[0], container "log-shipper") '
      + '(both pods use hostNetwork, so each container port is a port of the node); both are DaemonSets, which run a pod on every node they select, and '
      + CLASH,
    ]);
  });

  test('a hostNetwork NodeAgent on a port of the node itself (kubelet 10250, 10248; kube-proxy 10249, 10256) is refused', () => {
    const c = chart();
    agent(c, 'kubelet', { ports: [{ name: 'http', port: 10250 }], hostAccess: [HostAccess.hostNetwork(NET)] });
    agent(c, 'proxy', { ports: [{ name: 'http', port: 10256 }], hostAccess: [HostAccess.hostNetwork(NET)] });
    expect(outputProblems(synthesized(c))).toEqual([
      'ops/kubelet/DaemonSet: spec.template.spec.containers[0].ports[0] (10250/TCP, container "app") is a port every node already listens on, for the kubelet API (logs, exec, metrics) '
      + '(the pod uses hostNetwork, so each container port is a port of the node): the container fails to bind it, or, started first, keeps the node\'s own process from binding it; '
      + 'listen on another port (the kubelet and kube-proxy use 10248, 10249, 10250 and 10256)',
      'ops/proxy/DaemonSet: spec.template.spec.containers[0].ports[0] (10256/TCP, container "app") is a port every node already listens on, for kube-proxy\'s health check '
      + '(the pod uses hostNetwork, so each container port is a port of the node): the container fails to bind it, or, started first, keeps the node\'s own process from binding it; '
      + 'listen on another port (the kubelet and kube-proxy use 10248, 10249, 10250 and 10256)',
    ]);
  });

  test('an explicit hostPort of a plain DaemonSet clashes with a hostNetwork NodeAgent, and a hostPort on 10248 is refused', () => {
    const c = chart();
    agent(c, 'a1', { hostAccess: [HostAccess.hostNetwork(NET)] });
    new ApiObject(c, 'proxy', {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'proxy' },
      spec: {
        selector: { matchLabels: { app: 'proxy' } },
        template: {
          metadata: { labels: { app: 'proxy' } },
          spec: { containers: [{ name: 'proxy', image: 'nginx:1.27', ports: [{ containerPort: 80, hostPort: 8080 }, { containerPort: 81, hostPort: 10248 }] }] },
        },
      },
    });
    expect(outputProblems(synthesized(c))).toEqual([
      'ops/proxy: spec.template.spec.containers[0].ports[0] (8080/TCP, container "proxy") takes host port 8080/TCP on its node, '
      + 'and so does ops/a1/DaemonSet (DaemonSet ops/a1, spec.template.spec.containers[0].ports[0], container "app") (hostPort here, hostNetwork there); '
      + 'both are DaemonSets, which run a pod on every node they select, and ' + CLASH,
      'ops/proxy: spec.template.spec.containers[0].ports[1] (10248/TCP, container "proxy") is a port every node already listens on, for the kubelet\'s health endpoint (hostPort): '
      + 'the node would forward its own port to the pod instead of its own process; listen on another port (the kubelet and kube-proxy use 10248, 10249, 10250 and 10256)',
    ]);
  });

  test('a hostNetwork Deployment on the port of a hostNetwork DaemonSet is refused; two hostNetwork Deployments on one port are not', () => {
    const c = chart();
    const web = (id: string) => {
      const w = new WebService(c, id, { image: 'ghcr.io/acme/web:1.0.0' });
      w.deployment.addJsonPatch(JsonPatch.add('/spec/template/spec/hostNetwork', true));
      return w;
    };
    web('w1');
    web('w2');
    expect(outputProblems(synthesized(c))).toEqual([]);
    agent(c, 'a1', { hostAccess: [HostAccess.hostNetwork(NET)] });
    expect(outputProblems(synthesized(c))).toEqual([
      'ops/a1/DaemonSet: spec.template.spec.containers[0].ports[0] (8080/TCP, container "app") takes host port 8080/TCP on its node, '
      + 'and so does ops/w1/Deployment (Deployment ops/w1, spec.template.spec.containers[0].ports[0], container "app") '
      + '(both pods use hostNetwork, so each container port is a port of the node); DaemonSet ops/a1 is a DaemonSet, which runs a pod on every node it selects, and '
      + CLASH,
    ]);
  });

  test('not refused: agents without hostNetwork (LogShipper on 2020 twice), other protocols, disjoint node selectors, run-to-completion init containers', () => {
    const c = chart();
    agent(c, 'plain1').addSidecar(new LogShipper());
    agent(c, 'plain2').addSidecar(new LogShipper());
    agent(c, 'linux', { hostAccess: [HostAccess.hostNetwork(NET)], nodeSelector: { pool: 'a' } });
    agent(c, 'other', { hostAccess: [HostAccess.hostNetwork(NET)], nodeSelector: { pool: 'b' } });
    const udp = agent(c, 'udp', { ports: [{ name: 'http', port: 9000 }], hostAccess: [HostAccess.hostNetwork(NET)] });
    udp.daemonSet.addJsonPatch(JsonPatch.add('/spec/template/spec/initContainers', [{ name: 'setup', image: IMAGE, ports: [{ containerPort: 8080 }] }]));
    udp.daemonSet.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/ports/-', { containerPort: 8080, protocol: 'UDP' }));
    expect(outputProblems(synthesized(c))).toEqual([]);
  });

  test('required node affinity: pools with no value in common do not clash, pools that share one do', () => {
    const c = chart();
    const ds = (id: string, pools: string[]) => new ApiObject(c, id, {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: id },
      spec: {
        selector: { matchLabels: { app: id } },
        template: {
          metadata: { labels: { app: id } },
          spec: {
            affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'pool', operator: 'In', values: pools }] }] } } },
            containers: [{ name: 'proxy', image: 'nginx:1.27', ports: [{ containerPort: 80, hostPort: 8080 }] }],
          },
        },
      },
    });
    ds('a', ['a']);
    ds('b', ['b']);
    expect(outputProblems(synthesized(c))).toEqual([]);
    ds('ab', ['a', 'b']);
    expect(outputProblems(synthesized(c))).toEqual([
      'ops/ab: spec.template.spec.containers[0].ports[0] (8080/TCP, container "proxy") takes host port 8080/TCP on its node, '
      + 'and so does ops/a (DaemonSet ops/a, spec.template.spec.containers[0].ports[0], container "proxy") (both set hostPort); '
      + 'both are DaemonSets, which run a pod on every node they select, and ' + CLASH,
    ]);
  });

  test('k8s.App refuses the clash at synth and writes nothing', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-node-agent-'));
    try {
      const app = new App({ outdir, policy: false });
      const c = new Chart(app, 'ops', { namespace: 'ops' });
      agent(c, 'a1', { hostAccess: [HostAccess.hostNetwork(NET)] });
      agent(c, 'a2', { hostAccess: [HostAccess.hostNetwork(NET)] });
      let message = '';
      try {
        app.synth();
      } catch (e: any) {
        expect(Errors.isValidationError(e)).toBe(true);
        message = e.message;
      }
      expect(message).toContain('the app\'s output is inconsistent as a whole (1 problem); nothing was written:\n  ops/a2/DaemonSet: spec.template.spec.containers[0].ports[0] (8080/TCP, container "app") takes host port 8080/TCP');
      expect(fs.readdirSync(outdir).filter(f => f.endsWith('.yaml'))).toEqual([]);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('hostPath paths that hand the node over', () => {
  const control = 'would give the agent control of the node';
  const runtime = 'whoever connects to a container runtime socket runs containers as root on the node, and a read-only mount still lets the agent connect (rule SS-K8S-011)';
  const fix = 'mount only the directories the agent reads, for example /var/log';
  test.each<[string, string, string]>([
    ['/var/run', '/var/run', `ops/agent: hostAccess[0].path ("/var/run") ${control}: it contains /var/run/containerd (containerd's directory, with its socket) and /var/run/docker.sock, /var/run/docker, /var/run/crio, /var/run/cri-dockerd.sock; ${runtime}; ${fix}, or the subdirectory of /var/run the agent needs, one that holds none of these`],
    ['/run', '/run', `ops/agent: hostAccess[0].path ("/run") ${control}: it contains /run/containerd (containerd's directory, with its socket) and /run/docker.sock, /run/docker, /run/crio, /run/cri-dockerd.sock; ${runtime}; ${fix}, or the subdirectory of /run the agent needs, one that holds none of these`],
    ['a runtime directory with a trailing slash', '/run/containerd/', `ops/agent: hostAccess[0].path ("/run/containerd/") ${control}: it is containerd's directory, with its socket; ${runtime}; ${fix}`],
    ['Docker\'s socket directory', '/var/run/docker', `ops/agent: hostAccess[0].path ("/var/run/docker") ${control}: it is Docker's directory, with its sockets; ${runtime}; ${fix}`],
    ['CRI-O\'s socket directory', '/run/crio', `ops/agent: hostAccess[0].path ("/run/crio") ${control}: it is CRI-O's directory, with its socket; ${runtime}; ${fix}`],
    ['a runtime socket elsewhere (k3s)', '/run/k3s/containerd/containerd.sock', `ops/agent: hostAccess[0].path ("/run/k3s/containerd/containerd.sock") ${control}: it is a container runtime socket; ${runtime}; ${fix}`],
    ['dot segments', '/var/log/../../', 'ops/agent: hostAccess[0].path ("/var/log/../../") has a "." or ".." segment or an empty one ("//"): the API server refuses ".." in a hostPath, and the path is checked as written; write the path it means without them (here "/")'],
    ['an empty segment', '/var//log', 'ops/agent: hostAccess[0].path ("/var//log") has a "." or ".." segment or an empty one ("//"): the API server refuses ".." in a hostPath, and the path is checked as written; write the path it means without them (here "/var/log")'],
    ['a "." segment', '/var/./log', 'ops/agent: hostAccess[0].path ("/var/./log") has a "." or ".." segment'],
    ['the kubelet directory', '/var/lib/kubelet', `ops/agent: hostAccess[0].path ("/var/lib/kubelet") ${control}: it is the kubelet's directory; it holds the Secrets and service account tokens of every pod on the node, and the kubelet's credentials (rule SS-K8S-011); ${fix}`],
    ['inside the kubelet directory', '/var/lib/kubelet/pods', `ops/agent: hostAccess[0].path ("/var/lib/kubelet/pods") ${control}: it is inside /var/lib/kubelet (the kubelet's directory); it holds the Secrets`],
    ['/etc/kubernetes', '/etc/kubernetes/', `ops/agent: hostAccess[0].path ("/etc/kubernetes/") ${control}: it is the node's Kubernetes configuration; it holds the kubelet's credentials (rule SS-K8S-011); ${fix}`],
    ['/etc', '/etc', `ops/agent: hostAccess[0].path ("/etc") ${control}: it contains /etc/kubernetes (the node's Kubernetes configuration); /etc/kubernetes holds the kubelet's credentials (rule SS-K8S-011); ${fix}, or the subdirectory of /etc the agent needs, one that holds none of these`],
    ['containerd storage', '/var/lib/containerd', `ops/agent: hostAccess[0].path ("/var/lib/containerd") ${control}: it is containerd's storage; it holds the filesystem of every container on the node (rule SS-K8S-011); ${fix}`],
    ['Docker storage', '/var/lib/docker', `ops/agent: hostAccess[0].path ("/var/lib/docker") ${control}: it is Docker's storage; it holds the filesystem of every container on the node (rule SS-K8S-011); ${fix}`],
    ['/var/lib', '/var/lib', `ops/agent: hostAccess[0].path ("/var/lib") ${control}: it contains /var/lib/kubelet (the kubelet's directory) and /var/lib/containerd, /var/lib/docker, /var/lib/containers; /var/lib/kubelet holds the Secrets`],
    ['a process of the node through /proc', '/proc/1/root', `ops/agent: hostAccess[0].path ("/proc/1/root") ${control}: it reaches into a process of the node (a process's root, cwd and fd links lead to its files; PID 1's root is the node's root filesystem) (rule SS-K8S-011); mount /proc itself, read-only, as node exporters do`],
  ])('%s is refused', (_name, p, message) => {
    expectError(() => agent(chart(), 'agent', { hostAccess: [HostAccess.hostPath({ path: p, reason: REASON })] }), message);
  });

  test.each<[string, string]>([
    ['/proc', '/proc'],
    ['/sys/fs/cgroup', '/sys'],
  ])('%s writable is refused', (p, root) => {
    expectError(() => agent(chart(), 'agent', { hostAccess: [HostAccess.hostPath({ path: p, readOnly: false, reason: REASON })] }),
      `ops/agent: hostAccess[0].readOnly (false) would let the agent change the node's kernel settings through ${p} (rule SS-K8S-011); mount ${p} read-only (leave readOnly out, true by default): agents read ${root}`);
  });

  test('a mount path with dot segments is refused', () => {
    expectError(() => agent(chart(), 'agent', { hostAccess: [HostAccess.hostPath({ path: '/var/log', mountPath: '/host/../etc', reason: REASON })] }),
      'ops/agent: hostAccess[0].mountPath ("/host/../etc") has a "." or ".." segment');
  });

  test('kept: /proc and /sys read-only, /var/log (a trailing slash dropped), files under /etc, paths beside the refused ones', () => {
    const c = chart();
    agent(c, 'agent', {
      hostAccess: [
        HostAccess.hostPath({ path: '/proc', mountPath: '/host/proc', reason: 'reads node CPU and memory statistics' }),
        HostAccess.hostPath({ path: '/sys', mountPath: '/host/sys/', reason: 'reads node hardware statistics' }),
        HostAccess.hostPath({ path: '/var/log/', reason: REASON }),
        HostAccess.hostPath({ path: '/etc/machine-id', type: HostPathType.FILE, reason: 'names the node in its reports' }),
        HostAccess.hostPath({ path: '/var/lib/docker-agent', mountPath: '/state', readOnly: false, reason: 'keeps its read positions across restarts' }),
        HostAccess.hostPath({ path: '/run/xtables.lock', type: HostPathType.FILE, reason: 'waits for the iptables lock of the node' }),
      ],
    });
    const p = pod(c, 'agent');
    expect(p.volumes.filter((v: any) => v.hostPath)).toEqual([
      { name: 'host-0', hostPath: { path: '/proc', type: 'Directory' } },
      { name: 'host-1', hostPath: { path: '/sys', type: 'Directory' } },
      { name: 'host-2', hostPath: { path: '/var/log', type: 'Directory' } },
      { name: 'host-3', hostPath: { path: '/etc/machine-id', type: 'File' } },
      { name: 'host-4', hostPath: { path: '/var/lib/docker-agent', type: 'Directory' } },
      { name: 'host-5', hostPath: { path: '/run/xtables.lock', type: 'File' } },
    ]);
    expect(p.containers[0].volumeMounts).toEqual(expect.arrayContaining([
      { name: 'host-1', mountPath: '/host/sys', readOnly: true },
      { name: 'host-2', mountPath: '/var/log', readOnly: true },
      { name: 'host-4', mountPath: '/state', readOnly: false },
    ]));
    expectValid(c.toJson());
  });
});

describe('writable hostPath the kubelet creates', () => {
  test('readOnly false with DIRECTORY_OR_CREATE is refused: the directory is root\'s, the agent is not', () => {
    expectError(() => agent(chart(), 'agent', {
      hostAccess: [HostAccess.hostPath({ path: '/var/lib/agent', readOnly: false, type: HostPathType.DIRECTORY_OR_CREATE, reason: 'keeps its read positions across restarts' })],
    }), 'ops/agent: hostAccess[0].readOnly (false) with type "DirectoryOrCreate" mounts a directory the agent can never write: the kubelet creates a missing directory owned by root (mode 0755), '
      + 'fsGroup does not apply to hostPath volumes, and the agent runs as user 10001, not root; create /var/lib/agent on the node owned by user 10001 '
      + '(in the node\'s bootstrap, for example its user data) and mount it with type HostPathType.DIRECTORY, or keep state that need not outlive the pod in an emptyDir (security.writablePaths)');
  });

  test('the message names the agent\'s own user', () => {
    expectError(() => agent(chart(), 'agent', {
      security: { runAsUser: 20000 },
      hostAccess: [HostAccess.hostPath({ path: '/var/lib/agent', readOnly: false, type: HostPathType.DIRECTORY_OR_CREATE, reason: 'keeps its read positions across restarts' })],
    }), 'and the agent runs as user 20000, not root; create /var/lib/agent on the node owned by user 20000');
  });

  test('read-only DIRECTORY_OR_CREATE and writable DIRECTORY are kept', () => {
    const c = chart();
    agent(c, 'agent', {
      hostAccess: [
        HostAccess.hostPath({ path: '/var/log/agent', type: HostPathType.DIRECTORY_OR_CREATE, reason: REASON }),
        HostAccess.hostPath({ path: '/var/lib/agent', readOnly: false, reason: 'keeps its read positions across restarts' }),
      ],
    });
    expect(pod(c, 'agent').volumes.filter((v: any) => v.hostPath)).toEqual([
      { name: 'host-0', hostPath: { path: '/var/log/agent', type: 'DirectoryOrCreate' } },
      { name: 'host-1', hostPath: { path: '/var/lib/agent', type: 'Directory' } },
    ]);
  });

  test('a type that is no HostPathType (FileOrCreate from JavaScript) is refused', () => {
    expectError(() => agent(chart(), 'agent', { hostAccess: [HostAccess.hostPath({ path: '/run/agent.lock', readOnly: false, type: 'FileOrCreate' as HostPathType, reason: REASON })] }),
      'ops/agent: hostAccess[0].type ("FileOrCreate") is not a HostPathType (Directory, DirectoryOrCreate, File, Socket); use HostPathType.DIRECTORY, HostPathType.FILE or HostPathType.SOCKET');
  });
});

describe('sidecar ports on the host network', () => {
  test('a LogShipper on a hostNetwork agent is refused at synth unless its port is accepted', () => {
    const c = chart();
    agent(c, 'agent', { hostAccess: [HostAccess.hostPid('counts the node processes'), HostAccess.hostNetwork(NET)] }).addSidecar(new LogShipper());
    expect(validationErrors(c)).toEqual([
      'ops/agent: sidecars.log-shipper.port (2020) is open on the node\'s network: the agent uses hostNetwork (hostAccess[1]), so the sidecar listens on port 2020 of the node, '
      + 'on every address, reachable by anything that reaches the node, and NetworkPolicies do not apply to hostNetwork pods (its NetworkPolicy restricts nothing); '
      + 'if the node\'s security group keeps the port private, accept it with HostAccess.hostNetwork(reason, { exposedSidecarPorts: [2020] }); '
      + 'otherwise remove the sidecar, or run the agent without hostNetwork',
    ]);
  });

  test('accepted ports pass; a MetricsAdapter (9102) not listed is refused; a listed port no sidecar has is refused', () => {
    const c = chart();
    const a = agent(c, 'agent', { hostAccess: [HostAccess.hostNetwork(NET, { exposedSidecarPorts: [2020, 3000] })] });
    a.addSidecar(new LogShipper());
    a.addSidecar(new MetricsAdapter({ image: 'prom/statsd-exporter:v0.28.0' }));
    expect(validationErrors(c)).toEqual([
      expect.stringMatching(/^ops\/agent: sidecars\.metrics-adapter\.port \(9102\) is open on the node's network: .* exposedSidecarPorts: \[9102\] \}\); /),
      'ops/agent: hostAccess[0].exposedSidecarPorts[1] (3000) is no port of a sidecar of this agent (its sidecars listen on 2020, 9102); '
      + 'list only the ports of its sidecars (a LogShipper listens on its monitoringPort, 2020 by default), or leave exposedSidecarPorts out',
    ]);
  });

  test('without hostNetwork sidecar ports stay in the pod: nothing to accept', () => {
    const c = chart();
    agent(c, 'agent').addSidecar(new LogShipper());
    expect(validationErrors(c)).toEqual([]);
  });

  test('an exposed port must be a port number', () => {
    expectError(() => agent(chart(), 'agent', { hostAccess: [HostAccess.hostNetwork(NET, { exposedSidecarPorts: [0] })] }),
      'ops/agent: hostAccess[0].exposedSidecarPorts[0] (0) must be a whole number from 1 to 65535; list the port numbers of the sidecars');
  });
});
