// TeamNamespace serviceAccountGrants: Kubernetes API rights for a team's workloads (a Role and a RoleBinding to the
// ServiceAccount, in the namespace only), refused where they would escalate, and carried into a Fleet's platform folder.
import * as path from 'path';
import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import * as YAML from 'yaml';
import { cluster, errorOf, IMAGE, outdir, quietly, readDocs } from './fixtures';
import { EnvironmentProfile } from '../../../lib/core';
import { App, WebService } from '../../../lib/k8s';
import { Fleet, FleetTarget, IFleetWorkloads, ServiceAccountGrant, TeamNamespace } from '../../../lib/k8s/platform';
import { KubernetesPack, PolicyEngine } from '../../../lib/policy';
import { k8sDocument } from '../../../lib/policy/runner';
import { stderrOf } from '../../util/k8s';
import { expectValid } from '../../util/schema';

/** Leader election: the Lease of the workload, by name. */
const LEADER: ServiceAccountGrant = {
  serviceAccount: 'api',
  rules: [
    { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'update'], resourceNames: ['api-leader'] },
    { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
    { resources: ['configmaps'], verbs: ['get', 'list', 'watch'] },
  ],
};

function setup(grants: ServiceAccountGrant[] | undefined, withApi = true) {
  const app = new App({ cluster: cluster() });
  const platform = new Chart(app, 'platform');
  const team = new TeamNamespace(platform, 'shop', { team: 'shop', group: 'team-shop', serviceAccountGrants: grants });
  const chart = new Chart(app, 'shop', { namespace: team.namespace });
  if (withApi) new WebService(chart, 'api', { image: IMAGE, automountServiceAccountToken: true });
  return { app, team };
}

function docsOf(app: App): any[] {
  return quietly(() => YAML.parseAllDocuments(app.synthYaml()).map((d: any) => d.toJS()).filter(Boolean));
}

describe('defaults', () => {
  test('no grant: no Role but the team\'s own, and no binding to a ServiceAccount', () => {
    const { app, team } = setup(undefined);
    expect(team.serviceAccountRoles).toEqual([]);
    const docs = docsOf(app);
    expect(docs.filter(d => d.kind === 'Role').map(d => d.metadata.name)).toEqual(['shop-operate']);
    expect(docs.filter(d => d.kind === 'RoleBinding').flatMap(d => d.subjects.map((s: any) => s.kind))).toEqual(['Group']);
  });

  test('a grant writes Role <team>-sa-<account> with its rules (apiGroups default to the core group) and binds it to the ServiceAccount of the namespace', () => {
    const { app, team } = setup([LEADER]);
    expect(team.serviceAccountRoles.map(r => r.serviceAccount)).toEqual(['api']);
    const docs = docsOf(app);
    const role = docs.find(d => d.kind === 'Role' && d.metadata.name === 'shop-sa-api');
    expect(role.metadata.namespace).toBe('shop');
    expect(role.rules).toEqual([
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'update'], resourceNames: ['api-leader'] },
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
      { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] },
    ]);
    const binding = docs.find(d => d.kind === 'RoleBinding' && d.metadata.name === 'shop-sa-api');
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'api', namespace: 'shop' }]);
    expect(binding.roleRef).toEqual({ kind: 'Role', name: 'shop-sa-api', apiGroup: 'rbac.authorization.k8s.io' });
    expectValid([role, binding]);
  });

  test('the grant passes the RBAC rules of the Kubernetes pack with no finding', () => {
    const docs = docsOf(setup([LEADER]).app).filter(d => d.metadata?.name === 'shop-sa-api');
    const report = new PolicyEngine({ packs: [new KubernetesPack()] }).check(docs.map((m, i) => k8sDocument(m, `out/${i}`)));
    expect(report.findings.map(f => `${f.ruleId} ${f.kind}: ${f.message}`)).toEqual([]);
  });

  test('a grant to a ServiceAccount no object of the app has in the namespace is noted (the Role is written all the same)', () => {
    const { app } = setup([{ ...LEADER, serviceAccount: 'apl' }]);
    const err = stderrOf(() => app.synthYaml());
    expect(err).toContain('shipshape note: platform/shop: serviceAccountGrants[0] grants ServiceAccount apl, which no object of the app has in namespace shop: the Role binds it all the same, '
      + 'but unless the ServiceAccount is made otherwise nothing runs as it; check the name (a shipshape workload\'s ServiceAccount has the workload\'s name)');
    expect(stderrOf(() => setup([LEADER]).app.synthYaml())).not.toContain('serviceAccountGrants');
  });
});

describe('refused', () => {
  const cases: Array<[string, ServiceAccountGrant[], string | RegExp]> = [
    ['the default ServiceAccount', [{ serviceAccount: 'default', rules: LEADER.rules }],
      'platform/shop: serviceAccountGrants[0].serviceAccount ("default") is the namespace\'s default ServiceAccount, which every pod that names no other runs as: '
      + 'the rights would go to all of them (rule SS-K8S-083); grant the ServiceAccount of the workload that needs them (a shipshape workload runs as one of its own, named after it)'],
    ['one ServiceAccount in two grants', [LEADER, { serviceAccount: 'api', rules: [{ resources: ['pods'], verbs: ['get'] }] }],
      'platform/shop: serviceAccountGrants[1].serviceAccount ("api") is also granted by serviceAccountGrants[0]: each would write Role shop-sa-api; list all of its rules in one grant'],
    ['no rule', [{ serviceAccount: 'api', rules: [] }], /^platform\/shop: serviceAccountGrants\[0\]\.rules \(\[\]\) must hold at least one rule/],
    ['a wildcard verb', [{ serviceAccount: 'api', rules: [{ resources: ['configmaps'], verbs: ['*'] }] }],
      'platform/shop: serviceAccountGrants[0].rules[0].verbs ("*") is a wildcard, which grants everything of its kind, also what Kubernetes and add-ons add later (rule SS-K8S-077); '
      + 'name the verbs the workload uses'],
    ['a wildcard resource', [{ serviceAccount: 'api', rules: [{ resources: ['*'], verbs: ['get'] }] }], /rules\[0\]\.resources \("\*"\) is a wildcard/],
    ['an escalation verb', [{ serviceAccount: 'api', rules: [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['get', 'bind'] }] }],
      'platform/shop: serviceAccountGrants[0].rules[0].verbs ("bind") lets the ServiceAccount give itself or others more rights (rule SS-K8S-082); '
      + 'grant the verbs the workload uses on its resources; RBAC changes belong to the platform'],
    ['a verb in upper case', [{ serviceAccount: 'api', rules: [{ resources: ['configmaps'], verbs: ['Get'] }] }],
      'platform/shop: serviceAccountGrants[0].rules[0].verbs ("Get") is not a verb a grant gives (get, list, watch, create, update, patch, delete, deletecollection); write it as get'],
    ['create limited by names', [{ serviceAccount: 'api', rules: [{ apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create'], resourceNames: ['api-leader'] }] }],
      'platform/shop: serviceAccountGrants[0].rules[0].verbs ("create") is limited by resourceNames here, but a create request names no object, so the API server would refuse it; '
      + 'move create to a rule of its own without resourceNames'],
    ['no resources', [{ serviceAccount: 'api', rules: [{ resources: [], verbs: ['get'] }] }], /^platform\/shop: serviceAccountGrants\[0\]\.rules\[0\]\.resources \(\[\]\) must be a list of strings, not empty/],
    ['a ServiceAccount name that is no DNS subdomain', [{ serviceAccount: 'API_Worker', rules: LEADER.rules }], /^platform\/shop: serviceAccountGrants\[0\]\.serviceAccount \("API_Worker"\)/],
    ['a ServiceAccount name that makes the Role name too long', [{ serviceAccount: 'a'.repeat(250), rules: LEADER.rules }],
      /^platform\/shop: serviceAccountGrants\[0\]\.serviceAccount \("a{250}"\) makes the grant's Role name shop-sa-<serviceAccount> 258 characters long, above the 253 the API allows; use a ServiceAccount name of at most 245 characters$/],
    ['a resource of another group (leases in the core group, the default)', [{ serviceAccount: 'api', rules: [{ resources: ['leases'], verbs: ['get'] }] }],
      'platform/shop: serviceAccountGrants[0].rules[0].resources ("leases") is not a resource of API group "" (the core group), so the rule grants nothing there; '
      + 'set apiGroups to ["coordination.k8s.io"] for leases'],
    ['a singular resource', [{ serviceAccount: 'api', rules: [{ resources: ['configmap'], verbs: ['get'] }] }],
      /resources \("configmap"\) is not a resource of API group "" \(the core group\), so the rule grants nothing there; write "configmaps" \(RBAC matches the plural name\)$/],
    ['a resource in upper case', [{ serviceAccount: 'api', rules: [{ resources: ['ConfigMaps'], verbs: ['get'] }] }], /resources \("ConfigMaps"\) has upper case, .*; write "configmaps"$/],
    ['an API group with its version', [{ serviceAccount: 'api', rules: [{ apiGroups: ['apps/v1'], resources: ['deployments'], verbs: ['get'] }] }],
      /apiGroups \("apps\/v1"\) names a version, but RBAC matches the API group alone; write "apps"$/],
    ['a cluster-scoped resource', [{ serviceAccount: 'api', rules: [{ resources: ['nodes'], verbs: ['get'] }] }], /resources \("nodes"\) is cluster-scoped: a Role in the namespace cannot grant it/],
    ['a URL path', [{ serviceAccount: 'api', rules: [{ resources: ['/metrics'], verbs: ['get'] }] }], /resources \("\/metrics"\) is a URL path/],
    ['RBAC objects (create rolebindings would bind the Role to any ServiceAccount)', [{ serviceAccount: 'api', rules: [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['rolebindings'], verbs: ['create'] }] }],
      /resources \("rolebindings"\) would let the ServiceAccount write RBAC in the namespace: it could bind the Role it holds to any ServiceAccount, the default one included \(rule SS-K8S-082\)/],
  ];
  test.each(cases)('%s', (_, grants, message) => {
    expect(errorOf(() => setup(grants))).toMatch(message);
  });
});

class Api implements IFleetWorkloads {
  public define(scope: Construct, target: FleetTarget): void {
    new WebService(scope, 'api', { image: IMAGE, profile: target.profile, automountServiceAccountToken: true });
  }
}

describe('in a Fleet', () => {
  const props = (dir: string, grants: ServiceAccountGrant[]) => ({
    description: {
      name: 'acme',
      environments: [{ name: 'production', profile: EnvironmentProfile.PRODUCTION, domain: 'acme.example' }],
      clusters: [{ name: 'prod-eu', environment: 'production', region: 'eu-west-1', profile: cluster({ clusterName: 'prod-eu' }) }],
    },
    outdir: dir,
    gitOps: { repoUrl: 'https://github.com/acme/platform.git', path: 'dist/fleet' },
    teams: [{ name: 'shop', group: 'team-shop', workloads: new Api(), serviceAccountGrants: grants }],
  });

  test('the grant\'s Role and RoleBinding go to the platform folder (the team\'s project may not deploy RBAC), not the team\'s', () => {
    App._forgetOutdirs();
    const dir = outdir();
    quietly(() => new Fleet(props(dir, [LEADER])).synth());
    const platform = readDocs(path.join(dir, 'prod-eu', 'platform')).map(d => d.doc);
    expect(platform.filter(d => d.metadata.name === 'shop-sa-api').map(d => d.kind).sort()).toEqual(['Role', 'RoleBinding']);
    expect(readDocs(path.join(dir, 'prod-eu', 'shop')).some(d => d.doc.kind === 'Role' || d.doc.kind === 'RoleBinding')).toBe(false);
  });

  test('a refused grant is named as the fleet\'s team prop', () => {
    App._forgetOutdirs();
    expect(errorOf(() => quietly(() => new Fleet(props(outdir(), [{ serviceAccount: 'api', rules: [{ resources: ['configmaps'], verbs: ['*'] }] }])).synth())))
      .toContain('teams[0].serviceAccountGrants[0].rules[0].verbs ("*") is a wildcard');
  });
});
