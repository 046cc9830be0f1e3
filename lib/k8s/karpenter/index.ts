export * from './ec2-node-class';
export * from './node-pool';
export * from './karpenter-resources';
