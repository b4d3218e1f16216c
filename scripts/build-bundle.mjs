// Bundles the compiled CLI (dist/src) into dist/docknet.mjs and its chunks (dist/chunks/), what the
// package runs: every library docknet uses (commander, chalk, cli-table3, dockerode, execa and theirs)
// is inside, so the package has no dependencies to install and no install scripts; and a few files
// load far faster than hundreds. What the bundle leaves out is never loaded: dockerode's BuildKit
// session and progress (gRPC and protobuf, for image builds) are stand-ins that say so, and the native
// add-ons ssh2 tries (its crypto binding, cpu-features) are optional to it: without them it uses its
// JavaScript code.
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';
import { builtinModules, createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

// docker-modem's ssh transport (ssh2, for DOCKER_HOST=ssh://) is bundled and loaded on its first call;
// dockerode's BuildKit session and progress are not bundled at all.
const STAND_INS = [
  {
    importer: /docker-modem[\\/]lib[\\/]modem\.js$/,
    request: './ssh',
    contents: (real) => `module.exports = function ssh(...a) { return require(${real}).apply(this, a); };`,
  },
  {
    importer: /dockerode[\\/]lib[\\/]docker\.js$/,
    request: './session',
    contents: () => "module.exports = function session() { throw new Error('BuildKit sessions (image builds) are not part of docknet'); };",
  },
  {
    importer: /dockerode[\\/]lib[\\/]docker\.js$/,
    request: './buildkit',
    contents: () =>
      "module.exports = { followProgress() { throw new Error('BuildKit progress (image builds) is not part of docknet'); } };",
  },
];

const standIns = {
  name: 'stand-ins',
  setup(b) {
    b.onResolve({ filter: /^\.\/(session|ssh|buildkit)$/ }, (args) => {
      const hit = STAND_INS.find((l) => l.request === args.path && l.importer.test(args.importer));
      if (!hit) return undefined;
      return { path: require.resolve(join(dirname(args.importer), args.path)), namespace: 'stand-in', pluginData: hit };
    });
    b.onLoad({ filter: /.*/, namespace: 'stand-in' }, (args) => ({
      contents: args.pluginData.contents(JSON.stringify(args.path)),
      resolveDir: dirname(args.path),
      loader: 'js',
    }));
  },
};

// The Engine API client and the process runner are needed only once a command gathers from the live
// host: `docknet --version`, `--help` and every `--from` run never call them. Bundled as they are, the
// two libraries (and their dependencies, most of the bundle) ran their module code at every start;
// behind these stand-ins it runs on the first call. Each stand-in has the one entry point docknet uses.
const LAZY_PACKAGES = {
  // import Docker from 'dockerode'; new Docker(options)
  dockerode: (real) => `module.exports = function Docker(...a) { const D = require(${real}); return new D(...a); };`,
  // import { execa } from 'execa'; execa(file, args, options): the subprocess, synchronously, as before.
  execa: (real) => `exports.execa = function execa(...a) { return require(${real}).execa(...a); };`,
};

const lazyPackages = {
  name: 'lazy-packages',
  setup(b) {
    b.onResolve({ filter: new RegExp(`^(${Object.keys(LAZY_PACKAGES).join('|')})$`) }, (args) =>
      // Only docknet's own imports: the libraries' imports of each other stay as they are.
      /node_modules/.test(args.importer) ? undefined : { path: args.path, namespace: 'lazy-package' },
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-package' }, (args) => ({
      contents: LAZY_PACKAGES[args.path](JSON.stringify(require.resolve(args.path))),
      resolveDir: process.cwd(),
      loader: 'js',
    }));
  },
};

// An ESM `import ... from 'node:http'` is hoisted to the top of the bundle and loads that built-in at
// start, wherever the importing module sits; most built-ins are not in Node's start-up snapshot and
// are compiled when loaded. As a require() inside the module's lazy wrapper, a built-in loads with the
// module that needs it (the banner defines require in every file).
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(b) {
    b.onResolve({ filter: /^(node:)?[a-z_/]+$/ }, (args) => {
      const name = args.path.replace(/^node:/, '');
      if (!builtinModules.includes(name) || args.namespace === 'builtin') return undefined;
      return { path: name, namespace: 'builtin' };
    });
    b.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(`node:${args.path}`)});`,
      loader: 'js',
    }));
  },
};

// Chunks are named by their content's hash: the ones of an earlier build would stay behind.
await rm('dist/chunks', { recursive: true, force: true });

await build({
  // dist/docknet.mjs holds the program (commander, cli/); what a command needs is in dist/chunks/,
  // imported when the command runs (src/cli/lazy-commands.ts), so --version and --help compile little.
  entryPoints: { docknet: 'dist/src/cli/main.js' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Optional native add-ons of ssh2, required inside try: without them it uses its JavaScript code.
  // @viz-js/viz (Graphviz in WebAssembly) is bundled into a chunk of its own, imported only by
  // `graph`/`report` when they draw SVG, so no other command parses it at start-up.
  external: ['cpu-features', '*.node'],
  logLevel: 'warning',
  // Names kept (stack traces under DOCKNET_DEBUG stay readable); blanks and comments gone: a third smaller.
  minifyWhitespace: true,
  minifySyntax: true,
  plugins: [standIns, lazyPackages, lazyBuiltins],
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; import { fileURLToPath as __fu } from 'node:url'; import { dirname as __dn } from 'node:path'; const require = __cr(import.meta.url); const __filename = __fu(import.meta.url); const __dirname = __dn(__filename);",
  },
});
