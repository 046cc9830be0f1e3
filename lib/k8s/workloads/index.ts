export * from './env';
export * from './probe';
export * from './replicas';
export * from './workload';
export * from './web-service';
export * from './cron';
export * from './storage';
export * from './stateful-service';
