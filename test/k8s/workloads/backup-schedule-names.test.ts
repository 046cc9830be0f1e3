import * as fs from 'fs';
import { Chart, Testing } from 'cdk8s';
import { App, Schedule, StatefulService, StatefulServiceProps } from '../../../lib/k8s';
import { expectError, quietly } from '../../util/k8s';
import { expectValid, parseYamlFiles, tempDir } from '../../util/schema';

const IMAGE = 'ghcr.io/acme/store:2.1.0';
const BACKUP = { schedule: Schedule.cron('0 2 * * *') };
/** The data a backup saves. */
const DATA = [{ name: 'data', mountPath: '/var/lib/data', size: '10Gi' }];
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The Velero Schedule of a StatefulService `name` in namespace `namespace`. */
function schedule(namespace: string, name: string, props: Partial<StatefulServiceProps> = {}): any {
  const c = new Chart(Testing.app(), 'c', { namespace });
  new StatefulService(c, 'db', { image: IMAGE, name, volumes: DATA, backup: BACKUP, ...props });
  return c.toJson().find(o => o.kind === 'Schedule');
}

describe('Velero Schedule names (the Schedules of every namespace share Velero\'s namespace)', () => {
  test('<namespace>-<name> when the namespace holds no "-" and the join fits', () => {
    expect(schedule('shop', 'db').metadata.name).toBe('shop-db');
    expect(schedule('shop', 'orders-db').metadata.name).toBe('shop-orders-db');
  });

  test('namespace shop with orders-db and namespace shop-orders with db get different names (the "-" join is the same)', () => {
    const a = schedule('shop', 'orders-db');
    const b = schedule('shop-orders', 'db');
    expect(a.metadata.name).toBe('shop-orders-db');
    // a namespace with "-" gets a hash of the pair: readable, and never the plain join of another pair
    expect(b.metadata.name).toBe('shop-orders-db-81814312');
    expect(b.metadata.name).not.toBe(a.metadata.name);
    expect(b.metadata.namespace).toBe('velero');
    expect(b.spec.template.includedNamespaces).toEqual(['shop-orders']);
  });

  test('two long namespaces that start alike get different names of at most 63 characters', () => {
    const prefix = 'team-' + 'x'.repeat(50);
    const a = schedule(`${prefix}-alpha`, 'db').metadata.name;
    const b = schedule(`${prefix}-bravo`, 'db').metadata.name;
    expect(a).toBe(`team-${'x'.repeat(49)}-2becfdda`);
    expect(b).toBe(`team-${'x'.repeat(49)}-7d941a5b`);
    for (const n of [a, b]) {
      expect(n.length).toBeLessThanOrEqual(63);
      expect(n).toMatch(DNS_LABEL);
    }
    // a namespace without "-" whose join is too long is cut short and hashed too
    const long = schedule('n'.repeat(40), 'a'.repeat(40)).metadata.name;
    expect(long).toHaveLength(63);
    expect(long).toMatch(new RegExp(`^${'n'.repeat(40)}-${'a'.repeat(13)}-[0-9a-f]{8}$`));
  });

  test('the name is the same on every synth', () => {
    expect(schedule('shop-orders', 'db').metadata.name).toBe(schedule('shop-orders', 'db').metadata.name);
  });

  test('both colliding pairs synthesize into one k8s.App (whose whole-output check refuses a kind/namespace/name written twice)', () => {
    const outdir = tempDir();
    try {
      const app = new App({ outdir, policy: false });
      new StatefulService(new Chart(app, 'shop', { namespace: 'shop' }), 'orders-db', { image: IMAGE, volumes: DATA, backup: BACKUP });
      new StatefulService(new Chart(app, 'shop-orders', { namespace: 'shop-orders' }), 'db', { image: IMAGE, volumes: DATA, backup: BACKUP });
      quietly(() => app.synth());
      const schedules = parseYamlFiles(outdir).flatMap(f => f.docs).filter(d => d.kind === 'Schedule');
      expect(schedules.map(s => s.metadata.name).sort()).toEqual(['shop-orders-db', 'shop-orders-db-81814312']);
      expectValid(schedules);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('backup.scheduleName names the Schedule (to keep the name an existing Schedule has)', () => {
    expect(schedule('shop-orders', 'db', { backup: { ...BACKUP, scheduleName: 'shop-orders-db' } }).metadata.name).toBe('shop-orders-db');
    expectError(() => schedule('shop', 'db', { backup: { ...BACKUP, scheduleName: 'Nightly_DB' } }),
      'c/db: backup.scheduleName ("Nightly_DB") must be an RFC 1123 DNS label: 1-63 characters of a-z, 0-9 and \'-\', starting and ending with a letter or digit; use a name such as "nightly-db"');
  });
});
