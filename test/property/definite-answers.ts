// The definite answers in each command's JSON, as questions with one answer each, for the
// information-loss property test: an answer given on part of a snapshot must be the full snapshot's.
//
// How it works. Each extractor reads one command's `--json` output and says, for every fact the
// output commits to, a question (a stable, readable key such as "owner of host veth veth9dbd643")
// and its answer ("container tomcat01"). What the output leaves open (null, "unknown", a note that
// says "not in the data", an inference labelled as such) is not said at all: silence is "unknown".
// An output that commits to a whole list being complete ("No published ports.", a doctor check that
// ran and found nothing, a neighbour list printed as "no other container") says so with a
// completeness claim over a question prefix: every answer of the full snapshot under that prefix
// must then be on the subset too.
//
// Extending it as the JSON grows: add a `say` for each new committed field next to the one it
// belongs with, and keep the question text stable (it is the key that pairs a subset's answer with
// the full snapshot's). Where the JSON gains an explicit unknown (e.g. `{ known: false, reason }`),
// skip it in `known()` below rather than in each extractor.
//
// Where the JSON cannot tell a definite "none" from an unknown, the extractor reads the note text
// or the notes list instead; each such place is marked `TEXT-READ:` and listed in
// INFOLOSS-FINDINGS.md, because the lead is changing the model so that JSON says unknown explicitly.

export interface Answer {
  /** Which extractor rule said it: groups disagreements into classes. */
  kind: string;
  question: string;
  value: string;
}

/** "Every answer under `prefix` is listed": said by an output that prints a list as complete. */
export interface Completeness {
  kind: string;
  prefix: string;
  /** What the output said, in words, e.g. "No published ports (nat: mappings [])". */
  statement: string;
}

export interface DefiniteAnswers {
  answers: Map<string, Answer>;
  complete: Completeness[];
}

export interface Disagreement {
  kind: string;
  question: string;
  /** The subset's answer; for a completeness claim, the claim. */
  subset: string;
  /** The full snapshot's answer, or null when the full snapshot does not answer it. */
  full: string | null;
  why: 'differs' | 'not answered on the full snapshot' | 'missing from a list the subset called complete';
}

type Json = Record<string, unknown>;

/** null, undefined, '' and the words docknet uses for "not known" are no answer. */
function known(v: unknown): v is string | number | boolean {
  if (v === null || v === undefined || v === '') return false;
  if (typeof v === 'object') {
    // An explicit unknown, as the model may come to print it: { known: false, reason } or { unknown: true }.
    const o = v as Json;
    return !(o.known === false || o.unknown === true);
  }
  return !(typeof v === 'string' && /^unknown\b/i.test(v));
}

class Collector {
  readonly answers = new Map<string, Answer>();
  readonly complete: Completeness[] = [];
  constructor(private readonly prefix: string) {}

  /** Records an answer; one question said twice with different answers keeps both, joined. */
  say(kind: string, question: string, value: unknown): void {
    if (!known(value)) return;
    const q = `${this.prefix}${question}`;
    const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
    const had = this.answers.get(q);
    if (had && had.value !== text) {
      const all = new Set([...had.value.split(' | '), text]);
      had.value = [...all].sort().join(' | ');
      return;
    }
    this.answers.set(q, { kind, question: q, value: text });
  }

  completeList(kind: string, prefix: string, statement: string): void {
    this.complete.push({ kind, prefix: `${this.prefix}${prefix}`, statement });
  }

  done(): DefiniteAnswers {
    return { answers: this.answers, complete: this.complete };
  }
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const arr = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : []);
/** A note in a JSON document: { code, ...facts, text }. */
const obj = (v: unknown): Json => (v !== null && typeof v === 'object' ? (v as Json) : {});
const addr = (ip: string, port: unknown, proto: unknown) =>
  `${ip.includes(':') ? `[${ip}]` : ip}:${String(port)}${proto ? `/${String(proto)}` : ''}`;

// ---- veth-map and inspect: container interface rows ----

/**
 * A container interface row's note, when it states that the interface has no host veth (a definite
 * "none"), as the reason in a few words; null when the note leaves it open or says nothing of it.
 * TEXT-READ: the row has no field saying "no host veth" apart from "host veth unknown".
 */
export function noHostVethReason(note: string | null): string | null {
  if (!note) return null;
  const n = note.replace(
    /^(shares \S+ network namespace; |network mode none, but an interface was added outside Docker; |not a Docker endpoint of this container; )/,
    '',
  );
  if (/^no peer: not linked/.test(n)) return 'none (no peer)';
  if (/^veth pair inside the container/.test(n)) return 'none (its peer is inside the container)';
  if (/^(macvlan|ipvlan) on host \S+/.test(n)) return 'none (macvlan/ipvlan on a parent)';
  if (/^(macvlan|ipvlan) on parent /.test(n)) return 'none (macvlan/ipvlan on a parent)';
  if (/^peer is ifindex \d+ inside the overlay network namespace/.test(n)) return 'none (peer in the overlay namespace)';
  if (/^peer is ifindex \d+ in another namespace \(not a host veth/.test(n)) return 'none (peer in another namespace)';
  if (/^no host veth points at ifindex/.test(n)) return 'none (no host veth points back)';
  if (/^host \S+ points at ifindex \d+ of another namespace .*not paired/.test(n))
    return 'none (the host veth points into another namespace)';
  if (/^host network namespace: no veth/.test(n)) return 'none (host network)';
  if (/^loopback only/.test(n)) return 'none (loopback only)';
  if (/^no interface besides loopback/.test(n)) return 'none (loopback only)';
  return null;
}

function interfaceRows(c: Collector, rows: Json[], where: string): void {
  for (const r of rows) {
    const name = str(r.container);
    if (!name) continue;
    const cq = `${where}container ${name}: `;
    if (typeof r.running === 'boolean' && r.state !== 'unknown') c.say('container running', `${cq}running`, r.running);
    c.say('container namespace owner', `${cq}shares the network namespace of`, r.sharesNetnsWith);
    const iface = str(r.interface);
    const network = str(r.network);
    // A row is one interface (or one endpoint with no interface read): its mode is the row's, since a
    // container on an overlay network has an overlay row and a docker_gwbridge (bridge) row.
    const mode = r.mode === 'unknown' ? null : r.mode;
    if (network && network !== 'unknown') {
      const nq = `${cq}on network ${network}: `;
      c.say('endpoint on network', `${cq}on network ${network}`, 'yes');
      c.say('endpoint mode', `${nq}mode`, mode);
      c.say('endpoint address', `${nq}ipv4`, r.ipv4);
      c.say('endpoint address', `${nq}ipv6`, r.ipv6);
      c.say('endpoint mac', `${nq}mac`, r.mac);
      c.say('endpoint bridge', `${nq}bridge`, r.bridge);
      c.say('endpoint driver', `${nq}driver`, r.driver);
      c.say('endpoint gateway', `${nq}gateway`, r.gateway);
      c.say('endpoint subnet', `${nq}subnet`, r.subnet);
      c.say('endpoint parent', `${nq}parent interface`, r.parent);
      if (iface) c.say('endpoint interface', `${nq}interface inside`, iface);
    } else if (!iface) c.say('container mode', `${cq}mode (no interface row)`, mode);
    if (!iface) continue;
    const iq = `${cq}interface ${iface}: `;
    c.say('interface index', `${iq}ifindex`, r.ifindex);
    c.say('interface peer index', `${iq}peer ifindex (@ifN)`, r.peerIfindex);
    c.say('interface mac', `${iq}mac`, r.mac);
    c.say('interface address', `${iq}ipv4`, r.ipv4);
    c.say('interface network', `${iq}network`, network === 'unknown' ? null : network);
    c.say('interface mode', `${iq}mode`, mode);
    // The pairing: a host veth, or a definite "none" with its reason.
    if (str(r.hostVeth)) c.say('veth pairing', `${iq}host veth`, r.hostVeth);
    // The reason is not compared: "in another namespace" and "in the overlay namespace" are one answer.
    else c.say('veth pairing', `${iq}host veth`, noHostVethReason(str(r.note)) ? 'none' : null);
    c.say('interface bridge', `${iq}bridge`, r.bridge);
    c.say('interface parent', `${iq}parent interface`, r.parent);
  }
}

// ---- veth-map ----

const SANDBOX = 'no container: a Docker sandbox';

/**
 * What a host veth row's note says when its owner is null and not marked unknown.
 * TEXT-READ: HostVethRow has owner and ownerUnknown, but the leftover reason (on a Docker bridge,
 * not Docker's, on no bridge, a sandbox) is only in the note.
 */
export function leftoverOf(
  note: string | null,
): { owned: string; leftover: string | null; bridge: string | null; docker: boolean | null } | null {
  if (!note) return null;
  let m = /^on Docker bridge (\S+), but no container's interface points back/.exec(note);
  if (m)
    return { owned: 'no container', leftover: 'yes (on a Docker bridge, no container points back)', bridge: m[1] ?? null, docker: true };
  m = /^not Docker's: enslaved to (\S+), which no Docker network uses/.exec(note);
  if (m) return { owned: 'no container', leftover: null, bridge: m[1] ?? null, docker: false };
  if (/^belongs to no container and is on no bridge/.test(note))
    return { owned: 'no container', leftover: null, bridge: null, docker: null };
  m = /^on (\S+): one of .* \(Docker sandboxes with no container\)/.exec(note);
  if (m) return { owned: SANDBOX, leftover: 'no', bridge: m[1] ?? null, docker: true };
  return null;
}

/** What a host interface's role says about it being Docker's bridge, and being the uplink. */
function roleAnswers(c: Collector, h: Json): void {
  const name = str(h.name);
  const role = str(obj(h.role).text);
  if (!name || !role) return;
  const q = `host interface ${name}: `;
  if (/^Docker's default bridge|^bridge of Docker network '|^Docker's bridge for swarm/.test(role))
    c.say("Docker's bridge", `${q}is Docker's bridge`, 'yes');
  // "Docker's bridge, by its name (no Docker network list in the data)" is an inference: no answer.
  else if (/^a bridge no Docker network uses|not Docker's/.test(role)) c.say("Docker's bridge", `${q}is Docker's bridge`, 'no');
  const parent = /^parent of (.*) \(a? ?macvlan\/ipvlan networks?\)/.exec(role);
  if (parent) c.say('macvlan parent', `${q}parent of Docker networks`, parent[1]);
  if (/^uplink: /.test(role)) c.say('uplink', 'the uplink', name);
  if (role === 'loopback') c.say('loopback', `${q}is loopback`, 'yes');
}

export function vethMapAnswers(json: unknown): DefiniteAnswers {
  const c = new Collector('veth-map: ');
  const j = (json ?? {}) as Json;
  interfaceRows(c, arr(j.interfaces), '');
  // The veth list is all the host's veths only when the JSON says so (a whole listing, not an excerpt).
  const linksKnown = j.hostVethsComplete === true;
  for (const v of arr(j.hostVeths)) {
    const name = str(v.name);
    if (!name) continue;
    const q = `host veth ${name}: `;
    c.say('host veth exists', `host veth ${name} exists`, 'yes');
    c.say('host veth bridge', `${q}bridge`, v.bridge);
    c.say('host veth peer index', `${q}peer ifindex`, v.peerIfindex);
    const owner = str(v.owner);
    if (owner) {
      if (v.ownerKind === 'container') {
        c.say('veth owner', `${q}owner`, `container ${owner}`);
        c.say('veth owner interface', `${q}owner's interface`, v.ownerInterface);
      } else if (v.ownerKind === 'namespace') {
        // The namespace a container was read in: in use, but whose it is may be another container's.
      } else {
        // ingress-sbox, or (ownerKind null) "the one endpoint of the network that is no container".
        c.say('veth owner', `${q}owner`, SANDBOX);
        c.say('veth sandbox', `${q}sandbox`, owner);
      }
      c.say('veth leftover', `${q}a leftover`, 'no');
      continue;
    }
    if (v.ownerUnknown === true) continue;
    const left = leftoverOf(str(obj(v.note).text));
    if (!left) continue;
    c.say('veth owner', `${q}owner`, left.owned);
    c.say('veth leftover', `${q}a leftover`, left.leftover);
    if (left.bridge && left.docker !== null)
      c.say("Docker's bridge", `host interface ${left.bridge}: is Docker's bridge`, left.docker ? 'yes' : 'no');
    if (!left.bridge && /on no bridge/.test(String(obj(v.note).text))) c.say('host veth bridge', `${q}bridge`, 'none');
  }
  if (linksKnown)
    c.completeList(
      'host veth list',
      'host veth ',
      arr(j.hostVeths).length ? 'the host veths listed are all (host links read)' : 'No veth interfaces on the host',
    );
  for (const h of arr(j.hostInterfaces)) {
    roleAnswers(c, h);
    if (linksKnown) c.say('host interface exists', `host interface ${String(h.name)} exists`, 'yes');
  }
  return c.done();
}

// ---- nat and inspect: mappings ----

/** A DNAT rule, named by what it matches and where it sends: the same rule from any listing. */
function ruleKey(hostIp: string, hostPort: unknown, proto: unknown, toIp: unknown, toPort: unknown): string {
  return `DNAT rule ${addr(hostIp, hostPort ?? '*', proto ?? 'all')} -> ${toIp ? addr(String(toIp), toPort ?? '*', null) : '?'}`;
}

function mappingAnswers(c: Collector, mappings: Json[], where: string): void {
  for (const m of mappings) {
    if (m.exposedOnly === true) {
      c.say('exposed port', `${where}exposed only ${String(m.containerPort)}/${String(m.protocol)}`, 'yes');
      continue;
    }
    const hostIp = str(m.hostIp);
    if (!hostIp) continue;
    const a = addr(hostIp, m.hostPort, m.protocol);
    const q = `${where}published ${a}: `;
    c.say('mapping exists', `${where}published ${a}`, 'yes');
    c.say('mapping container', `${q}container`, m.container);
    c.say('mapping container port', `${q}container port`, m.containerPort);
    c.say('mapping container address', `${q}container address`, m.containerIp);
    c.say('mapping host veth', `${q}host veth`, m.hostVeth);
    c.say('mapping bridge', `${q}bridge`, m.bridge);
    c.say('mapping network', `${q}network`, m.network);
    if (m.via !== 'unknown') c.say('mapping via', `${q}outside traffic travels via`, m.via);
    const rule = m.rule as Json | null;
    if (rule && typeof rule === 'object') {
      const to = /(?:to:|--to-destination |dnat (?:ip )?to )\[?([0-9a-fA-F.:]+?)\]?:(\d+)/.exec(String(rule.text ?? ''));
      const rk = ruleKey(hostIp, m.hostPort, m.protocol, to?.[1] ?? m.containerIp, to?.[2] ?? m.containerPort);
      c.say('DNAT rule is', `${where}${rk} is`, 'a publication');
      c.say('DNAT rule container', `${where}${rk} serves container`, m.container);
    }
    const proxy = m.proxy as Json | null;
    if (proxy && typeof proxy === 'object') c.say('mapping docker-proxy', `${q}docker-proxy pid`, proxy.pid);
  }
}

export function natAnswers(json: unknown): DefiniteAnswers {
  const c = new Collector('nat: ');
  const j = (json ?? {}) as Json;
  const mappings = arr(j.mappings);
  mappingAnswers(c, mappings, '');
  // `nat` prints "No published ports." for an empty list; with NAT rules unavailable it says so instead.
  // TEXT-READ-free but ambiguous: the JSON cannot tell "no container publishes" from "no container list".
  // "No published ports" only where the JSON says the publications are known (a container list was read).
  if (mappings.length === 0 && j.available === true && (j.publications as Json | undefined)?.known !== false)
    c.completeList('no published ports', 'published ', 'No published ports (mappings: [])');
  if (str(j.backend) && j.backend !== 'iptables') c.say('NAT backend', "backend of Docker's rules", j.backend);
  for (const a of arr(j.anomalies)) {
    const kind = str(a.kind);
    const hostIp = str(a.hostIp);
    if (!kind) continue;
    if (kind === 'missing-rule' && hostIp) {
      const q = `published ${addr(hostIp, a.hostPort, a.protocol)}: `;
      c.say('missing DNAT rule', `${q}has a DNAT rule`, 'no');
      if (typeof a.proxyServes === 'boolean') c.say('missing DNAT rule', `${q}docker-proxy serves it`, a.proxyServes ? 'yes' : 'no');
      continue;
    }
    if (!hostIp) continue;
    const rk = ruleKey(hostIp, a.hostPort, a.protocol, a.containerIp, a.containerPort);
    if (kind === 'stale-rule') {
      if (a.confirmed === false) continue;
      c.say('DNAT rule is', `${rk} is`, 'stale (no container it serves)');
    } else if (kind === 'foreign-rule') c.say('DNAT rule is', `${rk} is`, "not Docker's");
    else if (kind === 'ingress') c.say('DNAT rule is', `${rk} is`, 'swarm ingress');
    c.say('DNAT rule container', `${rk} targets container`, a.container);
  }
  return c.done();
}

// ---- inspect ----

export function inspectAnswers(json: unknown): DefiniteAnswers {
  const j = (json ?? {}) as Json;
  const container = (j.container ?? {}) as Json;
  const name = str(container.name) ?? '?';
  const c = new Collector(`inspect ${name}: `);
  c.say('container id', 'short id', str(container.shortId) ?? (str(container.id) ? String(container.id).slice(0, 12) : null));
  if (container.state !== 'unknown' && typeof container.running === 'boolean') c.say('container running', 'running', container.running);
  c.say('container pid', 'pid', container.pid);
  c.say('container namespace', 'network namespace', container.netns);
  const mode = (j.mode ?? {}) as Json;
  if (mode.kind !== 'unknown') c.say('container mode', 'mode', mode.kind);
  c.say('container namespace owner', 'shares the network namespace of', mode.owner);
  interfaceRows(c, arr(j.interfaces), '');
  const ports = arr(j.ports);
  mappingAnswers(c, ports, '');
  const nat = j.nat as Json | null;
  // The text prints "none exposed or published" for an empty list unless it says NAT rules are unavailable
  // or the container's publications are unknown (portsKnown false).
  const portsComplete = ports.length === 0 && !(nat && nat.available === false) && j.portsKnown !== false;
  if (portsComplete) c.completeList('no published ports', 'published ', 'none exposed or published (ports: [])');
  if (portsComplete) c.completeList('no published ports', 'exposed only ', 'none exposed or published (ports: [])');
  for (const s of arr(j.sharedWith).map(String)) c.say('namespace shared with', `shared with ${s}`, 'yes');
  for (const n of arr(j.neighbours)) {
    const net = str(n.network);
    if (!net) continue;
    c.say(
      'neighbour name resolution',
      `on ${net}: names resolve`,
      typeof n.nameResolution === 'boolean' ? (n.nameResolution ? 'yes' : 'no') : null,
    );
    for (const o of arr(n.containers)) {
      c.say('neighbour', `on ${net}: neighbour ${String(o.name)}`, 'yes');
      c.say('neighbour address', `on ${net}: neighbour ${String(o.name)} ipv4`, o.ipv4);
    }
    // The list is printed as the whole list ("no other container" when empty), unless it says it is not (complete false).
    if (n.complete !== false)
      c.completeList(
        'neighbour list',
        `on ${net}: neighbour `,
        n.containers && arr(n.containers).length ? 'these are its neighbours' : 'no other container',
      );
  }
  const dns = j.dns as Json | null;
  if (dns && typeof dns === 'object') {
    c.say('DNS', 'nameservers', arr(dns.nameservers).map(String).join(', ') || 'none');
    c.say('DNS', 'embedded DNS', typeof dns.embedded === 'boolean' ? (dns.embedded ? 'yes' : 'no') : null);
  }
  if (Array.isArray(j.listening)) {
    for (const l of arr(j.listening))
      c.say('listening socket', `listens on ${String(l.protocol)} ${addr(String(l.ip), l.port, null)}`, 'yes');
    c.completeList('listening sockets', 'listens on ', j.listening.length ? 'these are its listening sockets' : 'nothing listening');
  }
  const uplink = j.uplink as Json | null;
  if (uplink && typeof uplink === 'object') c.say('uplink', 'uplink', uplink.name);
  return c.done();
}

// ---- doctor ----

/**
 * The subject of a doctor finding, from its title, or null when the finding says the answer is
 * unknown (an owner not in the data, a stale rule that "cannot tell").
 * TEXT-READ: findings carry no subject field; the title is the only place that names it.
 */
export function findingSubject(check: string, title: string, severity: string): string | null {
  if (check === 'nat' && severity === 'info' && /cannot tell|unconfirmed/.test(title)) return null;
  if (check === 'veths' && /owner is not in the data/.test(title)) return null;
  for (const [c, re, subject] of SUBJECTS) {
    if (c !== check) continue;
    const x = re.exec(title);
    if (x) return subject(x.slice(1).map(String));
  }
  return check === 'default-bridge-dns' ? 'containers share the default bridge' : title;
}

/** Per check, a title pattern and the subject it names; a title no pattern knows is its own subject. */
const SUBJECTS: [string, RegExp, (x: string[]) => string][] = [
  ['forwarding', /^(IPv4|IPv6) forwarding is off/, (x) => `${x[0]} forwarding off`],
  ['iptables-backends', /^Docker's firewall backend is nftables/, () => "Docker's backend is nftables"],
  [
    'iptables-backends',
    /^Docker's rules are in the (\S+) backend, while the (\S+) backend/,
    (x) => `Docker's rules in ${x[0]}, other rules in ${x[1]}`,
  ],
  ['mtu', /^MTU larger than the uplink (\S+)'s (\d+)/, (x) => `MTU above uplink ${x[0]} ${x[1]}`],
  ['nat', /\((\S+) -> (?:DNAT|REDIRECT) to (\S+?);/, (x) => `stale DNAT rule ${x[0]} -> ${x[1]}`],
  ['nat', /^(\S+) is published by (\S+) \(/, (x) => `no DNAT rule for ${x[0]} (published by ${x[1]})`],
  ['nat', /^docker-proxy pid (\d+) forwards (\S+) to (\S+), which no container has/, (x) => `leftover docker-proxy ${x[1]} -> ${x[2]}`],
  ['veths', /^Host veth (\S+) on Docker bridge (\S+) belongs to no container/, (x) => `leftover veth ${x[0]} on ${x[1]}`],
  ['veths', /^Host veth (\S+) is on no bridge and belongs to no container/, (x) => `veth ${x[0]} on no bridge, no container`],
  ['veths', /^Bridge (\S+) is (.*)\.$/, (x) => `bridge ${x[0]} is not Docker's`],
  ['port-clash', /both publish (\S+)\.$/, (x) => `clash on ${x[0]}`],
  ['port-clash', /listens on (\S+), a port Docker also publishes/, (x) => `host listener on ${x[0]} clashes`],
  [
    'subnet-overlap',
    /^Docker network (\S+) \((\S+)\) overlaps the host route (\S+) via (\S+)/,
    (x) => `network ${x[0]} ${x[1]} overlaps route ${x[2]} via ${x[3]}`,
  ],
];

export function doctorAnswers(json: unknown): DefiniteAnswers {
  const c = new Collector('doctor: ');
  const j = (json ?? {}) as Json;
  for (const o of arr(j.checks)) {
    const check = str(o.check);
    if (!check) continue;
    for (const f of arr(o.findings)) {
      const subject = findingSubject(check, String(f.title ?? ''), String(f.severity ?? ''));
      if (subject !== null) c.say(`finding (${check})`, `${check}: ${subject}`, f.severity);
    }
    // A check that ran says it found every problem of its kind: "0 warning(s)" for it is a "none".
    if (o.status === 'ran' && !o.partial)
      c.completeList(`check ran (${check})`, `${check}: `, `check ${check} ran${arr(o.findings).length ? '' : ' and found nothing'}`);
  }
  return c.done();
}

// ---- comparing ----

/** Every definite answer of the subset that the full snapshot does not give, and every complete list it misses. */
export function disagreements(subset: DefiniteAnswers, full: DefiniteAnswers): Disagreement[] {
  const out: Disagreement[] = [];
  for (const a of subset.answers.values()) {
    const f = full.answers.get(a.question);
    if (!f) out.push({ kind: a.kind, question: a.question, subset: a.value, full: null, why: 'not answered on the full snapshot' });
    else if (f.value !== a.value) out.push({ kind: a.kind, question: a.question, subset: a.value, full: f.value, why: 'differs' });
  }
  for (const claim of subset.complete) {
    for (const f of full.answers.values()) {
      if (!f.question.startsWith(claim.prefix) || subset.answers.has(f.question)) continue;
      // Only answers of the kinds the claim lists (an existence question, a finding): not their details.
      if (!isListItem(f)) continue;
      out.push({
        kind: claim.kind,
        question: f.question,
        subset: `none: ${claim.statement}`,
        full: f.value,
        why: 'missing from a list the subset called complete',
      });
    }
  }
  return out;
}

/** The answers that make up a list a completeness claim covers (not the details of each item). */
function isListItem(a: Answer): boolean {
  return (
    a.kind === 'host veth exists' ||
    a.kind === 'mapping exists' ||
    a.kind === 'exposed port' ||
    a.kind === 'neighbour' ||
    a.kind === 'listening socket' ||
    a.kind.startsWith('finding (')
  );
}
