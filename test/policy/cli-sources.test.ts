// `shipshape check -` (a YAML stream on standard input, what `helm template` and `kustomize build` print), and the
// kustomize and Helm sources that are not manifests: skipped in a folder search with a note, refused when named.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Readable } from 'stream';
import { ApiObject, Chart } from 'cdk8s';
import { NODE_PORT_SERVICE, removeTempDirsAfterAll, run, Run, tmpDir, writeTree } from './cli-helpers';
import { App } from '../../lib/k8s';
import { main } from '../../lib/policy/cli';

removeTempDirsAfterAll();

const slash = (p: string) => p.split(path.sep).join('/');
const posix = process.platform !== 'win32';

/** Runs `shipshape <argv>` in this process with `stdin` (chunks, or one text) as its standard input. */
async function runWithStdin(argv: string[], stdin: string | (string | Buffer)[] | AsyncIterable<Buffer | string>): Promise<Run> {
  let out = '';
  let err = '';
  const stream = typeof stdin === 'string' ? Readable.from([Buffer.from(stdin, 'utf-8')]) : Array.isArray(stdin) ? Readable.from(stdin) : stdin;
  const code = await main(argv, { out: s => { out += s; }, err: s => { err += s; }, stdin: stream });
  return { code, out, err };
}

/** A ConfigMap that breaks no rule. */
const CONFIG_MAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: shop, labels: {app.kubernetes.io/name: shop}}\ndata: {level: info}\n';
/** What `helm template` prints: a # Source: comment above each document. */
const RENDERED = `---\n# Source: shop/templates/cm.yaml\n${CONFIG_MAP}---\n# Source: shop/templates/svc.yaml\n${NODE_PORT_SERVICE}`;

describe('standard input (-)', () => {
  test('a YAML stream on standard input is checked as <stdin>, beside the files named; the reports name it', async () => {
    const dir = writeTree(tmpDir(), { 'other.yaml': NODE_PORT_SERVICE.replace('name: s,', 'name: t,') });
    const r = await runWithStdin(['check', path.join(dir, 'other.yaml'), '-', '--json', path.join(dir, 'r.json')], RENDERED);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    // the Service is the second document; its line is its first content, under the # Source: comment
    expect(r.out).toContain('<stdin> [document 1, line 9] (Service s)\n  WARNING SS-K8S-051 at spec.type: Service is of type NodePort');
    expect(r.out).toContain(`${slash(dir)}/other.yaml [document 0, line 1] (Service t)`);
    expect(r.out).toContain('checked 3 documents in 2 files\n');
    const report = JSON.parse(fs.readFileSync(path.join(dir, 'r.json'), 'utf-8'));
    expect(report.findings.map((f: any) => [f.file, f.index, f.line, f.path, f.name])).toEqual([
      [`${slash(dir)}/other.yaml`, 0, 1, `${slash(dir)}/other.yaml#0`, 't'],
      ['<stdin>', 1, 9, '<stdin>#1', 's'],
    ]);
  });

  test('chunks cut anywhere (in a line, in a UTF-8 character, between \\r and \\n) read as the whole stream', async () => {
    const text = '\ufeff' + RENDERED.replace('level: info', 'level: "inför"').split('\n').join('\r\n');
    const bytes = Buffer.from(text, 'utf-8');
    const whole = await runWithStdin(['check', '-', '--format', 'json'], text);
    const ä = bytes.indexOf(Buffer.from('ö', 'utf-8'));
    const cr = bytes.indexOf(13);
    const cuts = [1, 2, cr + 1, ä + 1, 40, 41, 100].sort((a, b) => a - b);
    const chunks = cuts.map((c, i) => bytes.subarray(i === 0 ? 0 : cuts[i - 1], c)).concat([bytes.subarray(cuts[cuts.length - 1])]);
    const cut = await runWithStdin(['check', '-', '--format', 'json'], chunks);
    expect(cut.code).toBe(0);
    expect(cut.out).toBe(whole.out);
    expect(JSON.parse(cut.out).findings.map((f: any) => [f.ruleId, f.index, f.line])).toEqual([['SS-K8S-051', 1, 9]]);
  });

  test('- named twice is a usage error (exit 2): one stream is read once', async () => {
    const r = await runWithStdin(['check', '-', 'x.yaml', '-'], RENDERED);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe('shipshape: - (standard input) is named more than once; it is one stream and can be read once: name it once (to check a file named -, write ./-)\n');
  });

  test('empty standard input (the command before the | failed): no documents, exit 2, and the message says so', async () => {
    for (const text of ['', '# nothing rendered\n---\n']) {
      const r = await runWithStdin(['check', '-'], text);
      expect(r.code).toBe(2);
      expect(r.err).toBe('shipshape: no Kubernetes documents found: standard input (-) is empty or holds only comments and --- separators (did the command before the | fail?)\n');
    }
  });

  test('a List with no items on standard input is said to be one (not "empty"); in a file too', async () => {
    const r = await runWithStdin(['check', '-'], 'apiVersion: v1\nkind: List\nitems: []\n');
    expect(r.code).toBe(2);
    expect(r.err).toBe('shipshape: no Kubernetes documents found: standard input (-) holds a List with no items (items: [])\n');
    const dir = writeTree(tmpDir(), { 'l.yaml': 'apiVersion: v1\nkind: List\nitems: []\n' });
    const f = await run(['check', path.join(dir, 'l.yaml')]);
    expect(f.err).toContain('holds only Lists with no items (items: []), comments and --- separators\n');
  });

  test('the closing line counts the documents that were not checked (a Helm template), beside those that were', async () => {
    const r = await runWithStdin(['check', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Values.name }}\n');
    expect(r.code).toBe(1);
    expect(r.out).toContain('checked 0 documents (1 more not checked: see SS-POLICY-003) in 1 file\n');
  });

  test('past --max-file-size, reading stops: an SS-POLICY-003 error, exit 2; the documents before that point are checked', async () => {
    const padding = `---\n${CONFIG_MAP.replace('level: info', `level: "${'x'.repeat(2000)}"`)}`;
    const r = await runWithStdin(['check', '-', '--max-file-size', '1KiB', '--format', 'json'], [NODE_PORT_SERVICE, padding, padding]);
    expect(r.code).toBe(2);
    const findings = JSON.parse(r.out).findings;
    expect(findings.map((f: any) => [f.ruleId, f.file])).toEqual([['SS-POLICY-003', '<stdin>'], ['SS-K8S-051', '<stdin>']]);
    expect(findings[0].message).toBe('standard input (-) is over the limit of 1 KiB (1024 bytes) per file; reading stopped there '
      + '(the documents before that point were checked, the rest was not): raise the limit with --max-file-size');
    expect(r.err).toContain('shipshape: 1 input could not be read (see SS-POLICY-003 above); the check is incomplete\n');
  });

  test('a stream that fails while it is read is an SS-POLICY-003 error naming the error, exit 2', async () => {
    async function* failing(): AsyncIterable<Buffer> {
      yield Buffer.from(NODE_PORT_SERVICE);
      throw Object.assign(new Error('i/o error'), { code: 'EIO' });
    }
    const r = await runWithStdin(['check', '-'], failing());
    expect(r.code).toBe(2);
    expect(r.out).toContain('<stdin>\n  ERROR SS-POLICY-003: cannot read standard input (-): an input/output error (EIO)\n    fix: pipe YAML into shipshape check -, or name files or folders');
  });

  test('SARIF: results read from standard input point at the URI stdin, with no base (no file of the repository holds them)', async () => {
    const r = await runWithStdin(['check', '-', '--format', 'sarif'], RENDERED);
    const result = JSON.parse(r.out).runs[0].results[0];
    expect(result.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'stdin', description: { text: 'standard input (shipshape check -): the documents were read from a pipe, not from a file' } },
      region: { startLine: 9 },
    });
    expect(result.locations[0].logicalLocations[0].fullyQualifiedName).toBe('<stdin>#1');
  });

  test('`helm template ... | shipshape check -`: the standard input of a real process (a pipe) is read to its end', () => {
    const root = path.resolve(__dirname, '..', '..');
    const script = "require('./lib/policy/cli').main(process.argv.slice(1)).then(c => { process.exitCode = c; })";
    const env = { ...process.env, TS_NODE_PROJECT: path.join(root, 'tsconfig.json'), TS_NODE_TRANSPILE_ONLY: 'true' };
    // more than one pipe buffer (64 KiB), so the stream arrives in several reads
    const many = Array.from({ length: 400 }, (_, i) => CONFIG_MAP.replace('name: settings', `name: settings-${i}`)).join('---\n');
    const r = spawnSync(process.execPath, ['-r', 'ts-node/register', '-e', script, 'check', '-'], { cwd: root, env, input: `${many}${RENDERED}`, encoding: 'utf-8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`<stdin> [document 401, line ${400 * 5 + 8}] (Service s)`);
    expect(r.stdout).toContain('checked 402 documents in 1 file\n');
    expect(r.status).toBe(0);
  }, 120000);

  (posix ? test : test.skip)('a FIFO named as a path is still refused, never opened; the error says to pipe it into -', async () => {
    const dir = tmpDir();
    const fifo = path.join(dir, 'rendered.yaml');
    spawnSync('mkfifo', [fifo]);
    const r = await runWithStdin(['check', fifo], '');
    expect(r.code).toBe(2);
    expect(r.out).toContain(`ERROR SS-POLICY-003: ${slash(fifo)} is a FIFO (named pipe), not a file or folder: only regular files and folders are checked; `
      + 'to check what a command prints, pipe it in and name - (standard input): helm template <chart> | shipshape check -');
  });
});

describe('kustomize and Helm sources', () => {
  const KUSTOMIZATION = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [deployment.yaml]\npatches: [{path: replicas.yaml}]\n';
  /** A partial patch: a Deployment without namespace, containers or anything else. */
  const PATCH = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 3}\n';
  const CHART = 'apiVersion: v2\nname: shop\nversion: 1.0.0\n';

  /** A repository: rendered manifests, a kustomize base and overlay, a Helm chart (with a sub-chart). */
  const repo = () => writeTree(tmpDir(), {
    'rendered/cm.yaml': CONFIG_MAP,
    'kustomize/base/kustomization.yaml': KUSTOMIZATION,
    'kustomize/base/replicas.yaml': PATCH,
    'kustomize/overlays/prod/kustomization.yml': 'resources: [../../base]\n',
    'kustomize/overlays/prod/patch.yaml': PATCH,
    'charts/shop/Chart.yaml': CHART,
    'charts/shop/values.yaml': 'replicas: 2\nimage: {tag: 1.0.0}\n',
    'charts/shop/templates/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n',
    'charts/shop/charts/redis/Chart.yaml': CHART.replace('shop', 'redis'),
    'charts/shop/charts/redis/values.yaml': 'port: 6379\n',
  });

  test('a folder search skips each kustomize or Helm source folder (its whole subtree), with one note naming the command, counted on the summary line', async () => {
    const dir = repo();
    const r = await runWithStdin(['check', dir], '');
    expect(r.code).toBe(0);
    expect(r.err).toBe([
      `shipshape: skipped ${slash(dir)}/charts/shop/: a Helm chart (it holds Chart.yaml), not manifests; check what it renders: helm template ${slash(dir)}/charts/shop | shipshape check -`,
      `shipshape: skipped ${slash(dir)}/kustomize/base/: a kustomize source (it holds kustomization.yaml), not manifests; check what it renders: kustomize build ${slash(dir)}/kustomize/base | shipshape check -`,
      `shipshape: skipped ${slash(dir)}/kustomize/overlays/prod/: a kustomize source (it holds kustomization.yml), not manifests; check what it renders: kustomize build ${slash(dir)}/kustomize/overlays/prod | shipshape check -`,
      '',
    ].join('\n'));
    // no finding about a values file, a template or a partial patch: only the rendered ConfigMap was read
    expect(r.out).toBe('shipshape policy: 0 errors, 0 warnings, 0 suppressed\n'
      + 'checked 1 document in 1 file; skipped 3 kustomize or Helm sources (render them and check the output: see above)\n');
  });

  test('a folder holding Kustomization (the third name kustomize reads) is a source too; a folder of manifests beside it is read', async () => {
    const dir = writeTree(tmpDir(), { 'app/Kustomization': KUSTOMIZATION, 'app/replicas.yaml': PATCH, 'svc/svc.yaml': NODE_PORT_SERVICE });
    const r = await runWithStdin(['check', dir], '');
    expect(r.err).toBe(`shipshape: skipped ${slash(dir)}/app/: a kustomize source (it holds Kustomization), not manifests; check what it renders: kustomize build ${slash(dir)}/app | shipshape check -\n`);
    expect(r.out).toContain('checked 1 document in 1 file; skipped 1 kustomize or Helm source (render it and check the output: see above)\n');
  });

  test('nothing but sources: nothing checked, exit 2, and the message says what was skipped', async () => {
    const dir = writeTree(tmpDir(), { 'base/kustomization.yaml': KUSTOMIZATION, 'base/replicas.yaml': PATCH });
    const r = await runWithStdin(['check', dir], '');
    expect(r.code).toBe(2);
    expect(r.err).toContain('shipshape: no Kubernetes documents found: nothing was read; skipped 1 kustomize or Helm source (render it and check the output: see above)\n');
  });

  test('a source folder named on the command line is refused: SS-POLICY-003 with the command to run, exit 2; the other inputs are checked', async () => {
    const dir = repo();
    const r = await runWithStdin(['check', path.join(dir, 'kustomize', 'base'), path.join(dir, 'charts', 'shop'), path.join(dir, 'rendered')], '');
    expect(r.code).toBe(2);
    const base = `${slash(dir)}/kustomize/base`;
    const chart = `${slash(dir)}/charts/shop`;
    expect(r.out).toContain(`${base}\n  ERROR SS-POLICY-003: ${base} is a kustomize source (it holds kustomization.yaml), not a folder of manifests: `
      + `check what it renders: kustomize build ${base} | shipshape check -\n    fix: render it and check the output: kustomize build ${base} | shipshape check -\n`);
    expect(r.out).toContain(`${chart}\n  ERROR SS-POLICY-003: ${chart} is a Helm chart (it holds Chart.yaml), not a folder of manifests: `
      + `check what it renders: helm template ${chart} | shipshape check -\n    fix: render it and check the output: helm template ${chart} | shipshape check -\n`);
    expect(r.out).toContain('checked 1 document in 1 file\n');
    expect(r.err).toBe('shipshape: 2 inputs could not be read (see SS-POLICY-003 above); the check is incomplete\n');
  });

  test('a kustomize Kustomization or Component document is an SS-POLICY-003 error with the command, not an object for the rules', async () => {
    const dir = writeTree(tmpDir(), {
      'k.yaml': `${KUSTOMIZATION}---\napiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: [cm.yaml]\n`,
    });
    const r = await runWithStdin(['check', path.join(dir, 'k.yaml')], '');
    expect(r.code).toBe(1);
    const fix = `    fix: render it and check the output: kustomize build ${slash(dir)} | shipshape check -\n`;
    expect(r.out).toBe('shipshape policy: 2 errors, 0 warnings, 0 suppressed\n'
      + `\n${slash(dir)}/k.yaml [document 0, line 1]\n  ERROR SS-POLICY-003: document 0 is a kustomize Kustomization (apiVersion kustomize.config.k8s.io/v1beta1), `
      + `kustomize's input, not a Kubernetes object; check what it renders: kustomize build ${slash(dir)} | shipshape check -\n${fix}`
      + `\n${slash(dir)}/k.yaml [document 1, line 6]\n  ERROR SS-POLICY-003: document 1 is a kustomize Component (apiVersion kustomize.config.k8s.io/v1alpha1), `
      + `kustomize's input, not a Kubernetes object; check what it renders: kustomize build ${slash(dir)} | shipshape check -\n${fix}`
      + 'checked 0 documents (2 more not checked: see SS-POLICY-003) in 1 file\n');
    // on standard input the folder is not known
    const piped = await runWithStdin(['check', '-'], KUSTOMIZATION);
    expect(piped.out).toContain('check what it renders: kustomize build <dir> | shipshape check -');
  });

  test("Flux's Kustomization (kustomize.toolkit.fluxcd.io) is an object of the API and is checked", async () => {
    const flux = 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: apps, namespace: flux-system}\nspec: {interval: 10m, path: ./apps, prune: true, sourceRef: {kind: GitRepository, name: flux-system}}\n';
    const r = await runWithStdin(['check', '-', '--format', 'json'], flux);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).findings.filter((f: any) => f.ruleId === 'SS-POLICY-003')).toEqual([]);
    expect(r.err).toContain('checked 1 document in 1 file');
  });

  test("a chart's Chart.yaml or values file, or a kustomization.yaml without apiVersion, named directly: SS-POLICY-003 with the command that renders it", async () => {
    const dir = repo();
    const shown = (rel: string) => `${slash(dir)}/${rel}`;
    const files = ['charts/shop/Chart.yaml', 'charts/shop/values.yaml', 'kustomize/overlays/prod/kustomization.yml'].map(f => path.join(dir, f));
    const r = await runWithStdin(['check', ...files, '--format', 'json'], '');
    expect(r.code).toBe(1);
    // the fix is in the summary (on stderr with --format json); the JSON report has the message
    const fixes = [...r.err.matchAll(/^ {4}fix: (.*)$/gm)].map(m => m[1]);
    expect(JSON.parse(r.out).findings.map((f: any, i: number) => [f.file, f.message, fixes[i]])).toEqual([
      [shown('charts/shop/Chart.yaml'), `document 0 has no kind; it is not a Kubernetes object: the file is a Helm chart's Chart.yaml; check what it renders: helm template ${shown('charts/shop')} | shipshape check -`,
        `render it and check the output: helm template ${shown('charts/shop')} | shipshape check -`],
      [shown('charts/shop/values.yaml'), `document 0 has no kind; it is not a Kubernetes object: its folder is a Helm chart (it holds Chart.yaml); check what it renders: helm template ${shown('charts/shop')} | shipshape check -`,
        `render it and check the output: helm template ${shown('charts/shop')} | shipshape check -`],
      [shown('kustomize/overlays/prod/kustomization.yml'), 'document 0 has no kind; it is not a Kubernetes object: the file is a kustomization file (kustomize\'s input); '
        + `check what it renders: kustomize build ${shown('kustomize/overlays/prod')} | shipshape check -`, `render it and check the output: kustomize build ${shown('kustomize/overlays/prod')} | shipshape check -`],
    ]);
  });

  test("shipshape's output folders are read as manifests: a kustomization.yaml a team put beside synth's files is skipped with a note, the files are checked", async () => {
    const dir = tmpDir();
    const app = new App({ outdir: dir });
    const chart = new Chart(app, 'ops', { namespace: 'ops' });
    new ApiObject(chart, 'svc', { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { type: 'NodePort', ports: [{ port: 80 }] } });
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      app.synth();
    } finally {
      spy.mockRestore();
    }
    const written = fs.readdirSync(dir).filter(f => f.endsWith('.yaml'));
    expect(written).toEqual(['ops.k8s.yaml']);
    expect(fs.existsSync(path.join(dir, '.shipshape', 'output.json'))).toBe(true);
    // a team lists synth's files for `kubectl apply -k`
    writeTree(dir, { 'kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [${written[0]}]\n` });
    const r = await runWithStdin(['check', dir, '--format', 'json'], '');
    expect(r.err).toContain(`shipshape: skipped ${slash(dir)}/kustomization.yaml: a kustomization file (kustomize's input), not a Kubernetes object (the manifests beside it are checked)\n`);
    // synth's record (output.json) and both reports (policy-report.json and .sarif)
    expect(fs.readdirSync(path.join(dir, '.shipshape')).sort()).toEqual(['output.json', 'policy-report.json', 'policy-report.sarif']);
    expect(r.err).toContain('checked 1 document in 1 file; skipped 3 files of shipshape\'s own (in .shipshape/) and 1 kustomize or Helm source');
    const report = JSON.parse(r.out);
    expect(report.findings.map((f: any) => f.ruleId)).toContain('SS-K8S-051'); // the Service was checked
    expect(report.findings.map((f: any) => f.ruleId)).not.toContain('SS-POLICY-003');
  });

  test("a fleet's folder (.shipshape/fleet.json) and the folders in it are output too: a kustomization in a team folder skips only itself", async () => {
    const dir = writeTree(tmpDir(), {
      '.shipshape/fleet.json': JSON.stringify({ format: 'shipshape-fleet/v1', folders: ['prod'] }),
      'prod/shop/ConfigMap.settings.k8s.yaml': CONFIG_MAP,
      'prod/shop/kustomization.yaml': 'resources: [ConfigMap.settings.k8s.yaml]\n',
    });
    const r = await runWithStdin(['check', dir], '');
    expect(r.code).toBe(0);
    expect(r.err).toBe(`shipshape: skipped ${slash(dir)}/prod/shop/kustomization.yaml: a kustomization file (kustomize's input), not a Kubernetes object (the manifests beside it are checked)\n`);
    expect(r.out).toContain('checked 1 document in 1 file; skipped 1 file of shipshape\'s own (in .shipshape/) and 1 kustomize or Helm source');
    // the same tree without the record is a kustomize source
    fs.rmSync(path.join(dir, '.shipshape'), { recursive: true });
    const plain = await runWithStdin(['check', dir], '');
    expect(plain.err).toContain(`skipped ${slash(dir)}/prod/shop/: a kustomize source (it holds kustomization.yaml)`);
  });

});
