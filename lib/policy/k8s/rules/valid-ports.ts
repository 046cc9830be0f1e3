import { DocumentIndex } from '../../document-index';
import { PolicyDocument, Violation } from '../../rule';
import { ERROR, k8sRule, NONE, podLocalCheck, podLocalFact } from '../define';
import { arr, containersOf, hasKey, isObj, o, POD_KINDS, PodRef } from '../pod';
import { K8sIndex, PodTemplate } from '../selectors';

const POD_KIND_SET: ReadonlySet<string> = new Set(POD_KINDS);

const IANA = /^(?=.*[a-z])[a-z0-9]([a-z0-9]|-(?!-))*[a-z0-9]$|^[a-z]$/;

/** True when a port name is a valid IANA_SVC_NAME (at most 15 characters). */
export function validPortName(n: string): boolean {
  return n.length <= 15 && IANA.test(n);
}

/** A DNS-1123 label: what the API requires of a Service port's name (at most 63 characters). */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The names of a pod's container ports (main containers, and init containers such as native sidecars). */
function namesOf(pod: PodRef | undefined): ReadonlySet<string> {
  const names = new Set<string>();
  if (pod === undefined) return names;
  for (const r of containersOf(pod)) {
    for (const p of arr(r.c.ports)) {
      const n = o(p).name;
      if (typeof n === 'string') names.add(n);
    }
  }
  return names;
}

/** `namesOf` a document's pod, pod-local (computed once per distinct pod-local view). */
const portNames = podLocalFact(namesOf);

/** The port names of a template's pods: a foreign template (an Argo Rollout's) is read as it is. */
function templatePortNames(t: PodTemplate, index: DocumentIndex): ReadonlySet<string> {
  return POD_KIND_SET.has(t.doc.kind) ? portNames(t.doc, index) : namesOf(t.pod);
}

/**
 * Named target ports of a Service that no pod it selects declares: the API resolves a name per pod, so the port has
 * no endpoint and routes nowhere. Only for a Service whose selector matches pod templates of the output as written
 * (SS-K8S-050 reports one that matches none).
 */
function unresolvedNames(doc: PolicyDocument, index: DocumentIndex, named: Array<{ i: number; name: string }>): Violation[] {
  const spec = o(doc.manifest.spec);
  if (spec.type === 'ExternalName' || !isObj(spec.selector) || !hasKey(spec.selector)) return NONE;
  const templates = K8sIndex.of(index).templatesOfService(doc);
  if (templates.length === 0) return NONE;
  let out: Violation[] | undefined;
  for (let n = 0; n < named.length; n++) {
    const { i, name } = named[n];
    if (declaredBySome(templates, index, name)) continue;
    const pods = templates.slice(0, 3).map(t => `${t.doc.kind} ${t.doc.name}`).join(', ') + (templates.length > 3 ? `, and ${templates.length - 3} more` : '');
    (out ??= []).push({ jsonPath: `spec.ports[${i}].targetPort`, message: `Service targetPort ${name} names no container port of the pods it selects (${pods}): the port has no endpoint` });
  }
  return out ?? NONE;
}

/** True when a pod of one of `templates` declares the container port `name`. */
function declaredBySome(templates: readonly PodTemplate[], index: DocumentIndex, name: string): boolean {
  for (let t = 0; t < templates.length; t++) {
    if (templatePortNames(templates[t], index).has(name)) return true;
  }
  return false;
}

/** A Service's target ports: numbers in range or valid names, and names some selected pod declares. */
function servicePorts(doc: PolicyDocument, index: DocumentIndex): Violation[] {
  const ports = arr(o(doc.manifest.spec).ports);
  let out: Violation[] | undefined;
  let named: Array<{ i: number; name: string }> | undefined;
  // the API refuses a Service listing one port number (per protocol) or one port name twice
  const numbers = ports.length > 1 ? new Map<string, number>() : undefined;
  const names = ports.length > 1 ? new Map<string, number>() : undefined;
  for (let i = 0; i < ports.length; i++) {
    const p = o(ports[i]);
    if (numbers !== undefined && names !== undefined) {
      if (typeof p.port === 'number') {
        const key = `${p.port}/${typeof p.protocol === 'string' ? p.protocol : 'TCP'}`;
        const first = numbers.get(key);
        if (first !== undefined) (out ??= []).push({ jsonPath: `spec.ports[${i}].port`, message: `Service port ${key} is listed twice (spec.ports[${first}] and [${i}]): the API refuses a duplicate port` });
        else numbers.set(key, i);
      }
      if (p.name === undefined || p.name === null || p.name === '') {
        (out ??= []).push({
          jsonPath: `spec.ports[${i}].name`,
          message: `Service port ${typeof p.port === 'number' ? p.port : `spec.ports[${i}]`} has no name: names are required when a Service has more than one port, and the API refuses the Service`,
        });
      } else if (typeof p.name === 'string') {
        const first = names.get(p.name);
        if (first !== undefined) (out ??= []).push({ jsonPath: `spec.ports[${i}].name`, message: `Service port name ${p.name} is used twice (spec.ports[${first}] and [${i}]): the API refuses a duplicate name` });
        else names.set(p.name, i);
      }
    }
    // the API requires a Service port's name (when set) to be a DNS label; "" is unset (allowed on a Service of one port)
    if (p.name !== undefined && p.name !== null && p.name !== '' && !(typeof p.name === 'string' && p.name.length <= 63 && DNS_LABEL.test(p.name))) {
      (out ??= []).push({
        jsonPath: `spec.ports[${i}].name`,
        message: `Service port name ${JSON.stringify(p.name)} is not a valid DNS label (at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit): the API refuses it`,
      });
    }
    if (p.port !== undefined && !(typeof p.port === 'number' && Number.isInteger(p.port) && p.port >= 1 && p.port <= 65535)) {
      (out ??= []).push({ jsonPath: `spec.ports[${i}].port`, message: `Service port ${JSON.stringify(p.port)} is not a port number from 1 to 65535 (unquoted): the API refuses it` });
    }
    const protocolProblem = badProtocol(p.protocol);
    if (protocolProblem !== undefined) (out ??= []).push({ jsonPath: `spec.ports[${i}].protocol`, message: `Service port protocol ${protocolProblem}` });
    const t = p.targetPort;
    // unset, 0 and "" all default to the port itself
    if (t === undefined || t === 0 || t === '') continue;
    if (typeof t === 'string' && /^\d+$/.test(t)) {
      // JSON and YAML keep a quoted number a string, and the API reads a string targetPort as a port name
      (out ??= []).push({ jsonPath: `spec.ports[${i}].targetPort`, message: `Service targetPort ${JSON.stringify(t)} is a quoted number: the API reads it as a port name, which needs a letter; write it unquoted` });
      continue;
    }
    const ok = typeof t === 'number' ? Number.isInteger(t) && t >= 1 && t <= 65535 : typeof t === 'string' && validPortName(t);
    if (!ok) (out ??= []).push({ jsonPath: `spec.ports[${i}].targetPort`, message: `Service targetPort ${JSON.stringify(t)} is not a valid port name or number` });
    else if (typeof t === 'string') (named ??= []).push({ i, name: t });
  }
  if (named !== undefined) {
    const unresolved = unresolvedNames(doc, index, named);
    if (unresolved.length > 0) out = [...(out ?? []), ...unresolved];
  }
  return out ?? NONE;
}

/** A pod's container port names: valid, and once per container (pod-local). */
const podPorts = podLocalCheck((pod) => {
  const out: Violation[] = [];
  for (const r of containersOf(pod)) {
    const seen = new Set<string>();
    arr(r.c.ports).forEach((p0, i) => {
      // JSON and YAML keep a quoted number a string, and the API takes only a number for these fields
      for (const f of NUMBER_FIELDS) {
        const v = o(p0)[f];
        if (typeof v === 'number') {
          // containerPort is required, 1..65535; hostPort 0 means none
          const min = f === 'containerPort' ? 1 : 0;
          if (!Number.isInteger(v) || v < min || v > 65535) {
            out.push({ jsonPath: `${r.path}.ports[${i}].${f}`, message: `Container ${f} ${v} is not a port number from ${min === 1 ? 1 : '1 (or 0, none)'} to 65535: the API refuses it` });
          }
          continue;
        }
        if (typeof v !== 'string') continue;
        out.push({
          jsonPath: `${r.path}.ports[${i}].${f}`,
          message: /^\s*\d+\s*$/.test(v)
            ? `Container ${f} ${JSON.stringify(v)} is a quoted number: the API takes only a number there and refuses the string; write it unquoted`
            : `Container ${f} ${JSON.stringify(v)} is not a port number: the API takes only a number from 1 to 65535 there`,
        });
      }
      const protocolProblem = badProtocol(o(p0).protocol);
      if (protocolProblem !== undefined) out.push({ jsonPath: `${r.path}.ports[${i}].protocol`, message: `Container port protocol ${protocolProblem}` });
      const n = o(p0).name;
      if (n === undefined) return;
      if (typeof n !== 'string' || !validPortName(n)) {
        out.push({ jsonPath: `${r.path}.ports[${i}].name`, message: `Port name ${JSON.stringify(n)} is not a valid IANA service name` });
      } else if (seen.has(n)) {
        out.push({ jsonPath: `${r.path}.ports[${i}].name`, message: `Port name ${n} is used twice in the container` });
      }
      if (typeof n === 'string') seen.add(n);
    });
    // a probe's port name resolves among the container's own ports only: one it does not declare never resolves,
    // so the probe always fails (SS-K8S-036, a warning, also covers undeclared numbers, which may still answer)
    for (const probe of PROBES) {
      const pr = r.c[probe];
      if (pr === null || typeof pr !== 'object') continue;
      for (const h of HANDLERS) {
        const port = o(pr[h]).port;
        const at = `${r.path}.${probe}.${h}.port`;
        if (handlerPort(port, at, out) || typeof port !== 'string' || seen.has(port)) continue;
        out.push({ jsonPath: at, message: `Probe port name ${JSON.stringify(port)} is not a port the container declares: the kubelet cannot resolve it, so the probe always fails` });
      }
      const grpc = pr.grpc;
      if (grpc !== null && typeof grpc === 'object' && grpc.port !== undefined && !(typeof grpc.port === 'number' && Number.isInteger(grpc.port) && grpc.port >= 1 && grpc.port <= 65535)) {
        out.push({ jsonPath: `${r.path}.${probe}.grpc.port`, message: `Probe grpc port ${JSON.stringify(grpc.port)} is not a port number from 1 to 65535: a gRPC probe takes a number only (no name, not quoted), and the API refuses it` });
      }
    }
    // lifecycle hooks' ports are read as a probe's are
    for (const hook of HOOKS) {
      const hk = o(o(r.c.lifecycle)[hook]);
      for (const h of HANDLERS) handlerPort(o(hk[h]).port, `${r.path}.lifecycle.${hook}.${h}.port`, out);
    }
  }
  return out;
});

/**
 * Reports the port of an httpGet or tcpSocket handler that the API refuses (a quoted number, which it reads as a name
 * and a name needs a letter; a number out of range; a name that is no IANA service name); true when it did.
 */
function handlerPort(port: unknown, at: string, out: Violation[]): boolean {
  if (port === undefined) return false;
  if (typeof port === 'number') {
    if (Number.isInteger(port) && port >= 1 && port <= 65535) return false;
    out.push({ jsonPath: at, message: `Port ${port} is not a port number from 1 to 65535: the API refuses it` });
    return true;
  }
  if (typeof port === 'string' && /^\s*\d+\s*$/.test(port)) {
    out.push({ jsonPath: at, message: `Port ${JSON.stringify(port)} is a quoted number: the API reads it as a port name, which needs a letter, and refuses it; write it unquoted` });
    return true;
  }
  if (typeof port !== 'string' || !validPortName(port)) {
    out.push({ jsonPath: at, message: `Port ${JSON.stringify(port)} is neither a port number nor a valid port name (at most 15 lowercase letters, digits and single dashes): the API refuses it` });
    return true;
  }
  return false;
}

/** The protocols the API takes for a port, as it spells them. */
const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];

/** What is wrong with a port's protocol (`"tcp" is not one of ...`), or undefined (unset, or one of PROTOCOLS). */
function badProtocol(protocol: unknown): string | undefined {
  if (protocol === undefined || PROTOCOLS.includes(protocol as string)) return undefined;
  const meant = typeof protocol === 'string' ? PROTOCOLS.find(x => x === protocol.toUpperCase()) : undefined;
  return `${JSON.stringify(protocol)} is not one of ${PROTOCOLS.join(', ')}: the API refuses it${meant ? `; write ${meant}` : ''}`;
}

/** The container port fields the API reads as numbers only. */
const NUMBER_FIELDS = ['containerPort', 'hostPort'];
const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'];
const HANDLERS = ['httpGet', 'tcpSocket'];
const HOOKS = ['postStart', 'preStop'];

/** SS-K8S-053 — docs/rules.md#ss-k8s-053. */
export const validPorts = k8sRule({
  id: 'SS-K8S-053',
  title: 'Valid port names and target ports',
  catalog: ['K8S-NET-06'],
  severity: ERROR,
  message: 'Invalid, missing or duplicate port name, quoted or out-of-range port, unknown protocol, duplicate Service port, invalid target port, or a probe port name the container does not declare',
  fix: 'name container ports with at most 15 lowercase letters, digits and single dashes, uniquely per container, and Service ports with DNS labels (at most 63 lowercase letters, digits and "-"), uniquely per Service, every one of them when it has several; '
    + 'write containerPort, hostPort, Service ports and probe and hook ports as numbers from 1 to 65535 (unquoted) or, where a name is allowed, a declared name; protocols as TCP, UDP or SCTP; list each Service port number once per protocol; targetPort is a container port name declared by the pods the Service selects, or 1..65535 (unquoted); probe a port by a name its container declares',
  rationale: 'Invalid or duplicate port names (a container port\'s is an IANA service name of at most 15 characters, a Service port\'s a DNS label of at most 63), a Service port number listed twice for one protocol, a Service of several ports with an unnamed one, '
    + 'a containerPort or hostPort written as a string (a quoted "8080"), a port out of 1..65535 (container, Service, probe, lifecycle hook), a protocol other than TCP, UDP and SCTP as spelled (tcp is refused), '
    + 'a quoted number as a probe\'s or hook\'s port (a name to the API, which needs a letter), a gRPC probe port that is no number, and out-of-range target ports are refused by the API or route traffic nowhere; a probe on a port name its container does not declare never resolves, so the probe always fails. A quoted number as targetPort '
    + 'is a name to the API, and refused (a name needs a letter); an unset, 0 or empty targetPort defaults to the port. A named targetPort resolves per '
    + 'pod: when no pod the Service selects in the output declares that container port name, the port has no endpoint.',
  kinds: [...POD_KINDS, 'Service'],
  check: (doc, index) => (doc.kind === 'Service' ? servicePorts(doc, index) : podPorts(doc, index)),
});
