import { k8sRule, WARNING } from '../define';
import { containersOf, podOfDoc, POD_KINDS } from '../pod';

/** SS-K8S-031 — RULES K8S-IMG-03. */
export const imagePullPolicyAlways = k8sRule({
  id: 'SS-K8S-031',
  catalog: ['K8S-IMG-03'],
  severity: WARNING,
  message: 'imagePullPolicy is not Always',
  fix: 'set imagePullPolicy: Always on every container',
  kinds: POD_KINDS,
  check: (doc) => {
    const pod = podOfDoc(doc)!;
    return containersOf(pod).filter(r => r.c.imagePullPolicy !== 'Always')
      .map(r => ({ jsonPath: `${r.path}.imagePullPolicy` }));
  },
});
