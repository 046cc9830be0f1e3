import { IConstruct } from 'constructs';
import { fail } from './errors';

// [registry/]repository[:tag][@sha256:digest]; registry is the first part when it has a '.' or ':' or is 'localhost'.
const TAG_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST_RE = /^sha256:[a-f0-9]{64}$/;
const REPO_RE = /^[a-z0-9]+(([._]|__|-+)[a-z0-9]+)*(\/[a-z0-9]+(([._]|__|-+)[a-z0-9]+)*)*$/;

/**
 * Options for parsing an image reference.
 */
export interface ImageRefOptions {
  /**
   * Accept the `latest` tag and references with no tag and no digest.
   * Mutable tags make roll-outs unrepeatable (rule SS-K8S-029 in docs/rules.md): only for throw-away environments.
   *
   * @default false
   */
  readonly allowLatest?: boolean;
  /**
   * The name of the prop that lets the user accept `latest`, named in the error's fix (for example
   * `allowLatestImage` for a workload). Leave it out where no such prop exists.
   * @default - the fix offers no opt-out
   */
  readonly allowLatestProp?: string;
}

/**
 * A container image reference: registry, repository, tag and digest.
 */
export class ImageRef {
  /**
   * Parses `[registry/]repository[:tag][@sha256:<64 hex>]`.
   * Refuses `latest` and references with neither tag nor digest unless `allowLatest` is set.
   *
   * @param ref the reference, for example `ghcr.io/acme/api:1.4.2`
   * @param options parsing options
   * @param scope the construct the image belongs to (named in errors)
   * @param prop the prop that holds it (named in errors)
   */
  public static parse(ref: string, options?: ImageRefOptions, scope?: IConstruct, prop?: string): ImageRef {
    const where = scope ?? '<input>';
    const p = prop ?? 'image';
    const bad = (why: string): never => fail(where, p, ref, why,
      'write it as [registry/]repository:tag or repository:tag@sha256:<digest>, for example "ghcr.io/acme/api:1.4.2"');
    if (!ref || /\s/.test(ref)) bad('is not an image reference (empty or contains white space)');
    let rest = ref;
    let digest: string | undefined;
    const at = rest.indexOf('@');
    if (at >= 0) {
      digest = rest.slice(at + 1);
      rest = rest.slice(0, at);
      if (!DIGEST_RE.test(digest)) bad('has a digest that is not "sha256:" followed by 64 lowercase hex digits');
    }
    let registry: string | undefined;
    const slash = rest.indexOf('/');
    if (slash > 0) {
      const first = rest.slice(0, slash);
      if (first.includes('.') || first.includes(':') || first === 'localhost') {
        registry = first;
        rest = rest.slice(slash + 1);
      }
    }
    let tag: string | undefined;
    const colon = rest.lastIndexOf(':');
    if (colon >= 0) {
      tag = rest.slice(colon + 1);
      rest = rest.slice(0, colon);
      if (!TAG_RE.test(tag)) bad('has a tag that is not 1-128 characters of letters, digits, "_", "." and "-"');
    }
    if (!REPO_RE.test(rest)) bad('has a repository that is not lowercase letters, digits and separators ("/", ".", "_", "-")');
    if (!options?.allowLatest) {
      const optOut = options?.allowLatestProp
        ? `, or, for a throw-away environment, set ${options.allowLatestProp}: true and accept rule SS-K8S-029 with a reason: policy.Policy.suppress(<this construct>, 'SS-K8S-029', '<why>')`
        : '';
      if (tag === 'latest') {
        fail(where, p, ref, 'uses the mutable "latest" tag, which makes roll-outs unrepeatable (rule SS-K8S-029)',
          `pin a version tag (and ideally a digest)${optOut}`);
      }
      if (tag === undefined && digest === undefined) {
        fail(where, p, ref, 'has no tag and no digest, so it means "latest" (rule SS-K8S-029)',
          `pin a version tag such as ":1.4.2" (and ideally a digest)${optOut}`);
      }
    }
    return new ImageRef(registry, rest, tag, digest);
  }

  /** The registry host (and port), when the reference names one. */
  public readonly registry?: string;
  /** The repository path, for example `acme/api`. */
  public readonly repository: string;
  /** The tag, when there is one. */
  public readonly tag?: string;
  /** The digest (`sha256:...`), when there is one. */
  public readonly digest?: string;

  private constructor(registry: string | undefined, repository: string, tag: string | undefined, digest: string | undefined) {
    this.registry = registry;
    this.repository = repository;
    this.tag = tag;
    this.digest = digest;
  }

  /** True when the image is pinned by digest. */
  public get pinnedByDigest(): boolean {
    return this.digest !== undefined;
  }

  /** The reference as a container `image` field. */
  public toString(): string {
    return `${this.registry ? this.registry + '/' : ''}${this.repository}${this.tag ? ':' + this.tag : ''}${this.digest ? '@' + this.digest : ''}`;
  }
}
