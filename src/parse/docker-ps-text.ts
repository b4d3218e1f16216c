// Parses the text table of `docker ps` (columns cut at the header's offsets, as docker's tabwriter aligns them).
import { partialContainer, type ContainerInfo, type PortBinding } from '../model/engine.js';
import { issue, splitLines, type ParseIssue, type Parsed } from '../model/parsed.js';
import { cutShortIssue } from './listing-text.js';
import { normaliseHostIp } from '../util/address.js';

const COLUMNS = ['CONTAINER ID', 'IMAGE', 'COMMAND', 'CREATED', 'STATUS', 'PORTS', 'NAMES'] as const;
// "0.0.0.0:49154->8080/tcp", ":::49154->8080/tcp", "127.0.0.1:7000-7001->7000-7001/udp", "8080/tcp"
const PORT_ITEM = /^(?:(\[?[0-9a-fA-F:.]*\]?):(\d+(?:-\d+)?)->)?(\d+(?:-\d+)?)\/(tcp|udp|sctp)$/;

function parsePorts(text: string): Record<string, PortBinding[] | null> {
  const ports: Record<string, PortBinding[] | null> = {};
  for (const item of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = PORT_ITEM.exec(item);
    if (!m) continue;
    const key = `${m[3]}/${m[4]}`;
    if (m[2] === undefined) {
      ports[key] ??= null;
      continue;
    }
    const host = (m[1] ?? '').replace(/^\[|\]$/g, '');
    (ports[key] ??= []).push({ hostIp: normaliseHostIp(host), hostPort: m[2] });
  }
  return ports;
}

// 12 hex digits, or 64 with --no-trunc.
const CONTAINER_ID = /^[0-9a-f]{12}(?:[0-9a-f]{52})?$/;
// Command output ends with a newline; a paste that does not may have lost the end of its last line.

export function parseDockerPsText(text: string): Parsed<ContainerInfo[]> {
  const lines = splitLines(text);
  let lastUsed = 0;
  const issues: ParseIssue[] = [];
  const value: ContainerInfo[] = [];
  let offsets: number[] | null = null;
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    if (line.startsWith('CONTAINER ID')) {
      offsets = COLUMNS.map((c) => line.indexOf(c));
      if (offsets.some((o) => o < 0)) {
        issues.push(issue(i + 1, line, 'header lacks one of the default `docker ps` columns'));
        offsets = null;
      }
      return;
    }
    const cols: number[] | null = offsets;
    if (!cols || !/^[0-9a-f]{12}\b/.test(line)) {
      issues.push(issue(i + 1, line, cols ? 'not a container row' : 'before the `docker ps` header'));
      return;
    }
    const cell = (k: number) => line.slice(cols[k] as number, k + 1 < cols.length ? (cols[k + 1] as number) : undefined).trim();
    if (!CONTAINER_ID.test(cell(0))) {
      issues.push(issue(i + 1, line, 'the CONTAINER ID column does not hold a container id (columns shifted or text damaged)'));
      return;
    }
    const status = cell(4);
    const running = status.startsWith('Up');
    const ports = parsePorts(cell(5));
    value.push(
      partialContainer({
        id: cell(0),
        name: cell(6).split(',')[0] ?? cell(0),
        image: cell(1),
        state: running ? 'running' : status.startsWith('Exited') ? 'exited' : status.startsWith('Created') ? 'created' : 'unknown',
        running,
        ports,
        portBindings: ports,
        exposedPorts: Object.keys(ports),
      }),
    );
    lastUsed = i + 1;
  });
  const cut = cutShortIssue(text, lines, lastUsed);
  if (cut) issues.push(cut);
  return { value, issues };
}
