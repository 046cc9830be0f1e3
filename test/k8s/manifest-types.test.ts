import * as fs from 'fs';
import * as path from 'path';
import type * as appsv1 from 'kubernetes-types/apps/v1';
import type * as corev1 from 'kubernetes-types/core/v1';
import * as ts from 'typescript';

// The manifests shipshape builds are typed with the Kubernetes object types of the official OpenAPI spec
// (`kubernetes-types`, imported with `import type`: nothing of it exists at run time) and, for custom resources
// (Gateway API, Istio, Linkerd, Karpenter, Argo CD, KEDA, Velero, cert-manager, Prometheus Operator), with small
// local interfaces written after their CRD schemas. A misspelled or mistyped field is a compile error.

const ROOT = path.join(__dirname, '..', '..');
const LIB = path.join(ROOT, 'lib');

// ---- what the typing rejects (`tsc -p test/tsconfig.json` fails if a line below compiles) --------------------

const container = { name: 'app', image: 'ghcr.io/acme/api:1.4.2', securityContext: { runAsNonRoot: true } } satisfies corev1.Container;
// @ts-expect-error a misspelled field (imagePullPolicy) is not a Container field
const misspelled = { name: 'app', imagePullPolicyy: 'Always' } satisfies corev1.Container;
// @ts-expect-error a field of the wrong type: replicas is a number
const wrongType = { replicas: '3', selector: {}, template: {} } satisfies appsv1.DeploymentSpec;
// @ts-expect-error a required field is missing: a Container has a name
const missing = { image: 'ghcr.io/acme/api:1.4.2' } satisfies corev1.Container;

test('the examples above are what they claim (the type check is the real assertion)', () => {
  expect([container, misspelled, wrongType, missing].map(x => Object.keys(x).length)).toEqual([3, 2, 3, 1]);
});

// ---- the library's own manifests: a mistyped field in lib/ is a compile error ------------------------------

const options: ts.CompilerOptions = {
  ...ts.parseJsonConfigFileContent(JSON.parse(fs.readFileSync(path.join(ROOT, 'tsconfig.json'), 'utf-8')), ts.sys, ROOT).options,
  noEmit: true,
  noUnusedLocals: false, // a mutation may leave a variable unread; that is not what is looked for
};

const parsed = new Map<string, ts.SourceFile>();
/** A compiler host that serves `override` for one file and caches every other parsed file (the cases share them). */
function host(override?: { file: string; text: string }): ts.CompilerHost {
  const base = ts.createCompilerHost(options, true);
  return {
    ...base,
    getSourceFile(fileName, languageVersion) {
      if (override && path.resolve(fileName) === override.file) return ts.createSourceFile(fileName, override.text, languageVersion, true);
      let sf = parsed.get(fileName);
      if (!sf) {
        sf = base.getSourceFile(fileName, languageVersion);
        if (sf) parsed.set(fileName, sf);
      }
      return sf;
    },
  };
}

/** The type errors of `file` (lib-relative) with `from` replaced by `to` (exactly one occurrence). */
function errorsWith(file: string, from: string, to: string): string[] {
  const abs = path.join(LIB, file);
  const text = fs.readFileSync(abs, 'utf-8');
  expect(text.split(from).length - 1).toBe(1);
  const program = ts.createProgram([abs], options, host({ file: abs, text: text.replace(from, to) }));
  const sf = program.getSourceFile(abs)!;
  return program.getSemanticDiagnostics(sf).map(d => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

// one mutation per kind of object, built-in kinds and custom resources, in the files that build them
const MUTATIONS: Array<[string, string, string, RegExp]> = [
  ['k8s/workloads/workload.ts', 'enableServiceLinks: false,', 'enableServiceLink: false,', /'enableServiceLink' does not exist in type 'PodSpec'/],
  ['k8s/workloads/workload.ts', "unhealthyPodEvictionPolicy: 'AlwaysAllow',", "unhealthyPodEvictionPolicies: 'AlwaysAllow',", /'unhealthyPodEvictionPolicies' does not exist in type 'PodDisruptionBudgetSpec'/],
  ['k8s/workloads/workload.ts', 'maxUnavailable: 1,', 'maxUnavailable: true,', /Type 'true' is not assignable to type 'string \| number \| undefined'/],
  ['k8s/workloads/workload.ts', 'containerPort: cp.port, protocol:', 'containerPort: cp.port, protocl:', /'protocl' does not exist in type 'ContainerPort'/],
  ['k8s/workloads/web-service.ts', 'revisionHistoryLimit: 5,', 'revisionHistoryLimits: 5,', /'revisionHistoryLimits' does not exist in type 'DeploymentSpec'/],
  ['k8s/workloads/stateful-service.ts', 'publishNotReadyAddresses:', 'publishNotReadyAddress:', /'publishNotReadyAddress' does not exist in type 'ServiceSpec'/],
  ['k8s/workloads/scheduled-job.ts', 'startingDeadlineSeconds: deadline,', 'startingDeadline: deadline,', /'startingDeadline' does not exist in type 'CronJobSpec'/],
  ['k8s/workloads/probe.ts', 'periodSeconds: o.periodSeconds ?? 10,', 'periodSecond: o.periodSeconds ?? 10,', /'periodSecond' does not exist in type 'Probe'/],
  ['k8s/workloads/worker.ts', 'pollingInterval: polling,', 'pollingIntervalSeconds: polling,', /'pollingIntervalSeconds' does not exist/],
  ['k8s/sidecars/builder.ts', "imagePullPolicy: 'Always',", "pullPolicy: 'Always',", /'pullPolicy' does not exist in type 'Container'/],
  ['k8s/networking/http-ingress.ts', 'pathType: r.pathType,', 'pathType: r.pathType, type: r.pathType,', /'type' does not exist in type 'HTTPIngressPath'/],
  ['k8s/networking/http-route.ts', 'parentRefs: [parentRef],', 'parentRef: [parentRef],', /'parentRef' does not exist/],
  ['k8s/mesh/istio-mesh.ts', 'consecutive5xxErrors: cb.consecutive5xxErrors,', 'consecutive5xx: cb.consecutive5xxErrors,', /'consecutive5xx' does not exist/],
  ['k8s/mesh/linkerd-mesh.ts', "requiredAuthenticationRefs: [{ group: 'policy.linkerd.io'", "requiredAuthentications: [{ group: 'policy.linkerd.io'", /'requiredAuthentications' does not exist/],
  ['k8s/platform/team-namespace.ts', "roleRef: { kind: 'Role', name: `${this.team}", "role: { kind: 'Role', name: `${this.team}", /'role' does not exist in type 'RoleBinding'/],
  ['k8s/platform/fleet.ts', 'orphanedResources: { warn: true },', 'orphanResources: { warn: true },', /'orphanResources' does not exist/],
  ['k8s/karpenter/node-pool.ts', 'expireAfter: p.expireAfter,', 'expiresAfter: p.expireAfter,', /'expiresAfter' does not exist/],
  ['k8s/cluster-resources.ts', 'volumeBindingMode: sc.volumeBindingMode,', 'bindingMode: sc.volumeBindingMode,', /'bindingMode' does not exist in type 'StorageClass'/],
  // reading manifests is typed too
  ['k8s/platform/topology-diagram.ts', 'peer.ipBlock.cidr', 'peer.ipBlock.cdir', /Property 'cdir' does not exist on type 'IPBlock'/],
];

describe('a mistyped field in the manifests lib/ builds is a compile error', () => {
  test.each(MUTATIONS)('%s: %s -> %s', (file, from, to, expected) => {
    const errors = errorsWith(file, from, to);
    // the errors are shown when the expected one is not among them
    expect(errors.some(e => expected.test(e)) ? [] : errors).toEqual([]);
  });

  test('the files as they are type-check (so the errors above are the mutations\')', () => {
    const files = [...new Set(MUTATIONS.map(m => path.join(LIB, m[0])))];
    const program = ts.createProgram(files, options, host());
    const errors = files.flatMap(f => program.getSemanticDiagnostics(program.getSourceFile(f)!))
      .map(d => `${d.file?.fileName}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    expect(errors).toEqual([]);
  });
});

// ---- zero run-time cost, nothing in the published declarations --------------------------------------------

function libFiles(dir = LIB): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? libFiles(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

test('lib/ imports kubernetes-types only with `import type` (erased: nothing is loaded at run time)', () => {
  const bad: string[] = [];
  for (const f of libFiles()) {
    const sf = ts.createSourceFile(f, fs.readFileSync(f, 'utf-8'), ts.ScriptTarget.ES2022, true);
    for (const s of sf.statements) {
      const spec = ts.isImportDeclaration(s) || ts.isExportDeclaration(s) ? s.moduleSpecifier : undefined;
      if (!spec || !ts.isStringLiteral(spec) || !spec.text.startsWith('kubernetes-types')) continue;
      // an import type is erased; a value import or a re-export would reach users
      const erased = ts.isImportDeclaration(s) && s.importClause?.isTypeOnly === true;
      if (!erased) bad.push(`${path.relative(ROOT, f)}: ${s.getText(sf)}`);
    }
  }
  expect(bad).toEqual([]);
});

test('no declaration the package ships names kubernetes-types (a devDependency users do not install)', () => {
  const emitted: string[] = [];
  const program = ts.createProgram([path.join(LIB, 'index.ts')], { ...options, noEmit: false, declaration: true, emitDeclarationOnly: true, outDir: '/nonexistent' }, host());
  const leaks: string[] = [];
  program.emit(undefined, (fileName, text) => {
    emitted.push(fileName);
    if (text.includes('kubernetes-types')) leaks.push(fileName);
  });
  expect(emitted.length).toBeGreaterThan(150);
  expect(leaks).toEqual([]);
});
