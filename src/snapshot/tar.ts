// A small ustar codec for snapshot archives: writes regular files and directories, reads them back
// into memory. Reading never touches the disk and refuses anything that could point outside the archive.
import { unsafeFactPath } from './snapshot.js';

const BLOCK = 512;

export interface TarFile {
  path: string;
  data: Uint8Array;
}

/** Why an archive cannot be read; the loader turns it into a message naming the archive. */
export class TarError extends Error {}

// ---- writing ----

export function writeTar(files: readonly TarFile[], opts: { mtime: Date; root?: string }): Buffer {
  const prefix = opts.root ? `${opts.root}/` : '';
  const dirs = new Set<string>();
  if (opts.root) dirs.add(opts.root);
  for (const f of files) {
    const parts = `${prefix}${f.path}`.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  const mtime = Math.floor(opts.mtime.getTime() / 1000);
  const out: Buffer[] = [];
  for (const d of [...dirs].sort()) out.push(...entry(`${d}/`, '5', 0o755, mtime, Buffer.alloc(0)));
  for (const f of files) out.push(...entry(`${prefix}${f.path}`, '0', 0o644, mtime, Buffer.from(f.data)));
  out.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(out);
}

function entry(path: string, type: '0' | '5', mode: number, mtime: number, data: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let split = splitUstar(path);
  if (!split) {
    // Too long for ustar's name/prefix fields: a pax header carries the whole path.
    const record = paxRecord('path', path);
    out.push(header({ name: 'PaxHeader', prefix: '' }, 'x', 0o644, mtime, record.length), ...padded(record));
    split = { name: path.slice(-100).replace(/^[^/]*\//, ''), prefix: '' };
  }
  out.push(header(split, type, mode, mtime, data.length), ...padded(data));
  return out;
}

function padded(data: Buffer): Buffer[] {
  if (data.length === 0) return [];
  return [data, Buffer.alloc((BLOCK - (data.length % BLOCK)) % BLOCK)];
}

function paxRecord(key: string, value: string): Buffer {
  const body = ` ${key}=${value}\n`;
  // The length prefix counts itself: grow it until it fits.
  let len = Buffer.byteLength(body) + 1;
  while (String(len).length + Buffer.byteLength(body) !== len) len = String(len).length + Buffer.byteLength(body);
  return Buffer.from(`${len}${body}`, 'utf8');
}

function splitUstar(path: string): { name: string; prefix: string } | null {
  if (Buffer.byteLength(path) <= 100) return { name: path, prefix: '' };
  for (let cut = path.indexOf('/'); cut >= 0; cut = path.indexOf('/', cut + 1)) {
    const prefix = path.slice(0, cut);
    const name = path.slice(cut + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100 && name !== '') return { name, prefix };
  }
  return null;
}

function header(p: { name: string; prefix: string }, type: string, mode: number, mtime: number, size: number): Buffer {
  const h = Buffer.alloc(BLOCK);
  h.write(p.name, 0, 100, 'utf8');
  octal(h, 100, 8, mode);
  octal(h, 108, 8, 0);
  octal(h, 116, 8, 0);
  octal(h, 124, 12, size);
  octal(h, 136, 12, mtime);
  h.fill(0x20, 148, 156);
  h.write(type, 156, 1, 'ascii');
  h.write('ustar\u000000', 257, 8, 'ascii');
  h.write('root', 265, 32, 'ascii');
  h.write('root', 297, 32, 'ascii');
  h.write(p.prefix, 345, 155, 'utf8');
  octal(h, 148, 7, checksum(h));
  return h;
}

function octal(h: Buffer, offset: number, width: number, value: number): void {
  h.write(`${value.toString(8).padStart(width - 1, '0')}\u0000`, offset, width, 'ascii');
}

function checksum(h: Buffer): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (h[i] as number);
  return sum;
}

// ---- reading ----

const TYPE_NAMES: Record<string, string> = {
  '1': 'a hard link',
  '2': 'a symbolic link',
  '3': 'a character device',
  '4': 'a block device',
  '6': 'a FIFO',
  S: 'a sparse file',
  V: 'a volume label',
};

function cstring(h: Buffer, offset: number, width: number): string {
  const field = h.subarray(offset, offset + width);
  const end = field.indexOf(0);
  return field.subarray(0, end < 0 ? width : end).toString('utf8');
}

function readNumber(h: Buffer, offset: number, width: number, what: string, at: number): number {
  const first = h[offset] as number;
  if (first & 0x80) {
    // GNU base-256 for values that do not fit in octal.
    let v = first & 0x7f;
    for (let i = 1; i < width; i++) v = v * 256 + (h[offset + i] as number);
    return v;
  }
  const text = cstring(h, offset, width).trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw new TarError(`the header at byte ${at} has a bad ${what} field`);
  return parseInt(text, 8);
}

function parsePax(data: Buffer, at: number): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  while (i < data.length) {
    const space = data.indexOf(0x20, i);
    const len = space < 0 ? NaN : Number(data.subarray(i, space).toString('ascii'));
    if (!Number.isInteger(len) || len <= 0 || i + len > data.length) throw new TarError(`the pax header at byte ${at} is malformed`);
    const record = data.subarray(space + 1, i + len - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1);
    i += len;
  }
  return out;
}

/** Leading "./" is what `tar -C dir .` writes; a trailing "/" marks a directory. */
function normalise(raw: string): string {
  let p = raw;
  while (p.startsWith('./')) p = p.slice(2);
  while (p.endsWith('/')) p = p.slice(0, -1);
  return p;
}

export interface ReadTarLimits {
  maxFileBytes: number;
  maxFiles: number;
}

/**
 * The regular files of an archive, in memory. Directories are checked and skipped; links, devices
 * and any path that is absolute or climbs out with `..` make the whole archive refused.
 */
export function readTar(buf: Buffer, limits: ReadTarLimits): TarFile[] {
  const files: TarFile[] = [];
  const seen = new Set<string>();
  let longName: string | null = null;
  let pax: Record<string, string> = {};
  let off = 0;
  if (buf.length < BLOCK) throw new TarError(`not a tar archive (${buf.length} bytes: shorter than one header)`);
  while (off + BLOCK <= buf.length) {
    const h = buf.subarray(off, off + BLOCK);
    if (h.every((b) => b === 0)) break;
    const stored = readNumber(h, 148, 8, 'checksum', off);
    if (stored !== checksum(h)) throw new TarError(`not a tar archive (header checksum mismatch at byte ${off})`);
    const type = String.fromCharCode(h[156] as number);
    const size = readNumber(h, 124, 12, 'size', off);
    const dataStart = off + BLOCK;
    if (dataStart + size > buf.length) throw new TarError(`the archive is truncated (an entry at byte ${off} needs ${size} bytes)`);
    const data = buf.subarray(dataStart, dataStart + size);
    off = dataStart + Math.ceil(size / BLOCK) * BLOCK;

    if (type === 'x') {
      pax = parsePax(data, dataStart);
      continue;
    }
    if (type === 'g') continue; // global pax defaults: nothing docknet needs
    if (type === 'L') {
      longName = cstring(data, 0, data.length);
      continue;
    }
    const magic = h.subarray(257, 262).toString('ascii');
    const prefix = magic === 'ustar' ? cstring(h, 345, 155) : '';
    const ustarName = prefix ? `${prefix}/${cstring(h, 0, 100)}` : cstring(h, 0, 100);
    const rawPath = pax.path ?? longName ?? ustarName;
    pax = {};
    longName = null;
    const path = normalise(rawPath);
    const shown = JSON.stringify(rawPath);

    const kind = TYPE_NAMES[type];
    if (kind) {
      const target = type === '1' || type === '2' ? ` -> ${JSON.stringify(cstring(h, 157, 100))}` : '';
      throw new TarError(`entry ${shown} is ${kind}${target}: a snapshot archive holds only regular files and directories`);
    }
    if (type === '5' && path === '') continue;
    const unsafe = unsafeFactPath(path);
    if (unsafe) throw new TarError(`entry ${shown} is not a safe path inside the snapshot: ${unsafe}`);
    if (type === '5') continue;
    if (type !== '0' && type !== '\u0000' && type !== '7') throw new TarError(`entry ${shown} has an unknown type ${JSON.stringify(type)}`);
    if (seen.has(path)) throw new TarError(`entry ${shown} appears twice`);
    seen.add(path);
    if (size > limits.maxFileBytes) throw new TarError(`entry ${shown} is larger than ${limits.maxFileBytes} bytes`);
    if (files.length >= limits.maxFiles) throw new TarError(`more than ${limits.maxFiles} files`);
    files.push({ path, data: Buffer.from(data) });
  }
  return files;
}
