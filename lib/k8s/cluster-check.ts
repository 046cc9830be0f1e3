// Internal: does the app's output run on its cluster? Checked by k8s.App over the rendered objects when it knows the
// cluster (`App({ cluster })`). Not re-exported by the barrel.
//
// - every pod template can be scheduled on some node pool: the pool's NoSchedule/NoExecute taints are tolerated,
//   the node selector and required node affinity match the pool's node labels, and the pod's requests fit the
//   allocatable resources of the pool's largest instance type; and some pool that takes it holds a node or can get one
//   (a managed node group nothing scales holds its desired size, not its maxSize);
// - every volume claim names a StorageClass the cluster or the output defines (or, naming none, a default exists);
// - every Ingress names an IngressClass the cluster or the output defines (or, naming none, a default exists);
// - every namespace an object uses exists (in the output, or is one of the cluster's own).
import { IConstruct } from 'constructs';
import { ClusterProfile, NodePoolProfile, StorageClassProfile, TaintProfile } from '../core/cluster-profile';
import { fail } from '../core/errors';
import { NVIDIA_GPU_CATEGORIES, NVIDIA_GPU_RESOURCE } from '../core/gpu';
import { InstanceTypes, NodeAllocatable } from '../core/instance-types';
import { KarpenterNodePoolProfile } from '../core/karpenter-profile';
import { CpuQuantity, MemoryQuantity } from '../core/quantity';


/** An object of the output and the construct path that wrote it. */
export interface RenderedObject {
  readonly manifest: any;
  readonly path: string;
}

/**
 * Checks the architecture a profile gives each managed node pool (a profile written by hand may say anything): the
 * `kubernetes.io/arch` value of its nodes, amd64 or arm64, and that of every instance type shipshape knows.
 */
export function checkPoolArchitectures(scope: IConstruct | string, cluster: ClusterProfile): void {
  (cluster.nodePools ?? []).forEach((pool, i) => {
    const prop = `cluster.nodePools[${i}].architecture`;
    const arch = pool.architecture;
    if (arch !== 'amd64' && arch !== 'arm64') {
      const meant = typeof arch === 'string' && /^(x86[_-]?64|x64|intel|amd)$/i.test(arch) ? 'amd64' : typeof arch === 'string' && /^(aarch64|arm|graviton)$/i.test(arch) ? 'arm64' : undefined;
      fail(scope, prop, arch, `(pool ${pool.name}) must be amd64 or arm64, the kubernetes.io/arch label of its nodes`,
        meant !== undefined ? `write "${meant}"` : 'write "amd64" (x86) or "arm64" (Graviton)');
    }
    const other = (pool.instanceTypes ?? []).filter(t => {
      const known = InstanceTypes.allocatable(t)?.architecture;
      return known !== undefined && known !== arch;
    });
    if (other.length > 0) {
      const theirs = InstanceTypes.allocatable(other[0])!.architecture;
      fail(scope, prop, arch, `(pool ${pool.name}) is not the architecture of its instance type${other.length === 1 ? '' : 's'} ${other.join(', ')} (${theirs}): `
        + `its nodes carry kubernetes.io/arch=${theirs}, so pods placed by "${arch}" would stay Pending`, `write "${theirs}", or list instance types of ${arch}`);
    }
  });
}

/** Namespaces every cluster has. */
export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** What a cluster's profile says runs in one of its namespaces: who (in words), and the field of the profile that says so. */
export interface ProfileNamespace {
  /** What runs there: `the controller of IngressClass nginx (k8s.io/ingress-nginx)`. */
  readonly what: string;
  /** The field of the profile that names the namespace: `ingressClasses[0].controllerNamespace`. */
  readonly field: string;
}

/**
 * The namespaces where the profile says a controller or add-on of the cluster runs (not a team): each ingress class's
 * controller (`controllerNamespace`, kube-system when unset, and its `controllerRelease`), each Helm release the
 * profile lists (`helmReleases`), and Karpenter's controller. The first that names a namespace describes it. The
 * namespaces of the profile's workload identities are not among them: a team's workload may have one.
 */
export function addOnNamespaces(cluster: ClusterProfile): Map<string, ProfileNamespace> {
  const out = new Map<string, ProfileNamespace>();
  const add = (ns: unknown, what: string, field: string) => {
    if (typeof ns === 'string' && ns !== '' && !out.has(ns)) out.set(ns, { what, field });
  };
  (cluster.ingressClasses ?? []).forEach((ic, i) => {
    const controller = `the controller of IngressClass ${ic.name} (${ic.controller})`;
    add(ic.controllerNamespace ?? 'kube-system', controller, `ingressClasses[${i}].controllerNamespace`);
    const r = ic.controllerRelease;
    if (r) add(r.namespace, `${controller}, Helm release ${r.releaseName} of chart ${r.chart}`, `ingressClasses[${i}].controllerRelease.namespace`);
  });
  (cluster.helmReleases ?? []).forEach((r, i) => add(r.namespace, `Helm release ${r.releaseName} of chart ${r.chart}`, `helmReleases[${i}].namespace`));
  const karpenter = cluster.karpenter?.controller;
  if (karpenter) add(karpenter.namespace, `Karpenter's controller (Helm release ${karpenter.releaseName})`, 'karpenter.controller.namespace');
  return out;
}

/**
 * Every namespace a cluster's profile knows: the system ones, those of its controllers and add-ons
 * (`addOnNamespaces`), and those of its workload identities (a ServiceAccount of the identity lives there).
 */
export function profileNamespaces(cluster: ClusterProfile): Set<string> {
  const out = new Set<string>([...SYSTEM_NAMESPACES, ...addOnNamespaces(cluster).keys()]);
  for (const id of cluster.workloadIdentities ?? []) if (typeof id?.namespace === 'string') out.add(id.namespace);
  for (const r of cluster.helmReleases ?? []) if (typeof r.identity?.namespace === 'string') out.add(r.identity.namespace);
  return out;
}

/**
 * Objects that live in the namespace of the operator that serves them: Velero reads Schedules only from the namespace
 * it runs in, and Argo CD its Applications, ApplicationSets and AppProjects (Argo Rollouts, also `argoproj.io`, lives
 * in the app's namespaces). That namespace belongs to the operator's installation (its pods need more than Pod
 * Security `restricted` and reach the API server, Git and object storage), so k8s.App neither creates nor isolates it,
 * and the cluster check does not ask the output for it: the custom resource needs the operator installed anyway.
 * Group -> the kinds (undefined: every kind of the group).
 */
const OPERATOR_NAMESPACED: { readonly [group: string]: readonly string[] | undefined } = {
  'velero.io': undefined,
  'argoproj.io': ['Application', 'ApplicationSet', 'AppProject'],
};

/** True when an object of this apiVersion and kind lives in its operator's namespace (see OPERATOR_NAMESPACED). */
export function inOperatorNamespace(apiVersion: unknown, kind: unknown): boolean {
  if (typeof apiVersion !== 'string') return false;
  const slash = apiVersion.indexOf('/');
  if (slash <= 0) return false;
  const group = apiVersion.slice(0, slash);
  if (!Object.prototype.hasOwnProperty.call(OPERATOR_NAMESPACED, group)) return false;
  const kinds = OPERATOR_NAMESPACED[group];
  return kinds === undefined || (typeof kind === 'string' && kinds.includes(kind));
}

/** The provisioner names of the EBS CSI driver: the add-on's, EKS Auto Mode's, and the in-tree one (migrated to the add-on's driver). */
const EBS_PROVISIONERS = new Set(['ebs.csi.aws.com', 'ebs.csi.eks.amazonaws.com', 'kubernetes.io/aws-ebs']);

/** Provisioners whose volumes attach to one node at a time (no ReadWriteMany or ReadOnlyMany). */
const SINGLE_NODE_PROVISIONERS = new Set(['ebs.csi.aws.com', 'ebs.csi.eks.amazonaws.com', 'kubernetes.io/aws-ebs']);

/** A pool as the scheduler sees it: node labels (with the values each may take), taints, instance types. */
interface SchedPool {
  readonly name: string;
  readonly labels: Map<string, string[]>;
  readonly taints: TaintProfile[];
  readonly instanceTypes: string[];
  /**
   * For a managed node group: the most nodes it can have (maxSize when something scales it, else the desired size it
   * holds); undefined for a Karpenter pool (bounded by its limits only).
   */
  readonly maxNodes?: number;
  /** For a managed node group nothing scales (`autoscaled: false`): its sizes, to name them in messages. */
  readonly fixed?: { readonly minSize: number; readonly desiredSize: number; readonly maxSize: number };
  /** For a Karpenter NodePool: the most vCPUs and memory (MiB) its nodes may hold in total (`spec.limits`). */
  readonly limits?: { readonly cpuMillis: number; readonly memMiB: number };
  /**
   * The NVIDIA GPUs of its largest node: 0 when none of its instance types (or categories) has one, undefined when
   * unknown (it may launch GPU instances of a size the table does not count).
   */
  readonly gpus: number | undefined;
  /** What the pool's instances are, for a message about GPUs: `instance types m6i.large, m6i.xlarge`. */
  readonly instances: string;
}

function poolsOf(cluster: ClusterProfile): SchedPool[] {
  const pools: SchedPool[] = [];
  const mng = (p: NodePoolProfile): SchedPool => {
    const labels = new Map<string, string[]>();
    for (const [k, v] of Object.entries(p.labels ?? {})) labels.set(k, [v]);
    labels.set('kubernetes.io/arch', [p.architecture]);
    labels.set('kubernetes.io/os', ['linux']);
    // no eks.amazonaws.com/nodegroup: the node group's name is the pool's name plus a suffix Terraform chooses
    labels.set('eks.amazonaws.com/capacityType', [p.capacityType]);
    labels.set('node.kubernetes.io/instance-type', [...p.instanceTypes]);
    labels.set('topology.kubernetes.io/zone', [...p.zones]);
    // a node group nothing scales keeps its desired size (by default minSize), whatever its maxSize
    const desiredSize = p.desiredSize ?? p.minSize;
    const autoscaled = p.autoscaled ?? true;
    return {
      name: p.name,
      labels,
      taints: p.taints ?? [],
      instanceTypes: [...p.instanceTypes],
      maxNodes: autoscaled ? p.maxSize : desiredSize,
      fixed: autoscaled ? undefined : { minSize: p.minSize, desiredSize, maxSize: p.maxSize },
      ...gpusOf(p.instanceTypes, undefined),
    };
  };
  pools.push(...(cluster.nodePools ?? []).map(mng));
  const nodePool = (k: KarpenterNodePoolProfile): SchedPool => {
    const labels = new Map<string, string[]>();
    for (const [key, v] of Object.entries(k.labels ?? {})) labels.set(key, [v]);
    labels.set('kubernetes.io/arch', [...k.architectures]);
    labels.set('kubernetes.io/os', ['linux']);
    labels.set('karpenter.sh/nodepool', [k.name]);
    labels.set('karpenter.sh/capacity-type', [...k.capacityTypes]);
    labels.set('topology.kubernetes.io/zone', [...k.zones]);
    if (k.instanceTypes?.length) labels.set('node.kubernetes.io/instance-type', [...k.instanceTypes]);
    return {
      name: k.name,
      labels,
      taints: k.taints ?? [],
      instanceTypes: k.instanceTypes ?? [],
      limits: { cpuMillis: k.cpuLimit * 1000, memMiB: k.memoryLimitGiB * 1024 },
      ...gpusOf(k.instanceTypes, k.instanceCategories),
    };
  };
  pools.push(...(cluster.karpenter?.nodePools ?? []).map(nodePool));
  if (cluster.autoMode) {
    // EKS Auto Mode's built-in NodePools (no limits), then the cluster's own Auto Mode NodePools
    for (const name of cluster.autoModeBuiltInPools ?? AUTO_MODE_BUILT_IN_POOLS) {
      const system = name === 'system';
      const labels = new Map<string, string[]>([
        ['kubernetes.io/arch', system ? ['amd64', 'arm64'] : ['amd64']],
        ['kubernetes.io/os', ['linux']],
        ['karpenter.sh/nodepool', [name]],
        ['karpenter.sh/capacity-type', ['on-demand']],
        ['eks.amazonaws.com/compute-type', ['auto']],
      ]);
      if ((cluster.zones ?? []).length > 0) labels.set('topology.kubernetes.io/zone', [...cluster.zones]);
      // the built-in pools launch c, m and r instances only: a GPU workload needs a NodePool of its own
      pools.push({ name, labels, taints: system ? [{ key: 'CriticalAddonsOnly', effect: 'NoSchedule' }] : [], instanceTypes: [], gpus: 0, instances: 'instance categories c, m, r (EKS Auto Mode\'s built-in pool)' });
    }
    pools.push(...(cluster.autoModeNodePools ?? []).map(nodePool));
  }
  return pools;
}

/**
 * The NVIDIA GPUs of a pool's largest node, from its exact instance types or else its instance categories (see
 * `SchedPool.gpus`), and its instances in words.
 */
function gpusOf(instanceTypes: readonly string[] | undefined, categories: readonly string[] | undefined): { gpus: number | undefined; instances: string } {
  if (instanceTypes !== undefined && instanceTypes.length > 0) {
    const instances = `instance types ${instanceTypes.join(', ')}`;
    const gpuTypes = instanceTypes.filter(t => InstanceTypes._nvidiaGpu(t));
    if (gpuTypes.length === 0) return { gpus: 0, instances };
    const counts = gpuTypes.map(t => InstanceTypes._nvidiaGpuCount(t));
    return { gpus: counts.every((c): c is number => c !== undefined) ? Math.max(...counts) : undefined, instances };
  }
  if (categories !== undefined && categories.length > 0) {
    return { gpus: categories.some(c => NVIDIA_GPU_CATEGORIES.includes(c)) ? undefined : 0, instances: `instance categories ${categories.join(', ')}` };
  }
  return { gpus: undefined, instances: 'any instance type' };
}

/** EKS Auto Mode's built-in NodePools, enabled by default. */
const AUTO_MODE_BUILT_IN_POOLS = ['system', 'general-purpose'];

/** The sizes of a pool nothing scales, for messages: `minSize 0, desiredSize 0, maxSize 5`. */
function fixedSizes(p: SchedPool): string {
  return `minSize ${p.fixed!.minSize}, desiredSize ${p.fixed!.desiredSize}, maxSize ${p.fixed!.maxSize}`;
}

/** `a`, `a and b`, `a, b and c`. */
function listed(names: string[]): string {
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** What lets a pool nothing scales hold more nodes. */
const AUTOSCALER_FIX = 'let the cluster-autoscaler scale it (aws.EksCluster nodeGroupScaling: NodeGroupScaling.CLUSTER_AUTOSCALER; for a profile written by hand, '
  + 'autoscaled: true once an autoscaler runs)';

/**
 * For a workload whose pods fit only managed node groups that hold no node and that nothing scales: why its pods would
 * stay Pending, or undefined. A DaemonSet there runs no pod and misses none; a workload of zero replicas asks for none.
 */
function emptyPools(m: any, pod: { spec: any; field: string }, pools: SchedPool[], cluster: string): string | undefined {
  if (m?.kind === 'DaemonSet' || m?.spec?.replicas === 0) return undefined;
  if (pools.length === 0 || !pools.every(p => p.fixed !== undefined && p.maxNodes === 0)) return undefined;
  const names = pools.map(p => p.name);
  const one = pools.length === 1;
  return `${pod.field} of ${describe(m)} can run only on node pool${one ? '' : 's'} ${listed(names)} of cluster ${cluster}, `
    + `which hold${one ? 's' : ''} no node and which nothing scales (${pools.map(p => (one ? fixedSizes(p) : `${p.name}: ${fixedSizes(p)}`)).join('; ')}): its pods would stay Pending; `
    + `raise minSize of ${listed(names)} to 1 or more (and desiredSize, when set), or ${AUTOSCALER_FIX.replace('scale it', one ? 'scale it' : 'scale them')}`;
}

/**
 * For a workload whose replicas must each run on a node of their own (a required pod anti-affinity on
 * kubernetes.io/hostname against its own pods): why the pools that take its pods cannot hold that many nodes, or
 * undefined. A Karpenter pool that takes the pods counts as room enough (it launches nodes up to its limits); a
 * managed node group counts with the most nodes it can have: maxSize when something scales it, else its desired size.
 */
function nodeShortage(m: any, pod: { spec: any; field: string }, pools: SchedPool[]): string | undefined {
  const replicas = m?.spec?.replicas;
  if (typeof replicas !== 'number' || replicas < 2) return undefined;
  // a Karpenter pool: the most nodes its limits allow, of its smallest instance type that fits the pod
  const need = podRequests(pod.spec);
  const cap = new Map(pools.map(p => [p, p.maxNodes ?? karpenterNodes(p, need)]));
  if ([...cap.values()].some(n => n === undefined)) return undefined;
  const own = m?.spec?.template?.metadata?.labels ?? {};
  const terms = pod.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  const perNode = Array.isArray(terms) && terms.some((t: any) => t?.topologyKey === 'kubernetes.io/hostname'
    && Object.entries(t?.labelSelector?.matchLabels ?? {}).every(([k, v]) => own[k] === v) && !(t?.labelSelector?.matchExpressions?.length > 0)
    && Object.keys(t?.labelSelector?.matchLabels ?? {}).length > 0);
  if (!perNode) return undefined;
  const nodes = pools.reduce((n, p) => n + (cap.get(p) ?? 0), 0);
  if (replicas <= nodes) return undefined;
  const fixed = pools.filter(p => p.fixed !== undefined);
  const karpenter = pools.some(p => p.maxNodes === undefined);
  const scaling = (p: SchedPool) => (p.maxNodes !== undefined ? `${p.name}: maxSize ${p.maxNodes}`
    : `${p.name}: ${cap.get(p)} node${cap.get(p) === 1 ? '' : 's'} within its limits (spec.limits cpu ${p.limits!.cpuMillis / 1000}, memory ${p.limits!.memMiB / 1024}Gi), of its smallest instance type that fits the pods`);
  const raise = karpenter ? 'raise a pool\'s maxSize (a Karpenter pool\'s maxCpu and maxMemoryGiB: cpuLimit and memoryLimitGiB in its profile)' : 'raise a pool\'s maxSize';
  if (fixed.length === 0) {
    return `spec.replicas (${replicas}) of ${describe(m)} need a node each (a required pod anti-affinity on kubernetes.io/hostname), but the node pools `
      + `that can take its pods scale to ${nodes} node${nodes === 1 ? '' : 's'} at most (${pools.map(scaling).join(', ')}): `
      + `${replicas - nodes} would stay Pending; ${raise}, place the workload on more pools, or run fewer replicas`;
  }
  const each = pools.map(p => (p.fixed !== undefined ? `${p.name}: ${p.maxNodes} node${p.maxNodes === 1 ? '' : 's'}, nothing scales it (${fixedSizes(p)})` : scaling(p)));
  const names = listed(fixed.map(p => p.name));
  return `spec.replicas (${replicas}) of ${describe(m)} need a node each (a required pod anti-affinity on kubernetes.io/hostname), but the node pools `
    + `that can take its pods hold ${nodes} node${nodes === 1 ? '' : 's'} at most (${each.join('; ')}): ${replicas - nodes} would stay Pending; `
    + `${AUTOSCALER_FIX.replace('scale it', `scale ${names}`)}, raise minSize (or desiredSize) of ${names}, place the workload on more pools, or run fewer replicas`;
}

/**
 * The most nodes a Karpenter pool's limits allow for a pod needing `need`: its limits (which count the nodes' whole
 * capacity) over the vCPUs and memory of its smallest instance type that fits the pod. Undefined for a managed pool,
 * or when its instance types are not listed or not all known.
 */
function karpenterNodes(pool: SchedPool, need: { cpu: number; memMiB: number }): number | undefined {
  if (pool.limits === undefined || pool.instanceTypes.length === 0) return undefined;
  const sizes = pool.instanceTypes.map(t => InstanceTypes.allocatable(t));
  if (sizes.some(a => a === undefined)) return undefined;
  const fit = (sizes as NodeAllocatable[]).filter(a => a.cpuMillis >= need.cpu && a.allocatableMemoryMiB >= need.memMiB);
  if (fit.length === 0) return undefined;
  const vcpus = Math.min(...fit.map(a => a.vcpus));
  const memMiB = Math.min(...fit.map(a => a.memoryMiB));
  return Math.min(Math.floor(pool.limits.cpuMillis / (vcpus * 1000)), Math.floor(pool.limits.memMiB / memMiB));
}

/**
 * How many pods of `gpus` NVIDIA GPUs each the managed pools can hold at most (their most nodes times the pods one
 * node fits), and the pools in words; undefined when a pool's nodes or GPUs are not known (a Karpenter pool, an
 * instance type whose GPUs the table does not count).
 */
function gpuPods(pools: readonly SchedPool[], gpus: number): { pods: number; each: string } | undefined {
  if (gpus <= 0 || pools.length === 0 || pools.some(p => p.maxNodes === undefined || p.gpus === undefined)) return undefined;
  const pods = pools.reduce((n, p) => n + p.maxNodes! * Math.floor(p.gpus! / gpus), 0);
  const each = pools.map(p => `${p.name}: ${p.maxNodes} node${p.maxNodes === 1 ? '' : 's'} of ${p.gpus} GPU${p.gpus === 1 ? '' : 's'}`).join(', ');
  return { pods, each };
}

/** The fewest pods of a GPU workload beyond what the pools that can take them hold in GPUs (see `gpuPods`), or undefined. */
function gpuShortage(m: any, gpus: number, pools: readonly SchedPool[], objects: readonly RenderedObject[]): string | undefined {
  const room = gpuPods(pools, gpus);
  if (room === undefined || m.kind === 'DaemonSet') return undefined;
  const pods = minimumPods(m, objects);
  if (pods <= room.pods) return undefined;
  const scaler = typeof m.spec?.replicas === 'number' || !['Deployment', 'StatefulSet'].includes(m.kind) ? undefined : autoscalerOf(m, objects);
  const what = scaler === undefined
    ? `${m.kind === 'Job' || m.kind === 'CronJob' ? 'the parallelism' : 'spec.replicas'} (${pods}) of ${describe(m)}`
    : `${scaler.minText.replace('%s', String(pods))} of ${describe(m)}`;
  return `${what} need ${gpus} NVIDIA GPU${gpus === 1 ? '' : 's'} (nvidia.com/gpu) each, but the node pools that can take its pods hold ${room.pods} such pod${room.pods === 1 ? '' : 's'} `
    + `at most (${room.each}): ${pods - room.pods} would stay Pending; raise the pools' maxSize, use instance types with more GPUs, or run fewer replicas`;
}

/**
 * Notes for GPU workloads an HPA of the output may scale past what the pools that can take their pods hold in GPUs
 * (see `gpuPods`): the replicas past that stay Pending.
 */
export function gpuCapacityNotes(cluster: ClusterProfile, objects: readonly RenderedObject[]): string[] {
  const pools = poolsOf(cluster);
  const notes: string[] = [];
  for (const o of objects) {
    const m = o.manifest;
    const scaler = typeof m?.spec?.replicas === 'number' ? undefined : autoscalerOf(m, objects);
    const max = scaler?.max;
    const pod = max === undefined ? undefined : podSpecOf(m);
    // most pods ask for no GPU: no need to add up their requests
    if (pod === undefined || ![...(pod.spec.containers ?? []), ...(pod.spec.initContainers ?? [])].some((c: any) => gpuAsked(c))) continue;
    const need = podRequests(pod.spec);
    if (need.gpus === 0) continue;
    const room = gpuPods(pools.filter(p => poolRefusal(p, pod.spec, need) === undefined), need.gpus);
    if (room === undefined || max! <= room.pods) continue;
    notes.push(`shipshape note: cluster ${cluster.clusterName}: ${describe(m)} may scale to ${max} replicas (${scaler!.maxText}) of `
      + `${need.gpus} NVIDIA GPU${need.gpus === 1 ? '' : 's'} each, but the node pools that can take its pods hold ${room.pods} such pod${room.pods === 1 ? '' : 's'} at most `
      + `(${room.each}): replicas past ${room.pods} stay Pending; raise the pools' maxSize, or lower ${scaler!.maxText.includes('KEDA') ? 'maxReplicaCount (the KEDA scaling\'s max)' : 'maxReplicas'}\n`);
  }
  return notes;
}

/** True when a container names NVIDIA GPUs among its limits or requests. */
function gpuAsked(c: any): boolean {
  return c?.resources?.limits?.[NVIDIA_GPU_RESOURCE] !== undefined || c?.resources?.requests?.[NVIDIA_GPU_RESOURCE] !== undefined;
}

/** What to do about a pod no pool takes, from why each pool refused it. */
function schedulingFix(whys: string[]): string {
  const fixes = ['give the workload a placement on a pool that can take it (Placement.onPool(pool), or Placement.onKarpenterPool(pool) for a Karpenter pool)'];
  if (whys.some(w => w.startsWith('taint '))) fixes.push('or a pool without taints');
  if (whys.some(w => w.startsWith('requests ') && w.includes('exceed the pool\'s limits'))) {
    fixes.push('lower its requests, or raise the Karpenter pool\'s limits (maxCpu and maxMemoryGiB; cpuLimit and memoryLimitGiB in its profile)');
  }
  if (whys.some(w => w.startsWith('requests ') && w.includes('do not fit') && !w.includes('the first of its instance types'))) fixes.push('lower its requests, or add a pool with larger instance types');
  if (whys.some(w => w.includes('the first of its instance types'))) fixes.push('list the pool\'s largest instance type first (or only types of one size), or lower its requests');
  if (whys.some(w => w.startsWith(GPU_NEED_PREFIX))) {
    fixes.push('add a pool of NVIDIA GPU instances with enough GPUs per node (a managed pool of g5 or g6 instances, or a Karpenter pool with such instanceTypes) '
      + 'and place the workload on it, or lower resources.gpus');
  }
  if (whys.some(w => w.startsWith('node selector ') || w.startsWith('required node affinity'))) {
    fixes.push('make its node selector or affinity name labels a pool of this cluster has');
  }
  return fixes.join('; ');
}

function podSpecOf(m: any): { spec: any; field: string } | undefined {
  switch (m?.kind) {
    case 'Pod': return m.spec ? { spec: m.spec, field: 'spec' } : undefined;
    case 'CronJob': {
      const spec = m.spec?.jobTemplate?.spec?.template?.spec;
      return spec ? { spec, field: 'spec.jobTemplate.spec.template.spec' } : undefined;
    }
    case 'Deployment': case 'StatefulSet': case 'DaemonSet': case 'ReplicaSet': case 'Job': {
      const spec = m.spec?.template?.spec;
      return spec ? { spec, field: 'spec.template.spec' } : undefined;
    }
    default: return undefined;
  }
}

function blocking(t: TaintProfile): boolean {
  return t.effect === 'NoSchedule' || t.effect === 'NoExecute';
}

function tolerates(tolerations: any[], t: TaintProfile): boolean {
  return tolerations.some(tol => {
    if (!tol || typeof tol !== 'object') return false;
    if (tol.effect && tol.effect !== t.effect) return false;
    if (tol.key === undefined || tol.key === '') return tol.operator === 'Exists';
    if (tol.key !== t.key) return false;
    if (tol.operator === 'Exists') return true;
    return (tol.value ?? '') === (t.value ?? '');
  });
}

function exprMatches(labels: Map<string, string[]>, e: any): boolean {
  const values: string[] | undefined = labels.get(e?.key);
  const wanted: string[] = Array.isArray(e?.values) ? e.values : [];
  switch (e?.operator) {
    case 'In': return values !== undefined && values.some(v => wanted.includes(v));
    case 'NotIn': return values === undefined || values.some(v => !wanted.includes(v));
    case 'Exists': return values !== undefined;
    case 'DoesNotExist': return values === undefined;
    case 'Gt': case 'Lt': {
      if (!values) return false;
      const n = Number(wanted[0]);
      return values.some(v => (e.operator === 'Gt' ? Number(v) > n : Number(v) < n));
    }
    default: return false;
  }
}

/** What the DaemonSets of the output take on every node of a pool: their requests, and the DaemonSets in words. */
interface Reserved {
  readonly cpu: number;
  readonly memMiB: number;
  readonly by: string[];
}

/**
 * Why `pool` cannot take the pod, or undefined when it can. `reserved` is what the output's DaemonSets take on each of
 * its nodes before the pod (their pods run on every node they can): the pod must fit in what is left.
 */
function poolRefusal(pool: SchedPool, pod: any, need: { cpu: number; memMiB: number; gpus: number }, reserved?: Reserved): string | undefined {
  const tolerations = Array.isArray(pod.tolerations) ? pod.tolerations : [];
  const untolerated = pool.taints.filter(t => blocking(t) && !tolerates(tolerations, t));
  if (untolerated.length) {
    return `taint ${untolerated.map(t => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`).join(', ')} not tolerated`;
  }
  for (const [k, v] of Object.entries(pod.nodeSelector ?? {})) {
    const have = pool.labels.get(k);
    if (!have || !have.includes(String(v))) return `node selector ${k}=${v} does not match (${have ? `${k} is ${have.join('|')}` : `no label ${k}`})`;
  }
  const terms = pod.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (Array.isArray(terms) && terms.length > 0) {
    const ok = terms.some((term: any) => (term?.matchExpressions ?? []).every((e: any) => exprMatches(pool.labels, e)));
    if (!ok) return 'required node affinity matches none of its nodes';
  }
  // no node of the pool advertises as many GPUs (nvidia.com/gpu): the pod stays Pending, and Karpenter launches nothing
  if (need.gpus > 0 && pool.gpus !== undefined && pool.gpus < need.gpus) {
    return pool.gpus === 0 ? `${GPU_NEED_PREFIX}${need.gpus} NVIDIA GPU${need.gpus === 1 ? '' : 's'} (nvidia.com/gpu), and its ${pool.instances} have none`
      : `${GPU_NEED_PREFIX}${need.gpus} NVIDIA GPUs (nvidia.com/gpu) on one node, and the largest node of its ${pool.instances} has ${pool.gpus}`;
  }
  // Karpenter launches no node that would take the pool past its limits: a pod larger than them never runs
  const limits = pool.limits;
  if (limits !== undefined && (need.cpu > limits.cpuMillis || need.memMiB > limits.memMiB)) {
    return `requests cpu ${need.cpu}m, memory ${need.memMiB}Mi exceed the pool's limits (spec.limits cpu ${limits.cpuMillis / 1000}, memory ${limits.memMiB / 1024}Gi): `
      + 'Karpenter launches no node for them';
  }
  const sizes = pool.instanceTypes.map(t => InstanceTypes.allocatable(t)).filter((a): a is NodeAllocatable => a !== undefined);
  if (sizes.length > 0 && sizes.length === pool.instanceTypes.length) {
    const cpu = need.cpu + (reserved?.cpu ?? 0);
    const memMiB = need.memMiB + (reserved?.memMiB ?? 0);
    const taken = reserved === undefined || (reserved.cpu === 0 && reserved.memMiB === 0) ? ''
      : `, of which the DaemonSets running on each node (${reserved.by.join(', ')}) take cpu ${reserved.cpu}m, memory ${reserved.memMiB}Mi`;
    // a managed node group launches its first instance type (on demand; others only when that one is short), and the
    // cluster-autoscaler sizes its nodes by it: a pod that fits only a later type would wait for a node that never comes
    const first = sizes[0];
    if (pool.maxNodes !== undefined && sizes.length > 1 && !(first.cpuMillis >= cpu && first.allocatableMemoryMiB >= memMiB)
      && sizes.some(a => a.cpuMillis >= cpu && a.allocatableMemoryMiB >= memMiB)) {
      return `requests cpu ${need.cpu}m, memory ${need.memMiB}Mi do not fit ${first.instanceType}, the first of its instance types, which the node group launches `
        + `and the cluster-autoscaler sizes its nodes by (allocatable cpu ${first.cpuMillis}m, memory ${first.allocatableMemoryMiB}Mi${taken})`;
    }
    if (!sizes.some(a => a.cpuMillis >= cpu && a.allocatableMemoryMiB >= memMiB)) {
      const largest = [...sizes].sort((a, b) => b.allocatableMemoryMiB - a.allocatableMemoryMiB || b.cpuMillis - a.cpuMillis)[0];
      return `requests cpu ${need.cpu}m, memory ${need.memMiB}Mi do not fit its largest instance type ${largest.instanceType} `
        + `(allocatable cpu ${largest.cpuMillis}m, memory ${largest.allocatableMemoryMiB}Mi${taken})`;
    }
  }
  return undefined;
}

/**
 * For each pool, what the output's DaemonSets take on each of its nodes: those whose pods the pool's nodes take
 * (tolerated taints, matching selectors), but `except` (a DaemonSet is not counted twice against its own pods).
 */
function daemonSetReserve(pools: readonly SchedPool[], objects: readonly RenderedObject[], except?: any): Map<SchedPool, Reserved> {
  const out = new Map<SchedPool, Reserved>();
  const placed = { cpu: 0, memMiB: 0, gpus: 0 };
  for (const o of objects) {
    const m = o.manifest;
    if (m?.kind !== 'DaemonSet' || m === except) continue;
    const pod = podSpecOf(m);
    if (pod === undefined) continue;
    const need = podRequests(pod.spec);
    if (need.cpu === 0 && need.memMiB === 0) continue;
    for (const p of pools) {
      if (poolRefusal(p, pod.spec, placed) !== undefined) continue;
      const r = out.get(p) ?? { cpu: 0, memMiB: 0, by: [] };
      out.set(p, { cpu: r.cpu + need.cpu, memMiB: r.memMiB + need.memMiB, by: [...r.by, describe(m)] });
    }
  }
  return out;
}

/** How a refusal for GPUs starts (the fix looks for it). */
const GPU_NEED_PREFIX = 'needs ';

/** The pod's effective requests (the sum of its containers and native sidecars, or its largest init container). */
function podRequests(pod: any): { cpu: number; memMiB: number; gpus: number } {
  const cpuOf = (c: any) => {
    const v = c?.resources?.requests?.cpu;
    if (v === undefined) return 0;
    try {
      return CpuQuantity.parse(String(v)).millicores;
    } catch {
      return 0;
    }
  };
  const memOf = (c: any) => {
    const v = c?.resources?.requests?.memory;
    if (v === undefined) return 0;
    try {
      return MemoryQuantity.parse(String(v)).bytes / 1048576;
    } catch {
      return 0;
    }
  };
  // an extended resource: its limit is its request (a request alone must equal the limit)
  const gpuOf = (c: any) => {
    const v = c?.resources?.limits?.[NVIDIA_GPU_RESOURCE] ?? c?.resources?.requests?.[NVIDIA_GPU_RESOURCE];
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : 0;
    return Number.isFinite(n) ? n : 0;
  };
  let cpu = 0;
  let mem = 0;
  let gpus = 0;
  for (const c of pod.containers ?? []) {
    cpu += cpuOf(c);
    mem += memOf(c);
    gpus += gpuOf(c);
  }
  let initCpu = 0;
  let initMem = 0;
  let initGpus = 0;
  let sidecarCpu = 0;
  let sidecarMem = 0;
  let sidecarGpus = 0;
  for (const c of pod.initContainers ?? []) {
    if (c?.restartPolicy === 'Always') {
      sidecarCpu += cpuOf(c);
      sidecarMem += memOf(c);
      sidecarGpus += gpuOf(c);
    } else {
      initCpu = Math.max(initCpu, sidecarCpu + cpuOf(c));
      initMem = Math.max(initMem, sidecarMem + memOf(c));
      initGpus = Math.max(initGpus, sidecarGpus + gpuOf(c));
    }
  }
  return {
    cpu: Math.ceil(Math.max(cpu + sidecarCpu, initCpu)), memMiB: Math.ceil(Math.max(mem + sidecarMem, initMem)), gpus: Math.max(gpus + sidecarGpus, initGpus),
  };
}

function describe(m: any): string {
  const ns = m?.metadata?.namespace;
  return `${m?.kind} ${ns ? `${ns}/` : ''}${m?.metadata?.name}`;
}

/**
 * Every reason the output would not run on `cluster`, one message each (`<construct path>: <field> (<value>) ...; <fix>`).
 */
export function clusterProblems(cluster: ClusterProfile, objects: readonly RenderedObject[]): string[] {
  const problems: string[] = [];
  const pools = poolsOf(cluster);
  const storageClasses = new Map<string, boolean>();
  for (const sc of cluster.storageClasses ?? []) storageClasses.set(sc.name, sc.isDefault);
  /** class -> provisioner (the cluster's classes and those of the output) */
  const provisioners = new Map<string, string>();
  for (const sc of cluster.storageClasses ?? []) provisioners.set(sc.name, sc.provisioner);
  const ingressClasses = new Map<string, boolean>();
  for (const ic of cluster.ingressClasses ?? []) ingressClasses.set(ic.name, ic.isDefault);
  const namespaces = new Set<string>(SYSTEM_NAMESPACES);
  for (const o of objects) {
    const m = o.manifest;
    if (m?.kind === 'StorageClass') {
      storageClasses.set(m.metadata?.name, m.metadata?.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true');
      if (typeof m.provisioner === 'string') provisioners.set(m.metadata?.name, m.provisioner);
    }
    if (m?.kind === 'IngressClass') ingressClasses.set(m.metadata?.name, m.metadata?.annotations?.['ingressclass.kubernetes.io/is-default-class'] === 'true');
    if (m?.kind === 'Namespace' && typeof m.metadata?.name === 'string') namespaces.add(m.metadata.name);
  }
  const defaultStorage = [...storageClasses.entries()].find(([, d]) => d)?.[0];
  const defaultIngress = [...ingressClasses.entries()].find(([, d]) => d)?.[0];
  const nsReported = new Set<string>();
  // a StorageClass of the output for an EBS driver the cluster does not run (ebs.csi.aws.com on EKS Auto Mode, whose
  // driver is ebs.csi.eks.amazonaws.com, or the reverse): no driver provisions its claims
  const clusterEbs = [...new Set((cluster.storageClasses ?? []).map(sc => sc.provisioner).filter(p => EBS_PROVISIONERS.has(p)))];
  for (const o of clusterEbs.length > 0 ? objects : []) {
    const m = o.manifest;
    if (m?.kind !== 'StorageClass' || typeof m.provisioner !== 'string' || !EBS_PROVISIONERS.has(m.provisioner)) continue;
    // the in-tree name is served by the add-on's driver (CSI migration)
    const served = m.provisioner === 'kubernetes.io/aws-ebs' ? 'ebs.csi.aws.com' : m.provisioner;
    if (clusterEbs.includes(served)) continue;
    problems.push(`${o.path}: provisioner (${JSON.stringify(m.provisioner)}) of ${describe(m)} is not the EBS driver of cluster ${cluster.clusterName} `
      + `(${clusterEbs.join(', ')}): no driver would provision its claims, which would stay Pending; use provisioner ${JSON.stringify(clusterEbs[0])}, `
      + `or one of the cluster's classes (${(cluster.storageClasses ?? []).map(sc => sc.name).join(', ')})`);
  }
  /** What the output's DaemonSets take on each node of each pool (computed on the first pod that asks). */
  let allDaemonSets: Map<SchedPool, Reserved> | undefined;
  /** Karpenter pool -> the workloads only it can take, with their fewest pods and each pod's requests. */
  const onKarpenterPool = new Map<SchedPool, Array<{ what: string; pods: number; cpu: number; memMiB: number }>>();

  for (const o of objects) {
    const m = o.manifest;
    if (!m || typeof m !== 'object') continue;
    const ns = m.metadata?.namespace;
    if (typeof ns === 'string' && !namespaces.has(ns) && !nsReported.has(ns) && !inOperatorNamespace(m.apiVersion, m.kind)) {
      nsReported.add(ns);
      problems.push(`${o.path}: metadata.namespace (${JSON.stringify(ns)}) of ${describe(m)} does not exist in cluster ${cluster.clusterName} nor in the output; `
        + 'add the Namespace, or use an existing namespace (k8s.App writes a Namespace for each namespace its charts and objects name, when `clusterResources` '
        + `is on, but not for one a JSON patch sets afterwards: add that one with new k8s.ClusterResources(app, k8s.ClusterResources.ID, { cluster }).addNamespace(${JSON.stringify(ns)}))`);
    }

    const pod = podSpecOf(m);
    if (pod && pools.length > 0) {
      const need = podRequests(pod.spec);
      // what the DaemonSets take on each node first (the other DaemonSets, for one of them)
      const reserve = m.kind === 'DaemonSet' ? daemonSetReserve(pools, objects, m) : (allDaemonSets ??= daemonSetReserve(pools, objects));
      const refusals = pools.map(p => ({ p, why: poolRefusal(p, pod.spec, need, reserve.get(p)) }));
      if (refusals.every(r => r.why !== undefined)) {
        problems.push(`${o.path}: ${pod.field} of ${describe(m)} cannot be scheduled on any node pool of cluster ${cluster.clusterName}: `
          + `${refusals.map(r => `pool ${r.p.name}: ${r.why}`).join('; ')}; ${schedulingFix(refusals.map(r => r.why!))}`);
      } else {
        const accepting = refusals.filter(r => r.why === undefined).map(r => r.p);
        const problem = emptyPools(m, pod, accepting, cluster.clusterName) ?? nodeShortage(m, pod, accepting) ?? gpuShortage(m, need.gpus, accepting, objects);
        if (problem !== undefined) problems.push(`${o.path}: ${problem}`);
        // the pods that can go to one Karpenter pool only count against its limits together
        if (accepting.length === 1 && accepting[0].limits !== undefined && m.kind !== 'DaemonSet') {
          const n = minimumPods(m, objects);
          if (n > 0) {
            const list = onKarpenterPool.get(accepting[0]) ?? [];
            list.push({ what: describe(m), pods: n, cpu: need.cpu, memMiB: need.memMiB });
            onKarpenterPool.set(accepting[0], list);
          }
        }
      }
    }

    const claims: Array<{ spec: any; field: string }> = [];
    if (m.kind === 'PersistentVolumeClaim') claims.push({ spec: m.spec, field: 'spec.storageClassName' });
    if (m.kind === 'StatefulSet') {
      (m.spec?.volumeClaimTemplates ?? []).forEach((t: any, i: number) => claims.push({ spec: t?.spec, field: `spec.volumeClaimTemplates[${i}].spec.storageClassName` }));
    }
    // a profile that lists no StorageClass knows nothing of them (a fleet cluster given by its version alone), as
    // for ingress classes: the claims are not checked against it
    const classesKnown = (cluster.storageClasses ?? []).length > 0;
    for (const c of classesKnown ? claims : []) {
      const cls = c.spec?.storageClassName;
      if (cls === '') continue; // explicitly no class (pre-provisioned volumes)
      if (cls === undefined) {
        if (!defaultStorage) {
          problems.push(`${o.path}: ${c.field} (unset) of ${describe(m)} relies on a default StorageClass, and cluster ${cluster.clusterName} marks none; `
            + 'name a class, or mark one of the cluster\'s storage classes as default');
        }
      } else if (!storageClasses.has(cls)) {
        problems.push(`${o.path}: ${c.field} (${JSON.stringify(cls)}) of ${describe(m)} is not a StorageClass of cluster ${cluster.clusterName} `
          + `(${[...storageClasses.keys()].join(', ') || 'none'}) nor of the output; the claim would stay Pending: name one of those classes or add the StorageClass`);
      }
      // block volumes (EBS) attach to one node: a claim several nodes mount at once never binds
      const provisioner = provisioners.get(cls === undefined ? defaultStorage ?? '' : cls);
      const shared = (Array.isArray(c.spec?.accessModes) ? c.spec.accessModes : []).filter((a: unknown) => a === 'ReadWriteMany' || a === 'ReadOnlyMany');
      if (provisioner !== undefined && SINGLE_NODE_PROVISIONERS.has(provisioner) && shared.length > 0) {
        problems.push(`${o.path}: ${c.field.replace(/storageClassName$/, 'accessModes')} (${shared.join(', ')}) of ${describe(m)} asks for a volume several nodes mount, `
          + `but StorageClass ${cls ?? `${defaultStorage} (the default)`} of cluster ${cluster.clusterName} provisions ${provisioner} volumes, which attach to one node: `
          + 'the claim would stay Pending; use ReadWriteOnce (or ReadWriteOncePod), or a class whose volumes many nodes share (Amazon EFS, efs.csi.aws.com)');
      }
    }

    if (m.kind === 'Ingress') {
      const cls = m.spec?.ingressClassName ?? m.metadata?.annotations?.['kubernetes.io/ingress.class'];
      if (cls === undefined) {
        if (!defaultIngress && ingressClasses.size > 0) {
          problems.push(`${o.path}: spec.ingressClassName (unset) of ${describe(m)} relies on a default IngressClass, and cluster ${cluster.clusterName} marks none; `
            + `name one of ${[...ingressClasses.keys()].join(', ')}`);
        }
      } else if (ingressClasses.size > 0 && !ingressClasses.has(cls)) {
        problems.push(`${o.path}: spec.ingressClassName (${JSON.stringify(cls)}) of ${describe(m)} is not an IngressClass of cluster ${cluster.clusterName} `
          + `(${[...ingressClasses.keys()].join(', ')}) nor of the output; no controller would serve it: name one of those classes`);
      }
    }
  }
  for (const [pool, workloads] of onKarpenterPool) {
    const cpu = workloads.reduce((t, w) => t + w.pods * w.cpu, 0);
    const memMiB = workloads.reduce((t, w) => t + w.pods * w.memMiB, 0);
    const limits = pool.limits!;
    if (cpu <= limits.cpuMillis && memMiB <= limits.memMiB) continue;
    const shown = workloads.map(w => `${w.what}: ${w.pods} × cpu ${w.cpu}m, memory ${Math.ceil(w.memMiB)}Mi`).join('; ');
    problems.push(`Karpenter pool ${pool.name} of cluster ${cluster.clusterName}: the workloads only it can take ask for cpu ${cpu}m, memory ${Math.ceil(memMiB)}Mi `
      + `at their fewest pods (${shown}), above the pool's limits (spec.limits cpu ${limits.cpuMillis / 1000}, memory ${limits.memMiB / 1024}Gi): `
      + 'Karpenter launches no node past them, so some pods would stay Pending; raise the pool\'s limits (maxCpu and maxMemoryGiB; cpuLimit and memoryLimitGiB in its profile), '
      + 'or lower those replicas or requests');
  }
  return problems;
}

/**
 * The fewest pods a workload runs: its replicas (for a workload an HPA of the output scales, the HPA's minReplicas,
 * 1 when unset), a Job's or CronJob's parallelism, one for a bare Pod; unset replicas count as 1.
 */
function minimumPods(m: any, objects: readonly RenderedObject[]): number {
  if (m.kind === 'Pod') return 1;
  if (m.kind === 'Job') return typeof m.spec?.parallelism === 'number' ? m.spec.parallelism : 1;
  if (m.kind === 'CronJob') return typeof m.spec?.jobTemplate?.spec?.parallelism === 'number' ? m.spec.jobTemplate.spec.parallelism : 1;
  if (typeof m.spec?.replicas === 'number') return m.spec.replicas;
  return autoscalerOf(m, objects)?.min ?? 1;
}

/** What scales a workload of the output: the bounds, and how a message names them. */
interface Autoscaler {
  readonly min: number;
  readonly max: number;
  /** `the minReplicas (3) of the HorizontalPodAutoscaler`, with `%s` for the number. */
  readonly minText: string;
  readonly maxText: string;
}

const AUTOSCALERS = new WeakMap<readonly RenderedObject[], Map<string, Autoscaler>>();

/**
 * The autoscaler of the workload `m` in the output, or undefined: its HorizontalPodAutoscaler (minReplicas 1 when
 * unset), or its KEDA ScaledObject, which makes one (minReplicaCount 0 and maxReplicaCount 100 when unset, a target
 * of kind Deployment when its kind is unset). Built once per output.
 */
function autoscalerOf(m: any, objects: readonly RenderedObject[]): Autoscaler | undefined {
  let map = AUTOSCALERS.get(objects);
  if (map === undefined) {
    map = new Map();
    for (const o of objects) {
      const h = o.manifest;
      const ref = h?.spec?.scaleTargetRef;
      if (h?.kind === 'HorizontalPodAutoscaler') {
        const min = typeof h.spec?.minReplicas === 'number' ? h.spec.minReplicas : 1;
        map.set(`${h.metadata?.namespace}/${ref?.kind}/${ref?.name}`, {
          min,
          max: typeof h.spec?.maxReplicas === 'number' ? h.spec.maxReplicas : min,
          minText: 'the minReplicas (%s) of the HorizontalPodAutoscaler',
          maxText: 'the maxReplicas of its HorizontalPodAutoscaler',
        });
      } else if (h?.kind === 'ScaledObject' && typeof h.apiVersion === 'string' && h.apiVersion.startsWith('keda.sh/')) {
        map.set(`${h.metadata?.namespace}/${ref?.kind ?? 'Deployment'}/${ref?.name}`, {
          min: typeof h.spec?.minReplicaCount === 'number' ? h.spec.minReplicaCount : 0,
          max: typeof h.spec?.maxReplicaCount === 'number' ? h.spec.maxReplicaCount : 100,
          minText: `the minReplicaCount (%s) of KEDA ScaledObject ${h.metadata?.name}`,
          maxText: `the maxReplicaCount of its KEDA ScaledObject ${h.metadata?.name}`,
        });
      }
    }
    AUTOSCALERS.set(objects, map);
  }
  return map.get(`${m?.metadata?.namespace}/${m?.kind}/${m?.metadata?.name}`);
}

/**
 * Notes for workloads whose pods only Karpenter pools of the cluster can take, when the output holds none of those
 * pools' NodePools (k8s.karpenter.KarpenterResources writes them): Karpenter launches no node for a pool it has not
 * been given, so the pods stay Pending unless the NodePools are applied from elsewhere. A DaemonSet is left out (it
 * runs where nodes are). One note per set of pools, naming the workloads.
 */
export function karpenterPoolNotes(cluster: ClusterProfile, objects: readonly RenderedObject[]): string[] {
  const karpenterPools = new Set((cluster.karpenter?.nodePools ?? []).map(p => p.name));
  // an Auto Mode cluster's own NodePools are written by the app too (k8s.karpenter.NodePool); its built-in ones are not
  const autoPools = new Set(cluster.autoMode ? (cluster.autoModeNodePools ?? []).map(p => p.name) : []);
  if (karpenterPools.size === 0 && autoPools.size === 0) return [];
  const written = new Set<string>();
  for (const o of objects) {
    const m = o.manifest;
    if (m?.kind === 'NodePool' && typeof m.apiVersion === 'string' && m.apiVersion.startsWith('karpenter.sh/') && typeof m.metadata?.name === 'string') written.add(m.metadata.name);
  }
  const pools = poolsOf(cluster);
  const byPools = new Map<string, string[]>();
  for (const o of objects) {
    const m = o.manifest;
    if (!m || typeof m !== 'object' || m.kind === 'DaemonSet' || m.spec?.replicas === 0) continue;
    const pod = podSpecOf(m);
    if (!pod) continue;
    const need = podRequests(pod.spec);
    const accepting = pools.filter(p => poolRefusal(p, pod.spec, need) === undefined);
    // none: refused as a problem; any managed group or any written NodePool among them: the pods have somewhere to go
    if (accepting.length === 0 || !accepting.every(p => (karpenterPools.has(p.name) || autoPools.has(p.name)) && !written.has(p.name))) continue;
    const key = accepting.map(p => p.name).join(', ');
    const list = byPools.get(key);
    if (list) list.push(describe(m)); else byPools.set(key, [describe(m)]);
  }
  return [...byPools].map(([names, workloads]) => {
    const several = names.includes(',');
    const auto = names.split(', ').every(n => autoPools.has(n));
    const who = `shipshape note: cluster ${cluster.clusterName}: ${listed(workloads.slice(0, 3))}${workloads.length > 3 ? ` and ${workloads.length - 3} more` : ''} `;
    if (auto) {
      return `${who}can run only on the Auto Mode pool${several ? 's' : ''} ${names}, and the output has no NodePool ${names}: unless ${several ? 'they are' : 'it is'} applied from elsewhere, `
        + 'EKS Auto Mode launches no node for them and the pods stay Pending; write each pool\'s NodePool in the app: '
        + 'new k8s.karpenter.NodePool(chart, id, { pool }) with the profile of the pool (aws.EksCluster.addAutoModeNodePool(...).profile, or the cluster profile\'s autoModeNodePools)\n';
    }
    return `${who}can run only on Karpenter pool${several ? 's' : ''} ${names}, and the output has no NodePool ${names}: unless ${several ? 'they are' : 'it is'} applied from elsewhere, `
      + 'Karpenter launches no node for them and the pods stay Pending; add k8s.karpenter.KarpenterResources (with the cluster profile\'s karpenter) to the app, '
      + 'or, in a fleet, an add-on pack that installs Karpenter (AddOnPack.karpenter() or AddOnPack.clusterReleases())\n';
  });
}

/** A qualified name, as the API wants a StorageClass's provisioner (`ebs.csi.aws.com`, `kubernetes.io/aws-ebs`). */
const PROVISIONER = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/**
 * Refuses a storage class of the profile whose StorageClass the API server would refuse (a profile written by hand):
 * a provisioner that is no qualified name, a reclaim policy other than Delete or Retain, a binding mode other than
 * WaitForFirstConsumer or Immediate. Strict schemas let these through (the fields are plain strings there).
 */
export function checkStorageClass(scope: IConstruct | string, sc: StorageClassProfile): void {
  const at = `cluster.storageClasses[${sc.name}]`;
  if (typeof sc.provisioner !== 'string' || !PROVISIONER.test(sc.provisioner)) {
    fail(scope, `${at}.provisioner`, sc.provisioner, 'is not the name of a volume provisioner (a qualified name such as ebs.csi.aws.com, which the API server requires)',
      "name the CSI driver that makes the volumes, for example 'ebs.csi.aws.com' (EBS) or 'efs.csi.aws.com' (EFS)");
  }
  if (sc.reclaimPolicy !== 'Delete' && sc.reclaimPolicy !== 'Retain') {
    fail(scope, `${at}.reclaimPolicy`, sc.reclaimPolicy, 'must be Delete or Retain (the API server refuses any other reclaim policy on a StorageClass)',
      "use 'Delete' (the volume goes with its claim) or 'Retain' (it stays, to be cleaned up by hand)");
  }
  if (sc.volumeBindingMode !== 'WaitForFirstConsumer' && sc.volumeBindingMode !== 'Immediate') {
    fail(scope, `${at}.volumeBindingMode`, sc.volumeBindingMode, 'must be WaitForFirstConsumer or Immediate (the API server refuses any other binding mode)',
      "use 'WaitForFirstConsumer' for zonal volumes such as EBS (made in the zone of the pod's node), or 'Immediate'");
  }
}
