/**
 * What a node of one EC2 instance type offers to pods: its allocatable CPU and memory as the EKS-optimized
 * AMIs compute them, and its pod limit.
 */
export interface NodeAllocatable {
  /** The instance type, for example `m7i.large`. */
  readonly instanceType: string;
  /** vCPUs of the instance. */
  readonly vcpus: number;
  /** Memory of the instance as sold, in MiB. */
  readonly memoryMiB: number;
  /** CPU pods can request on one node, in millicores (capacity minus kube-reserved). */
  readonly cpuMillis: number;
  /** Memory pods can request on one node, in MiB (capacity minus kube-reserved and the eviction threshold). */
  readonly allocatableMemoryMiB: number;
  /** Pods per node with the VPC CNI's default IP allocation (no prefix delegation). */
  readonly maxPods: number;
  /** `amd64` or `arm64`. */
  readonly architecture: string;
}

/** vCPUs, then pods per node (VPC CNI, no prefix delegation), per size of the general-purpose families. */
const SIZES: { [size: string]: [number, number] } = {
  'medium': [1, 8],
  'large': [2, 29],
  'xlarge': [4, 58],
  '2xlarge': [8, 58],
  '4xlarge': [16, 234],
  '8xlarge': [32, 234],
  '12xlarge': [48, 234],
  '16xlarge': [64, 737],
  '24xlarge': [96, 737],
  '32xlarge': [128, 737],
  '48xlarge': [192, 737],
};

/** The sizes of the flex families (`m7i-flex`, `c7i-flex`): large to 16xlarge, memory and pods as their siblings. */
const FLEX_SIZES = ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge'];

/** GiB of memory per vCPU by family letter. */
const MEMORY_PER_VCPU: { [letter: string]: number } = { m: 4, c: 2, r: 8 };

/** Burstable types: vCPUs, GiB, pods per node. */
const BURSTABLE: { [size: string]: [number, number, number] } = {
  'nano': [2, 0.5, 4],
  'micro': [2, 1, 4],
  'small': [2, 2, 11],
  'medium': [2, 4, 17],
  'large': [2, 8, 35],
  'xlarge': [4, 16, 58],
  '2xlarge': [8, 32, 58],
};

/**
 * The NVIDIA GPU families (x86): vCPUs, GiB, pods per node (VPC CNI, no prefix delegation) by family and size, as
 * EC2 sells them and the EKS AMI's max-pods table gives them. The GPUs themselves (`nvidia.com/gpu`) are not counted.
 */
const GPU: { [family: string]: { [size: string]: [number, number, number] } } = {
  g4dn: {
    'xlarge': [4, 16, 29],
    '2xlarge': [8, 32, 29],
    '4xlarge': [16, 64, 29],
    '8xlarge': [32, 128, 58],
    '12xlarge': [48, 192, 234],
    '16xlarge': [64, 256, 58],
  },
  g5: {
    'xlarge': [4, 16, 58],
    '2xlarge': [8, 32, 58],
    '4xlarge': [16, 64, 234],
    '8xlarge': [32, 128, 234],
    '12xlarge': [48, 192, 737],
    '16xlarge': [64, 256, 234],
    '24xlarge': [96, 384, 737],
    '48xlarge': [192, 768, 345],
  },
};

/** The NVIDIA GPUs of the largest GPU types outside the table (8 each). */
const GPU_COUNT_OTHER: { [instanceType: string]: number } = {
  'p4d.24xlarge': 8,
  'p4de.24xlarge': 8,
  'p5.48xlarge': 8,
};

/** Share of the memory sold that the kernel reports to the kubelet as capacity (measured on EKS nodes). */
const MEMORY_CAPACITY_SHARE = 0.946;

/**
 * EC2 instance types and the node resources EKS leaves for pods.
 *
 * Known types: the general-purpose (m), compute (c) and memory (r) families from the 5th generation on, Intel,
 * AMD and Graviton (`m5`, `m6i`, `m7g`, `c7i`, `r6a`, …) in sizes `medium` to `48xlarge`, the flex families
 * (`m7i-flex`, `c7i-flex`, `large` to `16xlarge`), the burstable
 * `t3`, `t3a`, `t4g`, and the NVIDIA GPU families `g4dn` and `g5` (their CPU, memory and pods; the GPUs are not counted). Allocatable follows the EKS-optimized AMIs' kubelet settings: kube-reserved CPU of 6 % of
 * the first core, 1 % of the second, 0.5 % of the third and fourth and 0.25 % of the rest; kube-reserved memory of
 * 255 MiB + 11 MiB per pod the node can hold; an eviction threshold of 100 MiB; and a memory capacity of about
 * 94.6 % of the memory sold. Real nodes may offer slightly more or less (DaemonSets also take their share).
 */
export class InstanceTypes {
  /**
   * What a node of `instanceType` offers to pods, or undefined when the type is not in the table.
   */
  public static allocatable(instanceType: string): NodeAllocatable | undefined {
    const m = /^([a-z]+)(\d+)([a-z-]*)\.([a-z0-9]+)$/.exec(instanceType);
    if (!m) return undefined;
    const [, letters, gen, suffix, size] = m;
    const graviton = InstanceTypes._architecture(instanceType) === 'arm64';
    let vcpus: number;
    let memGiB: number;
    let maxPods: number;
    const gpu = GPU[`${letters}${gen}${suffix}`]?.[size];
    if (gpu !== undefined) {
      [vcpus, memGiB, maxPods] = gpu;
    } else if (letters === 't' && ['3', '4'].includes(gen) && BURSTABLE[size] && ['', 'a', 'g'].includes(suffix) && !(gen === '4' && suffix !== 'g')) {
      [vcpus, memGiB, maxPods] = BURSTABLE[size];
    } else if (MEMORY_PER_VCPU[letters] !== undefined && Number(gen) >= 5 && SIZES[size] && /^(a|i|g|gd|d|id|ad|n|in|i-flex)?$/.test(suffix)
      && !(suffix === 'i-flex' && !FLEX_SIZES.includes(size))) {
      [vcpus, maxPods] = SIZES[size];
      memGiB = vcpus * MEMORY_PER_VCPU[letters];
      if (size === 'medium' && !graviton) return undefined; // Intel/AMD m, c, r start at large
    } else {
      return undefined;
    }
    const memoryMiB = Math.round(memGiB * 1024);
    const reservedCpu = InstanceTypes.reservedCpuMillis(vcpus);
    const reservedMem = 255 + 11 * maxPods;
    return {
      instanceType,
      vcpus,
      memoryMiB,
      cpuMillis: Math.floor(vcpus * 1000 - reservedCpu),
      allocatableMemoryMiB: Math.max(0, Math.floor(memoryMiB * MEMORY_CAPACITY_SHARE) - reservedMem - 100),
      maxPods,
      architecture: graviton ? 'arm64' : 'amd64',
    };
  }

  /**
   * The CPU architecture (`amd64` or `arm64`, as the `kubernetes.io/arch` label gives it) of any EC2 instance type whose
   * family is `<letters><generation><attributes>`, from its name: Graviton families carry a `g` among the attributes
   * (`m7g`, `c7gn`, `r8gd`, `t4g`, `x2gd`, `im4gn`, `is4gen`, `g5g`, `hpc7g`) and `a1` is the first Graviton; the other
   * families are x86 (`m7i`, `c6a`, `m5zn`, `g5`, `p5`, `inf2`). Undefined for names of another shape (`u-6tb1.metal`,
   * `p6e-gb200.36xlarge`) and for Mac families (`mac1` is x86, `mac2` Apple silicon), where the name does not tell.
   * The one source of this knowledge for managed node groups, Karpenter pools and `allocatable()`.
   * @internal
   */
  public static _architecture(instanceType: string): string | undefined {
    const m = /^([a-z]+)(\d+)([a-z-]*)\.[a-z0-9-]+$/.exec(instanceType);
    if (!m) return undefined;
    const [, letters, gen, attributes] = m;
    if (letters === 'mac') return undefined;
    return attributes.includes('g') || (letters === 'a' && gen === '1') ? 'arm64' : 'amd64';
  }

  /**
   * Whether `instanceType` is of an x86 NVIDIA GPU family (`g4dn`, `g5`, `g6`, `g6e`, `gr6`, `p3`, `p4d`, `p5`, … and
   * `p6-b200`), whose nodes need an AMI with the NVIDIA driver for their GPUs to be usable (`nvidia.com/gpu`).
   * @internal
   */
  public static _nvidiaGpu(instanceType: string): boolean {
    return /^(g3s?|g4dn|g5|g6|g6e|g6f|gr6|p2|p3|p3dn|p4d|p4de|p5|p5e|p5en|p6-b200)\.[a-z0-9-]+$/.test(instanceType);
  }

  /**
   * The NVIDIA GPUs of an instance type (`nvidia.com/gpu` on its node), for the sizes of the GPU families the table
   * sizes (`g4dn`, `g5`) and `p4d.24xlarge`, `p4de.24xlarge`, `p5.48xlarge`; undefined for any other type.
   * @internal
   */
  public static _nvidiaGpuCount(instanceType: string): number | undefined {
    const m = /^([a-z0-9-]+)\.([a-z0-9]+)$/.exec(instanceType);
    if (m === null) return undefined;
    const [, family, size] = m;
    if (GPU[family]?.[size] === undefined) return GPU_COUNT_OTHER[instanceType];
    // one GPU, except the 4-GPU 12xlarge (and g5.24xlarge) and the 8-GPU g5.48xlarge
    return size === '12xlarge' || (family === 'g5' && size === '24xlarge') ? 4 : family === 'g5' && size === '48xlarge' ? 8 : 1;
  }

  /** kube-reserved CPU of the EKS-optimized AMIs for a node of `vcpus` cores, in millicores. */
  private static reservedCpuMillis(vcpus: number): number {
    let r = 0;
    for (let core = 1; core <= vcpus; core++) {
      r += core === 1 ? 60 : core === 2 ? 10 : core <= 4 ? 5 : 2.5;
    }
    return r;
  }

  private constructor() {}
}
