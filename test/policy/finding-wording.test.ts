import { KubernetesPack, PolicyEngine } from '../../lib/policy';
import { k8sDocument } from '../../lib/policy/runner';

// What a finding and its fix say must fit the case at hand: a gRPC probe is not told to probe a port by name, a
// schedule with values in range is not told to put them in range, NET_BIND_SERVICE advice is only an example, a
// missing Service is said to be missing, and a Namespace that enforces restricted is not said not to. The fixtures
// are written here.

const pack = new KubernetesPack();
const rule = (id: string) => pack.rules.find(r => r.id === id)!;

/** The findings of rule `id` on `ms`, as `<kind>/<name> <jsonPath>: <message>`, and their fixes. */
function check(id: string, ms: any[]): { hits: string[]; fixes: string[] } {
  const report = new PolicyEngine({ packs: [{ name: 'one', rules: [rule(id)] }] }).check(ms.map((m, i) => k8sDocument(m, `c/${m.kind}-${i}`)));
  const findings = report.findings.filter(f => f.ruleId === id);
  return { hits: findings.map(f => `${f.kind}/${f.name} ${f.jsonPath}: ${f.message}`), fixes: [...new Set(findings.map(f => f.fix))] };
}
const hits = (id: string, ms: any[]) => check(id, ms).hits;

/** A bare Pod with one container and the given container fields. */
function barePod(name: string, container: any = {}): any {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'shop' }, spec: { containers: [{ name: 'c', image: 'registry.example/c:1.0.0', ...container }] } };
}

describe('SS-K8S-036: the fix fits gRPC probes, whose port is a number', () => {
  const PROBE_FIX = 'declare the port in the container ports and probe that port: an httpGet or tcpSocket probe by its name (give the port one), '
    + 'a grpc probe by its number (the API refuses a name there)';

  test('a gRPC probe on an undeclared port is told to declare that number and keep probing it', () => {
    const r = check('SS-K8S-036', [barePod('api', { ports: [{ name: 'http', containerPort: 8080 }], readinessProbe: { grpc: { port: 9090 } } })]);
    expect(r.hits).toEqual([
      'Pod/api spec.containers[0].readinessProbe.grpc.port: Probe port 9090 is not a declared TCP container port; '
        + 'declare containerPort: 9090 (TCP) in the container ports and keep probing 9090: a gRPC probe takes the port number, not a name',
    ]);
    expect(r.fixes).toEqual([PROBE_FIX]);
  });

  test('httpGet and tcpSocket probes keep their message, and the fix still says to probe them by name', () => {
    const r = check('SS-K8S-036', [barePod('api', {
      ports: [{ name: 'http', containerPort: 8080 }],
      readinessProbe: { httpGet: { path: '/readyz', port: 8081 } },
      livenessProbe: { tcpSocket: { port: 8082 } },
    })]);
    expect(r.hits).toEqual([
      'Pod/api spec.containers[0].livenessProbe.tcpSocket.port: Probe port 8082 is not a declared TCP container port',
      'Pod/api spec.containers[0].readinessProbe.httpGet.port: Probe port 8081 is not a declared TCP container port',
    ]);
    expect(r.fixes).toEqual([PROBE_FIX]);
  });

  test('a gRPC probe on a declared port number passes', () => {
    expect(hits('SS-K8S-036', [barePod('api', { ports: [{ name: 'grpc', containerPort: 9090 }], readinessProbe: { grpc: { port: 9090 } } })])).toEqual([]);
  });
});

describe('SS-K8S-096: the fix covers a schedule whose days never occur in its months', () => {
  const cron = (schedule: string) => ({
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'nightly', namespace: 'shop' },
    spec: { schedule, jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'job', image: 'busybox:1.36.1' }] } } } } },
  });

  test('"0 0 31 2 *" is said never to run, and the fix names days that occur in the months as well as values in range', () => {
    const r = check('SS-K8S-096', [cron('0 0 31 2 *')]);
    expect(r.hits).toEqual([
      'CronJob/nightly spec.schedule: CronJob schedule "0 0 31 2 *" never runs: no day of month in "31" exists in the month(s) "2" '
        + '(February has at most 29 days; April, June, September and November have 30); '
        + "pick days the months have (for the last day of a month, run on day 1 of the next month, for example '0 3 1 3 *' instead of '0 3 30 2 *'), "
        + 'or name the months the day exists in',
    ]);
    expect(r.fixes).toEqual([
      'write 5 fields (minute hour day-of-month month day-of-week) with values in range and days of month that occur in the months named '
        + '(not 31 2: February has no 31st), or a descriptor such as @daily; set the time zone in spec.timeZone, as the tz database spells it (Europe/Berlin)',
    ]);
  });
});

describe('SS-K8S-008: the fix gives the NET_BIND_SERVICE advice only as an example', () => {
  const FIX = 'remove securityContext.capabilities.add and do the work without the capabilities it added '
    + '(for example, listen on a port of 1024 or more instead of adding NET_BIND_SERVICE); suppress with a reason when the container needs one';

  test('NET_ADMIN and SYS_ADMIN: the message names them, the fix is general', () => {
    const r = check('SS-K8S-008', [barePod('agent', { securityContext: { capabilities: { add: ['NET_ADMIN', 'SYS_ADMIN'] } } })]);
    expect(r.hits).toEqual(['Pod/agent spec.containers[0].securityContext.capabilities.add: Container adds capabilities NET_ADMIN, SYS_ADMIN']);
    expect(r.fixes).toEqual([FIX]);
  });

  test('NET_BIND_SERVICE: the same fix', () => {
    const r = check('SS-K8S-008', [barePod('web', { securityContext: { capabilities: { add: ['NET_BIND_SERVICE'] } } })]);
    expect(r.hits).toEqual(['Pod/web spec.containers[0].securityContext.capabilities.add: Container adds capabilities NET_BIND_SERVICE']);
    expect(r.fixes).toEqual([FIX]);
  });
});

describe('SS-K8S-056: the finding says whether the Service is missing, not headless, or does not select the pods', () => {
  const LABELS = { app: 'pg' };
  const sts = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'pg', namespace: 'shop' },
    spec: {
      serviceName: 'pg',
      replicas: 3,
      selector: { matchLabels: LABELS },
      template: { metadata: { labels: LABELS }, spec: { containers: [{ name: 'pg', image: 'registry.example/pg:16.2' }] } },
    },
  };
  const service = (spec: any, namespace = 'shop') => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'pg', namespace }, spec: { ports: [{ port: 5432 }], ...spec } });
  const AT = 'StatefulSet/pg spec.serviceName: Service pg, the StatefulSet\'s serviceName,';

  test('no Service pg: not in the output', () => {
    expect(hits('SS-K8S-056', [sts])).toEqual([`${AT} is not in the output`]);
    expect(hits('SS-K8S-056', [sts, service({ clusterIP: 'None', selector: LABELS }, 'other')])).toEqual([`${AT} is not in the output`]);
  });

  test('a Service pg without clusterIP: None: not headless, with its clusterIP', () => {
    expect(hits('SS-K8S-056', [sts, service({ selector: LABELS })])).toEqual([`${AT} is not headless (its clusterIP is unset, not None)`]);
    expect(hits('SS-K8S-056', [sts, service({ clusterIP: '10.96.0.20', selector: LABELS })])).toEqual([`${AT} is not headless (its clusterIP is "10.96.0.20", not None)`]);
  });

  test('a headless Service pg that does not select the pods: says so, with the selector and the pod labels', () => {
    expect(hits('SS-K8S-056', [sts, service({ clusterIP: 'None', selector: { app: 'postgres' } })]))
      .toEqual([`${AT} does not select the StatefulSet's pods (its selector is app=postgres; the pods are labelled app=pg)`]);
    expect(hits('SS-K8S-056', [sts, service({ clusterIP: 'None' })])).toEqual([`${AT} does not select the StatefulSet's pods (it has no selector)`]);
  });

  test('both: named together; a headless Service that selects the pods passes', () => {
    expect(hits('SS-K8S-056', [sts, service({})])).toEqual([`${AT} is not headless (its clusterIP is unset, not None) and does not select the StatefulSet's pods (it has no selector)`]);
    expect(hits('SS-K8S-056', [sts, service({ clusterIP: 'None', selector: LABELS })])).toEqual([]);
  });
});

describe('SS-K8S-073: the finding names only the Pod Security modes that fall short', () => {
  const ns = (labels: { [k: string]: string }) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels } });
  const P = 'pod-security.kubernetes.io';

  test('enforce restricted, no audit or warn: the Namespace is said to enforce it', () => {
    expect(hits('SS-K8S-073', [ns({ [`${P}/enforce`]: 'restricted' })])).toEqual([
      `Namespace/shop metadata.labels["${P}/audit"]: Namespace enforces the restricted Pod Security level but does not audit or warn at it: audit is unset, warn is unset`,
    ]);
    expect(hits('SS-K8S-073', [ns({ [`${P}/enforce`]: 'restricted', [`${P}/audit`]: 'restricted', [`${P}/warn`]: 'baseline' })])).toEqual([
      `Namespace/shop metadata.labels["${P}/warn"]: Namespace enforces the restricted Pod Security level but does not warn at it: warn is "baseline"`,
    ]);
  });

  test('enforce missing or weaker: said, with the other modes that fall short', () => {
    expect(hits('SS-K8S-073', [ns({ [`${P}/enforce`]: 'baseline', [`${P}/audit`]: 'restricted', [`${P}/warn`]: 'restricted' })])).toEqual([
      `Namespace/shop metadata.labels["${P}/enforce"]: Namespace does not enforce the restricted Pod Security level: enforce is "baseline"`,
    ]);
    expect(hits('SS-K8S-073', [ns({})])).toEqual([
      `Namespace/shop metadata.labels["${P}/enforce"]: Namespace does not enforce the restricted Pod Security level, and does not audit or warn at it: `
        + 'enforce is unset, audit is unset, warn is unset',
    ]);
  });
});
