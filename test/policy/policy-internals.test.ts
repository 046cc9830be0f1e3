// Properties of the policy check's internal shortcuts, on generated inputs: a pod joins a pod class exactly when
// `sameData` says its pod-local fields equal the class's, and the once-per-output template relation gives each pod
// the same policies, in the same order, as the per-query selector index.
import { DocumentIndex } from '../../lib/policy/document-index';
import { podClassOf, PodClasses, podLabels, podOf, podOfDoc, sameData } from '../../lib/policy/k8s/pod';
import { K8sIndex } from '../../lib/policy/k8s/selectors';
import { k8sDocument } from '../../lib/policy/runner';

/** A small seeded generator (Park–Miller), so a failure names a reproducible seed. */
function rng(seed: number): () => number {
  let a = (seed % 2147483646) + 1;
  return () => {
    a = (a * 48271) % 2147483647;
    return (a - 1) / 2147483646;
  };
}

function baseSpec(): any {
  return {
    containers: [{
      name: 'app',
      image: 'registry.example.com/shop/api:1.4.2',
      ports: [{ containerPort: 8080, name: 'http', hostPort: 0 }],
      args: [undefined],
      resources: { limits: { cpu: '1', memory: '256Mi' }, requests: { cpu: '250m', memory: '256Mi' } },
      securityContext: { runAsNonRoot: true, runAsUser: 10001, capabilities: { drop: ['ALL'] } },
    }],
    securityContext: { fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
    volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '128Mi' } }],
    serviceAccountName: 'api',
  };
}

/** Changes that `sameData` tells apart (each leaves the pod-local fields different from `baseSpec`'s). */
const CHANGES: Array<[string, (s: any) => void]> = [
  ['another image', s => { s.containers[0].image = 'registry.example.com/shop/api:1.4.3'; }],
  ['a number for a string', s => { s.containers[0].resources.limits.cpu = 1; }],
  ['-0 for 0', s => { s.containers[0].ports[0].hostPort = -0; }],
  ['an extra key', s => { s.securityContext.runAsGroup = 10001; }],
  ['a missing key', s => { delete s.securityContext.fsGroup; }],
  ['keys in another order', s => { const { fsGroup, seccompProfile } = s.securityContext; s.securityContext = { seccompProfile, fsGroup }; }],
  ['an array for an object', s => { s.containers[0].securityContext.capabilities = [['ALL']]; }],
  ['a longer array', s => { s.volumes.push({ name: 'cache', emptyDir: {} }); }],
  ['a hole for undefined', s => { s.containers[0].args = new Array(1); }],
  ['a class instance', s => { s.containers[0].env = [new Date(0)]; }],
  ['host networking', s => { s.hostNetwork = true; }],
];

function deployment(spec: any, annotations?: any): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', namespace: 'shop' },
    spec: { template: { metadata: annotations ? { annotations } : {}, spec } },
  };
}

describe('pod classes', () => {
  test('a pod joins the class of an earlier pod exactly when its pod-local fields hold the same data', () => {
    const random = rng(20261202);
    for (let round = 0; round < 200; round++) {
      const classes: PodClasses = new Map();
      const first = podOf(deployment(baseSpec()))!;
      const firstClass = podClassOf(first, classes);
      const spec = baseSpec();
      // a change, then (sometimes) its undoing: equal data must share the class, different data must not
      const [name, change] = CHANGES[Math.floor(random() * CHANGES.length)];
      const changed = random() < 0.7;
      if (changed) change(spec);
      // fields outside the pod-local view never matter
      spec.nodeSelector = { zone: `z${round}` };
      const second = podOf(deployment(spec))!;
      const equal = sameData(first.spec.containers, spec.containers) && sameData(first.spec.securityContext, spec.securityContext)
        && sameData(first.spec.volumes, spec.volumes) && sameData(first.spec.hostNetwork, spec.hostNetwork);
      expect({ name, changed, equal }).toEqual({ name, changed, equal: !changed });
      expect({ name, shared: podClassOf(second, classes) === firstClass }).toEqual({ name, shared: !changed });
    }
  });

  test('template annotations are part of the class', () => {
    const classes: PodClasses = new Map();
    const a = podClassOf(podOf(deployment(baseSpec(), { 'container.apparmor.security.beta.kubernetes.io/app': 'runtime/default' }))!, classes);
    const b = podClassOf(podOf(deployment(baseSpec(), { 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' }))!, classes);
    const c = podClassOf(podOf(deployment(baseSpec(), { 'container.apparmor.security.beta.kubernetes.io/app': 'runtime/default' }))!, classes);
    expect(b).not.toBe(a);
    expect(c).toBe(a);
  });

  test('a pod nested deeper than the comparison goes gets a class of its own (no error, no sharing)', () => {
    const deep = () => {
      let v: any = { leaf: true };
      for (let i = 0; i < 200; i++) v = { v };
      const spec = baseSpec();
      spec.containers[0].env = [{ name: 'X', value: 'y', deep: v }];
      return spec;
    };
    const classes: PodClasses = new Map();
    const a = podClassOf(podOf(deployment(deep()))!, classes);
    const b = podClassOf(podOf(deployment(deep()))!, classes);
    expect(b).not.toBe(a);
  });
});

describe('template relation', () => {
  test('selectingPod gives the policies selecting(labels) gives, in the same order', () => {
    const random = rng(17);
    const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)];
    for (let round = 0; round < 40; round++) {
      const manifests: any[] = [];
      const labelSets: Array<Record<string, string>> = [];
      for (let i = 0; i < 12; i++) {
        const labels: Record<string, string> = {};
        for (const k of ['app', 'tier', 'team', 'track']) if (random() < 0.7) labels[k] = pick(['a', 'b', 'c']);
        labelSets.push(labels);
        manifests.push({
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: `d${i}`, namespace: pick(['one', 'two']) },
          spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'i:1' }] } } },
        });
      }
      for (let i = 0; i < 10; i++) {
        const matchLabels: Record<string, string> = {};
        const from = pick(labelSets);
        for (const k of Object.keys(from)) if (random() < 0.5) matchLabels[k] = from[k];
        const selector: any = { matchLabels };
        if (random() < 0.2) selector.matchExpressions = [{ key: pick(['app', 'tier']), operator: pick(['Exists', 'DoesNotExist', 'In']), values: ['a', 'b'] }];
        const kind = pick(['NetworkPolicy', 'PodDisruptionBudget']);
        manifests.push({
          apiVersion: kind === 'NetworkPolicy' ? 'networking.k8s.io/v1' : 'policy/v1',
          kind,
          metadata: { name: `p${i}`, namespace: pick(['one', 'two']) },
          spec: kind === 'NetworkPolicy' ? { podSelector: selector } : { selector },
        });
      }
      const docs = manifests.map((m, i) => k8sDocument(m, `app/${i}`));
      const index = new DocumentIndex(docs);
      const k8s = K8sIndex.of(index);
      for (const doc of docs.filter(d => d.kind === 'Deployment')) {
        const pod = podOfDoc(doc)!;
        for (const kind of ['NetworkPolicy', 'PodDisruptionBudget'] as const) {
          const viaRelation = k8s.selectingPod(kind, doc.namespace!, pod).map(d => d.name);
          const viaIndex = k8s.selecting(kind, doc.namespace!, { ...podLabels(pod) }).map(d => d.name);
          expect({ round, doc: doc.name, kind, names: viaRelation }).toEqual({ round, doc: doc.name, kind, names: viaIndex });
        }
      }
    }
  });
});
