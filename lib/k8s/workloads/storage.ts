import { Schedule } from './cron';

/**
 * How a persistent volume may be mounted.
 */
export enum VolumeAccessMode {
  /** Read-write by the pods of one node (block storage such as EBS). */
  READ_WRITE_ONCE = 'ReadWriteOnce',
  /** Read-write by one pod only. */
  READ_WRITE_ONCE_POD = 'ReadWriteOncePod',
  /** Read-only by many nodes. */
  READ_ONLY_MANY = 'ReadOnlyMany',
  /** Read-write by many nodes (shared file storage such as EFS). */
  READ_WRITE_MANY = 'ReadWriteMany',
}

/**
 * A persistent volume each replica of a StatefulService gets (a `volumeClaimTemplates` entry).
 */
export interface VolumeClaim {
  /**
   * The claim name (an RFC 1123 label, unique within the workload), for example `data` or `wal`.
   * Each replica's claim is called `<name>-<workload>-<ordinal>`.
   */
  readonly name: string;
  /**
   * The requested size, a Kubernetes byte quantity (`"20Gi"`, `"500Mi"`). Like the rest of the claim, it is part of
   * the StatefulSet's claim templates, which the API server refuses to change once the StatefulSet exists: to grow
   * the volumes, resize each replica's claim (`kubectl patch pvc`, with a class that allows expansion), delete the
   * StatefulSet but not its pods (`kubectl delete statefulset <name> --cascade=orphan`), then apply the new size. A
   * claim never shrinks.
   */
  readonly size: string;
  /**
   * Where the volume is mounted in the main container (an absolute path, not shared with another mount).
   */
  readonly mountPath: string;
  /**
   * The StorageClass (for example `gp3`). Prefer a class with `volumeBindingMode: WaitForFirstConsumer`, so each
   * volume is created in the zone its pod is scheduled to.
   * Changing it on a StatefulService that exists is refused by the API server (claim templates are immutable), and
   * so is giving an existing app a cluster, which names the default class: set the class the volumes already have.
   * @default - the cluster's default StorageClass (named explicitly when the app knows its cluster, `App({ cluster })`)
   */
  readonly storageClassName?: string;
  /**
   * The access mode.
   * @default VolumeAccessMode.READ_WRITE_ONCE
   */
  readonly accessMode?: VolumeAccessMode;
}

/**
 * What happens to a StatefulSet's volume claims (`persistentVolumeClaimRetentionPolicy`).
 */
export enum ClaimRetention {
  /** Keep the claims (and the data). */
  RETAIN = 'Retain',
  /** Delete the claims (and, with a `Delete` reclaim policy, the data). */
  DELETE = 'Delete',
}

/**
 * How a StatefulSet creates and deletes its pods.
 */
export enum PodManagementPolicy {
  /** One pod at a time, in ordinal order, each ready before the next (what most clustered stores expect). */
  ORDERED_READY = 'OrderedReady',
  /** All pods at once (faster; for stores whose members do not depend on start order). */
  PARALLEL = 'Parallel',
}

/**
 * A nightly (or other) Velero backup of a workload: a `velero.io/v1` `Schedule` that backs up the workload's
 * namespace, restricted to the workload's objects and volume claims by label.
 *
 * The Schedules of every namespace live together in Velero's namespace, so the Schedule's name carries the workload's
 * namespace and name: `<namespace>-<name>` (`shop-db`) when the namespace holds no "-" and the two fit in 63
 * characters; otherwise that join, cut to 54 characters, then "-" and 8 hex digits of a hash of the namespace and name
 * (`shop-orders-db-<hash>`). The hash keeps apart what the plain join would not (namespace `shop` with `orders-db`
 * and namespace `shop-orders` with `db`; two long namespaces that start alike), and the name stays the same on every
 * synth. Velero names each backup `<schedule name>-<timestamp>`.
 */
export interface BackupOptions {
  /**
   * When backups run: a `Schedule` (`Schedule.cron('0 2 * * *')`), not a bare cron string.
   */
  readonly schedule: Schedule;
  /**
   * The name of the Schedule object (an RFC 1123 DNS label of at most 63 characters). Set it to keep the name a
   * Schedule already has, or to choose your own; it must be unique among the Schedules in Velero's namespace.
   * @default - `<namespace>-<name>` when the namespace holds no "-" and that fits in 63 characters, else that join cut
   * short with "-" and a hash of the namespace and name (see `BackupOptions`)
   */
  readonly scheduleName?: string;
  /**
   * The time zone of `schedule` (IANA name), rendered as a `CRON_TZ=` prefix of the schedule. Velero reads that
   * prefix from version 1.15 on, and needs the zone in its image's time zone data: an older Velero, or one without
   * the zone, marks the Schedule `FailedValidation` and takes no backup. Without a time zone, write the schedule in
   * UTC, which every Velero reads: `UTC` (or an alias such as `Etc/UTC`) writes no prefix, as the schedule then runs in
   * the Velero server's time zone, UTC in the official image. A backup time the zone's clocks skip or pass twice within
   * the next year (02:00 in `Europe/Berlin`) is a construct warning.
   * @default - the Velero server's time zone (UTC in the official image)
   */
  readonly timeZone?: string;
  /**
   * How long each backup is kept, as a Go duration (`"720h"` = 30 days).
   * @default "720h"
   */
  readonly ttl?: string;
  /**
   * The namespace Velero runs in; the Schedule object is created there. It is Velero's: `k8s.App` with a cluster
   * neither creates nor isolates it (see `AppProps.clusterResources`).
   * @default "velero"
   */
  readonly veleroNamespace?: string;
  /**
   * The BackupStorageLocation to write to.
   * @default - Velero's default location
   */
  readonly storageLocation?: string;
  /**
   * Take volume snapshots of the persistent volumes. `false` needs `fileSystemBackup` (else the backups hold no volume
   * data); `true` contradicts it.
   * @default - true, false with fileSystemBackup
   */
  readonly snapshotVolumes?: boolean;
  /**
   * Back up volume contents with Velero's file-system backup (Kopia) instead of snapshots. The pods' scratch
   * emptyDir volumes (the writable paths, such as /tmp) are left out: the pod template lists them in the annotation
   * `backup.velero.io/backup-volumes-excludes`.
   *
   * It copies the files while the store keeps writing them, so a database's copy may not open (PostgreSQL, MySQL and
   * the like need a snapshot, their own backup, or to be quiesced). Quiesce it with Velero's backup hooks on the pods
   * (`workload.addPodAnnotation('pre.hook.backup.velero.io/command', '["/bin/sh", "-c", "..."]')` and the matching
   * `post.hook.backup.velero.io/command`), back it up with its own tools (a ScheduledJob), or keep volume snapshots
   * (crash-consistent, as after a power cut, which such stores recover from).
   * @default false
   */
  readonly fileSystemBackup?: boolean;
}
