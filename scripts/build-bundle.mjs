// Bundles the compiled CLI (dist/src) into dist/docknet.mjs: one file loads far faster than hundreds.
// dockerode loads gRPC/protobuf (for BuildKit sessions) and docker-modem loads ssh2 (for ssh:// hosts)
// at start-up; docknet uses neither on a unix socket, so those two modules are loaded on first call instead.
import { build } from 'esbuild';
import { builtinModules, createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const LAZY = [
  { importer: /dockerode[\\/]lib[\\/]docker\.js$/, request: './session' },
  { importer: /docker-modem[\\/]lib[\\/]modem\.js$/, request: './ssh' },
];

const lazyModules = {
  name: 'lazy-modules',
  setup(b) {
    b.onResolve({ filter: /^\.\/(session|ssh)$/ }, (args) => {
      const hit = LAZY.find((l) => l.request === args.path && l.importer.test(args.importer));
      if (!hit) return undefined;
      return { path: require.resolve(join(dirname(args.importer), args.path)), namespace: 'lazy' };
    });
    b.onLoad({ filter: /.*/, namespace: 'lazy' }, (args) => ({
      // Both modules export one function: a stand-in that requires the real one when first called.
      contents: `module.exports = function lazy(...a) { return require(${JSON.stringify(args.path)}).apply(this, a); };`,
      resolveDir: dirname(args.path),
      loader: 'js',
    }));
  },
};

// The Engine API client and the process runner are needed only once a command gathers from the live
// host: `docknet --version`, `--help` and every `--from` run never call them. Bundled as they are, the
// two libraries (and their dependencies, a third of the bundle) ran their module code at every start;
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
// module that needs it (the bundle's banner defines require).
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

await build({
  entryPoints: ['dist/src/cli/main.js'],
  outfile: 'dist/docknet.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Never loaded on a unix socket (see above): left in node_modules, so the bundle stays small to compile.
  external: ['cpu-features', '*.node', '@grpc/grpc-js', '@grpc/proto-loader', 'protobufjs', 'ssh2'],
  logLevel: 'warning',
  plugins: [lazyModules, lazyPackages, lazyBuiltins],
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; import { fileURLToPath as __fu } from 'node:url'; import { dirname as __dn } from 'node:path'; const require = __cr(import.meta.url); const __filename = __fu(import.meta.url); const __dirname = __dn(__filename);",
  },
});
