// The file one host of several writes with --out or --html: its own, named after the host.
/** The file one host of several writes (--out, --html): the host's label, made a safe name, before the extension. */
export function hostFileName(path: string, host: string | null): string {
  if (host === null) return path;
  const safe =
    host
      .replace(/^[a-z]+:\/\//, '')
      .replace(/[^A-Za-z0-9._-]+/g, '_')
      .replace(/^[._]+/, '') || 'host';
  const m = /^(.*?)(\.[A-Za-z0-9]+)?$/.exec(path);
  return `${m?.[1] ?? path}.${safe}${m?.[2] ?? ''}`;
}
