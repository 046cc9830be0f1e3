// Internal: do a namespace's pod-bearing objects fit its ResourceQuota and LimitRange? Not re-exported by the barrel.
//
// - every container, after the LimitRange's defaults are applied as the API server applies them (a limit without a
//   request makes the request equal the limit; then missing requests and limits take the defaults), must stay
//   within [min, max] and request no more than its limit;
// - the namespace's pods at their most (HPA maximum or replicas, plus the Deployment's roll-out surge) must fit the
//   quota's requests, limits, pods, claims and storage.
import type * as corev1 from 'kubernetes-types/core/v1';
import { CpuQuantity, MemoryQuantity } from '../../core/quantity';
import { Schedule } from '../workloads/cron';

/** A quota with its quantities parsed. */
export interface ResolvedQuota {
  readonly requestsCpu: CpuQuantity;
  readonly requestsMemory: MemoryQuantity;
  readonly limitsCpu: CpuQuantity;
  readonly limitsMemory: MemoryQuantity;
  readonly pods: number;
  readonly persistentVolumeClaims: number;
  readonly requestsStorage: MemoryQuantity;
  readonly loadBalancers: number;
}

/** A container LimitRange with its quantities parsed. */
export interface ResolvedLimits {
  readonly defaultCpuRequest: CpuQuantity;
  readonly defaultCpuLimit: CpuQuantity;
  readonly defaultMemoryRequest: MemoryQuantity;
  readonly defaultMemoryLimit: MemoryQuantity;
  readonly maxCpu: CpuQuantity;
  readonly maxMemory: MemoryQuantity;
  readonly minCpu: CpuQuantity;
  readonly minMemory: MemoryQuantity;
}

interface Usage {
  cpu: number; // millicores
  mem: number; // bytes
  cpuLimit: number;
  memLimit: number;
}

function cpuOf(v: unknown): number | undefined {
  if (v === undefined || v === null) return undefined;
  try {
    return CpuQuantity.parse(String(v)).millicores;
  } catch {
    return undefined;
  }
}

function memOf(v: unknown): number | undefined {
  if (v === undefined || v === null) return undefined;
  try {
    return MemoryQuantity.parse(String(v)).bytes;
  } catch {
    return undefined;
  }
}

/** `250m`, `2` */
export function showCpu(millis: number): string {
  return CpuQuantity.millis(Math.ceil(millis)).toString();
}

/** `512Mi`, `3Gi`, bytes otherwise */
export function showMemory(bytes: number): string {
  return MemoryQuantity.parse(String(Math.ceil(bytes))).toString();
}

function podTemplate(m: any): { spec: corev1.PodSpec; field: string; annotations: { [k: string]: unknown } } | undefined {
  switch (m?.kind) {
    case 'Pod': return m.spec ? { spec: m.spec, field: 'spec', annotations: m.metadata?.annotations ?? {} } : undefined;
    case 'CronJob': return m.spec?.jobTemplate?.spec?.template?.spec
      ? { spec: m.spec.jobTemplate.spec.template.spec, field: 'spec.jobTemplate.spec.template.spec', annotations: m.spec.jobTemplate.spec.template.metadata?.annotations ?? {} } : undefined;
    case 'Deployment': case 'StatefulSet': case 'DaemonSet': case 'ReplicaSet': case 'Job':
      return m.spec?.template?.spec ? { spec: m.spec.template.spec, field: 'spec.template.spec', annotations: m.spec.template.metadata?.annotations ?? {} } : undefined;
    default: return undefined;
  }
}

/**
 * The mesh proxy a pod's annotations size (Istio's `sidecar.istio.io/proxyCPU`..., Linkerd's
 * `config.linkerd.io/proxy-cpu-request`..., which mesh enrolment writes): the injector adds that container before
 * LimitRange and ResourceQuota admission, so it counts as the pod's own. Undefined when no such annotation is set.
 */
function meshProxy(annotations: { [k: string]: unknown }, field: string): { container: corev1.Container; at: string; name: string } | undefined {
  const meshes = [
    { name: 'istio-proxy', keys: ['sidecar.istio.io/proxyCPU', 'sidecar.istio.io/proxyCPULimit', 'sidecar.istio.io/proxyMemory', 'sidecar.istio.io/proxyMemoryLimit'] },
    { name: 'linkerd-proxy', keys: ['config.linkerd.io/proxy-cpu-request', 'config.linkerd.io/proxy-cpu-limit', 'config.linkerd.io/proxy-memory-request', 'config.linkerd.io/proxy-memory-limit'] },
  ];
  for (const m of meshes) {
    const [cpu, cpuLimit, memory, memoryLimit] = m.keys.map(k => (typeof annotations[k] === 'string' ? annotations[k] as string : undefined));
    if (cpu === undefined && cpuLimit === undefined && memory === undefined && memoryLimit === undefined) continue;
    const requests: { [k: string]: string } = {};
    const limits: { [k: string]: string } = {};
    if (cpu !== undefined) requests.cpu = cpu;
    if (memory !== undefined) requests.memory = memory;
    if (cpuLimit !== undefined) limits.cpu = cpuLimit;
    if (memoryLimit !== undefined) limits.memory = memoryLimit;
    const meta = field.replace(/\.spec$/, '.metadata').replace(/^spec$/, 'metadata');
    return { container: { name: m.name, resources: { requests, limits } } as corev1.Container, at: `${meta}.annotations (the ${m.name} container its mesh injects)`, name: `the ${m.name} container` };
  }
  return undefined;
}

/** How many pods of a controller can exist at once, and why. */
function mostPods(m: any, hpaMax: Map<string, number>): { pods: number; why: string } | undefined {
  const spec = m.spec ?? {};
  switch (m.kind) {
    case 'Pod': return { pods: 1, why: '1 pod' };
    case 'Job': {
      const n = Number(spec.parallelism ?? 1);
      return { pods: n, why: `${n} pod(s) (parallelism)` };
    }
    case 'CronJob': {
      const n = Number(spec.jobTemplate?.spec?.parallelism ?? 1);
      // concurrencyPolicy Allow: a run may start while earlier ones still run, up to their deadline
      const deadline = spec.jobTemplate?.spec?.activeDeadlineSeconds;
      const interval = spec.concurrencyPolicy === 'Allow' && typeof deadline === 'number' ? Schedule._shortestIntervalMinutes(spec.schedule) : undefined;
      const runs = interval !== undefined && interval > 0 ? Math.max(1, Math.ceil(deadline / (interval * 60))) : 1;
      if (runs > 1) {
        return { pods: n * runs, why: `${runs} runs at once x ${n} pod(s) (concurrencyPolicy Allow: a run every ${interval} min, each up to ${deadline} s)` };
      }
      return { pods: n, why: `${n} pod(s) (parallelism)` };
    }
    case 'DaemonSet': return undefined; // one per node: the node count is not known here
    case 'Deployment': case 'StatefulSet': case 'ReplicaSet': {
      const hpa = hpaMax.get(`${m.kind}/${m.metadata?.name}`);
      const replicas = hpa ?? Number(spec.replicas ?? 1);
      const what = hpa !== undefined ? `${replicas} replicas at the autoscaler's maximum` : `${replicas} replica(s)`;
      if (m.kind !== 'Deployment' || spec.strategy?.type === 'Recreate') return { pods: replicas, why: what };
      const surgeSpec = spec.strategy?.rollingUpdate?.maxSurge ?? '25%';
      const surge = typeof surgeSpec === 'string' && surgeSpec.endsWith('%')
        ? Math.ceil(replicas * Number(surgeSpec.slice(0, -1)) / 100)
        : Number(surgeSpec);
      if (!Number.isFinite(surge) || surge <= 0) return { pods: replicas, why: what };
      return { pods: replicas + surge, why: `${what} + ${surge} roll-out surge` };
    }
    default: return undefined;
  }
}

/** A pod's quota usage (containers and native sidecars, or the largest init container) and its containers' problems. */
function podUsage(pod: corev1.PodSpec, limits: ResolvedLimits, where: string, field: string, problems: string[], path: string, limitsProp: (field: string) => string,
  annotations: { [k: string]: unknown } = {}): Usage {
  // objects of the app (any cdk8s object, typed or not): read defensively, every field may be missing
  const containerUsage = (c: corev1.Container | undefined, i: number, list: string, place?: { at: string; name: string }): Usage => {
    const req = c?.resources?.requests ?? {};
    const lim = c?.resources?.limits ?? {};
    const cpuLimit = cpuOf(lim.cpu) ?? limits.defaultCpuLimit.millicores;
    const memLimit = memOf(lim.memory) ?? limits.defaultMemoryLimit.bytes;
    const cpu = cpuOf(req.cpu) ?? cpuOf(lim.cpu) ?? limits.defaultCpuRequest.millicores;
    const mem = memOf(req.memory) ?? memOf(lim.memory) ?? limits.defaultMemoryRequest.bytes;
    const name = place ? `${place.name} of ${where}` : `container ${JSON.stringify(c?.name)} of ${where}`;
    const check = (ok: boolean, prop: string, value: string, allowed: string, fix: string) => {
      if (ok) return;
      if (!place) {
        problems.push(`${path}: ${field}.${list}[${i}].resources.${prop} (${value}) of ${name} ${allowed}; ${fix}`);
        return;
      }
      // the proxy is sized by the mesh enrolment's proxyResources, written as the pod's annotations
      problems.push(`${path}: ${place.at}: ${prop} (${value}) of ${name} ${allowed}; `
        + `${fix.replace("the container's", "the proxy's").replace('on the container', 'on the proxy')} (the proxy's resources are MeshEnrolOptions.proxyResources)`);
    };
    check(cpuLimit <= limits.maxCpu.millicores, 'limits.cpu', showCpu(cpuLimit), `is above the namespace's LimitRange maximum per container (cpu ${limits.maxCpu}), so the API server would refuse the pod`,
      `lower the container's cpu limit to ${limits.maxCpu} or less, or raise ${limitsProp('maxCpu')}`);
    check(memLimit <= limits.maxMemory.bytes, 'limits.memory', showMemory(memLimit), `is above the namespace's LimitRange maximum per container (memory ${limits.maxMemory}), so the API server would refuse the pod`,
      `lower the container's memory limit to ${limits.maxMemory} or less, or raise ${limitsProp('maxMemory')}`);
    check(cpu >= limits.minCpu.millicores, 'requests.cpu', showCpu(cpu), `is below the namespace's LimitRange minimum per container (cpu ${limits.minCpu})`,
      `request at least ${limits.minCpu}, or lower ${limitsProp('minCpu')}`);
    check(mem >= limits.minMemory.bytes, 'requests.memory', showMemory(mem), `is below the namespace's LimitRange minimum per container (memory ${limits.minMemory})`,
      `request at least ${limits.minMemory}, or lower ${limitsProp('minMemory')}`);
    check(cpu <= cpuLimit, 'requests.cpu', showCpu(cpu), `is above the container's cpu limit (${showCpu(cpuLimit)}${lim.cpu === undefined ? ', the namespace default' : ''})`,
      `set a cpu limit of at least ${showCpu(cpu)} on the container, or raise ${limitsProp('defaultCpuLimit')}`);
    check(mem <= memLimit, 'requests.memory', showMemory(mem), `is above the container's memory limit (${showMemory(memLimit)}${lim.memory === undefined ? ', the namespace default' : ''})`,
      `set a memory limit of at least ${showMemory(mem)} on the container, or raise ${limitsProp('defaultMemoryLimit')}`);
    return { cpu, mem, cpuLimit, memLimit };
  };
  const sum: Usage = { cpu: 0, mem: 0, cpuLimit: 0, memLimit: 0 };
  const add = (a: Usage, b: Usage) => {
    a.cpu += b.cpu; a.mem += b.mem; a.cpuLimit += b.cpuLimit; a.memLimit += b.memLimit;
  };
  (pod.containers ?? []).forEach((c: corev1.Container, i: number) => add(sum, containerUsage(c, i, 'containers')));
  const proxy = meshProxy(annotations, field);
  if (proxy) add(sum, containerUsage(proxy.container, 0, 'containers', proxy));
  const sidecars: Usage = { cpu: 0, mem: 0, cpuLimit: 0, memLimit: 0 };
  const init: Usage = { cpu: 0, mem: 0, cpuLimit: 0, memLimit: 0 };
  (pod.initContainers ?? []).forEach((c: corev1.Container, i: number) => {
    const u = containerUsage(c, i, 'initContainers');
    if (c?.restartPolicy === 'Always') {
      add(sidecars, u);
    } else {
      init.cpu = Math.max(init.cpu, sidecars.cpu + u.cpu);
      init.mem = Math.max(init.mem, sidecars.mem + u.mem);
      init.cpuLimit = Math.max(init.cpuLimit, sidecars.cpuLimit + u.cpuLimit);
      init.memLimit = Math.max(init.memLimit, sidecars.memLimit + u.memLimit);
    }
  });
  add(sum, sidecars);
  return {
    cpu: Math.max(sum.cpu, init.cpu),
    mem: Math.max(sum.mem, init.mem),
    cpuLimit: Math.max(sum.cpuLimit, init.cpuLimit),
    memLimit: Math.max(sum.memLimit, init.memLimit),
  };
}

/**
 * Every way the objects of `namespace` do not fit its quota and container limits, one message each.
 * @param teamPath the construct path of the team namespace (named in quota errors and fixes)
 * @param quotaProp the prop that gave the quota, as errors name it (a fleet team's `quotaPerEnvironment.<environment>`)
 * @param limitsProp the prop that gave the container limits, as fixes name it (a fleet team's `teams[2].limits`); by
 *   default `limits.<field> of <teamPath>`
 */
export function quotaProblems(teamPath: string, namespace: string, quota: ResolvedQuota, limits: ResolvedLimits,
  objects: ReadonlyArray<{ manifest: any; path: string }>, quotaProp = 'quota', limitsProp?: string): string[] {
  const limitsRef = (f: string) => (limitsProp !== undefined ? `${limitsProp}.${f}` : `limits.${f} of ${teamPath}`);
  const problems: string[] = [];
  const hpaMax = new Map<string, number>();
  for (const o of objects) {
    const m = o.manifest;
    if (m?.kind === 'HorizontalPodAutoscaler' && m.spec?.scaleTargetRef?.name) {
      hpaMax.set(`${m.spec.scaleTargetRef.kind}/${m.spec.scaleTargetRef.name}`, Number(m.spec.maxReplicas));
    }
    // a KEDA ScaledObject makes its HPA in the cluster: its maxReplicaCount (KEDA's default 100) is the autoscaler's maximum
    if (m?.kind === 'ScaledObject' && m.apiVersion?.startsWith?.('keda.sh/') && m.spec?.scaleTargetRef?.name) {
      const max = m.spec.maxReplicaCount;
      hpaMax.set(`${m.spec.scaleTargetRef.kind ?? 'Deployment'}/${m.spec.scaleTargetRef.name}`, typeof max === 'number' ? max : 100);
    }
  }
  const total: Usage = { cpu: 0, mem: 0, cpuLimit: 0, memLimit: 0 };
  let pods = 0;
  let claims = 0;
  let storage = 0;
  let loadBalancers = 0;
  const parts = { cpu: [] as string[], mem: [] as string[], cpuLimit: [] as string[], memLimit: [] as string[], pods: [] as string[], claims: [] as string[], storage: [] as string[] };
  for (const o of objects) {
    const m = o.manifest;
    if (!m || typeof m !== 'object') continue;
    const where = `${m.kind} ${namespace}/${m.metadata?.name}`;
    if (m.kind === 'Service' && m.spec?.type === 'LoadBalancer') loadBalancers++;
    if (m.kind === 'PersistentVolumeClaim') {
      claims++;
      const size = memOf(m.spec?.resources?.requests?.storage) ?? 0;
      storage += size;
      parts.claims.push(`${where} 1`);
      parts.storage.push(`${where} ${showMemory(size)}`);
    }
    const template = podTemplate(m);
    if (!template) continue;
    const usage = podUsage(template.spec, limits, where, template.field, problems, o.path, limitsRef, template.annotations);
    const most = mostPods(m, hpaMax);
    if (!most) continue;
    pods += most.pods;
    total.cpu += usage.cpu * most.pods;
    total.mem += usage.mem * most.pods;
    total.cpuLimit += usage.cpuLimit * most.pods;
    total.memLimit += usage.memLimit * most.pods;
    const times = `${most.pods} pod(s) (${most.why})`;
    parts.pods.push(`${where} ${times}`);
    parts.cpu.push(`${where} ${times} x ${showCpu(usage.cpu)}`);
    parts.mem.push(`${where} ${times} x ${showMemory(usage.mem)}`);
    parts.cpuLimit.push(`${where} ${times} x ${showCpu(usage.cpuLimit)}`);
    parts.memLimit.push(`${where} ${times} x ${showMemory(usage.memLimit)}`);
    if (m.kind === 'StatefulSet') {
      const replicas = most.pods; // a StatefulSet keeps one claim per replica it ever ran
      for (const t of m.spec?.volumeClaimTemplates ?? []) {
        const size = memOf(t?.spec?.resources?.requests?.storage) ?? 0;
        claims += replicas;
        storage += size * replicas;
        parts.claims.push(`${where} ${replicas} (claim template ${t?.metadata?.name})`);
        parts.storage.push(`${where} ${replicas} x ${showMemory(size)} (claim template ${t?.metadata?.name})`);
      }
    }
  }
  const over = (prop: string, limit: string, need: string, list: string[], fits: boolean, fix: string) => {
    if (fits) return;
    problems.push(`${teamPath}: ${quotaProp}.${prop} (${JSON.stringify(limit)}) of namespace ${namespace} is less than its workloads need at their most pods (${need}: ${list.join('; ')}); `
      + `the API server would refuse pods once the quota is used up, so a scale-out or roll-out would stall; ${fix}`);
  };
  const lower = 'or lower the workloads\' requests or maximum replicas';
  over('requestsCpu', quota.requestsCpu.toString(), showCpu(total.cpu), parts.cpu, total.cpu <= quota.requestsCpu.millicores, `raise ${quotaProp}.requestsCpu to at least ${showCpu(total.cpu)}, ${lower}`);
  over('requestsMemory', quota.requestsMemory.toString(), showMemory(total.mem), parts.mem, total.mem <= quota.requestsMemory.bytes, `raise ${quotaProp}.requestsMemory to at least ${showMemory(total.mem)}, ${lower}`);
  over('limitsCpu', quota.limitsCpu.toString(), showCpu(total.cpuLimit), parts.cpuLimit, total.cpuLimit <= quota.limitsCpu.millicores, `raise ${quotaProp}.limitsCpu to at least ${showCpu(total.cpuLimit)}, or lower the workloads' cpu limits or maximum replicas`);
  over('limitsMemory', quota.limitsMemory.toString(), showMemory(total.memLimit), parts.memLimit, total.memLimit <= quota.limitsMemory.bytes, `raise ${quotaProp}.limitsMemory to at least ${showMemory(total.memLimit)}, or lower the workloads' memory limits or maximum replicas`);
  over('pods', String(quota.pods), String(pods), parts.pods, pods <= quota.pods, `raise ${quotaProp}.pods to at least ${pods}, or lower the workloads' maximum replicas`);
  over('persistentVolumeClaims', String(quota.persistentVolumeClaims), String(claims), parts.claims, claims <= quota.persistentVolumeClaims, `raise ${quotaProp}.persistentVolumeClaims to at least ${claims}`);
  over('requestsStorage', quota.requestsStorage.toString(), showMemory(storage), parts.storage, storage <= quota.requestsStorage.bytes, `raise ${quotaProp}.requestsStorage to at least ${showMemory(storage)}, or request smaller volumes`);
  if (loadBalancers > quota.loadBalancers) {
    problems.push(`${teamPath}: ${quotaProp}.loadBalancers (${quota.loadBalancers}) of namespace ${namespace} is less than its Services of type LoadBalancer (${loadBalancers}); `
      + `expose them through an Ingress (HttpIngress), or raise ${quotaProp}.loadBalancers`);
  }
  return problems;
}
