export * from './network-peer';
export * from './http-ingress';
export * from './http-route';
