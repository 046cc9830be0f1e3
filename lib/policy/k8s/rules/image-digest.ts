import { k8sRule, WARNING } from '../define';
import { containersOf, podOfDoc, POD_KINDS } from '../pod';

/** SS-K8S-030 — RULES K8S-IMG-02. */
export const imageDigest = k8sRule({
  id: 'SS-K8S-030',
  catalog: ['K8S-IMG-02'],
  severity: WARNING,
  message: 'Image is not pinned by digest',
  fix: 'reference the image as repo:1.2.3@sha256:<digest>',
  kinds: POD_KINDS,
  check: (doc) => {
    const pod = podOfDoc(doc)!;
    return containersOf(pod, true).filter(r => !(typeof r.c.image === 'string' && r.c.image.includes('@sha256:')))
      .map(r => ({ jsonPath: `${r.path}.image` }));
  },
});
