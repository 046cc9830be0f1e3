import { cdk, javascript } from 'projen';

// shipshape: production-grade Kubernetes (cdk8s) and EKS (cdktf) constructs.
// This file drives the project: edit it, then run `npx projen` to regenerate the managed files.
const project = new cdk.JsiiProject({
  name: 'shipshape',
  packageName: 'shipshape',
  description: 'Production-grade Kubernetes and EKS constructs for cdk8s and cdktf, with a policy engine that checks every synth.',
  // Construct Hub lists jsii packages by these keywords; `experimental` until 1.0 (the API may still change).
  keywords: ['cdk8s', 'cdktf', 'kubernetes', 'k8s', 'eks', 'aws', 'terraform', 'constructs', 'jsii', 'policy-as-code', 'platform-engineering'],
  stability: 'experimental',
  author: 'shipshape',
  authorAddress: 'team@shipshape.dev',
  repositoryUrl: 'https://example.invalid/shipshape.git',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  // TypeScript 7 (the registry's latest) is not supported by jsii or ts-node: pin 5.x.
  jsiiVersion: '~5.9.0',
  typescriptVersion: '~5.9.3',
  minNodeVersion: '20.0.0',

  srcdir: 'lib',
  testdir: 'test',
  libdir: 'out',
  artifactsDirectory: 'pkg',

  github: false,
  release: false,
  buildWorkflow: false,
  depsUpgrade: false,
  pullRequestTemplate: false,
  docgen: true,
  docgenFilePath: 'API.md',

  // jsii bindings: `npm run bindings` generates their code offline (CI runs it); nothing is published from here.
  publishToPypi: { distName: 'shipshape', module: 'shipshape' },
  publishToMaven: { javaPackage: 'dev.shipshape', mavenGroupId: 'dev.shipshape', mavenArtifactId: 'shipshape' },
  publishToNuget: { dotNetNamespace: 'Shipshape', packageId: 'Shipshape' },
  publishToGo: { moduleName: 'github.com/shipshape-dev/shipshape-go' },
  sampleCode: false,
  licensed: true,

  peerDeps: [
    'constructs@^10.4.2',
    'cdk8s@^2.70.0',
    'cdk8s-plus-27@^2.9.5',
    'cdktf@^0.21.0',
    '@cdktf/provider-aws@20.1.0',
  ],
  bundledDeps: ['js-yaml@4.1.0'],
  devDeps: [
    '@types/js-yaml@4.0.9',
    'ajv@8.17.1',
    'cdk8s-cli@2.207.60',
    // `npx cdktf synth` in the examples with a cdktf.json (pure JavaScript, no binary downloaded at install).
    'cdktf-cli@0.21.0',
    // Kubernetes 1.30 object types generated from the official OpenAPI spec: lib/k8s types the manifests it builds
    // with them (`import type` only: erased at compile time, never in the emitted .d.ts, so users do not install it),
    // and test/util/schema.ts builds strict JSON schemas of the built-in kinds from them, so schema tests run on a
    // clone without ../shared/schemas.
    'kubernetes-types@1.30.0',
    'yaml@2.9.1',
  ],

  jestOptions: {
    // npm 11 leaves the other platforms' optional bindings of unrs-resolver (used by jest 30 and
    // eslint-import-resolver-typescript 4) out of the lock file, then refuses `npm ci`: stay on releases without it.
    jestVersion: '29.7.0',
    // Snapshots are never rewritten by a test run (CI or local): update them deliberately with `npx jest -u`.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      // Prints once per run which schema cross-checks are available (../shared/schemas is optional), and points
      // TMPDIR at a folder of the run's own that globalTeardown removes: what tests (and cdk8s's Testing.app) write
      // to the temporary folder does not pile up on the machine.
      globalSetup: '<rootDir>/test/util/global-setup.ts',
      globalTeardown: '<rootDir>/test/util/global-teardown.ts',
      // added to projen's lib/test patterns: the tests an example ships (examples/team-construct-library/test)
      testMatch: ['<rootDir>/examples/*/test/**/*.test.ts'],
      testEnvironment: 'node',
      collectCoverage: false,
      testTimeout: 120_000,
    },
  },
  tsconfigDev: {
    compilerOptions: {},
    include: ['../examples/**/*.ts', '../bench/**/*.ts', '../scripts/**/*.ts'],
    exclude: ['../examples/**/dist', '../examples/**/cdktf.out', '../examples/**/.gen'],
  },
  eslintOptions: {
    dirs: ['lib'],
    devdirs: ['test', 'examples', 'bench', 'scripts'],
  },
  gitignore: [
    '/dist/',
    'examples/*/dist/',
    'examples/*/cdktf.out/',
    'cdktf.out/',
    '.terraform/',
    '.terraform.lock.hcl',
    '/bench-results/',
    '/pkg/',
    // written and removed by test/readme.test.ts and test/packaging/doc-snippets.test.ts (left only by a killed run)
    '.readme-example-*.ts',
    '.recovery-program-*.ts',
    '.report-paths-*/',
    '.doc-snippets-*/',
  ],
});

// See jestVersion above: the 3.6 line of the resolver does not depend on unrs-resolver.
for (const [name, version] of [['eslint-import-resolver-typescript', '3.6.3'], ['ts-jest', '29.4.5'], ['@types/jest', '29.5.14'], ['jest-util', '29.7.0']]) {
  project.deps.removeDependency(name);
  project.addDevDeps(`${name}@${version}`);
}

// The provider barrel costs seconds and hundreds of MB at load: only deep imports are allowed.
project.eslint?.addRules({
  // Long error messages and fixtures read better on one line; member order is left to the author.
  '@stylistic/max-len': ['error', { code: 200, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreComments: true }],
  '@stylistic/object-property-newline': ['error', { allowAllPropertiesOnSameLine: true }],
  '@typescript-eslint/member-ordering': 'off',
  'no-restricted-imports': ['error', {
    paths: [{
      name: '@cdktf/provider-aws',
      message: 'Import provider classes by deep path (@cdktf/provider-aws/lib/<resource>): the barrel takes seconds and hundreds of MB to load.',
    }],
  }],
});

// Kubernetes-only installs have no cdktf: only lib/aws may import it (lib/index.ts loads lib/aws lazily, see above).
project.eslint?.addOverride({
  files: ['lib/**/*.ts'],
  excludedFiles: ['lib/aws/**', 'lib/index.ts'],
  rules: {
    'no-restricted-imports': ['error', {
      patterns: [{
        group: ['cdktf', 'cdktf/*', '@cdktf/*', '**/aws', '**/aws/*'],
        message: 'Only lib/aws may import cdktf, the AWS provider or lib/aws: Kubernetes-only users install neither (cdktf and @cdktf/provider-aws are optional peers).',
      }],
    }],
  },
});

// The compiled library lives in out/ (lib/ holds the TypeScript sources).
project.package.addField('main', 'out/index.js');

// Kubernetes-only users install neither cdktf nor the 360 MB AWS provider: both are optional peers, and the
// compiled index loads the `aws` submodule on first use (scripts/lazy-aws-index.ts, run after jsii below).
project.package.addField('peerDependenciesMeta', {
  'cdktf': { optional: true },
  '@cdktf/provider-aws': { optional: true },
});
// pkg/ holds the generated bindings (npm run bindings) and jsii-pacmak's packages: never inside the npm tarball.
project.npmignore?.exclude('/dist/', '/examples/', '/bench/', '/bench-results/', '/scripts/', '/.ci/', '/pkg/', '/.scratch/');
project.npmignore?.include('/bin/');

// `npm run synth`: synthesize every example into dist/<example>/.
project.addTask('synth', {
  description: 'Synthesize every example into dist/',
  exec: 'ts-node --transpile-only scripts/synth-examples.ts',
});

// `npm run bench`: benchmark figures (not a timed test).
project.addTask('bench', {
  description: 'Benchmark synthesis against raw cdk8s (prints time, memory, ratios, growth exponents)',
  exec: 'node --expose-gc -r ts-node/register/transpile-only bench/bench.ts',
});

// jsii compiles lib/index.ts's `export * as aws from './aws'` into an eager require: make it a lazy getter.
project.compileTask.exec('ts-node --transpile-only scripts/lazy-aws-index.ts out/index.js');

// `npm run bindings`: the Python, Java, .NET and Go bindings' code, generated offline into pkg/bindings (git-ignored),
// so an API that does not bind fails CI. Needs a compiled out/ and .jsii (`npx projen compile`).
project.addTask('bindings', {
  description: 'Generate the jsii bindings (Python, Java, .NET, Go) without compiling them, into pkg/bindings',
  exec: 'jsii-pacmak --code-only --target python --target java --target dotnet --target go --outdir pkg/bindings --no-npmignore --force',
});

// `npm run check-package`: `npm pack`, then a Kubernetes-only project (no cdktf, no provider) installs the tarball and synthesizes.
project.addTask('check-package', {
  description: 'Pack the library and synthesize a Kubernetes-only project from the tarball, without cdktf installed',
  exec: 'ts-node --transpile-only scripts/check-package.ts',
});

project.addTask('typecheck', {
  description: 'Type-check tests, examples, bench and scripts',
  exec: 'tsc --noEmit -p test/tsconfig.json',
});

// `npm test`: compile with jsii (type checks lib/ and enforces jsii rules), regenerate API.md,
// type-check the rest, then jest and eslint.
project.testTask.prependSpawn(project.tasks.tryFind('typecheck')!);
project.testTask.prependSpawn(project.tasks.tryFind('docgen')!);
project.testTask.prependSpawn(project.compileTask);

project.synth();
