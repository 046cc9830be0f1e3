import { DocumentIndex } from '../../document-index';
import { PolicyDocument, Violation } from '../../rule';
import { k8sRule, NONE, WARNING } from '../define';
import { admits, apiGroup, GATEWAY_GROUP, gatewayInOutput, gatewayLabel, refersToGateway } from '../gateway';
import { arr, o } from '../pod';

/** True when every rule of the route only redirects to https (the plain-HTTP listener's usual route): it serves nothing in clear. */
function redirectsToHttps(spec: any): boolean {
  const rules = arr(spec.rules);
  return rules.length > 0 && rules.every(r => arr(o(r).filters).some(f => o(f).type === 'RequestRedirect' && o(o(f).requestRedirect).scheme === 'https'));
}

/** The finding for one parentRef of an HTTPRoute, or undefined. */
function plainListener(ref: any, i: number, route: PolicyDocument, index: DocumentIndex): Violation | undefined {
  if (!refersToGateway(ref) || typeof ref.name !== 'string') return undefined;
  const routeNs = route.namespace ?? '';
  const gatewayNs = typeof ref.namespace === 'string' ? ref.namespace : routeNs;
  const gateway = gatewayInOutput(index, ref.name, gatewayNs);
  const named = typeof ref.sectionName === 'string';
  const where = gatewayLabel(gatewayNs, ref.name);
  if (gateway === undefined) {
    // a Gateway of another output: only a route that names no listener is known to reach its plain-HTTP ones
    if (named || ref.port !== undefined) return undefined;
    return {
      jsonPath: `spec.parentRefs[${i}]`,
      message: `HTTPRoute names no listener (sectionName) of ${where}, so it attaches to every listener of it, plain-HTTP ones included`,
    };
  }
  const listeners = arr(o(gateway.manifest.spec).listeners).map(l => o(l))
    .filter(l => (named ? l.name === ref.sectionName : ref.port === undefined || l.port === ref.port) && admits(l, gatewayNs, routeNs));
  const plain = listeners.filter(l => l.protocol === 'HTTP').map(l => JSON.stringify(l.name));
  if (plain.length === 0) return undefined;
  const which = `${plain.length === 1 ? 'listener' : 'listeners'} ${plain.join(', ')}`;
  if (named) return { jsonPath: `spec.parentRefs[${i}].sectionName`, message: `HTTPRoute attaches to the plain-HTTP ${which} of ${where}` };
  if (ref.port !== undefined) return { jsonPath: `spec.parentRefs[${i}].port`, message: `HTTPRoute attaches by port ${ref.port} to the plain-HTTP ${which} of ${where}` };
  return { jsonPath: `spec.parentRefs[${i}]`, message: `HTTPRoute names no listener (sectionName) of ${where}, so it attaches to its plain-HTTP ${which} too` };
}

/** True when the TLS host `pattern` (a name, or `*.` and a domain) covers `host`: a wildcard stands for one label. */
function tlsCovers(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase();
  const h = host.toLowerCase();
  if (!p.startsWith('*.')) return p === h;
  const dot = h.indexOf('.');
  return dot > 0 && h.slice(dot) === p.slice(1);
}

/**
 * The rule hosts of an Ingress with TLS that no `spec.tls` entry lists: the controller serves them without the
 * certificate (plain HTTP, or its default certificate, which the browser refuses). A TLS entry without hosts is read
 * as covering every host (some controllers use its certificate as the default), so it leaves nothing to report.
 */
function uncoveredHosts(spec: any): Violation[] {
  const tls = arr(spec.tls).map(t => o(t));
  if (tls.some(t => !Array.isArray(t.hosts) || t.hosts.length === 0)) return NONE;
  const hosts = tls.flatMap(t => arr(t.hosts)).filter((h): h is string => typeof h === 'string');
  const out: Violation[] = [];
  arr(spec.rules).forEach((r, i) => {
    const host = o(r).host;
    if (typeof host !== 'string' || host === '' || hosts.some(p => tlsCovers(p, host))) return;
    out.push({ jsonPath: `spec.rules[${i}].host`, message: `Ingress host ${host} is in no spec.tls hosts: it is served without this Ingress's certificate` });
  });
  return out.length === 0 ? NONE : out;
}

/** SS-K8S-055 — docs/rules.md#ss-k8s-055. */
export const ingressTls = k8sRule({
  id: 'SS-K8S-055',
  title: 'Ingress and HTTPRoute TLS',
  catalog: ['K8S-NET-08'],
  severity: WARNING,
  message: 'Ingress has no TLS, or HTTPRoute attaches to a plain-HTTP Gateway listener',
  fix: 'for an Ingress, add spec.tls with every rule host and a certificate secret; for an HTTPRoute, attach it to the Gateway\'s HTTPS listener with sectionName '
    + '(or terminate TLS at the load balancer and record why)',
  rationale: 'Without TLS the traffic between clients and the ingress or Gateway is readable and changeable on the way. An HTTPRoute '
    + 'that names no listener (sectionName) attaches to every listener of its Gateway that admits it, plain-HTTP ones included; '
    + 'a route that only redirects to https serves nothing in clear. An Ingress rule host that no spec.tls entry lists is served '
    + 'without the Ingress\'s certificate.',
  sources: ['CIS EKS 5.4.5', 'EKS Best Practices: use encryption with AWS load balancers'],
  kinds: ['Ingress', 'HTTPRoute'],
  check: (doc, index) => {
    const spec = o(doc.manifest.spec);
    if (doc.kind === 'Ingress') return arr(spec.tls).length > 0 ? uncoveredHosts(spec) : [{ jsonPath: 'spec.tls', message: 'Ingress has no TLS' }];
    if (apiGroup(doc.manifest.apiVersion) !== GATEWAY_GROUP) return undefined;
    const refs = arr(spec.parentRefs).map(r => o(r));
    if (!refs.some(refersToGateway)) return undefined;
    if (redirectsToHttps(spec)) return NONE;
    return refs.map((r, i) => plainListener(r, i, doc, index)).filter((v): v is Violation => v !== undefined);
  },
});
