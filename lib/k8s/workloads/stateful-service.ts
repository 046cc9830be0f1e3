import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import type * as appsv1 from 'kubernetes-types/apps/v1';
import type * as corev1 from 'kubernetes-types/core/v1';
import type * as metav1 from 'kubernetes-types/meta/v1';
import { checkBoolean, checkDuration, checkEnum, checkObjectList, checkPort, checkPorts, checkServiceName, checkTimeZone, checkWhole, renderProbes, warnClockChange } from './checks';
import { Schedule } from './cron';
import { ContainerPort } from './env';
import { checkServerDefaults } from './known-images';
import { Probe } from './probe';
import { BackupOptions, ClaimRetention, PodManagementPolicy, VolumeAccessMode, VolumeClaim } from './storage';
import { IWorkload, Workload, WorkloadProps } from './workload';
import { fail, warn } from '../../core/errors';
import { RecommendedLabels } from '../../core/labels';
import { Names } from '../../core/names';
import { EnvironmentProfile, Profiles } from '../../core/profile';
import { MemoryQuantity } from '../../core/quantity';
import { Validators } from '../../core/validators';
import { ClusterContext } from '../cluster-context';

/** The IANA names of UTC (the zone and its aliases), for which a backup schedule needs no `CRON_TZ=` prefix. */
const UTC_NAMES = ['UTC', 'Etc/UTC', 'Etc/UCT', 'UCT', 'Etc/Universal', 'Universal', 'Etc/Zulu', 'Zulu'];

/** The backup a Velero Schedule makes (velero.io/v1 `Schedule.spec.template`, the fields shipshape writes). */
interface VeleroBackupTemplate {
  includedNamespaces?: string[];
  labelSelector?: metav1.LabelSelector;
  ttl?: string;
  snapshotVolumes?: boolean;
  storageLocation?: string;
  defaultVolumesToFsBackup?: boolean;
}

/** A Velero Schedule (velero.io/v1; a custom resource, not among the built-in Kubernetes types). */
interface VeleroSchedule {
  apiVersion: 'velero.io/v1';
  kind: 'Schedule';
  metadata?: metav1.ObjectMeta;
  spec: { schedule: string; template: VeleroBackupTemplate };
}

/**
 * Properties of a StatefulService.
 */
export interface StatefulServiceProps extends WorkloadProps {
  /**
   * The port clients connect to (1024-65535).
   * @default 8080
   */
  readonly port?: number;
  /**
   * The name of the client port (IANA service name).
   * @default "client"
   */
  readonly portName?: string;
  /**
   * The port the client Service exposes.
   * @default - the same as `port`
   */
  readonly servicePort?: number;
  /**
   * Ports the replicas use among themselves (replication, gossip, consensus). They are published on the headless
   * Service only, and only the replicas themselves may reach them.
   * @default - none
   */
  readonly peerPorts?: ContainerPort[];
  /**
   * More ports callers may reach besides `port`: a metrics exporter, an admin API, a separate health endpoint. The
   * client Service and the headless Service publish each under its own name and number, and whoever `allowFrom`
   * admits may reach them, as `port`.
   * @default - none
   */
  readonly extraPorts?: ContainerPort[];
  /**
   * The number of replicas. Several replicas of a server that does not replicate by itself are separate stores behind
   * one Service: for the official PostgreSQL, MySQL, MariaDB, MongoDB, Redis and Valkey images, leaving this unset
   * where the default is more than 1 is refused (set `replicas: 1` and `spread: false`, or the count your replicated
   * setup runs).
   * @default - 3 in production and staging, 1 in development
   */
  readonly replicas?: number;
  /**
   * The replicas form a quorum (etcd, ZooKeeper, Raft-based stores): an even replica count is then an error,
   * because it tolerates no more failures than the odd count below it. When unset, an even count (2 or more)
   * produces a warning; `false` silences it.
   * @default - not declared (even counts warn)
   */
  readonly quorum?: boolean;
  /**
   * Persistent volumes, one set per replica (`volumeClaimTemplates`).
   * @default - no persistent volumes
   */
  readonly volumes?: VolumeClaim[];
  /**
   * What happens to the volume claims when the StatefulSet is deleted.
   * @default ClaimRetention.RETAIN
   */
  readonly claimsWhenDeleted?: ClaimRetention;
  /**
   * What happens to the volume claims of removed replicas when the StatefulSet scales down.
   * @default ClaimRetention.RETAIN
   */
  readonly claimsWhenScaled?: ClaimRetention;
  /**
   * Start and stop replicas one at a time in order, or all at once. Fixed once the StatefulSet exists (the API server
   * refuses a change): choose it before the first deployment.
   * @default PodManagementPolicy.ORDERED_READY
   */
  readonly podManagementPolicy?: PodManagementPolicy;
  /**
   * Rolling-update partition: only replicas with an ordinal at or above it are updated. Set it to `replicas - 1`
   * to canary a new version on the last replica only, then lower it to 0.
   * @default 0
   */
  readonly partition?: number;
  /**
   * Seconds a new replica must be ready before it counts as available (and the roll-out moves on).
   * @default 10
   */
  readonly minReadySeconds?: number;
  /**
   * Publish not-ready replicas on the headless Service, so that peers can find each other while they start
   * (needed by most clustered stores to form a cluster). The client Service only ever routes to ready replicas.
   * @default true
   */
  readonly publishNotReadyAddresses?: boolean;
  /**
   * Readiness probe. The default suits a store that answers HTTP on its client port (etcd); a database or queue
   * that speaks its own protocol there needs its own probes, for example `Probe.exec(['pg_isready', '-q'])` for
   * readiness and `Probe.tcp()` for liveness: an HTTP probe on such a port never passes. Enrolled in a LinkerdMesh, a
   * TCP probe checks nothing (the Linkerd proxy accepts the connection itself; see `Probe.tcp`): probe with a command
   * there, for liveness too, and a gRPC probe on the client port is refused (Linkerd authorizes HTTP probes only).
   * Leaving `readiness` or `liveness` unset is refused where the image is an official server image shipshape knows
   * (PostgreSQL, MySQL, MariaDB, MongoDB, Redis, Valkey, RabbitMQ) or the port is a well-known non-HTTP server port
   * (2181, 3306, 4222, 5432, 5672, 6379, 9042, 9092, 11211, 27017); the message suggests probes for the server.
   * @default Probe.http('/readyz') on the client port
   */
  readonly readiness?: Probe;
  /**
   * Liveness probe; must differ from the readiness probe (see `readiness` for stores that do not speak HTTP).
   * @default Probe.http('/livez') on the client port
   */
  readonly liveness?: Probe;
  /**
   * Startup probe for slow starters (recovery after a crash can take long): liveness counts only once it has
   * passed. A store whose first start or recovery does not listen on its port yet (PostgreSQL's initdb) needs one,
   * or liveness restarts it before it is up.
   * @default - no startup probe
   */
  readonly startup?: Probe;
  /**
   * Seconds Kubernetes waits after SIGTERM before killing a replica (time to flush and leave the cluster).
   * @default 60
   */
  readonly terminationGracePeriodSeconds?: number;
  /**
   * Create a PodDisruptionBudget (maxUnavailable 1).
   * @default - true in production and staging, false in development
   */
  readonly disruptionBudget?: boolean;
  /**
   * Place one replica per host (required anti-affinity) and spread replicas across zones (topology spread).
   *
   * `replicas: 1` with `spread: false` runs a single instance on purpose, for a store that does not replicate itself
   * (several replicas would be separate stores behind one Service): accepted in production, where a workload otherwise
   * needs a replica per zone of the cluster, with a note at synth that a node or zone outage stops it.
   * @default - true in production and staging, false in development
   */
  readonly spread?: boolean;
  /**
   * A Velero backup schedule for the workload's objects and volumes. Velero must be installed in the cluster (the
   * Schedule goes in its namespace); without it the Schedule is refused as an unknown kind, or, with its CRD but no
   * server, nothing backs up.
   * @default - no backup schedule
   */
  readonly backup?: BackupOptions;
}

/**
 * A stateful service as seen by other constructs.
 */
export interface IStatefulService extends IWorkload {
  /** The client port. */
  readonly port: number;
  /** The client Service's port. */
  readonly servicePort: number;
  /** The headless Service's name (replica `i` is reachable at `<name>-<i>.<headless>.<namespace>.svc`). */
  readonly headlessServiceName: string;
}

/** The pod annotation naming the volumes Velero's file-system backup leaves out. */
const VELERO_EXCLUDES = 'backup.velero.io/backup-volumes-excludes';

/**
 * The emptyDir volumes a mesh's injector adds to an enrolled pod, which Velero's file-system backup would take: Istio's
 * proxy state and workload certificates, Linkerd's proxy identity (its private key) and iptables lock.
 */
const MESH_VOLUMES: { readonly [mesh: string]: string[] } = {
  istio: ['istio-envoy', 'istio-data', 'workload-socket', 'credential-socket', 'workload-certs'],
  linkerd: ['linkerd-identity-end-entity', 'linkerd-proxy-init-xtables-lock'],
};

/** The mesh whose proxy the pod template asks for (by the labels and annotations an enrolment writes), or undefined. */
function injectedMesh(t: corev1.PodTemplateSpec): string | undefined {
  const labels = t.metadata?.labels ?? {};
  const annotations = t.metadata?.annotations ?? {};
  const keys = [...Object.keys(labels), ...Object.keys(annotations)];
  if (labels['sidecar.istio.io/inject'] !== 'false' && keys.some(k => k.startsWith('sidecar.istio.io/'))) return 'istio';
  if (annotations['linkerd.io/inject'] === 'enabled' || keys.some(k => k.startsWith('config.linkerd.io/'))) return 'linkerd';
  return undefined;
}

/**
 * Adds the pod template's emptyDir volumes, and those a mesh's injector adds to it, to the volumes Velero's
 * file-system backup leaves out.
 */
function excludeScratchFromBackup(t: corev1.PodTemplateSpec): void {
  const mesh = injectedMesh(t);
  const scratch = [...(t.spec?.volumes ?? []).filter(v => v.emptyDir !== undefined).map(v => v.name), ...(mesh ? MESH_VOLUMES[mesh] : [])];
  if (scratch.length === 0) return;
  const annotations = { ...t.metadata?.annotations };
  const listed = (annotations[VELERO_EXCLUDES] ?? '').split(',').map(x => x.trim()).filter(x => x !== '');
  annotations[VELERO_EXCLUDES] = [...new Set([...listed, ...scratch])].join(',');
  t.metadata = { ...t.metadata, annotations };
}

/**
 * A replicated stateful service (a database, a queue, a consensus store), production-grade by default:
 * StatefulSet with per-replica volumes, headless Service for peer discovery, client Service, ServiceAccount (no token),
 * PodDisruptionBudget (maxUnavailable 1), NetworkPolicy (replicas may talk to each other; clients are declared with
 * `allowFrom`), one replica per host and spread across zones, and an optional Velero backup schedule.
 *
 * The StatefulSet's name (by default the construct id) names its volume claims (`<volume>-<name>-<i>`): renaming the
 * construct renames them, and the StatefulSet starts on new, empty volumes (the old claims are kept: `claimsWhenDeleted`
 * defaults to retain). Set `name` before you move or rename the construct, and delete the claims of a removed
 * StatefulService yourself once its data is no longer needed.
 *
 * Once the StatefulSet exists, the API server accepts changes to its replicas, pod template, update strategy,
 * `minReadySeconds` and claim retention only: a new volume size, storage class, volume or `podManagementPolicy` is
 * refused on apply (see `VolumeClaim.size` for growing volumes). The claim templates carry only the selector labels,
 * the component and the manager label, so `labels`, `partOf` and image upgrades never touch them.
 *
 * @example
 * // PostgreSQL: it does not answer HTTP on its port, so it brings its own probes; its password comes from a Secret
 * // file; the root filesystem is read-only, so the socket directory is writable, and /tmp stays writable (the list
 * // replaces the default ["/tmp"]; the image's entrypoint writes there to run as a user its /etc/passwd lacks)
 * new k8s.StatefulService(chart, 'db', {
 *   image: 'postgres:16.4', // pin a digest (postgres:16.4@sha256:...) to pass SS-K8S-030
 *   port: 5432,
 *   // one server, which does not replicate itself: one instance on purpose (accepted in production, with a note)
 *   replicas: 1,
 *   spread: false,
 *   volumes: [{ name: 'data', size: '50Gi', mountPath: '/var/lib/postgresql/data' }],
 *   security: { writablePaths: ['/tmp', '/var/run/postgresql'] },
 *   secretMounts: [{ secretName: 'db-credentials', mountPath: '/etc/db' }],
 *   env: {
 *     POSTGRES_PASSWORD_FILE: k8s.EnvValue.fromValue('/etc/db/password'),
 *     PGDATA: k8s.EnvValue.fromValue('/var/lib/postgresql/data/pgdata'),
 *   },
 *   readiness: k8s.Probe.exec(['pg_isready', '-q', '-h', '127.0.0.1']),
 *   liveness: k8s.Probe.tcp(),
 *   // the first start (initdb) and crash recovery listen on the socket only: up to 10 minutes before liveness counts
 *   startup: k8s.Probe.tcp({ periodSeconds: 10, failureThreshold: 60 }),
 *   backup: { schedule: k8s.Schedule.cron('0 2 * * *') },
 * });
 */
export class StatefulService extends Workload implements IStatefulService {
  public readonly port: number;
  public readonly portName: string;
  public readonly servicePort: number;
  public readonly headlessServiceName: string;
  /** The replica count. */
  public readonly replicas: number;
  /** One instance on purpose (`replicas: 1`, `spread: false`). */
  private readonly singleInstance: boolean;
  /** The replicas form a quorum (`quorum: true`). */
  private readonly isQuorum: boolean;
  /** The StatefulSet. */
  public readonly statefulSet: ApiObject;
  /** The headless Service (`clusterIP: None`) the StatefulSet's pods get their DNS names from. */
  public readonly headlessService: ApiObject;
  /** The client Service (ClusterIP, ready replicas only). */
  public readonly service: ApiObject;
  /**
   * The PodDisruptionBudget.
   * @default - undefined when no PDB is created (development)
   */
  public readonly pdb?: ApiObject;
  /**
   * The Velero Schedule.
   * @default - undefined when no backup is configured
   */
  public readonly backupSchedule?: ApiObject;

  private readonly peerPorts: ContainerPort[];
  private readonly extraPorts: ContainerPort[];
  private readonly claims: VolumeClaim[];
  private appProtocol?: string;

  constructor(scope: Construct, id: string, props: StatefulServiceProps) {
    super(scope, id, props, 'database');
    const defaults = Profiles.availability(this.profile);

    this.port = checkPort(this, 'port', props.port ?? 8080);
    this.portName = Names.portName(this, 'portName', props.portName ?? 'client');
    this.servicePort = checkWhole(this, 'servicePort', props.servicePort ?? this.port, 1, 'use the port your clients expect', 65535);
    this.peerPorts = checkPorts(this, 'peerPorts', props.peerPorts ?? [], [{ name: this.portName, port: this.port, prop: 'port' }]);
    this.extraPorts = checkPorts(this, 'extraPorts', props.extraPorts ?? [], [{ name: this.portName, port: this.port, prop: 'port' },
      ...this.peerPorts.map((p, i) => ({ ...p, prop: `peerPorts[${i}]` }))], "{ name: 'metrics', port: 9187 }");
    this.extraPorts.forEach((p, i) => {
      // the client Service publishes each extra port on its own number, beside servicePort: the API server refuses a
      // Service listing one port number twice
      if (p.port === this.servicePort) {
        fail(this, `extraPorts[${i}].port`, p.port, `is also servicePort, the client Service's port, which publishes extra ports on their own numbers, so it would list ${p.port} twice (the API server refuses that)`,
          `give the extra port another number, or set servicePort to another (the pods listen on port ${this.port})`);
      }
    });
    this.headlessServiceName = `${this.name}-headless`;
    // the StatefulSet controller labels every pod controller-revision-hash: <name>-<hash of up to 10 characters>, and a
    // label value has at most 63 characters: a longer name synthesizes, applies, and never gets a pod
    if (this.name.length > 52) {
      fail(this, 'name', this.name, `is ${this.name.length} characters long: the StatefulSet controller labels each pod controller-revision-hash: "${this.name}-<revision hash>", `
        + 'which would exceed the 63 characters a label value may have, so no pod would ever be created', 'use a name of at most 52 characters');
    }
    checkServiceName(this, this.name, props.name !== undefined, id, 52);
    const podManagementPolicy = checkEnum(this, 'podManagementPolicy', props.podManagementPolicy ?? PodManagementPolicy.ORDERED_READY, PodManagementPolicy, 'PodManagementPolicy');
    const claimsWhenDeleted = checkEnum(this, 'claimsWhenDeleted', props.claimsWhenDeleted ?? ClaimRetention.RETAIN, ClaimRetention, 'ClaimRetention');
    const claimsWhenScaled = checkEnum(this, 'claimsWhenScaled', props.claimsWhenScaled ?? ClaimRetention.RETAIN, ClaimRetention, 'ClaimRetention');
    for (const flag of ['quorum', 'publishNotReadyAddresses', 'disruptionBudget', 'spread'] as const) checkBoolean(this, flag, props[flag]);

    // Replicas and quorum.
    this.replicas = checkWhole(this, 'replicas', props.replicas ?? (this.profile === EnvironmentProfile.DEVELOPMENT ? 1 : 3), 1, 'use 3 (or another odd number) replicas');
    if (this.replicas % 2 === 0) {
      if (props.quorum === true) {
        // one fewer is offered only when production on the app's cluster still takes it (a replica in every zone)
        const cluster = ClusterContext.of(this);
        const zones = cluster !== undefined && this.profile === EnvironmentProfile.PRODUCTION ? cluster.zones?.length ?? 0 : 0;
        fail(this, 'replicas', this.replicas, 'must be odd for a quorum system: an even count tolerates no more failures than one replica fewer',
          this.replicas - 1 >= Math.max(zones, 1) ? `use ${this.replicas + 1} or ${this.replicas - 1} replicas` : `use ${this.replicas + 1} replicas`);
      }
      if (props.quorum === undefined) {
        const warning = `replicas (${this.replicas}) is even: a quorum system (etcd, ZooKeeper, Raft) should run an odd number; set quorum: false to silence this`;
        warn(this, warning);
      }
    }

    // Update behaviour.
    const partition = checkWhole(this, 'partition', props.partition ?? 0, 0, `use 0 to update every replica, or up to ${this.replicas - 1} to canary the last one`);
    if (partition > this.replicas - 1 && partition !== 0) {
      fail(this, 'partition', partition, `must be at most replicas - 1 (${this.replicas - 1}), or the update reaches no replica`, `use ${this.replicas - 1} to canary the last replica`);
    }
    const minReady = checkWhole(this, 'minReadySeconds', props.minReadySeconds ?? 10, 0, 'use a whole number of seconds, for example 10');
    const grace = checkWhole(this, 'terminationGracePeriodSeconds', props.terminationGracePeriodSeconds ?? 60, 1, 'use for example 60');

    // Storage.
    this.claims = this.checkClaims(checkObjectList(this, 'volumes', props.volumes, "{ name: 'data', size: '10Gi', mountPath: '/var/lib/data' }"));

    const spread = props.spread ?? defaults.spread;
    // with a known cluster, claims that name no class get the cluster's default class by name
    const defaultClass = ClusterContext.of(this)?.storageClasses?.find(sc => sc.isDefault)?.name;
    // volumeClaimTemplates cannot change once the StatefulSet exists (the API server refuses the update): the claims
    // carry only labels that never change while the StatefulSet keeps its name (the selector labels, the component,
    // the manager), not the version (it follows the image tag), `labels` or `partOf`
    const claimLabels = {
      ...this.selectorLabels,
      [RecommendedLabels.COMPONENT]: this.labels[RecommendedLabels.COMPONENT],
      [RecommendedLabels.MANAGED_BY]: RecommendedLabels.MANAGER,
    };
    const podTemplate = () => {
      const t = this._renderPodTemplate({
        terminationGracePeriodSeconds: grace,
        extraPodSpec: spread ? this.spreadSpec() : undefined,
        extraMounts: this.claims.map(c => ({ name: c.name, mountPath: c.mountPath } satisfies corev1.VolumeMount)),
        extraMountProps: this.claims.map((_, i) => `volumes[${i}].mountPath`),
      });
      // Velero's file-system backup takes every pod volume it is not told to leave out, the scratch emptyDirs
      // (writable paths such as /tmp) included: they hold nothing to restore; nor do the mesh proxy's, and Linkerd's
      // holds the proxy's private key
      if (props.backup?.fileSystemBackup) excludeScratchFromBackup(t);
      return t;
    };
    // Validate the pod (resources, mounts, env, probes) now, so bad input fails at construction.
    podTemplate();
    // defaults that cannot work with the server the image runs (HTTP probes on a database port, ...)
    const writable = props.security?.readOnlyRootFilesystem === false ? undefined
      : [...(Array.isArray(props.security?.writablePaths) ? props.security!.writablePaths : ['/tmp']), ...this.claims.map(c => c.mountPath)];
    checkServerDefaults(this, {
      image: this.image,
      port: this.port,
      readinessGiven: props.readiness !== undefined,
      livenessGiven: props.liveness !== undefined,
      replicasGiven: props.replicas !== undefined,
      replicas: this.replicas,
      writable,
      writablePaths: Array.isArray(props.security?.writablePaths) ? props.security!.writablePaths : undefined,
      env: Object.keys(props.env ?? {}),
      envFromElsewhere: (props.envFromConfigMaps ?? []).length > 0 || props.command !== undefined,
      args: Array.isArray(props.args) ? props.args : [],
      volumes: this.claims.map(c => c.mountPath),
    });

    const development = this.profile === EnvironmentProfile.DEVELOPMENT;
    this.statefulSet = new ApiObject(this, 'StatefulSet', {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      // The development profile's choices (one replica, no PDB, no spread) are told to the availability rules.
      metadata: this._metadata({ annotations: development ? { 'shipshape.io/profile': 'development' } : undefined }),
      spec: Lazy.any({
        produce: () => ({
          serviceName: this.headlessServiceName,
          replicas: this.replicas,
          podManagementPolicy,
          updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition } },
          minReadySeconds: minReady,
          revisionHistoryLimit: 5,
          selector: { matchLabels: { ...this.selectorLabels } },
          persistentVolumeClaimRetentionPolicy: {
            whenDeleted: claimsWhenDeleted,
            whenScaled: claimsWhenScaled,
          },
          template: podTemplate(),
          volumeClaimTemplates: this.claims.length ? this.claims.map(c => ({
            apiVersion: 'v1',
            kind: 'PersistentVolumeClaim',
            metadata: { name: c.name, labels: claimLabels },
            spec: {
              accessModes: [c.accessMode ?? VolumeAccessMode.READ_WRITE_ONCE],
              ...(c.storageClassName ?? defaultClass ? { storageClassName: c.storageClassName ?? defaultClass } satisfies corev1.PersistentVolumeClaimSpec : {}),
              resources: { requests: { storage: c.size } },
            },
          } satisfies corev1.PersistentVolumeClaim)) : undefined,
        } satisfies appsv1.StatefulSetSpec),
      }),
    } satisfies appsv1.StatefulSet);

    const allPorts = [{ name: this.portName, port: this.port }, ...this.peerPorts, ...this.extraPorts];
    this.headlessService = new ApiObject(this, 'HeadlessService', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: this._metadata({ name: this.headlessServiceName }),
      spec: {
        clusterIP: 'None',
        publishNotReadyAddresses: props.publishNotReadyAddresses ?? true,
        selector: { ...this.selectorLabels },
        ports: Lazy.any({ produce: () => allPorts.map(p => this.servicePortOf(p.name, p.port)) }),
      },
    } satisfies corev1.Service);

    this.service = new ApiObject(this, 'Service', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: this._metadata(),
      spec: {
        type: 'ClusterIP',
        selector: { ...this.selectorLabels },
        ports: Lazy.any({ produce: () => [this.servicePortOf(this.portName, this.servicePort), ...this.extraPorts.map(p => this.servicePortOf(p.name, p.port))] }),
      },
    } satisfies corev1.Service);

    const pdb = props.disruptionBudget ?? defaults.disruptionBudget;
    if (pdb) {
      this.pdb = this._createDisruptionBudget();
    }
    if (development) {
      this.node.addMetadata('shipshape:info', `development profile: ${this.replicas} replica(s)${pdb ? '' : ', no PodDisruptionBudget'}: not for production data`);
    }
    this.singleInstance = this.replicas === 1 && props.spread === false;
    this.isQuorum = props.quorum === true;
    if (this.singleInstance && !development) {
      this.node.addMetadata('shipshape:info', 'one instance on purpose (replicas: 1, spread: false): a node drain, node failure or zone outage stops it until '
        + 'it is rescheduled, and its volume stays in its zone');
    }

    // Replicas talk to each other on every port (replication, consensus, discovery).
    this.allowFrom(this);
    this.allowTo(this);

    if (props.backup) {
      this.backupSchedule = this.renderBackup(props.backup);
    }
  }

  public get containerPorts(): number[] {
    return [this.port, ...this.peerPorts.map(p => p.port), ...this.extraPorts.map(p => p.port)];
  }
  /** @internal */
  protected _ownVolumes(): Array<{ name: string; prop: string }> {
    return [...super._ownVolumes(), ...(this.claims ?? []).map((c, i) => ({ name: c.name, prop: `volumes[${i}].name` }))];
  }

  /** @internal */
  protected _ownExtraMounts(): Array<{ path: string; prop: string }> {
    return (this.claims ?? []).map((c, i) => ({ path: c.mountPath, prop: `volumes[${i}].mountPath` }));
  }

  /**
   * The ports only the replicas themselves may reach: the peer ports.
   * @internal
   */
  public _replicaOnlyPorts(): number[] {
    return this.peerPorts.map(p => p.port);
  }


  /**
   * Declares the application protocol of every port of both Services (`appProtocol`). A service mesh that proxies
   * the workload as opaque TCP sets `tcp`, so its proxies do not sniff the protocol (a wait that stalls protocols
   * where the server speaks first, such as MySQL).
   * @internal
   */
  public _setAppProtocol(appProtocol: string): void {
    this.appProtocol = appProtocol;
  }

  /** @internal */
  protected _mainPorts(): ContainerPort[] {
    return [{ name: this.portName, port: this.port }, ...this.peerPorts, ...this.extraPorts];
  }

  /** @internal */
  protected _mainContainerExtras(): any {
    const p = this._props as StatefulServiceProps;
    return renderProbes(this, p, this.port, this.portName, this.containerPorts);
  }

  private servicePortOf(name: string, port: number): corev1.ServicePort {
    return { name, port, targetPort: name, protocol: 'TCP', ...(this.appProtocol ? { appProtocol: this.appProtocol } : {}) };
  }

  /** @internal */
  protected _singleInstanceByChoice(): boolean {
    return this.singleInstance;
  }

  /** @internal */
  protected _raiseMinReplicas(n: number): string {
    // a quorum's count stays odd
    return this.isQuorum && n % 2 === 0 ? `raise replicas to ${n + 1} or more (an odd count: the replicas form a quorum)` : super._raiseMinReplicas(n);
  }

  /** @internal */
  protected _singleInstanceHint(): string {
    return '; or, for a store that does not replicate itself, run one instance on purpose: replicas: 1 with spread: false';
  }

  private spreadSpec(): Partial<corev1.PodSpec> {
    const selector: metav1.LabelSelector = { matchLabels: { ...this.selectorLabels } };
    return {
      topologySpreadConstraints: [
        { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: selector },
      ],
      affinity: {
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: selector }],
        },
      },
    } satisfies Partial<corev1.PodSpec>;
  }

  private checkClaims(claims: VolumeClaim[]): VolumeClaim[] {
    const names = new Map<string, number>();
    const paths: Array<{ path: string; i: number }> = [];
    return claims.map((c, i) => {
      if (typeof c.name !== 'string') {
        // Names' own message suggests a namespace-like name; a volume is named for what it holds
        fail(this, `volumes[${i}].name`, c.name, c.name === undefined ? 'is required' : 'must be a string', `give volumes[${i}].name a name such as "data"`);
      }
      const name = Names.dnsLabel(this, `volumes[${i}].name`, c.name, 63);
      if (names.has(name)) {
        fail(this, `volumes[${i}].name`, name, `is already used by volumes[${names.get(name)}]`, 'give every volume its own name');
      }
      if (['tmp', 'writable-0'].includes(name) || /^(writable|secret|config|host)-\d+$/.test(name)) {
        fail(this, `volumes[${i}].name`, name, 'is reserved for the pod\'s own volumes', 'use a name such as "data" or "wal"');
      }
      names.set(name, i);
      if (typeof c.size !== 'string') {
        fail(this, `volumes[${i}].size`, c.size, 'must be a byte quantity, as a string', `write it with a unit, for example ${JSON.stringify(typeof c.size === 'number' ? `${c.size}Gi` : '10Gi')}`);
      }
      const size = MemoryQuantity.parse(c.size, this, `volumes[${i}].size`);
      if (size.bytes <= 0) fail(this, `volumes[${i}].size`, c.size, 'must be more than zero', 'request a size such as "10Gi"');
      this._atLeastBytes(`volumes[${i}].size`, c.size, size, MemoryQuantity.mebibytes(1), 'Gi', 'no disk is that small (EBS volumes start at 1 GiB)');
      const mountPath = Validators._absolutePath(this, `volumes[${i}].mountPath`, c.mountPath, `/var/lib/${name}`);
      const clean = mountPath.replace(/\/+$/, '') || '/';
      for (const other of paths) {
        const nested = clean === other.path || clean.startsWith(other.path + '/') || other.path.startsWith(clean + '/');
        if (nested) {
          fail(this, `volumes[${i}].mountPath`, mountPath, `collides with volumes[${other.i}].mountPath (${other.path}): one would hide the other`,
            'mount each volume at its own, non-nested directory');
        }
      }
      paths.push({ path: clean, i });
      if (c.storageClassName !== undefined) Names.dnsSubdomain(this, `volumes[${i}].storageClassName`, c.storageClassName);
      if (c.accessMode !== undefined && !Object.values(VolumeAccessMode).includes(c.accessMode)) {
        fail(this, `volumes[${i}].accessMode`, c.accessMode, `is not an access mode (${Object.values(VolumeAccessMode).join(', ')})`, 'use VolumeAccessMode.READ_WRITE_ONCE');
      }
      return { ...c, name, size: size.toString(), mountPath: clean };
    });
  }

  private renderBackup(b: BackupOptions): ApiObject {
    if (typeof b !== 'object' || Array.isArray(b)) {
      fail(this, 'backup', b, 'must be an object of backup options', "write it like backup: { schedule: Schedule.cron('0 2 * * *') }");
    }
    if (!Schedule.isSchedule(b.schedule)) {
      fail(this, 'backup.schedule', b.schedule, b.schedule === undefined ? 'is required' : 'must be a Schedule',
        `use Schedule.cron(${typeof b.schedule === 'string' ? JSON.stringify(b.schedule) : "'0 2 * * *'"})`);
    }
    const cron = b.schedule._validate(this, 'backup.schedule', 'backup.timeZone', 'shipshape writes itself from backup.timeZone');
    const tz = b.timeZone !== undefined ? checkTimeZone(this, 'backup.timeZone', b.timeZone) : undefined;
    if (tz !== undefined) warnClockChange(this, 'backup.schedule', cron, tz);
    const ttl = checkDuration(this, 'backup.ttl', b.ttl ?? '720h');
    const ns = Names.dnsLabel(this, 'backup.veleroNamespace', b.veleroNamespace ?? 'velero', 63);
    if (b.storageLocation !== undefined) Names.dnsSubdomain(this, 'backup.storageLocation', b.storageLocation);
    checkBoolean(this, 'backup.snapshotVolumes', b.snapshotVolumes);
    checkBoolean(this, 'backup.fileSystemBackup', b.fileSystemBackup);
    // a backup that holds no volume data looks like a database backup and restores an empty database
    if (this.claims.length === 0) {
      fail(this, 'backup.schedule', b.schedule?.expression, 'backs up no data: the service has no persistent volumes (volumes), so each backup would hold only its objects, which this program writes anyway',
        'add the volumes that hold its data, or leave backup out');
    }
    if (b.snapshotVolumes === false && !b.fileSystemBackup) {
      fail(this, 'backup.snapshotVolumes', false, 'leaves the backups without the volumes\' data: no snapshot, and no file-system backup (fileSystemBackup is off), so a restore brings back empty volumes',
        'set fileSystemBackup: true to copy the volumes\' files instead of snapshotting them, or leave snapshotVolumes out (snapshots by default)');
    }
    if (b.snapshotVolumes === true && b.fileSystemBackup) {
      fail(this, 'backup.snapshotVolumes', true, 'contradicts fileSystemBackup: true, which backs the volumes up by copying their files instead of snapshotting them (Velero takes no snapshot of a volume it copies)',
        'leave snapshotVolumes out with fileSystemBackup (it is then false), or drop fileSystemBackup to take snapshots');
    }
    // the Schedules of every namespace share Velero's: the name carries namespace and name, and a hash where the
    // plain join could be another pair's or is cut short (see BackupOptions)
    const name = b.scheduleName !== undefined ? Names.dnsLabel(this, 'backup.scheduleName', b.scheduleName, 63) : Names._pairName(this.namespace, this.name, 63);
    const template: VeleroBackupTemplate = {
      includedNamespaces: [this.namespace],
      labelSelector: { matchLabels: { ...this.selectorLabels } },
      ttl,
      // file-system backup copies every volume's files instead: no snapshot is taken (or needed)
      snapshotVolumes: b.snapshotVolumes ?? !b.fileSystemBackup,
    };
    if (b.storageLocation) template.storageLocation = b.storageLocation;
    if (b.fileSystemBackup) template.defaultVolumesToFsBackup = true;
    return new ApiObject(this, 'BackupSchedule', {
      apiVersion: 'velero.io/v1',
      kind: 'Schedule',
      metadata: { name, namespace: ns, labels: { ...this.labels } },
      spec: {
        // UTC is what a schedule without the prefix means (see BackupOptions.timeZone): the prefix would only ask for Velero 1.15+
        schedule: tz !== undefined && !UTC_NAMES.includes(tz) ? `CRON_TZ=${tz} ${cron}` : cron,
        template,
      },
    } satisfies VeleroSchedule);
  }
}
