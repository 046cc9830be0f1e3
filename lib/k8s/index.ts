export * from './workloads';
export * from './networking';
