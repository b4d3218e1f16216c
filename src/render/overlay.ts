// Renders `docknet overlay`: per overlay and node, the kernel side against the control plane; then the
// findings with their evidence and what could not be told. Terminal form aligned, piped form tab-separated.
import type { NetworkOnNode, OverlayReport, OverlayView } from '../correlate/overlay/overlay.js';
import type { Finding } from '../model/finding.js';
import { escapeText } from './escape.js';
import type { OutputMedium } from './medium.js';

export const OVERLAY_SCHEMA_VERSION = 1;

const onOff = (b: boolean | null, word: string): string | null => (b === null ? null : b ? word : `no${word}`);

function row(io: OutputMedium, indent: string, label: string, fields: (string | null)[]): string {
  const f = fields.filter((x): x is string => x !== null && x !== '').map(escapeText);
  return io.isTTY ? `${indent}${label.padEnd(10)}  ${f.join('  ')}\n` : `${indent}${[label, ...f].join('\t')}\n`;
}

function nodeText(io: OutputMedium, n: NetworkOnNode): string {
  let out = `  node ${escapeText(n.host)}${n.address ? `  ${n.address}` : ''}${n.hostname && n.hostname !== n.host ? `  (${escapeText(n.hostname)})` : ''}\n`;
  const k = n.kernel;
  if ('absent' in k) return `${out}${row(io, '    ', 'namespace', [`none: ${k.absent}`])}`;
  if (!k.known) return `${out}${row(io, '    ', 'kernel', [`unknown: ${k.reason}`])}`;
  const v = k.value;
  out += row(io, '    ', 'namespace', [v.namespace]);
  out += v.vxlan
    ? row(io, '    ', 'vxlan', [
        v.vxlan.name,
        `VNI ${v.vxlan.vni ?? '?'}`,
        `udp ${v.vxlan.port ?? '?'}`,
        v.vxlan.learning === null ? null : `learning ${v.vxlan.learning ? 'on' : 'off'}`,
        onOff(v.vxlan.proxy, 'proxy'),
        onOff(v.vxlan.l2miss, 'l2miss'),
        onOff(v.vxlan.l3miss, 'l3miss'),
        `mtu ${v.vxlan.mtu ?? '?'}`,
      ])
    : row(io, '    ', 'vxlan', ['none in the namespace']);
  out += row(io, '    ', 'bridge', [
    v.bridge ? `${v.bridge.name} mtu ${v.bridge.mtu ?? '?'}` : 'none',
    `legs: ${v.legs.map((l) => l.name).join(', ') || 'none'}`,
  ]);
  for (const l of n.local) out += row(io, '    ', 'local', [l.name, l.ip, l.mac]);
  for (const r of v.remote)
    out += row(io, '    ', 'remote', [
      `${r.task}${r.service ? ` (${r.service})` : ''}`,
      r.ip,
      r.mac ?? 'no neighbour entry',
      r.vtep ? `via ${r.vtep}` : r.mac ? 'no fdb entry' : null,
      r.status === 'ok' ? 'ok' : r.status === 'wrong-vtep' ? `WRONG: control plane says ${r.hostIp}` : `MISSING (on ${r.hostIp ?? '?'})`,
    ]);
  const control = (n.controlPeers ?? []).map((p) => p.ip).filter((ip) => ip !== n.address);
  const verdict =
    n.agreement === 'agree'
      ? 'kernel agrees with the control plane'
      : `differs${n.missingInKernel.length ? `; not in the kernel: ${n.missingInKernel.join(', ')}` : ''}${n.unknownToControl.length ? `; not in the control plane: ${n.unknownToControl.join(', ')}` : ''}`;
  out += row(io, '    ', 'peers', [`kernel ${v.vteps.join(' ') || 'none'}`, `control plane ${control.join(' ') || 'none'}`, verdict]);
  return out;
}

function networkText(io: OutputMedium, v: OverlayView): string {
  const head = [
    `overlay ${escapeText(v.name)}`,
    `id ${v.id.slice(0, 12)}`,
    `VNI ${v.vni ?? '?'}`,
    v.subnets.join(',') || null,
    v.encrypted ? 'encrypted' : null,
    v.attachable ? 'attachable' : null,
    v.ingress ? 'ingress' : null,
  ].filter(Boolean);
  return `${head.join(io.isTTY ? '  ' : '\t')}\n${v.nodes.map((n) => nodeText(io, n)).join('')}`;
}

function findingText(f: Finding): string {
  let out = `  ${f.severity}  ${escapeText(f.title)}\n`;
  for (const e of f.evidence) out += `      ${escapeText(e.source)}: ${escapeText(e.text)}\n`;
  out += `    why: ${escapeText(f.why)}\n    next: ${escapeText(f.fix)}\n`;
  return out;
}

const ORDER = { error: 0, warning: 1, info: 2 } as const;

export function renderOverlayText(io: OutputMedium, r: OverlayReport): string {
  let out = '';
  const nodes = r.nodes.map(
    (n) =>
      `${escapeText(n.host)}${n.nodeAddr ? ` ${n.nodeAddr}` : ''}${n.role ? ` ${n.role}` : ''}${n.unknown ? ` (unknown: ${escapeText(n.unknown)})` : ''}`,
  );
  out += `nodes: ${nodes.join(', ') || 'none'}\n`;
  if (r.nodes.length === 1)
    out += 'note: one node only; give every node (--from one snapshot per node) to compare the nodes with each other\n';
  out += '\n';
  if (!r.networks.length)
    out += r.nodes.some((n) => n.unknown) ? 'overlays: unknown on some nodes (see below)\n\n' : 'no overlay networks\n\n';
  for (const v of r.networks) out += `${networkText(io, v)}\n`;
  const findings = [...r.findings].sort((a, b) => ORDER[a.severity] - ORDER[b.severity]);
  out += findings.length ? `findings (${findings.length})\n${findings.map(findingText).join('')}\n` : 'findings: none\n\n';
  if (r.unknowns.length)
    out += `not known (not a pass)\n${r.unknowns.map((u) => `  ${escapeText(u.subject)}: ${escapeText(u.reason)}\n`).join('')}`;
  if (r.nodes.length > 1)
    out +=
      'from one task to another across nodes: docknet reach [NODE/]TASK [NODE/]TASK:PORT with the same snapshots, each node\u2019s deciding rules named\n';
  return out;
}

export function overlayJson(r: OverlayReport): unknown {
  return { schemaVersion: OVERLAY_SCHEMA_VERSION, nodes: r.nodes, networks: r.networks, findings: r.findings, unknowns: r.unknowns };
}
