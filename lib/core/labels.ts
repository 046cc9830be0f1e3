/**
 * Options for the recommended labels.
 */
export interface RecommendedLabelsOptions {
  /** `app.kubernetes.io/name`: the application's name. */
  readonly name: string;
  /** `app.kubernetes.io/instance`: this instance's unique name (the object name). */
  readonly instance: string;
  /**
   * `app.kubernetes.io/version`.
   * @default - no version label
   */
  readonly version?: string;
  /**
   * `app.kubernetes.io/component`, for example `web`, `worker`, `database`.
   * @default - no component label
   */
  readonly component?: string;
  /**
   * `app.kubernetes.io/part-of`: the larger application this belongs to.
   * @default - no part-of label
   */
  readonly partOf?: string;
}

/**
 * The Kubernetes recommended labels (`app.kubernetes.io/*`).
 */
export class RecommendedLabels {
  /** The label key for the application name. */
  public static readonly NAME = 'app.kubernetes.io/name';
  /** The label key for the instance name. */
  public static readonly INSTANCE = 'app.kubernetes.io/instance';
  /** The label key for the version. */
  public static readonly VERSION = 'app.kubernetes.io/version';
  /** The label key for the component. */
  public static readonly COMPONENT = 'app.kubernetes.io/component';
  /** The label key for the larger application. */
  public static readonly PART_OF = 'app.kubernetes.io/part-of';
  /** The label key for the tool that manages the object. */
  public static readonly MANAGED_BY = 'app.kubernetes.io/managed-by';
  /** The value of `app.kubernetes.io/managed-by` on everything shipshape writes. */
  public static readonly MANAGER = 'shipshape';

  /**
   * Every recommended label for an object (including `app.kubernetes.io/managed-by: shipshape`).
   */
  public static of(options: RecommendedLabelsOptions): { [key: string]: string } {
    const labels: { [key: string]: string } = {
      [RecommendedLabels.NAME]: options.name,
      [RecommendedLabels.INSTANCE]: options.instance,
    };
    if (options.version) labels[RecommendedLabels.VERSION] = options.version;
    if (options.component) labels[RecommendedLabels.COMPONENT] = options.component;
    if (options.partOf) labels[RecommendedLabels.PART_OF] = options.partOf;
    labels[RecommendedLabels.MANAGED_BY] = RecommendedLabels.MANAGER;
    return labels;
  }

  /**
   * The stable subset used in selectors (name and instance): it never changes across versions,
   * so a Deployment's immutable selector keeps matching after upgrades.
   */
  public static selector(options: RecommendedLabelsOptions): { [key: string]: string } {
    return { [RecommendedLabels.NAME]: options.name, [RecommendedLabels.INSTANCE]: options.instance };
  }

  private constructor() {}
}
