import { Violation } from '../../rule';
import { ERROR, k8sRule, NONE } from '../define';
import { o } from '../pod';

/** A DNS-1123 label: at most 63 lowercase alphanumerics and `-`, starting and ending with an alphanumeric. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** A DNS-1035 label: a DNS-1123 label that starts with a letter (Service names). */
const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** Kinds whose names are DNS-1123 labels (at most 63 characters, no dots). */
const LABEL_KINDS = new Set(['Namespace']);
/** Kinds whose names are DNS-1035 labels. */
const DNS_1035_KINDS = new Set(['Service']);
/**
 * Built-in kinds whose names are DNS-1123 subdomains (at most 253 characters: dot-separated labels). Other kinds (RBAC
 * objects, whose names may hold `:`, and custom resources, whose CRDs decide) only need a name usable in a URL path.
 */
const SUBDOMAIN_KINDS = new Set([
  'Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob', 'ConfigMap', 'Secret', 'ServiceAccount',
  'PersistentVolumeClaim', 'PersistentVolume', 'StorageClass', 'Ingress', 'IngressClass', 'NetworkPolicy', 'PodDisruptionBudget',
  'HorizontalPodAutoscaler', 'PriorityClass', 'ResourceQuota', 'LimitRange', 'Endpoints', 'EndpointSlice', 'CSIDriver', 'RuntimeClass',
]);

/** A DNS subdomain (RFC 1123): what most object names, an Ingress's class and a TLS Secret's name must be. */
export function subdomain(name: string): boolean {
  return name.length <= 253 && name.split('.').every(l => DNS_LABEL.test(l));
}

/** Why `name` is no name of an object of `kind`, or undefined. */
function problem(kind: string, name: string, manualSelector: boolean): string | undefined {
  // the common case first: a short DNS label is a name of every kind (but a Service's starting with a digit, a long CronJob's)
  if (name.length <= 52 && DNS_LABEL.test(name) && (!DNS_1035_KINDS.has(kind) || DNS_1035_LABEL.test(name))) return undefined;
  if (name === '.' || name === '..' || /[/%]/.test(name)) return 'may not be "." or ".." or hold "/" or "%"';
  if (DNS_1035_KINDS.has(kind) && !(name.length <= 63 && DNS_1035_LABEL.test(name))) {
    return 'must be at most 63 lowercase letters, digits and "-", starting with a letter and ending with a letter or digit';
  }
  if (LABEL_KINDS.has(kind) && !(name.length <= 63 && DNS_LABEL.test(name))) return 'must be at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit';
  if (SUBDOMAIN_KINDS.has(kind) && !subdomain(name)) {
    return 'must be at most 253 characters of lowercase letters, digits, "-" and ".", each dot-separated part starting and ending with a letter or digit';
  }
  if (kind === 'CronJob' && name.length > 52) return 'must be at most 52 characters (the Jobs it creates add 11)';
  // the API server writes a Job's name into its pods' job-name labels (unless it selects its pods itself), and a label value holds 63
  if (kind === 'Job' && name.length > 63 && !manualSelector) return 'must be at most 63 characters: the API server writes it into the job-name label of the Job\'s pods, which holds 63';
  return undefined;
}

/** SS-K8S-089 — docs/rules.md#ss-k8s-089. */
export const validObjectName = k8sRule({
  id: 'SS-K8S-089',
  title: 'Valid object name and namespace',
  catalog: ['K8S-META-04'],
  severity: ERROR,
  message: 'Object name or namespace is not one the API accepts',
  fix: 'name the object with lowercase letters, digits and "-" (and "." where the kind allows it), starting with a letter or digit (a Service: with a letter) and ending with a letter or digit',
  rationale: 'The API server refuses an object without a name (unless it has generateName), with a name its kind does not allow (uppercase, "_", too long; '
    + 'a Service name must start with a letter; a CronJob name is at most 52 characters, a Job name 63 unless it sets manualSelector), or in a namespace that is not a DNS label: kubectl apply fails on it. '
    + 'RBAC objects (whose names may hold ":") and custom resources (whose CRDs decide) only need a name usable in a URL.',
  check: (doc) => {
    const m = doc.manifest;
    if (typeof m?.apiVersion !== 'string' || typeof m?.kind !== 'string') return undefined;
    const meta = o(m.metadata);
    let out: Violation[] | undefined;
    if (meta.name === undefined || meta.name === '') {
      if (typeof meta.generateName !== 'string' || meta.generateName === '') (out ??= []).push({ jsonPath: 'metadata.name', message: 'Object has no metadata.name (nor generateName)' });
    } else if (typeof meta.name !== 'string') {
      (out ??= []).push({ jsonPath: 'metadata.name', message: `metadata.name is not a string (${JSON.stringify(meta.name)})` });
    } else {
      const why = problem(m.kind, meta.name, m.kind === 'Job' && o(m.spec).manualSelector === true);
      if (why) (out ??= []).push({ jsonPath: 'metadata.name', message: `${m.kind} name ${JSON.stringify(meta.name)} ${why}` });
    }
    const ns = meta.namespace;
    // an output names a few namespaces many times over: the last valid one is not read again
    if (ns !== undefined && ns !== lastValidNamespace) {
      if (typeof ns === 'string' && ns.length <= 63 && DNS_LABEL.test(ns)) {
        lastValidNamespace = ns;
      } else {
        (out ??= []).push({ jsonPath: 'metadata.namespace', message: `metadata.namespace ${JSON.stringify(ns)} must be at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit` });
      }
    }
    return out ?? NONE;
  },
});

/** The namespace the check last found valid. */
let lastValidNamespace: string | undefined;
