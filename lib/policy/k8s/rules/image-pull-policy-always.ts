import { ALL, containerCheck, k8sRule, WARNING } from '../define';
import { POD_KINDS } from '../pod';

const bad = (c: any) => c.imagePullPolicy !== 'Always';

/** SS-K8S-031 — RULES K8S-IMG-03. */
export const imagePullPolicyAlways = k8sRule({
  id: 'SS-K8S-031',
  catalog: ['K8S-IMG-03'],
  severity: WARNING,
  message: 'imagePullPolicy is not Always',
  fix: 'set imagePullPolicy: Always on every container',
  kinds: POD_KINDS,
  check: (doc) => containerCheck(doc, ALL, bad, '.imagePullPolicy'),
});
