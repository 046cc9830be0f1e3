import { Chart } from 'cdk8s';
import * as YAML from 'yaml';
import { App, EnvValue, NodeAgent, Probe, StatefulService } from '../../../lib/k8s';
import { Policy } from '../../../lib/policy';
import { expectError, quietly } from '../../util/k8s';
import { tempDir } from '../../util/schema';

// Workload input a user gets wrong easily. An image built for its own user (postgres runs as 999) may keep it: a user or group id below 10001 is the
// policy's warning SS-K8S-005, accepted with a reason, not a refusal at construction. Root (0) stays refused.

const IMAGE = 'ghcr.io/acme/db:16.4';

function synth(accept: boolean): { yaml: string; stderr: string } {
  const app = new App({ outdir: tempDir() });
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  const db = new StatefulService(chart, 'db', {
    image: 'postgres:16.4',
    port: 5432,
    replicas: 1,
    spread: false,
    readiness: Probe.exec(['pg_isready', '-q', '-h', '127.0.0.1']),
    liveness: Probe.tcp(),
    env: { PGDATA: EnvValue.fromValue('/var/lib/postgresql/data/pgdata'), POSTGRES_HOST_AUTH_METHOD: EnvValue.fromValue('scram-sha-256'), POSTGRES_PASSWORD_FILE: EnvValue.fromValue('/var/run/secrets/db/password') },
    secretMounts: [{ secretName: 'db-superuser', mountPath: '/var/run/secrets/db' }],
    volumes: [{ name: 'data', mountPath: '/var/lib/postgresql/data', size: '10Gi' }],
    security: { runAsUser: 999, runAsGroup: 999, fsGroup: 999, writablePaths: ['/tmp', '/var/run/postgresql'] },
  });
  if (accept) Policy.suppress(db, 'SS-K8S-005', 'the postgres image owns its files as user and group 999');
  let stderr = '';
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((s: any) => {
    stderr += String(s);
    return true;
  });
  try {
    return { yaml: app.synthYaml(), stderr };
  } finally {
    spy.mockRestore();
  }
}

describe('user and group ids below 10001', () => {
  test('are written as given, pod and container, with the fsGroup', () => {
    const docs = YAML.parseAllDocuments(synth(true).yaml).map(d => d.toJS());
    const pod = docs.find((d: any) => d.kind === 'StatefulSet').spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 999, runAsGroup: 999, fsGroup: 999 });
    expect(pod.containers[0].securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 999, runAsGroup: 999 });
  });

  test('are the policy warning SS-K8S-005 (the synth passes), silenced by a suppression with a reason', () => {
    const warned = synth(false).stderr;
    expect(warned).toContain('WARNING SS-K8S-005');
    expect(warned).toContain('Container runAsUser is 999, below 10001');
    expect(synth(true).stderr).not.toContain('WARNING SS-K8S-005');
  });

  test('root stays refused; a NodeAgent is told about HostAccess.runAsRoot', () => {
    const chart = new Chart(new App({ outdir: tempDir() }), 'ops', { namespace: 'ops' });
    expectError(() => new StatefulService(chart, 'db', { readiness: Probe.http('/readyz'), liveness: Probe.http('/livez'), image: IMAGE, port: 5432, security: { fsGroup: 0 } }),
      'ops/db: security.fsGroup (0) must be a positive whole number (0 is root); use 10001 or more, or the id the image\'s files belong to');
    expectError(() => quietly(() => new NodeAgent(chart, 'agent', { image: 'ghcr.io/acme/agent:1.0.0', ports: [{ name: 'http', port: 8080 }], security: { runAsUser: 0 } })),
      'ops/agent: security.runAsUser (0) must be a positive whole number (0 is root); use 10001 or more, or the id the image\'s files belong to; '
      + 'an agent that reads node files only root may read runs as root with HostAccess.runAsRoot(reason)');
  });
});

describe('byte quantities written without a unit', () => {
  const chart = () => new Chart(new App({ outdir: tempDir() }), 'shop', { namespace: 'shop' });

  test('a volume size below 1Mi is refused, "20" told to be "20Gi"', () => {
    expectError(() => new StatefulService(chart(), 'db', { readiness: Probe.http('/readyz'), liveness: Probe.http('/livez'), image: IMAGE, port: 5432, volumes: [{ name: 'data', mountPath: '/data', size: '20' }] }),
      'shop/db: volumes[0].size ("20") is 20 bytes, below 1Mi: no disk is that small (EBS volumes start at 1 GiB); add the unit: "20Gi" (a number without a unit counts bytes)');
  });

  test('ephemeral storage below 4Mi is refused, request and limit', () => {
    expectError(() => new StatefulService(chart(), 'db', { readiness: Probe.http('/readyz'), liveness: Probe.http('/livez'), image: IMAGE, port: 5432, resources: { ephemeralStorage: '1' } }),
      'shop/db: resources.ephemeralStorage ("1") is 1 bytes, below 4Mi: the container\'s logs and writable paths count against it, and the kubelet evicts the pod once they pass the limit; add the unit: "1Mi"');
    expectError(() => new StatefulService(chart(), 'db', { readiness: Probe.http('/readyz'), liveness: Probe.http('/livez'), image: IMAGE, port: 5432, resources: { ephemeralStorageLimit: '2k' } }),
      'shop/db: resources.ephemeralStorageLimit ("2k") is 2000 bytes, below 4Mi: the container\'s logs and writable paths count against it, and the kubelet evicts the pod once they pass the limit; give it 4Mi or more');
  });

  test('sizes with units are kept', () => {
    const c = chart();
    new StatefulService(c, 'db', { readiness: Probe.http('/readyz'), liveness: Probe.http('/livez'), image: IMAGE, port: 5432, volumes: [{ name: 'data', mountPath: '/data', size: '1Gi' }], resources: { ephemeralStorage: '64Mi', ephemeralStorageLimit: '1Gi' } });
    const sts = c.toJson().find((o: any) => o.kind === 'StatefulSet');
    expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('1Gi');
    expect(sts.spec.template.spec.containers[0].resources.requests['ephemeral-storage']).toBe('64Mi');
  });
});
