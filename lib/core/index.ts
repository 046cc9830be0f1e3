export * from './error-guards';
export * from './names';
export * from './quantity';
export * from './image';
export * from './profile';
export * from './labels';
export * from './cluster-profile';
