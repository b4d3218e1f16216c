// What each command is: the snapshot file its output gives, a container's file, an inspect, docker's
// warnings, or why docknet does not read it.
import { FACT } from '../../snapshot/snapshot.js';
import type { Where } from './blocks.js';
import { dockerArgs, execArgs, formatOf, runArgs, SHELLS } from './docker-args.js';
import { basename, commandWords, pipelineProblem, shellWords } from './shell-words.js';
import { ipArgs, iptablesArgs } from './tool-args.js';

export type Recognition =
  | { kind: 'file'; path: string; table?: 'nat' | 'filter' }
  | { kind: 'container-file'; ref: string; file: 'ip-addr' | 'resolv' }
  | { kind: 'port'; ref: string }
  | { kind: 'inspect'; only: 'containers' | 'networks' | null }
  | { kind: 'json'; path: string }
  | { kind: 'warnings' }
  | { kind: 'unknown'; reason: string; ref?: string };

/** Stands for a container in a reason, until the whole transcript has named it. */
export const REF = '\u0000ref\u0000';
const unknown = (reason: string, ref?: string): Recognition => ({ kind: 'unknown', reason, ...(ref ? { ref } : {}) });
export const NOT_READ = 'not a command docknet reads';

/** What an `ip` command run on the host gives. */
function hostIp(args: string[]): Recognition {
  const ip = ipArgs(args);
  if (ip.object === 'other') return unknown(NOT_READ);
  if (ip.problem) return unknown(ip.problem);
  if (ip.object === 'route')
    return ip.json ? { kind: 'file', path: FACT.ipRouteJson } : unknown('docknet reads routes as JSON: `ip -j route`');
  if (ip.json)
    return ip.brief
      ? unknown('`-br` with `-j` is printed as JSON: run `ip -j addr`')
      : { kind: 'file', path: ip.object === 'addr' ? FACT.ipAddrJson : FACT.ipLinkJson };
  if (ip.brief) return { kind: 'file', path: ip.object === 'addr' ? FACT.ipBriefAddr : FACT.ipBriefLink };
  return { kind: 'file', path: ip.object === 'addr' ? FACT.ipAddrText : FACT.ipLinkText };
}

/** What a command run inside a container gives: its `ip addr`, or its resolv.conf. */
function containerSide(argv: string[], ref: string, viaExec: boolean): Recognition {
  const tool = basename(argv[0] ?? '');
  if (tool === 'ip') {
    const ip = ipArgs(argv.slice(1));
    if (ip.object === 'addr' && !ip.json && !ip.brief && !ip.problem) return { kind: 'container-file', ref, file: 'ip-addr' };
    return unknown(ip.problem ?? "docknet reads a container's `ip addr` text only");
  }
  if (tool === 'cat' && argv.length === 2 && argv[1] === '/etc/resolv.conf') return { kind: 'container-file', ref, file: 'resolv' };
  // Typed in the container's own shell, the summary already says where it ran.
  if (!viaExec) return unknown(`${NOT_READ} inside a container (it reads \`ip addr\` and \`cat /etc/resolv.conf\` there)`);
  return unknown(`runs \`${argv.join(' ')}\` inside ${REF}: ${NOT_READ}`, ref);
}

const SAVE_FILES: Record<string, string> = {
  'iptables-save': FACT.iptablesSave,
  'ip6tables-save': FACT.ip6tablesSave,
  'iptables-legacy-save': FACT.iptablesLegacySave,
  'ip6tables-legacy-save': FACT.ip6tablesLegacySave,
  'iptables-nft-save': FACT.iptablesNftSave,
};

export function recognise(command: string, where: Where): Recognition {
  const { words, ops } = shellWords(command);
  const w = commandWords(words);
  const tool = basename(w[0] ?? '');
  const args = w.slice(1);
  if (tool === '') return unknown(NOT_READ);
  const piped = pipelineProblem(ops);

  if (where.kind === 'container') {
    if (where.ref === null) return unknown('runs inside a container the transcript does not name');
    if (piped) return unknown(piped);
    return containerSide(w, where.ref, false);
  }
  let r: Recognition;
  if (tool === 'docker') r = dockerCommand(args);
  else if (tool === 'ip') r = hostIp(args);
  else if (tool === 'brctl')
    r =
      args[0] === 'show'
        ? args.length === 1
          ? { kind: 'file', path: FACT.brctlShow }
          : unknown('shows one bridge only')
        : unknown(NOT_READ);
  else if (SAVE_FILES[tool]) r = { kind: 'file', path: SAVE_FILES[tool] as string };
  else if (tool === 'iptables') {
    const t = iptablesArgs(args);
    if (t.action === 'other') r = unknown(NOT_READ);
    else if (t.chain) r = unknown(`lists the chain ${t.chain} only: not the whole table`);
    else if (t.action === 'L')
      r =
        t.table === 'nat'
          ? { kind: 'file', path: FACT.iptablesNat }
          : unknown(`lists the ${t.table} table; docknet reads the nat table (\`iptables -t nat -L -n -v\`)`);
    else
      r =
        t.table === 'nat' || t.table === 'filter'
          ? { kind: 'file', path: FACT.iptablesS, table: t.table }
          : unknown(`lists the ${t.table} table; docknet reads \`iptables -t nat -S\``);
  } else if (/^ip6?tables/.test(tool))
    r = unknown(`${NOT_READ}: docknet reads these rules from \`${tool.replace(/^(ip6?tables(?:-legacy|-nft)?).*$/, '$1')}-save\``);
  else if (tool === 'nft') r = nftCommand(args);
  else r = unknown(NOT_READ);
  if (r.kind !== 'unknown' && piped) return unknown(piped);
  return r;
}

function nftCommand(args: string[]): Recognition {
  let json = false;
  let i = 0;
  while (i < args.length && (args[i] as string).startsWith('-')) {
    if (args[i] === '-j' || args[i] === '--json') json = true;
    i++;
  }
  const rest = args.slice(i);
  if (rest[0] !== 'list' || rest[1] !== 'ruleset') return unknown(`${NOT_READ} (\`nft list ruleset\` is)`);
  if (rest.length > 2) return unknown(`lists the ${rest[2]} family only: not the whole ruleset`);
  return { kind: 'file', path: json ? FACT.nftRulesetJson : FACT.nftRulesetText };
}

function dockerCommand(args: string[]): Recognition {
  const d = dockerArgs(args);
  if (!d) return unknown(NOT_READ);
  if (d.remote) return unknown('talks to another engine (`-H`/`--context`): not this host');
  const { sub, rest } = d;
  const format = formatOf(rest);
  switch (sub) {
    case 'ps': {
      if (format !== null) return unknown('a `--format` template, not the `docker ps` table');
      for (const a of rest) {
        if (a === '-q' || a === '--quiet' || /^-[a-z]*q/.test(a)) return unknown('prints container ids only');
        if (/^(?:-f|--filter|-n|--last|-l|--latest)(?:=|$)/.test(a) || /^-[a-z]*[nl]$/.test(a))
          return unknown('filtered: not the whole container list');
      }
      return { kind: 'file', path: FACT.dockerPs };
    }
    case 'inspect':
      if (format !== null) return unknown('a `--format` template, not the inspect JSON');
      return { kind: 'inspect', only: null };
    case 'network inspect':
      if (format !== null) return unknown('a `--format` template, not the inspect JSON');
      return { kind: 'inspect', only: 'networks' };
    case 'network ls':
      return unknown('docknet reads `docker network inspect $(docker network ls -q)`');
    case 'port': {
      const refs = rest.filter((a) => !a.startsWith('-'));
      if (refs.length !== 1) return unknown(refs.length > 1 ? 'shows one port only' : NOT_READ);
      return { kind: 'port', ref: refs[0] as string };
    }
    case 'exec': {
      const e = execArgs(rest);
      if (!e) return unknown(NOT_READ);
      if (SHELLS.has(basename(e.argv[0] ?? '')) && e.argv.length <= 2) return unknown(`opens a shell in ${REF}`, e.ref);
      return containerSide(e.argv, e.ref, true);
    }
    case 'attach':
      return unknown('attaches to a container');
    case 'run': {
      const r = runArgs(rest);
      if (r.interactive && !r.detached) return unknown('starts a container and opens its shell');
      return { kind: 'warnings' };
    }
    case 'create':
    case 'start':
      return { kind: 'warnings' };
    case 'info':
    case 'system info':
      if (format === '{{json .}}') return { kind: 'json', path: FACT.engineInfo };
      return { kind: 'warnings' };
    case 'version':
      if (format === '{{json .Server}}' || format === '{{json .}}') return { kind: 'json', path: FACT.engineVersion };
      return unknown(`${NOT_READ} (\`docker version --format '{{json .Server}}'\` is)`);
    default:
      return unknown(NOT_READ);
  }
}
