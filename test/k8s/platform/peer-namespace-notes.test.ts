// The note on a NetworkPolicy peer in a namespace that neither the output nor the app's cluster profile has.
import { Chart } from 'cdk8s';
import { cluster, IMAGE, outdir } from './fixtures';
import { ClusterProfile } from '../../../lib/core';
import { App, NetworkPeer, WebService, Worker } from '../../../lib/k8s';
import { outputNotes } from '../../../lib/k8s/output-notes';
import { stderrOfSynth } from '../../util/k8s';

/** The peer notes among the lines synth wrote on stderr. */
function peerNotes(stderr: string): string[] {
  return stderr.split('\n').filter(l => / names? a peer in namespace /.test(l));
}

/** An app with web services api in namespace payments and web in namespace shop. */
function shopApp(profile: ClusterProfile | undefined): { app: App; web: WebService } {
  const app = new App({ ...(profile ? { cluster: profile } : {}), outdir: outdir() });
  new WebService(new Chart(app, 'payments', { namespace: 'payments' }), 'api', { image: IMAGE });
  const web = new WebService(new Chart(app, 'shop', { namespace: 'shop' }), 'web', { image: IMAGE });
  return { app, web };
}

const netpol = (ns: string, name: string, spec: any, labels: { [k: string]: string } = {}) => ({
  manifest: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns, labels }, spec }, path: `${ns}/${name}`,
});
const toNamespace = (ns: string) => ({ podSelector: { matchLabels: { app: 'x' } }, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } } }] }] });

describe('a NetworkPolicy peer in a namespace neither the output nor the cluster profile has', () => {
  test('a likely typo of a namespace of the output is noted once, with the namespace it is a slip away from', () => {
    const { app, web } = shopApp(cluster());
    web.allowTo(NetworkPeer.pods('paymnts', { 'app.kubernetes.io/name': 'api' }, { ports: [8080] }));
    expect(peerNotes(stderrOfSynth(app))).toEqual([
      'shipshape note: cluster shop-prod: NetworkPolicy shop/web names a peer in namespace paymnts, which neither the output nor the cluster\'s profile has '
      + '(no Namespace or object of the output is in it, nor is it a system, controller, add-on or workload identity namespace of the profile; a typo of payments?), '
      + 'so the rule reaches nothing there unless paymnts is made outside the program; fix the name, or make sure paymnts exists on the cluster',
    ]);
  });

  test('a namespace far from every namespace of the output is noted without a guess, once for all the policies naming it', () => {
    const { app, web } = shopApp(cluster());
    web.allowFrom(NetworkPeer.namespace('monitoring'));
    const worker = new Worker(new Chart(app, 'jobs', { namespace: 'jobs' }), 'exporter', { image: IMAGE });
    worker.allowTo(NetworkPeer.pods('monitoring', { 'app.kubernetes.io/name': 'prometheus' }, { ports: [9090] }));
    expect(peerNotes(stderrOfSynth(app))).toEqual([
      'shipshape note: cluster shop-prod: NetworkPolicy shop/web, NetworkPolicy jobs/exporter name a peer in namespace monitoring, which neither the output nor the cluster\'s profile has '
      + '(no Namespace or object of the output is in it, nor is it a system, controller, add-on or workload identity namespace of the profile), '
      + 'so the rule reaches nothing there unless monitoring is made outside the program; if monitoring is made outside the program (a controller installed by other means), '
      + 'the profile may name it (helmReleases, or an ingress class\'s controllerNamespace); otherwise check the name',
    ]);
  });

  test('namespaces of the output and those the profile knows (a controller\'s, a Helm release\'s, a workload identity\'s, the system ones) are not noted', () => {
    const release = { repository: 'https://prometheus-community.github.io/helm-charts', chart: 'kube-prometheus-stack', version: '75.0.0', releaseName: 'monitoring', namespace: 'monitoring', values: {}, serviceAccountName: 'prometheus' };
    const identity = { namespace: 'billing', serviceAccount: 'billing', roleName: 'billing', mechanism: 'pod-identity', serviceAccountAnnotations: {} };
    const { app, web } = shopApp(cluster({
      ingressClasses: [{ name: 'nginx', controller: 'k8s.io/ingress-nginx', isDefault: true, controllerNamespace: 'ingress-nginx' }],
      helmReleases: [release],
      workloadIdentities: [identity],
    }));
    web.allowTo(NetworkPeer.pods('payments', { 'app.kubernetes.io/name': 'api' }, { ports: [8080] }));
    web.allowFrom(NetworkPeer.namespace('ingress-nginx'));
    web.allowFrom(NetworkPeer.namespace('monitoring'));
    web.allowTo(NetworkPeer.pods('billing', { app: 'billing' }, { ports: [8080] }));
    web.allowTo(NetworkPeer.pods('kube-system', { 'k8s-app': 'metrics-server' }, { ports: [443] }));
    expect(peerNotes(stderrOfSynth(app))).toEqual([]);
  });

  test('an app without a cluster profile knows no namespace, and notes none', () => {
    const { app, web } = shopApp(undefined);
    web.allowTo(NetworkPeer.pods('paymnts', { 'app.kubernetes.io/name': 'api' }, { ports: [8080] }));
    expect(peerNotes(stderrOfSynth(app))).toEqual([]);
  });

  test('a short name a few edits from a namespace of the output is no guess; a fleet\'s team policies are left to the fleet', () => {
    const output = [
      { manifest: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'db' } }, path: 'cluster-resources/namespace-db' },
      netpol('db', 'api', toNamespace('ui')),
      netpol('db', 'team', toNamespace('analytcs'), { 'shipshape.io/team': 'db' }),
    ];
    const notes = outputNotes(output, cluster()).filter(n => n.includes('a peer in namespace'));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/^shipshape note: cluster shop-prod: NetworkPolicy db\/api names a peer in namespace ui, .*of the profile\), so the rule/);
    expect(outputNotes(output, undefined).filter(n => n.includes('a peer in namespace'))).toEqual([]);
  });
});
