// The published package: its tarball installs with `npm i -g` into an empty prefix, offline, with no
// dependency and no install script, under 2 MB, and the installed `docknet` runs from its bundle alone
// (far from this repository's node_modules) on the example it ships.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { repoPath } from './repo-path.js';

const MAX_BYTES = 2 * 1024 * 1024;
const pkg = JSON.parse(readFileSync(repoPath('package.json'), 'utf8')) as {
  version: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  scripts: Record<string, string>;
};

test('package.json: no runtime dependency, no install script, and `npm pack` builds first (prepack)', () => {
  assert.deepEqual(pkg.dependencies ?? {}, {}, 'the libraries are bundled: devDependencies');
  assert.deepEqual(pkg.optionalDependencies ?? {}, {});
  assert.deepEqual(pkg.peerDependencies ?? {}, {});
  for (const s of ['preinstall', 'install', 'postinstall', 'prepare']) assert.equal(pkg.scripts[s], undefined, `no ${s} script`);
  assert.equal(pkg.scripts.prepack, 'npm run build');
});

test('the bundle (entry and chunks) requires nothing but Node built-ins and its own chunks, save the optional add-ons ssh2 and debug try and do without', () => {
  const chunks = readdirSync(repoPath('dist/chunks')).map((f) => `dist/chunks/${f}`);
  const bundle = ['dist/docknet.mjs', ...chunks].map((f) => readFileSync(repoPath(f), 'utf8')).join('\n');
  const requested = new Set([...bundle.matchAll(/\b(?:__)?require\d*\("([^"]+)"\)/g)].map((m) => m[1] as string));
  // Static imports (the bundle is minified: one may follow other code on its line), and import() calls.
  const imported = new Set(
    [
      ...bundle.matchAll(/(?:^|[;}])\s*import\s*(?:[\w$*{}\s,]+?\s*from\s*)?["']([^"']+)["']/gm),
      ...bundle.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g),
    ].map((m) => m[1] as string),
  );
  assert.ok(imported.has('node:module'), 'the banner import is seen');
  const builtin = (name: string) => builtinModules.includes(name.replace(/^node:/, ''));
  const optional = (name: string) => name === 'cpu-features' || name === 'supports-color' || name.endsWith('.node');
  // Its own chunks, by relative path: every one of them is in the package (below).
  const outside = [...requested, ...imported].filter((n) => !builtin(n) && !optional(n) && !/^\.\.?\/(chunks\/)?[\w-]+\.mjs$/.test(n));
  assert.deepEqual(outside, [], 'modules the bundle would look for in node_modules');
});

test('npm pack, then npm i -g into an empty prefix: offline, no install script, under 2 MB; docknet runs from it', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'docknet-package-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const npm = (args: string[]) =>
    execa('npm', args, {
      cwd: repoPath('.'),
      reject: false,
      timeout: 180_000,
      // The user's npm settings stay out: no registry, no cache of theirs, no audit.
      env: {
        npm_config_cache: join(dir, 'cache'),
        npm_config_update_notifier: 'false',
        npm_config_fund: 'false',
        npm_config_audit: 'false',
      },
    });

  // The bundle is built (npm test builds first); prepack would build it again.
  const packed = await npm(['pack', '--ignore-scripts', '--json', '--pack-destination', dir]);
  assert.equal(packed.exitCode, 0, packed.stderr);
  const [info] = JSON.parse(packed.stdout) as { filename: string; size: number; unpackedSize: number; files: { path: string }[] }[];
  assert.ok(info);
  const files = info.files.map((f) => f.path).sort();
  assert.ok(files.includes('bin/docknet.js') && files.includes('dist/docknet.mjs') && files.includes('package.json'), files.join(' '));
  assert.ok(files.includes('examples/seed-host/SOURCE.md'), 'the example is shipped');
  assert.deepEqual(
    files.filter((f) => !/^(bin\/|dist\/docknet\.mjs$|dist\/chunks\/[\w-]+\.mjs$|examples\/|package\.json$|README\.md$|LICENSE)/.test(f)),
    [],
    'nothing else',
  );
  assert.ok(info.size < MAX_BYTES, `tarball ${info.size} bytes`);
  // Unpacked, Graphviz's WebAssembly chunk (graph --format svg, loaded only then) is about 1.4 MB of the
  // whole: the download stays under 2 MB, the installed files do not (said in the README).
  assert.ok(info.unpackedSize < 2 * MAX_BYTES, `unpacked ${info.unpackedSize} bytes`);

  const prefix = join(dir, 'prefix');
  const tarball = join(dir, info.filename);
  const installed = await npm(['install', '-g', '--prefix', prefix, '--offline', '--foreground-scripts', tarball]);
  assert.equal(installed.exitCode, 0, installed.stderr);
  assert.doesNotMatch(`${installed.stdout}\n${installed.stderr}`, /install-scripts|gyp|postinstall/i);
  const root = join(prefix, 'lib', 'node_modules', 'docknet');
  assert.ok(existsSync(join(root, 'dist', 'docknet.mjs')));
  assert.ok(
    !existsSync(join(root, 'node_modules')),
    `dependencies installed: ${existsSync(join(root, 'node_modules')) ? readdirSync(join(root, 'node_modules')).join(' ') : ''}`,
  );

  const docknet = (args: string[]) =>
    execa(join(prefix, 'bin', 'docknet'), args, {
      cwd: dir,
      reject: false,
      timeout: 60_000,
      env: { PATH: `${join(prefix, 'bin')}:${process.env.PATH ?? '/usr/bin:/bin'}`, LC_ALL: 'C' },
      extendEnv: false,
    });
  const version = await docknet(['--version']);
  assert.equal(version.exitCode, 0, version.stderr);
  assert.equal(version.stdout.trim(), pkg.version);
  const map = await docknet(['veth-map', '--from', join(root, 'examples', 'seed-host')]);
  assert.equal(map.exitCode, 0, map.stderr);
  assert.match(map.stdout, /^tomcat01\t-\tunknown\teth0@if11\t10\tveth1f00e42 \(11\)\tdocker0\t/m);
  assert.match(map.stdout, /^vethd4ac7ba@if8\t9\t1\tdocker0\t-\t\[3\]$/m);
});
