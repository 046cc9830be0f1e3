import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { expectValid, parseYamlFiles, tempDir } from './util/schema';

// The README's "Ten lines" example must run as written (with the package import pointed at lib/)
// and produce what the README says it produces.
const ROOT = path.resolve(__dirname, '..');

function readmeSnippet(): string {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.split('## Ten lines')[1];
  const match = /```ts\n([\s\S]*?)```/.exec(section ?? '');
  if (!match) throw new Error('README.md has no ```ts block under "## Ten lines"');
  return match[1];
}

test('the README example is about ten lines and synthesizes the objects the README lists', () => {
  const code = readmeSnippet();
  expect(code.trim().split('\n').length).toBeLessThanOrEqual(10);
  const dir = tempDir('shipshape-readme-');
  const file = path.join(ROOT, 'test', `.readme-example-${process.pid}.ts`);
  fs.writeFileSync(file, code.replace("from 'shipshape'", "from '../lib'"));
  try {
    const out = path.join(dir, 'dist');
    const run = spawnSync(process.execPath, ['-r', require.resolve('ts-node/register/transpile-only'), file], {
      cwd: dir, env: { ...process.env, CDK8S_OUTDIR: out, TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.json') }, encoding: 'utf8',
    });
    if (run.status !== 0) throw new Error(`the README example failed:\n${run.stderr}`);
    const docs = parseYamlFiles(out).flatMap(f => f.docs);
    expect(docs.map(d => d.kind).sort()).toEqual(['Deployment', 'HorizontalPodAutoscaler', 'NetworkPolicy', 'PodDisruptionBudget', 'Service', 'ServiceAccount']);
    expect(docs.every(d => d.metadata.name === 'api' && d.metadata.namespace === 'shop')).toBe(true);
    expectValid(docs);
  } finally {
    fs.rmSync(file, { force: true });
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('every range of rule ids the docs give ends at the pack\'s last rule', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { KubernetesPack, TerraformPack } = require('../lib/policy');
  const last = (rules: Array<{ id: string }>) => rules.map(r => r.id).sort().pop()!.replace(/^SS-(K8S|EKS)-/, '');
  const want: { [prefix: string]: string } = { K8S: last(new KubernetesPack().rules), EKS: last(new TerraformPack().rules) };
  const files = ['README.md', 'lib/policy/README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).filter(f => f.endsWith('.md')).map(f => `docs/${f}`)];
  const ranges: string[] = [];
  for (const f of files) {
    const text = fs.readFileSync(path.join(ROOT, f), 'utf8');
    for (const m of text.matchAll(/SS-(K8S|EKS)-001`? ?(?:\.\.\.|…|–) ?`?(?:SS-(?:K8S|EKS)-)?(\d{3})/g)) {
      ranges.push(`${f}: ${m[0]}`);
      expect(`${f}: ${m[0]}`).toBe(`${f}: ${m[0].slice(0, m[0].length - 3)}${want[m[1]]}`);
    }
  }
  expect(ranges.some(r => r.startsWith('README.md: SS-K8S-001'))).toBe(true);
  expect(ranges.some(r => r.startsWith('docs/policy.md: SS-K8S-001'))).toBe(true);
});
