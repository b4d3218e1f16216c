// Parses resolv.conf: the resolvers a container uses.
import { issue, splitLines, type ParseIssue, type Parsed } from '../model/parsed.js';

export interface ResolvConf {
  nameservers: string[];
  search: string[];
  options: string[];
}

export function parseResolvConf(text: string): Parsed<ResolvConf> {
  const value: ResolvConf = { nameservers: [], search: [], options: [] };
  const issues: ParseIssue[] = [];
  splitLines(text).forEach((raw, i) => {
    const line = raw.replace(/[#;].*$/, '').trim();
    if (!line) return;
    const [key, ...rest] = line.split(/\s+/);
    if (key === 'nameserver' && rest[0]) value.nameservers.push(rest[0]);
    else if (key === 'search' || key === 'domain') value.search.push(...rest);
    else if (key === 'options') value.options.push(...rest);
    else if (key !== 'sortlist') issues.push(issue(i + 1, raw, `unknown resolv.conf keyword '${key}'`));
  });
  return { value, issues };
}
