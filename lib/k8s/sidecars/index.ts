export * from './sidecar';
export * from './log-shipper';
export * from './metrics-adapter';
export * from './ambassador-proxy';
export * from './init-tasks';
