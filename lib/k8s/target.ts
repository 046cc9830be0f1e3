import { IConstruct } from 'constructs';
import { fail } from '../core/errors';

const TARGET = Symbol.for('shipshape.k8s.KubernetesTarget');
const VERSION = Symbol.for('shipshape.KubernetesVersion');
/** The brand of the constructs that read the target when they are made: workloads (a mesh reads it when it enrols one). */
const WORKLOAD = Symbol.for('shipshape.Workload');

/** The newest minor version this release of shipshape knows (its constants, and the schemas it is tested on). */
const NEWEST_KNOWN_MINOR = 36;
/**
 * The versions `KubernetesVersion.of` accepts, as error messages say them: from 1.27 (the oldest target) to three
 * minors past the newest known (a minor comes out about every four months), so a typo such as 1.99 is caught.
 */
const KUBERNETES_VERSIONS = `"1.N" with N from 27 to ${NEWEST_KNOWN_MINOR + 3}`;

/**
 * A Kubernetes minor version that shipshape can target.
 */
export class KubernetesVersion {
  /** Kubernetes 1.27 (the cdk8s-plus-27 line; the oldest target). */
  public static readonly V1_27 = new KubernetesVersion(1, 27);
  /** Kubernetes 1.28. */
  public static readonly V1_28 = new KubernetesVersion(1, 28);
  /** Kubernetes 1.29 (native sidecar containers on by default). */
  public static readonly V1_29 = new KubernetesVersion(1, 29);
  /** Kubernetes 1.30. */
  public static readonly V1_30 = new KubernetesVersion(1, 30);
  /** Kubernetes 1.31. */
  public static readonly V1_31 = new KubernetesVersion(1, 31);
  /** Kubernetes 1.32. */
  public static readonly V1_32 = new KubernetesVersion(1, 32);
  /** Kubernetes 1.33. */
  public static readonly V1_33 = new KubernetesVersion(1, 33);
  /** Kubernetes 1.34. */
  public static readonly V1_34 = new KubernetesVersion(1, 34);
  /** Kubernetes 1.35. */
  public static readonly V1_35 = new KubernetesVersion(1, 35);
  /** Kubernetes 1.36. */
  public static readonly V1_36 = new KubernetesVersion(1, 36);

  /**
   * Any `1.N` version from 1.27 to 1.39 (three minors past the newest constant, as newer releases come out), for
   * example `KubernetesVersion.of('1.30')`.
   */
  public static of(version: string): KubernetesVersion {
    const m = /^1\.([1-9]\d*)$/.exec(version);
    if (!m) {
      // a slip of a minor version: a leading v, a patch, a leading zero (v1.30, 1.30.1, 1.030)
      const near = typeof version === 'string' ? /^v?1\.0*([1-9]\d*)(\.\d+)?$/.exec(version.trim()) : null;
      if (near && Number(near[1]) >= 27 && Number(near[1]) <= NEWEST_KNOWN_MINOR + 3) {
        fail('KubernetesVersion', 'version', version, `must be a Kubernetes minor version ${KUBERNETES_VERSIONS}, without a leading v, a patch or a leading zero (a target is a minor version)`,
          `write "1.${near[1]}"`);
      }
    }
    if (!m || Number(m[1]) < 27 || Number(m[1]) > NEWEST_KNOWN_MINOR + 3) {
      fail('KubernetesVersion', 'version', version, `must be a Kubernetes version ${KUBERNETES_VERSIONS}`, 'use for example "1.27" or "1.30"');
    }
    return new KubernetesVersion(1, Number(m[1]));
  }

  /**
   * The versions `of` accepts, as error messages say them (`"1.N" with N from 27 to 39`).
   * @internal
   */
  public static _accepted(): string {
    return KUBERNETES_VERSIONS;
  }

  /** True when `x` is a KubernetesVersion, also one made by another copy of the shipshape library. */
  public static isKubernetesVersion(x: any): boolean {
    return x !== null && typeof x === 'object' && x[VERSION] === true;
  }

  /** The major version (1). */
  public readonly major: number;
  /** The minor version (27 for 1.27). */
  public readonly minor: number;

  private constructor(major: number, minor: number) {
    Object.defineProperty(this, VERSION, { value: true });
    this.major = major;
    this.minor = minor;
  }

  /** True when this version is `other` or newer. */
  public isAtLeast(other: KubernetesVersion): boolean {
    return this.major > other.major || (this.major === other.major && this.minor >= other.minor);
  }

  /**
   * True when init containers with `restartPolicy: Always` (native sidecars) are available: beta and on by
   * default from 1.29.
   */
  public get supportsNativeSidecars(): boolean {
    return this.isAtLeast(KubernetesVersion.V1_29);
  }

  /** `"1.27"`. */
  public toString(): string {
    return `${this.major}.${this.minor}`;
  }
}

/**
 * The Kubernetes version a chart (or an app) targets. Constructs that can emit newer API fields read it
 * with `KubernetesTarget.of(this)`; the output then validates against that version's schema.
 *
 * @example
 * k8s.KubernetesTarget.set(chart, k8s.KubernetesVersion.V1_30);
 */
export class KubernetesTarget {
  /** The version used when no target is set. */
  public static readonly DEFAULT = KubernetesVersion.V1_27;

  /**
   * Sets the target of `scope` (a chart or an app) and of everything inside it.
   * Set it right after creating the chart or app, before adding workloads: they read it when they are created (a
   * sidecar's shape), and so does a mesh when it enrols one, so setting it later is refused.
   *
   * In a `k8s.App` that knows its cluster (`App({ cluster })`, or a `ClusterContext` set on a chart), the cluster's
   * Kubernetes version is the target, and a target set anywhere under it that is newer than that version is refused
   * at synth, before anything is written: the cluster's API server would drop or refuse the newer fields (a native
   * sidecar's `restartPolicy: Always` before 1.29). An older target is allowed: the output then uses the older shapes
   * (sidecars as regular containers), which a newer cluster runs as written.
   */
  public static set(scope: IConstruct, version: KubernetesVersion): void {
    // a workload or a mesh already under scope read the target in force when it was made: it would keep that one,
    // and one output would mix the shapes of two versions
    // (only one whose target this call changes: a nearer target set between it and scope still wins)
    const changes = (c: IConstruct): boolean => {
      if (c === scope || (c as any)[WORKLOAD] !== true) return false;
      const scopes = c.node.scopes;
      for (let i = scopes.length - 1; i >= 0 && scopes[i] !== scope; i--) if (KubernetesTarget._setOn(scopes[i]) !== undefined) return false;
      return KubernetesTarget.of(c).toString() !== version?.toString?.();
    };
    const early = scope.node.findAll().find(changes);
    if (early !== undefined) {
      fail(scope.node.path || '<app>', 'KubernetesTarget', version?.toString?.() ?? version, `is set after ${early.node.path} was added under it, which read the target in force then `
        + `(${KubernetesTarget.of(early)}) when it was created`, 'set the target right after creating the chart or app, before adding workloads');
    }
    (scope as any)[TARGET] = version;
  }

  /**
   * The target set on `scope` itself with `set` (not one inherited from a parent), or undefined.
   * @internal
   */
  public static _setOn(scope: IConstruct): KubernetesVersion | undefined {
    const v = (scope as any)[TARGET];
    return KubernetesVersion.isKubernetesVersion(v) ? v : undefined;
  }

  /**
   * The target set on `scope` or its nearest parent that has one, or undefined when none is set (the default applies).
   * @internal
   */
  public static _explicitOf(scope: IConstruct): KubernetesVersion | undefined {
    for (const c of [...scope.node.scopes].reverse()) {
      const v = KubernetesTarget._setOn(c);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  /**
   * The target version in force for `scope`: the nearest one set on it or its parents.
   * @default KubernetesVersion.V1_27 when no target is set anywhere
   */
  public static of(scope: IConstruct): KubernetesVersion {
    for (const c of [...scope.node.scopes].reverse()) {
      const v = (c as any)[TARGET];
      if (KubernetesVersion.isKubernetesVersion(v)) return v;
    }
    return KubernetesTarget.DEFAULT;
  }

  private constructor() {}
}

