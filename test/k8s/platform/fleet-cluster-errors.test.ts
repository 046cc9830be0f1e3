import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Construct } from 'constructs';
import { cluster } from './fixtures';
import { EnvironmentProfile } from '../../../lib/core';
import { App, Schedule, ScheduledJob } from '../../../lib/k8s';
import { Fleet, FleetTarget, IFleetWorkloads } from '../../../lib/k8s/platform';
import { LogShipper } from '../../../lib/k8s/sidecars';
import { quietly } from '../../util/k8s';

// An error a team's objects raise while a fleet synthesizes names the cluster it arose on: the same construct paths
// exist on every cluster.

const IMAGE = 'ghcr.io/acme/api:1.4.2';

class Reports implements IFleetWorkloads {
  public define(scope: Construct, target: FleetTarget): void {
    new ScheduledJob(scope, 'report', { image: IMAGE, profile: target.profile, schedule: Schedule.cron('0 3 * * *') }).addSidecar(new LogShipper());
  }
}

test('a sidecar on a ScheduledJob refused on one cluster\'s Kubernetes version: the error names that cluster', () => {
  App._forgetOutdirs();
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-errors-'));
  const fleet = new Fleet({
    description: {
      name: 'acme',
      environments: [{ name: 'production', profile: EnvironmentProfile.PRODUCTION, domain: 'acme.example' }],
      clusters: [
        { name: 'prod-old', environment: 'production', region: 'eu-west-1', profile: cluster({ clusterName: 'prod-old', kubernetesVersion: '1.28' }) },
        { name: 'prod-new', environment: 'production', region: 'eu-west-1', profile: cluster({ clusterName: 'prod-new', kubernetesVersion: '1.31' }) },
      ],
    },
    outdir,
    gitOps: { repoUrl: 'https://github.com/acme/platform.git', path: 'dist/fleet', targetRevision: 'main' },
    teams: [{ name: 'reports', group: 'team-reports', workloads: new Reports() }],
    addOns: [],
  });
  let message = '';
  try {
    quietly(() => fleet.synth());
  } catch (e: any) {
    message = e.message;
  }
  fs.rmSync(outdir, { recursive: true, force: true });
  // a validation error of that cluster's app (not a serialization crash of the team's quota check)
  expect(message).toMatch(/^Validation failed with the following errors:\n\s+cluster prod-old: reports\/report: sidecars\.log-shipper /);
  expect(message).not.toContain('Failed serializing');
  expect(message).not.toContain('cluster prod-new');
  expect(message).toContain('on the Kubernetes 1.28 target');
});
