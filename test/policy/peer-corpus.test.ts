import { assignReports, parseBats } from '../../scripts/peer-corpus';

// The peer-corpus script labels kube-linter's fixture documents from the expectations of its bats tests:
// reports come in file order, one or more per object. These fixtures are written for this test.

const doc = (kind: string, name?: string) => ({ kind, metadata: name === undefined ? {} : { name } });

describe('assignReports', () => {
  test('reports go to the documents of their kind in file order, skipping the ones named to pass', () => {
    const docs = [doc('Deployment', 'dont-fire'), doc('Service', 'dont-fire'), doc('Deployment', 'app1'), doc('Deployment', 'app2')];
    expect(assignReports(docs, [{ kind: 'Deployment', text: 'x' }, { kind: 'Deployment', text: 'y' }])).toEqual([2, 3]);
  });

  test('several reports on one object: the message names it, or no later object of the kind is left', () => {
    const docs = [doc('Service', 'ports'), doc('Service', 'other'), doc('Deployment')];
    const named = [{ kind: 'Service', text: 'port "1" in service \\"ports\\"' }, { kind: 'Service', text: 'port "2" in service \\"ports\\"' }];
    expect(assignReports(docs, named)).toEqual([0]);
    expect(assignReports(docs, [{ kind: 'Deployment', text: 'a' }, { kind: 'Deployment', text: 'b' }])).toEqual([2]);
  });

  test('a report that names its object (Kind name: ...) goes to that object', () => {
    const docs = [doc('Job', 'good-job'), doc('Job', 'bad-job')];
    expect(assignReports(docs, [{ kind: 'Job', name: 'bad-job', text: 'Job bad-job: no ttl' }])).toEqual([1]);
  });

  test('a report that cannot be placed is said, not guessed', () => {
    expect(assignReports([doc('Service', 's')], [{ kind: 'Deployment', text: 'x' }])).toBe('no Deployment after document -1');
  });
});

test('parseBats reads the fixture file, the check, the count and the expected messages; custom-config tests are left out', () => {
  const bats = [
    '#!/usr/bin/env bats',
    '@test "one-check" {',
    '  tmp="tests/checks/one.yml"',
    '  cmd="${KUBE_LINTER_BIN} lint --include one-check --do-not-auto-add-defaults --format json ${tmp}"',
    '  [[ "${message1}" == "Deployment: first thing" ]]',
    '  [[ "${actual_messages[1]}" == "Job nightly: second thing" ]]',
    '  [[ "${count}" == "2" ]]',
    '}',
    '@test "custom" {',
    '  tmp="tests/checks/custom.yml"',
    '  cmd="${KUBE_LINTER_BIN} lint --config e2etests/testdata/x.yaml --include custom ${tmp}"',
    '}',
  ].join('\n');
  expect(parseBats(bats)).toEqual([{
    check: 'one-check',
    file: 'tests/checks/one.yml',
    count: 2,
    reports: [{ kind: 'Deployment', name: undefined, text: 'Deployment: first thing' }, { kind: 'Job', name: 'nightly', text: 'Job nightly: second thing' }],
  }]);
});
