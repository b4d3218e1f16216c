// Parses `brctl show` (bridge-utils or busybox) into bridges and the interfaces enslaved to them.

import type { BridgeInfo } from '../model/bridge.js';
import { issue, splitLines, type ParseIssue, type Parsed } from '../model/parsed.js';
import { isPromptLine, cutShortIssue } from './listing-text.js';

// Columns are tab-separated, but pastes often turn tabs into spaces, so split on any whitespace.
const HEADER = /^bridge\s+name\s+bridge\s+id\s+STP\s+enabled\s+interfaces$/;
// "8000.0242995205a6": priority, a dot, then the bridge MAC without colons.
const BRIDGE_ID = /^[0-9a-f]+\.[0-9a-f]+$/i;
// Command output ends with a newline; a paste that does not may have lost the end of its last line.

export function parseBrctlShow(text: string): Parsed<BridgeInfo[]> {
  const bridges: BridgeInfo[] = [];
  const issues: ParseIssue[] = [];
  let current: BridgeInfo | null = null;
  let lastUsed = 0;

  const lines = splitLines(text);
  lines.forEach((raw, i) => {
    const n = i + 1;
    const line = raw.trim();
    if (line === '') return;
    const words = line.split(/\s+/);
    if (HEADER.test(line)) {
      current = null;
      return;
    }
    // A line that starts blank continues the bridge above with one more interface.
    if (/^\s/.test(raw)) {
      if (current === null || words.length !== 1) {
        issues.push(issue(n, raw, current === null ? 'interface line without a bridge above it' : 'line not understood'));
        return;
      }
      current.interfaces.push(line);
      lastUsed = n;
      return;
    }
    const [name, id, stp, iface, ...extra] = words;
    if (name !== undefined && id !== undefined && BRIDGE_ID.test(id) && (stp === 'yes' || stp === 'no') && extra.length === 0) {
      current = { name, bridgeId: id, stp: stp === 'yes', interfaces: iface === undefined ? [] : [iface] };
      bridges.push(current);
      lastUsed = n;
      return;
    }
    current = null;
    issues.push(issue(n, raw, isPromptLine(raw) ? 'shell prompt or command line, not `brctl show` output' : 'not `brctl show` output'));
  });

  const cut = cutShortIssue(text, lines, lastUsed);
  if (cut) issues.push(cut);
  return { value: bridges, issues };
}
