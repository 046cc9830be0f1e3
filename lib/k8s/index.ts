export * from './workloads';
export * from './networking';
export * from './app';
export * from './target';
export * as mesh from './mesh';
export * as sidecars from './sidecars';
