export * from './mesh';
export * from './istio-mesh';
export * from './linkerd-mesh';
