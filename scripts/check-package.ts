/**
 * `npm run check-package`: what a Kubernetes-only user gets from the published package.
 *
 * Packs the library (`npm pack`; needs a compiled out/, e.g. after `npm test` or `npx projen compile`), then in a
 * temporary folder creates a project that depends on the tarball, cdk8s, cdk8s-plus-27 and constructs only (the
 * versions this repository pins), installs it from the registry (cdktf and @cdktf/provider-aws are optional peers:
 * npm must not install them), and checks that:
 * - a TypeScript program using `k8s` type-checks with the tsconfig `cdk8s init` writes plus `skipLibCheck: true`
 *   (without it, tsc reports the missing cdktf modules named by the `aws` declarations; README says so),
 * - it synthesizes a WebService with the policy check on,
 * - `require('shipshape')` loads no cdktf module, and reading `aws` says which peers to install.
 * Prints the install size. Exits non-zero, with the reason, on the first failed check.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LAZY_MARKER } from './lazy-aws-index';

const REPO = path.resolve(__dirname, '..');

function run(cmd: string, args: string[], cwd: string): string {
  try {
    return execFileSync(cmd, args, { cwd, encoding: 'utf-8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  } catch (e: any) {
    throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd}:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`check-package: ${what}`);
  process.stdout.write(`  ok  ${what}\n`);
}

function duBytes(dir: string): number {
  let total = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) total += duBytes(p);
    else if (e.isFile()) total += fs.statSync(p).size;
  }
  return total;
}

const PROGRAM = `import { Chart } from 'cdk8s';
import { k8s } from 'shipshape';

const app = new k8s.App({ outdir: 'dist' });
const chart = new Chart(app, 'shop', { namespace: 'shop' });
const api = new k8s.WebService(chart, 'api', { image: 'ghcr.io/acme/shop-api:1.4.2', partOf: 'shop' });
api.allowFrom(k8s.NetworkPeer.namespace('ingress-nginx'));
app.synth();
`;

function main(): void {
  const index = path.join(REPO, 'out', 'index.js');
  if (!fs.existsSync(index)) throw new Error('check-package: out/index.js missing: compile first (npx projen compile)');
  check(fs.readFileSync(index, 'utf-8').includes(LAZY_MARKER), 'out/index.js loads the aws submodule lazily');

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-check-package-'));
  try {
    const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], REPO))[0];
    const tarball = path.join(work, packed.filename);
    process.stdout.write(`packed ${packed.filename}: ${(packed.size / 1e6).toFixed(2)} MB, ${packed.entryCount} files\n`);
    const stray = packed.files.map((f: { path: string }) => f.path).filter((f: string) => /^(pkg|dist|test|examples)\//.test(f));
    check(stray.length === 0, `the tarball holds no build output, tests or examples${stray.length ? ` (found ${stray.slice(0, 3).join(', ')})` : ''}`);

    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf-8'));
    const pin = (name: string) => pkg.devDependencies[name];
    const project = path.join(work, 'k8s-only');
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({
      name: 'k8s-only',
      private: true,
      dependencies: {
        'shipshape': `file:${tarball}`,
        'cdk8s': pin('cdk8s'),
        'cdk8s-plus-27': pin('cdk8s-plus-27'),
        'constructs': pin('constructs'),
      },
    }, undefined, 2));
    // the tsconfig `cdk8s init typescript-app` writes, plus skipLibCheck (README: the aws declarations name the absent peers)
    const tsconfig = JSON.parse(fs.readFileSync(path.join(REPO, 'node_modules', 'cdk8s-cli', 'templates', 'typescript-app', 'tsconfig.json'), 'utf-8'));
    Object.assign(tsconfig.compilerOptions, { skipLibCheck: true, outDir: 'js' });
    fs.writeFileSync(path.join(project, 'tsconfig.json'), JSON.stringify(tsconfig, undefined, 2));
    fs.writeFileSync(path.join(project, 'main.ts'), PROGRAM);
    run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], project);

    const nm = path.join(project, 'node_modules');
    check(!fs.existsSync(path.join(nm, 'cdktf')) && !fs.existsSync(path.join(nm, '@cdktf')), 'npm installed neither cdktf nor @cdktf/provider-aws');
    process.stdout.write(`install size (node_modules): ${(duBytes(nm) / 1e6).toFixed(1)} MB\n`);

    run(process.execPath, [path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], project);
    check(fs.existsSync(path.join(project, 'js', 'main.js')), 'a TypeScript program using k8s type-checks and compiles');
    run(process.execPath, [path.join('js', 'main.js')], project);
    const yaml = fs.readFileSync(path.join(project, 'dist', 'shop.k8s.yaml'), 'utf-8');
    check(/kind: Deployment/.test(yaml) && /kind: NetworkPolicy/.test(yaml), 'it synthesizes (dist/shop.k8s.yaml has the Deployment and its NetworkPolicy)');
    const sarif = ['.shipshape/policy-report.sarif', 'policy-report.sarif'].find(f => fs.existsSync(path.join(project, 'dist', f)));
    check(sarif !== undefined, `the policy check ran (dist/${sarif ?? '.shipshape/policy-report.sarif'} written)`);

    const probe = [
      'const s = require("shipshape");',
      'const loaded = () => Object.keys(require.cache).filter(f => /[\\\\/]node_modules[\\\\/](cdktf|@cdktf)[\\\\/]/.test(f)).length;',
      'let message = "";',
      'try { s.aws; } catch (e) { message = e.message; }',
      'console.log(JSON.stringify({ keys: Object.keys(s).includes("aws"), cdktfModules: loaded(), message }));',
    ].join('\n');
    const out = JSON.parse(run(process.execPath, ['-e', probe], project));
    check(out.keys && out.cdktfModules === 0, 'require(\'shipshape\') loads no cdktf module (aws is listed, not loaded)');
    check(out.message.includes('(cdktf and @cdktf/provider-aws are not installed)') && out.message.includes('npm install cdktf@^0.21.0 @cdktf/provider-aws@20.1.0'),
      `reading aws without the peers names both and says what to install ("${out.message}")`);
  } finally {
    if (process.env.CHECK_PACKAGE_KEEP) process.stdout.write(`kept ${work}\n`);
    else fs.rmSync(work, { recursive: true, force: true });
  }
}

try {
  main();
  process.stdout.write('check-package: the Kubernetes-only install works\n');
} catch (e) {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(1);
}
