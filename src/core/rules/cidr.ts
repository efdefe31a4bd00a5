/** An IPv4 CIDR as numbers: the network address and its prefix length. */
export interface Cidr {
  address: number;
  prefix: number;
  /** First and last address of the block (inclusive). */
  first: number;
  last: number;
}

/** Why a CIDR is malformed, or the parsed block. */
export type CidrParse = { ok: true; cidr: Cidr } | { ok: false; problem: string; aligned?: string };

/** Parses `a.b.c.d/n`: octets 0–255, prefix 0–32, and the address must be the block's network address. */
export function parseCidr(text: string): CidrParse {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text.trim());
  if (!m) return { ok: false, problem: 'expected an IPv4 CIDR such as 10.0.0.0/24' };
  const octets = m.slice(1, 5).map(Number);
  const bad = octets.find((o) => o > 255);
  if (bad !== undefined) return { ok: false, problem: `octet ${bad} is greater than 255` };
  const prefix = Number(m[5]);
  if (prefix > 32) return { ok: false, problem: `prefix /${prefix} is greater than /32` };
  const address = ((octets[0]! << 24) >>> 0) + (octets[1]! << 16) + (octets[2]! << 8) + octets[3]!;
  const size = 2 ** (32 - prefix);
  const network = Math.floor(address / size) * size;
  if (network !== address) {
    const aligned = `${formatIp(network)}/${prefix}`;
    return { ok: false, problem: `${text.trim()} is not a network address: the /${prefix} block that contains it starts at ${formatIp(network)}`, aligned };
  }
  return { ok: true, cidr: { address, prefix, first: address, last: address + size - 1 } };
}

export function formatIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

const PRIVATE: Cidr[] = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map((c) => (parseCidr(c) as { cidr: Cidr }).cidr);

/** Whether the block lies entirely inside one RFC 1918 private range. */
export function isPrivate(c: Cidr): boolean {
  return PRIVATE.some((p) => c.first >= p.first && c.last <= p.last);
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.first <= b.last && b.first <= a.last;
}
