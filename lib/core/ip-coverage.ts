// Internal (not exported by the core barrel): whether a list of CIDRs opens every IPv4 address. Shared by the
// EksCluster's check of publicAccessCidrs and the Terraform rule SS-EKS-006, so both refuse the same lists.

const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
const IPV4_SPACE = 2 ** 32;

/**
 * True when the IPv4 CIDRs among `cidrs` together cover every IPv4 address: `0.0.0.0/0`, or ranges that add up to it
 * (`0.0.0.0/1` and `128.0.0.0/1`). Entries that are not IPv4 CIDRs are ignored; host bits are ignored too (the range
 * of `10.0.0.1/8` is `10.0.0.0/8`, as AWS reads it).
 */
export function coversEveryIpv4Address(cidrs: readonly unknown[]): boolean {
  const ranges: Array<[number, number]> = [];
  for (const c of cidrs) {
    const m = IPV4_CIDR.exec(String(c).trim());
    if (!m) continue;
    const octets = m.slice(1, 5).map(Number);
    const prefix = Number(m[5]);
    if (prefix > 32 || octets.some(o => o > 255)) continue;
    const address = ((octets[0] * 256 + octets[1]) * 256 + octets[2]) * 256 + octets[3];
    const size = 2 ** (32 - prefix);
    const start = address - (address % size);
    ranges.push([start, start + size]);
  }
  ranges.sort((a, b) => a[0] - b[0]);
  let reached = 0;
  for (const [start, end] of ranges) {
    if (start > reached) return false;
    reached = Math.max(reached, end);
  }
  return reached >= IPV4_SPACE;
}
