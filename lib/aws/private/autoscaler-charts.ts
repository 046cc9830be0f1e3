import { Construct } from 'constructs';
import { minorOf } from './versions';
import { fail } from '../../core/errors';
import { EnvironmentProfile } from '../../core/profile';
import { EKS_KUBERNETES_VERSIONS, EksKubernetesVersion, isSupportedEksVersion } from '../../policy/terraform/eks-versions';
import type { ClusterAutoscalerOptions } from '../cluster-autoscaler';

/** The chart repository of the Kubernetes autoscalers. @internal */
export const REPOSITORY = 'https://kubernetes.github.io/autoscaler';

/**
 * The cluster-autoscaler chart shipshape pins for each Kubernetes minor version it supports.
 *
 * cluster-autoscaler is released once per Kubernetes minor version, and each release supports only its own minor (it
 * vendors that version's scheduler to simulate where pods fit): the chart is therefore pinned per minor version of the
 * cluster, like the managed add-on versions (`PINNED_ADDON_VERSIONS`), where the AWS Load Balancer Controller and
 * Karpenter, which support a range of Kubernetes versions, each pin one version. For each minor, the pin is the last
 * chart release (kubernetes/autoscaler tags `cluster-autoscaler-chart-<version>`) whose `appVersion` is of that minor:
 * the newest chart fixes, with the image the chart was released and tested with (its default `image.tag`).
 * Every pinned chart has the values shipshape sets (`autoDiscovery.clusterName`, `awsRegion`,
 * `rbac.serviceAccount.*`, `extraArgs`, `tolerations`, `resources`), and each image vendors aws-sdk-go 1.48, which
 * reads EKS Pod Identity credentials (1.47.11 and later do).
 */
const PINNED_CHARTS: { readonly [V in EksKubernetesVersion]: string } = {
  '1.29': '9.36.0', // cluster-autoscaler 1.29.0
  '1.30': '9.37.0', // cluster-autoscaler 1.30.0 (the only chart of 1.30)
  '1.31': '9.44.0', // cluster-autoscaler 1.31.0
  '1.32': '9.46.6', // cluster-autoscaler 1.32.0
  '1.33': '9.51.0', // cluster-autoscaler 1.33.0
  '1.34': '9.53.0', // cluster-autoscaler 1.34.2
};

/**
 * The Kubernetes minor version of the cluster-autoscaler each chart release of 9.35.0 to 9.59.0 installs (its
 * `appVersion`), to refuse a chart whose autoscaler does not match the cluster.
 */
const CHART_APP_MINOR: { [chart: string]: string } = {
  '9.35.0': '1.29',
  '9.36.0': '1.29',
  '9.37.0': '1.30',
  '9.38.0': '1.31',
  '9.39.0': '1.31',
  '9.39.1': '1.31',
  '9.40.0': '1.31',
  '9.41.0': '1.31',
  '9.42.0': '1.31',
  '9.43.0': '1.31',
  '9.43.1': '1.31',
  '9.43.2': '1.31',
  '9.43.3': '1.31',
  '9.44.0': '1.31',
  '9.45.0': '1.32',
  '9.45.1': '1.32',
  '9.46.0': '1.32',
  '9.46.1': '1.32',
  '9.46.2': '1.32',
  '9.46.3': '1.32',
  '9.46.4': '1.32',
  '9.46.5': '1.32',
  '9.46.6': '1.32',
  '9.47.0': '1.33',
  '9.48.0': '1.33',
  '9.49.0': '1.33',
  '9.50.0': '1.33',
  '9.50.1': '1.33',
  '9.51.0': '1.33',
  '9.52.0': '1.34',
  '9.52.1': '1.34',
  '9.53.0': '1.34',
  '9.54.0': '1.35',
  '9.54.1': '1.35',
  '9.55.0': '1.35',
  '9.55.1': '1.35',
  '9.56.0': '1.35',
  '9.57.0': '1.35',
  '9.58.0': '1.35',
  '9.59.0': '1.35',
};

/**
 * The options with their defaults applied, or the first error (the props named `<prefix><option>`): checked by the
 * construct, and by `EksCluster` when it is given them (before any pool brings the autoscaler in).
 * @internal
 */
export function resolveAutoscalerOptions(scope: Construct, prefix: string, kubernetesVersion: string, environment: EnvironmentProfile,
  options: ClusterAutoscalerOptions): { version: string; repository: string; replicas: number } {
  const minor = `1.${minorOf(kubernetesVersion)}`;
  if (!isSupportedEksVersion(minor)) {
    fail(scope, 'cluster', kubernetesVersion, `runs a Kubernetes version shipshape pins no cluster-autoscaler chart for (${EKS_KUBERNETES_VERSIONS.join(', ')})`,
      'raise the cluster to a supported version');
  }
  const pinned = PINNED_CHARTS[minor];
  const version = options.version ?? pinned;
  const appMinor = CHART_APP_MINOR[version];
  if (typeof version !== 'string' || appMinor !== minor) {
    const matching = Object.keys(CHART_APP_MINOR).filter((v) => CHART_APP_MINOR[v] === minor);
    fail(scope, `${prefix}version`, version,
      appMinor !== undefined
        ? `installs cluster-autoscaler ${appMinor}, but the cluster runs Kubernetes ${kubernetesVersion}: cluster-autoscaler supports only its own minor version`
        : `must be an exact chart version of cluster-autoscaler ${minor}, the cluster's Kubernetes minor version (${matching.join(', ')})`,
      `use ${pinned} or leave version out`);
  }
  const repository = options.chartRepository ?? REPOSITORY;
  if (typeof repository !== 'string' || !/^(https|oci):\/\/\S+$/.test(repository)) {
    fail(scope, `${prefix}chartRepository`, repository, 'must be an https:// or oci:// chart repository', `use '${REPOSITORY}' or your mirror`);
  }
  const image = options.imageRepository;
  if (image !== undefined && (typeof image !== 'string' || !/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]+)?(\/[a-z0-9._-]+)+$/.test(image))) {
    fail(scope, `${prefix}imageRepository`, image, 'must be an image repository without tag or digest (registry/path)',
      "use for example '123456789012.dkr.ecr.eu-west-1.amazonaws.com/cluster-autoscaler'");
  }
  const replicas = options.replicas ?? (environment === EnvironmentProfile.DEVELOPMENT ? 1 : 2);
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > 10) {
    fail(scope, `${prefix}replicas`, replicas, 'must be a whole number from 1 to 10', 'use 2 (one active, one standby)');
  }
  return { version, repository, replicas };
}
