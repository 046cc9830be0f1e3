import { ALL, containerCheck, k8sPodRule, WARNING } from '../define';
import { containersOf, podOf, POD_KINDS } from '../pod';
import { hasFixedTag } from './image-tag';

/** The policies the API knows; another value (`always`) is SS-K8S-097's, which the API refuses. */
const KNOWN = ['Always', 'IfNotPresent', 'Never'];
// an unset (or empty) policy is Always when the image has no tag or the latest tag (the API server's default)
const bad = (c: any) => {
  const p = c.imagePullPolicy;
  const unset = p === undefined || p === null || p === '';
  if (!unset && !KNOWN.includes(p)) return false;
  return p !== 'Always' && !(unset && typeof c.image === 'string' && !hasFixedTag(c.image));
};

/** SS-K8S-031 — docs/rules.md#ss-k8s-031. */
export const imagePullPolicyAlways = k8sPodRule({
  id: 'SS-K8S-031',
  title: 'Image pull policy Always',
  catalog: ['K8S-IMG-03'],
  severity: WARNING,
  message: 'imagePullPolicy is not Always',
  fix: 'set imagePullPolicy: Always on every container',
  rationale: 'Always makes the kubelet check the registry (and the pull secret) on every start, so a pod never runs a stale or unauthorised local copy.',
  differences: [
    {
      peer: 'polaris',
      checks: ['pullPolicyNotAlways'],
      direction: 'laxer',
      reason: 'An image with no tag or the latest tag gets imagePullPolicy Always from the API server when the field is unset; Polaris reads only the field, shipshape (like kube-score) the effective value. Such images fail SS-K8S-029 anyway.',
      when: (m: any) => { const p = podOf(m); return !!p && containersOf(p).some(r => r.c.imagePullPolicy === undefined && !hasFixedTag(r.c.image)); },
    },
  ],
  kinds: POD_KINDS,
  podCheck: (pod) => containerCheck(pod, ALL, bad, '.imagePullPolicy'),
});
