// Parses `ip -j neigh show`: which IP address has which MAC on which device, and in what state.
import type { NeighEntry } from '../model/overlay.js';
import { issue, type ParseIssue, type Parsed } from '../model/parsed.js';
import { jsonPreview } from './json-preview.js';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

export function parseIpNeighJson(text: string): Parsed<NeighEntry[] | null> {
  let data: unknown;
  try {
    data = text.trim() === '' ? [] : JSON.parse(text);
  } catch (err) {
    return { value: null, issues: [issue(0, text, `not valid JSON: ${(err as Error).message}`)] };
  }
  if (!Array.isArray(data)) return { value: null, issues: [issue(0, text, 'expected a JSON array of neighbours')] };
  const issues: ParseIssue[] = [];
  const out: NeighEntry[] = [];
  data.forEach((e, i) => {
    if (!isObj(e) || !str(e.dst) || !str(e.dev)) {
      issues.push(issue(0, jsonPreview(e), `entry ${i}: no dst/dev, skipped`));
      return;
    }
    out.push({
      dst: e.dst as string,
      dev: e.dev as string,
      lladdr: str(e.lladdr)?.toLowerCase() ?? null,
      states: Array.isArray(e.state) ? e.state.filter((s): s is string => typeof s === 'string') : [],
    });
  });
  return { value: out, issues };
}
