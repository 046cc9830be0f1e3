export * from './match';
export * from './template';
