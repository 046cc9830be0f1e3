import { EAGER_LINE, LAZY_MARKER, lazifyAwsIndex } from '../../scripts/lazy-aws-index';

// What TypeScript emits for lib/index.ts (shortened): the helper, the hoisted exports, the eager line.
const COMPILED = [
  '"use strict";',
  'var __importStar = (this && this.__importStar) || function (mod) { return mod; };',
  'Object.defineProperty(exports, "__esModule", { value: true });',
  'exports.testing = exports.policy = exports.aws = exports.k8s = void 0;',
  'exports.k8s = __importStar(require("./k8s"));',
  EAGER_LINE,
  'exports.policy = __importStar(require("./policy"));',
].join('\n');

/**
 * Evaluates a compiled index with a fake `require` (whose `resolve` finds the packages in `installed`); returns its
 * exports and the modules required so far.
 */
function load(js: string, modules: Record<string, () => unknown>, installed: string[] = ['cdktf', '@cdktf/provider-aws']) {
  const required: string[] = [];
  const exports: any = {};
  const fakeRequire = (id: string) => {
    required.push(id);
    return modules[id]();
  };
  fakeRequire.resolve = (id: string) => {
    if (installed.includes(id)) return `/app/node_modules/${id}/lib/index.js`;
    throw Object.assign(new Error(`Cannot find module '${id}'`), { code: 'MODULE_NOT_FOUND' });
  };
  new Function('exports', 'require', js)(exports, fakeRequire);
  return { exports, required };
}

const notFound = (what: string) => () => {
  const e: any = new Error(`Cannot find module '${what}'\nRequire stack:\n- /app/node_modules/shipshape/out/aws/network.js`);
  e.code = 'MODULE_NOT_FOUND';
  throw e;
};

test('the aws submodule is required on first read, once, and listed as an export before that', () => {
  const aws = { Network: class {} };
  const { exports, required } = load(lazifyAwsIndex(COMPILED), { './k8s': () => ({}), './policy': () => ({}), './aws': () => aws });
  expect(required).toEqual(['./k8s', './policy']);
  expect(Object.keys(exports)).toContain('aws');
  expect(exports.aws).toBe(aws);
  expect(exports.aws.Network).toBe(aws.Network);
  expect(required).toEqual(['./k8s', './policy', './aws']);
});

test('a missing optional peer is an error that names every missing peer and the install command', () => {
  const cases: Array<[string, string[], string]> = [
    ['cdktf', ['@cdktf/provider-aws'], 'cdktf is'],
    ['@cdktf/provider-aws/lib/vpc', ['cdktf'], '@cdktf/provider-aws is'],
    ['cdktf', [], 'cdktf and @cdktf/provider-aws are'],
    // resolve finds both (an odd install): the module the submodule asked for is named
    ['@cdktf/provider-aws/lib/vpc', ['cdktf', '@cdktf/provider-aws'], '@cdktf/provider-aws is'],
  ];
  for (const [missing, installed, said] of cases) {
    const { exports } = load(lazifyAwsIndex(COMPILED), { './k8s': () => ({}), './policy': () => ({}), './aws': notFound(missing) }, installed);
    expect(() => exports.aws).toThrow(`shipshape: the aws submodule needs the optional peer dependencies cdktf and @cdktf/provider-aws (${said} not installed); ` +
      'install them with: npm install cdktf@^0.21.0 @cdktf/provider-aws@20.1.0');
  }
});

test('any other error loading the submodule is passed on unchanged', () => {
  const { exports } = load(lazifyAwsIndex(COMPILED), { './k8s': () => ({}), './policy': () => ({}), './aws': notFound('cdktf-extras') });
  expect(() => exports.aws).toThrow("Cannot find module 'cdktf-extras'");
  const boom = load(lazifyAwsIndex(COMPILED), { './k8s': () => ({}), './policy': () => ({}), './aws': () => { throw new TypeError('boom'); } });
  expect(() => boom.exports.aws).toThrow(new TypeError('boom'));
});

test('rewriting twice changes nothing; an index without the eager line is refused', () => {
  const once = lazifyAwsIndex(COMPILED);
  expect(once).toContain(LAZY_MARKER);
  expect(once).not.toContain(EAGER_LINE);
  expect(lazifyAwsIndex(once)).toBe(once);
  expect(() => lazifyAwsIndex(COMPILED.replace(EAGER_LINE, 'const aws = require("./aws"); exports.aws = aws;'))).toThrow(
    'lazy-aws-index: expected the line `exports.aws = __importStar(require("./aws"));` once in the compiled index, found it 0 time(s); ' +
    "lib/index.ts must keep `export * as aws from './aws'` (and the compiler its output) for the aws submodule to load lazily");
});
