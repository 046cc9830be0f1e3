// A TeamNamespace in a namespace the cluster's controllers run in, and the namespaces and bindings declared twice.
import { ApiObject, Chart } from 'cdk8s';
import * as YAML from 'yaml';
import { cluster, errorOf, IMAGE, karpenterPool, karpenterProfile, outdir, quietly } from './fixtures';
import { ClusterProfile } from '../../../lib/core';
import { App, ClusterResources, Worker } from '../../../lib/k8s';
import { TeamNamespace } from '../../../lib/k8s/platform';
import { expectError, stderrOf } from '../../util/k8s';

const NGINX = { name: 'nginx', controller: 'k8s.io/ingress-nginx', isDefault: true, controllerNamespace: 'ingress-nginx' };

function platformOf(profile?: ClusterProfile): { app: App; platform: Chart } {
  const app = new App({ ...(profile ? { cluster: profile } : {}), outdir: outdir() });
  return { app, platform: new Chart(app, 'platform') };
}

function docs(app: App): any[] {
  return quietly(() => YAML.parseAllDocuments(app.synthYaml()).map((d: any) => d.toJS()).filter(Boolean));
}

describe('a TeamNamespace in a namespace where the cluster profile runs a controller or add-on', () => {
  test('the ingress controller\'s namespace of an ingress class is refused, naming the controller and the fix', () => {
    const { platform } = platformOf(cluster({ ingressClasses: [NGINX] }));
    expectError(() => new TeamNamespace(platform, 'edge', { team: 'edge', namespace: 'ingress-nginx', group: 'team-edge' }),
      'platform/edge: namespace ("ingress-nginx") is where the controller of IngressClass nginx (k8s.io/ingress-nginx) runs on cluster shop-prod '
      + '(its profile\'s ingressClasses[0].controllerNamespace); a team gets a namespace of its own: the team\'s Pod Security level (restricted), quota, LimitRange '
      + 'and default-deny NetworkPolicies would apply to the controller\'s pods and cut off their traffic; set namespace to one of the team\'s own, for example "edge"');
  });

  test('a team named like the controller\'s namespace is told to be named otherwise or to set namespace', () => {
    const { platform } = platformOf(cluster({ ingressClasses: [NGINX] }));
    expectError(() => new TeamNamespace(platform, 'edge', { team: 'ingress-nginx', group: 'team-edge' }),
      /^platform\/edge: namespace \("ingress-nginx"\) is where the controller of IngressClass nginx .*; name the team otherwise, or set namespace to one of the team's own, for example "team-ingress-nginx"$/);
  });

  test('the namespace of an ingress controller\'s release, of a Helm release and of Karpenter\'s controller are refused too', () => {
    const release = { repository: 'https://prometheus-community.github.io/helm-charts', chart: 'kube-prometheus-stack', version: '75.0.0', releaseName: 'monitoring', namespace: 'monitoring', values: {}, serviceAccountName: 'prometheus' };
    const withRelease = platformOf(cluster({ helmReleases: [release] }));
    expectError(() => new TeamNamespace(withRelease.platform, 'obs', { team: 'obs', namespace: 'monitoring', group: 'team-obs' }),
      'platform/obs: namespace ("monitoring") is where Helm release monitoring of chart kube-prometheus-stack runs on cluster shop-prod (its profile\'s helmReleases[0].namespace); '
      + 'a team gets a namespace of its own: the team\'s Pod Security level (restricted), quota, LimitRange and default-deny NetworkPolicies would apply to the controller\'s pods '
      + 'and cut off their traffic; set namespace to one of the team\'s own, for example "obs"');

    const controllerRelease = { ...release, chart: 'traefik', releaseName: 'traefik', namespace: 'traefik', serviceAccountName: 'traefik' };
    const traefik = platformOf(cluster({ ingressClasses: [{ name: 'traefik', controller: 'traefik.io/ingress-controller', isDefault: true, controllerRelease }] }));
    expectError(() => new TeamNamespace(traefik.platform, 'web', { team: 'web', namespace: 'traefik', group: 'team-web' }),
      /^platform\/web: namespace \("traefik"\) is where the controller of IngressClass traefik \(traefik.io\/ingress-controller\), Helm release traefik of chart traefik runs on cluster shop-prod \(its profile's ingressClasses\[0\]\.controllerRelease\.namespace\);/);

    const karpenter = karpenterProfile('shop-prod', [karpenterPool('general')]);
    const withKarpenter = platformOf(cluster({ karpenter: { ...karpenter, controller: { ...karpenter.controller, namespace: 'karpenter' } } }));
    expectError(() => new TeamNamespace(withKarpenter.platform, 'ops', { team: 'ops', namespace: 'karpenter', group: 'team-ops' }),
      /^platform\/ops: namespace \("karpenter"\) is where Karpenter's controller \(Helm release karpenter\) runs on cluster shop-prod \(its profile's karpenter\.controller\.namespace\);/);
  });

  test('the system namespaces stay refused, and a namespace the profile knows only through a workload identity is the team\'s to take', () => {
    const { platform } = platformOf(cluster({ ingressClasses: [NGINX] }));
    expectError(() => new TeamNamespace(platform, 'lease', { team: 'lease', namespace: 'kube-node-lease', group: 'team-lease' }),
      'platform/lease: namespace ("kube-node-lease") is a namespace every cluster has and shares; a team gets a namespace of its own; set namespace to one of its own, for example "lease"');
    const identity = { namespace: 'orders', serviceAccount: 'orders-worker', roleName: 'orders', mechanism: 'pod-identity', serviceAccountAnnotations: {} };
    const own = platformOf(cluster({ ingressClasses: [NGINX], workloadIdentities: [identity] }));
    expect(new TeamNamespace(own.platform, 'orders', { team: 'orders', group: 'team-orders' }).namespace).toBe('orders');
  });

  test('an app that knows no cluster cannot tell where its controllers run: the namespace is taken as before', () => {
    const { app, platform } = platformOf();
    new TeamNamespace(platform, 'edge', { team: 'edge', namespace: 'ingress-nginx', group: 'team-edge' });
    expect(docs(app).filter(d => d.kind === 'Namespace').map(d => d.metadata.name)).toEqual(['ingress-nginx']);
  });
});

describe('one team with several namespaces that ask for clusterView', () => {
  test('the identical cluster-wide view binding is written once, and both TeamNamespaces share it', () => {
    const { app, platform } = platformOf(cluster());
    const a = new TeamNamespace(platform, 'shop-a', { team: 'shop', namespace: 'shop-a', group: 'team-shop', clusterView: true });
    const b = new TeamNamespace(platform, 'shop-b', { team: 'shop', namespace: 'shop-b', group: 'team-shop', clusterView: true });
    expect(b.clusterViewBinding).toBe(a.clusterViewBinding);
    const bindings = docs(app).filter(d => d.kind === 'ClusterRoleBinding');
    expect(bindings.map(d => [d.metadata.name, d.subjects, d.roleRef.name])).toEqual([
      ['team-shop-view', [{ kind: 'Group', name: 'team-shop', apiGroup: 'rbac.authorization.k8s.io' }], 'view'],
    ]);
  });

  test('a second namespace of the team with another group is refused, naming both TeamNamespaces and the groups', () => {
    const { platform } = platformOf(cluster());
    new TeamNamespace(platform, 'shop-a', { team: 'shop', namespace: 'shop-a', group: 'team-shop', clusterView: true });
    expectError(() => new TeamNamespace(platform, 'shop-b', { team: 'shop', namespace: 'shop-b', group: 'team-shop-ops', clusterView: true }),
      'platform/shop-b: clusterView (true) would bind group "team-shop-ops" to view cluster-wide in ClusterRoleBinding team-shop-view, which TeamNamespace platform/shop-a '
      + '(team shop\'s other namespace, also with clusterView) writes for group "team-shop": a team has one cluster-wide view binding, so its groups must agree; '
      + 'give both TeamNamespaces of team shop the same group, or leave clusterView off on one of them');
    // without clusterView on the second, its own group binds in its namespace only
    expect(() => new TeamNamespace(platform, 'shop-c', { team: 'shop', namespace: 'shop-c', group: 'team-shop-ops' })).not.toThrow();
  });
});

describe('a namespace declared twice', () => {
  test('a TeamNamespace and ClusterResources.addNamespace of its namespace: the one declared second says what is wrong, whichever it is', () => {
    const profile = cluster();
    const first = platformOf(profile);
    new TeamNamespace(first.platform, 'orders', { team: 'orders', group: 'team-orders' });
    const resources = new ClusterResources(first.app, ClusterResources.ID, { cluster: profile });
    expectError(() => resources.addNamespace('orders', {}),
      'cluster-resources: namespace ("orders") is declared twice: by TeamNamespace platform/orders (team orders) and by ClusterResources.addNamespace("orders") of cluster-resources, '
      + 'and both would write Namespace orders; declare it once: a TeamNamespace writes its Namespace, with its Pod Security level (restricted), itself, '
      + 'so drop this addNamespace("orders") call');

    const second = platformOf(profile);
    new ClusterResources(second.app, ClusterResources.ID, { cluster: profile }).addNamespace('orders');
    expectError(() => new TeamNamespace(second.platform, 'orders', { team: 'orders', group: 'team-orders' }),
      'platform/orders: namespace ("orders") is declared twice: by this TeamNamespace and by ClusterResources.addNamespace("orders") of cluster-resources, '
      + 'and both would write Namespace orders; declare it once: a TeamNamespace writes its Namespace, with its Pod Security level (restricted), itself, '
      + 'so drop the addNamespace("orders") call');
  });

  test('a TeamNamespace and a Namespace of the program\'s own: one error, and no note saying shipshape defers to that Namespace', () => {
    const { app, platform } = platformOf(cluster());
    new TeamNamespace(platform, 'orders', { team: 'orders', group: 'team-orders' });
    new ApiObject(platform, 'orders-ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'orders' } });
    // a workload there: synth used to note first that shipshape writes no Namespace for orders, then fail on two of them
    new Worker(new Chart(app, 'orders', { namespace: 'orders' }), 'worker', { image: IMAGE });
    let message = '';
    const stderr = stderrOf(() => { message = errorOf(() => app.synth()); });
    expect(message).toBe('Validation failed with the following errors:\n'
      + '  platform/orders: namespace ("orders") is also written by platform/orders-ns, a Namespace of the program\'s own: it and this TeamNamespace both write Namespace orders '
      + '(kubectl apply and Argo CD would keep only one of them); keep one: remove platform/orders-ns (this TeamNamespace writes Namespace orders itself, '
      + 'with Pod Security restricted and its guard rails), or remove this TeamNamespace');
    expect(stderr).not.toContain('shipshape writes no Namespace for it');
  });

  test('two TeamNamespaces of one namespace: the error names the namespace and both TeamNamespaces, not a team declared twice', () => {
    const { platform } = platformOf(cluster());
    new TeamNamespace(platform, 'orders', { team: 'orders', group: 'team-orders' });
    expectError(() => new TeamNamespace(platform, 'orders2', { team: 'orders2', namespace: 'orders', group: 'team-orders' }),
      'platform/orders2: namespace ("orders") is also the namespace of TeamNamespace platform/orders (team orders): it and this TeamNamespace (team orders2) '
      + 'would both write Namespace orders and its guard rails; declare namespace orders once: give one of them a namespace of its own (namespace), or drop one');
  });
});
