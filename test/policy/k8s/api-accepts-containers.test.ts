// SS-K8S-097 (containers), SS-K8S-098 (update strategies), SS-K8S-099 (selectors), SS-K8S-100 (numbers and booleans), and the SS-K8S-053 (ports) cases the API server refuses,
// on manifests written by hand.
import { PolicyEngine } from '../../../lib/policy/engine';
import { KubernetesPack } from '../../../lib/policy/k8s/kubernetes-pack';
import { compareQuantities, isWholeQuantity, nonZeroQuantity, parseQuantity, quantityValue } from '../../../lib/policy/k8s/quantity';
import { k8sDocument } from '../../../lib/policy/runner';

function hits(ruleId: string, manifests: any[]): string[] {
  const engine = new PolicyEngine({ packs: [new KubernetesPack()] });
  const report = engine._check(manifests.map((m, i) => k8sDocument(m, `doc${i}`)), [], []);
  return report.findings.filter(f => f.ruleId === ruleId).map(f => `${f.kind}/${f.name} ${f.jsonPath}: ${f.message}`);
}

const C = 'spec.template.spec.containers';

const deployment = (name: string, podSpec: any, spec: any = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'shop' },
  spec: { selector: { matchLabels: { app: name } }, ...spec, template: { metadata: { labels: { app: name } }, spec: podSpec } },
});

const ctr = (name: string | undefined, resources?: any, more: any = {}) => ({
  ...(name === undefined ? {} : { name }),
  image: 'registry.example.com/app:1.2.3',
  ...(resources === undefined ? {} : { resources }),
  ...more,
});

describe('SS-K8S-097 container names the API server accepts', () => {
  test('distinct DNS-label names across containers, initContainers and ephemeralContainers pass', () => {
    expect(hits('SS-K8S-097', [deployment('web', {
      containers: [ctr('app'), ctr('proxy-1')], initContainers: [ctr('migrate')], ephemeralContainers: [ctr('debug')],
    })])).toEqual([]);
  });

  test('two containers of one name, also an init or ephemeral one, are refused at the second one\'s name', () => {
    expect(hits('SS-K8S-097', [deployment('web', {
      containers: [ctr('app'), ctr('app')], initContainers: [ctr('app')], ephemeralContainers: [ctr('proxy'), ctr('proxy')],
    })])).toEqual([
      `Deployment/web ${C}[1].name: Two containers are named app: the API requires names unique across containers, initContainers and ephemeralContainers`,
      'Deployment/web spec.template.spec.initContainers[0].name: Two containers are named app: the API requires names unique across containers, initContainers and ephemeralContainers',
      'Deployment/web spec.template.spec.ephemeralContainers[1].name: Two containers are named proxy: the API requires names unique across containers, initContainers and ephemeralContainers',
    ]);
  });

  test('a container without a name, or with one that is not a DNS label, is refused', () => {
    expect(hits('SS-K8S-097', [deployment('web', { containers: [ctr(undefined), ctr(''), ctr('App'), ctr('web_server'), ctr('a'.repeat(64))] })])).toEqual([
      `Deployment/web ${C}[0].name: Container has no name, which the API requires`,
      `Deployment/web ${C}[1].name: Container has no name, which the API requires`,
      `Deployment/web ${C}[2].name: Container name "App" must be at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit`,
      `Deployment/web ${C}[3].name: Container name "web_server" must be at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit`,
      `Deployment/web ${C}[4].name: Container name "${'a'.repeat(64)}" must be at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit`,
    ]);
  });

  test('a CronJob\'s and a Pod\'s containers are checked at their own paths', () => {
    const cron = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'nightly', namespace: 'shop' },
      spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [ctr('job'), ctr('job')] } } } } },
    };
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'one', namespace: 'shop' }, spec: { containers: [ctr('Job')] } };
    expect(hits('SS-K8S-097', [cron, pod])).toEqual([
      'CronJob/nightly spec.jobTemplate.spec.template.spec.containers[1].name: Two containers are named job: the API requires names unique across containers, initContainers and ephemeralContainers',
      'Pod/one spec.containers[0].name: Container name "Job" must be at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit',
    ]);
  });

  test('identical pods share one result, each reported at its own object', () => {
    const spec = () => ({ containers: [ctr('app'), ctr('app')] });
    expect(hits('SS-K8S-097', [deployment('a', spec()), deployment('b', spec())])).toEqual([
      `Deployment/a ${C}[1].name: Two containers are named app: the API requires names unique across containers, initContainers and ephemeralContainers`,
      `Deployment/b ${C}[1].name: Two containers are named app: the API requires names unique across containers, initContainers and ephemeralContainers`,
    ]);
  });
});

describe('SS-K8S-097 images, policies, probes and hooks the API server accepts', () => {
  const one = (more: any, init?: any) => hits('SS-K8S-097', [deployment('web', { containers: [ctr('app', undefined, more)], ...(init ? { initContainers: [init] } : {}) })]);
  const http = { httpGet: { path: '/healthz', port: 8080 } };

  test('the policies as spelled, one handler per probe and hook, and probes on a sidecar init container pass', () => {
    expect(one({
      imagePullPolicy: 'IfNotPresent',
      terminationMessagePolicy: 'FallbackToLogsOnError',
      livenessProbe: http,
      readinessProbe: { tcpSocket: { port: 8080 } },
      startupProbe: { grpc: { port: 9090 } },
      lifecycle: { preStop: { sleep: { seconds: 5 } }, postStart: { exec: { command: ['true'] } } },
    }, ctr('proxy', undefined, { restartPolicy: 'Always', readinessProbe: http, lifecycle: { preStop: http } }))).toEqual([]);
    // unset, null and empty values are defaulted by the API
    expect(one({ imagePullPolicy: '', terminationMessagePolicy: null, livenessProbe: null, lifecycle: null })).toEqual([]);
  });

  test('a container without an image, or with spaces around it, is refused', () => {
    expect(hits('SS-K8S-097', [deployment('web', { containers: [{ name: 'a' }, { name: 'b', image: '' }, { name: 'c', image: ' registry.example.com/app:1.2.3' }] })])).toEqual([
      `Deployment/web ${C}[0].image: Container has no image, which the API requires`,
      `Deployment/web ${C}[1].image: Container has no image, which the API requires`,
      `Deployment/web ${C}[2].image: Image " registry.example.com/app:1.2.3" has leading or trailing whitespace, which the API refuses`,
    ]);
  });

  test('a pull or termination message policy the API does not know as spelled is refused, with the spelling meant', () => {
    expect(one({ imagePullPolicy: 'always', terminationMessagePolicy: 'Logs' })).toEqual([
      `Deployment/web ${C}[0].imagePullPolicy: imagePullPolicy "always" is not one the API accepts (Always, IfNotPresent, Never; case-sensitive); did you mean Always?`,
      `Deployment/web ${C}[0].terminationMessagePolicy: terminationMessagePolicy "Logs" is not one the API accepts (File, FallbackToLogsOnError; case-sensitive)`,
    ]);
  });

  test('a probe or hook with several handlers, or none, is refused at the probe or hook', () => {
    expect(one({
      livenessProbe: { ...http, tcpSocket: {} },
      readinessProbe: { periodSeconds: 5 },
      startupProbe: { exec: { command: ['true'] }, grpc: { port: 9090 }, httpGet: null },
      lifecycle: { preStop: { sleep: { seconds: 5 }, exec: { command: ['true'] } }, postStart: {} },
    })).toEqual([
      `Deployment/web ${C}[0].livenessProbe: livenessProbe has 2 handlers (httpGet, tcpSocket), which the API refuses: keep one`,
      `Deployment/web ${C}[0].readinessProbe: readinessProbe has no handler, which the API requires: set one of exec, httpGet, tcpSocket and grpc`,
      `Deployment/web ${C}[0].startupProbe: startupProbe has 2 handlers (exec, grpc), which the API refuses: keep one`,
      `Deployment/web ${C}[0].lifecycle.postStart: postStart has no handler, which the API requires: set one of exec, httpGet and sleep`,
      `Deployment/web ${C}[0].lifecycle.preStop: preStop has 2 handlers (exec, sleep), which the API refuses: keep one`,
    ]);
  });

  test('probes and hooks on an init container that is not a sidecar are refused', () => {
    expect(one({}, ctr('migrate', undefined, { readinessProbe: http, lifecycle: { preStop: http } }))).toEqual([
      'Deployment/web spec.template.spec.initContainers[0].readinessProbe: readinessProbe is set on an init container, which the API refuses unless the container has restartPolicy: Always (a sidecar)',
      'Deployment/web spec.template.spec.initContainers[0].lifecycle: lifecycle is set on an init container, which the API refuses unless the container has restartPolicy: Always (a sidecar)',
    ]);
  });
});

describe('SS-K8S-097 resource quantities the API server accepts', () => {
  const one = (resources: any) => hits('SS-K8S-097', [deployment('web', { containers: [ctr('app', resources)] })]);
  const HOW = 'the API refuses it; write a number with an optional suffix (case-sensitive, no space), for example 100m, 1.5 or 256Mi';

  test('numbers, decimal and binary suffixes, exponents, signs and surrounding spaces are quantities', () => {
    expect(one({
      requests: { 'cpu': 1.5, 'memory': 1e3, 'ephemeral-storage': '2Gi', 'nvidia.com/gpu': 1 },
      limits: { 'cpu': '2', 'memory': '1e3', 'ephemeral-storage': ' 2Gi ', 'nvidia.com/gpu': '1' },
    })).toEqual([]);
    expect(one({ requests: { cpu: '500m', memory: '+1.5Gi' }, limits: { cpu: '.5', memory: '1536Mi' } })).toEqual([]);
    expect(one({ requests: { cpu: '100u', memory: '1E3' }, limits: { cpu: '100000n', memory: '1k' } })).toEqual([]);
    expect(one({ requests: { cpu: '2.', memory: '1E' }, limits: { cpu: '2e0', memory: '1Ei' } })).toEqual([]);
  });

  test('a request equal to its limit however written, and a request with no limit, pass', () => {
    expect(one({ requests: { cpu: '100m', memory: '1Gi' }, limits: { cpu: '0.1', memory: '1073741824' } })).toEqual([]);
    expect(one({ requests: { cpu: '300m', memory: '1.5Gi' }, limits: { cpu: 0.3, memory: '1536Mi' } })).toEqual([]);
    expect(one({ requests: { cpu: '8', memory: '64Gi' } })).toEqual([]);
    expect(one({ requests: { cpu: '1' }, limits: { memory: '1Gi' } })).toEqual([]);
  });

  test('a value that is not a quantity is refused at its field, with a corrected spelling when there is one', () => {
    expect(one({ limits: { cpu: '100mi', memory: '1 Gi' } })).toEqual([
      `Deployment/web ${C}[0].resources.limits.cpu: CPU limit "100mi" is not a quantity (did you mean 100m?): ${HOW}`,
      `Deployment/web ${C}[0].resources.limits.memory: Memory limit "1 Gi" is not a quantity (did you mean 1Gi?): ${HOW}`,
    ]);
    expect(one({ requests: { memory: '100mi' }, limits: { memory: '1gi' } })).toEqual([
      `Deployment/web ${C}[0].resources.requests.memory: Memory request "100mi" is not a quantity (did you mean 100Mi?): ${HOW}`,
      `Deployment/web ${C}[0].resources.limits.memory: Memory limit "1gi" is not a quantity (did you mean 1Gi?): ${HOW}`,
    ]);
    expect(one({ requests: { 'cpu': 'abc', 'memory': '', 'ephemeral-storage': '1GB', 'nvidia.com/gpu': true } })).toEqual([
      `Deployment/web ${C}[0].resources.requests.cpu: CPU request "abc" is not a quantity: ${HOW}`,
      `Deployment/web ${C}[0].resources.requests.memory: Memory request "" is not a quantity: ${HOW}`,
      `Deployment/web ${C}[0].resources.requests["ephemeral-storage"]: ephemeral-storage request "1GB" is not a quantity: ${HOW}`,
      `Deployment/web ${C}[0].resources.requests["nvidia.com/gpu"]: nvidia.com/gpu request true is not a quantity: ${HOW}`,
    ]);
    expect(one({ requests: { cpu: '1e', memory: '1K' }, limits: { cpu: '1e1.5', memory: '1Mb' } }).map(h => h.split(': ')[1])).toEqual([
      'CPU request "1e" is not a quantity', // a lone "e" is no suffix
      'Memory request "1K" is not a quantity', // kilo is a lower-case k
      'CPU limit "1e1.5" is not a quantity', // an exponent is a whole number
      'Memory limit "1Mb" is not a quantity',
    ]);
  });

  test('a negative quantity is refused', () => {
    expect(one({ requests: { cpu: '-100m' }, limits: { memory: -1 } })).toEqual([
      `Deployment/web ${C}[0].resources.requests.cpu: CPU request -100m is negative: the API refuses it`,
      `Deployment/web ${C}[0].resources.limits.memory: Memory limit -1 is negative: the API refuses it`,
    ]);
  });

  test('a request above its limit is refused at the request, the values named as written', () => {
    expect(one({ requests: { cpu: '2' }, limits: { cpu: '1' } })).toEqual([
      `Deployment/web ${C}[0].resources.requests.cpu: CPU request 2 is above its limit 1: the API refuses it`,
    ]);
    expect(one({ requests: { 'memory': '1Gi', 'ephemeral-storage': '1.1G' }, limits: { 'memory': '1G', 'ephemeral-storage': '1Gi' } })).toEqual([
      `Deployment/web ${C}[0].resources.requests.memory: Memory request 1Gi is above its limit 1G: the API refuses it`,
      `Deployment/web ${C}[0].resources.requests["ephemeral-storage"]: ephemeral-storage request 1.1G is above its limit 1Gi: the API refuses it`,
    ]);
    // exactly: one millicore, or one byte, above is above
    expect(one({ requests: { cpu: '1001m', memory: 1073741825 }, limits: { cpu: 1, memory: '1Gi' } })).toHaveLength(2);
    // a limit of 0 takes no request
    expect(one({ requests: { cpu: '100m' }, limits: { cpu: '0' } })).toEqual([
      `Deployment/web ${C}[0].resources.requests.cpu: CPU request 100m is above its limit 0: the API refuses it`,
    ]);
  });

  test('an invalid request or limit is reported once, not compared', () => {
    expect(one({ requests: { cpu: '2x' }, limits: { cpu: '1' } })).toHaveLength(1);
    expect(one({ requests: { cpu: '2' }, limits: { cpu: '1 core' } })).toHaveLength(1);
  });

  test('init containers\' resources are checked too', () => {
    expect(hits('SS-K8S-097', [deployment('web', { containers: [ctr('app')], initContainers: [ctr('init', { requests: { memory: '2Gi' }, limits: { memory: '1Gi' } })] })])).toEqual([
      'Deployment/web spec.template.spec.initContainers[0].resources.requests.memory: Memory request 2Gi is above its limit 1Gi: the API refuses it',
    ]);
  });
});

describe('SS-K8S-097 extended resources (never overcommitted)', () => {
  const one = (resources: any) => hits('SS-K8S-097', [deployment('web', { containers: [ctr('app', resources)] })]);
  const at = `Deployment/web ${C}[0].resources`;

  test('whole units with the request equal to the limit, or a limit alone, pass; kubernetes.io names are not extended', () => {
    expect(one({ requests: { 'nvidia.com/gpu': '1' }, limits: { 'nvidia.com/gpu': 1 } })).toEqual([]);
    expect(one({ limits: { 'nvidia.com/gpu': 2, 'vpc.amazonaws.com/pod-eni': '1' } })).toEqual([]);
    expect(one({ requests: { 'example.kubernetes.io/thing': '500m' } })).toEqual([]);
  });

  test('a request without a limit, or different from it, is refused', () => {
    expect(one({ requests: { 'nvidia.com/gpu': 1 } })).toEqual([
      `${at}.requests["nvidia.com/gpu"]: nvidia.com/gpu request 1 has no limit: the API requires an extended resource's limit, equal to its request`,
    ]);
    expect(one({ requests: { 'nvidia.com/gpu': 1 }, limits: { 'nvidia.com/gpu': 2 } })).toEqual([
      `${at}.requests["nvidia.com/gpu"]: nvidia.com/gpu request 1 differs from its limit 2: the API requires them equal for an extended resource`,
    ]);
  });

  test('a fraction is refused wherever it is', () => {
    expect(one({ limits: { 'nvidia.com/gpu': '500m' } })).toEqual([
      `${at}.limits["nvidia.com/gpu"]: nvidia.com/gpu limit 500m is not a whole number: the API takes an extended resource in whole units only`,
    ]);
    expect(one({ requests: { 'nvidia.com/gpu': 0.5 }, limits: { 'nvidia.com/gpu': 0.5 } })).toEqual([
      `${at}.requests["nvidia.com/gpu"]: nvidia.com/gpu request 0.5 is not a whole number: the API takes an extended resource in whole units only`,
      `${at}.limits["nvidia.com/gpu"]: nvidia.com/gpu limit 0.5 is not a whole number: the API takes an extended resource in whole units only`,
    ]);
  });
});

describe('quantity.ts', () => {
  test('parses the quantity grammar exactly, and nonZeroQuantity is unchanged', () => {
    const v = (q: unknown) => { const p = parseQuantity(q); return p === undefined ? undefined : quantityValue(p); };
    expect([v('100m'), v('1.5'), v('256Mi'), v('1e3'), v('1E'), v('2k'), v(' 1Ki '), v('-2'), v(0.25)]).toEqual([0.1, 1.5, 256 * 2 ** 20, 1000, 1e18, 2000, 1024, -2, 0.25]);
    for (const bad of ['100mi', '1 Gi', 'abc', '', '1e', '1K', '--1', '1.2.3', null, undefined, {}, Number.NaN, Infinity]) expect([bad, parseQuantity(bad)]).toEqual([bad, undefined]);
    const cmp = (a: string, b: string) => compareQuantities(parseQuantity(a)!, parseQuantity(b)!);
    expect([cmp('1Gi', '1073741824'), cmp('0.1', '100m'), cmp('1Ei', '1152921504606846977'), cmp('1e-3', '1m'), cmp('-1', '0'), cmp('1e500', '1')]).toEqual([0, 0, -1, 0, -1, 1]);
    expect([nonZeroQuantity('100m'), nonZeroQuantity('0'), nonZeroQuantity(''), nonZeroQuantity(2), nonZeroQuantity('abc')]).toEqual([true, false, false, true, true]);
    const whole = (q: string) => isWholeQuantity(parseQuantity(q)!);
    expect(['2', '1.5Ki', '2000m', '1e3', '0.5', '500m', '1.5', '1e-1'].map(whole)).toEqual([true, true, true, true, false, false, false, false]);
  });
});

describe('SS-K8S-053 container ports and Service port names the API server accepts', () => {
  const service = (ports: any[]) => ({
    apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { selector: { app: 'web' }, ports },
  });
  const web = (ports: any[]) => deployment('web', { containers: [ctr('app', undefined, { ports })] });

  test('numeric container ports pass', () => {
    expect(hits('SS-K8S-053', [web([{ name: 'http', containerPort: 8080 }, { containerPort: 9090, hostPort: 9090 }])])).toEqual([]);
  });

  test('a containerPort or hostPort written as a string is refused: a quoted number is told to be written unquoted', () => {
    expect(hits('SS-K8S-053', [web([{ name: 'http', containerPort: '8080' }, { containerPort: 9090, hostPort: '9090' }, { containerPort: 'http' }])])).toEqual([
      `Deployment/web ${C}[0].ports[0].containerPort: Container containerPort "8080" is a quoted number: the API takes only a number there and refuses the string; write it unquoted`,
      `Deployment/web ${C}[0].ports[1].hostPort: Container hostPort "9090" is a quoted number: the API takes only a number there and refuses the string; write it unquoted`,
      `Deployment/web ${C}[0].ports[2].containerPort: Container containerPort "http" is not a port number: the API takes only a number from 1 to 65535 there`,
    ]);
  });

  test('a Service of one unnamed port, and one of two named ports, pass', () => {
    expect(hits('SS-K8S-053', [service([{ port: 80, targetPort: 8080 }])])).toEqual([]);
    expect(hits('SS-K8S-053', [service([{ name: 'http', port: 80, targetPort: 8080 }, { name: 'https', port: 443, targetPort: 8443 }])])).toEqual([]);
  });

  test('a Service of several ports needs a name on each', () => {
    expect(hits('SS-K8S-053', [service([{ name: 'http', port: 80, targetPort: 8080 }, { port: 443, targetPort: 8443 }, { name: '', port: 9090, targetPort: 9090 }])])).toEqual([
      'Service/web spec.ports[1].name: Service port 443 has no name: names are required when a Service has more than one port, and the API refuses the Service',
      'Service/web spec.ports[2].name: Service port 9090 has no name: names are required when a Service has more than one port, and the API refuses the Service',
    ]);
  });

  test('a duplicate Service port name is still reported once', () => {
    expect(hits('SS-K8S-053', [service([{ name: 'http', port: 80, targetPort: 8080 }, { name: 'http', port: 81, targetPort: 8081 }])])).toEqual([
      'Service/web spec.ports[1].name: Service port name http is used twice (spec.ports[0] and [1]): the API refuses a duplicate name',
    ]);
  });
});

describe('SS-K8S-098 update strategies the API server accepts', () => {
  const web = (strategy: any) => deployment('web', { containers: [ctr('app')] }, { strategy });
  const agent = (updateStrategy: any) => ({ ...deployment('agent', { containers: [ctr('app')] }, { updateStrategy }), kind: 'DaemonSet' });
  const db = (updateStrategy: any) => ({ ...deployment('db', { containers: [ctr('app')] }, { updateStrategy, serviceName: 'db' }), kind: 'StatefulSet' });
  const STUCK = 'Deployment/web spec.strategy.rollingUpdate: Deployment rolling update has maxSurge and maxUnavailable both 0: the roll-out could never progress, '
    + 'and the API refuses it; keep maxUnavailable 0 and set maxSurge (25%, or 1)';

  test('Deployment: maxSurge and maxUnavailable both 0, as numbers or percentages, are refused', () => {
    expect(hits('SS-K8S-098', [web({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } })])).toEqual([STUCK]);
    expect(hits('SS-K8S-098', [web({ rollingUpdate: { maxSurge: '0%', maxUnavailable: 0 } })])).toEqual([STUCK]);
  });

  test('Deployment: one of them above 0, or unset (it defaults to 25%), passes; so do no strategy and Recreate alone', () => {
    for (const strategy of [
      { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
      { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } },
      { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0 } },
      { rollingUpdate: { maxSurge: 0 } },
      { rollingUpdate: { maxSurge: '200%', maxUnavailable: '100%' } },
      { type: 'Recreate' },
      undefined,
    ]) expect(hits('SS-K8S-098', [web(strategy)])).toEqual([]);
  });

  test('Deployment: values that are no number of pods nor percentage, negative, or a maxUnavailable above 100% are refused', () => {
    expect(hits('SS-K8S-098', [web({ rollingUpdate: { maxSurge: '1', maxUnavailable: -1 } })])).toEqual([
      'Deployment/web spec.strategy.rollingUpdate.maxSurge: maxSurge "1" is not a percentage (write 1, a number, for pods, or "1%"); the API refuses it',
      'Deployment/web spec.strategy.rollingUpdate.maxUnavailable: maxUnavailable -1 is negative: it must be 0 or more; the API refuses it',
    ]);
    expect(hits('SS-K8S-098', [web({ rollingUpdate: { maxSurge: 1.5, maxUnavailable: '150%' } })])).toEqual([
      'Deployment/web spec.strategy.rollingUpdate.maxSurge: maxSurge 1.5 is not a whole number: write a number of pods (1) or a percentage ("25%"); the API refuses it',
      'Deployment/web spec.strategy.rollingUpdate.maxUnavailable: maxUnavailable "150%" is more than 100%; the API refuses it',
    ]);
    expect(hits('SS-K8S-098', [web({ rollingUpdate: { maxSurge: 'one', maxUnavailable: true } })])).toEqual([
      'Deployment/web spec.strategy.rollingUpdate.maxSurge: maxSurge "one" is not a percentage (write a number of pods, 1, or a percentage, "25%"); the API refuses it',
      'Deployment/web spec.strategy.rollingUpdate.maxUnavailable: maxUnavailable true is neither a number of pods nor a percentage ("25%"); the API refuses it',
    ]);
  });

  test('Deployment: an unknown type, and a rollingUpdate beside Recreate, are refused', () => {
    expect(hits('SS-K8S-098', [web({ type: 'BlueGreen' })])).toEqual([
      'Deployment/web spec.strategy.type: Deployment strategy type "BlueGreen" is refused by the API: it is RollingUpdate or Recreate',
    ]);
    expect(hits('SS-K8S-098', [web({ type: 'Recreate', rollingUpdate: { maxSurge: 1 } })])).toEqual([
      'Deployment/web spec.strategy.rollingUpdate: Deployment strategy Recreate has a rollingUpdate, which the API allows only with type RollingUpdate: remove rollingUpdate, or use type RollingUpdate',
    ]);
  });

  test('SS-K8S-047 still reports Recreate at the type, and leaves an unknown type to SS-K8S-098', () => {
    expect(hits('SS-K8S-047', [web({ type: 'Recreate' })])).toEqual(['Deployment/web spec.strategy.type: Deployment does not use rolling updates']);
    expect(hits('SS-K8S-047', [web({ type: 'BlueGreen' })])).toEqual([]);
    expect(hits('SS-K8S-047', [web({ rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } })])).toEqual([]);
  });

  test('DaemonSet: maxSurge set beside the default maxUnavailable (1) is refused; with maxUnavailable 0 it passes', () => {
    expect(hits('SS-K8S-098', [agent({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } })])).toEqual([
      'DaemonSet/agent spec.updateStrategy.rollingUpdate.maxSurge: DaemonSet rolling update sets maxSurge 1 beside maxUnavailable (1 when unset): a DaemonSet either surges or takes nodes\' pods down, '
      + 'and the API refuses both above 0; set maxUnavailable: 0 to start each node\'s new pod before its old one stops, or leave maxSurge out',
    ]);
    expect(hits('SS-K8S-098', [agent({ rollingUpdate: { maxSurge: '10%', maxUnavailable: '10%' } })])).toHaveLength(1);
    expect(hits('SS-K8S-098', [agent({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } })])).toEqual([]);
    expect(hits('SS-K8S-098', [agent({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%' } })])).toEqual([]);
    expect(hits('SS-K8S-098', [agent({ type: 'OnDelete' })])).toEqual([]);
  });

  test('DaemonSet: maxUnavailable 0 without maxSurge (default 0), a maxSurge above 100%, and an unknown type are refused', () => {
    expect(hits('SS-K8S-098', [agent({ rollingUpdate: { maxUnavailable: 0 } })])).toEqual([
      'DaemonSet/agent spec.updateStrategy.rollingUpdate.maxUnavailable: DaemonSet rolling update has maxUnavailable and maxSurge both 0: the roll-out could never progress, '
      + 'and the API refuses it; set maxUnavailable (1), or maxSurge (1) with maxUnavailable 0',
    ]);
    expect(hits('SS-K8S-098', [agent({ rollingUpdate: { maxSurge: '120%', maxUnavailable: 0 } })])).toEqual([
      'DaemonSet/agent spec.updateStrategy.rollingUpdate.maxSurge: maxSurge "120%" is more than 100%; the API refuses it',
    ]);
    expect(hits('SS-K8S-098', [agent({ type: 'Recreate' })])).toEqual([
      'DaemonSet/agent spec.updateStrategy.type: DaemonSet updateStrategy type "Recreate" is refused by the API: it is RollingUpdate or OnDelete',
    ]);
  });

  test('StatefulSet: a rollingUpdate beside OnDelete, a negative partition and an unknown type are refused', () => {
    expect(hits('SS-K8S-098', [db({ type: 'OnDelete', rollingUpdate: { partition: 0 } })])).toEqual([
      'StatefulSet/db spec.updateStrategy.rollingUpdate: StatefulSet updateStrategy OnDelete has a rollingUpdate, which the API allows only with type RollingUpdate: remove rollingUpdate, or use type RollingUpdate',
    ]);
    expect(hits('SS-K8S-098', [db({ type: 'RollingUpdate', rollingUpdate: { partition: -1 } })])).toEqual([
      'StatefulSet/db spec.updateStrategy.rollingUpdate.partition: StatefulSet rolling update partition -1 is refused by the API: it is a whole number, 0 or more (the pods from that ordinal up are updated)',
    ]);
    expect(hits('SS-K8S-098', [db({ type: 'Canary' })])).toEqual([
      'StatefulSet/db spec.updateStrategy.type: StatefulSet updateStrategy type "Canary" is refused by the API: it is RollingUpdate or OnDelete',
    ]);
    expect(hits('SS-K8S-098', [db({ type: 'RollingUpdate', rollingUpdate: { partition: 2 } })])).toEqual([]);
    expect(hits('SS-K8S-098', [db({ type: 'OnDelete' })])).toEqual([]);
  });
});

describe('SS-K8S-091 claims the API server accepts', () => {
  const pvc = (storage: unknown) => ({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'data', namespace: 'shop' },
    spec: { accessModes: ['ReadWriteOnce'], ...(storage === undefined ? {} : { resources: { requests: { storage } } }) },
  });
  const sts = (storage: unknown) => ({
    ...deployment('db', { containers: [ctr('db', undefined, { volumeMounts: [{ name: 'data', mountPath: '/data' }] })] }, {
      serviceName: 'db',
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage } } } }],
    }),
    kind: 'StatefulSet',
  });

  test('a storage request that is a quantity above 0 passes', () => {
    expect(hits('SS-K8S-091', [pvc('10Gi'), pvc('500M'), pvc(1073741824), sts('10G')])).toEqual([]);
  });

  test('a size with a byte unit, no size, or a size of 0 is refused, with the quantities meant', () => {
    expect(hits('SS-K8S-091', [pvc('10GB')])).toEqual([
      'PersistentVolumeClaim/data spec.resources.requests.storage: PersistentVolumeClaim requests storage "10GB", which is no Kubernetes quantity (write 10G for powers of 10, or 10Gi for powers of 2): the API refuses it',
    ]);
    expect(hits('SS-K8S-091', [pvc('500 kb')])).toEqual([expect.stringContaining('(write 500k for powers of 10, or 500Ki for powers of 2)')]);
    expect(hits('SS-K8S-091', [pvc(undefined)])).toEqual(['PersistentVolumeClaim/data spec.resources.requests.storage: PersistentVolumeClaim requests no storage, which the API requires']);
    expect(hits('SS-K8S-091', [pvc('0')])).toEqual(['PersistentVolumeClaim/data spec.resources.requests.storage: PersistentVolumeClaim requests storage "0"; it must be more than 0, and the API refuses it']);
  });

  test('a StatefulSet claim template is checked the same way, at its own path', () => {
    expect(hits('SS-K8S-091', [sts('10GB')])).toEqual([
      'StatefulSet/db spec.volumeClaimTemplates[0].spec.resources.requests.storage: Claim template data requests storage "10GB", which is no Kubernetes quantity (write 10G for powers of 10, or 10Gi for powers of 2): the API refuses it',
    ]);
  });
});

describe('SS-K8S-053 ports the API server accepts', () => {
  const podWith = (container: any) => deployment('web', { containers: [{ ...ctr('app'), ...container }] });
  const C0 = `${C}[0]`;

  test('a quoted number as a probe\'s or lifecycle hook\'s port is refused (a name to the API, which needs a letter), as is a gRPC port that is no number', () => {
    expect(hits('SS-K8S-053', [podWith({
      ports: [{ name: 'http', containerPort: 8080 }],
      readinessProbe: { httpGet: { path: '/readyz', port: '8080' } },
      livenessProbe: { tcpSocket: { port: 'http' } },
      startupProbe: { grpc: { port: 'http' } },
      lifecycle: { preStop: { httpGet: { path: '/drain', port: '8080' } } },
    })])).toEqual([
      `Deployment/web ${C0}.readinessProbe.httpGet.port: Port "8080" is a quoted number: the API reads it as a port name, which needs a letter, and refuses it; write it unquoted`,
      `Deployment/web ${C0}.startupProbe.grpc.port: Probe grpc port "http" is not a port number from 1 to 65535: a gRPC probe takes a number only (no name, not quoted), and the API refuses it`,
      `Deployment/web ${C0}.lifecycle.preStop.httpGet.port: Port "8080" is a quoted number: the API reads it as a port name, which needs a letter, and refuses it; write it unquoted`,
    ]);
  });

  test('ports out of 1..65535 and protocols spelled otherwise than TCP, UDP, SCTP are refused', () => {
    expect(hits('SS-K8S-053', [podWith({
      ports: [{ name: 'a', containerPort: 0 }, { name: 'b', containerPort: 65536, protocol: 'tcp' }, { name: 'c', containerPort: 9000, hostPort: 70000 }],
      readinessProbe: { tcpSocket: { port: 70000 } },
    })])).toEqual([
      `Deployment/web ${C0}.ports[0].containerPort: Container containerPort 0 is not a port number from 1 to 65535: the API refuses it`,
      `Deployment/web ${C0}.ports[1].containerPort: Container containerPort 65536 is not a port number from 1 to 65535: the API refuses it`,
      `Deployment/web ${C0}.ports[1].protocol: Container port protocol "tcp" is not one of TCP, UDP, SCTP: the API refuses it; write TCP`,
      `Deployment/web ${C0}.ports[2].hostPort: Container hostPort 70000 is not a port number from 1 (or 0, none) to 65535: the API refuses it`,
      `Deployment/web ${C0}.readinessProbe.tcpSocket.port: Port 70000 is not a port number from 1 to 65535: the API refuses it`,
    ]);
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { selector: { app: 'web' }, ports: [{ port: 0, protocol: 'Udp', targetPort: 8080 }] } };
    expect(hits('SS-K8S-053', [service])).toEqual([
      'Service/web spec.ports[0].port: Service port 0 is not a port number from 1 to 65535 (unquoted): the API refuses it',
      'Service/web spec.ports[0].protocol: Service port protocol "Udp" is not one of TCP, UDP, SCTP: the API refuses it; write UDP',
    ]);
  });

  test('numbers in range, declared names and the three protocols pass', () => {
    expect(hits('SS-K8S-053', [podWith({
      ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }, { name: 'dns', containerPort: 53, protocol: 'UDP', hostPort: 0 }],
      readinessProbe: { httpGet: { path: '/readyz', port: 'http' } },
      livenessProbe: { grpc: { port: 8080 } },
      lifecycle: { preStop: { httpGet: { path: '/drain', port: 8080 } } },
    })])).toEqual([]);
  });
});

describe('SS-K8S-042 PodDisruptionBudget values the API server accepts', () => {
  const pdb = (spec: any) => ({
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'api', namespace: 'shop' },
    spec: { selector: { matchLabels: { app: 'api' } }, ...spec },
  });

  test('a quoted pod count, a negative one, a percentage above 100 % and an unknown eviction policy are refused', () => {
    expect(hits('SS-K8S-042', [pdb({ maxUnavailable: '1', unhealthyPodEvictionPolicy: 'Always' })])).toEqual([
      'PodDisruptionBudget/api spec.maxUnavailable: PodDisruptionBudget maxUnavailable "1" is not a percentage (write 1, a number, for pods, or "1%"); the API refuses it',
      'PodDisruptionBudget/api spec.unhealthyPodEvictionPolicy: PodDisruptionBudget unhealthyPodEvictionPolicy "Always" is not IfHealthyBudget or AlwaysAllow; the API refuses it',
    ]);
    expect(hits('SS-K8S-042', [pdb({ minAvailable: -1 })])).toEqual(['PodDisruptionBudget/api spec.minAvailable: PodDisruptionBudget minAvailable -1 is negative: it must be 0 or more; the API refuses it']);
    expect(hits('SS-K8S-042', [pdb({ minAvailable: '150%' })])).toEqual(['PodDisruptionBudget/api spec.minAvailable: PodDisruptionBudget minAvailable "150%" is more than 100%; the API refuses it']);
  });

  test('SS-K8S-043 reports an unset policy only; a value the API refuses is SS-K8S-042\'s', () => {
    expect(hits('SS-K8S-043', [pdb({ maxUnavailable: 1, unhealthyPodEvictionPolicy: 'Always' })])).toEqual([]);
    expect(hits('SS-K8S-043', [pdb({ maxUnavailable: 1 })])).toEqual(['PodDisruptionBudget/api spec.unhealthyPodEvictionPolicy: PodDisruptionBudget does not set unhealthyPodEvictionPolicy']);
  });
});

describe('SS-K8S-097 resource names, huge pages and an empty container list', () => {
  test('a resource name without a domain that is no container resource is refused, with the one meant', () => {
    expect(hits('SS-K8S-097', [deployment('web', { containers: [ctr('app', { requests: { cpu: '100m' }, limits: { 'memroy': '1Gi', 'example.com/widget': '1' } })] })]))
      .toEqual([
        `Deployment/web ${C}[0].resources.limits.memroy: Resource "memroy" is not a resource of a container (cpu, memory, ephemeral-storage, hugepages-<size>, or a name with a domain such as nvidia.com/gpu); did you mean memory?: the API refuses it`,
      ]);
  });

  test('huge pages need a limit equal to their request', () => {
    expect(hits('SS-K8S-097', [deployment('web', { containers: [ctr('app', { requests: { 'hugepages-2Mi': '100Mi' } })] })])).toEqual([
      `Deployment/web ${C}[0].resources.requests["hugepages-2Mi"]: hugepages-2Mi request 100Mi has no limit: the API requires a limit of huge pages, equal to its request`,
    ]);
    expect(hits('SS-K8S-097', [deployment('web', { containers: [ctr('app', { requests: { 'hugepages-2Mi': '100Mi' }, limits: { 'hugepages-2Mi': '100Mi' } })] })])).toEqual([]);
  });

  test('a pod with an empty container list is refused', () => {
    expect(hits('SS-K8S-097', [deployment('web', { containers: [] })])).toEqual([`Deployment/web ${C}: Pod has no container, which the API requires`]);
  });
});

describe('messages about values the API refuses elsewhere', () => {
  test('an HPA minReplicas that is no number is SS-K8S-094\'s alone: SS-K8S-045 does not call it unset', () => {
    const hpa = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: '3', maxReplicas: 10 },
    };
    expect(hits('SS-K8S-045', [deployment('web', { containers: [ctr('app')] }), hpa])).toEqual([]);
    expect(hits('SS-K8S-094', [deployment('web', { containers: [ctr('app')] }), hpa])).toHaveLength(1);
  });

  test('a label value that is no string is shown as YAML wrote it (.inf, ~)', () => {
    const d = deployment('web', { containers: [ctr('app')] });
    const labelled = { ...d, metadata: { ...d.metadata, labels: { inf: Infinity, none: null } } };
    expect(hits('SS-K8S-068', [labelled])).toEqual([
      'Deployment/web metadata.labels["inf"]: Label inf has a value that is not a string (number Infinity): quote it in YAML',
      'Deployment/web metadata.labels["none"]: Label none has a value that is not a string (null (no value)): quote it in YAML',
    ]);
  });
});

describe('SS-K8S-068 label and annotation keys the API server accepts', () => {
  const withMeta = (labels: any, annotations: any = {}) => {
    const d = deployment('web', { containers: [ctr('app')] });
    return { ...d, metadata: { ...d.metadata, labels, annotations } };
  };

  test('keys with an uppercase prefix, two slashes, an empty or over-long name, or a space are refused; annotation keys are read in lowercase', () => {
    expect(hits('SS-K8S-068', [withMeta({ 'Example.com/x': 'a', 'a/b/c': 'a', 'example.com/': 'a', [`n${'x'.repeat(63)}`]: 'a' }, { 'a b': 'x', 'Example.com/Note': 'ok' })]).map(h => h.replace(/: an optional prefix.*$/, ''))).toEqual([
      'Deployment/web metadata.labels["Example.com/x"]: Label key "Example.com/x" is not one the API accepts',
      'Deployment/web metadata.labels["a/b/c"]: Label key "a/b/c" is not one the API accepts',
      'Deployment/web metadata.labels["example.com/"]: Label key "example.com/" is not one the API accepts',
      `Deployment/web metadata.labels["n${'x'.repeat(63)}"]: Label key "n${'x'.repeat(63)}" is not one the API accepts`,
      'Deployment/web metadata.annotations["a b"]: Annotation key "a b" is not one the API accepts',
    ]);
  });

  test('an invalid label value is reported with the reason: its length, its first or last character, or the characters it may not hold', () => {
    expect(hits('SS-K8S-068', [withMeta({ long: 'a'.repeat(69), edge: '-web', chars: 'front end/v2' })])).toEqual([
      `Deployment/web metadata.labels["long"]: Label long has an invalid value "${'a'.repeat(69)}": it has 69 characters, at most 63 are allowed`,
      'Deployment/web metadata.labels["edge"]: Label edge has an invalid value "-web": it must start and end with a letter or digit',
      'Deployment/web metadata.labels["chars"]: Label chars has an invalid value "front end/v2": it holds " ", "/", where only letters, digits, "-", "_" and "." are allowed',
    ]);
  });

  test('annotations above 256 KiB in all (keys and values, in UTF-8 bytes) are refused, on the object and on the pod template', () => {
    const big = { 'example.com/dump': 'x'.repeat(262144) };
    const d = withMeta({ app: 'web' }, big);
    (d.spec.template.metadata as any).annotations = { 'example.com/note': 'é'.repeat(131072) };
    expect(hits('SS-K8S-068', [d])).toEqual([
      'Deployment/web metadata.annotations: Annotations hold 262160 bytes (keys and values); the API accepts at most 262144 (256 KiB) in all: move large data to a ConfigMap',
      'Deployment/web spec.template.metadata.annotations: Annotations hold 262160 bytes (keys and values); the API accepts at most 262144 (256 KiB) in all: move large data to a ConfigMap',
    ]);
    // just within the limit
    expect(hits('SS-K8S-068', [withMeta({ app: 'web' }, { 'example.com/dump': 'x'.repeat(262144 - 16) })])).toEqual([]);
  });

  test('usual keys pass', () => {
    expect(hits('SS-K8S-068', [withMeta({ 'app.kubernetes.io/name': 'web', 'tier': 'front', 'team_A.x-y': 'a' }, { 'kubectl.kubernetes.io/default-container': 'app', 'suppress.shipshape.io/SS-K8S-029': 'a reason of length' })])).toEqual([]);
  });
});

describe('SS-K8S-098 rollout settings', () => {
  test('negative replicas or revisionHistoryLimit, and a progress deadline not above minReadySeconds, are refused', () => {
    expect(hits('SS-K8S-098', [deployment('web', { containers: [ctr('app')] }, { replicas: -1, revisionHistoryLimit: -1, minReadySeconds: 600, progressDeadlineSeconds: 600 })])).toEqual([
      'Deployment/web spec.replicas: Deployment replicas -1 is not a whole number of 0 or more: the API refuses it',
      'Deployment/web spec.revisionHistoryLimit: Deployment revisionHistoryLimit -1 is not a whole number of 0 or more: the API refuses it',
      'Deployment/web spec.progressDeadlineSeconds: Deployment progressDeadlineSeconds 600 is not above minReadySeconds (600): the API refuses it',
    ]);
    expect(hits('SS-K8S-098', [deployment('web', { containers: [ctr('app')] }, { replicas: 0, revisionHistoryLimit: 0, minReadySeconds: 10, progressDeadlineSeconds: 600 })])).toEqual([]);
  });
});

describe('SS-K8S-091 volume sources the API server accepts', () => {
  const withVolumes = (volumes: any[], mounts: any[] = []) => deployment('web', { volumes, containers: [ctr('app', undefined, { volumeMounts: mounts })] });

  test('two sources, a mode above 0777, an item path out of the volume, a size that is no quantity and a claim volume without a claim are refused', () => {
    expect(hits('SS-K8S-091', [withVolumes([
      { name: 'tmp', emptyDir: {}, configMap: { name: 'x' } },
      { name: 'cfg', configMap: { name: 'cfg', defaultMode: 1000, items: [{ key: 'a', path: '/etc/a' }, { key: 'b', path: '../b' }] } },
      { name: 'scratch', emptyDir: { sizeLimit: '1 Gi' } },
      { name: 'data', persistentVolumeClaim: {} },
    ])])).toEqual([
      `Deployment/web ${C.replace('.containers', '')}.volumes[0]: Volume tmp has 2 sources (emptyDir, configMap); a volume has exactly one, and the API refuses more`,
      `Deployment/web ${C.replace('.containers', '')}.volumes[1].configMap.defaultMode: defaultMode 1000 is not a file mode from 0 to 0777 (511 in decimal; write 0644 in YAML, 420 in JSON): the API refuses it`,
      `Deployment/web ${C.replace('.containers', '')}.volumes[1].configMap.items[0].path: Item path "/etc/a" must be relative to the volume, without "..": the API refuses it`,
      `Deployment/web ${C.replace('.containers', '')}.volumes[1].configMap.items[1].path: Item path "../b" must be relative to the volume, without "..": the API refuses it`,
      `Deployment/web ${C.replace('.containers', '')}.volumes[2].emptyDir.sizeLimit: emptyDir sizeLimit "1 Gi" is no Kubernetes quantity: the API refuses it`,
      `Deployment/web ${C.replace('.containers', '')}.volumes[3].persistentVolumeClaim.claimName: persistentVolumeClaim volume names no claim (claimName), which the API requires`,
    ]);
  });

  test('Bidirectional propagation outside a privileged container is refused', () => {
    expect(hits('SS-K8S-091', [withVolumes([{ name: 'host', hostPath: { path: '/mnt' } }], [{ name: 'host', mountPath: '/mnt', mountPropagation: 'Bidirectional' }])])).toEqual([
      `Deployment/web ${C}[0].volumeMounts[0].mountPropagation: Container app mounts volume host with Bidirectional propagation, which the API allows in a privileged container only`,
    ]);
  });

  test('usual volumes pass', () => {
    expect(hits('SS-K8S-091', [withVolumes([
      { name: 'tmp', emptyDir: { sizeLimit: '128Mi' } }, { name: 'cfg', configMap: { name: 'cfg', defaultMode: 0o644, items: [{ key: 'a', path: 'conf/a.yaml' }] } },
      { name: 'data', persistentVolumeClaim: { claimName: 'data' } },
    ], [{ name: 'tmp', mountPath: '/tmp' }, { name: 'cfg', mountPath: '/etc/app' }, { name: 'data', mountPath: '/data', mountPropagation: 'HostToContainer' }])])).toEqual([]);
  });
});

describe('SS-K8S-099 label and node selectors the API server accepts', () => {
  const web = (spec: any = {}, podSpec: any = {}) => {
    const d: any = deployment('web', { containers: [ctr('app')], ...podSpec });
    d.spec = { ...d.spec, ...spec };
    return d;
  };

  test('the four operators used as the API wants, Gt and Lt on one whole number, and plain matchLabels pass', () => {
    expect(hits('SS-K8S-099', [web({
      selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }, { key: 'canary', operator: 'DoesNotExist' }, { key: 'x', operator: 'Exists', values: [] }] },
    }, {
      affinity: {
        nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'example.com/cores', operator: 'Gt', values: ['4'] }] }] } },
        podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'web' } } } }] },
      },
      topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['db'] }] } }],
    })])).toEqual([]);
  });

  test('Exists with values, In without values and an operator in another case are refused at the expression', () => {
    expect(hits('SS-K8S-099', [web({
      selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'Exists', values: ['web'] }, { key: 'zone', operator: 'In' }, { key: 'track', operator: 'notin', values: ['canary'] }] },
    })])).toEqual([
      'Deployment/web spec.selector.matchExpressions[0].values: Selector expression on tier uses Exists with values, which the API refuses: Exists takes none (use In to match values)',
      'Deployment/web spec.selector.matchExpressions[1].values: Selector expression on zone uses In without values, which the API refuses: list the values to match',
      'Deployment/web spec.selector.matchExpressions[2].operator: Selector operator "notin" is not one the API accepts (In, NotIn, Exists, DoesNotExist; case-sensitive); did you mean NotIn?',
    ]);
  });

  test('selector keys and values that are no label keys or values are refused, in matchLabels and in expressions', () => {
    expect(hits('SS-K8S-099', [web({
      selector: { matchLabels: { 'app': 'web', 'Example.com/x': 'y', 'tier': 'front end' }, matchExpressions: [{ key: 'a/b/c', operator: 'In', values: ['ok', '-bad'] }] },
    })])).toEqual([
      'Deployment/web spec.selector.matchLabels["Example.com/x"]: Selector key "Example.com/x" is not a label key the API accepts: an optional prefix (a lowercase DNS subdomain) and "/", then a name of at most 63 letters, digits, "-", "_" and "."',
      'Deployment/web spec.selector.matchLabels.tier: Selector value "front end" for tier is not a label value the API accepts: a string of at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit',
      'Deployment/web spec.selector.matchExpressions[0].key: Selector expression key "a/b/c" is not a label key the API accepts',
      'Deployment/web spec.selector.matchExpressions[0].values[1]: Selector value "-bad" is not a label value the API accepts',
    ]);
  });

  test('the pod template\'s affinity terms, node affinity and spread constraints are checked at their paths', () => {
    const P = 'spec.template.spec';
    expect(hits('SS-K8S-099', [web({}, {
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'example.com/cores', operator: 'Gt', values: ['4', '8'] }, { key: 'gpu', operator: 'Lt', values: ['two'] }] }] },
          preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: { matchExpressions: [{ key: 'zone', operator: 'Exists', values: ['a'] }] } }],
        },
        podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchExpressions: [{ key: 'app', operator: 'Gt', values: ['1'] }] } }] },
      },
      topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchExpressions: [{ key: 'app', operator: 'NotIn' }] } }],
    })])).toEqual([
      `Deployment/web ${P}.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchExpressions[0].operator: Selector operator "Gt" is not one the API accepts (In, NotIn, Exists, DoesNotExist; case-sensitive)`,
      `Deployment/web ${P}.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values: Node selector expression on example.com/cores uses Gt with 2 values, which the API refuses: Gt takes one value, a whole number`,
      `Deployment/web ${P}.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[1].values: Node selector expression on gpu uses Lt with the value "two", which the API refuses: Lt takes one value, a whole number`,
      `Deployment/web ${P}.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].preference.matchExpressions[0].values: Selector expression on zone uses Exists with values, which the API refuses: Exists takes none (use In to match values)`,
      `Deployment/web ${P}.topologySpreadConstraints[0].labelSelector.matchExpressions[0].values: Selector expression on app uses NotIn without values, which the API refuses: list the values to match`,
    ]);
  });

  test('a PodDisruptionBudget\'s, a NetworkPolicy\'s and a Service\'s selectors are checked', () => {
    const pdb = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web', namespace: 'shop' }, spec: { minAvailable: 1, selector: { matchExpressions: [{ key: 'app', operator: 'exists' }] } } };
    const np = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'In', values: [] }] } }] }], egress: [{ to: [{ podSelector: { matchLabels: { app: 'db!' } } }] }] },
    };
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { selector: { app: 'web', tier: true }, ports: [{ port: 80 }] } };
    expect(hits('SS-K8S-099', [pdb, np, svc])).toEqual([
      'PodDisruptionBudget/web spec.selector.matchExpressions[0].operator: Selector operator "exists" is not one the API accepts (In, NotIn, Exists, DoesNotExist; case-sensitive); did you mean Exists?',
      'NetworkPolicy/web spec.ingress[0].from[0].namespaceSelector.matchExpressions[0].values: Selector expression on team uses In without values, which the API refuses: list the values to match',
      'NetworkPolicy/web spec.egress[0].to[0].podSelector.matchLabels.app: Selector value "db!" for app is not a label value the API accepts: a string of at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit',
      'Service/web spec.selector.tier: Selector value true for tier is not a label value the API accepts: a string of at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit',
    ]);
  });
});

describe('SS-K8S-100 numbers and booleans, not strings', () => {
  const P = 'spec.template.spec';
  test('unquoted numbers and booleans pass, and so do unset and null fields', () => {
    expect(hits('SS-K8S-100', [deployment('web', {
      terminationGracePeriodSeconds: 30,
      automountServiceAccountToken: false,
      hostNetwork: false,
      priority: null,
      securityContext: { runAsUser: 10001, runAsNonRoot: true, supplementalGroups: [10001] },
      containers: [ctr('app', undefined, { tty: false, securityContext: { readOnlyRootFilesystem: true }, livenessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 5 } })],
    }, { progressDeadlineSeconds: 600, paused: false })])).toEqual([]);
  });

  test('a quoted number or boolean in the pod, its containers, probes and hooks is refused at its field, with the value to write', () => {
    expect(hits('SS-K8S-100', [deployment('web', {
      terminationGracePeriodSeconds: '30',
      automountServiceAccountToken: 'false',
      hostPID: 'no',
      securityContext: { runAsUser: '10001', fsGroup: 1.5, supplementalGroups: ['10001'] },
      containers: [ctr('app', undefined, {
        securityContext: { allowPrivilegeEscalation: 'False' },
        readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: '5s' },
        lifecycle: { preStop: { sleep: { seconds: '5' } } },
      })],
    }, { progressDeadlineSeconds: '600' })])).toEqual([
      `Deployment/web ${P}.terminationGracePeriodSeconds: terminationGracePeriodSeconds is the string "30": the API refuses a quoted number; write 30 unquoted`,
      `Deployment/web ${P}.automountServiceAccountToken: automountServiceAccountToken is the string "false": the API refuses a quoted boolean; write false unquoted`,
      'Deployment/web spec.progressDeadlineSeconds: progressDeadlineSeconds is the string "600": the API refuses a quoted number; write 600 unquoted',
      `Deployment/web ${P}.hostPID: hostPID is "no", not true or false`,
      `Deployment/web ${P}.securityContext.runAsUser: runAsUser is the string "10001": the API refuses a quoted number; write 10001 unquoted`,
      `Deployment/web ${P}.securityContext.fsGroup: fsGroup is 1.5, not a whole number`,
      `Deployment/web ${P}.securityContext.supplementalGroups[0]: supplementalGroups[0] is the string "10001": the API refuses a quoted number; write 10001 unquoted`,
      `Deployment/web ${C}[0].securityContext.allowPrivilegeEscalation: allowPrivilegeEscalation is the string "False": the API refuses a quoted boolean; write false unquoted`,
      `Deployment/web ${C}[0].readinessProbe.periodSeconds: periodSeconds is the string "5s", not a whole number`,
      `Deployment/web ${C}[0].lifecycle.preStop.sleep.seconds: seconds is the string "5": the API refuses a quoted number; write 5 unquoted`,
    ]);
  });

  test('a Job\'s and a CronJob\'s counts and flags are checked, the job template\'s too', () => {
    const cron = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'nightly', namespace: 'shop' },
      spec: { schedule: '0 3 * * *', suspend: 'true', jobTemplate: { spec: { backoffLimit: '3', template: { spec: { restartPolicy: 'Never', containers: [ctr('job')] } } } } },
    };
    expect(hits('SS-K8S-100', [cron])).toEqual([
      'CronJob/nightly spec.suspend: suspend is the string "true": the API refuses a quoted boolean; write true unquoted',
      'CronJob/nightly spec.jobTemplate.spec.backoffLimit: backoffLimit is the string "3": the API refuses a quoted number; write 3 unquoted',
    ]);
  });

  test('the rules that judge such a value leave a string to SS-K8S-100 instead of misreading it', () => {
    const d = deployment('web', { automountServiceAccountToken: 'false', securityContext: { runAsUser: '10001', runAsGroup: '10001' }, containers: [ctr('app', undefined, { imagePullPolicy: 'always' })] }, { replicas: '3' });
    expect(hits('SS-K8S-005', [d])).toEqual([]);
    expect(hits('SS-K8S-057', [d])).toEqual([]);
    expect(hits('SS-K8S-037', [d])).toEqual([]);
    expect(hits('SS-K8S-031', [d])).toEqual([]);
    expect(hits('SS-K8S-098', [d])).toEqual(['Deployment/web spec.replicas: Deployment replicas "3" is not a whole number of 0 or more: the API refuses it']);
  });
});
