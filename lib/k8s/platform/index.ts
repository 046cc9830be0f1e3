export * from './team-namespace';
export * from './topology-diagram';
export * from './add-on-pack';
export * from './fleet';
