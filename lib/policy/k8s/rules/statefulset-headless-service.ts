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
    const pod = podOfDoc(doc)!;
    const sspec = o(svc?.manifest.spec);
    const ok = svc !== undefined && sspec.clusterIP === 'None' && isObj(sspec.selector) &&
      selectorMatches({ matchLabels: sspec.selector }, podLabels(pod));
    return ok ? NONE : [{ jsonPath: 'spec.serviceName', message: `Service ${name} is missing, not headless, or does not select the pods` }];
  },
});
