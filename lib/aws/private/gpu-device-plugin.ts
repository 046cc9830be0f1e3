import { NVIDIA_GPU_CATEGORIES } from '../../core/gpu';
import { InstanceTypes } from '../../core/instance-types';
import { HelmReleaseProfile, KarpenterProfile } from '../../core/karpenter-profile';
import type { NodePool } from '../node-pool';
import { POOL_LABEL } from './pool-checks';

/** The NVIDIA device plugin chart shipshape installs for GPU nodes on Amazon Linux 2023 (pinned; raise it after testing). */
export const NVIDIA_DEVICE_PLUGIN_CHART = { repository: 'https://nvidia.github.io/k8s-device-plugin', chart: 'nvidia-device-plugin', version: '0.20.0' };

/**
 * The Helm release of the NVIDIA device plugin when some pool runs NVIDIA GPU instances on Amazon Linux 2023, whose
 * NVIDIA AMIs carry the driver but not the plugin (Bottlerocket's and EKS Auto Mode's carry both): without it no node
 * advertises `nvidia.com/gpu`, and a pod requesting a GPU stays Pending. The plugin runs on those pools' GPU nodes only
 * (a node affinity on the managed pools' label and instance types, and on the Karpenter pools' names with an NVIDIA GPU),
 * whatever their taints; undefined when no pool needs it.
 * @internal
 */
export function gpuDevicePluginRelease(pools: readonly NodePool[], karpenter: KarpenterProfile | undefined): HelmReleaseProfile | undefined {
  const managed = pools.filter(p => p.amiType === 'AL2023_x86_64_NVIDIA');
  const managedTypes = [...new Set(managed.flatMap(p => p.capacity.instanceTypes.filter(t => InstanceTypes._nvidiaGpu(t))))].sort();
  const al2023 = karpenter !== undefined && karpenter.nodeClass.amiAlias.startsWith('al2023@');
  const karpenterPools = al2023 ? karpenter!.nodePools.filter(p => (p.instanceTypes ?? []).some(t => InstanceTypes._nvidiaGpu(t))
    || (p.instanceTypes === undefined && (p.instanceCategories ?? []).some(c => NVIDIA_GPU_CATEGORIES.includes(c)))).map(p => p.name) : [];
  if (managedTypes.length === 0 && karpenterPools.length === 0) return undefined;
  const values: { [path: string]: string } = {
    // a node agent for GPU nodes: it runs there whatever the pool's taints
    'tolerations[0].operator': 'Exists',
  };
  const terms = 'affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms';
  const term = (i: number, expressions: Array<{ key: string; values: string[] }>) => expressions.forEach((e, j) => {
    const at = `${terms}[${i}].matchExpressions[${j}]`;
    values[`${at}.key`] = e.key;
    values[`${at}.operator`] = 'In';
    e.values.forEach((v, k) => { values[`${at}.values[${k}]`] = v; });
  });
  let i = 0;
  if (managedTypes.length > 0) {
    term(i++, [{ key: POOL_LABEL, values: [...new Set(managed.map(p => p.name))].sort() }, { key: 'node.kubernetes.io/instance-type', values: managedTypes }]);
  }
  if (karpenterPools.length > 0) {
    term(i++, [{ key: 'karpenter.sh/nodepool', values: [...new Set(karpenterPools)].sort() }, { key: 'karpenter.k8s.aws/instance-gpu-manufacturer', values: ['nvidia'] }]);
  }
  return {
    ...NVIDIA_DEVICE_PLUGIN_CHART,
    releaseName: 'nvidia-device-plugin',
    namespace: 'kube-system',
    values,
    // the chart's own ServiceAccount (<release>-service-account)
    serviceAccountName: 'nvidia-device-plugin-service-account',
  };
}
