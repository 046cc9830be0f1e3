// A fleet: two teams, two environments, three clusters, from one program.
// In your own project, import from the package instead: import { k8s, EnvironmentProfile, ... } from 'shipshape';
import { Construct } from 'constructs';
import { ClusterProfile, EnvironmentProfile, FleetDescription, k8s, KarpenterProfile } from '../../lib';

const { AddOnPack, Fleet } = k8s.platform;

// What each cluster offers. Written by hand here; in a program that also builds the clusters it is
// `aws.EksCluster.profile` (general and system pools, the gp3 class, the ALB class, identities for the add-ons).
function eks(name: string, region: string, environment: EnvironmentProfile, vpcCidr: string): ClusterProfile {
  const zones = ['a', 'b', 'c'].map(z => `${region}${z}`);
  const pool = (poolName: string, instanceTypes: string[], taints: ClusterProfile['nodePools'][0]['taints']) => ({
    name: poolName, labels: { 'shipshape.dev/node-pool': poolName }, taints, capacityType: 'ON_DEMAND', instanceTypes, architecture: 'amd64', zones, minSize: 3, maxSize: 12,
  });
  const identity = (namespace: string, serviceAccount: string) => ({ namespace, serviceAccount, roleName: `${name}-${serviceAccount}`, mechanism: 'pod-identity', serviceAccountAnnotations: {} });
  return {
    clusterName: name,
    kubernetesVersion: '1.33',
    environment,
    region,
    account: '123456789012',
    vpcCidr,
    zones,
    nodePools: [
      pool('general', ['m7i.xlarge'], []),
      pool('system', ['m7i.large'], [{ key: 'CriticalAddonsOnly', value: 'true', effect: 'NoSchedule' }]),
    ],
    storageClasses: [{
      name: 'gp3',
      provisioner: 'ebs.csi.aws.com',
      isDefault: true,
      parameters: { type: 'gp3', encrypted: 'true' },
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
      reclaimPolicy: 'Delete',
    }],
    ingressClasses: [{ name: 'alb', controller: 'ingress.k8s.aws/alb', isDefault: true }],
    networkPolicyEnforced: true,
    oidcIssuerOutput: 'oidc_issuer',
    workloadIdentities: [identity('external-dns', 'external-dns'), identity('kube-system', 'aws-load-balancer-controller')],
  };
}

// Karpenter on one cluster, as aws.Karpenter.profile describes it: the controller's Helm release (exact version,
// values, identity) becomes an add-on Application, its NodePool and EC2NodeClass go into the platform folder.
function karpenter(cluster: string, region: string): KarpenterProfile {
  const discovery = { 'karpenter.sh/discovery': cluster };
  return {
    clusterName: cluster,
    version: '1.14.1',
    interruptionQueueName: `${cluster}-karpenter`,
    controller: {
      repository: 'oci://public.ecr.aws/karpenter',
      chart: 'karpenter',
      version: '1.14.1',
      releaseName: 'karpenter',
      namespace: 'kube-system',
      values: { 'settings.clusterName': cluster, 'settings.interruptionQueue': `${cluster}-karpenter`, 'serviceAccount.name': 'karpenter', 'replicas': '2' },
      serviceAccountName: 'karpenter',
      identity: { namespace: 'kube-system', serviceAccount: 'karpenter', roleName: `${cluster}-karpenter`, mechanism: 'pod-identity', serviceAccountAnnotations: {} },
    },
    nodeClass: { name: 'default', roleName: `${cluster}-nodes`, subnetSelectorTags: discovery, securityGroupSelectorTags: discovery, amiAlias: 'al2023@v20250704', volumeSizeGiB: 50, tags: { team: 'platform' } },
    nodePools: [{
      name: 'burst',
      nodeClassGroup: 'karpenter.k8s.aws',
      nodeClassKind: 'EC2NodeClass',
      nodeClassName: 'default',
      labels: { 'shipshape.dev/node-pool': 'burst' },
      taints: [{ key: 'shipshape.dev/burst', value: 'true', effect: 'NoSchedule' }],
      capacityTypes: ['on-demand'],
      architectures: ['amd64'],
      instanceCategories: ['m', 'c'],
      minInstanceGeneration: 6,
      zones: ['a', 'b', 'c'].map(z => `${region}${z}`),
      cpuLimit: 200,
      memoryLimitGiB: 800,
      consolidationPolicy: 'WhenEmptyOrUnderutilized',
      consolidateAfter: '5m',
      expireAfter: '720h',
      disruptionBudgets: [{ nodes: '10%' }],
    }],
  };
}

// The fleet: adding a cluster is one line.
const description: FleetDescription = {
  name: 'acme',
  environments: [
    { name: 'staging', profile: EnvironmentProfile.STAGING, domain: 'staging.acme.example', sync: { automated: true, prune: true, selfHeal: true } },
    { name: 'production', profile: EnvironmentProfile.PRODUCTION, domain: 'acme.example' }, // manual sync
  ],
  clusters: [
    { name: 'staging-eu', environment: 'staging', region: 'eu-west-1', profile: eks('staging-eu', 'eu-west-1', EnvironmentProfile.STAGING, '10.10.0.0/16') },
    { name: 'prod-eu', environment: 'production', region: 'eu-west-1', profile: eks('prod-eu', 'eu-west-1', EnvironmentProfile.PRODUCTION, '10.20.0.0/16') },
    { name: 'prod-us', environment: 'production', region: 'us-east-1', profile: { ...eks('prod-us', 'us-east-1', EnvironmentProfile.PRODUCTION, '10.30.0.0/16'), karpenter: karpenter('prod-us', 'us-east-1') } },
  ],
};

// Team "shop": a storefront behind the cluster's ALB, and a cart service it calls, which calls the payments API.
// Defined once; what differs per cluster comes from the target: the profile (replicas, autoscaling, spread),
// resources by environment, and the hostname on the environment's domain.
class ShopWorkloads implements k8s.platform.IFleetWorkloads {
  public define(scope: Construct, target: k8s.platform.FleetTarget): void {
    const big = target.isProduction;
    const storefront = new k8s.WebService(scope, 'storefront', {
      image: 'ghcr.io/acme/storefront:2.3.0',
      port: 3000,
      partOf: 'shop',
      profile: target.profile,
      resources: { cpu: big ? '500m' : '250m', memory: big ? '512Mi' : '256Mi' },
    });
    const cart = new k8s.WebService(scope, 'cart', {
      image: 'ghcr.io/acme/cart:1.8.1',
      partOf: 'shop',
      profile: target.profile,
      replicas: big ? k8s.Replicas.autoscale({ min: 3, max: 12 }) : undefined,
    });
    cart.allowFrom(storefront);
    cart.allowTo(k8s.NetworkPeer.pods('payments', { 'app.kubernetes.io/name': 'payments-api', 'app.kubernetes.io/instance': 'payments-api' }, { ports: [8080] }));
    new k8s.HttpIngress(scope, 'shop', {
      rules: [{ host: target.hostname('shop'), paths: [{ backend: storefront }] }],
      tls: k8s.IngressTls.acmByHost(), // the clusters' default class is an ALB: ACM certificates, found by host
    });
  }
}

// Team "payments": an API in front of a ledger with storage; only the shop's cart may call the API.
class PaymentsWorkloads implements k8s.platform.IFleetWorkloads {
  public define(scope: Construct, target: k8s.platform.FleetTarget): void {
    const api = new k8s.WebService(scope, 'payments-api', { image: 'ghcr.io/acme/payments-api:4.1.0', partOf: 'payments', profile: target.profile });
    const ledger = new k8s.StatefulService(scope, 'ledger', {
      image: 'ghcr.io/acme/ledger:2.0.3',
      partOf: 'payments',
      profile: target.profile,
      port: 5432,
      quorum: true,
      // it speaks the PostgreSQL protocol on its port, not HTTP: probes that check the server
      readiness: k8s.Probe.exec(['pg_isready', '-q', '-h', '127.0.0.1']),
      liveness: k8s.Probe.tcp(),
      volumes: [{ name: 'data', size: target.isProduction ? '100Gi' : '20Gi', mountPath: '/var/lib/ledger' }],
      resources: { cpu: '500m', memory: '1Gi' },
    });
    ledger.allowFrom(api);
    api.allowFrom(k8s.NetworkPeer.pods('shop', { 'app.kubernetes.io/name': 'cart', 'app.kubernetes.io/instance': 'cart' }));
  }
}

const fleet = new Fleet({
  description,
  gitOps: { repoUrl: 'https://github.com/acme/platform.git', path: 'dist/fleet', targetRevision: 'main' },
  teams: [
    {
      name: 'shop',
      group: 'team-shop',
      workloads: new ShopWorkloads(),
      quota: { requestsCpu: '12' },
      access: { principalArn: 'arn:aws:iam::123456789012:role/team-shop' },
    },
    {
      name: 'payments',
      group: 'team-payments',
      workloads: new PaymentsWorkloads(),
      permissions: k8s.platform.TeamPermissions.VIEW,
      quota: { requestsCpu: '12', requestsMemory: '24Gi', limitsMemory: '24Gi' },
    },
  ],
  // Declared once, rolled out to every cluster at these exact versions.
  addOns: [
    AddOnPack.certManager(),
    AddOnPack.metricsServer(),
    AddOnPack.externalDns(),
    AddOnPack.awsLoadBalancerController(),
    AddOnPack.karpenter(),
  ],
});

fleet.synth();
