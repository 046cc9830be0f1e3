import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

// Every TypeScript block in the docs users read (README.md, docs/*.md) compiles against the public API, as a user
// would paste it: `from 'shipshape'` resolves to lib/, strict compiler options. A block that is a fragment (it uses
// a `stack`, an `app` or `this` from around it) gets that context declared here, keyed by a line of the block; a
// block this file does not know must compile on its own. So a renamed prop or method breaks this test, not a
// reader's first build. (The README's "Ten lines" block is also run, by test/readme.test.ts.)

const ROOT = path.join(__dirname, '..', '..');
const LIB = 'shipshape';

interface Snippet {
  readonly doc: string;
  readonly line: number;
  readonly code: string;
}

/** What a fragment needs around it: imports before it, declarations after it, or a body to sit in. */
interface Context {
  /** A line the block contains (identifies it). */
  readonly contains: string;
  /** Module text placed before the block (imports). */
  readonly before?: string;
  /** Module text placed after the block (`declare const` of the names it uses). */
  readonly after?: string;
  /** Wraps the block (for a block written inside a constructor). */
  readonly wrap?: (code: string) => string;
}

const CONTEXTS: Context[] = [
  {
    contains: "  image: 'postgres:16.4',",
    before: `import { k8s } from '${LIB}';`,
    after: "declare const chart: import('cdk8s').Chart;",
  },
  {
    contains: 'for (const r of cluster.profile.helmReleases ?? []) {',
    after: `declare const cluster: import('${LIB}').aws.EksCluster;`,
  },
  {
    contains: "policy.Policy.suppress(agent, 'SS-K8S-010'",
    after: `declare const agent: import('${LIB}').k8s.NodeAgent;`,
  },
  {
    contains: 'const kube = new k8s.App({ cluster: stack.cluster.profile });',
    before: `import { Chart } from 'cdk8s';\nimport { aws, k8s } from '${LIB}';`,
    after: 'declare const stack: { cluster: aws.EksCluster; spotPool: aws.NodePool };\ndeclare const ordersIdentity: aws.WorkloadIdentity;',
  },
  {
    contains: "const cluster = new aws.EksCluster(this, 'shop-prod'",
    before: [
      "import { Chart } from 'cdk8s';",
      "import { TerraformStack } from 'cdktf';",
      "import { Construct } from 'constructs';",
      "import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';",
      "import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';",
      `import { aws, k8s } from '${LIB}';`,
    ].join('\n'),
    wrap: code => `export class ShopStack extends TerraformStack {\n  constructor(scope: Construct) {\n    super(scope, 'shop');\n${code}\n  }\n}`,
    after: [
      "declare const account: aws.EksClusterProps['account'];",
      "declare const admins: aws.EksClusterProps['admins'];",
      'declare const queue: SqsQueue;',
      'declare const bucket: S3Bucket;',
      'declare const image: string;',
    ].join('\n'),
  },
  {
    contains: "const karpenter = new aws.Karpenter(this, 'karpenter'",
    before: [
      "import { Chart } from 'cdk8s';",
      "import { TerraformStack } from 'cdktf';",
      "import { Construct } from 'constructs';",
      `import { aws, k8s } from '${LIB}';`,
    ].join('\n'),
    wrap: code => `export class ShopStack extends TerraformStack {\n  constructor(scope: Construct) {\n    super(scope, 'shop');\n${code}\n  }\n}`,
    after: 'declare const cluster: aws.EksCluster;\ndeclare const kube: k8s.App;',
  },
  {
    contains: "import { TeamService } from './team-service';",
  },
  {
    contains: 'ApiObject.of(api.deployment).addJsonPatch(',
    after: `declare const api: import('${LIB}').k8s.WebService;`,
  },
  {
    contains: "policy.Policy.configure(app, { packs: [new policy.KubernetesPack(), { name: 'acme', rules: [new TeamLabel()] }] });",
    after: "declare const app: import('cdk8s').App;",
  },
];

/** The docs users read: the README and docs/*.md. */
function docs(): string[] {
  const dir = path.join(ROOT, 'docs');
  return ['README.md', ...fs.readdirSync(dir).filter(f => f.endsWith('.md')).sort().map(f => `docs/${f}`)];
}

/** The ```ts and ```typescript blocks of a Markdown file. */
function snippets(doc: string): Snippet[] {
  const lines = fs.readFileSync(path.join(ROOT, doc), 'utf-8').split('\n');
  const out: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|typescript)\s*$/.test(lines[i])) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !lines[end].startsWith('```')) end++;
    out.push({ doc, line: start + 1, code: lines.slice(start, end).join('\n') });
    i = end;
  }
  return out;
}

/** The module a block becomes, with its context and the package import pointed at lib/. */
function moduleText(s: Snippet, context: Context | undefined, libPath: string, examplesPath: string): string {
  const code = context?.wrap ? context.wrap(s.code) : s.code;
  const text = [context?.before ?? '', code, context?.after ?? '', 'export {};'].join('\n');
  return text
    .split(`from '${LIB}'`).join(`from '${libPath}'`)
    .split(`import('${LIB}')`).join(`import('${libPath}')`)
    .split("from './team-service'").join(`from '${examplesPath}/team-construct-library/src/team-service'`);
}

const ALL = docs().flatMap(snippets);

test('the docs hold TypeScript blocks, and every context here still matches one', () => {
  expect(ALL.length).toBeGreaterThanOrEqual(8);
  for (const c of CONTEXTS) {
    expect(ALL.filter(s => s.code.includes(c.contains)).map(s => `${s.doc}:${s.line}`).length).toBeGreaterThanOrEqual(1);
  }
});

test('every TypeScript block in README.md and docs/*.md compiles against the public API', () => {
  const dir = fs.mkdtempSync(path.join(ROOT, 'test', '.doc-snippets-'));
  try {
    const files = new Map<string, Snippet>();
    ALL.forEach((s, i) => {
      const context = CONTEXTS.find(c => s.code.includes(c.contains));
      const file = path.join(dir, `snippet-${i}.ts`);
      fs.writeFileSync(file, moduleText(s, context, '../../lib', '../../examples'));
      files.set(file, s);
    });
    const config = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, 'tsconfig.json'), {}, {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: d => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); },
    })!;
    // a reader's snippet may name something once (`const orders = ...`) without using it again
    const options: ts.CompilerOptions = { ...config.options, noEmit: true, noUnusedLocals: false, noUnusedParameters: false, declaration: false, rootDir: ROOT };
    const program = ts.createProgram([...files.keys()], options);
    const problems: string[] = [];
    for (const [file, s] of files) {
      for (const d of ts.getPreEmitDiagnostics(program, program.getSourceFile(file))) {
        const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
        problems.push(`${s.doc}, block at line ${s.line}${where ? ` (module line ${where.line + 1})` : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
      }
    }
    expect(problems).toEqual([]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
