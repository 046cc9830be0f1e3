import { k8sRule, WARNING } from '../define';
import { containersOf, podOfDoc, POD_KINDS } from '../pod';

function hostOf(image: string): string {
  const slash = image.indexOf('/');
  if (slash < 0) return 'docker.io';
  const first = image.slice(0, slash);
  return first.includes('.') || first.includes(':') || first === 'localhost' ? first : 'docker.io';
}

/** A host pattern as a regular expression: `*` matches within the host; hosts compare without case, as DNS names do. */
function glob(pattern: string): RegExp {
  return new RegExp('^' + pattern.split('*').map(s => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*') + '$', 'i');
}

/**
 * SS-K8S-032 — docs/rules.md#ss-k8s-032. Trust is the organisation's list: with none configured the rule reports nothing
 * (a built-in guess such as "the big clouds' registries" flags the upstream images of Kubernetes itself).
 */
export function trustedRegistry(registries?: string[]) {
  // an empty list is no list (the rule is off), as the output record and `shipshape check` read it
  const res = registries !== undefined && registries.length > 0 ? registries.map(glob) : undefined;
  return k8sRule({
    id: 'SS-K8S-032',
    title: 'Trusted registry',
    catalog: ['K8S-IMG-04'],
    severity: WARNING,
    message: 'Image comes from a registry that is not trusted',
    fix: 'pull from a registry on the trusted list (KubernetesPack trustedRegistries), e.g. a mirror in your ECR',
    rationale: 'Images from registries outside the organisation\'s list escape its scanning and signing. Which registries to trust is the organisation\'s choice: with no list configured (KubernetesPack trustedRegistries) the rule reports nothing.',
    sources: ['Trivy KSV-0125', 'CIS EKS 5.1.4'],
    // unconfigured, the rule looks at no kind: the engine never calls it
    kinds: res ? POD_KINDS : [],
    check: (doc) => {
      if (!res) return undefined;
      const pod = podOfDoc(doc)!;
      return containersOf(pod, true).filter(r => {
        if (typeof r.c.image !== 'string') return false;
        const host = hostOf(r.c.image);
        return !res.some(re => re.test(host));
      }).map(r => ({ jsonPath: `${r.path}.image`, message: `Image registry ${hostOf(r.c.image)} is not trusted` }));
    },
  });
}
