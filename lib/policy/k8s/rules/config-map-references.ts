import { DocumentIndex } from '../../document-index';
import { PolicyDocument, Violation } from '../../rule';
import { k8sRule, NONE, podLocalFact, WARNING } from '../define';
import { arr, containersOf, isObj, o, podOf, PodRef, POD_KINDS } from '../pod';

/**
 * ConfigMaps the platform creates in every namespace, which a pod may name without the output holding them:
 * `kube-root-ca.crt` (Kubernetes' root CA publisher, every namespace since 1.20), `openshift-service-ca.crt`
 * (OpenShift 4, every namespace, beside kube-root-ca.crt) and `istio-ca-root-cert` (istiod's namespace controller,
 * every namespace of a cluster running Istio; only pods in the mesh read it).
 */
export const PLATFORM_CONFIG_MAPS: readonly string[] = ['kube-root-ca.crt', 'openshift-service-ca.crt', 'istio-ca-root-cert'];

/** How the pod reads the ConfigMap: what the kubelet does while it is missing differs. */
const ENV = 0;
const VOLUME = 1;

/** One reference of a pod to a ConfigMap or a Secret. */
interface ConfigMapRef {
  /**
   * `ConfigMap`, or `Secret` (a Secret missing from the output is reported only when the output holds one of that
   * name in another namespace).
   */
  readonly kind: 'ConfigMap' | 'Secret';
  readonly name: string;
  /** JSON path of the reference's `name`. */
  readonly at: string;
  readonly how: number;
  /** The keys it reads (configMapKeyRef.key, a volume's items[].key), each with the JSON path of its `key`. */
  readonly keys: ReadonlyArray<{ readonly key: string; readonly at: string }>;
}

const NO_REFS: readonly ConfigMapRef[] = Object.freeze([]);

function optional(x: any): boolean {
  return o(x).optional === true;
}

function itemKeys(source: any, at: string): Array<{ key: string; at: string }> {
  const out: Array<{ key: string; at: string }> = [];
  arr(o(source).items).forEach((item, i) => {
    const key = o(item).key;
    if (typeof key === 'string') out.push({ key, at: `${at}.items[${i}].key` });
  });
  return out;
}

/**
 * The ConfigMaps a pod needs to start (references marked `optional: true` are left out): from its containers'
 * `envFrom[].configMapRef` and `env[].valueFrom.configMapKeyRef`, and its `configMap` and `projected` volumes.
 * Computed once per distinct pod-local view: every field it reads is pod-local.
 */
const configMapRefs = podLocalFact((pod: PodRef | undefined): readonly ConfigMapRef[] => {
  if (!pod) return NO_REFS;
  let out: ConfigMapRef[] | undefined;
  const add = (r: ConfigMapRef) => (out ??= []).push(r);
  for (const r of containersOf(pod, true)) {
    arr(r.c.envFrom).forEach((e, i) => {
      const ref = o(e).configMapRef;
      if (isObj(ref) && typeof ref.name === 'string' && !optional(ref)) add({ kind: 'ConfigMap', name: ref.name, at: `${r.path}.envFrom[${i}].configMapRef.name`, how: ENV, keys: [] });
      const sref = o(e).secretRef;
      if (isObj(sref) && typeof sref.name === 'string' && !optional(sref)) add({ kind: 'Secret', name: sref.name, at: `${r.path}.envFrom[${i}].secretRef.name`, how: ENV, keys: [] });
    });
    arr(r.c.env).forEach((e, i) => {
      const ref = o(o(e).valueFrom).configMapKeyRef;
      if (!isObj(ref) || typeof ref.name !== 'string' || optional(ref)) return;
      const at = `${r.path}.env[${i}].valueFrom.configMapKeyRef`;
      add({ kind: 'ConfigMap', name: ref.name, at: `${at}.name`, how: ENV, keys: typeof ref.key === 'string' ? [{ key: ref.key, at: `${at}.key` }] : [] });
    });
    arr(r.c.env).forEach((e, i) => {
      const ref = o(o(e).valueFrom).secretKeyRef;
      if (!isObj(ref) || typeof ref.name !== 'string' || typeof ref.key !== 'string' || optional(ref)) return;
      const at = `${r.path}.env[${i}].valueFrom.secretKeyRef`;
      add({ kind: 'Secret', name: ref.name, at: `${at}.name`, how: ENV, keys: [{ key: ref.key, at: `${at}.key` }] });
    });
  }
  arr(pod.spec.volumes).forEach((v, i) => {
    const at = `${pod.path}.volumes[${i}]`;
    const cm = o(v).configMap;
    if (isObj(cm) && typeof cm.name === 'string' && !optional(cm)) {
      add({ kind: 'ConfigMap', name: cm.name, at: `${at}.configMap.name`, how: VOLUME, keys: itemKeys(cm, `${at}.configMap`) });
    }
    const secret = o(v).secret;
    if (isObj(secret) && typeof secret.secretName === 'string' && !optional(secret)) {
      add({ kind: 'Secret', name: secret.secretName, at: `${at}.secret.secretName`, how: VOLUME, keys: itemKeys(secret, `${at}.secret`) });
    }
    arr(o(o(v).projected).sources).forEach((s, j) => {
      const src = o(s).configMap;
      const sat = `${at}.projected.sources[${j}].configMap`;
      if (isObj(src) && typeof src.name === 'string' && !optional(src)) add({ kind: 'ConfigMap', name: src.name, at: `${sat}.name`, how: VOLUME, keys: itemKeys(src, sat) });
      const sec = o(s).secret;
      const secAt = `${at}.projected.sources[${j}].secret`;
      if (isObj(sec) && typeof sec.name === 'string' && !optional(sec)) add({ kind: 'Secret', name: sec.name, at: `${secAt}.name`, how: VOLUME, keys: itemKeys(sec, secAt) });
    });
  });
  return out ? Object.freeze(out) : NO_REFS;
});

/** What the pod does while the reference does not resolve. */
function waits(how: number): string {
  return how === ENV ? 'the container stays in CreateContainerConfigError' : 'the pod stays in ContainerCreating (the volume cannot be mounted)';
}

/**
 * The keys a ConfigMap in the output holds, or undefined when a controller fills it (its keys are not known here); with
 * `envOnly`, those of `data` only: the kubelet reads environment variables from `data`, never from `binaryData`.
 */
function keysOf(cm: PolicyDocument, envOnly: boolean): Set<string> | undefined {
  const m = cm.manifest;
  const ann = o(o(m.metadata).annotations);
  const labels = o(o(m.metadata).labels);
  // OpenShift's CA bundle injection writes service-ca.crt / ca-bundle.crt into ConfigMaps marked for it
  if (ann['service.beta.openshift.io/inject-cabundle'] !== undefined || labels['config.openshift.io/inject-trusted-cabundle'] !== undefined) return undefined;
  const data = Object.keys(o(m.data));
  const binary = Object.keys(o(m.binaryData));
  // an empty ConfigMap is a placeholder another controller fills (trust-manager, CA injectors): its keys are unknown
  if (data.length === 0 && binary.length === 0) return undefined;
  return new Set(envOnly ? data : [...data, ...binary]);
}

/**
 * The keys a Secret in the output holds, or undefined when they are not known here: a Secret with no data (a
 * placeholder something else fills), or one the token controller fills (`kubernetes.io/service-account-token`).
 */
function secretKeysOf(secret: PolicyDocument): Set<string> | undefined {
  const m = secret.manifest;
  if (m.type === 'kubernetes.io/service-account-token') return undefined;
  const keys = [...Object.keys(o(m.data)), ...Object.keys(o(m.stringData))];
  return keys.length === 0 ? undefined : new Set(keys);
}

/**
 * True when an External Secrets `ExternalSecret` of the output writes into Secret `name` (its target, by default the
 * ExternalSecret's own name): it adds keys (creationPolicy Merge) or owns the Secret, so its keys are not known here.
 */
function filledByExternalSecret(index: DocumentIndex, name: string, namespace: string | undefined): boolean {
  if (index.ofKind('ExternalSecret').length === 0) return false;
  return index.inNamespace('ExternalSecret', namespace).some(es => {
    const target = o(o(es.manifest.spec).target).name;
    return target === undefined ? es.name === name : target === name;
  });
}

/** SS-K8S-086 — docs/rules.md#ss-k8s-086. */
export const configMapReferences = k8sRule({
  id: 'SS-K8S-086',
  title: 'ConfigMaps and keys a pod needs are in the output',
  catalog: ['K8S-IDN-02'],
  severity: WARNING,
  message: 'Pod needs a ConfigMap, or a key of a ConfigMap or Secret, that is not in the output (or a Secret the output holds in another namespace)',
  fix: 'fix the ConfigMap or Secret name or key the pod names; or add the ConfigMap (with the key) to the output in the pod\'s namespace, or the key to the Secret; '
    + 'or mark the reference optional: true if the pod can start without it',
  rationale: 'A container whose environment (envFrom configMapRef, env valueFrom configMapKeyRef) names a ConfigMap or key that does not exist never '
    + 'starts: it stays in CreateContainerConfigError; a pod whose configMap or projected volume names one stays in ContainerCreating. '
    + 'Nothing fails: the workload just never becomes ready, and a Job never runs. The rule looks for the ConfigMap in the same namespace of '
    + 'the output, and for the key when the ConfigMap there lists its keys (an empty one, or one marked for OpenShift\'s CA bundle injection, '
    + `is filled by a controller). References marked optional: true are skipped, and so are the ConfigMaps the platform creates in every namespace (${PLATFORM_CONFIG_MAPS.join(', ')}). `
    + 'A warning, not an error: a ConfigMap may come from elsewhere (another chart, a Helm release, an operator), and a team that knows it '
    + 'does suppresses the finding with that reason. A Secret missing from the output is not reported: Secrets are often created out of band on purpose '
    + '(External Secrets, Sealed Secrets, the Secrets Store CSI driver, cert-manager), so that is the normal case, not a mistake, unless the output holds a '
    + 'Secret of that name in another namespace (a pod reads only those of its own, so that one is the Secret meant, in the wrong place). A Secret that is in the '
    + 'output lists its keys, and a key it lacks (env valueFrom secretKeyRef, a secret or projected volume\'s items) blocks the pod the same way; '
    + 'one with no data, or a service-account token Secret, is filled by a controller. Environment variables read a ConfigMap\'s data only: a key it holds '
    + 'in binaryData is missing for env valueFrom (volumes read both).',
  differences: [
    {
      peer: 'kube-linter',
      checks: ['env-value-from'],
      direction: 'laxer',
      reason: 'kube-linter\'s opt-in check also wants every Secret a container\'s env names in the output; shipshape leaves Secrets out, since they are often created out of band '
        + '(External Secrets, Sealed Secrets, the CSI driver). It also accepts the ConfigMaps the platform creates in every namespace (kube-root-ca.crt).',
      when: (m: any) => referencesSecretOrPlatformConfigMap(m),
    },
    {
      peer: 'kube-linter',
      checks: ['env-value-from'],
      direction: 'stricter',
      reason: 'kube-linter reads only env valueFrom references; shipshape also reads envFrom and configMap and projected volumes (a missing one blocks the pod the same way).',
      when: (m: any) => referencesConfigMapOutsideEnv(m),
    },
  ],
  kinds: POD_KINDS,
  check: (doc, index) => {
    const refs = configMapRefs(doc, index);
    if (refs.length === 0) return NONE;
    let out: Violation[] | undefined;
    for (const r of refs) {
      if (r.kind === 'Secret') {
        // a Secret missing from the output is the normal case (created out of band), unless the output holds one of that
        // name in another namespace, which the pod cannot read; one that is there lists its keys
        const secret = index.find('Secret', r.name, doc.namespace);
        if (secret === undefined) {
          const elsewhere = doc.namespace === undefined ? undefined : otherNamespace(index, 'Secret', r.name, doc.namespace);
          if (elsewhere !== undefined) {
            (out ??= []).push({ jsonPath: r.at, message: `Secret ${r.name} is not in namespace ${doc.namespace}, but a Secret of that name is in namespace ${elsewhere}, which the pod cannot read: until one exists in ${doc.namespace}, ${waits(r.how)}` });
          }
          continue;
        }
        const keys = secret === undefined || filledByExternalSecret(index, r.name, doc.namespace) ? undefined : secretKeysOf(secret);
        if (keys === undefined) continue;
        for (const k of r.keys) {
          if (!keys.has(k.key)) (out ??= []).push({ jsonPath: k.at, message: `Secret ${r.name} has no key ${k.key}: until it has, ${waits(r.how)}` });
        }
        continue;
      }
      if (PLATFORM_CONFIG_MAPS.includes(r.name)) continue;
      const cm = index.find('ConfigMap', r.name, doc.namespace);
      if (cm === undefined) {
        // one of that name in another namespace: the pod reads those of its own namespace only
        const elsewhere = doc.namespace === undefined ? undefined : otherNamespace(index, 'ConfigMap', r.name, doc.namespace);
        const where = doc.namespace ? ` (namespace ${doc.namespace}${elsewhere !== undefined && elsewhere !== doc.namespace ? `; a ConfigMap of that name is in namespace ${elsewhere}, which the pod cannot read` : ''})` : '';
        (out ??= []).push({ jsonPath: r.at, message: `ConfigMap ${r.name} is not in the output${where}: until it exists, ${waits(r.how)}` });
        continue;
      }
      if (r.keys.length === 0) continue;
      const keys = keysOf(cm, r.how === ENV);
      if (keys === undefined) continue;
      for (const k of r.keys) {
        if (keys.has(k.key)) continue;
        const binary = r.how === ENV && Object.prototype.hasOwnProperty.call(o(cm.manifest.binaryData), k.key);
        (out ??= []).push({
          jsonPath: k.at,
          message: binary ? `ConfigMap ${r.name} holds ${k.key} in binaryData, which the kubelet never reads into environment variables: until the key is in data, ${waits(r.how)}`
            : `ConfigMap ${r.name} has no key ${k.key}: until it has, ${waits(r.how)}`,
        });
      }
    }
    return out ?? NONE;
  },
});

/** The namespace of another object of `kind` named `name` in the output than in `namespace`, or undefined. */
function otherNamespace(index: DocumentIndex, kind: 'ConfigMap' | 'Secret', name: string, namespace: string): string | undefined {
  // looked up by name (once per output and kind): many pods may name Secrets created out of band
  const byName = index._memo(`k8s.namespacesByName.${kind}`, i => {
    const m = new Map<string, string[]>();
    for (const d of i.ofKind(kind)) {
      if (d.name === undefined || d.namespace === undefined) continue;
      const list = m.get(d.name);
      if (list === undefined) m.set(d.name, [d.namespace]); else list.push(d.namespace);
    }
    return m;
  });
  return byName.get(name)?.find(ns => ns !== namespace);
}

/** For the peer corpus: a pod that names a Secret in its env, or a ConfigMap the platform creates, in its env. */
function referencesSecretOrPlatformConfigMap(manifest: any): boolean {
  const pod = manifest !== null && typeof manifest === 'object' ? podOf(manifest) : undefined;
  if (!pod) return false;
  return containersOf(pod).some(r => arr(r.c.env).some(e => {
    const from = o(o(e).valueFrom);
    return isObj(from.secretKeyRef) || PLATFORM_CONFIG_MAPS.includes(o(from.configMapKeyRef).name);
  }));
}

/** For the peer corpus: a pod that reads a ConfigMap otherwise than through env valueFrom. */
function referencesConfigMapOutsideEnv(manifest: any): boolean {
  const pod = manifest !== null && typeof manifest === 'object' ? podOf(manifest) : undefined;
  if (!pod) return false;
  return containersOf(pod).some(r => arr(r.c.envFrom).some(e => isObj(o(e).configMapRef)))
    || arr(pod.spec.volumes).some(v => isObj(o(v).configMap) || arr(o(o(v).projected).sources).some(s => isObj(o(s).configMap)));
}
