/**
 * Run after jsii (the `compile` task): makes the compiled `out/index.js` load the `aws` submodule on first use.
 *
 * jsii needs `export * as aws from './aws'` in lib/index.ts to declare the submodule, and TypeScript compiles it
 * into an eager `require("./aws")`, which loads cdktf and the AWS provider classes for every user. The compiled
 * line is replaced with a getter, so `require('shipshape')` no longer touches cdktf or @cdktf/provider-aws (both
 * optional peers) until `aws` is read; reading it without them installed throws an error that says what to
 * install. The type declarations (`out/index.d.ts`) are unchanged, and the jsii runtime resolves `shipshape.aws.*`
 * by property access, so the Python/Java/.NET/Go bindings work as before.
 *
 * Usage: ts-node --transpile-only scripts/lazy-aws-index.ts out/index.js
 * Fails (exit 1) when the expected line is not there exactly once, so a change in the compiler's output cannot
 * silently make the index eager again. Running it twice is harmless.
 */
import * as fs from 'fs';

/** What TypeScript emits for `export * as aws from './aws'` with esModuleInterop. */
export const EAGER_LINE = 'exports.aws = __importStar(require("./aws"));';

/** The marker of an index that was already rewritten. */
export const LAZY_MARKER = '// shipshape: the aws submodule is loaded on first use';

/** The replacement: a cached getter; a missing optional peer gives an error naming what to install. */
export const LAZY_BLOCK = `${LAZY_MARKER} (cdktf and @cdktf/provider-aws are optional peers)
let _aws;
Object.defineProperty(exports, "aws", {
    enumerable: true,
    configurable: true,
    get() {
        if (_aws === undefined) {
            try {
                _aws = __importStar(require("./aws"));
            }
            catch (e) {
                const missing = e && e.code === "MODULE_NOT_FOUND" && /'(cdktf|@cdktf\\/provider-aws)[/']/.exec(String(e.message));
                if (missing) {
                    // name every peer that is missing, not only the first one the submodule asked for
                    const absent = ["cdktf", "@cdktf/provider-aws"].filter((p) => {
                        try {
                            require.resolve(p);
                            return false;
                        }
                        catch (_) {
                            return true;
                        }
                    });
                    const names = absent.length > 0 ? absent : [missing[1]];
                    throw new Error("shipshape: the aws submodule needs the optional peer dependencies cdktf and @cdktf/provider-aws (" + names.join(" and ") + (names.length > 1 ? " are" : " is") + " not installed); install them with: npm install cdktf@^0.21.0 @cdktf/provider-aws@20.1.0");
                }
                throw e;
            }
        }
        return _aws;
    },
});`;

/** Returns the rewritten index, or throws when the eager line is not found exactly once. */
export function lazifyAwsIndex(js: string): string {
  if (js.includes(LAZY_MARKER)) return js;
  const count = js.split(EAGER_LINE).length - 1;
  if (count !== 1) {
    throw new Error(`lazy-aws-index: expected the line \`${EAGER_LINE}\` once in the compiled index, found it ${count} time(s); ` +
      'lib/index.ts must keep `export * as aws from \'./aws\'` (and the compiler its output) for the aws submodule to load lazily');
  }
  return js.replace(EAGER_LINE, LAZY_BLOCK);
}

if (require.main === module) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: lazy-aws-index.ts <compiled index.js>\n');
    process.exit(2);
  }
  try {
    fs.writeFileSync(file, lazifyAwsIndex(fs.readFileSync(file, 'utf-8')));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(1);
  }
}
