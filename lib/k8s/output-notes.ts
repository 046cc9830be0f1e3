// Internal: notes on the output as a whole (README "The output as a whole"), printed by k8s.App on synth: what is
// likely wrong in the objects written, but may be made outside the app, so it does not fail the synth. Each function
// reads the rendered objects and returns the notes, one line each. Not re-exported by the barrel.
import { profileNamespaces, type RenderedObject } from './cluster-check';
import type { ClusterProfile } from '../core/cluster-profile';
import { Validators } from '../core/validators';
import { selectorIsEmpty, selectorMatches } from '../policy/k8s/selectors';
import { describeObject } from '../policy/output-check';

/**
 * Every note on the output as a whole that synth prints, in order (each a line ending in a newline): the Gateways
 * whose proxy pods the output isolates (unless the cluster is known not to enforce NetworkPolicies), the TLS Secrets,
 * the KEDA authentications the output names but does not hold, and (with a cluster profile) the NetworkPolicy peers
 * in namespaces neither the output nor the profile has.
 */
export function outputNotes(objects: readonly RenderedObject[], cluster: ClusterProfile | undefined): string[] {
  const enforced = cluster?.networkPolicyEnforced !== false;
  const gateways = enforced ? gatewayIsolationNotes(objects) : [];
  const isolated = enforced ? isolatedServiceNotes(objects) : [];
  const peers = cluster !== undefined ? peerNamespaceNotes(objects, cluster) : [];
  return [...gateways, ...isolated, ...tlsSecretNotes(objects), ...kedaAuthenticationNotes(objects), ...peers];
}

/** The label a fleet's team charts put on every object of theirs (TEAM_LABEL of the platform constants). */
const FLEET_TEAM_LABEL = 'shipshape.io/team';

/**
 * Notes on the namespaces that the output's NetworkPolicies name as a peer (`kubernetes.io/metadata.name` in a
 * namespaceSelector) and that neither the output has (a Namespace of it, or a namespace its objects are in) nor the
 * cluster's profile knows (see `profileNamespaces`): the rule reaches nothing there unless the namespace is made
 * outside the program, and a name a slip away from a namespace of the output is most likely a typo of it. One note
 * per namespace, naming its policies. A fleet's team policies (labelled shipshape.io/team by the team's chart) are
 * left to the fleet, which notes them with what it knows of the cluster (its external namespaces, the teams of other
 * environments).
 */
export function peerNamespaceNotes(objects: readonly RenderedObject[], cluster: ClusterProfile): string[] {
  const output = new Set<string>();
  const policies: any[] = [];
  for (const o of objects) {
    const m = o.manifest;
    if (m === null || typeof m !== 'object') continue;
    if (m.kind === 'Namespace' && m.apiVersion === 'v1' && typeof m.metadata?.name === 'string') output.add(m.metadata.name);
    if (typeof m.metadata?.namespace === 'string') output.add(m.metadata.namespace);
    if (m.kind === 'NetworkPolicy' && m.apiVersion === 'networking.k8s.io/v1' && typeof m.metadata?.labels?.[FLEET_TEAM_LABEL] !== 'string') policies.push(m);
  }
  const known = profileNamespaces(cluster);
  /** unknown namespace -> the policies naming it (in output order) */
  const unknown = new Map<string, string[]>();
  for (const p of policies) {
    for (const name of peerNamespacesOf(p)) {
      if (output.has(name) || known.has(name)) continue;
      const list = unknown.get(name) ?? [];
      const who = describeObject(p);
      if (!list.includes(who)) list.push(who);
      unknown.set(name, list);
    }
  }
  const notes: string[] = [];
  for (const [name, who] of unknown) {
    const near = likelyNamespaceTypo(name, [...output].sort());
    const shown = `${who.slice(0, 3).join(', ')}${who.length > 3 ? ` and ${who.length - 3} more` : ''}`;
    const one = who.length === 1;
    notes.push(`shipshape note: cluster ${cluster.clusterName}: ${shown} name${one ? 's' : ''} a peer in namespace ${name}, which neither the output nor the cluster's profile has `
      + '(no Namespace or object of the output is in it, nor is it a system, controller, add-on or workload identity namespace of the profile'
      + `${near !== undefined ? `; a typo of ${near}?` : ''}), so the rule reaches nothing there unless ${name} is made outside the program; `
      + (near !== undefined ? `fix the name, or make sure ${name} exists on the cluster\n`
        : `if ${name} is made outside the program (a controller installed by other means), the profile may name it (helmReleases, or an ingress class's controllerNamespace); `
          + 'otherwise check the name\n'));
  }
  return notes;
}

/**
 * The namespaces a NetworkPolicy names as a peer by name (`kubernetes.io/metadata.name` in the namespaceSelector of
 * an ingress rule's `from` or an egress rule's `to`), in order, with repeats.
 */
export function peerNamespacesOf(policy: any): string[] {
  const spec = isPlainObject(policy?.spec) ? policy.spec : {};
  const rules = (list: unknown, side: 'from' | 'to') => (Array.isArray(list) ? list.flatMap((r: any) => (Array.isArray(r?.[side]) ? r[side] : [])) : []);
  const out: string[] = [];
  for (const peer of [...rules(spec.ingress, 'from'), ...rules(spec.egress, 'to')]) {
    const name = peer?.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'];
    if (typeof name === 'string') out.push(name);
  }
  return out;
}

/**
 * The namespace of `candidates` closest to `name` when it is a likely typo of it: at most 2 edits away, and fewer
 * than a third of the name's length (a short name is a few edits from many others); the first of the closest.
 */
export function likelyNamespaceTypo(name: string, candidates: Iterable<string>): string | undefined {
  let best: { n: string; d: number } | undefined;
  for (const c of candidates) {
    if (c === name) continue;
    const d = Validators._editDistance(c, name);
    if (d > 2 || d * 3 > name.length) continue;
    if (best === undefined || d < best.d) best = { n: c, d };
  }
  return best?.n;
}

/** The workload kinds whose pod template a Service may select. */
const TEMPLATE_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'];

/** The kinds of the objects the notes read (each function below reads some of them, and nothing else). */
const NOTE_KINDS = new Set(['NetworkPolicy', 'Service', ...TEMPLATE_KINDS, 'Gateway', 'ReferenceGrant', 'Certificate', 'Ingress',
  'TriggerAuthentication', 'ClusterTriggerAuthentication', 'ScaledObject', 'ScaledJob']);

/**
 * True when `outputNotes` may read the object: a synth that keeps no other object (the policy off, no cluster
 * profile) keeps these for the notes, so that they do not depend on the policy.
 */
export function readByOutputNotes(manifest: any): boolean {
  return manifest !== null && typeof manifest === 'object' && NOTE_KINDS.has(manifest.kind);
}

/**
 * Notes on the workloads of the output that shipshape did not write (cdk8s-plus, hand-written) whose pods a Service
 * selects and the output's NetworkPolicies isolate with no rule that admits a caller (a namespace's default deny, and
 * nothing for them): the Service reaches nothing where NetworkPolicies are enforced. shipshape's own workloads get
 * the note that names their missing `allowFrom` instead.
 */
export function isolatedServiceNotes(objects: readonly RenderedObject[]): string[] {
  const workloads: Array<{ m: any; ns: string; labels: { [k: string]: string } }> = [];
  const services: Array<{ m: any; ns: string; selector: { [k: string]: string } }> = [];
  const policies = new Map<string, any[]>();
  for (const o of objects) {
    const m = o.manifest;
    const ns = m?.metadata?.namespace;
    if (typeof ns !== 'string') continue;
    if (m.kind === 'NetworkPolicy') {
      pushTo(policies, ns, m);
    } else if (m.kind === 'Service' && m.apiVersion === 'v1') {
      const selector = m.spec?.selector;
      if (isPlainObject(selector) && Object.keys(selector).length > 0 && m.spec?.type !== 'ExternalName') services.push({ m, ns, selector });
    } else if (TEMPLATE_KINDS.includes(m.kind) && m.metadata?.labels?.['app.kubernetes.io/managed-by'] !== 'shipshape') {
      const labels = m.spec?.template?.metadata?.labels;
      if (isPlainObject(labels)) workloads.push({ m, ns, labels });
    }
  }
  if (workloads.length === 0 || policies.size === 0) return [];
  const notes: string[] = [];
  for (const w of workloads) {
    const by = services.filter(s => s.ns === w.ns && Object.entries(s.selector).every(([k, v]) => w.labels[k] === v));
    if (by.length === 0) continue;
    const isolating = (policies.get(w.ns) ?? []).filter(p => guardsIngress(p) && isPlainObject(p.spec?.podSelector) && selectorMatches(p.spec.podSelector, w.labels));
    if (isolating.length === 0 || isolating.some(p => Array.isArray(p.spec.ingress) && p.spec.ingress.length > 0)) continue;
    notes.push(`shipshape note: ${describeObject(w.m)}, which shipshape did not write, is selected by ${by.map(s => describeObject(s.m)).join(', ')}, and `
      + `${isolating.map(p => `NetworkPolicy ${w.ns}/${p.metadata?.name}`).join(', ')} of this output isolate${isolating.length === 1 ? 's' : ''} its pods `
      + 'with no rule that admits a caller: the Service reaches nothing where NetworkPolicies are enforced, an Ingress controller included; add a '
      + 'NetworkPolicy that selects its pods and admits its callers (cdk8s-plus: connections.allowFrom(caller); a shipshape workload\'s allowTo writes the '
      + 'caller\'s side only)\n');
  }
  return notes;
}

/** True when a NetworkPolicy restricts ingress: its policyTypes list Ingress, or, unset, default to it. */
function guardsIngress(p: any): boolean {
  const types = p.spec?.policyTypes;
  return Array.isArray(types) ? types.includes('Ingress') : true;
}

/** Adds `value` to the list of `key` (the NetworkPolicies of a namespace). */
function pushTo<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]); else list.push(value);
}

function isPlainObject(x: unknown): x is { [k: string]: any } {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

/**
 * Notes on the Gateways of the output whose pods a NetworkPolicy of the output isolates for ingress: Istio and NGINX
 * Gateway Fabric (their classes `istio`, `nginx`) deploy a Gateway's proxy pods beside it, labelled
 * `gateway.networking.k8s.io/gateway-name: <name>`, the label the routes' backends admit; where a policy selects
 * those pods for ingress (a default deny, or one of their own) and no rule of such a policy admits a listener port,
 * the load balancer never reaches them there.
 */
export function gatewayIsolationNotes(objects: readonly RenderedObject[]): string[] {
  const policies = new Map<string, any[]>();
  const gateways: Array<{ ns: string; name: string; cls: string; ports: number[] }> = [];
  for (const o of objects) {
    const m = o.manifest;
    const ns = m?.metadata?.namespace;
    if (typeof ns !== 'string') continue;
    if (m.kind === 'NetworkPolicy') {
      pushTo(policies, ns, m);
    } else if (m.kind === 'Gateway' && typeof m.apiVersion === 'string' && m.apiVersion.startsWith('gateway.networking.k8s.io/') && typeof m.metadata?.name === 'string'
      && IN_NAMESPACE_GATEWAY_CLASSES.includes(m.spec?.gatewayClassName)) {
      const ports = (Array.isArray(m.spec?.listeners) ? m.spec.listeners : []).map((l: any) => l?.port).filter((p: any) => typeof p === 'number');
      gateways.push({ ns, name: m.metadata.name, cls: m.spec.gatewayClassName, ports: [...new Set<number>(ports)] });
    }
  }
  const label = 'gateway.networking.k8s.io/gateway-name';
  const notes: string[] = [];
  for (const g of gateways) {
    const pods = { [label]: g.name };
    // the policies that select the proxy pods (by the one label known to be theirs) for ingress: they isolate them
    const isolating = (policies.get(g.ns) ?? []).filter(p => {
      const spec = p.spec;
      if (spec === null || typeof spec !== 'object' || spec.podSelector === null || typeof spec.podSelector !== 'object') return false;
      return selectorMatches(spec.podSelector, pods) && ingressType(spec);
    });
    if (isolating.length === 0) continue;
    // the listener ports no rule of those policies admits (a rule without ports admits all; a named port may be theirs)
    const admitted = (port: number) => isolating.some(p => (Array.isArray(p.spec.ingress) ? p.spec.ingress : []).some((r: any) => {
      const ports = Array.isArray(r?.ports) ? r.ports : [];
      return ports.length === 0 || ports.some((x: any) => x?.port === undefined || typeof x.port === 'string'
        || (typeof x.port === 'number' && (x.port === port || (typeof x.endPort === 'number' && x.port <= port && port <= x.endPort))));
    }));
    const listenerPorts = g.ports;
    const closed = listenerPorts.length > 0 ? listenerPorts.filter(port => !admitted(port)) : (admitted(-1) ? [] : [-1]);
    if (closed.length === 0) continue;
    const iso = isolating.find(p => selectorIsEmpty(p.spec.podSelector) && !(Array.isArray(p.spec.ingress) && p.spec.ingress.length > 0)) ?? isolating[0];
    const why = selectorIsEmpty(iso.spec.podSelector) && !(Array.isArray(iso.spec.ingress) && iso.spec.ingress.length > 0) ? 'it denies all ingress there' : 'it selects them for ingress';
    const ports = listenerPorts.length > 0 ? listenerPorts.join(', ') : 'its listener ports';
    const which = listenerPorts.length === 0 || closed.length === listenerPorts.length ? '' : ` on ${closed.join(', ')}`;
    notes.push(`shipshape note: Gateway ${g.ns}/${g.name}: its proxy pods (label ${label}: ${g.name}), which its class ${g.cls} deploys in the Gateway's namespace, `
      + `are isolated by NetworkPolicy ${g.ns}/${iso.metadata?.name} of this output (${why}), and no NetworkPolicy of the output admits them${which}: `
      + 'the load balancer would not reach them, nor they the backends; add a NetworkPolicy that selects that label, admits '
      + `${ports} from the load balancer and lets them out to the backends, DNS and their control plane${g.cls === 'istio' ? ' (istiod: 15012)' : ''}\n`);
  }
  return notes;
}

/** True when a NetworkPolicy spec isolates the pods it selects for ingress (policyTypes, or by default). */
function ingressType(spec: any): boolean {
  return Array.isArray(spec.policyTypes) ? spec.policyTypes.includes('Ingress') : true;
}

/**
 * The GatewayClass names of implementations that deploy a Gateway's proxy pods in the Gateway's own namespace,
 * labelled with its name: Istio's `istio` and NGINX Gateway Fabric's `nginx` (their default class names).
 */
const IN_NAMESPACE_GATEWAY_CLASSES = ['istio', 'nginx'];

/**
 * Notes on the TLS Secrets the output's Ingresses read that cert-manager writes for other namespaces or other hosts:
 * a Secret is read in its own namespace only (an Ingress naming another namespace's certificate Secret gets none, and
 * its controller serves its default certificate), and a certificate serves the hosts it was issued for only.
 * Certificates come from the output's cert-manager Certificates and from Ingresses that ask cert-manager for one
 * (its ingress-shim annotations).
 */
export function tlsSecretNotes(objects: readonly RenderedObject[]): string[] {
  /** namespace/secret -> the hosts cert-manager issues it for, and who asks */
  const issued = new Map<string, { ns: string; hosts: string[]; by: string }>();
  const readers: Array<{ ns: string; secret: string; hosts: string[]; by: string }> = [];
  const shim = (m: any) => ['cert-manager.io/cluster-issuer', 'cert-manager.io/issuer'].some(a => typeof m.metadata?.annotations?.[a] === 'string');
  for (const o of objects) {
    const m = o.manifest;
    const ns = m?.metadata?.namespace;
    if (typeof ns !== 'string') continue;
    if (m.kind === 'Certificate' && typeof m.apiVersion === 'string' && m.apiVersion.startsWith('cert-manager.io/') && typeof m.spec?.secretName === 'string') {
      issued.set(`${ns}/${m.spec.secretName}`, { ns, hosts: (m.spec.dnsNames ?? []).filter((h: any) => typeof h === 'string'), by: describeObject(m) });
    }
    if (m.kind === 'Ingress' && Array.isArray(m.spec?.tls)) {
      for (const t of m.spec.tls) {
        if (typeof t?.secretName !== 'string') continue;
        const hosts = (t.hosts ?? []).filter((h: any) => typeof h === 'string');
        if (shim(m)) {
          const key = `${ns}/${t.secretName}`;
          if (!issued.has(key)) issued.set(key, { ns, hosts, by: `${describeObject(m)} (cert-manager's ingress-shim)` });
        } else {
          readers.push({ ns, secret: t.secretName, hosts, by: describeObject(m) });
        }
      }
    }
  }
  const notes: string[] = gatewaySecretGrantNotes(objects);
  if (issued.size === 0) return notes;
  const covers = (names: string[], host: string) => names.some(n => n === host || (n.startsWith('*.') && host.endsWith(n.slice(1)) && !host.slice(0, -n.length + 1).includes('.')));
  for (const r of readers) {
    const own = issued.get(`${r.ns}/${r.secret}`);
    if (own !== undefined) {
      const uncovered = r.hosts.filter(h => !covers(own.hosts, h));
      if (uncovered.length > 0) {
        notes.push(`shipshape note: ${r.by} serves ${uncovered.join(', ')} with Secret ${r.ns}/${r.secret}, whose certificate ${own.by} issues for ${own.hosts.join(', ') || 'no host'} only: `
          + 'clients would get a certificate without their host name; give this Ingress a certificate of its own (IngressTls.certManager) or add the hosts to that certificate\n');
      }
      continue;
    }
    const elsewhere = [...issued.entries()].filter(([k]) => k.endsWith(`/${r.secret}`)).map(([, v]) => v);
    if (elsewhere.length === 0) continue;
    notes.push(`shipshape note: ${r.by} reads TLS Secret ${r.ns}/${r.secret}, which no object of this output makes, while cert-manager writes a Secret of that name in `
      + `${elsewhere.map(e => `namespace ${e.ns} (${e.by})`).join(', ')}: an Ingress reads Secrets of its own namespace only, so unless ${r.ns}/${r.secret} is made otherwise `
      + 'its controller serves its default certificate; ask cert-manager for a certificate in this namespace (IngressTls.certManager)\n');
  }
  return notes;
}

/**
 * Notes on Gateway listeners whose certificate Secret is in another namespace with no ReferenceGrant of the output
 * letting Gateways of theirs read it: the listener reports RefNotPermitted and serves no TLS.
 */
function gatewaySecretGrantNotes(objects: readonly RenderedObject[]): string[] {
  const grants: any[] = [];
  const gateways: any[] = [];
  for (const o of objects) {
    const m = o.manifest;
    if (typeof m?.apiVersion !== 'string' || !m.apiVersion.startsWith('gateway.networking.k8s.io/')) continue;
    if (m.kind === 'ReferenceGrant') grants.push(m);
    if (m.kind === 'Gateway' && typeof m.metadata?.namespace === 'string') gateways.push(m);
  }
  const allows = (from: string, ns: string, secret: string) => grants.some(g => g.metadata?.namespace === ns
    && (g.spec?.from ?? []).some((f: any) => f?.group === 'gateway.networking.k8s.io' && f?.kind === 'Gateway' && f?.namespace === from)
    && (g.spec?.to ?? []).some((t: any) => (t?.group ?? '') === '' && t?.kind === 'Secret' && (t?.name === undefined || t.name === secret)));
  const notes: string[] = [];
  for (const g of gateways) {
    const ns = g.metadata.namespace;
    for (const l of Array.isArray(g.spec?.listeners) ? g.spec.listeners : []) {
      for (const r of Array.isArray(l?.tls?.certificateRefs) ? l.tls.certificateRefs : []) {
        if (typeof r?.namespace !== 'string' || r.namespace === ns || typeof r.name !== 'string' || (r.kind ?? 'Secret') !== 'Secret') continue;
        if (allows(ns, r.namespace, r.name)) continue;
        notes.push(`shipshape note: Gateway ${ns}/${g.metadata.name}: listener ${l.name} reads Secret ${r.namespace}/${r.name} from another namespace, and no ReferenceGrant of `
          + `this output in ${r.namespace} lets Gateways of ${ns} read it: unless one is made otherwise, the listener reports RefNotPermitted and serves no TLS; add a `
          + `ReferenceGrant in ${r.namespace} (from: Gateway of namespace ${ns}, to: Secret ${r.name})\n`);
      }
    }
  }
  return notes;
}

/**
 * Notes on KEDA ScaledObjects and ScaledJobs of the output whose triggers name a TriggerAuthentication that the
 * output does not hold: unless it is made otherwise, KEDA cannot authenticate the trigger and the workload stays at
 * its minimum (the ScaledObject reports the error, nothing fails at apply).
 */
export function kedaAuthenticationNotes(objects: readonly RenderedObject[]): string[] {
  const auths = new Set<string>();
  const scaled: Array<{ m: any; ns: string }> = [];
  for (const o of objects) {
    const m = o.manifest;
    if (typeof m?.apiVersion !== 'string' || !m.apiVersion.startsWith('keda.sh/')) continue;
    if (m.kind === 'TriggerAuthentication' && typeof m.metadata?.name === 'string') auths.add(`${m.metadata.namespace ?? ''}/${m.metadata.name}`);
    if (m.kind === 'ClusterTriggerAuthentication' && typeof m.metadata?.name === 'string') auths.add(`cluster/${m.metadata.name}`);
    if ((m.kind === 'ScaledObject' || m.kind === 'ScaledJob') && typeof m.metadata?.namespace === 'string') scaled.push({ m, ns: m.metadata.namespace });
  }
  const notes: string[] = [];
  for (const { m, ns } of scaled) {
    const triggers: any[] = Array.isArray(m.spec?.triggers) ? m.spec.triggers : [];
    const refs = triggers.map(t => t?.authenticationRef).filter((r: any) => typeof r?.name === 'string')
      .filter((r: any) => !auths.has(r.kind === 'ClusterTriggerAuthentication' ? `cluster/${r.name}` : `${ns}/${r.name}`));
    const missing = [...new Set(refs.map((r: any) => `${r.kind ?? 'TriggerAuthentication'} ${r.kind === 'ClusterTriggerAuthentication' ? '' : `${ns}/`}${r.name}`))];
    if (missing.length === 0) continue;
    const kinds = [...new Set(refs.map((r: any) => String(r.kind ?? 'TriggerAuthentication')))];
    notes.push(`shipshape note: ${describeObject(m)}: its triggers name ${missing.join(', ')}, which this output does not hold: unless it is made otherwise (before the `
      + 'ScaledObject is applied), KEDA cannot authenticate the trigger and the workload stays at its minimum; add it to the app (an ApiObject of kind '
      + `${kinds.join(' or ')} naming the Secret keys, or pod identity), or check its name\n`);
  }
  return notes;
}
