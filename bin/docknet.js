#!/usr/bin/env node
// Entry point: the CLI bundled into one file by `npm run build` (one file loads much faster than hundreds).
import { main } from '../dist/docknet.mjs';

process.exitCode = await main(process.argv.slice(2));
