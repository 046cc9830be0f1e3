import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { EnvironmentProfile } from '../../../lib/core';
import {
  ClaimRetention, EnvValue, NetworkPeer, PodManagementPolicy, Probe, Schedule, StatefulService, StatefulServiceProps, VolumeAccessMode,
} from '../../../lib/k8s';
import { KubernetesPack, PolicyEngine } from '../../../lib/policy';
import { expectError, policyErrors, quietly } from '../../util/k8s';
import { expectValid, parseYamlFiles, tempDir } from '../../util/schema';

const IMAGE = 'ghcr.io/acme/store:2.1.0';

function build(props: Partial<StatefulServiceProps> = {}, id = 'db'): { objs: any[]; ss: StatefulService } {
  const c = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
  const ss = new StatefulService(c, id, { image: IMAGE, ...props });
  return { objs: c.toJson(), ss };
}

/** The data a backup saves. */
const DATA = [{ name: 'data', mountPath: '/var/lib/data', size: '10Gi' }];

const find = (objs: any[], kind: string, name?: string) => objs.find(o => o.kind === kind && (name === undefined || o.metadata.name === name));
const sts = (objs: any[]) => find(objs, 'StatefulSet').spec;
const pod = (objs: any[]) => sts(objs).template.spec;
const main = (objs: any[]) => pod(objs).containers[0];

describe('StatefulService defaults', () => {
  const { objs, ss } = build();

  test('creates ServiceAccount, NetworkPolicy, StatefulSet, headless and client Services and a PDB, no backup', () => {
    expect(objs.map(o => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'NetworkPolicy/db', 'PodDisruptionBudget/db', 'Service/db', 'Service/db-headless', 'ServiceAccount/db', 'StatefulSet/db',
    ]);
    expect(ss.backupSchedule).toBeUndefined();
    for (const o of objs) expect(o.metadata.namespace).toBe('shop');
    expect(find(objs, 'StatefulSet').metadata.labels['app.kubernetes.io/component']).toBe('database');
  });

  test('3 replicas, OrderedReady, RollingUpdate partition 0, minReadySeconds 10, claims retained, grace 60 s', () => {
    const s = sts(objs);
    expect(s.replicas).toBe(3);
    expect(ss.replicas).toBe(3);
    expect(s.serviceName).toBe('db-headless');
    expect(s.podManagementPolicy).toBe('OrderedReady');
    expect(s.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
    expect(s.minReadySeconds).toBe(10);
    expect(s.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
    expect(s.volumeClaimTemplates).toBeUndefined();
    expect(s.selector.matchLabels).toEqual(ss.selectorLabels);
    expect(pod(objs).terminationGracePeriodSeconds).toBe(60);
  });

  test('the data volume is re-owned to fsGroup 10001 only when its root does not match (not walked on every start)', () => {
    expect(pod(objs).securityContext.fsGroup).toBe(10001);
    expect(pod(objs).securityContext.fsGroupChangePolicy).toBe('OnRootMismatch');
  });

  test('one replica per host (required anti-affinity) and a zone spread', () => {
    const p = pod(objs);
    expect(p.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution).toEqual([
      { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: ss.selectorLabels } },
    ]);
    expect(p.topologySpreadConstraints).toEqual([
      { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: ss.selectorLabels } },
    ]);
  });

  test('client port 8080 named "client", probes /readyz and /livez on it', () => {
    const c = main(objs);
    expect(c.ports).toEqual([{ name: 'client', containerPort: 8080, protocol: 'TCP' }]);
    expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'client' });
    expect(c.livenessProbe.httpGet).toEqual({ path: '/livez', port: 'client' });
    expect(c.startupProbe).toBeUndefined();
    expect(c.securityContext.capabilities).toEqual({ drop: ['ALL'] });
  });

  test('headless Service: clusterIP None, publishes not-ready addresses; client Service on the same port', () => {
    const h = find(objs, 'Service', 'db-headless').spec;
    expect(h.clusterIP).toBe('None');
    expect(h.publishNotReadyAddresses).toBe(true);
    expect(h.ports).toEqual([{ name: 'client', port: 8080, targetPort: 'client', protocol: 'TCP' }]);
    const s = find(objs, 'Service', 'db').spec;
    expect(s.type).toBe('ClusterIP');
    expect(s.clusterIP).toBeUndefined();
    expect(s.ports).toEqual([{ name: 'client', port: 8080, targetPort: 'client', protocol: 'TCP' }]);
    expect(ss.headlessServiceName).toBe('db-headless');
  });

  test('PDB maxUnavailable 1', () => {
    expect(find(objs, 'PodDisruptionBudget').spec).toEqual({
      maxUnavailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow', selector: { matchLabels: ss.selectorLabels },
    });
  });

  test('NetworkPolicy lets the replicas talk to each other on every port', () => {
    const np = find(objs, 'NetworkPolicy').spec;
    expect(np.ingress).toEqual([{ from: [{ podSelector: { matchLabels: ss.selectorLabels } }], ports: [{ port: 8080, protocol: 'TCP' }] }]);
    expect(np.egress[1]).toEqual({ to: [{ podSelector: { matchLabels: ss.selectorLabels } }], ports: [{ port: 8080, protocol: 'TCP' }] });
  });

  test('an odd replica count gives no warning', () => {
    expect(ss.node.metadata.filter(m => m.type === 'shipshape:warning')).toEqual([]);
  });

  test('validates strictly against Kubernetes 1.27 and 1.36 and passes the policy pack without error', () => {
    expectValid(objs);
    expect(policyErrors(objs)).toEqual([]);
  });

  test('development profile: 1 replica, no PDB, no spread, and says so as WebService and Worker do', () => {
    const dev = build({ profile: EnvironmentProfile.DEVELOPMENT });
    expect(sts(dev.objs).replicas).toBe(1);
    expect(find(dev.objs, 'PodDisruptionBudget')).toBeUndefined();
    expect(dev.ss.pdb).toBeUndefined();
    expect(pod(dev.objs).affinity).toBeUndefined();
    expect(pod(dev.objs).topologySpreadConstraints).toBeUndefined();
    expect(find(dev.objs, 'StatefulSet').metadata.annotations).toEqual({ 'shipshape.io/profile': 'development' });
    expect(dev.ss.node.metadata.filter(m => m.type === 'shipshape:info').map(m => m.data)).toEqual([
      'development profile: 1 replica(s), no PodDisruptionBudget: not for production data',
    ]);
    expectValid(dev.objs);
  });

  test('production and staging: no profile annotation and no note', () => {
    for (const profile of [EnvironmentProfile.PRODUCTION, EnvironmentProfile.STAGING]) {
      const built = build({ profile });
      expect(find(built.objs, 'StatefulSet').metadata.annotations).toBeUndefined();
      expect(built.ss.node.metadata.filter(m => m.type === 'shipshape:info')).toEqual([]);
    }
  });

  test('development profile with 3 replicas: the availability rules (039, 040, 041) skip it, as they skip a development WebService', () => {
    const warnings = (manifests: any[]) => {
      const docs = manifests.map((m, i) => ({ kind: m.kind, manifest: m, path: `doc#${i}`, name: m.metadata?.name, namespace: m.metadata?.namespace }));
      return new PolicyEngine({ packs: [new KubernetesPack()] }).check(docs).warnings.map(f => `${f.ruleId} ${f.kind}`);
    };
    const dev = build({ profile: EnvironmentProfile.DEVELOPMENT, replicas: 3 });
    expect(find(dev.objs, 'StatefulSet').metadata.annotations).toEqual({ 'shipshape.io/profile': 'development' });
    expect(dev.ss.node.metadata.find(m => m.type === 'shipshape:info')?.data).toBe('development profile: 3 replica(s), no PodDisruptionBudget: not for production data');
    expect(warnings(dev.objs)).toEqual([]);
    // the same StatefulSet without the annotation is reported: the annotation is what tells the rules
    const unmarked = dev.objs.map(o => (o.kind === 'StatefulSet' ? { ...o, metadata: { ...o.metadata, annotations: undefined } } : o));
    expect(warnings(unmarked)).toEqual(['SS-K8S-039 StatefulSet', 'SS-K8S-040 StatefulSet', 'SS-K8S-041 StatefulSet']);
  });

  test('development profile with a disruption budget asked for: the note does not say there is none', () => {
    const dev = build({ profile: EnvironmentProfile.DEVELOPMENT, replicas: 3, disruptionBudget: true });
    expect(dev.ss.pdb).toBeDefined();
    expect(dev.ss.node.metadata.find(m => m.type === 'shipshape:info')?.data).toBe('development profile: 3 replica(s): not for production data');
  });
});

describe('StatefulService options', () => {
  const full: Partial<StatefulServiceProps> = {
    port: 5432,
    portName: 'postgres',
    servicePort: 15432,
    peerPorts: [{ name: 'repl', port: 7000 }],
    replicas: 5,
    podManagementPolicy: PodManagementPolicy.PARALLEL,
    partition: 4,
    minReadySeconds: 30,
    claimsWhenDeleted: ClaimRetention.DELETE,
    claimsWhenScaled: ClaimRetention.DELETE,
    publishNotReadyAddresses: false,
    readiness: Probe.exec(['pg_isready']),
    liveness: Probe.tcp(),
    startup: Probe.tcp({ failureThreshold: 60 }),
    volumes: [
      { name: 'data', size: '20Gi', mountPath: '/var/lib/postgresql/data', storageClassName: 'gp3' },
      { name: 'wal', size: '10240Mi', mountPath: '/var/lib/postgresql/wal/', accessMode: VolumeAccessMode.READ_WRITE_ONCE_POD },
    ],
    backup: { schedule: Schedule.cron('0 2 * * *'), timeZone: 'Europe/Berlin', ttl: '168h', veleroNamespace: 'backup', storageLocation: 'primary', snapshotVolumes: false, fileSystemBackup: true },
  };
  const { objs, ss } = build(full);

  test('volumes become volumeClaimTemplates (RWO by default, sizes normalised) mounted in the main container', () => {
    const claimLabels = { ...ss.selectorLabels, 'app.kubernetes.io/component': 'database', 'app.kubernetes.io/managed-by': 'shipshape' };
    expect(ss.labels['app.kubernetes.io/version']).toBe('2.1.0');
    expect(sts(objs).volumeClaimTemplates).toEqual([
      { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', labels: claimLabels }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'gp3', resources: { requests: { storage: '20Gi' } } } },
      { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'wal', labels: claimLabels }, spec: { accessModes: ['ReadWriteOncePod'], resources: { requests: { storage: '10Gi' } } } },
    ]);
    expect(main(objs).volumeMounts).toEqual(expect.arrayContaining([
      { name: 'data', mountPath: '/var/lib/postgresql/data' },
      { name: 'wal', mountPath: '/var/lib/postgresql/wal' },
    ]));
  });

  test('identity, order and update settings', () => {
    const s = sts(objs);
    expect(s.replicas).toBe(5);
    expect(s.podManagementPolicy).toBe('Parallel');
    expect(s.updateStrategy.rollingUpdate.partition).toBe(4);
    expect(s.minReadySeconds).toBe(30);
    expect(s.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Delete', whenScaled: 'Delete' });
  });

  test('peer ports on the headless Service only; client Service on servicePort', () => {
    const h = find(objs, 'Service', 'db-headless').spec;
    expect(h.publishNotReadyAddresses).toBe(false);
    expect(h.ports.map((p: any) => `${p.name}:${p.port}`)).toEqual(['postgres:5432', 'repl:7000']);
    expect(find(objs, 'Service', 'db').spec.ports).toEqual([{ name: 'postgres', port: 15432, targetPort: 'postgres', protocol: 'TCP' }]);
    expect(ss.containerPorts).toEqual([5432, 7000]);
    expect(find(objs, 'NetworkPolicy').spec.ingress[0].ports).toEqual([{ port: 5432, protocol: 'TCP' }, { port: 7000, protocol: 'TCP' }]);
  });

  test('Velero Schedule in the Velero namespace, scoped to the workload namespace and labels', () => {
    const s = find(objs, 'Schedule');
    expect(s.apiVersion).toBe('velero.io/v1');
    expect(s.metadata.name).toBe('shop-db');
    expect(s.metadata.namespace).toBe('backup');
    expect(s.spec).toEqual({
      schedule: 'CRON_TZ=Europe/Berlin 0 2 * * *',
      template: {
        includedNamespaces: ['shop'],
        labelSelector: { matchLabels: ss.selectorLabels },
        ttl: '168h',
        snapshotVolumes: false,
        storageLocation: 'primary',
        defaultVolumesToFsBackup: true,
      },
    });
  });

  test('file-system backup leaves the scratch emptyDir volumes out (annotation on the pod template); snapshots add no annotation', () => {
    const podAnnotations = (o: any[]) => sts(o).template.metadata.annotations ?? {};
    const scratch = sts(objs).template.spec.volumes.filter((v: any) => v.emptyDir !== undefined).map((v: any) => v.name);
    expect(scratch.length).toBeGreaterThan(0);
    expect(podAnnotations(objs)['backup.velero.io/backup-volumes-excludes']).toBe(scratch.join(','));
    const snap = build({ volumes: DATA, backup: { schedule: Schedule.cron('@daily') } });
    expect(podAnnotations(snap.objs)['backup.velero.io/backup-volumes-excludes']).toBeUndefined();
  });

  test('backup defaults: namespace velero, TTL 720h, volume snapshots, no time zone', () => {
    const b = build({ volumes: DATA, backup: { schedule: Schedule.cron('@daily') } });
    const s = find(b.objs, 'Schedule');
    expect(s.metadata.namespace).toBe('velero');
    expect(s.spec).toEqual({
      schedule: '@daily',
      template: { includedNamespaces: ['shop'], labelSelector: { matchLabels: b.ss.selectorLabels }, ttl: '720h', snapshotVolumes: true },
    });
  });

  test('file-system backup takes no snapshot unless told: snapshotVolumes defaults to false with it', () => {
    const s = find(build({ volumes: DATA, backup: { schedule: Schedule.cron('@daily'), fileSystemBackup: true } }).objs, 'Schedule');
    expect(s.spec.template).toMatchObject({ snapshotVolumes: false, defaultVolumesToFsBackup: true });
  });

  test.each<[string, Partial<StatefulServiceProps>, string]>([
    ['a backup of a service without volumes', { backup: { schedule: Schedule.cron('@daily') } },
      'shop/db: backup.schedule ("@daily") backs up no data: the service has no persistent volumes (volumes), so each backup would hold only its objects, which this program writes anyway; '
      + 'add the volumes that hold its data, or leave backup out'],
    ['no snapshots and no file-system backup', { volumes: DATA, backup: { schedule: Schedule.cron('@daily'), snapshotVolumes: false } },
      'shop/db: backup.snapshotVolumes (false) leaves the backups without the volumes\' data: no snapshot, and no file-system backup (fileSystemBackup is off), so a restore brings back empty volumes; '
      + 'set fileSystemBackup: true to copy the volumes\' files instead of snapshotting them, or leave snapshotVolumes out (snapshots by default)'],
    ['snapshots and file-system backup together', { volumes: DATA, backup: { schedule: Schedule.cron('@daily'), snapshotVolumes: true, fileSystemBackup: true } },
      'shop/db: backup.snapshotVolumes (true) contradicts fileSystemBackup: true, which backs the volumes up by copying their files instead of snapshotting them'],
  ])('refused: %s', (_name, props, message) => {
    expectError(() => build(props), message);
  });

  test('everything validates (Velero Schedule against its CRD) and passes the policy pack without error', () => {
    expectValid(objs);
    expect(policyErrors(objs)).toEqual([]);
  });

  test('allowFrom adds declared clients next to the peers', () => {
    const c = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    const db = new StatefulService(c, 'db', { readiness: Probe.http('/readyz'), liveness: Probe.http('/livez'), image: IMAGE, port: 5432 });
    db.allowFrom(NetworkPeer.namespace('api'));
    const np = c.toJson().find(o => o.kind === 'NetworkPolicy').spec;
    expect(np.ingress).toHaveLength(2);
    expect(np.ingress[1].from).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'api' } } }]);
  });

  test('extraPorts: published on both Services under their names, admitted for callers, not for peers only; a probe may use one', () => {
    const c = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    const db = new StatefulService(c, 'db', {
      image: IMAGE,
      port: 5432,
      portName: 'postgres',
      servicePort: 5432,
      peerPorts: [{ name: 'repl', port: 7000 }],
      extraPorts: [{ name: 'metrics', port: 9187 }],
      readiness: Probe.http('/healthz', { port: 9187 }),
      liveness: Probe.tcp(),
    });
    db.allowFrom(NetworkPeer.namespace('monitoring'));
    const out = c.toJson();
    expect(find(out, 'Service', 'db').spec.ports).toEqual([
      { name: 'postgres', port: 5432, targetPort: 'postgres', protocol: 'TCP' },
      { name: 'metrics', port: 9187, targetPort: 'metrics', protocol: 'TCP' },
    ]);
    expect(find(out, 'Service', 'db-headless').spec.ports.map((p: any) => `${p.name}:${p.port}`)).toEqual(['postgres:5432', 'repl:7000', 'metrics:9187']);
    expect(main(out).ports).toEqual([
      { name: 'postgres', containerPort: 5432, protocol: 'TCP' }, { name: 'repl', containerPort: 7000, protocol: 'TCP' }, { name: 'metrics', containerPort: 9187, protocol: 'TCP' },
    ]);
    expect(main(out).readinessProbe.httpGet).toEqual({ path: '/healthz', port: 9187 });
    expect(db.containerPorts).toEqual([5432, 7000, 9187]);
    // the caller reaches the client and extra ports, never the peer port; the replicas reach every port
    const np = find(out, 'NetworkPolicy').spec;
    expect(np.ingress[1].ports).toEqual([{ port: 5432, protocol: 'TCP' }, { port: 9187, protocol: 'TCP' }]);
    expect(np.ingress[0].ports).toEqual([{ port: 5432, protocol: 'TCP' }, { port: 7000, protocol: 'TCP' }, { port: 9187, protocol: 'TCP' }]);
    expectValid(out);
    expect(policyErrors(out)).toEqual([]);
  });

  test('an even replica count warns (construct metadata and stderr), unless quorum is false', () => {
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    let warned: StatefulService | undefined;
    try {
      warned = build({ replicas: 2 }).ss;
      expect(stderr).toHaveBeenCalledWith('shipshape warning: shop/db: replicas (2) is even: a quorum system (etcd, ZooKeeper, Raft) should run an odd number; set quorum: false to silence this\n');
      stderr.mockClear();
      build({ replicas: 2, quorum: false });
      expect(stderr).not.toHaveBeenCalled();
    } finally {
      stderr.mockRestore();
    }
    expect(warned!.node.metadata.filter(m => m.type === 'shipshape:warning').map(m => m.data)).toEqual([
      'replicas (2) is even: a quorum system (etcd, ZooKeeper, Raft) should run an odd number; set quorum: false to silence this',
    ]);
    expect(build({ replicas: 2, quorum: false }).ss.node.metadata.filter(m => m.type === 'shipshape:warning')).toEqual([]);
  });
});

describe('StatefulService validation', () => {
  test.each<[string, Partial<StatefulServiceProps>, string]>([
    ['even replicas with quorum', { replicas: 4, quorum: true }, 'shop/db: replicas (4) must be odd for a quorum system: an even count tolerates no more failures than one replica fewer; use 5 or 3 replicas'],
    ['zero replicas', { replicas: 0 }, 'shop/db: replicas (0) must be a whole number of at least 1; use 3 (or another odd number) replicas'],
    ['partition beyond the last replica', { partition: 3 }, 'shop/db: partition (3) must be at most replicas - 1 (2), or the update reaches no replica; use 2 to canary the last replica'],
    ['negative partition', { partition: -1 }, 'shop/db: partition (-1) must be a whole number of at least 0'],
    ['negative minReadySeconds', { minReadySeconds: -5 }, 'shop/db: minReadySeconds (-5) must be a whole number of at least 0; use a whole number of seconds, for example 10'],
    ['zero grace period', { terminationGracePeriodSeconds: 0 }, 'shop/db: terminationGracePeriodSeconds (0) must be a whole number of at least 1; use for example 60'],
    ['privileged port', { port: 80 }, 'shop/db: port (80) must be a whole number from 1024 to 65535'],
    ['service port out of range', { servicePort: 70000 }, 'shop/db: servicePort (70000) must be a whole number from 1 to 65535; use the port your clients expect'],
    ['peer port clashing by number', { peerPorts: [{ name: 'peer', port: 8080 }] }, 'shop/db: peerPorts[0].port (8080) clashes with port, which uses the same number; give every port its own number'],
    ['peer port clashing by name', { peerPorts: [{ name: 'client', port: 7000 }] }, 'shop/db: peerPorts[0].name ("client") clashes with port, which uses the same name; give every port its own name'],
    ['extra port clashing with a peer port by number', { peerPorts: [{ name: 'repl', port: 7000 }], extraPorts: [{ name: 'metrics', port: 7000 }] },
      'shop/db: extraPorts[0].port (7000) clashes with peerPorts[0], which uses the same number; give every port its own number'],
    ['extra port clashing with port by name', { extraPorts: [{ name: 'client', port: 9187 }] }, 'shop/db: extraPorts[0].name ("client") clashes with port, which uses the same name; give every port its own name'],
    ['extra port on servicePort', { port: 5432, servicePort: 9187, extraPorts: [{ name: 'metrics', port: 9187 }] },
      'shop/db: extraPorts[0].port (9187) is also servicePort, the client Service\'s port, which publishes extra ports on their own numbers, so it would list 9187 twice (the API server refuses that); give the extra port another number, or set servicePort to another (the pods listen on port 5432)'],
    ['extra port below 1024', { extraPorts: [{ name: 'metrics', port: 80 }] }, 'shop/db: extraPorts[0].port (80) must be a whole number from 1024 to 65535'],
    ['extra ports not a list', { extraPorts: { name: 'metrics', port: 9187 } as any }, "{ name: 'metrics', port: 9187 }"],
    ['volume size that does not parse', { volumes: [{ name: 'data', size: 'ten gigs', mountPath: '/data' }] }, 'shop/db: volumes[0].size ("ten gigs") is not a byte quantity'],
    ['zero volume size', { volumes: [{ name: 'data', size: '0Gi', mountPath: '/data' }] }, 'shop/db: volumes[0].size ("0Gi") must be more than zero; request a size such as "10Gi"'],
    ['relative mount path', { volumes: [{ name: 'data', size: '1Gi', mountPath: 'data' }] }, 'shop/db: volumes[0].mountPath ("data") must be an absolute path; write it as "/data"'],
    ['two volumes on one path', { volumes: [{ name: 'data', size: '1Gi', mountPath: '/data' }, { name: 'wal', size: '1Gi', mountPath: '/data/' }] },
      'shop/db: volumes[1].mountPath ("/data/") collides with volumes[0].mountPath (/data): one would hide the other; mount each volume at its own, non-nested directory'],
    ['nested volume mounts', { volumes: [{ name: 'data', size: '1Gi', mountPath: '/data' }, { name: 'wal', size: '1Gi', mountPath: '/data/wal' }] },
      'shop/db: volumes[1].mountPath ("/data/wal") collides with volumes[0].mountPath (/data): one would hide the other'],
    ['volume mount on a secret mount', { secretMounts: [{ secretName: 'creds', mountPath: '/data' }], volumes: [{ name: 'data', size: '1Gi', mountPath: '/data' }] },
      'shop/db: volumes[0].mountPath ("/data") is already mounted by secretMounts[0].mountPath; give each volume its own mount path'],
    ['volume mount on a writable path written with a trailing slash', { volumes: [{ name: 'data', size: '1Gi', mountPath: '/data' }], security: { writablePaths: ['/tmp', '/data/'] } },
      'shop/db: volumes[0].mountPath ("/data") is already mounted by security.writablePaths[1], as "/data/": the same directory; give each volume its own mount path'],
    ['volume mounted at /', { volumes: [{ name: 'data', size: '1Gi', mountPath: '/' }] },
      'shop/db: volumes[0].mountPath ("/") mounts a volume over the container\'s whole filesystem, hiding every file of the image (its program included): the container could not start; mount it in a directory of its own'],
    ['ConfigMap mounted at /', { configMapMounts: [{ configMapName: 'settings', mountPath: '/' }] }, 'shop/db: configMapMounts[0].mountPath ("/") mounts a volume over the container\'s whole filesystem'],
    ['volume mount on /tmp', { volumes: [{ name: 'scratch', size: '1Gi', mountPath: '/tmp' }] }, 'shop/db: volumes[0].mountPath ("/tmp") is already mounted by security.writablePaths[0] (a default writable path); mount the volume elsewhere, or set security.writablePaths without that path'],
    ['volume mount on /tmp through ..', { volumes: [{ name: 'scratch', size: '1Gi', mountPath: '/data/../tmp' }] }, 'shop/db: volumes[0].mountPath ("/data/../tmp") has a "." or ".." segment or an empty one ("//"): paths are checked as written, so a path must be the one it means; write it as "/tmp"'],
    ['volume mount path with //', { volumes: [{ name: 'data', size: '1Gi', mountPath: '/var//lib/db' }] }, 'shop/db: volumes[0].mountPath ("/var//lib/db") has a "." or ".." segment or an empty one ("//"): paths are checked as written, so a path must be the one it means; write it as "/var/lib/db"'],
    ['duplicate volume name', { volumes: [{ name: 'data', size: '1Gi', mountPath: '/a' }, { name: 'data', size: '1Gi', mountPath: '/b' }] },
      'shop/db: volumes[1].name ("data") is already used by volumes[0]; give every volume its own name'],
    ['reserved volume name', { volumes: [{ name: 'tmp', size: '1Gi', mountPath: '/a' }] }, 'shop/db: volumes[0].name ("tmp") is reserved for the pod\'s own volumes'],
    ['invalid volume name', { volumes: [{ name: 'Data_1', size: '1Gi', mountPath: '/a' }] }, 'shop/db: volumes[0].name ("Data_1")'],
    ['invalid storage class', { volumes: [{ name: 'data', size: '1Gi', mountPath: '/a', storageClassName: 'GP3!' }] }, 'shop/db: volumes[0].storageClassName ("GP3!")'],
    ['identical probes', { readiness: Probe.tcp(), liveness: Probe.tcp() }, 'shop/db: liveness ("tcp 8080") is the same check as the readiness probe'],
    ['backup schedule with six fields', { backup: { schedule: Schedule.cron('0 0 2 * * *') } }, "shop/db: backup.schedule (\"0 0 2 * * *\") has 6 field(s); a cron expression has exactly 5 (minute hour day-of-month month day-of-week); write it like '0 3 * * *' (no seconds field, no year field)"],
    ['backup schedule that never runs (November 31)', { backup: { schedule: Schedule.cron('0 2 31 11 *') } }, 'shop/db: backup.schedule ("0 2 31 11 *") never runs: no day of month in "31" exists in the month(s) "11"'],
    ['backup time zone inside the expression', { backup: { schedule: Schedule.cron('CRON_TZ=UTC 0 2 * * *') } }, 'shop/db: backup.schedule ("CRON_TZ=UTC 0 2 * * *") sets a time zone inside the expression, which shipshape writes itself from backup.timeZone; remove the CRON_TZ= prefix and set the backup.timeZone prop instead'],
    ['backup time zone unknown', { backup: { schedule: Schedule.cron('0 2 * * *'), timeZone: 'Mars/Olympus' } }, "shop/db: backup.timeZone (\"Mars/Olympus\") is not an IANA time zone name; use a name such as 'UTC' or 'Europe/Berlin'"],
    ['backup time zone in another case', { backup: { schedule: Schedule.cron('0 2 * * *'), timeZone: 'Utc' } }, 'shop/db: backup.timeZone ("Utc") is not spelled as the tz database spells it: Kubernetes and Velero look time zone names up case-sensitively and refuse it; write "UTC"'],
    ['backup TTL in days', { backup: { schedule: Schedule.cron('0 2 * * *'), ttl: '30d' } }, "shop/db: backup.ttl (\"30d\") is not a positive duration; write it in hours, minutes and seconds, for example '720h' (30 days) or '168h'"],
    ['backup TTL zero', { backup: { schedule: Schedule.cron('0 2 * * *'), ttl: '0h' } }, 'shop/db: backup.ttl ("0h") is not a positive duration'],
    ['backup namespace invalid', { backup: { schedule: Schedule.cron('0 2 * * *'), veleroNamespace: 'Velero' } }, 'shop/db: backup.veleroNamespace ("Velero")'],
  ])('%s', (_name, props, message) => {
    expectError(() => build(props), message.startsWith('shop/db') ? new RegExp('^' + message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : message);
  });

  test('a name over 52 characters (the controller-revision-hash label of its pods would be too long)', () => {
    expect(() => build({}, 'a'.repeat(52))).not.toThrow();
    expectError(() => build({}, 'a'.repeat(53)), `shop/${'a'.repeat(53)}: name ("${'a'.repeat(53)}") is 53 characters long: the StatefulSet controller labels each pod controller-revision-hash: "${'a'.repeat(53)}-<revision hash>", which would exceed the 63 characters a label value may have, so no pod would ever be created; use a name of at most 52 characters`);
  });

  test('the volume claim templates carry only labels that never change: an image upgrade, new labels or partOf leave them unchanged (the API refuses any change to them)', () => {
    const claims = (image: string, extra: Partial<StatefulServiceProps> = {}) => {
      const app = Testing.app();
      const chart = new Chart(app, 'shop', { namespace: 'shop' });
      new StatefulService(chart, 'db', { image, port: 5432, readiness: Probe.tcp(), liveness: Probe.exec(['pg_isready']), volumes: [{ name: 'data', size: '10Gi', mountPath: '/var/lib/data' }], ...extra });
      const set = Testing.synth(chart).find((o: any) => o.kind === 'StatefulSet');
      return { labels: set.metadata.labels, claims: set.spec.volumeClaimTemplates };
    };
    const before = claims('ghcr.io/acme/pg:16.4.0');
    const after = claims('ghcr.io/acme/pg:16.5.0', { labels: { 'acme.dev/team': 'checkout' }, partOf: 'shop' });
    expect(before.labels['app.kubernetes.io/version']).toBe('16.4.0');
    expect(after.labels).toMatchObject({ 'app.kubernetes.io/version': '16.5.0', 'acme.dev/team': 'checkout', 'app.kubernetes.io/part-of': 'shop' });
    expect(after.claims).toEqual(before.claims);
    expect(before.claims[0].metadata.labels).toEqual({ 'app.kubernetes.io/name': 'db', 'app.kubernetes.io/instance': 'db', 'app.kubernetes.io/component': 'database', 'app.kubernetes.io/managed-by': 'shipshape' });
  });
});

describe('examples/stateful-service', () => {
  test('synthesizes with k8s.App: valid for 1.27 and 1.36 (Velero CRD included), policy without error', () => {
    const outdir = tempDir();
    const before = process.env.CDK8S_OUTDIR;
    process.env.CDK8S_OUTDIR = outdir;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the example runs on import, like a cdk8s app
      jest.isolateModules(() => require('../../../examples/stateful-service/main'));
      const files = parseYamlFiles(outdir);
      expect(files.map(f => f.file)).toEqual(['store.k8s.yaml']);
      const docs = files[0].docs;
      expect(docs.map(d => d.kind).sort()).toEqual(['NetworkPolicy', 'PodDisruptionBudget', 'Schedule', 'Service', 'Service', 'ServiceAccount', 'StatefulSet']);
      expectValid(docs);
      const sts0 = docs.find(d => d.kind === 'StatefulSet');
      expect(sts0.spec.volumeClaimTemplates.map((v: any) => v.metadata.name)).toEqual(['data', 'wal']);
      expect(sts0.spec.replicas).toBe(3);
      const report = JSON.parse(fs.readFileSync(path.join(outdir, '.shipshape', 'policy-report.json'), 'utf-8'));
      expect(report.summary.errors).toBe(0);
    } finally {
      if (before === undefined) delete process.env.CDK8S_OUTDIR; else process.env.CDK8S_OUTDIR = before;
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('the PostgreSQL example of the StatefulService docs', () => {
  // the TSDoc example, as written there (with a pinned digest)
  const { objs } = build({
    image: `postgres:16.4@sha256:${'a'.repeat(64)}`,
    port: 5432,
    replicas: 1,
    volumes: [{ name: 'data', size: '50Gi', mountPath: '/var/lib/postgresql/data' }],
    security: { writablePaths: ['/tmp', '/var/run/postgresql'] },
    secretMounts: [{ secretName: 'db-credentials', mountPath: '/etc/db' }],
    env: {
      POSTGRES_PASSWORD_FILE: EnvValue.fromValue('/etc/db/password'),
      PGDATA: EnvValue.fromValue('/var/lib/postgresql/data/pgdata'),
    },
    readiness: Probe.exec(['pg_isready', '-q', '-h', '127.0.0.1']),
    liveness: Probe.tcp(),
    startup: Probe.tcp({ periodSeconds: 10, failureThreshold: 60 }),
    backup: { schedule: Schedule.cron('0 2 * * *') },
  });

  test('/tmp (the entrypoint\'s nss_wrapper files) and the socket directory are writable on the read-only root', () => {
    const c = main(objs);
    expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(c.volumeMounts.map((m: any) => m.mountPath)).toEqual(expect.arrayContaining(['/tmp', '/var/run/postgresql', '/var/lib/postgresql/data', '/etc/db']));
  });

  test('no probe speaks HTTP to port 5432, and liveness waits for a startup probe that allows 10 minutes (initdb listens on the socket only)', () => {
    const c = main(objs);
    expect([c.readinessProbe, c.livenessProbe, c.startupProbe].some((p: any) => p.httpGet !== undefined)).toBe(false);
    expect(c.startupProbe).toMatchObject({ tcpSocket: { port: 'client' }, periodSeconds: 10, failureThreshold: 60 });
    expect(c.ports).toContainEqual(expect.objectContaining({ name: 'client', containerPort: 5432 }));
  });

  test('it passes the policy', () => {
    expect(policyErrors(objs)).toEqual([]);
  });
});

describe('schedules and clock changes', () => {
  test('a backup at a time the clocks skip or repeat in its time zone is a construct warning; 03:00 in Berlin, or UTC, is not', () => {
    const warnings = (schedule: string, timeZone: string) => quietly(() => build({ volumes: DATA, backup: { schedule: Schedule.cron(schedule), timeZone } })).ss
      .node.metadata.filter(m => m.type === 'shipshape:warning').map(m => String(m.data));
    expect(warnings('30 2 * * *', 'Europe/Berlin')).toEqual([expect.stringMatching(
      /^backup\.schedule runs at 02:30 Europe\/Berlin, a time the clocks skip on \d{4}-03-\d\d \(daylight saving starts\): that day's run does not happen at that time and may not happen at all; pick a time the clocks never skip/)]);
    expect(warnings('30 1 * * *', 'America/New_York')).toEqual([expect.stringMatching(
      /^backup\.schedule runs at 01:30 America\/New_York, a time the clocks pass twice on \d{4}-11-\d\d \(daylight saving ends\): that day's run may happen twice/)]);
    expect(warnings('0 3 * * *', 'Europe/Berlin')).toEqual([]);
    expect(warnings('30 2 * * *', 'UTC')).toEqual([]);
    // a schedule that never runs on the day of the change (weekdays; the clocks change on a Sunday)
    expect(warnings('30 2 * * 1-5', 'Europe/Berlin')).toEqual([]);
  });
});
