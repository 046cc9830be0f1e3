import { Violation } from '../../rule';
import { ERROR, k8sPodRule } from '../define';
import { containersOf, o, POD_KINDS, sc } from '../pod';

const PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

/** SS-K8S-017 — docs/rules.md#ss-k8s-017. */
export const apparmorNotUnconfined = k8sPodRule({
  id: 'SS-K8S-017',
  title: 'AppArmor not unconfined',
  catalog: ['K8S-SEC-17'],
  severity: ERROR,
  message: 'AppArmor profile is unconfined',
  fix: 'use appArmorProfile.type RuntimeDefault or Localhost (annotation runtime/default or localhost/<name>)',
  rationale: 'An unconfined AppArmor profile removes the runtime\'s default confinement of file, mount and network access.',
  sources: ['Trivy KSV-0002'],
  kinds: POD_KINDS,
  podCheck: (pod) => {
    const out: Violation[] = [];
    const ok = (t: any) => t === undefined || t === 'RuntimeDefault' || t === 'Localhost';
    if (!ok(o(sc(pod.spec).appArmorProfile).type)) out.push({ jsonPath: `${pod.path}.securityContext.appArmorProfile.type` });
    for (const r of containersOf(pod, true)) {
      if (!ok(o(sc(r.c).appArmorProfile).type)) out.push({ jsonPath: `${r.path}.securityContext.appArmorProfile.type` });
    }
    const ann = o(pod.meta.annotations);
    for (const k of Object.keys(ann)) {
      if (!k.startsWith(PREFIX)) continue;
      const v = String(ann[k]);
      if (v !== 'runtime/default' && !v.startsWith('localhost/')) {
        out.push({ jsonPath: `${pod.metaPath}.annotations["${k}"]` });
      }
    }
    return out;
  },
});
