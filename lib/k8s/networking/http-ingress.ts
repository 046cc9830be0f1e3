import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import type * as metav1 from 'kubernetes-types/meta/v1';
import type * as networkingv1 from 'kubernetes-types/networking/v1';
import { TrafficChecks } from './hostnames';
import { INetworkPeer, NetworkPeer } from './network-peer';
import { renderPeer } from './peer-config';
import { fail, warn } from '../../core/errors';
import { Names } from '../../core/names';
import { Validators } from '../../core/validators';
import { ClusterContext } from '../cluster-context';
import { _chartOf } from '../synth-steps';
import type { IWebService } from '../workloads/web-service';

/** On a workload enrolled in a mesh: the mesh's name (set by lib/k8s/mesh, read here across library copies). */
const MESH_ENROLMENT = Symbol.for('shipshape.k8s.MeshEnrolment');
/** On a workload enrolled in Istio: its Service's host name there (`<name>.<namespace>.svc.<cluster domain>`). */
const MESH_SERVICE_HOST = Symbol.for('shipshape.k8s.MeshServiceHost');

/** The controller name (IngressClass spec.controller) of the community ingress-nginx controller. */
const INGRESS_NGINX_CONTROLLER = 'k8s.io/ingress-nginx';
/**
 * What ingress-nginx's admission webhook accepts as a Prefix or Exact path (its strict-validate-path-type check, on by
 * default since controller v1.12): '/', then letters, digits, '.', '_', '-' and '/' only.
 */
const INGRESS_NGINX_STRICT_PATH = /^\/[A-Za-z0-9._\-/]*$/;
/** Characters that make a path a regular expression (ingress-nginx reads paths as PCRE with use-regex). */
const REGEX_CHARACTER = /[()[\]{}*+?|^$\\]/;

/** The label cert-manager puts on its ACME HTTP-01 solver pods (SS-K8S-049 knows it too). */
const ACME_SOLVER_LABEL = 'acme.cert-manager.io/http01-solver';
/** The rule that reports an Ingress backend the output lacks (a Service, or its port): it cannot see an imported Service. */
const BACKENDS_EXIST_RULE = 'SS-K8S-054';
/** The annotation that suppresses that rule on the Ingress, at synth and in `shipshape check` alike (see lib/policy/annotations.ts). */
const BACKENDS_EXIST_SUPPRESSION = `suppress.shipshape.io/${BACKENDS_EXIST_RULE}`;

/** A cert-manager Certificate (cert-manager.io/v1; a custom resource), the fields shipshape writes. */
interface Certificate {
  apiVersion: 'cert-manager.io/v1';
  kind: 'Certificate';
  metadata?: metav1.ObjectMeta;
  spec: {
    secretName: string;
    dnsNames?: string[];
    issuerRef: { name: string; kind?: string; group?: string };
    privateKey?: { algorithm?: string; size?: number; rotationPolicy?: string };
  };
}

/**
 * How an Ingress path is matched.
 */
export enum IngressPathType {
  /** Matches the path and everything below it, by path segment. */
  PREFIX = 'Prefix',
  /** Matches the exact path only. */
  EXACT = 'Exact',
  /** Left to the ingress controller. */
  IMPLEMENTATION_SPECIFIC = 'ImplementationSpecific',
}

/**
 * One path of an ingress host, routed to a WebService (of this app, or one imported with `WebService.fromServiceAttributes`).
 */
export interface IngressPath {
  /**
   * The URL path, starting with `/`. Under ingress-nginx (class "nginx"), a Prefix or Exact path holds only letters,
   * digits, '.', '_', '-' and '/' (its admission webhook refuses any other); a regular expression such as
   * `/api/(.*)` takes `pathType: IngressPathType.IMPLEMENTATION_SPECIFIC` and the annotation
   * `nginx.ingress.kubernetes.io/use-regex: "true"`.
   * @default "/"
   */
  readonly path?: string;
  /**
   * How the path is matched.
   * @default IngressPathType.PREFIX
   */
  readonly pathType?: IngressPathType;
  /**
   * The WebService that serves the path (must be in the ingress's namespace). Its NetworkPolicy admits the ingress
   * controller on the routed port.
   *
   * A Service managed outside this app is routed to by importing it with `WebService.fromServiceAttributes`: the
   * ingress then writes no NetworkPolicy rule for it (its owner admits the controller), and suppresses rule
   * SS-K8S-054, which cannot see the Service in the output, on its Ingress object with a reason naming the imported
   * Services (annotation `suppress.shipshape.io/SS-K8S-054`). That suppression covers the whole Ingress, so an ingress
   * with an imported backend may route besides only to shipshape workloads of this app, whose Services and ports it
   * checks itself; another backend (a hand-written `IWebService`) is refused there: route it in an ingress of its own.
   */
  readonly backend: IWebService;
  /**
   * The Service port (checked against the ports the WebService's Service exposes; for an imported Service, its
   * `servicePort`).
   * @default - the backend's service port
   */
  readonly port?: number;
}

/**
 * A host and its paths.
 */
export interface IngressRule {
  /** The DNS name (`shop.example.com`, or a wildcard `*.example.com`). */
  readonly host: string;
  /** The paths of the host. */
  readonly paths: IngressPath[];
}

/**
 * The kind of cert-manager issuer.
 */
export enum CertManagerIssuerKind {
  /** A cluster-wide `ClusterIssuer`. */
  CLUSTER_ISSUER = 'ClusterIssuer',
  /** A namespaced `Issuer` (in the ingress's namespace). */
  ISSUER = 'Issuer',
}

/**
 * Options for certificates issued by cert-manager.
 */
export interface CertManagerTlsOptions {
  /** The issuer's name, for example `letsencrypt-prod`. */
  readonly issuer: string;
  /**
   * The issuer's kind.
   * @default CertManagerIssuerKind.CLUSTER_ISSUER
   */
  readonly issuerKind?: CertManagerIssuerKind;
  /**
   * The Secret cert-manager writes the certificate to.
   * @default - "<ingress name>-tls"
   */
  readonly secretName?: string;
  /**
   * Emit an explicit cert-manager `Certificate` instead of the issuer annotation (ingress-shim).
   * @default false
   */
  readonly createCertificate?: boolean;
  /**
   * Let cert-manager's ACME HTTP-01 solver pods (label `acme.cert-manager.io/http01-solver: "true"`, created in the
   * ingress's namespace during a challenge) be reached on their port 8089, with a NetworkPolicy
   * `<ingress name>-acme-solver`. In a namespace with a default-deny policy (the namespaces `k8s.App({ cluster })`
   * creates, a fleet's team namespaces) the challenge fails without it. Set false for an issuer that solves DNS-01.
   * A wildcard host (`*.example.com`) needs an explicit choice: ACME issues wildcards over DNS-01 only, so with a
   * wildcard host leaving this unset is an error (false: the issuer solves DNS-01 or is not an ACME issuer; true: it
   * solves HTTP-01 for the other hosts and DNS-01 for the wildcard).
   * @default true
   */
  readonly http01Solver?: boolean;
}

/**
 * Where the ingress's TLS certificate comes from.
 */
export class IngressTls {
  /**
   * An existing Secret of type `kubernetes.io/tls` in the ingress's namespace.
   */
  public static secret(secretName: string): IngressTls {
    return new IngressTls('secret', secretName, undefined, undefined);
  }

  /**
   * A certificate issued by cert-manager for every host of the ingress.
   */
  public static certManager(options: CertManagerTlsOptions): IngressTls {
    return new IngressTls('cert-manager', options.secretName, options, undefined);
  }

  /**
   * An AWS Certificate Manager certificate, terminated at the ALB (AWS Load Balancer Controller only).
   */
  public static acm(certificateArn: string): IngressTls {
    return new IngressTls('acm', undefined, undefined, certificateArn);
  }

  /**
   * The AWS Certificate Manager certificates of the ingress's hosts, which the AWS Load Balancer Controller finds
   * itself (certificate discovery: an issued ACM certificate whose names cover each host, in the cluster's account
   * and region), terminated at the ALB. No ARN in the program: the same definition serves every cluster and
   * environment, each with its own certificates.
   */
  public static acmByHost(): IngressTls {
    return new IngressTls('acm', undefined, undefined, undefined);
  }

  /** `secret`, `cert-manager` or `acm`. */
  public readonly kind: string;
  /**
   * The Secret holding the certificate.
   * @default - none (ACM), or "<ingress name>-tls" (cert-manager)
   */
  public readonly secretName?: string;
  /**
   * The cert-manager options.
   * @default - not a cert-manager certificate
   */
  public readonly certManagerOptions?: CertManagerTlsOptions;
  /**
   * The ACM certificate ARN.
   * @default - not an ACM certificate, or one the controller finds by host (`acmByHost`)
   */
  public readonly certificateArn?: string;

  private constructor(kind: string, secretName: string | undefined, cm: CertManagerTlsOptions | undefined, arn: string | undefined) {
    this.kind = kind;
    this.secretName = secretName;
    this.certManagerOptions = cm;
    this.certificateArn = arn;
  }
}

/**
 * The ALB scheme.
 */
export enum AlbScheme {
  /** Reachable inside the VPC only. */
  INTERNAL = 'internal',
  /** Reachable from the internet. */
  INTERNET_FACING = 'internet-facing',
}

/**
 * How the ALB reaches the pods.
 */
export enum AlbTargetType {
  /** Straight to pod IPs (no NodePort, no extra hop). */
  IP = 'ip',
  /** Through a NodePort on every node (needs a NodePort Service, which rule SS-K8S-051 in docs/rules.md warns about). */
  INSTANCE = 'instance',
}

/**
 * AWS Load Balancer Controller settings (an ALB per ingress or ingress group).
 */
export interface AwsLoadBalancerOptions {
  /**
   * The VPC CIDR the ALB's addresses come from: the NetworkPolicy lets it reach the backends.
   * Needed only for that default peer: with `controller` set, it is not used. With the VPC CNI, pods take their
   * addresses from the same subnets, so this rule admits any pod whose own egress allows it, and host-network pods,
   * past the ALB (its TLS and any WAF): the backends' other callers are still only those `allowFrom` names, but the
   * ALB's port is open to the VPC. Name a narrower peer with `controller` (the ALB subnets' CIDRs) to close that.
   * @default - the VPC CIDR of the app's cluster (`App({ cluster })`: `ClusterProfile.vpcCidr`); an error when the
   * cluster's profile does not know it (an imported VPC) or no cluster is known, unless `controller` is set
   */
  readonly vpcCidr?: string;
  /**
   * Internal or internet-facing.
   * @default AlbScheme.INTERNAL
   */
  readonly scheme?: AlbScheme;
  /**
   * Target type. Only `ip` works with ClusterIP Services.
   * @default AlbTargetType.IP
   */
  readonly targetType?: AlbTargetType;
  /**
   * Redirect HTTP to HTTPS at the ALB.
   * @default true (when TLS is on)
   */
  readonly sslRedirect?: boolean;
  /**
   * The ALB TLS policy.
   * @default "ELBSecurityPolicy-TLS13-1-2-2021-06"
   */
  readonly sslPolicy?: string;
  /**
   * Share one ALB between the ingresses of a group.
   * @default - one ALB for this ingress
   */
  readonly groupName?: string;
}

/**
 * Properties of an HttpIngress.
 */
export interface HttpIngressProps {
  /**
   * The Ingress name.
   * @default - the construct id in kebab case
   */
  readonly name?: string;
  /**
   * The namespace (the backends must be in it).
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * Hosts and their paths (more can be added with `addPath`).
   * @default - none
   */
  readonly rules?: IngressRule[];
  /**
   * The certificate. Required unless `plainHttp` is true.
   * @default - none, which is an error unless `plainHttp: true`
   */
  readonly tls?: IngressTls;
  /**
   * Serve plain HTTP without TLS: an explicit opt-out of the construct's TLS requirement. The policy pack still
   * reports SS-K8S-055 (a warning, docs/rules.md) on the Ingress, for you to suppress with the reason plain HTTP is
   * acceptable here (`Policy.suppress(ingress, 'SS-K8S-055', '...')`).
   * @default false
   */
  readonly plainHttp?: boolean;
  /**
   * The IngressClass. Another class than "nginx", without `aws` and without a cluster profile that lists the class,
   * needs `controller` (the pods of that class's controller, which the backends admit).
   *
   * The last default, "nginx" served by the community ingress-nginx controller, suits a cluster that runs it; that
   * controller is retired upstream (no releases or security fixes since March 2026). On a new cluster prefer a
   * maintained controller: the AWS Load Balancer Controller on EKS (`aws`), another Ingress controller named by its
   * class and `controller` (or listed in the cluster's profile), or the Gateway API with `HttpRoute`.
   * @default - the default ingress class of the app's cluster (`App({ cluster })`), else "alb" when `aws` is set, else "nginx"
   */
  readonly ingressClassName?: string;
  /**
   * AWS Load Balancer Controller settings. With an app cluster, `aws: { scheme: AlbScheme.INTERNET_FACING }` is enough:
   * the VPC CIDR comes from the cluster's profile. The ALB checks a WebService backend's health on its readiness path
   * (an `alb.ingress.kubernetes.io/healthcheck-path` annotation on the backend's Service) rather than on `/`, unless
   * `annotations` set that path on the Ingress, or the readiness probe is no HTTP GET on the application port (the ALB
   * then checks `/`: set the path yourself); with `ip`
   * targets, a Namespace the app writes for its cluster takes the controller's pod readiness gate
   * (`elbv2.k8s.aws/pod-readiness-gate-inject: enabled`), so a rollout waits for the new pods to be healthy targets.
   * @default - with an app cluster whose ingress class (the one named, or its default) is an ALB class, an internal
   * ALB in the cluster's VPC (an error when the profile does not know the VPC CIDR and no `controller` is set); else
   * no ALB annotations
   */
  readonly aws?: AwsLoadBalancerOptions;
  /**
   * Who forwards the traffic to the backends: each backend's NetworkPolicy admits it on the routed port (except an
   * imported Service's, which its owner manages). An ingress-nginx declared meshed (`{ meshed: true }`) in front of an
   * Istio-enrolled backend must send to the Service under its own host name: synth refuses it until `annotations` set
   * `nginx.ingress.kubernetes.io/service-upstream: "true"` and `nginx.ingress.kubernetes.io/upstream-vhost:
   * <service>.<namespace>.svc.cluster.local` (one backend Service per such HttpIngress).
   * @default - the ALB's VPC CIDR when `aws` is set (or the cluster's class is an ALB class), else the controller pods of the cluster's ingress class, else the ingress-nginx controller pods (namespace `ingress-nginx`, label `app.kubernetes.io/name: ingress-nginx`)
   */
  readonly controller?: INetworkPeer;
  /**
   * Extra annotations (controller-specific settings).
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
}

interface Route {
  host: string;
  path: string;
  pathType: IngressPathType;
  backend: IWebService;
  servicePort: number;
  /** Imported with `WebService.fromServiceAttributes`: managed outside the app. */
  imported: boolean;
  /** Neither imported nor a shipshape workload of the app: nothing but SS-K8S-054 shows its Service and port are in the output. */
  unchecked: boolean;
}

/**
 * An HTTP(S) entry point: a `networking.k8s.io/v1` Ingress whose paths route to WebServices, TLS by default
 * (an existing Secret, cert-manager or ACM), with the NetworkPolicy rule on every backend that lets the
 * ingress controller reach it. A Service managed outside the app is routed to by importing it with
 * `WebService.fromServiceAttributes` (see `IngressPath.backend`).
 *
 * @example
 * new k8s.HttpIngress(chart, 'web', {
 *   rules: [{ host: 'shop.example.com', paths: [{ backend: api }] }],
 *   tls: k8s.IngressTls.certManager({ issuer: 'letsencrypt-prod' }),
 * });
 */
export class HttpIngress extends Construct {
  /** The Ingress name. */
  public readonly name: string;
  /** The namespace. */
  public readonly namespace: string;
  /** The IngressClass. */
  public readonly ingressClassName: string;
  /** The Ingress object. */
  public readonly ingress: ApiObject;
  /**
   * The cert-manager Certificate.
   * @default - undefined unless `IngressTls.certManager({ createCertificate: true })`
   */
  public readonly certificate?: ApiObject;
  /**
   * The NetworkPolicy admitting traffic to cert-manager's HTTP-01 solver pods.
   * @default - undefined unless the TLS is `IngressTls.certManager` (with `http01Solver` left on)
   */
  public readonly acmeSolverPolicy?: ApiObject;
  /** The peer admitted to each backend. */
  public readonly controller: INetworkPeer;

  private readonly routes: Route[] = [];
  private readonly admitted = new Set<string>();
  /** Whether an ALB serves the ingress: its health checks then follow each backend's readiness probe. */
  private albHealthChecks = false;
  /** Whether the ALB reaches its targets through a NodePort (`targetType` INSTANCE): a WebService's ClusterIP Service has none. */
  private instanceTargets = false;
  private readonly tls?: IngressTls;
  /** The user set the SS-K8S-054 suppression annotation themselves: it is theirs to keep. */
  private readonly ownBackendSuppression: boolean;
  /** The community ingress-nginx controller serves the ingress's class: its admission refuses more Prefix and Exact paths than the API server. */
  private readonly ingressNginx: boolean;
  /** ingress-nginx reads this ingress's paths as regular expressions (its use-regex or rewrite-target annotation). */
  private readonly nginxRegex: boolean;

  constructor(scope: Construct, id: string, props: HttpIngressProps) {
    super(scope, id);
    this.name = Names.dnsLabel(this, 'name', props.name ?? Names.kebab(id), 63);
    const ns = props.namespace ?? _chartOf(this).namespace;
    if (!ns) {
      fail(this, 'namespace', ns, 'is not set on the ingress nor on its chart, so it would land in "default" (rule SS-K8S-065)', 'set `namespace` on the Chart or on the ingress');
    }
    this.namespace = Names.dnsLabel(this, 'namespace', ns, 63);
    this.tls = props.tls;
    if (!props.tls && !props.plainHttp) {
      fail(this, 'tls', undefined, 'is required: an ingress without TLS serves plain HTTP (rule SS-K8S-055)',
        "set tls: IngressTls.secret('shop-tls') or IngressTls.certManager({ issuer: 'letsencrypt-prod' }), or opt out explicitly with plainHttp: true");
    }
    if (props.tls && props.plainHttp) {
      fail(this, 'plainHttp', true, 'contradicts tls, which is set', 'remove plainHttp or tls');
    }
    // with a known cluster: its ingress class (the named one, or its default) and, for an ALB class, the VPC the ALB lives in
    const cluster = ClusterContext.of(this);
    const clusterClass = cluster?.ingressClasses?.find(c => (props.ingressClassName !== undefined ? c.name === props.ingressClassName : c.isDefault));
    const albClass = clusterClass !== undefined && /\/alb$/.test(clusterClass.controller);
    // an ingress class of the cluster served by the AWS Load Balancer Controller is an ALB, with or without `aws`
    const aws: AwsLoadBalancerOptions | undefined = props.aws ?? (albClass ? {} : undefined);
    // `aws` on a class another controller serves: that controller ignores the ALB's annotations, and the backends would
    // admit the whole VPC for nothing
    const otherController = clusterClass !== undefined ? (albClass ? undefined : `${clusterClass.controller} (cluster ${cluster!.clusterName}'s profile)`)
      : props.ingressClassName === 'nginx' ? 'ingress-nginx (the class name of the community controller, and no cluster profile says otherwise)' : undefined;
    if (props.aws !== undefined && otherController !== undefined) {
      fail(this, 'aws', JSON.stringify(props.aws), `makes this ingress an ALB, but its ingress class ${JSON.stringify(props.ingressClassName ?? clusterClass!.name)} is served by ${otherController}, `
        + 'which ignores the ALB annotations (and an ACM certificate: it would serve its default certificate)',
      `remove aws for this class (use IngressTls.secret or IngressTls.certManager for TLS), or set ingressClassName to a class of the AWS Load Balancer Controller${props.ingressClassName !== undefined ? '' : ' (the cluster\'s default class is not one)'}`);
    }
    // the ALB's addresses: given, or the VPC of the app's cluster (only needed for the default controller peer)
    const vpcCidr = aws ? (aws.vpcCidr ?? cluster?.vpcCidr) : undefined;
    if (aws && vpcCidr === undefined && props.controller === undefined) {
      const what = props.aws ? 'is needed' : `is needed by ingress class ${JSON.stringify(clusterClass!.name)} (an ALB, ${clusterClass!.controller})`;
      const why = cluster === undefined
        ? 'no cluster is known (App({ cluster }) or ClusterContext) to take it from'
        : `the profile of cluster ${cluster.clusterName} does not know its VPC CIDR (an imported VPC's CIDR is known only at plan time)`;
      fail(this, 'aws.vpcCidr', undefined, `${what} to let the ALB reach the backends (their NetworkPolicy admits the ALB's VPC addresses), and ${why}`,
        "set aws: { vpcCidr: '10.0.0.0/16' } to the CIDR of the cluster's VPC, give the app the cluster's profile with vpcCidr, or name the peer that reaches the backends with controller");
    }
    // the cluster has an ALB class, but this ingress does not get it: no class named, and that class is not the default
    const unnamedAlb = props.tls?.kind === 'acm' && !aws && props.ingressClassName === undefined
      ? cluster?.ingressClasses?.find(c => /\/alb$/.test(c.controller)) : undefined;
    if (unnamedAlb !== undefined) {
      fail(this, 'tls', 'acm', `needs an ALB (an ACM certificate lives on the ALB), and this ingress names no ingress class while cluster ${cluster!.clusterName}'s ALB class ${unnamedAlb.name} `
        + `is not its default${clusterClass !== undefined ? ` (the default is ${clusterClass.name}, ${clusterClass.controller})` : ' (it has no default class)'}`,
      `set ingressClassName: ${JSON.stringify(unnamedAlb.name)}, or make the ALB class the cluster's default; or use IngressTls.secret / IngressTls.certManager`);
    }
    // the ingress names a class that is not the cluster's ALB class, while the cluster has one: the class is the mistake
    const albClasses = (cluster?.ingressClasses ?? []).filter(c => /\/alb$/.test(c.controller));
    if (props.tls?.kind === 'acm' && !aws && props.ingressClassName !== undefined && albClasses.length > 0) {
      const classes = (cluster!.ingressClasses ?? []).map(c => `${c.name} (${c.controller})`).join(', ');
      const alb = albClasses.find(c => c.isDefault) ?? albClasses[0];
      fail(this, 'ingressClassName', props.ingressClassName, `${clusterClass !== undefined ? `is served by ${clusterClass.controller}` : `is not an ingress class of cluster ${cluster!.clusterName} (its classes: ${classes})`}, `
        + 'but tls ("acm") needs an ALB (an ACM certificate lives on the ALB)',
      `set ingressClassName: ${JSON.stringify(alb.name)}${alb.isDefault ? ` or leave it out (${alb.name} is the cluster's default class)` : ''}; or keep the class and use IngressTls.secret / IngressTls.certManager`);
    }
    if (props.tls?.kind === 'acm' && !aws) {
      fail(this, 'tls', 'acm', 'needs the AWS Load Balancer Controller (an ACM certificate lives on the ALB)',
        'install the controller in the cluster (aws.EksCluster.addLoadBalancerController(): its profile then lists the alb class, which this ingress uses by itself'
        + `${cluster !== undefined ? '; call it before creating this ingress, which reads the cluster\'s ingress classes when it is created' : ''}), `
        + 'or, for a controller installed by other means, set aws (aws: {} takes the VPC CIDR from the app\'s cluster; else aws: { vpcCidr: ... }); '
        + 'or use IngressTls.secret / IngressTls.certManager');
    }
    if (props.aws !== undefined && cluster !== undefined && !albClass && !(cluster.ingressClasses ?? []).some(c => /\/alb$/.test(c.controller))) {
      // `aws` says an ALB serves this ingress; the cluster's profile knows of no controller that makes one
      warn(this, `aws is set, so this ingress is an ALB (ingress class ${JSON.stringify(props.ingressClassName ?? 'alb')}), but cluster ${cluster.clusterName}'s profile lists no ingress class `
        + 'of the AWS Load Balancer Controller: unless it is installed by other means, no controller serves this ingress; install it with aws.EksCluster.addLoadBalancerController() '
        + '(the profile then lists its class, and aws is no longer needed)');
    }
    if (aws && props.tls !== undefined && props.tls.kind !== 'acm') {
      fail(this, 'tls', props.tls.kind, `keeps the certificate in a Secret, which the AWS Load Balancer Controller ignores: an ALB (ingress class ${JSON.stringify(props.ingressClassName ?? clusterClass?.name ?? 'alb')}) `
        + 'terminates TLS with ACM certificates only'
        + (props.tls.kind === 'cert-manager' && (props.aws?.scheme ?? AlbScheme.INTERNAL) === AlbScheme.INTERNAL ? ', and Let\'s Encrypt\'s HTTP-01 challenge cannot reach an internal ALB' : ''),
      "use IngressTls.acmByHost() (the controller finds the ACM certificate of each host) or IngressTls.acm('arn:aws:acm:...'), or an ingress class whose controller reads Secrets");
    }
    if (props.tls?.kind === 'acm' && props.tls.certificateArn !== undefined && !/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/.test(props.tls.certificateArn)) {
      fail(this, 'tls.certificateArn', props.tls.certificateArn, 'must be an ACM certificate ARN', 'use arn:aws:acm:<region>:<account>:certificate/<id>');
    }
    if (props.tls?.kind === 'acm' && props.tls.certificateArn !== undefined && cluster !== undefined) {
      // an ALB serves only certificates of its own region and account (CloudFront's live in us-east-1, a common mix-up)
      const [, , , region, account] = props.tls.certificateArn.split(':');
      if (cluster.region !== undefined && region !== cluster.region) {
        fail(this, 'tls.certificateArn', props.tls.certificateArn, `is a certificate of region ${region}, but cluster ${cluster.clusterName} runs in ${cluster.region}: `
          + 'a load balancer serves only certificates of its own region', `request or import the certificate in ACM in ${cluster.region} and use its ARN`);
      }
      if (cluster.account !== undefined && account !== cluster.account) {
        fail(this, 'tls.certificateArn', props.tls.certificateArn, `is a certificate of account ${account}, but cluster ${cluster.clusterName} runs in account ${cluster.account}: `
          + 'a load balancer serves only certificates of its own account', `request or import the certificate in ACM in account ${cluster.account} and use its ARN`);
      }
    }
    const secretName = props.tls?.kind === 'cert-manager' ? (props.tls.secretName ?? `${this.name}-tls`) : props.tls?.secretName;
    if (secretName !== undefined && typeof secretName === 'string' && /^[a-z0-9-]+\/[^/]+$/.test(secretName)) {
      // namespace/name, as kubectl writes it: an Ingress has no field for a Secret's namespace
      const [other] = secretName.split('/');
      fail(this, 'tls.secretName', secretName, `names a Secret of namespace ${other}, but an Ingress reads its TLS Secret in its own namespace (${this.namespace}) only: `
        + 'the controller would serve its default certificate',
      `have the certificate issued in namespace ${this.namespace} (IngressTls.certManager writes it there) or copy it there and name it alone (IngressTls.secret('${secretName.split('/')[1]}')), `
        + 'or terminate TLS at a Gateway listener, which may read another namespace\'s Secret with a ReferenceGrant');
    }
    if (secretName !== undefined) Names.dnsSubdomain(this, 'tls.secretName', secretName);
    this.ingressClassName = Names.dnsSubdomain(this, 'ingressClassName', props.ingressClassName ?? clusterClass?.name ?? (aws ? 'alb' : 'nginx'));
    // the cluster's profile says which controller serves the class; without it, "nginx" is ingress-nginx's (as for the controller peer)
    this.ingressNginx = clusterClass !== undefined ? clusterClass.controller === INGRESS_NGINX_CONTROLLER : this.ingressClassName === 'nginx';

    const annotations: { [key: string]: string } = { ...Validators.annotations(this, 'annotations', props.annotations ?? {}) };
    /** Sets an annotation the ingress writes from one of its props, refusing the user's own annotation of it with another value. */
    const generated = (key: string, value: string, prop: string) => {
      const own = props.annotations?.[key];
      if (own !== undefined && own !== value) {
        fail(this, `annotations["${key}"]`, own, `contradicts the value the ingress writes there from ${prop} (${JSON.stringify(value)}), which would replace it`,
          `set ${prop} instead of the annotation, or remove the annotation`);
      }
      annotations[key] = value;
    };
    this.ownBackendSuppression = annotations[BACKENDS_EXIST_SUPPRESSION] !== undefined;
    this.nginxRegex = annotations['nginx.ingress.kubernetes.io/use-regex'] === 'true' || annotations['nginx.ingress.kubernetes.io/rewrite-target'] !== undefined;
    const cm = props.tls?.certManagerOptions;
    if (cm) {
      Names.dnsSubdomain(this, 'tls.issuer', cm.issuer);
      const kind = cm.issuerKind ?? CertManagerIssuerKind.CLUSTER_ISSUER;
      if (cm.createCertificate) {
        this.certificate = new ApiObject(this, 'Certificate', {
          apiVersion: 'cert-manager.io/v1',
          kind: 'Certificate',
          metadata: {
            name: this.name,
            namespace: this.namespace,
            labels: { 'app.kubernetes.io/name': this.name, 'app.kubernetes.io/instance': this.name, 'app.kubernetes.io/component': 'certificate', 'app.kubernetes.io/managed-by': 'shipshape' },
          },
          spec: Lazy.any({
            produce: () => ({
              secretName: secretName!, // always set for cert-manager TLS (given, or <name>-tls)
              dnsNames: this.hosts(),
              issuerRef: { name: cm.issuer, kind, group: 'cert-manager.io' },
              privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
            } satisfies Certificate['spec']),
          }),
        } satisfies Certificate);
      }
      // an issuer annotation of the user's: cert-manager's ingress-shim would request a second certificate for the Secret
      for (const key of ['cert-manager.io/cluster-issuer', 'cert-manager.io/issuer']) {
        const own = props.annotations?.[key];
        const ours = !cm.createCertificate && key === (kind === CertManagerIssuerKind.CLUSTER_ISSUER ? 'cert-manager.io/cluster-issuer' : 'cert-manager.io/issuer');
        if (own !== undefined && !(ours && own === cm.issuer)) {
          fail(this, `annotations["${key}"]`, own, `names an issuer for cert-manager, but tls (IngressTls.certManager) already ${cm.createCertificate
            ? `writes a Certificate from issuer ${JSON.stringify(cm.issuer)} for Secret ${secretName}: cert-manager's ingress-shim would request a second one for the same Secret`
            : `sets ${kind === CertManagerIssuerKind.CLUSTER_ISSUER ? 'cert-manager.io/cluster-issuer' : 'cert-manager.io/issuer'} to ${JSON.stringify(cm.issuer)}`}`,
          'name the issuer in IngressTls.certManager({ issuer, issuerKind }) only, and remove the annotation');
        }
      }
      if (!cm.createCertificate) annotations[kind === CertManagerIssuerKind.CLUSTER_ISSUER ? 'cert-manager.io/cluster-issuer' : 'cert-manager.io/issuer'] = cm.issuer;
      if (cm.http01Solver ?? true) {
        // the solver answers the CA's HTTP request, relayed by the ingress controller (cert-manager's own self check
        // takes the same way, through the host's address), on 8089 and no other port: only the controller reaches it
        this.acmeSolverPolicy = new ApiObject(this, 'AcmeSolverPolicy', {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'NetworkPolicy',
          metadata: {
            name: `${this.name}-acme-solver`,
            namespace: this.namespace,
            labels: { 'app.kubernetes.io/name': this.name, 'app.kubernetes.io/instance': this.name, 'app.kubernetes.io/component': 'acme-solver', 'app.kubernetes.io/managed-by': 'shipshape' },
          },
          spec: Lazy.any({
            produce: () => ({
              podSelector: { matchLabels: { [ACME_SOLVER_LABEL]: 'true' } },
              policyTypes: ['Ingress'],
              ingress: [{ from: [renderPeer(this.controller.toNetworkPeer(), this.namespace)], ports: [{ port: 8089, protocol: 'TCP' }] }],
            } satisfies networkingv1.NetworkPolicySpec),
          }),
        } satisfies networkingv1.NetworkPolicy);
      }
    }
    if (aws) {
      const a = aws;
      if (vpcCidr !== undefined) {
        // the given value, or the cluster's (a hand-written profile may hold anything): named as where it came from
        const prop = a.vpcCidr !== undefined ? 'aws.vpcCidr' : 'ClusterProfile.vpcCidr';
        if (typeof vpcCidr !== 'string' || vpcCidr.includes(':') || !vpcCidr.includes('/')) {
          fail(this, prop, vpcCidr, 'must be an IPv4 CIDR', 'use the VPC CIDR, for example "10.0.0.0/16"');
        }
        Validators.cidr(this, prop, vpcCidr);
      }
      const tlsOn = !!props.tls;
      generated('alb.ingress.kubernetes.io/scheme', a.scheme ?? AlbScheme.INTERNAL, 'aws.scheme');
      generated('alb.ingress.kubernetes.io/target-type', a.targetType ?? AlbTargetType.IP, 'aws.targetType');
      this.instanceTargets = a.targetType === AlbTargetType.INSTANCE;
      generated('alb.ingress.kubernetes.io/listen-ports', tlsOn ? '[{"HTTP": 80}, {"HTTPS": 443}]' : '[{"HTTP": 80}]', 'tls (HTTP 80, and HTTPS 443 with TLS)');
      if (tlsOn) {
        generated('alb.ingress.kubernetes.io/ssl-policy', a.sslPolicy ?? 'ELBSecurityPolicy-TLS13-1-2-2021-06', 'aws.sslPolicy');
        if (a.sslRedirect ?? true) generated('alb.ingress.kubernetes.io/ssl-redirect', '443', 'aws.sslRedirect');
      } else if (a.sslRedirect) {
        fail(this, 'aws.sslRedirect', true, 'needs TLS: there is no HTTPS listener to redirect to', 'set tls, or drop sslRedirect');
      }
      if (props.tls?.kind === 'acm' && props.tls.certificateArn !== undefined) generated('alb.ingress.kubernetes.io/certificate-arn', props.tls.certificateArn, "tls (IngressTls.acm('arn:...'))");
      if (a.groupName) generated('alb.ingress.kubernetes.io/group.name', Names.dnsLabel(this, 'aws.groupName', a.groupName, 63), 'aws.groupName');
      // a health check path the user gave the Ingress is theirs: a Service annotation would take precedence over it
      this.albHealthChecks = annotations['alb.ingress.kubernetes.io/healthcheck-path'] === undefined;
    }
    if (props.controller?.toNetworkPeer().ports?.length) {
      fail(this, 'controller', props.controller.toNetworkPeer().description, 'is declared with ports, but the ingress admits the controller on each backend\'s own port',
        'declare the controller peer without ports');
    }
    // without a cluster that lists its ingress classes, the default peer is the ingress-nginx controller: another class's
    // controller (Traefik, Contour, HAProxy...) would be blocked by every backend's NetworkPolicy, and nothing would say so
    const knownClasses = cluster?.ingressClasses !== undefined && cluster.ingressClasses.length > 0;
    if (props.controller === undefined && !aws && !knownClasses && props.ingressClassName !== undefined && props.ingressClassName !== 'nginx') {
      const name = props.ingressClassName;
      const why = 'is not "nginx", yet without controller the backends admit only the ingress-nginx controller pods '
        + '(namespace ingress-nginx, label app.kubernetes.io/name: ingress-nginx), so the controller of this class would be refused by every backend\'s NetworkPolicy';
      const namePods = 'name its pods: controller: NetworkPeer.ingressController(\'<its namespace>\', { \'app.kubernetes.io/name\': \'<its name label>\' })';
      const typo = name.toLowerCase() !== 'nginx' && Validators._editDistance(name.toLowerCase(), 'nginx') <= 2;
      const alb = /(^|-)alb($|-)/i.test(name);
      const fix = typo
        ? `did you mean "nginx"? An Ingress of a class no controller serves is never served; ${namePods} if "${name}" is a class of its own`
        : alb && cluster !== undefined
          ? `the profile of cluster ${cluster.clusterName} lists no ingress class: install the AWS Load Balancer Controller with the cluster (EksCluster.addLoadBalancerController(), `
            + 'whose profile then lists the alb class and its pods; call it before creating this ingress, which reads the cluster\'s ingress classes when it is created), or ' + namePods
          : cluster !== undefined
            ? `${namePods}, or list the class in the ingressClasses of the profile of cluster ${cluster.clusterName} (where its controller runs)`
            : `${namePods}, or give the app its cluster's profile, whose ingress classes say where each controller runs`;
      fail(this, 'ingressClassName', name, why, fix);
    }
    this.controller = props.controller ?? (aws
      ? NetworkPeer.cidr(vpcCidr!) // checked above: set whenever aws is and no controller is given
      : clusterClass
        ? NetworkPeer.ingressController(clusterClass.controllerNamespace ?? 'kube-system', clusterClass.controllerPodLabels ?? { 'app.kubernetes.io/name': clusterClass.name })
        : NetworkPeer.ingressController('ingress-nginx', { 'app.kubernetes.io/name': 'ingress-nginx' }));

    this.ingress = new ApiObject(this, 'Ingress', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: {
        name: this.name,
        namespace: this.namespace,
        labels: { 'app.kubernetes.io/name': this.name, 'app.kubernetes.io/instance': this.name, 'app.kubernetes.io/managed-by': 'shipshape' },
        ...(Object.keys(annotations).length ? { annotations } : {}),
      },
      spec: Lazy.any({ produce: () => this.renderSpec(secretName) }),
    } satisfies networkingv1.Ingress);

    (props.rules ?? []).forEach((r, i) => {
      if (!r.paths || r.paths.length === 0) fail(this, `rules[${i}].paths`, r.paths, 'must hold at least one path', 'add { backend: service }');
      r.paths.forEach((p, j) => this.add(`rules[${i}].paths[${j}]`, r.host, p, `rules[${i}].host`));
    });
    this.node.addValidation({ validate: () => this.routes.length ? [] : [`${this.node.path}: rules ([]) must route at least one host and path; add rules or call addPath`] });
    this.node.addValidation({ validate: () => this.istioUpstreamProblems(annotations) });
    if (cluster !== undefined) {
      // the ingress chose its class, controller peer and ALB settings from the cluster's ingress classes as they were
      // when it was created; a class added later (addLoadBalancerController() called after it) that would change them
      // is not what it wrote
      const chosen = clusterClass;
      const wrote = { name: this.ingressClassName, alb: aws !== undefined, peer: this.controller.toNetworkPeer().description };
      this.node.addValidation({
        validate: () => {
          const now = cluster.ingressClasses?.find(c => (props.ingressClassName !== undefined ? c.name === props.ingressClassName : c.isDefault));
          if (now === undefined || now.name === chosen?.name) return [];
          const alb = props.aws !== undefined || /\/alb$/.test(now.controller);
          const peer = props.controller !== undefined || alb ? wrote.peer
            : NetworkPeer.ingressController(now.controllerNamespace ?? 'kube-system', now.controllerPodLabels ?? { 'app.kubernetes.io/name': now.name }).toNetworkPeer().description;
          if (now.name === wrote.name && alb === wrote.alb && peer === wrote.peer) return [];
          return [`${this.node.path}: was created before cluster ${cluster.clusterName}'s ingress class ${now.name} (${now.controller}) was added, so it wrote class `
            + `${wrote.name}${wrote.alb ? ' (an ALB)' : ''} with the controller ${wrote.peer} from the classes the cluster had then, where it would now take class ${now.name}; `
            + 'create the ingress after the class is added (call addLoadBalancerController(), or add the class to the profile, before new HttpIngress)'];
        },
      });
    }
    if (cm?.http01Solver === true) {
      this.node.addValidation({
        validate: () => {
          const hosts = this.hosts();
          if (hosts.length === 0 || hosts.some(h => !h.startsWith('*.'))) return [];
          return [`${this.node.path}: tls http01Solver (true) prepares cert-manager's ACME HTTP-01 challenge, but every host of the ingress (${hosts.join(', ')}) is a wildcard, `
            + "which an ACME CA such as Let's Encrypt issues over the DNS-01 challenge only; solve DNS-01 in the issuer and set http01Solver: false"];
        },
      });
    }
  }

  /**
   * A meshed ingress-nginx (controller declared `meshed: true`) in front of Istio-enrolled backends: ingress-nginx
   * sends to pod addresses with the client's Host header, which its Envoy sidecar matches to no service, so the
   * request leaves as plaintext and the backend's STRICT mTLS refuses it. It must send to the Service
   * (`service-upstream`) under the Service's own host name (`upstream-vhost`); one host name per Ingress, so one
   * backend Service per HttpIngress.
   */
  private istioUpstreamProblems(annotations: { [key: string]: string }): string[] {
    const peer = this.controller.toNetworkPeer();
    if (peer.plaintext !== false || peer.cidr !== undefined || this.ingressClassName !== 'nginx') return [];
    const istio = this.routes.filter(r => !r.imported && (r.backend as any)[MESH_ENROLMENT] === 'istio');
    if (istio.length === 0) return [];
    const backends = [...new Set(this.routes.map(r => r.backend))];
    const head = `${this.node.path}: controller (${peer.description}) reaches ${istio[0].backend.node.path}, which is enrolled in Istio: ingress-nginx sends to pod addresses `
      + 'with the client\'s Host header, which its Istio sidecar matches to no service, so requests leave as plaintext and the backend\'s STRICT mTLS refuses them';
    if (backends.length > 1) {
      return [`${head}; the fix, sending to the Service under its own host name (annotation nginx.ingress.kubernetes.io/upstream-vhost), holds one backend Service per Ingress, `
        + `and this one routes to ${backends.length} (${backends.map(b => b.name).join(', ')}): give each backend Service its own HttpIngress`];
    }
    // the host name the mesh knows the Service by (its cluster domain), as its enrolment recorded it
    const recorded = (backends[0] as any)[MESH_SERVICE_HOST];
    const vhost = typeof recorded === 'string' ? recorded : `${backends[0].name}.${this.namespace}.svc.cluster.local`;
    const want = { 'nginx.ingress.kubernetes.io/service-upstream': 'true', 'nginx.ingress.kubernetes.io/upstream-vhost': vhost };
    const missing = Object.entries(want).filter(([k, v]) => annotations[k] !== v);
    if (missing.length === 0) return [];
    return [`${head}; set annotations: { ${Object.entries(want).map(([k, v]) => `'${k}': '${v}'`).join(', ')} } (ingress-nginx then sends to the Service, `
      + 'which the sidecar routes with mutual TLS)'];
  }

  /**
   * Routes `path` of `host` to a WebService.
   */
  public addPath(host: string, path: IngressPath): void {
    this.add(`addPath(${JSON.stringify(host)})`, host, path, 'host');
  }

  /** The hosts, in the order they were added. */
  public hosts(): string[] {
    return [...new Set(this.routes.map(r => r.host))];
  }

  private add(prop: string, host: string, given: IngressPath, hostProp: string): void {
    // a construct wrapping a WebService (returning its toNetworkPeer()) is that WebService here
    const p: IngressPath = { ...given, backend: TrafficChecks.backendWorkload(given.backend) };
    TrafficChecks.hostname(this, hostProp, host);
    const path = p.path ?? '/';
    if (!path.startsWith('/')) fail(this, `${prop}.path`, path, "must start with '/'", `write it as ${JSON.stringify('/' + path)}`);
    const pathType = p.pathType ?? IngressPathType.PREFIX;
    if (pathType === IngressPathType.PREFIX || pathType === IngressPathType.EXACT) {
      TrafficChecks.ingressPath(this, `${prop}.path`, path, pathType);
      if (this.ingressNginx) this.checkIngressNginxPath(`${prop}.path`, path, pathType);
    } else if (this.ingressNginx && !this.nginxRegex && REGEX_CHARACTER.test(path)) {
      // without use-regex, ingress-nginx matches an ImplementationSpecific path as a literal prefix: "/api/(.*)" matches nothing
      const c = REGEX_CHARACTER.exec(path)![0];
      fail(this, `${prop}.path`, path, `holds ${JSON.stringify(c)}, a regular expression character, but without the annotation nginx.ingress.kubernetes.io/use-regex: "true" `
        + `ingress-nginx (ingress class ${JSON.stringify(this.ingressClassName)}) matches the path literally, as a prefix, so no request would match it`,
      "add annotations: { 'nginx.ingress.kubernetes.io/use-regex': 'true' } (ingress-nginx then reads every path of the host as a regular expression, "
        + 'in every Ingress of the class), or write the path without it');
    }
    const prefixKey = TrafficChecks.prefixKey(path);
    // one path with two types is two routes (an Exact match takes precedence over a Prefix one, as the Ingress API says);
    // an ImplementationSpecific path may mean either, so it takes its path from the others
    const dup = this.routes.find(r => r.host === host && (r.pathType === pathType || r.pathType === IngressPathType.IMPLEMENTATION_SPECIFIC || pathType === IngressPathType.IMPLEMENTATION_SPECIFIC)
      && (r.path === path || (r.pathType === IngressPathType.PREFIX && pathType === IngressPathType.PREFIX && TrafficChecks.prefixKey(r.path) === prefixKey)));
    if (dup) {
      // the value shown is the path as written (unset: the default "/"); the host is named in the problem
      const what = p.path === undefined ? `is unset, so it is "/", which is already routed on ${host}` : `is already routed on ${host}`;
      const same = dup.path === path ? '' : ` as ${JSON.stringify(dup.path)} (a Prefix match ignores a trailing '/')`;
      fail(this, `${prop}.path`, p.path, `${what}${same} (to ${dup.backend.name}): each host and path may appear once`, 'remove one of the two paths, or change its host or path');
    }
    const cm = this.tls?.certManagerOptions;
    if (host.startsWith('*.') && cm && cm.http01Solver === undefined) {
      fail(this, hostProp, host, "is a wildcard, which an ACME CA such as Let's Encrypt issues over the DNS-01 challenge only, not over the HTTP-01 "
        + 'challenge this ingress prepares for cert-manager by default (tls http01Solver, default true)',
      'solve DNS-01 for the wildcard in the issuer and say so with IngressTls.certManager({ ..., http01Solver: false }) (also right for a non-ACME issuer: CA, Vault, self-signed), '
        + 'or set http01Solver: true explicitly if the issuer has an HTTP-01 solver for the other hosts and a DNS-01 solver for the wildcard');
    }
    const { servicePort, targetPort } = TrafficChecks.backend(this, prop, p.backend, this.namespace, p.port);
    const imported = TrafficChecks.isImported(p.backend);
    const unchecked = !imported && !TrafficChecks.inApp(this, p.backend, servicePort);
    TrafficChecks.checkImportMix(this, `${prop}.backend`, p.backend, imported, unchecked, this.routes,
      { rule: BACKENDS_EXIST_RULE, noun: 'ingress', object: 'Ingress', construct: 'HttpIngress' });
    this.routes.push({ host, path, pathType, backend: p.backend, servicePort, imported, unchecked });
    if (this.instanceTargets && !imported) {
      fail(this, 'aws.targetType', AlbTargetType.INSTANCE, `reaches targets through a NodePort, but ${p.backend.node.path}'s Service is a ClusterIP Service, which has none: `
        + 'the controller registers no target and the ALB answers 503', 'leave targetType out (ip targets reach the pods directly)');
    }
    if (imported) {
      // no NetworkPolicy rule: the Service's pods are their owner's (see WebService.fromServiceAttributes)
      this.suppressImportedBackends();
      return;
    }
    const key = `${p.backend.node.path}|${targetPort}`;
    if (!this.admitted.has(key)) {
      this.admitted.add(key);
      const backend = p.backend as any;
      if (typeof backend.allowFrom === 'function') backend.allowFrom(this.controller, [targetPort]);
      // the ALB checks each target's health with GET / unless told otherwise; a WebService answers its readiness path
      // (/readyz by default), and "/" may well be a 404: the targets would stay unhealthy and the ALB answer 502/503.
      // On the backend's Service, where the AWS Load Balancer Controller reads it per target group.
      const readiness = typeof backend._readinessHttpPath === 'function' ? backend._readinessHttpPath() : undefined;
      if (this.albHealthChecks && readiness !== undefined && ApiObject.isApiObject(backend.service)) {
        (backend.service as ApiObject).metadata.addAnnotation('alb.ingress.kubernetes.io/healthcheck-path', readiness);
      }
    }
  }

  /**
   * Refuses a Prefix or Exact path that ingress-nginx's admission webhook refuses (strict-validate-path-type, on by
   * default since controller v1.12): a character other than letters, digits, '.', '_', '-' and '/', most often a
   * regular expression written with the default pathType.
   */
  private checkIngressNginxPath(prop: string, path: string, pathType: IngressPathType): void {
    if (INGRESS_NGINX_STRICT_PATH.test(path)) return;
    const aType = `${pathType === IngressPathType.EXACT ? 'an' : 'a'} ${pathType} path`;
    const refused = `ingress-nginx (ingress class ${JSON.stringify(this.ingressClassName)}) refuses any character but letters, digits, '.', '_', '-' and '/' in ${aType} `
      + `(its admission webhook answers "path ${path} cannot be used with pathType ${pathType}"; strict-validate-path-type, on by default since controller v1.12)`;
    const regex = REGEX_CHARACTER.exec(path);
    if (regex) {
      const literal = path.slice(0, regex.index);
      const below = literal.slice(0, literal.lastIndexOf('/') + 1);
      fail(this, prop, path, `holds ${JSON.stringify(regex[0])}, a regular expression character, but ${aType} is never a regular expression, and ${refused}`,
        "for a regular expression set pathType: IngressPathType.IMPLEMENTATION_SPECIFIC and annotations: { 'nginx.ingress.kubernetes.io/use-regex': 'true' } "
        + '(ingress-nginx then reads every path of the host as a regular expression, in every Ingress of the class)'
        + (below.length > 1 ? `; for everything below ${below}, write path ${JSON.stringify(below)} with pathType Prefix` : ''));
    }
    const bad = [...path].find(c => !/[A-Za-z0-9._\-/]/.test(c))!;
    fail(this, prop, path, `holds ${JSON.stringify(bad)}, and ${refused}`,
      `set pathType: IngressPathType.IMPLEMENTATION_SPECIFIC (ingress-nginx matches such a path as a prefix), or write the path without ${JSON.stringify(bad)}`);
  }

  /**
   * Suppresses SS-K8S-054 on the Ingress, with a reason naming every imported backend Service (written as the
   * annotation `suppress.shipshape.io/SS-K8S-054`, read at synth and by `shipshape check` alike; rewritten as
   * imports are added). The user's own annotation of that rule is left as it is.
   */
  private suppressImportedBackends(): void {
    if (this.ownBackendSuppression) return;
    const names = [...new Set(this.routes.filter(r => r.imported).map(r => r.backend.name))];
    this.ingress.metadata.addAnnotation(BACKENDS_EXIST_SUPPRESSION, TrafficChecks.importedBackendsReason(names, this.namespace));
  }

  private renderSpec(secretName: string | undefined): networkingv1.IngressSpec {
    const rules = this.hosts().map(host => ({
      host,
      http: {
        paths: this.routes.filter(r => r.host === host).map(r => ({
          path: r.path,
          pathType: r.pathType,
          backend: { service: { name: r.backend.name, port: { number: r.servicePort } } },
        } satisfies networkingv1.HTTPIngressPath)),
      },
    } satisfies networkingv1.IngressRule));
    const spec: networkingv1.IngressSpec = { ingressClassName: this.ingressClassName, rules };
    if (this.tls) {
      spec.tls = [{ hosts: this.hosts(), ...(secretName ? { secretName } satisfies networkingv1.IngressTLS : {}) }];
    }
    return spec;
  }
}
