// Parses the text table of `docker ps`: columns cut at the header's offsets, as docker's tabwriter
// aligns them; Docker 0.x's table (ID ... PORTS, no NAMES, `49154->80`); and a paste whose runs of
// spaces were collapsed to one, read by the shapes of its cells.
import { partialContainer, type ContainerInfo, type PortBinding } from '../model/engine.js';
import { issue, splitLines, type ParseIssue, type Parsed } from '../model/parsed.js';
import { normaliseHostIp } from '../util/address.js';
import { cutShortIssue } from './listing-text.js';

const COLUMNS = ['CONTAINER ID', 'IMAGE', 'COMMAND', 'CREATED', 'STATUS', 'PORTS', 'NAMES'] as const;
// Docker 0.x: no NAMES column, and the id column is headed ID.
const OLD_COLUMNS = ['ID', 'IMAGE', 'COMMAND', 'CREATED', 'STATUS', 'PORTS'] as const;
// "0.0.0.0:49154->8080/tcp", ":::49154->8080/tcp", "127.0.0.1:7000-7001->7000-7001/udp", "8080/tcp",
// and Docker 0.x's "49154->80" (no address, no protocol: tcp, on every address).
const PORT_ITEM = /^(?:(?:(\[?[0-9a-fA-F:.]*\]?):)?(\d+(?:-\d+)?)->)?(\d+(?:-\d+)?)(?:\/(tcp|udp|sctp))?$/;

function parsePorts(items: string[]): Record<string, PortBinding[] | null> {
  const ports: Record<string, PortBinding[] | null> = {};
  for (const item of items) {
    const m = PORT_ITEM.exec(item);
    if (!m || (m[4] === undefined && m[2] === undefined)) continue;
    const key = `${m[3]}/${m[4] ?? 'tcp'}`;
    if (m[2] === undefined) {
      ports[key] ??= null;
      continue;
    }
    const host = (m[1] ?? '').replace(/^\[|\]$/g, '');
    (ports[key] ??= []).push({ hostIp: normaliseHostIp(host), hostPort: m[2] });
  }
  return ports;
}

function portItems(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

// 12 hex digits, or 64 with --no-trunc.
const CONTAINER_ID = /^[0-9a-f]{12}(?:[0-9a-f]{52})?$/;

interface Row {
  id: string;
  image: string;
  status: string;
  ports: string[];
  /** null when the table has no NAMES column. */
  name: string | null;
}

type Layout = { kind: 'columns'; offsets: number[]; names: boolean } | { kind: 'collapsed' };

function layoutOf(header: string): Layout | string {
  if (header === COLUMNS.join(' ')) return { kind: 'collapsed' };
  const names = header.startsWith('CONTAINER ID');
  const offsets = (names ? COLUMNS : OLD_COLUMNS).map((c) => header.indexOf(c));
  return offsets.some((o) => o < 0) ? 'header lacks one of the default `docker ps` columns' : { kind: 'columns', offsets, names };
}

function columnsRow(line: string, offsets: number[], names: boolean): Row {
  const cell = (k: number) => line.slice(offsets[k] as number, k + 1 < offsets.length ? (offsets[k + 1] as number) : undefined).trim();
  return { id: cell(0), image: cell(1), status: cell(4), ports: portItems(cell(5)), name: names ? (cell(6).split(',')[0] ?? null) : null };
}

/** A row whose spacing is lost: the id first, the names last, the ports the cells shaped like ports, the status from Up/Exited. */
function collapsedRow(line: string): Row {
  const words = line.trim().split(/\s+/);
  const status = /\b(Up|Exited|Created|Restarting|Paused)\b.*$/.exec(line)?.[0] ?? '';
  const ports = words
    .slice(1, -1)
    .map((w) => w.replace(/,$/, ''))
    .filter((w) => PORT_ITEM.test(w) && w.includes('/'));
  return { id: words[0] ?? '', image: words[1] ?? '', status, ports, name: words.length > 2 ? (words[words.length - 1] as string) : null };
}

function stateOf(status: string): string {
  if (status.startsWith('Up')) return 'running';
  if (status.startsWith('Exited')) return 'exited';
  return status.startsWith('Created') ? 'created' : 'unknown';
}

export function parseDockerPsText(text: string): Parsed<ContainerInfo[]> {
  const lines = splitLines(text);
  let lastUsed = 0;
  const issues: ParseIssue[] = [];
  const value: ContainerInfo[] = [];
  let layout: Layout | null = null;
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    if (line.startsWith('CONTAINER ID') || /^ID\s+IMAGE\s/.test(line)) {
      const l = layoutOf(line.trimEnd());
      if (typeof l === 'string') issues.push(issue(i + 1, line, l));
      layout = typeof l === 'string' ? null : l;
      return;
    }
    const current: Layout | null = layout;
    if (!current || !/^[0-9a-f]{12}\b/.test(line)) {
      issues.push(issue(i + 1, line, current ? 'not a container row' : 'before the `docker ps` header'));
      return;
    }
    const row = current.kind === 'collapsed' ? collapsedRow(line) : columnsRow(line, current.offsets, current.names);
    if (!CONTAINER_ID.test(row.id)) {
      issues.push(issue(i + 1, line, 'the CONTAINER ID column does not hold a container id (columns shifted or text damaged)'));
      return;
    }
    const state = stateOf(row.status);
    const ports = parsePorts(row.ports);
    value.push(
      partialContainer({
        id: row.id,
        // Docker 0.x named no containers: the id is how the table knows it.
        name: row.name || row.id,
        image: row.image,
        state,
        running: state === 'running',
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
