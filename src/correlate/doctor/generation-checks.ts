// Doctor's check of which Docker generation wrote the firewall rules: 28's DOCKER-FORWARD layout and
// raw-table drops are Docker's own, and a layout that does not fit the running engine is said.
import {
  DOCKER_CHAINS,
  DOCKER_FEATURES,
  generationWord,
  hasFeature,
  isDirectAccessDrop,
  isDockerChain,
} from '../../model/docker-generation.js';
import type { FwRule, FwTable } from '../../model/firewall.js';
import type { NatTable } from '../../model/nat-rule.js';
import { engineRelease } from '../network-modes.js';
import { finding, type Check, type DoctorInputs } from './inputs.js';

function iptablesTables(i: DoctorInputs, name: string): { table: NatTable; from: string }[] {
  return i.model.portFacts.nat.firewall.tables.filter(
    (s) => s.table.name === name && s.table.family === 'ipv4' && s.table.origin.tool !== 'nft',
  );
}

/** The IPv4 raw tables of iptables in the firewall model, for Docker's direct-access drops (model/docker-generation.ts). */
function rawTables(i: DoctorInputs): FwTable[] {
  const fw = i.model.firewall.ipv4;
  return fw.known ? fw.value.tables.filter((t) => t.kind === 'iptables' && t.family === 'ip' && t.name === 'raw') : [];
}

/** A rule as iptables-save prints it, with its counters where they were read (the model keeps them apart). */
function savedText(r: FwRule): string {
  return r.packets !== null && r.bytes !== null ? `[${r.packets}:${r.bytes}] ${r.text}` : r.text;
}

export const dockerRules: Check = {
  id: 'docker-rules',
  title: 'which Docker generation wrote the rules',
  needs: (i) => {
    if (!i.model.engineVersion.known) return i.model.engineVersion.reason;
    if (!iptablesTables(i, 'filter').length) {
      const why = i.model.portFacts.nat.unavailable;
      return why ? `iptables rules unavailable: ${why}` : 'the filter table (iptables-save) is not in the data';
    }
    return null;
  },
  run(i) {
    const release = engineRelease(i.model);
    if (!release) return [];
    const filter = iptablesTables(i, 'filter');
    const raw = rawTables(i);
    const chains = [...new Set(filter.flatMap((s) => s.table.chains.map((c) => c.name)).filter(isDockerChain))];
    const drops = raw.flatMap((t) =>
      [...t.chains.values()].flatMap((c) => c.rules.filter((r) => isDirectAccessDrop(t.name, r)).map((r) => ({ r, from: t.from }))),
    );
    const from = filter[0]?.from ?? 'iptables-save';
    const newLayout = chains.includes('DOCKER-FORWARD');
    const engineNew = hasFeature(release, 'forwardChains');
    const engineDrops = hasFeature(release, 'directAccessDrops');
    const gen = generationWord(release);
    const evidence = [
      { source: 'GET /version', text: `Docker ${release.text}` },
      { source: from, text: `filter chains of Docker's: ${chains.join(', ') || 'none'}` },
      ...(raw.length
        ? [
            {
              source: raw[0]?.from ?? from,
              text: `raw PREROUTING direct-access drops: ${drops.length}${drops[0] ? ` (first: ${savedText(drops[0].r)})` : ''}`,
            },
          ]
        : []),
    ];
    if (!chains.length) return [];
    if (newLayout && engineNew === false)
      return [
        finding('docker-rules', {
          kind: 'docker-rules-newer',
          subject: 'filter DOCKER-FORWARD',
          severity: 'warning',
          title: `The filter table has ${DOCKER_CHAINS['DOCKER-FORWARD']?.since ?? '28.0.1'}+ chains (DOCKER-FORWARD) while the engine is ${gen}, which does not write them: a newer engine wrote them (a downgrade, or another engine in this network namespace).`,
          evidence,
          why: `${gen} puts its rules in FORWARD itself; rules a newer engine left behind may let through or drop what ${gen}'s own do not expect.`,
          fix: 'iptables-save -t filter | grep -n DOCKER   # and restart dockerd, which rewrites its own chains',
        }),
      ];
    if (!newLayout && engineNew === true)
      return [
        finding('docker-rules', {
          kind: 'docker-rules-older',
          subject: 'filter FORWARD',
          severity: 'warning',
          title: `The engine is ${gen}, but its filter chains DOCKER-FORWARD, DOCKER-BRIDGE and DOCKER-CT (${DOCKER_FEATURES.forwardChains.since}+) are not there: the rules are an older engine's, or were flushed.`,
          evidence,
          why: `${gen} writes its forwarding rules into DOCKER-FORWARD and jumps to it from FORWARD; without them its published ports and bridges are not forwarded as it means.`,
          fix: 'iptables-save -t filter | grep -n DOCKER   # restarting dockerd rewrites them',
        }),
      ];
    const layout = newLayout
      ? `Docker ${DOCKER_FEATURES.forwardChains.since}+'s layout: its forwarding rules in DOCKER-FORWARD (with DOCKER-BRIDGE and DOCKER-CT), jumped to from FORWARD`
      : `the layout before ${DOCKER_FEATURES.forwardChains.since}: Docker's forwarding rules in FORWARD itself`;
    const direct =
      engineDrops === true
        ? raw.length
          ? `, and ${drops.length} raw PREROUTING drop(s) that stop direct access to container addresses from beyond their bridge (${DOCKER_FEATURES.directAccessDrops.since}+)`
          : ', and the raw table, where it drops direct access to container addresses, is not in the data'
        : `; no raw-table drops (they came with ${DOCKER_FEATURES.directAccessDrops.since}): nothing in Docker's rules stops a client beyond the uplink that routes to a container address from reaching the container ports its filter DOCKER rules accept`;
    return [
      finding('docker-rules', {
        kind: 'docker-rules',
        subject: 'firewall',
        severity: 'info',
        title: `The firewall rules are ${gen}'s: ${layout}${direct}.`,
        evidence,
        why: `Each Docker generation writes its own layout; these chains and drops are Docker's own (not another tool's, not stale), so nat and doctor read them as ${gen} means them.`,
        fix: 'iptables-save -t filter; iptables-save -t raw',
      }),
    ];
  },
};
