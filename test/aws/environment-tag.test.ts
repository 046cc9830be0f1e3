import { errorOf, newStack, TAGS } from './util';
import * as aws from '../../lib/aws';
import { EnvironmentProfile } from '../../lib/core';

// The environment tag and the environment the resources are built for must not say two things: tagged dev and built,
// by default, for production (three NAT gateways, deletion protection) is refused until the environment is said.

const network = (tags: aws.CostTags, environment?: EnvironmentProfile) => new aws.Network(newStack(), 'net', { region: 'eu-west-1', tags, environment });

describe('the environment tag against the environment prop', () => {
  test('tagged dev with the environment left at its default (production) is refused, naming both ways out', () => {
    expect(errorOf(() => network({ ...TAGS, environment: 'dev' }))).toBe(
      'test/net: environment ("unset (production)") contradicts the environment tag "dev": left out, it is production, which sizes and protects the resources for production; '
      + 'set environment: EnvironmentProfile.DEVELOPMENT to build for development, or environment: EnvironmentProfile.PRODUCTION to keep production with that tag');
  });

  test('a tag that agrees, or names no profile, is kept; said explicitly, a contradiction is a warning', () => {
    expect(network({ ...TAGS, environment: 'Staging' }, EnvironmentProfile.STAGING).environment).toBe(EnvironmentProfile.STAGING);
    expect(network({ ...TAGS, environment: 'sandbox-eu' }).environment).toBe(EnvironmentProfile.PRODUCTION);
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const n = network({ ...TAGS, environment: 'prod' }, EnvironmentProfile.STAGING);
      expect(n.node.metadata.filter(m => m.type === 'shipshape:warning').map(m => m.data)).toEqual([
        'environment (staging) differs from the environment tag "prod", which names production: the resources are built for staging and tagged otherwise',
      ]);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('an environment that is no EnvironmentProfile (plain JavaScript, or a cast of an environment variable)', () => {
  test('is refused, with the profile it most likely means, on Network and EksCluster', () => {
    expect(errorOf(() => network(TAGS, 'dev' as EnvironmentProfile))).toBe(
      'test/net: environment ("dev") must be an EnvironmentProfile (production, staging, development); another value would get production\'s defaults; '
      + 'use EnvironmentProfile.DEVELOPMENT (\'development\')');
    const stack = newStack();
    const net = new aws.Network(stack, 'net', { region: 'eu-west-1', tags: TAGS });
    expect(errorOf(() => new aws.EksCluster(stack, 'cluster', { network: net, version: aws.KubernetesVersion.V1_33, tags: TAGS, environment: 'Production' as EnvironmentProfile }))).toContain(
      'test/cluster: environment ("Production") must be an EnvironmentProfile (production, staging, development); another value would get production\'s defaults; '
      + 'use EnvironmentProfile.PRODUCTION (\'production\')');
  });
});
