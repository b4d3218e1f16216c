// Runs parseTranscript over huge and pathological inputs in a worker thread, so that a backtracking
// regex can be stopped from outside (test/property/transcript.test.ts).
import { parentPort } from 'node:worker_threads';
import { parseTranscript } from '../../src/parse/transcript.js';
import { PATHOLOGICAL } from './damage.js';

const post = (m: { at?: string; done?: boolean; error?: string }): void => parentPort?.postMessage(m);

// Transcript-shaped ones: prompts everywhere, an @ and : run in a prompt, commands that are all quotes.
const MORE: [string, string][] = [
  ['200k prompts', '$ ip addr\n'.repeat(200_000)],
  ['200k bare # prompts inside an iptables-save', `# iptables-save\n${'# \n'.repeat(200_000)}`],
  ['a prompt with 150k @:', `${'a@b:'.repeat(150_000)}$ ip addr\n`],
  ['a user@host prompt of 300k characters', `${'u'.repeat(150_000)}@${'h'.repeat(150_000)}:~# ip addr\n`],
  ['a command of 150k quotes', `$ docker ps ${'"\''.repeat(150_000)}\n`],
  ['a command of 100k $(', `$ docker inspect ${'$('.repeat(100_000)}\n`],
  ['a command word of 300k digits', `$ docker ps ${'1'.repeat(300_000)}\n`],
  ['a command continued over 100k lines', `$ docker ps \\\n${'> -a \\\n'.repeat(100_000)}`],
  ['a Markdown-bold line of 300k stars', `${'*'.repeat(300_000)}x\n`],
  [
    'an inspect of 100k objects',
    `$ docker inspect x\n${JSON.stringify(Array.from({ length: 100_000 }, (_, i) => ({ Id: `${i}`, State: {}, Config: {} })))}\n$ `,
  ],
];

try {
  for (const [what, text] of [...PATHOLOGICAL, ...MORE]) {
    post({ at: what });
    parseTranscript(text);
  }
  post({ done: true });
} catch (err) {
  post({ error: (err as Error)?.stack ?? String(err) });
}
