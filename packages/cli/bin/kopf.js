#!/usr/bin/env node
// The `kopf` command. A committed shim so that npm can link the binary before the
// TypeScript sources are built; the real entry point is dist/main.js.
import { main } from '../dist/main.js';

process.exitCode = await main(process.argv.slice(2));
