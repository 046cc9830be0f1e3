// The options of the Kubernetes pack in `shipshape check`: --exclude and --trusted-registry, and the options synth
// recorded in an output folder (<outdir>/.shipshape/output.json, field kubernetesPack), so check and synth agree.
import * as fs from 'fs';
import * as path from 'path';
import { removeTempDirsAfterAll, run, tmpDir, writeTree } from './cli-helpers';
import { KubernetesPack } from '../../lib/policy/k8s/kubernetes-pack';

removeTempDirsAfterAll();

/** A hardened Deployment whose image comes from ghcr.io: SS-K8S-032 reports it when ghcr.io is not trusted. */
const DEPLOYMENT = fs.readFileSync(path.join(__dirname, 'fixtures', 'mixed', 'good.yaml'), 'utf-8').split(/^---$/m)
  .find(d => /^kind: Deployment$/m.test(d))!;
/** A Secret in a ConfigMap (SS-K8S-063, a warning) and nothing else. */
const CONFIG_MAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: shop, labels: {app.kubernetes.io/name: shop}}\ndata: {password: hunter22}\n';

function record(kubernetesPack?: unknown): string {
  return JSON.stringify({ format: 'shipshape-output/v1', files: ['shop.k8s.yaml'], ...(kubernetesPack !== undefined ? { kubernetesPack } : {}) }, undefined, 2);
}

/** An output folder of synth: the manifests and the record. */
function outdir(kubernetesPack?: unknown): string {
  return writeTree(tmpDir(), { 'shop.k8s.yaml': CONFIG_MAP, '.shipshape/output.json': record(kubernetesPack) });
}

const slash = (p: string) => p.split(path.sep).join('/');
const ids = (out: string) => [...new Set(out.match(/SS-K8S-\d+/g) ?? [])].sort();

describe('--exclude and --trusted-registry', () => {
  test('the fixture breaks SS-K8S-063 only', async () => {
    expect(ids((await run(['check', outdir()])).out)).toEqual(['SS-K8S-063']);
  });

  test('--exclude leaves rules out (repeatable, comma-separated)', async () => {
    const dir = writeTree(tmpDir(), { 'a.yaml': CONFIG_MAP.replace('namespace: shop, ', '') });
    expect(ids((await run(['check', dir])).out)).toEqual(['SS-K8S-063', 'SS-K8S-065']);
    expect(ids((await run(['check', dir, '--exclude', 'SS-K8S-063'])).out)).toEqual(['SS-K8S-065']);
    expect(ids((await run(['check', dir, '--exclude', 'SS-K8S-063,SS-K8S-065'])).out)).toEqual([]);
    expect(ids((await run(['check', dir, '--exclude', 'SS-K8S-063', '--exclude', 'SS-K8S-065'])).out)).toEqual([]);
  });

  test('an unknown rule id is a usage error with the closest id (exit 2)', async () => {
    const r = await run(['check', outdir(), '--exclude', 'SS-K8S-063,ss-k8s-65']);
    expect(r.code).toBe(2);
    const last = new KubernetesPack().rules.map(x => x.id).sort().pop();
    expect(r.err).toBe(`shipshape: --exclude: "ss-k8s-65" is not a rule of the Kubernetes pack (SS-K8S-001 … ${last}) `
      + 'nor one of the whole-input warnings (SS-POLICY-005, SS-POLICY-006, SS-POLICY-007); did you mean SS-K8S-065?\n');
    expect((await run(['check', outdir(), '--exclude', 'SS-POLICY-05'])).err).toContain('did you mean SS-POLICY-005?');
    // a rule of a pack of one's own is no slip of a shipshape id: no suggestion, and what --exclude covers
    const own = await run(['check', outdir(), '--exclude', 'ACME-001']);
    expect(own.code).toBe(2);
    expect(own.err).toBe(`shipshape: --exclude: "ACME-001" is not a rule of the Kubernetes pack (SS-K8S-001 … ${last}) `
      + 'nor one of the whole-input warnings (SS-POLICY-005, SS-POLICY-006, SS-POLICY-007); --exclude leaves out rules of shipshape\'s Kubernetes pack only: '
      + 'to leave out a rule of a pack of yours (--pack), leave it out of the rules the pack\'s module exports\n');
    expect((await run(['check', outdir(), '--exclude', 'SS-K8S-999'])).err).toMatch(/\(SS-POLICY-005, SS-POLICY-006, SS-POLICY-007\); list the ids as the policy report shows them\n$/);
    expect((await run(['check', outdir(), '--exclude', 'SS-K8S-063,'])).err).toContain('--exclude needs rule ids such as SS-K8S-063');
    expect((await run(['check', outdir(), '--exclude'])).err).toContain('shipshape: --exclude needs rule ids, for example SS-K8S-063');
  });

  test('--trusted-registry turns SS-K8S-032 on with the same patterns as KubernetesPackProps.trustedRegistries', async () => {
    const dir = writeTree(tmpDir(), { 'd.yaml': DEPLOYMENT });
    const image = /image: ([^\s]+)/.exec(DEPLOYMENT)![1];
    const host = image.split('/')[0];
    const untrusted = async (...args: string[]) => (await run(['check', dir, ...args])).out.includes('SS-K8S-032');
    expect(await untrusted()).toBe(false);
    expect(await untrusted('--trusted-registry', 'registry.k8s.io')).toBe(true);
    expect(await untrusted('--trusted-registry', 'registry.k8s.io', '--trusted-registry', host)).toBe(false);
    expect(await untrusted('--trusted-registry', host.replace(/^[^.]+/, '*'))).toBe(false);
    expect(await untrusted('--trusted-registry', '*.dkr.ecr.*.amazonaws.com')).toBe(false);
    // hosts compare without case, as DNS names do
    expect(await untrusted('--trusted-registry', host.toUpperCase())).toBe(false);
  });

  test.each([
    ['ghcr.io/acme', 'takes a registry host, not an image, path or URL'],
    ['https://ghcr.io', 'takes a registry host, not an image, path or URL'],
    ['ghcr.io,quay.io', 'takes one host pattern'],
    ['', 'needs a registry host pattern'],
    ['ghcr io', 'is not a registry host pattern'],
    ['-', 'is not a registry host pattern'],
    ['.ghcr.io', 'is not a registry host pattern'],
  ])('--trusted-registry %j is a usage error (exit 2)', async (value, message) => {
    const r = await run(['check', outdir(), '--trusted-registry', value]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(r.out).toBe('');
  });
});

describe('--exclude SS-POLICY-005, -006, -007: the whole-input warnings', () => {
  /** One input holding two clusters' outputs: an object twice (005), a host port twice (006), a route twice (007). */
  const twoClusters = () => {
    const daemonSet = (cluster: string) => `apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent, namespace: ops}\nspec:\n  selector: {matchLabels: {app: agent-${cluster}}}\n`
      + `  template:\n    metadata: {labels: {app: agent-${cluster}}}\n    spec:\n      hostNetwork: true\n      containers: [{name: agent, image: ghcr.io/acme/agent:1.0.0, ports: [{containerPort: 9100}]}]\n`;
    const ingress = (name: string) => `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: ${name}, namespace: shop}\nspec:\n  ingressClassName: nginx\n`
      + '  rules: [{host: shop.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}}]\n';
    return writeTree(tmpDir(), {
      'prod/agent.yaml': daemonSet('prod'),
      'prod/web.yaml': ingress('web-prod'),
      'staging/agent.yaml': daemonSet('staging'),
      'staging/web.yaml': ingress('web-staging'),
    });
  };
  const engineIds = (out: string) => [...new Set(JSON.parse(out).findings.map((f: any) => f.ruleId).filter((id: string) => id.startsWith('SS-POLICY')))].sort();

  test('without --exclude, the input gives all three warnings', async () => {
    const r = await run(['check', twoClusters(), '--format', 'json']);
    expect(engineIds(r.out)).toEqual(['SS-POLICY-005', 'SS-POLICY-006', 'SS-POLICY-007']);
  });

  test('each can be left out, alone or with rules of the pack; the rules still run', async () => {
    const dir = twoClusters();
    const one = await run(['check', dir, '--format', 'json', '--exclude', 'SS-POLICY-005']);
    expect(engineIds(one.out)).toEqual(['SS-POLICY-006', 'SS-POLICY-007']);
    const all = await run(['check', dir, '--format', 'json', '--exclude', 'SS-POLICY-005,SS-POLICY-006', '--exclude', 'SS-POLICY-007,SS-K8S-010']);
    expect(engineIds(all.out)).toEqual([]);
    const ruleIds = JSON.parse(all.out).findings.map((f: any) => f.ruleId);
    expect(ruleIds).not.toContain('SS-K8S-010');
    expect(ruleIds).toContain('SS-K8S-023'); // the agent has no CPU request: the pack ran
  });

  test('a file of a synthesized folder named alone is checked with the options recorded for that folder; a file the record does not list is not', async () => {
    const dir = outdir({ exclude: ['SS-K8S-063'], trustedRegistries: [] });
    const r = await run(['check', path.join(dir, 'shop.k8s.yaml')]);
    expect(r.code).toBe(0);
    expect(ids(r.out)).toEqual([]);
    expect(r.err).toBe(`shipshape: using the Kubernetes pack options synth recorded in ${slash(path.relative(process.cwd(), dir))}/.shipshape/output.json: `
      + 'exclude SS-K8S-063; trusted registries none (SS-K8S-032 off)\n');
    writeTree(dir, { 'by-hand.yaml': CONFIG_MAP });
    const other = await run(['check', path.join(dir, 'by-hand.yaml')]);
    expect(ids(other.out)).toEqual(['SS-K8S-063']);
    expect(other.err).not.toContain('recorded');
  });

  test('they are not options of the Kubernetes pack: given alone, the options synth recorded are still used', async () => {
    const dir = outdir({ exclude: ['SS-K8S-063'], trustedRegistries: [] });
    const r = await run(['check', dir, '--exclude', 'SS-POLICY-005']);
    expect(r.code).toBe(0);
    expect(ids(r.out)).toEqual([]);
    expect(r.err).toBe(`shipshape: using the Kubernetes pack options synth recorded in ${slash(dir)}/.shipshape/output.json: `
      + 'exclude SS-K8S-063; trusted registries none (SS-K8S-032 off)\n');
  });

  test.each([
    ['SS-POLICY-001', 'it reports a suppression annotation that silences nothing; remove the annotation instead'],
    ['SS-POLICY-002', 'it reports a rule that could not check a document, which would otherwise pass unchecked'],
    ['SS-POLICY-003', 'it reports input that could not be read or checked, which would otherwise pass unchecked'],
    ['SS-POLICY-004', 'it reports a suppression annotation naming a rule that does not exist (a typo); correct the id in the annotation'],
    ['SS-POLICY-008', 'it reports an unresolved cdktf or AWS CDK token, a placeholder the cluster would get instead of the value'],
    ['SS-POLICY-009', 'it reports a suppressed finding that Pod Security admission refuses anyway; where the cluster exempts the pods, suppress SS-POLICY-009 on the object'],
  ])('%s cannot be excluded: a usage error (exit 2) that says why', async (id, why) => {
    const r = await run(['check', outdir(), '--exclude', `SS-POLICY-005,${id}`]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe(`shipshape: --exclude: ${id} cannot be excluded: ${why}; of the engine's own findings only the whole-input warnings `
      + 'SS-POLICY-005, SS-POLICY-006, SS-POLICY-007 can be left out\n');
  });
});

describe('the options synth recorded in the output folder', () => {
  test('are used for the folder, said in one stderr line naming the record', async () => {
    const dir = outdir({ exclude: ['SS-K8S-063'], trustedRegistries: [] });
    const r = await run(['check', dir]);
    expect(r.code).toBe(0);
    expect(ids(r.out)).toEqual([]);
    expect(r.err).toBe(`shipshape: using the Kubernetes pack options synth recorded in ${slash(dir)}/.shipshape/output.json: `
      + 'exclude SS-K8S-063; trusted registries none (SS-K8S-032 off)\n');
  });

  test('trusted registries recorded turn SS-K8S-032 on, as at synth', async () => {
    const dir = writeTree(tmpDir(), { 'd.yaml': DEPLOYMENT, '.shipshape/output.json': record({ exclude: [], trustedRegistries: ['registry.k8s.io'] }) });
    const r = await run(['check', dir]);
    expect(r.out).toContain('WARNING SS-K8S-032');
    expect(r.err).toContain('exclude none; trusted registries registry.k8s.io');
  });

  test('the command line wins, and says so', async () => {
    const dir = outdir({ exclude: ['SS-K8S-063'], trustedRegistries: [] });
    const r = await run(['check', dir, '--exclude', 'SS-K8S-065']);
    expect(ids(r.out)).toEqual(['SS-K8S-063']);
    expect(r.err).toBe(`shipshape: the command line's --exclude/--trusted-registry replace the Kubernetes pack options synth recorded in ${slash(dir)}/.shipshape/output.json; `
      + 'using exclude SS-K8S-065; trusted registries none (SS-K8S-032 off)\n');
  });

  test('two folders with the same options: used; with different options: refused (exit 2) unless the command line gives them', async () => {
    const a = outdir({ exclude: ['SS-K8S-063'], trustedRegistries: [] });
    const same = outdir({ exclude: ['SS-K8S-063'], trustedRegistries: [] });
    const ok = await run(['check', a, same]);
    expect(ok.code).toBe(0);
    expect(ok.err).toContain(`recorded in ${slash(a)}/.shipshape/output.json, ${slash(same)}/.shipshape/output.json: exclude SS-K8S-063`);
    const other = outdir({ exclude: [], trustedRegistries: ['ghcr.io'] });
    const refused = await run(['check', a, other]);
    expect(refused.code).toBe(2);
    expect(refused.out).toBe('');
    expect(refused.err).toBe(`shipshape: the folders were synthesized with different Kubernetes pack options (${slash(a)}/.shipshape/output.json: exclude SS-K8S-063; `
      + `trusted registries none (SS-K8S-032 off); and ${slash(other)}/.shipshape/output.json: exclude none; trusted registries ghcr.io); one run checks with one set: `
      + 'check the folders in separate runs, or give --exclude and --trusted-registry to use the same options for all\n');
    const given = await run(['check', a, other, '--exclude', 'SS-K8S-063']);
    expect(given.code).toBe(0);
    expect(given.err).toContain('replace the Kubernetes pack options synth recorded in');
  });

  test('a record without the field (no Kubernetes pack ran, or the policy was off): the defaults, nothing said', async () => {
    const r = await run(['check', outdir()]);
    expect(ids(r.out)).toEqual(['SS-K8S-063']);
    expect(r.err).toBe('');
  });

  test.each([
    ['a string', 'SS-K8S-063'],
    ['no trustedRegistries', { exclude: ['SS-K8S-063'] }],
    ['a number in exclude', { exclude: [63], trustedRegistries: [] }],
  ])('a malformed field (%s) is ignored with a note', async (_what, field) => {
    const dir = outdir(field);
    const r = await run(['check', dir]);
    expect(ids(r.out)).toEqual(['SS-K8S-063']);
    expect(r.err).toBe(`shipshape: ignored the Kubernetes pack options recorded in ${slash(dir)}/.shipshape/output.json: `
      + 'its "kubernetesPack" field is not {"exclude": [<rule id>...], "trustedRegistries": [<host pattern>...]}\n');
  });

  test('a record that is not JSON is ignored with a note', async () => {
    const dir = writeTree(tmpDir(), { 'shop.k8s.yaml': CONFIG_MAP, '.shipshape/output.json': '{"format": ' });
    const r = await run(['check', dir]);
    expect(ids(r.out)).toEqual(['SS-K8S-063']);
    expect(r.err).toContain('ignored the Kubernetes pack options recorded in');
  });

});
