import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { cluster, errorOf, IMAGE, outdir, quietly, readDocs } from './fixtures';
import { ClusterProfile, EnvironmentProfile, FleetDescription } from '../../../lib/core';
import { App, HttpIngress, IngressTls, WebService } from '../../../lib/k8s';
import { Fleet, FleetProps, FleetTarget, IFleetWorkloads, TeamNamespace, TeamPermissions } from '../../../lib/k8s/platform';
import { expectError } from '../../util/k8s';

function profile(name: string, region: string, env: EnvironmentProfile): ClusterProfile {
  return cluster({ clusterName: name, region, environment: env });
}

function description(): FleetDescription {
  return {
    name: 'acme',
    environments: [
      { name: 'staging', profile: EnvironmentProfile.STAGING, domain: 'staging.acme.example' },
      { name: 'production', profile: EnvironmentProfile.PRODUCTION, domain: 'acme.example' },
    ],
    clusters: [
      { name: 'staging-eu', environment: 'staging', region: 'eu-west-1', profile: profile('staging-eu', 'eu-west-1', EnvironmentProfile.STAGING) },
      { name: 'prod-eu', environment: 'production', region: 'eu-west-1', profile: profile('prod-eu', 'eu-west-1', EnvironmentProfile.PRODUCTION) },
    ],
  };
}

class Api implements IFleetWorkloads {
  public define(scope: Construct, target: FleetTarget): void {
    new WebService(scope, 'api', { image: IMAGE, profile: target.profile });
  }
}

/** The API, plus whatever `extra` adds to the team's chart. */
class ApiAnd implements IFleetWorkloads {
  constructor(private readonly extra: (scope: Construct) => void) {}
  public define(scope: Construct, target: FleetTarget): void {
    new WebService(scope, 'api', { image: IMAGE, profile: target.profile });
    this.extra(scope);
  }
}

const REPO = 'https://github.com/acme/platform.git';

function props(dir: string, extra: Partial<FleetProps> = {}): FleetProps {
  return {
    description: description(),
    outdir: dir,
    gitOps: { repoUrl: REPO, path: 'dist/fleet' },
    teams: [
      { name: 'shop', group: 'team-shop', workloads: new Api() },
      { name: 'reports', group: 'team-reports', workloads: new Api() },
    ],
    ...extra,
  };
}

/** As a new process would, forget which App synthesized into which folder (where the App keeps such a record). */
function forgetOutdirs(): void {
  (App as any)._forgetOutdirs?.();
}

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

describe('a team\'s objects its Argo CD project refuses are refused at synth', () => {
  test.each([
    ['Role', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r' }, rules: [] }],
    ['RoleBinding', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'rb' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' }, subjects: [] }],
    ['ResourceQuota', { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'more' }, spec: { hard: { 'requests.cpu': '1000' } } }],
    ['LimitRange', { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'lr' }, spec: { limits: [] } }],
  ])('a %s of a team (a guard rail the platform folder owns) is refused, and nothing is written', (kind, manifest) => {
    const dir = outdir();
    const fleet = new Fleet(props(dir, { teams: [{ name: 'shop', group: 'team-shop', workloads: new ApiAnd(s => new ApiObject(s, 'rail', manifest as any)) }] }));
    expect(errorOf(() => quietly(() => fleet.synth()))).toContain(`cluster staging-eu: [shop] shop/rail: kind ("${kind}") is a guard rail of team shop's namespace, which the platform folder owns: `
      + 'team shop\'s Argo CD project may not deploy ResourceQuota, LimitRange, Role, RoleBinding (its namespaceResourceBlacklist), so the team\'s Application could never sync; '
      + 'leave it out of the team\'s workloads: set the quota and container limits with the team\'s quota and limits, and what its people may do with its permissions');
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('every kind of the team AppProject\'s namespaceResourceBlacklist is refused in the team\'s chart (one list, no drift)', () => {
    const dir = outdir();
    quietly(() => new Fleet(props(dir)).synth());
    const project = readDocs(path.join(dir, 'argocd')).map(d => d.doc).find(d => d.kind === 'AppProject' && d.metadata.name === 'acme-shop');
    const blacklist: Array<{ group: string; kind: string }> = project.spec.namespaceResourceBlacklist;
    expect(blacklist.length).toBeGreaterThan(0);
    for (const k of blacklist) {
      const apiVersion = k.group === '' ? 'v1' : `${k.group}/v1`;
      const fleet = new Fleet(props(outdir(), { teams: [{ name: 'shop', group: 'team-shop', workloads: new ApiAnd(s => new ApiObject(s, 'rail', { apiVersion, kind: k.kind, metadata: { name: 'x' } })) }] }));
      expect(errorOf(() => quietly(() => fleet.synth()))).toContain(`shop/rail: kind ("${k.kind}") is a guard rail of team shop's namespace`);
    }
  });

  test('a NetworkPolicy of a team that allows every pod of its namespace everything undoes the default deny: refused', () => {
    const open = (s: Construct) => new ApiObject(s, 'open', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'allow-all' },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [{}], egress: [{}] },
    });
    const fleet = new Fleet(props(outdir(), { teams: [{ name: 'shop', group: 'team-shop', workloads: new ApiAnd(open) }] }));
    expect(errorOf(() => quietly(() => fleet.synth()))).toContain('cluster staging-eu: [shop] shop/open: spec (NetworkPolicy allow-all) selects every pod of team shop\'s namespace '
      + '(an empty podSelector, or one with only NotIn and DoesNotExist) and allows ingress and egress from and to anywhere (a rule without peers, or with a peer of every address: 0.0.0.0/0 or ::/0, '
      + 'on every port: no ports, a port entry without a port, or the range 1-65535), which undoes the default deny the platform folder gives the namespace; '
      + 'select the pods the policy opens (a podSelector on their labels), name the peers and ports of each rule, or let the workloads write their policies (allowFrom, allowTo)');
  });

  test.each([
    ['egress to every address', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }] }, 'egress'],
    ['ingress from every namespace', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {} }] }] }, 'ingress'],
    ['every pod without a label nobody sets', { podSelector: { matchExpressions: [{ key: 'no-such-label', operator: 'DoesNotExist' }] }, policyTypes: ['Ingress'], ingress: [{}] }, 'ingress'],
    ['every TCP port from anywhere (a range 1-65535, no peers)', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ ports: [{ protocol: 'TCP', port: 1, endPort: 65535 }] }] }, 'ingress'],
    ['every UDP port to anywhere (a port entry without a port)', { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ protocol: 'UDP' }] }] }, 'egress'],
    ['every pod but one name, from every pod of every namespace', { podSelector: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['db'] }] }, ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'x', operator: 'DoesNotExist' }] } }] }] }, 'ingress'],
  ])('so is one that opens a direction to everything another way (%s)', (_, spec, direction) => {
    const fleet = new Fleet(props(outdir(), { teams: [{ name: 'shop', group: 'team-shop', workloads: new ApiAnd(s => new ApiObject(s, 'open', { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'wide' }, spec })) }] }));
    expect(errorOf(() => quietly(() => fleet.synth()))).toContain(`shop/open: spec (NetworkPolicy wide) selects every pod of team shop's namespace (an empty podSelector, or one with only NotIn and DoesNotExist) and allows ${direction} from and to anywhere`);
  });

  test('NetworkPolicies that select some pods, name their peers or their ports are the team\'s to write', () => {
    const policies = (s: Construct) => {
      const np = (id: string, spec: any) => new ApiObject(s, id, { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: id }, spec });
      np('public', { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } }, policyTypes: ['Ingress'], ingress: [{}] });
      np('public-by-expression', { podSelector: { matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: ['api'] }] }, policyTypes: ['Ingress'], ingress: [{}] });
      np('same-namespace', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] });
      np('https-out', { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ port: 443, protocol: 'TCP' }] }] });
    };
    const dir = outdir();
    const { error } = captured(() => new Fleet(props(dir, { policy: false, teams: [{ name: 'shop', group: 'team-shop', workloads: new ApiAnd(policies) }] })).synth());
    expect(error).toBeUndefined();
    expect(readDocs(path.join(dir, 'prod-eu', 'shop')).map(d => d.doc).filter(d => d.kind === 'NetworkPolicy').map(d => d.metadata.name))
      .toEqual(expect.arrayContaining(['public', 'public-by-expression', 'same-namespace', 'https-out']));
  });
});

describe('gitOps.repoUrl', () => {
  test.each([
    ['not a url'],
    ['github.com/acme/platform.git'],
    ['http://github.com/acme/platform.git'],
    ['https://github.com'],
    ['github.com:acme/platform.git'],
    ['ssh://github.com/acme/platform.git'],
    ['https://github.com/acme/plat form.git'],
  ])('%j is refused: Argo CD clones https, ssh and scp-style URLs', (url) => {
    expectError(() => new Fleet(props(outdir(), { gitOps: { repoUrl: url, path: 'dist/fleet' } })),
      `fleet/acme: gitOps.repoUrl (${JSON.stringify(url)}) must be a Git URL Argo CD can clone: https://<host>/<path>, ssh://<user>@<host>/<path> or scp-style <user>@<host>:<path> `
      + '(it becomes every Application\'s source.repoURL and the AppProjects\' sourceRepos); '
      + 'use the repository\'s clone URL, for example \'https://github.com/acme/platform.git\' or \'git@github.com:acme/platform.git\'');
  });

  test.each([
    ['https://bot:s3cret-pass@github.com/acme/platform.git', 'bot:s3cret-pass', 'a password'],
    ['https://ghp_0123456789abcdefABCDEF@github.com/acme/platform.git', 'ghp_0123456789abcdefABCDEF', 'an access token'],
    ['https://oauth2:glpat-abcdef@gitlab.com/acme/platform.git', 'oauth2:glpat-abcdef', 'a password'],
  ])('%j is refused: the credentials would be committed in every Application', (url, secret, what) => {
    expectError(() => new Fleet(props(outdir(), { gitOps: { repoUrl: url, path: 'dist/fleet' } })),
      `fleet/acme: gitOps.repoUrl (${JSON.stringify(url.replace(secret, '***'))}) holds ${what} before the host: the URL is written into every Application's source.repoURL `
      + 'and the AppProjects\' sourceRepos, which are committed to Git and readable in the cluster; '
      + `use the URL without credentials (${url.replace(`${secret}@`, '')}) and give Argo CD the credentials in a repository Secret`);
  });

  test('a URL with a branch after "#" is refused: the revision is gitOps.targetRevision', () => {
    expectError(() => new Fleet(props(outdir(), { gitOps: { repoUrl: 'https://github.com/acme/platform.git#main', path: 'dist/fleet' } })),
      'fleet/acme: gitOps.repoUrl ("https://github.com/acme/platform.git#main") has a query or fragment (a branch after "#"?), which is no part of a repository\'s clone URL; '
      + 'use the clone URL alone (https://github.com/acme/platform.git); the revision Argo CD syncs is gitOps.targetRevision');
  });

  test.each([
    ['https://github.com/acme/platform.git'],
    ['https://gitlab.example.com:8443/group/sub/platform'],
    ['https://dev-org@dev.azure.com/dev-org/platform/_git/platform'],
    ['ssh://git@github.com/acme/platform.git'],
    ['ssh://git@git.example.com:2222/acme/platform.git'],
    ['git@github.com:acme/platform.git'],
  ])('%j is accepted, and is every Application\'s source', (url) => {
    const dir = outdir();
    quietly(() => new Fleet(props(dir, { gitOps: { repoUrl: url, path: 'dist/fleet' } })).synth());
    const docs = readDocs(path.join(dir, 'argocd')).map(d => d.doc);
    expect(docs.find(d => d.metadata.name === 'prod-eu-shop').spec.source.repoURL).toBe(url);
    expect(docs.find(d => d.metadata.name === 'acme-shop').spec.sourceRepos).toEqual([url]);
  });

  describe('the repository the output folder lies in is recognised whatever the spelling of its remote', () => {
    function repo(remote: string): string {
      const root = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-fleet-fixes-repo-'));
      fs.mkdirSync(path.join(root, '.git'));
      fs.writeFileSync(path.join(root, '.git', 'config'), `[core]\n\tbare = false\n[remote "origin"]\n\turl = ${remote}\n`);
      return root;
    }
    afterAll(() => {
      for (const d of fs.readdirSync(os.tmpdir())) {
        if (d.startsWith('shipshape-fleet-fixes-repo-')) fs.rmSync(path.join(os.tmpdir(), d), { recursive: true, force: true });
      }
    });

    test.each([
      ['another case of owner and name on GitHub', 'https://github.com/ACME/Platform.git', 'https://github.com/acme/platform.git'],
      ['a trailing slash', 'https://github.com/acme/platform/', 'https://github.com/acme/platform.git'],
      ['scp-style with .git and a trailing slash, another case', 'git@github.com:Acme/Platform.git/', 'https://github.com/acme/platform'],
      ['an ssh URL with a port, on GitLab', 'ssh://git@gitlab.com:22/Acme/Group/Platform.git', 'git@gitlab.com:acme/group/platform.git'],
    ])('%s: an output folder at another path than gitOps.path is refused', (_, remote, repoUrl) => {
      const root = repo(remote);
      const out = path.join(root, 'out', 'fleet');
      expectError(() => new Fleet(props(out, { gitOps: { repoUrl, path: 'dist/fleet' } })),
        `fleet/acme: gitOps.path ("dist/fleet") is not where the fleet writes: its output folder ${out} is the folder out/fleet of the Git repository at ${root} (remote ${remote}, the repository of gitOps.repoUrl), `
        + 'so Argo CD would find no manifests at dist/fleet; set gitOps.path to \'out/fleet\', or the fleet\'s outdir to the folder gitOps.path names');
    });

    test('on a host whose paths may differ by case, another case is another repository (nothing to compare with)', () => {
      const root = repo('https://git.example.com/ACME/Platform.git');
      const out = path.join(root, 'out', 'fleet');
      expect(new Fleet(props(out, { gitOps: { repoUrl: 'https://git.example.com/acme/platform.git', path: 'dist/fleet' } })).outdir).toBe(out);
    });
  });
});

describe('a dropped team\'s folder', () => {
  test('a file shipshape did not write, left in the folder of a team no longer on the cluster, is named on stderr and left in place', () => {
    const dir = outdir();
    quietly(() => new Fleet(props(dir)).synth());
    fs.writeFileSync(path.join(dir, 'prod-eu', 'reports', 'custom.yaml'), 'kind: ConfigMap\n');
    forgetOutdirs(); // the second synth stands for a later run of the program
    const { stderr, error } = captured(() => new Fleet(props(dir, { teams: [{ name: 'shop', group: 'team-shop', workloads: new Api() }] })).synth());
    expect(error).toBeUndefined();
    expect(stderr).toContain('shipshape: fleet/acme: removed the output of reports from cluster prod-eu, which no longer has it (a team renamed, dropped, or no longer defining anything there); '
      + `${path.join(dir, 'prod-eu', 'reports')} still holds custom.yaml, which shipshape did not write: left in place, remove it if no longer needed\n`);
    expect(stderr).not.toContain(`${path.join(dir, 'staging-eu', 'reports')} still holds`);
    expect(fs.readdirSync(path.join(dir, 'prod-eu', 'reports'))).toEqual(['custom.yaml']);
    expect(fs.existsSync(path.join(dir, 'staging-eu', 'reports'))).toBe(false);
  });
});

describe('Argo CD Application names', () => {
  test('a team whose Application name would be over 63 characters is refused, naming the team and the cluster', () => {
    const team = 'a'.repeat(60);
    expectError(() => new Fleet(props(outdir(), { teams: [{ name: team, group: 'team-a', workloads: new Api() }] })),
      `fleet/acme: teams[0].name ("${team}") gives team ${team} on cluster staging-eu the Argo CD Application staging-eu-${team}, of 71 characters; `
      + 'Argo CD\'s label tracking writes an Application\'s name into the app.kubernetes.io/instance label of every object it deploys, and a label value holds at most 63 characters, '
      + 'so the Application could never sync (a cluster\'s Applications are named <cluster>-<team>, <cluster>-platform and <cluster>-<add-on release>); '
      + `shorten the name of team ${team} (teams[0].name) or of cluster staging-eu (clusters[0].name), so that the Application's name has at most 63 characters`);
  });

  test('a cluster whose platform Application name would be over 63 characters is refused', () => {
    const d = description();
    const name = `prod-${'x'.repeat(50)}`;
    const clusters = [{ ...d.clusters[1], name, profile: profile(name, 'eu-west-1', EnvironmentProfile.PRODUCTION) }];
    expectError(() => new Fleet(props(outdir(), { description: { ...d, environments: [d.environments[1]], clusters } })),
      `fleet/acme: clusters[0].name ("${name}") gives the platform folder of cluster ${name} the Argo CD Application ${name}-platform, of 64 characters; `);
  });

  test('63 characters are accepted', () => {
    const team = 'a'.repeat(63 - 'staging-eu-'.length);
    const fleet = new Fleet(props(outdir(), { description: { ...description(), clusters: [description().clusters[0]] }, teams: [{ name: team, group: 'team-a', workloads: new Api() }] }));
    expect(Object.keys(fleet.applications)).toContain(`staging-eu-${team}`);
  });
});

describe('team props', () => {
  test.each([
    ['CPU', { requestsCpu: '40', limitsCpu: '32' }, 'quota.requestsCpu ("40") must be <= quota.limitsCpu (32): every container requests at most its limit, '
      + 'so the namespace\'s CPU requests never exceed its CPU limits and this cap could never be reached; lower quota.requestsCpu or raise quota.limitsCpu'],
    ['memory', { requestsMemory: '20Gi' }, 'quota.requestsMemory ("20Gi") must be <= quota.limitsMemory (16Gi, its default): every container requests at most its limit, '
      + 'so the namespace\'s memory requests never exceed its memory limits and this cap could never be reached; lower quota.requestsMemory or raise quota.limitsMemory'],
  ])('a quota whose %s requests exceed its limits is refused (the request cap could never be reached)', (_, quota, message) => {
    expectError(() => new Fleet(props(outdir(), { teams: [{ name: 'shop', group: 'team-shop', workloads: new Api(), quota }] })), `fleet/acme: teams[0].${message}`);
    expectError(() => new TeamNamespace(new Chart(new App({ outdir: outdir() }), 'platform'), 'shop', { team: 'shop', group: 'team-shop', quota }), `platform/shop: ${message}`);
  });

  test('a limit set below the default request is accepted (the request was not chosen, and the limit cap holds)', () => {
    const tn = new TeamNamespace(new Chart(new App({ outdir: outdir() }), 'platform'), 'shop', { team: 'shop', group: 'team-shop', quota: { limitsCpu: '7', limitsMemory: '8Gi' } });
    expect(tn.resourceQuota.toJson().spec.hard).toMatchObject({ 'requests.cpu': '8', 'limits.cpu': '7', 'requests.memory': '16Gi', 'limits.memory': '8Gi' });
  });

  test('equal requests and limits are accepted', () => {
    const tn = new TeamNamespace(new Chart(new App({ outdir: outdir() }), 'platform'), 'shop', { team: 'shop', group: 'team-shop', quota: { requestsCpu: '32', requestsMemory: '16Gi' } });
    expect(tn.resourceQuota.toJson().spec.hard).toMatchObject({ 'requests.cpu': '32', 'limits.cpu': '32', 'requests.memory': '16Gi', 'limits.memory': '16Gi' });
  });

  test('an environment named twice is refused', () => {
    expectError(() => new Fleet(props(outdir(), { teams: [{ name: 'shop', group: 'team-shop', workloads: new Api(), environments: ['staging', 'staging'] }] })),
      'fleet/acme: teams[0].environments[1] ("staging") is also teams[0].environments[0]; name each environment once');
  });

  test.each([
    ['namespace', { namespace: 'My_NS' }, /^fleet\/acme: teams\[1\]\.namespace \("My_NS"\) /],
    ['namespace', { namespace: 'kube-system' }, 'fleet/acme: teams[1].namespace ("kube-system") is a namespace every cluster has and shares; a team gets a namespace of its own; set namespace to one of its own, for example "x"'],
    ['group', { group: '' }, 'fleet/acme: teams[1].group ("") must be the name of the team\'s Kubernetes group, without surrounding spaces; use for example \'team-shop\''],
    ['quota', { quota: { requestsCpu: '12 cores' } }, /^fleet\/acme: teams\[1\]\.quota\.requestsCpu \("12 cores"\) /],
    ['limits', { limits: { defaultCpuLimit: '8', maxCpu: '4' } }, 'fleet/acme: teams[1].limits.defaultCpuLimit ("8") must be <= limits.maxCpu (4); lower defaultCpuLimit or raise maxCpu'],
    ['access', { access: { principalArn: 'team-x' } }, 'fleet/acme: teams[1].access.principalArn ("team-x") must be an IAM role or user ARN'],
    ['permissions', { permissions: 'admin' as TeamPermissions }, 'fleet/acme: teams[1].permissions ("admin") must be a TeamPermissions (view, operate, edit); use TeamPermissions.OPERATE'],
  ])('a bad team %s is named as the fleet\'s prop (teams[i]...), like the fleet\'s other team errors', (_, extra, message) => {
    const teams = [{ name: 'shop', group: 'team-shop', workloads: new Api() }, { name: 'x', group: 'team-x', workloads: new Api(), ...extra }];
    expectError(() => new Fleet(props(outdir(), { teams })), message);
  });
});

describe('team permission levels do what their docs say', () => {
  function rules(level: TeamPermissions): string[] {
    const tn = new TeamNamespace(new Chart(new App({ outdir: outdir() }), 'platform'), 'shop', { team: 'shop', group: 'team-shop', permissions: level });
    const out: string[] = [];
    for (const r of tn.role.toJson().rules) for (const res of r.resources) for (const v of r.verbs) out.push(`${r.apiGroups[0] || 'core'}/${res} ${v}`);
    return out;
  }

  test('OPERATE: VIEW plus delete pods, the scale subresource, and patch on Deployments and StatefulSets (which reaches their pod templates)', () => {
    const view = new Set(rules(TeamPermissions.VIEW));
    expect(rules(TeamPermissions.OPERATE).filter(r => !view.has(r)).sort()).toEqual([
      'apps/deployments patch', 'apps/deployments/scale get', 'apps/deployments/scale patch', 'apps/deployments/scale update',
      'apps/statefulsets patch', 'apps/statefulsets/scale get', 'apps/statefulsets/scale patch', 'apps/statefulsets/scale update',
      'core/pods delete',
    ]);
  });

  test('no level reads Secrets through the API or execs into pods; every level reads pod logs', () => {
    for (const level of [TeamPermissions.VIEW, TeamPermissions.OPERATE, TeamPermissions.EDIT]) {
      const r = rules(level);
      expect(r.filter(x => /secrets|pods\/(exec|attach|portforward)|serviceaccounts\/token/.test(x))).toEqual([]);
      expect(r).toContain('core/pods/log get');
    }
    expect(rules(TeamPermissions.EDIT)).toEqual(expect.arrayContaining(['apps/deployments create', 'batch/jobs create']));
  });
});

describe('what a platform team adds outside the teams\' workloads, and errors in them, name the cluster', () => {
  test('a chart added through Fleet.app(cluster) is refused at synth: no Application would deploy its folder', () => {
    App._forgetOutdirs();
    const fleet = new Fleet(props(outdir()));
    new ApiObject(new Chart(fleet.app('prod-eu'), 'extras', { namespace: 'shop' }), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { a: 'b' } });
    const { error } = captured(() => fleet.synth());
    expect(error).toContain('cluster prod-eu: extras: a chart added to the cluster\'s app (Fleet.app); the fleet gives Argo CD Applications to the platform folder and the teams\' folders only, '
      + 'so nothing would deploy folder extras of cluster prod-eu. Create a team\'s objects in its workloads\' define(), and install cluster-wide software with an add-on pack (AddOnPack.helm)');
    expect(error).not.toContain('cluster staging-eu');
  });

  test('bad input in one cluster\'s workloads names that cluster and team', () => {
    class Bad implements IFleetWorkloads {
      public define(scope: Construct, target: FleetTarget): void {
        new WebService(scope, 'api', { image: IMAGE, profile: target.profile, port: target.clusterName === 'prod-eu' ? 0 : 8080 });
      }
    }
    App._forgetOutdirs();
    const message = errorOf(() => new Fleet(props(outdir(), { teams: [{ name: 'shop', group: 'team-shop', workloads: new Bad() }] })));
    expect(message).toMatch(/^cluster prod-eu, team shop: shop\/api: port \(0\) must be/);
  });

  test('the same bad input on several clusters: the error names each of them', () => {
    class Bad implements IFleetWorkloads {
      public define(scope: Construct, target: FleetTarget): void {
        new WebService(scope, 'api', { image: IMAGE, profile: target.profile, port: 0 });
      }
    }
    App._forgetOutdirs();
    const message = errorOf(() => new Fleet(props(outdir(), { teams: [{ name: 'shop', group: 'team-shop', workloads: new Bad() }, { name: 'reports', group: 'team-reports', workloads: new Api() }] })));
    expect(message).toMatch(/^clusters staging-eu, prod-eu, team shop: shop\/api: port \(0\) must be /);
  });

  test('a programming error in define() is not rewrapped', () => {
    class Broken implements IFleetWorkloads {
      public define(): void {
        throw new TypeError('boom');
      }
    }
    App._forgetOutdirs();
    expect(() => new Fleet(props(outdir(), { teams: [{ name: 'shop', group: 'team-shop', workloads: new Broken() }] }))).toThrow(new TypeError('boom'));
  });

  test('a cluster-scoped kind outside the team\'s allowed ones: the message lists the allowed kinds', () => {
    App._forgetOutdirs();
    const fleet = new Fleet(props(outdir(), {
      teams: [{
        name: 'shop',
        group: 'team-shop',
        clusterResources: [{ group: 'scheduling.k8s.io', kind: 'PriorityClass' }],
        workloads: new ApiAnd(s => new ApiObject(s, 'cr', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'x' } })),
      }],
    }));
    expect(captured(() => fleet.synth()).error).toContain('shop/cr: kind ("ClusterRole") is cluster-scoped, and team shop\'s Argo CD project allows only the cluster-scoped kinds scheduling.k8s.io/PriorityClass; ');
  });
});

describe('a team namespace of the fleet whose Ingress sends ALB traffic to pod ips', () => {
  test("takes the controller's pod readiness gate in the platform folder, as k8s.App's own namespaces do; a team without such an Ingress does not", () => {
    const dir = outdir();
    const ingress = (s: Construct) => {
      const api = s.node.findChild('api') as WebService;
      new HttpIngress(s, 'www', { rules: [{ host: 'shop.acme.example', paths: [{ backend: api }] }], tls: IngressTls.acm('arn:aws:acm:eu-west-1:123456789012:certificate/abc') });
    };
    const { error } = captured(() => new Fleet(props(dir, {
      teams: [
        { name: 'shop', group: 'team-shop', workloads: new ApiAnd(ingress) },
        { name: 'reports', group: 'team-reports', workloads: new Api() },
      ],
    })).synth());
    expect(error).toBeUndefined();
    const namespaces = readDocs(path.join(dir, 'prod-eu', 'platform')).map(d => d.doc).filter(d => d.kind === 'Namespace');
    const gate = (name: string) => namespaces.find(n => n.metadata.name === name)?.metadata.labels?.['elbv2.k8s.aws/pod-readiness-gate-inject'];
    expect([gate('shop'), gate('reports')]).toStrictEqual(['enabled', undefined]);
  });
});
