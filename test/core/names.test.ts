import { Testing, Chart } from 'cdk8s';
import { EnvironmentProfile, Names, Profiles, RecommendedLabels } from '../../lib/core';
import { TeamNamespace } from '../../lib/k8s/platform';

const scope = () => new Chart(Testing.app(), 'c');

describe('Names', () => {
  test.each([['OrdersApi', 'orders-api'], ['orders_api', 'orders-api'], ['HTTPServer', 'http-server'], ['api', 'api'], ['Zürich', 'zurich'], ['ünï', 'uni'], ['CaféAPI', 'cafe-api'], ['日本', '']])('kebab(%s)', (id, name) => {
    expect(Names.kebab(id)).toBe(name);
  });
  test('dnsLabel accepts a valid label and refuses too long or invalid ones', () => {
    expect(Names.dnsLabel(scope(), 'name', 'orders-api')).toBe('orders-api');
    expect(() => Names.dnsLabel(scope(), 'name', 'a'.repeat(64))).toThrow(/c: name \("a{64}"\) must be an RFC 1123 DNS label: 1-63 characters/);
    expect(() => Names.dnsLabel(scope(), 'name', '-x')).toThrow(/use a name such as "x"/);
    expect(() => Names.dnsLabel(scope(), 'name', 'abc', 2)).toThrow(/1-2 characters/);
  });
  test('dnsSubdomain allows dots', () => {
    expect(Names.dnsSubdomain(scope(), 'name', 'db.credentials')).toBe('db.credentials');
    expect(() => Names.dnsSubdomain(scope(), 'name', 'db..x')).toThrow(/must be an RFC 1123 DNS subdomain/);
  });
  test('labelValue', () => {
    expect(Names.labelValue(scope(), 'v', 'v1.2_3')).toBe('v1.2_3');
    expect(() => Names.labelValue(scope(), 'v', 'a b')).toThrow(/must be a label value/);
  });
  test('portName', () => {
    expect(Names.portName(scope(), 'p', 'http')).toBe('http');
    expect(() => Names.portName(scope(), 'p', '8080')).toThrow(/at least one letter/);
  });
  test('a name left out by a plain JavaScript caller is a validation error naming the prop, not a TypeError', () => {
    for (const check of [Names.dnsLabel, Names.dnsSubdomain, Names.labelValue, Names.portName]) {
      expect(() => check(scope(), 'team', undefined as any)).toThrow(/^c: team \(undefined\) is required; give team a name such as "shop"/);
      expect(() => check(scope(), 'team', 42 as any)).toThrow(/^c: team \(42\) must be a string/);
    }
  });
  test('_pairName: the plain join only where it splits back (first without "-") and fits, else a hash of the pair', () => {
    expect(Names._pairName('shop', 'orders-db', 63)).toBe('shop-orders-db');
    expect(Names._pairName('shop-orders', 'db', 63)).toBe('shop-orders-db-81814312');
    expect(Names._pairName('shop-orders', 'db', 63)).toBe(Names._pairName('shop-orders', 'db', 63));
    // the hash is of the pair, not of the join: another split of the same join gets another hash
    expect(Names._pairName('a-b', 'c-d', 63)).not.toBe(Names._pairName('a-b-c', 'd', 63));
    const long = Names._pairName('a'.repeat(40), 'b'.repeat(40), 63);
    expect(long).toMatch(/^a{40}-b{13}-[0-9a-f]{8}$/);
    // a cut that ends on "-" drops it, so the name stays a DNS label
    expect(Names._pairName('a'.repeat(53), 'b'.repeat(20), 63)).toMatch(/^a{53}-[0-9a-f]{8}$/);
    expect(Names._pairName('ab', 'cd', 4)).toMatch(/^[0-9a-f]{4}$/);
  });
  test('TeamNamespace without its team (plain JavaScript) names the prop', () => {
    expect(() => new TeamNamespace(scope(), 'ns', { name: 'net', group: 'g' } as any)).toThrow(/c\/ns: team \(undefined\) is required/);
  });
});

describe('RecommendedLabels and Profiles', () => {
  test('recommended labels always include managed-by shipshape', () => {
    expect(RecommendedLabels.of({ name: 'a', instance: 'a' })).toEqual({ 'app.kubernetes.io/name': 'a', 'app.kubernetes.io/instance': 'a', 'app.kubernetes.io/managed-by': 'shipshape' });
    expect(RecommendedLabels.selector({ name: 'a', instance: 'b', version: '1' })).toEqual({ 'app.kubernetes.io/name': 'a', 'app.kubernetes.io/instance': 'b' });
  });
  test('profiles set availability defaults', () => {
    expect(Profiles.availability(EnvironmentProfile.PRODUCTION)).toEqual({ minReplicas: 3, maxReplicas: 10, autoscale: true, disruptionBudget: true, spread: true });
    expect(Profiles.availability(EnvironmentProfile.DEVELOPMENT).autoscale).toBe(false);
  });
});
