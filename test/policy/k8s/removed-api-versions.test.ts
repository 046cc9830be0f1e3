import { KubernetesPack, PolicyEngine } from '../../../lib/policy';
import { k8sDocument } from '../../../lib/policy/runner';

// SS-K8S-069: the group/versions no Kubernetes shipshape targets (1.27 and later) serves. The fixtures here are written
// for these tests: one small object of each kind, under its old apiVersion.

const rule = new KubernetesPack().rules.find(r => r.id === 'SS-K8S-069')!;

/** What SS-K8S-069 says of one object of `kind` written with `apiVersion`. */
function said(apiVersion: string, kind: string, namespaced = false): string[] {
  const m = { apiVersion, kind, metadata: { name: 'x', ...(namespaced ? { namespace: 'shop' } : {}) } };
  return new PolicyEngine({ packs: [{ name: 'one', rules: [rule] }] }).check([k8sDocument(m, 'c/x')]).findings.map(f => `${f.jsonPath}: ${f.message}`);
}

describe('SS-K8S-069 removed apiVersions', () => {
  test('every group/version removed by 1.27 is reported, with the release and the apiVersion to write', () => {
    expect(said('flowcontrol.apiserver.k8s.io/v1beta1', 'FlowSchema')).toEqual(['apiVersion: Object uses the removed apiVersion flowcontrol.apiserver.k8s.io/v1beta1 '
      + '(FlowSchema flowcontrol.apiserver.k8s.io/v1beta1 was removed in Kubernetes 1.26); use flowcontrol.apiserver.k8s.io/v1 (Kubernetes 1.29 and later; v1beta3 on 1.27 and 1.28)']);
    expect(said('storage.k8s.io/v1beta1', 'CSIStorageCapacity', true)).toEqual(['apiVersion: Object uses the removed apiVersion storage.k8s.io/v1beta1 '
      + '(CSIStorageCapacity storage.k8s.io/v1beta1 was removed in Kubernetes 1.27); use storage.k8s.io/v1']);
    const reported: Array<[string, string, string]> = [
      ['discovery.k8s.io/v1beta1', 'EndpointSlice', 'discovery.k8s.io/v1'],
      ['node.k8s.io/v1beta1', 'RuntimeClass', 'node.k8s.io/v1'],
      ['rbac.authorization.k8s.io/v1beta1', 'ClusterRole', 'rbac.authorization.k8s.io/v1'],
      ['scheduling.k8s.io/v1beta1', 'PriorityClass', 'scheduling.k8s.io/v1'],
      ['apiextensions.k8s.io/v1beta1', 'CustomResourceDefinition', 'apiextensions.k8s.io/v1'],
      ['events.k8s.io/v1beta1', 'Event', 'events.k8s.io/v1'],
      ['certificates.k8s.io/v1beta1', 'CertificateSigningRequest', 'certificates.k8s.io/v1'],
      ['coordination.k8s.io/v1beta1', 'Lease', 'coordination.k8s.io/v1'],
      ['admissionregistration.k8s.io/v1beta1', 'ValidatingWebhookConfiguration', 'admissionregistration.k8s.io/v1'],
      ['storage.k8s.io/v1beta1', 'StorageClass', 'storage.k8s.io/v1'],
      ['extensions/v1beta1', 'Deployment', 'apps/v1'],
      ['extensions/v1beta1', 'Ingress', 'networking.k8s.io/v1'],
      ['autoscaling/v2beta2', 'HorizontalPodAutoscaler', 'autoscaling/v2'],
      ['batch/v1beta1', 'CronJob', 'batch/v1'],
      ['policy/v1beta1', 'PodDisruptionBudget', 'policy/v1'],
    ];
    for (const [v, kind, use] of reported) expect(said(v, kind)).toEqual([expect.stringMatching(new RegExp(`removed apiVersion ${v.replace(/\./g, '\\.')} .*; use ${use.replace(/\./g, '\\.')}$`))]);
    expect(said('extensions/v1beta1', 'Ingress')[0]).toContain('was removed in Kubernetes 1.22');
    expect(said('extensions/v1beta1', 'Deployment')[0]).toContain('was removed in Kubernetes 1.16');
  });

  test('a PodSecurityPolicy is told it has no successor (no policy/v1 PodSecurityPolicy exists): Pod Security admission replaces it', () => {
    expect(said('policy/v1beta1', 'PodSecurityPolicy')).toEqual(['apiVersion: Object uses the removed apiVersion policy/v1beta1 (PodSecurityPolicy policy/v1beta1 was removed in '
      + 'Kubernetes 1.25); PodSecurityPolicy was removed in 1.25; label the namespace for Pod Security admission instead']);
  });

  test('kinds served today under a group/version that came back, and versions removed after 1.27, are not reported', () => {
    expect(said('admissionregistration.k8s.io/v1beta1', 'ValidatingAdmissionPolicy')).toEqual([]);
    expect(said('certificates.k8s.io/v1beta1', 'ClusterTrustBundle')).toEqual([]);
    expect(said('coordination.k8s.io/v1beta1', 'LeaseCandidate')).toEqual([]);
    expect(said('networking.k8s.io/v1beta1', 'IPAddress')).toEqual([]);
    expect(said('storage.k8s.io/v1beta1', 'VolumeAttributesClass')).toEqual([]);
    expect(said('flowcontrol.apiserver.k8s.io/v1beta3', 'FlowSchema')).toEqual([]);
    expect(said('apps/v1', 'Deployment')).toEqual([]);
  });
});
