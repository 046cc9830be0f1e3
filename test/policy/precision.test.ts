import * as yaml from 'js-yaml';
import { find, goodManifests, NS, pod } from './fixtures/good';
import { KubernetesPack, PolicyEngine, Severity } from '../../lib/policy';
import { k8sDocument } from '../../lib/policy/runner';

// Precision fixes found by running the peers' own fixture suites (scripts/peer-corpus.ts); the fixtures here are
// written for these tests. Each test breaks or reshapes a small output and asserts exactly what one rule says.

const pack = new KubernetesPack();
const RBAC = 'rbac.authorization.k8s.io/v1';

/** The findings of rule `id` on `ms`, as `<kind>/<name> <jsonPath>: <message>`. */
function hits(id: string, ms: any[], p = pack): string[] {
  const rule = p.rules.find(r => r.id === id)!;
  const report = new PolicyEngine({ packs: [{ name: 'one', rules: [rule] }] }).check(ms.map((m, i) => k8sDocument(m, `c/${m.kind}-${i}`)));
  return report.findings.filter(f => f.ruleId === id).map(f => `${f.kind}/${f.name} ${f.jsonPath}: ${f.message}`);
}

function role(kind: string, name: string, rules: any[], namespace?: string): any {
  return { apiVersion: RBAC, kind, metadata: { name, ...(namespace ? { namespace } : {}) }, rules };
}
function binding(kind: string, name: string, roleKind: string, roleName: string, namespace?: string): any {
  return {
    apiVersion: RBAC,
    kind,
    metadata: { name, ...(namespace ? { namespace } : {}) },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: roleKind, name: roleName },
    subjects: [{ kind: 'User', name: 'jane', apiGroup: 'rbac.authorization.k8s.io' }],
  };
}
const ALL = { apiGroups: ['*'], resources: ['*'], verbs: ['*'] };
const EXEC = { apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] };

/** A bare Pod with one container and the given pod spec fields. */
function barePod(name: string, spec: any = {}, container: any = {}): any {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'shop' }, spec: { containers: [{ name: 'c', image: 'registry.example/c:1.0.0', ...container }], ...spec } };
}

/** A Deployment with `replicas` (undefined leaves the field out) and pod template `labels`. */
function deployment(name: string, replicas: number | undefined, spec: any = {}, annotations?: any): any {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'shop', ...(annotations ? { annotations } : {}) },
    spec: {
      ...(replicas === undefined ? {} : { replicas }),
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'registry.example/c:1.0.0' }], ...spec } },
    },
  };
}

describe('SS-K8S-078 cluster-wide admin is recognised by what the role grants', () => {
  test('a binding to the cluster-admin ClusterRole', () => {
    expect(hits('SS-K8S-078', [binding('ClusterRoleBinding', 'ops', 'ClusterRole', 'cluster-admin')]))
      .toEqual(['ClusterRoleBinding/ops roleRef.name: Binding grants cluster-admin']);
  });

  test('a binding to a role with every verb on every resource, written as * or as the seven verbs', () => {
    const verbs = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];
    expect(hits('SS-K8S-078', [role('ClusterRole', 'god', [ALL]), binding('ClusterRoleBinding', 'ops', 'ClusterRole', 'god')]))
      .toEqual(['ClusterRoleBinding/ops roleRef.name: Binding grants ClusterRole god, whose rules[0] allows every verb on every resource: administrator rights']);
    expect(hits('SS-K8S-078', [role('Role', 'god', [{ apiGroups: ['*'], resources: ['*'], verbs }], 'shop'), binding('RoleBinding', 'ops', 'Role', 'god', 'shop')]))
      .toEqual(['RoleBinding/ops roleRef.name: Binding grants Role god, whose rules[0] allows every verb on every resource: administrator rights']);
  });

  test('a binding to a role that can escalate, bind or impersonate', () => {
    const escalate = role('ClusterRole', 'rbac-admin', [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['escalate', 'bind'] }]);
    expect(hits('SS-K8S-078', [escalate, binding('ClusterRoleBinding', 'ops', 'ClusterRole', 'rbac-admin')]))
      .toEqual(['ClusterRoleBinding/ops roleRef.name: Binding grants ClusterRole rbac-admin, whose rules[0] allows escalate, bind: administrator rights']);
    const impersonate = role('ClusterRole', 'sudo', [{ apiGroups: [''], resources: ['users'], verbs: ['impersonate'] }]);
    expect(hits('SS-K8S-078', [impersonate, binding('ClusterRoleBinding', 'ops', 'ClusterRole', 'sudo')])).toHaveLength(1);
  });

  test('a binding to a role with explicit groups, resources or verbs is not admin', () => {
    const narrow = role('ClusterRole', 'reader', [{ apiGroups: ['*'], resources: ['*'], verbs: ['get', 'list', 'watch'] }]);
    expect(hits('SS-K8S-078', [narrow, binding('ClusterRoleBinding', 'ops', 'ClusterRole', 'reader')])).toEqual([]);
  });

  test('the platform\'s own bindings (system:, eks:, and the cluster-admin ClusterRoleBinding, to platform subjects) are not reported', () => {
    const platform = (b: any, subjects: any[]) => ({ ...b, subjects });
    const ms = [role('ClusterRole', 'god', [ALL]),
      platform(binding('ClusterRoleBinding', 'system:masters-admin', 'ClusterRole', 'god'), [{ kind: 'Group', name: 'system:masters', apiGroup: 'rbac.authorization.k8s.io' }]),
      platform(binding('ClusterRoleBinding', 'eks:addon-manager', 'ClusterRole', 'cluster-admin'), [{ kind: 'User', name: 'eks:addon-manager', apiGroup: 'rbac.authorization.k8s.io' }]),
      platform(binding('ClusterRoleBinding', 'cluster-admin', 'ClusterRole', 'cluster-admin'), [{ kind: 'ServiceAccount', name: 'x', namespace: 'kube-system' }])];
    expect(hits('SS-K8S-078', ms)).toEqual([]);
  });

  test('a user binding to a system: role that grants everything is reported', () => {
    expect(hits('SS-K8S-078', [role('ClusterRole', 'system:test', [ALL]), binding('ClusterRoleBinding', 'mine', 'ClusterRole', 'system:test')])).toHaveLength(1);
  });
});

describe('SS-K8S-079 exec and attach: platform roles, bindings, missing roles', () => {
  test('the platform\'s own roles are not reported: system:, eks:, gce: names and the default ClusterRoles', () => {
    const ms = ['system:controller:ttl', 'eks:node-manager', 'gce:podsecuritypolicy:x', 'admin', 'edit', 'cluster-admin'].map(n => role('ClusterRole', n, [EXEC]));
    expect(hits('SS-K8S-079', ms)).toEqual([]);
  });

  test('a team role that allows exec is reported, and so is a Role named like a default ClusterRole', () => {
    expect(hits('SS-K8S-079', [role('ClusterRole', 'debugger', [EXEC]), role('Role', 'edit', [EXEC], 'shop')]))
      .toEqual(['ClusterRole/debugger rules[0]: Role allows exec or attach into pods', 'Role/edit rules[0]: Role allows exec or attach into pods']);
  });

  test('exec in another API group than the core one is not pods/exec', () => {
    expect(hits('SS-K8S-079', [role('ClusterRole', 'x', [{ apiGroups: ['metrics.k8s.io'], resources: ['*'], verbs: ['*'] }])])).toEqual([]);
  });

  test('a binding is judged by the role it grants, a system: one included', () => {
    const ms = [role('ClusterRole', 'system:test', [ALL]), binding('ClusterRoleBinding', 'mine', 'ClusterRole', 'system:test')];
    expect(hits('SS-K8S-079', ms)).toEqual(['ClusterRoleBinding/mine roleRef.name: Binding grants ClusterRole system:test, which allows exec or attach into pods']);
  });

  test('a binding to a built-in ClusterRole not in the output: edit allows exec, view does not', () => {
    expect(hits('SS-K8S-079', [binding('RoleBinding', 'devs', 'ClusterRole', 'edit', 'shop'), binding('RoleBinding', 'auditors', 'ClusterRole', 'view', 'shop')]))
      .toEqual(['RoleBinding/devs roleRef.name: Binding grants the built-in ClusterRole edit, which allows exec or attach into pods']);
  });

  test('a binding to a role that is not in the output is reported: nothing shows what it grants', () => {
    expect(hits('SS-K8S-079', [binding('ClusterRoleBinding', 'mine', 'ClusterRole', 'does-not-exist')]))
      .toEqual(['ClusterRoleBinding/mine roleRef.name: Binding grants ClusterRole does-not-exist, which is not in the output: nothing shows it does not allow exec into pods '
        + '(check the binding in one run with the files that define the role, or suppress here with a reason naming where the role is defined)']);
  });

  test('a binding to a missing platform role, and a platform binding, are not reported', () => {
    const systemX = { ...binding('ClusterRoleBinding', 'system:x', 'ClusterRole', 'nope'), subjects: [{ kind: 'Group', name: 'system:nodes', apiGroup: 'rbac.authorization.k8s.io' }] };
    expect(hits('SS-K8S-079', [binding('ClusterRoleBinding', 'metrics', 'ClusterRole', 'system:auth-delegator'), systemX])).toEqual([]);
  });

  test('a binding to a role without exec is compliant', () => {
    const ms = [role('Role', 'reader', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }], 'shop'), binding('RoleBinding', 'r', 'Role', 'reader', 'shop')];
    expect(hits('SS-K8S-079', ms)).toEqual([]);
  });
});

describe('replicas: an unset replicas with no autoscaler is the API default, 1', () => {
  test('SS-K8S-041 skips a workload with unset replicas and no autoscaler, and asks one autoscaled from 2', () => {
    expect(hits('SS-K8S-041', [deployment('one', undefined)])).toEqual([]);
    const hpa = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'two', namespace: 'shop' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'two' }, minReplicas: 2, maxReplicas: 4 } };
    expect(hits('SS-K8S-041', [deployment('two', undefined), hpa])).toEqual(['Deployment/two spec.template.metadata.labels: No PodDisruptionBudget selects these pods']);
  });

  test('a KEDA ScaledObject\'s minReplicaCount counts (KEDA\'s default is 0)', () => {
    const so = (min?: number) => ({ apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'w', namespace: 'shop' }, spec: { scaleTargetRef: { name: 'w' }, ...(min === undefined ? {} : { minReplicaCount: min }) } });
    expect(hits('SS-K8S-041', [deployment('w', undefined), so(3)])).toHaveLength(1);
    expect(hits('SS-K8S-041', [deployment('w', undefined), so()])).toEqual([]);
  });

  test('SS-K8S-039 and SS-K8S-040 skip a single pod and report two replicas without anti-affinity or spread', () => {
    expect(hits('SS-K8S-039', [deployment('one', undefined)])).toEqual([]);
    expect(hits('SS-K8S-040', [deployment('one', 1)])).toEqual([]);
    expect(hits('SS-K8S-039', [deployment('two', 2)])).toEqual(['Deployment/two spec.template.spec.affinity.podAntiAffinity: Replicas may all land on one node (no hostname pod anti-affinity)']);
    expect(hits('SS-K8S-040', [deployment('two', 2)])).toEqual(['Deployment/two spec.template.spec.topologySpreadConstraints: Pods have no valid topologySpreadConstraints']);
  });
});

describe('the development profile annotation', () => {
  const dev = { 'shipshape.io/profile': 'development' };

  test('SS-K8S-037, 039, 040 and 041 do not apply to a Deployment the development profile made', () => {
    const ms = [deployment('api', 1, {}, dev), deployment('big', 3, {}, dev)];
    for (const id of ['SS-K8S-037', 'SS-K8S-039', 'SS-K8S-040', 'SS-K8S-041']) expect(hits(id, ms)).toEqual([]);
    // the same Deployments without the annotation
    expect(hits('SS-K8S-037', [deployment('api', 1)])).toEqual(['Deployment/api spec.replicas: Deployment runs fewer than 2 replicas']);
    expect(hits('SS-K8S-041', [deployment('big', 3)])).toHaveLength(1);
  });

  test('SS-K8S-045 does not apply to a development autoscaler (on the HPA or its target)', () => {
    const hpa = (annotations?: any) => ({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'api', namespace: 'shop', ...(annotations ? { annotations } : {}) },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }, minReplicas: 1, maxReplicas: 2 },
    });
    expect(hits('SS-K8S-045', [deployment('api', undefined), hpa(dev)])).toEqual([]);
    expect(hits('SS-K8S-045', [deployment('api', undefined, {}, dev), hpa()])).toEqual([]);
    expect(hits('SS-K8S-045', [deployment('api', undefined), hpa()])).toEqual(['HorizontalPodAutoscaler/api spec.minReplicas: HPA minReplicas is 1; it must be 2 or more']);
  });

  test('SS-K8S-045 says when minReplicas is unset (the API default, 1)', () => {
    const hpa = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'api', namespace: 'shop' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'api' }, maxReplicas: 5 } };
    expect(hits('SS-K8S-045', [hpa])).toEqual(['HorizontalPodAutoscaler/api spec.minReplicas: HPA minReplicas is unset (1); it must be 2 or more']);
  });
});

describe('bare Pods', () => {
  test('SS-K8S-040 validates the spread constraints a Pod has, and asks nothing of a Pod without', () => {
    expect(hits('SS-K8S-040', [barePod('p')])).toEqual([]);
    const bad = barePod('p', { topologySpreadConstraints: [{ maxSkew: 0, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: {} }] });
    expect(hits('SS-K8S-040', [bad])).toEqual(['Pod/p spec.topologySpreadConstraints[0].maxSkew: Spread constraint maxSkew must be 1 or more']);
  });

  test('SS-K8S-067 checks the instance label of a Pod', () => {
    const p = barePod('nginx');
    p.metadata.labels = { 'app.kubernetes.io/instance': 'other' };
    expect(hits('SS-K8S-067', [p])).toEqual(['Pod/nginx metadata.labels["app.kubernetes.io/instance"]: Label app.kubernetes.io/instance ("other") does not equal metadata.name ("nginx")']);
    p.metadata.labels['app.kubernetes.io/instance'] = 'nginx';
    expect(hits('SS-K8S-067', [p])).toEqual([]);
    // a missing label is said to be missing
    p.metadata.labels = { app: 'nginx' };
    expect(hits('SS-K8S-067', [p])).toEqual(['Pod/nginx metadata.labels["app.kubernetes.io/instance"]: Label app.kubernetes.io/instance is missing (it should equal metadata.name, "nginx")']);
  });
});

describe('SS-K8S-054 legacy Ingress backends', () => {
  const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80 }] } };
  function ingress(apiVersion: string, backends: any[], defaultBackend?: any): any {
    return {
      apiVersion,
      kind: 'Ingress',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { ...(defaultBackend ? { backend: defaultBackend } : {}), rules: [{ http: { paths: backends.map(b => ({ path: '/', backend: b })) } }] },
    };
  }

  test('serviceName/servicePort are read in a v1beta1 Ingress, by port number or name', () => {
    const ok = ingress('networking.k8s.io/v1beta1', [{ serviceName: 'web', servicePort: 80 }, { serviceName: 'web', servicePort: 'http' }]);
    expect(hits('SS-K8S-054', [svc, ok])).toEqual([]);
    const bad = ingress('extensions/v1beta1', [{ serviceName: 'api', servicePort: 80 }, { serviceName: 'web', servicePort: 8080 }], { serviceName: 'ghost', servicePort: 80 });
    expect(hits('SS-K8S-054', [svc, bad])).toEqual([
      'Ingress/web spec.backend.serviceName: Ingress backend Service "ghost" is not in the output',
      'Ingress/web spec.rules[0].http.paths[0].backend.serviceName: Ingress backend Service "api" is not in the output',
      'Ingress/web spec.rules[0].http.paths[1].backend.servicePort: Service web has no port 8080',
    ]);
  });

  test('serviceName/servicePort in a networking.k8s.io/v1 Ingress name no Service (v1 does not have them)', () => {
    expect(hits('SS-K8S-054', [svc, ingress('networking.k8s.io/v1', [{ serviceName: 'web', servicePort: 'http' }])]))
      .toEqual(['Ingress/web spec.rules[0].http.paths[0].backend.serviceName: Ingress backend uses serviceName/servicePort, which networking.k8s.io/v1 does not have: it has no Service']);
  });
});

describe('SS-K8S-015 the current Pod Security safe sysctls', () => {
  test('sysctls Pod Security lists as safe are accepted, net.* ones included; others are refused', () => {
    const safe = ['net.ipv4.ip_local_port_range', 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat', 'kernel.shm_rmid_forced'];
    expect(hits('SS-K8S-015', [barePod('p', { securityContext: { sysctls: safe.map(name => ({ name, value: '1' })) } })])).toEqual([]);
    expect(hits('SS-K8S-015', [barePod('p', { securityContext: { sysctls: [{ name: 'kernel.msgmax', value: '1' }, { name: 'net.core.somaxconn', value: '1' }] } })]))
      .toEqual(['Pod/p spec.securityContext.sysctls[0].name: Pod sets sysctl kernel.msgmax', 'Pod/p spec.securityContext.sysctls[1].name: Pod sets sysctl net.core.somaxconn']);
  });

  test('a sysctl safe only from a later version than the namespace pins Pod Security to is refused there', () => {
    const ns = (version?: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'pod-security.kubernetes.io/enforce': 'restricted', ...(version ? { 'pod-security.kubernetes.io/enforce-version': version } : {}) } } });
    const p = barePod('p', { securityContext: { sysctls: [{ name: 'net.ipv4.tcp_rmem', value: '4096 87380 6291456' }, { name: 'net.ipv4.tcp_keepalive_time', value: '60' }] } });
    expect(hits('SS-K8S-015', [ns('v1.30'), p])).toEqual([
      'Pod/p spec.securityContext.sysctls[0].name: Pod sets sysctl net.ipv4.tcp_rmem, safe only from Kubernetes 1.32: namespace shop pins Pod Security to v1.30, which refuses it',
    ]);
    expect(hits('SS-K8S-015', [ns('v1.32'), p])).toEqual([]);
    expect(hits('SS-K8S-015', [ns('latest'), p])).toEqual([]);
    expect(hits('SS-K8S-015', [ns(), p])).toEqual([]);
    expect(hits('SS-K8S-015', [p])).toEqual([]);
  });
});

describe('Windows pods are exempt where the API refuses the Linux-only fields', () => {
  test('SS-K8S-002, 003, 005, 007 and 009 do not apply to a pod with spec.os.name windows', () => {
    const win = barePod('w', { os: { name: 'windows' }, securityContext: { runAsNonRoot: true, windowsOptions: { runAsUserName: 'ContainerUser' } } });
    const linux = barePod('l', { securityContext: { runAsNonRoot: true } });
    for (const id of ['SS-K8S-002', 'SS-K8S-003', 'SS-K8S-005', 'SS-K8S-007', 'SS-K8S-009']) {
      expect(hits(id, [win])).toEqual([]);
      expect(hits(id, [linux]).length).toBeGreaterThan(0);
    }
  });

  test('the rules that still apply to a Windows pod are not exempted (SS-K8S-004 run as non-root)', () => {
    expect(hits('SS-K8S-004', [barePod('w', { os: { name: 'windows' } })])).toEqual(['Pod/w spec.containers[0].securityContext.runAsNonRoot: Container may run as root']);
  });
});

describe('SS-K8S-036 probes use TCP', () => {
  test('a probe on a port declared for UDP only is reported; a TCP declaration of the same number passes', () => {
    const udp = barePod('dns', {}, { ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }], livenessProbe: { tcpSocket: { port: 'dns' } } });
    expect(hits('SS-K8S-036', [udp])).toEqual(['Pod/dns spec.containers[0].livenessProbe.tcpSocket.port: Probe port "dns" is not a declared TCP container port']);
    const both = barePod('dns', {}, { ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' }], livenessProbe: { tcpSocket: { port: 53 } } });
    expect(hits('SS-K8S-036', [both])).toEqual([]);
  });
});

describe('SS-K8S-039 anti-affinity terms must cover the pod\'s own namespace', () => {
  function withTerm(extra: any): any {
    return deployment('web', 3, {
      affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname', ...extra }] } },
    });
  }

  test('a term limited to other namespaces does not spread the pods', () => {
    expect(hits('SS-K8S-039', [withTerm({ namespaces: ['other'] })]))
      .toEqual(['Deployment/web spec.template.spec.affinity.podAntiAffinity: The hostname anti-affinity term looks only at other namespaces, not shop: replicas may all land on one node']);
  });

  test('a term listing the own namespace, or with a namespaceSelector, does', () => {
    expect(hits('SS-K8S-039', [withTerm({ namespaces: ['other', 'shop'] })])).toEqual([]);
    expect(hits('SS-K8S-039', [withTerm({ namespaces: ['other'], namespaceSelector: {} })])).toEqual([]);
  });
});

describe('SS-K8S-055 Ingress TLS hosts', () => {
  const ingress = (tls: any[], hosts: Array<string | undefined>) => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'web', namespace: 'shop' },
    spec: { tls, rules: hosts.map(host => ({ ...(host === undefined ? {} : { host }), http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } })) },
  });

  test('a rule host that no TLS entry lists is reported at the rule; listed, wildcard-covered and host-less rules are not', () => {
    const tls = [{ hosts: ['a.example.com', '*.apps.example.com'], secretName: 'cert' }];
    expect(hits('SS-K8S-055', [ingress(tls, ['a.example.com', 'b.example.com', 'x.apps.example.com', 'y.x.apps.example.com', undefined])])).toEqual([
      'Ingress/web spec.rules[1].host: Ingress host b.example.com is in no spec.tls hosts: it is served without this Ingress\'s certificate',
      'Ingress/web spec.rules[3].host: Ingress host y.x.apps.example.com is in no spec.tls hosts: it is served without this Ingress\'s certificate',
    ]);
  });

  test('a TLS entry without hosts covers every host (its certificate can be the default)', () => {
    expect(hits('SS-K8S-055', [ingress([{ secretName: 'cert' }], ['b.example.com'])])).toEqual([]);
  });

  test('an Ingress without TLS is reported once, at spec.tls', () => {
    expect(hits('SS-K8S-055', [ingress([], ['b.example.com'])])).toEqual(['Ingress/web spec.tls: Ingress has no TLS']);
  });
});

describe('SS-K8S-042 PodDisruptionBudget policy', () => {
  const pdb = (spec: any) => ({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web', namespace: 'shop' }, spec: { selector: { matchLabels: { app: 'web' } }, ...spec } });

  test('minAvailable 100% is reported even when maxUnavailable is set, and setting both is reported', () => {
    expect(hits('SS-K8S-042', [pdb({ minAvailable: '100%', maxUnavailable: 5 })])).toEqual([
      'PodDisruptionBudget/web spec: PodDisruptionBudget sets both minAvailable and maxUnavailable; the API accepts only one',
      'PodDisruptionBudget/web spec.minAvailable: minAvailable 100% allows no disruption',
    ]);
  });

  test('two budgets selecting the same pods are both reported (the eviction API refuses such pods); budgets of other pods are not', () => {
    const other = { ...pdb({ maxUnavailable: 1 }), metadata: { name: 'web-extra', namespace: 'shop' } };
    const why = 'the eviction API refuses to evict a pod that more than one budget covers, so node drains stop at these pods';
    expect(hits('SS-K8S-042', [deployment('web', 3), pdb({ maxUnavailable: 1 }), other])).toEqual([
      `PodDisruptionBudget/web spec.selector: PodDisruptionBudget selects the pods of Deployment web, as PodDisruptionBudget web-extra does: ${why}`,
      `PodDisruptionBudget/web-extra spec.selector: PodDisruptionBudget selects the pods of Deployment web, as PodDisruptionBudget web does: ${why}`,
    ]);
    const api = deployment('api', 3);
    const apiPdb = { ...pdb({ maxUnavailable: 1 }), metadata: { name: 'api', namespace: 'shop' }, spec: { selector: { matchLabels: { app: 'api' } }, maxUnavailable: 1 } };
    expect(hits('SS-K8S-042', [deployment('web', 3), api, pdb({ maxUnavailable: 1 }), apiPdb])).toEqual([]);
    // one budget held twice (two output folders checked together) is one budget
    expect(hits('SS-K8S-042', [deployment('web', 3), pdb({ maxUnavailable: 1 }), pdb({ maxUnavailable: 1 })])).toEqual([]);
    // the same labels in another namespace are other pods
    const elsewhere = { ...other, metadata: { name: 'web-extra', namespace: 'staging' } };
    expect(hits('SS-K8S-042', [deployment('web', 3), pdb({ maxUnavailable: 1 }), elsewhere])).toEqual([]);
  });

  test('a workload is matched by its own selector when its template carries no labels', () => {
    const dep = deployment('web', 2);
    delete dep.spec.template.metadata;
    expect(hits('SS-K8S-042', [dep, pdb({ minAvailable: 2 })])).toEqual(['PodDisruptionBudget/web spec.minAvailable: minAvailable 2 leaves no disruption for Deployment web (2 replicas)']);
    expect(hits('SS-K8S-042', [dep, pdb({ minAvailable: 1 })])).toEqual([]);
  });

  test('the replica count is said with where it comes from: an HPA\'s minimum (set or default), or replicas unset', () => {
    const hpa = (minReplicas?: number) => ({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web-hpa', namespace: 'shop' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 6, ...(minReplicas === undefined ? {} : { minReplicas }) },
    });
    expect(hits('SS-K8S-042', [deployment('web', 3), hpa(2), pdb({ minAvailable: 3 })])).toEqual([
      'PodDisruptionBudget/web spec.minAvailable: minAvailable 3 leaves no disruption for Deployment web (2 replicas, the minReplicas of HorizontalPodAutoscaler web-hpa, which it can scale down to)',
    ]);
    expect(hits('SS-K8S-042', [deployment('web', 3), hpa(), pdb({ minAvailable: 1 })])).toEqual([
      'PodDisruptionBudget/web spec.minAvailable: minAvailable 1 leaves no disruption for Deployment web (1 replica, the default minReplicas (unset) of HorizontalPodAutoscaler web-hpa, which it can scale down to)',
    ]);
    expect(hits('SS-K8S-042', [deployment('web', undefined), pdb({ minAvailable: 1 })])).toEqual([
      'PodDisruptionBudget/web spec.minAvailable: minAvailable 1 leaves no disruption for Deployment web (1 replica: replicas is unset)',
    ]);
  });

  test('a DaemonSet\'s pods are not compared with a replica count', () => {
    const ds = { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'shop' }, spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [] } } } };
    expect(hits('SS-K8S-042', [ds, pdb({ minAvailable: 1 })])).toEqual([]);
  });
});

describe('SS-K8S-044 PDB against HPA', () => {
  function output(minAvailable: any, minReplicas?: number): any[] {
    return [
      deployment('web', undefined),
      { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web', namespace: 'shop' }, spec: { minAvailable, selector: { matchLabels: { app: 'web' } } } },
      { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', namespace: 'shop' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 20, ...(minReplicas === undefined ? {} : { minReplicas }) } },
    ];
  }

  test('a percentage minAvailable is resolved at the HPA minimum, rounding up', () => {
    expect(hits('SS-K8S-044', output('150%', 10))).toEqual(['HorizontalPodAutoscaler/web spec.minReplicas: PodDisruptionBudget web minAvailable 150% (15 pods) is above the HPA minReplicas 10']);
    expect(hits('SS-K8S-044', output('50%', 10))).toEqual([]);
  });

  test('an unset minReplicas is compared as 1, and the message says so', () => {
    expect(hits('SS-K8S-044', output(2))).toEqual(['HorizontalPodAutoscaler/web spec.minReplicas: PodDisruptionBudget web minAvailable 2 is above the HPA minReplicas 1 (unset: 1)']);
  });
});

describe('SS-K8S-058 and the deprecated serviceAccount alias', () => {
  const sa = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'web', namespace: 'shop' } };

  test('the alias names the account: no "default ServiceAccount" message', () => {
    expect(hits('SS-K8S-058', [barePod('p', { serviceAccount: 'web' })])).toEqual(['Pod/p spec.serviceAccount: ServiceAccount web is not in the output']);
    expect(hits('SS-K8S-058', [sa, barePod('p', { serviceAccount: 'web' })])).toEqual([]);
    // SS-K8S-060 still reports the deprecated field itself
    expect(hits('SS-K8S-060', [sa, barePod('p', { serviceAccount: 'web' })])).toEqual(['Pod/p spec.serviceAccount: Pod uses the deprecated serviceAccount field']);
  });

  test('no account named at all is the default one', () => {
    expect(hits('SS-K8S-058', [barePod('p')])).toEqual(['Pod/p spec.serviceAccountName: Pod runs as the default ServiceAccount']);
  });
});

describe('severities re-ranked: hygiene findings on third-party manifests are warnings', () => {
  test('identical probes (035), a probe on an undeclared port (036) and a missing pod security context (020) warn', () => {
    // the shape of a typical ingress controller manifest: /healthz for both probes, probing a metrics port it does not declare
    const probe = { httpGet: { path: '/healthz', port: 10254 } };
    const ctl = deployment('controller', 2, {}, undefined);
    Object.assign(ctl.spec.template.spec.containers[0], { ports: [{ name: 'http', containerPort: 8080 }], readinessProbe: probe, livenessProbe: probe, securityContext: { runAsNonRoot: true } });
    const report = new PolicyEngine({ packs: [pack] }).check([k8sDocument(ctl, 'c/controller')]);
    const of = (id: string) => report.findings.filter(f => f.ruleId === id).map(f => f.severity);
    expect(of('SS-K8S-035')).toEqual([Severity.WARNING]);
    expect(of('SS-K8S-036')).toEqual([Severity.WARNING, Severity.WARNING]);
    expect(of('SS-K8S-020')).toEqual([Severity.WARNING]);
  });
});

describe('image rules', () => {
  test('SS-K8S-030 warns about floating tags only: an exact release, a commit id or a digest pass', () => {
    const images = ['r.example/a:1.25', 'r.example/a:stable', 'r.example/a:1.4.2', 'r.example/a:v2.0.1-rc.1', 'r.example/a:sha-3f2a9c1', `r.example/a:1.25@sha256:${'c'.repeat(64)}`];
    const ms = images.map((image, i) => barePod(`p${i}`, {}, { image }));
    expect(hits('SS-K8S-030', ms)).toEqual([
      'Pod/p0 spec.containers[0].image: Image r.example/a:1.25 uses the tag 1.25, which may float: many images move a MAJOR.MINOR tag to each patch release '
        + '(for others it is the exact release); a digest pins it either way',
      'Pod/p1 spec.containers[0].image: Image r.example/a:stable uses the floating tag stable: a channel or variant name moves to each new release it stands for',
    ]);
  });

  test('SS-K8S-031 reads an unset pull policy as the API server sets it: Always for no tag or latest', () => {
    expect(hits('SS-K8S-031', [barePod('p', {}, { image: 'nginx' }), barePod('q', {}, { image: 'nginx:latest' })])).toEqual([]);
    expect(hits('SS-K8S-031', [barePod('p', {}, { image: 'nginx:1.27.0' })])).toEqual(['Pod/p spec.containers[0].imagePullPolicy: imagePullPolicy is not Always']);
  });

  test('SS-K8S-032 reports nothing until trusted registries are configured', () => {
    const ms = [barePod('p', {}, { image: 'docker.io/library/nginx:1.27.0' })];
    expect(hits('SS-K8S-032', ms)).toEqual([]);
    const configured = new KubernetesPack({ trustedRegistries: ['*.dkr.ecr.*.amazonaws.com'] });
    expect(hits('SS-K8S-032', ms, configured)).toEqual(['Pod/p spec.containers[0].image: Image registry docker.io is not trusted']);
  });
});

describe('probes and priority', () => {
  test('SS-K8S-034 accepts readiness alone when it is a TCP connect, not when it is an HTTP check', () => {
    expect(hits('SS-K8S-034', [barePod('proxy', {}, { readinessProbe: { tcpSocket: { port: 5432 } } })])).toEqual([]);
    expect(hits('SS-K8S-034', [barePod('web', {}, { readinessProbe: { httpGet: { path: '/readyz', port: 8080 } } })]))
      .toEqual(['Pod/web spec.containers[0].livenessProbe: Container has no liveness probe']);
  });

  test('SS-K8S-028 asks DaemonSets for a priority class, not Deployments', () => {
    const ms = goodManifests();
    delete pod(find(ms, 'Deployment', 'web')).priorityClassName;
    delete pod(find(ms, 'DaemonSet', 'agent')).priorityClassName;
    expect(hits('SS-K8S-028', ms)).toEqual(['DaemonSet/agent spec.template.spec.priorityClassName: DaemonSet pods have no priorityClassName']);
  });
});

describe('ReplicationController and OpenShift DeploymentConfig carry pod templates', () => {
  function dc(selector: any, labels: any): any {
    return {
      apiVersion: 'apps.openshift.io/v1',
      kind: 'DeploymentConfig',
      metadata: { name: 'app', namespace: 'shop' },
      spec: { replicas: 2, selector, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'r.example/c:1.0.0', securityContext: { privileged: true } }] } } },
    };
  }

  test('the pod rules look at their containers', () => {
    expect(hits('SS-K8S-001', [dc({ app: 'x' }, { app: 'x' })])).toEqual(['DeploymentConfig/app spec.template.spec.containers[0].securityContext.privileged: Container runs privileged']);
    const rc = { apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'rc', namespace: 'shop' }, spec: { template: { spec: { containers: [{ name: 'c', image: 'r.example/c:1.0.0', securityContext: { privileged: true } }] } } } };
    expect(hits('SS-K8S-001', [rc])).toHaveLength(1);
  });

  test('SS-K8S-066 reads their plain-map selector', () => {
    expect(hits('SS-K8S-066', [dc({ app: 'x' }, { app: 'x' })])).toEqual([]);
    expect(hits('SS-K8S-066', [dc({ app: 'x' }, {})])).toEqual(['DeploymentConfig/app spec.selector: spec.selector does not match the pod template labels']);
  });
});

describe('the other role rules leave the platform\'s own roles alone too', () => {
  test('SS-K8S-077, 080, 081, 082 and 084 skip system:, eks: and default ClusterRoles and report a team role', () => {
    const rules = [
      ALL,
      { apiGroups: [''], resources: ['secrets', 'pods'], verbs: ['get', 'create'] },
      { apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['escalate'] },
      { apiGroups: ['admissionregistration.k8s.io'], resources: ['mutatingwebhookconfigurations'], verbs: ['patch'] },
    ];
    const platform = [role('ClusterRole', 'system:controller:x', rules), role('ClusterRole', 'eks:addon-manager', rules), role('ClusterRole', 'admin', rules)];
    for (const id of ['SS-K8S-077', 'SS-K8S-080', 'SS-K8S-081', 'SS-K8S-082', 'SS-K8S-084']) {
      expect(hits(id, platform)).toEqual([]);
      expect(hits(id, [role('ClusterRole', 'team', rules)]).length).toBeGreaterThan(0);
    }
  });
});

describe('SS-K8S-049 a policy for the pods cert-manager creates during an HTTP-01 challenge', () => {
  const policy = (name: string, labels: { [k: string]: string }) => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: 'shop' },
    spec: { podSelector: { matchLabels: labels }, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 8089, protocol: 'TCP' }] }] },
  });

  test('is not reported (those pods never appear in an output); a policy selecting other absent pods still is', () => {
    const ms = [...goodManifests(), policy('web-acme-solver', { 'acme.cert-manager.io/http01-solver': 'true' }), policy('ghost', { app: 'ghost' })];
    expect(hits('SS-K8S-049', ms)).toEqual(['NetworkPolicy/ghost spec.podSelector: NetworkPolicy selects no pod in the output']);
  });

  test('nor is a policy for the proxy pods of a Gateway of the output (its implementation deploys them); one for a Gateway not in the output is', () => {
    // goodManifests holds Gateway shop/edge
    const ms = [...goodManifests(), policy('edge-gateway', { 'gateway.networking.k8s.io/gateway-name': 'edge' }), policy('other-gateway', { 'gateway.networking.k8s.io/gateway-name': 'other' })];
    expect(hits('SS-K8S-049', ms)).toEqual(['NetworkPolicy/other-gateway spec.podSelector: NetworkPolicy selects no pod in the output']);
  });
});

describe('SS-K8S-080 a rule limited by resourceNames', () => {
  test('reads only the Secrets it names: not reported; the same rule without resourceNames is', () => {
    const read = { apiGroups: [''], resources: ['secrets'], verbs: ['get'] };
    expect(hits('SS-K8S-080', [role('Role', 'named', [{ ...read, resourceNames: ['db-credentials'] }])])).toEqual([]);
    expect(hits('SS-K8S-080', [role('Role', 'any', [read])])).toEqual(['Role/any rules[0]: Role can read Secrets']);
  });
});

describe('SS-K8S-072 a Job a CronJob owns', () => {
  const job = (owners?: any[]) => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'report-29000000', namespace: 'shop', ...(owners ? { ownerReferences: owners } : {}) },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'r.example/c:1.0.0' }] } } },
  });

  test('is not standalone (the CronJob\'s history limits clean it up): not reported; an unowned Job without a TTL is', () => {
    expect(hits('SS-K8S-072', [job([{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'report', uid: 'u-1' }])])).toEqual([]);
    expect(hits('SS-K8S-072', [job()])).toEqual(['Job/report-29000000 spec.ttlSecondsAfterFinished: Job has no ttlSecondsAfterFinished: it and its pods stay after it finishes']);
  });
});

describe('SS-K8S-062 and SS-K8S-063 judge names and values as the constructs do', () => {
  const withEnv = (env: Array<{ name: string; value: string }>) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'shop' },
    spec: { containers: [{ name: 'c', image: 'r.example/c:1.0.0', env }] },
  });

  test('a name that says where or what the secret is is not reported; a credential value is, under any name', () => {
    const references = ['POSTGRES_PASSWORD_FILE', 'SECRET_NAME', 'DB_SECRET_ARN', 'TOKEN_URL', 'PASSWORD_MIN_LENGTH'].map(name => ({ name, value: 'x' }));
    expect(hits('SS-K8S-062', [withEnv(references)])).toEqual([]);
    const secrets = [{ name: 'API_KEY', value: 'abc' }, { name: 'CONFIG', value: 'AKIAIOSFODNN7EXAMPLE' }, { name: 'DATABASE_URL', value: 'postgres://app:hunter2@db/app' }];
    expect(hits('SS-K8S-062', [withEnv(secrets)])).toEqual([0, 1, 2].map(i => `Pod/p spec.containers[0].env[${i}].value: Environment variable ${secrets[i].name} holds a literal secret`));
  });

  test('a value that only references other variables ($(VAR), which Kubernetes expands, or a ${VAR} placeholder), or is a file path, is no literal', () => {
    const refs = [
      { name: 'PGPASSWORD', value: '$(PG_PASS)' }, { name: 'DB_PASSWORD', value: ' $(USER)$(PASS) ' }, { name: 'REDIS_PASSWORD', value: '${REDIS_PASSWORD}' },
      { name: 'TLS_PRIVATE_KEY', value: '/etc/tls/tls.key' },
    ];
    expect(hits('SS-K8S-062', [withEnv(refs)])).toEqual([]);
    // a reference beside literal text is still a literal
    expect(hits('SS-K8S-062', [withEnv([{ name: 'DB_PASSWORD', value: 'hunter2$(SUFFIX)' }])])).toEqual(['Pod/p spec.containers[0].env[0].value: Environment variable DB_PASSWORD holds a literal secret']);
  });

  test('a ConfigMap key naming a secret file is not reported; one holding a private key is', () => {
    const cm = (data: { [k: string]: string }) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'shop' }, data });
    expect(hits('SS-K8S-063', [cm({ tls_secret_name: 'web-tls', password_file: '/run/secrets/db' })])).toEqual([]);
    expect(hits('SS-K8S-063', [cm({ bootstrap: '---BEGIN OPENSSH PRIVATE KEY---\nxx' })])).toEqual(['ConfigMap/cm data["bootstrap"]: ConfigMap key bootstrap looks like a secret']);
  });
});

describe('SS-K8S-085 a PodDisruptionBudget that selects no pod', () => {
  const pdb = (name: string, selector: any) => ({
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name, namespace: NS },
    spec: { maxUnavailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow', ...(selector === undefined ? {} : { selector }) },
  });

  test('a selector matching no pod template of its namespace is reported; one matching a workload is not', () => {
    const ms = [...goodManifests(), pdb('ghost', { matchLabels: { app: 'ghost' } })];
    expect(hits('SS-K8S-085', ms)).toEqual(['PodDisruptionBudget/ghost spec.selector: PodDisruptionBudget selects no pod in the output']);
  });

  test('the same labels in another namespace do not count', () => {
    const web = find(goodManifests(), 'PodDisruptionBudget', 'web');
    const elsewhere = { ...pdb('web-elsewhere', web.spec.selector), metadata: { name: 'web-elsewhere', namespace: 'other' } };
    expect(hits('SS-K8S-085', [...goodManifests(), elsewhere])).toEqual(['PodDisruptionBudget/web-elsewhere spec.selector: PodDisruptionBudget selects no pod in the output']);
  });

  test('no selector selects nothing (reported, with its own message); an empty selector selects every pod (not reported)', () => {
    expect(hits('SS-K8S-085', [...goodManifests(), pdb('none', undefined), pdb('all', {})]))
      .toEqual(['PodDisruptionBudget/none spec.selector: PodDisruptionBudget has no selector: it selects no pod']);
  });

  test('matchExpressions are honoured', () => {
    const ms = goodManifests();
    const labels = find(ms, 'Deployment', 'web').spec.template.metadata.labels;
    const [k, v] = Object.entries(labels)[0] as [string, string];
    expect(hits('SS-K8S-085', [...ms, pdb('expr', { matchExpressions: [{ key: k, operator: 'In', values: [v] }] })])).toEqual([]);
    expect(hits('SS-K8S-085', [...ms, pdb('expr-miss', { matchExpressions: [{ key: k, operator: 'In', values: [`${v}-gone`] }] })]))
      .toEqual(['PodDisruptionBudget/expr-miss spec.selector: PodDisruptionBudget selects no pod in the output']);
  });
});

describe('third-party manifests: built-in roles, controller labels, an explicit token', () => {
  test('SS-K8S-079: a binding to the bootstrap Role kube-system/extension-apiserver-authentication-reader is not reported; the same name elsewhere is', () => {
    const reader = binding('RoleBinding', 'metrics-server-auth-reader', 'Role', 'extension-apiserver-authentication-reader', 'kube-system');
    expect(hits('SS-K8S-079', [reader])).toEqual([]);
    const elsewhere = binding('RoleBinding', 'x', 'Role', 'extension-apiserver-authentication-reader', 'shop');
    expect(hits('SS-K8S-079', [elsewhere])).toEqual([
      'RoleBinding/x roleRef.name: Binding grants Role extension-apiserver-authentication-reader, which is not in the output: nothing shows it does not allow exec into pods '
        + '(check the binding in one run with the files that define the role, or suppress here with a reason naming where the role is defined)',
    ]);
  });

  const sts = (name: string, extra: any = {}) => ({
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, namespace: 'shop' },
    spec: { serviceName: name, replicas: 3, selector: { matchLabels: { app: 'redis' } }, template: { metadata: { labels: { app: 'redis' } }, spec: { containers: [{ name: 'c', image: 'r/c:1' }] } }, ...extra },
  });
  const svc = (name: string, selector: any) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'shop' }, spec: { selector, ports: [{ port: 6379 }] } });

  test('SS-K8S-050: a Service per StatefulSet pod (statefulset.kubernetes.io/pod-name: <name>-<ordinal>) selects that pod', () => {
    expect(hits('SS-K8S-050', [sts('redis-server'), svc('announce-0', { 'app': 'redis', 'statefulset.kubernetes.io/pod-name': 'redis-server-0' })])).toEqual([]);
    expect(hits('SS-K8S-050', [sts('redis-server'), svc('by-index', { 'app': 'redis', 'apps.kubernetes.io/pod-index': '2' })])).toEqual([]);
  });

  test('SS-K8S-050: a pod name of another StatefulSet, a name without an ordinal, or a StatefulSet label on a Deployment\'s pods select nothing', () => {
    const deploy = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'redis-server', namespace: 'shop' }, spec: { selector: { matchLabels: { app: 'redis' } }, template: { metadata: { labels: { app: 'redis' } }, spec: { containers: [{ name: 'c', image: 'r/c:1' }] } } } };
    expect(hits('SS-K8S-050', [sts('redis-server'), svc('a', { 'app': 'redis', 'statefulset.kubernetes.io/pod-name': 'other-0' }), svc('b', { 'app': 'redis', 'statefulset.kubernetes.io/pod-name': 'redis-server-x' })]))
      .toEqual(['Service/a spec.selector: Service selects no pod in the output', 'Service/b spec.selector: Service selects no pod in the output']);
    expect(hits('SS-K8S-050', [deploy, svc('c', { 'app': 'redis', 'statefulset.kubernetes.io/pod-name': 'redis-server-0' })]))
      .toEqual(['Service/c spec.selector: Service selects no pod in the output']);
    expect(hits('SS-K8S-050', [deploy, svc('d', { 'app': 'redis', 'pod-template-hash': '5d9f7c' })])).toEqual([]);
  });

  test('SS-K8S-050: job-name selects the pods of the Job of that name', () => {
    const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate', namespace: 'shop' }, spec: { template: { metadata: { labels: { app: 'm' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'r/c:1' }] } } } };
    expect(hits('SS-K8S-050', [job, svc('j', { 'job-name': 'migrate' })])).toEqual([]);
    expect(hits('SS-K8S-050', [job, svc('k', { 'job-name': 'other' })])).toEqual(['Service/k spec.selector: Service selects no pod in the output']);
  });

  test('SS-K8S-057: an explicit automountServiceAccountToken: true is still reported, with a message that says it was asked for', () => {
    expect(hits('SS-K8S-057', [barePod('api', { automountServiceAccountToken: true })])).toEqual([
      'Pod/api spec.automountServiceAccountToken: Pod asks for a service account token (automountServiceAccountToken: true): anyone who gets into it can call the Kubernetes API as its ServiceAccount; suppress with a reason when it calls the API',
    ]);
    expect(hits('SS-K8S-057', [barePod('api')])).toEqual(['Pod/api spec.automountServiceAccountToken: Pod mounts a service account token without asking for it']);
  });
});

describe('security review: RBAC the platform\'s names do not excuse, and rights that amount to exec or impersonation', () => {
  const bindTo = (kind: string, name: string, roleKind: string, roleName: string, subjects: any[], namespace?: string) =>
    ({ ...binding(kind, name, roleKind, roleName, namespace), subjects });
  const APP_SA = { kind: 'ServiceAccount', name: 'api', namespace: 'shop' };

  test('SS-K8S-078: a ClusterRoleBinding named cluster-admin that hands cluster-admin to an app\'s ServiceAccount is reported; the cluster\'s own (system:masters) is not', () => {
    expect(hits('SS-K8S-078', [bindTo('ClusterRoleBinding', 'cluster-admin', 'ClusterRole', 'cluster-admin', [APP_SA])])).toEqual(['ClusterRoleBinding/cluster-admin roleRef.name: Binding grants cluster-admin']);
    expect(hits('SS-K8S-078', [bindTo('ClusterRoleBinding', 'cluster-admin', 'ClusterRole', 'cluster-admin', [{ kind: 'Group', name: 'system:masters', apiGroup: 'rbac.authorization.k8s.io' }])])).toEqual([]);
  });

  test('SS-K8S-078: a system: binding of a system: role with * to an app, or to everyone authenticated, is reported; to kube-system\'s own ServiceAccount it is not', () => {
    const r = role('ClusterRole', 'system:acme-helper', [ALL]);
    expect(hits('SS-K8S-078', [r, bindTo('ClusterRoleBinding', 'system:acme-helper', 'ClusterRole', 'system:acme-helper', [APP_SA])]))
      .toEqual(['ClusterRoleBinding/system:acme-helper roleRef.name: Binding grants ClusterRole system:acme-helper, whose rules[0] allows every verb on every resource: administrator rights']);
    expect(hits('SS-K8S-078', [r, bindTo('ClusterRoleBinding', 'system:acme-helper', 'ClusterRole', 'system:acme-helper', [{ kind: 'Group', name: 'system:authenticated' }])])).toHaveLength(1);
    expect(hits('SS-K8S-078', [r, bindTo('ClusterRoleBinding', 'system:acme-helper', 'ClusterRole', 'system:acme-helper', [{ kind: 'ServiceAccount', name: 'helper', namespace: 'kube-system' }])])).toEqual([]);
  });

  test('a ServiceAccount named as the user of its token is that ServiceAccount: a system: binding of cluster-admin to it is reported (078), as is one to default (083)', () => {
    const tokenUser = (ns: string, name: string) => ({ kind: 'User', name: `system:serviceaccount:${ns}:${name}`, apiGroup: 'rbac.authorization.k8s.io' });
    expect(hits('SS-K8S-078', [bindTo('ClusterRoleBinding', 'system:ci-deployer', 'ClusterRole', 'cluster-admin', [tokenUser('ci', 'deployer')])]))
      .toEqual(['ClusterRoleBinding/system:ci-deployer roleRef.name: Binding grants cluster-admin']);
    // kube-system's own ServiceAccounts stay the platform's, in either form
    expect(hits('SS-K8S-078', [bindTo('ClusterRoleBinding', 'system:ci-deployer', 'ClusterRole', 'cluster-admin', [tokenUser('kube-system', 'deployer')])])).toEqual([]);
    expect(hits('SS-K8S-083', [bindTo('RoleBinding', 'editors', 'ClusterRole', 'edit', [tokenUser('shop', 'default')], 'shop')]))
      .toEqual(['RoleBinding/editors subjects[0].name: Binding grants rights to the default ServiceAccount']);
    expect(hits('SS-K8S-083', [bindTo('RoleBinding', 'editors', 'ClusterRole', 'edit', [tokenUser('shop', 'api')], 'shop')])).toEqual([]);
  });

  test('SS-K8S-079: a role of the cluster\'s own components handed to an app is reported; the default roles add-ons bind are judged on what they allow', () => {
    expect(hits('SS-K8S-079', [
      bindTo('ClusterRoleBinding', 'ci-node', 'ClusterRole', 'system:node', [APP_SA]),
      bindTo('ClusterRoleBinding', 'ci-kubelet', 'ClusterRole', 'system:kubelet-api-admin', [APP_SA]),
    ])).toEqual([
      'ClusterRoleBinding/ci-node roleRef.name: Binding grants ClusterRole system:node, a role of the cluster\'s own components, to subjects[0], which is not one of them: '
        + 'nothing in the output shows what it allows (exec into pods, Secrets, tokens of other ServiceAccounts)',
      'ClusterRoleBinding/ci-kubelet roleRef.name: Binding grants the built-in ClusterRole system:kubelet-api-admin, which allows exec or attach into pods',
    ]);
    // the same role for the platform's own subjects, and the default roles add-ons bind their ServiceAccounts to
    expect(hits('SS-K8S-079', [
      bindTo('ClusterRoleBinding', 'nodes', 'ClusterRole', 'system:node', [{ kind: 'Group', name: 'system:nodes', apiGroup: 'rbac.authorization.k8s.io' }]),
      bindTo('ClusterRoleBinding', 'provisioner', 'ClusterRole', 'system:persistent-volume-provisioner', [APP_SA]),
      bindTo('ClusterRoleBinding', 'adapter', 'ClusterRole', 'system:auth-delegator', [APP_SA]),
    ])).toEqual([]);
  });

  test('SS-K8S-078: the default ClusterRole that holds escalate, handed to an app, is administrator rights', () => {
    expect(hits('SS-K8S-078', [bindTo('ClusterRoleBinding', 'agg', 'ClusterRole', 'system:controller:clusterrole-aggregation-controller', [APP_SA])]))
      .toEqual(['ClusterRoleBinding/agg roleRef.name: Binding grants the built-in ClusterRole system:controller:clusterrole-aggregation-controller, which allows escalate: administrator rights']);
  });

  test('SS-K8S-079: nodes/proxy is exec through the kubelet, for a role and for a binding to it', () => {
    const r = role('ClusterRole', 'node-debugger', [{ apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'] }]);
    expect(hits('SS-K8S-079', [r, bindTo('ClusterRoleBinding', 'debuggers', 'ClusterRole', 'node-debugger', [APP_SA])])).toEqual([
      'ClusterRole/node-debugger rules[0]: Role allows nodes/proxy, the kubelet\'s API: exec into any pod of a node',
      'ClusterRoleBinding/debuggers roleRef.name: Binding grants ClusterRole node-debugger, which allows nodes/proxy, the kubelet\'s API: exec into any pod of a node',
    ]);
    expect(hits('SS-K8S-079', [role('ClusterRole', 'metrics', [{ apiGroups: [''], resources: ['nodes/metrics', 'nodes/stats'], verbs: ['get'] }])])).toEqual([]);
  });

  test('SS-K8S-081: create on the workloads that run pods counts like create on pods; reading or patching them (a restart) does not', () => {
    expect(hits('SS-K8S-081', [role('Role', 'deployer', [{ apiGroups: ['apps'], resources: ['deployments', 'daemonsets'], verbs: ['get', 'create'] }, { apiGroups: ['batch'], resources: ['*'], verbs: ['*'] }], 'shop')]))
      .toEqual([
        'Role/deployer rules[0]: Role can create deployments, daemonsets, whose pods run as any ServiceAccount of the namespace',
        'Role/deployer rules[1]: Role can create jobs, cronjobs, whose pods run as any ServiceAccount of the namespace',
      ]);
    expect(hits('SS-K8S-081', [role('Role', 'operator', [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'patch'] }], 'shop')])).toEqual([]);
    expect(hits('SS-K8S-081', [role('Role', 'reader', [{ apiGroups: ['apps', 'batch'], resources: ['*'], verbs: ['get', 'list', 'watch'] }], 'shop')])).toEqual([]);
    expect(hits('SS-K8S-081', [role('Role', 'pods', [{ apiGroups: [''], resources: ['pods'], verbs: ['create'] }], 'shop')])).toEqual(['Role/pods rules[0]: Role can create pods']);
  });

  test('SS-K8S-082: create on serviceaccounts/token mints any ServiceAccount\'s token', () => {
    expect(hits('SS-K8S-082', [role('Role', 'minter', [{ apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] }], 'shop')]))
      .toEqual(['Role/minter rules[0].resources: Role can create tokens of ServiceAccounts (create on serviceaccounts/token): it acts as any ServiceAccount in its scope']);
    expect(hits('SS-K8S-082', [role('Role', 'sa-reader', [{ apiGroups: [''], resources: ['serviceaccounts'], verbs: ['get'] }], 'shop')])).toEqual([]);
  });

  test('SS-K8S-084: update or patch on namespaces can lower their Pod Security level', () => {
    expect(hits('SS-K8S-084', [role('ClusterRole', 'ns-admin', [{ apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'patch'] }])]))
      .toEqual(['ClusterRole/ns-admin rules[0]: Role can change namespaces, and so their Pod Security labels (a privileged level admits any pod)']);
    expect(hits('SS-K8S-084', [role('ClusterRole', 'ns-reader', [{ apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list'] }])])).toEqual([]);
  });

  test('SS-K8S-057: a projected API token mounted by hand undoes automountServiceAccountToken: false; a token for another audience does not', () => {
    const projected = (audience?: string) => ({ name: 'tok', projected: { sources: [{ serviceAccountToken: { path: 'token', ...(audience ? { audience } : {}) } }] } });
    expect(hits('SS-K8S-057', [barePod('api', { automountServiceAccountToken: false, volumes: [projected()] })])).toEqual([
      'Pod/api spec.volumes[0].projected.sources[0].serviceAccountToken: Pod mounts a projected service account token for the Kubernetes API (no audience), although automountServiceAccountToken is false: the pod can call the API as its ServiceAccount',
    ]);
    expect(hits('SS-K8S-057', [barePod('api', { automountServiceAccountToken: false, volumes: [projected('vault')] })])).toEqual([]);
  });
});

describe('security review: secrets by name, by shape, and inside a ConfigMap file', () => {
  const envPod = (env: Array<{ name: string; value: string }>) => barePod('api', {}, { env });

  test.each([
    ['DB_PASS', 'hunter2hunter2'], ['PGPASS', 'hunter2hunter2'], ['PASSPHRASE', 'correct horse'], ['ENCRYPTION_KEY', 'c2VjcmV0c2VjcmV0'],
    ['SESSION_KEY', 'abcdefabcdef'], ['JWT_SIGNING_KEY', 'c2lnbmluZ2tleQ=='], ['DB_PASSWORD_FILE', 'hunter2hunter2'],
  ])('SS-K8S-062: %s=<literal> is a secret by its name', (name, value) => {
    expect(hits('SS-K8S-062', [envPod([{ name, value }])])).toHaveLength(1);
  });

  test.each([
    ['BYPASS_CACHE', 'x1'], ['PASSTHROUGH_MODE', 'tcp'], ['DB_PASSWORD_FILE', '/run/secrets/db/password'], ['COMPASS_URL', 'https://c.example'],
    ['KEY_ID', 'k-1'], ['ENCRYPTION_KEY_ARN', 'arn:aws:kms:eu-west-1:123456789012:key/1'],
  ])('SS-K8S-062: %s=%s is not', (name, value) => {
    expect(hits('SS-K8S-062', [envPod([{ name, value }])])).toEqual([]);
  });

  test('SS-K8S-062: a bearer token or a JSON Web Token is a credential by its shape, whatever the name', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
    expect(hits('SS-K8S-062', [envPod([{ name: 'AUTH_HEADER', value: `Bearer ${jwt}` }, { name: 'UPSTREAM', value: 'Bearer abcdefghijklmnopqrstuvwxyz012345' }])])).toHaveLength(2);
    expect(hits('SS-K8S-062', [envPod([{ name: 'AUTH_HEADER', value: 'Bearer $(TOKEN)' }])])).toEqual([]);
  });

  test('SS-K8S-063: a ConfigMap file that sets a password to a literal is reported; one that reads it from the environment is not', () => {
    const cm = (data: any) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app', namespace: 'shop' }, data });
    expect(hits('SS-K8S-063', [cm({ 'application.properties': 'spring.datasource.url=jdbc:postgresql://db/app\nspring.datasource.password=hunter2hunter2\n' })]))
      .toEqual(['ConfigMap/app data["application.properties"]: ConfigMap key application.properties is a file that sets spring.datasource.password to a literal, which looks like a secret']);
    expect(hits('SS-K8S-063', [cm({ 'application.properties': 'spring.datasource.password=${DB_PASSWORD}\nspring.datasource.password-file=/run/secrets/db\n', 'app.yaml': 'password: ""\nmax-tokens: 10\n' })])).toEqual([]);
  });
});

describe('SS-K8S-088: rights for everyone', () => {
  const to = (subject: any, roleName = 'view', name = 'readers') => ({ ...binding('ClusterRoleBinding', name, 'ClusterRole', roleName), subjects: [subject] });

  test.each([
    [{ kind: 'Group', name: 'system:unauthenticated' }, 'every unauthenticated request (system:unauthenticated)'],
    [{ kind: 'User', name: 'system:anonymous' }, 'every anonymous request (system:anonymous)'],
    [{ kind: 'Group', name: 'system:authenticated' }, 'every authenticated user and ServiceAccount of the cluster (system:authenticated)'],
    [{ kind: 'Group', name: 'system:serviceaccounts:shop' }, 'every ServiceAccount of namespace shop (system:serviceaccounts:shop)'],
  ])('a binding to %j is an error', (subject, who) => {
    expect(hits('SS-K8S-088', [to(subject)])).toEqual([`ClusterRoleBinding/readers subjects[0].name: Binding grants ClusterRole view to ${who}`]);
  });

  test('the cluster\'s own defaults (system:discovery to system:authenticated) are not reported; a system: binding of a role of the output is', () => {
    expect(hits('SS-K8S-088', [to({ kind: 'Group', name: 'system:authenticated' }, 'system:discovery', 'system:discovery')])).toEqual([]);
    expect(hits('SS-K8S-088', [role('ClusterRole', 'system:helper', [ALL]), to({ kind: 'Group', name: 'system:authenticated' }, 'system:helper', 'system:helper')])).toHaveLength(1);
  });

  test('named users, groups and ServiceAccounts are not everyone', () => {
    expect(hits('SS-K8S-088', [to({ kind: 'Group', name: 'team-shop' }), to({ kind: 'ServiceAccount', name: 'api', namespace: 'shop' }, 'view', 'api'), to({ kind: 'Group', name: 'system:masters' }, 'view', 'm')])).toEqual([]);
  });
});

describe('SS-K8S-089: names the API accepts', () => {
  const obj = (kind: string, name: any, extra: any = {}) => ({ apiVersion: kind === 'Deployment' ? 'apps/v1' : kind === 'ClusterRole' ? RBAC : 'v1', kind, metadata: { name, namespace: 'shop', ...extra } });

  test.each([
    ['ConfigMap', 'Bad_Name', 'ConfigMap name "Bad_Name" must be at most 253 characters of lowercase letters, digits, "-" and ".", each dot-separated part starting and ending with a letter or digit'],
    ['Service', '1api', 'Service name "1api" must be at most 63 lowercase letters, digits and "-", starting with a letter and ending with a letter or digit'],
    ['Service', 'api.v1', 'Service name "api.v1" must be at most 63 lowercase letters, digits and "-", starting with a letter and ending with a letter or digit'],
    ['Namespace', 'a'.repeat(64), `Namespace name "${'a'.repeat(64)}" must be at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit`],
    ['ClusterRole', 'a/b', 'ClusterRole name "a/b" may not be "." or ".." or hold "/" or "%"'],
  ])('%s %s is refused', (kind, name, message) => {
    expect(hits('SS-K8S-089', [obj(kind, name)])).toEqual([`${kind}/${name} metadata.name: ${message}`]);
  });

  test('a CronJob name longer than 52, a missing name and a bad namespace are refused', () => {
    const long = 'a'.repeat(53);
    expect(hits('SS-K8S-089', [{ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: long, namespace: 'shop' } }]))
      .toEqual([`CronJob/${long} metadata.name: CronJob name "${long}" must be at most 52 characters (the Jobs it creates add 11)`]);
    expect(hits('SS-K8S-089', [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: 'shop' } }])).toEqual(['ConfigMap/undefined metadata.name: Object has no metadata.name (nor generateName)']);
    expect(hits('SS-K8S-089', [obj('ConfigMap', 'ok', { namespace: 'Shop' })])).toEqual(['ConfigMap/ok metadata.namespace: metadata.namespace "Shop" must be at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit']);
  });

  test('dotted names where the kind allows them, system: roles, generateName and custom resources are fine', () => {
    expect(hits('SS-K8S-089', [
      obj('ConfigMap', 'app.config-v2'), obj('ClusterRole', 'system:aggregate-to-admin'), obj('Deployment', 'web'),
      { apiVersion: 'batch/v1', kind: 'Job', metadata: { generateName: 'migrate-', namespace: 'shop' } },
      { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'My_Widget', namespace: 'shop' } },
    ])).toEqual([]);
  });
});

describe('SS-K8S-090: ConfigMap and Secret data the API accepts', () => {
  const cm = (data: any, extra: any = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'shop' }, data, ...extra });
  const secret = (extra: any) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'sec', namespace: 'shop' }, ...extra });

  test('unquoted YAML values in a ConfigMap are refused with the key and the value', () => {
    expect(hits('SS-K8S-090', [cm({ DEBUG: true, PORT: 8080, NAME: 'api' })])).toEqual([
      'ConfigMap/cfg data["DEBUG"]: ConfigMap key DEBUG has a boolean true under data; the API wants a string: quote it in YAML',
      'ConfigMap/cfg data["PORT"]: ConfigMap key PORT has a number 8080 under data; the API wants a string: quote it in YAML',
    ]);
  });

  test('an object value reads "an object"; an unquoted Helm {{ ... }} (parsed as a mapping) says to run helm template first', () => {
    const parsed = yaml.load('k: {{ .Values.x }}\nj: {{ .Values.y | quote }}\n') as object;
    expect(hits('SS-K8S-090', [cm({ ...parsed, nested: { a: 1 }, list: ['x'] })])).toEqual([
      'ConfigMap/cfg data["k"]: ConfigMap key k has an object {{ ... }} (an unquoted template, which YAML reads as a mapping) under data; '
        + 'the API wants a string; it looks like a Helm template ({{ ... }}): run `helm template` first and check the rendered output',
      'ConfigMap/cfg data["j"]: ConfigMap key j has an object {{ ... }} (an unquoted template, which YAML reads as a mapping) under data; '
        + 'the API wants a string; it looks like a Helm template ({{ ... }}): run `helm template` first and check the rendered output',
      'ConfigMap/cfg data["nested"]: ConfigMap key nested has an object {"a":1} under data; the API wants a string: quote it in YAML',
      'ConfigMap/cfg data["list"]: ConfigMap key list has a list ["x"] under data; the API wants a string: quote it in YAML',
    ]);
    // a reader that keeps the inner mapping's text as the key: shown as written
    expect(hits('SS-K8S-090', [cm({ k: { '{ .Values.x }': null } })])[0]).toContain('ConfigMap key k has an object {{ .Values.x }} (an unquoted template');
    // the whole data map templated
    expect(hits('SS-K8S-090', [cm(yaml.load('{{ toYaml .Values.config }}'))])).toEqual([
      'ConfigMap/cfg data: data is an object {{ ... }} (an unquoted template, which YAML reads as a mapping), not a map of keys to values; '
        + 'it looks like a Helm template ({{ ... }}): run `helm template` first and check the rendered output',
    ]);
  });

  test('bad keys, a key under both data and binaryData, and binaryData that is not base64 are refused', () => {
    expect(hits('SS-K8S-090', [cm({ 'app config': 'x', '..hidden': 'y' }, { binaryData: { 'app config': 'not base64!' } })])).toEqual([
      'ConfigMap/cfg data["app config"]: Key "app config" may hold only letters, digits, "-", "_" and "."',
      'ConfigMap/cfg data["..hidden"]: Key "..hidden" may not be "." or ".." or start with ".."',
      'ConfigMap/cfg binaryData["app config"]: Key "app config" may hold only letters, digits, "-", "_" and "."',
      'ConfigMap/cfg binaryData["app config"]: ConfigMap key app config under binaryData is not base64, which the API decodes it as (put plain text under data)',
      'ConfigMap/cfg binaryData["app config"]: Key app config is under both data and binaryData',
    ]);
  });

  test('a ConfigMap over 1 MiB is refused; one just under is not', () => {
    expect(hits('SS-K8S-090', [cm({ a: 'x'.repeat(1024 * 1024), b: 'y' })])).toEqual(['ConfigMap/cfg data: ConfigMap holds 1048577 bytes; the API accepts at most 1048576 (1 MiB)']);
    expect(hits('SS-K8S-090', [cm({ a: 'x'.repeat(1024 * 1024 - 1), b: 'y' })])).toEqual([]);
  });

  test('Secret data must be base64; plain text belongs under stringData', () => {
    expect(hits('SS-K8S-090', [secret({ data: { password: 'hunter 2', token: 42, ok: 'aHVudGVyMjI=', wrapped: 'aHVu\ndGVy' } })])).toEqual([
      'Secret/sec data["password"]: Secret key password under data is not base64, which the API decodes it as (put plain text under stringData)',
      'Secret/sec data["token"]: Secret key token has a number 42 under data; the API wants a base64 string (put plain text under stringData)',
    ]);
    expect(hits('SS-K8S-090', [secret({ stringData: { password: 'hunter22', retries: 3 } })])).toEqual([
      'Secret/sec stringData["retries"]: Secret key retries has a number 3 under stringData; the API wants a string: quote it in YAML',
    ]);
  });

  test('a typed Secret needs the keys of its type, from data or stringData', () => {
    expect(hits('SS-K8S-090', [secret({ type: 'kubernetes.io/tls', data: { 'tls.crt': 'Y2VydA==' } })])).toEqual([
      'Secret/sec type: Secret of type kubernetes.io/tls needs the keys tls.crt and tls.key (missing: tls.key)',
    ]);
    expect(hits('SS-K8S-090', [secret({ type: 'kubernetes.io/tls', data: { 'tls.crt': 'Y2VydA==' }, stringData: { 'tls.key': 'key' } })])).toEqual([]);
    expect(hits('SS-K8S-090', [secret({ type: 'kubernetes.io/basic-auth', stringData: {} })])).toEqual(['Secret/sec type: Secret of type kubernetes.io/basic-auth needs the key username or password']);
    expect(hits('SS-K8S-090', [secret({ type: 'kubernetes.io/service-account-token' })])).toEqual([
      'Secret/sec metadata.annotations: Secret of type kubernetes.io/service-account-token needs the annotation kubernetes.io/service-account.name (the ServiceAccount whose token it holds)',
    ]);
    expect(hits('SS-K8S-090', [secret({ type: 'Opaque', data: {} }), secret({ type: 'example.com/custom' })])).toEqual([]);
  });

  test('a Docker config Secret needs its config to be JSON, in data (base64) or stringData', () => {
    const docker = (extra: any) => secret({ type: 'kubernetes.io/dockerconfigjson', ...extra });
    expect(hits('SS-K8S-090', [docker({ stringData: { '.dockerconfigjson': '{"auths":{}}' } }), docker({ data: { '.dockerconfigjson': Buffer.from('{"auths":{}}').toString('base64') } })])).toEqual([]);
    expect(hits('SS-K8S-090', [docker({ stringData: { '.dockerconfigjson': 'auths: {}' } })]))
      .toEqual(['Secret/sec stringData[".dockerconfigjson"]: Secret of type kubernetes.io/dockerconfigjson needs .dockerconfigjson to be JSON (a Docker config); it is not']);
    expect(hits('SS-K8S-090', [docker({ data: { '.dockerconfigjson': Buffer.from('{oops').toString('base64') } })]))
      .toEqual(['Secret/sec data[".dockerconfigjson"]: Secret of type kubernetes.io/dockerconfigjson needs .dockerconfigjson to be JSON (a Docker config); it is not']);
  });

  test('empty values (null in YAML) and the secret size count decoded bytes', () => {
    expect(hits('SS-K8S-090', [cm({ EMPTY: null }), secret({ data: { EMPTY: null, big: Buffer.alloc(1024 * 1024).toString('base64') } })])).toEqual([]);
    expect(hits('SS-K8S-090', [secret({ data: { big: Buffer.alloc(1024 * 1024).toString('base64') }, stringData: { more: 'x' } })]))
      .toEqual(['Secret/sec data: Secret holds 1048577 bytes; the API accepts at most 1048576 (1 MiB)']);
  });
});

describe('SS-K8S-091: volumes and mounts the API accepts', () => {
  const withPod = (spec: any) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'shop' }, spec: { template: { spec } } });
  const P = 'spec.template.spec';

  test('a mount of a volume the pod does not list, two volumes of one name, two mounts at one path and bad subPaths are refused', () => {
    expect(hits('SS-K8S-091', [withPod({
      volumes: [{ name: 'tmp', emptyDir: {} }, { name: 'tmp', emptyDir: {} }, { name: 'data', persistentVolumeClaim: { claimName: 'data' } }],
      containers: [{
        name: 'app',
        volumeMounts: [
          { name: 'tmp', mountPath: '/tmp' },
          { name: 'cache', mountPath: '/cache' },
          { name: 'data', mountPath: '/tmp' },
          { name: 'data', mountPath: '/a', subPath: '../etc' },
          { name: 'data', mountPath: '/b', subPath: '/etc' },
          { name: 'data', mountPath: '/c', subPath: 'x', subPathExpr: '$(POD)' },
          { name: 'data' },
        ],
        volumeDevices: [{ name: 'disk', devicePath: '/dev/xvdb' }, { name: 'tmp', devicePath: '/dev/xvdc' }],
      }],
    })])).toEqual([
      `Deployment/api ${P}.volumes[1].name: Two volumes are named tmp`,
      `Deployment/api ${P}.containers[0].volumeMounts[1].name: Container app mounts volume "cache", which is not a volume of the pod`,
      `Deployment/api ${P}.containers[0].volumeMounts[2].mountPath: Container app mounts two volumes at /tmp`,
      `Deployment/api ${P}.containers[0].volumeMounts[3].subPath: subPath "../etc" must be a relative path inside the volume (no leading "/", no "..")`,
      `Deployment/api ${P}.containers[0].volumeMounts[4].subPath: subPath "/etc" must be a relative path inside the volume (no leading "/", no "..")`,
      `Deployment/api ${P}.containers[0].volumeMounts[5].subPathExpr: subPath and subPathExpr cannot both be set`,
      `Deployment/api ${P}.containers[0].volumeMounts[6].mountPath: Container app mounts volume data without a mountPath`,
      `Deployment/api ${P}.containers[0].volumeDevices[0].name: Container app uses volume "disk" as a device, which is not a volume of the pod`,
      `Deployment/api ${P}.containers[0].volumeDevices[1].name: Container app uses volume tmp as a device; only a persistentVolumeClaim or ephemeral volume can be one`,
    ]);
  });

  test('a volume name that is no DNS label, and a claim used as a device and a mount, or at a mount\'s path, are refused', () => {
    expect(hits('SS-K8S-091', [withPod({
      volumes: [{ name: 'My_Vol', emptyDir: {} }, { name: 'raw', persistentVolumeClaim: { claimName: 'raw' } }, { name: 'disk', persistentVolumeClaim: { claimName: 'disk' } }],
      containers: [{
        name: 'app',
        volumeMounts: [{ name: 'My_Vol', mountPath: '/tmp' }, { name: 'raw', mountPath: '/raw' }],
        volumeDevices: [{ name: 'raw', devicePath: '/dev/xvdb' }, { name: 'disk', devicePath: '/tmp' }, { name: 'disk', devicePath: '/dev/xvdc' }],
      }],
    })])).toEqual([
      `Deployment/api ${P}.volumes[0].name: Volume name "My_Vol" must be at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit`,
      `Deployment/api ${P}.containers[0].volumeDevices[0].name: Container app uses volume raw both as a device and as a mount`,
      `Deployment/api ${P}.containers[0].volumeDevices[1].devicePath: Container app has a mount and a device at /tmp`,
      `Deployment/api ${P}.containers[0].volumeDevices[2].name: Container app uses volume disk as a device twice`,
    ]);
  });

  test('a StatefulSet\'s volumeClaimTemplates are volumes of its pods (and may be devices); another kind has none', () => {
    const sts = (mounts: any[]) => ({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: 'shop' },
      spec: {
        volumeClaimTemplates: [
          { metadata: { name: 'data' }, spec: { resources: { requests: { storage: '1Gi' } } } },
          { metadata: { name: 'raw' }, spec: { volumeMode: 'Block', resources: { requests: { storage: '1Gi' } } } },
        ],
        template: { spec: { containers: [{ name: 'db', volumeMounts: mounts, volumeDevices: [{ name: 'raw', devicePath: '/dev/xvdb' }] }] } },
      },
    });
    expect(hits('SS-K8S-091', [sts([{ name: 'data', mountPath: '/data' }])])).toEqual([]);
    expect(hits('SS-K8S-091', [sts([{ name: 'logs', mountPath: '/logs' }])])).toEqual([`StatefulSet/db ${P}.containers[0].volumeMounts[0].name: Container db mounts volume "logs", which is not a volume of the pod`]);
    expect(hits('SS-K8S-091', [withPod({ containers: [{ name: 'db', volumeMounts: [{ name: 'data', mountPath: '/data' }] }] })]))
      .toEqual([`Deployment/api ${P}.containers[0].volumeMounts[0].name: Container db mounts volume "data", which is not a volume of the pod`]);
  });

  test('init and ephemeral containers mount the pod\'s volumes too; the same path in two containers and relative subPaths are fine', () => {
    expect(hits('SS-K8S-091', [withPod({
      volumes: [{ name: 'shared', emptyDir: {} }],
      initContainers: [{ name: 'init', volumeMounts: [{ name: 'shared', mountPath: '/work', subPath: 'a/b' }] }],
      containers: [{ name: 'app', volumeMounts: [{ name: 'shared', mountPath: '/work' }] }],
    })])).toEqual([]);
    expect(hits('SS-K8S-091', [{
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'shop' },
      spec: {
        containers: [{ name: 'app' }],
        ephemeralContainers: [{ name: 'debug', volumeMounts: [{ name: 'gone', mountPath: '/x' }] }],
      },
    }])).toEqual(['Pod/p spec.ephemeralContainers[0].volumeMounts[0].name: Container debug mounts volume "gone", which is not a volume of the pod']);
  });
});

describe('cdk8s-plus output', () => {
  test('SS-K8S-052: an empty externalIPs list (cdk8s-plus writes one on every Service) is no finding; a non-empty one is', () => {
    const svc = (externalIPs: any) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: 'shop' }, spec: { selector: { app: 'api' }, ports: [{ port: 80 }], externalIPs } });
    expect(hits('SS-K8S-052', [svc([])])).toEqual([]);
    expect(hits('SS-K8S-052', [svc(['203.0.113.7'])])).toEqual(['Service/api spec.externalIPs: Service sets externalIPs']);
  });
});

describe('SS-K8S-005 says which id is wrong and why', () => {
  test('a low id, an id only inherited from the pod, and no id at all read differently', () => {
    expect(hits('SS-K8S-005', [barePod('p', { securityContext: { runAsUser: 10001, runAsGroup: 100 } }, { securityContext: { runAsUser: 1000 } })])).toEqual([
      'Pod/p spec.securityContext.runAsGroup: Pod runAsGroup is 100, below 10001',
      'Pod/p spec.containers[0].securityContext.runAsUser: Container runAsUser is 1000, below 10001',
      'Pod/p spec.containers[0].securityContext.runAsGroup: Container runAsGroup is not set at container level (it inherits 100 from the pod, below 10001)',
    ]);
    expect(hits('SS-K8S-005', [barePod('p')])).toEqual([
      'Pod/p spec.containers[0].securityContext.runAsUser: Container runAsUser is not set, on the container or the pod (the image\'s user applies)',
      'Pod/p spec.containers[0].securityContext.runAsGroup: Container runAsGroup is not set, on the container or the pod (the image\'s user applies)',
    ]);
    expect(hits('SS-K8S-005', [barePod('p', { securityContext: { runAsUser: 10001, runAsGroup: 10001 } }, { securityContext: { runAsGroup: 10001 } })])).toEqual([
      'Pod/p spec.containers[0].securityContext.runAsUser: Container runAsUser is not set at container level (it inherits 10001 from the pod; scanners that read containers alone see none)',
    ]);
  });
});
