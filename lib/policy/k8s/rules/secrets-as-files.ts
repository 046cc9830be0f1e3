import { Violation } from '../../rule';
import { k8sPodRule, WARNING } from '../define';
import { arr, containersOf, isObj, o, POD_KINDS } from '../pod';

/** SS-K8S-061 — docs/rules.md#ss-k8s-061. */
export const secretsAsFiles = k8sPodRule({
  id: 'SS-K8S-061',
  title: 'Secrets as files, not environment variables',
  catalog: ['K8S-IDN-05'],
  severity: WARNING,
  message: 'Container reads a Secret through environment variables',
  fix: 'mount the Secret as a volume (secret or projected) and read the file',
  rationale: 'Environment variables leak into crash dumps, child processes and logs, and do not change when the Secret rotates; a mounted file does.',
  sources: ['CIS EKS 4.4.1', 'EKS Best Practices: use volume mounts instead of environment variables'],
  kinds: POD_KINDS,
  podCheck: (pod) => {
    const out: Violation[] = [];
    for (const r of containersOf(pod)) {
      arr(r.c.env).forEach((e, i) => {
        if (isObj(o(o(e).valueFrom).secretKeyRef)) out.push({ jsonPath: `${r.path}.env[${i}].valueFrom.secretKeyRef` });
      });
      arr(r.c.envFrom).forEach((e, i) => {
        if (isObj(o(e).secretRef)) out.push({ jsonPath: `${r.path}.envFrom[${i}].secretRef` });
      });
    }
    return out;
  },
});
