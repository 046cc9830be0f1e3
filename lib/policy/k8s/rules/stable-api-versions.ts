import { ERROR, k8sRule } from '../define';

const DEPRECATED = new Set([
  'extensions/v1beta1', 'apps/v1beta1', 'apps/v1beta2', 'batch/v1beta1', 'policy/v1beta1', 'networking.k8s.io/v1beta1',
  'autoscaling/v2beta1', 'autoscaling/v2beta2',
]);

/** SS-K8S-069 — RULES K8S-META-05. */
export const stableApiVersions = k8sRule({
  id: 'SS-K8S-069',
  catalog: ['K8S-META-05'],
  severity: ERROR,
  message: 'Object uses a removed beta apiVersion',
  fix: 'use apps/v1, batch/v1, policy/v1, networking.k8s.io/v1 or autoscaling/v2',
  check: (doc) => {
    const v = doc.manifest?.apiVersion;
    if (typeof v !== 'string') return undefined;
    return DEPRECATED.has(v) ? [{ jsonPath: 'apiVersion', message: `Object uses the removed apiVersion ${v}` }] : [];
  },
});
