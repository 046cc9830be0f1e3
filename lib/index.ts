export * from './core';
export * as k8s from './k8s';
