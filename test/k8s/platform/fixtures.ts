// Shared by the platform tests: cluster profiles, quiet synth, and an independent reading of NetworkPolicies and
// topology diagrams (written without the library's topology code, so a test comparing the two can fail).
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { ClusterProfile, EnvironmentProfile, KarpenterNodePoolProfile, KarpenterProfile, NodePoolProfile } from '../../../lib/core';
import { tempDir } from '../../util/schema';

export const IMAGE = 'ghcr.io/acme/api:1.4.2';

export function pool(name: string, extra: Partial<NodePoolProfile> = {}): NodePoolProfile {
  return {
    name,
    labels: { 'shipshape.dev/node-pool': name },
    taints: [],
    capacityType: 'ON_DEMAND',
    instanceTypes: ['m7i.xlarge'],
    architecture: 'amd64',
    zones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
    minSize: 3,
    maxSize: 6,
    ...extra,
  };
}

/** A Karpenter NodePool profile of one m-family on-demand amd64 pool in three zones (64 cpu, 256 GiB), labelled with its name. */
export function karpenterPool(name: string, extra: Partial<KarpenterNodePoolProfile> = {}): KarpenterNodePoolProfile {
  return {
    name,
    nodeClassGroup: 'karpenter.k8s.aws',
    nodeClassKind: 'EC2NodeClass',
    nodeClassName: 'default',
    labels: { 'shipshape.dev/node-pool': name },
    taints: [],
    capacityTypes: ['on-demand'],
    architectures: ['amd64'],
    instanceCategories: ['m'],
    zones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
    cpuLimit: 64,
    memoryLimitGiB: 256,
    consolidationPolicy: 'WhenEmptyOrUnderutilized',
    consolidateAfter: '1m',
    expireAfter: '720h',
    disruptionBudgets: [{ nodes: '10%' }],
    ...extra,
  };
}

/** The Karpenter profile of cluster `clusterName` (controller 1.14.1 in kube-system, node class `default`) with `pools`. */
export function karpenterProfile(clusterName: string, pools: KarpenterNodePoolProfile[]): KarpenterProfile {
  const discovery = { 'karpenter.sh/discovery': clusterName };
  return {
    clusterName,
    version: '1.14.1',
    interruptionQueueName: `${clusterName}-karpenter`,
    controller: { repository: 'oci://public.ecr.aws/karpenter', chart: 'karpenter', version: '1.14.1', releaseName: 'karpenter', namespace: 'kube-system', values: {}, serviceAccountName: 'karpenter' },
    nodeClass: { name: 'default', roleName: `${clusterName}-karpenter-node`, subnetSelectorTags: discovery, securityGroupSelectorTags: discovery, amiAlias: 'al2023@v20250704', volumeSizeGiB: 50, tags: {} },
    nodePools: pools,
  };
}

export function cluster(extra: Partial<ClusterProfile> = {}): ClusterProfile {
  const region = extra.region ?? 'eu-west-1';
  return {
    clusterName: 'shop-prod',
    kubernetesVersion: '1.33',
    environment: EnvironmentProfile.PRODUCTION,
    region,
    account: '123456789012',
    zones: [`${region}a`, `${region}b`, `${region}c`],
    nodePools: [pool('general', { zones: [`${region}a`, `${region}b`, `${region}c`] })],
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
    vpcCidr: '10.40.0.0/16',
    networkPolicyEnforced: true,
    oidcIssuerOutput: 'oidc_issuer',
    workloadIdentities: [],
    ...extra,
  };
}

const dirs: string[] = [];
afterAll(() => dirs.forEach(d => fs.rmSync(d, { recursive: true, force: true })));

/** A fresh temporary folder, removed after the test file. */
export function outdir(): string {
  const d = tempDir('shipshape-platform-');
  dirs.push(d);
  return d;
}

/** Runs `fn` with stderr silenced (synth prints notes and policy summaries). */
export { quietly } from '../../util/k8s';

/** The message of the error `fn` throws. */
export function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error, none was thrown');
}

// ---------------------------------------------------------------------------------------------------------------
// Reading the output back

const POD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod'];

function templateLabels(d: any): { [k: string]: string } {
  if (d.kind === 'Pod') return d.metadata?.labels ?? {};
  if (d.kind === 'CronJob') return d.spec.jobTemplate.spec.template.metadata?.labels ?? {};
  return d.spec.template.metadata?.labels ?? {};
}

function matchLabels(sel: any, labels: { [k: string]: string }): boolean {
  if ((sel?.matchExpressions ?? []).length > 0) throw new Error('fixtures: matchExpressions are not expected in shipshape output');
  return Object.entries(sel?.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
}

function selectorText(sel: any): string {
  const e = Object.entries(sel?.matchLabels ?? {});
  return e.length ? e.map(([k, v]) => `${k}=${v}`).join(', ') : '*';
}

/**
 * The connections the NetworkPolicies of `docs` allow, as `from | to | ports` lines (sorted, unique), read straight
 * from the YAML: for each policy selecting pods (a non-empty podSelector), its ingress rules give peer -> pods and
 * its egress rules pods -> peer; a peer or a selected set of pods is named after the workload whose pod template it
 * selects (`Deployment ns/name`), else after its selector.
 */
export function connectionsFromPolicies(docs: any[]): string[] {
  const workloads = docs.filter(d => POD_KINDS.includes(d.kind)).map(d => ({
    key: `${d.kind} ${d.metadata.namespace}/${d.metadata.name}`, ns: d.metadata.namespace, labels: templateLabels(d),
  }));
  const pods = (ns: string, sel: any) => {
    const hits = workloads.filter(w => w.ns === ns && matchLabels(sel, w.labels)).map(w => w.key);
    return hits.length ? hits : [`pods ${selectorText(sel)} in ${ns}`];
  };
  const peer = (p: any, ns: string): string[] => {
    if (!p) return ['anywhere'];
    if (p.ipBlock) return [`CIDR ${p.ipBlock.cidr}${p.ipBlock.except ? ` except ${p.ipBlock.except.join(', ')}` : ''}`];
    if (p.namespaceSelector) {
      const named = p.namespaceSelector.matchLabels?.['kubernetes.io/metadata.name'];
      if (!named || Object.keys(p.namespaceSelector.matchLabels).length !== 1) throw new Error('fixtures: only namespaces selected by name are expected');
      return p.podSelector ? pods(named, p.podSelector) : [`namespace ${named}`];
    }
    return pods(ns, p.podSelector);
  };
  const ports = (list: any[] | undefined) => (list?.length ? list.map(p => `${p.protocol ?? 'TCP'} ${p.port}`).sort().join(', ') : 'any port');
  const out = new Set<string>();
  for (const np of docs.filter(d => d.kind === 'NetworkPolicy')) {
    const ns = np.metadata.namespace;
    const sel = np.spec.podSelector ?? {};
    if (Object.keys(sel.matchLabels ?? {}).length === 0) continue; // namespace-wide
    const subjects = pods(ns, sel);
    for (const r of np.spec.ingress ?? []) {
      for (const p of (r.from?.length ? r.from : [undefined])) for (const from of peer(p, ns)) for (const s of subjects) out.add(`${from} | ${s} | ${ports(r.ports)}`);
    }
    for (const r of np.spec.egress ?? []) {
      for (const p of (r.to?.length ? r.to : [undefined])) for (const to of peer(p, ns)) for (const s of subjects) out.add(`${s} | ${to} | ${ports(r.ports)}`);
    }
  }
  return [...out].sort();
}

/** The arrows of the Mermaid block of a topology Markdown file, as `from | to | ports` lines (sorted). */
export function connectionsFromDiagram(markdown: string): string[] {
  const block = /```mermaid\n([\s\S]*?)```/.exec(markdown);
  if (!block) throw new Error('no mermaid block');
  const unescape = (s: string) => s.replace(/#quot;/g, '"');
  const labels = new Map<string, string>();
  for (const m of block[1].matchAll(/^\s*(n\d+)(?:\["(.*)"\]|\(\["(.*)"\]\))\s*$/gm)) labels.set(m[1], unescape(m[2] ?? m[3]));
  const out: string[] = [];
  for (const m of block[1].matchAll(/^\s*(n\d+) -->\|"(.*)"\| (n\d+)\s*$/gm)) {
    const from = labels.get(m[1]);
    const to = labels.get(m[3]);
    if (from === undefined || to === undefined) throw new Error(`arrow ${m[0].trim()} names an undeclared node`);
    out.push(`${from} | ${to} | ${unescape(m[2])}`);
  }
  return out.sort();
}

/** The workload nodes (inside a namespace subgraph) of a diagram. */
export function workloadNodes(markdown: string): string[] {
  const block = /```mermaid\n([\s\S]*?)```/.exec(markdown)![1];
  return [...block.matchAll(/^ {4}n\d+\["(.*)"\]$/gm)].map(m => m[1]).sort();
}

/** Every YAML document under a folder (recursively), with its file relative to the folder. */
export function readDocs(dir: string): Array<{ file: string; doc: any }> {
  const out: Array<{ file: string; doc: any }> = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (e.name !== '.shipshape') walk(p);
      } else if (/\.ya?ml$/.test(e.name)) {
        for (const doc of YAML.parseAllDocuments(fs.readFileSync(p, 'utf-8')).map((x: any) => x.toJS())) {
          if (doc) out.push({ file: path.relative(dir, p), doc });
        }
      }
    }
  };
  walk(dir);
  return out;
}
