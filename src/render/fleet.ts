// Several hosts in one output: a section per host (a heading naming it) for text, and for JSON one
// document keyed by host (schemaVersion 1, kind docknet-fleet) holding each host's own JSON, or its error.
import { escapeText } from './escape.js';

export const FLEET_JSON_KIND = 'docknet-fleet';

type HostError = { host: string; error: { message: string; hint: string | null } };

/** One host's part of a fleet's text: what it printed, or why it could not be read. */
export type HostText = { host: string; text: string } | HostError;

/** One host's part of a fleet's JSON: its document as a value, words it printed instead (a file written), or its error. */
export type HostDocument = { host: string; json: unknown } | { host: string; text: string } | HostError;

export function hostHeading(host: string): string {
  return `=== host ${escapeText(host)} ===\n`;
}

/** Each host's section in the order given, a blank line between them. */
export function renderFleetText(outputs: readonly HostText[]): string {
  return outputs
    .map((o) => {
      const body =
        'error' in o
          ? `docknet: ${escapeText(o.host)} could not be read: ${escapeText(o.error.message)}\n${o.error.hint ? `${escapeText(o.error.hint)}\n` : ''}`
          : o.text;
      return `${hostHeading(o.host)}${body}${body.endsWith('\n') || body === '' ? '' : '\n'}`;
    })
    .join('\n');
}

/** Each host's document as its command gives it for one host; words are {"output": ...}, a host that could not be read {"error": ...}. */
export function fleetJson(outputs: readonly HostDocument[]): unknown {
  const hosts: Record<string, unknown> = {};
  for (const o of outputs) hosts[o.host] = 'error' in o ? { error: o.error } : 'json' in o ? o.json : { output: o.text };
  return { schemaVersion: 1, kind: FLEET_JSON_KIND, hosts };
}
