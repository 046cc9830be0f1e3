import { Chart, Testing } from 'cdk8s';
import { Token } from 'cdktf';
import {
  App, EnvValue, HostAccess, HttpIngress, IngressTls, INetworkPeer, Job, KubernetesTarget, KubernetesVersion,
  NetworkPeer, NodeAgent, WebService, WebServiceProps,
} from '../../lib/k8s';
import { AmbassadorProxy, LogShipper, MetricsAdapter } from '../../lib/k8s/sidecars';
import { Policy } from '../../lib/policy';
import { expectError, quietly } from '../util/k8s';

// Values constructs used to accept, now refused through the shared validators of lib/core (issue 11, item 5),
// and the sharper messages of item 6.

const IMAGE = 'ghcr.io/acme/api:1.4.2';
const chart = () => new Chart(Testing.app(), 'shop', { namespace: 'shop' });
const web = (props: Partial<WebServiceProps> = {}, c = chart()) => new WebService(c, 'api', { image: IMAGE, ...props });
const KEY_RULE = "an optional DNS-subdomain prefix of at most 253 characters and '/', then a name of 1-63 characters of A-Z, a-z, 0-9, '-', '_' and '.', starting and ending with a letter or digit";

describe('label and annotation keys', () => {
  test('a workload label key "bad key!" is refused', () => {
    expectError(() => web({ labels: { 'bad key!': 'x' } }), `shop/api: labels ("bad key!") is not a valid label key: ${KEY_RULE}; use a key such as "bad-key"`);
  });

  test('a workload label value is still checked', () => {
    expectError(() => web({ labels: { team: 'a b' } }), /^shop\/api: labels\.team \("a b"\) must be a label value/);
  });

  test('valid prefixed keys are written', () => {
    const c = chart();
    web({ labels: { 'example.com/team': 'payments' }, podAnnotations: { 'example.com/owner': 'payments' } }, c);
    const d = c.toJson().find(o => o.kind === 'Deployment');
    expect(d.metadata.labels['example.com/team']).toBe('payments');
    expect(d.spec.template.metadata.annotations['example.com/owner']).toBe('payments');
  });

  test('addPodLabel refuses a bad key, a bad value, and a label the workload sets itself, naming the call', () => {
    const api = web();
    expectError(() => api.addPodLabel('bad key!', 'x'), `shop/api: addPodLabel key ("bad key!") is not a valid label key: ${KEY_RULE}; use a key such as "bad-key"`);
    expectError(() => api.addPodLabel('team', 'has space'), /^shop\/api: addPodLabel\("team"\) value \("has space"\) /);
    // the selector matches the instance label: a value of one's own would stop it matching the pods
    expectError(() => api.addPodLabel('app.kubernetes.io/instance', 'x'),
      'shop/api: addPodLabel("app.kubernetes.io/instance") ("x") is a label the workload sets itself (its name, part of its selector); set the workload\'s `name` instead');
    api.addPodLabel('example.com/team', 'payments');
  });

  test('a Terraform (cdktf) string token where a literal is checked is named as a token, not as a bad literal', () => {
    const bucket = Token.asString({ resolve: () => 'my-bucket' });
    expectError(() => web({ labels: { bucket } }), /^shop\/api: labels\.bucket \("\$\{TfToken\[TOKEN\.\d+\]\}"\) is an unresolved Terraform \(cdktf\) or CDK token, a value known only after deploy, which shipshape cannot check or write into the YAML; pass a literal known at synth \(labels\.bucket must be a label value/);
    expectError(() => web({ secretMounts: [{ secretName: bucket, mountPath: '/var/run/secrets/b' }] }), /is an unresolved Terraform \(cdktf\) or CDK token/);
  });

  test('podAnnotations, addPodAnnotation and serviceAccountAnnotations refuse bad keys', () => {
    expectError(() => web({ podAnnotations: { 'my note': 'x' } }), /^shop\/api: podAnnotations \("my note"\) is not a valid annotation key: .*; use a key such as "my-note"$/);
    expectError(() => web().addPodAnnotation('/x', 'y'), /^shop\/api: addPodAnnotation key \("\/x"\) is not a valid annotation key/);
    expectError(() => web({ serviceAccountAnnotations: { 'eks amazonaws com/role-arn': 'x' } }), /^shop\/api: serviceAccountAnnotations \("eks amazonaws com\/role-arn"\) is not a valid annotation key: .*; use a key such as "eks-amazonaws-com\/role-arn"$/);
  });

  test('Job annotations and HttpIngress annotations refuse bad keys', () => {
    expectError(() => new Job(chart(), 'migrate', { image: IMAGE, annotations: { 'argocd hook': 'PreSync' } }), /^shop\/migrate: annotations \("argocd hook"\) is not a valid annotation key/);
    const c = chart();
    const api = web({}, c);
    expectError(() => new HttpIngress(c, 'public', { rules: [{ host: 'shop.example.com', paths: [{ backend: api }] }], tls: IngressTls.secret('shop-tls'), annotations: { 'nginx ingress/x': 'y' } }),
      /^shop\/public: annotations \("nginx ingress\/x"\) is not a valid annotation key/);
  });

  test('NodeAgent: toleration key and effect, node selector key', () => {
    const agent = (props: any) => new NodeAgent(new Chart(Testing.app(), 'ops', { namespace: 'ops' }), 'agent', { image: IMAGE, ports: [{ name: 'metrics', port: 9100 }], ...props });
    expectError(() => agent({ tolerations: [{ key: 'bad key' }] }), `ops/agent: tolerations[0].key ("bad key") is not a valid taint key: ${KEY_RULE}; use a key such as "bad-key"`);
    expectError(() => agent({ tolerations: [{ key: 'gpu', effect: 'noschedule' }] }), 'ops/agent: tolerations[0].effect ("noschedule") must be NoSchedule, PreferNoSchedule or NoExecute; use "NoSchedule"');
    expectError(() => agent({ tolerations: [{ key: 'gpu', value: 'a b' }] }), /^ops\/agent: tolerations\[0\]\.value \("a b"\) must be a label value/);
    expectError(() => agent({ nodeSelector: { 'pool name': 'x' } }), /^ops\/agent: nodeSelector \("pool name"\) is not a valid label key/);
  });
});

describe('network peers', () => {
  test('NetworkPeer.cidr("10.0.0.0/33") is refused', () => {
    expectError(() => NetworkPeer.cidr('10.0.0.0/33'),
      'NetworkPeer.cidr: cidr ("10.0.0.0/33") has a prefix length above 32, the most an IPv4 CIDR allows; write an IPv4 CIDR such as "10.0.0.0/16" (prefix 0-32) or an IPv6 CIDR such as "fd00::/64" (prefix 0-128)');
  });

  test('NetworkPeer.cidr refuses host bits and exceptions outside the range; writes valid ones', () => {
    expectError(() => NetworkPeer.cidr('10.0.0.1/16'), 'NetworkPeer.cidr: cidr ("10.0.0.1/16") has bits set after the /16 prefix, so the range it means is unclear; write the network address: "10.0.0.0/16"');
    expectError(() => NetworkPeer.cidr('10.0.0.0/16', { except: ['10.1.0.0/24'] }), 'NetworkPeer.cidr: except[0] ("10.1.0.0/24") must be a range strictly inside 10.0.0.0/16 (same IP family, longer prefix); remove it, or name a part of 10.0.0.0/16');
    expectError(() => NetworkPeer.cidr('10.0.0.0/16', { except: ['10.0.0.0/40'] }), /^NetworkPeer\.cidr: except\[0\] \("10\.0\.0\.0\/40"\) has a prefix length above 32/);
    const c = chart();
    const api = web({}, c);
    api.allowTo(NetworkPeer.cidr('10.0.0.0/16', { except: ['10.0.3.0/24'], ports: [5432] }));
    api.allowTo(NetworkPeer.cidr('fd00:10::/64', { ports: [5432] }));
    const egress = c.toJson().find(o => o.kind === 'NetworkPolicy').spec.egress;
    expect(egress.slice(1).map((e: any) => e.to[0])).toEqual([{ ipBlock: { cidr: '10.0.0.0/16', except: ['10.0.3.0/24'] } }, { ipBlock: { cidr: 'fd00:10::/64' } }]);
  });

  test('NetworkPeer.namespace("Bad NS") is refused', () => {
    expectError(() => NetworkPeer.namespace('Bad NS'),
      'NetworkPeer.namespace: name ("Bad NS") must be an RFC 1123 DNS label: 1-63 characters of a-z, 0-9 and \'-\', starting and ending with a letter or digit; use a name such as "bad-ns"');
  });

  test('NetworkPeer.pods and ingressController check their namespace and labels', () => {
    expectError(() => NetworkPeer.pods('shop', { 'app name': 'db' }), /^NetworkPeer\.pods: labels \("app name"\) is not a valid label key/);
    expectError(() => NetworkPeer.pods('Shop', { app: 'db' }), /^NetworkPeer\.pods: namespace \("Shop"\) must be an RFC 1123 DNS label/);
    expectError(() => NetworkPeer.ingressController('ingress_nginx', { app: 'x' }), /^NetworkPeer\.ingressController: namespace \("ingress_nginx"\) must be an RFC 1123 DNS label/);
  });

  test('a peer of your own making is checked when it is used', () => {
    const custom: INetworkPeer = { toNetworkPeer: () => ({ description: 'legacy office', cidr: '192.168.0.0/33' }) };
    expectError(() => web().allowFrom(custom), /^shop\/api: allowFrom\.cidr \("192\.168\.0\.0\/33"\) has a prefix length above 32/);
    const ns: INetworkPeer = { toNetworkPeer: () => ({ description: 'team', namespace: 'Team A' }) };
    expectError(() => web().allowTo(ns), /^shop\/api: allowTo\.namespace \("Team A"\) must be an RFC 1123 DNS label/);
  });
});

describe('environment variables', () => {
  test('EnvValue.fromFieldPath("metadata.bogus") is refused', () => {
    expectError(() => EnvValue.fromFieldPath('metadata.bogus'),
      'EnvValue.fromFieldPath: fieldPath ("metadata.bogus") is not a pod field the downward API gives an environment variable: metadata.name, metadata.namespace, '
      + "metadata.uid, spec.nodeName, spec.serviceAccountName, status.hostIP, status.hostIPs, status.podIP, status.podIPs, metadata.labels['<key>'] or metadata.annotations['<key>']; use \"metadata.name\"");
  });

  test('fromFieldPath writes a fieldRef; a single label by key', () => {
    const c = chart();
    web({ env: { POD_NAME: EnvValue.fromFieldPath('metadata.name'), TEAM: EnvValue.fromFieldPath("metadata.labels['example.com/team']") } }, c);
    const env = c.toJson().find(o => o.kind === 'Deployment').spec.template.spec.containers[0].env;
    expect(env).toEqual([
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'TEAM', valueFrom: { fieldRef: { fieldPath: "metadata.labels['example.com/team']" } } },
    ]);
  });

  test('status.hostIPs needs Kubernetes 1.29', () => {
    expectError(() => web({ env: { HOST_IPS: EnvValue.fromFieldPath('status.hostIPs') } }),
      'shop/api: env.HOST_IPS.fieldPath ("status.hostIPs") needs Kubernetes 1.29 or newer (PodHostIPs), and the chart targets 1.27; use "status.hostIP", or target 1.29+ with KubernetesTarget.set(chart, KubernetesVersion.V1_29)');
    const c = chart();
    KubernetesTarget.set(c, KubernetesVersion.V1_30);
    web({ env: { HOST_IPS: EnvValue.fromFieldPath('status.hostIPs') } }, c);
    expect(c.toJson().find(o => o.kind === 'Deployment').spec.template.spec.containers[0].env[0].valueFrom.fieldRef.fieldPath).toBe('status.hostIPs');
  });

  test('an AWS access key id under a neutral name is refused by its shape', () => {
    expectError(() => web({ env: { CONFIG: EnvValue.fromValue('AKIAIOSFODNN7EXAMPLE') } }),
      "shop/api: env.CONFIG (\"<redacted>\") looks like a plaintext secret (it holds an AWS access key id), which would be readable by anyone who can read the manifest (rule SS-K8S-062); store it in a Secret and mount it with secretMounts: [{ secretName: '...', mountPath: '/var/run/secrets/api' }]");
  });

  test('other credential shapes too, and names that say secret as before', () => {
    expectError(() => web({ env: { SETTINGS: EnvValue.fromValue(`ghp_${'Ab12'.repeat(9)}`) } }), /env\.SETTINGS \("<redacted>"\) looks like a plaintext secret \(it holds a GitHub token\)/);
    expectError(() => web({ env: { NOTIFY: EnvValue.fromValue('xoxb-123456789012-abcdefABCDEF') } }), /env\.NOTIFY \("<redacted>"\) looks like a plaintext secret \(it holds a Slack token\)/);
    expectError(() => web({ env: { KEY: EnvValue.fromValue('-----BEGIN RSA PRIVATE KEY-----\nMIIE') } }), /env\.KEY \("<redacted>"\) looks like a plaintext secret \(it holds a private key\)/);
    expectError(() => web({ env: { DB_PASSWORD: EnvValue.fromValue('hunter2') } }), /env\.DB_PASSWORD \("<redacted>"\) looks like a plaintext secret \(its name says it is a secret\)/);
    expect(() => web({ env: { REGION: EnvValue.fromValue('eu-west-1') } })).not.toThrow();
  });

  test('a name that says where or what the secret is is not a secret; a URL with a password is one, whatever its name', () => {
    for (const [name, value] of [
      ['POSTGRES_PASSWORD_FILE', '/run/secrets/pg/password'], ['SECRET_NAME', 'pg-credentials'], ['DB_SECRET_ARN', 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:db'],
      ['TOKEN_URL', 'https://auth.example.com/oauth/token'], ['PASSWORD_MIN_LENGTH', '12'], ['DATABASE_URL', 'postgres://app:$(DB_PASSWORD)@db:5432/app'],
    ]) {
      expect(() => web({ env: { [name]: EnvValue.fromValue(value) } })).not.toThrow();
    }
    expectError(() => web({ env: { DATABASE_URL: EnvValue.fromValue('postgres://app:hunter2@db:5432/app') } }),
      /env\.DATABASE_URL \("<redacted>"\) looks like a plaintext secret \(it holds a URL with a password\)/);
    expectError(() => web({ env: { TOKEN_URL: EnvValue.fromValue('https://user:s3cr3t@auth.example.com/token') } }), /it holds a URL with a password/);
    expectError(() => web({ env: { DB_PASSWORD_SALT: EnvValue.fromValue('pepper') } }), /env\.DB_PASSWORD_SALT .*its name says it is a secret/);
  });

  test('a sidecar env value is checked by the same detector', () => {
    const api = web();
    expectError(() => api.addSidecar(new AmbassadorProxy({
      image: 'envoyproxy/envoy:v1.31.2', listenPort: 15432, upstream: NetworkPeer.cidr('10.0.32.0/20', { ports: [5432] }), env: { UPSTREAM: 'AKIAIOSFODNN7EXAMPLE' },
    })), /^shop\/api: sidecars\.ambassador\.env\.UPSTREAM \("<redacted>"\) looks like a plaintext secret \(it holds an AWS access key id\)/);
  });
});

describe('sharper messages', () => {
  test('a NaN port is shown as NaN, not null', () => {
    expectError(() => web({ port: NaN }), /^shop\/api: port \(NaN\) must be/);
  });

  test('the latest-image refusal names the real prop, allowLatestImage', () => {
    expectError(() => web({ image: 'nginx' }), 'shop/api: image ("nginx") has no tag and no digest, so it means "latest" (rule SS-K8S-029); pin a version tag such as ":1.4.2" (and ideally a digest), or, for a throw-away environment, set allowLatestImage: true and accept rule SS-K8S-029 with a reason: policy.Policy.suppress(<this construct>, \'SS-K8S-029\', \'<why>\')');
  });

  test('the hostPath refusal names the path and the exact suppression call', () => {
    const app = new App({ outdir: '/nonexistent-shipshape-test' });
    const ops = new Chart(app, 'ops', { namespace: 'ops' });
    new NodeAgent(ops, 'agent', {
      image: IMAGE,
      ports: [{ name: 'metrics', port: 9100 }],
      hostAccess: [HostAccess.hostPath({ path: '/var/log', reason: 'reads the node logs to ship them' })],
    });
    expect(() => app.synthYaml()).toThrow(
      'ops/agent: hostAccess[0].path ("/var/log") mounts a directory of the node, which the policy refuses (SS-K8S-011) unless it is accepted with a reason; '
      + 'if the agent needs /var/log, accept it with policy.Policy.suppress(agent, \'SS-K8S-011\', "reads the node logs to ship them") (agent being the NodeAgent ops/agent)');
  });

  test('every host access the policy refuses is named in one round, each with its calls; once they are made, synth passes', () => {
    const build = (suppress: boolean) => {
      const app = new App({ outdir: '/nonexistent-shipshape-test' });
      const ops = new Chart(app, 'ops', { namespace: 'ops' });
      const agent = new NodeAgent(ops, 'agent', {
        image: IMAGE,
        ports: [{ name: 'metrics', port: 9100 }],
        hostAccess: [
          HostAccess.hostNetwork('scrapes the node exporters on the node network'),
          HostAccess.hostPid('reads per-process statistics of the node'),
          HostAccess.capability('SYS_PTRACE', 'reads other processes\' memory maps'),
          HostAccess.hostPath({ path: '/proc', reason: 'reads the node process table' }),
        ],
      });
      agent.allowFrom(NetworkPeer.pods('monitoring', { 'app.kubernetes.io/name': 'prometheus' }));
      if (suppress) {
        Policy.suppress(agent, 'SS-K8S-010', 'hostNetwork and hostPID: reads the node network and processes');
        Policy.suppress(agent, 'SS-K8S-008', 'SYS_PTRACE: reads other processes\' memory maps');
        Policy.suppress(agent, 'SS-K8S-011', 'reads the node process table');
      }
      return app;
    };
    let msg = '';
    try {
      quietly(() => build(false).synthYaml());
    } catch (e: any) {
      msg = e.message;
    }
    expect(msg).toContain('ops/agent: hostAccess[0] (hostNetwork) shares a namespace of the node, which the policy refuses (SS-K8S-010) unless it is accepted with a reason; '
      + 'if the agent needs hostNetwork, accept it with policy.Policy.suppress(agent, \'SS-K8S-010\', "scrapes the node exporters on the node network") (agent being the NodeAgent ops/agent)');
    expect(msg).toContain('ops/agent: hostAccess[1] (hostPID) shares a namespace of the node, which the policy refuses (SS-K8S-010)');
    expect(msg).toContain('ops/agent: hostAccess[2].name ("SYS_PTRACE") adds a Linux capability, which the policy refuses (SS-K8S-008) unless it is accepted with a reason; '
      + 'if the agent needs SYS_PTRACE, accept it with policy.Policy.suppress(agent, \'SS-K8S-008\', "reads other processes\' memory maps")');
    expect(msg).toContain('ops/agent: hostAccess[3].path ("/proc") mounts a directory of the node, which the policy refuses (SS-K8S-011)');
    expect(quietly(() => build(true).synthYaml())).toContain('hostPID: true');
  });

  test('once accepted (or when the policy is off) the hostPath passes', () => {
    const build = (policy: boolean, suppress: string[]) => {
      const app = new App({ outdir: '/nonexistent-shipshape-test', policy });
      const ops = new Chart(app, 'ops', { namespace: 'ops' });
      const agent = new NodeAgent(ops, 'agent', {
        image: IMAGE,
        ports: [{ name: 'metrics', port: 9100 }],
        hostAccess: [HostAccess.hostPath({ path: '/var/log', reason: 'reads the node logs to ship them' })],
      });
      agent.allowFrom(NetworkPeer.pods('monitoring', { 'app.kubernetes.io/name': 'prometheus' }));
      for (const id of suppress) Policy.suppress(agent, id, 'reads the node logs to ship them');
      return app;
    };
    expect(() => build(true, []).synthYaml()).toThrow(/which the policy refuses \(SS-K8S-011\) unless.*accept it with policy\.Policy\.suppress\(agent, 'SS-K8S-011', "reads the node logs to ship them"\) \(agent/);
    expect(build(true, ['SS-K8S-011']).synthYaml()).toContain('hostPath');
    expect(build(false, []).synthYaml()).toContain('hostPath');
  });
});

describe('a workload never takes over the namespace\'s own ServiceAccount "default"', () => {
  test('the default name from a construct id "Default" (the CDK habit for a wrapped construct) is refused, naming the id', () => {
    expectError(() => new WebService(chart(), 'Default', { image: IMAGE }),
      'shop/Default: name ("default") names the workload\'s ServiceAccount "default", the ServiceAccount every namespace already has: applying the output would '
      + 'take it over and change what every pod without its own ServiceAccount runs as; pass name, or give the construct another id than "Default" (the name defaults to the id in kebab case)');
  });

  test('name "default" given explicitly is refused, and the fix offers another name or a serviceAccountName (not another id)', () => {
    expectError(() => web({ name: 'default' }),
      'shop/api: name ("default") names the workload\'s ServiceAccount "default", the ServiceAccount every namespace already has: applying the output would '
      + 'take it over and change what every pod without its own ServiceAccount runs as; pass another name, or keep this one and pass serviceAccountName (for example "default-app")');
  });

  test('serviceAccountName "default" is refused; a workload named default with its own ServiceAccount name is fine', () => {
    expectError(() => web({ serviceAccountName: 'default' }), /^shop\/api: serviceAccountName \("default"\) names the workload's ServiceAccount "default"/);
    const c = chart();
    web({ name: 'default', serviceAccountName: 'default-app' }, c);
    expect(c.toJson().find(o => o.kind === 'ServiceAccount').metadata.name).toBe('default-app');
  });
});

describe('props the API or the scheduler would refuse later', () => {
  test.each([
    ['app.kubernetes.io/name', 'its name, part of its selector', "set the workload's `name` instead"],
    ['app.kubernetes.io/instance', 'its name, part of its selector', "set the workload's `name` instead"],
    ['app.kubernetes.io/version', 'from the image tag, or the `version` prop', 'set the `version` prop instead'],
    ['app.kubernetes.io/part-of', 'from the `partOf` prop', 'set the `partOf` prop instead'],
    ['app.kubernetes.io/managed-by', 'always shipshape', 'leave it out'],
  ])('labels may not set %s, which the workload writes itself', (key, why, fix) => {
    expectError(() => web({ labels: { [key]: 'other' } }), `shop/api: labels["${key}"] ("other") is a label the workload sets itself (${why}); ${fix}`);
  });

  test('labels under other app.kubernetes.io keys are written', () => {
    const c = chart();
    web({ labels: { 'app.kubernetes.io/team': 'payments' } }, c);
    expect(c.toJson().find(o => o.kind === 'Deployment').metadata.labels['app.kubernetes.io/team']).toBe('payments');
  });

  test('priorityClassName must be a DNS subdomain', () => {
    expectError(() => web({ priorityClassName: 'High Priority' }), /^shop\/api: priorityClassName \("High Priority"\) must be an RFC 1123 DNS subdomain/);
  });

  test('a valid priorityClassName is written', () => {
    const c = chart();
    web({ priorityClassName: 'business-critical' }, c);
    expect(c.toJson().find(o => o.kind === 'Deployment').spec.template.spec.priorityClassName).toBe('business-critical');
  });

  test('imageArchitectures takes the values nodes report, and names the one meant', () => {
    expectError(() => web({ imageArchitectures: ['x86_64'] }),
      'shop/api: imageArchitectures ("x86_64") is not a CPU architecture nodes report in kubernetes.io/arch (amd64, arm64, arm, ppc64le, s390x, 386, riscv64): '
      + 'the pods would wait for a node that never comes; write "amd64" (Go\'s architecture names, as `docker buildx` platforms use them)');
    expectError(() => web({ imageArchitectures: ['amd64', 'aarch64'] }), /imageArchitectures \("aarch64"\) .*; write "arm64"/);
    expectError(() => web({ imageArchitectures: ['arm65'] }), /imageArchitectures \("arm65"\) .*; write "arm64"/);
  });

  test('one declared architecture becomes the node selector', () => {
    const c = chart();
    web({ imageArchitectures: ['arm64'] }, c);
    expect(c.toJson().find(o => o.kind === 'Deployment').spec.template.spec.nodeSelector).toEqual({ 'kubernetes.io/arch': 'arm64' });
  });

  test('a memory amount without a unit is bytes, and refused below 4Mi with the unit suggested', () => {
    expectError(() => web({ resources: { memory: '512' } }),
      'shop/api: resources.memory ("512") is 512 bytes, below 4Mi: no container starts in that little memory; add the unit: "512Mi" (a number without a unit counts bytes)');
    expectError(() => web({ resources: { memory: '256Mi', memoryLimit: '1k' } }),
      'shop/api: resources.memoryLimit ("1k") is 1000 bytes, below 4Mi: no container starts in that little memory; give it 4Mi or more');
  });

  test('memory given in bytes is accepted from 4Mi up', () => {
    const c = chart();
    web({ resources: { memory: String(4 * 1024 * 1024) } }, c);
    expect(c.toJson().find(o => o.kind === 'Deployment').spec.template.spec.containers[0].resources.requests.memory).toBe('4Mi');
  });

  test('a sidecar port may not take the name of a port of the pod', () => {
    const api = web();
    expectError(() => api.addSidecar(new MetricsAdapter({ image: 'prom/statsd-exporter:v0.28.0', portName: 'http' })),
      'shop/api: sidecars.metrics-adapter.portName ("http") is already the name of a port in this pod (a port of the app container): a Service targetPort or probe port '
      + 'of that name would reach whichever container lists it first; set sidecars.metrics-adapter.portName to another name, or rename a port of the app container (portName)');
  });

  test('a LogShipper port named like another sidecar\'s: the fix names the prop that can change (the log shipper fixes its own name)', () => {
    const api = web();
    api.addSidecar(new MetricsAdapter({ image: 'prom/statsd-exporter:v0.28.0', portName: 'log-http' }));
    expectError(() => api.addSidecar(new LogShipper({ logDirectory: '/var/log/app' })),
      'shop/api: sidecars.log-shipper.port ("log-http") is already the name of a port in this pod (a port of sidecar metrics-adapter): a Service targetPort or probe port '
      + 'of that name would reach whichever container lists it first; rename a port of sidecar metrics-adapter (sidecars.metrics-adapter.portName)');
  });
});
