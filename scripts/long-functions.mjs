// Lists the functions in src/ longer than 80 lines that do not say why they must be long (a comment
// above them with "Long on purpose"): a check to run by hand, `node scripts/long-functions.mjs`.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const LIMIT = 80;
const files = readdirSync('src', { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile() && e.name.endsWith('.ts'))
  .map((e) => join(e.parentPath, e.name))
  .sort();

function nameOf(node) {
  if (node.name) return node.name.getText();
  const p = node.parent;
  if (p && (ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p))) return p.name.getText();
  return '(anonymous)';
}

const long = [];
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
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
      const why = comments.some((c) => /Long on purpose/i.test(text.slice(c.pos, c.end)));
      if (lines > LIMIT && !why) long.push(`${file}:${start + 1}: ${nameOf(node)} (${lines} lines)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
}
for (const l of long) console.log(l);
if (long.length > 0) {
  console.log(`${long.length} function(s) over ${LIMIT} lines without a "Long on purpose" comment`);
  process.exitCode = 1;
}
