// Host-changing commands in doctor's output (ip link delete, kill, iptables -D, docker rm, docker
// network rm, ip route del), and what the full snapshot shows to be in use: for the no-harm test.

import type { Seen } from './info-loss.js';
import { runOn, subsetSnapshot, type RealSnapshot } from './snapshot-subsets.js';

type Json = Record<string, unknown>;
const arr = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : []);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const bare = (cidr: unknown): string | null => str(cidr)?.split('/')[0] ?? null;

/** Things the full snapshot shows in use, each with why, in words. */
export interface InUse {
  /** Host links (veths, bridges, macvlan parents) by name. */
  links: Map<string, string>;
  pids: Map<number, string>;
  /** NAT rules by `family table chain number`, e.g. "ipv4 nat DOCKER 9". */
  rules: Map<string, string>;
  /** Addresses of running containers. */
  addresses: Map<string, string>;
  /** Running containers by name, id and short id. */
  containers: Map<string, string>;
  networks: Map<string, string>;
  subnets: Map<string, string>;
}

const put = <K>(m: Map<K, string>, k: K | null | undefined, why: string) => {
  if (k !== null && k !== undefined && k !== '' && !m.has(k)) m.set(k, why);
};

/**
 * What the full snapshot's veth-map, nat and inspect outputs show in use. A veth counts when it has
 * an owner, and also when the full snapshot names it as a running container's probable veth (an
 * inference it labels as such): deleting a veth the full data points at is not proven safe.
 */
export function inUseOf(vethMap: unknown, nat: unknown, inspects: unknown[]): InUse {
  const u: InUse = {
    links: new Map(),
    pids: new Map(),
    rules: new Map(),
    addresses: new Map(),
    containers: new Map(),
    networks: new Map(),
    subnets: new Map(),
  };
  const vm = (vethMap ?? {}) as Json;
  for (const v of arr(vm.hostVeths)) {
    const owner = str(v.owner);
    if (owner) put(u.links, str(v.name), `veth of ${v.ownerKind === 'container' ? 'container' : 'Docker sandbox'} ${owner}`);
    const probably = /probably (\S+?)'s, the one container whose interfaces are unknown/.exec(
      String(((v.note ?? {}) as { text?: unknown }).text ?? ''),
    );
    if (probably) put(u.links, str(v.name), `probably the veth of running container ${probably[1]} (the full snapshot's inference)`);
  }
  for (const r of arr(vm.interfaces)) {
    if (r.running !== true) continue;
    const c = String(r.container);
    put(u.links, str(r.hostVeth), `veth of running container ${c}`);
    put(u.links, str(r.bridge), `bridge of running container ${c}`);
    put(u.links, str(r.parent), `macvlan/ipvlan parent of running container ${c}`);
    put(u.addresses, bare(r.ipv4), `address of running container ${c}`);
    put(u.addresses, bare(r.ipv6), `address of running container ${c}`);
    put(u.containers, c, 'a running container');
    put(u.containers, str(r.containerId), `id of running container ${c}`);
    put(u.containers, str(r.shortId), `id of running container ${c}`);
    if (r.network !== 'unknown') put(u.networks, str(r.network), `network of running container ${c}`);
  }
  for (const m of arr((nat as Json | null)?.mappings)) {
    const c = str(m.container);
    if (!c) continue;
    const what = `${String(m.hostIp)}:${String(m.hostPort)}/${String(m.protocol)} published by ${c}`;
    for (const [rule, role] of [
      [m.rule, 'DNAT rule'],
      [m.hairpin, 'hairpin MASQUERADE rule'],
    ] as const) {
      const r = rule as Json | null;
      if (r && typeof r === 'object')
        put(u.rules, `${String(r.family)} ${String(r.table)} ${String(r.chain)} ${String(r.number)}`, `${role} of ${what}`);
    }
    const proxy = m.proxy as Json | null;
    if (proxy && typeof proxy.pid === 'number') put(u.pids, proxy.pid, `docker-proxy serving ${what}`);
    put(u.addresses, str(m.containerIp), `address of ${c}, which publishes ${what}`);
    put(u.links, str(m.probableHostVeth), `probably the veth of ${c}, which publishes ${what} (the full snapshot's inference)`);
  }
  for (const i of inspects) {
    const j = (i ?? {}) as Json;
    const c = (j.container ?? {}) as Json;
    if (c.running !== true) continue;
    const name = String(c.name);
    if (typeof c.pid === 'number') put(u.pids, c.pid, `main process of running container ${name}`);
    for (const r of arr(j.interfaces)) {
      put(u.subnets, str(r.subnet), `subnet of running container ${name}'s network ${String(r.network)}`);
      if (r.network !== 'unknown') put(u.networks, str(r.network), `network of running container ${name}`);
    }
  }
  return u;
}

/** A host-changing command doctor printed, with the finding it came in when known. */
export interface Advice {
  /** The command as printed, e.g. "ip link delete veth1f00e42". */
  command: string;
  verb: 'ip link delete' | 'kill' | 'iptables -D' | 'docker rm' | 'docker network rm' | 'ip route del';
  /** The finding's title, or null for a command seen only in the text output. */
  finding: string | null;
  /** The finding's evidence texts: the rule text behind an `iptables -D`. */
  evidence: string[];
}

// A word of a command: not the separators that end it in a fix line (`;`, `&&`, `|`, `#`).
const W = '[^\\s;&|#]+';
const PATTERNS: [Advice['verb'], RegExp][] = [
  ['ip link delete', new RegExp(`\\bip[ \\t]+link[ \\t]+(?:delete|del)[ \\t]+(?:dev[ \\t]+)?${W}`, 'g')],
  ['ip route del', new RegExp(`\\bip[ \\t]+(?:-6[ \\t]+)?route[ \\t]+(?:delete|del)[ \\t]+${W}`, 'g')],
  ['kill', /\bkill[ \t]+(?:-\w+[ \t]+)*\d+(?:[ \t]+\d+)*/g],
  ['iptables -D', new RegExp(`\\bip6?tables(?:-legacy|-nft)?(?:[ \\t]+-[tw][ \\t]+${W})*[ \\t]+-D[ \\t]+${W}(?:[ \\t]+${W})*`, 'g')],
  ['docker network rm', new RegExp(`\\bdocker[ \\t]+network[ \\t]+rm[ \\t]+${W}`, 'g')],
  ['docker rm', new RegExp(`\\bdocker[ \\t]+(?:container[ \\t]+)?rm[ \\t]+(?:-\\w+[ \\t]+)*${W}`, 'g')],
];

/** Every host-changing command in a text, in order. */
export function commandsIn(text: string): { verb: Advice['verb']; command: string }[] {
  const out: { verb: Advice['verb']; command: string; at: number }[] = [];
  for (const [verb, re] of PATTERNS) for (const m of text.matchAll(re)) out.push({ verb, command: m[0].trim(), at: m.index ?? 0 });
  return out.sort((a, b) => a.at - b.at).map(({ verb, command }) => ({ verb, command }));
}

/** Host-changing advice of one doctor run: from the JSON's findings (with context), and any the text adds. */
export function adviceOf(doctorJson: unknown, doctorText: string): Advice[] {
  const out: Advice[] = [];
  const seen = new Set<string>();
  for (const f of arr((doctorJson as Json | null)?.findings)) {
    const evidence = arr(f.evidence).map((e) => String(e.text ?? ''));
    for (const c of commandsIn(`${String(f.fix ?? '')}\n${String(f.why ?? '')}`)) {
      out.push({ ...c, finding: String(f.title ?? ''), evidence });
      seen.add(c.command);
    }
  }
  for (const c of commandsIn(doctorText)) {
    if (seen.has(c.command)) continue;
    seen.add(c.command);
    out.push({ ...c, finding: null, evidence: [] });
  }
  return out;
}

/** Why the full snapshot shows the command's target in use, or null when it does not. */
export function harmOf(a: Advice, u: InUse): string | null {
  const words = a.command.split(/\s+/);
  const last = words[words.length - 1] ?? '';
  switch (a.verb) {
    case 'ip link delete':
      return u.links.get(last) ?? null;
    case 'ip route del':
      return u.subnets.get(last) ?? null;
    case 'docker network rm':
      return u.networks.get(last) ?? null;
    case 'docker rm':
      return u.containers.get(last) ?? [...u.containers].find(([k]) => last.length >= 4 && k.startsWith(last))?.[1] ?? null;
    case 'kill': {
      for (const w of words.slice(1)) {
        const why = /^\d+$/.test(w) ? u.pids.get(Number(w)) : undefined;
        if (why) return why;
      }
      return null;
    }
    case 'iptables -D': {
      const family = words[0]?.startsWith('ip6tables') ? 'ipv6' : 'ipv4';
      const t = words.indexOf('-t');
      const table = t >= 0 ? (words[t + 1] ?? 'filter') : 'filter';
      const d = words.indexOf('-D');
      const chain = words[d + 1] ?? '';
      const num = words[d + 2] ?? '';
      if (/^\d+$/.test(num)) {
        const why = u.rules.get(`${family} ${table} ${chain} ${num}`);
        if (why) return `rule ${num} of ${table} ${chain} (${family}) is the ${why}`;
      }
      // The rule the finding names, or a rule spec given in place of a number: its DNAT target.
      for (const text of [a.command, ...a.evidence]) {
        const to = /(?:to:|--to-destination\s+|dnat (?:ip )?to\s+)\[?([0-9a-fA-F.:]+?)\]?(?::\d+)?(?:\s|$)/.exec(text);
        const why = to?.[1] ? u.addresses.get(to[1]) : undefined;
        if (why) return `its DNAT target ${to?.[1]} is the ${why}`;
      }
      return null;
    }
  }
}

// ---- doctor on one subset ----

/** What the full snapshot shows in use, from its veth-map, nat and inspect outputs. */
export async function inUseOfReal(real: RealSnapshot): Promise<InUse> {
  const inspects = [];
  for (const c of real.containers) inspects.push(await jsonOf(real, ['inspect', c, '--json']));
  return inUseOf(await jsonOf(real, ['veth-map', '--json', '--all']), await jsonOf(real, ['nat', '--json']), inspects);
}

async function jsonOf(real: RealSnapshot, argv: string[]): Promise<unknown> {
  const run = await runOn(real.snapshot, argv);
  if (run.crashed || run.refused)
    throw new Error(`${real.dir}: \`docknet ${argv.join(' ')}\` failed on the full snapshot: ${run.crashed ?? run.refused}`);
  return JSON.parse(run.stdout);
}

/** The harmful advice of doctor on one subset of `real`. */
export async function harmIn(real: RealSnapshot, inUse: InUse, files: string[]): Promise<Seen[]> {
  const snapshot = subsetSnapshot(real, files);
  const json = await runOn(snapshot, ['doctor', '--json']);
  const text = await runOn(snapshot, ['doctor']);
  if (json.crashed || text.crashed) return []; // a crash is the information-loss test's to report
  const out: Seen[] = [];
  for (const a of adviceOf(json.stdout ? JSON.parse(json.stdout) : null, text.stdout)) {
    const why = harmOf(a, inUse);
    if (!why) continue;
    const finding = a.finding ?? '(text output only)';
    out.push({
      kind: `host-changing advice: ${a.verb}`,
      question: `doctor prints \`${a.command}\` (finding: ${finding})`,
      subset: a.command,
      full: `in use: ${why}`,
      why: 'the full snapshot shows its target in use',
      command: a.finding === null ? ['doctor'] : ['doctor', '--json'],
      files,
      subsetShape: `${a.verb} (${findingShape(finding)})`,
      fullShape: `in use: ${inUseShape(why)}`,
    });
  }
  return out;
}

/** A finding's title with its names and numbers left out, for grouping. */
function findingShape(title: string): string {
  return title
    .replace(/\b(veth|bridge|pid|Bridge|of) [\w.-]+/g, '$1 <name>')
    .replace(/\b[0-9a-f]{12,64}\b/g, '<id>')
    .replace(/(\[?::\]?:\d+\/\w+|:::\d+\/\w+|\d+(\.\d+){3}(:\d+)?(\/\w+)?)/g, '<addr>')
    .replace(/\d+/g, 'N')
    .slice(0, 110);
}

/** What the full snapshot shows, as a kind of thing in use. */
function inUseShape(why: string): string {
  const kinds: [RegExp, string][] = [
    [/^veth of container /, "a container's veth"],
    [/^veth of Docker sandbox /, "a Docker sandbox's veth (ingress-sbox)"],
    [/^veth of running container /, "a running container's veth"],
    [/^probably the veth of/, "probably a running container's veth (the full snapshot's labelled inference)"],
    [/^docker-proxy serving /, 'the docker-proxy of a live publication'],
    [/is the DNAT rule of /, 'the DNAT rule of a live publication'],
    [/is the hairpin MASQUERADE rule of /, 'the hairpin rule of a live publication'],
    [/^its DNAT target .* is the address of/, "a rule to a running container's address"],
    [/^main process of running container/, "a running container's main process"],
    [/^bridge of running container/, "a running container's bridge"],
  ];
  return kinds.find(([re]) => re.test(why))?.[1] ?? why.replace(/\d+/g, 'N');
}
