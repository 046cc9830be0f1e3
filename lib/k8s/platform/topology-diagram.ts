import { ApiObject } from 'cdk8s';
import type * as corev1 from 'kubernetes-types/core/v1';
import type * as metav1 from 'kubernetes-types/meta/v1';
import type * as networkingv1 from 'kubernetes-types/networking/v1';
import { fail } from '../../core/errors';
import { selectorMatches } from '../../policy/k8s/selectors';
import type { App, IOutputFile } from '../app';

/**
 * Options of a `TopologyDiagram`.
 */
export interface TopologyDiagramOptions {
  /**
   * The Markdown file's path inside the app's output folder.
   * @default "topology.md"
   */
  readonly path?: string;
  /**
   * What the diagram is of (its heading).
   * @default - "cluster <name>" when the app knows its cluster, else "the app"
   */
  readonly title?: string;
}

/**
 * One arrow of the diagram: a connection the NetworkPolicies allow.
 */
export interface TopologyEdge {
  /** The caller: `Deployment shop/web`, `CIDR 10.0.0.0/8`, `pods k8s-app=kube-dns in kube-system`, `anywhere`... */
  readonly from: string;
  /** The callee, named like `from`. */
  readonly to: string;
  /** The ports, `TCP 8080, UDP 53`, or `any port`. */
  readonly ports: string;
  /** The NetworkPolicy rules that allow it (`ingress of NetworkPolicy shop/api`). */
  readonly allowedBy: string[];
  /**
   * For a connection that one side's policies allow and the other side's do not: why it is blocked all the same
   * (`the egress of Deployment shop/web: its NetworkPolicies allow no such call`). Judged where the other end is a
   * workload of the output, or a namespace (`namespace payments`) some of whose workloads are: blocked when none of
   * those workloads' policies allow the call (on a port of the connection: a NetworkPolicy matches the pods'
   * container port, not a Service port).
   * @default - not blocked (both sides allow it, the other side is not isolated in that direction, or the other end
   * is no workload of the output: a CIDR, pods no workload here runs, a namespace with no workload here)
   */
  readonly blockedBy?: string;
}

const DIAGRAM = Symbol.for('shipshape.TopologyDiagram');
const POD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod'];

interface PodGroup {
  readonly key: string;
  readonly namespace: string;
  readonly labels: { [key: string]: string };
  /** The ports its containers declare (a NetworkPolicy's named port resolves against them). */
  readonly ports: ContainerPortOf[];
}

interface ContainerPortOf {
  readonly name?: string;
  readonly port: number;
  readonly protocol: string;
}

function podLabelsOf(m: any): { [key: string]: string } {
  if (m.kind === 'Pod') return m.metadata?.labels ?? {};
  if (m.kind === 'CronJob') return m.spec?.jobTemplate?.spec?.template?.metadata?.labels ?? {};
  return m.spec?.template?.metadata?.labels ?? {};
}

function containerPortsOf(m: any): ContainerPortOf[] {
  const spec: Partial<corev1.PodSpec> = (m.kind === 'Pod' ? m.spec : m.kind === 'CronJob' ? m.spec?.jobTemplate?.spec?.template?.spec : m.spec?.template?.spec) ?? {};
  const containers: corev1.Container[] = [...(Array.isArray(spec.containers) ? spec.containers : []), ...(Array.isArray(spec.initContainers) ? spec.initContainers : [])];
  return containers.flatMap(c => (Array.isArray(c?.ports) ? c.ports : [])
    .filter(p => typeof p?.containerPort === 'number')
    .map(p => ({ ...(p.name !== undefined ? { name: p.name } : {}), port: p.containerPort, protocol: p.protocol ?? 'TCP' })));
}

/** A range of ports of one protocol, inclusive. */
interface PortSpan {
  readonly protocol: string;
  readonly from: number;
  readonly to: number;
}

const ANY_PORT: PortSpan[] = ['TCP', 'UDP', 'SCTP'].map(protocol => ({ protocol, from: 1, to: 65535 }));

/**
 * The ports a NetworkPolicy rule's `ports` match on the pods of `callee` (the receiving end, whose containers a
 * named port names): all of them when the list is empty; a named port the callee's containers do not declare
 * matches nothing.
 */
function portSpans(ports: networkingv1.NetworkPolicyPort[] | undefined, callee: PodGroup): PortSpan[] {
  if (!ports || ports.length === 0) return ANY_PORT;
  return ports.flatMap((p): PortSpan[] => {
    const protocol = p.protocol ?? 'TCP';
    if (p.port === undefined) return [{ protocol, from: 1, to: 65535 }];
    const n = typeof p.port === 'number' ? p.port : /^[0-9]+$/.test(p.port) ? Number(p.port) : undefined;
    if (n !== undefined) return [{ protocol, from: n, to: p.endPort ?? n }];
    return callee.ports.filter(c => c.name === p.port && c.protocol === protocol).map(c => ({ protocol, from: c.port, to: c.port }));
  });
}

function spansOverlap(a: PortSpan[], b: PortSpan[]): boolean {
  return a.some(x => b.some(y => x.protocol === y.protocol && x.from <= y.to && y.from <= x.to));
}

/**
 * Whether a namespaceSelector may select namespace `name`. Only its `kubernetes.io/metadata.name` label is known
 * here: a selector on other labels may select it (taken as yes, so that nothing is reported blocked on a guess).
 */
function namespaceMayMatch(s: metav1.LabelSelector, name: string): boolean {
  const keys = [...Object.keys(s.matchLabels ?? {}), ...(s.matchExpressions ?? []).map(e => e.key)];
  if (keys.some(k => k !== 'kubernetes.io/metadata.name')) return true;
  return selectorMatches(s, { 'kubernetes.io/metadata.name': name });
}

/** Code-unit order (the same on every machine, unlike localeCompare). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isEmptySelector(s: metav1.LabelSelector | undefined): boolean {
  return !s || (Object.keys(s.matchLabels ?? {}).length === 0 && (s.matchExpressions ?? []).length === 0);
}


/** `k=v, k2 In (a, b)`, or `*` for an empty selector. */
function showSelector(s: metav1.LabelSelector | undefined): string {
  const parts = [
    ...Object.entries(s?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`),
    ...(s?.matchExpressions ?? []).map((e: metav1.LabelSelectorRequirement) => `${e.key} ${e.operator}${e.values ? ` (${e.values.join(', ')})` : ''}`),
  ];
  return parts.length ? parts.join(', ') : '*';
}

function showPorts(ports: networkingv1.NetworkPolicyPort[] | undefined): string {
  if (!ports || ports.length === 0) return 'any port';
  return ports.map(p => `${p.protocol ?? 'TCP'} ${p.port ?? 'any'}${p.endPort ? `-${p.endPort}` : ''}`).sort().join(', ');
}

/** The namespace a namespaceSelector names exactly (`kubernetes.io/metadata.name`), if that is all it says. */
function namedNamespace(s: metav1.LabelSelector | undefined): string | undefined {
  const ml = s?.matchLabels ?? {};
  const keys = Object.keys(ml);
  if (keys.length === 1 && keys[0] === 'kubernetes.io/metadata.name' && (s!.matchExpressions ?? []).length === 0) return ml[keys[0]];
  return undefined;
}

/**
 * A Mermaid diagram of who talks to whom, written at synth as a Markdown file next to the app's YAML: the
 * workloads (every pod-bearing object) as nodes, and as arrows every connection the app's NetworkPolicies allow —
 * the receiving pods' ingress rules and the calling pods' egress rules, with their ports. Those NetworkPolicies are
 * what the workloads' `allowFrom` / `allowTo` declarations (and ingresses, sidecars and identities) produce, and the
 * picture is drawn from them, so the two cannot disagree. Namespace-wide policies (default deny, DNS) are listed
 * under the picture.
 *
 * A connection needs both sides. One that a side allows and the other does not is drawn dashed, marked blocked in
 * the table and named in a note on stderr at synth: between two workloads, and also where one side names a whole
 * namespace (`NetworkPeer.namespace`) or pods by labels and the other side is a workload of the output those cover
 * (`web.allowTo(NetworkPeer.namespace('payments', { ports: [80] }))` where the workloads of payments admit web only
 * on their container port 8080, not on the Service port 80): the workloads it covers are judged one by one (their
 * ingress or egress rules, any policy selecting them, named ports resolved on the receiving pods), and the
 * connection is blocked when none of them allows it.
 *
 * @example
 * new k8s.platform.TopologyDiagram(app);   // writes dist/topology.md on app.synth()
 */
export class TopologyDiagram implements IOutputFile {
  /** True when `x` is a TopologyDiagram, also one made by another copy of the shipshape library. */
  public static isTopologyDiagram(x: any): boolean {
    return x !== null && typeof x === 'object' && x[DIAGRAM] === true;
  }

  /** The file's path inside the app's output folder. */
  public readonly path: string;
  private readonly app: App;
  private readonly title?: string;

  constructor(app: App, options: TopologyDiagramOptions = {}) {
    Object.defineProperty(this, DIAGRAM, { value: true });
    if (!app || typeof (app as any).addOutputFile !== 'function') {
      fail('TopologyDiagram', 'app', app?.node?.path ?? app, 'must be a shipshape k8s.App (it writes the diagram into its output folder)', 'create the app with new k8s.App()');
    }
    this.app = app;
    this.path = options.path ?? 'topology.md';
    this.title = options.title;
    app.addOutputFile(this);
  }

  /** The connections the app's NetworkPolicies allow, sorted. */
  public edges(): TopologyEdge[] {
    return this.model().edges;
  }

  /**
   * The Markdown file: heading, Mermaid diagram, connection table and namespace-wide policies. The connections one
   * side blocks are also named on stderr (a declaration made on one side only, as between two teams, shows nowhere else).
   */
  public produce(): string {
    const { groups, edges, namespaceWide, podsOutside } = this.model();
    const blocked = edges.filter(e => e.blockedBy !== undefined);
    if (blocked.length > 0) {
      const shown = blocked.slice(0, 5).map(e => `${e.from} -> ${e.to} (${e.ports}): ${e.blockedBy}`).join('; ');
      process.stderr.write(`shipshape note: ${this.path}: ${blocked.length === 1 ? 'a connection one side allows is' : `${blocked.length} connections one side allows are`} `
        + `blocked by the other side's NetworkPolicies: ${shown}${blocked.length > 5 ? `; and ${blocked.length - 5} more (see ${this.path})` : ''}; `
        + 'declare each call on both sides (caller.allowTo(callee) and callee.allowFrom(caller), or a NetworkPeer naming the other side), '
        + 'on the callee pods\' container port (a NetworkPolicy matches it, not the Service port)\n');
    }
    const cluster = this.app.cluster;
    const title = this.title ?? (cluster ? `cluster ${cluster.clusterName}` : 'the app');
    const keys = new Set<string>(groups.map(g => g.key));
    for (const e of edges) {
      keys.add(e.from);
      keys.add(e.to);
    }
    const groupKeys = new Set(groups.map(g => g.key));
    const sorted = [...keys].sort();
    const ids = new Map<string, string>(sorted.map((k, i) => [k, `n${i}`]));
    const label = (s: string) => s.replace(/"/g, '#quot;');
    const lines: string[] = ['flowchart LR'];
    // pods a policy names that no workload of the output runs (cert-manager's solver pods, say): in their namespace's
    // box too, drawn rounded like the other ends that are no workload
    const drawnOutside = (k: string) => !groupKeys.has(k) && !podsOutside.has(k);
    const namespaces = [...new Set([...groups.map(g => g.namespace), ...[...podsOutside.entries()].filter(([k]) => keys.has(k)).map(([, ns]) => ns)])].sort();
    // the workloads of each namespace, in key order (one pass: a namespace per team makes this large)
    const byNamespace = new Map<string, string[]>();
    const groupByKey = new Map(groups.map(g => [g.key, g]));
    for (const k of sorted) {
      const g = groupByKey.get(k);
      if (g === undefined) continue;
      const list = byNamespace.get(g.namespace);
      if (list) list.push(k); else byNamespace.set(g.namespace, [k]);
    }
    namespaces.forEach((ns, i) => {
      lines.push(`  subgraph ns${i}["namespace ${label(ns)}"]`);
      for (const k of byNamespace.get(ns) ?? []) lines.push(`    ${ids.get(k)}["${label(k)}"]`);
      for (const k of sorted) if (podsOutside.get(k) === ns) lines.push(`    ${ids.get(k)}(["${label(k)}"])`);
      lines.push('  end');
    });
    for (const k of sorted) {
      if (drawnOutside(k)) lines.push(`  ${ids.get(k)}(["${label(k)}"])`);
    }
    // a connection one side blocks is drawn dashed and crossed out in the table
    for (const e of edges) {
      lines.push(e.blockedBy === undefined ? `  ${ids.get(e.from)} -->|"${label(e.ports)}"| ${ids.get(e.to)}` : `  ${ids.get(e.from)} -.->|"blocked: ${label(e.ports)}"| ${ids.get(e.to)}`);
    }

    const cell = (s: string) => s.replace(/\|/g, '\\|');
    const out: string[] = [
      `# Network topology of ${title}`,
      '',
      'Written by shipshape at synth from the NetworkPolicies in this folder: each arrow is a connection a rule of',
      'them allows (the receiving pods\' ingress rules or the calling pods\' egress rules). A connection needs both',
      'sides: one that the other side\'s policies do not allow (that side is isolated in that direction and no rule of',
      'its policies names the call on a port of the connection, the pods\' container port) is drawn dashed and marked',
      'blocked, with the side that blocks it. The other side is judged where it is a workload in this folder, or a',
      'namespace or pods a rule names whose workloads are in this folder (blocked when none of them allows the call).',
      'Regenerated on every synth; do not edit.',
      '',
      '```mermaid',
      ...lines,
      '```',
      '',
      '## Connections',
      '',
    ];
    if (edges.length === 0) {
      out.push('No workload NetworkPolicy allows a connection.');
    } else {
      out.push('| from | to | ports | allowed by |', '| --- | --- | --- | --- |');
      for (const e of edges) {
        const allowed = cell(e.allowedBy.join('; ')) + (e.blockedBy !== undefined ? `; **blocked** by ${cell(e.blockedBy)}` : '');
        out.push(`| ${cell(e.from)} | ${cell(e.to)} | ${cell(e.ports)} | ${allowed} |`);
      }
    }
    out.push('', '## Namespace-wide policies', '');
    if (namespaceWide.length === 0) out.push('None.');
    else out.push(...namespaceWide.map(s => `- ${s}`));
    return out.join('\n') + '\n';
  }

  private model(): { groups: PodGroup[]; edges: TopologyEdge[]; namespaceWide: string[]; podsOutside: Map<string, string> } {
    const manifests: any[] = [];
    for (const c of this.app.node.findAll()) {
      if (ApiObject.isApiObject(c)) manifests.push((c as ApiObject).toJson());
    }
    const groups: PodGroup[] = manifests
      .filter(m => POD_KINDS.includes(m?.kind) && typeof m.metadata?.name === 'string')
      .map(m => ({ key: `${m.kind} ${m.metadata.namespace ?? 'default'}/${m.metadata.name}`, namespace: m.metadata.namespace ?? 'default', labels: podLabelsOf(m), ports: containerPortsOf(m) }));

    const groupsIn = new Map<string, PodGroup[]>();
    for (const g of groups) {
      const list = groupsIn.get(g.namespace);
      if (list) list.push(g); else groupsIn.set(g.namespace, [g]);
    }
    // the pods a selector names in one namespace that no workload of the output runs, by key: their namespace
    const podsOutside = new Map<string, string>();
    // the workloads of the output a node that is no workload stands for (`namespace payments`: those of payments)
    const coveredBy = new Map<string, PodGroup[]>();
    const podsIn = (ns: string, sel: metav1.LabelSelector | undefined, fallback: string): string[] => {
      const found = (groupsIn.get(ns) ?? []).filter(g => selectorMatches(sel ?? {}, g.labels)).map(g => g.key);
      if (found.length) return found;
      podsOutside.set(fallback, ns);
      return [fallback];
    };
    const peerKeys = (peer: networkingv1.NetworkPolicyPeer | undefined, ns: string): string[] => {
      if (peer === undefined) return ['anywhere'];
      if (peer.ipBlock) return [`CIDR ${peer.ipBlock.cidr}${peer.ipBlock.except?.length ? ` except ${peer.ipBlock.except.join(', ')}` : ''}`];
      if (peer.namespaceSelector) {
        const named = namedNamespace(peer.namespaceSelector);
        if (peer.podSelector) {
          if (named !== undefined) return podsIn(named, peer.podSelector, `pods ${showSelector(peer.podSelector)} in ${named}`);
          return [`pods ${showSelector(peer.podSelector)} in namespaces ${showSelector(peer.namespaceSelector)}`];
        }
        if (named !== undefined) {
          coveredBy.set(`namespace ${named}`, groupsIn.get(named) ?? []);
          return [`namespace ${named}`];
        }
        return [isEmptySelector(peer.namespaceSelector) ? 'all namespaces' : `namespaces ${showSelector(peer.namespaceSelector)}`];
      }
      if (peer.podSelector) return podsIn(ns, peer.podSelector, `pods ${showSelector(peer.podSelector)} in ${ns}`);
      return ['anywhere'];
    };

    // an edge with the rule's ports as written (the same `ports` text is the same ports)
    type Merged = { from: string; to: string; ports: string; rulePorts: networkingv1.NetworkPolicyPort[] | undefined; allowedBy: string[] };
    const merged = new Map<string, Merged>();
    const add = (from: string, to: string, rulePorts: networkingv1.NetworkPolicyPort[] | undefined, by: string) => {
      const ports = showPorts(rulePorts);
      const k = `${from}\u0000${to}\u0000${ports}`;
      const e = merged.get(k);
      if (e) {
        if (!e.allowedBy.includes(by)) e.allowedBy.push(by);
      } else {
        merged.set(k, { from, to, ports, rulePorts, allowedBy: [by] });
      }
    };
    const namespaceWide: string[] = [];
    for (const np of manifests.filter(m => m?.kind === 'NetworkPolicy') as networkingv1.NetworkPolicy[]) {
      const ns = np.metadata?.namespace ?? 'default';
      const name = `NetworkPolicy ${ns}/${np.metadata?.name}`;
      const spec: Partial<networkingv1.NetworkPolicySpec> = np.spec ?? {};
      const types: string[] = spec.policyTypes ?? (spec.egress ? ['Ingress', 'Egress'] : ['Ingress']);
      const rulesText = (dir: 'ingress' | 'egress') => {
        if (!types.includes(dir === 'ingress' ? 'Ingress' : 'Egress')) return undefined;
        const rules: Array<networkingv1.NetworkPolicyIngressRule & networkingv1.NetworkPolicyEgressRule> = spec[dir] ?? [];
        if (rules.length === 0) return `${dir}: nothing allowed`;
        return `${dir}: ${rules.map(r => {
          const peers: networkingv1.NetworkPolicyPeer[] = (dir === 'ingress' ? r.from : r.to) ?? [];
          const who = peers.length ? peers.flatMap(p => peerKeys(p, ns)).join(', ') : 'anywhere';
          return `${dir === 'ingress' ? 'from' : 'to'} ${who} (${showPorts(r.ports)})`;
        }).join('; ')}`;
      };
      if (isEmptySelector(spec.podSelector)) {
        namespaceWide.push(`${name}, every pod of ${ns}: ${[rulesText('ingress'), rulesText('egress')].filter(x => x !== undefined).join('; ')}`);
        continue;
      }
      const subjects = podsIn(ns, spec.podSelector, `pods ${showSelector(spec.podSelector)} in ${ns}`);
      if (types.includes('Ingress')) {
        for (const rule of spec.ingress ?? []) {
          const from: Array<networkingv1.NetworkPolicyPeer | undefined> = rule.from?.length ? rule.from : [undefined];
          for (const peer of from) for (const p of peerKeys(peer, ns)) for (const s of subjects) add(p, s, rule.ports, `ingress of ${name}`);
        }
      }
      if (types.includes('Egress')) {
        for (const rule of spec.egress ?? []) {
          const to: Array<networkingv1.NetworkPolicyPeer | undefined> = rule.to?.length ? rule.to : [undefined];
          for (const peer of to) for (const p of peerKeys(peer, ns)) for (const s of subjects) add(s, p, rule.ports, `egress of ${name}`);
        }
      }
    }
    // a connection needs both sides: the caller's egress and the callee's ingress, wherever a policy makes that side
    // isolated (one that selects its pods and has the direction in its policyTypes). An edge comes from one side's
    // rule; the other side is judged on the workloads of the output the other end stands for: itself, or those of a
    // namespace or a pod selector the rule names
    const policies = (manifests.filter(m => m?.kind === 'NetworkPolicy') as networkingv1.NetworkPolicy[]).map(np => {
      const spec: Partial<networkingv1.NetworkPolicySpec> = np.spec ?? {};
      return { ns: np.metadata?.namespace ?? 'default', spec, types: spec.policyTypes ?? (spec.egress ? ['Ingress', 'Egress'] : ['Ingress']) };
    });
    const policiesIn = new Map<string, typeof policies>();
    for (const p of policies) {
      const list = policiesIn.get(p.ns);
      if (list) list.push(p); else policiesIn.set(p.ns, [p]);
    }
    /** Whether `peer`, of a rule of a policy in namespace `ns`, names the pods of workload `g`. */
    const peerCovers = (peer: networkingv1.NetworkPolicyPeer | undefined, ns: string, g: PodGroup): boolean => {
      if (peer === undefined) return true;
      if (peer.ipBlock) return false;
      if (peer.namespaceSelector) {
        if (!namespaceMayMatch(peer.namespaceSelector, g.namespace)) return false;
      } else if (!peer.podSelector) {
        return true; // drawn as anywhere
      } else if (g.namespace !== ns) {
        return false;
      }
      return selectorMatches(peer.podSelector ?? {}, g.labels);
    };
    /**
     * Whether the policies of workload `g` let it make (Egress) or take (Ingress) a call with workload `other` on one
     * of the ports of edge `e`, ports resolved on `callee`: true when no policy isolates it in that direction.
     */
    const lets = (g: PodGroup, type: 'Ingress' | 'Egress', other: PodGroup, e: Merged, callee: PodGroup): boolean => {
      const wanted = portSpans(e.rulePorts, callee);
      let isolated = false;
      for (const p of policiesIn.get(g.namespace) ?? []) {
        if (!p.types.includes(type)) continue;
        if (!selectorMatches(p.spec.podSelector ?? {}, g.labels)) continue;
        isolated = true;
        const rules: Array<networkingv1.NetworkPolicyIngressRule & networkingv1.NetworkPolicyEgressRule> = (type === 'Ingress' ? p.spec.ingress : p.spec.egress) ?? [];
        for (const r of rules) {
          const peers: Array<networkingv1.NetworkPolicyPeer | undefined> = (type === 'Ingress' ? r.from : r.to)?.length ? (type === 'Ingress' ? r.from! : r.to!) : [undefined];
          const portsOk = showPorts(r.ports) === e.ports || spansOverlap(portSpans(r.ports, callee), wanted);
          if (portsOk && peers.some(peer => peerCovers(peer, p.ns, other))) return true;
        }
      }
      return !isolated;
    };
    const groupOf = new Map(groups.map(g => [g.key, g]));
    const workloadsOf = (key: string): PodGroup[] => {
      const g = groupOf.get(key);
      return g !== undefined ? [g] : coveredBy.get(key) ?? [];
    };
    const blocked = (e: Merged): string | undefined => {
      const byEgress = e.allowedBy.some(b => b.startsWith('egress of '));
      const byIngress = e.allowedBy.some(b => b.startsWith('ingress of '));
      if (byEgress && byIngress) return undefined;
      // the side that wrote no rule for it: the callees' ingress for an egress rule, the callers' egress for an ingress rule
      const judged = new Set<PodGroup>();
      const direct = groupOf.has(e.from) && groupOf.has(e.to);
      for (const from of workloadsOf(e.from)) {
        for (const to of workloadsOf(e.to)) {
          if (from === to && !direct) continue; // a workload in the namespace it names: not a call this edge is about
          const ok = byEgress ? lets(to, 'Ingress', from, e, to) : lets(from, 'Egress', to, e, to);
          if (ok) return undefined;
          judged.add(byEgress ? to : from);
        }
      }
      if (judged.size === 0) return undefined;
      const keys = [...judged].map(g => g.key).sort().join(', ');
      const whose = judged.size === 1 ? 'its' : 'their';
      return byEgress ? `the ingress of ${keys}: ${whose} NetworkPolicies admit no such call` : `the egress of ${keys}: ${whose} NetworkPolicies allow no such call`;
    };
    const edges = [...merged.values()]
      .map(e => {
        const why = blocked(e);
        return { from: e.from, to: e.to, ports: e.ports, allowedBy: [...e.allowedBy].sort(), ...(why !== undefined ? { blockedBy: why } : {}) };
      })
      .sort((a, b) => compare(a.from + '\u0000' + a.to + '\u0000' + a.ports, b.from + '\u0000' + b.to + '\u0000' + b.ports));
    return { groups: groups.sort((a, b) => compare(a.key, b.key)), edges, namespaceWide: namespaceWide.sort(), podsOutside };
  }
}
