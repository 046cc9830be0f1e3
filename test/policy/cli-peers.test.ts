// The peer mapping (lib/policy/peers.ts) and the peers' exemption annotations honoured by `shipshape check`.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { removeTempDirsAfterAll, run, tmpDir, writeTree } from './cli-helpers';
import { App } from '../../lib/k8s';
import { KubernetesPack } from '../../lib/policy/k8s/kubernetes-pack';
import { PEER_CHECKS, PEER_LABELS, PEER_NAMES, peerExemptions, PeerName, rulesForPeerCheck } from '../../lib/policy/peers';
import { checkObjects } from '../../lib/policy/runner';

removeTempDirsAfterAll();

const README = path.join(__dirname, '..', '..', 'lib', 'policy', 'README.md');

/** The rule table of lib/policy/README.md: id -> peers named in the upstream column, and the Checkov ids. */
function readmeTable(): Map<string, { peers: string[]; checkov: string[] }> {
  const rows = new Map<string, { peers: string[]; checkov: string[] }>();
  for (const line of fs.readFileSync(README, 'utf-8').split('\n')) {
    const m = /^\| (SS-K8S-\d{3}) \|.*\| ([^|]*) \|$/.exec(line);
    if (!m) continue;
    const upstream = m[2].trim();
    const paren = upstream.indexOf(' (');
    const names = (paren >= 0 ? upstream.slice(0, paren) : upstream).split(',').map(s => s.trim()).filter(s => s !== '');
    const ids = paren >= 0 ? upstream.slice(paren + 2, upstream.lastIndexOf(')')).split(',').map(s => s.trim()) : [];
    rows.set(m[1], { peers: names, checkov: ids.filter(id => /^CKV2?_/.test(id)).sort() });
  }
  return rows;
}

describe('peers.ts is the one source of the README upstream column', () => {
  const table = readmeTable();
  const labels = new Set(Object.values(PEER_LABELS));

  test('the README says the column is generated from / must match peers.ts', () => {
    expect(fs.readFileSync(README, 'utf-8')).toContain('must match `PEER_CHECKS` in `peers.ts`');
  });

  test('every rule of the Kubernetes pack has a peers.ts entry and a README row, and nothing else does', () => {
    const ids = new KubernetesPack().rules.map(r => r.id).sort();
    expect(Object.keys(PEER_CHECKS).sort()).toEqual(ids);
    expect([...table.keys()].sort()).toEqual(ids);
  });

  test.each(Object.keys(PEER_CHECKS).sort())('%s: the peers the README names are those with check ids in peers.ts, and the Checkov ids agree', id => {
    const row = table.get(id)!;
    const inReadme = row.peers.filter(p => labels.has(p)).sort();
    const inTable = PEER_NAMES.filter(p => (PEER_CHECKS[id][p] ?? []).length > 0).map(p => PEER_LABELS[p]).sort();
    expect({ id, peers: inReadme, checkov: row.checkov }).toEqual({ id, peers: inTable, checkov: [...(PEER_CHECKS[id].checkov ?? [])].sort() });
  });

  // The peers' mirrors (bare git repositories) are on the build machine, not in a fresh clone.
  const MIRROR = process.env.PEER_MIRROR ?? '/work/.mirror';
  const repos: { [P in PeerName]?: { repo: string; ids: (git: (...a: string[]) => string) => Set<string> } } = {
    'polaris': {
      repo: 'FairwindsOps+polaris',
      ids: git => new Set(git('ls-tree', '--name-only', 'HEAD', 'pkg/config/checks/').split('\n').filter(f => f.endsWith('.yaml')).map(f => path.basename(f, '.yaml'))),
    },
    'kube-linter': {
      repo: 'stackrox+kube-linter',
      ids: git => new Set(git('ls-tree', '--name-only', 'HEAD', 'pkg/builtinchecks/yamls/').split('\n').filter(f => f.endsWith('.yaml'))
        .map(f => /^name: "?([\w-]+)"?$/m.exec(git('show', `HEAD:${f}`))?.[1] ?? '')),
    },
    'kube-score': {
      repo: 'zegl+kube-score',
      ids: git => new Set([...git('show', 'HEAD:README_CHECKS.md').matchAll(/^\| ([\w-]+) \|/gm)].map(m => m[1])),
    },
    'pod-security': {
      repo: 'kubernetes+pod-security-admission',
      ids: git => new Set([...git('grep', '-h', '-E', 'ID[: ].*"', 'HEAD', '--', 'policy').matchAll(/"(\w+)"/g)].map(m => m[1])),
    },
  };
  for (const peer of PEER_NAMES) {
    const src = repos[peer];
    const dir = src ? path.join(MIRROR, src.repo, 'repo') : '';
    const present = src !== undefined && fs.existsSync(dir);
    (present ? test : test.skip)(`every ${peer} check id in peers.ts exists in ${peer}'s own source (mirror ${src?.repo ?? 'not kept'})`, () => {
      const git = (...a: string[]) => execFileSync('git', ['-C', dir, ...a], { encoding: 'utf-8', maxBuffer: 64 * 1024 * 1024 });
      const known = src!.ids(git);
      const used = [...new Set(Object.values(PEER_CHECKS).flatMap(ids => ids[peer] ?? []))].sort();
      expect(used.filter(id => !known.has(id))).toEqual([]);
    });
  }
});

// A Deployment that breaks many rules, in namespace shop, with the annotations each test adds.
function legacy(annotations: { [k: string]: string } = {}, templateAnnotations?: { [k: string]: string }): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'legacy', namespace: 'shop', annotations },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'legacy' } },
      template: {
        metadata: { labels: { app: 'legacy' }, ...(templateAnnotations ? { annotations: templateAnnotations } : {}) },
        spec: { containers: [{ name: 'app', image: 'nginx:latest', securityContext: { privileged: true }, ports: [{ containerPort: 8080, hostPort: 8080 }] }] },
      },
    },
  };
}

async function check(...docs: any[]): Promise<{ code: number; findings: any[]; out: string }> {
  const dir = writeTree(tmpDir(), { 'x.yaml': docs.map(d => yaml.dump(d)).join('---\n') });
  const json = path.join(dir, 'r.json');
  const r = await run(['check', path.join(dir, 'x.yaml'), '--json', json]);
  return { code: r.code, findings: JSON.parse(fs.readFileSync(json, 'utf-8')).findings, out: r.out };
}

const suppressedBy = (findings: any[], ruleId: string) => findings.filter(f => f.ruleId === ruleId).map(f => f.suppressed?.reason);

describe('peer exemption annotations suppress the mapped shipshape rules', () => {
  test('baseline: the legacy Deployment fails SS-K8S-001, 012, 029 and the resource rules, unsuppressed', async () => {
    const { code, findings } = await check(legacy());
    expect(code).toBe(1);
    for (const id of ['SS-K8S-001', 'SS-K8S-012', 'SS-K8S-023', 'SS-K8S-027', 'SS-K8S-029']) expect([id, [...new Set(suppressedBy(findings, id))]]).toStrictEqual([id, [undefined]]);
  });

  test('kube-linter ignore-check.kube-linter.io/<check>: the reason names the annotation and its value', async () => {
    const { findings } = await check(legacy({ 'ignore-check.kube-linter.io/privileged-container': 'the agent needs kernel access' }));
    expect(suppressedBy(findings, 'SS-K8S-001')).toEqual(['kube-linter exemption metadata.annotations["ignore-check.kube-linter.io/privileged-container"]: "the agent needs kernel access"']);
    expect(suppressedBy(findings, 'SS-K8S-029')).toStrictEqual([undefined]);
  });

  test('kube-linter kube-linter.io/ignore-all: every rule that stands for a kube-linter check, and only those', async () => {
    const { findings } = await check(legacy({ 'kube-linter.io/ignore-all': '' }));
    expect(suppressedBy(findings, 'SS-K8S-001')).toEqual(['kube-linter exemption metadata.annotations["kube-linter.io/ignore-all"]: ""']);
    expect(suppressedBy(findings, 'SS-K8S-029')[0]).toContain('kube-linter.io/ignore-all');
    expect(suppressedBy(findings, 'SS-K8S-012')).toStrictEqual([undefined]); // hostPort: no kube-linter check stands for it
  });

  test('Polaris polaris.fairwinds.com/<check>-exempt: "true" (any case); another value does nothing', async () => {
    const yes = await check(legacy({ 'polaris.fairwinds.com/hostPortSet-exempt': 'True' }));
    expect(suppressedBy(yes.findings, 'SS-K8S-012')).toEqual(['Polaris exemption metadata.annotations["polaris.fairwinds.com/hostPortSet-exempt"]: "True"']);
    const no = await check(legacy({ 'polaris.fairwinds.com/hostPortSet-exempt': 'false' }));
    expect(suppressedBy(no.findings, 'SS-K8S-012')).toStrictEqual([undefined]);
  });

  test('Polaris polaris.fairwinds.com/exempt: "true" exempts every rule that stands for a Polaris check', async () => {
    const { findings } = await check(legacy({ 'polaris.fairwinds.com/exempt': 'true' }));
    for (const id of ['SS-K8S-001', 'SS-K8S-012', 'SS-K8S-029']) expect(suppressedBy(findings, id)[0]).toContain('polaris.fairwinds.com/exempt');
    expect(suppressedBy(findings, 'SS-K8S-027')).toStrictEqual([undefined, undefined]); // ephemeral storage (request and limit): kube-score only
  });

  test('kube-score kube-score/ignore: a comma-separated list; container-resources also ignores the ephemeral-storage check', async () => {
    const { findings } = await check(legacy({ 'kube-score/ignore': 'container-image-tag, container-resources' }));
    const reason = 'kube-score exemption metadata.annotations["kube-score/ignore"]: "container-image-tag, container-resources"';
    for (const id of ['SS-K8S-029', 'SS-K8S-023', 'SS-K8S-024', 'SS-K8S-025', 'SS-K8S-026', 'SS-K8S-027']) {
      expect([id, [...new Set(suppressedBy(findings, id))]]).toEqual([id, [reason]]);
    }
    expect(suppressedBy(findings, 'SS-K8S-012')).toStrictEqual([undefined]);
  });

  test('kube-score reads the pod template annotations too, and kube-score/enable there re-enables a check the object ignores', async () => {
    const template = await check(legacy({}, { 'kube-score/ignore': 'container-image-tag' }));
    expect(suppressedBy(template.findings, 'SS-K8S-029')).toEqual(['kube-score exemption spec.template.metadata.annotations["kube-score/ignore"]: "container-image-tag"']);
    const enabled = await check(legacy({ 'kube-score/ignore': 'container-image-tag,container-security-context-privileged' }, { 'kube-score/enable': 'container-image-tag' }));
    expect(suppressedBy(enabled.findings, 'SS-K8S-029')).toStrictEqual([undefined]);
    expect(suppressedBy(enabled.findings, 'SS-K8S-001')[0]).toContain('kube-score/ignore');
  });

  test('Checkov checkov.io/skip<n>: <check id>=<comment>, or the id alone; bridgecrew.io/skip<n> too', async () => {
    const { findings } = await check(legacy({
      'checkov.io/skip1': 'CKV_K8S_16=privileged on purpose',
      'checkov.io/skip2': 'CKV_K8S_14',
      'bridgecrew.io/skip1': 'CKV_K8S_26=host port for the node exporter',
    }));
    expect(suppressedBy(findings, 'SS-K8S-001')).toEqual(['Checkov exemption metadata.annotations["checkov.io/skip1"]: "CKV_K8S_16=privileged on purpose"']);
    expect(suppressedBy(findings, 'SS-K8S-029')).toEqual(['Checkov exemption metadata.annotations["checkov.io/skip2"]: "CKV_K8S_14"']);
    expect(suppressedBy(findings, 'SS-K8S-012')[0]).toContain('bridgecrew.io/skip1');
  });

  test('an exemption of a check no shipshape rule stands for is ignored silently (no error, no stale warning)', async () => {
    const { code, findings, out } = await check({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 's',
        namespace: 'shop',
        annotations: {
          'ignore-check.kube-linter.io/no-such-check': 'x',
          'polaris.fairwinds.com/madeUpCheck-exempt': 'true',
          'checkov.io/skip1': 'CKV_K8S_999=nothing',
          'kube-score/ignore': 'no-such-test',
        },
      },
      spec: { type: 'NodePort', ports: [{ port: 80 }] },
    });
    expect(code).toBe(0);
    expect(findings.map(f => f.ruleId)).toEqual(['SS-K8S-051']);
    expect(out).not.toContain('SS-POLICY');
  });

  test('a peer exemption that silences nothing is not reported as stale; a shipshape annotation that does is', async () => {
    const ok = legacy();
    const { findings } = await check({
      ...ok,
      metadata: { ...ok.metadata, annotations: { 'ignore-check.kube-linter.io/no-extensions-v1beta': 'x', 'suppress.shipshape.io/SS-K8S-069': 'uses only stable API versions' } },
    });
    expect(findings.filter(f => f.ruleId === 'SS-POLICY-001').map(f => f.message)).toEqual(['suppression of SS-K8S-069 matches no finding (reason: uses only stable API versions)']);
  });

  test("a shipshape annotation wins over a peer's exemption of the same rule (its reason is the one shown)", async () => {
    const { findings } = await check(legacy({
      'ignore-check.kube-linter.io/privileged-container': 'kernel access',
      'suppress.shipshape.io/SS-K8S-001': 'the GPU driver installer loads a kernel module',
    }));
    expect(suppressedBy(findings, 'SS-K8S-001')).toEqual(['the GPU driver installer loads a kernel module']);
  });

  test("shipshape's own Polaris annotation on an autoscaled Deployment silences nothing when the HPA is in the output", async () => {
    // WebService and Worker write polaris.fairwinds.com/deploymentMissingReplicas-exempt when an HPA owns the count;
    // SS-K8S-037 skips HPA targets, so synth and the CLI agree: no finding, nothing suppressed, nothing stale.
    const dep = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'shop', annotations: { 'polaris.fairwinds.com/deploymentMissingReplicas-exempt': 'true' } }, spec: { selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image: 'x:1' }] } } } };
    const hpa = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'api', namespace: 'shop' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }, minReplicas: 2, maxReplicas: 4 } };
    const withHpa = await check(dep, hpa);
    expect(withHpa.findings.filter(f => f.ruleId === 'SS-K8S-037' || f.ruleId === 'SS-POLICY-001')).toEqual([]);
    // checked without its HPA (a partial output), the Deployment breaks SS-K8S-037 and the Polaris exemption covers it
    const alone = await check(dep);
    expect(suppressedBy(alone.findings, 'SS-K8S-037')[0]).toContain('polaris.fairwinds.com/deploymentMissingReplicas-exempt');
  });
});

// A DaemonSet sharing the host network and PID namespaces, mounting the Docker socket read-only and /var/log writable.
function nodeAgent(annotations: { [k: string]: string }): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'ops', annotations },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: {
        metadata: { labels: { app: 'agent' } },
        spec: {
          hostNetwork: true,
          hostPID: true,
          containers: [{
            name: 'agent',
            image: 'agent:1.0',
            volumeMounts: [{ name: 'sock', mountPath: '/var/run/docker.sock', readOnly: true }, { name: 'logs', mountPath: '/var/log' }],
          }],
          volumes: [{ name: 'sock', hostPath: { path: '/var/run/docker.sock' } }, { name: 'logs', hostPath: { path: '/var/log' } }],
        },
      },
    },
  };
}

/** The JSON paths of the rule's findings, each with its suppression's reason (or undefined). */
const byPath = (findings: any[], ruleId: string) => findings.filter(f => f.ruleId === ruleId).map(f => [f.jsonPath, f.suppressed?.reason]);

describe('an exemption of a peer check that stands for part of a rule silences that part only', () => {
  test("Polaris hostNetworkSet: SS-K8S-010's hostNetwork finding, not its hostPID one (Polaris' hostPIDSet still reports that)", async () => {
    const { code, findings } = await check(nodeAgent({ 'polaris.fairwinds.com/hostNetworkSet-exempt': 'true' }));
    expect(byPath(findings, 'SS-K8S-010')).toStrictEqual([
      ['spec.template.spec.hostNetwork', 'Polaris exemption metadata.annotations["polaris.fairwinds.com/hostNetworkSet-exempt"]: "true"'],
      ['spec.template.spec.hostPID', undefined],
    ]);
    expect(code).toBe(1);
  });

  test('kube-linter host-network and Checkov CKV_K8S_19 likewise; exempting both checks silences both findings', async () => {
    const annotations: Array<{ [k: string]: string }> = [{ 'ignore-check.kube-linter.io/host-network': 'CNI agent' }, { 'checkov.io/skip1': 'CKV_K8S_19=CNI agent' }];
    for (const annotation of annotations) {
      const { findings } = await check(nodeAgent(annotation));
      expect(byPath(findings, 'SS-K8S-010').map(([p, r]) => [p, r !== undefined])).toStrictEqual([['spec.template.spec.hostNetwork', true], ['spec.template.spec.hostPID', false]]);
    }
    const both = await check(nodeAgent({ 'polaris.fairwinds.com/hostNetworkSet-exempt': 'true', 'polaris.fairwinds.com/hostPIDSet-exempt': 'true' }));
    expect(byPath(both.findings, 'SS-K8S-010').map(([, r]) => r)).toStrictEqual([
      'Polaris exemption metadata.annotations["polaris.fairwinds.com/hostNetworkSet-exempt"]: "true"',
      'Polaris exemption metadata.annotations["polaris.fairwinds.com/hostPIDSet-exempt"]: "true"',
    ]);
  });

  test("kube-linter's host mount checks: writable-host-mount leaves the read-only Docker socket, docker-sock leaves the writable log dir", async () => {
    const writable = await check(nodeAgent({ 'ignore-check.kube-linter.io/writable-host-mount': 'log shipper' }));
    expect(byPath(writable.findings, 'SS-K8S-011').map(([p, r]) => [p, r !== undefined])).toStrictEqual([
      ['spec.template.spec.volumes[0].hostPath', false],
      ['spec.template.spec.volumes[1].hostPath', true],
    ]);
    const sock = await check(nodeAgent({ 'ignore-check.kube-linter.io/docker-sock': 'reads container metadata' }));
    expect(byPath(sock.findings, 'SS-K8S-011').map(([p, r]) => [p, r !== undefined])).toStrictEqual([
      ['spec.template.spec.volumes[0].hostPath', true],
      ['spec.template.spec.volumes[1].hostPath', false],
    ]);
    // Polaris' hostPathSet stands for the whole rule
    const polaris = await check(nodeAgent({ 'polaris.fairwinds.com/hostPathSet-exempt': 'true' }));
    expect(byPath(polaris.findings, 'SS-K8S-011').map(([, r]) => r !== undefined)).toStrictEqual([true, true]);
  });

  test('kube-score deployment-has-poddisruptionbudget on a StatefulSet exempts nothing (kube-score runs its statefulset- check there)', async () => {
    const sts = (ignore: string) => {
      const d = legacy({ 'kube-score/ignore': ignore });
      return { ...d, kind: 'StatefulSet', spec: { ...d.spec, replicas: 3, serviceName: 'legacy' } };
    };
    expect(suppressedBy((await check(sts('deployment-has-poddisruptionbudget'))).findings, 'SS-K8S-041')).toStrictEqual([undefined]);
    expect(suppressedBy((await check(sts('statefulset-has-poddisruptionbudget'))).findings, 'SS-K8S-041')).toStrictEqual([
      'kube-score exemption metadata.annotations["kube-score/ignore"]: "statefulset-has-poddisruptionbudget"',
    ]);
  });

  test('synth honours the same scopes (checkObjects)', () => {
    const report = checkObjects(new App(), [{ manifest: nodeAgent({ 'polaris.fairwinds.com/hostNetworkSet-exempt': 'true' }), path: 'app/agent', chart: 'app' }], [new KubernetesPack()]);
    expect(report.findings.filter(f => f.ruleId === 'SS-K8S-010').map(f => [f.jsonPath, f.suppression !== undefined])).toStrictEqual([
      ['spec.template.spec.hostNetwork', true],
      ['spec.template.spec.hostPID', false],
    ]);
  });
});

describe('peerExemptions', () => {
  test('maps peer checks to rules through the table, in a stable order', () => {
    expect(rulesForPeerCheck('kube-score', 'container-resources')).toEqual(['SS-K8S-023', 'SS-K8S-024', 'SS-K8S-025', 'SS-K8S-026']);
    expect(rulesForPeerCheck('kube-linter', 'run-as-non-root')).toEqual(['SS-K8S-004', 'SS-K8S-006']);
    expect(rulesForPeerCheck('polaris', 'nope')).toEqual([]);
    expect(peerExemptions({ metadata: { annotations: { 'ignore-check.kube-linter.io/run-as-non-root': 'why' } } }).map(e => [e.ruleId, e.peer, e.annotation])).toEqual([
      ['SS-K8S-004', 'kube-linter', 'metadata.annotations["ignore-check.kube-linter.io/run-as-non-root"]'],
      ['SS-K8S-006', 'kube-linter', 'metadata.annotations["ignore-check.kube-linter.io/run-as-non-root"]'],
    ]);
  });

  test('Pod Security Admission has no per-object exemption: nothing is read for it', () => {
    expect(peerExemptions({ metadata: { annotations: { 'pod-security.kubernetes.io/exempt': 'true' }, labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } } })).toEqual([]);
  });

  test('malformed metadata is ignored', () => {
    for (const m of [null, 'x', { metadata: 'x' }, { metadata: { annotations: ['a'] } }, { kind: 'CronJob', spec: { jobTemplate: null } }]) {
      expect(peerExemptions(m)).toEqual([]);
    }
  });
});

describe('suppress.shipshape.io annotations on a pod template (where a Helm chart\'s podAnnotations put them)', () => {
  test('silence the rule on the whole object, as on the object\'s own metadata', async () => {
    const { findings } = await check(legacy({}, { 'suppress.shipshape.io/SS-K8S-029': 'pinned by the chart\'s own digest policy' }));
    expect(suppressedBy(findings, 'SS-K8S-029')).toEqual(['pinned by the chart\'s own digest policy']);
    expect(suppressedBy(findings, 'SS-K8S-001')).toStrictEqual([undefined]);
  });

  test('on a CronJob\'s job template too, and a stale one is reported at the template annotation', async () => {
    const cron = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'nightly', namespace: 'shop' },
      spec: {
        schedule: '0 3 * * *',
        jobTemplate: {
          spec: {
            template: {
              metadata: { annotations: { 'suppress.shipshape.io/SS-K8S-029': 'the tag is pinned upstream', 'suppress.shipshape.io/SS-K8S-051': 'no Service here, kept anyway' } },
              spec: { restartPolicy: 'Never', containers: [{ name: 'job', image: 'busybox:latest' }] },
            },
          },
        },
      },
    };
    const { findings } = await check(cron);
    expect(suppressedBy(findings, 'SS-K8S-029')).toEqual(['the tag is pinned upstream']);
    expect(findings.filter(f => f.ruleId === 'SS-POLICY-001').map(f => f.jsonPath))
      .toEqual(['spec.jobTemplate.spec.template.metadata.annotations["suppress.shipshape.io/SS-K8S-051"]']);
  });

  test('a reason too short is refused at the template annotation; a key on both the object and its template counts once, the object\'s', async () => {
    const short = await check(legacy({}, { 'suppress.shipshape.io/SS-K8S-029': 'ok' }));
    expect(short.code).toBe(1);
    expect(short.findings.filter(f => f.ruleId === 'SS-POLICY-003').map(f => [f.jsonPath, f.message])).toEqual([[
      'spec.template.metadata.annotations["suppress.shipshape.io/SS-K8S-029"]',
      'annotation suppress.shipshape.io/SS-K8S-029 needs a reason of at least 10 characters (got "ok")',
    ]]);
    const both = await check(legacy({ 'suppress.shipshape.io/SS-K8S-029': 'the object says why here' }, { 'suppress.shipshape.io/SS-K8S-029': 'x' }));
    expect(suppressedBy(both.findings, 'SS-K8S-029')).toEqual(['the object says why here']);
    expect(both.findings.filter(f => f.ruleId === 'SS-POLICY-003' || f.ruleId === 'SS-POLICY-001')).toEqual([]);
  });

  test('a key without the rule id, or with several ids, is refused with one annotation per rule as the fix (check and synth alike)', async () => {
    const r = await check(legacy({
      'suppress.shipshape.io': 'SS-K8S-037 a single replica is enough here',
      'suppress.shipshape.io/SS-K8S-001,SS-K8S-012': 'the GPU driver installer needs both',
    }));
    expect(r.code).toBe(1);
    const bad = r.findings.filter(f => f.ruleId === 'SS-POLICY-003').map(f => [f.jsonPath, f.message]);
    expect(bad).toEqual([
      ['metadata.annotations["suppress.shipshape.io"]',
        'annotation suppress.shipshape.io names no rule: the rule id goes into the key, after suppress.shipshape.io/, so it suppresses nothing'],
      ['metadata.annotations["suppress.shipshape.io/SS-K8S-001,SS-K8S-012"]',
        'annotation suppress.shipshape.io/SS-K8S-001,SS-K8S-012 names 2 rules (SS-K8S-001, SS-K8S-012) in one key, so it suppresses none of them '
          + '(and the API refuses the key: the name of an annotation holds only letters, digits, "-", "_" and ".")'],
    ]);
    expect(r.out).toContain('    fix: one annotation per rule: suppress.shipshape.io/<RULE-ID>: <reason> (here suppress.shipshape.io/SS-K8S-037: "a single replica is enough here")\n');
    expect(r.out).toContain('    fix: one annotation per rule: suppress.shipshape.io/<RULE-ID>: <reason> '
      + '(here suppress.shipshape.io/SS-K8S-001 and suppress.shipshape.io/SS-K8S-012, each with its reason)\n');
    // nothing is suppressed, and the comma key is not taken for a rule id of its own (SS-POLICY-004)
    expect(suppressedBy(r.findings, 'SS-K8S-001')).toStrictEqual([undefined]);
    expect(r.findings.filter(f => f.ruleId === 'SS-POLICY-004')).toEqual([]);
    // synth reports the same
    const app = new App({ outdir: tmpDir(), policy: false });
    const manifest = legacy({ 'suppress.shipshape.io': 'SS-K8S-037 a single replica is enough here', 'suppress.shipshape.io/SS-K8S-001 SS-K8S-012': 'the GPU driver installer needs both' });
    const report = checkObjects(app, [{ manifest, path: 'legacy', chart: 'legacy' }], [new KubernetesPack()]);
    expect(report.findings.filter(f => f.ruleId === 'SS-POLICY-003').map(f => f.message)).toEqual([
      'annotation suppress.shipshape.io names no rule: the rule id goes into the key, after suppress.shipshape.io/, so it suppresses nothing',
      'annotation suppress.shipshape.io/SS-K8S-001 SS-K8S-012 names 2 rules (SS-K8S-001, SS-K8S-012) in one key, so it suppresses none of them '
        + '(and the API refuses the key: the name of an annotation holds only letters, digits, "-", "_" and ".")',
    ]);
  });

  test('synth reads them the same way (the policy check of a k8s.App)', () => {
    const app = new App({ outdir: tmpDir(), policy: false });
    const report = checkObjects(app, [{ manifest: legacy({}, { 'suppress.shipshape.io/SS-K8S-029': 'pinned by the chart\'s own digest policy' }), path: 'legacy', chart: 'legacy' }], [new KubernetesPack()]);
    expect(report.findings.filter(f => f.ruleId === 'SS-K8S-029').map(f => f.suppression?.reason)).toEqual(['pinned by the chart\'s own digest policy']);
  });
});
