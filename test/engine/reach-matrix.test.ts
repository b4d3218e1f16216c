// Engine test: the reachability matrix. For every scenario (reach-matrix-scenarios.ts) under every host
// firewall set-up, the real packet is sent (lab/probe.ts), `docknet reach --json` is asked on the same
// host, and its `expect` must be what happened, its `decidedBy` the rule whose counter the packet moved
// (iptables-save -c before and after), and a snapshot saved under that set-up must give the same answers.
// The rows are written to /tmp/docknet-reach-matrix-<engine>.json (scripts/reach-matrix.mjs renders them).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { type TestContext, test } from 'node:test';
import { GENERATION, HTTP_PORT, NET } from '../../lab/lab-spec.js';
import { probe, type ProbeResult, udpEcho } from '../../lab/probe.js';
import { must } from '../../lab/run.js';
import { defaultBridge, runDocknet, testContainer, withLab } from './harness.js';
import {
  baseScenarios,
  type From,
  type LabFacts,
  MX,
  PORTS,
  type Scenario,
  SETUP_IDS,
  setupWants,
  type SetupId,
} from './reach-matrix-scenarios.js';
import { applySetup, type Counted, egressNamespace, hostListener, nftChainExists, ruleCounters } from './reach-matrix-setups.js';

interface ReachJson {
  verdict: string;
  expect: string;
  decidedBy: { family: string; kind: string; table: string; chain: string; number: number; text: string } | null;
  unknown: string | null;
}

export interface MatrixRow {
  engine: string;
  setup: SetupId;
  id: string;
  what: string;
  command: string;
  /** What the real packet did. */
  probe: ProbeResult;
  want: ProbeResult;
  verdict: string;
  expect: string;
  decidedBy: string | null;
  /** The deciding rule's counter: how many packets this probe added to it. */
  counted: number | null;
  counterNote: string | null;
  unknown: string | null;
  fromSnapshot: string | null;
  problems: string[];
}

const OUT = process.env.DOCKNET_REACH_MATRIX_OUT ?? `/tmp/docknet-reach-matrix-${GENERATION.id}.json`;

async function inspect(name: string): Promise<{ pid: number; ip: string }> {
  const [c] = JSON.parse(await must(['docker', 'inspect', '--type', 'container', name])) as {
    State: { Pid: number };
    NetworkSettings: { Networks: Record<string, { IPAddress: string }> };
  }[];
  if (!c) throw new Error(`docker inspect ${name}: nothing`);
  const ip = Object.values(c.NetworkSettings.Networks).find((n) => n.IPAddress)?.IPAddress;
  if (!ip) throw new Error(`${name} has no IPv4 address`);
  return { pid: c.State.Pid, ip };
}

async function hostPort(name: string, port: string): Promise<number> {
  const out = await must(['docker', 'port', name, port]);
  const m = /0\.0\.0\.0:(\d+)/.exec(out);
  if (!m) throw new Error(`docker port ${name} ${port}: no 0.0.0.0 binding in ${out}`);
  return Number(m[1]);
}

function sourceArg(f: From, client: string): string {
  return f.kind === 'outside' ? client : f.kind === 'host' ? 'host' : f.name;
}

function ruleKey(d: NonNullable<ReachJson['decidedBy']>): string {
  return `${d.table}/${d.chain}/${d.number}`;
}

/** docknet's rule text as iptables-save -c printed it: without the counters, which the JSON gives apart. */
function bareText(d: NonNullable<ReachJson['decidedBy']>): string {
  return d.text.replace(/^\[\d+:\d+\]\s+/, '');
}

function ruleName(d: ReachJson['decidedBy']): string | null {
  if (d === null) return null;
  return d.number === 0 ? `${d.table} ${d.chain} ${bareText(d)}` : `${d.table} ${d.chain} #${d.number}: ${bareText(d)}`;
}

async function reachJson(args: string[]): Promise<ReachJson> {
  const r = await runDocknet(['reach', ...args, '--json']);
  if (r.exitCode !== 0) throw new Error(`docknet reach ${args.join(' ')} exited ${r.exitCode}: ${r.stderr.trim()}`);
  return JSON.parse(r.stdout) as ReachJson;
}

/** The verdicts docknet gives without a rule: routing decided, or the packet never met iptables. */
const NO_RULE_VERDICTS = new Set(['no-route', 'forwarding-off']);

interface Decider {
  counted: number | null;
  /** Why no counter could move, when that is itself the proof. */
  note?: string;
  problems: string[];
}

/** Sends the scenario's packet again with a counting rule at the end of a chain: how many packets reached that chain's policy, or null where no rule may be added. */
type CountPolicy = (table: string, chain: string) => Promise<number | null>;

async function checkDecider(
  s: Scenario,
  live: ReachJson,
  before: Map<string, Counted>,
  after: Map<string, Counted>,
  countPolicy: CountPolicy,
): Promise<Decider> {
  const problems: string[] = [];
  const d = live.decidedBy;
  if (d === null) {
    if (!NO_RULE_VERDICTS.has(live.verdict)) problems.push(`decidedBy is null for verdict ${live.verdict}`);
    return { counted: null, problems };
  }
  if (d.family !== 'ip' || d.kind !== 'iptables') {
    problems.push(`decidedBy is a ${d.family} ${d.kind} rule; this test reads iptables-save counters only`);
    return { counted: null, problems };
  }
  const b = before.get(ruleKey(d));
  const a = after.get(ruleKey(d));
  if (!b || !a) {
    problems.push(`iptables-save -c has no ${ruleKey(d)} (docknet named ${ruleName(d)})`);
    return { counted: null, problems };
  }
  if (a.text !== bareText(d)) problems.push(`${ruleKey(d)} is "${a.text}" in iptables-save, docknet says "${bareText(d)}"`);
  const counted = a.packets - b.packets;
  if (counted <= 0 && d.number === 0 && a.text === 'policy ACCEPT' && !(await nftChainExists(d.table, d.chain))) {
    // No chain on that hook in the kernel: nothing counts the packet and nothing can stop it, so the policy is what decided.
    return {
      counted: null,
      note: `no ${d.table} ${d.chain} chain in nftables (iptables-nft makes it when used): accepted by the hook's absence`,
      problems,
    };
  }
  if (counted <= 0 && d.number === 0 && a.text === 'policy ACCEPT') {
    // iptables-nft keeps no policy counter on a built-in chain whose policy was never set (Docker 26 only appends to FORWARD).
    const reached = await countPolicy(d.table, d.chain);
    if (reached !== null && reached > 0)
      return { counted: reached, note: 'counted by a rule appended at the end of the chain, the probe sent again', problems };
  }
  if (counted <= 0)
    problems.push(`the counter of ${ruleName(d)} did not grow with the ${s.to.protocol} probe (${b.packets} -> ${a.packets})`);
  return { counted, problems };
}

function checkExpect(s: Scenario, result: ProbeResult, live: ReachJson): string[] {
  const problems: string[] = [];
  if (result !== s.want) problems.push(`the packet did ${result}, the scenario is about ${s.want}`);
  if (s.unknownBecause) {
    if (live.expect !== 'unknown' || !s.unknownBecause.test(live.unknown ?? ''))
      problems.push(
        `docknet says ${live.verdict}/${live.expect} (${live.unknown}); it cannot know whether ${s.to.ip} answers and must say ${s.unknownBecause}`,
      );
    if (live.verdict !== 'delivered' && result === 'connect')
      problems.push(`docknet says ${live.verdict}, the packet left the host and connected`);
  } else if (live.expect !== result) {
    problems.push(`docknet expects ${live.expect} (${live.verdict}${live.unknown ? `: ${live.unknown}` : ''}), the packet did ${result}`);
  }
  return problems;
}

function scenariosOf(setup: SetupId, base: Scenario[], facts: LabFacts): Scenario[] {
  if (setup === 'none') return base;
  const want = setupWants(setup, facts);
  return base.filter((s) => s.id in want).map((s) => ({ ...s, want: want[s.id] === 'as-none' ? s.want : (want[s.id] as ProbeResult) }));
}

test(`reach matrix on Docker ${GENERATION.id}: docknet's verdicts against real packets, live and from a snapshot`, {
  timeout: 15 * 60_000,
}, async (t) => {
  const lab = await withLab(t);
  if (!lab) return;
  const gen = GENERATION;
  const rows: MatrixRow[] = [];
  try {
    await runMatrix(t, rows);
  } finally {
    writeFileSync(OUT, `${JSON.stringify({ engine: gen.id, at: new Date().toISOString(), rows }, null, 2)}\n`);
  }
  const failed = rows.filter((r) => r.problems.length > 0);
  assert.ok(rows.length >= 40, `only ${rows.length} scenarios ran`);
  assert.deepEqual(
    failed.map((r) => `${r.setup} ${r.id}: ${r.problems.join('; ')}`),
    [],
  );
});

async function runMatrix(t: TestContext, rows: MatrixRow[]): Promise<void> {
  const gen = GENERATION;
  const o = gen.outside;
  const bridge = await defaultBridge();
  const names = [
    'tomcat-tml',
    'tomcat01',
    'lab-web',
    'lab-multi',
    'lab-internal',
    'lab-noicc-a',
    'lab-noicc-b',
    'lab-routed',
    'lab-natunprot',
  ];
  const httpd = ['sh', '-c', `mkdir -p /www && echo mx > /www/index.html && exec httpd -f -p ${HTTP_PORT} -h /www`];
  await testContainer(
    t,
    MX.pub,
    ['-p', `${o.hostAddr}:${PORTS.onLan}:${HTTP_PORT}`, '-p', `${bridge.gateway}:${PORTS.onOther}:${HTTP_PORT}`],
    httpd,
  );
  await testContainer(t, MX.internal, ['--network', NET.internal.name]);
  const at = new Map<string, { pid: number; ip: string }>();
  for (const n of [...names, MX.internal]) at.set(n, await inspect(n));
  const pidOf = (n: string) => at.get(n)?.pid ?? 0;
  for (const [c, port] of [
    ['tomcat-tml', 5353],
    ['lab-routed', 5354],
  ] as const) {
    const echo = await udpEcho(`/proc/${pidOf(c)}/ns/net`, port);
    t.after(() => echo.stop());
  }
  const listener = await hostListener(PORTS.hostListener);
  t.after(() => new Promise<void>((resolve) => listener.close(() => resolve())));
  const egress = await egressNamespace(gen, PORTS.egress, [NET.routed.subnet]);
  t.after(() => egress.stop());
  const facts: LabFacts = {
    gen: gen.id,
    lan: o.hostAddr,
    client: o.clientAddr,
    bridgeGateway: bridge.gateway,
    frontGateway: NET.front.gateway,
    internalGateway: NET.internal.gateway,
    ip: (n) => at.get(n)?.ip ?? `no address for ${n}`,
    tomcat01Port: await hostPort('tomcat01', `${HTTP_PORT}/tcp`),
    egress: egress.ip,
  };
  const base = baseScenarios(facts);
  // Firewall set-ups only inside a host of its own: the system engine's namespace is the machine's.
  // REACH_MATRIX_SETUPS=none,ufw runs those only (a quicker look at one set-up); CI runs them all.
  const only = process.env.REACH_MATRIX_SETUPS?.split(',');
  const setups: SetupId[] = (gen.netns ? [...SETUP_IDS] : (['none'] as SetupId[])).filter((id) => !only || only.includes(id));
  const fromPath = (f: From) =>
    f.kind === 'outside' ? `/run/netns/${o.netns}` : f.kind === 'host' ? '/proc/self/ns/net' : `/proc/${pidOf(f.name)}/ns/net`;

  for (const setup of setups) {
    await t.test(`set-up: ${setup}`, async () => {
      const undo = await applySetup(setup, gen, o.clientAddr, o.hostEnd);
      // Kept after the run (replaced by the next): the real rules behind any verdict found wrong, for a unit test.
      const snap = `/tmp/docknet-reach-matrix-${gen.id}-${setup}`;
      try {
        const saved = await runDocknet(['snapshot', 'save', snap, '--force'], { timeoutMs: 120_000 });
        assert.equal(saved.exitCode, 0, `snapshot save: ${saved.stderr}`);
        const mine: MatrixRow[] = [];
        for (const s of scenariosOf(setup, base, facts)) {
          const args = [sourceArg(s.from, o.clientAddr), `${s.to.ip}:${s.to.port}/${s.to.protocol}`];
          const before = await ruleCounters();
          const result = await probe({ from: fromPath(s.from), ip: s.to.ip, port: s.to.port, protocol: s.to.protocol, timeoutMs: 1500 });
          const after = await ruleCounters();
          const live = await reachJson(args);
          const countPolicy: CountPolicy = async (table, chain) => {
            if (!gen.netns) return null;
            const rule = ['-m', 'comment', '--comment', 'docknet reach matrix: counts what reaches the policy'];
            await must(['iptables', '-t', table, '-A', chain, ...rule]);
            try {
              const n = () => [...before.keys()].filter((k) => k.startsWith(`${table}/${chain}/`) && !k.endsWith('/0')).length + 1;
              const b = (await ruleCounters()).get(`${table}/${chain}/${n()}`);
              const again = await probe({ from: fromPath(s.from), ip: s.to.ip, port: s.to.port, protocol: s.to.protocol, timeoutMs: 1500 });
              const a = (await ruleCounters()).get(`${table}/${chain}/${n()}`);
              if (again !== result || !a || !b || !a.text.includes('counts what reaches the policy')) return null;
              return a.packets - b.packets;
            } finally {
              await must(['iptables', '-t', table, '-D', chain, ...rule]);
            }
          };
          const decider = await checkDecider(s, live, before, after, countPolicy);
          const row: MatrixRow = {
            engine: gen.id,
            setup,
            id: s.id,
            what: s.what,
            command: `docknet reach ${args.join(' ')}`,
            probe: result,
            want: s.want,
            verdict: live.verdict,
            expect: live.expect,
            decidedBy: ruleName(live.decidedBy),
            counted: decider.counted,
            counterNote: decider.note ?? null,
            unknown: live.unknown,
            fromSnapshot: null,
            problems: [...checkExpect(s, result, live), ...decider.problems],
          };
          const saved = await reachJson([...args, '--from', snap]);
          row.fromSnapshot = `${saved.verdict}/${saved.expect} ${ruleName(saved.decidedBy) ?? '(no rule)'}`;
          if (saved.verdict !== live.verdict || saved.expect !== live.expect || ruleName(saved.decidedBy) !== ruleName(live.decidedBy))
            row.problems.push(
              `from the snapshot: ${row.fromSnapshot}; live: ${live.verdict}/${live.expect} ${row.decidedBy ?? '(no rule)'}`,
            );
          rows.push(row);
          mine.push(row);
        }
        const failed = mine.filter((r) => r.problems.length > 0).map((r) => `${r.id}: ${r.problems.join('; ')}`);
        assert.deepEqual(failed, [], `set-up ${setup}`);
      } finally {
        await undo();
      }
    });
  }
}
