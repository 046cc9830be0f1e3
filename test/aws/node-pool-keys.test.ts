import { cluster, errorOf, newStack } from './util';
import * as aws from '../../lib/aws';

// Taint and label keys of node pools go through the shared validators of lib/core.
describe('aws.NodePool taint and label keys', () => {
  test('a taint key with a space is refused', () => {
    expect(errorOf(() => cluster(newStack()).addNodePool('p', { taints: [{ key: 'bad key', effect: aws.TaintEffect.NO_SCHEDULE }] }))).toBe(
      'test/prod/p: taints.key ("bad key") is not a valid taint key: an optional DNS-subdomain prefix of at most 253 characters and \'/\', '
      + 'then a name of 1-63 characters of A-Z, a-z, 0-9, \'-\', \'_\' and \'.\', starting and ending with a letter or digit; use a key such as "bad-key"');
  });

  test('a taint value that is not a label value is refused', () => {
    expect(errorOf(() => cluster(newStack()).addNodePool('p', { taints: [{ key: 'gpu', value: 'yes please', effect: aws.TaintEffect.NO_SCHEDULE }] })))
      .toMatch(/^test\/prod\/p: taints\.value \("yes please"\) must be a label value/);
  });

  test('a prefixed taint key is accepted', () => {
    const pool = cluster(newStack()).addNodePool('p', { taints: [{ key: 'nvidia.com/gpu', value: 'present', effect: aws.TaintEffect.NO_SCHEDULE }] });
    expect(pool.taints.map(t => t.key)).toEqual(['nvidia.com/gpu']);
  });

  test('a label key with "!" is refused with the shared message', () => {
    expect(errorOf(() => cluster(newStack()).addNodePool('p', { labels: { 'bad key!': 'x' } }))).toMatch(
      /^test\/prod\/p: labels \("bad key!"\) is not a valid label key: .*; use a key such as "bad-key"$/);
  });
});
