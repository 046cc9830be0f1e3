export * from './cost-tags';
export * from './kubernetes-version';
export * from './network';
export * from './eks-cluster';
export * from './node-pool';
export * from './workload-identity';
export * from './policy-statement';
export * from './terraform-policy';
