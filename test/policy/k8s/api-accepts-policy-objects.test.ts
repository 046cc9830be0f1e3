// SS-K8S-101: NetworkPolicies, roles and bindings the API server refuses, on manifests written by hand.
import { PolicyEngine } from '../../../lib/policy/engine';
import { KubernetesPack } from '../../../lib/policy/k8s/kubernetes-pack';
import { k8sDocument } from '../../../lib/policy/runner';

function hits(ruleId: string, manifests: any[]): string[] {
  const engine = new PolicyEngine({ packs: [new KubernetesPack()] });
  const report = engine._check(manifests.map((m, i) => k8sDocument(m, `doc${i}`)), [], []);
  return report.findings.filter(f => f.ruleId === ruleId).map(f => `${f.kind}/${f.name} ${f.jsonPath}: ${f.message}`);
}

const RBAC = 'rbac.authorization.k8s.io';
const np = (spec: any) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'web', namespace: 'shop' }, spec: { podSelector: { matchLabels: { app: 'web' } }, ...spec } });
const role = (kind: 'Role' | 'ClusterRole', rules: any[]) => ({ apiVersion: `${RBAC}/v1`, kind, metadata: { name: 'reader', ...(kind === 'Role' ? { namespace: 'shop' } : {}) }, rules });
const binding = (kind: 'RoleBinding' | 'ClusterRoleBinding', roleRef: any, subjects: any[]) =>
  ({ apiVersion: `${RBAC}/v1`, kind, metadata: { name: 'readers', ...(kind === 'RoleBinding' ? { namespace: 'shop' } : {}) }, roleRef, subjects });

describe('SS-K8S-101 NetworkPolicies the API server accepts', () => {
  test('usual policies pass: both types, port ranges, selectors and IP blocks as separate peers', () => {
    expect(hits('SS-K8S-101', [np({
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: {} }, { namespaceSelector: { matchLabels: { team: 'a' } }, podSelector: { matchLabels: { app: 'x' } } }], ports: [{ port: 8080 }, { port: 'http', protocol: 'TCP' }] }],
      egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }], ports: [{ port: 32000, endPort: 32768, protocol: 'UDP' }] }, {}],
    })])).toEqual([]);
  });

  test('policy types and protocols in another case are refused, with the spelling meant', () => {
    expect(hits('SS-K8S-101', [np({ policyTypes: ['ingress', 'Egress'], ingress: [{ ports: [{ port: 80, protocol: 'tcp' }] }] })])).toEqual([
      'NetworkPolicy/web spec.policyTypes[0]: policyTypes entry "ingress" is not Ingress or Egress as the API spells them; did you mean Ingress?',
      'NetworkPolicy/web spec.ingress[0].ports[0].protocol: NetworkPolicy port protocol "tcp" is not TCP, UDP or SCTP as the API spells them; did you mean TCP?',
    ]);
  });

  test('an endPort without a numeric port or below it, an empty peer, an ipBlock beside a selector, and bad CIDRs are refused', () => {
    expect(hits('SS-K8S-101', [np({
      ingress: [{ from: [{}, { ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }], ports: [{ endPort: 90 }, { port: 'http', endPort: 90 }, { port: 100, endPort: 90 }] }],
      egress: [{ to: [{ ipBlock: { cidr: '10.0.0/8' } }, { ipBlock: { cidr: '10.0.0.0/16', except: ['10.0.0.0/16', '192.168.0.0/24'] } }] }],
    })])).toEqual([
      'NetworkPolicy/web spec.ingress[0].ports[0].endPort: NetworkPolicy endPort is set without a port: the API needs the range\'s first port in port',
      'NetworkPolicy/web spec.ingress[0].ports[1].endPort: NetworkPolicy endPort is set with the named port "http": a range needs a port number',
      'NetworkPolicy/web spec.ingress[0].ports[2].endPort: NetworkPolicy endPort 90 is below port 100: the range must end at or after its first port',
      'NetworkPolicy/web spec.ingress[0].from[0]: NetworkPolicy peer selects nothing: the API needs a podSelector, a namespaceSelector or an ipBlock (leave the from or to list out to allow all)',
      'NetworkPolicy/web spec.ingress[0].from[1]: NetworkPolicy peer has an ipBlock beside a pod or namespace selector: the API takes one or the other; write two peers',
      'NetworkPolicy/web spec.egress[0].to[0].ipBlock.cidr: NetworkPolicy ipBlock cidr "10.0.0/8" is not a CIDR (such as 10.0.0.0/16)',
      'NetworkPolicy/web spec.egress[0].to[1].ipBlock.except[0]: NetworkPolicy ipBlock except "10.0.0.0/16" is not a CIDR strictly inside 10.0.0.0/16: the API refuses it',
      'NetworkPolicy/web spec.egress[0].to[1].ipBlock.except[1]: NetworkPolicy ipBlock except "192.168.0.0/24" is not a CIDR strictly inside 10.0.0.0/16: the API refuses it',
    ]);
  });
});

describe('SS-K8S-101 roles and bindings the API server accepts', () => {
  test('usual roles and bindings pass', () => {
    expect(hits('SS-K8S-101', [
      role('Role', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }]),
      role('ClusterRole', [{ nonResourceURLs: ['/metrics'], verbs: ['get'] }, { apiGroups: ['apps'], resources: ['deployments'], verbs: ['list'] }]),
      binding('RoleBinding', { apiGroup: RBAC, kind: 'Role', name: 'reader' }, [{ kind: 'ServiceAccount', name: 'web' }, { kind: 'User', name: 'jane' }, { kind: 'Group', name: 'ops', apiGroup: RBAC }]),
      binding('ClusterRoleBinding', { apiGroup: RBAC, kind: 'ClusterRole', name: 'reader' }, [{ kind: 'ServiceAccount', name: 'web', namespace: 'shop' }]),
    ])).toEqual([]);
  });

  test('a rule without verbs, apiGroups or resources, and non-resource URLs in a Role or beside resources, are refused', () => {
    expect(hits('SS-K8S-101', [
      role('Role', [{ apiGroups: [''], resources: ['pods'] }, { resources: ['pods'], verbs: ['get'] }, { apiGroups: [''], verbs: ['get'] }, { nonResourceURLs: ['/metrics'], verbs: ['get'] }]),
      role('ClusterRole', [{ nonResourceURLs: ['/metrics'], resources: ['pods'], verbs: ['get'] }]),
    ])).toEqual([
      'Role/reader rules[0].verbs: Role rule has no verbs: the API needs at least one (get, list, ...)',
      'Role/reader rules[1].apiGroups: Role rule has no apiGroups: the API needs them (write [""] for the core group: pods, secrets, configmaps)',
      'Role/reader rules[2].resources: Role rule has no resources: the API needs at least one',
      'Role/reader rules[3].nonResourceURLs: Role rule has nonResourceURLs: only a ClusterRole may grant non-resource URLs',
      'ClusterRole/reader rules[0].nonResourceURLs: Role rule has nonResourceURLs beside apiGroups or resources: the API takes a rule for one or the other; write two rules',
    ]);
  });

  test('a roleRef of another group or kind, a subject of another kind or group, and a ServiceAccount without namespace in a ClusterRoleBinding are refused', () => {
    expect(hits('SS-K8S-101', [
      binding('ClusterRoleBinding', { apiGroup: 'rbac.authorization.k8s.io/v1', kind: 'Role', name: 'reader' }, [
        { kind: 'ServiceAccount', name: 'web' }, { kind: 'serviceaccount', name: 'api', namespace: 'shop' }, { kind: 'ServiceAccount', name: 'x', namespace: 'shop', apiGroup: RBAC },
        { kind: 'User', name: 'jane', apiGroup: 'v1' }, { kind: 'Group' },
      ]),
    ])).toEqual([
      'ClusterRoleBinding/readers roleRef.apiGroup: roleRef apiGroup "rbac.authorization.k8s.io/v1" is not rbac.authorization.k8s.io: the API refuses it',
      'ClusterRoleBinding/readers roleRef.kind: roleRef kind "Role" is not ClusterRole: a ClusterRoleBinding binds ClusterRoles only',
      'ClusterRoleBinding/readers subjects[0].namespace: ServiceAccount subject web has no namespace: a ClusterRoleBinding needs the ServiceAccount\'s namespace',
      'ClusterRoleBinding/readers subjects[1].kind: Subject kind "serviceaccount" is not ServiceAccount, User or Group; did you mean ServiceAccount?',
      'ClusterRoleBinding/readers subjects[2].apiGroup: ServiceAccount subject has apiGroup "rbac.authorization.k8s.io": a ServiceAccount is in the core group (leave apiGroup out)',
      'ClusterRoleBinding/readers subjects[3].apiGroup: User subject has apiGroup "v1": it is rbac.authorization.k8s.io (or left out)',
      'ClusterRoleBinding/readers subjects[4].name: Group subject has no name: the API needs one',
    ]);
  });
});
