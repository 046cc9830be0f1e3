import { ApiObject, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { App, NetworkPeer, WebService } from '../../../lib/k8s';
import { stderrOfSynth } from '../../util/k8s';
import { tempDir } from '../../util/schema';
import { cluster } from '../platform/fixtures';

/** An app of a cluster (namespace shop gets a default deny), a shipshape service and a cdk8s-plus catalog behind a Service; returns stderr. */
function synthOf(extra: (chart: Chart, catalog: kplus.Deployment, api: WebService) => void = () => undefined, enforced = true): string {
  const app = new App({ outdir: tempDir('shipshape-foreign-'), policy: false, cluster: cluster({ networkPolicyEnforced: enforced }) });
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  const api = new WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.4.2' });
  const catalog = new kplus.Deployment(chart, 'catalog', {
    containers: [{ image: 'ghcr.io/acme/catalog:2.0.0', portNumber: 8080, securityContext: { user: 10001, group: 10001 } }],
  });
  catalog.exposeViaService({ name: 'catalog' });
  extra(chart, catalog, api);
  return stderrOfSynth(app);
}

describe('a workload shipshape did not write, behind a Service, that the output\'s NetworkPolicies isolate', () => {
  test('is named in a note when no NetworkPolicy admits a caller (the cluster app\'s default deny), even when a shipshape caller allows egress to it', () => {
    const stderr = synthOf((_chart, catalog, api) => api.allowTo(NetworkPeer.pods('shop', { ...catalog.matchLabels }), [8080]));
    expect(stderr).toMatch(/shipshape note: Deployment shop\/shop-catalog-c[0-9a-z]+, which shipshape did not write, is selected by Service shop\/catalog, and NetworkPolicy shop\/default-deny of this output isolates its pods with no rule that admits a caller: the Service reaches nothing where NetworkPolicies are enforced, an Ingress controller included; add a NetworkPolicy that selects its pods and admits its callers \(cdk8s-plus: connections\.allowFrom\(caller\); a shipshape workload's allowTo writes the caller's side only\)\n/);
    // the shipshape service is not named here (its own note names its missing allowFrom)
    expect(stderr).not.toMatch(/Deployment shop\/api, which shipshape did not write/);
  });

  test('is noted without a cluster profile and with the policy off too, for a namespace-wide deny of the output\'s own', () => {
    const app = new App({ outdir: tempDir('shipshape-foreign-'), policy: false });
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    const catalog = new kplus.Deployment(chart, 'catalog', {
      containers: [{ image: 'ghcr.io/acme/catalog:2.0.0', portNumber: 8080, securityContext: { user: 10001, group: 10001 } }],
    });
    catalog.exposeViaService({ name: 'catalog' });
    new ApiObject(chart, 'deny', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'deny-all' },
      spec: { podSelector: {}, policyTypes: ['Ingress'] },
    });
    expect(stderrOfSynth(app)).toMatch(/shipshape note: Deployment shop\/shop-catalog-c[0-9a-z]+, which shipshape did not write, is selected by Service shop\/catalog, and NetworkPolicy shop\/deny-all of this output isolates its pods/);
  });

  test('no note once a NetworkPolicy admits callers, on a cluster that does not enforce NetworkPolicies, or without a Service', () => {
    expect(synthOf(chart => new ApiObject(chart, 'catalog-in', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'catalog-in' },
      spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }], ports: [{ port: 8080 }] }] },
    }))).not.toContain('which shipshape did not write');
    expect(synthOf(undefined, false)).not.toContain('which shipshape did not write');
    const app = new App({ outdir: tempDir('shipshape-foreign-'), policy: false, cluster: cluster() });
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    new kplus.Deployment(chart, 'worker', { containers: [{ image: 'ghcr.io/acme/worker:2.0.0', securityContext: { user: 10001, group: 10001 } }] });
    expect(stderrOfSynth(app)).not.toContain('which shipshape did not write');
  });
});
