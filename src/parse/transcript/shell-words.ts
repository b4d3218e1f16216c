// A command line in words, as a POSIX shell splits it: enough to tell the command from its sudo,
// its pipes and its redirections.

export function basename(word: string): string {
  return word.slice(word.lastIndexOf('/') + 1);
}

export interface Words {
  words: string[];
  /** Operators outside quotes: `|`, `;`, `&&`, `||`, `&`, `>`, `>>`, `2>&1`, ... */
  ops: { op: string; after: string[] }[];
}

const OPERATOR = />>?(?:&\d+)?|&>>?|<|\|\||\||&&|;|&/y;

/** Splits a command line as a POSIX shell would, enough to tell the command from pipes and redirections. */
export function shellWords(line: string): Words {
  const words: string[] = [];
  const ops: Words['ops'] = [];
  let target = words;
  let cur: string | null = null;
  let i = 0;
  const push = () => {
    if (cur !== null) target.push(cur);
    cur = null;
  };
  while (i < line.length) {
    const c = line[i] as string;
    if (c === ' ' || c === '\t') {
      push();
      i++;
    } else if (c === "'") {
      const j = line.indexOf("'", i + 1);
      const end = j < 0 ? line.length : j;
      cur = (cur ?? '') + line.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      let j = i + 1;
      let s = '';
      while (j < line.length && line[j] !== '"') {
        if (line[j] === '\\' && j + 1 < line.length && '"\\$`'.includes(line[j + 1] as string)) j++;
        s += line[j];
        j++;
      }
      cur = (cur ?? '') + s;
      i = j + 1;
    } else if (c === '\\' && i + 1 < line.length) {
      cur = (cur ?? '') + line[i + 1];
      i += 2;
    } else if (c === '$' && line[i + 1] === '(') {
      // $(...) stays one word, whatever it holds: `docker inspect $(docker ps -q | head -1)`.
      let depth = 0;
      let j = i + 1;
      for (; j < line.length; j++) {
        if (line[j] === '(') depth++;
        else if (line[j] === ')' && --depth === 0) break;
      }
      cur = (cur ?? '') + line.slice(i, j + 1);
      i = j + 1;
    } else if (c === '`') {
      const j = line.indexOf('`', i + 1);
      const end = j < 0 ? line.length : j;
      cur = (cur ?? '') + line.slice(i, end + 1);
      i = end + 1;
    } else {
      OPERATOR.lastIndex = i;
      const op = '><|&;'.includes(c) ? OPERATOR.exec(line) : null;
      if (op) {
        let opText = op[0];
        // `2>&1`, `2>/dev/null`: the digits before `>` name the stream.
        if (cur !== null && />/.test(opText) && /^\d+$/.test(cur)) {
          opText = cur + opText;
          cur = null;
        }
        push();
        const entry = { op: opText, after: [] as string[] };
        ops.push(entry);
        target = entry.after;
        i += op[0].length;
      } else if (c === '#' && cur === null) {
        break; // a comment to the end of the line
      } else {
        cur = (cur ?? '') + c;
        i++;
      }
    }
  }
  push();
  return { words, ops };
}

// Filters that pass the whole output through.
const PASS_THROUGH = /^(?:cat|less|more|tee(?:\s+\S+)?|jq(?:\s+(?:-[a-zA-Z]+\s+)*'?\.'?)?|python3? -m json\.tool)$/;

/** Words after `sudo`, `env` and variable assignments. */
export function commandWords(words: string[]): string[] {
  let w = words;
  for (;;) {
    const head = w[0];
    if (head === undefined) return w;
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(head)) w = w.slice(1);
    else if (basename(head) === 'sudo') {
      w = w.slice(1);
      while (w[0]?.startsWith('-')) {
        const opt = w[0];
        w = w.slice(1);
        if (opt === '--') break;
        if (/^-[ugCDhprtT]$/.test(opt)) w = w.slice(1);
      }
    } else if (basename(head) === 'env' || basename(head) === 'command') w = w.slice(1);
    else return w;
  }
}

/** Why the output shown is not the command's whole output, or null when it is. */
export function pipelineProblem(ops: Words['ops']): string | null {
  for (const { op, after } of ops) {
    if (op === '2>&1' || (/^2>$/.test(op) && after.length > 0)) continue;
    if (op === '|') {
      const filter = after.join(' ');
      if (PASS_THROUGH.test(filter)) continue;
      return `its output was filtered through \`| ${filter}\`: not the whole listing`;
    }
    if (/>/.test(op)) return 'its output went to a file, not to the screen';
    if (op === '<') continue;
    return `several commands on one line (\`${op}\`): their outputs cannot be told apart`;
  }
  return null;
}
