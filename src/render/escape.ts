// Makes untrusted text (container names, labels, pasted outputs) safe to print on a terminal.

// C0 and C1 control characters and DEL: none may reach the terminal raw (ANSI escapes, newlines in names).
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

export function escapeText(text: string): string {
  return text.replace(CONTROL, (ch) => {
    if (ch === '\n') return '\\n';
    if (ch === '\t') return '\\t';
    if (ch === '\r') return '\\r';
    return `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}
