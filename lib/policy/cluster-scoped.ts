// Internal: the kinds the API server keeps outside namespaces. Not re-exported by the barrel.

/**
 * Kinds that are not namespaced: the built-in ones (with PodSecurityPolicy, which clusters before 1.25 served) and
 * the cluster-wide custom resources shipshape writes or meets often (Karpenter, cert-manager, Gateway API, External
 * Secrets, KEDA, Kyverno, the EKS and AWS Load Balancer Controller IngressClassParams). Their metadata.namespace, if
 * any, is ignored; any other kind is taken as namespaced.
 */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'StorageClass', 'VolumeAttributesClass', 'CSIDriver', 'CSINode', 'VolumeAttachment',
  'ClusterRole', 'ClusterRoleBinding', 'PriorityClass', 'IngressClass', 'RuntimeClass', 'PodSecurityPolicy',
  'CustomResourceDefinition', 'APIService', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration',
  'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'MutatingAdmissionPolicy', 'MutatingAdmissionPolicyBinding',
  'CertificateSigningRequest', 'FlowSchema', 'PriorityLevelConfiguration', 'ComponentStatus', 'ServiceCIDR', 'IPAddress',
  'DeviceClass', 'ResourceSlice', 'GatewayClass', 'ClusterIssuer', 'NodePool', 'NodeClaim', 'EC2NodeClass', 'NodeClass',
  'ClusterSecretStore', 'ClusterExternalSecret', 'ClusterPushSecret', 'ClusterGenerator', 'ClusterTriggerAuthentication', 'ClusterPolicy',
  'ClusterCleanupPolicy', 'IngressClassParams',
]);
