// Internal: validation and rendering of network peers, shared by NetworkPeer and the workloads. Not exported by
// the barrel (lib/k8s/networking/index.ts), so these helpers are not part of the public API.
import { IConstruct } from 'constructs';
import type * as networkingv1 from 'kubernetes-types/networking/v1';
import { fail } from '../../core/errors';
import { Validators } from '../../core/validators';

/**
 * The fields of a `NetworkPeerConfig` these helpers read (declared here, not imported, so that this module and the
 * public one that uses it do not import each other).
 */
interface PeerFields {
  readonly namespace?: string;
  readonly podLabels?: { [key: string]: string };
  readonly namespaceLabels?: { [key: string]: string };
  readonly cidr?: string;
  readonly except?: string[];
}

/**
 * Validates a peer's plain data (namespace, labels, CIDR and exceptions); `prop` prefixes the prop names
 * in errors (`allowFrom` gives `allowFrom.cidr`).
 */
export function checkPeerConfig(scope: IConstruct, prop: string, cfg: PeerFields): void {
  const p = (name: string) => (prop ? `${prop}.${name}` : name);
  if (cfg.cidr !== undefined) {
    Validators.cidr(scope, p('cidr'), cfg.cidr);
    (cfg.except ?? []).forEach((e, i) => {
      Validators.cidr(scope, p(`except[${i}]`), e);
      if (!Validators.cidrContains(cfg.cidr!, e)) {
        fail(scope, p(`except[${i}]`), e, `must be a range strictly inside ${cfg.cidr} (same IP family, longer prefix)`,
          `remove it, or name a part of ${cfg.cidr}`);
      }
    });
    return;
  }
  if (cfg.namespace !== undefined) Validators.namespaceName(scope, p('namespace'), cfg.namespace);
  if (cfg.podLabels) Validators.labels(scope, p('podLabels'), cfg.podLabels);
  if (cfg.namespaceLabels) Validators.labels(scope, p('namespaceLabels'), cfg.namespaceLabels);
}

/**
 * Renders a peer as a NetworkPolicyPeer relative to `ownNamespace`.
 */
export function renderPeer(cfg: PeerFields, ownNamespace: string): any {
  if (cfg.cidr) {
    return { ipBlock: { cidr: cfg.cidr, ...(cfg.except && cfg.except.length ? { except: [...cfg.except] } satisfies Partial<networkingv1.IPBlock> : {}) } } satisfies networkingv1.NetworkPolicyPeer;
  }
  const peer: networkingv1.NetworkPolicyPeer = {};
  if (cfg.podLabels) peer.podSelector = { matchLabels: { ...cfg.podLabels } };
  if (cfg.namespace !== undefined) {
    if (cfg.namespace !== ownNamespace || !cfg.podLabels) {
      peer.namespaceSelector = { matchLabels: { 'kubernetes.io/metadata.name': cfg.namespace } };
    }
  } else if (cfg.namespaceLabels) {
    peer.namespaceSelector = { matchLabels: { ...cfg.namespaceLabels } };
  }
  return peer;
}
