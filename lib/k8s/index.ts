export * from './workloads';
export * from './networking';
export * from './app';
