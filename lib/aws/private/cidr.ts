/**
 * IPv4 CIDR arithmetic for subnet planning. Internal (not re-exported by the barrel).
 * @internal
 */
export interface ParsedCidr {
  readonly text: string;
  readonly base: number;
  readonly prefix: number;
  readonly size: number;
}

/**
 * Parses `a.b.c.d/n`; returns undefined when invalid (bad octets, bad prefix, or host bits set).
 * @internal
 */
export function parseCidr(text: string): ParsedCidr | undefined {
  if (typeof text !== 'string') return undefined;
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  if (octets.some((o) => o > 255)) return undefined;
  const prefix = Number(m[5]);
  if (prefix > 32) return undefined;
  const base = ((octets[0] * 256 + octets[1]) * 256 + octets[2]) * 256 + octets[3];
  const size = 2 ** (32 - prefix);
  if (base % size !== 0) return undefined;
  return { text, base, prefix, size };
}

/** @internal */
export function formatCidr(base: number, prefix: number): string {
  const o = [24, 16, 8, 0].map((s) => Math.floor(base / 2 ** s) % 256);
  return `${o.join('.')}/${prefix}`;
}

/** @internal */
export function cidrContains(outer: ParsedCidr, inner: ParsedCidr): boolean {
  return inner.base >= outer.base && inner.base + inner.size <= outer.base + outer.size;
}

/** @internal */
export function cidrOverlaps(a: ParsedCidr, b: ParsedCidr): boolean {
  return a.base < b.base + b.size && b.base < a.base + a.size;
}

/** Derived private subnets: the VPC prefix + 3 (eighths). @internal */
export const PRIVATE_SUBNET_OFFSET = 3;
/** Derived public subnets: the VPC prefix + 6 (eighths of the last eighth). @internal */
export const PUBLIC_SUBNET_OFFSET = 6;
/**
 * The smallest subnet an Application Load Balancer accepts (/27 with at least 8 free addresses), so the smallest
 * public subnet tagged `kubernetes.io/role/elb` worth deriving.
 * @internal
 */
export const MIN_LOAD_BALANCER_SUBNET_PREFIX = 27;

/**
 * Default subnet plan: the VPC is cut in 8 blocks (prefix + 3); private subnet i takes block i,
 * public subnets are cut (prefix + 6) from the last block. Supports up to 6 zones.
 * @internal
 */
export function planSubnets(vpc: ParsedCidr, zones: number): { privateCidrs: string[]; publicCidrs: string[] } {
  const privPrefix = vpc.prefix + PRIVATE_SUBNET_OFFSET;
  const privSize = 2 ** (32 - privPrefix);
  const pubPrefix = vpc.prefix + PUBLIC_SUBNET_OFFSET;
  const pubSize = 2 ** (32 - pubPrefix);
  const lastBlock = vpc.base + 7 * privSize;
  const privateCidrs: string[] = [];
  const publicCidrs: string[] = [];
  for (let i = 0; i < zones; i++) {
    privateCidrs.push(formatCidr(vpc.base + i * privSize, privPrefix));
    publicCidrs.push(formatCidr(lastBlock + i * pubSize, pubPrefix));
  }
  return { privateCidrs, publicCidrs };
}
