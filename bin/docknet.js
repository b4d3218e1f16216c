#!/usr/bin/env node
// Entry point: the CLI bundled into one file by `npm run build` (one file loads much faster than hundreds).
import { main } from '../dist/docknet.mjs';

// A reader that stops early (`docknet graph | head`) closes the pipe: that ends the output, not in a crash.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });

process.exitCode = await main(process.argv.slice(2));
