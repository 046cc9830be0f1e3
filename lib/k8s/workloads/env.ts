import { ApiObject, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import type * as corev1 from 'kubernetes-types/core/v1';
import { at, fail } from '../../core/errors';
import { Names } from '../../core/names';
import { Validators } from '../../core/validators';
import { KubernetesTarget, KubernetesVersion } from '../target';

/**
 * The value of an environment variable: a literal, a ConfigMap key, a Secret key, or a pod field.
 */
export class EnvValue {
  /**
   * A literal value. shipshape refuses literals under names that look like secrets
   * (`*secret*`, `*password*`, `*token*`, ...): mount those from a Secret instead.
   */
  public static fromValue(value: string): EnvValue {
    return new EnvValue({ value });
  }

  /**
   * A key of a ConfigMap in the same namespace. The workload that uses the value refuses a name that is no RFC 1123
   * DNS subdomain (`App_Config`) and a key the API refuses (see `key`), naming itself and the variable.
   * @param configMapName the ConfigMap's name (for a cdk8s-plus ConfigMap, pass its `.name`)
   * @param key the key to read: 1-253 characters of letters, digits, `-`, `_` and `.`, not `.` or `..` and not
   * starting with `..`
   */
  public static fromConfigMapKey(configMapName: string, key: string): EnvValue {
    return new EnvValue({ valueFrom: { configMapKeyRef: { name: configMapName, key } } });
  }

  /**
   * A key of a cdk8s-plus ConfigMap (for example one built with `new kplus.ConfigMap(chart, 'settings', { data })`).
   * Checked as `fromConfigMapKey` checks its name and key; the workload that uses the value also refuses a ConfigMap
   * of this app in another namespace (a pod reads those of its own namespace only).
   * @param configMap the ConfigMap
   * @param key the key to read (see `fromConfigMapKey`)
   */
  public static fromConfigMap(configMap: kplus.IConfigMap, key: string): EnvValue {
    return new EnvValue({ valueFrom: { configMapKeyRef: { name: configMap.name, key } } }, configMap);
  }

  /**
   * A key of a cdk8s-plus Secret, as an environment variable (see `fromSecretKey` for why files are preferred).
   * Checked as `fromSecretKey` checks its name and key; the workload that uses the value also refuses a Secret of
   * this app in another namespace (a pod reads those of its own namespace only).
   * @param secret the Secret
   * @param key the key to read (see `fromSecretKey`)
   */
  public static fromSecret(secret: kplus.ISecret, key: string): EnvValue {
    return new EnvValue({ valueFrom: { secretKeyRef: { name: secret.name, key } } }, secret);
  }

  /**
   * A key of a Secret, as an environment variable. Secrets in environment variables leak into crash
   * dumps, child processes and logs: prefer `secretMounts` (files). This produces a policy finding
   * (SS-K8S-061 in docs/rules.md) that must be suppressed with a reason. The workload that uses the value refuses a
   * name that is no RFC 1123 DNS subdomain (`DB_Secret`) and a key the API refuses (see `key`), naming itself and
   * the variable.
   * @param secretName the Secret's name
   * @param key the key to read: 1-253 characters of letters, digits, `-`, `_` and `.`, not `.` or `..` and not
   * starting with `..`
   */
  public static fromSecretKey(secretName: string, key: string): EnvValue {
    return new EnvValue({ valueFrom: { secretKeyRef: { name: secretName, key } } });
  }

  /**
   * A field of the pod that the downward API gives environment variables: `metadata.name`, `metadata.namespace`,
   * `metadata.uid`, `metadata.labels['<key>']`, `metadata.annotations['<key>']`, `spec.nodeName`,
   * `spec.serviceAccountName`, `status.hostIP`, `status.hostIPs` (Kubernetes 1.29 or newer), `status.podIP`
   * or `status.podIPs`. Any other path is refused.
   */
  public static fromFieldPath(fieldPath: string): EnvValue {
    Validators.fieldPath(at('EnvValue.fromFieldPath'), 'fieldPath', fieldPath);
    return new EnvValue({ valueFrom: { fieldRef: { fieldPath } } });
  }

  private readonly spec: Omit<corev1.EnvVar, 'name'>;
  /** The cdk8s-plus ConfigMap or Secret the value reads, when given as one (its namespace is checked). */
  private readonly source?: kplus.IConfigMap | kplus.ISecret;

  private constructor(spec: Omit<corev1.EnvVar, 'name'>, source?: kplus.IConfigMap | kplus.ISecret) {
    this.spec = spec;
    this.source = source;
  }

  /** The literal value, if this is a literal. */
  public get value(): string | undefined {
    return this.spec.value;
  }

  /**
   * The Kubernetes EnvVar for `name`, checked against the Kubernetes version `scope` targets. The ConfigMap or
   * Secret it reads is checked here, where errors can name the workload (`scope`) and the variable (`prop`).
   * @internal
   */
  public _render(name: string, scope?: IConstruct, prop?: string): any {
    const where = scope ?? at('EnvValue');
    const p = prop ?? `env.${name}`;
    const configMap = this.spec.valueFrom?.configMapKeyRef;
    if (configMap) {
      Names.dnsSubdomain(where, `${p}.configMapName`, configMap.name!);
      checkDataKey(where, `${p}.key`, configMap.key, 'ConfigMap');
    }
    const secret = this.spec.valueFrom?.secretKeyRef;
    if (secret) {
      Names.dnsSubdomain(where, `${p}.secretName`, secret.name!);
      checkDataKey(where, `${p}.key`, secret.key, 'Secret');
    }
    if (scope !== undefined && this.source !== undefined) this.checkNamespace(scope, p, configMap ? 'ConfigMap' : 'Secret');
    const fieldPath = this.spec.valueFrom?.fieldRef?.fieldPath;
    if (scope && fieldPath === 'status.hostIPs') {
      const target = KubernetesTarget.of(scope);
      if (!target.isAtLeast(KubernetesVersion.V1_29)) {
        fail(scope, `${prop ?? `env.${name}`}.fieldPath`, fieldPath, `needs Kubernetes 1.29 or newer (PodHostIPs), and the chart targets ${target}`,
          'use "status.hostIP", or target 1.29+ with KubernetesTarget.set(chart, KubernetesVersion.V1_29)');
      }
    }
    return { name, ...this.spec } satisfies corev1.EnvVar;
  }

  /**
   * Refuses a ConfigMap or Secret of this app (a cdk8s-plus object) in another namespace than the workload `scope`:
   * the kubelet looks the name up in the pod's namespace, so the pod would never start (CreateContainerConfigError).
   * An imported one (`Secret.fromSecretName`) has no namespace of its own and is not checked.
   */
  private checkNamespace(scope: IConstruct, prop: string, kind: 'ConfigMap' | 'Secret'): void {
    const theirs = namespaceOf(this.source);
    const own = (scope as unknown as { namespace?: unknown }).namespace;
    const ours = typeof own === 'string' ? own : chartNamespace(scope);
    if (theirs === undefined || ours === undefined || theirs === ours) return;
    const name = this.source!.name;
    fail(scope, `${prop}.${kind === 'ConfigMap' ? 'configMapName' : 'secretName'}`, name,
      `is the ${kind} ${name} of namespace ${theirs}, while the workload runs in namespace ${ours}: a pod reads the ${kind}s of its own namespace only, `
      + 'so it would never start (CreateContainerConfigError)',
      `create the ${kind} in a chart of namespace ${ours}, or run the workload in namespace ${theirs}`);
  }
}

/**
 * The namespace of a cdk8s-plus resource of this app: its ApiObject's metadata.namespace, else its chart's; undefined
 * for an imported one (`Secret.fromSecretName`: a name only, in whatever namespace reads it).
 */
function namespaceOf(x: unknown): string | undefined {
  if (x === null || typeof x !== 'object') return undefined;
  const obj = (x as { apiObject?: unknown }).apiObject;
  if (!ApiObject.isApiObject(obj)) return undefined;
  const ns = (obj as ApiObject).metadata.namespace;
  return typeof ns === 'string' && ns !== '' ? ns : chartNamespace(obj as ApiObject);
}

/** The namespace of the chart `scope` is in, or undefined (none, or no chart). */
function chartNamespace(scope: IConstruct): string | undefined {
  try {
    return Chart.of(scope).namespace;
  } catch {
    return undefined;
  }
}

/**
 * Validates a key of a ConfigMap or Secret (`kind`): 1-253 characters of letters, digits, `-`, `_` and `.`,
 * not `.` or `..` and not starting with `..` (the API's IsConfigMapKey). Returns the key.
 */
function checkDataKey(scope: IConstruct, prop: string, key: string, kind: string): string {
  if (typeof key !== 'string' || Validators._dataKeyProblem(key) !== undefined) {
    let suggestion = String(key ?? '').replace(/[^-._a-zA-Z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 253);
    if (suggestion === '.' || suggestion.startsWith('..')) suggestion = suggestion.replace(/^\.+/, '');
    fail(scope, prop, key,
      `is not a valid ${kind} key: 1-253 characters of A-Z, a-z, 0-9, '-', '_' and '.', not "." or ".." and not starting with ".."`,
      suggestion ? `use a key such as ${JSON.stringify(suggestion)}` : `use the name of a key the ${kind} holds`);
  }
  return key;
}

/**
 * A Secret mounted as read-only files.
 */
export interface SecretMount {
  /** The Secret's name (in the workload's namespace). */
  readonly secretName: string;
  /** The directory the Secret's keys appear in, one file per key. */
  readonly mountPath: string;
}

/**
 * A ConfigMap mounted as read-only files.
 */
export interface ConfigMapMount {
  /** The ConfigMap's name (in the workload's namespace). */
  readonly configMapName: string;
  /** The directory the ConfigMap's keys appear in, one file per key. */
  readonly mountPath: string;
}

/**
 * An extra named container port.
 */
export interface ContainerPort {
  /** The port name (IANA service name, at most 15 characters), for example `metrics`. */
  readonly name: string;
  /** The port number, 1024-65535. */
  readonly port: number;
}
