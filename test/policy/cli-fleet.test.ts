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

describe('the Kubernetes pack options each cluster of a fleet was synthesized with', () => {
  /** A fleet whose prod cluster was synthesized without SS-K8S-033 (no readiness probe) and whose dev cluster was not. */
  function fleetWithRecords(): string {
    const unprobed = () => {
      const ms = goodManifests();
      delete find(ms, 'Deployment', 'web').spec.template.spec.containers[0].readinessProbe;
      return ms;
    };
    const prod = unprobed();
    // a suppression of the excluded rule is kept for the runs that include it: neither stale nor unknown
    find(prod, 'Deployment', 'web').metadata.annotations = { 'shipshape.io/suppress': 'SS-K8S-033=the sidecar gates readiness' };
    const dir = fleet({ dev: unprobed(), prod });
    const rec = (exclude: string[]) => JSON.stringify({ format: 'shipshape-output/v1', files: ['app.k8s.yaml'], kubernetesPack: { exclude, trustedRegistries: [] } });
    writeTree(dir, { 'fleet/prod/.shipshape/output.json': rec(['SS-K8S-033']), 'fleet/dev/.shipshape/output.json': rec([]) });
    return dir;
  }
  const probes = (out: string) => ids(out).filter((f: string) => /^SS-K8S-033|^SS-POLICY/.test(f));

  test('checking the fleet reports for each cluster what checking its folder alone reports', async () => {
    const dir = fleetWithRecords();
    const prod = await run(['check', `${dir}/fleet/prod`, '--format', 'json']);
    const dev = await run(['check', `${dir}/fleet/dev`, '--format', 'json']);
    const whole = await run(['check', `${dir}/fleet`, '--format', 'json']);
    expect(probes(prod.out)).toEqual([]);
    expect(probes(dev.out)).toEqual(['SS-K8S-033 dev/app.k8s.yaml Deployment/web']);
    expect(probes(whole.out)).toEqual(probes(dev.out));
    expect(whole.err).toContain('shipshape: checking each cluster of the fleet with the Kubernetes pack options synth recorded for it: ');
    expect(whole.err).toContain('fleet/prod/.shipshape/output.json: exclude SS-K8S-033; trusted registries none (SS-K8S-032 off)');
    expect(whole.err).toContain('fleet/dev/.shipshape/output.json: exclude none;');
    // the report lists the rule that ran in dev, though prod left it out
    expect(JSON.parse(whole.out).rules.map((r: any) => r.id)).toContain('SS-K8S-033');
  });

  test('the command line\'s options replace every cluster\'s record', async () => {
    const dir = fleetWithRecords();
    const r = await run(['check', `${dir}/fleet`, '--format', 'json', '--exclude', 'SS-K8S-033']);
    expect(probes(r.out)).toEqual([]);
    expect(r.err).toMatch(/the command line's --exclude\/--trusted-registry replace the Kubernetes pack options synth recorded in .*fleet\/dev\/\.shipshape\/output\.json, .*fleet\/prod\/\.shipshape\/output\.json; using exclude SS-K8S-033/);
  });
});

describe('SS-K8S-092 (one autoscaler per workload) over several outputs', () => {
  const autoscalers = (out: string) => ids(out).filter((f: string) => f.startsWith('SS-K8S-092'));

  test('two cluster folders of a fleet named on the command line, each autoscaling its own copy of a Deployment: no finding', async () => {
    const dir = fleet({ dev: goodManifests(), prod: goodManifests() });
    const r = await run(['check', `${dir}/fleet/dev`, `${dir}/fleet/prod`, '--format', 'json']);
    expect(autoscalers(r.out)).toEqual([]);
    expect(ids(r.out).filter((f: string) => f.startsWith('SS-POLICY-005'))).toEqual([]);
    expect(r.code).toBe(0);
  });

  test('two app output folders holding the same HPA: one autoscaler, not two (the object held twice is SS-POLICY-005)', async () => {
    const rec = JSON.stringify({ format: 'shipshape-output/v1', owner: 'app', files: ['app.k8s.yaml'] });
    const dir = writeTree(tmpDir(), {
      'fleet/a/app.k8s.yaml': dump(goodManifests()),
      'fleet/a/.shipshape/output.json': rec,
      'fleet/b/app.k8s.yaml': dump(goodManifests()),
      'fleet/b/.shipshape/output.json': rec,
    });
    const r = await run(['check', `${dir}/fleet/a`, `${dir}/fleet/b`, '--format', 'json']);
    expect(autoscalers(r.out)).toEqual([]);
    expect(ids(r.out)).toContain('SS-POLICY-005 b/app.k8s.yaml HorizontalPodAutoscaler/api');
    expect(r.code).toBe(0);
  });

  test('a second HPA of another name on the workload is still reported', async () => {
    const second = () => {
      const ms = goodManifests();
      const h = JSON.parse(JSON.stringify(find(ms, 'HorizontalPodAutoscaler', 'api')));
      h.metadata.name = 'api-queue';
      return [...ms, h];
    };
    const dir = fleet({ prod: second() });
    const r = await run(['check', `${dir}/fleet`, '--format', 'json']);
    expect(autoscalers(r.out)).toEqual(['SS-K8S-092 prod/app.k8s.yaml Deployment/api']);
    expect(JSON.parse(r.out).findings.find((f: any) => f.ruleId === 'SS-K8S-092').message)
      .toBe('2 autoscalers scale Deployment api: HorizontalPodAutoscaler api, HorizontalPodAutoscaler api-queue; they would fight over its replica count');
  });
});
