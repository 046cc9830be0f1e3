import { Violation } from '../../rule';
import { ERROR, k8sPodRule } from '../define';
import { arr, containersOf, o, POD_KINDS } from '../pod';

/** SS-K8S-064 — docs/rules.md#ss-k8s-064. */
export const noDuplicateEnv = k8sPodRule({
  id: 'SS-K8S-064',
  title: 'No duplicate environment variables',
  catalog: ['K8S-IDN-08'],
  severity: ERROR,
  message: 'Environment variable is defined twice in a container',
  fix: 'keep one definition per variable name',
  rationale: 'When a name is defined twice the last value silently wins, which is rarely what the author meant.',
  kinds: POD_KINDS,
  podCheck: (pod) => {
    const out: Violation[] = [];
    for (const r of containersOf(pod, true)) {
      const seen = new Set<string>();
      arr(r.c.env).forEach((e, i) => {
        const n = o(e).name;
        if (typeof n !== 'string') return;
        if (seen.has(n)) out.push({ jsonPath: `${r.path}.env[${i}].name`, message: `Environment variable ${n} is defined twice` });
        seen.add(n);
      });
    }
    return out;
  },
});
