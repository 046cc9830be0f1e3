import { ERROR, k8sRule, NONE } from '../define';
import { isObj, o, podLabels, podOfDoc } from '../pod';
import { selectorMatches } from '../selectors';

/** SS-K8S-056 — docs/rules.md#ss-k8s-056. */
export const statefulsetHeadlessService = k8sRule({
  id: 'SS-K8S-056',
  title: 'StatefulSet headless Service',
  catalog: ['K8S-NET-09'],
  severity: ERROR,
  message: 'StatefulSet serviceName is not a headless Service selecting its pods',
  fix: 'set spec.serviceName to a Service in the same namespace with clusterIP: None and a selector on the pod labels',
  rationale: 'A StatefulSet\'s pods get their stable DNS names from its headless Service; without one that selects them, peers cannot find each other.',
  kinds: ['StatefulSet'],
  check: (doc, index) => {
    const name = o(doc.manifest.spec).serviceName;
    if (typeof name !== 'string' || name === '') return [{ jsonPath: 'spec.serviceName' }];
    const svc = index.find('Service', name, doc.namespace);
    const said = `Service ${name}, the StatefulSet's serviceName,`;
    if (svc === undefined) return [{ jsonPath: 'spec.serviceName', message: `${said} is not in the output` }];
    const pod = podOfDoc(doc)!;
    const sspec = o(svc.manifest.spec);
    // name each way the Service falls short, and only those
    const short: string[] = [];
    if (sspec.clusterIP !== 'None') {
      short.push(`is not headless (its clusterIP is ${sspec.clusterIP === undefined ? 'unset' : JSON.stringify(sspec.clusterIP)}, not None)`);
    }
    const labels = podLabels(pod);
    const shown = (l: { [k: string]: unknown }) => Object.entries(l).map(([k, v]) => `${k}=${v}`).join(', ');
    if (!isObj(sspec.selector)) {
      short.push('does not select the StatefulSet\'s pods (it has no selector)');
    } else if (!selectorMatches({ matchLabels: sspec.selector }, labels)) {
      const podsSaid = Object.keys(labels).length === 0 ? 'the pods have no labels' : `the pods are labelled ${shown(labels)}`;
      short.push(`does not select the StatefulSet's pods (its selector is ${shown(sspec.selector)}; ${podsSaid})`);
    }
    return short.length === 0 ? NONE : [{ jsonPath: 'spec.serviceName', message: `${said} ${short.join(' and ')}` }];
  },
});
