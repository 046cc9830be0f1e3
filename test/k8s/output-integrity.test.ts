/**
 * The output as a whole (what `kubectl apply -f dist/` and Argo CD see): collisions across charts, routes,
 * unresolved tokens, the owned output folder (no stale file, failed synth leaves the previous output), and
 * suppressions that travel with the objects.
 */
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart, JsonPatch, YamlOutputType } from 'cdk8s';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import * as YAML from 'yaml';
import { Errors } from '../../lib/core';
import { isNumberToken } from '../../lib/core/tokens';
import { App, EnvValue, HttpIngress, IngressTls, Job, NetworkPeer, Replicas, Schedule, ScheduledJob, WebService } from '../../lib/k8s';
import { programName, writeOwnedOutput } from '../../lib/k8s/output-folder';
import { KubernetesPack, Policy } from '../../lib/policy';
import { main as shipshapeCli } from '../../lib/policy/cli';
import { quietly, stderrOf } from '../util/k8s';
import { comparableFindings } from '../util/whole-output';

const IMAGE = 'ghcr.io/acme/api:1.4.2';
const dirs: string[] = [];
afterAll(() => dirs.forEach(d => fs.rmSync(d, { recursive: true, force: true })));

function outdir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-output-'));
  dirs.push(d);
  return d;
}

/** Every file under `dir`, relative, sorted (the .shipshape state folder included). */
function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p); else out.push(path.relative(dir, p));
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out.sort();
}

/** Runs `fn`, expects a shipshape validation error, returns its message. */
function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e: any) {
    expect(Errors.isValidationError(e)).toBe(true);
    return e.message;
  }
  throw new Error('expected an error');
}

/** A new App standing for a new run of the program (a second App of one process may not write the folder of another). */
function runOf(props?: ConstructorParameters<typeof App>[0]): App {
  App._forgetOutdirs();
  return new App(props);
}

function web(chart: Chart, id: string, props: { name?: string } = {}): WebService {
  const w = new WebService(chart, id, { image: IMAGE, ...props });
  w.allowFrom(NetworkPeer.ingressController('ingress-nginx', { 'app.kubernetes.io/name': 'ingress-nginx' }));
  return w;
}

describe('collisions: one object per kind, namespace and name across the whole app', () => {
  test('two charts with one object name fail synth, name both construct paths, and write nothing', () => {
    const dir = outdir();
    const app = runOf({ outdir: dir });
    web(new Chart(app, 'team-a', { namespace: 'shop' }), 'api');
    web(new Chart(app, 'team-b', { namespace: 'shop' }), 'api');
    const msg = errorOf(() => quietly(() => app.synth()));
    expect(msg).toContain('nothing was written');
    expect(msg).toContain('team-b/api/Deployment: metadata.name ("api") must be unique per kind and namespace, but team-a/api/Deployment also writes Deployment shop/api');
    expect(msg).toContain('team-b/api/ServiceAccount');
    expect(msg).toContain('give one of them another name');
    expect(files(dir)).toEqual([]);
  });

  test('the same name in two namespaces is fine', () => {
    const app = runOf({ outdir: outdir() });
    web(new Chart(app, 'a', { namespace: 'shop' }), 'api');
    web(new Chart(app, 'b', { namespace: 'shop-staging' }), 'api');
    expect(() => quietly(() => app.synth())).not.toThrow();
  });

  test('a Job and a ScheduledJob of one name collide on their ServiceAccount and NetworkPolicy without the user naming anything twice', () => {
    const app = runOf({ outdir: outdir() });
    const chart = new Chart(app, 'batch', { namespace: 'jobs' });
    new Job(chart, 'report', { image: IMAGE });
    new ScheduledJob(new Construct(chart, 'nightly'), 'report', { image: IMAGE, schedule: Schedule.cron('0 3 * * *') });
    const msg = errorOf(() => quietly(() => app.synth()));
    expect(msg).toContain('batch/nightly/report/ServiceAccount: metadata.name ("report") must be unique per kind and namespace, but batch/report/ServiceAccount also writes ServiceAccount jobs/report');
    expect(msg).toContain('batch/nightly/report/NetworkPolicy');
  });

  test('a plain cdk8s object beside a shipshape construct of the same name is noticed', () => {
    const app = runOf({ outdir: outdir() });
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    web(chart, 'api');
    new ApiObject(chart, 'legacy-sa', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'api' } });
    expect(errorOf(() => quietly(() => app.synth()))).toContain('shop/legacy-sa: metadata.name ("api") must be unique per kind and namespace, but shop/api/ServiceAccount also writes ServiceAccount shop/api');
  });

  test('cluster-scoped objects collide whatever namespace they are written with', () => {
    const app = runOf({ outdir: outdir(), policy: false });
    new ApiObject(new Chart(app, 'a', { namespace: 'x' }), 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    new ApiObject(new Chart(app, 'b', { namespace: 'y' }), 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    expect(errorOf(() => app.synth())).toContain('b/ns: metadata.name ("shop") must be unique per kind and namespace, but a/ns also writes Namespace shop');
  });

  test('the same host and path routed by two Ingresses in different charts fail synth', () => {
    const app = runOf({ outdir: outdir() });
    const tls = IngressTls.secret('shop-tls');
    const a = new Chart(app, 'a', { namespace: 'shop' });
    const b = new Chart(app, 'b', { namespace: 'shop-v2' });
    new HttpIngress(a, 'www', { rules: [{ host: 'shop.example.com', paths: [{ backend: web(a, 'api') }] }], tls, ingressClassName: 'nginx' });
    new HttpIngress(b, 'www', { rules: [{ host: 'shop.example.com', paths: [{ backend: web(b, 'api') }] }], tls, ingressClassName: 'nginx' });
    const msg = errorOf(() => quietly(() => app.synth()));
    expect(msg).toMatch(/b\/www\/Ingress: spec\.rules\[0\]\.http\.paths\[0\] \(host "shop\.example\.com", path "\/" \(Prefix\), ingress class "nginx"\) is also routed by a\/www\/Ingress \(Ingress shop\/www/);
    expect(msg).toContain('give each route its own host or path');
  });

  test('a chart id starting with "." would write a hidden folder, which shipshape check does not enter: refused once per folder', () => {
    const dir = outdir();
    const app = runOf({ outdir: dir, yamlOutputType: YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE });
    web(new Chart(app, '.team-a', { namespace: 'shop' }), 'api');
    web(new Chart(app, 'team-b', { namespace: 'shop' }), 'web');
    const msg = errorOf(() => quietly(() => app.synth()));
    expect(msg).toMatch(/^the app's output is inconsistent as a whole \(1 problem\); nothing was written:/);
    expect(msg).toMatch(/\.team-a\/api\/\w+: output file \("\.team-a-[0-9a-f]+\/(0001-)?\w+\.api\.k8s\.yaml"\) is in the hidden folder \.team-a-[0-9a-f]+, which shipshape check of the output folder does not enter/);
    expect(msg).toContain('give the chart an id that does not start with "."');
    expect(fs.readdirSync(dir).filter(f => !f.startsWith('.shipshape'))).toEqual([]);
  });

  test('a chart folder that is a symbolic link is refused: writing and removing through it would change files elsewhere', () => {
    const dir = outdir();
    const build = (chartId: string) => {
      const app = runOf({ outdir: dir, yamlOutputType: YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE });
      web(new Chart(app, chartId, { namespace: 'shop' }), 'api');
      return app;
    };
    quietly(() => build('blog').synth());
    // the chart's folder moved elsewhere and linked back in
    const elsewhere = outdir();
    fs.rmSync(elsewhere, { recursive: true, force: true });
    fs.renameSync(path.join(dir, 'blog'), elsewhere);
    fs.symlinkSync(elsewhere, path.join(dir, 'blog'));
    const before = files(elsewhere);
    const msg = errorOf(() => quietly(() => build('blog').synth()));
    expect(msg).toMatch(new RegExp(`output file \\("blog/(0001-)?\\w+\\.api\\.k8s\\.yaml"\\) goes through ${path.join(dir, 'blog').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, a symbolic link \\(to ${fs.realpathSync(elsewhere).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)`));
    expect(msg).toContain('replace the link with a folder of its own');
    // a rename would remove the recorded files through the link: refused too, and nothing elsewhere changed
    expect(errorOf(() => quietly(() => build('news').synth()))).toMatch(/recorded file \("blog\/(0001-)?\w+\.api\.k8s\.yaml"\) goes through .*, a symbolic link/);
    expect(files(elsewhere)).toEqual(before);
  });

  test('a synth while another process stages into the folder is refused; once that process is gone, its staging folder is a leftover', async () => {
    const dir = outdir();
    const build = () => {
      const app = runOf({ outdir: dir });
      web(new Chart(app, 'blog', { namespace: 'shop' }), 'api');
      return app;
    };
    quietly(() => build().synth());
    // another synth, as it stages: its staging folder names its process
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      const staging = path.join(dir, '.shipshape', 'staging-other1');
      fs.mkdirSync(staging);
      fs.writeFileSync(path.join(staging, 'pid'), String(other.pid));
      expect(errorOf(() => quietly(() => build().synth()))).toBe(`<app>: outdir (${JSON.stringify(dir)}) is being written by another synth now `
        + `(process ${other.pid}, staging in ${staging}): two synths into one folder would undo each other's moves; wait for it to end and synth again; `
        + `if no synth runs (process ${other.pid} is another program that took a dead synth's id), delete ${staging}`);
      expect(fs.existsSync(staging)).toBe(true);
      const exited = new Promise(resolve => other.once('exit', resolve));
      other.kill('SIGKILL');
      await exited;
      quietly(() => build().synth());
      expect(fs.existsSync(staging)).toBe(false);
    } finally {
      other.kill('SIGKILL');
    }
  });

  test('a record that cannot be read is a warning: the synth cannot tell which files an earlier one wrote', () => {
    const dir = outdir();
    const build = (chartId: string) => {
      const app = runOf({ outdir: dir });
      web(new Chart(app, chartId, { namespace: 'shop' }), 'api');
      return app;
    };
    quietly(() => build('blog').synth());
    fs.writeFileSync(path.join(dir, '.shipshape', 'output.json'), '{"format": "shipshape-output/v1", "files": [');
    const stderr = stderrOf(() => build('blog').synth());
    expect(stderr).toContain(`shipshape warning: ${path.join(dir, '.shipshape', 'output.json')} cannot be read as the record of an earlier synth (a merge conflict, a hand edit?): `
      + 'this synth does not know which files an earlier one wrote, so it removes none of them');
    // the synth that wrote a readable record says nothing more
    expect(stderrOf(() => build('blog').synth())).not.toContain('cannot be read');
  });

  test('an object name of 253 characters in FILE_PER_RESOURCE layout gets a file name within 255 bytes, told apart by a hash', () => {
    const dir = outdir();
    const app = runOf({ outdir: dir, yamlOutputType: YamlOutputType.FILE_PER_RESOURCE, policy: false });
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    const long = (c: string) => `${c.repeat(120)}.${'b'.repeat(132)}`;
    for (const c of ['a', 'c']) new ApiObject(chart, c, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: long(c) }, data: { k: 'v' } });
    quietly(() => app.synth());
    const written = files(dir).filter(f => f.startsWith('0001-ConfigMap.'));
    expect(written).toHaveLength(2);
    for (const f of written) {
      expect(Buffer.byteLength(f)).toBeLessThanOrEqual(255);
      expect(f).toMatch(/^0001-ConfigMap\.[a-c]+\.?b*-[0-9a-f]{8}\.k8s\.yaml$/);
    }
  });

  test('one object name in FILE_PER_RESOURCE layout across namespaces: each file carries its namespace, so none is overwritten', () => {
    const dir = outdir();
    const app = runOf({ outdir: dir, yamlOutputType: YamlOutputType.FILE_PER_RESOURCE });
    web(new Chart(app, 'a', { namespace: 'shop' }), 'api');
    web(new Chart(app, 'b', { namespace: 'shop-staging' }), 'api');
    quietly(() => app.synth());
    expect(files(dir).filter(f => f.startsWith('Deployment.'))).toEqual(['Deployment.api.shop-staging.k8s.yaml', 'Deployment.api.shop.k8s.yaml']);
    expect(YAML.parse(fs.readFileSync(path.join(dir, 'Deployment.api.shop.k8s.yaml'), 'utf-8')).metadata.namespace).toBe('shop');
    expect(YAML.parse(fs.readFileSync(path.join(dir, 'Deployment.api.shop-staging.k8s.yaml'), 'utf-8')).metadata.namespace).toBe('shop-staging');
    // the record and the files agree: nothing left under the plain name
    expect(fs.existsSync(path.join(dir, 'Deployment.api.k8s.yaml'))).toBe(false);
    expect(JSON.stringify(JSON.parse(fs.readFileSync(path.join(dir, '.shipshape', 'output.json'), 'utf-8')))).not.toContain('"Deployment.api.k8s.yaml"');
  });

  test('FILE_PER_RESOURCE file names and contents do not depend on the order the charts are created in', () => {
    const synthIn = (order: string[]) => {
      const dir = outdir();
      const app = runOf({ outdir: dir, yamlOutputType: YamlOutputType.FILE_PER_RESOURCE });
      for (const ns of order) web(new Chart(app, ns, { namespace: ns }), 'api');
      quietly(() => app.synth());
      return Object.fromEntries(files(dir).map(f => [f, fs.readFileSync(path.join(dir, f), 'utf-8')]));
    };
    const forward = synthIn(['shop', 'batch', 'ops']);
    expect(Object.keys(forward).filter(f => f.startsWith('Deployment.'))).toEqual(['Deployment.api.batch.k8s.yaml', 'Deployment.api.ops.k8s.yaml', 'Deployment.api.shop.k8s.yaml']);
    expect(synthIn(['ops', 'shop', 'batch'])).toEqual(forward);
  });

  test('an object without a namespace keeps the plain name, whichever comes first', () => {
    for (const order of [['cfg', 'shop'], ['shop', 'cfg']]) {
      const dir = outdir();
      const app = runOf({ outdir: dir, yamlOutputType: YamlOutputType.FILE_PER_RESOURCE });
      for (const c of order) {
        const chart = new Chart(app, c, c === 'shop' ? { namespace: 'shop' } : {});
        new ApiObject(chart, 'm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { k: c } });
      }
      quietly(() => app.synth());
      expect(files(dir).filter(f => f.includes('ConfigMap.'))).toEqual(['0001-ConfigMap.settings.k8s.yaml', '0001-ConfigMap.settings.shop.k8s.yaml']);
      expect(YAML.parse(fs.readFileSync(path.join(dir, '0001-ConfigMap.settings.k8s.yaml'), 'utf-8')).data.k).toBe('cfg');
    }
  });

  test('an output file at the path of a chart\'s file: the fix is another path for the output file', () => {
    const dir = outdir();
    const app = runOf({ outdir: dir });
    web(new Chart(app, 'shop', { namespace: 'shop' }), 'api');
    app.addOutputFile({ path: 'shop.k8s.yaml', produce: () => '# notes\n' });
    expect(errorOf(() => quietly(() => app.synth()))).toContain('<app>: output file ("shop.k8s.yaml") is also written by shop, so one would overwrite the other; '
      + 'give the output file another path (addOutputFile path "shop.k8s.yaml")');
  });

});

describe('unresolved tokens never reach the YAML', () => {
  test('a Terraform token in an annotation fails synth naming the object, the field and how to supply a literal', () => {
    const dir = outdir();
    const app = runOf({ outdir: dir });
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    const arn = Token.asString({ resolve: () => 'arn:aws:iam::123456789012:role/x' });
    new WebService(chart, 'api', { image: IMAGE, serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': arn } });
    const msg = errorOf(() => quietly(() => app.synth()));
    expect(msg).toMatch(/shop\/api\/ServiceAccount: metadata\.annotations\["eks\.amazonaws\.com\/role-arn"\] \("\$\{TfToken\[TOKEN\.\d+\]\}"\) of ServiceAccount shop\/api is an unresolved Terraform \(cdktf\) token; /);
    expect(msg).toContain('pass a literal known at synth (for an IAM role ARN, give the cluster its account id, or use EKS Pod Identity');
    expect(files(dir)).toEqual([]);
  });

  test('number and list tokens are caught too, and synthYaml refuses them as well', () => {
    const app = runOf();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    const n = Token.asNumber({ resolve: () => 3 });
    expect(isNumberToken(n)).toBe(true);
    expect(isNumberToken(-1e300)).toBe(false);
    new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { port: n as any, hosts: Token.asList({ resolve: () => [] })[0] } });
    const msg = errorOf(() => quietly(() => app.synthYaml()));
    expect(msg).toMatch(/shop\/cm: data\.port \(-[0-9.e+]+\) of ConfigMap shop\/cm is an unresolved number token/);
    expect(msg).toMatch(/shop\/cm: data\.hosts \("#\{TfToken\[TOKEN\.\d+\]\}"\) of ConfigMap shop\/cm is an unresolved Terraform \(cdktf\) token/);
  });

  test('a number token turned into text (`${n}`) is caught in any string, alone or inside other text', () => {
    const app = runOf();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    const n = Token.asNumber({ resolve: () => 3 });
    new WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.4.2', env: { MAX_CONNS: EnvValue.fromValue(`${n}`), DSN: EnvValue.fromValue(`db?max=${n}&x=1`) } });
    const msg = errorOf(() => quietly(() => app.synthYaml()));
    expect(msg).toMatch(/shop\/api\/Deployment: spec\.template\.spec\.containers\[0\]\.env\[0\]\.value \("-[0-9.]+e\+\d{3}"\) of Deployment shop\/api is an unresolved number token written as text/);
    expect(msg).toMatch(/env\[1\]\.value \("db\?max=-[0-9.]+e\+\d{3}&x=1"\) of Deployment shop\/api is an unresolved number token written as text \(a cdktf or CDK number turned into a string\)/);
    // a large real number written as text is no token
    const ok = runOf();
    new WebService(new Chart(ok, 'shop', { namespace: 'shop' }), 'api', { image: 'ghcr.io/acme/api:1.4.2', env: { BIG: EnvValue.fromValue('-1.5e+300'), SMALL: EnvValue.fromValue('2e+10') } });
    expect(() => quietly(() => ok.synthYaml())).not.toThrow();
  });
});

describe('the app owns its output folder', () => {
  function build(dir: string, chartId: string, extra?: (c: Chart) => void): App {
    const app = runOf({ outdir: dir });
    const chart = new Chart(app, chartId, { namespace: 'shop' });
    web(chart, 'api');
    extra?.(chart);
    return app;
  }

  test('renaming a chart leaves no stale file; the record lists what was written', () => {
    const dir = outdir();
    quietly(() => build(dir, 'shop-v1').synth());
    expect(fs.existsSync(path.join(dir, 'shop-v1.k8s.yaml'))).toBe(true);
    quietly(() => build(dir, 'shop-v2').synth());
    expect(files(dir).filter(f => !f.startsWith('.shipshape'))).toEqual(['shop-v2.k8s.yaml']);
    const record = JSON.parse(fs.readFileSync(path.join(dir, '.shipshape', 'output.json'), 'utf-8'));
    expect(record).toEqual({ format: 'shipshape-output/v1', owner: 'app', program: expect.any(String), entryDir: expect.any(String), files: ['shop-v2.k8s.yaml'], kubernetesPack: { exclude: [], trustedRegistries: [] } });
  });

  test('a file an earlier synth wrote and this one does not is removed with a note (a renamed chart)', () => {
    const dir = outdir();
    quietly(() => build(dir, 'shop').synth());
    const stderr = stderrOf(() => build(dir, 'billing').synth());
    expect(files(dir).filter(f => !f.startsWith('.shipshape'))).toEqual(['billing.k8s.yaml']);
    expect(stderr).toContain(`shipshape: removed shop.k8s.yaml from ${dir}: an earlier synth into this folder wrote it, and this app's output no longer has it `
      + '(a chart or object renamed or removed since)\n');
  });

  test('the record names the Kubernetes pack options synth checked with (for `shipshape check <outdir>`), and none with the policy off', () => {
    const dir = outdir();
    const app = build(dir, 'shop');
    Policy.configure(app, { packs: [new KubernetesPack({ exclude: ['SS-K8S-063'], trustedRegistries: ['ghcr.io'] })] });
    quietly(() => app.synth());
    const record = () => JSON.parse(fs.readFileSync(path.join(dir, '.shipshape', 'output.json'), 'utf-8'));
    expect(record().kubernetesPack).toEqual({ exclude: ['SS-K8S-063'], trustedRegistries: ['ghcr.io'] });
    const off = runOf({ outdir: dir, policy: false });
    web(new Chart(off, 'shop', { namespace: 'shop' }), 'api');
    quietly(() => off.synth());
    expect(record()).toEqual({ format: 'shipshape-output/v1', owner: 'app', program: expect.any(String), entryDir: expect.any(String), files: ['shop.k8s.yaml'] });
  });

  test('a file of the folder that no synth of this app wrote is not overwritten by a new output file: synth fails and says which', () => {
    const dir = outdir();
    quietly(() => build(dir, 'shop').synth());
    fs.writeFileSync(path.join(dir, 'billing.k8s.yaml'), 'kind: ConfigMap # mine\n');
    const app = build(dir, 'shop');
    web(new Chart(app, 'billing', { namespace: 'billing' }), 'invoices');
    const message = quietly(() => errorOf(() => app.synth()));
    expect(message).toContain(`billing: output file ("billing.k8s.yaml") would replace ${path.join(dir, 'billing.k8s.yaml')}, which no synth of this app wrote `
      + `(it is not in ${path.join(dir, '.shipshape', 'output.json')}); move that file out of ${dir} or delete it, or give the chart or object another name`);
    expect(fs.readFileSync(path.join(dir, 'billing.k8s.yaml'), 'utf-8')).toBe('kind: ConfigMap # mine\n');
  });

  test('without a record (the first synth of this app into the folder), a file of an output file\'s name is replaced, as cdk8s does', () => {
    const dir = outdir();
    fs.writeFileSync(path.join(dir, 'shop.k8s.yaml'), 'kind: ConfigMap # an older cdk8s synth\n');
    quietly(() => build(dir, 'shop').synth());
    expect(fs.readFileSync(path.join(dir, 'shop.k8s.yaml'), 'utf-8')).toContain('kind: Deployment');
  });

  test('with the policy off, the reports of an earlier synth are removed (they would describe other manifests), with a note', () => {
    const dir = outdir();
    quietly(() => build(dir, 'shop').synth());
    expect(fs.existsSync(path.join(dir, '.shipshape', 'policy-report.json'))).toBe(true);
    const off = runOf({ outdir: dir, policy: false });
    web(new Chart(off, 'shop', { namespace: 'shop' }), 'api');
    const stderr = stderrOf(() => off.synth());
    expect(files(dir)).toEqual(['.shipshape/output.json', 'shop.k8s.yaml']);
    expect(stderr).toContain('shipshape: the policy did not run (policy: false); removed the reports of an earlier synth: ');
  });

  test('reports moved to another reportDir: those of an earlier synth leave the output folder, with a note', () => {
    const dir = outdir();
    quietly(() => build(dir, 'shop').synth());
    expect(fs.existsSync(path.join(dir, '.shipshape', 'policy-report.json'))).toBe(true);
    const reportDir = outdir();
    const moved = build(dir, 'shop');
    Policy.configure(moved, { reportDir });
    const stderr = stderrOf(() => moved.synth());
    expect(files(dir)).toEqual(['.shipshape/output.json', 'shop.k8s.yaml']);
    expect(fs.readdirSync(reportDir).sort()).toEqual(['policy-report.json', 'policy-report.sarif']);
    expect(stderr).toContain(`shipshape: the policy reports go to ${path.relative(process.cwd(), reportDir)} now; removed the reports of an earlier synth: `);
  });

  test('reportDir set to the output folder itself is refused (kubectl apply -f would read the reports as manifests)', () => {
    const dir = outdir();
    const app = build(dir, 'shop');
    Policy.configure(app, { reportDir: dir });
    expect(errorOf(() => app.synth())).toBe(`<root>: Policy reportDir ("${dir}") is the output folder: kubectl apply -f ${dir} would read policy-report.json and `
      + `policy-report.sarif as manifests and fail on them; leave reportDir unset (the reports go to ${path.join(dir, '.shipshape')}) or name a folder outside the output folder`);
    expect(files(dir)).toEqual([]);
  });

  test('with the policy off, the reports an earlier synth wrote to a reportDir elsewhere are removed too', () => {
    const dir = outdir();
    const reportDir = outdir();
    const first = build(dir, 'shop');
    Policy.configure(first, { reportDir });
    quietly(() => first.synth());
    expect(fs.readdirSync(reportDir).sort()).toEqual(['policy-report.json', 'policy-report.sarif']);
    const off = runOf({ outdir: dir, policy: false });
    web(new Chart(off, 'shop', { namespace: 'shop' }), 'api');
    Policy.configure(off, { reportDir });
    const stderr = stderrOf(() => off.synth());
    expect(fs.readdirSync(reportDir)).toEqual([]);
    expect(stderr).toContain('shipshape: the policy did not run (policy: false); removed the reports of an earlier synth: ');
  });

  test('a file the app did not write is never deleted, and a manifest-like one is pointed out', () => {
    const dir = outdir();
    fs.writeFileSync(path.join(dir, 'hand-written.yaml'), 'kind: ConfigMap\n');
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'mine\n');
    const stderr = stderrOf(() => build(dir, 'shop').synth());
    expect(files(dir).filter(f => !f.startsWith('.shipshape'))).toEqual(['hand-written.yaml', 'notes.txt', 'shop.k8s.yaml']);
    expect(stderr).toContain(`shipshape: ${dir} also holds hand-written.yaml, which this app did not write (kubectl apply -f on the folder would apply it too); `
      + 'remove it if it is left over from an older synth');
  });

  test('reports live in .shipshape/, out of the way of kubectl apply -f on the folder', () => {
    const dir = outdir();
    quietly(() => build(dir, 'shop').synth());
    expect(files(dir)).toEqual(['.shipshape/output.json', '.shipshape/policy-report.json', '.shipshape/policy-report.sarif', 'shop.k8s.yaml']);
  });

  test('a synth that fails its policy check leaves the previous output untouched, says so, and writes its reports as failed', () => {
    const dir = outdir();
    quietly(() => build(dir, 'shop').synth());
    const before = fs.readFileSync(path.join(dir, 'shop.k8s.yaml'), 'utf-8');
    const bad = build(dir, 'shop', c => new ApiObject(c, 'priv', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'priv' },
      spec: { containers: [{ name: 'x', image: IMAGE, securityContext: { privileged: true } }] },
    }));
    let msg = '';
    quietly(() => {
      try {
        bad.synth();
      } catch (e: any) {
        msg = e.message;
      }
    });
    expect(msg).toContain('ERROR SS-K8S-001');
    expect(msg).toContain(`synth failed: no manifest was written, the previous output in ${dir} is untouched; reports of this failed run: `);
    expect(msg).toContain('.shipshape/policy-report.failed.json');
    expect(fs.readFileSync(path.join(dir, 'shop.k8s.yaml'), 'utf-8')).toBe(before);
    expect(files(dir)).toContain('.shipshape/policy-report.failed.json');
    // a first synth that fails says there was no earlier output, not that it was left untouched
    const fresh = outdir();
    const first = build(fresh, 'shop', c => new ApiObject(c, 'priv', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'priv' },
      spec: { containers: [{ name: 'x', image: IMAGE, securityContext: { privileged: true } }] },
    }));
    expect(quietly(() => { try { first.synth(); return ''; } catch (e: any) { return e.message as string; } }))
      .toContain(`synth failed: no manifest was written, ${fresh} holds no earlier output of this app; reports of this failed run: `);
    // the next good synth clears the failed reports
    quietly(() => build(dir, 'shop').synth());
    expect(files(dir)).not.toContain('.shipshape/policy-report.failed.json');
  });

  test('a write that fails half-way leaves the previous files and the record as they were', () => {
    const dir = outdir();
    writeOwnedOutput(dir, [{ rel: 'a.yaml', source: 'x', write: f => fs.writeFileSync(f, 'old-a') }]);
    expect(() => writeOwnedOutput(dir, [
      { rel: 'a.yaml', source: 'x', write: f => fs.writeFileSync(f, 'new-a') },
      { rel: 'b.yaml', source: 'y', write: () => { throw new Error('disk full'); } },
    ])).toThrow('disk full');
    expect(fs.readFileSync(path.join(dir, 'a.yaml'), 'utf-8')).toBe('old-a');
    expect(files(dir)).toEqual(['.shipshape/output.json', 'a.yaml']);
  });

  test('a tampered record never makes the app delete outside its folder', () => {
    const dir = outdir();
    const outside = path.join(path.dirname(dir), `${path.basename(dir)}-victim.yaml`);
    fs.writeFileSync(outside, 'keep');
    dirs.push(outside);
    fs.mkdirSync(path.join(dir, '.shipshape'));
    fs.writeFileSync(path.join(dir, '.shipshape', 'output.json'), JSON.stringify({ format: 'shipshape-output/v1', files: [`../${path.basename(outside)}`, '/etc/hostname'] }));
    quietly(() => build(dir, 'shop').synth());
    expect(fs.readFileSync(outside, 'utf-8')).toBe('keep');
  });
});

describe('suppressions travel with the objects', () => {
  function agentApp(dir: string): App {
    const app = runOf({ outdir: dir });
    const chart = new Chart(app, 'ops', { namespace: 'ops' });
    const api = web(chart, 'api');
    api.deployment.addJsonPatch(JsonPatch.add('/spec/template/spec/hostNetwork', true));
    Policy.suppress(api.deployment, 'SS-K8S-010', 'the api answers on the node network for the load test');
    return app;
  }

  test('each suppressed object carries suppress.shipshape.io/<rule>: <reason>', () => {
    const dir = outdir();
    quietly(() => agentApp(dir).synth());
    const docs = YAML.parseAllDocuments(fs.readFileSync(path.join(dir, 'ops.k8s.yaml'), 'utf-8')).map(d => d.toJS());
    const deployment = docs.find(d => d.kind === 'Deployment');
    expect(deployment.metadata.annotations['suppress.shipshape.io/SS-K8S-010']).toBe('the api answers on the node network for the load test');
    expect(docs.filter(d => d.kind !== 'Deployment').every(d => !JSON.stringify(d).includes('suppress.shipshape.io'))).toBe(true);
  });

  test('`shipshape check` on the output exits 0 with the same findings as synth, suppressed ones included', async () => {
    const dir = outdir();
    quietly(() => agentApp(dir).synth());
    const json = path.join(dir, '..', `${path.basename(dir)}-cli.json`);
    dirs.push(json);
    const code = await shipshapeCli(['check', dir, '--json', json], { out: () => undefined, err: () => undefined });
    expect(code).toBe(0);
    const synth = JSON.parse(fs.readFileSync(path.join(dir, '.shipshape', 'policy-report.json'), 'utf-8'));
    const cli = JSON.parse(fs.readFileSync(json, 'utf-8'));
    expect(synth.findings.some((f: any) => f.suppressed)).toBe(true);
    expect(comparableFindings(cli.findings)).toEqual(comparableFindings(synth.findings));
  });

  test('with the policy off, suppressions made in code are still written onto the objects, and nothing is printed or reported', async () => {
    const dir = outdir();
    const app = runOf({ outdir: dir, policy: false });
    const chart = new Chart(app, 'ops', { namespace: 'ops' });
    const api = web(chart, 'api');
    api.deployment.addJsonPatch(JsonPatch.add('/spec/template/spec/hostNetwork', true));
    Policy.suppress(api.deployment, 'SS-K8S-010', 'the api answers on the node network for the load test');
    const stderr = stderrOf(() => app.synth());
    expect(stderr).toBe('');
    expect(files(dir)).toEqual(['.shipshape/output.json', 'ops.k8s.yaml']);
    const docs = YAML.parseAllDocuments(fs.readFileSync(path.join(dir, 'ops.k8s.yaml'), 'utf-8')).map(d => d.toJS());
    expect(docs.find(d => d.kind === 'Deployment').metadata.annotations['suppress.shipshape.io/SS-K8S-010']).toBe('the api answers on the node network for the load test');
    const code = await shipshapeCli(['check', dir], { out: () => undefined, err: () => undefined });
    expect(code).toBe(0);
  });

  test('a suppression annotation written by hand on an object suppresses the rule at synth', () => {
    const dir = outdir();
    const app = runOf({ outdir: dir });
    const chart = new Chart(app, 'ops', { namespace: 'ops' });
    const api = web(chart, 'api');
    api.deployment.addJsonPatch(JsonPatch.add('/spec/template/spec/hostNetwork', true));
    api.deployment.metadata.addAnnotation('suppress.shipshape.io/SS-K8S-010', 'the api answers on the node network');
    quietly(() => app.synth());
    const report = JSON.parse(fs.readFileSync(path.join(dir, '.shipshape', 'policy-report.json'), 'utf-8'));
    const f = report.findings.find((x: any) => x.ruleId === 'SS-K8S-010');
    expect(f.suppressed).toEqual({ reason: 'the api answers on the node network', scope: 'ops/api/Deployment' });
  });

  test('the exemption annotations teams use with other checkers suppress the mapped rules at synth, as in the CLI', async () => {
    const dir = outdir();
    const app = runOf({ outdir: dir });
    const api = web(new Chart(app, 'ops', { namespace: 'ops' }), 'api');
    api.deployment.addJsonPatch(JsonPatch.add('/spec/template/spec/hostNetwork', true));
    api.deployment.metadata.addAnnotation('ignore-check.kube-linter.io/host-network', 'load test on the node network');
    quietly(() => app.synth());
    const synth = JSON.parse(fs.readFileSync(path.join(dir, '.shipshape', 'policy-report.json'), 'utf-8'));
    const f = synth.findings.find((x: any) => x.ruleId === 'SS-K8S-010');
    expect(f.suppressed.reason).toContain('ignore-check.kube-linter.io/host-network');
    // an exemption that silences nothing is not reported as a stale suppression
    expect(synth.findings.filter((x: any) => x.ruleId === 'SS-POLICY-001')).toEqual([]);
    const json = path.join(dir, '..', `${path.basename(dir)}-peer-cli.json`);
    dirs.push(json);
    expect(await shipshapeCli(['check', dir, '--json', json], { out: () => undefined, err: () => undefined })).toBe(0);
    expect(comparableFindings(JSON.parse(fs.readFileSync(json, 'utf-8')).findings)).toEqual(comparableFindings(synth.findings));
  });
});

describe('one output folder, one writer; a commit is all or nothing', () => {
  function shop(app: App, chartId = 'shop'): App {
    web(new Chart(app, chartId, { namespace: 'shop' }), 'api');
    return app;
  }

  test('a second App of the program with the same outdir is refused before it removes the first one\'s files', () => {
    const dir = outdir();
    App._forgetOutdirs();
    quietly(() => shop(new App({ outdir: dir })).synth());
    const second = shop(new App({ outdir: dir }), 'billing');
    expect(errorOf(() => quietly(() => second.synth()))).toBe(`<app>: outdir ("${dir}") is also the output folder of another App of this program, whose files this synth would remove as stale; `
      + 'give each App an outdir of its own (new k8s.App({ outdir: \'dist/<name>\' }))');
    expect(files(dir).filter(f => !f.startsWith('.shipshape'))).toEqual(['shop.k8s.yaml']);
  });

  test('two Apps created with one outdir are refused whichever synthesizes first, before either removes the other\'s files', () => {
    const dir = outdir();
    // an earlier run of the program: only the first App synthesized
    App._forgetOutdirs();
    quietly(() => shop(new App({ outdir: dir })).synth());
    const before = fs.readFileSync(path.join(dir, 'shop.k8s.yaml'), 'utf-8');
    // this run: both Apps exist, and the one created second synthesizes first
    App._forgetOutdirs();
    const first = shop(new App({ outdir: dir }));
    const second = shop(new App({ outdir: dir }), 'billing');
    const message = `<app>: outdir ("${dir}") is also the outdir of another App this program created; whichever synthesized first would remove as `
      + 'stale the files the other wrote into the folder in an earlier run; give each App an outdir of its own (new k8s.App({ outdir: \'dist/<name>\' }))';
    expect(errorOf(() => quietly(() => second.synth()))).toBe(message);
    expect(files(dir).filter(f => !f.startsWith('.shipshape'))).toEqual(['shop.k8s.yaml']);
    expect(fs.readFileSync(path.join(dir, 'shop.k8s.yaml'), 'utf-8')).toBe(before);
    expect(errorOf(() => quietly(() => first.synth()))).toBe(message);
    expect(files(dir).filter(f => !f.startsWith('.shipshape'))).toEqual(['shop.k8s.yaml']);
  });

  test('the same App may synthesize again into its folder', () => {
    const dir = outdir();
    App._forgetOutdirs();
    const app = shop(new App({ outdir: dir }));
    quietly(() => app.synth());
    expect(() => quietly(() => app.synth())).not.toThrow();
  });

  test('a folder whose record names another writer (a fleet\'s cluster) is refused, and left as it was', () => {
    const dir = outdir();
    quietly(() => shop(runOf({ outdir: dir })).synth());
    const recordFile = path.join(dir, '.shipshape', 'output.json');
    const record = JSON.parse(fs.readFileSync(recordFile, 'utf-8'));
    fs.writeFileSync(recordFile, JSON.stringify({ ...record, owner: 'fleet platform: cluster prod-eu' }));
    const msg = errorOf(() => quietly(() => shop(runOf({ outdir: dir }), 'billing').synth()));
    expect(msg).toContain(`a k8s.App: outdir ("${dir}") holds the output of fleet platform: cluster prod-eu (see ${recordFile}), which this synth would remove; `
      + `give this app an outdir of its own (an output folder belongs to one App), or delete ${recordFile} to hand the folder over`);
    expect(files(dir).filter(f => !f.startsWith('.shipshape'))).toEqual(['shop.k8s.yaml']);
  });

  test('an outdir that is a file, or lies under one, is refused naming outdir', () => {
    const dir = outdir();
    const file = path.join(dir, 'afile');
    fs.writeFileSync(file, 'mine\n');
    expect(errorOf(() => shop(runOf({ outdir: file })).synth())).toBe(`<app>: outdir ("${file}") is a file, not a folder; name a folder (it is created when missing), or move the file out of the way`);
    expect(errorOf(() => shop(runOf({ outdir: path.join(file, 'dist') })).synth())).toBe(`<app>: outdir ("${path.join(file, 'dist')}") lies under ${file}, which is a file; name a folder (it is created when missing), or move the file out of the way`);
    expect(fs.readFileSync(file, 'utf-8')).toBe('mine\n');
  });

  test('a file where an output folder must go is refused before anything moves (no half-written folder)', () => {
    const dir = outdir();
    const app = runOf({ outdir: dir, yamlOutputType: YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE });
    web(new Chart(app, 'aaa', { namespace: 'aaa' }), 'api');
    web(new Chart(app, 'shop', { namespace: 'shop' }), 'api');
    fs.writeFileSync(path.join(dir, 'shop'), 'user file\n');
    const msg = errorOf(() => quietly(() => app.synth()));
    expect(msg).toMatch(new RegExp(`output file \\("shop/[^"]+"\\) goes into the folder ${path.join(dir, 'shop').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, but ${path.join(dir, 'shop').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is a file; move that file out of`));
    expect(files(dir)).toEqual(['shop']);
  });

  test('a move that fails half-way is undone: the previous output and its record are as they were', () => {
    const dir = outdir();
    const v1 = runOf({ outdir: dir, yamlOutputType: YamlOutputType.FILE_PER_CHART });
    shop(v1);
    web(new Chart(v1, 'billing', { namespace: 'billing' }), 'invoices');
    quietly(() => v1.synth());
    const before = new Map(files(dir).map(f => [f, fs.readFileSync(path.join(dir, f), 'utf-8')]));
    const v2 = runOf({ outdir: dir, yamlOutputType: YamlOutputType.FILE_PER_CHART });
    web(new Chart(v2, 'shop', { namespace: 'shop' }), 'api', { name: 'api-v2' });
    web(new Chart(v2, 'billing', { namespace: 'billing' }), 'invoices', { name: 'invoices-v2' });
    web(new Chart(v2, 'search', { namespace: 'search' }), 'api');
    // the fs module itself (the namespace import's bindings read through to it)
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const nodeFs: typeof fs = require('fs');
    const real = nodeFs.renameSync;
    let moves = 0;
    const spy = jest.spyOn(nodeFs, 'renameSync').mockImplementation((from: fs.PathLike, to: fs.PathLike) => {
      // the third move of a manifest into the output folder fails (the record and the moves aside pass)
      if (String(to).endsWith('.k8s.yaml') && !String(to).includes('.shipshape') && ++moves === 3) throw Object.assign(new Error('EIO: i/o error'), { code: 'EIO' });
      return real(from, to);
    });
    let message = '';
    try {
      quietly(() => v2.synth());
    } catch (e: any) {
      message = e.message;
    } finally {
      spy.mockRestore();
    }
    expect(message).toBe(`synth could not move its files into ${dir}: EIO: i/o error; the folder was put back as it was`);
    expect(new Map(files(dir).map(f => [f, fs.readFileSync(path.join(dir, f), 'utf-8')]))).toEqual(before);
  });
});

describe('leftovers of interrupted synths, and files that cannot be removed', () => {
  function shop(app: App, chartId = 'shop'): App {
    web(new Chart(app, chartId, { namespace: chartId }), 'api');
    return app;
  }

  test('the staging folder a killed synth left behind is removed by the next synth', () => {
    const dir = outdir();
    quietly(() => shop(runOf({ outdir: dir })).synth());
    fs.mkdirSync(path.join(dir, '.shipshape', 'staging-killed', 'half'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.shipshape', 'staging-killed', 'half', 'shop.k8s.yaml'), 'kind: ConfigMap\n');
    quietly(() => shop(runOf({ outdir: dir })).synth());
    expect(fs.readdirSync(path.join(dir, '.shipshape')).filter(f => f.startsWith('staging-'))).toEqual([]);
  });

  test('a stale file that cannot be removed is named on stderr and stays in the record, so the next synth tries again', () => {
    const dir = outdir();
    quietly(() => shop(shop(runOf({ outdir: dir })), 'billing').synth());
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const nodeFs: typeof fs = require('fs');
    const real = nodeFs.renameSync;
    const spy = jest.spyOn(nodeFs, 'renameSync').mockImplementation((from: fs.PathLike, to: fs.PathLike) => {
      if (String(from) === path.join(dir, 'billing.k8s.yaml')) throw Object.assign(new Error('EPERM: operation not permitted'), { code: 'EPERM' });
      return real(from, to);
    });
    let stderr = '';
    try {
      const app = shop(runOf({ outdir: dir }));
      stderr = stderrOf(() => app.synth());
    } finally {
      spy.mockRestore();
    }
    expect(stderr).toContain(`shipshape: could not remove billing.k8s.yaml (EPERM) from ${dir}, which an earlier synth wrote and this one no longer makes; `
      + 'it stays in the record, and the next synth tries again (make it writable, or delete by hand)');
    expect(JSON.parse(fs.readFileSync(path.join(dir, '.shipshape', 'output.json'), 'utf-8')).files).toEqual(['billing.k8s.yaml', 'shop.k8s.yaml']);
    const retry = stderrOf(() => shop(runOf({ outdir: dir })).synth());
    expect(retry).toContain(`shipshape: removed billing.k8s.yaml from ${dir}`);
    expect(fs.existsSync(path.join(dir, 'billing.k8s.yaml'))).toBe(false);
  });
});

describe('output folders inside one another', () => {
  test('an App whose outdir lies where another App wrote files is refused, and so is the other App writing into it', () => {
    const dir = outdir();
    const parent = runOf({ outdir: dir, yamlOutputType: YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE });
    web(new Chart(parent, 'sub', { namespace: 'sub' }), 'api');
    quietly(() => parent.synth());
    const child = runOf({ outdir: path.join(dir, 'sub') });
    web(new Chart(child, 'shop', { namespace: 'shop' }), 'api');
    expect(errorOf(() => quietly(() => child.synth()))).toContain(`a k8s.App: outdir (${JSON.stringify(path.join(dir, 'sub'))}) lies inside ${dir}, the output folder of a k8s.App, which wrote files there`);
    // the other way round: an App's folder exists first, and another App would write into it
    const dir2 = outdir();
    const inner = runOf({ outdir: path.join(dir2, 'sub') });
    web(new Chart(inner, 'shop', { namespace: 'shop' }), 'api');
    quietly(() => inner.synth());
    const outer = runOf({ outdir: dir2, yamlOutputType: YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE });
    web(new Chart(outer, 'sub', { namespace: 'sub' }), 'api');
    expect(errorOf(() => quietly(() => outer.synth()))).toContain(`goes into ${path.join(dir2, 'sub')}, the output folder of a k8s.App`);
  });

  test('Apps in sibling folders, or beside files another App wrote elsewhere, are fine', () => {
    const dir = outdir();
    quietly(() => { const a = runOf({ outdir: dir }); web(new Chart(a, 'top', { namespace: 'top' }), 'api'); a.synth(); });
    expect(() => quietly(() => { const b = runOf({ outdir: path.join(dir, 'b') }); web(new Chart(b, 'shop', { namespace: 'shop' }), 'api'); b.synth(); })).not.toThrow();
  });

  test('an outdir inside a .shipshape folder is refused', () => {
    const dir = outdir();
    const app = runOf({ outdir: path.join(dir, '.shipshape', 'x') });
    web(new Chart(app, 'shop', { namespace: 'shop' }), 'api');
    expect(errorOf(() => quietly(() => app.synth()))).toContain('lies inside a .shipshape/ folder');
  });
});

describe('two programs, one output folder', () => {
  /** The folder of this test file (the entry file under jest) relative to `dir`, as the record names it. */
  const entryDirOf = (dir: string) => path.relative(fs.realpathSync(dir), fs.realpathSync(__dirname)).split(path.sep).join('/');

  /**
   * Runs `fn` as the program whose entry file is `entry` (the main module's file name), started from `cwd`. Under jest
   * the main module the library sees is this test file's module (`require.main` is null here: set before it was known).
   */
  function asProgram<T>(entry: string, cwd: string, fn: () => T): T {
    const main = module;
    const filename = main.filename;
    const wd = process.cwd();
    main.filename = entry;
    process.chdir(cwd);
    try {
      return fn();
    } finally {
      process.chdir(wd);
      main.filename = filename;
    }
  }

  /** A synth of an App with one chart `chart` into `dir` (a new run of the program); returns what it said on stderr. */
  const synthChart = (dir: string, chart: string) => stderrOf(() => { const a = runOf({ outdir: dir }); web(new Chart(a, chart, { namespace: chart }), 'api'); a.synth(); });

  test('a folder another program wrote is refused when this synth would remove that program\'s files', () => {
    const dir = outdir();
    quietly(() => { const a = runOf({ outdir: dir }); web(new Chart(a, 'a', { namespace: 'a' }), 'api'); a.synth(); });
    const recordFile = path.join(dir, '.shipshape', 'output.json');
    const record = JSON.parse(fs.readFileSync(recordFile, 'utf-8'));
    fs.writeFileSync(recordFile, JSON.stringify({ ...record, program: 'other' }));
    const b = runOf({ outdir: dir });
    web(new Chart(b, 'b', { namespace: 'b' }), 'api');
    expect(errorOf(() => quietly(() => b.synth()))).toContain(`a k8s.App: outdir (${JSON.stringify(dir)}) holds the output of another program (other in ${entryDirOf(dir)}, relative to the folder, see `);
    expect(errorOf(() => quietly(() => b.synth()))).toContain(`whose files this synth (output-integrity.test in ${entryDirOf(dir)}) would remove a.k8s.yaml and add b.k8s.yaml; give each program's App an outdir of its own`);
    expect(fs.existsSync(path.join(dir, 'a.k8s.yaml'))).toBe(true);
    // other objects in the same files: overwriting them is refused too, and the folder keeps the first program's
    const over = runOf({ outdir: dir });
    new ApiObject(new Chart(over, 'a', { namespace: 'a' }), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'from-b' }, data: { owner: 'b' } });
    expect(errorOf(() => quietly(() => over.synth()))).toContain('would write over a.k8s.yaml;');
    expect(fs.readFileSync(path.join(dir, 'a.k8s.yaml'), 'utf-8')).not.toContain('from-b');
    // the same output from another entry file (main.ts renamed app.ts) changes nothing: accepted, and the record names it
    const same = runOf({ outdir: dir });
    web(new Chart(same, 'a', { namespace: 'a' }), 'api');
    const said = stderrOf(() => same.synth());
    expect(JSON.parse(fs.readFileSync(recordFile, 'utf-8')).program).toBe('output-integrity.test');
    // said once, at the handover: from now on the other program is refused there
    expect(said).toContain(`shipshape note: outdir (${JSON.stringify(dir)}) held the output of another program (other in ${entryDirOf(dir)}, relative to the folder); `
      + `this synth (output-integrity.test in ${entryDirOf(dir)}) wrote the same files`);
    expect(said).toContain('wrote the same files, so the folder is now recorded as its own: the other program\'s App is refused there from now on, '
      + 'unless it writes the same files (give each program an outdir of its own)\n');
    expect(stderrOf(() => { const again = runOf({ outdir: dir }); web(new Chart(again, 'a', { namespace: 'a' }), 'api'); again.synth(); })).not.toContain('held the output of another program');
  });

  test('a renamed entry file whose output carries code suppressions is the same output: handed over, not refused', () => {
    // the suppressions are written onto the objects after the policy check: the folder is compared with the final files
    const dir = outdir();
    const run = (reason: string, extra = false) => {
      const a = runOf({ outdir: dir });
      const chart = new Chart(a, 'a', { namespace: 'a' });
      const w = new WebService(chart, 'api', { image: IMAGE, replicas: Replicas.fixed(1) });
      w.allowFrom(NetworkPeer.ingressController('ingress-nginx', { 'app.kubernetes.io/name': 'ingress-nginx' }));
      Policy.suppress(w, 'SS-K8S-037', reason);
      if (extra) new ApiObject(new Chart(a, 'b', { namespace: 'b' }), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'extra' }, data: { k: 'v' } });
      return a;
    };
    quietly(() => run('a batch consumer, one replica is enough').synth());
    expect(fs.readFileSync(path.join(dir, 'a.k8s.yaml'), 'utf-8')).toContain('suppress.shipshape.io/SS-K8S-037: a batch consumer, one replica is enough');
    const recordFile = path.join(dir, '.shipshape', 'output.json');
    const record = JSON.parse(fs.readFileSync(recordFile, 'utf-8'));
    const renamed = () => fs.writeFileSync(recordFile, JSON.stringify({ ...record, program: 'main' }));
    // another reason is another output: refused once the suppressions are written, the folder untouched
    renamed();
    expect(errorOf(() => quietly(() => run('a batch consumer, one replica will do').synth())))
      .toContain(`holds the output of another program (main in ${entryDirOf(dir)}, relative to the folder, see `);
    expect(errorOf(() => quietly(() => run('a batch consumer, one replica will do').synth())))
      .toContain(`whose files this synth (output-integrity.test in ${entryDirOf(dir)}) would write over a.k8s.yaml; give each program's App an outdir of its own`);
    // a file added: refused before the policy runs, and a file differing only in its suppressions is not named
    expect(errorOf(() => quietly(() => run('a batch consumer, one replica is enough', true).synth())))
      .toContain(`whose files this synth (output-integrity.test in ${entryDirOf(dir)}) would add b.k8s.yaml; give each`);
    expect(fs.readFileSync(path.join(dir, 'a.k8s.yaml'), 'utf-8')).toContain('one replica is enough');
    // the same suppressions: the same files, handed over to the renamed program with the note
    const said = stderrOf(() => run('a batch consumer, one replica is enough').synth());
    expect(said).not.toContain('holds the output of another program');
    expect(said).toContain(`shipshape note: outdir (${JSON.stringify(dir)}) held the output of another program (main in ${entryDirOf(dir)}, relative to the folder); `);
    expect(JSON.parse(fs.readFileSync(recordFile, 'utf-8')).program).toBe('output-integrity.test');
  });

  test('entry files of the same name in two folders (two cdk8s apps, each with its main.ts), run from one working directory, are two programs', () => {
    const repo = outdir();
    const dir = path.join(repo, 'dist');
    for (const app of ['a', 'b']) fs.mkdirSync(path.join(repo, 'apps', app), { recursive: true });
    asProgram(path.join(repo, 'apps', 'a', 'main.ts'), repo, () => synthChart(dir, 'a'));
    const recordFile = path.join(dir, '.shipshape', 'output.json');
    const record = JSON.parse(fs.readFileSync(recordFile, 'utf-8'));
    expect([record.program, record.entryDir, record.programDir]).toEqual(['main', '../apps/a', undefined]);
    // apps/b/main.ts would remove apps/a's files as its own stale ones: refused, naming both entry files' folders
    expect(errorOf(() => asProgram(path.join(repo, 'apps', 'b', 'main.ts'), repo, () => synthChart(dir, 'b')))).toContain(
      `a k8s.App: outdir (${JSON.stringify(dir)}) holds the output of another program (main in ../apps/a, relative to the folder, see ${recordFile}), `
      + 'whose files this synth (main in ../apps/b) would remove a.k8s.yaml and add b.k8s.yaml; give each program\'s App an outdir of its own, '
      + `or delete ${recordFile} to hand the folder over to this program`);
    expect(files(dir).filter(f => !f.startsWith('.shipshape'))).toEqual(['a.k8s.yaml']);
    expect(JSON.parse(fs.readFileSync(recordFile, 'utf-8'))).toEqual(record);
  });

  test('one entry file run from two working directories is one program: the output and the record are byte-identical', () => {
    const repo = outdir();
    const dir = path.join(repo, 'dist');
    fs.mkdirSync(path.join(repo, 'lib'));
    const entry = path.join(repo, 'main.ts');
    const output = () => Object.fromEntries(files(dir).filter(f => !/policy-report/.test(f)).map(f => [f, fs.readFileSync(path.join(dir, f), 'utf-8')]));
    expect(asProgram(entry, repo, () => synthChart(dir, 'a'))).not.toContain('another program');
    const first = output();
    expect(JSON.parse(first[path.join('.shipshape', 'output.json')]).entryDir).toBe('..');
    // cd lib && npx ts-node ../main.ts
    const said = asProgram(entry, path.join(repo, 'lib'), () => synthChart(dir, 'a'));
    expect(said).not.toContain('another program');
    expect(output()).toEqual(first);
  });

  test('a record of an earlier version (the working directory as programDir, no entryDir) is compared as it was: no refusal on upgrade, and another directory is still another program', () => {
    const repo = outdir();
    const dir = path.join(repo, 'dist');
    const entry = path.join(repo, 'apps', 'a', 'main.ts');
    fs.mkdirSync(path.dirname(entry), { recursive: true });
    asProgram(entry, repo, () => synthChart(dir, 'a'));
    const recordFile = path.join(dir, '.shipshape', 'output.json');
    const { entryDir: _, ...record } = JSON.parse(fs.readFileSync(recordFile, 'utf-8'));
    // written by the earlier version from the repository root: the same program, whatever its entry file's folder
    const older = { ...record, programDir: '..' };
    fs.writeFileSync(recordFile, JSON.stringify(older));
    expect(asProgram(entry, repo, () => synthChart(dir, 'b'))).not.toContain('another program');
    // the record now names the entry file's folder, no longer the working directory
    expect(JSON.parse(fs.readFileSync(recordFile, 'utf-8'))).toEqual({ ...record, entryDir: '../apps/a', files: ['b.k8s.yaml'] });
    // written from another working directory: another program, as the earlier version said
    fs.writeFileSync(recordFile, JSON.stringify({ ...older, programDir: '../other', files: ['b.k8s.yaml'] }));
    expect(errorOf(() => asProgram(entry, repo, () => synthChart(dir, 'a')))).toContain(
      `holds the output of another program (main, run from ../other relative to the folder, not .., see ${recordFile}), `
      + 'whose files this synth (main in ../apps/a) would remove b.k8s.yaml and add a.k8s.yaml');
    // a record older still (neither): compared by name only
    fs.writeFileSync(recordFile, JSON.stringify({ ...record, files: ['b.k8s.yaml'] }));
    expect(asProgram(entry, repo, () => synthChart(dir, 'a'))).not.toContain('another program');
  });

  test('a program is named by its entry file without folder and extension (main for main.ts, build/main.js and src/main.ts), and an older record\'s path counts by its name', () => {
    expect([programName('/repo/main.ts'), programName('/repo/build/main.js'), programName('/repo/src/main.ts'), programName('../main.mts'), programName('C:/x/main.cjs')]).toEqual(['main', 'main', 'main', 'main', 'main']);
    expect(programName('/repo/apps/staging.ts')).toBe('staging');
    expect(programName(undefined)).toBeUndefined();
    const dir = outdir();
    quietly(() => { const a = runOf({ outdir: dir }); web(new Chart(a, 'a', { namespace: 'a' }), 'api'); a.synth(); });
    const recordFile = path.join(dir, '.shipshape', 'output.json');
    const record = JSON.parse(fs.readFileSync(recordFile, 'utf-8'));
    // (under jest the entry file is the test file)
    expect(record.program).toBe('output-integrity.test');
    // an older record (the entry's path): the same name is the same program, whatever its folder and extension
    fs.writeFileSync(recordFile, JSON.stringify({ ...record, program: `../build/${record.program}.js` }));
    const b = runOf({ outdir: dir });
    web(new Chart(b, 'b', { namespace: 'b' }), 'api');
    expect(() => quietly(() => b.synth())).not.toThrow();
  });

  test('a native ES module program (node main.mjs, which has no main module) is recorded by its script: main', () => {
    const dir = outdir();
    const script = path.join(dir, 'main.mjs');
    const library = path.join(__dirname, '..', '..', 'lib', 'k8s', 'output-folder.ts');
    fs.writeFileSync(script, [
      "import { createRequire } from 'module';",
      'const require = createRequire(import.meta.url);',
      `require(${JSON.stringify(require.resolve('ts-node'))}).register({ transpileOnly: true, compilerOptions: { module: 'commonjs' } });`,
      `const folder = require(${JSON.stringify(library)});`,
      'console.log(JSON.stringify({ main: require.main === undefined, entry: folder.entryFile(), program: folder.programName(folder.entryFile()) }));',
    ].join('\n'));
    const out = execFileSync(process.execPath, [script], { encoding: 'utf-8', cwd: os.tmpdir() });
    expect(JSON.parse(out.trim().split('\n').pop()!)).toEqual({ main: true, entry: fs.realpathSync(script) === script ? script : expect.any(String), program: 'main' });
  });
});

describe('reports in construct path order', () => {
  test('the policy report and the stderr summary read the same whatever order the charts were created in', () => {
    const synthIn = (order: string[]) => {
      const dir = outdir();
      const app = runOf({ outdir: dir });
      for (const id of order) {
        const chart = new Chart(app, id, { namespace: id });
        web(chart, 'api');
        // a suppression that silences nothing: a warning (SS-POLICY-001) in each chart
        Policy.suppress(chart, 'SS-K8S-003', 'the root filesystem is read-only already anyway');
      }
      const stderr = stderrOf(() => app.synth());
      const report = JSON.parse(fs.readFileSync(path.join(dir, '.shipshape', 'policy-report.json'), 'utf-8'));
      return { findings: report.findings.map((f: any) => `${f.ruleId} ${f.path}`), stderr: stderr.split(dir).join('<dir>') };
    };
    const forward = synthIn(['alpha', 'beta', 'gamma']);
    const backward = synthIn(['gamma', 'beta', 'alpha']);
    expect(forward.findings).toEqual(['SS-POLICY-001 alpha', 'SS-POLICY-001 beta', 'SS-POLICY-001 gamma']);
    expect(backward).toEqual(forward);
  });
});

describe('report paths', () => {
  test('an absolute outdir under the working directory is named relative to it in the report (the same on every checkout)', () => {
    const dir = fs.mkdtempSync(path.join(process.cwd(), '.report-paths-'));
    try {
      const app = runOf({ outdir: dir });
      const chart = new Chart(app, 'shop', { namespace: 'shop' });
      web(chart, 'api');
      Policy.suppress(chart, 'SS-K8S-003', 'the root filesystem is read-only already anyway');
      quietly(() => app.synth());
      const report = JSON.parse(fs.readFileSync(path.join(dir, '.shipshape', 'policy-report.json'), 'utf-8'));
      expect(report.findings.map((f: any) => f.file)).toEqual([path.join(path.relative(process.cwd(), dir), 'shop.k8s.yaml')]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('stray files that hold this output\'s objects', () => {
  test('a file the app did not write holding an object the output writes too is refused, before anything changes; one holding other objects is only named', () => {
    const dir = outdir();
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'shop' }, spec: {} };
    fs.writeFileSync(path.join(dir, 'shop.k8s.yaml'), YAML.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'shop' } }) + '---\n' + YAML.stringify(deployment));
    fs.writeFileSync(path.join(dir, 'notes.yaml'), YAML.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'unrelated', namespace: 'other' } }));
    const app = runOf({ outdir: dir });
    web(new Chart(app, 'web', { namespace: 'shop' }), 'api');
    const message = (() => {
      try {
        quietly(() => app.synth());
      } catch (e: any) {
        return e.message as string;
      }
      return '';
    })();
    expect(message).toContain(`${path.join(dir, 'shop.k8s.yaml')}: a file this app did not write holds Deployment shop/api (written by web/api/Deployment), which this output writes too; `
      + 'kubectl apply -f on the folder would apply both, the later file winning: delete shop.k8s.yaml');
    expect(message).not.toContain('notes.yaml');
    expect(files(dir)).toEqual(['notes.yaml', 'shop.k8s.yaml']);
    fs.rmSync(path.join(dir, 'shop.k8s.yaml'));
    const stderr = stderrOf(() => { const again = runOf({ outdir: dir }); web(new Chart(again, 'web', { namespace: 'shop' }), 'api'); again.synth(); });
    expect(stderr).toContain('also holds notes.yaml, which this app did not write');
  });
});

describe('many problems', () => {
  test('above 50 problems the error shows the first 20 and counts the rest; its problems property holds them all', () => {
    const app = runOf({ outdir: outdir() });
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    // 60 objects written twice: 60 name clashes
    for (let i = 0; i < 60; i++) {
      for (const id of ['a', 'b']) new ApiObject(chart, `${id}${i}`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}` }, data: { x: 'y' } });
    }
    let error: any;
    try {
      quietly(() => app.synth());
    } catch (e) {
      error = e;
    }
    expect(error.message).toContain('the app\'s output is inconsistent as a whole (60 problems); nothing was written:');
    expect(error.message.split('\n').filter((l: string) => l.startsWith('  shop/'))).toHaveLength(20);
    expect(error.message).toContain('... and 40 more (the error\'s problems property lists them all; fix what the ones above say and synth again)');
    expect(error.problems).toHaveLength(60);
  });
});

describe('a Namespace the output no longer writes', () => {
  const synth = (dir: string, chartId: string, namespaces: string[]) => {
    // each synth stands for a run of the program (one App per run)
    App._forgetOutdirs();
    const app = new App({ outdir: dir, policy: false });
    const chart = new Chart(app, chartId);
    for (const ns of namespaces) new ApiObject(chart, `ns-${ns}`, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    return stderrOf(() => app.synth());
  };

  test('is named in a warning that says pruning deletes it with its volumes; one that moved to another file is not', () => {
    const dir = outdir();
    synth(dir, 'payments', ['payments']);
    const renamed = synth(dir, 'billing', ['billing']);
    expect(renamed).toContain(`shipshape warning: ${dir}: Namespace payments is no longer in the output (an earlier synth wrote it in payments.k8s.yaml): applied with pruning `
      + '(an Argo CD Application with prune, kubectl apply --prune) it is deleted, and with it every object in it, PersistentVolumeClaims included');
    expect(renamed).not.toContain('Namespace billing');
    // the namespace written from another chart (another file): nothing is deleted
    const moved = synth(dir, 'platform', ['billing']);
    expect(moved).toContain('removed billing.k8s.yaml');
    expect(moved).not.toContain('is no longer in the output');
  });
});
