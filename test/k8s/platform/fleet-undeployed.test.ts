// What a fleet would leave undeployed is said at synth (an environment with no cluster, a release a cluster's
// profile asks for that no add-on pack installs), and a team's quota may differ per environment.
import * as fs from 'fs';
import * as path from 'path';
import { Construct } from 'constructs';
import { cluster, errorOf, IMAGE, outdir, readDocs } from './fixtures';
import { ClusterProfile, EnvironmentProfile, FleetDescription, HelmReleaseProfile } from '../../../lib/core';
import { App, WebService } from '../../../lib/k8s';
import { AddOnPack, Fleet, FleetProps, FleetTarget, IFleetWorkloads } from '../../../lib/k8s/platform';
import { stderrOf } from '../../util/k8s';

class Api implements IFleetWorkloads {
  public define(scope: Construct, target: FleetTarget): void {
    new WebService(scope, 'api', { image: IMAGE, profile: target.profile });
  }
}

const AUTOSCALER: HelmReleaseProfile = {
  repository: 'https://kubernetes.github.io/autoscaler',
  chart: 'cluster-autoscaler',
  version: '9.43.2',
  releaseName: 'cluster-autoscaler',
  namespace: 'kube-system',
  values: {},
  serviceAccountName: 'cluster-autoscaler',
};
const ALB_CONTROLLER: HelmReleaseProfile = { ...AUTOSCALER, repository: 'https://aws.github.io/eks-charts', chart: 'aws-load-balancer-controller', version: '1.14.0', releaseName: 'aws-load-balancer-controller', serviceAccountName: 'aws-load-balancer-controller' };

function description(extra: { profile?: Partial<ClusterProfile>; environments?: string[] } = {}): FleetDescription {
  return {
    name: 'acme',
    environments: (extra.environments ?? ['dev', 'production']).map(name => ({ name, profile: name === 'production' ? EnvironmentProfile.PRODUCTION : EnvironmentProfile.DEVELOPMENT })),
    clusters: [
      { name: 'dev-eu', environment: 'dev', region: 'eu-west-1', profile: cluster({ clusterName: 'dev-eu', environment: EnvironmentProfile.DEVELOPMENT, ...extra.profile }) },
      { name: 'prod-eu', environment: 'production', region: 'eu-west-1', profile: cluster({ clusterName: 'prod-eu', ...extra.profile }) },
    ],
  };
}

function props(dir: string, extra: Partial<FleetProps> = {}): FleetProps {
  return {
    description: description(),
    outdir: dir,
    gitOps: { repoUrl: 'https://github.com/acme/platform.git', path: 'dist/fleet' },
    teams: [{ name: 'shop', group: 'team-shop', workloads: new Api() }],
    ...extra,
  };
}

describe('what a fleet leaves undeployed is said at synth', () => {
  test('an environment with no cluster (a cluster left out of the list)', () => {
    const dir = outdir();
    const err = stderrOf(() => new Fleet(props(dir, { description: description({ environments: ['dev', 'staging', 'production'] }) })).synth());
    expect(err).toContain('shipshape note: fleet/acme: environment staging has no cluster, so no team runs there (a cluster left out of clusters?); '
      + 'add a cluster with environment \'staging\', or drop the environment\n');
    expect(stderrOf(() => new Fleet(props(outdir())).synth())).not.toContain('has no cluster');
  });

  test('a release a cluster\'s profile asks for (the autoscaler, an ingress class\'s controller) that no pack installs; none once clusterReleases() does', () => {
    const asking = description({
      profile: {
        helmReleases: [AUTOSCALER],
        ingressClasses: [{ name: 'alb', controller: 'ingress.k8s.aws/alb', isDefault: true, controllerRelease: ALB_CONTROLLER }],
      },
    });
    const err = stderrOf(() => new Fleet(props(outdir(), { description: asking, addOns: [AddOnPack.metricsServer()] })).synth());
    for (const c of ['dev-eu', 'prod-eu']) {
      expect(err).toContain(`shipshape note: fleet/acme: the profile of cluster ${c} asks for Helm releases kube-system/cluster-autoscaler, `
        + 'kube-system/aws-load-balancer-controller (the controller of IngressClass alb), which no add-on pack installs: add AddOnPack.clusterReleases() to addOns');
    }
    const dir = outdir();
    const served = stderrOf(() => new Fleet(props(dir, { description: asking, addOns: [AddOnPack.clusterReleases(), AddOnPack.metricsServer()] })).synth());
    expect(served).not.toContain('which no add-on pack installs');
    const apps = readDocs(path.join(dir, 'argocd')).map(d => d.doc).filter(d => d.kind === 'Application').map(d => d.metadata.name);
    expect(apps).toEqual(expect.arrayContaining(['prod-eu-cluster-autoscaler', 'prod-eu-aws-load-balancer-controller']));
  });

  test('a file the fleet did not write in a cluster folder: the note says Argo CD would apply it', () => {
    const dir = outdir();
    new Fleet(props(dir)).synth();
    fs.writeFileSync(path.join(dir, 'prod-eu', 'shop', 'hand.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: payments}\n');
    (App as any)._forgetOutdirs();
    const err = stderrOf(() => new Fleet(props(dir)).synth());
    expect(err).toMatch(/prod-eu also holds shop\/hand\.yaml, which this app did not write \(Argo CD syncs every file of a folder, so the Application of its folder would apply it too\)/);
  });
});

describe('quotaPerEnvironment', () => {
  const quotaOf = (dir: string, c: string) => readDocs(path.join(dir, c, 'platform')).map(d => d.doc).find(d => d.kind === 'ResourceQuota').spec.hard;

  test('an environment\'s own quota replaces quota on its clusters only', () => {
    const dir = outdir();
    stderrOf(() => new Fleet(props(dir, {
      teams: [{ name: 'shop', group: 'team-shop', workloads: new Api(), quota: { requestsCpu: '12', limitsCpu: '24' }, quotaPerEnvironment: { dev: { requestsCpu: '2', limitsCpu: '4' } } }],
    })).synth());
    expect(quotaOf(dir, 'dev-eu')).toMatchObject({ 'requests.cpu': '2', 'limits.cpu': '4' });
    expect(quotaOf(dir, 'prod-eu')).toMatchObject({ 'requests.cpu': '12', 'limits.cpu': '24' });
  });

  test('what the team runs is checked against the environment\'s quota, which the error names', () => {
    const err = errorOf(() => stderrOf(() => new Fleet(props(outdir(), {
      teams: [{ name: 'shop', group: 'team-shop', workloads: new Api(), quotaPerEnvironment: { dev: { requestsCpu: '100m', limitsCpu: '200m' } } }],
    })).synth()));
    expect(err).toMatch(/cluster dev-eu: .*teams\[0\]\.quotaPerEnvironment\.dev\.requestsCpu \("100m"\) of namespace shop is less than its workloads need/);
    expect(err).toContain('raise teams[0].quotaPerEnvironment.dev.requestsCpu to at least');
    expect(err).not.toContain('cluster prod-eu');
  });

  test('a request above the environment\'s limit names the environment\'s fields in the whole message (it replaces quota, defaults included)', () => {
    const err = errorOf(() => new Fleet(props(outdir(), {
      teams: [{ name: 'shop', group: 'team-shop', workloads: new Api(), quota: { requestsMemory: '40Gi', limitsMemory: '64Gi' }, quotaPerEnvironment: { dev: { requestsMemory: '20Gi' } } }],
    })).synth());
    expect(err).toContain('teams[0].quotaPerEnvironment.dev.requestsMemory ("20Gi") must be <= quotaPerEnvironment.dev.limitsMemory (16Gi, its default)');
    expect(err).toContain('lower quotaPerEnvironment.dev.requestsMemory or raise quotaPerEnvironment.dev.limitsMemory');
    expect(err).not.toMatch(/[^.]quota\.limitsMemory/);
  });

  test('a LimitRange a team\'s workload breaks names the team\'s limits prop, as the quota errors name its quota', () => {
    const err = errorOf(() => new Fleet(props(outdir(), {
      teams: [{ name: 'shop', group: 'team-shop', workloads: new Api(), limits: { maxMemory: '128Mi', defaultMemoryLimit: '128Mi', defaultMemoryRequest: '64Mi' } }],
    })).synth());
    expect(err).toMatch(/or raise teams\[0\]\.limits\.max(Cpu|Memory)/);
    expect(err).not.toMatch(/of platform\/shop/);
  });

  test('a bad value names the environment\'s prop', () => {
    expect(errorOf(() => new Fleet(props(outdir(), {
      teams: [{ name: 'shop', group: 'team-shop', workloads: new Api(), quotaPerEnvironment: { dev: { requestsCpu: 'lots' } } }],
    })))).toMatch(/^fleet\/acme: teams\[0\]\.quotaPerEnvironment\.dev\.requestsCpu/);
  });

  test('an environment the fleet does not have, or the team does not run in, is refused', () => {
    expect(errorOf(() => new Fleet(props(outdir(), {
      teams: [{ name: 'shop', group: 'team-shop', workloads: new Api(), quotaPerEnvironment: { staging: { requestsCpu: '2' } } }],
    })))).toContain('teams[0].quotaPerEnvironment.staging ("staging") is not an environment of the fleet (dev, production)');
    expect(errorOf(() => new Fleet(props(outdir(), {
      teams: [{ name: 'shop', group: 'team-shop', workloads: new Api(), environments: ['production'], quotaPerEnvironment: { dev: { requestsCpu: '2' } } }],
    })))).toContain('teams[0].quotaPerEnvironment.dev ("dev") is not an environment team shop runs in (teams[0].environments: production), so the quota would apply nowhere');
  });
});
