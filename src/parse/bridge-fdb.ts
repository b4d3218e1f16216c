// Parses `bridge -j fdb show`: which MAC is reached through which device and, on a VXLAN device, which remote VTEP.
import type { FdbEntry } from '../model/overlay.js';
import { issue, type ParseIssue, type Parsed } from '../model/parsed.js';
import { jsonPreview } from './json-preview.js';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

export function parseBridgeFdbJson(text: string): Parsed<FdbEntry[] | null> {
  let data: unknown;
  try {
    // `bridge -j fdb show` prints nothing at all (not "[]") for an empty table on some iproute2 versions.
    data = text.trim() === '' ? [] : JSON.parse(text);
  } catch (err) {
    return { value: null, issues: [issue(0, text, `not valid JSON: ${(err as Error).message}`)] };
  }
  if (!Array.isArray(data)) return { value: null, issues: [issue(0, text, 'expected a JSON array of fdb entries')] };
  const issues: ParseIssue[] = [];
  const out: FdbEntry[] = [];
  data.forEach((e, i) => {
    if (!isObj(e) || !str(e.mac) || !str(e.ifname)) {
      issues.push(issue(0, jsonPreview(e), `entry ${i}: no mac/ifname, skipped`));
      return;
    }
    out.push({
      mac: (e.mac as string).toLowerCase(),
      dev: e.ifname as string,
      dst: str(e.dst),
      master: str(e.master),
      vlan: typeof e.vlan === 'number' ? e.vlan : null,
      state: str(e.state),
      flags: Array.isArray(e.flags) ? e.flags.filter((f): f is string => typeof f === 'string') : [],
    });
  });
  return { value: out, issues };
}
