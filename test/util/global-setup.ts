// jest globalSetup: says once, at the start of every run, which schema cross-checks this clone has
// (../shared/schemas is optional: without it the built-in schemas are used and the deeper checks are skipped).
import { schemaCoverage } from './schema';

export default function globalSetup(): void {
  process.stdout.write(`\n${schemaCoverage()}\n`);
}
