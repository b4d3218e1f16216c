// Whether a node's rules let another node's swarm traffic in: VXLAN 4789/udp, gossip 7946/tcp+udp, the
// manager port 2377/tcp and ESP, each walked through the receiving node's prerouting and input hooks.
import type { Hook, Ruleset } from '../../model/firewall.js';
import { baseChains, type HookResult, type RuleRef, walkHook } from '../reach/hooks.js';
import { type Assumptions, NeedsAnswer, type Packet } from '../reach/packet.js';

export interface SwarmPort {
  /** `4789/udp`, `esp`. */
  label: string;
  protocol: 'tcp' | 'udp' | 'esp';
  port: number;
  /** What carries it, in words. */
  role: string;
}

export const VXLAN_PORT: SwarmPort = { label: '4789/udp', protocol: 'udp', port: 4789, role: 'VXLAN (overlay data)' };
export const GOSSIP_TCP: SwarmPort = { label: '7946/tcp', protocol: 'tcp', port: 7946, role: 'gossip (network control plane)' };
export const GOSSIP_UDP: SwarmPort = { label: '7946/udp', protocol: 'udp', port: 7946, role: 'gossip (network control plane)' };
export const MANAGER_PORT: SwarmPort = { label: '2377/tcp', protocol: 'tcp', port: 2377, role: 'cluster management (managers)' };
export const ESP: SwarmPort = { label: 'esp', protocol: 'esp', port: 0, role: 'IPsec ESP (encrypted overlays)' };

export type PortVerdict =
  | { verdict: 'accept'; decidedBy: RuleRef | null }
  | { verdict: 'drop' | 'reject'; decidedBy: RuleRef | null; hook: Hook }
  | { verdict: 'unknown'; reason: string };

/** Older engines' guard: u32 of the VNI, shifted 8 bits, at the VXLAN header (`0>>22&0x3C@12&0xFFFFFF00=0x100100`). */
const VNI_U32 = /--u32\s+"?0>>22&0x3C@12&0xFFFFFF00=0x([0-9a-f]+)"?/i;
/** Docker 28's guard: `-m bpf --bytecode "7,32 0 0 4294963252,7 0 0 0,64 0 0 4,116 0 0 8,21 1 0 4098,..."`: loads the VXLAN word, shifts it right by 8, and compares it (jeq, opcode 21) with the VNI. */
const VNI_BPF = /--bytecode\s+"([\d ,]+)"/;

/** The VNI Docker's encrypted-overlay guard rule selects (u32 or bpf form); null when the rule is not one. */
export function guardVni(text: string): number | null {
  const u = VNI_U32.exec(text);
  if (u) return Number.parseInt(u[1]!, 16) >> 8;
  const b = VNI_BPF.exec(text);
  if (!b) return null;
  const ops = b[1]!.split(',').map((i) => i.trim().split(/\s+/).map(Number));
  const rsh8 = ops.findIndex((o) => o[0] === 116 && o[3] === 8);
  const jeq = ops.find((o, i) => i > rsh8 && o[0] === 21);
  return rsh8 >= 0 && jeq && Number.isInteger(jeq[3]) ? jeq[3]! : null;
}

/** One hook of a swarm packet's walk on one node: what the hook did, and the packet as it saw it. */
export interface SwarmHookStep {
  hook: Hook;
  result: HookResult;
  packet: { src: string; sport: number; dst: string; dport: number; protocol: string };
}

export type SwarmHooksResult =
  | { verdict: 'accept'; decidedBy: RuleRef | null; hooks: SwarmHookStep[] }
  | { verdict: 'drop' | 'reject'; decidedBy: RuleRef | null; rejectWith: string | null; hook: Hook; hooks: SwarmHookStep[] };

/**
 * Walks a node-to-node packet through one node's hooks: the sender's output and postrouting, or the
 * receiver's prerouting and input. Docker's own overlay guards are answered here (the VNI of `vni`, the
 * overlay the packet belongs to, null for a packet of none; `--pol none`, as VXLAN that is not encrypted
 * carries no policy); any other question is raised (NeedsAnswer) with `answers` taken as given, so a
 * caller can fork on it as reach does.
 */
export function walkSwarmHooks(
  rs: Ruleset,
  side: 'send' | 'receive',
  packet: () => Packet,
  self: string,
  answers: Assumptions,
  vni: number | null,
): SwarmHooksResult {
  const own = new Map(answers);
  const hooks: Hook[] = side === 'send' ? ['output', 'postrouting'] : ['prerouting', 'input'];
  const ctx = { addrtype: (ip: string) => (ip === self ? ['LOCAL', 'UNICAST'] : ['UNICAST']), primaryAddress: () => self };
  for (let round = 0; round < 32; round += 1) {
    const steps: SwarmHookStep[] = [];
    try {
      let decidedBy: RuleRef | null = null;
      for (const hook of hooks) {
        if (baseChains(rs, hook).length === 0 && rs.unknownTables.length === 0) continue;
        const p = packet();
        const seen = { src: p.src, sport: p.sport, dst: p.dst, dport: p.dport, protocol: p.protocol };
        const r = walkHook(rs, hook, p, ctx, own);
        steps.push({ hook, result: r, packet: seen });
        if (r.verdict !== 'accept') return { verdict: r.verdict, decidedBy: r.decidedBy, rejectWith: r.rejectWith, hook, hooks: steps };
        // The input hook (or the sender's filter OUTPUT) is where a node's firewall says yes.
        decidedBy = r.decidedBy ?? decidedBy;
      }
      return { verdict: 'accept', decidedBy, hooks: steps };
    } catch (err) {
      if (!(err instanceof NeedsAnswer)) throw err;
      const answer = answerFor(err.question.why, rs, err.question.key, vni);
      if (answer === null) throw err;
      own.set(err.question.key, answer);
    }
  }
  throw new NeedsAnswer({ key: 'swarm:too-many', why: 'too many questions the rules raise' });
}

/** A packet between two nodes: `src` to `dst`, leaving by `out` (the sender's walk) or arriving on `iface` (the receiver's). */
export function swarmPacket(port: SwarmPort, src: string, dst: string, iface: string | null, out: string | null, sport?: number): Packet {
  return {
    family: 'ipv4',
    // ESP has no ports; the walk compares protocols as words, so a rule for `-p esp` matches it and a `--dport` rule cannot.
    protocol: port.protocol as Packet['protocol'],
    src,
    dst,
    sport: port.protocol === 'esp' ? 0 : (sport ?? port.port),
    dport: port.port,
    in: iface,
    out,
    mark: 0,
    ctstate: 'NEW',
    dnat: false,
    snat: false,
    unnat: null,
  };
}

/**
 * Walks one packet from `src` to `dst` (arriving on `iface`) through prerouting and input, or (`side`
 * send) from `src` leaving by `iface` through output and postrouting. Any question beyond Docker's own
 * guards makes the answer unknown.
 */
export function walkSwarmPort(
  rs: Ruleset,
  port: SwarmPort,
  src: string,
  dst: string,
  iface: string | null,
  vni: number | null,
  side: 'send' | 'receive' = 'receive',
): PortVerdict {
  const packet = () => (side === 'send' ? swarmPacket(port, src, dst, null, iface) : swarmPacket(port, src, dst, iface, null));
  try {
    const r = walkSwarmHooks(rs, side, packet, side === 'send' ? src : dst, new Map(), vni);
    if (r.verdict === 'accept') return { verdict: 'accept', decidedBy: r.decidedBy };
    return { verdict: r.verdict, decidedBy: r.decidedBy, hook: r.hook };
  } catch (err) {
    if (!(err instanceof NeedsAnswer)) throw err;
    return { verdict: 'unknown', reason: err.question.why };
  }
}

/** The answers docknet can give for Docker's own overlay rules: the VNI guard and `--pol none`. */
function answerFor(why: string, rs: Ruleset, key: string, vni: number | null): boolean | null {
  const rule = ruleOfKey(rs, key);
  const text = rule ?? why;
  const guard = guardVni(text);
  if (guard !== null) {
    if (!/-m policy --dir in --pol none/.test(text) && /-m policy/.test(text)) return null;
    return vni !== null && guard === vni;
  }
  if (/-m policy --dir in --pol none/.test(text) && !/--u32|-m bpf/.test(text)) return true;
  return null;
}

/** The text of the rule a question's key (`rule:<family>/<table>/<chain>/<n>` or similar) names, when it names one. */
function ruleOfKey(rs: Ruleset, key: string): string | null {
  for (const t of rs.tables)
    for (const c of t.chains.values())
      for (const r of c.rules) if (key.includes(`${t.name}/${c.name}/${r.number}`) || key.endsWith(`${c.name}:${r.number}`)) return r.text;
  return null;
}
