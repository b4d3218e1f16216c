// Renders doctor's findings grouped by severity, each with evidence, why, and a fix; then skipped checks and a summary.
import type { IO } from '../cli/io.js';
import type { CheckOutcome, Finding, Severity } from '../model/finding.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { colours } from './colour.js';
import { escapeText } from './escape.js';
import { snapshotJson, snapshotNotice } from './snapshot-notice.js';

export const DOCTOR_SCHEMA_VERSION = 1;
const ORDER: Severity[] = ['error', 'warning', 'info'];
const HEADINGS: Record<Severity, string> = { error: 'Errors', warning: 'Warnings', info: 'Info' };

function paint(io: IO, severity: Severity, text: string): string {
  const c = colours(io.color);
  return severity === 'error' ? c.red.bold(text) : severity === 'warning' ? c.yellow.bold(text) : c.cyan.bold(text);
}

function renderFinding(f: Finding): string {
  const lines = [`- ${escapeText(f.title)}`];
  for (const e of f.evidence) {
    const [first, ...rest] = e.text.split('\n');
    lines.push(`    evidence (${escapeText(e.source)}): ${escapeText(first ?? '')}`);
    for (const r of rest) lines.push(`      ${escapeText(r)}`);
  }
  lines.push(`    why: ${escapeText(f.why)}`);
  lines.push(`    fix: ${escapeText(f.fix)}`);
  return `${lines.join('\n')}\n`;
}

export function summarize(outcomes: CheckOutcome[]): Record<Severity | 'skipped', number> {
  const all = outcomes.flatMap((o) => o.findings);
  return {
    error: all.filter((f) => f.severity === 'error').length,
    warning: all.filter((f) => f.severity === 'warning').length,
    info: all.filter((f) => f.severity === 'info').length,
    skipped: outcomes.filter((o) => o.status === 'skipped').length,
  };
}

export function renderDoctorText(io: IO, outcomes: CheckOutcome[], snapshot: Snapshot): string {
  let out = '';
  const notice = snapshotNotice(snapshot);
  if (notice) out += `${escapeText(notice)}\n\n`;
  const all = outcomes.flatMap((o) => o.findings);
  for (const s of ORDER) {
    const fs = all.filter((f) => f.severity === s);
    if (fs.length) out += `${paint(io, s, `${HEADINGS[s]} (${fs.length})`)}\n${fs.map(renderFinding).join('')}\n`;
  }
  const skipped = outcomes.filter((o) => o.status === 'skipped');
  if (skipped.length)
    out += `Skipped checks (not passed: they could not run)\n${skipped.map((o) => `- ${o.title}: ${escapeText(o.reason ?? '')}\n`).join('')}\n`;
  const n = summarize(outcomes);
  const ran = outcomes.length - n.skipped;
  out += `${n.error} error(s), ${n.warning} warning(s), ${n.info} info; ${ran} of ${outcomes.length} checks ran${n.skipped ? `, ${n.skipped} skipped` : ''}.\n`;
  return out;
}

export function doctorJson(outcomes: CheckOutcome[], snapshot: Snapshot): unknown {
  return {
    schemaVersion: DOCTOR_SCHEMA_VERSION,
    snapshot: snapshotJson(snapshot),
    summary: summarize(outcomes),
    checks: outcomes,
    findings: outcomes.flatMap((o) => o.findings),
  };
}
