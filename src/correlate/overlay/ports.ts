// Whether a node's rules let another node's swarm traffic in: VXLAN 4789/udp, gossip 7946/tcp+udp, the
// manager port 2377/tcp and ESP, each walked through the receiving node's prerouting and input hooks.
import type { Ruleset } from '../../model/firewall.js';
import { baseChains, type RuleRef, walkHook } from '../reach/hooks.js';
import { NeedsAnswer, type Packet } from '../reach/packet.js';

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
  | { verdict: 'drop' | 'reject'; decidedBy: RuleRef | null; hook: 'prerouting' | 'input' }
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

/**
 * Walks one packet from `src` to `dst` (arriving on `iface`) through prerouting and input. Docker's u32
 * match of a VNI is answered from `vni` (the overlay the packet belongs to; null: a packet of no
 * encrypted overlay, which the guard does not match); `--pol none` (no IPsec) is taken as true, as
 * VXLAN that is not encrypted arrives without a policy. Any other question makes the answer unknown.
 */
export function walkSwarmPort(
  rs: Ruleset,
  port: SwarmPort,
  src: string,
  dst: string,
  iface: string | null,
  vni: number | null,
): PortVerdict {
  const packet = (): Packet => ({
    family: 'ipv4',
    // ESP has no ports; the walk compares protocols as words, so a rule for `-p esp` matches it and a `--dport` rule cannot.
    protocol: port.protocol as Packet['protocol'],
    src,
    dst,
    sport: port.protocol === 'esp' ? 0 : port.port,
    dport: port.port,
    in: iface,
    out: null,
    mark: 0,
    ctstate: 'NEW',
    dnat: false,
    snat: false,
    unnat: null,
  });
  const answers = new Map<string, boolean>();
  const ctx = { addrtype: (ip: string) => (ip === dst ? ['LOCAL', 'UNICAST'] : ['UNICAST']), primaryAddress: () => dst };
  for (let round = 0; round < 32; round += 1) {
    try {
      for (const hook of ['prerouting', 'input'] as const) {
        if (baseChains(rs, hook).length === 0 && rs.unknownTables.length === 0) continue;
        const r = walkHook(rs, hook, packet(), ctx, answers);
        if (r.verdict !== 'accept') return { verdict: r.verdict, decidedBy: r.decidedBy, hook };
        if (hook === 'input') return { verdict: 'accept', decidedBy: r.decidedBy };
      }
      return { verdict: 'accept', decidedBy: null };
    } catch (err) {
      if (!(err instanceof NeedsAnswer)) throw err;
      const q = err.question;
      const answer = answerFor(q.why, rs, q.key, vni);
      if (answer === null) return { verdict: 'unknown', reason: q.why };
      answers.set(q.key, answer);
    }
  }
  return { verdict: 'unknown', reason: 'too many questions the rules raise' };
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
