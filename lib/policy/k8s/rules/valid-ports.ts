import { PolicyDocument, Violation } from '../../rule';
import { ERROR, k8sRule, NONE, podLocalCheck } from '../define';
import { arr, containersOf, o, POD_KINDS } from '../pod';

const IANA = /^(?=.*[a-z])[a-z0-9]([a-z0-9]|-(?!-))*[a-z0-9]$|^[a-z]$/;

/** True when a port name is a valid IANA_SVC_NAME (at most 15 characters). */
export function validPortName(n: string): boolean {
  return n.length <= 15 && IANA.test(n);
}

/** A Service's target ports: numbers in range or valid names. */
function servicePorts(doc: PolicyDocument): Violation[] {
  const ports = arr(o(doc.manifest.spec).ports);
  let out: Violation[] | undefined;
  for (let i = 0; i < ports.length; i++) {
    const t = o(ports[i]).targetPort;
    // unset, 0 and "" all default to the port itself
    if (t === undefined || t === 0 || t === '') continue;
    if (typeof t === 'string' && /^\d+$/.test(t)) {
      // JSON and YAML keep a quoted number a string, and the API reads a string targetPort as a port name
      (out ??= []).push({ jsonPath: `spec.ports[${i}].targetPort`, message: `Service targetPort ${JSON.stringify(t)} is a quoted number: the API reads it as a port name, which needs a letter; write it unquoted` });
      continue;
    }
    const ok = typeof t === 'number' ? Number.isInteger(t) && t >= 1 && t <= 65535 : typeof t === 'string' && validPortName(t);
    if (!ok) (out ??= []).push({ jsonPath: `spec.ports[${i}].targetPort`, message: `Service targetPort ${JSON.stringify(t)} is not a valid port name or number` });
  }
  return out ?? NONE;
}

/** A pod's container port names: valid, and once per container (pod-local). */
const podPorts = podLocalCheck((pod) => {
  const out: Violation[] = [];
  for (const r of containersOf(pod)) {
    const seen = new Set<string>();
    arr(r.c.ports).forEach((p0, i) => {
      const n = o(p0).name;
      if (n === undefined) return;
      if (typeof n !== 'string' || !validPortName(n)) {
        out.push({ jsonPath: `${r.path}.ports[${i}].name`, message: `Port name ${JSON.stringify(n)} is not a valid IANA service name` });
      } else if (seen.has(n)) {
        out.push({ jsonPath: `${r.path}.ports[${i}].name`, message: `Port name ${n} is used twice in the container` });
      }
      if (typeof n === 'string') seen.add(n);
    });
  }
  return out;
});

/** SS-K8S-053 — docs/rules.md#ss-k8s-053. */
export const validPorts = k8sRule({
  id: 'SS-K8S-053',
  title: 'Valid port names and target ports',
  catalog: ['K8S-NET-06'],
  severity: ERROR,
  message: 'Invalid or duplicate port name, or invalid target port',
  fix: 'name ports with at most 15 lowercase letters, digits and single dashes, uniquely per container; targetPort is such a name or 1..65535 (unquoted)',
  rationale: 'Invalid or duplicate port names and out-of-range target ports are refused by the API or route traffic nowhere. A quoted number as targetPort '
    + 'is a name to the API, and refused (a name needs a letter); an unset, 0 or empty targetPort defaults to the port.',
  kinds: [...POD_KINDS, 'Service'],
  check: (doc, index) => (doc.kind === 'Service' ? servicePorts(doc) : podPorts(doc, index)),
});
