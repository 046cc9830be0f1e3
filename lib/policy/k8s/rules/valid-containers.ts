import { Validators } from '../../../core/validators';
import { Violation } from '../../rule';
import { ERROR, k8sPodRule, NONE } from '../define';
import { containersOf, isObj, o, POD_KINDS } from '../pod';
import { compareQuantities, isWholeQuantity, parseQuantity, Quantity } from '../quantity';

/** The resources of a container that have no domain in their name (huge pages aside: `hugepages-2Mi`). */
const STANDARD_RESOURCES = ['cpu', 'memory', 'ephemeral-storage'];
const HUGEPAGES = 'hugepages-';

/** A DNS-1123 label: what a container's name must be. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** The values the API accepts for imagePullPolicy and terminationMessagePolicy (an empty or unset one is defaulted). */
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const MESSAGE_POLICIES = ['File', 'FallbackToLogsOnError'];
const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'];
/** A probe's handlers: the API takes exactly one. */
const PROBE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'];
/** A lifecycle hook's handlers: the API takes exactly one (tcpSocket, kept for old manifests, is not checked by the API). */
const HOOK_HANDLERS = ['exec', 'httpGet', 'sleep'];
const HOOKS = ['postStart', 'preStop'];

/** `.key`, or `["key"]` for a key that is not an identifier (`["ephemeral-storage"]`, `["nvidia.com/gpu"]`). */
export function keyPath(k: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`;
}

/** True for an extended resource: a name with a domain other than kubernetes.io (`nvidia.com/gpu`), never overcommitted. */
function extended(res: string): boolean {
  const slash = res.indexOf('/');
  if (slash < 0) return false;
  const domain = res.slice(0, slash);
  return domain !== 'kubernetes.io' && !domain.endsWith('.kubernetes.io');
}

/** How a message names a resource: CPU and Memory, others as written. */
function resourceLabel(res: string): string {
  return res === 'cpu' ? 'CPU' : res === 'memory' ? 'Memory' : res;
}

/**
 * A corrected spelling of a quantity that is not one, or undefined: spaces removed, and a binary suffix's case fixed
 * (`1gi` is 1Gi), except that a CPU quantity in "mi" means millicores (`100mi` is 100m).
 */
function suggestion(res: string, q: unknown): string | undefined {
  if (typeof q !== 'string') return undefined;
  const t = q.replace(/\s+/g, '').replace(/([kmgtpe])i$/i, (_, p: string) => (res === 'cpu' && p === 'm' ? 'm' : `${p.toUpperCase()}i`));
  return t !== q.trim() && parseQuantity(t) !== undefined ? t : undefined;
}

/** The value of `allowed` that `value` spells in another case (or with spaces around it), or undefined. */
export function caseMeant(value: unknown, allowed: readonly string[]): string | undefined {
  return typeof value === 'string' ? allowed.find(a => a.toLowerCase() === value.trim().toLowerCase()) : undefined;
}

/** Reports a field whose value is not one of `allowed` (unset, null and "" are defaulted by the API), naming the spelling meant. */
function checkEnum(value: unknown, allowed: string[], at: string, field: string, bad: (jsonPath: string, message: string) => void) {
  if (value === undefined || value === null || value === '' || allowed.includes(value as string)) return;
  const meant = caseMeant(value, allowed);
  bad(at, `${field} ${JSON.stringify(value)} is not one the API accepts (${allowed.join(', ')}; case-sensitive)${meant ? `; did you mean ${meant}?` : ''}`);
}

/** The handlers among `names` a probe or hook sets (a null one is unset, an empty object is set). */
function handlersOf(x: any, names: string[]): string[] {
  return names.filter(h => x[h] !== undefined && x[h] !== null);
}

/** Reports the probes and lifecycle hooks of a container the API refuses: none or several handlers, or set on an init container. */
function checkHandlers(c: any, at: string, init: boolean, bad: (jsonPath: string, message: string) => void) {
  // an init container runs to completion before the others start, unless it is a sidecar (restartPolicy: Always)
  const plainInit = init && c.restartPolicy !== 'Always';
  for (const p of PROBES) {
    const probe = c[p];
    if (probe === undefined || probe === null) continue;
    if (plainInit) {
      bad(`${at}.${p}`, `${p} is set on an init container, which the API refuses unless the container has restartPolicy: Always (a sidecar)`);
      continue;
    }
    if (!isObj(probe)) continue;
    const set = handlersOf(probe, PROBE_HANDLERS);
    if (set.length === 0) bad(`${at}.${p}`, `${p} has no handler, which the API requires: set one of exec, httpGet, tcpSocket and grpc`);
    else if (set.length > 1) bad(`${at}.${p}`, `${p} has ${set.length} handlers (${set.join(', ')}), which the API refuses: keep one`);
  }
  const lifecycle = c.lifecycle;
  if (lifecycle === undefined || lifecycle === null) return;
  if (plainInit) {
    bad(`${at}.lifecycle`, 'lifecycle is set on an init container, which the API refuses unless the container has restartPolicy: Always (a sidecar)');
    return;
  }
  for (const h of HOOKS) {
    const hook = o(lifecycle)[h];
    if (!isObj(hook)) continue;
    const set = handlersOf(hook, HOOK_HANDLERS);
    if (set.length === 0 && handlersOf(hook, ['tcpSocket']).length === 0) {
      bad(`${at}.lifecycle.${h}`, `${h} has no handler, which the API requires: set one of exec, httpGet and sleep`);
    } else if (set.length > 1) {
      bad(`${at}.lifecycle.${h}`, `${h} has ${set.length} handlers (${set.join(', ')}), which the API refuses: keep one`);
    }
  }
}

/** SS-K8S-097 — docs/rules.md#ss-k8s-097. */
export const validContainers = k8sPodRule({
  id: 'SS-K8S-097',
  title: 'Containers the API server accepts',
  catalog: ['K8S-META-04'],
  severity: ERROR,
  message: 'Container name, image, policy, probe, hook or resource quantity is refused by the API server',
  fix: 'give every container (init and ephemeral ones included) its own name, a DNS label, and an image without surrounding spaces; write requests and limits as quantities '
    + '(100m, 1.5, 256Mi, 1Gi; suffixes are case-sensitive, no space) of 0 or more, and no request above its limit; spell imagePullPolicy Always, IfNotPresent or Never '
    + 'and terminationMessagePolicy File or FallbackToLogsOnError; give every probe and lifecycle hook exactly one handler, and none to an init container that is not a sidecar',
  rationale: 'The API server refuses a pod, and so the workload carrying its template, when two of its containers, init containers '
    + 'or ephemeral containers share a name, when a container has no name or one that is not a DNS label (at most 63 lowercase '
    + 'letters, digits and "-"), when a request or limit is not a Kubernetes quantity ("100mi", "1 Gi" and "" are not) or is '
    + 'negative, when a container requests more of a resource than its limit, and when an extended resource (nvidia.com/gpu) is '
    + 'not in whole units or its request has no equal limit (huge pages need an equal limit too), when a resource without a domain is '
    + 'none of cpu, memory, ephemeral-storage and hugepages-<size> (memroy), when the pod has no container, when a container has no image or one with '
    + 'leading or trailing whitespace, when imagePullPolicy or terminationMessagePolicy is not a value the API knows as spelled (always is refused), when a probe or '
    + 'lifecycle hook has no handler or several (a merge that adds httpGet next to tcpSocket is a common cause), and when an init container other than a sidecar '
    + '(restartPolicy: Always) has probes or lifecycle hooks: `kubectl apply` fails, and the roll-out never '
    + 'starts. SS-K8S-023 to SS-K8S-027 require the requests and limits; this rule checks what they say.',
  kinds: POD_KINDS,
  podCheck: (pod) => {
    if (!pod) return NONE;
    let out: Violation[] | undefined;
    const bad = (jsonPath: string, message: string) => { (out ??= []).push({ jsonPath, message }); };
    if (Array.isArray(pod.spec.containers) && pod.spec.containers.length === 0) bad(`${pod.path}.containers`, 'Pod has no container, which the API requires');
    const names = new Set<string>();
    for (const r of containersOf(pod, true)) {
      const name = r.c.name;
      if (typeof name !== 'string' || name === '') {
        bad(`${r.path}.name`, 'Container has no name, which the API requires');
      } else if (!DNS_LABEL.test(name)) {
        bad(`${r.path}.name`, `Container name ${JSON.stringify(name)} must be at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit`);
      } else if (names.has(name)) {
        bad(`${r.path}.name`, `Two containers are named ${name}: the API requires names unique across containers, initContainers and ephemeralContainers`);
      }
      if (typeof name === 'string') names.add(name);
      const image = r.c.image;
      if (image === undefined || image === null || image === '') bad(`${r.path}.image`, 'Container has no image, which the API requires');
      else if (typeof image === 'string' && image.trim() !== image) bad(`${r.path}.image`, `Image ${JSON.stringify(image)} has leading or trailing whitespace, which the API refuses`);
      checkEnum(r.c.imagePullPolicy, PULL_POLICIES, `${r.path}.imagePullPolicy`, 'imagePullPolicy', bad);
      checkEnum(r.c.terminationMessagePolicy, MESSAGE_POLICIES, `${r.path}.terminationMessagePolicy`, 'terminationMessagePolicy', bad);
      checkHandlers(r.c, r.path, !r.main && r.path.startsWith(`${pod.path}.initContainers[`), bad);
      const res = o(r.c.resources);
      const requests = quantities(res.requests, `${r.path}.resources.requests`, 'request', bad);
      const limits = quantities(res.limits, `${r.path}.resources.limits`, 'limit', bad);
      for (const [k, q] of requests) {
        const l = limits.get(k);
        const at = `${r.path}.resources.requests${keyPath(k)}`;
        if (extended(k) || k.startsWith(HUGEPAGES)) {
          // an extended resource (a GPU, say) and huge pages are never overcommitted: the request is the limit
          const kind = extended(k) ? 'an extended resource' : 'huge pages';
          if (l === undefined) bad(at, `${k} request ${q.text} has no limit: the API requires ${kind === 'huge pages' ? 'a limit of huge pages' : 'an extended resource\'s limit'}, equal to its request`);
          else if (compareQuantities(q.q, l.q) !== 0) bad(at, `${k} request ${q.text} differs from its limit ${l.text}: the API requires them equal for ${kind}`);
          continue;
        }
        if (l === undefined || compareQuantities(q.q, l.q) <= 0) continue;
        bad(at, `${resourceLabel(k)} request ${q.text} is above its limit ${l.text}: the API refuses it`);
      }
      for (const [side, map] of [['requests', requests], ['limits', limits]] as const) {
        for (const [k, q] of map) {
          if (extended(k) && !isWholeQuantity(q.q)) {
            bad(`${r.path}.resources.${side}${keyPath(k)}`, `${k} ${side === 'requests' ? 'request' : 'limit'} ${q.text} is not a whole number: the API takes an extended resource in whole units only`);
          }
        }
      }
    }
    return out ?? NONE;
  },
});

/**
 * The valid, non-negative quantities of a requests or limits map, by resource; reports the others at `at` (null is left
 * alone: the API reads it as unset).
 */
function quantities(map: unknown, at: string, what: string, bad: (jsonPath: string, message: string) => void): Map<string, { q: Quantity; text: string }> {
  const out = new Map<string, { q: Quantity; text: string }>();
  if (!isObj(map)) return out;
  for (const [k, v] of Object.entries(map as object)) {
    if (v === null || v === undefined) continue;
    // a name without a domain is one of Kubernetes' own container resources (a slip is refused, not ignored)
    if (!k.includes('/') && !STANDARD_RESOURCES.includes(k) && !k.startsWith(HUGEPAGES)) {
      const meant = STANDARD_RESOURCES.find(r => Validators._editDistance(r, k.toLowerCase()) <= 2);
      bad(`${at}${keyPath(k)}`, `Resource ${JSON.stringify(k)} is not a resource of a container (cpu, memory, ephemeral-storage, hugepages-<size>, or a name with a domain `
        + `such as nvidia.com/gpu)${meant ? `; did you mean ${meant}?` : ''}: the API refuses it`);
      continue;
    }
    const q = parseQuantity(v);
    const label = `${resourceLabel(k)} ${what}`;
    if (q === undefined) {
      const s = suggestion(k, v);
      bad(`${at}${keyPath(k)}`, `${label} ${JSON.stringify(v)} is not a quantity${s === undefined ? '' : ` (did you mean ${s}?)`}: the API refuses it; `
        + 'write a number with an optional suffix (case-sensitive, no space), for example 100m, 1.5 or 256Mi');
    } else if (q.negative) {
      bad(`${at}${keyPath(k)}`, `${label} ${String(v).trim()} is negative: the API refuses it`);
    } else {
      out.set(k, { q, text: String(v).trim() });
    }
  }
  return out;
}
