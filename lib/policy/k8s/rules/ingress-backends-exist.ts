import { Violation } from '../../rule';
import { ERROR, k8sRule } from '../define';
import { arr, isObj, o } from '../pod';

/** SS-K8S-054 — docs/rules.md#ss-k8s-054. */
export const ingressBackendsExist = k8sRule({
  id: 'SS-K8S-054',
  title: 'Ingress backends exist',
  catalog: ['K8S-NET-07'],
  severity: ERROR,
  message: 'Ingress backend is not a Service port in the output',
  fix: 'point backend.service.name and port (number or name) at a Service port in the same namespace',
  rationale: 'A backend that names a missing Service or port answers 503. The removed v1beta1 shape (serviceName/servicePort) is read in v1beta1 objects and reported in networking.k8s.io/v1 ones, which do not have it.',
  kinds: ['Ingress'],
  check: (doc, index) => {
    const spec = o(doc.manifest.spec);
    const beta = String(doc.manifest.apiVersion).endsWith('v1beta1');
    const backends: [any, string][] = [];
    if (isObj(spec.defaultBackend)) backends.push([spec.defaultBackend, 'spec.defaultBackend']);
    if (isObj(spec.backend)) backends.push([spec.backend, 'spec.backend']); // v1beta1's default backend
    arr(spec.rules).forEach((r, i) => arr(o(o(r).http).paths).forEach((p, j) => {
      backends.push([o(o(p).backend), `spec.rules[${i}].http.paths[${j}].backend`]);
    }));
    const out: Violation[] = [];
    for (const [b, path] of backends) {
      // networking.k8s.io/v1: backend.service.{name, port.number | port.name};
      // the removed v1beta1 APIs (still met in old charts): backend.serviceName and backend.servicePort
      const legacy = !isObj(b.service) && b.serviceName !== undefined;
      if (legacy && !beta) {
        out.push({ jsonPath: `${path}.serviceName`, message: `Ingress backend uses serviceName/servicePort, which ${doc.manifest.apiVersion} does not have: it has no Service` });
        continue;
      }
      if (!isObj(b.service) && !legacy) continue; // resource backends are out of scope
      const svc = legacy ? { name: b.serviceName } : o(b.service);
      const namePath = legacy ? `${path}.serviceName` : `${path}.service.name`;
      const target = typeof svc.name === 'string' ? index.find('Service', svc.name, doc.namespace) : undefined;
      if (!target) {
        out.push({ jsonPath: namePath, message: `Ingress backend Service ${JSON.stringify(svc.name ?? null)} is not in the output` });
        continue;
      }
      const want = legacy ? b.servicePort : (o(svc.port).number ?? o(svc.port).name);
      const ports = arr(o(target.manifest.spec).ports).map(o);
      const ok = typeof want === 'number' ? ports.some(p => p.port === want)
        : typeof want === 'string' ? ports.some(p => p.name === want || (/^\d+$/.test(want) && p.port === Number(want))) : false;
      if (!ok) out.push({ jsonPath: legacy ? `${path}.servicePort` : `${path}.service.port`, message: `Service ${svc.name} has no port ${JSON.stringify(want ?? null)}` });
    }
    return out;
  },
});
