// Natural order for names people read: veth2 before veth10, tomcat01 before tomcat-tml.

const CHUNK = /(\d+|\D+)/g;

/** Digit runs compare as numbers and sort before text at the same position; text compares by code point. */
export function naturalCompare(a: string, b: string): number {
  const ca = a.match(CHUNK) ?? [];
  const cb = b.match(CHUNK) ?? [];
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    const x = ca[i] as string;
    const y = cb[i] as string;
    if (x === y) continue;
    const xd = /^\d/.test(x);
    const yd = /^\d/.test(y);
    if (xd && yd) {
      const d = Number(x) - Number(y);
      if (d !== 0) return d;
      return x.length - y.length;
    }
    if (xd !== yd) return xd ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return ca.length - cb.length;
}
