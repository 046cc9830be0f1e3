import { ALL_EPHEMERAL, containerCheck, k8sRule, WARNING } from '../define';
import { POD_KINDS } from '../pod';

const bad = (c: any) => !(typeof c.image === 'string' && c.image.includes('@sha256:'));

/** SS-K8S-030 — RULES K8S-IMG-02. */
export const imageDigest = k8sRule({
  id: 'SS-K8S-030',
  catalog: ['K8S-IMG-02'],
  severity: WARNING,
  message: 'Image is not pinned by digest',
  fix: 'reference the image as repo:1.2.3@sha256:<digest>',
  kinds: POD_KINDS,
  check: (doc) => containerCheck(doc, ALL_EPHEMERAL, bad, '.image'),
});
