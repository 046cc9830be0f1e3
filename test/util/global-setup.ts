// jest globalSetup: says once, at the start of every run, which schema cross-checks this clone has
// (../shared/schemas is optional: without it the built-in schemas are used and the deeper checks are skipped),
// and gives the run a temporary folder of its own (TMPDIR, inherited by the test workers and the processes they
// start), which global-teardown.ts removes.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { schemaCoverage } from './schema';

export default function globalSetup(): void {
  process.stdout.write(`\n${schemaCoverage()}\n`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-jest-'));
  process.env.SHIPSHAPE_JEST_TMPDIR = dir;
  process.env.TMPDIR = dir;
}
