// The chain graph of one NAT table: which chains a packet entering at a hook passes, jump by jump.
// Pure over one table; built once per table and correlation, and handed to whoever asks about paths.
import type { NatRule, NatTable } from '../../model/nat-rule.js';
import { inPrefix as inNet } from '../../util/address.js';

export type Hook = 'prerouting' | 'output';

export interface ChainGraph {
  table: NatTable;
  names: Set<string>;
  rulesByChain: Map<string, NatRule[]>;
  /** Jumps from the output hook's chains to user chains: the exclusions (`! -d 127.0.0.0/8`) live there. */
  outputJumps: NatRule[];
  /** Paths already searched, by chain, hook and destination: one correlation asks the same ones often. */
  paths: Map<string, string[] | null>;
}

/** The hook a chain is attached to: nft says so per base chain; iptables' built-in chains are named for theirs. */
export function hookOf(t: NatTable, chain: string): string | null {
  const c = t.chains.find((x) => x.name === chain);
  if (c?.hook) return c.hook;
  if (t.origin.tool === 'nft') return null;
  return ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'].includes(chain) ? chain.toLowerCase() : null;
}

/** Does a jump/DNAT rule's destination match let a packet to `dst` through? */
export function destinationAllows(r: NatRule, dst: string | null): boolean {
  if (r.destination === null) return true;
  if (dst === null) return !r.destinationNegated;
  const inside = inNet(dst, r.destination);
  return r.destinationNegated ? !inside : inside;
}

// Indexed once per table: per-mapping scans of every rule made `nat` quadratic on hosts with many rules.
export function chainGraph(t: NatTable): ChainGraph {
  const names = new Set(t.chains.map((c) => c.name));
  const rulesByChain = new Map<string, NatRule[]>();
  for (const r of t.rules) {
    const list = rulesByChain.get(r.chain);
    if (list) list.push(r);
    else rulesByChain.set(r.chain, [r]);
  }
  const outputJumps = t.rules.filter((r) => hookOf(t, r.chain) === 'output' && r.target !== '' && names.has(r.target));
  return { table: t, names, rulesByChain, outputJumps, paths: new Map() };
}

/**
 * The chains a packet from `hook` to `dst` passes to reach `chain` (jumps whose destination match lets
 * it through), e.g. ["PREROUTING", "DOCKER"]; null when no such way exists. dst null: any local address.
 */
export function hookPath(g: ChainGraph, chain: string, hook: Hook, dst: string | null): string[] | null {
  const key = `${chain}\u0000${hook}\u0000${dst ?? ''}`;
  if (g.paths.has(key)) return g.paths.get(key) ?? null;
  const path = searchHookPath(g, chain, hook, dst);
  g.paths.set(key, path);
  return path;
}

function searchHookPath(g: ChainGraph, chain: string, hook: Hook, dst: string | null): string[] | null {
  const t = g.table;
  const starts = t.chains.filter((c) => hookOf(t, c.name) === hook).map((c) => c.name);
  if (starts.length === 0 && t.origin.tool !== 'nft') starts.push(hook.toUpperCase());
  const seen = new Set<string>();
  const queue: string[][] = starts.map((s) => [s]);
  while (queue.length > 0) {
    const path = queue.shift() as string[];
    const at = path[path.length - 1] as string;
    if (at === chain) return path;
    if (seen.has(at)) continue;
    seen.add(at);
    for (const r of g.rulesByChain.get(at) ?? []) {
      if (!(g.names.has(r.target) || r.target === chain)) continue;
      if (!destinationAllows(r, dst)) continue;
      queue.push([...path, r.target]);
    }
  }
  return null;
}

/** The name of the table's output hook chain (OUTPUT in iptables), for wording. */
export function outputChainName(g: ChainGraph): string {
  const t = g.table;
  return t.chains.find((c) => hookOf(t, c.name) === 'output')?.name ?? 'OUTPUT';
}
