import * as path from 'path';
import { removeTempDirsAfterAll, run, tmpDir, writeTree } from './cli-helpers';

// A hostPath volume is one finding (SS-K8S-011), so the hostPath exemptions teams already write for Polaris,
// kube-linter or Checkov clear it (those of the mounts the exempted check covers); SS-K8S-013 keeps the other volume
// types outside Pod Security's restricted set.

removeTempDirsAfterAll();

function daemonSet(annotations: { [k: string]: string }, volumes: any[]): string {
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'logs', namespace: 'logging', annotations },
    spec: {
      selector: { matchLabels: { app: 'logs' } },
      template: {
        metadata: { labels: { app: 'logs' } },
        spec: {
          containers: [{ name: 'c', image: 'registry.example/logs:1.0.0', volumeMounts: volumes.map(v => ({ name: v.name, mountPath: `/m/${v.name}`, readOnly: true })) }],
          volumes,
        },
      },
    },
  });
}

async function findings(annotations: { [k: string]: string }, volumes: any[]): Promise<string[]> {
  const dir = writeTree(tmpDir(), { 'ds.json': daemonSet(annotations, volumes) });
  const report = path.join(dir, 'report.json');
  await run(['check', path.join(dir, 'ds.json'), '--json', report]);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const json = require(report);
  return json.findings.filter((f: any) => f.ruleId === 'SS-K8S-011' || f.ruleId === 'SS-K8S-013')
    .map((f: any) => `${f.suppressed ? 'suppressed ' : ''}${f.ruleId} ${f.jsonPath}`);
}

const LOGS = { name: 'varlog', hostPath: { path: '/var/log', type: 'Directory' } };
const PODS = { name: 'pods', hostPath: { path: '/var/log/pods', type: 'Directory' } };

describe('a hostPath volume is reported once', () => {
  test('by SS-K8S-011 only, once per volume', async () => {
    expect(await findings({}, [LOGS, PODS])).toEqual([
      'SS-K8S-011 spec.template.spec.volumes[0].hostPath',
      'SS-K8S-011 spec.template.spec.volumes[1].hostPath',
    ]);
  });

  const ETC = { name: 'etc', hostPath: { path: '/etc' } };
  const SOCK = { name: 'sock', hostPath: { path: '/run/containerd/containerd.sock', type: 'Socket' } };
  test.each([
    ['Polaris', { 'polaris.fairwinds.com/hostPathSet-exempt': 'true' }, [LOGS, PODS], [true, true]],
    // kube-linter's and Checkov's checks cover some mounts only: those they would still report stay
    ['kube-linter', { 'ignore-check.kube-linter.io/sensitive-host-mounts': 'reads the node config' }, [ETC, LOGS], [true, false]],
    ['Checkov', { 'checkov.io/skip1': 'CKV_K8S_27=reads container metadata' }, [SOCK, LOGS], [true, false]],
  ])('a %s hostPath exemption silences the mounts its check covers', async (_peer, annotations, volumes, silenced) => {
    expect(await findings(annotations, volumes)).toEqual(silenced.map((x, i) => `${x ? 'suppressed ' : ''}SS-K8S-011 spec.template.spec.volumes[${i}].hostPath`));
  });

  test('other volume types outside the restricted set stay SS-K8S-013\'s, also beside an exempted hostPath', async () => {
    const nfs = { name: 'share', nfs: { server: 'nfs.example', path: '/exports' } };
    expect(await findings({ 'polaris.fairwinds.com/hostPathSet-exempt': 'true' }, [LOGS, nfs])).toEqual([
      'suppressed SS-K8S-011 spec.template.spec.volumes[0].hostPath',
      'SS-K8S-013 spec.template.spec.volumes[1].nfs',
    ]);
  });
});
