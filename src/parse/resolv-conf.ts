// Parses resolv.conf: the resolvers a container uses.
import { issue, splitLines, type ParseIssue, type Parsed } from '../model/parsed.js';
import { cutShortIssue } from './listing-text.js';

export interface ResolvConf {
  nameservers: string[];
  search: string[];
  options: string[];
}

// Files and command output end with a newline; a copy that does not may have lost the end of its last line.

export function parseResolvConf(text: string): Parsed<ResolvConf> {
  const value: ResolvConf = { nameservers: [], search: [], options: [] };
  const issues: ParseIssue[] = [];
  const lines = splitLines(text);
  let lastUsed = 0;
  lines.forEach((raw, i) => {
    const line = raw.replace(/[#;].*$/, '').trim();
    if (!line) return;
    lastUsed = i + 1;
    const [key, ...rest] = line.split(/\s+/);
    if (key === 'nameserver' && rest[0]) value.nameservers.push(rest[0]);
    else if (key === 'search' || key === 'domain') value.search.push(...rest);
    else if (key === 'options') value.options.push(...rest);
    else if (key !== 'sortlist') issues.push(issue(i + 1, raw, `unknown resolv.conf keyword '${key}'`));
  });
  const cut = cutShortIssue(text, lines, lastUsed);
  if (cut) issues.push(cut);
  return { value, issues };
}
