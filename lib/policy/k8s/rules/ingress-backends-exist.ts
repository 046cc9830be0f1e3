import { Violation } from '../../rule';
import { ERROR, k8sRule } from '../define';
import { arr, isObj, o } from '../pod';

/** SS-K8S-054 — RULES K8S-NET-07. */
export const ingressBackendsExist = k8sRule({
  id: 'SS-K8S-054',
  catalog: ['K8S-NET-07'],
  severity: ERROR,
  message: 'Ingress backend is not a Service port in the output',
  fix: 'point backend.service.name and port (number or name) at a Service port in the same namespace',
  kinds: ['Ingress'],
  check: (doc, index) => {
    const spec = o(doc.manifest.spec);
    const backends: [any, string][] = [];
    if (isObj(spec.defaultBackend)) backends.push([spec.defaultBackend, 'spec.defaultBackend']);
    arr(spec.rules).forEach((r, i) => arr(o(o(r).http).paths).forEach((p, j) => {
      backends.push([o(o(p).backend), `spec.rules[${i}].http.paths[${j}].backend`]);
    }));
    const out: Violation[] = [];
    for (const [b, path] of backends) {
      const svc = o(b.service);
      if (!isObj(b.service)) continue; // resource backends are out of scope
      const target = typeof svc.name === 'string' ? index.find('Service', svc.name, doc.namespace) : undefined;
      if (!target) {
        out.push({ jsonPath: `${path}.service.name`, message: `Ingress backend Service ${JSON.stringify(svc.name ?? null)} is not in the output` });
        continue;
      }
      const port = o(svc.port);
      const ports = arr(o(target.manifest.spec).ports).map(o);
      const ok = port.number !== undefined ? ports.some(p => p.port === port.number)
        : port.name !== undefined ? ports.some(p => p.name === port.name) : false;
      if (!ok) out.push({ jsonPath: `${path}.service.port`, message: `Service ${svc.name} has no port ${JSON.stringify(port.number ?? port.name ?? null)}` });
    }
    return out;
  },
});
