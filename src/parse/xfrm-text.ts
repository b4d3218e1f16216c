// Parses `ip xfrm state` and `ip xfrm policy` (text: iproute2 has no JSON for xfrm): one block per SA or
// policy, starting at a line with no indent. Key material is never kept: only the algorithm's name.
import type { XfrmPolicy, XfrmState } from '../model/overlay.js';
import { issue, splitLines, type ParseIssue, type Parsed } from '../model/parsed.js';

interface Block {
  line: number;
  lines: string[];
}

function blocks(text: string, issues: ParseIssue[]): Block[] {
  const out: Block[] = [];
  splitLines(text).forEach((raw, i) => {
    if (raw.trim() === '') return;
    if (/^\S/.test(raw)) out.push({ line: i + 1, lines: [raw.trim()] });
    else if (out.length) out[out.length - 1]!.lines.push(raw.trim());
    else issues.push(issue(i + 1, raw, 'an indented line before any "src ... dst ..." line'));
  });
  return out;
}

/** `word value` pairs of one line: `proto esp spi 0x1 reqid 1 mode transport`. */
function field(line: string, key: string): string | null {
  const m = new RegExp(`(?:^|\\s)${key}\\s+(\\S+)`).exec(line);
  return m ? m[1]! : null;
}

const HEAD = /^src\s+(\S+)\s+dst\s+(\S+)(.*)$/;

/** The text of a block with key bytes (0x... of 16 hex digits or more) replaced, for evidence. */
function redacted(lines: string[]): string {
  return lines.map((l) => l.replace(/0x[0-9a-f]{16,}/gi, '<key>')).join('\n');
}

export function parseXfrmState(text: string): Parsed<XfrmState[]> {
  const issues: ParseIssue[] = [];
  const out: XfrmState[] = [];
  for (const b of blocks(text, issues)) {
    const head = HEAD.exec(b.lines[0]!);
    if (!head) {
      issues.push(issue(b.line, b.lines[0]!, 'not a "src ... dst ..." line'));
      continue;
    }
    const protoLine = b.lines.find((l) => l.startsWith('proto ')) ?? '';
    out.push({
      src: head[1]!,
      dst: head[2]!,
      proto: field(protoLine, 'proto'),
      spi: field(protoLine, 'spi'),
      reqid: field(protoLine, 'reqid'),
      mode: field(protoLine, 'mode'),
      algorithms: b.lines.filter((l) => /^(aead|enc|auth|auth-trunc|comp)\s/.test(l)).map((l) => l.split(/\s+/).slice(0, 2).join(' ')),
      text: redacted(b.lines),
    });
  }
  return { value: out, issues };
}

export function parseXfrmPolicy(text: string): Parsed<XfrmPolicy[]> {
  const issues: ParseIssue[] = [];
  const out: XfrmPolicy[] = [];
  for (const b of blocks(text, issues)) {
    const head = HEAD.exec(b.lines[0]!);
    if (!head) {
      // The kernel's socket policies print as "src ::/0 dst ::/0" too; anything else is not a policy.
      issues.push(issue(b.line, b.lines[0]!, 'not a "src ... dst ..." line'));
      continue;
    }
    const dirLine = b.lines.find((l) => l.startsWith('dir ')) ?? '';
    const markLine = b.lines.find((l) => l.startsWith('mark ')) ?? '';
    const tmplAt = b.lines.findIndex((l) => l.startsWith('tmpl '));
    let tmpl: XfrmPolicy['tmpl'] = null;
    if (tmplAt >= 0) {
      const t = b.lines[tmplAt]!;
      const next = b.lines[tmplAt + 1] ?? '';
      tmpl = {
        src: field(t, 'src'),
        dst: field(t, 'dst'),
        proto: field(next, 'proto'),
        spi: field(next, 'spi'),
        mode: field(next, 'mode'),
      };
    }
    const priority = field(dirLine, 'priority');
    out.push({
      src: head[1]!,
      dst: head[2]!,
      selector: head[3]!.trim(),
      dir: field(dirLine, 'dir'),
      priority: priority !== null && /^\d+$/.test(priority) ? Number(priority) : null,
      mark: field(markLine, 'mark'),
      tmpl,
      text: redacted(b.lines),
    });
  }
  return { value: out, issues };
}
