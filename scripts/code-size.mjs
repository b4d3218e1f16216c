// The size rule of the codebase (README, Development): no source file in src/, lab/, bench/ or scripts/ over FILE_LIMIT lines, no
// function over FUNCTION_LIMIT lines unless a comment just above it holds MARKER and says why it must be
// long. Shared by `node scripts/long-functions.mjs` (by hand) and test/architecture.test.ts (enforced).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

export const FILE_LIMIT = 400;
export const FUNCTION_LIMIT = 80;
export const MARKER = 'Long on purpose:';

/** The .ts files below `dir`, sorted. */
export function sourceFiles(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

function nameOf(node) {
  if (node.name) return node.name.getText();
  const p = node.parent;
  if (p && (ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p))) return p.name.getText();
  return '(anonymous)';
}

/** A file's text: its line count when over FILE_LIMIT, else null. */
export function longFile(text) {
  const lines = text.endsWith('\n') ? text.split('\n').length - 1 : text.split('\n').length;
  return lines > FILE_LIMIT ? lines : null;
}

/** The functions in one file's text over FUNCTION_LIMIT lines without a MARKER comment: `{ line, name, lines }` each. */
export function longFunctions(file, text) {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const long = [];
  const visit = (node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
      const end = sf.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = end - start + 1;
      // The comment may sit above the statement that holds the function (`const f = () => ...`).
      let holder = node;
      while (holder.parent && !ts.isSourceFile(holder.parent) && !ts.isBlock(holder.parent) && !ts.isClassLike(holder.parent))
        holder = holder.parent;
      const comments = ts.getLeadingCommentRanges(text, holder.getFullStart()) ?? [];
      const why = comments.some((c) => text.slice(c.pos, c.end).includes(MARKER));
      if (lines > FUNCTION_LIMIT && !why) long.push({ line: start + 1, name: nameOf(node), lines });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return long;
}

/** Every breach of the rule in the .ts files below `dir`, one line each (`file: N lines`, `file:line: name (N lines)`). */
export function sizeProblems(dir) {
  const problems = [];
  for (const file of sourceFiles(dir)) {
    const text = readFileSync(file, 'utf8');
    const lines = longFile(text);
    if (lines !== null) problems.push(`${file}: ${lines} lines (over ${FILE_LIMIT})`);
    for (const f of longFunctions(file, text))
      problems.push(`${file}:${f.line}: ${f.name} (${f.lines} lines, over ${FUNCTION_LIMIT}, no "${MARKER}" comment)`);
  }
  return problems;
}
