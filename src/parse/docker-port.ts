// Parses `docker port NAME` output (`8080/tcp -> 0.0.0.0:49154`, `8080/tcp -> [::]:49154`, the old
// `8080/tcp -> :::49154`) and the one-column form of `docker port NAME 8080` (`0.0.0.0:49154`) into publications.

import type { PortBinding } from '../model/engine.js';
import { issue, type ParseIssue, type Parsed, splitLines } from '../model/parsed.js';
import { cutShortIssue, isPromptLine } from './listing-text.js';

export interface PortPublication {
  /** The container a `docker port NAME` command line above names, or the caller gave; null when neither. */
  container: string | null;
  /** null in the one-column form when no command line (and no caller) says which port was asked for. */
  containerPort: number | null;
  protocol: string | null;
  /** As printed, brackets removed: `0.0.0.0`, `::`, `127.0.0.1`. */
  hostIp: string;
  hostPort: number;
  line: number;
}

/** `Error: No public port '9/udp' published for tomcat-tml`: known, and known to be unpublished. */
export interface UnpublishedPort {
  container: string;
  containerPort: number;
  protocol: string;
  line: number;
}

export interface DockerPortListing {
  publications: PortPublication[];
  notPublished: UnpublishedPort[];
}

/** What the caller knows of the command that printed the text (the file it was saved to may say). */
export interface DockerPortContext {
  container?: string;
  containerPort?: number;
  protocol?: string;
}

// `8080/tcp -> 0.0.0.0:49154`
const MAPPING = /^(\d{1,5})\/([a-z]+)\s+->\s+(\S+)$/;
// `0.0.0.0:49154`, `[::]:49154`, `:::49154`
const HOST_PORT = /^(\[[0-9A-Fa-f:.%\w]*\]|[0-9A-Fa-f:.]*):(\d{1,5})$/;
// `2014/06/24 11:53:36 Error: No public port '7890/udp' published for test` (old clients log a time first)
const NOT_PUBLISHED = /^(?:\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d )?Error:? No public port '(\d{1,5})(?:\/([a-z]+))?' published for (\S+)$/;
// `$ docker port test 7890/udp`, `docker container port web`, `sudo docker port web 80`
const COMMAND = /(?:^|[\s$#>%])docker(?:\s+container)?\s+port\s+(\S+)(?:\s+(\d{1,5})(?:\/([a-z]+))?)?\s*$/;

function port(s: string | undefined): number | null {
  const n = Number(s);
  return s !== undefined && Number.isInteger(n) && n >= 1 && n <= 65535 ? n : null;
}

function hostPort(s: string): { hostIp: string; hostPort: number } | null {
  const m = HOST_PORT.exec(s);
  const p = port(m?.[2]);
  if (!m || m[1] === undefined || p === null) return null;
  return { hostIp: m[1].replace(/^\[|\]$/g, ''), hostPort: p };
}

/** Reads `docker port` output; a `docker port NAME [PORT]` command line in the paste says what follows it. */
export function parseDockerPort(text: string, context: DockerPortContext = {}): Parsed<DockerPortListing> {
  const source = typeof text === 'string' ? text : '';
  const lines = splitLines(source);
  const issues: ParseIssue[] = [];
  const value: DockerPortListing = { publications: [], notPublished: [] };
  let asked: DockerPortContext = { ...context };
  // A blank line after an answer ends it: what follows is not taken as the answer to the same command.
  let answered = false;
  let lastUsed = 0;
  for (const [idx, raw] of lines.entries()) {
    const line = raw.trim();
    const lineNo = idx + 1;
    if (line === '') {
      if (answered) [asked, answered] = [{ ...context }, false];
      continue;
    }
    const command = COMMAND.exec(line);
    if (command && command[1] !== undefined) {
      // What follows answers this command: its container, and the port it asked about (tcp when unsaid, as docker reads it).
      asked = {
        container: command[1],
        containerPort: port(command[2]) ?? undefined,
        protocol: command[2] ? (command[3] ?? 'tcp') : undefined,
      };
      answered = false;
      continue;
    }
    const read = readLine(line, lineNo, asked, value);
    if (read === null) [lastUsed, answered] = [lineNo, true];
    else if (isPromptLine(raw)) {
      // Another command: its output answers it, not the `docker port` above.
      [asked, answered] = [{ ...context }, false];
      issues.push(issue(lineNo, line, 'shell prompt or command line, not `docker port` output'));
    } else issues.push(issue(lineNo, line, read));
  }
  const cut = cutShortIssue(source, lines, lastUsed);
  if (cut) issues.push(cut);
  return { value, issues };
}

/** Adds what one line says to the listing; the reason when it says nothing `docker port` prints. */
function readLine(line: string, lineNo: number, asked: DockerPortContext, value: DockerPortListing): string | null {
  const mapping = MAPPING.exec(line);
  if (mapping) {
    const containerPort = port(mapping[1]);
    const host = hostPort(mapping[3] ?? '');
    if (containerPort === null || host === null) return 'not a port and a host address';
    value.publications.push({ container: asked.container ?? null, containerPort, protocol: mapping[2] ?? null, ...host, line: lineNo });
    return null;
  }
  const host = hostPort(line);
  if (host !== null) {
    const containerPort = asked.containerPort ?? null;
    const protocol = containerPort === null ? null : (asked.protocol ?? 'tcp');
    value.publications.push({ container: asked.container ?? null, containerPort, protocol, ...host, line: lineNo });
    return null;
  }
  const none = NOT_PUBLISHED.exec(line);
  const noneAt = port(none?.[1]);
  if (none && noneAt !== null && none[3] !== undefined) {
    value.notPublished.push({ container: none[3], containerPort: noneAt, protocol: none[2] ?? 'tcp', line: lineNo });
    return null;
  }
  if (/^Error\b/.test(line)) return 'an error from docker, not a port mapping';
  return 'not `docker port` output';
}

/** The publications as NetworkSettings.Ports holds them (`"8080/tcp": [{hostIp, hostPort}]`), those with a known port only. */
export function publishedPorts(publications: PortPublication[]): Record<string, PortBinding[]> {
  const ports: Record<string, PortBinding[]> = {};
  for (const p of publications) {
    if (p.containerPort === null || p.protocol === null) continue;
    const key = `${p.containerPort}/${p.protocol}`;
    ports[key] = [...(ports[key] ?? []), { hostIp: p.hostIp, hostPort: String(p.hostPort) }];
  }
  return ports;
}
