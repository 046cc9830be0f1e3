import { ClusterProfile } from '../../core/cluster-profile';
import { at, fail } from '../../core/errors';
import { HelmReleaseProfile } from '../../core/karpenter-profile';
import { Names } from '../../core/names';
import { Validators } from '../../core/validators';

/**
 * Properties of a custom add-on pack: one Helm chart release, declared once and installed on every cluster of the
 * fleet (or of some environments).
 *
 * Values may name the cluster they are installed on: `{{cluster}}` (the fleet's name for it), `{{clusterName}}`
 * (the EKS cluster name), `{{region}}`, `{{environment}}`, `{{domain}}` and `{{account}}` are replaced per cluster.
 */
export interface AddOnPackProps {
  /** The pack's name, a DNS label: one pack per name and environment (two packs of one name may serve environments that do not overlap, to roll a version out environment by environment). Its Argo CD Applications are `<cluster>-<release name>` (see `releaseName`). */
  readonly name: string;
  /** The chart repository: an `https://` Helm repository or an `oci://` registry path. */
  readonly repository: string;
  /** The chart's name. */
  readonly chart: string;
  /** The exact chart version (`1.16.2`, `v1.16.2`): no range, no `latest`. Changing it moves the whole fleet. */
  readonly version: string;
  /** The namespace the release is installed into (Argo CD creates it). */
  readonly namespace: string;
  /**
   * The Helm release name.
   * @default - the pack's name
   */
  readonly releaseName?: string;
  /**
   * Chart values as Helm `--set` paths (a dot inside a key escaped as `\.`), with the per-cluster placeholders above.
   * @default - the chart's defaults
   */
  readonly values?: { [path: string]: string };
  /**
   * The ServiceAccount the chart's pods run as (in `namespace`); with `identity`, the one the IAM role trusts.
   * @default - not declared
   */
  readonly serviceAccountName?: string;
  /**
   * The release needs an AWS identity: each cluster's profile must hold a workload identity for
   * `namespace`/`serviceAccountName` (`aws.EksCluster.addWorkloadIdentity`); with IRSA its role annotation is passed
   * as `serviceAccount.annotations.eks\.amazonaws\.com/role-arn`.
   * @default false
   */
  readonly identity?: boolean;
  /**
   * The environments whose clusters get the pack.
   * @default - every environment
   */
  readonly environments?: string[];
}

/**
 * Options of the built-in add-on packs.
 */
export interface AddOnOptions {
  /**
   * The exact chart version.
   * @default - the version shipshape pins for the pack
   */
  readonly version?: string;
  /**
   * More chart values (Helm `--set` paths, with the per-cluster placeholders), over the pack's own.
   * @default - none
   */
  readonly values?: { [path: string]: string };
  /**
   * The environments whose clusters get the pack.
   * @default - every environment
   */
  readonly environments?: string[];
}

/**
 * Options of the external-dns pack.
 */
export interface ExternalDnsOptions extends AddOnOptions {
  /**
   * The DNS zones external-dns may write records in.
   * @default - the cluster's domain (`FleetCluster.domain`, else its environment's)
   */
  readonly domainFilters?: string[];
}

/**
 * Options of the Karpenter pack.
 */
export interface KarpenterPackOptions {
  /**
   * The Karpenter version every cluster must run; a cluster whose profile says another is refused (its IAM policy
   * was written for that version: change it on the AWS side).
   * @default - each cluster's own version
   */
  readonly version?: string;
  /**
   * The environments whose clusters get the pack.
   * @default - every environment
   */
  readonly environments?: string[];
}

/**
 * The cluster an add-on pack is resolved for.
 * @internal
 */
export interface AddOnTarget {
  readonly cluster: string;
  readonly environment: string;
  readonly domain?: string;
  readonly profile: ClusterProfile;
}

const PACK = Symbol.for('shipshape.AddOnPack');
const EXACT_VERSION = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
const IRSA_ANNOTATION = 'eks.amazonaws.com/role-arn';

type Kind = 'helm' | 'karpenter' | 'cluster-releases';

/**
 * A versioned cluster add-on (chart, exact version, values, namespace and identity), declared once for a fleet and
 * rolled out to every cluster as an Argo CD Application with a Helm source: changing one version moves the fleet.
 *
 * @example
 * addOns: [k8s.platform.AddOnPack.certManager(), k8s.platform.AddOnPack.metricsServer({ version: '3.12.2' })]
 */
export class AddOnPack {
  /** True when `x` is an AddOnPack, also one made by another copy of the shipshape library. */
  public static isAddOnPack(x: any): boolean {
    return x !== null && typeof x === 'object' && x[PACK] === true;
  }

  /** Any Helm chart. */
  public static helm(props: AddOnPackProps): AddOnPack {
    return new AddOnPack('helm', props, undefined);
  }

  /** cert-manager (jetstack), with its CRDs, in namespace `cert-manager`. */
  public static certManager(options: AddOnOptions = {}): AddOnPack {
    return AddOnPack.builtIn(options, {
      name: 'cert-manager',
      repository: 'https://charts.jetstack.io',
      chart: 'cert-manager',
      version: 'v1.16.2',
      namespace: 'cert-manager',
      serviceAccountName: 'cert-manager',
      values: { 'crds.enabled': 'true', 'crds.keep': 'true' },
    });
  }

  /** metrics-server (what HorizontalPodAutoscalers read CPU from), in `kube-system`. */
  public static metricsServer(options: AddOnOptions = {}): AddOnPack {
    return AddOnPack.builtIn(options, {
      name: 'metrics-server',
      repository: 'https://kubernetes-sigs.github.io/metrics-server/',
      chart: 'metrics-server',
      version: '3.12.2',
      namespace: 'kube-system',
      serviceAccountName: 'metrics-server',
    });
  }

  /**
   * external-dns for Route 53, in namespace `external-dns`: `upsert-only` (it never deletes a record), owner id the
   * cluster, limited to the cluster's domain. Needs an identity for `external-dns/external-dns` on every cluster.
   */
  public static externalDns(options: ExternalDnsOptions = {}): AddOnPack {
    const filters: { [path: string]: string } = {};
    (options.domainFilters ?? ['{{domain}}']).forEach((d, i) => { filters[`domainFilters[${i}]`] = d; });
    return AddOnPack.builtIn(options, {
      name: 'external-dns',
      repository: 'https://kubernetes-sigs.github.io/external-dns/',
      chart: 'external-dns',
      version: '1.15.0',
      namespace: 'external-dns',
      serviceAccountName: 'external-dns',
      identity: true,
      values: {
        'provider.name': 'aws',
        'policy': 'upsert-only',
        'registry': 'txt',
        'txtOwnerId': '{{cluster}}',
        'env[0].name': 'AWS_DEFAULT_REGION',
        'env[0].value': '{{region}}',
        'serviceAccount.name': 'external-dns',
        ...filters,
      },
    });
  }

  /**
   * The AWS Load Balancer Controller (the ingress controller behind the `alb` IngressClass), in `kube-system`.
   * Needs an identity for `kube-system/aws-load-balancer-controller` on every cluster. Prefer `clusterReleases()`
   * for clusters made with `aws.EksCluster.addLoadBalancerController()`: that release carries the identity and the
   * VPC the controller must find without instance metadata (pods cannot reach it on EKS nodes); using both gives
   * two Applications of one name, which synth refuses.
   */
  public static awsLoadBalancerController(options: AddOnOptions = {}): AddOnPack {
    return AddOnPack.builtIn(options, {
      name: 'aws-load-balancer-controller',
      repository: 'https://aws.github.io/eks-charts',
      chart: 'aws-load-balancer-controller',
      version: '1.14.0',
      namespace: 'kube-system',
      serviceAccountName: 'aws-load-balancer-controller',
      identity: true,
      values: {
        'clusterName': '{{clusterName}}',
        'region': '{{region}}',
        'serviceAccount.name': 'aws-load-balancer-controller',
        // the IngressClass comes from the cluster profile (ClusterResources), not from the chart
        'createIngressClassResource': 'false',
      },
    });
  }

  /**
   * The Karpenter controller of each cluster that has one (`ClusterProfile.karpenter.controller`, written by
   * `aws.Karpenter` with its values and identity); clusters without Karpenter get none. The fleet refuses the pack when
   * no cluster of the environments it covers has Karpenter (a cluster given by its version alone has none): it
   * would install nothing.
   */
  public static karpenter(options: KarpenterPackOptions = {}): AddOnPack {
    if (options.version !== undefined) AddOnPack.checkVersion('AddOnPack.karpenter', options.version);
    return new AddOnPack('karpenter', { name: 'karpenter', repository: '', chart: 'karpenter', version: options.version ?? '', namespace: '', environments: options.environments }, options.version);
  }

  /**
   * The Helm releases each cluster's profile asks for (`ClusterProfile.helmReleases` and the controllers of its
   * ingress classes), with the versions and identities the AWS side wrote.
   */
  public static clusterReleases(): AddOnPack {
    return new AddOnPack('cluster-releases', { name: 'cluster-releases', repository: '', chart: '', version: '', namespace: '' }, undefined);
  }

  private static builtIn(options: AddOnOptions, props: AddOnPackProps): AddOnPack {
    return AddOnPack.helm({
      ...props,
      version: options.version ?? props.version,
      values: { ...(props.values ?? {}), ...(options.values ?? {}) },
      environments: options.environments,
    });
  }

  private static checkVersion(where: string, version: string): void {
    if (typeof version !== 'string' || !EXACT_VERSION.test(version)) {
      fail(where, 'version', version, 'must be an exact chart version (1.2.3 or v1.2.3), never a range or latest: the fleet must install the same release everywhere',
        'pin the version, for example "1.15.0"');
    }
  }

  /** The pack's name. */
  public readonly name: string;
  /**
   * The exact chart version.
   * @default - each cluster's own (Karpenter, cluster releases)
   */
  public readonly version?: string;
  /**
   * The environments whose clusters get the pack.
   * @default - every environment
   */
  public readonly environments?: string[];
  private readonly kind: Kind;
  private readonly props: AddOnPackProps;

  private constructor(kind: Kind, props: AddOnPackProps, version: string | undefined) {
    Object.defineProperty(this, PACK, { value: true });
    this.kind = kind;
    this.props = props;
    const where = `AddOnPack.${kind === 'helm' ? props.name : kind}`;
    if (kind === 'helm') {
      Names.dnsLabel(at(where), 'name', props.name);
      AddOnPack.checkVersion(where, props.version);
      Names.dnsLabel(at(where), 'namespace', props.namespace);
      if (typeof props.repository !== 'string' || !/^(https:\/\/|oci:\/\/)\S+$/.test(props.repository)) {
        fail(where, 'repository', props.repository, 'must be an https:// Helm repository or an oci:// registry path', "use for example 'https://charts.jetstack.io'");
      }
      if (typeof props.chart !== 'string' || props.chart === '') fail(where, 'chart', props.chart, 'must name the chart', "use for example 'cert-manager'");
      if (props.releaseName !== undefined) Names.dnsLabel(at(where), 'releaseName', props.releaseName, 53);
      if (props.identity && !props.serviceAccountName) {
        fail(where, 'serviceAccountName', props.serviceAccountName, 'is required with identity: the IAM role trusts exactly one ServiceAccount', 'name the ServiceAccount the chart creates');
      }
      this.version = props.version;
    } else {
      this.version = version;
    }
    this.name = props.name;
    this.environments = props.environments ? [...props.environments] : undefined;
  }

  /**
   * Whether this pack installs Karpenter on the clusters of `environment`.
   * @internal
   */
  public _installsKarpenter(environment: string): boolean {
    return this.kind === 'karpenter' && (!this.environments || this.environments.includes(environment));
  }

  /**
   * Whether this pack installs the Karpenter controller of a cluster of `environment` with that `profile`: the
   * Karpenter pack, or the cluster-releases pack when the profile lists the controller among its Helm releases
   * (as `aws.Karpenter` does).
   * @internal
   */
  public _installsKarpenterOf(environment: string, profile: ClusterProfile): boolean {
    if (this.environments && !this.environments.includes(environment)) return false;
    const controller = profile.karpenter?.controller;
    if (!controller) return false;
    if (this.kind === 'karpenter') return true;
    return this.kind === 'cluster-releases'
      && (profile.helmReleases ?? []).some(r => r.namespace === controller.namespace && r.releaseName === controller.releaseName);
  }

  /**
   * The releases of this pack on one cluster, with per-cluster values resolved and identities looked up.
   * @internal
   */
  public _releasesFor(target: AddOnTarget, where: string): HelmReleaseProfile[] {
    if (this.environments && !this.environments.includes(target.environment)) return [];
    const profile = target.profile;
    switch (this.kind) {
      case 'karpenter': {
        const controller = profile.karpenter?.controller;
        if (!controller) return [];
        if (this.version !== undefined && controller.version !== this.version) {
          fail(where, 'karpenter.version', controller.version, `must be the fleet's Karpenter version (${this.version}) on cluster ${target.cluster}`,
            `upgrade the cluster's aws.Karpenter to ${this.version} (its IAM policy follows the version), or change the pack's version`);
        }
        return [controller];
      }
      case 'cluster-releases': {
        const out: HelmReleaseProfile[] = [...(profile.helmReleases ?? [])];
        for (const ic of profile.ingressClasses ?? []) {
          const r = ic.controllerRelease;
          if (r && !out.some(x => x.releaseName === r.releaseName && x.namespace === r.namespace)) out.push(r);
        }
        return out;
      }
      default:
        break;
    }
    const p = this.props;
    const values: { [path: string]: string } = {};
    for (const [k, v] of Object.entries(p.values ?? {})) values[k] = this.fill(where, `values.${k}`, v, target);
    const release: HelmReleaseProfile = {
      repository: p.repository,
      chart: p.chart,
      version: p.version,
      releaseName: p.releaseName ?? p.name,
      namespace: p.namespace,
      values,
      serviceAccountName: p.serviceAccountName ?? '',
    };
    if (!p.identity) return [release];
    const identity = (profile.workloadIdentities ?? []).find(i => i.namespace === p.namespace && i.serviceAccount === p.serviceAccountName);
    if (!identity) {
      fail(where, 'identity', `${p.namespace}/${p.serviceAccountName}`, `is not a workload identity of cluster ${target.cluster} (${(profile.workloadIdentities ?? []).map(i => `${i.namespace}/${i.serviceAccount}`).join(', ') || 'none'})`,
        `create it on the AWS side (cluster.addWorkloadIdentity('${p.name}', { namespace: '${p.namespace}', serviceAccount: '${p.serviceAccountName}', ... })) and pass the cluster's profile to the fleet`);
    }
    Validators._identityMechanism(where, `${target.cluster} profile workloadIdentities (${identity.namespace}/${identity.serviceAccount}).mechanism`, identity.mechanism);
    if (identity.mechanism === 'irsa') {
      const arn = identity.serviceAccountAnnotations?.[IRSA_ANNOTATION];
      if (!arn) {
        fail(where, 'identity', identity.roleName, `uses IRSA on cluster ${target.cluster}, whose ServiceAccount annotation needs the role ARN, but the profile has none (the cluster was given no account id)`,
          'set the cluster\'s account (EksClusterProps.account, or EksClusterAttributes.account for a cluster imported with EksCluster.fromClusterAttributes), or create the identity with IdentityMechanism.POD_IDENTITY');
      }
      values[`serviceAccount.annotations.${IRSA_ANNOTATION.replace(/\./g, '\\.')}`] = arn;
    }
    return [{ ...release, identity }];
  }

  private fill(where: string, prop: string, value: string, t: AddOnTarget): string {
    return value.replace(/\{\{\s*([A-Za-z]+)\s*\}\}/g, (_m, name: string) => {
      const known: { [k: string]: string | undefined } = {
        cluster: t.cluster,
        clusterName: t.profile.clusterName,
        region: t.profile.region,
        environment: t.environment,
        domain: t.domain,
        account: t.profile.account,
      };
      if (!(name in known)) {
        fail(where, prop, value, `names an unknown placeholder {{${name}}} (known: ${Object.keys(known).map(k => `{{${k}}}`).join(', ')})`, 'use one of them, or write the value out');
      }
      const v = known[name];
      if (v === undefined) {
        fail(where, prop, value, `needs {{${name}}}, which cluster ${t.cluster} does not have`,
          name === 'domain' ? 'give the cluster or its environment a domain' : 'give the cluster its account (FleetCluster.account or the profile\'s)');
      }
      return v;
    });
  }
}
