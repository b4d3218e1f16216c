// Numbers read from text: a kernel field has limits, and a JavaScript number silently rounds past 2^53,
// so a count or an index that cannot be held exactly is unknown (null), never a nearby wrong number.

/** The largest ifindex or namespace id the kernel hands out (a signed 32-bit int). */
const KERNEL_INT_MAX = 2 ** 31 - 1;

/** Decimal digits as a count (packets, bytes, references), or null when too large to hold exactly. */
export function exactCount(digits: string): number | null {
  if (!/^\d+$/.test(digits)) return null;
  const n = Number(digits);
  return Number.isSafeInteger(n) ? n : null;
}

/** digits times a unit (`1234K` is 1234 * 1000), or null when the product is too large to hold exactly. */
export function scaledCount(digits: string, unit: number): number | null {
  const n = exactCount(digits);
  if (n === null) return null;
  const v = n * unit;
  return Number.isSafeInteger(v) ? v : null;
}

/** An ifindex (1 and up), or null when not one the kernel can give. */
export function kernelIndex(digits: string): number | null {
  const n = exactCount(digits);
  return n !== null && n >= 1 && n <= KERNEL_INT_MAX ? n : null;
}

/** A namespace id (0 and up), or null when not one the kernel can give. */
export function kernelId(digits: string): number | null {
  const n = exactCount(digits);
  return n !== null && n <= KERNEL_INT_MAX ? n : null;
}
