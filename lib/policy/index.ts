export * from './rule';
export * from './finding';
export * from './document-index';
export * from './engine';
export * from './report';
export * from './policy';
export * from './k8s/kubernetes-pack';
export * from './terraform/terraform-pack';
