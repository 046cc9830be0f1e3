// `shipshape check` on input a new user met: List items that are null, YAML alias bombs, rules left out with
// --exclude, two outputs checked at once, an empty run after a full one, and messages that name what is wrong.
import * as fs from 'fs';
import * as path from 'path';
import { Chart } from 'cdk8s';
import { NODE_PORT_SERVICE, removeTempDirsAfterAll, run, tmpDir, writeTree } from './cli-helpers';
import { App, WebService } from '../../lib/k8s';

removeTempDirsAfterAll();

const CONFIG_MAP = (name: string, extra = '') => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: shop\n${extra}data: {level: info}\n`;

describe('List items that are not objects', () => {
  test.each([
    ['- null', 'null'],
    ['-', 'null'],
    ['- 42', 'number'],
  ])('an item `%s` is an SS-POLICY-003 error at the item, and the rest of the run goes on', async (item, what) => {
    const dir = writeTree(tmpDir(), {
      'list.yaml': `apiVersion: v1\nkind: List\nitems:\n${item}\n- ${CONFIG_MAP('a').trim().split('\n').join('\n  ')}\n`,
      'other/cm.yaml': CONFIG_MAP('b'),
    });
    const r = await run(['check', dir, '--format', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out);
    const bad = report.findings.filter((f: any) => f.ruleId === 'SS-POLICY-003');
    expect(bad.map((f: any) => f.message)).toEqual([`document 0: items[0] is not an object (${what})`]);
    // both ConfigMaps were checked
    expect(r.err).toContain('checked 2 documents (1 more not checked: see SS-POLICY-003) in 2 files');
    expect(report.findings.filter((f: any) => f.ruleId !== 'SS-POLICY-003')).toEqual([]);
  });

  test('a List item without a kind is named by its place in the List, not as the List document', async () => {
    const dir = writeTree(tmpDir(), { 'list.json': JSON.stringify({ apiVersion: 'apps/v1', kind: 'DeploymentList', items: [{ apiVersion: 'apps/v1', metadata: { name: 'x' } }] }) });
    const r = await run(['check', dir]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('document 0: items[0] has no kind; it is not a Kubernetes object');
    expect(r.out).not.toContain('document 0 has no kind');
  });

  test('a JSON List with a null item is reported the same way', async () => {
    const dir = writeTree(tmpDir(), { 'list.json': JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [null] }) });
    const r = await run(['check', dir]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('document 0: items[0] is not an object (null)');
  });
});

describe('YAML aliases', () => {
  /** `levels` nested lists of nine aliases of the level below: 9^levels values once expanded, in a few hundred bytes. */
  const bomb = (levels: number) => {
    const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: bomb, namespace: shop}', 'x0: &a0 [lol]'];
    for (let i = 1; i <= levels; i++) lines.push(`x${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]`);
    lines.push('data: {k: v}');
    return lines.join('\n') + '\n';
  };

  test('an alias bomb is refused at once as SS-POLICY-003, not walked for ever', async () => {
    const dir = writeTree(tmpDir(), { 'bomb.yaml': bomb(12) });
    const t0 = Date.now();
    const r = await run(['check', dir]);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/document 0 repeats its YAML aliases into more than \d+ objects and lists \(an alias bomb: kubectl refuses it as excessive aliasing\); it is not checked/);
  });

  test('a few aliases (a shared block written once) are read and checked', async () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: shop, labels: &l {app: shop}, annotations: *l}\ndata: {k: v}\n';
    const r = await run(['check', writeTree(tmpDir(), { 'c.yaml': text })]);
    expect(r.code).toBe(0);
  });
});

describe('rules left out with --exclude', () => {
  test('a suppression of an excluded rule is neither an error nor stale: it waits for the runs that include the rule', async () => {
    const dir = writeTree(tmpDir(), {
      'cm.yaml': CONFIG_MAP('settings', '  annotations:\n    suppress.shipshape.io/SS-K8S-063: "the token is a public sandbox token"\n').replace('data: {level: info}', 'data: {API_TOKEN: abc}'),
    });
    const excluded = await run(['check', dir, '--exclude', 'SS-K8S-063']);
    expect(excluded.code).toBe(0);
    expect(excluded.out).not.toContain('SS-POLICY');
    const included = await run(['check', dir]);
    expect(included.code).toBe(0);
    expect(included.out).toContain('1 suppressed');
  });
});

describe('two outputs in one run', () => {
  test('an object that two files hold is an SS-POLICY-005 warning at the second, naming the first', async () => {
    const role = (verbs: string) => `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: app-reader}\nrules: [{apiGroups: [apps], resources: [deployments], verbs: [${verbs}]}]\n`;
    const dir = writeTree(tmpDir(), { 'prod/rbac.yaml': role('get'), 'staging/rbac.yaml': role('get, list') });
    const r = await run(['check', dir, '--format', 'json']);
    const dup = JSON.parse(r.out).findings.filter((f: any) => f.ruleId === 'SS-POLICY-005');
    expect(dup).toHaveLength(1);
    expect(dup[0]).toMatchObject({
      severity: 'warning',
      message: expect.stringMatching(/^ClusterRole app-reader is also in .*prod\/rbac\.yaml \(document 0, line 1\): the rules that look it up by name read that one$/),
    });
    expect(dup[0].file).toMatch(/staging\/rbac\.yaml$/);
  });

  test('one object per output: no warning', async () => {
    const dir = writeTree(tmpDir(), { 'a.yaml': CONFIG_MAP('a'), 'b.yaml': CONFIG_MAP('b') });
    expect((await run(['check', dir])).out).not.toContain('SS-POLICY-005');
  });
});

describe('reports', () => {
  test('a run that finds nothing to check removes the reports an earlier run wrote at the same paths', async () => {
    const dir = tmpDir();
    writeTree(dir, { 'in/cm.yaml': CONFIG_MAP('a') });
    const json = path.join(dir, 'report.json');
    const sarif = path.join(dir, 'report.sarif');
    expect((await run(['check', path.join(dir, 'in'), '--json', json, '--sarif', sarif])).code).toBe(0);
    expect(fs.existsSync(json) && fs.existsSync(sarif)).toBe(true);
    fs.mkdirSync(path.join(dir, 'empty'));
    const r = await run(['check', path.join(dir, 'empty'), '--json', json, '--sarif', sarif]);
    expect(r.code).toBe(2);
    expect(fs.existsSync(json) || fs.existsSync(sarif)).toBe(false);
    expect(r.err).toContain(`removed ${json}, the report of an earlier run: this run checked nothing`);
  });

  test('--json and --sarif naming one file is refused', async () => {
    const dir = writeTree(tmpDir(), { 'cm.yaml': CONFIG_MAP('a') });
    const r = await run(['check', dir, '--json', path.join(dir, 'r'), '--sarif', path.join(dir, '.', 'r')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--json and --sarif name the same file .*: the SARIF log would overwrite the JSON report; give each its own file/);
  });

  describe('a report is never written over an input', () => {
    const MANIFEST = CONFIG_MAP('a');

    test('--json naming the input file (as named, through another spelling, or a link) is refused, exit 2, and the input is left as it was', async () => {
      const dir = writeTree(tmpDir(), { 'ns2.yaml': MANIFEST, 'empty.yaml': '' });
      const input = path.join(dir, 'ns2.yaml');
      fs.symlinkSync(input, path.join(dir, 'link.json'));
      for (const [option, report] of [
        ['--json', input],
        ['--sarif', path.join(dir, '.', '..', path.basename(dir), 'ns2.yaml')],
        ['--json', path.join(dir, 'link.json')],
      ]) {
        const r = await run(['check', input, option, report]);
        expect(r.code).toBe(2);
        expect(r.err).toBe(`shipshape: ${option} ${report.split(path.sep).join('/')} names the input file ${input.split(path.sep).join('/')}: `
          + 'the report would overwrite the manifests it checks; write the report to another file\n');
        expect(r.out).toBe('');
        expect(fs.readFileSync(input, 'utf-8')).toBe(MANIFEST);
      }
      // an input with nothing to check is not removed as if it were an earlier report
      const empty = path.join(dir, 'empty.yaml');
      expect((await run(['check', empty, '--json', empty])).code).toBe(2);
      expect(fs.existsSync(empty)).toBe(true);
    });

    test('a folder named: a manifest the search reads is refused; a new report in the folder, and one over an earlier report, are written', async () => {
      const dir = writeTree(tmpDir(), { 'app/cm.yaml': MANIFEST });
      const app = path.join(dir, 'app');
      const manifest = path.join(app, 'cm.yaml');
      const r = await run(['check', app, '--json', manifest]);
      expect(r.code).toBe(2);
      expect(r.err).toContain(`--json ${manifest.split(path.sep).join('/')} names a file this run reads from the folders named`);
      expect(r.err).toContain('the report would overwrite the manifests it checks; write the report to another file (a new file in the folder is fine)');
      expect(fs.readFileSync(manifest, 'utf-8')).toBe(MANIFEST);

      const report = path.join(app, 'report.json');
      expect((await run(['check', app, '--json', report])).code).toBe(0);
      expect(JSON.parse(fs.readFileSync(report, 'utf-8')).tool).toBe('shipshape');
      expect(JSON.parse(fs.readFileSync(report, 'utf-8')).findings).toEqual([]);
      // the next run skips the earlier report (it is no input) and writes over it
      fs.writeFileSync(path.join(app, 'svc.yaml'), NODE_PORT_SERVICE);
      const again = await run(['check', app, '--json', report]);
      expect(again.code).toBe(0);
      expect(again.out).toContain('checked 2 documents in 2 files; skipped 1 file of shipshape\'s own (a JSON policy report)');
      expect(JSON.parse(fs.readFileSync(report, 'utf-8')).findings.map((f: any) => `${f.ruleId} ${path.basename(f.file)}`)).toEqual(['SS-K8S-051 svc.yaml']);
    });
  });
});

describe('messages that name what is wrong', () => {
  test('a kind that is not a string, a list as metadata.name', async () => {
    const dir = writeTree(tmpDir(), {
      'a.yaml': 'apiVersion: v1\nkind: 2\nmetadata: {name: a}\n',
      'b.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: [a], namespace: shop}\n',
    });
    const r = await run(['check', dir]);
    expect(r.out).toContain('document 0 has 2 as kind, which is not a string; it is not a Kubernetes object');
    expect(r.out).toContain('document 0 has a list as metadata.name, not a Kubernetes name');
  });

  test('a cluster-scoped PodSecurityPolicy is not asked for a namespace (SS-K8S-065)', async () => {
    const psp = 'apiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata: {name: restricted}\nspec: {privileged: false}\n';
    const r = await run(['check', writeTree(tmpDir(), { 'psp.yaml': psp }), '--format', 'json']);
    expect(JSON.parse(r.out).findings.filter((f: any) => f.ruleId === 'SS-K8S-065')).toEqual([]);
  });
});

describe('secrets by name (SS-K8S-062, SS-K8S-063): settings about secrets are not secrets', () => {
  const cm = (data: { [k: string]: string }) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: shop}\ndata: ${JSON.stringify(data)}\n`;
  const flagged = async (data: { [k: string]: string }) => {
    const r = await run(['check', writeTree(tmpDir(), { 'c.yaml': cm(data) }), '--format', 'json']);
    return JSON.parse(r.out).findings.filter((f: any) => f.ruleId === 'SS-K8S-063').map((f: any) => f.jsonPath);
  };

  test('durations, counts, switches, policies and regions named after tokens or passwords pass', async () => {
    expect(await flagged({
      'TOKEN_TTL_SECONDS': '3600',
      'TOKEN_EXPIRY': '1h',
      'ACCESS_TOKEN_LIFETIME': '900',
      'MAX_TOKENS': '4096',
      'PASSWORD_ENABLED': 'true',
      'PASSWORD_AUTH': 'false',
      'PASSWORD_POLICY': 'strong',
      'password-hash-algorithm': 'argon2id',
      'TOKENIZER_MODEL': 'cl100k',
      'SECRETS_MANAGER_REGION': 'eu-west-1',
    })).toEqual([]);
  });

  test('secrets by name are still caught, whatever their value looks like', async () => {
    expect(await flagged({ DB_PASSWORD: 'hunter22', API_TOKEN: '3600', CLIENT_SECRET: 'abc' })).toEqual(['data["DB_PASSWORD"]', 'data["API_TOKEN"]', 'data["CLIENT_SECRET"]']);
  });
});

describe('Service targetPort (SS-K8S-053) as the API reads it', () => {
  const svc = (targetPort: string) => `apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: shop}\nspec: {selector: {app: x}, ports: [{port: 80, targetPort: ${targetPort}}]}\n`;
  const messages = async (targetPort: string) => {
    const r = await run(['check', writeTree(tmpDir(), { 's.yaml': svc(targetPort) }), '--format', 'json']);
    return JSON.parse(r.out).findings.filter((f: any) => f.ruleId === 'SS-K8S-053').map((f: any) => f.message);
  };

  test('a quoted number is a port name to the API, and refused', async () => {
    expect(await messages('"8080"')).toEqual(['Service targetPort "8080" is a quoted number: the API reads it as a port name, which needs a letter; write it unquoted']);
  });

  test.each(['0', '""', '8080', 'http'])('targetPort %s is accepted (0 and "" default to the port)', async (t) => {
    expect(await messages(t)).toEqual([]);
  });
});

test('a YAML error at the end of a file is placed on its last line, not the one after it', async () => {
  const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: shop}\ndata:\n  a: b\n  c: [d\n';
  const r = await run(['check', writeTree(tmpDir(), { 'c.yaml': text }), '--format', 'json']);
  const bad = JSON.parse(r.out).findings.filter((f: any) => f.ruleId === 'SS-POLICY-003');
  expect(bad).toHaveLength(1);
  expect(bad[0].line).toBeLessThanOrEqual(6);
});

describe('Terraform JSON beside the Kubernetes output (cdktf and cdk8s writing into one tree)', () => {
  const tfJson = JSON.stringify({ '//': { metadata: { backend: 'local', stackName: 'eks' } }, 'terraform': { required_providers: {} }, 'resource': { aws_s3_bucket: { b: {} } } }, null, 2);
  const manifest = JSON.stringify({ stacks: { eks: { name: 'eks', synthesizedStackPath: 'stacks/eks/cdk.tf.json' } }, version: '0.21.0' }, null, 2);

  test('a folder search skips cdktf\'s cdk.tf.json and manifest.json, says so, and still refuses other JSON without a kind', async () => {
    const dir = writeTree(tmpDir(), {
      'kubernetes/cm.yaml': CONFIG_MAP('a'),
      'terraform/manifest.json': manifest,
      'terraform/stacks/eks/cdk.tf.json': tfJson,
      'terraform/settings.json': JSON.stringify({ level: 'info' }),
    });
    const r = await run(['check', dir, '--format', 'json']);
    expect(r.err).toContain('checked 1 document (1 more not checked: see SS-POLICY-003) in 2 files; skipped 2 files of Terraform JSON (cdktf output)');
    const bad = JSON.parse(r.out).findings.filter((f: any) => f.ruleId === 'SS-POLICY-003');
    expect(bad.map((f: any) => `${f.path}: ${f.message}`)).toEqual([`${path.join(dir, 'terraform/settings.json').split(path.sep).join('/')}#0: document 0 has no kind; it is not a Kubernetes object`]);
    expect(r.code).toBe(1);
  });

  test('named on the command line, a Terraform JSON file is read and refused, with what it is', async () => {
    const dir = writeTree(tmpDir(), { 'cdk.tf.json': tfJson });
    const r = await run(['check', path.join(dir, 'cdk.tf.json')]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('document 0 has no kind: it is Terraform JSON (cdktf output), not a Kubernetes object; name the Kubernetes files or folders (a folder search skips Terraform JSON)');
  });

  test('a folder with nothing but Terraform JSON has no Kubernetes documents, and says what it skipped', async () => {
    const dir = writeTree(tmpDir(), { 'manifest.json': manifest, 'stacks/eks/cdk.tf.json': tfJson });
    const r = await run(['check', dir]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('no Kubernetes documents found: nothing was read; skipped 2 files of Terraform JSON (cdktf output)');
  });
});

test('an App synthesized with recordConstructMetadata checks clean: cdk8s\'s construct-metadata.json is skipped and counted, not refused', async () => {
  const outdir = path.join(tmpDir(), 'dist');
  const app = new App({ outdir, recordConstructMetadata: true });
  new WebService(new Chart(app, 'shop', { namespace: 'shop' }), 'api', { image: 'ghcr.io/acme/api:1.4.2' });
  app.synth();
  expect(fs.existsSync(path.join(outdir, 'construct-metadata.json'))).toBe(true);
  const r = await run(['check', outdir]);
  expect(r.code).toBe(0);
  expect(r.out + r.err).toContain('1 construct-metadata.json file (cdk8s\'s recordConstructMetadata)');
  expect(r.out + r.err).not.toContain('SS-POLICY-003');
});

test('shipshape check . in an app\'s own folder skips its project files (package.json, tsconfig.json, cdk8s.yaml...) and counts them; named, one is still read', async () => {
  const root = tmpDir();
  const outdir = path.join(root, 'dist');
  const app = new App({ outdir });
  new WebService(new Chart(app, 'shop', { namespace: 'shop' }), 'api', { image: 'ghcr.io/acme/api:1.4.2' });
  app.synth();
  writeTree(root, {
    'package.json': '{"name": "shop", "version": "1.0.0"}',
    'package-lock.json': '{"name": "shop", "lockfileVersion": 3}',
    'tsconfig.json': '{"compilerOptions": {}}',
    'tsconfig.dev.json': '{"extends": "./tsconfig.json"}',
    'cdk8s.yaml': 'language: typescript\napp: npx ts-node main.ts\n',
  });
  const r = await run(['check', root]);
  expect(r.code).toBe(0);
  // the files skipped, by name (the first four, then a count): never a file that is not there (cdktf.json)
  expect(r.out + r.err).toContain(' and 5 project files (cdk8s.yaml, package-lock.json, package.json, tsconfig.dev.json and 1 more)');
  expect(r.out + r.err).not.toContain('cdktf.json');
  fs.rmSync(path.join(root, 'tsconfig.dev.json'));
  fs.rmSync(path.join(root, 'package-lock.json'));
  expect((await run(['check', root])).out).toContain(' and 3 project files (cdk8s.yaml, package.json and tsconfig.json)');
  // one name in several folders is named once, with its count
  writeTree(root, { 'other/package.json': '{"name": "other"}' });
  expect((await run(['check', root])).out).toContain(' and 4 project files (cdk8s.yaml, package.json x2 and tsconfig.json)');
  expect(r.out + r.err).not.toContain('SS-POLICY-003');
  const named = await run(['check', path.join(root, 'package.json')]);
  expect(named.code).toBe(1);
  expect(named.out).toContain('has no kind; it is not a Kubernetes object');
});

describe('symlinks out of the folder named', () => {
  test('a link to a parent folder (or any folder outside) is not followed, and said on stderr; a link to a file is', async () => {
    const base = tmpDir();
    const dir = writeTree(base, { 'outside.yaml': CONFIG_MAP('outside'), 'other/far.yaml': CONFIG_MAP('far'), 'root/inside.yaml': CONFIG_MAP('inside') });
    const root = path.join(dir, 'root');
    fs.symlinkSync('..', path.join(root, 'up'));
    fs.symlinkSync(path.join(dir, 'other'), path.join(root, 'elsewhere'));
    fs.symlinkSync(path.join(dir, 'outside.yaml'), path.join(root, 'linked.yaml'));
    const r = await run(['check', root, '--format', 'json']);
    expect(r.err).toContain('checked 2 documents in 2 files; skipped 2 symlinks not followed (loops, or leading out of the folders named)');
    expect(r.err).toContain(`skipped ${path.join(root, 'up').split(path.sep).join('/')}: a symlink to the folder`);
    expect(r.err).toContain(`skipped ${path.join(root, 'elsewhere').split(path.sep).join('/')}: a symlink to the folder`);
    expect(JSON.stringify(JSON.parse(r.out).findings)).not.toContain('far');
  });

  test('a link to a folder inside the folder is read once', async () => {
    const dir = writeTree(tmpDir(), { 'a/cm.yaml': CONFIG_MAP('a') });
    fs.symlinkSync(path.join(dir, 'a'), path.join(dir, 'b'));
    const r = await run(['check', dir, '--format', 'json']);
    expect(r.err).toContain('checked 1 document in 1 file');
    expect(r.err).not.toContain('skipped');
  });
});

describe('host ports in shipshape check (SS-POLICY-006)', () => {
  const daemonSet = (name: string, port: number) => `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: ${name}
  namespace: ops
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      hostNetwork: true
      containers:
        - name: agent
          image: ghcr.io/acme/${name}:1.0.0
          ports: [{name: http, containerPort: ${port}}]
`;

  test('two hostNetwork DaemonSets on one port, and one on the kubelet\'s port, are warnings (synth refuses them; a run may hold several clusters)', async () => {
    const dir = writeTree(tmpDir(), { 'a.yaml': daemonSet('a', 8080), 'b.yaml': daemonSet('b', 8080), 'c.yaml': daemonSet('c', 10250) });
    const r = await run(['check', dir, '--format', 'json', '--exclude', 'SS-K8S-010']);
    const found = JSON.parse(r.out).findings.filter((f: any) => f.ruleId === 'SS-POLICY-006');
    expect(found.map((f: any) => [f.severity, f.name, f.jsonPath])).toEqual([
      ['warning', 'b', 'spec.template.spec.containers[0].ports[0]'],
      ['warning', 'c', 'spec.template.spec.containers[0].ports[0]'],
    ]);
    expect(found[0].message).toContain('8080');
    expect(found[1].message).toContain('10250');
  });
});

describe('routes and TLS Secrets in shipshape check (SS-POLICY-007)', () => {
  const ingress = (name: string, host: string, prefix: string) => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${name}
  namespace: shop
spec:
  ingressClassName: nginx
  tls: [{hosts: [${host}], secretName: ${name}-tls}]
  rules:
    - host: ${host}
      http:
        paths:
          - path: ${prefix}
            pathType: Prefix
            backend: {service: {name: ${name}, port: {number: 80}}}
`;

  test('one host and path in two Ingresses of one class is a warning at the second (a trailing / makes no difference)', async () => {
    const dir = writeTree(tmpDir(), { 'a.yaml': ingress('a', 'shop.example.com', '/api'), 'b.yaml': ingress('b', 'shop.example.com', '/api/'), 'c.yaml': ingress('c', 'other.example.com', '/api') });
    const r = await run(['check', dir, '--format', 'json']);
    const found = JSON.parse(r.out).findings.filter((f: any) => f.ruleId === 'SS-POLICY-007');
    expect(found.map((f: any) => [f.severity, f.name])).toEqual([['warning', 'b']]);
    expect(found[0].message).toContain('shop.example.com');
  });

  const classless = ingress('legacy', 'shop.example.com', '/api').replace('  ingressClassName: nginx\n', '');
  const ingressClass = (name: string, isDefault: boolean) => `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: ${name}
  annotations: {ingressclass.kubernetes.io/is-default-class: "${isDefault}"}
spec: {controller: example.com/${name}}
`;
  const policy007 = async (files: { [name: string]: string }) => {
    const dir = writeTree(tmpDir(), files);
    const r = await run(['check', dir, '--format', 'json']);
    return JSON.parse(r.out).findings.filter((f: any) => f.ruleId === 'SS-POLICY-007').map((f: any) => `${f.name}: ${f.message}`.split(`${dir}${path.sep}`).join(''));
  };

  test('an Ingress without a class beside one of class nginx: a warning at it that the default class, unknown here, may be nginx', async () => {
    expect(await policy007({ 'a.yaml': ingress('a', 'shop.example.com', '/api'), 'legacy.yaml': classless })).toEqual([
      'legacy: spec.rules[0].http.paths[0] (host "shop.example.com", path "/api" (Prefix), no ingressClassName) may also be routed by a.yaml#0 '
      + '(Ingress shop/a, spec.rules[0].http.paths[0], ingress class "nginx"): the cluster\'s default IngressClass serves Ingress shop/legacy, which names no class, '
      + 'and no cluster profile, nor an IngressClass marked default among these objects, says which class that is; if it is "nginx", a controller sends the traffic to only one of them; '
      + 'set ingressClassName on Ingress shop/legacy (cdk8s-plus: className) to the class meant to serve it, and if that is "nginx", give the two routes their own host or path, '
      + 'or merge them; or give the app its cluster\'s profile (App({ cluster })), whose ingress classes say which one is the default',
    ]);
  });

  test('an IngressClass of the input marked default puts an Ingress without a class in it: a conflict with that class only', async () => {
    const found = await policy007({ 'a.yaml': ingress('a', 'shop.example.com', '/api'), 'legacy.yaml': classless, 'class.yaml': ingressClass('nginx', true) });
    expect(found).toEqual([
      'legacy: spec.rules[0].http.paths[0] (host "shop.example.com", path "/api" (Prefix), ingress class "nginx" (no ingressClassName: the default IngressClass of the output)) '
      + 'is also routed by a.yaml#0 (Ingress shop/a, spec.rules[0].http.paths[0]); a controller sends the traffic to only one of them: give each route its own host or path, '
      + 'or merge them into one, or set ingressClassName on Ingress shop/legacy if another class than "nginx" should serve it',
    ]);
    expect(await policy007({ 'a.yaml': ingress('a', 'shop.example.com', '/api'), 'legacy.yaml': classless, 'class.yaml': ingressClass('traefik', true) })).toEqual([]);
  });
});

describe('unresolved tokens in shipshape check (SS-POLICY-008)', () => {
  test('a cdktf token in an annotation, a key and a number token are errors at their fields; exit 1', async () => {
    const numberToken = -1.8881545897087626e+289; // the shape of a cdktf number token
    const dir = writeTree(tmpDir(), {
      'sa.yaml': `apiVersion: v1
kind: ServiceAccount
metadata:
  name: api
  namespace: shop
  annotations:
    eks.amazonaws.com/role-arn: "\${TfToken[TOKEN.42]}"
    "\${Token[TOKEN.7]}": x
automountServiceAccountToken: false
`,
      'cm.json': JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'limits', namespace: 'shop' }, data: { a: 'b' }, binaryData: undefined, immutable: true, extra: numberToken }),
    });
    const r = await run(['check', dir, '--format', 'json']);
    expect(r.code).toBe(1);
    const found = JSON.parse(r.out).findings.filter((f: any) => f.ruleId === 'SS-POLICY-008');
    expect(found.map((f: any) => [f.severity, f.kind, f.jsonPath])).toEqual([
      ['error', 'ConfigMap', 'extra'],
      ['error', 'ServiceAccount', 'metadata.annotations["eks.amazonaws.com/role-arn"]'],
      ['error', 'ServiceAccount', 'metadata.annotations["${Token[TOKEN.7]}"]'],
    ]);
    expect(found[1].message).toBe('metadata.annotations["eks.amazonaws.com/role-arn"] ("${TfToken[TOKEN.42]}") is an unresolved Terraform (cdktf) token');
    expect(found[2].message).toContain('(a key) is an unresolved CDK token');
    expect(found[0].message).toContain('is an unresolved number token');
    expect(JSON.parse(r.out).rules.find((x: any) => x.id === 'SS-POLICY-008')).toMatchObject({ severity: 'error', pack: 'engine' });
  });

  test('a string that only mentions Token[ is no finding', async () => {
    const dir = writeTree(tmpDir(), {
      'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: docs, namespace: shop}\ndata: {note: "write Token[0] or ${HOME}"}\n',
    });
    const r = await run(['check', dir, '--format', 'json']);
    expect(JSON.parse(r.out).findings.filter((f: any) => f.ruleId === 'SS-POLICY-008')).toEqual([]);
  });
});
