// shipshape check over a fleet's output folder: each cluster folder is a separate output.
import * as yaml from 'js-yaml';
import { removeTempDirsAfterAll, run, tmpDir, writeTree } from './cli-helpers';
import { find, goodManifests } from './fixtures/good';

removeTempDirsAfterAll();

const dump = (ms: any[]) => ms.map(m => yaml.dump(m)).join('---\n');
const ids = (out: string) => JSON.parse(out).findings.map((f: any) => `${f.ruleId} ${f.file.replace(/\\/g, '/').replace(/^.*?fleet\//, '')} ${f.kind}/${f.name}`);

/** A fleet output: `.shipshape/fleet.json` listing the cluster folders, each with its own manifests. */
function fleet(clusters: { [name: string]: any[] }): string {
  const files: { [rel: string]: string } = {
    'fleet/.shipshape/fleet.json': JSON.stringify({ format: 'shipshape-fleet/v1', folders: Object.keys(clusters) }),
  };
  for (const [name, ms] of Object.entries(clusters)) files[`fleet/${name}/app.k8s.yaml`] = dump(ms);
  return writeTree(tmpDir(), files);
}

test('the cross-object rules look within one cluster folder: a staging HPA does not target dev\'s Deployment', async () => {
  // dev runs a fixed count (no HPA); prod autoscales the Deployment of the same name
  const dev = goodManifests().filter(m => m.kind !== 'HorizontalPodAutoscaler');
  find(dev, 'Deployment', 'web').spec.replicas = 2;
  const prod = goodManifests();
  const dir = fleet({ dev, prod });
  expect((await run(['check', `${dir}/fleet/dev`, '--format', 'json'])).code).toBe(0);
  const whole = await run(['check', `${dir}/fleet`, '--format', 'json']);
  expect(ids(whole.out).filter((f: string) => f.startsWith('SS-K8S-038'))).toEqual([]);
  // and the whole-input checks too: one object in each cluster is no object held twice
  expect(ids(whole.out).filter((f: string) => f.startsWith('SS-POLICY-005'))).toEqual([]);
  expect(whole.code).toBe(0);
});

test('a cluster folder missing a NetworkPolicy is reported though another cluster has one selecting the same labels', async () => {
  const prod = goodManifests().filter(m => !(m.kind === 'NetworkPolicy' && m.metadata.name === 'web'));
  const dir = fleet({ staging: goodManifests(), prod });
  const alone = await run(['check', `${dir}/fleet/prod`, '--format', 'json']);
  const whole = await run(['check', `${dir}/fleet`, '--format', 'json']);
  const nps = (out: string) => ids(out).filter((f: string) => f.startsWith('SS-K8S-048'));
  expect(nps(alone.out)).toEqual(['SS-K8S-048 prod/app.k8s.yaml Deployment/web']);
  expect(nps(whole.out)).toEqual(nps(alone.out));
});
