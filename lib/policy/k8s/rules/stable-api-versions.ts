import { ERROR, k8sRule, NONE } from '../define';

/**
 * One group/version the API server no longer serves on any Kubernetes shipshape targets (1.27 and later): the release
 * that removed it, the kinds it is removed for (a group/version that later came back for new kinds lists the old ones
 * only) and what to write instead, per kind.
 */
interface Removed {
  readonly removedIn: string;
  /** The kinds removed; undefined: every kind of the group/version. */
  readonly kinds?: readonly string[];
  /** The apiVersion to write instead (per kind where it differs), or a sentence where there is none. */
  readonly instead: string | { readonly [kind: string]: string };
}

/** The removed group/versions (Kubernetes' deprecated API migration guide, 1.16 to 1.27). */
const REMOVED: { readonly [apiVersion: string]: Removed } = {
  'extensions/v1beta1': {
    removedIn: '1.16',
    instead: {
      Deployment: 'apps/v1',
      DaemonSet: 'apps/v1',
      ReplicaSet: 'apps/v1',
      Ingress: 'networking.k8s.io/v1',
      NetworkPolicy: 'networking.k8s.io/v1',
      PodSecurityPolicy: 'no apiVersion: PodSecurityPolicy was removed in 1.25; label the namespace for Pod Security admission instead',
    },
  },
  'apps/v1beta1': { removedIn: '1.16', instead: 'apps/v1' },
  'apps/v1beta2': { removedIn: '1.16', instead: 'apps/v1' },
  'batch/v1beta1': { removedIn: '1.25', instead: 'batch/v1' },
  'policy/v1beta1': {
    removedIn: '1.25',
    instead: { PodSecurityPolicy: 'no apiVersion: PodSecurityPolicy was removed in 1.25; label the namespace for Pod Security admission instead', PodDisruptionBudget: 'policy/v1' },
  },
  'networking.k8s.io/v1beta1': { removedIn: '1.22', kinds: ['Ingress', 'IngressClass'], instead: 'networking.k8s.io/v1' },
  'autoscaling/v2beta1': { removedIn: '1.25', instead: 'autoscaling/v2' },
  'autoscaling/v2beta2': { removedIn: '1.26', instead: 'autoscaling/v2' },
  'discovery.k8s.io/v1beta1': { removedIn: '1.25', instead: 'discovery.k8s.io/v1' },
  'events.k8s.io/v1beta1': { removedIn: '1.25', instead: 'events.k8s.io/v1' },
  'node.k8s.io/v1beta1': { removedIn: '1.25', instead: 'node.k8s.io/v1' },
  'flowcontrol.apiserver.k8s.io/v1beta1': { removedIn: '1.26', instead: 'flowcontrol.apiserver.k8s.io/v1 (Kubernetes 1.29 and later; v1beta3 on 1.27 and 1.28)' },
  'storage.k8s.io/v1beta1': {
    removedIn: '1.22',
    kinds: ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment', 'CSIStorageCapacity'],
    instead: 'storage.k8s.io/v1',
  },
  'rbac.authorization.k8s.io/v1beta1': { removedIn: '1.22', instead: 'rbac.authorization.k8s.io/v1' },
  'scheduling.k8s.io/v1beta1': { removedIn: '1.22', instead: 'scheduling.k8s.io/v1' },
  'apiextensions.k8s.io/v1beta1': { removedIn: '1.22', instead: 'apiextensions.k8s.io/v1' },
  'apiregistration.k8s.io/v1beta1': { removedIn: '1.22', instead: 'apiregistration.k8s.io/v1' },
  // admissionregistration.k8s.io/v1beta1 came back in 1.28 for ValidatingAdmissionPolicy
  'admissionregistration.k8s.io/v1beta1': { removedIn: '1.22', kinds: ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'], instead: 'admissionregistration.k8s.io/v1' },
  // certificates.k8s.io/v1beta1 came back in 1.33 for ClusterTrustBundle, coordination.k8s.io/v1beta1 for LeaseCandidate
  'certificates.k8s.io/v1beta1': { removedIn: '1.22', kinds: ['CertificateSigningRequest'], instead: 'certificates.k8s.io/v1' },
  'coordination.k8s.io/v1beta1': { removedIn: '1.22', kinds: ['Lease'], instead: 'coordination.k8s.io/v1' },
};

/** The kinds that left their group/version in another release than its other kinds. */
const REMOVED_IN_BY_KIND: { readonly [key: string]: string } = { 'extensions/v1beta1 Ingress': '1.22', 'storage.k8s.io/v1beta1 CSIStorageCapacity': '1.27' };

/** SS-K8S-069 — docs/rules.md#ss-k8s-069. */
export const stableApiVersions = k8sRule({
  id: 'SS-K8S-069',
  title: 'Stable API versions',
  catalog: ['K8S-META-05'],
  severity: ERROR,
  message: 'Object uses a removed beta apiVersion',
  fix: 'use the apiVersion the finding names (apps/v1, batch/v1, policy/v1, networking.k8s.io/v1, autoscaling/v2, ...); a PodSecurityPolicy has none: '
    + 'label the namespace for Pod Security admission instead',
  rationale: 'The beta apiVersions listed were removed by Kubernetes 1.27 at the latest (Kubernetes\' deprecated API migration guide): objects that use '
    + 'them cannot be applied to a supported cluster. A group/version that later came back for new kinds is reported for its removed kinds only '
    + '(admissionregistration.k8s.io/v1beta1 for webhooks, not ValidatingAdmissionPolicy; certificates.k8s.io/v1beta1 for CertificateSigningRequest; '
    + 'coordination.k8s.io/v1beta1 for Lease). Versions removed after 1.27 (flowcontrol.apiserver.k8s.io/v1beta2 in 1.29, v1beta3 in 1.32) are '
    + 'not reported: a 1.27 cluster still serves them, and the check does not know the cluster\'s version.',
  sources: ['Trivy KSV-0107', 'EKS Best Practices: identify and remediate removed API usage'],
  differences: [
    {
      peer: 'kube-score',
      checks: ['stable-version'],
      direction: 'stricter',
      reason: 'kube-score judges against the Kubernetes version it is told (1.18 in its tests, where batch/v1beta1 was current); shipshape targets 1.27 and later, where every listed version is removed.',
    },
  ],
  check: (doc) => {
    const m = doc.manifest;
    const v = m?.apiVersion;
    if (typeof v !== 'string') return undefined;
    const removed = Object.prototype.hasOwnProperty.call(REMOVED, v) ? REMOVED[v] : undefined;
    if (removed === undefined || (removed.kinds !== undefined && !removed.kinds.includes(doc.kind))) return NONE;
    const instead = typeof removed.instead === 'string' ? removed.instead : removed.instead[doc.kind];
    const removedIn = REMOVED_IN_BY_KIND[`${v} ${doc.kind}`] ?? removed.removedIn;
    const use = instead === undefined ? '' : instead.startsWith('no apiVersion') ? `; ${instead.replace(/^no apiVersion: /, '')}` : `; use ${instead}`;
    return [{ jsonPath: 'apiVersion', message: `Object uses the removed apiVersion ${v} (${doc.kind} ${v} was removed in Kubernetes ${removedIn})${use}` }];
  },
});
