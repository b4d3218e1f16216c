// Renders doctor's findings grouped by severity, each with evidence, why, and a fix; then skipped checks and a summary.
import type { OutputMedium } from './medium.js';
import type { CheckOutcome, Finding, Severity } from '../model/finding.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import type { Fact } from '../model/fact.js';
import type { EngineVersion } from '../parse/engine-version.js';
import { colours } from './colour.js';
import { escapeText } from './escape.js';
import { jsonDocument, snapshotNotice } from './snapshot-notice.js';

export const DOCTOR_SCHEMA_VERSION = 1;
const ORDER: Severity[] = ['error', 'warning', 'info'];
const HEADINGS: Record<Severity, string> = { error: 'Errors', warning: 'Warnings', info: 'Info' };

function paint(io: OutputMedium, severity: Severity, text: string): string {
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
  if (f.unproven) lines.push(`    cannot tell yet: ${escapeText(f.unproven)}`);
  lines.push(`    ${f.unproven ? 'to find out' : 'fix'}: ${escapeText(f.fix)}`);
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

/** How many findings of one kind are shown in text before the rest are counted (JSON keeps all). */
export const SHOWN_PER_KIND = 5;

/** The findings of one severity, at most SHOWN_PER_KIND of each kind unless `all`, with a count of the rest. */
function renderSeverity(fs: Finding[], all: boolean): string {
  const byKind = new Map<string, Finding[]>();
  for (const f of fs) {
    const key = `${f.check}/${f.kind}`;
    const group = byKind.get(key);
    if (group) group.push(f);
    else byKind.set(key, [f]);
  }
  let out = '';
  for (const group of byKind.values()) {
    const shown = all ? group : group.slice(0, SHOWN_PER_KIND);
    out += shown.map(renderFinding).join('');
    if (shown.length < group.length)
      out += `- ${group.length} ${escapeText(group[0]?.kind ?? '')} findings in all: ${shown.length} shown; \`docknet doctor --all\` for every one\n`;
  }
  return out;
}

export function renderDoctorText(
  io: OutputMedium,
  outcomes: CheckOutcome[],
  snapshot: Snapshot,
  engine: Fact<EngineVersion>,
  all = false,
): string {
  let out = '';
  const notice = snapshotNotice(snapshot);
  if (notice) out += `${escapeText(notice)}\n\n`;
  out += engine.known
    ? `Engine: Docker ${escapeText(engine.value.version)}${engine.value.apiVersion ? ` (API ${escapeText(engine.value.apiVersion)})` : ''}\n\n`
    : `Engine version unknown: ${escapeText(engine.reason)}\n\n`;
  const findings = outcomes.flatMap((o) => o.findings);
  for (const s of ORDER) {
    const fs = findings.filter((f) => f.severity === s);
    if (fs.length) out += `${paint(io, s, `${HEADINGS[s]} (${fs.length})`)}\n${renderSeverity(fs, all)}\n`;
  }
  const partial = outcomes.filter((o) => o.status === 'ran' && o.partial);
  if (partial.length)
    out += `Checks that ran on part of their facts (finding nothing there is not a pass)\n${partial.map((o) => `- ${o.title}: ${escapeText(o.partial ?? '')}\n`).join('')}\n`;
  const skipped = outcomes.filter((o) => o.status === 'skipped');
  if (skipped.length)
    out += `Skipped checks (not passed: they could not run)\n${skipped.map((o) => `- ${o.title}: ${escapeText(o.reason ?? '')}\n`).join('')}\n`;
  const n = summarize(outcomes);
  const ran = outcomes.length - n.skipped;
  out += `${n.error} error(s), ${n.warning} warning(s), ${n.info} info; ${ran} of ${outcomes.length} checks ran${n.skipped ? `, ${n.skipped} skipped` : ''}.\n`;
  return out;
}

export function doctorJson(outcomes: CheckOutcome[], snapshot: Snapshot, engine: Fact<EngineVersion>): unknown {
  return jsonDocument(DOCTOR_SCHEMA_VERSION, snapshot, {
    engine: engine.known ? { known: true, ...engine.value, from: engine.from } : { known: false, reason: engine.reason },
    summary: summarize(outcomes),
    checks: outcomes,
    findings: outcomes.flatMap((o) => o.findings),
  });
}
