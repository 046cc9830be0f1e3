export * from './workloads';
export * from './networking';
export * from './app';
export * from './target';
export * from './cluster-context';
export * from './cluster-resources';
export * as mesh from './mesh';
export * as sidecars from './sidecars';
export * as karpenter from './karpenter';
