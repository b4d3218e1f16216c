// A bridge network's behaviour in words, from the structure correlate/network-modes.ts returns: the
// gateway mode of each family, what --internal, enable_icc=false and the modes do, and the filter
// rules that do them; for inspect's and explain's mode sentence, the veth map's notes and JSON's `text`.
import { DOCKER_FEATURES, generationWord } from '../model/docker-generation.js';
import type { BehaviourRuleKind, FamilyGateway, NetworkBehaviour } from '../model/network-behaviour.js';
import type { RuleRef } from '../model/port-path.js';
import { isPlainNat } from '../correlate/network-modes.js';

/** A family's gateway mode in words, with the option and, when ignored, the engine that ignores it: `routed (com.docker...=routed)`. */
export function gatewayText(f: FamilyGateway): string {
  const set = `${f.optionName}=${f.option}`;
  const feature = f.feature ? DOCKER_FEATURES[f.feature] : null;
  switch (f.basis) {
    case 'default':
      return 'nat (the default)';
    case 'invalid':
      return `unknown: ${set} is no gateway mode Docker has`;
    case 'ignored':
      return `nat: ${set} is set, but ${f.release ? generationWord(f.release) : 'this engine'} predates ${feature?.what ?? 'the mode'}, which came with ${feature?.since ?? 'a later release'}, and ignores it`;
    case 'option-unverified':
      return `${f.mode} (${set}; the engine's version is not in the data: one older than ${feature?.since ?? 'the mode'} would ignore it)`;
    case 'option':
      return `${f.mode} (${set})`;
  }
}

/** What a behaviour's filter rule does, in words. */
export function ruleWhatText(kind: BehaviourRuleKind): string {
  switch (kind) {
    case 'internal':
      return 'internal: traffic between the network and anywhere else dropped';
    case 'icc':
      return 'enable_icc=false: traffic between containers on the bridge dropped';
    case 'nat-unprotected':
      return 'nat-unprotected: every port of the containers open to clients beyond the bridge';
    case 'routed':
      return 'routed: what no rule above opens is dropped';
  }
}

/** "filter DOCKER-FORWARD 6: -A DOCKER-FORWARD -i dnlab-noicc -o dnlab-noicc -j DROP": a rule in words. */
export function ruleWords(r: RuleRef): string {
  return `${r.table} ${r.chain} ${r.number}: ${r.text.replace(/^\[\d+:\d+\]\s*/, '')}`;
}

/** The rules of one kind, quoted; else that the data has none (when the filter table was read). */
function evidence(b: NetworkBehaviour, kind: BehaviourRuleKind): string {
  const list = b.rules.filter((r) => r.kind === kind);
  if (list.length) return ` (${list.map((r) => ruleWords(r.rule)).join('; ')})`;
  return b.rulesKnown ? ' (no filter rule for it in the data)' : '';
}

/** What the network does beyond plain NAT, in one or two sentences; null for a plain nat bridge. */
export function behaviourSummaryText(b: NetworkBehaviour): string | null {
  if (isPlainNat(b)) return null;
  const parts: string[] = [];
  if (b.internal)
    parts.push(
      `internal network (--internal): no gateway out of the host and no NAT; only containers on ${b.bridge ?? 'its bridge'} reach each other and the host${evidence(b, 'internal')}`,
    );
  const v4 = b.ipv4;
  const mode = v4.basis === 'ignored' ? null : v4.mode;
  if (mode === 'routed')
    parts.push(
      `gateway mode ${gatewayText(v4)}: no NAT; container addresses are routed, and a published port is opened on the container's own address by a filter ACCEPT rule, with no IPv4 host port (the engine reports 0.0.0.0 with no host port, \`docker ps\` 0.0.0.0:0)${evidence(b, 'routed')}`,
    );
  else if (mode === 'nat-unprotected')
    parts.push(
      `gateway mode ${gatewayText(v4)}: published ports are DNATed as in nat, and every port of the containers' addresses is open to clients that route to them, published or not${evidence(b, 'nat-unprotected')}`,
    );
  else if (mode === 'isolated') parts.push(`gateway mode ${gatewayText(v4)}: no address on the bridge and no way out of it`);
  else if (v4.basis === 'ignored' || v4.basis === 'invalid') parts.push(`gateway mode ${gatewayText(v4)}`);
  if (b.ipv6.basis !== 'default') parts.push(`IPv6 gateway mode ${gatewayText(b.ipv6)}`);
  if (!b.icc) parts.push(`enable_icc=false: traffic between its containers is dropped${evidence(b, 'icc')}`);
  return `${parts.join('. ')}.`;
}

/** The same in a few words, for a table's note: `net: gateway mode routed (...): no NAT, ...`; null for a plain nat bridge. */
export function behaviourNoteText(b: NetworkBehaviour): string | null {
  if (isPlainNat(b)) return null;
  const parts: string[] = [];
  if (b.internal) parts.push('internal network: no way out of the host, no NAT');
  const v4 = b.ipv4;
  if (v4.basis === 'ignored' || v4.basis === 'invalid') parts.push(`gateway mode ${gatewayText(v4)}`);
  else if (v4.mode === 'routed')
    parts.push(
      `gateway mode ${gatewayText(v4)}: no NAT, the container address is routed; published ports are opened by filter ACCEPT rules`,
    );
  else if (v4.mode === 'nat-unprotected')
    parts.push(`gateway mode ${gatewayText(v4)}: NAT, and every port of the container address open to clients that route to it`);
  else if (v4.mode === 'isolated') parts.push(`gateway mode ${gatewayText(v4)}: no address on the bridge, no way out`);
  if (b.ipv6.basis !== 'default') parts.push(`IPv6 gateway mode ${gatewayText(b.ipv6)}`);
  if (!b.icc) parts.push('enable_icc=false: traffic between its containers is dropped');
  return `${b.network}: ${parts.join('; ')}`;
}

/** A behaviour as JSON: its codes, with `text` beside each gateway mode and rule, and `summary`. */
export function behaviourJson(b: NetworkBehaviour): unknown {
  return {
    ...b,
    ipv4: { ...b.ipv4, text: gatewayText(b.ipv4) },
    ipv6: { ...b.ipv6, text: gatewayText(b.ipv6) },
    rules: b.rules.map((r) => ({ kind: r.kind, what: ruleWhatText(r.kind), rule: r.rule })),
    summary: behaviourSummaryText(b),
  };
}
