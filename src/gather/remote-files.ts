// File reads of a remote host's /proc and /sys in batches: one remote command reads many files (a
// fixed read-only script: base64, readlink, ls, stat), one line per file, and gather's synchronous
// readers are run again with each round's missing answers fetched in one batch, so the number of
// round trips follows the readers' depth (about three), not the number of files.
import { shellScript } from '../util/shell-quote.js';
import type { HostFs } from './host-fs.js';

/** What one request asks: f the file's bytes, l a link's target, d a directory's names, s whether it exists, t statfs's type. */
export type ReadKind = 'f' | 'l' | 'd' | 's' | 't';

export type Answer = { ok: true; data: Buffer } | { ok: false; code: string; message?: string };

/**
 * Each argument is KIND:PATH; each answer a line `docknet <index> ok:<base64>` or `docknet <index> err:<CODE>`,
 * so no file's content can be taken for a delimiter. Only reads: nothing here writes or runs a tool.
 */
export const READ_SCRIPT = `i=0
for a do
  o=\${a%%:*}; p=\${a#*:}; v=
  case $o in
    f) v=$(base64 -w0 2>/dev/null <"$p") ;;
    l) v=$(readlink -- "$p" 2>/dev/null) && v=$(printf %s "$v" | base64 -w0) ;;
    d) [ -d "$p" ] && v=$(ls -1A -- "$p" 2>/dev/null) && v=$(printf %s "$v" | base64 -w0) ;;
    s) [ -e "$p" ] || [ -L "$p" ] ;;
    t) v=$(stat -f -c %t -- "$p" 2>/dev/null) && v=$(printf %s "$v" | base64 -w0) ;;
    *) false ;;
  esac
  if [ $? -eq 0 ]; then echo "docknet $i ok:$v"
  elif [ ! -e "$p" ] && [ ! -L "$p" ]; then echo "docknet $i err:ENOENT"
  elif [ "$o" = d ] && [ ! -d "$p" ]; then echo "docknet $i err:ENOTDIR"
  elif [ "$o" = l ] && [ ! -L "$p" ]; then echo "docknet $i err:EINVAL"
  elif [ "$o" = f ] && [ -d "$p" ]; then echo "docknet $i err:EISDIR"
  elif [ ! -r "$p" ]; then echo "docknet $i err:EACCES"
  else echo "docknet $i err:EIO"; fi
  i=$((i+1))
done`;

/** The remote command line that answers `requests` (each KIND:PATH). */
export function batchCommandLine(requests: readonly string[]): string {
  return shellScript(READ_SCRIPT, 'docknet-read', requests);
}

/** The script's output, split into each request's answer; a request the output does not answer is EIO, with `lost`. */
export function splitBatch(stdout: string, requests: readonly string[], lost: string): Map<string, Answer> {
  const got = new Map<number, Answer>();
  for (const line of stdout.split('\n')) {
    const m = /^docknet (\d+) (ok|err):(\S*)$/.exec(line);
    if (!m) continue;
    got.set(Number(m[1]), m[2] === 'ok' ? { ok: true, data: Buffer.from(m[3] ?? '', 'base64') } : { ok: false, code: m[3] || 'EIO' });
  }
  return new Map(requests.map((r, i) => [r, got.get(i) ?? { ok: false, code: 'EIO', message: lost }]));
}

/** Requests in command lines of at most `budget` characters: one argument may hold 128 KiB on Linux. */
export function chunkRequests(requests: readonly string[], budget = 60_000): string[][] {
  const chunks: string[][] = [];
  let chunk: string[] = [];
  let size = 0;
  for (const r of requests) {
    if (chunk.length && size + r.length + 3 > budget) {
      chunks.push(chunk);
      chunk = [];
      size = 0;
    }
    chunk.push(r);
    size += r.length + 3;
  }
  if (chunk.length) chunks.push(chunk);
  return chunks;
}

const WORDS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  ENOTDIR: 'not a directory',
  EISDIR: 'is a directory',
  EINVAL: 'invalid argument',
};

function failed(answer: Answer & { ok: false }, path: string): Error {
  return Object.assign(new Error(`${answer.code}: ${answer.message ?? WORDS[answer.code] ?? 'i/o error'}, ${path}`), { code: answer.code });
}

/**
 * A HostFs answering from `answers`. A request not answered yet is added to `misses` and fails as ENOENT:
 * readers skip a file that is gone and read on, so one round finds every file it can (a reader that
 * stopped at the first miss, as the docker-proxy scan stops at an unreadable file, would cost a round per
 * file); the round's result is thrown away, and the reader runs again once the misses are fetched.
 */
export function answeringFs(answers: ReadonlyMap<string, Answer>, misses: Set<string> | null): HostFs {
  const get = (kind: ReadKind, path: string): Buffer => {
    const key = `${kind}:${path}`;
    const a = answers.get(key);
    if (a?.ok) return a.data;
    if (a) throw failed(a, path);
    if (misses) misses.add(key);
    throw Object.assign(new Error(misses ? `ENOENT: not read yet, ${path}` : `EIO: not read after many rounds, ${path}`), {
      code: misses ? 'ENOENT' : 'EIO',
    });
  };
  return {
    readText: (p) => get('f', p).toString('utf8'),
    readBytes: (p) => get('f', p),
    readdir: (p) =>
      get('d', p)
        .toString('utf8')
        .split('\n')
        .filter((n) => n !== ''),
    readlink: (p) => get('l', p).toString('utf8'),
    stat: (p) => {
      get('s', p);
    },
    fsType: (p) => Number.parseInt(get('t', p).toString('utf8').trim(), 16),
  };
}
