import type { HelmReleaseProfile, KarpenterNodePoolProfile, KarpenterProfile } from './karpenter-profile';
import { EnvironmentProfile } from './profile';

/**
 * A taint on a node pool, in Kubernetes spelling (`NoSchedule`, `PreferNoSchedule`, `NoExecute`).
 */
export interface TaintProfile {
  /** The taint key. */
  readonly key: string;
  /**
   * The taint value.
   * @default - no value
   */
  readonly value?: string;
  /** The effect, in Kubernetes spelling: `NoSchedule`, `PreferNoSchedule` or `NoExecute`. */
  readonly effect: string;
}

/**
 * What a workload needs to know about one node pool to be scheduled onto it (or kept off it).
 */
export interface NodePoolProfile {
  /** The node pool's name (the managed node group name). */
  readonly name: string;
  /** The Kubernetes labels every node of the pool carries (use them in nodeSelector / affinity). */
  readonly labels: { [key: string]: string };
  /** The taints every node of the pool carries (pods need matching tolerations). */
  readonly taints: TaintProfile[];
  /** `ON_DEMAND` or `SPOT`. */
  readonly capacityType: string;
  /** The EC2 instance types the pool may use. */
  readonly instanceTypes: string[];
  /** CPU architecture of the nodes: `amd64` or `arm64` (the `kubernetes.io/arch` label value). */
  readonly architecture: string;
  /** The availability zones the pool spans. */
  readonly zones: string[];
  /** Minimum node count. */
  readonly minSize: number;
  /** Maximum node count: the most nodes an autoscaler may give the pool (see `autoscaled`). */
  readonly maxSize: number;
  /**
   * The node count the pool holds when nothing scales it (`autoscaled` false): the node group's desired size.
   * @default - minSize
   */
  readonly desiredSize?: number;
  /**
   * Whether something (the cluster-autoscaler) changes the pool's node count between `minSize` and `maxSize`. When
   * false the pool holds `desiredSize` nodes and no more: the synth checks count those, and refuse a workload that fits
   * only pools holding no node. `aws.EksCluster` sets it from its `nodeGroupScaling`; a profile written by hand that
   * leaves it out is counted as before, with up to maxSize nodes.
   * @default true
   */
  readonly autoscaled?: boolean;
  /**
   * The Kubernetes version the pool's nodes (their kubelets) run, when older than the control plane's (`1.N`): during
   * an upgrade the control plane goes first. The app's Kubernetes target is then the oldest of the two, so nothing
   * reaches a node that its kubelet cannot run (native sidecars need 1.29 on the node too).
   * @default - the cluster's kubernetesVersion
   */
  readonly kubernetesVersion?: string;
}

/**
 * A storage class the cluster offers (to be created on the Kubernetes side).
 */
export interface StorageClassProfile {
  /** The StorageClass name. */
  readonly name: string;
  /** The CSI provisioner, for example `ebs.csi.aws.com` (a qualified name: `k8s.App` refuses another). */
  readonly provisioner: string;
  /** Whether it should be the cluster's default StorageClass (`k8s.App` refuses a profile with more than one). */
  readonly isDefault: boolean;
  /** StorageClass parameters (for example `type: gp3`, `encrypted: "true"`). */
  readonly parameters: { [key: string]: string };
  /** `WaitForFirstConsumer` (zonal volumes) or `Immediate` (`k8s.App` refuses another value). */
  readonly volumeBindingMode: string;
  /** Whether volumes can be expanded. */
  readonly allowVolumeExpansion: boolean;
  /** `Delete` or `Retain` (`k8s.App` refuses another value). */
  readonly reclaimPolicy: string;
}

/**
 * An ingress class the cluster offers (an IngressClass object on the Kubernetes side) and the controller that
 * serves it.
 *
 * The cluster-resources file writes the IngressClass object itself. When the controller's Helm chart also creates
 * one of that name (ingress-nginx does unless `controller.ingressClassResource.enabled=false`; the AWS Load Balancer
 * Controller's chart unless `createIngressClassResource=false`, which the releases of `aws.LoadBalancerController` and the add-on pack
 * already set), turn the chart's off: two owners of one object fight (Helm refuses to adopt an object it did not
 * create, and each apply undoes the other's default-class annotation).
 */
export interface IngressClassProfile {
  /** The IngressClass name, for example `alb`. */
  readonly name: string;
  /** The controller name in `spec.controller`, for example `ingress.k8s.aws/alb` or `eks.amazonaws.com/alb`. */
  readonly controller: string;
  /** Whether it is the cluster's default IngressClass (used by Ingresses that name none; `k8s.App` refuses a profile with more than one). */
  readonly isDefault: boolean;
  /**
   * The Helm release that installs the controller, when the cluster does not run it itself.
   * @default - the controller is built into the cluster (EKS Auto Mode) or installed elsewhere
   */
  readonly controllerRelease?: HelmReleaseProfile;
  /**
   * The namespace the controller's pods run in (for NetworkPolicy peers).
   * @default - kube-system
   */
  readonly controllerNamespace?: string;
  /**
   * Labels of the controller's pods (for NetworkPolicy peers).
   * @default - { "app.kubernetes.io/name": <name> }
   */
  readonly controllerPodLabels?: { [key: string]: string };
}

/**
 * An IAM identity bound to one Kubernetes ServiceAccount.
 */
export interface WorkloadIdentityProfile {
  /** The ServiceAccount's namespace. */
  readonly namespace: string;
  /** The ServiceAccount's name. */
  readonly serviceAccount: string;
  /** The IAM role name (plain). */
  readonly roleName: string;
  /**
   * `irsa` (the ServiceAccount needs the annotation) or `pod-identity` (no annotation needed); a workload given an
   * identity with any other mechanism is refused (its pods would get no AWS credentials).
   */
  readonly mechanism: string;
  /**
   * The annotations the ServiceAccount needs (`eks.amazonaws.com/role-arn` for IRSA).
   * Plain when the cluster knows its account id; otherwise empty (the ARN is only known
   * after apply: read it from the Terraform outputs).
   */
  readonly serviceAccountAnnotations: { [key: string]: string };
  /**
   * The EKS cluster the identity belongs to (its role trusts that cluster only): a workload given the identity of
   * another cluster is refused at synth.
   * @default - not known (a hand-written profile): not checked
   */
  readonly clusterName?: string;
}

/**
 * What workloads need to know about a cluster, as plain values (no Terraform tokens), so the
 * Kubernetes side (cdk8s) can consume it: zones, node pools with their labels and taints,
 * storage classes, region, OIDC issuer, workload identities.
 */
export interface ClusterProfile {
  /** The EKS cluster name. */
  readonly clusterName: string;
  /** The Kubernetes minor version, for example `1.33`. */
  readonly kubernetesVersion: string;
  /** The environment the cluster serves. */
  readonly environment: EnvironmentProfile;
  /** The AWS region, for example `eu-west-1`. */
  readonly region: string;
  /**
   * The AWS account id.
   * @default - unknown until apply
   */
  readonly account?: string;
  /**
   * The CIDR of the cluster's VPC (load balancers reach the pods from it).
   * @default - not known
   */
  readonly vpcCidr?: string;
  /**
   * Whether the nodes' subnets reach the internet (through NAT gateways). False for a network that reaches AWS only
   * through VPC endpoints (`aws.Network({ internetAccess: false })` with `aws.VpcEndpoints`): the NetworkPolicy of a
   * workload with an AWS identity then lets it reach HTTPS in the VPC (`vpcCidr`) only, where the endpoints are,
   * instead of every address.
   * @default true
   */
  readonly internetAccess?: boolean;
  /** The availability zones the cluster's nodes span (`topology.kubernetes.io/zone` values). */
  readonly zones: string[];
  /** The node pools. */
  readonly nodePools: NodePoolProfile[];
  /**
   * The storage classes the cluster's CSI drivers support. An empty list means they are not known (a fleet cluster
   * given by its version alone), not that the cluster has none: claims are then not checked against the profile, and
   * a claim that names no class is written without one (the cluster's default class takes it).
   */
  readonly storageClasses: StorageClassProfile[];
  /**
   * Whether NetworkPolicy objects are enforced (VPC CNI network policy agent). Where they are not, a meshed workload
   * that admits callers without a mesh identity (an unmeshed ingress controller, gateway or scraper) is refused at
   * synth: only its NetworkPolicy would have limited those plaintext ports to those callers.
   */
  readonly networkPolicyEnforced: boolean;
  /**
   * The OIDC issuer URL, when known as a plain value.
   * @default - known only after apply: read the Terraform output named by `oidcIssuerOutput`
   */
  readonly oidcIssuer?: string;
  /**
   * Name of the Terraform output that carries the OIDC issuer URL (set by `aws.EksCluster.profile`).
   * @default - none: a cluster shipshape's Terraform did not create
   */
  readonly oidcIssuerOutput?: string;
  /**
   * The workload identities (IAM roles bound to ServiceAccounts). When the list is not empty, a workload given an
   * identity it does not list (another cluster's) is refused at synth.
   * @default - none known: a workload's identity is not checked against the cluster
   */
  readonly workloadIdentities?: WorkloadIdentityProfile[];
  /**
   * Karpenter on the cluster: controller release, node class and node pools.
   * @default - Karpenter is not installed
   */
  readonly karpenter?: KarpenterProfile;
  /**
   * Whether EKS Auto Mode runs the cluster's compute, block storage and load balancing.
   * @default false
   */
  readonly autoMode?: boolean;
  /**
   * The built-in node pools EKS Auto Mode runs on the cluster: `general-purpose` (untainted, amd64, on-demand) and
   * `system` (tainted CriticalAddonsOnly, amd64 and arm64). Workloads are checked against them, and against
   * `autoModeNodePools`.
   * @default - both, when autoMode is true
   */
  readonly autoModeBuiltInPools?: string[];
  /**
   * NodePools for EKS Auto Mode beside its built-in ones (karpenter.sh NodePools on the
   * eks.amazonaws.com `default` NodeClass).
   * @default - none
   */
  readonly autoModeNodePools?: KarpenterNodePoolProfile[];
  /**
   * The ingress classes the cluster offers.
   * @default - none known: Ingresses name their class themselves
   */
  readonly ingressClasses?: IngressClassProfile[];
  /**
   * Helm releases the cluster needs besides its managed add-ons (controllers whose IAM identity the cluster
   * created), for a GitOps tool or `helm upgrade --install` to install.
   * @default - none
   */
  readonly helmReleases?: HelmReleaseProfile[];
}
