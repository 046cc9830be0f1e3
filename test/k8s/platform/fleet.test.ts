import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { cluster, connectionsFromDiagram, connectionsFromPolicies, errorOf, IMAGE, karpenterPool, karpenterProfile, outdir, pool, quietly, readDocs } from './fixtures';
import { gpuDevicePluginRelease } from '../../../lib/aws/private/gpu-device-plugin';
import { ClusterProfile, EnvironmentProfile, FleetDescription } from '../../../lib/core';
import { App, HttpIngress, IngressTls, Job, NetworkPeer, Replicas, Schedule, ScheduledJob, Probe, StatefulService, WebService, Worker } from '../../../lib/k8s';
import { AddOnPack, Fleet, FleetProps, FleetTarget, IFleetWorkloads } from '../../../lib/k8s/platform';
import { AmbassadorProxy } from '../../../lib/k8s/sidecars';
import { expectError, stderrOf } from '../../util/k8s';
import { expectValid, SHARED_SCHEMAS } from '../../util/schema';

const dnsIdentity = { namespace: 'external-dns', serviceAccount: 'external-dns', roleName: 'dns', mechanism: 'pod-identity', serviceAccountAnnotations: {} };

function profile(name: string, region: string, env: EnvironmentProfile, extra: Partial<ClusterProfile> = {}): ClusterProfile {
  return cluster({ clusterName: name, region, environment: env, workloadIdentities: [dnsIdentity], ...extra });
}

function description(extraClusters: FleetDescription['clusters'] = []): FleetDescription {
  return {
    name: 'acme',
    environments: [
      { name: 'staging', profile: EnvironmentProfile.STAGING, domain: 'staging.acme.example', sync: { automated: true, prune: true, selfHeal: true } },
      { name: 'production', profile: EnvironmentProfile.PRODUCTION, domain: 'acme.example' },
    ],
    clusters: [
      { name: 'staging-eu', environment: 'staging', region: 'eu-west-1', profile: profile('staging-eu', 'eu-west-1', EnvironmentProfile.STAGING) },
      { name: 'prod-eu', environment: 'production', region: 'eu-west-1', profile: profile('prod-eu', 'eu-west-1', EnvironmentProfile.PRODUCTION) },
      ...extraClusters,
    ],
  };
}

class Shop implements IFleetWorkloads {
  public define(scope: Construct, target: FleetTarget): void {
    const web = new WebService(scope, 'web', {
      image: IMAGE,
      port: 3000,
      profile: target.profile,
      resources: { cpu: target.isProduction ? '500m' : '250m' },
    });
    const api = new WebService(scope, 'api', { image: IMAGE, profile: target.profile, replicas: target.isProduction ? Replicas.autoscale({ min: 3, max: 6 }) : undefined });
    api.allowFrom(web);
    new HttpIngress(scope, 'shop', { rules: [{ host: target.hostname('shop'), paths: [{ backend: web }] }], tls: IngressTls.acmByHost() });
  }
}

class Reports implements IFleetWorkloads {
  public define(scope: Construct, target: FleetTarget): void {
    new WebService(scope, 'reports', { image: IMAGE, profile: target.profile });
  }
}

function fleetProps(dir: string, extra: Partial<FleetProps> = {}): FleetProps {
  return {
    description: description(),
    outdir: dir,
    gitOps: { repoUrl: 'https://github.com/acme/platform.git', path: 'dist/fleet', targetRevision: 'main' },
    teams: [
      { name: 'shop', group: 'team-shop', workloads: new Shop(), quota: { requestsCpu: '16' }, access: { principalArn: 'arn:aws:iam::123456789012:role/shop' } },
      { name: 'reports', group: 'team-reports', workloads: new Reports() },
    ],
    addOns: [AddOnPack.metricsServer(), AddOnPack.externalDns()],
    ...extra,
  };
}

/** A fleet standing for a later run of the program (a new process: it may write the folders of an earlier fleet). */
function rerun(props: FleetProps): Fleet {
  App._forgetOutdirs();
  return new Fleet(props);
}

function synthFleet(extra: Partial<FleetProps> = {}, dir = outdir()): { dir: string; fleet: Fleet } {
  App._forgetOutdirs(); // each fleet stands for a run of the program
  const fleet = new Fleet(fleetProps(dir, extra));
  quietly(() => fleet.synth());
  return { dir, fleet };
}

function argo(dir: string): any[] {
  return readDocs(path.join(dir, 'argocd')).map(d => d.doc);
}

function app(docs: any[], name: string): any {
  const a = docs.find(d => d.kind === 'Application' && d.metadata.name === name);
  if (!a) throw new Error(`no Application ${name}`);
  return a;
}

describe('Fleet output', () => {
  let dir = '';
  beforeAll(() => {
    dir = synthFleet().dir;
  });

  test('one folder per cluster, with a platform folder and one per team, and the Argo CD folder', () => {
    expect(fs.readdirSync(dir).sort()).toEqual(['.shipshape', 'argocd', 'prod-eu', 'staging-eu']);
    for (const c of ['staging-eu', 'prod-eu']) {
      expect(fs.readdirSync(path.join(dir, c)).sort()).toEqual(['.shipshape', 'platform', 'reports', 'shop', 'topology.md']);
    }
  });

  test('each cluster folder holds the team namespaces with their guard rails', () => {
    const kinds = readDocs(path.join(dir, 'prod-eu', 'platform')).map(d => `${d.doc.kind} ${d.doc.metadata.namespace ?? ''}/${d.doc.metadata.name}`).sort();
    expect(kinds).toEqual(expect.arrayContaining([
      'Namespace /shop', 'ResourceQuota shop/shop-quota', 'LimitRange shop/shop-limits', 'NetworkPolicy shop/shop-default-deny',
      'NetworkPolicy shop/shop-allow-dns', 'Role shop/shop-operate', 'RoleBinding shop/shop-operate', 'Namespace /reports', 'StorageClass /gp3', 'IngressClass /alb',
    ]));
  });

  test('the Argo CD objects are valid against the Argo CD CRD schemas', () => {
    const docs = argo(dir);
    expect(docs.map(d => d.kind).sort()).toEqual(expect.arrayContaining(['AppProject', 'Application']));
    if (!SHARED_SCHEMAS) {
      // without ../shared/schemas custom resources are not validated (test/util/global-setup.ts says so once per run)
      return;
    }
    expectValid(docs);
  });

  test('every Application of a cluster folder points at a folder of that cluster that exists and holds YAML, without recursing', () => {
    const apps = argo(dir).filter(d => d.kind === 'Application' && d.spec.source.path);
    expect(apps.map(a => a.metadata.name).sort()).toEqual(['prod-eu-platform', 'prod-eu-reports', 'prod-eu-shop', 'staging-eu-platform', 'staging-eu-reports', 'staging-eu-shop']);
    for (const a of apps) {
      const rel = a.spec.source.path.replace(/^dist\/fleet\//, '');
      expect(a.spec.source.path.startsWith('dist/fleet/')).toBe(true);
      expect(fs.readdirSync(path.join(dir, rel)).filter(f => f.endsWith('.yaml')).length).toBeGreaterThan(0);
      expect(a.spec.source.directory).toEqual({ recurse: false });
      expect(a.spec.source.repoURL).toBe('https://github.com/acme/platform.git');
      expect(a.spec.source.targetRevision).toBe('main');
      expect(a.spec.destination.name).toBe(a.metadata.labels['shipshape.io/cluster']);
    }
  });

  test('sync follows the environment: automated with prune and self-heal in staging, manual in production', () => {
    const docs = argo(dir);
    const retry = { limit: 10, backoff: { duration: '10s', factor: 2, maxDuration: '5m' } };
    expect(app(docs, 'staging-eu-shop').spec.syncPolicy).toEqual({ automated: { prune: true, selfHeal: true }, syncOptions: ['PruneLast=true'], retry });
    expect(app(docs, 'prod-eu-shop').spec.syncPolicy).toEqual({ syncOptions: ['PruneLast=true'], retry });
  });

  test('every Application retries a failed sync (Applications applied together sync in no set order: a team\'s may come before its namespace)', () => {
    const docs = argo(dir);
    const apps = docs.filter(d => d.kind === 'Application');
    expect(apps.length).toBeGreaterThan(4);
    for (const a of apps) expect(a.spec.syncPolicy.retry).toEqual({ limit: 10, backoff: { duration: '10s', factor: 2, maxDuration: '5m' } });
  });

  test('add-ons sync first, then namespaces and the platform folder, then the teams', () => {
    const docs = argo(dir);
    const wave = (n: string) => app(docs, n).metadata.annotations['argocd.argoproj.io/sync-wave'];
    expect([wave('prod-eu-metrics-server'), wave('prod-eu-platform'), wave('prod-eu-shop')]).toEqual(['-2', '-1', '0']);
    const ns = readDocs(path.join(dir, 'prod-eu', 'platform')).find(d => d.doc.kind === 'Namespace')!.doc;
    expect(ns.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-1');
  });

  test('add-ons are Helm Applications at their pinned version, on every cluster, with per-cluster values', () => {
    const docs = argo(dir);
    for (const c of ['staging-eu', 'prod-eu']) {
      expect(app(docs, `${c}-metrics-server`).spec.source).toEqual({
        repoURL: 'https://kubernetes-sigs.github.io/metrics-server/', chart: 'metrics-server', targetRevision: '3.12.2', helm: { releaseName: 'metrics-server' },
      });
      const dns = app(docs, `${c}-external-dns`).spec;
      expect(dns.project).toBe('acme-add-ons');
      expect(dns.destination).toEqual({ name: c, namespace: 'external-dns' });
      expect(dns.source.helm.parameters).toEqual(expect.arrayContaining([{ name: 'txtOwnerId', value: c }]));
      expect(dns.syncPolicy.syncOptions).toEqual(['CreateNamespace=true', 'ServerSideApply=true']);
    }
  });

  test('a team\'s AppProject: its repository, its namespace on its clusters, nothing cluster-scoped, no guard-rail kind', () => {
    const p = argo(dir).find(d => d.kind === 'AppProject' && d.metadata.name === 'acme-shop');
    expect(p.spec.sourceRepos).toEqual(['https://github.com/acme/platform.git']);
    expect(p.spec.destinations).toEqual([{ name: 'staging-eu', namespace: 'shop' }, { name: 'prod-eu', namespace: 'shop' }]);
    expect(p.spec.clusterResourceWhitelist).toEqual([]);
    expect(p.spec.namespaceResourceBlacklist.map((k: any) => k.kind)).toEqual(['ResourceQuota', 'LimitRange', 'Role', 'RoleBinding']);
    expect(app(argo(dir), 'prod-eu-shop').spec.project).toBe('acme-shop');
  });

  test('the platform project may create the platform folders\' cluster-scoped kinds; the add-on project reads only chart repositories', () => {
    const docs = argo(dir);
    const platform = docs.find(d => d.metadata.name === 'acme-platform');
    expect(platform.spec.clusterResourceWhitelist.map((k: any) => k.kind)).toEqual(['Namespace', 'StorageClass', 'IngressClass', 'ClusterRoleBinding']);
    const addOns = docs.find(d => d.metadata.name === 'acme-add-ons');
    expect(addOns.spec.sourceRepos).toEqual(['https://kubernetes-sigs.github.io/external-dns/', 'https://kubernetes-sigs.github.io/metrics-server/']);
  });

  test('one topology diagram per cluster, whose arrows are the connections its NetworkPolicies allow', () => {
    for (const c of ['staging-eu', 'prod-eu']) {
      const md = fs.readFileSync(path.join(dir, c, 'topology.md'), 'utf-8');
      expect(md).toMatch(new RegExp(`^# Network topology of cluster ${c} `));
      const fromPolicies = connectionsFromPolicies(readDocs(path.join(dir, c)).map(d => d.doc));
      expect(fromPolicies).toContain('Deployment shop/web | Deployment shop/api | TCP 8080');
      expect(connectionsFromDiagram(md)).toEqual(fromPolicies);
    }
  });

  test('staging and production differ where the environment says (replicas, autoscaling, resources, hostnames) and nowhere else', () => {
    const read = (c: string) => new Map(readDocs(path.join(dir, c, 'shop')).map(d => [d.file, d.doc]));
    const staging = read('staging-eu');
    const prod = read('prod-eu');
    expect([...staging.keys()].sort()).toEqual([...prod.keys()].sort());
    const normalize = (d: any) => {
      const x = JSON.parse(JSON.stringify(d));
      if (x.kind === 'HorizontalPodAutoscaler') {
        delete x.spec.minReplicas;
        delete x.spec.maxReplicas;
      }
      if (x.kind === 'Deployment') for (const c of x.spec.template.spec.containers) delete c.resources;
      if (x.kind === 'Ingress') {
        for (const r of x.spec.rules) delete r.host;
        for (const t of x.spec.tls ?? []) delete t.hosts;
      }
      return x;
    };
    const differing: string[] = [];
    for (const [file, doc] of staging) if (JSON.stringify(normalize(doc)) !== JSON.stringify(normalize(prod.get(file)))) differing.push(file);
    expect(differing).toEqual([]);
    expect(staging.get('HorizontalPodAutoscaler.api.k8s.yaml').spec).toEqual(expect.objectContaining({ minReplicas: 2, maxReplicas: 4 }));
    expect(prod.get('HorizontalPodAutoscaler.api.k8s.yaml').spec).toEqual(expect.objectContaining({ minReplicas: 3, maxReplicas: 6 }));
    expect(staging.get('Ingress.shop.k8s.yaml').spec.rules[0].host).toBe('shop.staging.acme.example');
    expect(prod.get('Ingress.shop.k8s.yaml').spec.rules[0].host).toBe('shop.acme.example');
    expect(prod.get('Deployment.web.k8s.yaml').spec.template.spec.containers[0].resources.requests.cpu).toBe('500m');
  });

  test('the fleet records its folders, and which one is the Argo CD folder', () => {
    expect(JSON.parse(fs.readFileSync(path.join(dir, '.shipshape', 'fleet.json'), 'utf-8'))).toEqual({ format: 'shipshape-fleet/v1', folders: ['argocd', 'prod-eu', 'staging-eu'], argoFolder: 'argocd' });
  });
});

describe('Fleet', () => {
  test('adding a cluster is one line: a new folder and its Applications, the other clusters unchanged', () => {
    const before = synthFleet().dir;
    const after = synthFleet({ description: description([{ name: 'prod-us', environment: 'production', region: 'us-east-1', profile: profile('prod-us', 'us-east-1', EnvironmentProfile.PRODUCTION) }]) }).dir;
    expect(fs.existsSync(path.join(after, 'prod-us', 'shop'))).toBe(true);
    expect(argo(after).filter(d => d.metadata.labels?.['shipshape.io/cluster'] === 'prod-us').map(d => d.metadata.name).sort())
      .toEqual(['prod-us-external-dns', 'prod-us-metrics-server', 'prod-us-platform', 'prod-us-reports', 'prod-us-shop']);
    for (const c of ['prod-eu', 'staging-eu']) {
      const files = (d: string) => readDocs(path.join(d, c)).map(x => JSON.stringify(x));
      expect(files(after)).toEqual(files(before));
    }
  });

  test('two clusters of one environment get the same team folders (only the cluster\'s own facts differ)', () => {
    const { dir } = synthFleet({ description: description([{ name: 'prod-eu-2', environment: 'production', region: 'eu-west-1', profile: profile('prod-eu-2', 'eu-west-1', EnvironmentProfile.PRODUCTION) }]) });
    for (const team of ['shop', 'reports']) {
      expect(readDocs(path.join(dir, 'prod-eu-2', team))).toEqual(readDocs(path.join(dir, 'prod-eu', team)));
    }
  });

  test('a cluster dropped from the fleet loses the files shipshape wrote in its folder', () => {
    const dir = outdir();
    synthFleet({ description: description([{ name: 'prod-us', environment: 'production', region: 'us-east-1', profile: profile('prod-us', 'us-east-1', EnvironmentProfile.PRODUCTION) }]) }, dir);
    fs.writeFileSync(path.join(dir, 'prod-us', 'notes.txt'), 'mine');
    synthFleet({}, dir);
    expect(fs.readdirSync(path.join(dir, 'prod-us'))).toEqual(['notes.txt']);
    expect(argo(dir).some(d => d.metadata.name.startsWith('prod-us-'))).toBe(false);
  });

  test('a dropped cluster\'s file that cannot be removed is named, and the folder stays recorded so the next synth tries again', () => {
    const dir = outdir();
    const withUs = { description: description([{ name: 'prod-us', environment: 'production', region: 'us-east-1', profile: profile('prod-us', 'us-east-1', EnvironmentProfile.PRODUCTION) }]) };
    synthFleet(withUs, dir);
    const stuck = path.join(dir, 'prod-us', 'topology.md');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const nodeFs: typeof fs = require('fs');
    const real = nodeFs.renameSync;
    const spy = jest.spyOn(nodeFs, 'renameSync').mockImplementation((from: fs.PathLike, to: fs.PathLike) => {
      if (String(from) === stuck) throw Object.assign(new Error('EPERM: operation not permitted'), { code: 'EPERM' });
      return real(from, to);
    });
    let stderr = '';
    try {
      App._forgetOutdirs();
      stderr = captured(() => new Fleet(fleetProps(dir)).synth()).stderr;
    } finally {
      spy.mockRestore();
    }
    expect(stderr).toContain(`could not remove topology.md (EPERM) from ${path.join(dir, 'prod-us')}, the output of prod-us, which is no longer in the fleet`);
    expect(JSON.parse(fs.readFileSync(path.join(dir, '.shipshape', 'fleet.json'), 'utf-8')).folders).toContain('prod-us');
    synthFleet({}, dir);
    expect(fs.existsSync(path.join(dir, 'prod-us'))).toBe(false);
  });

  test('a team limited to some environments runs only on their clusters', () => {
    const { dir } = synthFleet({ teams: [{ name: 'reports', group: 'team-reports', workloads: new Reports(), environments: ['staging'] }] });
    expect(fs.existsSync(path.join(dir, 'staging-eu', 'reports'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'prod-eu', 'reports'))).toBe(false);
    const p = argo(dir).find(d => d.metadata.name === 'acme-reports');
    expect(p.spec.destinations).toEqual([{ name: 'staging-eu', namespace: 'reports' }]);
  });

  test('a team that defines nothing on a cluster gets no Application there', () => {
    class OnlyStaging implements IFleetWorkloads {
      public define(scope: Construct, target: FleetTarget): void {
        if (target.environment === 'staging') new WebService(scope, 'tool', { image: IMAGE, profile: target.profile });
      }
    }
    const { dir } = synthFleet({ teams: [{ name: 'tools', group: 'team-tools', workloads: new OnlyStaging() }] });
    const names = argo(dir).filter(d => d.kind === 'Application').map(d => d.metadata.name);
    expect(names).toContain('staging-eu-tools');
    expect(names).not.toContain('prod-eu-tools');
  });

  test('access entries: one per team with access and cluster, as plain values for the AWS side', () => {
    const fleet = new Fleet(fleetProps(outdir()));
    expect(fleet.accessEntries).toEqual([
      { cluster: 'staging-eu', clusterName: 'staging-eu', team: 'shop', principalArn: 'arn:aws:iam::123456789012:role/shop', kubernetesGroups: ['team-shop'], namespaces: ['shop'] },
      { cluster: 'prod-eu', clusterName: 'prod-eu', team: 'shop', principalArn: 'arn:aws:iam::123456789012:role/shop', kubernetesGroups: ['team-shop'], namespaces: ['shop'] },
    ]);
  });

  test('accessEntriesFor(cluster): that cluster\'s entries; a name the fleet lacks throws instead of granting nothing', () => {
    const fleet = new Fleet(fleetProps(outdir()));
    expect(fleet.accessEntriesFor('prod-eu')).toEqual([
      { cluster: 'prod-eu', clusterName: 'prod-eu', team: 'shop', principalArn: 'arn:aws:iam::123456789012:role/shop', kubernetesGroups: ['team-shop'], namespaces: ['shop'] },
    ]);
    expect(errorOf(() => fleet.accessEntriesFor('prod'))).toContain('cluster ("prod") is not a cluster of the fleet (staging-eu, prod-eu)');
  });

  test('a cluster with an API server URL is addressed by server', () => {
    const d = description();
    const { dir } = synthFleet({ description: { ...d, clusters: [{ ...d.clusters[0], argoCdServer: 'https://staging.eks.example' }, d.clusters[1]] } });
    expect(app(argo(dir), 'staging-eu-shop').spec.destination).toEqual({ server: 'https://staging.eks.example', namespace: 'shop' });
  });

  /** A Git work tree whose origin is not the fleet's repository (a fork); returns its root. */
  function fork(): string {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-tree-'));
    fs.mkdirSync(path.join(root, '.git'));
    fs.writeFileSync(path.join(root, '.git', 'config'), '[remote "origin"]\n\turl = https://github.com/someone/fork.git\n');
    return root;
  }

  /** Runs `fn` with $CDK8S_OUTDIR set to `dir` (and the working directory `cwd`, when given). */
  function withOutdirEnv<T>(dir: string, fn: () => T, cwd?: string): T {
    const before = process.env.CDK8S_OUTDIR;
    const wd = process.cwd();
    process.env.CDK8S_OUTDIR = dir;
    if (cwd) process.chdir(cwd);
    try {
      return fn();
    } finally {
      if (cwd) process.chdir(wd);
      if (before === undefined) delete process.env.CDK8S_OUTDIR; else process.env.CDK8S_OUTDIR = before;
    }
  }

  test('the outdir defaults to $CDK8S_OUTDIR', () => {
    const root = fork();
    try {
      const dir = path.join(root, 'dist', 'fleet');
      expect(withOutdirEnv(dir, () => new Fleet({ ...fleetProps(''), outdir: undefined }).outdir)).toBe(dir);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  test('$CDK8S_OUTDIR elsewhere than gitOps.path, with no checkout of repoUrl to compare with, is refused: every Application would point at a folder synth does not write', () => {
    const dir = outdir();
    expect(() => withOutdirEnv(dir, () => new Fleet({ ...fleetProps(''), outdir: undefined }))).toThrow(
      `fleet/acme: gitOps.path ("dist/fleet") is not where the fleet writes: its output folder ${dir} (from $CDK8S_OUTDIR, which \`cdk8s synth\` sets from the output of cdk8s.yaml, default dist) `
      + `is ${path.relative(process.cwd(), dir)} from the working directory, a folder whose path does not end in dist/fleet (no Git work tree says where the repository root is), `
      + 'so every Application would point at dist/fleet of https://github.com/acme/platform.git, a folder this synth does not write; '
      + 'set output: dist/fleet in cdk8s.yaml (or the fleet\'s outdir to that folder), or set gitOps.path to the folder\'s path in the repository');
    // an explicit outdir is the user's choice (a fleet copied into another repository after synth): kept
    expect(stderrOf(() => new Fleet(fleetProps(outdir())).synth())).not.toContain('gitOps.path');
  });

  test('outside any Git work tree (a source archive), $CDK8S_OUTDIR ending in gitOps.path is kept wherever the program runs from (the root lies above it)', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-archive-'));
    try {
      const cwd = path.join(root, 'examples', 'fleet');
      fs.mkdirSync(cwd, { recursive: true });
      const fleet = withOutdirEnv('../../dist/fleet', () => new Fleet({ ...fleetProps(''), outdir: undefined }), cwd);
      expect(fleet.outdir).toBe('../../dist/fleet');
      expect(() => withOutdirEnv('../../dist/other', () => new Fleet({ ...fleetProps(''), outdir: undefined }), cwd)).toThrow('a folder whose path does not end in dist/fleet');
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  test('$CDK8S_OUTDIR at gitOps.path from the working directory, outside any Git work tree, is kept', () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-cwd-'));
    try {
      const fleet = withOutdirEnv('dist/fleet', () => new Fleet({ ...fleetProps(''), outdir: undefined }), cwd);
      expect(fleet.outdir).toBe('dist/fleet');
    } finally {
      fs.rmSync(cwd, { recursive: true, force: true });
    }
  });

  test('$CDK8S_OUTDIR at gitOps.path of the Git work tree it lies in (another remote, or none) is kept, whatever the working directory; elsewhere in it, refused with the output setting to use', () => {
    const root = fork();
    try {
      expect(stderrOf(() => withOutdirEnv(path.join(root, 'dist', 'fleet'), () => new Fleet({ ...fleetProps(''), outdir: undefined }).synth()))).not.toContain('gitOps.path');
      fs.mkdirSync(path.join(root, 'examples', 'fleet'), { recursive: true });
      expect(() => withOutdirEnv(path.join(root, 'examples', 'fleet', 'dist'), () => new Fleet({ ...fleetProps(''), outdir: undefined }), path.join(root, 'examples', 'fleet'))).toThrow(
        `is the folder examples/fleet/dist of the Git work tree at ${root}, so every Application would point at dist/fleet of https://github.com/acme/platform.git, a folder this synth does not write; `
        + 'set output: ../../dist/fleet in cdk8s.yaml');
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  test('without outdir or $CDK8S_OUTDIR, run from a folder of a Git work tree without a checkout of repoUrl: refused, as with $CDK8S_OUTDIR', () => {
    const root = fork();
    const before = process.env.CDK8S_OUTDIR;
    const wd = process.cwd();
    delete process.env.CDK8S_OUTDIR;
    fs.mkdirSync(path.join(root, 'sub'));
    process.chdir(path.join(root, 'sub'));
    try {
      expect(() => new Fleet({ ...fleetProps(''), outdir: undefined })).toThrow(
        `fleet/acme: gitOps.path ("dist/fleet") is not where the fleet writes: its output folder dist/fleet (gitOps.path, taken from the working directory ${process.cwd()}) `
        + `is the folder sub/dist/fleet of the Git work tree at ${root}, so every Application would point at dist/fleet of https://github.com/acme/platform.git, a folder this synth does not write; `
        + `run the program from the repository root (${root}), or set the fleet's outdir to '../dist/fleet', or set gitOps.path to the folder's path in the repository`);
      // from the work tree's root, it is where Argo CD looks
      process.chdir(root);
      expect(new Fleet({ ...fleetProps(''), outdir: undefined }).outdir).toBe('dist/fleet');
    } finally {
      process.chdir(wd);
      if (before !== undefined) process.env.CDK8S_OUTDIR = before;
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  test('without outdir or $CDK8S_OUTDIR, the fleet writes where Argo CD looks: gitOps.path', () => {
    const before = process.env.CDK8S_OUTDIR;
    delete process.env.CDK8S_OUTDIR;
    try {
      expect(new Fleet({ ...fleetProps(''), outdir: undefined }).outdir).toBe('dist/fleet');
    } finally {
      if (before !== undefined) process.env.CDK8S_OUTDIR = before;
    }
  });

  describe('an output folder inside the Git repository the Applications name', () => {
    /** A working tree whose origin is `remote`; returns its root. */
    function repo(remote: string, worktree = false): string {
      const root = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-fleet-repo-'));
      const config = `[core]\n\tbare = false\n[remote "origin"]\n\turl = ${remote}\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n`;
      if (worktree) {
        // a linked worktree: .git is a file naming the worktree's git dir, whose commondir holds the config
        const common = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-fleet-common-'));
        fs.writeFileSync(path.join(common, 'config'), config);
        fs.mkdirSync(path.join(common, 'worktrees', 'w'), { recursive: true });
        fs.writeFileSync(path.join(common, 'worktrees', 'w', 'commondir'), '../..\n');
        fs.writeFileSync(path.join(root, '.git'), `gitdir: ${path.join(common, 'worktrees', 'w')}\n`);
      } else {
        fs.mkdirSync(path.join(root, '.git'));
        fs.writeFileSync(path.join(root, '.git', 'config'), config);
      }
      return root;
    }

    test.each([
      ['an https remote', 'https://github.com/acme/platform.git', false],
      ['an scp-style ssh remote, another case of host', 'git@GitHub.com:acme/platform.git', false],
      ['an ssh URL without .git, in a linked worktree', 'ssh://git@github.com/acme/platform', true],
    ])('at another path than gitOps.path is refused (%s)', (_, remote, worktree) => {
      const root = repo(remote, worktree);
      expect(() => new Fleet(fleetProps(path.join(root, 'out', 'fleet')))).toThrow(
        `fleet/acme: gitOps.path ("dist/fleet") is not where the fleet writes: its output folder ${path.join(root, 'out', 'fleet')} is the folder out/fleet of the Git repository at ${root} (remote ${remote}, the repository of gitOps.repoUrl), so Argo CD would find no manifests at dist/fleet; `
        + "set gitOps.path to 'out/fleet', or the fleet's outdir to the folder gitOps.path names");
    });

    test('at the repository root is refused, and the fix names the outdir (gitOps.path cannot be the root)', () => {
      const root = repo('https://github.com/acme/platform.git');
      expect(() => new Fleet(fleetProps(root))).toThrow(
        `fleet/acme: gitOps.path ("dist/fleet") is not where the fleet writes: its output folder ${root} is the root of the Git repository at ${root} (remote https://github.com/acme/platform.git, the repository of gitOps.repoUrl), so Argo CD would find no manifests at dist/fleet; `
        + "set the fleet's outdir to the folder gitOps.path names (a fleet is written into a folder of the repository, not its root)");
    });

    test('an outdir that $CDK8S_OUTDIR set (cdk8s synth) is named as such, with the cdk8s.yaml setting to change', () => {
      const root = repo('https://github.com/acme/platform.git');
      const before = process.env.CDK8S_OUTDIR;
      process.env.CDK8S_OUTDIR = path.join(root, 'dist');
      try {
        expect(() => new Fleet({ ...fleetProps(path.join(root, 'dist')), outdir: undefined })).toThrow(
          `its output folder ${path.join(root, 'dist')} (from $CDK8S_OUTDIR, which \`cdk8s synth\` sets from the output of cdk8s.yaml, default dist: set output: dist/fleet there) is the folder dist`);
      } finally {
        if (before === undefined) delete process.env.CDK8S_OUTDIR; else process.env.CDK8S_OUTDIR = before;
      }
    });

    test('at gitOps.path is accepted, and so is any folder of a repository with another remote', () => {
      const same = repo('git@github.com:acme/platform.git');
      expect(new Fleet(fleetProps(path.join(same, 'dist', 'fleet'))).outdir).toBe(path.join(same, 'dist', 'fleet'));
      const other = repo('git@github.com:acme/program.git');
      expect(new Fleet(fleetProps(path.join(other, 'out'))).outdir).toBe(path.join(other, 'out'));
    });
  });

  test('brand check', () => {
    expect(Fleet.isFleet(new Fleet(fleetProps(outdir())))).toBe(true);
    expect(Fleet.isFleet({})).toBe(false);
  });
});

describe('Fleet output folder', () => {
  test('a manifest shipshape did not write is pointed out in a team folder too (Argo CD applies that folder whole), and left in place', () => {
    const dir = outdir();
    synthFleet({}, dir);
    fs.writeFileSync(path.join(dir, 'prod-eu', 'shop', 'stray.yaml'), 'kind: ConfigMap\n');
    fs.writeFileSync(path.join(dir, 'prod-eu', 'shop', 'notes.txt'), 'mine\n');
    const stderr = stderrOf(() => rerun(fleetProps(dir)).synth());
    expect(stderr).toContain(`shipshape: ${path.join(dir, 'prod-eu')} also holds shop/stray.yaml, which this app did not write`);
    expect(stderr).not.toContain('notes.txt');
    expect(fs.existsSync(path.join(dir, 'prod-eu', 'shop', 'stray.yaml'))).toBe(true);
  });

  test('a hand-made file at the root of a cluster folder is said to be left alone by Argo CD (no Application syncs that folder); one in a team folder is said to be applied', () => {
    const dir = outdir();
    synthFleet({}, dir);
    const stderrOfRerun = () => stderrOf(() => rerun(fleetProps(dir)).synth());
    fs.writeFileSync(path.join(dir, 'prod-eu', 'stray.yaml'), 'kind: ConfigMap\n');
    expect(stderrOfRerun()).toContain(`shipshape: ${path.join(dir, 'prod-eu')} also holds stray.yaml, which this app did not write `
      + '(no Application syncs the folder of cluster prod-eu itself, only its platform and team folders, so Argo CD leaves it alone)');
    fs.writeFileSync(path.join(dir, 'prod-eu', 'shop', 'hand.yaml'), 'kind: ConfigMap\n');
    expect(stderrOfRerun()).toContain('also holds shop/hand.yaml, stray.yaml, which this app did not write (Argo CD syncs every file of a folder, so the Application of its folder '
      + 'would apply shop/hand.yaml too; no Application syncs the folder of cluster prod-eu itself, only its platform and team folders, so it leaves stray.yaml alone)');
  });
});

describe('Fleet policy summary', () => {
  test('each cluster\'s summary on stderr names its cluster (the construct paths are the same in every cluster)', () => {
    class Floating implements IFleetWorkloads {
      public define(scope: Construct, target: FleetTarget): void {
        new WebService(scope, 'api', { image: 'ghcr.io/acme/api:16.4', profile: target.profile });
      }
    }
    let stderr = '';
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((x: any) => { stderr += String(x); return true; });
    try {
      new Fleet(fleetProps(outdir(), { teams: [{ name: 'shop', group: 'team-shop', workloads: new Floating() }] })).synth();
    } finally {
      spy.mockRestore();
    }
    expect(stderr).toMatch(/^shipshape policy \(cluster staging-eu\): 0 errors, 1 warning/m);
    expect(stderr).toMatch(/^shipshape policy \(cluster prod-eu\): 0 errors, 1 warning/m);
    expect(stderr).not.toMatch(/^shipshape policy: /m);
  });
});

describe('Fleet jobs', () => {
  test('a team\'s Job is an Argo CD Sync hook replacing its last run (self-heal would re-create it each time its TTL removes it); a CronJob is not', () => {
    class Migrations implements IFleetWorkloads {
      public define(scope: Construct, target: FleetTarget): void {
        new Job(scope, 'migrate', { image: IMAGE, profile: target.profile });
        new ScheduledJob(scope, 'nightly', { image: IMAGE, profile: target.profile, schedule: Schedule.cron('0 3 * * *') });
      }
    }
    const { dir } = synthFleet({ teams: [{ name: 'shop', group: 'team-shop', workloads: new Migrations() }] });
    const docs = readDocs(path.join(dir, 'staging-eu', 'shop')).map(d => d.doc);
    const job = docs.find(d => d.kind === 'Job');
    expect(job.metadata.annotations).toMatchObject({ 'argocd.argoproj.io/hook': 'Sync', 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation' });
    expect(job.spec.ttlSecondsAfterFinished).toBe(86400);
    const cron = docs.find(d => d.kind === 'CronJob');
    expect(cron.metadata.annotations?.['argocd.argoproj.io/hook']).toBeUndefined();
  });

  test('a Job that names its own hook keeps it', () => {
    class PreSync implements IFleetWorkloads {
      public define(scope: Construct, target: FleetTarget): void {
        const job = new Job(scope, 'migrate', { image: IMAGE, profile: target.profile });
        job.batchJob.metadata.addAnnotation('argocd.argoproj.io/hook', 'PreSync');
      }
    }
    const { dir } = synthFleet({ teams: [{ name: 'shop', group: 'team-shop', workloads: new PreSync() }] });
    const job = readDocs(path.join(dir, 'staging-eu', 'shop')).map(d => d.doc).find(d => d.kind === 'Job');
    expect(job.metadata.annotations['argocd.argoproj.io/hook']).toBe('PreSync');
    expect(job.metadata.annotations['argocd.argoproj.io/hook-delete-policy']).toBeUndefined();
  });
});

describe('Fleet validation', () => {
  test('a Karpenter pack on a fleet where no cluster of its environments has Karpenter is refused (it would install nothing)', () => {
    expect(() => new Fleet(fleetProps(outdir(), { addOns: [AddOnPack.karpenter({ environments: ['production'] })] }))).toThrow(
      'fleet/acme/add-ons/karpenter: clusters (["staging-eu","prod-eu"]) have no Karpenter (ClusterProfile.karpenter) in the environments the pack covers (production), '
      + 'so AddOnPack.karpenter() would install nothing; give a cluster aws.Karpenter (its profile then carries the controller release), or drop the pack');
  });

  test('an object of a team outside the team\'s namespace is refused at synth, before anything is written', () => {
    class Stray implements IFleetWorkloads {
      public define(scope: Construct, target: FleetTarget): void {
        new WebService(scope, 'api', { image: IMAGE, namespace: 'elsewhere', profile: target.profile });
      }
    }
    const dir = outdir();
    const fleet = rerun(fleetProps(dir, { teams: [{ name: 'shop', group: 'team-shop', workloads: new Stray() }] }));
    expect(errorOf(() => quietly(() => fleet.synth()))).toContain('cluster staging-eu: [shop] shop/api/Deployment: metadata.namespace ("elsewhere") of Deployment api is not team shop\'s namespace (shop)');
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('a team\'s backup (a Velero Schedule, in Velero\'s namespace) is refused with the reason and what to do instead', () => {
    class Backed implements IFleetWorkloads {
      public define(scope: Construct, target: FleetTarget): void {
        new StatefulService(scope, 'db', { readiness: Probe.http('/readyz'), liveness: Probe.http('/livez'), image: IMAGE, port: 5432, profile: target.profile, volumes: [{ name: 'data', size: '10Gi', mountPath: '/data' }], backup: { schedule: Schedule.cron('0 1 * * *') } });
      }
    }
    const fleet = new Fleet(fleetProps(outdir(), { teams: [{ name: 'shop', group: 'team-shop', workloads: new Backed() }] }));
    const message = errorOf(() => quietly(() => fleet.synth()));
    expect(message).toContain('shop/db/BackupSchedule: Schedule shop-db goes in its operator\'s namespace ("velero"), where team shop\'s Argo CD project may not deploy '
      + '(a team allowed there could also restore or read the backups of other teams); a fleet does not carry backups yet: leave `backup` out of the workloads a fleet deploys');
    expect(message).not.toContain('leave the namespace out');
  });

  test('a cluster-scoped object of a team is refused unless the team is allowed its kind', () => {
    class Scoped implements IFleetWorkloads {
      public define(scope: Construct): void {
        new ApiObject(scope, 'pc', { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'shop-high' }, value: 1000 } as any);
      }
    }
    const teams = (allowed: boolean) => [{ name: 'shop', group: 'team-shop', workloads: new Scoped(), ...(allowed ? { clusterResources: [{ group: 'scheduling.k8s.io', kind: 'PriorityClass' }] } : {}) }];
    expect(errorOf(() => quietly(() => new Fleet(fleetProps(outdir(), { teams: teams(false) })).synth())))
      .toContain('shop/pc: kind ("PriorityClass") is cluster-scoped, and team shop\'s Argo CD project allows no cluster-scoped kind;');
    const { dir } = synthFleet({ teams: teams(true) });
    expect(argo(dir).find(d => d.metadata.name === 'acme-shop').spec.clusterResourceWhitelist).toEqual([{ group: 'scheduling.k8s.io', kind: 'PriorityClass' }]);
  });

  test('a cluster-wide External Secrets kind (ClusterPushSecret) is cluster-scoped too: refused unless allowed', () => {
    class Push implements IFleetWorkloads {
      public define(scope: Construct): void {
        new ApiObject(scope, 'push', { apiVersion: 'external-secrets.io/v1alpha1', kind: 'ClusterPushSecret', metadata: { name: 'shop-push' } });
      }
    }
    expect(errorOf(() => quietly(() => new Fleet(fleetProps(outdir(), { teams: [{ name: 'shop', group: 'team-shop', workloads: new Push() }] })).synth())))
      .toContain('shop/push: kind ("ClusterPushSecret") is cluster-scoped, and team shop\'s Argo CD project allows no cluster-scoped kind;');
  });

  test('a team allowed Namespaces may not write one for a shared namespace or Argo CD\'s (its Application would own, and prune, it)', () => {
    class Takeover implements IFleetWorkloads {
      public define(scope: Construct): void {
        new ApiObject(scope, 'argo', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'argocd' } });
        new ApiObject(scope, 'system', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system' } });
      }
    }
    const message = errorOf(() => quietly(() => new Fleet(fleetProps(outdir(), {
      teams: [{ name: 'shop', group: 'team-shop', workloads: new Takeover(), clusterResources: [{ group: '', kind: 'Namespace' }] }],
    })).synth()));
    expect(message).toContain('shop/argo: metadata.name ("argocd") of Namespace argocd is the namespace Argo CD runs in (gitOps.namespace), which holds the fleet\'s AppProjects and Applications; '
      + 'team shop\'s Application would own it, and a prune of the team\'s folder would delete it: leave it to the platform, and name a namespace of the team\'s own');
    expect(message).toContain('shop/system: metadata.name ("kube-system") of Namespace kube-system is a namespace every cluster has and shares;');
  });

  test('a chart inside a team\'s chart is refused (it would move the folders Argo CD points at)', () => {
    class Nested implements IFleetWorkloads {
      public define(scope: Construct, target: FleetTarget): void {
        new WebService(new Chart(scope, 'inner'), 'api', { image: IMAGE, namespace: 'shop', profile: target.profile });
      }
    }
    expect(errorOf(() => quietly(() => new Fleet(fleetProps(outdir(), { teams: [{ name: 'shop', group: 'team-shop', workloads: new Nested() }] })).synth())))
      .toContain('cluster staging-eu: shop/inner: a chart inside a chart is not supported in a fleet');
  });

  test('quota errors name the cluster', () => {
    const fleet = new Fleet(fleetProps(outdir(), { teams: [{ name: 'shop', group: 'team-shop', workloads: new Shop(), quota: { requestsCpu: '1' } }] }));
    expect(errorOf(() => quietly(() => fleet.synth()))).toContain('cluster prod-eu: platform/shop: teams[0].quota.requestsCpu ("1") of namespace shop is less than its workloads need');
    expect(errorOf(() => quietly(() => fleet.synth()))).toContain('raise teams[0].quota.requestsCpu to at least');
  });

  test('hostname() without a domain is refused', () => {
    const d = description();
    const noDomain = { ...d, environments: d.environments.map(e => ({ ...e, domain: undefined })) };
    expectError(() => new Fleet(fleetProps(outdir(), { description: noDomain, addOns: [] })),
      /fleet target staging-eu\/shop: domain \(undefined\) is not set for cluster staging-eu nor for environment staging, so hostname\("shop"\) has no domain/);
  });

  test('one add-on in two versions, one per environment: a version is rolled out to staging before production', () => {
    const { dir } = synthFleet({ addOns: [AddOnPack.metricsServer({ environments: ['staging'], version: '3.12.2' }), AddOnPack.metricsServer({ environments: ['production'], version: '3.12.1' })] });
    const apps = argo(dir).filter(d => d.kind === 'Application' && d.metadata.labels?.['shipshape.io/add-on'] === 'metrics-server');
    expect(apps.map(a => `${a.metadata.name} ${a.spec.source.targetRevision}`).sort()).toEqual(['prod-eu-metrics-server 3.12.1', 'staging-eu-metrics-server 3.12.2']);
  });

  test.each([
    ['two teams with one name', { teams: [{ name: 'shop', group: 'a', workloads: new Reports() }, { name: 'shop', group: 'b', workloads: new Reports() }] }, /fleet\/acme: teams\[1\].name \("shop"\) is the name of another team/],
    ['two teams in one namespace', { teams: [{ name: 'a', group: 'a', workloads: new Reports(), namespace: 'x' }, { name: 'b', group: 'b', workloads: new Reports(), namespace: 'x' }] }, /teams\[1\].namespace \("x"\) is also team a's namespace/],
    ['a team named platform', { teams: [{ name: 'platform', group: 'a', workloads: new Reports() }] }, /teams\[0\].name \("platform"\) is the name of the platform folder of every cluster/],
    ['a team in an unknown environment', { teams: [{ name: 'a', group: 'a', workloads: new Reports(), environments: ['qa'] }] }, /teams\[0\].environments\[0\] \("qa"\) is not an environment of the fleet \(staging, production\)/],
    ['a team without workloads', { teams: [{ name: 'a', group: 'a', workloads: {} as any }] }, /teams\[0\].workloads \(\{\}\) must implement IFleetWorkloads/],
    ['a Git path outside the repository', { gitOps: { repoUrl: 'https://github.com/acme/platform.git', path: '../fleet' } }, /fleet\/acme: gitOps.path \("..\/fleet"\) must be the output folder's path relative to the repository root/],
    ['an absolute Git path', { gitOps: { repoUrl: 'https://github.com/acme/platform.git', path: '/dist' } }, /gitOps.path \("\/dist"\)/],
    ['no repository', { gitOps: { repoUrl: '', path: 'dist' } }, /gitOps.repoUrl \(""\) must be the Git repository the output is committed to/],
    ['two packs with one name', { addOns: [AddOnPack.metricsServer(), AddOnPack.metricsServer()] }, /addOns\[1\].name \("metrics-server"\) is the name of another add-on pack for the same environments \(every environment\)/],
    ['two packs of one name for overlapping environments', {
      addOns: [AddOnPack.metricsServer({ environments: ['staging'] }), AddOnPack.metricsServer({ environments: ['production', 'staging'] })],
    }, /addOns\[1\].name \("metrics-server"\) is the name of another add-on pack for the same environments \(staging\); give every pack its own name, or give packs of one name environments that do not overlap/],
    ['a pack in an unknown environment', { addOns: [AddOnPack.metricsServer({ environments: ['qa'] })] }, /addOns\[0\].environments\[0\] \("qa"\) is not an environment of the fleet/],
    ['two packs installing one release', {
      addOns: [AddOnPack.metricsServer(), AddOnPack.helm({ name: 'ms2', repository: 'https://x.example', chart: 'metrics-server', version: '1.0.0', namespace: 'kube-system', releaseName: 'metrics-server' })],
    }, /fleet\/acme\/add-ons\/ms2: releaseName \("kube-system\/metrics-server"\) is also installed on cluster staging-eu by pack metrics-server/],
  ])('%s is refused', (_what, extra, message) => {
    expectError(() => new Fleet(fleetProps(outdir(), extra as Partial<FleetProps>)), message);
  });

  test('a cluster named like the Argo CD folder is refused', () => {
    const d = description();
    expectError(() => new Fleet(fleetProps(outdir(), { description: { ...d, clusters: [{ ...d.clusters[0], name: 'argocd', profile: profile('argocd', 'eu-west-1', EnvironmentProfile.STAGING) }] } })),
      /fleet\/acme: gitOps.folder \("argocd"\) is also the name of cluster argocd/);
  });

  test('an add-on needing an identity the cluster lacks is refused, naming the cluster', () => {
    expectError(() => new Fleet(fleetProps(outdir(), { addOns: [AddOnPack.awsLoadBalancerController()] })),
      /fleet\/acme\/add-ons\/aws-load-balancer-controller: identity \("kube-system\/aws-load-balancer-controller"\) is not a workload identity of cluster staging-eu/);
  });
});

/** Every file under `dir` (also `.shipshape/`) and its bytes, by relative path. */
function tree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r); else out.set(r, fs.readFileSync(path.join(dir, r), 'latin1'));
    }
  };
  walk('');
  return out;
}

/** stderr while `fn` runs, and what it threw (undefined when it did not). */
function captured(fn: () => void): { stderr: string; error?: string } {
  let stderr = '';
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((x: any) => { stderr += String(x); return true; });
  try {
    fn();
    return { stderr };
  } catch (e) {
    return { stderr, error: (e as Error).message };
  } finally {
    spy.mockRestore();
  }
}

/** Version 2 of the shop: a new label on every cluster, and (with `privilegedIn`) a privileged container there. */
class Shop2 implements IFleetWorkloads {
  constructor(private readonly privilegedIn: string[]) {}
  public define(scope: Construct, target: FleetTarget): void {
    const web = new WebService(scope, 'web', { image: IMAGE, port: 3000, profile: target.profile });
    web.deployment.metadata.addLabel('acme.example/release', '2');
    if (this.privilegedIn.includes(target.clusterName)) {
      ApiObject.of(web.deployment).addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/securityContext/privileged', true));
    }
  }
}

describe('Fleet synth is all or nothing', () => {
  test('a later cluster failing its policy leaves every folder of the fleet byte-identical, and the error says so', () => {
    const dir = outdir();
    synthFleet({}, dir);
    const before = { staging: tree(path.join(dir, 'staging-eu')), prod: tree(path.join(dir, 'prod-eu')), argocd: tree(path.join(dir, 'argocd')), fleet: tree(path.join(dir, '.shipshape')) };
    const { error, stderr } = captured(() => rerun(fleetProps(dir, { teams: [{ name: 'shop', group: 'team-shop', workloads: new Shop2(['prod-eu']) }] })).synth());
    // the notes on the output staging printed are dropped: nothing they describe was written
    expect(stderr).not.toContain('shipshape note:');
    expect(captured(() => rerun(fleetProps(outdir(), { teams: [{ name: 'shop', group: 'team-shop', workloads: new Shop2([]) }] })).synth()).stderr).toContain('shipshape note:');
    expect(error).toMatch(new RegExp('^fleet/acme: synth failed on cluster prod-eu; no folder of the fleet was changed: every folder is checked before any is written '
      + `\\(a cluster that failed the policy keeps the reports of this run in its \\.shipshape/policy-report\\.failed\\.\\*\\)\ncluster prod-eu \\(${path.join(dir, 'prod-eu')}\\): `));
    expect(error).toContain('SS-K8S-');
    expect(error).toContain(`synth failed: no manifest was written, the previous output in ${path.join(dir, 'prod-eu')} is untouched`);
    // staging-eu passed (and its output would have changed), yet nothing of it was written
    expect(tree(path.join(dir, 'staging-eu'))).toEqual(before.staging);
    expect(tree(path.join(dir, 'argocd'))).toEqual(before.argocd);
    expect(tree(path.join(dir, '.shipshape'))).toEqual(before.fleet);
    // the failing cluster: its manifests and record as they were, plus the reports of the failed run
    const prodAfter = tree(path.join(dir, 'prod-eu'));
    expect([...prodAfter.keys()].filter(f => !before.prod.has(f)).sort()).toEqual(['.shipshape/policy-report.failed.json', '.shipshape/policy-report.failed.sarif']);
    for (const [f, bytes] of before.prod) expect(prodAfter.get(f)).toBe(bytes);
    // no staging folder is left behind
    for (const c of ['staging-eu', 'prod-eu', 'argocd']) expect(fs.readdirSync(path.join(dir, c, '.shipshape')).filter(f => f.startsWith('staging-'))).toEqual([]);

    // once the failure is gone, every folder moves together
    synthFleet({ teams: [{ name: 'shop', group: 'team-shop', workloads: new Shop2([]) }] }, dir);
    const deployment = (c: string) => readDocs(path.join(dir, c, 'shop')).find(d => d.doc.kind === 'Deployment')!.doc;
    expect(deployment('staging-eu').metadata.labels['acme.example/release']).toBe('2');
    expect(deployment('prod-eu').metadata.labels['acme.example/release']).toBe('2');
  });

  test('a move that fails in a later folder puts back the folders committed before it: no folder of the fleet changes', () => {
    const dir = outdir();
    synthFleet({}, dir);
    const clusters = ['staging-eu', 'prod-eu', 'argocd'];
    const before = new Map(clusters.map(c => [c, tree(path.join(dir, c))]));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const nodeFs: typeof fs = require('fs');
    const real = nodeFs.renameSync;
    let failed = false;
    const spy = jest.spyOn(nodeFs, 'renameSync').mockImplementation((from: fs.PathLike, to: fs.PathLike) => {
      // the first manifest moved into prod-eu (committed after staging-eu) fails, once
      if (!failed && String(to).startsWith(path.join(dir, 'prod-eu', 'shop')) && String(from).includes('staging-')) {
        failed = true;
        throw Object.assign(new Error('EIO: i/o error'), { code: 'EIO' });
      }
      return real(from, to);
    });
    let error: string | undefined;
    try {
      error = captured(() => rerun(fleetProps(dir, { teams: [{ name: 'shop', group: 'team-shop', workloads: new Shop2([]) }] })).synth()).error;
    } finally {
      spy.mockRestore();
    }
    expect(error).toMatch(/^fleet\/acme: synth failed while moving files into place; the folders changed before it \(cluster staging-eu\) were put back as they were, so no folder of the fleet was changed\nsynth could not move its files into .*prod-eu: EIO: i\/o error; the folder was put back as it was$/);
    for (const c of clusters) expect(tree(path.join(dir, c))).toEqual(before.get(c));
    for (const c of clusters) expect(fs.readdirSync(path.join(dir, c, '.shipshape')).filter(f => f.startsWith('staging-'))).toEqual([]);
  });

  test('an App whose outdir lies inside the fleet (a team folder, a cluster folder) is refused: the fleet\'s Applications deploy those folders', () => {
    const dir = outdir();
    synthFleet({}, dir);
    for (const inside of [path.join(dir, 'prod-eu', 'shop'), path.join(dir, 'prod-eu')]) {
      App._forgetOutdirs();
      const extra = new App({ outdir: inside });
      new WebService(new Chart(extra, 'extra', { namespace: 'extra' }), 'api', { image: IMAGE });
      expect(captured(() => extra.synth()).error).toMatch(/lies inside .*, the output folder of|holds the output of fleet\/acme: cluster prod-eu/);
    }
    // the fleet's own folder
    App._forgetOutdirs();
    const atRoot = new App({ outdir: dir });
    new WebService(new Chart(atRoot, 'extra', { namespace: 'extra' }), 'api', { image: IMAGE });
    expect(captured(() => atRoot.synth()).error).toContain(`is the output folder of a fleet (see ${path.join(dir, '.shipshape', 'fleet.json')})`);
  });

  test('another fleet whose folder lies inside this fleet\'s (in a cluster folder, or beside them) is refused before anything is written', () => {
    const dir = outdir();
    synthFleet({}, dir);
    for (const inside of [path.join(dir, 'prod-eu', 'nested'), path.join(dir, 'other')]) {
      App._forgetOutdirs();
      const other = new Fleet(fleetProps(inside, { description: { ...description(), name: 'other' } }));
      const { error } = captured(() => other.synth());
      expect(error).toContain(`lies inside ${dir}, the output folder of another fleet (see ${path.join(dir, '.shipshape', 'fleet.json')}), whose Applications deploy its folders; `
        + `give this fleet an output folder (outdir and gitOps.path) outside ${dir}`);
      expect(fs.existsSync(inside)).toBe(false);
    }
    // the fleet itself, run again, still writes its folders
    expect(captured(() => rerun(fleetProps(dir)).synth()).error).toBeUndefined();
  });

  test('every failing cluster is named, and a first synth that fails writes no manifest anywhere', () => {
    const dir = outdir();
    const { error } = captured(() => rerun(fleetProps(dir, { teams: [{ name: 'shop', group: 'team-shop', workloads: new Shop2(['staging-eu', 'prod-eu']) }] })).synth());
    expect(error).toMatch(/^fleet\/acme: synth failed on cluster staging-eu, cluster prod-eu; no folder of the fleet was changed/);
    expect(error).toContain(`\ncluster staging-eu (${path.join(dir, 'staging-eu')}): `);
    expect(error).toContain(`\n\ncluster prod-eu (${path.join(dir, 'prod-eu')}): `);
    expect(readDocs(dir)).toEqual([]);
    expect(fs.existsSync(path.join(dir, 'argocd'))).toBe(false);
    expect(fs.existsSync(path.join(dir, '.shipshape', 'fleet.json'))).toBe(false);
  });
});

describe('Fleet clusters and names', () => {
  const d = description();

  test('two clusters Argo CD reaches by one name are refused', () => {
    expectError(() => new Fleet(fleetProps(outdir(), { description: { ...d, clusters: [{ ...d.clusters[0], argoCdName: 'shared' }, { ...d.clusters[1], argoCdName: 'shared' }] } })),
      'fleet/acme: clusters[1].argoCdName ("shared") is how Argo CD reaches cluster staging-eu too (destination name shared), so the folders of staging-eu and prod-eu would both be deployed to that one cluster; '
      + 'give each fleet cluster the Argo CD name (argoCdName) or API server URL (argoCdServer) of its own cluster; one cluster is one FleetCluster');
    // a cluster's default Argo CD name is its own name
    expectError(() => new Fleet(fleetProps(outdir(), { description: { ...d, clusters: [d.clusters[0], { ...d.clusters[1], argoCdName: 'staging-eu' }] } })),
      /^fleet\/acme: clusters\[1\]\.argoCdName \("staging-eu"\) is how Argo CD reaches cluster staging-eu too/);
  });

  test('one API server written two ways (a trailing slash, the host\'s case, the default port) is one cluster: refused', () => {
    const server = 'https://ABC.gr7.eu-west-1.eks.amazonaws.com';
    for (const other of [`${server}/`, server.toLowerCase(), `${server}:443`]) {
      expectError(() => new Fleet(fleetProps(outdir(), { description: { ...d, clusters: [{ ...d.clusters[0], argoCdServer: server }, { ...d.clusters[1], argoCdServer: other }] } })),
        `fleet/acme: clusters[1].argoCdServer ("${other}") is how Argo CD reaches cluster staging-eu too (destination server ${other})`);
    }
    expect(() => new Fleet(fleetProps(outdir(), { description: { ...d, clusters: [{ ...d.clusters[0], argoCdServer: server }, { ...d.clusters[1], argoCdServer: 'https://DEF.gr7.eu-west-1.eks.amazonaws.com' }] } })))
      .not.toThrow();
  });

  test('a team\'s clusterResources must name cluster-scoped kinds exactly: a pattern, a namespaced kind or the wrong group is refused', () => {
    const withKinds = (clusterResources: any[]) => () => new Fleet(fleetProps(outdir(), { teams: [{ name: 'shop', group: 'team-shop', workloads: new Shop(), clusterResources }] }));
    expectError(withKinds([{ group: '*', kind: '*' }]), 'fleet/acme: teams[0].clusterResources[0].kind ("*") is a pattern, which Argo CD matches against every cluster-scoped kind: '
      + 'the team\'s project could then deploy ClusterRoleBindings (cluster-admin), CustomResourceDefinitions and admission webhooks, and its isolation would be gone; '
      + 'list the cluster-scoped kinds the team needs, each with its group, for example { group: \'\', kind: \'Namespace\' }');
    expectError(withKinds([{ group: '', kind: 'ConfigMap' }]), 'fleet/acme: teams[0].clusterResources[0].kind ("ConfigMap") is a namespaced kind');
    expectError(withKinds([{ group: 'rbac', kind: 'ClusterRole' }]), 'fleet/acme: teams[0].clusterResources[0].group ("rbac") is not the API group of ClusterRole (rbac.authorization.k8s.io): '
      + 'Argo CD would allow a kind no object has, and refuse the team\'s ClusterRole; write group: \'rbac.authorization.k8s.io\'');
    expect(withKinds([{ group: 'scheduling.k8s.io', kind: 'PriorityClass' }, { group: 'example.com', kind: 'Widget' }])).not.toThrow();
  });

  test('prune or selfHeal without automated sync is refused (Argo CD applies them only in automated sync); a revision Git cannot name is refused', () => {
    const envs = d.environments.map((e, i) => (i === 1 ? { ...e, sync: { prune: true, selfHeal: true } } : e));
    expectError(() => new Fleet(fleetProps(outdir(), { description: { ...d, environments: envs } })),
      'fleet/acme: environments[1].sync.automated (undefined) is not true, but prune and selfHeal are set: Argo CD prunes and self-heals only in automated sync '
      + '(syncPolicy.automated), so the environment would sync by hand with neither; set automated: true, or leave prune and selfHeal out');
    for (const targetRevision of ['', 'main branch']) {
      expectError(() => new Fleet(fleetProps(outdir(), { gitOps: { repoUrl: 'https://github.com/acme/platform.git', path: 'dist/fleet', targetRevision } })),
        `fleet/acme: gitOps.targetRevision (${JSON.stringify(targetRevision)}) is not a branch, tag or commit Git can name`);
    }
    expect(() => new Fleet(fleetProps(outdir(), { gitOps: { repoUrl: 'https://github.com/acme/platform.git', path: 'dist/fleet', targetRevision: 'release/2026.12' } }))).not.toThrow();
  });

  test('two clusters built from one EKS cluster profile are refused', () => {
    const prod = d.clusters[1];
    expectError(() => new Fleet(fleetProps(outdir(), { description: { ...d, clusters: [...d.clusters, { ...prod, name: 'prod-eu-2' }] } })),
      'fleet/acme: clusters[2].profile.clusterName ("prod-eu") is also the EKS cluster of fleet cluster prod-eu (region eu-west-1), so the folders of prod-eu and prod-eu-2 would describe one real cluster; '
      + 'give each fleet cluster the profile of its own EKS cluster (aws.EksCluster.profile), or drop the copy');
  });

  test('a region that is no AWS region is refused, also without a profile', () => {
    expectError(() => new Fleet(fleetProps(outdir(), { description: { ...d, clusters: [{ name: 'lab', environment: 'staging', region: 'europe', kubernetesVersion: '1.33' }] }, addOns: [] })),
      'fleet/acme: clusters[0].region ("europe") must be an AWS region name such as eu-west-1; give the region the cluster runs in');
  });

  test('a job sidecar on a cluster without native sidecars is refused as a validation error (not a serialization crash), told to upgrade that cluster', () => {
    class Migrations implements IFleetWorkloads {
      public define(scope: Construct, target: FleetTarget): void {
        new Job(scope, 'migrate', { image: IMAGE, profile: target.profile }).addSidecar(new AmbassadorProxy({
          image: 'ghcr.io/acme/proxy:1.0.0', listenPort: 5432, upstream: NetworkPeer.cidr('10.0.32.0/20', { ports: [5432] }),
        }));
      }
    }
    const old = { name: 'prod-old', environment: 'production', region: 'eu-west-1', profile: profile('prod-old', 'eu-west-1', EnvironmentProfile.PRODUCTION, { kubernetesVersion: '1.27' }) };
    const err = errorOf(() => quietly(() => new Fleet(fleetProps(outdir(), {
      description: description([old]), teams: [{ name: 'shop', group: 'team-shop', workloads: new Migrations(), quota: { requestsCpu: '16' } }],
    })).synth()));
    expect(err).not.toContain('Failed serializing');
    expect(err).toContain('shop/migrate: sidecars.ambassador ("ambassador") is a long-running container, which on the Kubernetes 1.27 target');
    expect(err).toContain('cluster prod-old runs Kubernetes 1.27, which has no native sidecars (a newer target is refused for it): upgrade the cluster to 1.29 or newer');
  });

  test('a Kubernetes version shipshape does not write for is refused with the fleet\'s path and the prop', () => {
    expectError(() => new Fleet(fleetProps(outdir(), { description: { ...d, clusters: [{ name: 'lab', environment: 'staging', region: 'eu-west-1', kubernetesVersion: '1.3' }] }, addOns: [] })),
      'fleet/acme: clusters[0].kubernetesVersion ("1.3") must be a Kubernetes version "1.N" with N from 27 to 39; use the minor version the cluster runs, for example "1.33"');
    // a version no release has (a typo of 1.29, say) is refused too: it would pin Pod Security to v1.99
    expectError(() => new Fleet(fleetProps(outdir(), { description: { ...d, clusters: [{ name: 'lab', environment: 'staging', region: 'eu-west-1', kubernetesVersion: '1.99' }] }, addOns: [] })),
      'fleet/acme: clusters[0].kubernetesVersion ("1.99") must be a Kubernetes version "1.N" with N from 27 to 39; use the minor version the cluster runs, for example "1.33"');
  });

  test('two Applications of one name are refused before any object is made, naming both parties', () => {
    const noProfile = (name: string, environment: string) => ({ name, environment, region: 'eu-west-1', kubernetesVersion: '1.33' });
    expectError(() => new Fleet(fleetProps(outdir(), {
      description: { ...d, clusters: [noProfile('prod', 'staging'), noProfile('prod-us', 'production')] },
      teams: [{ name: 'us-shop', group: 'a', workloads: new Reports() }, { name: 'shop', group: 'b', workloads: new Reports() }],
      addOns: [],
    })), 'fleet/acme: teams[1].name ("shop") gives team shop on cluster prod-us the Argo CD Application prod-us-shop, which is also the Application of team us-shop on cluster prod '
      + '(a cluster\'s Applications are named <cluster>-<team>, <cluster>-platform and <cluster>-<add-on release>, and one would replace the other); rename team shop or team us-shop');
    // a team named like an add-on's release
    expectError(() => new Fleet(fleetProps(outdir(), { teams: [{ name: 'cert-manager', namespace: 'certs', group: 'a', workloads: new Reports() }], addOns: [AddOnPack.certManager()] })),
      'fleet/acme: teams[0].name ("cert-manager") gives team cert-manager on cluster staging-eu the Argo CD Application staging-eu-cert-manager, which is also the Application of release cert-manager '
      + 'of add-on pack cert-manager on cluster staging-eu (a cluster\'s Applications are named <cluster>-<team>, <cluster>-platform and <cluster>-<add-on release>, and one would replace the other); '
      + 'rename team cert-manager or release cert-manager (the pack\'s releaseName)');
  });

  test('a team named add-ons is refused (its AppProject would be the add-on project)', () => {
    expectError(() => new Fleet(fleetProps(outdir(), { teams: [{ name: 'add-ons', group: 'a', workloads: new Reports() }] })),
      'fleet/acme: teams[0].name ("add-ons") would name the team\'s AppProject acme-add-ons, the name of the fleet\'s add-on project; give the team another name');
  });

  test('a team in an add-on\'s namespace or in Argo CD\'s is refused', () => {
    expectError(() => new Fleet(fleetProps(outdir(), { teams: [{ name: 'shop', namespace: 'cert-manager', group: 'a', workloads: new Reports() }], addOns: [AddOnPack.certManager()] })),
      'fleet/acme: teams[0].namespace ("cert-manager") is the namespace add-on pack cert-manager installs its release cert-manager into on cluster staging-eu; a team gets a namespace of its own '
      + '(the team\'s quota, default-deny NetworkPolicies and RBAC would apply to the add-on, and the team\'s project could change it); give team shop another namespace');
    expectError(() => new Fleet(fleetProps(outdir(), { teams: [{ name: 'external-dns', group: 'a', workloads: new Reports() }] })),
      /^fleet\/acme: teams\[0\]\.name \("external-dns"\) is also the team's namespace \(teams\[0\]\.namespace is unset\), and it is the namespace add-on pack external-dns installs its release external-dns into on cluster staging-eu;.*; give team external-dns another namespace \(teams\[0\]\.namespace\)$/);
    expectError(() => new Fleet(fleetProps(outdir(), { teams: [{ name: 'shop', namespace: 'argocd', group: 'a', workloads: new Reports() }] })),
      'fleet/acme: teams[0].namespace ("argocd") is the namespace Argo CD runs in (gitOps.namespace), which holds the fleet\'s AppProjects and Applications; a team gets a namespace of its own; '
      + 'give the team another namespace (namespace: \'shop\')');
    expectError(() => new Fleet(fleetProps(outdir(), { teams: [{ name: 'gitops', group: 'a', workloads: new Reports() }], gitOps: { repoUrl: 'https://github.com/acme/platform.git', path: 'dist/fleet', namespace: 'gitops' } })),
      /^fleet\/acme: teams\[0\]\.name \("gitops"\) is the namespace Argo CD runs in .*; give the team another namespace \(namespace: 'team-gitops'\)$/);
  });

  test('a team in a namespace listed in externalNamespaces is refused (the fleet would take over what another tool made)', () => {
    expectError(() => new Fleet(fleetProps(outdir(), { teams: [{ name: 'ing', namespace: 'ingress-nginx', group: 'a', workloads: new Reports() }], externalNamespaces: ['monitoring', 'ingress-nginx'] })),
      'fleet/acme: teams[0].namespace ("ingress-nginx") is listed in externalNamespaces (a namespace that exists on the clusters without the fleet), so the fleet would take it over: '
      + 'its Namespace (Pod Security restricted), quota and default-deny NetworkPolicies would apply to what runs there; '
      + 'give the team a namespace of its own (namespace: \'ing\'), or drop ingress-nginx from externalNamespaces if the fleet is to make it');
    expectError(() => new Fleet(fleetProps(outdir(), { teams: [{ name: 'monitoring', group: 'a', workloads: new Reports() }], externalNamespaces: ['monitoring'] })),
      /^fleet\/acme: teams\[0\]\.name \("monitoring"\) is listed in externalNamespaces .*; give the team a namespace of its own \(namespace: 'team-monitoring'\), or drop monitoring from externalNamespaces if the fleet is to make it$/);
    // the same team beside an unrelated external namespace is fine
    expect(() => new Fleet(fleetProps(outdir(), { teams: [{ name: 'shop', group: 'a', workloads: new Reports() }], externalNamespaces: ['monitoring'] }))).not.toThrow();
  });

  test('a team that runs on no cluster is refused', () => {
    expectError(() => new Fleet(fleetProps(outdir(), { teams: [{ name: 'shop', group: 'a', workloads: new Reports(), environments: [] }] })),
      'fleet/acme: teams[0].environments ([]) name no environment that has a cluster (environments with clusters: staging, production), so team shop would run nowhere (an AppProject with no destination); '
      + 'name an environment that has a cluster, leave environments out (every environment), or drop the team');
    const withQa = { ...d, environments: [...d.environments, { name: 'qa', profile: EnvironmentProfile.DEVELOPMENT }] };
    expectError(() => new Fleet(fleetProps(outdir(), { description: withQa, teams: [{ name: 'shop', group: 'a', workloads: new Reports(), environments: ['qa'] }] })),
      /^fleet\/acme: teams\[0\]\.environments \(\["qa"\]\) name no environment that has a cluster \(environments with clusters: staging, production\)/);
  });
});

describe('Fleet folders', () => {
  test('a cluster whose platform folder would be empty gets no platform Application (its folder would not exist)', () => {
    const d = description();
    const bare = { name: 'lab-eu', environment: 'staging', region: 'eu-west-1', kubernetesVersion: '1.33' };
    const dir = outdir();
    const { stderr, error } = captured(() => rerun(fleetProps(dir, {
      description: { ...d, clusters: [bare, d.clusters[1]] },
      teams: [{ name: 'reports', group: 'team-reports', workloads: new Reports(), environments: ['production'] }],
      addOns: [],
    })).synth());
    expect(error).toBeUndefined();
    expect(stderr).toContain('shipshape note: fleet/acme: the platform folder of cluster lab-eu would be empty (no StorageClass, IngressClass or team namespace): no Application for it there\n');
    expect(fs.existsSync(path.join(dir, 'lab-eu', 'platform'))).toBe(false);
    const apps = argo(dir).filter(x => x.kind === 'Application');
    expect(apps.map(a => a.metadata.name).sort()).toEqual(['prod-eu-platform', 'prod-eu-reports']);
    for (const a of apps) expect(fs.existsSync(path.join(dir, a.spec.source.path.replace(/^dist\/fleet\//, '')))).toBe(true);
  });

  test('a removal note fits a rename, and a dropped cluster\'s folder names the files shipshape did not write', () => {
    const dir = outdir();
    synthFleet({ description: description([{ name: 'prod-us', environment: 'production', region: 'us-east-1', profile: profile('prod-us', 'us-east-1', EnvironmentProfile.PRODUCTION) }]) }, dir);
    fs.writeFileSync(path.join(dir, 'prod-us', 'notes.yaml'), 'kind: ConfigMap\n');
    const { stderr, error } = captured(() => rerun(fleetProps(dir, {
      teams: [{ name: 'analytics', group: 'team-reports', workloads: new Reports() }, { name: 'shop', group: 'team-shop', workloads: new Shop(), quota: { requestsCpu: '16' } }],
    })).synth());
    expect(error).toBeUndefined();
    expect(stderr).toContain(`shipshape: fleet/acme: removed the output of prod-us, which is no longer in the fleet (a cluster renamed or dropped); ${path.join(dir, 'prod-us')} still holds notes.yaml, `
      + 'which shipshape did not write: left in place, remove it if no longer needed; its Applications stay in Argo CD until deleted, and the AppProjects applied '
      + 'from this synth no longer admit that cluster, so they show as invalid: kubectl delete applications -n argocd -l shipshape.io/fleet=acme,shipshape.io/cluster=prod-us\n');
    // the renamed team's Applications are gone from argocd/, not from Argo CD: each is named with the command
    for (const c of ['prod-eu', 'staging-eu']) {
      expect(stderr).toContain(`shipshape note: fleet/acme: Application ${c}-reports is no longer in argocd/ (its folder reports of cluster ${c} is gone); `
        + `kubectl apply does not delete it, and Argo CD keeps what it deployed: delete it with kubectl delete application -n argocd ${c}-reports\n`);
    }
    expect(stderr).toMatch(new RegExp(`shipshape: removed [^\n]*reports/Deployment\\.reports\\.k8s\\.yaml[^\n]* from ${path.join(dir, 'prod-eu')}: an earlier synth into this folder wrote them, `
      + 'and this app\'s output no longer has them \\(a team, workload or add-on renamed or removed; or another App writes into this folder, which the fleet owns: give that App an outdir of its own\\)\n'));
    expect(stderr).not.toContain('two Apps of one program');
    expect(fs.readdirSync(path.join(dir, 'prod-us'))).toEqual(['notes.yaml']);
  });
});

describe('network peers in namespaces a cluster does not have', () => {
  /** Team shop's mailer calls the given namespaces' pods; team payments runs only in production. */
  class Caller implements IFleetWorkloads {
    constructor(private readonly namespaces: string[]) {}
    public define(scope: Construct, target: FleetTarget): void {
      const w = new Worker(scope, 'mailer', { image: IMAGE, profile: target.profile });
      for (const ns of this.namespaces) w.allowTo(NetworkPeer.pods(ns, { 'app.kubernetes.io/name': 'api' }, { ports: [8080] }));
    }
  }
  const props = (namespaces: string[], extra: Partial<FleetProps> = {}) => fleetProps(outdir(), {
    teams: [
      { name: 'shop', group: 'team-shop', workloads: new Caller(namespaces) },
      { name: 'payments', group: 'team-payments', workloads: new Reports(), environments: ['production'] },
    ],
    ...extra,
  });
  const synthOf = (p: FleetProps) => {
    App._forgetOutdirs();
    return stderrOf(() => new Fleet(p).synth());
  };

  test('a typo, and a team that does not run in the cluster\'s environment, are noted on stderr with the cluster, the policy and the fix', () => {
    const err = synthOf(props(['paymnts', 'payments']));
    expect(err).toContain('shipshape note: fleet/acme: on cluster staging-eu, NetworkPolicy mailer of team shop names a peer in namespace paymnts, which the fleet does not give that cluster '
      + '(no team, add-on or system namespace of the cluster has that name (a typo of payments?)), so the rule reaches nothing there; fix the name, or list paymnts in externalNamespaces if it is made outside the fleet');
    // another team's namespace: the fix is the team's environments (or the rule), not a controller installed by other means
    expect(err).toContain('shipshape note: fleet/acme: on cluster staging-eu, NetworkPolicy mailer of team shop names a peer in namespace payments, which the fleet does not give that cluster '
      + '(team payments has it, but does not run in environment staging), so the rule reaches nothing there; if team payments should run on the clusters of environment staging, '
      + 'add staging to its environments; otherwise leave the rule out there (define() reads target.environment)\n');
    expect(err).not.toMatch(/namespace payments,[^\n]*(externalNamespaces|AddOnPack)/);
    expect(err).toContain('on cluster prod-eu, NetworkPolicy mailer of team shop names a peer in namespace paymnts');
    // payments runs in production: no note there
    expect(err).not.toContain('on cluster prod-eu, NetworkPolicy mailer of team shop names a peer in namespace payments,');
  });

  test('namespaces of the fleet\'s add-ons and of every cluster, and externalNamespaces, need no note; a bad external name is refused', () => {
    // metrics-server runs in kube-system, external-dns in its own namespace (the fleet's add-on packs)
    expect(synthOf(props(['kube-system', 'external-dns', 'monitoring'], { externalNamespaces: ['monitoring'] }))).not.toContain('names a peer in namespace');
    // no namespace of the fleet is a slip away: most likely a controller made outside the fleet, not a typo
    expect(synthOf(props(['monitoring']))).toContain('names a peer in namespace monitoring, which the fleet does not give that cluster (no team, add-on or system namespace '
      + 'of the cluster has that name), so the rule reaches nothing there; if monitoring is made outside the fleet (a controller installed by other means), '
      + 'list it in externalNamespaces; if the fleet should install it, add its add-on pack (AddOnPack.helm for any Helm chart)');
    expectError(() => new Fleet(props([], { externalNamespaces: ['Monitoring'] })), /^fleet\/acme: externalNamespaces\[0\] \("Monitoring"\) must be/);
  });
});


describe('notes of the clusters\' apps', () => {
  test('name the cluster they concern: each cluster\'s app names constructs by the same paths', () => {
    const dev = (name: string, extra: Partial<ClusterProfile> = {}) => ({ name, environment: 'dev', region: 'eu-west-1', profile: profile(name, 'eu-west-1', EnvironmentProfile.DEVELOPMENT, extra) });
    const d = description();
    App._forgetOutdirs();
    const err = stderrOf(() => new Fleet(fleetProps(outdir(), {
      description: {
        ...d,
        environments: [...d.environments, { name: 'dev', profile: EnvironmentProfile.DEVELOPMENT, domain: 'dev.acme.example' }],
        // dev-b's pool has an instance type shipshape does not size: its note names the cluster already
        clusters: [dev('dev-a'), dev('dev-b', { nodePools: [pool('general', { instanceTypes: ['z9.large'] })] })],
      },
      teams: [{ name: 'reports', group: 'team-reports', workloads: new Reports() }],
    })).synth());
    for (const c of ['dev-a', 'dev-b']) {
      expect(err).toContain(`shipshape note: cluster ${c}: reports/reports: development profile: 1 replica(s), no PodDisruptionBudget, no autoscaler: not for production traffic\n`);
      expect(err).toContain(`shipshape note: cluster ${c}: reports/reports admits no caller: its NetworkPolicy allows no ingress`);
    }
    expect(err).toContain('shipshape note: cluster dev-b pool general: instance type z9.large is not in shipshape\'s table of node sizes');
    expect(err).not.toContain('shipshape note: cluster dev-b: cluster dev-b');
    // every note says which cluster (the fleet's own notes say it in their text)
    for (const line of err.split('\n').filter(l => l.startsWith('shipshape note: '))) expect(line).toMatch(/^shipshape note: (cluster dev-[ab][ :]|fleet\/acme: )/);
    // stderr is itself again after synth
    expect(stderrOf(() => process.stderr.write('shipshape note: x\n'))).toBe('shipshape note: x\n');
  });
});

describe('Karpenter installed by the cluster-releases pack', () => {
  const withKarpenter = (): FleetDescription => {
    const d = description();
    const prod = d.clusters[1];
    const karpenter = karpenterProfile(prod.profile!.clusterName, [karpenterPool('burst', { instanceCategories: ['c', 'm'], zones: ['eu-west-1a'] })]);
    return { ...d, clusters: [d.clusters[0], { ...prod, profile: { ...prod.profile!, helmReleases: [karpenter.controller], karpenter } }] };
  };

  test('the cluster\'s NodePools and EC2NodeClass are written (the controller is installed), and no note asks for AddOnPack.karpenter()', () => {
    App._forgetOutdirs();
    const dir = outdir();
    const fleet = new Fleet(fleetProps(dir, { description: withKarpenter(), addOns: [AddOnPack.clusterReleases(), AddOnPack.metricsServer()] }));
    const stderr = stderrOf(() => fleet.synth());
    expect(argo(dir).filter(d => d.kind === 'Application' && d.spec.source.chart === 'karpenter').map(d => d.metadata.name)).toEqual(['prod-eu-karpenter']);
    expect(fs.existsSync(path.join(dir, 'prod-eu', 'platform', 'NodePool.burst.k8s.yaml'))).toBe(true);
    expect(fs.readdirSync(path.join(dir, 'prod-eu', 'platform')).some(f => f.startsWith('EC2NodeClass.'))).toBe(true);
    expect(stderr).not.toContain('AddOnPack.karpenter()');
  });

  test('a GPU cluster\'s NVIDIA device plugin release becomes an Application with its affinity and toleration as Helm parameters', () => {
    App._forgetOutdirs();
    const dir = outdir();
    const d = description();
    const prod = d.clusters[1];
    const karpenter = karpenterProfile(prod.profile!.clusterName, [karpenterPool('infer', { instanceCategories: ['g'], zones: ['eu-west-1a'] })]);
    const plugin = gpuDevicePluginRelease([], karpenter)!;
    const gpu = { ...d, clusters: [d.clusters[0], { ...prod, profile: { ...prod.profile!, helmReleases: [karpenter.controller, plugin], karpenter } }] };
    const stderr = stderrOf(() => new Fleet(fleetProps(dir, { description: gpu, addOns: [AddOnPack.clusterReleases(), AddOnPack.metricsServer()] })).synth());
    expect(stderr).not.toContain('nvidia-device-plugin');
    const docs = argo(dir);
    const application = app(docs, 'prod-eu-nvidia-device-plugin');
    expect(application.spec.source).toMatchObject({ repoURL: 'https://nvidia.github.io/k8s-device-plugin', chart: 'nvidia-device-plugin', targetRevision: '0.20.0' });
    expect(application.spec.destination.namespace).toBe('kube-system');
    expect(application.spec.source.helm.parameters).toEqual(expect.arrayContaining([
      { name: 'tolerations[0].operator', value: 'Exists' },
      { name: 'affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values[0]', value: 'infer' },
    ]));
    if (SHARED_SCHEMAS) expectValid(docs);
  });

  test('without a pack that installs the controller, no NodePool is written and the note names the Karpenter pack', () => {
    App._forgetOutdirs();
    const dir = outdir();
    const fleet = new Fleet(fleetProps(dir, { description: withKarpenter(), addOns: [AddOnPack.metricsServer()] }));
    const stderr = stderrOf(() => fleet.synth());
    expect(fs.existsSync(path.join(dir, 'prod-eu', 'platform', 'NodePool.burst.k8s.yaml'))).toBe(false);
    expect(stderr).toContain('kube-system/karpenter (Karpenter: add AddOnPack.karpenter())');
  });
});

describe('add-on charts from OCI registries', () => {
  const oci = AddOnPack.helm({ name: 'podinfo', repository: 'oci://ghcr.io/stefanprodan/charts', chart: 'podinfo', version: '6.9.0', namespace: 'podinfo' });

  test('each OCI registry gets an Argo CD repository Secret (enableOCI, no credentials) beside the projects; an https:// repository gets none', () => {
    App._forgetOutdirs();
    const dir = outdir();
    const stderr = stderrOf(() => new Fleet(fleetProps(dir, { addOns: [AddOnPack.metricsServer(), oci] })).synth());
    expect(stderr).not.toMatch(/Secret/); // no rule has anything to say about it
    const docs = argo(dir);
    const secrets = docs.filter(d => d.kind === 'Secret');
    expect(secrets).toStrictEqual([{
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: expect.stringMatching(/^acme-oci-ghcr-io-stefanprodan-charts-[0-9a-f]{8}$/),
        namespace: 'argocd',
        labels: { 'shipshape.io/fleet': 'acme', 'app.kubernetes.io/managed-by': 'shipshape', 'argocd.argoproj.io/secret-type': 'repository' },
      },
      stringData: { type: 'helm', name: 'ghcr-io-stefanprodan-charts', url: 'ghcr.io/stefanprodan/charts', enableOCI: 'true' },
    }]);
    // the Applications name the registry as the Secret does (Argo CD matches repositories by URL), and the project admits it
    const podinfo = app(docs, 'prod-eu-podinfo');
    expect(podinfo.spec.source).toMatchObject({ repoURL: 'ghcr.io/stefanprodan/charts', chart: 'podinfo', targetRevision: '6.9.0' });
    const project = docs.find(d => d.kind === 'AppProject' && d.metadata.name === 'acme-add-ons');
    expect(project.spec.sourceRepos).toContain('ghcr.io/stefanprodan/charts');
    // applied before the Applications: in the projects file
    expect(fs.readFileSync(path.join(dir, 'argocd', '0000-projects.k8s.yaml'), 'utf-8')).toContain('argocd.argoproj.io/secret-type: repository');
    if (SHARED_SCHEMAS) expectValid(docs);
  });

  test('without an OCI chart there is no repository Secret', () => {
    const { dir } = synthFleet({ addOns: [AddOnPack.metricsServer()] });
    expect(argo(dir).filter(d => d.kind === 'Secret')).toEqual([]);
  });
});

describe('the AWS Load Balancer Controller\'s Application leaves the webhook certificate the chart renders anew alone', () => {
  const albIdentity = { namespace: 'kube-system', serviceAccount: 'aws-load-balancer-controller', roleName: 'alb', mechanism: 'pod-identity', serviceAccountAnnotations: {} };
  const synthesized = () => {
    App._forgetOutdirs();
    const dir = outdir();
    const d = description();
    const withIdentity = d.clusters.map(c => ({ ...c, profile: { ...c.profile!, workloadIdentities: [dnsIdentity, albIdentity] } }));
    quietly(() => new Fleet(fleetProps(dir, { description: { ...d, clusters: withIdentity }, addOns: [AddOnPack.awsLoadBalancerController(), AddOnPack.metricsServer()] })).synth());
    return argo(dir);
  };

  test('ignoreDifferences on both webhooks\' caBundle and the TLS Secret\'s data, respected on sync; other add-ons get none', () => {
    const docs = synthesized();
    const alb = app(docs, 'prod-eu-aws-load-balancer-controller');
    expect(alb.spec.ignoreDifferences).toEqual([
      { group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration', name: 'aws-load-balancer-webhook', jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'] },
      { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration', name: 'aws-load-balancer-webhook', jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'] },
      { kind: 'Secret', name: 'aws-load-balancer-tls', namespace: 'kube-system', jsonPointers: ['/data'] },
    ]);
    expect(alb.spec.syncPolicy.syncOptions).toEqual(['CreateNamespace=true', 'ServerSideApply=true', 'RespectIgnoreDifferences=true']);
    const ms = app(docs, 'prod-eu-metrics-server');
    expect(ms.spec.ignoreDifferences).toBeUndefined();
    expect(ms.spec.syncPolicy.syncOptions).toEqual(['CreateNamespace=true', 'ServerSideApply=true']);
    if (SHARED_SCHEMAS) expectValid(docs);
  });
});
