import { Match, Matcher, MatchResult } from '../../lib/testing';

const failures = (m: Matcher, actual: unknown) => m.test(actual).failures;

describe('Match.objectLike', () => {
  const actual = { metadata: { name: 'api', labels: { a: '1', b: '2' } }, spec: { replicas: 3, ports: [{ port: 80, name: 'http' }] } };

  test('matches the keys it names, at every depth; other keys are ignored', () => {
    expect(failures(Match.objectLike({ metadata: { labels: { a: '1' } }, spec: { replicas: 3 } }), actual)).toEqual([]);
  });

  test('reports every difference with its path', () => {
    expect(failures(Match.objectLike({ metadata: { name: 'web', labels: { c: '3' } }, spec: { replicas: '3' } }), actual)).toEqual([
      'metadata.name: expected "web", got "api"',
      'metadata.labels.c: missing',
      'spec.replicas: expected "3", got 3',
    ]);
  });

  test('arrays in the pattern are compared element by element, with the same length', () => {
    expect(failures(Match.objectLike({ spec: { ports: [{ port: 80 }] } }), actual)).toEqual([]);
    expect(failures(Match.objectLike({ spec: { ports: [{ port: 80 }, { port: 443 }] } }), actual)).toEqual([
      'spec.ports: expected an array of 2 element(s), got 1: [{"port":80,"name":"http"}]',
    ]);
    expect(failures(Match.objectLike({ spec: { ports: [{ port: 8080 }] } }), actual)).toEqual(['spec.ports[0].port: expected 8080, got 80']);
  });

  test('a key that is not an identifier is quoted in the path', () => {
    expect(failures(Match.objectLike({ 'app.kubernetes.io/name': 'x' }), { 'app.kubernetes.io/name': 'y' })).toEqual([
      '["app.kubernetes.io/name"]: expected "x", got "y"',
    ]);
  });

  test('a non-object value fails, and so does a non-object pattern', () => {
    expect(failures(Match.objectLike({ a: 1 }), [1])).toEqual(['expected an object, got [1]']);
    expect(failures(Match.objectLike([1] as any), { a: 1 })).toEqual(['objectLike: the pattern must be an object, got [1]']);
  });
});

describe('Match.objectEquals and Match.exact', () => {
  test('objectEquals refuses keys the pattern does not name, at every depth', () => {
    expect(failures(Match.objectEquals({ a: 1, b: { c: 2 } }), { a: 1, b: { c: 2 } })).toEqual([]);
    expect(failures(Match.objectEquals({ a: 1, b: { c: 2 } }), { a: 1, b: { c: 2, d: 3 }, e: 4 })).toEqual([
      'b.d: unexpected key (value 3)',
      'e: unexpected key (value 4)',
    ]);
  });

  test('exact inside objectLike switches that part to exact comparison', () => {
    const m = Match.objectLike({ spec: Match.exact({ replicas: 3 }) });
    expect(failures(m, { kind: 'Deployment', spec: { replicas: 3 } })).toEqual([]);
    expect(failures(m, { spec: { replicas: 3, paused: false } })).toEqual(['spec.paused: unexpected key (value false)']);
    expect(failures(Match.exact('a'), 'b')).toEqual(['expected "a", got "b"']);
  });
});

describe('Match.arrayWith and Match.arrayEquals', () => {
  const containers = [{ name: 'app', image: 'a:1' }, { name: 'log-shipper', image: 'b:2' }, { name: 'proxy', image: 'c:3' }];

  test('arrayWith: the elements appear in this order, each matched partially, others may be around them', () => {
    expect(failures(Match.arrayWith([{ name: 'proxy' }]), containers)).toEqual([]);
    expect(failures(Match.arrayWith([{ name: 'app' }, { name: 'proxy' }]), containers)).toEqual([]);
  });

  test('arrayWith: an element missing, or out of order, is a failure naming the pattern element', () => {
    // the closest element says what differs, with its paths inside the element, in the same failure
    expect(failures(Match.arrayWith([{ name: 'db' }]), containers)).toEqual([
      'no element matches pattern element [0] {"name":"db"}; the closest is [0] (name: expected "db", got "app")',
    ]);
    expect(failures(Match.arrayWith([{ image: Match.stringLikeRegexp('^z') }]), containers)[0])
      .toBe('no element matches pattern element [0] {"image":"<stringLikeRegexp>"}; the closest is [0] (image: expected a string matching /^z/, got "a:1")');
    expect(failures(Match.arrayWith([{ name: 'proxy' }, { name: 'app' }]), containers)[0])
      .toMatch(/^no element matches pattern element \[1\] \{"name":"app"\} after the elements matched before it; got /);
    expect(failures(Match.arrayWith([1]), 'x')).toEqual(['expected an array, got "x"']);
  });

  test('arrayEquals: the same elements, same length, same order, each exact', () => {
    expect(failures(Match.arrayEquals(['a', 'b']), ['a', 'b'])).toEqual([]);
    expect(failures(Match.arrayEquals(['a', 'b']), ['b', 'a'])).toEqual(['[0]: expected "a", got "b"', '[1]: expected "b", got "a"']);
    expect(failures(Match.arrayEquals([{ a: 1 }]), [{ a: 1, b: 2 }])).toEqual(['[0].b: unexpected key (value 2)']);
  });
});

describe('Match.absent, anyValue, stringLikeRegexp, not', () => {
  test('absent: the key must not be there', () => {
    const m = Match.objectLike({ spec: { replicas: Match.absent() } });
    expect(failures(m, { spec: {} })).toEqual([]);
    expect(failures(m, { spec: { replicas: 2 } })).toEqual(['spec.replicas: expected no value, got 2']);
  });

  test('anyValue: present and not null', () => {
    const m = Match.objectLike({ metadata: { uid: Match.anyValue() } });
    expect(failures(m, { metadata: { uid: 'x' } })).toEqual([]);
    expect(failures(m, { metadata: { uid: null } })).toEqual(['metadata.uid: expected a value, got null']);
    expect(failures(m, { metadata: {} })).toEqual(['metadata.uid: missing']);
  });

  test('stringLikeRegexp: a string the expression matches', () => {
    const m = Match.stringLikeRegexp('^ghcr\\.io/acme/.+@sha256:');
    expect(failures(m, 'ghcr.io/acme/api@sha256:abc')).toEqual([]);
    expect(failures(m, 'ghcr.io/acme/api:1.0')).toEqual(['expected a string matching /^ghcr\\.io/acme/.+@sha256:/, got "ghcr.io/acme/api:1.0"']);
    expect(failures(m, 3)).toEqual(['expected a string matching /^ghcr\\.io/acme/.+@sha256:/, got 3']);
  });

  test('not: fails when the pattern matches', () => {
    const m = Match.objectLike({ spec: { template: { spec: { hostNetwork: Match.not(true) } } } });
    expect(failures(m, { spec: { template: { spec: { hostNetwork: false } } } })).toEqual([]);
    expect(failures(m, { spec: { template: { spec: { hostNetwork: true } } } })).toEqual([
      'spec.template.spec.hostNetwork: expected a value that does not match true, got true',
    ]);
  });
});

describe('Matcher and MatchResult', () => {
  test('isMatcher tells matchers from plain values', () => {
    expect(Matcher.isMatcher(Match.anyValue())).toBe(true);
    expect(Matcher.isMatcher({ name: 'objectLike', test: () => new MatchResult() })).toBe(false);
  });

  test('a matcher of your own composes with the built-in ones', () => {
    class EvenNumber extends Matcher {
      public readonly name = 'even';
      public test(actual: any): MatchResult {
        const r = new MatchResult();
        if (typeof actual !== 'number' || actual % 2 !== 0) r.recordFailure('', `expected an even number, got ${actual}`);
        return r;
      }
    }
    const m = Match.objectLike({ spec: { replicas: new EvenNumber() } });
    expect(failures(m, { spec: { replicas: 4 } })).toEqual([]);
    expect(failures(m, { spec: { replicas: 3 } })).toEqual(['spec.replicas: expected an even number, got 3']);
    expect(m.test({ spec: { replicas: 3 } }).hasFailed()).toBe(true);
  });
});
