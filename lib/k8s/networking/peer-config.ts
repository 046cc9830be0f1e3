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
  readonly ports?: number[];
}

/**
 * Validates a peer's plain data (ports, namespace, labels, CIDR and exceptions); `prop` prefixes the prop names
 * in errors (`allowFrom` gives `allowFrom.cidr`).
 */
export function checkPeerConfig(scope: IConstruct, prop: string, cfg: PeerFields): void {
  const p = (name: string) => (prop ? `${prop}.${name}` : name);
  if (cfg.ports !== undefined) checkPeerPorts(scope, p('ports'), cfg.ports, 'omit ports to allow every port of the peer');
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
 * Validates a list of TCP ports of a network rule: at least one, each a whole number from 1 to 65535. `prop` names
 * the list in errors (`ports`, `allowTo.ports`); `emptyFix` tells what to do instead of an empty list.
 */
export function checkPeerPorts(scope: IConstruct, prop: string, ports: number[], emptyFix: string): void {
  if (ports.length === 0) {
    fail(scope, prop, ports, 'is empty, which a NetworkPolicy reads as every port', emptyFix);
  }
  ports.forEach((port, i) => {
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      fail(scope, `${prop}[${i}]`, port, 'must be a whole number from 1 to 65535 (a TCP port)', 'use the port the peer listens on');
    }
  });
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

/** A network peer as `settleMeshing` reads it (the shape of `INetworkPeer`, declared here for the reason above). */
interface PeerLike {
  toNetworkPeer(): PeerFields & { readonly description: string; readonly plaintext?: boolean };
}

/** Marks a shipshape workload (as `Workload.isWorkload`, which this module cannot import: the workloads import it). */
const WORKLOAD = Symbol.for('shipshape.Workload');

/**
 * Settles whether a peer a construct declares on the user's behalf (a MetricsAdapter's `scraper`, an HttpRoute's
 * `gatewayPeer`) calls with the mesh's mutual TLS, from the construct's `meshedProp` (`meshed`, default false:
 * such callers are usually outside the mesh).
 *
 * - A shipshape workload calls as its own enrolment says: `meshed` is refused there.
 * - A peer that states its meshing (`NetworkPeer.pods(ns, labels, { meshed })`, `NetworkPeer.ingressController`) keeps
 *   it; a `meshed` that contradicts it is refused.
 * - Otherwise the peer is taken as `meshed` says: unless true, a copy of it marked `plaintext`.
 *
 * `peerProp` and `meshedProp` are the props' names in errors (`sidecars.metrics-adapter.scraper`).
 */
export function settleMeshing<P extends PeerLike>(scope: IConstruct, peerProp: string, peer: P, meshedProp: string, meshed: boolean | undefined): P {
  if ((peer as any)?.[WORKLOAD] === true) {
    if (meshed !== undefined) {
      fail(scope, meshedProp, meshed, `applies to a ${peerProp} that is not a shipshape workload; this one is, and its own enrolment in the mesh (or not) decides how it calls`,
        `remove ${meshedProp}, and enrol the workload in the mesh if it should call with mutual TLS`);
    }
    return peer;
  }
  const cfg = peer.toNetworkPeer();
  if (cfg.cidr !== undefined) {
    if (meshed === true) {
      fail(scope, meshedProp, meshed, `cannot hold for ${peerProp} (${cfg.description}): an IP range's traffic carries no mesh identity`,
        `remove ${meshedProp}, or name the caller's pods (NetworkPeer.pods(namespace, labels)) instead of an IP range`);
    }
    return peer;
  }
  if (cfg.plaintext !== undefined) {
    if (meshed !== undefined && meshed === cfg.plaintext) {
      fail(scope, meshedProp, meshed, `contradicts ${peerProp} (${cfg.description}), which is declared ${cfg.plaintext ? 'outside' : 'in'} the mesh`,
        `remove ${meshedProp} and keep the peer's own declaration, or declare the peer with { meshed: ${meshed} }`);
    }
    return peer;
  }
  if (meshed === true) return peer;
  const plaintext = { ...cfg, plaintext: true };
  return { toNetworkPeer: () => plaintext } as PeerLike as P;
}
