export * from './core';
export * as k8s from './k8s';
export * as aws from './aws';
export * as policy from './policy';
export * as testing from './testing';
