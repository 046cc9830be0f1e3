import { ERROR, k8sPodRule } from '../define';
import { containersOf, POD_KINDS } from '../pod';

/** True when an image reference names a tag other than latest, or a digest. */
export function hasFixedTag(image: any): boolean {
  if (typeof image !== 'string' || image === '') return false;
  if (image.includes('@')) return true;
  const slash = image.lastIndexOf('/');
  const last = image.slice(slash + 1);
  const colon = last.lastIndexOf(':');
  if (colon < 0) return false;
  const tag = last.slice(colon + 1);
  return tag !== '' && tag !== 'latest';
}

/** SS-K8S-029 — docs/rules.md#ss-k8s-029. */
export const imageTag = k8sPodRule({
  id: 'SS-K8S-029',
  title: 'Image tag, not latest',
  catalog: ['K8S-IMG-01'],
  severity: ERROR,
  message: 'Image has no tag, or the tag is latest',
  fix: 'pin the image to a version tag (repo:1.2.3) or a digest (repo:1.2.3@sha256:...)',
  rationale: 'A missing or latest tag makes every roll-out pull whatever the tag points to that day: roll-outs and roll-backs are not repeatable.',
  sources: ['Trivy KSV-0013', 'EKS Best Practices: use immutable tags with ECR'],
  kinds: POD_KINDS,
  podCheck: (pod) => {
    return containersOf(pod, true).filter(r => !hasFixedTag(r.c.image))
      .map(r => ({ jsonPath: `${r.path}.image`, message: `Image ${JSON.stringify(r.c.image ?? null)} has no tag, or the tag is latest` }));
  },
});
