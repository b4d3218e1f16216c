// Maps docknet's veth-map and nat JSON to the small answer vocabulary of test/fixtures/pastes/*/expected.json,
// and compares the two: the one place to adapt when docknet's JSON shapes grow.

export interface PastePair {
  container: string | null;
  interface: string;
  hostVeth: string;
}

export interface PasteMapping {
  hostIp: string | null;
  hostPort: number;
  protocol: string | null;
  containerIp: string | null;
  containerPort: number | null;
  container: string | null;
}

/** What a paste proves (expected.json), or what docknet said (mapped from its JSON). */
export interface PasteAnswers {
  pairs?: PastePair[];
  bridgePorts?: Record<string, string[]>;
  mappings?: PasteMapping[];
  dockerBridges?: string[];
  notDocker?: string[];
  /** Free text for the SOURCE note only; never compared. */
  unknown?: string[];
}

/** docknet's answers, mapped, plus the claims the vocabulary has no key for but a paste can contradict. */
export interface DocknetAnswers {
  pairs: PastePair[];
  bridgePorts: Record<string, string[]>;
  mappings: PasteMapping[];
  dockerBridges: string[];
  notDocker: string[];
  /** Host veths docknet says belong to no container (owner null, and not said to be unknown). */
  vethsWithNoOwner: string[];
}

interface VethMapJson {
  interfaces?: { container: string; interface: string | null; hostVeth: string | null }[];
  hostVeths?: {
    name: string;
    bridge: string | null;
    owner: string | null;
    ownerInterface: string | null;
    ownerUnknown: boolean;
    note: { code: string; text: string } | null;
  }[];
  hostInterfaces?: { name: string; role: { code: string; text: string }; master?: string | null; bridge?: string | null }[];
}

interface NatJson {
  /** The swarm routing mesh's DNATs, to the ingress sandbox: a mapping to no one container. */
  anomalies?: {
    kind: string;
    hostIp: string | null;
    hostPort: number | null;
    protocol: string | null;
    containerIp: string | null;
    containerPort: number | null;
  }[];
  mappings?: {
    hostIp: string | null;
    hostPort: number;
    protocol: string | null;
    containerIp: string | null;
    containerPort: number | null;
    container: string | null;
  }[];
}

const NOT_DOCKER = /not Docker's/;

function addPort(ports: Record<string, string[]>, bridge: string, port: string): void {
  const list = (ports[bridge] ??= []);
  if (!list.includes(port)) list.push(port);
}

export function docknetAnswers(vethMap: VethMapJson, nat: NatJson): DocknetAnswers {
  const pairs: PastePair[] = [];
  const addPair = (p: PastePair) => {
    if (!pairs.some((q) => q.container === p.container && q.interface === p.interface && q.hostVeth === p.hostVeth)) pairs.push(p);
  };
  for (const row of vethMap.interfaces ?? []) {
    if (row.interface && row.hostVeth) addPair({ container: row.container, interface: row.interface, hostVeth: row.hostVeth });
  }
  const bridgePorts: Record<string, string[]> = {};
  const notDocker: string[] = [];
  const vethsWithNoOwner: string[] = [];
  for (const v of vethMap.hostVeths ?? []) {
    if (v.owner && v.ownerInterface) addPair({ container: v.owner, interface: v.ownerInterface, hostVeth: v.name });
    if (v.bridge) addPort(bridgePorts, v.bridge, v.name);
    if (NOT_DOCKER.test(v.note?.text ?? '')) notDocker.push(v.name);
    if (!v.owner && !v.ownerUnknown) vethsWithNoOwner.push(v.name);
  }
  const dockerBridges: string[] = [];
  for (const i of vethMap.hostInterfaces ?? []) {
    // Non-veth bridge ports (eth0 on br0, virbr0-nic) appear here once the JSON names an interface's bridge.
    const master = i.master ?? i.bridge ?? null;
    if (master) addPort(bridgePorts, master, i.name);
    // By the role's code: another tool's interface is not Docker's; a Docker bridge is Docker's.
    if (i.role.code === 'foreign') notDocker.push(i.name);
    else if (i.role.code === 'docker-bridge') dockerBridges.push(i.name);
  }
  const mappings = (nat.mappings ?? []).map((m) => ({
    hostIp: m.hostIp,
    hostPort: m.hostPort,
    protocol: m.protocol,
    containerIp: m.containerIp,
    containerPort: m.containerPort,
    container: m.container,
  }));
  for (const a of nat.anomalies ?? []) {
    if (a.kind !== 'ingress' || a.hostPort === null) continue;
    mappings.push({
      hostIp: a.hostIp,
      hostPort: a.hostPort,
      protocol: a.protocol,
      containerIp: a.containerIp,
      containerPort: a.containerPort,
      container: null,
    });
  }
  return { pairs, bridgePorts, mappings, dockerBridges, notDocker, vethsWithNoOwner };
}

const show = (m: PasteMapping) =>
  `${m.hostIp ?? '?'}:${m.hostPort}/${m.protocol ?? '?'} -> ${m.containerIp ?? '?'}:${m.containerPort ?? '?'} (${m.container ?? 'container not named'})`;

/**
 * The same host endpoint. A null host address or protocol in expected.json means the paste does not print it
 * (Docker 0.x's `49154->80`), so any value matches.
 */
function sameEndpoint(e: PasteMapping, d: PasteMapping): boolean {
  return e.hostPort === d.hostPort && (e.hostIp === null || e.hostIp === d.hostIp) && (e.protocol === null || e.protocol === d.protocol);
}

/**
 * Where docknet's mapping contradicts what the paste proves, in words. A null container address or port in
 * expected.json means the paste cannot tell it, so a value docknet states is invented; a null container only
 * means the paste names none, so docknet may name one (it may know it from a file the paste holds).
 */
function mappingDifference(e: PasteMapping, d: PasteMapping): string | null {
  const diffs: string[] = [];
  if (e.containerIp !== d.containerIp)
    diffs.push(`container address ${d.containerIp ?? 'null'} (the paste proves ${e.containerIp ?? 'nothing'})`);
  if (e.containerPort !== d.containerPort)
    diffs.push(`container port ${d.containerPort ?? 'null'} (the paste proves ${e.containerPort ?? 'nothing'})`);
  if (e.container !== null && e.container !== d.container)
    diffs.push(`container ${d.container ?? 'null'} (the paste proves ${e.container})`);
  return diffs.length ? diffs.join(', ') : null;
}

/**
 * Every way docknet's answers fall short of, or contradict, what the paste proves. Each expected list is
 * every fact of its kind the paste allows (an absent key: none), so a fact docknet states beyond it was
 * invented from missing data.
 */
export function compareAnswers(expected: PasteAnswers, got: DocknetAnswers): string[] {
  const problems: string[] = [];
  const expPairs = expected.pairs ?? [];
  for (const e of expPairs) {
    const hit = got.pairs.find(
      (d) => d.interface === e.interface && d.hostVeth === e.hostVeth && (e.container === null || d.container === e.container),
    );
    if (!hit) problems.push(`pair not reported: ${e.container ?? '(container)'} ${e.interface} <-> ${e.hostVeth}`);
  }
  for (const d of got.pairs) {
    const byVeth = expPairs.find((e) => e.hostVeth === d.hostVeth);
    const byIface = expPairs.find((e) => e.container !== null && e.container === d.container && e.interface === d.interface);
    const exact = expPairs.find(
      (e) => e.hostVeth === d.hostVeth && e.interface === d.interface && (e.container === null || e.container === d.container),
    );
    if (exact) continue;
    if (byVeth || byIface) problems.push(`pair contradicts the paste: ${d.container} ${d.interface} <-> ${d.hostVeth}`);
    else problems.push(`pair the paste does not prove: ${d.container} ${d.interface} <-> ${d.hostVeth}`);
  }

  const expPorts = expected.bridgePorts ?? {};
  const bridgeOf = new Map<string, string>();
  for (const [bridge, ports] of Object.entries(expPorts)) for (const p of ports) bridgeOf.set(p, bridge);
  for (const [bridge, ports] of Object.entries(expPorts)) {
    for (const p of ports) if (!(got.bridgePorts[bridge] ?? []).includes(p)) problems.push(`bridge port not reported: ${p} on ${bridge}`);
  }
  for (const [bridge, ports] of Object.entries(got.bridgePorts)) {
    for (const p of ports) {
      const want = bridgeOf.get(p);
      if (want === undefined) problems.push(`bridge port the paste does not prove: ${p} on ${bridge}`);
      else if (want !== bridge) problems.push(`bridge port contradicts the paste: ${p} on ${bridge}, the paste shows it on ${want}`);
    }
  }

  const dockerBridges = expected.dockerBridges ?? [];
  const notDocker = expected.notDocker ?? [];
  for (const b of dockerBridges) {
    if (!got.dockerBridges.includes(b)) problems.push(`Docker bridge not reported as Docker's: ${b}`);
    if (got.notDocker.includes(b)) problems.push(`called not Docker's, the paste shows it is Docker's: ${b}`);
  }
  for (const n of notDocker) {
    if (!got.notDocker.includes(n)) problems.push(`not reported as not Docker's: ${n}`);
    if (got.dockerBridges.includes(n)) problems.push(`called Docker's, the paste shows it is not: ${n}`);
  }
  for (const [bridge, ports] of Object.entries(expPorts)) {
    if (!dockerBridges.includes(bridge)) continue;
    for (const p of ports)
      if (got.notDocker.includes(p)) problems.push(`called not Docker's, the paste shows it on Docker's ${bridge}: ${p}`);
  }
  // No paste in the corpus proves a veth unused: that needs every container's inside.
  for (const v of got.vethsWithNoOwner) problems.push(`said to belong to no container, which the paste cannot prove: ${v}`);

  const expMaps = expected.mappings ?? [];
  for (const e of expMaps) {
    const hit = got.mappings.find((d) => sameEndpoint(e, d));
    if (!hit) problems.push(`mapping not reported: ${show(e)}`);
    else {
      const diff = mappingDifference(e, hit);
      if (diff) problems.push(`mapping ${show(e)} reported with ${diff}`);
    }
  }
  for (const d of got.mappings) {
    if (!expMaps.some((e) => sameEndpoint(e, d))) problems.push(`mapping the paste does not prove: ${show(d)}`);
  }
  return problems;
}
