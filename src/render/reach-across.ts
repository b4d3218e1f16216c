// docknet reach across nodes in words: the numbered walk from one task through both nodes' overlay
// namespaces and rules to the other, the reply, the verdict and what decided it (node and rule); and
// the versioned JSON of the same structure.
import type { AcrossDecider, AcrossHop } from '../correlate/overlay/across-path.js';
import type { AcrossResult } from '../correlate/overlay/reach-across.js';
import { escapeText } from './escape.js';
import { listenerText, stepLine } from './reach.js';
import { endpoint, numberedHops, packetText, ruleText, verdictJson, verdictLine } from './reach-words.js';

/** JSON schema of reach across nodes; `kind: "across-nodes"` tells it from the single-host form. */
export const REACH_ACROSS_SCHEMA_VERSION = 1;

function hopLines(h: AcrossHop): string[] {
  switch (h.kind) {
    case 'enter':
      return [`${h.node}: sent by ${h.task}: ${packetText(h.packet)}`];
    case 'same-node':
      return [
        `${h.node}: both tasks are on this node: ${h.bridge ?? 'the bridge'} in ${h.namespace} switches it (no VXLAN, no host rules)`,
      ];
    case 'overlay-out': {
      const where = `${h.node}: overlay namespace ${h.namespace}`;
      if (!h.neigh) return [`${where}: no neighbour entry on ${h.vxlan}`];
      if (!h.fdb) return [`${where}: ${h.neigh.ip} lladdr ${h.neigh.mac} (ip neigh), but no fdb entry for it on ${h.vxlan}`];
      return [
        `${where}: ${h.neigh.ip} lladdr ${h.neigh.mac} (ip neigh), ${h.fdb.mac} dst ${h.fdb.vtep} (bridge fdb, ${h.vxlan} VNI ${h.vni ?? '?'})`,
      ];
    }
    case 'ipsec':
      return [
        `${h.node}: encrypted overlay: ESP SA outbound ${h.outbound ? 'present' : 'missing'}, on the receiver ${h.inbound ? 'present' : 'missing'}`,
      ];
    case 'encap': {
      const route = h.route
        ? ` by route ${h.route.dst}${h.route.gateway ? ` via ${h.route.gateway}` : ''} dev ${h.route.dev}`
        : ': no route';
      return [`${h.node}: ${h.vxlan} encapsulates (VNI ${h.vni ?? '?'}): ${packetText(h.packet)}${route}`];
    }
    case 'hook': {
      const head = `${h.node} ${h.hook}:`;
      return h.steps.length ? [head, ...h.steps.map((s) => `  ${stepLine(s)}`)] : [`${head} no rule applies`];
    }
    case 'leave':
      return [`${h.node}: leaves by ${h.iface}${h.gateway ? ` towards ${h.gateway}` : ''}`];
    case 'arrive':
      return [`${h.node}: arrives${h.iface ? ` on ${h.iface}` : ' (on no interface holding that address)'}`];
    case 'decap':
      return [`${h.node}: ${h.vxlan} (VNI ${h.vni ?? '?'}) decapsulates into ${h.namespace}, onto ${h.bridge ?? 'its bridge'}`];
    case 'deliver':
      return [`${h.node}: delivered to ${h.task} at ${endpoint(h.ip, h.port)}: ${listenerText(h.listener)}`];
  }
}

export function deciderText(d: AcrossDecider): string {
  if (d.rule) return `${d.node}: ${ruleText(d.rule)}`;
  return d.fact ? d.fact : `${d.node}: nothing listens`;
}

export function renderReachAcrossText(r: AcrossResult): string {
  const out: string[] = [];
  const d = r.destination;
  // Node, task and network names are the engine's, so untrusted: escaped as every renderer does.
  const header = [
    `reach ${r.source.node}/${r.source.task} -> ${d.node}/${d.task}:${d.port}/${d.protocol} (${endpoint(d.ip, d.port)}/${d.protocol})`,
    `  on overlay ${r.network.name} (VNI ${r.network.vni ?? '?'}${r.network.encrypted ? ', encrypted' : ''}): ${r.source.task} is ${r.source.ip} on ${r.source.node}, ${d.task} is ${d.ip} on ${d.node}`,
  ];
  if (r.otherNetworks.length) header.push(`  also shared, not walked: ${r.otherNetworks.join(', ')}`);
  out.push(...header.map(escapeText));
  out.push('');
  out.push(...numberedHops(r.hops, 0, hopLines));
  if (r.reply) {
    out.push('', 'the reply (its own VXLAN packet, from the other node to port 4789 again):');
    out.push(...numberedHops(r.reply.hops, r.hops.length, hopLines));
  }
  out.push('');
  out.push(verdictLine(r.verdict, r.decidedOnReply, r.expect));
  if (r.decidedBy) out.push(`decided by: ${escapeText(deciderText(r.decidedBy))}`);
  if (r.rejectWith) out.push(`rejected with: ${r.rejectWith}`);
  if (r.unknown) out.push(`${r.verdict === 'unknown' ? 'unknown' : 'not known'}: ${escapeText(r.unknown)}`);
  const open = r.questions.filter((q) => !q.matters);
  if (open.length) out.push(`the same whatever: ${open.map((q) => escapeText(q.why)).join('; ')}`);
  for (const n of r.notes) out.push(`note: ${escapeText(n)}`);
  return `${out.join('\n')}\n`;
}

export function reachAcrossJson(r: AcrossResult): Record<string, unknown> {
  return {
    schemaVersion: REACH_ACROSS_SCHEMA_VERSION,
    kind: 'across-nodes',
    network: r.network,
    otherNetworks: r.otherNetworks,
    source: r.source,
    destination: r.destination,
    ...verdictJson(r),
    unknown: r.unknown,
    questions: r.questions,
    notes: r.notes,
  };
}
