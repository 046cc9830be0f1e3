// shipshape check over a folder that holds App output folders (`dist/` over `dist/k8s/`): each folder holding synth's
// record (.shipshape/output.json) is checked as an output of its own, with the Kubernetes pack options it recorded,
// as when it is named alone; the files outside such folders are one input, as before.
import * as fs from 'fs';
import * as path from 'path';
import { Chart } from 'cdk8s';
import { NODE_PORT_SERVICE, removeTempDirsAfterAll, run, tmpDir, writeTree } from './cli-helpers';
import * as k8s from '../../lib/k8s';
import * as policy from '../../lib/policy';

removeTempDirsAfterAll();

const slash = (p: string) => p.split(path.sep).join('/');
/** `ruleId file kind/name` of each finding of a JSON report, the file relative to `root`. */
const ids = (out: string, root: string) => JSON.parse(out).findings
  .map((f: any) => `${f.ruleId} ${path.relative(root, path.resolve(f.file)).split(path.sep).join('/')} ${f.kind}/${f.name}`);

/**
 * Synthesizes an App into `outdir` (a Worker `lazy` in namespace shop running `image`), with the Kubernetes pack options
 * given; returns what synth wrote to stdout and stderr.
 */
function synth(outdir: string, image: string, pack: policy.KubernetesPackProps): string {
  const app = new k8s.App({ outdir });
  policy.Policy.configure(app, { packs: [new policy.KubernetesPack(pack)] });
  new k8s.Worker(new Chart(app, 'a', { namespace: 'shop' }), 'lazy', { image, allowLatestImage: true });
  let printed = '';
  const capture = (s: any) => { printed += String(s); return true; };
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(capture);
  const out = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
  try {
    app.synth();
  } finally {
    err.mockRestore();
    out.mockRestore();
  }
  return printed;
}

const LATEST = 'ghcr.io/acme/lazy:latest';
const PINNED = 'quay.io/acme/lazy:1.2.3';

describe('an App output folder found in the folder named is checked with the options synth recorded in it', () => {
  test('exclude: the rule synth left out is not reported when the parent is checked (exit 0), as when the folder is named', async () => {
    const root = path.join(tmpDir(), 'out2');
    synth(path.join(root, 'k8s'), LATEST, { exclude: ['SS-K8S-029'] });
    const named = await run(['check', path.join(root, 'k8s')]);
    expect(named.code).toBe(0);
    const parent = await run(['check', root]);
    expect(parent.out).not.toContain('SS-K8S-029');
    expect(parent.code).toBe(0);
    expect(parent.out).toBe(named.out.replace(/\n$/, `\noutput folders checked each on its own: ${slash(root)}/k8s/ (5 documents)\n`));
    expect(parent.err).toBe(`shipshape: checking ${slash(root)}/k8s/ as an output of its own, with the Kubernetes pack options synth recorded in `
      + `${slash(root)}/k8s/.shipshape/output.json: exclude SS-K8S-029; trusted registries none (SS-K8S-032 off)\n`);
  });

  test('trustedRegistries: the SS-K8S-032 warning synth printed is reported when the parent is checked', async () => {
    const root = path.join(tmpDir(), 'dist');
    const printed = synth(path.join(root, 'k8s'), PINNED, { trustedRegistries: ['ghcr.io'] });
    expect(printed).toContain('SS-K8S-032');
    const r = await run(['check', root, '--format', 'json']);
    expect(r.code).toBe(0);
    expect(ids(r.out, root).filter((f: string) => f.startsWith('SS-K8S-032'))).toEqual(['SS-K8S-032 k8s/a.k8s.yaml Deployment/lazy']);
    expect(r.err).toContain(`with the Kubernetes pack options synth recorded in ${slash(root)}/k8s/.shipshape/output.json: exclude none; trusted registries ghcr.io\n`);
    // with --format json the summary goes to stderr, the folder named in it
    expect(r.err).toContain(`output folders checked each on its own: ${slash(root)}/k8s/ (5 documents)\n`);
  });

  test('an App folder deeper down is found too, and a folder in it takes no part (its files are the App\'s)', async () => {
    const root = tmpDir();
    synth(path.join(root, 'envs', 'prod', 'k8s'), LATEST, { exclude: ['SS-K8S-029'] });
    writeTree(root, { 'envs/prod/k8s/extra/more.yaml': NODE_PORT_SERVICE });
    const r = await run(['check', root, '--format', 'json']);
    expect(r.code).toBe(0);
    expect(ids(r.out, root)).toContain('SS-K8S-051 envs/prod/k8s/extra/more.yaml Service/s');
    expect(r.err).toContain(`output folders checked each on its own: ${slash(root)}/envs/prod/k8s/ (6 documents)\n`);
  });
});

describe('two App output folders under one parent', () => {
  /** Two Apps writing the same objects (same names): a/ synthesized without SS-K8S-029, b/ trusting ghcr.io only. */
  function twoApps(): string {
    const root = path.join(tmpDir(), 'dist');
    synth(path.join(root, 'a'), LATEST, { exclude: ['SS-K8S-029'] });
    synth(path.join(root, 'b'), PINNED, { trustedRegistries: ['ghcr.io'] });
    return root;
  }

  test('no SS-POLICY-005 across them, and each is checked with its own options', async () => {
    const root = twoApps();
    const r = await run(['check', root, '--format', 'json']);
    const found = ids(r.out, root);
    expect(found.filter((f: string) => f.startsWith('SS-POLICY-005'))).toEqual([]);
    // a/ left SS-K8S-029 out; b/ pins its image but takes it from quay.io, which it does not trust
    expect(found.filter((f: string) => /^SS-K8S-0(29|32)/.test(f))).toEqual(['SS-K8S-032 b/a.k8s.yaml Deployment/lazy']);
    expect(r.code).toBe(0);
    expect(r.err).toContain(`shipshape: checking ${slash(root)}/a/ as an output of its own, with the Kubernetes pack options synth recorded in `
      + `${slash(root)}/a/.shipshape/output.json: exclude SS-K8S-029; trusted registries none (SS-K8S-032 off)\n`);
    expect(r.err).toContain(`shipshape: checking ${slash(root)}/b/ as an output of its own, with the Kubernetes pack options synth recorded in `
      + `${slash(root)}/b/.shipshape/output.json: exclude none; trusted registries ghcr.io\n`);
    expect(r.err).toContain(`output folders checked each on its own: ${slash(root)}/a/ (5 documents), ${slash(root)}/b/ (5 documents)\n`);
    // different options in the two records are no conflict: each folder is its own output
    expect(r.err).not.toContain('different Kubernetes pack options');
    // the report lists the rules that ran in some output: SS-K8S-029 ran in b/
    expect(JSON.parse(r.out).rules.map((x: any) => x.id)).toContain('SS-K8S-029');
  });

  test('the exit code is an error when one of them has an error', async () => {
    const root = twoApps();
    // c/: a's output with a record of the default options
    fs.cpSync(path.join(root, 'a'), path.join(root, 'c'), { recursive: true });
    const record = path.join(root, 'c', '.shipshape', 'output.json');
    const data = JSON.parse(fs.readFileSync(record, 'utf-8'));
    fs.writeFileSync(record, JSON.stringify({ ...data, kubernetesPack: { exclude: [], trustedRegistries: [] } }));
    const r = await run(['check', root, '--format', 'json']);
    expect(ids(r.out, root).filter((f: string) => /^SS-K8S-029|^SS-POLICY-005/.test(f))).toEqual(['SS-K8S-029 c/a.k8s.yaml Deployment/lazy']);
    expect(r.code).toBe(1);
  });

  test('a record whose exclude names no rule of the pack (an older shipshape, or written by hand) is ignored, and says why', async () => {
    const root = twoApps();
    const record = path.join(root, 'a', '.shipshape', 'output.json');
    const data = JSON.parse(fs.readFileSync(record, 'utf-8'));
    fs.writeFileSync(record, JSON.stringify({ ...data, kubernetesPack: { exclude: ['ss-k8s-029'], trustedRegistries: [] } }));
    const r = await run(['check', path.join(root, 'a'), '--format', 'json']);
    expect(r.err).toContain(`shipshape: ignored the Kubernetes pack options recorded in ${slash(root)}/a/.shipshape/output.json: exclude ("ss-k8s-029") is not a rule of the Kubernetes pack `
      + '(SS-K8S-001 … SS-K8S-102); list the ids as the policy report shows them (did you mean SS-K8S-029?)\n');
    // the pack's defaults then: SS-K8S-029 runs
    expect(ids(r.out, root).filter((f: string) => f.startsWith('SS-K8S-029'))).toEqual(['SS-K8S-029 a/a.k8s.yaml Deployment/lazy']);
  });

  test('options on the command line replace every record\'s, and each folder is still an output of its own', async () => {
    const root = twoApps();
    const r = await run(['check', root, '--format', 'json', '--exclude', 'SS-K8S-029']);
    const found = ids(r.out, root);
    expect(found.filter((f: string) => /^SS-K8S-0(29|32)|^SS-POLICY-005/.test(f))).toEqual([]);
    expect(r.err).toContain('shipshape: the command line\'s --exclude/--trusted-registry replace the Kubernetes pack options synth recorded in '
      + `${slash(root)}/a/.shipshape/output.json, ${slash(root)}/b/.shipshape/output.json; using exclude SS-K8S-029; trusted registries none (SS-K8S-032 off)\n`);
    expect(r.err).not.toContain('as an output of its own');
    expect(r.code).toBe(0);
  });

  test('naming both folders is unchanged: one input (SS-POLICY-005), and their different options a conflict', async () => {
    const root = twoApps();
    const r = await run(['check', path.join(root, 'a'), path.join(root, 'b')]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('the folders were synthesized with different Kubernetes pack options');
  });
});

describe('files outside the App output folders', () => {
  /** An App output folder app/ (synthesized without SS-K8S-029) and loose files beside it. */
  function appAndLoose(loose: { [rel: string]: string }): string {
    const root = path.join(tmpDir(), 'dist');
    synth(path.join(root, 'app'), LATEST, { exclude: ['SS-K8S-029'] });
    return writeTree(root, loose);
  }
  /** A Deployment of the App's name and namespace running a latest image: SS-K8S-029 under the default options. */
  const deployment = (name: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}, namespace: shop}\n`
    + `spec: {selector: {matchLabels: {app: ${name}}}, template: {metadata: {labels: {app: ${name}}}, spec: {containers: [{name: c, image: "${LATEST}"}]}}}\n`;

  test('a loose YAML file beside an App folder is checked as before: with the defaults, not the App\'s record', async () => {
    const root = appAndLoose({ 'loose.yaml': deployment('lazy') + '---\n' + NODE_PORT_SERVICE });
    const r = await run(['check', root, '--format', 'json']);
    const found = ids(r.out, root);
    expect(found).toContain('SS-K8S-029 loose.yaml Deployment/lazy');
    expect(found).toContain('SS-K8S-051 loose.yaml Service/s');
    expect(found.filter((f: string) => f.includes(' app/'))).toEqual([]);
    // the loose Deployment has the App's Deployment's name: two separate inputs, no object held twice
    expect(found.filter((f: string) => f.startsWith('SS-POLICY-005'))).toEqual([]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`output folders checked each on its own: ${slash(root)}/app/ (5 documents); 2 documents outside them, checked as one input\n`);
  });

  test('the loose files are one input among themselves: an object they hold twice is still SS-POLICY-005', async () => {
    const root = appAndLoose({ 'x/one.yaml': NODE_PORT_SERVICE, 'y/two.yaml': NODE_PORT_SERVICE });
    const r = await run(['check', root, '--format', 'json']);
    expect(ids(r.out, root).filter((f: string) => f.startsWith('SS-POLICY-005'))).toEqual(['SS-POLICY-005 y/two.yaml Service/s']);
    expect(r.code).toBe(0);
  });
});

test('a fleet checked from its parent: each cluster with the options synth recorded for it', async () => {
  const root = tmpDir();
  synth(path.join(root, 'fleet', 'prod'), LATEST, { exclude: ['SS-K8S-029'] });
  fs.cpSync(path.join(root, 'fleet', 'prod'), path.join(root, 'fleet', 'dev'), { recursive: true });
  const record = path.join(root, 'fleet', 'dev', '.shipshape', 'output.json');
  fs.writeFileSync(record, JSON.stringify({ ...JSON.parse(fs.readFileSync(record, 'utf-8')), kubernetesPack: { exclude: [], trustedRegistries: [] } }));
  writeTree(root, { 'fleet/.shipshape/fleet.json': JSON.stringify({ format: 'shipshape-fleet/v1', folders: ['dev', 'prod'] }) });
  const fleet = await run(['check', path.join(root, 'fleet'), '--format', 'json']);
  const parent = await run(['check', root, '--format', 'json']);
  const errors = (out: string) => ids(out, root).filter((f: string) => /^SS-K8S-029|^SS-POLICY-005/.test(f));
  expect(errors(fleet.out)).toEqual(['SS-K8S-029 fleet/dev/a.k8s.yaml Deployment/lazy']);
  expect(errors(parent.out)).toEqual(errors(fleet.out));
  expect(parent.code).toBe(1);
});
