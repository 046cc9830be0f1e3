import { k8sRule, WARNING } from '../define';
import { containersOf, podOfDoc, POD_KINDS } from '../pod';

/**
 * The default trusted registries (Trivy KSV-0125's built-in list in spirit: the managed registries of
 * the big clouds). Patterns are matched against the registry host of the image.
 */
export const DEFAULT_TRUSTED_REGISTRIES = [
  '*.dkr.ecr.*.amazonaws.com', 'public.ecr.aws', '*.azurecr.io', 'gcr.io', '*.gcr.io', '*-docker.pkg.dev',
];

function hostOf(image: string): string {
  const slash = image.indexOf('/');
  if (slash < 0) return 'docker.io';
  const first = image.slice(0, slash);
  return first.includes('.') || first.includes(':') || first === 'localhost' ? first : 'docker.io';
}

function glob(pattern: string): RegExp {
  return new RegExp('^' + pattern.split('*').map(s => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*') + '$');
}

/** SS-K8S-032 — RULES K8S-IMG-04 (trusted registries are configurable on the pack). */
export function trustedRegistry(registries: string[] = DEFAULT_TRUSTED_REGISTRIES) {
  const res = registries.map(glob);
  return k8sRule({
    id: 'SS-K8S-032',
    catalog: ['K8S-IMG-04'],
    severity: WARNING,
    message: 'Image comes from a registry that is not trusted',
    fix: 'pull from a trusted registry (configure KubernetesPack trustedRegistries), e.g. a mirror in ECR',
    kinds: POD_KINDS,
    check: (doc) => {
      const pod = podOfDoc(doc)!;
      return containersOf(pod, true).filter(r => {
        if (typeof r.c.image !== 'string') return false;
        const host = hostOf(r.c.image);
        return !res.some(re => re.test(host));
      }).map(r => ({ jsonPath: `${r.path}.image`, message: `Image registry ${hostOf(r.c.image)} is not trusted` }));
    },
  });
}
