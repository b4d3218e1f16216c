// npm run demo: docknet's main job in one line. With a Docker engine here (or installable, as root
// on Debian), it brings up the lab and maps it live; otherwise it maps the bundled seed host.
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { ensureEngine } from './engine.js';
import { up } from './build.js';

const BIN = fileURLToPath(new URL('../../bin/docknet.js', import.meta.url));
const SEED = fileURLToPath(new URL('../../examples/seed-host', import.meta.url));

async function docknet(args: string[]): Promise<number> {
  const r = await execa(process.execPath, [BIN, ...args], { stdio: 'inherit', reject: false });
  return r.exitCode ?? 1;
}

async function main(): Promise<number> {
  const log = (line: string) => process.stderr.write(`demo: ${line}\n`);
  const wantLive = process.env.DOCKNET_DEMO !== 'seed';
  let live = false;
  if (wantLive) {
    try {
      await ensureEngine({ log });
      const report = await up({ log });
      live = true;
      for (const s of report.skipped) log(`skipped: ${s.what}: ${s.detail}`);
      for (const f of report.failed) log(`failed: ${f.what}: ${f.detail}`);
    } catch (err) {
      log(`no Docker engine available (${(err as Error).message.split('\n')[0]})`);
    }
  }
  if (live) {
    process.stdout.write('docknet veth-map on the live lab (remove it with: npm run lab -- down)\n\n');
    return docknet(['veth-map']);
  }
  process.stdout.write(
    (wantLive ? 'No engine here' : 'DOCKNET_DEMO=seed') +
      ': docknet veth-map on the bundled seed host (examples/seed-host, captured outputs)\n\n',
  );
  return docknet(['veth-map', '--from', SEED]);
}

main().then(
  (code) => (process.exitCode = code),
  (err) => {
    process.stderr.write(`demo failed: ${(err as Error).message}\n`);
    process.exitCode = 1;
  },
);
