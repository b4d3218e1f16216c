// Several hosts in one output: a section per host (a heading naming it) for text, and for JSON one
// document keyed by host (schemaVersion 1, kind docknet-fleet) holding each host's own JSON, or its error.
import { escapeText } from './escape.js';

export const FLEET_JSON_KIND = 'docknet-fleet';

export type HostOutput = { host: string; text: string } | { host: string; error: { message: string; hint: string | null } };

export function hostHeading(host: string): string {
  return `=== host ${escapeText(host)} ===\n`;
}

/** Each host's section in the order given, a blank line between them. */
export function renderFleetText(outputs: readonly HostOutput[]): string {
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

/** Each host's JSON as its command printed it for one host, parsed; a host that could not be read is {"error": ...}. */
export function fleetJson(outputs: readonly HostOutput[]): unknown {
  const hosts: Record<string, unknown> = {};
  for (const o of outputs) {
    if ('error' in o) hosts[o.host] = { error: o.error };
    else {
      try {
        hosts[o.host] = JSON.parse(o.text);
      } catch {
        // Not JSON (a command that printed words, e.g. a file written): kept as it was printed.
        hosts[o.host] = { output: o.text };
      }
    }
  }
  return { schemaVersion: 1, kind: FLEET_JSON_KIND, hosts };
}
