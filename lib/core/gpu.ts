// Internal: NVIDIA GPU facts shared by the Kubernetes side (requests, the cluster check) and the AWS side (the device
// plugin release). Not re-exported by the barrel.

/**
 * The extended resource NVIDIA GPUs are advertised as (by the NVIDIA device plugin).
 * @internal
 */
export const NVIDIA_GPU_RESOURCE = 'nvidia.com/gpu';

/**
 * The instance categories that hold NVIDIA GPU instances (g4dn, g5, p4d, p5, …; the g family also holds AMD and ARM
 * GPU types): a pool of such a category may launch a node with an NVIDIA GPU.
 * @internal
 */
export const NVIDIA_GPU_CATEGORIES: readonly string[] = ['g', 'p'];
