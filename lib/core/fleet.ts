import { ClusterProfile } from './cluster-profile';
import { at, fail } from './errors';
import { Names } from './names';
import { EnvironmentProfile } from './profile';

/**
 * How Argo CD keeps an environment's clusters in sync with Git. Everything is opt-in: by default a change waits
 * for someone to press sync.
 */
export interface FleetSyncPolicy {
  /**
   * Sync automatically when Git changes (`syncPolicy.automated`).
   * @default false
   */
  readonly automated?: boolean;
  /**
   * With `automated`: delete objects that are no longer in Git (refused without `automated`, where Argo CD ignores it).
   * @default false
   */
  readonly prune?: boolean;
  /**
   * With `automated`: revert changes made in the cluster by hand (refused without `automated`, where Argo CD ignores it).
   * @default false
   */
  readonly selfHeal?: boolean;
}

/**
 * One environment of a fleet (`staging`, `production`): the profile its workloads run with, its DNS domain and
 * how its clusters sync.
 */
export interface FleetEnvironment {
  /** The environment's name, a DNS label (`staging`, `production`). */
  readonly name: string;
  /** The availability profile of the environment's workloads (replicas, disruption budgets, spreading). */
  readonly profile: EnvironmentProfile;
  /**
   * The DNS domain the environment's hostnames live under (`staging.example.com`).
   * @default - no domain: hostnames cannot be derived for the environment
   */
  readonly domain?: string;
  /**
   * How Argo CD syncs the environment's clusters.
   * @default - manual sync, no prune, no self-heal
   */
  readonly sync?: FleetSyncPolicy;
}

/**
 * One cluster of a fleet, as plain values: what the Kubernetes side needs to write its folder (its environment,
 * region and version, and with `profile` what `aws.EksCluster.profile` says of the cluster built on the AWS side).
 * No `aws` construct builds a cluster from it. Adding a cluster to a fleet is adding one of these.
 */
export interface FleetCluster {
  /** The cluster's name in the fleet, a DNS label: its output folder and its Argo CD Application prefix. */
  readonly name: string;
  /** The name of the environment it serves (one of the fleet's environments). */
  readonly environment: string;
  /** The AWS region, for example `eu-west-1`. */
  readonly region: string;
  /**
   * The Kubernetes minor version (`1.33`); needed when no `profile` is given.
   * @default - the profile's version
   */
  readonly kubernetesVersion?: string;
  /**
   * The AWS account id.
   * @default - the profile's account, or unknown
   */
  readonly account?: string;
  /**
   * The DNS domain of the cluster's hostnames.
   * @default - the environment's domain
   */
  readonly domain?: string;
  /**
   * What the cluster offers (node pools, storage and ingress classes, identities): `aws.EksCluster.profile`, or
   * written by hand for a cluster shipshape did not create.
   * @default - a profile with only the version, region and environment (no pool, class or identity checks)
   */
  readonly profile?: ClusterProfile;
  /**
   * The name the cluster is registered under in Argo CD (an Application's `destination.name`).
   * @default - `name`, unless `argoCdServer` is given
   */
  readonly argoCdName?: string;
  /**
   * The API server URL Argo CD reaches the cluster at (`destination.server`), instead of a registered name.
   * @default - the cluster is addressed by `argoCdName`
   */
  readonly argoCdServer?: string;
}

/**
 * A fleet: environments and the clusters that serve them, as plain values (no construct, no token). The clusters
 * are built on the AWS side (`aws.EksCluster`, whose `profile` a cluster here may carry); from this description the
 * Kubernetes side (`k8s.platform.Fleet`) writes a folder per cluster and the Argo CD objects that deploy those folders.
 */
export interface FleetDescription {
  /**
   * The fleet's name, a DNS label (labels and the Argo CD project names carry it). Give every fleet one Argo CD manages
   * a name of its own: the AppProjects are named `<fleet>-<team>`, `<fleet>-platform` and `<fleet>-add-ons` in Argo CD's
   * namespace, so two fleets of one name (two programs, or one per environment) would overwrite each other's projects
   * there. One program cannot see another's fleet, so this is not checked.
   */
  readonly name: string;
  /** The environments (at least one). */
  readonly environments: FleetEnvironment[];
  /** The clusters (at least one), each serving one environment. */
  readonly clusters: FleetCluster[];
}

/**
 * What a team's EKS access entry on one cluster must say, as plain values for the AWS side: the team's IAM
 * principal is mapped into the team's Kubernetes groups (which the namespace's RoleBinding binds), and, only
 * when `accessPolicy` is given, an EKS access policy is associated with it scoped to the team's namespaces.
 */
export interface TeamAccessProfile {
  /** The fleet cluster name (the `FleetCluster.name`). */
  readonly cluster: string;
  /** The EKS cluster name. */
  readonly clusterName: string;
  /** The team's name. */
  readonly team: string;
  /** The IAM role (or user) ARN the team's people assume. */
  readonly principalArn: string;
  /** The Kubernetes groups the access entry maps the principal into (`kubernetes_groups`); RBAC binds them. */
  readonly kubernetesGroups: string[];
  /** The namespaces the team works in (the scope of `accessPolicy`). */
  readonly namespaces: string[];
  /**
   * An EKS access policy to associate, scoped to `namespaces`: `AmazonEKSViewPolicy` only (`grantTeamAccess` refuses the
   * others, which read the namespace's Secrets and change its NetworkPolicies; give a team more through its
   * TeamNamespace permissions).
   * @default - none: the namespace's RBAC alone decides what the team may do
   */
  readonly accessPolicy?: string;
}

/**
 * Checks and reads a `FleetDescription`.
 */
export class Fleets {
  /**
   * Checks a fleet: names are DNS labels and unique, every cluster names an environment of the fleet, and a
   * cluster's profile agrees with it (region, Kubernetes version, environment profile).
   */
  public static validate(fleet: FleetDescription): void {
    const where = `fleet/${fleet?.name}`;
    Names.dnsLabel(at(where), 'name', fleet.name);
    if (!Array.isArray(fleet.environments) || fleet.environments.length === 0) {
      fail(where, 'environments', fleet.environments, 'must list at least one environment', "add one, for example { name: 'production', profile: EnvironmentProfile.PRODUCTION }");
    }
    if (!Array.isArray(fleet.clusters) || fleet.clusters.length === 0) {
      fail(where, 'clusters', fleet.clusters, 'must list at least one cluster', "add one, for example { name: 'prod-eu', environment: 'production', region: 'eu-west-1' }");
    }
    const envs = new Set<string>();
    fleet.environments.forEach((e, i) => {
      Names.dnsLabel(at(where), `environments[${i}].name`, e.name);
      if (envs.has(e.name)) fail(where, `environments[${i}].name`, e.name, 'is the name of another environment', 'give every environment its own name');
      envs.add(e.name);
      if (!Object.values(EnvironmentProfile).includes(e.profile)) {
        fail(where, `environments[${i}].profile`, e.profile, `must be an EnvironmentProfile (${Object.values(EnvironmentProfile).join(', ')})`, 'use EnvironmentProfile.PRODUCTION, STAGING or DEVELOPMENT');
      }
      if (e.domain !== undefined) Names.dnsSubdomain(at(where), `environments[${i}].domain`, e.domain);
      // prune and self-heal are parts of automated sync in Argo CD (syncPolicy.automated): without it they do nothing
      const sync = e.sync;
      if (sync !== undefined && sync.automated !== true && (sync.prune === true || sync.selfHeal === true)) {
        const what = [sync.prune === true ? 'prune' : '', sync.selfHeal === true ? 'selfHeal' : ''].filter(Boolean).join(' and ');
        fail(where, `environments[${i}].sync.automated`, sync.automated, `is not true, but ${what} ${sync.prune === true && sync.selfHeal === true ? 'are' : 'is'} set: Argo CD prunes and `
          + 'self-heals only in automated sync (syncPolicy.automated), so the environment would sync by hand with neither',
        `set automated: true, or leave ${what} out`);
      }
    });
    const names = new Set<string>();
    fleet.clusters.forEach((c, i) => {
      const p = `clusters[${i}]`;
      Names.dnsLabel(at(where), `${p}.name`, c.name);
      if (names.has(c.name)) fail(where, `${p}.name`, c.name, 'is the name of another cluster of the fleet (it names the cluster\'s output folder)', 'give every cluster its own name');
      names.add(c.name);
      if (!envs.has(c.environment)) {
        fail(where, `${p}.environment`, c.environment, `is not an environment of the fleet (${[...envs].join(', ')})`, 'name one of them, or add the environment');
      }
      if (c.domain !== undefined) Names.dnsSubdomain(at(where), `${p}.domain`, c.domain);
      if (c.argoCdName !== undefined && c.argoCdServer !== undefined) {
        fail(where, `${p}.argoCdServer`, c.argoCdServer, 'cannot be given together with argoCdName (an Argo CD destination names one or the other)', 'keep one of them');
      }
      if (c.argoCdServer !== undefined && !/^https:\/\/\S+$/.test(c.argoCdServer)) {
        fail(where, `${p}.argoCdServer`, c.argoCdServer, 'must be the cluster API server URL (https://...)', "use for example 'https://kubernetes.default.svc' or the EKS endpoint");
      }
      const profile = c.profile;
      const env = fleet.environments.find(e => e.name === c.environment)!;
      if (profile) {
        if (profile.region !== c.region) {
          fail(where, `${p}.region`, c.region, `must be the region of its profile (${profile.region})`, 'make the two agree');
        }
        if (c.kubernetesVersion !== undefined && c.kubernetesVersion !== profile.kubernetesVersion) {
          fail(where, `${p}.kubernetesVersion`, c.kubernetesVersion, `must be the version of its profile (${profile.kubernetesVersion})`, 'leave it out (the profile says it) or make the two agree');
        }
        if (c.account !== undefined && profile.account !== undefined && c.account !== profile.account) {
          fail(where, `${p}.account`, c.account, `must be the account of its profile (${profile.account})`, 'leave it out or make the two agree');
        }
        if (profile.environment !== env.profile) {
          fail(where, `${p}.profile.environment`, profile.environment, `must be the profile of environment ${env.name} (${env.profile})`,
            `build the cluster for ${env.profile}, or move it to an environment with profile ${profile.environment}`);
        }
      } else if (c.kubernetesVersion === undefined) {
        fail(where, `${p}.kubernetesVersion`, c.kubernetesVersion, 'must be a Kubernetes minor version ("1.33") when the cluster has no profile',
          'give the version, or the profile (aws.EksCluster.profile)');
      } else if (!/^1\.\d+$/.test(c.kubernetesVersion)) {
        const minor = typeof c.kubernetesVersion === 'string' ? /^v?(1\.\d+)(\.\d+)?$/.exec(c.kubernetesVersion) : null;
        fail(where, `${p}.kubernetesVersion`, c.kubernetesVersion, 'must be a Kubernetes minor version such as "1.33", without a patch or a leading v',
          minor ? `write "${minor[1]}"` : 'give the minor version the cluster runs, for example "1.33"');
      }
    });
  }

  /** The environment a cluster of the fleet serves. */
  public static environmentOf(fleet: FleetDescription, cluster: string): FleetEnvironment {
    const c = Fleets.clusterOf(fleet, cluster);
    return fleet.environments.find(e => e.name === c.environment)!;
  }

  /** The clusters that serve an environment, in the fleet's order. */
  public static clustersIn(fleet: FleetDescription, environment: string): FleetCluster[] {
    return fleet.clusters.filter(c => c.environment === environment);
  }

  /**
   * The profile of a cluster of the fleet: its own, or one with only its version, region and environment.
   */
  public static clusterProfile(fleet: FleetDescription, cluster: string): ClusterProfile {
    const c = Fleets.clusterOf(fleet, cluster);
    if (c.profile) return c.profile;
    return {
      clusterName: c.name,
      kubernetesVersion: c.kubernetesVersion!,
      environment: Fleets.environmentOf(fleet, cluster).profile,
      region: c.region,
      account: c.account,
      zones: [],
      nodePools: [],
      storageClasses: [],
      networkPolicyEnforced: true,
      oidcIssuerOutput: '',
      workloadIdentities: [],
    };
  }

  /** The DNS domain of a cluster's hostnames: its own, else its environment's, else undefined. */
  public static domainOf(fleet: FleetDescription, cluster: string): string | undefined {
    return Fleets.clusterOf(fleet, cluster).domain ?? Fleets.environmentOf(fleet, cluster).domain;
  }

  private static clusterOf(fleet: FleetDescription, cluster: string): FleetCluster {
    const c = fleet.clusters.find(x => x.name === cluster);
    if (!c) {
      fail(`fleet/${fleet.name}`, 'cluster', cluster, `is not a cluster of the fleet (${fleet.clusters.map(x => x.name).join(', ')})`, 'name one of them');
    }
    return c;
  }

  private constructor() {}
}
