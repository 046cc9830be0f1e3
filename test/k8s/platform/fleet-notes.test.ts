// What synth says on stderr that a fleet leaves behind or lacks: the AppProjects that left argocd/ (kubectl apply does
// not delete them), and the custom resources a team writes on a cluster whose CRDs nothing of the fleet installs there.
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { cluster, IMAGE, outdir, quietly, readDocs } from './fixtures';
import { EnvironmentProfile, FleetDescription } from '../../../lib/core';
import { App, HttpIngress, IngressTls, WebService, Worker, WorkerScaling } from '../../../lib/k8s';
import { AddOnPack, Fleet, FleetProps, FleetTarget, FleetTeam, IFleetWorkloads } from '../../../lib/k8s/platform';
import { stderrOf } from '../../util/k8s';

function description(): FleetDescription {
  // an nginx class beside the ALB: cert-manager's certificates are served from Secrets, which an ALB ignores
  const ingressClasses = [{ name: 'alb', controller: 'ingress.k8s.aws/alb', isDefault: true }, { name: 'nginx', controller: 'k8s.io/ingress-nginx', isDefault: false }];
  return {
    name: 'acme',
    environments: [
      { name: 'staging', profile: EnvironmentProfile.STAGING, domain: 'staging.acme.example' },
      { name: 'production', profile: EnvironmentProfile.PRODUCTION, domain: 'acme.example' },
    ],
    clusters: [
      { name: 'staging-eu', environment: 'staging', region: 'eu-west-1', profile: cluster({ clusterName: 'staging-eu', environment: EnvironmentProfile.STAGING, ingressClasses }) },
      { name: 'prod-eu', environment: 'production', region: 'eu-west-1', profile: cluster({ clusterName: 'prod-eu', ingressClasses }) },
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
  constructor(private readonly extra: (scope: Construct, target: FleetTarget) => void) {}
  public define(scope: Construct, target: FleetTarget): void {
    new WebService(scope, 'api', { image: IMAGE, profile: target.profile });
    this.extra(scope, target);
  }
}

const team = (name: string, workloads: IFleetWorkloads = new Api(), extra: Partial<FleetTeam> = {}): FleetTeam => ({ name, group: `team-${name}`, workloads, ...extra });

function props(dir: string, extra: Partial<FleetProps> = {}): FleetProps {
  return {
    description: description(),
    outdir: dir,
    gitOps: { repoUrl: 'https://github.com/acme/platform.git', path: 'dist/fleet' },
    teams: [team('shop'), team('analytics')],
    addOns: [AddOnPack.metricsServer()],
    ...extra,
  };
}

/** Synthesizes a fleet as a new run of the program would (it may write the folders of an earlier one); returns stderr. */
function synth(p: FleetProps): string {
  App._forgetOutdirs();
  return stderrOf(() => new Fleet(p).synth());
}

describe('AppProjects that left argocd/ are named, with the command that deletes them', () => {
  test('a team removed from the fleet: its Applications, then its AppProject', () => {
    const dir = outdir();
    quietly(() => synth(props(dir)));
    const err = synth(props(dir, { teams: [team('shop')] }));
    const projectNote = 'shipshape note: fleet/acme: AppProject acme-analytics is no longer in argocd/ (team analytics is no longer in the fleet); kubectl apply does not delete it: '
      + 'delete its Applications first (kubectl delete applications -n argocd -l shipshape.io/fleet=acme,shipshape.io/team=analytics; '
      + 'Argo CD can neither sync nor cleanly delete an Application whose project is gone), then the project with kubectl delete appproject -n argocd acme-analytics\n';
    expect(err).toContain(projectNote);
    for (const c of ['prod-eu', 'staging-eu']) {
      const appNote = `shipshape note: fleet/acme: Application ${c}-analytics is no longer in argocd/ (its folder analytics of cluster ${c} is gone); `
        + `kubectl apply does not delete it, and Argo CD keeps what it deployed: delete it with kubectl delete application -n argocd ${c}-analytics\n`;
      expect(err).toContain(appNote);
      expect(err.indexOf(appNote)).toBeLessThan(err.indexOf(projectNote)); // the Applications first
    }
    expect(err.match(/AppProject /g)).toHaveLength(1); // the others stay
    const projects = readDocs(path.join(dir, 'argocd')).map(d => d.doc).filter(d => d.kind === 'AppProject').map(d => d.metadata.name);
    expect(projects.sort()).toEqual(['acme-add-ons', 'acme-platform', 'acme-shop']);
    // said once: the next synth has nothing to say
    expect(synth(props(dir, { teams: [team('shop')] }))).not.toContain('AppProject');
  });

  test('a team renamed: the old project is named; a team that defines nothing anywhere still has its project', () => {
    const dir = outdir();
    quietly(() => synth(props(dir, { teams: [team('shop'), team('idle', { define: () => undefined })] })));
    const err = synth(props(dir, { teams: [team('shop'), team('idle', { define: () => undefined }), team('analytics')] }));
    expect(err).not.toContain('AppProject'); // a team added: nothing gone
    const renamed = synth(props(dir, { teams: [team('shop'), team('reports')] }));
    expect(renamed).toContain('shipshape note: fleet/acme: AppProject acme-analytics is no longer in argocd/ (team analytics is no longer in the fleet);');
    // a team with no Application anywhere had a project all the same
    expect(renamed).toContain('shipshape note: fleet/acme: AppProject acme-idle is no longer in argocd/ (team idle is no longer in the fleet); kubectl apply does not delete it: '
      + 'delete its Applications first (kubectl delete applications -n argocd -l shipshape.io/fleet=acme,shipshape.io/team=idle; ');
    expect(renamed).not.toContain('AppProject acme-reports');
  });

  test('the last add-on pack removed: the add-on project is named', () => {
    const dir = outdir();
    quietly(() => synth(props(dir)));
    expect(synth(props(dir, { addOns: [] }))).toContain('shipshape note: fleet/acme: AppProject acme-add-ons is no longer in argocd/ (the fleet has no add-on pack any more); '
      + 'kubectl apply does not delete it: delete its Applications first (kubectl delete applications -n argocd -l shipshape.io/fleet=acme,shipshape.io/add-on; '
      + 'Argo CD can neither sync nor cleanly delete an Application whose project is gone), then the project with kubectl delete appproject -n argocd acme-add-ons\n');
  });

  test('Argo CD\'s namespace changed: every project of the old namespace is named there', () => {
    const dir = outdir();
    quietly(() => synth(props(dir)));
    const err = synth(props(dir, { gitOps: { repoUrl: 'https://github.com/acme/platform.git', path: 'dist/fleet', namespace: 'gitops' } }));
    for (const p of ['acme-add-ons', 'acme-analytics', 'acme-platform', 'acme-shop']) {
      expect(err).toContain(`shipshape note: fleet/acme: AppProject ${p} is no longer in argocd/ (the fleet's AppProjects are now in namespace gitops, gitOps.namespace); `
        + 'kubectl apply does not delete it: delete its Applications first (kubectl delete applications -n argocd -l shipshape.io/fleet=acme; '
        + `Argo CD can neither sync nor cleanly delete an Application whose project is gone), then the project with kubectl delete appproject -n argocd ${p}\n`);
    }
  });

  test('a first synth, and one that changes no project, say nothing of projects', () => {
    const dir = outdir();
    expect(synth(props(dir))).not.toContain('AppProject');
    expect(synth(props(dir, { addOns: [AddOnPack.metricsServer(), AddOnPack.certManager()] }))).not.toContain('AppProject');
  });
});

describe('the Argo CD folder renamed (gitOps.folder)', () => {
  const renamed = (dir: string, extra: Partial<FleetProps> = {}) => props(dir, { gitOps: { repoUrl: 'https://github.com/acme/platform.git', path: 'dist/fleet', folder: 'gitops' }, ...extra });

  test('the old folder is removed with a note that fits a rename, not a dropped cluster\'s', () => {
    const dir = outdir();
    quietly(() => synth(props(dir)));
    const err = synth(renamed(dir));
    expect(err).toContain('shipshape: fleet/acme: removed argocd/, the Argo CD folder of the last synth: the fleet\'s Argo CD objects are now in gitops/ (gitOps.folder); '
      + `they keep their names, so applying gitops/ updates those applied from argocd/ and nothing needs deleting: apply ${path.join(dir, 'gitops')} where you applied ${path.join(dir, 'argocd')}\n`);
    expect(err).not.toContain('shipshape.io/cluster=argocd');
    expect(err).not.toContain('no longer in the fleet');
    expect(fs.existsSync(path.join(dir, 'argocd'))).toBe(false);
    expect(readDocs(path.join(dir, 'gitops')).map(d => d.doc).filter(d => d.kind === 'AppProject').map(d => d.metadata.name).sort())
      .toEqual(['acme-add-ons', 'acme-analytics', 'acme-platform', 'acme-shop']);
    // said once
    expect(synth(renamed(dir))).not.toContain('removed');
  });

  test('a team dropped in the same synth: its AppProject, applied from the old folder, is named', () => {
    const dir = outdir();
    quietly(() => synth(props(dir)));
    expect(synth(renamed(dir, { teams: [team('shop')] }))).toContain('shipshape note: fleet/acme: AppProject acme-analytics is no longer in gitops/ (team analytics is no longer in the fleet); ');
  });
});

describe('add-on Applications that left argocd/', () => {
  test('a removed pack\'s Applications are named, one per cluster, with the command; those of the packs kept are not', () => {
    const dir = outdir();
    synth(props(dir, { addOns: [AddOnPack.metricsServer(), AddOnPack.certManager()] }));
    const err = synth(props(dir, { addOns: [AddOnPack.metricsServer()] }));
    const dropped = err.split('\n').filter(l => l.includes('is no longer in argocd/;'));
    expect(dropped.length).toBe(2);
    for (const c of ['staging-eu', 'prod-eu']) {
      const app = dropped.find(l => l.includes(`on cluster ${c})`))!;
      expect(app).toMatch(new RegExp(`^shipshape note: fleet/acme: Application ${c}-(\\S+) \\(add-on pack cert-manager on cluster ${c}\\) is no longer in argocd/; `
        + 'kubectl apply does not delete it, and Argo CD keeps what it installed: delete it with kubectl delete application -n argocd \\S+$'));
    }
    expect(err).not.toContain('metrics-server) is no longer');
  });

  test('without any add-on pack left, the project\'s note covers its Applications (no note per Application)', () => {
    const dir = outdir();
    synth(props(dir, { addOns: [AddOnPack.certManager()] }));
    const err = synth(props(dir, { addOns: [] }));
    expect(err).toContain('AppProject acme-add-ons is no longer in argocd/');
    expect(err).not.toContain('(add-on pack cert-manager on cluster');
  });
});

describe('custom resources of a team whose CRDs nothing of the fleet installs on a cluster', () => {
  const keda = (scope: Construct, target: FleetTarget) => new Worker(scope, 'mailer', {
    image: IMAGE,
    profile: target.profile,
    resources: { cpu: '250m' },
    scaling: WorkerScaling.keda({ min: 3, max: 6, triggers: [{ type: 'cron', metadata: { timezone: 'UTC', start: '0 8 * * *', end: '0 18 * * *', desiredReplicas: '3' } }] }),
  });
  /** A web service behind an ingress whose certificate cert-manager issues: a Certificate (createCertificate) or the ingress's annotations. */
  const web = (createCertificate: boolean) => (scope: Construct, target: FleetTarget) => new HttpIngress(scope, 'site', {
    rules: [{ host: target.hostname('web'), paths: [{ backend: new WebService(scope, 'web', { image: IMAGE, profile: target.profile }) }] }],
    ingressClassName: 'nginx',
    tls: IngressTls.certManager({ issuer: 'letsencrypt', createCertificate }),
  });
  const certificate = web(true);
  const kedaPack = AddOnPack.helm({ name: 'keda', repository: 'https://kedacore.github.io/charts', chart: 'keda', version: '2.17.2', namespace: 'keda' });

  test('a KEDA ScaledObject: noted on every cluster, until a release of the keda chart is installed there', () => {
    const err = synth(props(outdir(), { teams: [team('shop', new ApiAnd(keda)), team('analytics')] }));
    for (const c of ['prod-eu', 'staging-eu']) {
      expect(err).toContain(`shipshape note: fleet/acme: on cluster ${c}, team shop writes keda.sh objects (ScaledObject), whose CRDs are not in the cluster's output, `
        + 'and no add-on pack of the fleet installs them there: until they are installed, the API server refuses the objects and the team\'s Application cannot sync; '
        + 'add KEDA to addOns: AddOnPack.helm({ name: \'keda\', repository: \'https://kedacore.github.io/charts\', chart: \'keda\', version: \'<exact version>\', namespace: \'keda\' }), '
        + 'or install them outside the fleet\n');
    }
    expect(err.match(/whose CRDs/g)).toHaveLength(2);
    // installed on production only: staging keeps its note
    const some = synth(props(outdir(), {
      teams: [team('shop', new ApiAnd(keda)), team('analytics')],
      addOns: [AddOnPack.metricsServer(), AddOnPack.helm({ name: 'keda', repository: 'https://kedacore.github.io/charts', chart: 'keda', version: '2.17.2', namespace: 'keda', environments: ['production'] })],
    }));
    expect(some).toContain('on cluster staging-eu, team shop writes keda.sh objects (ScaledObject)');
    expect(some).not.toContain('on cluster prod-eu, team shop writes');
    expect(synth(props(outdir(), { teams: [team('shop', new ApiAnd(keda)), team('analytics')], addOns: [kedaPack] }))).not.toContain('whose CRDs');
  });

  test('a cert-manager Certificate: AddOnPack.certManager() brings the CRDs; a cert-manager chart without crds.enabled does not', () => {
    const teams = [team('shop', new ApiAnd(certificate)), team('analytics')];
    expect(synth(props(outdir(), { teams }))).toContain('shipshape note: fleet/acme: on cluster prod-eu, team shop writes cert-manager.io objects (Certificate), '
      + 'whose CRDs are not in the cluster\'s output, and no add-on pack of the fleet installs them there: until they are installed, the API server refuses the objects '
      + 'and the team\'s Application cannot sync; add AddOnPack.certManager() to addOns, or install them outside the fleet\n');
    const bare = AddOnPack.helm({ name: 'cert-manager', repository: 'https://charts.jetstack.io', chart: 'cert-manager', version: 'v1.16.2', namespace: 'cert-manager' });
    expect(synth(props(outdir(), { teams, addOns: [bare] }))).toContain('shipshape note: fleet/acme: on cluster prod-eu, team shop writes cert-manager.io objects (Certificate), '
      + 'whose CRDs are not in the cluster\'s output, and no add-on pack of the fleet installs them there: until they are installed, the API server refuses the objects '
      + 'and the team\'s Application cannot sync; the fleet\'s release cert-manager/cert-manager (chart cert-manager) installs none: the chart leaves them out unless crds.enabled is \'true\'; '
      + 'set values: { \'crds.enabled\': \'true\' } on its add-on pack, as AddOnPack.certManager() does, or install them outside the fleet\n');
    expect(synth(props(outdir(), { teams, addOns: [AddOnPack.certManager()] }))).not.toContain('whose CRDs');
    // an Ingress that asks cert-manager through its annotations writes no custom resource
    expect(synth(props(outdir(), { teams: [team('shop', new ApiAnd(web(false)))] }))).not.toContain('whose CRDs');
  });

  test('several teams needing one group on a cluster: one note naming each team and its kinds', () => {
    const err = synth(props(outdir(), { teams: [team('shop', new ApiAnd(keda)), team('analytics', new ApiAnd((s, t) => { keda(s, t); certificate(s, t); }), { quota: { requestsCpu: '16', limitsCpu: '64' } })] }));
    expect(err).toContain('shipshape note: fleet/acme: on cluster prod-eu, teams shop (ScaledObject), analytics (ScaledObject) write keda.sh objects, whose CRDs are not in the cluster\'s output, '
      + 'and no add-on pack of the fleet installs them there: until they are installed, the API server refuses the objects and their Applications cannot sync; add KEDA to addOns:');
    expect(err).toContain('shipshape note: fleet/acme: on cluster prod-eu, team analytics writes cert-manager.io objects (Certificate), whose CRDs');
  });

  test('a group shipshape does not know: noted unless a CRD of the output or a release named after it brings it', () => {
    const widget = (scope: Construct) => new ApiObject(scope, 'widget', { apiVersion: 'widgets.example.com/v1', kind: 'Widget', metadata: { name: 'w' } });
    const teams = [team('shop', new ApiAnd(widget))];
    expect(synth(props(outdir(), { teams }))).toContain('shipshape note: fleet/acme: on cluster prod-eu, team shop writes widgets.example.com objects (Widget), '
      + 'whose CRDs are not in the cluster\'s output, and no add-on pack of the fleet is known to install them there (shipshape knows no chart for the group, '
      + 'and no release of the cluster is named after it): until they are installed, the API server refuses the objects and the team\'s Application cannot sync; '
      + 'add the chart of the operator that defines them to addOns (AddOnPack.helm), or install them outside the fleet\n');
    const operator = AddOnPack.helm({ name: 'widget-operator', repository: 'https://charts.example.com', chart: 'widgets-operator', version: '1.0.0', namespace: 'widgets' });
    expect(synth(props(outdir(), { teams, addOns: [operator] }))).not.toContain('whose CRDs');
    // the team ships the CRD itself (allowed by the platform)
    const crd = (scope: Construct) => {
      widget(scope);
      new ApiObject(scope, 'crd', {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'widgets.widgets.example.com' },
        spec: { group: 'widgets.example.com', names: { kind: 'Widget', plural: 'widgets' }, scope: 'Namespaced', versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }] },
      });
    };
    const own = [team('shop', new ApiAnd(crd), { clusterResources: [{ group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' }] })];
    expect(synth(props(outdir(), { teams: own }))).not.toContain('whose CRDs');
  });

  test('built-in groups are never noted', () => {
    // the API's Deployment, Service, PodDisruptionBudget and NetworkPolicies, a ConfigMap, and EKS's SecurityGroupPolicy
    const builtIn = (scope: Construct) => {
      new ApiObject(scope, 'settings', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { mode: 'fast' } });
      new ApiObject(scope, 'sgp', { apiVersion: 'vpcresources.k8s.aws/v1beta1', kind: 'SecurityGroupPolicy', metadata: { name: 'api' }, spec: { podSelector: {}, securityGroups: { groupIds: ['sg-0123456789abcdef0'] } } });
    };
    expect(synth(props(outdir(), { teams: [team('shop', new ApiAnd(builtIn))] }))).not.toContain('whose CRDs');
  });
});
