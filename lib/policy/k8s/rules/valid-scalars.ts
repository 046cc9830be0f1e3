import { PolicyDocument, Violation } from '../../rule';
import { ERROR, k8sRule, podLocalCheck } from '../define';
import { containersOf, isObj, podOfDoc, POD_KINDS, PodRef } from '../pod';

/** What the API server reads in a field: a whole number, or true or false. */
type Scalar = 'int' | 'bool';
type Fields = ReadonlyArray<readonly [string, Scalar]>;

const POD_KIND_SET = new Set(POD_KINDS);
/** Pod spec fields outside the pod-local view (read per document). */
const POD_SPEC: Fields = [
  ['terminationGracePeriodSeconds', 'int'], ['activeDeadlineSeconds', 'int'], ['priority', 'int'],
  ['automountServiceAccountToken', 'bool'], ['shareProcessNamespace', 'bool'], ['enableServiceLinks', 'bool'],
  ['setHostnameAsFQDN', 'bool'], ['hostUsers', 'bool'],
];
/** Pod spec fields of the pod-local view. */
const POD_LOCAL: Fields = [['hostNetwork', 'bool'], ['hostPID', 'bool'], ['hostIPC', 'bool']];
const POD_SECURITY: Fields = [['runAsUser', 'int'], ['runAsGroup', 'int'], ['fsGroup', 'int'], ['runAsNonRoot', 'bool']];
const CONTAINER: Fields = [['stdin', 'bool'], ['stdinOnce', 'bool'], ['tty', 'bool']];
const CONTAINER_SECURITY: Fields = [
  ['runAsUser', 'int'], ['runAsGroup', 'int'],
  ['runAsNonRoot', 'bool'], ['privileged', 'bool'], ['allowPrivilegeEscalation', 'bool'], ['readOnlyRootFilesystem', 'bool'],
];
const PROBE: Fields = [
  ['initialDelaySeconds', 'int'], ['periodSeconds', 'int'], ['timeoutSeconds', 'int'], ['successThreshold', 'int'],
  ['failureThreshold', 'int'], ['terminationGracePeriodSeconds', 'int'],
];
const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'];
const HOOKS = ['postStart', 'preStop'];
/** A Job's spec (also a CronJob's job template). */
const JOB: Fields = [
  ['parallelism', 'int'], ['completions', 'int'], ['backoffLimit', 'int'], ['backoffLimitPerIndex', 'int'], ['maxFailedIndexes', 'int'],
  ['activeDeadlineSeconds', 'int'], ['ttlSecondsAfterFinished', 'int'], ['suspend', 'bool'], ['manualSelector', 'bool'],
];
/** The workload spec fields of each kind (those SS-K8S-098 does not read: replicas, revisionHistoryLimit, minReadySeconds). */
const WORKLOAD: { readonly [kind: string]: Fields } = {
  Deployment: [['progressDeadlineSeconds', 'int'], ['paused', 'bool']],
  Job: JOB,
  CronJob: [['startingDeadlineSeconds', 'int'], ['successfulJobsHistoryLimit', 'int'], ['failedJobsHistoryLimit', 'int'], ['suspend', 'bool']],
};

/** Why `v` is not what the API reads for a field of type `type`, or undefined (unset and null are fine). */
function problem(v: unknown, type: Scalar): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (type === 'int') {
    if (typeof v === 'number') return Number.isInteger(v) ? undefined : `is ${v}, not a whole number`;
    if (typeof v === 'string') {
      return /^\s*[-+]?[0-9]+\s*$/.test(v) ? `is the string ${JSON.stringify(v)}: the API refuses a quoted number; write ${Number(v)} unquoted`
        : `is the string ${JSON.stringify(v)}, not a whole number`;
    }
    return `is ${JSON.stringify(v) ?? String(v)}, not a whole number`;
  }
  if (typeof v === 'boolean') return undefined;
  if (typeof v === 'string' && /^(true|false)$/i.test(v.trim())) {
    return `is the string ${JSON.stringify(v)}: the API refuses a quoted boolean; write ${v.trim().toLowerCase()} unquoted`;
  }
  return `is ${JSON.stringify(v) ?? String(v)}, not true or false`;
}

/** Reports the fields of `x` (at `at`) whose value is not of their type. */
function checkFields(x: unknown, at: string, fields: Fields, out: Violation[]): void {
  if (!isObj(x)) return;
  for (let i = 0; i < fields.length; i++) {
    const [field, type] = fields[i];
    const why = problem((x as any)[field], type);
    if (why !== undefined) out.push({ jsonPath: `${at}.${field}`, message: `${field} ${why}` });
  }
}

/** The pod-local part: the containers, their probes and hooks, the pod security context and host namespaces. */
const podLocal = podLocalCheck((pod: PodRef | undefined) => {
  if (!pod) return undefined;
  const out: Violation[] = [];
  checkFields(pod.spec, pod.path, POD_LOCAL, out);
  checkFields(pod.spec.securityContext, `${pod.path}.securityContext`, POD_SECURITY, out);
  const groups = isObj(pod.spec.securityContext) ? pod.spec.securityContext.supplementalGroups : undefined;
  if (Array.isArray(groups)) {
    groups.forEach((g, i) => {
      const why = problem(g, 'int');
      if (why !== undefined) out.push({ jsonPath: `${pod.path}.securityContext.supplementalGroups[${i}]`, message: `supplementalGroups[${i}] ${why}` });
    });
  }
  for (const r of containersOf(pod, true)) {
    checkFields(r.c, r.path, CONTAINER, out);
    checkFields(r.c.securityContext, `${r.path}.securityContext`, CONTAINER_SECURITY, out);
    for (const p of PROBES) checkFields(r.c[p], `${r.path}.${p}`, PROBE, out);
    const lifecycle = r.c.lifecycle;
    if (isObj(lifecycle)) {
      for (const h of HOOKS) {
        const hook = lifecycle[h];
        if (isObj(hook)) checkFields(hook.sleep, `${r.path}.lifecycle.${h}.sleep`, [['seconds', 'int']], out);
      }
    }
  }
  return out;
});

/** The workload spec fields of `doc` (a Job's, a CronJob's and its job template's, a Deployment's). */
function checkWorkload(doc: PolicyDocument, out: Violation[]): void {
  const fields = WORKLOAD[doc.kind];
  const spec = doc.manifest.spec;
  if (fields === undefined || !isObj(spec)) return;
  checkFields(spec, 'spec', fields, out);
  if (doc.kind === 'CronJob' && isObj(spec.jobTemplate)) checkFields(spec.jobTemplate.spec, 'spec.jobTemplate.spec', JOB, out);
}

/** SS-K8S-100 — docs/rules.md#ss-k8s-100. */
export const validScalars = k8sRule({
  id: 'SS-K8S-100',
  title: 'Numbers and booleans, not strings',
  catalog: ['K8S-META-04'],
  severity: ERROR,
  message: 'A number or boolean field holds a string or another type the API server refuses',
  fix: 'write numbers and booleans unquoted (runAsUser: 10001, automountServiceAccountToken: false, periodSeconds: 5)',
  rationale: 'The API server reads fields such as runAsUser, fsGroup, terminationGracePeriodSeconds, a probe\'s periodSeconds, a Job\'s backoffLimit '
    + '(whole numbers) and automountServiceAccountToken, runAsNonRoot, privileged, readOnlyRootFilesystem, hostNetwork, suspend (booleans) by type: '
    + 'a quoted "10001" or "false", usually from a templated YAML value, makes `kubectl apply` fail. The rules that judge such a value (SS-K8S-005 '
    + 'on runAsUser, SS-K8S-057 on the token) leave a string to this rule. Replicas, revisionHistoryLimit, minReadySeconds and ports are '
    + 'SS-K8S-098\'s and SS-K8S-053\'s.',
  sources: ['Kubernetes API validation'],
  kinds: POD_KINDS,
  check: (doc, index) => {
    if (!POD_KIND_SET.has(doc.kind)) return undefined;
    const pod = podOfDoc(doc);
    const shared = podLocal(doc, index);
    let out: Violation[] | undefined;
    if (pod !== undefined) {
      // the common case, nothing to report, without allocating
      for (let i = 0; i < POD_SPEC.length; i++) {
        if (problem(pod.spec[POD_SPEC[i][0]], POD_SPEC[i][1]) !== undefined) {
          out = [];
          checkFields(pod.spec, pod.path, POD_SPEC, out);
          break;
        }
      }
    }
    if (WORKLOAD[doc.kind] !== undefined) {
      const own: Violation[] = [];
      checkWorkload(doc, own);
      if (own.length > 0) out = [...(out ?? []), ...own];
    }
    if (out === undefined) return shared;
    return [...out, ...(shared ?? [])];
  },
});
