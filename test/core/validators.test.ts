import { Chart, Testing } from 'cdk8s';
import { Errors, Validators } from '../../lib/core';
import { show } from '../../lib/core/errors';

const scope = () => new Chart(Testing.app(), 'c');

/** The message of the validation error `fn` throws. */
function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(Errors.isValidationError(e)).toBe(true);
    return (e as Error).message;
  }
  throw new Error('expected a validation error');
}

describe('Validators.labelKey / labels', () => {
  test.each(['app', 'app.kubernetes.io/name', 'example.com/tier', 'a_b.c-d', 'A', 'x'.repeat(63), `${'p'.repeat(253)}/n`])('accepts %s', key => {
    expect(Validators.labelKey(scope(), 'labels', key)).toBe(key);
  });

  test('refuses "bad key!" with the key, the rule and a suggestion', () => {
    expect(messageOf(() => Validators.labelKey(scope(), 'labels', 'bad key!'))).toBe(
      'c: labels ("bad key!") is not a valid label key: an optional DNS-subdomain prefix of at most 253 characters and \'/\', '
      + 'then a name of 1-63 characters of A-Z, a-z, 0-9, \'-\', \'_\' and \'.\', starting and ending with a letter or digit; use a key such as "bad-key"');
  });

  test.each([
    ['empty', '', 'key'],
    ['name of 64 characters', 'x'.repeat(64), 'x'.repeat(63)],
    ['upper-case prefix', 'Example.com/tier', 'example.com/tier'],
    ['empty name after the prefix', 'example.com/', 'example.com/key'],
    ['two slashes', 'a/b/c', 'a-b/c'],
    ['name ending with a dot', 'tier.', 'tier'],
  ])('refuses a key with %s', (_what, key, suggestion) => {
    expect(messageOf(() => Validators.labelKey(scope(), 'labels', key))).toContain(`use a key such as ${JSON.stringify(suggestion)}`);
  });

  test('labels() checks keys and values', () => {
    expect(Validators.labels(scope(), 'labels', { tier: 'web' })).toEqual({ tier: 'web' });
    expect(messageOf(() => Validators.labels(scope(), 'labels', { 'bad key!': 'x' }))).toMatch(/^c: labels \("bad key!"\) is not a valid label key/);
    expect(messageOf(() => Validators.labels(scope(), 'labels', { tier: 'a b' }))).toMatch(/^c: labels\.tier \("a b"\) must be a label value/);
  });
});

describe('Validators.annotationKey / annotations', () => {
  test('accepts label-key syntax with an upper-case prefix', () => {
    expect(Validators.annotationKey(scope(), 'annotations', 'Example.COM/Note')).toBe('Example.COM/Note');
  });

  test('refuses an invalid key', () => {
    expect(messageOf(() => Validators.annotationKey(scope(), 'podAnnotations', 'my note'))).toBe(
      'c: podAnnotations ("my note") is not a valid annotation key: an optional DNS-subdomain prefix of at most 253 characters and \'/\', '
      + 'then a name of 1-63 characters of A-Z, a-z, 0-9, \'-\', \'_\' and \'.\', starting and ending with a letter or digit; use a key such as "my-note"');
  });

  test('refuses more than 256 KiB of annotations on one object', () => {
    expect(messageOf(() => Validators.annotations(scope(), 'annotations', { big: 'x'.repeat(262142) }))).toBe(
      'c: annotations ("262145 bytes") must total at most 262144 bytes (256 KiB, the Kubernetes limit per object); move large values into a ConfigMap and reference it');
    expect(Object.keys(Validators.annotations(scope(), 'annotations', { big: 'x'.repeat(262141) }))).toEqual(['big']);
  });

  test('refuses a value that is not a string', () => {
    expect(messageOf(() => Validators.annotations(scope(), 'annotations', { replicas: 3 as any }))).toBe('c: annotations.replicas (3) must be a string; quote it: "3"');
  });
});

describe('Validators.cidr', () => {
  test.each(['10.0.0.0/16', '0.0.0.0/0', '192.168.1.7/32', 'fd00::/8', '::/0', '2001:db8::/32', '2001:db8:0:0:0:0:0:1/128', '::ffff:10.0.0.0/104'])('accepts %s', c => {
    expect(Validators.cidr(scope(), 'cidr', c)).toBe(c);
  });

  test.each<[string, string]>([
    ['10.0.0.0/33', 'has a prefix length above 32, the most an IPv4 CIDR allows'],
    ['fd00::/129', 'has a prefix length above 128, the most an IPv6 CIDR allows'],
    ['10.0.0.0', 'is not a CIDR: an address, "/" and a prefix length'],
    ['10.0.0.0/', 'has a prefix length that is not a whole number from 0 to 32'],
    ['10.0.0.0/08', 'has a prefix length that is not a whole number from 0 to 32'],
    ['10.0.256.0/24', 'has an IPv4 address that is not four numbers from 0 to 255 without leading zeros'],
    ['10.0.0/24', 'has an IPv4 address that is not four numbers from 0 to 255 without leading zeros'],
    ['010.0.0.0/8', 'has an IPv4 address that is not four numbers from 0 to 255 without leading zeros'],
    ['fd00::1::/64', 'has an IPv6 address that is not up to eight groups of 1-4 hex digits (with at most one "::")'],
    ['fd00:12345::/64', 'has an IPv6 address that is not up to eight groups'],
    ['1:2:3:4:5:6:7/112', 'has an IPv6 address that is not up to eight groups'],
    ['fe80::%eth0/64', 'has an IPv6 zone'],
  ])('refuses %s', (c, why) => {
    const m = messageOf(() => Validators.cidr(scope(), 'cidr', c));
    expect(m).toContain(`c: cidr (${JSON.stringify(c)}) ${why}`);
    expect(m).toContain('; write an IPv4 CIDR such as "10.0.0.0/16" (prefix 0-32) or an IPv6 CIDR such as "fd00::/64" (prefix 0-128)');
  });

  test.each([
    ['10.0.0.1/24', '10.0.0.0/24'],
    ['172.16.5.0/12', '172.16.0.0/12'],
    ['fd00::1/64', 'fd00::/64'],
    ['2001:db8:1:2:3:4:5:6/48', '2001:db8:1::/48'],
  ])('refuses %s (bits after the prefix) and names the network address', (c, network) => {
    expect(messageOf(() => Validators.cidr(scope(), 'cidr', c))).toBe(
      `c: cidr (${JSON.stringify(c)}) has bits set after the /${c.split('/')[1]} prefix, so the range it means is unclear; write the network address: ${JSON.stringify(network)}`);
  });

  test('cidrContains: strictly inside, same family', () => {
    expect(Validators.cidrContains('10.0.0.0/16', '10.0.3.0/24')).toBe(true);
    expect(Validators.cidrContains('10.0.0.0/16', '10.1.0.0/24')).toBe(false);
    expect(Validators.cidrContains('10.0.0.0/16', '10.0.0.0/16')).toBe(false);
    expect(Validators.cidrContains('10.0.0.0/16', 'fd00::/64')).toBe(false);
    expect(Validators.cidrContains('fd00::/8', 'fd12:3456::/32')).toBe(true);
  });
});

describe('Validators.namespaceName', () => {
  test('a DNS label', () => {
    expect(Validators.namespaceName(scope(), 'namespace', 'shop')).toBe('shop');
    expect(messageOf(() => Validators.namespaceName(scope(), 'namespace', 'Bad NS'))).toBe(
      'c: namespace ("Bad NS") must be an RFC 1123 DNS label: 1-63 characters of a-z, 0-9 and \'-\', starting and ending with a letter or digit; use a name such as "bad-ns"');
  });
});

describe('Validators.fieldPath', () => {
  test.each([
    'metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.serviceAccountName',
    'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs',
    "metadata.labels['app.kubernetes.io/name']", "metadata.annotations['Example.com/Note']",
  ])('accepts %s', p => {
    expect(Validators.fieldPath(scope(), 'fieldPath', p)).toBe(p);
  });

  test('refuses metadata.bogus, listing the paths and the closest one', () => {
    expect(messageOf(() => Validators.fieldPath(scope(), 'fieldPath', 'metadata.bogus'))).toBe(
      'c: fieldPath ("metadata.bogus") is not a pod field the downward API gives an environment variable: metadata.name, metadata.namespace, metadata.uid, '
      + 'spec.nodeName, spec.serviceAccountName, status.hostIP, status.hostIPs, status.podIP, status.podIPs, metadata.labels[\'<key>\'] or metadata.annotations[\'<key>\']; '
      + 'use "metadata.name"');
  });

  test('a typo gets the closest path', () => {
    expect(messageOf(() => Validators.fieldPath(scope(), 'fieldPath', 'status.podIp'))).toMatch(/; use "status.podIP"$/);
  });

  test('all labels, or a label with dots or double quotes, is explained', () => {
    for (const p of ['metadata.labels', 'metadata.labels.app', 'metadata.labels["app"]']) {
      expect(messageOf(() => Validators.fieldPath(scope(), 'fieldPath', p))).toMatch(
        /; a single label is written with square brackets and single quotes, for example metadata.labels\['app.kubernetes.io\/name'\]; all of them are only available as a downwardAPI volume$/);
    }
  });

  test('a subscript must be a valid key', () => {
    expect(messageOf(() => Validators.fieldPath(scope(), 'fieldPath', "metadata.labels['bad key']"))).toBe(
      'c: fieldPath ("metadata.labels[\'bad key\']") names a label key ("bad key") that is not valid: an optional DNS-subdomain prefix and \'/\', '
      + 'then 1-63 characters of A-Z, a-z, 0-9, \'-\', \'_\' and \'.\'; write it as metadata.labels[\'bad-key\']');
  });
});

describe('taints and environment variable names', () => {
  test('taintKey: label-key syntax', () => {
    expect(Validators.taintKey(scope(), 'taints.key', 'dedicated')).toBe('dedicated');
    expect(Validators.taintKey(scope(), 'taints.key', 'node.example.com/gpu')).toBe('node.example.com/gpu');
    expect(messageOf(() => Validators.taintKey(scope(), 'taints.key', 'bad key'))).toBe(
      'c: taints.key ("bad key") is not a valid taint key: an optional DNS-subdomain prefix of at most 253 characters and \'/\', '
      + 'then a name of 1-63 characters of A-Z, a-z, 0-9, \'-\', \'_\' and \'.\', starting and ending with a letter or digit; use a key such as "bad-key"');
  });

  test('taintEffect: Kubernetes spelling, with the closest one suggested', () => {
    expect(Validators.taintEffect(scope(), 'effect', 'NoExecute')).toBe('NoExecute');
    expect(messageOf(() => Validators.taintEffect(scope(), 'effect', 'NO_SCHEDULE'))).toBe(
      'c: effect ("NO_SCHEDULE") must be NoSchedule, PreferNoSchedule or NoExecute; use "NoSchedule"');
  });

  test('envVarName', () => {
    expect(Validators.envVarName(scope(), 'env', 'LOG_LEVEL')).toBe('LOG_LEVEL');
    expect(messageOf(() => Validators.envVarName(scope(), 'env.1X', '1X'))).toBe(
      'c: env.1X ("1X") is not a valid environment variable name; use letters, digits, "_", "-" and ".", not starting with a digit');
  });
});

describe('Validators.plaintextSecret', () => {
  test.each([
    ['CONFIG', 'AKIAIOSFODNN7EXAMPLE', 'it holds an AWS access key id'],
    ['CONFIG', 'key=ASIAY34FZKBOKMUTVV7A;region=eu-west-1', 'it holds an AWS access key id'],
    ['CONFIG', `ghp_${'a1B2'.repeat(9)}`, 'it holds a GitHub token'],
    ['CONFIG', `github_pat_11ABCDEFG0123456789_${'x'.repeat(59)}`, 'it holds a GitHub token'],
    ['CONFIG', 'glpat-abcdefghij0123456789', 'it holds a GitLab token'],
    ['CONFIG', 'xoxb-1234567890-abcdefghijkl', 'it holds a Slack token'],
    ['HOOK', 'https://hooks.slack.com/services/T0123ABC/B0456DEF/abcdEFGH1234', 'it holds a Slack webhook URL'],
    ['CONFIG', `sk_live_${'4eC39HqLyjWDarjtT1zdp7dc'}`, 'it holds a Stripe live secret key'],
    ['MAPS', `AIza${'S'.repeat(35)}`, 'it holds a Google API key'],
    ['NPMRC', `npm_${'a'.repeat(36)}`, 'it holds an npm token'],
    ['CERT', '-----BEGIN OPENSSH PRIVATE KEY-----\nabc', 'it holds a private key'],
    ['CERT', '-----BEGIN PGP PRIVATE KEY BLOCK-----', 'it holds a private key'],
    ['DB_PASSWORD', 'hunter2', 'its name says it is a secret'],
  ])('%s=%s: %s', (name, value, why) => {
    expect(Validators.plaintextSecret(name, value)).toBe(why);
  });

  test.each([
    ['LOG_LEVEL', 'info'],
    ['CONFIG', 'AKIAIOSFODNN7EXAMPL'], // 15 characters after AKIA
    ['CONFIG', 'XAKIAIOSFODNN7EXAMPLE1'], // inside a longer word
    ['REGION', 'eu-west-1'],
    ['CERT', '-----BEGIN CERTIFICATE-----'],
    ['DB_PASSWORD', ''],
  ])('%s=%s is not a secret', (name, value) => {
    expect(Validators.plaintextSecret(name, value)).toBeUndefined();
  });
});

describe('show() in error messages', () => {
  test('NaN and Infinity are shown as such, not as null', () => {
    expect(show(NaN)).toBe('NaN');
    expect(show(Infinity)).toBe('Infinity');
    expect(show(-Infinity)).toBe('-Infinity');
    expect(show([8080, NaN])).toBe('[8080,NaN]');
    expect(show({ port: NaN, name: 'http' })).toBe('{"port":NaN,"name":"http"}');
    expect(show(null)).toBe('null');
    expect(show('NaN')).toBe('"NaN"');
    expect(show(3)).toBe('3');
  });
});
