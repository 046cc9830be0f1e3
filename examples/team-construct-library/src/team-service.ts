// A platform team's reusable construct, published as the team's own library on top of shipshape.
// In your own library, import from the package instead: import { EnvironmentProfile, k8s, Names } from 'shipshape';
import { Construct } from 'constructs';
import { EnvironmentProfile, k8s, Names } from '../../../lib';

/** The registry every ACME image must come from. */
export const ACME_REGISTRY = 'ghcr.io/acme/';

/** Sizes the platform team supports, with the resources each one gets. */
export enum ServiceSize {
  /** 100m CPU, 128Mi memory. */
  SMALL = 'small',
  /** 500m CPU, 512Mi memory. */
  MEDIUM = 'medium',
  /** 2 CPU (limit 4), 2Gi memory. */
  LARGE = 'large',
}

const RESOURCES: Record<ServiceSize, k8s.ResourceRequirements> = {
  [ServiceSize.SMALL]: { cpu: '100m', memory: '128Mi' },
  [ServiceSize.MEDIUM]: { cpu: '500m', memory: '512Mi' },
  [ServiceSize.LARGE]: { cpu: '2', cpuLimit: '4', memory: '2Gi' },
};

export interface TeamServiceProps {
  /** The owning team: labels every object (`acme.dev/team`) and is the `app.kubernetes.io/part-of` value. */
  readonly team: string;
  /** The container image, from ghcr.io/acme/ with a tag or digest. */
  readonly image: string;
  /**
   * How big the service is.
   * @default ServiceSize.SMALL
   */
  readonly size?: ServiceSize;
  /**
   * Other team services allowed to call this one.
   * @default - none (only the ingress controller)
   */
  readonly callers?: TeamService[];
  /**
   * The environment profile.
   * @default EnvironmentProfile.PRODUCTION
   */
  readonly profile?: EnvironmentProfile;
}

/**
 * An HTTP service the ACME way: shipshape's WebService with the team label, an image from the company registry,
 * resources by size, and ingress only from the ingress controller and the declared callers.
 */
export class TeamService extends Construct {
  /** The shipshape WebService underneath (escape hatch: `.web.deployment`, `.web.service`). */
  public readonly web: k8s.WebService;

  constructor(scope: Construct, id: string, props: TeamServiceProps) {
    super(scope, id);
    if (!props.image.startsWith(ACME_REGISTRY)) {
      throw new Error(`${this.node.path}: image (${JSON.stringify(props.image)}) must come from ${ACME_REGISTRY}; push it there and use that name`);
    }
    this.web = new k8s.WebService(this, 'web', {
      name: Names.kebab(id),
      image: props.image,
      partOf: props.team,
      labels: { 'acme.dev/team': props.team },
      resources: RESOURCES[props.size ?? ServiceSize.SMALL],
      profile: props.profile,
    });
    this.web.allowFrom(k8s.NetworkPeer.ingressController('ingress-nginx', { 'app.kubernetes.io/name': 'ingress-nginx' }));
    for (const caller of props.callers ?? []) this.web.allowFrom(caller.web);
  }
}
