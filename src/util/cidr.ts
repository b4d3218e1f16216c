// IPv4/IPv6 prefix arithmetic for overlap checks.

function toBigInt(ip: string): { value: bigint; bits: number } | null {
  if (ip.includes(':')) {
    const [head, tail] = ip.split('::') as [string, string | undefined];
    const h = head ? head.split(':') : [];
    const t = tail ? tail.split(':') : [];
    if (ip.includes('::') ? h.length + t.length > 7 : h.length !== 8) return null;
    const groups = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
    let v = 0n;
    for (const g of groups) {
      if (!/^[0-9a-f]{1,4}$/i.test(g)) return null;
      v = (v << 16n) | BigInt(parseInt(g, 16));
    }
    return { value: v, bits: 128 };
  }
  const parts = ip.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return null;
  return { value: parts.reduce((acc, p) => (acc << 8n) | BigInt(Number(p)), 0n), bits: 32 };
}

/** Parses "a.b.c.d/len" (or a bare address as a host route) into its first address and prefix length. */
function parseCidr(cidr: string): { net: bigint; len: number; bits: number } | null {
  const [ip, lenText] = cidr.split('/');
  const addr = toBigInt(ip ?? '');
  if (!addr) return null;
  const len = lenText === undefined ? addr.bits : Number(lenText);
  if (!Number.isInteger(len) || len < 0 || len > addr.bits) return null;
  const mask = len === 0 ? 0n : ((1n << BigInt(len)) - 1n) << BigInt(addr.bits - len);
  return { net: addr.value & mask, len, bits: addr.bits };
}

/** True when the two prefixes share any address (same family only). */
export function cidrsOverlap(a: string, b: string): boolean {
  const x = parseCidr(a);
  const y = parseCidr(b);
  if (!x || !y || x.bits !== y.bits) return false;
  const len = Math.min(x.len, y.len);
  const mask = len === 0 ? 0n : ((1n << BigInt(len)) - 1n) << BigInt(x.bits - len);
  return (x.net & mask) === (y.net & mask);
}
