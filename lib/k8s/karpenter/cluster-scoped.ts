import { ApiObject } from 'cdk8s';

/**
 * An ApiObject of a cluster-scoped kind (Karpenter's NodePool and EC2NodeClass): written without `metadata.namespace`
 * even in a chart with a namespace (cdk8s gives every object of such a chart the chart's namespace). A cluster-scoped
 * object carries no namespace: `kubectl apply` refuses one with a namespace given explicitly (`-n`), and tools that
 * key objects by namespace and name (Argo CD, diff tools) would see an object that never exists.
 * @internal
 */
export class ClusterScopedApiObject extends ApiObject {
  public toJson(): any {
    const json = super.toJson();
    if (json?.metadata && typeof json.metadata === 'object') delete json.metadata.namespace;
    return json;
  }
}
