import { KubernetesPack, PolicyEngine, Severity } from '../../lib/policy';
import { k8sDocument } from '../../lib/policy/runner';

// What a finding says must be true of the objects checked: selectors read whole (matchExpressions too), RBAC rules
// read with their API groups, Service port names as the API validates them, and messages that name what is there
// (the port, the probes' timing, who asked for the token, how sure a tag floats). The fixtures are written here.

const pack = new KubernetesPack();
const rule = (id: string) => pack.rules.find(r => r.id === id)!;

/** The findings of rule `id` on `ms`, as `<kind>/<name> <jsonPath>: <message>`. */
function hits(id: string, ms: any[]): string[] {
  const report = new PolicyEngine({ packs: [{ name: 'one', rules: [rule(id)] }] }).check(ms.map((m, i) => k8sDocument(m, `c/${m.kind}-${i}`)));
  return report.findings.filter(f => f.ruleId === id).map(f => `${f.kind}/${f.name} ${f.jsonPath}: ${f.message}`);
}

/** A Deployment of `replicas` pods labelled `labels`, with `spec` merged into its pod spec and `container` into its container. */
function deployment(name: string, replicas: number, labels: { [k: string]: string }, spec: any = {}, container: any = {}): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'shop' },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'registry.example/c:1.0.0', ...container }], ...spec } },
    },
  };
}

function pdb(name: string, selector: any, apiVersion = 'policy/v1'): any {
  return { apiVersion, kind: 'PodDisruptionBudget', metadata: { name, namespace: 'shop' }, spec: { maxUnavailable: 1, selector } };
}

function netpol(name: string, podSelector: any): any {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: 'shop' },
    spec: {
      podSelector,
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { role: 'gateway' } } }] }],
      egress: [{ to: [{ podSelector: { matchLabels: { role: 'db' } } }] }],
    },
  };
}

function role(name: string, rules: any[]): any {
  return { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name, namespace: 'shop' }, rules };
}

function bareService(ports: any[]): any {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: 'shop' }, spec: { selector: { app: 'api' }, ports } };
}

const API = { app: 'api', tier: 'web' };
const NO_PDB = 'Deployment/api spec.template.metadata.labels: No PodDisruptionBudget selects these pods';

describe('SS-K8S-041 counts a budget whose selector selects the pods by matchExpressions, as SS-K8S-085 does', () => {
  test('a policy/v1 budget selecting by matchExpressions only covers the pods (and SS-K8S-085 agrees)', () => {
    const budget = pdb('api', { matchExpressions: [{ key: 'app', operator: 'In', values: ['api'] }] });
    expect(hits('SS-K8S-041', [deployment('api', 3, API), budget])).toEqual([]);
    expect(hits('SS-K8S-085', [deployment('api', 3, API), budget])).toEqual([]);
    expect(hits('SS-K8S-041', [deployment('api', 3, API), pdb('api', { matchExpressions: [{ key: 'tier', operator: 'Exists' }] })])).toEqual([]);
  });

  test('matchLabels and matchExpressions together count only when both select the pods', () => {
    const both = (values: string[]) => pdb('api', { matchLabels: { app: 'api' }, matchExpressions: [{ key: 'tier', operator: 'In', values }] });
    expect(hits('SS-K8S-041', [deployment('api', 3, API), both(['web'])])).toEqual([]);
    expect(hits('SS-K8S-041', [deployment('api', 3, API), both(['batch'])])).toEqual([NO_PDB]);
  });

  test('the rest is unchanged: expressions that do not select the pods, an empty selector, a policy/v1beta1 budget, a single replica', () => {
    expect(hits('SS-K8S-041', [deployment('api', 3, API), pdb('api', { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['api'] }] })])).toEqual([NO_PDB]);
    expect(hits('SS-K8S-041', [deployment('api', 3, API), pdb('api', {})])).toEqual([NO_PDB]);
    expect(hits('SS-K8S-041', [deployment('api', 3, API), pdb('api', { matchExpressions: [{ key: 'app', operator: 'In', values: ['api'] }] }, 'policy/v1beta1')]))
      .toEqual([NO_PDB]);
    expect(hits('SS-K8S-041', [deployment('api', 1, API)])).toEqual([]);
  });
});

describe('SS-K8S-084 reads a role rule\'s apiGroups', () => {
  const WARN = 'Role can change admission webhooks or policies, or approve certificate requests';

  test('resources ["*"] of a CRD\'s API group reach no webhook configuration and no certificate approval', () => {
    expect(hits('SS-K8S-084', [role('acme', [{ apiGroups: ['acme.dev'], resources: ['*'], verbs: ['update'] }])])).toEqual([]);
    expect(hits('SS-K8S-084', [role('acme', [{ apiGroups: ['acme.dev'], resources: ['signers'], verbs: ['approve'] }])])).toEqual([]);
    expect(hits('SS-K8S-084', [role('apps', [{ apiGroups: ['apps'], resources: ['validatingwebhookconfigurations'], verbs: ['patch'] }])])).toEqual([]);
  });

  test('the resources\' own groups, or "*", still count', () => {
    expect(hits('SS-K8S-084', [role('star', [{ apiGroups: ['*'], resources: ['*'], verbs: ['update'] }])])).toEqual([`Role/star rules[0]: ${WARN}`]);
    expect(hits('SS-K8S-084', [role('hooks', [{ apiGroups: ['admissionregistration.k8s.io'], resources: ['mutatingwebhookconfigurations'], verbs: ['create'] }])]))
      .toEqual([`Role/hooks rules[0]: ${WARN}`]);
    expect(hits('SS-K8S-084', [role('approve', [{ apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests/approval'], verbs: ['update'] }])]))
      .toEqual([`Role/approve rules[0]: ${WARN}`]);
    expect(hits('SS-K8S-084', [role('signers', [{ apiGroups: ['certificates.k8s.io'], resources: ['signers'], verbs: ['approve'] }])]))
      .toEqual([`Role/signers rules[0]: ${WARN}`]);
  });

  test('the admission policies and their bindings count as the webhook configurations do; reading them does not', () => {
    for (const resource of ['validatingadmissionpolicies', 'validatingadmissionpolicybindings', 'mutatingadmissionpolicies', 'mutatingadmissionpolicybindings']) {
      expect(hits('SS-K8S-084', [role('policies', [{ apiGroups: ['admissionregistration.k8s.io'], resources: [resource], verbs: ['delete'] }])]))
        .toEqual([`Role/policies rules[0]: ${WARN}`]);
    }
    expect(hits('SS-K8S-084', [role('reader', [{ apiGroups: ['admissionregistration.k8s.io'], resources: ['validatingadmissionpolicies'], verbs: ['get', 'list', 'watch'] }])])).toEqual([]);
  });
});

describe('SS-K8S-053: a Service port name is a DNS label', () => {
  const bad = (name: string) => `Service/api spec.ports[0].name: Service port name ${JSON.stringify(name)} is not a valid DNS label `
    + '(at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit): the API refuses it';

  test('uppercase and "_", a leading "-", more than 63 characters are reported at the name', () => {
    expect(hits('SS-K8S-053', [bareService([{ port: 80, name: 'HTTP_port' }])])).toEqual([bad('HTTP_port')]);
    expect(hits('SS-K8S-053', [bareService([{ port: 80, name: '-http' }])])).toEqual([bad('-http')]);
    expect(hits('SS-K8S-053', [bareService([{ port: 80, name: 'a'.repeat(64) }])])).toEqual([bad('a'.repeat(64))]);
  });

  test('a DNS label passes, also one longer than a container port name may be (15), and so does an unset or empty name', () => {
    expect(hits('SS-K8S-053', [bareService([{ port: 80, name: 'http' }, { port: 9090, name: 'prometheus-metrics-2' }])])).toEqual([]);
    expect(hits('SS-K8S-053', [bareService([{ port: 80 }])])).toEqual([]);
    expect(hits('SS-K8S-053', [bareService([{ port: 80, name: '' }])])).toEqual([]);
  });
});

describe('SS-K8S-048: hostNetwork pods, and policies that select by matchExpressions', () => {
  test('a hostNetwork pod is not reported: NetworkPolicy does not apply to it (SS-K8S-010 reports hostNetwork)', () => {
    expect(hits('SS-K8S-048', [deployment('api', 2, API, { hostNetwork: true })])).toEqual([]);
    expect(hits('SS-K8S-010', [deployment('api', 2, API, { hostNetwork: true })])).toEqual(['Deployment/api spec.template.spec.hostNetwork: Pod sets hostNetwork: true']);
    expect(hits('SS-K8S-048', [deployment('api', 2, API)])).toEqual(['Deployment/api spec.template.metadata.labels: No NetworkPolicy selects these pods']);
  });

  test('a policy with ingress and egress rules that selects the pods by matchExpressions covers them', () => {
    expect(hits('SS-K8S-048', [deployment('api', 2, API), netpol('api', { matchExpressions: [{ key: 'tier', operator: 'In', values: ['web'] }] })])).toEqual([]);
    expect(hits('SS-K8S-048', [deployment('api', 2, API), netpol('api', { matchLabels: { app: 'api' } })])).toEqual([]);
  });

  test('only a namespace-wide policy (podSelector {}) with rules in both directions: the finding says so', () => {
    expect(hits('SS-K8S-048', [deployment('api', 2, API), netpol('all', {})])).toEqual([
      'Deployment/api spec.template.metadata.labels: No NetworkPolicy with ingress and egress rules selects these pods by their labels (matchLabels or matchExpressions): '
        + 'only a namespace-wide one (podSelector {}) has rules in both directions',
    ]);
  });

  test('a policy selecting the pods without egress rules leaves the rule\'s own message, which is true of it', () => {
    const pol = netpol('api', { matchExpressions: [{ key: 'app', operator: 'Exists' }] });
    pol.spec.egress = [];
    expect(hits('SS-K8S-048', [deployment('api', 2, API), pol])).toEqual([
      'Deployment/api spec.template.metadata.labels: No NetworkPolicy with ingress and egress rules selects these pods by their labels',
    ]);
  });
});

describe('SS-K8S-035 compares the check, and says whether the timing differs', () => {
  const probes = (readiness: any, liveness: any) => [deployment('api', 2, API, {}, { readinessProbe: readiness, livenessProbe: liveness })];
  const AT = 'Deployment/api spec.template.spec.containers[0].livenessProbe';

  test('the same check with another failureThreshold is not called identical', () => {
    expect(hits('SS-K8S-035', probes({ httpGet: { path: '/healthz', port: 8080 } }, { httpGet: { path: '/healthz', port: 8080 }, failureThreshold: 5 }))).toEqual([
      `${AT}: Readiness and liveness probes use the same check; only their timing differs (failureThreshold: readiness 3, liveness 5): `
        + 'when the check fails (a dependency down), the liveness probe restarts the pod as well',
    ]);
  });

  test('probes that differ only by a field set to its default are identical', () => {
    expect(hits('SS-K8S-035', probes({ tcpSocket: { port: 8080 }, periodSeconds: 10, failureThreshold: 3 }, { tcpSocket: { port: 8080 }, timeoutSeconds: 1 }))).toEqual([
      `${AT}: Readiness and liveness probes are identical (the same check with the same timing)`,
    ]);
  });

  test('different endpoints pass whatever the timing', () => {
    expect(hits('SS-K8S-035', probes({ httpGet: { path: '/readyz', port: 8080 } }, { httpGet: { path: '/livez', port: 8080 } }))).toEqual([]);
  });
});

describe('SS-K8S-021 names the port found, not an example one', () => {
  test('a container on 443 is told to keep 443 on the Service', () => {
    expect(hits('SS-K8S-021', [deployment('api', 2, API, {}, { ports: [{ containerPort: 443 }] })])).toEqual([
      'Deployment/api spec.template.spec.containers[0].ports[0].containerPort: Container listens on privileged port 443; listen on a port of 1024 or more '
        + 'and keep 443 as the Service port (port: 443, targetPort: the new port)',
    ]);
    expect(rule('SS-K8S-021').fix).not.toMatch(/port 80|8080/);
  });
});

describe('SS-K8S-057 says who asked for the token', () => {
  const sa = (automount?: boolean) => ({
    apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'api', namespace: 'shop' }, ...(automount === undefined ? {} : { automountServiceAccountToken: automount }),
  });
  const AT = 'Deployment/api spec.template.spec.automountServiceAccountToken';

  test('a ServiceAccount that sets automountServiceAccountToken: true asks for it: the message does not say "without asking"', () => {
    const found = hits('SS-K8S-057', [sa(true), deployment('api', 2, API, { serviceAccountName: 'api' })]);
    expect(found).toEqual([
      `${AT}: Pod mounts a service account token: its ServiceAccount api asks for it (automountServiceAccountToken: true), so anyone who gets into the pod `
        + 'can call the Kubernetes API as that ServiceAccount; set automountServiceAccountToken: false on the pod, or suppress with a reason when it calls the API',
    ]);
  });

  test('unset on both, or a ServiceAccount outside the output: nothing asked for it (the API default mounts it)', () => {
    expect(hits('SS-K8S-057', [sa(), deployment('api', 2, API, { serviceAccountName: 'api' })])).toEqual([`${AT}: Pod mounts a service account token without asking for it`]);
    expect(hits('SS-K8S-057', [deployment('api', 2, API, { serviceAccountName: 'api' })])).toEqual([`${AT}: Pod mounts a service account token without asking for it`]);
    expect(hits('SS-K8S-057', [sa(false), deployment('api', 2, API, { serviceAccountName: 'api' })])).toEqual([]);
  });
});

describe('SS-K8S-030 calls floating only what floats, and a MAJOR.MINOR tag one that may', () => {
  const image = (ref: string) => hits('SS-K8S-030', [deployment('api', 2, API, {}, { image: ref })]).map(h => h.replace(/^.*?: /, ''));

  test('a MAJOR.MINOR tag may float: the finding says so, and that it is the exact release for some images', () => {
    for (const ref of ['postgres:16.4', 'registry.k8s.io/pause:3.10']) {
      const tag = ref.slice(ref.lastIndexOf(':') + 1);
      expect(image(ref)).toEqual([`Image ${ref} uses the tag ${tag}, which may float: many images move a MAJOR.MINOR tag to each patch release `
        + '(for others it is the exact release); a digest pins it either way']);
    }
  });

  test('a major version and a channel name float', () => {
    expect(image('postgres:16')).toEqual(['Image postgres:16 uses the floating tag 16: a major-version tag moves to each new release of that major version']);
    expect(image('node:22-alpine')).toEqual(['Image node:22-alpine uses the floating tag 22-alpine: a major-version tag moves to each new release of that major version']);
    expect(image('r.example/a:lts')).toEqual(['Image r.example/a:lts uses the floating tag lts: a channel or variant name moves to each new release it stands for']);
  });

  test('another tag is not called floating, only not pinned', () => {
    expect(image('r.example/a:build-4821')).toEqual(['Image r.example/a:build-4821 uses the tag build-4821, which is neither an exact version (1.2.3) nor a commit id: '
      + 'it may be moved; a digest pins it']);
  });

  test('exact releases and digests pass, and the rule stays a warning', () => {
    expect(image('postgres:16.4.1')).toEqual([]);
    expect(image(`postgres:16.4@sha256:${'a'.repeat(64)}`)).toEqual([]);
    expect(rule('SS-K8S-030').severity).toBe(Severity.WARNING);
  });
});
