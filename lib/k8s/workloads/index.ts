export * from './env';
export * from './probe';
export * from './replicas';
export * from './workload';
export * from './web-service';
