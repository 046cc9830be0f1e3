import { k8sPodRule, WARNING } from '../define';
import { containersOf, POD_KINDS } from '../pod';
import { hasFixedTag } from './image-tag';

// An exact release (1.4.2, v2.0.1-rc.1, 1.25.3-alpine) or a commit id (3f2a9c1, sha-3f2a9c1): tags teams do not move.
const EXACT_TAG = /^(v?\d+\.\d+\.\d+([-+._][0-9A-Za-z._+-]*)?|(sha-)?[0-9a-f]{7,64})$/;

// A MAJOR.MINOR tag (16.4, 1.25-alpine): many images move it to each patch release, for others it is the exact release.
const MAJOR_MINOR = /^v?\d+\.\d+([-+_][0-9A-Za-z._+-]*)?$/;
// A major version alone (16, v3, 16-alpine): moved to each release of that major version.
const MAJOR = /^v?\d+([-+_][0-9A-Za-z._+-]*)?$/;

/** What a tag that is not an exact release says about it. */
function floating(image: string, tag: string): string {
  if (MAJOR_MINOR.test(tag)) {
    return `Image ${image} uses the tag ${tag}, which may float: many images move a MAJOR.MINOR tag to each patch release (for others it is the exact release); a digest pins it either way`;
  }
  if (MAJOR.test(tag)) return `Image ${image} uses the floating tag ${tag}: a major-version tag moves to each new release of that major version`;
  if (!/\d/.test(tag)) return `Image ${image} uses the floating tag ${tag}: a channel or variant name moves to each new release it stands for`;
  return `Image ${image} uses the tag ${tag}, which is neither an exact version (1.2.3) nor a commit id: it may be moved; a digest pins it`;
}

/** The tag of an image reference without a digest, or undefined. */
function tagOf(image: string): string | undefined {
  const last = image.slice(image.lastIndexOf('/') + 1);
  const colon = last.lastIndexOf(':');
  return colon < 0 ? undefined : last.slice(colon + 1);
}

/** SS-K8S-030 — docs/rules.md#ss-k8s-030. */
export const imageDigest = k8sPodRule({
  id: 'SS-K8S-030',
  title: 'Image pinned by digest or an exact version',
  catalog: ['K8S-IMG-02'],
  severity: WARNING,
  message: 'Image uses a tag that may move, and no digest',
  fix: 'reference the image by a digest (repo:1.2.3@sha256:<digest>), or by an exact version tag (repo:1.2.3) where the image has one '
    + '(an image whose exact release is MAJOR.MINOR, postgres:16.4, has no longer tag: pin its digest)',
  rationale: 'A floating tag is moved by its publisher, so the same manifest runs different code over time. A channel or variant name (stable, alpine) and a major version '
    + '(16) float; a MAJOR.MINOR tag (1.25) floats for many images (moved to each patch release) and is the exact release for others (registry.k8s.io/pause:3.10), '
    + 'which the rule cannot tell apart, so its finding says the tag may float. An exact release tag (1.4.2) or a commit id is what teams do not move, and a digest pins the content itself.',
  sources: ['EKS Best Practices: use immutable tags with ECR'],
  differences: [
    {
      peer: 'checkov',
      checks: ['CKV_K8S_43'],
      direction: 'laxer',
      reason: 'Checkov asks every image for a digest; shipshape accepts an exact release or commit-id tag too (the EKS guide\'s immutable tags), and warns about floating tags.',
    },
  ],
  kinds: POD_KINDS,
  podCheck: (pod) => {
    return containersOf(pod, true).filter(r => {
      const image = r.c.image;
      // no tag or latest is SS-K8S-029's finding (an error); a digest pins the content
      if (!hasFixedTag(image) || image.includes('@')) return false;
      return !EXACT_TAG.test(tagOf(image) ?? '');
    }).map(r => ({ jsonPath: `${r.path}.image`, message: floating(r.c.image, tagOf(r.c.image) ?? '') }));
  },
});
