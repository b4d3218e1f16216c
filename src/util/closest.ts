// "Did you mean": the known names closest to what the user typed.

function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0] as number;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j] as number;
      prev[j] = Math.min(up + 1, (prev[j - 1] as number) + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length] as number;
}

export function closest(input: string, names: Iterable<string>, max = 3): string[] {
  const scored = [...new Set(names)]
    .map((n) => ({ n, d: n.includes(input) || input.includes(n) ? 0 : distance(input.toLowerCase(), n.toLowerCase()) }))
    .filter((s) => s.d <= Math.max(2, Math.floor(input.length / 2)));
  return scored
    .sort((a, b) => a.d - b.d || a.n.localeCompare(b.n))
    .slice(0, max)
    .map((s) => s.n);
}
