import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

// The README's "Testing your constructs" snippet runs as written (the package import pointed at lib/, the
// construct at examples/team-construct-library), and its assertions pass.
const ROOT = path.resolve(__dirname, '..', '..');

function snippet(): string {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const match = /```ts\n([\s\S]*?)```/.exec(readme.split('## Testing your constructs')[1] ?? '');
  if (!match) throw new Error('README.md has no ```ts block under "## Testing your constructs"');
  return match[1];
}

test('the README testing snippet runs and its assertions pass', () => {
  const code = snippet();
  expect(code).toContain("from 'shipshape'");
  expect(code).toContain("from './team-service'");
  const file = path.join(__dirname, `.readme-testing-${process.pid}.ts`);
  fs.writeFileSync(file, code
    .replace("from 'shipshape'", "from '../../lib'")
    .replace("from './team-service'", "from '../../examples/team-construct-library/src/team-service'")
    + "\nconsole.log('SNIPPET OK');\n");
  try {
    const run = spawnSync(process.execPath, ['-r', require.resolve('ts-node/register/transpile-only'), file], {
      cwd: ROOT, env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.json') }, encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('SNIPPET OK');
  } finally {
    fs.rmSync(file, { force: true });
  }
});
