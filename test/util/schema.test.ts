import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import {
  BUILTIN_K8S_VERSION, K8S_VERSIONS, SCHEMAS_DIR, SHARED_K8S_VERSIONS, SHARED_SCHEMAS, crdSchemaPath, expectValid, hasSchemaVersion,
  parseYamlFiles, schemaCoverage, strictify, synthYaml, tempDir, validateManifest,
} from './schema';

/** Tests of the ../shared/schemas cross-check: skipped (and reported as skipped) in a clone without it. */
const sharedTest = SHARED_SCHEMAS ? test : test.skip;

/** The type name the schema reports for an integer field (kubernetes-types declares integers as `number`). */
const integer = (version: string) => (version === BUILTIN_K8S_VERSION ? 'number' : 'integer');

function deployment(): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { 'app.kubernetes.io/name': 'web' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { 'app.kubernetes.io/name': 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } },
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': 'web' } },
        spec: {
          containers: [{
            name: 'web',
            image: 'nginx:1.27',
            ports: [{ containerPort: 8080, name: 'http' }],
            resources: { requests: { cpu: '100m', memory: 128974848 }, limits: { memory: '256Mi' } },
            readinessProbe: { httpGet: { path: '/healthz', port: 'http' } },
            livenessProbe: { tcpSocket: { port: 8080 } },
          }],
        },
      },
    },
  };
}

function certificate(): any {
  return {
    apiVersion: 'cert-manager.io/v1',
    kind: 'Certificate',
    metadata: { name: 'web-tls', namespace: 'shop' },
    spec: {
      secretName: 'web-tls',
      dnsNames: ['web.example.com'],
      issuerRef: { name: 'letsencrypt', kind: 'ClusterIssuer' },
    },
  };
}

test('the versions validated are 1.27 and 1.36 with ../shared/schemas, else the built-in release', () => {
  expect(SHARED_K8S_VERSIONS).toEqual(['v1.27.0', 'v1.36.0']);
  expect(BUILTIN_K8S_VERSION).toBe('v1.30.0');
  expect(hasSchemaVersion(BUILTIN_K8S_VERSION)).toBe(true);
  if (SHARED_SCHEMAS) {
    expect(K8S_VERSIONS).toEqual(SHARED_K8S_VERSIONS);
    expect(fs.existsSync(path.join(SCHEMAS_DIR, 'crds'))).toBe(true);
    expect(schemaCoverage()).toContain('custom resources against their CRD schemas');
  } else {
    expect(K8S_VERSIONS).toEqual([BUILTIN_K8S_VERSION]);
    expect(schemaCoverage()).toContain('custom resources are NOT validated');
  }
});

describe.each([...new Set([...K8S_VERSIONS, BUILTIN_K8S_VERSION])])('Kubernetes %s', (version) => {
  test('accepts a valid Deployment (IntOrString and Quantity as strings and numbers)', () => {
    expect(validateManifest(deployment(), version)).toEqual([]);
  });

  test('rejects an unknown field, with its JSON path', () => {
    const d = deployment();
    d.spec.template.spec.containers[0].imagePullPolicyy = 'Always';
    expect(validateManifest(d, version)).toEqual([
      `apps/v1 Deployment web [${version}] /spec/template/spec/containers/0: unknown field "imagePullPolicyy"`,
    ]);
  });

  test('rejects an unknown field in metadata', () => {
    const d = deployment();
    d.metadata.label = { a: 'b' };
    expect(validateManifest(d, version)).toEqual([`apps/v1 Deployment web [${version}] /metadata: unknown field "label"`]);
  });

  test('rejects a wrong type', () => {
    const d = deployment();
    d.spec.replicas = 'two';
    expect(validateManifest(d, version)).toEqual([`apps/v1 Deployment web [${version}] /spec/replicas: must be ${integer(version)}`]);
  });

  test('rejects a missing required field', () => {
    const d = deployment();
    delete d.spec.template.spec.containers[0].name;
    expect(validateManifest(d, version)).toEqual([
      `apps/v1 Deployment web [${version}] /spec/template/spec/containers/0: must have required property 'name'`,
    ]);
  });

  test('rejects a wrong type for an IntOrString', () => {
    const d = deployment();
    d.spec.strategy.rollingUpdate.maxSurge = true;
    expect(validateManifest(d, version)).toEqual([
      `apps/v1 Deployment web [${version}] /spec/strategy/rollingUpdate/maxSurge: must be string,number`,
    ]);
  });

  test('rejects an unknown kind', () => {
    const problems = validateManifest({ apiVersion: 'apps/v1', kind: 'Deploymint', metadata: { name: 'x' } }, version);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('no schema for apiVersion "apps/v1" kind "Deploymint"');
  });

  test('rejects a non-GA apiVersion of a known kind', () => {
    const problems = validateManifest({ apiVersion: 'extensions/v1beta1', kind: 'Deployment', metadata: { name: 'x' } }, version);
    expect(problems[0]).toContain('no schema for apiVersion "extensions/v1beta1"');
  });

  sharedTest('validates a custom resource against its CRD schema (cert-manager Certificate)', () => {
    expect(validateManifest(certificate(), version)).toEqual([]);
    const bad = certificate();
    bad.spec.dnsName = ['typo'];
    bad.spec.duration = 90;
    bad.metadata.labelz = {};
    expect(validateManifest(bad, version)).toEqual([
      `cert-manager.io/v1 Certificate shop/web-tls [${version}] /spec: unknown field "dnsName"`,
      `cert-manager.io/v1 Certificate shop/web-tls [${version}] /spec/duration: must be string`,
      `cert-manager.io/v1 Certificate shop/web-tls [${version}] /metadata: unknown field "labelz"`,
    ]);
  });

  sharedTest('a CRD schema that describes spec only still accepts apiVersion, kind and metadata (Istio PeerAuthentication)', () => {
    const pa: any = {
      apiVersion: 'security.istio.io/v1',
      kind: 'PeerAuthentication',
      metadata: { name: 'default', namespace: 'shop', labels: { a: 'b' } },
      spec: { mtls: { mode: 'STRICT' } },
    };
    expect(validateManifest(pa, version)).toEqual([]);
    pa.spec.mtls.mode = 'STRICTEST';
    pa.spec.portLevelMtls = 'nope';
    pa.extra = true;
    expect(validateManifest(pa, version)).toEqual([
      `security.istio.io/v1 PeerAuthentication shop/default [${version}] /: unknown field "extra"`,
      `security.istio.io/v1 PeerAuthentication shop/default [${version}] /spec/mtls/mode: must be equal to one of the allowed values: ["UNSET","DISABLE","PERMISSIVE","STRICT"]`,
      `security.istio.io/v1 PeerAuthentication shop/default [${version}] /spec/portLevelMtls: must be object`,
    ]);
  });

  sharedTest('an unknown custom resource kind is an error naming the missing CRD schema', () => {
    const problems = validateManifest({ apiVersion: 'cert-manager.io/v1', kind: 'Certificat', metadata: { name: 'x' } }, version);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(crdSchemaPath('cert-manager.io/v1', 'Certificat')!);
  });
});

test('a Service accepts targetPort as a name or a number; a Namespace is valid', () => {
  const svc = (targetPort: any) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 's' },
    spec: { selector: { a: 'b' }, ports: [{ port: 80, targetPort }] },
  });
  expect(() => expectValid([svc('http'), svc(8080), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' } }])).not.toThrow();
});

sharedTest('expectValid lists every problem for both versions', () => {
  const d = deployment();
  d.spec.replicas = 'two';
  const c = certificate();
  c.spec.bogus = 1;
  expect(() => expectValid([d, c])).toThrow([
    '4 schema problem(s) in 2 document(s):',
    '  apps/v1 Deployment web [v1.27.0] /spec/replicas: must be integer',
    '  cert-manager.io/v1 Certificate shop/web-tls [v1.27.0] /spec: unknown field "bogus"',
    '  apps/v1 Deployment web [v1.36.0] /spec/replicas: must be integer',
    '  cert-manager.io/v1 Certificate shop/web-tls [v1.36.0] /spec: unknown field "bogus"',
  ].join('\n'));
});

test('the built-in schema lists every problem, in every document', () => {
  const d = deployment();
  d.spec.replicas = 'two';
  d.spec.template.spec.containers[0].securityContext = { runAsNonroot: true };
  const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80, targetPort: false }] } };
  expect(() => expectValid([d, svc], [BUILTIN_K8S_VERSION])).toThrow([
    '3 schema problem(s) in 2 document(s):',
    '  apps/v1 Deployment web [v1.30.0] /spec/replicas: must be number',
    '  apps/v1 Deployment web [v1.30.0] /spec/template/spec/containers/0/securityContext: unknown field "runAsNonroot"',
    '  v1 Service s [v1.30.0] /spec/ports/0/targetPort: must be string,number',
  ].join('\n'));
});

test('expectValid refuses an empty list (a validation of nothing cannot pass)', () => {
  expect(() => expectValid([])).toThrow('no documents');
});

sharedTest('a kind only in the newer release is rejected for the older one', () => {
  // flowcontrol.apiserver.k8s.io/v1 is GA in 1.29: absent from 1.27
  const doc = { apiVersion: 'flowcontrol.apiserver.k8s.io/v1', kind: 'FlowSchema', metadata: { name: 'f' }, spec: { priorityLevelConfiguration: { name: 'p' } } };
  expect(validateManifest(doc, 'v1.36.0')).toEqual([]);
  expect(validateManifest(doc, 'v1.27.0')[0]).toContain('no schema');
});

test('strictify leaves preserve-unknown-fields objects and combinator branches open', () => {
  const s: any = {
    type: 'object',
    properties: {
      open: { 'type': 'object', 'x-kubernetes-preserve-unknown-fields': true, 'properties': { a: { type: 'string' } } },
      closed: { type: 'object', properties: { b: { type: 'string' } } },
      either: { anyOf: [{ properties: { c: {} } }] },
      port: { 'x-kubernetes-int-or-string': true, 'anyOf': [{ type: 'integer' }, { type: 'string' }] },
    },
  };
  strictify(s);
  expect(s.additionalProperties).toBe(false);
  expect(s.properties.open.additionalProperties).toBeUndefined();
  expect(s.properties.closed.additionalProperties).toBe(false);
  expect(s.properties.either.anyOf[0].additionalProperties).toBeUndefined();
  expect(s.properties.port).toEqual({ 'x-kubernetes-int-or-string': true, 'type': ['string', 'number'] });
});

test('without ../shared/schemas: built-in kinds are validated against the built-in release, custom resources are not, a shared version is a clear error', () => {
  const dir = tempDir();
  try {
    const script = [
      'const s = require("./schema.ts");',
      'const out = { versions: s.K8S_VERSIONS, coverage: s.schemaCoverage() };',
      `const dep = ${JSON.stringify(deployment())};`,
      'out.valid = s.validateManifest(dep, "v1.30.0");',
      'dep.spec.template.spec.containers[0].imagePullPolicyy = "Always";',
      'out.invalid = s.validateManifest(dep, "v1.30.0");',
      `out.customResource = s.validateManifest(${JSON.stringify(certificate())}, "v1.30.0");`,
      'out.unknownBuiltIn = s.validateManifest({ apiVersion: "apps/v1", kind: "Deploymint", metadata: { name: "x" } }, "v1.30.0");',
      'try { s.validateManifest({ apiVersion: "v1", kind: "Namespace", metadata: { name: "n" } }, "v1.27.0"); out.shared = "NO ERROR"; }',
      'catch (e) { out.shared = e.message; }',
      'console.log(JSON.stringify(out));',
    ].join('\n');
    // the module copied next to a folder without shared/: __dirname-relative resolution finds nothing
    const copy = path.join(dir, 'a', 'b', 'c');
    fs.mkdirSync(copy, { recursive: true });
    for (const f of ['schema.ts', 'kubernetes-types-schema.ts']) fs.copyFileSync(path.join(__dirname, f), path.join(copy, f));
    fs.writeFileSync(path.join(copy, 'run.js'), script);
    const out = JSON.parse(execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'run.js'], {
      cwd: copy,
      env: {
        ...process.env,
        NODE_PATH: path.resolve(__dirname, '../../node_modules'),
        TS_NODE_COMPILER_OPTIONS: JSON.stringify({ module: 'commonjs', moduleResolution: 'node', esModuleInterop: true }),
      },
      encoding: 'utf-8',
    }));
    const missing = path.join(dir, 'shared', 'schemas');
    expect(out.versions).toEqual(['v1.30.0']);
    expect(out.coverage).toBe(`schemas: ${missing} not found: built-in kinds are validated strictly against Kubernetes v1.30.0 (kubernetes-types) only; ` +
      'custom resources are NOT validated, and the v1.27.0/v1.36.0 and CRD/provider-schema tests are skipped (clone with shared/ beside the repository for the full cross-check)');
    expect(out.valid).toEqual([]);
    expect(out.invalid).toEqual(['apps/v1 Deployment web [v1.30.0] /spec/template/spec/containers/0: unknown field "imagePullPolicyy"']);
    expect(out.customResource).toEqual([]);
    expect(out.unknownBuiltIn).toEqual(['apps/v1 Deploymint x [v1.30.0]: no schema for apiVersion "apps/v1" kind "Deploymint" (not in Kubernetes v1.30.0)']);
    expect(out.shared).toContain(`Schema folder missing: ${path.join(missing, 'kubernetes')} (Kubernetes v1.27.0 OpenAPI definitions)`);
    expect(out.shared).toContain('only the built-in Kubernetes v1.30.0 schema is available');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('synthYaml and parseYamlFiles read what cdk8s writes', () => {
  const outdir = tempDir();
  try {
    const app = new App({ outdir });
    const chart = new Chart(app, 'web');
    new ApiObject(chart, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    new ApiObject(chart, 'dep', deployment());
    const docs = synthYaml(app);
    expect(docs.map(d => d.kind)).toEqual(['Namespace', 'Deployment']);
    expectValid(docs);
    app.synth();
    const files = parseYamlFiles(outdir);
    expect(files.map(f => f.file)).toEqual(['web.k8s.yaml']);
    expect(files[0].docs).toEqual(docs);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
});
