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

/**
 * The namespaced built-in kinds, and the namespaced custom resources shipshape writes or meets often: with
 * `CLUSTER_SCOPED_KINDS`, the kinds a rule's `kinds` list is compared with, to catch a slip (`deployment`,
 * `Deployments`) that would silently match nothing.
 */
export const NAMESPACED_WELL_KNOWN_KINDS: ReadonlySet<string> = new Set([
  'Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob', 'Service', 'Endpoints',
  'EndpointSlice', 'ConfigMap', 'Secret', 'ServiceAccount', 'PersistentVolumeClaim', 'Ingress', 'NetworkPolicy', 'PodDisruptionBudget',
  'HorizontalPodAutoscaler', 'ResourceQuota', 'LimitRange', 'Role', 'RoleBinding', 'Lease', 'Event', 'PodTemplate', 'ControllerRevision',
  'CSIStorageCapacity', 'ResourceClaim', 'ResourceClaimTemplate', 'VolumeSnapshot', 'Gateway', 'HTTPRoute', 'GRPCRoute', 'TLSRoute',
  'TCPRoute', 'UDPRoute', 'ReferenceGrant', 'Certificate', 'Issuer', 'ScaledObject', 'ScaledJob', 'TriggerAuthentication', 'Application',
  'ApplicationSet', 'AppProject', 'VirtualService', 'DestinationRule', 'PeerAuthentication', 'AuthorizationPolicy', 'Sidecar',
  'ServiceEntry', 'Server', 'ServerAuthorization', 'ServiceProfile', 'ExternalSecret', 'SecretStore',
  'Backup', 'Schedule', 'Restore', 'ServiceMonitor', 'PodMonitor', 'PrometheusRule', 'VerticalPodAutoscaler',
]);
