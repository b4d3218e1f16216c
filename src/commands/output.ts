// What a command gives for one host, instead of printing it: its JSON document as a value (with --json)
// or its words, and its exit code. runForHosts prints it for one host, or nests it in the fleet's output.
import { EXIT } from '../model/errors.js';

export type CommandOutput = ({ json: unknown } | { text: string }) & { code: number };

export function jsonOutput(value: unknown, code: number = EXIT.ok): CommandOutput {
  return { json: value, code };
}

export function textOutput(text: string, code: number = EXIT.ok): CommandOutput {
  return { text, code };
}

/** The output as one host prints it: the JSON document indented by two spaces, or the words as they are. */
export function outputText(o: CommandOutput): string {
  return 'json' in o ? `${JSON.stringify(o.json, null, 2)}\n` : o.text;
}
