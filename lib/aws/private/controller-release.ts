import { Construct } from 'constructs';
import { fitName, MAX_IAM_ROLE_NAME } from './names';
import { HelmReleaseProfile } from '../../core/karpenter-profile';
import type { IEksCluster } from '../eks-cluster';
import { PolicyStatement } from '../policy-statement';
import { IdentityMechanism, WorkloadIdentity } from '../workload-identity';

/** What a cluster controller installed from a Helm chart needs on the AWS side. @internal */
export interface ControllerReleaseProps {
  readonly cluster: IEksCluster;
  /** The chart's name, also the release's and the IAM role's suffix. */
  readonly name: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly statements: PolicyStatement[];
  readonly repository: string;
  readonly version: string;
  readonly values: { [path: string]: string };
}

/**
 * The Pod Identity role of a controller (`<cluster>-<name>`, trusted by exactly its namespace and ServiceAccount,
 * construct id `identity` under `scope`) and its Helm release as plain values, the release naming that identity.
 * @internal
 */
export function controllerRelease(scope: Construct, props: ControllerReleaseProps): { identity: WorkloadIdentity; release: HelmReleaseProfile } {
  const identity = new WorkloadIdentity(scope, 'identity', {
    cluster: props.cluster,
    namespace: props.namespace,
    serviceAccount: props.serviceAccount,
    mechanism: IdentityMechanism.POD_IDENTITY,
    roleName: fitName(props.cluster.clusterName, `-${props.name}`, MAX_IAM_ROLE_NAME),
    statements: props.statements,
  });
  const release: HelmReleaseProfile = {
    repository: props.repository,
    chart: props.name,
    version: props.version,
    releaseName: props.name,
    namespace: props.namespace,
    values: props.values,
    serviceAccountName: props.serviceAccount,
    identity: identity.profile,
  };
  return { identity, release };
}
