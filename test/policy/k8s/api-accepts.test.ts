// SS-K8S-095 (Ingress paths) and SS-K8S-096 (CronJob schedules): what the API server refuses, on manifests written by hand.
import { PolicyEngine } from '../../../lib/policy/engine';
import { KubernetesPack } from '../../../lib/policy/k8s/kubernetes-pack';
import { k8sDocument } from '../../../lib/policy/runner';

function hits(ruleId: string, manifests: any[]): string[] {
  const engine = new PolicyEngine({ packs: [new KubernetesPack()] });
  const report = engine._check(manifests.map((m, i) => k8sDocument(m, `doc${i}`)), [], []);
  return report.findings.filter(f => f.ruleId === ruleId).map(f => `${f.jsonPath}: ${f.message}`);
}

describe('SS-K8S-095 Ingress paths the API server accepts', () => {
  const ingress = (apiVersion: string, paths: any[]) => ({
    apiVersion,
    kind: 'Ingress',
    metadata: { name: 'web', namespace: 'shop' },
    spec: { rules: [{ http: { paths: paths.map(p => ({ ...p, backend: { service: { name: 'web', port: { name: 'http' } } } })) } }] },
  });

  test('a pathType the API knows, and a path starting with /, pass; an ImplementationSpecific path may be empty or hold what its controller reads', () => {
    expect(hits('SS-K8S-095', [ingress('networking.k8s.io/v1', [
      { path: '/', pathType: 'Prefix' }, { path: '/a', pathType: 'Exact' }, { path: '/anything*', pathType: 'ImplementationSpecific' }, { pathType: 'ImplementationSpecific' },
      { path: '/api/v1.2/', pathType: 'Prefix' }, { path: '/.well-known/acme-challenge', pathType: 'Prefix' }, { path: '/a//b', pathType: 'ImplementationSpecific' },
    ])])).toEqual([]);
  });

  test('a Prefix or Exact path with //, /./, /../ or %2F, or ending in /. or /.., a relative ImplementationSpecific path, and an http section without paths are refused', () => {
    const paths = ['/api//v1', '/api/../admin', '/a/./b', '/api%2Fv1', '/api/.', '/api/..'].map(path => ({ path, pathType: 'Prefix' }));
    expect(hits('SS-K8S-095', [ingress('networking.k8s.io/v1', [...paths, { path: 'api', pathType: 'ImplementationSpecific' }])])).toEqual([
      'spec.rules[0].http.paths[0].path: Ingress path "/api//v1" of pathType Prefix contains //: the API server refuses the Ingress',
      'spec.rules[0].http.paths[1].path: Ingress path "/api/../admin" of pathType Prefix contains /../: the API server refuses the Ingress',
      'spec.rules[0].http.paths[2].path: Ingress path "/a/./b" of pathType Prefix contains /./: the API server refuses the Ingress',
      'spec.rules[0].http.paths[3].path: Ingress path "/api%2Fv1" of pathType Prefix contains %2F: the API server refuses the Ingress',
      'spec.rules[0].http.paths[4].path: Ingress path "/api/." of pathType Prefix ends with /.: the API server refuses the Ingress',
      'spec.rules[0].http.paths[5].path: Ingress path "/api/.." of pathType Prefix ends with /..: the API server refuses the Ingress',
      'spec.rules[0].http.paths[6].path: Ingress path "api" does not start with /, which even an ImplementationSpecific path must when it is set: the API server refuses the Ingress',
    ]);
    expect(hits('SS-K8S-095', [{ ...ingress('networking.k8s.io/v1', []), spec: { rules: [{ host: 'a.example.com', http: { paths: [] } }] } }])).toEqual([
      'spec.rules[0].http.paths: Ingress rule has an http section without paths: the API server refuses the Ingress',
    ]);
  });

  test('a missing or unknown pathType, and a relative Prefix or Exact path, are refused, each at its field', () => {
    expect(hits('SS-K8S-095', [ingress('networking.k8s.io/v1', [{ path: '/' }, { path: '/', pathType: 'prefix' }, { path: 'api', pathType: 'Prefix' }, { pathType: 'Exact' }])])).toEqual([
      'spec.rules[0].http.paths[0].pathType: Ingress path has no pathType, which networking.k8s.io/v1 requires: the API server refuses the Ingress',
      'spec.rules[0].http.paths[1].pathType: Ingress pathType "prefix" is not one of Exact, Prefix, ImplementationSpecific: the API server refuses the Ingress',
      'spec.rules[0].http.paths[2].path: Ingress path "api" of pathType Prefix does not start with /: the API server refuses the Ingress',
      'spec.rules[0].http.paths[3].path: Ingress path of pathType Exact is missing (it must start with /): the API server refuses the Ingress',
    ]);
  });

  test('a v1beta1 Ingress (which had no pathType) is not checked', () => {
    expect(hits('SS-K8S-095', [ingress('networking.k8s.io/v1beta1', [{ path: '/' }])])).toEqual([]);
  });
});

describe('SS-K8S-095 Ingress hosts and backends the API server accepts', () => {
  const ing = (spec: any) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'shop' }, spec });
  const path = (backend: any) => ({ path: '/', pathType: 'Prefix', backend });
  const svc = { service: { name: 'web', port: { name: 'http' } } };

  test('an IP, a host with a port, an uppercase host and a "*" in the middle are refused, in rules and in tls', () => {
    expect(hits('SS-K8S-095', [ing({
      tls: [{ hosts: ['Shop.example.com'], secretName: 't' }],
      rules: [
        { host: '10.0.0.1', http: { paths: [path(svc)] } }, { host: 'shop.example.com:8443', http: { paths: [path(svc)] } },
        { host: 'a.*.example.com', http: { paths: [path(svc)] } }, { host: '*.example.com', http: { paths: [path(svc)] } },
      ],
    })])).toEqual([
      'spec.tls[0].hosts[0]: Ingress TLS host "Shop.example.com" is not in lowercase (write shop.example.com): the API server refuses the Ingress',
      'spec.rules[0].host: Ingress host "10.0.0.1" is an IP address or has a port; it must be a DNS name: the API server refuses the Ingress',
      'spec.rules[1].host: Ingress host "shop.example.com:8443" has a port; it must be a DNS name without one: the API server refuses the Ingress',
      'spec.rules[2].host: Ingress host "a.*.example.com" has a "*" other than as its whole first label (*.example.com): the API server refuses the Ingress',
    ]);
  });

  test('a backend with both port forms, or both a service and a resource, and an Ingress with neither rules nor defaultBackend are refused', () => {
    expect(hits('SS-K8S-095', [ing({
      rules: [{
        host: 'shop.example.com',
        http: {
          paths: [
            path({ service: { name: 'web', port: { name: 'http', number: 80 } } }),
            path({ service: { name: 'web', port: { number: 80 } }, resource: { apiGroup: 'k8s.example.com', kind: 'Bucket', name: 'b' } }),
          ],
        },
      }],
    })])).toEqual([
      'spec.rules[0].http.paths[0].backend: Ingress backend gives its service port both a name and a number; the API takes one: the API server refuses the Ingress',
      'spec.rules[0].http.paths[1].backend: Ingress backend names both a service and a resource; the API takes one: the API server refuses the Ingress',
    ]);
    expect(hits('SS-K8S-095', [ing({ ingressClassName: 'nginx' })])).toEqual(['spec: Ingress has neither rules nor a defaultBackend: the API server refuses the Ingress']);
    expect(hits('SS-K8S-095', [ing({ defaultBackend: svc })])).toEqual([]);
  });

  test('a class name or TLS secretName that is no lowercase DNS name, and a class annotation that differs from ingressClassName, are refused', () => {
    const ingress = { ...ing({ ingressClassName: 'NGINX', tls: [{ hosts: ['shop.example.com'], secretName: 'Shop_TLS' }, { hosts: ['a.example.com'] }], defaultBackend: svc }) };
    ingress.metadata = { ...ingress.metadata, annotations: { 'kubernetes.io/ingress.class': 'nginx' } } as any;
    expect(hits('SS-K8S-095', [ingress])).toEqual([
      'spec.ingressClassName: Ingress class name "NGINX" is not a lowercase DNS name (did you mean nginx?): the API server refuses the Ingress',
      'metadata.annotations["kubernetes.io/ingress.class"]: Ingress annotation kubernetes.io/ingress.class "nginx" differs from ingressClassName "NGINX" (remove the annotation): the API server refuses the Ingress',
      'spec.tls[0].secretName: Ingress TLS secretName "Shop_TLS" is not a Secret name (a lowercase DNS name): the API server refuses the Ingress',
    ]);
    // the annotation alone, or saying the same as the field, passes
    const same = ing({ ingressClassName: 'alb', defaultBackend: svc });
    (same.metadata as any).annotations = { 'kubernetes.io/ingress.class': 'alb' };
    expect(hits('SS-K8S-095', [same, { ...ing({ defaultBackend: svc }), metadata: { name: 'old', namespace: 'shop', annotations: { 'kubernetes.io/ingress.class': 'nginx' } } }])).toEqual([]);
  });
});

describe('SS-K8S-096 CronJob schedule that runs', () => {
  const cron = (schedule: unknown) => ({
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'nightly', namespace: 'shop' },
    spec: { ...(schedule === undefined ? {} : { schedule }), jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'job', image: 'busybox:1.36.1' }] } } } } },
  });

  test('5 fields with names, ranges, lists and steps, the descriptors and @every pass', () => {
    for (const s of ['0 3 * * *', '*/15 9-17 * JAN-MAR MON-FRI', '0,30 * ? * *', '@daily', '@every 5m', ' 0 3 * * * ', '0 3 30 2 1']) {
      expect([s, hits('SS-K8S-096', [cron(s)])]).toEqual([s, []]);
    }
  });

  test('a value out of range, a wrong number of fields, a time zone in the expression, an unknown descriptor and a missing schedule are refused by the API server', () => {
    expect(hits('SS-K8S-096', [cron('61 * * * *')])).toEqual([
      'spec.schedule: CronJob schedule "61 * * * *" has an invalid minute field "61": 61 is outside 0-59: the API server refuses the CronJob; '
      + "use a value from 0 to 59, '*', a range 'a-b', a list 'a,b' or a step '*/n'",
    ]);
    expect(hits('SS-K8S-096', [cron('0 0 3 * * *')])[0]).toContain('has 6 field(s); a cron expression has exactly 5 (minute hour day-of-month month day-of-week): the API server refuses the CronJob');
    expect(hits('SS-K8S-096', [cron('CRON_TZ=Europe/Paris 0 3 * * *')])).toEqual([
      'spec.schedule: CronJob schedule "CRON_TZ=Europe/Paris 0 3 * * *" sets a time zone inside the expression, which the API server refuses; remove the CRON_TZ= prefix and set spec.timeZone (Kubernetes 1.27 and later) instead',
    ]);
    expect(hits('SS-K8S-096', [cron('@fortnightly')])[0]).toContain('is not a supported descriptor');
    expect(hits('SS-K8S-096', [cron(undefined)])[0]).toContain('spec.schedule: CronJob schedule is unset, which the API server refuses');
  });

  test('a schedule whose days never occur in its months is accepted by the API and never runs: reported without saying it is refused', () => {
    expect(hits('SS-K8S-096', [cron('0 3 30 2 *')])).toEqual([
      'spec.schedule: CronJob schedule "0 3 30 2 *" never runs: no day of month in "30" exists in the month(s) "2" (February has at most 29 days; April, June, September and November have 30); '
      + "pick days the months have (for the last day of a month, run on day 1 of the next month, for example '0 3 1 3 *' instead of '0 3 30 2 *'), or name the months the day exists in",
    ]);
  });
});

describe('SS-K8S-096 @every', () => {
  const cron = (schedule: string) => ({
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'nightly', namespace: 'shop' },
    spec: { schedule, jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'job', image: 'busybox:1.36.1' }] } } } } },
  });
  test('with a Go duration it passes; with anything else it is refused', () => {
    for (const s of ['@every 5m', '@every 1h30m', '@every 1.5h', '@every 90s']) expect([s, hits('SS-K8S-096', [cron(s)])]).toEqual([s, []]);
    expect(hits('SS-K8S-096', [cron('@every banana')])).toEqual([
      'spec.schedule: CronJob schedule "@every banana" gives @every no duration Go reads (such as 5m, 1h30m): the API server refuses the CronJob',
    ]);
    expect(hits('SS-K8S-096', [cron('@every 5')])).toHaveLength(1);
  });
});

describe('SS-K8S-096 CronJob time zones the API server finds', () => {
  const cron = (timeZone: unknown) => ({
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'report', namespace: 'shop' },
    spec: { schedule: '0 3 * * *', timeZone, jobTemplate: { spec: { template: { spec: { containers: [{ name: 'r', image: 'r:1' }], restartPolicy: 'Never' } } } } },
  });

  test('names of the tz database as it spells them pass, aliases included', () => {
    for (const tz of ['UTC', 'Europe/Berlin', 'America/Argentina/Buenos_Aires', 'Etc/GMT+2', 'US/Eastern', 'Asia/Calcutta', undefined]) {
      expect([tz, hits('SS-K8S-096', [cron(tz)])]).toEqual([tz, []]);
    }
  });

  test('a name in another case is refused with the name meant (Go looks names up case-sensitively; JavaScript does not)', () => {
    expect(hits('SS-K8S-096', [cron('europe/berlin')])).toEqual([
      'spec.timeZone: CronJob timeZone "europe/berlin" is not spelled as the tz database spells it: Kubernetes and Velero look time zone names up case-sensitively and refuse it; write "Europe/Berlin"',
    ]);
    expect(hits('SS-K8S-096', [cron('utc')])).toEqual([
      'spec.timeZone: CronJob timeZone "utc" is not spelled as the tz database spells it: Kubernetes and Velero look time zone names up case-sensitively and refuse it; write "UTC"',
    ]);
    expect(hits('SS-K8S-096', [cron('EUROPE/BERLIN')])).toHaveLength(1);
    // an alias in lowercase: the runtime names the zone otherwise, the fix is that name
    expect(hits('SS-K8S-096', [cron('us/eastern')])).toEqual([expect.stringContaining('write "America/New_York"')]);
  });

  test('an unknown name, and Local, are refused', () => {
    expect(hits('SS-K8S-096', [cron('Mars/Olympus')])).toEqual([
      'spec.timeZone: CronJob timeZone "Mars/Olympus" is not an IANA time zone name: the API server refuses the CronJob; use a name such as \'UTC\' or \'Europe/Berlin\'',
    ]);
    expect(hits('SS-K8S-096', [cron('Local')])).toHaveLength(1);
    expect(hits('SS-K8S-096', [cron('local')])).toHaveLength(1);
  });
});

describe('SS-K8S-071 Job and CronJob restart policy', () => {
  const job = (restartPolicy?: string) => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'migrate', namespace: 'shop' },
    spec: { template: { spec: { ...(restartPolicy === undefined ? {} : { restartPolicy }), containers: [{ name: 'm', image: 'm:1' }] } } },
  });

  test('a Job whose pods restart Always, or leave restartPolicy unset (which means Always), is refused', () => {
    expect(hits('SS-K8S-071', [job('Always')])).toEqual(['spec.template.spec.restartPolicy: Job pods need restartPolicy Never or OnFailure; it is "Always", which the API refuses']);
    expect(hits('SS-K8S-071', [job()])).toEqual(['spec.template.spec.restartPolicy: Job pods need restartPolicy Never or OnFailure; it is unset, which means Always, which the API refuses']);
  });

  test('Never and OnFailure pass', () => {
    expect(hits('SS-K8S-071', [job('Never'), job('OnFailure')])).toEqual([]);
  });
});

describe('SS-K8S-089 Job names', () => {
  const job = (name: string, manualSelector?: boolean) => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'shop' },
    spec: { ...(manualSelector ? { manualSelector, selector: { matchLabels: { app: 'm' } } } : {}), template: { metadata: { labels: { app: 'm' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'm', image: 'm:1' }] } } },
  });

  test('a Job name over 63 characters is refused (its pods\' job-name label holds 63), unless the Job selects its pods itself', () => {
    expect(hits('SS-K8S-089', [job('j'.repeat(63))])).toEqual([]);
    expect(hits('SS-K8S-089', [job('j'.repeat(64))])).toEqual([
      `metadata.name: Job name "${'j'.repeat(64)}" must be at most 63 characters: the API server writes it into the job-name label of the Job's pods, which holds 63`,
    ]);
    expect(hits('SS-K8S-089', [job('j'.repeat(64), true)])).toEqual([]);
  });
});
