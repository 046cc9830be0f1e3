// jest globalTeardown: removes the run's temporary folder (see global-setup.ts).
import * as fs from 'fs';

export default function globalTeardown(): void {
  const dir = process.env.SHIPSHAPE_JEST_TMPDIR;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}
