// The ip and iptables command lines: which object or table, which form, and what makes an output
// only part of a listing.

interface IpArgs {
  object: 'addr' | 'link' | 'route' | 'other';
  json: boolean;
  brief: boolean;
  problem: string | null;
}

export function prefixOf(word: string, full: string, min: number): boolean {
  return word.length >= min && full.startsWith(word);
}

export function ipArgs(args: string[]): IpArgs {
  let i = 0;
  let json = false;
  let brief = false;
  let problem: string | null = null;
  while (i < args.length && (args[i] as string).startsWith('-')) {
    const a = (args[i] as string).replace(/^--?/, '');
    const [name] = a.split('=') as [string];
    if (prefixOf(name, 'json', 1)) json = true;
    else if (prefixOf(name, 'brief', 2)) brief = true;
    else if (prefixOf(name, 'details', 1) || prefixOf(name, 'color', 1) || prefixOf(name, 'pretty', 1) || prefixOf(name, 'oneline', 1)) {
      // the same facts, differently printed
    } else if (name === 'h' || prefixOf(name, 'human', 2) || prefixOf(name, 'all', 1)) {
      // ditto
    } else if (name === '4' || name === '6' || name === '0') problem ??= `\`-${name}\` shows one address family only`;
    else if (prefixOf(name, 'family', 1)) {
      problem ??= `\`-${name} ${args[i + 1] ?? ''}\` shows one address family only`;
      i++;
    } else if (prefixOf(name, 'netns', 1)) {
      problem ??= `runs in the network namespace ${args[i + 1] ?? ''}, not the host's`;
      i++;
    } else if (prefixOf(name, 'statistics', 1)) problem ??= 'with statistics lines docknet does not read (drop `-s`)';
    else problem ??= `the option \`${args[i]}\` is not one docknet knows`;
    i++;
  }
  const obj = args[i] ?? '';
  const object = prefixOf(obj, 'address', 1) ? 'addr' : prefixOf(obj, 'link', 1) ? 'link' : prefixOf(obj, 'route', 1) ? 'route' : 'other';
  const rest = args.slice(i + 1);
  const verb = rest[0];
  let extra = rest;
  if (verb !== undefined && (prefixOf(verb, 'show', 1) || prefixOf(verb, 'list', 1) || verb === 'lst')) extra = rest.slice(1);
  else if (verb !== undefined && object !== 'other' && !/^(?:dev|table|type|up)$/.test(verb) && object !== 'route') {
    return { object: 'other', json, brief, problem };
  }
  if (object === 'route' && extra.join(' ') === 'table main') extra = [];
  if (extra.length > 0) problem ??= `\`${extra.join(' ')}\` shows part of the listing only`;
  return { object, json, brief, problem };
}

interface TablesArgs {
  table: string;
  action: 'L' | 'S' | 'other';
  chain: string | null;
}

export function iptablesArgs(args: string[]): TablesArgs {
  let table = 'filter';
  let action: TablesArgs['action'] | null = null;
  let chain: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '-t' || a === '--table') table = args[++i] ?? table;
    else if (a.startsWith('--table=')) table = a.slice(8);
    else if (a === '--list' || a === '--list-rules') action = a === '--list' ? 'L' : 'S';
    else if (/^--(?:numeric|verbose|exact|line-numbers|wait)/.test(a)) continue;
    else if (/^--/.test(a)) action = 'other';
    else if (/^-[A-Za-z]+$/.test(a)) {
      const flags = a.slice(1);
      for (let k = 0; k < flags.length; k++) {
        const f = flags[k] as string;
        if (f === 't') {
          table = flags.slice(k + 1) || (args[++i] ?? table);
          break;
        }
        if (f === 'L' || f === 'S') action = f;
        else if (!'nvxw'.includes(f)) action = 'other';
      }
    } else if (/^\d+$/.test(a)) continue;
    else if (action === 'L' || action === 'S') chain ??= a;
  }
  return { table, action: action ?? 'other', chain };
}
