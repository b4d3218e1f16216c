// Bundles the compiled CLI (dist/src) into dist/docknet.mjs: one file loads far faster than hundreds.
// dockerode loads gRPC/protobuf (for BuildKit sessions) and docker-modem loads ssh2 (for ssh:// hosts)
// at start-up; docknet uses neither on a unix socket, so those two modules are loaded on first call instead.
import { build } from 'esbuild';
import { createRequire } from 'node:module';
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

await build({
  entryPoints: ['dist/src/cli/main.js'],
  outfile: 'dist/docknet.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Never loaded on a unix socket (see above): left in node_modules, so the bundle stays small to compile.
  // @viz-js/viz (Graphviz in WebAssembly, about 1.2 MB) is imported only by `graph`/`report` when they draw SVG:
  // left in node_modules, so no other command parses it at start-up.
  external: ['cpu-features', '*.node', '@grpc/grpc-js', '@grpc/proto-loader', 'protobufjs', 'ssh2', '@viz-js/viz'],
  logLevel: 'warning',
  plugins: [lazyModules],
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; import { fileURLToPath as __fu } from 'node:url'; import { dirname as __dn } from 'node:path'; const require = __cr(import.meta.url); const __filename = __fu(import.meta.url); const __dirname = __dn(__filename);",
  },
});
