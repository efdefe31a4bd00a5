/** Minimal IPv4/CIDR arithmetic for subnet allocation and ACL normalisation. */
function ipToInt(ip: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!;
}

function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

function parseCidr(cidr: string): { base: number; bits: number } | undefined {
  const [ip, bitsRaw] = cidr.split('/');
  const bits = bitsRaw === undefined ? 32 : Number(bitsRaw);
  const n = ipToInt(ip ?? '');
  if (n === undefined || !Number.isInteger(bits) || bits < 0 || bits > 32) return undefined;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return { base: (n & mask) >>> 0, bits };
}

/** True for an IPv4 address or CIDR, or an IPv6 one (checked loosely). */
export function isIpOrCidr(s: string): boolean {
  if (s.includes(':')) return /^[0-9a-fA-F:]+(\/\d{1,3})?$/.test(s);
  return parseCidr(s) !== undefined;
}

/** The LB API stores `1.2.3.4/32` as `1.2.3.4` (and `::1/128` as `::1`). */
export function dropHostMask(s: string): string {
  if (s.endsWith('/32') && !s.includes(':')) return s.slice(0, -3);
  if (s.endsWith('/128') && s.includes(':')) return s.slice(0, -4);
  return s;
}

/** The first host address of `cidr` (skipping network and gateway, as Scaleway does) not in `used`. */
export function nextFreeHost(cidr: string, used: Set<string>): string | undefined {
  const c = parseCidr(cidr);
  if (!c || c.bits > 30) return undefined;
  const size = 2 ** (32 - c.bits);
  for (let i = 2; i < size - 1; i += 1) {
    const ip = intToIp(c.base + i);
    if (!used.has(ip)) return ip;
  }
  return undefined;
}
