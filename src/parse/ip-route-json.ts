// Parses `ip -j route`: destinations and the device each goes out of.
import { issue, type ParseIssue, type Parsed } from '../model/parsed.js';

import type { Route } from '../model/route.js';

export type { Route };

export function parseIpRouteJson(text: string): Parsed<Route[]> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { value: [], issues: [issue(0, text.slice(0, 80), `not valid JSON: ${(err as Error).message}`)] };
  }
  if (!Array.isArray(raw)) return { value: [], issues: [issue(0, text.slice(0, 80), 'expected a JSON array (as `ip -j route` prints)')] };
  const value: Route[] = [];
  const issues: ParseIssue[] = [];
  raw.forEach((r, i) => {
    const o = (r ?? {}) as Record<string, unknown>;
    if (typeof o.dst !== 'string') {
      issues.push(issue(0, `route ${i}`, 'route without a dst: skipped'));
      return;
    }
    value.push({ dst: o.dst, dev: typeof o.dev === 'string' ? o.dev : null, gateway: typeof o.gateway === 'string' ? o.gateway : null });
  });
  return { value, issues };
}
