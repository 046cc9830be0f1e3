import { Violation } from '../../rule';
import { k8sPodRule, WARNING } from '../define';
import { containersOf, isWindowsPod, POD_KINDS, sc } from '../pod';

const MIN = 10001;

/** SS-K8S-005 — docs/rules.md#ss-k8s-005 (10001 or more at pod and container level). */
export const highUidGid = k8sPodRule({
  id: 'SS-K8S-005',
  title: 'High user and group ids',
  catalog: ['K8S-SEC-05'],
  severity: WARNING,
  message: 'Container user or group id is below 10001 or not set at container level',
  fix: 'set runAsUser and runAsGroup to 10001 or more on the pod securityContext and on every container securityContext; an image that owns its '
    + 'files as a lower id (postgres as 999) keeps it: accept the warning with a reason, Policy.suppress(workload, \'SS-K8S-005\', \'<why>\') '
    + 'or the annotation suppress.shipshape.io/SS-K8S-005',
  rationale: 'An id of 10001 or more never collides with a user of the node (system accounts sit below 10000); set at container level it satisfies every scanner.',
  sources: ['Trivy KSV-0020, KSV-0021'],
  kinds: POD_KINDS,
  podCheck: (pod) => {
    if (isWindowsPod(pod)) return undefined; // the API refuses runAsUser and runAsGroup on Windows pods
    const psc = sc(pod.spec);
    const out: Violation[] = [];
    for (const f of ['runAsUser', 'runAsGroup']) {
      // a quoted number is SS-K8S-100's (the API refuses it as it is)
      if (psc[f] !== undefined && typeof psc[f] !== 'string' && !(typeof psc[f] === 'number' && psc[f] >= MIN)) {
        out.push({ jsonPath: `${pod.path}.securityContext.${f}`, message: `Pod ${f} is ${JSON.stringify(psc[f])}, below 10001` });
      }
    }
    for (const r of containersOf(pod)) {
      const csc = sc(r.c);
      for (const f of ['runAsUser', 'runAsGroup']) {
        const v = csc[f];
        if ((typeof v === 'number' && v >= MIN) || typeof v === 'string' || (v === undefined && typeof psc[f] === 'string')) continue;
        // say which: a low id, or an id only inherited from the pod (or none at all)
        const inherited = typeof psc[f] === 'number' && psc[f] >= MIN;
        const message = v !== undefined ? `Container ${f} is ${JSON.stringify(v)}, below 10001`
          : inherited ? `Container ${f} is not set at container level (it inherits ${psc[f]} from the pod; scanners that read containers alone see none)`
            : psc[f] !== undefined ? `Container ${f} is not set at container level (it inherits ${JSON.stringify(psc[f])} from the pod, below 10001)`
              : `Container ${f} is not set, on the container or the pod (the image's user applies)`;
        out.push({ jsonPath: `${r.path}.securityContext.${f}`, message });
      }
    }
    return out;
  },
});
